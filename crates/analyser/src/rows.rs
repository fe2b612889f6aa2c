//! The analyser's state as rows of the corpus's store (issue 16): the index (a row per
//! article in the `analyser` table), the change log (a row in the `state` table, without its
//! events) and the events (a row per event in the `events` table: what its report files were
//! made from and its snapshot). A run writes only the rows that changed, each table's in one
//! transaction after the files the rows describe; an idle run reads one row.
//!
//! A corpus made before the store kept these as JSON files (`state/analyser-index-NN.json`,
//! `state/analyser-changes.json`); [`migrate`] moves them into the store in one transaction,
//! then removes the files.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use corpus::{
    ArticleId, Batch, Corpus, CorpusError, EventFrame, FileStamp, PubTime, SCHEMA_VERSION, Store,
    Table,
};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use tracing::{info, warn};
use xxhash_rust::xxh3::xxh3_64;

use crate::compare::changes::EventSnapshot;
use crate::events::{ClaimKey, GroupInput};
use crate::state::{
    CHANGES_STATE, ChangeLog, EventPart, INDEX_SHARDS, INDEX_STATE, Index, IndexEntry,
    index_shard_name,
};

/// The version of the index rows: rows of another version are read again from the records.
/// (1 and 2 were the index files of earlier versions; 3 the rows of the store.)
pub const INDEX_ROWS_VERSION: u32 = 3;

/// The settings row of the index (`state` table, key [`INDEX_STATE`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSettings {
    pub schema: u32,
    pub version: u32,
}

impl IndexSettings {
    fn current() -> IndexSettings {
        IndexSettings {
            schema: SCHEMA_VERSION,
            version: INDEX_ROWS_VERSION,
        }
    }
}

/// One event's row: what its report files were made from, and its snapshot (what the next
/// run's changes are found against).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<EventPart>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<EventSnapshot>,
}

/// Rows of a table as a run read them (a hash of each row's JSON, by key), to write only
/// those that changed; or none trusted (`clear`): every row is written again.
#[derive(Debug, Default)]
pub struct ReadRows {
    clear: bool,
    read: FxHashMap<String, u64>,
}

impl ReadRows {
    /// No rows trusted: every row is written again (the table cleared first).
    pub fn new_clear() -> ReadRows {
        ReadRows {
            clear: true,
            read: FxHashMap::default(),
        }
    }

    /// Puts into `batch` the rows of `current` that differ from those read, and removes
    /// those read that are not in it.
    fn write<'a, T: Serialize>(
        &self,
        table: Table,
        current: impl Iterator<Item = (&'a str, T)>,
        batch: &mut Batch,
    ) {
        if self.clear {
            batch.clear(table);
        }
        let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
        for (key, value) in current {
            let json = serde_json::to_string(&value).expect("a row serialises");
            if self.clear || self.read.get(key) != Some(&xxh3_64(json.as_bytes())) {
                batch.put_json(table, key, json);
            }
            seen.insert(key);
        }
        if !self.clear {
            for key in self.read.keys().filter(|k| !seen.contains(k.as_str())) {
                batch.delete(table, key);
            }
        }
    }
}

/// Reads the index rows; rows of another version, or that cannot be read, are left out
/// (their articles are read again from their records, and every row written again).
pub fn read_index(store: &Store) -> (Index, ReadRows) {
    let mut index = Index {
        schema: SCHEMA_VERSION,
        version: crate::state::INDEX_VERSION,
        articles: BTreeMap::new(),
    };
    let mut rows = ReadRows {
        clear: true,
        read: FxHashMap::default(),
    };
    match store.get::<IndexSettings>(Table::State, INDEX_STATE) {
        Ok(Some(s)) if s == IndexSettings::current() => {}
        Ok(Some(s)) => {
            warn!(
                schema = s.schema,
                version = s.version,
                "analyser index of another version; its articles are read again"
            );
            return (index, rows);
        }
        Ok(None) => return (index, rows),
        Err(e) => {
            warn!(error = %e, "analyser index unreadable; its articles are read again");
            return (index, rows);
        }
    }
    let all = match store.all_raw(Table::Analyser) {
        Ok(all) => all,
        Err(e) => {
            warn!(error = %e, "analyser index unreadable; its articles are read again");
            return (index, rows);
        }
    };
    rows.clear = false;
    let decoded = crate::parallel_map(&all, |(key, json)| {
        let entry = serde_json::from_str::<IndexEntry>(json);
        (ArticleId::new(key), entry, xxh3_64(json.as_bytes()))
    });
    for ((key, _), (id, entry, hash)) in all.iter().zip(decoded) {
        rows.read.insert(key.clone(), hash);
        match (id, entry) {
            (Ok(id), Ok(entry)) => {
                index.articles.insert(id, entry);
            }
            (_, Err(e)) => {
                warn!(article = %key, error = %e, "analyser index row unreadable; its article is read again")
            }
            (Err(e), _) => warn!(article = %key, error = %e, "ignoring an index row"),
        }
    }
    (index, rows)
}

