//! Numbers as people write them ("18", "1,200", "twenty-one", "two dozen", "one hundred",
//! "1.5 million", "dozens"), and the numbers that are not counts (years, dates, times,
//! durations, distances, ages, money, magnitudes, ordinals, parts of names).

use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// A number in a sentence: tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub start: usize,
    pub end: usize,
    /// `None` for a vague quantity ("dozens").
    pub value: Option<u64>,
    /// "a 9-year-old": one person of that age.
    pub age: Option<u64>,
    /// "100-plus": the number is a lower bound.
    pub plus: bool,
}

/// Every number of a sentence that may be a count.
pub fn numbers(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<Number> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match number_at(tokens, i, lex) {
            Some(n) => {
                i = n.end;
                if !is_not_a_count(tokens, &n, lex) {
                    out.push(n);
                }
            }
            None => i += 1,
        }
    }
    out
}

fn digits_value(text: &str) -> Option<f64> {
    let clean: String = text.chars().filter(|c| *c != ',').collect();
    if clean.is_empty() || !clean.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    clean.parse().ok()
}

/// The value of a number word, with hyphenated tens ("twenty-one").
fn word_value(word: &str, lex: &Lexicon) -> Option<u64> {
    let units = &lex.units;
    if let Some(v) = units.get(word) {
        return Some(*v);
    }
    let (tens, unit) = word.split_once('-')?;
    let t = units.get(tens)?;
    let u = units.get(unit)?;
    (*t >= 20 && *t % 10 == 0 && *u < 10 && *u > 0).then_some(t + u)
}

