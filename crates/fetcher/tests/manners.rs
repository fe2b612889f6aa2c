//! The fetcher's manners, each checked against a server on 127.0.0.1 by what the server saw.

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use corpus::Corpus;
use fetcher::state::FetchState;
use fetcher::{SourceKind, Status};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[tokio::test]
async fn sends_its_own_user_agent_and_reads_robots_once_per_host() {
    let (server, _dir, corpus) = setup().await;
    for p in ["/a", "/b", "/c"] {
        mount(&server, p, html(page(p, "text"))).await;
    }
    let sources = ["/a", "/b", "/c"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(count(&summary, Status::New), 3);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(hits(&server, "/robots.txt").await, 1);
    assert_eq!(
        requests[0].url.path(),
        "/robots.txt",
        "robots.txt comes first"
    );
    for r in &requests {
        let ua = r.headers.get("user-agent").unwrap().to_str().unwrap();
        assert!(
            ua.starts_with("crosscheck/") && ua.contains("(+https://"),
            "{ua}"
        );
    }

    let custom = fetcher::Settings {
        user_agent: "TestBot/2 (+https://example.org/bot)".into(),
        ..quick()
    };
    fetch_url(&corpus, &format!("{}/a", server.uri()), custom).await;
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        last.headers.get("user-agent").unwrap(),
        "TestBot/2 (+https://example.org/bot)"
    );
}

#[tokio::test]
async fn robots_txt_longest_match_wins_and_allow_wins_ties() {
    let (server, _dir, corpus) = setup().await;
    let robots = "User-agent: *\nDisallow: /\n\n\
                  User-agent: crosscheck\nDisallow: /news/\nAllow: /news/world/\nDisallow: /tie\nAllow: /tie\n";
    mount(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_string(robots),
    )
    .await;
    let pages = ["/news/local/1", "/news/world/2", "/tie/3", "/other/4"];
    for p in pages {
        mount(&server, p, html(page(p, "x"))).await;
    }
    let sources = pages
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(count(&summary, Status::Robots), 1);
    assert_eq!(count(&summary, Status::New), 3);
    let seen = paths(&server).await;
    assert!(!seen.contains(&"/news/local/1".to_string()), "{seen:?}");
    for p in ["/news/world/2", "/tie/3", "/other/4"] {
        assert!(seen.contains(&p.to_string()), "{p} not fetched: {seen:?}");
    }
}

