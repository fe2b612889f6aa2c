//! Sentence segmentation that survives abbreviations ("U.S.", "Mr.", "Jan. 5"), initials,
//! decimals ("6.1"), thousands ("22,000") and quotations.

use corpus::Span;

/// Words that end with a period without ending a sentence when a capital follows.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "gov", "sen", "rep", "col", "lt",
    "capt", "sgt", "maj", "cmdr", "adm", "rev", "hon", "pres", "supt", "insp", "det", "cpl", "pvt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
    "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "no", "nos", "vs", "etc", "e.g",
    "i.e", "approx", "dept", "est", "inc", "ltd", "co", "corp", "mt", "ft", "ave", "blvd", "rd",
    "u.s", "u.k", "u.n", "e.u", "a.m", "p.m", "fig", "vol", "art",
];

/// Splits `text` into sentences, as byte ranges without surrounding spaces.
pub fn sentences(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Take the whole run of terminal punctuation and closing quotes/brackets.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '.' | '!' | '?' | '…') {
                j += 1;
            }
            while j < chars.len() && is_closer(chars[j].1) {
                j += 1;
            }
            let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
            let followed_by_space = chars.get(j).is_some_and(|&(_, c)| c.is_whitespace());
            if followed_by_space && c == '.' && j == i + 1 && !ends_sentence(text, pos, &chars, j) {
                i = j;
                continue;
            }
            if followed_by_space || j >= chars.len() {
                push_span(text, start, end, &mut spans);
                start = end;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    push_span(text, start, text.len(), &mut spans);
    spans
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{201D}' | '\u{2019}' | '\u{BB}'
    )
}

/// Decides whether a single period at byte `pos`, followed by white space, ends a sentence.
fn ends_sentence(text: &str, pos: usize, chars: &[(usize, char)], after: usize) -> bool {
    let word_start = text[..pos]
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '\u{201C}')
        .map_or(0, |p| {
            p + text[p..].chars().next().map_or(1, char::len_utf8)
        });
    let word = &text[word_start..pos];
    let next = chars[after..]
        .iter()
        .map(|&(_, c)| c)
        .find(|c| !c.is_whitespace());
    let next_is_lower = next.is_some_and(|c| c.is_lowercase());
    if next_is_lower {
        return false;
    }
    let lower = word.to_lowercase();
    // A single capital letter is an initial ("J. Smith"), unless it is the pronoun "I".
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) && word != "I" {
        return false;
    }
    // "Jan. 5", "No. 3", "Mr. Smith", "U.S. officials": the abbreviation binds to what
    // follows. A sentence that really ends in "U.S." is rarer than a name after it.
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return next.is_none();
    }
    // Dotted acronyms like "U.S.A" end with a letter-dot pattern.
    if lower.len() >= 3
        && lower.chars().enumerate().all(|(k, c)| {
            if k % 2 == 1 {
                c == '.'
            } else {
                c.is_alphabetic()
            }
        })
    {
        return false;
    }
    true
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
        sentences(text).iter().map(|s| s.slice(text)).collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(
            split("One two. Three four! Five?"),
            ["One two.", "Three four!", "Five?"]
        );
    }

    #[test]
    fn keeps_abbreviations_initials_and_numbers_together() {
        assert_eq!(
            split(
                "Mr. Smith met U.S. officials on Jan. 5 in St. Louis. A 6.1 quake hit 22,000 homes."
            ),
            [
                "Mr. Smith met U.S. officials on Jan. 5 in St. Louis.",
                "A 6.1 quake hit 22,000 homes."
            ]
        );
        assert_eq!(
            split("J. R. Smith said so. Then he left."),
            ["J. R. Smith said so.", "Then he left."]
        );
    }

    #[test]
    fn keeps_closing_quotes_with_their_sentence() {
        assert_eq!(
            split(
                "\u{201C}It will not go unpunished.\u{201D} Earlier, the toll was 14. \"Another 108 people were injured,\" he added."
            ),
            [
                "\u{201C}It will not go unpunished.\u{201D}",
                "Earlier, the toll was 14.",
                "\"Another 108 people were injured,\" he added."
            ]
        );
    }

    #[test]
    fn lower_case_after_a_period_does_not_split() {
        assert_eq!(
            split("It hit the city approx. at noon."),
            ["It hit the city approx. at noon."]
        );
    }
}
