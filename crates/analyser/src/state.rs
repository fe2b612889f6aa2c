//! The analyser's state in the corpus: the article index (what each article's claims were
//! made from, and what the comparison needs of it) and the change log, kept as rows of the
//! corpus's store ([`crate::rows`]).
//!
//! The index lets a run find new and changed articles from file stamps alone and rebuild the
//! comparison without reading every raw and normalised record again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use corpus::{
    ArticleClaims, ArticleId, ArticleMeta, ChangeEntry, Claim, EventFrame, FileStamp,
    NormalisedDoc, Origin, RawArticle, RawFormat, SCHEMA_VERSION,
};
use serde::{Deserialize, Serialize};

use crate::compare::ReportOrder;
use crate::compare::changes::Snapshot;
use crate::report::Nav;

/// The index's name: its settings row in the store's `state` table; before the store,
/// `state/analyser-index.json` (one file) and then `state/analyser-index-NN.json`.
pub const INDEX_STATE: &str = "analyser-index";
/// Before the store, the index was kept in this many files, `state/analyser-index-NN.json`,
/// each with the articles whose id hashed to it (read once, to move them into the store).
pub const INDEX_SHARDS: usize = 16;
/// The version of [`Index`] records: 2, the index files kept apart (the last before the
/// store, whose rows have their own version, [`crate::rows::INDEX_ROWS_VERSION`]).
pub const INDEX_VERSION: u32 = 2;
/// The change log's name: its row in the store's `state` table (before the store,
/// `state/analyser-changes.json`).
pub const CHANGES_STATE: &str = "analyser-changes";
/// How many runs with changes the log keeps.
pub const CHANGE_LOG_KEEP: usize = 200;

/// The state name of index file `shard` (before the store).
pub fn index_shard_name(shard: usize) -> String {
    format!("{INDEX_STATE}-{shard:02}")
}

/// Per article: where its claims came from and what the comparison needs of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub schema: u32,
    /// [`INDEX_VERSION`] when written; none (0) in the single file of version 1.
    #[serde(default)]
    pub version: u32,
    pub articles: BTreeMap<ArticleId, IndexEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    /// The normalised record as it was when last read.
    pub normalised: FileStamp,
    /// The normalised text the claims were read from.
    pub text_sha256: String,
    /// The analyser stamp that read them.
    pub analyser: String,
    /// The claims record's file as written: a file changed since (damaged, removed) is read
    /// again, and made again when it cannot be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims_file: Option<FileStamp>,
    pub article: ArticleFacts,
    pub claims: Vec<Claim>,
    /// The article's main event as the extractor read it (for event grouping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_event: Option<EventFrame>,
}

/// What the comparison and event grouping read of an article's raw and normalised records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleFacts {
    pub format: RawFormat,
    pub origin: Origin,
    #[serde(default)]
    pub canonical_url: Option<String>,
    pub retrieved_at: DateTime<Utc>,
    pub raw_meta: ArticleMeta,
    pub raw_sha256: String,
    pub normaliser: String,
    pub doc_meta: ArticleMeta,
    #[serde(default)]
    pub copy_group: Option<String>,
}

impl ArticleFacts {
    pub fn of(raw: &RawArticle, doc: &NormalisedDoc) -> ArticleFacts {
        ArticleFacts {
            format: raw.format,
            origin: raw.origin.clone(),
            canonical_url: raw.canonical_url.clone(),
            retrieved_at: raw.retrieved_at,
            raw_meta: raw.meta.clone(),
            raw_sha256: doc.input_sha256.clone(),
            normaliser: doc.normaliser.clone(),
            doc_meta: doc.meta.clone(),
            copy_group: doc.copy_group.clone(),
        }
    }
}

