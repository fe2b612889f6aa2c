//! What changed since the last run: new events, new sources, new values, revised figures.
//! The last run is remembered as a [`Snapshot`], small enough to keep in the corpus state.

use std::collections::{BTreeMap, BTreeSet};

use corpus::{
    ArticleId, Change, ChangeKind, EventReport, Figure, Qualifier, ReportedValue, ValueBrief,
};
use serde::{Deserialize, Serialize};

/// What the change log compares against: per event, its articles and each figure's counts and
/// reference value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub events: BTreeMap<String, EventSnapshot>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventSnapshot {
    pub label: String,
    pub articles: BTreeSet<ArticleId>,
    pub figures: BTreeMap<String, FigureSnapshot>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FigureSnapshot {
    pub amounts: BTreeSet<(Option<u64>, Qualifier)>,
    #[serde(default)]
    pub reference: Option<ValueBrief>,
}

pub fn snapshot(events: &[EventReport]) -> Snapshot {
    Snapshot {
        events: events
            .iter()
            .map(|e| (e.id.clone(), event_snapshot(e)))
            .collect(),
    }
}

/// What the snapshot keeps of one event.
pub fn event_snapshot(e: &EventReport) -> EventSnapshot {
    let figures = e
        .figures
        .iter()
        .map(|f| {
            let shot = FigureSnapshot {
                amounts: f.values.iter().map(|v| (v.count, v.qualifier)).collect(),
                reference: reference(f).map(|v| brief(v, article_url(e, &v.article))),
            };
            (f.id.clone(), shot)
        })
        .collect();
    EventSnapshot {
        label: e.label.clone(),
        articles: e.articles.iter().map(|a| a.article.clone()).collect(),
        figures,
    }
}

fn reference(f: &Figure) -> Option<&ReportedValue> {
    let key = f.most_direct.as_ref()?;
    f.values.iter().find(|v| &v.key == key)
}

/// A value in short, with its article's address.
pub fn brief(v: &ReportedValue, url: Option<&str>) -> ValueBrief {
    ValueBrief {
        count: v.count,
        qualifier: v.qualifier,
        article: v.article.clone(),
        outlet: v.outlet.clone(),
        attribution: v.authority.source.clone(),
        published: v.published,
        url: url.map(str::to_string),
    }
}

/// The address of one of the event's articles, when known.
fn article_url<'a>(e: &'a EventReport, article: &ArticleId) -> Option<&'a str> {
    e.articles
        .iter()
        .find(|a| &a.article == article)
        .and_then(|a| a.url.as_deref())
}

/// The changes from `old` to `events`, event by event in report order.
pub fn diff(old: &Snapshot, events: &[EventReport]) -> Vec<Change> {
    let current: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    let events: Vec<&EventReport> = events.iter().collect();
    diff_some(old, &events, &|id| current.contains(id))
}

/// Like [`diff`], given only the events that may have changed (in report order) and which
/// ids are current: an event whose report is the one `old` was taken from adds no change.
pub fn diff_some(
    old: &Snapshot,
    events: &[&EventReport],
    current: &dyn Fn(&str) -> bool,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for e in events {
        let change = |what| Change {
            event: e.id.clone(),
            label: e.label.clone(),
            what,
        };
        let empty = EventSnapshot::default();
        let existed = old.events.get(&e.id);
        let before = existed.unwrap_or(&empty);
        if existed.is_none() {
            changes.push(change(ChangeKind::NewEvent));
        } else {
            for a in e
                .articles
                .iter()
                .filter(|a| !before.articles.contains(&a.article))
            {
                changes.push(change(ChangeKind::NewSource {
                    article: a.article.clone(),
                    outlet: a.outlet.clone(),
                    url: a.url.clone(),
                }));
            }
        }
        for f in &e.figures {
            let was = before.figures.get(&f.id);
            let mut seen = BTreeSet::new();
            for v in &f.values {
                let amount = (v.count, v.qualifier);
                if was.is_some_and(|w| w.amounts.contains(&amount)) || !seen.insert(amount) {
                    continue;
                }
                changes.push(change(ChangeKind::NewValue {
                    figure: f.id.clone(),
                    value: brief(v, article_url(e, &v.article)),
                }));
            }
            if let (Some(from), Some(to)) = (was.and_then(|w| w.reference.as_ref()), reference(f))
                && (from.count, from.qualifier) != (to.count, to.qualifier)
            {
                changes.push(change(ChangeKind::Revised {
                    figure: f.id.clone(),
                    from: from.clone(),
                    to: brief(to, article_url(e, &to.article)),
                }));
            }
        }
    }
    for (id, before) in &old.events {
        if !current(id) {
            changes.push(Change {
                event: id.clone(),
                label: before.label.clone(),
                what: ChangeKind::EventGone,
            });
        }
    }
    changes
}
