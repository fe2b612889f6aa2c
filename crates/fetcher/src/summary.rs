//! What one run did: counts per status and per host, failures with their reasons, and each
//! source's discovery. Printed on stderr at the end and written as JSON with `--summary-json`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// What became of one URL (or imported file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// A new article was stored.
    New,
    /// A known article's body changed: a new version was stored, the old one kept.
    Updated,
    /// Fetched in full; the body was the one already stored.
    Unchanged,
    /// 304 Not Modified: nothing was downloaded or written.
    NotModified,
    /// Another URL of this run already gave the same article.
    Duplicate,
    /// Fetched recently; not asked for again this run.
    Fresh,
    /// The response was not HTML.
    NotHtml,
    /// robots.txt disallows the URL for our agent.
    Robots,
    /// A discovered URL resolving to a private, loopback or link-local address.
    Refused,
    /// Put off to a later run (a long `Retry-After`, robots.txt unavailable, rate limited).
    Deferred,
    /// Not started: `--max-runtime` was reached.
    OutOfTime,
    /// Failed (404, 410, 5xx after retries, timeout, too large, redirect loop, ...).
    Failed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::NotModified => "not_modified",
            Status::Duplicate => "duplicate",
            Status::Fresh => "fresh",
            Status::NotHtml => "not_html",
            Status::Robots => "robots",
            Status::Refused => "refused",
            Status::Deferred => "deferred",
            Status::OutOfTime => "out_of_time",
            Status::Failed => "failed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub item: String,
    pub reason: String,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceReport {
    pub name: String,
    /// `ok`, `not_modified`, `failed`, `backing_off`
    pub status: String,
    /// Article URLs the source listed (after its keyword filter and limit).
    pub entries: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Counts of one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FetchSummary {
    pub totals: BTreeMap<Status, usize>,
    pub hosts: BTreeMap<String, BTreeMap<Status, usize>>,
    /// Failed items by reason (`http_404`, `timeout`, ...).
    pub failure_reasons: BTreeMap<String, usize>,
    pub failures: Vec<Failure>,
    pub deferred: Vec<Failure>,
    pub sources: Vec<SourceReport>,
    pub elapsed_seconds: f64,
    pub stopped_early: bool,
}

/// How many failures are listed one by one in the text summary.
const LISTED_FAILURES: usize = 20;

impl FetchSummary {
    pub fn count(&self, status: Status) -> usize {
        self.totals.get(&status).copied().unwrap_or(0)
    }

    pub fn record(&mut self, host: &str, status: Status) {
        *self.totals.entry(status).or_default() += 1;
        *self
            .hosts
            .entry(host.to_string())
            .or_default()
            .entry(status)
            .or_default() += 1;
    }

    pub fn fail(&mut self, host: &str, item: &str, reason: &str, error: String) {
        self.record(host, Status::Failed);
        *self.failure_reasons.entry(reason.to_string()).or_default() += 1;
        self.failures.push(Failure {
            item: item.to_string(),
            reason: reason.to_string(),
            error,
        });
    }

    pub fn defer(&mut self, host: &str, item: &str, reason: &str, error: String) {
        self.record(host, Status::Deferred);
        self.deferred.push(Failure {
            item: item.to_string(),
            reason: reason.to_string(),
            error,
        });
    }

    /// Items that failed, articles and sources alike: non-zero means exit code 1.
    pub fn failed(&self) -> usize {
        self.count(Status::Failed) + self.sources.iter().filter(|s| s.status == "failed").count()
    }

    /// The text printed on stderr at the end of a run.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let line = |counts: &BTreeMap<Status, usize>| {
            counts
                .iter()
                .map(|(s, n)| format!("{n} {}", s.name()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let totals = if self.totals.is_empty() {
            "nothing to do".to_string()
        } else {
            line(&self.totals)
        };
        let _ = writeln!(
            out,
            "fetcher: {totals} ({:.1}s{})",
            self.elapsed_seconds,
            if self.stopped_early {
                ", stopped at --max-runtime"
            } else {
                ""
            }
        );
        for s in &self.sources {
            let _ = writeln!(
                out,
                "  source {}: {} ({} entries){}",
                s.name,
                s.status,
                s.entries,
                s.error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            );
        }
        for (host, counts) in &self.hosts {
            let _ = writeln!(out, "  host {host}: {}", line(counts));
        }
        if !self.failure_reasons.is_empty() {
            let reasons: Vec<String> = self
                .failure_reasons
                .iter()
                .map(|(r, n)| format!("{n} {r}"))
                .collect();
            let _ = writeln!(out, "  failed by reason: {}", reasons.join(", "));
        }
        for f in self.failures.iter().take(LISTED_FAILURES) {
            let _ = writeln!(out, "  failed: {}", f.error);
        }
        if self.failures.len() > LISTED_FAILURES {
            let _ = writeln!(
                out,
                "  ... and {} more failures (see --summary-json)",
                self.failures.len() - LISTED_FAILURES
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_totals_hosts_and_failures() {
        let mut s = FetchSummary::default();
        s.record("example.com", Status::New);
        s.record("example.com", Status::New);
        s.record("other.org", Status::NotModified);
        s.fail(
            "other.org",
            "https://other.org/x",
            "http_404",
            "https://other.org/x: HTTP 404".into(),
        );
        s.elapsed_seconds = 1.25;
        expect_test::expect![[r#"
            fetcher: 2 new, 1 not_modified, 1 failed (1.2s)
              host example.com: 2 new
              host other.org: 1 not_modified, 1 failed
              failed by reason: 1 http_404
              failed: https://other.org/x: HTTP 404
        "#]]
        .assert_eq(&s.render());
        assert_eq!(s.failed(), 1);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["totals"]["new"], 2);
        assert_eq!(json["hosts"]["other.org"]["failed"], 1);
    }
}
