//! Adding a version to a corpus directory — without ever leaving it broken.
//!
//! The source file is copied in first under a new name (nothing existing is
//! touched), then the manifest is rewritten to a temporary file and renamed
//! over the old one, which is atomic on the same file system. If anything
//! fails before the rename, the copied file is removed and the corpus is
//! exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

use super::{manifest, CorpusError, Provenance, VersionInfo, MANIFEST};
use crate::ingest::{self, Format};
use crate::text::{sha256_hex, slugify};

/// What to add.
#[derive(Debug, Clone)]
pub struct AddVersion {
    /// The source file to copy in.
    pub file: PathBuf,
    /// Vendor name (e.g. "ACME Corp").
    pub vendor: String,
    /// Document title or existing document ID.
    pub document: String,
    /// Version date, `YYYY-MM-DD`.
    pub date: String,
    /// Format; guessed from the file name when `None`.
    pub format: Option<Format>,
    /// Provenance: where it came from (defaults to the file's path).
    pub source: Option<String>,
    /// Provenance: when it was captured (`YYYY-MM-DD`).
    pub captured: String,
    /// The ID to give the document family if it is new here (used when the
    /// family already exists in another corpus read alongside this one).
    pub document_id: Option<String>,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// A new version was recorded.
    New(VersionInfo),
    /// The same bytes were already recorded as this version: nothing changed.
    AlreadyPresent(VersionInfo),
}

/// Add a version to the corpus in `dir` (created with a new manifest if needed).
pub fn add_version(dir: &Path, req: &AddVersion) -> Result<Added, CorpusError> {
    validate(req)?;
    let bytes = std::fs::read(&req.file).map_err(|e| CorpusError::io(&req.file, e))?;
    add_bytes(dir, req, &bytes)
}

/// The checks that need no file: a real date, a vendor and a document.
fn validate(req: &AddVersion) -> Result<(), CorpusError> {
    if !manifest::valid_date(&req.date) {
        return Err(CorpusError::InvalidArgument(format!(
            "the version date \"{}\" is not a calendar date in the form YYYY-MM-DD",
            req.date
        )));
    }
    if manifest::too_far_ahead(&req.date) {
        return Err(CorpusError::InvalidArgument(format!(
            "the version date \"{}\" is more than a year in the future (a typo?)",
            req.date
        )));
    }
    check_names(&req.vendor, &req.document)
}

/// A vendor and a document must be named (ingest and import check this
/// before reading any file).
pub fn check_names(vendor: &str, document: &str) -> Result<(), CorpusError> {
    for (name, v) in [("--vendor", vendor), ("--document", document)] {
        if v.trim().is_empty() {
            return Err(CorpusError::InvalidArgument(format!(
                "{name} must not be empty"
            )));
        }
    }
    Ok(())
}

/// Add a version whose content is `bytes` (read from a file, or from a git
/// commit); `req.file` names it in messages and gives its format.
pub fn add_bytes(dir: &Path, req: &AddVersion, bytes: &[u8]) -> Result<Added, CorpusError> {
    validate(req)?;
    let file_label = req.file.display().to_string();
    let format = req.format.unwrap_or_else(|| Format::from_path(&req.file));
    let sha256 = sha256_hex(bytes);

    std::fs::create_dir_all(dir).map_err(|e| CorpusError::io(dir, e))?;
    let manifest_path = dir.join(MANIFEST);
    let manifest_label = manifest_path.display().to_string();
    let old_text = match std::fs::read_to_string(&manifest_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(CorpusError::io(&manifest_path, e)),
    };
    let existing = manifest::parse(&manifest_label, &old_text)?;

    // Which document family? An existing ID, or the same vendor and title.
    let family = existing.iter().find(|v| {
        v.document_id == req.document
            || (v.title.eq_ignore_ascii_case(req.document.trim())
                && v.vendor.eq_ignore_ascii_case(req.vendor.trim()))
    });
    let document_id = match family {
        Some(v) => v.document_id.clone(),
        None => req
            .document_id
            .clone()
            .filter(|id| manifest::valid_id(id))
            .unwrap_or_else(|| new_document_id(&req.vendor, &req.document, &existing)),
    };
    let version_id = format!("{document_id}@{}", req.date);

    let doc = ingest::parse_document(&file_label, bytes, format, &version_id)?;
    if doc.clauses.is_empty() {
        return Err(CorpusError::InvalidArgument(format!(
            "{file_label}: no clauses found as {format} — is this the right --format?"
        )));
    }
    let info =
        |file: String, vendor: &str, title: &str, source: String, captured: String| VersionInfo {
            id: version_id.clone(),
            document_id: document_id.clone(),
            vendor: vendor.to_string(),
            document: title.to_string(),
            date: req.date.clone(),
            format: format.name().to_string(),
            file,
            sha256: sha256.clone(),
            clause_count: doc.clauses.len() as u32,
            provenance: Provenance {
                source,
                captured,
                note: None,
            },
            flags: Vec::new(),
        };

    if let Some(same) = existing
        .iter()
        .find(|v| v.document_id == document_id && v.date == req.date)
    {
        if same.sha256 == sha256 {
            return Ok(Added::AlreadyPresent(info(
                same.file.clone(),
                &same.vendor,
                &same.title,
                same.source.clone(),
                same.captured.clone(),
            )));
        }
        return Err(CorpusError::InvalidArgument(format!(
            "{manifest_label}:{}: document \"{document_id}\" already has a version dated {} with different content",
            same.line, req.date
        )));
    }

    let ext = match format {
        Format::Markdown => "md",
        Format::PdfText => "txt",
        Format::Pdf => "pdf",
        Format::Html => "html",
    };
    let rel = format!("{document_id}/{}.{ext}", req.date);
    let target = dir.join(&rel);
    // A file here that the manifest does not list is what an add killed
    // between its two steps leaves behind: with the same bytes, finish that
    // add; with other bytes, it is someone's file — leave it alone.
    let leftover = target.exists();
    if leftover
        && std::fs::read(&target)
            .map(|b| sha256_hex(&b))
            .ok()
            .as_deref()
            != Some(sha256.as_str())
    {
        return Err(CorpusError::InvalidArgument(format!(
            "{}: already exists and is not in the manifest; move it away first",
            target.display()
        )));
    }
    let source = req
        .source
        .clone()
        .unwrap_or_else(|| crate::paths::absolute(&req.file));
    let (vendor, title) = family.map_or((req.vendor.trim(), req.document.trim()), |f| {
        (f.vendor.as_str(), f.title.as_str())
    });

    let new_text = edit_manifest(
        &old_text,
        &manifest_label,
        &document_id,
        vendor,
        title,
        &[
            ("date", req.date.as_str()),
            ("file", rel.as_str()),
            ("format", format.name()),
            ("sha256", sha256.as_str()),
            ("source", source.as_str()),
            ("captured", req.captured.as_str()),
        ],
    )?;
    // Re-validate what we are about to commit.
    manifest::parse(&manifest_label, &new_text)?;

    if !leftover {
        write_new_file(&target, bytes)?;
    }
    if let Err(e) = write_atomically(&manifest_path, new_text.as_bytes()) {
        if !leftover {
            let _ = std::fs::remove_file(&target);
        }
        return Err(e);
    }
    Ok(Added::New(info(
        rel,
        vendor,
        title,
        source,
        req.captured.clone(),
    )))
}

