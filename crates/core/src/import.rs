//! Importing many versions in one step: files, folders of dated files, and
//! the history of one file in a git repository.
//!
//! Import happens in two steps so that a user sees what will happen before
//! anything is written: [`plan`] finds the candidates and what it detected
//! about each (date and where the date came from, format, a suggested
//! title), then [`run`] adds them one by one with
//! [`add_bytes`](crate::corpus::add::add_bytes). Each addition is atomic on
//! its own (the manifest is replaced by rename), so a cancelled or failed
//! import leaves every version before it in place and nothing half-written.
//! Re-importing the same bytes is a no-op.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;
use ts_rs::TS;

use crate::corpus::add::{add_bytes, AddVersion, Added};
use crate::corpus::{manifest, CorpusError};
use crate::ingest::Format;

/// A folder is searched this deep for documents (symlinked folders are not followed).
pub const MAX_FOLDER_DEPTH: usize = 8;
/// At most this many files are taken from the folders of one import.
pub const MAX_FILES: usize = 10_000;

/// Problems that stop an import before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The request itself is wrong (no paths, a --date for many files...).
    #[error("{0}")]
    InvalidArgument(String),
    /// A path to import cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Reading a file's history from git failed.
    #[error("{path}: {message}")]
    Git {
        /// The file whose history was asked for.
        path: String,
        /// What git said, or why it could not run.
        message: String,
    },
}

impl From<ImportError> for CorpusError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Io { path, source } => CorpusError::io(Path::new(&path), source),
            other => CorpusError::InvalidArgument(other.to_string()),
        }
    }
}

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// Files and folders (folders are searched for `.md`, `.txt`, `.pdf`, `.html` files).
    pub paths: Vec<PathBuf>,
    /// Instead of `paths`: one file in a git repository, whose every commit becomes a version.
    pub git_file: Option<PathBuf>,
    /// Vendor name.
    pub vendor: String,
    /// Document title (or the ID of an existing document).
    pub document: String,
    /// The version date, for a single file whose name carries none.
    pub date: Option<String>,
    /// The format, when it is not to be guessed from each file's name.
    pub format: Option<Format>,
    /// The capture date recorded as provenance (`YYYY-MM-DD`).
    pub captured: String,
    /// When to read PDF pages with OCR.
    pub ocr: crate::ingest::ocr::OcrMode,
}

/// Where a candidate's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Given by the user (`--date`).
    Given,
    /// Found in the file name (`policy-2024-03-01.pdf`).
    FileName,
    /// Found in the Markdown front matter (`date: 2024-03-01`).
    FrontMatter,
    /// The date of the git commit.
    Commit,
    /// Not found: the candidate cannot be imported without a date.
    Missing,
}

impl DateSource {
    /// Where the date came from, in words.
    pub fn describe(self) -> &'static str {
        match self {
            DateSource::Given => "given",
            DateSource::FileName => "file name",
            DateSource::FrontMatter => "front matter",
            DateSource::Commit => "commit",
            DateSource::Missing => "missing",
        }
    }
}

/// One version about to be imported, with what was detected about it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Candidate {
    /// The file (or `commit:path` for git history), as shown to the user.
    pub label: String,
    /// The version date, when known.
    pub date: Option<String>,
    /// Where the date came from.
    pub date_source: DateSource,
    /// The format it will be read as.
    pub format: Format,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// A title found in the document (first heading, HTML title...), to suggest a document name.
    pub title: Option<String>,
    /// Why it will not be imported, if it will not.
    pub skip: Option<String>,
    #[serde(skip)]
    #[ts(skip)]
    origin: Origin,
}

#[derive(Debug, Clone)]
enum Origin {
    File(PathBuf),
    Commit {
        repo: PathBuf,
        commit: String,
        path: String,
    },
}

/// What happened to one candidate.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Outcome {
    /// The candidate's label.
    pub label: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// `added`, `unchanged` (the same bytes were already there), `skipped` or `failed`.
    pub status: String,
    /// The version ID, when added or unchanged.
    pub version_id: Option<String>,
    /// How many clauses it has, when added or unchanged.
    pub clauses: Option<u32>,
    /// Why it was skipped or failed.
    pub message: Option<String>,
    /// For a PDF: how many pages were read by OCR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr_pages: Option<u32>,
    /// Pages that could not be read, naming the file and the page.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// The result of an import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReport {
    /// One outcome per candidate, in import order (oldest first).
    pub outcomes: Vec<Outcome>,
    /// Whether the user cancelled before the end (later candidates are not listed).
    pub cancelled: bool,
    /// Counts by status, for summary lines.
    pub added: u32,
    /// Candidates whose bytes were already in the corpus.
    pub unchanged: u32,
    /// Candidates skipped (no date, superseded commit...).
    pub skipped: u32,
    /// Candidates that failed (bad file, date taken...).
    pub failed: u32,
}

