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
//! Each cluster keeps running tallies of the places, days and kinds its members name, and
//! clusters are found by their day: a dated frame is compared only with the clusters of its
//! day (and the undated ones), so grouping 10,000 articles takes milliseconds. The plain
//! definition (every frame against every cluster) is kept in the tests, which check the two
//! agree.
//!
//! The comparison and `claims --format jsonl` both take their event ids from [`group`].

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Days, NaiveDate};
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
            (Some(p), l) => l.clone().or_else(|| Some(p.name.clone())),
            (None, Some(l)) if in_main => Some(l.clone()),
            _ => event
                .and_then(|&e| self.events[e].place.clone())
                .or_else(|| claim.location.clone()),
        }
    }
}

/// A value a cluster tallies: how often its members name each, and which leads.
trait Tallied: Clone {
    type Key: std::hash::Hash + Eq;
    fn key(&self) -> Self::Key;
    /// Between two values named equally often, the greater leads.
    fn tie_break(&self, other: &Self) -> Ordering;
}

impl Tallied for PlaceRef {
    type Key = String;
    fn key(&self) -> String {
        self.canonical.clone()
    }
    // the most specific, then the first name in alphabetical order
    fn tie_break(&self, other: &Self) -> Ordering {
        level_rank(self)
            .cmp(&level_rank(other))
            .then(other.canonical.cmp(&self.canonical))
    }
}

impl Tallied for NaiveDate {
    type Key = NaiveDate;
    fn key(&self) -> NaiveDate {
        *self
    }
    // the earlier day
    fn tie_break(&self, other: &Self) -> Ordering {
        other.cmp(self)
    }
}

impl Tallied for String {
    type Key = String;
    fn key(&self) -> String {
        self.clone()
    }
    // the first in alphabetical order
    fn tie_break(&self, other: &Self) -> Ordering {
        other.cmp(self)
    }
}

/// How often a cluster's members name each value (the first one seen stands for its key), and
/// the value named most. Counts only grow, so the leader is kept up to date in constant time
/// instead of counting every member again at each comparison.
#[derive(Debug, Clone)]
struct Tally<T: Tallied> {
    values: Vec<(T, usize)>,
    at: HashMap<T::Key, usize>,
    leader: Option<usize>,
}

impl<T: Tallied> Default for Tally<T> {
    fn default() -> Self {
        Tally {
            values: Vec::new(),
            at: HashMap::new(),
            leader: None,
        }
    }
}

impl<T: Tallied> Tally<T> {
    /// Counts one more mention of `value`; true when this changed the leader.
    fn add(&mut self, value: &T) -> bool {
        let next = self.values.len();
        let i = *self.at.entry(value.key()).or_insert(next);
        if i == next {
            self.values.push((value.clone(), 0));
        }
        self.values[i].1 += 1;
        let leads = match self.leader {
            Some(l) if l == i => return false,
            Some(l) => {
                let (lead, n) = &self.values[l];
                let (this, m) = &self.values[i];
                m.cmp(n).then_with(|| this.tie_break(lead)) == Ordering::Greater
            }
            None => true,
        };
        if leads {
            self.leader = Some(i);
        }
        leads
    }

    /// The value named most; among equals the one `tie_break` prefers.
    fn leader(&self) -> Option<&T> {
        self.leader.map(|l| &self.values[l].0)
    }

    fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A group of frames that are one event.
#[derive(Debug, Clone)]
struct Cluster {
    places: Tally<PlaceRef>,
    dates: Tally<NaiveDate>,
    incidents: Tally<String>,
    /// How many articles have this as their main event.
    mains: usize,
    members: usize,
    /// The first member, for a stable order: (article, claim index or usize::MAX for a main).
    first: (ArticleId, usize),
}

impl Cluster {
    /// The most named place; among equals the most specific.
    fn place(&self) -> Option<&PlaceRef> {
        self.places.leader()
    }

    /// The most named day; among equals the earliest.
    fn date(&self) -> Option<NaiveDate> {
        self.dates.leader().copied()
    }

    /// The most named kind of incident.
    fn incident(&self) -> Option<&str> {
        self.incidents.leader().map(String::as_str)
    }
}

/// The clusters, found by their day: a frame of a known day is compared only with the clusters
/// of that day (or of the days next to it) and the undated ones, not with every cluster.
#[derive(Default)]
struct Clusters {
    all: Vec<Cluster>,
    by_day: BTreeMap<NaiveDate, BTreeSet<usize>>,
    undated: BTreeSet<usize>,
}

impl Clusters {
    fn push(&mut self, first: (ArticleId, usize)) -> usize {
        let index = self.all.len();
        self.all.push(Cluster {
            places: Tally::default(),
            dates: Tally::default(),
            incidents: Tally::default(),
            mains: 0,
            members: 0,
            first,
        });
        self.undated.insert(index);
        index
    }

