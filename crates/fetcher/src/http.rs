//! The HTTP layer, the only code of the fetcher that talks to the network. It keeps the
//! manners: one User-Agent, robots.txt, per-host concurrency and spacing, `Retry-After`,
//! retries with exponential backoff and jitter, conditional requests, a redirect cap with loop
//! detection, timeouts, a body cap counted after decompression, and no private addresses for
//! URLs the fetcher discovered itself.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use tokio::sync::{OnceCell, Semaphore};
use url::Url;

use crate::config::{MAX_ROBOTS_BYTES, Settings};
use crate::robots::Robots;
use crate::urls::{self, host_key, is_public_ip, literal_ip};

/// Whether a URL came from the user (command line, config) or was discovered in a feed or
/// sitemap. Discovered URLs may not reach private addresses unless allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    Given,
    Discovered,
}

/// What a request is for: pages must be HTML and obey robots.txt; documents (feeds,
/// sitemaps, lists) obey robots.txt and may be any type; robots.txt itself obeys nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Page,
    Document,
    Robots,
}

/// Validators of an earlier response, sent back as `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl Validators {
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A response body read whole (within the cap).
#[derive(Debug, Clone)]
pub struct Fetched {
    pub url: Url,
    pub final_url: Url,
    pub status: u16,
    pub content_type: Option<String>,
    pub content_language: Option<String>,
    pub validators: Validators,
    pub body: Vec<u8>,
}

/// What a request came to when it did not fail.
#[derive(Debug, Clone)]
pub enum Outcome {
    Fetched(Box<Fetched>),
    NotModified,
}

/// Why a URL was not fetched. Every variant names the URL.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: refused: resolves to a private, loopback or link-local address ({addr})")]
    PrivateAddress { url: Url, addr: String },
    #[error("{url}: disallowed by robots.txt")]
    Robots { url: Url },
    #[error("{url}: robots.txt unavailable ({reason}); the host is skipped this run")]
    RobotsUnavailable { url: Url, reason: String },
    #[error("{url}: not HTML ({content_type})")]
    NotHtml { url: Url, content_type: String },
    #[error("{url}: body larger than {limit} bytes")]
    TooLarge { url: Url, limit: u64 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: Url, limit: usize },
    #[error("{url}: redirect loop at {at}")]
    RedirectLoop { url: Url, at: Url },
    #[error("{url}: bad redirect: {reason}")]
    BadRedirect { url: Url, reason: String },
    #[error("{url}: HTTP {status}")]
    Status { url: Url, status: u16 },
    #[error("{url}: HTTP {status}, retry after {}s; deferred to a later run", retry_after.as_secs())]
    Deferred {
        url: Url,
        status: u16,
        retry_after: Duration,
    },
    #[error("{url}: {reason}")]
    Network { url: Url, reason: String },
    #[error("{url}: not started: the run's time is up")]
    OutOfTime { url: Url },
}

impl FetchError {
    /// Short, stable reason for summaries (`http_404`, `timeout`, `too_large`, ...).
    pub fn reason(&self) -> String {
        match self {
            FetchError::PrivateAddress { .. } => "private_address".into(),
            FetchError::Robots { .. } => "robots".into(),
            FetchError::RobotsUnavailable { reason, .. } => format!("robots_{reason}"),
            FetchError::NotHtml { .. } => "not_html".into(),
            FetchError::TooLarge { .. } => "too_large".into(),
            FetchError::TooManyRedirects { .. } => "too_many_redirects".into(),
            FetchError::RedirectLoop { .. } => "redirect_loop".into(),
            FetchError::BadRedirect { .. } => "bad_redirect".into(),
            FetchError::Status { status, .. } => format!("http_{status}"),
            FetchError::Deferred { status, .. } => format!("retry_after_{status}"),
            FetchError::Network { reason, .. } if reason.contains("timed out") => "timeout".into(),
            FetchError::Network { .. } => "network".into(),
            FetchError::OutOfTime { .. } => "out_of_time".into(),
        }
    }
}

