//! The date strings of feedparser's date-parser tests (tests/data/peers/feedparser/dates.json,
//! see SOURCE.md there), read by `page::dates`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use corpus::PubTime;
use serde::Deserialize;

#[derive(Deserialize)]
struct DateCase {
    parser: String,
    text: String,
    /// The UTC time feedparser gives, or none when the string must be refused.
    utc: Option<String>,
}

/// Right when the time is the same instant; a day without a time (a string without a zone,
/// whose offset this leaves unknown) is right when it is the same day.
fn right(ours: Option<PubTime>, utc: &Option<String>) -> bool {
    match (ours, utc) {
        (None, None) => true,
        (Some(PubTime::DateTime(t)), Some(u)) => t.to_utc() == u.parse::<DateTime<Utc>>().unwrap(),
        (Some(PubTime::Date(d)), Some(u)) => d == u.parse::<DateTime<Utc>>().unwrap().date_naive(),
        _ => false,
    }
}

/// At least 40 of the 45 dates feedparser reads, and every string it refuses refused.
#[test]
fn feedparser_date_strings() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/peers/feedparser/dates.json");
    let cases: Vec<DateCase> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (mut valid, mut read, mut refused, mut invalid) = (0, 0, 0, 0);
    for case in &cases {
        let ours = page::dates::parse_date(&case.text);
        let ok = right(ours, &case.utc);
        if case.utc.is_some() {
            valid += 1;
            read += usize::from(ok);
        } else {
            invalid += 1;
            refused += usize::from(ok);
        }
        if !ok {
            eprintln!(
                "  {} {:?}: {:?}, expected {:?}",
                case.parser,
                case.text,
                ours.map(|t| t.to_string()),
                case.utc
            );
        }
    }
    eprintln!("feedparser date strings: read {read}/{valid}, refused {refused}/{invalid}");
    assert!(read >= 40, "{read}/{valid}");
    assert_eq!(refused, invalid);
}
