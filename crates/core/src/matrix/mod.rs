//! The shared-responsibility matrix: control areas (physical security,
//! encryption at rest, incident response...), who owns each (provider,
//! customer, shared), what each party does, and rules that link clauses to
//! areas automatically.
//!
//! Matrices are data (`corpus/matrix.toml`, documented in the file); more can
//! be added by dropping files into a corpus's `matrices/` directory. Entries
//! are keyed `MATRIX/ENTRY` so two matrices may reuse an entry ID.
//!
//! - [`links`] — automatic links (rules) and the user's manual links and
//!   unlinks, merged into the links of each clause.
//! - [`report`] — coverage per version, changes between versions with
//!   responsibility-shift alerts, CSV and OSCAL exports.

pub mod links;
pub mod report;

use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::lexicon::{phrase, Phrase};
use crate::located::DataFileError;
use crate::text::line_of;

/// File name of a corpus's main matrix.
pub const MATRIX_FILE: &str = "matrix.toml";
/// Directory of a corpus's further matrices (`*.toml`).
pub const MATRICES_DIR: &str = "matrices";

static BUNDLED: &str = include_str!("../../../../corpus/matrix.toml");

/// Who is responsible for a control area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// The provider (the vendor) carries it.
    Provider,
    /// The customer carries it.
    Customer,
    /// Both carry parts of it.
    Shared,
}

/// How an entry differs per service model, where it does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ServiceModels {
    /// Infrastructure as a service.
    #[serde(default)]
    pub iaas: Option<String>,
    /// Platform as a service.
    #[serde(default)]
    pub paas: Option<String>,
    /// Software as a service.
    #[serde(default)]
    pub saas: Option<String>,
}

/// One control area of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Entry {
    /// `MATRIX/ENTRY`: unique across all loaded matrices, stable.
    pub key: String,
    /// The entry's own ID within its matrix.
    pub id: String,
    /// The matrix it belongs to.
    pub matrix: String,
    /// Display name of the area.
    pub area: String,
    /// Who owns it.
    pub owner: Owner,
    /// What the provider does.
    pub provider: String,
    /// What the customer must do.
    pub customer: String,
    /// Differences per service model.
    pub models: ServiceModels,
    /// Identifiers in public control catalogues (ISO/IEC 27001, PCI DSS...).
    pub references: Vec<String>,
}

/// A rule that links clauses to an entry.
#[derive(Debug, Clone)]
pub struct Rule {
    /// 1-based position among the entry's rules (named in link reasons).
    pub number: usize,
    /// The clause must contain one of these...
    pub any: Vec<Phrase>,
    /// ...and all of these.
    pub all: Vec<Phrase>,
    /// How sure a match is (0–1].
    pub confidence: f32,
}

/// One loaded matrix.
#[derive(Debug, Clone)]
pub struct Matrix {
    /// Matrix ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is.
    pub description: String,
    /// What it was written from.
    pub sources: Vec<String>,
    /// Where it was loaded from (for messages and exports).
    pub file: String,
    /// Entries, in file order.
    pub entries: Vec<Entry>,
    /// Rules of each entry (same order as `entries`).
    pub rules: Vec<Vec<Rule>>,
}

/// Every matrix of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Matrices {
    /// Loaded matrices, the main one first.
    pub matrices: Vec<Matrix>,
}

/// A matrix as the front end sees it (without its compiled rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatrixInfo {
    /// Matrix ID.
    pub id: String,
    /// Title.
    pub title: String,
    /// What it is.
    pub description: String,
    /// What it was written from.
    pub sources: Vec<String>,
    /// Where it was loaded from.
    pub file: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    matrix: RawMatrix,
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatrix {
    id: toml::Spanned<String>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: toml::Spanned<String>,
    area: String,
    owner: Owner,
    provider: String,
    customer: String,
    #[serde(default)]
    models: ServiceModels,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    any: toml::Spanned<Vec<String>>,
    #[serde(default)]
    all: Vec<String>,
    confidence: toml::Spanned<f32>,
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}

impl Matrix {
    /// Parse one matrix file; `file` names it in messages.
    pub fn parse(file: &str, text: &str) -> Result<Matrix, DataFileError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| DataFileError::At {
            file: file.into(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let f = MatrixFile {
            file,
            lines: crate::text::Lines::new(text),
        };
        let id = raw.matrix.id.get_ref().clone();
        if !is_slug(&id) {
            return Err(f.err(
                f.at(raw.matrix.id.span()),
                format!("matrix id \"{id}\" must be lower-case letters, digits and dashes"),
            ));
        }
        if raw.entry.is_empty() {
            return Err(f.err(1, "the matrix has no [[entry]]".into()));
        }
        let mut entries = Vec::with_capacity(raw.entry.len());
        let mut rules = Vec::with_capacity(raw.entry.len());
        let mut seen: Vec<(String, usize)> = Vec::new();
        for e in raw.entry {
            let (entry, entry_rules) = f.entry(&id, e, &mut seen)?;
            entries.push(entry);
            rules.push(entry_rules);
        }
        Ok(Matrix {
            id,
            title: raw.matrix.title,
            description: raw.matrix.description,
            sources: raw.matrix.sources,
            file: file.into(),
            entries,
            rules,
        })
    }

    /// The matrix as the front end sees it.
    pub fn info(&self) -> MatrixInfo {
        MatrixInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            sources: self.sources.clone(),
            file: self.file.clone(),
        }
    }
}

