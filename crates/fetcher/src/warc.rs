//! `fetcher --warc`: WARC files (ISO 28500; Common Crawl's CC-NEWS is WARC 1.0, gzip per
//! record) read into stream records ([`StreamRecord`]), one for each HTML or plain-text HTTP
//! response, keyed by the file's name and the record's offset so that a rerun gives the same
//! ids.
//!
//! A small reader of its own: the `warc` crate (0.4) decompresses a whole file as one stream
//! (so it cannot say where a record starts, which the ids need, and a damaged member ends
//! the file for it) and brings in a second gzip implementation. Here each gzip member is read
//! on its own with `flate2`, from a counted reader that knows the member's offset; a record
//! that cannot be read is an error with its offset, and a damaged member (truncated, not
//! gzip) ends the file, since nothing says where the next one starts.

use std::io::{self, BufRead, Read};

use corpus::stream::{RecordSource, StreamRecord};

#[path = "warc/http.rs"]
mod http;

/// A record larger than this once decompressed (headers and block) is refused.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 16 << 20;

/// One WARC record: where it starts, its named fields and its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcRecord {
    pub offset: u64,
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecord {
    /// A named field's value (names are matched without regard to case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("record at offset {offset}: {reason}")]
    Record { offset: u64, reason: String },
    #[error("at offset {offset}: {source}")]
    Io {
        offset: u64,
        #[source]
        source: io::Error,
    },
}

impl WarcError {
    fn record(offset: u64, reason: impl Into<String>) -> WarcError {
        WarcError::Record {
            offset,
            reason: reason.into(),
        }
    }
}

/// A reader that counts the bytes consumed, so that each record knows its offset.
struct Counted<R> {
    inner: R,
    position: u64,
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.position += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amount: usize) {
        self.position += amount as u64;
        self.inner.consume(amount);
    }
}

/// The records of a WARC file, compressed per record with gzip or not compressed.
pub struct Reader<R> {
    input: Counted<R>,
    max_record_bytes: u64,
    done: bool,
    /// Whether the last record was a gzip member (after a damaged plain record, nothing
    /// says where the next starts).
    gzip: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(input: R, max_record_bytes: u64) -> Reader<R> {
        Reader {
            input: Counted {
                inner: input,
                position: 0,
            },
            max_record_bytes,
            done: false,
            gzip: false,
        }
    }

    /// The next record's bytes (headers and block), decompressed, and its offset.
    fn next_bytes(&mut self) -> Result<Option<(u64, Vec<u8>)>, WarcError> {
        let offset = self.input.position;
        let io_error = |source| WarcError::Io { offset, source };
        // blank lines between records (the two CRLF after a block)
        loop {
            let buf = self.input.fill_buf().map_err(io_error)?;
            match buf.first() {
                None => return Ok(None),
                Some(b'\r' | b'\n') => self.input.consume(1),
                Some(_) => break,
            }
        }
        let offset = self.input.position;
        let gzip = self
            .input
            .fill_buf()
            .map_err(io_error)?
            .starts_with(&[0x1f, 0x8b]);
        self.gzip = gzip;
        let limit = self.max_record_bytes + 1;
        let mut bytes = Vec::new();
        if gzip {
            let mut member = flate2::bufread::GzDecoder::new(&mut self.input);
            member
                .by_ref()
                .take(limit)
                .read_to_end(&mut bytes)
                .map_err(|source| WarcError::Io { offset, source })?;
            if bytes.len() as u64 == limit {
                // the rest of the member, read to find where the next one starts
                io::copy(&mut member, &mut io::sink())
                    .map_err(|source| WarcError::Io { offset, source })?;
                return Err(self.too_large(offset));
            }
        } else {
            self.read_plain(offset, &mut bytes)?;
        }
        Ok(Some((offset, bytes)))
    }

    fn too_large(&self, offset: u64) -> WarcError {
        WarcError::record(
            offset,
            format!("larger than the limit of {} bytes", self.max_record_bytes),
        )
    }

