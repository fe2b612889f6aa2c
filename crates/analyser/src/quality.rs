//! Scores of claim extraction against hand-made gold, sentence by sentence: the real-sentence
//! benchmark of `tests/data/sentences/` (see its README and GUIDELINES.md). Pure: gold and
//! predictions in, precision and recall per measure out. The example `sentence_bench` and the
//! quality floor test run it.
//!
//! A figure is the key (measure, subject class, count). A predicted key is right when the
//! sentence's gold has it (a gold figure may allow several counts), wrong when the gold does
//! not; a key that only an optional gold figure has is neither. Recall counts the required
//! gold figures found. Subjects fold into classes ("civilians" and "villagers" are people,
//! "policemen" are officers) by the table the caller gives, so that the noun an article used
//! and the noun the gold wrote need not be the same word.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Deserialize;

/// The measures scored; others ("hostages") are neither right nor wrong.
pub const SCORED: &[&str] = &[
    "killed",
    "injured",
    "missing",
    "arrested",
    "evacuated",
    "displaced",
    "trapped",
    "launched",
    "intercepted",
    "damaged",
];

/// One sentence of the benchmark with its gold.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldSentence {
    pub id: String,
    pub url: String,
    pub sentence: String,
    #[serde(default)]
    pub cues: Vec<String>,
    pub claims: Vec<GoldClaim>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaim {
    pub measure: String,
    #[serde(default)]
    pub subject: Option<String>,
    /// Fair readings of the count; empty for a vague quantity.
    #[serde(default, deserialize_with = "counts")]
    pub count: Vec<u64>,
    #[serde(default)]
    pub qualifier: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

fn counts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Counts {
        One(u64),
        Many(Vec<u64>),
        Vague(()),
    }
    Ok(match Counts::deserialize(d)? {
        Counts::One(n) => vec![n],
        Counts::Many(v) => v,
        Counts::Vague(()) => Vec::new(),
    })
}

/// A figure the analyser read from a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicted {
    pub measure: String,
    pub subject: String,
    pub count: Option<u64>,
    pub qualifier: String,
}

/// The held-aside third: decided by the id alone, so nobody chooses it.
pub fn held_aside(id: &str) -> bool {
    let hash = corpus::sha256_hex(id);
    u64::from_str_radix(&hash[..8], 16).is_ok_and(|n| n % 3 == 0)
}

/// Folds subject nouns into classes: `classes` maps a class to its nouns (singular).
pub struct SubjectClasses {
    by_noun: HashMap<String, String>,
}

impl SubjectClasses {
    pub fn new(classes: &BTreeMap<String, Vec<String>>) -> SubjectClasses {
        let mut by_noun = HashMap::new();
        for (class, nouns) in classes {
            for n in nouns {
                by_noun.insert(n.to_lowercase(), class.clone());
            }
        }
        SubjectClasses { by_noun }
    }

    /// The class of a subject: its last word, singular, folded ("police officers" ->
    /// officers, "houses" -> house).
    pub fn class(&self, subject: &str) -> String {
        let lower = subject.trim().to_lowercase().replace('_', " ");
        let mut word = lower
            .split_whitespace()
            .last()
            .unwrap_or("people")
            .to_string();
        if word.chars().count() > 3 && word.ends_with('s') && word != "children" && word != "people"
        {
            word.pop();
        }
        self.by_noun.get(&word).cloned().unwrap_or(word)
    }
}

type Key = (String, String, Option<u64>);

/// Right, wrong and missed figures of one measure (or of all).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub right: usize,
    pub wrong: usize,
    pub required: usize,
    pub found: usize,
    /// Right figures whose qualifier agrees with a gold one that states it.
    pub qualifier_agrees: usize,
    pub qualifier_stated: usize,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.right + self.wrong)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.found, self.required)
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn add(&mut self, o: &Tally) {
        self.right += o.right;
        self.wrong += o.wrong;
        self.required += o.required;
        self.found += o.found;
        self.qualifier_agrees += o.qualifier_agrees;
        self.qualifier_stated += o.qualifier_stated;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Tallies per measure and over all measures.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    pub by_measure: BTreeMap<String, Tally>,
    pub all: Tally,
    /// The sentences with a wrong or a missed figure, for reading.
    pub errors: Vec<SentenceErrors>,
}

#[derive(Debug, Clone)]
pub struct SentenceErrors {
    pub id: String,
    pub wrong: Vec<Predicted>,
    pub missed: Vec<GoldClaim>,
}

