//! The `[fetcher]` section of `crosscheck.toml` and the settings a run uses. Every setting
//! has a named default here; flags override the file, the file overrides the defaults.

use std::time::Duration;

use serde::Deserialize;

/// The User-Agent sent with every request: a product token robots.txt can name, a version,
/// and where a site operator finds out who we are.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "crosscheck/",
    env!("CARGO_PKG_VERSION"),
    " (+https://github.com/crosscheck-news/crosscheck; news research crawler)"
);
/// Requests in flight to one host at once.
pub const DEFAULT_HOST_CONCURRENCY: usize = 1;
/// Seconds between the starts of two requests to one host.
pub const DEFAULT_HOST_DELAY: f64 = 1.0;
/// The largest robots.txt `Crawl-delay` honoured, in seconds (a larger one is cut to this).
pub const DEFAULT_MAX_CRAWL_DELAY: f64 = 30.0;
/// Requests in flight across all hosts.
pub const DEFAULT_MAX_CONNECTIONS: usize = 32;
/// Seconds to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: f64 = 10.0;
/// Seconds for a whole request, body included.
pub const DEFAULT_REQUEST_TIMEOUT: f64 = 30.0;
/// Largest body read, counted after decompression (20 MB).
pub const DEFAULT_MAX_BODY_BYTES: u64 = 20 * 1024 * 1024;
/// Redirects followed from one URL.
pub const DEFAULT_MAX_REDIRECTS: usize = 10;
/// Further attempts after a retryable failure (408, 429, 5xx, connection error).
pub const DEFAULT_RETRIES: u32 = 3;
/// Backoff before the first retry, in seconds; doubles each time, with jitter.
pub const DEFAULT_RETRY_BASE_DELAY: f64 = 1.0;
/// Longest backoff between two attempts, in seconds.
pub const DEFAULT_RETRY_MAX_DELAY: f64 = 30.0;
/// Longest `Retry-After` waited for, in seconds; a longer one defers the URL to a later run.
pub const DEFAULT_MAX_RETRY_AFTER: f64 = 120.0;
/// Seconds before an already fetched article is asked for again (conditionally).
pub const DEFAULT_REVISIT_AFTER: f64 = 3600.0;
/// Sitemap index nesting followed (an index of indexes of sitemaps is depth 2).
pub const DEFAULT_SITEMAP_MAX_DEPTH: usize = 3;
/// Sitemap files read per source and run, the index included.
pub const DEFAULT_SITEMAP_MAX_FILES: usize = 50;
/// Articles taken from one source per run (newest first where the source gives dates).
pub const DEFAULT_MAX_ARTICLES_PER_SOURCE: usize = 1000;
/// Backoff of a failing source across runs, in seconds: doubled per consecutive failure.
pub const DEFAULT_SOURCE_BACKOFF: f64 = 600.0;
/// Longest backoff of a failing source, in seconds.
pub const DEFAULT_SOURCE_BACKOFF_MAX: f64 = 86400.0;
/// Largest feed, sitemap or URL list read (after decompression).
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 50 * 1024 * 1024;
/// Seconds between two saves of the fetcher state during a run.
pub const STATE_SAVE_INTERVAL: Duration = Duration::from_secs(2);
/// Largest robots.txt read (RFC 9309 asks for at least 500 KiB).
pub const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

