//! Load time of the shipped rules: the lexicon (`config/claims.toml`) compiled with the
//! gazetteer (`config/gazetteer.tsv`), as every run of the analyser does once. Run with
//! `cargo bench -p analyser --bench lexicon`; it prints the median and fastest load.

use std::time::{Duration, Instant};

use analyser::lexicon::{DEFAULT_GAZETTEER, DEFAULT_LEXICON, Lexicon};

/// How long to measure for.
const MEASURE_FOR: Duration = Duration::from_secs(5);

fn main() {
    let start = Instant::now();
    let mut loads: Vec<f64> = Vec::new();
    while start.elapsed() < MEASURE_FOR || loads.len() < 5 {
        let load = Instant::now();
        let lexicon = Lexicon::parse_with(DEFAULT_LEXICON, DEFAULT_GAZETTEER).expect("valid");
        loads.push(load.elapsed().as_secs_f64());
        std::hint::black_box(lexicon);
    }
    loads.sort_by(f64::total_cmp);
    println!(
        "lexicon and gazetteer ({} bytes): {} loads, median {:.1} ms, fastest {:.1} ms",
        DEFAULT_GAZETTEER.len(),
        loads.len(),
        loads[loads.len() / 2] * 1e3,
        loads[0] * 1e3,
    );
}
