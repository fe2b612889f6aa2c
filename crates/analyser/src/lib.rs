//! The analyser: reads each normalised article's claims (counts, weapons, who says so, where,
//! which event), groups them by event across articles, and writes the cross-source
//! comparison as JSON, Markdown and an HTML page.
//!
//! Extraction and comparison are pure functions of their inputs; only [`run`] and
//! [`load_claims`] touch the corpus.

pub mod attribution;
pub mod claims_parquet;
pub mod compare;
pub mod counts;
pub mod dates;
pub mod events;
pub mod export;
pub mod extract;
pub mod follow;
pub mod gazetteer;
pub mod lexicon;
pub mod numbers;
pub mod places;
pub mod publish;
pub mod quality;
pub mod report;
pub mod rows;
pub mod state;
pub mod stream;
pub mod text;
pub mod weapons;

#[cfg(test)]
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Utc};
use corpus::{
    ArticleClaims, ArticleId, COMPARISON_SCHEMA, ChangeEntry, Comparison, Corpus, CorpusError,
    EventReport, Fact, FileStamp, NormalisedDoc, RawArticle, SCHEMA_VERSION,
};
use serde::Deserialize;
use state::{
    ArticleFacts, CHANGE_LOG_KEEP, CHANGES_STATE, ChangeLog, EventPart, IndexEntry, ReportParts,
};
use tracing::{debug, info, warn};

pub use compare::Rules;
pub use lexicon::{Lexicon, LexiconError};

/// The `[analyser]` section of `crosscheck.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyserConfig {
    /// Lexicon file, relative to the config file; the shipped `config/claims.toml` is built
    /// in and used when this is not set.
    #[serde(default)]
    pub lexicon: Option<PathBuf>,
    /// Comparison rules file (authority words, divergence thresholds), relative to the config
    /// file; the shipped `config/comparison.toml` is built in and used when this is not set.
    #[serde(default)]
    pub comparison: Option<PathBuf>,
    /// Events to follow, listed first in the report (`[[analyser.follow]]`; see
    /// [`follow::Follow`]).
    #[serde(default)]
    pub follow: Vec<follow::Follow>,
}

/// A configured analyser.
pub struct Analyser {
    lexicon: Lexicon,
    /// A fingerprint of the lexicon and gazetteer texts.
    rules: String,
    stamp: String,
}

/// A fingerprint of an analyser's lexicon and gazetteer texts, hashed apart, so that the
/// gazetteer (megabytes) is not copied to be hashed.
fn texts_fingerprint(lexicon_toml: &str, gazetteer_tsv: &str) -> String {
    corpus::sha256_hex(format!(
        "{}\0{}",
        corpus::sha256_hex(lexicon_toml),
        corpus::sha256_hex(gazetteer_tsv.as_bytes())
    ))
}

/// The stamp of claims records made by the claims code `code` with the texts `rules`
/// ([`texts_fingerprint`]).
fn stamp_of(code: &str, rules: &str) -> String {
    let fingerprint = corpus::sha256_hex(format!("{code}\0{rules}"));
    format!("{}+{}", env!("CARGO_PKG_VERSION"), &fingerprint[..12])
}

/// An analyser's lexicon and gazetteer texts, not parsed yet: its stamp is known without the
/// parse, which is most of what an idle run would cost ([`idle_run`]).
pub struct AnalyserSource {
    lexicon: std::borrow::Cow<'static, str>,
    gazetteer: std::borrow::Cow<'static, str>,
}

impl AnalyserSource {
    pub fn new(
        lexicon_toml: impl Into<std::borrow::Cow<'static, str>>,
        gazetteer_tsv: impl Into<std::borrow::Cow<'static, str>>,
    ) -> AnalyserSource {
        AnalyserSource {
            lexicon: lexicon_toml.into(),
            gazetteer: gazetteer_tsv.into(),
        }
    }

    /// The shipped lexicon and gazetteer.
    pub fn builtin() -> AnalyserSource {
        AnalyserSource::new(lexicon::DEFAULT_LEXICON, lexicon::DEFAULT_GAZETTEER)
    }

    /// The stamp the analyser [`build`](Self::build) makes gives its records.
    pub fn stamp(&self) -> String {
        stamp_of(
            CLAIMS_CODE,
            &texts_fingerprint(&self.lexicon, &self.gazetteer),
        )
    }

    /// Parses the texts.
    pub fn build(self) -> Result<Analyser, LexiconError> {
        Analyser::with_gazetteer(&self.lexicon, self.gazetteer)
    }
}

/// A hash of the sources that shape the claims records, made by `build.rs`: a release whose
/// extraction changed reads every article's claims again.
pub const CLAIMS_CODE: &str = env!("ANALYSER_CLAIMS_CODE");
/// A hash of the sources that shape the report (grouping, comparison, rendering, templates):
/// a release that changed them makes the report again.
pub const REPORT_CODE: &str = env!("ANALYSER_REPORT_CODE");

impl Analyser {
    /// An analyser with the given lexicon and the shipped gazetteer.
    pub fn new(lexicon_toml: &str) -> Result<Analyser, LexiconError> {
        Analyser::with_gazetteer(lexicon_toml, lexicon::DEFAULT_GAZETTEER)
    }

