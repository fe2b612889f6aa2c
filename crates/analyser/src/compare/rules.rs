//! The comparison's word knowledge and thresholds, loaded from `config/comparison.toml`.

use corpus::AuthorityKind;
use corpus::{NormalisedDoc, RawArticle};
use serde::Deserialize;

/// The rules shipped with crosscheck, used when the config names no other file.
pub const DEFAULT_RULES: &str = include_str!("../../../../config/comparison.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub authority: AuthorityWords,
    pub timing: TimingWords,
    pub divergence: Thresholds,
    /// Display names of outlets by host or a domain the host ends with.
    #[serde(default)]
    pub outlets: std::collections::BTreeMap<String, String>,
    /// Events the reader follows (`[[analyser.follow]]` of the config, not of this file):
    /// listed first in the report.
    #[serde(skip)]
    pub follow: Vec<crate::follow::Follow>,
    /// The phrases above split into words once, for matching.
    #[serde(skip)]
    phrases: Phrases,
    #[serde(skip)]
    fingerprint: String,
}

#[derive(Debug, Clone, Default)]
struct Phrases {
    official: Vec<Vec<String>>,
    media: Vec<Vec<String>>,
    vague: Vec<Vec<String>>,
    earlier: Vec<(Vec<String>, String)>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorityWords {
    pub official: Vec<String>,
    pub media: Vec<String>,
    pub vague: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimingWords {
    pub earlier: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub approximate_tolerance: f64,
    pub outlier_margin: f64,
}

impl Rules {
    pub fn parse(text: &str) -> Result<Rules, toml::de::Error> {
        let mut rules: Rules = toml::from_str(text)?;
        let split = |list: &[String]| list.iter().map(|p| words(p)).collect();
        rules.fingerprint = corpus::sha256_hex(text);
        rules.phrases = Phrases {
            official: split(&rules.authority.official),
            media: split(&rules.authority.media),
            vague: split(&rules.authority.vague),
            earlier: rules
                .timing
                .earlier
                .iter()
                .map(|p| (words(p), p.clone()))
                .collect(),
        };
        Ok(rules)
    }

    pub fn builtin() -> Rules {
        Rules::parse(DEFAULT_RULES).expect("the shipped comparison rules are valid")
    }

    /// These rules with the events to follow (checked); they are part of the fingerprint,
    /// since the report lists them first.
    pub fn with_follow(
        mut self,
        follow: Vec<crate::follow::Follow>,
    ) -> Result<Rules, crate::follow::FollowError> {
        crate::follow::check(&follow)?;
        let listed = serde_json::to_string(&follow).expect("follow rules serialise");
        self.fingerprint = corpus::sha256_hex(format!("{} {listed}", self.fingerprint));
        self.follow = follow;
        Ok(self)
    }

    /// A hash of the rules' text: the report is made again when it changes.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The kind of a named source; `None` (no source) is the article's own voice.
    pub fn authority_kind(&self, source: Option<&str>) -> AuthorityKind {
        let Some(source) = source.filter(|s| !s.trim().is_empty()) else {
            return AuthorityKind::Unattributed;
        };
        let words = words(source);
        let names = |list: &[Vec<String>]| list.iter().any(|p| contains_phrase(&words, p));
        if names(&self.phrases.official) {
            AuthorityKind::Official
        } else if names(&self.phrases.media) {
            AuthorityKind::Media
        } else if names(&self.phrases.vague) {
            AuthorityKind::Vague
        } else {
            AuthorityKind::Named
        }
    }

    /// The name readers know an article's outlet by: the name its page or its import header
    /// gives, else the display name of its URL's host (or of a domain the host ends with:
    /// `news.bbc.co.uk` is `bbc.co.uk`'s), else the host, else the imported file's name.
    pub fn outlet_name(&self, raw: &RawArticle, doc: &NormalisedDoc) -> String {
        let named = [&raw.meta.site_name, &doc.meta.site_name]
            .into_iter()
            .flatten()
            .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|s| !s.is_empty());
        if let Some(name) = named {
            return name;
        }
        let Some(host) = article_url(raw, doc).and_then(corpus::host_of) else {
            return raw.outlet();
        };
        let mut domain = host.as_str();
        loop {
            if let Some(name) = self.outlets.get(domain) {
                return name.clone();
            }
            match domain.split_once('.') {
                Some((_, parent)) if parent.contains('.') => domain = parent,
                _ => return host,
            }
        }
    }

    /// The first word of the quote that presents its figure as an earlier one, if any.
    pub fn earlier_marker(&self, quote: &str) -> Option<&str> {
        let words = words(quote);
        self.phrases
            .earlier
            .iter()
            .find(|(p, _)| contains_phrase(&words, p))
            .map(|(_, p)| p.as_str())
    }
}

/// The article's address for readers: the raw record's (its canonical URL, the URL it was
/// fetched from, an import's ` url` line), else the canonical link of its page.
/// Only http(s) addresses: a canonical link scraped from a page may say anything.
pub fn article_url<'a>(raw: &'a RawArticle, doc: &'a NormalisedDoc) -> Option<&'a str> {
    let web = |url: &&str| is_web_address(url);
    raw.url()
        .filter(web)
        .or(doc.meta.canonical_url.as_deref().filter(web))
}

/// Whether an address may be linked from the report: http or https only, since a scraped
/// address may be anything (`javascript:`).
pub fn is_web_address(url: &str) -> bool {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    matches!(scheme.as_deref(), Some("http" | "https"))
}

/// The lower-case words of a text (letters and digits; apostrophes split).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when the words of `phrase` occur in `words` one after the other.
fn contains_phrase(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources_by_whole_words() {
        let rules = Rules::builtin();
        let kind = |s| rules.authority_kind(Some(s));
        assert_eq!(
            kind("Russia's emergency situations ministry"),
            AuthorityKind::Official
        );
        assert_eq!(kind("Local officials"), AuthorityKind::Official);
        assert_eq!(kind("The New York Times"), AuthorityKind::Media);
        assert_eq!(kind("reports"), AuthorityKind::Vague);
        assert_eq!(kind("Jane Doe"), AuthorityKind::Named);
        // "Postman" is not "post", "officialdom" is not "official".
        assert_eq!(kind("a postman"), AuthorityKind::Named);
        assert_eq!(rules.authority_kind(None), AuthorityKind::Unattributed);
        assert_eq!(
            rules.authority_kind(Some("  ")),
            AuthorityKind::Unattributed
        );
    }

    #[test]
    fn finds_earlier_figure_markers() {
        let rules = Rules::builtin();
        assert_eq!(
            rules.earlier_marker("Earlier, the ministry said the toll was 14."),
            Some("earlier")
        );
        assert_eq!(rules.earlier_marker("The toll rose to 21."), None);
    }

    #[test]
    fn outlets_by_their_page_name_then_the_table_then_the_host() {
        use crate::fixtures::article;
        let rules = Rules::builtin();
        let name = |a: &crate::fixtures::Article| rules.outlet_name(&a.raw, &a.doc);
        let mut a = article("a1", "feeds.bbci.example", None);
        assert_eq!(name(&a), "feeds.bbci.example");
        a.raw.canonical_url = Some("https://www.news.bbc.co.uk/world-1".into());
        assert_eq!(name(&a), "BBC News");
        a.doc.meta.site_name = Some("  BBC   World Service ".into());
        assert_eq!(name(&a), "BBC World Service");
        a.raw.meta.site_name = Some("BBC".into());
        assert_eq!(name(&a), "BBC");
        // a table entry names its domain only, not one that merely ends alike
        let b = article("a2", "notbbc.co.uk", None);
        assert_eq!(name(&b), "notbbc.co.uk");
    }
}
