//! The boilerplate rules as data: the cases in `tests/data/boilerplate/rules.toml` (each
//! rule must remove what its positive cases show and leave its negative cases whole, and
//! every shipped rule needs both kinds), and whole articles in
//! `tests/data/boilerplate/articles/<case>/` (`input.txt` and the `explain` view of it in
//! `expected.txt`; run with `UPDATE_EXPECT=1` to rewrite them, then review the diff).

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use corpus::{ArticleId, Origin, RawArticle, RawFormat};
use normaliser::{Normaliser, boilerplate, explain};
use serde::Deserialize;

fn data() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/boilerplate"
    ))
    .to_path_buf()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    rule: String,
    input: String,
    kept: Option<String>,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(data().join("rules.toml")).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

fn kept_text(extracted: &normaliser::Extracted) -> String {
    extracted
        .blocks
        .iter()
        .map(|b| b.original_text())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[test]
fn every_rule_case_holds() {
    let normaliser = Normaliser::builtin();
    let mut failures = Vec::new();
    for (n, case) in cases().iter().enumerate() {
        let extracted = normaliser.extract_text(&case.input);
        let kept = kept_text(&extracted);
        let removed: Vec<String> = extracted
            .removed
            .iter()
            .map(|r| format!("{}: {:?}", r.rule, r.text))
            .collect();
        match &case.kept {
            Some(expected) => {
                let by_rule = extracted.removed.iter().any(|r| r.rule == case.rule);
                if kept != expected.trim() || !by_rule {
                    failures.push(format!(
                        "case {n} ({}) should remove with its rule\n  input: {:?}\n  kept:  {kept:?}\n  want:  {:?}\n  removed: {removed:?}",
                        case.rule,
                        case.input,
                        expected.trim()
                    ));
                }
            }
            None => {
                if !extracted.removed.is_empty() {
                    failures.push(format!(
                        "case {n} ({}) must be kept whole\n  input: {:?}\n  removed: {removed:?}",
                        case.rule, case.input
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_positive_and_negative_cases() {
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for case in cases() {
        let entry = seen.entry(case.rule.clone()).or_default();
        if case.kept.is_some() {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    let rules = boilerplate::Rules::builtin();
    let names = rules.names().map(|(name, _)| name.to_string()).chain([
        boilerplate::REPEATED_RULE.to_string(),
        boilerplate::NO_WORDS_RULE.to_string(),
    ]);
    let mut missing = Vec::new();
    for name in names {
        match seen.remove(&name) {
            Some((pos, neg)) if pos > 0 && neg > 0 => {}
            other => missing.push(format!("{name}: {other:?}")),
        }
    }
    assert!(
        missing.is_empty(),
        "rules without both kinds of case: {missing:?}"
    );
    assert!(
        seen.is_empty(),
        "cases for unknown rules: {:?}",
        seen.keys()
    );
}

fn article_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data().join("articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.txt").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty());
    dirs
}

/// The explain view of a text file, as `normaliser explain` prints it for a stored record
/// (the normaliser's stamp, which changes with every rule, replaced by a placeholder).
fn explain_text(normaliser: &Normaliser, name: &str, input: &str) -> String {
    let id = ArticleId::new(name).unwrap();
    let raw = RawArticle::new(
        id,
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{name}.txt"),
        },
        input.to_string(),
    );
    let explained = explain::Explained {
        doc: normaliser.normalise(&raw),
        stored: true,
        copies: Vec::new(),
        places: normaliser.removal_places(&raw),
        path: normaliser.extraction_path(&raw),
    };
    explain::render(&explained, explain::Options::default()).replace(normaliser.stamp(), "STAMP")
}

#[test]
fn whole_articles_explain_as_expected() {
    let normaliser = Normaliser::builtin();
    let mut failures = Vec::new();
    for dir in article_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read_to_string(dir.join("input.txt")).unwrap();
        let got = explain_text(&normaliser, &name, &input);
        failures.extend(support::check_expected(&dir.join("expected.txt"), &got));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
