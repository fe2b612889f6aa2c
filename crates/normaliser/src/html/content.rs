//! Finding the article among the page's blocks.
//!
//! Each paragraph-like block votes for the elements above it (in the manner of Mozilla's
//! Readability: more for longer text and more commas, less the further up); the headline's
//! container gains; an element's votes are discounted by the share of its text inside links,
//! and the best element is widened to its ancestors or siblings when the article is split
//! among them, and joined by the elements with exactly its tag and class (a body cut into
//! parts by ads). Markup that names the article body (`itemprop="articleBody"`,
//! "article-body", "entry-content") is preferred when it holds most of what the votes found.
//! Inside the chosen part, blocks that markup marks as something else (share bars, captions,
//! related links), blocks made of links, captions under images and bare addresses are
//! removed, each with its reason.

use corpus::{BlockKind, Removal};

use rustc_hash::FxHashMap;

use super::blocks::Block;
use super::classify::{Markup, Reason};
use super::dom::{Dom, NONE, Tag};
use crate::text::FULL_STOPS;

/// Blocks shorter than this (visible characters) cast no vote.
const MIN_VOTING_CHARS: u32 = 25;
/// How many containers of the headline gain, and how much.
const HEADLINE_LEVELS: usize = 3;
const HEADLINE_BONUS: f64 = 10.0;
/// How many ancestors of a block receive its vote.
const VOTE_LEVELS: usize = 5;
/// A sibling of the chosen element that scores this share of its score, and at least
/// [`SIBLING_MIN_SCORE`], continues the article.
const SIBLING_SHARE: f64 = 0.2;
const SIBLING_MIN_SCORE: f64 = 10.0;
/// Blocks with more than this share of their text in links are navigation.
const MAX_LINK_DENSITY: f64 = 0.5;
/// Blocks at least this long (visible characters) are text unless nearly all links.
const LONG_BLOCK_CHARS: u32 = 100;
const MAX_LINK_DENSITY_LONG: f64 = 0.8;
/// An ancestor this many levels up at most (counting only the levels that add prose, not
/// wrappers around wrappers), with this many times the chosen element's prose, and the prose
/// it adds under this share of links, holds more of the article.
const WIDEN_LEVELS: usize = 8;
const WIDEN_SHARE: f64 = 2.0;
const MAX_ADDED_LINK_DENSITY: f64 = 0.2;

/// What was chosen: the article's blocks in order, and the blocks removed from inside it.
pub(crate) struct Chosen {
    pub blocks: Vec<usize>,
    /// The standfirst's blocks, when it stands outside the article's body.
    pub standfirst: Vec<usize>,
    pub removed: Vec<Removal>,
    /// The blocks removed for being made of links (rule `html-links`), in order: the text
    /// of last resort of a page whose only text is links.
    pub linked: Vec<usize>,
}

/// Chooses the article's blocks. `headline`: the headline's element, if the page has one
/// (a standfirst comes after it).
pub(crate) fn choose(
    dom: &Dom<'_>,
    markup: &Markup,
    blocks: &[Block],
    headline: Option<u32>,
) -> Chosen {
    let kept = kept_text(dom, blocks);
    let scores = Scores::vote(dom, &markup.body_marker, blocks, &kept, headline);
    let roots = match best_candidate(dom, &markup.body_marker, &scores, &kept, headline) {
        Some(top) => {
            let mut roots = with_siblings(dom, markup, &kept, &scores, top);
            add_same_class_parts(dom, &markup.body_marker, &kept, top, &mut roots);
            roots
        }
        None => vec![0],
    };
    collect(dom, markup, blocks, &roots, headline)
}

