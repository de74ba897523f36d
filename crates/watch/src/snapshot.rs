//! Every fetch is kept: its bytes, headers, time and hash, whatever came of
//! it. A version is what was extracted from one snapshot with the selectors
//! of the day; the snapshot stays, so a version can be taken again.
//!
//! `watch/snapshots/SOURCE/STAMP-PID.json` describes one fetch; its body is
//! stored once per content in `watch/snapshots/SOURCE/bodies/SHA256`.
//! Both are written by rename, the body first; a body whose description was
//! never written (the process was killed in between) is harmless.

use std::path::Path;

use serde::{Deserialize, Serialize};
use trustlens_core::corpus::add::write_atomically;
use ts_rs::TS;

use crate::{CheckResult, WatchError};

/// One fetch, as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Snapshot {
    /// The source's ID.
    pub source: String,
    /// The address asked for.
    pub url: String,
    /// When (RFC 3339, UTC).
    pub fetched_at: String,
    /// The address after redirects, when there was a response.
    pub final_url: Option<String>,
    /// The HTTP status, when there was a response.
    pub status: Option<u16>,
    /// The response headers.
    pub headers: Vec<(String, String)>,
    /// SHA-256 of the body (of the last body, for a 304 Not Modified).
    pub sha256: Option<String>,
    /// The body's size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// What the check made of it.
    pub result: CheckResult,
    /// Why it failed, or what it found.
    pub message: Option<String>,
    /// The version recorded from it.
    pub version: Option<String>,
}

/// Where the bodies of a source's snapshots are kept, relative to the corpus.
fn dir_of(source: &str) -> String {
    format!("watch/snapshots/{source}")
}

/// Keep a fetched body of source `source` (by its SHA-256, once per
/// content). A check keeps the body before it records anything from it, so
/// every version a check recorded has its body kept.
pub fn keep_body(corpus: &Path, source: &str, body: &[u8], sha256: &str) -> Result<(), WatchError> {
    let bodies = corpus.join(dir_of(source)).join("bodies");
    std::fs::create_dir_all(&bodies).map_err(|e| WatchError::io(&bodies, e))?;
    let path = bodies.join(sha256);
    if !path.exists() {
        write_atomically(&path, body)?;
    }
    Ok(())
}

/// A kept body, if it is there.
pub fn body(corpus: &Path, source: &str, sha256: &str) -> Option<Vec<u8>> {
    if !sha256.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    std::fs::read(corpus.join(dir_of(source)).join("bodies").join(sha256)).ok()
}

/// Keep the description of a fetch; returns its path relative to the corpus.
pub fn keep(corpus: &Path, snap: &Snapshot) -> Result<String, WatchError> {
    let rel = dir_of(&snap.source);
    let dir = corpus.join(&rel);
    std::fs::create_dir_all(&dir).map_err(|e| WatchError::io(&dir, e))?;
    let json = serde_json::to_vec_pretty(snap).map_err(|e| WatchError::Internal(e.to_string()))?;
    let stamp: String = snap
        .fetched_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    // Two processes fetching one source in the same millisecond keep both:
    // the process ID makes their names differ (a check in one process
    // writes one snapshot at a time).
    let pid = std::process::id();
    let name = (1..)
        .map(|n| match n {
            1 => format!("{stamp}-{pid}.json"),
            n => format!("{stamp}-{pid}-{n}.json"),
        })
        .find(|name| !dir.join(name).exists())
        .expect("a free name");
    write_atomically(&dir.join(&name), &json)?;
    Ok(format!("{rel}/{name}"))
}

/// The snapshots kept for a source, oldest first.
pub fn list(corpus: &Path, source: &str) -> Result<Vec<Snapshot>, WatchError> {
    let dir = corpus.join("watch/snapshots").join(source);
    let mut names: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => vec![],
        Err(e) => return Err(WatchError::io(&dir, e)),
    };
    names.sort();
    names
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|e| WatchError::io(p, e))?;
            serde_json::from_slice(&bytes).map_err(|e| WatchError::bad_file(p, e.to_string()))
        })
        .collect()
}
