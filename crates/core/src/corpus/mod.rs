//! The versioned corpus: documents, their versions, and each version's clauses.
//!
//! A corpus is a directory with a [`manifest`] (`manifest.toml`) and the
//! source files it lists. Three corpora can be opened:
//! - the **bundled** one, compiled into the binaries from `corpus/`, so the CLI
//!   and the app work from any directory with no set-up;
//! - the **user's**, in the data directory, where `trustlens ingest` adds
//!   versions by default; it is read together with the bundled one;
//! - any **directory** of the same form (`--corpus DIR`, or the app setting).
//!
//! Loading checks every file against the manifest's hash before parsing it, so
//! a citation always points at the bytes the manifest vouches for.

pub mod add;
pub mod lock;
pub mod manifest;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::{Clause, Document, TextPool};
use crate::ingest::{self, IngestError};
use crate::text::sha256_hex;

/// File name of a corpus manifest.
pub const MANIFEST: &str = "manifest.toml";

/// Bumped whenever clause segmentation changes, so cached indexes rebuild.
pub const PARSER_VERSION: u32 = 1;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../corpus");

/// Problems with a corpus: its manifest, its files, or a name given for a version.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The manifest is not valid TOML or a value in it is invalid.
    #[error("{file}:{line}: {message}")]
    Manifest {
        /// Manifest path.
        file: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Two versions of one document share a date.
    #[error("{file}:{line}: document \"{document}\" has two versions dated {date} (the first at line {first_line})")]
    DuplicateDate {
        /// Manifest path.
        file: String,
        /// Line of the second date.
        line: usize,
        /// Document ID.
        document: String,
        /// The repeated date.
        date: String,
        /// Line of the first date.
        first_line: usize,
    },
    /// A version names a format trustlens cannot read.
    #[error("{file}:{line}: unknown format \"{format}\" (known: markdown, pdf-text, pdf, html)")]
    UnknownFormat {
        /// Manifest path.
        file: String,
        /// 1-based line.
        line: usize,
        /// The format as written.
        format: String,
    },
    /// A file listed in the manifest does not exist.
    #[error("{manifest}:{line}: file {path} is missing")]
    MissingFile {
        /// Manifest path.
        manifest: String,
        /// Line of the `file` key.
        line: usize,
        /// Path of the missing file.
        path: String,
    },
    /// A file's bytes do not match the hash the manifest recorded.
    #[error("{manifest}:{line}: {path} has sha256 {actual}, but the manifest records {expected}: the file changed after it was recorded")]
    HashMismatch {
        /// Manifest path.
        manifest: String,
        /// Line of the `sha256` key.
        line: usize,
        /// File path.
        path: String,
        /// Hash in the manifest.
        expected: String,
        /// Hash of the bytes on disk.
        actual: String,
    },
    /// A listed file is a link or path that leads outside the corpus directory.
    #[error("{manifest}:{line}: {path} resolves outside the corpus directory")]
    OutsideCorpus {
        /// Manifest path.
        manifest: String,
        /// Line of the `file` key.
        line: usize,
        /// The offending path.
        path: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: io::Error,
    },
    /// A source file could not be read as a document.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A data file beside the manifest (lexicon, timeline, matrix) is wrong.
    #[error(transparent)]
    DataFile(#[from] crate::located::DataFileError),
    /// The directory has no manifest.
    #[error(
        "{0}: no {MANIFEST} here — a corpus directory needs one (see README, \"Corpus format\")"
    )]
    NoManifest(String),
    /// The user's corpus declares a version the bundled corpus already has.
    #[error("{0}")]
    Conflict(String),
    /// A version ID or date that matches no version (or more than one).
    #[error("{message}")]
    UnknownVersion {
        /// Human explanation including the known IDs.
        message: String,
    },
    /// A clause ID that matches no clause.
    #[error("no clause \"{0}\" in this corpus")]
    UnknownClause(String),
    /// An argument to an operation is invalid (e.g. a bad date or name).
    #[error("{0}")]
    InvalidArgument(String),
    /// The document already has a version of this date, with other content:
    /// a new version needs another date.
    #[error("{0}")]
    DateTaken(String),
}

impl CorpusError {
    pub(crate) fn io(path: impl AsRef<Path>, source: io::Error) -> Self {
        CorpusError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}

/// Where a version came from and when it was captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Provenance {
    /// Where the file came from (URL, path, or a description).
    pub source: String,
    /// When it was captured.
    pub captured: String,
    /// Anything else worth knowing.
    pub note: Option<String>,
}

