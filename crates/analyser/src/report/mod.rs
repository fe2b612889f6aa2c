//! Rendering the comparison for people: `comparison.md` (a terminal or a code host) and
//! `index.html` (one self-contained page with a chart per figure). Both come from minijinja
//! templates that escape every string they are given: HTML-escaped in the page,
//! Markdown-escaped in the Markdown, so scraped text always shows as text.

pub mod atom;
mod chart;

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use corpus::{
    ArticleId, AuthorityKind, BlameReport, Change, ChangeEntry, ChangeKind, Comparison,
    EventReport, Figure, FigureStatus, Mention, PubTime, ReportedValue, ValueBrief,
};
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment, Error, Output, State, escape_formatter};
use serde::Serialize;

use crate::compare::amount;

const MARKDOWN: &str = "markdown";
const PAGE_TEMPLATE: &str = include_str!("templates/index.html");
const EVENT_PAGE_TEMPLATE: &str = include_str!("templates/event_page.html");
const STYLE: &str = include_str!("templates/style.css");
const EVENT_TEMPLATE: &str = include_str!("templates/event.html");
const MARKDOWN_TEMPLATE: &str = include_str!("templates/comparison.md");
const MARKDOWN_EVENT_TEMPLATE: &str = include_str!("templates/event.md");

/// A fingerprint of the templates: a change makes the report again.
pub static TEMPLATES_FINGERPRINT: LazyLock<String> = LazyLock::new(|| {
    corpus::sha256_hex(
        [
            PAGE_TEMPLATE,
            EVENT_PAGE_TEMPLATE,
            STYLE,
            LIST_APP,
            EVENT_TEMPLATE,
            MARKDOWN_TEMPLATE,
            MARKDOWN_EVENT_TEMPLATE,
        ]
        .join("\0"),
    )
});

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".md") {
            AutoEscape::Custom(MARKDOWN.into())
        } else {
            minijinja::default_auto_escape_callback(name)
        }
    });
    env.set_formatter(format_value);
    env.add_filter("code", code_span);
    env.add_filter("link_target", link_target);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            // an event's part ends with its line break, as it did inside the page's loop
            .keep_trailing_newline(true)
            .build()
            .expect("the template syntax is valid"),
    );
    for (name, source) in [
        ("index.html", PAGE_TEMPLATE),
        ("event_page.html", EVENT_PAGE_TEMPLATE),
        ("style.css", STYLE),
        ("event.html", EVENT_TEMPLATE),
        ("comparison.md", MARKDOWN_TEMPLATE),
        ("event.md", MARKDOWN_EVENT_TEMPLATE),
    ] {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("the {name} template is valid: {e:#}"));
    }
    env
});

/// Escapes strings for Markdown in `.md` templates; the default (HTML) escaping elsewhere.
fn format_value(out: &mut Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if !matches!(state.auto_escape(), AutoEscape::Custom(name) if name == MARKDOWN) {
        return escape_formatter(out, state, value);
    }
    let text = match value.as_str() {
        Some(s) if value.is_safe() => s.to_string(),
        Some(s) => markdown_escape(s),
        None if value.is_undefined() || value.is_none() => String::new(),
        None => value.to_string(),
    };
    out.write_str(&text).map_err(|_| {
        Error::new(
            minijinja::ErrorKind::WriteFailure,
            "cannot write the report",
        )
    })
}

/// A Markdown code span that shows `s` as it is (an id, a file name).
fn code_span(s: &str) -> Value {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '`' | '\n' | '\r'))
        .collect();
    Value::from_safe_string(format!("`{clean}`"))
}

