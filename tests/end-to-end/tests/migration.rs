//! Issue 16, item D: a corpus made before the store is upgraded in place by its first run,
//! and a run killed (SIGKILL) at any moment leaves the store as before or as after it.
//!
//! `tests/data/migration/seeds-before-store/` is the shipped seed corpus as the normaliser and
//! the analyser of main before the store made it (commit 7b006ec, `SOURCE_DATE_EPOCH`
//! 1700000000): flat `raw/`, `normalised/` and `claims/` folders, the state in JSON files
//! (`state/normaliser.json`, `state/analyser-index-NN.json`, `state/analyser-changes.json`)
//! and the report of a file per event.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use corpus::faults;
use end_to_end::{binary, copy_dir, workspace};

/// Every report in these tests is dated as the fixture's.
const EPOCH: &str = "1700000000";

fn fixture() -> PathBuf {
    workspace().join("tests/data/migration/seeds-before-store")
}

fn command(stage: &str, corpus: &Path) -> Command {
    let mut command = Command::new(binary(stage));
    command
        .arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(workspace().join("config/crosscheck.toml"))
        .arg("-q")
        .env("SOURCE_DATE_EPOCH", EPOCH);
    command
}

/// Runs a stage to its end; it must succeed.
fn stage(name: &str, corpus: &Path) {
    let out = command(name, corpus).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The corpus's files and store rows (without file stamps), as the fault tests compare them.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    faults::snapshot(root)
}

/// The store's rows alone (without file stamps); none when there is no store yet.
fn rows(root: &Path) -> BTreeMap<String, String> {
    let mut rows = snapshot(root);
    rows.retain(|k, _| k.starts_with(corpus::STORE_FILE));
    rows
}

/// The state files of before the store that are left.
fn state_files(root: &Path) -> Vec<String> {
    match std::fs::read_dir(root.join("state")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// A day after the fixture's runs.
const LATER: &str = "1700086400";

/// Runs a stage to its end, dated `epoch`, its log at the info level; returns its stderr.
fn stage_at(name: &str, corpus: &Path, epoch: &str) -> String {
    let out = command(name, corpus)
        .env("SOURCE_DATE_EPOCH", epoch)
        .args(["--log-format", "json"])
        .env("RUST_LOG", "info")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(0), "{name}: {err}");
    err
}

/// The rows of some tables of the store, and the records (the derived files).
fn derived(root: &Path) -> BTreeMap<String, String> {
    let mut found = snapshot(root);
    found.retain(|k, _| {
        [
            "normalised/",
            "claims/",
            "store.sqlite/normaliser/",
            "store.sqlite/analyser/",
        ]
        .iter()
        .any(|p| k.starts_with(p))
    });
    found
}

#[test]
fn a_corpus_made_before_the_store_is_upgraded_in_place() {
    let old = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), old.path());
    assert!(old.path().join("state/normaliser.json").is_file());
    assert!(old.path().join("state/analyser-changes.json").is_file());
    let log = stage_at("normaliser", old.path(), LATER);
    assert!(
        log.contains("normaliser state moved into the store"),
        "{log}"
    );
    let log = stage_at("analyser", old.path(), LATER);
    assert!(log.contains("analyser state moved into the store"), "{log}");
    assert_eq!(state_files(old.path()), Vec::<String>::new(), "moved");
    // The change log's history came along: the fixture's run is in it.
    let store = corpus::Corpus::open(old.path()).unwrap().store().unwrap();
    let head: serde_json::Value = store
        .get(corpus::Table::State, "analyser-changes")
        .unwrap()
        .unwrap();
    let runs: Vec<&str> = head["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["at"].as_str().unwrap())
        .collect();
    assert!(runs.contains(&"2023-11-14T22:13:20Z"), "{runs:?}");
    assert_eq!(store.count(corpus::Table::Normaliser).unwrap(), 5);
    assert_eq!(store.count(corpus::Table::Analyser).unwrap(), 5);
    assert!(store.count(corpus::Table::Events).unwrap() > 0);
    drop(store);
    // The records and the index are the ones this version makes from the articles alone.
    let fresh = tempfile::tempdir().unwrap();
    copy_dir(&fixture().join("raw"), &fresh.path().join("raw"));
    stage_at("normaliser", fresh.path(), LATER);
    stage_at("analyser", fresh.path(), LATER);
    assert_eq!(derived(old.path()), derived(fresh.path()));
    // And the report is made again only when something changes: an idle run writes nothing.
    let report = snapshot(old.path());
    stage_at("normaliser", old.path(), LATER);
    stage_at("analyser", old.path(), LATER);
    assert_eq!(snapshot(old.path()), report);
}