/// Progress of a running import, reported before each candidate.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Progress {
    /// Candidates finished so far.
    pub done: u32,
    /// Candidates in all.
    pub total: u32,
    /// The one being read now.
    pub current: String,
}

/// Find what `req` would import and what can be detected about each, without writing anything.
pub fn plan(req: &ImportRequest) -> Result<Vec<Candidate>, ImportError> {
    let mut candidates = match &req.git_file {
        Some(file) => {
            if !req.paths.is_empty() {
                return Err(ImportError::InvalidArgument(
                    "give either files and folders or --git-file, not both".into(),
                ));
            }
            git_candidates(file, req.format)?
        }
        None => file_candidates(&req.paths, req.format)?,
    };
    if let Some(date) = &req.date {
        if !manifest::valid_date(date) {
            return Err(ImportError::InvalidArgument(format!(
                "--date \"{date}\" is not a calendar date in the form YYYY-MM-DD"
            )));
        }
        if candidates.len() != 1 {
            return Err(ImportError::InvalidArgument(format!(
                "--date gives the date of one file, and {} were found: name each file with its date (e.g. policy-2024-03-01.pdf) instead",
                candidates.len()
            )));
        }
        candidates[0].date = Some(date.clone());
        candidates[0].date_source = DateSource::Given;
        candidates[0].skip = None;
    }
    // Oldest first, so the corpus grows in order; undated ones last.
    candidates.sort_by(|a, b| {
        (a.date.is_none(), &a.date, &a.label).cmp(&(b.date.is_none(), &b.date, &b.label))
    });
    Ok(candidates)
}

/// Import the candidates of `req` into the corpus directory `dir`.
///
/// `prepare` may adjust each version's request before it is added (the app
/// and CLI use it to join a bundled document's family); `progress` is called
/// before each candidate; `cancel` is checked between candidates.
pub fn run(
    dir: &Path,
    req: &ImportRequest,
    candidates: &[Candidate],
    prepare: &dyn Fn(&mut AddVersion) -> Result<(), CorpusError>,
    progress: &mut dyn FnMut(&Progress),
    cancel: &AtomicBool,
) -> ImportReport {
    let mut outcomes: Vec<Outcome> = Vec::new();
    let mut cancelled = false;
    // The bytes of the version imported last, and its ID: a candidate with
    // the same bytes (a commit that only renamed the file, the same PDF
    // downloaded twice) is not a new version.
    let mut previous: Option<(String, String)> = None;
    let total = candidates.len() as u32;
    for (i, c) in candidates.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        progress(&Progress {
            done: i as u32,
            total,
            current: c.label.clone(),
        });
        outcomes.push(import_one(dir, req, c, prepare, &mut previous));
    }
    if !cancelled {
        progress(&Progress {
            done: total,
            total,
            current: String::new(),
        });
    }
    let count = |s: &str| outcomes.iter().filter(|o| o.status == s).count() as u32;
    ImportReport {
        added: count("added"),
        unchanged: count("unchanged"),
        skipped: count("skipped"),
        failed: count("failed"),
        outcomes,
        cancelled,
    }
}

