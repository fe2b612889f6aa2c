//! Sentence segmentation that survives abbreviations ("U.S.", "Mr.", "Jan. 5", "No. 10",
//! "St. Louis"), initials, decimals ("6.1"), thousands ("22,000"), ellipses, list markers and
//! quotations, and keeps a quotation with its attribution ("'We will respond. They will
//! pay,' he said." is one sentence). The abbreviations are data (`config/abbreviations.toml`).
//!
//! The scan is linear in the text and looks at most a bounded distance back or ahead, so a
//! pathological block (megabytes without a space) costs no more than an ordinary one.

use std::collections::HashSet;

use corpus::Span;
use serde::Deserialize;

/// The abbreviations shipped with crosscheck, used when the config names no other file.
pub const DEFAULT_ABBREVIATIONS: &str = include_str!("../../../config/abbreviations.toml");

/// How far back a word before a period is read; longer words are never abbreviations.
const MAX_WORD_CHARS: usize = 24;
/// How far ahead the end of a quotation is looked for.
const QUOTE_LOOKAHEAD_BYTES: usize = 600;

#[derive(Debug, thiserror::Error)]
#[error("invalid abbreviations file: {0}")]
pub struct AbbreviationsError(#[from] toml::de::Error);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationsFile {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    often_final: Vec<String>,
    #[serde(default)]
    starters: Vec<String>,
    #[serde(default)]
    continuations: Vec<String>,
    #[serde(default)]
    after_ordinal: Vec<String>,
}

/// A sentence splitter with its abbreviation lists.
#[derive(Debug, Clone)]
pub struct Segmenter {
    titles: HashSet<String>,
    abbreviations: HashSet<String>,
    often_final: HashSet<String>,
    starters: HashSet<String>,
    continuations: HashSet<String>,
    /// Words after an ordinal written with a period ("am 3. Juni", "im 20. Jahrhundert").
    after_ordinal: HashSet<String>,
}

impl Segmenter {
    pub fn parse(toml_text: &str) -> Result<Segmenter, AbbreviationsError> {
        let file: AbbreviationsFile = toml::from_str(toml_text)?;
        let lower = |words: Vec<String>| words.into_iter().map(|w| w.to_lowercase()).collect();
        Ok(Segmenter {
            titles: lower(file.titles),
            abbreviations: lower(file.abbreviations),
            often_final: lower(file.often_final),
            starters: file.starters.into_iter().collect(),
            continuations: file.continuations.into_iter().collect(),
            after_ordinal: file.after_ordinal.into_iter().collect(),
        })
    }

    pub fn builtin() -> Segmenter {
        Segmenter::parse(DEFAULT_ABBREVIATIONS).expect("the shipped abbreviations are valid")
    }

    /// Splits `text` into sentences, as byte ranges without surrounding spaces.
    pub fn sentences(&self, text: &str) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut start = 0usize;
        // The closing mark of the quotation we are in, if any.
        let mut quote: Option<char> = None;
        let mut chars = text.char_indices().peekable();
        while let Some((pos, c)) = chars.next() {
            if !is_terminal(c) {
                quote = track_quote(quote, c);
                continue;
            }
            let mut single_period = c == '.';
            let mut end = pos + c.len_utf8();
            while let Some(&(p, next)) = chars.peek() {
                if is_terminal(next) {
                    single_period = false;
                } else if is_closer(next) {
                    if quote == Some(next) || next == '"' {
                        quote = None;
                    }
                } else {
                    break;
                }
                end = p + next.len_utf8();
                chars.next();
            }
            let Some(&(_, after)) = chars.peek() else {
                break;
            };
            if is_wide_terminal(c) {
                push_span(text, start, end, &mut spans);
                start = end;
                continue;
            }
            if !after.is_whitespace() {
                continue;
            }
            if self.boundary(text, start, pos, end, single_period, quote.is_some()) {
                push_span(text, start, end, &mut spans);
                start = end;
            }
        }
        push_span(text, start, text.len(), &mut spans);
        spans
    }

    /// Whether terminal punctuation at `pos..end`, followed by white space, ends a sentence
    /// that began at `start`.
    fn boundary(
        &self,
        text: &str,
        start: usize,
        pos: usize,
        end: usize,
        single_period: bool,
        inside_quote: bool,
    ) -> bool {
        let rest = &text[end..];
        let Some(first) = rest.trim_start().chars().next() else {
            return true;
        };
        if first.is_lowercase() {
            return false;
        }
        if inside_quote && quotation_goes_on_to_attribution(rest) {
            return false;
        }
        if !single_period {
            return true;
        }
        let Some(word) = word_before(text, pos) else {
            return true;
        };
        let at_start = text[start..pos - word.len()].trim().is_empty();
        self.period_ends_sentence(word, next_word(rest), first, at_start)
    }

    fn period_ends_sentence(&self, word: &str, next: &str, first: char, at_start: bool) -> bool {
        let lower = word.to_lowercase();
        let letters = word.chars().count();
        let single_letter = letters == 1 && word.chars().all(char::is_alphabetic);
        // "1. The first point", "a. Another": a list marker opening the sentence.
        if at_start && (single_letter || (letters <= 3 && word.chars().all(|c| c.is_ascii_digit())))
        {
            return false;
        }
        // "am 3. Juni": an ordinal, where numbers are written so (German, Nordic, Slavic).
        if (1..=2).contains(&letters)
            && word.chars().all(|c| c.is_ascii_digit())
            && self.after_ordinal.contains(next)
        {
            return false;
        }
        // "J. R. Smith": an initial, but "I." is the pronoun.
        if single_letter && word.chars().all(char::is_uppercase) && word != "I" {
            return false;
        }
        if self.titles.contains(&lower) {
            return false;
        }
        if self.often_final.contains(&lower) {
            return !first.is_ascii_digit() && !self.continuations.contains(next);
        }
        if self.abbreviations.contains(&lower) || is_dotted(&lower) {
            if first.is_ascii_digit() {
                return false;
            }
            return self.starters.contains(next);
        }
        true
    }
}

