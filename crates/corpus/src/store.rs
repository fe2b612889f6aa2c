use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{
    ArticleClaims, ArticleId, CorpusError, NormalisedDoc, RawArticle, SCHEMA_VERSION, faults,
    sha256_hex,
};

type Result<T> = std::result::Result<T, CorpusError>;

/// The on-disk layout of a corpus, relative to its root:
///
/// ```text
/// raw/<id>.json            the current version of each article (RawArticle)
/// history/<id>/<sha>.json  earlier versions of an article whose body changed
/// blobs/<sha256>           bytes as received, when they differ from the decoded body
/// normalised/<id>.json     NormalisedDoc (derived)
/// claims/<id>.json         ArticleClaims (derived)
/// state/<name>.json        each stage's own state (validators, caches, change log)
/// report/<file>            index.html, index.json, list/<month>.js (the list of events)
/// report/events/<month>/   <event>.html, <event>.json, <event>.md
/// .lock                    the run lock
/// ```
pub struct Layout;

impl Layout {
    pub const RAW: &'static str = "raw";
    pub const HISTORY: &'static str = "history";
    pub const BLOBS: &'static str = "blobs";
    pub const NORMALISED: &'static str = "normalised";
    pub const CLAIMS: &'static str = "claims";
    pub const STATE: &'static str = "state";
    pub const REPORT: &'static str = "report";
    /// `report/events/<month>/`: one page, JSON and Markdown file per event.
    pub const REPORT_EVENTS: &'static str = "events";
    pub const LOCK: &'static str = ".lock";
}

/// How long a folder must be unchanged before its stamp is kept to tell the next run that
/// nothing changed in it (see [`Corpus::settled_folder_stamps`]).
pub const SETTLED_SECS: i64 = 2;

/// What a write did. Writes of identical bytes are skipped, so a run with nothing new
/// rewrites no file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteOutcome {
    Created,
    Updated,
    Unchanged,
}

impl WriteOutcome {
    pub fn changed(self) -> bool {
        self != WriteOutcome::Unchanged
    }
}

/// Size, modification time and file number of a stored file. Every write puts a new file in
/// place (temp file, rename), so a rewritten record has a new stamp even when its size and
/// time match the old one's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub modified_secs: i64,
    pub modified_nanos: u32,
    pub inode: u64,
}

impl FileStamp {
    pub fn of(path: &Path) -> std::io::Result<FileStamp> {
        FileStamp::from_metadata(&fs::metadata(path)?)
    }

    fn from_metadata(meta: &fs::Metadata) -> std::io::Result<FileStamp> {
        let (modified_secs, modified_nanos) =
            match meta.modified()?.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
                Err(e) => (
                    -(e.duration().as_secs() as i64),
                    e.duration().subsec_nanos(),
                ),
            };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Ok(FileStamp {
            len: meta.len(),
            modified_secs,
            modified_nanos,
            inode,
        })
    }
}

/// A corpus directory. Cheap to create; nothing is read until asked.
#[derive(Clone, Debug)]
pub struct Corpus {
    root: PathBuf,
}

/// Held while a stage works on the corpus; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct RunLock {
    _file: File,
    path: PathBuf,
}

impl RunLock {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Corpus {
    /// A corpus rooted at `root`, created if missing.
    pub fn create(root: impl Into<PathBuf>) -> Result<Corpus> {
        let root = root.into();
        fs::create_dir_all(&root).map_err(|e| CorpusError::io(&root, e))?;
        Ok(Corpus { root })
    }

