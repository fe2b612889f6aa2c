//! Grouping claims into events across articles: which incident each figure is about.
//!
//! Each article has a main event (its place, day and kind of incident, read by the
//! extractor) and may mention others (a figure about "a day after Russian strikes killed
//! 39", "the 2004 tsunami"). Articles whose main events agree share an event; figures about
//! other incidents (frames) are grouped by their place, day and kind, across articles, and
//! never join their own article's main event. An undated article takes its date from the
//! event it reports ("yesterday" in an article about a strike that others date to
//! Saturday). Event ids are made from the event's place, day and kind, so they do not
//! depend on the order articles are read in.
//!
//! A run holds many events of many places, and some articles have no date: grouping takes
//! evidence, never the absence of a difference, and keeps apart when in doubt (a figure in
//! the wrong event corrupts the comparison; one left alone only shows less).
//! - An article joins other articles' event when both name one place (or one inside the
//!   other) and are dated a day apart at most; two towns of one state, a town and its
//!   country or a place the gazetteer does not know in the same country, only for the same
//!   kind of incident. An article without a day joins only an event of the same place
//!   (and kind, unless its day of publication is just after the event's); one that names no
//!   place stays alone.
//! - A frame joins an event of the same day and place (or a town and its region); without a
//!   day, a figure of the past joins one of the same place and kind or year, never an
//!   article's main event and never an event dated after its own article's. One that names
//!   no place goes with the frames of its sentence, or, dated, with an incident of its day
//!   that other reports of its own event cite; else it stays alone.
//!
//! Each cluster keeps running tallies of the places, days, years and kinds its members
//! name, and clusters are found by their day and by their place: a dated article or frame
//! is compared only with the clusters of its day, an undated one with those of its place,
//! so grouping 10,000 articles takes milliseconds. The plain definition (every frame
//! against every cluster) is kept in the tests, which check the two agree.
//!
//! The comparison and `claims --format jsonl` both take their event ids from [`group`].

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
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

/// What grouping reads of one claim: where, when and what it says happened, and its sentence.
/// Read from the index rows without the rest of the claim ([`crate::rows`]), so a run
/// groups the corpus without holding every claim's quote and facts.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
pub struct ClaimKey {
    #[serde(default)]
    pub place: Option<PlaceRef>,
    #[serde(default)]
    pub time: Option<TimeRef>,
    #[serde(default)]
    pub incident: Option<String>,
    #[serde(default)]
    pub background: bool,
    pub block: u32,
    pub sentence: u32,
}

impl ClaimKey {
    pub fn of(claim: &Claim) -> ClaimKey {
        ClaimKey {
            place: claim.place.clone(),
            time: claim.time,
            incident: claim.incident.clone(),
            background: claim.background,
            block: claim.block,
            sentence: claim.sentence,
        }
    }
}

/// What grouping reads of one article: its id, day of publication (the normalised
/// record's), main event and claims' keys.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupInput {
    pub id: ArticleId,
    pub published: Option<NaiveDate>,
    pub main_event: Option<EventFrame>,
    pub claims: Vec<ClaimKey>,
}

impl GroupInput {
    pub fn of(a: &ArticleInput<'_>) -> GroupInput {
        GroupInput {
            id: a.raw.id.clone(),
            published: a.doc.meta.published.as_ref().map(|p| p.date()),
            main_event: a.claims.main_event.clone(),
            claims: a.claims.claims.iter().map(ClaimKey::of).collect(),
        }
    }
}

/// One event: an incident at a place and time that several articles may report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across runs: made from what identifies the event, not from run order.
    pub id: String,
    pub label: String,
    pub place: Option<String>,
    pub date: Option<NaiveDate>,
    /// The kind of incident its members name most.
    pub kind: Option<String>,
}