/// A Markdown link destination (`<...>`) for a URL: what could end it or break a table row
/// (`<`, `>`, `|`, spaces, line breaks, backslashes, backticks) is percent-encoded.
fn link_target(url: &str) -> Value {
    let mut out = String::with_capacity(url.len() + 2);
    out.push('<');
    for c in url.chars() {
        match c {
            '<' | '>' | '|' | '\\' | '`' | '"' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('>');
    Value::from_safe_string(out)
}

/// Scraped text inside Markdown: characters that would start markup (HTML tags, links,
/// emphasis, code, table cells) are backslash-escaped, and line breaks become spaces so a
/// table row stays one row.
pub fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '[' | ']' | '`' | '*' | '_' | '#' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// The whole Markdown report: the page made around each event's part.
pub fn markdown(c: &Comparison) -> String {
    let sections: String = c.events.iter().map(event_markdown).collect();
    markdown_page(&PageHead::of(c), c.events.len(), &sections)
}

/// Every page of the report, one after the other: the list of events, then each event's
/// page (for tests of what any page shows).
pub fn html(c: &Comparison) -> String {
    let navs: Vec<Nav> = c.events.iter().map(Nav::of).collect();
    let mut out = index_page(&PageHead::of(c), &navs, &[], &list_chunks(&navs));
    for e in &c.events {
        out.push_str(&event_page(e));
    }
    out
}

/// An event's own page, `report/events/<folder>/<stem>.html`: the page's head and style, a
/// link back to the list, and the event's part.
pub fn event_page(e: &EventReport) -> String {
    render(
        "event_page.html",
        minijinja::context! {
            label => e.label.clone(),
            stem => event_stem(&e.id),
            section => Value::from_safe_string(event_html(e)),
        },
    )
}

/// An event's Markdown file, `report/events/<folder>/<stem>.md`.
pub fn event_markdown_page(e: &EventReport) -> String {
    let mut out = String::from("[All events](../../index.html)\n\n");
    out.push_str(&event_markdown(e));
    out
}

/// The folder of `report/events/` an event's files are in: its month (`2024-03`), or
/// `undated`; a month of news fills a folder, not the whole corpus.
pub fn event_folder(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "undated".to_string(), |d| d.format("%Y-%m").to_string())
}

/// The name an event's files take (without extension): its id when that is a plain ASCII
/// name, else its ASCII letters and a hash of the id (ids are made from place names, in any
/// script).
pub fn event_stem(id: &str) -> String {
    let plain = id.len() <= 120
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if plain && !id.is_empty() {
        return id.to_string();
    }
    let ascii: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .take(80)
        .collect();
    let hash = &corpus::sha256_hex(id)[..12];
    format!("{}-{hash}", ascii.trim_matches('-'))
        .trim_start_matches('-')
        .to_string()
}

/// An event's page, relative to `report/`.
pub fn event_href(id: &str, date: Option<chrono::NaiveDate>) -> String {
    format!("events/{}/{}.html", event_folder(date), event_stem(id))
}

/// Events per file of the list's data: a file stays well under a megabyte.
pub const LIST_CHUNK: usize = 2000;

/// The files of the list's data (`report/list/<name>.js`), each with its events, by month
/// (`2024-03`, `2024-03-2` past [`LIST_CHUNK`] events, `undated`): a new event rewrites its
/// month's file, not the whole list. `navs` in any order; each file's events by day, then id.
pub fn list_chunks(navs: &[Nav]) -> Vec<(String, Vec<&Nav>)> {
    let mut by_month: std::collections::BTreeMap<String, Vec<&Nav>> = Default::default();
    for n in navs {
        by_month.entry(event_folder(n.date)).or_default().push(n);
    }
    let mut chunks = Vec::new();
    for (month, mut navs) in by_month {
        navs.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        for (k, part) in navs.chunks(LIST_CHUNK).enumerate() {
            let name = if k == 0 {
                month.clone()
            } else {
                format!("{month}-{}", k + 1)
            };
            chunks.push((name, part.to_vec()));
        }
    }
    chunks
}

/// One file of the list's data: a script that adds its events to `crosscheckEvents`, each
/// as `[href, label, place, kind, date, facts]` (JSON strings: data, never markup).
pub fn list_script(navs: &[&Nav]) -> String {
    let rows: Vec<[String; 6]> = navs
        .iter()
        .map(|n| {
            [
                event_href(&n.id, n.date),
                n.label.clone(),
                n.place.clone().unwrap_or_default(),
                n.kind.clone().unwrap_or_default(),
                n.date.map(|d| d.to_string()).unwrap_or_default(),
                n.facts.clone(),
            ]
        })
        .collect();
    let json = serde_json::to_string(&rows).expect("strings serialise");
    format!("(window.crosscheckEvents = window.crosscheckEvents || []).push(...{json});\n")
}

/// The script of the list page (`report/list.js`): filters, search and pages over the
/// events the data files added. Fixed text, written beside the data.
pub const LIST_APP: &str = include_str!("templates/list.js");

/// How many of a run's changes the list page and `index.json` show: the change log and
/// `analyser report --format json` have them all.
pub const CHANGES_SHOWN: usize = 200;

/// How many events the list page shows before its script runs (and without one).
pub const INDEX_SHOWN: usize = 100;

/// One event's part of `comparison.md`: it depends on the event alone, so it can be kept
/// from one run to the next.
pub fn event_markdown(e: &EventReport) -> String {
    render(
        "event.md",
        minijinja::context! { e => Value::from(Serde(EventView::of(e))) },
    )
}

/// One event's part of `index.html`, like [`event_markdown`].
pub fn event_html(e: &EventReport) -> String {
    render(
        "event.html",
        minijinja::context! { e => Value::from(Serde(EventView::of(e))) },
    )
}

/// What the page says above the events: when, how many articles, the last runs' changes.
pub struct PageHead<'a> {
    pub generated_at: DateTime<Utc>,
    pub articles: usize,
    pub changes: &'a [ChangeEntry],
    /// At most this many changes are shown per run (a first run over a large corpus has
    /// one per event, source and value).
    pub per_run: usize,
}

