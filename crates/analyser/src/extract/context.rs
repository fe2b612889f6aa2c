//! Where and when one figure of a sentence is: the place its clause names (or the nearest
//! before it), the time outside any shift, and whether the sentence puts it in another
//! incident.

use corpus::{PlaceLevel, PlaceRef, TimeRef};

use super::sentence::Sentence;
use crate::dates;
use crate::lexicon::Lexicon;
use crate::places::{self, Mention, Role};
use crate::text::Token;

/// The place and time a figure at tokens `start..end` of a sentence is about, as the
/// sentence says them, and whether the sentence puts it in another incident.
pub(super) struct Context {
    pub(super) place: Option<PlaceRef>,
    /// When the place stands for a list of places ("the Moscow, Bryansk and Kursk regions"),
    /// the places listed.
    pub(super) listed: Vec<PlaceRef>,
    pub(super) time: Option<TimeRef>,
    pub(super) elsewhere: bool,
}

/// `limit`: where the next figure of the sentence starts (a place after it is that one's).
pub(super) fn context(
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
pub(super) fn landmark(tokens: &[Token<'_>], start: usize, lex: &Lexicon) -> bool {
    start > 0
        && (lex
            .place_words
            .landmark
            .contains(tokens[start - 1].lower.as_str())
            || (tokens[start - 1].lower == "of"
                && start >= 2
                && lex
                    .compass_points
                    .contains(tokens[start - 2].lower.as_str())))
}

/// True when a place says where the hurt are treated ("taken to hospitals in Rieti"), not
/// where it happened.
pub(super) fn at_hospital(tokens: &[Token<'_>], m: &Mention, lex: &Lexicon) -> bool {
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
        && lex.place_words.at.contains(tokens[k - 1].lower.as_str())
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
    let clause = clause_bounds(&s.tokens, start, end, lex);
    // a figure about another incident takes its place from the words about that incident,
    // and a figure about the main event not from them
    let count_elsewhere = s.is_elsewhere(start);
    let usable = |m: &&Mention| usable_for_figure(s, m, count_elsewhere, in_scope, lex);
    let own_main = main_place.filter(|_| !count_elsewhere);
    let Some(chosen) = chosen_mention(s, start, clause, limit, own_main, &usable, lex) else {
        // "a suicide bombing in the city killed four": the city the article is about
        return main_place
            .filter(|p| {
                names_this_town(s, clause, limit, in_scope, lex) && p.level == PlaceLevel::City
            })
            .map(|p| (p.clone(), Vec::new()));
    };
    if let Some(main) = own_main
        && main.canonical != chosen.place.canonical
        && stands_for_main(s, chosen, main, lex)
    {
        return Some((main.clone(), Vec::new()));
    }
    Some(with_listed_places(s, chosen, lex))
}

/// True when a mention can give a figure its place: not an actor or an official's place
/// ("Hyderabad Commissioner X said"), not a hospital's, in the figure's scope and on the
/// same side of "another incident" as the figure.
fn usable_for_figure(
    s: &Sentence<'_>,
    m: &Mention,
    count_elsewhere: bool,
    in_scope: &dyn Fn(usize) -> bool,
    lex: &Lexicon,
) -> bool {
    let titled = s
        .tokens
        .get(m.end)
        .is_some_and(|t| t.is_capitalised() && lex.title_nouns.contains(t.lower.as_str()));
    m.role != Role::Actor
        && !titled
        && in_scope(m.start)
        && s.is_elsewhere(m.start) == count_elsewhere
        && !at_hospital(&s.tokens, m, lex)
}

/// The mention that places a figure: the best in its clause, else the main event's place or
/// the nearest place before the clause, else a place after it that no later figure owns.
fn chosen_mention<'s>(
    s: &'s Sentence<'_>,
    start: usize,
    (cs, ce): (usize, usize),
    limit: usize,
    main_place: Option<&PlaceRef>,
    usable: &dyn Fn(&&Mention) -> bool,
    lex: &Lexicon,
) -> Option<&'s Mention> {
    let best = s
        .places
        .iter()
        .filter(|m| m.start >= cs && m.start < ce)
        .filter(usable)
        .max_by(|a, b| {
            a.role
                .cmp(&b.role)
                .then(
                    a.place
                        .level
                        .specificity()
                        .cmp(&b.place.level.specificity()),
                )
                .then(b.start.abs_diff(start).cmp(&a.start.abs_diff(start)))
        });
    best.or_else(|| {
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
        // "A man died ... when a missile struck a home in the X region", but not the place
        // of a later figure ("12 in X and 10 in Y")
        let owned = |m: &Mention| {
            s.counts.iter().any(|c| {
                c.start > start
                    && c.end <= m.start
                    && s.tokens[c.end..m.start].iter().all(|t| {
                        lex.place_words.at.contains(t.lower.as_str())
                            || matches!(t.lower.as_str(), "the" | "of")
                    })
            })
        };
        s.places
            .iter()
            .filter(|m| m.start >= ce && m.start < limit && m.role == Role::Location && !owned(m))
            .find(usable)
    })
}

/// True when the figure's words say "in the city" ("a suicide bombing in the city").
fn names_this_town(
    s: &Sentence<'_>,
    (cs, ce): (usize, usize),
    limit: usize,
    in_scope: &dyn Fn(usize) -> bool,
    lex: &Lexicon,
) -> bool {
    (cs..limit.max(ce).min(s.tokens.len()).saturating_sub(2)).any(|k| {
        lex.place_words.local.contains(s.tokens[k].lower.as_str())
            && s.tokens[k + 1].lower == "the"
            && lex.this_place.contains(s.tokens[k + 2].lower.as_str())
            && in_scope(k)
    })
}

/// True when the chosen mention only points at the main event's place: a landmark in the
/// same country ("resorts near Athens", "30 km northwest of Dhaka"), a country's adjective
/// ("the deadliest attack on Turkish soil" in an article about Ankara) or its possessive
/// ("in Russia's second city").
fn stands_for_main(s: &Sentence<'_>, chosen: &Mention, main: &PlaceRef, lex: &Lexicon) -> bool {
    let landmark_nearby = landmark(&s.tokens, chosen.start, lex)
        && main.country.is_some()
        && main.country == chosen.place.country;
    let contains_main = places::within(main, &chosen.place)
        && (chosen.role == Role::Adjective
            || s.tokens.get(chosen.end).is_some_and(|t| t.lower == "'s"));
    landmark_nearby || contains_main
}

/// The chosen place with the places listed with it ("over the Moscow, Bryansk, Orel and
/// Kursk regions", "in Amatrice and Accumoli"): towns named together keep their names, a
/// list of regions stands for their country.
fn with_listed_places(
    s: &Sentence<'_>,
    chosen: &Mention,
    lex: &Lexicon,
) -> (PlaceRef, Vec<PlaceRef>) {
    let mut group: Vec<&PlaceRef> = s
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
    group.push(&chosen.place);
    if group.len() < 2 || group.iter().any(|p| p.level == PlaceLevel::Country) {
        return (chosen.place.clone(), Vec::new());
    }
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
    let listed = group.iter().map(|p| (*p).clone()).collect();
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
        return (together, listed);
    }
    match places::common_country(&group, &lex.gazetteer) {
        Some(country) => (country, listed),
        None => (chosen.place.clone(), Vec::new()),
    }
}

/// The clause of tokens `start..end`: back to the previous comma, semicolon or relative
/// word; on to the next comma.
fn clause_bounds(tokens: &[Token<'_>], start: usize, end: usize, lex: &Lexicon) -> (usize, usize) {
    let ends = |k: usize| {
        let t = &tokens[k];
        t.is_boundary()
            || matches!(t.lower.as_str(), "where" | "when")
            || (t.lower == "and" && !joins_places(tokens, k, lex))
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
fn joins_places(tokens: &[Token<'_>], k: usize, lex: &Lexicon) -> bool {
    let (Some(prev), Some(next)) = (k.checked_sub(1).map(|p| &tokens[p]), tokens.get(k + 1)) else {
        return false;
    };
    let prepositions = |t: &Token<'_>| lex.place_words.local.contains(t.lower.as_str());
    (prepositions(prev) && prepositions(next))
        || (prev.is_capitalised()
            && prev.kind == crate::text::Kind::Word
            && next.is_capitalised()
            && next.kind == crate::text::Kind::Word)
}
