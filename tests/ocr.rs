//! PDFs whose text cannot be trusted: pages judged, read by OCR, marked as
//! OCR everywhere a clause is shown or cited, and warned about when they
//! cannot be read — through the CLI, as a user meets it.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::Env;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name)
}

/// `ingest` of a fixture into `corpus`, with `--json` and the given OCR mode.
fn ingest(env: &Env, corpus: &str, file: &str, ocr: &str) -> Value {
    let corpus = env.path(corpus);
    env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "ingest",
        fixture(file).to_str().unwrap(),
        "--vendor",
        "Northwind",
        "--document",
        "Security Overview",
        "--date",
        "2024-03-01",
        "--ocr",
        ocr,
    ])
}

/// Run a command that must succeed; its standard output.
fn succeeds(cmd: &mut assert_cmd::Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn search(env: &Env, corpus: &str, query: &str) -> Value {
    let corpus = env.path(corpus);
    env.json(&["--corpus", corpus.to_str().unwrap(), "search", query])
}

#[test]
fn a_mixed_pdf_is_read_by_ocr_where_its_text_fails_and_every_clause_says_so() {
    let env = Env::new();
    let added = ingest(&env, "corpus", "mixed-2024-03-01.pdf", "auto");
    let pdf = &added["version"]["pdf"];
    assert_eq!(pdf["pages"], 6, "{added}");
    // The scan, the broken font and the sideways scan.
    assert_eq!(pdf["ocr_pages"], 3, "{added}");
    assert!(
        pdf["ocr_engine"].as_str().unwrap().starts_with("tesseract"),
        "{added}"
    );
    let unreadable = pdf["unreadable"].as_array().unwrap();
    assert_eq!(unreadable.len(), 1, "{added}");
    assert_eq!(unreadable[0]["page"], 6);
    assert!(
        unreadable[0]["problem"]
            .as_str()
            .unwrap()
            .contains("damaged"),
        "{added}"
    );

    // Text from the scan (page 2) is found, marked OCR with its confidence.
    let hits = search(&env, "corpus", "multi-factor");
    let hit = &hits["hits"][0];
    assert_eq!(hit["pages"], serde_json::json!([2]), "{hits}");
    assert!(hit["ocr"].as_u64().unwrap() >= 80, "{hits}");
    // Text from the real text layer (page 1) is not.
    let hits = search(&env, "corpus", "analytics");
    assert!(
        hits["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["pages"] == serde_json::json!([1]) && h["ocr"].is_null()),
        "{hits}"
    );
    // The broken font's page (3) reads as words, not as glyph codes.
    let hits = search(&env, "corpus", "subscription");
    assert_eq!(hits["hits"][0]["pages"], serde_json::json!([3]), "{hits}");

    // The plain CLI output and citations say "read by OCR".
    let corpus = env.path("corpus");
    let out = succeeds(env.cmd().args([
        "--corpus",
        corpus.to_str().unwrap(),
        "search",
        "multi-factor",
    ]));
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("p. 2, read by OCR ("), "{text}");

    // Status counts the pages and warns about the one it could not read.
    let status = env.json(&["--corpus", corpus.to_str().unwrap(), "status"]);
    assert_eq!(status["ocr_pages"], 3, "{status}");
    assert_eq!(status["unreadable_pages"], 1, "{status}");
    let warnings = status["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w
            .as_str()
            .unwrap()
            .contains(".pdf: page 6: the page image is damaged")),
        "{status}"
    );
}

#[test]
fn the_plain_report_counts_ocr_pages_and_warns_per_unreadable_page() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let out = succeeds(
        env.cmd()
            .args(["--corpus", corpus.to_str().unwrap(), "ingest"])
            .arg(fixture("mixed-2024-03-01.pdf"))
            .args(["--vendor", "N", "--document", "S", "--date", "2024-03-01"]),
    );
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("3 of 6 pages read by OCR (tesseract"),
        "{text}"
    );
    assert!(
        text.contains("warning: ")
            && text.contains("mixed-2024-03-01.pdf: page 6: the page image is damaged"),
        "{text}"
    );
}

