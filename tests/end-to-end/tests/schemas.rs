//! The JSON Schemas in `docs/schema/` describe what the analyser writes: the seeds' and an
//! imported corpus's `comparison.json` and every line of `claims --format jsonl` validate, and
//! the schemas are strict enough to refuse what the programs never write.

use std::path::Path;

use end_to_end::{copy_dir, run, workspace};
use serde_json::{Value, json};

fn schema(name: &str) -> jsonschema::Validator {
    let path = workspace().join("docs/schema").join(name);
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("{} is no valid schema: {e}", path.display()))
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Runs the chain on `corpus` and returns its comparison and claim lines.
fn analysed(corpus: &Path) -> (Value, Vec<Value>) {
    for stage in ["fetcher", "normaliser", "analyser"] {
        let out = run(stage, corpus, &["-q"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{stage}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // the whole comparison, as the report's files put together give it (issue 16)
    let out = run("analyser", corpus, &["report", "--format", "json", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    let comparison = serde_json::from_slice(&out.stdout).unwrap();
    let out = run("analyser", corpus, &["claims", "--format", "jsonl", "-q"]);
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (comparison, lines)
}

#[test]
fn what_the_analyser_writes_validates() {
    let (comparison_schema, claim_schema) = (
        schema("comparison.schema.json"),
        schema("claim.schema.json"),
    );
    let seeds = tempfile::tempdir().unwrap();
    copy_dir(&workspace().join("corpus/raw"), &seeds.path().join("raw"));
    let imported = tempfile::tempdir().unwrap();
    let data = workspace().join("tests/data/outlets");
    let out = run(
        "fetcher",
        imported.path(),
        &["--import", data.to_str().unwrap(), "-q"],
    );
    assert_eq!(out.status.code(), Some(0));
    for corpus in [seeds.path(), imported.path()] {
        let (comparison, lines) = analysed(corpus);
        assert!(
            comparison["events"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
        );
        assert_eq!(
            errors(&comparison_schema, &comparison),
            Vec::<String>::new()
        );
        assert!(lines.len() > 3);
        for line in &lines {
            assert_eq!(errors(&claim_schema, line), Vec::<String>::new(), "{line}");
        }
    }
}

#[test]
fn the_schemas_refuse_what_is_never_written() {
    let (comparison_schema, claim_schema) = (
        schema("comparison.schema.json"),
        schema("claim.schema.json"),
    );
    let claim = json!({"article": "a", "kind": "count", "measure": "killed", "subject": "people",
        "count": 3, "qualifier": "at_least", "event": null, "attribution": null, "quote": "q",
        "outlet": "o", "url": "https://e.org/a", "published": "2024-01-02", "location": null});
    assert_eq!(errors(&claim_schema, &claim), Vec::<String>::new());
    for (key, bad) in [
        ("count", json!(-3)),
        ("qualifier", json!("roughly")),
        ("url", json!("javascript:alert(1)")),
        ("published", json!("yesterday")),
        ("unknown_field", json!(1)),
    ] {
        let mut wrong = claim.clone();
        wrong[key] = bad;
        assert!(
            !errors(&claim_schema, &wrong).is_empty(),
            "{key} accepted: {wrong}"
        );
    }
    let comparison =
        json!({"schema": 1, "generated_at": "2024-01-01T00:00:00Z", "articles": 0, "events": []});
    assert_eq!(
        errors(&comparison_schema, &comparison),
        Vec::<String>::new()
    );
    let mut later = comparison.clone();
    later["schema"] = json!(2);
    assert!(!errors(&comparison_schema, &later).is_empty());
}