/// One host's gate: at most `host_concurrency` requests in flight, starts spaced by the
/// host delay (raised by robots.txt `Crawl-delay`), and paused after a `Retry-After`.
struct HostGate {
    permits: Semaphore,
    timing: Mutex<GateTiming>,
}

struct GateTiming {
    next_start: Instant,
    delay: Duration,
}

impl HostGate {
    fn new(concurrency: usize, delay: Duration) -> Self {
        HostGate {
            permits: Semaphore::new(concurrency),
            timing: Mutex::new(GateTiming {
                next_start: Instant::now(),
                delay,
            }),
        }
    }

    /// Waits for a free slot and for this request's turn to start.
    async fn enter(&self) -> tokio::sync::SemaphorePermit<'_> {
        let permit = self.permits.acquire().await.expect("gate never closed");
        loop {
            let wait = {
                let mut t = self.timing.lock().expect("gate lock");
                let now = Instant::now();
                if now >= t.next_start {
                    t.next_start = now + t.delay;
                    None
                } else {
                    Some(t.next_start - now)
                }
            };
            match wait {
                None => return permit,
                Some(w) => tokio::time::sleep(w).await,
            }
        }
    }

    fn pause_until(&self, until: Instant) {
        let mut t = self.timing.lock().expect("gate lock");
        t.next_start = t.next_start.max(until);
    }

    fn raise_delay(&self, delay: Duration) {
        let mut t = self.timing.lock().expect("gate lock");
        t.delay = t.delay.max(delay);
    }
}

/// robots.txt of one origin, fetched once per run.
enum RobotsRules {
    AllowAll,
    Rules(Box<Robots>),
    Unavailable(String),
}

/// The HTTP client of one run.
pub struct Http {
    given: reqwest::Client,
    discovered: reqwest::Client,
    settings: Arc<Settings>,
    gates: Mutex<HashMap<String, Arc<HostGate>>>,
    robots: Mutex<HashMap<String, Arc<OnceCell<Arc<RobotsRules>>>>>,
    all_connections: Semaphore,
    deadline: Option<Instant>,
}

/// A DNS resolver that keeps only public addresses, so that a discovered URL cannot reach an
/// internal service even when its name is re-pointed between checks.
struct PublicOnlyResolver;

