use super::*;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-06-01T00:00:00Z")
        .unwrap()
        .to_utc()
}

fn page(html: &str, url: &str) -> PageMeta {
    let url = Url::parse(url).unwrap();
    read(
        html,
        &Context {
            url: Some(&url),
            content_language: None,
            now: now(),
        },
    )
}

fn published(html: &str, url: &str) -> (String, &'static str) {
    let m = page(html, url);
    (
        m.meta.published.map_or("-".into(), |t| t.to_string()),
        m.published_from.unwrap_or("-"),
    )
}

#[test]
fn the_address_then_meta_tags_then_json_ld() {
    let html = r#"<html lang="en-gb"><head>
        <title>Fallback | Site</title>
        <meta property="og:title" content="  Quake  kills  ten ">
        <meta property="og:site_name" content="Daily Example">
        <meta name="author" content="Ann Writer">
        <meta property="article:published_time" content="2023-12-30T18:05:00+03:00">
        <meta property="article:modified_time" content="2023-12-31T09:00:00Z">
        <link rel="canonical" href="/news/quake?utm_source=x">
        <script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2020-01-01",
          "articleBody":"Text."}</script>
        </head><body><time datetime="2021-05-05">x</time></body></html>"#;
    let m = page(html, "https://example.com/2019/01/02/quake");
    assert_eq!(m.meta.title.as_deref(), Some("Quake kills ten"));
    assert_eq!(m.meta.site_name.as_deref(), Some("Daily Example"));
    assert_eq!(m.meta.authors, ["Ann Writer"]);
    assert_eq!(m.meta.published.unwrap().to_string(), "2019-01-02");
    assert_eq!(m.published_from, Some("url"));
    let m = page(html, "https://example.com/quake");
    assert_eq!(
        m.meta.published.unwrap().to_string(),
        "2023-12-30T18:05:00+03:00"
    );
    // the address's day, with the time a meta tag states on that day
    let m = page(html, "https://example.com/2023/12/30/quake");
    assert_eq!(
        m.meta.published.unwrap().to_string(),
        "2023-12-30T18:05:00+03:00"
    );
    assert_eq!(m.published_from, Some("url"));
    let html = html.replace("article:published_time", "other");
    let m = page(&html, "https://example.com/quake");
    assert_eq!(m.meta.published.unwrap().to_string(), "2020-01-01");
    assert_eq!(
        m.meta.modified.unwrap().to_string(),
        "2023-12-31T09:00:00+00:00"
    );
    assert_eq!(m.meta.language.as_deref(), Some("en-GB"));
    assert_eq!(
        m.meta.canonical_url.as_deref(),
        Some("https://example.com/news/quake?utm_source=x")
    );
    assert_eq!(m.article_body.as_deref(), Some("Text."));
}

#[test]
fn json_ld_in_graph() {
    let html = r#"<script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[{"@type":"WebPage","datePublished":"2017-01-01"},
         {"@type":["ReportageNewsArticle"],"headline":"Blast at market",
          "datePublished":"2017-05-22T23:10:00+01:00","dateModified":"2017-05-23T08:00:00+01:00",
          "author":[{"@type":"Person","name":"A. One"},{"name":"B. Two"}],
          "publisher":{"@type":"Organization","name":"Example Wire"},"inLanguage":"fr-FR"}]}
        </script>"#;
    let m = page(html, "https://example.com/a").meta;
    assert_eq!(m.title.as_deref(), Some("Blast at market"));
    assert_eq!(m.authors, ["A. One", "B. Two"]);
    assert_eq!(m.site_name.as_deref(), Some("Example Wire"));
    assert_eq!(
        m.published.unwrap().to_string(),
        "2017-05-22T23:10:00+01:00"
    );
    assert_eq!(m.language.as_deref(), Some("fr-FR"));
}

