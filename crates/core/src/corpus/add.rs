//! Adding a version to a corpus directory — without ever leaving it broken.
//!
//! The source file is copied in first under a new name (nothing existing is
//! touched), then the manifest is rewritten to a temporary file and renamed
//! over the old one, which is atomic on the same file system. If anything
//! fails before the rename, the copied file is removed and the corpus is
//! exactly as it was.
//!
//! A PDF's pages as read at ingest — its text layer judged page by page,
//! and the pages read by OCR — are recorded beside it (`DATE.pages.json`,
//! listed in the manifest with its hash): opening the corpus reads them
//! back instead of reading the PDF again, so OCR runs once, and the same
//! clauses come back whatever OCR engine the machine has later.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml_edit::{value, ArrayOfTables, DocumentMut, Item, Table};

use super::{manifest, CorpusError, Provenance, VersionInfo, MANIFEST};
use crate::ingest::ocr::OcrMode;
use crate::ingest::pdf::{OcrProgress, PdfPages, PdfSummary};
use crate::ingest::{self, Format};
use crate::text::{same_name, sha256_hex, slugify};

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
    /// Provenance: anything else worth knowing (how it was fetched).
    pub note: Option<String>,
    /// The ID to give the document family if it is new here (used when the
    /// family already exists in another corpus read alongside this one).
    pub document_id: Option<String>,
    /// When to read a PDF's pages with OCR.
    pub ocr: OcrMode,
    /// Told of each page OCR reads (a scan of hundreds of pages takes minutes).
    pub on_ocr_page: Option<OnOcrPage>,
}

/// A callback told of each page OCR reads.
#[derive(Clone)]
pub struct OnOcrPage(pub Arc<dyn Fn(OcrProgress) + Send + Sync>);

impl std::fmt::Debug for OnOcrPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnOcrPage(..)")
    }
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
    let bytes = ingest::read_source(&req.file)?;
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
    let req = &names_in_nfc(req);
    std::fs::create_dir_all(dir).map_err(|e| CorpusError::io(dir, e))?;
    // From reading the manifest to writing it, no other process may change
    // the corpus: each would write its own view and lose the other's versions.
    let _lock = super::lock::WriteLock::acquire(dir)?;
    let manifest = Manifest::read(dir)?;
    let family = manifest.family_of(req);
    let new = NewVersion::parse(req, bytes, manifest.document_id(req, family))?;
    if let Some(same) = manifest.same_date(&new)? {
        return Ok(Added::AlreadyPresent(new.info(same)));
    }
    let entry = new.entry(req, family);
    let file = VersionFile::place(dir, &entry)?;
    let new_text = record(&manifest.text, &manifest.label, &manifest.versions, &entry)?;
    file.write_with_manifest(bytes, new.pages_json.as_deref(), &manifest.path, &new_text)?;
    Ok(Added::New(new.info(&entry)))
}

/// The versions the corpus in `dir` already records of the document family
/// `req` would add to (none for a new document or corpus), as the manifest
/// lists them. Read without the write lock: the manifest is replaced whole.
pub fn family_versions(
    dir: &Path,
    req: &AddVersion,
) -> Result<Vec<manifest::ManifestVersion>, CorpusError> {
    let versions = recorded_versions(dir)?;
    let Some(family) = family_of(&versions, &names_in_nfc(req)).map(|v| v.document_id.clone())
    else {
        return Ok(vec![]);
    };
    Ok(versions
        .into_iter()
        .filter(|v| v.document_id == family)
        .collect())
}

/// Every version the manifest in `dir` lists (none without a manifest),
/// parsed but with its files unchecked. Read without the write lock: the
/// manifest is replaced whole.
pub fn recorded_versions(dir: &Path) -> Result<Vec<manifest::ManifestVersion>, CorpusError> {
    let path = dir.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => manifest::parse(&path.display().to_string(), &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(vec![]),
        Err(e) => Err(CorpusError::io(&path, e)),
    }
}

fn family_of<'a>(
    versions: &'a [manifest::ManifestVersion],
    req: &AddVersion,
) -> Option<&'a manifest::ManifestVersion> {
    versions.iter().find(|v| {
        v.document_id == req.document
            || (same_name(&v.title, &req.document) && same_name(&v.vendor, &req.vendor))
    })
}

