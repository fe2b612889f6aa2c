//! Shared by the property tests (`crates/*/tests/fuzz.rs`, included with `#[path]`): how many
//! cases a run tries, and the bounds every input must keep.

use std::time::{Duration, Instant};

use proptest::prelude::ProptestConfig;

/// 32 cases in `just test` (each test a second or two); `PROPTEST_CASES` sets more
/// (`just fuzz`).
pub fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 32;
    }
    // Failing inputs are reported, not written into the source tree.
    config.failure_persistence = None;
    config
}

/// The longest one input may take, whatever it holds. This catches a hang or a blow-up (an
/// input that makes a step quadratic in its length takes minutes), not slowness: it is many
/// times what any input takes in a debug build on a machine busy with other builds (CI once
/// measured 7 s for a first input that also loaded the lexicon, now loaded before the clock
/// starts). Speed is measured by `just bench`.
pub const MAX_TIME: Duration = Duration::from_secs(30);

/// Runs `f` on one input and fails when it takes longer than [`MAX_TIME`].
pub fn timed<R>(what: &str, f: impl FnOnce() -> R) -> R {
    let started = Instant::now();
    let result = f();
    let took = started.elapsed();
    assert!(took < MAX_TIME, "{what} took {took:?}");
    result
}
