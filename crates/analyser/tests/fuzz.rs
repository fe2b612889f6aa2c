//! Property tests of the number reader and the claims scanner (issue 14, H): any sentence,
//! however odd, is read without a panic, in bounded time, and what is read keeps its own rules
//! (numbers within the sentence's tokens; each claim quoting text of its article). `just test`
//! tries a few cases; `just fuzz` many more.

#[path = "../../../build/fuzz_support.rs"]
mod fuzz_support;

use std::sync::LazyLock;

use analyser::Analyser;
use corpus::{ArticleId, Origin, RawArticle, RawFormat};
use fuzz_support::{config, timed};
use normaliser::Normaliser;
use proptest::prelude::*;

static ANALYSER: LazyLock<Analyser> = LazyLock::new(Analyser::builtin);
static NORMALISER: LazyLock<Normaliser> = LazyLock::new(Normaliser::builtin);

/// Words of news sentences about counts, with numbers written every way.
fn sentence() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "at least",
            "more than",
            "about",
            "some",
            "dozens of",
            "hundreds",
            "people",
            "were",
            "killed",
            "injured",
            "missing",
            "arrested",
            "evacuated",
            "drones",
            "missiles",
            "launched",
            "intercepted",
            "said",
            "officials",
            "police",
            "according to",
            "the",
            "in",
            "on",
            "Monday",
            "March",
            "2024",
            "twenty-one",
            "a hundred",
            "1,000",
            "1.5",
            "million",
            "12",
            "-",
            "–",
            "(",
            ")",
            ",",
            ".",
            "\"",
            "’s",
            "9-year-old",
            "100-plus",
            "three",
            "and",
            "of",
            "whom",
            "toll",
            "rose",
            "to",
            "killing",
            "by",
            "Russia",
            "Ukraine",
            "denied",
            "blamed",
        ])
        .prop_map(str::to_string),
        "[0-9]{1,20}",
        "[0-9]{1,3}(,[0-9]{3}){0,6}",
        "[A-Za-z]{1,10}",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.join(" "))
}

fn article(text: &str) -> RawArticle {
    RawArticle::new(
        ArticleId::new("fuzz").unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: "fuzz.txt".into(),
        },
        text.to_string(),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_sentence_gives_numbers_within_it(text in sentence()) {
        let tokens = analyser::text::tokenize(&text);
        // (the lexicon is loaded before the clock starts: the bound is on reading, not loading)
        let lexicon = ANALYSER.lexicon();
        let numbers = timed("numbers", || analyser::numbers::numbers(&tokens, lexicon));
        for n in numbers {
            prop_assert!(n.start <= n.end && n.end <= tokens.len(), "{}..{} of {}", n.start, n.end, tokens.len());
        }
    }

    #[test]
    fn any_article_gives_claims_quoting_it(sentences in prop::collection::vec(sentence(), 1..8)) {
        let doc = NORMALISER.normalise(&article(&sentences.join(".\n\n")));
        let analyser = &*ANALYSER;
        let claims = timed("claims", || analyser.analyse(&doc));
        // the text as matched (plain typography) and as written (what quotes keep)
        let mut text = doc.text();
        for block in &doc.blocks {
            text.push('\n');
            text.push_str(block.original.as_deref().unwrap_or_default());
        }
        for claim in &claims.claims {
            let first = claim.quote.split_whitespace().next().unwrap_or("");
            prop_assert!(text.contains(first), "{:?} not in {text:?}", claim.quote);
        }
    }
}
