use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// A publication or modification time as precise as the source gives it: a calendar date, or
/// a date and time with its UTC offset. Stored as ISO 8601 text (`2023-12-31` or
/// `2023-12-31T14:05:00+03:00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PubTime {
    Date(NaiveDate),
    DateTime(DateTime<FixedOffset>),
}

impl PubTime {
    /// The calendar date, in the time zone the source gave.
    pub fn date(&self) -> NaiveDate {
        match self {
            PubTime::Date(d) => *d,
            PubTime::DateTime(t) => t.date_naive(),
        }
    }

    /// A sort key: dates sort as their start (UTC midnight).
    pub fn sort_key(&self) -> DateTime<chrono::Utc> {
        match self {
            PubTime::Date(d) => d.and_time(chrono::NaiveTime::MIN).and_utc(),
            PubTime::DateTime(t) => t.to_utc(),
        }
    }

    pub fn parse(s: &str) -> Option<PubTime> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Some(PubTime::DateTime(t));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(PubTime::Date)
    }
}

impl PartialOrd for PubTime {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PubTime {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.to_string().cmp(&other.to_string()))
    }
}

impl fmt::Display for PubTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PubTime::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            PubTime::DateTime(t) => f.write_str(&t.to_rfc3339()),
        }
    }
}

impl TryFrom<String> for PubTime {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PubTime::parse(&s).ok_or_else(|| format!("not an ISO 8601 date or date-time: {s:?}"))
    }
}

impl From<PubTime> for String {
    fn from(t: PubTime) -> String {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates_and_times() {
        for s in ["2023-12-31", "2023-12-31T14:05:00+03:00"] {
            assert_eq!(PubTime::parse(s).unwrap().to_string(), s);
        }
        assert!(PubTime::parse("31/12/2023").is_none());
    }

    #[test]
    fn orders_dates_before_later_times() {
        let d = PubTime::parse("2023-12-31").unwrap();
        let t = PubTime::parse("2023-12-31T10:00:00+00:00").unwrap();
        assert!(d < t);
    }
}
