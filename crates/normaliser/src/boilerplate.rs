//! Boilerplate rules: named phrases and patterns, loaded from `config/boilerplate.toml`, that
//! remove what is not the article (embed residue, social prompts, image credits, agency
//! footers, trailing teaser blocks, repeated paragraphs) and record each removal.

use std::collections::HashSet;

use corpus::{BlockKind, Removal};
use regex::Regex;
use serde::Deserialize;

/// The rules shipped with crosscheck, used when the config names no other file.
pub const DEFAULT_RULES: &str = include_str!("../../../config/boilerplate.toml");

#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("invalid rules file: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("rule {name:?}: invalid pattern: {source}")]
    Pattern {
        name: String,
        #[source]
        source: Box<regex::Error>,
    },
    #[error("rule {name:?}: {reason}")]
    Invalid { name: String, reason: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    repeated: RepeatedSpec,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    kind: RuleKind,
    pattern: String,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    /// Tail rules only: how far from the end (as a share of the blocks) the heading may be.
    #[serde(default)]
    within_last: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum RuleKind {
    /// Removes each match from inside a block; a named group `author` becomes the block's
    /// attribution (the author of an embedded post).
    Inline,
    /// Removes a block that matches as a whole.
    Block,
    /// A block that matches as a whole, near the end, starts a trailing block of teasers:
    /// it and everything after it are removed.
    Tail,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepeatedSpec {
    /// Blocks shorter than this many words are never judged repeats.
    #[serde(default = "default_min_words")]
    min_words: usize,
    /// Share of a block's four-word shingles already seen earlier that makes it a repeat.
    #[serde(default = "default_containment")]
    containment: f64,
}

fn default_min_words() -> usize {
    8
}
fn default_containment() -> f64 {
    0.6
}

impl Default for RepeatedSpec {
    fn default() -> Self {
        RepeatedSpec {
            min_words: default_min_words(),
            containment: default_containment(),
        }
    }
}

struct Rule {
    name: String,
    kind: RuleKind,
    regex: Regex,
    within_last: f64,
}

/// Compiled rules.
pub struct Rules {
    rules: Vec<Rule>,
    repeated: RepeatedSpec,
}

/// The rule name recorded for repeated blocks.
pub const REPEATED_RULE: &str = "repeated-block";

/// A block of text on its way through the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: BlockKind,
    pub text: String,
    pub attribution: Option<String>,
}

impl Rules {
    pub fn parse(toml_text: &str) -> Result<Rules, RulesError> {
        let file: RulesFile = toml::from_str(toml_text)?;
        let mut rules = Vec::new();
        let mut names = HashSet::new();
        for spec in file.rules {
            if !names.insert(spec.name.clone()) {
                return Err(RulesError::Invalid {
                    name: spec.name,
                    reason: "two rules have this name".into(),
                });
            }
            let anchored = match spec.kind {
                RuleKind::Inline => spec.pattern.clone(),
                RuleKind::Block | RuleKind::Tail => format!("^(?:{})$", spec.pattern),
            };
            let regex = Regex::new(&anchored).map_err(|e| RulesError::Pattern {
                name: spec.name.clone(),
                source: Box::new(e),
            })?;
            let within_last = spec.within_last.unwrap_or(0.5);
            if !(0.0..=1.0).contains(&within_last) {
                return Err(RulesError::Invalid {
                    name: spec.name,
                    reason: "within_last must be between 0 and 1".into(),
                });
            }
            rules.push(Rule {
                name: spec.name,
                kind: spec.kind,
                regex,
                within_last,
            });
        }
        Ok(Rules {
            rules,
            repeated: file.repeated,
        })
    }

    pub fn builtin() -> Rules {
        Rules::parse(DEFAULT_RULES).expect("the shipped boilerplate rules are valid")
    }

    /// Applies every rule to the blocks of one article, returning what is kept and what was
    /// removed (with the rule that removed it).
    pub fn apply(&self, blocks: Vec<Draft>) -> (Vec<Draft>, Vec<Removal>) {
        let mut removed = Vec::new();
        let mut kept: Vec<Draft> = Vec::with_capacity(blocks.len());
        let total = blocks.len();
        let mut tail_from: Option<(usize, &str)> = None;
        for (index, mut block) in blocks.into_iter().enumerate() {
            if let Some((_, rule)) = tail_from {
                removed.push(Removal {
                    rule: rule.to_string(),
                    text: block.text,
                });
                continue;
            }
            if let Some(rule) = self.tail_rule(&block.text, index, total) {
                tail_from = Some((index, rule));
                removed.push(Removal {
                    rule: rule.to_string(),
                    text: block.text,
                });
                continue;
            }
            self.apply_inline(&mut block, &mut removed);
            if !has_words(&block.text) {
                if !block.text.is_empty() {
                    removed.push(Removal {
                        rule: "empty-after-removal".into(),
                        text: block.text,
                    });
                }
                continue;
            }
            if let Some(rule) = self
                .rules
                .iter()
                .find(|r| r.kind == RuleKind::Block && r.regex.is_match(&block.text))
            {
                removed.push(Removal {
                    rule: rule.name.clone(),
                    text: block.text,
                });
                continue;
            }
            kept.push(block);
        }
        let kept = self.drop_repeats(kept, &mut removed);
        (kept, removed)
    }

    fn tail_rule(&self, text: &str, index: usize, total: usize) -> Option<&str> {
        self.rules
            .iter()
            .filter(|r| r.kind == RuleKind::Tail)
            .find(|r| {
                let earliest = ((total as f64) * (1.0 - r.within_last)).floor() as usize;
                index >= earliest.max(1) && r.regex.is_match(text.trim())
            })
            .map(|r| r.name.as_str())
    }

    fn apply_inline(&self, block: &mut Draft, removed: &mut Vec<Removal>) {
        for rule in self.rules.iter().filter(|r| r.kind == RuleKind::Inline) {
            if !rule.regex.is_match(&block.text) {
                continue;
            }
            let mut out = String::with_capacity(block.text.len());
            let mut last = 0;
            for caps in rule.regex.captures_iter(&block.text) {
                let m = caps.get(0).expect("group 0 always matches");
                if m.as_str().is_empty() {
                    continue;
                }
                if let Some(author) = caps.name("author") {
                    block.attribution = Some(author.as_str().trim().to_string());
                    block.kind = BlockKind::Embed;
                }
                out.push_str(&block.text[last..m.start()]);
                out.push(' ');
                last = m.end();
                removed.push(Removal {
                    rule: rule.name.clone(),
                    text: m.as_str().trim().to_string(),
                });
            }
            out.push_str(&block.text[last..]);
            block.text = crate::text::fold_whitespace(&out);
        }
    }

    /// Drops blocks whose shingles mostly appeared earlier in the article (a tweet embedded
    /// after the paragraph that quotes it, a standfirst repeated as the first paragraph).
    fn drop_repeats(&self, blocks: Vec<Draft>, removed: &mut Vec<Removal>) -> Vec<Draft> {
        let mut seen: HashSet<u64> = HashSet::new();
        let mut kept = Vec::with_capacity(blocks.len());
        for block in blocks {
            let shingles = shingles(&block.text);
            let words = block.text.split_whitespace().count();
            if words >= self.repeated.min_words && !shingles.is_empty() {
                let repeated = shingles.iter().filter(|s| seen.contains(s)).count();
                if repeated as f64 >= self.repeated.containment * shingles.len() as f64 {
                    removed.push(Removal {
                        rule: REPEATED_RULE.into(),
                        text: block.text,
                    });
                    continue;
                }
            }
            seen.extend(shingles);
            kept.push(block);
        }
        kept
    }
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Hashes of the block's four-word shingles, case and punctuation folded.
pub fn shingles(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(4)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str) -> Draft {
        Draft {
            kind: BlockKind::Paragraph,
            text: text.into(),
            attribution: None,
        }
    }

    #[test]
    fn rules_file_errors_name_the_rule() {
        let err = Rules::parse("[[rule]]\nname = \"x\"\nkind = \"inline\"\npattern = \"(\"\n");
        assert!(err.err().unwrap().to_string().contains("\"x\""));
        let dup = "[[rule]]\nname=\"a\"\nkind=\"block\"\npattern=\"a\"\n[[rule]]\nname=\"a\"\nkind=\"block\"\npattern=\"b\"\n";
        assert!(Rules::parse(dup).is_err());
    }

    #[test]
    fn repeated_block_is_removed_once() {
        let rules = Rules::parse("").unwrap();
        let para = "The quick brown fox jumps over the lazy dog near the river bank today";
        let (kept, removed) = rules.apply(vec![
            draft(para),
            draft("Something else entirely happened in the city centre on that day"),
            draft(&format!("Context words here {para}")),
        ]);
        assert_eq!(kept.len(), 2);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].rule, REPEATED_RULE);
    }
}
