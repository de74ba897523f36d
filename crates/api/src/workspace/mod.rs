//! [`Workspace`]: an open corpus with its index, matrix, lexicon and the
//! user's store, and everything the front ends ask of it (one file per
//! concern below).

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use trustlens_core::corpus::{Corpus, VersionInfo};
use trustlens_core::lexicon::Lexicon;
use trustlens_core::lineage::Lineages;
use trustlens_core::matrix::links::LinkTable;
use trustlens_core::matrix::Matrices;
use trustlens_core::paths::Dirs;
use trustlens_core::store::Store;
use trustlens_core::timeline::{today, RegulatoryFlag, Timeline, VersionFlags};
use trustlens_search::index::ClauseIndex;

use crate::*;

mod changes;
mod export;
mod links;
mod notes;
mod reading;

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
    /// Each version's regulatory flags as of today, by version ID (none
    /// when the timeline could not be read).
    flags: HashMap<String, Vec<RegulatoryFlag>>,
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
        let mut flags = HashMap::new();
        match &lexicon {
            Ok(lexicon) => match timed("read the timeline", || Timeline::for_dir(dir, lexicon)) {
                Ok(timeline) => {
                    flags = timed("flag the versions", || {
                        flag_versions(&corpus, lexicon, &timeline, &today())
                    })
                }
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
            flags,
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
            ocr_pages: pdf_pages(&self.corpus, |p| p.ocr_pages),
            unreadable_pages: pdf_pages(&self.corpus, |p| p.unreadable.len() as u32),
            warnings: self.corpus.warnings.clone(),
        }
    }
    fn store(&self) -> Result<Store, ApiError> {
        Ok(Store::open(&self.dirs.store_file())?)
    }
}

/// A count over the corpus's PDF versions.
fn pdf_pages(
    corpus: &Corpus,
    count: impl Fn(&trustlens_core::ingest::pdf::PdfSummary) -> u32,
) -> u32 {
    corpus
        .versions
        .iter()
        .filter_map(|v| v.info.pdf.as_ref())
        .map(count)
        .sum()
}

/// Each version's regulatory flags as of `today`, by version ID.
pub fn flag_versions(
    corpus: &Corpus,
    lexicon: &Lexicon,
    timeline: &Timeline,
    today: &str,
) -> HashMap<String, Vec<RegulatoryFlag>> {
    // Each version's clauses are scanned for frameworks: on every core.
    corpus
        .versions
        .par_iter()
        .map(|v| {
            let flags = timeline.flags(lexicon, &v.info.date, &v.doc.clauses, today);
            (v.info.id.clone(), flags)
        })
        .collect()
}

impl Workspace {
    /// A version's regulatory flags.
    pub fn flags_of(&self, version_id: &str) -> Vec<RegulatoryFlag> {
        self.flags.get(version_id).cloned().unwrap_or_default()
    }

    /// The flags of a comparison's versions: the old one's, then the new
    /// one's unless it is the same version.
    pub(crate) fn version_flags(&self, old: &VersionInfo, new: &VersionInfo) -> Vec<VersionFlags> {
        let mut sides = vec![old];
        if new.id != old.id {
            sides.push(new);
        }
        sides
            .into_iter()
            .map(|v| VersionFlags {
                version: v.id.clone(),
                date: v.date.clone(),
                flags: self.flags_of(&v.id),
            })
            .collect()
    }
}