fn is_terminal(c: char) -> bool {
    c == '…' || crate::text::FULL_STOPS.contains(&c)
}

/// Full stops of scripts written without spaces between sentences (Chinese, Japanese,
/// Myanmar, Khmer).
fn is_wide_terminal(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '｡' | '။' | '។')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '\u{201D}'
            | '\u{2019}'
            | '\u{BB}'
            | '\u{201C}'
            | '」'
            | '』'
            | '）'
    )
}

/// Follows double quotation marks: “…”, „…“, «…» and straight "…".
fn track_quote(quote: Option<char>, c: char) -> Option<char> {
    match (quote, c) {
        (Some(closer), c) if c == closer => None,
        (Some(_), _) => quote,
        (None, '\u{201C}') => Some('\u{201D}'),
        (None, '\u{201E}') => Some('\u{201C}'),
        (None, '\u{AB}') => Some('\u{BB}'),
        (None, '"') => Some('"'),
        (None, _) => None,
    }
}

/// Inside a quotation, a sentence end does not end the sentence when the quotation closes
/// soon with a comma or is followed by a lower-case word: `“... They will pay,” he said.`
fn quotation_goes_on_to_attribution(rest: &str) -> bool {
    let mut window_end = rest.len().min(QUOTE_LOOKAHEAD_BYTES);
    while !rest.is_char_boundary(window_end) {
        window_end -= 1;
    }
    let window = &rest[..window_end];
    let Some((close, closer)) = window
        .char_indices()
        .find(|&(_, c)| matches!(c, '"' | '\u{201D}' | '\u{BB}' | '\u{201C}'))
    else {
        return false;
    };
    let before = window[..close].chars().next_back();
    let after = window[close + closer.len_utf8()..]
        .trim_start()
        .chars()
        .next();
    before == Some(',') || after.is_some_and(char::is_lowercase)
}

/// The word just before byte `pos` (after the last space, bracket or opening quote), or
/// `None` when it is too long to be an abbreviation.
fn word_before(text: &str, pos: usize) -> Option<&str> {
    let head = &text[..pos];
    for (count, (i, c)) in head.char_indices().rev().enumerate() {
        if count > MAX_WORD_CHARS {
            return None;
        }
        if c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\u{201C}' | '\u{2018}' | '\u{AB}') {
            return Some(&head[i + c.len_utf8()..]);
        }
    }
    Some(head)
}

/// The word after the white space that starts `rest`, without opening quotes or brackets.
fn next_word(rest: &str) -> &str {
    let rest = rest
        .trim_start()
        .trim_start_matches(['"', '\'', '(', '[', '\u{201C}', '\u{2018}', '\u{AB}']);
    match rest
        .char_indices()
        .take(MAX_WORD_CHARS + 1)
        .find(|&(_, c)| !c.is_alphanumeric())
    {
        Some((i, _)) => &rest[..i],
        None if rest.chars().nth(MAX_WORD_CHARS).is_none() => rest,
        None => "",
    }
}

/// Dotted abbreviations: "u.s", "a.m", "e.g" (single letters joined by dots).
fn is_dotted(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

fn push_span(text: &str, start: usize, end: usize, spans: &mut Vec<Span>) {
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let s = start + lead;
    spans.push(Span {
        start: s as u32,
        end: (s + trimmed.len()) as u32,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        Segmenter::builtin()
            .sentences(text)
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split("One two. Three four! Five?"),
            ["One two.", "Three four!", "Five?"]
        );
    }

    #[test]
    fn an_abbreviation_ends_a_sentence_before_a_sentence_starter() {
        assert_eq!(
            split("Sanctions were imposed by the U.S. The ministry said so."),
            [
                "Sanctions were imposed by the U.S.",
                "The ministry said so."
            ]
        );
        assert_eq!(
            split("U.S. Navy ships arrived at 9 a.m. Monday."),
            ["U.S. Navy ships arrived at 9 a.m. Monday."]
        );
    }

    #[test]
    fn a_configured_list_replaces_the_shipped_one() {
        let seg = Segmenter::parse("titles = [\"capt\"]\n").unwrap();
        let text = "Capt. Smith met Mr. Jones.";
        let spans: Vec<&str> = seg.sentences(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(spans, ["Capt. Smith met Mr.", "Jones."]);
        assert!(Segmenter::parse("titles = 3").is_err());
    }

    #[test]
    fn chinese_sentences_need_no_space_between_them() {
        assert_eq!(
            split("地震发生在凌晨。至少有二十人死亡！「救援仍在继续。」他说。"),
            [
                "地震发生在凌晨。",
                "至少有二十人死亡！",
                "「救援仍在继续。」",
                "他说。"
            ]
        );
    }

    #[test]
    fn khmer_and_myanmar_sentences_need_no_space_between_them() {
        assert_eq!(
            split("មានការរញ្ជួយដី។មនុស្សដប់នាក់បានស្លាប់។"),
            ["មានការរញ្ជួយដី។", "មនុស្សដប់នាក់បានស្លាប់។"]
        );
    }

    #[test]
    fn a_block_without_spaces_is_one_sentence() {
        let text = "a.".repeat(100_000);
        assert_eq!(split(&text), [text.as_str()]);
    }
}