/// Facts about one version, as shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionInfo {
    /// Version ID, `DOCUMENT@YYYY-MM-DD`: usable wherever a version is named.
    pub id: String,
    /// Document family ID.
    pub document_id: String,
    /// Vendor.
    pub vendor: String,
    /// Document title.
    pub document: String,
    /// Version date, `YYYY-MM-DD`.
    pub date: String,
    /// Source format name.
    pub format: String,
    /// Source file, relative to its corpus.
    pub file: String,
    /// SHA-256 of the source file.
    pub sha256: String,
    /// Number of clauses.
    pub clause_count: u32,
    /// Provenance.
    pub provenance: Provenance,
    /// For a PDF: its pages, those read by OCR and those that could not be
    /// read (recorded at ingest; absent for PDFs recorded before that).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pdf: Option<crate::ingest::pdf::PdfSummary>,
}

/// One loaded version: its facts and its clauses.
#[derive(Debug, Clone)]
pub struct Version {
    /// Facts.
    pub info: VersionInfo,
    /// Sections and clauses.
    pub doc: Document,
}

impl Version {
    /// A version built straight from text, with no file behind it: for
    /// tests, benchmarks and fuzzing, where versions are written in code.
    pub fn from_text(
        document_id: &str,
        vendor: &str,
        title: &str,
        date: &str,
        format: crate::ingest::Format,
        text: &str,
    ) -> Version {
        let id = format!("{document_id}@{date}");
        let doc = crate::clause::build_document(&id, &crate::ingest::parse_blocks(format, text));
        Version {
            info: VersionInfo {
                id,
                document_id: document_id.into(),
                vendor: vendor.into(),
                document: title.into(),
                date: date.into(),
                format: format.name().into(),
                // No file, so no file name or file hash.
                file: String::new(),
                sha256: String::new(),
                clause_count: doc.clauses.len() as u32,
                provenance: Provenance {
                    source: "written in code".into(),
                    captured: date.into(),
                    note: None,
                },
                pdf: None,
            },
            doc,
        }
    }
}

/// Which corpus is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorpusSource {
    /// Only the corpus compiled into the binary.
    Bundled,
    /// The bundled corpus plus the user's corpus in this directory.
    BundledWithUser(PathBuf),
    /// A corpus directory chosen by the user.
    Directory(PathBuf),
}

impl CorpusSource {
    /// A short description for status lines.
    pub fn describe(&self) -> String {
        match self {
            CorpusSource::Bundled => "bundled corpus".into(),
            CorpusSource::BundledWithUser(d) => format!("bundled corpus + {}", d.display()),
            CorpusSource::Directory(d) => d.display().to_string(),
        }
    }
}

/// A loaded corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Where it came from.
    pub source: CorpusSource,
    /// All versions, ordered by document then date.
    pub versions: Vec<Version>,
    /// Things a user should know that did not stop loading (e.g. an empty version).
    pub warnings: Vec<String>,
    /// Position of each version in `versions`, by ID (built on first use):
    /// a search over ten thousand versions looks versions up by ID for every
    /// facet and every hit.
    by_id: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Position of each version in `versions`, by the
    /// [`crate::clause::clause_key`] of its ID (built on first use): search
    /// counts matches per version by that key.
    by_version_key: std::sync::OnceLock<VersionKeys>,
}

/// Versions by the key of their ID, and their order by date: what counting
/// a search's matches per version needs for ten thousand versions, as
/// numbers (looking each one up and comparing dates and IDs as strings cost
/// more than the counting).
#[derive(Debug, Default, Clone)]
pub struct VersionKeys {
    /// Position in `versions` by [`crate::clause::clause_key`] of the ID.
    position: rustc_hash::FxHashMap<u64, u32>,
    /// Each position's rank by (date, ID).
    rank: Vec<u32>,
    /// Each position's document (a number per document ID) and date as
    /// `YYYYMMDD` (`None` for a date not written `YYYY-MM-DD`): what an
    /// "as of" search needs of ten thousand versions, as numbers.
    document: Vec<u32>,
    day: Vec<Option<u32>>,
}

/// A `YYYY-MM-DD` date as the number `YYYYMMDD`, which orders as the text does.
pub fn day_number(date: &str) -> Option<u32> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some(digits(0..4)? * 10_000 + digits(5..7)? * 100 + digits(8..10)?)
}

