//! Grouping claims into events across articles: which incident each figure is about.
//!
//! The comparison and `claims --format jsonl` both take their event ids from [`group`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use corpus::{ArticleClaims, ArticleId, NormalisedDoc, RawArticle};

/// What event grouping needs to know of one article.
pub struct ArticleInput<'a> {
    pub raw: &'a RawArticle,
    pub doc: &'a NormalisedDoc,
    pub claims: &'a ArticleClaims,
}

/// One event: an incident at a place and time that several articles may report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across runs: made from what identifies the event, not from run order.
    pub id: String,
    pub label: String,
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Events, and the event of each claim.
#[derive(Debug, Clone, Default)]
pub struct EventAssignment {
    pub events: Vec<Event>,
    /// (article, index of the claim in its `ArticleClaims`) -> index into `events`.
    pub claim_event: BTreeMap<(ArticleId, usize), usize>,
}

impl EventAssignment {
    /// The event of a claim, if it was assigned one.
    pub fn event_of(&self, article: &ArticleId, claim: usize) -> Option<&Event> {
        self.claim_event
            .get(&(article.clone(), claim))
            .map(|&i| &self.events[i])
    }
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

/// Groups every claim of every article into events.
pub fn group(articles: &[ArticleInput<'_>]) -> EventAssignment {
    let events = vec![
        Event {
            id: "main".into(),
            label: "Main event".into(),
            place: None,
            date: None,
        },
        Event {
            id: "background".into(),
            label: "Background incidents".into(),
            place: None,
            date: None,
        },
    ];
    let mut claim_event = BTreeMap::new();
    for a in articles {
        for (i, claim) in a.claims.claims.iter().enumerate() {
            let lower = claim.quote.to_lowercase();
            let background =
                claim.background || BACKGROUND_MARKERS.iter().any(|m| lower.contains(m));
            claim_event.insert((a.raw.id.clone(), i), usize::from(background));
        }
    }
    EventAssignment {
        events,
        claim_event,
    }
}
