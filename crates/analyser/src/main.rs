use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use analyser::publish::EventFile;
use analyser::{Analyser, AnalyserConfig, AnalyserSource, Rules, RunSummary};
use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use cli::{CommonArgs, Config, Exit};
use tracing::debug;

/// Extracts claims from normalised articles, groups them by event and writes the
/// cross-source comparison (report/index.html, the list of events, and a page, JSON and
/// Markdown file per event under report/events/).
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prints every claim (updating the cached claims first).
    Claims {
        #[arg(long, value_enum, default_value_t = Format::Jsonl)]
        format: Format,
        /// With --format parquet: the dataset's folder (`month=*/outlet=*/claims.parquet`).
        #[arg(long, value_name = "DIR", required_if_eq("format", "parquet"))]
        out: Option<std::path::PathBuf>,
    },
    /// Reads `normaliser stream`'s rows from stdin and writes each article's claims to
    /// stdout as `claims --format jsonl` lines (the event: the one the article alone gives),
    /// or with --articles one row an article for `analyser group`; touches no corpus. A
    /// record that cannot be read gives an error row and the stream goes on.
    Stream {
        /// One row an article (`{id, raw, doc, claims}`, no body or blocks) for `group`.
        #[arg(long)]
        articles: bool,
        #[command(flatten)]
        caps: cli::stream::CapArgs,
    },
    /// Reads `stream --articles` rows from stdin (all of them), groups their claims into
    /// events across the articles as a corpus run does, and writes the claims as
    /// `claims --format jsonl` lines; touches no corpus.
    Group {
        /// Write Parquet under this folder (`month=*/outlet=*/<--file-name>`) instead of
        /// JSON Lines on stdout.
        #[arg(long, value_name = "DIR")]
        parquet: Option<std::path::PathBuf>,
        /// The name of the file written in each partition's folder.
        #[arg(long, value_name = "NAME", default_value = "claims.parquet")]
        file_name: String,
    },
    /// Brings the report up to date, then prints all of it as one document (the report
    /// itself is a file per event), the followed events first; or, with --event, one
    /// event's file.
    Report {
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// Prints only this event (its id, as the report's list and index.json give it).
        #[arg(long, value_name = "ID")]
        event: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// One JSON document (docs/comparison-schema.md): the head and every event.
    Json,
    /// One Markdown file: what changed, then every event.
    Markdown,
    /// The event's page, a standalone HTML file (with --event only).
    Html,
    /// The event's claims as CSV (with --event only; every claim: `claims --format csv`).
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per claim (what ../shared/tools/score_claims.py reads).
    Jsonl,
    /// A table for people: one line per claim.
    Table,
    /// CSV with a header row, for spreadsheets, pandas and polars: one row per claim with
    /// its event, outlet, address and day of publication.
    Csv,
    /// Parquet files partitioned by month and outlet under --out (docs/scale-out.md).
    Parquet,
}

// Reading the index builds and drops a great many small strings and maps: mimalloc serves
// them from thread-local free lists.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let started = Instant::now();
    cli::refuse_transparent_huge_pages();
    let args = Args::parse();
    args.common.init_logging();
    let code = cli::guarded(|| run(&args, started));
    debug!(elapsed_ms = analyser::elapsed_ms(started), "exiting");
    code
}

/// The lexicon and gazetteer texts the config names (the shipped ones when it names none),
/// not parsed yet, with the lexicon file's path.
fn load_source(config: &Config) -> Result<(AnalyserSource, Option<PathBuf>)> {
    let section: AnalyserConfig = config.section("analyser")?;
    let Some(path) = section.lexicon else {
        return Ok((AnalyserSource::builtin(), None));
    };
    let path = config.resolve(&path);
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read lexicon file {}", path.display()))?;
    // the gazetteer named in the lexicon, relative to the lexicon file
    let gazetteer: std::borrow::Cow<'static, str> = match analyser::lexicon::gazetteer_path(&text)
        .with_context(|| {
        format!("invalid lexicon file {}", path.display())
    })? {
        None => analyser::lexicon::DEFAULT_GAZETTEER.into(),
        Some(name) => {
            let g = path.parent().unwrap_or(Path::new(".")).join(name);
            std::fs::read_to_string(&g)
                .with_context(|| format!("cannot read gazetteer file {}", g.display()))?
                .into()
        }
    };
    Ok((AnalyserSource::new(text, gazetteer), Some(path)))
}

