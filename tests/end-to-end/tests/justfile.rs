//! The justfile finds the binaries where cargo puts them (issue 14, finding 7): `just ingest`
//! failed with exit 127 for anyone with `CARGO_TARGET_DIR` set, the justfile naming
//! `target/release`. Checked with `just --evaluate` from a folder inside the repository (the
//! test is skipped where `just` is not installed; CI installs it).

use std::process::Command;

use end_to_end::workspace;

fn bin_from(dir: &std::path::Path, target: Option<&str>) -> Option<String> {
    let mut just = Command::new("just");
    just.current_dir(dir).args(["--evaluate", "bin"]);
    match target {
        Some(t) => just.env("CARGO_TARGET_DIR", t),
        None => just.env_remove("CARGO_TARGET_DIR"),
    };
    let out = just.output().ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn the_binaries_are_found_where_cargo_puts_them_from_any_folder() {
    let inside = workspace().join("crates/analyser/src");
    let Some(default) = bin_from(&inside, None) else {
        eprintln!("just is not installed: skipped");
        return;
    };
    assert_eq!(default, "target/release");
    assert_eq!(
        bin_from(&inside, Some("/elsewhere/target")).unwrap(),
        "/elsewhere/target/release"
    );
}