impl IndexEntry {
    /// The article's records as far as the index keeps them: metadata and claims; the raw
    /// body and the normalised blocks are empty.
    pub fn into_records(self, id: ArticleId) -> (RawArticle, NormalisedDoc, ArticleClaims) {
        let facts = self.article;
        let raw = RawArticle {
            schema: SCHEMA_VERSION,
            id: id.clone(),
            format: facts.format,
            origin: facts.origin,
            canonical_url: facts.canonical_url,
            retrieved_at: facts.retrieved_at,
            meta: facts.raw_meta,
            feed_entry: None,
            http: None,
            raw_blob: None,
            body_sha256: facts.raw_sha256.clone(),
            body: String::new(),
        };
        let doc = NormalisedDoc {
            schema: SCHEMA_VERSION,
            id: id.clone(),
            input_sha256: facts.raw_sha256,
            normaliser: facts.normaliser,
            meta: facts.doc_meta,
            blocks: Vec::new(),
            removed: Vec::new(),
            copy_group: facts.copy_group,
            text_sha256: self.text_sha256.clone(),
        };
        let claims = ArticleClaims {
            schema: SCHEMA_VERSION,
            article: id,
            input_sha256: self.text_sha256,
            analyser: self.analyser,
            claims: self.claims,
            main_event: self.main_event,
        };
        (raw, doc, claims)
    }
}

/// The change log and what it compares the next run against.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeLog {
    pub schema: u32,
    /// When the comparison was last made.
    pub changed_at: DateTime<Utc>,
    /// What made the last report besides the articles (program, rules, templates): a change
    /// means the report is made again even when no article changed.
    #[serde(default)]
    pub program: String,
    /// What the last report was made from: a hash of every article's version (its normalised
    /// record's stamp and the analyser that read it). Written with the log, after the report
    /// files, this is what says the report is current: a run that died before it leaves a
    /// hash that differs, and the next run makes the report again.
    #[serde(default)]
    pub inputs: String,
    /// Runs that changed something, newest first.
    pub entries: Vec<ChangeEntry>,
    pub snapshot: Snapshot,
    /// The report as last written, event by event. Kept with the snapshot it was made with:
    /// a run makes again only the events whose members changed, and keeps the others'
    /// files. Absent (earlier versions, another layout, or not written): made whole.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_parts"
    )]
    pub parts: Option<ReportParts>,
    /// Articles the last report was made from.
    #[serde(default)]
    pub articles: usize,
    /// A hash of the stamps of the normalised and claims records and of the index files as
    /// the last run left them: a run that finds them so (and the same program, the report
    /// as written) is idle without reading the index.
    #[serde(default)]
    pub listing: String,
    /// The stamps of `normalised/` and `claims/` as the last run left them (none when one
    /// had just changed, or when something failed): while they are the same (no record
    /// added, replaced or removed), a run is idle without listing the records.
    #[serde(default)]
    pub folders: BTreeMap<String, FileStamp>,
}

/// The parts of the change log, or none when they are of another layout (the report is
/// then made whole, and the change log kept).
fn lenient_parts<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ReportParts>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.and_then(|v| serde_json::from_value(v).ok()))
}

/// What the report is made of, and what each event's files were made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportParts {
    /// Stamps of the report's top files, of `list/` and of each `events/<month>/` folder as
    /// written, by path relative to `report/`: a folder changed since (a file removed or
    /// replaced) has its events made again.
    pub files: BTreeMap<String, FileStamp>,
    /// By event id.
    pub events: BTreeMap<String, EventPart>,
    /// The list's data files (`list/<name>.js`) by name, each with a hash of its bytes.
    #[serde(default)]
    pub lists: BTreeMap<String, String>,
}

/// One event in the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPart {
    /// A hash of what the event's report is made from: the event, its articles' records and
    /// which of their claims are about it.
    pub inputs: String,
    pub order: ReportOrder,
    pub nav: Nav,
}

impl ChangeLog {
    pub fn new(now: DateTime<Utc>) -> ChangeLog {
        ChangeLog {
            schema: SCHEMA_VERSION,
            changed_at: now,
            program: String::new(),
            inputs: String::new(),
            entries: Vec::new(),
            snapshot: Snapshot::default(),
            parts: None,
            articles: 0,
            listing: String::new(),
            folders: BTreeMap::new(),
        }
    }
}
