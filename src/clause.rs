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

// The version ID, section slug and heading path are shared with the other
// clauses of the same section (`Arc`), and the digest is 32 bytes: a corpus
// of a million clauses is held in memory, and these took more of it than
// the texts did.
/// A clause: one paragraph, list item or footnote of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Clause {
    /// Stable ID: `VERSION/SECTION-SLUG/ORDINAL`.
    pub id: String,
    /// The version this clause belongs to (`DOC@YYYY-MM-DD`).
    #[ts(type = "string")]
    pub version: Arc<str>,
    /// Slug of the section the clause sits in, unique within the version.
    #[ts(type = "string")]
    pub section_slug: Arc<str>,
    /// 1-based position within its section.
    pub ordinal: u32,
    /// Headings from the outermost to the clause's own section.
    #[ts(type = "Array<string>")]
    pub section: Arc<[String]>,
    /// Pages the clause was printed on (empty when the source has no pages).
    pub pages: Vec<u32>,
    /// Paragraph, list item or footnote.
    pub kind: ClauseKind,
    /// The clause text (whitespace normalised).
    pub text: String,
    /// SHA-256 of [`normalise`]d text: what a citation reader checks.
    #[ts(type = "string")]
    pub sha256: Sha256Digest,
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
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
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
                let mut text = normalise(text);
                if text.is_empty() {
                    continue;
                }
                // Held for as long as the corpus is open: no spare capacity.
                text.shrink_to_fit();
                if current.is_none() {
                    open_section(&mut doc, &mut current, 0, "", &[]);
                }
                let section = current.as_mut().expect("a section was just opened");
                let ordinal = (section.clauses.len() + 1) as u32;
                doc.clauses.push(Clause {
                    id: format!("{version_id}/{}/{ordinal}", section.slug),
                    version: Arc::clone(&version),
                    section_slug: Arc::clone(&section.slug),
                    ordinal,
                    section: Arc::clone(&section.path),
                    pages: pages.clone(),
                    kind: *kind,
                    sha256: Sha256Digest::of(text.as_bytes()),
                    text,
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let ids: Vec<&str> = doc.clauses.iter().map(|c| c.id.as_str()).collect();
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
        assert_eq!(doc.clauses[0].id, "v/overview/1");
        assert_eq!(doc.clauses[1].id, "v/overview-2/1");
        assert_eq!(
            *doc.clauses[1].section,
            ["B".to_string(), "Overview".to_string()]
        );
    }

    #[test]
    fn hash_is_of_normalised_text() {
        let doc = build_document("v", &[p("  a\n b  ")]);
        assert_eq!(doc.clauses[0].text, "a b");
        assert_eq!(
            doc.clauses[0].sha256.to_string(),
            crate::text::sha256_hex(b"a b")
        );
    }

    #[test]
    fn empty_text_blocks_are_not_clauses() {
        let doc = build_document("v", &[h(1, "A"), p("   ")]);
        assert!(doc.clauses.is_empty());
        assert_eq!(doc.sections.len(), 1);
    }
}
