//! The measure of a count: the word that states it after the count ("18 people were
//! killed") or before it ("killed at least 39", "the toll rose to 21").

use super::relate::at_place;
use super::{Candidate, starts_number};
use crate::lexicon::{Lexicon, MeasureId};
use crate::text::{Kind, Token};

/// True when the measure word at `pos`, right after a count's words ending at `np_end`, is
/// a verb in the active voice with an object after it ("a student killed 12 people"): the
/// count is the one who acted.
pub(super) fn acts_on_object(
    tokens: &[Token<'_>],
    np_end: usize,
    pos: usize,
    lex: &Lexicon,
) -> bool {
    if pos != np_end {
        return false;
    }
    let Some((n, _)) = lex.measure_words.at(tokens, pos) else {
        return false;
    };
    let verb = &tokens[pos];
    // "killed 26", and "shot dead 26" (a phrase that starts with the verb)
    let past = verb.lower.ends_with("ed") || (n > 1 && verb.lower == "shot");
    if !past || verb.lower == "died" {
        return false;
    }
    let pos = pos + n - 1;
    let Some(next) = tokens.get(pos + 1) else {
        return false;
    };
    let time_after = tokens.get(pos + 2).is_some_and(|t| {
        matches!(
            t.lower.as_str(),
            "day" | "night" | "week" | "previous" | "next" | "following" | "same"
        )
    });
    starts_number(next, lex)
        || lex.qualifiers_before.at(tokens, pos + 1).is_some()
        || lex.vague.at(tokens, pos + 1).is_some()
        || (matches!(
            next.lower.as_str(),
            "a" | "an" | "the" | "his" | "her" | "their" | "its" | "several" | "many"
        ) && !time_after)
}

/// A measure word after a count, past auxiliaries and a subset ("18 people were killed",
/// "Another 108 people, including 15 children, were injured"): (measure ids, position).
pub(super) fn right_measure<'l>(
    tokens: &[Token<'_>],
    from: usize,
    lex: &'l Lexicon,
) -> Option<(&'l [MeasureId], usize)> {
    let mut j = from;
    let mut skipped = 0;
    while j < tokens.len() && skipped <= 5 {
        if let Some((_, ids)) = lex.measure_words.at(tokens, j) {
            return Some((ids.as_slice(), j));
        }
        j = past_relative_clause(tokens, j, lex)
            .or_else(|| past_breakdown(tokens, j, lex))
            .or_else(|| {
                (j == from)
                    .then(|| past_complement(tokens, j, lex))
                    .flatten()
            })
            .or_else(|| past_subset(tokens, j, lex))
            .or_else(|| lex.skip_after.at(tokens, j).map(|(n, _)| j + n))
            .or_else(|| {
                (skipped == 0)
                    .then(|| past_apposition(tokens, j, lex))
                    .flatten()
            })?;
        skipped += 1;
    }
    None
}

/// "four people who had tried to escape by swimming were found drowned": past a relative
/// clause at `j` to the last auxiliary before the clause ends.
fn past_relative_clause(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    if !lex.relatives.contains(tokens[j].lower.as_str()) {
        return None;
    }
    let clause_end = (j + 1..(j + 14).min(tokens.len()))
        .find(|&k| tokens[k].is_boundary() || tokens[k].is_punct(","))
        .unwrap_or_else(|| (j + 14).min(tokens.len()));
    let aux = (j + 2..clause_end).rev().find(|&k| {
        lex.auxiliaries.contains(tokens[k].lower.as_str())
            && lex.measure_words.at(tokens, k - 1).is_none()
    });
    // ("a man who had been treated for burns died": no auxiliary, the last verb)
    let last_measure = || {
        (j + 2..clause_end)
            .rev()
            .find(|&k| lex.measure_words.at(tokens, k).is_some())
    };
    aux.or_else(last_measure)
}

/// "Twenty-six people, 20 children and six adults, were killed": past a breakdown between
/// commas, dashes or brackets at `j`.
fn past_breakdown(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    if !(matches!(tokens[j].text, "," | "(" | "—" | "–")
        && tokens.get(j + 1).is_some_and(|t| starts_number(t, lex)))
    {
        return None;
    }
    let close = match tokens[j].text {
        "(" => ")",
        "," => ",",
        dash => dash,
    };
    let mut k = j + 1;
    while k < tokens.len() && k - j <= 10 && tokens[k].text != close {
        k += 1;
    }
    (k < tokens.len() && tokens[k].text == close).then_some(k + 1)
}

/// "six members of one family were killed": past the noun's complement at `j`.
fn past_complement(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    if tokens[j].lower != "of" {
        return None;
    }
    let mut k = j + 1;
    while k < tokens.len()
        && k - j <= 4
        && matches!(tokens[k].kind, Kind::Word | Kind::Number)
        && lex.skip_after.at(tokens, k).is_none()
        && lex.measure_words.at(tokens, k).is_none()
    {
        k += 1;
    }
    (k > j + 1 && k - j <= 4).then_some(k)
}

/// ", including 15 children," and "including three children": past a subset at `j`.
fn past_subset(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    let subset_at = if tokens[j].is_punct(",") { j + 1 } else { j };
    let (n, _) = lex.subset.at(tokens, subset_at)?;
    let mut k = subset_at + n;
    let first = k;
    let limit = (k + 14).min(tokens.len());
    // "including people from Iran, China, Russia and Norway,": a list of names goes on
    // over its commas
    let in_list = |k: usize| {
        tokens[k].is_punct(",")
            && tokens.get(k + 1).is_some_and(Token::is_capitalised)
            && tokens
                .get(k + 2)
                .is_some_and(|t| t.is_punct(",") || t.lower == "and" || t.is_capitalised())
    };
    // (the subset's own first word may be any: "including people from ...")
    while k < limit
        && lex.measure_words.at(tokens, k).is_none()
        && (k == first
            || ((!tokens[k].is_punct(",") || in_list(k)) && lex.skip_after.at(tokens, k).is_none()))
    {
        k += 1;
    }
    if k < tokens.len() && tokens[k].is_punct(",") {
        k += 1;
    }
    Some(k)
}

/// "Five people, aged 18 to 25, were killed": past an apposition between commas at `j`,
/// when a measure (or a word before one) follows it.
fn past_apposition(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    if !tokens[j].is_punct(",") {
        return None;
    }
    let close = (j + 1..(j + 10).min(tokens.len())).find(|&k| tokens[k].is_punct(","))?;
    let next = close + 1;
    let measure_follows =
        lex.skip_after.at(tokens, next).is_some() || lex.measure_words.at(tokens, next).is_some();
    measure_follows.then_some(next)
}

/// A measure word before a count ("killed at least 39", "the deaths of 14", "the toll
/// rose to 21", "the dead included two children").
pub(super) fn left_measure<'l>(
    tokens: &[Token<'_>],
    before: usize,
    lex: &'l Lexicon,
) -> Option<(&'l [MeasureId], usize)> {
    let mut j = before;
    let mut skipped = 0;
    let mut toll_verb = false;
    while j > 0 && skipped <= 4 {
        if let Some((n, ids)) = lex.measure_words.ending_at(tokens, j) {
            return Some((ids.as_slice(), j - n));
        }
        toll_verb |= lex.toll_verbs.contains(tokens[j - 1].lower.as_str());
        match lex.skip_before.ending_at(tokens, j) {
            Some((n, _)) => {
                j -= n;
                skipped += 1;
            }
            None if toll_verb => {
                // "the death toll from the earthquake in Nepal rose to 3,218": the toll is
                // the subject of the verb, a few words back in the same clause
                let from = j.saturating_sub(16);
                // (across a comma: "The death toll, according to a hospital source, stood at 14")
                return (from..j)
                    .rev()
                    .take_while(|&k| !tokens[k].is_boundary() || tokens[k].is_punct(","))
                    .find_map(|k| lex.measure_words.at(tokens, k).filter(|(n, _)| k + n <= j))
                    .map(|(_, ids)| (ids.as_slice(), j));
            }
            None => return None,
        }
    }
    None
}

pub(super) fn link(tokens: &[Token<'_>], cands: &mut [Candidate], k: usize, lex: &Lexicon) {
    let c = &cands[k];
    let kind = c.subject.as_ref().and_then(|s| s.kind.clone());
    let kind = kind.or_else(|| {
        if c.anaphoric {
            cands[..k]
                .iter()
                .rev()
                .find_map(|p| p.subject.as_ref().and_then(|s| s.kind.clone()))
        } else {
            None
        }
    });
    // "2,000 displaced families": the measure between the number and its noun
    let right = right_measure(tokens, c.np_end, lex).or_else(|| {
        lex.measure_words
            .at(tokens, c.number.end)
            .filter(|_| c.np_end > c.number.end)
            .map(|(_, ids)| (ids.as_slice(), c.number.end))
    });
    // "two gunmen killed 14 people": the count did the killing
    let right = right.filter(|&(_, pos)| !acts_on_object(tokens, c.np_end, pos, lex));
    let left = left_measure(tokens, c.start, lex);
    // a measure word after the count that another count stands before belongs to that one
    let right = right.filter(|(_, pos)| {
        !cands
            .iter()
            .any(|o| o.start >= cands[k].np_end && o.start < *pos && !o.in_subset)
    });
    let pick = |ids: &[MeasureId]| -> Option<MeasureId> {
        match &kind {
            Some(kd) => lex.pick_measure(ids, Some(kd)),
            None => ids
                .iter()
                .copied()
                .find(|&id| lex.measure(id).default_subject.is_some()),
        }
    };
    let from_right = right.and_then(|(ids, pos)| pick(ids).map(|m| (m, pos)));
    let measure = from_right
        .map(|(m, _)| m)
        .or_else(|| left.and_then(|(ids, _)| pick(ids)));
    cands[k].measure = measure;
    cands[k].measure_after = from_right.is_some();
    if let Some((_, pos)) = from_right
        && pos >= cands[k].np_end
    {
        // "12 bodies in Kathmandu": the measure word ends the count's words
        let n = lex.measure_words.at(tokens, pos).map_or(1, |(n, _)| n);
        let c = &mut cands[k];
        c.link_end = pos + n;
        c.own_place = at_place(tokens, pos + n);
    }
}
