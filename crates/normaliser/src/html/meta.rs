//! The page's metadata: title, authors, site, publication and modification dates, language,
//! description and canonical URL.
//!
//! Sources in order of trust, as htmldate and trafilatura order them: JSON-LD
//! (schema.org `Article` and its kinds), then `<meta>` tags (OpenGraph, Dublin Core,
//! `article:*`, common CMS names), then the page's own elements (`<time>`, `itemprop`,
//! `rel="author"`, bylines), and for dates last the URL (`/2019/11/19/`).

use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use corpus::{ArticleMeta, PubTime};
use regex::Regex;
use serde_json::Value;

use super::dom::{Dom, Tag};

/// Everything the page says about itself, gathered in one pass.
#[derive(Default)]
struct Found {
    html_lang: Option<String>,
    title_tag: Option<String>,
    /// `<meta>` name (or property, itemprop, http-equiv), lowercased, and content.
    meta: Vec<(String, String)>,
    canonical: Option<String>,
    json_ld: Vec<Value>,
    /// `<time>` elements: datetime attribute, and whether markup says it is the update time.
    times: Vec<(String, bool)>,
    itemprop_authors: Vec<String>,
    rel_authors: Vec<String>,
    byline: Option<String>,
}

/// The page's metadata, and the article's text as the page states it in JSON-LD
/// (`articleBody`, string escapes decoded, line breaks kept), if it does.
pub(crate) fn metadata(dom: &Dom<'_>) -> (ArticleMeta, Option<String>) {
    let found = gather(dom);
    let articles = article_objects(&found.json_ld);
    let body = articles.iter().find_map(|a| {
        a.get("articleBody")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    (metadata_of(&found, &articles), body)
}

fn metadata_of(found: &Found, articles: &[&Value]) -> ArticleMeta {
    let ld = |key: &str| articles.iter().find_map(|a| a.get(key));
    let ld_str = |key: &str| ld(key).and_then(string_of);
    let meta = |names: &[&str]| {
        names.iter().find_map(|n| {
            found
                .meta
                .iter()
                .find(|(k, v)| k == n && !v.trim().is_empty())
                .map(|(_, v)| super::tidy(v))
        })
    };

    let site_name =
        meta(&["og:site_name", "application-name", "al:android:app_name"]).or_else(|| {
            ld("publisher")
                .and_then(|p| p.get("name"))
                .and_then(string_of)
        });
    let title = ld_str("headline")
        .or_else(|| meta(&["og:title", "twitter:title", "dc.title", "title"]))
        .or_else(|| {
            found
                .title_tag
                .as_deref()
                .map(|t| strip_site_from_title(t, site_name.as_deref()))
        })
        .filter(|t| !t.is_empty());

    let published = ld("datePublished")
        .or_else(|| ld("dateCreated"))
        .and_then(string_of)
        .and_then(|s| parse_date(&s))
        .or_else(|| meta_date(found, PUBLISHED_META))
        .or_else(|| {
            found
                .times
                .iter()
                .filter(|(_, updated)| !updated)
                .find_map(|(t, _)| parse_date(t))
        })
        .or_else(|| url_date(found.canonical.as_deref()?))
        .or_else(|| url_date(&meta(&["og:url"])?));
    let modified = ld("dateModified")
        .and_then(string_of)
        .and_then(|s| parse_date(&s))
        .or_else(|| meta_date(found, MODIFIED_META))
        .or_else(|| {
            found
                .times
                .iter()
                .filter(|(_, updated)| *updated)
                .find_map(|(t, _)| parse_date(t))
        });

    let mut authors = ld("author").map(names_of).unwrap_or_default();
    if authors.is_empty() {
        for value in [
            meta(&[
                "author",
                "dc.creator",
                "byl",
                "parsely-author",
                "sailthru.author",
            ]),
            meta(&["article:author"]).filter(|a| !looks_like_url(a)),
        ]
        .into_iter()
        .flatten()
        {
            authors = split_authors(&value);
            if !authors.is_empty() {
                break;
            }
        }
    }
    for list in [&found.itemprop_authors, &found.rel_authors] {
        if authors.is_empty() {
            authors = list.iter().flat_map(|a| split_authors(a)).collect();
        }
    }
    if authors.is_empty()
        && let Some(byline) = &found.byline
    {
        authors = split_authors(byline);
    }
    dedup(&mut authors);

    let language = found
        .html_lang
        .clone()
        .or_else(|| meta(&["content-language", "dc.language", "og:locale", "language"]))
        .or_else(|| ld_str("inLanguage"))
        .and_then(|l| normalise_language(&l));
    let canonical_url = found
        .canonical
        .clone()
        .or_else(|| meta(&["og:url"]))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    ArticleMeta {
        title,
        authors,
        site_name,
        published,
        modified,
        language,
        description: meta(&["og:description", "description", "twitter:description"]),
        canonical_url,
    }
}

fn gather(dom: &Dom<'_>) -> Found {
    let mut found = Found::default();
    for i in 0..dom.len() as u32 {
        let node = &dom.nodes[i as usize];
        let Some(el) = node.element else { continue };
        match node.tag {
            Tag::Html => found.html_lang = dom.attr(i, "lang").map(str::to_string),
            Tag::Title if found.title_tag.is_none() => {
                found.title_tag = Some(super::tidy(&raw_text(dom, i)));
            }
            Tag::Meta => {
                let mut key = None;
                let mut content = None;
                for (name, value) in el.attrs() {
                    match name {
                        "name" | "property" | "itemprop" | "http-equiv" if key.is_none() => {
                            key = Some(value.trim().to_ascii_lowercase());
                        }
                        "content" => content = Some(value),
                        _ => {}
                    }
                }
                if let (Some(k), Some(c)) = (key, content) {
                    found.meta.push((k, c.to_string()));
                }
            }
            Tag::Link => {
                let rel = dom.attr(i, "rel").unwrap_or("");
                if rel
                    .split_ascii_whitespace()
                    .any(|r| r.eq_ignore_ascii_case("canonical"))
                    && found.canonical.is_none()
                {
                    found.canonical = dom.attr(i, "href").map(|h| h.trim().to_string());
                }
            }
            Tag::JsonLd => {
                let text = raw_text(dom, i);
                if let Some(value) = parse_json_ld(&text) {
                    found.json_ld.push(value);
                }
            }
            Tag::Time => {
                if let Some(datetime) = dom.attr(i, "datetime") {
                    let marks = [dom.attr(i, "class"), dom.attr(i, "itemprop")]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_ascii_lowercase();
                    let updated = marks.contains("modif") || marks.contains("updat");
                    found.times.push((datetime.to_string(), updated));
                }
            }
            _ => {}
        }
        if let Some(itemprop) = dom.attr(i, "itemprop")
            && node.tag != Tag::Meta
        {
            let itemprop = itemprop.to_ascii_lowercase();
            if itemprop.split_ascii_whitespace().any(|p| p == "author") {
                // An author item holds a name item, or is the name.
                let name = (i..dom.end(i))
                    .find(|&j| dom.attr(j, "itemprop") == Some("name") && j != i)
                    .map(|j| {
                        dom.attr(j, "content")
                            .map(str::to_string)
                            .unwrap_or_else(|| raw_text(dom, j))
                    })
                    .unwrap_or_else(|| raw_text(dom, i));
                found.itemprop_authors.push(super::tidy(&name));
            }
            if itemprop.contains("datepublished")
                && let Some(d) = dom.attr(i, "content").or(dom.attr(i, "datetime"))
            {
                found.times.insert(0, (d.to_string(), false));
            }
        }
        if node.tag == Tag::A
            && dom
                .attr(i, "rel")
                .is_some_and(|r| r.split_ascii_whitespace().any(|r| r == "author"))
        {
            found.rel_authors.push(super::tidy(&raw_text(dom, i)));
        }
        if found.byline.is_none()
            && dom
                .attr(i, "class")
                .is_some_and(|c| c.split_ascii_whitespace().any(is_byline_name))
        {
            let text = super::tidy(&raw_text(dom, i));
            if !text.is_empty() && text.split_whitespace().count() <= 12 {
                found.byline = Some(text);
            }
        }
    }
    found
}

fn is_byline_name(name: &str) -> bool {
    contains_ignore_case(name, "byline")
        || contains_ignore_case(name, "author") && contains_ignore_case(name, "name")
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn raw_text(dom: &Dom<'_>, i: u32) -> String {
    let mut s = String::new();
    for j in i + 1..dom.end(i) {
        let node = &dom.nodes[j as usize];
        if node.tag == Tag::Text {
            s.push_str(node.text);
        }
    }
    s
}

const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "og:published_time",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.issued",
    "dc.date.created",
    "citation_publication_date",
    "date",
    "article.published",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
];

const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "datemodified",
    "modified_time",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "article.updated",
    "lastmod",
];

fn meta_date(found: &Found, names: &[&str]) -> Option<PubTime> {
    names.iter().find_map(|n| {
        found
            .meta
            .iter()
            .filter(|(k, _)| k == n)
            .find_map(|(_, v)| parse_date(v))
    })
}

/// Parses the date forms pages use; a date and time without a zone keeps only the date
/// (the time would be a guess).
pub(crate) fn parse_date(s: &str) -> Option<PubTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let with_zone = DateTime::parse_from_rfc3339(s)
        .or_else(|_| DateTime::parse_from_rfc2822(s))
        .ok()
        .or_else(|| {
            [
                "%Y-%m-%dT%H:%M:%S%z",
                "%Y-%m-%dT%H:%M:%S%.f%z",
                "%Y-%m-%dT%H:%M%z",
                "%Y-%m-%d %H:%M:%S%z",
                "%Y-%m-%d %H:%M:%S %z",
                "%Y-%m-%dT%H:%M:%S%.f%:z",
            ]
            .iter()
            .find_map(|f| DateTime::parse_from_str(s, f).ok())
        });
    if let Some(t) = with_zone {
        return plausible(t.date_naive()).then_some(PubTime::DateTime(t));
    }
    let naive = [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|t| t.date());
    let date = naive.or_else(|| leading_date(s))?;
    plausible(date).then_some(PubTime::Date(date))
}

