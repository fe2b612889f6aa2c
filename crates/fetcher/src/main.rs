use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;
use cli::{CommonArgs, Exit};
use fetcher::{FetchRequest, FetcherConfig, SourceConfig, SourceKind};

/// Discovers and downloads news articles into the corpus, politely and incrementally.
#[derive(Debug, Parser)]
#[command(version, about, long_about = None)]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    /// An RSS, Atom or JSON feed to read (repeatable).
    #[arg(long, value_name = "URL")]
    feed: Vec<String>,
    /// A news sitemap or sitemap index to read (repeatable).
    #[arg(long, value_name = "URL")]
    sitemap: Vec<String>,
    /// An article page to download (repeatable).
    #[arg(long, value_name = "URL")]
    url: Vec<String>,
    /// A `.txt`/`.html` file, or a folder of them, to import (repeatable). The file name
    /// without extension becomes the article id.
    #[arg(long, value_name = "PATH")]
    import: Vec<PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    args.common.init_logging();
    match run(&args) {
        Ok(exit) => exit.into(),
        Err(e) => cli::fatal(&e, Exit::Usage),
    }
}

fn run(args: &Args) -> Result<Exit> {
    let config = args.common.load_config()?;
    let fetcher_config: FetcherConfig = config.section("fetcher")?;
    let mut request = FetchRequest {
        sources: fetcher_config.sources,
        imports: args.import.clone(),
    };
    let ad_hoc = [
        (SourceKind::Feed, &args.feed),
        (SourceKind::Sitemap, &args.sitemap),
        (SourceKind::Url, &args.url),
    ];
    for (kind, urls) in ad_hoc {
        request.sources.extend(urls.iter().map(|url| SourceConfig {
            name: url.clone(),
            kind,
            url: url.clone(),
        }));
    }
    let (corpus, _lock) = cli::open_locked(&args.common.corpus, true)?;
    let summary = fetcher::run(&corpus, &request);
    eprintln!(
        "fetcher: {} new, {} updated, {} unchanged, {} failed",
        summary.new, summary.updated, summary.unchanged, summary.failed
    );
    Ok(Exit::from_failures(summary.failed))
}
