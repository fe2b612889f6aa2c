//! The normaliser: turns each raw article (HTML or text) into its main text, in blocks with
//! sentence boundaries, with boilerplate removed and every removal recorded with its rule.
//!
//! Pure logic takes data and returns data ([`Normaliser::normalise`]); [`run`] is the only
//! part that touches the corpus, and it works incrementally: an article is normalised again
//! only when its raw body or the normaliser (code or rules) changed.

pub mod boilerplate;
pub mod files;
pub mod html;
pub mod segment;
pub mod text;

use std::path::PathBuf;

use corpus::{
    ArticleId, ArticleMeta, Block, BlockKind, Corpus, NormalisedDoc, RawArticle, RawFormat,
    Removal, SCHEMA_VERSION, Span,
};
use serde::Deserialize;
use tracing::{debug, info, warn};

pub use boilerplate::{Draft, Rules, RulesError};

/// The `[normaliser]` section of `crosscheck.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormaliserConfig {
    /// Boilerplate rules file, relative to the config file; the shipped
    /// `config/boilerplate.toml` is built in and used when this is not set.
    #[serde(default)]
    pub rules: Option<PathBuf>,
}

/// A configured normaliser.
pub struct Normaliser {
    rules: Rules,
    stamp: String,
}

/// The result of extracting one document.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    pub removed: Vec<Removal>,
    /// What was unusual about the input (for the log).
    pub notes: Vec<String>,
}

