//! A page parsed for reading: made lean first ([`crate::lean`]: no script bodies but JSON-LD,
//! no comments, no attributes nobody reads, nesting cut), then parsed by html5ever (through
//! `scraper`). The fetcher and the normaliser both parse pages this way, so that the
//! metadata read from the tree is the same for both.

use scraper::Html;

/// Elements nested deeper than this are flattened before parsing (browsers build trees no
/// deeper than a few hundred levels; real pages stay under about 60).
pub const DEFAULT_MAX_DEPTH: usize = 512;

/// A parsed page.
pub struct Document {
    pub tree: Html,
    /// The deepest nesting in the page as it came (above the limit, it was flattened).
    pub max_depth: usize,
}

/// Parses a page, nesting cut at `max_depth`.
pub fn parse(html: &str, max_depth: usize) -> Document {
    let lean = crate::lean::lean(html, max_depth);
    Document {
        tree: Html::parse_document(&lean.html),
        max_depth: lean.max_depth,
    }
}
