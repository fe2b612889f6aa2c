//! The real-sentence benchmark (`tests/data/sentences/`): every sentence is normalised and
//! read alone, and its figures are scored against the hand-made gold, per measure, for the
//! development part and the held-aside third apart. `just bench-sentences` runs it.
//!
//! usage: sentence_bench [--part dev|held|all] [--errors N] [--collection NAME]... [FILE.jsonl]...
//! (default: every collection of tests/data/sentences, both parts)

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use analyser::Analyser;
use analyser::quality::{self, GoldSentence, Predicted, Scores, SubjectClasses, Tally};
use corpus::{ArticleId, Fact, Origin, RawArticle, RawFormat};
use normaliser::Normaliser;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut part = "both".to_string();
    let mut errors = 0usize;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--part" => part = it.next().expect("--part dev|held|all").clone(),
            "--errors" => errors = it.next().and_then(|n| n.parse().ok()).expect("--errors N"),
            "--collection" => files.push(data_dir().join(format!("{}.jsonl", it.next().unwrap()))),
            f => files.push(PathBuf::from(f)),
        }
    }
    if files.is_empty() {
        files = collections();
    }
    let classes = subject_classes();
    let analyser = Analyser::builtin();
    let normaliser = Normaliser::builtin();
    let mut sentences: Vec<(String, GoldSentence)> = Vec::new();
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        for line in std::fs::read_to_string(f)
            .expect("readable")
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let g: GoldSentence = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}: {e}: {line}", f.display()));
            sentences.push((name.clone(), g));
        }
    }
    let started = Instant::now();
    let predicted: Vec<Vec<Predicted>> = sentences
        .iter()
        .map(|(_, g)| read_sentence(&g.sentence, &normaliser, &analyser))
        .collect();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{} sentences of {} collections read in {secs:.2} s ({:.0} sentences/s, normalising included)",
        sentences.len(),
        files.len(),
        sentences.len() as f64 / secs
    );
    let parts: &[(&str, bool)] = match part.as_str() {
        "dev" => &[("dev", false)],
        "held" => &[("held", true)],
        "all" => &[],
        _ => &[("dev", false), ("held", true)],
    };
    if parts.is_empty() {
        report("all", &sentences, &predicted, |_| true, &classes, errors);
    }
    for &(name, held) in parts {
        report(
            name,
            &sentences,
            &predicted,
            |g| quality::held_aside(&g.id) == held,
            &classes,
            errors,
        );
    }
}

fn report(
    part: &str,
    sentences: &[(String, GoldSentence)],
    predicted: &[Vec<Predicted>],
    keep: impl Fn(&GoldSentence) -> bool,
    classes: &SubjectClasses,
    errors: usize,
) {
    let mut by_collection: BTreeMap<&str, (Vec<GoldSentence>, Vec<Vec<Predicted>>)> =
        BTreeMap::new();
    let mut gold_all = Vec::new();
    let mut pred_all = Vec::new();
    for ((c, g), p) in sentences.iter().zip(predicted) {
        if !keep(g) {
            continue;
        }
        let e = by_collection.entry(c.as_str()).or_default();
        e.0.push(g.clone());
        e.1.push(p.clone());
        gold_all.push(g.clone());
        pred_all.push(p.clone());
    }
    let total = quality::score(&gold_all, &pred_all, classes);
    println!("\n== {part}: {} sentences", gold_all.len());
    println!(
        "{:<14} {:>6} {:>6} {:>6} {:>7} {:>7} {:>6}",
        "measure", "P", "R", "F1", "right", "wrong", "found"
    );
    for (m, t) in &total.by_measure {
        line(m, t);
    }
    line("all", &total.all);
    println!("by collection:");
    for (c, (g, p)) in &by_collection {
        line(c, &quality::score(g, p, classes).all);
    }
    let agree = total.all.qualifier_agrees as f64 / total.all.qualifier_stated.max(1) as f64;
    println!("qualifier agreement on right figures: {agree:.3}");
    print_errors(&total, &gold_all, errors);
    println!(
        "{part} claims: P={:.3} R={:.3} F1={:.3}",
        total.all.precision(),
        total.all.recall(),
        total.all.f1()
    );
}

fn line(name: &str, t: &Tally) {
    println!(
        "{name:<14} {:>6.3} {:>6.3} {:>6.3} {:>7} {:>7} {:>3}/{:<3}",
        t.precision(),
        t.recall(),
        t.f1(),
        t.right,
        t.wrong,
        t.found,
        t.required
    );
}

fn print_errors(scores: &Scores, gold: &[GoldSentence], n: usize) {
    for e in scores.errors.iter().take(n) {
        let g = gold.iter().find(|g| g.id == e.id).unwrap();
        println!("-- {} {}", e.id, g.sentence);
        for w in &e.wrong {
            println!(
                "   wrong  {} {} {:?} {}",
                w.measure, w.subject, w.count, w.qualifier
            );
        }
        for m in &e.missed {
            println!(
                "   missed {} {} {:?}",
                m.measure,
                m.subject.as_deref().unwrap_or("people"),
                m.count
            );
        }
    }
}

/// The figures the analyser reads from one sentence, normalised as an imported text.
fn read_sentence(sentence: &str, normaliser: &Normaliser, analyser: &Analyser) -> Vec<Predicted> {
    let raw = RawArticle::new(
        ArticleId::new("sentence").unwrap(),
        RawFormat::Text,
        Origin::Import {
            file_name: "sentence.txt".into(),
        },
        sentence.to_string(),
    );
    let doc = normaliser.normalise(&raw);
    analyser
        .analyse(&doc)
        .claims
        .into_iter()
        .filter_map(|c| match c.fact {
            Fact::Count(f) => Some(Predicted {
                subject: f.noun.clone().unwrap_or(f.subject.clone()),
                measure: f.measure,
                count: f.count,
                qualifier: serde_json::to_value(f.qualifier)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
            }),
            _ => None,
        })
        .collect()
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/sentences")
}

/// Every collection: the `.jsonl` files of the data folder but the per-article counts.
pub fn collections() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .expect("tests/data/sentences")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|e| e == "jsonl")
                && !p.to_string_lossy().ends_with("-articles.jsonl")
        })
        .collect();
    files.sort();
    files
}

fn subject_classes() -> SubjectClasses {
    let text =
        std::fs::read_to_string(data_dir().join("subject-classes.toml")).expect("subject classes");
    let table: BTreeMap<String, Vec<String>> = toml::from_str(&text).expect("subject classes TOML");
    SubjectClasses::new(&table)
}
