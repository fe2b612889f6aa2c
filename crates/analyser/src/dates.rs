//! Time in a sentence: days ("on Friday", "yesterday", "December 30, 2023"), months and
//! years ("in November 2022", "the 2004 tsunami"), and shifts ("a day after ...").

use chrono::{Datelike, Days, NaiveDate};
use corpus::TimeRef;

use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// A time named in a sentence, tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeMention {
    pub start: usize,
    pub end: usize,
    pub time: TimeRef,
}

/// "a day after X killed 39": tokens `start..end` are about a time `days` from the time of
/// the rest of the sentence (negative: earlier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub start: usize,
    pub end: usize,
    pub days: i64,
}

/// Finds the times of a sentence. `published` resolves a day without a year.
pub fn times(
    tokens: &[Token<'_>],
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Vec<TimeMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(m) = time_at(tokens, i, lex, published) {
            i = m.end;
            out.push(m);
        } else {
            i += 1;
        }
    }
    out
}

fn small_number(t: Option<&Token<'_>>) -> Option<u32> {
    let t = t?;
    if t.kind != Kind::Number || t.text.len() > 2 {
        return None;
    }
    t.text.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(t: Option<&Token<'_>>) -> Option<i32> {
    let t = t?;
    if t.kind != Kind::Number || t.text.len() != 4 {
        return None;
    }
    t.text.parse().ok().filter(|y| (1800..=2100).contains(y))
}

fn time_at(
    tokens: &[Token<'_>],
    i: usize,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Option<TimeMention> {
    let t = &tokens[i];
    let at = |end: usize, time: TimeRef| {
        Some(TimeMention {
            start: i,
            end,
            time,
        })
    };
    if let Some((n, days)) = lex.relative_days.at(tokens, i) {
        return at(i + n, TimeRef::Relative { days: *days });
    }
    if let Some(&w) = lex.weekdays.get(t.lower.as_str())
        && t.is_capitalised()
    {
        return at(i + 1, TimeRef::Weekday { weekday: w });
    }
    if let Some(&month) = lex.months.get(t.lower.as_str())
        && t.is_capitalised()
    {
        let mut j = i + 1;
        if tokens.get(j).is_some_and(|t| t.is_punct(".")) {
            j += 1;
        }
        if let Some(day) = small_number(tokens.get(j)) {
            // "December 30, 2023" or "Dec. 30"
            let mut end = j + 1;
            let mut y = None;
            if tokens.get(end).is_some_and(|t| t.is_punct(","))
                && let Some(yy) = year(tokens.get(end + 1))
            {
                y = Some(yy);
                end += 2;
            } else if let Some(yy) = year(tokens.get(end)) {
                y = Some(yy);
                end += 1;
            }
            // "Jan. 1 will be declared ...": a bare day that opens the sentence names no
            // time of an incident
            if y.is_none() && i == 0 {
                return None;
            }
            return resolve_day(y, month, day, published)
                .and_then(|date| at(end, TimeRef::Date { date }));
        }
        if let Some(y) = year(tokens.get(j)) {
            return at(j + 1, TimeRef::Month { year: y, month });
        }
        return month_without_year(tokens, i, month, lex, published)
            .and_then(|(end, year)| at(end, TimeRef::Month { year, month }));
    }
    // "30 December 2023"
    if let Some(day) = small_number(Some(t))
        && let Some(next) = tokens.get(i + 1)
        && next.is_capitalised()
        && let Some(&month) = lex.months.get(next.lower.as_str())
    {
        let y = year(tokens.get(i + 2));
        let end = i + 2 + usize::from(y.is_some());
        return resolve_day(y, month, day, published)
            .and_then(|date| at(end, TimeRef::Date { date }));
    }
    // "in 2004", "since 2014", "the 2004 tsunami"
    if let Some(y) = year(Some(t)) {
        let prev = i.checked_sub(1).map(|p| tokens[p].lower.as_str());
        // "the 2004 tsunami", "the 2007 Virginia Tech massacre"
        let mut k = i + 1;
        while k < tokens.len()
            && k - i <= 4
            && tokens[k].is_capitalised()
            && lex.incidents.at(tokens, k).is_none()
        {
            k += 1;
        }
        let before_incident = lex.incidents.at(tokens, k).is_some();
        let after_preposition = matches!(prev, Some("in" | "since" | "of" | "until" | "during"));
        // "the 2009 disaster", but not "the 2000 people"
        let the_year = prev == Some("the")
            && tokens.get(i + 1).is_some_and(|n| {
                n.kind == Kind::Word
                    && lex.subject_words.at(tokens, i + 1).is_none()
                    && !lex.person_nouns.contains(n.lower.as_str())
                    && !lex.modifiers.contains(n.lower.as_str())
            });
        if before_incident || after_preposition || the_year {
            return at(i + 1, TimeRef::Year { year: y });
        }
    }
    None
}

/// "in January", "since March", "in March last year": a month named alone after a word of
/// [`TimeSpec::month_before`](crate::lexicon::TimeSpec), dated against the publication day
/// (the latest such month up to it). The end of the mention and the year.
fn month_without_year(
    tokens: &[Token<'_>],
    i: usize,
    month: u32,
    lex: &Lexicon,
    published: Option<NaiveDate>,
) -> Option<(usize, i32)> {
    let p = published?;
    let before = i.checked_sub(1).map(|k| tokens[k].lower.as_str())?;
    let next = tokens.get(i + 1).map(|t| t.lower.as_str());
    if !lex.file.time.month_before.iter().any(|w| w == before) || next == Some("'s") {
        return None;
    }
    let mut year = if month <= p.month() {
        p.year()
    } else {
        p.year() - 1
    };
    let last_year = next == Some("last") && tokens.get(i + 2).is_some_and(|t| t.lower == "year");
    if last_year {
        year = p.year() - 1;
        return Some((i + 3, year));
    }
    Some((i + 1, year))
}

/// The day of a month named without a year: the latest such day not after publication
/// (a day after, to allow for time zones).
fn resolve_day(
    year: Option<i32>,
    month: u32,
    day: u32,
    published: Option<NaiveDate>,
) -> Option<NaiveDate> {
    match (year, published) {
        (Some(y), _) => NaiveDate::from_ymd_opt(y, month, day),
        (None, Some(p)) => {
            let this = NaiveDate::from_ymd_opt(p.year(), month, day)?;
            if this <= p + Days::new(1) {
                Some(this)
            } else {
                NaiveDate::from_ymd_opt(p.year() - 1, month, day)
            }
        }
        (None, None) => None,
    }
}

/// Resolves a time against the day of publication, when it can be.
pub fn resolve(time: TimeRef, published: Option<NaiveDate>) -> TimeRef {
    let Some(p) = published else { return time };
    match time {
        TimeRef::Relative { days } => TimeRef::Date {
            date: shift_date(p, days),
        },
        TimeRef::Weekday { weekday } => {
            let back = (p.weekday().num_days_from_monday() + 7 - weekday) % 7;
            TimeRef::Date {
                date: shift_date(p, -i64::from(back)),
            }
        }
        other => other,
    }
}

pub fn shift_date(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d + Days::new(days as u64)
    } else {
        d - Days::new(days.unsigned_abs())
    }
}

/// Moves a time by some days, when that can be said without the date of publication.
pub fn shift(time: TimeRef, days: i64) -> Option<TimeRef> {
    match time {
        TimeRef::Date { date } => Some(TimeRef::Date {
            date: shift_date(date, days),
        }),
        TimeRef::Relative { days: d } => Some(TimeRef::Relative { days: d + days }),
        TimeRef::Weekday { weekday } => Some(TimeRef::Weekday {
            weekday: (weekday as i64 + days).rem_euclid(7) as u32,
        }),
        TimeRef::FromMain { days: d } => Some(TimeRef::FromMain { days: d + days }),
        TimeRef::Month { .. } | TimeRef::Year { .. } => Some(time),
    }
}

/// Finds "a day after", "two days before", "hours after" and what they govern: the words
/// up to the next comma or the end of the sentence.
pub fn shifts(tokens: &[Token<'_>], lex: &Lexicon) -> Vec<Shift> {
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        let Some(unit) = lex.shift_units.get(tokens[i].lower.as_str()) else {
            continue;
        };
        // "a day", "the day", "two days", "one week"
        let Some(p) = i.checked_sub(1) else { continue };
        let count = match tokens[p].lower.as_str() {
            "a" | "the" | "one" | "just" => 1,
            w => match lex.units.get(w) {
                Some(v) => *v as i64,
                None => match tokens[p].text.parse::<i64>() {
                    Ok(v) => v,
                    Err(_) => continue,
                },
            },
        };
        let sign = if lex.shift_after.at(tokens, i + 1).is_some() {
            -1 // the words after "a day after" are a day earlier
        } else if lex.shift_before.at(tokens, i + 1).is_some() {
            1
        } else {
            continue;
        };
        let clause_end = |from: usize| {
            (from..tokens.len())
                .find(|&k| tokens[k].is_punct(",") || tokens[k].is_punct(";"))
                .unwrap_or(tokens.len())
        };
        let mut end = clause_end(i + 1);
        // "five weeks after the Las Vegas bloodbath, when a gunman killed 58": the clause
        // of "when" or "which" describes the earlier incident too
        if tokens.get(end).is_some_and(|t| t.is_punct(","))
            && tokens
                .get(end + 1)
                .is_some_and(|t| matches!(t.lower.as_str(), "when" | "which" | "where"))
        {
            end = clause_end(end + 2);
        }
        out.push(Shift {
            start: p,
            end,
            days: sign * count * unit,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn found(s: &str, published: Option<NaiveDate>) -> Vec<TimeRef> {
        let lex = Lexicon::shared();
        times(&tokenize(s), lex, published)
            .into_iter()
            .map(|m| resolve(m.time, published))
            .collect()
    }

    fn date(y: i32, m: u32, d: u32) -> TimeRef {
        TimeRef::Date {
            date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        }
    }

    #[test]
    fn days_resolve_against_publication() {
        let sunday = NaiveDate::from_ymd_opt(2023, 12, 31);
        assert_eq!(
            found("On Friday, and yesterday, and on Dec. 30", sunday),
            [date(2023, 12, 29), date(2023, 12, 30), date(2023, 12, 30)]
        );
        assert_eq!(
            found("the incident in November 2022 and the 2004 tsunami", sunday),
            [
                TimeRef::Month {
                    year: 2022,
                    month: 11
                },
                TimeRef::Year { year: 2004 }
            ]
        );
        assert_eq!(found("yesterday", None), [TimeRef::Relative { days: -1 }]);
        assert!(found("Jan. 1 will be declared a day of mourning", sunday).is_empty());
    }
}