    /// An existing corpus; an error naming the path when it is not a directory.
    pub fn open(root: impl Into<PathBuf>) -> Result<Corpus> {
        let root = root.into();
        match fs::metadata(&root) {
            Ok(m) if m.is_dir() => Ok(Corpus { root }),
            Ok(_) => Err(CorpusError::io(
                &root,
                std::io::Error::new(ErrorKind::NotADirectory, "not a directory"),
            )),
            Err(e) => Err(CorpusError::io(&root, e)),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Takes the run lock, or fails at once with [`CorpusError::Locked`] when another run
    /// holds it. The lock is an OS file lock, so a killed run never leaves it stuck.
    pub fn lock(&self) -> Result<RunLock> {
        let path = self.root.join(Layout::LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CorpusError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(CorpusError::Locked { path }),
            Err(fs::TryLockError::Error(e)) => return Err(CorpusError::io(&path, e)),
        }
        // The pid is only a hint for people; the OS lock is what counts.
        let _ = file.set_len(0);
        let _ = (&file).write_all(format!("{}\n", std::process::id()).as_bytes());
        Ok(RunLock { _file: file, path })
    }

    fn record_path(&self, dir: &str, id: &ArticleId) -> PathBuf {
        self.root.join(dir).join(format!("{id}.json"))
    }

    // ----- raw articles -----

    /// The ids of all stored articles, sorted. Files that are not `<valid id>.json` are
    /// ignored (with a warning), never trusted as ids.
    pub fn raw_ids(&self) -> Result<Vec<ArticleId>> {
        self.ids_in(Layout::RAW)
    }

    /// Every article's id with its raw record's [`FileStamp`], sorted by id, as
    /// [`Corpus::normalised_stamps`] lists them: what tells a stage which articles changed
    /// without reading them.
    pub fn raw_stamps(&self) -> Result<Vec<(ArticleId, FileStamp)>> {
        self.stamps_in(Layout::RAW)
    }

    pub fn raw_path(&self, id: &ArticleId) -> PathBuf {
        self.record_path(Layout::RAW, id)
    }

    pub fn has_raw(&self, id: &ArticleId) -> bool {
        self.raw_path(id).is_file()
    }

    pub fn read_raw(&self, id: &ArticleId) -> Result<RawArticle> {
        let path = self.raw_path(id);
        let raw: RawArticle = read_record(&path)?;
        check_id(&path, &raw.id, id)?;
        Ok(raw)
    }

    /// Stores an article. The same body as stored is [`WriteOutcome::Unchanged`] and writes
    /// nothing; a new body keeps the previous version under `history/` before replacing it.
    pub fn write_raw(&self, article: &RawArticle) -> Result<WriteOutcome> {
        let path = self.raw_path(&article.id);
        if path.is_file() {
            match read_record::<RawArticle>(&path) {
                Ok(old) if old.body_sha256 == article.body_sha256 => {
                    return Ok(WriteOutcome::Unchanged);
                }
                Ok(old) => {
                    let dir = self.root.join(Layout::HISTORY).join(article.id.as_str());
                    let name =
                        format!("{}.json", &old.body_sha256[..old.body_sha256.len().min(16)]);
                    write_json(&dir.join(name), &old)?;
                }
                // An unreadable old version is kept byte for byte rather than lost.
                Err(_) => {
                    let dir = self.root.join(Layout::HISTORY).join(article.id.as_str());
                    let bytes = fs::read(&path).map_err(|e| CorpusError::io(&path, e))?;
                    let name = format!("corrupt-{}.json", &sha256_hex(&bytes)[..16]);
                    atomic_write(&dir.join(name), &bytes)?;
                }
            }
        }
        write_json(&path, article)
    }

    /// Earlier versions of an article, oldest first by file time.
    pub fn raw_history(&self, id: &ArticleId) -> Result<Vec<RawArticle>> {
        let dir = self.root.join(Layout::HISTORY).join(id.as_str());
        let mut found = Vec::new();
        for path in json_files(&dir)? {
            let modified = fs::metadata(&path).and_then(|m| m.modified()).ok();
            found.push((modified, read_record::<RawArticle>(&path)?));
        }
        found.sort_by_key(|(t, _)| *t);
        Ok(found.into_iter().map(|(_, a)| a).collect())
    }

    /// Stores bytes by content hash and returns the hash.
    pub fn put_blob(&self, bytes: &[u8]) -> Result<String> {
        let sha = sha256_hex(bytes);
        let path = self.root.join(Layout::BLOBS).join(&sha);
        if !path.is_file() {
            atomic_write(&path, bytes)?;
        }
        Ok(sha)
    }

    pub fn read_blob(&self, sha: &str) -> Result<Vec<u8>> {
        let path = self.root.join(Layout::BLOBS).join(sha);
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CorpusError::io(
                &path,
                std::io::Error::new(ErrorKind::InvalidInput, "not a SHA-256 blob name"),
            ));
        }
        fs::read(&path).map_err(|e| CorpusError::io(&path, e))
    }

    // ----- derived records -----

    pub fn normalised_path(&self, id: &ArticleId) -> PathBuf {
        self.record_path(Layout::NORMALISED, id)
    }

    /// The normalised document of an article, or `None` when there is none yet.
    pub fn read_normalised(&self, id: &ArticleId) -> Result<Option<NormalisedDoc>> {
        let path = self.normalised_path(id);
        let doc: Option<NormalisedDoc> = read_optional(&path)?;
        if let Some(d) = &doc {
            check_id(&path, &d.id, id)?;
        }
        Ok(doc)
    }

    pub fn write_normalised(&self, doc: &NormalisedDoc) -> Result<WriteOutcome> {
        write_json(&self.normalised_path(&doc.id), doc)
    }

    /// Writes many normalised records, each as [`Corpus::write_normalised`] does (whole or
    /// not at all, even after a crash; skipped when unchanged), with the waits for the disk
    /// shared: every temp file is written and synced, several at once, before any is
    /// renamed, and each directory is synced once after the renames. Results are in the
    /// order of `docs`.
    pub fn write_normalised_many(&self, docs: &[&NormalisedDoc]) -> Vec<Result<WriteOutcome>> {
        let staged = in_threads(docs, |doc| {
            let path = self.normalised_path(&doc.id);
            let bytes = json_bytes(&path, doc)?;
            stage_if_changed(path, &bytes)
        });
        finish_staged(staged)
    }

    pub fn normalised_ids(&self) -> Result<Vec<ArticleId>> {
        self.ids_in(Layout::NORMALISED)
    }

    /// Every normalised record's id with its [`FileStamp`], sorted by id: what a stage needs
    /// to tell which records changed since it last read them without reading them all.
    /// One pass over the directory: each file is looked at once, through its directory entry.
    pub fn normalised_stamps(&self) -> Result<Vec<(ArticleId, FileStamp)>> {
        self.stamps_in(Layout::NORMALISED)
    }

    /// Every claims record's id with its [`FileStamp`], sorted by id, as
    /// [`Corpus::normalised_stamps`] lists them.
    pub fn claims_stamps(&self) -> Result<Vec<(ArticleId, FileStamp)>> {
        self.stamps_in(Layout::CLAIMS)
    }

