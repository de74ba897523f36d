//! The one error of trustlens's data files: a message at a file and line.
//!
//! The lexicon, the regulatory timeline and the matrix are TOML files a user
//! can edit, read by modules that know nothing of the corpus. They share
//! this leaf type so that none of them borrows another area's error (which
//! would tie the modules into a cycle), and the corpus wraps it.

use std::io;
use std::path::Path;

/// A data file that cannot be read, or a value in it that is wrong.
#[derive(Debug, thiserror::Error)]
pub enum DataFileError {
    /// A value in the file is invalid (or the file is not valid TOML).
    #[error("{file}:{line}: {message}")]
    At {
        /// The file, as the user named it.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
}

impl DataFileError {
    /// A problem at `file:line`.
    pub fn at(file: impl Into<String>, line: usize, message: impl Into<String>) -> Self {
        DataFileError::At {
            file: file.into(),
            line,
            message: message.into(),
        }
    }

    /// Reading `path` failed.
    pub fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        DataFileError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}
