//! Grouping as first written, comparing every frame with every cluster and counting every
//! member again at each comparison: the definition the indexed [`group`] must keep to. The
//! rules (`main_fit`, `frame_joins`, ...) and the steps that compare nothing are shared.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use corpus::{ArticleId, EventFrame, PlaceLevel, PlaceRef, Qualifier, TimeRef};

use super::*;
use crate::fixtures::{self, Article};

/// A group of frames that are one event.
#[derive(Debug, Clone)]
struct PlainCluster {
    places: Vec<PlaceRef>,
    dates: Vec<NaiveDate>,
    years: Vec<i32>,
    incidents: Vec<String>,
    /// The articles whose main event this is.
    main_of: Vec<ArticleId>,
    /// The main events of the articles of its frames.
    cited_by: Vec<usize>,
    members: usize,
    /// The first member, for a stable order: (article, claim index or usize::MAX for a main).
    first: (ArticleId, usize),
}

impl PlainCluster {
    fn new(first: (ArticleId, usize)) -> PlainCluster {
        PlainCluster {
            places: Vec::new(),
            dates: Vec::new(),
            years: Vec::new(),
            incidents: Vec::new(),
            main_of: Vec::new(),
            cited_by: Vec::new(),
            members: 0,
            first,
        }
    }

    fn add(&mut self, m: Member<'_>) {
        self.places.extend(m.place.cloned());
        self.dates.extend(m.date);
        self.years.extend(m.year);
        self.incidents.extend(m.incident.cloned());
        self.cited_by.extend(m.cited_by);
        self.members += 1;
    }
}

/// The most counted of some values; among equals the one `better` puts last.
fn most<T: Ord + Clone>(
    values: impl Iterator<Item = T>,
    better: impl Fn(&T, &T) -> Ordering,
) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| better(&a.0, &b.0)))
        .map(|(v, _)| v)
}

impl View for PlainCluster {
    fn place(&self) -> Option<&PlaceRef> {
        // the most named place; among equals the most specific, then the first by name
        let name = most(self.places.iter().map(|p| p.canonical.as_str()), |a, b| {
            let rank = |n: &str| {
                self.places
                    .iter()
                    .find(|p| p.canonical == n)
                    .unwrap()
                    .level
                    .specificity()
            };
            rank(a).cmp(&rank(b)).then(b.cmp(a))
        })?;
        self.places.iter().find(|p| p.canonical == name)
    }

    fn date(&self) -> Option<NaiveDate> {
        most(self.dates.iter().copied(), |a, b| b.cmp(a))
    }

    fn incident(&self) -> Option<&str> {
        most(self.incidents.iter().map(String::as_str), |a, b| b.cmp(a))
    }

    fn year(&self) -> Option<i32> {
        self.date()
            .map(|d| d.year())
            .or_else(|| most(self.years.iter().copied(), |a, b| b.cmp(a)))
    }

    fn mains(&self) -> usize {
        self.main_of.len()
    }

    fn cited_by(&self, main: usize) -> bool {
        self.cited_by.contains(&main)
    }
}

impl Counted for PlainCluster {
    fn count_member(&mut self) {
        self.members += 1;
    }
}

