//! Command-line plumbing shared by the three crosscheck binaries, so that each `main.rs` is
//! only its arguments, its config section, logging, `run()` and an exit code: the common flags
//! (`--corpus`, `--config`, `--log-format`, `-v`/`-q`), logging setup, config file loading and
//! the exit code contract (0 all done, 1 some items failed, 2 usage or config error).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde::de::DeserializeOwned;

pub mod stream;
use tracing_subscriber::EnvFilter;

/// Where the corpus is when `--corpus` is not given.
pub const DEFAULT_CORPUS: &str = "./corpus";
/// Where the config file is when `--config` is not given. A missing default file means
/// built-in defaults; a missing file named with `--config` is an error.
pub const DEFAULT_CONFIG: &str = "./config/crosscheck.toml";

/// Flags every binary takes.
#[derive(Debug, Clone, clap::Args)]
pub struct CommonArgs {
    /// The corpus directory.
    #[arg(long, global = true, default_value = DEFAULT_CORPUS, value_name = "DIR")]
    pub corpus: PathBuf,
    /// The config file (TOML). Flags override it.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log format on stderr: `text` for people, `json` (one object per line) for cron.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// More log detail (-v debug, -vv trace). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only warnings and errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl CommonArgs {
    /// Sets up `tracing` on stderr in the chosen format.
    pub fn init_logging(&self) {
        let level = match (self.quiet, self.verbose) {
            (true, _) => "warn",
            (false, 0) => "info",
            (false, 1) => "debug",
            (false, _) => "trace",
        };
        // html5ever logs its parser's inner workings ("foster parenting not implemented")
        // as warnings; they say nothing about the input.
        let filter = EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| EnvFilter::new(format!("{level},html5ever=error")));
        // Colours only for a person at a terminal: escape codes in a cron mail or a log file
        // are noise (and `NO_COLOR` is the usual way to turn them off).
        let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let builder = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(colour)
            .with_writer(std::io::stderr);
        let _ = match self.log_format {
            LogFormat::Text => builder.with_target(false).try_init(),
            LogFormat::Json => builder.json().flatten_event(true).try_init(),
        };
    }

    /// The config file, parsed; built-in defaults (an empty table) when the default file is
    /// absent.
    pub fn load_config(&self) -> Result<Config> {
        match &self.config {
            Some(path) => Config::load(path),
            None if Path::new(DEFAULT_CONFIG).exists() => Config::load(Path::new(DEFAULT_CONFIG)),
            None => Ok(Config::default()),
        }
    }
}

/// The sections of `crosscheck.toml`, one per stage; any other is an error.
pub const SECTIONS: &[&str] = &["fetcher", "normaliser", "analyser"];

/// A parsed `crosscheck.toml`: each stage reads its own section.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file it came from; relative paths in it are relative to its folder.
    pub path: Option<PathBuf>,
    pub table: toml::Table,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let table: toml::Table = toml::from_str(&text)
            .with_context(|| format!("invalid config file {}", path.display()))?;
        // A misspelt section (`[fetchr]`) would be ignored, and what it configures never done.
        for (name, value) in &table {
            if !SECTIONS.contains(&name.as_str()) || !value.is_table() {
                bail!(
                    "invalid config file {}: unknown section [{name}] (the sections are {})",
                    path.display(),
                    SECTIONS
                        .iter()
                        .map(|s| format!("[{s}]"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            table,
        })
    }

    /// Deserializes section `name` (missing: the type's defaults). Unknown keys are errors
    /// when the type denies them, so typos are caught.
    pub fn section<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T> {
        match self.table.get(name) {
            None => Ok(T::default()),
            Some(value) => value
                .clone()
                .try_into()
                .with_context(|| format!("invalid [{name}] section in {}", self.display_path())),
        }
    }

    /// Resolves a path given in the config file against the file's folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        match self.path.as_deref().and_then(Path::parent) {
            Some(dir) if path.is_relative() => dir.join(path),
            _ => path.to_path_buf(),
        }
    }

    fn display_path(&self) -> String {
        self.path
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "built-in defaults".into())
    }
}

/// The exit code contract of every binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything done.
    Ok = 0,
    /// Some items failed; the rest were done.
    SomeFailed = 1,
    /// Usage or config error, or the corpus is locked by another run: nothing was done.
    Usage = 2,
}

