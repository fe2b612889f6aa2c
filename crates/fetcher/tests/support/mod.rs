//! Helpers for tests against local HTTP servers: pages, settings without waiting, and a
//! responder that records when each request arrived.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use corpus::{ArticleId, Corpus, RawArticle};
use fetcher::{FetchRequest, FetchSummary, Settings, SourceConfig, SourceKind, Status};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Settings for tests: no pause between requests, quick retries, private addresses allowed
/// (the test servers are on 127.0.0.1) and every known URL due again at once.
pub fn quick() -> Settings {
    Settings {
        host_delay: Duration::ZERO,
        retry_base_delay: Duration::from_millis(20),
        retry_max_delay: Duration::from_millis(100),
        allow_private_networks: true,
        revisit_after: Duration::ZERO,
        request_timeout: Duration::from_secs(5),
        ..Settings::default()
    }
}

/// A local server and an empty corpus in a temporary folder (kept while the folder lives).
pub async fn setup() -> (MockServer, tempfile::TempDir, Corpus) {
    let server = MockServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path().join("corpus")).unwrap();
    (server, dir, corpus)
}

/// Answers GET `p` with `response`.
pub async fn mount(server: &MockServer, p: &str, response: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(p))
        .respond_with(response)
        .mount(server)
        .await;
}

pub fn page(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title></head>\
         <body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
    )
}

pub fn html(body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "text/html; charset=utf-8")
}

pub fn source(kind: SourceKind, url: &str) -> SourceConfig {
    SourceConfig::ad_hoc(kind, url)
}

pub async fn fetch(
    corpus: &Corpus,
    sources: Vec<SourceConfig>,
    settings: Settings,
) -> FetchSummary {
    let request = FetchRequest {
        sources,
        imports: Vec::new(),
        settings,
        progress: false,
    };
    fetcher::fetch_web(corpus, &request)
        .await
        .expect("run starts")
}

/// Fetches one URL given by the user.
pub async fn fetch_url(corpus: &Corpus, url: &str, settings: Settings) -> FetchSummary {
    fetch(corpus, vec![source(SourceKind::Url, url)], settings).await
}

pub fn stored(corpus: &Corpus) -> Vec<RawArticle> {
    corpus
        .raw_ids()
        .unwrap()
        .iter()
        .map(|id| corpus.read_raw(id).unwrap())
        .collect()
}

pub fn article_for(corpus: &Corpus, url: &str) -> RawArticle {
    corpus.read_raw(&ArticleId::from_url(url)).unwrap()
}

pub fn count(summary: &FetchSummary, status: Status) -> usize {
    summary.count(status)
}

/// Paths the server saw, in order.
pub async fn paths(server: &wiremock::MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect()
}

pub async fn hits(server: &wiremock::MockServer, p: &str) -> usize {
    paths(server).await.iter().filter(|x| *x == p).count()
}

/// A responder that serves a page per path after `delay`, and records when each request
/// arrived, so that tests can see concurrency and spacing as the server saw them. Made with
/// `failing`, it answers its first requests with a failure instead.
#[derive(Clone)]
pub struct Timed {
    log: Arc<Mutex<Vec<(String, Instant)>>>,
    pub delay: Duration,
    failures: usize,
    failure: ResponseTemplate,
}

impl Timed {
    pub fn new(delay: Duration) -> Self {
        Timed {
            delay,
            ..Self::failing(0, ResponseTemplate::new(500))
        }
    }

    /// Answers the first `failures` requests (to any of its paths) with `failure`.
    pub fn failing(failures: usize, failure: ResponseTemplate) -> Self {
        Timed {
            log: Arc::default(),
            delay: Duration::ZERO,
            failures,
            failure,
        }
    }

    pub fn starts(&self) -> Vec<Instant> {
        self.log.lock().unwrap().iter().map(|(_, t)| *t).collect()
    }

    /// The most requests that were in flight at once (each lasting `delay`).
    pub fn max_in_flight(&self) -> usize {
        let starts = self.starts();
        starts
            .iter()
            .map(|s| {
                starts
                    .iter()
                    .filter(|o| **o <= *s && *s < **o + self.delay)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// Asserts that the requests started at least `spacing` apart, as the fetcher promises.
    /// The times are the server's: a loaded machine can make the server note an arrival late,
    /// which shortens one gap by that lag but not the sum of the gaps. So each gap is held to
    /// half the spacing (without any spacing, gaps are a few milliseconds) and the whole span
    /// to the full spacing less one lag of that half.
    pub fn assert_spaced(&self, spacing: Duration) {
        let mut starts = self.starts();
        starts.sort();
        let gaps: Vec<Duration> = starts.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(
            gaps.iter().all(|g| *g >= spacing / 2),
            "gaps {gaps:?}, promised {spacing:?}"
        );
        let span: Duration = gaps.iter().sum();
        let promised = spacing * gaps.len() as u32;
        assert!(
            span + spacing / 2 >= promised,
            "span {span:?} of gaps {gaps:?}, promised {promised:?}"
        );
    }
}

impl Respond for Timed {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = request.url.path().to_string();
        let mut log = self.log.lock().unwrap();
        log.push((path.clone(), Instant::now()));
        if log.len() <= self.failures {
            return self.failure.clone();
        }
        html(page(&path, "Some text of an article.")).set_delay(self.delay)
    }
}
