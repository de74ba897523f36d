//! The types that cross the CLI and IPC boundary (exported to TypeScript):
//! requests, views and choices.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use trustlens_core::clause::{Clause, ClauseKind};
use trustlens_core::corpus::VersionInfo;
use trustlens_core::export::{Citation, ExportFormat};
use trustlens_core::import::ImportRequest;
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::matrix::links::Link;
use trustlens_core::notes::{Note, NoteFilter};
use trustlens_core::store::LinkAction;
use trustlens_core::timeline::today;
use trustlens_search::{SearchRequest, TextPart};
use ts_rs::TS;

/// Which corpus to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusChoice {
    /// The bundled corpus plus the user's corpus in the data directory.
    Default,
    /// A corpus directory of the same form.
    Dir(PathBuf),
}

impl CorpusChoice {
    /// The chosen corpus directory, if one was chosen.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            CorpusChoice::Dir(d) => Some(d),
            CorpusChoice::Default => None,
        }
    }
}

/// A version as the app and CLI list it: its facts and its regulatory
/// flags as of today (see [`trustlens_core::timeline`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionView {
    /// The version's facts.
    #[serde(flatten)]
    #[ts(flatten)]
    pub info: VersionInfo,
    /// Frameworks it relies on that were invalid on its date or are invalid today.
    pub flags: Vec<trustlens_core::timeline::RegulatoryFlag>,
}

/// Facts about the open corpus and index, for status lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CorpusStatus {
    /// What is open, in words.
    pub source: String,
    /// The custom corpus directory, when one is chosen.
    pub custom_dir: Option<String>,
    /// Number of versions.
    pub versions: u32,
    /// Number of clauses.
    pub clauses: u32,
    /// How the index came to be (built, reused, rebuilt and why).
    pub index: String,
    /// PDF pages whose text was read by OCR (their clauses are marked "OCR").
    pub ocr_pages: u32,
    /// PDF pages with no readable text (each also a warning).
    pub unreadable_pages: u32,
    /// Non-fatal problems with the corpus.
    pub warnings: Vec<String>,
}

/// Open a clause in its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReadRequest {
    /// The clause to focus.
    pub clause_id: String,
    /// Highlight this query's matches (an invalid query just highlights nothing).
    pub query: Option<String>,
}

/// Compare two versions (IDs, or dates when they are unambiguous).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CompareRequest {
    /// The older version.
    pub old: String,
    /// The newer version.
    pub new: String,
}

/// Link, unlink, or reset the link between a clause and a matrix entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LinkRequest {
    /// Clause ID.
    pub clause_id: String,
    /// Entry key (`MATRIX/ENTRY`) or bare entry ID.
    pub entry: String,
    /// `link`, `unlink`, or null to let the rules decide again.
    pub action: Option<LinkAction>,
}

/// A note with what a reader needs: its citation and the clause's text now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NoteView {
    /// The note.
    #[serde(flatten)]
    pub note: Note,
    /// Where its clause is (none when the clause is not in this corpus).
    pub citation: Option<Citation>,
    /// The clause's text (none when the clause is not in this corpus).
    pub clause_text: Option<String>,
    /// Keys of the matrix entries its clause is linked to.
    pub entries: Vec<String>,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportSelection {
    /// Notes matching a filter.
    Notes {
        /// The filter.
        filter: NoteFilter,
    },
    /// The hits of a search.
    Search {
        /// The search.
        request: SearchRequest,
    },
    /// The change cards between two versions.
    Changes {
        /// The older version.
        old: String,
        /// The newer version.
        new: String,
    },
}

/// An export to make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportRequest {
    /// What to export.
    pub selection: ExportSelection,
    /// How.
    pub format: ExportFormat,
}

/// An import as the app asks for it (see [`trustlens_core::import`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportInput {
    /// Files and folders.
    pub paths: Vec<String>,
    /// Instead of `paths`: a file in a git repository, one version per commit.
    #[ts(optional)]
    pub git_file: Option<String>,
    /// Vendor name.
    pub vendor: String,
    /// Document title (or the ID of an existing document).
    pub document: String,
    /// The date of a single file whose name carries none.
    #[ts(optional)]
    pub date: Option<String>,
}

impl ImportInput {
    /// The library's request, with today as the capture date and OCR as
    /// `ocr` says (the app's setting).
    pub fn to_request(&self, ocr: OcrMode) -> ImportRequest {
        let text = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        ImportRequest {
            paths: self
                .paths
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .map(PathBuf::from)
                .collect(),
            git_file: text(&self.git_file).map(PathBuf::from),
            vendor: self.vendor.trim().to_string(),
            document: self.document.trim().to_string(),
            date: text(&self.date),
            format: None,
            captured: today(),
            ocr,
        }
    }
}

/// Export formats of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatrixFormat {
    /// One row per entry and linked clause.
    Csv,
    /// An OSCAL component definition (JSON).
    Oscal,
}

/// One block of the reader: a heading or a clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReaderBlock {
    /// A section heading.
    Heading {
        /// Nesting level (1 outermost).
        level: u8,
        /// Heading text.
        text: String,
    },
    /// A clause.
    Clause {
        /// Clause ID.
        id: String,
        /// Clause kind.
        kind: ClauseKind,
        /// Pages, when known.
        pages: Vec<u32>,
        /// When the clause was read by OCR: Tesseract's mean confidence (0–100).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        ocr: Option<u8>,
        /// Text split into highlighted and plain parts.
        parts: Vec<TextPart>,
        /// True for the clause that was asked for.
        focus: bool,
        /// Its links to matrix entries.
        links: Vec<Link>,
    },
}

/// A whole version laid out for reading, with one clause in focus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReaderView {
    /// The version.
    pub version: VersionInfo,
    /// The focused clause's ID.
    pub focus: String,
    /// Headings and clauses in reading order.
    pub blocks: Vec<ReaderBlock>,
}

/// A clause with its section around it (for `trustlens show`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ClauseView {
    /// The version it belongs to.
    pub version: VersionInfo,
    /// The clause.
    pub clause: Clause,
    /// All clauses of its section, in order (the clause itself included).
    pub context: Vec<Clause>,
}
