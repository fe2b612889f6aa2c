use chrono::TimeZone;
use corpus::{ArticleId, Qualifier, ValueBrief};

use super::*;

fn brief(count: u64, article: &str, outlet: &str) -> ValueBrief {
    ValueBrief {
        count: Some(count),
        qualifier: Qualifier::AtLeast,
        article: ArticleId::new(article).unwrap(),
        outlet: outlet.into(),
        attribution: Some("the <b>governor</b> & co\u{7}".into()),
        published: None,
        // a scraped address may be anything: only http(s) is linked
        url: Some(match article {
            "a1" => "https://one.example/a?x=1&y=\"2\"".to_string(),
            _ => "javascript:alert(1)".to_string(),
        }),
    }
}

fn change(event: &str, what: ChangeKind) -> Change {
    Change {
        event: event.into(),
        label: format!("Attack in {event}"),
        what,
    }
}

fn log() -> Vec<ChangeEntry> {
    let at = |h| Utc.with_ymd_and_hms(2024, 3, 2, h, 0, 0).unwrap();
    vec![
        ChangeEntry {
            at: at(12),
            changes: vec![change(
                "kharkiv-2024-03-02-attack",
                ChangeKind::Revised {
                    figure: "killed/people".into(),
                    from: brief(7, "a1", "One"),
                    to: brief(9, "a2", "Two"),
                },
            )],
        },
        ChangeEntry {
            at: at(10),
            changes: vec![
                change("kharkiv-2024-03-02-attack", ChangeKind::NewEvent),
                change(
                    "kharkiv-2024-03-02-attack",
                    ChangeKind::NewValue {
                        figure: "killed/people".into(),
                        value: brief(7, "a1", "One"),
                    },
                ),
                change("odesa-2024-03-01-attack", ChangeKind::NewEvent),
            ],
        },
    ]
}

fn feed(entries: &[ChangeEntry]) -> String {
    let event = |id: &str| format!("events/{id}.html");
    changes_feed(
        entries,
        Utc.with_ymd_and_hms(2024, 3, 2, 12, 0, 0).unwrap(),
        &event,
    )
}

#[test]
fn one_entry_per_run_and_event_read_back_by_a_feed_parser() {
    let text = feed(&log());
    let parsed = feed_rs::parser::parse(text.as_bytes()).expect("a valid Atom feed");
    assert_eq!(parsed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(parsed.id, "urn:crosscheck:changes");
    assert!(parsed.updated.is_some() && !parsed.authors.is_empty());
    let ids: Vec<&str> = parsed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "urn:crosscheck:change:kharkiv-2024-03-02-attack:2024-03-02T12:00:00Z",
            "urn:crosscheck:change:kharkiv-2024-03-02-attack:2024-03-02T10:00:00Z",
            "urn:crosscheck:change:odesa-2024-03-01-attack:2024-03-02T10:00:00Z",
        ]
    );
    let first = &parsed.entries[0];
    let title = &first.title.as_ref().unwrap().content;
    assert!(title.contains("revised from at least 7"), "{title}");
    assert!(
        title.contains("the <b>governor</b> & co;"),
        "escaped text reads back as written: {title}"
    );
    assert_eq!(first.links[0].href, "events/kharkiv-2024-03-02-attack.html");
    let content = first.content.as_ref().unwrap().body.as_deref().unwrap();
    // a link to the article whose address is known, none to the other
    assert!(
        content.contains("<a href=\"https://one.example/a?x=1&amp;y=&quot;2&quot;\">One</a>"),
        "{content}"
    );
    assert!(!content.contains(">Two</a>"), "{content}");
    assert!(!content.contains("javascript"), "{content}");
    assert!(
        !content.contains("<b>"),
        "scraped markup stays text: {content}"
    );
    assert_eq!(
        parsed.entries[1].title.as_ref().unwrap().content,
        // that the event is new leads an entry of a new event and its first values
        "New event: Attack in kharkiv-2024-03-02-attack (and 1 more)"
    );
}

#[test]
fn the_same_log_gives_the_same_feed_and_an_empty_log_no_entry() {
    assert_eq!(feed(&log()), feed(&log()));
    let empty = feed(&[]);
    assert!(
        feed_rs::parser::parse(empty.as_bytes())
            .unwrap()
            .entries
            .is_empty()
    );
    assert!(!feed(&log()).contains('\u{7}'));
}
