//! Events a reader follows (`[[analyser.follow]]` in the config): named by id, or by place,
//! kind and days, or by words. The report lists them first; every other event is still
//! reported. Pure: a rule and an event's summary in, whether it matches out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::report::Nav;

/// One followed event, or a family of them: every key given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Follow {
    /// An event id as the report gives it (`kharkiv-2024-03-02-missile-strike`).
    #[serde(default)]
    pub id: Option<String>,
    /// Words of the event's place, as a whole (`"Kharkiv"` matches "Kharkiv, Ukraine"), in
    /// any case, with or without accents.
    #[serde(default)]
    pub place: Option<String>,
    /// The event's kind (`"missile strike"`, `"shooting"`), case-insensitive.
    #[serde(default)]
    pub kind: Option<String>,
    /// First day (inclusive); an undated event never matches a rule with days.
    #[serde(default, deserialize_with = "day")]
    pub from: Option<NaiveDate>,
    /// Last day (inclusive).
    #[serde(default, deserialize_with = "day")]
    pub to: Option<NaiveDate>,
    /// Any of these words or phrases in the event's title, place or figures, whole words, in
    /// any case, with or without accents.
    #[serde(default)]
    pub words: Vec<String>,
}

/// A day as TOML writes it (`2024-03-01`, no time) or as a string.
fn day<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    use serde::de::Error;
    let text = match toml::Value::deserialize(deserializer)? {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
        toml::Value::String(s) => s,
        other => {
            return Err(D::Error::custom(format!(
                "{other} is not a day (YYYY-MM-DD)"
            )));
        }
    };
    text.parse()
        .map(Some)
        .map_err(|_| D::Error::custom(format!("{text:?} is not a day (YYYY-MM-DD)")))
}

/// A rule that cannot match as written.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FollowError {
    #[error("follow rule {0}: give at least one of id, place, kind, from, to, words")]
    Empty(usize),
    #[error("follow rule {0}: `from` ({1}) is after `to` ({2})")]
    Reversed(usize, NaiveDate, NaiveDate),
    #[error("follow rule {0}: an empty word or value")]
    Blank(usize),
}

impl Follow {
    /// Whether the event `nav` sums up is followed by this rule.
    pub fn matches(&self, nav: &Nav) -> bool {
        let id = self.id.as_ref().is_none_or(|id| id.trim() == nav.id);
        let place = self.place.as_ref().is_none_or(|p| {
            nav.place
                .as_deref()
                .is_some_and(|place| contains_words(place, p))
        });
        let kind = self.kind.as_ref().is_none_or(|k| {
            nav.kind
                .as_deref()
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case(k.trim()))
        });
        let days = (self.from.is_none() && self.to.is_none())
            || nav.date.is_some_and(|d| {
                self.from.is_none_or(|from| d >= from) && self.to.is_none_or(|to| d <= to)
            });
        let words = self.words.is_empty() || {
            let text = format!(
                "{} {} {}",
                nav.label,
                nav.place.as_deref().unwrap_or(""),
                nav.facts
            );
            self.words.iter().any(|w| contains_words(&text, w))
        };
        id && place && kind && days && words
    }
}

/// Checks the rules, naming the first that cannot match as written (numbered from 1).
pub fn check(rules: &[Follow]) -> Result<(), FollowError> {
    for (n, rule) in rules.iter().enumerate().map(|(i, r)| (i + 1, r)) {
        if *rule == Follow::default() {
            return Err(FollowError::Empty(n));
        }
        if let (Some(from), Some(to)) = (rule.from, rule.to)
            && from > to
        {
            return Err(FollowError::Reversed(n, from, to));
        }
        let values = [&rule.id, &rule.place, &rule.kind];
        let blank = values
            .iter()
            .any(|v| v.as_ref().is_some_and(|v| words(v).is_empty()))
            || rule.words.iter().any(|w| words(w).is_empty());
        if blank {
            return Err(FollowError::Blank(n));
        }
    }
    Ok(())
}

/// Whether any rule follows the event.
pub fn followed(rules: &[Follow], nav: &Nav) -> bool {
    rules.iter().any(|r| r.matches(nav))
}

/// Whether the words of `phrase` occur in `text` one after the other, whole words,
/// case-insensitive.
fn contains_words(text: &str, phrase: &str) -> bool {
    let text = words(text);
    let phrase = words(phrase);
    !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase.as_slice())
}

/// The lower-case words of a text, accents dropped: a reader types "Valparaiso" for the
/// report's "Valparaíso".
fn words(text: &str) -> Vec<String> {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    let folded: String = text.nfd().filter(|c| !is_combining_mark(*c)).collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav(id: &str, place: &str, kind: &str, date: Option<&str>) -> Nav {
        Nav {
            id: id.into(),
            label: format!("{kind} in {place}"),
            facts: "12 killed, 40 injured · 3 sources".into(),
            place: Some(place.into()),
            kind: Some(kind.into()),
            date: date.map(|d| d.parse().unwrap()),
        }
    }

    /// A rule from its keys, `; ` between them.
    fn rule(keys: &str) -> Follow {
        toml::from_str(&keys.replace("; ", "\n")).unwrap()
    }

    #[test]
    fn every_key_given_must_hold() {
        let kharkiv = nav(
            "kharkiv-2024-03-02-missile-strike",
            "Kharkiv, Ukraine",
            "missile strike",
            Some("2024-03-02"),
        );
        let lyon = nav("lyon-2024-03-05-bombing", "Lyon, France", "bombing", None);
        let cases = [
            ("id = 'kharkiv-2024-03-02-missile-strike'", true, false),
            ("place = 'kharkiv'", true, false),
            ("place = 'Ukraine'", true, false),
            // a place's words as a whole, not a part of one
            ("place = 'Kharkivska'", false, false),
            ("place = 'Kharkiv'; kind = 'bombing'", false, false),
            ("place = 'Lyón'", false, true),
            (
                "kind = 'Missile Strike'; from = 2024-03-01; to = 2024-03-02",
                true,
                false,
            ),
            ("from = 2024-03-03", false, false),
            ("words = ['bombing', 'earthquake']", false, true),
            ("words = ['40 injured']", true, true),
            ("words = ['40 killed']", false, false),
        ];
        for (text, on_kharkiv, on_lyon) in cases {
            let r = rule(text);
            assert_eq!(r.matches(&kharkiv), on_kharkiv, "{text} on Kharkiv");
            assert_eq!(
                r.matches(&lyon),
                on_lyon,
                "{text} on an undated event in Lyon"
            );
        }
    }

    #[test]
    fn rules_that_cannot_match_are_named() {
        let ok = [rule("place = 'Lyon'"), rule("words = ['strike']")];
        assert_eq!(check(&ok), Ok(()));
        let empty = [rule("place = 'Lyon'"), Follow::default()];
        assert_eq!(check(&empty), Err(FollowError::Empty(2)));
        let reversed = [rule("from = 2024-03-05; to = 2024-03-01")];
        assert!(matches!(
            check(&reversed),
            Err(FollowError::Reversed(1, _, _))
        ));
        assert_eq!(check(&[rule("words = ['  ']")]), Err(FollowError::Blank(1)));
        assert!(
            toml::from_str::<Follow>("places = 'Lyon'").is_err(),
            "unknown keys"
        );
    }
}
