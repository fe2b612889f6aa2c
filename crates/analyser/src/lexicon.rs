//! The analyser's word knowledge, loaded from `config/claims.toml`.

use std::collections::BTreeMap;

use corpus::Qualifier;
use serde::Deserialize;

/// The lexicons shipped with crosscheck, used when the config names no other file.
pub const DEFAULT_LEXICON: &str = include_str!("../../../config/claims.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub measures: BTreeMap<String, Vec<String>>,
    pub subjects: BTreeMap<String, Vec<String>>,
    pub qualifiers: BTreeMap<String, Vec<String>>,
    pub numbers: NumberWords,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumberWords {
    pub units: BTreeMap<String, u64>,
    pub scales: BTreeMap<String, u64>,
    pub vague: Vec<String>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Result<Lexicon, toml::de::Error> {
        toml::from_str(text)
    }

    pub fn builtin() -> Lexicon {
        Lexicon::parse(DEFAULT_LEXICON).expect("the shipped lexicon is valid")
    }

    /// The measure a word states, if any.
    pub fn measure_of(&self, word: &str) -> Option<&str> {
        self.measures
            .iter()
            .find(|(_, words)| words.iter().any(|w| w == word))
            .map(|(m, _)| m.as_str())
    }

    /// The subject a noun names, if any.
    pub fn subject_of(&self, word: &str) -> Option<&str> {
        self.subjects
            .iter()
            .find(|(_, words)| words.iter().any(|w| w == word))
            .map(|(s, _)| s.as_str())
    }

    /// The qualifier that a text ending right before a number expresses.
    pub fn qualifier_before(&self, before: &str) -> Qualifier {
        let before = before.trim_end().to_lowercase();
        for (name, phrases) in &self.qualifiers {
            if phrases.iter().any(|p| {
                before.ends_with(p.as_str())
                    && before[..before.len() - p.len()]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
            }) {
                return match name.as_str() {
                    "at_least" => Qualifier::AtLeast,
                    "more_than" => Qualifier::MoreThan,
                    "about" => Qualifier::About,
                    _ => Qualifier::Exact,
                };
            }
        }
        Qualifier::Exact
    }
}
