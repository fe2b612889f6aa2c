//! The facts the counts of a sentence state, compounds summed with their parts.

use corpus::{CountFact, CountPart};

use super::single::Single;
use super::{Candidate, FoundCount, Who};
use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

pub(super) fn facts(tokens: &[Token<'_>], cands: &[Candidate], lex: &Lexicon) -> Vec<FoundCount> {
    let mut out = Vec::new();
    // people named one by one whose total stands for them ("Smith and Jones were killed")
    let mut summed: Vec<usize> = Vec::new();
    let single = cands.iter().filter(|c| c.measure.is_some()).count() == 1;
    for (k, c) in cands.iter().enumerate() {
        let Some(found) = fact_of(tokens, c, single, lex) else {
            continue;
        };
        let (measure, subject) = (found.fact.measure.clone(), found.fact.subject.clone());
        out.push(found);
        // a compound: the counts listed with this one make a total
        let joined: Vec<&Candidate> = cands
            .iter()
            .skip(k + 1)
            .filter(|o| o.joined_to == Some(k) && o.subset_of.is_none())
            .collect();
        if !joined.is_empty() && compound(tokens, c, &joined, lex) {
            let named = c.single.is_some() && joined.iter().all(|o| o.single.is_some());
            let same = joined.iter().all(|o| o.subject == c.subject);
            if named && same {
                summed.push(c.start);
                summed.extend(joined.iter().map(|o| o.start));
            }
            // ("a man and a woman were found dead": two, though not of one noun)
            compound_total(c, &joined, measure, subject, named, &mut out);
        }
    }
    out.retain(|f| !summed.contains(&f.start) || !f.fact.parts.is_empty());
    out
}

/// The fact a count states, if it has a measure and a subject and is a count.
fn fact_of(tokens: &[Token<'_>], c: &Candidate, single: bool, lex: &Lexicon) -> Option<FoundCount> {
    let measure = lex.measure(c.measure?);
    if c.single.is_some() && attacker(tokens, c, lex) {
        return None;
    }
    let (subject, noun) = match &c.subject {
        Some(s) => (s.name.clone(), s.noun.clone().filter(|n| *n != s.name)),
        None => (measure.default_subject.clone()?, None),
    };
    if c.number.value == Some(0)
        || c.number
            .value
            .is_some_and(|v| v > lex.file.numbers.max_count)
    {
        return None;
    }
    let other = single
        && tokens
            .get(c.number.end)
            .is_some_and(|t| lex.other.contains(t.lower.as_str()))
        && c.number.value.is_some();
    Some(FoundCount {
        fact: CountFact {
            measure: measure.name.clone(),
            subject,
            noun,
            count: c.number.value,
            qualifier: c.qualifier,
            parts: Vec::new(),
        },
        start: c.start,
        end: c.np_end.max(c.number.end),
        other,
        who: who(tokens, c, lex),
        open: c.number.value == Some(1)
            && !more_of(tokens, c, lex)
            && open_outcome(tokens, c.measure_at, lex),
        more: (c.number.value == Some(1) && more_of(tokens, c, lex)).then(|| {
            let ordinal = |k: usize| tokens.get(k).map(|t| t.lower.as_str());
            [c.start, c.start + 1]
                .into_iter()
                .find_map(|k| lex.wording.ordinal_counts.get(ordinal(k)?).copied())
                .unwrap_or(0)
        }),
        several_open: c.number.value.is_some_and(|n| n > 1)
            && open_outcome(tokens, c.measure_at, lex)
            && lex.wording.open_counts.at(tokens, c.measure_at).is_some(),
    })
}

/// What tells the people of a count from others: a person's name (its last word), or
/// their noun unless it is a word for anyone ("victim").
fn who(tokens: &[Token<'_>], c: &Candidate, lex: &Lexicon) -> Option<Who> {
    match c.single {
        Some(Single::Name) => tokens[c.start..c.np_end]
            .iter()
            .skip_while(|t| !t.is_capitalised())
            .take_while(|t| t.is_capitalised() || t.is_punct("."))
            .filter(|t| t.kind == Kind::Word)
            .last()
            .map(|t| Who::Name(t.lower.clone())),
        Some(Single::Pronoun | Single::Object | Single::Another) => None,
        _ => {
            let s = c.subject.as_ref()?;
            let noun = s.noun.clone().unwrap_or_else(|| s.name.clone());
            (!lex.wording.anyone.contains(noun.as_str())).then_some(Who::Noun(noun))
        }
    }
}

/// True when one person is one more than those said before ("another man", "a second
/// victim").
fn more_of(tokens: &[Token<'_>], c: &Candidate, lex: &Lexicon) -> bool {
    let w = &lex.wording;
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    c.single == Some(Single::Another)
        || w.another.contains(word(c.start))
        || (w.indefinite.contains(word(c.start)) && w.ordinals.contains(word(c.start + 1)))
}

/// True when the measure word at `at` says a person was hit, not how it ended ("was shot").
fn open_outcome(tokens: &[Token<'_>], at: usize, lex: &Lexicon) -> bool {
    // (a phrase around its object starts with no measure word: "striking him in the leg")
    let said = lex.measure_words.at(tokens, at).map(|(n, _)| n);
    let open = lex.wording.open_outcome.at(tokens, at).map(|(n, _)| n);
    open.is_some() && (said.is_none() || said == open)
}

/// True when one person killed or hurt is, most likely, one who attacked: named so ("the
/// suspected bomber died in the explosion") or dying in a fight with the police ("he was shot
/// dead by police after a three-hour siege"). Their death is not the toll.
fn attacker(tokens: &[Token<'_>], c: &Candidate, lex: &Lexicon) -> bool {
    let w = &lex.wording;
    let Some(m) = c.measure else { return false };
    if !w.perpetrators_not_in.contains(&lex.measure(m).name) {
        return false;
    }
    let named = (c.start..c.np_end).any(|k| w.perpetrators.at(tokens, k).is_some());
    // (a fight with the police: "a shootout at a tattoo parlor left a man injured" is none)
    let fight =
        w.fights.any_in(tokens, 0, tokens.len()) && w.fight_sides.any_in(tokens, 0, tokens.len());
    named || fight
}

/// True when a count and the counts listed with it are the parts of one toll of people.
fn compound(tokens: &[Token<'_>], c: &Candidate, joined: &[&Candidate], lex: &Lexicon) -> bool {
    let persons = |x: &Candidate| {
        x.subject
            .as_ref()
            .is_none_or(|s| s.kind.as_deref() == Some("person"))
    };
    // (a place after the last of a list of people named is the whole list's: "found Tammy
    // Lowe and Megan Lowe dead in a home"; "12 in X and 10 in Y" are two, and so are "a
    // founder and a member who was arrested at a protest")
    let last = joined.len().saturating_sub(1);
    let list_place = |o: &Candidate| {
        c.single.is_some()
            && joined.iter().all(|j| j.single.is_some())
            && o.np_end <= o.measure_at
            && !tokens[o.np_end..o.measure_at]
                .iter()
                .any(|t| lex.relatives.contains(t.lower.as_str()))
    };
    c.subset_of.is_none()
        && !c.own_place
        && persons(c)
        && joined.iter().enumerate().all(|(k, o)| {
            persons(o) && o.measure == c.measure && (!o.own_place || (k == last && list_place(o)))
        })
        && c.number.value.is_some()
        && joined.iter().all(|o| o.number.value.is_some())
}

/// The total of a compound: "26 people, 20 children and six adults" gives the head its
/// parts; "14 adults and two children dead" is one toll given in its parts, kept as the
/// total with its parts (16: 14 adults, 2 children), the parts as well, since the toll is
/// compared with other outlets' totals. People named one by one ("Smith and Jones", `named`)
/// are kept as their total.
fn compound_total(
    c: &Candidate,
    joined: &[&Candidate],
    measure: String,
    subject: String,
    named: bool,
    out: &mut Vec<FoundCount>,
) {
    let mut parts = vec![CountPart {
        subject: subject.clone(),
        count: c.number.value.unwrap_or(0),
    }];
    for o in joined {
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
        if let Some(head) = out.iter_mut().rev().find(|f| f.start == c.start) {
            head.fact.parts = parts[1..].to_vec();
        }
    } else if distinct || named {
        let last = joined.last().map_or(c.np_end, |o| o.np_end);
        out.push(FoundCount {
            fact: CountFact {
                measure,
                subject: "people".into(),
                noun: None,
                count: Some(parts.iter().map(|p| p.count).sum()),
                qualifier: c.qualifier,
                parts,
            },
            start: c.start,
            end: last,
            other: false,
            who: None,
            open: false,
            more: None,
            several_open: false,
        });
    }
}
