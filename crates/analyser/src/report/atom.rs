//! `report/changes.atom`: the change log as an Atom feed (RFC 4287), for feed readers. One
//! entry per run and event that changed, saying which figure moved, from what to what,
//! according to whom, with links to the event's report and the articles. Ids are made from
//! the event and the run's time, so a reader shows each change once, and a run that changes
//! nothing adds no entry. Pure: the change log in, the feed's text out.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use corpus::{ArticleId, Change, ChangeEntry, ChangeKind};

use super::change_line;

/// The most entries a feed holds (the newest): feed readers keep what they have seen.
pub const MAX_FEED_ENTRIES: usize = 200;

/// What the feed links to, relative to the report folder (where the feed is).
pub struct FeedLinks<'a> {
    /// The report's page about an event, by event id.
    pub event: &'a dyn Fn(&str) -> String,
    /// Articles' addresses (http or https only), by article id.
    pub articles: &'a HashMap<ArticleId, String>,
}

/// The feed of the change log `entries` (newest first), last changed at `updated`.
pub fn changes_feed(
    entries: &[ChangeEntry],
    updated: DateTime<Utc>,
    links: &FeedLinks<'_>,
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
        entry(&mut out, at, &changes, links);
    }
    out.push_str("</feed>\n");
    out
}

fn entry(out: &mut String, at: DateTime<Utc>, changes: &[&Change], links: &FeedLinks<'_>) {
    let first = changes[0];
    let title = match changes {
        [only] => change_line(only),
        _ => format!("{}: {} changes", first.label, changes.len()),
    };
    out.push_str("<entry>\n");
    let _ = writeln!(out, "<title>{}</title>", text(&title));
    let _ = writeln!(
        out,
        "<id>urn:crosscheck:change:{}:{}</id>",
        text(&first.event),
        at.timestamp()
    );
    let _ = writeln!(out, "<updated>{}</updated>", time(at));
    let _ = writeln!(
        out,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        text(&(links.event)(&first.event))
    );
    let mut html = String::from("<ul>");
    for c in changes {
        let _ = write!(html, "<li>{}", text(&change_line(c)));
        for article in articles_of(c) {
            if let Some(url) = links.articles.get(article) {
                let _ = write!(
                    html,
                    " <a href=\"{}\">{}</a>",
                    text(url),
                    text(article.as_str())
                );
            }
        }
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    // the HTML is escaped once more as the element's text (type="html")
    let _ = writeln!(out, "<content type=\"html\">{}</content>", text(&html));
    out.push_str("</entry>\n");
}

fn articles_of(c: &Change) -> Vec<&ArticleId> {
    match &c.what {
        ChangeKind::NewEvent | ChangeKind::EventGone => Vec::new(),
        ChangeKind::NewSource { article, .. } => vec![article],
        ChangeKind::NewValue { value, .. } => vec![&value.article],
        ChangeKind::Revised { from, to, .. } => vec![&from.article, &to.article],
    }
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
