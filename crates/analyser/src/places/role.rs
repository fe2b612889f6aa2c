//! The role of a place in its sentence: where something happened, or who acted.

use super::Role;
use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// The role of the place named at tokens `start..end`, `prev` being the word before it.
pub(super) fn role_of(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    prev: Option<usize>,
    after_settlement: bool,
    lex: &Lexicon,
) -> Role {
    if tokens.get(end).is_some_and(|t| t.lower == "'s") {
        return possessive(tokens, start, end, prev, lex);
    }
    if let Some(p) = prev
        && p + 2 >= start
    {
        let w = tokens[p].lower.as_str();
        if lex.not_location.contains(w) || in_organisation_name(tokens, p, lex) {
            return Role::Actor;
        }
        if after_settlement {
            return Role::Location;
        }
        if lex.place_prepositions.contains(w) {
            return if lex.weak_prepositions.contains(w) {
                Role::Weak
            } else {
                Role::Location
            };
        }
    }
    // "accusing Ukraine of": the one accused
    if let Some(p) = prev
        && (lex.accuse.contains_word(tokens[p].lower.as_str())
            || lex.deny.contains_word(tokens[p].lower.as_str()))
    {
        return Role::Actor;
    }
    // "the Belgorod attack", "the Brussels attacks": a place naming an incident
    if lex.incidents.at(tokens, end).is_some() {
        return Role::Location;
    }
    match tokens.get(end) {
        Some(n) if acts(tokens, start, end, n, lex) => Role::Actor,
        Some(n) if lex.actor_nouns.contains(n.lower.as_str()) => Role::Actor,
        _ => Role::Weak,
    }
}

/// True when the "of" at `p` goes on an organisation's name ("the High Court of Galicia",
/// "the University of Texas"): the place after it names who speaks, not where.
fn in_organisation_name(tokens: &[Token<'_>], p: usize, lex: &Lexicon) -> bool {
    tokens[p].lower == "of"
        && p > 0
        && tokens[p - 1].is_capitalised()
        && (lex
            .organisation_heads
            .contains(tokens[p - 1].lower.as_str())
            || lex.not_place_heads.contains(tokens[p - 1].lower.as_str()))
}

/// "in Russia's second city", "at Moscow's Domodedovo airport": a place within it;
/// "Moscow's forces": it acts.
fn possessive(
    tokens: &[Token<'_>],
    start: usize,
    end: usize,
    prev: Option<usize>,
    lex: &Lexicon,
) -> Role {
    let place_follows = (end + 1..(end + 4).min(tokens.len()))
        .take_while(|&k| tokens[k].kind == Kind::Word)
        .any(|k| lex.location_nouns.contains(tokens[k].lower.as_str()));
    if !place_follows {
        return Role::Actor;
    }
    let strong = prev.is_some_and(|p| {
        p + 2 >= start
            && lex.place_prepositions.contains(tokens[p].lower.as_str())
            && !lex.weak_prepositions.contains(tokens[p].lower.as_str())
    });
    if strong { Role::Location } else { Role::Weak }
}

/// "Russia said", "Ukraine responded", a headline's "Turkey detains 13" (not "Italy
/// floods"): a place opening a clause before a verb acts.
fn acts(tokens: &[Token<'_>], start: usize, end: usize, n: &Token<'_>, lex: &Lexicon) -> bool {
    let opens_clause =
        start == 0 || tokens[start - 1].is_boundary() || tokens[start - 1].is_quote();
    let verb_like = opens_clause && n.kind == Kind::Word && !n.is_capitalised();
    lex.reporting_verbs.contains(n.lower.as_str())
        || lex.actor_verbs.contains(n.lower.as_str())
        || (verb_like && n.lower.ends_with("ed"))
        || (verb_like
            && n.lower.ends_with('s')
            && !n.lower.ends_with("ss")
            && lex.incidents.at(tokens, end).is_none()
            && lex.measure_words.at(tokens, end).is_none()
            && !lex.location_nouns.contains(n.lower.as_str()))
}