impl VersionKeys {
    /// The keys and date order of these versions.
    pub fn of(versions: &[Version]) -> VersionKeys {
        let position = versions
            .iter()
            .enumerate()
            .map(|(i, v)| (crate::clause::clause_key(&v.info.id), i as u32))
            .collect();
        let mut by_date: Vec<u32> = (0..versions.len() as u32).collect();
        by_date.sort_by(|&a, &b| {
            let (a, b) = (&versions[a as usize].info, &versions[b as usize].info);
            (&a.date, &a.id).cmp(&(&b.date, &b.id))
        });
        let mut rank = vec![0; by_date.len()];
        for (r, &p) in by_date.iter().enumerate() {
            rank[p as usize] = r as u32;
        }
        let mut documents: rustc_hash::FxHashMap<&str, u32> = Default::default();
        let document = versions
            .iter()
            .map(|v| {
                let next = documents.len() as u32;
                *documents.entry(v.info.document_id.as_str()).or_insert(next)
            })
            .collect();
        VersionKeys {
            position,
            rank,
            document,
            day: versions.iter().map(|v| day_number(&v.info.date)).collect(),
        }
    }

    /// The positions in `versions`, in order, of the versions current on
    /// `day` (`YYYYMMDD`): of each document, the latest version dated on or
    /// before it (the first in corpus order on a tie), as
    /// [`crate::lineage::current_on`] says. `None` when a version's date is
    /// not written `YYYY-MM-DD`.
    pub fn current_on(&self, day: u32) -> Option<Vec<usize>> {
        let documents = self.document.iter().max().map_or(0, |&d| d as usize + 1);
        let mut best: Vec<Option<(u32, usize)>> = vec![None; documents];
        for (p, (&d, &document)) in self.day.iter().zip(&self.document).enumerate() {
            let d = d?;
            if d > day {
                continue;
            }
            let b = &mut best[document as usize];
            if b.is_none_or(|(e, _)| d > e) {
                *b = Some((d, p));
            }
        }
        let mut positions: Vec<usize> = best.iter().flatten().map(|&(_, p)| p).collect();
        positions.sort_unstable();
        Some(positions)
    }

    /// Where the version with this ID key was.
    pub fn position(&self, key: u64) -> Option<usize> {
        self.position.get(&key).map(|&i| i as usize)
    }

    /// The rank of the version at `position` by (date, ID), 0 for the
    /// oldest: a number to sort by instead of two strings.
    pub fn rank(&self, position: usize) -> u32 {
        self.rank.get(position).copied().unwrap_or(u32::MAX)
    }
}

/// Reads a manifest-relative file from wherever a corpus lives.
type Reader<'a> = dyn Fn(&manifest::ManifestVersion) -> Result<Vec<u8>, CorpusError> + Sync + 'a;

impl Corpus {
    /// The corpus compiled into the binary.
    pub fn bundled() -> Result<Corpus, CorpusError> {
        let mut versions = Vec::new();
        let mut warnings = Vec::new();
        load_into(
            &mut versions,
            &mut warnings,
            "corpus/manifest.toml",
            &bundled_manifest()?,
            &|v| {
                BUNDLED
                    .get_file(&v.file)
                    .map(|f| f.contents().to_vec())
                    .ok_or_else(|| CorpusError::MissingFile {
                        manifest: "corpus/manifest.toml".into(),
                        line: v.line,
                        path: format!("corpus/{}", v.file),
                    })
            },
        )?;
        Ok(Corpus::finish(CorpusSource::Bundled, versions, warnings))
    }

    /// A corpus directory with its own manifest.
    pub fn open_dir(dir: &Path) -> Result<Corpus, CorpusError> {
        let mut versions = Vec::new();
        let mut warnings = Vec::new();
        load_dir_into(&mut versions, &mut warnings, dir)?;
        Ok(Corpus::finish(
            CorpusSource::Directory(dir.to_path_buf()),
            versions,
            warnings,
        ))
    }