/// The `[fetcher]` section of `crosscheck.toml`. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetcherConfig {
    /// Sources fetched on every run.
    #[serde(default)]
    pub sources: Vec<SourceConfig>,
    pub user_agent: Option<String>,
    pub host_concurrency: Option<usize>,
    pub host_delay: Option<f64>,
    pub max_crawl_delay: Option<f64>,
    pub max_connections: Option<usize>,
    pub connect_timeout: Option<f64>,
    pub request_timeout: Option<f64>,
    pub max_body_bytes: Option<u64>,
    pub max_document_bytes: Option<u64>,
    pub max_redirects: Option<usize>,
    pub retries: Option<u32>,
    pub retry_base_delay: Option<f64>,
    pub retry_max_delay: Option<f64>,
    pub max_retry_after: Option<f64>,
    pub allow_private_networks: Option<bool>,
    pub revisit_after: Option<f64>,
    pub sitemap_max_depth: Option<usize>,
    pub sitemap_max_files: Option<usize>,
    pub max_articles_per_source: Option<usize>,
    pub source_backoff: Option<f64>,
    pub source_backoff_max: Option<f64>,
    pub max_runtime: Option<f64>,
}

/// One configured source.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub name: String,
    pub kind: SourceKind,
    /// The feed, sitemap, page or list URL; for `robots`, any URL of the site; for `list`,
    /// also a local file (relative to the config file).
    pub url: String,
    /// Only entries whose title, summary, keywords or URL contain one of these words
    /// (case-insensitive) are fetched. Empty: all.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Overrides `max_articles_per_source` for this source.
    #[serde(default)]
    pub max_articles: Option<usize>,
    /// Overrides `sitemap_max_files` for this source.
    #[serde(default)]
    pub sitemap_max_files: Option<usize>,
}

