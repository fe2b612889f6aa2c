//! The words of `config/page.toml`: meta keys and the marks of dates and bylines.

use std::sync::LazyLock;

use serde::Deserialize;

/// The shipped words.
pub const DEFAULT_PAGE_WORDS: &str = include_str!("../../../config/page.toml");

#[derive(Debug, Deserialize)]
pub struct PageWords {
    pub meta: MetaKeys,
    pub marks: Marks,
    pub authors: AuthorWords,
}

/// The words of bylines.
#[derive(Debug, Deserialize)]
pub struct AuthorWords {
    pub leads: Vec<String>,
    pub by: Vec<String>,
    pub and: Vec<String>,
}

/// Keys of `<meta>` tags, by what they give, in order of trust.
#[derive(Debug, Deserialize)]
pub struct MetaKeys {
    pub published: Vec<String>,
    pub modified: Vec<String>,
    pub title: Vec<String>,
    pub authors: Vec<String>,
    pub site: Vec<String>,
    pub description: Vec<String>,
    pub language: Vec<String>,
    pub url: Vec<String>,
    pub image: Vec<String>,
}

/// Parts of class, id and itemprop values that mark an element.
#[derive(Debug, Deserialize)]
pub struct Marks {
    pub date: Vec<String>,
    pub date_tags: Vec<String>,
    pub modified: Vec<String>,
    pub byline: Vec<String>,
}

impl PageWords {
    pub fn parse(text: &str) -> Result<PageWords, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

/// The shipped words, read once.
pub static PAGE_WORDS: LazyLock<PageWords> =
    LazyLock::new(|| PageWords::parse(DEFAULT_PAGE_WORDS).expect("config/page.toml is valid"));
