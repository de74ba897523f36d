//! Clauses: the unit everything else in trustlens points at.
//!
//! A parser turns a file into a flat list of [`Block`]s (headings and clause
//! texts, in reading order). [`build_document`] turns those blocks into a
//! [`Document`]: a list of [`Section`]s, each owning a contiguous run of
//! [`Clause`]s with stable, readable IDs.
//!
//! A clause ID is `VERSION/SECTION-SLUG/ORDINAL`, e.g.
//! `acme-dpa@2024-01-31/data-encryption/2`: the second clause under the
//! heading "Data Encryption" of that version. The same bytes always yield the
//! same IDs, so a citation stays valid as long as the source does.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use std::sync::Arc;

use crate::text::{normalise, slugify, Sha256Digest};

/// What kind of text a clause is, as the source laid it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// A running paragraph.
    Paragraph,
    /// One item of a bulleted or numbered list.
    ListItem,
    /// A footnote, kept apart from the paragraph that refers to it.
    Footnote,
}

impl ClauseKind {
    /// The snake_case name used in JSON and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseKind::Paragraph => "paragraph",
            ClauseKind::ListItem => "list_item",
            ClauseKind::Footnote => "footnote",
        }
    }
}

/// One unit of parser output, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading; `level` 1 is the outermost.
    Heading {
        /// Nesting depth, 1-based.
        level: u8,
        /// Heading text as it reads.
        text: String,
    },
    /// Text that becomes one clause.
    Text {
        /// Paragraph, list item or footnote.
        kind: ClauseKind,
        /// The text, already re-flowed onto one line.
        text: String,
        /// 1-based page numbers the text was printed on; empty when unknown.
        pages: Vec<u32>,
    },
}

// A corpus of a million clauses is held in memory, so a clause holds only
// what cannot be derived: the version ID, section slug and heading path are
// shared with the other clauses of its section (`Arc`), and the ID and the
// digest are computed when asked for (they took 120 of 490 MB for 857 500
// clauses, more than half of it in allocations of about 50 bytes each).
/// A clause: one paragraph, list item or footnote of one version.
///
/// Its `id` and the `sha256` of its text are computed from its fields;
/// its JSON form carries both.
#[derive(Debug, Clone, PartialEq, Eq, TS)]
#[ts(as = "ClauseJson")]
pub struct Clause {
    /// The version this clause belongs to (`DOC@YYYY-MM-DD`).
    pub version: Arc<str>,
    /// Slug of the section the clause sits in, unique within the version.
    pub section_slug: Arc<str>,
    /// Headings from the outermost to the clause's own section.
    pub section: Arc<[String]>,
    /// The clause text (whitespace normalised), shared with the clauses of
    /// the document's other versions that read the same ([`TextPool`]).
    pub text: Arc<str>,
    /// Pages the clause was printed on (empty when the source has no pages).
    pub pages: Box<[u32]>,
    /// 1-based position within its section.
    pub ordinal: u32,
    /// Paragraph, list item or footnote.
    pub kind: ClauseKind,
    /// When the clause was read by OCR from a page image: Tesseract's mean
    /// word confidence (0–100) over its pages, the lowest page's.
    pub ocr: Option<u8>,
}

impl Clause {
    /// Stable ID: `VERSION/SECTION-SLUG/ORDINAL`.
    pub fn id(&self) -> String {
        // Built by hand rather than with `format!`: a search builds one per
        // hit it shows, and with `format!` 200 hits of a term took 2 % more
        // instructions than copying stored IDs had (this takes none more).
        let digits = itoa_u32(self.ordinal);
        let digits = digits.as_bytes();
        let mut id =
            String::with_capacity(self.version.len() + self.section_slug.len() + digits.len() + 2);
        id.push_str(&self.version);
        id.push('/');
        id.push_str(&self.section_slug);
        id.push('/');
        // ASCII digits, one byte per char.
        id.extend(digits.iter().map(|&d| char::from(d)));
        id
    }

    /// Whether two clauses have the same ID (without building either).
    pub fn same_id(&self, other: &Clause) -> bool {
        self.ordinal == other.ordinal
            && self.section_slug == other.section_slug
            && self.version == other.version
    }