/// The request with its vendor and document names in NFC, so that the same
/// name typed with a combining accent or a precomposed one is one name.
fn names_in_nfc(req: &AddVersion) -> AddVersion {
    AddVersion {
        vendor: crate::text::name_nfc(&req.vendor),
        document: crate::text::name_nfc(&req.document),
        ..req.clone()
    }
}

/// The corpus's manifest as it was before the add.
struct Manifest {
    /// Where it is.
    path: PathBuf,
    /// Its path, for messages.
    label: String,
    /// Its text (empty for a new corpus).
    text: String,
    /// The versions it records.
    versions: Vec<manifest::ManifestVersion>,
}

impl Manifest {
    /// Read and parse the manifest in `dir` (none yet is an empty one) and
    /// check the files it lists.
    fn read(dir: &Path) -> Result<Self, CorpusError> {
        let path = dir.join(MANIFEST);
        let label = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(CorpusError::io(&path, e)),
        };
        let versions = manifest::parse(&label, &text)?;
        super::verify_files(dir, &label, &versions)?;
        Ok(Manifest {
            path,
            label,
            text,
            versions,
        })
    }

    /// A version of the document family the request adds to: one with the
    /// requested document ID, or with the same vendor and title.
    fn family_of(&self, req: &AddVersion) -> Option<&manifest::ManifestVersion> {
        family_of(&self.versions, req)
    }

    /// The family's document ID; for a new family, the requested ID if it is
    /// a valid one, or a new one made from the vendor and title.
    fn document_id(&self, req: &AddVersion, family: Option<&manifest::ManifestVersion>) -> String {
        match family {
            Some(v) => v.document_id.clone(),
            None => req
                .document_id
                .clone()
                .filter(|id| manifest::valid_id(id))
                .unwrap_or_else(|| new_document_id(&req.vendor, &req.document, &self.versions)),
        }
    }

    /// The version already recorded for the new version's document and date,
    /// if it has the same bytes; a version there with other bytes is an error.
    fn same_date(
        &self,
        new: &NewVersion,
    ) -> Result<Option<&manifest::ManifestVersion>, CorpusError> {
        let Some(same) = self
            .versions
            .iter()
            .find(|v| v.document_id == new.document_id && v.date == new.date)
        else {
            return Ok(None);
        };
        if same.sha256 == new.sha256 {
            return Ok(Some(same));
        }
        Err(CorpusError::DateTaken(format!(
            "{}:{}: document \"{}\" already has a version dated {} with different content",
            self.label, same.line, new.document_id, new.date
        )))
    }
}

/// The version being added, as its bytes read: IDs, date, format, hash and
/// number of clauses.
struct NewVersion {
    /// Version ID (`document@date`).
    id: String,
    /// Document family ID.
    document_id: String,
    /// Version date.
    date: String,
    /// The format it was read as.
    format: Format,
    /// SHA-256 of its bytes.
    sha256: String,
    /// How many clauses were found in it.
    clause_count: u32,
    /// For a PDF: what its pages tell, and the pages as recorded beside it.
    pdf: Option<PdfSummary>,
    pages_json: Option<Vec<u8>>,
}

impl NewVersion {
    /// Read `bytes` as the request's version of `document_id`; finding no
    /// clause is an error (most likely the wrong format).
    fn parse(req: &AddVersion, bytes: &[u8], document_id: String) -> Result<Self, CorpusError> {
        let file_label = req.file.display().to_string();
        let format = req.format.unwrap_or_else(|| Format::from_path(&req.file));
        let id = format!("{document_id}@{}", req.date);
        let (doc, pages) = if format == Format::Pdf {
            let mut progress = |p: OcrProgress| {
                if let Some(tell) = &req.on_ocr_page {
                    (tell.0)(p);
                }
            };
            let (doc, pages) = ingest::parse_pdf(&file_label, bytes, &id, req.ocr, &mut progress)?;
            (doc, Some(pages))
        } else {
            (
                ingest::parse_document(&file_label, bytes, format, &id)?,
                None,
            )
        };
        if doc.clauses.is_empty() {
            return Err(CorpusError::InvalidArgument(format!(
                "{file_label}: no clauses found as {format} — is this the right --format?"
            )));
        }
        Ok(NewVersion {
            id,
            document_id,
            date: req.date.clone(),
            format,
            sha256: sha256_hex(bytes),
            clause_count: doc.clauses.len() as u32,
            pdf: pages.as_ref().map(PdfPages::summary),
            pages_json: pages.as_ref().map(PdfPages::to_json),
        })
    }

