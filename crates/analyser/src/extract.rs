//! Claims from the sentences of one normalised article: counts, weapons and blame, each
//! with the source the article gives for it, the place it is about, and whether it is about
//! the article's main event or another incident.

use std::collections::HashMap;

use chrono::NaiveDate;
use corpus::{BlameFact, Claim, EventFrame, Fact, NormalisedDoc, PlaceLevel, PlaceRef, TimeRef};

use crate::attribution::{self, Source};
use crate::counts::{FoundCount, counts};
use crate::dates::{self, Shift, TimeMention};
use crate::lexicon::Lexicon;
use crate::places::{self, Mention, Role};
use crate::text::{Token, tokenize};
use crate::weapons::{FoundWeapon, blames, weapons};

/// Pronouns that name no one by themselves.
const PERSONAL_PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i", "you"];

/// How many sentences from the start make the lead, where the main event is introduced.
const LEAD_SENTENCES: usize = 4;

/// One sentence, read.
struct Sentence<'a> {
    block: usize,
    index: usize,
    /// The normalised text the tokens index, and the source's wording for quotes.
    text: &'a str,
    original: &'a str,
    tokens: Vec<Token<'a>>,
    places: Vec<Mention>,
    /// Times of what the sentence tells, not of its telling.
    times: Vec<TimeMention>,
    /// Times at which a source spoke ("said on Tuesday", "told reporters Monday").
    report_times: Vec<TimeMention>,
    shifts: Vec<Shift>,
    sources: Vec<Source>,
    counts: Vec<FoundCount>,
    weapons: Vec<FoundWeapon>,
    /// Token ranges about another, earlier incident ("in a separate incident", "followed ...").
    elsewhere: Vec<(usize, usize)>,
    block_attribution: Option<&'a str>,
    /// A line of a figure broken down by place ("Morelos: 71"), see [`breakdown_lines`].
    breakdown: bool,
    /// Position in the article, counting sentences.
    order: usize,
}

impl Sentence<'_> {
    fn is_elsewhere(&self, at: usize) -> bool {
        self.elsewhere.iter().any(|&(s, e)| s <= at && at < e)
    }

    fn shift_at(&self, at: usize) -> Option<&Shift> {
        self.shifts.iter().find(|s| s.start <= at && at < s.end)
    }
}

/// The claims of one article and what its main event is.
pub fn extract(doc: &NormalisedDoc, lex: &Lexicon) -> (Vec<Claim>, EventFrame) {
    let published = doc.meta.published.as_ref().map(|p| p.date());
    let mut sentences = Vec::new();
    let mut order = 0;
    for (block_index, block) in doc.blocks.iter().enumerate() {
        for (index, (text, original)) in block.sentence_texts().enumerate() {
            sentences.push(read(
                text,
                original,
                block_index,
                index,
                order,
                block.attribution.as_deref(),
                lex,
                published,
            ));
            order += 1;
        }
    }
    breakdown_lines(&mut sentences, lex);
    parts_of_earlier_totals(&mut sentences, lex);
    let country = article_country(&sentences);
    if let Some(iso) = &country {
        // a town the gazetteer does not know lies, most likely, in the article's country
        for s in &mut sentences {
            for m in &mut s.places {
                if m.place.level == PlaceLevel::Unknown && m.place.country.is_none() {
                    m.place.country = Some(iso.clone());
                }
            }
        }
    }
    let main = main_frame(&sentences, lex, published, country.as_deref());
    let claims = claims(&sentences, &main, lex, published);
    (claims, main)
}

/// A figure broken down by place, one line each, after a line that ends with a colon ("the
/// death toll has risen to 225. He gave the following breakdown: / Mexico City: 94 /
/// Morelos: 71"): each line "Place: N" counts what the last count before the colon counts.
fn breakdown_lines(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    let mut template: Option<FoundCount> = None;
    let mut open = false;
    for s in sentences.iter_mut() {
        let line = s.counts.is_empty() && s.places.first().is_some_and(|m| {
            m.start == 0
                && s.tokens.get(m.end).is_some_and(|t| t.is_punct(":"))
                && matches!(
                    crate::numbers::numbers(&s.tokens[m.end + 1..], lex).as_slice(),
                    [n] if n.start == 0 && m.end + 1 + n.end == s.tokens.len() && n.value.is_some()
                )
        });
        if open
            && line
            && let Some(t) = &template
        {
            let at = s.places[0].end + 1;
            let value = crate::numbers::numbers(&s.tokens[at..], lex)[0].value;
            let mut fact = t.fact.clone();
            fact.count = value;
            fact.qualifier = corpus::Qualifier::Exact;
            fact.parts = Vec::new();
            let end = s.tokens.len();
            s.places[0].role = Role::Location;
            s.breakdown = true;
            s.counts.push(FoundCount {
                fact,
                start: at,
                end,
                other: false,
            });
            continue;
        }
        open = s.tokens.last().is_some_and(|t| t.is_punct(":"));
        if let Some(c) = s.counts.last() {
            template = Some(c.clone());
        } else if !open {
            template = None;
        }
    }
}

