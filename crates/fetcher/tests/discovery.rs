//! Discovery and storing against a server on 127.0.0.1: feeds, sitemaps, robots.txt sitemaps,
//! URL lists, keyword filters and limits; identity, versions, charsets and metadata.

mod support;

use std::io::Write;
use std::time::Duration;

use corpus::ArticleId;
use fetcher::state::FetchState;
use fetcher::{SourceConfig, SourceKind, Status};
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

fn rss(items: &[(&str, &str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, title, link)| format!("<item><guid isPermaLink=\"false\">{guid}</guid><title>{title}</title><link>{link}</link><pubDate>Sat, 30 Dec 2023 15:05:00 GMT</pubDate><description>About {title}</description></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example Wire</title>{items}</channel></rss>"
    )
}

fn xml(body: impl Into<Vec<u8>>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.into(), "application/xml")
}

#[tokio::test]
async fn feed_entries_are_stored_with_feed_data_and_page_metadata() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(
        &server,
        "/feed",
        xml(rss(&[
            ("g-1", "Quake strikes", &format!("{u}/quake?utm_source=rss")),
            ("g-2", "Flood", &format!("{u}/flood")),
        ])),
    )
    .await;
    let quake = r#"<html lang="en"><head><meta property="og:site_name" content="Example Wire">
        <meta name="author" content="Ann Writer"><meta property="article:published_time" content="2023-12-30T18:05:00+03:00">
        </head><body><p>At least ten people died.</p></body></html>"#;
    mount(&server, "/quake", html(quake)).await;
    mount(&server, "/flood", html(page("Flood", "Rivers rose."))).await;
    let summary = fetch(
        &corpus,
        vec![source(SourceKind::Feed, &format!("{u}/feed"))],
        quick(),
    )
    .await;
    assert_eq!(count(&summary, Status::New), 2, "{summary:?}");
    assert_eq!(summary.sources[0].entries, 2);
    let a = article_for(&corpus, &format!("{u}/quake"));
    assert_eq!(
        a.canonical_url.as_deref(),
        Some(format!("{u}/quake").as_str())
    );
    assert_eq!(
        a.meta.title.as_deref(),
        Some("Quake strikes"),
        "the feed title fills what the page lacks"
    );
    assert_eq!(a.meta.authors, ["Ann Writer"]);
    assert_eq!(a.meta.site_name.as_deref(), Some("Example Wire"));
    assert_eq!(
        a.meta.published.unwrap().to_string(),
        "2023-12-30T18:05:00+03:00"
    );
    assert_eq!(a.meta.language.as_deref(), Some("en"));
    let entry = a.feed_entry.unwrap();
    assert_eq!(entry.guid.as_deref(), Some("g-1"));
    assert_eq!(entry.summary.as_deref(), Some("About Quake strikes"));
    assert!(
        matches!(a.origin, corpus::Origin::Fetch { ref source, .. } if source.as_deref() == Some(format!("{u}/feed").as_str()))
    );
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert_eq!(state.guids.len(), 2);
}

#[tokio::test]
async fn one_article_reached_by_many_urls_is_downloaded_and_stored_once() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(
        &server,
        "/feed",
        xml(rss(&[(
            "g",
            "Story",
            &format!("{u}/story?utm_source=rss&amp;fbclid=abc"),
        )])),
    )
    .await;
    mount(
        &server,
        "/sitemap.xml",
        xml(format!(
            "<urlset><url><loc>{u}/story</loc></url><url><loc>{u}/amp/story</loc></url></urlset>"
        )),
    )
    .await;
    let canonical = format!(
        r#"<html><head><link rel="canonical" href="{u}/story"></head><body><p>The story.</p></body></html>"#
    );
    mount(&server, "/story", html(canonical.clone())).await;
    mount(&server, "/amp/story", html(canonical)).await;
    let sources = vec![
        source(SourceKind::Feed, &format!("{u}/feed")),
        source(SourceKind::Sitemap, &format!("{u}/sitemap.xml")),
        source(SourceKind::Url, &format!("{u}/story#comments")),
    ];
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(
        hits(&server, "/story").await,
        1,
        "three spellings of one URL: one download"
    );
    assert_eq!(hits(&server, "/amp/story").await, 1);
    assert_eq!(count(&summary, Status::New), 1);
    assert_eq!(count(&summary, Status::Duplicate), 1);
    let all = stored(&corpus);
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].feed_entry.as_ref().unwrap().guid.as_deref(),
        Some("g")
    );
}

