//! Notes and exports as a user meets them through the CLI: add, list, edit,
//! delete; re-anchoring onto a newer version; nothing lost when a writer is
//! killed or when two writers run at once; exports with exact citations that
//! are byte-identical run after run; the change memo.

use crate::common::Env;

use std::io::{BufRead, BufReader};
use std::process::{Command as Std, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const CLAUSE: &str = "heroku-spa@2023-05-05/data-encryption/1";

#[test]
fn notes_round_trip_through_the_cli() {
    let env = Env::new();
    let n = env.json(&[
        "note",
        "add",
        CLAUSE,
        "--text",
        "Check the **key rotation**.",
        "--tag",
        "Crypto",
        "--tag",
        "q3,review",
        "--quote",
        "encryption at rest",
    ]);
    assert_eq!(n["id"], 1);
    assert_eq!(n["author"], "ana");
    assert_eq!(n["status"], "open");
    assert_eq!(n["tags"], serde_json::json!(["crypto", "q3", "review"]));
    assert_eq!(n["quote"]["exact"], "encryption at rest");
    assert!(n["quote"]["start"].as_u64().is_some());
    assert_eq!(n["citation"]["clause_id"], CLAUSE);
    assert_eq!(n["citation"]["sha256"].as_str().unwrap().len(), 64);
    assert!(n["entries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e.as_str().unwrap().ends_with("/encryption-at-rest")));

    env.json(&[
        "note",
        "add",
        "heroku-spa@2023-05-05/physical-security/1",
        "--text",
        "Fine.",
    ]);
    assert_eq!(env.json(&["note", "list"]).as_array().unwrap().len(), 2);
    assert_eq!(
        env.json(&["note", "list", "--tag", "crypto"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.json(&["note", "list", "--entry", "physical-security"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        env.json(&["note", "list", "--version", "2016-05-06"])
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let e = env.json(&[
        "note",
        "edit",
        "1",
        "--status",
        "flagged",
        "--text",
        "Rotation unclear.",
    ]);
    assert_eq!(
        (e["status"].as_str(), e["text"].as_str()),
        (Some("flagged"), Some("Rotation unclear."))
    );
    assert_eq!(
        env.json(&["note", "list", "--status", "flagged"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    env.json(&["note", "rm", "2"]);
    assert_eq!(env.json(&["note", "list"]).as_array().unwrap().len(), 1);

    assert_eq!(
        env.fails(&["note", "add", "nope@2020-01-01/x/1", "--text", "x"])
            .0,
        3
    );
    let (code, e) = env.fails(&[
        "note",
        "add",
        CLAUSE,
        "--text",
        "x",
        "--quote",
        "not in the clause",
    ]);
    assert_eq!(code, 2);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("is not in the text of"),
        "{e}"
    );
    assert_eq!(env.fails(&["note", "add", CLAUSE, "--text", "   "]).0, 2);
    assert_eq!(env.fails(&["note", "edit", "99", "--text", "x"]).0, 3);
    assert_eq!(env.fails(&["note", "rm", "2"]).0, 3);
}

fn manifest_entry(date: &str, file: &str, sha: &str) -> String {
    format!("[[document.version]]\ndate = \"{date}\"\nfile = \"{file}\"\nformat = \"markdown\"\nsha256 = \"{sha}\"\nsource = \"test\"\ncaptured = \"{date}\"\n\n")
}

fn sha256(bytes: &[u8]) -> String {
    trustlens::text::sha256_hex(bytes)
}

#[test]
fn notes_follow_their_clause_into_a_newer_version() {
    let env = Env::new();
    let dir = env.tmp.path().join("corpus");
    std::fs::create_dir_all(dir.join("nimbus")).unwrap();
    let fixtures = format!("{}/tests/fixtures/compare", env!("CARGO_MANIFEST_DIR"));
    let old = std::fs::read(format!("{fixtures}/nimbus-2021-03-01.md")).unwrap();
    let new = std::fs::read(format!("{fixtures}/nimbus-2024-09-15.md")).unwrap();
    std::fs::write(dir.join("nimbus/2021-03-01.md"), &old).unwrap();
    let header = "[[document]]\nid = \"nimbus-dpo\"\nvendor = \"Nimbus Storage\"\ntitle = \"Data Protection Overview\"\n\n";
    std::fs::write(
        dir.join("manifest.toml"),
        format!(
            "{header}{}",
            manifest_entry("2021-03-01", "nimbus/2021-03-01.md", &sha256(&old))
        ),
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let restricted = env.json(&[
        "--corpus",
        d,
        "note",
        "add",
        "nimbus-dpo@2021-03-01/restricted-data/1",
        "--text",
        "Flat ban on card data.",
        "--quote",
        "payment card data",
    ]);
    let support = env.json(&[
        "--corpus",
        d,
        "note",
        "add",
        "nimbus-dpo@2021-03-01/support-access/1",
        "--text",
        "OK.",
        "--status",
        "reviewed",
    ]);
    // A newer version arrives.
    std::fs::write(dir.join("nimbus/2024-09-15.md"), &new).unwrap();
    std::fs::write(
        dir.join("manifest.toml"),
        format!(
            "{header}{}{}",
            manifest_entry("2021-03-01", "nimbus/2021-03-01.md", &sha256(&old)),
            manifest_entry("2024-09-15", "nimbus/2024-09-15.md", &sha256(&new))
        ),
    )
    .unwrap();
    let notes = env.json(&["--corpus", d, "note", "list"]);
    let find = |id: &Value| {
        notes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["id"] == *id)
            .unwrap()
            .clone()
    };
    let r = find(&restricted["id"]);
    assert_eq!(r["clause_id"], "nimbus-dpo@2024-09-15/restricted-data/1");
    assert_eq!(
        r["origin_clause_id"],
        "nimbus-dpo@2021-03-01/restricted-data/1"
    );
    assert_eq!(r["status"], "needs_review");
    let change = r["change"].as_str().unwrap();
    assert!(
        change.contains("modified in nimbus-dpo@2024-09-15") && change.contains("[-must not-]"),
        "{change}"
    );
    assert_eq!(r["quote"]["exact"], "payment card data");
    assert!(
        r["quote"]["start"].as_u64().is_some(),
        "the quote was found again"
    );
    // An unchanged clause: the note moves and keeps its status.
    let s = find(&support["id"]);
    assert_eq!(s["clause_id"], "nimbus-dpo@2024-09-15/support-access/1");
    assert_eq!(s["status"], "reviewed");
    assert!(s["change"].is_null());
    // Reviewing clears the change.
    let e = env.json(&[
        "--corpus",
        d,
        "note",
        "edit",
        &r["id"].to_string(),
        "--status",
        "reviewed",
    ]);
    assert!(e["change"].is_null());
}

/// The child half of `killing_a_writer_loses_no_committed_note`: adds notes
/// in a loop and prints each number once its transaction has committed.
#[test]
fn note_writer_child() {
    let Ok(db) = std::env::var("TRUSTLENS_TEST_WRITER_DB") else {
        return;
    };
    let mut store = trustlens::store::Store::open(std::path::Path::new(&db)).unwrap();
    let new = trustlens::notes::NewNote {
        clause_id: CLAUSE.into(),
        text: "written by the child ".repeat(20),
        tags: vec!["stress".into()],
        quote: None,
        status: None,
    };
    loop {
        let n = store
            .add_note(
                &new,
                trustlens::notes::Anchored {
                    clause_id: CLAUSE.into(),
                    clause_sha256: "0".repeat(64),
                    quote: None,
                },
            )
            .unwrap();
        println!("{}", n.id);
    }
}

#[test]
fn killing_a_writer_loses_no_committed_note() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("trustlens.db");
    let mut committed: Vec<i64> = Vec::new();
    let trials = 20;
    for trial in 0..trials {
        let mut child = Std::new(std::env::current_exe().unwrap())
            .args([
                "notes::note_writer_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("TRUSTLENS_TEST_WRITER_DB", &db)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|l| l.trim().parse::<i64>().ok())
                .collect::<Vec<_>>()
        });
        // Kill at a different moment each time: mid-transaction sometimes.
        std::thread::sleep(Duration::from_millis(150 + 37 * trial));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        committed.extend(reader.join().unwrap());
    }
    assert!(
        committed.len() > trials as usize,
        "the writer wrote: {}",
        committed.len()
    );
    let store = trustlens::store::Store::open(&db).unwrap();
    let ids: std::collections::HashSet<i64> = store.notes().unwrap().iter().map(|n| n.id).collect();
    for id in &committed {
        assert!(ids.contains(id), "note {id} was committed, then lost");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn two_writers_at_once_lose_nothing() {
    let env = Env::new();
    // Create the store first so that both writers find it.
    env.json(&["note", "add", CLAUSE, "--text", "first"]);
    let spawn = |tag: &str| {
        let mut children = Vec::new();
        for i in 0..8 {
            let mut c = Std::new(assert_cmd::cargo::cargo_bin("trustlens"));
            c.args([
                "note",
                "add",
                CLAUSE,
                "--text",
                &format!("{tag} {i}"),
                "--tag",
                tag,
            ])
            .env("TRUSTLENS_DATA_DIR", env.tmp.path().join("data"))
            .env("TRUSTLENS_CACHE_DIR", env.tmp.path().join("cache"))
            .stdout(Stdio::null());
            children.push(c.spawn().unwrap());
        }
        children
    };
    let started = Instant::now();
    let mut all = spawn("a");
    all.extend(spawn("b"));
    for mut c in all {
        assert!(c.wait().unwrap().success());
    }
    let _ = started;
    let notes = env.json(&["note", "list"]);
    assert_eq!(notes.as_array().unwrap().len(), 17);
}

#[test]
fn exports_cite_exactly_and_are_byte_identical() {
    let env = Env::new();
    env.json(&[
        "note",
        "add",
        CLAUSE,
        "--text",
        "Needs <b>follow-up</b>",
        "--tag",
        "crypto",
        "--quote",
        "encryption at rest",
    ]);
    env.json(&[
        "note",
        "add",
        "heroku-spa@2023-05-05/physical-security/1",
        "--text",
        "Fine.",
        "--tag",
        "phys",
    ]);
    for format in ["md", "html", "csv", "json"] {
        let run = || {
            let out = env
                .cmd()
                .args(["export", "--format", format, "--tag", "crypto"])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let (a, b) = (run(), run());
        assert_eq!(a, b, "{format} is reproducible");
        let text = String::from_utf8(a).unwrap();
        assert!(text.contains(CLAUSE), "{format}: clause id");
        assert!(
            text.contains("2023-11-14T22:13:20Z"),
            "{format}: SOURCE_DATE_EPOCH time"
        );
        assert!(text.contains("content key"), "{format}: which corpus");
        assert!(
            !text.contains("physical-security/1"),
            "{format}: only the selection"
        );
        if format == "html" {
            assert!(
                !text.contains("<b>follow-up</b>") && text.contains("&lt;b&gt;follow-up"),
                "note text stays text"
            );
            assert!(text.contains("<mark>encryption at rest</mark>"));
        }
    }
    let json = env.json(&["export", "--format", "json"]);
    let ex = &json["excerpts"][0];
    for k in [
        "vendor",
        "document",
        "version",
        "date",
        "section",
        "pages",
        "clause_id",
        "sha256",
    ] {
        assert!(!ex["citation"][k].is_null(), "citation.{k}");
    }
    // The citation's hash is the hash of the clause as `show` gives it.
    let shown = env.json(&["show", CLAUSE]);
    assert_eq!(ex["citation"]["sha256"], shown["clause"]["sha256"]);

    // Search results and change cards export too.
    let s = env.json(&[
        "export",
        "--format",
        "json",
        "--query",
        "\"Privacy Shield\"",
    ]);
    assert!(s["excerpts"].as_array().unwrap().len() >= 2);
    let c = env.json(&[
        "export",
        "--format",
        "json",
        "--changes",
        "2016-05-06",
        "2023-05-05",
    ]);
    assert!(c["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["card"]["kind"] == "framework_replaced"));

    // --out: atomic, no clobbering without --force.
    let out = env.tmp.path().join("notes.md");
    let o = out.to_str().unwrap();
    env.cmd().args(["export", "--out", o]).assert().success();
    assert_eq!(env.fails(&["export", "--out", o]).0, 2);
    env.cmd()
        .args(["export", "--out", o, "--force"])
        .assert()
        .success();
    assert_eq!(
        env.fails(&[
            "export",
            "--out",
            "../../../../../../../../nonexistent-dir/x.md"
        ])
        .0,
        2
    );
}

#[test]
fn the_change_memo_gathers_cards_redlines_notes_and_alerts() {
    let env = Env::new();
    env.json(&[
        "note",
        "add",
        "heroku-spa@2023-05-05/audits-and-certifications/8",
        "--text",
        "Privacy Shield is invalid since 2020.",
        "--tag",
        "transfers",
    ]);
    let md = String::from_utf8(
        env.cmd()
            .args(["export", "memo", "2016-05-06", "2023-05-05"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for needle in [
        "# Change memo: Heroku (Salesforce)",
        "## Regulatory flags",
        "## Responsibility-shift alerts",
        "## Changes (",
        "Redline: ",
        "Privacy Shield is invalid since 2020.",
        "matrix: ",
        "sha256 ",
    ] {
        assert!(md.contains(needle), "memo lacks {needle:?}");
    }
    let html = String::from_utf8(
        env.cmd()
            .args([
                "export",
                "memo",
                "2016-05-06",
                "2023-05-05",
                "--format",
                "html",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        html.starts_with("<!doctype html>") && html.contains("<del>") && html.contains("<ins>")
    );
    assert!(!html.contains("<script"));
    assert_eq!(
        env.fails(&[
            "export",
            "memo",
            "2016-05-06",
            "2023-05-05",
            "--format",
            "csv"
        ])
        .0,
        2
    );
}
