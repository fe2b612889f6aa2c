//! Counts in one sentence: each number tied to the measure that states it ("18 people were
//! killed", "killed at least 39", "the toll rose to 21"), with its subject and qualifier;
//! compounds ("14 adults and two children dead": 16 with parts) and subsets ("18 people,
//! including two children").

use corpus::{CountFact, Qualifier};

mod facts;
mod measure;
mod relate;
mod single;
mod subject;

use crate::lexicon::{Lexicon, MeasureId};
use crate::numbers::{Number, numbers};
use crate::text::{Kind, Token};

use facts::facts;
use measure::link;
use relate::{at_place, relate};
use single::{Single, singles};
use subject::{described_part, is_person_noun, noun_phrase, subject_at};

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
    /// Where the measure word is (0 before one is found).
    measure_at: usize,
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
    /// One person named without a number ("a man", "he", "John Smith").
    single: Option<Single>,
}

/// A count found in a sentence, at tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCount {
    pub fact: CountFact,
    pub start: usize,
    pub end: usize,
    /// "two other people": not the main toll.
    pub other: bool,
    /// Who is counted, when it tells them from others: a person's name or the noun of
    /// the people ("woman", "women"; not "victim").
    pub who: Option<Who>,
    /// One person said to be hit ("was shot") with no word of how it ended: the same
    /// person's death said elsewhere in the article replaces it.
    pub open: bool,
    /// One person more than those said before: 0 for "another man", the ordinal's number
    /// for "a second victim" (2).
    pub more: Option<u64>,
    /// Several people said to be hit ("three people were shot") with no word of how it
    /// ended: the deaths stated among them are taken off.
    pub several_open: bool,
}

/// Who a count counts, as far as the words tell them from others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// The last word of one person's name, lower case ("smith").
    Name(String),
    /// The noun of the people, lower case as written ("woman", "teen girl", "women").
    Noun(String),
}

impl Who {
    /// True unless the two tell different people: two names, or two nouns with no word
    /// in common nor of one group of `[singles] one_person` ("teen girl" and "girl", "teen"
    /// and "girl" may be one person, "man" and "woman" not; a noun and its plural are the
    /// same word).
    pub fn may_be(&self, other: &Who, lex: &Lexicon) -> bool {
        let groups = &lex.wording.one_person;
        // (the groups of a noun or of its singular: "teens")
        let group = |x: &str| {
            groups.get(x).or_else(|| {
                lex.plural_endings.iter().find_map(|(one, many)| {
                    let stem = x.strip_suffix(many.as_str())?;
                    groups.get(format!("{stem}{one}").as_str())
                })
            })
        };
        let same = |x: &str, y: &str| {
            same_noun(x, y, lex)
                || group(x)
                    .zip(group(y))
                    .is_some_and(|(g, h)| g.iter().any(|k| h.contains(k)))
        };
        match (self, other) {
            (Who::Name(a), Who::Name(b)) => a == b,
            (Who::Noun(a), Who::Noun(b)) => a.split(' ').any(|x| b.split(' ').any(|y| same(x, y))),
            _ => true,
        }
    }
}

/// True when two nouns are one, or one is the other's plural ("woman", "women").
fn same_noun(a: &str, b: &str, lex: &Lexicon) -> bool {
    let plural = |one: &str, many: &str| {
        lex.plural_endings.iter().any(|(o, m)| {
            one.strip_suffix(o.as_str())
                .zip(many.strip_suffix(m.as_str()))
                .is_some_and(|(x, y)| x == y && !x.is_empty())
        })
    };
    a == b || plural(a, b) || plural(b, a)
}

/// Every count stated in a sentence.
pub fn counts(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<FoundCount> {
    let mut cands: Vec<Candidate> = numbers(tokens, lex)
        .into_iter()
        // "six members of one family": the number names the family, not a count
        .filter(|n| {
            let of_person = n.start >= 2
                && tokens[n.start - 1].lower == "of"
                && is_person_noun(&tokens[n.start - 2], lex);
            !of_person && !described_part(tokens, n.end, lex)
        })
        .map(|n| candidate(tokens, n, lex))
        .collect();
    drop_partitive_totals(tokens, &mut cands, lex);
    // single people: "a man died", "he was arrested", "John Smith, 24, was killed"
    let ones = singles(tokens, &cands, lex);
    // ("The victim, a 20-year-old man, was": the person's description is no count)
    cands.retain(|c| !ones.iter().any(|o| o.start < c.start && c.start < o.np_end));
    cands.extend(ones);
    cands.sort_by_key(|c| c.start);
    mark_breakdowns(tokens, &mut cands);

    for k in 0..cands.len() {
        link(tokens, &mut cands, k, lex);
    }

    relate(tokens, &mut cands, lex);
    facts(tokens, &cands, lex)
}

/// "Two of the four occupants were arrested": the total after "of the" is the subject of
/// the verb only through its part, so it is no count of the verb ("two of the 14 people
/// killed were children" keeps 14: its own measure word follows it).
fn drop_partitive_totals(tokens: &[Token<'_>], cands: &mut Vec<Candidate>, lex: &Lexicon) {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.lower.as_str());
    let ends: Vec<usize> = cands.iter().map(|c| c.number.end).collect();
    cands.retain(|c| {
        let s = c.number.start;
        let partitive = s >= 3
            && word(s - 2) == "of"
            && lex.wording.determiners.contains(word(s - 1))
            && ends.contains(&(s - 2));
        !(partitive && c.subject.is_some() && lex.be_forms.contains(word(c.np_end)))
    });
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
            // ("a 16-year-old student": the noun says who)
            let noun = subject_at(tokens, number.end, lex);
            match noun {
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
        measure_at: 0,
        subset_of: None,
        joined_to: None,
        own_place,
        single: None,
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