/// `rows` with the rows of `table` taken from `other` (the state after a transaction that
/// wrote only that table).
fn with_table(
    rows: &BTreeMap<String, String>,
    other: &BTreeMap<String, String>,
    table: &str,
) -> BTreeMap<String, String> {
    let prefix = format!("{}/{table}/", corpus::STORE_FILE);
    let mut mixed: BTreeMap<String, String> = rows
        .iter()
        .filter(|(k, _)| !k.starts_with(&prefix))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    mixed.extend(
        other
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    mixed
}

/// The store's rows at each commit point of a stage's run on `start` (a corpus made before
/// the store): before it, after its migration's transaction, (the analyser) after its index
/// transaction, and after the run.
fn commit_points(
    name: &str,
    start: &Path,
    after: &BTreeMap<String, String>,
) -> Vec<BTreeMap<String, String>> {
    let before = rows(start);
    let migrated = tempfile::tempdir().unwrap();
    copy_dir(start, migrated.path());
    {
        let corpus = corpus::Corpus::open(migrated.path()).unwrap();
        let mut store = corpus.store().unwrap();
        if name == "normaliser" {
            normaliser::run::migrate(&corpus, &mut store).unwrap();
        } else {
            analyser::rows::migrate(&corpus, &mut store, chrono::Utc::now()).unwrap();
        }
    }
    let migrated = rows(migrated.path());
    let indexed = with_table(&migrated, after, "analyser");
    vec![before, migrated, indexed, after.clone()]
}

/// Starts a stage and waits until it has opened the store (its write-ahead log appears) or
/// ended.
fn spawn_until_store(name: &str, corpus: &Path) -> std::process::Child {
    let mut child = command(name, corpus).spawn().unwrap();
    let wal = corpus.join(format!("{}-wal", corpus::STORE_FILE));
    while !wal.exists() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    child
}

/// Each stage, killed at moments spread over its work on the corpus of before the store
/// (from its opening the store: the migration, then the run): the store holds the rows of
/// one of the run's commit points (file stamps aside), never a mix of two, and the next run
/// makes what an uninterrupted run makes. (`just kill-loop` kills at many more moments.)
#[test]
fn a_killed_run_leaves_the_store_as_before_or_after() {
    for name in ["normaliser", "analyser"] {
        let start = tempfile::tempdir().unwrap();
        copy_dir(&fixture(), start.path());
        if name == "analyser" {
            stage("normaliser", start.path());
        }
        let expected = tempfile::tempdir().unwrap();
        copy_dir(start.path(), expected.path());
        let mut child = spawn_until_store(name, expected.path());
        let t0 = Instant::now();
        assert!(child.wait().unwrap().success(), "{name}");
        let took = t0.elapsed();
        let points = commit_points(name, start.path(), &rows(expected.path()));
        assert_ne!(points[0], points[3], "{name}: the run changes the store");
        let reference = snapshot(expected.path());
        let mut seen = std::collections::BTreeSet::new();
        for fraction in [0.1, 0.45, 0.9] {
            let got = tempfile::tempdir().unwrap();
            copy_dir(start.path(), got.path());
            let mut child = spawn_until_store(name, got.path());
            let at = took.mul_f64(fraction);
            std::thread::sleep(at);
            let _ = child.kill();
            let _ = child.wait();
            let found = rows(got.path());
            let point = points.iter().position(|p| *p == found);
            eprintln!("{name} killed {at:?} after opening the store: at commit point {point:?}");
            assert!(
                point.is_some(),
                "{name}, killed {at:?} after opening the store: the rows of no commit point: {:?}",
                found.keys().collect::<Vec<_>>()
            );
            seen.extend(point);
            stage(name, got.path());
            assert_eq!(
                snapshot(got.path()),
                reference,
                "{name}, killed after {at:?}"
            );
        }
        eprintln!("{name}: commit points seen {seen:?}");
    }
}
