//! The page's text as blocks in reading order: one block per paragraph, heading, list item,
//! quotation or table row, and one per run of text that sits directly in a `<div>` (pages
//! that never use `<p>`), with `<br><br>` (or a `<br>` after a full stop) starting a new
//! paragraph. Each block knows the element that holds it and whether markup removed it.

use corpus::BlockKind;

use super::classify::Reason;
use super::dom::{Dom, Tag, visible_chars};

/// A block of text.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// The text as in the source (white space not yet folded).
    pub text: String,
    pub kind: BlockKind,
    /// The block-level element that holds the text.
    pub owner: u32,
    /// The first node of the block, to place it in the page.
    pub first: u32,
    /// The nearest list (`<ul>`, `<ol>`) around the block, for list items.
    pub list: Option<u32>,
    /// Visible characters, and of those the ones inside links, in units of alphabetic text
    /// (see [`visible_chars`]).
    pub chars: u32,
    pub link_chars: u32,
    /// Why markup says the block is not the article.
    pub dropped: Option<Reason>,
    /// Pieces that markup cut from inside the block (a hover card or an ad label in a
    /// paragraph), with the reason; white space not yet folded.
    pub cut: Vec<(Reason, String)>,
}

impl Block {
    pub(crate) fn link_density(&self) -> f64 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f64 / self.chars as f64
        }
    }
}

struct Open {
    owner: u32,
    text: String,
    first: u32,
    chars: u32,
    link_chars: u32,
    /// The last thing added was a line break.
    after_break: bool,
    cut: Vec<(Reason, String)>,
    /// The last text seen was cut, for this reason (consecutive cut text is one piece).
    cutting: Option<Reason>,
}

impl Open {
    fn new(owner: u32, first: u32) -> Open {
        Open {
            owner,
            text: String::new(),
            first,
            chars: 0,
            link_chars: 0,
            after_break: false,
            cut: Vec::new(),
            cutting: None,
        }
    }
}

/// A table row longer than this (visible characters) holds text laid out in columns, not a
/// row of data.
const MAX_DATA_ROW_CHARS: u32 = 400;

/// Cuts the page into blocks.
pub(crate) fn blocks(dom: &Dom<'_>, verdict: &[Option<Reason>]) -> Vec<Block> {
    let complex = has_inner_blocks(dom);
    let mut out = Vec::new();
    // Open block-level elements, innermost last.
    let mut stack: Vec<u32> = Vec::with_capacity(64);
    let mut current: Option<Open> = None;
    let mut link_until = 0u32;
    let mut row_until = 0u32;
    let n = dom.len() as u32;
    let mut i = 0u32;
    while i < n {
        while let Some(&top) = stack.last() {
            if dom.end(top) > i {
                break;
            }
            stack.pop();
            flush(dom, verdict, &stack, &mut current, &mut out);
        }
        let node = &dom.nodes[i as usize];
        if node.tag.is_silent() || (node.tag == Tag::Text && node.text.is_empty()) {
            i = node.end.max(i + 1);
            continue;
        }
        match node.tag {
            Tag::Text => {
                let owner = stack.last().copied().unwrap_or(0);
                let owner_dropped = verdict[owner as usize].is_some();
                if !owner_dropped && let Some(reason) = verdict[i as usize] {
                    let open = current.get_or_insert_with(|| Open::new(owner, i));
                    match open.cut.last_mut() {
                        Some((r, piece)) if open.cutting == Some(reason) && *r == reason => {
                            piece.push_str(node.text)
                        }
                        _ => open.cut.push((reason, node.text.to_string())),
                    }
                    open.cutting = Some(reason);
                    i += 1;
                    continue;
                }
                // Counted when the page was flattened (a text node under a silent element
                // counts nothing, but this loop never enters a silent element).
                let chars = node.chars;
                if chars == 0 && current.is_none() {
                    i += 1;
                    continue;
                }
                let open = current.get_or_insert_with(|| Open::new(owner, i));
                if chars > 0 {
                    open.cutting = None;
                }
                open.text.push_str(node.text);
                open.chars += chars;
                if i < link_until {
                    open.link_chars += chars;
                }
                if chars > 0 {
                    open.after_break = false;
                }
            }
            Tag::A => link_until = link_until.max(node.end),
            Tag::Br => {
                if let Some(open) = current.as_mut() {
                    let text = open.text.trim_end();
                    let ends_sentence = crate::text::ends_with_full_stop(text)
                        || text.ends_with([':', '：', '"', '”', '»', '」']);
                    if open.after_break || ends_sentence {
                        flush(dom, verdict, &stack, &mut current, &mut out);
                    } else {
                        open.text.push('\n');
                        open.after_break = true;
                    }
                }
            }
            Tag::Cell if i < row_until => {
                if let Some(open) = current.as_mut().filter(|o| o.chars > 0) {
                    open.text.push_str(" | ");
                }
            }
            Tag::Tr if !complex[i as usize] && node.chars <= MAX_DATA_ROW_CHARS => {
                flush(dom, verdict, &stack, &mut current, &mut out);
                stack.push(i);
                row_until = node.end;
            }
            tag if tag.is_block() => {
                flush(dom, verdict, &stack, &mut current, &mut out);
                if node.end > i + 1 {
                    stack.push(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    stack.clear();
    flush(dom, verdict, &stack, &mut current, &mut out);
    out
}

fn flush(
    dom: &Dom<'_>,
    verdict: &[Option<Reason>],
    stack: &[u32],
    current: &mut Option<Open>,
    out: &mut Vec<Block>,
) {
    let Some(mut open) = current.take() else {
        return;
    };
    open.cut.retain(|(_, piece)| visible_chars(piece) > 0);
    if open.chars == 0 && open.cut.is_empty() {
        return;
    }
    let owner_tag = dom.tag(open.owner);
    let mut kind = match owner_tag {
        Tag::H(_) => BlockKind::Heading,
        Tag::Tr => BlockKind::TableRow,
        Tag::Li => BlockKind::ListItem,
        Tag::Blockquote => BlockKind::Quote,
        _ => BlockKind::Paragraph,
    };
    let mut list = None;
    // The context: a paragraph in a quotation is quoted, a paragraph in a list item is an
    // item. Only the elements still open around the owner count.
    for &e in stack.iter().rev().filter(|&&e| dom.contains(e, open.owner)) {
        match dom.tag(e) {
            Tag::Blockquote if kind != BlockKind::Heading => kind = BlockKind::Quote,
            Tag::Li if kind == BlockKind::Paragraph => kind = BlockKind::ListItem,
            Tag::List if list.is_none() => list = Some(e),
            _ => {}
        }
    }
    out.push(Block {
        dropped: verdict[open.owner as usize],
        text: open.text,
        kind,
        owner: open.owner,
        first: open.first,
        list,
        chars: open.chars,
        link_chars: open.link_chars,
        cut: open.cut,
    });
}

/// For each node: whether a block-level element other than a table cell is inside it (a
/// table row without one is a row of data; a row with one is page layout).
fn has_inner_blocks(dom: &Dom<'_>) -> Vec<bool> {
    let mut inner = vec![false; dom.len()];
    for i in (1..dom.len()).rev() {
        let node = &dom.nodes[i];
        let blockish = node.tag.is_block() && !matches!(node.tag, Tag::Cell);
        if inner[i] || blockish {
            inner[node.parent as usize] = true;
        }
    }
    inner
}
