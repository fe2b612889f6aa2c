//! The cross-source comparison: claims grouped by event and figure, values side by side.

use std::collections::BTreeMap;

use chrono::Utc;
use corpus::{
    ArticleClaims, ArticleId, Comparison, EventReport, Fact, Figure, NormalisedDoc, RawArticle,
    ReportedValue, SCHEMA_VERSION,
};

/// What the comparison needs to know of one article.
pub struct ArticleInput<'a> {
    pub raw: &'a RawArticle,
    pub doc: &'a NormalisedDoc,
    pub claims: &'a ArticleClaims,
}

/// Words that mark a figure as background about another incident.
const BACKGROUND_MARKERS: &[&str] = &[
    "day after",
    "day before",
    "days after",
    "earlier this",
    "last year",
    "in 20",
];

/// The event id of a claim: the main event, or background.
pub fn event_of(quote: &str) -> &'static str {
    let lower = quote.to_lowercase();
    if BACKGROUND_MARKERS.iter().any(|m| lower.contains(m)) {
        "background"
    } else {
        "main"
    }
}

/// Builds the comparison from every article's stored claims.
pub fn build(articles: &[ArticleInput<'_>]) -> Comparison {
    let mut events: BTreeMap<&str, BTreeMap<(String, String), Vec<ReportedValue>>> =
        BTreeMap::new();
    let mut members: BTreeMap<&str, Vec<ArticleId>> = BTreeMap::new();
    for a in articles {
        for claim in &a.claims.claims {
            let Fact::Count(fact) = &claim.fact else {
                continue;
            };
            let event = event_of(&claim.quote);
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
        .map(|(id, figures)| EventReport {
            id: id.to_string(),
            label: if id == "main" {
                "Main event".into()
            } else {
                "Background incidents".into()
            },
            place: None,
            date: None,
            articles: members.remove(id).unwrap_or_default(),
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
