//! The HTTP response a WARC `response` record holds: status line, header fields, body (with
//! its transfer coding and content coding undone, when the crawler kept them).

use std::io::Read;

/// A body larger than this once decoded is refused.
const MAX_DECODED_BYTES: u64 = 64 << 20;

pub struct Response<'a> {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    raw_body: &'a [u8],
}

impl<'a> Response<'a> {
    pub fn parse(block: &'a [u8]) -> Result<Response<'a>, String> {
        let end = memchr::memmem::find(block, b"\r\n\r\n")
            .map(|i| (i, i + 4))
            .or_else(|| memchr::memmem::find(block, b"\n\n").map(|i| (i, i + 2)))
            .ok_or("no blank line after the header fields")?;
        let head = String::from_utf8_lossy(&block[..end.0]);
        let mut lines = head.lines();
        let status_line = lines.next().unwrap_or("");
        let mut parts = status_line.split_whitespace();
        let status = match (parts.next(), parts.next()) {
            (Some(v), Some(code)) if v.starts_with("HTTP/") => code
                .parse()
                .map_err(|_| format!("bad status line {status_line:?}"))?,
            _ => return Err(format!("bad status line {status_line:?}")),
        };
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
            .collect();
        Ok(Response {
            status,
            headers,
            raw_body: &block[end.1..],
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        super::header(&self.headers, name)
    }

    /// The body as the server meant it: chunks joined, gzip or deflate undone.
    pub fn body(&self) -> Result<Vec<u8>, String> {
        let chunked = self
            .header("Transfer-Encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        let body = if chunked {
            dechunk(self.raw_body)?
        } else {
            self.raw_body.to_vec()
        };
        let coding = self
            .header("Content-Encoding")
            .unwrap_or("identity")
            .to_ascii_lowercase();
        let mut out = Vec::new();
        let read = match coding.trim() {
            "" | "identity" => return Ok(body),
            "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
                .take(MAX_DECODED_BYTES)
                .read_to_end(&mut out),
            "deflate" => flate2::read::ZlibDecoder::new(&body[..])
                .take(MAX_DECODED_BYTES)
                .read_to_end(&mut out),
            other => return Err(format!("content coding {other:?} is not read")),
        };
        read.map_err(|e| format!("cannot undo the content coding {coding}: {e}"))?;
        Ok(out)
    }
}

/// The chunks of a `Transfer-Encoding: chunked` body joined.
fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(body.len());
    loop {
        let line_end = memchr::memchr(b'\n', body).ok_or("a chunk without its size line")?;
        let line = String::from_utf8_lossy(&body[..line_end]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| format!("bad chunk size {size_text:?}"))?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Ok(out);
        }
        let chunk = body.get(..size).ok_or("a chunk ends early")?;
        out.extend_from_slice(chunk);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}