#[tokio::test]
async fn a_feed_guid_keeps_identity_when_the_link_changes() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    let feed = std::sync::Arc::new(std::sync::Mutex::new(rss(&[(
        "story-77",
        "Five dead",
        &format!("{u}/five-dead"),
    )])));
    let current = feed.clone();
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(move |_: &Request| xml(current.lock().unwrap().clone()))
        .mount(&server)
        .await;
    mount(
        &server,
        "/five-dead",
        html(page("Five dead", "Five people died.")),
    )
    .await;
    mount(
        &server,
        "/fourteen-dead",
        html(page("Fourteen dead", "Fourteen people died.")),
    )
    .await;
    let run = || {
        fetch(
            &corpus,
            vec![source(SourceKind::Feed, &format!("{u}/feed"))],
            quick(),
        )
    };
    assert_eq!(count(&run().await, Status::New), 1);
    *feed.lock().unwrap() = rss(&[("story-77", "Fourteen dead", &format!("{u}/fourteen-dead"))]);
    assert_eq!(count(&run().await, Status::Updated), 1);
    let all = stored(&corpus);
    assert_eq!(all.len(), 1, "the same story, a new version");
    assert!(all[0].body.contains("Fourteen"));
    assert_eq!(corpus.raw_history(&all[0].id).unwrap().len(), 1);
}

#[tokio::test]
async fn unchanged_bodies_write_nothing_and_recent_articles_are_not_asked_again() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(&server, "/a", html(page("A", "Same text."))).await;
    let src = vec![source(SourceKind::Url, &format!("{u}/a"))];
    assert_eq!(
        count(&fetch(&corpus, src.clone(), quick()).await, Status::New),
        1
    );
    let raw = corpus.raw_path(&ArticleId::from_url(&format!("{u}/a")));
    let before = std::fs::metadata(&raw).unwrap().modified().unwrap();
    assert_eq!(
        count(
            &fetch(&corpus, src.clone(), quick()).await,
            Status::Unchanged
        ),
        1
    );
    assert_eq!(std::fs::metadata(&raw).unwrap().modified().unwrap(), before);
    let patient = fetcher::Settings {
        revisit_after: Duration::from_secs(3600),
        ..quick()
    };
    let summary = fetch(&corpus, src, patient).await;
    assert_eq!(count(&summary, Status::Fresh), 1);
    assert_eq!(hits(&server, "/a").await, 2);
}

#[tokio::test]
async fn feeds_are_asked_for_conditionally() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    let body = rss(&[("1", "One", &format!("{u}/one"))]);
    Mock::given(method("GET"))
        .and(path("/feed"))
        .respond_with(move |r: &Request| {
            if r.headers
                .get("if-none-match")
                .is_some_and(|v| v == "\"f1\"")
            {
                ResponseTemplate::new(304)
            } else {
                xml(body.clone()).insert_header("ETag", "\"f1\"")
            }
        })
        .mount(&server)
        .await;
    mount(&server, "/one", html(page("One", "x"))).await;
    let src = vec![source(SourceKind::Feed, &format!("{u}/feed"))];
    fetch(&corpus, src.clone(), quick()).await;
    let summary = fetch(&corpus, src, quick()).await;
    assert_eq!(summary.sources[0].status, "not_modified");
    assert_eq!(hits(&server, "/one").await, 1);
}

#[tokio::test]
async fn keyword_filters_and_per_source_limits() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(
        &server,
        "/feed",
        xml(rss(&[
            ("1", "Earthquake toll rises", &format!("{u}/e1")),
            ("2", "Football results", &format!("{u}/f")),
            ("3", "Aid arrives", &format!("{u}/after-the-earthquake")),
            ("4", "Earthquake: rescuers search", &format!("{u}/e2")),
        ])),
    )
    .await;
    for p in ["/e1", "/f", "/after-the-earthquake", "/e2"] {
        mount(&server, p, html(page(p, "x"))).await;
    }
    let filtered = SourceConfig {
        keywords: vec!["EARTHQUAKE".into()],
        max_articles: Some(2),
        ..source(SourceKind::Feed, &format!("{u}/feed"))
    };
    let summary = fetch(&corpus, vec![filtered], quick()).await;
    assert_eq!(summary.sources[0].entries, 2);
    assert_eq!(count(&summary, Status::New), 2);
    assert_eq!(hits(&server, "/f").await, 0);
}