/// Step 1 comparing each main event with every cluster.
fn plain_mains(mains: &[Main<'_>], clusters: &mut Vec<PlainCluster>) -> Vec<usize> {
    let mut main_cluster = vec![0; mains.len()];
    for i in main_order(mains) {
        let m = &mains[i];
        let index = clusters
            .iter()
            .enumerate()
            .filter_map(|(k, c)| Some((main_fit(c, m)?, k)))
            .min()
            .map(|(_, k)| k)
            .unwrap_or_else(|| {
                clusters.push(PlainCluster::new((m.article.clone(), usize::MAX)));
                clusters.len() - 1
            });
        clusters[index].add(Member {
            place: m.frame.place.as_ref(),
            date: m.date,
            year: m.year,
            incident: m.frame.incident.as_ref(),
            cited_by: None,
        });
        clusters[index].main_of.push(m.article.clone());
        main_cluster[i] = index;
    }
    main_cluster
}

/// Step 4 comparing each frame with every cluster.
fn plain_frames(
    frames: &mut [Frame<'_>],
    clusters: &mut Vec<PlainCluster>,
    claim_event: &mut BTreeMap<(ArticleId, usize), usize>,
) {
    frames.sort_by_key(|f| {
        (
            f.date.is_none(),
            f.place.is_none(),
            f.article.clone(),
            f.index,
        )
    });
    let mut mates: Mates<'_> = HashMap::new();
    let alone = lone_sentences(frames);
    for f in frames.iter() {
        let best = |fits: fn(&PlainCluster, &Frame<'_>) -> bool| {
            clusters
                .iter()
                .enumerate()
                .filter(|(k, c)| *k != f.own_main && fits(c, f))
                .max_by(|a, b| a.1.members.cmp(&b.1.members).then(b.0.cmp(&a.0)))
                .map(|(k, _)| k)
        };
        let found = match (&f.place, mates.get(&(f.article, f.block, f.sentence))) {
            (None, Some(k)) => k.filter(|&k| mate_joins(&clusters[k], f)),
            (None, None) => best(cited_joins),
            (Some(_), _) => best(frame_joins),
        };
        if found.is_none() && unplaced(f, &alone) {
            continue;
        }
        let index = found.unwrap_or_else(|| {
            clusters.push(PlainCluster::new((f.article.clone(), f.index)));
            clusters.len() - 1
        });
        clusters[index].add(f.member());
        claim_event.insert((f.article.clone(), f.index), index);
        note_mate(&mut mates, f, index);
    }
}

fn plain_group(articles: &[ArticleInput<'_>]) -> EventAssignment {
    let keys: Vec<GroupInput> = articles.iter().map(GroupInput::of).collect();
    let mut order: Vec<&GroupInput> = keys.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id));
    let mains = mains(&order);
    let mut clusters: Vec<PlainCluster> = Vec::new();
    let main_cluster = plain_mains(&mains, &mut clusters);
    let days = event_days(&mains, &main_cluster, &clusters);
    let (mut claim_event, mut frames) = split_claims(&order, &main_cluster, &mut clusters, &days);
    plain_frames(&mut frames, &mut clusters, &mut claim_event);
    let events = events_of(&clusters, |c| &c.first);
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

/// SplitMix64: the same articles on every machine.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }

    fn maybe<T>(&mut self, percent: u64, f: impl FnOnce(&mut Rng) -> T) -> Option<T> {
        (self.below(100) < percent).then(|| f(self))
    }
}

fn place(name: &str, level: PlaceLevel, country: Option<&str>, admin1: Option<&str>) -> PlaceRef {
    PlaceRef {
        name: name.to_lowercase(),
        canonical: name.into(),
        level,
        country: country.map(Into::into),
        admin1: admin1.map(Into::into),
    }
}

/// Few places, days and kinds, so that frames often fit several clusters and tallies tie:
/// towns of one state and country, a state, countries, places the gazetteer does not know.
fn places() -> Vec<PlaceRef> {
    use PlaceLevel::*;
    vec![
        place("Northport", City, Some("XA"), Some("01")),
        place("Eastvale", City, Some("XA"), Some("01")),
        place("Riverton", City, Some("XA"), Some("02")),
        place("First Province", State, Some("XA"), Some("01")),
        place("North Region", Region, Some("XA"), Some("02")),
        place("Xland", Country, Some("XA"), None),
        place("Southby", City, Some("XB"), Some("01")),
        place("Yland", Country, Some("XB"), None),
        place("the valley", Unknown, None, None),
        place("the coast", Unknown, None, None),
    ]
}

const INCIDENTS: &[&str] = &["strike", "fire", "explosion"];

fn day(rng: &mut Rng) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 3, 1).unwrap() + chrono::Days::new(rng.below(7))
}

fn time(rng: &mut Rng) -> TimeRef {
    match rng.below(8) {
        0 | 1 => TimeRef::Date { date: day(rng) },
        2 => TimeRef::Relative {
            days: -(rng.below(2) as i64),
        },
        3 => TimeRef::Weekday {
            weekday: rng.below(7) as u32,
        },
        4 => TimeRef::FromMain {
            days: -(rng.below(3) as i64),
        },
        5 => TimeRef::Month {
            year: 2024,
            month: 3,
        },
        6 => TimeRef::Year { year: 2024 },
        _ => TimeRef::Year { year: 2004 },
    }
}