    /// The bundled corpus plus the user's corpus at `user_dir`, if it has a manifest.
    pub fn open_default(user_dir: &Path) -> Result<Corpus, CorpusError> {
        let mut corpus = Corpus::bundled()?;
        if !user_dir.join(MANIFEST).exists() {
            return Ok(corpus);
        }
        let mut extra = Vec::new();
        load_dir_into(&mut extra, &mut corpus.warnings, user_dir)?;
        for v in extra {
            if let Some(existing) = corpus.versions.iter().find(|e| e.info.id == v.info.id) {
                return Err(CorpusError::Conflict(format!(
                    "{}: version {} is also in the bundled corpus ({}); remove one of them",
                    user_dir.join(MANIFEST).display(),
                    v.info.id,
                    existing.info.file
                )));
            }
            corpus.versions.push(v);
        }
        let warnings = std::mem::take(&mut corpus.warnings);
        Ok(Corpus::finish(
            CorpusSource::BundledWithUser(user_dir.to_path_buf()),
            corpus.versions,
            warnings,
        ))
    }

    fn finish(source: CorpusSource, mut versions: Vec<Version>, warnings: Vec<String>) -> Corpus {
        versions.sort_by(|a, b| {
            (&a.info.document_id, &a.info.date).cmp(&(&b.info.document_id, &b.info.date))
        });
        Corpus {
            source,
            versions,
            warnings,
            by_id: std::sync::OnceLock::new(),
            by_version_key: std::sync::OnceLock::new(),
        }
    }

    /// A key that changes whenever anything that shapes the index changes:
    /// the parser, and every version's ID, format and bytes.
    pub fn content_key(&self) -> String {
        let mut s = format!("parser {PARSER_VERSION}\n");
        for v in &self.versions {
            s.push_str(&format!(
                "{} {} {}\n",
                v.info.id, v.info.format, v.info.sha256
            ));
        }
        sha256_hex(s.as_bytes())
    }

    /// Each version's own content key (parser version, format and file
    /// hash): the search index updates only the versions whose key changed.
    pub fn version_keys(&self) -> std::collections::BTreeMap<String, String> {
        self.versions
            .iter()
            .map(|v| {
                let key = sha256_hex(
                    format!(
                        "parser {PARSER_VERSION}\n{} {} {}",
                        v.info.id, v.info.format, v.info.sha256
                    )
                    .as_bytes(),
                );
                (v.info.id.clone(), key[..24].to_string())
            })
            .collect()
    }

