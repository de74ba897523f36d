//! The shared-responsibility matrix: links with reasons, coverage, shift
//! alerts (on a fictional vendor's pair and on Heroku's), exports, manual
//! links that survive restarts and index rebuilds, and search by entry.

use crate::common::Env;

use std::collections::HashSet;

use serde_json::Value;
use trustlens::compare::compare;
use trustlens::corpus::Version;
use trustlens::ingest::Format;
use trustlens::lexicon::Lexicon;
use trustlens::matrix::links::LinkTable;
use trustlens::matrix::report::{self, ShiftKind};
use trustlens::matrix::{Matrices, Owner};

fn version(date: &str, text: &str) -> Version {
    Version::from_text(
        "nimbus-dpo",
        "Nimbus Storage",
        "Data Protection Overview",
        date,
        Format::Markdown,
        text,
    )
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/compare/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn bundled() -> Matrices {
    Matrices {
        matrices: vec![Matrices::bundled().clone()],
    }
}

#[test]
fn a_fictional_pair_gets_links_with_reasons_and_a_shift_alert() {
    let m = bundled();
    let old = version("2021-03-01", &fixture("nimbus-2021-03-01.md"));
    let new = version("2024-09-15", &fixture("nimbus-2024-09-15.md"));
    let links = LinkTable::build(&m, old.doc.clauses.iter().chain(&new.doc.clauses), &[]);

    let cov = report::coverage(&m, &new, &links);
    let mfa = cov
        .entries
        .iter()
        .find(|e| e.entry.id == "platform-access-control")
        .unwrap();
    let linked = mfa
        .clauses
        .iter()
        .find(|c| c.text.contains("multi-factor authentication"))
        .expect("the MFA clause is linked to platform access control");
    assert!(
        linked.link.reason.contains("multi-factor authentication"),
        "{}",
        linked.link.reason
    );
    assert!(linked.link.confidence > 0.5);
    assert_eq!(cov.entries.len(), m.entries().count());
    for key in &cov.uncovered {
        assert!(cov
            .entries
            .iter()
            .any(|e| &e.entry.key == key && e.clauses.is_empty()));
    }

    let c = compare(Lexicon::bundled(), &old, &new);
    let d = report::diff(&m, &c, &links);
    let moved: Vec<_> = d
        .alerts
        .iter()
        .filter(|a| a.kind == ShiftKind::MovedToCustomer)
        .collect();
    assert!(
        moved
            .iter()
            .any(|a| a.entry.ends_with("/platform-access-control")),
        "{:#?}",
        d.alerts
    );
    // Every alert names a card that touches its entry.
    for a in &d.alerts {
        if let Some(k) = a.card {
            let e = d.entries.iter().find(|e| e.entry.key == a.entry).unwrap();
            assert!(e.cards.contains(&k));
        }
    }
}

#[test]
fn an_entry_that_loses_all_its_clauses_raises_a_removed_alert() {
    let m = bundled();
    let old = version(
        "2020-01-01",
        "# Backups\n\nWe back up customer databases every day and keep the backups in a second region.\n\n# Other\n\nWe publish this overview yearly.\n",
    );
    let new = version(
        "2021-01-01",
        "# Other\n\nWe publish this overview yearly.\n",
    );
    let links = LinkTable::build(&m, old.doc.clauses.iter().chain(&new.doc.clauses), &[]);
    let d = report::diff(&m, &compare(Lexicon::bundled(), &old, &new), &links);
    let backup = d
        .entries
        .iter()
        .find(|e| e.entry.id == "backup-replication")
        .unwrap();
    assert_eq!((backup.old_clauses.len(), backup.new_clauses.len()), (1, 0));
    assert!(
        backup
            .alerts
            .iter()
            .any(|a| a.kind == ShiftKind::Removed && a.card.is_none()),
        "{:#?}",
        backup.alerts
    );
}

#[test]
fn heroku_coverage_links_the_obvious_clauses() {
    let m = bundled();
    let corpus = trustlens::corpus::Corpus::bundled().unwrap();
    let links = LinkTable::build(&m, corpus.clauses().map(|(_, c)| c), &[]);
    let cov = report::coverage(&m, &corpus.versions[1], &links);
    let of = |id: &str| {
        cov.entries
            .iter()
            .find(|e| e.entry.id == id)
            .unwrap()
            .clauses
            .iter()
            .map(|c| c.link.clause_id.as_str())
            .collect::<Vec<_>>()
    };
    assert!(of("physical-security").contains(&"heroku-spa@2023-05-05/physical-security/1"));
    assert!(of("encryption-at-rest").contains(&"heroku-spa@2023-05-05/data-encryption/1"));
    assert!(!of("certifications-audits").is_empty());
    // Most clauses link to something; a date line does not.
    assert!(cov.unlinked_clauses.len() * 10 < corpus.versions[1].doc.clauses.len());
    let owners: HashSet<Owner> = cov.entries.iter().map(|e| e.entry.owner).collect();
    assert_eq!(owners.len(), 3);
}

#[test]
fn oscal_export_is_a_well_formed_component_definition() {
    let m = bundled();
    let corpus = trustlens::corpus::Corpus::bundled().unwrap();
    let links = LinkTable::build(&m, corpus.clauses().map(|(_, c)| c), &[]);
    let cov = report::coverage(&m, &corpus.versions[1], &links);
    let doc = report::to_oscal(&cov, "2026-01-01T00:00:00Z");
    let cd = &doc["component-definition"];
    let is_uuid = |v: &Value| {
        let s = v.as_str().unwrap_or_default();
        s.len() == 36 && s.chars().filter(|c| *c == '-').count() == 4
    };
    assert!(is_uuid(&cd["uuid"]));
    let meta = &cd["metadata"];
    for k in ["title", "last-modified", "version", "oscal-version"] {
        assert!(meta[k].is_string(), "metadata.{k}");
    }
    let roles: HashSet<&str> = meta["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let resources: HashSet<String> = cd["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("#{}", r["uuid"].as_str().unwrap()))
        .collect();
    let component = &cd["components"][0];
    assert!(is_uuid(&component["uuid"]));
    assert_eq!(component["type"], "service");
    let mut uuids = HashSet::new();
    let mut controls = 0;
    for ci in component["control-implementations"].as_array().unwrap() {
        assert!(is_uuid(&ci["uuid"]));
        assert!(
            resources.contains(ci["source"].as_str().unwrap()),
            "source resolves in back-matter"
        );
        for req in ci["implemented-requirements"].as_array().unwrap() {
            controls += 1;
            assert!(
                is_uuid(&req["uuid"]) && uuids.insert(req["uuid"].clone()),
                "unique uuid"
            );
            assert!(req["control-id"].is_string());
            assert!(req["description"].as_str().unwrap().contains("Provider:"));
            let statements = req["statements"].as_array().unwrap();
            let parties: HashSet<&str> = statements
                .iter()
                .flat_map(|s| s["responsible-roles"].as_array().unwrap())
                .map(|r| r["role-id"].as_str().unwrap())
                .collect();
            assert_eq!(parties, HashSet::from(["provider", "customer"]));
            assert!(parties.iter().all(|p| roles.contains(p)));
            for s in statements {
                assert!(is_uuid(&s["uuid"]) && uuids.insert(s["uuid"].clone()));
                assert!(!s["description"].as_str().unwrap().is_empty());
            }
            assert!(req["props"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "responsibility"));
        }
    }
    assert_eq!(controls, m.entries().count());
    // Same input, same bytes.
    assert_eq!(doc, report::to_oscal(&cov, "2026-01-01T00:00:00Z"));
}

#[test]
fn cli_matrix_lists_coverage_and_diff_alerts() {
    let env = Env::new();
    let all = env.json(&["matrix"]);
    assert_eq!(all.as_array().unwrap().len(), 2, "one coverage per version");
    let one = env.json(&["matrix", "--version", "2023-05-05"]);
    assert_eq!(one["version"]["id"], "heroku-spa@2023-05-05");
    let linked = one["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["clauses"].as_array().unwrap())
        .next()
        .unwrap();
    for k in [
        "clause_id",
        "entry",
        "source",
        "reason",
        "confidence",
        "sha256",
    ] {
        assert!(!linked[k].is_null(), "{k} in {linked}");
    }
    let text = String::from_utf8(env.cmd().arg("matrix").output().unwrap().stdout).unwrap();
    assert!(text.contains("Physical security [provider]"), "{text}");
    assert!(text.contains("auto 0."), "{text}");

    let d = env.json(&["matrix", "diff", "2016-05-06", "2023-05-05"]);
    assert!(d["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["kind"] == "moved_to_customer"
            && a["entry"]
                .as_str()
                .unwrap()
                .ends_with("/sensitive-regulated-data")));
}

#[test]
fn cli_exports_csv_and_oscal_to_files_without_clobbering() {
    let env = Env::new();
    let out = env.tmp.path().join("m.csv");
    let o = out.to_str().unwrap();
    env.cmd()
        .args(["matrix", "export", "--format", "csv", "--out", o])
        .assert()
        .success();
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "matrix");
    assert_eq!(&headers[13], "clause_id");
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert!(rows
        .iter()
        .any(|r| &r[1] == "physical-security" && r[12].ends_with("2023-05-05")));
    // A second export to the same file is refused without --force...
    let err = env
        .cmd()
        .args(["matrix", "export", "--format", "csv", "--out", o, "--json"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    let e: Value = serde_json::from_slice(&err.stderr).unwrap();
    assert!(e["message"].as_str().unwrap().contains("--force"), "{e}");
    // ...and allowed with it.
    env.cmd()
        .args([
            "matrix", "export", "--format", "oscal", "--out", o, "--force",
        ])
        .assert()
        .success();
    let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        doc["component-definition"]["metadata"]["last-modified"], "2023-11-14T22:13:20Z",
        "SOURCE_DATE_EPOCH sets the time"
    );
    // Same corpus, same epoch: byte-identical output.
    let a = env
        .cmd()
        .args([
            "matrix",
            "export",
            "--format",
            "oscal",
            "--version",
            "2016-05-06",
        ])
        .output()
        .unwrap()
        .stdout;
    let b = env
        .cmd()
        .args([
            "matrix",
            "export",
            "--format",
            "oscal",
            "--version",
            "2016-05-06",
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
    // A directory, or a folder that does not exist, is refused.
    for bad in [
        env.tmp.path().to_path_buf(),
        env.tmp.path().join("nope/m.csv"),
    ] {
        env.cmd()
            .args([
                "matrix",
                "export",
                "--format",
                "csv",
                "--out",
                bad.to_str().unwrap(),
            ])
            .assert()
            .code(2);
    }
}

#[test]
fn manual_links_persist_survive_an_index_rebuild_and_filter_search() {
    let env = Env::new();
    let clause = "heroku-spa@2023-05-05/data-encryption/1";
    let links = env.json(&["link", clause, "usage-analytics"]);
    assert!(links.as_array().unwrap().iter().any(
        |l| l["source"] == "manual" && l["reason"].as_str().unwrap().starts_with("linked by ")
    ));
    // Unlink an automatic link.
    let auto = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["source"] == "auto")
        .unwrap()["entry"]
        .as_str()
        .unwrap()
        .to_string();
    let after = env.json(&["link", clause, &auto, "--unlink"]);
    assert!(after
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["entry"] != auto.as_str()));

    // Throw the index away: the decisions live in the user's database.
    std::fs::remove_dir_all(env.tmp.path().join("cache")).unwrap();
    let hits = env.json(&["search", "encryption", "--entry", "usage-analytics"]);
    let ids: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["clause_id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&clause), "{ids:?}");
    let all = env.json(&["search", "encryption"]);
    let hit = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["clause_id"] == clause)
        .unwrap();
    assert!(hit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e.as_str().unwrap().ends_with("/usage-analytics")));
    assert!(hit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e != auto.as_str()));
    assert!(all["entry_facets"]
        .as_array()
        .unwrap()
        .iter()
        .any(
            |f| f["entry"].as_str().unwrap().ends_with("/usage-analytics")
                && f["count"].as_u64() >= Some(1)
        ));

    // --reset lets the rules decide again.
    let reset = env.json(&["link", clause, &auto, "--reset"]);
    assert!(reset
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["entry"] == auto.as_str()));
    // Unknown entries and clauses are clear errors.
    let out = env
        .cmd()
        .args(["link", clause, "nope", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = env
        .cmd()
        .args(["search", "x", "--entry", "nope", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

/// A search shows each hit's links with the user's decisions, which are
/// read once and kept while the store is unchanged. A decision made
/// anywhere else (the CLI, another window: another connection to the
/// store) must show in the very next search, and so must a store file
/// replaced on disk (restored from a backup, say).
#[test]
fn hits_show_link_decisions_made_elsewhere_at_once() {
    use trustlens::api::{CorpusChoice, LinkRequest, Workspace};
    use trustlens::paths::Dirs;
    use trustlens::search::SearchRequest;
    use trustlens::store::{LinkAction, Store};
    let tmp = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        data: tmp.path().join("data"),
        cache: tmp.path().join("cache"),
    };
    let ws = Workspace::open(dirs.clone(), CorpusChoice::Default).unwrap();
    let req = SearchRequest {
        query: "\"Privacy Shield\"".into(),
        limit: Some(1),
        ..SearchRequest::default()
    };
    let first = |ws: &Workspace| ws.search_hits(&req).unwrap().hits.remove(0);
    let hit = first(&ws);
    let entry = "cloud-shared-responsibility/customer-compliance";
    assert!(
        !hit.entries.iter().any(|e| &**e == entry),
        "{:?}",
        hit.entries
    );

    // Through the workspace itself (its own connection writes).
    ws.set_link(&LinkRequest {
        clause_id: hit.clause_id.clone(),
        entry: entry.into(),
        action: Some(LinkAction::Link),
    })
    .unwrap();
    assert!(first(&ws).entries.iter().any(|e| &**e == entry));

    // Through another connection, as the CLI would.
    let mut other = Store::open(&dirs.store_file()).unwrap();
    other
        .set_link(&hit.clause_id, entry, LinkAction::Unlink)
        .unwrap();
    assert!(!first(&ws).entries.iter().any(|e| &**e == entry));
    other.clear_link(&hit.clause_id, entry).unwrap();
    assert_eq!(first(&ws).entries, hit.entries);

    // A store replaced on disk by one that links the clause.
    drop(other);
    let replacement = tmp.path().join("replacement.db");
    Store::open(&replacement)
        .unwrap()
        .set_link(&hit.clause_id, entry, LinkAction::Link)
        .unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dirs.store_file().display()));
    }
    std::fs::rename(&replacement, dirs.store_file()).unwrap();
    assert!(first(&ws).entries.iter().any(|e| &**e == entry));
}