fn import_one(
    dir: &Path,
    req: &ImportRequest,
    c: &Candidate,
    prepare: &dyn Fn(&mut AddVersion) -> Result<(), CorpusError>,
    previous: &mut Option<(String, String)>,
) -> Outcome {
    let outcome = |status: &str, message: Option<String>| Outcome {
        label: c.label.clone(),
        date: c.date.clone(),
        status: status.into(),
        version_id: None,
        clauses: None,
        message,
        ocr_pages: None,
        warnings: Vec::new(),
    };
    if let Some(why) = &c.skip {
        return outcome("skipped", Some(why.clone()));
    }
    let Some(date) = c.date.clone() else {
        return outcome("skipped", Some("no date".into()));
    };
    let (file, source, bytes) = candidate_bytes(c);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return outcome("failed", Some(e)),
    };
    let sha = crate::text::sha256_hex(&bytes);
    if let Some((prev_sha, prev_id)) = previous.as_ref() {
        if *prev_sha == sha {
            return Outcome {
                version_id: Some(prev_id.clone()),
                ..outcome(
                    "unchanged",
                    Some(format!("the same text as {prev_id}: not a new version")),
                )
            };
        }
    }
    let mut add = AddVersion {
        file,
        vendor: req.vendor.clone(),
        document: req.document.clone(),
        date,
        format: Some(c.format),
        source,
        captured: req.captured.clone(),
        note: None,
        document_id: None,
        ocr: req.ocr,
        on_ocr_page: None,
    };
    let result = prepare(&mut add).and_then(|()| add_bytes(dir, &add, &bytes));
    match result {
        Ok(added) => {
            let (info, status) = match &added {
                Added::New(i) => (i, "added"),
                Added::AlreadyPresent(i) => (i, "unchanged"),
            };
            *previous = Some((sha, info.id.clone()));
            Outcome {
                version_id: Some(info.id.clone()),
                clauses: Some(info.clause_count),
                ..with_pages(outcome(status, None), info, &c.label)
            }
        }
        Err(e) => outcome("failed", Some(e.to_string())),
    }
}

/// A candidate's file name (for its format and messages), its provenance
/// when it is not the file itself, and its bytes or why they cannot be read.
fn candidate_bytes(c: &Candidate) -> (PathBuf, Option<String>, Result<Vec<u8>, String>) {
    match &c.origin {
        Origin::File(path) => (
            path.clone(),
            None,
            crate::ingest::read_source(path).map_err(|e| e.to_string()),
        ),
        Origin::Commit { repo, commit, path } => (
            PathBuf::from(path),
            Some(format!("git:{}@{commit}:{path}", repo.display())),
            git_show(repo, commit, path).map_err(|e| format!("{}: {e}", c.label)),
        ),
    }
}

/// `outcome` with what a PDF version's pages tell: how many OCR read, and
/// a warning per unreadable page of the file at `label`.
fn with_pages(outcome: Outcome, info: &crate::corpus::VersionInfo, label: &str) -> Outcome {
    let Some(pdf) = &info.pdf else {
        return outcome;
    };
    Outcome {
        ocr_pages: Some(pdf.ocr_pages),
        warnings: pdf.warnings(label),
        ..outcome
    }
}

fn is_document(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("md" | "markdown" | "mdown" | "txt" | "text" | "pdf" | "html" | "htm" | "xhtml")
    )
}

/// The candidates of an import of files and folders: each document file,
/// in path order, then what the folders held that is not one.
fn file_candidates(
    paths: &[PathBuf],
    format: Option<Format>,
) -> Result<Vec<Candidate>, ImportError> {
    if paths.is_empty() {
        return Err(ImportError::InvalidArgument(
            "nothing to import: name files or folders, or --git-file".into(),
        ));
    }
    let (mut files, skipped) = files_named(paths)?;
    if files.len() > MAX_FILES {
        return Err(ImportError::InvalidArgument(format!(
            "{} files found: import at most {MAX_FILES} at a time",
            files.len()
        )));
    }
    files.sort();
    files.dedup();
    let mut candidates = files
        .into_iter()
        .map(|path| file_candidate(path, format))
        .collect::<Result<Vec<_>, ImportError>>()?;
    // What a folder held that is not a document file is counted and named,
    // never passed over in silence.
    candidates.extend(skipped.into_iter().map(|(path, why)| Candidate {
        label: path.display().to_string(),
        skip: Some(why),
        date: None,
        date_source: DateSource::Missing,
        format: format.unwrap_or_else(|| Format::from_path(&path)),
        bytes: 0,
        title: None,
        origin: Origin::File(path),
    }));
    Ok(candidates)
}

/// Files to import, and folder entries skipped with the reason why.
type Found = (Vec<PathBuf>, Vec<(PathBuf, String)>);

/// The files named and the document files in the folders named, with the
/// folders' other entries and why they are skipped; a folder with no
/// documents at all is an error.
fn files_named(paths: &[PathBuf]) -> Result<Found, ImportError> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| ImportError::Io {
            path: path.display().to_string(),
            source,
        })?;
        if meta.is_dir() {
            let before = (files.len(), skipped.len());
            walk(path, 0, &mut files, &mut skipped)?;
            if (files.len(), skipped.len()) == before {
                return Err(ImportError::InvalidArgument(format!(
                    "{}: no documents in this folder (looked for .md, .txt, .pdf and .html files)",
                    path.display()
                )));
            }
        } else {
            // A file named explicitly is taken whatever its extension.
            files.push(path.clone());
        }
    }
    Ok((files, skipped))
}

