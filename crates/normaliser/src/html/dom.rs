//! The parsed page as a flat array in document order, with the text statistics the
//! extractor needs. A node's subtree is the index range `[i, end)`, so every pass is a loop,
//! never a recursion: a page nested thousands deep cannot overflow the stack.

use ego_tree::iter::Edge;
use scraper::{Html, node::Element};

/// What the extractor needs to know about an element's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// The document root (above `<html>`).
    Document,
    /// A text node.
    Text,
    Html,
    Head,
    Body,
    Title,
    Meta,
    Link,
    /// Never text: scripts, styles, forms' controls, media, embedded frames.
    Script,
    /// `<script>` of JSON-LD: never text, but metadata.
    JsonLd,
    P,
    H(u8),
    Li,
    List,
    Dl,
    Dt,
    Dd,
    Blockquote,
    Pre,
    Table,
    Tr,
    Cell,
    Caption,
    Div,
    Section,
    Article,
    Main,
    Header,
    Footer,
    Nav,
    Aside,
    Figure,
    Figcaption,
    Form,
    Br,
    Hr,
    A,
    /// An image (inline, as in a browser).
    Img,
    Time,
    Address,
    /// Another element that starts a new block of text (`<center>`, `<details>`, ...).
    OtherBlock,
    /// An element that flows inside a line of text (`<b>`, `<span>`, unknown elements).
    Inline,
}

impl Tag {
    fn of(el: &Element) -> Tag {
        match el.name() {
            "html" => Tag::Html,
            "head" => Tag::Head,
            "body" => Tag::Body,
            "title" => Tag::Title,
            "meta" => Tag::Meta,
            "link" => Tag::Link,
            "script" => {
                let json_ld = el.attrs().any(|(name, value)| {
                    name == "type" && value.trim().eq_ignore_ascii_case("application/ld+json")
                });
                if json_ld { Tag::JsonLd } else { Tag::Script }
            }
            "style" | "noscript" | "template" | "svg" | "canvas" | "iframe" | "frame"
            | "frameset" | "object" | "embed" | "video" | "audio" | "source" | "track"
            | "picture" | "map" | "button" | "select" | "option" | "optgroup" | "input"
            | "textarea" | "datalist" | "output" | "progress" | "meter" | "base" | "dialog"
            | "applet" | "param" | "portal" => Tag::Script,
            "p" => Tag::P,
            "h1" => Tag::H(1),
            "h2" => Tag::H(2),
            "h3" => Tag::H(3),
            "h4" => Tag::H(4),
            "h5" => Tag::H(5),
            "h6" => Tag::H(6),
            "li" => Tag::Li,
            "ul" | "ol" | "menu" | "dir" => Tag::List,
            "dl" => Tag::Dl,
            "dt" => Tag::Dt,
            "dd" => Tag::Dd,
            "blockquote" => Tag::Blockquote,
            "pre" | "listing" | "xmp" | "plaintext" => Tag::Pre,
            "table" => Tag::Table,
            "tr" => Tag::Tr,
            "td" | "th" => Tag::Cell,
            "caption" => Tag::Caption,
            "div" => Tag::Div,
            "section" => Tag::Section,
            "article" => Tag::Article,
            "main" => Tag::Main,
            "header" | "hgroup" => Tag::Header,
            "footer" => Tag::Footer,
            "nav" => Tag::Nav,
            "aside" => Tag::Aside,
            "figure" => Tag::Figure,
            "figcaption" => Tag::Figcaption,
            "form" => Tag::Form,
            "br" => Tag::Br,
            "hr" => Tag::Hr,
            "a" => Tag::A,
            "img" => Tag::Img,
            "time" => Tag::Time,
            "address" => Tag::Address,
            "center" | "details" | "summary" | "fieldset" | "legend" | "tbody" | "thead"
            | "tfoot" | "colgroup" | "col" | "frameset-block" | "search" => Tag::OtherBlock,
            _ => Tag::Inline,
        }
    }

    /// Starts a new block of text (a line break in a browser's rendering).
    pub(crate) fn is_block(self) -> bool {
        !matches!(
            self,
            Tag::Inline
                | Tag::A
                | Tag::Img
                | Tag::Time
                | Tag::Text
                | Tag::Br
                | Tag::Script
                | Tag::JsonLd
        )
    }

    /// Never contributes text.
    pub(crate) fn is_silent(self) -> bool {
        matches!(
            self,
            Tag::Script | Tag::JsonLd | Tag::Head | Tag::Title | Tag::Meta | Tag::Link
        )
    }
}

/// One node of the page.
pub(crate) struct Node<'a> {
    pub tag: Tag,
    /// Index of the parent; the document root is its own parent.
    pub parent: u32,
    /// One past the last node of this node's subtree.
    pub end: u32,
    /// The text of a text node; empty for elements.
    pub text: &'a str,
    pub element: Option<&'a Element>,
    /// Visible characters (not white space) in the subtree, scripts and styles excluded,
    /// in units of alphabetic text (see [`visible_chars`]).
    pub chars: u32,
    /// Of those, the characters inside links.
    pub link_chars: u32,
    /// Links (`<a>` elements with text) in the subtree.
    pub links: u32,
    /// The previous sibling, or `NONE`.
    pub previous: u32,
}

/// No node.
pub(crate) const NONE: u32 = u32::MAX;

