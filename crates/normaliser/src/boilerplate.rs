//! Boilerplate rules: named phrases and patterns, loaded from `config/boilerplate.toml`, that
//! remove what is not the article (embed residue, social and newsletter prompts, image
//! credits and captions, agency and copyright footers, bylines, trailing teaser blocks,
//! repeated paragraphs) and record each removal with the rule that made it and where it was.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use corpus::{BlockKind, Removal};
use regex::Regex;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, hybrid};
use serde::Deserialize;

use crate::segment::Segmenter;
use crate::text::{word_count, word_hashes};

/// The rules shipped with crosscheck, used when the config names no other file.
pub const DEFAULT_RULES: &str = include_str!("../../../config/boilerplate.toml");

/// The rule name recorded for repeated blocks.
pub const REPEATED_RULE: &str = "repeated-block";
/// A block whose text comes this many times is the article's own pattern, not a repeat.
const PATTERN_OCCURRENCES: usize = 3;
/// The rule name recorded for blocks without a letter or digit (separators, bullets).
pub const NO_WORDS_RULE: &str = "no-words";

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
    fragments: BTreeMap<String, String>,
    #[serde(default)]
    repeated: RepeatedSpec,
    #[serde(default)]
    tail: TailSpec,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    kind: RuleKind,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    #[allow(dead_code)]
    description: String,
    #[serde(default)]
    max_words: Option<usize>,
    #[serde(default)]
    within_last: Option<f64>,
    #[serde(default)]
    within_first: Option<usize>,
    #[serde(default)]
    until: Option<TailEnd>,
    #[serde(default)]
    previous_if: Option<String>,
}

/// What a rule removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Each match inside a block; a named group `author` becomes the block's attribution
    /// (the author of an embedded post).
    Inline,
    /// Each sentence of a block that matches as a whole.
    Sentence,
    /// A block that matches as a whole.
    Block,
    /// A heading that matches as a whole starts a run of teasers: it and the blocks after it
    /// are removed, up to the first block of article prose (or to the end).
    Tail,
}

/// Where a tail run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TailEnd {
    /// At the first block that reads as article prose (see `[tail] prose_min_words`).
    Prose,
    /// At the end of the article (comment threads).
    End,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepeatedSpec {
    #[serde(default = "default_min_words")]
    min_words: usize,
    #[serde(default = "default_containment")]
    containment: f64,
}

