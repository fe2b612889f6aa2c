//! Plain text to blocks: paragraphs, list items, the title and subheadings.
//!
//! Paragraphs are separated by blank lines. Inside a paragraph, and in text without blank
//! lines, a line break joins two lines of one paragraph when the text is hard-wrapped (most
//! lines fill a fixed width) or when the sentence plainly goes on (no final punctuation, a
//! lower-case word next); otherwise each line is a block of its own. Lines that start with a
//! bullet or a number are list items. A short first block without final punctuation is the
//! title; other short blocks without it are subheadings. Line ends may be LF, CRLF or CR.

use corpus::BlockKind;

use crate::boilerplate::Draft;
use crate::text;

/// Blocks of at most this many words without final punctuation are headings.
const HEADING_MAX_WORDS: usize = 20;
/// Hard-wrapped text has lines no longer than this ...
const WRAP_MAX_WIDTH: usize = 100;
/// ... most lines followed by another line of the paragraph fill at least this share of the
/// longest line ...
const WRAP_FULL_SHARE: f64 = 0.6;
/// ... and many of those breaks fall inside a sentence (a lower-case word next).
const WRAP_MID_SENTENCE_SHARE: f64 = 0.3;

/// What a clause ends with (beside the full stops of [`text::FULL_STOPS`]), in Latin,
/// Cyrillic, Chinese and Japanese text: a block that ends so is not a heading.
const CLAUSE_END: [char; 14] = [
    ':', ';', ',', '"', '\'', ')', '\u{201D}', '\u{2019}', '…', '：', '；', '，', '」', '』',
];

/// Splits plain text into blocks.
pub fn text_blocks(text: &str) -> Vec<Draft> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').map(str::trim_end).collect();
    let wrap_width = hard_wrap_width(&lines);
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut current = String::new();
    let mut current_is_item = false;
    let mut previous: Option<&str> = None;
    for &line in &lines {
        if line.trim().is_empty() {
            flush(&mut pieces, &mut current, current_is_item);
            previous = None;
            continue;
        }
        let item = list_marker(line).is_some();
        let joins = previous.is_some_and(|prev| !item && continues(prev, line, wrap_width));
        if !joins {
            flush(&mut pieces, &mut current, current_is_item);
            current_is_item = item;
        }
        let content = match list_marker(line) {
            Some(marker) if marker.is_symbol => &line.trim_start()[marker.len..],
            _ => line,
        };
        current.push_str(content);
        current.push('\n');
        previous = Some(line);
    }
    flush(&mut pieces, &mut current, current_is_item);
    pieces
        .into_iter()
        .map(|(p, item)| (text::tidy(&p), item))
        .filter(|(p, _)| !p.is_empty())
        .enumerate()
        .map(|(i, (t, item))| {
            let heading_like = text::word_count(&t) <= HEADING_MAX_WORDS
                && !(text::ends_with_full_stop(&t) || t.ends_with(CLAUSE_END));
            let kind = match (i, item, heading_like) {
                (_, true, _) => BlockKind::ListItem,
                (0, _, true) => BlockKind::Title,
                (_, _, true) => BlockKind::Heading,
                _ => BlockKind::Paragraph,
            };
            Draft::new(kind, t)
        })
        .collect()
}

fn flush(pieces: &mut Vec<(String, bool)>, current: &mut String, item: bool) {
    if !current.trim().is_empty() {
        pieces.push((std::mem::take(current), item));
    }
    current.clear();
}

/// Whether `line` goes on the paragraph that `prev` ended.
fn continues(prev: &str, line: &str, wrap_width: Option<usize>) -> bool {
    let prev = prev.trim();
    let sentence_goes_on = !(text::ends_with_full_stop(prev)
        || prev.ends_with([':', '"', '\u{201D}', '…']))
        && line
            .trim_start()
            .starts_with(|c: char| c.is_lowercase() || c.is_ascii_digit());
    match wrap_width {
        // In hard-wrapped text a paragraph ends at a short line or an indented one.
        Some(width) => {
            let indented = line.starts_with([' ', '\t']);
            let full = prev.chars().count() as f64 >= WRAP_FULL_SHARE * width as f64;
            sentence_goes_on || (full && !indented)
        }
        None => sentence_goes_on,
    }
}

