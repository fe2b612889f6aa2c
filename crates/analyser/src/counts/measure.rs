//! The measure of a count: the word that states it after the count ("18 people were
//! killed") or before it ("killed at least 39", "the toll rose to 21").

use super::relate::at_place;
use super::single::{Single, shouting};
use super::subject::{person_word_at, subject_at};
use super::{Candidate, Subject, starts_number};
use crate::lexicon::{Lexicon, MeasureId, form};
use crate::text::{Kind, Token};
use rustc_hash::FxHashSet as HashSet;

/// True when the measure word at `pos`, after a count's words ending at `np_end`, is a
/// verb in the active voice with an object after it ("a student killed 12 people", "a man
/// allegedly killed his wife", "shelling has killed 18", "police arrested John Smith"): the
/// count is the one who acted. (A passive has a form of "be" between: "were killed".)
pub(super) fn acts_on_object(
    tokens: &[Token<'_>],
    np_end: usize,
    pos: usize,
    lex: &Lexicon,
) -> bool {
    if pos < np_end
        || tokens[np_end..pos]
            .iter()
            .any(|t| lex.passive.contains(t.lower.as_str()))
    {
        return false;
    }
    let Some((n, f)) = lex.wording.forms.at(tokens, pos) else {
        return false;
    };
    if f & form::TRANSITIVE == 0 {
        return false;
    }
    let object = pos + n;
    let Some(next) = tokens.get(object) else {
        return false;
    };
    // "killed the next day" is no object
    let time_after = tokens
        .get(object + 1)
        .is_some_and(|t| lex.not_objects.contains(t.lower.as_str()));
    let w = &lex.wording;
    let named = next.kind == Kind::Word
        && next.is_capitalised()
        && !lex.weekdays.contains_key(next.lower.as_str())
        && !lex.months.contains_key(next.lower.as_str())
        && !lex.place_prepositions.contains(next.lower.as_str())
        && !shouting(tokens);
    starts_number(next, lex)
        || lex.qualifiers_before.at(tokens, object).is_some()
        || lex.vague.at(tokens, object).is_some()
        || w.objects.contains(next.lower.as_str())
        || named
        || ((w.determiners.contains(next.lower.as_str())
            || lex.object_starts.contains(next.lower.as_str()))
            && !time_after)
}

/// The measures that may state what happened to a single person at tokens `start..end`:
/// after them (a verb, an adjective or an idiom, not a noun: "he died", not "his death")
/// and before them (a verb with its object: "police arrested a man", "killing him").
#[allow(clippy::type_complexity)]
pub(super) fn single_readings<'l>(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    kind: Single,
    thing: bool,
    lex: &'l Lexicon,
) -> (
    Option<(&'l [MeasureId], usize)>,
    Option<(&'l [MeasureId], usize)>,
) {
    let w = &lex.wording;
    let stated = |pos: usize| {
        let (n, f) = w.forms.at(tokens, pos).map_or((1, 0), |(n, f)| (n, *f));
        // ("he was missing a couple of factors": an adjective with an object is a verb)
        let object = f & form::TRANSITIVE == 0
            && tokens.get(pos + n).is_some_and(|t| {
                (w.determiners.contains(t.lower.as_str()) || starts_number(t, lex))
                    && !tokens
                        .get(pos + n + 1)
                        .is_some_and(|t| lex.not_objects.contains(t.lower.as_str()))
            });
        // ("he was treated pitchside" says nothing, "treated at an area hospital" does)
        let vague = w
            .not_single_words
            .at(tokens, pos)
            .is_some_and(|(m, _)| m >= n);
        f & !form::NOUN != 0 && !object && !vague
    };
    let right = (kind != Single::Object)
        .then(|| right_measure(tokens, end, lex))
        .flatten()
        .filter(|&(_, pos)| {
            // ("he was not injured"; "the building that collapsed" names a thing)
            let between = |words: &HashSet<String>| {
                tokens[end..pos]
                    .iter()
                    .any(|t| words.contains(t.lower.as_str()))
            };
            let named_thing = thing && between(&w.thing_relatives);
            // ("the apartment she shared with her boyfriend died": the object of a
            // preposition is the subject of no verb after it, but of a relative clause)
            let object = start > 0
                && w.not_subject_after
                    .contains(tokens[start - 1].lower.as_str())
                && !between(&lex.relatives);
            stated(pos)
                && !object
                && !acts_on_object(tokens, end, pos, lex)
                && !named_thing
                && !denied(tokens, end, pos, lex)
        });
    let right = right.map(|found| chained(tokens, found, lex));
    let left = (kind != Single::Pronoun)
        .then(|| object_of(tokens, start, end, kind == Single::Determined, lex))
        .flatten()
        .filter(|&(_, pos)| {
            // ("the body of a man": a noun with "of" is about them; not "the death of his
            // wife", a life story)
            let noun_of = tokens.get(pos + 1).is_some_and(|t| t.lower == "of")
                && w.thing_determiners.contains(tokens[start].lower.as_str());
            (lex.measure_words.at(tokens, pos).is_none() || stated(pos) || noun_of)
                && !(pos > 0 && w.not_before.contains(tokens[pos - 1].lower.as_str()))
        });
    (right, left)
}

/// True when the words of the verb at `pos` (its auxiliaries and adverbs back to `from`)
/// make it no fact ("he was not injured", "is believed to have been killed"); the words of a
/// clause before them do not ("a clerk trying to calm a fight was shot").
fn denied(tokens: &[Token<'_>], from: usize, pos: usize, lex: &Lexicon) -> bool {
    let not_before = &lex.wording.not_before;
    let mut k = pos;
    while k > from {
        if not_before.contains(tokens[k - 1].lower.as_str()) {
            k -= 1;
        } else if let Some((n, _)) = lex.skip_after.ending_at(tokens, k)
            && k - n >= from
        {
            k -= n;
        } else {
            break;
        }
    }
    tokens[k..pos]
        .iter()
        .any(|t| not_before.contains(t.lower.as_str()))
}

/// "was shot multiple times in the parking lot and died", "Man shot, killed in Feltonville",
/// "Girl shot at party dies": a later verb of the same person whose measure replaces the
/// first one's (a death after a shot) says what happened to them; without "and" or a comma
/// only a verb without object, with no other person named between.
fn chained<'l>(
    tokens: &[Token<'_>],
    (ids, pos): (&'l [MeasureId], usize),
    lex: &'l Lexicon,
) -> (&'l [MeasureId], usize) {
    let n = lex.measure_words.at(tokens, pos).map_or(1, |(n, _)| n);
    let limit = (pos + n + 12).min(tokens.len());
    let replaces = |q: usize| {
        lex.measure_words.at(tokens, q).filter(|(_, later)| {
            later
                .iter()
                .any(|&l| ids.iter().any(|&f| lex.wording.supersedes[l].contains(&f)))
        })
    };
    let w = &lex.wording;
    let mut someone = false;
    let mut k = pos + n;
    while k < limit {
        let t = &tokens[k];
        if t.kind == Kind::Number || (t.is_boundary() && !t.is_punct(",")) {
            break;
        }
        let word = t.lower.as_str();
        someone |= w.pronouns.contains(word)
            || w.objects.contains(word)
            || lex.relatives.contains(word)
            || person_word_at(tokens, k, lex);
        let intransitive = |q: usize| {
            w.forms
                .at(tokens, q)
                .is_some_and(|(_, f)| f & form::INTRANSITIVE != 0)
        };
        if !someone
            && intransitive(k)
            && let Some((_, later)) = replaces(k)
        {
            return (later.as_slice(), k);
        }
        let joins = t.is_punct(",") || lex.conjunctions.contains(word);
        if joins {
            let mut q = k + 1;
            while let Some((m, _)) = lex.skip_after.at(tokens, q) {
                q += m;
            }
            if let Some((_, later)) = replaces(q) {
                return (later.as_slice(), q);
            }
            // (another person or count starts: "was shot and his brother died")
            let next = tokens.get(q).map_or("", |t| t.lower.as_str());
            if lex.wording.determiners.contains(next) || lex.wording.pronouns.contains(next) {
                break;
            }
        }
        k += 1;
    }
    (ids, pos)
}

/// The measure of a count or a person as the object of what states it: a verb right
/// before it ("arrested a man", "killing him"), a noun with "of" ("the death of a man"), a
/// phrase around it ("took two men into custody").
fn object_of<'l>(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    with_of: bool,
    lex: &'l Lexicon,
) -> Option<(&'l [MeasureId], usize)> {
    if let Some(found) = around(tokens, start, end, lex) {
        return Some(found);
    }
    let of = with_of && start > 0 && tokens[start - 1].lower == "of";
    let before = if of { start - 1 } else { start };
    let (n, ids) = lex.measure_words.ending_at(tokens, before)?;
    let f = lex
        .wording
        .forms
        .at(tokens, before - n)
        .map_or(0, |(_, f)| *f);
    let wanted = if of { form::NOUN } else { form::TRANSITIVE };
    (f & wanted != 0).then_some((ids.as_slice(), before - n))
}

/// A phrase around its object at tokens `start..end` ("took ... into custody", "shot ...
/// to death"): the measure and where its first part starts.
pub(super) fn around<'l>(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    lex: &'l Lexicon,
) -> Option<(&'l [MeasureId], usize)> {
    let (_, heads) = lex.wording.around.at(tokens, end)?;
    heads.iter().find_map(|(head, id)| {
        let n = head.len();
        (n <= start
            && head
                .iter()
                .zip(&tokens[start - n..start])
                .all(|(w, t)| *w == t.lower))
        .then(|| (std::slice::from_ref(id), start - n))
    })
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
        if let Some((n, ids)) = lex.measure_words.at(tokens, j) {
            // ("he was shot at", "one shot was fired"; not "a girl shot at a party")
            let cancelled = lex.cancel.at(tokens, j).is_some_and(|(m, _)| {
                let kept = tokens.get(j + m).is_some_and(|t| {
                    (t.kind == Kind::Word && t.is_capitalised())
                        || lex.not_cancelled_by.at(tokens, j + m).is_some()
                });
                m > n && !kept
            });
            return (!cancelled).then_some((ids.as_slice(), j));
        }
        // ("Sharma, who was found dead in a drain, was": what the clause says of the count)
        if tokens[j].is_punct(",") && clause_states_measure(tokens, j + 1, lex) {
            j += 1;
            skipped += 1;
            continue;
        }
        j = past_relative_clause(tokens, j, lex)
            .or_else(|| past_breakdown(tokens, j, lex))
            .or_else(|| {
                (j == from)
                    .then(|| past_complement(tokens, j, lex))
                    .flatten()
            })
            .or_else(|| past_subset(tokens, j, lex))
            .or_else(|| past_name(tokens, j, lex))
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

/// "a 15-year-old named Adalberto Saucedo III was killed": past the name a count's person
/// is given at `j`.
fn past_name(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    let (n, _) = lex.wording.naming.at(tokens, j)?;
    let first = j + n;
    let end = (first..tokens.len())
        .take_while(|&k| tokens[k].kind == Kind::Word && tokens[k].is_capitalised())
        .last()?;
    Some(end + 1)
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

/// True when a relative clause starts at `j` and a measure word stands in it before the
/// next comma ("who was found dead in a drain,").
fn clause_states_measure(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> bool {
    tokens
        .get(j)
        .is_some_and(|t| lex.relatives.contains(t.lower.as_str()))
        && (j + 1..(j + 12).min(tokens.len()))
            .take_while(|&k| !tokens[k].is_boundary())
            .any(|k| lex.measure_words.at(tokens, k).is_some())
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

/// "six members of one family were killed", "the owner of a small grocery on Main Street
/// was shot", "a cook trying to calm a fight was shot": past the noun's complement or a
/// participle clause at `j`, up to the verb (a word of `skip_after`, "was") that ends it.
fn past_complement(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    let participle = tokens[j].kind == Kind::Word
        && lex.measure_words.at(tokens, j).is_none()
        && lex
            .participle_endings
            .iter()
            .any(|e| tokens[j].lower.len() > e.len() + 2 && tokens[j].lower.ends_with(e.as_str()));
    if (!lex.complement_starts.contains(tokens[j].lower.as_str()) && !participle)
        || lex.subset.at(tokens, j).is_some()
    {
        return None;
    }
    let mut k = j + 1;
    while k < tokens.len()
        && k - j <= COMPLEMENT_WORDS
        && matches!(tokens[k].kind, Kind::Word | Kind::Number)
        && lex.skip_after.at(tokens, k).is_none()
        && lex.measure_words.at(tokens, k).is_none()
    {
        k += 1;
    }
    // (a participle clause ends at its verb: "a man standing nearby was shot")
    let ends = !participle
        || tokens
            .get(k)
            .is_some_and(|t| lex.be_forms.contains(t.lower.as_str()));
    (k > j + 1
        && k - j <= COMPLEMENT_WORDS
        && ends
        && !complement_person_acted_on(tokens, j, k, lex))
    .then_some(k)
}

/// "the father of a 19-year-old killed by police": a bare participle right after a
/// complement that names one person (a noun of people after "a" or "an", or an age) says
/// what happened to that person, not to the noun before "of" ("six members of one family
/// killed" keeps the family's members: a group is no one person).
fn complement_person_acted_on(tokens: &[Token<'_>], j: usize, k: usize, lex: &Lexicon) -> bool {
    let bare = lex.measure_words.at(tokens, k).is_some();
    let one = tokens
        .get(j + 1)
        .is_some_and(|t| lex.wording.indefinite.contains(t.lower.as_str()));
    let person =
        (j + 1..k).any(|m| tokens[m].lower.contains("year-old") || person_word_at(tokens, m, lex));
    bare && one && person
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

/// The most words of a noun's complement between a count and its verb.
const COMPLEMENT_WORDS: usize = 8;

/// The most tokens of an apposition ("a 31-year-old woman, one of two people hurt in a
/// shooting on Sunday evening outside a church hall, has died").
const APPOSITION_TOKENS: usize = 20;

/// "Five people, aged 18 to 25, were killed", "Hull, 30, Bulpitt, was arrested": past
/// appositions between commas at `j` (up to three in a row), when a measure (or a word
/// before one) follows them.
pub(super) fn past_apposition(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> Option<usize> {
    let mut open = j;
    for _ in 0..3 {
        // (", and Paul Rayer, 51, were": a list goes on, no apposition)
        let listed = tokens
            .get(open + 1)
            .is_some_and(|t| lex.conjunctions.contains(t.lower.as_str()));
        if !tokens.get(open)?.is_punct(",")
            || listed
            || clause_states_measure(tokens, open + 1, lex)
        {
            return None;
        }
        let close = (open + 1..(open + APPOSITION_TOKENS).min(tokens.len()))
            .find(|&k| tokens[k].is_punct(","))?;
        let next = close + 1;
        if lex.skip_after.at(tokens, next).is_some() || lex.measure_words.at(tokens, next).is_some()
        {
            return Some(next);
        }
        open = close;
    }
    None
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
    let mut toll_link = false;
    while j > 0 && skipped <= 4 {
        if let Some((n, ids)) = lex.measure_words.ending_at(tokens, j) {
            return Some((ids.as_slice(), j - n));
        }
        toll_verb |= lex.toll_verbs.contains(tokens[j - 1].lower.as_str());
        toll_link |= lex.toll_links.contains(tokens[j - 1].lower.as_str());
        match lex.skip_before.ending_at(tokens, j) {
            Some((n, _)) => {
                j -= n;
                skipped += 1;
            }
            None if toll_verb || toll_link => return toll_before(tokens, j, toll_verb, lex),
            None => return None,
        }
    }
    None
}

/// "the death toll from the earthquake in Nepal rose to 3,218", "raised the death toll from
/// the airstrike to 33", "put the toll in the latest airstrike at 28": the toll is a few
/// words back in the same clause (across a comma: "The death toll, according to a hospital
/// source, stood at 14"); after a preposition alone it must be a noun of the measure.
fn toll_before<'l>(
    tokens: &[Token<'_>],
    j: usize,
    toll_verb: bool,
    lex: &'l Lexicon,
) -> Option<(&'l [MeasureId], usize)> {
    let from = j.saturating_sub(16);
    let noun = |k: usize| {
        lex.wording
            .forms
            .at(tokens, k)
            .is_some_and(|(_, f)| f & form::NOUN != 0)
    };
    (from..j)
        .rev()
        .take_while(|&k| !tokens[k].is_boundary() || tokens[k].is_punct(","))
        .find_map(|k| {
            lex.measure_words
                .at(tokens, k)
                .filter(|(n, _)| k + n <= j && (toll_verb || noun(k)))
                .map(|(_, ids)| (ids.as_slice(), k))
        })
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
    let (right, left) = match c.single {
        Some(single) => {
            let thing = c
                .subject
                .as_ref()
                .is_some_and(|s| s.kind.as_deref() != Some("person"));
            single_readings(tokens, c.start, c.np_end, single, thing, lex)
        }
        None => number_readings(tokens, c, lex),
    };
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
    let from_left = left.and_then(|(ids, pos)| pick(ids).map(|m| (m, pos)));
    // ("found the body of a man with a gunshot wound": the death says more than the wound;
    // not "the toll rose to 176 injured")
    let left_wins = c.single.is_some()
        && matches!((from_right, from_left),
        (Some((r, _)), Some((l, _))) if lex.wording.supersedes[l].contains(&r));
    let from_right = from_right.filter(|_| !left_wins);
    let (measure, at) = from_right.or(from_left).unzip();
    cands[k].measure = measure;
    cands[k].measure_at = at.unwrap_or(0);
    cands[k].measure_after = from_right.is_some();
    if let Some((_, pos)) = from_right
        && pos >= cands[k].np_end
    {
        // "12 bodies in Kathmandu": the measure word ends the count's words
        let n = lex.measure_words.at(tokens, pos).map_or(1, |(n, _)| n);
        let c = &mut cands[k];
        c.link_end = pos + n;
        c.own_place = at_place(tokens, pos + n);
        if c.subject.is_none() && pos == c.np_end {
            c.subject = noun_complement(tokens, pos, n, lex);
        }
    }
}

/// "three deaths of detained children": what a noun of a measure right after a number
/// counts, named after "of".
fn noun_complement(tokens: &[Token<'_>], pos: usize, n: usize, lex: &Lexicon) -> Option<Subject> {
    let noun = lex
        .wording
        .forms
        .at(tokens, pos)
        .is_some_and(|(_, f)| f & form::NOUN != 0);
    if !noun || tokens.get(pos + n)?.lower != "of" {
        return None;
    }
    let mut at = pos + n + 1;
    if lex
        .wording
        .determiners
        .contains(tokens.get(at)?.lower.as_str())
    {
        at += 1;
    }
    subject_at(tokens, at, lex).map(|(s, _)| s)
}

/// The measures after a number's count and before it.
#[allow(clippy::type_complexity)]
fn number_readings<'l>(
    tokens: &[Token<'_>],
    c: &Candidate,
    lex: &'l Lexicon,
) -> (
    Option<(&'l [MeasureId], usize)>,
    Option<(&'l [MeasureId], usize)>,
) {
    // "2,000 displaced families": the measure between the number and its noun
    let right = right_measure(tokens, c.np_end, lex).or_else(|| {
        lex.measure_words
            .at(tokens, c.number.end)
            .filter(|_| c.np_end > c.number.end)
            .map(|(_, ids)| (ids.as_slice(), c.number.end))
    });
    // "two gunmen killed 14 people": the count did the killing
    let right = right
        .filter(|&(_, pos)| !acts_on_object(tokens, c.np_end, pos, lex))
        .map(|found| chained(tokens, found, lex));
    let left =
        around(tokens, c.start, c.np_end, lex).or_else(|| left_measure(tokens, c.start, lex));
    (right, left)
}
