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
            .map(|e| {
                let figures = e
                    .figures
                    .iter()
                    .map(|f| {
                        let shot = FigureSnapshot {
                            amounts: f.values.iter().map(|v| (v.count, v.qualifier)).collect(),
                            reference: reference(f).map(brief),
                        };
                        (f.id.clone(), shot)
                    })
                    .collect();
                let shot = EventSnapshot {
                    label: e.label.clone(),
                    articles: e.articles.iter().map(|a| a.article.clone()).collect(),
                    figures,
                };
                (e.id.clone(), shot)
            })
            .collect(),
    }
}

fn reference(f: &Figure) -> Option<&ReportedValue> {
    let key = f.most_direct.as_ref()?;
    f.values.iter().find(|v| &v.key == key)
}

pub fn brief(v: &ReportedValue) -> ValueBrief {
    ValueBrief {
        count: v.count,
        qualifier: v.qualifier,
        article: v.article.clone(),
        outlet: v.outlet.clone(),
        attribution: v.authority.source.clone(),
        published: v.published,
    }
}

/// The changes from `old` to `events`, event by event in report order.
pub fn diff(old: &Snapshot, events: &[EventReport]) -> Vec<Change> {
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
                    value: brief(v),
                }));
            }
            if let (Some(from), Some(to)) = (was.and_then(|w| w.reference.as_ref()), reference(f))
                && (from.count, from.qualifier) != (to.count, to.qualifier)
            {
                changes.push(change(ChangeKind::Revised {
                    figure: f.id.clone(),
                    from: from.clone(),
                    to: brief(to),
                }));
            }
        }
    }
    let current: BTreeSet<&str> = events.iter().map(|e| e.id.as_str()).collect();
    for (id, before) in &old.events {
        if !current.contains(id.as_str()) {
            changes.push(Change {
                event: id.clone(),
                label: before.label.clone(),
                what: ChangeKind::EventGone,
            });
        }
    }
    changes
}
