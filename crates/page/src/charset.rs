//! Bytes to text, for HTML pages and XML documents (feeds, sitemaps), in one order of trust:
//!
//! 1. a byte order mark (UTF-8, UTF-16, UTF-32);
//! 2. XML only: `<` in UTF-16 or UTF-32 without a mark (XML 1.0, appendix F);
//! 3. bytes that are valid UTF-8 and not all ASCII are UTF-8: a legacy encoding almost never
//!    forms valid UTF-8 by chance, and pages re-saved as UTF-8 often keep a stale label;
//! 4. the charset of the HTTP `Content-Type` header;
//! 5. the document's own label: `<meta charset>` (or `http-equiv`) in the first 8 KiB of
//!    HTML, the `encoding` of the XML declaration;
//! 6. then XML is UTF-8 (its default) and HTML is guessed from its bytes (chardetng, helped
//!    by the top-level domain).
//!
//! Labels are the WHATWG Encoding Standard's, and common names outside it (`cp1252`,
//! `windows_1252`, `utf-32`, `ucs-4`, `csunicode`, ...). A label no one knows is passed over,
//! as is a UTF-16 or UTF-32 label on bytes that are not (no NUL among the first bytes), and
//! in HTML a UTF-16 label inside the document, which the HTML standard reads as UTF-8. The
//! text is always valid UTF-8.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::bytes::Regex;

/// How far into a page a `<meta charset>` is looked for. The HTML standard says 1024 bytes;
/// real pages put long `<head>` scripts first, so this looks further.
pub const META_PRESCAN_BYTES: usize = 8192;

/// A character encoding: one of `encoding_rs`, or UTF-32, which the web does not use but
/// feeds sometimes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Web(&'static Encoding),
    Utf32Le,
    Utf32Be,
}

impl Charset {
    pub fn name(self) -> &'static str {
        match self {
            Charset::Web(e) => e.name(),
            Charset::Utf32Le => "UTF-32LE",
            Charset::Utf32Be => "UTF-32BE",
        }
    }

    fn is_wide(self) -> bool {
        match self {
            Charset::Web(e) => e == UTF_16LE || e == UTF_16BE,
            Charset::Utf32Le | Charset::Utf32Be => true,
        }
    }
}

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CharsetSource {
    Bom,
    /// The first bytes of an XML document.
    Sniffed,
    Utf8,
    Header,
    /// `<meta charset>` or the XML declaration.
    Declared,
    Default,
    Guess,
}

/// A document decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub charset: Charset,
    pub source: CharsetSource,
    /// Whether some bytes were not valid in the encoding (replaced by U+FFFD).
    pub had_errors: bool,
}

/// Decodes an HTML page. `content_type` is the HTTP header when there was one; `tld` (such
/// as `b"jp"`) helps the guess when nothing is declared.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>, tld: Option<&[u8]>) -> Decoded {
    if let Some(d) = from_bom(bytes).or_else(|| from_utf8(bytes)) {
        return d;
    }
    let header = content_type
        .and_then(charset_from_content_type)
        .filter(|c| fits(*c, bytes));
    if let Some(charset) = header {
        return finish(bytes, charset, CharsetSource::Header);
    }
    if let Some(charset) = charset_from_meta(bytes) {
        return finish(bytes, charset, CharsetSource::Declared);
    }
    let guessed = guess(bytes, tld);
    finish(bytes, Charset::Web(guessed), CharsetSource::Guess)
}

/// Decodes an XML document (a feed, a sitemap). `content_type` is the HTTP header.
pub fn decode_xml(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some(d) = from_bom(bytes) {
        return d;
    }
    if let Some(charset) = sniff_wide(bytes) {
        return finish(bytes, charset, CharsetSource::Sniffed);
    }
    if let Some(d) = from_utf8(bytes) {
        return d;
    }
    let header = content_type
        .and_then(charset_from_content_type)
        .filter(|c| fits(*c, bytes));
    if let Some(charset) = header {
        return finish(bytes, charset, CharsetSource::Header);
    }
    let declared = xml_declared(bytes).filter(|c| fits(*c, bytes));
    if let Some(charset) = declared {
        return finish(bytes, charset, CharsetSource::Declared);
    }
    finish(bytes, Charset::Web(UTF_8), CharsetSource::Default)
}

fn from_bom(bytes: &[u8]) -> Option<Decoded> {
    // UTF-32LE's mark starts with UTF-16LE's: look for it first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some(finish(&bytes[4..], Charset::Utf32Le, CharsetSource::Bom));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some(finish(&bytes[4..], Charset::Utf32Be, CharsetSource::Bom));
    }
    let (encoding, len) = Encoding::for_bom(bytes)?;
    Some(finish(
        &bytes[len..],
        Charset::Web(encoding),
        CharsetSource::Bom,
    ))
}

