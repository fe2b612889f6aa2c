//! The report's files (issue 16): one page, JSON and Markdown file per event under
//! `report/events/<month>/`, the list of events (`index.html`, its script `list.js` and its
//! data `list/<month>.js`) and a small `index.json`. A run writes the files of the events it
//! made again, removes those of the events gone, and rewrites a data file of the list only
//! when its events changed: no file holds the whole corpus.
//!
//! [`export`] puts the events' files together again, for those who want everything in one
//! JSON document or one Markdown file.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use corpus::{COMPARISON_SCHEMA, Comparison, Corpus, CorpusError, EventReport, FileStamp};
use serde::Serialize;
use tracing::warn;

use crate::compare::ReportOrder;
use crate::report::{self, Nav, PageHead};
use crate::state::{ChangeLog, EventPart, ReportParts};
use crate::{REPORT_CHANGE_RUNS, RunSummary};

/// The files at the top of `report/`: the list page, its script, the small index, and the
/// change log as an Atom feed.
pub const REPORT_FILES: [&str; 4] = ["index.html", "list.js", "index.json", "changes.atom"];
/// The whole-corpus files of the layout before issue 16, removed by the first run that
/// writes the new one.
pub const OLD_REPORT_FILES: [&str; 2] = ["comparison.json", "comparison.md"];
/// `report/list/`: the list's data files.
const LIST_DIR: &str = "list";

/// `report/index.json`: what the report holds, in short. Each event's comparison is in
/// `events/<month>/<stem>.json` (the list's data files give each event's page).
#[derive(Serialize)]
struct ReportIndex<'a> {
    schema: u32,
    generated_at: DateTime<Utc>,
    articles: usize,
    events: usize,
    /// The list's data files, relative to `report/`.
    lists: Vec<String>,
    /// The events the reader follows (`[[analyser.follow]]`), by id, newest first.
    followed: Vec<&'a str>,
    /// What changed, run by run, newest first (the last runs of the change log, each with
    /// its first changes).
    changes: Vec<ChangeRun<'a>>,
}

/// A run's changes in `index.json`: at most [`report::CHANGES_SHOWN`], and how many more.
#[derive(Serialize)]
struct ChangeRun<'a> {
    at: DateTime<Utc>,
    changes: &'a [corpus::Change],
    more: usize,
}

/// An event's report made in this run, with its files' bytes.
pub struct Rendered {
    pub part: EventPart,
    /// Page, JSON, Markdown, claims as CSV.
    files: [(PathBuf, Vec<u8>); 4],
}

impl Rendered {
    pub fn of(
        corpus: &Corpus,
        report: &EventReport,
        claims_csv: &str,
        inputs: String,
    ) -> Result<Rendered, CorpusError> {
        let [html, json, md, csv] = event_paths(corpus, &report.id, report.date)?;
        let mut json_bytes = serde_json::to_vec(report).expect("an event report serialises");
        json_bytes.push(b'\n');
        Ok(Rendered {
            part: EventPart {
                inputs,
                order: ReportOrder::of(report),
                nav: Nav::of(report),
            },
            files: [
                (html, report::event_page(report).into_bytes()),
                (json, json_bytes),
                (md, report::event_markdown_page(report).into_bytes()),
                (csv, claims_csv.as_bytes().to_vec()),
            ],
        })
    }
}

/// An event's four files: page, JSON, Markdown, claims as CSV.
fn event_paths(
    corpus: &Corpus,
    id: &str,
    date: Option<chrono::NaiveDate>,
) -> Result<[PathBuf; 4], CorpusError> {
    let folder = report::event_folder(date);
    let stem = report::event_stem(id);
    let path = |ext: &str| {
        corpus.report_path_in(&[
            corpus::Layout::REPORT_EVENTS,
            &folder,
            &format!("{stem}.{ext}"),
        ])
    };
    Ok([path("html")?, path("json")?, path("md")?, path("csv")?])
}