    /// An analyser with the given lexicon and gazetteer (`config/gazetteer.tsv`'s format).
    pub fn with_gazetteer(
        lexicon_toml: &str,
        gazetteer_tsv: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Result<Analyser, LexiconError> {
        let gazetteer_tsv = gazetteer_tsv.into();
        let rules = texts_fingerprint(lexicon_toml, &gazetteer_tsv);
        let mut analyser = Analyser {
            lexicon: Lexicon::parse_with(lexicon_toml, gazetteer_tsv)?,
            rules,
            stamp: String::new(),
        };
        analyser.restamp(CLAIMS_CODE);
        Ok(analyser)
    }

    /// The stamp: the version and a fingerprint of the claims code and the lexicon, so that a
    /// change to either extracts every article's claims again.
    fn restamp(&mut self, code: &str) {
        self.stamp = stamp_of(code, &self.rules);
    }

    /// The same analyser, stamped as if built from other sources (`code` stands for
    /// [`CLAIMS_CODE`]): for tests of what a new release re-derives.
    pub fn with_code(mut self, code: &str) -> Analyser {
        self.restamp(code);
        self
    }

    pub fn builtin() -> Analyser {
        Analyser::new(lexicon::DEFAULT_LEXICON).expect("the shipped lexicon is valid")
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// The claims of one normalised article.
    pub fn analyse(&self, doc: &NormalisedDoc) -> ArticleClaims {
        let (claims, main_event) = extract::extract(doc, &self.lexicon);
        ArticleClaims {
            schema: SCHEMA_VERSION,
            article: doc.id.clone(),
            input_sha256: doc.text_sha256.clone(),
            analyser: self.stamp.clone(),
            claims,
            main_event: Some(main_event),
        }
    }
}

/// One article's records as the index keeps them: metadata and claims. The raw body and the
/// normalised blocks are empty, so that a run does not read every document again; event
/// grouping and the comparison work from metadata and claims alone.
pub struct Loaded {
    pub raw: RawArticle,
    pub doc: NormalisedDoc,
    pub claims: ArticleClaims,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Articles whose claims were extracted (new or changed text, or a new analyser).
    pub analysed: usize,
    /// Articles whose records changed but not their text: metadata read again.
    pub refreshed: usize,
    pub unchanged: usize,
    /// Articles gone from the corpus since the last run.
    pub removed: usize,
    pub failed: usize,
    /// What failed, each naming its file.
    pub failures: Vec<String>,
    /// Changes recorded in the change log by this run.
    pub changes: usize,
    /// Events whose report was made again (their members changed), and events whose parts
    /// of the report files were copied from the last ones.
    pub events_made: usize,
    pub events_kept: usize,
    pub reports_written: usize,
    /// Index rows written to the store (new or changed articles).
    pub index_rows_written: usize,
    /// Claims records that could not be written (a full disk): the run then leaves the
    /// report and the change log as they were, for the next run to make whole.
    pub unwritten: usize,
}

/// Brings the index up to date with the normalised records (extracting the claims of every
/// new or changed article) and returns every article's records. Records are read only when
/// their file stamp changed. Failures are logged with the file and counted; the article keeps
/// what the index had of it.
pub fn load_claims(
    corpus: &Corpus,
    analyser: &Analyser,
    summary: &mut RunSummary,
) -> Result<Vec<Loaded>, CorpusError> {
    let mut store = corpus.store()?;
    rows::migrate(corpus, &mut store, Utc::now())?;
    let listing = Listing::read(corpus)?;
    let (loaded, _) = load_index(corpus, &mut store, analyser, summary, None, listing)?;
    Ok(loaded.into_iter().map(|(l, _)| l).collect())
}

/// The records as listed: each article's normalised record with its stamp, and the stamps of
/// the claims records.
struct Listing {
    normalised: Vec<(ArticleId, FileStamp)>,
    claims: rustc_hash::FxHashMap<ArticleId, FileStamp>,
}

impl Listing {
    /// Both folders listed side by side (a stat each).
    fn read(corpus: &Corpus) -> Result<Listing, CorpusError> {
        let (normalised, claims) = std::thread::scope(|scope| {
            let claims = scope.spawn(|| corpus.claims_stamps());
            (corpus.normalised_stamps(), joined(claims))
        });
        Ok(Listing {
            normalised: normalised?,
            claims: claims?.into_iter().collect(),
        })
    }

    /// A hash of the listing. The change log keeps it as the last run left the corpus: a run
    /// that finds the same, with the same program and the report as written, has nothing to
    /// do and reads neither the index nor the records. (The index rows are written only by
    /// runs that find a record changed, and so a listing changed too.)
    fn hash(&self) -> String {
        use std::fmt::Write;
        let mut text = String::with_capacity(self.normalised.len() * 96);
        for (id, stamp) in &self.normalised {
            let _ = writeln!(text, "{id} {stamp:?} {:?}", self.claims.get(id));
        }
        corpus::sha256_hex(text)
    }
}

/// [`load_claims`], with each article's version: what its index entry was made from (its
/// normalised record's stamp and the analyser), which changes whenever the entry may have.
/// With `started`, the steps are timed from it (`elapsed_ms` debug events).
/// Also returns the [`Listing::hash`] of the records and index files as the run leaves them.
fn load_index(
    corpus: &Corpus,
    store: &mut corpus::Store,
    analyser: &Analyser,
    summary: &mut RunSummary,
    started: Option<Instant>,
    listing: Listing,
) -> Result<(Vec<(Loaded, String)>, String), CorpusError> {
    let step = |what: &str| {
        if let Some(started) = started {
            debug!(elapsed_ms = elapsed_ms(started), "{what}");
        }
    };
    let (mut index, read_rows) = rows::read_index(store);
    let Listing {
        normalised: stamps,
        claims: claims_files,
    } = listing;
    step("index read");
    let present: BTreeSet<&ArticleId> = stamps.iter().map(|(id, _)| id).collect();
    let before = index.articles.len();
    index.articles.retain(|id, _| present.contains(id));
    summary.removed += before - index.articles.len();
    for (id, stamp) in &stamps {
        let claims_file = claims_files.get(id).copied();
        // An entry is kept whole only while its claims record is as written; one changed
        // since (damaged, removed) is read again, and made again when it cannot be.
        let old = index
            .articles
            .get(id)
            .filter(|e| claims_file.is_some() && e.claims_file == claims_file);
        if old.is_some_and(|e| e.normalised == *stamp && e.analyser == analyser.stamp) {
            summary.unchanged += 1;
            continue;
        }
        if let Some(entry) = update_entry(corpus, analyser, id, *stamp, old, summary) {
            index.articles.insert(id.clone(), entry);
        }
    }
    step("records read");
    // A cache of what the claims records say, committed after them: rows not written cost
    // the next run a read of the records they cover, nothing more.
    let batch = rows::index_batch(&index, &read_rows);
    let written = batch.rows(corpus::Table::Analyser);
    match store.write(batch) {
        Ok(()) => summary.index_rows_written += written,
        Err(e) => {
            warn!(error = %e, "cannot write the analyser index");
            summary.failed += 1;
            summary.failures.push(e.to_string());
        }
    }
    debug!(articles = index.articles.len(), written, "index up to date");
    step("index written");
    // The records as this run leaves them, from the entries (their claims records' stamps
    // taken once written): an article whose entry could not be made is listed differently
    // next time, and tried again.
    let after = Listing {
        normalised: index
            .articles
            .iter()
            .map(|(id, e)| (id.clone(), e.normalised))
            .collect(),
        claims: index
            .articles
            .iter()
            .filter_map(|(id, e)| Some((id.clone(), e.claims_file?)))
            .collect(),
    }
    .hash();
    let loaded = index
        .articles
        .into_iter()
        .map(|(id, entry)| {
            let version = version_of(&entry.normalised, &entry.analyser);
            let (raw, doc, claims) = entry.into_records(id);
            (Loaded { raw, doc, claims }, version)
        })
        .collect();
    Ok((loaded, after))
}

/// The index as a run needs it: every article's grouping keys and version (in id order),
/// and the whole entries of the articles read again this run. Other articles' whole rows
/// are read only for the events made again ([`rows::read_entries`]).
struct Keys {
    inputs: Vec<events::GroupInput>,
    versions: Vec<String>,
    fresh: BTreeMap<ArticleId, IndexEntry>,
}

/// How many articles' index rows a run writes in one transaction: their whole entries are
/// held until then, never every article's.
const INDEX_BATCH: usize = 500;

/// The index rows a run writes, [`INDEX_BATCH`] at a time, each batch after the claims
/// records it describes (a cache of them: a batch not written costs the next run a read of
/// its records). The entries of a batch that could not be written are kept for the run.
struct IndexWrites<'a> {
    store: &'a mut corpus::Store,
    rows: rows::ReadRows,
    /// Articles gone: their rows are removed by the first batch.
    removed: Vec<ArticleId>,
    pending: BTreeMap<ArticleId, IndexEntry>,
    unwritten: BTreeMap<ArticleId, IndexEntry>,
    first: bool,
}

impl IndexWrites<'_> {
    /// Writes the pending rows (and, the first time, the removals and settings).
    fn flush(&mut self, summary: &mut RunSummary) {
        if self.pending.is_empty() && !self.first {
            return;
        }
        let pending = std::mem::take(&mut self.pending);
        let batch =
            rows::index_changes_batch(pending.iter(), &self.removed, &self.rows, self.first);
        self.first = false;
        let written = batch.rows(corpus::Table::Analyser);
        match self.store.write(batch) {
            Ok(()) => summary.index_rows_written += written,
            Err(e) => {
                warn!(error = %e, "cannot write the analyser index");
                summary.failed += 1;
                summary.failures.push(e.to_string());
                self.unwritten.extend(pending);
            }
        }
    }
}

