//! `NORMALISER_CODE`: a hash of the sources that shape the normalised records (the stamp's
//! code part; see `build/code_stamp.rs`). Not the binary's own plumbing (`main.rs`), nor
//! `explain` and `extract`, which store nothing.

#[path = "../../build/code_stamp.rs"]
mod code_stamp;

fn main() {
    let (manifest, workspace, mut files, mut watch) = code_stamp::common();
    let src = manifest.join("src");
    let skip =
        |p: &str| matches!(p, "main.rs" | "explain.rs" | "files.rs") || p.ends_with("tests.rs");
    files.extend(code_stamp::files(&src, &skip));
    watch.push(src);
    code_stamp::emit("NORMALISER_CODE", &workspace, &files, &watch);
}
