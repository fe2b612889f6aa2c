//! What keeps the article from being lost: the page's longest run of prose, measured before
//! any judgement, against which the text that markup and scoring kept is weighed. When the
//! kept text is small against it, the extraction falls back, in order, to scoring the blocks
//! without reading class and id names, to the smallest element that holds that run of
//! prose, and to the article body the page states in its JSON-LD; [`Path`] says which gave
//! the text, and why.

use corpus::BlockKind;

use super::blocks::Block;
use super::classify::Reason;
use super::dom::{Dom, Tag};

/// Blocks shorter than this (visible characters) are not prose.
const PROSE_MIN_CHARS: u32 = 40;
/// Blocks with more than this share of their text in links are not prose.
const PROSE_MAX_LINK_DENSITY: f64 = 0.3;
/// A run of prose goes on past this many blocks in a row that are not prose (a heading, a
/// caption, a short line), if each is shorter than [`GAP_MAX_CHARS`].
const MAX_GAP_BLOCKS: usize = 2;
const GAP_MAX_CHARS: u32 = 80;
/// Kept text under this many visible characters (about 15 words) is next to nothing.
pub(crate) const NEAR_EMPTY_CHARS: u32 = 100;
/// Kept text under this share of the longest run of prose is a lost article.
pub(crate) const SMALL_SHARE: f64 = 0.3;
/// The JSON-LD article body is taken when the text kept from the page has fewer than this
/// share of its words, and it has at least [`MIN_LD_WORDS`].
const LD_SHARE: f64 = 0.5;
const MIN_LD_WORDS: usize = 30;

/// Which way the article's text was found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Path {
    /// Markup and the blocks' votes (the usual way).
    #[default]
    Markup,
    /// The blocks' votes with the names of the page's layout unread: markup had kept too
    /// little.
    Scoring { why: String },
    /// The smallest element that holds the page's longest run of prose.
    Container { why: String },
    /// The article body stated in the page's JSON-LD.
    JsonLd { why: String },
    /// The blocks' votes with what is hidden read as text: every other way kept next to
    /// nothing.
    Hidden { why: String },
    /// The page read with what is inside `<noscript>` as markup (a forum's page for readers
    /// without scripts): every other way kept next to nothing.
    NoScript { why: String },
    /// The blocks made of links in the article's place: every other way kept nothing, and
    /// links are all the text the page has there.
    Links { why: String },
    /// The page's own description (its `<meta>` or JSON-LD summary): the page has no text
    /// of its own (a script writes it in).
    Description { why: String },
}

impl Path {
    /// A name for the path.
    pub fn name(&self) -> &'static str {
        match self {
            Path::Markup => "markup",
            Path::Scoring { .. } => "scoring-without-layout-names",
            Path::Container { .. } => "largest-prose-container",
            Path::JsonLd { .. } => "json-ld-article-body",
            Path::Hidden { .. } => "hidden-text-shown",
            Path::NoScript { .. } => "noscript-read",
            Path::Links { .. } => "links-kept",
            Path::Description { .. } => "page-description",
        }
    }

    /// Why it was taken.
    pub fn why(&self) -> &str {
        match self {
            Path::Markup => {
                "the text kept by markup and scoring is not small against the page's prose"
            }
            Path::Scoring { why }
            | Path::Container { why }
            | Path::JsonLd { why }
            | Path::Hidden { why }
            | Path::NoScript { why }
            | Path::Links { why }
            | Path::Description { why } => why,
        }
    }
}

/// The page's longest run of prose: blocks of prose one after another, with at most a few
/// short blocks between them. Hidden blocks are not read, and what markup names comments,
/// related stories, captions or a gallery is not prose of the article (however long it is).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Run {
    /// Visible characters of prose (out of links) in the run.
    pub chars: u32,
    /// Of those, the characters in blocks that markup removed.
    pub judged: u32,
    /// The elements that hold its first and last blocks.
    pub first: u32,
    pub last: u32,
}

fn is_prose(b: &Block) -> bool {
    b.kind != BlockKind::Heading
        && b.chars >= PROSE_MIN_CHARS
        && b.link_density() <= PROSE_MAX_LINK_DENSITY
}

pub(crate) fn longest_run(blocks: &[Block]) -> Run {
    let mut best = Run::default();
    let mut current: Option<Run> = None;
    let mut gap = 0;
    for b in blocks.iter().filter(|b| b.dropped != Some(Reason::Hidden)) {
        let other = matches!(
            b.dropped,
            Some(Reason::Comments | Reason::Related | Reason::Gallery | Reason::Caption)
        );
        if is_prose(b) && !other {
            let run = current.get_or_insert(Run {
                chars: 0,
                judged: 0,
                first: b.owner,
                last: b.owner,
            });
            run.chars += b.chars - b.link_chars;
            if b.dropped.is_some() {
                run.judged += b.chars - b.link_chars;
            }
            run.last = b.owner;
            gap = 0;
            if run.chars > best.chars {
                best = *run;
            }
            continue;
        }
        gap += 1;
        if gap > MAX_GAP_BLOCKS || b.chars >= GAP_MAX_CHARS {
            current = None;
        }
    }
    best
}

/// Visible characters of the chosen blocks.
pub(crate) fn kept_chars(blocks: &[Block], chosen: &[usize]) -> u32 {
    chosen.iter().map(|&i| blocks[i].chars).sum()
}

/// Whether the article was lost: the kept text is small against the run of prose, and
/// markup removed most of that run, or kept next to nothing.
pub(crate) fn is_lost(kept: u32, run: &Run) -> bool {
    f64::from(kept) < SMALL_SHARE * f64::from(run.chars)
        && (2 * run.judged >= run.chars || kept < NEAR_EMPTY_CHARS)
}

/// Whether the text kept another way is no longer small against the run of prose.
pub(crate) fn is_small(kept: u32, run: &Run) -> bool {
    f64::from(kept) < SMALL_SHARE * f64::from(run.chars)
}

/// The smallest element that holds the run, short of the page's own root.
pub(crate) fn container(dom: &Dom<'_>, run: &Run) -> u32 {
    let mut at = run.first;
    while !dom.contains(at, run.last) {
        let parent = dom.parent(at);
        if parent == at {
            break;
        }
        at = parent;
    }
    if matches!(dom.tag(at), Tag::Document | Tag::Html) {
        at = (0..dom.len() as u32)
            .find(|&i| dom.tag(i) == Tag::Body)
            .unwrap_or(at);
    }
    at
}

/// The JSON-LD article body, as paragraphs, when the text kept from the page is small
/// against it.
pub(crate) fn json_ld_body(body: Option<&str>, kept_words: usize) -> Option<Vec<String>> {
    let body = body?;
    let words = crate::text::word_count(body);
    if words < MIN_LD_WORDS || (kept_words as f64) >= LD_SHARE * words as f64 {
        return None;
    }
    let paragraphs: Vec<String> = body
        .split('\n')
        .map(super::tidy)
        .filter(|p| !p.is_empty())
        .collect();
    (!paragraphs.is_empty()).then_some(paragraphs)
}
