//! Character-level normalisation: NFC, white space, typographic variants.

use unicode_normalization::UnicodeNormalization;

/// NFC and white space folded to single spaces, trimmed: the source's wording, tidied.
pub fn tidy(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    fold_whitespace(&nfc)
}

/// Runs of white space (including non-breaking and other Unicode spaces) become one space;
/// invisible characters (soft hyphen, zero-width space and joiners, BOM) are dropped.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if matches!(
            c,
            '\u{AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        ) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Typographic variants made plain, so that rules and the analyser see one spelling:
/// curly quotes and primes become straight quotes, dashes and minus signs a hyphen-minus
/// (em and en dashes between spaces stay dashes in meaning: " - "), the ellipsis three dots.
/// Applied to already tidied text.
pub fn plain_typography(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => {
                out.push('\'')
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
            | '\u{00BB}' => out.push('"'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_spaces_and_invisible_characters() {
        assert_eq!(
            fold_whitespace("  a\u{A0}\u{A0}b\n\tc\u{AD}d\u{200B} "),
            "a b cd"
        );
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(tidy("Cafe\u{301}"), "Caf\u{E9}");
    }

    #[test]
    fn makes_typography_plain() {
        assert_eq!(
            plain_typography("Russia\u{2019}s \u{201C}Olkha\u{201D} \u{2014} 14\u{2013}18\u{2026}"),
            "Russia's \"Olkha\" - 14-18..."
        );
    }
}
