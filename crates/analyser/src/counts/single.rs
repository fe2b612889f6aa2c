//! One person named without a number is a count of one when a measure states what
//! happened to them: "a man died", "the victim was pronounced dead", "he was arrested",
//! "John Smith, 24, was shot and killed", "Man arrested after chase", "police arrested a
//! man", "killing him", "one soldier was killed and another wounded".

use corpus::{PlaceLevel, Qualifier};

use super::measure::{past_apposition, single_readings};
use super::subject::subject_at;
use super::{Candidate, Subject, follows_subset_word};
use crate::lexicon::{Lexicon, form};
use crate::numbers::{Number, age_of};
use crate::text::{Kind, Token};
use rustc_hash::FxHashSet as HashSet;

/// How a single person is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Single {
    /// "a man", "the victim", "his wife", "Smith's brother".
    Determined,
    /// "he", "she".
    Pronoun,
    /// "him", "her" after a verb.
    Object,
    /// "John Smith", "Officer Charles Smith".
    Name,
    /// "Man arrested after chase": a noun without a determiner at the start of a headline.
    Bare,
    /// "another" standing for a noun said before ("one man was killed and another injured").
    Another,
}

/// The single people a sentence names where no count stands, each kept when a measure may
/// state what happened to them or a list may give them one ("a man and a woman were found
/// dead").
pub(super) fn singles(tokens: &[Token<'_>], cands: &[Candidate], lex: &Lexicon) -> Vec<Candidate> {
    let w = &lex.wording;
    let mut out: Vec<Candidate> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let covered = cands
            .iter()
            .any(|c| c.start <= i && i < c.np_end.max(c.number.end));
        let found = (!covered)
            .then(|| mention(tokens, i, &out, lex))
            .flatten()
            .filter(|&(_, end, _)| !many(tokens, i, end, lex));
        let Some((kind, end, subject)) = found else {
            i += 1;
            continue;
        };
        // ("dismissed reports that a suspect was in custody": no fact)
        if (0..i).any(|k| lex.deny.at(tokens, k).is_some()) {
            break;
        }
        // ("investigators believe Jalilov died": a belief)
        if (i.saturating_sub(3)..i).any(|k| w.hedges.contains(tokens[k].lower.as_str())) {
            i = end;
            continue;
        }
        let thing = subject.kind.as_deref() != Some("person");
        let (right, left) = single_readings(tokens, i, end, kind, thing, lex);

        let listed = tokens
            .get(end)
            .is_some_and(|t| t.is_punct(",") || lex.conjunctions.contains(t.lower.as_str()));
        // (a person a pronoun after them may say more of: "The victim was taken to a
        // hospital, where he later died")
        let referred = matches!(kind, Single::Determined | Single::Name | Single::Bare)
            && tokens[end..].iter().any(|t| {
                w.pronouns.contains(t.lower.as_str()) || w.objects.contains(t.lower.as_str())
            });
        // (a thing is one only with its own measure: "at the airport and 20 at the metro")
        let waits = !thing && (referred || (listed && kind != Single::Pronoun));
        if right.is_some() || left.is_some() || waits {
            let mut found = single_candidate(tokens, i, end, kind, subject, lex);
            // ("found 37-year-old Tammy Modlin and 16-year-old Montana Modlin dead": the
            // age before a name is the person's)
            if kind == Single::Name && i > 0 && age_of(&tokens[i - 1].lower, lex).is_some() {
                found.start = i - 1;
            }
            out.push(found);
            // (no one else in a clause between the person and their verb: "the man who
            // helped stop the gunman is now in custody")
            i = right.map_or(end, |(_, pos)| pos.max(end));
        } else {
            i += 1;
        }
    }
    out
}