/// What a run reads of an article's index row to group the corpus and find what changed:
/// the row without its claims' quotes and facts, nor the article's metadata but its day
/// of publication ([`IndexEntry`] is the whole row).
#[derive(Clone, Debug, Deserialize)]
pub struct KeyEntry {
    pub normalised: FileStamp,
    pub analyser: String,
    #[serde(default)]
    pub claims_file: Option<FileStamp>,
    article: KeyFacts,
    pub claims: Vec<ClaimKey>,
    #[serde(default)]
    pub main_event: Option<EventFrame>,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct KeyFacts {
    #[serde(default)]
    doc_meta: KeyMeta,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct KeyMeta {
    #[serde(default)]
    published: Option<PubTime>,
}

impl KeyEntry {
    /// What grouping reads of the article ([`IndexEntry::into_records`] gives the same).
    pub fn group_input(&self, id: ArticleId) -> GroupInput {
        GroupInput {
            id,
            published: self.article.doc_meta.published.as_ref().map(PubTime::date),
            main_event: self.main_event.clone(),
            claims: self.claims.clone(),
        }
    }

    /// The keys of a whole entry.
    pub fn of(entry: &IndexEntry) -> KeyEntry {
        KeyEntry {
            normalised: entry.normalised,
            analyser: entry.analyser.clone(),
            claims_file: entry.claims_file,
            article: KeyFacts {
                doc_meta: KeyMeta {
                    published: entry.article.doc_meta.published,
                },
            },
            claims: entry.claims.iter().map(ClaimKey::of).collect(),
            main_event: entry.main_event.clone(),
        }
    }
}

/// How many index rows a run decodes at once: the text of one chunk is held, never the whole
/// table's.
const SCAN_CHUNK: usize = 2_000;

/// Reads the index rows as [`KeyEntry`], a chunk at a time (each decoded on every core);
/// rows of another version, or that cannot be read, are left out, as [`read_index`] does.
pub fn read_keys(store: &Store) -> (BTreeMap<ArticleId, KeyEntry>, ReadRows) {
    let mut keys = BTreeMap::new();
    let mut rows = ReadRows {
        clear: true,
        read: FxHashMap::default(),
    };
    if !settings_current(store) {
        return (keys, rows);
    }
    let scanned = store.for_each_chunk(Table::Analyser, SCAN_CHUNK, |chunk| {
        let decoded = crate::parallel_map(&chunk, |(key, json)| {
            let entry = serde_json::from_str::<KeyEntry>(json);
            (ArticleId::new(key), entry, xxh3_64(json.as_bytes()))
        });
        for ((key, _), (id, entry, hash)) in chunk.iter().zip(decoded) {
            rows.read.insert(key.clone(), hash);
            match (id, entry) {
                (Ok(id), Ok(entry)) => {
                    keys.insert(id, entry);
                }
                (_, Err(e)) => {
                    warn!(article = %key, error = %e, "analyser index row unreadable; its article is read again")
                }
                (Err(e), _) => warn!(article = %key, error = %e, "ignoring an index row"),
            }
        }
        Ok(())
    });
    match scanned {
        Ok(()) => rows.clear = false,
        Err(e) => {
            warn!(error = %e, "analyser index unreadable; its articles are read again");
            keys.clear();
            rows.read.clear();
        }
    }
    (keys, rows)
}

/// Whether the index's settings row is this version's (else its rows are read again from
/// the records, and written whole).
fn settings_current(store: &Store) -> bool {
    match store.get::<IndexSettings>(Table::State, INDEX_STATE) {
        Ok(Some(s)) if s == IndexSettings::current() => true,
        Ok(Some(s)) => {
            warn!(
                schema = s.schema,
                version = s.version,
                "analyser index of another version; its articles are read again"
            );
            false
        }
        Ok(None) => false,
        Err(e) => {
            warn!(error = %e, "analyser index unreadable; its articles are read again");
            false
        }
    }
}

/// The whole index rows of these articles (those that exist and can be read), by id.
pub fn read_entries(store: &Store, ids: &[&ArticleId]) -> BTreeMap<ArticleId, IndexEntry> {
    let keys: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
    let texts: Vec<(String, String)> = keys
        .iter()
        .filter_map(|key| match store.get_raw(Table::Analyser, key) {
            Ok(json) => Some((key.to_string(), json?)),
            Err(e) => {
                warn!(article = %key, error = %e, "analyser index row unreadable");
                None
            }
        })
        .collect();
    let decoded = crate::parallel_map(&texts, |(key, json)| {
        (
            ArticleId::new(key),
            serde_json::from_str::<IndexEntry>(json),
        )
    });
    let mut out = BTreeMap::new();
    for ((key, _), (id, entry)) in texts.iter().zip(decoded) {
        match (id, entry) {
            (Ok(id), Ok(entry)) => {
                out.insert(id, entry);
            }
            (_, Err(e)) => warn!(article = %key, error = %e, "analyser index row unreadable"),
            (Err(e), _) => warn!(article = %key, error = %e, "ignoring an index row"),
        }
    }
    out
}

/// The rows of the entries made again this run that differ from those read; with `first`
/// (the run's first batch), the removal of those read that are gone (`removed`), and the
/// settings row when the table is written whole.
pub fn index_changes_batch<'a>(
    entries: impl Iterator<Item = (&'a ArticleId, &'a IndexEntry)>,
    removed: &[ArticleId],
    rows: &ReadRows,
    first: bool,
) -> Batch {
    let mut batch = Batch::new();
    if rows.clear && first {
        batch.clear(Table::Analyser);
        batch.put(Table::State, INDEX_STATE, &IndexSettings::current());
    }
    for (id, entry) in entries {
        let json = serde_json::to_string(entry).expect("a row serialises");
        if rows.clear || rows.read.get(id.as_str()) != Some(&xxh3_64(json.as_bytes())) {
            batch.put_json(Table::Analyser, id.as_str(), json);
        }
    }
    if !rows.clear && first {
        for id in removed
            .iter()
            .filter(|id| rows.read.contains_key(id.as_str()))
        {
            batch.delete(Table::Analyser, id.as_str());
        }
    }
    batch
}

/// The index rows that changed, and the settings row, as a batch.
pub fn index_batch(index: &Index, rows: &ReadRows) -> Batch {
    let mut batch = Batch::new();
    if rows.clear {
        batch.put(Table::State, INDEX_STATE, &IndexSettings::current());
    }
    let current = index.articles.iter().map(|(id, e)| (id.as_str(), e));
    rows.write(Table::Analyser, current, &mut batch);
    batch
}

/// The change log's row, without its events; `Ok(None)` when there is none yet. A row that
/// cannot be read is an error carrying its text ([`LogError`]).
pub fn read_log_head(store: &Store) -> Result<Option<ChangeLog>, LogError> {
    let Some(json) = store.get_raw(Table::State, CHANGES_STATE)? else {
        return Ok(None);
    };
    match serde_json::from_str(&json) {
        Ok(log) => Ok(Some(log)),
        Err(source) => Err(LogError::Corrupt {
            error: CorpusError::Corrupt {
                path: store.path().join(Table::State.name()).join(CHANGES_STATE),
                source,
            },
            text: json,
        }),
    }
}

/// A change log that cannot be read: the store failed, or its row is damaged (its text kept
/// to be set aside).
#[derive(Debug)]
pub enum LogError {
    Store(CorpusError),
    Corrupt { error: CorpusError, text: String },
}

impl From<CorpusError> for LogError {
    fn from(e: CorpusError) -> LogError {
        LogError::Store(e)
    }
}

/// Puts the events' rows into the change log (its parts and snapshot), and returns the rows
/// as read. An event row that cannot be read is left out (its event is made again).
pub fn read_log_events(store: &Store, log: &mut ChangeLog) -> ReadRows {
    let mut rows = ReadRows::default();
    let all = match store.all_raw(Table::Events) {
        Ok(all) => all,
        Err(e) => {
            warn!(error = %e, "event rows unreadable; the report is made whole");
            rows.clear = true;
            log.parts = None;
            return rows;
        }
    };
    for (key, json) in all {
        rows.read.insert(key.clone(), xxh3_64(json.as_bytes()));
        match serde_json::from_str::<EventRow>(&json) {
            Ok(row) => {
                if let (Some(part), Some(parts)) = (row.part, log.parts.as_mut()) {
                    parts.events.insert(key.clone(), part);
                }
                if let Some(snapshot) = row.snapshot {
                    log.snapshot.events.insert(key, snapshot);
                }
            }
            Err(e) => {
                warn!(event = %key, error = %e, "event row unreadable; the event is made again")
            }
        }
    }
    rows
}

/// The change log as rows: its head (without events) and the event rows that changed.
pub fn log_batch(log: &ChangeLog, rows: &ReadRows) -> Batch {
    let mut head = log.clone();
    let mut events: BTreeMap<String, EventRow> = BTreeMap::new();
    for (id, snapshot) in std::mem::take(&mut head.snapshot.events) {
        events.entry(id).or_default().snapshot = Some(snapshot);
    }
    if let Some(parts) = head.parts.as_mut() {
        for (id, part) in std::mem::take(&mut parts.events) {
            events.entry(id).or_default().part = Some(part);
        }
    }
    let mut batch = Batch::new();
    batch.put(Table::State, CHANGES_STATE, &head);
    rows.write(
        Table::Events,
        events.iter().map(|(k, v)| (k.as_str(), v)),
        &mut batch,
    );
    batch
}

/// [`log_batch`] for a run that made again only the events `made`: the other events' rows
/// are as read (a kept event keeps its part and snapshot), so only the rows of `made` are
/// serialised, and those read of events gone removed. With no rows trusted, every row.
pub fn log_batch_of(log: &ChangeLog, rows: &ReadRows, made: &BTreeSet<&str>) -> Batch {
    if rows.clear {
        return log_batch(log, rows);
    }
    let mut batch = log_head_batch(log);
    let parts = log.parts.as_ref();
    for &id in made {
        let row = EventRow {
            part: parts.and_then(|p| p.events.get(id)).cloned(),
            snapshot: log.snapshot.events.get(id).cloned(),
        };
        let json = serde_json::to_string(&row).expect("a row serialises");
        if rows.read.get(id) != Some(&xxh3_64(json.as_bytes())) {
            batch.put_json(Table::Events, id, json);
        }
    }
    let current = |id: &str| {
        log.snapshot.events.contains_key(id) || parts.is_some_and(|p| p.events.contains_key(id))
    };
    for id in rows.read.keys().filter(|id| !current(id)) {
        batch.delete(Table::Events, id);
    }
    batch
}

/// The change log's head row alone (its events as they are in the store): for a run that
/// changed only what the head says.
pub fn log_head_batch(log: &ChangeLog) -> Batch {
    let mut head = log.clone();
    head.snapshot.events.clear();
    if let Some(parts) = head.parts.as_mut() {
        parts.events.clear();
    }
    let mut batch = Batch::new();
    batch.put(Table::State, CHANGES_STATE, &head);
    batch
}

/// The state files of a corpus made before the store: the index files (and the single
/// index file of before them) and the change log.
fn old_state_names() -> Vec<String> {
    let mut names: Vec<String> = (0..INDEX_SHARDS).map(index_shard_name).collect();
    names.push(INDEX_STATE.to_string());
    names.push(CHANGES_STATE.to_string());
    names
}

/// Moves the analyser's state of a corpus made before the store into it: the index files'
/// entries and the change log (with its events) in one transaction, then the files removed.
/// A run killed between the two leaves the rows, and the next removes the files. An index
/// file that cannot be read, or of another version, leaves its articles to be read again
/// from their records; a change log that cannot be read is set aside, as a run would.
pub fn migrate(corpus: &Corpus, store: &mut Store, now: DateTime<Utc>) -> Result<(), CorpusError> {
    let mut present = Vec::new();
    for name in old_state_names() {
        if corpus.state_path(&name)?.exists() {
            present.push(name);
        }
    }
    if present.is_empty() {
        return Ok(());
    }
    let migrated = store.get_raw(Table::State, INDEX_STATE)?.is_some()
        || store.get_raw(Table::State, CHANGES_STATE)?.is_some();
    if !migrated {
        let mut batch = index_batch(&old_index(corpus), &ReadRows::new_clear());
        match corpus.read_state::<ChangeLog>(CHANGES_STATE) {
            Ok(Some(log)) => {
                let log_rows = log_batch(&log, &ReadRows::new_clear());
                batch.extend(log_rows);
            }
            Ok(None) => {}
            Err(e) => {
                let aside = corpus.set_aside_state(CHANGES_STATE, now)?;
                warn!(error = %e, kept = %aside.display(), "change log unreadable; set aside, a new one started");
            }
        }
        store.write(batch)?;
        info!(files = present.len(), "analyser state moved into the store");
    }
    for name in present {
        corpus.remove_state(&name)?;
    }
    Ok(())
}

/// The entries of the index files of a corpus made before the store (version 2, one file
/// per hash of the id); a file that cannot be read, or of another version, is left out.
fn old_index(corpus: &Corpus) -> Index {
    let mut index = Index {
        schema: SCHEMA_VERSION,
        version: crate::state::INDEX_VERSION,
        articles: BTreeMap::new(),
    };
    for shard in 0..INDEX_SHARDS {
        let name = index_shard_name(shard);
        match corpus.read_state::<Index>(&name) {
            Ok(Some(old)) if old.schema == SCHEMA_VERSION && old.version == 2 => {
                index.articles.extend(old.articles)
            }
            Ok(Some(_)) => {
                warn!(file = %name, "analyser index file of another version; its articles are read again")
            }
            Ok(None) => {}
            Err(e) => {
                warn!(error = %e, "analyser index file unreadable; its articles are read again")
            }
        }
    }
    index
}