/// The article's blocks inside the given elements (in document order, none inside
/// another): all but what markup, links, bare addresses and image captions show to be
/// something else.
pub(crate) fn collect(
    dom: &Dom<'_>,
    markup: &Markup,
    blocks: &[Block],
    roots: &[u32],
    headline: Option<u32>,
) -> Chosen {
    let kept = kept_text(dom, blocks);
    let items = list_items(blocks);
    if tracing::enabled!(tracing::Level::TRACE) {
        for &r in roots {
            tracing::trace!(
                node = r,
                tag = ?dom.tag(r),
                class = dom.attr(r, "class").unwrap_or(""),
                id = dom.attr(r, "id").unwrap_or(""),
                chars = kept.chars[r as usize],
                "article root"
            );
        }
    }
    let mut chosen = Chosen {
        blocks: Vec::new(),
        standfirst: standfirst(dom, markup, blocks, roots, headline),
        removed: Vec::new(),
        linked: Vec::new(),
    };
    let mut r = 0;
    for (index, block) in blocks.iter().enumerate() {
        while r < roots.len() && dom.end(roots[r]) <= block.first {
            r += 1;
        }
        if r == roots.len() {
            break;
        }
        if block.first < roots[r] {
            continue;
        }
        for (reason, piece) in &block.cut {
            chosen.removed.push(Removal {
                rule: reason.rule().to_string(),
                text: super::tidy(piece),
            });
        }
        if block.chars == 0 {
            continue;
        }
        let reason = block
            .dropped
            .map(Reason::rule)
            .or_else(|| {
                (link_heavy(block, &kept, &items) && !titles_section(blocks, index))
                    .then_some("html-links")
            })
            .or_else(|| is_bare_url(&block.text).then_some("html-url"))
            .or_else(|| is_image_caption(dom, block).then_some("html-caption"));
        if reason == Some("html-links") {
            chosen.linked.push(index);
        }
        match reason {
            Some(rule) => chosen.removed.push(Removal {
                rule: rule.to_string(),
                text: super::tidy(&block.text),
            }),
            None => chosen.blocks.push(index),
        }
    }
    // A heading with nothing after it announces what was removed; but headings that are all
    // the article has are its text.
    let has_text = |chosen: &Chosen| {
        chosen
            .blocks
            .iter()
            .any(|&b| blocks[b].kind != BlockKind::Heading)
    };
    while let Some(&last) = chosen.blocks.last() {
        if blocks[last].kind != BlockKind::Heading || !has_text(&chosen) {
            break;
        }
        chosen.blocks.pop();
        chosen.removed.push(Removal {
            rule: "html-trailing-heading".into(),
            text: super::tidy(&blocks[last].text),
        });
    }
    chosen
}

/// The standfirst: text marked as a summary, dek or subtitle between the headline and the
/// article's body (often in the article's `<header>`).
fn standfirst(
    dom: &Dom<'_>,
    markup: &Markup,
    blocks: &[Block],
    roots: &[u32],
    headline: Option<u32>,
) -> Vec<usize> {
    let Some(&body) = roots.first() else {
        return Vec::new();
    };
    let after = headline.map_or(0, |h| dom.end(h));
    let marked = |b: &Block| {
        let mut at = b.owner;
        for _ in 0..3 {
            if markup.standfirst[at as usize] {
                return true;
            }
            at = dom.parent(at);
        }
        false
    };
    let found: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.first >= after && b.first < body)
        .filter(|(_, b)| matches!(b.dropped, None | Some(Reason::Header)))
        .filter(|(_, b)| (30..=800).contains(&b.chars) && b.link_density() < 0.3)
        .filter(|(_, b)| marked(b))
        .map(|(i, _)| i)
        .collect();
    // Too many marked blocks before the body are a list of teasers, not a standfirst.
    if found.len() > 3 { Vec::new() } else { found }
}

/// A block, or the list of short items it belongs to, that is mostly links. A paragraph
/// of some length is text even with many links in it (a digest of linked stories, each with
/// its summary); a short one that is mostly a link is navigation or a teaser.
fn link_heavy(block: &Block, kept: &Kept, items: &FxHashMap<u32, u32>) -> bool {
    let limit = if block.chars >= LONG_BLOCK_CHARS || is_sentence(block) {
        MAX_LINK_DENSITY_LONG
    } else {
        MAX_LINK_DENSITY
    };
    if block.link_density() > limit {
        return true;
    }
    block.kind == BlockKind::ListItem
        && block.list.is_some_and(|list| {
            let count = items.get(&list).copied().unwrap_or(1).max(1);
            let mean_chars = kept.chars[list as usize] / count;
            mean_chars < LONG_BLOCK_CHARS && kept.link_density(list) > MAX_LINK_DENSITY
        })
}