impl PageHead<'_> {
    pub fn of(c: &Comparison) -> PageHead<'_> {
        PageHead {
            generated_at: c.generated_at,
            articles: c.articles,
            changes: &c.changes,
            per_run: usize::MAX,
        }
    }

    fn context(&self, events: Value, sections: &str) -> Value {
        let changes: Vec<ChangeRun> = self
            .changes
            .iter()
            .map(|entry| ChangeRun {
                at: entry.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                lines: entry
                    .changes
                    .iter()
                    .take(self.per_run)
                    .map(change_line)
                    .collect(),
                more: entry.changes.len().saturating_sub(self.per_run),
            })
            .collect();
        minijinja::context! {
            generated_at => self.generated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            articles => self.articles,
            changes => Value::from(Serde(changes)),
            events => events,
            sections => Value::from_safe_string(sections.to_string()),
        }
    }
}

/// An event's line in the list of events, with what the list filters on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Nav {
    pub id: String,
    pub label: String,
    pub facts: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub date: Option<chrono::NaiveDate>,
}

impl Nav {
    pub fn of(e: &EventReport) -> Nav {
        Nav {
            id: e.id.clone(),
            label: e.label.clone(),
            facts: event_facts(e),
            place: e.place.clone(),
            kind: e.kind.clone(),
            date: e.date,
        }
    }
}

#[derive(Serialize)]
struct NavView<'a> {
    /// Made by [`event_href`] of ASCII letters, digits, `-`, `_`, `.` and `/`: shown as it is.
    href: String,
    label: &'a str,
    facts: &'a str,
}

/// `comparison.md` from its head and the events' parts, in report order.
pub fn markdown_page(head: &PageHead, events: usize, sections: &str) -> String {
    let events = Value::from(Serde(vec![(); events]));
    render("comparison.md", head.context(events, sections))
}