    fn stamps_in(&self, dir: &str) -> Result<Vec<(ArticleId, FileStamp)>> {
        let dir = self.root.join(dir);
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(CorpusError::io(&dir, e)),
        };
        let mut stamps = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| CorpusError::io(&dir, e))?;
            let name = entry.file_name();
            let Some(stem) = record_stem(&name) else {
                continue;
            };
            // a link is stamped as the file it points to, as everywhere else
            let meta = match entry.file_type() {
                Ok(t) if t.is_symlink() => fs::metadata(entry.path()),
                _ => entry.metadata(),
            };
            let stamp = match meta {
                Ok(meta) if meta.is_file() => FileStamp::from_metadata(&meta),
                Ok(_) => continue,
                Err(e) => Err(e),
            };
            match (ArticleId::new(stem), stamp) {
                (Ok(id), Ok(stamp)) => stamps.push((id, stamp)),
                // Removed between the listing and now: it is gone.
                (_, Err(e)) if e.kind() == ErrorKind::NotFound => {}
                (_, Err(e)) => return Err(CorpusError::io(entry.path(), e)),
                (Err(e), _) => {
                    tracing::warn!(path = %entry.path().display(), error = %e, "ignoring file with an invalid id")
                }
            }
        }
        stamps.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(stamps)
    }

    pub fn claims_path(&self, id: &ArticleId) -> PathBuf {
        self.record_path(Layout::CLAIMS, id)
    }

    pub fn read_claims(&self, id: &ArticleId) -> Result<Option<ArticleClaims>> {
        let path = self.claims_path(id);
        let claims: Option<ArticleClaims> = read_optional(&path)?;
        if let Some(c) = &claims {
            check_id(&path, &c.article, id)?;
        }
        Ok(claims)
    }

    pub fn write_claims(&self, claims: &ArticleClaims) -> Result<WriteOutcome> {
        write_json(&self.claims_path(&claims.article), claims)
    }

    pub fn claims_ids(&self) -> Result<Vec<ArticleId>> {
        self.ids_in(Layout::CLAIMS)
    }

    /// Removes what was derived from an article that is no longer in `raw/`.
    pub fn remove_derived(&self, id: &ArticleId) -> Result<bool> {
        let mut removed = false;
        for path in [self.normalised_path(id), self.claims_path(id)] {
            if !path.exists() {
                continue;
            }
            match faults::check(&path, 0).and_then(|()| fs::remove_file(&path)) {
                Ok(()) => removed = true,
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => return Err(CorpusError::io(&path, e)),
            }
        }
        Ok(removed)
    }

    // ----- the store -----

    /// The path of the corpus's store (`store.sqlite`).
    pub fn store_path(&self) -> PathBuf {
        self.root.join(crate::db::STORE_FILE)
    }

    /// Opens the corpus's store, creating it when missing (see [`crate::db`]). A file that
    /// is not a store, or a damaged one, is set aside as `store.corrupt-<UTC time>.sqlite`
    /// (with a warning) and a new store started: the stages then check every record once,
    /// as with a lost state.
    pub fn store(&self) -> Result<crate::Store> {
        let path = self.store_path();
        match crate::Store::open(&path) {
            Err(CorpusError::Store { source, .. }) if crate::db::is_damaged(&source) => {
                let at = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
                let aside = self.root.join(format!("store.corrupt-{at}.sqlite"));
                fs::rename(&path, &aside).map_err(|e| CorpusError::io(&path, e))?;
                for log in ["-wal", "-shm"] {
                    let _ =
                        fs::remove_file(self.root.join(format!("{}{log}", crate::db::STORE_FILE)));
                }
                tracing::warn!(error = %source, kept = %aside.display(), "store unreadable; set aside, a new one started");
                crate::Store::open(&path)
            }
            opened => opened,
        }
    }

    /// Whether the corpus has a store yet (an older corpus has its state in JSON files).
    pub fn has_store(&self) -> bool {
        self.store_path().is_file()
    }

    /// The stamps of some folders of the corpus (`raw`, `normalised`, ...) that exist, by name.
    /// Every corpus write puts a file in place by a rename, and every removal removes a
    /// file, so a folder's stamp changes whenever a file is added, replaced or removed in it
    /// (not when a file is edited in place).
    pub fn folder_stamps(&self, names: &[&str]) -> std::collections::BTreeMap<String, FileStamp> {
        names
            .iter()
            .filter_map(|name| {
                let stamp = FileStamp::of(&self.root.join(name)).ok()?;
                Some((name.to_string(), stamp))
            })
            .collect()
    }

    /// [`Corpus::folder_stamps`] to keep for the next run, or `None` when a folder changed
    /// less than [`SETTLED_SECS`] ago: a change made after now in the same tick of the file
    /// system's clock would leave its stamp as it is (as git treats a file changed as its
    /// index was written).
    pub fn settled_folder_stamps(
        &self,
        names: &[&str],
    ) -> Option<std::collections::BTreeMap<String, FileStamp>> {
        let stamps = self.folder_stamps(names);
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs() as i64;
        stamps
            .values()
            .all(|s| s.modified_secs + SETTLED_SECS < now)
            .then_some(stamps)
    }

    // ----- state and reports -----

    /// A stage's state record `state/<name>.json`, or `None` when it has none yet.
    pub fn read_state<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        read_optional(&self.state_path(name)?)
    }

    pub fn write_state<T: Serialize>(&self, name: &str, value: &T) -> Result<WriteOutcome> {
        write_json(&self.state_path(name)?, value)
    }

    /// Like [`Corpus::write_state`], in compact JSON: for large state records (indexes) that
    /// are read by programs, where the size is the cost of every run.
    pub fn write_state_compact<T: Serialize>(&self, name: &str, value: &T) -> Result<WriteOutcome> {
        let path = self.state_path(name)?;
        let mut bytes = serde_json::to_vec(value).map_err(|source| CorpusError::Corrupt {
            path: path.clone(),
            source,
        })?;
        bytes.push(b'\n');
        write_if_changed(&path, &bytes)
    }

    /// Removes a stage's state record; true when there was one.
    pub fn remove_state(&self, name: &str) -> Result<bool> {
        let path = self.state_path(name)?;
        if !path.exists() {
            return Ok(false);
        }
        match faults::check(&path, 0).and_then(|()| fs::remove_file(&path)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
            Err(e) => Err(CorpusError::io(&path, e)),
        }
    }

    /// Moves a state record that cannot be read out of the way, to
    /// `state/<name>.corrupt-<UTC time>.json`, where someone can look at it; returns the new
    /// path. The stage then starts that record afresh.
    pub fn set_aside_state(
        &self,
        name: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<PathBuf> {
        let path = self.state_path(name)?;
        let aside = self.aside_path(name, at)?;
        faults::check(&path, 0)
            .and_then(|()| fs::rename(&path, &aside))
            .map_err(|e| CorpusError::io(&path, e))?;
        Ok(aside)
    }

    /// Keeps the bytes of a state row that cannot be read (from the store) where someone can
    /// look at them, as [`Corpus::set_aside_state`] keeps a file: in
    /// `state/<name>.corrupt-<UTC time>.json`; returns its path.
    pub fn keep_aside_state(
        &self,
        name: &str,
        at: chrono::DateTime<chrono::Utc>,
        bytes: &[u8],
    ) -> Result<PathBuf> {
        let aside = self.aside_path(name, at)?;
        atomic_write(&aside, bytes)?;
        Ok(aside)
    }

    /// `state/<name>.corrupt-<UTC time>.json`, with a number when taken.
    fn aside_path(&self, name: &str, at: chrono::DateTime<chrono::Utc>) -> Result<PathBuf> {
        let stamp = at.format("%Y%m%dT%H%M%SZ");
        let mut aside = self.state_path(&format!("{name}.corrupt-{stamp}"))?;
        let mut n = 1;
        while aside.exists() {
            aside = self.state_path(&format!("{name}.corrupt-{stamp}-{n}"))?;
            n += 1;
        }
        Ok(aside)
    }

    /// Removes the temp files that a run killed mid-write left beside the files it was
    /// writing (`.<name>.tmp-<pid>-<n>`); returns how many. Only for the holder of the run
    /// lock: another run's temp files are its writes in progress.
    pub fn remove_temp_files(&self, _lock: &RunLock) -> Result<usize> {
        let mut dirs: Vec<PathBuf> = [
            Layout::RAW,
            Layout::BLOBS,
            Layout::NORMALISED,
            Layout::CLAIMS,
            Layout::STATE,
            Layout::REPORT,
        ]
        .iter()
        .map(|d| self.root.join(d))
        .collect();
        // history/<id>/, and the report's folders (events/<month>/, list/)
        for parent in [Layout::HISTORY, Layout::REPORT] {
            if let Ok(entries) = fs::read_dir(self.root.join(parent)) {
                dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
            }
        }
        let events = self.root.join(Layout::REPORT).join(Layout::REPORT_EVENTS);
        if let Ok(entries) = fs::read_dir(&events) {
            dirs.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()));
        }
        let mut removed = 0;
        for dir in dirs {
            let entries = match fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) if e.kind() == ErrorKind::NotFound => continue,
                Err(e) => return Err(CorpusError::io(&dir, e)),
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let is_temp = name
                    .to_str()
                    .is_some_and(|n| n.starts_with('.') && n.contains(".tmp-"));
                if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
                    let path = entry.path();
                    match fs::remove_file(&path) {
                        Ok(()) => removed += 1,
                        Err(e) if e.kind() == ErrorKind::NotFound => {}
                        Err(e) => return Err(CorpusError::io(&path, e)),
                    }
                }
            }
        }
        Ok(removed)
    }

    pub fn state_path(&self, name: &str) -> Result<PathBuf> {
        Ok(self
            .root
            .join(Layout::STATE)
            .join(format!("{}.json", file_name(name)?)))
    }

    pub fn report_path(&self, name: &str) -> Result<PathBuf> {
        Ok(self.root.join(Layout::REPORT).join(file_name(name)?))
    }

    /// Writes a report file (`index.html`, `comparison.md`, ...) unless its bytes are unchanged.
    pub fn write_report(&self, name: &str, bytes: &[u8]) -> Result<WriteOutcome> {
        write_if_changed(&self.report_path(name)?, bytes)
    }

    /// A report file in a folder of `report/`: `report/<parts[0]>/.../<last part>`. Each part
    /// is a plain name (as a state name): scraped text never chooses a path.
    pub fn report_path_in(&self, parts: &[&str]) -> Result<PathBuf> {
        let mut path = self.root.join(Layout::REPORT);
        for part in parts {
            path.push(file_name(part)?);
        }
        Ok(path)
    }

    /// Writes many report files (paths from [`Corpus::report_path_in`] or
    /// [`Corpus::report_path`]), each whole or not at all and skipped when unchanged, with
    /// the waits for the disk shared as in [`Corpus::write_normalised_many`]. Results are in
    /// the order given.
    pub fn write_reports_many(&self, files: &[(PathBuf, Vec<u8>)]) -> Vec<Result<WriteOutcome>> {
        let report = self.root.join(Layout::REPORT);
        let staged = in_threads(files, |(path, bytes)| {
            if !path.starts_with(&report) {
                return Err(CorpusError::io(
                    path,
                    std::io::Error::new(ErrorKind::InvalidInput, "not a report file"),
                ));
            }
            stage_if_changed(path.clone(), bytes)
        });
        finish_staged(staged)
    }

    /// Removes a report file; true when there was one. A folder left empty is removed too.
    pub fn remove_report_file(&self, path: &Path) -> Result<bool> {
        let report = self.root.join(Layout::REPORT);
        if !path.starts_with(&report) {
            return Err(CorpusError::io(
                path,
                std::io::Error::new(ErrorKind::InvalidInput, "not a report file"),
            ));
        }
        let removed = match faults::check(path, 0).and_then(|()| fs::remove_file(path)) {
            Ok(()) => true,
            Err(e) if e.kind() == ErrorKind::NotFound => false,
            Err(e) => return Err(CorpusError::io(path, e)),
        };
        if let Some(dir) = path.parent().filter(|d| *d != report) {
            // fails, as it should, while the folder holds anything
            let _ = fs::remove_dir(dir);
        }
        Ok(removed)
    }

    pub fn read_report(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let path = self.report_path(name)?;
        match fs::read(&path) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CorpusError::io(&path, e)),
        }
    }

    fn ids_in(&self, dir: &str) -> Result<Vec<ArticleId>> {
        let mut ids = Vec::new();
        for path in json_files(&self.root.join(dir))? {
            let stem = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default();
            match ArticleId::new(stem) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "ignoring file with an invalid id")
                }
            }
        }
        ids.sort();
        Ok(ids)
    }
}

