//! The one API that both front ends use: the `trustlens` CLI and the Tauri
//! app's commands are thin adapters over [`Workspace`] and [`ingest`].
//!
//! Every fallible call returns [`ApiError`], a `{code, message}` pair that
//! crosses the IPC and CLI boundaries as JSON; its [`ErrorCode`]s are an
//! enum, exported to TypeScript with the other types ([`bindings`]).

pub mod bindings;
pub mod commands;
mod error;
pub mod session;

pub use error::{ApiError, ErrorCode};
pub use session::Session;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use trustlens_core::clause::{Clause, ClauseKind};
use trustlens_core::compare::view::CompareView;
use trustlens_core::corpus::add::{add_version, AddVersion, Added};
use trustlens_core::corpus::{Corpus, CorpusError, VersionInfo};
use trustlens_core::export::{Citation, Excerpt, ExportDoc, ExportFormat, Memo, MemoChange};
use trustlens_core::import::{self, Candidate, ImportReport, ImportRequest, Progress};
use trustlens_core::lexicon::Lexicon;
use trustlens_core::lineage::{Lineage, Lineages};
use trustlens_core::matrix::links::{Link, LinkTable};
use trustlens_core::matrix::report::{Coverage, MatrixDiff, MatrixGrid};
use trustlens_core::matrix::Matrices;
use trustlens_core::notes::{Anchored, NewNote, Note, NoteEdit, NoteFilter};
use trustlens_core::paths::Dirs;
use trustlens_core::store::{LinkAction, Store};
use trustlens_core::timeline::{today, Timeline};
use trustlens_search::index::ClauseIndex;
use trustlens_search::{compile, EntryCount, SearchParts, SearchRequest, SearchResults, TextPart};

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
    /// The library's request, with today as the capture date.
    pub fn to_request(&self) -> ImportRequest {
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
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidArgument,
                    format!("{}: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(ApiError::new(
                ErrorCode::Io,
                format!("{}: {e}", path.display()),
            )),
        }
    }

    /// Write the settings file atomically.
    pub fn save(&self, dirs: &Dirs) -> Result<(), ApiError> {
        std::fs::create_dir_all(&dirs.data)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", dirs.data.display())))?;
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
        trustlens_core::corpus::add::write_atomically(&dirs.settings_file(), &json)?;
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
    /// The responsibility matrices, or why one could not be read.
    matrices: Result<Matrices, ApiError>,
    /// Automatic clause–entry links (the user's decisions are applied per call,
    /// so that another window's or the CLI's changes show at once).
    auto_links: LinkTable,
    /// Clause lineages, built on first use (they need a compare per pair of
    /// consecutive versions).
    lineages: std::sync::OnceLock<Lineages>,
    /// The last comparison made, by its version IDs.
    last_diff: std::sync::Mutex<Option<((String, String), trustlens_core::compare::Comparison)>>,
    /// The links with the user's decisions, as last read from the store.
    user_links: std::sync::Mutex<Option<UserLinks>>,
    /// The manifest that writers change, as it was when this opened.
    manifest_stamp: ManifestStamp,
}

/// What tells whether a manifest changed since it was read: its size,
/// modification time and inode (a writer renames a new file into place), or
/// `None` while there is none.
type ManifestStamp = Option<(u64, std::time::SystemTime, u64)>;

fn manifest_stamp(path: &Path) -> ManifestStamp {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.len(), meta.modified().ok()?, inode))
}

/// The user's link decisions as last read, and what tells whether they are
/// still current: every search shows each hit's links, and opening the
/// store and reading every decision again cost more than the search itself.
struct UserLinks {
    /// The connection the decisions were read through, kept open so that
    /// its `data_version` reveals commits made since by anyone else.
    store: Store,
    /// The database file it reads (device and inode): a store replaced on
    /// disk is read again.
    file: (u64, u64),
    /// [`Store::data_version`] when the decisions were read.
    data_version: i64,
    /// The rules' links with those decisions applied.
    table: LinkTable,
}

/// Device and inode of a file, when it exists (and the system has them).
fn file_identity(path: &std::path::Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        // Without inodes the cache cannot tell a replaced file: no caching.
        let _ = path;
        None
    }
}

