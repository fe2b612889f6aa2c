//! The analyser run on a corpus: incremental updates from the index, the change log, bad
//! records, and idle runs that write nothing.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use analyser::{Analyser, Rules, RunSummary, events};
use corpus::{ArticleId, ChangeKind, Comparison, Corpus, Origin, PubTime, RawArticle, RawFormat};
use normaliser::Normaliser;

fn corpus() -> (tempfile::TempDir, Corpus) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    (dir, corpus)
}

fn add(corpus: &Corpus, id: &str, date: &str, text: &str) {
    let mut raw = RawArticle::new(
        ArticleId::new(id).unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        text.to_string(),
    );
    raw.meta.published = PubTime::parse(date);
    corpus.write_raw(&raw).unwrap();
}

fn normalise(corpus: &Corpus) {
    let summary = normaliser::run(corpus, &Normaliser::builtin()).unwrap();
    assert_eq!(summary.failed, 0);
}

fn analyse(corpus: &Corpus) -> RunSummary {
    analyser::run(corpus, &Analyser::builtin(), &Rules::builtin()).unwrap()
}

/// The whole comparison, as `analyser report --format json` prints it from the report's files.
fn comparison(corpus: &Corpus) -> Comparison {
    let mut out = Vec::new();
    analyser::export_report(corpus, false, &[], &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn modification_times(dir: &Path) -> Vec<(PathBuf, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else if entry.file_name() != ".lock" {
                out.push((entry.path(), entry.metadata().unwrap().modified().unwrap()));
            }
        }
    }
    out.sort();
    out
}

fn three_articles(corpus: &Corpus) {
    add(
        corpus,
        "a1",
        "2024-03-01",
        "Twelve people were killed in the blast in Lyon.\n",
    );
    add(
        corpus,
        "a2",
        "2024-03-02",
        "At least 15 people were killed in the blast in Lyon.\n",
    );
    add(
        corpus,
        "a3",
        "2024-03-02",
        "The blast in Lyon killed 15 people and injured 40.\n",
    );
    normalise(corpus);
}

#[test]
fn an_idle_run_writes_nothing_and_unchanged_records_are_not_read() {
    let (dir, corpus) = corpus();
    three_articles(&corpus);
    let first = analyse(&corpus);
    assert_eq!(
        (first.analysed, first.failed, first.reports_written),
        // one event: its page, JSON, Markdown and claims; the list's data file; the list page,
        // its script, the index and the changes feed
        (3, 0, 9)
    );
    let before = modification_times(dir.path());

    // Unchanged articles are known from the index: damaging their raw records is not noticed.
    std::fs::write(corpus.raw_path(&ArticleId::new("a1").unwrap()), b"garbage").unwrap();
    let before_raw_damage = before
        .iter()
        .filter(|(p, _)| !p.ends_with("raw/a1.json"))
        .cloned()
        .collect::<Vec<_>>();
    let idle = analyse(&corpus);
    assert_eq!((idle.analysed, idle.unchanged, idle.failed), (0, 3, 0));
    assert_eq!((idle.changes, idle.reports_written), (0, 0));
    let after: Vec<_> = modification_times(dir.path())
        .into_iter()
        .filter(|(p, _)| !p.ends_with("raw/a1.json"))
        .collect();
    // (The store may learn, once, that the folders settled: a row, not a record or report.)
    let not_store = |files: Vec<(PathBuf, SystemTime)>| -> Vec<(PathBuf, SystemTime)> {
        files
            .into_iter()
            .filter(|(p, _)| !p.to_string_lossy().contains(corpus::STORE_FILE))
            .collect()
    };
    assert_eq!(
        not_store(before_raw_damage),
        not_store(after),
        "an idle run rewrote files"
    );
}

