//! One writer at a time per corpus directory, across processes.
//!
//! Every change to a corpus is a read-modify-write of its manifest: read the
//! versions it lists, decide (a new version? the same bytes again? a date
//! already taken?), write the new manifest. Two processes doing that at once
//! each write their own view, and the versions the other added are lost.
//! [`WriteLock`] makes the whole step exclusive: an advisory lock (`flock`)
//! on a file in the corpus directory, held from before the manifest is read
//! until after it is written.
//!
//! The operating system releases the lock when its holder exits, however it
//! exits: a writer killed with `kill -9` leaves no stale lock behind, and the
//! next writer goes straight in. A writer that has to wait for another says
//! so (see [`set_wait_notice`]) and then waits as long as it takes.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::CorpusError;

/// The lock file's name in a corpus directory (hidden, so that importing
/// the corpus folder itself would not take it for a document).
pub const LOCK_FILE: &str = ".trustlens-write.lock";

/// What is told when a writer has to wait: the corpus directory.
pub type WaitNotice = fn(&Path);

static NOTICE: OnceLock<WaitNotice> = OnceLock::new();

/// Choose how a writer that has to wait says so (once per process; the
/// CLI prints a line on standard error). Without one, a warning is logged.
pub fn set_wait_notice(notice: WaitNotice) {
    let _ = NOTICE.set(notice);
}

fn notify(dir: &Path) {
    match NOTICE.get() {
        Some(notice) => notice(dir),
        None => tracing::warn!(
            corpus = %dir.display(),
            "waiting for another trustlens process that is writing to this corpus"
        ),
    }
}

/// The exclusive right to change the corpus in one directory, until dropped.
#[derive(Debug)]
pub struct WriteLock {
    // Held open for the lock; closing it (on drop) releases the lock.
    _file: File,
    path: PathBuf,
}

impl WriteLock {
    /// Take the lock of the corpus in `dir` (which must exist), waiting for
    /// any other writer to finish.
    pub fn acquire(dir: &Path) -> Result<WriteLock, CorpusError> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CorpusError::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                notify(dir);
                file.lock().map_err(|e| CorpusError::io(&path, e))?;
            }
            Err(TryLockError::Error(e)) => return Err(CorpusError::io(&path, e)),
        }
        Ok(WriteLock { _file: file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = WriteLock::acquire(dir.path()).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.path().to_path_buf();
        let second = std::thread::spawn(move || {
            let lock = WriteLock::acquire(&d).unwrap();
            tx.send(()).unwrap();
            drop(lock);
        });
        // flock locks belong to the open file: a second open in this same
        // process waits like another process would.
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(300))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(30))
            .expect("the second writer got the lock");
        second.join().unwrap();
    }
}
