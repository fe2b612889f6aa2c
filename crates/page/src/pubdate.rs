//! A page's publication and modification dates, from the sources of [`crate::facts`] in one
//! order of trust (each source is tried only when all before it gave nothing; [`SOURCES`]):
//!
//! 1. `url`: a full date in the path of the page's address (its canonical link, the address
//!    it was fetched from, `og:url`): outlets write it in their own day;
//! 2. `meta`: the first `<meta>` tag in the page with one of the publication keys of
//!    `config/page.toml` and a date;
//! 3. `json-ld`: the article's `datePublished` (or `dateCreated`) in JSON-LD;
//! 4. `itemprop`: an element's `itemprop="datePublished"`, a `<time pubdate>`, an
//!    `<abbr class="published" title="...">`;
//! 5. `marked`: the first element whose class, id or itemprop marks it as a date
//!    (`config/page.toml`) with a date in its text or `title`;
//! 6. `heading`: a date in the `<title>` or an `<h1>`;
//! 7. `time`: a `<time>` marked as the publication, else the earliest `<time>` that is not
//!    marked as an update;
//! 8. `script`: a `datePublished` in any JSON-LD object;
//! 9. `stamp`: the first date-and-time stamp in the page's source, scripts included;
//! 10. `image`: a full date in the path of the article's image (`og:image`);
//! 11. `text`: the earliest date of the page's short pieces of text;
//! 12. `page`: the date the page writes most often ([`crate::pagewide`]).
//!
//! This is htmldate's order, measured on its evaluation pages (`just bench`).
//!
//! The modification date is the article's `dateModified` in JSON-LD, else the `<meta>`
//! modification keys, else an `itemprop="dateModified"`, else a `<time>` marked as an update.
//!
//! A date before 1995 or after the page was fetched (a day of slack for time zones) is a
//! template's default or a typo, and is passed over. A time with a zone or an offset keeps
//! them, so that the page's local day is the day it states; a time stated in UTC is read in
//! the zone the page states in another of its times, if any (servers write UTC; readers see
//! the outlet's day); a time without a zone keeps only its day.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use corpus::PubTime;
use regex::Regex;
use serde_json::Value;

use crate::facts::Facts;
use crate::jsonld::string_of;
use crate::pagewide;
use crate::textdate::{self, Order};
use crate::words::PAGE_WORDS;

/// The earliest year believed: news sites hardly predate it.
pub const EARLIEST_YEAR: i32 = 1995;

/// What the dates are read from: the page's facts, its JSON-LD article objects, the
/// addresses it is known by, and the bounds of belief.
pub struct Sources<'a> {
    /// The page's source.
    pub html: &'a str,
    pub facts: &'a Facts,
    pub articles: &'a [&'a Value],
    /// Addresses of the page (canonical, fetched from, `og:url`), in that order.
    pub urls: Vec<String>,
    pub order: Order,
    pub now: DateTime<Utc>,
}

/// The names of the sources, in order of trust.
pub const SOURCES: &[&str] = &[
    "url", "meta", "json-ld", "itemprop", "marked", "heading", "time", "script", "stamp", "image",
    "text", "page",
];

/// The structured sources that may state a time of day.
const TIMED_SOURCES: &[&str] = &["meta", "json-ld"];

/// The publication date and the name of the source that gave it. A day alone (from the
/// address, or text) takes the time of day of a head source (meta, JSON-LD) that states a
/// time on that same day.
pub fn published(s: &Sources) -> Option<(PubTime, &'static str)> {
    let (found, name) = SOURCES
        .iter()
        .find_map(|&name| from_source(s, name).map(|t| (t, name)))?;
    let PubTime::Date(day) = found else {
        return Some((in_page_zone(s, found), name));
    };
    let timed = TIMED_SOURCES
        .iter()
        .filter_map(|source| from_source(s, source))
        .find(|t| matches!(t, PubTime::DateTime(_)) && t.date() == day);
    Some((timed.unwrap_or(found), name))
}

