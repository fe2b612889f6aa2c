//! What the fetcher remembers between runs, kept in the corpus as `state/fetcher.json`: the
//! URLs it has fetched (article id, validators, when), feed GUIDs, validators of feeds and
//! sitemaps, URLs deferred to a later run, and the health of each source.
//!
//! The state is saved only after the articles it describes are stored, so a crash loses at
//! most some bookkeeping: the next run asks for those URLs again and finds them unchanged.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use corpus::{ArticleId, ArticleMeta, FeedEntry};
use serde::{Deserialize, Serialize};

use crate::http::Validators;

/// The name of the state record in the corpus.
pub const STATE_NAME: &str = "fetcher";
pub const STATE_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FetchState {
    #[serde(default)]
    pub schema: u32,
    /// Article URLs by identity (`urls::identity`: tracking parameters removed).
    #[serde(default)]
    pub urls: BTreeMap<String, UrlState>,
    /// Article ids by feed GUID (`<feed host> <guid>`).
    #[serde(default)]
    pub guids: BTreeMap<String, ArticleId>,
    /// Validators of feeds, sitemaps and lists by URL.
    #[serde(default)]
    pub documents: BTreeMap<String, Validators>,
    /// URLs to try again in a later run, with what discovery knew about them.
    #[serde(default)]
    pub deferred: BTreeMap<String, Deferred>,
    /// Source health by source name.
    #[serde(default)]
    pub sources: BTreeMap<String, SourceHealth>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UrlState {
    /// The article this URL leads to (absent when it never gave one: 404, not HTML, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ArticleId>,
    #[serde(default, skip_serializing_if = "Validators::is_empty")]
    pub validators: Validators,
    pub checked_at: DateTime<Utc>,
    /// The last HTTP status when it was an error that is not retried (404, 410).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deferred {
    pub not_before: DateTime<Utc>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default)]
    pub discovered: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_entry: Option<FeedEntry>,
    #[serde(default)]
    pub hint: ArticleMeta,
    /// Runs that have already tried this URL and failed.
    #[serde(default)]
    pub attempts: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub consecutive_failures: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

impl SourceHealth {
    /// Records a failure and schedules the next attempt: `base * 2^(failures-1)`, capped.
    pub fn failed(&mut self, error: String, now: DateTime<Utc>, base: Duration, max: Duration) {
        self.consecutive_failures += 1;
        let factor = 2u32.saturating_pow(self.consecutive_failures.saturating_sub(1).min(30));
        let wait = base.saturating_mul(factor).min(max);
        self.next_attempt =
            Some(now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX));
        self.last_error = Some(error);
    }

    pub fn backing_off(&self, now: DateTime<Utc>) -> bool {
        self.next_attempt.is_some_and(|t| now < t)
    }
}

/// The key a feed GUID is remembered by: GUIDs are only unique within their feed's site.
pub fn guid_key(feed_url: &str, guid: &str) -> String {
    let host = url::Url::parse(feed_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    format!("{host} {guid}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_backoff_doubles_and_caps() {
        let now = Utc::now();
        let mut h = SourceHealth::default();
        let base = Duration::from_secs(60);
        let max = Duration::from_secs(300);
        let mut waits = Vec::new();
        for _ in 0..5 {
            h.failed("x".into(), now, base, max);
            waits.push((h.next_attempt.unwrap() - now).num_seconds());
        }
        assert_eq!(waits, [60, 120, 240, 300, 300]);
        assert!(h.backing_off(now));
        assert!(!h.backing_off(now + chrono::Duration::seconds(301)));
    }

    #[test]
    fn old_state_files_load_with_defaults() {
        let s: FetchState = serde_json::from_str(r#"{"schema":1}"#).unwrap();
        assert!(s.urls.is_empty());
        assert_eq!(
            guid_key("https://www.example.com/rss", "g1"),
            "www.example.com g1"
        );
    }
}
