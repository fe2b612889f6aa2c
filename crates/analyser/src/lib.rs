//! The analyser: reads each normalised article's claims (counts, weapons, who says so, where,
//! which event), groups them by event across articles, and writes the cross-source
//! comparison as JSON, Markdown and an HTML page.
//!
//! Extraction and comparison are pure functions of their inputs; only [`run`] and
//! [`load_claims`] touch the corpus.

pub mod compare;
pub mod events;
pub mod extract;
pub mod lexicon;
pub mod report;

use std::path::PathBuf;

use corpus::{
    ArticleClaims, ArticleId, Corpus, CorpusError, Fact, NormalisedDoc, RawArticle, SCHEMA_VERSION,
};
use serde::Deserialize;
use tracing::{debug, info, warn};

pub use lexicon::Lexicon;

/// The `[analyser]` section of `crosscheck.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyserConfig {
    /// Lexicon file, relative to the config file; the shipped `config/claims.toml` is built
    /// in and used when this is not set.
    #[serde(default)]
    pub lexicon: Option<PathBuf>,
}

/// A configured analyser.
pub struct Analyser {
    lexicon: Lexicon,
    stamp: String,
}

impl Analyser {
    pub fn new(lexicon_toml: &str) -> Result<Analyser, toml::de::Error> {
        Ok(Analyser {
            lexicon: Lexicon::parse(lexicon_toml)?,
            stamp: format!(
                "{}+{}",
                env!("CARGO_PKG_VERSION"),
                &corpus::sha256_hex(lexicon_toml)[..12]
            ),
        })
    }

    pub fn builtin() -> Analyser {
        Analyser::new(lexicon::DEFAULT_LEXICON).expect("the shipped lexicon is valid")
    }

    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// The claims of one normalised article.
    pub fn analyse(&self, doc: &NormalisedDoc) -> ArticleClaims {
        ArticleClaims {
            schema: SCHEMA_VERSION,
            article: doc.id.clone(),
            input_sha256: doc.text_sha256.clone(),
            analyser: self.stamp.clone(),
            claims: extract::extract_claims(doc, &self.lexicon),
        }
    }
}

/// One article's stored records, as the comparison needs them.
pub struct Loaded {
    pub raw: RawArticle,
    pub doc: NormalisedDoc,
    pub claims: ArticleClaims,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub analysed: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub reports_written: usize,
}

/// Updates the claims of every new or changed normalised article and returns every
/// article's records. Failures are logged with the article id and counted.
pub fn load_claims(
    corpus: &Corpus,
    analyser: &Analyser,
    summary: &mut RunSummary,
) -> Result<Vec<Loaded>, CorpusError> {
    let mut loaded = Vec::new();
    for id in corpus.normalised_ids()? {
        match load_one(corpus, analyser, &id) {
            Ok((l, analysed)) => {
                if analysed {
                    summary.analysed += 1;
                } else {
                    summary.unchanged += 1;
                }
                loaded.push(l);
            }
            Err(e) => {
                warn!(id = %id, error = %e, "skipping article");
                summary.failed += 1;
            }
        }
    }
    Ok(loaded)
}

fn load_one(
    corpus: &Corpus,
    analyser: &Analyser,
    id: &ArticleId,
) -> Result<(Loaded, bool), CorpusError> {
    let raw = corpus.read_raw(id)?;
    let Some(doc) = corpus.read_normalised(id)? else {
        unreachable!("listed normalised ids have records")
    };
    let cached = match corpus.read_claims(id) {
        Ok(Some(c)) if c.input_sha256 == doc.text_sha256 && c.analyser == analyser.stamp => Some(c),
        Ok(_) => None,
        Err(e) => {
            warn!(id = %id, error = %e, "claims record unreadable; extracting again");
            None
        }
    };
    let (claims, analysed) = match cached {
        Some(c) => {
            debug!(id = %id, "claims unchanged");
            (c, false)
        }
        None => {
            let claims = analyser.analyse(&doc);
            corpus.write_claims(&claims)?;
            info!(id = %id, claims = claims.claims.len(), "analysed");
            (claims, true)
        }
    };
    Ok((Loaded { raw, doc, claims }, analysed))
}

/// Updates claims, rebuilds the comparison and writes the report files that changed.
pub fn run(corpus: &Corpus, analyser: &Analyser) -> Result<RunSummary, CorpusError> {
    let mut summary = RunSummary::default();
    let loaded = load_claims(corpus, analyser, &mut summary)?;
    let inputs = inputs(&loaded);
    let assignment = events::group(&inputs);
    let mut comparison = compare::build(&inputs, &assignment);
    // Keep the previous generation time when nothing else changed, so an idle run rewrites
    // no file.
    if let Some(old) = corpus
        .read_report("comparison.json")?
        .and_then(|b| serde_json::from_slice::<corpus::Comparison>(&b).ok())
    {
        let mut same = comparison.clone();
        same.generated_at = old.generated_at;
        if same == old {
            comparison = same;
        }
    }
    let json = serde_json::to_vec_pretty(&comparison).expect("comparison serialises");
    let files = [
        ("comparison.json", json),
        ("comparison.md", report::markdown(&comparison).into_bytes()),
        ("index.html", report::html(&comparison).into_bytes()),
    ];
    for (name, bytes) in files {
        if corpus.write_report(name, &bytes)?.changed() {
            summary.reports_written += 1;
        }
    }
    Ok(summary)
}

fn inputs(loaded: &[Loaded]) -> Vec<events::ArticleInput<'_>> {
    loaded
        .iter()
        .map(|l| events::ArticleInput {
            raw: &l.raw,
            doc: &l.doc,
            claims: &l.claims,
        })
        .collect()
}

/// Every claim as a flat JSON object (the `claims --format jsonl` line format).
pub fn claim_lines(loaded: &[Loaded]) -> Vec<serde_json::Value> {
    let assignment = events::group(&inputs(loaded));
    let mut lines = Vec::new();
    for l in loaded {
        for (index, claim) in l.claims.claims.iter().enumerate() {
            let event = assignment.event_of(&l.raw.id, index).map(|e| e.id.as_str());
            let line = match &claim.fact {
                Fact::Count(f) => serde_json::json!({
                    "article": l.raw.id, "kind": "count", "measure": f.measure, "subject": f.subject,
                    "count": f.count, "qualifier": f.qualifier, "location": claim.location,
                    "event": event, "attribution": claim.attribution, "quote": claim.quote,
                }),
                Fact::Weapon(w) => serde_json::json!({
                    "article": l.raw.id, "kind": "weapon", "value": w.value, "mention": w.mention,
                    "event": event, "attribution": claim.attribution, "quote": claim.quote,
                }),
                Fact::Blame(b) => serde_json::json!({
                    "article": l.raw.id, "kind": "blame", "accuser": b.accuser, "accused": b.accused,
                    "denial": b.denial, "event": event, "attribution": claim.attribution, "quote": claim.quote,
                }),
            };
            lines.push(line);
        }
    }
    lines
}
