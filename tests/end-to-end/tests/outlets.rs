//! Issue 18: articles imported with ` outlet` and ` url` header lines are shown by their
//! outlet's name, linked to their address, in the HTML and Markdown reports; the claims as
//! CSV round-trip through Python's `csv` module with the same claims as the JSON Lines, and
//! each event's claims are a CSV file beside its page; followed events come first, and
//! `analyser report --event` prints one event's files.

use std::path::Path;
use std::process::{Command, Output};

use end_to_end::{binary, run, workspace};

fn stdout_of(stage: &str, corpus: &std::path::Path, args: &[&str]) -> String {
    let out = run(stage, corpus, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stage} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn imported_corpus() -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    let data = workspace().join("tests/data/outlets");
    stdout_of(
        "fetcher",
        corpus.path(),
        &["--import", data.to_str().unwrap(), "-q"],
    );
    stdout_of("normaliser", corpus.path(), &["-q"]);
    stdout_of("analyser", corpus.path(), &["-q"]);
    corpus
}

/// The report's files of every event with this extension, one after the other.
fn event_files(corpus: &std::path::Path, extension: &str) -> String {
    let mut paths = Vec::new();
    let mut stack = vec![corpus.join("report/events")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                paths.push(path);
            }
        }
    }
    paths.sort();
    assert!(!paths.is_empty(), "no event files");
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

#[test]
fn reports_name_outlets_and_link_articles() {
    let corpus = imported_corpus();
    // every event's page and Markdown (issue 16: a file each)
    let page = event_files(corpus.path(), "html");
    let md = event_files(corpus.path(), "md");
    for name in [
        "Northern Wire Service",
        "The Mirenka Gazette",
        "news.example.net",
    ] {
        assert!(
            page.contains(&format!("\">{name}</a>")),
            "no link for {name} in the page"
        );
        assert!(
            md.contains(&format!("[{name}](<https://")),
            "no link for {name} in the Markdown"
        );
    }
    assert!(page.contains(
        "href=\"https:&#x2f;&#x2f;wire.example.org&#x2f;world&#x2f;2024&#x2f;05&#x2f;14&#x2f;flood-toll?ref=rss&amp;id=1\""
    ));
    // the file ids are only tooltips in the page and code spans in the Markdown's article list
    for id in ["wire-report", "local-paper", "no-outlet-line"] {
        for (at, _) in page.match_indices(id) {
            assert!(
                page[..at].ends_with("title=\""),
                "{id} shown as text in the page"
            );
        }
        assert!(
            !md.contains(&format!("{id}.txt")),
            "{id} shown as an outlet in the Markdown"
        );
    }
}