fn default_min_words() -> usize {
    10
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TailSpec {
    #[serde(default = "default_prose_min_words")]
    prose_min_words: usize,
}

fn default_prose_min_words() -> usize {
    8
}

impl Default for TailSpec {
    fn default() -> Self {
        TailSpec {
            prose_min_words: default_prose_min_words(),
        }
    }
}

struct Rule {
    name: String,
    kind: RuleKind,
    pattern: Pattern,
    max_words: Option<usize>,
    within_last: f64,
    /// Block rules: only the first this many blocks are judged.
    within_first: Option<usize>,
    until: TailEnd,
    /// Sentence rules: the sentence before a match goes too when this finds something in it
    /// (a credit line takes the caption it ends).
    previous_if: Option<Regex>,
}

/// A rule's compiled pattern.
enum Pattern {
    /// Block, sentence and tail rules: whether the pattern matches a whole text.
    Whole(WholeMatch),
    /// Inline rules: every match, with its groups.
    Inline(Regex),
}

/// A pattern that only has to say whether it matches (block, sentence and tail rules,
/// anchored at both ends), as a forward lazy DFA alone. A `regex::Regex` also compiles each
/// pattern backwards, to find where a match starts, which these rules never ask: that was
/// half the time spent compiling the rules, once per process, and its searches pay for
/// machinery that whole-text checks do not use.
enum WholeMatch {
    Dfa(Box<LazyDfa>),
    /// A pattern the lazy DFA cannot run (a Unicode word boundary).
    Regex(Regex),
}

struct LazyDfa {
    dfa: hybrid::dfa::DFA,
    /// Each thread's working memory for the DFA.
    caches: Pool<hybrid::dfa::Cache, CacheMaker>,
}

type CacheMaker = Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>;

impl WholeMatch {
    /// Compiles `source` (anchored already); the error is the `regex` crate's, as for any
    /// other pattern.
    fn new(source: &str) -> Result<WholeMatch, regex::Error> {
        let built = hybrid::dfa::DFA::builder()
            .thompson(
                regex_automata::nfa::thompson::Config::new()
                    .which_captures(regex_automata::nfa::thompson::WhichCaptures::None),
            )
            .build(source);
        match built {
            Ok(dfa) => {
                let for_caches = dfa.clone();
                let make: CacheMaker = Box::new(move || for_caches.create_cache());
                Ok(WholeMatch::Dfa(Box::new(LazyDfa {
                    dfa,
                    caches: Pool::new(make),
                })))
            }
            Err(_) => Regex::new(source).map(WholeMatch::Regex),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            WholeMatch::Dfa(lazy) => {
                let input = Input::new(text).anchored(Anchored::Yes).earliest(true);
                lazy.dfa
                    .try_search_fwd(&mut lazy.caches.get(), &input)
                    // The DFA has no quit bytes (it is built without Unicode word
                    // boundaries) and never gives up (no minimum cache clear count): the
                    // only ways a search can fail.
                    .expect("a lazy DFA without quit bytes or a give-up count cannot fail")
                    .is_some()
            }
            WholeMatch::Regex(regex) => regex.is_match(text),
        }
    }
}

/// The rules of one kind, in file order (indexes into `Rules::rules`).
struct KindSet {
    members: Vec<usize>,
}

/// Compiled rules.
pub struct Rules {
    rules: Vec<Rule>,
    tail_set: KindSet,
    block_set: KindSet,
    sentence_set: KindSet,
    inline_set: KindSet,
    repeated: RepeatedSpec,
    tail: TailSpec,
}

/// A block of text on its way through the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: BlockKind,
    pub text: String,
    pub attribution: Option<String>,
}

impl Draft {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Draft {
        Draft {
            kind,
            text: text.into(),
            attribution: None,
        }
    }
}

/// Where a removal was, among the kept blocks of its article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// With `within`, the index of the kept block the piece was cut from; otherwise the
    /// index of the kept block that follows it (the number of kept blocks when none does).
    pub at: usize,
    /// The piece was cut from inside a block that is otherwise kept.
    pub within: bool,
}

/// Removals in the making: each knows the source block it came from, so that its place
/// among the kept blocks can be worked out once every rule has run.
#[derive(Default)]
struct RemovalLog {
    entries: Vec<(usize, bool, String, String)>,
}

impl RemovalLog {
    fn whole(&mut self, source: usize, rule: &str, text: String) {
        self.entries.push((source, false, rule.to_string(), text));
    }

    fn within(&mut self, source: usize, rule: &str, text: String) {
        self.entries.push((source, true, rule.to_string(), text));
    }

    /// The removals in reading order, placed among the kept blocks (whose source indexes,
    /// ascending, are `kept_sources`).
    fn into_removals(mut self, kept_sources: &[usize]) -> Vec<(Removal, Place)> {
        self.entries.sort_by_key(|e| e.0);
        self.entries
            .into_iter()
            .map(|(source, within, rule, text)| {
                let place = match kept_sources.binary_search(&source) {
                    Ok(at) => Place { at, within },
                    Err(at) => Place { at, within: false },
                };
                (Removal { rule, text }, place)
            })
            .collect()
    }
}