/// `events/<folder>`, as the report's stamps name it.
pub fn folder_key(date: Option<chrono::NaiveDate>) -> String {
    format!(
        "{}/{}",
        corpus::Layout::REPORT_EVENTS,
        report::event_folder(date)
    )
}

/// The stamps of report paths (relative to `report/`: files and folders) that exist.
pub fn stamps<'a>(
    corpus: &Corpus,
    names: impl IntoIterator<Item = &'a String>,
) -> BTreeMap<String, FileStamp> {
    let root = corpus.root().join(corpus::Layout::REPORT);
    names
        .into_iter()
        .filter_map(|name| Some((name.clone(), FileStamp::of(&root.join(name)).ok()?)))
        .collect()
}

/// Whether the report is as the change log's parts say it was written: its top files, the
/// list's folder and every event folder have the stamps they had.
pub fn as_written(corpus: &Corpus, parts: Option<&ReportParts>) -> bool {
    parts.is_some_and(|p| stamps(corpus, p.files.keys()) == p.files)
}

/// What a run writes into the report, besides the events it made again.
pub struct Publish<'a> {
    pub corpus: &'a Corpus,
    pub log: &'a ChangeLog,
    pub articles: usize,
    /// Events the reader follows: listed first.
    pub follow: &'a [crate::follow::Follow],
    /// The parts of the report as last written (any program), to remove what is gone.
    pub last: Option<&'a ReportParts>,
    /// The last parts, when this program wrote them: list files with the same bytes are
    /// not written again.
    pub reusable: Option<&'a ReportParts>,
}

/// Writes the files of events made again (a run writes them a few hundred events at a
/// time, before the rest of the report). Returns whether every write was done, and the
/// events' parts in the order given.
pub fn write_events(
    corpus: &Corpus,
    made: Vec<Rendered>,
    summary: &mut RunSummary,
) -> (bool, Vec<EventPart>) {
    let mut complete = true;
    let writes: Vec<(PathBuf, Vec<u8>)> = made.iter().flat_map(|r| r.files.clone()).collect();
    for outcome in corpus.write_reports_many(&writes) {
        match outcome {
            Ok(o) if o.changed() => summary.reports_written += 1,
            Ok(_) => {}
            Err(e) => {
                warn!(error = %e, "cannot write a report file");
                summary.failed += 1;
                summary.failures.push(e.to_string());
                complete = false;
            }
        }
    }
    (complete, made.into_iter().map(|r| r.part).collect())
}