#[test]
fn a_new_article_is_the_only_one_read_and_its_changes_are_logged() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let first = comparison(&corpus);
    assert_eq!(first.changes.len(), 1);
    assert!(matches!(
        first.changes[0].changes[0].what,
        ChangeKind::NewEvent
    ));
    let first_feed = feed_entries(&corpus);
    assert_eq!(first_feed.len(), 1, "{first_feed:?}");
    analyse(&corpus);
    assert_eq!(
        feed_entries(&corpus),
        first_feed,
        "an idle run adds no entry"
    );

    add(
        &corpus,
        "a4",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast in Lyon.\n",
    );
    normalise(&corpus);
    let second_run = analyse(&corpus);
    assert_eq!((second_run.analysed, second_run.unchanged), (1, 3));
    let second = comparison(&corpus);
    assert_eq!(
        second.changes.len(),
        2,
        "a dated entry per run with changes"
    );
    assert!(second.generated_at >= first.generated_at);
    let latest: Vec<String> = second.changes[0]
        .changes
        .iter()
        .map(|c| match &c.what {
            ChangeKind::NewSource { article, .. } => format!("source {article}"),
            ChangeKind::NewValue { figure, value } => format!("{figure} {:?}", value.count),
            ChangeKind::Revised { figure, from, to } => {
                format!("{figure} {:?}->{:?}", from.count, to.count)
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert!(latest.contains(&"source a4".to_string()), "{latest:?}");
    assert!(
        latest.contains(&"killed/people Some(19)".to_string()),
        "{latest:?}"
    );
    assert!(
        latest
            .iter()
            .any(|l| l.starts_with("killed/people Some(") && l.ends_with("->Some(19)")),
        "{latest:?}"
    );
    let html = String::from_utf8(corpus.read_report("index.html").unwrap().unwrap()).unwrap();
    let changes_at = html.find("What changed").unwrap();
    let footer_at = html.find("<footer>").unwrap();
    assert!(changes_at < footer_at, "the change log is on the list page");
    assert!(html[changes_at..footer_at].contains("new source a4.txt"));
    assert!(
        html.contains("href=\"changes.atom\""),
        "the feed is offered"
    );

    let feed = feed_entries(&corpus);
    assert_eq!(feed.len(), 2, "one entry per run and event: {feed:?}");
    assert_eq!(feed[1], first_feed[0], "an entry keeps its id");
    assert_ne!(feed[0].0, feed[1].0);
    let page = corpus.root().join("report").join(&feed[0].1);
    assert!(page.is_file(), "the entry links its event's page: {page:?}");
    assert!(
        feed[0].2.contains("revised from") && feed[0].2.ends_with("more)"),
        "the revision leads the run's entry: {:?}",
        feed[0].2
    );
}

/// The entries of `report/changes.atom`, read by a feed parser: id, link, title.
fn feed_entries(corpus: &Corpus) -> Vec<(String, String, String)> {
    let bytes = corpus.read_report("changes.atom").unwrap().unwrap();
    let feed = feed_rs::parser::parse(bytes.as_slice()).expect("a valid Atom feed");
    feed.entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.links[0].href.clone(),
                e.title.as_ref().unwrap().content.clone(),
            )
        })
        .collect()
}

#[test]
fn a_changed_article_is_extracted_again_and_a_removed_one_leaves() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    add(
        &corpus,
        "a2",
        "2024-03-02",
        "At least 17 people were killed in the blast in Lyon.\n",
    );
    std::fs::remove_file(corpus.raw_path(&ArticleId::new("a3").unwrap())).unwrap();
    normalise(&corpus);
    let run = analyse(&corpus);
    assert_eq!(
        (run.analysed, run.unchanged, run.removed),
        (1, 1, 1),
        "{run:?}"
    );
    let c = comparison(&corpus);
    let counts: Vec<Option<u64>> = c.events[0]
        .figures
        .iter()
        .find(|f| f.id == "killed/people")
        .unwrap()
        .values
        .iter()
        .map(|v| v.count)
        .collect();
    assert_eq!(counts, [Some(12), Some(17)]);
}

