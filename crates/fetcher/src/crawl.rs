//! One web run: read the sources, decide what is worth asking for, fetch it through the
//! polite HTTP layer, and store each article with its identity and metadata. Hosts are
//! fetched in parallel; within a host the HTTP layer keeps the pace.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use corpus::{
    ArticleId, ArticleMeta, Corpus, CorpusError, FeedEntry, HttpInfo, Origin, PubTime, RawArticle,
    RawFormat, WriteOutcome,
};
use tracing::{debug, info, warn};
use url::Url;

use crate::config::{STATE_SAVE_INTERVAL, Settings, SourceConfig, SourceKind};
use crate::discover::{self, About, Entry, Sitemap};
use crate::http::{FetchError, Fetched, Http, Outcome, Purpose, Trust, Validators};
use crate::state::{Deferred, FetchState, STATE_NAME, STATE_SCHEMA, UrlState, guid_key};
use crate::summary::{FetchSummary, SourceReport, Status};
use crate::urls::{self, host_key, host_label};

/// How many runs a URL that failed for a passing reason (timeout, 5xx) is tried again.
pub const MAX_DEFERRED_ATTEMPTS: u32 = 5;

/// An article URL to fetch. Kept small: a run holds one per URL until it is fetched, so what
/// discovery knew beyond the URL is boxed and absent when there was nothing.
#[derive(Debug, Clone)]
struct Target {
    url: Url,
    trust: Trust,
    source: Option<Arc<str>>,
    about: Option<Box<About>>,
    attempts: u32,
}

impl Target {
    fn from_entry(e: Entry, source: &Arc<str>, trust: Trust) -> Target {
        Target {
            url: e.url,
            trust,
            source: Some(source.clone()),
            about: e.about.map(|mut about| {
                // The filter has used the text; the rest of the run needs only the metadata.
                about.text = String::new();
                about
            }),
            attempts: 0,
        }
    }

    fn feed_entry(&self) -> Option<&FeedEntry> {
        self.about.as_ref()?.feed_entry.as_ref()
    }

    fn hint(&self) -> ArticleMeta {
        self.about
            .as_ref()
            .map(|a| a.hint.clone())
            .unwrap_or_default()
    }

    fn lastmod(&self) -> Option<PubTime> {
        self.about.as_ref()?.lastmod
    }
}

struct StateBook {
    state: FetchState,
    dirty: bool,
}

/// Shared by every task of a run.
struct Crawl {
    corpus: Corpus,
    http: Http,
    settings: Arc<Settings>,
    book: Mutex<StateBook>,
    /// Validators of feeds and sitemaps read this run, kept only if the run completes.
    documents: Mutex<BTreeMap<String, Validators>>,
    summary: Mutex<FetchSummary>,
    stored: Mutex<HashSet<ArticleId>>,
    progress: Option<indicatif::ProgressBar>,
    now: DateTime<Utc>,
}

