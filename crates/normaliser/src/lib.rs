//! The normaliser: turns each raw article (HTML or text) into its main text, in blocks with
//! sentence boundaries, with boilerplate removed and every removal recorded with its rule.
//!
//! Pure logic takes data and returns data ([`Normaliser::normalise`]); [`run`] is the only
//! part that touches the corpus, and it works incrementally: an article is normalised again
//! only when its raw body or the normaliser (code or rules) changed.

pub mod boilerplate;
pub mod copies;
pub mod explain;
pub mod files;
pub mod html;
pub mod paragraphs;
pub mod run;
pub mod segment;
pub mod stream;
pub mod text;

use std::path::PathBuf;

use corpus::{
    ArticleMeta, Block, BlockKind, NormalisedDoc, RawArticle, RawFormat, Removal, SCHEMA_VERSION,
    Span,
};
use serde::Deserialize;
use tracing::warn;

pub use boilerplate::{Draft, Place, Rules, RulesError};
pub use paragraphs::text_blocks;
pub use run::{RunSummary, run};
pub use segment::{AbbreviationsError, Segmenter};

/// The `[normaliser]` section of `crosscheck.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormaliserConfig {
    /// Boilerplate rules file, relative to the config file; the shipped
    /// `config/boilerplate.toml` is built in and used when this is not set.
    #[serde(default)]
    pub rules: Option<PathBuf>,
    /// Abbreviations file for sentence segmentation, relative to the config file; the
    /// shipped `config/abbreviations.toml` is built in and used when this is not set.
    #[serde(default)]
    pub abbreviations: Option<PathBuf>,
}

/// A configured normaliser.
pub struct Normaliser {
    rules: Rules,
    segmenter: Segmenter,
    /// Fingerprints of the rules and abbreviations texts, for the stamp.
    rules_sha: String,
    abbreviations_sha: String,
    /// [`CODE`], unless a test stands in another.
    code: String,
    stamp: String,
}

/// A hash of the sources that shape the normalised records (this crate's, the stored types',
/// `Cargo.lock`), made by `build.rs`: a release whose extraction changed re-derives them.
pub const CODE: &str = env!("NORMALISER_CODE");

/// The rule named by the one removal of a page the HTML limits refused (too large, too
/// deep): its record has no text.
pub const REFUSED_RULE: &str = "html-refused";

/// Why a normalised record has no text because its page was refused, if it was.
pub fn refusal(doc: &NormalisedDoc) -> Option<&str> {
    match doc.removed.as_slice() {
        [only] if doc.blocks.is_empty() && only.rule == REFUSED_RULE => Some(&only.text),
        _ => None,
    }
}