impl Rules {
    pub fn parse(toml_text: &str) -> Result<Rules, RulesError> {
        let file: RulesFile = toml::from_str(toml_text)?;
        let fragments = resolve_fragments(&file.fragments)?;
        let mut rules = Vec::new();
        let mut names = HashSet::new();
        for spec in file.rules {
            let invalid = |reason: &str| RulesError::Invalid {
                name: spec.name.clone(),
                reason: reason.to_string(),
            };
            if [REPEATED_RULE, NO_WORDS_RULE].contains(&spec.name.as_str())
                || !names.insert(spec.name.clone())
            {
                return Err(invalid("two rules have this name"));
            }
            let body = rule_body(&spec).ok_or_else(|| invalid("needs a pattern or phrases"))?;
            let body = expand(&body, &fragments).map_err(|reason| invalid(&reason))?;
            let body = ascii_word_boundaries(&body);
            let source = match spec.kind {
                RuleKind::Inline => body,
                RuleKind::Block | RuleKind::Sentence | RuleKind::Tail => format!("^(?:{body})$"),
            };
            let pattern_error = |e: regex::Error| RulesError::Pattern {
                name: spec.name.clone(),
                source: Box::new(e),
            };
            let compile = |source: &str| Regex::new(source).map_err(pattern_error);
            let pattern = match spec.kind {
                RuleKind::Inline => {
                    let regex = compile(&source)?;
                    if regex.is_match("") {
                        return Err(invalid("an inline pattern must not match empty text"));
                    }
                    Pattern::Inline(regex)
                }
                RuleKind::Block | RuleKind::Sentence | RuleKind::Tail => {
                    Pattern::Whole(WholeMatch::new(&source).map_err(pattern_error)?)
                }
            };
            let within_last = spec.within_last.unwrap_or(1.0);
            if !(0.0..=1.0).contains(&within_last) {
                return Err(invalid("within_last must be between 0 and 1"));
            }
            if spec.kind != RuleKind::Tail && (spec.within_last.is_some() || spec.until.is_some()) {
                return Err(invalid("within_last and until are for tail rules only"));
            }
            if spec.kind != RuleKind::Block && spec.within_first.is_some() {
                return Err(invalid("within_first is for block rules only"));
            }
            if spec.kind != RuleKind::Sentence && spec.previous_if.is_some() {
                return Err(invalid("previous_if is for sentence rules only"));
            }
            let previous_if = match &spec.previous_if {
                Some(p) => Some(compile(&ascii_word_boundaries(
                    &expand(p, &fragments).map_err(|reason| invalid(&reason))?,
                ))?),
                None => None,
            };
            rules.push(Rule {
                name: spec.name,
                kind: spec.kind,
                pattern,
                max_words: spec.max_words,
                within_last,
                within_first: spec.within_first,
                until: spec.until.unwrap_or(TailEnd::Prose),
                previous_if,
            });
        }
        let kind_set = |kind: RuleKind| {
            let members: Vec<usize> = (0..rules.len())
                .filter(|&i| rules[i].kind == kind)
                .collect();
            KindSet { members }
        };
        Ok(Rules {
            tail_set: kind_set(RuleKind::Tail),
            block_set: kind_set(RuleKind::Block),
            sentence_set: kind_set(RuleKind::Sentence),
            inline_set: kind_set(RuleKind::Inline),
            rules,
            repeated: file.repeated,
            tail: file.tail,
        })
    }

    /// The first rule (in file order) of a kind set that matches `text` as a whole, with
    /// `accept` judging the rule's own conditions.
    fn first_whole_match(
        &self,
        kind_set: &KindSet,
        text: &str,
        accept: impl Fn(&Rule) -> bool,
    ) -> Option<&Rule> {
        let text = text.trim();
        // Counted only when a rule asks (most texts fail every pattern of a kind that has no
        // word limit).
        let mut words = None;
        kind_set
            .members
            .iter()
            .map(|&i| &self.rules[i])
            .find(|rule| {
                rule.max_words
                    .is_none_or(|max| *words.get_or_insert_with(|| word_count(text)) <= max)
                    && accept(rule)
                    && match &rule.pattern {
                        Pattern::Whole(whole) => whole.is_match(text),
                        Pattern::Inline(regex) => regex.is_match(text),
                    }
            })
    }

