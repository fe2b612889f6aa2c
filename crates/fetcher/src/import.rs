//! `fetcher --import`: local `.txt` and `.html` files into the corpus.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use corpus::{
    ArticleId, Corpus, CorpusError, HttpInfo, Origin, PubTime, RawArticle, RawFormat, WriteOutcome,
};

/// File name endings `--import` takes from a folder (a file named explicitly may have any).
pub const IMPORT_EXTENSIONS: &[&str] = &["txt", "text", "html", "htm"];

/// Why one file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: empty file")]
    Empty { path: PathBuf },
    #[error("{path}: {size} bytes is more than max_body_bytes ({limit} bytes)")]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    #[error("{path}: binary file (not text or HTML)")]
    Binary { path: PathBuf },
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset})")]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("{path}: {reason}")]
    BadName { path: PathBuf, reason: String },
    #[error("{path}: header line: {reason}")]
    BadHeader { path: PathBuf, reason: String },
    #[error(transparent)]
    Store(#[from] CorpusError),
}

/// The files `--import PATH` stands for: the file itself, or every file with an import
/// extension below a folder (hidden entries skipped), sorted.
pub fn expand_import_paths(path: &Path) -> Result<Vec<PathBuf>, ImportError> {
    let meta = fs::metadata(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = fs::read_dir(&dir).map_err(|source| ImportError::Read {
            path: dir.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| ImportError::Read {
                path: dir.clone(),
                source,
            })?;
            let p = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| IMPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Why a body is not stored, whether it came from the web or a file: nothing but white
/// space, or binary. The same checks for both, so that the same bytes are refused either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    Binary,
}

impl Refusal {
    pub fn of(bytes: &[u8]) -> Option<Refusal> {
        let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if unmarked.iter().all(u8::is_ascii_whitespace) {
            Some(Refusal::Empty)
        } else if looks_binary(unmarked) {
            Some(Refusal::Binary)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::Binary => "binary",
        }
    }
}

/// Reads one file into a raw article: id from the file name, format from the extension,
/// publication date from a leading ` date YYYY-MM-DD` line. A file larger than `max_bytes`
/// (`max_body_bytes`, the cap on a page from the web) is refused before it is read.
pub fn read_import(path: &Path, max_bytes: u64) -> Result<RawArticle, ImportError> {
    let read_error = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > max_bytes {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // at most the cap, even if the file grows while it is read
    std::io::Read::read_to_end(
        &mut std::io::Read::take(&mut file, max_bytes.saturating_add(1)),
        &mut bytes,
    )
    .map_err(read_error)?;
    if bytes.len() as u64 > max_bytes {
        return Err(ImportError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let id = ArticleId::new(stem).map_err(|e| ImportError::BadName {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let (text, charset) = decode_text(path, &bytes)?;
    let format = if is_html(path, &text) {
        RawFormat::Html
    } else {
        RawFormat::Text
    };
    let (header, body) = match format {
        RawFormat::Text => split_header(path, &text)?,
        RawFormat::Html => (ImportHeader::default(), text),
    };
    if body.trim().is_empty() {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut article = RawArticle::new(id, format, Origin::Import { file_name }, body);
    article.meta.published = header.date.map(PubTime::Date);
    article.meta.site_name = header.outlet;
    article.canonical_url = header.url;
    if let Some(name) = charset {
        article.http = Some(HttpInfo {
            charset: Some(name.to_string()),
            ..HttpInfo::default()
        });
    }
    Ok(article)
}

/// Reads and stores one file (see [`read_import`]); bytes that were not UTF-8 are kept as a
/// blob.
pub fn import_file(
    corpus: &Corpus,
    path: &Path,
    max_bytes: u64,
) -> Result<(ArticleId, WriteOutcome), ImportError> {
    let mut article = read_import(path, max_bytes)?;
    if article.http.as_ref().is_some_and(|h| h.charset.is_some()) {
        let bytes = fs::read(path).map_err(|source| ImportError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        article.raw_blob = Some(corpus.put_blob(&bytes)?);
    }
    let outcome = corpus.write_raw(&article)?;
    Ok((article.id, outcome))
}

/// The file as text, and the name of its encoding when it was not UTF-8. Text files must be
/// UTF-8; an HTML file may declare another charset (BOM or `<meta>`) or have one detected.
fn decode_text(path: &Path, bytes: &[u8]) -> Result<(String, Option<&'static str>), ImportError> {
    let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match Refusal::of(bytes) {
        Some(Refusal::Empty) => {
            return Err(ImportError::Empty {
                path: path.to_path_buf(),
            });
        }
        Some(Refusal::Binary) => {
            return Err(ImportError::Binary {
                path: path.to_path_buf(),
            });
        }
        None => {}
    }
    if has_html_extension(path) {
        let decoded = page::charset::decode_html(bytes, None, None);
        let declared = decoded.source != page::charset::CharsetSource::Guess;
        let utf8 = page::charset::Charset::Web(encoding_rs::UTF_8);
        if decoded.charset != utf8 && (declared || !decoded.had_errors) {
            return Ok((decoded.text, Some(decoded.charset.name())));
        }
    }
    utf8_text(path, unmarked).map(|t| (t.to_string(), None))
}

fn has_html_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm"))
}

fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty {
            path: path.to_path_buf(),
        });
    }
    if looks_binary(bytes) {
        return Err(ImportError::Binary {
            path: path.to_path_buf(),
        });
    }
    std::str::from_utf8(bytes).map_err(|e| ImportError::InvalidUtf8 {
        path: path.to_path_buf(),
        offset: e.valid_up_to(),
    })
}

/// NUL bytes, or many control characters in the first 8 KiB, mean a binary file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len()
}

fn is_html(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => true,
        Some("txt" | "text") => false,
        _ => {
            let head = text.trim_start().get(..256).unwrap_or(text.trim_start());
            let head = head.to_ascii_lowercase();
            head.starts_with("<!doctype html") || head.starts_with("<html")
        }
    }
}

/// What the header lines of an imported text file say: ` date YYYY-MM-DD`, ` outlet NAME`
/// and ` url URL`, in any order, each optional, before the article's text (the leading
/// space is optional). The date line alone may carry the article's first words after the
/// date; it then ends the header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportHeader {
    pub date: Option<NaiveDate>,
    pub outlet: Option<String>,
    pub url: Option<String>,
}

/// The longest outlet name a header line may give.
const MAX_OUTLET_CHARS: usize = 200;

/// Splits the header lines (see [`ImportHeader`]) off an imported text file.
pub fn split_header(path: &Path, text: &str) -> Result<(ImportHeader, String), ImportError> {
    let mut header = ImportHeader::default();
    let mut rest = text;
    loop {
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let line = rest[..line_end].trim_end_matches('\r');
        let marker = line.strip_prefix(' ').unwrap_or(line);
        let after = rest[line_end..].strip_prefix('\n').unwrap_or("");
        if let Some(value) = marker.strip_prefix("outlet ") {
            header.outlet = Some(outlet_name(path, value)?);
        } else if let Some(value) = marker.strip_prefix("url ") {
            header.url = Some(article_url(path, value)?);
        } else if let Some((date, same_line)) = date_marker(path, marker)? {
            header.date = Some(date);
            if !same_line.is_empty() {
                return Ok((header, format!("{same_line}{}", &rest[line_end..])));
            }
        } else {
            break;
        }
        rest = after;
    }
    Ok((header, rest.trim_start_matches(['\r', '\n']).to_string()))
}

/// A ` date YYYY-MM-DD` marker: the date and what follows it on the line. `None` when the
/// line is no marker ("date night in Paris").
fn date_marker<'a>(
    path: &Path,
    marker: &'a str,
) -> Result<Option<(NaiveDate, &'a str)>, ImportError> {
    let Some(rest) = marker.strip_prefix("date ") else {
        return Ok(None);
    };
    let date_text = rest.get(..10).unwrap_or("");
    let shaped = date_text.len() == 10
        && date_text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
        && rest[10..].chars().next().is_none_or(char::is_whitespace);
    if !shaped {
        return Ok(None);
    }
    let date =
        NaiveDate::parse_from_str(date_text, "%Y-%m-%d").map_err(|_| ImportError::BadHeader {
            path: path.to_path_buf(),
            reason: format!("impossible date {date_text:?}"),
        })?;
    Ok(Some((date, rest[10..].trim_start())))
}

fn outlet_name(path: &Path, value: &str) -> Result<String, ImportError> {
    let name = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty()
        || name.chars().count() > MAX_OUTLET_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ImportError::BadHeader {
            path: path.to_path_buf(),
            reason: format!("outlet name must be 1 to {MAX_OUTLET_CHARS} characters of text"),
        });
    }
    Ok(name)
}