/// A heading that is a link (the items of a list article, each titled with a link to what
/// it describes) titles a section of the article when the block after it is prose: a
/// paragraph of some length, mostly not links.
fn titles_section(blocks: &[Block], index: usize) -> bool {
    blocks[index].kind == BlockKind::Heading
        && blocks.get(index + 1).is_some_and(|next| {
            next.dropped.is_none()
                && next.kind == BlockKind::Paragraph
                && next.chars >= LONG_BLOCK_CHARS
                && next.link_density() <= MAX_LINK_DENSITY
        })
}

/// A short line set right under an image, in an element of its own that is not a
/// paragraph (`<img><div>The bridge at dawn. (Photo: ...)</div>`): the image's caption.
fn is_image_caption(dom: &Dom<'_>, block: &Block) -> bool {
    const MAX_CAPTION_CHARS: u32 = 250;
    if block.chars > MAX_CAPTION_CHARS
        || matches!(
            dom.tag(block.owner),
            Tag::P | Tag::H(_) | Tag::Li | Tag::Blockquote | Tag::Tr | Tag::Pre
        )
        || dom.nodes[block.owner as usize].chars > block.chars
    {
        return false;
    }
    // The nearest sibling before it that shows something (text, or an image) is an image.
    let mut at = dom.nodes[block.owner as usize].previous;
    for _ in 0..8 {
        if at == NONE {
            return false;
        }
        let node = &dom.nodes[at as usize];
        if node.chars > 0 {
            return false;
        }
        if holds_image(dom, at) {
            return true;
        }
        at = node.previous;
    }
    false
}

/// The element is an image or wraps one (a link, a `<p>`, a `<picture>` around it).
fn holds_image(dom: &Dom<'_>, i: u32) -> bool {
    const MAX_WRAPPER_NODES: u32 = 16;
    let end = dom.end(i).min(i + MAX_WRAPPER_NODES);
    (i..end).any(|j| dom.tag(j) == Tag::Img)
}

