use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use analyser::publish::EventFile;
use analyser::{Analyser, AnalyserConfig, Rules, RunSummary};
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

fn load_analyser(config: &Config) -> Result<Analyser> {
    let section: AnalyserConfig = config.section("analyser")?;
    match section.lexicon {
        None => Ok(Analyser::builtin()),
        Some(path) => {
            let path = config.resolve(&path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read lexicon file {}", path.display()))?;
            // the gazetteer named in the lexicon, relative to the lexicon file
            let gazetteer: std::borrow::Cow<'static, str> =
                match analyser::lexicon::gazetteer_path(&text)
                    .with_context(|| format!("invalid lexicon file {}", path.display()))?
                {
                    None => analyser::lexicon::DEFAULT_GAZETTEER.into(),
                    Some(name) => {
                        let g = path
                            .parent()
                            .unwrap_or(std::path::Path::new("."))
                            .join(name);
                        std::fs::read_to_string(&g)
                            .with_context(|| format!("cannot read gazetteer file {}", g.display()))?
                            .into()
                    }
                };
            Analyser::with_gazetteer(&text, gazetteer)
                .with_context(|| format!("invalid lexicon file {}", path.display()))
        }
    }
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
    let analyser = load_analyser(&config)?;
    let rules = load_rules(&config)?;
    debug!(elapsed_ms = analyser::elapsed_ms(started), "rules loaded");
    let (corpus, _lock) = cli::open_locked(&args.common.corpus, false)?;
    match &args.command {
        None => {
            let s = analyser::run_at(&corpus, &analyser, &rules, started, report_time()?)?;
            debug!(elapsed_ms = analyser::elapsed_ms(started), "run returned");
            // The process exits next: the lexicon and gazetteer (tens of thousands of
            // strings) need not be freed one by one first.
            std::mem::forget(analyser);
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
        Some(Command::Claims { format }) => {
            let mut summary = RunSummary::default();
            let loaded = analyser::load_claims(&corpus, &analyser, &mut summary)?;
            let lines = analyser::claim_lines(&loaded, &rules);
            let mut out = std::io::stdout().lock();
            let written = match format {
                Format::Jsonl => lines.iter().try_for_each(|l| writeln!(out, "{l}")),
                Format::Table => write!(out, "{}", analyser::claim_table(&lines)),
                Format::Csv => write!(out, "{}", analyser::export::claims_csv(&lines)),
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