    /// The manifest entry for this version: its file named after its date in
    /// the family's folder, under the family's vendor and title if it has
    /// versions already (the request's otherwise).
    fn entry(
        &self,
        req: &AddVersion,
        family: Option<&manifest::ManifestVersion>,
    ) -> manifest::ManifestVersion {
        let (vendor, title) = family.map_or((req.vendor.trim(), req.document.trim()), |f| {
            (f.vendor.as_str(), f.title.as_str())
        });
        manifest::ManifestVersion {
            document_id: self.document_id.clone(),
            vendor: vendor.to_string(),
            title: title.to_string(),
            date: self.date.clone(),
            file: format!(
                "{}/{}.{}",
                self.document_id,
                self.date,
                extension(self.format)
            ),
            format: self.format,
            sha256: self.sha256.clone(),
            source: req
                .source
                .clone()
                .unwrap_or_else(|| crate::paths::absolute(&req.file)),
            captured: req.captured.clone(),
            note: req.note.clone(),
            pages: self.pages_json.as_ref().map(|json| manifest::PagesFile {
                file: format!("{}/{}.pages.json", self.document_id, self.date),
                sha256: sha256_hex(json),
                line: 0,
            }),
            line: 0,
            sha256_line: 0,
        }
    }

    /// What to tell of this version, recorded in the manifest as `recorded`
    /// (its file, names and provenance).
    fn info(&self, recorded: &manifest::ManifestVersion) -> VersionInfo {
        VersionInfo {
            id: self.id.clone(),
            document_id: self.document_id.clone(),
            vendor: recorded.vendor.clone(),
            document: recorded.title.clone(),
            date: self.date.clone(),
            format: self.format.name().to_string(),
            file: recorded.file.clone(),
            sha256: self.sha256.clone(),
            clause_count: self.clause_count,
            provenance: Provenance {
                source: recorded.source.clone(),
                captured: recorded.captured.clone(),
                note: recorded.note.clone(),
            },
            pdf: self.pdf.clone(),
        }
    }
}

/// The extension of a version's file in the corpus.
fn extension(format: Format) -> &'static str {
    match format {
        Format::Markdown => "md",
        Format::PdfText => "txt",
        Format::Pdf => "pdf",
        Format::Html => "html",
    }
}

/// Where the new version's file goes in the corpus.
struct VersionFile {
    /// Its path.
    target: PathBuf,
    /// Whether it is already there, with the version's bytes.
    leftover: bool,
    /// Where a PDF's pages are recorded.
    pages: Option<PathBuf>,
}

impl VersionFile {
    /// The place of `entry`'s file in `dir`. A file there that the manifest
    /// does not list is what an add killed between its two steps leaves
    /// behind: with the same bytes, this add finishes that one; with other
    /// bytes, it is someone's file — leave it alone.
    fn place(dir: &Path, entry: &manifest::ManifestVersion) -> Result<Self, CorpusError> {
        let target = dir.join(&entry.file);
        let leftover = target.exists();
        if leftover
            && std::fs::read(&target)
                .map(|b| sha256_hex(&b))
                .ok()
                .as_deref()
                != Some(entry.sha256.as_str())
        {
            return Err(CorpusError::InvalidArgument(format!(
                "{}: already exists and is not in the manifest; move it away first",
                target.display()
            )));
        }
        let pages = entry.pages.as_ref().map(|p| dir.join(&p.file));
        Ok(VersionFile {
            target,
            leftover,
            pages,
        })
    }

