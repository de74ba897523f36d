//! The one error that crosses the CLI and IPC boundaries: `{code, message}`.
//!
//! Every area's error (corpus, ingest, index, search, store, notes) becomes
//! an [`ApiError`] here, and only here, so the mapping from failures to
//! [`ErrorCode`]s is one table a reader can check.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use trustlens_core::corpus::CorpusError;
use trustlens_core::ingest::IngestError;
use trustlens_core::located::DataFileError;
use trustlens_core::notes::NoteError;
use trustlens_core::store::StoreError;
use trustlens_search::index::IndexError;
use trustlens_search::SearchError;

/// What kind of failure an [`ApiError`] is: stable, machine-readable, the
/// same in the CLI's JSON, the app's IPC and the TypeScript bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The search query cannot be parsed.
    BadQuery,
    /// No such version, clause, note or matrix entry.
    NotFound,
    /// A flag, setting or argument is malformed (date, name, path).
    InvalidArgument,
    /// The corpus manifest, a file it lists or a data file beside it is wrong.
    Corpus,
    /// A source file cannot be read as a document.
    Ingest,
    /// The search index failed.
    Index,
    /// Reading or writing a file failed.
    Io,
    /// The user's database cannot be read or written.
    Store,
    /// An export would replace a file (ask, then pass `force`).
    Exists,
    /// The user cancelled an import; what was added stays.
    Cancelled,
    /// Some versions of an import failed (each is reported on its own).
    Import,
    /// Some watched sources failed their check (each is reported on its
    /// own), or the watch list cannot be read.
    Watch,
    /// trustlens itself failed (a background task died): a bug to report.
    Internal,
}

impl ErrorCode {
    /// Every code, in the order of the README's table.
    pub const ALL: [ErrorCode; 13] = [
        ErrorCode::BadQuery,
        ErrorCode::NotFound,
        ErrorCode::InvalidArgument,
        ErrorCode::Corpus,
        ErrorCode::Ingest,
        ErrorCode::Index,
        ErrorCode::Io,
        ErrorCode::Store,
        ErrorCode::Exists,
        ErrorCode::Cancelled,
        ErrorCode::Import,
        ErrorCode::Watch,
        ErrorCode::Internal,
    ];

    /// The code as it is written in JSON (`"not_found"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadQuery => "bad_query",
            ErrorCode::NotFound => "not_found",
            ErrorCode::InvalidArgument => "invalid_argument",
            ErrorCode::Corpus => "corpus",
            ErrorCode::Ingest => "ingest",
            ErrorCode::Index => "index",
            ErrorCode::Io => "io",
            ErrorCode::Store => "store",
            ErrorCode::Exists => "exists",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Import => "import",
            ErrorCode::Watch => "watch",
            ErrorCode::Internal => "internal",
        }
    }

    /// The CLI's exit status: 2 for input the user can fix (a bad query or
    /// flag, a file that exists), 3 for something that is not there, 1 for
    /// everything else.
    pub fn exit_status(self) -> u8 {
        match self {
            ErrorCode::BadQuery | ErrorCode::InvalidArgument | ErrorCode::Exists => 2,
            ErrorCode::NotFound => 3,
            _ => 1,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error as it crosses the CLI and IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// A sentence for the user, naming the file, line or value at fault.
    pub message: String,
}

impl ApiError {
    /// Build an error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
        }
    }
}

impl From<CorpusError> for ApiError {
    fn from(e: CorpusError) -> Self {
        let code = match &e {
            CorpusError::UnknownVersion { .. } | CorpusError::UnknownClause(_) => {
                ErrorCode::NotFound
            }
            CorpusError::InvalidArgument(_) | CorpusError::DateTaken(_) => {
                ErrorCode::InvalidArgument
            }
            CorpusError::Io { .. } | CorpusError::DataFile(DataFileError::Io { .. }) => {
                ErrorCode::Io
            }
            CorpusError::Ingest(_) => ErrorCode::Ingest,
            _ => ErrorCode::Corpus,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<DataFileError> for ApiError {
    fn from(e: DataFileError) -> Self {
        CorpusError::from(e).into()
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::BadQuery(_) => ApiError::new(ErrorCode::BadQuery, e.to_string()),
            SearchError::Corpus(c) => c.into(),
            SearchError::Index(i) => i.into(),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        ApiError::new(ErrorCode::Index, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::new(ErrorCode::Store, e.to_string())
    }
}

impl From<NoteError> for ApiError {
    fn from(e: NoteError) -> Self {
        let code = match &e {
            NoteError::Invalid(_) => ErrorCode::InvalidArgument,
            NoteError::NotFound(_) => ErrorCode::NotFound,
            NoteError::Store(_) => ErrorCode::Store,
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        ApiError::new(ErrorCode::Ingest, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are a public contract (scripts match on them): their
    /// spelling in JSON is pinned here, and each is spelled once.
    #[test]
    fn codes_are_spelled_as_documented() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, code);
        }
        let spelled: std::collections::HashSet<_> =
            ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(spelled.len(), ErrorCode::ALL.len());
        let e = ApiError::new(ErrorCode::NotFound, "no clause");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "not_found", "message": "no clause"})
        );
    }
}
