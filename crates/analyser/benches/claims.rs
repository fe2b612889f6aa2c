//! Claim extraction speed: the seed articles (normalised once), read again and again on one
//! thread. Run with `cargo bench -p analyser --bench claims` (or `just bench`); it prints
//! articles per second per core.

use std::path::Path;
use std::time::{Duration, Instant};

use analyser::Analyser;
use corpus::Corpus;
use normaliser::Normaliser;

/// How long to measure for.
const MEASURE_FOR: Duration = Duration::from_secs(3);

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
    let corpus = Corpus::open(&root).expect("the shipped corpus");
    let normaliser = Normaliser::builtin();
    let docs: Vec<_> = corpus
        .raw_ids()
        .expect("raw ids")
        .iter()
        .map(|id| normaliser.normalise(&corpus.read_raw(id).expect("raw article")))
        .collect();
    assert!(!docs.is_empty(), "no articles in {}", root.display());
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let analyser = Analyser::builtin();
    // warm up, and count what one pass finds
    let claims: usize = docs.iter().map(|d| analyser.analyse(d).claims.len()).sum();
    // many short passes: on a shared machine the median pass is the honest figure, and the
    // fastest tenth shows the speed without interference from other processes
    let start = Instant::now();
    let mut passes: Vec<f64> = Vec::new();
    while start.elapsed() < MEASURE_FOR {
        let pass = Instant::now();
        for d in &docs {
            std::hint::black_box(analyser.analyse(std::hint::black_box(d)));
        }
        passes.push(pass.elapsed().as_secs_f64());
    }
    passes.sort_by(f64::total_cmp);
    let rate = |secs: f64| docs.len() as f64 / secs;
    let median = passes[passes.len() / 2];
    let fast = passes[passes.len() / 10];
    println!(
        "claims: {} passes over {} articles ({} bytes of text on average, {claims} claims per pass) on one thread: median {:.0} articles/s ({:.1} MB/s), fastest tenth {:.0} articles/s",
        passes.len(),
        docs.len(),
        bytes / docs.len(),
        rate(median),
        bytes as f64 / median / 1e6,
        rate(fast),
    );
}