/// An article's version: what its index entry was made from (its normalised record's stamp
/// and the analyser), which changes whenever the entry may have.
fn version_of(s: &FileStamp, analyser: &str) -> String {
    format!(
        "{} {}.{} {} {analyser}",
        s.len, s.modified_secs, s.modified_nanos, s.inode
    )
}

/// [`load_index`] as a run needs it ([`Keys`]): the index rows read as keys
/// ([`rows::read_keys`]), the whole row of an article only when it changed. Also returns
/// the [`Listing::hash`] of the records as the run leaves them.
fn load_keys(
    corpus: &Corpus,
    store: &mut corpus::Store,
    analyser: &Analyser,
    summary: &mut RunSummary,
    listing: Listing,
    started: Instant,
) -> Result<(Keys, String), CorpusError> {
    let (mut keys, read_rows) = rows::read_keys(store);
    debug!(elapsed_ms = elapsed_ms(started), "index keys read");
    let Listing {
        normalised: stamps,
        claims: claims_files,
    } = listing;
    let present: BTreeSet<&ArticleId> = stamps.iter().map(|(id, _)| id).collect();
    let removed: Vec<ArticleId> = keys
        .keys()
        .filter(|id| !present.contains(id))
        .cloned()
        .collect();
    keys.retain(|id, _| present.contains(id));
    summary.removed += removed.len();
    let mut writes = IndexWrites {
        store,
        rows: read_rows,
        removed,
        pending: BTreeMap::new(),
        unwritten: BTreeMap::new(),
        first: true,
    };
    for (id, stamp) in &stamps {
        let claims_file = claims_files.get(id).copied();
        let old = keys
            .get(id)
            .filter(|e| claims_file.is_some() && e.claims_file == claims_file);
        if old.is_some_and(|e| e.normalised == *stamp && e.analyser == analyser.stamp) {
            summary.unchanged += 1;
            continue;
        }
        let old_entry = match old {
            Some(_) => rows::read_entries(writes.store, &[id]).remove(id),
            None => None,
        };
        if let Some(entry) = update_entry(corpus, analyser, id, *stamp, old_entry.as_ref(), summary)
        {
            keys.insert(id.clone(), rows::KeyEntry::of(&entry));
            writes.pending.insert(id.clone(), entry);
            if writes.pending.len() >= INDEX_BATCH {
                writes.flush(summary);
            }
        }
    }
    debug!(elapsed_ms = elapsed_ms(started), "records read");
    writes.flush(summary);
    let fresh = writes.unwritten;
    debug!(articles = keys.len(), "index up to date");
    let after = Listing {
        normalised: keys
            .iter()
            .map(|(id, e)| (id.clone(), e.normalised))
            .collect(),
        claims: keys
            .iter()
            .filter_map(|(id, e)| Some((id.clone(), e.claims_file?)))
            .collect(),
    }
    .hash();
    let mut inputs = Vec::with_capacity(keys.len());
    let mut versions = Vec::with_capacity(keys.len());
    for (id, entry) in keys {
        versions.push(version_of(&entry.normalised, &entry.analyser));
        inputs.push(entry.group_input(id));
    }
    let keys = Keys {
        inputs,
        versions,
        fresh,
    };
    Ok((keys, after))
}