/// `report/index.html`: the head (counts, what changed), the newest events as a list that
/// works without script, and the data files (`chunks`, as [`list_chunks`] names them) that
/// the list's script filters, searches and pages through.
pub fn index_page<'a>(
    head: &PageHead,
    navs: &'a [Nav],
    followed: &[&'a Nav],
    chunks: &[(String, Vec<&Nav>)],
) -> String {
    let mut newest: Vec<&Nav> = navs.iter().collect();
    newest.sort_by(|a, b| newest_first(a, b));
    let view = |n: &&'a Nav| NavView {
        href: event_href(&n.id, n.date),
        label: &n.label,
        facts: &n.facts,
    };
    let events: Vec<NavView> = newest.iter().take(INDEX_SHOWN).map(view).collect();
    let followed: Vec<NavView> = followed.iter().take(INDEX_SHOWN).map(view).collect();
    let scripts: Vec<String> = chunks
        .iter()
        .map(|(name, _)| format!("list/{name}.js"))
        .collect();
    let mut context = head.context(Value::from(Serde(events)), "");
    context = minijinja::context! {
        total => navs.len(),
        followed => Value::from(Serde(followed)),
        scripts => scripts,
        ..context
    };
    render("index.html", context)
}

/// Newest first: by day (undated last), then by id.
pub fn newest_first(a: &Nav, b: &Nav) -> std::cmp::Ordering {
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

fn render(template: &str, context: Value) -> String {
    TEMPLATES
        .get_template(template)
        .and_then(|t| t.render(context))
        .unwrap_or_else(|e| panic!("the {template} template renders: {e:#}"))
}

/// An event's anchor in the page: from its id, so that a link to it holds from run to run.
fn event_anchor(id: &str) -> String {
    format!("event-{id}")
}

/// What the texts show, every one already worded.
#[derive(Serialize)]
struct ChangeRun {
    at: String,
    lines: Vec<String>,
    /// Changes of the run not shown.
    more: usize,
}

#[derive(Serialize)]
struct EventView {
    anchor: String,
    id: String,
    label: String,
    facts: String,
    summary: Vec<String>,
    articles: Vec<ArticleView>,
    figures: Vec<FigureView>,
    weapons: Vec<ClaimGroup>,
    blame: Vec<ClaimGroup>,
}

#[derive(Serialize)]
struct ArticleView {
    id: String,
    outlet: String,
    /// The article's address, for a link ("" when unknown or not http(s)).
    url: String,
    title: String,
    published: String,
    copy_group: String,
}

#[derive(Serialize)]
struct FigureView {
    anchor: String,
    title: String,
    status: &'static str,
    status_text: String,
    headline: String,
    rows: Vec<Row>,
    chart: Option<chart::Chart>,
}

#[derive(Serialize)]
struct Row {
    number: usize,
    amount: String,
    lower_bound: bool,
    outlet: String,
    /// The article's id (shown on hover) and address ("" when unknown).
    article: String,
    url: String,
    /// The other sources giving the same reading, and syndicated copies.
    also: String,
    published: String,
    according_to: String,
    authority_kind: &'static str,
    location: String,
    quote: String,
    /// `reference`, `agrees`, `consistent` or `conflicts`.
    role: &'static str,
    role_text: String,
    why: Vec<String>,
    latest: bool,
}

#[derive(Serialize)]
struct ClaimGroup {
    title: String,
    sources: usize,
    mentions: Vec<MentionView>,
}

#[derive(Serialize)]
struct MentionView {
    outlet: String,
    article: String,
    url: String,
    published: String,
    attribution: String,
    words: String,
    quote: String,
}

fn date_text(p: Option<PubTime>) -> String {
    p.map(|p| p.to_string())
        .unwrap_or_else(|| "date unknown".into())
}

fn figure_title(id_or_measure: &str) -> String {
    let (measure, subject) = id_or_measure.split_once('/').unwrap_or((id_or_measure, ""));
    let mut title = measure.replace('_', " ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    if subject.is_empty() {
        title
    } else {
        format!("{title} ({})", subject.replace('_', " "))
    }
}

fn kind_text(kind: AuthorityKind) -> &'static str {
    match kind {
        AuthorityKind::Official => "official",
        AuthorityKind::Named => "named source",
        AuthorityKind::Media => "news outlet",
        AuthorityKind::Vague => "unnamed",
        AuthorityKind::Unattributed => "no attribution",
    }
}

