//! Discovery: article URLs from feeds (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed: [`crate::feed`]),
//! sitemaps and sitemap indexes (news sitemaps included, gzip or not) and plain URL lists.
//! Pure: bytes in, entries out; fetching them is the crawler's job.

use std::io::Read;

use chrono::Utc;
use corpus::{ArticleMeta, FeedEntry, PubTime};
use quick_xml::events::Event;
use url::Url;

use crate::urls::{join_http, parse_http};
use page::dates::parse_date;
use page::meta::language_tag;

/// An article URL found by discovery, with what the source said about it. Small when the
/// source said nothing more (a plain sitemap or list): a large sitemap makes many of these.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub url: Url,
    pub about: Option<Box<About>>,
}

/// What a feed or sitemap said about an entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    pub feed_entry: Option<FeedEntry>,
    /// Metadata the source gave (news sitemap title, language, publication date, ...).
    pub hint: ArticleMeta,
    /// When the source says the page last changed.
    pub lastmod: Option<PubTime>,
    /// Words a keyword filter looks at besides the URL: title, summary, keywords.
    pub text: String,
}

impl About {
    /// `None` when there is nothing to say.
    pub fn boxed(self) -> Option<Box<About>> {
        (self != About::default()).then(|| Box::new(self))
    }
}

impl Entry {
    pub fn bare(url: Url) -> Entry {
        Entry { url, about: None }
    }

    pub fn hint(&self) -> Option<&ArticleMeta> {
        self.about.as_ref().map(|a| &a.hint)
    }

    pub fn feed_entry(&self) -> Option<&FeedEntry> {
        self.about.as_ref()?.feed_entry.as_ref()
    }

    pub fn lastmod(&self) -> Option<PubTime> {
        self.about.as_ref()?.lastmod
    }

    /// Whether any keyword occurs (case-insensitive) in the entry's text or URL.
    pub fn matches(&self, keywords: &[String]) -> bool {
        if keywords.is_empty() {
            return true;
        }
        let text = self
            .about
            .as_ref()
            .map(|a| a.text.as_str())
            .unwrap_or_default();
        let haystack = format!("{text} {}", self.url).to_lowercase();
        let url_words = haystack.replace(['-', '_', '/', '+'], " ");
        keywords.iter().any(|k| {
            let k = k.to_lowercase();
            haystack.contains(&k) || url_words.contains(&k)
        })
    }

    fn newest(&self) -> Option<chrono::DateTime<Utc>> {
        let about = self.about.as_ref()?;
        about.hint.published.or(about.lastmod).map(|t| t.sort_key())
    }
}

/// Sorts entries newest first (entries without a date keep their order, after dated ones), so
/// that a per-source limit keeps the latest articles.
pub fn newest_first(entries: &mut [Entry]) {
    entries.sort_by_key(|e| std::cmp::Reverse(e.newest()));
}

/// Why a feed, sitemap or list could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{url}: not a feed: {reason}")]
    Feed { url: Url, reason: String },
    #[error("{url}: not a sitemap: {reason}")]
    Sitemap { url: Url, reason: String },
    #[error("{url}: larger than {limit} bytes after decompression")]
    TooLarge { url: Url, limit: u64 },
    #[error("{url}: the {what} reader panicked on this document")]
    Panicked { url: Url, what: &'static str },
}

/// Runs a reader of one document, turning a panic into an error of that document (so that
/// it is counted as a failed item and the run goes on).
pub fn caught<T>(
    what: &'static str,
    url: &Url,
    read: impl FnOnce() -> Result<T, DiscoverError>,
) -> Result<T, DiscoverError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(DiscoverError::Panicked {
            url: url.clone(),
            what,
        })
    })
}

/// Reads a feed (see [`crate::feed`]): bytes decoded by `page::charset` (a byte order mark,
/// UTF-16 or UTF-32 sniffed, the `Content-Type` charset, the XML declaration). Entries without
/// a usable http(s) link are skipped; the feed's own GUIDs are kept (none is invented).
pub fn parse_feed(
    bytes: &[u8],
    content_type: Option<&str>,
    feed_url: &Url,
) -> Result<Vec<Entry>, DiscoverError> {
    let text = page::charset::decode_xml(bytes, content_type).text;
    let feed = crate::feed::read(&text, feed_url).map_err(|reason| DiscoverError::Feed {
        url: feed_url.clone(),
        reason,
    })?;
    let site = feed.title.clone();
    let feed_language = feed.language.as_deref().and_then(language_tag);
    let mut entries = Vec::new();
    for item in feed.items {
        // An entry without a link may be known by a web address as its id (Atom).
        let link = item.link.clone().or_else(|| {
            let id = Url::parse(item.id.as_deref()?).ok()?;
            matches!(id.scheme(), "http" | "https").then_some(id)
        });
        let Some(url) = link.and_then(|l| join_http(feed_url, l.as_str()).ok()) else {
            continue;
        };
        entries.push(entry(url, item, feed_url, &site, &feed_language));
    }
    Ok(entries)
}