    pub fn builtin() -> Rules {
        Rules::parse(DEFAULT_RULES).expect("the shipped boilerplate rules are valid")
    }

    /// Every rule's name and kind, in file order.
    pub fn names(&self) -> impl Iterator<Item = (&str, RuleKind)> {
        self.rules.iter().map(|r| (r.name.as_str(), r.kind))
    }

    /// Applies every rule to the blocks of one article, returning what is kept and what was
    /// removed (with the rule that removed it), in reading order.
    pub fn apply(&self, blocks: Vec<Draft>, segmenter: &Segmenter) -> (Vec<Draft>, Vec<Removal>) {
        let (kept, placed) = self.apply_placed(blocks, segmenter);
        (kept, placed.into_iter().map(|(r, _)| r).collect())
    }

    /// [`Rules::apply`], with the place of each removal among the kept blocks.
    pub fn apply_placed(
        &self,
        blocks: Vec<Draft>,
        segmenter: &Segmenter,
    ) -> (Vec<Draft>, Vec<(Removal, Place)>) {
        let total = blocks.len();
        // Where the sections start, whatever becomes of the headings.
        let headings: Vec<usize> = (0..total)
            .filter(|&i| blocks[i].kind == BlockKind::Heading)
            .collect();
        let mut log = RemovalLog::default();
        let mut kept: Vec<(usize, Draft)> = Vec::with_capacity(blocks.len());
        let mut run: Option<&Rule> = None;
        for (index, mut block) in blocks.into_iter().enumerate() {
            if let Some(rule) = run {
                if rule.until == TailEnd::End || !self.is_prose(&block.text) {
                    log.whole(index, &rule.name, block.text);
                    continue;
                }
                run = None;
            }
            if let Some(rule) = self.tail_start(&block.text, index, total) {
                run = Some(rule);
                log.whole(index, &rule.name, block.text);
                continue;
            }
            if let Some(rule) = self.block_rule(&block.text, index) {
                log.whole(index, &rule.name, block.text);
                continue;
            }
            let before = block.text.len();
            self.cut_sentences(index, &mut block, segmenter, &mut log);
            self.cut_inline(index, &mut block, &mut log);
            if block.text.len() != before
                && let Some(rule) = self.block_rule(&block.text, index)
            {
                log.whole(index, &rule.name, block.text);
                continue;
            }
            if !has_words(&block.text) {
                if !block.text.trim().is_empty() {
                    log.whole(index, NO_WORDS_RULE, block.text);
                }
                continue;
            }
            kept.push((index, block));
        }
        let kept = self.drop_repeats(kept, &headings, &mut log);
        let sources: Vec<usize> = kept.iter().map(|(source, _)| *source).collect();
        let removals = log.into_removals(&sources);
        (kept.into_iter().map(|(_, d)| d).collect(), removals)
    }

    /// A block reads as article prose (and so ends a run of teasers) when it ends a sentence
    /// and is not short. Teasers are headlines (no final punctuation) or summaries cut off
    /// with an ellipsis; the article's own paragraphs end with a full stop, even short ones,
    /// in the punctuation of their script.
    fn is_prose(&self, text: &str) -> bool {
        let text = text.trim_end().trim_end_matches([
            '"', '\'', ')', '\u{201D}', '\u{2019}', '\u{BB}', '」', '』', '）',
        ]);
        crate::text::ends_with_full_stop(text)
            && !text.ends_with("...")
            && word_count(text) >= self.tail.prose_min_words
    }

    fn tail_start(&self, text: &str, index: usize, total: usize) -> Option<&Rule> {
        self.first_whole_match(&self.tail_set, text, |rule| {
            let earliest = ((total as f64) * (1.0 - rule.within_last)).floor() as usize;
            index >= earliest.max(1)
        })
    }

