use super::*;

fn base() -> Url {
    Url::parse("https://example.com/feeds/main.xml").unwrap()
}

fn links(text: &str) -> Vec<String> {
    read(text, &base())
        .unwrap()
        .items
        .iter()
        .map(|i| i.link.as_ref().map_or("-".into(), Url::to_string))
        .collect()
}

/// Issue 17: Atom 0.3 read with no entries, `<rss>` without a version refused, an Atom
/// `<link>` with the URL as text and RSS 2.0 in a namespace missed.
#[test]
fn feeds_feedparser_reads() {
    let atom03 = r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>
        <link rel="alternate" type="text/html" href="http://example.com/a"/>
        <issued>2004-01-01T12:00:00Z</issued></entry></feed>"#;
    assert_eq!(links(atom03), ["http://example.com/a"]);
    let unversioned =
        "<rss><channel><item><link>http://example.com/b</link></item></channel></rss>";
    assert_eq!(links(unversioned), ["http://example.com/b"]);
    let rss094 = r#"<rss version="0.94"><channel><item><link>/c</link></item></channel></rss>"#;
    assert_eq!(links(rss094), ["https://example.com/c"]);
    let text_link = r#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><link>http://example.com/d</link>
        <title type="text/plain">odd type</title></entry></feed>"#;
    assert_eq!(links(text_link), ["http://example.com/d"]);
    let namespaced = r#"<rss version="2.0" xmlns="http://backend.userland.com/rss2"><channel>
        <item><link>http://example.com/e</link></item></channel></rss>"#;
    assert_eq!(links(namespaced), ["http://example.com/e"]);
}

#[test]
fn xml_base_guid_permalinks_and_rels() {
    let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/root/">
        <entry xml:base="sub/"><link rel="self" href="x.atom"/><link rel="enclosure" href="a.mp3"/>
          <link href="page.html"/></entry>
        <entry><link rel="related" href="rel.html"/></entry></feed>"#;
    assert_eq!(
        links(atom),
        [
            "http://example.org/root/sub/page.html",
            "http://example.org/root/rel.html"
        ]
    );
    let rss = r#"<rss version="2.0"><channel>
        <item><guid>http://example.com/g</guid></item>
        <item><guid isPermaLink="false">http://example.com/h</guid></item></channel></rss>"#;
    assert_eq!(links(rss), ["http://example.com/g", "-"]);
}

#[test]
fn fields_dates_and_people() {
    let atom = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
        <title>Wire</title><entry><title type="html">Quake &lt;b&gt;hits&lt;/b&gt; city</title>
        <id>urn:x:1</id><author><name>Ann Writer</name><email>a@example.com</email></author>
        <updated>2024-03-01T10:00:00Z</updated>
        <dcterms:issued xmlns:dcterms="http://purl.org/dc/terms/">2024-02-29T08:00:00+02:00</dcterms:issued>
        <category term="world"/><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">At <b>least</b> ten</div></summary>
        <link href="https://example.com/q"/></entry></feed>"#;
    let feed = read(atom, &base()).unwrap();
    assert_eq!(
        (feed.title.as_deref(), feed.language.as_deref()),
        (Some("Wire"), Some("en"))
    );
    let item = &feed.items[0];
    assert_eq!(item.title.as_deref(), Some("Quake hits city"));
    assert_eq!(item.summary.as_deref(), Some("At least ten"));
    assert_eq!(item.authors, ["Ann Writer"]);
    assert_eq!(item.categories, ["world"]);
    assert_eq!(item.id.as_deref(), Some("urn:x:1"));
    assert_eq!(
        item.published.unwrap().to_string(),
        "2024-02-29T08:00:00+02:00"
    );
    assert_eq!(
        item.updated.unwrap().to_string(),
        "2024-03-01T10:00:00+00:00"
    );
    assert_eq!(item.language.as_deref(), Some("en"));
}

#[test]
fn json_feed_and_refusals() {
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
        "items": [{"id": "1", "url": "https://example.com/j", "title": "T",
        "date_published": "2024-01-02T03:04:05Z", "authors": [{"name": "Bo"}]}]}"#;
    let feed = read(json, &base()).unwrap();
    assert_eq!(
        feed.items[0].link.as_ref().unwrap().as_str(),
        "https://example.com/j"
    );
    assert_eq!(feed.items[0].authors, ["Bo"]);
    assert!(read("<html><body>not a feed</body></html>", &base()).is_err());
    assert!(read("{\"a\": 1}", &base()).is_err());
    assert!(read("", &base()).is_err());
    let broken = "<rss><channel><item><link>http://example.com/k</link></item><item><link>";
    assert_eq!(links(broken), ["http://example.com/k", "-"]);
}
