use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{ArticleId, PubTime, Qualifier};

/// The version of the `report/comparison.json` format (docs/comparison-schema.md). Raise it
/// when a field changes meaning or is removed; adding a field keeps it.
pub const COMPARISON_SCHEMA: u32 = 1;

/// The cross-source comparison: `report/comparison.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub schema: u32,
    /// When the comparison was last made: by a run that found new or changed articles, rules
    /// or program (an idle run keeps it).
    pub generated_at: DateTime<Utc>,
    /// Articles whose claims were read.
    pub articles: usize,
    /// What changed, run by run, newest first (the most recent entries of the change log).
    #[serde(default)]
    pub changes: Vec<ChangeEntry>,
    /// Events, the most reported first.
    pub events: Vec<EventReport>,
}

/// One event and every figure reported about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventReport {
    /// Stable across runs: made from what identifies the event.
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The kind of incident ("strike", "earthquake"), when its reports name one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Articles with at least one claim about the event, by publication time.
    pub articles: Vec<EventArticle>,
    /// Their outlets, sorted, each once.
    pub outlets: Vec<String>,
    /// Distinct sources: syndicated copies (one copy group) count once.
    pub sources: usize,
    #[serde(default)]
    pub first_published: Option<PubTime>,
    #[serde(default)]
    pub last_published: Option<PubTime>,
    /// One per measure and subject, the most reported first.
    pub figures: Vec<Figure>,
    #[serde(default)]
    pub weapons: Vec<WeaponReport>,
    #[serde(default)]
    pub blame: Vec<BlameReport>,
}

/// An article reporting on an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventArticle {
    pub article: ArticleId,
    pub outlet: String,
    /// The article's address, when known (a fetched page's; an imported file's ` url` line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub published: Option<PubTime>,
    #[serde(default)]
    pub copy_group: Option<String>,
}

/// One measure of one subject ("killed / people") across sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// `measure/subject`, unique within the event.
    pub id: String,
    pub measure: String,
    pub subject: String,
    /// Every reported value, by publication time (unknown last); syndicated copies of one
    /// value are one entry listing the copies.
    pub values: Vec<ReportedValue>,
    /// Distinct sources (copy groups) that give a value.
    pub sources: usize,
    /// Smallest and largest count reported (bounds and exact figures alike; vague ones not).
    #[serde(default)]
    pub range: Option<CountRange>,
    /// `key` of the most recently published value.
    #[serde(default)]
    pub latest: Option<String>,
    /// `key` of the value from the most direct authority: the reference the divergences are
    /// measured against.
    #[serde(default)]
    pub most_direct: Option<String>,
    /// True when every count given is the same.
    pub agree: bool,
    pub status: FigureStatus,
    /// Why each differing value differs from `most_direct`, one entry per value.
    #[serde(default)]
    pub divergences: Vec<Divergence>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRange {
    pub min: u64,
    pub max: u64,
}

/// How the values of a figure relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureStatus {
    /// Every count is the same.
    Agree,
    /// The counts differ, but every difference has a reason that lets both be right: a later
    /// report, a different scope, a lower bound, an approximation.
    Consistent,
    /// Some values conflict: different authorities, a likely error, or no reason found.
    Disagree,
}

/// One source's value for a figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportedValue {
    /// `article#claim`: unique, stable while the article's claims are.
    pub key: String,
    pub article: ArticleId,
    /// Index of the claim in the article's claims.
    pub claim: usize,
    pub outlet: String,
    #[serde(default)]
    pub published: Option<PubTime>,
    /// `None` for a vague quantity ("dozens").
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    /// The noun as the article wrote it ("civilians", "adults"), when it differs from the
    /// figure's subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noun: Option<String>,
    #[serde(default)]
    pub attribution: Option<String>,
    /// The chain of sources, nearest first, when the article relays one source through another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribution_chain: Vec<String>,
    pub authority: Authority,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<NaiveDate>,
    pub quote: String,
    #[serde(default)]
    pub copy_group: Option<String>,
    /// Other articles of the same copy group giving the same value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<ArticleId>,
    /// True when the quote presents the figure as an earlier one, since superseded.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub superseded: bool,
}