    fn block_rule(&self, text: &str, index: usize) -> Option<&Rule> {
        self.first_whole_match(&self.block_set, text, |rule| {
            rule.within_first.is_none_or(|first| index < first)
        })
    }

    /// Removes each sentence that a sentence rule matches as a whole.
    fn cut_sentences(
        &self,
        source: usize,
        block: &mut Draft,
        segmenter: &Segmenter,
        log: &mut RemovalLog,
    ) {
        if self.sentence_set.members.is_empty() {
            return;
        }
        let spans = segmenter.sentences(&block.text);
        let mut kept: Vec<&str> = Vec::with_capacity(spans.len());
        let mut cut = false;
        for span in &spans {
            let sentence = span.slice(&block.text);
            let Some(rule) = self.first_whole_match(&self.sentence_set, sentence, |_| true) else {
                kept.push(sentence);
                continue;
            };
            if let Some(previous_if) = &rule.previous_if
                && let Some(previous) = kept.last()
                && previous_if.is_match(previous)
            {
                log.within(source, &rule.name, previous.to_string());
                kept.pop();
            }
            log.within(source, &rule.name, sentence.to_string());
            cut = true;
        }
        if cut {
            block.text = kept.join(" ");
        }
    }

    /// Removes each match of each inline rule from inside the block.
    fn cut_inline(&self, source: usize, block: &mut Draft, log: &mut RemovalLog) {
        for rule in self.inline_set.members.iter().map(|&i| &self.rules[i]) {
            let Pattern::Inline(regex) = &rule.pattern else {
                continue;
            };
            if !regex.is_match(&block.text) {
                continue;
            }
            let mut out = String::with_capacity(block.text.len());
            let mut last = 0;
            for caps in regex.captures_iter(&block.text) {
                let m = caps.get(0).expect("group 0 always matches");
                if m.as_str().trim().is_empty() {
                    continue;
                }
                if let Some(author) = caps.name("author") {
                    block.attribution = Some(author.as_str().trim().to_string());
                    block.kind = BlockKind::Embed;
                }
                out.push_str(&block.text[last..m.start()]);
                out.push(' ');
                last = m.end();
                log.within(source, &rule.name, m.as_str().trim().to_string());
            }
            out.push_str(&block.text[last..]);
            block.text = crate::text::fold_whitespace(&out);
        }
    }

    /// Drops blocks that repeat one block before them in the same section (no heading
    /// between them): a post embedded after the paragraph that quotes it, a pull quote, the
    /// headline or the standfirst again as a paragraph. Text that comes back in another
    /// section (the same note under each day of a plan, the same command in each step of a
    /// tutorial), or that gathers its words from several blocks, is the article's own. When
    /// the block repeated is the standfirst, the standfirst goes and the paragraph stays:
    /// the article's text keeps it.
    /// `headings`: the source indexes of the headings, kept or not.
    fn drop_repeats(
        &self,
        blocks: Vec<(usize, Draft)>,
        headings: &[usize],
        log: &mut RemovalLog,
    ) -> Vec<(usize, Draft)> {
        // Blocks count as the same text when their words are (case and punctuation folded).
        let keys: Vec<Vec<u64>> = blocks.iter().map(|(_, b)| word_hashes(&b.text)).collect();
        let patterned = patterned_blocks(&keys);
        // Each shingle of the current section, with the last kept block (index in `kept`)
        // that has it.
        let mut section: HashMap<u64, usize, BuildHasherDefault<PassThrough>> = HashMap::default();
        let mut kept: Vec<Option<(usize, Draft)>> = Vec::with_capacity(blocks.len());
        let mut next_heading = 0;
        for (((source, block), patterned), words) in blocks.into_iter().zip(patterned).zip(&keys) {
            // A heading removed by a rule before this block still starts a section.
            while next_heading < headings.len() && headings[next_heading] < source {
                next_heading += 1;
                section.clear();
            }
            let shingles = shingles_of(words);
            let judged = !matches!(block.kind, BlockKind::ListItem | BlockKind::TableRow)
                && !patterned
                && words.len() >= self.repeated.min_words
                && !shingles.is_empty();
            let original = if judged {
                self.repeated_block(&shingles, &section)
            } else {
                None
            };
            if let Some(at) = original {
                let standfirst = kept[at]
                    .as_ref()
                    .is_some_and(|(_, b)| b.kind == BlockKind::Standfirst);
                if !(standfirst && block.kind == BlockKind::Paragraph) {
                    log.whole(source, REPEATED_RULE, block.text);
                    continue;
                }
                if let Some((s, b)) = kept[at].take() {
                    log.whole(s, REPEATED_RULE, b.text);
                }
            }
            for s in shingles {
                section.insert(s, kept.len());
            }
            kept.push(Some((source, block)));
        }
        kept.into_iter().flatten().collect()
    }