/// The wrap width when the text is hard-wrapped: most lines followed by another line of the
/// same paragraph fill nearly the width of the longest line, many such breaks fall inside a
/// sentence, and the longest line is short.
fn hard_wrap_width(lines: &[&str]) -> Option<usize> {
    let widest = lines.iter().map(|l| l.chars().count()).max()?;
    if widest > WRAP_MAX_WIDTH {
        return None;
    }
    let (mut inner, mut full, mut mid_sentence) = (0usize, 0usize, 0usize);
    for pair in lines.windows(2) {
        if pair[0].trim().is_empty() || pair[1].trim().is_empty() {
            continue;
        }
        inner += 1;
        if pair[0].chars().count() as f64 >= WRAP_FULL_SHARE * widest as f64 {
            full += 1;
        }
        if pair[1].trim_start().starts_with(char::is_lowercase) {
            mid_sentence += 1;
        }
    }
    let share = |n: usize| n as f64 / inner.max(1) as f64;
    (inner >= 3 && share(full) >= WRAP_FULL_SHARE && share(mid_sentence) >= WRAP_MID_SENTENCE_SHARE)
        .then_some(widest)
}

struct Marker {
    len: usize,
    is_symbol: bool,
}

/// A list marker at the start of a line: a bullet symbol or "1." / "1)" and a space.
fn list_marker(line: &str) -> Option<Marker> {
    let trimmed = line.trim_start();
    let mut chars = trimmed.char_indices();
    let (_, first) = chars.next()?;
    if matches!(first, '-' | '*' | '•' | '·' | '▪' | '◦' | '‣' | '●') {
        let rest = &trimmed[first.len_utf8()..];
        let rest_trimmed = rest.trim_start_matches('\u{FE0F}');
        let len = trimmed.len() - rest_trimmed.len();
        return rest_trimmed.starts_with(' ').then_some(Marker {
            len,
            is_symbol: true,
        });
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &trimmed[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(Marker {
                len: digits + 1,
                is_symbol: false,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(text: &str) -> Vec<(BlockKind, String)> {
        text_blocks(text)
            .into_iter()
            .map(|d| (d.kind, d.text))
            .collect()
    }

    #[test]
    fn title_heading_paragraphs_and_list_items() {
        use BlockKind::*;
        assert_eq!(
            blocks(
                "Quake hits the coast\r\n\r\nA strong quake hit the coast on Monday.\r\n\r\nWhat we know\r\n\r\n- Ten people died.\r\n- Roads are closed.\r\n"
            ),
            [
                (Title, "Quake hits the coast".into()),
                (Paragraph, "A strong quake hit the coast on Monday.".into()),
                (Heading, "What we know".into()),
                (ListItem, "Ten people died.".into()),
                (ListItem, "Roads are closed.".into()),
            ]
        );
    }

    #[test]
    fn a_paragraph_of_an_unspaced_script_is_not_a_heading() {
        use BlockKind::*;
        assert_eq!(
            blocks(
                "地震造成多人遇难\n\n记者从当地应急管理部门获悉，震中附近多个乡镇房屋受损。\n\n救援情况\n\nभूकंप आया। दस लोग मारे गए।"
            ),
            [
                (Title, "地震造成多人遇难".into()),
                (
                    Paragraph,
                    "记者从当地应急管理部门获悉，震中附近多个乡镇房屋受损。".into()
                ),
                (Heading, "救援情况".into()),
                (Paragraph, "भूकंप आया। दस लोग मारे गए।".into()),
            ]
        );
    }

    #[test]
    fn a_sentence_broken_across_lines_is_joined() {
        assert_eq!(
            blocks("Rescuers said the toll\nwould rise.\nPolice closed the road."),
            [
                (
                    BlockKind::Paragraph,
                    "Rescuers said the toll would rise.".into()
                ),
                (BlockKind::Paragraph, "Police closed the road.".into()),
            ]
        );
    }

    #[test]
    fn hard_wrapped_text_is_joined_into_paragraphs() {
        let text = "The earthquake struck shortly after dawn on Tuesday. Rescue teams\n\
                    from three provinces were sent to the area, officials said. Roads\n\
                    were blocked by landslides.\n\
                    \x20 A second paragraph begins here, indented, as old wire copy did,\n\
                    and goes on for a second line.";
        let got = blocks(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.ends_with("were blocked by landslides."));
        assert!(got[1].1.starts_with("A second paragraph"));
    }
}
