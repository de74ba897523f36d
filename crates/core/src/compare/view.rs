//! The side-by-side view of a comparison, laid out for a screen: section
//! headings and aligned clause pairs in reading order, each side with its
//! half of the redline, and each change card tied to the rows that hold its
//! evidence.
//!
//! [`Comparison`] is the engine's answer (what the CLI prints as JSON);
//! [`CompareView`] is the same answer arranged so that a front end only has
//! to draw it — no text joining, no ID lookups, no diff splitting in
//! TypeScript.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::align::{PairStatus, SectionStatus};
use super::cards::ChangeCard;
use super::redline::{new_side, old_side, Edit, RedlinePart};
use super::Comparison;
use crate::clause::Clause;
use crate::corpus::{Version, VersionInfo};

/// One row of the side-by-side view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CompareRow {
    /// The start of a section on either side.
    Section {
        /// Same, renamed, added or removed.
        status: SectionStatus,
        /// The old heading (none for an added section).
        old: Option<String>,
        /// The new heading (none for a removed section).
        new: Option<String>,
        /// Nesting level (1 outermost).
        level: u8,
    },
    /// An aligned pair of clauses (or an added or removed clause).
    Pair {
        /// Index of the pair in [`Comparison::alignment`].
        index: u32,
        /// What happened to it.
        status: PairStatus,
        /// Old clause IDs (empty when added).
        old_ids: Vec<String>,
        /// New clause IDs (empty when removed).
        new_ids: Vec<String>,
        /// Old side: unchanged and deleted words.
        old: Vec<RedlinePart>,
        /// New side: unchanged and inserted words.
        new: Vec<RedlinePart>,
        /// Pages of the old clauses, when known.
        old_pages: Vec<u32>,
        /// Pages of the new clauses, when known.
        new_pages: Vec<u32>,
        /// Indices into [`CompareView::changes`] of the cards whose evidence is here.
        cards: Vec<u32>,
    },
}

/// A comparison laid out for the app's compare view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CompareView {
    /// The older version.
    pub old: VersionInfo,
    /// The newer version.
    pub new: VersionInfo,
    /// Things to know about this comparison.
    pub warnings: Vec<String>,
    /// Each version's regulatory flags (see [`super::Comparison::flags`]).
    pub flags: Vec<crate::timeline::VersionFlags>,
    /// The change cards, most important first.
    pub changes: Vec<ChangeCard>,
    /// For each card, the indices into `rows` that hold its evidence; a row
    /// holding both its before and after clauses comes first.
    pub card_rows: Vec<Vec<u32>>,
    /// The changes that alter no statement, collapsed.
    pub editorial: super::editorial::EditorialGroup,
    /// The names of the cards' topics, by topic ID.
    pub topic_names: BTreeMap<String, String>,
    /// How many pairs of each status.
    pub counts: BTreeMap<String, u32>,
    /// Headings and pairs in reading order (new document order, removed
    /// clauses where they were).
    pub rows: Vec<CompareRow>,
}

/// Which section a row belongs to: a section pair, or (for clauses whose
/// section has no pair) the old and new slugs.
type SectionKey = Result<usize, (Option<String>, Option<String>)>;

fn plain(cs: &[&Clause]) -> Vec<RedlinePart> {
    if cs.is_empty() {
        return Vec::new();
    }
    let text = cs.iter().map(|c| &*c.text).collect::<Vec<_>>().join(" ");
    vec![RedlinePart {
        text,
        edit: Edit::Same,
    }]
}

fn pages(cs: &[&Clause]) -> Vec<u32> {
    let mut p: Vec<u32> = cs.iter().flat_map(|c| c.pages.iter().copied()).collect();
    p.sort_unstable();
    p.dedup();
    p
}

