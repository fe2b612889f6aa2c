use chrono::{TimeZone, Utc};
use corpus::Qualifier::*;
use corpus::{COMPARISON_SCHEMA, Comparison};

use super::*;
use crate::compare::{Rules, build};
use crate::fixtures::{Article, article, assignment, inputs};

const HOSTILE: &str = r#"At least 7 people were killed <script>alert(1)</script> "><img src=x onerror=alert(2)> | [link](javascript:x) `code`"#;

fn comparison(articles: &[Article], labels: &[&str]) -> Comparison {
    let mut log = crate::state::ChangeLog::new(Utc.with_ymd_and_hms(2024, 3, 4, 12, 0, 0).unwrap());
    let events = build(
        &inputs(articles),
        &assignment(articles, labels),
        &Rules::builtin(),
    );
    let now = Utc.with_ymd_and_hms(2024, 3, 4, 12, 0, 0).unwrap();
    crate::record_changes(&mut log, events, articles.len(), Some(now)).0
}

fn hostile() -> Comparison {
    let articles = vec![
        article("a1", "evil.example", Some("2024-03-02"))
            .killed(
                7,
                AtLeast,
                Some("<b>officials</b>\"><script>x()</script>"),
                HOSTILE,
            )
            .location("<img src=y onerror=alert(3)>")
            .weapon("<script>w()</script>", "\"><img onerror=z>", None, HOSTILE)
            .blame("<i>A</i>", "<script>B</script>", false, HOSTILE),
        article("a2", "good.example", Some("2024-03-03")).killed(9, Exact, None, "9 died."),
    ];
    comparison(&articles, &["<script>event()</script>"])
}

