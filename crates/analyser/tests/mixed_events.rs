//! Event grouping on the mixed corpus (`tests/data/mixed-events`): the seed articles and the
//! four development sets analysed together as one corpus, as a real run over many events
//! is, with their dates, with a third of them undated (each third in turn) and with none
//! dated. Every article's claims must land in its own event: no event may hold the claims
//! of two gold events' articles, and pairwise grouping precision and recall over the claims
//! matched to the gold must stay above the floors below (measured; raise them when grouping
//! gets better).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use analyser::{Analyser, events};
use chrono::NaiveDate;
use corpus::{ArticleId, Fact, Origin, PubTime, RawArticle, RawFormat};
use normaliser::Normaliser;
use serde::Deserialize;

/// Pairwise precision every variant must reach (see the module comment).
const PRECISION_FLOOR: f64 = 0.92;
/// Pairwise recall every variant must reach: grouping must not buy precision by keeping
/// every figure apart.
const RECALL_FLOOR: f64 = 0.75;

#[derive(Deserialize)]
struct Spec {
    seeds: Seeds,
    sets: Vec<String>,
    aliases: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Seeds {
    raw: String,
    gold: String,
}

#[derive(Deserialize)]
struct Gold {
    claims: Vec<GoldClaim>,
}

#[derive(Deserialize)]
struct GoldClaim {
    doc: String,
    measure: String,
    count: serde_json::Value,
    event: String,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn spec() -> Spec {
    let path = repo().join("tests/data/mixed-events/sets.toml");
    toml::from_str(&fs::read_to_string(path).expect("sets.toml")).expect("sets.toml parses")
}

/// Splits a leading ` date YYYY-MM-DD` line (or marker before the first words) off a text,
/// as `fetcher --import` does.
fn split_date_line(text: &str) -> (Option<NaiveDate>, String) {
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let Some(marker) = first.trim_start().strip_prefix("date ") else {
        return (None, text.to_string());
    };
    let Some(date) = marker
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return (None, text.to_string());
    };
    let same_line = marker[10..].trim_start();
    let body = if same_line.is_empty() {
        rest.trim_start_matches(['\r', '\n']).to_string()
    } else {
        format!("{same_line}\n{rest}")
    };
    (Some(date), body)
}

/// Every article of the mixed corpus, sorted by id.
fn articles(spec: &Spec) -> Vec<RawArticle> {
    let mut out = Vec::new();
    let files = |dir: &Path| -> Vec<PathBuf> {
        let mut f: Vec<PathBuf> = fs::read_dir(dir)
            .expect("a folder of the mixed corpus")
            .map(|e| e.expect("entry").path())
            .collect();
        f.sort();
        f
    };
    for path in files(&repo().join(&spec.seeds.raw)) {
        let text = fs::read_to_string(&path).expect("seed record");
        out.push(serde_json::from_str::<RawArticle>(&text).expect("seed record parses"));
    }
    for set in &spec.sets {
        for path in files(&repo().join(set)) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            let format = match ext {
                "txt" => RawFormat::Text,
                "html" => RawFormat::Html,
                _ => continue,
            };
            let stem = path.file_stem().and_then(|s| s.to_str()).expect("stem");
            let text = fs::read_to_string(&path).expect("article");
            let (published, body) = match format {
                RawFormat::Text => split_date_line(&text),
                RawFormat::Html => (None, text),
            };
            let id = ArticleId::new(stem).expect("file names are ids");
            let file_name = format!("{stem}.{ext}");
            let mut raw = RawArticle::new(id, format, Origin::Import { file_name }, body);
            raw.meta.published = published.map(PubTime::Date);
            out.push(raw);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// (article, measure, count) -> its gold event, for the keys the gold gives one event.
fn gold(spec: &Spec) -> HashMap<(String, String, u64), String> {
    let mut paths = vec![repo().join(&spec.seeds.gold)];
    paths.extend(spec.sets.iter().map(|s| repo().join(s).join("gold.json")));
    let mut events: HashMap<(String, String, u64), BTreeSet<String>> = HashMap::new();
    for path in paths {
        let gold: Gold =
            serde_json::from_str(&fs::read_to_string(path).expect("gold")).expect("gold parses");
        for c in gold.claims {
            let event = spec.aliases.get(&c.event).unwrap_or(&c.event).clone();
            let counts = match &c.count {
                serde_json::Value::Array(list) => list.iter().filter_map(|v| v.as_u64()).collect(),
                v => v.as_u64().into_iter().collect::<Vec<_>>(),
            };
            for n in counts {
                let key = (c.doc.clone(), c.measure.clone(), n);
                events.entry(key).or_default().insert(event.clone());
            }
        }
    }
    events
        .into_iter()
        .filter(|(_, e)| e.len() == 1)
        .map(|(k, e)| (k, e.into_iter().next().expect("one event")))
        .collect()
}

/// One claim matched to the gold: its article, gold event and grouped event.
struct Matched {
    article: String,
    gold: String,
    event: String,
}

/// Analyses and groups the articles, those that `undated` picks without their date.
fn grouped(
    articles: &[RawArticle],
    gold: &HashMap<(String, String, u64), String>,
    undated: impl Fn(usize) -> bool,
) -> Vec<Matched> {
    let (normaliser, analyser) = (Normaliser::builtin(), Analyser::builtin());
    let loaded: Vec<analyser::Loaded> = articles
        .iter()
        .enumerate()
        .map(|(n, raw)| {
            let mut raw = raw.clone();
            if undated(n) {
                raw.meta.published = None;
            }
            let doc = normaliser.normalise(&raw);
            let claims = analyser.analyse(&doc);
            analyser::Loaded { raw, doc, claims }
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
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in &loaded {
        for (index, claim) in l.claims.claims.iter().enumerate() {
            let Fact::Count(c) = &claim.fact else {
                continue;
            };
            let Some(n) = c.count else { continue };
            let key = (l.raw.id.to_string(), c.measure.clone(), n);
            let (Some(g), Some(e)) = (gold.get(&key), assignment.event_of(&l.raw.id, index)) else {
                continue;
            };
            if seen.insert(key) {
                out.push(Matched {
                    article: l.raw.id.to_string(),
                    gold: g.clone(),
                    event: e.id.clone(),
                });
            }
        }
    }
    out
}

/// Pairwise precision and recall of the grouping over the matched claims.
fn pairwise(matched: &[Matched]) -> (f64, f64) {
    let (mut gold_pairs, mut grouped_pairs, mut both) = (0u64, 0u64, 0u64);
    for (i, a) in matched.iter().enumerate() {
        for b in &matched[i + 1..] {
            let same_gold = a.gold == b.gold;
            let same_event = a.event == b.event;
            gold_pairs += u64::from(same_gold);
            grouped_pairs += u64::from(same_event);
            both += u64::from(same_gold && same_event);
        }
    }
    let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    (ratio(both, grouped_pairs), ratio(both, gold_pairs))
}

/// Events that hold the main claims of articles about two gold events: an article's main
/// gold event is the one most of its matched claims belong to.
fn mixed_events(matched: &[Matched]) -> Vec<String> {
    let mut per_article: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for m in matched {
        *per_article
            .entry(&m.article)
            .or_default()
            .entry(&m.gold)
            .or_default() += 1;
    }
    let main_of: BTreeMap<&str, &str> = per_article
        .iter()
        .filter_map(|(a, counts)| {
            let best = counts
                .iter()
                .max_by_key(|(g, n)| (**n, std::cmp::Reverse(**g)))?;
            Some((*a, *best.0))
        })
        .collect();
    let mut holds: BTreeMap<&str, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
    for m in matched
        .iter()
        .filter(|m| main_of.get(m.article.as_str()) == Some(&&*m.gold))
    {
        holds
            .entry(&m.event)
            .or_default()
            .entry(&m.gold)
            .or_default()
            .insert(&m.article);
    }
    holds
        .into_iter()
        .filter(|(_, golds)| golds.len() > 1)
        .map(|(event, golds)| format!("{event} holds {golds:?}"))
        .collect()
}

/// Which articles (by their place in id order) lose their date.
type Undated = fn(usize) -> bool;

#[test]
fn every_article_lands_in_its_own_event() {
    let spec = spec();
    let articles = articles(&spec);
    let gold = gold(&spec);
    assert!(articles.len() >= 60, "the mixed corpus lost articles");
    let variants: [(&str, Undated); 5] = [
        ("all dated", |_| false),
        ("first third undated", |n| n % 3 == 0),
        ("second third undated", |n| n % 3 == 1),
        ("last third undated", |n| n % 3 == 2),
        ("none dated", |_| true),
    ];
    let mut failures = Vec::new();
    for (name, undated) in &variants {
        let matched = grouped(&articles, &gold, undated);
        let (p, r) = pairwise(&matched);
        eprintln!(
            "{name}: {} claims matched, pairwise P={p:.3} R={r:.3}",
            matched.len()
        );
        for mixed in mixed_events(&matched) {
            failures.push(format!("{name}: {mixed}"));
        }
        if p < PRECISION_FLOOR || r < RECALL_FLOOR {
            failures.push(format!(
                "{name}: pairwise P={p:.3} R={r:.3}, floors P={PRECISION_FLOOR} R={RECALL_FLOOR}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