impl SourceConfig {
    /// A source given on the command line: named by its URL, no filter, default limits.
    pub fn ad_hoc(kind: SourceKind, url: &str) -> SourceConfig {
        SourceConfig {
            name: url.to_string(),
            kind,
            url: url.to_string(),
            keywords: Vec::new(),
            max_articles: None,
            sitemap_max_files: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// RSS 0.9x/1.0/2.0, Atom or JSON Feed.
    Feed,
    /// A sitemap or sitemap index (news sitemaps included; `.xml.gz` too).
    Sitemap,
    /// The `Sitemap:` lines of the site's robots.txt.
    Robots,
    /// One article page.
    Url,
    /// A plain text list of article URLs, one a line (`#` starts a comment).
    List,
}

/// The settings one run uses, defaults filled in.
#[derive(Debug, Clone)]
pub struct Settings {
    pub user_agent: String,
    pub host_concurrency: usize,
    pub host_delay: Duration,
    pub max_crawl_delay: Duration,
    pub max_connections: usize,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    pub max_body_bytes: u64,
    pub max_document_bytes: u64,
    pub max_redirects: usize,
    pub retries: u32,
    pub retry_base_delay: Duration,
    pub retry_max_delay: Duration,
    pub max_retry_after: Duration,
    pub allow_private_networks: bool,
    pub revisit_after: Duration,
    pub sitemap_max_depth: usize,
    pub sitemap_max_files: usize,
    pub max_articles_per_source: usize,
    pub source_backoff: Duration,
    pub source_backoff_max: Duration,
    pub max_runtime: Option<Duration>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::from_config(&FetcherConfig::default()).expect("defaults are valid")
    }
}

/// A setting out of range, named by its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("[fetcher] {key}: {reason}")]
pub struct SettingError {
    pub key: &'static str,
    pub reason: String,
}

fn seconds(key: &'static str, value: Option<f64>, default: f64) -> Result<Duration, SettingError> {
    let v = value.unwrap_or(default);
    Duration::try_from_secs_f64(v).map_err(|_| SettingError {
        key,
        reason: format!("{v} is not a number of seconds >= 0"),
    })
}

fn at_least_one(
    key: &'static str,
    value: Option<usize>,
    default: usize,
) -> Result<usize, SettingError> {
    match value.unwrap_or(default) {
        0 => Err(SettingError {
            key,
            reason: "must be at least 1".into(),
        }),
        n => Ok(n),
    }
}

impl Settings {
    /// Settings from the config section, defaults for what it leaves out.
    pub fn from_config(c: &FetcherConfig) -> Result<Settings, SettingError> {
        let user_agent = c
            .user_agent
            .clone()
            .unwrap_or_else(|| DEFAULT_USER_AGENT.to_string());
        if user_agent.trim().is_empty()
            || reqwest::header::HeaderValue::from_str(&user_agent).is_err()
        {
            return Err(SettingError {
                key: "user_agent",
                reason: "must be a non-empty header value".into(),
            });
        }
        Ok(Settings {
            user_agent,
            host_concurrency: at_least_one(
                "host_concurrency",
                c.host_concurrency,
                DEFAULT_HOST_CONCURRENCY,
            )?,
            host_delay: seconds("host_delay", c.host_delay, DEFAULT_HOST_DELAY)?,
            max_crawl_delay: seconds(
                "max_crawl_delay",
                c.max_crawl_delay,
                DEFAULT_MAX_CRAWL_DELAY,
            )?,
            max_connections: at_least_one(
                "max_connections",
                c.max_connections,
                DEFAULT_MAX_CONNECTIONS,
            )?,
            connect_timeout: seconds(
                "connect_timeout",
                c.connect_timeout,
                DEFAULT_CONNECT_TIMEOUT,
            )?,
            request_timeout: seconds(
                "request_timeout",
                c.request_timeout,
                DEFAULT_REQUEST_TIMEOUT,
            )?,
            max_body_bytes: c.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            max_document_bytes: c.max_document_bytes.unwrap_or(DEFAULT_MAX_DOCUMENT_BYTES),
            max_redirects: c.max_redirects.unwrap_or(DEFAULT_MAX_REDIRECTS),
            retries: c.retries.unwrap_or(DEFAULT_RETRIES),
            retry_base_delay: seconds(
                "retry_base_delay",
                c.retry_base_delay,
                DEFAULT_RETRY_BASE_DELAY,
            )?,
            retry_max_delay: seconds(
                "retry_max_delay",
                c.retry_max_delay,
                DEFAULT_RETRY_MAX_DELAY,
            )?,
            max_retry_after: seconds(
                "max_retry_after",
                c.max_retry_after,
                DEFAULT_MAX_RETRY_AFTER,
            )?,
            allow_private_networks: c.allow_private_networks.unwrap_or(false),
            revisit_after: seconds("revisit_after", c.revisit_after, DEFAULT_REVISIT_AFTER)?,
            sitemap_max_depth: c.sitemap_max_depth.unwrap_or(DEFAULT_SITEMAP_MAX_DEPTH),
            sitemap_max_files: at_least_one(
                "sitemap_max_files",
                c.sitemap_max_files,
                DEFAULT_SITEMAP_MAX_FILES,
            )?,
            max_articles_per_source: at_least_one(
                "max_articles_per_source",
                c.max_articles_per_source,
                DEFAULT_MAX_ARTICLES_PER_SOURCE,
            )?,
            source_backoff: seconds("source_backoff", c.source_backoff, DEFAULT_SOURCE_BACKOFF)?,
            source_backoff_max: seconds(
                "source_backoff_max",
                c.source_backoff_max,
                DEFAULT_SOURCE_BACKOFF_MAX,
            )?,
            max_runtime: c
                .max_runtime
                .map(|v| seconds("max_runtime", Some(v), 0.0))
                .transpose()?,
        })
    }

    /// The product token robots.txt groups are matched against: the User-Agent up to its
    /// first `/` or space (`crosscheck`).
    pub fn robots_token(&self) -> String {
        self.user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let s = Settings::default();
        assert_eq!(s.host_concurrency, 1);
        assert_eq!(s.host_delay, Duration::from_secs(1));
        assert_eq!(s.max_body_bytes, 20 * 1024 * 1024);
        assert_eq!(s.robots_token(), "crosscheck");
        assert!(s.user_agent.contains("+https://"));
        let c: FetcherConfig = toml::from_str("host_delay = 0.25\nhost_concurrency = 4\n").unwrap();
        let s = Settings::from_config(&c).unwrap();
        assert_eq!(
            (s.host_delay, s.host_concurrency),
            (Duration::from_millis(250), 4)
        );
    }