fn new_document_id(vendor: &str, document: &str, existing: &[manifest::ManifestVersion]) -> String {
    let mut base = slugify(&format!("{vendor} {document}"));
    if base.is_empty() {
        base = "document".into();
    }
    let mut id = base.clone();
    let mut n = 2;
    while existing.iter().any(|v| v.document_id == id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Insert a version table under the right `[[document]]`, keeping the rest
/// of the manifest (comments, order, formatting) as the user wrote it.
fn edit_manifest(
    old: &str,
    label: &str,
    document_id: &str,
    vendor: &str,
    title: &str,
    fields: &[(&str, &str)],
) -> Result<String, CorpusError> {
    let mut doc: DocumentMut =
        old.parse()
            .map_err(|e: toml_edit::TomlError| CorpusError::Manifest {
                file: label.into(),
                line: e.span().map_or(1, |s| crate::text::line_of(old, s.start)),
                message: e.message().to_string(),
            })?;
    let mut version = Table::new();
    for (k, v) in fields {
        version.insert(k, value(*v));
    }
    let docs = doc
        .entry("document")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or_else(|| CorpusError::Manifest {
            file: label.into(),
            line: 1,
            message: "`document` must be an array of tables ([[document]])".into(),
        })?;
    let position = docs
        .iter()
        .position(|t| t.get("id").and_then(Item::as_str) == Some(document_id));
    match position.and_then(|i| docs.get_mut(i)) {
        Some(table) => {
            let versions = table
                .entry("version")
                .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
                .as_array_of_tables_mut()
                .ok_or_else(|| CorpusError::Manifest {
                    file: label.into(),
                    line: 1,
                    message: format!(
                        "document \"{document_id}\": `version` must be [[document.version]] tables"
                    ),
                })?;
            versions.push(version);
        }
        None => {
            let mut table = Table::new();
            table.insert("id", value(document_id));
            table.insert("vendor", value(vendor));
            table.insert("title", value(title));
            let mut versions = ArrayOfTables::new();
            versions.push(version);
            table.insert("version", Item::ArrayOfTables(versions));
            docs.push(table);
        }
    }
    Ok(doc.to_string())
}

/// Create `path` with `bytes`, failing if it exists; never leaves a partial file.
fn write_new_file(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    // "out.csv" has the parent "": the temporary file goes in ".".
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| CorpusError::io(parent, e))?;
    let mut tmp =
        tempfile::NamedTempFile::new_in(parent).map_err(|e| CorpusError::io(parent, e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| CorpusError::io(path, e))?;
    tmp.persist_noclobber(path)
        .map_err(|e| CorpusError::io(path, e.error))?;
    Ok(())
}

/// Replace `path` with `bytes` atomically (temp file in the same directory, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    // "out.csv" has the parent "": the temporary file goes in ".".
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp =
        tempfile::NamedTempFile::new_in(parent).map_err(|e| CorpusError::io(parent, e))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| CorpusError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| CorpusError::io(path, e.error))?;
    Ok(())
}
