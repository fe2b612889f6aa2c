//! Claim extraction cases as data: each folder of `tests/data/claims/` holds one or more
//! articles (`*.txt`) and `expected.txt`, the claims a careful reader finds in them.
//!
//! Article format: an optional first line ` date YYYY-MM-DD`; blocks separated by blank
//! lines; one sentence per line; a block whose first line is `[by NAME]` is an embedded
//! post by NAME. Expected format: one claim per line,
//! `article | claim | place | event | source`, where event is `main` for the article's main
//! event (with its id when the case has several articles) and the event id otherwise. Run with `UPDATE_EXPECT=1` to rewrite the expected
//! files after a reviewed change.

use std::fs;
use std::path::{Path, PathBuf};

use analyser::{Analyser, Loaded, events};
use chrono::NaiveDate;
use corpus::{
    ArticleId, ArticleMeta, Block, BlockKind, NormalisedDoc, Origin, PubTime, RawArticle,
    RawFormat, SCHEMA_VERSION, Span,
};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/claims")
}

fn parse_article(id: &str, text: &str) -> (RawArticle, NormalisedDoc) {
    let mut lines: Vec<&str> = text.lines().collect();
    let mut published = None;
    if let Some(first) = lines.first()
        && let Some(date) = first.trim().strip_prefix("date ")
    {
        published = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
        lines.remove(0);
    }
    let mut blocks = Vec::new();
    for chunk in lines.split(|l| l.trim().is_empty()) {
        let mut sentences: Vec<&str> = chunk.iter().map(|l| l.trim()).collect();
        if sentences.is_empty() {
            continue;
        }
        let mut attribution = None;
        let mut kind = BlockKind::Paragraph;
        if let Some(by) = sentences[0]
            .strip_prefix("[by ")
            .and_then(|s| s.strip_suffix(']'))
        {
            attribution = Some(by.to_string());
            kind = BlockKind::Embed;
            sentences.remove(0);
        }
        let mut text = String::new();
        let mut spans = Vec::new();
        for s in sentences {
            if !text.is_empty() {
                text.push(' ');
            }
            let start = text.len() as u32;
            text.push_str(s);
            spans.push(Span {
                start,
                end: text.len() as u32,
            });
        }
        blocks.push(Block {
            kind,
            text,
            original: None,
            sentences: spans,
            original_sentences: Vec::new(),
            attribution,
        });
    }
    let id = ArticleId::new(id).expect("case file names are valid ids");
    let mut raw = RawArticle::new(
        id.clone(),
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        text.to_string(),
    );
    raw.meta.published = published.map(PubTime::Date);
    let meta = ArticleMeta {
        published: published.map(PubTime::Date),
        ..ArticleMeta::default()
    };
    let body: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
    let text_sha256 = corpus::sha256_hex(body.join("\n\n"));
    let doc = NormalisedDoc {
        schema: SCHEMA_VERSION,
        id,
        input_sha256: raw.body_sha256.clone(),
        normaliser: "cases".into(),
        meta,
        blocks,
        removed: Vec::new(),
        copy_group: None,
        text_sha256,
    };
    (raw, doc)
}

fn field(v: &serde_json::Value, key: &str) -> String {
    match v.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => "-".into(),
        Some(other) => other.to_string(),
    }
}

fn render(case: &Path, analyser: &Analyser) -> String {
    let mut files: Vec<PathBuf> = fs::read_dir(case)
        .expect("case folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && p.file_name().is_some_and(|n| n != "expected.txt")
        })
        .collect();
    files.sort();
    let loaded: Vec<Loaded> = files
        .iter()
        .map(|f| {
            let stem = f.file_stem().and_then(|s| s.to_str()).expect("file stem");
            let text = fs::read_to_string(f).expect("article text");
            let (raw, doc) = parse_article(stem, &text);
            let claims = analyser.analyse(&doc);
            Loaded { raw, doc, claims }
        })
        .collect();
    let inputs: Vec<events::ArticleInput<'_>> = loaded
        .iter()
        .map(|l| events::ArticleInput {
            raw: &l.raw,
            doc: &l.doc,
            claims: &l.claims,
        })
        .collect();
    let assignment = events::group(&inputs);
    let mut out = String::new();
    for line in analyser::claim_lines(&loaded, &analyser::Rules::builtin()) {
        let article = field(&line, "article");
        let id = ArticleId::new(article.clone()).expect("id");
        let main = assignment
            .main_event
            .get(&id)
            .map(|&e| assignment.events[e].id.clone());
        let event = field(&line, "event");
        // several articles: show the main event's id too, to check they share it
        let event = match (Some(&event) == main.as_ref(), loaded.len() > 1) {
            (true, true) => format!("main {event}"),
            (true, false) => "main".to_string(),
            (false, _) => event,
        };
        let claim = match field(&line, "kind").as_str() {
            "count" => {
                let q = match field(&line, "qualifier").as_str() {
                    "at_least" => ">=",
                    "more_than" => ">",
                    "about" => "~",
                    "vague" => "?",
                    _ => "",
                };
                format!(
                    "{} {q}{} {}",
                    field(&line, "measure"),
                    field(&line, "count"),
                    field(&line, "subject")
                )
            }
            "weapon" => format!("weapon {}", field(&line, "value")),
            "blame" => format!(
                "blame {} -> {}{}",
                field(&line, "accuser"),
                field(&line, "accused"),
                if line.get("denial").and_then(serde_json::Value::as_bool) == Some(true) {
                    " (denial)"
                } else {
                    ""
                }
            ),
            other => other.to_string(),
        };
        let location = if field(&line, "kind") == "count" {
            field(&line, "location")
        } else {
            "-".into()
        };
        out.push_str(&format!(
            "{article} | {claim} | {location} | {event} | {}\n",
            field(&line, "attribution")
        ));
    }
    out
}

#[test]
fn claim_cases() {
    let analyser = Analyser::builtin();
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/data/claims")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {}", cases_dir().display());
    let mut failures = Vec::new();
    for case in &cases {
        let got = render(case, &analyser);
        let expected_path = case.join("expected.txt");
        if update {
            fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            let missing: Vec<&str> = expected
                .lines()
                .filter(|l| !got.lines().any(|g| g == *l))
                .collect();
            let extra: Vec<&str> = got
                .lines()
                .filter(|l| !expected.lines().any(|e| e == *l))
                .collect();
            failures.push(format!(
                "{}:\n  expected but not found:\n    {}\n  found but not expected:\n    {}",
                case.display(),
                missing.join("\n    "),
                extra.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