#[test]
fn a_corrupt_record_is_named_and_the_rest_go_on() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    let bad = corpus.normalised_path(&ArticleId::new("a2").unwrap());
    std::fs::write(&bad, b"{ not json").unwrap();
    let run = analyse(&corpus);
    assert_eq!((run.analysed, run.failed), (2, 1));
    assert!(
        run.failures[0].contains("normalised/a2.json"),
        "{:?}",
        run.failures
    );
    let c = comparison(&corpus);
    assert_eq!(c.articles, 2);
    // Still failing on the next run, and not forgotten: the error is reported again.
    assert_eq!(analyse(&corpus).failed, 1);
}

/// Issue 14, finding 5: a change log cut short is set aside (kept, renamed with the time) and
/// a new one started, so that runs go on without an error every time.
#[test]
fn a_corrupt_change_log_is_set_aside_and_started_afresh() {
    let (dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let text = row(&corpus, "state", "analyser-changes").unwrap();
    let half = text[..text.len() / 2].to_string();
    set_row(&corpus, "state", "analyser-changes", &half);
    let run = analyse(&corpus);
    assert_eq!(run.failed, 0, "{run:?}");
    let aside: Vec<_> = std::fs::read_dir(dir.path().join("state"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("analyser-changes.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("state").join(&aside[0])).unwrap(),
        half
    );
    assert_eq!(comparison(&corpus).changes.len(), 1, "a new log");
    let idle = analyse(&corpus);
    assert_eq!((idle.failed, idle.reports_written), (0, 0), "{idle:?}");
}
/// The index keeps metadata and claims, not the texts: event grouping must see the same
/// events from it as from the full records.
#[test]
fn event_grouping_is_the_same_from_the_index_as_from_the_records() {
    let (_dir, corpus) = corpus();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus/raw");
    for entry in std::fs::read_dir(seeds).unwrap() {
        let raw: RawArticle =
            serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        corpus.write_raw(&raw).unwrap();
    }
    normalise(&corpus);
    let analyser = Analyser::builtin();
    let mut summary = RunSummary::default();
    let from_index = analyser::load_claims(&corpus, &analyser, &mut summary).unwrap();
    assert_eq!(from_index.len(), 5);
    let full: Vec<_> = from_index
        .iter()
        .map(|l| {
            let raw = corpus.read_raw(&l.raw.id).unwrap();
            let doc = corpus.read_normalised(&l.raw.id).unwrap().unwrap();
            assert_eq!(raw.outlet(), l.raw.outlet());
            (raw, doc, l.claims.clone())
        })
        .collect();
    let full_inputs: Vec<_> = full
        .iter()
        .map(|(raw, doc, claims)| events::ArticleInput { raw, doc, claims })
        .collect();
    let index_inputs: Vec<_> = from_index
        .iter()
        .map(|l| events::ArticleInput {
            raw: &l.raw,
            doc: &l.doc,
            claims: &l.claims,
        })
        .collect();
    let (a, b) = (events::group(&full_inputs), events::group(&index_inputs));
    assert_eq!(a.events, b.events);
    assert_eq!(a.claim_event, b.claim_event);
}

#[test]
fn a_missing_report_file_or_new_rules_make_the_report_again() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    std::fs::remove_file(corpus.report_path("index.html").unwrap()).unwrap();
    let run = analyse(&corpus);
    assert_eq!(run.reports_written, 1, "{run:?}");
    assert!(corpus.report_path("index.html").unwrap().is_file());
    // an event's page removed: that event is made again, and its page written
    let event = comparison(&corpus).events.remove(0);
    let page = corpus
        .report_path_in(&[
            "events",
            &analyser::report::event_folder(event.date),
            &format!("{}.html", analyser::report::event_stem(&event.id)),
        ])
        .unwrap();
    let bytes = std::fs::read(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    let run = analyse(&corpus);
    assert_eq!(
        (run.reports_written, run.events_made, run.changes),
        (1, 1, 0),
        "{run:?}"
    );
    assert_eq!(std::fs::read(&page).unwrap(), bytes);

    let stricter =
        analyser::compare::DEFAULT_RULES.replace("outlier_margin = 0.5", "outlier_margin = 0.4");
    let rules = Rules::parse(&stricter).unwrap();
    let run = analyser::run(&corpus, &Analyser::builtin(), &rules).unwrap();
    assert_eq!(run.analysed, 0);
    assert!(
        run.reports_written > 0,
        "new rules, new report date: {run:?}"
    );
}

/// Replaces a file by a copy of itself, as every corpus write puts a file in place.
fn replace(path: &Path) {
    let copy = path.with_extension("copy");
    std::fs::copy(path, &copy).unwrap();
    std::fs::rename(&copy, path).unwrap();
}

/// A row of the corpus's store (its JSON), or `None`.
fn row(corpus: &Corpus, table: &str, key: &str) -> Option<String> {
    let conn = rusqlite::Connection::open(corpus.store_path()).unwrap();
    conn.query_row(
        &format!("SELECT value FROM {table} WHERE key = ?1"),
        [key],
        |r| r.get(0),
    )
    .ok()
}

/// Sets a row of the corpus's store to `value`, whatever it holds (a damaged row).
fn set_row(corpus: &Corpus, table: &str, key: &str, value: &str) {
    let conn = rusqlite::Connection::open(corpus.store_path()).unwrap();
    conn.execute(
        &format!("INSERT OR REPLACE INTO {table} (key, value) VALUES (?1, ?2)"),
        [key, value],
    )
    .unwrap();
}

/// Every row of some tables of the store, by table and key.
fn rows(corpus: &Corpus, tables: &[&str]) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(corpus.store_path()).unwrap();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT key, value FROM {table} ORDER BY key"))
            .unwrap();
        let found = stmt
            .query_map([], |r| Ok((table.to_string(), r.get(0)?, r.get(1)?)))
            .unwrap();
        out.extend(found.map(Result::unwrap));
    }
    out
}

/// The index is a row per article, so that a new article writes its row, not the others'.
#[test]
fn a_new_article_writes_only_its_index_row() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    assert_eq!(analyse(&corpus).index_rows_written, 3);
    let before = rows(&corpus, &["analyser"]);
    add(
        &corpus,
        "a4",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast in Lyon.\n",
    );
    normalise(&corpus);
    let run = analyse(&corpus);
    assert_eq!((run.analysed, run.index_rows_written), (1, 1), "{run:?}");
    let after = rows(&corpus, &["analyser"]);
    let keys: Vec<&str> = after.iter().map(|(_, k, _)| k.as_str()).collect();
    assert_eq!(keys, ["a1", "a2", "a3", "a4"]);
    assert_eq!(before[..], after[..3]);
}

