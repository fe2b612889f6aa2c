//! Reading one sentence: its tokens and what they name (places, times, sources, counts,
//! weapons), and the figures that only the sentences around it explain.

use std::collections::HashMap;

use chrono::NaiveDate;
use corpus::PlaceLevel;

use crate::attribution::{self, Source};
use crate::counts::{FoundCount, Who, counts};
use crate::dates::{self, Shift, TimeMention};
use crate::lexicon::Lexicon;
use crate::places::{self, Mention, Role};
use crate::text::{Token, tokenize};
use crate::weapons::{FoundWeapon, weapons};

/// One sentence, read.
pub(super) struct Sentence<'a> {
    pub(super) block: usize,
    pub(super) index: usize,
    /// The normalised text the tokens index, and the source's wording for quotes.
    pub(super) text: &'a str,
    pub(super) original: &'a str,
    pub(super) tokens: Vec<Token<'a>>,
    pub(super) places: Vec<Mention>,
    /// Times of what the sentence tells, not of its telling.
    pub(super) times: Vec<TimeMention>,
    /// Times at which a source spoke ("said on Tuesday", "told reporters Monday").
    pub(super) report_times: Vec<TimeMention>,
    pub(super) shifts: Vec<Shift>,
    pub(super) sources: Vec<Source>,
    pub(super) counts: Vec<FoundCount>,
    pub(super) weapons: Vec<FoundWeapon>,
    /// Token ranges about another, earlier incident ("in a separate incident", "followed ...").
    pub(super) elsewhere: Vec<(usize, usize)>,
    pub(super) block_attribution: Option<&'a str>,
    /// A line of a figure broken down by place ("Morelos: 71"), see [`breakdown_lines`].
    pub(super) breakdown: bool,
    /// Position in the article, counting sentences.
    pub(super) order: usize,
}

impl Sentence<'_> {
    pub(super) fn is_elsewhere(&self, at: usize) -> bool {
        self.elsewhere.iter().any(|&(s, e)| s <= at && at < e)
    }

    pub(super) fn shift_at(&self, at: usize) -> Option<&Shift> {
        self.shifts.iter().find(|s| s.start <= at && at < s.end)
    }
}

/// A figure broken down by place, one line each, after a line that ends with a colon ("the
/// death toll has risen to 225. He gave the following breakdown: / Mexico City: 94 /
/// Morelos: 71"): each line "Place: N" counts what the last count before the colon counts.
pub(super) fn breakdown_lines(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    let mut template: Option<FoundCount> = None;
    let mut open = false;
    for s in sentences.iter_mut() {
        let line = s.counts.is_empty() && s.places.first().is_some_and(|m| {
            m.start == 0
                && s.tokens.get(m.end).is_some_and(|t| t.is_punct(":"))
                && matches!(
                    crate::numbers::numbers(&s.tokens[m.end + 1..], lex).as_slice(),
                    [n] if n.start == 0 && m.end + 1 + n.end == s.tokens.len() && n.value.is_some()
                )
        });
        if open
            && line
            && let Some(t) = &template
        {
            let at = s.places[0].end + 1;
            let value = crate::numbers::numbers(&s.tokens[at..], lex)[0].value;
            let mut fact = t.fact.clone();
            fact.count = value;
            fact.qualifier = corpus::Qualifier::Exact;
            fact.parts = Vec::new();
            let end = s.tokens.len();
            s.places[0].role = Role::Location;
            s.breakdown = true;
            s.counts.push(FoundCount {
                fact,
                start: at,
                end,
                other: false,
                who: None,
                open: false,
                more: None,
                several_open: false,
            });
            continue;
        }
        open = s.tokens.last().is_some_and(|t| t.is_punct(":"));
        if let Some(c) = s.counts.last() {
            template = Some(c.clone());
        } else if !open {
            template = None;
        }
    }
}

/// "Twelve of the 26 were children": a part of a total the article stated before (in this
/// sentence or an earlier one) counts what that total counts.
pub(super) fn parts_of_earlier_totals(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    for k in 0..sentences.len() {
        let parts = crate::counts::parts_of_totals(&sentences[k].tokens, lex);
        for p in parts {
            let earlier = sentences[k]
                .counts
                .iter()
                .rev()
                .filter(|c| c.start < p.start)
                .chain(
                    sentences[..k]
                        .iter()
                        .rev()
                        .flat_map(|s| s.counts.iter().rev()),
                )
                .find(|c| c.fact.count == Some(p.total));
            let Some(total) = earlier else { continue };
            let mut fact = total.fact.clone();
            fact.count = Some(p.count);
            fact.qualifier = corpus::Qualifier::Exact;
            fact.subject = p.subject;
            fact.noun = p.noun;
            fact.parts = Vec::new();
            let s = &mut sentences[k];
            let at = s.counts.partition_point(|c| c.start < p.start);
            s.counts.insert(
                at,
                FoundCount {
                    fact,
                    start: p.start,
                    end: p.end,
                    other: false,
                    who: None,
                    open: false,
                    more: None,
                    several_open: false,
                },
            );
        }
    }
}

