//! Watching vendors' published pages, and recording each new version.
//!
//! A tour:
//! - [`sources`]: the watch list of a corpus (`watch/sources.toml`) and
//!   what the checks found (`watch/state.json`), changed under the
//!   corpus's write lock;
//! - [`fetch`]: one HTTP client (rustls, timeouts, redirect and size
//!   limits, gzip, conditional requests) and failures worded as reasons;
//! - [`extract`]: the document's part of a page, its text without noise
//!   ([`rules`], from `corpus/watch.toml`) and its own effective date;
//! - [`snapshot`]: every fetch kept, bytes, headers, time and hash;
//! - [`recorded`]: a state brought up to the versions its source recorded
//!   (after a process was killed between the two);
//! - [`check`]: checking sources side by side and recording a version
//!   (through the same safe path as import) only when the text changed.
//!
//! ```no_run
//! use trustlens_watch::{check, sources, NewSource};
//! let corpus = std::path::Path::new("my-corpus");
//! sources::add(corpus, &NewSource {
//!     url: "https://example.com/privacy".into(),
//!     vendor: "Example".into(),
//!     document: "Privacy Policy".into(),
//!     ..NewSource::default()
//! })?;
//! for outcome in check::run(corpus, &check::RunOptions::default(), &mut |_| {})? {
//!     println!("{}: {:?}", outcome.source, outcome.result);
//! }
//! # Ok::<(), trustlens_watch::WatchError>(())
//! ```

use std::path::Path;

use trustlens_core::corpus::CorpusError;

pub mod check;
pub mod extract;
pub mod fetch;
pub mod recorded;
pub mod rules;
pub mod snapshot;
pub mod sources;

pub use check::{CheckOutcome, CheckResult, RunOptions};
pub use snapshot::Snapshot;
pub use sources::{NewSource, Source, SourceState, SourceView, Watchlist};

/// What can go wrong with the watch list itself (a source's failed check
/// is not an error: it is that source's [`CheckOutcome`]).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// A field of a source is wrong.
    #[error("{0}")]
    InvalidArgument(String),
    /// No source has this ID.
    #[error("no watched source \"{0}\" (see `trustlens watch list`)")]
    NotFound(String),
    /// The watch list or state file cannot be read.
    #[error("{path}: {message}")]
    BadFile {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The corpus refused a write.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// trustlens itself failed.
    #[error("{0}")]
    Internal(String),
}

impl WatchError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        WatchError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    fn bad_file(path: &Path, message: String) -> Self {
        WatchError::BadFile {
            path: path.display().to_string(),
            message,
        }
    }
}
