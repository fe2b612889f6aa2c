//! Grouping as first written, comparing every frame with every cluster and counting every
//! member again at each comparison: the definition the indexed [`group`] must keep to.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use corpus::{ArticleId, EventFrame, PlaceLevel, PlaceRef, Qualifier, TimeRef};

use super::*;
use crate::fixtures::{self, Article};

/// A group of frames that are one event.
#[derive(Debug, Clone)]
struct PlainCluster {
    places: Vec<PlaceRef>,
    dates: Vec<NaiveDate>,
    incidents: Vec<String>,
    /// The articles whose main event this is.
    main_of: Vec<ArticleId>,
    members: usize,
    /// The first member, for a stable order: (article, claim index or usize::MAX for a main).
    first: (ArticleId, usize),
}

impl PlainCluster {
    fn new(first: (ArticleId, usize)) -> PlainCluster {
        PlainCluster {
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

fn plain_group(articles: &[ArticleInput<'_>]) -> EventAssignment {
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
    let mut clusters: Vec<PlainCluster> = Vec::new();
    let mut main_cluster: Vec<usize> = Vec::with_capacity(mains.len());
    for m in &mains {
        let date = main_date(m.frame, m.published);
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
            clusters.push(PlainCluster::new((m.article.clone(), usize::MAX)));
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
        let fits = |(k, c): &(usize, &PlainCluster)| {
            *k != f.own_main
                && places_fit(c.place(), f.place.as_ref())
                && incidents_fit(c.incident(), f.incident.as_deref())
                && match (c.date(), f.date) {
                    (Some(a), Some(b)) => a == b,
                    (None, Some(_)) => c.main_of.is_empty() && c.places.is_empty(),
                    (Some(_), None) => f.place.is_none() || c.place().is_some(),
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
            clusters.push(PlainCluster::new((f.article.clone(), f.index)));
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
        let base = format!(
            "{}-{}-{}",
            c.place()
                .map_or_else(|| "somewhere".to_string(), |p| slug(&p.canonical)),
            c.date()
                .map_or_else(|| "undated".to_string(), |d| d.to_string()),
            c.incident().map_or_else(|| "incident".to_string(), slug)
        );
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
    match rng.below(6) {
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
                let claim = a.last_claim();
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
