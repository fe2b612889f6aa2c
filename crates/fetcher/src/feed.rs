//! The feed reader: RSS 0.9x, 1.0 and 2.0 (with or without a version, in a namespace or
//! not), Atom 0.3 and 1.0, CDF and JSON Feed. Elements are known by their local name
//! whatever their namespace, so `dc:date`, `dcterms:issued` and an RSS 2.0 in a namespace
//! read as the plain ones; `xml:base` resolves relative links as feedparser does; a feed
//! whose XML breaks after its root keeps the entries read before the break. Text only:
//! decoding bytes is `page::charset`'s job, dates are `page::dates`'.

use corpus::PubTime;
use quick_xml::events::{BytesStart, Event};
use url::Url;

/// What a feed says of itself and its entries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    pub title: Option<String>,
    pub language: Option<String>,
    pub items: Vec<Item>,
}

/// One entry, as written (links resolved, text without markup).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Item {
    pub link: Option<Url>,
    pub id: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub published: Option<PubTime>,
    pub updated: Option<PubTime>,
    pub authors: Vec<String>,
    pub categories: Vec<String>,
    pub language: Option<String>,
}

/// Reads a feed's text; `base` resolves relative links. An error when it is no feed.
pub fn read(text: &str, base: &Url) -> Result<Feed, String> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') {
        return json_feed(trimmed, base);
    }
    XmlFeed::new(base).read(text)
}

/// The elements that hold entries, and the roots of a feed.
const ITEMS: &[&str] = &["item", "entry"];
const ROOTS: &[&str] = &["rss", "rdf", "feed", "channel"];
const PUBLISHED: &[&str] = &[
    "pubdate",
    "published",
    "issued",
    "date",
    "created",
    "available",
];
const UPDATED: &[&str] = &["updated", "modified"];

/// One open element.
struct Frame {
    name: String,
    base: Url,
    lang: Option<String>,
}

/// A child element of an entry whose text is being read.
struct Field {
    name: String,
    depth: usize,
    text: String,
    attrs: Vec<(String, String)>,
    base: Url,
    /// The text of a nested `<name>` (an Atom author's).
    person: Option<String>,
}

/// What one entry's links say, before one is chosen.
#[derive(Default)]
struct Links {
    alternate: Option<Url>,
    text: Option<Url>,
    other: Option<Url>,
    permalink_guid: Option<Url>,
    own_href: Option<Url>,
}

impl Links {
    fn choose(self) -> Option<Url> {
        self.alternate
            .or(self.text)
            .or(self.own_href)
            .or(self.permalink_guid)
            .or(self.other)
    }
}

struct XmlFeed {
    feed: Feed,
    stack: Vec<Frame>,
    root: Option<String>,
    item: Option<(usize, Item, Links)>,
    field: Option<Field>,
    base: Url,
}

impl XmlFeed {
    fn new(base: &Url) -> XmlFeed {
        XmlFeed {
            feed: Feed::default(),
            stack: Vec::new(),
            root: None,
            item: None,
            field: None,
            base: base.clone(),
        }
    }

    fn read(mut self, text: &str) -> Result<Feed, String> {
        let mut reader = quick_xml::Reader::from_str(text);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.expand_empty_elements = true;
        loop {
            let event = match reader.read_event() {
                Ok(event) => event,
                // Broken XML after the root: keep what was read.
                Err(_) if self.root.is_some() => break,
                Err(e) => return Err(e.to_string()),
            };
            match event {
                Event::Start(e) => self.start(&e)?,
                Event::End(_) => self.end(),
                Event::Text(t) => self.text(&t.xml10_content()),
                Event::CData(t) => self.text(&t.xml10_content()),
                Event::GeneralRef(r) => self.text(&entity(&r)),
                Event::Eof => break,
                _ => {}
            }
        }
        self.finish_item();
        match self.root {
            Some(_) => Ok(self.feed),
            None => Err("no root element".into()),
        }
    }

