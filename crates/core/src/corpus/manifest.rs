//! The corpus manifest (`manifest.toml`): which documents and versions a
//! corpus holds, where each file is, its format, hash and provenance.
//!
//! ```toml
//! [[document]]
//! id = "acme-dpa"                      # lower-case letters, digits, dashes
//! vendor = "ACME Corp"
//! title = "Data Processing Addendum"
//!
//! [[document.version]]
//! date = "2024-01-31"                  # YYYY-MM-DD, unique per document
//! file = "acme-dpa/2024-01-31.md"      # relative to the manifest
//! format = "markdown"                  # or "pdf-text"
//! sha256 = "…64 hex digits…"           # of the file's bytes
//! source = "https://acme.example/dpa"  # provenance: where it came from
//! captured = "2024-02-01"              # provenance: when it was captured
//! note = "Saved as Markdown by hand"   # optional
//! pages = "acme-dpa/2024-01-31.pages.json" # a PDF's pages as read at ingest
//! pages_sha256 = "…64 hex digits…"     # of that file's bytes
//! ```
//!
//! Every problem is reported with the manifest's path and the line of the
//! offending value, because the person fixing it has the file open.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use serde::Deserialize;
use toml::Spanned;

use super::CorpusError;
use crate::ingest::Format;
use crate::text::line_of;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[serde(default)]
    document: Vec<RawDocument>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    id: Spanned<String>,
    vendor: String,
    title: String,
    #[serde(default)]
    version: Vec<RawVersion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVersion {
    date: Spanned<String>,
    file: Spanned<String>,
    format: Spanned<String>,
    sha256: Spanned<String>,
    source: String,
    captured: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    pages: Option<Spanned<String>>,
    #[serde(default)]
    pages_sha256: Option<Spanned<String>>,
}

/// One validated version entry of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestVersion {
    /// Document family ID.
    pub document_id: String,
    /// Vendor of the document.
    pub vendor: String,
    /// Document title.
    pub title: String,
    /// Version date, `YYYY-MM-DD`.
    pub date: String,
    /// File path relative to the corpus directory (forward slashes).
    pub file: String,
    /// Source format.
    pub format: Format,
    /// Expected SHA-256 of the file's bytes (lower-case hex).
    pub sha256: String,
    /// Where the file came from.
    pub source: String,
    /// When it was captured.
    pub captured: String,
    /// Free-text note.
    pub note: Option<String>,
    /// For a PDF: the file its pages were recorded in at ingest.
    pub pages: Option<PagesFile>,
    /// Line of the `file` key, for later errors (missing file, wrong hash).
    pub line: usize,
    /// Line of the `sha256` key.
    pub sha256_line: usize,
}

/// A PDF's pages as recorded at ingest (see `corpus::add`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagesFile {
    /// Path relative to the corpus directory.
    pub file: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Line of the `pages` key.
    pub line: usize,
}

