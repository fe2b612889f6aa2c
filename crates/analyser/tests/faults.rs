//! The analyser's commit points (ARCHITECTURE.md, "Commit points"), proved by failing its
//! writes: a run killed before any one of its writes, a write that fails once, or a disk that
//! fills up, and then a run as the binary starts it (temp files removed) must leave the claims,
//! the report and the change log as one uninterrupted run does, byte for byte (state records
//! apart from file stamps and the hashes made of them). Every run is dated alike.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use analyser::{Analyser, Rules};
use chrono::{DateTime, Utc};
use corpus::faults::{self, Fault};
use corpus::{ArticleId, Corpus, Origin, PubTime, RawArticle, RawFormat};
use normaliser::Normaliser;

static ANALYSER: LazyLock<Analyser> = LazyLock::new(Analyser::builtin);
static NORMALISER: LazyLock<Normaliser> = LazyLock::new(Normaliser::builtin);

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

fn add(corpus: &Corpus, id: &str, date: &str, text: &str) {
    let mut raw = RawArticle::new(
        ArticleId::new(id).unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        text.to_string(),
    );
    raw.meta.published = PubTime::parse(date);
    corpus.write_raw(&raw).unwrap();
}

fn analyse(corpus: &Corpus, now: &str) -> analyser::RunSummary {
    analyser::run_at(
        corpus,
        &ANALYSER,
        &Rules::builtin(),
        Instant::now(),
        at(now),
    )
    .unwrap()
}

/// A corpus analysed once, then changed and normalised: an article's figure revised, one
/// removed, one added, so that the next analyser run extracts, removes, regroups, reports
/// and logs.
fn corpus_with_work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    add(
        &corpus,
        "a1",
        "2024-03-01",
        "Twelve people were killed in the blast.\n",
    );
    add(
        &corpus,
        "a2",
        "2024-03-02",
        "At least 15 people were killed in the blast.\n",
    );
    add(
        &corpus,
        "a3",
        "2024-03-02",
        "The blast killed 15 people and injured 40.\n",
    );
    add(
        &corpus,
        "b1",
        "2024-05-10",
        "Floods forced 2,000 people from their homes.\n",
    );
    normaliser::run(&corpus, &NORMALISER).unwrap();
    assert_eq!(analyse(&corpus, "2024-03-03T10:00:00Z").failed, 0);
    add(
        &corpus,
        "a2",
        "2024-03-02",
        "At least 17 people were killed in the blast.\n",
    );
    std::fs::remove_file(corpus.raw_path(&ArticleId::new("a3").unwrap())).unwrap();
    add(
        &corpus,
        "a4",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast.\n",
    );
    normaliser::run(&corpus, &NORMALISER).unwrap();
    dir
}

const LATER: &str = "2024-03-04T10:00:00Z";

type Files = std::collections::BTreeMap<String, String>;

/// The corpus after `fault` struck a run on a copy of `work`, and a run (as the binary starts
/// it) after it; and how many failures the struck run counted.
fn after(work: &Path, fault: Fault) -> (Files, usize) {
    let copy = tempfile::tempdir().unwrap();
    faults::copy_tree(work, copy.path());
    let corpus = Corpus::open(copy.path()).unwrap();
    let failed = {
        let _armed = faults::arm(copy.path(), fault);
        analyse(&corpus, LATER).failed
    };
    let lock = corpus.lock().unwrap();
    corpus.remove_temp_files(&lock).unwrap();
    drop(lock);
    let next = analyse(&corpus, LATER);
    assert_eq!(next.failed, 0, "{fault:?}: {next:?}");
    (faults::snapshot(copy.path()), failed)
}

#[test]
fn a_run_killed_or_failing_at_any_write_is_finished_by_the_next() {
    let work = corpus_with_work();
    let (reference, _) = after(work.path(), Fault::Count);
    let points = {
        let copy = tempfile::tempdir().unwrap();
        faults::copy_tree(work.path(), copy.path());
        let armed = faults::arm(copy.path(), Fault::Count);
        analyse(&Corpus::open(copy.path()).unwrap(), LATER);
        armed.points()
    };
    assert!(points >= 6, "claims, index, report, log: {points}");
    for point in 0..=points {
        for fault in [Fault::KillAt(point), Fault::FailAt(point)] {
            let (files, failed) = after(work.path(), fault);
            assert_eq!(files, reference, "{fault:?}");
            assert_eq!(failed > 0, point < points, "{fault:?}: the fault struck");
        }
    }
}

#[test]
fn a_run_on_a_full_disk_is_finished_once_there_is_room() {
    let work = corpus_with_work();
    let (reference, _) = after(work.path(), Fault::Count);
    let mut struck = 0;
    for budget in [0, 1, 1_000, 4_000, 8_000, 16_000, 32_000, 64_000] {
        let fault = Fault::DiskFullAfter(budget);
        let (files, failed) = after(work.path(), fault);
        assert_eq!(files, reference, "{fault:?}");
        struck += usize::from(failed > 0);
    }
    assert!(struck >= 4, "the disk filled in {struck} runs");
}
