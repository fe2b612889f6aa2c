use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use cli::{CommonArgs, Config, Exit};
use corpus::ArticleId;
use normaliser::{Normaliser, NormaliserConfig, explain, files, html};
use tracing::warn;

// Parsing a page makes and drops a great many small allocations (nodes, names,
// attribute strings), and compiling the rules grows many vectors: mimalloc serves them from
// thread-local free lists and keeps freed memory for the next page (a run over the benchmark
// pages takes 370 page faults instead of 9,500, and 7% fewer instructions).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Extracts each article's main text, strips boilerplate and segments it.
///
/// Without a subcommand, normalises every raw article in the corpus that is new or changed.
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
    /// Extracts the main text of HTML files (to stdout, or one file per input with --out).
    ///
    /// Files are read as bytes and decoded by their byte order mark or declared charset;
    /// they are extracted in parallel (RAYON_NUM_THREADS sets the number of threads).
    Extract {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write `DIR/<file stem>.txt` (or `.json`) per input instead of printing.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Refuse files larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = normaliser::html::DEFAULT_MAX_PAGE_BYTES)]
        max_page_bytes: usize,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Reads records from stdin, one JSON object a line (`id`, `url`, `date`, `html` or
    /// `text`: docs/scale-out.md), and writes each one's normalised article to stdout as a
    /// line of JSON; touches no corpus. A record that cannot be normalised gives an error
    /// row (`{"error", "stage", "line", "id"}`) and the stream goes on.
    Stream {
        #[command(flatten)]
        caps: cli::stream::CapArgs,
    },
    /// Shows each article's kept text and every removed piece, where it was, with the rule
    /// that removed it, and the article's copy group.
    Explain {
        /// Show only what was removed.
        #[arg(long)]
        removed_only: bool,
        #[arg(required = true, value_name = "ID")]
        ids: Vec<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    cli::refuse_transparent_huge_pages();
    cli::main(|args: &Args| &args.common, run)
}

fn load_normaliser(config: &Config) -> Result<Normaliser> {
    let section: NormaliserConfig = config.section("normaliser")?;
    let read = |path: &Path| {
        let path = config.resolve(path);
        std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))
            .map(|text| (path, text))
    };
    let normaliser = match &section.rules {
        None => Normaliser::builtin(),
        Some(path) => {
            let (path, text) = read(path)?;
            Normaliser::new(&text).with_context(|| format!("in rules file {}", path.display()))?
        }
    };
    match &section.abbreviations {
        None => Ok(normaliser),
        Some(path) => {
            let (path, text) = read(path)?;
            normaliser
                .with_abbreviations(&text)
                .with_context(|| format!("in abbreviations file {}", path.display()))
        }
    }
}

fn run(args: &Args) -> Result<Exit> {
    let config = args.common.load_config()?;
    match &args.command {
        None => {
            let normaliser = load_normaliser(&config)?;
            let (corpus, _lock) = cli::open_locked(&args.common.corpus, false)?;
            let summary = normaliser::run(&corpus, &normaliser)?;
            cli::say(&format!(
                "normaliser: {} normalised, {} unchanged, {} regrouped, {} removed, {} failed{}",
                summary.normalised,
                summary.unchanged,
                summary.regrouped,
                summary.removed_stale,
                summary.failed,
                if summary.nothing_to_do() {
                    " (nothing to do: no file written)"
                } else {
                    ""
                }
            ));
            Ok(Exit::from_failures(summary.failed))
        }
        Some(Command::Extract {
            format,
            out,
            max_page_bytes,
            files,
        }) => {
            // The rules compile while the first pages are parsed; a bad rules file or an
            // output folder that cannot be made still stops the run before anything is
            // written.
            let prepare = || {
                let normaliser = load_normaliser(&config)?;
                if let Some(dir) = out {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                }
                Ok::<_, anyhow::Error>(normaliser)
            };
            let limits = html::Limits {
                max_bytes: *max_page_bytes,
                ..html::Limits::default()
            };
            let format = match format {
                Format::Text => files::Format::Text,
                Format::Json => files::Format::Json,
            };
            let summary = files::extract_files(prepare, files, format, out.as_deref(), &limits)?;
            cli::say(&format!(
                "normaliser: {} extracted, {} failed",
                summary.extracted, summary.failed
            ));
            Ok(Exit::from_failures(summary.failed))
        }
        Some(Command::Stream { caps }) => {
            let normaliser = std::sync::Arc::new(load_normaliser(&config)?);
            let work: cli::stream::Work =
                std::sync::Arc::new(move |line| normaliser::stream::work(&normaliser, line));
            let s = cli::stream::run_stdio(&caps.caps(), "normaliser", work)?;
            cli::say(&format!(
                "normaliser: {} records, {} rows written, {} failed",
                s.records, s.rows, s.failed
            ));
            Ok(Exit::from_failures(s.failed))
        }
        Some(Command::Explain { removed_only, ids }) => {
            let normaliser = load_normaliser(&config)?;
            let ids = ids
                .iter()
                .map(|id| ArticleId::new(id.as_str()))
                .collect::<Result<Vec<_>, _>>()?;
            let corpus = corpus::Corpus::open(&args.common.corpus)?;
            let options = explain::Options {
                removed_only: *removed_only,
            };
            let mut failed = 0;
            for (n, id) in ids.iter().enumerate() {
                match explain::load(&corpus, &normaliser, id) {
                    Ok(explained) => {
                        let gap = if n > 0 { "\n" } else { "" };
                        let text = format!("{gap}{}", explain::render(&explained, options));
                        match cli::print(&text) {
                            Ok(true) => {}
                            // the reader has gone (`| head`): it has what it wanted
                            Ok(false) => break,
                            Err(e) => {
                                warn!(error = %e, "cannot write to stdout");
                                failed += 1;
                                break;
                            }
                        }
                    }
                    Err(e) => {
                        warn!(id = %id, error = %e, "cannot explain article");
                        failed += 1;
                    }
                }
            }
            cli::say(&format!(
                "normaliser: {} explained, {failed} failed",
                ids.len() - failed
            ));
            Ok(Exit::from_failures(failed))
        }
    }
}