/// A block that is nothing but a web address (a share target or canonical link printed
/// for readers without scripts).
fn is_bare_url(text: &str) -> bool {
    let text = text.trim();
    (text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www."))
        && !text.contains(char::is_whitespace)
}

/// A paragraph that reads as a sentence with a link in it, not as a link with a word or
/// two around it: some words of its own, and a full stop (or other final punctuation).
fn is_sentence(block: &Block) -> bool {
    const MIN_OWN_CHARS: u32 = 25;
    block.kind == BlockKind::Paragraph
        && block.chars - block.link_chars >= MIN_OWN_CHARS
        && block
            .text
            .trim_end()
            .ends_with(|c: char| FULL_STOPS.contains(&c) || CLOSERS.contains(&c))
}

/// Closing quotation marks and brackets, which end a paragraph of prose as well as a full
/// stop does.
const CLOSERS: [char; 6] = ['"', '”', '»', ')', '」', '』'];

/// How many items each list has.
fn list_items(blocks: &[Block]) -> FxHashMap<u32, u32> {
    let mut items = FxHashMap::default();
    for list in blocks
        .iter()
        .filter(|b| b.dropped.is_none())
        .filter_map(|b| b.list)
    {
        *items.entry(list).or_insert(0) += 1;
    }
    items
}

/// Visible characters per element counting only blocks that markup did not remove.
struct Kept {
    chars: Vec<u32>,
    link_chars: Vec<u32>,
    /// The characters of the blocks that vote (prose: long enough, not a heading, mostly
    /// not links), and of those the characters inside links.
    prose: Vec<u32>,
    prose_links: Vec<u32>,
}

impl Kept {
    fn link_density(&self, i: u32) -> f64 {
        let chars = self.chars[i as usize];
        if chars == 0 {
            0.0
        } else {
            self.link_chars[i as usize] as f64 / chars as f64
        }
    }
}

fn kept_text(dom: &Dom<'_>, blocks: &[Block]) -> Kept {
    let mut chars = vec![0u32; dom.len()];
    let mut link_chars = vec![0u32; dom.len()];
    let mut prose = vec![0u32; dom.len()];
    let mut prose_links = vec![0u32; dom.len()];
    for b in blocks.iter().filter(|b| b.dropped.is_none()) {
        chars[b.owner as usize] += b.chars;
        link_chars[b.owner as usize] += b.link_chars;
        if votes(b) {
            prose[b.owner as usize] += b.chars;
            prose_links[b.owner as usize] += b.link_chars;
        }
    }
    for i in (1..dom.len()).rev() {
        let parent = dom.nodes[i].parent as usize;
        chars[parent] += chars[i];
        link_chars[parent] += link_chars[i];
        prose[parent] += prose[i];
        prose_links[parent] += prose_links[i];
    }
    Kept {
        chars,
        link_chars,
        prose,
        prose_links,
    }
}

/// A block that votes for its containers: long enough, not a heading, not mostly links.
fn votes(b: &Block) -> bool {
    b.chars >= MIN_VOTING_CHARS
        && b.kind != BlockKind::Heading
        && b.link_density() <= MAX_LINK_DENSITY
}

/// Each element's score from the votes of the blocks inside it (NaN where no block voted).
/// Scores are discounted by the share of the element's kept text inside links.
struct Scores {
    by_node: Vec<f64>,
    /// The votes alone, without what the element's name and tag gave it to start with.
    votes: Vec<f64>,
}

impl Scores {
    /// The blocks' votes (in the manner of Readability: more for longer text and more
    /// commas, less the further up), and the headline's bonus.
    fn vote(
        dom: &Dom<'_>,
        markers: &[u8],
        blocks: &[Block],
        kept: &Kept,
        headline: Option<u32>,
    ) -> Scores {
        let mut score: Vec<f64> = vec![f64::NAN; dom.len()];
        for b in blocks.iter().filter(|b| b.dropped.is_none() && votes(b)) {
            let vote = 1.0 + commas(&b.text) as f64 + (b.chars as f64 / 100.0).min(3.0);
            let mut at = first_voter(dom, b);
            for level in 0..VOTE_LEVELS {
                let s = &mut score[at as usize];
                if s.is_nan() {
                    *s = initial_score(dom, markers, at);
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f64 * 3.0,
                };
                *s += vote / divider;
                let parent = dom.parent(at);
                if parent == at || matches!(dom.tag(parent), Tag::Document) {
                    break;
                }
                at = parent;
            }
        }
        // The article is where its headline is: the nearest container of the headline that
        // holds voting text gains, so that a short story wins over longer teasers beside it.
        if let Some(h) = headline {
            let mut at = dom.parent(h);
            for _ in 0..HEADLINE_LEVELS {
                if !score[at as usize].is_nan() {
                    score[at as usize] += HEADLINE_BONUS;
                    break;
                }
                let parent = dom.parent(at);
                if parent == at || matches!(dom.tag(parent), Tag::Body | Tag::Html | Tag::Document)
                {
                    break;
                }
                at = parent;
            }
        }
        let mut votes = vec![f64::NAN; dom.len()];
        for (i, s) in score.iter_mut().enumerate() {
            if s.is_nan() {
                continue;
            }
            let keep = 1.0 - kept.link_density(i as u32);
            votes[i] = (*s - initial_score(dom, markers, i as u32)) * keep;
            *s *= keep;
        }
        Scores {
            by_node: score,
            votes,
        }
    }

    fn of(&self, i: u32) -> f64 {
        self.by_node[i as usize]
    }
}

/// The element whose score a block's vote goes to first. Text directly in a paragraph
/// votes from the paragraph's parent up; text that sits beside other blocks in a container
/// votes from the container. A row of a table of data or an item of a list votes from the
/// container of the table or list: a table or a list is a part of an article (the films of
/// a list article under its introduction, a recipe's ingredients beside its method), and
/// the votes of its many rows must not make it the article alone.
fn first_voter(dom: &Dom<'_>, b: &Block) -> u32 {
    let owner = b.owner;
    // The item itself, also when its text is in a paragraph inside it (`<li><p>`).
    let item = match dom.tag(owner) {
        Tag::Tr | Tag::Li => Some(owner),
        Tag::P if b.kind == BlockKind::ListItem && dom.tag(dom.parent(owner)) == Tag::Li => {
            Some(dom.parent(owner))
        }
        _ => None,
    };
    if let Some(item) = item.filter(|_| matches!(b.kind, BlockKind::TableRow | BlockKind::ListItem))
    {
        let mut at = item;
        while is_structure(dom, at) {
            let parent = dom.parent(at);
            if parent == at {
                break;
            }
            at = parent;
        }
        return at;
    }
    match dom.tag(owner) {
        Tag::P | Tag::Pre | Tag::Li | Tag::Tr | Tag::Cell | Tag::Dd | Tag::Dt => dom.parent(owner),
        Tag::Blockquote | Tag::Div | Tag::Section if !has_block_child(dom, owner) => {
            dom.parent(owner)
        }
        _ => owner,
    }
}

/// A part of a table or a list, or the table or list itself.
fn is_structure(dom: &Dom<'_>, i: u32) -> bool {
    match dom.tag(i) {
        Tag::Tr | Tag::Li | Tag::List | Tag::Table | Tag::Dl => true,
        Tag::OtherBlock => dom.nodes[i as usize]
            .element
            .is_some_and(|e| matches!(e.name(), "tbody" | "thead" | "tfoot")),
        _ => false,
    }
}

/// The element that the blocks' votes favour, widened as Readability does.
fn best_candidate(
    dom: &Dom<'_>,
    markers: &[u8],
    scores: &Scores,
    kept: &Kept,
    headline: Option<u32>,
) -> Option<u32> {
    let mut candidates: Vec<(f64, u32)> = scores
        .by_node
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_nan())
        .map(|(i, &s)| (s, i as u32))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let final_score = |i: u32| scores.of(i);
    let (top_score, mut top) = candidates[0];

    // Several strong candidates under one ancestor: the article is that ancestor.
    let alternatives: Vec<u32> = candidates[1..candidates.len().min(5)]
        .iter()
        .filter(|(s, _)| *s >= 0.75 * top_score)
        .map(|&(_, i)| i)
        .collect();
    if alternatives.len() >= 3 {
        let mut at = dom.parent(top);
        while !matches!(dom.tag(at), Tag::Body | Tag::Html | Tag::Document) {
            if alternatives
                .iter()
                .filter(|&&a| dom.contains(at, a))
                .count()
                >= 3
            {
                top = at;
                break;
            }
            at = dom.parent(at);
        }
    }
    // A parent that scores higher than the child holds more of the article.
    let mut last = final_score(top);
    if !last.is_nan() {
        let threshold = last / 3.0;
        let mut at = dom.parent(top);
        while !matches!(dom.tag(at), Tag::Body | Tag::Html | Tag::Document) {
            let s = final_score(at);
            if s.is_nan() {
                at = dom.parent(at);
                continue;
            }
            if s < threshold {
                break;
            }
            if s > last {
                top = at;
                break;
            }
            last = s;
            at = dom.parent(at);
        }
    }
    let top = above_only_children(dom, top);
    // Where the headline is, the article starts: what stands beside it is other stories.
    let top = if headline.is_some_and(|h| dom.contains(top, h)) {
        top
    } else {
        with_more_prose(dom, kept, top)
    };
    let marked = body_by_markup(dom, markers, kept, top);
    Some(marked.unwrap_or(top))
}