/// A matrix file being read: its name and line breaks, for errors.
struct MatrixFile<'a> {
    file: &'a str,
    lines: crate::text::Lines,
}

impl MatrixFile<'_> {
    /// An error at `line` of the file.
    fn err(&self, line: usize, message: String) -> DataFileError {
        DataFileError::At {
            file: self.file.into(),
            line,
            message,
        }
    }

    /// The line a span of the file starts on.
    fn at(&self, span: std::ops::Range<usize>) -> usize {
        self.lines.line(span.start)
    }

    /// Check entry `e` of matrix `matrix` and compile its rules; `seen` holds
    /// the entry IDs so far with their lines (an ID may be used once).
    fn entry(
        &self,
        matrix: &str,
        e: RawEntry,
        seen: &mut Vec<(String, usize)>,
    ) -> Result<(Entry, Vec<Rule>), DataFileError> {
        let line = self.at(e.id.span());
        let eid = e.id.into_inner();
        if !is_slug(&eid) {
            return Err(self.err(
                line,
                format!("entry id \"{eid}\" must be lower-case letters, digits and dashes"),
            ));
        }
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == eid) {
            return Err(self.err(
                line,
                format!("entry id \"{eid}\" is used twice (first at line {first})"),
            ));
        }
        seen.push((eid.clone(), line));
        for (what, value) in [
            ("area", &e.area),
            ("provider", &e.provider),
            ("customer", &e.customer),
        ] {
            if value.trim().is_empty() {
                return Err(self.err(line, format!("entry \"{eid}\" has an empty {what}")));
            }
        }
        let rules = e
            .rule
            .into_iter()
            .enumerate()
            .map(|(n, r)| self.rule(&eid, n + 1, r))
            .collect::<Result<Vec<_>, _>>()?;
        let entry = Entry {
            key: format!("{matrix}/{eid}"),
            id: eid,
            matrix: matrix.to_string(),
            area: e.area.trim().to_string(),
            owner: e.owner,
            provider: e.provider.trim().to_string(),
            customer: e.customer.trim().to_string(),
            models: e.models,
            references: e.references,
        };
        Ok((entry, rules))
    }

    /// Check rule `number` of entry `eid` (a confidence in (0, 1], some
    /// `any` phrase) and compile its phrases.
    fn rule(&self, eid: &str, number: usize, r: RawRule) -> Result<Rule, DataFileError> {
        let line = self.at(r.any.span());
        let c = *r.confidence.get_ref();
        if !(c > 0.0 && c <= 1.0) {
            return Err(self.err(
                self.at(r.confidence.span()),
                format!("confidence {c} of entry \"{eid}\" must be above 0 and at most 1"),
            ));
        }
        if r.any.get_ref().is_empty() {
            return Err(self.err(
                line,
                format!("a rule of entry \"{eid}\" has an empty `any` list"),
            ));
        }
        Ok(Rule {
            number,
            any: self.phrases(eid, line, r.any.get_ref())?,
            all: self.phrases(eid, line, &r.all)?,
            confidence: c,
        })
    }

    /// Compile the phrases of a rule of entry `eid`, which starts at `line`.
    fn phrases(&self, eid: &str, line: usize, ps: &[String]) -> Result<Vec<Phrase>, DataFileError> {
        ps.iter()
            .map(|p| {
                phrase(p)
                    .map_err(|m| self.err(line, format!("phrase \"{p}\" of entry \"{eid}\": {m}")))
            })
            .collect()
    }
}

fn read(path: &Path) -> Result<Matrix, DataFileError> {
    let bytes = std::fs::read(path).map_err(|e| DataFileError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|_| DataFileError::At {
        file: path.display().to_string(),
        line: 1,
        message: "the file is not UTF-8 text".into(),
    })?;
    Matrix::parse(&path.display().to_string(), &text)
}

