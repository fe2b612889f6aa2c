//! Weapons and munitions named in a sentence, and who blames whom.

use corpus::{BlameFact, WeaponFact};

use crate::attribution;
use crate::lexicon::Lexicon;
use crate::text::{Kind, Token};

/// A weapon named at tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundWeapon {
    pub fact: WeaponFact,
    pub start: usize,
}

/// The weapons a sentence names. A named weapon ("Vilkha missiles") takes the canonical
/// value of its alias list; a kind of weapon ("AR-15-style rifle", "Sig Sauer MCX rifle")
/// keeps the words the article used before it; something packed with explosives ("a truck
/// packed with explosives") is a bomb of that thing.
pub fn weapons(tokens: &[Token<'_>], sentence: &str, lex: &Lexicon) -> Vec<FoundWeapon> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(found) = packed_bomb(tokens, sentence, i, lex) {
            i = found.1;
            out.push(found.0);
            continue;
        }
        let Some((n, alias)) = lex.weapons.at(tokens, i) else {
            i += 1;
            continue;
        };
        let end = i + n;
        // "a gun battle", "gun control": not a weapon used
        if alias.generic
            && tokens
                .get(end)
                .is_some_and(|t| lex.weapon_not_after.contains(t.lower.as_str()))
        {
            i = end;
            continue;
        }
        // "Ukraine purportedly bombs civilian areas": a verb, not a weapon
        if alias.generic && n == 1 && verb_use(tokens, i, lex) {
            i = end;
            continue;
        }
        let start = if alias.generic {
            modifiers_start(tokens, i, lex)
        } else {
            i
        };
        // "calls for restrictions on military-style rifles": policy, not a weapon used
        if alias.generic && lex.weapon_not_before.ending_at(tokens, start).is_some() {
            i = end;
            continue;
        }
        // a specific weapon named right before a generic word is that weapon
        if alias.generic
            && out
                .last()
                .is_some_and(|w: &FoundWeapon| w.start < i && i <= w.start + 3)
        {
            i = end;
            continue;
        }
        let mention = sentence[tokens[start].start..tokens[end - 1].end].to_string();
        let value = if alias.generic {
            singular(&mention.to_lowercase())
        } else {
            alias.value.clone()
        };
        out.push(FoundWeapon {
            fact: WeaponFact { value, mention },
            start,
        });
        i = end;
    }
    out
}