/// "the ministry, via Tass": the original source, then who relayed it.
fn according_to(v: &ReportedValue) -> String {
    let origin = v.authority.source.as_deref();
    let relays: Vec<&str> = v
        .attribution_chain
        .iter()
        .map(String::as_str)
        .filter(|s| Some(*s) != origin)
        .collect();
    match (origin, relays.is_empty()) {
        (Some(o), true) => o.to_string(),
        (Some(o), false) => format!("{o}, via {}", relays.join(", via ")),
        (None, _) => "the outlet itself".into(),
    }
}

fn brief_text(b: &ValueBrief) -> String {
    let by = b.attribution.as_deref().unwrap_or("no attribution");
    format!(
        "{} ({by}; {}, {})",
        amount(b.count, b.qualifier),
        b.outlet,
        date_text(b.published)
    )
}

fn change_line(c: &Change) -> String {
    match &c.what {
        ChangeKind::NewEvent => format!("New event: {}", c.label),
        ChangeKind::EventGone => format!("No longer reported: {}", c.label),
        ChangeKind::NewSource { outlet, .. } => {
            format!("{}: new source {outlet}", c.label)
        }
        ChangeKind::NewValue { figure, value } => format!(
            "{}: {}: new value {}",
            c.label,
            figure_title(figure),
            brief_text(value)
        ),
        ChangeKind::Revised { figure, from, to } => format!(
            "{}: {} revised from {} to {}",
            c.label,
            figure_title(figure),
            brief_text(from),
            brief_text(to)
        ),
    }
}

/// The addresses of an event's articles that may be linked: http(s) only, since a scraped
/// canonical link may be anything (`javascript:`).
fn article_links(e: &EventReport) -> HashMap<&ArticleId, &str> {
    e.articles
        .iter()
        .filter_map(|a| Some((&a.article, a.url.as_deref()?)))
        .filter(|(_, url)| crate::compare::is_web_address(url))
        .collect()
}

fn link(links: &HashMap<&ArticleId, &str>, article: &ArticleId) -> String {
    links
        .get(article)
        .map(|u| u.to_string())
        .unwrap_or_default()
}

impl EventView {
    fn of(e: &EventReport) -> EventView {
        let anchor = event_anchor(&e.id);
        let links = article_links(e);
        let mut summary: Vec<String> = e.figures.iter().map(figure_summary).collect();
        if !e.weapons.is_empty() {
            let named: Vec<String> = e
                .weapons
                .iter()
                .map(|w| format!("{} ({} source{})", w.value, w.sources, plural(w.sources)))
                .collect();
            summary.push(format!("Weapons named: {}.", named.join(", ")));
        }
        if !e.blame.is_empty() {
            let claims: Vec<String> = e
                .blame
                .iter()
                .map(|b| format!("{} ({})", blame_title(b), b.sources))
                .collect();
            summary.push(format!("Who blames whom (sources): {}.", claims.join("; ")));
        }
        EventView {
            figures: e
                .figures
                .iter()
                .enumerate()
                .map(|(i, f)| FigureView::of(format!("{anchor}-figure-{}", i + 1), f, &links))
                .collect(),
            anchor,
            id: e.id.clone(),
            label: e.label.clone(),
            facts: event_facts(e),
            summary,
            articles: e
                .articles
                .iter()
                .map(|a| ArticleView {
                    id: a.article.to_string(),
                    outlet: a.outlet.clone(),
                    url: link(&links, &a.article),
                    title: a.title.clone().unwrap_or_default(),
                    published: date_text(a.published),
                    copy_group: a.copy_group.clone().unwrap_or_default(),
                })
                .collect(),
            weapons: e
                .weapons
                .iter()
                .map(|w| ClaimGroup {
                    title: w.value.clone(),
                    sources: w.sources,
                    mentions: w.mentions.iter().map(|m| mention_view(m, &links)).collect(),
                })
                .collect(),
            blame: e
                .blame
                .iter()
                .map(|b| ClaimGroup {
                    title: blame_title(b),
                    sources: b.sources,
                    mentions: b.mentions.iter().map(|m| mention_view(m, &links)).collect(),
                })
                .collect(),
        }
    }
}

