//! What a page says about itself, gathered in one walk over its parsed tree
//! ([`crate::document`]):
//! `<html lang>`, `<title>`, `<meta>` tags, the canonical link, JSON-LD, `<time>` and `<abbr>`
//! elements, `itemprop` dates and authors, elements whose class or id marks them as a date or
//! a byline (`config/page.toml`), `<h1>` headings and short text with digits. The raw material
//! of [`crate::meta`]; nothing here is judged yet.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use ego_tree::iter::Edge;
use scraper::Html;
use scraper::node::Element;

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
    /// Elements marked as dates: the start of their text (as written, white space and all)
    /// and their `title`.
    pub marked: Vec<(String, Option<String>)>,
    pub headings: Vec<String>,
    /// Short pieces of text with a digit, directly inside a block or a span (trimmed).
    pub segments: Vec<String>,
    pub item_authors: Vec<ItemAuthor>,
    pub rel_authors: Vec<String>,
    pub bylines: Vec<String>,
}

/// Elements whose text is not read as text.
const SILENT: &[&str] = &["script", "style", "noscript", "template", "svg", "textarea"];
/// Elements whose direct text may be a free-standing date.
const SEGMENT_PARENTS: &[&str] = &[
    "div", "h2", "h3", "h4", "li", "p", "span", "time", "ul", "td", "small", "font", "b", "em",
    "strong", "i", "a", "footer",
];
/// Bounds on what is kept of one page.
const CAPTURE_BYTES: usize = 160;
const MAX_ITEMS: usize = 1000;
const SEGMENT_CHARS: std::ops::RangeInclusive<usize> = 7..=60;

static DATE_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| marks(&PAGE_WORDS.marks.date));
static BYLINE_MARKS: LazyLock<AhoCorasick> = LazyLock::new(|| marks(&PAGE_WORDS.marks.byline));

fn marks(words: &[String]) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(words)
        .expect("valid marks")
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    JsonLd(usize),
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

/// The attributes read, picked out of an element in one pass (looking each up by name would
/// intern the name every time).
#[derive(Default)]
struct Attrs<'a> {
    class: &'a str,
    id: &'a str,
    itemprop: &'a str,
    rel: &'a str,
    title: Option<&'a str>,
    content: Option<&'a str>,
    datetime: Option<&'a str>,
    lang: Option<&'a str>,
    href: Option<&'a str>,
    kind: Option<&'a str>,
    /// `property`, `name`, `itemprop` or `http-equiv`: a `<meta>` tag's key, in that order.
    key: [Option<&'a str>; 4],
    pubdate: bool,
}

impl<'a> Attrs<'a> {
    fn of(el: &'a Element) -> Attrs<'a> {
        let mut a = Attrs::default();
        for (name, value) in el.attrs() {
            match name {
                "class" => a.class = value,
                "id" => a.id = value,
                "itemprop" => {
                    a.itemprop = value;
                    a.key[2] = Some(value);
                }
                "rel" => a.rel = value,
                "title" => a.title = Some(value),
                "content" => a.content = Some(value),
                "datetime" => a.datetime = Some(value),
                "lang" | "xml:lang" => a.lang = a.lang.or(Some(value)),
                "href" => a.href = Some(value),
                "type" => a.kind = Some(value),
                "property" => a.key[0] = Some(value),
                "name" => a.key[1] = Some(value),
                "http-equiv" => a.key[3] = Some(value),
                "pubdate" => a.pubdate = true,
                _ => {}
            }
        }
        a
    }
}

struct Gather<'a> {
    facts: Facts,
    /// The open elements' names.
    stack: Vec<&'a str>,
    captures: Vec<Capture>,
    /// Open elements whose text is not text (scripts, styles).
    silent: usize,
    /// Whether a class or id value marks a date and a byline: pages repeat their values
    /// many times, and some are long.
    marked: FxHashMap<&'a str, (bool, bool)>,
}

/// Gathers the facts of a parsed page.
pub fn gather(doc: &Html) -> Facts {
    let mut g = Gather {
        facts: Facts::default(),
        stack: Vec::new(),
        captures: Vec::new(),
        silent: 0,
        marked: FxHashMap::default(),
    };
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(el) => g.start(el),
                scraper::Node::Text(t) => g.text(t),
                _ => {}
            },
            Edge::Close(node) => {
                if let scraper::Node::Element(el) = node.value() {
                    g.end(el);
                }
            }
        }
    }
    g.finish_captures(0);
    g.facts
}

