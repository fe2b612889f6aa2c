//! The real-sentence benchmark's development part must stay at or above its floor
//! (`tests/data/quality-floors.toml`, `[sentences]`). Runs the `sentence_bench` example,
//! which `cargo test` builds beside the tests.

use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join("examples").join("sentence_bench");
    assert!(
        path.is_file(),
        "{} is missing: `cargo test` builds it",
        path.display()
    );
    path
}

fn floor(key: &str) -> f64 {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/quality-floors.toml");
    let floors: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    floors["sentences"][key].as_float().unwrap()
}

/// `name=0.123` in the benchmark's summary line.
fn figure(line: &str, name: &str) -> f64 {
    let at = line.find(&format!("{name}=")).unwrap() + name.len() + 1;
    line[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_development_sentences_reach_their_floor() {
    let out = Command::new(example())
        .args(["--part", "dev"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8(out.stdout).unwrap();
    let line = report
        .lines()
        .find(|l| l.starts_with("dev claims:"))
        .unwrap_or_else(|| panic!("no summary in:\n{report}"));
    let (p, f1) = (figure(line, "P"), figure(line, "F1"));
    assert!(
        p >= floor("precision"),
        "precision {p:.3} below its floor: {line}"
    );
    assert!(f1 >= floor("f1"), "F1 {f1:.3} below its floor: {line}");
    assert!(
        !report.contains("== held"),
        "the held-aside third is not read here"
    );
}