/// Run one step of opening a workspace, logging how long it took (at debug
/// level: `TRUSTLENS_LOG=trustlens=debug`), so that a slow open can be
/// explained without a profiler.
fn timed<T>(step: &str, f: impl FnOnce() -> T) -> T {
    let start = std::time::Instant::now();
    let out = f();
    tracing::debug!(step, ms = start.elapsed().as_secs_f64() * 1e3, "opening");
    out
}

impl Workspace {
    /// Open a corpus and its index (building the index if needed).
    pub fn open(dirs: Dirs, choice: CorpusChoice) -> Result<Workspace, ApiError> {
        // Taken before reading: a version added while this opens shows as
        // a change next time, never as one already seen.
        let manifest_stamp = manifest_stamp(&Self::written_manifest(&dirs, &choice));
        let corpus = timed("read and parse the corpus", || match &choice {
            CorpusChoice::Default => Corpus::open_default(&dirs.user_corpus()),
            CorpusChoice::Dir(d) => Corpus::open_dir(d),
        })?;
        let index = timed("open the index", || {
            ClauseIndex::open_or_build(&corpus, &dirs.index_root())
        })?;
        let mut corpus = corpus;
        let dir = choice.dir();
        let lexicon = timed("read the lexicon", || Lexicon::for_dir(dir)).map_err(ApiError::from);
        match &lexicon {
            Ok(lexicon) => match timed("read the timeline", || Timeline::for_dir(dir, lexicon)) {
                Ok(timeline) => timed("flag the versions", || {
                    flag_versions(&mut corpus, lexicon, &timeline, &today())
                }),
                Err(e) => corpus
                    .warnings
                    .push(format!("{e} — regulatory flags are off until it is fixed")),
            },
            Err(e) => corpus.warnings.push(format!(
                "{} — comparing versions is unavailable until it is fixed",
                e.message
            )),
        }
        let matrices = timed("read the matrices", || match &choice {
            CorpusChoice::Dir(d) => Matrices::load(Some(d), None),
            CorpusChoice::Default => Matrices::load(None, Some(&dirs.user_corpus())),
        })
        .map_err(ApiError::from);
        let auto_links = match &matrices {
            Ok(m) => timed("link the clauses to the matrices", || {
                LinkTable::auto(m, corpus.clauses().map(|(_, c)| c))
            }),
            Err(e) => {
                corpus.warnings.push(format!(
                    "{} — the responsibility matrix is unavailable until it is fixed",
                    e.message
                ));
                LinkTable::default()
            }
        };
        let mut ws = Workspace {
            corpus,
            index,
            dirs,
            choice,
            lexicon,
            matrices,
            auto_links,
            lineages: std::sync::OnceLock::new(),
            last_diff: std::sync::Mutex::new(None),
            user_links: std::sync::Mutex::new(None),
            manifest_stamp,
        };
        // Notes follow their clauses into newer versions as soon as a corpus
        // holding those versions is opened. Only when notes can exist: opening
        // a corpus never creates the user's database.
        if ws.dirs.store_file().exists() && ws.lexicon.is_ok() {
            if let Err(e) = ws.reanchor_notes() {
                ws.corpus
                    .warnings
                    .push(format!("notes could not be re-anchored: {}", e.message));
            }
        }
        Ok(ws)
    }

    /// Which corpus this workspace has open (what import adds to).
    pub fn choice(&self) -> &CorpusChoice {
        &self.choice
    }

    /// The manifest that ingest and import write for `choice`.
    fn written_manifest(dirs: &Dirs, choice: &CorpusChoice) -> PathBuf {
        import_target(dirs, choice.dir()).join(trustlens_core::corpus::MANIFEST)
    }

    /// True when the corpus changed on disk since this workspace opened it
    /// (another process, or another window, added a version): it should be
    /// opened again to show what is there. One `stat`; notes and links need
    /// no such check, since they are read from the store at every call.
    pub fn is_stale(&self) -> bool {
        manifest_stamp(&Self::written_manifest(&self.dirs, &self.choice)) != self.manifest_stamp
    }