/// A time stated in UTC, read in the zone the page states elsewhere (another of its times
/// with an offset other than zero): servers write UTC, readers see the outlet's day.
fn in_page_zone(s: &Sources, t: PubTime) -> PubTime {
    let PubTime::DateTime(utc) = t else {
        return t;
    };
    if utc.offset().local_minus_utc() != 0 {
        return t;
    }
    let f = s.facts;
    let stated = f
        .metas
        .iter()
        .map(|m| m.content.as_str())
        .chain(f.times.iter().filter_map(|t| t.value.as_deref()))
        .chain(f.item_dates.iter().map(|(_, v)| v.as_str()))
        .filter_map(crate::dates::parse_date)
        .find_map(|t| match t {
            PubTime::DateTime(local) if local.offset().local_minus_utc() != 0 => {
                Some(*local.offset())
            }
            _ => None,
        });
    stated.map_or(t, |zone| PubTime::DateTime(utc.with_timezone(&zone)))
}

fn from_source(s: &Sources, name: &str) -> Option<PubTime> {
    let f = s.facts;
    match name {
        "json-ld" => ld_date(s, &["datePublished", "dateCreated"]),
        "meta" => meta_date(s, &PAGE_WORDS.meta.published),
        "itemprop" => itemprop_date(s),
        "url" => s.urls.iter().find_map(|u| s.plausible(url_date(u))),
        "time" => time_date(s),
        "marked" => f.marked.iter().find_map(|(text, title)| {
            s.plausible(s.lenient(&start_of(text)))
                .or_else(|| s.plausible(s.lenient(title.as_deref()?)))
        }),
        "heading" => f
            .title
            .iter()
            .chain(&f.headings)
            .find_map(|t| s.plausible(s.in_text(t))),
        "script" => f.json_ld.iter().find_map(|t| s.plausible(script_date(t))),
        "image" => PAGE_WORDS
            .meta
            .image
            .iter()
            .filter_map(|k| f.metas.iter().find(|m| &m.key == k))
            .find_map(|m| s.plausible(url_date(&m.content))),
        "stamp" => pagewide::first_stamp(s.html, |d| s.believed(d)).map(PubTime::Date),
        "page" => pagewide::most_frequent(s.html, s.order, |d| s.believed(d)).map(PubTime::Date),
        "text" => f
            .segments
            .iter()
            .filter_map(|t| s.plausible(s.in_text(t)))
            .min(),
        _ => None,
    }
}

/// The modification date.
pub fn modified(s: &Sources) -> Option<PubTime> {
    let f = s.facts;
    ld_date(s, &["dateModified"])
        .or_else(|| meta_date(s, &PAGE_WORDS.meta.modified))
        .or_else(|| {
            f.item_dates
                .iter()
                .filter(|(prop, _)| prop.contains("modified") || prop.contains("update"))
                .find_map(|(_, v)| s.plausible(s.lenient(v)))
        })
        .or_else(|| {
            f.times
                .iter()
                .filter(|t| is_update(&t.marks))
                .find_map(|t| s.plausible(s.lenient(t.value.as_deref().unwrap_or(&t.text))))
        })
}

fn ld_date(s: &Sources, keys: &[&str]) -> Option<PubTime> {
    keys.iter().find_map(|k| {
        s.articles
            .iter()
            .filter_map(|a| string_of(a.get(*k)?))
            .find_map(|v| s.plausible(s.lenient(&v)))
    })
}

/// The first `<meta>` tag in the page with one of these keys and a date.
fn meta_date(s: &Sources, keys: &[String]) -> Option<PubTime> {
    s.facts
        .metas
        .iter()
        .filter(|m| keys.contains(&m.key))
        .find_map(|m| s.plausible(s.lenient(&m.content)))
}