impl Extracted {
    /// The kept text, blocks separated by blank lines.
    pub fn text(&self) -> String {
        self.blocks
            .iter()
            .map(|b| b.text.as_str())
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

impl Normaliser {
    /// A normaliser with the given rules file text.
    pub fn new(rules_toml: &str) -> Result<Normaliser, RulesError> {
        let rules = Rules::parse(rules_toml)?;
        let stamp = format!(
            "{}+{}",
            env!("CARGO_PKG_VERSION"),
            &corpus::sha256_hex(rules_toml)[..12]
        );
        Ok(Normaliser { rules, stamp })
    }

    /// A normaliser with the shipped rules.
    pub fn builtin() -> Normaliser {
        Normaliser::new(boilerplate::DEFAULT_RULES).expect("the shipped rules are valid")
    }

    /// The version stamp recorded in every document this normaliser makes.
    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// Extracts the main text of an HTML page. A page the default [`html::Limits`] refuse
    /// gives no blocks and one removal that says why.
    pub fn extract_html(&self, html: &str) -> Extracted {
        self.try_extract_html(html, &html::Limits::default())
            .unwrap_or_else(|e| Extracted {
                meta: ArticleMeta::default(),
                blocks: Vec::new(),
                removed: vec![Removal {
                    rule: "html-refused".into(),
                    text: e.to_string(),
                }],
                notes: vec![e.to_string()],
            })
    }

    /// Extracts the main text of an HTML page within the given limits: the blocks the HTML
    /// extraction found then go through the boilerplate rules.
    pub fn try_extract_html(
        &self,
        html: &str,
        limits: &html::Limits,
    ) -> Result<Extracted, html::HtmlError> {
        let page = html::extract_with(html, limits)?;
        let mut extracted = self.finish(page.drafts, page.meta);
        let mut removed = page.removed;
        removed.append(&mut extracted.removed);
        extracted.removed = removed;
        extracted.notes = page.notes;
        Ok(extracted)
    }

    /// Splits plain text into blocks and removes its boilerplate.
    pub fn extract_text(&self, text: &str) -> Extracted {
        self.finish(text_blocks(text), ArticleMeta::default())
    }

    fn finish(&self, drafts: Vec<Draft>, meta: ArticleMeta) -> Extracted {
        let (kept, removed) = self.rules.apply(drafts);
        let blocks = kept.into_iter().map(make_block).collect();
        Extracted {
            meta,
            blocks,
            removed,
            notes: Vec::new(),
        }
    }

    /// Normalises one raw article.
    pub fn normalise(&self, raw: &RawArticle) -> NormalisedDoc {
        let mut extracted = match raw.format {
            RawFormat::Html => self.extract_html(&raw.body),
            RawFormat::Text => self.extract_text(&raw.body),
        };
        for note in &extracted.notes {
            warn!(id = %raw.id, "{note}");
        }
        // What the fetcher or importer knew comes first; the page fills the gaps.
        let mut meta = raw.meta.clone();
        meta.fill_from(&extracted.meta);
        if meta.title.is_none() {
            meta.title = extracted
                .blocks
                .iter()
                .find(|b| b.kind == BlockKind::Title)
                .map(|b| b.text.clone());
        }
        let text = extracted.text();
        NormalisedDoc {
            schema: SCHEMA_VERSION,
            id: raw.id.clone(),
            input_sha256: raw.body_sha256.clone(),
            normaliser: self.stamp.clone(),
            meta,
            blocks: std::mem::take(&mut extracted.blocks),
            removed: std::mem::take(&mut extracted.removed),
            copy_group: None,
            text_sha256: corpus::sha256_hex(text),
        }
    }
}

/// Plain text to blocks: paragraphs are separated by blank lines (or, in text without blank
/// lines, by line breaks). A short first line without final punctuation is the title; other
/// short lines without it are subheadings.
pub fn text_blocks(text: &str) -> Vec<Draft> {
    let text = text.replace("\r\n", "\n");
    let has_blank_lines = text.split('\n').any(|l| l.trim().is_empty());
    let pieces: Vec<String> = if has_blank_lines {
        let mut pieces = Vec::new();
        let mut current = String::new();
        for line in text.split('\n') {
            if line.trim().is_empty() {
                if !current.trim().is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
            } else {
                current.push_str(line);
                current.push('\n');
            }
        }
        if !current.trim().is_empty() {
            pieces.push(current);
        }
        pieces
    } else {
        text.split('\n').map(str::to_string).collect()
    };
    pieces
        .iter()
        .map(|p| text::tidy(p))
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(|(i, t)| {
            let heading_like = t.split_whitespace().count() <= 20
                && !t.ends_with(['.', '!', '?', ':', ';', ',', '"', '\u{201D}', '…']);
            let kind = match (i, heading_like) {
                (0, true) => BlockKind::Title,
                (_, true) => BlockKind::Heading,
                _ => BlockKind::Paragraph,
            };
            Draft {
                kind,
                text: t,
                attribution: None,
            }
        })
        .collect()
}

/// A kept draft as a stored block: plain typography for matching, the source's wording for
/// quoting, sentence spans in both.
fn make_block(draft: Draft) -> Block {
    let original = draft.text;
    let original_sentences = segment::sentences(&original);
    let mut plain = String::with_capacity(original.len());
    let mut sentences = Vec::with_capacity(original_sentences.len());
    let mut last = 0usize;
    for s in &original_sentences {
        plain.push_str(&text::plain_typography(&original[last..s.start as usize]));
        let start = plain.len();
        plain.push_str(&text::plain_typography(s.slice(&original)));
        sentences.push(Span {
            start: start as u32,
            end: plain.len() as u32,
        });
        last = s.end as usize;
    }
    plain.push_str(&text::plain_typography(&original[last..]));
    let same = plain == original;
    Block {
        kind: draft.kind,
        text: plain,
        original: (!same).then_some(original),
        sentences,
        original_sentences: if same { Vec::new() } else { original_sentences },
        attribution: draft.attribution,
    }
}

/// What a corpus run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub normalised: usize,
    pub unchanged: usize,
    pub removed_stale: usize,
    pub failed: usize,
}

/// Normalises every raw article that is new or changed (or was made by another normaliser
/// version), and removes derived records of articles no longer in the corpus.
pub fn run(corpus: &Corpus, normaliser: &Normaliser) -> Result<RunSummary, corpus::CorpusError> {
    let mut summary = RunSummary::default();
    let ids = corpus.raw_ids()?;
    for id in &ids {
        match normalise_one(corpus, normaliser, id) {
            Ok(true) => summary.normalised += 1,
            Ok(false) => summary.unchanged += 1,
            Err(e) => {
                warn!(id = %id, error = %e, "skipping article");
                summary.failed += 1;
            }
        }
    }
    for id in corpus.normalised_ids()? {
        if ids.binary_search(&id).is_err() {
            corpus.remove_derived(&id)?;
            info!(id = %id, "removed derived records of an article no longer in the corpus");
            summary.removed_stale += 1;
        }
    }
    Ok(summary)
}

fn normalise_one(
    corpus: &Corpus,
    normaliser: &Normaliser,
    id: &ArticleId,
) -> Result<bool, corpus::CorpusError> {
    let raw = corpus.read_raw(id)?;
    match corpus.read_normalised(id) {
        Ok(Some(doc))
            if doc.input_sha256 == raw.body_sha256 && doc.normaliser == normaliser.stamp =>
        {
            debug!(id = %id, "unchanged");
            return Ok(false);
        }
        Ok(_) => {}
        Err(e) => warn!(id = %id, error = %e, "normalised record unreadable; making it again"),
    }
    let doc = normaliser.normalise(&raw);
    let outcome = corpus.write_normalised(&doc)?;
    info!(id = %id, blocks = doc.blocks.len(), removed = doc.removed.len(), "normalised");
    Ok(outcome.changed())
}