/// Parses the lexicon and gazetteer.
fn build((source, path): (AnalyserSource, Option<PathBuf>)) -> Result<Analyser> {
    source.build().with_context(|| match path {
        Some(path) => format!("invalid lexicon file {}", path.display()),
        None => "invalid built-in lexicon".to_string(),
    })
}

/// The time this run gives the report: now, or `SOURCE_DATE_EPOCH` (seconds since 1970) when
/// set, for output that is the same on every run (reproducible-builds.org's convention).
fn report_time() -> Result<chrono::DateTime<chrono::Utc>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(chrono::Utc::now()),
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is not a number of seconds")),
    }
}

fn load_rules(config: &Config) -> Result<Rules> {
    let section: AnalyserConfig = config.section("analyser")?;
    let rules = match section.comparison {
        None => Rules::builtin(),
        Some(path) => {
            let path = config.resolve(&path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read comparison rules {}", path.display()))?;
            Rules::parse(&text)
                .with_context(|| format!("invalid comparison rules {}", path.display()))?
        }
    };
    rules
        .with_follow(section.follow)
        .context("invalid [[analyser.follow]] in the config")
}

fn run(args: &Args, started: Instant) -> Result<Exit> {
    let config = args.common.load_config()?;
    let source = load_source(&config)?;
    let rules = load_rules(&config)?;
    match &args.command {
        Some(Command::Stream { articles, caps }) => {
            return stream(build(source)?, rules, *articles, caps);
        }
        Some(Command::Group { parquet, file_name }) => {
            return group(&rules, parquet.as_deref(), file_name);
        }
        _ => {}
    }
    let (corpus, _lock) = cli::open_locked(&args.common.corpus, false)?;
    // Nothing to do: known from a row or two of the store, before the lexicon is parsed.
    let idle = match args.command {
        None => analyser::idle_run(&corpus, &source.0.stamp(), &rules, report_time()?)?,
        Some(_) => None,
    };
    if let Some(s) = idle {
        say_summary(&s);
        return Ok(Exit::Ok);
    }
    let analyser = build(source)?;
    debug!(elapsed_ms = analyser::elapsed_ms(started), "rules loaded");
    match &args.command {
        None => {
            let s = analyser::run_at(&corpus, &analyser, &rules, started, report_time()?)?;
            debug!(elapsed_ms = analyser::elapsed_ms(started), "run returned");
            // The process exits next: the lexicon and gazetteer (tens of thousands of
            // strings) need not be freed one by one first.
            std::mem::forget(analyser);
            say_summary(&s);
            Ok(Exit::from_failures(s.failed))
        }
        Some(Command::Report { format, event }) => {
            let file = match (event, format) {
                (Some(_), ReportFormat::Json) => Some(EventFile::Json),
                (Some(_), ReportFormat::Markdown) => Some(EventFile::Markdown),
                (Some(_), ReportFormat::Html) => Some(EventFile::Page),
                (Some(_), ReportFormat::Csv) => Some(EventFile::Csv),
                (None, ReportFormat::Json | ReportFormat::Markdown) => None,
                (None, _) => anyhow::bail!(
                    "--format html and csv print one event: give --event ID (every claim as CSV: `analyser claims --format csv`)"
                ),
            };
            let s = analyser::run_at(&corpus, &analyser, &rules, started, report_time()?)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let printed = match (event, file) {
                (Some(id), Some(file)) => {
                    analyser::export_event(&corpus, id, file, &mut out).map(|()| 1)
                }
                _ => analyser::export_report(
                    &corpus,
                    *format == ReportFormat::Markdown,
                    &rules.follow,
                    &mut out,
                ),
            };
            let events = match printed.and_then(|n| Ok(out.flush().map(|()| n)?)) {
                Ok(n) => n,
                Err(e)
                    if e.downcast_ref::<std::io::Error>()
                        .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
                {
                    0
                }
                Err(e) => return Err(e),
            };
            cli::say(&format!(
                "analyser: {events} events printed, {} failed",
                s.failed
            ));
            Ok(Exit::from_failures(s.failed))
        }
        Some(Command::Stream { .. } | Command::Group { .. }) => unreachable!("handled above"),
        Some(Command::Claims { format, out }) => {
            let mut summary = RunSummary::default();
            let loaded = analyser::load_claims(&corpus, &analyser, &mut summary)?;
            let lines = analyser::claim_lines(&loaded, &rules);
            let mut stdout = std::io::stdout().lock();
            let written = match (format, out) {
                (Format::Jsonl, _) => lines.iter().try_for_each(|l| writeln!(stdout, "{l}")),
                (Format::Table, _) => write!(stdout, "{}", analyser::claim_table(&lines)),
                (Format::Csv, _) => write!(stdout, "{}", analyser::export::claims_csv(&lines)),
                (Format::Parquet, Some(dir)) => write_parquet(&lines, dir, "claims.parquet"),
                (Format::Parquet, None) => unreachable!("clap requires --out"),
            };
            // a closed pipe (`| head`) is not an error
            if let Err(e) = written
                && e.kind() != std::io::ErrorKind::BrokenPipe
            {
                tracing::warn!(error = %e, "cannot write claims");
                summary.failed += 1;
            }
            cli::say(&format!(
                "analyser: claims of {} articles printed, {} failed",
                loaded.len(),
                summary.failed
            ));
            Ok(Exit::from_failures(summary.failed))
        }
    }
}

/// `analyser stream`: normalised rows in, claims (or article rows) out.
fn stream(
    analyser: Analyser,
    rules: Rules,
    articles: bool,
    caps: &cli::stream::CapArgs,
) -> Result<Exit> {
    let work: cli::stream::Work = if articles {
        std::sync::Arc::new(move |line| analyser::stream::article_rows(&analyser, line))
    } else {
        std::sync::Arc::new(move |line| analyser::stream::claims_rows(&analyser, &rules, line))
    };
    let s = cli::stream::run_stdio(&caps.caps(), "analyser", work)?;
    cli::say(&format!(
        "analyser: {} records, {} rows written, {} failed",
        s.records, s.rows, s.failed
    ));
    Ok(Exit::from_failures(s.failed))
}

/// Claim lines as a Parquet dataset under `dir`.
fn write_parquet(
    lines: &[serde_json::Value],
    dir: &std::path::Path,
    name: &str,
) -> std::io::Result<()> {
    let files = analyser::claims_parquet::write_claims(lines, dir, name)
        .map_err(|e| std::io::Error::other(format!("{}: {e}", dir.display())))?;
    debug!(files = files.len(), "parquet written");
    Ok(())
}

/// `analyser group`: article rows in, claims with their events across articles out.
fn group(rules: &Rules, parquet: Option<&std::path::Path>, file_name: &str) -> Result<Exit> {
    let (rows, mut errors) = analyser::stream::read_articles(std::io::stdin().lock())?;
    let articles = rows.len();
    let lines = analyser::stream::group(rows, rules);
    let text: String = match parquet {
        Some(dir) => {
            if let Err(e) = write_parquet(&lines, dir, file_name) {
                tracing::error!(error = %e, "cannot write parquet");
                errors.push(cli::stream::error_row("analyser", 0, None, &e.to_string()));
            }
            errors.iter().map(|l| format!("{l}\n")).collect()
        }
        None => errors
            .iter()
            .cloned()
            .chain(lines.iter().map(|l| l.to_string()))
            .map(|l| l + "\n")
            .collect(),
    };
    cli::print(&text)?;
    cli::say(&format!(
        "analyser: {articles} articles grouped, {} claims written, {} failed",
        lines.len(),
        errors.len()
    ));
    Ok(Exit::from_failures(errors.len()))
}

/// The run's one line on stderr.
fn say_summary(s: &RunSummary) {
    cli::say(&format!(
        "analyser: {} analysed, {} refreshed, {} unchanged, {} removed, {} failed; {} changes logged; {} report files written{}",
        s.analysed,
        s.refreshed,
        s.unchanged,
        s.removed,
        s.failed,
        s.changes,
        s.reports_written,
        if s.analysed + s.refreshed + s.removed == 0 && s.reports_written == 0 {
            " (nothing changed)"
        } else {
            ""
        }
    ));
}
