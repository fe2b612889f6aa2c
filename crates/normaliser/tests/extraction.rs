//! Extraction cases as data: each folder of `tests/data/extraction` holds a page
//! (`input.html`, in any charset) and the text `normaliser extract` must give for it
//! (`expected.txt`); where it matters, also what the HTML extraction must remove, one
//! `rule: text` line per removal (`removed.txt`), and which way the text was found
//! (`path.txt`: `markup`, `scoring-without-layout-names`, `largest-prose-container`,
//! `json-ld-article-body`, `hidden-text-shown`, `noscript-read`, `links-kept`, `page-description`). `UPDATE_EXPECT=1 cargo test -p normaliser
//! --test extraction` rewrites the expectations after a deliberate change; review the diff
//! before committing.

mod support;

use std::path::{Path, PathBuf};

use normaliser::{Normaliser, files, html};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/extraction");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.html").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_case_extracts_as_expected() {
    let normaliser = Normaliser::builtin();
    let cases = cases();
    assert!(cases.len() >= 10, "the extraction cases are missing");
    let mut failures = Vec::new();
    for case in &cases {
        let input = case.join("input.html");
        let (extracted, _) = files::extract_file(&normaliser, &input, &html::Limits::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let actual = files::render(&input, &extracted, "", files::Format::Text);
        let mut checks = vec![(case.join("expected.txt"), actual)];
        let removed_path = case.join("removed.txt");
        if removed_path.exists() {
            let removed: String = extracted
                .removed
                .iter()
                .filter(|r| r.rule.starts_with("html-"))
                .map(|r| format!("{}: {}\n", r.rule, r.text))
                .collect();
            checks.push((removed_path, removed));
        }
        let path_file = case.join("path.txt");
        if path_file.exists() {
            let name = extracted.path.as_ref().map_or("none", |p| p.name());
            checks.push((path_file, format!("{name}\n")));
        }
        for (path, actual) in checks {
            failures.extend(support::check_expected(&path, &actual));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_text_alone_is_the_wording_of_the_blocks() {
    let normaliser = Normaliser::builtin();
    for case in cases() {
        let bytes = std::fs::read(case.join("input.html")).unwrap();
        let decoded = html::decode(bytes).unwrap();
        let page = html::extract(&decoded.text).unwrap();
        let blocks: Vec<_> = normaliser
            .finish_page(page.clone())
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.original_text().to_string()))
            .collect();
        assert_eq!(
            normaliser.finish_page_text(page),
            blocks,
            "{}",
            case.display()
        );
    }
}

#[test]
fn a_page_nested_100000_deep_is_flattened_not_fatal() {
    let page = format!(
        "<html><body>{}<p>The text at the bottom of a very deep page survives.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let extracted = Normaliser::builtin()
        .try_extract_html(&page, &html::Limits::default())
        .expect("a deep page is handled");
    assert!(
        files::body_text(&extracted)
            .contains("The text at the bottom of a very deep page survives.")
    );
    assert!(extracted.notes.iter().any(|n| n.contains("100000 deep")));
}

#[test]
fn a_page_over_the_size_limit_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.html");
    // A sparse 200 MB file: refused from its size, never read.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(200 * 1024 * 1024)
        .unwrap();
    let err = files::extract_file(&Normaliser::builtin(), &path, &html::Limits::default())
        .expect_err("over the limit");
    let message = err.to_string();
    assert!(message.contains("huge.html"), "{message}");
    assert!(message.contains("page size limit"), "{message}");
}

#[test]
fn a_binary_file_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.html");
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").unwrap();
    let err = files::extract_file(&Normaliser::builtin(), &path, &html::Limits::default())
        .expect_err("binary");
    assert!(err.to_string().contains("photo.html"), "{err}");
}

#[test]
fn the_size_limit_applies_to_text_already_in_memory() {
    let limits = html::Limits {
        max_bytes: 100,
        ..html::Limits::default()
    };
    let page = format!("<p>{}</p>", "word ".repeat(100));
    assert!(matches!(
        Normaliser::builtin().try_extract_html(&page, &limits),
        Err(html::HtmlError::TooLarge { .. })
    ));
    // Through the infallible entry point the refusal is recorded, not lost.
    let extracted =
        Normaliser::builtin().extract_html(&"x".repeat(html::DEFAULT_MAX_PAGE_BYTES + 1));
    assert!(extracted.blocks.is_empty());
    assert_eq!(extracted.removed[0].rule, "html-refused");
}

/// The fetcher reads a page's metadata with `page::meta::read`; the normaliser's extraction
/// must find the very same (one code path: they never disagree on a page's date).
#[test]
fn the_normaliser_reads_metadata_as_the_fetcher_does() {
    let url = url::Url::parse("https://example.com/2021/03/04/story").unwrap();
    let cx = page::meta::Context {
        url: Some(&url),
        content_language: Some("en"),
        now: "2024-01-01T00:00:00Z".parse().unwrap(),
    };
    for case in cases() {
        let bytes = std::fs::read(case.join("input.html")).unwrap();
        let text = html::decode(bytes).unwrap().text;
        let fetcher = page::meta::read(&text, &cx).meta;
        let normaliser = html::extract_in(&text, &html::Limits::default(), &cx)
            .unwrap()
            .meta;
        assert_eq!(normaliser, fetcher, "{}", case.display());
    }
}