/// An only child says no more than its parent: the element above the chosen one's only
/// children.
fn above_only_children(dom: &Dom<'_>, mut top: u32) -> u32 {
    loop {
        let parent = dom.parent(top);
        if matches!(dom.tag(parent), Tag::Body | Tag::Html | Tag::Document) {
            return top;
        }
        if dom
            .children(parent)
            .filter(|&c| dom.nodes[c as usize].chars > 0 || dom.tag(c) != Tag::Text)
            .count()
            != 1
        {
            return top;
        }
        top = parent;
    }
}

/// The article split into parts deeper than the votes reach (each section of a guide in its
/// own nest of wrappers, one tab panel of a review, a recipe's box beside its method): an
/// ancestor whose prose is more than twice the chosen element's, the prose it adds being
/// text rather than links, holds more of the article.
fn with_more_prose(dom: &Dom<'_>, kept: &Kept, top: u32) -> u32 {
    let mut chosen = top;
    let mut at = dom.parent(top);
    // Levels that add no prose (wrappers around wrappers) are not counted.
    let mut levels = 0;
    let mut below = kept.prose[top as usize];
    while levels < WIDEN_LEVELS {
        // An `<article>` holds one article: what stands beside it is another.
        if matches!(dom.tag(at), Tag::Body | Tag::Html | Tag::Document)
            || dom.tag(chosen) == Tag::Article
            || dom.parent(at) == at
        {
            break;
        }
        if kept.prose[at as usize] > below {
            levels += 1;
            below = kept.prose[at as usize];
        }
        let (prose, base) = (kept.prose[at as usize], kept.prose[chosen as usize]);
        let added = prose - base;
        let added_links = kept.prose_links[at as usize] - kept.prose_links[chosen as usize];
        if f64::from(prose) > WIDEN_SHARE * f64::from(base)
            && f64::from(added_links) < MAX_ADDED_LINK_DENSITY * f64::from(added)
            && kept.link_density(at) < MAX_ADDED_LINK_DENSITY
        {
            chosen = at;
        }
        at = dom.parent(at);
    }
    chosen
}

