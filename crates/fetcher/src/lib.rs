//! The fetcher: brings articles into the corpus, from local files (`--import`) and from the
//! web (feeds, sitemaps, URL lists), and records what it saw so that the next run fetches only
//! what is new.

pub mod import;

use std::path::PathBuf;

use corpus::{Corpus, WriteOutcome};
use serde::Deserialize;
use tracing::{info, warn};

/// The `[fetcher]` section of `crosscheck.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetcherConfig {
    /// Sources fetched on every run.
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
}

/// One configured source.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    pub url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Feed,
    Sitemap,
    Url,
}

/// What one run is asked to do.
#[derive(Debug, Clone, Default)]
pub struct FetchRequest {
    pub sources: Vec<SourceConfig>,
    pub imports: Vec<PathBuf>,
}

/// What one run did, per outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct FetchSummary {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub failed: usize,
}

impl FetchSummary {
    fn record(&mut self, outcome: WriteOutcome) {
        match outcome {
            WriteOutcome::Created => self.new += 1,
            WriteOutcome::Updated => self.updated += 1,
            WriteOutcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// Runs the fetcher: every import path, then every source. A failing item is logged with its
/// name and counted; the others go on.
pub fn run(corpus: &Corpus, request: &FetchRequest) -> FetchSummary {
    let mut summary = FetchSummary::default();
    for root in &request.imports {
        let files = match import::expand_import_paths(root) {
            Ok(files) => files,
            Err(e) => {
                warn!(path = %root.display(), error = %e, "skipping import path");
                summary.failed += 1;
                continue;
            }
        };
        for path in files {
            match import::import_file(corpus, &path) {
                Ok((id, outcome)) => {
                    info!(path = %path.display(), id = %id, outcome = ?outcome, "imported");
                    summary.record(outcome);
                }
                Err(e) => {
                    warn!(path = %path.display(), error = %e, "skipping file");
                    summary.failed += 1;
                }
            }
        }
    }
    for source in &request.sources {
        warn!(source = %source.name, url = %source.url, "web sources are not fetched by this build yet");
        summary.failed += 1;
    }
    summary
}