fn entry(
    url: Url,
    item: crate::feed::Item,
    feed_url: &Url,
    site: &Option<String>,
    feed_language: &Option<String>,
) -> Entry {
    let published = item.published.or(item.updated);
    let text = [
        item.title.clone().unwrap_or_default(),
        item.summary.clone().unwrap_or_default(),
        item.categories.join(" "),
    ]
    .join(" ");
    let about = About {
        hint: ArticleMeta {
            title: item.title.clone(),
            authors: item.authors,
            site_name: site.clone(),
            published,
            language: item
                .language
                .as_deref()
                .and_then(language_tag)
                .or(feed_language.clone()),
            ..ArticleMeta::default()
        },
        lastmod: item.updated,
        feed_entry: Some(FeedEntry {
            feed_url: feed_url.to_string(),
            guid: item.id.filter(|g| !g.is_empty()),
            title: item.title,
            summary: item.summary,
            published,
        }),
        text,
    };
    Entry {
        url,
        about: about.boxed(),
    }
}

/// A sitemap is a list of pages or an index of further sitemaps.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    Urls(Vec<Entry>),
    /// Child sitemaps with their `lastmod`, newest first.
    Index(Vec<(Url, Option<PubTime>)>),
}

/// Decompresses gzip (recognised by its magic bytes, whatever the name) within `limit`.
pub fn gunzip_capped<'a>(
    bytes: &'a [u8],
    url: &Url,
    limit: u64,
) -> Result<std::borrow::Cow<'a, [u8]>, DiscoverError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| DiscoverError::Sitemap {
            url: url.clone(),
            reason: format!("bad gzip: {e}"),
        })?;
    if out.len() as u64 > limit {
        return Err(DiscoverError::TooLarge {
            url: url.clone(),
            limit,
        });
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Reads a sitemap (`<urlset>`, with Google News extensions) or sitemap index
/// (`<sitemapindex>`). Locations that are not http(s) URLs are skipped.
pub fn parse_sitemap(bytes: &[u8], url: &Url, limit: u64) -> Result<Sitemap, DiscoverError> {
    let xml = gunzip_capped(bytes, url, limit)?;
    let bad = |reason: String| DiscoverError::Sitemap {
        url: url.clone(),
        reason,
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_ref());
    let mut buf = Vec::new();
    let mut sitemap = SitemapReader::default();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        match event {
            Event::Start(e) => sitemap.start(e.local_name().into_inner().to_ascii_lowercase()),
            Event::Text(t) => sitemap.text.push_str(&t.xml10_content()),
            Event::CData(t) => sitemap.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => {
                        quick_xml::escape::resolve_predefined_entity(r.as_ref()).map(str::to_string)
                    }
                };
                sitemap.text.push_str(&resolved.unwrap_or_default());
            }
            Event::End(_) => sitemap.end(url),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let SitemapReader {
        root,
        pages,
        mut children,
        ..
    } = sitemap;
    match root.as_deref() {
        Some("urlset") => Ok(Sitemap::Urls(pages)),
        Some("sitemapindex") => {
            children.sort_by_key(|(_, lastmod)| std::cmp::Reverse(lastmod.map(|t| t.sort_key())));
            Ok(Sitemap::Index(children))
        }
        Some(other) => Err(bad(format!(
            "root element <{other}> is neither <urlset> nor <sitemapindex>"
        ))),
        None => Err(bad("no XML elements".into())),
    }
}

/// What a sitemap has given so far, as its elements open and close.
#[derive(Default)]
struct SitemapReader {
    /// The open elements' names, lower-cased.
    path: Vec<String>,
    root: Option<String>,
    /// The text of the innermost element so far.
    text: String,
    current: SitemapItem,
    pages: Vec<Entry>,
    children: Vec<(Url, Option<PubTime>)>,
}

impl SitemapReader {
    fn start(&mut self, name: String) {
        if self.root.is_none() {
            self.root = Some(name.clone());
        }
        if name == "url" || name == "sitemap" {
            self.current = SitemapItem::default();
        }
        self.path.push(name);
        self.text.clear();
    }

