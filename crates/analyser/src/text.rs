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

    /// Sentence-internal boundary marks: commas, semicolons, colons, dashes, brackets.
    pub fn is_boundary(&self) -> bool {
        self.kind == Kind::Punct
            && matches!(
                self.text,
                "," | ";"
                    | ":"
                    | "—"
                    | "–"
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
    let bytes = s.as_bytes();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut tokens = Vec::with_capacity(chars.len() / 4);
    let mut i = 0;
    let char_at = |k: usize| chars.get(k).map(|&(_, c)| c);
    while i < chars.len() {
        let (start, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let end = start + c.len_utf8();
            tokens.push(make(s, start, end, Kind::Punct));
            i += 1;
            continue;
        }
        let numeric = c.is_ascii_digit();
        let mut j = i + 1;
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_alphanumeric() {
                j += 1;
                continue;
            }
            let next = char_at(j + 1);
            let prev = chars[j - 1].1;
            let joins = match c {
                '-' => next.is_some_and(char::is_alphanumeric),
                // 1,200 and 1.5 inside numbers
                ',' => {
                    prev.is_ascii_digit()
                        && numeric
                        && (1..=3).all(|k| char_at(j + k).is_some_and(|c| c.is_ascii_digit()))
                        && !char_at(j + 4).is_some_and(|c| c.is_ascii_digit())
                }
                '.' => {
                    (prev.is_ascii_digit() && next.is_some_and(|c| c.is_ascii_digit()))
                        // U.S., a.m.: single letters joined by dots
                        || (!numeric
                            && next.is_some_and(char::is_alphabetic)
                            && char_at(j + 2).is_none_or(|c| !c.is_alphabetic())
                            && (j - i == 1 || chars[j - 2].1 == '.'))
                }
                c if is_apostrophe(c) => {
                    // O'Brien, don't; but not the possessive 's
                    prev.is_alphabetic()
                        && next.is_some_and(char::is_alphabetic)
                        && !(matches!(next, Some('s' | 'S'))
                            && char_at(j + 2).is_none_or(|c| !c.is_alphanumeric()))
                }
                _ => false,
            };
            if !joins {
                break;
            }
            j += 1;
        }
        let end = chars.get(j).map_or(bytes.len(), |&(b, _)| b);
        // keep the final dot of an abbreviation like "U.S."
        let end = if !numeric
            && j < chars.len()
            && chars[j].1 == '.'
            && s[start..end].contains('.')
            && s[start..end].len() <= 5
        {
            j += 1;
            end + 1
        } else {
            end
        };
        tokens.push(make(
            s,
            start,
            end,
            if numeric { Kind::Number } else { Kind::Word },
        ));
        i = j;
        // possessive 's as its own token
        if i + 1 < chars.len()
            && is_apostrophe(chars[i].1)
            && matches!(chars[i + 1].1, 's' | 'S')
            && char_at(i + 2).is_none_or(|c| !c.is_alphanumeric())
        {
            let ps = chars[i].0;
            let pe = chars[i + 1].0 + 1;
            let mut t = make(s, ps, pe, Kind::Word);
            t.lower = "'s".into();
            tokens.push(t);
            i += 2;
        }
    }
    tokens
}

fn make(s: &str, start: usize, end: usize, kind: Kind) -> Token<'_> {
    let text = &s[start..end];
    let lower = if text.chars().any(|c| !c.is_lowercase() && c.is_alphabetic()) {
        text.to_lowercase()
    } else {
        text.to_string()
    };
    let lower = lower.replace('’', "'");
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
