//! Counts of one sentence read together: subsets, lists and anaphora.

use super::Candidate;
use super::single::Single;
use super::subject::subject_at;
use crate::lexicon::{Lexicon, MeasureId, form};
use crate::text::{Kind, Token};

/// True when a place follows at `i`: "in X", "at X", "were in X".
pub(super) fn at_place(tokens: &[Token<'_>], i: usize) -> bool {
    let prep = |k: usize| {
        tokens
            .get(k)
            .is_some_and(|t| t.lower == "in" || t.lower == "at")
    };
    prep(i)
        || (tokens
            .get(i)
            .is_some_and(|t| matches!(t.lower.as_str(), "were" | "was"))
            && prep(i + 1))
}

/// The end of a place phrase starting at `i` (after "in" or "at"): names and the words
/// that join them ("Amatrice and Accumoli, in the Lazio region"), or a few words ("the
/// metro station"); `None` when it runs on too long to be one.
pub(super) fn place_phrase_end(tokens: &[Token<'_>], i: usize, to: usize) -> Option<usize> {
    let named = tokens.get(i).is_some_and(Token::is_capitalised)
        || tokens.get(i + 1).is_some_and(Token::is_capitalised);
    let mut j = i;
    if named {
        while j < to && j - i <= 12 {
            let t = &tokens[j];
            let next_named = tokens.get(j + 1).is_some_and(Token::is_capitalised);
            let joins = matches!(
                t.lower.as_str(),
                "the" | "of" | "de" | "del" | "di" | "la" | "in" | "at" | "around" | "near"
            ) || (t.lower == "and"
                && (next_named || tokens.get(j + 1).is_some_and(|n| n.lower == "around")))
                || (t.is_punct(",")
                    && tokens
                        .get(j + 1)
                        .is_some_and(|n| matches!(n.lower.as_str(), "in" | "the")));
            let word = t.kind == Kind::Word
                && (t.is_capitalised()
                    || matches!(
                        t.lower.as_str(),
                        "region" | "province" | "district" | "area" | "state" | "county"
                    ));
            if !(joins || word) {
                break;
            }
            j += 1;
        }
        return Some(j);
    }
    // "11 people were killed at the airport and 20 at the metro station"
    while j < to && j - i <= 5 && !tokens[j].is_punct(",") && tokens[j].lower != "and" {
        j += 1;
    }
    (j - i <= 5).then_some(j)
}

pub(super) fn only_list_words(
    tokens: &[Token<'_>],
    from: usize,
    to: usize,
    allow_place: bool,
) -> bool {
    if from > to {
        return false;
    }
    let mut i = from;
    while i < to {
        let t = &tokens[i];
        let ok = t.is_punct(",") || t.is_punct(":") || t.lower == "and" || t.lower == "or";
        if !ok && allow_place && at_place(tokens, i) {
            let prep = if tokens[i].lower == "in" || tokens[i].lower == "at" {
                i
            } else {
                i + 1
            };
            let Some(j) = place_phrase_end(tokens, prep + 1, to) else {
                return false;
            };
            i = j;
            continue;
        }
        if !ok {
            return false;
        }
        i += 1;
    }
    true
}

/// Subsets, lists and anaphora between the counts of a sentence.
pub(super) fn relate(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    same_person(tokens, cands, lex);
    of_the_group(tokens, cands, lex);
    share_listed_measure(tokens, cands, lex);
    subsets_and_lists(tokens, cands);
    inherit_subjects(tokens, cands, lex);
    drop_misfits(cands, lex);
}

/// A measure a count was given by its neighbours that does not count its kind of subject
/// ("12 people killed ..., including the six-storey building": no building is killed).
fn drop_misfits(cands: &mut [Candidate], lex: &Lexicon) {
    for c in cands.iter_mut() {
        let kind = c.subject.as_ref().and_then(|s| s.kind.as_deref());
        if let (Some(m), Some(k)) = (c.measure, kind)
            && !lex.measure(m).kinds.iter().any(|mk| mk == k)
        {
            c.measure = None;
        }
    }
}

/// "24 of the dead were women and 19 were children", "Of the dead, 155 were in Mexico
/// City, ...": a bare count before "were" counts the group an "of the dead" before it in
/// the sentence names.
fn of_the_group(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    for c in cands.iter_mut() {
        if c.measure.is_some()
            || c.in_subset
            || c.np_end != c.number.end
            || !tokens
                .get(c.np_end)
                .is_some_and(|t| matches!(t.lower.as_str(), "were" | "was"))
        {
            continue;
        }
        // ("Of the 121 dead, 112 were women": a total may stand before the noun)
        let group = (2..c.start).rev().find_map(|k| {
            let of_the = |at: usize| tokens[at - 2].lower == "of" && tokens[at - 1].lower == "the";
            (of_the(k) || (k >= 3 && tokens[k - 1].kind == Kind::Number && of_the(k - 1)))
                .then(|| lex.measure_words.at(tokens, k))
                .flatten()
        });
        let Some((_, ids)) = group else { continue };
        let subject = subject_at(tokens, c.np_end + 1, lex);
        let kind = subject
            .as_ref()
            .and_then(|(s, _)| s.kind.clone())
            .unwrap_or_else(|| "person".into());
        let Some(m) = lex.pick_measure(ids, Some(&kind)) else {
            continue;
        };
        c.measure = Some(m);
        if let Some((s, end)) = subject {
            c.subject = Some(s);
            c.link_end = end;
        }
    }
}

/// "17 students and two staff members were killed": a count listed before one whose
/// measure follows shares it.
fn share_listed_measure(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    for k in (0..cands.len().saturating_sub(1)).rev() {
        let next = &cands[k + 1];
        let c = &cands[k];
        // ("his mother and his sister were hurt": a word that says nothing of one person)
        let weak = c.single.is_some()
            && lex
                .wording
                .not_single_words
                .at(tokens, next.measure_at)
                .is_some();
        if c.measure.is_none()
            && !weak
            && !c.in_subset
            && c.subject.is_some()
            && next.measure_after
            && !next.in_subset
            && !next.anaphoric
            && only_list_words(tokens, c.link_end, next.start, false)
            && tokens[c.link_end..next.start]
                .iter()
                // (one person before a count shares its measure only in a list of people
                // named: "a man and a woman", not "the Health Ministry, 45 people")
                .any(|t| {
                    t.lower == "and"
                        || (t.is_punct(",") && c.single.is_none() == next.single.is_none())
                })
        {
            cands[k].measure = next.measure;
        }
    }
}

/// Subsets ("18 people, including two children"), anaphora ("114 of them") and lists
/// ("14 civilians, 2 children", "12 in X and 10 in Y").
fn subsets_and_lists(tokens: &[Token<'_>], cands: &mut [Candidate]) {
    for k in 1..cands.len() {
        let (before, rest) = cands.split_at_mut(k);
        let c = &mut rest[0];
        // a subset: "18 people, including two children", "21 including three children"
        let prev_index = k - 1;
        if c.in_subset {
            // the count the subset belongs to: the nearest earlier count not itself a subset
            let owner = (0..k).rev().find(|&p| before[p].subset_of.is_none());
            if let Some(p) = owner {
                c.subset_of = Some(p);
                if c.measure.is_none() {
                    c.measure = before[p].measure;
                }
                continue;
            }
        }
        // "114 of them": the subject of the count before
        if c.anaphoric && c.subject.is_none() {
            c.subject = before[..k].iter().rev().find_map(|p| p.subject.clone());
        }
        // "202 people were wounded, 52 of them critically": a part of the count before
        if c.anaphoric && c.measure.is_none() && before[prev_index].measure.is_some() {
            c.subset_of = Some(before[prev_index].subset_of.unwrap_or(prev_index));
            c.measure = before[prev_index].measure;
            continue;
        }
        // a list: "14 civilians, 2 children", "12 in X and 10 in Y"
        let prev = &before[prev_index];
        let gap_from = prev.link_end;
        let over_places = prev.own_place && c.single.is_none();
        let listed = only_list_words(tokens, gap_from, c.start, over_places)
            && tokens[gap_from..c.start]
                .iter()
                .any(|t| t.is_punct(",") || t.is_punct(":") || t.lower == "and" || t.lower == "or");
        if listed && prev.measure.is_some() {
            if c.measure.is_none() {
                c.measure = prev.measure;
            }
            if c.measure == prev.measure {
                c.joined_to = Some(prev.subset_of.unwrap_or(prev_index));
                if prev.subset_of.is_some() {
                    c.subset_of = prev.subset_of;
                }
            }
            if c.subject.is_none() {
                c.subject = prev.subject.clone();
            }
        }
    }
}

/// A measure without a subject takes the subject of the count before it in the sentence
/// when that is of the kind the measure counts ("killed 18 people ... and injured 111").
fn inherit_subjects(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    for k in 1..cands.len() {
        if cands[k].subject.is_none()
            && let Some(m) = cands[k].measure
        {
            let kinds = &lex.measure(m).kinds;
            // ("11 children were pulled out alive, and two more are trapped": "more" names
            // the noun of a count without a measure too)
            let more = tokens
                .get(cands[k].number.end)
                .is_some_and(|t| lex.elliptic.contains(t.lower.as_str()));
            // ("six organisers arrested as toll stays at 121": a toll counts people)
            let toll = !cands[k].measure_after
                && lex
                    .wording
                    .forms
                    .at(tokens, cands[k].measure_at)
                    .is_some_and(|(_, f)| f & form::NOUN != 0);
            if toll {
                continue;
            }
            let inherited = cands[..k].iter().rev().find_map(|p| {
                p.subject.as_ref().filter(|s| {
                    s.kind.as_ref().is_some_and(|kd| kinds.contains(kd))
                        && p.subset_of.is_none()
                        && p.joined_to.is_none()
                        && !p.in_subset
                        // ("a man opened fire, killing 12": one person is no noun of 12)
                        && p.single.is_none()
                        // ("two suicide bombers carried out the attack ... the toll rose to 97")
                        && (p.measure.is_some() || more)
                })
            });
            cands[k].subject = inherited.cloned();
        }
    }
}

/// The same person said twice in a sentence: a pronoun after a person ("The victim was
/// taken to hospital, where he later died") is that person, and "another" after a count is
/// one more of its noun ("one man was killed and another injured"). What the pronoun states
/// goes to the person when it has no measure or one the pronoun's replaces (killed, not
/// injured); the pronoun is then no count of its own.
fn same_person(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    for k in 1..cands.len() {
        let (before, rest) = cands.split_at_mut(k);
        let c = &mut rest[0];
        match c.single {
            Some(Single::Another) => {
                if let Some(s) = before.iter().rev().find_map(|p| p.subject.clone()) {
                    c.subject = Some(s);
                }
            }
            Some(Single::Pronoun | Single::Object) => {
                // (the person, or the same pronoun said before: "She was taken to hospital,
                // where she later died")
                let word = &tokens[c.start].lower;
                let Some(a) = before.iter_mut().rev().find(|p| {
                    let person = p
                        .subject
                        .as_ref()
                        .is_some_and(|s| s.kind.as_deref() == Some("person"));
                    person
                        && p.single.is_some_and(|s| {
                            !matches!(s, Single::Pronoun | Single::Object)
                                || (s == Single::Pronoun && tokens[p.start].lower == *word)
                        })
                }) else {
                    continue;
                };
                let replaces = |m: MeasureId| {
                    a.measure
                        .is_none_or(|old| old == m || lex.wording.supersedes[m].contains(&old))
                };
                // ("A man died after he was shot": the death says more than the shot)
                let replaced = |m: MeasureId| {
                    a.measure
                        .is_some_and(|old| lex.wording.supersedes[old].contains(&m))
                };
                if let Some(m) = c.measure.filter(|&m| replaces(m)) {
                    a.measure = Some(m);
                    a.measure_at = c.measure_at;
                    c.measure = None;
                } else if c.measure.is_some_and(replaced) {
                    c.measure = None;
                } else {
                    c.subject = a.subject.clone();
                }
            }
            _ => {}
        }
    }
}
