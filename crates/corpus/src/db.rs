//! The corpus's store (issue 16): `store.sqlite`, an SQLite database in WAL mode that holds
//! the stages' state as rows, so that a run reads the rows it needs instead of whole-corpus
//! JSON files. Each table is a set of rows, a key (an article or event id, or a state name)
//! and a JSON value.
//!
//! A [`Batch`] is written in one transaction ([`Store::write`]): the stages commit a batch
//! after the files it describes are written, so a run that dies leaves the rows of before or
//! of after each batch, never half of one. The commit is a write point of the fault hook
//! ([`crate::faults`]), as every file write is.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{CorpusError, faults};

type Result<T> = std::result::Result<T, CorpusError>;

/// The store's file name, at the corpus root.
pub const STORE_FILE: &str = "store.sqlite";
/// The version of the store's tables (`PRAGMA user_version`); a store of a newer version is
/// refused, as a record of a newer schema is.
pub const STORE_VERSION: i64 = 1;

/// Whether an error says the file is not a store, or a damaged one.
pub(crate) fn is_damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

/// The store's tables of keyed JSON rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Table {
    /// Run state by name: each stage's small records (settings its rows were made with, the
    /// analyser's change log without its events, the folder stamps of the last run).
    State,
    /// The normaliser's article entries, by article id: what each record was made from,
    /// its copy signature, links and group.
    Normaliser,
    /// The analyser's index, by article id: each article's metadata and claims.
    Analyser,
    /// The analyser's events, by event id: what each event's report files were made from,
    /// and its snapshot for the change log.
    Events,
}

impl Table {
    pub const ALL: [Table; 4] = [
        Table::State,
        Table::Normaliser,
        Table::Analyser,
        Table::Events,
    ];

    /// The SQL table's name (fixed by the code).
    pub fn name(self) -> &'static str {
        match self {
            Table::State => "state",
            Table::Normaliser => "normaliser",
            Table::Analyser => "analyser",
            Table::Events => "events",
        }
    }
}

/// Writes to the store, applied in one transaction by [`Store::write`], in order.
#[derive(Debug, Default)]
pub struct Batch {
    ops: Vec<Op>,
    bytes: u64,
}

#[derive(Debug)]
enum Op {
    Put(Table, String, String),
    Delete(Table, String),
    Clear(Table),
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Sets a row (its value as compact JSON).
    pub fn put<T: Serialize + ?Sized>(&mut self, table: Table, key: &str, value: &T) {
        let json = serde_json::to_string(value).expect("a stored value serialises");
        self.bytes += (key.len() + json.len()) as u64;
        self.ops.push(Op::Put(table, key.to_string(), json));
    }

    /// Sets a row to JSON made by the caller (as [`Batch::put`] makes it).
    pub fn put_json(&mut self, table: Table, key: &str, json: String) {
        self.bytes += (key.len() + json.len()) as u64;
        self.ops.push(Op::Put(table, key.to_string(), json));
    }

    pub fn delete(&mut self, table: Table, key: &str) {
        self.ops.push(Op::Delete(table, key.to_string()));
    }

    /// Removes every row of a table.
    pub fn clear(&mut self, table: Table) {
        self.ops.push(Op::Clear(table));
    }

    /// Appends another batch's writes (applied after this one's).
    pub fn extend(&mut self, other: Batch) {
        self.bytes += other.bytes;
        self.ops.extend(other.ops);
    }

