//! Words of a sentence: the tokens every reader of claims works on.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters, possibly with digits, hyphens or inner apostrophes ("Kyiv", "AR-15", "O'Brien").
    Word,
    /// Starts with a digit ("18", "1,200", "1.5", "18-hour", "9-year-old").
    Number,
    /// One punctuation character (",", ".", "\"", "(", "—").
    Punct,
}

/// One token with its byte range in the sentence.
#[derive(Debug, Clone)]
pub struct Token<'a> {
    pub text: &'a str,
    pub lower: String,
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Token<'_> {
    /// True when the token starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn is_punct(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }

    pub fn is_word(&self) -> bool {
        self.kind == Kind::Word
    }

    /// Sentence-internal boundary marks: commas, semicolons, colons, dashes (a hyphen on
    /// its own, "(Reuters) - An ...", is one), brackets.
    pub fn is_boundary(&self) -> bool {
        self.kind == Kind::Punct
            && matches!(
                self.text,
                "," | ";"
                    | ":"
                    | "—"
                    | "–"
                    | "-"
                    | "("
                    | ")"
                    | "\""
                    | "."
                    | "!"
                    | "?"
                    | "▪"
                    | "•"
                    | "["
                    | "]"
            )
    }

    /// A quotation mark.
    pub fn is_quote(&self) -> bool {
        self.kind == Kind::Punct && matches!(self.text, "\"" | "“" | "”" | "«" | "»")
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Splits a sentence into tokens. Possessive "'s" becomes its own token; numbers keep their
/// thousands separators and decimal points; hyphenated words stay whole.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(s.len() / 4);
    // the character at byte `b`, if any
    let at = |b: usize| s.get(b..).and_then(|r| r.chars().next());
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        if !c.is_alphanumeric() {
            i += c.len_utf8();
            tokens.push(make(s, start, i, Kind::Punct));
            continue;
        }
        let numeric = c.is_ascii_digit();
        let mut prev = c;
        let mut before_prev: Option<char> = None;
        let mut j = i + c.len_utf8();
        while let Some(c) = at(j) {
            if c.is_alphanumeric() {
                before_prev = Some(prev);
                prev = c;
                j += c.len_utf8();
                continue;
            }
            let next = at(j + c.len_utf8());
            let after_next = next.and_then(|n| at(j + c.len_utf8() + n.len_utf8()));
            let joins = match c {
                '-' => next.is_some_and(char::is_alphanumeric),
                // 1,200 and 1.5 inside numbers
                ',' => {
                    prev.is_ascii_digit()
                        && numeric
                        && s.as_bytes()
                            .get(j + 1..j + 4)
                            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
                        && !s.as_bytes().get(j + 4).is_some_and(u8::is_ascii_digit)
                }
                '.' => {
                    (prev.is_ascii_digit() && next.is_some_and(|c| c.is_ascii_digit()))
                        // U.S., a.m.: single letters joined by dots
                        || (!numeric
                            && next.is_some_and(char::is_alphabetic)
                            && after_next.is_none_or(|c| !c.is_alphabetic())
                            && (j - start == prev.len_utf8() || before_prev == Some('.')))
                }
                c if is_apostrophe(c) => {
                    // O'Brien, don't; but not the possessive 's
                    prev.is_alphabetic()
                        && next.is_some_and(char::is_alphabetic)
                        && !(matches!(next, Some('s' | 'S'))
                            && after_next.is_none_or(|c| !c.is_alphanumeric()))
                }
                _ => false,
            };
            if !joins {
                break;
            }
            before_prev = Some(prev);
            prev = c;
            j += c.len_utf8();
        }
        let mut end = j;
        // keep the final dot of an abbreviation like "U.S."
        if !numeric && at(end) == Some('.') && s[start..end].contains('.') && end - start <= 5 {
            end += 1;
        }
        tokens.push(make(
            s,
            start,
            end,
            if numeric { Kind::Number } else { Kind::Word },
        ));
        i = end;
        // possessive 's as its own token
        if let Some(a) = at(i)
            && is_apostrophe(a)
            && matches!(at(i + a.len_utf8()), Some('s' | 'S'))
            && at(i + a.len_utf8() + 1).is_none_or(|c| !c.is_alphanumeric())
        {
            let pe = i + a.len_utf8() + 1;
            let mut t = make(s, i, pe, Kind::Word);
            t.lower = "'s".into();
            tokens.push(t);
            i = pe;
        }
    }
    tokens
}

fn make(s: &str, start: usize, end: usize, kind: Kind) -> Token<'_> {
    let text = &s[start..end];
    let lower = if text.chars().any(|c| c.is_uppercase() || c == '’') {
        text.to_lowercase().replace('’', "'")
    } else {
        text.to_string()
    };
    Token {
        text,
        lower,
        start,
        end,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_possessives_and_keeps_numbers_whole() {
        assert_eq!(
            words("Russia's 1,200 troops, 1.5 million and 18-hour U.S. raids."),
            [
                "Russia", "'s", "1,200", "troops", ",", "1.5", "million", "and", "18-hour", "U.S.",
                "raids", "."
            ]
        );
        assert_eq!(
            words("\"Two 'Olkha' missiles,\" he said"),
            [
                "\"", "Two", "'", "Olkha", "'", "missiles", ",", "\"", "he", "said"
            ]
        );
        assert_eq!(
            words("14 people, 2 children"),
            ["14", "people", ",", "2", "children"]
        );
    }
}
