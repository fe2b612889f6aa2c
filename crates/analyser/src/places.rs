//! The place names of a sentence, found with the gazetteer, and the role each plays (where
//! something happened, or who acted).

use corpus::{PlaceLevel, PlaceRef};

pub use crate::gazetteer::{Entry, Gazetteer, common_country, within};
use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// What a place name does in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Acts or speaks ("Russia said", "Moscow's forces", "Russian officials", "by Kyiv").
    Actor,
    /// An adjective of a country before a noun of place ("a Polish border village").
    Adjective,
    /// Named without a preposition of place, or after a weak one ("of", "to").
    Weak,
    /// After a preposition of place ("in", "across", "near") or a noun of place ("the
    /// city of X"): where something happened.
    Location,
}

/// A place named in a sentence.
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub place: PlaceRef,
    pub role: Role,
    /// The dateline's town: where the story was filed, which may not be where it happened.
    pub dateline: bool,
    /// A wire dateline with no state or country ("MINSK (Reuters) -", "MOSCOW, April 14
    /// (Reuters) -"): often the agency's bureau rather than the place of the news.
    pub bureau: bool,
}

const CONNECTORS: &[&str] = &[
    "of", "and", "de", "del", "la", "le", "el", "al", "du", "des", "upon", "on", "the", "di", "da",
    "do", "dos", "das", "della", "delle", "dei", "sul", "sulla", "sur", "am", "im", "bei",
];

/// Words inside one place name of several words ("Pescara del Tronto"), as opposed to words
/// that may join a name to what follows ("Boston on Monday").
const NAME_JOINERS: &[&str] = &[
    "de", "del", "la", "le", "el", "al", "du", "des", "upon", "di", "da", "do", "dos", "das",
    "della", "delle", "dei", "sul", "sulla", "sur", "am", "im", "bei",
];

