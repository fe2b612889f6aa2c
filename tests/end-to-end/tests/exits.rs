//! The exit code contract of every binary, situation by situation (issue 14, finding 4): 0
//! all done, 1 some items failed (the rest done), 2 nothing done (usage, config, lock). Every
//! exit says so on stderr in a line of its own, and no panic reaches the user: a reader that
//! closes the pipe early (`| head`) ends the output quietly.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use end_to_end::{binary, copy_dir, run, workspace};

/// A copy of the seed corpus, normalised and analysed when `stages` says so.
fn corpus(stages: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("corpus/raw"), &dir.path().join("raw"));
    for stage in stages {
        let out = run(stage, dir.path(), &["-q"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    dir
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The first seed article's id.
fn first_id(corpus: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(corpus.join("raw"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names[0].trim_end_matches(".json").to_string()
}

/// Runs a stage with its stdout a pipe whose reader is already gone.
fn into_closed_pipe(stage: &str, corpus: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(binary(stage))
        .arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(workspace().join("config/crosscheck.toml"))
        .args(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

/// One situation: what is set up, how the stage is run, and the exit code it must give.
struct Case {
    stage: &'static str,
    situation: &'static str,
    expect: i32,
    run: fn() -> Output,
}

fn import_ok() -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Ten people were killed.\n").unwrap();
    let input = dir.path().display().to_string();
    run("fetcher", &dir.path().join("corpus"), &["--import", &input])
}

fn import_one_bad_file() -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Ten people were killed.\n").unwrap();
    std::fs::write(dir.path().join("b.txt"), b"\0\x01\x02binary").unwrap();
    let input = dir.path().display().to_string();
    run("fetcher", &dir.path().join("corpus"), &["--import", &input])
}

fn summary_json_unwritable() -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), "Ten people were killed.\n").unwrap();
    let (input, summary) = (
        dir.path().join("a.txt").display().to_string(),
        dir.path().display().to_string(),
    );
    let out = run(
        "fetcher",
        &dir.path().join("corpus"),
        &["--import", &input, "--summary-json", &summary],
    );
    assert!(dir.path().join("corpus/raw/a.json").is_file(), "stored");
    out
}

fn bad_flag(stage: &str) -> Output {
    let dir = corpus(&[]);
    run(stage, dir.path(), &["--no-such-flag"])
}

fn unknown_key(stage: &str) -> Output {
    let dir = corpus(&[]);
    let config = dir.path().join("c.toml");
    std::fs::write(&config, format!("[{stage}]\nno_such_key = 1\n")).unwrap();
    let config = config.display().to_string();
    run(stage, dir.path(), &["--config", &config])
}

/// Issue 14, finding 6: a misspelt section (`[fetchr]`) stops every binary.
fn unknown_section(stage: &str) -> Output {
    let dir = corpus(&[]);
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[fetchr]\nuser_agent = \"x\"\n").unwrap();
    let config = config.display().to_string();
    run(stage, dir.path(), &["--config", &config])
}

fn locked(stage: &str) -> Output {
    let dir = corpus(&[]);
    let lock = corpus::Corpus::open(dir.path()).unwrap().lock().unwrap();
    let out = run(stage, dir.path(), &[]);
    drop(lock);
    out
}

fn normalise_ok() -> Output {
    run("normaliser", corpus(&[]).path(), &[])
}

fn normalise_corrupt_raw() -> Output {
    let dir = corpus(&[]);
    let id = first_id(dir.path());
    std::fs::write(dir.path().join(format!("raw/{id}.json")), b"{ cut").unwrap();
    run("normaliser", dir.path(), &[])
}

/// The records are written, the state cannot be (the store refuses the normaliser's rows).
fn normalise_state_unwritable() -> Output {
    let dir = corpus(&[]);
    let store = corpus::Corpus::open(dir.path()).unwrap().store_path();
    drop(corpus::Store::open(&store).unwrap());
    rusqlite::Connection::open(&store)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON normaliser BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let out = run("normaliser", dir.path(), &[]);
    assert!(dir.path().join("normalised").read_dir().unwrap().count() > 0);
    out
}

fn explain_into_closed_pipe() -> Output {
    let dir = corpus(&["normaliser"]);
    let id = first_id(dir.path());
    into_closed_pipe("normaliser", dir.path(), &["explain", &id, &id, &id])
}

fn explain_unknown_id() -> Output {
    let dir = corpus(&["normaliser"]);
    run("normaliser", dir.path(), &["explain", "no-such-article"])
}

fn analyse_ok() -> Output {
    run("analyser", corpus(&["normaliser"]).path(), &[])
}

fn analyse_corrupt_record() -> Output {
    let dir = corpus(&["normaliser"]);
    let id = first_id(dir.path());
    std::fs::write(dir.path().join(format!("normalised/{id}.json")), b"{").unwrap();
    run("analyser", dir.path(), &[])
}

/// The claims and index are written, one report file cannot be.
fn analyse_report_unwritable() -> Output {
    let dir = corpus(&["normaliser"]);
    std::fs::create_dir_all(dir.path().join("report/index.html/x")).unwrap();
    let out = run("analyser", dir.path(), &[]);
    assert!(dir.path().join("claims").read_dir().unwrap().count() > 0);
    out
}

fn claims_into_closed_pipe() -> Output {
    let dir = corpus(&["normaliser"]);
    into_closed_pipe("analyser", dir.path(), &["claims", "--format", "table"])
}

fn cases() -> Vec<Case> {
    let case = |stage, situation, expect, run| Case {
        stage,
        situation,
        expect,
        run,
    };
    vec![
        case("fetcher", "imports", 0, import_ok),
        case("fetcher", "one file refused", 1, import_one_bad_file),
        case(
            "fetcher",
            "summary not writable",
            1,
            summary_json_unwritable,
        ),
        case("fetcher", "unknown flag", 2, || bad_flag("fetcher")),
        case("fetcher", "unknown key", 2, || unknown_key("fetcher")),
        case("fetcher", "unknown section", 2, || {
            unknown_section("fetcher")
        }),
        case("fetcher", "locked", 2, || locked("fetcher")),
        case("normaliser", "normalises", 0, normalise_ok),
        case("normaliser", "corrupt raw", 1, normalise_corrupt_raw),
        case(
            "normaliser",
            "state unwritable",
            1,
            normalise_state_unwritable,
        ),
        case("normaliser", "closed pipe", 0, explain_into_closed_pipe),
        case("normaliser", "unknown id", 1, explain_unknown_id),
        case("normaliser", "unknown flag", 2, || bad_flag("normaliser")),
        case("normaliser", "unknown key", 2, || unknown_key("normaliser")),
        case("normaliser", "unknown section", 2, || {
            unknown_section("normaliser")
        }),
        case("normaliser", "locked", 2, || locked("normaliser")),
        case("analyser", "analyses", 0, analyse_ok),
        case("analyser", "corrupt record", 1, analyse_corrupt_record),
        case(
            "analyser",
            "report unwritable",
            1,
            analyse_report_unwritable,
        ),
        case("analyser", "closed pipe", 0, claims_into_closed_pipe),
        case("analyser", "unknown flag", 2, || bad_flag("analyser")),
        case("analyser", "unknown key", 2, || unknown_key("analyser")),
        case("analyser", "unknown section", 2, || {
            unknown_section("analyser")
        }),
        case("analyser", "locked", 2, || locked("analyser")),
    ]
}

#[test]
fn every_binary_exits_by_the_contract_and_says_why() {
    let mut wrong = Vec::new();
    for case in cases() {
        let out = (case.run)();
        let err = stderr(&out);
        let code = out.status.code();
        if code != Some(case.expect) {
            wrong.push(format!(
                "{} ({}): exit {code:?}, expected {}\n{err}",
                case.stage, case.situation, case.expect
            ));
        }
        if err.contains("panicked") || err.contains("RUST_BACKTRACE") {
            wrong.push(format!(
                "{} ({}): a panic\n{err}",
                case.stage, case.situation
            ));
        }
        // A summary line, or the error that stopped the run.
        let said = err.lines().any(|l| {
            l.starts_with(&format!("{}:", case.stage))
                || l.starts_with("error:")
                || l.contains("Usage")
        });
        if !said {
            wrong.push(format!(
                "{} ({}): no summary line\n{err}",
                case.stage, case.situation
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n---\n"));
}