/// "Twelve of the 26 were children": a part of a total the article stated before (in this
/// sentence or an earlier one) counts what that total counts.
fn parts_of_earlier_totals(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    for k in 0..sentences.len() {
        let parts = crate::counts::parts_of_totals(&sentences[k].tokens, lex);
        for p in parts {
            let earlier = sentences[k]
                .counts
                .iter()
                .rev()
                .filter(|c| c.start < p.start)
                .chain(
                    sentences[..k]
                        .iter()
                        .rev()
                        .flat_map(|s| s.counts.iter().rev()),
                )
                .find(|c| c.fact.count == Some(p.total));
            let Some(total) = earlier else { continue };
            let mut fact = total.fact.clone();
            fact.count = Some(p.count);
            fact.qualifier = corpus::Qualifier::Exact;
            fact.subject = p.subject;
            fact.noun = p.noun;
            fact.parts = Vec::new();
            let s = &mut sentences[k];
            let at = s.counts.partition_point(|c| c.start < p.start);
            s.counts.insert(
                at,
                FoundCount {
                    fact,
                    start: p.start,
                    end: p.end,
                    other: false,
                },
            );
        }
    }
}

/// The country most of the article's places are in, when most are in one (by its ISO
/// code): the places of other incidents and foreign actors are usually fewer.
fn article_country(sentences: &[Sentence<'_>]) -> Option<String> {
    let mut by_country: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for s in sentences {
        for m in &s.places {
            if let Some(c) = &m.place.country {
                *by_country.entry(c.as_str()).or_default() += 1;
                total += 1;
            }
        }
    }
    let (best, n) = by_country
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
    (n * 2 > total).then(|| best.to_string())
}

#[allow(clippy::too_many_arguments)]
fn read<'a>(
    text: &'a str,
    original: &'a str,
    block: usize,
    index: usize,
    order: usize,
    block_attribution: Option<&'a str>,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Sentence<'a> {
    let tokens = tokenize(text);
    let places = places::mentions(&tokens, lex);
    let (report_times, times) = dates::times(&tokens, lex, published)
        .into_iter()
        .partition(|t| told_at(&tokens, t, lex));
    let shifts = dates::shifts(&tokens, lex);
    let sources = attribution::sources(&tokens, text, lex);
    let counts = counts(&tokens, lex);
    let weapons = weapons(&tokens, text, lex);
    let mut elsewhere = Vec::new();
    for i in 0..tokens.len() {
        if let Some((n, _)) = lex.background.at(&tokens, i) {
            // "last year's massacre at a nightclub in Orlando, where a gunman killed 49":
            // the marker governs the rest of the sentence
            let (start, _) = clause_around(&tokens, i, i + n);
            elsewhere.push((start, tokens.len()));
        }
        if let Some((n, _)) = lex.refers_back.at(&tokens, i) {
            elsewhere.push((i + n, tokens.len()));
        }
    }
    Sentence {
        block,
        index,
        text,
        original,
        tokens,
        places,
        times,
        report_times,
        shifts,
        sources,
        counts,
        weapons,
        elsewhere,
        block_attribution,
        breakdown: false,
        order,
    }
}

/// True when a time dates a source's telling rather than what it told: right after a
/// reporting verb ("said on Tuesday that 141 were killed").
fn told_at(tokens: &[Token<'_>], t: &TimeMention, lex: &Lexicon) -> bool {
    let mut k = t.start;
    while k > 0 && t.start - k < 5 && lex.report_gap.contains(tokens[k - 1].lower.as_str()) {
        k -= 1;
    }
    k > 0 && lex.reporting_verbs.contains(tokens[k - 1].lower.as_str()) && {
        // "according to" names a source, not a time of telling
        tokens[k - 1].lower != "according"
    }
}

/// The clause around tokens `from..to`: back to the last comma or conjunction, on to the
/// next comma.
fn clause_around(tokens: &[Token<'_>], from: usize, to: usize) -> (usize, usize) {
    let mut s = from;
    while s > 0 {
        let t = &tokens[s - 1];
        if t.is_punct(",")
            || t.is_punct(";")
            || matches!(
                t.lower.as_str(),
                "and" | "but" | "while" | "when" | "whereas"
            )
        {
            break;
        }
        s -= 1;
    }
    let mut e = to;
    while e < tokens.len() && !tokens[e].is_punct(",") && !tokens[e].is_punct(";") {
        e += 1;
    }
    (s, e)
}

/// The article's main event: the place it names most where things happen (weighted to
/// the lead), the first day the lead names, and the kind of incident the lead names most.
fn main_frame(
    sentences: &[Sentence<'_>],
    lex: &Lexicon,
    published: Option<NaiveDate>,
    country: Option<&str>,
) -> EventFrame {
    // score, the place, and where it is first named (sentence, token): the earlier wins ties
    let mut scores: HashMap<String, (f64, PlaceRef, (usize, usize))> = HashMap::new();
    for s in sentences {
        // the headline and the first sentence say where the news is
        let lead = match s.order {
            0 | 1 => 4.0,
            o if o < LEAD_SENTENCES => 2.0,
            _ => 1.0,
        };
        for m in &s.places {
            // places of other incidents: "the 2007 Virginia Tech massacre"
            let dated_elsewhere = s.times.iter().any(|t| {
                matches!(t.time, TimeRef::Month { .. } | TimeRef::Year { .. })
                    && t.start.abs_diff(m.start) <= 6
            });
            if dated_elsewhere
                || s.is_elsewhere(m.start)
                || s.shift_at(m.start).is_some_and(|sh| sh.days < 0)
                || filed_elsewhere(s, m, lex)
            {
                continue;
            }
            let role = match m.role {
                // "resorts near Athens": the place is somewhere else
                Role::Location | Role::Weak if landmark(&s.tokens, m.start, lex) => 0.5,
                // a wire agency's bureau counts as a place named in passing
                Role::Location if m.bureau => 1.0,
                Role::Location => 2.0,
                Role::Weak => 1.0,
                Role::Adjective => 0.3,
                Role::Actor => 0.0,
            };
            let level = match m.place.level {
                PlaceLevel::City | PlaceLevel::Region => 1.0,
                PlaceLevel::Unknown => 0.7,
                PlaceLevel::State => 0.8,
                PlaceLevel::Country => 0.5,
            };
            let e = scores.entry(m.place.canonical.clone()).or_insert((
                0.0,
                m.place.clone(),
                (s.order, m.start),
            ));
            e.0 += role * level * lead;
        }
    }
    let place = scores
        .into_values()
        .filter(|(score, _, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)))
        .map(|(_, p, _)| p);
    let time = incident_time(sentences, lex).map(|t| dates::resolve(t, published));
    let mut incidents: HashMap<&str, (usize, usize)> = HashMap::new();
    for s in sentences.iter().take(LEAD_SENTENCES) {
        for i in 0..s.tokens.len() {
            if let Some((_, name)) = lex.incidents.at(&s.tokens, i)
                && !s.is_elsewhere(i)
            {
                let e = incidents
                    .entry(name.as_str())
                    .or_insert((0, s.order * 1000 + i));
                e.0 += 1;
            }
        }
    }
    let incident = incidents
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(name, _)| lex.incident_kind(name).to_string());
    // an earthquake or a flood strikes a country's region, not one town: when the lead names
    // the country the towns are in, the country is the place ("struck central Italy")
    let wide = incident
        .as_ref()
        .is_some_and(|i| lex.wide_incidents.contains(i.as_str()));
    let place = match (place, country) {
        (Some(p), Some(iso))
            if wide
                && p.level != PlaceLevel::Country
                && !named_as_town(sentences, &p, lex)
                && p.country.as_deref() == Some(iso)
                && (names_country(sentences, iso) || towns_named(sentences, iso) >= 2) =>
        {
            lex.gazetteer.country_ref(iso).or(Some(p))
        }
        (p, _) => p,
    };
    EventFrame {
        place,
        time,
        incident,
    }
}

/// True when a dateline's town is only where the story was filed: its sentence names
/// another town where things happened ("ISTANBUL (AP) — ... the bombings at a rally in
/// Ankara", "WASHINGTON, June 14 (Reuters) - The gunman who killed 49 people in Orlando").
fn filed_elsewhere(s: &Sentence<'_>, dateline: &Mention, lex: &Lexicon) -> bool {
    dateline.dateline
        && s.places.iter().any(|m| {
            !m.dateline
                && m.role == Role::Location
                && matches!(m.place.level, PlaceLevel::City | PlaceLevel::Region)
                && m.place.canonical != dateline.place.canonical
                && !places::within(&m.place, &dateline.place)
                && !places::within(&dateline.place, &m.place)
                && !landmark(&s.tokens, m.start, lex)
                && !at_hospital(&s.tokens, m, lex)
                && !s.is_elsewhere(m.start)
        })
}

/// True when the lead names the place as a town ("struck the New Zealand city of
/// Christchurch", "the town of X"): a wide incident that hit one named town is placed there,
/// not in its country.
fn named_as_town(sentences: &[Sentence<'_>], place: &PlaceRef, lex: &Lexicon) -> bool {
    sentences.iter().take(LEAD_SENTENCES).any(|s| {
        s.places.iter().any(|m| {
            m.place.canonical == place.canonical
                && m.start >= 2
                && s.tokens[m.start - 1].lower == "of"
                && lex
                    .settlement_nouns
                    .contains(s.tokens[m.start - 2].lower.as_str())
                && !s.is_elsewhere(m.start)
        })
    })
}

/// True when the lead names a country as a place, not as an actor ("in Italy", "an Italian
/// town", "Italy earthquake").
fn names_country(sentences: &[Sentence<'_>], iso: &str) -> bool {
    sentences.iter().take(LEAD_SENTENCES + 2).any(|s| {
        s.places.iter().any(|m| {
            m.place.level == PlaceLevel::Country
                && m.place.country.as_deref() == Some(iso)
                && m.role != Role::Actor
                && !s.is_elsewhere(m.start)
        })
    })
}

/// How many towns of a country the article names where things happened.
fn towns_named(sentences: &[Sentence<'_>], iso: &str) -> usize {
    let mut towns: Vec<&str> = sentences
        .iter()
        .flat_map(|s| {
            s.places.iter().filter(|m| {
                matches!(m.place.level, PlaceLevel::City | PlaceLevel::Unknown)
                    && m.place.country.as_deref() == Some(iso)
                    && m.role == Role::Location
                    && !s.is_elsewhere(m.start)
            })
        })
        .map(|m| m.place.canonical.as_str())
        .collect();
    towns.sort_unstable();
    towns.dedup();
    towns.len()
}

/// The day of the article's incident. A time in the lead that a count's clause names
/// ("killing 10 people on Monday") comes first, then one in a clause naming the incident
/// ("the quake struck on Wednesday"), then any other time of the lead; a day that names the
/// incident outright ("Monday's explosion") counts anywhere in the article. A time at which
/// a source spoke ("the ministry said on Tuesday") dates the incident only when nothing
/// else does.
fn incident_time(sentences: &[Sentence<'_>], lex: &Lexicon) -> Option<TimeRef> {
    let day = |t: &TimeRef| {
        matches!(
            t,
            TimeRef::Date { .. } | TimeRef::Relative { .. } | TimeRef::Weekday { .. }
        )
    };
    let mut best: Option<(u8, usize, TimeRef)> = None;
    for s in sentences {
        let lead = s.order < LEAD_SENTENCES + 2;
        for t in &s.times {
            // "MOSCOW, April 14 (Reuters) -": the day the story was filed
            let in_dateline = s.places.iter().any(|m| m.dateline && t.start < m.end);
            if !day(&t.time)
                || s.is_elsewhere(t.start)
                || s.shift_at(t.start).is_some()
                || in_dateline
            {
                continue;
            }
            // "Monday's explosion", "Sunday's suicide bombing"
            let names_incident = s.tokens.get(t.end).is_some_and(|w| w.lower == "'s")
                && (t.end + 1..(t.end + 4).min(s.tokens.len()))
                    .any(|k| lex.incidents.at(&s.tokens, k).is_some());
            let (cs, ce) = clause_around(&s.tokens, t.start, t.end);
            // "78 people died ... when a train derailed on Wednesday night": a clause of
            // "when" after a count dates that count
            let when_after_count = cs > 0
                && s.tokens[cs - 1].lower == "when"
                && s.counts
                    .iter()
                    .any(|c| c.start < cs && !s.is_elsewhere(c.start));
            let count_clause = when_after_count
                || s.counts
                    .iter()
                    .any(|c| c.start >= cs && c.start < ce && !s.is_elsewhere(c.start));
            let incident_clause = (cs..ce).any(|k| lex.incidents.at(&s.tokens, k).is_some());
            // "A gunman opened fire in a church on Sunday, leaving 26 dead": the incident's
            // clause dates the counts of its sentence
            let count_clause = count_clause
                || (incident_clause
                    && s.counts.iter().any(|c| !s.is_elsewhere(c.start))
                    && s.shift_at(t.start).is_none());
            let score = match (lead, names_incident || count_clause, incident_clause) {
                (_, true, _) if names_incident => 3,
                (true, true, _) => 3,
                (true, false, true) => 2,
                (true, false, false) => 1,
                _ => continue,
            };
            let at = s.order * 1000 + t.start;
            if best.is_none_or(|(b, _, _)| score > b) {
                best = Some((score, at, t.time));
            }
        }
    }
    best.map(|(_, _, t)| t).or_else(|| {
        sentences
            .iter()
            .take(LEAD_SENTENCES + 2)
            .flat_map(|s| s.report_times.iter().map(|t| t.time))
            .find(|t| day(t))
    })
}

/// True when a place named for a figure can be the main event's place: the same place,
/// within it, a region around it, or the country it is in.
fn fits_main(place: &PlaceRef, main: &EventFrame) -> Option<bool> {
    let m = main.place.as_ref()?;
    if place.canonical == m.canonical {
        return Some(true);
    }
    if place.level == PlaceLevel::Unknown
        || m.level == PlaceLevel::Unknown
        || place.country.is_none()
        || m.country.is_none()
    {
        return None;
    }
    Some(places::within(place, m) || places::within(m, place))
}

/// True when a time is known to be before another: a figure dated before the main event is
/// about an earlier incident (one dated after it is news of the same event).
fn earlier(a: TimeRef, b: TimeRef) -> bool {
    use chrono::Datelike;
    match (a, b) {
        (TimeRef::Date { date: x }, TimeRef::Date { date: y }) => x < y,
        (TimeRef::Relative { days: x }, TimeRef::Relative { days: y }) => x < y,
        (TimeRef::FromMain { days }, _) => days < 0,
        (TimeRef::Month { year, month }, TimeRef::Date { date }) => {
            (year, month) < (date.year(), date.month())
        }
        (TimeRef::Year { year }, TimeRef::Date { date }) => year < date.year(),
        (TimeRef::Month { .. } | TimeRef::Year { .. }, _) => true,
        (
            TimeRef::Date { .. } | TimeRef::Relative { .. } | TimeRef::Weekday { .. },
            TimeRef::FromMain { .. },
        ) => false,
        _ => differs(a, b),
    }
}

/// True when two times are known to be different days.
fn differs(a: TimeRef, b: TimeRef) -> bool {
    match (a, b) {
        (TimeRef::Date { date: x }, TimeRef::Date { date: y }) => x != y,
        (TimeRef::Weekday { weekday: x }, TimeRef::Weekday { weekday: y }) => x != y,
        (TimeRef::Relative { days: x }, TimeRef::Relative { days: y }) => x != y,
        (TimeRef::FromMain { days }, _) | (_, TimeRef::FromMain { days }) => days != 0,
        (TimeRef::Month { year, month }, TimeRef::Date { date })
        | (TimeRef::Date { date }, TimeRef::Month { year, month }) => {
            use chrono::Datelike;
            date.year() != year || date.month() != month
        }
        (TimeRef::Year { year }, TimeRef::Date { date })
        | (TimeRef::Date { date }, TimeRef::Year { year }) => {
            use chrono::Datelike;
            date.year() != year
        }
        (TimeRef::Month { .. } | TimeRef::Year { .. }, _)
        | (_, TimeRef::Month { .. } | TimeRef::Year { .. }) => true,
        // a weekday against "yesterday" with no date to compare them: different words for
        // days in one article usually mean different days
        _ => true,
    }
}

/// The place and time a figure at tokens `start..end` of a sentence is about, as the
/// sentence says them, and whether the sentence puts it in another incident.
struct Context {
    place: Option<PlaceRef>,
    /// When the place stands for a list of places ("the Moscow, Bryansk and Kursk regions"),
    /// the places listed.
    listed: Vec<PlaceRef>,
    time: Option<TimeRef>,
    elsewhere: bool,
}

/// `limit`: where the next figure of the sentence starts (a place after it is that one's).
fn context(
    s: &Sentence<'_>,
    start: usize,
    end: usize,
    limit: usize,
    main_place: Option<&PlaceRef>,
    lex: &Lexicon,
) -> Context {
    let shift = s.shift_at(start);
    let in_scope = |at: usize| match shift {
        Some(sh) => sh.start <= at && at < sh.end,
        None => s.shift_at(at).is_none(),
    };
    let (place, listed) = match place_for(s, start, end, limit, main_place, &in_scope, lex) {
        Some((p, l)) => (Some(p), l),
        None => (None, Vec::new()),
    };
    // the time outside any shift, nearest first
    let base = s
        .times
        .iter()
        .filter(|t| s.shift_at(t.start).is_none())
        .min_by_key(|t| t.start.abs_diff(start))
        .map(|t| t.time);
    let mut elsewhere = s.is_elsewhere(start);
    let time = match shift {
        // "a day after Russian strikes killed at least 39"
        Some(sh) if sh.days < 0 => {
            elsewhere = true;
            let own = s
                .times
                .iter()
                .find(|t| sh.start <= t.start && t.start < sh.end)
                .map(|t| t.time);
            own.or_else(|| base.and_then(|b| dates::shift(b, sh.days)))
                .or(Some(TimeRef::FromMain { days: sh.days }))
        }
        _ => {
            // "a day before the attack, Ukraine reported ...": the rest is a day earlier
            let anchor = s.shifts.iter().find(|sh| {
                sh.days > 0
                    && !(sh.start <= start && start < sh.end)
                    && lex.incidents.any_in(&s.tokens, sh.start, sh.end)
            });
            match anchor {
                Some(sh) => {
                    elsewhere = true;
                    Some(TimeRef::FromMain { days: -sh.days })
                }
                None => base,
            }
        }
    };
    Context {
        place,
        listed,
        time,
        elsewhere,
    }
}

/// True when the place named at `start` is a landmark to find another place by ("near
/// Athens", "outside Dhaka", "30 km northwest of Dhaka").
fn landmark(tokens: &[Token<'_>], start: usize, lex: &Lexicon) -> bool {
    start > 0
        && (matches!(tokens[start - 1].lower.as_str(), "near" | "outside")
            || (tokens[start - 1].lower == "of"
                && start >= 2
                && lex
                    .compass_points
                    .contains(tokens[start - 2].lower.as_str())))
}

/// True when a place says where the hurt are treated ("taken to hospitals in Rieti"), not
/// where it happened.
fn at_hospital(tokens: &[Token<'_>], m: &Mention, lex: &Lexicon) -> bool {
    // back over a list of names ("hospitals in Rieti and Rome") to the preposition
    let mut k = m.start;
    while k > 0 {
        let t = &tokens[k - 1];
        if !(t.is_capitalised() || t.is_punct(",") || t.lower == "and") {
            break;
        }
        k -= 1;
    }
    k >= 2
        && matches!(tokens[k - 1].lower.as_str(), "in" | "at")
        && lex.hospital_nouns.contains(tokens[k - 2].lower.as_str())
}

/// The place a figure is about: the best place in its own clause, else the nearest place
/// before it in the sentence; a list of places of one country stands for the country.
fn place_for(
    s: &Sentence<'_>,
    start: usize,
    end: usize,
    limit: usize,
    main_place: Option<&PlaceRef>,
    in_scope: &dyn Fn(usize) -> bool,
    lex: &Lexicon,
) -> Option<(PlaceRef, Vec<PlaceRef>)> {
    let (cs, ce) = clause_bounds(&s.tokens, start, end);
    // a figure about another incident takes its place from the words about that incident,
    // and a figure about the main event not from them
    let count_elsewhere = s.is_elsewhere(start);
    let at_hospital = |m: &Mention| at_hospital(&s.tokens, m, lex);
    // "Hyderabad Commissioner X said the toll rose to 50": the official's place
    let titled = |m: &Mention| {
        s.tokens
            .get(m.end)
            .is_some_and(|t| t.is_capitalised() && lex.title_nouns.contains(t.lower.as_str()))
    };
    let usable = |m: &&Mention| {
        m.role != Role::Actor
            && !titled(m)
            && in_scope(m.start)
            && s.is_elsewhere(m.start) == count_elsewhere
            && !at_hospital(m)
    };
    let article_place = main_place;
    let main_place = main_place.filter(|_| !count_elsewhere);
    let own: Vec<&Mention> = s
        .places
        .iter()
        .filter(|m| m.start >= cs && m.start < ce)
        .filter(usable)
        .collect();
    let best = own
        .iter()
        .max_by(|a, b| {
            a.role
                .cmp(&b.role)
                .then((specific(&a.place)).cmp(&specific(&b.place)))
                .then(b.start.abs_diff(start).cmp(&a.start.abs_diff(start)))
        })
        .copied();
    let chosen = best
        .or_else(|| {
            // before the clause: the main event's place if the sentence names it, else the
            // nearest place
            s.places
                .iter()
                .filter(|m| m.end <= cs && matches!(m.role, Role::Location | Role::Weak))
                .filter(usable)
                .max_by_key(|m| {
                    (
                        main_place.is_some_and(|p| p.canonical == m.place.canonical),
                        m.role == Role::Location,
                        m.start,
                    )
                })
        })
        .or_else(|| {
            // "A man died ... when a missile struck a home in the X region", but not the
            // place of a later figure ("12 in X and 10 in Y")
            let owned = |m: &Mention| {
                s.counts.iter().any(|c| {
                    c.start > start
                        && c.end <= m.start
                        && s.tokens[c.end..m.start]
                            .iter()
                            .all(|t| matches!(t.lower.as_str(), "in" | "at" | "the" | "of"))
                })
            };
            s.places
                .iter()
                .filter(|m| {
                    m.start >= ce && m.start < limit && m.role == Role::Location && !owned(m)
                })
                .find(usable)
        });
    let Some(chosen) = chosen else {
        // "a suicide bombing in the city killed four": the city the article is about
        let this_town = (cs..limit.max(ce).min(s.tokens.len()).saturating_sub(2)).any(|k| {
            matches!(s.tokens[k].lower.as_str(), "in" | "at" | "near" | "across")
                && s.tokens[k + 1].lower == "the"
                && lex.this_place.contains(s.tokens[k + 2].lower.as_str())
                && in_scope(k)
        });
        return article_place
            .filter(|p| this_town && p.level == PlaceLevel::City)
            .map(|p| (p.clone(), Vec::new()));
    };
    // "resorts near Athens", "30 km northwest of Dhaka": a landmark to find the place by, not
    // the place, when the article names the place itself in the same country
    if landmark(&s.tokens, chosen.start, lex)
        && let Some(main) = main_place
        && main.canonical != chosen.place.canonical
        && main.country.is_some()
        && main.country == chosen.place.country
    {
        return Some((main.clone(), Vec::new()));
    }
    // "the deadliest attack on Turkish soil" in an article about Ankara: Ankara
    if chosen.role == Role::Adjective
        && let Some(main) = main_place
        && main.canonical != chosen.place.canonical
        && places::within(main, &chosen.place)
    {
        return Some((main.clone(), Vec::new()));
    }
    // "in Russia's second city" in an article about a city of Russia: that city
    if s.tokens.get(chosen.end).is_some_and(|t| t.lower == "'s")
        && let Some(main) = main_place
        && main.canonical != chosen.place.canonical
        && places::within(main, &chosen.place)
    {
        return Some((main.clone(), Vec::new()));
    }
    // "over the Moscow, Bryansk, Orel and Kursk regions"
    let list: Vec<&PlaceRef> = s
        .places
        .iter()
        .filter(|m| m.role != Role::Actor && m.role != Role::Adjective)
        .filter(|m| {
            let (a, b) = if m.start < chosen.start {
                (m.end, chosen.start)
            } else {
                (chosen.end, m.start)
            };
            a <= b
                && s.tokens[a..b]
                    .iter()
                    .all(|t| t.is_punct(",") || t.lower == "and" || t.lower == "the")
        })
        .map(|m| &m.place)
        .collect();
    let mut group = list;
    group.push(&chosen.place);
    if group.len() >= 2 && group.iter().all(|p| p.level != PlaceLevel::Country) {
        // "in Amatrice and Accumoli": the towns, named together
        let mut ordered: Vec<&Mention> = s
            .places
            .iter()
            .filter(|m| group.iter().any(|p| std::ptr::eq(*p, &m.place)))
            .collect();
        ordered.sort_by_key(|m| m.start);
        // "the Moscow, Bryansk, Orel and Kursk regions": regions of a country, not towns
        let regions_follow = ordered.last().is_some_and(|m| {
            s.tokens[m.end..]
                .iter()
                .take_while(|t| t.is_capitalised() || t.is_punct(",") || t.lower == "and")
                .count()
                .checked_add(m.end)
                .and_then(|k| s.tokens.get(k))
                .is_some_and(|t| lex.region_nouns.contains(t.lower.as_str()))
        });
        let towns = !regions_follow
            && group
                .iter()
                .all(|p| matches!(p.level, PlaceLevel::City | PlaceLevel::Unknown));
        if towns {
            let names: Vec<&str> = ordered.iter().map(|m| m.place.name.as_str()).collect();
            let name = match names.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => chosen.place.name.clone(),
            };
            let together = PlaceRef {
                name,
                ..chosen.place.clone()
            };
            return Some((together, group.into_iter().cloned().collect()));
        }
        if let Some(country) = places::common_country(&group, &lex.gazetteer) {
            return Some((country, group.into_iter().cloned().collect()));
        }
    }
    Some((chosen.place.clone(), Vec::new()))
}

fn specific(p: &PlaceRef) -> u8 {
    match p.level {
        PlaceLevel::Country => 0,
        PlaceLevel::State => 1,
        PlaceLevel::Unknown => 2,
        PlaceLevel::Region => 3,
        PlaceLevel::City => 4,
    }
}

/// The clause of tokens `start..end`: back to the previous comma, semicolon or relative
/// word; on to the next comma.
fn clause_bounds(tokens: &[Token<'_>], start: usize, end: usize) -> (usize, usize) {
    let ends = |k: usize| {
        let t = &tokens[k];
        t.is_boundary()
            || matches!(t.lower.as_str(), "where" | "when")
            || (t.lower == "and" && !joins_places(tokens, k))
    };
    let mut s = start;
    while s > 0 && !ends(s - 1) {
        s -= 1;
    }
    let mut e = end.min(tokens.len());
    while e < tokens.len() && !ends(e) {
        e += 1;
    }
    (s, e)
}

/// True when the "and" at `k` joins two names or two prepositions of one place ("in
/// Amatrice and Accumoli", "in and around X"), not two clauses.
fn joins_places(tokens: &[Token<'_>], k: usize) -> bool {
    let (Some(prev), Some(next)) = (k.checked_sub(1).map(|p| &tokens[p]), tokens.get(k + 1)) else {
        return false;
    };
    let prepositions = |t: &Token<'_>| matches!(t.lower.as_str(), "in" | "at" | "around" | "near");
    (prepositions(prev) && prepositions(next))
        || (prev.is_capitalised()
            && prev.kind == crate::text::Kind::Word
            && next.is_capitalised()
            && next.kind == crate::text::Kind::Word)
}

/// What the previous sentence ended on: the time and place it left off at, and whether
/// that was another incident.
#[derive(Clone, Default)]
struct Tail {
    place: Option<PlaceRef>,
    time: Option<TimeRef>,
    elsewhere: bool,
}

fn starts_continuation(s: &Sentence<'_>, lex: &Lexicon) -> bool {
    let first = s
        .tokens
        .iter()
        .position(|t| !t.is_quote() && t.kind != crate::text::Kind::Punct);
    first.is_some_and(|f| lex.continuation.at(&s.tokens, f).is_some())
}

fn claims(
    sentences: &[Sentence<'_>],
    main: &EventFrame,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Vec<Claim> {
    let main_time = main.time;
    let mut out = Vec::new();
    let mut last_source: Option<String> = None;
    let mut tail = Tail::default();
    // the attribution of the counts of the sentence before, in the same block
    let mut previous_counts_source: Option<(usize, Vec<String>)> = None;
    for s in sentences {
        let continuation = starts_continuation(s, lex);
        let mut new_counts_source: Option<Vec<String>> = None;
        let resolve_sources = |covering: Vec<&Source>, last: &Option<String>| -> Vec<String> {
            covering
                .into_iter()
                .filter_map(|src| match (src.pronoun, last) {
                    (false, _) => Some(src.label()),
                    (true, Some(l)) => Some(l.clone()),
                    // "the ministry said" with no ministry named before: keep the words
                    (true, None) => (!PERSONAL_PRONOUNS
                        .contains(&src.name.to_lowercase().as_str()))
                    .then(|| src.label()),
                })
                .collect()
        };
        let differs_from_main = |time: Option<TimeRef>| -> bool {
            match (time, main_time) {
                (Some(t), Some(m)) => earlier(dates::resolve(t, published), m),
                (Some(TimeRef::Month { .. } | TimeRef::Year { .. }), None) => true,
                _ => false,
            }
        };
        // counts about other incidents: a weapon they count ("shot down 32 drones" in a
        // report of a strike) is not the main event's
        let mut other_counts: Vec<(usize, usize)> = Vec::new();
        for (k, c) in s.counts.iter().enumerate() {
            // the place after a list is every listed count's ("killed 20 children and six
            // adults at a school in Newtown"): the limit is the first count after the list
            let mut next = k + 1;
            while let (Some(a), Some(b)) = (s.counts.get(next - 1), s.counts.get(next))
                && a.end <= b.start
                && s.tokens[a.end..b.start]
                    .iter()
                    .all(|t| t.is_punct(",") || t.lower == "and")
            {
                next += 1;
            }
            let limit = s
                .counts
                .get(next)
                .map_or(s.tokens.len(), |n| n.start.max(c.end));
            let ctx = context(s, c.start, c.end, limit, main.place.as_ref(), lex);
            let mut place = ctx.place.clone();
            let mut time = ctx.time;
            let mut elsewhere = ctx.elsewhere || c.other;
            if continuation && tail.elsewhere {
                // "They left 39 dead": the sentence goes on about the other incident the
                // one before ended on
                if place.is_none() && time.is_none() {
                    elsewhere = true;
                }
                if place.is_none() && elsewhere {
                    place = tail.place.clone();
                }
                if time.is_none() {
                    time = tail.time;
                }
            }
            let fits = if ctx.listed.is_empty() {
                place.as_ref().and_then(|p| fits_main(p, main))
            } else {
                Some(ctx.listed.iter().any(|p| fits_main(p, main) == Some(true)))
            };
            // an earthquake or a flood strikes many places at once
            let wide = main
                .incident
                .as_ref()
                .is_some_and(|i| lex.wide_incidents.contains(i.as_str()));
            let anywhere = lex
                .measures
                .iter()
                .any(|m| m.name == c.fact.measure && m.anywhere);
            if fits == Some(false) && !wide && !anywhere {
                elsewhere = true;
            }
            if differs_from_main(time) {
                elsewhere = true;
            }
            let covering = attribution::source_of(&s.sources, c.start);
            let mut chain = resolve_sources(covering, &last_source);
            if chain.is_empty()
                && let Some(a) = s.block_attribution
            {
                chain.push(a.to_string());
            }
            // "At least 18 were killed, the Times reported. The dead included two children."
            if chain.is_empty()
                && !elsewhere
                && let Some((block, prev)) = &previous_counts_source
                && (*block == s.block || s.breakdown)
            {
                chain = prev.clone();
            }
            if !chain.is_empty() && !elsewhere {
                new_counts_source = Some(chain.clone());
            }
            let location = place.as_ref().map(|p| p.name.clone()).or_else(|| {
                (!elsewhere)
                    .then(|| main.place.as_ref().map(|p| p.name.clone()))
                    .flatten()
            });
            let incident = incident_near(s, c.start, lex)
                .map(|i| lex.incident_kind(&i).to_string())
                .or_else(|| {
                    let m = lex.measures.iter().find(|m| m.name == c.fact.measure);
                    m.and_then(|m| m.incident.clone())
                })
                .or_else(|| (!elsewhere).then(|| main.incident.clone()).flatten());
            let main_kind = main.incident.as_deref().map(|i| lex.incident_kind(i));
            if elsewhere
                || incident
                    .as_deref()
                    .is_some_and(|i| main_kind.is_some_and(|m| lex.incident_kind(i) != m))
            {
                other_counts.push((c.start, c.end));
            }
            let resolved = time.map(|t| dates::resolve(t, published));
            out.push(Claim {
                fact: Fact::Count(c.fact.clone()),
                quote: s.original.to_string(),
                attribution: chain.first().cloned(),
                attribution_chain: if chain.len() > 1 {
                    chain.clone()
                } else {
                    Vec::new()
                },
                location,
                when: match resolved {
                    Some(TimeRef::Date { date }) => Some(date),
                    _ => None,
                },
                background: elsewhere,
                incident,
                place,
                time: resolved,
                block: s.block as u32,
                sentence: s.index as u32,
            });
        }
        // weapons named for the main event
        let sentence_elsewhere = s
            .times
            .iter()
            .any(|t| s.shift_at(t.start).is_none() && differs_from_main(Some(t.time)));
        for w in &s.weapons {
            if sentence_elsewhere
                || context(s, w.start, w.start + 1, w.start + 1, None, lex).elsewhere
                || other_counts
                    .iter()
                    .any(|&(a, b)| a <= w.start && w.start < b)
            {
                continue;
            }
            let mut chain =
                resolve_sources(attribution::source_of(&s.sources, w.start), &last_source);
            if chain.is_empty()
                && let Some(a) = s.block_attribution
            {
                chain.push(a.to_string());
            }
            out.push(main_event_claim(
                Fact::Weapon(w.fact.clone()),
                s,
                chain,
                main,
                false,
            ));
        }
        // who blames whom
        let speaker = s
            .sources
            .iter()
            .find(|src| src.leading || src.scope.1 > 0)
            .and_then(|src| {
                if src.pronoun {
                    last_source.clone()
                } else {
                    Some(src.name.clone())
                }
            });
        for b in blames(&s.tokens, s.text, speaker.as_deref(), lex) {
            if is_trivial_blame(&b) {
                continue;
            }
            let chain = speaker.iter().cloned().collect();
            out.push(main_event_claim(
                Fact::Blame(b),
                s,
                chain,
                main,
                sentence_elsewhere,
            ));
        }
        // what the next sentence may continue
        if let Some(src) = s.sources.iter().rfind(|src| !src.pronoun) {
            last_source = Some(src.name.clone());
        }
        // "... risen to 225, X said. He gave the following breakdown:": the lines after a
        // colon keep the source of the counts before it
        let introduces = s.counts.is_empty() && s.tokens.last().is_some_and(|t| t.is_punct(":"));
        if !introduces || s.breakdown {
            previous_counts_source = new_counts_source.map(|c| (s.block, c));
        }
        tail = sentence_tail(s, main, lex, published, &tail, continuation);
    }
    out
}

/// A weapon or blame claim of a sentence: about the main event unless `background`, at
/// its place, with the sources in `chain` (nearest first).
fn main_event_claim(
    fact: Fact,
    s: &Sentence<'_>,
    chain: Vec<String>,
    main: &EventFrame,
    background: bool,
) -> Claim {
    Claim {
        fact,
        quote: s.original.to_string(),
        attribution: chain.first().cloned(),
        attribution_chain: if chain.len() > 1 { chain } else { Vec::new() },
        location: main.place.as_ref().map(|p| p.name.clone()),
        when: None,
        background,
        incident: main.incident.clone(),
        place: None,
        time: None,
        block: s.block as u32,
        sentence: s.index as u32,
    }
}

fn is_trivial_blame(b: &BlameFact) -> bool {
    b.accused.is_none() && !b.denial
}

fn incident_near(s: &Sentence<'_>, at: usize, lex: &Lexicon) -> Option<String> {
    let (cs, ce) = clause_around(&s.tokens, at, at + 1);
    (cs..ce).find_map(|i| lex.incidents.at(&s.tokens, i).map(|(_, name)| name.clone()))
}

fn sentence_tail(
    s: &Sentence<'_>,
    main: &EventFrame,
    lex: &Lexicon,
    published: Option<NaiveDate>,
    before: &Tail,
    continuation: bool,
) -> Tail {
    let last_time = s.times.iter().rfind(|t| s.shift_at(t.start).is_none());
    let last_place = s.places.iter().rfind(|m| m.role == Role::Location);
    if last_time.is_none() && last_place.is_none() {
        return if continuation {
            before.clone()
        } else {
            Tail::default()
        };
    }
    let at = last_time
        .map(|t| t.start)
        .max(last_place.map(|m| m.start))
        .unwrap_or(0);
    let ctx = context(s, at, at + 1, at + 1, main.place.as_ref(), lex);
    let time = last_time.map(|t| t.time);
    let place = last_place.map(|m| m.place.clone());
    let mut elsewhere = ctx.elsewhere;
    if let (Some(t), Some(m)) = (time, main.time)
        && earlier(dates::resolve(t, published), m)
    {
        elsewhere = true;
    }
    if let Some(p) = &place
        && fits_main(p, main) == Some(false)
    {
        elsewhere = true;
    }
    Tail {
        place,
        time,
        elsewhere,
    }
}
