//! Property tests of the HTML extractor and the sentence segmenter (issue 14, H): any input,
//! however broken, gives an answer without a panic, in bounded time, and an answer that keeps
//! its own rules (text no longer than the page, sentence spans inside the text, in order, on
//! character boundaries). `just test` tries a few cases; `just fuzz` many more.

#[path = "../../../build/fuzz_support.rs"]
mod fuzz_support;

use std::sync::LazyLock;

use fuzz_support::{config, timed};
use normaliser::{Normaliser, Segmenter};
use proptest::prelude::*;

static NORMALISER: LazyLock<Normaliser> = LazyLock::new(Normaliser::builtin);
static SEGMENTER: LazyLock<Segmenter> = LazyLock::new(Segmenter::builtin);

/// Pieces of pages: tags opened and closed out of order, attributes, comments, scripts,
/// entities, numbers and words in several scripts.
fn html_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "<p>",
            "</p>",
            "<div class=\"article-body\">",
            "</div>",
            "<article>",
            "</article>",
            "<h1>",
            "</h1>",
            "<br>",
            "<script>var a = '</p>';</script>",
            "<style>p{}</style>",
            "<!-- comment -->",
            "<!--",
            "-->",
            "<table><tr><td>",
            "</td></tr></table>",
            "<li>",
            "<nav>Home | News</nav>",
            "&amp;",
            "&nbsp;",
            "&#8212;",
            "&#x1F600;",
            "&bogus;",
            "<",
            ">",
            "<a href=\"/x\">",
            "</a>",
            "<footer>© 2024</footer>",
            "<![CDATA[x]]>",
            "\u{0}",
            "<meta property=\"og:title\" content=\"T\">",
            "<time datetime=\"2024-03-01\">",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z]{1,12}",
        "[0-9]{1,7}",
        "[\\p{Cyrillic}\\p{Arabic}\\p{Han} .,]{1,20}",
        "\\PC{0,30}",
    ]
}

fn page() -> impl Strategy<Value = String> {
    prop::collection::vec(html_piece(), 0..300).prop_map(|pieces| pieces.join(" "))
}

/// Text with sentence ends, abbreviations, quotes, numbers and odd spacing.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            ". ", "? ", "! ", "...", "Mr. ", "U.S. ", "Jan. ", "No. 5", "3.5", "\"", "“", "”", "(",
            ")", "\n", "\n\n", " ", "e.g. ", "a.m. ", "–", "…",
        ])
        .prop_map(str::to_string),
        "[A-Za-z]{1,10}",
        "[0-9]{1,5}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_page_is_extracted_in_bounded_time(html in page()) {
        let normaliser = &*NORMALISER;
        let extracted = timed("extraction", || normaliser.extract_html(&html));
        let text = extracted.text();
        prop_assert!(text.len() <= html.len() * 2 + 64, "{} bytes from {}", text.len(), html.len());
    }

    #[test]
    fn any_text_is_segmented_into_spans_inside_it(text in text()) {
        let segmenter = &*SEGMENTER;
        let spans = timed("segmentation", || segmenter.sentences(&text));
        let mut last = 0;
        for span in spans {
            let (start, end) = (span.start as usize, span.end as usize);
            prop_assert!(last <= start && start < end && end <= text.len(), "{start}..{end} after {last} in {}", text.len());
            prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            last = end;
        }
    }

    #[test]
    fn any_text_article_is_normalised(text in text()) {
        let normaliser = &*NORMALISER;
        let extracted = timed("text extraction", || normaliser.extract_text(&text));
        for block in &extracted.blocks {
            for span in &block.sentences {
                prop_assert!(span.end as usize <= block.text.len());
            }
        }
    }
}
