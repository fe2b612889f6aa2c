//! The peers' own test suites, kept as data under tests/data/peers (each folder's SOURCE.md
//! says where it came from and under which licence).

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
