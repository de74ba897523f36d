//! The one API that both front ends use: the `trustlens` CLI and the Tauri
//! app's commands are thin adapters over [`Workspace`] and [`ingest`].
//!
//! Every fallible call returns [`ApiError`], a `{code, message}` pair that
//! crosses the IPC and CLI boundaries as JSON. Codes are stable and few:
//!
//! | code | meaning |
//! |---|---|
//! | `bad_query` | the search query cannot be parsed |
//! | `not_found` | no such version or clause |
//! | `invalid_argument` | a flag or setting is malformed (date, name, path) |
//! | `corpus` | the corpus manifest or a file it lists is wrong |
//! | `ingest` | a source file cannot be read as a document |
//! | `index` | the search index failed |
//! | `io` | reading or writing a file failed |

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::{Clause, ClauseKind};
use crate::compare::view::CompareView;
use crate::corpus::add::{add_version, AddVersion, Added};
use crate::corpus::{Corpus, CorpusError, VersionInfo};
use crate::index::{ClauseIndex, IndexError};
use crate::ingest::IngestError;
use crate::lexicon::Lexicon;
use crate::paths::Dirs;
use crate::search::{compile, SearchError, SearchRequest, SearchResults, TextPart};
use crate::timeline::{today, Timeline};

/// An error as it crosses the CLI and IPC boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// Stable machine-readable code (see the module docs).
    pub code: String,
    /// A sentence for the user, naming the file, line or value at fault.
    pub message: String,
}

impl ApiError {
    /// Build an error with a code and message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl From<CorpusError> for ApiError {
    fn from(e: CorpusError) -> Self {
        let code = match &e {
            CorpusError::UnknownVersion { .. } | CorpusError::UnknownClause(_) => "not_found",
            CorpusError::InvalidArgument(_) => "invalid_argument",
            CorpusError::Io { .. } => "io",
            CorpusError::Ingest(_) => "ingest",
            _ => "corpus",
        };
        ApiError::new(code, e.to_string())
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::BadQuery(_) => ApiError::new("bad_query", e.to_string()),
            SearchError::Corpus(c) => c.into(),
            SearchError::Index(i) => i.into(),
        }
    }
}

impl From<IndexError> for ApiError {
    fn from(e: IndexError) -> Self {
        ApiError::new("index", e.to_string())
    }
}

impl From<IngestError> for ApiError {
    fn from(e: IngestError) -> Self {
        ApiError::new("ingest", e.to_string())
    }
}

/// Which corpus to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusChoice {
    /// The bundled corpus plus the user's corpus in the data directory.
    Default,
    /// A corpus directory of the same form.
    Dir(PathBuf),
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

/// One block of the reader: a heading or a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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
        /// Text split into highlighted and plain parts.
        parts: Vec<TextPart>,
        /// True for the clause that was asked for.
        focus: bool,
    },
}

/// A whole version laid out for reading, with one clause in focus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
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

/// The app's persisted settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// A corpus directory to use instead of the default corpus.
    pub corpus_dir: Option<String>,
}

impl Settings {
    /// Read the settings file; a missing file means defaults. An unreadable
    /// one is reported, never silently replaced.
    pub fn load(dirs: &Dirs) -> Result<Settings, ApiError> {
        let path = dirs.settings_file();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| ApiError::new("invalid_argument", format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(ApiError::new("io", format!("{}: {e}", path.display()))),
        }
    }

    /// Write the settings file atomically.
    pub fn save(&self, dirs: &Dirs) -> Result<(), ApiError> {
        std::fs::create_dir_all(&dirs.data)
            .map_err(|e| ApiError::new("io", format!("{}: {e}", dirs.data.display())))?;
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| ApiError::new("io", e.to_string()))?;
        crate::corpus::add::write_atomically(&dirs.settings_file(), &json)?;
        Ok(())
    }

    /// The corpus these settings choose.
    pub fn corpus_choice(&self) -> CorpusChoice {
        match self
            .corpus_dir
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => CorpusChoice::Dir(PathBuf::from(d)),
            None => CorpusChoice::Default,
        }
    }
}

/// An open corpus with its search index.
pub struct Workspace {
    /// The corpus.
    pub corpus: Corpus,
    /// Its index.
    pub index: ClauseIndex,
    /// Data and cache directories.
    pub dirs: Dirs,
    choice: CorpusChoice,
    /// The change lexicon, or why the corpus's own lexicon could not be read
    /// (search keeps working; compare reports the error).
    lexicon: Result<Lexicon, ApiError>,
}

impl Workspace {
    /// Open a corpus and its index (building the index if needed).
    pub fn open(dirs: Dirs, choice: CorpusChoice) -> Result<Workspace, ApiError> {
        let corpus = match &choice {
            CorpusChoice::Default => Corpus::open_default(&dirs.user_corpus())?,
            CorpusChoice::Dir(d) => Corpus::open_dir(d)?,
        };
        let index = ClauseIndex::open_or_build(&corpus, &dirs.index_root())?;
        let mut corpus = corpus;
        let dir = match &choice {
            CorpusChoice::Dir(d) => Some(d.as_path()),
            CorpusChoice::Default => None,
        };
        let lexicon = Lexicon::for_dir(dir).map_err(ApiError::from);
        match &lexicon {
            Ok(lexicon) => match Timeline::for_dir(dir, lexicon) {
                Ok(timeline) => flag_versions(&mut corpus, lexicon, &timeline, &today()),
                Err(e) => corpus
                    .warnings
                    .push(format!("{e} — regulatory flags are off until it is fixed")),
            },
            Err(e) => corpus.warnings.push(format!(
                "{} — comparing versions is unavailable until it is fixed",
                e.message
            )),
        }
        Ok(Workspace {
            corpus,
            index,
            dirs,
            choice,
            lexicon,
        })
    }