/// One person said to be shot whose death the article states elsewhere was killed, not
/// hurt: "Oliver was shot in the parking lot" with "Oliver died at the scene" (or "a man
/// died", "two women were killed"). The shot is dropped when a death of one person by the
/// same name or noun is stated, or when a death that may be theirs (their names or nouns
/// do not tell them apart) is and the article states no one hurt otherwise ("17 were
/// injured": the one shot may be one of them).
pub(super) fn open_outcomes(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    let stated: Vec<&FoundCount> = sentences.iter().flat_map(|s| &s.counts).collect();
    let deaths: Vec<(String, u64, Option<Who>)> = stated
        .iter()
        .filter(|c| !c.open)
        .filter_map(|c| Some((c.fact.measure.clone(), c.fact.count?, c.who.clone())))
        .collect();
    let hurt: Vec<String> = stated
        .iter()
        .filter(|c| !c.open)
        .map(|c| c.fact.measure.clone())
        .collect();
    off_the_hurt(sentences, &deaths, lex);
    for s in sentences.iter_mut() {
        s.counts.retain(|c| {
            let theirs = |strong: bool| {
                deaths.iter().any(|(m, n, who)| {
                    let same = match (who, &c.who) {
                        (Some(a), Some(b)) => a.may_be(b, lex),
                        _ => !strong,
                    };
                    same && (*n == 1 || !strong) && lex.replaces(m, &c.fact.measure)
                })
            };
            !c.open || !(theirs(true) || (theirs(false) && !hurt.contains(&c.fact.measure)))
        });
    }
}

