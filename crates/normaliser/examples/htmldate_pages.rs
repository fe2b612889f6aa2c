//! The page toolkit's publication dates on htmldate's evaluation pages (github.com/adbar/
//! htmldate, `tests/`: `eval_default.json` and `eval_mediacloud_2020.json` name each page's
//! file and its true day), and what reading the metadata costs against the whole extraction
//! (which includes it: parsing the page, reading its metadata from the tree, finding its
//! text), each the fastest of three runs per page. Prints one JSON line per page (`file`, `set`, `truth`, `ours`,
//! `from`) and, to stderr, the exact-day score per set and the times.
//!
//! usage: cargo run --release -p normaliser --example htmldate_pages -- HTMLDATE_TESTS_DIR [NOW]
//!
//! The pages are read as bytes and decoded by `page::charset` (no address is given: htmldate
//! is run without one too). Pages whose true date is unknown (NaN) count as wrong, as in
//! htmldate's own evaluation. NOW (RFC 3339, default the present) bounds the dates believed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
struct Truth {
    file: String,
    date: Option<String>,
}

fn page_path(tests: &Path, file: &str) -> Option<PathBuf> {
    ["test_set", "cache", "eval"]
        .iter()
        .map(|d| tests.join(d).join(file))
        .find(|p| p.is_file())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let tests = PathBuf::from(args.next().expect("usage: htmldate_pages TESTS_DIR [NOW]"));
    let now: DateTime<Utc> = args
        .next()
        .map_or_else(Utc::now, |s| s.parse().expect("NOW is RFC 3339"));
    let mut scores: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut spent = Duration::ZERO;
    let mut extraction = Duration::ZERO;
    let mut seen = std::collections::HashSet::new();
    // Compile the patterns both steps build once per process (words of config/), so that
    // the times are per page.
    let warm = page::meta::Context {
        url: None,
        content_language: None,
        now,
    };
    let _ = normaliser::html::extract_in("<p>1 May 2020</p>", &Default::default(), &warm);
    for set in ["eval_default", "eval_mediacloud_2020"] {
        let text = std::fs::read_to_string(tests.join(format!("{set}.json"))).expect("eval json");
        // Python's JSON: a page without a true date says NaN (no one can be right on it).
        let text = text.replace(": NaN", ": null");
        let pages: BTreeMap<String, Truth> = serde_json::from_str(&text).expect("eval json");
        for truth in pages.values() {
            if !seen.insert(truth.file.clone()) {
                continue;
            }
            let Some(path) = page_path(&tests, &truth.file) else {
                continue;
            };
            let bytes = std::fs::read(path).expect("page");
            let html = page::charset::decode_html(&bytes, None, None).text;
            let cx = page::meta::Context {
                url: None,
                content_language: None,
                now,
            };
            // The metadata step: reading the parsed tree (the extraction parses it anyway).
            let doc = page::document::parse(&html, page::document::DEFAULT_MAX_DEPTH);
            let (m, took) = fastest(|| page::meta::read_parsed(&html, &doc.tree, &cx));
            spent += took;
            let (extracted, took) =
                fastest(|| normaliser::html::extract_in(&html, &Default::default(), &cx));
            extraction += took;
            assert_eq!(
                extracted.map(|p| p.meta).ok().as_ref(),
                Some(&m.meta),
                "one code path: {}",
                truth.file
            );
            let ours = m.meta.published.map(|t| t.date().to_string());
            let score = scores.entry(set).or_default();
            score.1 += 1;
            score.0 += usize::from(ours.is_some() && ours == truth.date);
            let row = serde_json::json!({"file": truth.file, "set": set, "truth": truth.date,
                "ours": ours, "from": m.published_from});
            println!("{row}");
        }
    }
    let (right, all) = scores
        .values()
        .fold((0, 0), |(r, a), (r2, a2)| (r + r2, a + a2));
    for (set, (r, a)) in &scores {
        eprintln!(
            "page toolkit, {set}: exact day {r}/{a} ({:.1}%)",
            pct(*r, *a)
        );
    }
    eprintln!(
        "page toolkit, all: exact day {right}/{all} ({:.1}%)",
        pct(right, all)
    );
    eprintln!(
        "metadata step {:.3}s ({:.2} ms a page), whole extraction {:.3}s: the metadata step is {:.1}% of extraction",
        spent.as_secs_f64(),
        spent.as_secs_f64() * 1000.0 / all.max(1) as f64,
        extraction.as_secs_f64(),
        100.0 * spent.as_secs_f64() / extraction.as_secs_f64()
    );
}

/// The result of a step and its fastest time of three runs (the machine's other work makes
/// single runs of a millisecond swing).
fn fastest<T>(step: impl Fn() -> T) -> (T, Duration) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..3 {
        let start = Instant::now();
        let result = step();
        best = best.min(start.elapsed());
        out = Some(result);
    }
    (out.expect("ran"), best)
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}
