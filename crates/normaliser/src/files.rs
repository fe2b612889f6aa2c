//! `normaliser extract`: the main text of HTML files, outside any corpus. Files are read,
//! decoded (byte order mark, valid UTF-8, declared charset, else a guess) and extracted in
//! parallel; each result goes to stdout in input order or to `DIR/<file stem>.txt|.json`
//! (written to a temporary name and renamed, so an output is whole or absent).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tracing::warn;

use corpus::BlockKind;

use crate::html::{self, Limits};
use crate::{Extracted, Normaliser};

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The article's body (schema.org's `articleBody`): its blocks separated by blank
    /// lines, without the headline and the standfirst, which the JSON form gives as blocks.
    Text,
    /// Metadata, text, blocks and removals as JSON.
    Json,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Json => "json",
        }
    }
}

/// One file that could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}: {size} bytes is more than the page size limit of {limit} bytes (--max-page-bytes)"
    )]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: usize,
    },
    #[error("{path}: {source}")]
    NotText {
        path: PathBuf,
        source: html::NotText,
    },
    #[error("{path}: {source}")]
    Html {
        path: PathBuf,
        source: html::HtmlError,
    },
    #[error("{path}: not extracted: the normaliser could not be set up")]
    NotRun { path: PathBuf },
    #[error("{path}: same file name as {other}, whose output would be overwritten")]
    SameStem { path: PathBuf, other: PathBuf },
    #[error("{path}: cannot write {target}: {source}")]
    Write {
        path: PathBuf,
        target: PathBuf,
        source: std::io::Error,
    },
}

/// What `extract` did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub extracted: usize,
    pub failed: usize,
}

/// Reads, decodes and extracts one file.
pub fn extract_file(
    normaliser: &Normaliser,
    path: &Path,
    limits: &Limits,
) -> Result<(Extracted, &'static str), FileError> {
    let (page, encoding) = read_page(path, limits)?;
    Ok((normaliser.finish_page(page), encoding))
}

/// Reads, decodes and extracts one file up to the boilerplate rules: what needs no
/// [`Normaliser`].
fn read_page(path: &Path, limits: &Limits) -> Result<(html::Page, &'static str), FileError> {
    let read_error = |source| FileError::Read {
        path: path.to_path_buf(),
        source,
    };
    // One open for the size check and the read.
    let mut file = std::fs::File::open(path).map_err(read_error)?;
    let size = file.metadata().map_err(read_error)?.len();
    if size > limits.max_bytes as u64 {
        return Err(FileError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: limits.max_bytes,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.read_to_end(&mut bytes).map_err(read_error)?;
    let decoded = html::decode(bytes).map_err(|source| FileError::NotText {
        path: path.to_path_buf(),
        source,
    })?;
    let page = html::extract_with(&decoded.text, limits).map_err(|source| FileError::Html {
        path: path.to_path_buf(),
        source,
    })?;
    Ok((page, decoded.charset.name()))
}

#[derive(Serialize)]
struct JsonOutput<'a> {
    file: String,
    encoding: &'a str,
    meta: &'a corpus::ArticleMeta,
    text: String,
    blocks: &'a [corpus::Block],
    removed: &'a [corpus::Removal],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    /// Which way the text was found (see `html::Path`), and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<[&'a str; 2]>,
}

/// One result as text or JSON.
pub fn render(path: &Path, extracted: &Extracted, encoding: &str, format: Format) -> String {
    let body = body_text(extracted);
    match format {
        Format::Text => body + "\n",
        Format::Json => {
            let out = JsonOutput {
                file: path.display().to_string(),
                encoding,
                meta: &extracted.meta,
                text: body,
                blocks: &extracted.blocks,
                removed: &extracted.removed,
                notes: &extracted.notes,
                path: extracted.path.as_ref().map(|p| [p.name(), p.why()]),
            };
            serde_json::to_string_pretty(&out).expect("plain data serialises") + "\n"
        }
    }
}

/// The article's body as the source wrote it: its blocks without the headline and the
/// standfirst, separated by blank lines.
pub fn body_text(extracted: &Extracted) -> String {
    join_body(extracted.blocks.iter().map(|b| (b.kind, b.original_text())))
}

