//! Adding to a corpus: one version (ingest), many (import), and writing an
//! export to a file.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use trustlens_core::corpus::add::{add_version, AddVersion, Added};
use trustlens_core::corpus::{Corpus, CorpusError};
use trustlens_core::import::{self, Candidate, ImportReport, ImportRequest, Progress};
use trustlens_core::paths::Dirs;

use crate::*;

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
pub(crate) fn join_bundled(req: &mut AddVersion) -> Result<(), CorpusError> {
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
            return Err(CorpusError::DateTaken(format!(
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