impl<'a> Gather<'a> {
    fn start(&mut self, el: &'a Element) {
        let name = el.name();
        let a = Attrs::of(el);
        match name {
            "html" => self.facts.lang = a.lang.map(tidy),
            "meta" => self.meta(&a),
            "link" => self.link(&a),
            "title" if self.facts.title.is_none() => self.facts.title = Some(String::new()),
            _ => {}
        }
        let depth = self.stack.len() + 1;
        self.stack.push(name);
        if SILENT.contains(&name) {
            self.silent += 1;
            let json_ld = a
                .kind
                .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json"));
            if name == "script" && json_ld && self.facts.json_ld.len() < MAX_ITEMS {
                self.facts.json_ld.push(String::new());
                self.captures.push(Capture {
                    depth,
                    kind: Kind::JsonLd(self.facts.json_ld.len() - 1),
                    text: String::new(),
                });
            }
            return;
        }
        let kinds = self.kinds(&a, name);
        for kind in kinds {
            self.captures.push(Capture {
                depth,
                kind,
                text: String::new(),
            });
        }
    }

    /// What the element just opened holds, to capture its text for.
    fn kinds(&mut self, a: &Attrs<'a>, name: &str) -> Vec<Kind> {
        let f = &mut self.facts;
        let itemprop = a.itemprop.to_ascii_lowercase();
        let mut kinds = Vec::new();
        match name {
            "time" if f.times.len() < MAX_ITEMS => {
                f.times.push(stamp(a, a.datetime, &itemprop));
                kinds.push(Kind::Time(f.times.len() - 1));
            }
            "abbr" if f.abbrs.len() < MAX_ITEMS => {
                f.abbrs.push(stamp(a, a.title, &itemprop));
                kinds.push(Kind::Abbr(f.abbrs.len() - 1));
            }
            "h1" if f.headings.len() < MAX_ITEMS => {
                f.headings.push(String::new());
                kinds.push(Kind::Heading(f.headings.len() - 1));
            }
            "a" if has_word(a.rel, "author") => {
                f.rel_authors.push(String::new());
                kinds.push(Kind::RelAuthor(f.rel_authors.len() - 1));
            }
            _ => {}
        }
        if !itemprop.is_empty() {
            self.itemprop_kinds(a, &itemprop, &mut kinds);
        }
        let (class_date, byline) = self.marks(a.class);
        let marked = class_date
            || PAGE_WORDS.marks.date_tags.iter().any(|t| t == name)
            || self.marks(a.id).0
            || (!itemprop.is_empty() && DATE_MARKS.is_match(&itemprop));
        let f = &mut self.facts;
        if marked && f.marked.len() < MAX_ITEMS {
            f.marked.push((String::new(), a.title.map(tidy)));
            kinds.push(Kind::Marked(f.marked.len() - 1));
        }
        if byline && f.bylines.len() < MAX_ITEMS {
            f.bylines.push(String::new());
            kinds.push(Kind::Byline(f.bylines.len() - 1));
        }
        kinds
    }

    /// Whether a class or id value marks a date, and a byline.
    fn marks(&mut self, value: &'a str) -> (bool, bool) {
        if value.is_empty() {
            return (false, false);
        }
        *self
            .marked
            .entry(value)
            .or_insert_with(|| (DATE_MARKS.is_match(value), BYLINE_MARKS.is_match(value)))
    }

    /// What an `itemprop` says: a date, an author, an author's name.
    fn itemprop_kinds(&mut self, a: &Attrs, itemprop: &str, kinds: &mut Vec<Kind>) {
        let f = &mut self.facts;
        if itemprop.starts_with("date") || itemprop.contains("pubyear") {
            let value = a.content.or(a.datetime).unwrap_or_default();
            f.item_dates.push((itemprop.to_string(), value.to_string()));
            kinds.push(Kind::ItemDate(f.item_dates.len() - 1));
        }
        if has_word(itemprop, "author") || has_word(itemprop, "creator") {
            f.item_authors.push(ItemAuthor::default());
            kinds.push(Kind::ItemAuthor(f.item_authors.len() - 1));
        } else if has_word(itemprop, "name")
            && let Some(author) = self.captures.iter().rev().find_map(|c| match c.kind {
                Kind::ItemAuthor(i) => Some(i),
                _ => None,
            })
        {
            match a.content {
                Some(content) => f.item_authors[author].name = Some(tidy(content)),
                None => kinds.push(Kind::ItemName(author)),
            }
        }
    }

