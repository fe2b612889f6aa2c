use serde::{Deserialize, Serialize};

use crate::{ArticleId, ArticleMeta};

/// An article's main text after extraction and boilerplate removal, in blocks, with sentence
/// boundaries, everything removed and why, and its copy group (syndicated copies share one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NormalisedDoc {
    pub schema: u32,
    pub id: ArticleId,
    /// `body_sha256` of the raw article this was made from.
    pub input_sha256: String,
    /// The normaliser's version stamp (code version and a fingerprint of its rules): a change
    /// means every document is normalised again.
    pub normaliser: String,
    pub meta: ArticleMeta,
    pub blocks: Vec<Block>,
    #[serde(default)]
    pub removed: Vec<Removal>,
    /// Articles whose text is mostly the same (wire copies) share a copy group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copy_group: Option<String>,
    /// SHA-256 of the kept text (blocks joined by blank lines): what the analyser's cache keys on.
    pub text_sha256: String,
}

impl NormalisedDoc {
    /// The kept text, blocks separated by blank lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (i, b) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push_str("\n\n");
            }
            out.push_str(&b.text);
        }
        out
    }
}

/// One block of kept text in reading order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    /// Normalised text: NFC, white space folded, typographic variants (curly quotes, dashes,
    /// non-breaking spaces) made plain.
    pub text: String,
    /// The text as the source wrote it (NFC, white space folded), when it differs from `text`;
    /// quotes are taken from here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// Sentence boundaries as byte ranges of `text`.
    #[serde(default)]
    pub sentences: Vec<Span>,
    /// The same sentences as byte ranges of `original`, when it is present.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub original_sentences: Vec<Span>,
    /// Who the block is by, when the page says so apart from the text: the author of an
    /// embedded post, the speaker of a block quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

impl Block {
    /// The source's wording of the block.
    pub fn original_text(&self) -> &str {
        self.original.as_deref().unwrap_or(&self.text)
    }

    /// Each sentence as (normalised, original) text.
    pub fn sentence_texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sentences.iter().enumerate().map(|(i, s)| {
            let norm = s.slice(&self.text);
            let orig = match (&self.original, self.original_sentences.get(i)) {
                (Some(o), Some(os)) => os.slice(o),
                _ => norm,
            };
            (norm, orig)
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    Title,
    Standfirst,
    Heading,
    Paragraph,
    ListItem,
    Quote,
    TableRow,
    Embed,
}

/// A byte range `[start, end)` of a block's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// The range's text, or "" when it does not fall on character boundaries of `s`.
    pub fn slice<'a>(&self, s: &'a str) -> &'a str {
        s.get(self.start as usize..self.end as usize).unwrap_or("")
    }
}

/// A piece of the source that was not kept, and the rule that removed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub rule: String,
    pub text: String,
}