    /// The block of the section (index in the kept blocks) that holds most of these
    /// shingles, when it holds at least the `containment` share of them.
    fn repeated_block(
        &self,
        shingles: &[u64],
        section: &HashMap<u64, usize, BuildHasherDefault<PassThrough>>,
    ) -> Option<usize> {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for s in shingles {
            let Some(&at) = section.get(s) else { continue };
            match counts.iter_mut().find(|(b, _)| *b == at) {
                Some((_, n)) => *n += 1,
                None => counts.push((at, 1)),
            }
        }
        let (at, n) = counts.into_iter().max_by_key(|&(b, n)| (n, b))?;
        (n as f64 >= self.repeated.containment * shingles.len() as f64).then_some(at)
    }
}

/// Blocks whose text comes [`PATTERN_OCCURRENCES`] times or more: the article's own pattern
/// (the same question to each interviewee), never repeats.
fn patterned_blocks(keys: &[Vec<u64>]) -> Vec<bool> {
    let text_hashes: Vec<u64> = keys.iter().map(|words| combine(words)).collect();
    let mut occurrences: HashMap<u64, usize, BuildHasherDefault<PassThrough>> = HashMap::default();
    for &h in &text_hashes {
        *occurrences.entry(h).or_default() += 1;
    }
    text_hashes
        .iter()
        .map(|h| occurrences[h] >= PATTERN_OCCURRENCES)
        .collect()
}