/// The page, flattened in document order.
pub(crate) struct Dom<'a> {
    pub nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    pub(crate) fn new(html: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::with_capacity(html.tree.values().len());
        let mut open: Vec<u32> = Vec::with_capacity(64);
        // The last child seen of each open node.
        let mut last_child: Vec<u32> = Vec::with_capacity(64);
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    let (tag, text, element) = match node.value() {
                        scraper::Node::Document | scraper::Node::Fragment => {
                            (Tag::Document, "", None)
                        }
                        scraper::Node::Element(el) => (Tag::of(el), "", Some(el)),
                        scraper::Node::Text(t) => (Tag::Text, &**t, None),
                        _ => continue,
                    };
                    let index = nodes.len() as u32;
                    let previous = last_child
                        .last_mut()
                        .map_or(NONE, |last| std::mem::replace(last, index));
                    nodes.push(Node {
                        tag,
                        parent: open.last().copied().unwrap_or(index),
                        end: index + 1,
                        text,
                        element,
                        chars: 0,
                        link_chars: 0,
                        links: 0,
                        previous,
                    });
                    open.push(index);
                    last_child.push(NONE);
                }
                Edge::Close(node) => {
                    if matches!(
                        node.value(),
                        scraper::Node::Document
                            | scraper::Node::Fragment
                            | scraper::Node::Element(_)
                            | scraper::Node::Text(_)
                    ) && let Some(index) = open.pop()
                    {
                        last_child.pop();
                        nodes[index as usize].end = nodes.len() as u32;
                    }
                }
            }
        }
        let mut dom = Dom { nodes };
        dom.count_text();
        dom
    }

    /// Fills `chars` and `link_chars`, children before parents.
    fn count_text(&mut self) {
        for i in (0..self.nodes.len()).rev() {
            let parent_silent = self.nodes[self.nodes[i].parent as usize].tag.is_silent();
            let node = &mut self.nodes[i];
            if node.tag == Tag::Text && !parent_silent {
                node.chars = visible_chars(node.text);
            }
            if node.tag.is_silent() {
                node.chars = 0;
                node.link_chars = 0;
                node.links = 0;
            } else if node.tag == Tag::A {
                node.link_chars = node.chars;
                node.links = u32::from(node.chars > 0);
            }
            let (chars, link_chars, links, parent) = (
                node.chars,
                node.link_chars,
                node.links,
                node.parent as usize,
            );
            if parent != i {
                let parent = &mut self.nodes[parent];
                parent.chars += chars;
                parent.link_chars += link_chars;
                parent.links += links;
            }
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn tag(&self, i: u32) -> Tag {
        self.nodes[i as usize].tag
    }

    pub(crate) fn parent(&self, i: u32) -> u32 {
        self.nodes[i as usize].parent
    }

    pub(crate) fn end(&self, i: u32) -> u32 {
        self.nodes[i as usize].end
    }

    /// Whether `inner` is `outer` or inside it.
    pub(crate) fn contains(&self, outer: u32, inner: u32) -> bool {
        outer <= inner && inner < self.end(outer)
    }

    /// The value of an attribute (names compare without regard to case, as in HTML).
    pub(crate) fn attr(&self, i: u32, name: &str) -> Option<&'a str> {
        self.nodes[i as usize]
            .element?
            .attrs()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The element's children, in order.
    pub(crate) fn children(&self, i: u32) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: i + 1,
            end: self.end(i),
        }
    }

    /// The text of the subtree, scripts and styles left out, as it stands in the source.
    pub(crate) fn text_of(&self, i: u32) -> String {
        let mut out = String::new();
        let mut j = i;
        let end = self.end(i);
        while j < end {
            let node = &self.nodes[j as usize];
            if node.tag.is_silent() && j != i {
                j = node.end;
                continue;
            }
            match node.tag {
                Tag::Text => out.push_str(node.text),
                Tag::Br => out.push(' '),
                t if t.is_block() => out.push(' '),
                _ => {}
            }
            j += 1;
        }
        out
    }
}

pub(crate) struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: u32,
    end: u32,
}

impl Iterator for Children<'_, '_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let child = self.next;
        self.next = self.dom.end(child);
        Some(child)
    }
}

/// Characters that are not white space, in units of alphabetic text: every threshold on
/// text length is set for scripts that spell words with letters (about six to a word with
/// its space), so a character of the scripts that write a word in one or two signs counts
/// for more: three for Chinese characters and Japanese kana (U+3000 to U+9FFF), two for
/// Korean syllables (U+A000 to U+D7FF). A Chinese paragraph of 20 characters says about as
/// much as an English one of 60.
pub(crate) fn visible_chars(s: &str) -> u32 {
    let bytes = s.as_bytes();
    if bytes.is_ascii() {
        return bytes
            .iter()
            .map(|&b| u32::from(b > b' ' && b != 0x7F))
            .sum::<u32>();
    }
    // Every byte above the ASCII spaces and controls that starts a character, weighted by the
    // lead byte of the wide scripts (a loop the compiler vectorises)...
    let mut count = bytes
        .iter()
        .map(|&b| {
            u32::from(b > b' ' && b != 0x7F && (b & 0xC0) != 0x80)
                + 2 * u32::from((0xE3..=0xE9).contains(&b))
                + u32::from((0xEA..=0xED).contains(&b))
        })
        .sum::<u32>();
    // ...less the few white space characters beyond ASCII (no-break, typographic and
    // ideographic spaces), whose encodings start with these bytes.
    for at in memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes) {
        let is_space = s
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace);
        if is_space {
            // The ideographic space (U+3000) was weighted as a wide character.
            count -= if bytes[at] == 0xE3 { 3 } else { 1 };
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_visible_characters() {
        assert_eq!(visible_chars(" a b\n"), 2);
        assert_eq!(visible_chars("\u{A0}é\u{3000}\u{2009}x"), 2);
        assert_eq!(visible_chars("日本\u{3000}"), 6);
        assert_eq!(visible_chars("カナ한국"), 10);
    }
}
