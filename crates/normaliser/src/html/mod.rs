//! Main-content extraction from HTML: the headline and the article's paragraphs,
//! subheadings, lists, quotations and tables in reading order, without the page around them
//! (navigation, share bars, related links, comments, captions, ads), and the page's metadata.
//!
//! The page is parsed once by the page toolkit (`page::document`: made lean, then html5ever
//! through `scraper`) and flattened into an array in document order ([`dom`]); markup judges
//! what is plainly not the article ([`classify`]); the text is cut into blocks ([`blocks`]);
//! the blocks vote for the element that holds the article ([`content`]); the metadata is read
//! from the same tree by the page toolkit (`page::meta`, which the fetcher uses too, so that
//! both read a page's title and dates alike). No step recurses over the tree, and nesting
//! deeper than [`Limits::max_depth`] is flattened before parsing (`page::lean`), so no page
//! can overflow the stack or make the parser quadratic; pages larger than
//! [`Limits::max_bytes`] are refused.

mod blocks;
mod classify;
mod content;
mod decode;
mod dom;
mod fallback;

use corpus::{ArticleMeta, BlockKind, Removal};

use crate::boilerplate::Draft;

pub use decode::{Decoded, NotText, decode};
pub use fallback::Path;

/// Pages larger than this many bytes are refused (16 MiB: real article pages stay far below,
/// and parsing one costs about ten times its size in memory).
pub const DEFAULT_MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// Elements nested deeper than this are flattened before parsing (the page toolkit's, so
/// that the fetcher reads the same tree).
pub const DEFAULT_MAX_DEPTH: usize = page::document::DEFAULT_MAX_DEPTH;

/// Bounds on the work one page may cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: usize,
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: DEFAULT_MAX_PAGE_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// A page that is not extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    #[error("page of {bytes} bytes is larger than the limit of {limit} bytes")]
    TooLarge { bytes: usize, limit: usize },
}

/// What extraction found in a page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The headline (kind `Title`) and the article's blocks, in reading order.
    pub drafts: Vec<Draft>,
    pub meta: ArticleMeta,
    /// Blocks inside the article that markup showed to be something else, with the reason.
    pub removed: Vec<Removal>,
    /// What was unusual about the page (nesting flattened, ...), for the log.
    pub notes: Vec<String>,
    /// Which way the text was found, and why.
    pub path: Path,
}

/// Extracts the article from a page with the default [`Limits`].
pub fn extract(html: &str) -> Result<Page, HtmlError> {
    extract_with(html, &Limits::default())
}

pub fn extract_with(html: &str, limits: &Limits) -> Result<Page, HtmlError> {
    let cx = page::meta::Context {
        url: None,
        content_language: None,
        now: chrono::Utc::now(),
    };
    extract_in(html, limits, &cx)
}

/// Extracts the article from a page known by `cx` (where it was fetched from, and when).
pub fn extract_in(
    html: &str,
    limits: &Limits,
    cx: &page::meta::Context,
) -> Result<Page, HtmlError> {
    if html.len() > limits.max_bytes {
        return Err(HtmlError::TooLarge {
            bytes: html.len(),
            limit: limits.max_bytes,
        });
    }
    let page = extract_parsed(html, limits, cx);
    Ok(with_noscript_read(html, limits, cx, page))
}

/// The page's article by markup and the blocks' votes, and the ways of [`fallback`] when
/// they lose it.
fn extract_parsed(html: &str, limits: &Limits, cx: &page::meta::Context) -> Page {
    let mut notes = Vec::new();
    let doc = page::document::parse(html, limits.max_depth);
    if doc.max_depth > limits.max_depth {
        notes.push(format!(
            "elements nested {} deep were flattened to the limit of {}",
            doc.max_depth, limits.max_depth
        ));
    }
    let read = page::meta::read_parsed(html, &doc.tree, cx);
    let (meta, ld_body) = (read.meta, read.article_body);
    let dom = dom::Dom::new(&doc.tree);
    let (headline, headline_node) = headline(&dom, &meta);
    let judging = classify::Judging::of_page(is_discussion(html));
    let (mut blocks, mut chosen, path) = choose(&dom, judging, headline_node);
    let drafts = drafts_of(&blocks, &chosen, headline.as_deref());
    let (mut drafts, mut path) = match &path {
        Path::JsonLd { .. } | Path::Hidden { .. } => (drafts, path),
        _ => with_json_ld_body(ld_body.as_deref(), drafts, path),
    };
    if let Some((b, c, p)) = last_resort(&dom, judging, headline_node, &drafts) {
        drafts = drafts_of(&b, &c, headline.as_deref());
        (blocks, chosen, path) = (b, c, p);
    }
    let description = meta.description.as_deref();
    if let Some((d, p)) = with_links_kept(
        &blocks,
        &mut chosen,
        headline.as_deref(),
        &drafts,
        description,
    ) {
        (drafts, path) = (d, p);
    }
    Page {
        drafts,
        meta,
        removed: chosen.removed,
        notes,
        path,
    }
}

