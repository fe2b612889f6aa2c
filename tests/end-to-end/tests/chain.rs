//! Runs fetcher, normaliser and analyser as a user would, on a temporary copy of `corpus/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use end_to_end::{binary, copy_dir, run, workspace};

fn seed_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("corpus/raw"), &dir.path().join("raw"));
    dir
}

fn modification_times(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else if entry.file_name() != ".lock" {
                out.push((entry.path(), entry.metadata().unwrap().modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// The whole comparison, as `analyser report --format json` prints it (after its run, which
/// exits 1 when it meets bad records).
fn report_json(corpus: &Path) -> serde_json::Value {
    let out = run("analyser", corpus, &["report", "--format", "json", "-q"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn chain_writes_the_report_and_an_idle_second_run_changes_nothing() {
    let corpus = seed_corpus();
    for stage in ["fetcher", "normaliser", "analyser"] {
        let out = run(stage, corpus.path(), &["-q"]);
        assert_eq!(out.status.code(), Some(0), "{stage}: {}", stderr(&out));
    }
    for file in ["index.html", "list.js", "index.json"] {
        let path = corpus.path().join("report").join(file);
        assert!(path.is_file(), "{} missing", path.display());
    }
    let json = report_json(corpus.path());
    let text = json.to_string();
    // The seeds' death tolls appear with their quotes.
    for figure in ["\"count\":18", "\"count\":21", "\"count\":14"] {
        assert!(text.contains(figure), "comparison lacks {figure}");
    }
    // ... each in its event's own files, which the list links to
    let index = std::fs::read_to_string(corpus.path().join("report/index.html")).unwrap();
    for event in json["events"].as_array().unwrap() {
        let date = event["date"].as_str().map_or("undated", |d| &d[..7]);
        let base = format!("report/events/{date}/{}", event["id"].as_str().unwrap());
        let own: serde_json::Value = serde_json::from_slice(
            &std::fs::read(corpus.path().join(format!("{base}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(&own, event);
        let page = std::fs::read_to_string(corpus.path().join(format!("{base}.html"))).unwrap();
        assert!(
            page.contains("<svg class=\"chart\"")
                || event["figures"].as_array().unwrap().is_empty()
        );
        assert!(corpus.path().join(format!("{base}.md")).is_file());
        assert!(index.contains(&format!("href=\"{}.html\"", &base["report/".len()..])));
    }
    // The report is a file per event: no file holds the whole comparison.
    assert!(!corpus.path().join("report/comparison.json").exists());

    let before = modification_times(corpus.path());
    for stage in ["fetcher", "normaliser", "analyser"] {
        let out = run(stage, corpus.path(), &[]);
        assert_eq!(out.status.code(), Some(0), "{stage}: {}", stderr(&out));
    }
    // The store may learn, once, that the folders settled (a row of it): records and report
    // files are not rewritten.
    let not_store = |files: Vec<(PathBuf, std::time::SystemTime)>| {
        files
            .into_iter()
            .filter(|(p, _)| !p.to_string_lossy().contains(corpus::STORE_FILE))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        not_store(before),
        not_store(modification_times(corpus.path())),
        "an idle run rewrote files"
    );
}

#[test]
fn claims_jsonl_has_the_scorer_fields() {
    let corpus = seed_corpus();
    assert!(run("normaliser", corpus.path(), &["-q"]).status.success());
    let out = run(
        "analyser",
        corpus.path(),
        &["claims", "--format", "jsonl", "-q"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let counts: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v["kind"] == "count")
        .collect();
    assert!(!counts.is_empty());
    for key in [
        "article",
        "measure",
        "subject",
        "count",
        "qualifier",
        "location",
        "event",
        "attribution",
        "quote",
    ] {
        assert!(
            counts.iter().all(|c| c.get(key).is_some()),
            "a claim lacks {key}"
        );
    }
    assert!(
        counts
            .iter()
            .any(|c| c["measure"] == "killed" && c["count"] == 18)
    );
}

#[test]
fn bad_imports_are_named_and_the_rest_imported() {
    let corpus = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    std::fs::write(
        inputs.path().join("good.txt"),
        " date 2024-01-02 Ten people were killed.\n",
    )
    .unwrap();
    std::fs::write(inputs.path().join("empty.txt"), "").unwrap();
    std::fs::write(
        inputs.path().join("binary.txt"),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0",
    )
    .unwrap();
    std::fs::write(inputs.path().join("latin1.txt"), b"Caf\xe9 bombing kills 3").unwrap();
    let out = run(
        "fetcher",
        corpus.path(),
        &["--import", inputs.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for name in ["empty.txt", "binary.txt", "latin1.txt"] {
        assert!(err.contains(name), "no error names {name}: {err}");
    }
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus.path().join("raw/good.json")).unwrap())
            .unwrap();
    assert_eq!(raw["meta"]["published"], "2024-01-02");
    assert_eq!(raw["body"], "Ten people were killed.\n");
}

/// Bad input the analyser meets in a corpus: a record cut short and one that is not UTF-8.
/// Each is named with its file, the other articles are analysed and the report written, and
/// the exit code is 1.
#[test]
fn corrupt_normalised_records_are_named_and_the_rest_analysed() {
    let corpus = seed_corpus();
    let out = run("normaliser", corpus.path(), &["-q"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut records: Vec<PathBuf> = std::fs::read_dir(corpus.path().join("normalised"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    records.sort();
    assert!(records.len() >= 4, "{records:?}");
    let (cut, latin) = (&records[0], &records[1]);
    let text = std::fs::read(cut).unwrap();
    std::fs::write(cut, &text[..text.len() / 2]).unwrap();
    std::fs::write(latin, b"{\"schema\": 1, \"title\": \"Caf\xe9\"}").unwrap();

    let out = run("analyser", corpus.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for bad in [cut, latin] {
        let name = bad.file_name().unwrap().to_string_lossy();
        assert!(err.contains(name.as_ref()), "no error names {name}: {err}");
    }
    let json = report_json(corpus.path());
    assert_eq!(json["articles"], records.len() - 2, "{json}");
}

#[test]
fn a_second_concurrent_run_stops_at_once() {
    let corpus = seed_corpus();
    // Hold the lock the way a running stage does: an OS lock on .lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(corpus.path().join(".lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let out = run("normaliser", corpus.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("lock"), "{}", stderr(&out));
    assert!(
        !corpus.path().join("normalised").exists(),
        "worked without the lock"
    );
}

#[test]
fn config_errors_exit_2() {
    let corpus = seed_corpus();
    let out = Command::new(binary("analyser"))
        .arg("--corpus")
        .arg(corpus.path())
        .arg("--config")
        .arg(corpus.path().join("missing.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("missing.toml"));
}

#[test]
fn logs_to_a_pipe_carry_no_colour_codes() {
    let corpus = seed_corpus();
    // Not quiet: the info lines ("analysed id=...") are what a cron mail would hold.
    for stage in ["normaliser", "analyser"] {
        let out = run(stage, corpus.path(), &[]);
        assert_eq!(out.status.code(), Some(0), "{stage}: {}", stderr(&out));
        let log = stderr(&out);
        assert!(
            log.contains("INFO"),
            "{stage} logged nothing at info: {log}"
        );
        assert!(
            !log.contains('\u{1b}'),
            "{stage} wrote escape codes to a pipe: {log:?}"
        );
    }
}
