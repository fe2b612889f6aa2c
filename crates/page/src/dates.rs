//! Date strings in the forms pages and feeds write them: ISO 8601 and W3DTF (partial dates,
//! fractional seconds, a space for the `T`, `2003-012-31`, a month name for the number),
//! RFC 822 and its variants (one- or two-digit day and year, long month names, no seconds,
//! no time, a comma too many, month and day swapped), asctime, `2006/09/15`, and the month
//! names, zone names and other words of `config/dates.toml`.
//!
//! A time with a zone or an offset is a [`PubTime::DateTime`]; a time without one keeps only
//! its day ([`PubTime::Date`]), since its offset is unknown.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use corpus::PubTime;
use regex::Regex;
use serde::Deserialize;

/// The shipped words of dates.
pub const DEFAULT_WORDS: &str = include_str!("../../../config/dates.toml");

#[derive(Debug, Deserialize)]
struct WordsFile {
    months: HashMap<String, Vec<String>>,
    zones: HashMap<String, i32>,
    meridiem: Meridiem,
    suffixes: Suffixes,
    text: TextWords,
}

/// Words around a date written in running text.
#[derive(Debug, Deserialize)]
pub struct TextWords {
    /// Written after a day's number (`17th`, `1er`).
    pub ordinals: Vec<String>,
    /// Written between a day and its month or a month and its year (`17 de março de 2020`).
    pub connectors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Meridiem {
    am: Vec<String>,
    pm: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Suffixes {
    pub year: Vec<String>,
    pub month: Vec<String>,
    pub day: Vec<String>,
}

/// The words of dates, ready to look up.
#[derive(Debug)]
pub struct Words {
    /// Month by any of its written forms, lower case, without a trailing dot.
    pub months: HashMap<String, u32>,
    /// Offset from UTC in seconds by zone abbreviation, lower case.
    pub zones: HashMap<String, i32>,
    am: Vec<String>,
    pm: Vec<String>,
    pub suffixes: Suffixes,
    pub text: TextWords,
}

impl Words {
    /// Reads a words file; a form given two different months is an error.
    pub fn parse(text: &str) -> Result<Words, String> {
        let file: WordsFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut months = HashMap::new();
        for (language, names) in &file.months {
            if names.len() != 12 {
                return Err(format!("months.{language}: 12 entries expected"));
            }
            for (i, forms) in names.iter().enumerate() {
                for form in forms.split('|') {
                    let month = i as u32 + 1;
                    let key = form.trim().to_lowercase();
                    if let Some(other) = months.insert(key.clone(), month)
                        && other != month
                    {
                        return Err(format!("{key:?} names month {other} and {month}"));
                    }
                }
            }
        }
        let zones = file
            .zones
            .iter()
            .map(|(k, v)| (k.to_lowercase(), v * 60))
            .collect();
        Ok(Words {
            months,
            zones,
            am: file.meridiem.am,
            pm: file.meridiem.pm,
            suffixes: file.suffixes,
            text: file.text,
        })
    }

    /// The month a word names (`März`, `sept.`, `Ιούλ`).
    pub fn month(&self, word: &str) -> Option<u32> {
        let w = word.trim_end_matches('.').to_lowercase();
        self.months.get(&w).copied()
    }
}

/// The shipped words, read once.
pub static WORDS: LazyLock<Words> =
    LazyLock::new(|| Words::parse(DEFAULT_WORDS).expect("config/dates.toml is valid"));

/// Reads a date string; `None` when it is not a date this knows.
pub fn parse_date(s: &str) -> Option<PubTime> {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 {
        return None;
    }
    iso(s)
        .or_else(|| iso_month_name(s))
        .or_else(|| short_year(s))
        .or_else(|| Tokens::read(s, &WORDS)?.build())
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^([0-9]{4}) (?: -?([0-9]{2,3}) (?: -?([0-9]{2}) )? )?
          (?: (?:T|\s+) ([0-9]{1,2}) :? ([0-9]{2}) (?: :? ([0-9]{2}) (?:[.,][0-9]+)? )?
              \s* (Z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)? )? $",
    )
    .expect("valid regex")
});