impl Exit {
    pub fn from_failures(failures: usize) -> Exit {
        if failures == 0 {
            Exit::Ok
        } else {
            Exit::SomeFailed
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// A binary's whole `main`: parses its arguments, sets up logging from the common flags that
/// `common` finds in them, runs `run`, and turns its result into the exit code (see
/// [`guarded`]).
pub fn main<A: clap::Parser>(
    common: fn(&A) -> &CommonArgs,
    run: fn(&A) -> Result<Exit>,
) -> ExitCode {
    let args = A::parse();
    common(&args).init_logging();
    guarded(|| run(&args))
}

/// Runs a binary's work and turns its result into the exit code: an error that stops it
/// before anything is done is a usage, config or lock error (2); a panic (a bug) is logged as
/// one line, never as a raw panic message, and exits 1, since work may have been done.
pub fn guarded(run: impl FnOnce() -> Result<Exit>) -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".into());
        tracing::error!(error = %what, location = %at, "internal error");
        say(&format!(
            "error: internal error{at}: {what} (a bug: please report it)"
        ));
    }));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)) {
        Ok(Ok(exit)) => exit.into(),
        Ok(Err(e)) => fatal(&e, Exit::Usage),
        Err(_) => Exit::SomeFailed.into(),
    }
}

/// Logs a fatal error with its whole cause chain and returns the exit code for it.
pub fn fatal(error: &anyhow::Error, exit: Exit) -> ExitCode {
    tracing::error!(error = format!("{error:#}"), "stopped");
    say(&format!("error: {error:#}"));
    exit.into()
}

/// Writes a line for people (a run's summary) on stderr; a closed stderr is no error.
pub fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Writes output on stdout. A closed pipe (`| head`) is not an error: the reader has what it
/// wanted, so the output stops quietly (`Ok(false)`: nothing more should be written).
pub fn print(text: &str) -> std::io::Result<bool> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
    }
}

/// Opens the corpus for a stage and takes its run lock; a held lock is a clear error.
pub fn open_locked(corpus: &Path, create: bool) -> Result<(corpus::Corpus, corpus::RunLock)> {
    let store = if create {
        corpus::Corpus::create(corpus)
    } else {
        corpus::Corpus::open(corpus)
    }
    .with_context(|| format!("cannot open corpus {}", corpus.display()))?;
    let lock = store.lock()?;
    // What a run killed mid-write left: no run is writing now that we hold the lock.
    match store.remove_temp_files(&lock) {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "removed temp files left by an interrupted run"),
        Err(e) => tracing::warn!(error = %e, "cannot remove temp files left by an interrupted run"),
    }
    Ok((store, lock))
}

/// Fails unless `path` exists when it was given explicitly.
pub fn require_file(path: &Path, what: &str) -> Result<()> {
    if !path.exists() {
        bail!("{what} {} does not exist", path.display());
    }
    Ok(())
}

/// Called first in `main` by binaries that use mimalloc. mimalloc asks the kernel for
/// transparent huge pages, and the kernel then zeroes 2 MB at a time on first touch: over the
/// extraction benchmark's pages the normaliser's peak memory was 77-114 MB instead of about
/// 48 MB, and in one profile a third of its cycles went to the kernel's `clear_page_erms`.
/// Many small allocations are served as well by small pages. (What `MIMALLOC_ALLOW_THP=0`
/// does, without asking every user to set it.)
pub fn refuse_transparent_huge_pages() {
    // A kernel without the flag (older than 3.15) returns an error, which changes nothing.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Section {
        #[serde(default)]
        n: u32,
    }

    #[test]
    fn sections_default_when_missing_and_reject_typos() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "[fetcher]\nn = 3\n[normaliser]\nnn = 1\n").unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.section::<Section>("fetcher").unwrap().n, 3);
        assert_eq!(config.section::<Section>("analyser").unwrap().n, 0);
        let err = format!("{:#}", config.section::<Section>("normaliser").unwrap_err());
        assert!(err.contains("[normaliser]") && err.contains("nn"), "{err}");
        assert_eq!(
            config.resolve(Path::new("x.toml")),
            dir.path().join("x.toml")
        );
    }

    /// Issue 14, finding 6: a misspelt section is an error, not a section ignored.
    #[test]
    fn unknown_sections_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        for text in [
            "[fetchr]\nuser_agent = \"x\"\n",
            "fetcher = 1\n",
            "[analyser]\n[extra]\n",
        ] {
            std::fs::write(&path, text).unwrap();
            let err = format!("{:#}", Config::load(&path).unwrap_err());
            assert!(
                err.contains("unknown section") && err.contains("c.toml"),
                "{err}"
            );
        }
        std::fs::write(&path, "[fetcher]\n[normaliser]\n[analyser]\n").unwrap();
        assert!(Config::load(&path).is_ok());
    }

    #[test]
    fn unreadable_config_names_the_file() {
        let err = Config::load(Path::new("/nonexistent/c.toml")).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/c.toml"));
    }
}