/// An element marked as the article body that holds most of the chosen element's text, or
/// that lies inside it and holds most of it.
fn body_by_markup(dom: &Dom<'_>, markers: &[u8], kept: &Kept, top: u32) -> Option<u32> {
    let top_chars = kept.chars[top as usize] as f64;
    let mut best: Option<(u8, u32)> = None;
    for i in 0..dom.len() as u32 {
        let strength = markers[i as usize];
        if strength < 2 {
            continue;
        }
        let chars = kept.chars[i as usize] as f64;
        let fits = if dom.contains(top, i) {
            chars >= 0.6 * top_chars
        } else if dom.contains(i, top) {
            chars <= 1.5 * top_chars
        } else {
            false
        };
        if !fits {
            continue;
        }
        if best.is_none_or(|(s, _)| strength > s) {
            best = Some((strength, i));
        }
    }
    best.map(|(_, i)| i)
}

fn has_block_child(dom: &Dom<'_>, i: u32) -> bool {
    dom.children(i).any(|c| dom.tag(c).is_block())
}

fn initial_score(dom: &Dom<'_>, markers: &[u8], i: u32) -> f64 {
    let by_tag = match dom.tag(i) {
        Tag::Div | Tag::Article | Tag::Main | Tag::Section => 5.0,
        Tag::Pre | Tag::Cell | Tag::Blockquote => 3.0,
        Tag::Address | Tag::List | Tag::Dl | Tag::Dd | Tag::Dt | Tag::Li | Tag::Form => -3.0,
        Tag::H(_) => -5.0,
        _ => 0.0,
    };
    let marker = match markers[i as usize] {
        0 => 0.0,
        1 => 25.0,
        _ => 50.0,
    };
    by_tag + marker
}

/// Siblings of the chosen element that continue the article: classed alike, scored well
/// against it, or paragraphs of plain text that markup does not name a standfirst.
fn with_siblings(
    dom: &Dom<'_>,
    markup: &Markup,
    kept: &Kept,
    scores: &Scores,
    top: u32,
) -> Vec<u32> {
    let parent = dom.parent(top);
    if parent == top || matches!(dom.tag(parent), Tag::Document | Tag::Html) {
        return vec![top];
    }
    let top_class = dom.attr(top, "class").unwrap_or("");
    let top_chars = kept.chars[top as usize] as f64;
    // A sibling that scores a good part of what the chosen element scores is more of the
    // article (Readability's threshold), unless markup names the chosen element the article
    // body (then a box beside it, "Key points", is not).
    let threshold = if markup.body_marker[top as usize] >= 2 {
        f64::INFINITY
    } else {
        (SIBLING_SHARE * scores.of(top)).max(SIBLING_MIN_SCORE)
    };
    let mut roots = Vec::new();
    for s in dom.children(parent) {
        if s == top {
            roots.push(s);
            continue;
        }
        let chars = kept.chars[s as usize] as f64;
        if chars == 0.0 {
            continue;
        }
        let density = kept.link_density(s);
        let same_class = !top_class.is_empty()
            && dom
                .attr(s, "class")
                .is_some_and(|c| alike_classes(c, top_class));
        let continues = match dom.tag(s) {
            Tag::P if markup.standfirst[s as usize] => false,
            Tag::P => {
                let text = dom.text_of(s);
                (chars > 80.0 && density < 0.25)
                    || (density == 0.0 && crate::text::ends_with_full_stop(&text))
            }
            // Articles side by side with one class are separate articles (a story and its
            // teasers), not parts of one.
            Tag::Article => false,
            _ => {
                (same_class || scored_alike(dom, scores, s, threshold))
                    && density < 0.25
                    && chars >= 0.1 * top_chars.min(2000.0)
                    && !is_teaser(dom, s)
            }
        };
        if continues {
            roots.push(s);
        }
    }
    // Pieces of one article side by side (live-blog entries, a body split by ads): the
    // article is their parent, with what sits between them.
    let together: u32 = roots.iter().map(|&r| kept.chars[r as usize]).sum();
    if roots.len() >= 2 && together as f64 >= 0.7 * kept.chars[parent as usize] as f64 {
        return vec![parent];
    }
    roots
}