    fn meta(&mut self, a: &Attrs) {
        let key = a.key.iter().find_map(|k| *k);
        let content = a.content.or(a.datetime);
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

    fn link(&mut self, a: &Attrs) {
        if has_word(a.rel, "canonical") && self.facts.canonical.is_none() {
            self.facts.canonical = a.href.map(|h| h.trim().to_string());
        }
    }

    fn end(&mut self, el: &Element) {
        if SILENT.contains(&el.name()) {
            self.silent -= 1;
        }
        self.finish_captures(self.stack.len());
        self.stack.pop();
    }

    fn text(&mut self, text: &str) {
        let parent = self.stack.last().copied().unwrap_or("");
        if self.silent > 0 {
            // Only a JSON-LD script's or the title's text is read.
            if let Some(c) = self.captures.last_mut()
                && matches!(c.kind, Kind::JsonLd(_))
            {
                c.text.push_str(text);
            }
            return;
        }
        if parent == "title" {
            if let Some(title) = self.facts.title.as_mut() {
                title.push_str(text);
            }
            return;
        }
        for c in &mut self.captures {
            if c.text.len() < CAPTURE_BYTES {
                // Leading white space is not kept: the start of the text is what counts.
                let piece = if c.text.is_empty() {
                    text.trim_start()
                } else {
                    text
                };
                c.text
                    .push_str(&piece[..floor_char_boundary(piece, CAPTURE_BYTES)]);
            }
        }
        if SEGMENT_PARENTS.contains(&parent)
            && text.bytes().any(|b| b.is_ascii_digit())
            && self.facts.segments.len() < 10 * MAX_ITEMS
        {
            let text = text.trim();
            if SEGMENT_CHARS.contains(&text.chars().count()) {
                self.facts.segments.push(text.to_string());
            }
        }
    }

    /// Ends the captures of the elements at `depth` and deeper.
    fn finish_captures(&mut self, depth: usize) {
        while self.captures.last().is_some_and(|c| c.depth >= depth) {
            let c = self.captures.pop().expect("a capture");
            let f = &mut self.facts;
            match c.kind {
                Kind::JsonLd(i) => {
                    f.json_ld[i] = c.text;
                    continue;
                }
                // Read (rarely) as written, white space and all.
                Kind::Marked(i) => {
                    f.marked[i].0 = c.text;
                    continue;
                }
                _ => {}
            }
            let text = tidy(&c.text);
            match c.kind {
                Kind::JsonLd(_) => {}
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

fn stamp(a: &Attrs, value: Option<&str>, itemprop: &str) -> Stamp {
    Stamp {
        value: value.map(tidy).filter(|v| !v.is_empty()),
        marks: format!("{} {itemprop}", a.class.to_ascii_lowercase()),
        pubdate: a.pubdate,
        text: String::new(),
    }
}

/// The largest char boundary of `s` at or below `at`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

/// Whether a space-separated list (a `rel`, an `itemprop`) has this word (any case).
fn has_word(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Text as it is read: NFC, white space (no-break spaces too) folded to single spaces.
pub fn tidy(s: &str) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    let folded = if is_folded(s) {
        s.to_string()
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if folded.is_ascii() || is_nfc_quick(folded.chars()) == IsNormalized::Yes {
        folded
    } else {
        folded.nfc().collect()
    }
}

#[cfg(test)]
mod tests;

/// ASCII text whose spaces are single, between words: already folded.
fn is_folded(s: &str) -> bool {
    let b = s.as_bytes();
    s.is_ascii()
        && !b.first().is_some_and(u8::is_ascii_whitespace)
        && !b.last().is_some_and(u8::is_ascii_whitespace)
        && !b.windows(2).any(|w| w[0] == b' ' && w[1] == b' ')
        && !b.iter().any(|&c| c.is_ascii_whitespace() && c != b' ')
}