/// The pages with their own script tags (the list's code and data files) taken out.
/// The page without its own scripts and the link to its own feed (which loads nothing).
fn without_own_scripts(page: &str) -> String {
    let own =
        regex::Regex::new(r#"<script src="(list\.js|list/[0-9a-z-]+\.js)"></script>"#).unwrap();
    let feed = r#"<link rel="alternate" type="application/atom+xml" title="Crosscheck: what changed" href="changes.atom">"#;
    own.replace_all(page, "").replace(feed, "")
}

#[test]
fn scraped_markup_shows_as_text_in_the_page() {
    let page = without_own_scripts(&html(&hostile()));
    for raw in ["<script", "<img", "<b>", "<i>", "onerror=alert(2)>"] {
        assert!(!page.contains(raw), "unescaped {raw:?} in the page");
    }
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    assert!(page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert!(page.contains("&lt;script&gt;event()&lt;&#x2f;script&gt;"));
    assert!(page.starts_with("<!doctype html>"));
    // Self-contained: nothing is loaded from anywhere; the only addresses are links to the
    // articles.
    for external in ["src=\"http", "<link", "@import", "url("] {
        assert!(!page.contains(external), "{external:?} in the page");
    }
    for (at, _) in page.match_indices("href=\"http") {
        let tag = &page[page[..at].rfind('<').unwrap()..at];
        assert!(tag.starts_with("<a "), "{tag:?} loads an address");
    }
    assert!(page.contains(
        "<a href=\"https:&#x2f;&#x2f;evil.example&#x2f;a1\" title=\"a1\">evil.example</a>"
    ));
}

/// A link is made only to an http(s) address, and the address is escaped: a canonical link
/// scraped from a page may say anything.
#[test]
fn article_links_are_http_only_and_escaped() {
    let mut script =
        article("a1", "one.example", Some("2024-03-02")).killed(3, Exact, None, "3 died.");
    script.raw.canonical_url = Some("javascript:alert(1)".into());
    let mut quoted =
        article("a2", "two.example", Some("2024-03-02")).killed(3, Exact, None, "3 died.");
    quoted.raw.canonical_url = Some("https://two.example/a\"><script>x()</script> |)".into());
    let c = comparison(&[script, quoted], &["Event"]);
    let page = html(&c);
    assert!(!page.contains("javascript:"), "{page}");
    assert!(
        page.contains("<span title=\"a1\">one.example</span>"),
        "{page}"
    );
    assert!(
        page.contains("href=\"https:&#x2f;&#x2f;two.example&#x2f;a&quot;&gt;&lt;script&gt;"),
        "{page}"
    );
    let md = markdown(&c);
    assert!(!md.contains("javascript:"), "{md}");
    assert!(
        md.contains("[two.example](<https://two.example/a%22%3E<script%3E")
            || md.contains("[two.example](<https://two.example/a%22%3E%3Cscript%3E"),
        "{md}"
    );
}

/// The Markdown without the links the report makes (`[outlet](<url>)`): their text stays.
fn without_links(md: &str) -> String {
    let mut out = md.to_string();
    while let Some(mid) = out.find("](<") {
        let open = out[..mid].rfind('[').unwrap();
        let close = mid + out[mid..].find(">)").unwrap() + 2;
        let text = out[open + 1..mid].to_string();
        out.replace_range(open..close, &text);
    }
    out
}

#[test]
fn scraped_markup_shows_as_text_in_the_markdown() {
    let md = without_links(&markdown(&hostile()));
    // Outside code spans (which show their text as it is), every markup character is escaped.
    let (mut in_code, mut previous) = (false, ' ');
    for c in md.chars() {
        if c == '`' && previous != '\\' {
            in_code = !in_code;
        } else if !in_code && matches!(c, '<' | '>' | '[' | ']' | '|' | '*') {
            let table_pipe = c == '|' && matches!(previous, ' ' | '\n' | '-');
            let emphasis = c == '*';
            assert!(
                previous == '\\' || table_pipe || emphasis,
                "unescaped {c:?} in {md}"
            );
        }
        previous = c;
    }
    assert!(md.contains(r"\<script\>alert(1)\</script\>"));
    assert!(
        md.contains(r"killed \<script\>alert(1)\</script\> "),
        "{md}"
    );
    // A pipe in a quote does not break the table row.
    assert!(md.contains(r"\| \[link\](javascript:x) \`code\`"));
}

#[test]
fn markdown_escape_covers_markup_and_line_breaks() {
    assert_eq!(
        markdown_escape("a|b\nc <d> *e* _f_ [g]"),
        r"a\|b c \<d\> \*e\* \_f\_ \[g\]"
    );
}

#[test]
fn the_chart_draws_one_mark_per_source_with_bounds_apart() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-01")).killed(
            12,
            Exact,
            Some("the ministry"),
            "12 died.",
        ),
        article("a2", "two.example", Some("2024-03-02")).killed(
            15,
            AtLeast,
            Some("Times"),
            "At least 15 died.",
        ),
        article("a3", "three.example", None).killed(14, About, None, "About 14 died."),
    ];
    let c = comparison(&articles, &["Strike"]);
    let figure = &c.events[0].figures[0];
    let chart = chart::chart(figure).unwrap();
    let shapes: Vec<&str> = chart.marks.iter().map(|m| m.shape).collect();
    assert_eq!(shapes, ["exact", "lower", "about"]);
    assert!(chart.marks[0].x < chart.marks[1].x, "later to the right");
    assert!(chart.marks[1].y < chart.marks[0].y, "higher up");
    assert_eq!(chart.undated.as_ref().map(|u| u.at), Some(chart.marks[2].x));
    assert_eq!(
        chart.marks[0].title,
        "12 (2024-03-01) \u{2014} one.example: the ministry"
    );
    let page = html(&c);
    assert_eq!(page.matches("<g class=\"mark ").count(), 3);
    assert!(page.contains("<title>at least 15 (2024-03-02) \u{2014} two.example: Times</title>"));
    assert_eq!(
        page.matches("<path d=").count(),
        1,
        "one lower bound drawn as a triangle"
    );
}

