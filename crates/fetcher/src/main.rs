use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use cli::{CommonArgs, Exit};
use fetcher::{FetchRequest, FetcherConfig, Settings, SourceConfig, SourceKind};

/// Discovers and downloads news articles into the corpus, politely and incrementally.
///
/// Exit codes: 0 everything done; 1 some items failed (each logged; the rest were done);
/// 2 usage or config error, or another run holds the corpus lock.
#[derive(Debug, Parser)]
#[command(version, about, long_about)]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    /// An RSS, Atom or JSON feed to read (repeatable).
    #[arg(long, value_name = "URL")]
    feed: Vec<String>,
    /// A sitemap, news sitemap or sitemap index to read, `.xml.gz` too (repeatable).
    #[arg(long, value_name = "URL")]
    sitemap: Vec<String>,
    /// An article page to download (repeatable).
    #[arg(long, value_name = "URL")]
    url: Vec<String>,
    /// A `.txt`/`.html` file, or a folder of them, to import (repeatable). The file name
    /// without extension becomes the article id.
    #[arg(long, value_name = "PATH")]
    import: Vec<PathBuf>,
    /// A WARC file (gzip per record, or not compressed) to read (repeatable): writes each
    /// HTML or text response in it to stdout as a stream record (JSON Lines, for
    /// `normaliser stream`; id: file name and record offset) and touches no corpus.
    #[arg(long, value_name = "FILE", num_args = 1.., conflicts_with_all = ["feed", "sitemap", "url", "import"])]
    warc: Vec<PathBuf>,
    /// With --warc: refuse a record larger than this many bytes once decompressed.
    #[arg(long, value_name = "BYTES", default_value_t = fetcher::warc::DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: u64,
    /// The User-Agent sent with every request [config: user_agent].
    #[arg(long, value_name = "TEXT")]
    user_agent: Option<String>,
    /// Requests in flight to one host at once [config: host_concurrency; default 1].
    #[arg(long, value_name = "N")]
    host_concurrency: Option<usize>,
    /// Seconds between the starts of two requests to one host [config: host_delay; default 1.0].
    #[arg(long, value_name = "SECONDS")]
    host_delay: Option<f64>,
    /// Requests in flight across all hosts [config: max_connections; default 32].
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Seconds before an article already fetched is asked for again (conditionally)
    /// [config: revisit_after; default 3600].
    #[arg(long, value_name = "SECONDS")]
    revisit_after: Option<f64>,
    /// Stop starting requests after this many seconds; requests in flight finish and the
    /// summary is still written [config: max_runtime].
    #[arg(long, value_name = "SECONDS")]
    max_runtime: Option<f64>,
    /// Allow URLs found in feeds and sitemaps to reach private, loopback and link-local
    /// addresses [config: allow_private_networks].
    #[arg(long)]
    allow_private_networks: bool,
    /// Write the run's summary as JSON to this file.
    #[arg(long, value_name = "FILE")]
    summary_json: Option<PathBuf>,
}

/// `--warc`: WARC files to stream records on stdout.
fn read_warc(args: &Args) -> Result<Exit> {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    let s = match fetcher::warc::stream_files(&args.warc, args.max_record_bytes, out) {
        Ok(s) => s,
        // the reader has gone (`| head`): it has what it wanted
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Exit::Ok),
        Err(e) => {
            tracing::error!(error = %e, "cannot write to stdout");
            cli::say(&format!("error: cannot write to stdout: {e}"));
            return Ok(Exit::SomeFailed);
        }
    };
    cli::say(&format!(
        "fetcher: {} WARC files, {} articles, {} other records skipped, {} failed",
        s.files, s.articles, s.skipped, s.failed
    ));
    Ok(Exit::from_failures(s.failed))
}

fn main() -> ExitCode {
    cli::main(|args: &Args| &args.common, run)
}

fn run(args: &Args) -> Result<Exit> {
    if !args.warc.is_empty() {
        return read_warc(args);
    }
    let config = args.common.load_config()?;
    let mut section: FetcherConfig = config.section("fetcher")?;
    let overrides = [
        (&args.host_delay, &mut section.host_delay),
        (&args.revisit_after, &mut section.revisit_after),
        (&args.max_runtime, &mut section.max_runtime),
    ];
    for (flag, key) in overrides {
        if flag.is_some() {
            *key = *flag;
        }
    }
    section.host_concurrency = args.host_concurrency.or(section.host_concurrency);
    section.max_connections = args.max_connections.or(section.max_connections);
    section.user_agent = args.user_agent.clone().or(section.user_agent);
    if args.allow_private_networks {
        section.allow_private_networks = Some(true);
    }
    let settings = Settings::from_config(&section)?;

    let mut sources = std::mem::take(&mut section.sources);
    for source in &mut sources {
        let is_web = source.url.starts_with("http://") || source.url.starts_with("https://");
        if source.kind == SourceKind::List && !is_web {
            source.url = config
                .resolve(std::path::Path::new(&source.url))
                .display()
                .to_string();
        }
    }
    let ad_hoc = [
        (SourceKind::Feed, &args.feed),
        (SourceKind::Sitemap, &args.sitemap),
        (SourceKind::Url, &args.url),
    ];
    for (kind, urls) in ad_hoc {
        sources.extend(urls.iter().map(|url| SourceConfig::ad_hoc(kind, url)));
    }
    let request = FetchRequest {
        sources,
        imports: args.import.clone(),
        settings,
        progress: !args.common.quiet,
    };
    let (corpus, _lock) = cli::open_locked(&args.common.corpus, true)?;
    let summary = fetcher::run(&corpus, &request)?;
    cli::say(summary.render().trim_end());
    let mut failed = summary.failed();
    if let Some(path) = &args.summary_json {
        // The articles are stored: a summary that cannot be written is one more failure.
        let written = serde_json::to_vec_pretty(&summary)
            .context("cannot serialise the summary")
            .and_then(|json| {
                std::fs::write(path, json)
                    .with_context(|| format!("cannot write {}", path.display()))
            });
        if let Err(e) = written {
            tracing::warn!(error = format!("{e:#}"), "summary not written");
            cli::say(&format!("fetcher: {e:#}"));
            failed += 1;
        }
    }
    Ok(Exit::from_failures(failed))
}