#[test]
fn without_ocr_the_readable_pages_are_recorded_and_the_rest_are_warned_about() {
    let env = Env::new();
    let added = ingest(&env, "corpus", "mixed-2024-03-01.pdf", "never");
    let pdf = &added["version"]["pdf"];
    assert_eq!(pdf["ocr_pages"], 0, "{added}");
    let pages: Vec<u64> = pdf["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["page"].as_u64().unwrap())
        .collect();
    assert_eq!(pages, [2, 3, 4, 5, 6], "{added}");
    assert!(
        pdf["unreadable"][1]["problem"]
            .as_str()
            .unwrap()
            .contains("not language"),
        "{added}"
    );
    assert_eq!(search(&env, "corpus", "analytics")["total"], 1);
    // No glyph-code garbage was recorded as clauses.
    assert_eq!(search(&env, "corpus", "subscription")["total"], 0);
}

#[test]
fn when_ocr_is_not_installed_the_ingest_says_so_and_keeps_the_readable_pages() {
    let env = Env::new();
    // A PATH with nothing on it: neither tesseract nor pdftoppm is found.
    let empty = env.path("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let corpus = env.path("corpus");
    let out = succeeds(
        env.cmd()
            .env("PATH", &empty)
            .args(["--corpus", corpus.to_str().unwrap(), "ingest"])
            .arg(fixture("mixed-2024-03-01.pdf"))
            .args([
                "--vendor",
                "N",
                "--document",
                "S",
                "--date",
                "2024-03-01",
                "--json",
            ]),
    );
    let added: Value = serde_json::from_slice(&out).unwrap();
    let unreadable = added["version"]["pdf"]["unreadable"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(unreadable.len(), 5, "{added}");
    assert!(
        unreadable.iter().all(|p| p["problem"]
            .as_str()
            .unwrap()
            .contains("OCR is not installed")),
        "{added}"
    );
    assert_eq!(search(&env, "corpus", "analytics")["total"], 1);

    // A scan with no readable page at all is refused, saying why.
    let (code, e) = env.fails(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "ingest",
        fixture("scan-2024-03-01.pdf").to_str().unwrap(),
        "--vendor",
        "N",
        "--document",
        "Scan",
        "--date",
        "2024-03-01",
        "--ocr",
        "never",
    ]);
    assert_ne!(code, 0);
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("scan-2024-03-01.pdf")
            && message.contains("no readable text on pages 1–3"),
        "{message}"
    );
}

#[test]
fn ocr_runs_once_at_ingest_and_gives_the_same_clauses_for_the_same_bytes() {
    let env = Env::new();
    let a = ingest(&env, "a", "scan-2024-03-01.pdf", "auto");
    let b = ingest(&env, "b", "scan-2024-03-01.pdf", "auto");
    assert_eq!(a["version"]["pdf"]["ocr_pages"], 3, "{a}");
    assert_eq!(a["version"]["pdf"], b["version"]["pdf"]);
    let pages = |corpus: &str| {
        std::fs::read(env.path(corpus).join(format!(
            "{}/2024-03-01.pages.json",
            a["version"]["document_id"].as_str().unwrap()
        )))
        .unwrap()
    };
    assert_eq!(
        pages("a"),
        pages("b"),
        "the same bytes read twice give the same pages"
    );
    // Opened again with no OCR on the machine, the corpus reads its
    // recorded pages: the clauses, marks and IDs are the ones ingest made.
    let ids = |corpus: &str, path: Option<&PathBuf>| {
        let dir = env.path(corpus);
        let mut cmd = env.cmd();
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        let out = succeeds(cmd.args([
            "--corpus",
            dir.to_str().unwrap(),
            "search",
            "customer",
            "--json",
        ]));
        let v: Value = serde_json::from_slice(&out).unwrap();
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h["clause_id"].as_str().unwrap().to_string(),
                    h["ocr"].as_u64(),
                )
            })
            .collect::<Vec<_>>()
    };
    let empty = env.path("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let first = ids("a", None);
    assert!(
        !first.is_empty() && first.iter().all(|(_, ocr)| ocr.is_some()),
        "{first:?}"
    );
    assert_eq!(ids("a", Some(&empty)), first);
    assert_eq!(ids("b", None), first);
}

#[test]
fn a_changed_pages_file_is_refused_like_a_changed_source() {
    let env = Env::new();
    let a = ingest(&env, "a", "scan-2024-03-01.pdf", "auto");
    let file = env.path("a").join(format!(
        "{}/2024-03-01.pages.json",
        a["version"]["document_id"].as_str().unwrap()
    ));
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Staff", "Nobody");
    std::fs::write(&file, text).unwrap();
    let (code, e) = env.fails(&["--corpus", env.path("a").to_str().unwrap(), "status"]);
    assert_ne!(code, 0);
    let message = e["message"].as_str().unwrap();
    assert!(
        message.contains("pages.json") && message.contains("manifest.toml:"),
        "{message}"
    );
}