#[tokio::test]
async fn sitemap_indexes_gzip_and_caps() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(
        &server,
        "/index.xml",
        xml(format!(
            "<sitemapindex><sitemap><loc>{u}/old.xml</loc><lastmod>2020-01-01</lastmod></sitemap>\
         <sitemap><loc>{u}/new.xml.gz</loc><lastmod>2024-01-01</lastmod></sitemap>\
         <sitemap><loc>{u}/nested.xml</loc><lastmod>2023-01-01</lastmod></sitemap></sitemapindex>"
        )),
    )
    .await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(format!("<urlset><url><loc>{u}/n1</loc></url></urlset>").as_bytes())
        .unwrap();
    mount(
        &server,
        "/new.xml.gz",
        ResponseTemplate::new(200).set_body_raw(gz.finish().unwrap(), "application/x-gzip"),
    )
    .await;
    mount(
        &server,
        "/nested.xml",
        xml(format!(
            "<sitemapindex><sitemap><loc>{u}/deep.xml</loc></sitemap></sitemapindex>"
        )),
    )
    .await;
    mount(
        &server,
        "/deep.xml",
        xml(format!("<urlset><url><loc>{u}/d1</loc></url></urlset>")),
    )
    .await;
    mount(
        &server,
        "/old.xml",
        xml(format!("<urlset><url><loc>{u}/o1</loc></url></urlset>")),
    )
    .await;
    for p in ["/n1", "/d1", "/o1"] {
        mount(&server, p, html(page(p, "x"))).await;
    }
    // Depth 1: the nested index is read but not followed; three files: the oldest is left out.
    let capped = fetcher::Settings {
        sitemap_max_depth: 1,
        sitemap_max_files: 3,
        ..quick()
    };
    let summary = fetch(
        &corpus,
        vec![source(SourceKind::Sitemap, &format!("{u}/index.xml"))],
        capped,
    )
    .await;
    assert_eq!(count(&summary, Status::New), 1, "{summary:?}");
    assert_eq!(hits(&server, "/n1").await, 1);
    assert_eq!(hits(&server, "/nested.xml").await, 1);
    assert_eq!(hits(&server, "/deep.xml").await, 0);
    assert_eq!(hits(&server, "/old.xml").await, 0);
}

/// Issue 17: links were requested with a rebuilt query (`?q=a+b`, `?item=`), another URL than
/// the page linked, which robots.txt rules on the query then refused.
#[tokio::test]
async fn links_are_requested_as_given_and_known_without_tracking() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    let robots = "User-agent: *\nDisallow: /s\nAllow: /s?q=a%20b$\nAllow: /s?item$\n";
    mount(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200).set_body_string(robots),
    )
    .await;
    mount(&server, "/s", html(page("Search", "x"))).await;
    let list = format!("{u}/s?q=a%20b\n{u}/s?item\n{u}/s?item&utm_source=x\n");
    mount(
        &server,
        "/list.txt",
        ResponseTemplate::new(200).set_body_string(list),
    )
    .await;
    let summary = fetch(
        &corpus,
        vec![source(SourceKind::List, &format!("{u}/list.txt"))],
        quick(),
    )
    .await;
    let queries: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/s")
        .map(|r| r.url.query().unwrap_or_default().to_string())
        .collect();
    assert_eq!(queries, ["q=a%20b", "item"], "{summary:?}");
    assert_eq!(count(&summary, Status::New), 2, "{summary:?}");
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    let keys: Vec<&String> = state.urls.keys().collect();
    assert_eq!(keys, [&format!("{u}/s?item"), &format!("{u}/s?q=a%20b")]);
}

#[tokio::test]
async fn robots_txt_sitemap_lines_and_url_lists() {
    let (server, dir, corpus) = setup().await;
    let u = server.uri();
    mount(
        &server,
        "/robots.txt",
        ResponseTemplate::new(200)
            .set_body_string(format!("User-agent: *\nAllow: /\nSitemap: {u}/sm.xml\n")),
    )
    .await;
    mount(
        &server,
        "/sm.xml",
        xml(format!(
            "<urlset><url><loc>{u}/from-sitemap</loc></url></urlset>"
        )),
    )
    .await;
    mount(
        &server,
        "/list.txt",
        ResponseTemplate::new(200).set_body_string(format!("# wanted\n{u}/from-list\nnot a url\n")),
    )
    .await;
    for p in ["/from-sitemap", "/from-list", "/from-file"] {
        mount(&server, p, html(page(p, "x"))).await;
    }
    let list_file = dir.path().join("urls.txt");
    std::fs::write(&list_file, format!("{u}/from-file\n")).unwrap();
    let sources = vec![
        source(SourceKind::Robots, &format!("{u}/")),
        source(SourceKind::List, &format!("{u}/list.txt")),
        source(SourceKind::List, list_file.to_str().unwrap()),
    ];
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(count(&summary, Status::New), 3, "{summary:?}");
    assert_eq!(hits(&server, "/robots.txt").await, 1);
}

