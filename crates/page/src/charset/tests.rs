use super::*;

fn html(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str, CharsetSource) {
    let d = decode_html(bytes, content_type, None);
    (d.text, d.charset.name(), d.source)
}

fn xml(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str, CharsetSource) {
    let d = decode_xml(bytes, content_type);
    (d.text, d.charset.name(), d.source)
}

fn utf16be(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_be_bytes).collect()
}

#[test]
fn bom_wins_over_everything() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("<meta charset=windows-1252>café".as_bytes());
    let (text, name, source) = html(&bytes, Some("text/html; charset=iso-8859-1"));
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
    let (text, name, source) = html(latin, None);
    assert_eq!((name, source), ("windows-1252", CharsetSource::Declared));
    assert!(text.contains("café “quoted”"), "{text}");

    let (_, name, source) = html(latin, Some("text/html; charset=\"ISO-8859-2\""));
    assert_eq!((name, source), ("ISO-8859-2", CharsetSource::Header));

    let http_equiv =
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"><p>\x93\xfa\x96\x7b";
    let (text, name, source) = html(http_equiv, Some("text/html"));
    assert_eq!((name, source), ("Shift_JIS", CharsetSource::Declared));
    assert!(text.ends_with("日本"), "{text}");
}

#[test]
fn valid_utf8_wins_over_a_stale_label() {
    let page = "<meta charset=iso-8859-1><p>Zürich</p>".as_bytes();
    let (text, name, source) = html(page, Some("text/html; charset=iso-8859-1"));
    assert_eq!((name, source), ("UTF-8", CharsetSource::Utf8));
    assert!(text.contains("Zürich"));
}

#[test]
fn undeclared_pages_are_guessed() {
    let sjis = encoding_rs::SHIFT_JIS
        .encode("<p>東京で地震が発生し、少なくとも十人が死亡したと警察が発表した。</p>")
        .0;
    let (text, name, source) = html(&sjis, Some("text/html"));
    assert_eq!((name, source), ("Shift_JIS", CharsetSource::Guess));
    assert!(text.contains("少なくとも十人"));
    let french = "Le gouvernement français a annoncé des mesures économiques très attendues.";
    let (bytes, _, _) = WINDOWS_1252.encode(french);
    assert_eq!(html(&bytes, None).0, french);
}

#[test]
fn utf16_in_meta_means_utf8_and_bad_labels_are_ignored() {
    let (_, name, _) = html(b"<meta charset=utf-16><p>x", None);
    assert_eq!(name, "UTF-8");
    let (_, name, source) = html(
        b"<meta charset=no-such-thing><p>x",
        Some("text/html; charset=bogus"),
    );
    assert_eq!((name, source), ("UTF-8", CharsetSource::Guess));
}

/// Issue 17: a UTF-16BE feed declared `utf-16` without a mark made the XML parser panic.
#[test]
fn xml_in_utf16_or_utf32_without_a_mark_is_sniffed() {
    let feed = "<?xml version=\"1.0\" encoding=\"utf-16\"?><rss><title>Ωmega</title></rss>";
    let (text, name, source) = xml(&utf16be(feed), None);
    assert_eq!(
        (text.as_str(), name, source),
        (feed, "UTF-16BE", CharsetSource::Sniffed)
    );
    let utf32: Vec<u8> = feed
        .chars()
        .flat_map(|c| (c as u32).to_le_bytes())
        .collect();
    let (text, name, _) = xml(&utf32, None);
    assert_eq!((text.as_str(), name), (feed, "UTF-32LE"));
    let mut marked = vec![0, 0, 0xFE, 0xFF];
    marked.extend(feed.chars().flat_map(|c| (c as u32).to_be_bytes()));
    assert_eq!(xml(&marked, None).1, "UTF-32BE");
}

#[test]
fn xml_header_then_declaration_then_utf8() {
    let body =
        b"<?xml version='1.0' encoding='windows_1251'?><rss><title>\xcf\xf0\xe8</title></rss>";
    let (text, name, source) = xml(body, None);
    assert_eq!((name, source), ("windows-1251", CharsetSource::Declared));
    assert!(text.contains("При"), "{text}");
    let (_, name, source) = xml(body, Some("application/rss+xml; charset=koi8-r"));
    assert_eq!((name, source), ("KOI8-R", CharsetSource::Header));
    let (_, name, source) = xml(b"<rss/>", Some("text/xml; charset=utf-16"));
    assert_eq!((name, source), ("UTF-8", CharsetSource::Default));
}

#[test]
fn labels_outside_the_whatwg_list() {
    for (raw, name) in [
        ("cp1252", "windows-1252"),
        ("Windows_1250", "windows-1250"),
        ("MacRoman", "macintosh"),
        ("csUnicode", "UTF-16LE"),
        ("UCS-4", "UTF-32BE"),
        ("gb2312", "GBK"),
    ] {
        assert_eq!(
            label(raw.as_bytes()).map(Charset::name),
            Some(name),
            "{raw}"
        );
    }
    assert_eq!(label(b"cp437"), None);
}
