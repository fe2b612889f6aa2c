//! Sentence spans against the text they index, on generated articles: whatever characters
//! normalisation drops or respells (emoji with variation selectors and joiners, combining
//! marks, invisible characters, typographic quotes, dashes, ellipses, ligatures, digit-group
//! spaces), every sentence of every block is a slice of whole words of both the matching
//! text (`Block.text`) and the source's wording (`Block.original`), the two lists pair up,
//! and each plain sentence is its original made plain. Texts come from a fixed-seed
//! generator, so a failure names a seed that reproduces it.

mod support;

use corpus::{ArticleId, Block, Origin, RawArticle, RawFormat, Span};
use normaliser::{Normaliser, text};
use unicode_normalization::char::is_combining_mark;

/// A small fixed-seed generator (SplitMix64): the same seed gives the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "Russia",
    "announces",
    "the",
    "city",
    "officials",
    "said",
    "more",
    "than",
    "people",
    "were",
    "killed",
    "Ukraine",
    "strike",
    "café",
    "cafe\u{301}",
    "naïve",
    "nai\u{308}ve",
    "Zürich",
    "Zu\u{308}rich",
    "Россия",
    "заявила",
    "Київ",
    "Ελλάδα",
    "مدينة",
    "हमला",
    "地震",
    "東京",
    "Bel\u{AD}gorod",
    "zero\u{200B}width",
    "of\u{FB01}ce",
    "\u{FB00}ect",
    "U.S.",
    "Mr.",
    "No. 10",
    "6.1",
    "22,000",
    "22\u{A0}000",
    "14\u{2009}500",
    "1914\u{2013}1918",
    "rock\u{2019}n\u{2019}roll",
    "Russia\u{2019}s",
    "q\u{301}",
    "x\u{20DD}",
    "\u{200E}left",
];

const EMOJI: &[&str] = &[
    "\u{26A0}\u{FE0F}",
    "\u{2764}\u{FE0F}",
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}",
    "\u{1F1FA}\u{1F1E6}",
    "\u{1F44D}\u{1F3FD}",
    "1\u{FE0F}\u{20E3}",
    "\u{1F6A8}",
    "\u{25AA}\u{FE0F}",
    "\u{FEFF}",
];

const OPENERS: &[&str] = &["\u{201C}", "\u{2018}", "\u{AB}", "\u{201E}", "\"", "("];
const CLOSERS: &[&str] = &["\u{201D}", "\u{2019}", "\u{BB}", "\u{201C}", "\"", ")"];
const ENDS: &[&str] = &[".", "!", "?", "\u{2026}", "...", "?!", "。", "！", ".."];
/// Pieces the boilerplate rules cut from inside a block, so that spans are made after a cut.
const RESIDUE: &[&str] = &[
    "..pic.twitter.com/tXvxrBLpvb \u{2014} Chuck Callesto (@ChuckCallesto) December 30, 2023",
    " pic.twitter.com/AbC123",
    " (AP Photo/Jane Doe)",
    " Follow us on Twitter.",
    " Image source: Reuters",
    " (READ MORE: Another story)",
];
const GAPS: &[&str] = &[
    " ",
    " ",
    " ",
    "\u{A0}",
    "  ",
    " \u{2014} ",
    " \u{2013} ",
    "\u{2009}",
];

fn sentence(rng: &mut Rng) -> String {
    let mut out = String::new();
    let quoted = rng.below(5) == 0;
    if quoted {
        out.push_str(rng.pick(OPENERS));
    }
    let words = 1 + rng.below(14);
    for i in 0..words {
        if i > 0 {
            out.push_str(rng.pick(GAPS));
        }
        match rng.below(8) {
            0 => out.push_str(rng.pick(EMOJI)),
            1 => {
                out.push_str(rng.pick(WORDS));
                out.push_str(rng.pick(EMOJI));
            }
            _ => out.push_str(rng.pick(WORDS)),
        }
    }
    out.push_str(rng.pick(ENDS));
    if quoted {
        out.push_str(rng.pick(CLOSERS));
    }
    if rng.below(6) == 0 {
        out.push_str(rng.pick(EMOJI));
    }
    out
}