/// A dateline opening a sentence: a town in capitals before a dash ("SUTHERLAND SPRINGS —"),
/// before its state or country ("SUTHERLAND SPRINGS, Texas (AP)", "KAIKOURA, New Zealand",
/// "SAN BERNARDINO, Calif. (AP)"), before an agency or a day and a dash ("MINSK (Reuters) -",
/// "MOSCOW, April 14 (Reuters) -"), or a known town before a colon ("SEHWAN SHARIF: The death
/// toll ..."). The town is where the story was filed, known to the gazetteer or not; its state
/// or country, when named, gives an unknown town its country.
fn dateline(tokens: &[Token<'_>], lex: &Lexicon) -> Option<Mention> {
    let g = &lex.gazetteer;
    let i = tokens.iter().position(|t| t.kind != Kind::Punct)?;
    let capitals = |t: &Token<'_>| {
        t.kind == Kind::Word
            && t.text.chars().count() >= 2
            && t.text.chars().all(|c| !c.is_lowercase())
            && t.text.chars().any(char::is_uppercase)
    };
    let run = tokens[i..].iter().take_while(|t| capitals(t)).count();
    if run == 0 || run > 4 {
        return None;
    }
    // "SANTIAGO DE COMPOSTELA" is "Santiago de Compostela"
    let words: Vec<String> = tokens[i..i + run]
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let lower = t.text.to_lowercase();
            if n > 0 && NAME_JOINERS.contains(&lower.as_str()) {
                return lower;
            }
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect();
    let name = words.join(" ");
    let after = tokens.get(i + run)?;
    // what may stand between the town and the dash: its state or country, or the day
    let mut k = i + run;
    let mut regions: Vec<&Entry> = Vec::new();
    let mut dated = false;
    if after.is_punct(",") {
        if let Some((rn, found)) = region_at(tokens, k + 1, g) {
            regions = found;
            k += 1 + rn;
        } else if let Some(state) = tokens
            .get(k + 1)
            .and_then(|t| lex.file.places.dateline_states.get(t.text))
            .and_then(|name| {
                g.all(name)
                    .into_iter()
                    .find(|e| e.level == PlaceLevel::State)
            })
        {
            regions = vec![state];
            k += 2;
            if tokens.get(k).is_some_and(|t| t.is_punct(".")) {
                k += 1;
            }
        } else if tokens
            .get(k + 1)
            .is_some_and(|t| lex.months.contains_key(t.lower.as_str()))
            && tokens.get(k + 2).is_some_and(|t| t.kind == Kind::Number)
        {
            dated = true;
            k += 3;
        }
    }
    let region_end = k;
    // "(Reuters)", "(AP)"
    let agency = tokens.get(k).is_some_and(|t| t.is_punct("("))
        && tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == Kind::Word && t.is_capitalised())
        && tokens.get(k + 2).is_some_and(|t| t.is_punct(")"));
    if agency {
        k += 3;
    }
    let region = regions.first().copied();
    let dash = tokens
        .get(k)
        .is_some_and(|t| matches!(t.text, "—" | "–" | "-"));
    // the longest known name the capitals start with ("SEHWAN SHARIF" is Sehwan)
    let known = (1..=run)
        .rev()
        .find_map(|n| g.get(&words[..n].join(" ")))
        .filter(|e| e.level != PlaceLevel::Country && e.level != PlaceLevel::State);
    let colon = k == i + run && after.is_punct(":");
    if !((region.is_some() && !dated) || dash || colon)
        || lex.not_places.contains(tokens[i].lower.as_str())
    {
        return None;
    }
    let place = match known {
        Some(e) if regions.is_empty() || regions.iter().any(|r| r.country == e.country) => {
            g.place_ref(name, e)
        }
        // unknown capitals before a colon are as likely a headline's words ("CHURCH OF HORROR:")
        _ if colon => return None,
        _ => PlaceRef {
            canonical: name.clone(),
            name,
            level: PlaceLevel::Unknown,
            country: region.map(|r| r.country.clone()),
            admin1: region
                .filter(|r| r.level == PlaceLevel::State)
                .map(|r| r.admin1.clone()),
        },
    };
    // "SUTHERLAND SPRINGS, Texas": one place, not a list of two
    Some(Mention {
        start: i,
        end: region_end,
        place,
        role: Role::Location,
        dateline: true,
        bureau: agency && regions.is_empty(),
    })
}

/// The state or country named at `i` (its longest name, "New York" before "New"): its
/// length in tokens and the states and countries of that name.
fn region_at<'g>(
    tokens: &[Token<'_>],
    i: usize,
    g: &'g Gazetteer,
) -> Option<(usize, Vec<&'g Entry>)> {
    let first = tokens.get(i)?;
    if !first.is_capitalised() || first.kind != Kind::Word {
        return None;
    }
    let mut name = String::new();
    let mut found = None;
    for n in 1..=g.max_words.max(1) {
        let Some(w) = tokens.get(i + n - 1) else {
            break;
        };
        if w.kind != Kind::Word {
            break;
        }
        if n > 1 {
            name.push(' ');
        }
        name.push_str(w.text);
        let regions: Vec<&Entry> = g
            .all(&name)
            .into_iter()
            .filter(|e| matches!(e.level, PlaceLevel::Country | PlaceLevel::State))
            .collect();
        if !regions.is_empty() {
            found = Some((n, regions));
        }
    }
    found
}

