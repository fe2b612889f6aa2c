use super::*;
use crate::text::tokenize;

fn found(s: &str) -> Vec<(String, Role)> {
    let lex = Lexicon::shared();
    let tokens = tokenize(s);
    mentions(&tokens, lex)
        .into_iter()
        .map(|m| (m.place.name, m.role))
        .collect()
}

#[test]
fn places_and_their_roles() {
    assert_eq!(
        found(
            "Russian officials said the strike hit the village of Urazovo in the Belgorod region."
        ),
        [
            ("Russia".to_string(), Role::Actor),
            ("Urazovo".to_string(), Role::Location),
            ("Belgorod region".to_string(), Role::Location)
        ]
    );
    assert_eq!(
        found("Moscow's bombardment of Ukraine killed two people in a Polish border village."),
        [
            ("Moscow".to_string(), Role::Actor),
            ("Ukraine".to_string(), Role::Weak),
            ("Poland".to_string(), Role::Adjective)
        ]
    );
    // a town and its state are one place: the state tells which town, and gives an
    // unknown town its country
    assert_eq!(
        found("Police said a gunman opened fire in Newtown, Connecticut."),
        [("Newtown".to_string(), Role::Location)]
    );
}

fn country_of(s: &str) -> Vec<(String, Option<String>)> {
    let lex = Lexicon::shared();
    let tokens = tokenize(s);
    mentions(&tokens, lex)
        .into_iter()
        .map(|m| (m.place.name, m.place.country))
        .collect()
}

#[test]
fn the_state_named_with_a_town_picks_the_town() {
    assert_eq!(
        country_of("A storm hit Athens, Georgia."),
        [("Athens".to_string(), Some("US".to_string()))]
    );
    assert_eq!(
        country_of("Protesters marched in Athens."),
        [("Athens".to_string(), Some("GR".to_string()))]
    );
    assert_eq!(
        country_of("A gunman killed 10 people in Buffalo, New York."),
        [("Buffalo".to_string(), Some("US".to_string()))]
    );
    assert_eq!(
        country_of("It happened in Newtown, Connecticut."),
        [("Newtown".to_string(), Some("US".to_string()))]
    );
}
