//! The corpus run: normalises every raw article that is new or changed (or was made by
//! another normaliser version), keeps the copy groups up to date, and removes the derived
//! records of articles no longer in the corpus.
//!
//! It is incremental and idempotent. The state (rows of the corpus's store: one per article
//! in its `normaliser` table, and the settings they were made with in its `state` table;
//! `state/normaliser.json` before issue 16, moved into the store by the first run) remembers,
//! per article, the raw body and normaliser stamp its record was made from, its copy signature,
//! the few copy links that keep its group together (see [`copies`]: a group of n copies
//! keeps n - 1 links, so the state grows with the corpus, not with the square of a wire
//! story's copies) and the copy group written to its record. An article whose raw body and
//! stamp match its entry, and whose record file is as written (the same [`FileStamp`]), is
//! neither normalised again nor its record read; a record changed since is read, and made
//! again when it cannot be. Copies are found
//! through an index of the stored signatures (never by comparing the corpus pairwise), and a
//! record is rewritten only when its text or its group changed.
//! A run with nothing new writes no file. A raw record that cannot be read is an error that
//! names the file; the run goes on with the rest, keeping that article's earlier records.

use std::collections::{BTreeMap, BTreeSet};

use corpus::{ArticleId, Batch, Corpus, CorpusError, FileStamp, NormalisedDoc, Store, Table};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tracing::{debug, info, warn};
use xxhash_rust::xxh3::xxh3_64;

use crate::Normaliser;
use crate::copies::{self, CopyIndex, Signature};

/// The state's name: its settings row in the store's `state` table, and the JSON file
/// (`state/normaliser.json`) that held the whole state before the store.
pub const STATE_NAME: &str = "normaliser";
const STATE_SCHEMA: u32 = 1;
/// Articles are read and normalised this many at a time, in parallel; about as many
/// normalised records wait in memory for their copy groups.
const PENDING_MAX: usize = 500;

/// What the normaliser remembers between runs: as the JSON file of earlier versions held it,
/// and as a run holds it (the store keeps [`StateSettings`] and one row per article).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NormaliserState {
    pub schema: u32,
    /// [`copies::METHOD`] of the signatures and links below.
    pub copy_method: String,
    pub articles: BTreeMap<ArticleId, ArticleEntry>,
}

/// The row of the last run (`state` table): what an idle run compares, without reading an
/// article's row.
pub const LAST_RUN: &str = "normaliser-run";
/// The folders whose stamps tell that nothing changed since the last run.
const FOLDERS: [&str; 2] = [corpus::Layout::RAW, corpus::Layout::NORMALISED];

/// What the last run left: the normaliser it ran, how many articles, and the stamps of
/// `raw/` and `normalised/` as it left them (none when one of them had just changed, or
/// when an article failed: the next run then looks at every article).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastRun {
    pub normaliser: String,
    pub articles: usize,
    pub folders: BTreeMap<String, FileStamp>,
}

/// The settings row of the state: what its article rows were made with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSettings {
    pub schema: u32,
    /// [`copies::METHOD`] of the signatures and links of the rows.
    pub copy_method: String,
}

impl StateSettings {
    fn current() -> StateSettings {
        StateSettings {
            schema: STATE_SCHEMA,
            copy_method: copies::METHOD.to_string(),
        }
    }
}

/// One article's entry in the state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleEntry {
    /// `body_sha256` of the raw article the stored record was made from.
    pub input_sha256: String,
    /// The normaliser stamp of the stored record.
    pub normaliser: String,
    pub signature: Signature,
    /// Copies with a smaller id this one is linked to: with the others' links, they join
    /// each copy group (not every copy is listed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ArticleId>,
    /// The copy group written in the stored record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_group: Option<String>,
    /// The stored record's file as written: a file changed since (damaged, cut short,
    /// replaced) is read again, and made again when it cannot be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<FileStamp>,
    /// The raw record's file as it was when the stored record was made from it: while it
    /// has this stamp, the raw record is not read again (a run with nothing new reads no
    /// article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<FileStamp>,
}

