//! The fetcher: brings articles into the corpus, from local files (`--import`) and from the
//! web (feeds, sitemaps, robots.txt sitemaps, URL lists, single pages), politely and
//! incrementally, and records what it saw so that the next run fetches only what is new.
//!
//! Modules: [`config`] (settings and their defaults), [`discover`] (feeds, sitemaps, lists),
//! [`feed`] (the feed reader),
//! [`http`] (the only network code: manners, retries, caps), [`robots`] (robots.txt rules),
//! [`urls`] (identity and address rules),
//! [`state`] (what is remembered between runs), [`summary`] (what a run did), and `crawl`,
//! which ties them together. Decoding a page and reading its metadata (title, dates, ...)
//! is the page toolkit's (`crates/page`), which the normaliser uses too.

pub mod config;
mod crawl;
pub mod discover;
pub mod feed;
pub mod http;
pub mod import;
pub mod robots;
pub mod state;
pub mod summary;
pub mod urls;
pub mod warc;

use std::path::PathBuf;

pub use config::{FetcherConfig, Settings, SourceConfig, SourceKind};
use corpus::{Corpus, WriteOutcome};
pub use crawl::MAX_DEFERRED_ATTEMPTS;
pub use summary::{FetchSummary, Status};
use tracing::{info, warn};

/// What one run is asked to do.
#[derive(Debug, Clone, Default)]
pub struct FetchRequest {
    pub sources: Vec<SourceConfig>,
    pub imports: Vec<PathBuf>,
    pub settings: Settings,
    /// Show a progress bar (only ever drawn when stderr is a terminal).
    pub progress: bool,
}

/// Threads that decode, parse and store pages (and save the state). Each thread that
/// allocates may get its own malloc arena, so a few keep memory flat while the disk's fsyncs
/// still overlap.
pub const STORE_THREADS: usize = 8;

/// The summary label of imported files.
pub const IMPORT_HOST: &str = "(import)";

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot start the async runtime: {0}")]
    Runtime(#[from] std::io::Error),
    #[error("cannot set up the HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// Runs the fetcher: every import path, then every web source and every deferred URL that is
/// due. A failing item is logged with its name and counted; the others go on.
pub fn run(corpus: &Corpus, request: &FetchRequest) -> Result<FetchSummary, RunError> {
    let imported = import_all(corpus, &request.imports, request.settings.max_body_bytes);
    let has_web_work =
        !request.sources.is_empty() || crawl::has_due_deferrals(corpus, chrono::Utc::now());
    if !has_web_work {
        return Ok(imported);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(STORE_THREADS)
        .build()?;
    let web = runtime.block_on(fetch_web(corpus, request))?;
    Ok(merge(imported, web))
}

/// The web part of a run, for callers that already have a runtime.
pub async fn fetch_web(corpus: &Corpus, request: &FetchRequest) -> Result<FetchSummary, RunError> {
    Ok(crawl::crawl(
        corpus,
        request.settings.clone(),
        &request.sources,
        request.progress,
    )
    .await?)
}

fn merge(mut a: FetchSummary, b: FetchSummary) -> FetchSummary {
    for (status, n) in b.totals {
        *a.totals.entry(status).or_default() += n;
    }
    for (host, counts) in b.hosts {
        let mine = a.hosts.entry(host).or_default();
        for (status, n) in counts {
            *mine.entry(status).or_default() += n;
        }
    }
    for (reason, n) in b.failure_reasons {
        *a.failure_reasons.entry(reason).or_default() += n;
    }
    a.failures.extend(b.failures);
    a.deferred.extend(b.deferred);
    a.sources.extend(b.sources);
    a.elapsed_seconds += b.elapsed_seconds;
    a.stopped_early |= b.stopped_early;
    a
}

fn import_all(corpus: &Corpus, roots: &[PathBuf], max_bytes: u64) -> FetchSummary {
    let started = std::time::Instant::now();
    let mut summary = FetchSummary::default();
    for root in roots {
        let files = match import::expand_import_paths(root) {
            Ok(files) => files,
            Err(e) => {
                warn!(path = %root.display(), error = %e, "skipping import path");
                summary.fail(
                    IMPORT_HOST,
                    &root.display().to_string(),
                    "import",
                    e.to_string(),
                );
                continue;
            }
        };
        for path in files {
            match import::import_file(corpus, &path, max_bytes) {
                Ok((id, outcome)) => {
                    info!(path = %path.display(), id = %id, outcome = ?outcome, "imported");
                    let status = match outcome {
                        WriteOutcome::Created => Status::New,
                        WriteOutcome::Updated => Status::Updated,
                        WriteOutcome::Unchanged => Status::Unchanged,
                    };
                    summary.record(IMPORT_HOST, status);
                }
                Err(e) => {
                    warn!(path = %path.display(), error = %e, "skipping file");
                    summary.fail(
                        IMPORT_HOST,
                        &path.display().to_string(),
                        "import",
                        e.to_string(),
                    );
                }
            }
        }
    }
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    summary
}
