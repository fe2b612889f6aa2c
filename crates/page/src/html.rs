//! A streaming reader of HTML tokens: start tags with their attributes, end tags, text, and
//! the bodies of raw-text elements (`<script>`, `<style>`, `<title>`, `<textarea>`). No tree
//! is built, so a page costs one linear pass whatever its nesting; comments, doctypes and
//! processing instructions are passed over. What HTML leaves to error recovery (a stray
//! `<`, an unclosed quote) is read the way browsers mostly read it, not exactly.

use std::borrow::Cow;

use memchr::memchr;

/// One token of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    Start(Tag<'a>),
    /// An end tag's name, as written.
    End(&'a str),
    /// Text between tags, entities not yet decoded ([`decode_entities`]).
    Text(&'a str),
    /// A raw-text element: its start tag and its body up to the end tag.
    Raw(Tag<'a>, &'a str),
}

/// A start tag: its name as written and the source of its attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'a> {
    pub name: &'a str,
    attrs: &'a str,
}

impl<'a> Tag<'a> {
    /// Whether the tag has this (lower-case) name.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// The attributes as (name, raw value) pairs, values without their quotes.
    pub fn attrs(&self) -> Attrs<'a> {
        Attrs {
            rest: self.attrs,
        }
    }

    /// The first attribute of this (lower-case) name, entities decoded.
    pub fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        self.attrs()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| decode_entities(v))
    }
}

impl<'a> Tag<'a> {
    /// The tag with its attributes read once, for many look-ups.
    pub fn parsed(&self) -> Parsed<'a> {
        Parsed {
            name: self.name,
            attrs: self.attrs().collect(),
        }
    }
}

/// A start tag whose attributes are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<'a> {
    pub name: &'a str,
    pub attrs: Vec<(&'a str, &'a str)>,
}

impl<'a> Parsed<'a> {
    /// The first attribute of this (lower-case) name, entities decoded.
    pub fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        self.raw(name).map(decode_entities)
    }

    /// The first attribute of this (lower-case) name, as written.
    pub fn raw(&self, name: &str) -> Option<&'a str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }
}

/// The attributes of a tag (see [`Tag::attrs`]).
pub struct Attrs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if s.is_empty() {
            return None;
        }
        let name_end = s
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len())
            .max(1);
        let name = &s[..name_end];
        let after = s[name_end..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(value_src) = after.strip_prefix('=') else {
            self.rest = after;
            return Some((name, ""));
        };
        let value_src = value_src.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let (value, rest) = match value_src.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &value_src[1..];
                match body.find(q) {
                    Some(end) => (&body[..end], &body[end + 1..]),
                    None => (body, ""),
                }
            }
            _ => {
                let end = value_src
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(value_src.len());
                (&value_src[..end], &value_src[end..])
            }
        };
        self.rest = rest;
        Some((name, value))
    }
}

/// Elements whose body is not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "title", "textarea", "xmp", "noembed", "noframes",
];

/// The tokens of a page, in order.
pub fn tokens(html: &str) -> Tokens<'_> {
    Tokens { html, pos: 0 }
}

/// The iterator of [`tokens`].
pub struct Tokens<'a> {
    html: &'a str,
    pos: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = &self.html[self.pos..];
            if rest.is_empty() {
                return None;
            }
            let Some(lt) = memchr(b'<', rest.as_bytes()) else {
                self.pos = self.html.len();
                return Some(Token::Text(rest));
            };
            if lt > 0 {
                self.pos += lt;
                return Some(Token::Text(&rest[..lt]));
            }
            if let Some(token) = self.markup() {
                return Some(token);
            }
        }
    }
}