/// What a corpus run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Articles whose normalised record was made again.
    pub normalised: usize,
    pub unchanged: usize,
    /// Records rewritten only because their copy group changed.
    pub regrouped: usize,
    /// Articles no longer in the corpus whose derived records were removed.
    pub removed_stale: usize,
    pub failed: usize,
}

impl RunSummary {
    /// Whether the run changed any file.
    pub fn nothing_to_do(&self) -> bool {
        self.normalised + self.regrouped + self.removed_stale == 0
    }
}

/// Normalises every new or changed article of the corpus and updates copy groups.
pub fn run(corpus: &Corpus, normaliser: &Normaliser) -> Result<RunSummary, CorpusError> {
    let mut summary = RunSummary::default();
    let mut store = corpus.store()?;
    migrate(corpus, &mut store)?;
    if let Some(articles) = idle(corpus, &store, normaliser) {
        debug!("no raw or normalised record added, replaced or removed since the last run");
        summary.unchanged = articles;
        return Ok(summary);
    }
    let (mut state, rows) = load_state(&store);
    let listed = corpus.raw_stamps()?;
    let ids: Vec<ArticleId> = listed.iter().map(|(id, _)| id.clone()).collect();
    let raw_stamps: BTreeMap<&ArticleId, FileStamp> =
        listed.iter().map(|(id, stamp)| (id, *stamp)).collect();
    let present: BTreeSet<&ArticleId> = ids.iter().collect();

    let mut index = CopyIndex::new(
        state
            .articles
            .iter()
            .map(|(id, e)| (id.clone(), e.signature.clone()))
            .collect(),
        state
            .articles
            .iter()
            .filter(|(_, e)| !e.links.is_empty())
            .map(|(id, e)| (id.clone(), e.links.clone()))
            .collect(),
    );

    remove_stale(corpus, &present, &mut state, &mut index, &mut summary)?;

    // New and changed records wait for their copy group, so that each is written once; past
    // PENDING_MAX they are written with the groups known so far (bounding memory), and the
    // few whose group a later article changes are rewritten below. Each slice of articles is
    // read and normalised in parallel; their signatures join the index one by one.
    let mut pending: Vec<NormalisedDoc> = Vec::new();
    for slice in ids.chunks(PENDING_MAX) {
        let refreshed: Vec<_> = slice
            .par_iter()
            .map(|id| refresh(corpus, normaliser, id, raw_stamps.get(id), &state, &index))
            .collect();
        for (id, refreshed) in slice.iter().zip(refreshed) {
            match refreshed {
                Ok(Refresh::Unchanged) => summary.unchanged += 1,
                Ok(Refresh::Touched) => {
                    if let Some(entry) = state.articles.get_mut(id) {
                        entry.raw = raw_stamps.get(id).copied();
                    }
                    summary.unchanged += 1;
                }
                Ok(Refresh::Stored(doc, signature)) => {
                    remember(id, signature, &mut state, &mut index);
                    current(corpus, &doc, &mut state, raw_stamps.get(id).copied());
                    summary.unchanged += 1;
                }
                Ok(Refresh::Made(doc, signature)) => {
                    if let Some(why) = crate::refusal(&doc) {
                        // Stored all the same (the record says why it has no text), so it is
                        // counted once, not on every run.
                        warn!(id = %id, reason = %why, "page refused");
                        summary.failed += 1;
                    }
                    // Current only once written (see `write_pending`).
                    remember(id, signature, &mut state, &mut index);
                    pending.push(doc);
                }
                Err(e) => {
                    warn!(id = %id, error = %e, "skipping article");
                    summary.failed += 1;
                }
            }
        }
        if pending.len() >= PENDING_MAX {
            summary.normalised += write_pending(
                corpus,
                &mut pending,
                &index,
                (&mut state, &raw_stamps),
                &mut summary.failed,
            );
        }
    }

    summary.normalised += write_pending(
        corpus,
        &mut pending,
        &index,
        (&mut state, &raw_stamps),
        &mut summary.failed,
    );
    let groups = index.groups();
    let mut moved = Vec::new();
    for (id, entry) in state.articles.iter_mut() {
        entry.links = index.links_of(id);
        let group = groups.get(id).cloned();
        if entry.copy_group != group {
            moved.push((id.clone(), group));
        }
    }
    for (id, group, result) in regroup(corpus, moved) {
        match result {
            Ok(changed) => {
                if let Some(entry) = state.articles.get_mut(&id) {
                    entry.copy_group = group;
                    if changed {
                        entry.record = FileStamp::of(&corpus.normalised_path(&id)).ok();
                    }
                }
                if changed {
                    summary.regrouped += 1;
                }
            }
            Err(e) => {
                warn!(id = %id, error = %e, "cannot record the copy group");
                summary.failed += 1;
            }
        }
    }
    // The commit: the state says which records are current. A run that dies before it
    // leaves the records it wrote, which the next run finds current by reading them.
    let last = LastRun {
        normaliser: normaliser.stamp().to_string(),
        articles: state.articles.len(),
        folders: if summary.failed == 0 {
            corpus.settled_folder_stamps(&FOLDERS).unwrap_or_default()
        } else {
            BTreeMap::new()
        },
    };
    if let Err(e) = rows.commit(&mut store, &state, &last) {
        warn!(error = %e, "cannot save the normaliser state; the next run checks the records again");
        summary.failed += 1;
    }
    Ok(summary)
}

