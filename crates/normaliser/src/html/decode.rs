//! Bytes of an HTML file to text. A byte order mark decides; then bytes that are valid
//! UTF-8 are UTF-8 (a legacy encoding almost never yields valid UTF-8 by chance, and pages
//! re-saved as UTF-8 often keep their old `<meta charset>`); then the charset the page
//! declares in its first bytes; then a guess from the bytes (chardetng).

use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8};
use regex::bytes::Regex;

/// How far into the file a `<meta charset>` is looked for.
const PRESCAN_BYTES: usize = 8192;

/// Decoded text and what it was decoded from.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Some bytes were not valid in that encoding and became U+FFFD.
    pub had_errors: bool,
}

/// The bytes are not text.
#[derive(Debug, thiserror::Error)]
#[error("not text: the file has NUL bytes (a binary file?)")]
pub struct NotText;

/// Decodes a file's bytes (taking them, so that UTF-8 needs no copy).
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, NotText> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: text.into_owned(),
            encoding,
            had_errors,
        });
    }
    if bytes[..bytes.len().min(PRESCAN_BYTES)].contains(&0) {
        return Err(NotText);
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text,
                encoding: UTF_8,
                had_errors: false,
            });
        }
        Err(e) => e.into_bytes(),
    };
    let encoding = declared_charset(&bytes).unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(&bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Deny)
    });
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes);
    Ok(Decoded {
        text: text.into_owned(),
        encoding,
        had_errors,
    })
}

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i-u)<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-z0-9_:.+-]{1,40})"#)
        .expect("valid pattern")
});

/// The encoding a `<meta charset>` or `<meta http-equiv="Content-Type">` names. A page
/// cannot declare itself UTF-16 from inside (the spec reads that as UTF-8).
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let label = META_CHARSET.captures(head)?.get(1)?.as_bytes();
    let encoding = Encoding::for_label(label)?;
    if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    if encoding == encoding_rs::X_USER_DEFINED {
        return Some(encoding_rs::WINDOWS_1252);
    }
    Some(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honours_a_declared_legacy_charset() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body><p>".to_vec();
        page.extend_from_slice(&[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]); // "Привет"
        page.extend_from_slice(b"</p></body></html>");
        let decoded = decode(page).unwrap();
        assert_eq!(decoded.encoding, encoding_rs::WINDOWS_1251);
        assert!(decoded.text.contains("Привет"));
    }

    #[test]
    fn honours_http_equiv_content_type() {
        let mut page =
            b"<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'><p>".to_vec();
        page.extend_from_slice(&[0x93, 0xfa, 0x96, 0x7b]); // "日本"
        let decoded = decode(page).unwrap();
        assert_eq!(decoded.encoding, encoding_rs::SHIFT_JIS);
        assert!(decoded.text.contains("日本"));
    }

    #[test]
    fn valid_utf8_wins_over_a_stale_declaration() {
        let page = "<meta charset=iso-8859-1><p>Zürich</p>".as_bytes();
        let decoded = decode(page.to_vec()).unwrap();
        assert_eq!(decoded.encoding, UTF_8);
        assert!(decoded.text.contains("Zürich"));
    }

    #[test]
    fn byte_order_mark_decides() {
        let mut page = vec![0xff, 0xfe];
        for unit in "<p>hé</p>".encode_utf16() {
            page.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode(page).unwrap();
        assert_eq!(decoded.text, "<p>hé</p>");
    }

    #[test]
    fn undeclared_legacy_bytes_are_guessed() {
        let text = "Le gouvernement français a annoncé des mesures économiques très attendues.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
        let decoded = decode(bytes.into_owned()).unwrap();
        assert_eq!(decoded.text, text);
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).is_err());
    }
}