fn random_articles(seed: u64, count: usize) -> Vec<Article> {
    let mut rng = Rng(seed);
    let places = places();
    (0..count)
        .map(|n| {
            let published = rng.maybe(85, |r| day(r).to_string());
            let mut a = fixtures::article(&format!("a{n:04}"), "outlet", published.as_deref());
            a.claims.main_event = rng.maybe(90, |r| EventFrame {
                place: r.maybe(75, |r| {
                    places[r.below(places.len() as u64) as usize].clone()
                }),
                time: r.maybe(70, time),
                incident: r.maybe(70, |r| INCIDENTS[r.below(3) as usize].to_string()),
            });
            for _ in 0..rng.below(5) {
                a = a.killed(1 + rng.below(9), Qualifier::Exact, None, "killed");
                let background = rng.below(100) < 40;
                let place = rng.maybe(50, |r| {
                    places[r.below(places.len() as u64) as usize].clone()
                });
                let time = rng.maybe(60, time);
                let incident = rng.maybe(50, |r| INCIDENTS[r.below(3) as usize].to_string());
                let sentence = rng.below(3) as u32;
                let claim = a.last_claim();
                claim.sentence = sentence;
                claim.background = background;
                claim.place = place;
                claim.time = time;
                claim.incident = incident;
            }
            a
        })
        .collect()
}

fn assert_same(a: &EventAssignment, b: &EventAssignment, what: &str) {
    assert_eq!(a.events, b.events, "{what}: events");
    assert_eq!(a.claim_event, b.claim_event, "{what}: claims' events");
    assert_eq!(a.main_event, b.main_event, "{what}: main events");
}

#[test]
fn indexed_grouping_is_the_plain_definition() {
    for seed in 0..40 {
        let articles = random_articles(seed, 150);
        let inputs = fixtures::inputs(&articles);
        let (indexed, plain) = (group(&inputs), plain_group(&inputs));
        assert!(
            indexed.events.len() > 5,
            "seed {seed}: too few events to test"
        );
        assert_same(&indexed, &plain, &format!("seed {seed}"));
    }
}

#[test]
fn event_ids_do_not_depend_on_article_order() {
    let articles = random_articles(7, 200);
    let inputs = fixtures::inputs(&articles);
    let mut shuffled = fixtures::inputs(&articles);
    let mut rng = Rng(99);
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.below(i as u64 + 1) as usize);
    }
    assert_same(&group(&inputs), &group(&shuffled), "shuffled");
}

/// Each cluster's leading day and place.
fn leaders(clusters: &Clusters) -> Vec<(Option<NaiveDate>, Option<String>)> {
    clusters
        .all
        .iter()
        .map(|c| (c.date(), c.place().map(|p| p.canonical.clone())))
        .collect()
}

/// What the steps after the dated main events may change, on which an incremental grouping
/// rests (docs/scaling.md): an undated main event joins only a cluster of its own place and
/// changes no cluster's day or place, so those steps fall apart by place; a frame changes no
/// cluster's day (a dated one joins only its own day), so they fall apart by day. Only the
/// dated main events chain clusters across days.
#[test]
fn undated_mains_and_frames_change_no_clusters_day() {
    for seed in 0..40 {
        let articles = random_articles(seed, 150);
        let inputs = fixtures::inputs(&articles);
        let keys: Vec<GroupInput> = inputs.iter().map(GroupInput::of).collect();
        let mut order: Vec<&GroupInput> = keys.iter().collect();
        order.sort_by(|a, b| a.id.cmp(&b.id));
        let all = mains(&order);
        let dated: Vec<Main<'_>> = mains(&order)
            .into_iter()
            .filter(|m| m.date.is_some())
            .collect();
        let mut first = Clusters::default();
        group_mains(&dated, &mut first);
        let mut clusters = Clusters::default();
        let main_cluster = group_mains(&all, &mut clusters);
        let before = leaders(&first);
        let after_mains = leaders(&clusters);
        assert_eq!(
            before[..],
            after_mains[..before.len()],
            "seed {seed}: an undated main event changed a dated cluster"
        );
        let days = event_days(&all, &main_cluster, &clusters.all);
        let (mut claim_event, mut frames) =
            split_claims(&order, &main_cluster, &mut clusters.all, &days);
        group_frames(&mut frames, &mut clusters, &mut claim_event);
        let after_frames = leaders(&clusters);
        for (k, (a, b)) in after_mains.iter().zip(&after_frames).enumerate() {
            assert_eq!(a.0, b.0, "seed {seed}: a frame changed cluster {k}'s day");
        }
    }
}
