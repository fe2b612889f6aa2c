use std::fmt;

use serde::{Deserialize, Serialize};

/// The id of an article: its file name in the corpus. Only `[A-Za-z0-9_.-]`, 1 to 128
/// characters, not starting with a dot, so that no scraped or imported name can choose a path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArticleId(String);

const MAX_ID_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid article id {0:?}: use 1 to 128 of A-Z a-z 0-9 _ . -, not starting with a dot")]
pub struct InvalidId(pub String);

impl ArticleId {
    pub fn new(id: impl Into<String>) -> Result<Self, InvalidId> {
        let id = id.into();
        let valid = !id.is_empty()
            && id.len() <= MAX_ID_LEN
            && !id.starts_with('.')
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
        if valid {
            Ok(ArticleId(id))
        } else {
            Err(InvalidId(id))
        }
    }

    /// The id of an article known by its (canonical) URL: `u_` and 16 hex digits of its hash.
    pub fn from_url(url: &str) -> Self {
        ArticleId(format!("u_{}", &crate::sha256_hex(url)[..16]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ArticleId {
    type Error = InvalidId;
    fn try_from(s: String) -> Result<Self, InvalidId> {
        ArticleId::new(s)
    }
}

impl From<ArticleId> for String {
    fn from(id: ArticleId) -> String {
        id.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_seed_style_ids() {
        assert!(ArticleId::new("000_12e99db77f71ba2d").is_ok());
        assert!(ArticleId::new("a.b-c_D").is_ok());
    }

    #[test]
    fn refuses_names_that_could_escape_the_corpus() {
        for bad in [
            "",
            ".",
            "..",
            ".hidden",
            "a/b",
            "..\\x",
            "a b",
            "é",
            &"x".repeat(129),
        ] {
            assert!(ArticleId::new(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn url_ids_are_stable_and_valid() {
        let a = ArticleId::from_url("https://example.com/a");
        assert_eq!(a, ArticleId::from_url("https://example.com/a"));
        assert_ne!(a, ArticleId::from_url("https://example.com/b"));
        assert!(ArticleId::new(a.as_str()).is_ok());
    }
}
