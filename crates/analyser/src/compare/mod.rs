//! The cross-source comparison: for each event and figure, every reported value side by side,
//! the range, the latest value, the value from the most direct authority, and why the others
//! differ from it; the weapons named and who blames whom. Pure: data in, data out.

pub mod changes;
mod divergence;
mod rules;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use corpus::{
    ArticleId, Authority, BlameReport, Claim, CountFact, CountPart, CountRange, EventArticle,
    EventReport, Fact, Figure, FigureStatus, Mention, PubTime, ReportedValue, WeaponReport,
};
use serde::{Deserialize, Serialize};

pub use divergence::amount;
pub use rules::{DEFAULT_RULES, Rules, article_url, is_web_address};

use crate::events::{ArticleInput, Event, EventAssignment};

/// What one article contributes, computed once.
struct Source<'a> {
    input: &'a ArticleInput<'a>,
    outlet: String,
    url: Option<String>,
    published: Option<PubTime>,
    /// Syndicated copies share it; a unique article is its own group.
    group: String,
}

impl<'a> Source<'a> {
    fn new(input: &'a ArticleInput<'a>, rules: &Rules) -> Source<'a> {
        Source {
            input,
            outlet: rules.outlet_name(input.raw, input.doc),
            url: rules::article_url(input.raw, input.doc).map(str::to_string),
            published: input.doc.meta.published.or(input.raw.meta.published),
            group: input
                .doc
                .copy_group
                .clone()
                .unwrap_or_else(|| format!("article:{}", input.raw.id)),
        }
    }

    fn id(&self) -> &ArticleId {
        &self.input.raw.id
    }

    fn mention(&self, claim: &Claim, words: Option<String>) -> Mention {
        Mention {
            article: self.id().clone(),
            outlet: self.outlet.clone(),
            published: self.published,
            words,
            attribution: claim.attribution.clone(),
            quote: claim.quote.clone(),
        }
    }
}

/// A reported value with what the divergence reasons need beyond it.
pub(crate) struct Candidate {
    pub value: ReportedValue,
    /// The copy group of the source.
    pub group: String,
    /// The parts the count was read from ("14 adults and two children").
    pub parts: Vec<CountPart>,
    /// The total this count is a part of, when the same sentence gives one from parts.
    pub whole: Option<Whole>,
}

/// A total read from parts, one of which is the candidate's count.
pub(crate) struct Whole {
    pub key: String,
    pub count: u64,
    pub parts: Vec<CountPart>,
}

/// Accuser, accused, denial.
type BlameKey = (Option<String>, Option<String>, bool);
/// Mentions, each with the copy group of its source.
type Mentions = Vec<(String, Mention)>;

#[derive(Default)]
struct EventParts<'a> {
    sources: BTreeMap<&'a ArticleId, &'a Source<'a>>,
    figures: BTreeMap<(&'a str, &'a str), Vec<Candidate>>,
    weapons: BTreeMap<String, Mentions>,
    blame: BTreeMap<BlameKey, Mentions>,
}