/// Lay out `c`, the comparison of `old` with `new`, for a side-by-side view.
pub fn view(c: &Comparison, old: &Version, new: &Version) -> CompareView {
    let (oi, ni) = (super::ById::new(old), super::ById::new(new));
    let mut rows: Vec<CompareRow> = Vec::new();
    let mut card_rows: Vec<Vec<u32>> = vec![Vec::new(); c.changes.len()];
    let mut current: Option<SectionKey> = None;
    for (i, pv) in c.alignment.iter().enumerate() {
        let (o, n) = (oi.get(&pv.pair.old), ni.get(&pv.pair.new));
        // A heading row whenever the section changes on the side that leads:
        // the new side, or the old side for a removed clause.
        let new_slug = n.first().map(|c| c.section_slug.to_string());
        let old_slug = o.first().map(|c| c.section_slug.to_string());
        let sp = section_pair(c, old_slug.as_deref(), new_slug.as_deref());
        let key = sp.ok_or_else(|| (old_slug.clone(), new_slug.clone()));
        if current.as_ref() != Some(&key) {
            current = Some(key);
            let old_side = RowSide {
                version: old,
                clauses: &o,
                slug: old_slug.as_deref(),
            };
            let new_side = RowSide {
                version: new,
                clauses: &n,
                slug: new_slug.as_deref(),
            };
            rows.extend(section_row(
                sp.map(|k| &c.sections[k]),
                &old_side,
                &new_side,
            ));
        }
        let row = rows.len() as u32;
        let cards = cards_at(&c.changes, pv, row, &mut card_rows);
        rows.push(pair_row(i, pv, &o, &n, cards));
    }
    CompareView {
        old: c.old.clone(),
        new: c.new.clone(),
        warnings: c.warnings.clone(),
        flags: c.flags.clone(),
        changes: c.changes.clone(),
        card_rows,
        editorial: c.editorial.clone(),
        topic_names: c.topic_names.clone(),
        counts: c.counts.clone(),
        rows,
    }
}

/// The section pair a clause pair belongs to: by its new section, or by
/// its old one for a removed clause (so a clause removed from a section
/// that lives on stays under that section's heading).
fn section_pair(c: &Comparison, old_slug: Option<&str>, new_slug: Option<&str>) -> Option<usize> {
    c.sections.iter().position(|s| match (new_slug, old_slug) {
        (Some(n), _) => s.new_slug.as_deref() == Some(n),
        (None, Some(o)) => s.old_slug.as_deref() == Some(o),
        (None, None) => false,
    })
}

/// One side of a clause pair: its version, its clauses and their section.
struct RowSide<'a> {
    version: &'a Version,
    clauses: &'a [&'a Clause],
    slug: Option<&'a str>,
}

/// The level of the section with this slug in `v` (1 if none).
fn level_of(v: &Version, slug: &str) -> u8 {
    v.doc
        .sections
        .iter()
        .find(|s| &*s.slug == slug)
        .map_or(1, |s| s.level.max(1))
}

/// The heading row for a pair's section (`sp`, when the sections were
/// paired), or none when neither side's section has a title.
fn section_row(
    sp: Option<&super::align::SectionPair>,
    old: &RowSide<'_>,
    new: &RowSide<'_>,
) -> Option<CompareRow> {
    let (status, old_title, new_title) = match sp {
        Some(s) => (s.status, s.old.clone(), s.new.clone()),
        None => (
            SectionStatus::Same,
            old.clauses.first().and_then(|c| c.section.last().cloned()),
            new.clauses.first().and_then(|c| c.section.last().cloned()),
        ),
    };
    let level = match (new.slug, old.slug) {
        (Some(s), _) => level_of(new.version, s),
        (None, Some(s)) => level_of(old.version, s),
        _ => 1,
    };
    let titled = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.is_empty());
    (titled(&old_title) || titled(&new_title)).then_some(CompareRow::Section {
        status,
        old: old_title,
        new: new_title,
        level,
    })
}

/// The cards with evidence in pair `pv`, which is row `row`; each such
/// card's rows in `card_rows` get this one (first when the card has
/// evidence on both sides here).
fn cards_at(
    changes: &[ChangeCard],
    pv: &super::PairView,
    row: u32,
    card_rows: &mut [Vec<u32>],
) -> Vec<u32> {
    let mut cards = Vec::new();
    for (k, card) in changes.iter().enumerate() {
        let here = |e: &Option<super::cards::Evidence>, ids: &[String]| {
            e.as_ref().is_some_and(|e| ids.contains(&e.clause_id))
        };
        let (before, after) = (
            here(&card.before, &pv.pair.old),
            here(&card.after, &pv.pair.new),
        );
        if before || after {
            cards.push(k as u32);
            if before && after {
                card_rows[k].insert(0, row);
            } else {
                card_rows[k].push(row);
            }
        }
    }
    cards
}

/// The row of pair `pv`, the `i`th of the alignment, whose clauses are `o`
/// and `n`.
fn pair_row(
    i: usize,
    pv: &super::PairView,
    o: &[&Clause],
    n: &[&Clause],
    cards: Vec<u32>,
) -> CompareRow {
    let (old_parts, new_parts) = if pv.redline.is_empty() {
        (plain(o), plain(n))
    } else {
        (old_side(&pv.redline), new_side(&pv.redline))
    };
    CompareRow::Pair {
        index: i as u32,
        status: pv.pair.status,
        old_ids: pv.pair.old.clone(),
        new_ids: pv.pair.new.clone(),
        old: old_parts,
        new: new_parts,
        old_pages: pages(o),
        new_pages: pages(n),
        cards,
    }
}
