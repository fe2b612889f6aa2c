//! `normaliser explain ID`: an article's kept text in reading order, with every removed
//! block and every piece cut from a kept block shown where it was, with the rule that
//! removed it; and the article's copy group.
//!
//! [`load`] gathers what is shown (the stored record when it is current, otherwise the
//! article normalised now); [`render`] is pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use corpus::{ArticleId, BlockKind, Corpus, CorpusError, NormalisedDoc, Removal};

use crate::run::{ArticleEntry, NormaliserState, STATE_NAME};
use crate::{Normaliser, Place};

/// What `explain` shows about one article.
#[derive(Debug, Clone)]
pub struct Explained {
    pub doc: NormalisedDoc,
    /// Whether `doc` is the stored record (current for the raw article and the rules); when
    /// not, it was normalised now and is not yet stored.
    pub stored: bool,
    /// The other articles in its copy group.
    pub copies: Vec<ArticleId>,
    /// Where each of `doc.removed` was among the kept blocks (see
    /// [`Normaliser::removal_places`]); empty when unknown.
    pub places: Vec<Option<Place>>,
    /// Which way the HTML extraction found the text, and why; `None` for plain text.
    pub path: Option<crate::html::Path>,
}

/// What to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Only the removals, without the kept text.
    pub removed_only: bool,
}

/// Gathers the explanation of one article: its stored record when that is current, else the
/// article normalised now with `normaliser`.
pub fn load(
    corpus: &Corpus,
    normaliser: &Normaliser,
    id: &ArticleId,
) -> Result<Explained, CorpusError> {
    let raw = corpus.read_raw(id)?;
    let stored = match corpus.read_normalised(id) {
        Ok(Some(doc))
            if doc.input_sha256 == raw.body_sha256 && doc.normaliser == normaliser.stamp() =>
        {
            Some(doc)
        }
        _ => None,
    };
    let copies = match stored.as_ref().and_then(|d| d.copy_group.clone()) {
        None => Vec::new(),
        Some(group) => stored_entries(corpus)
            .into_iter()
            .filter(|(other, e)| other != id && e.copy_group.as_deref() == Some(&group))
            .map(|(other, _)| other)
            .collect(),
    };
    let places = normaliser.removal_places(&raw);
    let path = normaliser.extraction_path(&raw);
    Ok(match stored {
        Some(doc) => Explained {
            doc,
            stored: true,
            copies,
            places,
            path: path.clone(),
        },
        None => Explained {
            doc: normaliser.normalise(&raw),
            stored: false,
            copies,
            places,
            path,
        },
    })
}

/// The explanation as text.
pub fn render(explained: &Explained, options: Options) -> String {
    let doc = &explained.doc;
    let mut out = String::new();
    let title = doc.meta.title.as_deref().unwrap_or("(no title)");
    let _ = writeln!(out, "# {}: {}", doc.id, printable(title));
    let published = doc
        .meta
        .published
        .map_or_else(|| "unknown".to_string(), |p| p.to_string());
    let _ = writeln!(out, "published: {published}");
    let group = match &doc.copy_group {
        None => "none".to_string(),
        Some(g) if explained.copies.is_empty() => g.clone(),
        Some(g) => format!(
            "{g} (with {})",
            explained
                .copies
                .iter()
                .map(ArticleId::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(out, "copy group: {group}");
    let record = if explained.stored {
        format!("stored, normaliser {}", doc.normaliser)
    } else {
        format!(
            "not stored yet: normalised now with normaliser {}",
            doc.normaliser
        )
    };
    let _ = writeln!(out, "record: {record}");
    if let Some(path) = &explained.path {
        let _ = writeln!(out, "text from: {} ({})", path.name(), path.why());
    }
    let kept_chars: usize = doc.blocks.iter().map(|b| b.text.chars().count()).sum();
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &doc.removed {
        *by_rule.entry(r.rule.as_str()).or_default() += 1;
    }
    let rules = by_rule
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        out,
        "kept: {} blocks, {kept_chars} characters; removed: {} pieces{}",
        doc.blocks.len(),
        doc.removed.len(),
        if rules.is_empty() {
            String::new()
        } else {
            format!(" ({rules})")
        }
    );
    let _ = writeln!(
        out,
        "\n'=' a kept block, '-' a removed block, '  -' a piece cut from the kept block above\n"
    );

    // Each removal goes before the kept block that follows it, or under the block it was
    // cut from; removals without a place (older records) come last.
    let end = doc.blocks.len();
    // Places that do not line up with the removals (a record made by other rules) are not
    // trusted: everything is then listed after the text.
    let places = if explained.places.len() == doc.removed.len() {
        explained.places.clone()
    } else {
        vec![None; doc.removed.len()]
    };
    let mut before: BTreeMap<usize, Vec<&Removal>> = BTreeMap::new();
    let mut under: BTreeMap<usize, Vec<&Removal>> = BTreeMap::new();
    let mut after_last = Vec::new();
    let mut unplaced = Vec::new();
    for (r, place) in doc.removed.iter().zip(places) {
        match place {
            Some(Place { at, within: true }) if at < end => under.entry(at).or_default().push(r),
            Some(Place { at, .. }) if at < end => before.entry(at).or_default().push(r),
            Some(_) => after_last.push(r),
            None => unplaced.push(r),
        }
    }
    for (index, block) in doc.blocks.iter().enumerate() {
        for r in before.get(&index).into_iter().flatten() {
            write_removal(&mut out, r, "");
        }
        if !options.removed_only {
            let _ = writeln!(
                out,
                "= {}: {}",
                kind_name(block.kind),
                printable(block.original_text())
            );
        }
        for r in under.get(&index).into_iter().flatten() {
            write_removal(&mut out, r, "  ");
        }
    }
    for r in after_last {
        write_removal(&mut out, r, "");
    }
    if !unplaced.is_empty() {
        let _ = writeln!(
            out,
            "\nremoved before the rules ran (HTML extraction), or in a record made by other rules:"
        );
        for r in unplaced {
            write_removal(&mut out, r, "");
        }
    }
    out
}

fn write_removal(out: &mut String, removal: &Removal, indent: &str) {
    let _ = writeln!(
        out,
        "{indent}- {}: {}",
        removal.rule,
        printable(&removal.text)
    );
}

fn kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Title => "title",
        BlockKind::Standfirst => "standfirst",
        BlockKind::Heading => "heading",
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem => "list item",
        BlockKind::Quote => "quote",
        BlockKind::TableRow => "table row",
        BlockKind::Embed => "embed",
    }
}