/// Runs the web part of a fetch: every source, then every due deferred URL.
pub async fn crawl(
    corpus: &Corpus,
    settings: Settings,
    sources: &[SourceConfig],
    show_progress: bool,
) -> Result<FetchSummary, reqwest::Error> {
    let started = Instant::now();
    let settings = Arc::new(settings);
    let state = load_state(corpus);
    let crawl = Arc::new(Crawl {
        corpus: corpus.clone(),
        http: Http::new(settings.clone(), started)?,
        settings,
        book: Mutex::new(StateBook {
            state,
            dirty: false,
        }),
        documents: Mutex::new(BTreeMap::new()),
        summary: Mutex::new(FetchSummary::default()),
        stored: Mutex::new(HashSet::new()),
        progress: None,
        now: Utc::now(),
    });

    let mut discovery = tokio::task::JoinSet::new();
    let mut tasks = HashMap::new();
    for (order, source) in sources.iter().enumerate() {
        let crawl = crawl.clone();
        let task_source = source.clone();
        let task = discovery.spawn(async move { (order, crawl.discover(&task_source).await) });
        tasks.insert(task.id(), source);
    }
    let mut found: Vec<(usize, Vec<Target>)> = Vec::new();
    while let Some(done) = discovery.join_next().await {
        match done {
            Ok(pair) => found.push(pair),
            // A bug in reading one source (a parser's panic): that source failed, and says so.
            Err(e) => {
                warn!(error = %e, "a discovery task failed");
                if let Some(source) = tasks.get(&e.id()) {
                    crawl.source_panicked(source, &e.to_string());
                }
            }
        }
    }
    found.sort_by_key(|(order, _)| *order);
    let targets = crawl.plan(found.into_iter().flat_map(|(_, t)| t).collect());

    let crawl = match Arc::try_unwrap(crawl) {
        Ok(mut c) => {
            if show_progress && std::io::stderr().is_terminal() && !targets.is_empty() {
                let bar = indicatif::ProgressBar::new(targets.len() as u64);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                c.progress = Some(bar);
            }
            Arc::new(c)
        }
        Err(shared) => shared,
    };

    let saver = {
        let crawl = crawl.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(STATE_SAVE_INTERVAL);
            tick.tick().await;
            loop {
                tick.tick().await;
                let c = crawl.clone();
                let _ = tokio::task::spawn_blocking(move || c.save_state()).await;
            }
        })
    };

    let mut by_host: HashMap<String, VecDeque<Target>> = HashMap::new();
    let mut host_order = Vec::new();
    for t in targets {
        let key = host_key(&t.url);
        if !by_host.contains_key(&key) {
            host_order.push(key.clone());
        }
        by_host.entry(key).or_default().push_back(t);
    }
    let mut workers = tokio::task::JoinSet::new();
    for key in host_order {
        let queue = Arc::new(Mutex::new(by_host.remove(&key).unwrap_or_default()));
        let n = crawl
            .settings
            .host_concurrency
            .min(queue.lock().expect("queue").len());
        for _ in 0..n {
            let crawl = crawl.clone();
            let queue = queue.clone();
            workers.spawn(async move {
                loop {
                    let next = queue.lock().expect("queue").pop_front();
                    let Some(target) = next else { break };
                    crawl.process(target).await;
                }
            });
        }
    }
    while let Some(done) = workers.join_next().await {
        if let Err(e) = done {
            // A bug while fetching: the host's other pages are left for the next run.
            warn!(error = %e, "a fetch task failed");
            crawl
                .summary
                .lock()
                .expect("summary")
                .fail("(task)", "(task)", "panic", e.to_string());
        }
    }
    saver.abort();

    let stopped_early = crawl.http.out_of_time();
    if !stopped_early {
        let documents = std::mem::take(&mut *crawl.documents.lock().expect("documents"));
        let mut book = crawl.book.lock().expect("state");
        for (url, v) in documents {
            book.state.documents.insert(url, v);
        }
        book.dirty = true;
    }
    {
        let c = crawl.clone();
        let _ = tokio::task::spawn_blocking(move || c.save_state()).await;
    }
    if let Some(bar) = &crawl.progress {
        bar.finish_and_clear();
    }
    let mut summary = std::mem::take(&mut *crawl.summary.lock().expect("summary"));
    summary.stopped_early = stopped_early;
    summary.elapsed_seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// The saved state, or an empty one (with a warning naming the file) when it is unreadable:
/// the articles are in the corpus either way, so the cost is only some re-downloads.
fn load_state(corpus: &Corpus) -> FetchState {
    match corpus.read_state::<FetchState>(STATE_NAME) {
        Ok(Some(state)) => state,
        Ok(None) => FetchState::default(),
        Err(e) => {
            warn!(error = %e, "fetcher state unreadable; starting from an empty state");
            FetchState::default()
        }
    }
}

/// Whether the state holds deferred URLs that are due, so that a run without sources still
/// has work.
pub fn has_due_deferrals(corpus: &Corpus, now: DateTime<Utc>) -> bool {
    load_state(corpus)
        .deferred
        .values()
        .any(|d| d.not_before <= now)
}

enum DocOutcome {
    /// The body, the final URL and the `Content-Type` header.
    Fetched(Vec<u8>, Url, Option<String>),
    NotModified,
}

