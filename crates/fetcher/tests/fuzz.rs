//! Property tests of feed, sitemap, robots.txt and URL list parsing (issue 14, H): any bytes a server may
//! send give entries or an error, never a panic, in bounded time; every entry is an http(s)
//! URL. `just test` tries a few cases; `just fuzz` many more.

#[path = "../../../build/fuzz_support.rs"]
mod fuzz_support;

use fetcher::discover::{self, Sitemap};
use fetcher::robots::Robots;
use fuzz_support::{config, timed};
use proptest::prelude::*;
use url::Url;

/// Pieces of RSS, Atom, JSON Feed and sitemaps, in any order and nesting.
fn feed_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<?xml version=\"1.0\"?>",
            "<rss version=\"2.0\">",
            "</rss>",
            "<channel>",
            "</channel>",
            "<item>",
            "</item>",
            "<title>",
            "</title>",
            "<link>",
            "</link>",
            "<guid isPermaLink=\"false\">",
            "</guid>",
            "<pubDate>",
            "</pubDate>",
            "Mon, 01 Mar 2024 10:00:00 +0000",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            "</feed>",
            "<entry>",
            "</entry>",
            "<link href=\"https://example.com/a\"/>",
            "<updated>2024-03-01T10:00:00Z</updated>",
            "<urlset>",
            "</urlset>",
            "<url>",
            "</url>",
            "<loc>",
            "</loc>",
            "<sitemapindex>",
            "</sitemapindex>",
            "<sitemap>",
            "<![CDATA[",
            "]]>",
            "&amp;",
            "&bogus;",
            "https://example.com/news/1",
            "/relative/path",
            "javascript:alert(1)",
            "{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [",
            "{\"url\": \"https://example.com/j\"}",
            "]}",
            "<",
            ">",
            "\"",
            "\u{0}",
            "\u{feff}",
        ])
        .prop_map(str::to_string),
        "[a-z0-9 ]{1,16}",
        "\\PC{0,16}",
    ]
}

/// Lines of robots.txt: keys with or without a colon, patterns, odd bytes, long values.
fn robots_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "user-agent:",
        "User-Agent ",
        "allow:",
        "disallow:",
        "Disallow ",
        "crawl-delay:",
        "sitemap:",
        "# ",
        "",
        "\u{feff}",
    ]);
    let value = prop_oneof![
        "[*$/a-z%0-9.?=&]{0,30}",
        "\\PC{0,20}",
        Just("crosscheck".to_string()),
        Just("*".to_string()),
        "[a/*]{2000,3000}",
    ];
    let end = prop::sample::select(vec!["\n", "\r\n", "\r", ""]);
    (key, value, end).prop_map(|(k, v, e)| format!("{k}{v}{e}"))
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(feed_piece(), 0..200).prop_map(|p| p.concat().into_bytes()),
        prop::collection::vec(any::<u8>(), 0..2000),
    ]
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_feed_gives_web_entries_or_an_error(bytes in document()) {
        let base = Url::parse("https://example.com/feed.xml").unwrap();
        if let Ok(entries) = timed("feed", || discover::parse_feed(&bytes, None, &base)) {
            for entry in entries {
                prop_assert!(is_web(&entry.url), "{}", entry.url);
            }
        }
    }

    #[test]
    fn any_page_gives_its_metadata(bytes in document()) {
        let base = Url::parse("https://example.com/2020/01/02/page").unwrap();
        let cx = page::meta::Context { url: Some(&base), content_language: None, now: chrono::Utc::now() };
        let meta = timed("page metadata", || {
            page::meta::read(&page::charset::decode_html(&bytes, None, None).text, &cx)
        });
        if let Some(published) = meta.meta.published {
            prop_assert!(published.date().to_string().as_str() >= "1995-01-01");
        }
    }

    #[test]
    fn any_sitemap_gives_web_urls_or_an_error(bytes in document()) {
        let base = Url::parse("https://example.com/sitemap.xml").unwrap();
        match timed("sitemap", || discover::parse_sitemap(&bytes, &base, 1 << 20)) {
            Ok(Sitemap::Urls(entries)) => {
                for entry in entries {
                    prop_assert!(is_web(&entry.url), "{}", entry.url);
                }
            }
            Ok(Sitemap::Index(children)) => {
                for (child, _) in children {
                    prop_assert!(is_web(&child), "{child}");
                }
            }
            Err(_) => {}
        }
    }

    #[test]
    fn any_robots_txt_answers(lines in prop::collection::vec(robots_line(), 0..40), path in "\\PC{0,40}") {
        let body = lines.concat();
        let robots = timed("robots.txt", || Robots::parse("crosscheck", body.as_bytes()));
        let _ = timed("robots match", || robots.allowed(&format!("https://example.com/{path}")));
    }

    #[test]
    fn any_url_list_gives_web_urls(text in "\\PC{0,400}") {
        let (entries, _) = timed("url list", || discover::parse_url_list(&text));
        for entry in entries {
            prop_assert!(is_web(&entry.url), "{}", entry.url);
        }
    }
}