    fn start(&mut self, e: &BytesStart) -> Result<(), String> {
        let name = local_name(e);
        let attrs = attributes(e);
        let parent = self.stack.last();
        let mut base = parent.map_or_else(|| self.base.clone(), |f| f.base.clone());
        // `BASE` is CDF's `xml:base`.
        let written = attr(&attrs, "xml:base").or_else(|| attr(&attrs, "base"));
        if let Some(b) = written.and_then(|b| base.join(b).ok()) {
            base = b;
        }
        let lang = attr(&attrs, "xml:lang")
            .map(str::to_string)
            .or_else(|| parent.and_then(|f| f.lang.clone()));
        if self.root.is_none() {
            if !ROOTS.contains(&name.as_str()) {
                return Err(format!("<{name}> is not the root of a feed"));
            }
            self.root = Some(name.clone());
            self.feed.language = lang.clone();
        }
        let depth = self.stack.len();
        if ITEMS.contains(&name.as_str()) && self.item.is_none() {
            let links = Links {
                own_href: attr(&attrs, "href").and_then(|h| base.join(h).ok()),
                ..Links::default()
            };
            let item = Item {
                language: lang.clone(),
                ..Item::default()
            };
            self.item = Some((depth, item, links));
        } else if let Some(field) = &mut self.field {
            if name == "name" && field.person.is_none() {
                field.person = Some(String::new());
            }
        } else if self.item.as_ref().is_some_and(|(d, ..)| depth == d + 1) || self.channel_child() {
            self.field = Some(Field {
                name: name.clone(),
                depth,
                text: String::new(),
                attrs,
                base: base.clone(),
                person: None,
            });
        }
        self.stack.push(Frame { name, base, lang });
        Ok(())
    }

    /// Whether the element being opened is a child of the channel (or of an Atom feed).
    fn channel_child(&self) -> bool {
        self.item.is_none()
            && self
                .stack
                .last()
                .is_some_and(|f| f.name == "channel" || (f.name == "feed" && self.stack.len() == 1))
    }

    fn end(&mut self) {
        let depth = self.stack.len().saturating_sub(1);
        if self.field.as_ref().is_some_and(|f| f.depth == depth) {
            let field = self.field.take().expect("field is open");
            match &mut self.item {
                Some((_, item, links)) => item_field(item, links, field),
                None => channel_field(&mut self.feed, field),
            }
        }
        if self.item.as_ref().is_some_and(|(d, ..)| *d == depth) {
            self.finish_item();
        }
        self.stack.pop();
    }

    fn text(&mut self, text: &str) {
        if let Some(field) = &mut self.field {
            match &mut field.person {
                Some(person) if self.stack.last().is_some_and(|f| f.name == "name") => {
                    person.push_str(text)
                }
                _ => field.text.push_str(text),
            }
        }
    }

    fn finish_item(&mut self) {
        self.field = None;
        if let Some((_, mut item, links)) = self.item.take() {
            item.link = links.choose();
            self.feed.items.push(item);
        }
    }
}

/// Puts one child element's text where it belongs in an entry.
fn item_field(item: &mut Item, links: &mut Links, field: Field) {
    let text = clean(&field.text);
    let name = field.name.as_str();
    match name {
        "link" => link_field(links, &field, &text),
        "guid" | "id" => {
            let permalink =
                attr(&field.attrs, "ispermalink").is_none_or(|v| !v.eq_ignore_ascii_case("false"));
            if name == "guid" && permalink {
                links.permalink_guid = web_url(&field.base, &text);
            }
            item.id.get_or_insert(text);
        }
        "title" => set(&mut item.title, text),
        "description" | "summary" | "abstract" | "tagline" => set(&mut item.summary, text),
        "author" | "creator" | "contributor" => {
            let who = field.person.as_deref().map_or(text.clone(), clean);
            if !who.is_empty() && name != "contributor" {
                item.authors.push(who);
            }
        }
        "category" | "subject" => {
            let term = attr(&field.attrs, "term").map_or(text, clean);
            if !term.is_empty() {
                item.categories.push(term);
            }
        }
        "language" => set(&mut item.language, text),
        _ if PUBLISHED.contains(&name) && item.published.is_none() => {
            item.published = page::dates::parse_date(&text);
        }
        _ if UPDATED.contains(&name) && item.updated.is_none() => {
            item.updated = page::dates::parse_date(&text);
        }
        _ => {}
    }
}