impl Crawl {
    fn save_state(&self) {
        // Serialised under the lock rather than cloned: the state grows with the URLs known,
        // and a compact string is a fraction of the size of a copy of the maps.
        let snapshot = {
            let mut book = self.book.lock().expect("state");
            if !book.dirty {
                return;
            }
            book.dirty = false;
            book.state.schema = STATE_SCHEMA;
            serde_json::value::to_raw_value(&book.state)
        };
        let result = match snapshot {
            Ok(raw) => self
                .corpus
                .write_state(STATE_NAME, &raw)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(e) = result {
            warn!(error = %e, "cannot save the fetcher state");
            self.book.lock().expect("state").dirty = true;
        }
    }

    fn update_state(&self, f: impl FnOnce(&mut FetchState)) {
        let mut book = self.book.lock().expect("state");
        f(&mut book.state);
        book.dirty = true;
    }

    // ----- discovery -----

    async fn discover(&self, source: &SourceConfig) -> Vec<Target> {
        let backing_off = {
            let book = self.book.lock().expect("state");
            book.state
                .sources
                .get(&source.name)
                .filter(|h| h.backing_off(self.now))
                .cloned()
        };
        if let Some(health) = backing_off {
            info!(source = %source.name, next_attempt = ?health.next_attempt, "source is backing off after failures");
            self.report_source(source, "backing_off", 0, health.last_error);
            return Vec::new();
        }
        match self.discover_entries(source).await {
            Ok(None) => {
                self.source_succeeded(source);
                self.report_source(source, "not_modified", 0, None);
                Vec::new()
            }
            Ok(Some((mut entries, trust))) => {
                self.source_succeeded(source);
                let listed = entries.len();
                entries.retain(|e| e.matches(&source.keywords));
                discover::newest_first(&mut entries);
                entries.truncate(
                    source
                        .max_articles
                        .unwrap_or(self.settings.max_articles_per_source),
                );
                debug!(source = %source.name, listed, kept = entries.len(), "discovered");
                self.report_source(source, "ok", entries.len(), None);
                let name: Arc<str> = Arc::from(source.name.as_str());
                entries
                    .into_iter()
                    .map(|e| Target::from_entry(e, &name, trust))
                    .collect()
            }
            Err(DiscoveryFailure::OutOfTime) => {
                self.report_source(source, "out_of_time", 0, None);
                Vec::new()
            }
            Err(DiscoveryFailure::Failed(error)) => {
                warn!(source = %source.name, error = %error, "source failed");
                let settings = &self.settings;
                self.update_state(|s| {
                    s.sources.entry(source.name.clone()).or_default().failed(
                        error.clone(),
                        self.now,
                        settings.source_backoff,
                        settings.source_backoff_max,
                    )
                });
                self.report_source(source, "failed", 0, Some(error));
                Vec::new()
            }
        }
    }

    /// Records a source whose reading panicked as failed (in the summary and its backoff).
    fn source_panicked(&self, source: &SourceConfig, error: &str) {
        let error = format!("{}: internal error: {error}", source.url);
        let label = urls::parse_http(&source.url)
            .map(|u| host_label(&u))
            .unwrap_or_else(|_| source.name.clone());
        self.summary
            .lock()
            .expect("summary")
            .fail(&label, &source.url, "panic", error.clone());
        self.report_source(source, "failed", 0, Some(error));
    }

    fn source_succeeded(&self, source: &SourceConfig) {
        let known = self
            .book
            .lock()
            .expect("state")
            .state
            .sources
            .contains_key(&source.name);
        if known {
            self.update_state(|s| {
                s.sources.remove(&source.name);
            });
        }
    }

    fn report_source(
        &self,
        source: &SourceConfig,
        status: &str,
        entries: usize,
        error: Option<String>,
    ) {
        self.summary
            .lock()
            .expect("summary")
            .sources
            .push(SourceReport {
                name: source.name.clone(),
                status: status.to_string(),
                entries,
                error,
            });
    }

    /// The entries a source lists (`None`: its document is unchanged since the last run), and
    /// how far its URLs are trusted.
    async fn discover_entries(
        &self,
        source: &SourceConfig,
    ) -> Result<Option<(Vec<Entry>, Trust)>, DiscoveryFailure> {
        let is_web = source.url.starts_with("http://") || source.url.starts_with("https://");
        if source.kind == SourceKind::List && !is_web {
            let text = std::fs::read_to_string(Path::new(&source.url))
                .map_err(|e| DiscoveryFailure::Failed(format!("{}: {e}", source.url)))?;
            return Ok(Some((self.list_entries(&text, &source.url), Trust::Given)));
        }
        let url =
            urls::parse_http(&source.url).map_err(|e| DiscoveryFailure::Failed(e.to_string()))?;
        match source.kind {
            SourceKind::Url => Ok(Some((vec![Entry::bare(url)], Trust::Given))),
            SourceKind::Feed => match self.document(&url, Trust::Given).await? {
                DocOutcome::NotModified => Ok(None),
                DocOutcome::Fetched(bytes, final_url, content_type) => {
                    discover::caught("feed", &final_url, || {
                        discover::parse_feed(&bytes, content_type.as_deref(), &final_url)
                    })
                    .map(|e| Some((e, Trust::Discovered)))
                    .map_err(|e| DiscoveryFailure::Failed(e.to_string()))
                }
            },
            SourceKind::List => match self.document(&url, Trust::Given).await? {
                DocOutcome::NotModified => Ok(None),
                DocOutcome::Fetched(bytes, _, _) => {
                    let text = String::from_utf8_lossy(&bytes);
                    Ok(Some((
                        self.list_entries(&text, url.as_str()),
                        Trust::Discovered,
                    )))
                }
            },
            SourceKind::Sitemap => self.sitemaps(source, vec![(url, Trust::Given)]).await,
            SourceKind::Robots => {
                let listed = self.http.robots_sitemaps(&url, Trust::Given).await;
                let roots: Vec<(Url, Trust)> = listed
                    .iter()
                    .filter_map(|s| urls::parse_http(s).ok())
                    .map(|u| (u, Trust::Discovered))
                    .collect();
                if roots.is_empty() {
                    return Err(DiscoveryFailure::Failed(format!(
                        "{url}: robots.txt lists no sitemaps (or is unavailable)"
                    )));
                }
                self.sitemaps(source, roots).await
            }
        }
    }

    fn list_entries(&self, text: &str, name: &str) -> Vec<Entry> {
        let (entries, bad) = discover::parse_url_list(text);
        for line in bad {
            warn!(list = %name, line = %line, "skipping a line that is not an http(s) URL");
        }
        entries
    }

    /// Reads sitemaps breadth first from `roots`, following indexes up to the depth cap and
    /// reading at most the file cap. A failing root fails the source; a failing child is
    /// logged and counted.
    async fn sitemaps(
        &self,
        source: &SourceConfig,
        roots: Vec<(Url, Trust)>,
    ) -> Result<Option<(Vec<Entry>, Trust)>, DiscoveryFailure> {
        let max_files = source
            .sitemap_max_files
            .unwrap_or(self.settings.sitemap_max_files);
        let root_count = roots.len();
        let mut queue: VecDeque<(Url, Trust, usize)> =
            roots.into_iter().map(|(u, t)| (u, t, 0)).collect();
        let mut entries = Vec::new();
        let mut files = 0;
        let mut all_unchanged = true;
        let mut root_failures = Vec::new();
        while let Some((url, trust, depth)) = queue.pop_front() {
            if files >= max_files {
                warn!(source = %source.name, sitemap = %url, max_files, "sitemap file cap reached; the rest are skipped");
                break;
            }
            files += 1;
            let is_root = files <= root_count;
            let bytes = match self.document(&url, trust).await {
                Ok(DocOutcome::NotModified) => continue,
                Ok(DocOutcome::Fetched(bytes, _, _)) => bytes,
                Err(DiscoveryFailure::Failed(e)) if is_root => {
                    root_failures.push(e);
                    continue;
                }
                Err(DiscoveryFailure::Failed(e)) => {
                    self.summary.lock().expect("summary").fail(
                        &host_label(&url),
                        url.as_str(),
                        "sitemap",
                        e,
                    );
                    continue;
                }
                Err(other) => return Err(other),
            };
            all_unchanged = false;
            let limit = self.settings.max_document_bytes;
            match discover::caught("sitemap", &url, || {
                discover::parse_sitemap(&bytes, &url, limit)
            }) {
                Ok(Sitemap::Urls(found)) => entries.extend(found),
                Ok(Sitemap::Index(children)) if depth < self.settings.sitemap_max_depth => {
                    queue.extend(
                        children
                            .into_iter()
                            .map(|(child, _)| (child, Trust::Discovered, depth + 1)),
                    );
                }
                Ok(Sitemap::Index(children)) => {
                    warn!(sitemap = %url, skipped = children.len(), depth, "sitemap index deeper than sitemap_max_depth; children skipped");
                }
                Err(e) if is_root => root_failures.push(e.to_string()),
                Err(e) => {
                    self.summary.lock().expect("summary").fail(
                        &host_label(&url),
                        url.as_str(),
                        "sitemap",
                        e.to_string(),
                    );
                }
            }
        }
        if root_failures.len() == root_count {
            return Err(DiscoveryFailure::Failed(root_failures.join("; ")));
        }
        if all_unchanged && entries.is_empty() {
            return Ok(None);
        }
        Ok(Some((entries, Trust::Discovered)))
    }

    /// Fetches a feed, sitemap or list conditionally; its validators are remembered once the
    /// run completes.
    async fn document(&self, url: &Url, trust: Trust) -> Result<DocOutcome, DiscoveryFailure> {
        let validators = self
            .book
            .lock()
            .expect("state")
            .state
            .documents
            .get(url.as_str())
            .cloned()
            .unwrap_or_default();
        match self
            .http
            .get(url, Purpose::Document, trust, &validators)
            .await
        {
            Ok(Outcome::NotModified) => Ok(DocOutcome::NotModified),
            Ok(Outcome::Fetched(f)) => {
                if !f.validators.is_empty() {
                    self.documents
                        .lock()
                        .expect("documents")
                        .insert(url.to_string(), f.validators.clone());
                }
                Ok(DocOutcome::Fetched(f.body, f.final_url, f.content_type))
            }
            Err(FetchError::OutOfTime { .. }) => Err(DiscoveryFailure::OutOfTime),
            Err(e) => Err(DiscoveryFailure::Failed(e.to_string())),
        }
    }

    // ----- planning -----

    /// Merges the sources' targets (one per URL), adds the deferred URLs that are due, and
    /// drops the ones fetched recently.
    fn plan(&self, discovered: Vec<Target>) -> Vec<Target> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut targets: Vec<Target> = Vec::new();
        for t in discovered {
            match seen.get(&key(&t.url)) {
                Some(&i) => {
                    let kept = &mut targets[i];
                    if let Some(more) = t.about {
                        let about = kept.about.get_or_insert_with(Box::default);
                        if about.feed_entry.is_none() {
                            about.feed_entry = more.feed_entry;
                        }
                        about.hint.fill_from(&more.hint);
                        about.lastmod = about.lastmod.or(more.lastmod);
                    }
                    if t.trust == Trust::Given {
                        kept.trust = Trust::Given;
                    }
                }
                None => {
                    seen.insert(key(&t.url), targets.len());
                    targets.push(t);
                }
            }
        }
        let book = self.book.lock().expect("state");
        for (url, d) in &book.state.deferred {
            if d.not_before > self.now {
                continue;
            }
            let Ok(parsed) = urls::parse_http(url) else {
                continue;
            };
            if let Some(&i) = seen.get(&key(&parsed)) {
                targets[i].attempts = d.attempts;
                continue;
            }
            seen.insert(key(&parsed), targets.len());
            targets.push(Target {
                url: parsed,
                trust: if d.discovered {
                    Trust::Discovered
                } else {
                    Trust::Given
                },
                source: d.source.as_deref().map(Arc::from),
                about: About {
                    feed_entry: d.feed_entry.clone(),
                    hint: d.hint.clone(),
                    ..About::default()
                }
                .boxed(),
                attempts: d.attempts,
            });
        }
        let revisit = chrono::Duration::from_std(self.settings.revisit_after)
            .unwrap_or(chrono::Duration::MAX);
        let mut summary = self.summary.lock().expect("summary");
        targets.retain(|t| {
            if book.state.deferred.contains_key(t.url.as_str()) {
                return true;
            }
            let Some(known) = book.state.urls.get(&key(&t.url)) else {
                return true;
            };
            let gone_for_good = known.gone == Some(410);
            let recent = known.checked_at + revisit > self.now;
            let changed_since = t.lastmod().is_some_and(|m| m.sort_key() > known.checked_at);
            let skip = gone_for_good || (recent && !changed_since);
            if skip {
                summary.record(&host_label(&t.url), Status::Fresh);
            }
            !skip
        });
        targets
    }

