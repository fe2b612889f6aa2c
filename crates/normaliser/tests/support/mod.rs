//! Helpers shared by the normaliser's data-driven tests.

use std::path::Path;

/// Compares `actual` with the expectation file at `path`; with `UPDATE_EXPECT` set in the
/// environment, rewrites the file instead (review the diff before committing). A difference
/// is returned as a message for the test's list of failures.
pub fn check_expected(path: &Path, actual: &str) -> Option<String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, actual)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        return None;
    }
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    (actual != expected).then(|| {
        format!(
            "== {}\n-- expected:\n{expected}\n-- actual:\n{actual}",
            path.display()
        )
    })
}