/// Scraped text on a terminal: control characters (escape sequences) and line breaks are
/// shown as visible marks, never sent as they are.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

/// The normaliser's article entries: from the store, or from the state file of a corpus
/// made before it (none when neither can be read). Reading creates nothing.
fn stored_entries(corpus: &Corpus) -> Vec<(ArticleId, ArticleEntry)> {
    if corpus.has_store() {
        return corpus
            .store()
            .and_then(|store| store.all::<ArticleEntry>(corpus::Table::Normaliser))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(id, e)| Some((ArticleId::new(&id).ok()?, e)))
            .collect();
    }
    corpus
        .read_state::<NormaliserState>(STATE_NAME)
        .ok()
        .flatten()
        .map(|state| state.articles.into_iter().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use corpus::{ArticleMeta, Block, SCHEMA_VERSION};

    use super::*;

    fn block(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            text: text.into(),
            original: None,
            sentences: Vec::new(),
            original_sentences: Vec::new(),
            attribution: None,
        }
    }

    fn removal(rule: &str, text: &str) -> Removal {
        Removal {
            rule: rule.into(),
            text: text.into(),
        }
    }

    #[test]
    fn removals_show_where_they_were_and_unplaced_ones_last() {
        let doc = NormalisedDoc {
            schema: SCHEMA_VERSION,
            id: ArticleId::new("a1").unwrap(),
            input_sha256: String::new(),
            normaliser: "test".into(),
            meta: ArticleMeta {
                title: Some("Quake hits\u{1B}[2J coast".into()),
                ..ArticleMeta::default()
            },
            blocks: vec![
                block(BlockKind::Title, "Quake hits coast"),
                block(BlockKind::Paragraph, "Ten people died."),
            ],
            removed: vec![
                removal("html-share", "Share"),
                removal("byline", "By Jane Doe"),
                removal("embed-link", "pic.twitter.com/x"),
                removal("advertisement", "Advertisement"),
            ],
            copy_group: Some("a0".into()),
            text_sha256: String::new(),
        };
        let place = |at, within| Some(Place { at, within });
        let explained = Explained {
            doc,
            stored: true,
            copies: vec![ArticleId::new("a0").unwrap()],
            places: vec![None, place(1, false), place(1, true), place(2, false)],
            path: None,
        };
        let text = render(&explained, Options::default());
        let body: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with("= title"))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            body,
            [
                "= title: Quake hits coast",
                "- byline: By Jane Doe",
                "= paragraph: Ten people died.",
                "  - embed-link: pic.twitter.com/x",
                "- advertisement: Advertisement",
                "removed before the rules ran (HTML extraction), or in a record made by other rules:",
                "- html-share: Share",
            ]
        );
        assert!(text.contains("copy group: a0 (with a0)"));
        assert!(
            !text.contains('\u{1B}'),
            "a control character reached the terminal"
        );
    }
}