#[tokio::test]
async fn robots_4xx_allows_all_and_5xx_skips_the_host() {
    let (server, _dir, corpus) = setup().await;
    mount(&server, "/robots.txt", ResponseTemplate::new(403)).await;
    mount(&server, "/a", html(page("a", "x"))).await;
    let summary = fetch_url(&corpus, &format!("{}/a", server.uri()), quick()).await;
    assert_eq!(count(&summary, Status::New), 1);

    let (down, _dir2, corpus2) = setup().await;
    mount(&down, "/robots.txt", ResponseTemplate::new(503)).await;
    mount(&down, "/a", html(page("a", "x"))).await;
    mount(&down, "/b", html(page("b", "x"))).await;
    let sources = ["/a", "/b"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", down.uri())))
        .collect();
    let summary = fetch(
        &corpus2,
        sources,
        fetcher::Settings {
            retries: 1,
            ..quick()
        },
    )
    .await;
    assert_eq!(count(&summary, Status::Deferred), 2);
    let seen = paths(&down).await;
    assert!(
        seen.iter().all(|p| p == "/robots.txt"),
        "only robots.txt may be asked for: {seen:?}"
    );
    assert_eq!(
        seen.len(),
        2,
        "robots.txt fetched once per run, with its retry"
    );
    let state: FetchState = corpus2.read_state("fetcher").unwrap().unwrap();
    assert_eq!(state.deferred.len(), 2);
}

/// Serves `timed` at each of `paths`.
async fn mount_timed(server: &MockServer, paths: &[&str], timed: &Timed) {
    for p in paths {
        Mock::given(method("GET"))
            .and(path(*p))
            .respond_with(timed.clone())
            .mount(server)
            .await;
    }
}

/// A host without a robots.txt that answers every other path with `timed`.
async fn timed_host(server: &MockServer, timed: &Timed) {
    mount(server, "/robots.txt", ResponseTemplate::new(404)).await;
    Mock::given(method("GET"))
        .respond_with(timed.clone())
        .mount(server)
        .await;
}

#[tokio::test]
async fn crawl_delay_is_honoured_up_to_its_cap() {
    let (server, _dir, corpus) = setup().await;
    mount(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_string("User-agent: *\nCrawl-delay: 0.5\n"),
    )
    .await;
    let timed = Timed::new(Duration::ZERO);
    mount_timed(&server, &["/p/1", "/p/2", "/p/3"], &timed).await;
    let sources = (1..=3)
        .map(|i| source(SourceKind::Url, &format!("{}/p/{i}", server.uri())))
        .collect();
    fetch(&corpus, sources, quick()).await;
    assert_eq!(timed.starts().len(), 3);
    timed.assert_spaced(Duration::from_millis(500));

    let (server, _dir, corpus) = setup().await;
    mount(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_string("User-agent: *\nCrawl-delay: 60\n"),
    )
    .await;
    let timed = Timed::new(Duration::ZERO);
    mount_timed(&server, &["/p/1", "/p/2"], &timed).await;
    let sources = (1..=2)
        .map(|i| source(SourceKind::Url, &format!("{}/p/{i}", server.uri())))
        .collect();
    let capped = fetcher::Settings {
        max_crawl_delay: Duration::from_millis(500),
        ..quick()
    };
    let started = Instant::now();
    fetch(&corpus, sources, capped).await;
    timed.assert_spaced(Duration::from_millis(500));
    // Generous for a loaded machine; the uncapped delay would take at least 60 s.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a 60 s crawl delay must be cut to the cap"
    );
}

#[tokio::test]
async fn per_host_concurrency_and_delay_and_hosts_in_parallel() {
    // Concurrency 2, no delay: two in flight at the peak, never three. Each response takes
    // long enough that the second request arrives within it even on a loaded machine; a third
    // cannot arrive before a response has been sent.
    let (server, _dir, corpus) = setup().await;
    let timed = Timed::new(Duration::from_millis(500));
    timed_host(&server, &timed).await;
    let sources = (0..4)
        .map(|i| source(SourceKind::Url, &format!("{}/c/{i}", server.uri())))
        .collect();
    let settings = fetcher::Settings {
        host_concurrency: 2,
        ..quick()
    };
    let summary = fetch(&corpus, sources, settings).await;
    assert_eq!(count(&summary, Status::New), 4);
    assert_eq!(timed.max_in_flight(), 2);

    // Default concurrency (1) with a delay: one at a time, starts spaced by the delay.
    let (server, _dir, corpus) = setup().await;
    let timed = Timed::new(Duration::from_millis(20));
    timed_host(&server, &timed).await;
    let sources = (0..4)
        .map(|i| source(SourceKind::Url, &format!("{}/d/{i}", server.uri())))
        .collect();
    let settings = fetcher::Settings {
        host_delay: Duration::from_millis(400),
        ..quick()
    };
    fetch(&corpus, sources, settings).await;
    assert_eq!(timed.starts().len(), 4);
    timed.assert_spaced(Duration::from_millis(400));

    // Two hosts, one request at a time each: the hosts overlap.
    let (a, _dir, corpus) = setup().await;
    let b = MockServer::start().await;
    let timed = Timed::new(Duration::from_millis(500));
    for s in [&a, &b] {
        timed_host(s, &timed).await;
    }
    let sources = (0..2)
        .flat_map(|i| {
            [
                source(SourceKind::Url, &format!("{}/h/{i}", a.uri())),
                source(SourceKind::Url, &format!("{}/h/{i}", b.uri())),
            ]
        })
        .collect();
    fetch(&corpus, sources, quick()).await;
    assert_eq!(timed.starts().len(), 4);
    assert_eq!(timed.max_in_flight(), 2, "one per host, both hosts at once");
}

