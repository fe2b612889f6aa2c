//! Grouping claims into events across articles: which incident each figure is about.
//!
//! Each article has a main event (its place, day and kind of incident, read by the
//! extractor) and may mention others (a figure about "a day after Russian strikes killed
//! 39", "the 2004 tsunami"). Articles whose main events agree on place and day share an
//! event; figures about other incidents are grouped by their place, day and kind, across
//! articles, and never join their own article's main event. An undated article takes its
//! date from the event it reports ("yesterday" in an article about a strike that others
//! date to Saturday). Event ids are made from the event's place, day and kind, so they do
//! not depend on the order articles are read in.
//!
//! The comparison and `claims --format jsonl` both take their event ids from [`group`].

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use corpus::{
    ArticleClaims, ArticleId, Claim, EventFrame, NormalisedDoc, PlaceLevel, PlaceRef, RawArticle,
    TimeRef,
};

use crate::dates;
use crate::places::within;

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
    /// The event each article is mainly about (an index into `events`).
    pub main_event: BTreeMap<ArticleId, usize>,
}

impl EventAssignment {
    /// The event of a claim, if it was assigned one.
    pub fn event_of(&self, article: &ArticleId, claim: usize) -> Option<&Event> {
        self.claim_event
            .get(&(article.clone(), claim))
            .map(|&i| &self.events[i])
    }

    /// The place a claim is about: the place its text names, else its event's place.
    pub fn location_of(&self, article: &ArticleId, index: usize, claim: &Claim) -> Option<String> {
        let event = self.claim_event.get(&(article.clone(), index));
        let in_main = event.is_some() && event == self.main_event.get(article);
        match (&claim.place, &claim.location) {
            (Some(p), _) => Some(p.name.clone()),
            (None, Some(l)) if in_main => Some(l.clone()),
            _ => event
                .and_then(|&e| self.events[e].place.clone())
                .or_else(|| claim.location.clone()),
        }
    }
}

/// A group of frames that are one event.
#[derive(Debug, Clone)]
struct Cluster {
    places: Vec<PlaceRef>,
    dates: Vec<NaiveDate>,
    incidents: Vec<String>,
    /// The articles whose main event this is.
    main_of: Vec<ArticleId>,
    members: usize,
    /// The first member, for a stable order: (article, claim index or usize::MAX for a main).
    first: (ArticleId, usize),
}

impl Cluster {
    fn new(first: (ArticleId, usize)) -> Cluster {
        Cluster {
            places: Vec::new(),
            dates: Vec::new(),
            incidents: Vec::new(),
            main_of: Vec::new(),
            members: 0,
            first,
        }
    }

    fn place(&self) -> Option<&PlaceRef> {
        // the most named place; among equals the most specific
        let mut counts: BTreeMap<&str, (usize, &PlaceRef)> = BTreeMap::new();
        for p in &self.places {
            counts.entry(p.canonical.as_str()).or_insert((0, p)).0 += 1;
        }
        counts
            .into_values()
            .max_by(|a, b| {
                a.0.cmp(&b.0)
                    .then(level_rank(a.1).cmp(&level_rank(b.1)))
                    .then(b.1.canonical.cmp(&a.1.canonical))
            })
            .map(|(_, p)| p)
    }

    fn date(&self) -> Option<NaiveDate> {
        let mut counts: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for d in &self.dates {
            *counts.entry(*d).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(d, _)| d)
    }

    fn incident(&self) -> Option<&str> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for i in &self.incidents {
            *counts.entry(i.as_str()).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map(|(i, _)| i)
    }
}

fn level_rank(p: &PlaceRef) -> u8 {
    match p.level {
        PlaceLevel::Country => 0,
        PlaceLevel::State => 1,
        PlaceLevel::Unknown => 2,
        PlaceLevel::Region => 3,
        PlaceLevel::City => 4,
    }
}