impl Publish<'_> {
    /// With the events made again written ([`write_events`], their parts `made`): removes
    /// the files of events gone, writes the list and the index. Returns whether every write
    /// was done, and the new parts (their stamps are taken once written).
    pub fn write(
        &self,
        kept: Vec<(String, EventPart)>,
        made: Vec<EventPart>,
        summary: &mut RunSummary,
    ) -> (bool, ReportParts) {
        let mut complete = true;
        let mut failed = |e: CorpusError, summary: &mut RunSummary| {
            warn!(error = %e, "cannot write a report file");
            summary.failed += 1;
            summary.failures.push(e.to_string());
            complete = false;
        };
        let mut events: BTreeMap<String, EventPart> = kept.into_iter().collect();
        events.extend(made.into_iter().map(|p| (p.order.id.clone(), p)));
        for e in self.remove_gone(&events) {
            failed(e, summary);
        }
        let (lists, errors) = self.write_lists(&events, summary);
        for e in errors {
            failed(e, summary);
        }
        for e in self.write_index(&events, &lists, summary) {
            failed(e, summary);
        }
        let mut names: BTreeSet<String> = REPORT_FILES.iter().map(|n| n.to_string()).collect();
        names.insert(LIST_DIR.to_string());
        names.extend(events.values().map(|p| folder_key(p.nav.date)));
        let files = stamps(self.corpus, &names);
        (
            complete,
            ReportParts {
                files,
                events,
                lists,
            },
        )
    }

    /// Removes the files of the events the last report had and this one has not, and the
    /// whole-corpus files of the layout before.
    fn remove_gone(&self, events: &BTreeMap<String, EventPart>) -> Vec<CorpusError> {
        let mut errors = Vec::new();
        let gone = self
            .last
            .into_iter()
            .flat_map(|p| p.events.iter())
            .filter(|(id, _)| !events.contains_key(*id));
        for (id, part) in gone {
            match event_paths(self.corpus, id, part.nav.date) {
                Ok(paths) => {
                    for path in paths {
                        if let Err(e) = self.corpus.remove_report_file(&path) {
                            errors.push(e);
                        }
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        for name in OLD_REPORT_FILES {
            let removed = self
                .corpus
                .report_path(name)
                .and_then(|path| self.corpus.remove_report_file(&path));
            if let Err(e) = removed {
                errors.push(e);
            }
        }
        errors
    }

    /// Writes the list's data files whose events changed (or that are not as written), and
    /// removes those no longer needed. Returns each file's hash by name.
    fn write_lists(
        &self,
        events: &BTreeMap<String, EventPart>,
        summary: &mut RunSummary,
    ) -> (BTreeMap<String, String>, Vec<CorpusError>) {
        let navs: Vec<Nav> = events.values().map(|p| p.nav.clone()).collect();
        let list_dir_same = self.reusable.is_some_and(|p| {
            p.files.get(LIST_DIR) == stamps(self.corpus, [&LIST_DIR.to_string()]).get(LIST_DIR)
        });
        let mut hashes = BTreeMap::new();
        let mut writes = Vec::new();
        let mut errors = Vec::new();
        for (name, chunk) in report::list_chunks(&navs) {
            let bytes = report::list_script(&chunk).into_bytes();
            let hash = corpus::sha256_hex(&bytes);
            let same =
                list_dir_same && self.reusable.and_then(|p| p.lists.get(&name)) == Some(&hash);
            if !same {
                match self
                    .corpus
                    .report_path_in(&[LIST_DIR, &format!("{name}.js")])
                {
                    Ok(path) => writes.push((path, bytes)),
                    Err(e) => errors.push(e),
                }
            }
            hashes.insert(name, hash);
        }
        for outcome in self.corpus.write_reports_many(&writes) {
            match outcome {
                Ok(o) if o.changed() => summary.reports_written += 1,
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        let old = self.last.into_iter().flat_map(|p| p.lists.keys());
        for name in old.filter(|n| !hashes.contains_key(*n)) {
            let removed = self
                .corpus
                .report_path_in(&[LIST_DIR, &format!("{name}.js")])
                .and_then(|path| self.corpus.remove_report_file(&path));
            if let Err(e) = removed {
                errors.push(e);
            }
        }
        (hashes, errors)
    }

    /// Writes `index.html`, `list.js`, `index.json` and `changes.atom` (each only when its
    /// bytes changed).
    fn write_index(
        &self,
        events: &BTreeMap<String, EventPart>,
        lists: &BTreeMap<String, String>,
        summary: &mut RunSummary,
    ) -> Vec<CorpusError> {
        let changes = &self.log.entries[..self.log.entries.len().min(REPORT_CHANGE_RUNS)];
        let head = PageHead {
            generated_at: self.log.changed_at,
            articles: self.articles,
            changes,
            per_run: report::CHANGES_SHOWN,
        };
        let navs: Vec<Nav> = events.values().map(|p| p.nav.clone()).collect();
        let chunks = report::list_chunks(&navs);
        let mut followed: Vec<&Nav> = events
            .values()
            .map(|p| &p.nav)
            .filter(|nav| crate::follow::followed(self.follow, nav))
            .collect();
        followed.sort_by(|a, b| report::newest_first(a, b));
        let index = ReportIndex {
            schema: COMPARISON_SCHEMA,
            generated_at: self.log.changed_at,
            articles: self.articles,
            events: events.len(),
            lists: lists.keys().map(|n| format!("{LIST_DIR}/{n}.js")).collect(),
            followed: followed.iter().map(|n| n.id.as_str()).collect(),
            changes: changes
                .iter()
                .map(|entry| {
                    let shown = entry.changes.len().min(report::CHANGES_SHOWN);
                    ChangeRun {
                        at: entry.at,
                        changes: &entry.changes[..shown],
                        more: entry.changes.len() - shown,
                    }
                })
                .collect(),
        };
        let mut json = serde_json::to_vec_pretty(&index).expect("the index serialises");
        json.push(b'\n');
        let event_page = |id: &str| match events.get(id) {
            Some(part) => report::event_href(id, part.nav.date),
            // an event gone has no page: the list
            None => "index.html".to_string(),
        };
        let feed = report::atom::changes_feed(&self.log.entries, self.log.changed_at, &event_page);
        let files: [(&str, Vec<u8>); 4] = [
            (
                "index.html",
                report::index_page(&head, &navs, &followed, &chunks).into_bytes(),
            ),
            ("list.js", report::LIST_APP.as_bytes().to_vec()),
            ("index.json", json),
            ("changes.atom", feed.into_bytes()),
        ];
        let mut errors = Vec::new();
        for (name, bytes) in files {
            match self.corpus.write_report(name, &bytes) {
                Ok(o) if o.changed() => summary.reports_written += 1,
                Ok(_) => {}
                Err(e) => errors.push(e),
            }
        }
        errors
    }
}

/// Every event's comparison in one document, read from the events' files in report order
/// (the followed events first, then the most reported): `comparison.json` as the layout before issue 16 wrote it, or
/// the Markdown report. One event is in memory at a time.
pub fn export(
    corpus: &Corpus,
    log: &ChangeLog,
    parts: &ReportParts,
    markdown: bool,
    follow: &[crate::follow::Follow],
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let mut order: Vec<&EventPart> = parts.events.values().collect();
    order.sort_by_cached_key(|p| (!crate::follow::followed(follow, &p.nav), p.order.clone()));
    let articles = log.articles;
    let head = Comparison {
        schema: COMPARISON_SCHEMA,
        generated_at: log.changed_at,
        articles,
        changes: log
            .entries
            .iter()
            .take(REPORT_CHANGE_RUNS)
            .cloned()
            .collect(),
        events: Vec::new(),
    };
    if markdown {
        let page = report::markdown_page(&PageHead::of(&head), order.len(), "\0");
        let (before, after) = page.split_once('\0').expect("a place for the events");
        out.write_all(before.as_bytes())?;
        for part in &order {
            out.write_all(report::event_markdown(&read_event(corpus, part)?).as_bytes())?;
        }
        out.write_all(after.as_bytes())?;
    } else {
        let mut json = serde_json::to_string(&head)?;
        // `"events":[]}` closes the head: the events go between the brackets
        let tail = json.split_off(json.len() - 2);
        out.write_all(json.as_bytes())?;
        for (n, part) in order.iter().enumerate() {
            if n > 0 {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &read_event(corpus, part)?)?;
        }
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(order.len())
}

/// One of an event's files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFile {
    Page,
    Json,
    Markdown,
    Csv,
}

/// Copies one event's file, as the last run wrote it, to `out`.
pub fn export_event(
    corpus: &Corpus,
    parts: &ReportParts,
    id: &str,
    file: EventFile,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let part = parts.events.get(id).with_context(|| {
        format!("no event {id:?} in the report (its list: report/index.html, report/index.json)")
    })?;
    let [html, json, md, csv] = event_paths(corpus, id, part.nav.date)?;
    let path = match file {
        EventFile::Page => html,
        EventFile::Json => json,
        EventFile::Markdown => md,
        EventFile::Csv => csv,
    };
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    out.write_all(&bytes)?;
    Ok(())
}

/// An event's comparison, from its JSON file.
fn read_event(corpus: &Corpus, part: &EventPart) -> anyhow::Result<EventReport> {
    use anyhow::Context;
    let [_, json, _, _] = event_paths(corpus, &part.order.id, part.nav.date)?;
    let bytes = std::fs::read(&json).with_context(|| format!("cannot read {}", json.display()))?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not an event's comparison", json.display()))
}
