//! Counts in one sentence: each number tied to the measure that states it ("18 people were
//! killed", "killed at least 39", "the toll rose to 21"), with its subject and qualifier;
//! compounds ("14 adults and two children dead": 16 with parts) and subsets ("18 people,
//! including two children").

use corpus::{CountFact, CountPart, Qualifier};

use crate::lexicon::{Lexicon, MeasureId};
use crate::numbers::{Number, numbers};
use crate::text::{Kind, Token};

/// What a count counts.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Subject {
    name: String,
    kind: Option<String>,
    /// As written, lower case ("civilians" for people).
    noun: Option<String>,
}

#[derive(Debug, Clone)]
struct Candidate {
    number: Number,
    /// First token of the count with its qualifier ("at least 18").
    start: usize,
    qualifier: Qualifier,
    subject: Option<Subject>,
    /// "114 of them": the subject is an earlier count's.
    anaphoric: bool,
    /// End of the count's noun phrase.
    np_end: usize,
    measure: Option<MeasureId>,
    /// The measure word comes after the count ("17 students ... were killed").
    measure_after: bool,
    /// A part of the count at this index ("including two children").
    subset_of: Option<usize>,
    /// Stated together with the count at this index ("14 adults and two children").
    joined_to: Option<usize>,
    /// "12 in X and 10 in Y": followed by its own place.
    own_place: bool,
    /// Where the count's words end, with a measure word after it ("12 bodies").
    link_end: usize,
    /// Right after "including", "among them": a part of an earlier count.
    in_subset: bool,
}

/// A count found in a sentence, at tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCount {
    pub fact: CountFact,
    pub start: usize,
    pub end: usize,
    /// "two other people": not the main toll.
    pub other: bool,
}

/// Every count stated in a sentence.
pub fn counts(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<FoundCount> {
    let mut cands: Vec<Candidate> = numbers(tokens, lex)
        .into_iter()
        // "six members of one family": the number names the family, not a count
        .filter(|n| {
            !(n.start >= 2
                && tokens[n.start - 1].lower == "of"
                && is_person_noun(&tokens[n.start - 2], lex))
        })
        .map(|n| candidate(tokens, n, lex))
        .collect();
    // implicit ones: "a man died", "a police officer was killed"
    for i in 0..tokens.len() {
        if lex.one.contains(tokens[i].lower.as_str())
            && tokens[i].lower != "one"
            && !cands.iter().any(|c| c.start <= i && i < c.np_end)
            && let Some(c) = implicit_one(tokens, i, lex)
        {
            cands.push(c);
        }
    }
    cands.sort_by_key(|c| c.start);
    mark_breakdowns(tokens, &mut cands);

    for k in 0..cands.len() {
        link(tokens, &mut cands, k, lex);
    }

    relate(tokens, &mut cands, lex);
    facts(tokens, &cands, lex)
}

/// "Twelve of the 26 were children": a part of a total stated before, at tokens
/// `start..end`; what it counts is what the total counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartOfTotal {
    pub start: usize,
    pub end: usize,
    pub count: u64,
    pub total: u64,
    pub subject: String,
    pub noun: Option<String>,
}

