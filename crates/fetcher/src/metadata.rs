//! Article metadata from a page: title, authors, site name, publication and modification
//! dates, language, description and the canonical link. Pure: HTML in, data out.
//!
//! Dates are taken from meta tags, then JSON-LD, then `<time>` elements, then the URL, and a
//! date outside 1995..now is rejected as a template default or a typo.

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use corpus::{ArticleMeta, PubTime};
use regex::Regex;
use scraper::{Html, Selector};
use serde_json::Value;
use url::Url;

/// The earliest publication year believed: news sites hardly predate it.
pub const EARLIEST_YEAR: i32 = 1995;

/// Meta tags (`name`, `property` or `itemprop`) giving the publication time, in order of trust.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publishdate",
    "pubdate",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
];

const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
];

const TITLE_KEYS: &[&str] = &["og:title", "twitter:title", "headline", "dc.title"];
const AUTHOR_KEYS: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
];
const SITE_KEYS: &[&str] = &["og:site_name", "application-name", "publisher"];
const DESCRIPTION_KEYS: &[&str] = &["og:description", "description", "twitter:description"];

/// What a page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    pub meta: ArticleMeta,
    /// `<link rel=canonical>`, resolved, when it is a plausible article URL.
    pub canonical: Option<Url>,
}

fn selector(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

static META: LazyLock<Selector> = LazyLock::new(|| selector("meta"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel]"));
static JSON_LD: LazyLock<Selector> = LazyLock::new(|| selector("script[type]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
static HTML_ROOT: LazyLock<Selector> = LazyLock::new(|| selector("html[lang]"));

/// Reads the metadata of a page. `page_url` resolves relative links and gives the URL date;
/// `content_language` is the HTTP header, the last resort for the language.
pub fn scrape(
    page: &str,
    page_url: &Url,
    content_language: Option<&str>,
    now: DateTime<Utc>,
) -> PageMeta {
    let doc = Html::parse_document(&metadata_elements(page));
    let tags = meta_tags(&doc);
    let get = |keys: &[&str]| -> Option<String> {
        keys.iter().find_map(|k| {
            tags.iter()
                .find(|(name, _)| name == k)
                .map(|(_, v)| v.clone())
        })
    };
    let all = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .flat_map(|k| {
                tags.iter()
                    .filter(move |(name, _)| name == k)
                    .map(|(_, v)| v.clone())
            })
            .collect()
    };
    let ld = json_ld_article(&doc);
    let ld_text = |key: &str| ld.as_ref().and_then(|a| a.get(key)).and_then(text_of);

    let dated = |v: Option<String>| v.and_then(|s| parse_date(&s)).filter(|d| plausible(d, now));
    let published = PUBLISHED_KEYS
        .iter()
        .find_map(|k| dated(get(&[k])))
        .or_else(|| dated(ld_text("datePublished")))
        .or_else(|| dated(ld_text("dateCreated")))
        .or_else(|| time_elements(&doc, now))
        .or_else(|| url_date(page_url).filter(|d| plausible(d, now)));
    let modified = MODIFIED_KEYS
        .iter()
        .find_map(|k| dated(get(&[k])))
        .or_else(|| dated(ld_text("dateModified")));

    let title = get(TITLE_KEYS)
        .or_else(|| ld_text("headline"))
        .or_else(|| {
            doc.select(&TITLE)
                .next()
                .map(|t| t.text().collect::<String>())
        })
        .map(|t| clean(&t))
        .filter(|t| !t.is_empty());

    let mut names = all(AUTHOR_KEYS);
    if names.iter().all(|n| n.starts_with("http"))
        && let Some(a) = ld.as_ref().and_then(|a| a.get("author"))
    {
        names = people(a);
    }
    let mut authors: Vec<String> = Vec::new();
    for name in names {
        let name = clean(&name);
        if !name.is_empty() && !name.starts_with("http") && !authors.contains(&name) {
            authors.push(name);
        }
    }

    let site_name = get(SITE_KEYS)
        .or_else(|| {
            ld.as_ref()
                .and_then(|a| a.get("publisher"))
                .and_then(|p| p.get("name").and_then(text_of).or_else(|| text_of(p)))
        })
        .map(|s| clean(&s))
        .filter(|s| !s.is_empty());

    let language = doc
        .select(&HTML_ROOT)
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(str::to_string)
        .or_else(|| get(&["content-language", "og:locale", "language", "dc.language"]))
        .or_else(|| ld_text("inLanguage"))
        .or_else(|| content_language.map(str::to_string))
        .and_then(|l| language_tag(&l));

    let description = get(DESCRIPTION_KEYS)
        .map(|d| clean(&d))
        .filter(|d| !d.is_empty());
    let canonical = canonical_link(&doc, page_url);

    PageMeta {
        meta: ArticleMeta {
            title,
            authors,
            site_name,
            published,
            modified,
            language,
            description,
            canonical_url: canonical.as_ref().map(Url::to_string),
        },
        canonical,
    }
}

static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?is)<(?:html|meta|link|time)\b[^>]*>|<title\b[^>]*>.*?</title>|<script\b[^>]*ld\+json[^>]*>.*?</script>"#,
    )
    .expect("valid regex")
});

