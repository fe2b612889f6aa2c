//! What a page says about itself, gathered in one pass over its tokens ([`crate::html`]):
//! `<html lang>`, `<title>`, `<meta>` tags, the canonical link, JSON-LD, `<time>` and `<abbr>`
//! elements, `itemprop` dates and authors, elements whose class or id marks them as a date or
//! a byline (`config/page.toml`), `<h1>` headings and short text with digits. The raw material
//! of [`crate::meta`]; nothing here is judged yet.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use crate::html::{Parsed, Tag, Token, decode_entities, tokens};
use crate::words::PAGE_WORDS;

/// A `<meta>` tag: its key (`name`, `property`, `itemprop` or `http-equiv`, lower case) and
/// its `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaTag {
    pub key: String,
    pub content: String,
}

/// A `<time>` or `<abbr>` element: its machine-readable value (`datetime`, or an abbr's
/// `title`), its class and itemprop (lower case), whether it says `pubdate`, and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    pub value: Option<String>,
    pub marks: String,
    pub pubdate: bool,
    pub text: String,
}

/// An `itemprop="author"` element: its text, and the text of the `itemprop="name"` inside.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemAuthor {
    pub text: String,
    pub name: Option<String>,
}

/// Everything gathered.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub lang: Option<String>,
    pub title: Option<String>,
    pub metas: Vec<MetaTag>,
    pub canonical: Option<String>,
    pub json_ld: Vec<String>,
    pub times: Vec<Stamp>,
    pub abbrs: Vec<Stamp>,
    /// `itemprop` dates on elements other than `<meta>`: (itemprop, value or text).
    pub item_dates: Vec<(String, String)>,
    /// Elements marked as dates: their text (the start of it) and `title`.
    pub marked: Vec<(String, Option<String>)>,
    pub headings: Vec<String>,
    /// Short pieces of text with a digit, directly inside a block or a span.
    pub segments: Vec<String>,
    pub item_authors: Vec<ItemAuthor>,
    pub rel_authors: Vec<String>,
    pub bylines: Vec<String>,
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
];
/// Elements whose direct text may be a free-standing date.
const SEGMENT_PARENTS: &[&str] = &[
    "div", "h2", "h3", "h4", "li", "p", "span", "time", "ul", "td", "small", "font", "b", "em",
    "strong", "i", "a", "footer",
];
/// Bounds on what is kept of one page.
const CAPTURE_BYTES: usize = 300;
const MAX_ITEMS: usize = 1000;
const SEGMENT_CHARS: std::ops::RangeInclusive<usize> = 7..=60;
const MAX_DEPTH: usize = 2048;

static DATE_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| marks(&PAGE_WORDS.marks.date));
static BYLINE_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| marks(&PAGE_WORDS.marks.byline));

fn marks(words: &[String]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .expect("valid marks")
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Time(usize),
    Abbr(usize),
    ItemDate(usize),
    Marked(usize),
    Heading(usize),
    ItemAuthor(usize),
    ItemName(usize),
    RelAuthor(usize),
    Byline(usize),
}

struct Capture {
    depth: usize,
    kind: Kind,
    text: String,
}

struct Gather<'a> {
    facts: Facts,
    /// The open elements' names, as written.
    stack: Vec<&'a str>,
    captures: Vec<Capture>,
}

/// Gathers the facts of the page's head: `<html lang>`, `<title>`, `<meta>`, the canonical
/// link and JSON-LD (wherever they are), and nothing of the body's elements. Much cheaper
/// than [`gather`], and enough for most news pages.
pub fn gather_head(html: &str) -> Facts {
    let mut g = Gather::new();
    for token in tokens(html) {
        match token {
            Token::Start(tag) if ["html", "meta", "link"].iter().any(|n| tag.is(n)) => {
                g.start(&tag)
            }
            Token::Raw(tag, body) => g.raw(&tag, body),
            _ => {}
        }
    }
    g.facts
}

/// Gathers the facts of the whole page.
pub fn gather(html: &str) -> Facts {
    let mut g = Gather::new();
    for token in tokens(html) {
        match token {
            Token::Start(tag) => g.start(&tag),
            Token::End(name) => g.end(name),
            Token::Text(text) => g.text(text),
            Token::Raw(tag, body) => g.raw(&tag, body),
        }
    }
    g.finish_captures(0);
    g.facts
}