    /// An uncompressed record: its header lines, then `Content-Length` bytes of block.
    fn read_plain(&mut self, offset: u64, bytes: &mut Vec<u8>) -> Result<(), WarcError> {
        let io_error = |source| WarcError::Io { offset, source };
        loop {
            let start = bytes.len();
            let n = (&mut self.input)
                .take(self.max_record_bytes)
                .read_until(b'\n', bytes)
                .map_err(io_error)?;
            let line = &bytes[start..];
            if n == 0 {
                return Err(WarcError::record(offset, "ends inside its headers"));
            }
            if line == b"\r\n" || line == b"\n" {
                break;
            }
            if bytes.len() as u64 > self.max_record_bytes {
                return Err(self.too_large(offset));
            }
        }
        let (headers, _) = parse_headers(bytes).map_err(|r| WarcError::record(offset, r))?;
        let length = content_length(&headers).map_err(|r| WarcError::record(offset, r))?;
        if length > self.max_record_bytes {
            return Err(self.too_large(offset));
        }
        let start = bytes.len();
        (&mut self.input)
            .take(length)
            .read_to_end(bytes)
            .map_err(io_error)?;
        if ((bytes.len() - start) as u64) < length {
            return Err(WarcError::record(offset, "ends inside its block"));
        }
        Ok(())
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<WarcRecord, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let result = match self.next_bytes() {
            Ok(None) => None,
            Ok(Some((offset, bytes))) => Some(parse_record(offset, &bytes)),
            Err(e) => Some(Err(e)),
        };
        // nothing says where the record after a damaged one starts
        let lost = match &result {
            None | Some(Err(WarcError::Io { .. })) => true,
            Some(Err(WarcError::Record { .. })) => !self.gzip,
            Some(Ok(_)) => false,
        };
        if lost {
            self.done = true;
        }
        result
    }
}

/// The version line and named fields up to the blank line, and where the block starts.
fn parse_headers(bytes: &[u8]) -> Result<(Vec<(String, String)>, usize), String> {
    let end = find(bytes, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(bytes, b"\n\n").map(|i| i + 2))
        .ok_or("no blank line after the headers")?;
    let text = std::str::from_utf8(&bytes[..end]).map_err(|_| "headers are not UTF-8")?;
    let mut lines = text.lines();
    match lines.next() {
        Some(v) if v.starts_with("WARC/") => {}
        other => return Err(format!("not a WARC record (starts with {other:?})")),
    }
    let headers = lines
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok((headers, end))
}

fn content_length(headers: &[(String, String)]) -> Result<u64, String> {
    let value = header(headers, "Content-Length").ok_or("no Content-Length")?;
    value
        .parse()
        .map_err(|_| format!("Content-Length {value:?} is not a number"))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// A record from its decompressed bytes.
fn parse_record(offset: u64, bytes: &[u8]) -> Result<WarcRecord, WarcError> {
    let (headers, start) = parse_headers(bytes).map_err(|r| WarcError::record(offset, r))?;
    let length = content_length(&headers).map_err(|r| WarcError::record(offset, r))?;
    let block = bytes
        .get(start..)
        .and_then(|b| b.get(..usize::try_from(length).ok()?))
        .ok_or_else(|| WarcError::record(offset, "ends inside its block"))?;
    Ok(WarcRecord {
        offset,
        headers,
        block: block.to_vec(),
    })
}

/// What one WARC record gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An HTML or plain-text page.
    Article(Box<StreamRecord>),
    /// Not an article (a request, metadata, an image, a redirect), with why.
    Skipped { offset: u64, reason: String },
    /// A record that could not be read.
    Failed { offset: u64, error: String },
}

/// The id of the record at `offset` of the WARC file named `file` (folders left out):
/// `<file>-<offset>`, with characters an id may not hold as `_`, shortened to fit.
pub fn record_id(file: &str, offset: u64) -> String {
    let suffix = format!("-{offset}");
    let mut name: String = file
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '_' | '.' | '-' => c,
            _ => '_',
        })
        .collect();
    if name.starts_with('.') {
        name.replace_range(..1, "_");
    }
    let keep = 128 - suffix.len();
    if name.len() > keep {
        let hash = corpus::sha256_hex(file);
        name = format!("{}_{}", &name[..keep - 13], &hash[..12]);
    }
    name + &suffix
}