/// A damaged index row costs its article a read of its records, nothing more; the index
/// files of earlier versions are removed.
#[test]
fn a_damaged_index_row_is_read_again_from_the_records() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let report = comparison(&corpus);
    set_row(&corpus, "analyser", "a2", "{ not json");
    let old_index = corpus.state_path(analyser::state::INDEX_STATE).unwrap();
    std::fs::create_dir_all(old_index.parent().unwrap()).unwrap();
    std::fs::write(&old_index, b"{}").unwrap();
    // An idle run does not read the index (see below): a record replaced makes this one.
    replace(&corpus.normalised_path(&ArticleId::new("a1").unwrap()));
    let run = analyse(&corpus);
    assert_eq!(
        (run.analysed, run.refreshed, run.unchanged, run.failed),
        (0, 2, 1, 0),
        "{run:?}"
    );
    assert!(!old_index.exists());
    assert!(row(&corpus, "analyser", "a2").unwrap().starts_with('{'));
    let again = comparison(&corpus);
    assert_eq!(again.events, report.events);
    let idle = analyse(&corpus);
    assert_eq!((idle.unchanged, idle.reports_written), (3, 0));
}
/// Two incidents, figures that rise over the days, a background figure and a syndicated copy.
const STORIES: [(&str, &str, &str); 7] = [
    (
        "s1",
        "2024-03-01",
        "Twelve people were killed in the blast in Northport, police said.\n",
    ),
    (
        "s2",
        "2024-03-02",
        "At least 15 people were killed in the blast in Northport, officials said.\n",
    ),
    (
        "s3",
        "2024-03-02",
        "The flood in Eastvale killed 4 people and injured 30.\n\nLast year a storm killed 9.\n",
    ),
    (
        "s4",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast in Northport.\n",
    ),
    (
        "s5",
        "2024-03-03",
        "Six people died in the flood in Eastvale, the mayor said.\n",
    ),
    (
        "s6",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast in Northport.\n",
    ),
    (
        "s7",
        "2024-03-04",
        "Police said 21 people were killed in the blast in Northport and 50 were injured.\n",
    ),
];

