//! Character set detection and decoding of HTML, in the order browsers use: a byte order
//! mark, then the `Content-Type` header, then a `<meta>` declaration near the top, then a
//! guess from the bytes (chardetng). The result is always valid UTF-8.

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use regex::bytes::Regex;

/// How far into the document a `<meta charset>` declaration is looked for. The HTML standard
/// says 1024 bytes; real pages put long `<head>` scripts first, so this looks further.
pub const META_PRESCAN_BYTES: usize = 8192;

/// Where the encoding came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CharsetSource {
    Bom,
    Header,
    Meta,
    Guess,
}

/// A document decoded to UTF-8.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
    /// Whether some bytes were not valid in the encoding (replaced by U+FFFD).
    pub had_errors: bool,
}

/// Decodes an HTML document. `content_type` is the HTTP header, when there was one; `tld`
/// (such as `b"jp"`) helps the guess when nothing is declared.
pub fn decode_html(bytes: &[u8], content_type: Option<&str>, tld: Option<&[u8]>) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return finish(&bytes[bom_len..], encoding, CharsetSource::Bom);
    }
    if let Some(encoding) = content_type.and_then(charset_from_content_type) {
        return finish(bytes, encoding, CharsetSource::Header);
    }
    if let Some(encoding) = charset_from_meta(bytes) {
        return finish(bytes, encoding, CharsetSource::Meta);
    }
    finish(bytes, guess(bytes, tld), CharsetSource::Guess)
}

/// The encoding a `Content-Type` value declares (`text/html; charset=Shift_JIS`).
pub fn charset_from_content_type(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        html_label(value.trim().trim_matches(['"', '\'']).as_bytes())
    })
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"#)
        .expect("valid regex")
});

/// The encoding declared by `<meta charset=...>` or `<meta http-equiv=Content-Type
/// content="...; charset=...">` in the first [`META_PRESCAN_BYTES`].
pub fn charset_from_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    META_CHARSET
        .captures_iter(head)
        .find_map(|c| html_label(c.get(1)?.as_bytes()))
}

/// An encoding label as the HTML standard reads it: UTF-16 declared inside a document that
/// was read as ASCII-compatible means UTF-8, and `x-user-defined` means windows-1252.
fn html_label(label: &[u8]) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label)?;
    if encoding == encoding_rs::UTF_16BE || encoding == encoding_rs::UTF_16LE {
        Some(UTF_8)
    } else if encoding == encoding_rs::X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else {
        Some(encoding)
    }
}

fn guess(bytes: &[u8], tld: Option<&[u8]>) -> &'static Encoding {
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(tld, chardetng::Utf8Detection::Allow)
}

fn finish(bytes: &[u8], encoding: &'static Encoding, source: CharsetSource) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding,
        source,
        had_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str, CharsetSource) {
        let d = decode_html(bytes, content_type, None);
        (d.text, d.encoding.name(), d.source)
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("<meta charset=windows-1252>café".as_bytes());
        let (text, name, source) = check(&bytes, Some("text/html; charset=iso-8859-1"));
        assert_eq!(
            (text.as_str(), name, source),
            (
                "<meta charset=windows-1252>café",
                "UTF-8",
                CharsetSource::Bom
            )
        );
    }

    #[test]
    fn header_then_meta_then_guess() {
        let latin = b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xe9 \x93quoted\x94";
        let (text, name, source) = check(latin, None);
        assert_eq!(name, "windows-1252");
        assert_eq!(source, CharsetSource::Meta);
        assert!(text.contains("café “quoted”"), "{text}");

        let (_, name, source) = check(latin, Some("text/html; charset=\"ISO-8859-2\""));
        assert_eq!((name, source), ("ISO-8859-2", CharsetSource::Header));

        let http_equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>\x93\xfa\x96\x7b";
        let (text, name, source) = check(http_equiv, Some("text/html"));
        assert_eq!((name, source), ("Shift_JIS", CharsetSource::Meta));
        assert!(text.ends_with("日本"), "{text}");
    }

    #[test]
    fn undeclared_pages_are_guessed() {
        let sjis = encoding_rs::SHIFT_JIS
            .encode("<p>東京で地震が発生し、少なくとも十人が死亡したと警察が発表した。</p>")
            .0;
        let (text, name, source) = check(&sjis, Some("text/html"));
        assert_eq!((name, source), ("Shift_JIS", CharsetSource::Guess));
        assert!(text.contains("少なくとも十人"));

        let (text, name, _) = check("<p>plain ünïcode</p>".as_bytes(), None);
        assert_eq!((text.as_str(), name), ("<p>plain ünïcode</p>", "UTF-8"));
    }

    #[test]
    fn utf16_in_meta_means_utf8_and_bad_labels_are_ignored() {
        let (_, name, _) = check(b"<meta charset=utf-16><p>x", None);
        assert_eq!(name, "UTF-8");
        let (_, name, source) = check(
            b"<meta charset=no-such-thing><p>x",
            Some("text/html; charset=bogus"),
        );
        assert_eq!((name, source), ("UTF-8", CharsetSource::Guess));
    }
}