pub fn mentions(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<Mention> {
    let g = &lex.gazetteer;
    let mut out: Vec<Mention> = Vec::new();
    let mut i = 0;
    if let Some(m) = dateline(tokens, lex) {
        i = m.end;
        out.push(m);
    }
    while i < tokens.len() {
        let t = &tokens[i];
        if t.kind != Kind::Word || t.lower == "'s" {
            i += 1;
            continue;
        }
        let prev = previous_word(tokens, i);
        // "in Mirandola and Cavezzo", "in Amatrice, Accumoli and Arquata": a name listed
        // after a place where something happened is such a place too
        let listed = i > 0
            && (tokens[i - 1].lower == "and" || tokens[i - 1].is_punct(","))
            && out
                .last()
                .is_some_and(|m| m.end + 1 == i && m.role == Role::Location);
        let after_settlement = prev.is_some_and(|p| {
            lex.settlement_nouns.contains(tokens[p].lower.as_str())
                || (tokens[p].lower == "of"
                    && previous_word(tokens, p)
                        .is_some_and(|q| lex.settlement_nouns.contains(tokens[q].lower.as_str())))
        });
        if !t.is_capitalised() {
            // "the capital kyiv": a known name in lower case after a noun of place
            if after_settlement
                && let Some(name) = g.by_lower.get(t.lower.as_str())
                && let Some(entry) = g.get(name)
                && entry.level != PlaceLevel::Country
            {
                out.push(Mention {
                    start: i,
                    end: i + 1,
                    place: g.place_ref(t.text.to_string(), entry),
                    role: Role::Location,
                    dateline: false,
                    bureau: false,
                });
            }
            i += 1;
            continue;
        }
        // the longest known name starting here
        let mut found: Option<(usize, &Entry)> = None;
        let mut n = 0;
        let mut name = String::new();
        let limit = if g.first_words.contains(t.text) {
            g.max_words.max(1)
        } else {
            1
        };
        while n < limit && i + n < tokens.len() {
            let w = &tokens[i + n];
            if w.kind != Kind::Word || w.lower == "'s" {
                break;
            }
            let connector = CONNECTORS.contains(&w.lower.as_str());
            if n > 0 && !w.is_capitalised() && !connector {
                break;
            }
            if n > 0 {
                name.push(' ');
            }
            name.push_str(w.text);
            n += 1;
            if !connector
                && let Some(e) = g.get(&name)
                && !(n == 1 && lex.not_places.contains(w.lower.as_str()))
                && !lex.months.contains_key(w.lower.as_str())
            {
                found = Some((n, e));
            }
        }
        // a small city's name is often a word or a name too ("Federal", "Most"): take it
        // for a place only where a place is expected
        let first_word = tokens[..i].iter().all(|t| t.kind == Kind::Punct);
        let found = found.filter(|(n, e)| {
            if *n > 1 || e.level != PlaceLevel::City {
                return true;
            }
            let strong_prep = prev.is_some_and(|p| {
                p + 1 == i
                    && lex.place_prepositions.contains(tokens[p].lower.as_str())
                    && !lex.weak_prepositions.contains(tokens[p].lower.as_str())
            }) || prev.is_some_and(|p| {
                lex.place_prepositions.contains(tokens[p].lower.as_str()) && p + 2 == i
            });
            let noun_after = tokens.get(i + 1).is_some_and(|t| {
                lex.region_nouns.contains(t.lower.as_str())
                    || lex.settlement_nouns.contains(t.lower.as_str())
            });
            let country_after = tokens.get(i + 1).is_some_and(|t| t.is_punct(","))
                && tokens
                    .get(i + 2)
                    .and_then(|t| g.get(t.text))
                    .is_some_and(|c| matches!(c.level, PlaceLevel::Country | PlaceLevel::State));
            let context = strong_prep || after_settlement || noun_after || country_after;
            let big = lex.file.places.small_city;
            context || (e.population >= big && !first_word) || e.population >= big * 5
        });
        // "San Felice sul Panaro" is not the city "San", nor "Pescara del Tronto" Pescara:
        // a name that goes on past a joining word is another place; and a small city's
        // name that starts an institution's ("Sandy Hook Elementary School") is not a place
        let found = found.filter(|(n, e)| {
            let run = capitalised_run(tokens, i, lex);
            if e.level != PlaceLevel::City || run <= *n {
                return true;
            }
            let joined = tokens[i + n..i + run]
                .iter()
                .any(|t| NAME_JOINERS.contains(&t.lower.as_str()));
            let institution = e.population < lex.file.places.small_city
                && lex
                    .not_place_heads
                    .contains(tokens[i + run - 1].lower.as_str());
            !joined && !institution
        });
        // "the Canterbury District Health Board said": a place opening an organisation's
        // name says who speaks, not where
        if let Some((n, e)) = found {
            let run = capitalised_run(tokens, i, lex);
            if run > n
                && run <= n + 4
                && lex
                    .organisation_heads
                    .contains(tokens[i + run - 1].lower.as_str())
            {
                out.push(Mention {
                    start: i,
                    end: i + run,
                    place: g.place_ref(joined(tokens, i, i + n), e),
                    role: Role::Actor,
                    dateline: false,
                    bureau: false,
                });
                i += run;
                continue;
            }
        }
        let mut place: Option<(usize, PlaceRef)> =
            found.map(|(n, e)| (n, g.place_ref(joined(tokens, i, i + n), e)));
        if place.is_none()
            && let Some(iso) = g.demonym(t.text)
            && let Some(mut country) = g.country_ref(iso)
        {
            country.name = t.text.to_string();
            let next = tokens.get(i + 1).map(|t| t.lower.as_str());
            let after_next = tokens.get(i + 2).map(|t| t.lower.as_str());
            let role = if next.is_some_and(|w| lex.location_nouns.contains(w))
                || (next == Some("border")
                    && after_next.is_some_and(|w| lex.location_nouns.contains(w)))
            {
                Role::Adjective
            } else {
                Role::Actor
            };
            // the adjective stands for the country it names
            if let Some(name) = g.country_name(iso) {
                country.name = name.to_string();
            }
            out.push(Mention {
                start: i,
                end: i + 1,
                place: country,
                role,
                dateline: false,
                bureau: false,
            });
            i += 1;
            continue;
        }
        if place.is_none() {
            // an unknown name after a preposition or a noun of place: "in Urazovo"
            let after_prep = prev.is_some_and(|p| {
                lex.place_prepositions.contains(tokens[p].lower.as_str())
                    && !lex.weak_prepositions.contains(tokens[p].lower.as_str())
            });
            // "in Amatrice and Accumoli" names two places
            let len = name_run(tokens, i, lex);
            // "the Karrada district", "the Shaab neighborhood", "the Khyber tribal area"
            let noun_of_place = |w: &Token<'_>| {
                lex.region_nouns.contains(w.lower.as_str())
                    || lex.settlement_nouns.contains(w.lower.as_str())
            };
            let before_region = tokens.get(i + len).is_some_and(noun_of_place)
                || (tokens
                    .get(i + len)
                    .is_some_and(|w| w.kind == Kind::Word && !w.is_capitalised())
                    && tokens.get(i + len + 1).is_some_and(noun_of_place));
            // "in a Shiite area", "in Yazidi villages": a word describing a place; "at
            // Ataturk airport": the name of a building
            let describes = i > 0 && matches!(tokens[i - 1].lower.as_str(), "a" | "an")
                || tokens.get(i + len).is_some_and(|w| {
                    (w.lower.ends_with('s') && lex.location_nouns.contains(w.lower.as_str()))
                        || lex.not_place_heads.contains(w.lower.as_str())
                });
            let head = tokens[i + len - 1].lower.as_str();
            let plausible = !describes
                && !lex.not_places.contains(t.lower.as_str())
                && !lex.not_place_heads.contains(head)
                && !lex.months.contains_key(t.lower.as_str())
                && !lex.weekdays.contains_key(t.lower.as_str())
                && i > 0
                && (prev.is_some_and(|p| p + 1 == i)
                    || (before_region && matches!(tokens[i - 1].lower.as_str(), "the" | "'s")));
            if plausible && (after_prep || after_settlement || before_region || listed) && len <= 5
            {
                let written = joined(tokens, i, i + len);
                place = Some((
                    len,
                    PlaceRef {
                        canonical: written.clone(),
                        name: written,
                        level: PlaceLevel::Unknown,
                        country: None,
                        admin1: None,
                    },
                ));
            }
        }
        let Some((n, mut place)) = place else {
            // past the capitalised words of a name that is not a place, but not past a
            // place after it ("Blast on Boston metro")
            // ("In Pedernales, ...": a capitalised preposition opens a sentence)
            let opener = lex.place_prepositions.contains(t.lower.as_str())
                || matches!(t.lower.as_str(), "the" | "a" | "an");
            i += if opener {
                1
            } else {
                tokens[i..]
                    .iter()
                    .take_while(|t| t.kind == Kind::Word && t.is_capitalised() && t.lower != "'s")
                    .count()
                    .max(1)
            };
            continue;
        };
        let mut end = i + n;
        // "X region", "the X oblast": the region of that name
        // ("the Texas Department of Public Safety" is an office, not a region)
        let office = tokens.get(end).is_some_and(Token::is_capitalised)
            && tokens.get(end + 1).is_some_and(|t| t.lower == "of")
            && tokens.get(end + 2).is_some_and(Token::is_capitalised);
        if let Some(noun) = tokens.get(end)
            && lex.region_nouns.contains(noun.lower.as_str())
            && place.level != PlaceLevel::Country
            && !office
        {
            place = region_of(place, noun.text);
            end += 1;
            // "the Moscow, Bryansk and Kursk regions": each earlier name is a region too
            if noun.lower.ends_with('s') {
                for m in out.iter_mut().rev() {
                    if m.end + 2 < i && !list_link(tokens, m.end, i) {
                        break;
                    }
                    if m.place.level != PlaceLevel::Region && m.place.level != PlaceLevel::Country {
                        m.place = region_of(m.place.clone(), "region");
                    }
                }
            }
        } else if let Some(noun) = tokens.get(end)
            && lex.settlement_nouns.contains(noun.lower.as_str())
            && place.level == PlaceLevel::City
        {
            end += 1; // "Belgorod city"
        }
        // "Orlando, Florida", "Buffalo, New York", "Belgorod, Russia": one place, told more
        // precisely; an unknown town ("Newtown, Connecticut") takes the state's country
        if tokens.get(end).is_some_and(|t| t.is_punct(","))
            && let Some((rn, outers)) = region_at(tokens, end + 1, g)
        {
            let inside = |e: &Entry, outer: &Entry| {
                e.country == outer.country
                    && (outer.level == PlaceLevel::Country || e.admin1 == outer.admin1)
            };
            if place.level == PlaceLevel::Unknown && place.country.is_none() {
                let outer = outers[0];
                place.country = Some(outer.country.clone());
                if outer.level == PlaceLevel::State {
                    place.admin1 = Some(outer.admin1.clone());
                }
                end += 1 + rn;
            } else if place.level == PlaceLevel::City {
                // the place of this name in that state or country ("Athens, Georgia")
                let written = joined(tokens, i, i + n);
                let pick = g
                    .all(&written)
                    .into_iter()
                    .find(|e| e.level == PlaceLevel::City && outers.iter().any(|o| inside(e, o)));
                if let Some(e) = pick {
                    place = g.place_ref(place.name.clone(), e);
                    end += 1 + rn;
                }
            }
        }
        let mut role = role_of(tokens, i, end, prev, after_settlement, lex);
        // "the bombing of the Minsk metro", "the attack on Paris": where the incident was (a
        // country after it is the target: "Moscow's bombardment of Ukraine")
        if role == Role::Weak
            && !matches!(place.level, PlaceLevel::Country | PlaceLevel::State)
            && let Some(p) = prev.filter(|&p| p + 2 >= i)
            && matches!(tokens[p].lower.as_str(), "of" | "on")
            && (p.saturating_sub(3)..p)
                .any(|j| lex.incidents.at(tokens, j).is_some_and(|(n, _)| j + n == p))
        {
            role = Role::Location;
        }
        // ("Newtown, Connecticut": the state says where the town is, it is not listed)
        if listed
            && role == Role::Weak
            && !matches!(place.level, PlaceLevel::State | PlaceLevel::Country)
        {
            role = Role::Location;
        }
        out.push(Mention {
            start: i,
            end,
            place,
            role,
            dateline: false,
            bureau: false,
        });
        i = end;
    }
    out
}