    fn matrices(&self) -> Result<&Matrices, ApiError> {
        self.matrices.as_ref().map_err(Clone::clone)
    }

    /// Every clause's links: the rules' links with the user's decisions applied.
    pub fn links(&self) -> Result<LinkTable, ApiError> {
        let matrices = self.matrices()?;
        let path = self.dirs.store_file();
        // A poisoned lock only means a panic while reading; the cache is
        // then either whole or empty.
        let mut cache = self.user_links.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref() {
            if file_identity(&path) == Some(c.file)
                && c.store.data_version().ok() == Some(c.data_version)
            {
                return Ok(c.table.clone());
            }
        }
        // The file is identified before it is opened and again after: a
        // file replaced in between is not cached (the connection would hold
        // the old one under the new one's identity, stale for good).
        let before = file_identity(&path);
        let store = Store::open(&path)?;
        // Read the version before the decisions: a commit in between makes
        // the next call read them again, never keep stale ones.
        let data_version = store.data_version()?;
        let table = self.auto_links.with_overrides(matrices, &store.links()?);
        *cache = before
            .filter(|&file| file_identity(&path) == Some(file))
            .map(|file| UserLinks {
                store,
                file,
                data_version,
                table: table.clone(),
            });
        Ok(table)
    }

    /// The matrix grid: entries × versions with clause counts.
    pub fn matrix_grid(&self) -> Result<MatrixGrid, ApiError> {
        Ok(trustlens_core::matrix::report::grid(
            self.matrices()?,
            &self.corpus.versions,
            &self.links()?,
        ))
    }

    /// Which entries one version supports, with which clauses and why.
    pub fn matrix_coverage(&self, version: &str) -> Result<Coverage, ApiError> {
        let v = self.corpus.version(version.trim())?;
        Ok(trustlens_core::matrix::report::coverage(
            self.matrices()?,
            v,
            &self.links()?,
        ))
    }

    /// The matrix between two versions: cards per entry and shift alerts.
    pub fn matrix_diff(&self, old: &str, new: &str) -> Result<MatrixDiff, ApiError> {
        let comparison = self.diff(old, new)?;
        Ok(trustlens_core::matrix::report::diff(
            self.matrices()?,
            &comparison,
            &self.links()?,
        ))
    }

