//! Dates written in running text: `17. März 2020`, `March 5th, 2020`, `17 de março de 2020`,
//! `17/03/2020`, `2020-03-17`, `20200317`, `2020年3月17日`. The month names, ordinals and
//! connecting words are those of `config/dates.toml`.
//!
//! A date written all in numbers with the day first or the month first (`05/03/2020`) is read
//! in the order the page's language writes dates ([`Order`]); a month above 12 settles it.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::dates::{WORDS, Words};

/// In which order a page writes day and month in numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// `17/03/2020`: most of the world.
    #[default]
    DayFirst,
    /// `03/17/2020`: the United States and a few others.
    MonthFirst,
}

impl Order {
    /// The order of a language tag (`en-US` writes the month first).
    pub fn of_language(tag: Option<&str>) -> Order {
        let month_first = ["en-us", "en-ph", "en-ca", "en-fm", "en-pw", "en-mh"];
        match tag {
            Some(t) if month_first.iter().any(|m| t.eq_ignore_ascii_case(m)) => Order::MonthFirst,
            _ => Order::DayFirst,
        }
    }
}

struct Patterns {
    ymd: Regex,
    numeric: Regex,
    compact: Regex,
    suffixed: Regex,
    month_day: Regex,
    day_month: Regex,
}

static PATTERNS: LazyLock<Patterns> = LazyLock::new(|| Patterns::new(&WORDS));

fn alternation(words: &[String]) -> String {
    let mut sorted: Vec<&String> = words.iter().filter(|w| !w.is_empty()).collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    sorted
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|")
}

impl Patterns {
    fn new(words: &Words) -> Patterns {
        let mut names: Vec<String> = words.months.keys().cloned().collect();
        names.sort();
        let months = alternation(&names);
        let lower = |w: &[String]| w.iter().map(|s| s.to_lowercase()).collect::<Vec<_>>();
        let ordinals = alternation(&lower(&words.text.ordinals));
        let connectors = alternation(&lower(&words.text.connectors));
        let suffix = |s: &[String]| alternation(s);
        let year = r"((?:19|20)[0-9]{2})";
        let re = |s: String| Regex::new(&s).expect("valid date pattern");
        Patterns {
            ymd: re(format!(
                r"(?:^|[^0-9])({year})[-/.]([0-9]{{1,2}})[-/.]([0-9]{{1,2}})(?:[^0-9]|$)"
            )),
            numeric: re(
                r"(?:^|[^0-9.])([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4}|[0-9]{2})(?:[^0-9]|$)"
                    .into(),
            ),
            compact: re(format!(
                r"(?:^|[^0-9]){year}([0-9]{{2}})([0-9]{{2}})(?:[^0-9]|$)"
            )),
            suffixed: re(format!(
                r"{year}\s*(?:{})\s*([0-9]{{1,2}})\s*(?:{})\s*([0-9]{{1,2}})\s*(?:{})",
                suffix(&words.suffixes.year),
                suffix(&words.suffixes.month),
                suffix(&words.suffixes.day)
            )),
            month_day: re(format!(
                r"(?:^|[^\p{{L}}])({months})\.?\s+([0-9]{{1,2}})(?:{ordinals})?,?\s+(?:(?:{connectors})\s+)?{year}(?:[^0-9]|$)"
            )),
            day_month: re(format!(
                r"(?:^|[^0-9])([0-9]{{1,2}})(?:{ordinals}|\.)?\s*(?:(?:{connectors})\s+)?({months})\.?,?\s+(?:(?:{connectors})\s+)?{year}(?:[^0-9]|$)"
            )),
        }
    }
}

/// The first date written in a piece of text (the leftmost; at one place, the fullest form).
pub fn find(text: &str, order: Order) -> Option<NaiveDate> {
    // A day and a year are five digits at least: most text is passed over at once.
    text.bytes().filter(u8::is_ascii_digit).nth(4)?;
    // The patterns' words are in lower case (compiled without case folding, they are small).
    let text = &text.to_lowercase();
    let p = &*PATTERNS;
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    let mut keep = |at: usize, date: Option<NaiveDate>| {
        if let Some(d) = date {
            found.push((at, d));
        }
    };
    for c in p.day_month.captures_iter(text) {
        let month = WORDS.month(&c[2]);
        keep(c.get(1)?.start(), ymd(&c[3], month?, &c[1]));
    }
    for c in p.month_day.captures_iter(text) {
        let month = WORDS.month(&c[1]);
        keep(c.get(1)?.start(), ymd(&c[3], month?, &c[2]));
    }
    for c in p.suffixed.captures_iter(text) {
        keep(c.get(1)?.start(), ymd(&c[1], c[2].parse().ok()?, &c[3]));
    }
    for c in p.ymd.captures_iter(text) {
        keep(c.get(1)?.start(), ymd(&c[1], c[3].parse().ok()?, &c[4]));
    }
    for c in p.numeric.captures_iter(text) {
        keep(c.get(1)?.start(), numeric(&c[1], &c[2], &c[3], order));
    }
    for c in p.compact.captures_iter(text) {
        keep(c.get(1)?.start(), ymd(&c[1], c[2].parse().ok()?, &c[3]));
    }
    found.sort_by_key(|(at, _)| *at);
    found.first().map(|(_, d)| *d)
}

fn ymd(year: &str, month: u32, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

/// `17/03/2020`, `03/17/20`: day and month in the page's order, unless a month above 12
/// shows the other.
fn numeric(a: &str, b: &str, year: &str, order: Order) -> Option<NaiveDate> {
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    let year: i32 = year.parse().ok()?;
    let year = match year {
        0..=49 => 2000 + year,
        50..=99 => 1900 + year,
        y => y,
    };
    let (day, month) = match order {
        Order::DayFirst if b <= 12 => (a, b),
        Order::MonthFirst if a > 12 => (a, b),
        Order::DayFirst | Order::MonthFirst => (b, a),
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests;
