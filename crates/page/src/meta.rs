//! A page's metadata, read one way for the fetcher and the normaliser alike: title, authors,
//! outlet, publication and modification dates ([`crate::pubdate`]), language, description,
//! canonical address, and the article's text where JSON-LD states it.
//!
//! Order of trust, for each field (the first source that gives a usable value wins):
//!
//! - title: JSON-LD `headline`, the `<meta>` title keys, `<title>` without the site's name;
//! - authors: JSON-LD `author`, the `<meta>` author keys, `itemprop="author"`,
//!   `rel="author"` links, an element marked as a byline; names split ("By A and B"),
//!   addresses, e-mail addresses and anything with digits dropped;
//! - outlet: the `<meta>` site keys, JSON-LD `publisher`;
//! - language: `<html lang>`, the `<meta>` language keys, JSON-LD `inLanguage`, the HTTP
//!   `Content-Language` header;
//! - canonical address: `<link rel="canonical">` (resolved; one to the site's front page from
//!   another page is a template's error and is dropped), else the `<meta>` address keys;
//! - description: the `<meta>` description keys.
//!
//! Words (keys, marks, byline words) are those of `config/page.toml`.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use corpus::ArticleMeta;
use regex::Regex;
use serde_json::Value;
use url::Url;

use crate::facts::{Facts, gather, tidy};
use crate::jsonld::{self, names_of, string_of};
use crate::pubdate::{self, Sources};
use crate::textdate::Order;
use crate::words::PAGE_WORDS;

/// What is known of a page besides its text.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The address it was fetched from (after redirects), when known: resolves relative
    /// links, and its path may carry the date.
    pub url: Option<&'a Url>,
    /// The HTTP `Content-Language` header.
    pub content_language: Option<&'a str>,
    /// When the page was fetched: no date after it is believed.
    pub now: DateTime<Utc>,
}

/// What a page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMeta {
    pub meta: ArticleMeta,
    /// The canonical address, resolved (also in `meta.canonical_url`).
    pub canonical: Option<Url>,
    /// The article's text as JSON-LD states it (`articleBody`).
    pub article_body: Option<String>,
    /// Which source gave the publication date (one of [`pubdate::SOURCES`]).
    pub published_from: Option<&'static str>,
}

/// Reads the metadata of a page: parses it ([`crate::document::parse`]) and reads the tree.
pub fn read(html: &str, cx: &Context) -> PageMeta {
    let doc = crate::document::parse(html, crate::document::DEFAULT_MAX_DEPTH);
    read_parsed(html, &doc.tree, cx)
}

/// Reads the metadata of a page already parsed by [`crate::document::parse`] (`html` is the
/// page as it came: its last-resort dates are searched in the whole source).
pub fn read_parsed(html: &str, tree: &scraper::Html, cx: &Context) -> PageMeta {
    resolve(html, &gather(tree), cx)
}

/// The metadata from the facts gathered.
fn resolve(html: &str, facts: &Facts, cx: &Context) -> PageMeta {
    let values = jsonld::parse(&facts.json_ld);
    let articles = jsonld::article_objects(&values);
    let ld = |key: &str| articles.iter().find_map(|a| a.get(key));
    let meta_all = |keys: &[String]| meta_values(facts, keys);
    let meta = |keys: &[String]| meta_all(keys).into_iter().next();
    let words = &PAGE_WORDS.meta;

    let site_name = meta(&words.site).or_else(|| string_of(ld("publisher")?));
    let title = ld("headline")
        .and_then(string_of)
        .or_else(|| meta(&words.title))
        .or_else(|| Some(strip_site(facts.title.as_deref()?, site_name.as_deref())))
        .filter(|t| !t.is_empty());
    let language = facts
        .lang
        .clone()
        .or_else(|| meta(&words.language))
        .or_else(|| ld("inLanguage").and_then(string_of))
        .or_else(|| cx.content_language.map(str::to_string))
        .and_then(|l| language_tag(&l));
    let canonical = canonical(facts, cx.url, meta(&words.url));

    let urls = [canonical.as_ref(), cx.url]
        .into_iter()
        .flatten()
        .map(Url::to_string)
        .chain(meta_all(&words.url))
        .collect();
    let sources = Sources {
        html,
        facts,
        articles: &articles,
        urls,
        order: Order::of_language(language.as_deref()),
        now: cx.now,
    };
    let published = pubdate::published(&sources);
    PageMeta {
        meta: ArticleMeta {
            title,
            authors: authors(facts, &articles),
            site_name,
            published: published.map(|(t, _)| t),
            modified: pubdate::modified(&sources),
            language,
            description: meta(&words.description),
            canonical_url: canonical.as_ref().map(Url::to_string),
        },
        canonical,
        article_body: ld("articleBody")
            .and_then(Value::as_str)
            .map(str::to_string),
        published_from: published.map(|(_, from)| from),
    }
}