    // ----- fetching and storing -----

    async fn process(self: &Arc<Self>, target: Target) {
        let host = host_label(&target.url);
        let status = if self.http.out_of_time() {
            Status::OutOfTime
        } else {
            self.fetch_one(&target, &host).await
        };
        if status == Status::OutOfTime {
            self.summary
                .lock()
                .expect("summary")
                .record(&host, Status::OutOfTime);
        }
        if let Some(bar) = &self.progress {
            bar.inc(1);
        }
    }

    /// Fetches and stores one target; records everything but `OutOfTime` in the summary.
    async fn fetch_one(self: &Arc<Self>, target: &Target, host: &str) -> Status {
        let (validators, known_id) = self.known(target);
        match self
            .http
            .get(&target.url, Purpose::Page, target.trust, &validators)
            .await
        {
            Ok(Outcome::NotModified) => {
                debug!(url = %target.url, "not modified");
                self.update_state(|s| {
                    s.deferred.remove(target.url.as_str());
                    if let Some(u) = s.urls.get_mut(&key(&target.url)) {
                        u.checked_at = Utc::now();
                    }
                });
                self.summary
                    .lock()
                    .expect("summary")
                    .record(host, Status::NotModified);
                Status::NotModified
            }
            Ok(Outcome::Fetched(fetched)) => {
                // The checks `--import` makes of a file: the same bytes are refused either way.
                if let Some(refusal) = crate::import::Refusal::of(&fetched.body) {
                    warn!(url = %target.url, reason = refusal.name(), "refused: not a page");
                    self.summary.lock().expect("summary").fail(
                        host,
                        target.url.as_str(),
                        refusal.name(),
                        format!("{}: {} body", target.url, refusal.name()),
                    );
                    self.remember_checked(target, None);
                    return Status::Failed;
                }
                let crawl = self.clone();
                let t = target.clone();
                let stored =
                    tokio::task::spawn_blocking(move || crawl.store(*fetched, &t, known_id)).await;
                match stored {
                    Ok(Ok(status)) => {
                        self.summary.lock().expect("summary").record(host, status);
                        status
                    }
                    Ok(Err(e)) => {
                        warn!(url = %target.url, error = %e, "cannot store article");
                        self.summary.lock().expect("summary").fail(
                            host,
                            target.url.as_str(),
                            "store",
                            format!("{}: {e}", target.url),
                        );
                        Status::Failed
                    }
                    Err(e) => {
                        warn!(url = %target.url, error = %e, "storing task failed");
                        self.summary.lock().expect("summary").fail(
                            host,
                            target.url.as_str(),
                            "store",
                            format!("{}: {e}", target.url),
                        );
                        Status::Failed
                    }
                }
            }
            Err(e) => self.fetch_failed(target, host, e),
        }
    }