    /// Find a version by ID (`acme-dpa@2024-01-31`) or, when only one
    /// document has a version that day, by date alone.
    pub fn version(&self, name: &str) -> Result<&Version, CorpusError> {
        if let Some(v) = self.by_id(name) {
            return Ok(v);
        }
        let by_date: Vec<&Version> = self
            .versions
            .iter()
            .filter(|v| v.info.date == name)
            .collect();
        if by_date.len() == 1 {
            return Ok(by_date[0]);
        }
        let known: Vec<&str> = self.versions.iter().map(|v| v.info.id.as_str()).collect();
        let message = if by_date.len() > 1 {
            format!(
                "\"{name}\" matches several versions; use one of: {}",
                by_date
                    .iter()
                    .map(|v| v.info.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        } else {
            format!(
                "no version \"{name}\"; known versions: {}",
                if known.is_empty() {
                    "(none)".to_string()
                } else {
                    known.join(", ")
                }
            )
        };
        Err(CorpusError::UnknownVersion { message })
    }

    /// The version with this exact ID.
    fn by_id(&self, id: &str) -> Option<&Version> {
        let map = self.by_id.get_or_init(|| {
            self.versions
                .iter()
                .enumerate()
                .map(|(i, v)| (v.info.id.clone(), i))
                .collect()
        });
        // `versions` is public: if it changed since the map was built, look
        // the slow way rather than answer wrongly.
        map.get(id)
            .and_then(|&i| self.versions.get(i))
            .filter(|v| v.info.id == id)
            .or_else(|| self.versions.iter().find(|v| v.info.id == id))
    }

    /// [`VersionKeys`] of the versions, worked out on first use. `versions`
    /// is public and may have changed since: check what they point at, or
    /// use `VersionKeys::of` afresh.
    pub fn keyed_versions(&self) -> &VersionKeys {
        self.by_version_key
            .get_or_init(|| VersionKeys::of(&self.versions))
    }

    /// Find a clause by ID: its version and its index in that version.
    pub fn clause(&self, id: &str) -> Result<(&Version, usize), CorpusError> {
        let version_id = id.split('/').next().unwrap_or_default();
        self.by_id(version_id)
            .into_iter()
            .find_map(|v| {
                v.doc
                    .clauses
                    .iter()
                    .position(|c| c.has_id(id))
                    .map(|i| (v, i))
            })
            .ok_or_else(|| CorpusError::UnknownClause(id.to_string()))
    }

    /// Every clause of every version.
    pub fn clauses(&self) -> impl Iterator<Item = (&Version, &Clause)> {
        self.versions
            .iter()
            .flat_map(|v| v.doc.clauses.iter().map(move |c| (v, c)))
    }
}

fn bundled_manifest() -> Result<String, CorpusError> {
    let file = BUNDLED
        .get_file(MANIFEST)
        .ok_or_else(|| CorpusError::NoManifest("corpus (bundled)".into()))?;
    file.contents_utf8()
        .map(str::to_string)
        .ok_or_else(|| CorpusError::Manifest {
            file: "corpus/manifest.toml".into(),
            line: 1,
            message: "not UTF-8".into(),
        })
}

fn load_dir_into(
    versions: &mut Vec<Version>,
    warnings: &mut Vec<String>,
    dir: &Path,
) -> Result<(), CorpusError> {
    let manifest_path = dir.join(MANIFEST);
    if !manifest_path.exists() {
        return Err(CorpusError::NoManifest(dir.display().to_string()));
    }
    let text =
        std::fs::read_to_string(&manifest_path).map_err(|e| CorpusError::io(&manifest_path, e))?;
    let label = manifest_path.display().to_string();
    let root = dir.canonicalize().map_err(|e| CorpusError::io(dir, e))?;
    load_into(versions, warnings, &label, &text, &|v| {
        read_inside(&root, &label, v)
    })
}

/// Read a listed file, refusing anything that resolves outside the corpus
/// (a symlink to `/etc/passwd` is as bad as `../../etc/passwd`).
pub(crate) fn read_inside(
    root: &Path,
    manifest_label: &str,
    v: &manifest::ManifestVersion,
) -> Result<Vec<u8>, CorpusError> {
    let path = root.join(&v.file);
    let real = match path.canonicalize() {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(CorpusError::MissingFile {
                manifest: manifest_label.into(),
                line: v.line,
                path: path.display().to_string(),
            })
        }
        Err(e) => return Err(CorpusError::io(&path, e)),
    };
    if !real.starts_with(root) {
        return Err(CorpusError::OutsideCorpus {
            manifest: manifest_label.into(),
            line: v.line,
            path: path.display().to_string(),
        });
    }
    // A listed "file" that is a FIFO would block the reader, under the
    // write lock too; one that grows is read no further than the limit.
    crate::files::read_regular(&real, ingest::MAX_SOURCE_BYTES).map_err(|e| match e {
        crate::files::ReadError::Io(e) => CorpusError::io(&path, e),
        other => CorpusError::io(
            &path,
            io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        ),
    })
}

/// Check that every version `entries` lists is in `dir` with the bytes the
/// manifest records, as opening the corpus would: a write to a corpus whose
/// manifest is already broken is refused, so that it never reports "added"
/// to a corpus that then cannot be opened.
///
/// A file already checked by this process with the same size and
/// modification time is not hashed again (an import checks before each
/// version it adds).
pub(crate) fn verify_files(
    dir: &Path,
    label: &str,
    entries: &[manifest::ManifestVersion],
) -> Result<(), CorpusError> {
    use std::sync::{Mutex, OnceLock};
    type Seen = HashMap<PathBuf, (u64, std::time::SystemTime, String)>;
    static SEEN: OnceLock<Mutex<Seen>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    if entries.is_empty() {
        return Ok(());
    }
    let root = dir.canonicalize().map_err(|e| CorpusError::io(dir, e))?;
    let stamp = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .and_then(|m| Some((m.len(), m.modified().ok()?)))
    };
    // The PDFs' recorded pages are checked like the files they belong to.
    let pages: Vec<manifest::ManifestVersion> = entries.iter().filter_map(pages_listing).collect();
    let results: Vec<Result<(), CorpusError>> = entries
        .par_iter()
        .chain(pages.par_iter())
        .map(|v| {
            let path = root.join(&v.file);
            // Taken before the read: a change during it is seen next time.
            let before = stamp(&path);
            let known = before.is_some_and(|(len, modified)| {
                let seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                seen.get(&path)
                    .is_some_and(|(l, m, sha)| *l == len && *m == modified && *sha == v.sha256)
            });
            if known {
                return Ok(());
            }
            let actual = checked_hash(label, v, &read_inside(&root, label, v)?)?;
            if let Some((len, modified)) = before.filter(|b| stamp(&path) == Some(*b)) {
                let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                seen.insert(path, (len, modified, actual));
            }
            Ok(())
        })
        .collect();
    results.into_iter().collect()
}

