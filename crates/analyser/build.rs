//! Hashes of the sources that shape what the analyser stores (see `build/code_stamp.rs`):
//! `ANALYSER_CLAIMS_CODE` for the claims records (every source but the binary's plumbing, the
//! test helpers and the event grouping, comparison and report code), `ANALYSER_REPORT_CODE`
//! for the report (every source but the plumbing and the test helpers, templates included).
//! A new source file counts for both until it is listed here.

#[path = "../../build/code_stamp.rs"]
mod code_stamp;

/// Not in any stamp: they shape nothing stored.
fn plumbing(p: &str) -> bool {
    matches!(p, "main.rs" | "quality.rs" | "fixtures.rs") || p.ends_with("tests.rs")
}

/// In the report's stamp only: grouping, comparison, rendering and the index layout.
fn report_side(p: &str) -> bool {
    matches!(p, "events.rs" | "state.rs" | "rows.rs")
        || p.starts_with("events/")
        || p.starts_with("compare/")
        || p.starts_with("report/")
}

fn main() {
    let (manifest, workspace, common, mut watch) = code_stamp::common();
    let src = manifest.join("src");
    let mut claims = common.clone();
    claims.extend(code_stamp::files(&src, &|p| plumbing(p) || report_side(p)));
    let mut report = common;
    report.extend(code_stamp::files(&src, &plumbing));
    watch.push(src);
    code_stamp::emit("ANALYSER_CLAIMS_CODE", &workspace, &claims, &[]);
    code_stamp::emit("ANALYSER_REPORT_CODE", &workspace, &report, &watch);
}