/// The article rows of the store as a run read them, to write only those that changed.
struct Rows {
    /// The stored rows do not match the settings (another version, or unreadable): every
    /// row is written again.
    clear: bool,
    /// A hash of each row's JSON as read, by article.
    read: rustc_hash::FxHashMap<ArticleId, u64>,
    /// The last run's row as read.
    last: Option<LastRun>,
}

impl Rows {
    /// Writes the rows whose entry changed, removes those of articles gone, and writes the
    /// settings, in one transaction.
    fn commit(
        &self,
        store: &mut Store,
        state: &NormaliserState,
        last: &LastRun,
    ) -> Result<(), CorpusError> {
        let mut batch = Batch::new();
        if self.last.as_ref() != Some(last) {
            batch.put(Table::State, LAST_RUN, last);
        }
        if self.clear {
            batch.clear(Table::Normaliser);
            batch.put(Table::State, STATE_NAME, &StateSettings::current());
        }
        for (id, entry) in &state.articles {
            let json = serde_json::to_string(entry).expect("a state entry serialises");
            if self.clear || self.read.get(id) != Some(&xxh3_64(json.as_bytes())) {
                batch.put_json(Table::Normaliser, id.as_str(), json);
            }
        }
        for id in self
            .read
            .keys()
            .filter(|id| !state.articles.contains_key(*id))
        {
            batch.delete(Table::Normaliser, id.as_str());
        }
        if batch.is_empty() {
            // nothing changed: the store is not written (an idle run writes no file)
            return Ok(());
        }
        store.write(batch)?;
        store.checkpoint()
    }
}

/// Whether nothing changed since the last run: the same normaliser, and `raw/` and
/// `normalised/` as it left them (no file added, replaced or removed). Returns how many
/// articles the last run left. Reads two rows.
fn idle(corpus: &Corpus, store: &Store, normaliser: &Normaliser) -> Option<usize> {
    let settings = store
        .get::<StateSettings>(Table::State, STATE_NAME)
        .ok()??;
    let last = store.get::<LastRun>(Table::State, LAST_RUN).ok()??;
    let same = settings == StateSettings::current()
        && last.normaliser == normaliser.stamp()
        && !last.folders.is_empty()
        && last.folders == corpus.folder_stamps(&FOLDERS);
    same.then_some(last.articles)
}