    /// One version's coverage as CSV or as an OSCAL component definition (JSON).
    pub fn matrix_export(&self, format: MatrixFormat, version: &str) -> Result<String, ApiError> {
        let cov = self.matrix_coverage(version)?;
        match format {
            MatrixFormat::Csv => trustlens_core::matrix::report::to_csv(&cov)
                .map_err(|e| ApiError::new(ErrorCode::Io, format!("writing CSV: {e}"))),
            MatrixFormat::Oscal => {
                let doc =
                    trustlens_core::matrix::report::to_oscal(&cov, &trustlens_core::store::now());
                serde_json::to_string_pretty(&doc)
                    .map(|s| s + "\n")
                    .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))
            }
        }
    }

    /// A clause's links.
    pub fn clause_links(&self, clause_id: &str) -> Result<Vec<Link>, ApiError> {
        self.corpus.clause(clause_id.trim())?;
        Ok(self.links()?.of(clause_id.trim()))
    }

    /// Link or unlink a clause and an entry (the user's decision, stored
    /// durably and kept apart from the rules), or with `None` forget the
    /// decision so the rules decide again. Returns the clause's links.
    pub fn set_link(&self, req: &LinkRequest) -> Result<Vec<Link>, ApiError> {
        let clause_id = req.clause_id.trim();
        self.corpus.clause(clause_id)?;
        let entry = self.matrices()?.entry(&req.entry).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "no matrix entry \"{}\" (see `trustlens matrix`)",
                    req.entry.trim()
                ),
            )
        })?;
        let mut store = Store::open(&self.dirs.store_file())?;
        match req.action {
            Some(action) => {
                store.set_link(clause_id, &entry.key, action)?;
            }
            None => {
                store.clear_link(clause_id, &entry.key)?;
            }
        }
        self.clause_links(clause_id)
    }

    /// Every version, ordered by document and date.
    pub fn versions(&self) -> Vec<VersionInfo> {
        self.corpus
            .versions
            .iter()
            .map(|v| v.info.clone())
            .collect()
    }

    /// Search clauses; each hit carries its matrix entries, and the results
    /// count matches per version and per entry. With `entry`, only clauses
    /// linked to it.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::All)
    }

    /// [`Workspace::search`] without the counts per version and entry: the
    /// hits and the number of matches, which come back several times faster
    /// on a large corpus. The app shows these first, then asks
    /// [`Workspace::search_counts`].
    pub fn search_hits(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::Hits)
    }

    /// [`Workspace::search`] without the hits: the number of matches and the
    /// counts per version and per matrix entry.
    pub fn search_counts(&self, req: &SearchRequest) -> Result<SearchResults, ApiError> {
        self.search_parts(req, SearchParts::Counts)
    }

    fn search_parts(
        &self,
        req: &SearchRequest,
        parts: SearchParts,
    ) -> Result<SearchResults, ApiError> {
        // Without a usable matrix, search still works (without entries).
        let matrices = self.matrices.as_ref().ok();
        // A damaged user database must not stop search: the rules' links
        // stand in for the user's (the status line reports the database).
        let links = matrices.map(|m| {
            self.links().unwrap_or_else(|e| {
                tracing::warn!(error = %e.message, "your links are unavailable; showing the rules' links");
                self.auto_links.with_overrides(m, &[])
            })
        });
        let entry_filter = req
            .entry
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        let within: Option<HashSet<String>> = match entry_filter {
            Some(name) => {
                let m = self.matrices()?;
                let entry = m.entry(name).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::NotFound,
                        format!("no matrix entry \"{name}\" (see `trustlens matrix`)"),
                    )
                })?;
                let links = links.as_ref().expect("matrices loaded, so links exist");
                Some(
                    links
                        .clauses_of(&entry.key)
                        .into_iter()
                        .map(str::to_string)
                        .collect(),
                )
            }
            None => None,
        };
        // Grouping by lineage needs more than `limit` hits to fill `limit` groups.
        let mut wide = req.clone();
        if req.by_lineage {
            let limit = req
                .limit
                .unwrap_or(20)
                .clamp(1, trustlens_search::MAX_LIMIT);
            wide.limit = Some((limit * 10).min(trustlens_search::MAX_LIMIT));
        }
        let (mut results, counts) = trustlens_search::search_parts(
            &self.corpus,
            &self.index,
            &wide,
            within.as_ref(),
            links.as_ref(),
            parts,
        )?;
        if req.by_lineage {
            let lineages = self.lineages()?;
            let limit = req
                .limit
                .unwrap_or(20)
                .clamp(1, trustlens_search::MAX_LIMIT) as usize;
            let mut groups: Vec<trustlens_search::SearchHit> = Vec::new();
            for mut hit in std::mem::take(&mut results.hits) {
                let lineage = lineages.of(&hit.clause_id).map(|l| l.id.clone());
                match groups
                    .iter_mut()
                    .find(|g| g.lineage.is_some() && g.lineage == lineage)
                {
                    Some(g) => {
                        if g.version != hit.version
                            && !g.also_in.iter().any(|v| **v == *hit.version)
                        {
                            g.also_in.push(hit.version.to_string());
                        }
                    }
                    None => {
                        hit.lineage = lineage;
                        groups.push(hit);
                    }
                }
            }
            groups.truncate(limit);
            results.hits = groups;
        }
        if let (Some(m), Some(links)) = (matrices, links.as_ref()) {
            for hit in &mut results.hits {
                hit.entries = links.entries_of(&hit.clause_id);
            }
            let counts = counts.unwrap_or_default();
            results.entry_facets = m
                .entries()
                .filter_map(|e| {
                    counts.get(&e.key).map(|&count| EntryCount {
                        entry: e.key.clone(),
                        area: e.area.clone(),
                        count,
                    })
                })
                .collect();
        }
        // `limit: 0` asks for the counts alone: matches are still counted.
        if req.limit == Some(0) {
            results.hits.clear();
        }
        Ok(results)
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
        let links = match &self.matrices {
            Ok(_) => self.links()?,
            Err(_) => LinkTable::default(),
        };
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
                        text: c.text.to_string(),
                        hit: false,
                    }],
                };
                let id = c.id();
                blocks.push(ReaderBlock::Clause {
                    focus: id == req.clause_id.trim(),
                    links: links.of(&id),
                    id,
                    kind: c.kind,
                    pages: c.pages.to_vec(),
                    parts,
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
    pub fn diff(
        &self,
        old: &str,
        new: &str,
    ) -> Result<trustlens_core::compare::Comparison, ApiError> {
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        // The app asks for the same pair twice in a row (the compare view,
        // then its matrix alerts); the corpus is immutable, so remember the
        // last answer.
        let key = (old.info.id.clone(), new.info.id.clone());
        let mut last = self
            .last_diff
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((k, c)) = last.as_ref() {
            if *k == key {
                return Ok(c.clone());
            }
        }
        let c = trustlens_core::compare::compare(lexicon, old, new);
        *last = Some((key, c.clone()));
        Ok(c)
    }

    /// [`Workspace::diff`] laid out for a side-by-side view (the app's
    /// compare view).
    pub fn compare_view(&self, old: &str, new: &str) -> Result<CompareView, ApiError> {
        let comparison = self.diff(old, new)?;
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        Ok(trustlens_core::compare::view::view(&comparison, old, new))
    }

    fn citation(&self, clause_id: &str) -> Option<(Citation, String)> {
        let (v, i) = self.corpus.clause(clause_id).ok()?;
        let c = &v.doc.clauses[i];
        Some((Citation::of(&v.info, c), c.text.to_string()))
    }

    fn note_view(&self, note: Note, links: Option<&LinkTable>) -> NoteView {
        let cited = self.citation(&note.clause_id);
        NoteView {
            entries: links
                .map(|l| {
                    l.of(&note.clause_id)
                        .iter()
                        .map(|l| l.entry.clone())
                        .collect()
                })
                .unwrap_or_default(),
            citation: cited.as_ref().map(|(c, _)| c.clone()),
            clause_text: cited.map(|(_, t)| t),
            note,
        }
    }

    fn store(&self) -> Result<Store, ApiError> {
        Ok(Store::open(&self.dirs.store_file())?)
    }

    fn lineages(&self) -> Result<&Lineages, ApiError> {
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        Ok(self
            .lineages
            .get_or_init(|| Lineages::build(&self.corpus, lexicon)))
    }

    /// A clause's history across the versions of its document.
    pub fn history(&self, clause_id: &str) -> Result<Lineage, ApiError> {
        self.corpus.clause(clause_id.trim())?;
        self.lineages()?
            .of(clause_id.trim())
            .cloned()
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("no history for {clause_id}"))
            })
    }

    /// Follow notes into newer versions (see [`trustlens_core::notes::anchor::reanchor`]).
    /// Returns how many notes moved or changed status.
    pub fn reanchor_notes(&self) -> Result<usize, ApiError> {
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        let mut store = self.store()?;
        Ok(trustlens_core::notes::anchor::reanchor(&mut store, &self.corpus, lexicon)?.len())
    }

    /// Add a note to a clause, on the whole clause or on a quoted span.
    pub fn add_note(&self, new: &NewNote) -> Result<NoteView, ApiError> {
        let clause_id = new.clause_id.trim();
        let (v, i) = self.corpus.clause(clause_id)?;
        let clause = &v.doc.clauses[i];
        let quote = match new
            .quote
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            Some(q) => Some(
                trustlens_core::notes::anchor::quote(&clause.text, q, None).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidArgument,
                        format!("the quote \"{q}\" is not in the text of {clause_id}"),
                    )
                })?,
            ),
            None => None,
        };
        let note = self.store()?.add_note(
            new,
            Anchored {
                clause_id: clause.id(),
                clause_sha256: clause.sha256().to_string(),
                quote,
            },
        )?;
        Ok(self.note_view(note, self.links().ok().as_ref()))
    }

    /// Notes matching a filter, oldest first.
    pub fn notes(&self, filter: &NoteFilter) -> Result<Vec<NoteView>, ApiError> {
        let version = match filter
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => Some(self.corpus.version(v)?.info.id.clone()),
            None => None,
        };
        let links = self.links().ok();
        let entry = match filter
            .entry
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(e) => Some(
                self.matrices()?
                    .entry(e)
                    .ok_or_else(|| {
                        ApiError::new(ErrorCode::NotFound, format!("no matrix entry \"{e}\""))
                    })?
                    .key
                    .clone(),
            ),
            None => None,
        };
        let tag = filter.tag.as_deref().map(|t| t.trim().to_lowercase());
        let notes = self.store()?.notes()?;
        Ok(notes
            .into_iter()
            .filter(|n| {
                tag.as_ref()
                    .is_none_or(|t| t.is_empty() || n.tags.contains(t))
            })
            .filter(|n| filter.status.is_none_or(|s| n.status == s))
            .filter(|n| {
                version
                    .as_ref()
                    .is_none_or(|v| n.clause_id.starts_with(&format!("{v}/")))
            })
            .filter(|n| {
                filter
                    .clause_id
                    .as_deref()
                    .is_none_or(|c| n.clause_id == c.trim())
            })
            .map(|n| self.note_view(n, links.as_ref()))
            .filter(|n| entry.as_ref().is_none_or(|e| n.entries.contains(e)))
            .collect())
    }

    /// Change a note.
    pub fn edit_note(&self, id: i64, edit: &NoteEdit) -> Result<NoteView, ApiError> {
        let note = self.store()?.edit_note(id, edit)?;
        Ok(self.note_view(note, self.links().ok().as_ref()))
    }

    /// Delete a note (its history stays in the journal).
    pub fn delete_note(&self, id: i64) -> Result<Note, ApiError> {
        Ok(self.store()?.delete_note(id)?)
    }

    fn corpus_line(&self) -> String {
        format!(
            "{} (content key {})",
            self.corpus.source.describe(),
            self.corpus.content_key()
        )
    }

    /// Build an export (see [`trustlens_core::export`]).
    pub fn export_doc(&self, selection: &ExportSelection) -> Result<ExportDoc, ApiError> {
        let mut excerpts = Vec::new();
        let (title, described) = match selection {
            ExportSelection::Notes { filter } => {
                for n in self.notes(filter)? {
                    let Some(citation) = n.citation.clone() else {
                        continue;
                    };
                    excerpts.push(Excerpt {
                        citation,
                        text: n.clause_text.clone().unwrap_or_default(),
                        quote: n.note.quote.as_ref().map(|q| q.exact.clone()),
                        note: Some(n.note),
                        card: None,
                        side: None,
                    });
                }
                let mut parts = Vec::new();
                if let Some(t) = filter.tag.as_deref().filter(|t| !t.trim().is_empty()) {
                    parts.push(format!("tag {t}"));
                }
                if let Some(s) = filter.status {
                    parts.push(format!("status {}", s.as_str()));
                }
                if let Some(v) = filter.version.as_deref().filter(|v| !v.trim().is_empty()) {
                    parts.push(format!("version {v}"));
                }
                if let Some(e) = filter.entry.as_deref().filter(|e| !e.trim().is_empty()) {
                    parts.push(format!("matrix entry {e}"));
                }
                (
                    "Annotated excerpts".to_string(),
                    if parts.is_empty() {
                        "all notes".to_string()
                    } else {
                        format!("notes with {}", parts.join(", "))
                    },
                )
            }
            ExportSelection::Search { request } => {
                let results = self.search(request)?;
                for h in &results.hits {
                    let Some((citation, text)) = self.citation(&h.clause_id) else {
                        continue;
                    };
                    excerpts.push(Excerpt {
                        citation,
                        text,
                        quote: None,
                        note: None,
                        card: None,
                        side: None,
                    });
                }
                (
                    format!(
                        "Search results for \u{201C}{}\u{201D}",
                        request.query.trim()
                    ),
                    format!(
                        "the best {} of {} clauses matching \u{201C}{}\u{201D}",
                        results.hits.len(),
                        results.total,
                        request.query.trim()
                    ),
                )
            }
            ExportSelection::Changes { old, new } => {
                let c = self.diff(old, new)?;
                for card in &c.changes {
                    for (side, ev) in [("before", &card.before), ("after", &card.after)] {
                        let Some(ev) = ev else { continue };
                        let Some((citation, text)) = self.citation(&ev.clause_id) else {
                            continue;
                        };
                        excerpts.push(Excerpt {
                            citation,
                            text,
                            quote: None,
                            note: None,
                            card: Some(card.clone()),
                            side: Some(side.to_string()),
                        });
                    }
                }
                (
                    format!("Changes from {} to {}", c.old.id, c.new.id),
                    format!("{} change cards", c.changes.len()),
                )
            }
        };
        Ok(ExportDoc {
            title,
            generated: trustlens_core::store::now(),
            corpus: self.corpus_line(),
            selection: described,
            excerpts,
        })
    }

    /// An export, rendered.
    pub fn export(&self, req: &ExportRequest) -> Result<String, ApiError> {
        let doc = self.export_doc(&req.selection)?;
        trustlens_core::export::render(&doc, req.format)
            .map_err(|e| ApiError::new(ErrorCode::Io, e))
    }

    /// The change memo for two versions: cards with their evidence and
    /// redline, the notes on the clauses they touch, and the matrix entries
    /// they touch with responsibility-shift alerts.
    pub fn memo(&self, old: &str, new: &str) -> Result<Memo, ApiError> {
        let c = self.diff(old, new)?;
        let links = self.links().ok();
        let matrix = match (&self.matrices, &links) {
            (Ok(m), Some(l)) => Some((m, trustlens_core::matrix::report::diff(m, &c, l))),
            _ => None,
        };
        let notes = self.store()?.notes()?;
        let mut changes = Vec::new();
        for (k, card) in c.changes.iter().enumerate() {
            let ids: Vec<&str> = [&card.before, &card.after]
                .into_iter()
                .flatten()
                .map(|e| e.clause_id.as_str())
                .collect();
            let pair = c.alignment.iter().find(|p| {
                ids.iter()
                    .any(|id| p.pair.old.iter().chain(&p.pair.new).any(|x| x == id))
            });
            changes.push(MemoChange {
                card: card.clone(),
                before: card
                    .before
                    .as_ref()
                    .and_then(|e| self.citation(&e.clause_id))
                    .map(|c| c.0),
                after: card
                    .after
                    .as_ref()
                    .and_then(|e| self.citation(&e.clause_id))
                    .map(|c| c.0),
                redline: pair.map(|p| p.redline.clone()).unwrap_or_default(),
                notes: notes
                    .iter()
                    .filter(|n| {
                        ids.contains(&n.clause_id.as_str())
                            || ids.contains(&n.origin_clause_id.as_str())
                    })
                    .cloned()
                    .collect(),
                entries: matrix
                    .as_ref()
                    .map(|(_, d)| {
                        d.entries
                            .iter()
                            .filter(|e| e.cards.contains(&(k as u32)))
                            .map(|e| e.entry.area.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        Ok(Memo {
            title: format!("Change memo: {} — {}", c.new.vendor, c.new.document),
            generated: trustlens_core::store::now(),
            corpus: self.corpus_line(),
            alerts: matrix.map(|(_, d)| d.alerts).unwrap_or_default(),
            warnings: c.warnings.clone(),
            old: c.old,
            new: c.new,
            changes,
        })
    }

    /// The version a command means when none is named: the newest, when the
    /// corpus holds one document.
    pub fn default_version(&self) -> Result<String, ApiError> {
        let mut docs: Vec<&str> = self
            .corpus
            .versions
            .iter()
            .map(|v| v.info.document_id.as_str())
            .collect();
        docs.dedup();
        match (docs.len(), self.corpus.versions.iter().max_by(|a, b| a.info.date.cmp(&b.info.date))) {
            (1, Some(v)) => Ok(v.info.id.clone()),
            (0, _) | (_, None) => Err(ApiError::new(ErrorCode::NotFound, "the corpus has no versions")),
            _ => Err(ApiError::new(ErrorCode::InvalidArgument,
                format!(
                    "the corpus holds {} documents: name a version with --version (see `trustlens versions`)",
                    docs.len()
                ),
            )),
        }
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
    // Each version's clauses are scanned for frameworks: on every core.
    corpus.versions.par_iter_mut().for_each(|v| {
        v.info.flags = timeline.flags(lexicon, &v.info.date, &v.doc.clauses, today);
    });
}

/// Add a version to a corpus directory (`corpus_dir`), or to the user's
/// corpus in the data directory when none is given.
pub fn ingest(dirs: &Dirs, corpus_dir: Option<&Path>, req: &AddVersion) -> Result<Added, ApiError> {
    let mut req = req.clone();
    if corpus_dir.is_none() {
        join_bundled(&mut req)?;
    }
    Ok(add_version(&import_target(dirs, corpus_dir), &req)?)
}

/// The corpus directory that ingest and import write to.
pub fn import_target(dirs: &Dirs, corpus_dir: Option<&Path>) -> PathBuf {
    corpus_dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dirs.user_corpus())
}

/// The user's corpus is read together with the bundled one: a version of a
/// bundled document joins that document's family, and a date the bundled
/// corpus already has is refused before anything is written.
fn join_bundled(req: &mut AddVersion) -> Result<(), CorpusError> {
    let bundled = Corpus::bundled()?;
    let family = bundled.versions.iter().find(|v| {
        v.info.document_id == req.document
            || (trustlens_core::text::same_name(&v.info.document, &req.document)
                && trustlens_core::text::same_name(&v.info.vendor, &req.vendor))
    });
    if let Some(f) = family {
        if let Some(v) = bundled
            .versions
            .iter()
            .find(|v| v.info.document_id == f.info.document_id && v.info.date == req.date)
        {
            return Err(CorpusError::InvalidArgument(format!(
                "the bundled corpus already has {} — nothing to add",
                v.info.id
            )));
        }
        req.document_id = Some(f.info.document_id.clone());
        req.vendor = f.info.vendor.clone();
        req.document = f.info.document.clone();
    }
    Ok(())
}

/// What an import would bring in, detected without writing anything.
pub fn import_plan(req: &ImportRequest) -> Result<Vec<Candidate>, ApiError> {
    Ok(import::plan(req).map_err(CorpusError::from)?)
}

/// Import files, folders or a file's git history into a corpus directory
/// (`corpus_dir`), or the user's corpus when none is given. `progress` is
/// called before each version; setting `cancel` stops between versions.
pub fn import(
    dirs: &Dirs,
    corpus_dir: Option<&Path>,
    req: &ImportRequest,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> Result<ImportReport, ApiError> {
    trustlens_core::corpus::add::check_names(&req.vendor, &req.document)?;
    let candidates = import_plan(req)?;
    let dir = import_target(dirs, corpus_dir);
    let bundled_family = corpus_dir.is_none();
    let prepare = |add: &mut AddVersion| {
        if bundled_family {
            join_bundled(add)
        } else {
            Ok(())
        }
    };
    Ok(import::run(
        &dir,
        req,
        &candidates,
        &prepare,
        progress,
        cancel,
    ))
}

/// Write an export to `path` atomically (a temporary file renamed into
/// place, so a crash never leaves half a file). An existing file is replaced
/// only with `force`; a directory, or a path whose folder does not exist, is
/// refused. Returns the path written.
pub fn write_file(path: &Path, bytes: &[u8], force: bool) -> Result<PathBuf, ApiError> {
    let shown = path.display().to_string();
    if shown.trim().is_empty() {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            "the output path is empty",
        ));
    }
    if path.is_dir() {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            format!("{shown} is a directory: name a file"),
        ));
    }
    // A device or a pipe is never renamed over (that would replace
    // /dev/null with a plain file): standard output is there for streams.
    if let Err(e) = trustlens_core::files::check_writable_target(path) {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            format!("{shown}: {e}; leave out --out to write to standard output"),
        ));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(ApiError::new(
            ErrorCode::InvalidArgument,
            format!("{}: no such directory", parent.display()),
        ));
    }
    if path.exists() && !force {
        return Err(ApiError::new(
            ErrorCode::Exists,
            format!("{shown} exists: use --force to replace it"),
        ));
    }
    trustlens_core::corpus::add::write_atomically(path, bytes)?;
    Ok(path.to_path_buf())
}