    /// Adds a member's place, day and kind of incident to cluster `index`.
    fn add(
        &mut self,
        index: usize,
        place: Option<&PlaceRef>,
        date: Option<NaiveDate>,
        incident: Option<&String>,
    ) {
        let c = &mut self.all[index];
        c.members += 1;
        if let Some(p) = place {
            c.places.add(p);
        }
        if let Some(i) = incident {
            c.incidents.add(i);
        }
        let before = c.date();
        if date.is_some_and(|d| c.dates.add(&d)) {
            match before {
                Some(day) => {
                    if let Some(set) = self.by_day.get_mut(&day) {
                        set.remove(&index);
                        if set.is_empty() {
                            self.by_day.remove(&day);
                        }
                    }
                }
                None => {
                    self.undated.remove(&index);
                }
            }
            let day = c.date().expect("a day was just counted");
            self.by_day.entry(day).or_default().insert(index);
        }
    }

    /// The clusters dated within `days` of `day`, and the undated ones, in creation order:
    /// every cluster a frame of that day may join.
    fn near(&self, day: NaiveDate, days: u64) -> Vec<usize> {
        let span = Days::new(days);
        let from = day.checked_sub_days(span).unwrap_or(NaiveDate::MIN);
        let to = day.checked_add_days(span).unwrap_or(NaiveDate::MAX);
        let mut found: Vec<usize> = self
            .by_day
            .range(from..=to)
            .flat_map(|(_, set)| set.iter().copied())
            .chain(self.undated.iter().copied())
            .collect();
        found.sort_unstable();
        found
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
    frame: &'a EventFrame,
    published: Option<NaiveDate>,
}

/// The main event of an article whose extractor found none.
static NO_FRAME: EventFrame = EventFrame {
    place: None,
    time: None,
    incident: None,
};

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
            frame: a.claims.main_event.as_ref().unwrap_or(&NO_FRAME),
            published: a.doc.meta.published.as_ref().map(|p| p.date()),
        })
        .collect();
    let mut clusters = Clusters::default();
    let mut main_cluster: Vec<usize> = Vec::with_capacity(mains.len());
    for m in &mains {
        let date = main_date(m.frame, m.published);
        let fits = |c: &Cluster| {
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
            c.mains > 0
                && place
                && near_day != Some(false)
                && incidents_fit(c.incident(), m.frame.incident.as_deref())
        };
        // the first cluster that fits; one dated more than a day apart never does
        let found = match date {
            Some(d) => clusters
                .near(d, 1)
                .into_iter()
                .find(|&k| fits(&clusters.all[k])),
            None => (0..clusters.all.len()).find(|&k| fits(&clusters.all[k])),
        };
        let index = found.unwrap_or_else(|| clusters.push((m.article.clone(), usize::MAX)));
        clusters.add(
            index,
            m.frame.place.as_ref(),
            date,
            m.frame.incident.as_ref(),
        );
        clusters.all[index].mains += 1;
        main_cluster.push(index);
    }

    // 2. an undated article takes the day of its event ("yesterday" is the day before)
    let mut published: HashMap<&ArticleId, NaiveDate> = HashMap::new();
    let mut main_day: HashMap<&ArticleId, Option<NaiveDate>> = HashMap::new();
    for (m, &ci) in mains.iter().zip(&main_cluster) {
        let cluster_date = clusters.all[ci].date();
        let p = m.published.or_else(|| match (m.frame.time, cluster_date) {
            (Some(TimeRef::Relative { days }), Some(d)) => Some(dates::shift_date(d, -days)),
            (Some(TimeRef::Weekday { .. } | TimeRef::Date { .. }), Some(d)) => Some(d),
            _ => None,
        });
        if let Some(p) = p {
            published.insert(m.article, p);
        }
        main_day.insert(m.article, main_date(m.frame, p).or(cluster_date));
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
                clusters.all[ci].members += 1;
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
        let fits = |k: usize, c: &Cluster| {
            k != f.own_main
                && places_fit(c.place(), f.place.as_ref())
                && incidents_fit(c.incident(), f.incident.as_deref())
                && match (c.date(), f.date) {
                    (Some(a), Some(b)) => a == b,
                    (None, Some(_)) => c.mains == 0 && c.places.is_empty(),
                    // an undated figure with a place ("killed 13 at Fort Hood in 2009") joins
                    // by its place, never a dated group that names none
                    (Some(_), None) => f.place.is_none() || c.place().is_some(),
                    _ => true,
                }
                // a frame joins another article's main event only when it names its place
                && (c.mains == 0 || (f.place.is_some() && f.date.is_some()))
        };
        // the largest cluster that fits; among equals the first made
        let best = |found: &mut dyn Iterator<Item = usize>| {
            found
                .filter(|&k| fits(k, &clusters.all[k]))
                .max_by(|&a, &b| {
                    clusters.all[a]
                        .members
                        .cmp(&clusters.all[b].members)
                        .then(b.cmp(&a))
                })
        };
        let found = match f.date {
            Some(d) => best(&mut clusters.near(d, 0).into_iter()),
            None => best(&mut (0..clusters.all.len())),
        };
        let index = found.unwrap_or_else(|| clusters.push((f.article.clone(), f.index)));
        clusters.add(index, f.place.as_ref(), f.date, f.incident.as_ref());
        claim_event.insert((f.article.clone(), f.index), index);
    }

    // 5. ids from content
    let clusters = clusters.all;
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

#[cfg(test)]
mod tests;