    /// Every version, ordered by document and date.
    pub fn versions(&self) -> Vec<VersionInfo> {
        self.corpus
            .versions
            .iter()
            .map(|v| v.info.clone())
            .collect()
    }

    /// Search clauses.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        Ok(crate::search::search(&self.corpus, &self.index, req)?)
    }

    /// A clause with its section context.
    pub fn show(&self, clause_id: &str) -> Result<ClauseView, ApiError> {
        let (version, i) = self.corpus.clause(clause_id.trim())?;
        let section = version
            .doc
            .section_of(i)
            .map(|s| s.clauses.clone())
            .unwrap_or(i..i + 1);
        Ok(ClauseView {
            version: version.info.clone(),
            clause: version.doc.clauses[i].clone(),
            context: version.doc.clauses[section].to_vec(),
        })
    }

    /// A whole version laid out for reading, focused on one clause.
    pub fn read(&self, req: &ReadRequest) -> Result<ReaderView, ApiError> {
        let (version, _) = self.corpus.clause(req.clause_id.trim())?;
        let compiled = req
            .query
            .as_deref()
            .filter(|q| !q.trim().is_empty())
            .and_then(|q| compile(&self.index, q).ok());
        let mut blocks = Vec::new();
        for section in &version.doc.sections {
            if !section.title.is_empty() {
                blocks.push(ReaderBlock::Heading {
                    level: section.level.max(1),
                    text: section.title.clone(),
                });
            }
            for c in &version.doc.clauses[section.clauses.clone()] {
                let parts = match &compiled {
                    Some(q) => q.highlight(&c.text),
                    None => vec![TextPart {
                        text: c.text.clone(),
                        hit: false,
                    }],
                };
                blocks.push(ReaderBlock::Clause {
                    id: c.id.clone(),
                    kind: c.kind,
                    pages: c.pages.clone(),
                    parts,
                    focus: c.id == req.clause_id.trim(),
                });
            }
        }
        Ok(ReaderView {
            version: version.info.clone(),
            focus: req.clause_id.trim().to_string(),
            blocks,
        })
    }

    /// Compare two versions (IDs or unambiguous dates): alignment, redlines
    /// and change cards, typed with the corpus's lexicon.
    pub fn diff(&self, old: &str, new: &str) -> Result<crate::compare::Comparison, ApiError> {
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        Ok(crate::compare::compare(
            self.lexicon.as_ref().map_err(Clone::clone)?,
            old,
            new,
        ))
    }

    /// [`Workspace::diff`] laid out for a side-by-side view (the app's
    /// compare view).
    pub fn compare_view(&self, old: &str, new: &str) -> Result<CompareView, ApiError> {
        let comparison = self.diff(old, new)?;
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        Ok(crate::compare::view::view(&comparison, old, new))
    }

    /// Facts about what is open.
    pub fn status(&self) -> CorpusStatus {
        CorpusStatus {
            source: self.corpus.source.describe(),
            custom_dir: match &self.choice {
                CorpusChoice::Dir(d) => Some(d.display().to_string()),
                CorpusChoice::Default => None,
            },
            versions: self.corpus.versions.len() as u32,
            clauses: self.corpus.clauses().count() as u32,
            index: self.index.state.describe(),
            warnings: self.corpus.warnings.clone(),
        }
    }
}

/// Fill in each version's regulatory flags as of `today`.
pub fn flag_versions(corpus: &mut Corpus, lexicon: &Lexicon, timeline: &Timeline, today: &str) {
    for v in &mut corpus.versions {
        v.info.flags = timeline.flags(lexicon, &v.info.date, &v.doc.clauses, today);
    }
}

/// Add a version to a corpus directory (`corpus_dir`), or to the user's
/// corpus in the data directory when none is given.
pub fn ingest(dirs: &Dirs, corpus_dir: Option<&Path>, req: &AddVersion) -> Result<Added, ApiError> {
    let dir = corpus_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dirs.user_corpus());
    let mut req = req.clone();
    if corpus_dir.is_none() {
        // The user's corpus is read together with the bundled one: a version
        // of a bundled document joins that document's family, and a date the
        // bundled corpus already has is refused before anything is written.
        let bundled = Corpus::bundled()?;
        let family = bundled.versions.iter().find(|v| {
            v.info.document_id == req.document
                || (v.info.document.eq_ignore_ascii_case(req.document.trim())
                    && v.info.vendor.eq_ignore_ascii_case(req.vendor.trim()))
        });
        if let Some(f) = family {
            if let Some(v) = bundled
                .versions
                .iter()
                .find(|v| v.info.document_id == f.info.document_id && v.info.date == req.date)
            {
                return Err(ApiError::new(
                    "invalid_argument",
                    format!(
                        "the bundled corpus already has {} — nothing to add",
                        v.info.id
                    ),
                ));
            }
            req.document_id = Some(f.info.document_id.clone());
            req.vendor = f.info.vendor.clone();
            req.document = f.info.document.clone();
        }
    }
    Ok(add_version(&dir, &req)?)
}