fn places_fit(a: Option<&PlaceRef>, b: Option<&PlaceRef>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            if a.level == PlaceLevel::Unknown || b.level == PlaceLevel::Unknown {
                a.canonical == b.canonical
            } else {
                within(a, b) || within(b, a)
            }
        }
        _ => true,
    }
}

fn incidents_fit(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

struct Main<'a> {
    article: &'a ArticleId,
    frame: EventFrame,
    published: Option<NaiveDate>,
}

fn main_date(frame: &EventFrame, published: Option<NaiveDate>) -> Option<NaiveDate> {
    match frame.time.map(|t| dates::resolve(t, published)) {
        Some(TimeRef::Date { date }) => Some(date),
        _ => None,
    }
}

/// Groups every claim of every article into events.
pub fn group(articles: &[ArticleInput<'_>]) -> EventAssignment {
    let mut order: Vec<&ArticleInput<'_>> = articles.iter().collect();
    order.sort_by(|a, b| a.raw.id.cmp(&b.raw.id));

    // 1. main events: articles whose main frames fit share a cluster
    let mains: Vec<Main<'_>> = order
        .iter()
        .map(|a| Main {
            article: &a.raw.id,
            frame: a.claims.main_event.clone().unwrap_or_default(),
            published: a.doc.meta.published.as_ref().map(|p| p.date()),
        })
        .collect();
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut main_cluster: Vec<usize> = Vec::with_capacity(mains.len());
    for m in &mains {
        let date = main_date(&m.frame, m.published);
        let found = clusters.iter().position(|c| {
            let near_day = match (c.date(), date) {
                (Some(a), Some(b)) => Some((a - b).num_days().abs() <= 1),
                _ => None,
            };
            let place = match (c.place(), m.frame.place.as_ref()) {
                (Some(a), Some(b)) => {
                    // outlets name the same incident by different towns of one country
                    // ("Boston", "Watertown"): the same day and kind of incident then decide
                    places_fit(Some(a), Some(b))
                        || (a.country.is_some() && a.country == b.country && near_day == Some(true))
                }
                (None, None) => true,
                // one article names no place: only a known day can tie it
                _ => near_day == Some(true),
            };
            !c.main_of.is_empty()
                && place
                && near_day != Some(false)
                && incidents_fit(c.incident(), m.frame.incident.as_deref())
        });
        let index = found.unwrap_or_else(|| {
            clusters.push(Cluster::new((m.article.clone(), usize::MAX)));
            clusters.len() - 1
        });
        let c = &mut clusters[index];
        c.places.extend(m.frame.place.clone());
        c.dates.extend(date);
        c.incidents.extend(m.frame.incident.clone());
        c.main_of.push(m.article.clone());
        c.members += 1;
        main_cluster.push(index);
    }

    // 2. an undated article takes the day of its event ("yesterday" is the day before)
    let mut published: HashMap<&ArticleId, NaiveDate> = HashMap::new();
    let mut main_day: HashMap<&ArticleId, Option<NaiveDate>> = HashMap::new();
    for (m, &ci) in mains.iter().zip(&main_cluster) {
        let cluster_date = clusters[ci].date();
        let p = m.published.or_else(|| match (m.frame.time, cluster_date) {
            (Some(TimeRef::Relative { days }), Some(d)) => Some(dates::shift_date(d, -days)),
            (Some(TimeRef::Weekday { .. } | TimeRef::Date { .. }), Some(d)) => Some(d),
            _ => None,
        });
        if let Some(p) = p {
            published.insert(m.article, p);
        }
        main_day.insert(m.article, main_date(&m.frame, p).or(cluster_date));
    }

    // 3. each claim: its article's main event, or a frame of its own
    struct Frame<'a> {
        article: &'a ArticleId,
        index: usize,
        place: Option<PlaceRef>,
        date: Option<NaiveDate>,
        incident: Option<String>,
        own_main: usize,
    }
    let mut claim_event = BTreeMap::new();
    let mut frames: Vec<Frame<'_>> = Vec::new();
    for (a, &ci) in order.iter().zip(&main_cluster) {
        let id = &a.raw.id;
        let p = published.get(id).copied();
        let day = main_day.get(id).copied().flatten();
        for (index, claim) in a.claims.claims.iter().enumerate() {
            let date = claim.time.and_then(|t| match dates::resolve(t, p) {
                TimeRef::Date { date } => Some(date),
                TimeRef::FromMain { days } => day.map(|d| dates::shift_date(d, days)),
                _ => None,
            });
            // a figure dated before its article's event is about an earlier incident
            let other_day = matches!((date, day), (Some(a), Some(b)) if a < b);
            if !claim.background && !other_day {
                claim_event.insert((id.clone(), index), ci);
                clusters[ci].members += 1;
                continue;
            }
            frames.push(Frame {
                article: id,
                index,
                place: claim.place.clone(),
                date,
                incident: claim.incident.clone(),
                own_main: ci,
            });
        }
    }

    // 4. frames of other incidents: first those that say where and when, then the rest
    frames.sort_by_key(|f| {
        (
            f.date.is_none(),
            f.place.is_none(),
            f.article.clone(),
            f.index,
        )
    });
    for f in &frames {
        let fits = |(k, c): &(usize, &Cluster)| {
            *k != f.own_main
                && places_fit(c.place(), f.place.as_ref())
                && incidents_fit(c.incident(), f.incident.as_deref())
                && match (c.date(), f.date) {
                    (Some(a), Some(b)) => a == b,
                    (None, Some(_)) => c.main_of.is_empty() && c.places.is_empty(),
                    _ => true,
                }
                // a frame joins another article's main event only when it names its place
                && (c.main_of.is_empty() || (f.place.is_some() && f.date.is_some()))
        };
        let best = clusters
            .iter()
            .enumerate()
            .filter(fits)
            .max_by(|a, b| a.1.members.cmp(&b.1.members).then(b.0.cmp(&a.0)))
            .map(|(k, _)| k);
        let index = best.unwrap_or_else(|| {
            clusters.push(Cluster::new((f.article.clone(), f.index)));
            clusters.len() - 1
        });
        let c = &mut clusters[index];
        c.places.extend(f.place.clone());
        c.dates.extend(f.date);
        c.incidents.extend(f.incident.clone());
        c.members += 1;
        claim_event.insert((f.article.clone(), f.index), index);
    }

    // 5. ids from content
    let mut events: Vec<Event> = Vec::with_capacity(clusters.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut by_first: Vec<usize> = (0..clusters.len()).collect();
    by_first.sort_by(|&a, &b| clusters[a].first.cmp(&clusters[b].first));
    let mut ids = vec![String::new(); clusters.len()];
    for &k in &by_first {
        let c = &clusters[k];
        let base = event_slug(c);
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        ids[k] = if *n == 1 { base } else { format!("{base}-{n}") };
    }
    for (k, c) in clusters.iter().enumerate() {
        let place = c.place().map(|p| p.canonical.clone());
        let date = c.date();
        let what = c.incident().unwrap_or("incident");
        let mut label = capitalise(what);
        if let Some(p) = &place {
            label.push_str(&format!(" in {p}"));
        }
        if let Some(d) = date {
            label.push_str(&format!(", {d}"));
        }
        events.push(Event {
            id: ids[k].clone(),
            label,
            place,
            date,
        });
    }
    let main_event = mains
        .iter()
        .zip(&main_cluster)
        .map(|(m, &ci)| (m.article.clone(), ci))
        .collect();
    EventAssignment {
        events,
        claim_event,
        main_event,
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn event_slug(c: &Cluster) -> String {
    let place = c
        .place()
        .map_or_else(|| "somewhere".to_string(), |p| slug(&p.canonical));
    let date = c
        .date()
        .map_or_else(|| "undated".to_string(), |d| d.to_string());
    let what = c.incident().map_or_else(|| "incident".to_string(), slug);
    format!("{place}-{date}-{what}")
}