/// An article's index entry made again from its records ([`refresh`]), its claims record
/// written when they were read again; `None` (the failure counted) when either failed.
fn update_entry(
    corpus: &Corpus,
    analyser: &Analyser,
    id: &ArticleId,
    stamp: FileStamp,
    old: Option<&IndexEntry>,
    summary: &mut RunSummary,
) -> Option<IndexEntry> {
    let (mut entry, analysed) = match refresh(corpus, analyser, id, stamp, old) {
        Ok(refreshed) => refreshed,
        Err(e) => {
            warn!(id = %id, error = %e, "skipping article");
            summary.failed += 1;
            summary.failures.push(e.to_string());
            return None;
        }
    };
    match analysed {
        Some(claims) => {
            if let Err(e) = corpus.write_claims(&claims) {
                warn!(id = %id, error = %e, "cannot write the claims record");
                summary.failed += 1;
                summary.unwritten += 1;
                summary.failures.push(e.to_string());
                return None;
            }
            info!(id = %id, claims = claims.claims.len(), "analysed");
            summary.analysed += 1;
        }
        None => summary.refreshed += 1,
    }
    entry.claims_file = FileStamp::of(&corpus.claims_path(id)).ok();
    Some(entry)
}

/// Reads an article's changed records; extracts its claims again only when its text or the
/// analyser changed. Returns the new entry and, when it was analysed, the claims record to
/// write.
fn refresh(
    corpus: &Corpus,
    analyser: &Analyser,
    id: &ArticleId,
    stamp: FileStamp,
    old: Option<&IndexEntry>,
) -> Result<(IndexEntry, Option<ArticleClaims>), CorpusError> {
    let doc = corpus.read_normalised(id)?.ok_or_else(|| CorpusError::Io {
        path: corpus.normalised_path(id),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "removed while reading"),
    })?;
    let raw = corpus.read_raw(id)?;
    let reusable = |text: &str, stamp: &str| text == doc.text_sha256 && stamp == analyser.stamp;
    let (claims, main_event, analysed) = match old {
        Some(e) if reusable(&e.text_sha256, &e.analyser) => {
            (e.claims.clone(), e.main_event.clone(), None)
        }
        _ => match corpus.read_claims(id) {
            Ok(Some(c)) if reusable(&c.input_sha256, &c.analyser) => {
                debug!(id = %id, "claims unchanged");
                (c.claims, c.main_event, None)
            }
            cached => {
                if let Err(e) = cached {
                    warn!(id = %id, error = %e, "claims record unreadable; extracting again");
                }
                let claims = analyser.analyse(&doc);
                (
                    claims.claims.clone(),
                    claims.main_event.clone(),
                    Some(claims),
                )
            }
        },
    };
    let entry = IndexEntry {
        normalised: stamp,
        text_sha256: doc.text_sha256.clone(),
        analyser: analyser.stamp.clone(),
        claims_file: None,
        article: ArticleFacts::of(&raw, &doc),
        claims,
        main_event,
    };
    Ok((entry, analysed))
}

/// Updates claims, regroups the events, records what changed, and writes the report files
/// that changed. An event's report and its parts of the report files are made again only when
/// its members changed (articles joining or leaving it, or their records); the others' parts
/// are copied from the report files as last written. An idle run (no article, rule or
/// program changed since the last, and the report files present) stops after the index and
/// writes nothing.
pub fn run(corpus: &Corpus, analyser: &Analyser, rules: &Rules) -> Result<RunSummary, CorpusError> {
    run_since(corpus, analyser, rules, Instant::now())
}

/// [`run`], its `-v` timeline (the `elapsed_ms` of each step's debug event) counted from
/// `started`: the binary passes its own start, so that one timeline covers the whole process.
pub fn run_since(
    corpus: &Corpus,
    analyser: &Analyser,
    rules: &Rules,
    started: Instant,
) -> Result<RunSummary, CorpusError> {
    run_at(corpus, analyser, rules, started, Utc::now())
}

/// Whether no record was added, replaced or removed since the last run, which left the
/// report as written by this program (`stamp`): nothing to do, not even a listing.
fn settled_since(corpus: &Corpus, log: &ChangeLog, stamp: &str) -> bool {
    let settled = log.program == stamp
        && !log.folders.is_empty()
        && log.folders == corpus.folder_stamps(&FOLDERS)
        && publish::as_written(corpus, log.parts.as_ref());
    if settled {
        debug!("no record added, replaced or removed since the last run");
    }
    settled
}