/// What a record gives: an article for a `response` record holding an HTTP 200 response
/// of HTML or plain text, else why it is skipped.
pub fn item(file: &str, record: &WarcRecord) -> Item {
    let skip = |reason: String| Item::Skipped {
        offset: record.offset,
        reason,
    };
    let kind = record.header("WARC-Type").unwrap_or("");
    if !kind.eq_ignore_ascii_case("response") {
        return skip(format!("a {kind} record"));
    }
    let response = match http::Response::parse(&record.block) {
        Ok(r) => r,
        Err(e) => return skip(format!("not an HTTP response: {e}")),
    };
    if response.status != 200 {
        return skip(format!("HTTP status {}", response.status));
    }
    let content_type = response.header("Content-Type").unwrap_or("").to_string();
    let media = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let html = match media.as_str() {
        "text/html" | "application/xhtml+xml" => true,
        "text/plain" => false,
        other => return skip(format!("content type {other:?}")),
    };
    let body = match response.body() {
        Ok(b) => b,
        Err(e) => {
            return Item::Failed {
                offset: record.offset,
                error: e,
            };
        }
    };
    let text = page::charset::decode_html(&body, Some(&content_type), None).text;
    let (html, text) = if html {
        (Some(text), None)
    } else {
        (None, Some(text))
    };
    Item::Article(Box::new(StreamRecord {
        id: record_id(file, record.offset),
        url: record.header("WARC-Target-URI").map(str::to_string),
        retrieved: record.header("WARC-Date").map(str::to_string),
        html,
        text,
        source: Some(RecordSource {
            file: file.to_string(),
            offset: record.offset,
        }),
        ..StreamRecord::default()
    }))
}

/// The items of a WARC file read from `input`; `file` is its name, without folders.
pub fn items<R: BufRead>(
    file: &str,
    input: R,
    max_record_bytes: u64,
) -> impl Iterator<Item = Item> {
    let file = file.to_string();
    Reader::new(input, max_record_bytes).map(move |record| match record {
        Ok(record) => item(&file, &record),
        Err(e) => Item::Failed {
            offset: match &e {
                WarcError::Record { offset, .. } | WarcError::Io { offset, .. } => *offset,
            },
            error: e.to_string(),
        },
    })
}

#[cfg(test)]
#[path = "warc/tests.rs"]
mod tests;

/// What `fetcher --warc` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarcSummary {
    pub files: usize,
    pub articles: usize,
    pub skipped: usize,
    /// Records (and files) that could not be read: each gave an error row.
    pub failed: usize,
}

/// Reads each WARC file and writes its articles to `out` as stream records, one JSON
/// object a line, and an error row (`{"error", "stage", "source": {"file", "offset"}}`)
/// for each record or file that cannot be read. Records other than articles are counted.
pub fn stream_files(
    paths: &[std::path::PathBuf],
    max_record_bytes: u64,
    mut out: impl io::Write,
) -> io::Result<WarcSummary> {
    let mut summary = WarcSummary::default();
    for path in paths {
        summary.files += 1;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let error_row = |offset: u64, error: &str| {
            serde_json::json!({"error": error, "stage": "fetcher",
                "source": {"file": file, "offset": offset}})
        };
        let input = match std::fs::File::open(path) {
            Ok(f) => io::BufReader::with_capacity(1 << 16, f),
            Err(e) => {
                summary.failed += 1;
                let row = error_row(0, &format!("cannot open {}: {e}", path.display()));
                writeln!(out, "{row}")?;
                continue;
            }
        };
        for item in items(&file, input, max_record_bytes) {
            match item {
                Item::Article(record) => {
                    summary.articles += 1;
                    serde_json::to_writer(&mut out, &record)?;
                    out.write_all(b"\n")?;
                }
                Item::Skipped { offset, reason } => {
                    summary.skipped += 1;
                    tracing::debug!(file, offset, reason, "record skipped");
                }
                Item::Failed { offset, error } => {
                    summary.failed += 1;
                    tracing::warn!(file, offset, error, "record not read");
                    writeln!(out, "{}", error_row(offset, &error))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(summary)
}