fn number_at(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<Number> {
    // a vague quantity: "dozens", "hundreds of thousands"
    if let Some((n, _)) = lex.vague.at(tokens, i) {
        return Some(Number {
            start: i,
            end: i + n,
            value: None,
            age: None,
            plus: false,
        });
    }
    if let Some(n) = one_of_an_age(tokens, i, lex) {
        return Some(n);
    }
    let (mut value, mut end, mut plus) = match tokens[i].kind {
        Kind::Number => digits_at(tokens, i)?,
        Kind::Word => words_at(tokens, i, lex)?,
        Kind::Punct => return None,
    };
    // scales and dozens: "one hundred and ten", "two dozen", "1.5 million"
    while let Some(next) = tokens.get(end) {
        if let Some(s) = lex.scales.get(next.lower.as_str()) {
            value *= *s as f64;
            end += 1;
            // "one hundred and ten"
            if tokens.get(end).is_some_and(|a| a.lower == "and")
                && let Some(rest) = tokens.get(end + 1).and_then(|n| word_value(&n.lower, lex))
                && (rest as f64) < *s as f64
            {
                value += rest as f64;
                end += 2;
            }
        } else if lex.dozen.contains(next.lower.as_str()) {
            value *= 12.0;
            end += 1;
        } else {
            break;
        }
    }
    if tokens.get(end).is_some_and(|t| t.lower == "-plus") {
        plus = true;
        end += 1;
    }
    if value.fract() != 0.0 || value < 0.0 {
        return None; // "7.8": a magnitude or a measurement, not a count
    }
    Some(Number {
        start: i,
        end,
        value: Some(value as u64),
        age: None,
        plus,
    })
}

/// One person of an age: "a 9-year-old", "the 24-year-old", "a 60 year old", or an age
/// that starts a clause ("Victim, 16-year-old Jane Roe", "16-year-old killed").
fn one_of_an_age(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<Number> {
    let t = &tokens[i];
    let determined =
        lex.one.contains(t.lower.as_str()) || lex.wording.determiners.contains(t.lower.as_str());
    let at = if determined { i + 1 } else { i };
    let opens = i == 0 || tokens[i - 1].kind == Kind::Punct;
    if !determined && !opens {
        return None;
    }
    let (age, end) = age_at(tokens, at, lex)?;
    Some(Number {
        start: i,
        end,
        value: Some(1),
        age: Some(age),
        plus: false,
    })
}

/// A number written with digits at `i`: (value, end, "100-plus").
fn digits_at(tokens: &[Token<'_>], i: usize) -> Option<(f64, usize, bool)> {
    let text = tokens[i].lower.as_str();
    let (num, suffix) = match text.split_once('-') {
        Some((n, s)) => (n, Some(s)),
        None => (text, None),
    };
    match suffix {
        None | Some("plus") => {}
        // "18-hour", "9-year-old", "AR-15": not counts here
        Some(_) => return None,
    }
    let v = digits_value(num)?;
    Some((v, i + 1, suffix == Some("plus")))
}

/// A number written in words at `i`: "a dozen", "a hundred", "twenty-one", "twenty one".
fn words_at(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(f64, usize, bool)> {
    let t = &tokens[i];
    if lex.one.contains(t.lower.as_str()) && t.lower != "one" {
        let next = tokens.get(i + 1)?;
        if lex.dozen.contains(next.lower.as_str()) {
            return Some((12.0, i + 2, false));
        }
        let s = lex.scales.get(next.lower.as_str())?;
        return Some((*s as f64, i + 2, false));
    }
    if lex.dozen.contains(t.lower.as_str()) {
        return Some((12.0, i + 1, false));
    }
    // "both victims": two people, said before
    if lex.pair.contains(t.lower.as_str()) {
        let next = tokens.get(i + 1)?;
        let person = lex
            .subject_words
            .at(tokens, i + 1)
            .is_some_and(|(_, w)| w.kind == "person")
            || lex.person_nouns.contains(next.lower.as_str());
        return person.then_some((2.0, i + 1, false));
    }
    let v = word_value(&t.lower, lex)?;
    // "one of the deadliest"
    if tokens.get(i + 1).is_some_and(|n| n.lower == "of") && v == 1 {
        return None;
    }
    let mut v = v as f64;
    let mut end = i + 1;
    // "twenty one"
    if (20.0..100.0).contains(&v)
        && let Some(u) = tokens.get(end).and_then(|n| word_value(&n.lower, lex))
        && u < 10
        && u > 0
    {
        v += u as f64;
        end += 1;
    }
    Some((v, end, false))
}

/// An age at `i`: "9-year-old", "60 year old", "60 years old", "60-year old": (age, end).
fn age_at(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> Option<(u64, usize)> {
    let t = tokens.get(i)?;
    if let Some(age) = age_of(&t.lower, lex) {
        return Some((age, i + 1));
    }
    if t.kind != Kind::Number {
        return None;
    }
    // "60 year old" and "60-year old"
    let (number, rest) = t.lower.split_once('-').unwrap_or((t.lower.as_str(), ""));
    let age: u64 = number.parse().ok()?;
    let n = if rest.is_empty() {
        lex.age_phrases.at(tokens, i + 1)?.0
    } else {
        let glued = format!("{rest} {}", tokens.get(i + 1)?.lower);
        lex.age_phrases.contains_phrase(&glued).then_some(1)?
    };
    Some((age, i + 1 + n))
}

/// "9-year-old" -> 9.
pub(crate) fn age_of(word: &str, lex: &Lexicon) -> Option<u64> {
    let (n, rest) = word.split_once('-')?;
    lex.age_suffixes
        .iter()
        .any(|s| rest == s.as_str())
        .then(|| n.parse().ok())
        .flatten()
}

fn is_not_a_count(tokens: &[Token<'_>], n: &Number, lex: &Lexicon) -> bool {
    let first = &tokens[n.start];
    let next = tokens.get(n.end);
    let next_word = next.map(|t| t.lower.as_str()).unwrap_or("");
    if n.age.is_some() {
        return false;
    }
    // a vague quantity of a unit: "shot several times", "for several hours"
    if n.value.is_none() {
        return lex.unit_words.contains(next_word);
    }
    if is_age_set_off(tokens, n) || is_house_number(tokens, n, lex) {
        return true;
    }
    // a unit after it: "18 hours", "30 kilometers", "5 percent", "10 a.m."
    if lex.unit_words.contains(next_word)
        || next_word.starts_with("year-")
        || lex.not_count_after.at(tokens, n.end).is_some()
    {
        return true;
    }
    // a time: "10:30"
    if next.is_some_and(|t| t.is_punct(":"))
        && tokens
            .get(n.end + 1)
            .is_some_and(|t| t.kind == Kind::Number)
    {
        return true;
    }
    let prev = previous_non_dot(tokens, n.start);
    if let Some(p) = prev {
        let w = tokens[p].lower.as_str();
        if lex.not_count_before.contains_word(w)
            || lex.not_count_before.ending_at(tokens, p + 1).is_some()
            || tokens[p].is_punct("$")
            || tokens[p].is_punct("€")
            || tokens[p].is_punct("£")
            || tokens[p].is_punct("#")
            || (tokens[p].is_punct(":") && p > 0 && tokens[p - 1].kind == Kind::Number)
        {
            return true;
        }
        // the end of a range whose start is not a count: "aged 18 to 25"
        if matches!(w, "to" | "and")
            && p >= 2
            && tokens[p - 1].kind == Kind::Number
            && (lex
                .not_count_before
                .contains_word(tokens[p - 2].lower.as_str())
                || (tokens[p - 2].lower == "between"
                    && p >= 3
                    && lex
                        .not_count_before
                        .contains_word(tokens[p - 3].lower.as_str())))
        {
            return true;
        }
        // a date: "December 30", "Dec. 30"
        if lex.months.contains_key(w) && tokens[p].is_capitalised() {
            return true;
        }
    }
    // a date: "30 December"
    if next.is_some_and(|t| t.is_capitalised() && lex.months.contains_key(t.lower.as_str())) {
        return true;
    }
    // a year: "in 2022", "the 2004 tsunami"
    if first.kind == Kind::Number
        && first.text.len() == 4
        && !first.text.contains(',')
        && n.value.is_some_and(|v| (1800..=2100).contains(&v))
        && lex.subject_words.at(tokens, n.end).is_none()
    {
        return true;
    }
    false
}

/// An age set off after a name or a noun of one person: "John Doe, 24, was", "Smith, 24,
/// and", "Sharma (26)", "the boy, 7, was".
fn is_age_set_off(tokens: &[Token<'_>], n: &Number) -> bool {
    let short = n.end == n.start + 1 && tokens[n.start].text.len() <= 3;
    let (Some(open), Some(close)) = (
        n.start.checked_sub(1).map(|k| &tokens[k]),
        tokens.get(n.end),
    ) else {
        return false;
    };
    let set_off = (open.is_punct(",")
        && (close.is_punct(",") || close.is_punct(")") || close.is_punct(".")))
        || (open.is_punct("(") && close.is_punct(")"));
    let after_word = n.start >= 2 && {
        let w = &tokens[n.start - 2];
        w.kind == Kind::Word && (w.is_capitalised() || !w.lower.ends_with('s'))
    };
    short && set_off && after_word
}

/// A house number: "at 2806 Long Lane", "2806 N. Main St."
fn is_house_number(tokens: &[Token<'_>], n: &Number, lex: &Lexicon) -> bool {
    let mut k = n.end;
    let mut names = 0;
    while let Some(t) = tokens.get(k) {
        if t.is_punct(".") {
            k += 1;
            continue;
        }
        if t.kind != Kind::Word || !t.is_capitalised() || names > 4 {
            break;
        }
        if names > 0 && lex.street_words.contains(t.lower.as_str()) {
            return true;
        }
        names += 1;
        k += 1;
    }
    false
}

fn previous_non_dot(tokens: &[Token<'_>], i: usize) -> Option<usize> {
    let mut j = i.checked_sub(1)?;
    if tokens[j].is_punct(".") {
        j = j.checked_sub(1)?;
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn values(s: &str) -> Vec<Option<u64>> {
        let lex = Lexicon::shared();
        numbers(&tokenize(s), lex)
            .into_iter()
            .map(|n| n.value)
            .collect()
    }

    #[test]
    fn reads_numbers_as_written() {
        assert_eq!(
            values("1,200 and 18 and 1.5 million"),
            [Some(1200), Some(18), Some(1_500_000)]
        );
        assert_eq!(
            values("twenty-one, twenty one, two dozen"),
            [Some(21), Some(21), Some(24)]
        );
        assert_eq!(
            values("one hundred and ten, a dozen, dozens"),
            [Some(110), Some(12), None]
        );
    }

    #[test]
    fn skips_what_is_not_a_count() {
        assert!(values("an 18-hour barrage on December 30, 2023 at 10:30").is_empty());
        assert!(values("a magnitude 7.8 quake, 30 kilometers away, in 2004").is_empty());
        assert!(values("one of the deadliest, $5 million, the 22-month war").is_empty());
    }
}
