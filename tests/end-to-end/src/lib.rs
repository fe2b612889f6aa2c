//! End-to-end tests of the crosscheck binaries; see `tests/`. The binaries are found next to
//! the test executable's folder (`target/<profile>/`), so build them first:
//! `cargo build --workspace --bins` (`just test` does).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `target/<profile>/<name>`, next to this test's `deps/` folder.
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir.join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first (`just test` does)",
        path.display()
    );
    path
}

/// Runs a stage on a corpus with the shipped config.
pub fn run(name: &str, corpus: &Path, args: &[&str]) -> Output {
    Command::new(binary(name))
        .arg("--corpus")
        .arg(corpus)
        .arg("--config")
        .arg(workspace().join("config/crosscheck.toml"))
        .args(args)
        .output()
        .unwrap()
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