#[tokio::test]
async fn retry_after_is_waited_for_within_the_cap_and_defers_beyond_it() {
    let (server, _dir, corpus) = setup().await;
    let timed = Timed::failing(
        1,
        ResponseTemplate::new(503).insert_header("Retry-After", "1"),
    );
    mount_timed(&server, &["/busy"], &timed).await;
    let summary = fetch_url(&corpus, &format!("{}/busy", server.uri()), quick()).await;
    assert_eq!(count(&summary, Status::New), 1);
    let starts = timed.starts();
    assert_eq!(starts.len(), 2);
    assert!(
        starts[1] - starts[0] >= Duration::from_millis(990),
        "{:?}",
        starts[1] - starts[0]
    );

    // Beyond the cap: one request, deferred, remembered, not asked again before it is due.
    let (server, _dir, corpus) = setup().await;
    mount(
        &server,
        "/later",
        ResponseTemplate::new(429).insert_header("Retry-After", "3600"),
    )
    .await;
    let url = format!("{}/later", server.uri());
    let settings = fetcher::Settings {
        max_retry_after: Duration::from_secs(5),
        ..quick()
    };
    let summary = fetch_url(&corpus, &url, settings.clone()).await;
    assert_eq!(count(&summary, Status::Deferred), 1);
    assert_eq!(summary.failed(), 0);
    assert_eq!(hits(&server, "/later").await, 1);
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    let deferred = &state.deferred[&url];
    let wait = deferred.not_before - chrono::Utc::now();
    assert!(wait > chrono::Duration::seconds(3500), "{wait:?}");
    fetch(&corpus, Vec::new(), settings).await;
    assert_eq!(hits(&server, "/later").await, 1, "not due yet");
}

#[tokio::test]
async fn deferred_urls_are_fetched_by_a_later_run_without_their_source() {
    let (server, _dir, corpus) = setup().await;
    let timed = Timed::failing(
        1,
        ResponseTemplate::new(503).insert_header("Retry-After", "1"),
    );
    mount_timed(&server, &["/soon"], &timed).await;
    let url = format!("{}/soon", server.uri());
    let settings = fetcher::Settings {
        max_retry_after: Duration::from_millis(500),
        ..quick()
    };
    let summary = fetch_url(&corpus, &url, settings.clone()).await;
    assert_eq!(count(&summary, Status::Deferred), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let summary = fetch(&corpus, Vec::new(), settings).await;
    assert_eq!(count(&summary, Status::New), 1);
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert!(state.deferred.is_empty());
}

#[tokio::test]
async fn server_errors_retry_with_growing_backoff_and_404_is_not_retried() {
    let (server, _dir, corpus) = setup().await;
    let timed = Timed::failing(2, ResponseTemplate::new(502));
    mount_timed(&server, &["/flaky"], &timed).await;
    mount(&server, "/gone", ResponseTemplate::new(410)).await;
    mount(&server, "/missing", ResponseTemplate::new(404)).await;
    let settings = fetcher::Settings {
        retry_base_delay: Duration::from_millis(200),
        retry_max_delay: Duration::from_secs(5),
        ..quick()
    };
    let sources = ["/flaky", "/gone", "/missing"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, settings).await;
    let starts = timed.starts();
    assert_eq!(starts.len(), 3);
    let (first, second) = (starts[1] - starts[0], starts[2] - starts[1]);
    // The lower bounds are the backoff's own (half the base, then the base); the upper ones
    // leave room for a loaded machine and still fail if the first wait were the cap's
    // (at least 2.5 s). The doubling itself is checked exactly in http.rs.
    assert!(
        first >= Duration::from_millis(100) && first < Duration::from_secs(2),
        "{first:?}"
    );
    assert!(
        second >= Duration::from_millis(200) && second < Duration::from_secs(2),
        "{second:?}"
    );
    assert_eq!(count(&summary, Status::New), 1);
    assert_eq!(hits(&server, "/gone").await, 1);
    assert_eq!(hits(&server, "/missing").await, 1);
    assert_eq!(summary.failure_reasons.get("http_404"), Some(&1));
    assert_eq!(summary.failure_reasons.get("http_410"), Some(&1));
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert_eq!(
        state.urls[&format!("{}/gone", server.uri())].gone,
        Some(410)
    );
}

#[tokio::test]
async fn connection_errors_retry_then_fail_naming_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let corpus = Corpus::create(dir.path()).unwrap();
    let url = format!("http://127.0.0.1:{port}/x");
    let summary = fetch_url(&corpus, &url, quick()).await;
    assert_eq!(summary.failed(), 1, "{summary:?}");
    assert!(summary.failures[0].error.contains(&url), "{summary:?}");
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert_eq!(
        state.deferred[&url].attempts, 1,
        "tried again by the next run"
    );
}