/// Articles gone from raw/ (not in `present`): their derived records, their entries and their
/// place in the copy relation are removed. A removal that fails is counted; the entry stays,
/// for the next run to try again.
fn remove_stale(
    corpus: &Corpus,
    present: &BTreeSet<&ArticleId>,
    state: &mut NormaliserState,
    index: &mut CopyIndex,
    summary: &mut RunSummary,
) -> Result<(), CorpusError> {
    let stale: BTreeSet<ArticleId> = corpus
        .normalised_ids()?
        .into_iter()
        .chain(state.articles.keys().cloned())
        .filter(|id| !present.contains(id))
        .collect();
    for id in &stale {
        if let Err(e) = corpus.remove_derived(id) {
            warn!(id = %id, error = %e, "cannot remove the derived records of a removed article");
            summary.failed += 1;
            continue;
        }
        index.remove(id);
        state.articles.remove(id);
        info!(id = %id, "removed derived records of an article no longer in the corpus");
        summary.removed_stale += 1;
    }
    Ok(())
}

/// Reads the state from the store; a missing, unreadable or outdated one starts empty (every
/// article's record is then checked against its raw article once).
fn load_state(store: &Store) -> (NormaliserState, Rows) {
    let mut state = NormaliserState {
        schema: STATE_SCHEMA,
        copy_method: copies::METHOD.to_string(),
        articles: BTreeMap::new(),
    };
    let mut rows = Rows {
        clear: true,
        read: Default::default(),
        last: store.get::<LastRun>(Table::State, LAST_RUN).ok().flatten(),
    };
    let read = store
        .get::<StateSettings>(Table::State, STATE_NAME)
        .and_then(|settings| {
            let Some(settings) = settings else {
                return Ok(None);
            };
            if settings != StateSettings::current() {
                info!("normaliser state made by another version; checking every article once");
                return Ok(None);
            }
            decode_rows(store).map(Some)
        });
    match read {
        Ok(Some((articles, hashes))) => {
            state.articles = articles;
            rows.read = hashes;
            rows.clear = false;
        }
        Ok(None) => {}
        Err(e) => warn!(error = %e, "normaliser state unreadable; checking every article once"),
    }
    (state, rows)
}

type DecodedRows = (
    BTreeMap<ArticleId, ArticleEntry>,
    rustc_hash::FxHashMap<ArticleId, u64>,
);

/// Rows read and decoded at a time (side by side): the rows' text is never all in memory.
const DECODE_CHUNK: usize = 2_000;

/// The article rows as entries, with a hash of each row as read.
fn decode_rows(store: &Store) -> Result<DecodedRows, CorpusError> {
    let path = store.path().join(Table::Normaliser.name());
    type Row = Option<(ArticleId, ArticleEntry, u64)>;
    let mut articles = BTreeMap::new();
    let mut hashes = rustc_hash::FxHashMap::default();
    store.for_each_chunk(Table::Normaliser, DECODE_CHUNK, |rows| {
        let decoded: Vec<Result<Row, CorpusError>> = rows
            .into_par_iter()
            .map(|(key, json)| {
                let Ok(id) = ArticleId::new(&key) else {
                    warn!(id = %key, "ignoring a state row with an invalid id");
                    return Ok(None);
                };
                let entry: ArticleEntry =
                    serde_json::from_str(&json).map_err(|source| CorpusError::Corrupt {
                        path: path.join(&key),
                        source,
                    })?;
                Ok(Some((id, entry, xxh3_64(json.as_bytes()))))
            })
            .collect();
        for row in decoded {
            if let Some((id, entry, hash)) = row? {
                hashes.insert(id.clone(), hash);
                articles.insert(id, entry);
            }
        }
        Ok(())
    })?;
    Ok((articles, hashes))
}