impl Matrices {
    /// The matrix shipped with trustlens.
    pub fn bundled() -> &'static Matrix {
        static MATRIX: OnceLock<Matrix> = OnceLock::new();
        MATRIX.get_or_init(|| {
            Matrix::parse("corpus/matrix.toml", BUNDLED)
                .expect("the bundled matrix is valid (tested)")
        })
    }

    /// The matrices of a corpus: `DIR/matrix.toml` (or the bundled one when
    /// there is none, or when `dir` is `None`), then `DIR/matrices/*.toml`
    /// in name order. `extra_dir` adds another `matrices/` directory (the
    /// user's, beside the bundled corpus).
    pub fn load(dir: Option<&Path>, extra_dir: Option<&Path>) -> Result<Matrices, DataFileError> {
        let mut matrices = Vec::new();
        match dir.map(|d| d.join(MATRIX_FILE)).filter(|p| p.exists()) {
            Some(path) => matrices.push(read(&path)?),
            None => matrices.push(Self::bundled().clone()),
        }
        for d in [dir, extra_dir].into_iter().flatten() {
            let sub = d.join(MATRICES_DIR);
            let Ok(list) = std::fs::read_dir(&sub) else {
                continue;
            };
            let mut files: Vec<_> = list
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .collect();
            files.sort();
            for f in files {
                let m = read(&f)?;
                if let Some(other) = matrices.iter().find(|o| o.id == m.id) {
                    return Err(DataFileError::At {
                        file: f.display().to_string(),
                        line: 1,
                        message: format!(
                            "matrix id \"{}\" is already used by {}",
                            m.id, other.file
                        ),
                    });
                }
                matrices.push(m);
            }
        }
        Ok(Matrices { matrices })
    }

    /// Every entry of every matrix.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.matrices.iter().flat_map(|m| m.entries.iter())
    }

    /// Every entry with its rules.
    pub fn entries_with_rules(&self) -> impl Iterator<Item = (&Entry, &[Rule])> {
        self.matrices
            .iter()
            .flat_map(|m| m.entries.iter().zip(m.rules.iter().map(Vec::as_slice)))
    }

    /// An entry by key (`MATRIX/ENTRY`), or by bare entry ID when only one
    /// matrix has it.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        let name = name.trim();
        if let Some(e) = self.entries().find(|e| e.key == name) {
            return Some(e);
        }
        let mut bare = self.entries().filter(|e| e.id == name);
        match (bare.next(), bare.next()) {
            (Some(e), None) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"
[matrix]
id = "test"
title = "Test matrix"

[[entry]]
id = "encryption-at-rest"
area = "Encryption at rest"
owner = "shared"
provider = "Encrypts disks."
customer = "Encrypts fields."

[[entry.rule]]
any = ["encrypted at rest", "encryption at rest"]
confidence = 0.9
"#;

    #[test]
    fn parses_entries_and_rules() {
        let m = Matrix::parse("m.toml", ONE).unwrap();
        assert_eq!(m.entries[0].key, "test/encryption-at-rest");
        assert_eq!(m.entries[0].owner, Owner::Shared);
        assert_eq!(m.rules[0][0].any.len(), 2);
    }

    #[test]
    fn errors_name_the_file_and_line() {
        for (bad, line, needle) in [
            (ONE.replace("\"shared\"", "\"vendor\""), 9, "unknown variant"),
            (ONE.replace("0.9", "1.5"), 15, "must be above 0 and at most 1"),
            (ONE.replace("id = \"encryption-at-rest\"", "id = \"Encryption At Rest\""), 7, "lower-case"),
            (ONE.replace("customer = \"Encrypts fields.\"", "customer = \" \""), 7, "empty customer"),
            (ONE.replace("area =", "aera ="), 8, "unknown field"),
            (format!("{ONE}\n[[entry]]\nid = \"encryption-at-rest\"\narea = \"x\"\nowner = \"provider\"\nprovider = \"p\"\ncustomer = \"c\"\n"), 18, "used twice (first at line 7)"),
            (ONE.replace("any = [\"encrypted at rest\", \"encryption at rest\"]", "any = []"), 14, "empty `any`"),
            ("[matrix]\nid = \"x\"\ntitle = \"t\"\n".to_string(), 1, "no [[entry]]"),
        ] {
            let e = Matrix::parse("m.toml", &bad).unwrap_err().to_string();
            assert!(e.starts_with(&format!("m.toml:{line}:")), "{e}");
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn the_bundled_matrix_is_valid_and_broad() {
        let m = Matrices::bundled();
        assert!(m.entries.len() >= 18, "{}", m.entries.len());
        assert!(
            m.rules.iter().all(|r| !r.is_empty()),
            "every entry has a rule"
        );
        for owner in [Owner::Provider, Owner::Customer, Owner::Shared] {
            assert!(m.entries.iter().any(|e| e.owner == owner), "{owner:?}");
        }
    }

    #[test]
    fn a_second_matrix_is_picked_up_and_a_duplicate_id_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(MATRICES_DIR)).unwrap();
        std::fs::write(dir.path().join(MATRICES_DIR).join("extra.toml"), ONE).unwrap();
        let all = Matrices::load(Some(dir.path()), None).unwrap();
        assert_eq!(all.matrices.len(), 2);
        assert_eq!(
            all.entry("test/encryption-at-rest").unwrap().area,
            "Encryption at rest"
        );
        std::fs::write(dir.path().join(MATRICES_DIR).join("twice.toml"), ONE).unwrap();
        let e = Matrices::load(Some(dir.path()), None)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("twice.toml:1: matrix id \"test\" is already used"),
            "{e}"
        );
        std::fs::write(
            dir.path().join(MATRICES_DIR).join("twice.toml"),
            b"\xff\xfe",
        )
        .unwrap();
        let e = Matrices::load(Some(dir.path()), None)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not UTF-8"), "{e}");
    }
}