#[tokio::test]
async fn conditional_get_sends_validators_back_and_304_writes_nothing() {
    let (server, _dir, corpus) = setup().await;
    let body = std::sync::Arc::new(std::sync::Mutex::new(page("v", "first version")));
    let current = body.clone();
    Mock::given(method("GET"))
        .and(path("/cond"))
        .respond_with(move |r: &Request| {
            let b = current.lock().unwrap().clone();
            let etag = format!("\"{}\"", b.len());
            if r.headers
                .get("if-none-match")
                .is_some_and(|v| v.to_str().unwrap() == etag)
            {
                return ResponseTemplate::new(304);
            }
            html(b)
                .insert_header("ETag", etag.as_str())
                .insert_header("Last-Modified", "Sat, 30 Dec 2023 10:00:00 GMT")
        })
        .mount(&server)
        .await;
    let url = format!("{}/cond", server.uri());
    let run = || fetch_url(&corpus, &url, quick());
    assert_eq!(count(&run().await, Status::New), 1);
    let raw = corpus.raw_path(&corpus::ArticleId::from_url(&url));
    let before = std::fs::metadata(&raw).unwrap().modified().unwrap();

    assert_eq!(count(&run().await, Status::NotModified), 1);
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert!(last.headers.get("if-none-match").is_some());
    assert_eq!(
        last.headers.get("if-modified-since").unwrap(),
        "Sat, 30 Dec 2023 10:00:00 GMT"
    );
    assert_eq!(std::fs::metadata(&raw).unwrap().modified().unwrap(), before);

    *body.lock().unwrap() = page("v", "second, longer version of the text");
    assert_eq!(count(&run().await, Status::Updated), 1);
    let id = corpus::ArticleId::from_url(&url);
    assert!(corpus.read_raw(&id).unwrap().body.contains("second"));
    assert_eq!(
        corpus.raw_history(&id).unwrap().len(),
        1,
        "the old version is kept"
    );
}

#[tokio::test]
async fn redirects_are_followed_capped_and_loops_detected() {
    let (server, _dir, corpus) = setup().await;
    let redirect = |to: &str| ResponseTemplate::new(301).insert_header("Location", to);
    mount(&server, "/r1", redirect("/r2")).await;
    mount(&server, "/r2", redirect("/final")).await;
    mount(&server, "/final", html(page("final", "arrived"))).await;
    mount(&server, "/loop-a", redirect("/loop-b")).await;
    mount(&server, "/loop-b", redirect("/loop-a")).await;
    for i in 0..12 {
        mount(
            &server,
            &format!("/chain/{i}"),
            redirect(&format!("/chain/{}", i + 1)),
        )
        .await;
    }
    let sources = ["/r1", "/loop-a", "/chain/0"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(count(&summary, Status::New), 1);
    let a = article_for(&corpus, &format!("{}/final", server.uri()));
    assert!(
        matches!(a.origin, corpus::Origin::Fetch { ref final_url, .. } if final_url.as_deref().unwrap().ends_with("/final"))
    );
    assert_eq!(summary.failure_reasons.get("redirect_loop"), Some(&1));
    assert_eq!(summary.failure_reasons.get("too_many_redirects"), Some(&1));
    assert_eq!(hits(&server, "/loop-a").await, 1);
    let chain = paths(&server)
        .await
        .iter()
        .filter(|p| p.starts_with("/chain/"))
        .count();
    assert_eq!(chain, 11, "the first request and ten redirects");
}

#[tokio::test]
async fn slow_responses_time_out() {
    let (server, _dir, corpus) = setup().await;
    mount(
        &server,
        "/slow",
        html(page("slow", "x")).set_delay(Duration::from_secs(10)),
    )
    .await;
    let settings = fetcher::Settings {
        request_timeout: Duration::from_millis(300),
        retries: 1,
        ..quick()
    };
    let started = Instant::now();
    let summary = fetch_url(&corpus, &format!("{}/slow", server.uri()), settings).await;
    // Two attempts that waited for the response would take 20 s.
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        summary.failure_reasons.get("timeout"),
        Some(&1),
        "{summary:?}"
    );
    assert_eq!(hits(&server, "/slow").await, 2, "one retry");
}

