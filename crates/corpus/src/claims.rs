use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ArticleId;

/// The claims the analyser found in one article, cached until the article's text or the
/// analyser changes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleClaims {
    pub schema: u32,
    pub article: ArticleId,
    /// `text_sha256` of the normalised document the claims were read from.
    pub input_sha256: String,
    /// The analyser's version stamp (code version and a fingerprint of its lexicons).
    pub analyser: String,
    pub claims: Vec<Claim>,
    /// What the article is mainly about: its place, day and kind of incident, as far as the
    /// text says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_event: Option<EventFrame>,
}

/// The place, time and kind of an incident, as one article states it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFrame {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
}

/// A place as an article names it, with what the gazetteer knows of it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlaceRef {
    /// As written ("Kiev", "the Belgorod region" becomes "Belgorod region").
    pub name: String,
    /// The gazetteer's name ("Kyiv"), or the written name when unknown.
    pub canonical: String,
    pub level: PlaceLevel,
    /// ISO 3166 country code, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// First-level division code within the country, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceLevel {
    Country,
    State,
    Region,
    City,
    Unknown,
}

impl PlaceLevel {
    /// How precisely a place of this level says where: a country least, a town most; a place
    /// the gazetteer does not know ranks between a state and a region.
    pub fn specificity(self) -> u8 {
        match self {
            PlaceLevel::Country => 0,
            PlaceLevel::State => 1,
            PlaceLevel::Unknown => 2,
            PlaceLevel::Region => 3,
            PlaceLevel::City => 4,
        }
    }
}

/// When a claim is about, as the text says it; resolved against the publication date
/// where it is relative.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TimeRef {
    /// A day ("December 30, 2023"; or a weekday or "yesterday" resolved).
    Date { date: NaiveDate },
    /// A day relative to the day of publication ("yesterday" is -1).
    Relative { days: i64 },
    /// A weekday (0 is Monday), the last one on or before publication.
    Weekday { weekday: u32 },
    /// A month of a year ("in November 2022").
    Month { year: i32, month: u32 },
    /// A year ("the 2004 tsunami").
    Year { year: i32 },
    /// Some days before (negative) or after the time of the main event ("a day after").
    FromMain { days: i64 },
}

/// One thing an article states, with its context.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    #[serde(flatten)]
    pub fact: Fact,
    /// The sentence (or clause) that states it, as the source wrote it.
    pub quote: String,
    /// Who the article says the claim comes from; `None` when it speaks in its own voice.
    #[serde(default)]
    pub attribution: Option<String>,
    /// The full chain of sources, nearest first ("New York Times", "Russian authorities").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribution_chain: Vec<String>,
    /// The place the claim is about.
    #[serde(default)]
    pub location: Option<String>,
    /// The date the claim is about, when the article says or implies it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<NaiveDate>,
    /// True when the claim is about an earlier incident given as background, not the news.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
    /// What happened, as a short key ("strike", "earthquake", "shooting"), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident: Option<String>,
    /// The place the claim is about with what the gazetteer knows of it, when the text
    /// names it (not when `location` was taken from the article's main place).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceRef>,
    /// When the claim is about, when the text says it (see `when` for a resolved day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRef>,
    /// Index of the block and of the sentence within it.
    pub block: u32,
    pub sentence: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fact {
    Count(CountFact),
    Weapon(WeaponFact),
    Blame(BlameFact),
}

/// "At least 18 people were killed": measure killed, subject people, count 18, at_least.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountFact {
    pub measure: String,
    /// The subject's canonical name from the lexicon ("people" for "civilians").
    pub subject: String,
    /// The noun as the article wrote it ("civilians"), when it differs from `subject`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noun: Option<String>,
    /// `None` for a vague quantity ("dozens").
    pub count: Option<u64>,
    pub qualifier: Qualifier,
    /// The parts a total was read from ("14 adults and two children").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<CountPart>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountPart {
    pub subject: String,
    pub count: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    Exact,
    AtLeast,
    MoreThan,
    About,
    Vague,
}

impl Qualifier {
    /// True when the figure is only a lower bound.
    pub fn is_lower_bound(self) -> bool {
        matches!(self, Qualifier::AtLeast | Qualifier::MoreThan)
    }
}

/// A weapon or munition named for the event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeaponFact {
    /// The canonical name from the alias list ("Olkha missile").
    pub value: String,
    /// The words the article used ("Vilkha missiles").
    pub mention: String,
}

/// Who blames whom, or who denies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlameFact {
    #[serde(default)]
    pub accuser: Option<String>,
    #[serde(default)]
    pub accused: Option<String>,
    /// True for a denial ("Y said the damage came from ...").
    #[serde(default)]
    pub denial: bool,
}