/// The article's address: an absolute http(s) URL, kept as written.
fn article_url(path: &Path, value: &str) -> Result<String, ImportError> {
    let value = value.trim();
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
            Ok(value.to_string())
        }
        _ => Err(ImportError::BadHeader {
            path: path.to_path_buf(),
            reason: format!("url line is not an http(s) address: {value:?}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> (Option<String>, String) {
        let (h, body) = split_header(Path::new("t.txt"), text).unwrap();
        (h.date.map(|d| d.to_string()), body)
    }

    #[test]
    fn date_marker_forms() {
        assert_eq!(
            split(" date 2023-12-31 Headline\nBody"),
            (Some("2023-12-31".into()), "Headline\nBody".into())
        );
        assert_eq!(
            split("date 2023-12-31 Headline"),
            (Some("2023-12-31".into()), "Headline".into())
        );
        assert_eq!(
            split(" date 2024-01-01\n\nBody"),
            (Some("2024-01-01".into()), "Body".into())
        );
        assert_eq!(
            split("Ukraine responded\nBody"),
            (None, "Ukraine responded\nBody".into())
        );
        // Not a marker: the words "date" and a number that is no date.
        assert_eq!(split("date 20231231 x"), (None, "date 20231231 x".into()));
        assert_eq!(
            split("date night in Paris"),
            (None, "date night in Paris".into())
        );
    }

    #[test]
    fn impossible_date_is_an_error_naming_the_file() {
        let err = split_header(Path::new("x/a.txt"), " date 2023-13-45 Hi").unwrap_err();
        assert!(err.to_string().contains("x/a.txt"));
    }

    #[test]
    fn outlet_and_url_lines_in_any_order() {
        let text = " outlet  BBC   News \r\n url https://www.bbc.com/news/a?b=1%20c\n date 2024-01-02\n\nBody";
        let (h, body) = split_header(Path::new("t.txt"), text).unwrap();
        assert_eq!(h.outlet.as_deref(), Some("BBC News"));
        assert_eq!(h.url.as_deref(), Some("https://www.bbc.com/news/a?b=1%20c"));
        assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2024-01-02"));
        assert_eq!(body, "Body");
        // the date line with the first words ends the header
        let (h, body) = split_header(
            Path::new("t.txt"),
            "url https://x.org/a\ndate 2024-01-02 Hi\noutlet Y",
        )
        .unwrap();
        assert_eq!(
            (h.url.is_some(), h.outlet, body.as_str()),
            (true, None, "Hi\noutlet Y")
        );
        // not header lines: an article that starts with the word
        let (h, body) = split_header(Path::new("t.txt"), "Outlet malls closed\nBody").unwrap();
        assert_eq!(
            (h, body.as_str()),
            (ImportHeader::default(), "Outlet malls closed\nBody")
        );
    }

    #[test]
    fn bad_header_lines_name_the_file() {
        for text in [
            " url javascript:alert(1)\nBody",
            " url /a/b\nBody",
            " outlet \u{7}\nBody",
        ] {
            let err = split_header(Path::new("x/a.txt"), text).unwrap_err();
            assert!(
                matches!(err, ImportError::BadHeader { .. }),
                "{text:?}: {err}"
            );
            assert!(err.to_string().contains("x/a.txt"), "{err}");
        }
    }

    #[test]
    fn bad_files_name_themselves() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 4] = [
            ("empty.txt", b"", "empty"),
            ("blank.txt", b" \n\n ", "empty"),
            ("bin.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "binary"),
            ("latin.txt", b"caf\xe9 au lait", "UTF-8"),
        ];
        for (name, bytes, expect) in cases {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            let err = read_import(&path, u64::MAX).unwrap_err().to_string();
            assert!(err.contains(name) && err.contains(expect), "{name}: {err}");
        }
    }

    #[test]
    fn html_in_other_charsets_is_decoded_and_its_bytes_kept() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path().join("corpus")).unwrap();
        let declared =
            b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xe9 \x93cited\x94</p>";
        let sjis = encoding_rs::SHIFT_JIS
            .encode("<html><p>東京で地震が発生し、少なくとも十人が死亡したと警察が発表した。</p></html>")
            .0;
        let cases: [(&str, &[u8], &str, &str); 2] = [
            ("w1252.html", declared, "café “cited”", "windows-1252"),
            ("sjis.html", &sjis, "少なくとも十人が死亡", "Shift_JIS"),
        ];
        for (name, bytes, expect, charset) in cases {
            let path = dir.path().join(name);
            fs::write(&path, bytes).unwrap();
            let (id, _) = import_file(&corpus, &path, u64::MAX).unwrap();
            let stored = corpus.read_raw(&id).unwrap();
            assert!(stored.body.contains(expect), "{name}: {}", stored.body);
            assert_eq!(stored.http.unwrap().charset.as_deref(), Some(charset));
            let blob = corpus
                .read_blob(stored.raw_blob.as_deref().unwrap())
                .unwrap();
            assert_eq!(blob, bytes);
        }
        // A text file is still held to UTF-8.
        let path = dir.path().join("latin.txt");
        fs::write(&path, b"caf\xe9").unwrap();
        assert!(matches!(
            read_import(&path, u64::MAX),
            Err(ImportError::InvalidUtf8 { .. })
        ));
    }

    /// Issue 14, finding 6: `--import` has the web's size cap.
    #[test]
    fn files_over_the_size_cap_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.txt");
        fs::write(&path, "word ".repeat(100)).unwrap();
        assert!(read_import(&path, 500).is_ok());
        let err = read_import(&path, 499).unwrap_err();
        assert!(
            matches!(
                err,
                ImportError::TooLarge {
                    size: 500,
                    limit: 499,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("max_body_bytes"), "{err}");
    }

    #[test]
    fn refusals_are_the_same_for_any_body() {
        let cases: [(&[u8], Option<Refusal>); 5] = [
            (b"", Some(Refusal::Empty)),
            (b"\xEF\xBB\xBF \n\t", Some(Refusal::Empty)),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some(Refusal::Binary)),
            (b"<html><p>Ten people were killed.</p></html>", None),
            ("caf\u{e9}".as_bytes(), None),
        ];
        for (bytes, expect) in cases {
            assert_eq!(Refusal::of(bytes), expect, "{bytes:?}");
        }
    }

    #[test]
    fn a_date_line_alone_is_still_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.txt");
        fs::write(&path, " date 2023-12-31\n").unwrap();
        assert!(matches!(
            read_import(&path, u64::MAX),
            Err(ImportError::Empty { .. })
        ));
    }

    #[test]
    fn file_names_that_are_not_ids_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a b.txt");
        fs::write(&path, "text").unwrap();
        assert!(matches!(
            read_import(&path, u64::MAX),
            Err(ImportError::BadName { .. })
        ));
    }

    #[test]
    fn folders_expand_to_article_files_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a.html", "notes.md", ".hidden.txt"] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("sub/c.txt"), "x").unwrap();
        let names: Vec<_> = expand_import_paths(dir.path())
            .unwrap()
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(names, ["a.html", "b.txt", "sub/c.txt"]);
    }
}
