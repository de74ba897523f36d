//! The two shipped Heroku versions: section trees and clauses pinned by
//! snapshots (review changes with `cargo insta review`), plus the facts an
//! analyst relies on spelled out as assertions.

use trustlens::clause::ClauseKind;
use trustlens::corpus::Corpus;

fn corpus() -> Corpus {
    Corpus::bundled().expect("the bundled corpus loads")
}

fn clauses_listing(version: &str) -> String {
    let c = corpus();
    let v = c.version(version).unwrap();
    v.doc
        .clauses
        .iter()
        .map(|c| format!("{} {:?} p{:?}\n    {}\n", c.id(), c.kind, c.pages, c.text))
        .collect()
}

#[test]
fn markdown_2016_section_tree() {
    insta::assert_snapshot!(corpus()
        .version("heroku-spa@2016-05-06")
        .unwrap()
        .doc
        .outline());
}

#[test]
fn pdf_text_2023_section_tree() {
    insta::assert_snapshot!(corpus()
        .version("heroku-spa@2023-05-05")
        .unwrap()
        .doc
        .outline());
}

#[test]
fn markdown_2016_clauses() {
    insta::assert_snapshot!(clauses_listing("2016-05-06"));
}

#[test]
fn pdf_text_2023_clauses() {
    insta::assert_snapshot!(clauses_listing("2023-05-05"));
}

#[test]
fn pdf_text_2023_drops_page_furniture_and_debris() {
    let c = corpus();
    let v = c.version("heroku-spa@2023-05-05").unwrap();
    for clause in &v.doc.clauses {
        for junk in [
            "All rights reserved",
            "names and marks. Other marks",
            "ICT-world",
            "Nieuwe bijzaak",
        ] {
            assert!(
                !clause.text.contains(junk),
                "{} still holds {junk:?}: {}",
                clause.id(),
                clause.text
            );
        }
        assert!(!clause.pages.is_empty(), "{} has no page", clause.id());
    }
    assert!(v
        .doc
        .sections
        .iter()
        .all(|s| s.title != "Nieuwe bijzaak" && s.title != "ICT-world"));
}

#[test]
fn pdf_text_2023_keeps_the_privacy_shield_footnote_apart() {
    let c = corpus();
    let v = c.version("2023-05-05").unwrap();
    let notes: Vec<_> = v
        .doc
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::Footnote)
        .collect();
    let shield = notes
        .iter()
        .find(|n| n.text.contains("July 16, 2020"))
        .expect("the Privacy Shield footnote is a clause");
    assert_eq!(*shield.pages, [1]);
    // The bullet it interrupted reads on across the page break.
    let bullet = v
        .doc
        .clauses
        .iter()
        .find(|c| c.text.contains("Privacy Shield certification[1]"))
        .expect("referring bullet");
    assert!(
        bullet
            .text
            .contains("Department of Commerce, as further described in our Privacy Shield Notice"),
        "{}",
        bullet.text
    );
    assert_eq!(*bullet.pages, [1, 2]);
}

#[test]
fn pdf_text_2023_joins_hyphenated_compounds_without_spaces() {
    let c = corpus();
    let text: String = c
        .version("2023-05-05")
        .unwrap()
        .doc
        .clauses
        .iter()
        .map(|c| c.text.to_string() + "\n")
        .collect();
    for expected in [
        "Infrastructure and Sub-processors",
        "around-the-clock guards",
        "on-site back-up generators",
        "third-party applications",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
}

#[test]
fn markdown_2016_rejoins_the_paragraph_split_by_a_blank_line() {
    let c = corpus();
    let v = c.version("2016-05-06").unwrap();
    assert!(v.doc.clauses.iter().any(|c| c
        .text
        .contains("Without limiting the foregoing, Salesforce may share data about")));
}