/// The elements metadata comes from (`<html>`, `<meta>`, `<link>`, `<title>`, `<time>`,
/// JSON-LD scripts), cut out of the page into a flat document. Building the tree of a whole
/// page costs time in proportion to its nesting depth per element, so a hostile page nested
/// 100,000 deep would take minutes; the flat copy costs one linear scan.
fn metadata_elements(page: &str) -> String {
    let mut flat = String::new();
    for m in TAG.find_iter(page) {
        let tag = m.as_str();
        if tag.len() > 2 && tag[1..].to_ascii_lowercase().starts_with("time") {
            // Keep the attributes; `<time>` has content, so close it.
            flat.push_str(tag);
            flat.push_str("</time>");
        } else {
            flat.push_str(tag);
        }
        flat.push('\n');
    }
    flat
}

/// Every `<meta>` with a name, property, itemprop or http-equiv and a content, names lower-cased.
fn meta_tags(doc: &Html) -> Vec<(String, String)> {
    doc.select(&META)
        .filter_map(|m| {
            let el = m.value();
            let name = el
                .attr("property")
                .or_else(|| el.attr("name"))
                .or_else(|| el.attr("itemprop"))
                .or_else(|| el.attr("http-equiv"))?;
            let content = el.attr("content").or_else(|| el.attr("datetime"))?;
            Some((name.trim().to_ascii_lowercase(), content.trim().to_string()))
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// The first JSON-LD object whose type is an article (`NewsArticle`, `ReportageNewsArticle`,
/// `BlogPosting`, ...), searched through arrays and `@graph`.
fn json_ld_article(doc: &Html) -> Option<Value> {
    let mut found = None;
    for script in doc.select(&JSON_LD) {
        if !script
            .value()
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            continue;
        }
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<Value>(text.trim()) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => stack.extend(items.into_iter().rev()),
                Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    let v = Value::Object(map);
                    if is_article_type(v.get("@type")) {
                        found = Some(v);
                        break;
                    }
                }
                _ => {}
            }
        }
        if found.is_some() {
            break;
        }
    }
    found
}

fn is_article_type(t: Option<&Value>) -> bool {
    let is = |s: &str| {
        let s = s.rsplit('/').next().unwrap_or(s);
        s.ends_with("Article") || s.ends_with("BlogPosting") || s == "Report"
    };
    match t {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str().is_some_and(is)),
        _ => false,
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(text_of),
        Value::Object(o) => o
            .get("name")
            .and_then(text_of)
            .or_else(|| o.get("@value").and_then(text_of)),
        _ => None,
    }
}

fn people(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().flat_map(people).collect(),
        other => text_of(other).into_iter().collect(),
    }
}

fn time_elements(doc: &Html, now: DateTime<Utc>) -> Option<PubTime> {
    // A `<time>` marked as the publication time first, then any.
    let times: Vec<_> = doc.select(&TIME).collect();
    let marked = times.iter().find(|t| {
        let el = t.value();
        el.attr("pubdate").is_some()
            || el
                .attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("datePublished"))
    });
    marked
        .into_iter()
        .chain(times.iter())
        .filter_map(|t| t.value().attr("datetime").and_then(parse_date))
        .find(|d| plausible(d, now))
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[-_.]|$)")
        .expect("valid regex")
});