/// The comparison of `order` added a few articles per run, with a run after each step;
/// an article that comes and goes on the way leaves no trace.
fn built_in_steps(order: &[usize], step: usize) -> Comparison {
    let (_dir, corpus) = corpus();
    for (n, chunk) in order.chunks(step).enumerate() {
        for &i in chunk {
            let (id, date, text) = STORIES[i];
            add(&corpus, id, date, text);
        }
        if n == 1 {
            add(
                &corpus,
                "gone",
                "2024-03-02",
                "Thirty people were killed in the blast in Northport.\n",
            );
        }
        if n == 2 {
            std::fs::remove_file(corpus.raw_path(&ArticleId::new("gone").unwrap())).unwrap();
        }
        normalise(&corpus);
        let run = analyse(&corpus);
        assert_eq!(run.failed, 0, "{run:?}");
    }
    comparison(&corpus)
}

/// The report an incremental run leaves is the one a full rebuild makes, whatever order the
/// articles came in (the change log, a history of the runs, is the only difference).
#[test]
fn incremental_runs_in_any_order_make_the_report_a_full_rebuild_makes() {
    let all: Vec<usize> = (0..STORIES.len()).collect();
    let full = built_in_steps(&all, STORIES.len());
    assert!(full.events.len() >= 2, "{:#?}", full.events);
    assert_eq!(full.articles, STORIES.len());
    let reversed: Vec<usize> = all.iter().rev().copied().collect();
    let shuffled = [3, 6, 0, 5, 2, 1, 4];
    for (order, step) in [
        (&all, 1),
        (&reversed, 1),
        (&shuffled.to_vec(), 2),
        (&all, 3),
    ] {
        let steps = built_in_steps(order, step);
        assert_eq!(steps.articles, full.articles, "order {order:?}");
        assert_eq!(steps.events, full.events, "order {order:?} by {step}");
    }
}