    /// Whether `id` is this clause's ID (without building the ID).
    pub fn has_id(&self, id: &str) -> bool {
        let rest = id
            .strip_prefix(&*self.version)
            .and_then(|r| r.strip_prefix('/'));
        let rest = rest.and_then(|r| r.strip_prefix(&*self.section_slug));
        let rest = rest.and_then(|r| r.strip_prefix('/'));
        // An ordinal is written without leading zeros or sign, as `id` does.
        rest.is_some_and(|n| n.as_bytes() == itoa_u32(self.ordinal).as_bytes())
    }

    /// [`clause_key`] of the ID, without building the ID: the corpus keys
    /// every clause this way when it is first searched.
    pub fn key(&self) -> u64 {
        let h = fnv1a(FNV_OFFSET, self.version.as_bytes());
        let h = fnv1a(h, b"/");
        let h = fnv1a(h, self.section_slug.as_bytes());
        let h = fnv1a(h, b"/");
        fnv1a(h, itoa_u32(self.ordinal).as_bytes())
    }

    /// The [`Clause::key`] of each of `clauses`, in order. A version's
    /// clauses come section by section, sharing their version ID and
    /// section slug (`Arc`): the hash of those two parts is worked out once
    /// per run of a section's clauses, and only the ordinal for each.
    pub fn keys(clauses: &[Clause]) -> impl Iterator<Item = u64> + '_ {
        let mut prefix: Option<(*const u8, *const u8, u64)> = None;
        clauses.iter().map(move |c| {
            let parts = (
                Arc::as_ptr(&c.version).cast::<u8>(),
                Arc::as_ptr(&c.section_slug).cast::<u8>(),
            );
            let h = match prefix {
                Some((v, s, h)) if (v, s) == parts => h,
                _ => {
                    let h = fnv1a(FNV_OFFSET, c.version.as_bytes());
                    let h = fnv1a(h, b"/");
                    let h = fnv1a(h, c.section_slug.as_bytes());
                    let h = fnv1a(h, b"/");
                    prefix = Some((parts.0, parts.1, h));
                    h
                }
            };
            fnv1a(h, itoa_u32(c.ordinal).as_bytes())
        })
    }

    /// SHA-256 of [`normalise`]d text: what a citation reader checks.
    pub fn sha256(&self) -> Sha256Digest {
        Sha256Digest::of(self.text.as_bytes())
    }
}

/// A clause ID's parts: version, section slug and ordinal (`None` when `id`
/// is not of the form `VERSION/SECTION-SLUG/ORDINAL`).
pub fn split_id(id: &str) -> Option<(&str, &str, u32)> {
    let (rest, ordinal) = id.rsplit_once('/')?;
    let (version, slug) = rest.rsplit_once('/')?;
    // Only the digits `Clause::id` writes: no sign, no leading zero.
    let canonical = !ordinal.is_empty()
        && ordinal.bytes().all(|b| b.is_ascii_digit())
        && !(ordinal.len() > 1 && ordinal.starts_with('0'));
    if version.is_empty() || slug.is_empty() || !canonical {
        return None;
    }
    Some((version, slug, ordinal.parse().ok()?))
}

/// The decimal digits of `n` in a fixed buffer (no allocation).
struct Digits {
    buf: [u8; 10],
    start: usize,
}

impl Digits {
    fn as_bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }
}

fn itoa_u32(mut n: u32) -> Digits {
    let mut buf = [0u8; 10];
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break Digits { buf, start };
        }
    }
}

/// A clause as JSON and TypeScript see it: its fields, its ID and the digest
/// of its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "Clause")]
pub struct ClauseJson {
    /// Stable ID: `VERSION/SECTION-SLUG/ORDINAL`.
    pub id: String,
    /// The version this clause belongs to (`DOC@YYYY-MM-DD`).
    pub version: String,
    /// Slug of the section the clause sits in, unique within the version.
    pub section_slug: String,
    /// 1-based position within its section.
    pub ordinal: u32,
    /// Headings from the outermost to the clause's own section.
    pub section: Vec<String>,
    /// Pages the clause was printed on (empty when the source has no pages).
    pub pages: Vec<u32>,
    /// Paragraph, list item or footnote.
    pub kind: ClauseKind,
    /// Read by OCR from a page image, with this mean confidence (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr: Option<u8>,
    /// The clause text (whitespace normalised).
    pub text: String,
    /// SHA-256 of [`normalise`]d text: what a citation reader checks.
    #[ts(type = "string")]
    pub sha256: Sha256Digest,
}