/// Events, and the event of each claim.
#[derive(Debug, Clone, Default)]
pub struct EventAssignment {
    pub events: Vec<Event>,
    /// (article, index of the claim in its `ArticleClaims`) -> index into `events`. A figure
    /// of another incident that says neither where nor when has none.
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
        self.level
            .specificity()
            .cmp(&other.level.specificity())
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

impl Tallied for i32 {
    type Key = i32;
    fn key(&self) -> i32 {
        *self
    }
    // the earlier year
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
}

/// Days apart the main events of two articles may be and still be one event: outlets in
/// other time zones, or writing the next morning, date one incident a day apart.
const MAIN_DAY_SPAN: u64 = 1;
/// An article that gives no day of its own may report an event of its day of publication or
/// of this many days before it (an article of Monday about a Saturday attack).
const PUBLISHED_SPAN: i64 = 2;

/// How two places relate, from the closest to the farthest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum PlaceFit {
    /// The same place.
    Same,
    /// One inside the other, the wider a state, province or region.
    InRegion,
    /// One inside the other, the wider a country.
    InCountry,
    /// Two towns of one state or province.
    SameState,
    /// A place the gazetteer does not know (a district, a small town, a province) and
    /// another place of the same country: perhaps one inside the other.
    Uncertain,
    /// Not named on one side.
    Unknown,
    /// Elsewhere: another town, region or country; or two names the gazetteer does not both
    /// know, which cannot be told to be one place.
    Apart,
}

fn place_fit(a: Option<&PlaceRef>, b: Option<&PlaceRef>) -> PlaceFit {
    let (Some(a), Some(b)) = (a, b) else {
        return PlaceFit::Unknown;
    };
    if a.canonical == b.canonical {
        return PlaceFit::Same;
    }
    if a.level == PlaceLevel::Unknown || b.level == PlaceLevel::Unknown {
        let same_country = a.country.is_some() && a.country == b.country;
        return if same_country {
            PlaceFit::Uncertain
        } else {
            PlaceFit::Apart
        };
    }
    let wider = if within(a, b) {
        b
    } else if within(b, a) {
        a
    } else {
        let towns = a.level == PlaceLevel::City && b.level == PlaceLevel::City;
        let state = a.country.is_some()
            && a.country == b.country
            && a.admin1.is_some()
            && a.admin1 == b.admin1;
        return if towns && state {
            PlaceFit::SameState
        } else {
            PlaceFit::Apart
        };
    };
    if wider.level == PlaceLevel::Country {
        PlaceFit::InCountry
    } else {
        PlaceFit::InRegion
    }
}

/// How two kinds of incident relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KindFit {
    Same,
    /// Not named on one side.
    Unknown,
    Apart,
}

fn kind_fit(a: Option<&str>, b: Option<&str>) -> KindFit {
    match (a, b) {
        (Some(a), Some(b)) if a == b => KindFit::Same,
        (Some(_), Some(_)) => KindFit::Apart,
        _ => KindFit::Unknown,
    }
}

fn years_fit(a: Option<i32>, b: Option<i32>) -> bool {
    a.zip(b).is_none_or(|(a, b)| a == b)
}

/// How an article's main event and a cluster's day relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DayFit {
    /// Both dated, at most `MAIN_DAY_SPAN` days apart.
    Near,
    /// The article gives no day, and was published on the cluster's day or up to
    /// `PUBLISHED_SPAN` days after it.
    Published,
    /// No day to compare.
    Unknown,
    /// Days apart; or a dated article and an undated cluster.
    Apart,
}

fn day_fit(cluster: Option<NaiveDate>, m: &Main<'_>) -> DayFit {
    match (cluster, m.date, m.published) {
        (Some(c), Some(d), _) if (c - d).num_days().unsigned_abs() <= MAIN_DAY_SPAN => DayFit::Near,
        (_, Some(_), _) => DayFit::Apart,
        (Some(c), None, Some(p)) if (0..=PUBLISHED_SPAN).contains(&(p - c).num_days()) => {
            DayFit::Published
        }
        (Some(_), None, Some(_)) => DayFit::Apart,
        _ => DayFit::Unknown,
    }
}

/// What the grouping rules read of a cluster (the indexed clusters here and the tests' plain
/// ones answer alike).
trait View {
    /// The most named place; among equals the most specific.
    fn place(&self) -> Option<&PlaceRef>;
    /// The most named day; among equals the earliest.
    fn date(&self) -> Option<NaiveDate>;
    /// The most named kind of incident.
    fn incident(&self) -> Option<&str>;
    /// The year of its day, else the most named year.
    fn year(&self) -> Option<i32>;
    /// How many articles have this as their main event.
    fn mains(&self) -> usize;
    /// Whether a frame of an article whose main event is cluster `main` is a member.
    fn cited_by(&self, main: usize) -> bool;
}

