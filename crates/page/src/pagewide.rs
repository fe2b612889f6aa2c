//! The last resorts for a page's date, over its whole source (markup and scripts included):
//! the first date-and-time stamp (`2019-03-02T06:22:28`, as scripts and templates write
//! them), and the date the page writes most often in one of the usual numeric forms
//! (`/2016/05/22/` in its links, `2016-05-22`, `22.05.2016`, `20160522`), never one before the
//! year of its copyright notice. The choice among frequent dates is htmldate's: of the two
//! earliest among the ten most frequent, the earlier, unless the later is of another year and
//! more than half as frequent.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;

use crate::textdate::Order;

const YEAR: &str = r"(?:199[0-9]|20[0-3][0-9])";

fn re(s: &str) -> Regex {
    Regex::new(&s.replace("YEAR", YEAR)).expect("valid regex")
}

static STAMP: LazyLock<Regex> =
    LazyLock::new(|| re(r"(YEAR)-([01]?[0-9])-([0-3]?[0-9]).[0-9]{2}:[0-9]{2}:[0-9]{2}"));
static COPYRIGHT: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:©|&copy;|Copyright|\(c\))[^0-9]{0,40}?(?:YEAR)?-?(YEAR)[^0-9]"));

/// The forms counted, in order: (pattern, the order of its numbers).
static FORMS: LazyLock<Vec<(Regex, Form)>> = LazyLock::new(|| {
    vec![
        (re(r"/(YEAR)/([0-9]{2})/([0-9]{2})[01/]"), Form::Ymd),
        (
            re(r"[^0-9](YEAR)[/.-]([0-9]{2})[/.-]([0-9]{2})[^0-9]"),
            Form::Ymd,
        ),
        (
            re(r"[^0-9]([0-3]?[0-9])[/.-]([01]?[0-9])[/.-](YEAR)[^0-9]"),
            Form::Dmy,
        ),
        (re(r"[^0-9](YEAR)([01][0-9])([0-3][0-9])[^0-9]"), Form::Ymd),
    ]
});

#[derive(Clone, Copy)]
enum Form {
    Ymd,
    Dmy,
}

/// The first date-and-time stamp in the page that `keep` accepts.
pub fn first_stamp(html: &str, keep: impl Fn(NaiveDate) -> bool) -> Option<NaiveDate> {
    STAMP.captures_iter(html).find_map(|c| {
        let date =
            NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
        keep(date).then_some(date)
    })
}

/// The date the page writes most often (see the module's comment).
pub fn most_frequent(
    html: &str,
    order: Order,
    keep: impl Fn(NaiveDate) -> bool,
) -> Option<NaiveDate> {
    let copyright = copyright_year(html);
    for (pattern, form) in FORMS.iter() {
        let mut counts: HashMap<NaiveDate, usize> = HashMap::new();
        for c in pattern.captures_iter(html) {
            let n = |i: usize| c[i].parse::<u32>().ok();
            let date = match form {
                Form::Ymd => ymd(n(1), n(2), n(3)),
                Form::Dmy => dmy(n(1), n(2), n(3), order),
            };
            if let Some(d) = date.filter(|d| keep(*d)) {
                *counts.entry(d).or_default() += 1;
            }
        }
        if counts.len() > 1000 {
            continue;
        }
        let chosen = choose(counts).filter(|d| copyright.is_none_or(|y| d.year() >= y));
        if chosen.is_some() {
            return chosen;
        }
    }
    None
}

fn ymd(y: Option<u32>, m: Option<u32>, d: Option<u32>) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y? as i32, m?, d?)
}

fn dmy(a: Option<u32>, b: Option<u32>, y: Option<u32>, order: Order) -> Option<NaiveDate> {
    let (a, b) = (a?, b?);
    let (day, month) = match order {
        Order::DayFirst if b <= 12 => (a, b),
        Order::MonthFirst if a > 12 => (a, b),
        _ => (b, a),
    };
    ymd(y, Some(month), Some(day))
}

/// Of the two earliest among the ten most frequent, the earlier, unless the later is of
/// another year and more than half as frequent.
fn choose(counts: HashMap<NaiveDate, usize>) -> Option<NaiveDate> {
    let mut frequent: Vec<(NaiveDate, usize)> = counts.into_iter().collect();
    frequent.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    frequent.truncate(10);
    frequent.sort();
    match frequent.as_slice() {
        [] => None,
        [(only, _)] => Some(*only),
        [(a, ca), (b, cb), ..] => {
            let later = ca != cb && a.year() != b.year() && *cb as f64 / *ca as f64 > 0.5;
            Some(if later { *b } else { *a })
        }
    }
}

/// The most frequent year of a copyright notice.
fn copyright_year(html: &str) -> Option<i32> {
    let mut counts: HashMap<i32, usize> = HashMap::new();
    for c in COPYRIGHT.captures_iter(html) {
        if let Ok(y) = c[1].parse() {
            *counts.entry(y).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(y, _)| y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn any(_: NaiveDate) -> bool {
        true
    }

    #[test]
    fn stamps_and_frequent_dates() {
        let html = r#"<a href="/2017/08/03/x">a</a><a href="/2016/05/22/y">b</a>
            <a href="/2017/08/03/z">c</a><script>{"t":"2019-03-02T06:22:28"}</script>"#;
        assert_eq!(first_stamp(html, any).unwrap().to_string(), "2019-03-02");
        // the later date, of another year, is more than half as frequent
        assert_eq!(
            most_frequent(html, Order::DayFirst, any)
                .unwrap()
                .to_string(),
            "2017-08-03"
        );
        let html = "<a href=/2016/05/22/a></a><a href=/2016/05/22/b></a><a href=/2017/08/03/c></a>";
        assert_eq!(
            most_frequent(html, Order::DayFirst, any)
                .unwrap()
                .to_string(),
            "2016-05-22"
        );
        let html = "<p>12.01.2019</p><p>© 2018 Site</p><p>03.02.2019 x</p>";
        assert_eq!(
            most_frequent(html, Order::DayFirst, any)
                .unwrap()
                .to_string(),
            "2019-01-12"
        );
        // never before the copyright's year
        let html = "<p>12.01.2017</p><p>© 2018 Site</p>";
        assert_eq!(most_frequent(html, Order::DayFirst, any), None);
        assert_eq!(most_frequent("<p>none</p>", Order::DayFirst, any), None);
    }
}
