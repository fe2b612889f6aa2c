use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use cli::{CommonArgs, Config, Exit};
use corpus::ArticleId;
use normaliser::{Normaliser, NormaliserConfig, files, html};

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
    /// Shows an article's kept text and each removed block with the rule that removed it.
    Explain {
        #[arg(value_name = "ID")]
        id: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let args = Args::parse();
    args.common.init_logging();
    match run(&args) {
        Ok(exit) => exit.into(),
        Err(e) => cli::fatal(&e, Exit::Usage),
    }
}

fn load_normaliser(config: &Config) -> Result<Normaliser> {
    let section: NormaliserConfig = config.section("normaliser")?;
    match section.rules {
        None => Ok(Normaliser::builtin()),
        Some(path) => {
            let path = config.resolve(&path);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read rules file {}", path.display()))?;
            Normaliser::new(&text).with_context(|| format!("in rules file {}", path.display()))
        }
    }
}

fn run(args: &Args) -> Result<Exit> {
    let config = args.common.load_config()?;
    let normaliser = load_normaliser(&config)?;
    match &args.command {
        None => {
            let (corpus, _lock) = cli::open_locked(&args.common.corpus, false)?;
            let summary = normaliser::run(&corpus, &normaliser)?;
            eprintln!(
                "normaliser: {} normalised, {} unchanged, {} removed, {} failed{}",
                summary.normalised,
                summary.unchanged,
                summary.removed_stale,
                summary.failed,
                if summary.normalised + summary.removed_stale == 0 {
                    " (nothing to do)"
                } else {
                    ""
                }
            );
            Ok(Exit::from_failures(summary.failed))
        }
        Some(Command::Extract {
            format,
            out,
            max_page_bytes,
            files,
        }) => {
            if let Some(dir) = out {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let limits = html::Limits {
                max_bytes: *max_page_bytes,
                ..html::Limits::default()
            };
            let format = match format {
                Format::Text => files::Format::Text,
                Format::Json => files::Format::Json,
            };
            let summary = files::extract_files(&normaliser, files, format, out.as_deref(), &limits);
            if summary.failed > 0 {
                eprintln!(
                    "normaliser: {} extracted, {} failed",
                    summary.extracted, summary.failed
                );
            }
            Ok(Exit::from_failures(summary.failed))
        }
        Some(Command::Explain { id }) => {
            let id = ArticleId::new(id.as_str())?;
            let corpus = corpus::Corpus::open(&args.common.corpus)?;
            let raw = corpus.read_raw(&id)?;
            let doc = normaliser.normalise(&raw);
            println!("# {id}: kept {} blocks\n", doc.blocks.len());
            for b in &doc.blocks {
                println!("[{:?}] {}\n", b.kind, b.original_text());
            }
            println!("# removed {} pieces\n", doc.removed.len());
            for r in &doc.removed {
                println!("- {} : {}", r.rule, r.text);
            }
            Ok(Exit::Ok)
        }
    }
}