/// The candidate for one file: its format (given, or guessed from its
/// name), date, size and title; skipped when it is not a regular file or
/// has no date.
fn file_candidate(path: PathBuf, format: Option<Format>) -> Result<Candidate, ImportError> {
    let format = format.unwrap_or_else(|| Format::from_path(&path));
    let meta = std::fs::metadata(&path).map_err(|source| ImportError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let head = read_head(&path);
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (date, date_source) = file_date(name, format, &head);
    let skip = if !meta.is_file() {
        Some(format!(
            "{}, not a regular file",
            crate::files::kind_of(&meta)
        ))
    } else if date.is_none() {
        Some("no date in the file name or front matter: pass --date, or rename it (e.g. policy-2024-03-01.pdf)".to_string())
    } else {
        None
    };
    Ok(Candidate {
        label: path.display().to_string(),
        skip,
        date,
        date_source,
        format,
        bytes: meta.len(),
        title: title_of(&head, format),
        origin: Origin::File(path),
    })
}

/// A file's date and where it was found: in its name (`name`, without
/// extension), else in a Markdown file's front matter (in `head`).
fn file_date(name: &str, format: Format, head: &str) -> (Option<String>, DateSource) {
    match date_in_name(name) {
        Some(d) => (Some(d), DateSource::FileName),
        None => match (format, front_matter_date(head)) {
            (Format::Markdown, Some(d)) => (Some(d), DateSource::FrontMatter),
            _ => (None, DateSource::Missing),
        },
    }
}

/// Why a folder entry that is neither a folder nor a regular file is not
/// imported; `None` for a folder, a regular file, or a symlink to one.
fn not_importable(path: &Path, kind: std::fs::FileType) -> Option<String> {
    if kind.is_dir() {
        return None;
    }
    if kind.is_symlink() {
        return match std::fs::metadata(path) {
            Ok(m) if m.is_file() => None,
            Ok(m) if m.is_dir() => {
                Some("a symbolic link to a folder: links are not followed".into())
            }
            Ok(m) => Some(format!(
                "a symbolic link to {}, not a regular file",
                crate::files::kind_of(&m)
            )),
            Err(e) => Some(format!("a symbolic link that leads nowhere ({e})")),
        };
    }
    if kind.is_file() {
        return None;
    }
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| format!("{}, not a regular file", crate::files::kind_of(&m)))
}

fn walk(
    dir: &Path,
    depth: usize,
    out: &mut Vec<PathBuf>,
    skipped: &mut Vec<(PathBuf, String)>,
) -> Result<(), ImportError> {
    if depth > MAX_FOLDER_DEPTH || out.len() > MAX_FILES {
        return Ok(());
    }
    let io = |source| ImportError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        // `file_type` does not follow symlinks: a link to a folder is not walked
        // (no loops, nothing outside what the user chose).
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if hidden {
            continue;
        }
        if let Some(why) = not_importable(&path, kind) {
            skipped.push((path, why));
        } else if kind.is_dir() {
            walk(&path, depth + 1, out, skipped)?;
        } else if is_document(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The first 64 KiB of a file, as text, for detection (nothing for what is
/// not a regular file: a FIFO is never opened to wait for a writer).
fn read_head(path: &Path) -> String {
    let buf = crate::files::read_head(path, 64 * 1024).unwrap_or_default();
    String::from_utf8_lossy(&buf).into_owned()
}

fn date_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?:^|[^0-9])((?:19|20)[0-9]{2})[-_.]?([01][0-9])[-_.]?([0-3][0-9])(?:[^0-9]|$)",
        )
        .expect("valid regex")
    })
}

/// A calendar date written in a file name: `2024-03-01`, `2024_03_01`, `20240301`.
pub fn date_in_name(name: &str) -> Option<String> {
    date_pattern().captures_iter(name).find_map(|c| {
        let date = format!("{}-{}-{}", &c[1], &c[2], &c[3]);
        manifest::valid_date(&date).then_some(date)
    })
}

