//! Who a figure comes from: "said regional governor X", "X told Y", "X reported",
//! "according to X", chains ("the New York Times reported, citing Russian authorities"),
//! pronouns ("he added") resolved to the last named source.

use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// A source named in a sentence and the words it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The source as written ("regional governor Vyacheslav Gladkov").
    pub name: String,
    /// Sources the source cites ("Russian authorities").
    pub citing: Vec<String>,
    /// Tokens `scope.0..scope.1` state what the source says.
    pub scope: (usize, usize),
    /// The speaking verb comes before what is said ("X said that ..."): nearer to the
    /// figure than a source named after it.
    pub leading: bool,
    /// Refers to an earlier source ("he", "the ministry").
    pub pronoun: bool,
}

impl Source {
    /// The attribution written in claims: "X", or "X, citing Y".
    pub fn label(&self) -> String {
        if self.citing.is_empty() {
            self.name.clone()
        } else {
            format!("{}, citing {}", self.name, self.citing.join(", "))
        }
    }
}

fn is_stop(t: &Token<'_>, lex: &Lexicon) -> bool {
    t.is_boundary() || t.is_quote() || lex.speech.stop_words.contains(t.lower.as_str())
}

/// The noun phrase that ends right before `end`, back to a boundary: (start, end).
pub fn phrase_before(tokens: &[Token<'_>], end: usize, lex: &Lexicon) -> Option<(usize, usize)> {
    let mut e = end;
    // adverbs and auxiliaries between the speaker and the verb: "Russia earlier said",
    // "authorities have stated"
    while e > 0 && lex.trim.contains(tokens[e - 1].lower.as_str()) && tokens[e - 1].lower != "the" {
        e -= 1;
    }
    let mut s = e;
    while s > 0 && !is_stop(&tokens[s - 1], lex) && e - s < 12 {
        s -= 1;
    }
    if s > 0 && !is_stop(&tokens[s - 1], lex) {
        return None; // too long to be a speaker
    }
    trim(tokens, s, e, lex)
}

/// The noun phrase that starts at `start`, up to a boundary or a preposition of context
/// ("said governor X in a statement", "said X on Telegram").
fn phrase_after(tokens: &[Token<'_>], start: usize, lex: &Lexicon) -> Option<(usize, usize)> {
    let mut e = start;
    while e < tokens.len() && !is_stop(&tokens[e], lex) && e - start < 10 {
        let w = tokens[e].lower.as_str();
        if e > start && lex.speech.context_prepositions.contains(w) {
            break;
        }
        if e > start && lex.citing.at(tokens, e).is_some() {
            break;
        }
        e += 1;
    }
    // an apposition: "the governor of the region, Viacheslav Gladkov, on Telegram"
    if e + 1 < tokens.len() && tokens[e].is_punct(",") && tokens[e + 1].is_capitalised() {
        let mut k = e + 1;
        while k < tokens.len() && tokens[k].is_capitalised() && tokens[k].kind == Kind::Word {
            k += 1;
        }
        let closes = k == tokens.len()
            || tokens[k].is_boundary()
            || lex
                .speech
                .apposition_closers
                .contains(tokens[k].lower.as_str());
        if closes && k - e <= 4 {
            e = k;
        }
    }
    trim(tokens, start, e, lex)
}

fn trim(tokens: &[Token<'_>], mut s: usize, mut e: usize, lex: &Lexicon) -> Option<(usize, usize)> {
    while s < e && (lex.trim.contains(tokens[s].lower.as_str()) || tokens[s].kind == Kind::Punct) {
        s += 1;
    }
    while e > s
        && (lex.trim.contains(tokens[e - 1].lower.as_str()) || tokens[e - 1].kind == Kind::Punct)
    {
        e -= 1;
    }
    if s >= e || lex.not_sources.contains(tokens[s].lower.as_str()) {
        return None;
    }
    // a speaker has no numbers and no measure words ("18 people were killed, said X")
    if tokens[s..e]
        .iter()
        .enumerate()
        .any(|(k, t)| t.kind == Kind::Number || lex.measure_words.at(tokens, s + k).is_some())
    {
        return None;
    }
    Some((s, e))
}

fn text_of(tokens: &[Token<'_>], s: usize, e: usize, sentence: &str) -> String {
    sentence[tokens[s].start..tokens[e - 1].end].replace(" 's", "'s")
}

fn is_noun_use(tokens: &[Token<'_>], v: usize, lex: &Lexicon) -> bool {
    // "Russia's claims", "the reports", "media reports of ..."
    v > 0
        && lex
            .speech
            .noun_determiners
            .contains(tokens[v - 1].lower.as_str())
}

/// The sources a sentence names.
/// True when the verb at `i` takes a toll as its object ("the blast claimed 12 lives",
/// "claimed at least 12 lives"): a verb of a measure, not of a speaker.
fn takes_lives(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> bool {
    let mut k = i + 1;
    if let Some((n, _)) = lex.qualifiers_before.at(tokens, k) {
        k += n;
    }
    let number = tokens
        .get(k)
        .is_some_and(|t| t.kind == Kind::Number || lex.units.contains_key(t.lower.as_str()));
    number
        && lex
            .wording
            .forms
            .at(tokens, k + 1)
            .is_some_and(|(_, f)| f & crate::lexicon::form::NOUN != 0)
}

pub fn sources(tokens: &[Token<'_>], sentence: &str, lex: &Lexicon) -> Vec<Source> {
    let mut out: Vec<Source> = leading_report(tokens, lex).into_iter().collect();
    let n = tokens.len();
    let mut i = 0;
    while i < n {
        // "according to X"
        if let Some((len, _)) = lex.according_to.at(tokens, i) {
            match phrase_after(tokens, i + len, lex) {
                Some((s, e)) => {
                    out.push(Source {
                        name: text_of(tokens, s, e, sentence),
                        citing: citing_after(tokens, e, sentence, lex),
                        scope: (0, n),
                        leading: false,
                        pronoun: is_pronoun(tokens, s, e, lex),
                    });
                    i = e;
                }
                None => i += len,
            }
            continue;
        }
        if speaks(tokens, i, lex) {
            let before = i.checked_sub(1).map(|p| &tokens[p]);
            let inverted = before.is_some_and(|b| b.is_punct(",") || b.is_quote());
            let found = if inverted {
                inverted_source(tokens, i, sentence, lex)
            } else {
                phrase_before(tokens, i, lex)
                    .map(|(s, e)| plain_source(tokens, i, (s, e), sentence, lex))
            };
            out.extend(found);
        }
        i += 1;
    }
    out
}

/// "Reports of at least 20 dead", "according to reports": reports opening the sentence.
fn leading_report(tokens: &[Token<'_>], lex: &Lexicon) -> Option<Source> {
    let f = tokens.iter().position(|t| t.kind != Kind::Punct)?;
    let (len, _) = lex.reports.at(tokens, f)?;
    Some(Source {
        name: tokens[f].lower.clone(),
        citing: Vec::new(),
        scope: (f + len, tokens.len()),
        leading: true,
        pronoun: false,
    })
}

/// True when the word at `i` is a speaker's verb: "the number of people confirmed dead",
/// "those reported missing" are participles describing the figure, not speakers' verbs
/// ("officials reported shooting down 32 drones" is one).
fn speaks(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> bool {
    let t = &tokens[i];
    let participle = tokens.get(i + 1).is_some_and(|n| {
        lex.participle_endings
            .iter()
            .any(|e| n.lower.ends_with(e.as_str()))
    });
    let adjective = lex
        .wording
        .forms
        .at(tokens, i + 1)
        .is_some_and(|(_, f)| f & crate::lexicon::form::ADJECTIVE != 0);
    let describes_figure =
        lex.measure_words.at(tokens, i + 1).is_some() && (!participle || adjective);
    lex.reporting_verbs.contains(t.lower.as_str())
        && !is_noun_use(tokens, i, lex)
        && !lex.speech.not_speaking.contains(t.lower.as_str())
        && !describes_figure
        && !takes_lives(tokens, i, lex)
}

/// The speaker of a verb after a comma or a quote, at `i`: named before the comma when the
/// verb takes its audience after it ("\"...,\" a police official, Tariq Wilayat, told
/// Reuters") or a relative clause sets it off ("A spokesman for the ministry, who spoke on
/// condition of anonymity, said 40 ..."); otherwise after the verb ("..., said regional
/// governor X,", "\"...\" said X").
fn inverted_source(
    tokens: &[Token<'_>],
    i: usize,
    sentence: &str,
    lex: &Lexicon,
) -> Option<Source> {
    let n = tokens.len();
    let source = |(s, e): (usize, usize), scope, leading, from| Source {
        name: text_of(tokens, s, e, sentence),
        citing: citing_after(tokens, from, sentence, lex),
        scope,
        leading,
        pronoun: is_pronoun(tokens, s, e, lex),
    };
    let comma = tokens[i - 1].is_punct(",");
    if comma
        && lex.speech.audience_verbs.contains(tokens[i].lower.as_str())
        && let Some((s, e)) = phrase_before(tokens, i - 1, lex)
    {
        return Some(source((s, e), (0, s), false, i + 1));
    }
    // ("The Peoples' Democratic Party (HDP), one of the groups that organised the rally,
    // said 97 ...")
    if let Some(open) = relative_clause_before(tokens, i, lex)
        && let Some((s, e)) = phrase_before(tokens, before_brackets(tokens, open), lex)
        && tokens[..s]
            .iter()
            .all(|t| t.kind == Kind::Punct || lex.trim.contains(t.lower.as_str()))
    {
        return Some(source((s, e), (i + 1, n), true, i + 1));
    }
    phrase_after(tokens, i + 1, lex).map(|(s, e)| source((s, e), (0, i), false, e))
}

/// The speaker named before the verb at `i` ("X said ..."): what they say is after the
/// verb when they open the sentence or a clause ("Earlier, X said ...", "..., while the Red
/// Cross put the toll at 10") or when every figure comes after the verb, else before them.
fn plain_source(
    tokens: &[Token<'_>],
    i: usize,
    (s, e): (usize, usize),
    sentence: &str,
    lex: &Lexicon,
) -> Source {
    let n = tokens.len();
    // "In X, a town near the epicentre, the mayor said about 400 were buried": the
    // figures come after the verb, none before it
    let mut k = s;
    while k > 0 && lex.trim.contains(tokens[k - 1].lower.as_str()) {
        k -= 1;
    }
    let figures_after = (k == 0 || tokens[k - 1].is_punct(","))
        && !(0..s).any(|k| lex.measure_words.at(tokens, k).is_some())
        && (i + 1..n).any(|k| lex.measure_words.at(tokens, k).is_some());
    let leading = (opens_clause(tokens, s, lex) || figures_after) && has_words_after(tokens, i + 1);
    Source {
        name: text_of(tokens, s, e, sentence),
        citing: citing_after(tokens, i + 1, sentence, lex),
        scope: if leading { (i + 1, n) } else { (0, s) },
        leading,
        pronoun: is_pronoun(tokens, s, e, lex),
    }
}

/// True when a speaker starting at `s` opens the sentence or a clause of their own.
fn opens_clause(tokens: &[Token<'_>], s: usize, lex: &Lexicon) -> bool {
    let starts = tokens[..s]
        .iter()
        .all(|t| t.kind == Kind::Punct || lex.trim.contains(t.lower.as_str()));
    let after_comma = s > 0 && tokens[s - 1].is_punct(",") && !said_before(tokens, s);
    let mut k = s;
    while k > 0
        && lex.trim.contains(tokens[k - 1].lower.as_str())
        && !lex.conjunctions.contains(tokens[k - 1].lower.as_str())
    {
        k -= 1;
    }
    let joined = k > 0
        && lex
            .speech
            .clause_joiners
            .contains(tokens[k - 1].lower.as_str());
    starts || after_comma || joined
}

/// ", who spoke on condition of anonymity," ending right before `verb`: the comma that
/// opens it.
fn relative_clause_before(tokens: &[Token<'_>], verb: usize, lex: &Lexicon) -> Option<usize> {
    if verb == 0 || !tokens[verb - 1].is_punct(",") {
        return None;
    }
    let open = (0..verb - 1).rev().find(|&k| tokens[k].is_punct(","))?;
    lex.speech
        .relative_openers
        .at(tokens, open + 1)
        .map(|_| open)
}

/// Where a name ends before `at`, past an abbreviation in brackets after it ("the Peoples'
/// Democratic Party (HDP),").
fn before_brackets(tokens: &[Token<'_>], at: usize) -> usize {
    if at >= 3 && tokens[at - 1].is_punct(")") && tokens[at - 3].is_punct("(") {
        at - 3
    } else {
        at
    }
}

/// True when words that could be reported follow the verb (not just "in a statement.").
fn has_words_after(tokens: &[Token<'_>], from: usize) -> bool {
    tokens[from.min(tokens.len())..]
        .iter()
        .filter(|t| t.kind != Kind::Punct)
        .count()
        > 1
}

/// True when a clause with its own content comes before position `s` (the source after the
/// comma then closes a statement, it does not open one).
fn said_before(tokens: &[Token<'_>], s: usize) -> bool {
    tokens[..s].iter().filter(|t| t.kind != Kind::Punct).count() > 3
}

fn citing_after(tokens: &[Token<'_>], from: usize, sentence: &str, lex: &Lexicon) -> Vec<String> {
    let mut j = from;
    while j < tokens.len() && tokens[j].is_punct(",") {
        j += 1;
    }
    match lex.citing.at(tokens, j) {
        Some((len, _)) => phrase_after(tokens, j + len, lex)
            .map(|(s, e)| vec![text_of(tokens, s, e, sentence)])
            .unwrap_or_default(),
        None => Vec::new(),
    }
}

/// True when tokens `s..e` are a pronoun or a phrase that stands for a source named before
/// ("she", "they", "the ministry").
pub fn is_pronoun(tokens: &[Token<'_>], s: usize, e: usize, lex: &Lexicon) -> bool {
    lex.source_pronouns
        .at(tokens, s)
        .is_some_and(|(len, _)| s + len == e)
}

/// The source that a figure at token `at` comes from: the innermost source whose scope
/// holds it (a leading "X said that" before one named after the figure), and the chain of
/// the others, nearest first.
pub fn source_of(sources: &[Source], at: usize) -> Vec<&Source> {
    let mut covering: Vec<&Source> = sources
        .iter()
        .filter(|s| s.scope.0 <= at && at < s.scope.1)
        .collect();
    covering.sort_by_key(|s| {
        (
            !s.leading,
            if s.leading {
                at - s.scope.0
            } else {
                s.scope.1 - at
            },
        )
    });
    covering
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn who(s: &str, word: &str) -> Vec<String> {
        let lex = Lexicon::shared();
        let tokens = tokenize(s);
        let at = tokens.iter().position(|t| t.text == word).unwrap();
        source_of(&sources(&tokens, s, lex), at)
            .into_iter()
            .map(Source::label)
            .collect()
    }

    #[test]
    fn finds_the_source_of_a_figure() {
        assert_eq!(
            who(
                "A further 110 people were wounded, said regional governor Vyacheslav Gladkov, making it worse.",
                "110"
            ),
            ["regional governor Vyacheslav Gladkov"]
        );
        assert_eq!(
            who(
                "At least 18 people were killed, the New York Times reported, citing Russian authorities.",
                "18"
            ),
            ["New York Times, citing Russian authorities"]
        );
        assert_eq!(
            who(
                "The ministry said that 14 people had been killed, Tass newswire reported.",
                "14"
            ),
            ["ministry", "Tass newswire"]
        );
        assert_eq!(
            who(
                "Russia earlier said its air defenses shot down 32 drones.",
                "32"
            ),
            ["Russia"]
        );
        assert!(who("Russia's claims couldn't be verified and 5 died.", "5").is_empty());
    }
}
