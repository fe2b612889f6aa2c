//! The streaming modes chained as a pipeline runs them (`normaliser stream | analyser stream
//! --articles | analyser group`) give the claims, events included, that the corpus run gives.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use end_to_end::{binary, copy_dir, run, workspace};

/// Runs a stage's streaming mode on `input`, returning its stdout.
fn pipe(stage: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(binary(stage))
        .args(args)
        .arg("--config")
        .arg(workspace().join("config/crosscheck.toml"))
        .arg("-q")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "{stage} {args:?}: {:?}", out.status);
    out.stdout
}

/// The shipped corpus's raw records as stream records.
fn seed_records(corpus: &Path) -> Vec<u8> {
    let mut files: Vec<_> = std::fs::read_dir(corpus.join("raw"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let raw: corpus::RawArticle =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let record = corpus::stream::StreamRecord {
            id: raw.id.to_string(),
            date: raw.meta.published.map(|p| p.to_string()),
            outlet: Some(raw.outlet()),
            text: Some(raw.body.clone()),
            ..Default::default()
        };
        serde_json::to_writer(&mut out, &record).unwrap();
        out.push(b'\n');
    }
    out
}

/// JSON lines, each with its keys sorted, sorted.
fn sorted_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .to_string()
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn the_streamed_chain_gives_the_corpus_run_claims() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&workspace().join("corpus/raw"), &corpus.join("raw"));
    assert!(run("normaliser", &corpus, &["-q"]).status.success());
    let batch = run("analyser", &corpus, &["claims", "-q"]);
    assert!(batch.status.success());

    let records = seed_records(&corpus);
    let normalised = pipe("normaliser", &["stream"], &records);
    let articles = pipe("analyser", &["stream", "--articles"], &normalised);
    let grouped = pipe("analyser", &["group"], &articles);
    let batch = sorted_lines(&batch.stdout);
    assert!(batch.len() > 20, "the seeds have claims");
    assert_eq!(sorted_lines(&grouped), batch);

    // Alone, each record gives the same claims; only events may differ (each its article's).
    let alone = pipe("analyser", &["stream"], &normalised);
    let without_event = |lines: Vec<String>| {
        let mut v: Vec<String> = lines
            .iter()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("event");
                v.as_object_mut().unwrap().remove("location");
                v.to_string()
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(without_event(sorted_lines(&alone)), without_event(batch));
}