fn article(rng: &mut Rng) -> String {
    let blocks = 1 + rng.below(5);
    (0..blocks)
        .map(|_| {
            let sentences = 1 + rng.below(6);
            let mut block = (0..sentences)
                .map(|_| sentence(rng))
                .collect::<Vec<_>>()
                .join(rng.pick(&[" ", "  ", "\u{A0}", " \u{FE0F} "]));
            if rng.below(4) == 0 {
                block.push_str(rng.pick(RESIDUE));
            }
            block
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn as_html(body: &str) -> String {
    let paragraphs: String = body
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", escape_html(p)))
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>T</title></head>\
         <body><article>{paragraphs}</article></body></html>"
    )
}

/// Letters, digits and the marks that are part of a letter or an emoji: a span edge between
/// two of these cuts a word or a character sequence in two.
fn joins(c: char) -> bool {
    c.is_alphanumeric()
        || is_combining_mark(c)
        || matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200D}' | '\u{1F3FB}'..='\u{1F3FF}')
}

/// What is wrong with one list of spans over `text`, if anything.
fn span_faults(text: &str, spans: &[Span], what: &str) -> Vec<String> {
    let mut faults = Vec::new();
    let mut last_end = 0usize;
    for span in spans {
        let (start, end) = (span.start as usize, span.end as usize);
        let Some(slice) = text.get(start..end) else {
            faults.push(format!(
                "{what}: span {start}..{end} is not a slice of {text:?}"
            ));
            continue;
        };
        if start < last_end || slice.trim().is_empty() || slice.trim() != slice {
            faults.push(format!("{what}: span {start}..{end} = {slice:?}"));
        }
        last_end = end;
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let first = slice.chars().next();
        let last = slice.chars().next_back();
        if before.is_some_and(joins) && first.is_some_and(joins) {
            faults.push(format!(
                "{what}: sentence starts inside a word: ...{:?} | {slice:?}",
                tail(&text[..start])
            ));
        }
        if last.is_some_and(joins) && after.is_some_and(joins) {
            faults.push(format!(
                "{what}: sentence ends inside a word: {slice:?} | {:?}...",
                head(&text[end..])
            ));
        }
    }
    faults
}

fn tail(s: &str) -> &str {
    let mut at = s.len().saturating_sub(12);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[at..]
}

fn head(s: &str) -> &str {
    let mut at = s.len().min(12);
    while !s.is_char_boundary(at) {
        at += 1;
    }
    &s[..at]
}

fn block_faults(block: &Block) -> Vec<String> {
    let mut faults = span_faults(&block.text, &block.sentences, "text");
    match &block.original {
        Some(original) => {
            faults.extend(span_faults(original, &block.original_sentences, "original"));
            if block.sentences.len() != block.original_sentences.len() {
                faults.push(format!(
                    "{} plain sentences but {} original ones",
                    block.sentences.len(),
                    block.original_sentences.len()
                ));
            }
            if text::plain_typography(original) != block.text {
                faults.push(format!(
                    "the text is not its original made plain: {original:?} / {:?}",
                    block.text
                ));
            }
        }
        None => {
            if !block.original_sentences.is_empty() {
                faults.push("original sentences without an original".into());
            }
        }
    }
    for (plain, original) in block.sentence_texts() {
        if text::plain_typography(original) != plain {
            faults.push(format!(
                "sentence {plain:?} is not its original {original:?} made plain"
            ));
        }
    }
    faults
}

fn raw(id: &str, format: RawFormat, body: String) -> RawArticle {
    RawArticle::new(
        ArticleId::new(id).unwrap(),
        format,
        Origin::Import {
            file_name: format!("{id}.txt"),
        },
        body,
    )
}

#[test]
fn sentence_spans_are_whole_words_of_both_texts() {
    let normaliser = Normaliser::builtin();
    let mut failures = Vec::new();
    for seed in 0..400u64 {
        let mut rng = Rng(seed);
        let body = article(&mut rng);
        for (format, input) in [
            (RawFormat::Text, body.clone()),
            (RawFormat::Html, as_html(&body)),
        ] {
            let doc = normaliser.normalise(&raw("generated", format, input));
            for block in &doc.blocks {
                for fault in block_faults(block) {
                    failures.push(format!("seed {seed} ({format:?}): {fault}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} faults, the first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(20)].join("\n")
    );
}

/// The sentences of each kept block, as `tests/data/segmentation/spans/<case>/expected.txt`
/// has them: a line per sentence (its matching text), followed by `  original: ...` when the
/// source's wording differs, and a blank line between blocks.
fn render_sentences(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        if !out.is_empty() {
            out.push('\n');
        }
        for (plain, original) in block.sentence_texts() {
            out.push_str(plain);
            out.push('\n');
            if original != plain {
                out.push_str("  original: ");
                out.push_str(original);
                out.push('\n');
            }
        }
    }
    out
}

/// Articles whose characters normalisation drops or respells, with the sentences each block
/// must give (`input.txt`, `expected.txt`; `UPDATE_EXPECT=1` rewrites the expectations).
#[test]
fn every_span_case_splits_as_expected() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/segmentation/spans");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "the span cases are missing");
    let normaliser = Normaliser::builtin();
    let mut failures = Vec::new();
    for case in &cases {
        let input = std::fs::read_to_string(case.join("input.txt")).unwrap();
        let doc = normaliser.normalise(&raw("case", RawFormat::Text, input));
        for block in &doc.blocks {
            for fault in block_faults(block) {
                failures.push(format!("{}: {fault}", case.display()));
            }
        }
        let actual = render_sentences(&doc.blocks);
        failures.extend(support::check_expected(&case.join("expected.txt"), &actual));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