fn load_into(
    versions: &mut Vec<Version>,
    warnings: &mut Vec<String>,
    label: &str,
    text: &str,
    read: &Reader<'_>,
) -> Result<(), CorpusError> {
    let entries = manifest::parse(label, text)?;
    // Versions are independent: read, check and parse them on every core.
    // The error reported is the first in manifest order, as it would be one
    // at a time. Each parsed version shares the texts it has in common with
    // its document's versions parsed before it, so that the copies are
    // dropped as it goes rather than after all are parsed.
    let pools = std::sync::Mutex::new(HashMap::<String, TextPool>::new());
    let loaded: Vec<Result<Version, CorpusError>> = entries
        .par_iter()
        .map(|entry| {
            let mut v = load_one(label, entry, read)?;
            let mut pools = pools.lock().unwrap_or_else(|e| e.into_inner());
            let pool = pools.entry(v.info.document_id.clone()).or_default();
            pool.share(&mut v.doc);
            Ok(v)
        })
        .collect();
    drop(pools);
    for v in loaded {
        let v = v?;
        if let Some(pdf) = &v.info.pdf {
            warnings.extend(pdf.warnings(&v.info.file));
        }
        if v.doc.clauses.is_empty() {
            warnings.push(format!(
                "{}: version {} has no clauses (nothing but page furniture or markup?)",
                v.info.file, v.info.id
            ));
        }
        versions.push(v);
    }
    Ok(())
}

/// The SHA-256 of a listed file's `bytes`, which must be what the manifest
/// records for it.
fn checked_hash(
    label: &str,
    entry: &manifest::ManifestVersion,
    bytes: &[u8],
) -> Result<String, CorpusError> {
    let actual = sha256_hex(bytes);
    if actual != entry.sha256 {
        return Err(CorpusError::HashMismatch {
            manifest: label.into(),
            line: entry.sha256_line,
            path: entry.file.clone(),
            expected: entry.sha256.clone(),
            actual,
        });
    }
    Ok(actual)
}

/// Read, check and parse one listed version.
fn load_one(
    label: &str,
    entry: &manifest::ManifestVersion,
    read: &Reader<'_>,
) -> Result<Version, CorpusError> {
    let bytes = read(entry)?;
    checked_hash(label, entry, &bytes)?;
    let id = format!("{}@{}", entry.document_id, entry.date);
    let (doc, pdf) = match pages_listing(entry) {
        Some(listing) => {
            let pages = read_pages(label, &listing, read)?;
            (
                ingest::document_from_pages(&id, &pages),
                Some(pages.summary()),
            )
        }
        None => (
            ingest::parse_document(&entry.file, &bytes, entry.format, &id)?,
            None,
        ),
    };
    let entry = entry.clone();
    Ok(Version {
        info: VersionInfo {
            id,
            document_id: entry.document_id,
            vendor: entry.vendor,
            document: entry.title,
            date: entry.date,
            format: entry.format.name().to_string(),
            file: entry.file,
            sha256: entry.sha256,
            clause_count: doc.clauses.len() as u32,
            provenance: Provenance {
                source: entry.source,
                captured: entry.captured,
                note: entry.note,
            },
            pdf,
        },
        doc,
    })
}

/// A PDF's recorded pages as a listed file of their own (its path, hash and
/// line), so that they are read and checked as the PDF is.
fn pages_listing(entry: &manifest::ManifestVersion) -> Option<manifest::ManifestVersion> {
    let pages = entry.pages.as_ref()?;
    Some(manifest::ManifestVersion {
        file: pages.file.clone(),
        sha256: pages.sha256.clone(),
        line: pages.line,
        sha256_line: pages.line,
        pages: None,
        ..entry.clone()
    })
}

/// Read and check a PDF's recorded pages.
fn read_pages(
    label: &str,
    listing: &manifest::ManifestVersion,
    read: &Reader<'_>,
) -> Result<ingest::pdf::PdfPages, CorpusError> {
    let bytes = read(listing)?;
    checked_hash(label, listing, &bytes)?;
    ingest::pdf::PdfPages::from_json(&bytes).map_err(|e| CorpusError::Manifest {
        file: label.into(),
        line: listing.line,
        message: format!("the pages recorded in {} cannot be read: {e}", listing.file),
    })
}