/// `date:` (YAML) or `date =` (TOML) in Markdown front matter, if any.
pub fn front_matter_date(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#"^\s*(?:date|last_updated|updated|effective_date|effective)\s*[:=]\s*["']?([0-9]{4}-[0-9]{2}-[0-9]{2})"#)
            .expect("valid regex")
    });
    front_matter(text)?
        .find_map(|l| re.captures(l).map(|c| c[1].to_string()))
        .filter(|d| manifest::valid_date(d))
}

/// The lines of a Markdown file's YAML (`---`) or TOML (`+++`) front
/// matter, if it has one.
fn front_matter(text: &str) -> Option<impl Iterator<Item = &str>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fence = ["---", "+++"]
        .into_iter()
        .find(|f| text.lines().next().is_some_and(|l| l.trim() == *f))?;
    Some(text.lines().skip(1).take_while(move |l| l.trim() != fence))
}

/// A title found in the document's first lines, to suggest as its name.
fn title_of(head: &str, format: Format) -> Option<String> {
    let clean = |s: &str| {
        let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty() && t.chars().count() <= 120).then_some(t)
    };
    match format {
        Format::Markdown => front_matter(head)
            .and_then(|mut lines| {
                lines.find_map(|l| {
                    let l = l.trim();
                    l.strip_prefix("title:")
                        .or_else(|| l.strip_prefix("title ="))
                        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
                })
            })
            .or_else(|| {
                head.lines()
                    .find_map(|l| l.strip_prefix("# "))
                    .map(str::to_string)
            })
            .and_then(|t| clean(&t)),
        Format::Html => {
            let lower = head.to_ascii_lowercase();
            let start = lower.find("<title")?;
            let open_end = lower[start..].find('>')? + start + 1;
            let end = lower[open_end..].find("</title")? + open_end;
            clean(&head[open_end..end])
        }
        Format::PdfText => head.lines().find_map(|l| clean(l.trim())),
        // A PDF's text is only known after extraction, which is the slow part
        // of the import itself.
        Format::Pdf => None,
    }
}

fn git(repo: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

fn git_show(repo: &Path, commit: &str, path: &str) -> std::io::Result<Vec<u8>> {
    git(repo, &["show", &format!("{commit}:{path}")]).map_err(std::io::Error::other)
}

/// The commits of `git log --follow --name-status` output, newest first, as
/// (hash, date, path at that commit).
///
/// `--follow` also walks through copies ("C" status), which would make the
/// history of the file copied from into this file's: a copy is where this
/// file began, so the walk stops there. Renames ("R") are followed.
fn followed_commits(log: &str, rel: &str) -> Vec<(String, String, String)> {
    let mut commits = Vec::new();
    for record in log.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let head = lines.next().unwrap_or("");
        let Some((hash, date)) = head.split_once('\u{1f}') else {
            continue;
        };
        let change = lines.map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
        let mut fields = change.split('\t');
        let status = fields.next().unwrap_or("");
        let path = fields.next_back().filter(|p| !p.is_empty()).unwrap_or(rel);
        commits.push((hash.to_string(), date.to_string(), path.to_string()));
        if status.starts_with('C') {
            break;
        }
    }
    commits
}