    /// Validators to send and the article id this target is already known as.
    fn known(&self, target: &Target) -> (Validators, Option<ArticleId>) {
        let book = self.book.lock().expect("state");
        let by_url = book.state.urls.get(&key(&target.url));
        let by_guid = target
            .feed_entry()
            .and_then(|f| Some(guid_key(&f.feed_url, f.guid.as_deref()?)))
            .and_then(|k| book.state.guids.get(&k).cloned());
        let id = by_guid.or_else(|| by_url.and_then(|u| u.id.clone()));
        // Validators only help while the article they describe is still stored.
        let validators = by_url
            .filter(|u| u.id.as_ref().is_some_and(|id| self.corpus.has_raw(id)))
            .map(|u| u.validators.clone())
            .unwrap_or_default();
        (validators, id)
    }

    fn fetch_failed(&self, target: &Target, host: &str, e: FetchError) -> Status {
        let url = target.url.as_str();
        let reason = e.reason();
        let mut summary = self.summary.lock().expect("summary");
        match &e {
            FetchError::OutOfTime { .. } => return Status::OutOfTime,
            FetchError::Robots { .. } => {
                info!(url = %url, "disallowed by robots.txt");
                summary.record(host, Status::Robots);
                drop(summary);
                self.remember_checked(target, None);
                return Status::Robots;
            }
            FetchError::PrivateAddress { .. } => {
                warn!(url = %url, error = %e, "refused");
                summary.record(host, Status::Refused);
                return Status::Refused;
            }
            FetchError::NotHtml { .. } => {
                info!(url = %url, error = %e, "skipped");
                summary.record(host, Status::NotHtml);
                drop(summary);
                self.remember_checked(target, None);
                return Status::NotHtml;
            }
            _ => {}
        }
        let defer_for = match &e {
            FetchError::Deferred { retry_after, .. } => Some(*retry_after),
            // The host answers but its robots.txt fails (5xx): come back later. An unreachable
            // host is a failure (below), also tried again in later runs.
            FetchError::RobotsUnavailable { reason, .. } if reason.starts_with("http_") => {
                Some(self.settings.source_backoff)
            }
            FetchError::Status { status: 429, .. } => Some(self.settings.max_retry_after),
            _ => None,
        };
        if let Some(wait) = defer_for {
            info!(url = %url, error = %e, "deferred to a later run");
            summary.defer(host, url, &reason, e.to_string());
            drop(summary);
            self.defer(target, wait, &reason, 0);
            return Status::Deferred;
        }
        warn!(url = %url, error = %e, "fetch failed");
        summary.fail(host, url, &reason, e.to_string());
        drop(summary);
        match &e {
            FetchError::Status {
                status: status @ (404 | 410),
                ..
            } => self.remember_checked(target, Some(*status)),
            // Passing failures are tried again in later runs, a few times.
            FetchError::Network { .. }
            | FetchError::Status { .. }
            | FetchError::RobotsUnavailable { .. }
                if target.attempts + 1 < MAX_DEFERRED_ATTEMPTS =>
            {
                self.defer(target, Duration::ZERO, &reason, 1)
            }
            _ => self.update_state(|s| {
                s.deferred.remove(url);
            }),
        }
        Status::Failed
    }