/// Further parts of an article split into several containers with one class name (a body
/// interrupted by full-width images or ads, each part in its own `div.article__body`): when
/// the chosen element's class names it as content, other elements with exactly its tag and
/// class (numbers aside) that hold text rather than links are parts of the article too. `<article>`
/// elements alike are separate articles, not parts.
fn add_same_class_parts(
    dom: &Dom<'_>,
    markers: &[u8],
    kept: &Kept,
    top: u32,
    roots: &mut Vec<u32>,
) {
    let Some(class) = dom.attr(top, "class").filter(|c| !c.trim().is_empty()) else {
        return;
    };
    let tag = dom.tag(top);
    if markers[top as usize] == 0 || tag == Tag::Article {
        return;
    }
    let mut i = 0u32;
    let n = dom.len() as u32;
    while i < n {
        if roots.iter().any(|&r| dom.contains(r, i)) {
            i = dom.end(i);
            continue;
        }
        let same = dom.tag(i) == tag
            && !dom.contains(i, top)
            && dom
                .attr(i, "class")
                .is_some_and(|c| alike_classes(c, class))
            && kept.chars[i as usize] >= MIN_VOTING_CHARS
            && kept.link_density(i) < 0.3
            && !is_teaser(dom, i);
        if same {
            roots.push(i);
            i = dom.end(i);
        } else {
            i += 1;
        }
    }
    roots.sort_unstable();
}

/// A sibling scores well enough to continue the article: by its votes alone, or, when
/// it has no name (class or id) of its own, with what its tag gave it to start with too. A
/// named sibling that holds a few short blocks is a part of the page of its own (the
/// comments of a Chinese page in `div.pinglun`).
fn scored_alike(dom: &Dom<'_>, scores: &Scores, s: u32, threshold: f64) -> bool {
    let blank = |name: &str| dom.attr(s, name).is_none_or(|v| v.trim().is_empty());
    scores.votes[s as usize] >= threshold
        || (blank("class") && blank("id") && scores.of(s) >= threshold)
}

/// Class attributes that are the same but for their numbers: the numbered parts of one
/// body ("story-body story-body-1", "story-body story-body-2").
fn alike_classes(a: &str, b: &str) -> bool {
    let letters = |s: &'_ str| {
        s.bytes()
            .filter(|c| !c.is_ascii_digit())
            .collect::<Vec<u8>>()
    };
    a == b || (a.len().abs_diff(b.len()) <= 4 && letters(a) == letters(b))
}

/// A teaser: its first words are a heading that is a link (to the story it stands for).
fn is_teaser(dom: &Dom<'_>, i: u32) -> bool {
    (i..dom.end(i))
        .find(|&j| dom.nodes[j as usize].chars > 0 && dom.nodes[j as usize].element.is_some())
        .and_then(|first| {
            // The first element with text, or the heading it opens.
            (first..dom.end(first).min(first + 4)).find(|&j| matches!(dom.tag(j), Tag::H(_)))
        })
        .is_some_and(|h| {
            let node = &dom.nodes[h as usize];
            f64::from(node.link_chars) >= 0.9 * f64::from(node.chars)
        })
}

fn commas(text: &str) -> usize {
    text.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،' | '﹐' | '︐'))
        .count()
}