    /// Write the file (unless it is there already) and a PDF's pages, then
    /// the manifest's new text; if the manifest cannot be written, what was
    /// written is removed again. The pages file is derived from the PDF, so
    /// one an earlier, killed add left behind is simply replaced.
    fn write_with_manifest(
        &self,
        bytes: &[u8],
        pages_json: Option<&[u8]>,
        manifest_path: &Path,
        manifest_text: &str,
    ) -> Result<(), CorpusError> {
        if !self.leftover {
            write_new_file(&self.target, bytes)?;
        }
        let undo = || {
            if !self.leftover {
                let _ = std::fs::remove_file(&self.target);
            }
            if let Some(pages) = &self.pages {
                let _ = std::fs::remove_file(pages);
            }
        };
        let written = match (&self.pages, pages_json) {
            (Some(path), Some(json)) => write_atomically(path, json),
            _ => Ok(()),
        }
        .and_then(|()| write_atomically(manifest_path, manifest_text.as_bytes()));
        if let Err(e) = written {
            undo();
            return Err(e);
        }
        Ok(())
    }
}

/// A new family's ID, made from its vendor and title; numbered when taken.
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

/// A version's keys and values, in the order its table lists them.
fn fields(entry: &manifest::ManifestVersion) -> Vec<(&'static str, &str)> {
    let mut fields = vec![
        ("date", entry.date.as_str()),
        ("file", entry.file.as_str()),
        ("format", entry.format.name()),
        ("sha256", entry.sha256.as_str()),
        ("source", entry.source.as_str()),
        ("captured", entry.captured.as_str()),
    ];
    if let Some(note) = &entry.note {
        fields.push(("note", note.as_str()));
    }
    if let Some(pages) = &entry.pages {
        fields.push(("pages", pages.file.as_str()));
        fields.push(("pages_sha256", pages.sha256.as_str()));
    }
    fields
}

/// The manifest's new text, with `entry` recorded and checked: what is
/// written is what the manifest will be read as.
///
/// A version's table is first tried as text appended after its family's last
/// version (or a new family at the end): the manifest is then parsed once
/// more, not three times — it is several MB for a corpus of thousands of
/// versions, and every parse is tens of milliseconds. The text is kept only
/// if it reads back as exactly the old versions plus `entry` in its place;
/// a manifest laid out otherwise (a version's table split by a multi-line
/// string, a document declared without versions...) is edited as a TOML
/// document instead.
fn record(
    old: &str,
    label: &str,
    existing: &[manifest::ManifestVersion],
    entry: &manifest::ManifestVersion,
) -> Result<String, CorpusError> {
    if let Some((text, at)) = append_as_text(old, existing, entry) {
        if manifest::parse(label, &text).is_ok_and(|after| is_recorded(existing, &after, at, entry))
        {
            return Ok(text);
        }
    }
    let text = edit_manifest(old, label, entry)?;
    manifest::parse(label, &text)?;
    Ok(text)
}

/// `old` with the version's table inserted as text, laid out as
/// [`edit_manifest`] lays it out, and the index the new version will have
/// among the manifest's versions. `None` when the family's last version
/// cannot be found in the text.
fn append_as_text(
    old: &str,
    existing: &[manifest::ManifestVersion],
    entry: &manifest::ManifestVersion,
) -> Option<(String, usize)> {
    let table = |header: &str, pairs: &[(&str, &str)]| {
        let mut out = format!("[[{header}]]\n");
        for (k, v) in pairs {
            out.push_str(&format!("{k} = {}\n", toml_edit::Value::from(*v)));
        }
        out
    };
    let version = table("document.version", &fields(entry));
    let Some(last) = existing
        .iter()
        .rposition(|v| v.document_id == entry.document_id)
    else {
        // A new family goes at the end.
        let mut text = old.to_string();
        if !text.is_empty() {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            text.push('\n');
        }
        text.push_str(&table(
            "document",
            &[
                ("id", entry.document_id.as_str()),
                ("vendor", entry.vendor.as_str()),
                ("title", entry.title.as_str()),
            ],
        ));
        text.push('\n');
        text.push_str(&version);
        return Some((text, existing.len()));
    };
    // The family's last version's table runs from its keys to the next
    // table header; comments and blank lines just before that header belong
    // to the header (as toml_edit sees them), so the new table goes above them.
    let from_line = existing[last].line.max(existing[last].sha256_line);
    let mut offset = 0;
    let mut content_end = None;
    for (n, line) in old.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        if n + 1 < from_line {
            continue;
        }
        let trimmed = line.trim_start();
        if n + 1 > from_line && trimmed.starts_with('[') {
            break;
        }
        if !(trimmed.is_empty() || trimmed.starts_with('#')) {
            content_end = Some((start, offset));
        }
    }
    let (line_start, line_end) = content_end?;
    let mut text = String::with_capacity(old.len() + version.len() + 2);
    text.push_str(&old[..line_end]);
    if !old[line_start..line_end].ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&version);
    text.push_str(&old[line_end..]);
    Some((text, last + 1))
}