/// Every file of the report, by its path in `report/`.
fn report_files(corpus: &Corpus) -> std::collections::BTreeMap<String, Vec<u8>> {
    let root = corpus.root().join("report");
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Runs the analyser, then makes the whole report again from the same comparison (the
/// report folder removed) and checks the files are the same, byte for byte, and each event's
/// files are its comparison rendered alone. Returns how many events the first run kept.
fn analyse_and_check_against_whole(corpus: &Corpus, step: &str) -> usize {
    let run = analyse(corpus);
    assert_eq!(run.failed, 0, "{run:?}");
    let incremental = report_files(corpus);
    std::fs::remove_dir_all(corpus.root().join("report")).unwrap();
    let whole = analyse(corpus);
    assert_eq!((whole.events_kept, whole.changes), (0, 0), "{whole:?}");
    let made_whole = report_files(corpus);
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        made_whole.keys().collect::<Vec<_>>(),
        "{step}: the report's files"
    );
    for (name, a) in &incremental {
        let b = &made_whole[name];
        assert!(
            a == b,
            "{step}: {name} differs from the file made whole:\n{}\n---\n{}",
            String::from_utf8_lossy(a),
            String::from_utf8_lossy(b)
        );
    }
    let c = comparison(corpus);
    for e in &c.events {
        let base = format!(
            "events/{}/{}",
            analyser::report::event_folder(e.date),
            analyser::report::event_stem(&e.id)
        );
        let mut json = serde_json::to_vec(e).unwrap();
        json.push(b'\n');
        assert!(
            json == made_whole[&format!("{base}.json")],
            "{step}: {base}.json"
        );
        let page = analyser::report::event_page(e);
        assert_eq!(page.as_bytes(), made_whole[&format!("{base}.html")]);
        let md = analyser::report::event_markdown_page(e);
        assert_eq!(md.as_bytes(), made_whole[&format!("{base}.md")]);
    }
    assert_eq!(
        made_whole
            .keys()
            .filter(|k| k.starts_with("events/"))
            .count(),
        4 * c.events.len(),
        "{step}: four files per event, no more"
    );
    run.events_kept
}

/// A run copies the parts of the events no new article touched from the last report files;
/// what it writes must be what making the whole report again writes, byte for byte, at every
/// step: articles joining an event, a new event, an article that comes and goes, a copy, an
/// article whose figure or date changes while its event keeps its articles.
#[test]
fn report_files_made_from_kept_parts_are_the_files_made_whole() {
    let (_dir, corpus) = corpus();
    let mut kept = 0;
    for (n, (id, date, text)) in STORIES.iter().enumerate() {
        add(&corpus, id, date, text);
        if n == 2 {
            add(
                &corpus,
                "gone",
                "2024-03-02",
                "Thirty people were killed in the blast in Northport.\n",
            );
        }
        if n == 4 {
            std::fs::remove_file(corpus.raw_path(&ArticleId::new("gone").unwrap())).unwrap();
        }
        normalise(&corpus);
        kept += analyse_and_check_against_whole(&corpus, &format!("adding {id}"));
    }
    add(
        &corpus,
        "s2",
        "2024-03-02",
        "At least 16 people were killed in the blast in Northport, officials said.\n",
    );
    normalise(&corpus);
    kept += analyse_and_check_against_whole(&corpus, "another figure");
    add(&corpus, "s5", "2024-03-04", STORIES[4].2);
    normalise(&corpus);
    kept += analyse_and_check_against_whole(&corpus, "another date");
    assert!(kept > 0, "no run copied a part: the test compared nothing");
}

/// Index rows written by another version of the layout are not trusted: their articles are
/// read again from their records, and the report stays as it was.
#[test]
fn index_rows_of_another_version_are_read_again() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let report = comparison(&corpus);
    let settings = row(&corpus, "state", analyser::state::INDEX_STATE).unwrap();
    let mut old: serde_json::Value = serde_json::from_str(&settings).unwrap();
    old["version"] = 1.into();
    set_row(
        &corpus,
        "state",
        analyser::state::INDEX_STATE,
        &old.to_string(),
    );
    // An idle run does not read the index: a record replaced makes this one.
    replace(&corpus.normalised_path(&ArticleId::new("a1").unwrap()));
    let run = analyse(&corpus);
    assert_eq!(run.refreshed, 3, "{run:?}");
    assert_eq!((run.analysed, run.failed), (0, 0), "{run:?}");
    assert_eq!(comparison(&corpus).events, report.events);
    let again: serde_json::Value =
        serde_json::from_str(&row(&corpus, "state", analyser::state::INDEX_STATE).unwrap())
            .unwrap();
    assert_eq!(again["version"], analyser::rows::INDEX_ROWS_VERSION);
}
/// Issue 14, finding 1: a run that dies after the index is written but before the report (or
/// `analyser claims`, which updates the index alone) must not leave the report stale: the next
/// run makes it from the articles as they are.
#[test]
fn a_report_not_written_after_the_index_is_made_by_the_next_run() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    add(
        &corpus,
        "a2",
        "2024-03-02",
        "At least 17 people were killed in the blast in Lyon.\n",
    );
    normalise(&corpus);
    // The index learns of the change; the report files and the change log do not.
    let mut summary = RunSummary::default();
    analyser::load_claims(&corpus, &Analyser::builtin(), &mut summary).unwrap();
    assert_eq!(summary.analysed, 1);
    let run = analyse(&corpus);
    assert!(run.reports_written > 0, "{run:?}");
    let counts: Vec<Option<u64>> = comparison(&corpus).events[0]
        .figures
        .iter()
        .find(|f| f.id == "killed/people")
        .unwrap()
        .values
        .iter()
        .map(|v| v.count)
        .collect();
    assert!(counts.contains(&Some(17)), "{counts:?}");
}