impl reqwest::dns::Resolve for PublicOnlyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| is_public_ip(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} resolves only to non-public addresses").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl Http {
    pub fn new(settings: Arc<Settings>, started: Instant) -> Result<Http, reqwest::Error> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(settings.user_agent.clone())
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(settings.connect_timeout)
                .timeout(settings.request_timeout)
                .read_timeout(settings.request_timeout)
                .pool_max_idle_per_host(settings.host_concurrency.min(16))
        };
        Ok(Http {
            given: builder().build()?,
            discovered: builder()
                .dns_resolver(Arc::new(PublicOnlyResolver))
                .build()?,
            deadline: settings.max_runtime.map(|d| started + d),
            all_connections: Semaphore::new(settings.max_connections),
            settings,
            gates: Mutex::new(HashMap::new()),
            robots: Mutex::new(HashMap::new()),
        })
    }

    pub fn out_of_time(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn gate(&self, url: &Url) -> Arc<HostGate> {
        let mut gates = self.gates.lock().expect("gates lock");
        gates
            .entry(host_key(url))
            .or_insert_with(|| {
                Arc::new(HostGate::new(
                    self.settings.host_concurrency,
                    self.settings.host_delay,
                ))
            })
            .clone()
    }

    /// Fetches `url`, following redirects, retrying what may succeed later, and obeying
    /// robots.txt. `validators` (for the URL itself) make the request conditional.
    pub async fn get(
        &self,
        url: &Url,
        purpose: Purpose,
        trust: Trust,
        validators: &Validators,
    ) -> Result<Outcome, FetchError> {
        let trust = if self.settings.allow_private_networks {
            Trust::Given
        } else {
            trust
        };
        let max_redirects = match purpose {
            Purpose::Robots => self.settings.max_redirects.min(5),
            _ => self.settings.max_redirects,
        };
        let mut seen = HashSet::new();
        let mut current = url.clone();
        for _ in 0..=max_redirects {
            if !seen.insert(current.clone()) {
                return Err(FetchError::RedirectLoop {
                    url: url.clone(),
                    at: current,
                });
            }
            if trust == Trust::Discovered {
                self.check_public(url, &current).await?;
            }
            if purpose != Purpose::Robots {
                self.check_robots(url, &current, trust).await?;
            }
            // Validators go to every hop: the server that answers is the one that decides.
            match self
                .attempt(url, &current, purpose, trust, validators)
                .await?
            {
                Step::Done(outcome) => return Ok(outcome),
                Step::Redirect(next) => current = next,
            }
        }
        Err(FetchError::TooManyRedirects {
            url: url.clone(),
            limit: max_redirects,
        })
    }

    async fn check_public(&self, original: &Url, url: &Url) -> Result<(), FetchError> {
        let refuse = |addr: String| FetchError::PrivateAddress {
            url: original.clone(),
            addr,
        };
        if let Some(ip) = literal_ip(url) {
            return if is_public_ip(ip) {
                Ok(())
            } else {
                Err(refuse(ip.to_string()))
            };
        }
        let host = url.host_str().unwrap_or_default();
        let port = url.port_or_known_default().unwrap_or(80);
        // The resolver of the client for discovered URLs enforces this again at connect time;
        // checking here gives a clear reason instead of a connection error.
        if let Ok(addrs) = tokio::net::lookup_host((host, port)).await {
            for addr in addrs {
                if !is_public_ip(addr.ip()) {
                    return Err(refuse(addr.ip().to_string()));
                }
            }
        }
        Ok(())
    }

    async fn check_robots(
        &self,
        original: &Url,
        url: &Url,
        trust: Trust,
    ) -> Result<(), FetchError> {
        let rules = self.robots_for(url, trust).await;
        match rules.as_ref() {
            RobotsRules::AllowAll => Ok(()),
            RobotsRules::Rules(robot) if robot.allowed(url.as_str()) => Ok(()),
            RobotsRules::Rules(_) => Err(FetchError::Robots {
                url: original.clone(),
            }),
            RobotsRules::Unavailable(reason) => Err(FetchError::RobotsUnavailable {
                url: original.clone(),
                reason: reason.clone(),
            }),
        }
    }

    /// The robots.txt rules of `url`'s origin, fetched at most once per run.
    async fn robots_for(&self, url: &Url, trust: Trust) -> Arc<RobotsRules> {
        let cell = {
            let mut robots = self.robots.lock().expect("robots lock");
            robots.entry(host_key(url)).or_default().clone()
        };
        cell.get_or_init(|| async {
            let rules = self.fetch_robots(url, trust).await;
            if let RobotsRules::Rules(robot) = &rules
                && let Some(delay) = robot.delay
                && let Ok(delay) = Duration::try_from_secs_f64(delay)
            {
                self.gate(url)
                    .raise_delay(delay.min(self.settings.max_crawl_delay));
            }
            Arc::new(rules)
        })
        .await
        .clone()
    }

    /// The `Sitemap:` lines of a site's robots.txt.
    pub async fn robots_sitemaps(&self, url: &Url, trust: Trust) -> Vec<String> {
        match self.robots_for(url, trust).await.as_ref() {
            RobotsRules::Rules(robot) => robot.sitemaps.clone(),
            _ => Vec::new(),
        }
    }

    async fn fetch_robots(&self, url: &Url, trust: Trust) -> RobotsRules {
        let mut robots_url = url.clone();
        robots_url.set_path("/robots.txt");
        robots_url.set_query(None);
        match Box::pin(self.get(&robots_url, Purpose::Robots, trust, &Validators::default())).await
        {
            Ok(Outcome::Fetched(f)) => RobotsRules::Rules(Box::new(Robots::parse(
                &self.settings.robots_token(),
                &f.body,
            ))),
            Ok(Outcome::NotModified) => RobotsRules::AllowAll,
            Err(FetchError::Status { status, .. }) if (400..500).contains(&status) => {
                RobotsRules::AllowAll
            }
            Err(e) => RobotsRules::Unavailable(e.reason()),
        }
    }

    /// One hop: the request with its retries.
    async fn attempt(
        &self,
        original: &Url,
        url: &Url,
        purpose: Purpose,
        trust: Trust,
        validators: &Validators,
    ) -> Result<Step, FetchError> {
        let client = match trust {
            Trust::Given => &self.given,
            Trust::Discovered => &self.discovered,
        };
        let gate = self.gate(url);
        let mut attempt = 0;
        loop {
            if self.out_of_time() {
                return Err(FetchError::OutOfTime {
                    url: original.clone(),
                });
            }
            let retry = {
                let _global = self.all_connections.acquire().await.expect("never closed");
                let _slot = gate.enter().await;
                let mut request = client.get(url.clone());
                if let Some(etag) = &validators.etag {
                    request = request.header(header::IF_NONE_MATCH, etag);
                }
                if let Some(lm) = &validators.last_modified {
                    request = request.header(header::IF_MODIFIED_SINCE, lm);
                }
                if purpose == Purpose::Page {
                    request = request.header(
                        header::ACCEPT,
                        "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                    );
                }
                match request.send().await {
                    Err(e) => Retry::After(None, network_error(original, &e)),
                    Ok(response) => {
                        match self.handle(original, url, purpose, response, &gate).await? {
                            Handled::Step(step) => return Ok(step),
                            Handled::Retry(wait, error) => Retry::After(wait, error),
                        }
                    }
                }
            };
            let Retry::After(wait, error) = retry;
            if attempt >= self.settings.retries {
                return Err(error);
            }
            let backoff = wait.unwrap_or_else(|| self.backoff(attempt));
            tracing::debug!(url = %url, attempt, wait_ms = backoff.as_millis() as u64, error = %error, "retrying");
            tokio::time::sleep(backoff).await;
            attempt += 1;
        }
    }

    /// Exponential backoff with jitter: between half and all of `base * 2^attempt`, capped.
    fn backoff(&self, attempt: u32) -> Duration {
        let full = self
            .settings
            .retry_base_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.settings.retry_max_delay);
        full / 2 + full.mul_f64(fastrand::f64() / 2.0)
    }

    async fn handle(
        &self,
        original: &Url,
        url: &Url,
        purpose: Purpose,
        response: reqwest::Response,
        gate: &HostGate,
    ) -> Result<Handled, FetchError> {
        let status = response.status();
        let headers = response.headers().clone();
        if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
            let location = headers
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| FetchError::BadRedirect {
                    url: original.clone(),
                    reason: format!("HTTP {} without Location", status.as_u16()),
                })?;
            let next = urls::join_http(url, location).map_err(|e| FetchError::BadRedirect {
                url: original.clone(),
                reason: e.to_string(),
            })?;
            return Ok(Handled::Step(Step::Redirect(next)));
        }
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Handled::Step(Step::Done(Outcome::NotModified)));
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
            let error_status = status.as_u16();
            if let Some(wait) = retry_after(&headers) {
                if wait > self.settings.max_retry_after {
                    gate.pause_until(Instant::now() + self.settings.max_retry_after);
                    return Err(FetchError::Deferred {
                        url: original.clone(),
                        status: error_status,
                        retry_after: wait,
                    });
                }
                gate.pause_until(Instant::now() + wait);
                return Ok(Handled::Retry(
                    Some(Duration::ZERO),
                    FetchError::Status {
                        url: original.clone(),
                        status: error_status,
                    },
                ));
            }
        }
        if status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
            || status.is_server_error()
        {
            return Ok(Handled::Retry(
                None,
                FetchError::Status {
                    url: original.clone(),
                    status: status.as_u16(),
                },
            ));
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                url: original.clone(),
                status: status.as_u16(),
            });
        }
        let content_type = header_text(&headers, header::CONTENT_TYPE);
        if purpose == Purpose::Page
            && let Some(ct) = &content_type
            && !is_html_type(ct)
        {
            return Err(FetchError::NotHtml {
                url: original.clone(),
                content_type: ct.clone(),
            });
        }
        let limit = match purpose {
            Purpose::Page => self.settings.max_body_bytes,
            Purpose::Document => self.settings.max_document_bytes,
            Purpose::Robots => MAX_ROBOTS_BYTES,
        };
        let body = match read_capped(response, limit).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) if purpose == Purpose::Robots => {
                // RFC 9309: parse at least the first 500 KiB; the rest may be ignored.
                return Err(FetchError::TooLarge {
                    url: original.clone(),
                    limit,
                });
            }
            Err(BodyError::TooLarge) => {
                return Err(FetchError::TooLarge {
                    url: original.clone(),
                    limit,
                });
            }
            Err(BodyError::Read(e)) => {
                return Ok(Handled::Retry(None, network_error(original, &e)));
            }
        };
        if purpose == Purpose::Page && content_type.is_none() && !sniff_html(&body) {
            return Err(FetchError::NotHtml {
                url: original.clone(),
                content_type: "unknown (sniffed)".into(),
            });
        }
        Ok(Handled::Step(Step::Done(Outcome::Fetched(Box::new(
            Fetched {
                url: original.clone(),
                final_url: url.clone(),
                status: status.as_u16(),
                content_language: header_text(&headers, header::CONTENT_LANGUAGE),
                content_type,
                validators: Validators {
                    etag: header_text(&headers, header::ETAG),
                    last_modified: header_text(&headers, header::LAST_MODIFIED),
                },
                body,
            },
        )))))
    }
}

