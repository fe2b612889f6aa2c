//! The normaliser's commit points (ARCHITECTURE.md, "Commit points"), proved by failing its
//! writes: a run killed before any one of its writes, a write that fails once, or a disk that
//! fills up, and then a run as the binary starts it (temp files removed) must leave the corpus
//! as one uninterrupted run does, byte for byte (state records apart from file stamps).

use std::path::Path;
use std::sync::LazyLock;

use corpus::faults::{self, Fault};
use corpus::{ArticleId, Corpus, Origin, RawArticle, RawFormat};
use normaliser::{Normaliser, run};

/// Made once: compiling the rules is most of a run's time on a few articles.
static NORMALISER: LazyLock<Normaliser> = LazyLock::new(Normaliser::builtin);

fn article(id: &str, body: &str) -> RawArticle {
    RawArticle::new(
        ArticleId::new(id).unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        body.to_string(),
    )
}

fn story(subject: &str, n: usize) -> String {
    (0..6)
        .map(|i| {
            format!(
                "Paragraph {i} about the {subject}: officials said on Monday that {n} people \
                 were hurt when the {subject} struck the town, and that rescuers were still \
                 searching the damaged houses near the river for survivors."
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A corpus normalised once, then changed: an article edited, one removed, a copy added and
/// a new one, so that the next run writes, rewrites, regroups and removes.
fn corpus_with_work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    for (id, body) in [
        ("a", story("storm", 3)),
        ("b", story("storm", 3)),
        ("c", story("flood", 7)),
        ("d", story("fire", 2)),
    ] {
        corpus.write_raw(&article(id, &body)).unwrap();
    }
    let first = run(&corpus, &NORMALISER).unwrap();
    assert_eq!(first.failed, 0);
    corpus.write_raw(&article("c", &story("flood", 9))).unwrap();
    std::fs::remove_file(corpus.raw_path(&ArticleId::new("d").unwrap())).unwrap();
    corpus.write_raw(&article("e", &story("storm", 3))).unwrap();
    corpus.write_raw(&article("f", &story("quake", 5))).unwrap();
    dir
}

/// A run as the binary makes it after a crash: temp files removed, then the run.
fn recover(root: &Path) {
    let corpus = Corpus::open(root).unwrap();
    let lock = corpus.lock().unwrap();
    corpus.remove_temp_files(&lock).unwrap();
    let summary = run(&corpus, &NORMALISER).unwrap();
    assert_eq!(summary.failed, 0, "{summary:?}");
}

type Files = std::collections::BTreeMap<String, String>;

/// The corpus after `fault` struck a run on a copy of `work`, and a run after it; and how many
/// failures the struck run counted.
fn after(work: &Path, fault: Fault) -> (Files, usize) {
    let copy = tempfile::tempdir().unwrap();
    faults::copy_tree(work, copy.path());
    let failed = {
        let _armed = faults::arm(copy.path(), fault);
        let corpus = Corpus::open(copy.path()).unwrap();
        // failures are expected here; a run must not stop on them
        run(&corpus, &NORMALISER).unwrap().failed
    };
    recover(copy.path());
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
        run(&Corpus::open(copy.path()).unwrap(), &NORMALISER).unwrap();
        armed.points()
    };
    assert!(
        points >= 5,
        "the run writes records, regroups, removes: {points}"
    );
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
    for budget in [0, 1, 2_000, 5_000, 10_000, 20_000, 40_000, 80_000] {
        let fault = Fault::DiskFullAfter(budget);
        let (files, failed) = after(work.path(), fault);
        assert_eq!(files, reference, "{fault:?}");
        struck += usize::from(failed > 0);
    }
    assert!(struck >= 4, "the disk filled in {struck} runs");
}
