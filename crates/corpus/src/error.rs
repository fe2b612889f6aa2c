use std::path::PathBuf;

/// Everything that can go wrong reading or writing the corpus. Each variant names the path.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: corrupt record: {source}")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: schema version {found} is newer than this build understands ({supported})")]
    NewerSchema {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "{path}: another crosscheck run holds the corpus lock; wait for it to finish (the lock goes with the run that holds it, even a killed one: never delete the file)"
    )]
    Locked { path: PathBuf },
    #[error("{path}: record id {found:?} does not match its file name")]
    IdMismatch { path: PathBuf, found: String },
    #[error("{path}: store: {source}")]
    Store {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

impl CorpusError {
    pub(crate) fn store(path: impl Into<PathBuf>, source: rusqlite::Error) -> Self {
        CorpusError::Store {
            path: path.into(),
            source,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        CorpusError::Io {
            path: path.into(),
            source,
        }
    }
}