/// Issue 14, finding 1: a run that dies after the report files but before the change log
/// loses no change: the next run records it.
#[test]
fn a_change_log_not_written_after_the_report_is_written_by_the_next_run() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let old_log = rows(&corpus, &["events"]);
    let old_head = row(&corpus, "state", "analyser-changes").unwrap();
    add(
        &corpus,
        "a4",
        "2024-03-03",
        "The toll rose: 19 people were killed in the blast.\n",
    );
    normalise(&corpus);
    analyse(&corpus);
    // As if killed after the report files: the change log is the one before.
    let conn = rusqlite::Connection::open(corpus.store_path()).unwrap();
    conn.execute("DELETE FROM events", []).unwrap();
    drop(conn);
    for (table, key, value) in old_log {
        set_row(&corpus, &table, &key, &value);
    }
    set_row(&corpus, "state", "analyser-changes", &old_head);
    let run = analyse(&corpus);
    assert!(run.changes > 0, "{run:?}");
    let c = comparison(&corpus);
    assert_eq!(c.changes.len(), 2, "the second run's entry is there");
}

/// Issue 14, finding 3: the claims stamp names the code that reads them, so a release whose
/// extraction changed reads every article again (and remakes the report), and the same code
/// does not.
#[test]
fn a_new_code_stamp_reads_the_claims_again_and_the_same_one_does_not() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    assert_eq!(analyser::CLAIMS_CODE.len(), 16);
    assert_ne!(analyser::CLAIMS_CODE, analyser::REPORT_CODE);
    assert_eq!(analyse(&corpus).analysed, 3);
    assert_eq!(analyse(&corpus).analysed, 0);
    let release = Analyser::builtin().with_code("another build");
    assert_ne!(release.stamp(), Analyser::builtin().stamp());
    let run = analyser::run(&corpus, &release, &Rules::builtin()).unwrap();
    assert_eq!((run.analysed, run.unchanged), (3, 0), "{run:?}");
    assert!(run.reports_written > 0, "{run:?}");
    let stored = corpus
        .read_claims(&ArticleId::new("a1").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(stored.analyser, release.stamp());
    let again = analyser::run(&corpus, &release, &Rules::builtin()).unwrap();
    assert_eq!((again.analysed, again.reports_written), (0, 0), "{again:?}");
}

