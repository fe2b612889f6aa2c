//! Claims from the sentences of one normalised article.

use corpus::{Claim, CountFact, Fact, NormalisedDoc, Qualifier};

use crate::lexicon::Lexicon;

/// How many words apart a number and the word stating its measure may be.
const MEASURE_WINDOW: usize = 6;

/// A word of a sentence with its byte range.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    lower: String,
    start: usize,
}

fn words(sentence: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in sentence.char_indices() {
        let part_of_word =
            c.is_alphanumeric() || matches!(c, ',' | '.' | '-' | '\'') && start.is_some();
        match (part_of_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(sentence, s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_word(sentence, s, sentence.len(), &mut out);
    }
    out
}

fn push_word<'a>(sentence: &'a str, start: usize, end: usize, out: &mut Vec<Word<'a>>) {
    let text = sentence[start..end].trim_end_matches([',', '.', '-', '\'']);
    if !text.is_empty() {
        out.push(Word {
            text,
            lower: text.to_lowercase(),
            start,
        });
    }
}

/// The value of a number word or numeral ("18", "1,200", "two", "twenty-one").
fn number_value(word: &str, lexicon: &Lexicon) -> Option<u64> {
    if word.chars().all(|c| c.is_ascii_digit() || c == ',')
        && word.starts_with(|c: char| c.is_ascii_digit())
    {
        return word.replace(',', "").parse().ok();
    }
    if let Some((tens, unit)) = word.split_once('-') {
        let t = lexicon.numbers.units.get(tens)?;
        let u = lexicon.numbers.units.get(unit)?;
        return (*t >= 20 && *u < 10).then_some(t + u);
    }
    lexicon.numbers.units.get(word).copied()
}

/// Extracts count claims from every sentence of a document.
pub fn extract_claims(doc: &NormalisedDoc, lexicon: &Lexicon) -> Vec<Claim> {
    let mut claims = Vec::new();
    for (block_index, block) in doc.blocks.iter().enumerate() {
        for (sentence_index, (sentence, original)) in block.sentence_texts().enumerate() {
            for fact in count_facts(sentence, lexicon) {
                claims.push(Claim {
                    fact: Fact::Count(fact),
                    quote: original.to_string(),
                    attribution: block.attribution.clone(),
                    attribution_chain: Vec::new(),
                    location: None,
                    when: None,
                    background: false,
                    incident: None,
                    block: block_index as u32,
                    sentence: sentence_index as u32,
                });
            }
        }
    }
    claims
}

fn count_facts(sentence: &str, lexicon: &Lexicon) -> Vec<CountFact> {
    let words = words(sentence);
    let mut facts = Vec::new();
    for (i, word) in words.iter().enumerate() {
        let vague = lexicon.numbers.vague.contains(&word.lower);
        let value = number_value(&word.lower, lexicon);
        if value.is_none() && !vague {
            continue;
        }
        // A number followed by a unit of time or a year-like value is not a count.
        if let Some(v) = value
            && (1900..=2100).contains(&v)
            && word.text.len() == 4
        {
            continue;
        }
        let subject = words
            .get(i + 1)
            .and_then(|w| lexicon.subject_of(&w.lower))
            .unwrap_or("people");
        let window = words
            .iter()
            .enumerate()
            .filter(|(j, _)| j.abs_diff(i) <= MEASURE_WINDOW && *j != i);
        let Some(measure) = window
            .map(|(_, w)| w)
            .find_map(|w| lexicon.measure_of(&w.lower))
        else {
            continue;
        };
        let qualifier = if vague {
            Qualifier::Vague
        } else {
            lexicon.qualifier_before(&sentence[..word.start])
        };
        facts.push(CountFact {
            measure: measure.to_string(),
            subject: subject.to_string(),
            count: if vague { None } else { value },
            qualifier,
            parts: Vec::new(),
        });
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(s: &str) -> Vec<(String, String, Option<u64>, Qualifier)> {
        count_facts(s, &Lexicon::builtin())
            .into_iter()
            .map(|f| (f.measure, f.subject, f.count, f.qualifier))
            .collect()
    }

    #[test]
    fn reads_a_qualified_toll() {
        assert_eq!(
            facts("At least 18 people were killed, officials said."),
            [(
                "killed".to_string(),
                "people".to_string(),
                Some(18),
                Qualifier::AtLeast
            )]
        );
    }

    #[test]
    fn number_words_and_vague_quantities() {
        let f = facts("Twenty-one civilians died and hundreds were hurt.");
        assert_eq!(f[0].2, Some(21));
        assert_eq!(f[1].3, Qualifier::Vague);
    }

    #[test]
    fn years_are_not_counts() {
        assert!(
            facts("The war began in 2022 and killed many.")
                .iter()
                .all(|f| f.2 != Some(2022))
        );
    }
}
