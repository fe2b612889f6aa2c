use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, PubTime, SCHEMA_VERSION};

/// An article as it arrived: from a feed, a sitemap, a URL or a local file. `body` is the
/// document decoded to UTF-8 (HTML or plain text); the bytes as received are kept as a blob
/// when they differ from `body`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RawArticle {
    pub schema: u32,
    pub id: ArticleId,
    pub format: RawFormat,
    pub origin: Origin,
    /// The URL that identifies the article (canonical link, tracking parameters removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
    pub retrieved_at: DateTime<Utc>,
    #[serde(default)]
    pub meta: ArticleMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_entry: Option<FeedEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpInfo>,
    /// SHA-256 of the bytes as received, stored under `blobs/` when they differ from `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_blob: Option<String>,
    /// SHA-256 of `body`: the version of this article.
    pub body_sha256: String,
    pub body: String,
}

impl RawArticle {
    /// A record for `body` with the current schema and hash; the caller fills in the rest.
    pub fn new(id: ArticleId, format: RawFormat, origin: Origin, body: String) -> Self {
        RawArticle {
            schema: SCHEMA_VERSION,
            id,
            format,
            origin,
            canonical_url: None,
            retrieved_at: Utc::now(),
            meta: ArticleMeta::default(),
            feed_entry: None,
            http: None,
            raw_blob: None,
            body_sha256: crate::sha256_hex(&body),
            body,
        }
    }

    /// The name a reader knows the outlet by: the site name (the page's publisher or
    /// `og:site_name`, or an imported file's ` outlet` line), else the URL's host, else the
    /// imported file's name.
    pub fn outlet(&self) -> String {
        if let Some(site) = self
            .meta
            .site_name
            .as_deref()
            .filter(|s| !s.trim().is_empty())
        {
            return site.trim().to_string();
        }
        let fetched = match &self.origin {
            Origin::Fetch { url, .. } => Some(url.as_str()),
            Origin::Import { .. } => None,
        };
        let host = [self.canonical_url.as_deref(), fetched]
            .into_iter()
            .flatten()
            .find_map(host_of);
        match (host, &self.origin) {
            (Some(host), _) => host,
            (None, Origin::Import { file_name }) => file_name.clone(),
            (None, Origin::Fetch { url, .. }) => url.clone(),
        }
    }

    /// The article's address for readers: its canonical URL, else the URL it was fetched
    /// from (an imported file has one only when its ` url` line gives it).
    pub fn url(&self) -> Option<&str> {
        self.canonical_url.as_deref().or(match &self.origin {
            Origin::Fetch { url, .. } => Some(url.as_str()),
            Origin::Import { .. } => None,
        })
    }
}

/// The host of a URL, without `www.` (`https://www.example.com/a` is `example.com`).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.trim_start_matches("www.").to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawFormat {
    Html,
    Text,
}

/// Where an article came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Origin {
    /// A local file passed to `fetcher --import`; only its file name is kept.
    Import { file_name: String },
    /// Downloaded: the URL requested, where redirects ended, and the configured source.
    Fetch {
        url: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        final_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
}

/// Metadata scraped from the page or given by the importer. Every field is optional: unknown
/// is never invented.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PubTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<PubTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canonical_url: Option<String>,
}

impl ArticleMeta {
    /// Fills each empty field of `self` from `other`.
    pub fn fill_from(&mut self, other: &ArticleMeta) {
        fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
            if a.is_none() {
                a.clone_from(b);
            }
        }
        fill(&mut self.title, &other.title);
        fill(&mut self.site_name, &other.site_name);
        fill(&mut self.published, &other.published);
        fill(&mut self.modified, &other.modified);
        fill(&mut self.language, &other.language);
        fill(&mut self.description, &other.description);
        fill(&mut self.canonical_url, &other.canonical_url);
        if self.authors.is_empty() {
            self.authors.clone_from(&other.authors);
        }
    }
}

/// What a feed said about the entry that led to this article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedEntry {
    pub feed_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PubTime>,
}

/// The HTTP response an article came from, validators kept as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpInfo {
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_prefers_site_name_then_host_then_file() {
        let id = ArticleId::new("a").unwrap();
        let fetched = Origin::Fetch {
            url: "https://www.example.com/x?y".into(),
            final_url: None,
            source: None,
        };
        let mut a = RawArticle::new(id.clone(), RawFormat::Html, fetched, String::new());
        assert_eq!(a.outlet(), "example.com");
        a.meta.site_name = Some("Example News".into());
        assert_eq!(a.outlet(), "Example News");
        let imported = Origin::Import {
            file_name: "a.txt".into(),
        };
        let mut b = RawArticle::new(id, RawFormat::Text, imported, String::new());
        assert_eq!((b.outlet().as_str(), b.url()), ("a.txt", None));
        b.canonical_url = Some("https://news.example.org/a".into());
        assert_eq!(b.outlet(), "news.example.org");
        assert_eq!(b.url(), Some("https://news.example.org/a"));
    }
}