/// Valid UTF-8 with at least one byte outside ASCII.
fn from_utf8(bytes: &[u8]) -> Option<Decoded> {
    if bytes.is_ascii() {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    Some(Decoded {
        text: text.to_string(),
        charset: Charset::Web(UTF_8),
        source: CharsetSource::Utf8,
        had_errors: false,
    })
}

/// UTF-16 or UTF-32 without a mark, from how `<` is written in the first four bytes.
fn sniff_wide(bytes: &[u8]) -> Option<Charset> {
    match bytes.get(..4)? {
        [0, 0, 0, b'<'] => Some(Charset::Utf32Be),
        [b'<', 0, 0, 0] => Some(Charset::Utf32Le),
        [0, b'<', 0, _] => Some(Charset::Web(UTF_16BE)),
        [b'<', 0, _, 0] => Some(Charset::Web(UTF_16LE)),
        _ => None,
    }
}

/// Whether bytes can be in this encoding: a wide one needs NULs among the first bytes.
fn fits(charset: Charset, bytes: &[u8]) -> bool {
    !charset.is_wide() || bytes[..bytes.len().min(64)].contains(&0)
}

/// The encoding a `Content-Type` value declares (`text/html; charset=Shift_JIS`).
pub fn charset_from_content_type(content_type: &str) -> Option<Charset> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        label(value.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+\-]{1,40})"#)
        .expect("valid regex")
});

/// The encoding a page declares in `<meta charset=...>` or `<meta http-equiv=Content-Type
/// content="...; charset=...">` in its first [`META_PRESCAN_BYTES`]. UTF-16 declared inside
/// a page read as ASCII means UTF-8, and `x-user-defined` windows-1252 (HTML standard).
pub fn charset_from_meta(bytes: &[u8]) -> Option<Charset> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let charset = META_CHARSET
        .captures_iter(head)
        .find_map(|c| label(c.get(1)?.as_bytes()))?;
    Some(match charset {
        c if c.is_wide() => Charset::Web(UTF_8),
        Charset::Web(e) if e == encoding_rs::X_USER_DEFINED => Charset::Web(WINDOWS_1252),
        c => c,
    })
}

static XML_DECLARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?-u)\A\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_:.+\-]{1,40})["']"#)
        .expect("valid regex")
});

fn xml_declared(bytes: &[u8]) -> Option<Charset> {
    let head = &bytes[..bytes.len().min(512)];
    label(XML_DECLARATION.captures(head)?.get(1)?.as_bytes())
}

/// Names outside the WHATWG list, as (name, WHATWG label). Case and `_` against `-` do not
/// matter.
const ALIASES: &[(&str, &str)] = &[
    ("cp1250", "windows-1250"),
    ("cp1251", "windows-1251"),
    ("cp1252", "windows-1252"),
    ("cp1253", "windows-1253"),
    ("cp1254", "windows-1254"),
    ("cp1255", "windows-1255"),
    ("cp1256", "windows-1256"),
    ("cp1257", "windows-1257"),
    ("cp1258", "windows-1258"),
    ("cp874", "windows-874"),
    ("cp866", "ibm866"),
    ("866", "ibm866"),
    ("csibm866", "ibm866"),
    ("mac", "macintosh"),
    ("macroman", "macintosh"),
    ("mac-roman", "macintosh"),
    ("maccyrillic", "x-mac-cyrillic"),
    ("mac-cyrillic", "x-mac-cyrillic"),
    ("ms-ansi", "windows-1252"),
    ("ms-cyrl", "windows-1251"),
    ("ms-ee", "windows-1250"),
    ("ms-greek", "windows-1253"),
    ("ms-turk", "windows-1254"),
    ("ms-hebr", "windows-1255"),
    ("ms-arab", "windows-1256"),
    ("winbaltrim", "windows-1257"),
    ("gb-2312", "gb2312"),
    ("utf8", "utf-8"),
    ("unicode", "utf-16"),
    ("ucs-2", "utf-16"),
    ("csunicode", "utf-16"),
    ("iso-10646-ucs-2", "utf-16"),
];

/// The encoding a label names, or `None` when no one knows it.
pub fn label(raw: &[u8]) -> Option<Charset> {
    let name = String::from_utf8_lossy(raw)
        .trim()
        .to_ascii_lowercase()
        .replace('_', "-");
    match name.as_str() {
        "utf-32" | "ucs-4" | "csucs4" | "iso-10646-ucs-4" | "utf-32be" => {
            return Some(Charset::Utf32Be);
        }
        "utf-32le" => return Some(Charset::Utf32Le),
        _ => {}
    }
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name.as_str(), |(_, whatwg)| whatwg);
    Encoding::for_label(name.as_bytes()).map(Charset::Web)
}

fn guess(bytes: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    if bytes.is_ascii() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld, chardetng::Utf8Detection::Allow)
}

fn finish(bytes: &[u8], charset: Charset, source: CharsetSource) -> Decoded {
    let (text, had_errors) = match charset {
        Charset::Web(e) => {
            let (text, errors) = e.decode_without_bom_handling(bytes);
            (text.into_owned(), errors)
        }
        Charset::Utf32Le => utf32(bytes, u32::from_le_bytes),
        Charset::Utf32Be => utf32(bytes, u32::from_be_bytes),
    };
    Decoded {
        text,
        charset,
        source,
        had_errors,
    }
}

fn utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> (String, bool) {
    let mut errors = !bytes.len().is_multiple_of(4);
    let text = bytes
        .chunks_exact(4)
        .map(|c| {
            let ch = char::from_u32(unit([c[0], c[1], c[2], c[3]]));
            errors |= ch.is_none();
            ch.unwrap_or(char::REPLACEMENT_CHARACTER)
        })
        .collect();
    (text, errors)
}

#[cfg(test)]
mod tests;