/// Moves the state of a corpus made before the store (`state/normaliser.json`) into the
/// store: its rows in one transaction, then the file removed. A run killed between the two
/// leaves the rows, and the next removes the file. A file that cannot be read, or of another
/// version, is removed unread: the records are checked once, as with a lost state.
pub fn migrate(corpus: &Corpus, store: &mut Store) -> Result<(), CorpusError> {
    let path = corpus.state_path(STATE_NAME)?;
    if !path.exists() {
        return Ok(());
    }
    if store.get_raw(Table::State, STATE_NAME)?.is_none() {
        match corpus.read_state::<NormaliserState>(STATE_NAME) {
            Ok(Some(old)) if old.schema == STATE_SCHEMA && old.copy_method == copies::METHOD => {
                let mut batch = Batch::new();
                batch.clear(Table::Normaliser);
                for (id, entry) in &old.articles {
                    batch.put(Table::Normaliser, id.as_str(), entry);
                }
                batch.put(Table::State, STATE_NAME, &StateSettings::current());
                store.write(batch)?;
                info!(
                    articles = old.articles.len(),
                    "normaliser state moved into the store"
                );
            }
            Ok(_) => info!("normaliser state file of another version; checking every article once"),
            Err(e) => {
                warn!(error = %e, "normaliser state file unreadable; checking every article once")
            }
        }
    }
    corpus.remove_state(STATE_NAME)?;
    Ok(())
}

/// What one article needs, worked out without changing the state (so that many articles
/// are read and normalised at once).
enum Refresh {
    Unchanged,
    /// Unchanged, but its raw record's file is not the one the state knew (rewritten with
    /// the same body, or the state made before it kept raw stamps): the state learns its stamp.
    Touched,
    /// Its stored record is current but the state had lost it: its signature is taken
    /// from the record.
    Stored(NormalisedDoc, Signature),
    /// Its record was made again, to be written once its copy group is known.
    Made(NormalisedDoc, Signature),
}

/// Checks one article against its state entry, and normalises it again when its record is
/// not current.
fn refresh(
    corpus: &Corpus,
    normaliser: &Normaliser,
    id: &ArticleId,
    raw_stamp: Option<&FileStamp>,
    state: &NormaliserState,
    index: &CopyIndex,
) -> Result<Refresh, CorpusError> {
    let path = corpus.normalised_path(id);
    let entry = state.articles.get(id);
    let record_as_written = |e: &ArticleEntry| {
        index.signature(id).is_some() && e.record.is_some() && FileStamp::of(&path).ok() == e.record
    };
    // The raw record as it was when its record was made: neither is read.
    if let Some(e) = entry
        && e.raw.is_some()
        && e.raw.as_ref() == raw_stamp
        && e.normaliser == normaliser.stamp()
        && record_as_written(e)
    {
        debug!(id = %id, "unchanged (by its stamps)");
        return Ok(Refresh::Unchanged);
    }
    let raw = corpus.read_raw(id)?;
    let current =
        |input: &str, stamp: &str| input == raw.body_sha256 && stamp == normaliser.stamp();
    if let Some(e) = entry
        && current(&e.input_sha256, &e.normaliser)
        && record_as_written(e)
    {
        debug!(id = %id, "unchanged");
        return Ok(Refresh::Touched);
    }
    // No usable entry: the stored record may still be current (a lost or outdated state).
    let stored = match corpus.read_normalised(id) {
        Ok(stored) => stored,
        Err(e) => {
            warn!(id = %id, error = %e, "normalised record unreadable; making it again");
            None
        }
    };
    if let Some(doc) = stored.as_ref()
        && current(&doc.input_sha256, &doc.normaliser)
    {
        debug!(id = %id, "unchanged; signature taken from its record");
        let signature = signature(id, doc, index);
        return Ok(Refresh::Stored(stored.expect("checked above"), signature));
    }
    let mut doc = normaliser.normalise(&raw);
    // The group it had, until the groups are worked out: written at once, it is right
    // unless the group changed.
    doc.copy_group = stored.and_then(|d| d.copy_group);
    let signature = signature(id, &doc, index);
    Ok(Refresh::Made(doc, signature))
}

