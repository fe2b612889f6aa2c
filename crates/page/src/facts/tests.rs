use super::*;

fn gather(html: &str) -> Facts {
    super::gather(&crate::document::parse(html, crate::document::DEFAULT_MAX_DEPTH).tree)
}

#[test]
fn one_pass_gathers_what_the_page_says() {
    let html = r#"<html lang="de-DE"><head><title>Beben &amp; Folgen | Zeitung</title>
<meta property="article:published_time" content="2020-03-17T08:00:00+01:00">
<link rel="canonical" href="/a/b">
<script type="application/ld+json">{"@type":"NewsArticle"}</script></head><body>
<h1>Beben</h1><div class="article-meta"><span class="date">17. März 2020</span>
<time datetime="2020-03-18" class="updated">18.03.</time></div>
<p><span itemprop="author"><span itemprop="name">Anna Muster</span></span>
<abbr class="published" title="2020-03-17T08:00">gestern</abbr>
<a rel="author" href="/x">A. M.</a><p>Stand: 17.03.2020
</body></html>"#;
    let f = gather(html);
    assert_eq!(f.lang.as_deref(), Some("de-DE"));
    assert_eq!(f.title.as_deref(), Some("Beben & Folgen | Zeitung"));
    assert_eq!(f.metas[0].key, "article:published_time");
    assert_eq!(f.canonical.as_deref(), Some("/a/b"));
    assert_eq!(f.json_ld.len(), 1);
    assert_eq!(f.headings, ["Beben"]);
    assert_eq!(
        f.marked.iter().map(|m| tidy(&m.0)).collect::<Vec<_>>(),
        // `updated` has `date` in it, `published` `publish`, and dates stand beside
        // authors (as htmldate reads them).
        [
            "17. März 2020 18.03.",
            "17. März 2020",
            "18.03.",
            "Anna Muster",
            "gestern"
        ]
    );
    assert_eq!(f.times[0].value.as_deref(), Some("2020-03-18"));
    assert!(f.times[0].marks.contains("updated"));
    assert_eq!(f.abbrs[0].value.as_deref(), Some("2020-03-17T08:00"));
    assert_eq!(f.item_authors[0].name.as_deref(), Some("Anna Muster"));
    assert_eq!(f.rel_authors, ["A. M."]);
    assert!(
        f.segments.contains(&"Stand: 17.03.2020".to_string()),
        "{:?}",
        f.segments
    );
}

#[test]
fn deep_nesting_is_flattened_and_its_text_kept() {
    let depth = 100_000;
    let html = format!(
        "<title>Deep</title>{}<span class=date>1 May 2020</span>{}",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let f = gather(&html);
    assert_eq!(f.title.as_deref(), Some("Deep"));
    // the span is deeper than the limit: its tag is dropped, its text stays
    assert_eq!(f.segments, ["1 May 2020"]);
}