/// ISO 8601 and W3DTF: `2003`, `2003-12`, `2003-12-31`, `20031231`, with a time and a zone.
fn iso(s: &str) -> Option<PubTime> {
    let c = ISO.captures(s)?;
    let num = |i: usize| c.get(i).map(|m| m.as_str().parse::<u32>());
    let year = c[1].parse::<i32>().ok()?;
    let month = num(2).transpose().ok()?.unwrap_or(1);
    let day = num(3).transpose().ok()?.unwrap_or(1);
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let Some(hour) = num(4).transpose().ok()? else {
        return Some(PubTime::Date(date));
    };
    let minute = num(5).transpose().ok()?.unwrap_or(0);
    let second = num(6).transpose().ok()?.unwrap_or(0);
    let time = clock(hour, minute, second)?;
    match c.get(7) {
        Some(zone) => at(date, time, offset(zone.as_str(), &WORDS)?),
        None => Some(PubTime::Date(date)),
    }
}

static ISO_MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{4})-(\p{L}+)\.?-([0-9]{1,2})(.*)$").expect("valid regex")
});

/// `2004-július-13T9:15-05:00`: an ISO date with the month's name for its number.
fn iso_month_name(s: &str) -> Option<PubTime> {
    let c = ISO_MONTH_NAME.captures(s)?;
    let month = WORDS.month(&c[2])?;
    iso(&format!("{}-{month:02}-{:0>2}{}", &c[1], &c[3], &c[4]))
}

static SHORT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{2})(-?)([0-9]{2})(-?)([0-9]{2})$").expect("valid regex"));

/// `03-12-31` and `031231`: a two-digit year, month and day.
fn short_year(s: &str) -> Option<PubTime> {
    let c = SHORT_YEAR.captures(s)?;
    if c[2] != c[4] {
        return None;
    }
    let year = full_year(c[1].parse().ok()?);
    let date = NaiveDate::from_ymd_opt(year, c[3].parse().ok()?, c[5].parse().ok()?)?;
    Some(PubTime::Date(date))
}

/// A two-digit year as RFC 2822 reads it: 00-49 are 2000-2049, 50-99 are 1950-1999.
fn full_year(y: i32) -> i32 {
    match y {
        0..=49 => 2000 + y,
        50..=99 => 1900 + y,
        _ => y,
    }
}

fn clock(hour: u32, minute: u32, second: u32) -> Option<NaiveTime> {
    if second > 59 {
        return None;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

fn at(date: NaiveDate, time: NaiveTime, offset: FixedOffset) -> Option<PubTime> {
    let t = date.and_time(time).and_local_timezone(offset).single()?;
    Some(PubTime::DateTime(t))
}

static OFFSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:gmt|utc)?([+-])([0-9]{1,2})(?::?([0-9]{2}))?$").expect("valid regex")
});

/// A zone: `Z`, a name of `config/dates.toml`, `+0200`, `-01:01`, `GMT+2`, `UTC-05:00`.
fn offset(zone: &str, words: &Words) -> Option<FixedOffset> {
    if let Some(seconds) = words.zones.get(&zone.to_lowercase()) {
        return FixedOffset::east_opt(*seconds);
    }
    let c = OFFSET.captures(zone)?;
    let hours: i32 = c[2].parse().ok()?;
    let minutes: i32 = c.get(3).map_or(Ok(0), |m| m.as_str().parse()).ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    let sign = if &c[1] == "-" { -1 } else { 1 };
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

/// The parts of a date written in words and numbers, in any order (RFC 822, asctime, `March
/// 5, 2020`, `2006/09/15 08:19:53 EDT`, `2004년 05월 28일`).
#[derive(Debug, Default)]
struct Tokens {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<NaiveTime>,
    pm: Option<bool>,
    zone: Option<FixedOffset>,
}

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{1,2})[:h]([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]+)?)?$").expect("valid regex")
});
static NUMERIC_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([0-9]{4})[/.-]([0-9]{1,2})[/.-]([0-9]{1,2})$").expect("valid regex")
});