impl<'a> Tokens<'a> {
    /// Reads the markup at `<`; `None` when it was passed over (a comment, a doctype).
    fn markup(&mut self) -> Option<Token<'a>> {
        let rest = &self.html[self.pos..];
        let bytes = rest.as_bytes();
        let next = bytes.get(1).copied().unwrap_or(b' ');
        if rest.starts_with("<!--") {
            self.pos += rest[4..].find("-->").map_or(rest.len(), |e| e + 7);
            return None;
        }
        if next == b'!' || next == b'?' || (next == b'/' && !is_letter(bytes.get(2))) {
            self.pos += memchr(b'>', bytes).map_or(rest.len(), |e| e + 1);
            return None;
        }
        if next == b'/' {
            let end = memchr(b'>', bytes).unwrap_or(rest.len());
            self.pos += (end + 1).min(rest.len());
            let name = rest[2..end]
                .split(|c: char| c.is_ascii_whitespace() || c == '/')
                .next()
                .unwrap_or("");
            return Some(Token::End(name));
        }
        if !is_letter(Some(&next)) {
            // A `<` that starts no tag is text.
            self.pos += 1;
            return Some(Token::Text("<"));
        }
        let end = tag_end(rest);
        self.pos += end;
        let closed = rest[..end].ends_with('>');
        let inner = &rest[1..if closed { end - 1 } else { end }];
        let name_len = inner
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(inner.len());
        let tag = Tag {
            name: &inner[..name_len],
            attrs: &inner[name_len..],
        };
        if RAW_TEXT.iter().any(|r| tag.is(r)) {
            return Some(self.raw(tag));
        }
        Some(Token::Start(tag))
    }

    /// The body of a raw-text element, up to its end tag (or the end of the page).
    fn raw(&mut self, tag: Tag<'a>) -> Token<'a> {
        let rest = &self.html[self.pos..];
        let close = find_end_tag(rest, tag.name).unwrap_or(rest.len());
        let body = &rest[..close];
        let after = &rest[close..];
        self.pos += close + memchr(b'>', after.as_bytes()).map_or(after.len(), |e| e + 1);
        Token::Raw(tag, body)
    }
}

fn is_letter(b: Option<&u8>) -> bool {
    b.is_some_and(u8::is_ascii_alphabetic)
}

/// Where a start tag ends (just after its `>`), quotes respected.
fn tag_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match (quote, b) {
            (None, b'>') => return i + 1,
            (None, b'"' | b'\'') if bytes[i - 1] == b'=' || bytes[i - 1].is_ascii_whitespace() => {
                quote = Some(b)
            }
            (Some(q), _) if q == b => quote = None,
            _ => {}
        }
    }
    // An unclosed quote: the tag ends at the first `>` after all.
    memchr(b'>', bytes).map_or(s.len(), |e| e + 1)
}

/// The position of `</name` (any case) in `s`.
fn find_end_tag(s: &str, name: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memmem::find(&bytes[from..], b"</") {
        let at = from + i;
        let candidate = bytes.get(at + 2..at + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(at);
        }
        from = at + 2;
    }
    None
}

/// Decodes character references: numeric ones and the few named ones dates, names and
/// titles use (`&amp;`, `&nbsp;`, ...). Others stay as written.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Named references, without `&` and `;`.
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("middot", '·'),
    ("bull", '•'),
    ("copy", '©'),
    ("raquo", '»'),
    ("laquo", '«'),
    ("rsquo", '’'),
    ("lsquo", '‘'),
    ("rdquo", '”'),
    ("ldquo", '“'),
    ("hellip", '…'),
];

/// The character a reference at the start of `s` stands for, and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    let semi = s.bytes().take(12).position(|b| b == b';')?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        NAMED
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(body))
            .map(|(_, c)| *c)
            .or_else(|| latin1_letter(body))?
    };
    Some((c, semi + 1))
}

/// `&eacute;`, `&auml;`, `&ccedil;`...: a letter with an accent, as month names write them.
fn latin1_letter(name: &str) -> Option<char> {
    if !name.is_char_boundary(1) {
        return None;
    }
    let (base, accent) = name.split_at(1);
    let accents = [
        ("acute", "aeiouyAEIOUY", "áéíóúýÁÉÍÓÚÝ"),
        ("grave", "aeiouAEIOU", "àèìòùÀÈÌÒÙ"),
        ("circ", "aeiouAEIOU", "âêîôûÂÊÎÔÛ"),
        ("uml", "aeiouyAEIOU", "äëïöüÿÄËÏÖÜ"),
        ("tilde", "anoANO", "ãñõÃÑÕ"),
        ("cedil", "cC", "çÇ"),
    ];
    let (_, bases, accented) = accents.iter().find(|(a, ..)| *a == accent)?;
    let i = bases.find(base)?;
    accented.chars().nth(i)
}

#[cfg(test)]
mod tests;