/// Whether the page says, in its JSON-LD or microdata, that it is a forum's thread
/// (schema.org `DiscussionForumPosting`): the replies are then its text, not comments under
/// an article. (A question's page, `QAPage`, is not: the comments under its answers are
/// comments.)
fn is_discussion(html: &str) -> bool {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("DiscussionForumPosting"));
    FINDER.find(html.as_bytes()).is_some()
}

/// When every way kept nothing at all: the blocks in the article's place that were
/// removed for being made of links, if there are any (a page whose text is all inside
/// links, or a list of links under a headline), unless the page's description says more
/// (then a link to skip to the content and the site's name are all there is: see
/// [`with_description`]). Their removals are no longer recorded.
fn with_links_kept(
    blocks: &[blocks::Block],
    chosen: &mut content::Chosen,
    headline: Option<&str>,
    drafts: &[Draft],
    description: Option<&str>,
) -> Option<(Vec<Draft>, Path)> {
    if kept_chars(drafts) > 0 || chosen.linked.is_empty() {
        return None;
    }
    let mut out: Vec<Draft> = drafts
        .iter()
        .filter(|d| d.kind == BlockKind::Title)
        .cloned()
        .collect();
    let mut chars = 0;
    for &index in &chosen.linked {
        let text = tidy(&blocks[index].text);
        chars += dom::visible_chars(&text);
        if !text.is_empty() && headline.is_none_or(|h| !h.eq_ignore_ascii_case(&text)) {
            out.push(Draft::new(blocks[index].kind, text));
        }
    }
    let described = description
        .map(crate::text::word_count)
        .filter(|&w| w >= MIN_DESCRIPTION_WORDS);
    let linked_words: usize = out
        .iter()
        .filter(|d| d.kind != BlockKind::Title)
        .map(|d| crate::text::word_count(&d.text))
        .sum();
    if chars == 0 || described.is_some_and(|w| w >= linked_words) {
        return None;
    }
    chosen.removed.retain(|r| r.rule != "html-links");
    let why = format!(
        "every way kept nothing; the {} blocks made of links in the article's place keep {chars} characters",
        chosen.linked.len()
    );
    Some((out, Path::Links { why }))
}

/// Descriptions shorter than this many words say too little to stand for the page.
const MIN_DESCRIPTION_WORDS: usize = 8;

/// The page's own description of itself (`<meta name="description">`, Open Graph's or
/// JSON-LD's), tidied, when it is a sentence or more ([`MIN_DESCRIPTION_WORDS`]): the text
/// of last resort of a page whose extraction kept next to nothing (a page a script writes
/// its text into, a forum thread or a shop's page, has nothing else to give). The caller
/// decides when: after the boilerplate rules (see `Normaliser::finish_page`).
pub fn description(meta: &ArticleMeta) -> Option<String> {
    let description = meta.description.as_deref().map(tidy)?;
    (crate::text::word_count(&description) >= MIN_DESCRIPTION_WORDS).then_some(description)
}

/// The path of a page whose text is its description, after `previous` kept next to nothing.
pub fn described(previous: &Path, description: &str) -> Path {
    let why = format!(
        "{} kept next to nothing; the page's description has {} words",
        previous.name(),
        crate::text::word_count(description)
    );
    Path::Description { why }
}

/// When every way kept next to nothing, the page again with the inside of its `<noscript>`
/// elements read as markup: html5ever, like a browser that runs scripts, reads it as raw
/// text, and some pages (Discourse's forums) put their whole thread there for readers and
/// robots without scripts.
fn with_noscript_read(html: &str, limits: &Limits, cx: &page::meta::Context, page: Page) -> Page {
    let kept = kept_chars(&page.drafts);
    if kept >= fallback::NEAR_EMPTY_CHARS {
        return page;
    }
    let Some(unwrapped) = without_noscript_tags(html) else {
        return page;
    };
    match extract_parsed(&unwrapped, limits, cx) {
        read if kept_chars(&read.drafts) > kept => {
            let why = format!(
                "every way kept {kept} characters; with what is inside <noscript> read as markup, {}",
                kept_chars(&read.drafts)
            );
            Page {
                path: Path::NoScript { why },
                meta: page.meta,
                notes: page.notes,
                ..read
            }
        }
        _ => page,
    }
}

/// Visible characters of the drafts but the title.
fn kept_chars(drafts: &[Draft]) -> u32 {
    drafts
        .iter()
        .filter(|d| d.kind != BlockKind::Title)
        .map(|d| dom::visible_chars(&d.text))
        .sum()
}

