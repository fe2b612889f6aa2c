//! The seed gold's normalising expectations (`tests/data/seeds/gold.json`): what must be
//! removed, kept, and kept only once, for each shipped seed article.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use corpus::{ArticleId, Corpus};
use normaliser::Normaliser;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The kept text of a seed, normalised once per test run.
fn kept_text(id: &str) -> String {
    static KEPT: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let cache = KEPT.get_or_init(Default::default);
    if let Some(text) = cache.lock().unwrap().get(id) {
        return text.clone();
    }
    let corpus = Corpus::open(root().join("corpus")).unwrap();
    let raw = corpus.read_raw(&ArticleId::new(id).unwrap()).unwrap();
    let doc = normaliser().normalise(&raw);
    let text = doc
        .blocks
        .iter()
        .map(|b| b.original_text())
        .collect::<Vec<_>>()
        .join("\n");
    cache.lock().unwrap().insert(id.to_string(), text.clone());
    text
}

fn normaliser() -> &'static Normaliser {
    static NORMALISER: OnceLock<Normaliser> = OnceLock::new();
    NORMALISER.get_or_init(Normaliser::builtin)
}

fn gold() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("tests/data/seeds/gold.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn expectations(section: &str) -> Vec<(String, String)> {
    let gold = gold();
    let mut out = Vec::new();
    for (id, phrases) in gold["normalise"][section].as_object().unwrap() {
        for p in phrases.as_array().unwrap() {
            out.push((id.clone(), p.as_str().unwrap().to_string()));
        }
    }
    assert!(!out.is_empty(), "no {section} expectations");
    out
}

#[test]
fn must_remove() {
    for (id, phrase) in expectations("must_remove") {
        assert!(
            !kept_text(&id).contains(&phrase),
            "{id} still contains {phrase:?}"
        );
    }
}

#[test]
fn must_keep() {
    for (id, phrase) in expectations("must_keep") {
        assert!(kept_text(&id).contains(&phrase), "{id} lost {phrase:?}");
    }
}

#[test]
fn must_appear_once() {
    for (id, phrase) in expectations("must_appear_once") {
        assert_eq!(
            kept_text(&id).matches(&phrase).count(),
            1,
            "{id}: {phrase:?}"
        );
    }
}

#[test]
fn publication_dates_are_kept_and_never_invented() {
    let corpus = Corpus::open(root().join("corpus")).unwrap();
    for (id, date) in gold()["normalise"]["published"].as_object().unwrap() {
        let raw = corpus
            .read_raw(&ArticleId::new(id.as_str()).unwrap())
            .unwrap();
        let doc = normaliser().normalise(&raw);
        let found = doc.meta.published.map(|p| p.to_string());
        assert_eq!(found.as_deref(), date.as_str(), "{id}");
    }
}