#[test]
fn claims_csv_round_trips_with_the_json_lines() {
    let corpus = imported_corpus();
    let csv = stdout_of(
        "analyser",
        corpus.path(),
        &["claims", "--format", "csv", "-q"],
    );
    let jsonl = stdout_of(
        "analyser",
        corpus.path(),
        &["claims", "--format", "jsonl", "-q"],
    );
    assert!(jsonl.lines().count() >= 4, "{jsonl}");
    let dir = tempfile::tempdir().unwrap();
    let (csv_path, jsonl_path) = (
        dir.path().join("claims.csv"),
        dir.path().join("claims.jsonl"),
    );
    std::fs::write(&csv_path, &csv).unwrap();
    std::fs::write(&jsonl_path, &jsonl).unwrap();
    // Python's csv module with no options: every row is one claim of the JSON Lines, field
    // for field (a cell guarded against formulas carries one leading apostrophe).
    let check = r#"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
claims = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(rows) == len(claims), (len(rows), len(claims))
def text(v):
    if v is None: return ""
    if isinstance(v, bool): return str(v).lower()
    v = str(v)
    return "'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v
pairs = {"event": "event", "article": "article", "kind": "kind", "subject": "subject",
         "count": "count", "qualifier": "qualifier", "weapon": "value", "accuser": "accuser",
         "accused": "accused", "denial": "denial", "outlet": "outlet", "url": "url",
         "published": "published", "attribution": "attribution", "place": "location",
         "quote": "quote"}
guarded = 0
for row, claim in zip(rows, claims):
    for column, key in pairs.items():
        assert row[column] == text(claim.get(key)), (column, row[column], claim.get(key))
    measure = claim["measure"] if claim["kind"] == "count" else claim["kind"]
    assert row["measure"] == measure, (row["measure"], measure)
    guarded += row["quote"].startswith("'")
assert any(r["outlet"] == "The Mirenka Gazette" and r["url"].startswith("https://") for r in rows)
print(len(rows), guarded)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(check)
        .arg(&csv_path)
        .arg(&jsonl_path)
        .output()
        .expect("python3 runs the CSV check");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The flood reports and a warehouse fire, with a config that follows events by `follow`
/// (TOML of one `[[analyser.follow]]` table).
fn two_events_following(follow: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("crosscheck.toml");
    std::fs::write(
        &config,
        format!("[analyser]\n[[analyser.follow]]\n{follow}\n"),
    )
    .unwrap();
    let corpus = dir.path().join("corpus");
    for data in ["tests/data/outlets", "tests/data/follow"] {
        let data = workspace().join(data);
        ok(following(
            &config,
            "fetcher",
            &corpus,
            &["--import", data.to_str().unwrap()],
        ));
    }
    ok(following(&config, "normaliser", &corpus, &[]));
    ok(following(&config, "analyser", &corpus, &[]));
    (dir, config)
}

fn following(config: &Path, stage: &str, corpus: &Path, args: &[&str]) -> Output {
    Command::new(binary(stage))
        .arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(config)
        .arg("-q")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn followed_events_come_first_and_print_alone() {
    let (dir, config) = two_events_following("place = \"Valparaiso\"");
    let corpus = dir.path().join("corpus");
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus.join("report/index.json")).unwrap()).unwrap();
    assert_eq!(index["events"], 2, "{index}");
    let followed = index["followed"].as_array().unwrap();
    assert_eq!(followed.len(), 1, "{index}");
    let fire = followed[0].as_str().unwrap().to_string();

    // the list page: a section of followed events before the list of all
    let html = std::fs::read_to_string(corpus.join("report/index.html")).unwrap();
    let section = &html[html.find("Events you follow").expect("a followed section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains("Fire in Valparaíso"), "{section}");
    assert!(!section.contains("Mirenka"), "{section}");

    // the whole report as JSON: the followed event first, though the floods have more sources
    let report =
        |args: &[&str]| following(&config, "analyser", &corpus, &[&["report"], args].concat());
    let all: serde_json::Value = serde_json::from_str(&ok(report(&[]))).unwrap();
    assert_eq!(all["events"][0]["id"], fire.as_str());
    assert_eq!(all["events"].as_array().unwrap().len(), 2);

    // one event's files alone, as written beside its page
    let page = ok(report(&["--event", &fire, "--format", "html"]));
    assert!(
        page.starts_with("<!doctype html>") && page.contains("Coastal Times"),
        "{page}"
    );
    assert!(!page.contains("Mirenka"));
    let one: serde_json::Value = serde_json::from_str(&ok(report(&["--event", &fire]))).unwrap();
    assert_eq!(one["id"], fire.as_str());
    let csv = ok(report(&["--event", &fire, "--format", "csv"]));
    let mut rows = csv.lines();
    assert!(
        rows.next()
            .unwrap()
            .starts_with("event,article,kind,measure")
    );
    let rows: Vec<&str> = rows.collect();
    assert!(rows.len() >= 2, "killed and injured: {csv}");
    assert!(
        rows.iter().all(|r| r.starts_with(&format!("{fire},"))),
        "{csv}"
    );
    assert!(
        csv.contains(",killed,people,3,") && csv.contains(",injured,"),
        "{csv}"
    );

    // an unknown event, or a format that is one event's without --event: usage errors
    let unknown = report(&["--event", "no-such-event"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no-such-event"));
    assert_eq!(report(&["--format", "csv"]).status.code(), Some(2));
}

#[test]
fn a_follow_rule_that_cannot_match_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("crosscheck.toml");
    std::fs::write(
        &config,
        "[analyser]\n[[analyser.follow]]\nfrom = 2024-06-02\nto = 2024-06-01\n",
    )
    .unwrap();
    let out = following(&config, "analyser", &dir.path().join("corpus"), &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("follow rule 1") && err.contains("after"),
        "{err}"
    );
}