/// True when the weapon word at `i` is a verb after its subject or an adverb ("they bomb",
/// "purportedly bombs").
fn verb_use(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> bool {
    let Some(before) = i.checked_sub(1).map(|k| tokens[k].lower.as_str()) else {
        return false;
    };
    let c = &lex.file.weapon_context;
    c.adverb_endings
        .iter()
        .any(|e| before.ends_with(e.as_str()))
        || lex.weapon_verb_after.contains(before)
}

/// Where the name of a kind of weapon at `i` starts, with the words before it that belong
/// to it ("AR-15-style rifle", "Sig Sauer MCX rifle"), at most three.
fn modifiers_start(tokens: &[Token<'_>], i: usize, lex: &Lexicon) -> usize {
    let c = &lex.file.weapon_context;
    let mut start = i;
    while start > 0 && start > i.saturating_sub(3) {
        let t = &tokens[start - 1];
        let w = t.lower.as_str();
        let hyphened = t.kind != Kind::Punct
            && w.contains('-')
            && (c.modifier_suffixes.iter().any(|x| w.ends_with(x.as_str()))
                || c.modifier_prefixes
                    .iter()
                    .any(|x| w.starts_with(x.as_str())));
        let modifier =
            lex.weapon_modifiers.contains(w) || hyphened || maker_or_model(tokens, start - 1, lex);
        if !modifier {
            break;
        }
        start -= 1;
    }
    start
}

/// True when the word at `k` names a weapon's maker or model ("Sig Sauer", "Ruger", "DDM4",
/// "MCX", "17"): a capitalised word that is not the sentence's first nor a place or its
/// people, or a code of capitals and digits.
fn maker_or_model(tokens: &[Token<'_>], k: usize, lex: &Lexicon) -> bool {
    let t = &tokens[k];
    if t.kind == Kind::Punct {
        return false;
    }
    let has_digit = t.text.bytes().any(|b| b.is_ascii_digit());
    let has_letter = t.text.bytes().any(|b| b.is_ascii_alphabetic());
    let code = (has_digit && has_letter)
        || (t.text.len() >= 2 && t.text.bytes().all(|b| b.is_ascii_uppercase()))
        // a model number after a maker: "Glock 17"
        || (t.kind == Kind::Number && k > 0 && maker_or_model(tokens, k - 1, lex));
    let name = k > 0
        && t.kind == Kind::Word
        && t.is_capitalised()
        && !lex.weekdays.contains_key(t.lower.as_str())
        && !lex.months.contains_key(t.lower.as_str())
        && lex.gazetteer.demonym(t.text).is_none()
        && lex.gazetteer.get(t.text).is_none_or(|e| {
            !matches!(
                e.level,
                corpus::PlaceLevel::Country | corpus::PlaceLevel::State
            )
        });
    code || name
}

/// "a refrigerated truck packed with explosives" at `i` (the carrier): a bomb named after
/// what carried it, and the token after the material.
fn packed_bomb(
    tokens: &[Token<'_>],
    sentence: &str,
    i: usize,
    lex: &Lexicon,
) -> Option<(FoundWeapon, usize)> {
    let (c, _) = lex.weapon_carriers.at(tokens, i)?;
    let (p, _) = lex.weapon_packed.at(tokens, i + c)?;
    let (m, _) = lex.weapon_materials.at(tokens, i + c + p)?;
    let end = i + c + p + m;
    let carrier = singular(&words(tokens, i, i + c));
    let value = if carrier.ends_with("vest") || carrier.ends_with("belt") {
        // "a vest packed with explosives": the vest is the weapon
        format!("explosive {carrier}")
    } else {
        format!("{carrier} bomb")
    };
    Some((
        FoundWeapon {
            fact: WeaponFact {
                value,
                mention: sentence[tokens[i].start..tokens[end - 1].end].to_string(),
            },
            start: i,
        },
        end,
    ))
}

fn words(tokens: &[Token<'_>], from: usize, to: usize) -> String {
    tokens[from..to]
        .iter()
        .map(|t| t.lower.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn singular(phrase: &str) -> String {
    let mut words: Vec<String> = phrase.split_whitespace().map(str::to_string).collect();
    if let Some(last) = words.last_mut() {
        // knives, but not explosives
        if let Some(stem) = last.strip_suffix("knives") {
            *last = format!("{stem}knife");
        } else if last.ends_with('s') && !last.ends_with("ss") && last.len() > 3 {
            last.pop();
        }
    }
    words.join(" ")
}

/// Who blames whom in a sentence ("X accused Y of ..."), and denials ("Y denied ...",
/// "Y said the damage came from ...").
///
/// `antecedent` is the source named last before the sentence: an accuser or a denier written
/// as a pronoun ("She also placed the blame on ...") is that source, never the pronoun; with
/// no source named before, the accuser is unnamed.
pub fn blames(
    tokens: &[Token<'_>],
    sentence: &str,
    speaker: Option<&str>,
    antecedent: Option<&str>,
    lex: &Lexicon,
) -> Vec<BlameFact> {
    let mut out = Vec::new();
    let words =
        |s: usize, e: usize| sentence[tokens[s].start..tokens[e - 1].end].replace(" 's", "'s");
    let pronoun = |s: usize, e: usize| attribution::is_pronoun(tokens, s, e, lex);
    // who blames or denies: a pronoun is the source named before
    let text = |s: usize, e: usize| -> Option<String> {
        match pronoun(s, e) {
            true => antecedent.map(str::to_string),
            false => Some(words(s, e)),
        }
    };
    // who is blamed: a pronoun names no one the reader can see
    let target = |s: usize, e: usize| (!pronoun(s, e)).then(|| words(s, e));
    for i in 0..tokens.len() {
        if let Some((n, _)) = lex.accuse.at(tokens, i) {
            let accuser = attribution::phrase_before(tokens, i, lex)
                .filter(|&(s, e)| {
                    !tokens[s..e]
                        .iter()
                        .any(|t| NOT_IN_NAMES.contains(&t.lower.as_str()))
                })
                .and_then(|(s, e)| text(s, e))
                .or_else(|| speaker.map(str::to_string));
            let accused = accused_after(tokens, i + n, lex).and_then(|(s, e)| target(s, e));
            if accuser.is_some() || accused.is_some() {
                out.push(BlameFact {
                    accuser,
                    accused,
                    denial: false,
                });
            }
        } else if let Some((_, _)) = lex.deny.at(tokens, i) {
            let denier = attribution::phrase_before(tokens, i, lex).and_then(|(s, e)| text(s, e));
            if denier.is_some() {
                out.push(BlameFact {
                    accuser: denier,
                    accused: None,
                    denial: true,
                });
            }
        } else if let Some((n, _)) = lex.cause.at(tokens, i) {
            let w = tokens[i].lower.as_str();
            let blames_before =
                matches!(w, "is" | "was" | "were" | "are" | "responsible" | "guilty");
            if blames_before {
                // "Britain and the United States were guilty of encouraging ..."
                let accused =
                    attribution::phrase_before(tokens, i, lex).and_then(|(s, e)| target(s, e));
                if accused.is_some() && speaker.is_some() {
                    out.push(BlameFact {
                        accuser: speaker.map(str::to_string),
                        accused,
                        denial: false,
                    });
                }
            } else if let Some((s, e)) = accused_after(tokens, i + n, lex) {
                // "casualties resulted from Russia's air defence": the speaker puts the
                // cause elsewhere
                out.push(BlameFact {
                    accuser: speaker.map(str::to_string),
                    accused: target(s, e),
                    denial: true,
                });
            }
        }
    }
    out
}

/// Words that show a phrase is a clause, not the name of who blames ("they also tried to").
const NOT_IN_NAMES: &[&str] = &[
    "to", "tried", "trying", "would", "will", "not", "also", "they", "time",
];

fn accused_after(tokens: &[Token<'_>], from: usize, lex: &Lexicon) -> Option<(usize, usize)> {
    let mut e = from;
    while e < tokens.len()
        && e - from < 8
        && !tokens[e].is_boundary()
        && !matches!(
            tokens[e].lower.as_str(),
            "of" | "for" | "over" | "that" | "which" | "who" | "in" | "on"
        )
    {
        e += 1;
    }
    let mut s = from;
    while s < e && lex.trim.contains(tokens[s].lower.as_str()) {
        s += 1;
    }
    (s < e).then_some((s, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn named(s: &str) -> Vec<String> {
        let lex = Lexicon::shared();
        weapons(&tokenize(s), s, lex)
            .into_iter()
            .map(|w| w.fact.value)
            .collect()
    }

    #[test]
    fn aliases_map_to_one_weapon() {
        assert_eq!(
            named("Two Vilkha missiles, with banned cluster munitions"),
            ["Olkha missile", "cluster munition"]
        );
        assert_eq!(
            named("Olkha missiles fitted with cluster-munition warheads"),
            ["Olkha missile", "cluster munition"]
        );
        assert_eq!(
            named("He carried an AR-15-style rifle and two handguns."),
            ["ar-15-style rifle", "handgun"]
        );
        assert_eq!(
            named("two pressure cooker bombs exploded"),
            ["pressure cooker bomb"]
        );
    }

    #[test]
    fn plurals_become_singular() {
        assert_eq!(singular("kitchen knives"), "kitchen knife");
        assert_eq!(singular("explosives"), "explosive");
        assert_eq!(singular("homemade bombs"), "homemade bomb");
        assert_eq!(singular("glass"), "glass");
    }
}