/// Whether an article's main event is the event of a cluster of other articles' main events,
/// and how close their places are (the closest cluster is taken). It takes evidence, not its
/// absence: a place both name, and a day both give or a kind both name; another day, kind or
/// year, or a place elsewhere, keeps them apart. An article that names no place stays alone,
/// and one without a day joins only the same place.
fn main_fit(c: &impl View, m: &Main<'_>) -> Option<PlaceFit> {
    let kind = kind_fit(c.incident(), m.frame.incident.as_deref());
    if c.mains() == 0 || kind == KindFit::Apart || !years_fit(c.year(), m.year) {
        return None;
    }
    let place = place_fit(c.place(), m.frame.place.as_ref());
    let joins = match day_fit(c.date(), m) {
        // two towns of one state, a country and a town in it, or a place the gazetteer does
        // not know in the same country, only for the same kind ("Boston" and "Watertown"
        // the same day)
        DayFit::Near => match place {
            PlaceFit::Same | PlaceFit::InRegion => true,
            PlaceFit::InCountry | PlaceFit::SameState | PlaceFit::Uncertain => {
                kind == KindFit::Same
            }
            PlaceFit::Unknown | PlaceFit::Apart => false,
        },
        // published just after the cluster's day: the same place
        DayFit::Published => place == PlaceFit::Same,
        // no day at all: the same place and kind
        DayFit::Unknown => place == PlaceFit::Same && kind == KindFit::Same,
        DayFit::Apart => false,
    };
    joins.then_some(place)
}

/// Whether a figure about another incident than its article's (a frame) is the event of
/// cluster `c` (the caller leaves out the article's own main event): the same place, or a
/// town and its region, and the same day; without a day, a figure the article places in the
/// past joins the same place with the same kind or year, in a cluster that is no article's
/// main event. A country, two towns of one state or no place is not enough, and no figure
/// joins an event dated after its article's.
fn frame_joins(c: &impl View, f: &Frame<'_>) -> bool {
    let kind = kind_fit(c.incident(), f.incident.map(String::as_str));
    let place = place_fit(c.place(), f.place);
    let later = matches!((c.date(), f.until), (Some(a), Some(b)) if a > b);
    if kind == KindFit::Apart
        || later
        || !years_fit(c.year(), f.year)
        || !matches!(place, PlaceFit::Same | PlaceFit::InRegion)
    {
        return false;
    }
    match (c.date(), f.date) {
        (Some(a), Some(b)) => a == b,
        (None, Some(_)) => false,
        (_, None) => {
            let year = c.year().is_some() && c.year() == f.year;
            f.background
                && c.mains() == 0
                && place == PlaceFit::Same
                && (kind == KindFit::Same || year)
        }
    }
}

/// Whether a frame that names no place is the event of the frames of its own sentence
/// (cluster `c`): no other kind, year or day.
fn mate_joins(c: &impl View, f: &Frame<'_>) -> bool {
    kind_fit(c.incident(), f.incident.map(String::as_str)) != KindFit::Apart
        && years_fit(c.year(), f.year)
        && c.date().zip(f.date).is_none_or(|(a, b)| a == b)
}

/// Whether a dated frame that names no place, in a sentence with no other frame, is the
/// event of cluster `c`: an incident of the same day that another report of the
/// same event cites (the day before an attack, "strikes killed 39 across the country"),
/// of no other kind or year. Reports of other events never lend it theirs.
fn cited_joins(c: &impl View, f: &Frame<'_>) -> bool {
    c.mains() == 0
        && c.cited_by(f.own_main)
        && f.date.is_some()
        && c.date() == f.date
        && kind_fit(c.incident(), f.incident.map(String::as_str)) != KindFit::Apart
        && years_fit(c.year(), f.year)
}

/// Whether a figure is about its article's main event (cluster `c`, of day `day`): not marked
/// as about another incident, not dated before the event or in another year. (Where it
/// happened does not decide: arrests in other towns, the hurt taken to hospital elsewhere
/// and the towns a disaster reached are the event's.)
fn stays_in_main(
    claim: &ClaimKey,
    date: Option<NaiveDate>,
    c: &impl View,
    day: Option<NaiveDate>,
) -> bool {
    let earlier = matches!((date, day), (Some(a), Some(b)) if a < b);
    let year = day.map(|d| d.year()).or_else(|| c.year());
    !claim.background && !earlier && years_fit(year, year_of(date, claim.time))
}

