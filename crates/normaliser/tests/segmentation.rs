//! Sentence segmentation as data: `tests/data/segmentation/cases.txt`.

use std::path::Path;

use normaliser::Segmenter;

fn cases() -> Vec<Vec<String>> {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/segmentation/cases.txt"
    ));
    let text = std::fs::read_to_string(path).unwrap();
    let mut cases = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            if !current.is_empty() {
                cases.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line.to_string());
        }
    }
    if !current.is_empty() {
        cases.push(current);
    }
    cases
}

#[test]
fn every_case_splits_as_written() {
    let segmenter = Segmenter::builtin();
    let cases = cases();
    assert!(cases.len() >= 15, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for expected in cases {
        let input = expected.join(" ");
        let got: Vec<&str> = segmenter
            .sentences(&input)
            .iter()
            .map(|s| s.slice(&input))
            .collect();
        if got != expected {
            failures.push(format!(
                "input: {input}\n  got:  {got:?}\n  want: {expected:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
