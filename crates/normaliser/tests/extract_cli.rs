//! `normaliser extract` as a user runs it.

use std::path::Path;
use std::process::Command;

fn normaliser() -> Command {
    // Run where there is no config/crosscheck.toml: the built-in defaults apply.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_normaliser"));
    cmd.current_dir(std::env::temp_dir());
    cmd
}

fn case(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/extraction")
        .join(name)
        .join("input.html")
}

#[test]
fn writes_one_file_per_input_and_goes_on_after_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let bad = dir.path().join("broken.html");
    std::fs::write(&bad, b"\0\0\0binary").unwrap();
    let status = normaliser()
        .arg("extract")
        .arg("--out")
        .arg(&out)
        .arg(case("no-article-tag"))
        .arg(&bad)
        .arg(case("live-blog").parent().unwrap().join("input.html"))
        .output()
        .unwrap();
    // Two inputs are both named input.html: the second would overwrite the first.
    assert_eq!(status.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert!(stderr.contains("broken.html"), "{stderr}");
    assert!(stderr.contains("same file name"), "{stderr}");
    let text = std::fs::read_to_string(out.join("input.txt")).unwrap();
    assert!(text.starts_with("The old stone bridge over the river reopened"));
}

#[test]
fn prints_results_in_input_order_whatever_their_sizes() {
    // The largest file is extracted first; the results still come in the order given.
    let dir = tempfile::tempdir().unwrap();
    let page = |n: &str, padding: usize| {
        format!(
            "<html><body><!--{}--><article><p>The {n} page tells of a council meeting that \
             ran late into the evening on Tuesday.</p></article></body></html>",
            "x".repeat(padding)
        )
    };
    let names = [("first", 10), ("second", 200_000), ("third", 1_000)];
    let mut cmd = normaliser();
    cmd.arg("extract");
    for (name, padding) in names {
        let path = dir.path().join(format!("{name}.html"));
        std::fs::write(&path, page(name, padding)).unwrap();
        cmd.arg(path);
    }
    let output = cmd.output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let order: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("The ")?.split(' ').next())
        .collect();
    assert_eq!(order, ["first", "second", "third"], "{stdout}");
}

#[test]
fn json_has_metadata_and_blocks() {
    let output = normaliser()
        .args(["extract", "--format", "json"])
        .arg(case("no-article-tag"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json["meta"]["title"],
        "Bridge reopens after three-year repair"
    );
    assert_eq!(json["meta"]["authors"][0], "Jane Doe");
    assert_eq!(json["meta"]["site_name"], "Riverside Gazette");
    assert_eq!(json["meta"]["published"], "2021-03-04T09:15:00+01:00");
    assert_eq!(json["meta"]["language"], "en");
    assert_eq!(
        json["meta"]["canonical_url"],
        "https://gazette.example/2021/03/04/bridge-reopens"
    );
    assert_eq!(json["encoding"], "UTF-8");
    let blocks = json["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["kind"], "title");
    assert_eq!(blocks[0]["text"], "Bridge reopens after three-year repair");
    assert_eq!(blocks.len(), 5);
    let removed: Vec<&str> = json["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(removed.contains(&"html-share"), "{removed:?}");
}

#[test]
fn a_declared_legacy_charset_is_decoded() {
    let output = normaliser()
        .args(["extract", "--format", "json"])
        .arg(case("windows-1251-charset"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["encoding"], "windows-1251");
    assert_eq!(json["meta"]["title"], "В городе открылся новый мост");
}

#[test]
fn a_bad_rules_file_stops_the_run_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("config")).unwrap();
    std::fs::write(
        dir.path().join("config/crosscheck.toml"),
        "[normaliser]\nrules = \"missing.toml\"\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_normaliser"))
        .current_dir(dir.path())
        .arg("extract")
        .arg("--out")
        .arg(&out)
        .arg(case("no-article-tag"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("missing.toml"));
    assert!(!out.exists());
}