fn itemprop_date(s: &Sources) -> Option<PubTime> {
    let f = s.facts;
    let items = f
        .item_dates
        .iter()
        .filter(|(prop, _)| prop == "datepublished" || prop == "datecreated")
        .map(|(_, v)| v.as_str());
    let pubdate = f
        .times
        .iter()
        .filter(|t| t.pubdate)
        .filter_map(|t| t.value.as_deref());
    let abbrs = f
        .abbrs
        .iter()
        .filter(|a| a.marks.contains("published"))
        .filter_map(|a| a.value.as_deref());
    items
        .chain(pubdate)
        .chain(abbrs)
        .find_map(|v| s.plausible(s.lenient(v)))
}

fn time_date(s: &Sources) -> Option<PubTime> {
    let read = |t: &crate::facts::Stamp| {
        let from_value = t.value.as_deref().and_then(|v| s.plausible(s.lenient(v)));
        from_value.or_else(|| s.plausible(s.in_text(&t.text)))
    };
    let times = s.facts.times.iter().filter(|t| !is_update(&t.marks));
    let marked = times
        .clone()
        .filter(|t| {
            ["publish", "entry-date", "posted"]
                .iter()
                .any(|m| t.marks.contains(m))
        })
        .find_map(read);
    marked.or_else(|| times.filter_map(read).min())
}

fn is_update(marks: &str) -> bool {
    PAGE_WORDS
        .marks
        .modified
        .iter()
        .any(|m| marks.contains(m.as_str()))
}

/// How much of an element's text is read for its date: a date stands at the start of the
/// element that holds it (htmldate reads as much); further on, it is another date's text.
const START_CHARS: usize = 64;

/// The start of a text, white space folded.
fn start_of(text: &str) -> String {
    crate::facts::tidy(text).chars().take(START_CHARS).collect()
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[/_-]((?:19|20)[0-9]{2})(?:[/_-]([01]?[0-9])[/_-]([0-3]?[0-9])|(0[1-9]|1[0-2])([0-3][0-9]))(?:[/_.-]|$)",
    )
    .expect("valid regex")
});

/// A full date in an address's path: `/2019/11/19/`, `/2019-11-19-title`, `/20191119/`.
pub fn url_date(url: &str) -> Option<PubTime> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("", |i| &rest[i..]));
    URL_DATE.captures_iter(path).find_map(|c| {
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let month = n(2).or(n(4))?;
        let day = n(3).or(n(5))?;
        NaiveDate::from_ymd_opt(n(1)? as i32, month, day).map(PubTime::Date)
    })
}

/// A year, or a year and a month: not the day of a publication.
static PARTIAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{4}(?:[-/.][0-9]{1,2})?$").expect("valid regex"));

static SCRIPT_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{4,40})""#).expect("valid regex"));

fn script_date(text: &str) -> Option<PubTime> {
    crate::dates::parse_date(&SCRIPT_DATE.captures(text)?[1])
}

impl Sources<'_> {
    /// Within the bounds of belief.
    fn plausible(&self, t: Option<PubTime>) -> Option<PubTime> {
        let earliest = NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1).expect("a date");
        t.filter(|t| t.date() >= earliest && t.sort_key() <= self.now + chrono::Duration::days(1))
    }

    fn believed(&self, day: NaiveDate) -> bool {
        self.plausible(Some(PubTime::Date(day))).is_some()
    }

    /// A value meant as a date: read whole, else the date written in it.
    fn lenient(&self, value: &str) -> Option<PubTime> {
        let digits = value.bytes().filter(u8::is_ascii_digit).count();
        if digits < 5 || PARTIAL.is_match(value.trim()) {
            return None;
        }
        crate::dates::parse_date(value).or_else(|| self.in_text(value))
    }

    fn in_text(&self, text: &str) -> Option<PubTime> {
        textdate::find(text, self.order).map(PubTime::Date)
    }
}