/// Issue 14, finding 5: a damaged or removed claims record is made again from its article by
/// the next run (the index alone would have kept it as it was for ever).
#[test]
fn a_damaged_or_removed_claims_record_is_made_again() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let (a1, a2) = (ArticleId::new("a1").unwrap(), ArticleId::new("a2").unwrap());
    let whole = std::fs::read(corpus.claims_path(&a1)).unwrap();
    std::fs::write(corpus.claims_path(&a1), &whole[..whole.len() / 2]).unwrap();
    std::fs::remove_file(corpus.claims_path(&a2)).unwrap();
    let run = analyse(&corpus);
    assert_eq!(
        (run.analysed, run.failed, run.reports_written),
        (2, 0, 0),
        "{run:?}"
    );
    assert_eq!(std::fs::read(corpus.claims_path(&a1)).unwrap(), whole);
    assert!(corpus.read_claims(&a2).unwrap().is_some());
    let idle = analyse(&corpus);
    assert_eq!(
        (idle.analysed, idle.refreshed, idle.unchanged),
        (0, 0, 3),
        "{idle:?}"
    );
}

/// Issue 16: a run that finds the records as the last run left them (their stamps) reads
/// neither them nor the index: garbage put in place of an index row is not noticed; a record
/// touched since makes the next run read the index again.
#[test]
fn an_idle_run_reads_neither_the_index_nor_the_records() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let a1 = ArticleId::new("a1").unwrap();
    set_row(&corpus, "analyser", "a1", "xxxx");
    let idle = analyse(&corpus);
    assert_eq!(
        (
            idle.unchanged,
            idle.analysed,
            idle.failed,
            idle.reports_written
        ),
        (3, 0, 0, 0),
        "{idle:?}"
    );
    assert_eq!(row(&corpus, "analyser", "a1").unwrap(), "xxxx");
    // A record replaced (as every corpus write is, by a rename): the index is read (the
    // damaged row read again from the records).
    replace(&corpus.normalised_path(&a1));
    let read = analyse(&corpus);
    assert_eq!(
        (read.failed, read.refreshed, read.analysed),
        (0, 1, 0),
        "{read:?}"
    );
    let entry: serde_json::Value =
        serde_json::from_str(&row(&corpus, "analyser", "a1").unwrap()).unwrap();
    assert!(entry["claims"].is_array(), "{entry}");
}

/// An idle run is known from the store before the lexicon and gazetteer are parsed (most of
/// what an idle run would cost): by the texts' stamp, the rules, and the folders' stamps once
/// they settled.
#[test]
fn an_idle_run_is_known_before_the_analyser_is_built() {
    let (_dir, corpus) = corpus();
    three_articles(&corpus);
    analyse(&corpus);
    let source = analyser::AnalyserSource::builtin();
    assert_eq!(source.stamp(), Analyser::builtin().stamp());
    // the folders settle (a change within the same clock tick would go unseen before), and
    // the next run records that
    std::thread::sleep(std::time::Duration::from_millis(
        1000 * corpus::SETTLED_SECS as u64 + 1100,
    ));
    analyse(&corpus);
    let now = chrono::Utc::now();
    let idle = |rules: &Rules| analyser::idle_run(&corpus, &source.stamp(), rules, now).unwrap();
    assert_eq!(idle(&Rules::builtin()).map(|s| s.unchanged), Some(3));
    let following = Rules::builtin()
        .with_follow(vec![analyser::follow::Follow {
            words: vec!["blast".into()],
            ..Default::default()
        }])
        .unwrap();
    assert!(
        idle(&following).is_none(),
        "other rules: the report is made again"
    );
    let other_lexicon = analyser::AnalyserSource::new(
        format!("{}\n# changed\n", analyser::lexicon::DEFAULT_LEXICON),
        analyser::lexicon::DEFAULT_GAZETTEER,
    );
    assert!(
        analyser::idle_run(&corpus, &other_lexicon.stamp(), &Rules::builtin(), now)
            .unwrap()
            .is_none(),
        "another lexicon: claims are made again"
    );
    add(
        &corpus,
        "a4",
        "2024-03-03",
        "Nineteen people were killed in the blast in Lyon.\n",
    );
    normalise(&corpus);
    assert!(idle(&Rules::builtin()).is_none(), "a new article");
    assert_eq!(analyse(&corpus).analysed, 1);
}