/// The page without its `<noscript>` and `</noscript>` tags (their inside stays), or `None`
/// when it has none.
fn without_noscript_tags(html: &str) -> Option<String> {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)</?noscript\b[^>]*>").expect("a valid pattern")
    });
    TAG.is_match(html)
        .then(|| TAG.replace_all(html, "").into_owned())
}

/// The headline, the standfirst and the chosen blocks as drafts for the rules.
fn drafts_of(
    blocks: &[blocks::Block],
    chosen: &content::Chosen,
    headline: Option<&str>,
) -> Vec<Draft> {
    let mut drafts = Vec::with_capacity(chosen.blocks.len() + 1);
    if let Some(h) = headline {
        drafts.push(Draft::new(BlockKind::Title, h));
    }
    for &index in &chosen.standfirst {
        let text = tidy(&blocks[index].text);
        if !text.is_empty() {
            drafts.push(Draft::new(BlockKind::Standfirst, text));
        }
    }
    for &index in &chosen.blocks {
        let block = &blocks[index];
        let text = tidy(&block.text);
        if text.is_empty() {
            continue;
        }
        // The headline again at the top of the body (an `<h1>`, or a bold line) is the title.
        let near_top = drafts.len() <= 3;
        if near_top && headline.is_some_and(|h| h.eq_ignore_ascii_case(&text)) {
            continue;
        }
        drafts.push(Draft::new(block.kind, text));
    }
    drafts
}

/// When every way kept next to nothing: the blocks' votes over the page with the names and
/// elements of its layout unread (a page with no prose to measure, whose few lines sit in a
/// "sidebar"), or with what is hidden read as text (an article hidden until a script shows
/// it: `display: none` on the page's content while it loads). The first that keeps more than
/// next to nothing is taken; else the few lines found with the layout unread. What is found
/// with the layout unread counts only where the page's markup puts its article (not a
/// widget's labels on a page whose article a script loads).
fn last_resort(
    dom: &dom::Dom<'_>,
    page: classify::Judging,
    headline: Option<u32>,
    drafts: &[Draft],
) -> Option<(Vec<blocks::Block>, content::Chosen, Path)> {
    // Counted only as far as the bar: nearly every page passes it in its first blocks.
    let mut kept = 0;
    for d in drafts.iter().filter(|d| d.kind != BlockKind::Title) {
        kept += dom::visible_chars(&d.text);
        if kept >= fallback::NEAR_EMPTY_CHARS {
            return None;
        }
    }
    let votes = |judging| {
        let markup = classify::classify(dom, judging);
        let all = blocks::blocks(dom, &markup.verdict);
        let chosen = content::choose(dom, &markup, &all, headline);
        let chars = fallback::kept_chars(&all, &chosen.blocks);
        let in_article = chosen
            .blocks
            .iter()
            .all(|&b| in_marked_article(dom, &markup, all[b].owner));
        (all, chosen, chars, in_article)
    };
    let (plain_blocks, plain, plain_kept, in_article) = votes(classify::Judging {
        layout_names: false,
        layout_tags: false,
        ..page
    });
    let unread = || {
        let why = format!(
            "every way kept {kept} characters; with the page's layout unread, the blocks' votes keep {plain_kept}, all in the element marked as the article"
        );
        Path::Scoring { why }
    };
    if in_article && plain_kept >= fallback::NEAR_EMPTY_CHARS {
        return Some((plain_blocks, plain, unread()));
    }
    let (shown_blocks, shown, shown_kept, _) = votes(classify::Judging {
        hidden: false,
        ..page
    });
    if shown_kept >= fallback::NEAR_EMPTY_CHARS && shown_kept > kept {
        let why = format!(
            "every way kept {kept} characters; with what is hidden read as text, the blocks' votes keep {shown_kept}"
        );
        return Some((shown_blocks, shown, Path::Hidden { why }));
    }
    if in_article && plain_kept > kept {
        return Some((plain_blocks, plain, unread()));
    }
    None
}

/// Whether an element is in an `<article>` or `<main>`, or in one whose class or id names
/// the article's body ("article-body", "entry-content"; not a mere "content").
fn in_marked_article(dom: &dom::Dom<'_>, markup: &classify::Markup, mut at: u32) -> bool {
    loop {
        if matches!(dom.tag(at), dom::Tag::Article | dom::Tag::Main)
            || markup.body_marker[at as usize] >= 2
        {
            return true;
        }
        let parent = dom.parent(at);
        if parent == at {
            return false;
        }
        at = parent;
    }
}