/// A date written in the URL path: `/2023/12/30/`, `/2023-12-30-slug`, `/20231230/`.
pub fn url_date(url: &Url) -> Option<PubTime> {
    let c = URL_DATE.captures(url.path())?;
    let n = |i: usize| c.get(i)?.as_str().parse::<u32>().ok();
    NaiveDate::from_ymd_opt(n(1)? as i32, n(2)?, n(3)?).map(PubTime::Date)
}

fn canonical_link(doc: &Html, page_url: &Url) -> Option<Url> {
    let href = doc
        .select(&CANONICAL)
        .find(|l| {
            l.value().attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("canonical"))
            })
        })?
        .value()
        .attr("href")?;
    let url = crate::urls::identity(&crate::urls::join_http(page_url, href).ok()?);
    // A canonical link to the site's front page from an article is a template error.
    let to_root = url.path() == "/" && url.query().is_none();
    let from_root = page_url.path() == "/";
    (!to_root || from_root).then_some(url)
}

/// Parses the date formats found in pages and feeds; a time without an offset keeps only its
/// date, since the offset is unknown.
pub fn parse_date(s: &str) -> Option<PubTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = PubTime::parse(s) {
        return Some(t);
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, fmt) {
            return Some(PubTime::DateTime(t));
        }
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(s) {
        return Some(PubTime::DateTime(t));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(PubTime::Date(t.date()));
        }
    }
    for fmt in ["%Y/%m/%d", "%Y%m%d", "%B %d, %Y", "%d %B %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(PubTime::Date(d));
        }
    }
    None
}

/// Between 1995 and now (a day of slack for time zones).
pub fn plausible(t: &PubTime, now: DateTime<Utc>) -> bool {
    let earliest = NaiveDate::from_ymd_opt(EARLIEST_YEAR, 1, 1).expect("valid date");
    t.date() >= earliest && t.sort_key() <= now + chrono::Duration::days(1)
}

/// A BCP 47 style tag from `en_US`, `en-us`, `EN`: language lower case, region upper case.
pub fn language_tag(raw: &str) -> Option<String> {
    let first = raw.split([',', ';']).next()?.trim();
    let mut parts = first.split(['-', '_']);
    let lang = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    match parts.next() {
        Some(region) if region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(format!("{lang}-{}", region.to_ascii_uppercase()))
        }
        _ => Some(lang),
    }
}

