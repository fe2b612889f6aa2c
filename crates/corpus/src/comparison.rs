use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, PubTime, Qualifier};

/// The cross-source comparison: `report/comparison.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub schema: u32,
    pub generated_at: DateTime<Utc>,
    pub events: Vec<EventReport>,
}

/// One event and every figure reported about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    /// Stable across runs: made from the event's place, date and kind.
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    pub articles: Vec<ArticleId>,
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub weapons: Vec<WeaponReport>,
}

/// One measure of one subject ("killed / people") across sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: String,
    pub subject: String,
    pub values: Vec<ReportedValue>,
    /// Smallest and largest exact-or-bound count reported.
    #[serde(default)]
    pub range: Option<(u64, u64)>,
    pub agree: bool,
    /// Why values differ, each reason a reader can check.
    #[serde(default)]
    pub divergences: Vec<String>,
}

/// One source's value for a figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportedValue {
    pub article: ArticleId,
    pub outlet: String,
    #[serde(default)]
    pub published: Option<PubTime>,
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    #[serde(default)]
    pub attribution: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    pub quote: String,
    #[serde(default)]
    pub copy_group: Option<String>,
}

/// A weapon named for an event, and by whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeaponReport {
    pub value: String,
    pub mentions: Vec<WeaponMention>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeaponMention {
    pub article: ArticleId,
    pub outlet: String,
    pub mention: String,
    #[serde(default)]
    pub attribution: Option<String>,
    pub quote: String,
}
