//! WARC files the tests write themselves: records as a crawler writes them (warcinfo,
//! request, response with HTTP headers, gzip per record), a non-HTML response, a chunked and
//! gzipped body, and a truncated last member.

use std::io::Write;

use super::*;

fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\n\
         WARC-Date: 2024-01-02T03:04:05Z\r\nWARC-Record-ID: <urn:uuid:0000>\r\n\
         Content-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

fn response(headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 200 OK\r\n{headers}\r\n").into_bytes();
    out.extend_from_slice(body);
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

const PAGE: &str =
    "<html><body><article><p>Officials said 12 people were killed.</p></article></body></html>";

fn chunked_gzip_page() -> Vec<u8> {
    let body = gzip("<html><body><p>Café: 3 injured.</p></body></html>".as_bytes());
    let (a, b) = body.split_at(10);
    let mut chunked = format!("{:x}\r\n", a.len()).into_bytes();
    chunked.extend_from_slice(a);
    chunked.extend_from_slice(format!("\r\n{:X};ext=1\r\n", b.len()).as_bytes());
    chunked.extend_from_slice(b);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    response(
        "Content-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
        &chunked,
    )
}

/// The records of the test file, uncompressed.
fn records() -> Vec<Vec<u8>> {
    vec![
        record("warcinfo", "", b"software: test\r\n"),
        record(
            "request",
            "https://a.example/1",
            b"GET /1 HTTP/1.1\r\nHost: a.example\r\n\r\n",
        ),
        record(
            "response",
            "https://a.example/1",
            &response("Content-Type: text/html\r\n", PAGE.as_bytes()),
        ),
        record(
            "response",
            "https://a.example/logo.png",
            &response("Content-Type: image/png\r\n", b"\x89PNG\r\n\x1a\n"),
        ),
        record("response", "https://b.example/2", &chunked_gzip_page()),
        record(
            "response",
            "https://b.example/3.txt",
            &response(
                "Content-Type: text/plain; charset=iso-8859-1\r\n",
                b"Caf\xe9 closed.",
            ),
        ),
    ]
}

fn show(items: impl Iterator<Item = Item>) -> Vec<String> {
    items
        .map(|i| match i {
            Item::Article(r) => format!(
                "{} {} {} {:?}",
                r.id,
                r.url.as_deref().unwrap_or("-"),
                r.retrieved.as_deref().unwrap_or("-"),
                r.html
                    .as_deref()
                    .or(r.text.as_deref())
                    .unwrap_or("")
                    .chars()
                    .take(40)
                    .collect::<String>()
            ),
            Item::Skipped { offset, reason } => format!("skipped {offset}: {reason}"),
            Item::Failed { offset, error } => format!("failed {offset}: {error}"),
        })
        .collect()
}

#[test]
fn a_gzip_per_record_file_with_a_truncated_last_member() {
    let mut file = Vec::new();
    for r in records() {
        file.extend(gzip(&r));
    }
    let whole = gzip(&records()[2]);
    file.extend_from_slice(&whole[..whole.len() / 2]);
    // each article's offset is where its member starts: read from there, it comes first
    for i in items("CC-NEWS-x.warc.gz", &file[..], DEFAULT_MAX_RECORD_BYTES) {
        if let Item::Article(r) = i {
            let at = r.source.as_ref().unwrap().offset as usize;
            let again = items("CC-NEWS-x.warc.gz", &file[at..], DEFAULT_MAX_RECORD_BYTES).next();
            let Some(Item::Article(again)) = again else {
                panic!("{again:?}")
            };
            assert_eq!((again.html, again.text), (r.html, r.text));
        }
    }
    let items = show(items(
        "CC-NEWS-x.warc.gz",
        &file[..],
        DEFAULT_MAX_RECORD_BYTES,
    ));
    expect_test::expect![[r#"
        [
            "skipped 0: a warcinfo record",
            "skipped 176: a request record",
            "CC-NEWS-x.warc.gz-376 https://a.example/1 2024-01-02T03:04:05Z \"<html><body><article><p>Officials said 1\"",
            "skipped 637: content type \"image/png\"",
            "CC-NEWS-x.warc.gz-856 https://b.example/2 2024-01-02T03:04:05Z \"<html><body><p>Café: 3 injured.</p></bod\"",
            "CC-NEWS-x.warc.gz-1182 https://b.example/3.txt 2024-01-02T03:04:05Z \"Café closed.\"",
            "failed 1418: at offset 1418: incomplete deflate stream",
        ]
    "#]].assert_debug_eq(&items);
}

#[test]
fn an_uncompressed_file_gives_the_same_articles_at_its_own_offsets() {
    let file: Vec<u8> = records().concat();
    let items = show(items("plain.warc", &file[..], DEFAULT_MAX_RECORD_BYTES));
    expect_test::expect![[r#"
        [
            "skipped 0: a warcinfo record",
            "skipped 208: a request record",
            "plain.warc-453 https://a.example/1 2024-01-02T03:04:05Z \"<html><body><article><p>Officials said 1\"",
            "skipped 798: content type \"image/png\"",
            "plain.warc-1068 https://b.example/2 2024-01-02T03:04:05Z \"<html><body><p>Café: 3 injured.</p></bod\"",
            "plain.warc-1486 https://b.example/3.txt 2024-01-02T03:04:05Z \"Café closed.\"",
        ]
    "#]].assert_debug_eq(&items);
}

#[test]
fn ids_are_the_same_on_every_run_and_valid() {
    let mut file = Vec::new();
    for r in records() {
        file.extend(gzip(&r));
    }
    let ids = |bytes: &[u8]| -> Vec<String> {
        items("f.warc.gz", bytes, DEFAULT_MAX_RECORD_BYTES)
            .filter_map(|i| match i {
                Item::Article(r) => Some(r.id),
                _ => None,
            })
            .collect()
    };
    assert_eq!(ids(&file), ids(&file));
    let long = record_id(&format!("{}/ü.warc.gz", "x".repeat(300)), 123_456);
    assert!(corpus::ArticleId::new(long.as_str()).is_ok(), "{long}");
    assert!(long.ends_with("-123456"));
    assert_eq!(record_id(".hidden warc", 7), "_hidden_warc-7");
}

#[test]
fn a_record_over_the_limit_is_refused_and_the_next_is_read() {
    let big = record(
        "response",
        "https://a.example/big",
        &response("Content-Type: text/html\r\n", &vec![b'a'; 5000]),
    );
    let mut file = gzip(&big);
    file.extend(gzip(&records()[2]));
    let items = show(items("f.warc.gz", &file[..], 2000));
    expect_test::expect![[r#"
        [
            "failed 0: record at offset 0: larger than the limit of 2000 bytes",
            "f.warc.gz-251 https://a.example/1 2024-01-02T03:04:05Z \"<html><body><article><p>Officials said 1\"",
        ]
    "#]].assert_debug_eq(&items);
}

#[test]
fn not_gzip_and_not_warc_is_one_failure() {
    let items = show(items("f.warc", &b"hello world\r\n\r\n"[..], 1000));
    expect_test::expect![[r#"
        [
            "failed 0: record at offset 0: not a WARC record (starts with Some(\"hello world\"))",
        ]
    "#]]
    .assert_debug_eq(&items);
}