/// "Kharkiv · 2024-03-02 · 4 articles from 3 outlets · published 2024-03-02 to 2024-03-03"
fn event_facts(e: &EventReport) -> String {
    let mut facts = Vec::new();
    if let Some(place) = &e.place {
        facts.push(place.clone());
    }
    if let Some(date) = e.date {
        facts.push(date.to_string());
    }
    facts.push(format!(
        "{} article{} from {} outlet{}",
        e.articles.len(),
        plural(e.articles.len()),
        e.outlets.len(),
        plural(e.outlets.len())
    ));
    if e.sources != e.articles.len() {
        facts.push(format!(
            "{} distinct sources (syndicated copies count once)",
            e.sources
        ));
    }
    match (e.first_published, e.last_published) {
        (Some(a), Some(b)) if a.date() != b.date() => {
            facts.push(format!("published {} to {}", a.date(), b.date()))
        }
        (Some(a), _) => facts.push(format!("published {}", a.date())),
        _ => {}
    }
    facts.join(" · ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn blame_title(b: &BlameReport) -> String {
    let accuser = b.accuser.as_deref().unwrap_or("An unnamed accuser");
    let accused = b.accused.as_deref().unwrap_or("someone not named");
    if b.denial {
        format!("{accuser} denies responsibility (named: {accused})")
    } else {
        format!("{accuser} blames {accused}")
    }
}

fn mention_view(m: &Mention, links: &HashMap<&ArticleId, &str>) -> MentionView {
    MentionView {
        outlet: m.outlet.clone(),
        article: m.article.to_string(),
        url: link(links, &m.article),
        published: date_text(m.published),
        attribution: m.attribution.clone().unwrap_or_default(),
        words: m.words.clone().unwrap_or_default(),
        quote: m.quote.clone(),
    }
}

fn value_of<'a>(f: &'a Figure, key: Option<&String>) -> Option<&'a ReportedValue> {
    key.and_then(|k| f.values.iter().find(|v| &v.key == k))
}

/// One line: the reference value, the range, the latest, agreement.
fn figure_summary(f: &Figure) -> String {
    let title = figure_title(&f.id);
    let Some(reference) = value_of(f, f.most_direct.as_ref()) else {
        return format!("{title}: only vague quantities given.");
    };
    let mut line = format!(
        "{title}: {} according to {} ({}, {})",
        amount(reference.count, reference.qualifier),
        according_to(reference),
        reference.outlet,
        date_text(reference.published)
    );
    if let Some(r) = f.range.filter(|r| r.min != r.max) {
        line.push_str(&format!(
            "; {} source{} give{} {}\u{2013}{}",
            f.sources,
            plural(f.sources),
            if f.sources == 1 { "s" } else { "" },
            r.min,
            r.max
        ));
    }
    if let Some(latest) = value_of(f, f.latest.as_ref()).filter(|l| l.key != reference.key) {
        line.push_str(&format!(
            "; latest {} ({}, {})",
            amount(latest.count, latest.qualifier),
            latest.outlet,
            date_text(latest.published)
        ));
    }
    line.push_str(match f.status {
        FigureStatus::Agree => "; the sources agree.",
        FigureStatus::Consistent => "; the values differ, each for a stated reason.",
        FigureStatus::Disagree => "; the sources disagree.",
    });
    line
}

/// How many other sources a row names before "and N more".
const ALSO_NAMED: usize = 6;

/// The figure's values grouped into readings: the same amount on the same authority about the
/// same place, in order of first publication. Each source stays listed in its reading.
fn readings(f: &Figure) -> Vec<Vec<&ReportedValue>> {
    let mut index: HashMap<(Option<u64>, corpus::Qualifier, String, String), usize> =
        HashMap::new();
    let mut groups: Vec<Vec<&ReportedValue>> = Vec::new();
    for v in &f.values {
        let key = (
            v.count,
            v.qualifier,
            according_to(v).to_lowercase(),
            v.location.as_deref().unwrap_or("").to_lowercase(),
        );
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(v);
    }
    groups
}

