//! The cross-source comparison: claims grouped by event and figure, values side by side.

use std::collections::BTreeMap;

use chrono::Utc;
use corpus::{ArticleId, Comparison, EventReport, Fact, Figure, ReportedValue, SCHEMA_VERSION};

use crate::events::{ArticleInput, EventAssignment};

/// Builds the comparison from every article's stored claims.
pub fn build(articles: &[ArticleInput<'_>], assignment: &EventAssignment) -> Comparison {
    let mut events: BTreeMap<usize, BTreeMap<(String, String), Vec<ReportedValue>>> =
        BTreeMap::new();
    let mut members: BTreeMap<usize, Vec<ArticleId>> = BTreeMap::new();
    for a in articles {
        for (index, claim) in a.claims.claims.iter().enumerate() {
            let Fact::Count(fact) = &claim.fact else {
                continue;
            };
            let Some(&event) = assignment.claim_event.get(&(a.raw.id.clone(), index)) else {
                continue;
            };
            let ids = members.entry(event).or_default();
            if !ids.contains(&a.raw.id) {
                ids.push(a.raw.id.clone());
            }
            events
                .entry(event)
                .or_default()
                .entry((fact.measure.clone(), fact.subject.clone()))
                .or_default()
                .push(ReportedValue {
                    article: a.raw.id.clone(),
                    outlet: a.raw.outlet(),
                    published: a.doc.meta.published,
                    count: fact.count,
                    qualifier: fact.qualifier,
                    attribution: claim.attribution.clone(),
                    location: claim.location.clone(),
                    quote: claim.quote.clone(),
                    copy_group: a.doc.copy_group.clone(),
                });
        }
    }
    let events = events
        .into_iter()
        .map(|(index, figures)| EventReport {
            id: assignment.events[index].id.clone(),
            label: assignment.events[index].label.clone(),
            place: assignment.events[index].place.clone(),
            date: assignment.events[index].date,
            articles: members.remove(&index).unwrap_or_default(),
            figures: figures
                .into_iter()
                .map(|((measure, subject), mut values)| {
                    values.sort_by(|a, b| {
                        a.published
                            .cmp(&b.published)
                            .then(a.article.cmp(&b.article))
                    });
                    let counts: Vec<u64> = values.iter().filter_map(|v| v.count).collect();
                    let range = counts
                        .iter()
                        .min()
                        .zip(counts.iter().max())
                        .map(|(a, b)| (*a, *b));
                    Figure {
                        measure,
                        subject,
                        agree: range.is_none_or(|(a, b)| a == b),
                        range,
                        values,
                        divergences: Vec::new(),
                    }
                })
                .collect(),
            weapons: Vec::new(),
        })
        .collect();
    Comparison {
        schema: SCHEMA_VERSION,
        generated_at: Utc::now(),
        events,
    }
}