/// The frames of one sentence and the cluster they went to (`None` when they went to
/// several): where a frame that names no place goes.
type Mates<'a> = HashMap<(&'a ArticleId, u32, u32), Option<usize>>;

fn note_mate<'a>(mates: &mut Mates<'a>, f: &Frame<'a>, cluster: usize) {
    mates
        .entry((f.article, f.block, f.sentence))
        .and_modify(|k| {
            if *k != Some(cluster) {
                *k = None;
            }
        })
        .or_insert(Some(cluster));
}

/// A group of frames that are one event.
#[derive(Debug, Clone)]
struct Cluster {
    places: Tally<PlaceRef>,
    dates: Tally<NaiveDate>,
    years: Tally<i32>,
    incidents: Tally<String>,
    /// How many articles have this as their main event.
    mains: usize,
    members: usize,
    /// The main events of the articles of its frames.
    cited_by: BTreeSet<usize>,
    /// The first member, for a stable order: (article, claim index or usize::MAX for a main).
    first: (ArticleId, usize),
}

impl View for Cluster {
    fn place(&self) -> Option<&PlaceRef> {
        self.places.leader()
    }

    fn date(&self) -> Option<NaiveDate> {
        self.dates.leader().copied()
    }

    fn incident(&self) -> Option<&str> {
        self.incidents.leader().map(String::as_str)
    }

    fn year(&self) -> Option<i32> {
        self.date()
            .map(|d| d.year())
            .or_else(|| self.years.leader().copied())
    }

    fn mains(&self) -> usize {
        self.mains
    }

    fn cited_by(&self, main: usize) -> bool {
        self.cited_by.contains(&main)
    }
}

/// One member's place, day, year and kind of incident, and for a frame the main event of
/// its article.
#[derive(Clone, Copy)]
struct Member<'a> {
    place: Option<&'a PlaceRef>,
    date: Option<NaiveDate>,
    year: Option<i32>,
    incident: Option<&'a String>,
    cited_by: Option<usize>,
}

/// The clusters, found by their day and by their place: a frame or article is compared only
/// with the clusters of its day or, when it has none, of its place, never with every cluster.
#[derive(Default)]
struct Clusters {
    all: Vec<Cluster>,
    /// The dated clusters by their day.
    by_day: BTreeMap<NaiveDate, BTreeSet<usize>>,
    /// The clusters that name a place, by the name of their place.
    by_place: HashMap<String, BTreeSet<usize>>,
}

/// Takes `index` out of a set of an index; true when the set is left empty.
fn unindex(set: Option<&mut BTreeSet<usize>>, index: usize) -> bool {
    set.is_some_and(|s| {
        s.remove(&index);
        s.is_empty()
    })
}

impl Clusters {
    fn push(&mut self, first: (ArticleId, usize)) -> usize {
        self.all.push(Cluster {
            places: Tally::default(),
            dates: Tally::default(),
            years: Tally::default(),
            incidents: Tally::default(),
            mains: 0,
            members: 0,
            cited_by: BTreeSet::new(),
            first,
        });
        self.all.len() - 1
    }

    /// Adds a member to cluster `index`, and finds the cluster again by its new day or place
    /// when the member changed which leads.
    fn add(&mut self, index: usize, m: Member<'_>) {
        let c = &mut self.all[index];
        c.members += 1;
        c.cited_by.extend(m.cited_by);
        if let Some(i) = m.incident {
            c.incidents.add(i);
        }
        if let Some(y) = m.year {
            c.years.add(&y);
        }
        let day_before = c.date();
        if m.date.is_some_and(|d| c.dates.add(&d)) {
            if let Some(day) = day_before
                && unindex(self.by_day.get_mut(&day), index)
            {
                self.by_day.remove(&day);
            }
            let day = c.date().expect("a day was just counted");
            self.by_day.entry(day).or_default().insert(index);
        }
        let place_before = c.places.leader;
        if m.place.is_some_and(|p| c.places.add(p)) {
            if let Some(before) = place_before {
                let name = &c.places.values[before].0.canonical;
                if unindex(self.by_place.get_mut(name), index) {
                    self.by_place.remove(name);
                }
            }
            let place = c.place().expect("a place was just counted");
            self.by_place
                .entry(place.canonical.clone())
                .or_default()
                .insert(index);
        }
    }

