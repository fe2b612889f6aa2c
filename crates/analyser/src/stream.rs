//! The analyser's streaming modes (docs/scale-out.md):
//!
//! - `analyser stream` reads `normaliser stream`'s rows (`{"id", "raw", "doc"}`, one a line)
//!   and writes each article's claims as `analyser claims --format jsonl` writes them (same
//!   fields); the event of a claim is then the one the article alone gives (its main event's
//!   place, day and kind), since a record is read alone. Stateless and deterministic.
//! - `analyser stream --articles` writes one row an article instead: `{"id", "raw", "doc",
//!   "claims"}` without the body and blocks (what event grouping needs, a few KB).
//! - `analyser group` reads those article rows, all of them, groups the claims into events
//!   across articles as a corpus run does ([`crate::events::group`]), and writes the claims
//!   with their events: the one step that needs every article at once.

use corpus::{ArticleClaims, NormalisedDoc, RawArticle};
use serde::{Deserialize, Serialize};

use crate::{Analyser, Loaded, Rules, claim_lines};

/// A row of `normaliser stream` (its `id` is the raw record's).
#[derive(Debug, Deserialize)]
struct NormalisedRow {
    raw: RawArticle,
    doc: NormalisedDoc,
}

/// One article as `analyser stream --articles` writes it and `analyser group` reads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleRow {
    pub id: String,
    pub raw: RawArticle,
    pub doc: NormalisedDoc,
    pub claims: ArticleClaims,
}

impl ArticleRow {
    fn into_loaded(self) -> Loaded {
        Loaded {
            raw: self.raw,
            doc: self.doc,
            claims: self.claims,
        }
    }
}

/// Reads one normalised row and extracts its claims: the article as a row of its own, its
/// body and blocks left out.
pub fn article(analyser: &Analyser, line: &str) -> Result<ArticleRow, String> {
    let row: NormalisedRow = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut doc = row.doc;
    if doc.id != row.raw.id {
        return Err(format!(
            "the normalised record is of {}, the raw one of {}",
            doc.id, row.raw.id
        ));
    }
    let claims = analyser.analyse(&doc);
    doc.blocks = Vec::new();
    doc.removed = Vec::new();
    let mut raw = row.raw;
    raw.body = String::new();
    Ok(ArticleRow {
        id: raw.id.to_string(),
        raw,
        doc,
        claims,
    })
}

/// `analyser stream`'s rows for one line: the article's claims as `claims --format jsonl`
/// lines, each event the one the article alone gives.
pub fn claims_rows(analyser: &Analyser, rules: &Rules, line: &str) -> cli::stream::Outcome {
    let loaded = [article(analyser, line)?.into_loaded()];
    Ok(claim_lines(&loaded, rules)
        .iter()
        .map(|l| l.to_string())
        .collect())
}

/// `analyser stream --articles`'s row for one line.
pub fn article_rows(analyser: &Analyser, line: &str) -> cli::stream::Outcome {
    let row = article(analyser, line)?;
    serde_json::to_string(&row)
        .map(|json| vec![json])
        .map_err(|e| e.to_string())
}

/// The claims of all the articles, grouped into events across them: the lines
/// `analyser claims --format jsonl` prints for a corpus of these articles. Articles are
/// taken in the order of their ids (one id twice: the last row), so the order of the
/// rows does not matter.
pub fn group(rows: Vec<ArticleRow>, rules: &Rules) -> Vec<serde_json::Value> {
    let mut by_id = std::collections::BTreeMap::new();
    for row in rows {
        by_id.insert(row.id.clone(), row);
    }
    let loaded: Vec<Loaded> = by_id.into_values().map(ArticleRow::into_loaded).collect();
    claim_lines(&loaded, rules)
}

/// Reads `analyser stream --articles`'s rows, one a line: the articles, and an error row
/// (as `cli::stream` writes them) for each line that is not one; error rows of earlier
/// stages are kept as they are. Blank lines are skipped.
pub fn read_articles(
    input: impl std::io::BufRead,
) -> std::io::Result<(Vec<ArticleRow>, Vec<String>)> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in input.split(b'\n').enumerate() {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.starts_with(b"{\"error\":") {
            errors.push(String::from_utf8_lossy(&line).into_owned());
            continue;
        }
        let text = std::str::from_utf8(&line).map_err(|e| e.to_string());
        match text.and_then(|t| serde_json::from_str::<ArticleRow>(t).map_err(|e| e.to_string())) {
            Ok(row) => rows.push(row),
            Err(e) => {
                let text = std::str::from_utf8(&line).ok();
                errors.push(cli::stream::error_row("analyser", n + 1, text, &e));
            }
        }
    }
    Ok((rows, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One analyser for the tests of this module (building one takes seconds in a test build).
    static ANALYSER: std::sync::LazyLock<Analyser> = std::sync::LazyLock::new(Analyser::builtin);

    fn normalised_line(id: &str, text: &str, date: &str) -> String {
        let record = corpus::stream::StreamRecord {
            id: id.into(),
            text: Some(text.into()),
            date: Some(date.into()),
            outlet: Some(format!("{id} news")),
            ..Default::default()
        };
        let raw = record.to_raw().unwrap();
        let doc = normaliser::Normaliser::builtin().normalise(&raw);
        serde_json::json!({"id": id, "raw": raw, "doc": doc}).to_string()
    }

    #[test]
    fn group_does_not_depend_on_the_order_of_the_rows() {
        let analyser = &*ANALYSER;
        let rows: Vec<ArticleRow> = [
            (
                "a",
                "A missile strike on Kharkiv killed 12 people on Monday, officials said.",
            ),
            (
                "b",
                "At least 14 people were killed in Monday's missile strike on Kharkiv.",
            ),
        ]
        .iter()
        .map(|(id, text)| article(analyser, &normalised_line(id, text, "2024-05-06")).unwrap())
        .collect();
        assert!(
            rows.iter()
                .all(|r| r.doc.blocks.is_empty() && r.raw.body.is_empty())
        );
        let rules = Rules::builtin();
        let forward = group(rows.clone(), &rules);
        let backward = group(rows.into_iter().rev().collect(), &rules);
        assert_eq!(forward, backward);
        let events: std::collections::BTreeSet<_> =
            forward.iter().map(|l| l["event"].to_string()).collect();
        assert_eq!(
            events.len(),
            1,
            "one event across both articles: {forward:?}"
        );
        assert_eq!(forward.iter().filter(|l| l["kind"] == "count").count(), 2);
    }

    #[test]
    fn a_row_whose_records_disagree_is_refused() {
        let line = normalised_line("a", "Two people died.", "2024-05-06");
        let mut v: serde_json::Value = serde_json::from_str(&line).unwrap();
        v["doc"]["id"] = "b".into();
        let e = article(&ANALYSER, &v.to_string()).unwrap_err();
        assert_eq!(e, "the normalised record is of b, the raw one of a");
    }
}
