//! `normaliser stream`: stream records ([`corpus::stream::StreamRecord`], one JSON object a
//! line) in, normalised articles out, one row a record:
//! `{"id": ..., "raw": RawArticle, "doc": NormalisedDoc}`, the raw record without its body
//! (the analyser needs its address, dates and outlet, not the page again). Stateless and
//! deterministic: a record gives the same row on every run, whatever came before it. The
//! line loop, its caps and its error rows are `cli::stream`'s.

use corpus::stream::StreamRecord;
use corpus::{NormalisedDoc, RawArticle};
use serde::{Deserialize, Serialize};

use crate::Normaliser;

/// One row of `normaliser stream`'s output: what `analyser stream` reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NormalisedRow {
    pub id: String,
    pub raw: RawArticle,
    pub doc: NormalisedDoc,
}

/// Normalises one record (a line of JSON): its row, or why there is none.
pub fn normalise_line(normaliser: &Normaliser, line: &str) -> Result<NormalisedRow, String> {
    let record: StreamRecord = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut raw = record.to_raw().map_err(|e| e.to_string())?;
    let doc = normaliser.normalise(&raw);
    raw.body = String::new();
    Ok(NormalisedRow {
        id: record.id,
        raw,
        doc,
    })
}

/// [`normalise_line`] as the rows `cli::stream::run` writes.
pub fn work(normaliser: &Normaliser, line: &str) -> cli::stream::Outcome {
    let row = normalise_line(normaliser, line)?;
    serde_json::to_string(&row)
        .map(|json| vec![json])
        .map_err(|e| e.to_string())
}