/// True when only list punctuation and "and" stand between `from` and `to`.
fn list_link(tokens: &[Token<'_>], from: usize, to: usize) -> bool {
    tokens[from..to]
        .iter()
        .all(|t| t.is_punct(",") || t.lower == "and" || t.lower == "the")
}

fn region_of(place: PlaceRef, noun: &str) -> PlaceRef {
    let noun = noun.to_lowercase();
    let noun = noun.trim_end_matches('s');
    let level = if place.level == PlaceLevel::Unknown {
        PlaceLevel::Unknown
    } else {
        PlaceLevel::Region
    };
    PlaceRef {
        name: format!("{} {noun}", place.name),
        canonical: format!("{} {noun}", place.canonical),
        level,
        ..place
    }
}

fn joined(tokens: &[Token<'_>], from: usize, to: usize) -> String {
    let mut s = String::new();
    for t in &tokens[from..to] {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(t.text);
    }
    s
}

/// The words of one unknown name at `i`: a capitalised run that does not go on past "and".
fn name_run(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> usize {
    let run = capitalised_run(tokens, i, lex);
    tokens[i..i + run]
        .iter()
        .skip(1)
        .position(|t| t.lower == "and")
        .map_or(run, |k| k + 1)
}

fn capitalised_run(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> usize {
    let mut n = 0;
    while let Some(t) = tokens.get(i + n) {
        // "Stratford upon Avon", but not "Sutherland Springs on Sunday"
        let connector = n > 0
            && CONNECTORS.contains(&t.lower.as_str())
            && tokens.get(i + n + 1).is_some_and(|w| {
                w.is_capitalised()
                    && !lex.weekdays.contains_key(w.lower.as_str())
                    && !lex.months.contains_key(w.lower.as_str())
            });
        if t.kind == Kind::Word && t.lower != "'s" && (t.is_capitalised() || connector) {
            n += 1;
        } else {
            break;
        }
    }
    n
}

/// The index of the word before `i`, skipping "the".
fn previous_word(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let mut j = i.checked_sub(1)?;
    while tokens[j].lower == "the" || tokens[j].is_punct("'") {
        j = j.checked_sub(1)?;
    }
    (tokens[j].kind == Kind::Word).then_some(j)
}

fn role_of(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    prev: Option<usize>,
    after_settlement: bool,
    lex: &Lexicon,
) -> Role {
    let next = tokens.get(end);
    if next.is_some_and(|t| t.lower == "'s") {
        // "in Russia's second city", "at Moscow's Domodedovo airport": a place within it;
        // "Moscow's forces": it acts
        let place_follows = (end + 1..(end + 4).min(tokens.len()))
            .take_while(|&k| tokens[k].kind == Kind::Word)
            .any(|k| lex.location_nouns.contains(tokens[k].lower.as_str()));
        if !place_follows {
            return Role::Actor;
        }
        let strong = prev.is_some_and(|p| {
            p + 2 >= start
                && lex.place_prepositions.contains(tokens[p].lower.as_str())
                && !lex.weak_prepositions.contains(tokens[p].lower.as_str())
        });
        return if strong { Role::Location } else { Role::Weak };
    }
    if let Some(p) = prev
        && p + 2 >= start
    {
        let w = tokens[p].lower.as_str();
        if lex.not_location.contains(w) {
            return Role::Actor;
        }
        if after_settlement {
            return Role::Location;
        }
        if lex.place_prepositions.contains(w) {
            return if lex.weak_prepositions.contains(w) {
                Role::Weak
            } else {
                Role::Location
            };
        }
    }
    // "accusing Ukraine of": the one accused
    if let Some(p) = prev
        && (lex.accuse.contains_word(tokens[p].lower.as_str())
            || lex.deny.contains_word(tokens[p].lower.as_str()))
    {
        return Role::Actor;
    }
    // "the Belgorod attack", "the Brussels attacks": a place naming an incident
    if lex.incidents.at(tokens, end).is_some() {
        return Role::Location;
    }
    if let Some(n) = next {
        // "Russia said", "Ukraine responded": a place opening a clause before a verb acts
        let opens_clause =
            start == 0 || tokens[start - 1].is_boundary() || tokens[start - 1].is_quote();
        if lex.reporting_verbs.contains(n.lower.as_str())
            || lex.actor_verbs.contains(n.lower.as_str())
            || (opens_clause
                && n.kind == Kind::Word
                && !n.is_capitalised()
                && n.lower.ends_with("ed"))
            // a headline's verb: "Turkey detains 13", "Pakistan mourns" (not "Italy floods")
            || (opens_clause
                && n.kind == Kind::Word
                && !n.is_capitalised()
                && n.lower.ends_with('s')
                && !n.lower.ends_with("ss")
                && lex.incidents.at(tokens, end).is_none()
                && lex.measure_words.at(tokens, end).is_none()
                && !lex.location_nouns.contains(n.lower.as_str()))
        {
            return Role::Actor;
        }
        // "the Belgorod attack": a place naming an incident
        if lex.incidents.at(tokens, end).is_some() {
            return Role::Location;
        }
        if lex.actor_nouns.contains(n.lower.as_str()) {
            return Role::Actor;
        }
    }
    Role::Weak
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn found(s: &str) -> Vec<(String, Role)> {
        let lex = Lexicon::shared();
        let tokens = tokenize(s);
        mentions(&tokens, lex)
            .into_iter()
            .map(|m| (m.place.name, m.role))
            .collect()
    }

    #[test]
    fn places_and_their_roles() {
        assert_eq!(
            found(
                "Russian officials said the strike hit the village of Urazovo in the Belgorod region."
            ),
            [
                ("Russia".to_string(), Role::Actor),
                ("Urazovo".to_string(), Role::Location),
                ("Belgorod region".to_string(), Role::Location)
            ]
        );
        assert_eq!(
            found("Moscow's bombardment of Ukraine killed two people in a Polish border village."),
            [
                ("Moscow".to_string(), Role::Actor),
                ("Ukraine".to_string(), Role::Weak),
                ("Poland".to_string(), Role::Adjective)
            ]
        );
        // a town and its state are one place: the state tells which town, and gives an
        // unknown town its country
        assert_eq!(
            found("Police said a gunman opened fire in Newtown, Connecticut."),
            [("Newtown".to_string(), Role::Location)]
        );
    }

    fn country_of(s: &str) -> Vec<(String, Option<String>)> {
        let lex = Lexicon::shared();
        let tokens = tokenize(s);
        mentions(&tokens, lex)
            .into_iter()
            .map(|m| (m.place.name, m.place.country))
            .collect()
    }

    #[test]
    fn the_state_named_with_a_town_picks_the_town() {
        assert_eq!(
            country_of("A storm hit Athens, Georgia."),
            [("Athens".to_string(), Some("US".to_string()))]
        );
        assert_eq!(
            country_of("Protesters marched in Athens."),
            [("Athens".to_string(), Some("GR".to_string()))]
        );
        assert_eq!(
            country_of("A gunman killed 10 people in Buffalo, New York."),
            [("Buffalo".to_string(), Some("US".to_string()))]
        );
        assert_eq!(
            country_of("It happened in Newtown, Connecticut."),
            [("Newtown".to_string(), Some("US".to_string()))]
        );
    }
}