    fn remember_checked(&self, target: &Target, gone: Option<u16>) {
        self.update_state(|s| {
            s.deferred.remove(target.url.as_str());
            let entry = s.urls.entry(key(&target.url)).or_insert_with(|| UrlState {
                id: None,
                validators: Validators::default(),
                checked_at: Utc::now(),
                gone: None,
            });
            entry.checked_at = Utc::now();
            entry.gone = gone;
        });
    }

    fn defer(&self, target: &Target, wait: Duration, reason: &str, extra_attempt: u32) {
        let not_before =
            Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::MAX);
        self.update_state(|s| {
            s.deferred.insert(
                target.url.to_string(),
                Deferred {
                    not_before,
                    reason: reason.to_string(),
                    source: target.source.as_deref().map(str::to_string),
                    discovered: target.trust == Trust::Discovered,
                    feed_entry: target.feed_entry().cloned(),
                    hint: target.hint(),
                    attempts: target.attempts + extra_attempt,
                },
            );
        });
    }

    /// Decodes, identifies and stores one page; the state learns of it only once it is stored.
    fn store(
        &self,
        fetched: Fetched,
        target: &Target,
        known_id: Option<ArticleId>,
    ) -> Result<Status, CorpusError> {
        let tld = fetched
            .final_url
            .host_str()
            .and_then(|h| h.rsplit('.').next())
            .map(str::as_bytes);
        let decoded =
            page::charset::decode_html(&fetched.body, fetched.content_type.as_deref(), tld);
        // The normaliser reads the page again with the same address and time (the article's
        // `retrieved_at`), so that both find the same dates.
        let now = Utc::now();
        let page = page::meta::read(
            &decoded.text,
            &page::meta::Context {
                url: Some(&fetched.final_url),
                content_language: fetched.content_language.as_deref(),
                now,
            },
        );
        let canonical = urls::identity(page.canonical.as_ref().unwrap_or(&fetched.final_url));
        let id = known_id
            .or_else(|| self.known_id(canonical.as_str()))
            .unwrap_or_else(|| ArticleId::from_url(canonical.as_str()));

        let first_this_run = self.stored.lock().expect("stored").insert(id.clone());
        let status = if first_this_run {
            let mut article = RawArticle::new(
                id.clone(),
                RawFormat::Html,
                fetch_origin(target, &fetched),
                decoded.text,
            );
            article.retrieved_at = now;
            article.canonical_url = Some(canonical.to_string());
            article.meta = page.meta;
            article.meta.fill_from(&target.hint());
            article.feed_entry = target.feed_entry().cloned();
            article.http = Some(http_info(&fetched, decoded.charset));
            self.write_article(&mut article, &fetched.body)?
        } else {
            Status::Duplicate
        };
        match status {
            Status::New | Status::Updated => {
                info!(url = %target.url, id = %id, status = status.name(), "stored")
            }
            _ => debug!(url = %target.url, id = %id, status = status.name(), "no new version"),
        }
        self.remember_stored(target, &fetched, canonical.as_str(), &id);
        Ok(status)
    }

    /// The id the state already gives a canonical address.
    fn known_id(&self, canonical: &str) -> Option<ArticleId> {
        let book = self.book.lock().expect("state");
        book.state.urls.get(canonical).and_then(|u| u.id.clone())
    }

    /// Writes a raw article, with the bytes as fetched kept aside when decoding changed them.
    fn write_article(&self, article: &mut RawArticle, body: &[u8]) -> Result<Status, CorpusError> {
        if article.body.as_bytes() != body {
            article.raw_blob = Some(self.corpus.put_blob(body)?);
        }
        Ok(match self.corpus.write_raw(article)? {
            WriteOutcome::Created => Status::New,
            WriteOutcome::Updated => Status::Updated,
            WriteOutcome::Unchanged => Status::Unchanged,
        })
    }

    /// The state learns that the address asked, the one that answered and the canonical one
    /// are checked and give `id`, and that the feed entry's guid does.
    fn remember_stored(&self, target: &Target, fetched: &Fetched, canonical: &str, id: &ArticleId) {
        let now = Utc::now();
        self.update_state(|s| {
            s.deferred.remove(target.url.as_str());
            let checked = |validators: Validators| UrlState {
                id: Some(id.clone()),
                validators,
                checked_at: now,
                gone: None,
            };
            let (asked, answered) = (key(&target.url), key(&fetched.final_url));
            s.urls
                .insert(asked.clone(), checked(fetched.validators.clone()));
            if answered != asked {
                s.urls
                    .insert(answered.clone(), checked(fetched.validators.clone()));
            }
            if canonical != asked && canonical != answered {
                s.urls
                    .entry(canonical.to_string())
                    .or_insert_with(|| checked(Validators::default()));
            }
            if let Some(feed) = target.feed_entry()
                && let Some(guid) = &feed.guid
            {
                s.guids.insert(guid_key(&feed.feed_url, guid), id.clone());
            }
        });
    }
}

fn fetch_origin(target: &Target, fetched: &Fetched) -> Origin {
    Origin::Fetch {
        url: target.url.to_string(),
        final_url: (fetched.final_url != target.url).then(|| fetched.final_url.to_string()),
        source: target.source.as_deref().map(str::to_string),
    }
}

fn http_info(fetched: &Fetched, charset: page::charset::Charset) -> HttpInfo {
    HttpInfo {
        status: fetched.status,
        content_type: fetched.content_type.clone(),
        charset: Some(charset.name().to_string()),
        etag: fetched.validators.etag.clone(),
        last_modified: fetched.validators.last_modified.clone(),
    }
}

/// The key a URL is known by in the state: its identity (tracking parameters removed).
fn key(url: &Url) -> String {
    urls::identity(url).into()
}

enum DiscoveryFailure {
    Failed(String),
    OutOfTime,
}