    /// The clusters dated within `days` of `day`, in creation order.
    fn near(&self, day: NaiveDate, days: u64) -> Vec<usize> {
        let span = Days::new(days);
        let from = day.checked_sub_days(span).unwrap_or(NaiveDate::MIN);
        let to = day.checked_add_days(span).unwrap_or(NaiveDate::MAX);
        let mut found: Vec<usize> = self
            .by_day
            .range(from..=to)
            .flat_map(|(_, set)| set.iter().copied())
            .collect();
        found.sort_unstable();
        found
    }

    /// The clusters whose place is `place`, in creation order: every cluster an undated
    /// frame or article may join (they join only the same place).
    fn at_place(&self, place: &PlaceRef) -> Vec<usize> {
        self.by_place
            .get(&place.canonical)
            .map(|set| set.iter().copied().collect())
            .unwrap_or_default()
    }
}

struct Main<'a> {
    article: &'a ArticleId,
    frame: &'a EventFrame,
    published: Option<NaiveDate>,
    /// The day of the main event, from the frame's time and the day of publication.
    date: Option<NaiveDate>,
    /// Its year, from its day or a month or year the frame names.
    year: Option<i32>,
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

/// The year a time names: its day's, or the year of a month or year.
fn year_of(date: Option<NaiveDate>, time: Option<TimeRef>) -> Option<i32> {
    date.map(|d| d.year()).or(match time {
        Some(TimeRef::Year { year } | TimeRef::Month { year, .. }) => Some(year),
        _ => None,
    })
}

fn mains<'a>(order: &[&'a GroupInput]) -> Vec<Main<'a>> {
    order
        .iter()
        .map(|a| {
            let frame = a.main_event.as_ref().unwrap_or(&NO_FRAME);
            let published = a.published;
            let date = main_date(frame, published);
            Main {
                article: &a.id,
                frame,
                published,
                date,
                year: year_of(date, frame.time),
            }
        })
        .collect()
}

/// The order main events are grouped in: first those with a day, then those with a day of
/// publication, then the rest; among them first those with a place (a cluster is begun by
/// the article that says most, and an undated article meets every dated cluster).
fn main_order(mains: &[Main<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..mains.len()).collect();
    order.sort_by_key(|&i| {
        let m = &mains[i];
        (
            m.date.is_none(),
            m.published.is_none(),
            m.frame.place.is_none(),
            i,
        )
    });
    order
}

/// Step 1, main events: an article joins the cluster of other articles' main events that
/// fits with the closest place (`main_fit`), among equals the first made, else begins one.
/// Returns each article's cluster.
fn group_mains(mains: &[Main<'_>], clusters: &mut Clusters) -> Vec<usize> {
    let mut main_cluster = vec![0; mains.len()];
    for i in main_order(mains) {
        let m = &mains[i];
        let candidates = match (m.date, m.frame.place.as_ref()) {
            (Some(d), _) => clusters.near(d, MAIN_DAY_SPAN),
            (None, Some(p)) => clusters.at_place(p),
            (None, None) => Vec::new(),
        };
        let found = candidates
            .into_iter()
            .filter_map(|k| Some((main_fit(&clusters.all[k], m)?, k)))
            .min()
            .map(|(_, k)| k);
        let index = found.unwrap_or_else(|| clusters.push((m.article.clone(), usize::MAX)));
        let member = Member {
            place: m.frame.place.as_ref(),
            date: m.date,
            year: m.year,
            incident: m.frame.incident.as_ref(),
            cited_by: None,
        };
        clusters.add(index, member);
        clusters.all[index].mains += 1;
        main_cluster[i] = index;
    }
    main_cluster
}

/// Each article's day of publication (or the one its event gives it) and day of its main
/// event.
#[derive(Default)]
struct EventDays<'a> {
    published: HashMap<&'a ArticleId, NaiveDate>,
    main_day: HashMap<&'a ArticleId, Option<NaiveDate>>,
}