/// "also 3 sources: B (2024-03-02), C (date unknown), D (2024-03-03); syndicated copies: x, y"
fn also_in(values: &[&ReportedValue]) -> String {
    let mut parts = Vec::new();
    let others = &values[1..];
    if !others.is_empty() {
        let mut named: Vec<String> = others
            .iter()
            .take(ALSO_NAMED)
            .map(|v| format!("{} ({})", v.outlet, date_text(v.published)))
            .collect();
        if others.len() > ALSO_NAMED {
            named.push(format!("and {} more", others.len() - ALSO_NAMED));
        }
        parts.push(format!(
            "also {} other source{}: {}",
            others.len(),
            plural(others.len()),
            named.join(", ")
        ));
    }
    let copies: Vec<&str> = values
        .iter()
        .flat_map(|v| &v.copies)
        .map(|c| c.as_str())
        .collect();
    if !copies.is_empty() {
        parts.push(format!(
            "syndicated cop{}: {}",
            if copies.len() == 1 { "y" } else { "ies" },
            copies.join(", ")
        ));
    }
    parts.join("; ")
}

impl FigureView {
    fn of(anchor: String, f: &Figure, links: &HashMap<&ArticleId, &str>) -> FigureView {
        let reference = value_of(f, f.most_direct.as_ref());
        let conflicts = f.divergences.iter().filter(|d| !d.consistent).count();
        let status_text = match f.status {
            FigureStatus::Agree if f.sources == 1 => "One source gives this figure.".to_string(),
            FigureStatus::Agree => format!("All {} sources give the same figure.", f.sources),
            FigureStatus::Consistent => {
                "The values differ, and each difference has a reason that lets both be right."
                    .to_string()
            }
            FigureStatus::Disagree => format!(
                "The sources disagree: {conflicts} value{} conflict{} with the reference.",
                plural(conflicts),
                if conflicts == 1 { "s" } else { "" }
            ),
        };
        let divergences: HashMap<&str, &corpus::Divergence> = f
            .divergences
            .iter()
            .map(|d| (d.value.as_str(), d))
            .collect();
        let rows = readings(f)
            .into_iter()
            .enumerate()
            .map(|(i, values)| {
                let first = values[0];
                let is_reference = values
                    .iter()
                    .any(|v| reference.is_some_and(|r| r.key == v.key));
                let divergence = divergences.get(first.key.as_str()).copied();
                let (role, role_text) = match (is_reference, divergence, first.count) {
                    (true, _, _) => ("reference", "reference: the most direct authority".into()),
                    (_, Some(d), _) if d.consistent => {
                        ("consistent", "differs, with a reason".into())
                    }
                    (_, Some(_), _) => ("conflicts", "conflicts".into()),
                    (_, None, None) => ("vague", "vague quantity".into()),
                    (_, None, Some(_)) => ("agrees", "agrees".into()),
                };
                Row {
                    number: i + 1,
                    amount: match &first.noun {
                        Some(noun) => format!("{} {noun}", amount(first.count, first.qualifier)),
                        None => amount(first.count, first.qualifier),
                    },
                    lower_bound: first.qualifier.is_lower_bound(),
                    outlet: first.outlet.clone(),
                    article: first.article.to_string(),
                    url: link(links, &first.article),
                    also: also_in(&values),
                    published: date_text(first.published),
                    according_to: according_to(first),
                    authority_kind: kind_text(first.authority.kind),
                    location: first.location.clone().unwrap_or_default(),
                    quote: first.quote.clone(),
                    role,
                    role_text,
                    why: divergence
                        .filter(|_| !is_reference)
                        .map(|d| d.reasons.iter().map(|r| r.text.clone()).collect())
                        .unwrap_or_default(),
                    latest: values
                        .iter()
                        .any(|v| f.latest.as_deref() == Some(v.key.as_str())),
                }
            })
            .collect();
        FigureView {
            anchor,
            title: figure_title(&f.id),
            status: match f.status {
                FigureStatus::Agree => "agree",
                FigureStatus::Consistent => "consistent",
                FigureStatus::Disagree => "disagree",
            },
            status_text,
            headline: figure_summary(f),
            rows,
            chart: chart::chart(f),
        }
    }
}

#[cfg(test)]
mod tests;
