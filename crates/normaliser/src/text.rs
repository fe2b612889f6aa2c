//! Character-level normalisation: NFC, white space, invisible and control characters, and
//! typographic variants. Two levels: [`tidy`] keeps the source's wording (for quoting),
//! [`plain_typography`] makes one spelling of it (for matching and claims).

use unicode_normalization::UnicodeNormalization;

/// Marks that end a sentence, in every script the normaliser knows: Latin and Cyrillic,
/// Chinese and Japanese (full width and half width), Arabic and Urdu, Devanagari, Armenian,
/// Ethiopic, Myanmar and Khmer. (The ellipsis is not among them: it also ends teasers.)
pub const FULL_STOPS: [char; 15] = [
    '.', '!', '?', '。', '！', '？', '｡', '؟', '۔', '।', '॥', '։', '።', '။', '។',
];

/// Whether `text` (without trailing white space) ends with a [`FULL_STOPS`] mark.
pub fn ends_with_full_stop(text: &str) -> bool {
    text.trim_end().ends_with(FULL_STOPS)
}

/// A non-breaking or thin space between digit groups ("22 000") is kept, as this narrow
/// no-break space, so that [`plain_typography`] can tell a thousands separator from a space
/// between two numbers.
pub const DIGIT_GROUP_SPACE: char = '\u{202F}';

/// NFC, invisible and control characters dropped, white space folded to single spaces,
/// trimmed: the source's wording, tidied.
pub fn tidy(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    fold_whitespace(&nfc)
}

/// Runs of white space (including non-breaking and other Unicode spaces) become one space;
/// invisible characters (soft hyphen, zero-width space, BOM, direction marks) and control
/// characters are dropped, and so are zero-width joiners and non-joiners except between two
/// characters. A non-breaking or thin space between digit groups
/// becomes [`DIGIT_GROUP_SPACE`].
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space: Option<char> = None;
    let mut rest = s;
    while !rest.is_empty() {
        // Visible ASCII (no space, no control) goes through as it is, a run at a time: most
        // of a text.
        let run = rest
            .bytes()
            .take_while(|b| (b'!'..=b'~').contains(b))
            .count();
        if run > 0 {
            if let Some(space) = pending_space.take() {
                out.push(space);
            }
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        let mut chars = rest.chars().peekable();
        let c = chars.next().expect("the text left is not empty");
        rest = &rest[c.len_utf8()..];
        if is_joiner(c) {
            // A joiner between two characters is spelling: it makes one emoji of several
            // (👨‍👩‍👧), a conjunct in Indic scripts, a word's shape in Persian. Elsewhere it is
            // stray.
            let joins = pending_space.is_none()
                && !out.is_empty()
                && chars
                    .peek()
                    .is_some_and(|&n| !n.is_whitespace() && !is_invisible(n) && !is_joiner(n));
            if joins {
                out.push(c);
            }
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            if out.is_empty() {
                continue;
            }
            let digit_group = matches!(c, '\u{A0}' | '\u{2009}' | '\u{202F}')
                && out.ends_with(|p: char| p.is_ascii_digit())
                && chars.peek().is_some_and(char::is_ascii_digit);
            pending_space = match pending_space {
                None if digit_group => Some(DIGIT_GROUP_SPACE),
                _ => Some(' '),
            };
            continue;
        }
        if c.is_control() {
            continue;
        }
        if let Some(space) = pending_space.take() {
            out.push(space);
        }
        out.push(c);
    }
    out
}