/// The parts of earlier totals a sentence states: "N of the M were X" with no measure word
/// after M ("Twenty-six of the 154 were foreigners").
pub fn parts_of_totals(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<PartOfTotal> {
    let nums = numbers(tokens, lex);
    let mut out = Vec::new();
    for pair in nums.windows(2) {
        let (part, total) = (&pair[0], &pair[1]);
        let (Some(count), Some(total_value)) = (part.value, total.value) else {
            continue;
        };
        let shaped = total.start == part.end + 2
            && tokens[part.end].lower == "of"
            && tokens[part.end + 1].lower == "the"
            && tokens
                .get(total.end)
                .is_some_and(|t| matches!(t.lower.as_str(), "were" | "was"));
        if !shaped || count >= total_value {
            continue;
        }
        let Some((subject, end)) = subject_at(tokens, total.end + 1, lex) else {
            continue;
        };
        out.push(PartOfTotal {
            start: part.start,
            end,
            count,
            total: total_value,
            noun: subject.noun.filter(|n| *n != subject.name),
            subject: subject.name,
        });
    }
    out
}

/// "Twenty-six people, 20 children and six adults, were killed": counts set off after a
/// count that add up to it are its parts.
fn mark_breakdowns(tokens: &[Token<'_>], cands: &mut [Candidate]) {
    for h in 0..cands.len() {
        let (Some(total), true) = (cands[h].number.value, cands[h].subject.is_some()) else {
            continue;
        };
        let opens = tokens
            .get(cands[h].np_end)
            .is_some_and(|t| matches!(t.text, "," | "(" | "—" | "–"));
        if !opens {
            continue;
        }
        let mut sum = 0;
        let mut end = cands[h].np_end + 1;
        let mut items = Vec::new();
        for (g, c) in cands.iter().enumerate().skip(h + 1) {
            let gap_ok = tokens[end.min(c.start)..c.start]
                .iter()
                .all(|t| t.is_punct(",") || t.lower == "and");
            if c.start < end || !gap_ok || c.subject.is_none() {
                break;
            }
            sum += c.number.value.unwrap_or(0);
            items.push(g);
            end = c.np_end;
            if sum >= total {
                break;
            }
        }
        if items.len() >= 2 && sum == total {
            for g in items {
                cands[g].in_subset = true;
            }
        }
    }
}

fn qualifier_before(tokens: &[Token<'_>], start: usize, lex: &Lexicon) -> (Qualifier, usize) {
    match lex.qualifiers_before.ending_at(tokens, start) {
        // "over" and "under" are prepositions unless a number follows them directly
        Some((n, q)) => (*q, start - n),
        None => (Qualifier::Exact, start),
    }
}

fn candidate(tokens: &[Token<'_>], number: Number, lex: &Lexicon) -> Candidate {
    let (mut qualifier, start) = qualifier_before(tokens, number.start, lex);
    if number.value.is_none() {
        qualifier = Qualifier::Vague;
    } else if number.plus {
        qualifier = Qualifier::MoreThan;
    }
    let mut j = number.end;
    if let Some((n, q)) = lex.qualifiers_after.at(tokens, j)
        && number.value.is_some()
    {
        qualifier = *q;
        j += n;
    }
    let (subject, anaphoric, np_end) = match number.age {
        Some(age) => {
            // "a 9-year-old (boy)": one person, a child under the adult age
            let noun = subject_at(tokens, number.end, lex);
            match noun {
                Some((_, end)) if age < lex.file.not_counts.adult_age => (
                    Some(Subject {
                        name: "children".into(),
                        kind: Some("person".into()),
                        noun: None,
                    }),
                    false,
                    end,
                ),
                Some((s, end)) => (Some(s), false, end),
                None => (
                    Some(Subject {
                        name: if age < lex.file.not_counts.adult_age {
                            "children".into()
                        } else {
                            "people".into()
                        },
                        kind: Some("person".into()),
                        noun: None,
                    }),
                    false,
                    number.end,
                ),
            }
        }
        None => noun_phrase(tokens, j, lex),
    };
    let own_place = at_place(tokens, np_end);
    let in_subset = follows_subset_word(tokens, start, lex);
    Candidate {
        link_end: np_end,
        in_subset,
        number,
        start,
        qualifier,
        subject,
        anaphoric,
        np_end,
        measure: None,
        measure_after: false,
        subset_of: None,
        joined_to: None,
        own_place,
    }
}

/// True when a subset phrase ends right before `start` (a comma may stand between).
fn follows_subset_word(tokens: &[Token<'_>], start: usize, lex: &Lexicon) -> bool {
    let mut s = start;
    if s > 0 && tokens[s - 1].is_punct(",") {
        s -= 1;
    }
    lex.subset.ending_at(tokens, s).is_some() || lex.subset.ending_at(tokens, start).is_some()
}

/// The subject noun at `i`, skipping up to three modifiers: (subject, end of the phrase).
fn subject_at(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(Subject, usize)> {
    let mut j = i;
    let mut skipped = 0;
    while skipped <= 3 {
        let t = tokens.get(j)?;
        if let Some((n, s)) = lex.subject_words.at(tokens, j) {
            let written = words_of(tokens, j, j + n);
            let mut subject = Subject {
                name: s.subject.clone(),
                kind: Some(s.kind.clone()),
                noun: (!lex.plain_nouns.contains(&written)).then_some(written),
            };
            let mut end = j + n;
            // "missiles and drones": one count of both
            if tokens
                .get(end)
                .is_some_and(|t| t.lower == "and" || t.lower == "or")
                && let Some((m, other)) = lex.subject_words.at(tokens, end + 1)
                && other.kind == s.kind
                && other.subject != s.subject
                && (s.kind != "person")
            {
                subject.name = format!("{} and {}", s.subject, other.subject);
                subject.noun = Some(words_of(tokens, j, end + 1 + m));
                end += 1 + m;
            }
            return Some((subject, end));
        }
        // "American college students": a noun of people used as a modifier
        if skipped < 3
            && (is_person_noun(t, lex) || demonym_noun(tokens, j, lex))
            && tokens.get(j + 1).is_some_and(|n| {
                n.kind == Kind::Word
                    && !n.is_capitalised()
                    && !is_person_noun(n, lex)
                    && !matches!(n.lower.as_str(), "and" | "or" | "of" | "were" | "was")
            })
            && tokens.get(j + 2).is_some_and(|n| is_person_noun(n, lex))
            && lex.measure_words.at(tokens, j + 1).is_none()
        {
            j += 1;
            skipped += 1;
            continue;
        }
        if is_person_noun(t, lex) || demonym_noun(tokens, j, lex) {
            // "staff members", "family members": a noun of people made of two
            let mut end = j + 1;
            if tokens.get(end).is_some_and(|n| is_person_noun(n, lex)) {
                end += 1;
            }
            // "students and teachers": one count of both
            if tokens.get(end).is_some_and(|t| t.lower == "and")
                && tokens.get(end + 1).is_some_and(|n| is_person_noun(n, lex))
            {
                end += 2;
            }
            let written = words_of(tokens, j, end);
            return Some((
                Subject {
                    name: written.clone(),
                    kind: Some("person".into()),
                    noun: Some(written),
                },
                end,
            ));
        }
        // a name before the noun: "12 suspected Boko Haram members", "32 Ukrainian drones"
        let name_word = t.is_capitalised() && t.kind == Kind::Word;
        // "college students", "garment workers": a noun before a noun of people
        let compound = t.kind == Kind::Word
            && t.lower.len() > 2
            && !matches!(
                t.lower.as_str(),
                "and" | "or" | "the" | "were" | "was" | "are" | "had" | "have" | "has"
            )
            && lex.measure_words.at(tokens, j).is_none()
            && tokens.get(j + 1).is_some_and(|n| is_person_noun(n, lex));
        let skippable = compound
            || lex.modifiers.contains(t.lower.as_str())
            || lex.measure_words.contains_word(t.lower.as_str())
            || (t.is_capitalised() && lex.gazetteer.demonym(t.text).is_some())
            || name_word
            || t.is_punct("'")
            || t.is_punct("\"")
            || (t.kind == Kind::Word && t.lower.contains('-') && !t.lower.ends_with("-old"));
        if !skippable {
            return None;
        }
        j += 1;
        skipped += 1;
    }
    None
}

/// True when the measure word at `pos`, right after a count's words ending at `np_end`, is
/// a verb in the active voice with an object after it ("a student killed 12 people"): the
/// count is the one who acted.
fn acts_on_object(tokens: &[Token<'_>], np_end: usize, pos: usize, lex: &Lexicon) -> bool {
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

fn is_person_noun(t: &Token<'_>, lex: &Lexicon) -> bool {
    lex.person_nouns.contains(t.lower.as_str())
        || (t.lower.len() > 3 && lex.person_nouns.contains(&format!("{}s", t.lower)))
}

/// A country's people named by its adjective, as a noun: "two Nigerians", "three Lebanese"
/// (not "three Lebanese soldiers", where it is a modifier).
fn demonym_noun(tokens: &[Token<'_>], j: usize, lex: &Lexicon) -> bool {
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

fn starts_number(t: &Token<'_>, lex: &Lexicon) -> bool {
    t.kind == Kind::Number
        || lex
            .file
            .numbers
            .units
            .contains_key(t.lower.split('-').next().unwrap_or(""))
        || lex.dozen.contains(t.lower.as_str())
}

fn words_of(tokens: &[Token<'_>], from: usize, to: usize) -> String {
    tokens[from..to]
        .iter()
        .map(|t| t.lower.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The noun phrase after a number: (subject, anaphoric, end).
fn noun_phrase(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> (Option<Subject>, bool, usize) {
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
        let j = if tokens.get(i + 1).is_some_and(|t| t.lower == "the") {
            i + 2
        } else {
            i + 1
        };
        if let Some((s, end)) = subject_at(tokens, j, lex) {
            return (Some(s), false, end);
        }
    }
    (None, false, i)
}

fn implicit_one(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<Candidate> {
    let (subject, end) = subject_at(tokens, i + 1, lex)?;
    if subject.kind.as_deref() != Some("person") {
        return None;
    }
    // singular nouns only: "a man", not "a number of people"
    let noun = &tokens[end - 1].lower;
    let singular = !noun.ends_with('s') || noun.ends_with("ss");
    if !singular || noun == "people" || noun == "police" {
        return None;
    }
    let subject = Subject {
        name: if subject.name == "people" || subject.name.ends_with('s') {
            subject.name
        } else {
            format!("{}s", subject.name)
        },
        kind: subject.kind,
        noun: subject.noun,
    };
    // one only when the measure follows at once: "a man died", "a child was killed"
    let (_, pos) = right_measure(tokens, end, lex)?;
    if acts_on_object(tokens, end, pos, lex) {
        return None;
    }
    Some(Candidate {
        number: Number {
            start: i,
            end: i + 1,
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
        subset_of: None,
        joined_to: None,
        own_place: false,
        link_end: end,
        in_subset: follows_subset_word(tokens, i, lex),
    })
}

/// A measure word after a count, past auxiliaries and a subset ("18 people were killed",
/// "Another 108 people, including 15 children, were injured"): (measure ids, position).
fn right_measure<'l>(
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
        // "four people who had tried to escape by swimming were found drowned": past a
        // relative clause to the last auxiliary before the clause ends
        if tokens[j].lower == "who" {
            let clause_end = (j + 1..(j + 14).min(tokens.len()))
                .find(|&k| tokens[k].is_boundary() || tokens[k].is_punct(","))
                .unwrap_or_else(|| (j + 14).min(tokens.len()));
            let aux = (j + 2..clause_end).rev().find(|&k| {
                matches!(
                    tokens[k].lower.as_str(),
                    "were" | "was" | "had" | "has" | "have" | "is" | "are"
                ) && lex.measure_words.at(tokens, k - 1).is_none()
            });
            // ("a man who had been treated for burns died": no auxiliary, the last verb)
            let last_measure = || {
                (j + 2..clause_end)
                    .rev()
                    .find(|&k| lex.measure_words.at(tokens, k).is_some())
            };
            if let Some(k) = aux.or_else(last_measure) {
                j = k;
                skipped += 1;
                continue;
            }
        }
        // "Twenty-six people, 20 children and six adults, were killed": a breakdown
        // between commas, dashes or brackets
        if matches!(tokens[j].text, "," | "(" | "—" | "–")
            && tokens.get(j + 1).is_some_and(|t| starts_number(t, lex))
        {
            let close = match tokens[j].text {
                "(" => ")",
                "," => ",",
                dash => dash,
            };
            let mut k = j + 1;
            while k < tokens.len() && k - j <= 10 && tokens[k].text != close {
                k += 1;
            }
            if k < tokens.len() && tokens[k].text == close {
                j = k + 1;
                skipped += 1;
                continue;
            }
        }
        // "six members of one family were killed": past the noun's complement
        if j == from && tokens[j].lower == "of" {
            let mut k = j + 1;
            while k < tokens.len()
                && k - j <= 4
                && matches!(tokens[k].kind, Kind::Word | Kind::Number)
                && lex.skip_after.at(tokens, k).is_none()
                && lex.measure_words.at(tokens, k).is_none()
            {
                k += 1;
            }
            if k > j + 1 && k - j <= 4 {
                j = k;
                skipped += 1;
                continue;
            }
        }
        // ", including 15 children," and "including three children"
        let subset_at = if tokens[j].is_punct(",") { j + 1 } else { j };
        if let Some((n, _)) = lex.subset.at(tokens, subset_at) {
            let mut k = subset_at + n;
            let first = k;
            let limit = (k + 14).min(tokens.len());
            // "including people from Iran, China, Russia and Norway,": a list of names
            // goes on over its commas
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
                    || ((!tokens[k].is_punct(",") || in_list(k))
                        && lex.skip_after.at(tokens, k).is_none()))
            {
                k += 1;
            }
            if k < tokens.len() && tokens[k].is_punct(",") {
                k += 1;
            }
            j = k;
            skipped += 1;
            continue;
        }
        match lex.skip_after.at(tokens, j) {
            Some((n, _)) => {
                j += n;
                skipped += 1;
            }
            // "Five people, aged 18 to 25, were killed": past an apposition
            None if tokens[j].is_punct(",") && skipped == 0 => {
                let close =
                    (j + 1..(j + 10).min(tokens.len())).find(|&k| tokens[k].is_punct(","))?;
                let next = close + 1;
                let measure_follows = lex.skip_after.at(tokens, next).is_some()
                    || lex.measure_words.at(tokens, next).is_some();
                if !measure_follows {
                    return None;
                }
                j = next;
                skipped += 1;
            }
            None => return None,
        }
    }
    None
}

/// A measure word before a count ("killed at least 39", "the deaths of 14", "the toll
/// rose to 21", "the dead included two children").
fn left_measure<'l>(
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

fn link(tokens: &[Token<'_>], cands: &mut [Candidate], k: usize, lex: &Lexicon) {
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

/// True when a place follows at `i`: "in X", "at X", "were in X".
fn at_place(tokens: &[Token<'_>], i: usize) -> bool {
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
fn place_phrase_end(tokens: &[Token<'_>], i: usize, to: usize) -> Option<usize> {
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

fn only_list_words(tokens: &[Token<'_>], from: usize, to: usize, allow_place: bool) -> bool {
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
fn relate(tokens: &[Token<'_>], cands: &mut [Candidate], lex: &Lexicon) {
    // "24 of the dead were women and 19 were children", "Of the dead, 155 were in Mexico
    // City, ...": a bare count before "were" counts the group an "of the dead" before it
    // in the sentence names
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
    // "17 students and two staff members were killed": a count listed before one whose
    // measure follows shares it
    for k in (0..cands.len().saturating_sub(1)).rev() {
        let next = &cands[k + 1];
        let c = &cands[k];
        if c.measure.is_none()
            && !c.in_subset
            && c.subject.is_some()
            && next.measure_after
            && !next.in_subset
            && !next.anaphoric
            && only_list_words(tokens, c.link_end, next.start, false)
            && tokens[c.link_end..next.start]
                .iter()
                .any(|t| t.lower == "and" || t.is_punct(","))
        {
            cands[k].measure = next.measure;
        }
    }
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
        let listed = only_list_words(tokens, gap_from, c.start, prev.own_place)
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
    // a measure without a subject takes the subject of the count before it in the
    // sentence when that is of the kind the measure counts ("killed 18 people ... and
    // injured 111")
    for k in 1..cands.len() {
        if cands[k].subject.is_none()
            && let Some(m) = cands[k].measure
        {
            let kinds = &lex.measure(m).kinds;
            let inherited = cands[..k].iter().rev().find_map(|p| {
                p.subject.as_ref().filter(|s| {
                    s.kind.as_ref().is_some_and(|kd| kinds.contains(kd))
                        && p.subset_of.is_none()
                        && p.joined_to.is_none()
                        && !p.in_subset
                })
            });
            cands[k].subject = inherited.cloned();
        }
    }
}

fn facts(tokens: &[Token<'_>], cands: &[Candidate], lex: &Lexicon) -> Vec<FoundCount> {
    let mut out = Vec::new();
    let single = cands.iter().filter(|c| c.measure.is_some()).count() == 1;
    for (k, c) in cands.iter().enumerate() {
        let Some(m) = c.measure else { continue };
        let measure = lex.measure(m);
        let (subject, noun) = match &c.subject {
            Some(s) => (s.name.clone(), s.noun.clone().filter(|n| *n != s.name)),
            None => match &measure.default_subject {
                Some(d) => (d.clone(), None),
                None => continue,
            },
        };
        if c.number.value == Some(0) || c.number.value.is_some_and(|v| v > 50_000_000) {
            continue;
        }
        let other = single
            && tokens
                .get(c.number.end)
                .is_some_and(|t| lex.other.contains(t.lower.as_str()))
            && c.number.value.is_some();
        out.push(FoundCount {
            fact: CountFact {
                measure: measure.name.clone(),
                subject: subject.clone(),
                noun,
                count: c.number.value,
                qualifier: c.qualifier,
                parts: Vec::new(),
            },
            start: c.start,
            end: c.np_end.max(c.number.end),
            other,
        });
        // a compound: the counts listed with this one make a total
        let joined: Vec<&Candidate> = cands
            .iter()
            .skip(k + 1)
            .filter(|o| o.joined_to == Some(k) && o.subset_of.is_none())
            .collect();
        let persons = |x: &Candidate| {
            x.subject
                .as_ref()
                .is_none_or(|s| s.kind.as_deref() == Some("person"))
        };
        if !joined.is_empty()
            && c.subset_of.is_none()
            && !c.own_place
            && persons(c)
            && joined
                .iter()
                .all(|o| persons(o) && o.measure == c.measure && !o.own_place)
            && c.number.value.is_some()
            && joined.iter().all(|o| o.number.value.is_some())
        {
            let mut parts = vec![CountPart {
                subject: subject.clone(),
                count: c.number.value.unwrap_or(0),
            }];
            for o in &joined {
                parts.push(CountPart {
                    subject: o
                        .subject
                        .as_ref()
                        .map_or_else(|| subject.clone(), |s| s.name.clone()),
                    count: o.number.value.unwrap_or(0),
                });
            }
            let distinct = parts.iter().any(|p| p.subject != parts[0].subject);
            let rest: u64 = parts[1..].iter().map(|p| p.count).sum();
            if rest == parts[0].count && parts.len() > 2 {
                // "26 people, 20 children and six adults": the head is the total, the rest
                // its parts
                if let Some(head) = out.iter_mut().rev().find(|f| f.start == c.start) {
                    head.fact.parts = parts[1..].to_vec();
                }
            } else if distinct {
                // "14 adults and two children dead": one toll given in its parts; the toll
                // is compared with other outlets' totals, so it is kept as the total with
                // its parts (16: 14 adults, 2 children), the parts as well.
                let last = joined.last().map_or(c.np_end, |o| o.np_end);
                out.push(FoundCount {
                    fact: CountFact {
                        measure: measure.name.clone(),
                        subject: "people".into(),
                        noun: None,
                        count: Some(parts.iter().map(|p| p.count).sum()),
                        qualifier: c.qualifier,
                        parts,
                    },
                    start: c.start,
                    end: last,
                    other: false,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    pub(crate) fn read(s: &str) -> Vec<String> {
        let lex = Lexicon::shared();
        counts(&tokenize(s), lex)
            .into_iter()
            .map(|f| {
                let q = match f.fact.qualifier {
                    Qualifier::Exact => "",
                    Qualifier::AtLeast => ">=",
                    Qualifier::MoreThan => ">",
                    Qualifier::About => "~",
                    Qualifier::Vague => "?",
                };
                let n = f.fact.count.map_or("-".to_string(), |c| c.to_string());
                format!("{} {}{} {}", f.fact.measure, q, n, f.fact.subject)
            })
            .collect()
    }

    #[test]
    fn passive_active_and_nominal() {
        assert_eq!(
            read("At least 18 people were killed."),
            ["killed >=18 people"]
        );
        assert_eq!(
            read("Shelling has killed 18 people, including two children, and injured 111."),
            [
                "killed 18 people",
                "killed 2 children",
                "injured 111 people"
            ]
        );
        assert_eq!(read("the deaths of 14 civilians"), ["killed 14 people"]);
    }
}
