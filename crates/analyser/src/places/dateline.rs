//! A dateline opening a sentence: a town in capitals before a dash ("SUTHERLAND SPRINGS —"),
//! before its state or country ("SUTHERLAND SPRINGS, Texas (AP)", "KAIKOURA, New Zealand",
//! "SAN BERNARDINO, Calif. (AP)"), before an agency or a day and a dash ("MINSK (Reuters) -",
//! "MOSCOW, April 14 (Reuters) -"), or a known town before a colon ("SEHWAN SHARIF: The death
//! toll ..."). The town is where the story was filed, known to the gazetteer or not; its state
//! or country, when named, gives an unknown town its country.

use corpus::{PlaceLevel, PlaceRef};

use super::{Entry, Mention, Role, Scanner, region_at};
use crate::text::{Kind, Token};

/// What stands between the town and the dash: its state or country, or the day.
struct After<'s> {
    /// Where the state or country ends.
    region_end: usize,
    regions: Vec<Entry<'s>>,
    dated: bool,
    /// "(Reuters)", "(AP)".
    agency: bool,
    dash: bool,
}

pub(super) fn dateline(scan: &Scanner<'_, '_>) -> Option<Mention> {
    let (tokens, lex, g) = (scan.tokens, scan.lex, scan.g);
    let i = tokens.iter().position(|t| t.kind != Kind::Punct)?;
    let capitals = |t: &Token<'_>| {
        t.kind == Kind::Word
            && t.text.chars().count() >= 2
            && t.text.chars().all(|c| !c.is_lowercase())
            && t.text.chars().any(char::is_uppercase)
    };
    let run = tokens[i..].iter().take_while(|t| capitals(t)).count();
    if run == 0 || run > 4 {
        return None;
    }
    let words = title_case(&tokens[i..i + run], scan);
    let after = tokens.get(i + run)?;
    let a = what_follows(scan, i + run);
    let region = a.regions.first().copied();
    // the longest known name the capitals start with ("SEHWAN SHARIF" is Sehwan), a part
    // of them only when the article names that place ("SUTHERLAND SPRINGS" is not
    // Sutherland)
    let named = |e: &Entry<'_>| scan.hints.named.iter().any(|n| n == e.canonical);
    let known = (1..=run)
        .rev()
        .find_map(|n| {
            let (e, _) = scan.pick(&words[..n].join(" "))?;
            (n == run || named(&e)).then_some(e)
        })
        .filter(|e| e.level != PlaceLevel::Country && e.level != PlaceLevel::State);
    let colon = a.region_end == i + run && !a.agency && after.is_punct(":");
    if !((region.is_some() && !a.dated) || a.dash || colon)
        || lex.not_places.contains(tokens[i].lower.as_str())
    {
        return None;
    }
    let name = words.join(" ");
    let place = match known {
        Some(e) if a.regions.is_empty() || a.regions.iter().any(|r| r.country == e.country) => {
            g.place_ref(name, &e)
        }
        // unknown capitals before a colon are as likely a headline's words ("CHURCH OF HORROR:")
        _ if colon => return None,
        _ => PlaceRef {
            canonical: name.clone(),
            name,
            level: PlaceLevel::Unknown,
            country: region.map(|r| r.country.to_string()),
            admin1: region
                .filter(|r| r.level == PlaceLevel::State)
                .map(|r| r.admin1.to_string()),
        },
    };
    // "SUTHERLAND SPRINGS, Texas": one place, not a list of two
    Some(Mention {
        start: i,
        end: a.region_end,
        place,
        role: Role::Location,
        dateline: true,
        bureau: a.agency && a.regions.is_empty(),
        ambiguous: false,
    })
}

/// "SANTIAGO DE COMPOSTELA" is "Santiago de Compostela".
fn title_case(tokens: &[Token<'_>], scan: &Scanner<'_, '_>) -> Vec<String> {
    tokens
        .iter()
        .enumerate()
        .map(|(n, t)| {
            let lower = t.text.to_lowercase();
            if n > 0 && scan.lex.place_words.name_joiners.contains(&lower) {
                return lower;
            }
            let mut c = lower.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// What follows the capitals at `k`: ", Texas", ", Calif.", ", April 14", "(Reuters)", a dash.
fn what_follows<'s>(scan: &Scanner<'s, '_>, mut k: usize) -> After<'s> {
    let (tokens, lex, g) = (scan.tokens, scan.lex, scan.g);
    let mut regions = Vec::new();
    let mut dated = false;
    if tokens.get(k).is_some_and(|t| t.is_punct(",")) {
        if let Some((rn, found)) = region_at(tokens, k + 1, g) {
            regions = found;
            k += 1 + rn;
        } else if let Some(state) = tokens
            .get(k + 1)
            .and_then(|t| lex.file.places.dateline_states.get(t.text))
            .and_then(|name| {
                g.all(name)
                    .into_iter()
                    .find(|e| e.level == PlaceLevel::State)
            })
        {
            regions = vec![state];
            k += 2;
            if tokens.get(k).is_some_and(|t| t.is_punct(".")) {
                k += 1;
            }
        } else if tokens
            .get(k + 1)
            .is_some_and(|t| lex.months.contains_key(t.lower.as_str()))
            && tokens.get(k + 2).is_some_and(|t| t.kind == Kind::Number)
        {
            dated = true;
            k += 3;
        }
    }
    let region_end = k;
    let agency = tokens.get(k).is_some_and(|t| t.is_punct("("))
        && tokens
            .get(k + 1)
            .is_some_and(|t| t.kind == Kind::Word && t.is_capitalised())
        && tokens.get(k + 2).is_some_and(|t| t.is_punct(")"));
    if agency {
        k += 3;
    }
    let dash = tokens
        .get(k)
        .is_some_and(|t| matches!(t.text, "—" | "–" | "-"));
    After {
        region_end,
        regions,
        dated,
        agency,
        dash,
    }
}