/// Collapses whitespace.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-06-01T00:00:00Z")
            .unwrap()
            .to_utc()
    }

    fn page(html: &str, url: &str) -> PageMeta {
        scrape(html, &Url::parse(url).unwrap(), None, now())
    }

    #[test]
    fn meta_tags_win_over_json_ld_time_and_url() {
        let html = r#"<html lang="en-gb"><head>
            <title>Fallback | Site</title>
            <meta property="og:title" content="  Quake  kills  ten ">
            <meta property="og:site_name" content="Daily Example">
            <meta name="author" content="Ann Writer">
            <meta property="article:published_time" content="2023-12-30T18:05:00+03:00">
            <meta property="article:modified_time" content="2023-12-31T09:00:00Z">
            <link rel="canonical" href="/news/quake?utm_source=x">
            <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-01-01"}</script>
            </head><body><time datetime="2021-05-05">x</time></body></html>"#;
        let m = page(html, "https://example.com/2019/01/02/quake").meta;
        assert_eq!(m.title.as_deref(), Some("Quake kills ten"));
        assert_eq!(m.site_name.as_deref(), Some("Daily Example"));
        assert_eq!(m.authors, ["Ann Writer"]);
        assert_eq!(
            m.published.unwrap().to_string(),
            "2023-12-30T18:05:00+03:00"
        );
        assert_eq!(m.modified.unwrap().to_string(), "2023-12-31T09:00:00+00:00");
        assert_eq!(m.language.as_deref(), Some("en-GB"));
        assert_eq!(
            m.canonical_url.as_deref(),
            Some("https://example.com/news/quake")
        );
    }

    #[test]
    fn json_ld_in_graph_then_time_then_url() {
        let html = r#"<script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
             {"@type":["ReportageNewsArticle"],"headline":"Blast at market",
              "datePublished":"2017-05-22T23:10:00+01:00","dateModified":"2017-05-23T08:00:00+01:00",
              "author":[{"@type":"Person","name":"A. One"},{"name":"B. Two"}],
              "publisher":{"@type":"Organization","name":"Example Wire"},"inLanguage":"fr-FR"}]}
            </script>"#;
        let m = page(html, "https://example.com/a").meta;
        assert_eq!(m.title.as_deref(), Some("Blast at market"));
        assert_eq!(m.authors, ["A. One", "B. Two"]);
        assert_eq!(m.site_name.as_deref(), Some("Example Wire"));
        assert_eq!(
            m.published.unwrap().to_string(),
            "2017-05-22T23:10:00+01:00"
        );
        assert_eq!(m.language.as_deref(), Some("fr-FR"));

        let m = page(r#"<p><time datetime="1990-01-01">old</time><time datetime="2015-11-13T21:20">x</time>"#, "https://example.com/a").meta;
        assert_eq!(m.published.unwrap().to_string(), "2015-11-13");

        let m = page(
            "<p>no dates</p>",
            "https://example.com/world/2009/09/30/quake-story",
        )
        .meta;
        assert_eq!(m.published.unwrap().to_string(), "2009-09-30");
        let m = page("<p>no dates</p>", "https://example.com/news/20160824-italy").meta;
        assert_eq!(m.published.unwrap().to_string(), "2016-08-24");
    }

    #[test]
    fn implausible_dates_are_rejected() {
        let html = r#"<meta property="article:published_time" content="1970-01-01T00:00:00Z">
                      <meta name="pubdate" content="2099-01-01">
                      <meta name="date" content="2011-03-11">"#;
        let m = page(html, "https://example.com/a").meta;
        assert_eq!(m.published.unwrap().to_string(), "2011-03-11");
        let m = page("<p>x</p>", "https://example.com/1994/01/01/a").meta;
        assert_eq!(m.published, None);
    }

    #[test]
    fn deeply_nested_html_is_read_without_overflowing() {
        let depth = 100_000;
        let html = format!(
            "<html><head><title>Deep</title></head><body>{}<p>x</p>{}</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let m = page(&html, "https://example.com/a").meta;
        assert_eq!(m.title.as_deref(), Some("Deep"));
    }

    #[test]
    fn date_formats() {
        for (input, expect) in [
            ("2023-12-30T18:05:00+0300", "2023-12-30T18:05:00+03:00"),
            ("2023-12-30T18:05:00.123Z", "2023-12-30T18:05:00.123+00:00"),
            ("Sat, 30 Dec 2023 15:05:00 GMT", "2023-12-30T15:05:00+00:00"),
            ("2023-12-30T18:05:00", "2023-12-30"),
            ("2023-12-30 18:05", "2023-12-30"),
            ("2023/12/30", "2023-12-30"),
            ("December 30, 2023", "2023-12-30"),
        ] {
            assert_eq!(
                parse_date(input).map(|d| d.to_string()).as_deref(),
                Some(expect),
                "{input}"
            );
        }
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn canonical_to_front_page_is_ignored_and_languages_are_tags() {
        let m = page(
            r#"<link rel="canonical" href="https://example.com/">"#,
            "https://example.com/story",
        );
        assert_eq!(m.canonical, None);
        assert_eq!(language_tag("en_us"), Some("en-US".into()));
        assert_eq!(language_tag("RU"), Some("ru".into()));
        assert_eq!(language_tag("x"), None);
        let m = scrape(
            "<p>x",
            &Url::parse("https://example.com/a").unwrap(),
            Some("de-DE, en"),
            now(),
        );
        assert_eq!(m.meta.language.as_deref(), Some("de-DE"));
    }
}
