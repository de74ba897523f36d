//! The compare engine on pairs of versions: two fictional vendors' documents
//! written for these tests (Markdown and PDF text), the shipped Heroku pair,
//! and the awkward cases (a version against itself, other documents, empty).

use trustlens::compare::align::{PairStatus, SectionStatus};
use trustlens::compare::cards::{ChangeKind, Direction};
use trustlens::compare::redline::Edit;
use trustlens::compare::view::{view, CompareRow, CompareView};
use trustlens::compare::{compare, Comparison};
use trustlens::corpus::{Corpus, Version};
use trustlens::ingest::Format;
use trustlens::lexicon::Lexicon;

fn version(doc: &str, vendor: &str, date: &str, format: Format, text: &str) -> Version {
    Version::from_text(doc, vendor, "Security document", date, format, text)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/compare/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn nimbus() -> Comparison {
    let (old, new) = nimbus_versions();
    compare(Lexicon::bundled(), &old, &new)
}

fn nimbus_versions() -> (Version, Version) {
    let old = version(
        "nimbus-dpo",
        "Nimbus Storage",
        "2021-03-01",
        Format::Markdown,
        &fixture("nimbus-2021-03-01.md"),
    );
    let new = version(
        "nimbus-dpo",
        "Nimbus Storage",
        "2024-09-15",
        Format::Markdown,
        &fixture("nimbus-2024-09-15.md"),
    );
    (old, new)
}

fn orbital() -> Comparison {
    let old = version(
        "orbital-wp",
        "Orbital Analytics",
        "2022-01-10",
        Format::PdfText,
        &fixture("orbital-2022-01-10.txt"),
    );
    let new = version(
        "orbital-wp",
        "Orbital Analytics",
        "2023-06-30",
        Format::PdfText,
        &fixture("orbital-2023-06-30.txt"),
    );
    compare(Lexicon::bundled(), &old, &new)
}

/// One line per card: readable in a snapshot review.
fn cards_listing(c: &Comparison) -> String {
    c.changes
        .iter()
        .map(|card| {
            let spans = |e: &Option<trustlens::compare::cards::Evidence>| {
                e.as_ref()
                    .map(|e| {
                        format!(
                            "{} {:?}",
                            e.clause_id,
                            e.spans.iter().map(|s| s.text.as_str()).collect::<Vec<_>>()
                        )
                    })
                    .unwrap_or_else(|| "-".into())
            };
            format!(
                "{:?} {:?} {:?}: {}\n    before: {}\n    after:  {}\n",
                card.kind,
                card.severity,
                card.direction,
                card.summary,
                spans(&card.before),
                spans(&card.after)
            )
        })
        .collect()
}

fn has(c: &Comparison, kind: ChangeKind, needle: &str) -> bool {
    c.changes
        .iter()
        .any(|card| card.kind == kind && card.summary.contains(needle))
}

#[test]
fn nimbus_markdown_pair_cards() {
    insta::assert_snapshot!(cards_listing(&nimbus()));
}

#[test]
fn orbital_pdf_text_pair_cards() {
    insta::assert_snapshot!(cards_listing(&orbital()));
}

#[test]
fn nimbus_changes_are_typed() {
    let c = nimbus();
    assert!(
        has(&c, ChangeKind::FrameworkReplaced, "EU-US Privacy Shield"),
        "{}",
        cards_listing(&c)
    );
    assert!(has(&c, ChangeKind::FrameworkAdded, "SOC 2"));
    assert!(has(&c, ChangeKind::ObligationWeakened, "promptly"));
    assert!(has(&c, ChangeKind::DeadlineChanged, "at least 90 days"));
    assert!(c
        .changes
        .iter()
        .any(|k| k.kind == ChangeKind::RestrictionRelaxed
            && k.direction == Direction::FavoursCustomer));
    assert!(has(&c, ChangeKind::PracticeRemoved, "encrypts all backups"));
    assert!(has(&c, ChangeKind::ObligationAdded, "multi-factor"));
    let renamed = c
        .sections
        .iter()
        .find(|s| s.status == SectionStatus::Renamed)
        .expect("a renamed section");
    assert_eq!(
        (renamed.old.as_deref(), renamed.new.as_deref()),
        (Some("Security Incidents"), Some("Incident Response"))
    );
    // The untouched clause is unchanged and has no card.
    assert!(c
        .alignment
        .iter()
        .any(|p| p.pair.status == PairStatus::Unchanged
            && p.pair.new[0].contains("support-access/1")));
}

#[test]
fn orbital_changes_are_typed() {
    let c = orbital();
    let deadline = c
        .changes
        .iter()
        .find(|k| k.kind == ChangeKind::DeadlineChanged && k.summary.contains("within 14 days"))
        .expect("deadline card");
    assert_eq!(
        deadline.direction,
        Direction::FavoursCustomer,
        "a shorter deletion deadline protects the customer"
    );
    let period = c
        .changes
        .iter()
        .find(|k| k.kind == ChangeKind::DeadlineChanged && k.summary.contains("quarterly"))
        .expect("test period card");
    assert_eq!(period.direction, Direction::FavoursCustomer);
    assert!(
        c.changes
            .iter()
            .any(|k| k.kind == ChangeKind::ResponsibilityShifted
                && k.direction == Direction::FavoursProvider),
        "{}",
        cards_listing(&c)
    );
    assert!(has(&c, ChangeKind::ObligationWeakened, "should"));
    // Evidence spans point at the words that triggered the card.
    let after = deadline.after.as_ref().unwrap();
    let span = &after.spans[0];
    assert_eq!(
        &after.text[span.start as usize..span.end as usize],
        "within 14 days"
    );
}

#[test]
fn heroku_pair_finds_the_headline_changes() {
    let corpus = Corpus::bundled().unwrap();
    let (old, new) = (
        corpus.version("2016-05-06").unwrap(),
        corpus.version("2023-05-05").unwrap(),
    );
    let c = compare(Lexicon::bundled(), old, new);
    assert!(
        has(&c, ChangeKind::FrameworkReplaced, "Safe Harbor"),
        "{}",
        cards_listing(&c)
    );
    assert!(has(&c, ChangeKind::FrameworkReplaced, "Privacy Shield"));
    let relaxed = c
        .changes
        .iter()
        .find(|k| k.kind == ChangeKind::RestrictionRelaxed)
        .expect("sensitive data prohibition relaxed");
    assert!(relaxed
        .before
        .as_ref()
        .unwrap()
        .clause_id
        .contains("sensitive-personal-data"));
    assert!(relaxed
        .after
        .as_ref()
        .unwrap()
        .clause_id
        .contains("sensitive-data"));
    assert!(has(
        &c,
        ChangeKind::ObligationWeakened,
        "without undue delay"
    ));
    assert!(has(&c, ChangeKind::DeadlineChanged, "within 30 days"));
    let renamed: Vec<(String, String)> = c
        .sections
        .iter()
        .filter(|s| s.status == SectionStatus::Renamed)
        .map(|s| (s.old.clone().unwrap(), s.new.clone().unwrap()))
        .collect();
    assert!(
        renamed.contains(&("Sensitive Personal Data".into(), "Sensitive Data".into())),
        "{renamed:?}"
    );
    assert!(
        renamed.contains(&("Tracking and Analytics".into(), "Analytics".into())),
        "{renamed:?}"
    );
    // Redlines are word level and rebuild both texts.
    let modified = c
        .alignment
        .iter()
        .find(|p| p.pair.status == PairStatus::Modified)
        .unwrap();
    assert!(!modified.redline.is_empty());
}

#[test]
fn a_version_against_itself_has_no_changes_and_says_so() {
    let corpus = Corpus::bundled().unwrap();
    let v = corpus.version("2023-05-05").unwrap();
    let c = compare(Lexicon::bundled(), v, v);
    assert!(c.changes.is_empty(), "{}", cards_listing(&c));
    assert!(c
        .alignment
        .iter()
        .all(|p| p.pair.status == PairStatus::Unchanged));
    assert!(c.warnings[0].contains("compared with itself"));
}

#[test]
fn different_documents_and_empty_versions_warn() {
    let a = version(
        "doc-a",
        "A",
        "2024-01-01",
        Format::Markdown,
        "# T\n\nWe encrypt data.\n",
    );
    let b = version("doc-b", "B", "2024-02-01", Format::Markdown, "");
    let c = compare(Lexicon::bundled(), &a, &b);
    assert!(c.warnings.iter().any(|w| w.contains("different documents")));
    assert!(c
        .warnings
        .iter()
        .any(|w| w.contains("doc-b@2024-02-01 has no clauses")));
    assert!(c
        .alignment
        .iter()
        .all(|p| p.pair.status == PairStatus::Removed));
}

#[test]
fn reports_escape_document_text() {
    let a = version(
        "x",
        "X",
        "2024-01-01",
        Format::Markdown,
        "# T\n\nWe keep logs for 30 days.\n",
    );
    let b = version(
        "x",
        "X",
        "2024-02-01",
        Format::PdfText,
        "T\nWe keep <script>alert(1)</script> logs for 90 days.\n",
    );
    let c = compare(Lexicon::bundled(), &a, &b);
    let html = trustlens::compare::report_html(&c);
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
    let md = trustlens::compare::report_markdown(&c);
    assert!(md.contains("## Changes") && !md.contains("<script>"));
}

/// The side-by-side layout, one line per row: headings with their status,
/// pairs with their status, short IDs, cards and a redline in {-...-}/{+...+}.
fn layout_listing(v: &CompareView) -> String {
    let short = |ids: &[String]| {
        ids.iter()
            .map(|i| i.split_once('/').map_or(i.as_str(), |(_, s)| s))
            .collect::<Vec<_>>()
            .join("+")
    };
    let text = |parts: &[trustlens::compare::redline::RedlinePart]| {
        parts
            .iter()
            .map(|p| match p.edit {
                Edit::Same => p.text.clone(),
                Edit::Deleted => format!("{{-{}-}}", p.text),
                Edit::Inserted => format!("{{+{}+}}", p.text),
            })
            .collect::<String>()
    };
    let mut out = String::new();
    for row in &v.rows {
        match row {
            CompareRow::Section {
                status, old, new, ..
            } => out.push_str(&format!(
                "## {:?}: {} | {}\n",
                status,
                old.as_deref().unwrap_or("-"),
                new.as_deref().unwrap_or("-")
            )),
            CompareRow::Pair {
                status,
                old_ids,
                new_ids,
                old,
                new,
                cards,
                ..
            } => {
                out.push_str(&format!(
                    "  {:?} {} -> {} cards {:?}\n",
                    status,
                    short(old_ids),
                    short(new_ids),
                    cards
                ));
                if *status != PairStatus::Unchanged {
                    out.push_str(&format!("    old: {}\n    new: {}\n", text(old), text(new)));
                }
            }
        }
    }
    out
}

#[test]
fn nimbus_side_by_side_layout() {
    let (old, new) = nimbus_versions();
    let c = compare(Lexicon::bundled(), &old, &new);
    let v = view(&c, &old, &new);
    // Every aligned pair is one row, in the engine's order.
    let pairs: Vec<u32> = v
        .rows
        .iter()
        .filter_map(|r| match r {
            CompareRow::Pair { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(pairs, (0..c.alignment.len() as u32).collect::<Vec<_>>());
    // Every card points at rows that hold its evidence, and back.
    assert_eq!(v.card_rows.len(), v.changes.len());
    for (k, rows) in v.card_rows.iter().enumerate() {
        assert!(!rows.is_empty(), "card {k} has no row: {:?}", v.changes[k]);
        for &r in rows {
            match &v.rows[r as usize] {
                CompareRow::Pair { cards, .. } => assert!(cards.contains(&(k as u32))),
                other => panic!("card {k} points at a heading: {other:?}"),
            }
        }
    }
    insta::assert_snapshot!(layout_listing(&v));
}

#[test]
fn a_card_scrolls_first_to_the_row_holding_both_sides() {
    let (old, new) = nimbus_versions();
    let c = compare(Lexicon::bundled(), &old, &new);
    let v = view(&c, &old, &new);
    for (k, card) in v.changes.iter().enumerate() {
        let (Some(b), Some(a)) = (&card.before, &card.after) else {
            continue;
        };
        let both = v.rows.iter().position(|r| {
            matches!(r, CompareRow::Pair { old_ids, new_ids, .. }
                if old_ids.contains(&b.clause_id) && new_ids.contains(&a.clause_id))
        });
        if let Some(both) = both {
            assert_eq!(v.card_rows[k][0] as usize, both, "card {k}");
        }
    }
}

/// A generated 30-page document and a revision of it (reworded, added,
/// removed and moved clauses): the engine finds those edits and nothing else.
#[test]
fn a_generated_long_pair_aligns_its_edits() {
    use trustlens_synth as synth;
    let text = synth::document(11, 30);
    let revised = synth::revise(11, &text, 0.1);
    let old = version(
        "synthetic",
        "Synthetic Vendor",
        "2024-01-01",
        Format::Markdown,
        &text,
    );
    let new = version(
        "synthetic",
        "Synthetic Vendor",
        "2025-01-01",
        Format::Markdown,
        &revised,
    );
    let c = compare(Lexicon::bundled(), &old, &new);
    let count = |k: &str| c.counts.get(k).copied().unwrap_or(0);
    let pairs: u32 = c.counts.values().sum();
    assert!(count("unchanged") * 10 >= pairs * 6, "{:?}", c.counts);
    for k in ["modified", "added", "removed", "moved"] {
        assert!(count(k) > 0, "no {k} pair: {:?}", c.counts);
    }
    // Every old and every new clause is accounted for exactly once.
    let mut olds: Vec<&String> = c.alignment.iter().flat_map(|p| &p.pair.old).collect();
    let mut news: Vec<&String> = c.alignment.iter().flat_map(|p| &p.pair.new).collect();
    let (no, nn) = (olds.len(), news.len());
    olds.sort();
    olds.dedup();
    news.sort();
    news.dedup();
    assert_eq!((olds.len(), news.len()), (no, nn));
    assert_eq!((no, nn), (old.doc.clauses.len(), new.doc.clauses.len()));
    // Modal verbs swapped by the reviser come out as typed cards.
    assert!(
        c.changes
            .iter()
            .any(|card| card.kind == ChangeKind::ObligationWeakened),
        "{}",
        cards_listing(&c)
    );
}

/// Regression: the "after" of a framework card was the first clause naming
/// the new framework (here a new summary bullet), not the clause the old
/// one became, so the card's two sides sat in different rows.
#[test]
fn framework_card_after_evidence_prefers_the_aligned_clause() {
    let old = version(
        "zephyr-sec",
        "Zephyr Mail",
        "2019-01-01",
        Format::Markdown,
        "# Transfers\n\nZephyr Mail relies on the EU-US Safe Harbor framework for transfers of customer personal data to the United States.\n",
    );
    let new = version(
        "zephyr-sec",
        "Zephyr Mail",
        "2021-01-01",
        Format::Markdown,
        "# Overview\n\nWe hold a Privacy Shield certification.\n\n# Transfers\n\nZephyr Mail relies on the EU-US Privacy Shield framework for transfers of customer personal data to the United States.\n",
    );
    let c = compare(Lexicon::bundled(), &old, &new);
    let card = c
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::FrameworkReplaced)
        .expect("a framework_replaced card");
    let after = card.after.as_ref().unwrap();
    assert_eq!(after.clause_id, "zephyr-sec@2021-01-01/transfers/1");
    let s = &after.spans[0];
    assert_eq!(
        &after.text[s.start as usize..s.end as usize],
        "Privacy Shield"
    );
}