    #[test]
    fn bad_values_name_their_key() {
        let c: FetcherConfig = toml::from_str("host_delay = -1.0").unwrap();
        assert_eq!(Settings::from_config(&c).unwrap_err().key, "host_delay");
        let c: FetcherConfig = toml::from_str("host_concurrency = 0").unwrap();
        assert_eq!(
            Settings::from_config(&c).unwrap_err().key,
            "host_concurrency"
        );
        assert!(toml::from_str::<FetcherConfig>("host_dealy = 1.0").is_err());
    }

    /// The shipped config documents every key: uncommenting its examples gives a valid
    /// section that sets every field.
    #[test]
    fn shipped_config_documents_every_key() {
        let shipped = include_str!("../../../config/crosscheck.toml");
        let section = shipped
            .split("[fetcher]")
            .nth(1)
            .and_then(|s| s.split("\n[").next())
            .unwrap();
        let examples: String = section
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| l.split_whitespace().nth(1) == Some("=") && !l.starts_with(' '))
            .filter(|l| {
                !["name", "kind", "url", "keywords", "max_articles"]
                    .contains(&l.split(' ').next().unwrap())
            })
            .map(|l| format!("{}\n", l.split("  #").next().unwrap().trim()))
            .collect();
        let table: toml::Table = toml::from_str(&examples).unwrap();
        let config: FetcherConfig = toml::from_str(&examples).unwrap();
        Settings::from_config(&config).unwrap();
        let json = serde_json::to_value(table).unwrap();
        for key in [
            "user_agent",
            "host_concurrency",
            "host_delay",
            "max_crawl_delay",
            "max_connections",
            "connect_timeout",
            "request_timeout",
            "max_body_bytes",
            "max_document_bytes",
            "max_redirects",
            "retries",
            "retry_base_delay",
            "retry_max_delay",
            "max_retry_after",
            "allow_private_networks",
            "revisit_after",
            "sitemap_max_depth",
            "sitemap_max_files",
            "max_articles_per_source",
            "source_backoff",
            "source_backoff_max",
            "max_runtime",
        ] {
            assert!(
                json.get(key).is_some(),
                "{key} is not documented in config/crosscheck.toml"
            );
        }
        assert_eq!(json.as_object().unwrap().len(), 22);
        let docs = include_str!("../../../docs/configuration.md");
        for key in json.as_object().unwrap().keys() {
            assert!(
                docs.contains(&format!("`[fetcher] {key}`")),
                "{key} is not in docs/configuration.md's table"
            );
        }
    }

    /// The README's starter list: a whole config whose [fetcher] section gives valid
    /// settings, real https feeds only, one of them following a story by keywords.
    #[test]
    fn example_sources_are_a_valid_config() {
        let shipped: toml::Table =
            toml::from_str(include_str!("../../../config/sources.example.toml")).unwrap();
        let config: FetcherConfig = shipped["fetcher"].clone().try_into().unwrap();
        Settings::from_config(&config).unwrap();
        assert!(config.sources.len() >= 8, "{:?}", config.sources);
        for source in &config.sources {
            assert!(source.url.starts_with("https://"), "{}", source.url);
            assert!(!source.url.contains("example."), "{}", source.url);
        }
        assert!(config.sources.iter().any(|s| !s.keywords.is_empty()));
    }

    #[test]
    fn sources_parse_with_filters_and_limits() {
        let c: FetcherConfig = toml::from_str(
            r#"
            [[sources]]
            name = "Example"
            kind = "sitemap"
            url = "https://example.com/news-sitemap.xml"
            keywords = ["earthquake"]
            max_articles = 20
            "#,
        )
        .unwrap();
        assert_eq!(c.sources[0].kind, SourceKind::Sitemap);
        assert_eq!(c.sources[0].max_articles, Some(20));
    }
}