    fn end(&mut self, url: &Url) {
        let name = self.path.pop().unwrap_or_default();
        let value = self.text.trim().to_string();
        self.text.clear();
        let current = &mut self.current;
        match name.as_str() {
            "loc" => current.loc = Some(value),
            "lastmod" => current.lastmod = parse_date(&value),
            "title" => current.title = Some(value).filter(|v| !v.is_empty()),
            "publication_date" => current.published = parse_date(&value),
            "language" => current.language = language_tag(&value),
            "keywords" => current.keywords = value,
            "name" if self.path.last().is_some_and(|p| p == "publication") => {
                current.site = Some(value).filter(|v| !v.is_empty())
            }
            "url" => {
                if let Some(entry) = std::mem::take(current).into_entry(url) {
                    self.pages.push(entry);
                }
            }
            "sitemap" => {
                let item = std::mem::take(current);
                if let Some(child) = item.loc.and_then(|l| join_http(url, &l).ok()) {
                    self.children.push((child, item.lastmod));
                }
            }
            _ => {}
        }
    }
}

#[derive(Default)]
struct SitemapItem {
    loc: Option<String>,
    lastmod: Option<PubTime>,
    title: Option<String>,
    published: Option<PubTime>,
    language: Option<String>,
    keywords: String,
    site: Option<String>,
}

impl SitemapItem {
    fn into_entry(self, sitemap_url: &Url) -> Option<Entry> {
        let url = join_http(sitemap_url, self.loc.as_deref()?).ok()?;
        let text = match (&self.title, self.keywords.is_empty()) {
            (None, true) => String::new(),
            (title, _) => format!("{} {}", title.as_deref().unwrap_or_default(), self.keywords),
        };
        let about = About {
            feed_entry: None,
            hint: ArticleMeta {
                title: self.title,
                site_name: self.site,
                published: self.published,
                language: self.language,
                ..ArticleMeta::default()
            },
            lastmod: self.lastmod,
            text,
        };
        Some(Entry {
            url,
            about: about.boxed(),
        })
    }
}

