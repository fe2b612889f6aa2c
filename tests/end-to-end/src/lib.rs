//! End-to-end tests of the crosscheck binaries; see `tests/`. The binaries are found next to
//! the test executable's folder (`target/<profile>/`), so build them first:
//! `cargo build --workspace --bins` (`just test` does).