/// The summary of a run with nothing to do, found before the analyser is built (its lexicon
/// and gazetteer parsed): `analyser_stamp` is [`AnalyserSource::stamp`]. `None`: there is
/// something to do, or to find out, and [`run_at`] does it.
pub fn idle_run(
    corpus: &Corpus,
    analyser_stamp: &str,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Option<RunSummary>, CorpusError> {
    let mut store = corpus.store()?;
    rows::migrate(corpus, &mut store, now)?;
    let Ok(Some(log)) = rows::read_log_head(&store) else {
        return Ok(None);
    };
    let idle = settled_since(corpus, &log, &program_stamp(analyser_stamp, rules));
    Ok(idle.then(|| RunSummary {
        unchanged: log.articles,
        ..RunSummary::default()
    }))
}

/// [`run_since`], dated `now` (the time the report and the change log give this run): for
/// runs whose output must be the same every time (`SOURCE_DATE_EPOCH`, the fault tests).
pub fn run_at(
    corpus: &Corpus,
    analyser: &Analyser,
    rules: &Rules,
    started: Instant,
    now: DateTime<Utc>,
) -> Result<RunSummary, CorpusError> {
    let mut summary = RunSummary::default();
    let mut store = corpus.store()?;
    rows::migrate(corpus, &mut store, now)?;
    let (mut log, log_readable, from_store) = read_change_log(corpus, &store, now, &mut summary);
    let stamp = program_stamp(analyser.stamp(), rules);
    if log_readable && settled_since(corpus, &log, &stamp) {
        summary.unchanged = log.articles;
        return Ok(summary);
    }
    let listing = Listing::read(corpus)?;
    let listed = listing.hash();
    debug!(elapsed_ms = elapsed_ms(started), "records listed");
    // Nothing changed since the last run left the corpus: not even the index is read.
    if log_readable
        && log.program == stamp
        && log.listing == listed
        && publish::as_written(corpus, log.parts.as_ref())
    {
        summary.unchanged = listing.normalised.len();
        debug!("no record changed since the last run");
        // The folders settled since: the next run need not list them.
        let folders = settled_folders(corpus, &summary);
        if folders != log.folders {
            log.folders = folders;
            if let Err(e) = store.write(rows::log_head_batch(&log)) {
                warn!(error = %e, "cannot write the change log");
            }
        }
        drop_later(log);
        return Ok(summary);
    }
    // The events' rows, into the log: what their report files were made from, and their
    // snapshots. A log started afresh replaces them all.
    let event_rows = if from_store {
        rows::read_log_events(&store, &mut log)
    } else {
        rows::ReadRows::new_clear()
    };
    let (mut keys, listed_after) =
        load_keys(corpus, &mut store, analyser, &mut summary, listing, started)?;
    debug!(elapsed_ms = elapsed_ms(started), "claims loaded");
    if summary.unwritten > 0 {
        // The disk failed us: a report now would log this run's changes in two runs (these,
        // then the claims not written). As a killed run would, it leaves the report and the
        // change log as they were, and the next run makes them whole.
        warn!(
            unwritten = summary.unwritten,
            "claims records not written; the report is left for the next run"
        );
        drop_later(keys);
        return Ok(summary);
    }
    // The change log, written after the report files, says what they were made from: the
    // report is current only when that is what the articles are now (whatever the index says:
    // it is written before the report, and `analyser claims` writes it alone).
    let fingerprint = inputs_fingerprint(&keys.inputs, &keys.versions);
    let inputs_changed = log.inputs != fingerprint;
    let as_written = publish::as_written(corpus, log.parts.as_ref());
    if !inputs_changed && log_readable && log.program == stamp && as_written {
        debug!("nothing changed since the last run");
        // Records touched, or the index written alone: the log learns how they are now,
        // so that the next run finds them unchanged without reading the index.
        let folders = settled_folders(corpus, &summary);
        if (log.listing != listed_after || log.folders != folders) && summary.failed == 0 {
            log.listing = listed_after;
            log.folders = folders;
            if let Err(e) = store.write(rows::log_head_batch(&log)) {
                warn!(error = %e, "cannot write the change log");
                summary.failed += 1;
                summary.failures.push(e.to_string());
            }
        }
        drop_later((keys, log));
        return Ok(summary);
    }
    let assignment = events::group_keys(&keys.inputs);
    let counts = keys.inputs.iter().map(|k| (&k.id, k.claims.len()));
    let members = compare::members_of(counts, &assignment);
    debug!(elapsed_ms = elapsed_ms(started), "events grouped");
    let last = log.parts.take();
    let reusable = last.as_ref().filter(|_| log.program == stamp);
    let (kept, remake) = kept_and_remade(corpus, reusable, &assignment, &members, &keys);
    let fresh = std::mem::take(&mut keys.fresh);
    let making = Making {
        corpus,
        store: &store,
        keys: &keys,
        fresh: &fresh,
        assignment: &assignment,
        rules,
    };
    let (made, written, missing) = making.make_all(&remake, &log.snapshot, &mut summary);
    drop(fresh);
    if missing > 0 {
        // A member's row could not be read: its events are made next run, and this run's
        // report is not committed.
        summary.failed += missing;
        summary
            .failures
            .push(format!("{missing} index rows unreadable"));
    }
    summary.events_made = made.len();
    summary.events_kept = kept.len();
    debug!(
        elapsed_ms = elapsed_ms(started),
        events = members.len(),
        made = made.len(),
        kept = kept.len(),
        "comparison built"
    );
    // Only report files missing or changed: made again as they were, with their date.
    let remade_at = (inputs_changed || log.program != stamp).then_some(now);
    let current: BTreeSet<&str> = assignment
        .events
        .iter()
        .enumerate()
        .filter(|(k, _)| members.contains_key(k))
        .map(|(_, e)| e.id.as_str())
        .collect();
    summary.changes = log_made(&mut log, &made, &|id| current.contains(id), remade_at);
    log.program = stamp;
    log.inputs = fingerprint;
    // A run that failed somewhere (an index file, a record) leaves no listing: the next run
    // reads the index and finishes the job.
    log.listing = if summary.failed == 0 {
        listed_after
    } else {
        String::new()
    };
    log.articles = keys.inputs.len();
    // The events made again: only their rows are written (the others' are as read).
    let made_ids: BTreeSet<&str> = made.iter().map(|m| m.id.as_str()).collect();
    let parts_made: Vec<EventPart> = made.iter().filter_map(|m| m.part.clone()).collect();
    let publish = publish::Publish {
        corpus,
        log: &log,
        articles: keys.inputs.len(),
        follow: &rules.follow,
        last: last.as_ref(),
        reusable,
    };
    let (complete, parts) = publish.write(kept, parts_made, &mut summary);
    let complete = complete && written;
    debug!(elapsed_ms = elapsed_ms(started), "report written");
    // The commit: the change log says what the report files were made from. Not written when
    // one of them was not: the next run makes them again and logs this run's changes then.
    if log_readable && complete && missing == 0 {
        log.parts = Some(parts);
        log.folders = settled_folders(corpus, &summary);
        if let Err(e) = store
            .write(rows::log_batch_of(&log, &event_rows, &made_ids))
            .and_then(|()| store.checkpoint())
        {
            warn!(error = %e, "cannot write the change log; the next run makes the report again");
            summary.failed += 1;
            summary.failures.push(e.to_string());
        }
    }
    debug!(elapsed_ms = elapsed_ms(started), "change log written");
    drop((members, assignment));
    drop_later((keys, log, last));
    Ok(summary)
}

/// The folders whose stamps tell that no record changed since the last run.
const FOLDERS: [&str; 2] = [corpus::Layout::NORMALISED, corpus::Layout::CLAIMS];

/// The stamps of [`FOLDERS`] to keep for the next run: none when something failed (the next
/// run tries it again) or a folder has just changed.
fn settled_folders(corpus: &Corpus, summary: &RunSummary) -> BTreeMap<String, FileStamp> {
    if summary.failed > 0 {
        return BTreeMap::new();
    }
    corpus.settled_folder_stamps(&FOLDERS).unwrap_or_default()
}

/// An event to make again: the event, its members, and the hash of what it is made from.
type Remake<'a> = (&'a events::Event, &'a compare::Members, String);

/// The events whose report the last run made from the same inputs, and whose files are as
/// written (their folder unchanged), with their parts; and the events to make again.
fn kept_and_remade<'a>(
    corpus: &Corpus,
    reusable: Option<&ReportParts>,
    assignment: &'a events::EventAssignment,
    members: &'a BTreeMap<usize, compare::Members>,
    keys: &Keys,
) -> (Vec<(String, EventPart)>, Vec<Remake<'a>>) {
    let mut folders: BTreeMap<String, bool> = BTreeMap::new();
    let mut kept = Vec::new();
    let mut remake = Vec::new();
    for (&event, members) in members {
        let event = &assignment.events[event];
        let key = event_inputs(event, members, &keys.inputs, &keys.versions);
        let part = reusable
            .and_then(|p| p.events.get(&event.id).map(|part| (p, part)))
            .filter(|(_, part)| part.inputs == key)
            .filter(|(p, part)| {
                let folder = publish::folder_key(part.nav.date);
                *folders.entry(folder.clone()).or_insert_with(|| {
                    publish::stamps(corpus, [&folder]).get(&folder) == p.files.get(&folder)
                })
            });
        match part {
            Some((_, part)) => kept.push((event.id.clone(), part.clone())),
            None => remake.push((event, members, key)),
        }
    }
    (kept, remake)
}

