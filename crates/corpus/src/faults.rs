//! Fault injection for tests: a run's writes to one corpus made to fail, as a kill or a full
//! disk would, at a chosen point. Compiled only with the `faults` feature, which only the
//! test builds turn on (the stages' dev-dependencies); in other builds [`check`] is nothing.
//!
//! Every write of a file in the corpus (the rename that puts a new file in place) and every
//! removal is a *write point*, counted per corpus from the moment a fault is armed. Tests
//! first count the points of a run ([`Fault::Count`]), then run again with a fault at each.

#[cfg(feature = "faults")]
pub use armed::*;

#[cfg(feature = "faults")]
mod armed {
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    /// What happens at the write points of an armed corpus.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Fault {
        /// Nothing fails; the points are counted.
        Count,
        /// Write point `n` (from 0) fails, as a disk that is full for a moment would; the
        /// others succeed.
        FailAt(usize),
        /// The process dies before write point `n`: it and every later one fail, and temp
        /// files already written are left where they are, as a kill leaves them.
        KillAt(usize),
        /// The disk is full once `n` more bytes are written: every write that would go past
        /// that fails with "no space left on device", and so does every removal after it
        /// (nothing is freed).
        DiskFullAfter(u64),
    }

    struct Armed {
        root: PathBuf,
        fault: Fault,
        points: usize,
        bytes: u64,
        dead: bool,
    }

    static ARMED: Mutex<Vec<Armed>> = Mutex::new(Vec::new());

    /// Arms `fault` on the corpus at `root` until the guard is dropped.
    pub fn arm(root: &Path, fault: Fault) -> Guard {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut armed = ARMED.lock().unwrap_or_else(|e| e.into_inner());
        armed.retain(|a| a.root != root);
        armed.push(Armed {
            root: root.clone(),
            fault,
            points: 0,
            bytes: 0,
            dead: false,
        });
        Guard { root }
    }

    /// An armed fault; disarmed when dropped.
    pub struct Guard {
        root: PathBuf,
    }

    impl Guard {
        /// The write points seen so far (failed ones included).
        pub fn points(&self) -> usize {
            let armed = ARMED.lock().unwrap_or_else(|e| e.into_inner());
            armed
                .iter()
                .find(|a| a.root == self.root)
                .map_or(0, |a| a.points)
        }
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            let mut armed = ARMED.lock().unwrap_or_else(|e| e.into_inner());
            armed.retain(|a| a.root != self.root);
        }
    }

    fn with<R>(path: &Path, f: impl FnOnce(&mut Armed) -> R) -> Option<R> {
        let mut armed = ARMED.lock().unwrap_or_else(|e| e.into_inner());
        if armed.is_empty() {
            return None;
        }
        let dir = path.parent().unwrap_or(path);
        let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        armed.iter_mut().find(|a| dir.starts_with(&a.root)).map(f)
    }

    /// Called at every write point: an error when the armed fault says this write fails.
    pub(crate) fn check(path: &Path, bytes: u64) -> std::io::Result<()> {
        let fails = with(path, |a| {
            let n = a.points;
            a.points += 1;
            let fails = match a.fault {
                Fault::Count => false,
                Fault::FailAt(at) => n == at,
                Fault::KillAt(at) => n >= at,
                Fault::DiskFullAfter(budget) => {
                    a.dead |= a.bytes + bytes > budget;
                    a.bytes += bytes;
                    a.dead
                }
            };
            if let (true, Fault::KillAt(_)) = (fails, a.fault) {
                a.dead = true;
            }
            fails
        });
        if fails == Some(true) {
            // ENOSPC: what a full disk says.
            return Err(std::io::Error::from_raw_os_error(28));
        }
        Ok(())
    }

    /// A copy of the folder tree at `from` (a corpus, to run on as it is).
    pub fn copy_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create the copy");
        for entry in std::fs::read_dir(from).expect("read the folder").flatten() {
            let target = to.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                copy_tree(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).expect("copy a file");
            }
        }
    }

    /// Every file of a corpus (the lock aside) by its path, with what a run's result is
    /// compared on: the bytes of records and reports; the store's rows (not its file);
    /// for state records and rows, their JSON without
    /// what names files on this disk (file stamps, the `inputs` and `listing` hashes made
    /// of them, and `folders` stamps),
    /// which differ between two copies of one corpus by nature.
    pub fn snapshot(root: &Path) -> std::collections::BTreeMap<String, String> {
        let mut files = std::collections::BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("read the folder").flatten() {
                let path = entry.path();
                let name = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .into_owned();
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(path);
                } else if name == crate::db::STORE_FILE {
                    store_rows(&path, &name, &mut files);
                } else if name.starts_with(crate::db::STORE_FILE) {
                    // the store's write-ahead log and its index: the rows are what count
                } else if name != crate::Layout::LOCK {
                    let bytes = std::fs::read(&path).expect("read a file");
                    let text = match serde_json::from_slice(&bytes) {
                        Ok(mut json) if name.starts_with(crate::Layout::STATE) => {
                            without_stamps(&mut json);
                            serde_json::to_string_pretty(&json).expect("JSON")
                        }
                        _ => String::from_utf8_lossy(&bytes).into_owned(),
                    };
                    files.insert(name, text);
                }
            }
        }
        files
    }

    /// The store's rows, each as `<file>/<table>/<key>` with its JSON (without stamps, as
    /// state records are compared): the bytes of the file differ for the same rows.
    fn store_rows(path: &Path, name: &str, files: &mut std::collections::BTreeMap<String, String>) {
        let store = crate::Store::open(path).expect("open the store");
        for (key, value) in store.dump().expect("read the store") {
            let text = match serde_json::from_str(&value) {
                Ok(mut json) => {
                    without_stamps(&mut json);
                    serde_json::to_string_pretty(&json).expect("JSON")
                }
                Err(_) => value,
            };
            files.insert(format!("{name}/{key}"), text);
        }
    }

    fn without_stamps(json: &mut serde_json::Value) {
        match json {
            serde_json::Value::Object(map) => {
                let stamp = ["len", "modified_secs", "modified_nanos", "inode"]
                    .iter()
                    .all(|k| map.contains_key(*k));
                if stamp {
                    *json = serde_json::Value::Null;
                    return;
                }
                // hashes made of file stamps, and folder stamps
                for key in ["inputs", "listing", "folders"] {
                    if let Some(hash) = map.get_mut(key) {
                        *hash = serde_json::Value::Null;
                    }
                }
                map.values_mut().for_each(without_stamps);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_stamps),
            _ => {}
        }
    }

    /// Whether the process is to be taken as dead: what it wrote stays as it is.
    pub(crate) fn killed(path: &Path) -> bool {
        with(path, |a| a.dead && matches!(a.fault, Fault::KillAt(_))).unwrap_or(false)
    }
}

#[cfg(not(feature = "faults"))]
#[inline(always)]
pub(crate) fn check(_path: &std::path::Path, _bytes: u64) -> std::io::Result<()> {
    Ok(())
}

#[cfg(not(feature = "faults"))]
#[inline(always)]
pub(crate) fn killed(_path: &std::path::Path) -> bool {
    false
}