/// A record's copy signature (the indexed one when the text is the same).
fn signature(id: &ArticleId, doc: &NormalisedDoc, index: &CopyIndex) -> Signature {
    match index.signature(id) {
        Some(s) if s.text_sha256 == doc.text_sha256 => s.clone(),
        _ => Signature::of(&doc.text(), &doc.text_sha256),
    }
}

/// Writes the waiting records with their copy groups; returns how many were written
/// (failures are counted).
fn write_pending(
    corpus: &Corpus,
    pending: &mut Vec<NormalisedDoc>,
    index: &CopyIndex,
    (state, raw_stamps): (&mut NormaliserState, &BTreeMap<&ArticleId, FileStamp>),
    failed: &mut usize,
) -> usize {
    for doc in pending.iter_mut() {
        doc.copy_group = index.group_of(&doc.id);
    }
    // In one batch: the waits for the disk's syncs are shared.
    let results = corpus.write_normalised_many(&pending.iter().collect::<Vec<_>>());
    let mut written = 0;
    for (doc, result) in pending.drain(..).zip(results) {
        match result {
            Ok(_) => {
                info!(id = %doc.id, blocks = doc.blocks.len(), removed = doc.removed.len(), group = ?doc.copy_group, "normalised");
                let raw = raw_stamps.get(&doc.id).copied();
                current(corpus, &doc, state, raw);
                written += 1;
            }
            Err(e) => {
                warn!(id = %doc.id, error = %e, "cannot write the normalised record");
                *failed += 1;
            }
        }
    }
    written
}

/// Records an article's copy signature (in the copy index and the state).
fn remember(
    id: &ArticleId,
    signature: Signature,
    state: &mut NormaliserState,
    index: &mut CopyIndex,
) {
    index.update(id, signature.clone());
    let entry = state.articles.entry(id.clone()).or_default();
    entry.signature = signature;
}

/// Records in the state that `doc` is the article's stored record: what it was made from and
/// its copy group. Only for a record on disk, so that a write that failed is made again by the
/// next run.
fn current(
    corpus: &Corpus,
    doc: &NormalisedDoc,
    state: &mut NormaliserState,
    raw: Option<FileStamp>,
) {
    let entry = state.articles.entry(doc.id.clone()).or_default();
    entry.raw = raw;
    entry.input_sha256 = doc.input_sha256.clone();
    entry.normaliser = doc.normaliser.clone();
    entry.copy_group = doc.copy_group.clone();
    entry.record = FileStamp::of(&corpus.normalised_path(&doc.id)).ok();
}

/// Writes each article's new copy group into its record (in one batch, see
/// [`write_pending`]). Returns, for each, whether its file changed.
fn regroup(
    corpus: &Corpus,
    moved: Vec<(ArticleId, Option<String>)>,
) -> Vec<(ArticleId, Option<String>, Result<bool, CorpusError>)> {
    let read: Vec<_> = moved
        .into_par_iter()
        .map(|(id, group)| {
            let doc = corpus.read_normalised(&id).map(|doc| {
                doc.filter(|d| d.copy_group != group).map(|mut d| {
                    d.copy_group = group.clone();
                    d
                })
            });
            (id, group, doc)
        })
        .collect();
    let to_write: Vec<&NormalisedDoc> = read
        .iter()
        .filter_map(|(_, _, doc)| doc.as_ref().ok()?.as_ref())
        .collect();
    let mut written = corpus.write_normalised_many(&to_write).into_iter();
    read.into_iter()
        .map(|(id, group, doc)| {
            let result = match doc {
                Err(e) => Err(e),
                Ok(None) => Ok(false),
                Ok(Some(doc)) => {
                    written
                        .next()
                        .expect("one result per record written")
                        .map(|outcome| {
                            let changed = outcome.changed();
                            if changed {
                                info!(id = %id, group = ?doc.copy_group, "copy group changed");
                            }
                            changed
                        })
                }
            };
            (id, group, result)
        })
        .collect()
}