enum Step {
    Done(Outcome),
    Redirect(Url),
}

enum Handled {
    Step(Step),
    Retry(Option<Duration>, FetchError),
}

enum Retry {
    After(Option<Duration>, FetchError),
}

enum BodyError {
    TooLarge,
    Read(reqwest::Error),
}

/// Reads a body chunk by chunk, counting decompressed bytes, and gives up as soon as the cap
/// is passed, so that a gzip bomb costs at most the cap.
async fn read_capped(mut response: reqwest::Response, limit: u64) -> Result<Vec<u8>, BodyError> {
    if response.content_length().is_some_and(|n| n > limit)
        && response.headers().get(header::CONTENT_ENCODING).is_none()
    {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Read)? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn network_error(url: &Url, e: &reqwest::Error) -> FetchError {
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason = format!("{reason}: {s}");
        source = s.source();
    }
    if e.is_timeout() && !reason.contains("timed out") {
        reason.push_str(" (timed out)");
    }
    FetchError::Network {
        url: url.clone(),
        reason,
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `Retry-After` as seconds or as an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

pub fn is_html_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    matches!(mime.as_str(), "text/html" | "application/xhtml+xml")
}

fn sniff_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    text.starts_with("<!doctype html")
        || text.starts_with("<html")
        || text.contains("<head")
        || text.contains("<body")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = SystemTime::now() + Duration::from_secs(90);
        h.insert(
            header::RETRY_AFTER,
            httpdate::fmt_http_date(later).parse().unwrap(),
        );
        let wait = retry_after(&h).unwrap();
        assert!(
            wait > Duration::from_secs(85) && wait <= Duration::from_secs(90),
            "{wait:?}"
        );
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn html_types() {
        assert!(is_html_type("text/html; charset=utf-8"));
        assert!(is_html_type("Application/XHTML+XML"));
        assert!(!is_html_type("application/pdf"));
        assert!(!is_html_type("image/png"));
        assert!(sniff_html(b"\n <!DOCTYPE html><p>x"));
        assert!(!sniff_html(b"%PDF-1.7"));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let settings = Settings {
            retry_base_delay: Duration::from_millis(100),
            retry_max_delay: Duration::from_millis(500),
            ..Settings::default()
        };
        let http = Http::new(Arc::new(settings), Instant::now()).unwrap();
        for (attempt, (lo, hi)) in [
            (0, (50, 100)),
            (1, (100, 200)),
            (2, (200, 400)),
            (5, (250, 500)),
        ] {
            for _ in 0..20 {
                let ms = http.backoff(attempt).as_millis();
                assert!((lo..=hi).contains(&ms), "attempt {attempt}: {ms}ms");
            }
        }
    }
}