    /// How many rows of `table` the batch sets.
    pub fn rows(&self, table: Table) -> usize {
        self.ops
            .iter()
            .filter(|op| matches!(op, Op::Put(t, _, _) if *t == table))
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    pub fn len(&self) -> usize {
        self.ops.len()
    }
}

/// An open store. Opened by [`crate::Corpus::store`]; closed (and its log folded into the
/// file) when dropped.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let err = |e| CorpusError::store(path, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version > STORE_VERSION {
            return Err(CorpusError::NewerSchema {
                path: path.to_path_buf(),
                found: version as u32,
                supported: STORE_VERSION as u32,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        if version < STORE_VERSION {
            let mut sql = String::new();
            for table in Table::ALL {
                sql.push_str(&format!(
                    "CREATE TABLE IF NOT EXISTS {} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n",
                    table.name()
                ));
            }
            sql.push_str(&format!("PRAGMA user_version = {STORE_VERSION};\n"));
            conn.execute_batch(&format!("BEGIN;\n{sql}COMMIT;"))
                .map_err(err)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: rusqlite::Error) -> CorpusError {
        CorpusError::store(&self.path, e)
    }

    fn decode<T: DeserializeOwned>(&self, table: Table, key: &str, json: &str) -> Result<T> {
        serde_json::from_str(json).map_err(|source| CorpusError::Corrupt {
            path: self.path.join(table.name()).join(key),
            source,
        })
    }

    /// A row's value, or `None`.
    pub fn get<T: DeserializeOwned>(&self, table: Table, key: &str) -> Result<Option<T>> {
        let json = self.get_raw(table, key)?;
        json.map(|j| self.decode(table, key, &j)).transpose()
    }

    /// A row's value as stored (JSON text), or `None`.
    pub fn get_raw(&self, table: Table, key: &str) -> Result<Option<String>> {
        let sql = format!("SELECT value FROM {} WHERE key = ?1", table.name());
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        stmt.query_row(params![key], |r| r.get(0))
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The rows of these keys that exist, in key order.
    pub fn get_many<T: DeserializeOwned>(
        &self,
        table: Table,
        keys: &[&str],
    ) -> Result<Vec<(String, T)>> {
        let mut keys: Vec<&str> = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(value) = self.get(table, key)? {
                out.push((key.to_string(), value));
            }
        }
        Ok(out)
    }

    /// Every row of a table, in key order, as stored (JSON text).
    pub fn all_raw(&self, table: Table) -> Result<Vec<(String, String)>> {
        let sql = format!("SELECT key, value FROM {} ORDER BY key", table.name());
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))
    }

    /// Every row of a table, in key order, as stored, handed over `chunk` rows at a time:
    /// a whole table is read without holding all of its text at once.
    pub fn for_each_chunk(
        &self,
        table: Table,
        chunk: usize,
        mut f: impl FnMut(Vec<(String, String)>) -> Result<()>,
    ) -> Result<()> {
        let sql = format!("SELECT key, value FROM {} ORDER BY key", table.name());
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut pending = Vec::with_capacity(chunk.max(1));
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let key: String = row.get(0).map_err(|e| self.err(e))?;
            let value: String = row.get(1).map_err(|e| self.err(e))?;
            pending.push((key, value));
            if pending.len() >= chunk.max(1) {
                f(std::mem::take(&mut pending))?;
            }
        }
        if !pending.is_empty() {
            f(pending)?;
        }
        Ok(())
    }

    /// Every row of a table, in key order.
    pub fn all<T: DeserializeOwned>(&self, table: Table) -> Result<Vec<(String, T)>> {
        self.all_raw(table)?
            .into_iter()
            .map(|(k, json)| {
                let value = self.decode(table, &k, &json)?;
                Ok((k, value))
            })
            .collect()
    }

    /// The keys of a table, in order.
    pub fn keys(&self, table: Table) -> Result<Vec<String>> {
        let sql = format!("SELECT key FROM {} ORDER BY key", table.name());
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))
    }

    /// How many rows a table has.
    pub fn count(&self, table: Table) -> Result<usize> {
        let sql = format!("SELECT COUNT(*) FROM {}", table.name());
        self.conn
            .query_row(&sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// Applies a batch in one transaction. The commit is a write point of the fault hook: a
    /// fault there leaves the store as it was.
    pub fn write(&mut self, batch: Batch) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |e| CorpusError::store(&path, e);
        let tx = self.conn.transaction().map_err(err)?;
        for op in &batch.ops {
            apply(&tx, op).map_err(err)?;
        }
        faults::check(&path, batch.bytes).map_err(|e| CorpusError::io(&path, e))?;
        tx.commit().map_err(err)
    }

    /// Folds the write-ahead log into the store file (at the end of a run).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(|e| self.err(e))
    }

    /// Every row of every table as `<table>/<key>` to its JSON: what the fault tests compare
    /// (the file's bytes are not the same for the same rows).
    pub fn dump(&self) -> Result<std::collections::BTreeMap<String, String>> {
        let mut out = std::collections::BTreeMap::new();
        for table in Table::ALL {
            for (key, value) in self.all_raw(table)? {
                out.insert(format!("{}/{key}", table.name()), value);
            }
        }
        Ok(out)
    }
}