/// An event made again: its id, where it stands in the report, its changes since the last
/// snapshot, its new snapshot, and its part of the report (none when its files could not be
/// named).
struct Made {
    id: String,
    order: compare::ReportOrder,
    changes: Vec<corpus::Change>,
    snapshot: compare::changes::EventSnapshot,
    part: Option<EventPart>,
}

/// How many articles' whole rows a run holds at once to make events again: the events are
/// made and their files written a chunk at a time, so a first full run does not hold the
/// whole corpus's claims and reports.
const MAKE_CHUNK: usize = 5_000;

/// What making events again reads.
struct Making<'a> {
    corpus: &'a Corpus,
    store: &'a corpus::Store,
    keys: &'a Keys,
    fresh: &'a BTreeMap<ArticleId, IndexEntry>,
    assignment: &'a events::EventAssignment,
    rules: &'a Rules,
}

impl Making<'_> {
    /// Makes the events of `remake` again and writes their files, [`MAKE_CHUNK`] articles'
    /// rows at a time; their changes are found against `snapshot`. Returns them in report
    /// order, whether every file was written, and how many members' rows could not be read.
    fn make_all(
        &self,
        remake: &[Remake<'_>],
        snapshot: &compare::changes::Snapshot,
        summary: &mut RunSummary,
    ) -> (Vec<Made>, bool, usize) {
        let mut made = Vec::new();
        let (mut complete, mut missing) = (true, 0);
        let mut start = 0;
        while start < remake.len() {
            let mut end = start;
            let mut articles = 0;
            while end < remake.len() && (end == start || articles < MAKE_CHUNK) {
                articles += remake[end].1.len();
                end += 1;
            }
            let (reports, lost) = make_events(self, &remake[start..end]);
            missing += lost;
            let rendered = parallel_map(&reports, |(report, claims_csv, key)| {
                let one = [report];
                let changes = compare::changes::diff_some(snapshot, &one, &|_| true);
                let files = publish::Rendered::of(self.corpus, report, claims_csv, key.clone());
                let order = compare::ReportOrder::of(report);
                let snapshot = compare::changes::event_snapshot(report);
                (order, changes, snapshot, files)
            });
            drop(reports);
            let mut ready = Vec::new();
            let mut here = Vec::new();
            for (order, changes, snapshot, files) in rendered {
                let ok = match files {
                    Ok(r) => {
                        ready.push(r);
                        true
                    }
                    Err(e) => {
                        warn!(error = %e, "cannot name an event's report files");
                        summary.failed += 1;
                        summary.failures.push(e.to_string());
                        false
                    }
                };
                here.push((order, changes, snapshot, ok));
            }
            let (written, mut parts) = publish::write_events(self.corpus, ready, summary);
            complete &= written;
            parts.reverse();
            for (order, changes, snapshot, ok) in here {
                let part = if ok { parts.pop() } else { None };
                made.push(Made {
                    id: order.id.clone(),
                    order,
                    changes,
                    snapshot,
                    part,
                });
            }
            start = end;
        }
        made.sort_by(|a, b| a.order.cmp(&b.order));
        (made, complete, missing)
    }
}