/// Whether `after` is `before` with `entry` at index `at` (lines aside:
/// everything below the new table moves down).
fn is_recorded(
    before: &[manifest::ManifestVersion],
    after: &[manifest::ManifestVersion],
    at: usize,
    entry: &manifest::ManifestVersion,
) -> bool {
    let same = |a: &manifest::ManifestVersion, b: &manifest::ManifestVersion| {
        (
            &a.document_id,
            &a.vendor,
            &a.title,
            &a.date,
            &a.file,
            a.format,
            &a.sha256,
            &a.source,
            &a.captured,
            &a.note,
            a.pages.as_ref().map(|p| (&p.file, &p.sha256)),
        ) == (
            &b.document_id,
            &b.vendor,
            &b.title,
            &b.date,
            &b.file,
            b.format,
            &b.sha256,
            &b.source,
            &b.captured,
            &b.note,
            b.pages.as_ref().map(|p| (&p.file, &p.sha256)),
        )
    };
    after.len() == before.len() + 1
        && same(&after[at], entry)
        && before[..at]
            .iter()
            .zip(&after[..at])
            .all(|(a, b)| same(a, b))
        && before[at..]
            .iter()
            .zip(&after[at + 1..])
            .all(|(a, b)| same(a, b))
}

/// Insert a version table under the right `[[document]]`, keeping the rest
/// of the manifest (comments, order, formatting) as the user wrote it.
fn edit_manifest(
    old: &str,
    label: &str,
    entry: &manifest::ManifestVersion,
) -> Result<String, CorpusError> {
    let (document_id, vendor, title) = (
        entry.document_id.as_str(),
        entry.vendor.as_str(),
        entry.title.as_str(),
    );
    let mut doc: DocumentMut =
        old.parse()
            .map_err(|e: toml_edit::TomlError| CorpusError::Manifest {
                file: label.into(),
                line: e.span().map_or(1, |s| crate::text::line_of(old, s.start)),
                message: e.message().to_string(),
            })?;
    let mut version = Table::new();
    for (k, v) in fields(entry) {
        version.insert(k, value(v));
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
    crate::files::write_new_file(path, bytes).map_err(|e| CorpusError::io(path, e))
}

/// Replace `path` with `bytes` atomically (temp file in the same directory,
/// then rename); a target that is not a regular file is refused.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CorpusError> {
    crate::files::write_atomically(path, bytes).map_err(|e| CorpusError::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use manifest::ManifestVersion;

    const SHA: &str = "e2030bc879f0c2e538e3812948073727dc71642d815278c155959eb505fcd0a3";

    fn version(date: &str, extra: &str) -> String {
        format!(
            "[[document.version]]\ndate = \"{date}\"\nfile = \"f/{date}.md\"\nformat = \"markdown\"\n\
             sha256 = \"{SHA}\"\nsource = \"s\"\ncaptured = \"2024-01-01\"{extra}\n"
        )
    }

    fn doc(id: &str, versions: &[&str]) -> String {
        let mut out = format!("[[document]]\nid = \"{id}\"\nvendor = \"V {id}\"\ntitle = \"T\"\n");
        for v in versions {
            out.push('\n');
            out.push_str(v);
        }
        out
    }

    /// The new version, for a family (`V {id}` / `T` when new).
    fn entry(id: &str, existing: &[ManifestVersion], source: &str) -> ManifestVersion {
        let (vendor, title) = existing
            .iter()
            .find(|v| v.document_id == id)
            .map_or((format!("V {id}"), "T".to_string()), |v| {
                (v.vendor.clone(), v.title.clone())
            });
        ManifestVersion {
            document_id: id.into(),
            vendor,
            title,
            date: "2025-01-01".into(),
            file: format!("{id}/2025-01-01.md"),
            format: Format::Markdown,
            sha256: SHA.into(),
            source: source.into(),
            captured: "2025-01-02".into(),
            note: None,
            pages: None,
            line: 0,
            sha256_line: 0,
        }
    }

    /// What `record` writes, and whether it took the text append.
    fn recorded(old: &str, id: &str, source: &str) -> (String, bool) {
        let existing = manifest::parse("m.toml", old).unwrap();
        let e = entry(id, &existing, source);
        let text = record(old, "m.toml", &existing, &e).unwrap();
        let after = manifest::parse("m.toml", &text).unwrap();
        assert_eq!(after.len(), existing.len() + 1, "{text}");
        let at = after
            .iter()
            .position(|v| v.date == e.date && v.document_id == id)
            .unwrap();
        assert!(is_recorded(&existing, &after, at, &e), "{text}");
        let appended = append_as_text(old, &existing, &e).map(|(t, _)| t);
        (text.clone(), appended.as_deref() == Some(text.as_str()))
    }

    #[test]
    fn appending_as_text_writes_what_the_toml_editor_writes() {
        let manifests = [
            String::new(),
            doc("a", &[&version("2020-01-01", "")]),
            format!(
                "# top\n\n{}\n# about b\n{}",
                doc(
                    "a",
                    &[
                        &version("2020-01-01", " # inline"),
                        &version("2021-01-01", "")
                    ]
                ),
                doc("b", &[&version("2020-01-01", "")]).trim_end()
            ),
            format!(
                "{}\n\n\n{}",
                doc("a", &[&version("2020-01-01", "\nnote = \"n\"")]),
                doc("b", &[&version("2020-01-01", "")])
            ),
        ];
        for old in &manifests {
            let existing = manifest::parse("m.toml", old).unwrap();
            for id in ["a", "b", "new"] {
                let source = "it's \"quoted\" \\ and\nmulti-line\u{7}";
                let e = entry(id, &existing, source);
                let (text, appended) = recorded(old, id, source);
                assert!(appended, "the text append was refused for {id} in:\n{old}");
                let edited = edit_manifest(old, "m.toml", &e).unwrap();
                // toml_edit also ends a manifest without a final newline
                // with one; the text append leaves the user's last line be.
                assert_eq!(text.trim_end(), edited.trim_end(), "for {id} in:\n{old}");
            }
        }
    }

    /// Layouts the line scan cannot follow are edited as TOML instead, and
    /// come out right either way.
    #[test]
    fn a_manifest_laid_out_unusually_is_still_recorded_right() {
        // A multi-line note whose lines look like table headers.
        let note = "\nnote = \"\"\"\nsee\n[[document]]\n[x]\n\"\"\"";
        let split = format!(
            "{}\n{}",
            doc("a", &[&version("2020-01-01", note)]),
            doc("b", &[&version("2020-01-01", "")])
        );
        let (text, appended) = recorded(&split, "a", "s");
        assert!(!appended, "{text}");
        assert!(text.contains("see\n[[document]]\n[x]\n"), "{text}");

        // A document declared without versions, then given one.
        let bare = format!(
            "{}\n{}",
            doc("a", &[]),
            doc("b", &[&version("2020-01-01", "")])
        );
        let (text, appended) = recorded(&bare, "a", "s");
        assert!(!appended, "{text}");
        assert_eq!(text.matches("id = \"a\"").count(), 1, "{text}");

        // Windows line endings; versions as an inline array of the document.
        let crlf = doc("a", &[&version("2020-01-01", "")]).replace('\n', "\r\n");
        recorded(&crlf, "a", "s");
        recorded(&crlf, "new", "s");
        let inline = format!(
            "[[document]]\nid = \"a\"\nvendor = \"V a\"\ntitle = \"T\"\nversion = [{{ date = \"2020-01-01\", \
             file = \"f.md\", format = \"markdown\", sha256 = \"{SHA}\", source = \"s\", captured = \"2024-01-01\" }}]\n"
        );
        let existing = manifest::parse("m.toml", &inline).unwrap();
        let e = entry("a", &existing, "s");
        let err = record(&inline, "m.toml", &existing, &e)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[[document.version]] tables"), "{err}");
    }

    /// toml_edit would move a manifest's lone comment below the new document.
    #[test]
    fn a_comment_heading_the_manifest_stays_at_its_head() {
        let (text, appended) = recorded("# my corpus\n", "a", "s");
        assert!(appended);
        assert!(text.starts_with("# my corpus\n\n[[document]]\n"), "{text}");
    }
}