fn apply(tx: &rusqlite::Transaction, op: &Op) -> rusqlite::Result<()> {
    match op {
        Op::Put(table, key, value) => {
            let sql = format!(
                "INSERT INTO {} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                table.name()
            );
            tx.prepare_cached(&sql)?.execute(params![key, value])?;
        }
        Op::Delete(table, key) => {
            let sql = format!("DELETE FROM {} WHERE key = ?1", table.name());
            tx.prepare_cached(&sql)?.execute(params![key])?;
        }
        Op::Clear(table) => {
            tx.execute(&format!("DELETE FROM {}", table.name()), [])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_in_one_batch_and_read_back_by_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        let mut store = Store::open(&path).unwrap();
        let mut batch = Batch::new();
        batch.put(Table::Normaliser, "b", &2);
        batch.put(Table::Normaliser, "a", &1);
        batch.put(Table::State, "a", &"state");
        store.write(batch).unwrap();
        drop(store);
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.get::<u32>(Table::Normaliser, "a").unwrap(), Some(1));
        assert_eq!(store.get::<u32>(Table::Analyser, "a").unwrap(), None);
        let all: Vec<(String, u32)> = store.all(Table::Normaliser).unwrap();
        assert_eq!(all, [("a".to_string(), 1), ("b".to_string(), 2)]);
        let mut batch = Batch::new();
        batch.delete(Table::Normaliser, "a");
        batch.put(Table::Normaliser, "b", &3);
        store.write(batch).unwrap();
        assert_eq!(store.keys(Table::Normaliser).unwrap(), ["b"]);
        assert_eq!(store.get::<u32>(Table::Normaliser, "b").unwrap(), Some(3));
        let dump = store.dump().unwrap();
        let keys: Vec<&str> = dump.keys().map(String::as_str).collect();
        assert_eq!(keys, ["normaliser/b", "state/a"]);
        let mut batch = Batch::new();
        for k in ["c", "a", "d"] {
            batch.put(Table::Normaliser, k, &k);
        }
        store.write(batch).unwrap();
        let mut chunks = Vec::new();
        store
            .for_each_chunk(Table::Normaliser, 3, |rows| {
                chunks.push(rows.into_iter().map(|(k, _)| k).collect::<Vec<_>>());
                Ok(())
            })
            .unwrap();
        assert_eq!(chunks, [vec!["a", "b", "c"], vec!["d"]]);
    }

    #[test]
    fn a_damaged_store_is_set_aside_and_a_new_one_started() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = crate::Corpus::create(dir.path()).unwrap();
        std::fs::write(corpus.store_path(), vec![b'x'; 8192]).unwrap();
        let mut store = corpus.store().unwrap();
        let mut batch = Batch::new();
        batch.put(Table::State, "a", &1);
        store.write(batch).unwrap();
        let aside: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("store.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).unwrap(),
            vec![b'x'; 8192]
        );
        assert_eq!(store.get::<u32>(Table::State, "a").unwrap(), Some(1));
    }

    #[test]
    fn a_store_of_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        Store::open(&path).unwrap();
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", STORE_VERSION + 1)
            .unwrap();
        drop(conn);
        assert!(matches!(
            Store::open(&path),
            Err(CorpusError::NewerSchema { .. })
        ));
    }

    #[test]
    fn a_corrupt_row_is_an_error_naming_its_table_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        let store = Store::open(&path).unwrap();
        store
            .conn
            .execute("INSERT INTO events (key, value) VALUES ('e1', '{ cut')", [])
            .unwrap();
        let err = store
            .get::<u32>(Table::Events, "e1")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("events/e1") && err.contains("corrupt"),
            "{err}"
        );
    }
}