/// The body from blocks given as kind and text.
fn join_body<'a>(blocks: impl Iterator<Item = (BlockKind, &'a str)>) -> String {
    blocks
        .filter(|(kind, _)| !matches!(kind, BlockKind::Title | BlockKind::Standfirst))
        .map(|(_, text)| text)
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Extracts every file, in parallel; prints results in input order, or writes them under
/// `out`. A file that fails is logged with its name and counted; the rest go on.
///
/// `prepare` makes the normaliser (compiling the boilerplate rules takes a while) and
/// readies the output; it runs on its own thread while the first pages are parsed, and no
/// output is written before it succeeds. Its error ends the run with nothing written.
pub fn extract_files<E: Send>(
    prepare: impl FnOnce() -> Result<Normaliser, E> + Send,
    files: &[PathBuf],
    format: Format,
    out: Option<&Path>,
    limits: &Limits,
) -> Result<Summary, E> {
    let stems = output_names(files, format);
    let ready: OnceLock<Option<Normaliser>> = OnceLock::new();
    let job = Job { format, out };
    let mut results = std::thread::scope(|scope| {
        let preparing = scope.spawn(|| match prepare() {
            Ok(normaliser) => {
                let _ = ready.set(Some(normaliser));
                Ok(())
            }
            Err(e) => {
                let _ = ready.set(None);
                Err(e)
            }
        });
        // The largest pages first, each to whichever thread is free: a large page parsed
        // last would leave the other core idle. A page parsed before the rules are ready
        // is kept, parsed, rather than wait for them and leave its core idle.
        let started: Vec<(usize, Stage)> = largest_first(files)
            .into_iter()
            .par_bridge()
            .map(|i| {
                let path = &files[i];
                let stage = match job.target(path, &stems[i]) {
                    Err(e) => Stage::Done(Err(e)),
                    Ok(target) => match read_page(path, limits) {
                        Err(e) => Stage::Done(Err(e)),
                        Ok((page, encoding)) => match ready.get() {
                            Some(Some(normaliser)) => {
                                Stage::Done(job.finish(normaliser, path, target, page, encoding))
                            }
                            Some(None) => {
                                Stage::Done(Err(FileError::NotRun { path: path.clone() }))
                            }
                            None => Stage::Parsed {
                                target,
                                page: Box::new(page),
                                encoding,
                            },
                        },
                    },
                };
                (i, stage)
            })
            .collect();
        preparing
            .join()
            .expect("preparing the normaliser does not panic")?;
        let normaliser = ready
            .get()
            .and_then(Option::as_ref)
            .expect("prepared without error");
        Ok(started
            .into_par_iter()
            .map(|(i, stage)| {
                let result = match stage {
                    Stage::Done(result) => result,
                    Stage::Parsed {
                        target,
                        page,
                        encoding,
                    } => job.finish(normaliser, &files[i], target, *page, encoding),
                };
                (i, result)
            })
            .collect::<Vec<_>>())
    })?;
    results.sort_unstable_by_key(|(i, _)| *i);
    let mut summary = Summary::default();
    // Printing stops quietly when the reader has gone (`| head`); the count goes on.
    let mut printing = true;
    for (_, result) in results {
        match result {
            Ok(printed) => {
                summary.extracted += 1;
                if let Some(text) = printed.filter(|_| printing) {
                    printing = match cli::print(&text) {
                        Ok(open) => open,
                        Err(e) => {
                            warn!(error = %e, "cannot write to stdout");
                            summary.failed += 1;
                            false
                        }
                    };
                }
            }
            Err(e) => {
                warn!(error = %e, "skipping file");
                summary.failed += 1;
            }
        }
    }
    Ok(summary)
}

/// One file on its way: extracted (or failed), or parsed and waiting for the rules.
enum Stage {
    Done(Result<Option<String>, FileError>),
    Parsed {
        target: Option<PathBuf>,
        page: Box<html::Page>,
        encoding: &'static str,
    },
}

/// What is done with each extracted page.
#[derive(Clone, Copy)]
struct Job<'a> {
    format: Format,
    out: Option<&'a Path>,
}

impl Job<'_> {
    /// The output file of an input (`None` when printing), or the input whose output it
    /// would overwrite.
    fn target(
        &self,
        path: &Path,
        stem: &Result<String, PathBuf>,
    ) -> Result<Option<PathBuf>, FileError> {
        match (self.out, stem) {
            (_, Err(other)) => Err(FileError::SameStem {
                path: path.to_path_buf(),
                other: other.clone(),
            }),
            (Some(dir), Ok(name)) => Ok(Some(dir.join(name))),
            (None, Ok(_)) => Ok(None),
        }
    }

    /// Applies the rules to a parsed page and writes the result (or returns it to print).
    fn finish(
        &self,
        normaliser: &Normaliser,
        path: &Path,
        target: Option<PathBuf>,
        page: html::Page,
        encoding: &str,
    ) -> Result<Option<String>, FileError> {
        for note in &page.notes {
            warn!(file = %path.display(), "{note}");
        }
        let rendered = match self.format {
            // The same text as `render` gives, without the sentence spans it does not print.
            Format::Text => {
                let blocks = normaliser.finish_page_text(page);
                join_body(blocks.iter().map(|(kind, text)| (*kind, text.as_str()))) + "\n"
            }
            Format::Json => render(path, &normaliser.finish_page(page), encoding, self.format),
        };
        match target {
            None => Ok(Some(rendered)),
            Some(target) => {
                write_whole(&target, rendered.as_bytes()).map_err(|source| FileError::Write {
                    path: path.to_path_buf(),
                    target,
                    source,
                })?;
                Ok(None)
            }
        }
    }
}

/// Indexes of the files, largest first (a file whose size cannot be read counts as empty;
/// reading it fails later, with its error).
fn largest_first(files: &[PathBuf]) -> Vec<usize> {
    let sizes: Vec<u64> = files
        .iter()
        .map(|path| std::fs::metadata(path).map_or(0, |m| m.len()))
        .collect();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    order
}

/// `<stem>.<ext>` for each input; an input whose name repeats an earlier one's gets the
/// earlier path instead (its output would overwrite the other).
fn output_names(files: &[PathBuf], format: Format) -> Vec<Result<String, PathBuf>> {
    let mut seen: HashMap<String, &PathBuf> = HashMap::new();
    files
        .iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "page".into());
            let name = format!("{stem}.{}", format.extension());
            match seen.get(&name) {
                Some(other) => Err((*other).clone()),
                None => {
                    seen.insert(name.clone(), path);
                    Ok(name)
                }
            }
        })
        .collect()
}

/// Writes to a temporary file beside the target and renames it over the target.
fn write_whole(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, target).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
