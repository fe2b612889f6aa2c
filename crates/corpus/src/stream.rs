//! The record the stages' streaming modes read and write (`fetcher --warc`, `normaliser
//! stream`, `analyser stream`): one JSON object a line. See docs/scale-out.md.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, ArticleMeta, Origin, PubTime, RawArticle, RawFormat};

/// One article as a stream carries it: what `fetcher --warc` writes and `normaliser stream`
/// reads. Exactly one of `html` and `text` holds the document.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRecord {
    /// The article id (`[A-Za-z0-9_.-]{1,128}`): for a WARC record, its file and offset.
    pub id: String,
    /// The address the page was captured from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The publication date or time, when the source knew it (`2024-01-02` or RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// When the page was captured (RFC 3339): dates a page gives after it are not believed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// The outlet's name, when the source knew it (else the page's or the URL's host).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where the record came from (a WARC file and the record's offset in it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<RecordSource>,
}

/// A record's place in a WARC file: its file name (without folders) and the offset of the
/// record's first byte (of its gzip member, in a compressed file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSource {
    pub file: String,
    pub offset: u64,
}

/// Why a stream record cannot be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("invalid id: {0}")]
    Id(String),
    #[error("a record holds exactly one of html and text")]
    Body,
    #[error("date {0:?} is neither YYYY-MM-DD nor an RFC 3339 time")]
    Date(String),
    #[error("retrieved {0:?} is not an RFC 3339 time")]
    Retrieved(String),
}

/// The capture time of a record that gives none: late enough that no date a page gives is
/// disbelieved for being in the future, and the same on every run.
pub fn no_capture_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2100, 1, 1, 0, 0, 0).unwrap()
}

impl StreamRecord {
    /// The record as a raw article: fetched from its URL (an import named by its id without
    /// one), captured at `retrieved`, published on `date`, with `outlet` as its site name.
    /// Pure and deterministic: the same record gives the same article.
    pub fn to_raw(&self) -> Result<RawArticle, RecordError> {
        let id = ArticleId::new(self.id.as_str()).map_err(|e| RecordError::Id(e.to_string()))?;
        let (format, body) = match (&self.html, &self.text) {
            (Some(html), None) => (RawFormat::Html, html.clone()),
            (None, Some(text)) => (RawFormat::Text, text.clone()),
            _ => return Err(RecordError::Body),
        };
        let origin = match &self.url {
            Some(url) => Origin::Fetch {
                url: url.clone(),
                final_url: None,
                source: None,
            },
            None => Origin::Import {
                file_name: self.id.clone(),
            },
        };
        let published = match &self.date {
            None => None,
            Some(d) => Some(PubTime::parse(d).ok_or_else(|| RecordError::Date(d.clone()))?),
        };
        let retrieved_at = match &self.retrieved {
            None => no_capture_time(),
            Some(r) => DateTime::parse_from_rfc3339(r)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| RecordError::Retrieved(r.clone()))?,
        };
        let mut raw = RawArticle::new(id, format, origin, body);
        raw.retrieved_at = retrieved_at;
        raw.meta = ArticleMeta {
            published,
            site_name: self.outlet.clone(),
            ..ArticleMeta::default()
        };
        Ok(raw)
    }
}

/// The month a claim is filed under in partitioned output: `2024-01`, or `undated`.
pub fn month_of(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_else(|| "undated".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(json: &str) -> StreamRecord {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn a_record_becomes_a_fetched_article() {
        let raw = record(r#"{"id":"a1","url":"https://x.example/n","date":"2024-01-02","retrieved":"2024-01-03T10:00:00Z","html":"<p>x</p>"}"#)
            .to_raw()
            .unwrap();
        assert_eq!(raw.format, RawFormat::Html);
        assert_eq!(raw.outlet(), "x.example");
        assert_eq!(raw.meta.published.unwrap().to_string(), "2024-01-02");
        assert_eq!(raw.retrieved_at.to_rfc3339(), "2024-01-03T10:00:00+00:00");
    }

    #[test]
    fn the_same_record_gives_the_same_article() {
        let r = record(r#"{"id":"a1","text":"Ten died."}"#);
        assert_eq!(r.to_raw().unwrap(), r.to_raw().unwrap());
        assert_eq!(r.to_raw().unwrap().retrieved_at, no_capture_time());
    }

    #[test]
    fn bad_records_say_why() {
        let both = record(r#"{"id":"a","html":"x","text":"y"}"#).to_raw();
        assert_eq!(both.unwrap_err(), RecordError::Body);
        let id = record(r#"{"id":"../x","text":"y"}"#).to_raw();
        assert!(matches!(id.unwrap_err(), RecordError::Id(_)));
        let date = record(r#"{"id":"a","text":"y","date":"soon"}"#).to_raw();
        assert_eq!(date.unwrap_err(), RecordError::Date("soon".into()));
        assert!(serde_json::from_str::<StreamRecord>(r#"{"id":"a","body":"y"}"#).is_err());
    }

    #[test]
    fn months() {
        assert_eq!(month_of(NaiveDate::from_ymd_opt(2024, 1, 31)), "2024-01");
        assert_eq!(month_of(None), "undated");
    }
}
