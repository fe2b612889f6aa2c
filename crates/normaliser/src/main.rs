use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use cli::{CommonArgs, Config, Exit};
use corpus::ArticleId;
use normaliser::{Normaliser, NormaliserConfig};
use tracing::warn;

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
    Extract {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Write `DIR/<file stem>.txt` (or `.json`) per input instead of printing.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
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
        Some(Command::Extract { format, out, files }) => {
            extract_files(&normaliser, *format, out.as_deref(), files)
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

fn extract_files(
    normaliser: &Normaliser,
    format: Format,
    out: Option<&Path>,
    files: &[PathBuf],
) -> Result<Exit> {
    if let Some(dir) = out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut failed = 0;
    for file in files {
        let result = (|| -> Result<()> {
            let bytes =
                std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            let html = String::from_utf8_lossy(&bytes);
            let extracted = normaliser.extract_html(&html);
            let rendered = match format {
                Format::Text => extracted.text() + "\n",
                Format::Json => {
                    serde_json::to_string_pretty(&serde_json::json!({
                        "file": file.display().to_string(),
                        "meta": extracted.meta,
                        "text": extracted.text(),
                        "blocks": extracted.blocks,
                        "removed": extracted.removed,
                    }))? + "\n"
                }
            };
            match out {
                None => print!("{rendered}"),
                Some(dir) => {
                    let stem = file
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let ext = if format == Format::Json {
                        "json"
                    } else {
                        "txt"
                    };
                    let target = dir.join(format!("{stem}.{ext}"));
                    std::fs::write(&target, rendered)
                        .with_context(|| format!("cannot write {}", target.display()))?;
                }
            }
            Ok(())
        })();
        if let Err(e) = result {
            warn!(file = %file.display(), error = format!("{e:#}"), "skipping file");
            failed += 1;
        }
    }
    Ok(Exit::from_failures(failed))
}
