//! The subject of a count: the noun after a number ("18 civilians", "12 suspected Boko
//! Haram members", "114 of them") and single people ("a man died").

use super::{Subject, words_of};
use crate::lexicon::{Lexicon, SubjectWord};
use crate::text::{Kind, Token};

/// The subject noun at `i`, skipping up to three modifiers: (subject, end of the phrase).
pub(super) fn subject_at(
    tokens: &[Token<'_>],
    i: usize,
    lex: &Lexicon,
) -> Option<(Subject, usize)> {
    let mut j = i;
    let mut skipped = 0;
    while skipped <= 3 {
        let t = tokens.get(j)?;
        // ("teen girl", "male victim": a noun of people before another is its modifier)
        let before_person = || skipped < 3 && person_word_at(tokens, j + 1, lex);
        if let Some((n, s)) = lex.subject_words.at(tokens, j) {
            if !(n == 1 && s.kind == "person" && before_person()) {
                return Some(listed_subject(tokens, j, n, s, lex));
            }
            j += 1;
            skipped += 1;
            continue;
        }
        // "American college students": a noun of people used as a modifier
        let person = is_person_noun(t, lex) || demonym_noun(tokens, j, lex);
        let before_subject = || {
            lex.subject_words
                .at(tokens, j + 1)
                .is_some_and(|(_, s)| s.kind == "person")
        };
        if skipped < 3 && person && (modifies_person_noun(tokens, j, lex) || before_subject()) {
            j += 1;
            skipped += 1;
            continue;
        }
        if person {
            return Some(person_subject(tokens, j, lex));
        }
        if !skippable_modifier(tokens, j, lex) {
            return None;
        }
        j += 1;
        skipped += 1;
    }
    None
}

/// A subject noun of `[subjects]` at `j`, `n` words long, with a second one joined to it
/// ("missiles and drones": one count of both).
fn listed_subject(
    tokens: &[Token<'_>],
    j: usize,
    n: usize,
    s: &SubjectWord,
    lex: &Lexicon,
) -> (Subject, usize) {
    let written = words_of(tokens, j, j + n);
    let mut subject = Subject {
        name: s.subject.clone(),
        kind: Some(s.kind.clone()),
        noun: (!lex.plain_nouns.contains(&written)).then_some(written),
    };
    let mut end = j + n;
    if tokens
        .get(end)
        .is_some_and(|t| lex.conjunctions.contains(t.lower.as_str()))
        && let Some((m, other)) = lex.subject_words.at(tokens, end + 1)
        && other.kind == s.kind
        && other.subject != s.subject
        && (s.kind != "person")
    {
        subject.name = format!("{} and {}", s.subject, other.subject);
        subject.noun = Some(words_of(tokens, j, end + 1 + m));
        end += 1 + m;
    }
    (subject, end)
}

/// True when the noun of people at `j` modifies one right after the next word ("American
/// college students").
fn modifies_person_noun(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> bool {
    tokens.get(j + 1).is_some_and(|n| {
        n.kind == Kind::Word
            && !n.is_capitalised()
            && !is_person_noun(n, lex)
            && !lex.not_modifiers.contains(n.lower.as_str())
    }) && tokens.get(j + 2).is_some_and(|n| is_person_noun(n, lex))
        && lex.measure_words.at(tokens, j + 1).is_none()
}

/// A noun of people at `j`, kept as written: "staff members" (two nouns), "students and
/// teachers" (one count of both).
fn person_subject(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> (Subject, usize) {
    let mut end = j + 1;
    if tokens.get(end).is_some_and(|n| is_person_noun(n, lex)) {
        end += 1;
    }
    if tokens.get(end).is_some_and(|t| t.lower == "and")
        && tokens.get(end + 1).is_some_and(|n| is_person_noun(n, lex))
    {
        end += 2;
    }
    let written = words_of(tokens, j, end);
    (
        Subject {
            name: written.clone(),
            kind: Some("person".into()),
            noun: Some(written),
        },
        end,
    )
}

/// True when the word at `j` may stand between a number and its noun: a modifier, a name
/// ("12 suspected Boko Haram members", "32 Ukrainian drones"), a noun before a noun of
/// people ("college students"), a hyphenated word.
fn skippable_modifier(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> bool {
    let t = &tokens[j];
    let name_word = t.is_capitalised() && t.kind == Kind::Word;
    let compound = t.kind == Kind::Word
        && t.lower.len() > 2
        && !lex.not_modifiers.contains(t.lower.as_str())
        && lex.measure_words.at(tokens, j).is_none()
        && (tokens.get(j + 1).is_some_and(|n| is_person_noun(n, lex))
            || person_word_at(tokens, j + 1, lex));
    compound
        || lex.modifiers.contains(t.lower.as_str())
        || lex.measure_words.contains_word(t.lower.as_str())
        || (t.is_capitalised() && lex.gazetteer.demonym(t.text).is_some())
        || name_word
        || t.is_punct("'")
        || t.is_punct("\"")
        || (t.kind == Kind::Word && t.lower.contains('-') && !t.lower.ends_with("-old"))
}

/// True when a noun of people starts at `k`: one of `[nouns]` or of a subject of people
/// ("victim").
/// ("a man police say was shot": "police" names a group, no noun of this person)
pub(super) fn person_word_at(tokens: &[Token<'_>], k: usize, lex: &Lexicon) -> bool {
    tokens.get(k).is_some_and(|t| {
        is_person_noun(t, lex) && !lex.wording.collective.contains(t.lower.as_str())
    }) || lex
        .subject_words
        .at(tokens, k)
        .is_some_and(|(_, s)| s.kind == "person")
}

/// A number written in one token: "14", "four".
fn is_number_word(t: &Token<'_>, lex: &Lexicon) -> bool {
    t.kind == Kind::Number || lex.units.contains_key(t.lower.as_str())
}

pub(super) fn is_person_noun(t: &Token<'_>, lex: &Lexicon) -> bool {
    let w = t.lower.as_str();
    lex.person_nouns.contains(w)
        || (w.len() > 3 && t.kind == Kind::Word && lex.person_singulars.contains(w))
}

/// A country's people named by its adjective, as a noun: "two Nigerians", "three Lebanese"
/// (not "three Lebanese soldiers", where it is a modifier).
pub(super) fn demonym_noun(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> bool {
    let t = &tokens[j];
    if !t.is_capitalised() || t.kind != Kind::Word {
        return false;
    }
    let g = &lex.gazetteer;
    let plural = t
        .text
        .strip_suffix('s')
        .is_some_and(|w| g.demonym(w).is_some());
    if plural {
        return true;
    }
    g.demonym(t.text).is_some()
        && t.lower.ends_with("ese")
        && !tokens.get(j + 1).is_some_and(|n| {
            n.kind == Kind::Word
                && (is_person_noun(n, lex)
                    || lex.subject_words.at(tokens, j + 1).is_some()
                    || lex.modifiers.contains(n.lower.as_str()))
        })
}

/// True when a number counts part of a group by what they were, not what they are ("100 of
/// the dead were aged between 10 and 20"): neither a noun nor a place follows "were".
pub(super) fn described_part(tokens: &[Token<'_>], end: usize, lex: &Lexicon) -> bool {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    if word(end) != "of" || !lex.wording.determiners.contains(word(end + 1)) {
        return false;
    }
    let Some((n, _)) = lex.measure_words.at(tokens, end + 2) else {
        return false;
    };
    let after = end + 2 + n;
    lex.passive.contains(word(after))
        && subject_at(tokens, after + 1, lex).is_none()
        && !lex.place_prepositions.contains(word(after + 1))
        && !tokens
            .get(after + 1)
            .is_some_and(|t| t.kind == Kind::Number)
}

/// The noun phrase after a number: (subject, anaphoric, end).
pub(super) fn noun_phrase(
    tokens: &[Token<'_>],
    i: usize,
    lex: &Lexicon,
) -> (Option<Subject>, bool, usize) {
    if let Some((s, end)) = subject_at(tokens, i, lex) {
        return (Some(s), false, end);
    }
    // "eight of the dead were children", "190 of the dead were in X": the measure is the
    // noun after "of the", the subject what they were
    if tokens.get(i).is_some_and(|t| t.lower == "of")
        && tokens.get(i + 1).is_some_and(|t| t.lower == "the")
        && let Some((n, _)) = lex.measure_words.at(tokens, i + 2)
    {
        let after = i + 2 + n;
        let subject = tokens
            .get(after)
            .filter(|t| matches!(t.lower.as_str(), "were" | "was" | "are" | "is"))
            .and_then(|_| subject_at(tokens, after + 1, lex))
            .map(|(s, _)| s);
        return (subject, false, i + 2);
    }
    // "114 of them", "20 of them children", "dozens of people", "hundreds of the victims"
    if tokens.get(i).is_some_and(|t| t.lower == "of") {
        if tokens
            .get(i + 1)
            .is_some_and(|t| lex.anaphora.contains(t.lower.as_str()))
        {
            if let Some((s, end)) = subject_at(tokens, i + 2, lex) {
                return (Some(s), true, end);
            }
            return (None, true, i + 2);
        }
        // ("hundreds of the victims", "one of its soldiers", "two of the four occupants")
        let mut j = if tokens
            .get(i + 1)
            .is_some_and(|t| lex.wording.determiners.contains(t.lower.as_str()))
        {
            i + 2
        } else {
            i + 1
        };
        if j == i + 2 && tokens.get(j).is_some_and(|t| is_number_word(t, lex)) {
            j += 1;
        }
        if let Some((s, end)) = subject_at(tokens, j, lex) {
            return (Some(s), false, end);
        }
    }
    (None, false, i)
}