static LEADING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})(?:$|[^\d])").expect("valid pattern")
});

fn leading_date(s: &str) -> Option<NaiveDate> {
    let c = LEADING_DATE.captures(s)?;
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
}

fn plausible(date: NaiveDate) -> bool {
    use chrono::Datelike;
    (1995..=2100).contains(&date.year())
}

static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?:/|[-_]|\.html?|$)")
        .expect("valid pattern")
});

/// A full date in a URL path (`/2019/11/19/`, `/2019-11-19-title`).
pub(crate) fn url_date(url: &str) -> Option<PubTime> {
    let c = URL_DATE.captures(url)?;
    let date = NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?;
    plausible(date).then_some(PubTime::Date(date))
}

fn parse_json_ld(text: &str) -> Option<Value> {
    let trimmed = text
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("//]]>")
        .trim();
    serde_json::from_str(trimmed).ok()
}

/// The JSON-LD objects that describe an article (or, failing that, the web page), most
/// specific first.
fn article_objects(values: &[Value]) -> Vec<&Value> {
    let mut all = Vec::new();
    let mut stack: Vec<&Value> = values.iter().collect();
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    stack.push(graph);
                }
                if map.contains_key("@type") {
                    all.push(v);
                }
            }
            _ => {}
        }
    }
    let rank = |v: &Value| -> u8 {
        let types: Vec<&str> = match v.get("@type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        if types
            .iter()
            .any(|t| t.ends_with("Article") || t.ends_with("BlogPosting") || *t == "Report")
        {
            0
        } else if types.iter().any(|t| t.ends_with("WebPage")) {
            1
        } else {
            2
        }
    };
    all.retain(|v| rank(v) < 2);
    all.sort_by_key(|v| rank(v));
    all
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(super::tidy(s)).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(string_of),
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("@value"))
            .and_then(string_of),
        _ => None,
    }
}

