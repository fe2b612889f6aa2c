//! Issue 18: articles imported with ` outlet` and ` url` header lines are shown by their
//! outlet's name, linked to their address, in the HTML and Markdown reports; the claims as
//! CSV round-trip through Python's `csv` module with the same claims as the JSON Lines.

use std::process::Command;

use end_to_end::{run, workspace};

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