/// Step 2, days: an undated article takes the day of its event ("yesterday" is the day before).
fn event_days<'a>(
    mains: &[Main<'a>],
    main_cluster: &[usize],
    clusters: &[impl View],
) -> EventDays<'a> {
    let mut days = EventDays::default();
    for (m, &ci) in mains.iter().zip(main_cluster) {
        let cluster_date = clusters[ci].date();
        let p = m.published.or_else(|| match (m.frame.time, cluster_date) {
            (Some(TimeRef::Relative { days }), Some(d)) => Some(dates::shift_date(d, -days)),
            (Some(TimeRef::Weekday { .. } | TimeRef::Date { .. }), Some(d)) => Some(d),
            _ => None,
        });
        if let Some(p) = p {
            days.published.insert(m.article, p);
        }
        days.main_day
            .insert(m.article, main_date(m.frame, p).or(cluster_date));
    }
    days
}

/// A figure about another incident than its article's main event.
struct Frame<'a> {
    article: &'a ArticleId,
    index: usize,
    place: Option<&'a PlaceRef>,
    date: Option<NaiveDate>,
    year: Option<i32>,
    incident: Option<&'a String>,
    own_main: usize,
    block: u32,
    sentence: u32,
    /// Marked by its article as about an earlier incident.
    background: bool,
    /// The day of its article's event (or of publication): it is about no later day.
    until: Option<NaiveDate>,
}

impl Frame<'_> {
    fn member(&self) -> Member<'_> {
        Member {
            place: self.place,
            date: self.date,
            year: self.year,
            incident: self.incident,
            cited_by: Some(self.own_main),
        }
    }
}

/// Step 3, claims: each claim is of its article's main event (`stays_in_main`), or a frame
/// of its own.
fn split_claims<'a>(
    order: &[&'a GroupInput],
    main_cluster: &[usize],
    clusters: &mut [impl View + Counted],
    days: &EventDays<'a>,
) -> (BTreeMap<(ArticleId, usize), usize>, Vec<Frame<'a>>) {
    let mut claim_event = BTreeMap::new();
    let mut frames = Vec::new();
    for (a, &ci) in order.iter().zip(main_cluster) {
        let id = &a.id;
        let p = days.published.get(id).copied();
        let day = days.main_day.get(id).copied().flatten();
        for (index, claim) in a.claims.iter().enumerate() {
            let date = claim.time.and_then(|t| match dates::resolve(t, p) {
                TimeRef::Date { date } => Some(date),
                TimeRef::FromMain { days } => day.map(|d| dates::shift_date(d, days)),
                _ => None,
            });
            if stays_in_main(claim, date, &clusters[ci], day) {
                claim_event.insert((id.clone(), index), ci);
                clusters[ci].count_member();
                continue;
            }
            frames.push(Frame {
                article: id,
                index,
                place: claim.place.as_ref(),
                date,
                year: year_of(date, claim.time),
                incident: claim.incident.as_ref(),
                own_main: ci,
                block: claim.block,
                sentence: claim.sentence,
                background: claim.background,
                until: day.or(p),
            });
        }
    }
    (claim_event, frames)
}

/// A cluster that counts its members (a claim of a main event adds to it and nothing else).
trait Counted {
    fn count_member(&mut self);
}

impl Counted for Cluster {
    fn count_member(&mut self) {
        self.members += 1;
    }
}

/// Frames that say where and when first, then the rest, in article and claim order.
fn sort_frames(frames: &mut [Frame<'_>]) {
    frames.sort_by(|a, b| {
        let key = |f: &Frame<'_>| (f.date.is_none(), f.place.is_none(), f.index);
        let (ka, kb) = (key(a), key(b));
        (ka.0, ka.1, a.article, ka.2).cmp(&(kb.0, kb.1, b.article, kb.2))
    });
}

/// Whether a frame says neither where nor when and is its sentence's only frame: nothing
/// tells which incident it is about, and it is left in no event (an event of its own would
/// be one figure of an unknown incident). `alone` holds the sentences with one frame.
fn unplaced(f: &Frame<'_>, alone: &HashSet<(&ArticleId, u32, u32)>) -> bool {
    f.place.is_none() && f.date.is_none() && alone.contains(&(f.article, f.block, f.sentence))
}

/// The sentences that hold one frame.
fn lone_sentences<'a>(frames: &[Frame<'a>]) -> HashSet<(&'a ArticleId, u32, u32)> {
    let mut count: HashMap<(&ArticleId, u32, u32), usize> = HashMap::new();
    for f in frames {
        *count.entry((f.article, f.block, f.sentence)).or_default() += 1;
    }
    count
        .into_iter()
        .filter(|&(_, n)| n == 1)
        .map(|(k, _)| k)
        .collect()
}