/// True when a plural verb follows a name or a noun that is not the last of a list
/// ("Funerals were held"): many, not one.
fn many(tokens: &[Token<'_>], i: usize, end: usize, lex: &Lexicon) -> bool {
    let plural = tokens
        .get(end)
        .is_some_and(|t| lex.wording.plural_verbs.contains(t.lower.as_str()));
    let listed = i > 0 && lex.conjunctions.contains(tokens[i - 1].lower.as_str());
    plural && !listed
}

fn single_candidate(
    tokens: &[Token<'_>],
    i: usize,
    end: usize,
    kind: Single,
    subject: Subject,
    lex: &Lexicon,
) -> Candidate {
    Candidate {
        number: Number {
            start: i,
            end,
            value: Some(1),
            age: None,
            plus: false,
        },
        start: i,
        qualifier: Qualifier::Exact,
        subject: Some(subject),
        anaphoric: false,
        np_end: end,
        measure: None,
        measure_after: false,
        measure_at: 0,
        subset_of: None,
        joined_to: None,
        own_place: false,
        link_end: end,
        in_subset: follows_subset_word(tokens, i, lex),
        single: Some(kind),
    }
}

/// The single person named at `i`: how, where the words naming them end, and the subject.
fn mention(
    tokens: &[Token<'_>],
    i: usize,
    before: &[Candidate],
    lex: &Lexicon,
) -> Option<(Single, usize, Subject)> {
    let w = &lex.wording;
    let word = tokens[i].lower.as_str();
    if w.determiners.contains(word)
        && let Some(found) = determined(tokens, i, lex)
    {
        return Some(found);
    }
    if let Some(found) = one_of(tokens, i, lex) {
        return Some(found);
    }
    if w.pronouns.contains(word) {
        return Some((Single::Pronoun, i + 1, people()));
    }
    // ("killing her", but not "murdered her second family")
    let noun_after = w.determiners.contains(word)
        && tokens.get(i + 1).is_some_and(|t| {
            t.kind == Kind::Word
                && !lex.place_prepositions.contains(t.lower.as_str())
                && !lex.conjunctions.contains(t.lower.as_str())
                && !w.after_object.contains(t.lower.as_str())
        });
    if w.objects.contains(word) && !noun_after {
        return Some((Single::Object, i + 1, people()));
    }
    if !shouting(tokens)
        && let Some(end) = name_run(tokens, i, lex)
    {
        return named(tokens, i, end, lex);
    }
    if bare_allowed(tokens, i, before)
        && let Some((end, subject)) = one_person_noun(tokens, i, lex)
    {
        return Some((Single::Bare, described(tokens, end, lex), subject));
    }
    None
}

/// One person or thing after a determiner at `i`: "the victim", "a third victim", "a
/// rocket", "another".
fn determined(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(Single, usize, Subject)> {
    let w = &lex.wording;
    let word = tokens[i].lower.as_str();
    // ("a third victim")
    let ordinal = w.indefinite.contains(word)
        && tokens
            .get(i + 1)
            .is_some_and(|t| w.ordinals.contains(t.lower.as_str()));
    let noun_at = if ordinal { i + 2 } else { i + 1 };
    // ("the third person killed": one counted before)
    let counted_before = !ordinal
        && tokens
            .get(i + 1)
            .is_some_and(|t| w.ordinals.contains(t.lower.as_str()));
    if !counted_before && let Some((end, subject)) = one_person_noun(tokens, noun_at, lex) {
        return Some((Single::Determined, described(tokens, end, lex), subject));
    }
    // "a rocket was launched", "the building was damaged"
    if w.thing_determiners.contains(word)
        && let Some((end, subject)) = one_thing(tokens, i + 1, lex)
    {
        return Some((Single::Determined, end, subject));
    }
    w.another
        .contains(word)
        .then(|| (Single::Another, i + 1, people()))
}

/// "one of its soldiers was killed": one of a group of people.
fn one_of(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(Single, usize, Subject)> {
    let is = |k: usize, words: &HashSet<String>| {
        tokens
            .get(k)
            .is_some_and(|t| words.contains(t.lower.as_str()))
    };
    let of = tokens.get(i + 1).is_some_and(|t| t.lower == "of");
    if !(is(i, &lex.one) && of && is(i + 2, &lex.wording.determiners)) {
        return None;
    }
    let (subject, end) = subject_at(tokens, i + 3, lex)?;
    (subject.kind.as_deref() == Some("person"))
        .then(|| (Single::Determined, described(tokens, end, lex), subject))
}

/// A person named at tokens `i..end`, with what describes them; one word at the start of a
/// sentence is a name only when a verb's auxiliary, an apposition, a relative clause or an
/// intransitive verb says so ("Smith died", "Smith, 45, was arrested", not "College
/// evacuated").
fn named(
    tokens: &[Token<'_>],
    i: usize,
    end: usize,
    lex: &Lexicon,
) -> Option<(Single, usize, Subject)> {
    let described_end = described(tokens, end, lex);
    let first = tokens[..i].iter().all(|t| t.kind == Kind::Punct);
    let relative = tokens
        .get(end + 1)
        .is_some_and(|t| lex.relatives.contains(t.lower.as_str()));
    if first && end == i + 1 && described_end == end && !relative && !verb_follows(tokens, end, lex)
    {
        return None;
    }
    // "soldier Paul McKay": the noun before the name says who they are, as does a person
    // the name is set off after ("an officer of the MIT police, Sean Collier, 26,")
    let subject = (i > 0)
        .then(|| one_person_noun(tokens, i - 1, lex))
        .flatten()
        .filter(|(e, _)| *e == i)
        .map(|(_, s)| s)
        .or_else(|| apposed_to(tokens, i, lex))
        .unwrap_or_else(people);
    Some((Single::Name, described_end, subject))
}

fn people() -> Subject {
    Subject {
        name: "people".into(),
        kind: Some("person".into()),
        noun: None,
    }
}

/// The noun of one person a name at `i` is set off after ("an officer of the MIT police,
/// Sean Collier").
fn apposed_to(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<Subject> {
    if i == 0 || !tokens[i - 1].is_punct(",") {
        return None;
    }
    let comma = i - 1;
    (comma.saturating_sub(9)..comma).rev().find_map(|k| {
        if !lex.wording.determiners.contains(tokens[k].lower.as_str()) {
            return None;
        }
        let (end, s) = one_person_noun(tokens, k + 1, lex)?;
        let complement = end <= comma && tokens[end..comma].iter().all(|t| t.kind == Kind::Word);
        complement.then_some(s)
    })
}

/// A noun of one person at `i` (after up to three modifiers): "man", "police officer",
/// "college student"; not a noun of many ("people") or of a group ("the family").
fn one_person_noun(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(usize, Subject)> {
    let (subject, end) = subject_at(tokens, i, lex)?;
    if subject.kind.as_deref() != Some("person") {
        return None;
    }
    let noun = &tokens[end - 1].lower;
    let singular = !noun.ends_with('s') || noun.ends_with("ss");
    if !singular || lex.wording.collective.contains(noun.as_str()) {
        return None;
    }
    let name = if subject.name == "people" || subject.name.ends_with('s') {
        subject.name
    } else {
        plural_of(&subject.name, lex)
    };
    Some((
        end,
        Subject {
            name,
            kind: subject.kind,
            noun: subject.noun,
        },
    ))
}

/// The plural of a noun of one person, as the nouns of `[nouns]` have it ("gunman":
/// "gunmen").
fn plural_of(noun: &str, lex: &Lexicon) -> String {
    lex.plural_endings
        .iter()
        .filter_map(|(one, many)| {
            noun.strip_suffix(one.as_str())
                .map(|stem| format!("{stem}{many}"))
        })
        .find(|p| lex.person_nouns.contains(p))
        .unwrap_or_else(|| format!("{noun}s"))
}

/// A noun of one thing at `i` (a projectile, a building, a car), not of a person.
fn one_thing(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(usize, Subject)> {
    let (subject, end) = subject_at(tokens, i, lex)?;
    let noun = &tokens[end - 1].lower;
    let singular = !noun.ends_with('s') || noun.ends_with("ss");
    let thing = subject
        .kind
        .as_deref()
        .is_some_and(|k| lex.wording.thing_kinds.contains(k));
    (thing && singular).then_some((end, subject))
}

/// The end of a person's words with what describes them between commas before the verb
/// ("The victim, 20-year-old Brandon Ward, from Gwynn Oak, was", "Smith, 45, was"), or with
/// an age before a list goes on ("Stephens, 32, and Paul J. Rayer, 51, were").
fn described(tokens: &[Token<'_>], end: usize, lex: &Lexicon) -> usize {
    // ("Sharma (26), who")
    let bracketed = tokens.get(end).is_some_and(|t| t.is_punct("("))
        && tokens.get(end + 2).is_some_and(|t| t.is_punct(")"));
    let end = if bracketed { end + 3 } else { end };
    if let Some(next) = past_apposition(tokens, end, lex) {
        return next;
    }
    let comma = |k: usize| tokens.get(k).is_some_and(|t| t.is_punct(","));
    let age = tokens
        .get(end + 1)
        .is_some_and(|t| t.kind == Kind::Number && t.text.len() <= 3);
    let listed = tokens
        .get(end + 3)
        .is_some_and(|t| lex.conjunctions.contains(t.lower.as_str()));
    if comma(end) && age && comma(end + 2) && listed {
        end + 3
    } else {
        end
    }
}

/// A bare noun of one person is read only at the start of a headline ("Man arrested after
/// chase", "Police: Man shot"), or listed after one ("Cop, civilian injured").
fn bare_allowed(tokens: &[Token<'_>], i: usize, before: &[Candidate]) -> bool {
    // (after the one colon of a headline's lead: "Shooting in Neenah: Officer, citizen
    // injured", not "Incident Type: Juvenile Missing From:")
    let lead = i > 0
        && i <= 8
        && tokens[i - 1].is_punct(":")
        && tokens.iter().filter(|t| t.is_punct(":")).count() == 1;
    let first =
        (tokens[..i].iter().all(|t| t.kind == Kind::Punct) || lead) && tokens[i].is_capitalised();
    let after_bare = before.last().is_some_and(|c| {
        c.single == Some(Single::Bare)
            && c.np_end < i
            && tokens[c.np_end..i]
                .iter()
                .all(|t| t.is_punct(",") || t.lower == "and")
    });
    first || after_bare
}

/// The end of a person's name starting at `i`: capitalised words that are not words of the
/// lexicon ("John Smith", "Officer Charles Smith", "Paul J. Rayer"), not a place, not the
/// possessor of what follows ("Smith's brother").
fn name_run(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<usize> {
    let starts = |k: usize| name_word(tokens, k, lex);
    if !starts(i) || (i > 0 && starts(i - 1)) {
        return None;
    }
    let mut end = i + 1;
    loop {
        if starts(end) {
            end += 1;
        } else if initial(tokens, end) {
            end += 2;
        } else {
            break;
        }
    }
    // (but "Smith's body was found" says what happened to Smith)
    let possessor = tokens
        .get(end)
        .is_some_and(|t| lex.wording.possessives.contains(t.lower.as_str()))
        && lex.measure_words.at(tokens, end).is_none();
    // ("a girl named Frida Sofia": the name of a person counted before; "the Islamic State
    // group": a name with an article is no person's)
    let article = i > 0
        && lex
            .wording
            .determiners
            .contains(tokens[i - 1].lower.as_str())
        && !lex
            .wording
            .possessives
            .contains(tokens[i - 1].lower.as_str());
    if i > 0 && (lex.wording.naming.ending_at(tokens, i).is_some() || article) {
        return None;
    }
    // ("killed in Bataclan", "in Amatrice, Accumoli and Arquata", "the Health Ministry": a
    // place or a body, no person)
    let at_place = (i.saturating_sub(8)..i)
        .rev()
        .take_while(|&k| {
            k + 1 == i
                || tokens[k + 1].is_capitalised()
                || tokens[k + 1].is_punct(",")
                || lex.conjunctions.contains(tokens[k + 1].lower.as_str())
        })
        .any(|k| {
            lex.place_prepositions.contains(tokens[k].lower.as_str())
                && tokens[k + 1..i].iter().all(|t| {
                    t.is_capitalised()
                        || t.is_punct(",")
                        || lex.conjunctions.contains(t.lower.as_str())
                })
        });
    let body = lex
        .organisation_heads
        .contains(tokens[end - 1].lower.as_str())
        || lex.not_place_heads.contains(tokens[end - 1].lower.as_str());
    if at_place || body {
        return None;
    }
    let text: Vec<&str> = tokens[i..end].iter().map(|t| t.text).collect();
    // (a country or a state; a city's name is often a person's: "Jackson was arrested")
    let place = lex
        .gazetteer
        .get(&text.join(" "))
        .is_some_and(|e| matches!(e.level, PlaceLevel::Country | PlaceLevel::State));
    (!possessor && !place).then_some(end)
}

/// True when a sentence is written in capitals or in title case ("Partner Arrested In UK
/// After Gran Found Dead"), where names cannot be told from words.
pub(super) fn shouting(tokens: &[Token<'_>]) -> bool {
    let mut words = tokens
        .iter()
        .filter(|t| t.kind == Kind::Word && t.text.len() > 3);
    let all = words.clone().count();
    all >= 3 && words.all(Token::is_capitalised)
}

/// True when an auxiliary or an intransitive verb of a measure follows at `end` ("Smith
/// was arrested", "Smith died").
fn verb_follows(tokens: &[Token<'_>], end: usize, lex: &Lexicon) -> bool {
    let mut k = end;
    while lex.skip_after.at(tokens, k).is_some()
        && !lex.auxiliaries.contains(tokens[k].lower.as_str())
    {
        k += 1;
    }
    tokens
        .get(k)
        .is_some_and(|t| lex.auxiliaries.contains(t.lower.as_str()))
        || lex
            .wording
            .forms
            .at(tokens, k)
            .is_some_and(|(_, f)| f & form::INTRANSITIVE != 0)
}

/// A middle initial: "J." in "Paul J. Rayer".
fn initial(tokens: &[Token<'_>], k: usize) -> bool {
    tokens
        .get(k)
        .is_some_and(|t| t.kind == Kind::Word && t.text.len() == 1 && t.is_capitalised())
        && tokens.get(k + 1).is_some_and(|t| t.is_punct("."))
        && tokens.get(k + 2).is_some_and(Token::is_capitalised)
}

/// A capitalised word that may be part of a person's name: none of the lexicon's words.
fn name_word(tokens: &[Token<'_>], k: usize, lex: &Lexicon) -> bool {
    let Some(t) = tokens.get(k) else { return false };
    if t.kind != Kind::Word || !t.is_capitalised() || t.text.len() < 2 {
        return false;
    }
    let w = t.lower.as_str();
    // ("SWAT officers", "(AP)", "ORLANDO, Fla.": an acronym or a state in a dateline)
    let acronym = t.text.chars().all(|c| !c.is_lowercase());
    let state = lex.file.places.dateline_states.contains_key(t.text);
    let first = tokens[..k].iter().all(|t| t.kind == Kind::Punct);
    let known = acronym
        || state
        || lex.wording.not_names.contains(w)
        || lex.wording.determiners.contains(w)
        || lex.wording.pronouns.contains(w)
        || lex.wording.objects.contains(w)
        || lex.subject_words.at(tokens, k).is_some()
        || lex.person_nouns.contains(w)
        // ("Rapper found dead", "Teenage boy dies": first words of a headline; "Baker was
        // killed" further on is a name)
        || (first && (lex.person_singulars.contains(w) || lex.modifiers.contains(w)))
        || lex.measure_words.at(tokens, k).is_some()
        || lex.skip_after.at(tokens, k).is_some()
        || lex.months.contains_key(w)
        || lex.weekdays.contains_key(w)
        || lex.reporting_verbs.contains(w)
        || lex.place_prepositions.contains(w)
        || lex.gazetteer.demonym(t.text).is_some();
    !known
}