impl Tokens {
    fn read(s: &str, words: &Words) -> Option<Tokens> {
        let parts: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|p| !p.is_empty())
            .collect();
        // Only a leading word (a weekday, even one that reads as a month: `mar.`) may go
        // unread.
        let leading_word = parts
            .first()
            .is_some_and(|p| p.trim_end_matches('.').chars().all(char::is_alphabetic));
        Tokens::read_parts(&parts, words)
            .or_else(|| leading_word.then(|| Tokens::read_parts(&parts[1..], words))?)
    }

    fn read_parts(parts: &[&str], words: &Words) -> Option<Tokens> {
        let mut t = Tokens::default();
        parts.iter().all(|p| t.take(p, words)).then_some(t)
    }

    /// Reads one part; false when it is none of a date's parts.
    fn take(&mut self, part: &str, words: &Words) -> bool {
        let lower = part.to_lowercase();
        if let Some(month) = words.month(part) {
            return self.month.replace(month).is_none();
        }
        if words.am.contains(&lower) || words.pm.contains(&lower) {
            self.pm = Some(words.pm.contains(&lower));
            return true;
        }
        if let Some(c) = TIME.captures(part) {
            let n = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse().ok());
            self.time = clock(n(1).unwrap_or(99), n(2).unwrap_or(99), n(3).unwrap_or(99));
            return self.time.is_some();
        }
        if let Some(c) = NUMERIC_DATE.captures(part) {
            self.year = c[1].parse().ok();
            self.month = c[2].parse().ok();
            self.day = c[3].parse().ok();
            return true;
        }
        if let Some(value) = self.suffixed(part, words) {
            return value;
        }
        if part.chars().all(|c| c.is_ascii_digit()) || part.ends_with('.') {
            return self.number(part.trim_end_matches('.'));
        }
        // A zone follows the time (so that a word such as `at` before it is not a zone).
        if self.time.is_some()
            && let Some(zone) = offset(part, words)
        {
            return self.zone.replace(zone).is_none();
        }
        false
    }

    /// `2004년`, `05월`, `28일`.
    fn suffixed(&mut self, part: &str, words: &Words) -> Option<bool> {
        let slots: [(&Vec<String>, u8); 3] = [
            (&words.suffixes.year, 0),
            (&words.suffixes.month, 1),
            (&words.suffixes.day, 2),
        ];
        for (suffixes, slot) in slots {
            for suffix in suffixes {
                if let Some(n) = part.strip_suffix(suffix.as_str()) {
                    let Ok(n) = n.parse::<u32>() else {
                        return Some(false);
                    };
                    match slot {
                        0 => self.year = Some(n as i32),
                        1 => self.month = Some(n),
                        _ => self.day = Some(n),
                    }
                    return Some(true);
                }
            }
        }
        None
    }

    /// A bare number: a four-digit year, else the day, else a two-digit year after the day.
    fn number(&mut self, digits: &str) -> bool {
        let Ok(n) = digits.parse::<u32>() else {
            return false;
        };
        match digits.len() {
            4 if self.year.is_none() => self.year = Some(n as i32),
            1 | 2 if self.day.is_none() => self.day = Some(n),
            2 if self.year.is_none() => self.year = Some(full_year(n as i32)),
            _ => return false,
        }
        true
    }

    fn build(self) -> Option<PubTime> {
        let date = NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)?;
        let Some(mut time) = self.time else {
            return Some(PubTime::Date(date));
        };
        if let Some(pm) = self.pm {
            let hour = chrono::Timelike::hour(&time) % 12 + if pm { 12 } else { 0 };
            time = chrono::Timelike::with_hour(&time, hour)?;
        }
        match self.zone {
            Some(zone) => at(date, time, zone),
            None => Some(PubTime::Date(date)),
        }
    }
}

/// Parses a date and keeps it only between `earliest` and `latest` (the day of `latest`
/// counted whole, for time zones).
pub fn parse_between(
    s: &str,
    earliest: NaiveDate,
    latest: DateTime<chrono::Utc>,
) -> Option<PubTime> {
    parse_date(s)
        .filter(|t| t.date() >= earliest && t.sort_key() <= latest + chrono::Duration::days(1))
}

#[cfg(test)]
mod tests;