/// Person names from a JSON-LD `author` (a string, an object, or a list of either).
fn names_of(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => split_authors(s),
        Value::Array(a) => a.iter().flat_map(names_of).collect(),
        Value::Object(o) => o
            .get("name")
            .and_then(string_of)
            .map(|n| split_authors(&n))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:written|posted|reported|story|text|words|photos?)\s+)?(?:by|von|par|por|di|door|av|af|przez|от|автор)\s*:?\s+")
        .expect("valid pattern")
});
static AUTHOR_SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bi\b|\bи\b)\s*")
        .expect("valid pattern")
});

/// "By Jane Doe and John Roe" gives ["Jane Doe", "John Roe"]; URLs, e-mail addresses,
/// dates (anything with digits) and long phrases are not names.
fn split_authors(s: &str) -> Vec<String> {
    let s = super::tidy(s);
    let s = BY_PREFIX.replace(&s, "");
    AUTHOR_SEPARATORS
        .split(&s)
        .map(|a| {
            a.trim()
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_string()
        })
        .filter(|a| {
            !a.is_empty()
                && a.split_whitespace().count() <= 5
                && !looks_like_url(a)
                && !a.contains('@')
                && a.chars().any(char::is_alphabetic)
                && !a.chars().any(|c| c.is_ascii_digit())
        })
        .collect()
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("www.")
}

fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|a| seen.insert(a.to_lowercase()));
}

/// "en_US" and "EN-us" become "en-US"; anything that is not a language tag is dropped.
fn normalise_language(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let mut parts = tag.split('-');
    let language = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut out = language;
    for part in parts {
        if part.is_empty() || part.len() > 8 || !part.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        out.push('-');
        if part.len() == 2 {
            out.push_str(&part.to_ascii_uppercase());
        } else {
            out.push_str(part);
        }
    }
    Some(out)
}

/// "Headline - Site" or "Headline | Site" without the site.
fn strip_site_from_title(title: &str, site: Option<&str>) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " » "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_is_site = site.is_some_and(|s| tail.trim().eq_ignore_ascii_case(s.trim()))
                || tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3;
            if tail_is_site {
                return head.trim().to_string();
            }
        }
    }
    title.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_page_dates() {
        let cases = [
            ("2019-11-19T04:58:46Z", "2019-11-19T04:58:46+00:00"),
            ("2019-11-19T04:58:46.000+0100", "2019-11-19T04:58:46+01:00"),
            ("Tue, 19 Nov 2019 04:58:46 GMT", "2019-11-19T04:58:46+00:00"),
            ("2019-11-19 04:58", "2019-11-19"),
            ("2019/11/19", "2019-11-19"),
            ("20191119", "2019-11-19"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_date(input).map(|d| d.to_string()).as_deref(),
                Some(expected),
                "{input}"
            );
        }
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("1900-01-01"), None);
    }

    #[test]
    fn finds_dates_in_urls() {
        assert_eq!(
            url_date("https://example.com/2019/11/19/story.html").map(|d| d.to_string()),
            Some("2019-11-19".into())
        );
        assert_eq!(url_date("https://example.com/story/12345"), None);
    }

    #[test]
    fn splits_bylines_into_names() {
        assert_eq!(
            split_authors("By Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_authors("https://example.com/jane"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn normalises_language_tags() {
        assert_eq!(normalise_language("en_us").as_deref(), Some("en-US"));
        assert_eq!(
            normalise_language("zh-Hans-CN").as_deref(),
            Some("zh-Hans-CN")
        );
        assert_eq!(normalise_language("english!"), None);
    }
}