/// "Three people were shot, one fatally", "Two shot near the track" with "one of the
/// victims has died": the deaths among several people said to be hit are not hurt. The
/// largest count of deaths no larger than theirs, of a measure that replaces theirs, is
/// taken off (a count larger than theirs is of other people); when all died, no one is.
fn off_the_hurt(
    sentences: &mut [Sentence<'_>],
    deaths: &[(String, u64, Option<Who>)],
    lex: &Lexicon,
) {
    for s in sentences.iter_mut() {
        s.counts.retain_mut(|c| {
            let Some(n) = c.fact.count.filter(|_| c.several_open) else {
                return true;
            };
            let died = deaths
                .iter()
                .filter(|(m, d, _)| *d <= n && lex.replaces(m, &c.fact.measure))
                .map(|(_, d, _)| *d)
                .max()
                .unwrap_or(0);
            if died > 0 {
                c.fact.count = Some(n - died);
                c.fact.noun = None;
                c.fact.parts.clear();
            }
            n > died
        });
    }
}

/// "One man was shot and critically wounded. A second victim was found nearby with a
/// gunshot wound": one person more of a measure than the sentences before counted makes a
/// total, stated where that person is (two hurt). Only a sentence that starts with the
/// person adds one: in "two were shot; one died and another is in hospital", "another" is
/// one of the two. Counts about another incident add nothing.
pub(super) fn added_up(sentences: &mut [Sentence<'_>]) {
    let mut before: HashMap<String, u64> = HashMap::new();
    for s in sentences.iter_mut() {
        let here = |c: &FoundCount| {
            !s.elsewhere
                .iter()
                .any(|&(a, b)| a <= c.start && c.start < b)
        };
        let first = s.counts.iter().filter(|c| here(c)).map(|c| c.start).min();
        let mut totals = Vec::new();
        let mut said = Vec::new();
        for c in s.counts.iter().filter(|c| here(c) && !c.other) {
            let Some(n) = c.fact.count else { continue };
            let known = before.get(&c.fact.measure).copied();
            // ("a third victim" after two; "another" after any)
            let total = match (known, c.more) {
                (Some(k), Some(0)) => Some(k + 1),
                (Some(k), Some(v)) => (v == k + 1).then_some(v),
                _ => None,
            };
            match total.filter(|_| Some(c.start) == first) {
                Some(total) => totals.push((c, total)),
                None => said.push((c.fact.measure.clone(), n)),
            }
        }
        let totals: Vec<FoundCount> = totals
            .into_iter()
            .map(|(c, total)| {
                said.push((c.fact.measure.clone(), total));
                let mut t = c.clone();
                t.fact.count = Some(total);
                t.fact.subject = "people".into();
                t.fact.noun = None;
                t.who = None;
                t.more = None;
                t.open = false;
                t.several_open = false;
                t
            })
            .collect();
        for (measure, n) in said {
            let known = before.entry(measure).or_default();
            *known = (*known).max(n);
        }
        for t in totals {
            let at = s.counts.partition_point(|c| c.start <= t.start);
            s.counts.insert(at, t);
        }
    }
}

/// The country most of the article's places are in, when most are in one (by its ISO
/// code): the places of other incidents and foreign actors are usually fewer.
pub(super) fn article_country(sentences: &[Sentence<'_>]) -> Option<String> {
    let mut by_country: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for s in sentences {
        for m in &s.places {
            if let Some(c) = &m.place.country {
                *by_country.entry(c.as_str()).or_default() += 1;
                total += 1;
            }
        }
    }
    let (best, n) = by_country
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))?;
    (n * 2 > total).then(|| best.to_string())
}

/// Reads every sentence's places again knowing what the article names: its country, the
/// regions it names, the places it names with their region (see [`places::Hints`]), so that
/// a name of several places is the one the article means.
pub(super) fn reread_places(sentences: &mut [Sentence<'_>], lex: &Lexicon) {
    let mut hints = places::Hints {
        country: article_country(sentences),
        ..places::Hints::default()
    };
    for m in sentences.iter().flat_map(|s| &s.places) {
        if !m.dateline {
            hints.named.push(m.place.canonical.clone());
        }
        match m.place.level {
            PlaceLevel::State if m.role != Role::Actor => hints.regions.push(m.place.clone()),
            PlaceLevel::City | PlaceLevel::Region if !m.ambiguous && m.place.admin1.is_some() => {
                hints.places.push(m.place.clone())
            }
            _ => {}
        }
    }
    if hints.is_empty() {
        return;
    }
    for s in sentences {
        hints.nearby = s
            .places
            .iter()
            .filter(|m| matches!(m.place.level, PlaceLevel::Country | PlaceLevel::State))
            .map(|m| m.place.clone())
            .collect();
        s.places = places::mentions_with(&s.tokens, lex, &hints);
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn read<'a>(
    text: &'a str,
    original: &'a str,
    block: usize,
    index: usize,
    order: usize,
    block_attribution: Option<&'a str>,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Sentence<'a> {
    let tokens = tokenize(text);
    let places = places::mentions(&tokens, lex);
    let (report_times, times) = dates::times(&tokens, lex, published)
        .into_iter()
        .partition(|t| told_at(&tokens, t, lex));
    let shifts = dates::shifts(&tokens, lex);
    let sources = attribution::sources(&tokens, text, lex);
    let counts = counts(&tokens, lex);
    let weapons = weapons(&tokens, text, lex);
    let mut elsewhere = Vec::new();
    for i in 0..tokens.len() {
        if let Some((n, _)) = lex.background.at(&tokens, i) {
            // "last year's massacre at a nightclub in Orlando, where a gunman killed 49":
            // the marker governs the rest of the sentence
            let (start, _) = clause_around(&tokens, i, i + n);
            elsewhere.push((start, tokens.len()));
        }
        if let Some((n, _)) = lex.refers_back.at(&tokens, i) {
            elsewhere.push((i + n, tokens.len()));
        }
    }
    Sentence {
        block,
        index,
        text,
        original,
        tokens,
        places,
        times,
        report_times,
        shifts,
        sources,
        counts,
        weapons,
        elsewhere,
        block_attribution,
        breakdown: false,
        order,
    }
}

/// True when a time dates a source's telling rather than what it told: right after a
/// reporting verb ("said on Tuesday that 141 were killed").
fn told_at(tokens: &[Token<'_>], t: &TimeMention, lex: &Lexicon) -> bool {
    let mut k = t.start;
    while k > 0 && t.start - k < 5 && lex.report_gap.contains(tokens[k - 1].lower.as_str()) {
        k -= 1;
    }
    k > 0 && lex.reporting_verbs.contains(tokens[k - 1].lower.as_str()) && {
        // "according to" names a source, not a time of telling
        tokens[k - 1].lower != "according"
    }
}

/// The clause around tokens `from..to`: back to the last comma or conjunction, on to the
/// next comma.
pub(super) fn clause_around(tokens: &[Token<'_>], from: usize, to: usize) -> (usize, usize) {
    let mut s = from;
    while s > 0 {
        let t = &tokens[s - 1];
        if t.is_punct(",")
            || t.is_punct(";")
            || matches!(
                t.lower.as_str(),
                "and" | "but" | "while" | "when" | "whereas"
            )
        {
            break;
        }
        s -= 1;
    }
    let mut e = to;
    while e < tokens.len() && !tokens[e].is_punct(",") && !tokens[e].is_punct(";") {
        e += 1;
    }
    (s, e)
}