impl<'a> Gather<'a> {
    fn new() -> Gather<'a> {
        Gather {
            facts: Facts::default(),
            stack: Vec::new(),
            captures: Vec::new(),
        }
    }

    fn start(&mut self, tag: &Tag<'a>) {
        let tag = tag.parsed();
        let lower;
        let name = if tag.name.bytes().any(|b| b.is_ascii_uppercase()) {
            lower = tag.name.to_ascii_lowercase();
            lower.as_str()
        } else {
            tag.name
        };
        match name {
            "html" => self.facts.lang = tag.attr("lang").or(tag.attr("xml:lang")).map(tidy),
            "meta" => self.meta(&tag),
            "link" => self.link(&tag),
            _ => {}
        }
        if VOID.contains(&name) {
            return;
        }
        // `<p>` and `<li>` close an open one of their kind.
        if matches!(name, "p" | "li" | "dt" | "dd" | "option")
            && self.stack.last().is_some_and(|open| open.eq_ignore_ascii_case(name))
        {
            self.end(name);
        }
        // Deeper than the limit, an element is not kept open: its text is captured until
        // the element around it ends.
        let depth = self.stack.len() + 1;
        let kinds = self.kinds(&tag, name);
        if depth <= MAX_DEPTH {
            self.stack.push(tag.name);
        }
        for kind in kinds {
            self.captures.push(Capture {
                depth,
                kind,
                text: String::new(),
            });
        }
    }

    /// What the element just opened holds, to capture its text for.
    fn kinds(&mut self, tag: &Parsed, name: &str) -> Vec<Kind> {
        let f = &mut self.facts;
        let class = tag.attr("class").unwrap_or_default();
        let id = tag.attr("id").unwrap_or_default();
        let itemprop = tag.attr("itemprop").unwrap_or_default().to_ascii_lowercase();
        let mut kinds = Vec::new();
        match name {
            "time" if f.times.len() < MAX_ITEMS => {
                f.times.push(stamp(tag, tag.attr("datetime"), &class, &itemprop));
                kinds.push(Kind::Time(f.times.len() - 1));
            }
            "abbr" if f.abbrs.len() < MAX_ITEMS => {
                let value = tag.attr("title").or(tag.attr("data-utime"));
                f.abbrs.push(stamp(tag, value, &class, &itemprop));
                kinds.push(Kind::Abbr(f.abbrs.len() - 1));
            }
            "h1" if f.headings.len() < MAX_ITEMS => {
                f.headings.push(String::new());
                kinds.push(Kind::Heading(f.headings.len() - 1));
            }
            "a" if tag.attr("rel").is_some_and(|r| has_word(&r, "author")) => {
                f.rel_authors.push(String::new());
                kinds.push(Kind::RelAuthor(f.rel_authors.len() - 1));
            }
            _ => {}
        }
        if itemprop.starts_with("date") || itemprop.contains("pubyear") {
            let value = tag.attr("content").or(tag.attr("datetime"));
            f.item_dates
                .push((itemprop.clone(), value.map(|v| v.to_string()).unwrap_or_default()));
            kinds.push(Kind::ItemDate(f.item_dates.len() - 1));
        }
        if has_word(&itemprop, "author") || has_word(&itemprop, "creator") {
            f.item_authors.push(ItemAuthor::default());
            kinds.push(Kind::ItemAuthor(f.item_authors.len() - 1));
        } else if has_word(&itemprop, "name")
            && let Some(author) = self.captures.iter().rev().find_map(|c| match c.kind {
                Kind::ItemAuthor(i) => Some(i),
                _ => None,
            })
        {
            if let Some(content) = tag.attr("content") {
                f.item_authors[author].name = Some(tidy(content));
            } else {
                kinds.push(Kind::ItemName(author));
            }
        }
        let marked_tag = PAGE_WORDS.marks.date_tags.iter().any(|t| t == name);
        let marked = marked_tag
            || [&class, &id].iter().any(|v| DATE_MARKS.is_match(v.as_ref()))
            || DATE_MARKS.is_match(&itemprop);
        if marked && f.marked.len() < MAX_ITEMS {
            f.marked.push((String::new(), tag.attr("title").map(tidy)));
            kinds.push(Kind::Marked(f.marked.len() - 1));
        }
        if BYLINE_MARKS.is_match(class.as_ref()) && f.bylines.len() < MAX_ITEMS {
            f.bylines.push(String::new());
            kinds.push(Kind::Byline(f.bylines.len() - 1));
        }
        kinds
    }

    fn meta(&mut self, tag: &Parsed) {
        let key = ["property", "name", "itemprop", "http-equiv"]
            .iter()
            .find_map(|k| tag.attr(k));
        let content = tag.attr("content").or(tag.attr("datetime"));
        if let (Some(key), Some(content)) = (key, content)
            && self.facts.metas.len() < MAX_ITEMS
        {
            let content = tidy(content);
            if !content.is_empty() {
                self.facts.metas.push(MetaTag {
                    key: key.trim().to_ascii_lowercase(),
                    content,
                });
            }
        }
    }

    fn link(&mut self, tag: &Parsed) {
        let canonical = tag.attr("rel").is_some_and(|r| has_word(&r, "canonical"));
        if canonical && self.facts.canonical.is_none() {
            self.facts.canonical = tag.attr("href").map(|h| h.trim().to_string());
        }
    }

    fn end(&mut self, name: &str) {
        let Some(at) = self
            .stack
            .iter()
            .rev()
            .take(64)
            .position(|open| open.eq_ignore_ascii_case(name))
        else {
            return;
        };
        let depth = self.stack.len() - at - 1;
        self.finish_captures(depth + 1);
        self.stack.truncate(depth);
    }

    fn text(&mut self, raw: &str) {
        for c in &mut self.captures {
            if c.text.len() < CAPTURE_BYTES {
                c.text.push_str(raw);
            }
        }
        let parent = self.stack.last().copied().unwrap_or("");
        if SEGMENT_PARENTS.iter().any(|p| p.eq_ignore_ascii_case(parent))
            && raw.bytes().any(|b| b.is_ascii_digit())
            && self.facts.segments.len() < 10 * MAX_ITEMS
        {
            let text = tidy(decode_entities(raw));
            if SEGMENT_CHARS.contains(&text.chars().count()) {
                self.facts.segments.push(text);
            }
        }
    }

    fn raw(&mut self, tag: &Tag, body: &str) {
        if tag.is("title") && self.facts.title.is_none() {
            self.facts.title = Some(tidy(decode_entities(body)));
        } else if tag.is("script")
            && tag
                .attr("type")
                .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"))
            && self.facts.json_ld.len() < MAX_ITEMS
        {
            self.facts.json_ld.push(body.to_string());
        }
    }

    /// Ends the captures of the elements at `depth` and deeper.
    fn finish_captures(&mut self, depth: usize) {
        while self.captures.last().is_some_and(|c| c.depth >= depth) {
            let c = self.captures.pop().expect("a capture");
            let text = tidy(decode_entities(&c.text));
            let f = &mut self.facts;
            match c.kind {
                Kind::Time(i) => f.times[i].text = text,
                Kind::Abbr(i) => f.abbrs[i].text = text,
                Kind::ItemDate(i) if f.item_dates[i].1.is_empty() => f.item_dates[i].1 = text,
                Kind::ItemDate(_) => {}
                Kind::Marked(i) => f.marked[i].0 = text,
                Kind::Heading(i) => f.headings[i] = text,
                Kind::ItemAuthor(i) => f.item_authors[i].text = text,
                Kind::ItemName(i) => f.item_authors[i].name = Some(text),
                Kind::RelAuthor(i) => f.rel_authors[i] = text,
                Kind::Byline(i) => f.bylines[i] = text,
            }
        }
    }
}

fn stamp(
    tag: &Parsed,
    value: Option<std::borrow::Cow<str>>,
    class: &str,
    itemprop: &str,
) -> Stamp {
    Stamp {
        value: value.map(tidy).filter(|v| !v.is_empty()),
        marks: format!("{} {itemprop}", class.to_ascii_lowercase()),
        pubdate: tag.has("pubdate"),
        text: String::new(),
    }
}

/// Whether a space-separated list (a `rel`, an `itemprop`) has this word (any case).
fn has_word(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Text as it is read: NFC, white space (no-break spaces too) folded to single spaces.
pub fn tidy(s: std::borrow::Cow<str>) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if folded.is_ascii() || is_nfc_quick(folded.chars()) == IsNormalized::Yes {
        folded
    } else {
        folded.nfc().collect()
    }
}

#[cfg(test)]
mod tests;