/// Issue 17: dates only in elements marked as dates, in `<abbr title>`, in `itemprop`
/// outside JSON-LD, in the URL path, under other meta keys.
#[test]
fn each_source_in_its_turn() {
    let cases = [
        (
            r#"<meta name="dc.date.issued" content="2015-11-13">"#,
            "2015-11-13",
            "meta",
        ),
        (
            r#"<meta name="parsely-pub-date" content="2015-11-13T21:20:00Z">"#,
            "2015-11-13T21:20:00+00:00",
            "meta",
        ),
        (
            r#"<span itemprop="datePublished" content="2015-11-13">Nov 13</span>"#,
            "2015-11-13",
            "itemprop",
        ),
        (
            r#"<abbr class="published" title="2015-11-13T21:20:00+01:00">Friday</abbr>"#,
            "2015-11-13T21:20:00+01:00",
            "itemprop",
        ),
        (
            r#"<time datetime="2016-01-01" class="updated"></time><time datetime="2015-11-14"></time><time datetime="2015-11-13"></time>"#,
            "2015-11-13",
            "time",
        ),
        (
            r#"<div class="post-meta"><span class="date">17/03/2020</span></div>"#,
            "2020-03-17",
            "marked",
        ),
        (
            r#"<p class="datum">17. März 2020</p>"#,
            "2020-03-17",
            "marked",
        ),
        (r#"<h1>Report of 5 May 2019</h1>"#, "2019-05-05", "heading"),
        (
            r#"<meta property="og:image" content="https://cdn.example.com/2018/04/03/pic.jpg">"#,
            "2018-04-03",
            "image",
        ),
        (
            r#"<p>Some text.</p><p>Stand: 17.03.2020</p><p>Older: 01.02.2019</p>"#,
            "2019-02-01",
            "text",
        ),
        (
            r#"<meta name="date" content="1970-01-01"><meta name="pubdate" content="2099-01-01"><p>none</p>"#,
            "-",
            "-",
        ),
    ];
    for (html, want, from) in cases {
        assert_eq!(
            published(html, "https://example.com/a"),
            (want.to_string(), from),
            "{html}"
        );
    }
    assert_eq!(
        published(
            "<p>x</p>",
            "https://example.com/world/2009/09/30/quake-story"
        ),
        ("2009-09-30".to_string(), "url")
    );
    assert_eq!(
        published("<p>x</p>", "https://example.com/news/20160824-italy"),
        ("2016-08-24".to_string(), "url")
    );
    assert_eq!(
        published("<p>x</p>", "https://example.com/1994/01/01/a").0,
        "-"
    );
}

/// A time the page states in UTC is read in the zone it states elsewhere: its local day.
#[test]
fn utc_times_in_the_page_s_stated_zone() {
    let html = r#"<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">
        <time datetime="2023-11-08T22:00:00-05:00">Nov 8</time>"#;
    let m = page(html, "https://example.com/a").meta;
    assert_eq!(
        m.published.unwrap().to_string(),
        "2023-11-08T21:11:03-05:00"
    );
    let html = r#"<meta property="article:published_time" content="2023-11-09T02:11:03Z">"#;
    let m = page(html, "https://example.com/a").meta;
    assert_eq!(
        m.published.unwrap().to_string(),
        "2023-11-09T02:11:03+00:00"
    );
}

#[test]
fn the_page_s_language_orders_day_and_month() {
    let html = r#"<html lang="en-US"><span class="date">03/05/2020</span>"#;
    assert_eq!(published(html, "https://example.com/a").0, "2020-03-05");
    let html = r#"<html lang="fr"><span class="date">03/05/2020</span>"#;
    assert_eq!(published(html, "https://example.com/a").0, "2020-05-03");
}

#[test]
fn bylines_and_authors() {
    let m = page(
        r#"<div class="byline">By Jane Doe and John Roe</div>"#,
        "https://example.com/a",
    );
    assert_eq!(m.meta.authors, ["Jane Doe", "John Roe"]);
    let m = page(
        r#"<div itemprop="author" itemscope><span itemprop="name">Jane Doe</span>, Staff</div>"#,
        "https://example.com/a",
    );
    assert_eq!(m.meta.authors, ["Jane Doe"]);
    assert_eq!(
        split_authors("https://example.com/jane"),
        Vec::<String>::new()
    );
}

#[test]
fn canonical_to_front_page_is_ignored_and_languages_are_tags() {
    let m = page(
        r#"<link rel="canonical" href="https://example.com/">"#,
        "https://example.com/story",
    );
    assert_eq!(m.canonical, None);
    assert_eq!(language_tag("en_us"), Some("en-US".into()));
    assert_eq!(language_tag("zh-Hans-CN"), Some("zh-Hans-CN".into()));
    assert_eq!(language_tag("RU"), Some("ru".into()));
    assert_eq!(language_tag("x"), None);
    let url = Url::parse("https://example.com/a").unwrap();
    let cx = Context {
        url: Some(&url),
        content_language: Some("de-DE, en"),
        now: now(),
    };
    assert_eq!(read("<p>x", &cx).meta.language.as_deref(), Some("de-DE"));
}