impl From<&Clause> for ClauseJson {
    fn from(c: &Clause) -> ClauseJson {
        ClauseJson {
            id: c.id(),
            sha256: c.sha256(),
            version: c.version.to_string(),
            section_slug: c.section_slug.to_string(),
            ordinal: c.ordinal,
            section: c.section.to_vec(),
            pages: c.pages.to_vec(),
            kind: c.kind,
            ocr: c.ocr,
            text: c.text.to_string(),
        }
    }
}

impl TryFrom<ClauseJson> for Clause {
    type Error = String;

    /// A clause read back from JSON: its ID and digest must be the ones its
    /// fields give, or it is not the clause it says it is.
    fn try_from(j: ClauseJson) -> Result<Clause, String> {
        let c = Clause {
            version: j.version.into(),
            section_slug: j.section_slug.into(),
            section: j.section.into(),
            text: j.text.into(),
            pages: j.pages.into(),
            ordinal: j.ordinal,
            kind: j.kind,
            ocr: j.ocr,
        };
        if !c.has_id(&j.id) {
            return Err(format!(
                "clause {}: its fields give the ID {}",
                j.id,
                c.id()
            ));
        }
        if c.sha256() != j.sha256 {
            return Err(format!("clause {}: sha256 does not match its text", j.id));
        }
        Ok(c)
    }
}

