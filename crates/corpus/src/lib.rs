//! The corpus: the stored types of crosscheck (raw articles, normalised documents, claims,
//! comparisons) and the only code that knows how they are laid out on disk.
//!
//! Every other crate reads and writes the corpus through [`Corpus`]. Writes are atomic (temp
//! file, fsync, rename) and skipped when the bytes would not change, records carry a
//! [`SCHEMA_VERSION`], ids are validated so that scraped data never chooses a path, and a run
//! lock keeps two runs from working on one corpus at once.

mod claims;
mod comparison;
pub mod db;
mod error;
pub mod faults;
mod id;
mod normalised;
mod raw;
mod store;
pub mod stream;
mod time;

pub use claims::*;
pub use comparison::*;
pub use db::{Batch, STORE_FILE, Store, Table};
pub use error::CorpusError;
pub use id::{ArticleId, InvalidId};
pub use normalised::*;
pub use raw::*;
pub use store::{Corpus, FileStamp, Layout, RunLock, SETTLED_SECS, WriteOutcome};
pub use time::PubTime;

/// The schema version every stored record carries. Raise it when a stored type changes in a
/// way older readers cannot follow; readers refuse records from a newer schema.
pub const SCHEMA_VERSION: u32 = 1;

/// Lower-case hex SHA-256 of some bytes: the content hash used across the corpus.
pub fn sha256_hex(bytes: impl AsRef<[u8]>) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes.as_ref()))
}