/// The contents of the `<meta>` tags of these keys, keys in order, then tags in order.
fn meta_values(facts: &Facts, keys: &[String]) -> Vec<String> {
    keys.iter()
        .flat_map(|k| facts.metas.iter().filter(move |m| &m.key == k))
        .map(|m| m.content.clone())
        .collect()
}

fn authors(facts: &Facts, articles: &[&Value]) -> Vec<String> {
    let from_ld = articles
        .iter()
        .find_map(|a| a.get("author"))
        .map(names_of)
        .unwrap_or_default();
    let from_meta = meta_values(facts, &PAGE_WORDS.meta.authors)
        .into_iter()
        .filter(|a| !looks_like_url(a))
        .collect();
    let from_items = facts
        .item_authors
        .iter()
        .map(|a| a.name.clone().unwrap_or_else(|| a.text.clone()))
        .collect();
    let from_bylines = facts
        .bylines
        .iter()
        .filter(|b| b.split_whitespace().count() <= 12)
        .take(1)
        .cloned()
        .collect();
    let mut names = [
        from_ld,
        from_meta,
        from_items,
        facts.rel_authors.clone(),
        from_bylines,
    ]
    .into_iter()
    .map(|list: Vec<String>| list.iter().flat_map(|a| split_authors(a)).collect())
    .find(|list: &Vec<String>| !list.is_empty())
    .unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    names.retain(|a| seen.insert(a.to_lowercase()));
    names
}

fn canonical(facts: &Facts, page: Option<&Url>, og_url: Option<String>) -> Option<Url> {
    let resolve = |href: &str| {
        let url = match page {
            Some(base) => base.join(href.trim()).ok()?,
            None => Url::parse(href.trim()).ok()?,
        };
        matches!(url.scheme(), "http" | "https").then_some(url)
    };
    let url = facts
        .canonical
        .as_deref()
        .and_then(resolve)
        .or_else(|| resolve(og_url.as_deref()?))?;
    // A canonical link to the site's front page from an article is a template's error.
    let to_root = url.path() == "/" && url.query().is_none();
    let from_root = page.is_none_or(|p| p.path() == "/");
    (!to_root || from_root).then_some(url)
}

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    let a = &PAGE_WORDS.authors;
    let alt = |w: &[String]| {
        w.iter()
            .map(|s| regex::escape(s))
            .collect::<Vec<_>>()
            .join("|")
    };
    Regex::new(&format!(
        r"(?i)^(?:(?:{})\s+)?(?:{})\s*:?\s+",
        alt(&a.leads),
        alt(&a.by)
    ))
    .expect("valid pattern")
});
static AUTHOR_SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    let and = PAGE_WORDS
        .authors
        .and
        .iter()
        .map(|s| format!(r"\b{}\b", regex::escape(s)))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(r"\s*(?:,|;|\||&|{and})\s*")).expect("valid pattern")
});

/// "By Jane Doe and John Roe" gives ["Jane Doe", "John Roe"]; addresses, e-mail addresses,
/// dates (anything with digits) and long phrases are not names.
pub fn split_authors(s: &str) -> Vec<String> {
    let s = tidy(s);
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

/// "en_us", "EN-us" and "en-US, de" become "en-US"; "zh-Hans-CN" stays; anything that is not
/// a language tag is dropped.
pub fn language_tag(raw: &str) -> Option<String> {
    let tag = raw.split([',', ';']).next()?.trim().replace('_', "-");
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
fn strip_site(title: &str, site: Option<&str>) -> String {
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
mod tests;
