//! The fetcher's commit points (ARCHITECTURE.md, "Commit points") for imports, proved by
//! failing its writes: an import killed before any one of its writes (blobs, earlier versions
//! kept in `history/`, raw records), a write that fails once, or a disk that fills up, and then
//! the same import again, must leave the corpus as one uninterrupted import does (the time
//! each article was read apart).

use std::path::Path;

use corpus::faults::{self, Fault};
use fetcher::{FetchRequest, Settings};

type Files = std::collections::BTreeMap<String, String>;

/// The files to import: two articles, one of them in windows-1252 (kept as a blob too).
fn first_files(dir: &Path) {
    std::fs::write(dir.join("a.txt"), "Ten people were killed in the blast.\n").unwrap();
    std::fs::write(
        dir.join("b.html"),
        b"<html><head><meta charset=\"windows-1252\"></head><p>Caf\xe9 \x93cited\x94.</p></html>",
    )
    .unwrap();
}

/// What changed since: an article revised (its earlier version is kept), two new ones.
fn second_files(dir: &Path) {
    std::fs::write(
        dir.join("a.txt"),
        "Twelve people were killed in the blast.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("c.txt"),
        "Floods forced 2,000 people from their homes.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("d.html"),
        b"<html><head><meta charset=\"windows-1252\"></head><p>Na\xefve \x93quote\x94.</p></html>",
    )
    .unwrap();
}

fn import(corpus: &Path, files: &Path) -> usize {
    let request = FetchRequest {
        imports: vec![files.to_path_buf()],
        settings: Settings::default(),
        ..FetchRequest::default()
    };
    let corpus = corpus::Corpus::open(corpus).unwrap();
    fetcher::run(&corpus, &request).unwrap().failed()
}

/// A corpus with the first files imported, and the folder of the second.
fn work() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (corpus, files) = (dir.path().join("corpus"), dir.path().join("files"));
    std::fs::create_dir_all(&files).unwrap();
    corpus::Corpus::create(&corpus).unwrap();
    first_files(&files);
    assert_eq!(import(&corpus, &files), 0);
    second_files(&files);
    (dir, files)
}

/// The corpus files, without the time each article was read (a new one at every import).
fn files_of(root: &Path) -> Files {
    faults::snapshot(root)
        .into_iter()
        .map(
            |(name, text)| match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(mut json) if name.starts_with("raw") || name.starts_with("history") => {
                    json["retrieved_at"] = serde_json::Value::Null;
                    (name, json.to_string())
                }
                _ => (name, text),
            },
        )
        .collect()
}

/// The corpus after `fault` struck an import on a copy of the work, and the same import
/// after it; and how many failures the struck import counted.
fn after(work: &Path, files: &Path, fault: Fault) -> (Files, usize) {
    let copy = tempfile::tempdir().unwrap();
    faults::copy_tree(&work.join("corpus"), copy.path());
    let failed = {
        let _armed = faults::arm(copy.path(), fault);
        import(copy.path(), files)
    };
    let corpus = corpus::Corpus::open(copy.path()).unwrap();
    let lock = corpus.lock().unwrap();
    corpus.remove_temp_files(&lock).unwrap();
    drop(lock);
    assert_eq!(import(copy.path(), files), 0, "{fault:?}");
    (files_of(copy.path()), failed)
}

#[test]
fn an_import_killed_or_failing_at_any_write_is_finished_by_the_next() {
    let (dir, files) = work();
    let (reference, _) = after(dir.path(), &files, Fault::Count);
    let points = {
        let copy = tempfile::tempdir().unwrap();
        faults::copy_tree(&dir.path().join("corpus"), copy.path());
        let armed = faults::arm(copy.path(), Fault::Count);
        import(copy.path(), &files);
        armed.points()
    };
    assert!(points >= 4, "history, raw records, a blob: {points}");
    for point in 0..=points {
        for fault in [Fault::KillAt(point), Fault::FailAt(point)] {
            let (got, failed) = after(dir.path(), &files, fault);
            assert_eq!(got, reference, "{fault:?}");
            assert_eq!(failed > 0, point < points, "{fault:?}: the fault struck");
        }
    }
    for budget in [0, 200, 600, 1_200] {
        let (got, _) = after(dir.path(), &files, Fault::DiskFullAfter(budget));
        assert_eq!(got, reference, "disk full after {budget} bytes");
    }
}
