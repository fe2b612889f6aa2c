//! The peers' own test suites, kept as data under tests/data/peers (each folder's SOURCE.md
//! says where it came from and under which licence).

use std::collections::BTreeMap;
use std::path::PathBuf;

use fetcher::robots::Robots;
use serde::Deserialize;

fn peers() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/peers")
}

/// One question of Google's robots.txt tests: may `agent` fetch `url`?
#[derive(Deserialize)]
struct RobotsCase {
    test: String,
    group: String,
    robots: String,
    agent: String,
    url: String,
    allowed: bool,
}

/// Every RFC 9309 case and every Google-specific case (none contradicts the RFC).
#[test]
fn google_robotstxt_cases() {
    let text = std::fs::read_to_string(peers().join("robotstxt/cases.json")).unwrap();
    let cases: Vec<RobotsCase> = serde_json::from_str(&text).unwrap();
    let mut failed = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let answer = Robots::parse(&case.agent, case.robots.as_bytes()).allowed(&case.url);
        if answer != case.allowed {
            let url: String = case.url.chars().take(80).collect();
            failed.push(format!(
                "case {i} ({}, {}): {:?} may fetch {url:?}: {answer}, expected {}",
                case.group, case.test, case.agent, case.allowed
            ));
        }
    }
    for group in ["rfc", "google"] {
        let total = cases.iter().filter(|c| c.group == group).count();
        let bad = failed
            .iter()
            .filter(|f| f.contains(&format!("({group},")))
            .count();
        eprintln!("google/robotstxt {group} cases: {}/{total}", total - bad);
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// What feedparser's test says of one feed and what feedparser read in it.
#[derive(Deserialize)]
struct FeedCase {
    expect_bozo: Option<bool>,
    content_type: Option<String>,
    /// Where the test says the feed came from (its base), when it says so.
    content_location: Option<String>,
    feedparser: FeedparserRead,
}

#[derive(Deserialize)]
struct FeedparserRead {
    links: Vec<Option<String>>,
}

/// Figures over feedparser's test feeds.
#[derive(Debug, Default)]
struct FeedFigures {
    /// Feeds whose test expects them read without error ("not bozo").
    expected_ok: usize,
    /// Of those, the ones read without error.
    ok: usize,
    failed: Vec<String>,
    /// Any feed (bozo or not) whose reading panicked.
    panics: Vec<String>,
    /// Absolute http(s) links of entries feedparser read in the feeds expected to read.
    links: usize,
    links_found: usize,
    missed: Vec<String>,
}

type Read = std::thread::Result<Result<Vec<String>, String>>;

fn read_feed(bytes: &[u8], content_type: Option<&str>, location: Option<&str>) -> Read {
    let fetched_from = url::Url::parse("http://127.0.0.1/feed.xml").unwrap();
    let base = location
        .and_then(|l| fetched_from.join(l).ok())
        .unwrap_or(fetched_from);
    std::panic::catch_unwind(|| {
        fetcher::discover::parse_feed(bytes, content_type, &base)
            .map(|entries| entries.iter().map(|e| e.url.to_string()).collect())
            .map_err(|e| e.to_string())
    })
}

fn feed_figures() -> FeedFigures {
    let root = peers().join("feedparser");
    let text = std::fs::read_to_string(root.join("expected.json")).unwrap();
    let cases: BTreeMap<String, FeedCase> = serde_json::from_str(&text).unwrap();
    let mut f = FeedFigures::default();
    for (path, case) in &cases {
        let bytes = std::fs::read(root.join(path)).unwrap();
        let location = case.content_location.as_deref();
        let Ok(read) = read_feed(&bytes, case.content_type.as_deref(), location) else {
            f.panics.push(path.clone());
            continue;
        };
        if case.expect_bozo != Some(false) {
            continue;
        }
        f.expected_ok += 1;
        let ours = match read {
            Ok(urls) => {
                f.ok += 1;
                urls
            }
            Err(e) => {
                f.failed.push(format!("{path}: {e}"));
                Vec::new()
            }
        };
        for link in case.feedparser.links.iter().flatten() {
            // Fragments are never requested: compared without them.
            let Ok(mut theirs) = url::Url::parse(link) else {
                continue;
            };
            theirs.set_fragment(None);
            if !matches!(theirs.scheme(), "http" | "https") {
                continue;
            }
            f.links += 1;
            if ours.iter().any(|u| u == theirs.as_str()) {
                f.links_found += 1;
            } else {
                f.missed.push(format!("{path}: {theirs}"));
            }
        }
    }
    f
}

/// feedparser's test feeds: no panic on any; read without error where feedparser's tests
/// expect it (at least 97%); the entries' links feedparser finds found too (at least 95%).
#[test]
fn feedparser_feeds() {
    let f = feed_figures();
    eprintln!(
        "feedparser feeds: read without error {}/{} ({:.1}%), panics {}, entry links found {}/{}",
        f.ok,
        f.expected_ok,
        100.0 * f.ok as f64 / f.expected_ok as f64,
        f.panics.len(),
        f.links_found,
        f.links
    );
    for line in f.failed.iter().chain(&f.missed).chain(&f.panics) {
        eprintln!("  {line}");
    }
    assert!(f.panics.is_empty(), "panics: {:?}", f.panics);
    assert!(f.ok * 100 >= f.expected_ok * 97, "read without error");
    assert!(f.links_found * 100 >= f.links * 95, "entry links found");
}