/// Scores the predictions of each sentence (same order as `gold`).
pub fn score(
    gold: &[GoldSentence],
    predicted: &[Vec<Predicted>],
    classes: &SubjectClasses,
) -> Scores {
    let mut scores = Scores::default();
    for (g, p) in gold.iter().zip(predicted) {
        let (tallies, errors) = score_sentence(g, p, classes);
        for (measure, t) in tallies {
            scores.all.add(&t);
            scores.by_measure.entry(measure).or_default().add(&t);
        }
        if !errors.wrong.is_empty() || !errors.missed.is_empty() {
            scores.errors.push(errors);
        }
    }
    scores
}

fn score_sentence(
    g: &GoldSentence,
    predicted: &[Predicted],
    classes: &SubjectClasses,
) -> (BTreeMap<String, Tally>, SentenceErrors) {
    let scored = |m: &str| SCORED.contains(&m);
    let keys_of = |c: &GoldClaim| -> Vec<Key> {
        let class = classes.class(c.subject.as_deref().unwrap_or("people"));
        if c.count.is_empty() {
            return vec![(c.measure.clone(), class, None)];
        }
        c.count
            .iter()
            .map(|&n| (c.measure.clone(), class.clone(), Some(n)))
            .collect()
    };
    let gold_claims: Vec<&GoldClaim> = g.claims.iter().filter(|c| scored(&c.measure)).collect();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut errors = SentenceErrors {
        id: g.id.clone(),
        wrong: Vec::new(),
        missed: Vec::new(),
    };
    // predicted keys, once each
    let mut seen: BTreeSet<Key> = BTreeSet::new();
    for p in predicted.iter().filter(|p| scored(&p.measure)) {
        let key = (p.measure.clone(), classes.class(&p.subject), p.count);
        if !seen.insert(key.clone()) {
            continue;
        }
        let matching: Vec<&GoldClaim> = gold_claims
            .iter()
            .copied()
            .filter(|c| keys_of(c).contains(&key))
            .collect();
        let t = tallies.entry(p.measure.clone()).or_default();
        if matching.is_empty() {
            t.wrong += 1;
            errors.wrong.push(p.clone());
        } else if matching.iter().any(|c| !c.optional) {
            t.right += 1;
            let stated: Vec<&str> = matching
                .iter()
                .filter_map(|c| c.qualifier.as_deref())
                .collect();
            if !stated.is_empty() {
                t.qualifier_stated += 1;
                t.qualifier_agrees += usize::from(stated.contains(&p.qualifier.as_str()));
            }
        }
    }
    for c in gold_claims.iter().filter(|c| !c.optional) {
        let t = tallies.entry(c.measure.clone()).or_default();
        t.required += 1;
        if keys_of(c).iter().any(|k| seen.contains(k)) {
            t.found += 1;
        } else {
            errors.missed.push((*c).clone());
        }
    }
    (tallies, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes() -> SubjectClasses {
        let mut m = BTreeMap::new();
        m.insert(
            "people".to_string(),
            vec!["civilian".to_string(), "people".to_string()],
        );
        SubjectClasses::new(&m)
    }

    fn gold(claims: &str) -> GoldSentence {
        serde_json::from_str(&format!(
            r#"{{"id": "x-1", "url": "https://example.org/", "sentence": "s", "claims": {claims}}}"#
        ))
        .unwrap()
    }

    fn predicted(measure: &str, subject: &str, count: Option<u64>) -> Predicted {
        Predicted {
            measure: measure.into(),
            subject: subject.into(),
            count,
            qualifier: "exact".into(),
        }
    }

    #[test]
    fn a_figure_is_right_wrong_or_neither() {
        let g = gold(
            r#"[{"measure": "killed", "subject": "civilians", "count": [14, 16], "qualifier": "exact"},
                {"measure": "injured", "subject": "people", "count": 3, "optional": true},
                {"measure": "missing", "subject": "people", "count": null, "qualifier": "vague"}]"#,
        );
        let p = vec![
            predicted("killed", "people", Some(16)),
            predicted("killed", "people", Some(16)),
            predicted("injured", "people", Some(3)),
            predicted("damaged", "houses", Some(2)),
            predicted("hostages", "people", Some(2)),
        ];
        let s = score(&[g], &[p], &classes());
        assert_eq!(s.all.right, 1, "16 civilians killed, once");
        assert_eq!(
            s.all.wrong, 1,
            "the houses; the optional injured and the hostages are neither"
        );
        assert_eq!(
            (s.all.required, s.all.found),
            (2, 1),
            "the vague missing is missed"
        );
        assert_eq!(s.by_measure["killed"].qualifier_agrees, 1);
        assert_eq!(s.errors[0].missed[0].measure, "missing");
    }

    #[test]
    fn the_held_third_is_fixed_by_the_id() {
        let held = (0..300)
            .filter(|n| held_aside(&format!("set-{n:04}")))
            .count();
        assert!((70..130).contains(&held), "{held} of 300 held aside");
        assert_eq!(held_aside("set-0001"), held_aside("set-0001"));
    }
}
