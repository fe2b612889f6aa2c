//! Bytes of an HTML file to text: the page toolkit's decoding (`page::charset`, which the
//! fetcher uses too: a byte order mark, then valid UTF-8, then the declared charset, then a
//! guess), after refusing files that are not text.

use encoding_rs::Encoding;

pub use page::charset::Decoded;

/// How far into the file NUL bytes mark it as binary.
const PRESCAN_BYTES: usize = 8192;

/// The bytes are not text.
#[derive(Debug, thiserror::Error)]
#[error("not text: the file has NUL bytes (a binary file?)")]
pub struct NotText;

/// Decodes a file's bytes.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded, NotText> {
    // UTF-16 and UTF-32 have NULs: only a byte order mark lets them through.
    let marked = Encoding::for_bom(&bytes).is_some();
    if !marked && bytes[..bytes.len().min(PRESCAN_BYTES)].contains(&0) {
        return Err(NotText);
    }
    Ok(page::charset::decode_html(&bytes, None, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(d: &Decoded) -> &'static str {
        d.charset.name()
    }

    #[test]
    fn honours_a_declared_legacy_charset() {
        let mut page = b"<html><head><meta charset=\"windows-1251\"></head><body><p>".to_vec();
        page.extend_from_slice(&[0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]); // "Привет"
        page.extend_from_slice(b"</p></body></html>");
        let decoded = decode(page).unwrap();
        assert_eq!(name(&decoded), "windows-1251");
        assert!(decoded.text.contains("Привет"));
    }

    #[test]
    fn valid_utf8_wins_over_a_stale_declaration() {
        let page = "<meta charset=iso-8859-1><p>Zürich</p>".as_bytes();
        let decoded = decode(page.to_vec()).unwrap();
        assert_eq!(name(&decoded), "UTF-8");
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
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()).is_err());
    }
}
