//! Shared by the build scripts of the stages whose output is stored (`normaliser`,
//! `analyser`): a hash of the source files that shape that output, so that a build whose
//! extraction or claims code changed stamps its records differently and the stage makes them
//! again (ARCHITECTURE.md: derived records name the code that made them).
//!
//! Included with `#[path]` rather than a crate of its own: a build script needs nothing more.

use std::path::{Path, PathBuf};

/// Every file below `dir` (sorted), except those `skip` refuses (given the path relative to
/// `dir`, with `/` separators).
pub fn files(dir: &Path, skip: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() {
                stack.push(path);
            } else if !skip(&relative) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// FNV-1a (64 bits) of each file's name relative to `base` and its bytes, in order, as hex:
/// the same on every machine and compiler. Missing files count as empty.
pub fn hash(base: &Path, files: &[PathBuf]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for path in files {
        let name = path.strip_prefix(base).unwrap_or(path);
        eat(name.to_string_lossy().replace('\\', "/").as_bytes());
        eat(&[0]);
        eat(&std::fs::read(path).unwrap_or_default());
        eat(&[0]);
    }
    format!("{h:016x}")
}

/// Sets `name` for the crate's code (`env!`) to the hash of `files`, and asks cargo to run
/// the script again when any of `watch` (files or folders) changes.
pub fn emit(name: &str, base: &Path, files: &[PathBuf], watch: &[PathBuf]) {
    println!("cargo:rustc-env={name}={}", hash(base, files));
    for path in watch {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// The crate's folder, the workspace's, and the files every stamp includes besides the
/// crate's own: the stored types (`crates/corpus/src`) and the dependency versions
/// (`Cargo.lock`: a new parser version can change what is extracted).
pub fn common() -> (PathBuf, PathBuf, Vec<PathBuf>, Vec<PathBuf>) {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // Canonical, so that the names hashed are the same wherever the checkout is.
    let manifest = manifest.canonicalize().unwrap_or(manifest);
    let workspace = manifest.join("../..");
    let workspace = workspace.canonicalize().unwrap_or(workspace);
    let corpus = workspace.join("crates/corpus/src");
    let lock = workspace.join("Cargo.lock");
    let mut files = self::files(&corpus, &|_| false);
    let mut watch = vec![corpus];
    if lock.is_file() {
        files.push(lock.clone());
        watch.push(lock);
    }
    (manifest, workspace, files, watch)
}