/// Step 4, frames of other incidents, first those that say where and when, then the rest:
/// each joins the largest cluster that fits (`frame_joins`), among equals the first made; one
/// that names no place joins the frames of its sentence (`mate_joins`), else one of its day
/// that reports of its event cite (`cited_joins`), or begins its own (`unplaced`: none).
fn group_frames(
    frames: &mut [Frame<'_>],
    clusters: &mut Clusters,
    claim_event: &mut BTreeMap<(ArticleId, usize), usize>,
) {
    sort_frames(frames);
    let mut mates: Mates<'_> = HashMap::new();
    let alone = lone_sentences(frames);
    for f in frames.iter() {
        let all = &clusters.all;
        let best = |candidates: Vec<usize>, fits: fn(&Cluster, &Frame<'_>) -> bool| {
            candidates
                .into_iter()
                .filter(|&k| k != f.own_main && fits(&all[k], f))
                .max_by(|&a, &b| all[a].members.cmp(&all[b].members).then(b.cmp(&a)))
        };
        // the frames of its sentence: one cluster (Some(Some)), several (Some(None)), none
        let mate = mates.get(&(f.article, f.block, f.sentence)).copied();
        let found = match (&f.place, f.date, mate) {
            (None, _, Some(k)) => k.filter(|&k| mate_joins(&all[k], f)),
            (None, Some(d), None) => best(clusters.near(d, 0), cited_joins),
            (None, None, None) => None,
            (Some(_), Some(d), _) => best(clusters.near(d, 0), frame_joins),
            (Some(p), None, _) => best(clusters.at_place(p), frame_joins),
        };
        if found.is_none() && unplaced(f, &alone) {
            continue;
        }
        let index = found.unwrap_or_else(|| clusters.push((f.article.clone(), f.index)));
        clusters.add(index, f.member());
        claim_event.insert((f.article.clone(), f.index), index);
        note_mate(&mut mates, f, index);
    }
}

/// Step 5, events, with ids made from their content (place, day, kind), not from run order.
fn events_of<C: View>(clusters: &[C], first: impl Fn(&C) -> &(ArticleId, usize)) -> Vec<Event> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut by_first: Vec<usize> = (0..clusters.len()).collect();
    by_first.sort_by(|&a, &b| first(&clusters[a]).cmp(first(&clusters[b])));
    let mut ids = vec![String::new(); clusters.len()];
    for &k in &by_first {
        let base = event_slug(&clusters[k]);
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        ids[k] = if *n == 1 { base } else { format!("{base}-{n}") };
    }
    clusters
        .iter()
        .zip(ids)
        .map(|(c, id)| {
            let place = c.place().map(|p| p.canonical.clone());
            let date = c.date();
            let mut label = capitalise(c.incident().unwrap_or("incident"));
            if let Some(p) = &place {
                label.push_str(&format!(" in {p}"));
            }
            if let Some(d) = date {
                label.push_str(&format!(", {d}"));
            }
            Event {
                id,
                label,
                place,
                date,
                kind: c.incident().map(str::to_string),
            }
        })
        .collect()
}

/// Groups every claim of every article into events.
pub fn group(articles: &[ArticleInput<'_>]) -> EventAssignment {
    let keys: Vec<GroupInput> = articles.iter().map(GroupInput::of).collect();
    group_keys(&keys)
}

/// [`group`], from what grouping reads of each article.
pub fn group_keys(articles: &[GroupInput]) -> EventAssignment {
    let mut order: Vec<&GroupInput> = articles.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id));
    let mains = mains(&order);
    let mut clusters = Clusters::default();
    let main_cluster = group_mains(&mains, &mut clusters);
    let days = event_days(&mains, &main_cluster, &clusters.all);
    let (mut claim_event, mut frames) =
        split_claims(&order, &main_cluster, &mut clusters.all, &days);
    group_frames(&mut frames, &mut clusters, &mut claim_event);
    let events = events_of(&clusters.all, |c| &c.first);
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

fn event_slug(c: &impl View) -> String {
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