/// Parse and validate manifest text. `path` is only used in messages.
pub fn parse(path: &str, text: &str) -> Result<Vec<ManifestVersion>, CorpusError> {
    let raw: RawManifest = toml::from_str(text).map_err(|e| CorpusError::Manifest {
        file: path.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let manifest = ManifestText {
        path,
        lines: crate::text::Lines::new(text),
    };
    let mut out = Vec::new();
    let mut ids = HashSet::new();
    for doc in raw.document {
        manifest.check_document_id(&doc.id, &mut ids)?;
        manifest.versions(doc, &mut out)?;
    }
    Ok(out)
}

/// A manifest being validated: its path and line breaks, for errors.
struct ManifestText<'a> {
    path: &'a str,
    lines: crate::text::Lines,
}

impl ManifestText<'_> {
    /// An invalid value at `line`.
    fn invalid(&self, line: usize, message: String) -> CorpusError {
        CorpusError::Manifest {
            file: self.path.to_string(),
            line,
            message,
        }
    }

    /// The line a span of the manifest starts on.
    fn at(&self, span: std::ops::Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    /// A document ID must be plain and declared once (`ids` holds those
    /// declared so far).
    fn check_document_id(
        &self,
        id: &Spanned<String>,
        ids: &mut HashSet<String>,
    ) -> Result<(), CorpusError> {
        let line = self.at(id.span());
        let id = id.get_ref();
        if !valid_id(id) {
            return Err(self.invalid(
                line,
                format!("document id \"{id}\" must be lower-case letters, digits and dashes"),
            ));
        }
        if !ids.insert(id.clone()) {
            return Err(self.invalid(line, format!("document id \"{id}\" is declared twice")));
        }
        Ok(())
    }

    /// Check a document's versions and add them to `out`, in file order.
    fn versions(
        &self,
        doc: RawDocument,
        out: &mut Vec<ManifestVersion>,
    ) -> Result<(), CorpusError> {
        let id = doc.id.get_ref();
        let mut dates: HashMap<String, usize> = HashMap::new();
        for v in doc.version {
            let date = self.date(id, &v.date, &mut dates)?;
            let format = self.format(&v.format)?;
            let file = self.file(&v.file)?;
            let sha256 = self.sha256(&v.sha256)?;
            let pages = self.pages(v.pages, v.pages_sha256)?;
            out.push(ManifestVersion {
                document_id: id.clone(),
                vendor: doc.vendor.clone(),
                title: doc.title.clone(),
                date,
                file,
                format,
                sha256,
                source: v.source,
                captured: v.captured,
                note: v.note.filter(|n| !n.trim().is_empty()),
                pages,
                line: self.at(v.file.span()),
                sha256_line: self.at(v.sha256.span()),
            });
        }
        Ok(())
    }

    /// A version's date, trimmed: a calendar date, not more than a year
    /// ahead, once per document (`dates` holds those so far with their lines).
    fn date(
        &self,
        document: &str,
        date: &Spanned<String>,
        dates: &mut HashMap<String, usize>,
    ) -> Result<String, CorpusError> {
        let line = self.at(date.span());
        let date = date.get_ref().trim().to_string();
        if !valid_date(&date) {
            return Err(self.invalid(
                line,
                format!("date \"{date}\" is not a calendar date in the form YYYY-MM-DD"),
            ));
        }
        if too_far_ahead(&date) {
            return Err(self.invalid(
                line,
                format!("date \"{date}\" is more than a year in the future (a typo?)"),
            ));
        }
        if let Some(first) = dates.insert(date.clone(), line) {
            return Err(CorpusError::DuplicateDate {
                file: self.path.to_string(),
                line,
                document: document.to_string(),
                date,
                first_line: first,
            });
        }
        Ok(date)
    }

    /// A version's format, one trustlens reads.
    fn format(&self, format: &Spanned<String>) -> Result<Format, CorpusError> {
        format
            .get_ref()
            .parse::<Format>()
            .map_err(|_| CorpusError::UnknownFormat {
                file: self.path.to_string(),
                line: self.at(format.span()),
                format: format.get_ref().clone(),
            })
    }

    /// A version's file, with forward slashes: a path inside the corpus.
    fn file(&self, file: &Spanned<String>) -> Result<String, CorpusError> {
        let path = file.get_ref().replace('\\', "/");
        if !safe_relative(&path) {
            return Err(self.invalid(
                self.at(file.span()),
                format!("file \"{path}\" must be a relative path inside the corpus directory"),
            ));
        }
        Ok(path)
    }

    /// A version's `pages` and `pages_sha256`: both or neither, a path
    /// inside the corpus and a hash.
    fn pages(
        &self,
        file: Option<Spanned<String>>,
        sha256: Option<Spanned<String>>,
    ) -> Result<Option<PagesFile>, CorpusError> {
        match (file, sha256) {
            (None, None) => Ok(None),
            (Some(file), Some(sha256)) => Ok(Some(PagesFile {
                line: self.at(file.span()),
                file: self.file(&file)?,
                sha256: self.sha256(&sha256)?,
            })),
            (Some(f), None) => Err(self.invalid(
                self.at(f.span()),
                "pages needs pages_sha256, the hash of that file".into(),
            )),
            (None, Some(s)) => {
                Err(self.invalid(self.at(s.span()), "pages_sha256 without pages".into()))
            }
        }
    }

    /// A version's hash, in lower case: 64 hexadecimal digits.
    fn sha256(&self, sha256: &Spanned<String>) -> Result<String, CorpusError> {
        let sha = sha256.get_ref().trim().to_ascii_lowercase();
        if !is_sha256(&sha) {
            return Err(self.invalid(
                self.at(sha256.span()),
                "sha256 must be 64 hexadecimal digits".to_string(),
            ));
        }
        Ok(sha)
    }
}

/// 64 lower-case hexadecimal digits.
fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Document IDs appear in clause IDs and paths: keep them plain.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// A real calendar date in `YYYY-MM-DD` form.
pub fn valid_date(date: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.len() == 10 && time::Date::parse(date, format).is_ok()
}

/// A version date more than a year after today is a typo: documents are
/// dated when published or effective, and a policy is announced at most
/// months ahead.
pub fn too_far_ahead(date: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let Ok(d) = time::Date::parse(date, format) else {
        return false;
    };
    d > time::OffsetDateTime::now_utc().date() + time::Duration::days(366)
}

/// Relative, no `..`, no root: a manifest cannot point outside its corpus.
fn safe_relative(file: &str) -> bool {
    let p = Path::new(file);
    !file.is_empty()
        && p.components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn manifest(version_extra: &str) -> String {
        format!(
            "[[document]]\nid = \"acme\"\nvendor = \"ACME\"\ntitle = \"Policy\"\n\n[[document.version]]\ndate = \"2024-01-01\"\nfile = \"a.md\"\nformat = \"markdown\"\nsha256 = \"{SHA}\"\nsource = \"s\"\ncaptured = \"2024-01-02\"\n{version_extra}"
        )
    }

    #[test]
    fn a_valid_manifest_parses() {
        let v = parse("m.toml", &manifest("")).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].date.as_str(), v[0].format, v[0].line),
            ("2024-01-01", Format::Markdown, 8)
        );
    }

    #[test]
    fn unknown_format_names_file_and_line() {
        let text = manifest("").replace("format = \"markdown\"", "format = \"docx\"");
        let e = parse("corpus/manifest.toml", &text)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "corpus/manifest.toml:9: unknown format \"docx\" (known: markdown, pdf-text, pdf, html)"
        );
    }

    #[test]
    fn duplicate_dates_name_both_lines() {
        let extra = format!("\n[[document.version]]\ndate = \"2024-01-01\"\nfile = \"b.md\"\nformat = \"markdown\"\nsha256 = \"{SHA}\"\nsource = \"s\"\ncaptured = \"c\"\n");
        let e = parse("m.toml", &manifest(&extra)).unwrap_err().to_string();
        assert_eq!(
            e,
            "m.toml:15: document \"acme\" has two versions dated 2024-01-01 (the first at line 7)"
        );
    }

    #[test]
    fn syntax_errors_and_unknown_keys_have_lines() {
        let e = parse("m.toml", "[[document]]\nid = \"x\"\nvendor = \n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.toml:3: "), "{e}");
        let e = parse("m.toml", &manifest("colour = \"blue\"\n"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("m.toml:") && e.contains("colour"), "{e}");
    }

    #[test]
    fn traversal_and_bad_dates_are_refused() {
        let e = parse("m.toml", &manifest("").replace("a.md", "../../etc/passwd"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("m.toml:8") && e.contains("relative path inside"),
            "{e}"
        );
        let e = parse("m.toml", &manifest("").replace("2024-01-01", "2024-02-30"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("m.toml:7") && e.contains("calendar date"), "{e}");
    }
}