/// A state or report name must be a plain file name: it never chooses a directory.
fn file_name(name: &str) -> Result<&str> {
    ArticleId::new(name).map(|_| name).map_err(|e| {
        CorpusError::io(
            name,
            std::io::Error::new(ErrorKind::InvalidInput, e.to_string()),
        )
    })
}

fn check_id(path: &Path, found: &ArticleId, expected: &ArticleId) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(CorpusError::IdMismatch {
            path: path.to_path_buf(),
            found: found.to_string(),
        })
    }
}

/// The stem of a record's file name: `<id>.json`, not a temporary file (those start with a dot).
fn record_stem(name: &std::ffi::OsStr) -> Option<&str> {
    let stem = name.to_str()?.strip_suffix(".json")?;
    (!stem.starts_with('.')).then_some(stem)
}

fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(CorpusError::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| CorpusError::io(dir, e))?.path();
        let is_json = path.extension().is_some_and(|e| e == "json");
        let is_temp = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if is_json && !is_temp && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[derive(serde::Deserialize)]
struct SchemaHeader {
    #[serde(default)]
    schema: u32,
}

/// Reads a JSON record, refusing one written by a newer schema.
fn read_record<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = fs::read(path).map_err(|e| CorpusError::io(path, e))?;
    parse_record(path, &bytes)
}