/// The reports of the events to make again (with their claims as CSV and the hash of their
/// inputs), made from their members' whole index rows: those read again this run and not
/// written (`fresh`), the others read from the store. Only these articles are held whole.
/// Also returns how many members' rows could not be read (their events are not made).
fn make_events(
    m: &Making<'_>,
    remake: &[Remake<'_>],
) -> (Vec<(EventReport, String, String)>, usize) {
    let (store, keys, fresh, assignment, rules) = (m.store, m.keys, m.fresh, m.assignment, m.rules);
    let needed: BTreeSet<usize> = remake
        .iter()
        .flat_map(|(_, members, _)| members.iter().map(|(at, _)| *at))
        .collect();
    let ids: Vec<&ArticleId> = needed
        .iter()
        .map(|&at| &keys.inputs[at].id)
        .filter(|id| !fresh.contains_key(*id))
        .collect();
    let mut stored = rows::read_entries(store, &ids);
    // The members' records, and where each article (its index in `keys`) is among them.
    let mut loaded = Vec::with_capacity(needed.len());
    let mut local: rustc_hash::FxHashMap<usize, usize> = Default::default();
    for at in needed {
        let id = &keys.inputs[at].id;
        if let Some(entry) = fresh.get(id).cloned().or_else(|| stored.remove(id)) {
            local.insert(at, loaded.len());
            let (raw, doc, claims) = entry.into_records(id.clone());
            loaded.push(Loaded { raw, doc, claims });
        } else {
            warn!(article = %id, "index row unreadable; its events are made next run");
        }
    }
    drop(stored);
    let mut missing = 0;
    let local_remake: Vec<(&events::Event, compare::Members, &String)> = remake
        .iter()
        .filter_map(|(event, members, key)| {
            let here: Option<compare::Members> = members
                .iter()
                .map(|(at, claims)| Some((*local.get(at)?, claims.clone())))
                .collect();
            if here.is_none() {
                missing += 1;
            }
            Some((*event, here?, key))
        })
        .collect();
    let inputs = inputs(&loaded);
    let made = parallel_map(&local_remake, |(event, members, key)| {
        let claims = event_claim_lines(&loaded, members, assignment, rules);
        (
            compare::event_report(&inputs, event, members, rules),
            export::claims_csv(&claims),
            (*key).clone(),
        )
    });
    (made, missing)
}

/// Prints the whole report as one document (JSON as `comparison.json` was, or Markdown),
/// read from the events' files as the last run wrote them, the events `follow` names first;
/// returns how many events.
pub fn export_report(
    corpus: &Corpus,
    markdown: bool,
    follow: &[follow::Follow],
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    let log = last_report(corpus)?;
    let parts = log.parts.as_ref().expect("checked by last_report");
    publish::export(corpus, &log, parts, markdown, follow, out)
}

/// Prints one event's file as the last run wrote it: its page, JSON, Markdown or claims as
/// CSV (`analyser report --event ID`).
pub fn export_event(
    corpus: &Corpus,
    id: &str,
    file: publish::EventFile,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let log = last_report(corpus)?;
    let parts = log.parts.as_ref().expect("checked by last_report");
    publish::export_event(corpus, parts, id, file, out)
}

/// The change log of a complete report, with its events (from the store).
fn last_report(corpus: &Corpus) -> anyhow::Result<ChangeLog> {
    let no_report = || anyhow::anyhow!("no report yet: run the analyser first");
    if !corpus.has_store() {
        return Err(no_report());
    }
    let store = corpus.store()?;
    let mut log = match rows::read_log_head(&store) {
        Ok(log) => log.ok_or_else(no_report)?,
        Err(rows::LogError::Store(e) | rows::LogError::Corrupt { error: e, .. }) => {
            return Err(e.into());
        }
    };
    rows::read_log_events(&store, &mut log);
    if log.parts.is_none() {
        anyhow::bail!("the report is not complete: run the analyser again");
    }
    Ok(log)
}

/// The change log (without its events: [`rows::read_log_events`] reads them), whether it
/// may be written, and whether it came from the store. One that cannot be read is history:
/// its text is kept for someone to look at, in `state/analyser-changes.corrupt-<time>.json`,
/// and a new log is started (the report is then made whole, every event new in it).
fn read_change_log(
    corpus: &Corpus,
    store: &corpus::Store,
    now: DateTime<Utc>,
    summary: &mut RunSummary,
) -> (ChangeLog, bool, bool) {
    let (error, text) = match rows::read_log_head(store) {
        Ok(Some(log)) => return (log, true, true),
        Ok(None) => return (ChangeLog::new(now), true, false),
        Err(rows::LogError::Corrupt { error, text }) => (error, text),
        Err(rows::LogError::Store(error)) => (error, String::new()),
    };
    match corpus.keep_aside_state(CHANGES_STATE, now, text.as_bytes()) {
        Ok(aside) => {
            warn!(error = %error, kept = %aside.display(), "change log unreadable; set aside, a new one started");
            (ChangeLog::new(now), true, false)
        }
        Err(aside) => {
            warn!(error = %error, "change log unreadable; left as it is, this run's changes are not logged");
            summary.failed += 1;
            summary.failures.push(aside.to_string());
            (ChangeLog::new(now), false, false)
        }
    }
}

/// Drops `value` on a thread of its own: giving back the memory of the whole index (10,000
/// articles: hundreds of thousands of small values) takes longer than anything after the
/// report is written, and a process that exits does not need to wait for it.
fn drop_later<T: Send + 'static>(value: T) {
    // Without a thread, it is dropped here.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(value));
}

/// Milliseconds since `started`, for the `-v` timeline.
pub fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A hash of what an event's report is made from: the event, and each member's version and
/// claims about it.
fn event_inputs(
    event: &events::Event,
    members: &compare::Members,
    articles: &[events::GroupInput],
    versions: &[String],
) -> String {
    use std::fmt::Write;
    let mut text = format!(
        "{}\n{}\n{:?}\n{:?}\n",
        event.id, event.label, event.place, event.date
    );
    for (at, claims) in members {
        let _ = writeln!(text, "{} {} {claims:?}", articles[*at].id, versions[*at]);
    }
    corpus::sha256_hex(text)
}

/// A hash of every article's version, in id order: what the report is made from.
fn inputs_fingerprint(articles: &[events::GroupInput], versions: &[String]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(articles.len() * 64);
    for (a, version) in articles.iter().zip(versions) {
        let _ = writeln!(text, "{} {version}", a.id);
    }
    corpus::sha256_hex(text)
}

/// `f` over `items` on every core, results in order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|c| scope.spawn(move || c.iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(joined).collect()
    })
}

/// The result of a thread; its panic goes on in the caller.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

pub use publish::REPORT_FILES;

/// What else than the articles decides the report: this program's version and report code
/// ([`REPORT_CODE`]), its analyser stamp, the comparison rules and the report templates.
fn program_stamp(analyser_stamp: &str, rules: &Rules) -> String {
    corpus::sha256_hex(format!(
        "{} {} {} {} {}",
        env!("CARGO_PKG_VERSION"),
        REPORT_CODE,
        analyser_stamp,
        rules.fingerprint(),
        report::TEMPLATES_FINGERPRINT.as_str()
    ))
}

/// How many runs of the change log the report shows.
pub const REPORT_CHANGE_RUNS: usize = 10;

/// [`log_changes`] for events made a chunk at a time: `made` (in report order) holds each
/// event's changes since the snapshot and its new snapshot. Returns how many changes were
/// recorded.
fn log_made(
    log: &mut ChangeLog,
    made: &[Made],
    current: &dyn Fn(&str) -> bool,
    made_at: Option<DateTime<Utc>>,
) -> usize {
    let mut changes: Vec<corpus::Change> = made
        .iter()
        .flat_map(|m| m.changes.iter().cloned())
        .collect();
    changes.extend(compare::changes::diff_some(&log.snapshot, &[], current));
    let now = made_at.unwrap_or(log.changed_at);
    log.changed_at = now;
    let recorded = changes.len();
    if !changes.is_empty() {
        log.entries.insert(0, ChangeEntry { at: now, changes });
        log.entries.truncate(CHANGE_LOG_KEEP);
    }
    log.snapshot.events.retain(|id, _| current(id));
    for m in made {
        log.snapshot.events.insert(m.id.clone(), m.snapshot.clone());
    }
    recorded
}