/// The result of extracting one document.
#[derive(Debug, Clone)]
pub struct Extracted {
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    pub removed: Vec<Removal>,
    /// What was unusual about the input (for the log).
    pub notes: Vec<String>,
    /// Which way the HTML extraction found the text, and why; `None` for plain text and
    /// for pages refused.
    pub path: Option<html::Path>,
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
        let mut normaliser = Normaliser {
            rules,
            segmenter: Segmenter::builtin(),
            rules_sha: corpus::sha256_hex(rules_toml),
            abbreviations_sha: corpus::sha256_hex(segment::DEFAULT_ABBREVIATIONS),
            code: CODE.to_string(),
            stamp: String::new(),
        };
        normaliser.restamp();
        Ok(normaliser)
    }

    /// The same normaliser with another abbreviations file for sentence segmentation.
    pub fn with_abbreviations(
        mut self,
        abbreviations_toml: &str,
    ) -> Result<Normaliser, AbbreviationsError> {
        self.segmenter = Segmenter::parse(abbreviations_toml)?;
        self.abbreviations_sha = corpus::sha256_hex(abbreviations_toml);
        self.restamp();
        Ok(self)
    }

    /// The stamp names the version and a fingerprint of the code that shapes the records
    /// ([`CODE`]), the rules and the abbreviations, so that a change to any of them
    /// normalises every article again.
    fn restamp(&mut self) {
        let fingerprint = corpus::sha256_hex(format!(
            "{}\n{}\n{}",
            self.code, self.rules_sha, self.abbreviations_sha
        ));
        self.stamp = format!("{}+{}", env!("CARGO_PKG_VERSION"), &fingerprint[..12]);
    }

    /// The same normaliser, stamped as if built from other sources (`code` stands for
    /// [`CODE`]): for tests of what a new release re-derives.
    pub fn with_code(mut self, code: &str) -> Normaliser {
        self.code = code.to_string();
        self.restamp();
        self
    }

    /// The boilerplate rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The sentence splitter.
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
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
            .unwrap_or_else(|e| refused(&e))
    }

    /// Extracts a stored page read as the fetcher read it: with the address it was fetched
    /// from and the time it was fetched (which bounds the dates believed), so that both find
    /// the same metadata.
    fn extract_fetched_html(&self, raw: &RawArticle) -> Extracted {
        let url = match &raw.origin {
            corpus::Origin::Fetch { url, final_url, .. } => {
                url::Url::parse(final_url.as_deref().unwrap_or(url)).ok()
            }
            corpus::Origin::Import { .. } => None,
        };
        let cx = page::meta::Context {
            url: url.as_ref(),
            content_language: None,
            now: raw.retrieved_at,
        };
        let limits = html::Limits::default();
        html::extract_in(&raw.body, &limits, &cx)
            .map(|page| self.finish_page(page))
            .unwrap_or_else(|e| refused(&e))
    }

    /// Extracts the main text of an HTML page within the given limits: the blocks the HTML
    /// extraction found then go through the boilerplate rules.
    pub fn try_extract_html(
        &self,
        html: &str,
        limits: &html::Limits,
    ) -> Result<Extracted, html::HtmlError> {
        Ok(self.finish_page(html::extract_with(html, limits)?))
    }

    /// The boilerplate rules applied to what the HTML extraction found in a page; when they
    /// leave next to nothing, the page's description is added (see [`html::description`]).
    pub fn finish_page(&self, page: html::Page) -> Extracted {
        let description = html::description(&page.meta);
        let mut extracted = self.finish(page.drafts, page.meta);
        let mut removed = page.removed;
        removed.append(&mut extracted.removed);
        extracted.removed = removed;
        extracted.notes = page.notes;
        extracted.path = Some(page.path);
        let words = extracted
            .blocks
            .iter()
            .filter(|b| b.kind != BlockKind::Title);
        if let Some(description) = description
            && near_empty(words.map(|b| b.text.as_str()))
        {
            let more = self.finish(
                vec![Draft::new(BlockKind::Paragraph, description.clone())],
                ArticleMeta::default(),
            );
            extracted.blocks.extend(more.blocks);
            extracted.removed.extend(more.removed);
            extracted.path = extracted
                .path
                .map(|previous| html::described(&previous, &description));
        }
        extracted
    }

    /// The blocks [`Normaliser::finish_page`] keeps, each as its kind and its wording as the
    /// source wrote it ([`Block::original_text`]), without the sentence spans: for output of
    /// the text alone, which need not pay for segmenting every kept block.
    pub fn finish_page_text(&self, page: html::Page) -> Vec<(BlockKind, String)> {
        let description = html::description(&page.meta);
        let (mut kept, _) = self.rules.apply(page.drafts, &self.segmenter);
        let words = kept.iter().filter(|d| d.kind != BlockKind::Title);
        if let Some(description) = description
            && near_empty(words.map(|d| d.text.as_str()))
        {
            let draft = Draft::new(BlockKind::Paragraph, description);
            kept.extend(self.rules.apply(vec![draft], &self.segmenter).0);
        }
        kept.into_iter().map(|d| (d.kind, d.text)).collect()
    }

    /// Splits plain text into blocks and removes its boilerplate.
    pub fn extract_text(&self, text: &str) -> Extracted {
        self.finish(text_blocks(text), ArticleMeta::default())
    }

    fn finish(&self, drafts: Vec<Draft>, meta: ArticleMeta) -> Extracted {
        let (kept, removed) = self.rules.apply(drafts, &self.segmenter);
        let blocks = kept
            .into_iter()
            .map(|d| make_block(d, &self.segmenter))
            .collect();
        Extracted {
            meta,
            blocks,
            removed,
            notes: Vec::new(),
            path: None,
        }
    }

    /// Where each removal of [`Normaliser::normalise`] was among the kept blocks, in the
    /// order of `removed`: `None` for what the HTML extraction removed before the rules ran
    /// (it has no place among the blocks). Works the article out again; for `explain`.
    pub fn removal_places(&self, raw: &RawArticle) -> Vec<Option<Place>> {
        let (drafts, unplaced) = match raw.format {
            RawFormat::Html => match html::extract_with(&raw.body, &html::Limits::default()) {
                Ok(page) => (page.drafts, page.removed.len()),
                Err(_) => return vec![None],
            },
            RawFormat::Text => (text_blocks(&raw.body), 0),
        };
        let (_, placed) = self.rules.apply_placed(drafts, &self.segmenter);
        std::iter::repeat_n(None, unplaced)
            .chain(placed.into_iter().map(|(_, place)| Some(place)))
            .collect()
    }

    /// Which way the HTML extraction found the article's text, and why (see
    /// [`html::Path`]); `None` for plain text and for pages refused. Works the article out
    /// again; for `explain`.
    pub fn extraction_path(&self, raw: &RawArticle) -> Option<html::Path> {
        match raw.format {
            RawFormat::Html => html::extract_with(&raw.body, &html::Limits::default())
                .ok()
                .and_then(|page| self.finish_page(page).path),
            RawFormat::Text => None,
        }
    }

    /// Normalises one raw article.
    pub fn normalise(&self, raw: &RawArticle) -> NormalisedDoc {
        let mut extracted = match raw.format {
            RawFormat::Html => self.extract_fetched_html(raw),
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

/// What a refused page gives: no blocks, and one removal that says why.
/// Kept text of fewer words than this is next to nothing (a line or two of the page's frame).
const NEAR_EMPTY_WORDS: usize = 5;

/// Whether the texts hold fewer than [`NEAR_EMPTY_WORDS`] words.
fn near_empty<'a>(texts: impl Iterator<Item = &'a str>) -> bool {
    let mut words = 0;
    for text in texts {
        words += text::word_count(text);
        if words >= NEAR_EMPTY_WORDS {
            return false;
        }
    }
    true
}

fn refused(e: &html::HtmlError) -> Extracted {
    Extracted {
        meta: ArticleMeta::default(),
        blocks: Vec::new(),
        removed: vec![Removal {
            rule: REFUSED_RULE.into(),
            text: e.to_string(),
        }],
        notes: vec![e.to_string()],
        path: None,
    }
}

/// A kept draft as a stored block: plain typography for matching, the source's wording for
/// quoting, sentence spans in both.
fn make_block(draft: Draft, segmenter: &Segmenter) -> Block {
    let original = draft.text;
    let original_sentences = segmenter.sentences(&original);
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