fn parse_record<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T> {
    let corrupt = |source| CorpusError::Corrupt {
        path: path.to_path_buf(),
        source,
    };
    let header: SchemaHeader = serde_json::from_slice(bytes).map_err(corrupt)?;
    if header.schema > SCHEMA_VERSION {
        return Err(CorpusError::NewerSchema {
            path: path.to_path_buf(),
            found: header.schema,
            supported: SCHEMA_VERSION,
        });
    }
    serde_json::from_slice(bytes).map_err(corrupt)
}

fn read_optional<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    match fs::read(path) {
        Ok(bytes) => parse_record(path, &bytes).map(Some),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CorpusError::io(path, e)),
    }
}

fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<WriteOutcome> {
    write_if_changed(path, &json_bytes(path, value)?)
}

/// A record as stored: pretty JSON and a final line break.
fn json_bytes<T: Serialize>(path: &Path, value: &T) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|source| CorpusError::Corrupt {
        path: path.to_path_buf(),
        source,
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes `bytes` to `path` atomically unless the file already holds exactly them.
pub(crate) fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<WriteOutcome> {
    let outcome = match same_bytes(path, bytes) {
        Ok(true) => return Ok(WriteOutcome::Unchanged),
        Ok(false) => WriteOutcome::Updated,
        Err(e) if e.kind() == ErrorKind::NotFound => WriteOutcome::Created,
        Err(e) => return Err(CorpusError::io(path, e)),
    };
    atomic_write(path, bytes)?;
    Ok(outcome)
}

/// Whether the file holds exactly `bytes`. Read a piece at a time up to the first difference,
/// and not at all when its length differs: report files are megabytes, and a new report
/// differs from the last near its start (its date).
fn same_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    let mut file = File::open(path)?;
    if file.metadata()?.len() != bytes.len() as u64 {
        return Ok(false);
    }
    let mut piece = vec![0; 64 * 1024];
    let mut rest = bytes;
    loop {
        let n = file.read(&mut piece)?;
        if n == 0 {
            return Ok(rest.is_empty());
        }
        match rest.split_at_checked(n) {
            Some((head, tail)) if head == &piece[..n] => rest = tail,
            _ => return Ok(false),
        }
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// How many writes of a batch wait for the disk at once: a filesystem's journal commits
/// the syncs that wait together in one go, so a batch of records costs a few commits
/// instead of two per record (10,000 records: 21,500 syncs, about 15 s of waiting, before).
const SYNC_THREADS: usize = 16;

/// `f` over every item, on [`SYNC_THREADS`] threads (the work is mostly waiting for the
/// disk); results in the order of `items`.
fn in_threads<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicU64::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..SYNC_THREADS.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a write does not panic"))
            .collect()
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A write of a batch, its new bytes in a synced temp file beside the target, not yet
/// renamed; or nothing to do.
enum Staged {
    Unchanged,
    Ready {
        tmp: PathBuf,
        path: PathBuf,
        outcome: WriteOutcome,
    },
}

/// The first half of [`write_if_changed`] for a batch: the temp file written and synced.
fn stage_if_changed(path: PathBuf, bytes: &[u8]) -> Result<Staged> {
    let outcome = match fs::read(&path) {
        Ok(old) if old == bytes => return Ok(Staged::Unchanged),
        Ok(_) => WriteOutcome::Updated,
        Err(e) if e.kind() == ErrorKind::NotFound => WriteOutcome::Created,
        Err(e) => return Err(CorpusError::io(&path, e)),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| CorpusError::io(dir, e))?;
    let tmp = temp_path(&path);
    let written = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match written {
        Ok(()) => Ok(Staged::Ready { tmp, path, outcome }),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(CorpusError::io(&path, e))
        }
    }
}

/// The second half: each synced temp file renamed over its target, then each directory
/// synced once, which makes the renames durable.
fn finish_staged(staged: Vec<Result<Staged>>) -> Vec<Result<WriteOutcome>> {
    let mut dirs: Vec<PathBuf> = Vec::new();
    let results = staged
        .into_iter()
        .map(|staged| match staged? {
            Staged::Unchanged => Ok(WriteOutcome::Unchanged),
            Staged::Ready { tmp, path, outcome } => {
                match faults::check(&path, file_len(&tmp)).and_then(|()| fs::rename(&tmp, &path)) {
                    Ok(()) => {
                        let dir = path.parent().unwrap_or(Path::new("."));
                        if !dirs.iter().any(|d| d == dir) {
                            dirs.push(dir.to_path_buf());
                        }
                        Ok(outcome)
                    }
                    Err(e) => {
                        if !faults::killed(&path) {
                            let _ = fs::remove_file(&tmp);
                        }
                        Err(CorpusError::io(&path, e))
                    }
                }
            }
        })
        .collect();
    for dir in dirs {
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
    }
    results
}

/// A file's length, 0 when it cannot be read (for the fault hook's count of bytes).
fn file_len(path: &Path) -> u64 {
    fs::metadata(path).map_or(0, |m| m.len())
}

/// A temp file's name beside `path`, unique in this process.
fn temp_path(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Temp file in the same directory, fsync, rename over the target, fsync the directory: a
/// reader sees the old file or the new one, never half of either, even after a crash.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| CorpusError::io(dir, e))?;
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        faults::check(path, bytes.len() as u64)?;
        fs::rename(&tmp, path)?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        if !faults::killed(path) {
            let _ = fs::remove_file(&tmp);
        }
        CorpusError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Origin, RawFormat};

    fn article(id: &str, body: &str) -> RawArticle {
        RawArticle::new(
            ArticleId::new(id).unwrap(),
            RawFormat::Text,
            Origin::Import {
                file_name: format!("{id}.txt"),
            },
            body.to_string(),
        )
    }

    #[test]
    fn same_body_writes_nothing_and_new_body_keeps_history() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let a = article("a", "one");
        assert_eq!(corpus.write_raw(&a).unwrap(), WriteOutcome::Created);
        let before = fs::metadata(corpus.raw_path(&a.id))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(
            corpus.write_raw(&article("a", "one")).unwrap(),
            WriteOutcome::Unchanged
        );
        let after = fs::metadata(corpus.raw_path(&a.id))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);

        assert_eq!(
            corpus.write_raw(&article("a", "two")).unwrap(),
            WriteOutcome::Updated
        );
        assert_eq!(corpus.read_raw(&a.id).unwrap().body, "two");
        let history = corpus.raw_history(&a.id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].body, "one");
    }

    /// Issue 14, finding 5: temp files a kill left are removed by the next run, and nothing
    /// else is.
    #[test]
    fn temp_files_left_by_a_kill_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        corpus.write_raw(&article("a", "one")).unwrap();
        corpus.write_raw(&article("a", "two")).unwrap();
        corpus.write_report("index.html", b"x").unwrap();
        let left = [
            "raw/.a.json.tmp-1-0",
            "state/.normaliser.json.tmp-7-3",
            "report/.index.html.tmp-2-1",
            "history/a/.0123.json.tmp-3-0",
            "report/events/2024-03/.e.html.tmp-4-0",
            "report/list/.2024-03.js.tmp-4-1",
        ];
        let kept = ["raw/a.json", "raw/.hidden", "report/index.html"];
        fs::write(dir.path().join("raw/.hidden"), b"").unwrap();
        fs::create_dir_all(dir.path().join("state")).unwrap();
        fs::create_dir_all(dir.path().join("report/events/2024-03")).unwrap();
        fs::create_dir_all(dir.path().join("report/list")).unwrap();
        for name in left {
            fs::write(dir.path().join(name), b"half").unwrap();
        }
        let lock = corpus.lock().unwrap();
        assert_eq!(corpus.remove_temp_files(&lock).unwrap(), left.len());
        for name in left {
            assert!(!dir.path().join(name).exists(), "{name}");
        }
        for name in kept {
            assert!(dir.path().join(name).exists(), "{name}");
        }
        assert_eq!(corpus.remove_temp_files(&lock).unwrap(), 0);
    }

    #[test]
    fn an_unreadable_state_record_is_set_aside_with_its_time() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        corpus.write_state("log", &1).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2024-03-01T12:00:00Z")
            .unwrap()
            .to_utc();
        let aside = corpus.set_aside_state("log", at).unwrap();
        assert!(
            aside.ends_with("state/log.corrupt-20240301T120000Z.json"),
            "{aside:?}"
        );
        assert!(!corpus.state_path("log").unwrap().exists());
        corpus.write_state("log", &2).unwrap();
        let again = corpus.set_aside_state("log", at).unwrap();
        assert!(
            again.ends_with("log.corrupt-20240301T120000Z-1.json"),
            "{again:?}"
        );
        assert_eq!(fs::read(aside).unwrap(), b"1\n");
    }

    #[test]
    fn second_lock_fails_at_once_and_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let held = corpus.lock().unwrap();
        let err = corpus.lock().unwrap_err();
        assert!(matches!(err, CorpusError::Locked { .. }));
        // Issue 14, finding 8: deleting the lock file of a live run lets two runs work at
        // once, and a stale lock never needs deleting: the message must not advise it.
        let text = err.to_string();
        assert!(
            !text.contains("remove") && text.contains("never delete"),
            "{text}"
        );
        drop(held);
        assert!(corpus.lock().is_ok());
    }

    #[test]
    fn corrupt_and_newer_records_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let id = ArticleId::new("x").unwrap();
        fs::create_dir_all(dir.path().join("raw")).unwrap();
        fs::write(corpus.raw_path(&id), b"{ not json").unwrap();
        let err = corpus.read_raw(&id).unwrap_err().to_string();
        assert!(err.contains("x.json") && err.contains("corrupt"), "{err}");

        let mut newer = serde_json::to_value(article("x", "b")).unwrap();
        newer["schema"] = (SCHEMA_VERSION + 1).into();
        fs::write(corpus.raw_path(&id), newer.to_string()).unwrap();
        assert!(matches!(
            corpus.read_raw(&id),
            Err(CorpusError::NewerSchema { .. })
        ));
    }

    #[test]
    fn a_corrupt_old_version_is_kept_when_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let a = article("a", "new");
        fs::create_dir_all(dir.path().join("raw")).unwrap();
        fs::write(corpus.raw_path(&a.id), b"garbage").unwrap();
        corpus.write_raw(&a).unwrap();
        let kept = fs::read_dir(dir.path().join("history/a")).unwrap().count();
        assert_eq!(kept, 1);
    }

    #[test]
    fn record_whose_id_differs_from_its_file_name_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let a = article("a", "x");
        corpus.write_raw(&a).unwrap();
        fs::rename(corpus.raw_path(&a.id), dir.path().join("raw/b.json")).unwrap();
        let b = ArticleId::new("b").unwrap();
        assert!(matches!(
            corpus.read_raw(&b),
            Err(CorpusError::IdMismatch { .. })
        ));
    }

    #[test]
    fn state_and_report_names_cannot_leave_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        assert!(corpus.write_report("../escape.html", b"x").is_err());
        assert!(corpus.write_state("a/b", &1).is_err());
        assert_eq!(
            corpus.write_report("index.html", b"x").unwrap(),
            WriteOutcome::Created
        );
        assert_eq!(
            corpus.write_report("index.html", b"x").unwrap(),
            WriteOutcome::Unchanged
        );
    }

    /// Issue 16: report files in folders of `report/`, named by the code, written in a batch
    /// (skipped when unchanged), removed with the folder they leave empty.
    #[test]
    fn report_files_in_folders_are_written_in_a_batch_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        assert!(corpus.report_path_in(&["events", "..", "x.html"]).is_err());
        assert!(
            corpus
                .report_path_in(&["events/2024-03", "x.html"])
                .is_err()
        );
        let page = corpus
            .report_path_in(&["events", "2024-03", "a.html"])
            .unwrap();
        let json = corpus
            .report_path_in(&["events", "2024-03", "a.json"])
            .unwrap();
        let files = vec![
            (page.clone(), b"<p>".to_vec()),
            (json.clone(), b"{}".to_vec()),
        ];
        let outcomes: Vec<WriteOutcome> = corpus
            .write_reports_many(&files)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(outcomes, [WriteOutcome::Created, WriteOutcome::Created]);
        let again = corpus.write_reports_many(&files);
        assert!(
            again
                .iter()
                .all(|r| *r.as_ref().unwrap() == WriteOutcome::Unchanged)
        );
        // nothing outside the report folder
        let outside = vec![(
            corpus.raw_path(&ArticleId::new("a").unwrap()),
            b"x".to_vec(),
        )];
        assert!(corpus.write_reports_many(&outside)[0].is_err());
        assert!(
            corpus
                .remove_report_file(&corpus.raw_path(&ArticleId::new("a").unwrap()))
                .is_err()
        );
        assert!(corpus.remove_report_file(&page).unwrap());
        assert!(
            page.parent().unwrap().is_dir(),
            "kept while it holds a file"
        );
        assert!(corpus.remove_report_file(&json).unwrap());
        assert!(!page.parent().unwrap().exists(), "an emptied folder goes");
        assert!(!corpus.remove_report_file(&json).unwrap());
    }

    fn normalised(id: &str, text: &str) -> NormalisedDoc {
        NormalisedDoc {
            schema: SCHEMA_VERSION,
            id: ArticleId::new(id).unwrap(),
            input_sha256: sha256_hex(id),
            normaliser: "test".into(),
            meta: Default::default(),
            blocks: vec![crate::Block {
                kind: crate::BlockKind::Paragraph,
                text: text.into(),
                original: None,
                sentences: Vec::new(),
                original_sentences: Vec::new(),
                attribution: None,
            }],
            removed: Vec::new(),
            copy_group: None,
            text_sha256: sha256_hex(text),
        }
    }

    #[test]
    fn a_batch_of_normalised_records_is_written_as_one_at_a_time_would_be() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let one_by_one = tempfile::tempdir().unwrap();
        let single = Corpus::create(one_by_one.path()).unwrap();
        let (a, b, c) = (
            normalised("a", "x"),
            normalised("b", "y"),
            normalised("c", "z"),
        );
        corpus.write_normalised(&a).unwrap();
        corpus.write_normalised(&b).unwrap();
        let b2 = normalised("b", "changed");
        let outcomes: Vec<WriteOutcome> = corpus
            .write_normalised_many(&[&c, &a, &b2])
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            outcomes,
            [
                WriteOutcome::Created,
                WriteOutcome::Unchanged,
                WriteOutcome::Updated
            ]
        );
        for doc in [&a, &b2, &c] {
            single.write_normalised(doc).unwrap();
            assert_eq!(
                fs::read(corpus.normalised_path(&doc.id)).unwrap(),
                fs::read(single.normalised_path(&doc.id)).unwrap()
            );
            assert_eq!(corpus.read_normalised(&doc.id).unwrap().as_ref(), Some(doc));
        }
        let mut names: Vec<String> = fs::read_dir(dir.path().join(Layout::NORMALISED))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["a.json", "b.json", "c.json"],
            "no temp file is left"
        );
        assert!(corpus.write_normalised_many(&[]).is_empty());
    }

    #[test]
    fn a_batch_write_that_fails_names_its_file_and_the_others_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        // A directory where the record should be: it can be neither read nor replaced.
        fs::create_dir_all(corpus.normalised_path(&ArticleId::new("a").unwrap())).unwrap();
        let (a, b) = (normalised("a", "x"), normalised("b", "y"));
        let results = corpus.write_normalised_many(&[&a, &b]);
        let error = results[0].as_ref().unwrap_err().to_string();
        assert!(error.contains("a.json"), "{error}");
        assert_eq!(*results[1].as_ref().unwrap(), WriteOutcome::Created);
        assert_eq!(corpus.read_normalised(&b.id).unwrap().as_ref(), Some(&b));
    }

    #[test]
    fn a_write_of_the_same_length_compares_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let steps: [(&[u8], WriteOutcome); 5] = [
            (b"abc", WriteOutcome::Created),
            (b"abc", WriteOutcome::Unchanged),
            (b"abd", WriteOutcome::Updated),
            (b"abcd", WriteOutcome::Updated),
            (b"", WriteOutcome::Updated),
        ];
        for (bytes, outcome) in steps {
            assert_eq!(corpus.write_report("index.html", bytes).unwrap(), outcome);
            assert_eq!(corpus.read_report("index.html").unwrap().unwrap(), bytes);
        }
        // larger than one piece read at a time, differing in its last byte
        let big: Vec<u8> = (0..200_000u32).map(|n| (n % 251) as u8).collect();
        let mut last = big.clone();
        *last.last_mut().unwrap() ^= 1;
        let steps = [
            (&big, WriteOutcome::Updated),
            (&big, WriteOutcome::Unchanged),
            (&last, WriteOutcome::Updated),
            (&last, WriteOutcome::Unchanged),
        ];
        for (bytes, outcome) in steps {
            assert_eq!(corpus.write_report("index.html", bytes).unwrap(), outcome);
            assert_eq!(&corpus.read_report("index.html").unwrap().unwrap(), bytes);
        }
    }

    #[test]
    fn normalised_stamps_are_those_of_the_record_files_sorted_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        let normalised = dir.path().join(Layout::NORMALISED);
        fs::create_dir_all(normalised.join("c.json")).unwrap();
        for name in [
            "b.json",
            "a.json",
            ".a.json.tmp-1-0",
            "bad name.json",
            "a.txt",
        ] {
            fs::write(normalised.join(name), name).unwrap();
        }
        let stamps = corpus.normalised_stamps().unwrap();
        let ids: Vec<&str> = stamps.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["a", "b"]);
        for (id, stamp) in &stamps {
            assert_eq!(*stamp, FileStamp::of(&corpus.normalised_path(id)).unwrap());
        }
    }

    #[test]
    fn listing_ignores_temp_files_and_invalid_names() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = Corpus::create(dir.path()).unwrap();
        corpus.write_raw(&article("b", "x")).unwrap();
        corpus.write_raw(&article("a", "y")).unwrap();
        fs::write(dir.path().join("raw/.a.json.tmp-1-0"), b"").unwrap();
        fs::write(dir.path().join("raw/bad name.json"), b"{}").unwrap();
        let ids: Vec<_> = corpus
            .raw_ids()
            .unwrap()
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(ids, ["a", "b"]);
    }
}