fn git_candidates(file: &Path, format: Option<Format>) -> Result<Vec<Candidate>, ImportError> {
    let err = |message: String| ImportError::Git {
        path: file.display().to_string(),
        message,
    };
    let abs = std::path::absolute(file).map_err(|source| ImportError::Io {
        path: file.display().to_string(),
        source,
    })?;
    let parent = abs
        .parent()
        .filter(|p| p.is_dir())
        .ok_or_else(|| err("its folder does not exist".into()))?;
    let top = git(parent, &["rev-parse", "--show-toplevel"])
        .map_err(|e| err(format!("not in a git repository ({e})")))?;
    let top = PathBuf::from(String::from_utf8_lossy(&top).trim());
    // The path as git names it (relative to the top, with symlinks resolved
    // the same way on both sides).
    let canon_top = top.canonicalize().unwrap_or(top.clone());
    let canon_parent = parent.canonicalize().unwrap_or(parent.to_path_buf());
    let rel_dir = canon_parent
        .strip_prefix(&canon_top)
        .map_err(|_| err("the file is outside its repository".into()))?;
    let name = abs
        .file_name()
        .ok_or_else(|| err("not a file name".into()))?;
    let rel = rel_dir.join(name).to_string_lossy().replace('\\', "/");
    // Newest first; \x1e starts a commit, \x1f separates hash and date;
    // with --name-status the path at that commit follows, after its status.
    let log = git(
        &top,
        &[
            "log",
            "--follow",
            "--diff-filter=d",
            "--format=%x1e%H%x1f%cs",
            "--name-status",
            "--",
            &rel,
        ],
    )
    .map_err(err)?;
    let mut commits = followed_commits(&String::from_utf8_lossy(&log), &rel);
    if commits.is_empty() {
        return Err(err("no commit in its repository touches this file".into()));
    }
    commits.reverse(); // oldest first
    let mut out: Vec<Candidate> = Vec::new();
    for (hash, date, path) in commits {
        let format = format.unwrap_or_else(|| Format::from_path(Path::new(&path)));
        let short = &hash[..hash.len().min(10)];
        // Versions are dated by day: when several commits share a day, the
        // day's last one is that day's version.
        if let Some(prev) = out.last_mut() {
            if prev.date.as_deref() == Some(date.as_str()) && prev.skip.is_none() {
                prev.skip = Some(format!(
                    "a later commit on {date} ({short}) is that day's version"
                ));
            }
        }
        out.push(Candidate {
            label: format!("{short}:{path}"),
            skip: (!manifest::valid_date(&date))
                .then(|| format!("the commit date \"{date}\" is not a calendar date")),
            date: Some(date),
            date_source: DateSource::Commit,
            format,
            bytes: 0,
            title: None,
            origin: Origin::Commit {
                repo: top.clone(),
                commit: hash,
                path,
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_followed_history_stops_at_a_copy_and_goes_on_through_a_rename() {
        let log = "\u{1e}h4\u{1f}2024-04-01\n\nM\tb.md\n\
                   \u{1e}h3\u{1f}2024-03-01\n\nR100\ta.md\tb.md\n\
                   \u{1e}h2\u{1f}2024-02-01\n\nC100\torig.md\ta.md\n\
                   \u{1e}h1\u{1f}2024-01-01\n\nA\torig.md\n";
        let got = followed_commits(log, "b.md");
        let paths: Vec<(&str, &str)> = got
            .iter()
            .map(|(h, _, p)| (h.as_str(), p.as_str()))
            .collect();
        assert_eq!(paths, [("h4", "b.md"), ("h3", "b.md"), ("h2", "a.md")]);
    }

    #[test]
    fn dates_are_found_in_file_names() {
        assert_eq!(
            date_in_name("policy-2024-03-01").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(
            date_in_name("2023_05_05 SPA").as_deref(),
            Some("2023-05-05")
        );
        assert_eq!(date_in_name("spa20160506").as_deref(), Some("2016-05-06"));
        assert_eq!(date_in_name("v2-2024-13-01"), None, "month 13");
        assert_eq!(date_in_name("2023-02-29"), None, "not a leap year");
        assert_eq!(date_in_name("policy"), None);
        assert_eq!(date_in_name("12024-03-015"), None, "digits run on");
    }

    #[test]
    fn dates_are_found_in_front_matter() {
        assert_eq!(
            front_matter_date("---\ntitle: X\ndate: \"2021-07-01\"\n---\n# X\n").as_deref(),
            Some("2021-07-01")
        );
        assert_eq!(
            front_matter_date("+++\ndate = 2021-07-01\n+++\n").as_deref(),
            Some("2021-07-01")
        );
        assert_eq!(
            front_matter_date("# X\ndate: 2021-07-01\n"),
            None,
            "not front matter"
        );
        assert_eq!(
            front_matter_date("---\ntitle: X\n---\ndate: 2021-07-01\n"),
            None,
            "after it"
        );
        assert_eq!(front_matter_date("---\ndate: 2021-02-30\n---\n"), None);
    }

    #[test]
    fn titles_are_suggested() {
        assert_eq!(
            title_of(
                "---\ntitle: \"Security Whitepaper\"\n---\n# Other\n",
                Format::Markdown
            )
            .as_deref(),
            Some("Security Whitepaper")
        );
        assert_eq!(
            title_of("intro\n# Trust  Center\n", Format::Markdown).as_deref(),
            Some("Trust Center")
        );
        assert_eq!(
            title_of("<html><head><TITLE>Acme | Security</TITLE>", Format::Html).as_deref(),
            Some("Acme | Security")
        );
        assert_eq!(title_of("<html><title>unclosed", Format::Html), None);
        assert_eq!(
            title_of("\n\n  Data Policy \nbody", Format::PdfText).as_deref(),
            Some("Data Policy")
        );
    }
}
