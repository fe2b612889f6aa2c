//! The facts the counts of a sentence state, compounds summed with their parts.

use corpus::{CountFact, CountPart};

use super::{Candidate, FoundCount};
use crate::lexicon::Lexicon;
use crate::text::Token;

pub(super) fn facts(tokens: &[Token<'_>], cands: &[Candidate], lex: &Lexicon) -> Vec<FoundCount> {
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