#[tokio::test]
async fn body_cap_counts_decompressed_bytes_and_stores_nothing() {
    let (server, _dir, corpus) = setup().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"<html><body>").unwrap();
    gz.write_all(&vec![b'a'; 8 << 20]).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 100_000);
    mount(
        &server,
        "/bomb",
        ResponseTemplate::new(200)
            .insert_header("Content-Encoding", "gzip")
            .set_body_raw(bomb, "text/html"),
    )
    .await;
    mount(&server, "/big", html(vec![b'b'; 2 << 20])).await;
    mount(&server, "/small", html(page("small", "fits"))).await;
    let settings = fetcher::Settings {
        max_body_bytes: 1 << 20,
        ..quick()
    };
    let sources = ["/bomb", "/big", "/small"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, settings).await;
    assert_eq!(
        summary.failure_reasons.get("too_large"),
        Some(&2),
        "{summary:?}"
    );
    assert_eq!(count(&summary, Status::New), 1);
    assert_eq!(stored(&corpus).len(), 1);
    assert_eq!(hits(&server, "/bomb").await, 1, "too large is not retried");
}

#[tokio::test]
async fn non_html_is_skipped_and_counted() {
    let (server, _dir, corpus) = setup().await;
    mount(
        &server,
        "/doc.pdf",
        ResponseTemplate::new(200).set_body_raw(b"%PDF-1.7".to_vec(), "application/pdf"),
    )
    .await;
    mount(
        &server,
        "/img",
        ResponseTemplate::new(200).set_body_raw(vec![0x89, b'P', b'N', b'G'], "image/png"),
    )
    .await;
    let sources = ["/doc.pdf", "/img"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{}{p}", server.uri())))
        .collect();
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(count(&summary, Status::NotHtml), 2);
    assert_eq!(summary.failed(), 0);
    assert!(stored(&corpus).is_empty());
}

#[tokio::test]
async fn discovered_urls_on_private_addresses_are_refused_unless_allowed() {
    let (server, _dir, corpus) = setup().await;
    let feed = format!(
        r#"<rss version="2.0"><channel><title>F</title>
           <item><title>Inside</title><link>{0}/internal</link><guid>1</guid></item>
           <item><title>Meta</title><link>http://169.254.169.254/latest/meta-data/</link><guid>2</guid></item>
           </channel></rss>"#,
        server.uri()
    );
    mount(
        &server,
        "/feed.xml",
        ResponseTemplate::new(200).set_body_raw(feed, "application/rss+xml"),
    )
    .await;
    mount(&server, "/internal", html(page("internal", "secret"))).await;
    mount(
        &server,
        "/given",
        html(page("given", "asked for by the user")),
    )
    .await;
    let strict = fetcher::Settings {
        allow_private_networks: false,
        ..quick()
    };
    let sources = vec![
        source(SourceKind::Feed, &format!("{}/feed.xml", server.uri())),
        source(SourceKind::Url, &format!("{}/given", server.uri())),
    ];
    let summary = fetch(&corpus, sources.clone(), strict).await;
    assert_eq!(count(&summary, Status::Refused), 2);
    assert_eq!(
        count(&summary, Status::New),
        1,
        "a URL the user gave may be local"
    );
    assert_eq!(hits(&server, "/internal").await, 0);

    let summary = fetch(&corpus, sources, quick()).await;
    assert!(count(&summary, Status::New) >= 1);
    assert_eq!(hits(&server, "/internal").await, 1);
}