/// Builds every event's report from the articles' claims and their event assignment, the
/// most reported first.
pub fn build(
    articles: &[ArticleInput<'_>],
    assignment: &EventAssignment,
    rules: &Rules,
) -> Vec<EventReport> {
    let mut reports: Vec<EventReport> = members(articles, assignment)
        .iter()
        .map(|(&event, members)| event_report(articles, &assignment.events[event], members, rules))
        .collect();
    reports.sort_by_cached_key(ReportOrder::of);
    reports
}

/// The articles with claims about one event: each an index into the articles, with the
/// indexes of its claims about the event in claim order. Articles in the order given.
pub type Members = Vec<(usize, Vec<usize>)>;

/// Each event's members, by event (an index into `assignment.events`). An event's report is
/// made from its members alone: the same members, records and rules make the same report.
pub fn members(
    articles: &[ArticleInput<'_>],
    assignment: &EventAssignment,
) -> BTreeMap<usize, Members> {
    let ids = articles.iter().map(|a| (&a.raw.id, a.claims.claims.len()));
    members_of(ids, assignment)
}

/// [`members`], from each article's id and number of claims (in the articles' order).
pub fn members_of<'a>(
    articles: impl Iterator<Item = (&'a ArticleId, usize)>,
    assignment: &EventAssignment,
) -> BTreeMap<usize, Members> {
    let mut events: BTreeMap<usize, Members> = BTreeMap::new();
    for (at, (id, count)) in articles.enumerate() {
        // The article's claims with an event, in claim order.
        let assigned = assignment
            .claim_event
            .range((id.clone(), 0)..)
            .take_while(|((article, _), _)| article == id);
        for (&(_, index), &event) in assigned {
            if index >= count {
                continue;
            }
            let members = events.entry(event).or_default();
            match members.last_mut() {
                Some((last, claims)) if *last == at => claims.push(index),
                _ => members.push((at, vec![index])),
            }
        }
    }
    events
}

/// Where an event stands in the report: more distinct sources first, then more values, the
/// earlier day, the id. Kept with a report made before, so that it can be placed among new
/// ones without being read again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportOrder {
    pub sources: usize,
    pub values: usize,
    pub date: Option<NaiveDate>,
    pub id: String,
}

impl ReportOrder {
    pub fn of(e: &EventReport) -> ReportOrder {
        ReportOrder {
            sources: e.sources,
            values: e.figures.iter().map(|f| f.values.len()).sum(),
            date: e.date,
            id: e.id.clone(),
        }
    }
}

impl Ord for ReportOrder {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other
            .sources
            .cmp(&self.sources)
            .then(other.values.cmp(&self.values))
            .then(self.date.cmp(&other.date))
            .then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for ReportOrder {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// One event's report from its members.
pub fn event_report(
    articles: &[ArticleInput<'_>],
    event: &Event,
    members: &Members,
    rules: &Rules,
) -> EventReport {
    let sources: Vec<Source> = members
        .iter()
        .map(|(at, _)| Source::new(&articles[*at], rules))
        .collect();
    let mut parts = EventParts::default();
    for (source, (_, indexes)) in sources.iter().zip(members) {
        let claims = &source.input.claims.claims;
        parts.sources.entry(source.id()).or_insert(source);
        for &index in indexes {
            let claim = &claims[index];
            match &claim.fact {
                Fact::Count(fact) => parts
                    .figures
                    .entry((&fact.measure, &fact.subject))
                    .or_default()
                    .push(candidate(source, claims, index, fact, rules)),
                Fact::Weapon(w) => parts.weapons.entry(w.value.clone()).or_default().push((
                    source.group.clone(),
                    source.mention(claim, (w.mention != w.value).then(|| w.mention.clone())),
                )),
                Fact::Blame(b) => parts
                    .blame
                    .entry((b.accuser.clone(), b.accused.clone(), b.denial))
                    .or_default()
                    .push((source.group.clone(), source.mention(claim, None))),
            }
        }
    }
    assemble(event, parts, rules)
}

fn candidate(
    source: &Source,
    claims: &[Claim],
    index: usize,
    fact: &CountFact,
    rules: &Rules,
) -> Candidate {
    let claim = &claims[index];
    // The origin is the attribution when the chain names it, else the chain's far end.
    let (origin, relays) = match claim.attribution_chain.as_slice() {
        [] => (claim.attribution.clone(), 0),
        chain => match &claim.attribution {
            Some(a) if chain.contains(a) => (Some(a.clone()), chain.len() - 1),
            _ => (chain.last().cloned(), chain.len() - 1),
        },
    };
    let whole = claims
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != index && c.block == claim.block && c.sentence == claim.sentence)
        .find_map(|(i, c)| match &c.fact {
            Fact::Count(f)
                if f.measure == fact.measure
                    && f.subject == fact.subject
                    && f.count != fact.count
                    && f.parts.iter().any(|p| Some(p.count) == fact.count) =>
            {
                Some(Whole {
                    key: format!("{}#{i}", source.id()),
                    count: f.count?,
                    parts: f.parts.clone(),
                })
            }
            _ => None,
        });
    Candidate {
        value: ReportedValue {
            key: format!("{}#{index}", source.id()),
            article: source.id().clone(),
            claim: index,
            outlet: source.outlet.clone(),
            published: source.published,
            count: fact.count,
            qualifier: fact.qualifier,
            noun: fact.noun.clone(),
            attribution: claim.attribution.clone(),
            attribution_chain: claim.attribution_chain.clone(),
            authority: Authority {
                kind: rules.authority_kind(origin.as_deref()),
                source: origin,
                relays,
            },
            location: claim.location.clone(),
            when: claim.when,
            quote: claim.quote.clone(),
            copy_group: source.input.doc.copy_group.clone(),
            copies: Vec::new(),
            superseded: rules.earlier_marker(&claim.quote).is_some(),
        },
        group: source.group.clone(),
        parts: fact.parts.clone(),
        whole,
    }
}

fn assemble(event: &Event, parts: EventParts, rules: &Rules) -> EventReport {
    let mut outlets: Vec<String> = parts.sources.values().map(|s| s.outlet.clone()).collect();
    outlets.sort();
    outlets.dedup();
    let groups: BTreeSet<&str> = parts.sources.values().map(|s| s.group.as_str()).collect();
    let dates: Vec<PubTime> = parts.sources.values().filter_map(|s| s.published).collect();
    let mut articles: Vec<EventArticle> = parts
        .sources
        .values()
        .map(|s| EventArticle {
            article: s.id().clone(),
            outlet: s.outlet.clone(),
            url: s.url.clone(),
            title: s
                .input
                .doc
                .meta
                .title
                .clone()
                .or(s.input.raw.meta.title.clone()),
            published: s.published,
            copy_group: s.input.doc.copy_group.clone(),
        })
        .collect();
    articles.sort_by(|a, b| by_time(a.published, b.published).then(a.article.cmp(&b.article)));
    let mut figures: Vec<Figure> = parts
        .figures
        .into_iter()
        .map(|((measure, subject), candidates)| {
            figure(
                measure.into(),
                subject.into(),
                candidates,
                event.place.as_deref(),
                rules,
            )
        })
        .collect();
    figures.sort_by(|a, b| b.sources.cmp(&a.sources).then(a.id.cmp(&b.id)));
    let mut weapons: Vec<WeaponReport> = parts
        .weapons
        .into_iter()
        .map(|(value, mentions)| {
            let (sources, mentions) = by_source(mentions);
            WeaponReport {
                value,
                sources,
                mentions,
            }
        })
        .collect();
    weapons.sort_by(|a, b| b.sources.cmp(&a.sources).then(a.value.cmp(&b.value)));
    let mut blame: Vec<BlameReport> = parts
        .blame
        .into_iter()
        .map(|((accuser, accused, denial), mentions)| {
            let (sources, mentions) = by_source(mentions);
            BlameReport {
                accuser,
                accused,
                denial,
                sources,
                mentions,
            }
        })
        .collect();
    blame.sort_by(|a, b| b.sources.cmp(&a.sources).then(a.denial.cmp(&b.denial)));
    EventReport {
        id: event.id.clone(),
        label: event.label.clone(),
        place: event.place.clone(),
        date: event.date,
        kind: event.kind.clone(),
        articles,
        outlets,
        sources: groups.len(),
        first_published: dates.iter().min_by_key(|p| time_key(Some(**p))).copied(),
        last_published: dates.iter().max_by_key(|p| time_key(Some(**p))).copied(),
        figures,
        weapons,
        blame,
    }
}

/// Mentions in publication order, and how many distinct sources they come from.
fn by_source(mut mentions: Mentions) -> (usize, Vec<Mention>) {
    let groups: BTreeSet<&String> = mentions.iter().map(|(g, _)| g).collect();
    let sources = groups.len();
    mentions.sort_by(|(_, a), (_, b)| {
        by_time(a.published, b.published).then(a.article.cmp(&b.article))
    });
    (sources, mentions.into_iter().map(|(_, m)| m).collect())
}

/// A sort key for publication times that does not format them.
fn time_key(p: Option<PubTime>) -> Option<(chrono::DateTime<chrono::Utc>, bool)> {
    p.map(|p| (p.sort_key(), matches!(p, PubTime::DateTime(_))))
}

/// Known times first, earliest first.
fn by_time(a: Option<PubTime>, b: Option<PubTime>) -> std::cmp::Ordering {
    match (time_key(a), time_key(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

fn figure(
    measure: String,
    subject: String,
    candidates: Vec<Candidate>,
    place: Option<&str>,
    rules: &Rules,
) -> Figure {
    let mut candidates = merge_copies(candidates);
    candidates.sort_by(|a, b| {
        by_time(a.value.published, b.value.published)
            .then(a.value.article.cmp(&b.value.article))
            .then(a.value.claim.cmp(&b.value.claim))
    });
    let counted: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.value.count.is_some())
        .collect();
    let counts: Vec<u64> = counted.iter().filter_map(|c| c.value.count).collect();
    let range = counts
        .iter()
        .min()
        .zip(counts.iter().max())
        .map(|(&min, &max)| CountRange { min, max });
    let main_place = place
        .map(str::to_lowercase)
        .or_else(|| usual_place(&counted));
    let off_scope = |c: &Candidate| match (&main_place, &c.value.location) {
        (Some(m), Some(l)) => !crate::gazetteer::same_place(l, m),
        _ => false,
    };
    let most_direct = counted
        .iter()
        .copied()
        .min_by_key(|c| (off_scope(c), directness(c)));
    let latest = counted
        .iter()
        .copied()
        .filter(|c| c.value.published.is_some())
        .min_by_key(|c| {
            (
                Reverse(time_key(c.value.published)),
                off_scope(c),
                directness(c),
            )
        });
    let context = divergence::Context::of(&candidates, place);
    let divergences: Vec<_> = match most_direct {
        Some(reference) => counted
            .iter()
            .filter_map(|c| divergence::explain(c, reference, &context, rules))
            .collect(),
        None => Vec::new(),
    };
    let agree = range.is_none_or(|r| r.min == r.max);
    let status = if agree {
        FigureStatus::Agree
    } else if divergences.iter().all(|d| d.consistent) {
        FigureStatus::Consistent
    } else {
        FigureStatus::Disagree
    };
    let groups: BTreeSet<&str> = candidates.iter().map(|c| c.group.as_str()).collect();
    Figure {
        id: format!("{measure}/{subject}"),
        measure,
        subject,
        sources: groups.len(),
        range,
        latest: latest.map(|c| c.value.key.clone()),
        most_direct: most_direct.map(|c| c.value.key.clone()),
        agree,
        status,
        divergences,
        values: candidates.into_iter().map(|c| c.value).collect(),
    }
}

/// The place most values are about, when more are about it than about any other.
fn usual_place(counted: &[&Candidate]) -> Option<String> {
    let mut places: BTreeMap<String, usize> = BTreeMap::new();
    for c in counted {
        if let Some(l) = &c.value.location {
            *places.entry(l.trim().to_lowercase()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, String)> = places.into_iter().map(|(p, n)| (n, p)).collect();
    ranked.sort_by(|a, b| b.cmp(a));
    match ranked.as_slice() {
        [(n, p), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => Some(p.clone()),
        _ => None,
    }
}

/// Sort key (after a value about another place than the event's, which ranks last): the most
/// direct authority first; among equals a figure the quote does not call
/// an earlier one, fewer relays, the latest published, an exact figure, then the higher count
/// (tolls rise as they are updated), then the key for a stable choice.
fn directness(c: &Candidate) -> impl Ord + use<> {
    let v = &c.value;
    (
        v.authority.kind,
        v.superseded,
        v.authority.relays,
        Reverse(v.published.is_some()),
        Reverse(time_key(v.published)),
        v.qualifier != corpus::Qualifier::Exact,
        Reverse(v.count),
        v.key.clone(),
    )
}

/// Syndicated copies of one value count once: the first published keeps the others as copies.
/// The same value stated twice in one article on the same authority is kept once.
fn merge_copies(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        by_time(a.value.published, b.value.published).then(a.value.key.cmp(&b.value.key))
    });
    type Amount = (Option<u64>, corpus::Qualifier);
    let mut by_group: HashMap<(Amount, String), usize> = HashMap::new();
    let mut by_article: HashSet<(Amount, ArticleId, Option<String>)> = HashSet::new();
    // (kept value, copy) pairs listed: a copy list can hold thousands of articles
    let mut listed: HashSet<(usize, ArticleId)> = HashSet::new();
    let mut kept: Vec<Candidate> = Vec::new();
    for c in candidates {
        let amount = (c.value.count, c.value.qualifier);
        let article_key = (amount, c.value.article.clone(), c.value.attribution.clone());
        if by_article.contains(&article_key) {
            continue;
        }
        match by_group.get(&(amount, c.group.clone())) {
            Some(&i) if kept[i].value.article != c.value.article => {
                if listed.insert((i, c.value.article.clone())) {
                    kept[i].value.copies.push(c.value.article);
                }
            }
            _ => {
                by_group
                    .entry((amount, c.group.clone()))
                    .or_insert(kept.len());
                by_article.insert(article_key);
                kept.push(c);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests;