/// The rule's regex source: its pattern and its phrases (literal, case-insensitive, any white
/// space between words, optional closing punctuation) as alternatives.
fn rule_body(spec: &RuleSpec) -> Option<String> {
    let mut alternatives = Vec::new();
    if let Some(p) = &spec.pattern {
        alternatives.push(format!("(?:{p})"));
    }
    if !spec.phrases.is_empty() {
        let phrases: Vec<String> = spec
            .phrases
            .iter()
            .map(|p| {
                p.split_whitespace()
                    .map(|w| regex::escape(w).replace('\'', "['’]"))
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .collect();
        let joined = phrases.join("|");
        alternatives.push(match spec.kind {
            RuleKind::Inline => format!(r"(?i:\b(?:{joined})\b)"),
            _ => format!(r"(?i:(?:{joined})[\s.:!…|]*)"),
        });
    }
    (!alternatives.is_empty()).then(|| alternatives.join("|"))
}

/// `\b` as an ASCII word boundary: a Unicode one makes the regex engine leave its fast
/// automaton on any text with a non-ASCII character. `\\b` (an escaped backslash) stays.
fn ascii_word_boundaries(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str("(?-u:\\b)"),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Fragments with the fragments they name expanded, so that rules can use any of them.
fn resolve_fragments(
    fragments: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, RulesError> {
    let mut resolved = fragments.clone();
    // Each pass expands one level of nesting; more levels than fragments means a cycle.
    for _ in 0..=fragments.len() {
        let mut changed = false;
        let snapshot = resolved.clone();
        for value in resolved.values_mut() {
            let expanded = substitute(value, &snapshot);
            changed |= expanded != *value;
            *value = expanded;
        }
        if !changed {
            return Ok(resolved);
        }
    }
    Err(RulesError::Invalid {
        name: "[fragments]".into(),
        reason: "fragments refer to each other in a cycle".into(),
    })
}

fn substitute(pattern: &str, fragments: &BTreeMap<String, String>) -> String {
    let mut out = pattern.to_string();
    for (name, value) in fragments {
        out = out.replace(&format!("{{{{{name}}}}}"), &format!("(?:{value})"));
    }
    out
}

/// A pattern with its `{{fragment}}` references expanded; an unknown name is an error.
fn expand(pattern: &str, fragments: &BTreeMap<String, String>) -> Result<String, String> {
    let out = substitute(pattern, fragments);
    match out.find("{{") {
        Some(at) => {
            let name: String = out[at + 2..].chars().take_while(|&c| c != '}').collect();
            Err(format!("unknown fragment {{{{{name}}}}}"))
        }
        None => Ok(out),
    }
}

fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Shingle hashes are hashes already: a set of them needs no second hashing.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Hashes of the text's four-word shingles, case and punctuation folded.
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of(&word_hashes(text))
}

fn shingles_of(words: &[u64]) -> Vec<u64> {
    words.windows(4).map(combine).collect()
}

/// One hash for a sequence of word hashes.
fn combine(words: &[u64]) -> u64 {
    words.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| {
        (h ^ x).wrapping_mul(0x1000_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Draft {
        Draft::new(BlockKind::Paragraph, text)
    }

    fn apply(rules: &Rules, blocks: &[&str]) -> (Vec<String>, Vec<(Removal, Place)>) {
        let (kept, removed) = rules.apply_placed(
            blocks.iter().map(|t| para(t)).collect(),
            &Segmenter::builtin(),
        );
        (kept.into_iter().map(|d| d.text).collect(), removed)
    }

    #[test]
    fn rules_file_errors_name_the_rule() {
        let err = Rules::parse("[[rule]]\nname = \"x\"\nkind = \"inline\"\npattern = \"(\"\n");
        assert!(err.err().unwrap().to_string().contains("\"x\""));
        let dup = "[[rule]]\nname=\"a\"\nkind=\"block\"\npattern=\"a\"\n[[rule]]\nname=\"a\"\nkind=\"block\"\npattern=\"b\"\n";
        assert!(Rules::parse(dup).is_err());
        let empty = "[[rule]]\nname=\"e\"\nkind=\"inline\"\npattern=\"x*\"\n";
        assert!(Rules::parse(empty).is_err());
        let bare = "[[rule]]\nname=\"b\"\nkind=\"block\"\n";
        assert!(Rules::parse(bare).is_err());
        let misplaced = "[[rule]]\nname=\"m\"\nkind=\"block\"\npattern=\"a\"\nuntil=\"end\"\n";
        assert!(Rules::parse(misplaced).is_err());
    }

    #[test]
    fn repeated_block_is_removed_once() {
        let rules = Rules::parse("").unwrap();
        let para = "The quick brown fox jumps over the lazy dog near the river bank today";
        let (kept, removed) = apply(
            &rules,
            &[
                para,
                "Something else entirely happened in the city centre on that day",
                &format!("Context words here {para}"),
            ],
        );
        assert_eq!(kept.len(), 2);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].0.rule, REPEATED_RULE);
        assert_eq!(
            removed[0].1,
            Place {
                at: 2,
                within: false
            }
        );
    }

    #[test]
    fn a_heading_removed_by_a_rule_still_starts_a_section() {
        let rules = Rules::parse(
            "[[rule]]\nname = \"day\"\nkind = \"block\"\nphrases = [\"Monday\", \"Tuesday\"]\n",
        )
        .unwrap();
        let note = "Breakfast is one cup of oats with berries, a spoon of honey and milk.";
        let blocks = [
            Draft::new(BlockKind::Heading, "Monday"),
            para(note),
            Draft::new(BlockKind::Heading, "Tuesday"),
            para(note),
        ];
        let (kept, removed) = rules.apply_placed(blocks.to_vec(), &Segmenter::builtin());
        let kept: Vec<&str> = kept.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(kept, [note, note]);
        let rules: Vec<&str> = removed.iter().map(|(r, _)| r.rule.as_str()).collect();
        assert_eq!(rules, ["day", "day"]);
    }

    #[test]
    fn a_paragraph_that_repeats_the_standfirst_stays() {
        let rules = Rules::parse("").unwrap();
        let summary = "The river rose two metres overnight and the old bridge was closed.";
        let blocks = [
            Draft::new(BlockKind::Standfirst, summary),
            para(summary),
            para("Officials opened a shelter in the school on the hill."),
        ];
        let (kept, removed) = rules.apply_placed(blocks.to_vec(), &Segmenter::builtin());
        assert_eq!(kept[0], para(summary));
        assert_eq!(kept.len(), 2);
        assert_eq!(removed[0].0.rule, REPEATED_RULE);
        assert_eq!(
            removed[0].1,
            Place {
                at: 0,
                within: false
            }
        );
    }

    #[test]
    fn removals_are_placed_among_the_kept_blocks() {
        let rules = Rules::parse(
            r#"
            [[rule]]
            name = "drop"
            kind = "block"
            phrases = ["Advertisement"]
            [[rule]]
            name = "cut"
            kind = "inline"
            pattern = 'pic\.twitter\.com/\w+'
            "#,
        )
        .unwrap();
        let (kept, removed) = apply(
            &rules,
            &[
                "Advertisement",
                "First kept block pic.twitter.com/abc",
                "Advertisement.",
                "Second kept block",
            ],
        );
        assert_eq!(kept, ["First kept block", "Second kept block"]);
        let placed: Vec<(&str, usize, bool)> = removed
            .iter()
            .map(|(r, p)| (r.rule.as_str(), p.at, p.within))
            .collect();
        assert_eq!(
            placed,
            [("drop", 0, false), ("cut", 0, true), ("drop", 1, false)]
        );
    }

    #[test]
    fn a_whole_text_pattern_the_lazy_dfa_cannot_run_still_works() {
        // `\B` is a Unicode word boundary here, which the lazy DFA does not run.
        let rules = Rules::parse(
            r#"
            [[rule]]
            name = "inside-a-word"
            kind = "block"
            pattern = 'ab\Bcd'
            "#,
        )
        .unwrap();
        assert!(matches!(
            rules.rules[0].pattern,
            Pattern::Whole(WholeMatch::Regex(_))
        ));
        let (kept, removed) = apply(&rules, &["abcd", "ab cd"]);
        assert_eq!(kept, ["ab cd"]);
        assert_eq!(removed.len(), 1);
    }

    #[test]
    fn a_tail_run_ends_at_article_prose() {
        let rules = Rules::parse(
            r#"
            [tail]
            prose_min_words = 8
            [[rule]]
            name = "teasers"
            kind = "tail"
            phrases = ["Related articles"]
            "#,
        )
        .unwrap();
        let (kept, removed) = apply(
            &rules,
            &[
                "The article starts here with a first paragraph.",
                "Related articles",
                "A teaser headline",
                "A teaser summary that is cut off with an ellipsis and goes on and on...",
                "The article goes on after the box with a long paragraph of prose.",
            ],
        );
        assert_eq!(
            kept,
            [
                "The article starts here with a first paragraph.",
                "The article goes on after the box with a long paragraph of prose."
            ]
        );
        assert_eq!(removed.len(), 3);
        assert!(
            removed
                .iter()
                .all(|(r, p)| r.rule == "teasers" && p.at == 1 && !p.within)
        );
    }
}