/// `<link href rel>` (Atom, in any version) or `<link>URL</link>` (RSS, and Atom written so).
fn link_field(links: &mut Links, field: &Field, text: &str) {
    let Some(href) = attr(&field.attrs, "href") else {
        if links.text.is_none() {
            links.text = web_url(&field.base, text);
        }
        return;
    };
    let url = web_url(&field.base, href);
    let rel = attr(&field.attrs, "rel").unwrap_or("alternate");
    let slot = match rel.to_ascii_lowercase().as_str() {
        "alternate" => &mut links.alternate,
        "enclosure" | "self" | "edit" | "replies" | "license" => return,
        _ => &mut links.other,
    };
    if slot.is_none() {
        *slot = url;
    }
}

fn channel_field(feed: &mut Feed, field: Field) {
    let text = clean(&field.text);
    match field.name.as_str() {
        "title" => set(&mut feed.title, text),
        "language" => set(&mut feed.language, text),
        _ => {}
    }
}

fn set(slot: &mut Option<String>, text: String) {
    if slot.is_none() && !text.is_empty() {
        *slot = Some(text);
    }
}

/// An http(s) URL written in a feed, resolved against the base in scope.
fn web_url(base: &Url, text: &str) -> Option<Url> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let url = base.join(text).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

fn local_name(e: &BytesStart) -> String {
    e.local_name().into_inner().to_ascii_lowercase()
}

/// Attributes by qualified name, lower case (`xml:base`, `href`, `ispermalink`).
fn attributes(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = a.key.as_ref().to_ascii_lowercase();
            let value = a
                .normalized_value(quick_xml::XmlVersion::default())
                .map_or_else(|_| a.value.to_string(), |v| v.into_owned());
            (key, value)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k == name || k.split_once(':').is_some_and(|(_, local)| local == name))
        .map(|(_, v)| v.as_str())
}

/// A reference: a character, one of XML's five entities, or (not being XML) itself.
fn entity(r: &quick_xml::events::BytesRef) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => {
            let name = r.as_ref().to_string();
            quick_xml::escape::resolve_predefined_entity(&name)
                .map_or_else(|| format!("&{name};"), str::to_string)
        }
    }
}

/// Text without markup (HTML given escaped in a title or summary), whitespace collapsed.
fn clean(text: &str) -> String {
    let plain = if text.contains('<') {
        strip_tags(text)
    } else {
        text.to_string()
    };
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// JSON Feed 1.0 and 1.1.
fn json_feed(text: &str, base: &Url) -> Result<Feed, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let is_json_feed = value["version"]
        .as_str()
        .is_some_and(|v| v.contains("jsonfeed.org"));
    if !is_json_feed {
        return Err("JSON that is not a JSON Feed".into());
    }
    let string = |v: &serde_json::Value| v.as_str().map(clean).filter(|s| !s.is_empty());
    let items = value["items"].as_array().map_or(&[][..], Vec::as_slice);
    let items = items
        .iter()
        .map(|i| Item {
            link: ["url", "external_url", "id"]
                .iter()
                .find_map(|k| web_url(base, i[k].as_str()?)),
            id: string(&i["id"]).or_else(|| i["id"].as_i64().map(|n| n.to_string())),
            title: string(&i["title"]),
            summary: string(&i["summary"]).or_else(|| string(&i["content_text"])),
            published: i["date_published"]
                .as_str()
                .and_then(page::dates::parse_date),
            updated: i["date_modified"]
                .as_str()
                .and_then(page::dates::parse_date),
            authors: json_authors(i),
            categories: i["tags"]
                .as_array()
                .map(|t| t.iter().filter_map(string).collect())
                .unwrap_or_default(),
            language: string(&i["language"]),
        })
        .collect();
    Ok(Feed {
        title: string(&value["title"]),
        language: string(&value["language"]),
        items,
    })
}

fn json_authors(item: &serde_json::Value) -> Vec<String> {
    let one = std::slice::from_ref(&item["author"]);
    let all = item["authors"].as_array().map_or(one, Vec::as_slice);
    all.iter()
        .filter_map(|a| a["name"].as_str().map(clean))
        .filter(|n| !n.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