/// Records in `log` what changed since its snapshot; returns the comparison to write, dated
/// `made_at` (`None`: the date of the last comparison), and how many changes were recorded.
pub fn record_changes(
    log: &mut ChangeLog,
    events: Vec<EventReport>,
    articles: usize,
    made_at: Option<DateTime<Utc>>,
) -> (Comparison, usize) {
    let current: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let refs: Vec<&EventReport> = events.iter().collect();
    let recorded = log_changes(log, &refs, &|id| current.contains(id), made_at);
    let comparison = Comparison {
        schema: COMPARISON_SCHEMA,
        generated_at: log.changed_at,
        articles,
        changes: log
            .entries
            .iter()
            .take(REPORT_CHANGE_RUNS)
            .cloned()
            .collect(),
        events,
    };
    (comparison, recorded)
}

/// Records in `log` what changed since its snapshot, given the events whose reports were made
/// again (in report order; the others are as the snapshot has them) and which ids are
/// current. Returns how many changes were recorded.
fn log_changes(
    log: &mut ChangeLog,
    made: &[&EventReport],
    current: &dyn Fn(&str) -> bool,
    made_at: Option<DateTime<Utc>>,
) -> usize {
    let changes = compare::changes::diff_some(&log.snapshot, made, current);
    let now = made_at.unwrap_or(log.changed_at);
    log.changed_at = now;
    let recorded = changes.len();
    if !changes.is_empty() {
        log.entries.insert(0, ChangeEntry { at: now, changes });
        log.entries.truncate(CHANGE_LOG_KEEP);
    }
    log.snapshot.events.retain(|id, _| current(id));
    for e in made {
        log.snapshot
            .events
            .insert(e.id.clone(), compare::changes::event_snapshot(e));
    }
    recorded
}

fn inputs(loaded: &[Loaded]) -> Vec<events::ArticleInput<'_>> {
    loaded
        .iter()
        .map(|l| events::ArticleInput {
            raw: &l.raw,
            doc: &l.doc,
            claims: &l.claims,
        })
        .collect()
}

/// Every claim as a flat JSON object (the `claims --format jsonl` line format), with its
/// article's outlet, address and day of publication.
pub fn claim_lines(loaded: &[Loaded], rules: &Rules) -> Vec<serde_json::Value> {
    let assignment = events::group(&inputs(loaded));
    loaded
        .iter()
        .flat_map(|l| article_claim_lines(l, 0..l.claims.claims.len(), &assignment, rules))
        .collect()
}

/// The lines of [`claim_lines`] of one event's members (`report/events/.../<event>.csv`).
fn event_claim_lines(
    loaded: &[Loaded],
    members: &compare::Members,
    assignment: &events::EventAssignment,
    rules: &Rules,
) -> Vec<serde_json::Value> {
    members
        .iter()
        .flat_map(|(at, claims)| {
            article_claim_lines(&loaded[*at], claims.iter().copied(), assignment, rules)
        })
        .collect()
}

/// The lines of an article's claims numbered `claims`.
fn article_claim_lines(
    l: &Loaded,
    claims: impl Iterator<Item = usize>,
    assignment: &events::EventAssignment,
    rules: &Rules,
) -> Vec<serde_json::Value> {
    let outlet = rules.outlet_name(&l.raw, &l.doc);
    let url = compare::article_url(&l.raw, &l.doc);
    let published = l
        .doc
        .meta
        .published
        .or(l.raw.meta.published)
        .map(|p| p.to_string());
    let mut lines = Vec::new();
    for index in claims {
        let Some(claim) = l.claims.claims.get(index) else {
            continue;
        };
        let event = assignment.event_of(&l.raw.id, index).map(|e| e.id.as_str());
        let location = assignment.location_of(&l.raw.id, index, claim);
        let mut line = match &claim.fact {
            Fact::Count(f) => serde_json::json!({
                "article": l.raw.id, "kind": "count", "measure": f.measure, "subject": f.noun.as_ref().unwrap_or(&f.subject),
                "count": f.count, "qualifier": f.qualifier, "location": location,
                "event": event, "attribution": claim.attribution, "quote": claim.quote,
                "parts": f.parts, "attribution_chain": claim.attribution_chain,
            }),
            Fact::Weapon(w) => serde_json::json!({
                "article": l.raw.id, "kind": "weapon", "value": w.value, "mention": w.mention,
                "event": event, "attribution": claim.attribution, "quote": claim.quote,
            }),
            Fact::Blame(b) => serde_json::json!({
                "article": l.raw.id, "kind": "blame", "accuser": b.accuser, "accused": b.accused,
                "denial": b.denial, "event": event, "attribution": claim.attribution, "quote": claim.quote,
            }),
        };
        line["outlet"] = outlet.clone().into();
        line["url"] = url.into();
        line["published"] = published.clone().into();
        lines.push(line);
    }
    lines
}

/// Claims as a table for people: one line per claim, from [`claim_lines`].
pub fn claim_table(lines: &[serde_json::Value]) -> String {
    let text = |v: &serde_json::Value, key: &str| -> String {
        match v.get(key) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => "-".into(),
            Some(other) => other.to_string(),
        }
    };
    let mut rows = vec![[
        "article".to_string(),
        "claim".to_string(),
        "place".to_string(),
        "event".to_string(),
        "source".to_string(),
    ]];
    for l in lines {
        let claim = match text(l, "kind").as_str() {
            "count" => {
                let q = match text(l, "qualifier").as_str() {
                    "at_least" => "at least ",
                    "more_than" => "more than ",
                    "about" => "about ",
                    _ => "",
                };
                let n = match l.get("count") {
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => "some".into(),
                };
                format!("{} {q}{n} {}", text(l, "measure"), text(l, "subject"))
            }
            "weapon" => format!("weapon {}", text(l, "value")),
            "blame" => {
                let verb = if l.get("denial").and_then(serde_json::Value::as_bool) == Some(true) {
                    "puts it on"
                } else {
                    "blames"
                };
                format!("{} {verb} {}", text(l, "accuser"), text(l, "accused"))
            }
            other => other.to_string(),
        };
        rows.push([
            text(l, "article"),
            claim,
            text(l, "location"),
            text(l, "event"),
            text(l, "attribution"),
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count().min(48))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| {
                let cut: String = cell.chars().take(48).collect();
                format!("{cut:<w$}")
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