/// Who a value rests on, ultimately.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    /// The original source (the end of the attribution chain), if any is named.
    #[serde(default)]
    pub source: Option<String>,
    pub kind: AuthorityKind,
    /// How many intermediaries relay it (0: the source said it to this outlet).
    pub relays: usize,
}

/// Kinds of source, the most direct first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityKind {
    /// A government body or office holder: a ministry, officials, the police, a governor.
    Official,
    /// A named person or organisation that is not an official or a news outlet.
    Named,
    /// A news outlet or agency.
    Media,
    /// Unnamed: "reports", "sources".
    Vague,
    /// The article states it in its own voice.
    Unattributed,
}

/// Why one value differs from the reference (`Figure::most_direct`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// `key` of the differing value.
    pub value: String,
    /// `key` of the reference value.
    pub reference: String,
    /// True when the reasons let both values be right.
    pub consistent: bool,
    /// The strongest reason first.
    pub reasons: Vec<Reason>,
}

/// A reason a reader can check, in words, with the values it rests on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub kind: ReasonKind,
    pub text: String,
    /// `key`s of other values the reason points to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    /// A different place, date, incident or part of the whole (adults only, a subset).
    DifferentScope,
    /// Published at another time: the toll rose (or was revised), or the quote calls it an
    /// earlier figure.
    LaterReport,
    /// One value is "at least" / "more than": a lower bound, consistent with a higher figure.
    LowerBound,
    /// "About N", close to the other.
    Approximate,
    /// An outlier that no authority backs, given by one source only.
    LikelyError,
    /// Different authorities give different figures, at times that cannot be told apart.
    DifferentAuthority,
    /// No reason found.
    Unexplained,
}

impl ReasonKind {
    /// True when the reason lets both values be right.
    pub fn reconciles(self) -> bool {
        matches!(
            self,
            ReasonKind::DifferentScope
                | ReasonKind::LaterReport
                | ReasonKind::LowerBound
                | ReasonKind::Approximate
        )
    }
}

/// A weapon named for an event, and by whom.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeaponReport {
    /// The canonical name.
    pub value: String,
    /// Distinct sources (copy groups) naming it.
    pub sources: usize,
    pub mentions: Vec<Mention>,
}

/// Who blames whom for an event, or who denies.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlameReport {
    #[serde(default)]
    pub accuser: Option<String>,
    #[serde(default)]
    pub accused: Option<String>,
    /// True for a denial.
    pub denial: bool,
    pub sources: usize,
    pub mentions: Vec<Mention>,
}

/// One article's statement of a weapon or a blame.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub article: ArticleId,
    pub outlet: String,
    #[serde(default)]
    pub published: Option<PubTime>,
    /// The words the article used, when they differ from the canonical value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    #[serde(default)]
    pub attribution: Option<String>,
    pub quote: String,
}

/// What one run changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub at: DateTime<Utc>,
    pub changes: Vec<Change>,
}

/// One change since the previous run, about one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub event: String,
    /// The event's label (kept here: the event may be gone).
    pub label: String,
    #[serde(flatten)]
    pub what: ChangeKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A new event.
    NewEvent,
    /// No claim is about the event any more.
    EventGone,
    /// An article newly reporting on the event.
    NewSource {
        article: ArticleId,
        outlet: String,
        /// The article's address (http or https), when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        url: Option<String>,
    },
    /// A count not given before for the figure (`measure/subject`).
    NewValue { figure: String, value: ValueBrief },
    /// The figure's reference value (from the most direct authority) changed.
    Revised {
        figure: String,
        from: ValueBrief,
        to: ValueBrief,
    },
}

/// A value in short, for the change log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueBrief {
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    pub article: ArticleId,
    pub outlet: String,
    #[serde(default)]
    pub attribution: Option<String>,
    #[serde(default)]
    pub published: Option<PubTime>,
    /// The article's address (http or https), when known: feed readers link it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}
