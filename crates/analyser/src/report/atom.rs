//! `report/changes.atom`: the change log as an Atom feed (RFC 4287), for feed readers. One
//! entry per run and event that changed, saying which figure moved, from what to what,
//! according to whom, with links to the event's report and the articles. Ids are made from
//! the event and the run's time (to the fraction of a second the log keeps, so two runs in
//! one second differ), so a reader shows each change once, and a run that changes nothing
//! adds no entry. Pure: the change log in, the feed's text out.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use corpus::{Change, ChangeEntry, ChangeKind};

use super::change_line;

/// The most entries a feed holds (the newest): feed readers keep what they have seen.
pub const MAX_FEED_ENTRIES: usize = 200;

/// The feed of the change log `entries` (newest first), last changed at `updated`.
/// `event_page` gives the report's page about an event, by event id, relative to the report
/// folder (where the feed is); articles are linked by the addresses the changes carry.
pub fn changes_feed(
    entries: &[ChangeEntry],
    updated: DateTime<Utc>,
    event_page: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str("<title>crosscheck: what changed</title>\n");
    out.push_str(
        "<subtitle>New events, sources and figures, and revised figures, run by run</subtitle>\n",
    );
    out.push_str("<id>urn:crosscheck:changes</id>\n");
    let _ = writeln!(out, "<updated>{}</updated>", time(updated));
    out.push_str("<author><name>crosscheck</name></author>\n");
    out.push_str("<link rel=\"self\" href=\"changes.atom\"/>\n");
    out.push_str("<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>\n");
    let runs = entries.iter().flat_map(|run| {
        let mut by_event: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for c in &run.changes {
            by_event.entry(c.event.as_str()).or_default().push(c);
        }
        by_event.into_values().map(move |changes| (run.at, changes))
    });
    for (at, changes) in runs.take(MAX_FEED_ENTRIES) {
        entry(&mut out, at, &changes, event_page);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(
    out: &mut String,
    at: DateTime<Utc>,
    changes: &[&Change],
    event_page: &dyn Fn(&str) -> String,
) {
    let first = changes[0];
    // the title says what matters most: that the event is new, else a revised figure before
    // a new value, an event gone, a new source
    let lead = changes
        .iter()
        .rev()
        .max_by_key(|c| weight(c))
        .expect("an entry has changes");
    let title = match changes.len() {
        1 => change_line(lead),
        n => format!("{} (and {} more)", change_line(lead), n - 1),
    };
    out.push_str("<entry>\n");
    let _ = writeln!(out, "<title>{}</title>", text(&title));
    let _ = writeln!(
        out,
        "<id>urn:crosscheck:change:{}:{}</id>",
        text(&first.event),
        at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    );
    let _ = writeln!(out, "<updated>{}</updated>", time(at));
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        text(&event_page(&first.event))
    );
    let mut html = String::from("<ul>");
    for c in changes {
        let _ = write!(html, "<li>{}", text(&change_line(c)));
        for (outlet, url) in articles_of(c) {
            let _ = write!(html, " <a href=\"{}\">{}</a>", text(url), text(outlet));
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    // the HTML is escaped once more as the element's text (type="html")
    let _ = writeln!(out, "<content type=\"html\">{}</content>", text(&html));
    out.push_str("</entry>\n");
}

fn weight(c: &Change) -> u8 {
    match c.what {
        ChangeKind::Revised { .. } => 4,
        ChangeKind::NewValue { .. } => 3,
        ChangeKind::EventGone => 2,
        ChangeKind::NewSource { .. } => 1,
        ChangeKind::NewEvent => 5,
    }
}

/// The outlets and addresses of the articles a change is about, where the address is known
/// and is http or https (a scraped address may be anything: `javascript:`).
fn articles_of(c: &Change) -> Vec<(&str, &str)> {
    let linked = match &c.what {
        ChangeKind::NewEvent | ChangeKind::EventGone => Vec::new(),
        ChangeKind::NewSource { outlet, url, .. } => vec![(outlet, url)],
        ChangeKind::NewValue { value, .. } => vec![(&value.outlet, &value.url)],
        ChangeKind::Revised { from, to, .. } => {
            vec![(&from.outlet, &from.url), (&to.outlet, &to.url)]
        }
    };
    linked
        .into_iter()
        .filter_map(|(outlet, url)| Some((outlet.as_str(), url.as_deref()?)))
        .filter(|(_, url)| crate::compare::is_web_address(url))
        .collect()
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Text for XML: the five special characters escaped, and the characters XML 1.0 cannot hold
/// (control characters, unpaired surrogates cannot occur in a Rust string) left out: scraped
/// text may hold anything.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