/// The page's blocks and the article's among them, by the first way that does not lose the
/// article (see [`fallback`]).
fn choose(
    dom: &dom::Dom<'_>,
    page: classify::Judging,
    headline: Option<u32>,
) -> (Vec<blocks::Block>, content::Chosen, Path) {
    let markup = classify::classify(dom, page);
    let blocks = blocks::blocks(dom, &markup.verdict);
    let chosen = content::choose(dom, &markup, &blocks, headline);
    let run = fallback::longest_run(&blocks);
    let kept = fallback::kept_chars(&blocks, &chosen.blocks);
    if !fallback::is_lost(kept, &run) {
        return (blocks, chosen, Path::Markup);
    }
    let lost = format!(
        "markup kept {kept} characters of a page whose longest run of prose has {} ({} of them removed by markup)",
        run.chars, run.judged
    );
    let plain = classify::classify(
        dom,
        classify::Judging {
            layout_names: false,
            ..page
        },
    );
    let plain_blocks = blocks::blocks(dom, &plain.verdict);
    let scored = content::choose(dom, &plain, &plain_blocks, headline);
    let scored_kept = fallback::kept_chars(&plain_blocks, &scored.blocks);
    if !fallback::is_small(scored_kept, &run) {
        let why = format!("{lost}; scoring without layout names kept {scored_kept}");
        return (plain_blocks, scored, Path::Scoring { why });
    }
    let bare = classify::classify(
        dom,
        classify::Judging {
            layout_names: false,
            layout_tags: false,
            ..page
        },
    );
    let bare_blocks = blocks::blocks(dom, &bare.verdict);
    let root = fallback::container(dom, &run);
    let within = content::collect(dom, &bare, &bare_blocks, &[root], headline);
    let within_kept = fallback::kept_chars(&bare_blocks, &within.blocks);
    if within_kept > kept.max(scored_kept) {
        let why = format!(
            "{lost}; scoring without layout names kept {scored_kept}; the <{}> that holds the run keeps {within_kept}",
            dom.nodes[root as usize].element.map_or("?", |e| e.name())
        );
        return (bare_blocks, within, Path::Container { why });
    }
    (blocks, chosen, Path::Markup)
}

/// The article body stated in JSON-LD, in place of what was kept, when that is small
/// against it.
fn with_json_ld_body(body: Option<&str>, drafts: Vec<Draft>, path: Path) -> (Vec<Draft>, Path) {
    if body.is_none() {
        return (drafts, path);
    }
    let kept_words: usize = drafts
        .iter()
        .filter(|d| d.kind != BlockKind::Title)
        .map(|d| crate::text::word_count(&d.text))
        .sum();
    let Some(paragraphs) = fallback::json_ld_body(body, kept_words) else {
        return (drafts, path);
    };
    let why = format!(
        "the page kept {kept_words} words ({}), its JSON-LD article body has {}",
        path.name(),
        body.map_or(0, crate::text::word_count)
    );
    let mut out: Vec<Draft> = drafts
        .into_iter()
        .filter(|d| d.kind == BlockKind::Title)
        .collect();
    out.extend(
        paragraphs
            .into_iter()
            .map(|p| Draft::new(BlockKind::Paragraph, p)),
    );
    (out, Path::JsonLd { why })
}

/// NFC and white space folded (as [`crate::text::tidy`]), without the NFC pass for the
/// text that is already in NFC (nearly all of it).
pub(crate) fn tidy(s: &str) -> String {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        crate::text::fold_whitespace(s)
    } else {
        crate::text::tidy(s)
    }
}

/// The headline: the `<h1>` that matches the metadata title best, else the metadata title,
/// else the first `<h1>`; and the element it was found in.
fn headline(dom: &dom::Dom<'_>, meta: &ArticleMeta) -> (Option<String>, Option<u32>) {
    let title = meta.title.as_deref().map(tidy);
    let mut first_h1 = None;
    let mut best: Option<(f64, String, u32)> = None;
    for i in 0..dom.len() as u32 {
        if dom.tag(i) != dom::Tag::H(1) {
            continue;
        }
        let text = tidy(&dom.text_of(i));
        if text.is_empty() {
            continue;
        }
        if first_h1.is_none() {
            first_h1 = Some((text.clone(), i));
        }
        if let Some(t) = &title {
            let overlap = word_overlap(&text, t);
            if overlap >= 0.5 && best.as_ref().is_none_or(|(o, _, _)| overlap > *o) {
                best = Some((overlap, text, i));
            }
        }
    }
    match (best, title, first_h1) {
        (Some((_, text, i)), _, _) => (Some(text), Some(i)),
        (None, Some(title), _) => (Some(title), None),
        (None, None, Some((text, i))) => (Some(text), Some(i)),
        (None, None, None) => (None, None),
    }
}

/// The share of the words of `a` that are in `b` (case folded; in Chinese and Japanese, where
/// words are not spaced, each character is a word, so that a headline matches a title that
/// words it a little differently).
fn word_overlap(a: &str, b: &str) -> f64 {
    let a = crate::text::word_hashes(a);
    let b = crate::text::word_hashes(b);
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}