#[test]
fn the_markdown_puts_values_side_by_side_with_reasons() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-01")).killed(
            12,
            Exact,
            Some("the ministry"),
            "The ministry said 12 died.",
        ),
        article("a2", "two.example", Some("2024-03-02")).killed(
            19,
            Exact,
            Some("the ministry"),
            "The ministry said 19 died.",
        ),
    ];
    let md = markdown(&comparison(&articles, &["Strike"]));
    let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    expect_test::expect![[r#"
        [
            "| # | value | outlet | published | according to | compared with the reference |",
            "| 1 | **12** | [one.example](<https://one.example/a1>) | 2024-03-01 | the ministry (official) | differs, with a reason: 12 was published on 2024-03-01, before 19 on 2024-03-02: the toll rose |",
            "| 2 | **19** | [two.example](<https://two.example/a2>) | 2024-03-02 (latest) | the ministry (official) | reference: the most direct authority |",
        ]
    "#]]
    .assert_debug_eq(&table);
    assert!(md.contains("- Killed (people): 19 according to the ministry (two.example, 2024-03-02); 2 sources give 12\u{2013}19; the values differ, each for a stated reason."), "{md}");
    assert!(md.contains("- New event: Strike"));
    assert_eq!(COMPARISON_SCHEMA, 1);
}

#[test]
fn sources_giving_the_same_reading_share_a_row_and_a_mark_and_stay_named() {
    let articles = vec![
        article("a1", "one.example", Some("2024-03-02")).killed(
            5,
            Exact,
            Some("police"),
            "Police said 5 died.",
        ),
        article("a2", "two.example", Some("2024-03-02")).killed(
            5,
            Exact,
            Some("Police"),
            "5 died, police said.",
        ),
        article("a3", "three.example", Some("2024-03-03")).killed(
            6,
            Exact,
            Some("police"),
            "6 died.",
        ),
    ];
    let c = comparison(&articles, &["Strike"]);
    let chart = chart::chart(&c.events[0].figures[0]).unwrap();
    let titles: Vec<&str> = chart.marks.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "5 (2024-03-02) \u{2014} one.example: police; two.example: Police",
            "6 (2024-03-03) \u{2014} three.example: police"
        ]
    );
    let md = markdown(&c);
    assert!(
        md.contains("| 1 | **5** | [one.example](<https://one.example/a1>) (also 1 other source: two.example (2024-03-02)) |"),
        "{md}"
    );
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ")).count(),
        3,
        "header and two readings"
    );
}

/// The list's data files hold scraped text as JSON strings (never markup), and its page
/// escapes it.
#[test]
fn the_list_of_events_holds_scraped_text_as_data() {
    let c = hostile();
    let navs: Vec<Nav> = c.events.iter().map(Nav::of).collect();
    let chunks = list_chunks(&navs);
    assert_eq!(chunks.len(), 1);
    let (name, events) = &chunks[0];
    assert_eq!(name.as_str(), "undated");
    let script = list_script(events);
    let json = script
        .strip_prefix("(window.crosscheckEvents = window.crosscheckEvents || []).push(...")
        .and_then(|rest| rest.strip_suffix(");\n"))
        .expect("one push of a JSON array");
    let rows: Vec<Vec<String>> = serde_json::from_str(json).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "<script>event()</script>");
    assert!(rows[0][0].starts_with("events/undated/"), "{:?}", rows[0]);
    let index = index_page(&PageHead::of(&c), &navs, &[], &chunks);
    assert!(index.contains("<script src=\"list/undated.js\"></script>"));
    assert!(index.contains("&lt;script&gt;event()&lt;&#x2f;script&gt;"));
}

#[test]
fn event_files_are_named_from_their_id_in_ascii() {
    assert_eq!(
        event_stem("kyiv-2024-03-02-strike"),
        "kyiv-2024-03-02-strike"
    );
    let other = event_stem("київ-2024-03-02-strike");
    assert!(other.starts_with("2024-03-02-strike-"), "{other}");
    assert_eq!(other.len(), "2024-03-02-strike-".len() + 12);
    assert_ne!(other, event_stem("харків-2024-03-02-strike"));
    assert!(!event_stem("../x").contains('/'));
    assert_eq!(
        event_href(
            "a-2024-03-02-fire",
            chrono::NaiveDate::from_ymd_opt(2024, 3, 2)
        ),
        "events/2024-03/a-2024-03-02-fire.html"
    );
    assert_eq!(event_href("a", None), "events/undated/a.html");
}

/// A month with more events than a data file holds is split, in day order.
#[test]
fn a_busy_month_is_split_into_several_data_files() {
    let navs: Vec<Nav> = (0..LIST_CHUNK + 3)
        .map(|n| Nav {
            id: format!("e{n:05}"),
            label: format!("Event {n}"),
            facts: String::new(),
            place: None,
            kind: None,
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1 + (n % 28) as u32),
        })
        .collect();
    let chunks = list_chunks(&navs);
    let names: Vec<&str> = chunks.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["2024-03", "2024-03-2"]);
    assert_eq!(chunks[0].1.len(), LIST_CHUNK);
    assert!(chunks[0].1.windows(2).all(|w| w[0].date <= w[1].date));
}
