//! Quality floors: each development set of `tests/data/quality-floors.toml` is imported,
//! normalised and analysed by the binaries as a user would, scored by
//! `../shared/tools/score_claims.py`, and must reach its floors. Needs `python3` and
//! `../shared` beside the repository (CI has both); without them the test fails.

use std::process::Command;

use end_to_end::{copy_dir, run, workspace};

/// One scored figure of score_claims.py's output: `label: P=.. R=.. F1=..`.
fn f1_of(report: &str, label: &str) -> f64 {
    let line = report
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{report}"));
    let f1 = line.rsplit("F1=").next().unwrap();
    f1.trim()
        .parse()
        .unwrap_or_else(|_| panic!("F1 of {line:?}"))
}

fn score(set: &str, spec: &toml::Value) -> String {
    let root = workspace();
    let field = |k: &str| {
        spec.get(k)
            .and_then(toml::Value::as_str)
            .unwrap()
            .to_string()
    };
    let corpus = tempfile::tempdir().unwrap();
    let import = root.join(field("import"));
    if import.ends_with("raw") {
        copy_dir(&import, &corpus.path().join("raw"));
    } else {
        let out = run(
            "fetcher",
            corpus.path(),
            &["--import", import.to_str().unwrap(), "-q"],
        );
        assert_eq!(out.status.code(), Some(0), "{set}: fetcher failed");
    }
    let out = run("normaliser", corpus.path(), &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{set}: normaliser failed");
    let out = run(
        "analyser",
        corpus.path(),
        &["claims", "--format", "jsonl", "-q"],
    );
    assert_eq!(out.status.code(), Some(0), "{set}: analyser failed");
    let claims = corpus.path().join("claims.jsonl");
    std::fs::write(&claims, &out.stdout).unwrap();
    let scorer = root.join("../shared/tools/score_claims.py");
    assert!(
        scorer.is_file(),
        "{} is missing: ../shared must be beside the repository",
        scorer.display()
    );
    let out = Command::new("python3")
        .arg(&scorer)
        .arg(root.join(field("gold")))
        .arg(&claims)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{set}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_development_set_reaches_its_floors() {
    let path = workspace().join("tests/data/quality-floors.toml");
    let floors: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let sets = floors.get("sets").and_then(toml::Value::as_table).unwrap();
    assert!(sets.len() >= 5, "the seeds and four dev sets");
    let mut below = Vec::new();
    for (set, spec) in sets {
        let report = score(set, spec);
        for (label, key) in [("claims:", "claims"), ("event grouping", "events")] {
            let floor = spec.get(key).and_then(toml::Value::as_float).unwrap();
            let got = f1_of(&report, label);
            eprintln!("{set}: {key} F1 {got:.3} (floor {floor:.3})");
            if got + 1e-9 < floor {
                below.push(format!(
                    "{set}: {key} F1 {got:.3} below its floor {floor:.3}"
                ));
            }
        }
    }
    assert!(below.is_empty(), "{}", below.join("\n"));
}

#[test]
fn a_score_line_is_read() {
    let report =
        "event grouping (pairwise): P=0.920 R=0.999 F1=0.958\nclaims: P=0.981 R=0.963 F1=0.972\n";
    assert_eq!(f1_of(report, "claims:"), 0.972);
    assert_eq!(f1_of(report, "event grouping"), 0.958);
}