/// A plain list of URLs, one a line; blank lines and `#` comments skipped. Lines that are not
/// http(s) URLs are returned apart, to be reported.
pub fn parse_url_list(text: &str) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_http(line) {
            Ok(url) => entries.push(Entry::bare(url)),
            Err(_) => bad.push(line.to_string()),
        }
    }
    (entries, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://example.com/feeds/world.xml").unwrap()
    }

    fn urls(entries: &[Entry]) -> Vec<String> {
        entries.iter().map(|e| e.url.to_string()).collect()
    }

    #[test]
    fn a_panicking_reader_is_an_error_of_its_document() {
        let err = caught("feed", &base(), || -> Result<(), DiscoverError> {
            panic!("boom")
        })
        .unwrap_err();
        assert!(
            matches!(err, DiscoverError::Panicked { what: "feed", .. }),
            "{err}"
        );
    }

    #[test]
    fn rss2_atom_and_json_feed() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Example World</title>
            <item><title>Quake hits city</title><link>https://example.com/a?utm_source=rss</link>
              <guid isPermaLink="false">story-123</guid><pubDate>Sat, 30 Dec 2023 15:05:00 GMT</pubDate>
              <description>At least ten dead</description></item>
            <item><title>No link</title></item>
            <item><title>Relative</title><link>/b</link></item>
            </channel></rss>"#;
        let e = parse_feed(rss, None, &base()).unwrap();
        assert_eq!(
            urls(&e),
            [
                "https://example.com/a?utm_source=rss",
                "https://example.com/b"
            ]
        );
        let fe = e[0].feed_entry().unwrap();
        assert_eq!(fe.guid.as_deref(), Some("story-123"));
        assert_eq!(fe.summary.as_deref(), Some("At least ten dead"));
        assert_eq!(
            e[0].hint().unwrap().published.unwrap().to_string(),
            "2023-12-30T15:05:00+00:00"
        );
        assert_eq!(
            e[0].hint().unwrap().site_name.as_deref(),
            Some("Example World")
        );
        assert_eq!(e[1].feed_entry().unwrap().guid, None);

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
            <entry><id>tag:example.com,2024:1</id><title>Blast</title>
            <link rel="alternate" href="https://example.com/blast"/><updated>2024-01-02T03:04:05Z</updated>
            <author><name>Reporter</name></author></entry></feed>"#;
        let e = parse_feed(atom, None, &base()).unwrap();
        assert_eq!(urls(&e), ["https://example.com/blast"]);
        assert_eq!(e[0].hint().unwrap().authors, ["Reporter"]);

        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J",
            "items":[{"id":"j1","url":"https://example.com/j1","title":"Shooting","date_published":"2017-10-02T06:00:00Z"}]}"#;
        let e = parse_feed(json, None, &base()).unwrap();
        assert_eq!(urls(&e), ["https://example.com/j1"]);
        assert_eq!(e[0].feed_entry().unwrap().guid.as_deref(), Some("j1"));

        let rss1 = br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
            <channel rdf:about="https://example.com/"><title>R</title><link>https://example.com/</link></channel>
            <item rdf:about="https://example.com/r1"><title>One</title><link>https://example.com/r1</link></item></rdf:RDF>"#;
        assert_eq!(
            urls(&parse_feed(rss1, None, &base()).unwrap()),
            ["https://example.com/r1"]
        );

        let err = parse_feed(b"<html><body>not a feed</body></html>", None, &base()).unwrap_err();
        assert!(
            err.to_string().contains("example.com/feeds/world.xml"),
            "{err}"
        );
    }

    #[test]
    fn news_sitemap_with_entities_and_index() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>https://example.com/a?x=1&amp;y=2&amp;utm_medium=s</loc><lastmod>2023-12-30</lastmod>
              <news:news><news:publication><news:name>Example Times</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2023-12-30T18:00:00+03:00</news:publication_date><news:title>Strike &#8211; latest</news:title>
              <news:keywords>explosion, city</news:keywords></news:news></url>
            <url><loc>mailto:x@example.com</loc></url>
            <url><loc><![CDATA[https://example.com/b]]></loc></url>
            </urlset>"#;
        let Sitemap::Urls(e) = parse_sitemap(xml, &base(), 1 << 20).unwrap() else {
            panic!()
        };
        assert_eq!(
            urls(&e),
            [
                "https://example.com/a?x=1&y=2&utm_medium=s",
                "https://example.com/b"
            ]
        );
        assert_eq!(
            e[0].hint().unwrap().title.as_deref(),
            Some("Strike – latest")
        );
        assert_eq!(
            e[0].hint().unwrap().site_name.as_deref(),
            Some("Example Times")
        );
        assert_eq!(e[0].hint().unwrap().language.as_deref(), Some("en"));
        assert!(e[0].matches(&["EXPLOSION".into()]));
        assert!(!e[1].matches(&["explosion".into()]));

        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://example.com/s-2023-11.xml</loc><lastmod>2023-11-30</lastmod></sitemap>
            <sitemap><loc>https://example.com/s-2023-12.xml.gz</loc><lastmod>2023-12-31</lastmod></sitemap>
            </sitemapindex>"#;
        let Sitemap::Index(children) = parse_sitemap(index, &base(), 1 << 20).unwrap() else {
            panic!()
        };
        assert_eq!(
            children[0].0.as_str(),
            "https://example.com/s-2023-12.xml.gz"
        );

        assert!(parse_sitemap(b"<html></html>", &base(), 1 << 20).is_err());
        assert!(parse_sitemap(b"", &base(), 1 << 20).is_err());
    }

    #[test]
    fn gzip_is_recognised_and_capped() {
        use std::io::Write;
        let xml = br#"<urlset><url><loc>https://example.com/z</loc></url></urlset>"#;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(xml).unwrap();
        let gz = gz.finish().unwrap();
        let Sitemap::Urls(e) = parse_sitemap(&gz, &base(), 1 << 20).unwrap() else {
            panic!()
        };
        assert_eq!(urls(&e), ["https://example.com/z"]);
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        bomb.write_all(&vec![b' '; 4 << 20]).unwrap();
        let bomb = bomb.finish().unwrap();
        assert!(matches!(
            parse_sitemap(&bomb, &base(), 1 << 20),
            Err(DiscoverError::TooLarge { .. })
        ));
    }

    #[test]
    fn url_lists_and_keyword_filters() {
        let (e, bad) =
            parse_url_list("# list\nhttps://example.com/quake-kills-ten\n\nftp://x/y\nnot a url\n");
        assert_eq!(urls(&e), ["https://example.com/quake-kills-ten"]);
        assert_eq!(bad, ["ftp://x/y", "not a url"]);
        assert!(e[0].matches(&["quake kills".into()]));
        assert!(e[0].matches(&[]));
        assert!(!e[0].matches(&["flood".into()]));
    }

    #[test]
    fn newest_first_keeps_undated_last() {
        let mut e: Vec<Entry> = ["a", "b", "c"]
            .iter()
            .map(|p| Entry::bare(base().join(p).unwrap()))
            .collect();
        let mut b = About::default();
        b.hint.published = PubTime::parse("2024-01-01");
        e[1].about = b.boxed();
        e[2].about = About {
            lastmod: PubTime::parse("2024-02-01"),
            ..About::default()
        }
        .boxed();
        newest_first(&mut e);
        assert_eq!(
            urls(&e),
            [
                "https://example.com/feeds/c",
                "https://example.com/feeds/b",
                "https://example.com/feeds/a"
            ]
        );
    }
}