impl Serialize for Clause {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ClauseJson::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Clause {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Clause, D::Error> {
        Clause::try_from(ClauseJson::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// The clause texts and heading paths of a document's versions, so that
/// what its versions share is held once: a new version mostly repeats the
/// one before, and the 857 500 clauses of the generated benchmark corpus
/// hold 148 MB of text of which 24 MB is distinct within each document.
#[derive(Debug, Default)]
pub struct TextPool {
    texts: std::collections::HashSet<Arc<str>>,
    paths: std::collections::HashSet<Arc<[String]>>,
}

impl TextPool {
    /// Point each clause and section of `doc` at the pool's copy of its
    /// text or heading path, adding those the pool does not have yet.
    pub fn share(&mut self, doc: &mut Document) {
        for c in &mut doc.clauses {
            match self.texts.get(&*c.text) {
                Some(t) => c.text = Arc::clone(t),
                None => {
                    self.texts.insert(Arc::clone(&c.text));
                }
            }
        }
        for s in &mut doc.sections {
            let Some(path) = self.paths.get(&*s.path) else {
                self.paths.insert(Arc::clone(&s.path));
                continue;
            };
            for c in &mut doc.clauses[s.clauses.clone()] {
                c.section = Arc::clone(path);
            }
            s.path = Arc::clone(path);
        }
    }
}

/// A heading and the clauses directly under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Unique slug within the version (`-2`, `-3`... on repeats).
    pub slug: Arc<str>,
    /// The heading text (empty for text before the first heading).
    pub title: String,
    /// Nesting depth, 1-based (0 for text before the first heading).
    pub level: u8,
    /// Headings from the outermost down to this one.
    pub path: Arc<[String]>,
    /// Index range into [`Document::clauses`].
    pub clauses: std::ops::Range<usize>,
}

/// One version of a document, split into sections and clauses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// All clauses in reading order; sections index into this.
    pub clauses: Vec<Clause>,
}

/// A clause or version ID's 64-bit key (FNV-1a of its bytes). The search
/// index stores it as a fast field (see [`crate::index::Fields`]), so a
/// search reads a number per match instead of a stored document. Stable
/// across runs and releases. Two of a million clauses share a key with a
/// chance of about one in forty million; where they do, the corpus and the
/// link table notice and fall back to the IDs, so a hit or a citation is
/// never mistaken (a count per matrix entry may then include the other).
pub fn clause_key(id: &str) -> u64 {
    fnv1a(FNV_OFFSET, id.as_bytes())
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a over `bytes`, continuing from `h` (so a key can be taken over an
/// ID's parts without joining them).
fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Slug for the text that comes before any heading.
pub const PREAMBLE_SLUG: &str = "preamble";

/// Build sections and clauses with stable IDs from parser blocks.
pub fn build_document(version_id: &str, blocks: &[Block]) -> Document {
    let mut doc = Document::default();
    let version: Arc<str> = version_id.into();
    let mut path: Vec<(u8, String)> = Vec::new();
    let mut used_slugs = std::collections::HashMap::<String, u32>::new();
    let mut current: Option<Section> = None;

    let mut open_section = |doc: &mut Document,
                            current: &mut Option<Section>,
                            level: u8,
                            title: &str,
                            path: &[(u8, String)]| {
        if let Some(s) = current.take() {
            doc.sections.push(s);
        }
        let base = match slugify(title) {
            s if s.is_empty() => {
                if level == 0 {
                    PREAMBLE_SLUG.to_string()
                } else {
                    "section".to_string()
                }
            }
            s => s,
        };
        let n = used_slugs.entry(base.clone()).or_insert(0);
        *n += 1;
        let slug = if *n == 1 { base } else { format!("{base}-{n}") };
        let start = doc.clauses.len();
        *current = Some(Section {
            slug: slug.into(),
            title: title.to_string(),
            level,
            path: path.iter().map(|(_, t)| t.clone()).collect(),
            clauses: start..start,
        });
    };

    for block in blocks {
        match block {
            Block::Heading { level, text } => {
                while path.last().is_some_and(|(l, _)| *l >= *level) {
                    path.pop();
                }
                path.push((*level, text.clone()));
                open_section(&mut doc, &mut current, *level, text, &path);
            }
            Block::Text { kind, text, pages } => {
                let text = normalise(text);
                if text.is_empty() {
                    continue;
                }
                if current.is_none() {
                    open_section(&mut doc, &mut current, 0, "", &[]);
                }
                let section = current.as_mut().expect("a section was just opened");
                let ordinal = (section.clauses.len() + 1) as u32;
                doc.clauses.push(Clause {
                    version: Arc::clone(&version),
                    section_slug: Arc::clone(&section.slug),
                    ordinal,
                    section: Arc::clone(&section.path),
                    pages: pages.as_slice().into(),
                    kind: *kind,
                    text: text.into(),
                    ocr: None,
                });
                section.clauses.end = doc.clauses.len();
            }
        }
    }
    if let Some(s) = current.take() {
        doc.sections.push(s);
    }
    doc.clauses.shrink_to_fit();
    doc.sections.shrink_to_fit();
    doc
}

impl Document {
    /// The section a clause index belongs to.
    pub fn section_of(&self, clause_index: usize) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.clauses.contains(&clause_index))
    }

    /// An indented outline of the section tree with clause counts and pages:
    /// compact enough to pin in a snapshot and to read in a review.
    pub fn outline(&self) -> String {
        let mut out = String::new();
        for s in &self.sections {
            let indent = "  ".repeat(s.level.saturating_sub(1) as usize);
            let clauses = &self.clauses[s.clauses.clone()];
            let mut pages: Vec<u32> = clauses
                .iter()
                .flat_map(|c| c.pages.iter().copied())
                .collect();
            pages.sort_unstable();
            pages.dedup();
            let kinds: Vec<&str> = clauses
                .iter()
                .map(|c| match c.kind {
                    ClauseKind::Paragraph => "p",
                    ClauseKind::ListItem => "li",
                    ClauseKind::Footnote => "fn",
                })
                .collect();
            let title = if s.title.is_empty() {
                "(preamble)"
            } else {
                &s.title
            };
            out.push_str(&format!("{indent}{title} [{}] {}", s.slug, kinds.join(" ")));
            if !pages.is_empty() {
                let p: Vec<String> = pages.iter().map(u32::to_string).collect();
                out.push_str(&format!(" pp.{}", p.join(",")));
            }
            out.push('\n');
        }
        out
    }
}

/// How a citation names the pages a clause is on: `""`, `"p. 3"`, or
/// `"pp. 3–5"` (first to last page). The app's labels are pinned to this
/// one (ui/src/bindings/Conventions.ts).
pub fn page_label(pages: &[u32]) -> String {
    match (pages.iter().min(), pages.iter().max()) {
        (Some(first), Some(last)) if first == last => format!("p. {first}"),
        (Some(first), Some(last)) => format!("pp. {first}–{last}"),
        _ => String::new(),
    }
}

/// How a citation says a clause was read by OCR, with Tesseract's mean
/// confidence: `"read by OCR (91 % confidence)"`. The app's label is pinned
/// to this one (ui/src/bindings/Conventions.ts).
pub fn ocr_label(confidence: u8) -> String {
    format!("read by OCR ({confidence} % confidence)")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Clause::keys` reuses the hash of a section's ID prefix: it must give
    /// each clause its own key in any order (sections interleaved too).
    #[test]
    fn keys_in_a_row_are_each_clause_s_key() {
        let corpus = crate::corpus::Corpus::bundled().unwrap();
        for v in &corpus.versions {
            let mut clauses = v.doc.clauses.clone();
            for _ in 0..2 {
                let one_by_one: Vec<u64> = clauses.iter().map(Clause::key).collect();
                assert_eq!(Clause::keys(&clauses).collect::<Vec<_>>(), one_by_one);
                assert!(one_by_one
                    .iter()
                    .zip(&clauses)
                    .all(|(&k, c)| k == clause_key(&c.id())));
                // Interleave the sections: every other clause, reversed.
                clauses = clauses
                    .iter()
                    .step_by(2)
                    .rev()
                    .chain(clauses.iter().skip(1).step_by(2))
                    .cloned()
                    .collect();
            }
        }
    }

    fn h(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            text: text.into(),
        }
    }
    fn p(text: &str) -> Block {
        Block::Text {
            kind: ClauseKind::Paragraph,
            text: text.into(),
            pages: vec![],
        }
    }

    #[test]
    fn ids_are_version_slug_ordinal() {
        let doc = build_document(
            "acme@2024-01-01",
            &[p("Intro."), h(1, "Data Encryption"), p("One."), p("Two.")],
        );
        let ids: Vec<String> = doc.clauses.iter().map(Clause::id).collect();
        assert_eq!(
            ids,
            [
                "acme@2024-01-01/preamble/1",
                "acme@2024-01-01/data-encryption/1",
                "acme@2024-01-01/data-encryption/2"
            ]
        );
        assert_eq!(*doc.clauses[2].section, ["Data Encryption".to_string()]);
    }

    #[test]
    fn repeated_headings_get_distinct_slugs() {
        let doc = build_document(
            "v",
            &[
                h(1, "A"),
                h(2, "Overview"),
                p("x"),
                h(1, "B"),
                h(2, "Overview"),
                p("y"),
            ],
        );
        assert_eq!(doc.clauses[0].id(), "v/overview/1");
        assert_eq!(doc.clauses[1].id(), "v/overview-2/1");
        assert_eq!(
            *doc.clauses[1].section,
            ["B".to_string(), "Overview".to_string()]
        );
    }

    #[test]
    fn hash_is_of_normalised_text() {
        let doc = build_document("v", &[p("  a\n b  ")]);
        assert_eq!(&*doc.clauses[0].text, "a b");
        assert_eq!(
            doc.clauses[0].sha256().to_string(),
            crate::text::sha256_hex(b"a b")
        );
    }

    /// The ID is built from the clause's parts when asked for; every way of
    /// matching or keying an ID must agree with the ID itself.
    #[test]
    fn id_key_and_matching_agree_with_the_built_id() {
        let mut blocks = vec![h(1, "Data Encryption")];
        blocks.extend((0..120).map(|i| p(&format!("Clause {i}."))));
        let doc = build_document("acme@2024-01-01", &blocks);
        for c in &doc.clauses {
            let id = c.id();
            assert!(c.has_id(&id), "{id}");
            assert_eq!(c.key(), clause_key(&id), "{id}");
            assert_eq!(
                split_id(&id),
                Some((&*c.version, &*c.section_slug, c.ordinal))
            );
        }
        let c = &doc.clauses[99];
        assert_eq!(c.id(), "acme@2024-01-01/data-encryption/100");
        for other in [
            "acme@2024-01-01/data-encryption/10",
            "acme@2024-01-01/data-encryption/1000",
            "acme@2024-01-01/data-encryption/0100",
            "acme@2024-01-01/data-encryption/+100",
            "acme@2024-01-01/data-encryption-2/100",
            "acme@2024-01-01/data/encryption/100",
            "acme@2024-01-011/data-encryption/100",
            "acme@2024-01-01/data-encryption",
            "acme@2024-01-01/data-encryption/",
            "",
        ] {
            assert!(!c.has_id(other), "{other}");
        }
        assert!(c.same_id(&c.clone()) && !c.same_id(&doc.clauses[98]));
    }

    #[test]
    fn split_id_takes_only_well_formed_ids() {
        assert_eq!(split_id("d@1/a-b/12"), Some(("d@1", "a-b", 12)));
        assert_eq!(split_id("org/d@1/a/3"), Some(("org/d@1", "a", 3)));
        for bad in [
            "",
            "d@1",
            "d@1/a",
            "/a/1",
            "d@1//1",
            "d@1/a/",
            "d@1/a/01",
            "d@1/a/-1",
            "d@1/a/1.0",
            "d@1/a/99999999999",
        ] {
            assert_eq!(split_id(bad), None, "{bad}");
        }
    }

    /// In JSON a clause carries its ID and digest, as before they were
    /// computed; read back, both must match what its fields give.
    #[test]
    fn clause_json_has_id_and_digest_and_is_checked_when_read() {
        let doc = build_document("v@1", &[h(1, "A"), p("Data is encrypted.")]);
        let c = &doc.clauses[0];
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json["id"], "v@1/a/1");
        assert_eq!(
            json["sha256"],
            crate::text::sha256_hex(b"Data is encrypted.")
        );
        assert_eq!(json["section"], serde_json::json!(["A"]));
        let back: Clause = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&back, c);

        let mut wrong_id = json.clone();
        wrong_id["id"] = "v@1/a/2".into();
        let e = serde_json::from_value::<Clause>(wrong_id).unwrap_err();
        assert!(
            e.to_string().contains("its fields give the ID v@1/a/1"),
            "{e}"
        );
        let mut edited = json;
        edited["text"] = "Data is not encrypted.".into();
        let e = serde_json::from_value::<Clause>(edited).unwrap_err();
        assert!(e.to_string().contains("sha256 does not match"), "{e}");
    }

    #[test]
    fn a_text_pool_keeps_one_copy_of_each_text() {
        let mut a = build_document("d@1", &[h(1, "A"), p("Same."), p("Old.")]);
        let mut b = build_document("d@2", &[h(1, "A"), p("New."), p("Same.")]);
        assert!(!Arc::ptr_eq(&a.clauses[0].text, &b.clauses[1].text));
        let mut pool = TextPool::default();
        pool.share(&mut a);
        pool.share(&mut b);
        assert!(Arc::ptr_eq(&a.clauses[0].text, &b.clauses[1].text));
        // The heading path too, for the section and each of its clauses.
        assert!(Arc::ptr_eq(&a.sections[0].path, &b.sections[0].path));
        assert!(b
            .clauses
            .iter()
            .all(|c| Arc::ptr_eq(&c.section, &a.sections[0].path)));
        assert_eq!(&*b.clauses[0].text, "New.");
        assert_eq!(b.clauses[1].id(), "d@2/a/2");
    }

    #[test]
    fn empty_text_blocks_are_not_clauses() {
        let doc = build_document("v", &[h(1, "A"), p("   ")]);
        assert!(doc.clauses.is_empty());
        assert_eq!(doc.sections.len(), 1);
    }
}
