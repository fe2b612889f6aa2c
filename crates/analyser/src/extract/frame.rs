//! The article's main event: where, when and what kind of incident, and how a figure's own
//! place and time relate to it.

use std::collections::HashMap;

use chrono::NaiveDate;

use corpus::{EventFrame, PlaceLevel, PlaceRef, TimeRef};

use super::LEAD_SENTENCES;
use super::context::{at_hospital, landmark};
use super::sentence::{Sentence, clause_around};
use crate::dates;
use crate::lexicon::Lexicon;
use crate::places::{self, Mention, Role};

/// The article's main event: the place it names most where things happen (weighted to
/// the lead), the first day the lead names, and the kind of incident the lead names most.
pub(super) fn main_frame(
    sentences: &[Sentence<'_>],
    lex: &Lexicon,
    published: Option<NaiveDate>,
    country: Option<&str>,
) -> EventFrame {
    let place = most_named_place(sentences, lex);
    let time = incident_time(sentences, lex).map(|t| dates::resolve(t, published));
    let incident = lead_incident(sentences, lex);
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

/// The place the article names most where things happen, weighted by the role of each
/// mention, the level of the place and the lead; the earlier named wins ties. When every
/// place is named for another incident, the lead's are taken: a follow-up whose lead names
/// only the incident it follows ("the death toll from last week's earthquake in X rose")
/// is about that incident.
fn most_named_place(sentences: &[Sentence<'_>], lex: &Lexicon) -> Option<PlaceRef> {
    best_place(sentences, lex, false)
        .or_else(|| best_place(&sentences[..sentences.len().min(LEAD_SENTENCES)], lex, true))
}

fn best_place(sentences: &[Sentence<'_>], lex: &Lexicon, followed_up: bool) -> Option<PlaceRef> {
    // score, the place, and where it is first named (sentence, token)
    let mut scores: HashMap<String, (f64, PlaceRef, (usize, usize))> = HashMap::new();
    for s in sentences {
        // the headline and the first sentence say where the news is
        let lead = match s.order {
            0 | 1 => 4.0,
            o if o < LEAD_SENTENCES => 2.0,
            _ => 1.0,
        };
        for m in &s.places {
            let skipped = if followed_up {
                dated_elsewhere(s, m) || s.shift_at(m.start).is_some_and(|sh| sh.days < 0)
            } else {
                about_another_incident(s, m, lex)
            };
            if skipped || filed_elsewhere(s, m, lex) {
                continue;
            }
            let e = scores.entry(m.place.canonical.clone()).or_insert((
                0.0,
                m.place.clone(),
                (s.order, m.start),
            ));
            e.0 += mention_weight(s, m, lex) * lead;
        }
    }
    scores
        .into_values()
        .filter(|(score, _, _)| *score > 0.0)
        .max_by(|a, b| a.0.total_cmp(&b.0).then(b.2.cmp(&a.2)))
        .map(|(_, p, _)| p)
}

/// True when a place is named for another incident ("the 2007 Virginia Tech massacre", a
/// day before, a dateline filed elsewhere).
fn about_another_incident(s: &Sentence<'_>, m: &Mention, lex: &Lexicon) -> bool {
    dated_elsewhere(s, m)
        || s.is_elsewhere(m.start)
        || s.shift_at(m.start).is_some_and(|sh| sh.days < 0)
        || filed_elsewhere(s, m, lex)
}

/// How much one mention says "it happened here": by its role and the place's level.
fn mention_weight(s: &Sentence<'_>, m: &Mention, lex: &Lexicon) -> f64 {
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
    role * level
}

/// The kind of incident the lead names most (the first named wins ties); when the lead
/// names only incidents of the past, the kind of those (a follow-up's "last week's floods").
fn lead_incident(sentences: &[Sentence<'_>], lex: &Lexicon) -> Option<String> {
    most_named_incident(sentences, lex, false).or_else(|| most_named_incident(sentences, lex, true))
}

fn most_named_incident(
    sentences: &[Sentence<'_>],
    lex: &Lexicon,
    followed_up: bool,
) -> Option<String> {
    let mut incidents: HashMap<&str, (usize, usize)> = HashMap::new();
    for s in sentences.iter().take(LEAD_SENTENCES) {
        for i in 0..s.tokens.len() {
            if let Some((_, name)) = lex.incidents.at(&s.tokens, i)
                && (followed_up || !s.is_elsewhere(i))
            {
                let e = incidents
                    .entry(name.as_str())
                    .or_insert((0, s.order * 1000 + i));
                e.0 += 1;
            }
        }
    }
    incidents
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(name, _)| lex.incident_kind(name).to_string())
}

/// True when a month or a year is named next to the place ("the 2007 Virginia Tech massacre").
fn dated_elsewhere(s: &Sentence<'_>, m: &Mention) -> bool {
    s.times.iter().any(|t| {
        matches!(t.time, TimeRef::Month { .. } | TimeRef::Year { .. })
            && t.start.abs_diff(m.start) <= 6
    })
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
pub(super) fn fits_main(place: &PlaceRef, main: &EventFrame) -> Option<bool> {
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
pub(super) fn earlier(a: TimeRef, b: TimeRef) -> bool {
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