#[tokio::test]
async fn a_corrupt_state_file_is_named_and_replaced_without_losing_articles() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(&server, "/a", html(page("A", "x"))).await;
    let src = vec![source(SourceKind::Url, &format!("{u}/a"))];
    fetch(&corpus, src.clone(), quick()).await;
    let state_path = corpus.state_path("fetcher").unwrap();
    std::fs::write(&state_path, b"{ truncated").unwrap();
    let summary = fetch(&corpus, src, quick()).await;
    assert_eq!(count(&summary, Status::Unchanged), 1, "{summary:?}");
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert_eq!(state.urls.len(), 1);
    assert_eq!(stored(&corpus).len(), 1);
}

#[tokio::test]
async fn failing_sources_back_off_across_runs() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    mount(&server, "/broken", xml("<html>this is not a feed</html>")).await;
    let src = vec![source(SourceKind::Feed, &format!("{u}/broken"))];
    let summary = fetch(&corpus, src.clone(), quick()).await;
    assert_eq!(summary.sources[0].status, "failed");
    assert_eq!(summary.failed(), 1);
    assert!(
        summary.sources[0]
            .error
            .as_deref()
            .unwrap()
            .contains("/broken")
    );
    let state: FetchState = corpus.read_state("fetcher").unwrap().unwrap();
    assert_eq!(
        state.sources[&format!("{u}/broken")].consecutive_failures,
        1
    );
    let summary = fetch(&corpus, src, quick()).await;
    assert_eq!(summary.sources[0].status, "backing_off");
    assert_eq!(summary.failed(), 0);
    assert_eq!(
        hits(&server, "/broken").await,
        1,
        "not asked for while backing off"
    );
}

#[tokio::test]
async fn charsets_are_decoded_and_raw_bytes_kept() {
    let (server, _dir, corpus) = setup().await;
    let u = server.uri();
    let latin = b"<html><body><p>Caf\xe9 \x93bombing\x94 in the city</p></body></html>".to_vec();
    let declared = encoding_rs::SHIFT_JIS.encode("<html><head><meta charset=\"Shift_JIS\"></head><body><p>地震で十人が死亡</p></body></html>").0.into_owned();
    let guessed = encoding_rs::SHIFT_JIS.encode("<html><body><p>東京で地震が発生し、少なくとも十人が死亡したと警察が発表した。</p></body></html>").0.into_owned();
    for (p, body, content_type) in [
        ("/latin", &latin, "text/html; charset=windows-1252"),
        ("/sjis-meta", &declared, "text/html"),
        ("/sjis-guess", &guessed, "text/html"),
    ] {
        let response = ResponseTemplate::new(200).set_body_raw(body.clone(), content_type);
        mount(&server, p, response).await;
    }
    let sources = ["/latin", "/sjis-meta", "/sjis-guess"]
        .iter()
        .map(|p| source(SourceKind::Url, &format!("{u}{p}")))
        .collect();
    fetch(&corpus, sources, quick()).await;
    for (p, expect, charset, bytes) in [
        (
            "/latin",
            "Café “bombing” in the city",
            "windows-1252",
            latin,
        ),
        ("/sjis-meta", "地震で十人が死亡", "Shift_JIS", declared),
        ("/sjis-guess", "少なくとも十人が死亡", "Shift_JIS", guessed),
    ] {
        let a = article_for(&corpus, &format!("{u}{p}"));
        assert!(a.body.contains(expect), "{p}: {}", a.body);
        assert_eq!(
            a.http.as_ref().unwrap().charset.as_deref(),
            Some(charset),
            "{p}"
        );
        assert_eq!(
            corpus.read_blob(a.raw_blob.as_deref().unwrap()).unwrap(),
            bytes,
            "{p}"
        );
    }
}

/// Issue 14, finding 6: a binary or empty body from the web is refused as the same bytes
/// from `--import` are, and counted as a failure; a page is stored.
#[tokio::test]
async fn binary_or_empty_bodies_from_the_web_are_refused_as_imports_are() {
    let (server, dir, corpus) = setup().await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    mount(&server, "/binary", html(png)).await;
    mount(&server, "/empty", html(" \n")).await;
    mount(
        &server,
        "/page",
        html(page("Quake", "Ten people were killed.")),
    )
    .await;
    let urls = ["/binary", "/empty", "/page"].map(|p| format!("{}{p}", server.uri()));
    let sources = urls.iter().map(|u| source(SourceKind::Url, u)).collect();
    let summary = fetch(&corpus, sources, quick()).await;
    assert_eq!(summary.failed(), 2, "{}", summary.render());
    assert_eq!(count(&summary, Status::New), 1);
    assert_eq!(stored(&corpus).len(), 1);
    for (name, bytes) in [("binary.html", png), ("empty.html", b" \n".as_slice())] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        assert!(
            fetcher::import::read_import(&file, u64::MAX).is_err(),
            "{name}"
        );
    }
}
