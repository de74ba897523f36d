//! What a change means, on real and invented document pairs: the cards of
//! every pair in `tests/fixtures/eval/` (the dev corpus's real DPA and
//! subprocessor lists, and invented vendors in several styles) as readable
//! snapshots — kind, topic, party and summary, then the editorial group —
//! and the statements the reader finds in a few hand-written clauses.

use std::path::{Path, PathBuf};

use trustlens::compare::{compare, Comparison};
use trustlens::corpus::Version;
use trustlens::ingest::Format;
use trustlens::lexicon::Lexicon;

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval")
}

/// The versions of pair `pair` of folder `folder`, as its pairs.json names them.
fn pair(folder: &str, pair: &str) -> (Version, Version) {
    let dir = eval_dir().join(folder);
    let spec: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("pairs.json")).unwrap()).unwrap();
    let files = spec["pairs"][pair].as_array().unwrap();
    let document = spec["documents"][pair]
        .as_str()
        .or(spec["document"].as_str())
        .unwrap();
    let vendor = spec["vendor"].as_str().unwrap();
    let version = |file: &serde_json::Value| {
        let name = file.as_str().unwrap();
        let format = if name.ends_with(".html") {
            Format::Html
        } else {
            Format::Markdown
        };
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let date = spec["dates"][name].as_str().unwrap();
        let id = format!("{folder}-{pair}");
        Version::from_text(&id, vendor, document, date, format, &text)
    };
    (version(&files[0]), version(&files[1]))
}

/// One line per card (kind, topic, party, summary), then the editorial group.
fn listing(c: &Comparison) -> String {
    let mut out: String = c
        .changes
        .iter()
        .map(|card| {
            format!(
                "{:?} [{}] [{}] {}\n",
                card.kind,
                card.topic.as_deref().unwrap_or("-"),
                card.party.map_or("-".to_string(), |p| format!("{p:?}")),
                card.summary
            )
        })
        .collect();
    if !c.editorial.items.is_empty() {
        out.push_str(&format!("-- {}\n", c.editorial.summary()));
    }
    out
}

fn cards(folder: &str, name: &str) -> String {
    let (old, new) = pair(folder, name);
    listing(&compare(Lexicon::bundled(), &old, &new))
}

#[test]
fn dev_dpa_cards() {
    insta::assert_snapshot!(cards("dev", "dpa"));
}

#[test]
fn dev_subprocessor_list_cards() {
    insta::assert_snapshot!(cards("dev", "subprocessors"));
}

#[test]
fn we_you_privacy_policy_cards() {
    insta::assert_snapshot!(cards("tallowbrook", "main"));
}

#[test]
fn third_person_security_overview_cards() {
    insta::assert_snapshot!(cards("kestrune", "main"));
}

#[test]
fn numbered_dpa_cards() {
    insta::assert_snapshot!(cards("ferrowyn", "main"));
}

#[test]
fn tables_of_entities_cards() {
    insta::assert_snapshot!(cards("halcyra", "main"));
}

#[test]
fn html_privacy_notice_cards() {
    insta::assert_snapshot!(cards("parrowick", "main"));
}

#[test]
fn the_unchanged_incident_notice_of_the_dev_dpa_makes_no_card() {
    let (old, new) = pair("dev", "dpa");
    let c = compare(Lexicon::bundled(), &old, &new);
    let claims = c.changes.iter().filter(|k| {
        k.topic.as_deref() == Some("breach-notification")
            && k.party == Some(trustlens::statements::Party::Provider)
            && (k.summary.contains("promptly") || k.summary.contains("undue delay"))
    });
    assert_eq!(claims.count(), 0, "{}", listing(&c));
}

#[test]
fn subsidiaries_moved_to_a_table_of_their_own_are_no_change() {
    let (old, new) = pair("dev", "subprocessors");
    let c = compare(Lexicon::bundled(), &old, &new);
    let subsidiaries = c
        .changes
        .iter()
        .filter(|k| k.summary.contains("Subsidiar"))
        .map(|k| k.summary.clone())
        .collect::<Vec<_>>();
    assert!(subsidiaries.is_empty(), "{subsidiaries:#?}");
}

#[test]
fn a_reworded_commitment_is_editorial() {
    let v = |date: &str, text: &str| {
        Version::from_text("acme-sec", "Acme", "Security", date, Format::Markdown, text)
    };
    let old = v(
        "2023-01-01",
        "# Encryption\n\nData at rest is encrypted using AES-256.\n",
    );
    let new = v(
        "2024-01-01",
        "# Encryption\n\nAcme encrypts data at rest with AES-256.\n",
    );
    let c = compare(Lexicon::bundled(), &old, &new);
    assert!(c.changes.is_empty(), "{}", listing(&c));
    assert_eq!(c.editorial.items.len(), 1);
}