/// Zero-width non-joiner and joiner.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Typographic variants made plain, so that rules and the analyser see one spelling:
/// curly quotes, guillemets and primes become straight quotes, dashes and minus signs a
/// hyphen-minus, the ellipsis three dots, ligatures their letters, a digit-group space a
/// comma ("22 000" is "22,000"). Applied to already tidied text.
pub fn plain_typography(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Every variant is outside ASCII, and most of a text is ASCII: runs of it are copied
    // whole rather than a character at a time.
    let mut rest = s;
    while let Some(at) = rest.bytes().position(|b| !b.is_ascii()) {
        out.push_str(&rest[..at]);
        let c = rest[at..]
            .chars()
            .next()
            .expect("a character starts at a non-ASCII byte");
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}'
            | '\u{2039}' | '\u{203A}' | '\u{FF07}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' | '\u{FF02}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            DIGIT_GROUP_SPACE => out.push(','),
            _ => out.push(c),
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A hash of each word, lower-cased, without allocating: a word is a run of letters and
/// digits, except in scripts written without spaces (Chinese, Japanese, Thai), where each
/// character is a word. The hash (FNV-1a) is fixed, so stored values stay valid across
/// builds.
pub fn word_hashes(text: &str) -> Vec<u64> {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let fold = |hash: u64, c: char| -> u64 {
        if c.is_ascii() {
            return (hash ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(PRIME);
        }
        c.to_lowercase().fold(hash, |h, l| {
            (h ^ u64::from(u32::from(l))).wrapping_mul(PRIME)
        })
    };
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut hash = OFFSET;
    let mut in_word = false;
    for c in text.chars() {
        // ASCII first: most news text is, and the Unicode tables are slower.
        let (word_char, unspaced) = if c.is_ascii() {
            (c.is_ascii_alphanumeric(), false)
        } else {
            let unspaced = is_unspaced_script(c);
            (!unspaced && c.is_alphanumeric(), unspaced)
        };
        if in_word && !word_char {
            out.push(hash);
            hash = OFFSET;
            in_word = false;
        }
        if unspaced {
            out.push(fold(OFFSET, c));
        } else if word_char {
            hash = fold(hash, c);
            in_word = true;
        }
    }
    if in_word {
        out.push(hash);
    }
    out
}

/// Words as a reader counts them: runs of text between white space ("U.S.-led" is one),
/// except in scripts written without spaces (Chinese, Japanese, Thai), where each character
/// is a word.
pub fn word_count(text: &str) -> usize {
    if text.is_ascii() {
        return text.split_ascii_whitespace().count();
    }
    text.split_whitespace()
        .map(|token| {
            if token.is_ascii() {
                return 1;
            }
            let unspaced = token.chars().filter(|&c| is_unspaced_script(c)).count();
            let spaced = token
                .chars()
                .any(|c| c.is_alphanumeric() && !is_unspaced_script(c));
            if unspaced == 0 {
                1
            } else {
                unspaced + usize::from(spaced)
            }
        })
        .sum()
}

/// Letters of scripts that do not put spaces between words.
fn is_unspaced_script(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'      // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}'    // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}'    // CJK Compatibility Ideographs
        | '\u{0E00}'..='\u{0E7F}'    // Thai
        | '\u{0E80}'..='\u{0EFF}'    // Lao
        | '\u{1000}'..='\u{109F}'    // Myanmar
        | '\u{1780}'..='\u{17FF}'    // Khmer
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spaces_and_invisible_characters() {
        assert_eq!(
            fold_whitespace("  a\u{A0}\u{A0}b\n\tc\u{AD}d\u{200B}\u{200F} "),
            "a b cd"
        );
    }

    #[test]
    fn keeps_joiners_only_between_two_characters() {
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(fold_whitespace(family), family);
        assert_eq!(
            fold_whitespace("\u{645}\u{6CC}\u{200C}\u{62E}"),
            "\u{645}\u{6CC}\u{200C}\u{62E}"
        );
        assert_eq!(
            fold_whitespace("\u{200D}a\u{200C} b\u{200D}\u{200D}c\u{200D}"),
            "a b\u{200D}c"
        );
    }

    #[test]
    fn drops_control_characters() {
        assert_eq!(
            fold_whitespace("red\u{1B}[31m alert\u{7}\u{85}now"),
            "red[31m alert now"
        );
    }

    #[test]
    fn keeps_digit_groups_apart_from_spaces() {
        let tidied = fold_whitespace("22\u{A0}000 dead, 2015 200 injured");
        assert_eq!(tidied, "22\u{202F}000 dead, 2015 200 injured");
        assert_eq!(plain_typography(&tidied), "22,000 dead, 2015 200 injured");
    }

    #[test]
    fn words_are_case_folded_and_unspaced_scripts_split_by_character() {
        assert_eq!(word_hashes("Ten PEOPLE, ten people!"), {
            let w = word_hashes("ten people");
            [w.clone(), w].concat()
        });
        assert_eq!(word_hashes("地震发生").len(), 4);
        assert_eq!(word_hashes("Quake 地震 hit").len(), 4);
        assert!(word_hashes(" .,- ").is_empty());
        assert_eq!(word_count("The U.S.-led talks, 22,000 people"), 5);
        assert_eq!(word_count("地震发生。 Quake 地震 hit"), 8);
        assert_eq!(word_count("  "), 0);
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(tidy("Cafe\u{301}"), "Caf\u{E9}");
    }

    #[test]
    fn makes_typography_plain() {
        assert_eq!(
            plain_typography(
                "Russia\u{2019}s \u{201C}Alder\u{201D} \u{2014} 14\u{2013}18\u{2026} \u{AB}oui\u{BB} of\u{FB01}ce"
            ),
            "Russia's \"Alder\" - 14-18... \"oui\" office"
        );
    }
}
