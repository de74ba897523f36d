//! The `trustlens` CLI as a user runs it: from any directory, JSON output
//! shapes, exit codes, `{code, message}` errors, ingest and the index cache.

use crate::common::Env;

use std::path::Path;

use serde_json::Value;

#[test]
fn versions_lists_both_heroku_versions_with_ids_usable_elsewhere() {
    let env = Env::new();
    let v = env.json(&["versions"]);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for (item, date) in list.iter().zip(["2016-05-06", "2023-05-05"]) {
        assert_eq!(item["date"], date);
        assert_eq!(item["vendor"], "Heroku (Salesforce)");
        assert_eq!(item["document"], "Security, Privacy and Architecture");
        assert_eq!(item["id"], format!("heroku-spa@{date}"));
        assert!(item["clause_count"].as_u64().unwrap() > 20);
        assert_eq!(item["sha256"].as_str().unwrap().len(), 64);
        assert!(!item["provenance"]["source"].as_str().unwrap().is_empty());
    }
    // The ID works as a search filter.
    let r = env.json(&[
        "search",
        "encryption",
        "--version",
        list[0]["id"].as_str().unwrap(),
    ]);
    assert!(r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["version"] == list[0]["id"]));
}

#[test]
fn search_json_has_the_documented_fields() {
    let env = Env::new();
    let r = env.json(&["search", "\"Privacy Shield\"", "--limit", "3"]);
    let hits = r["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3);
    for key in [
        "clause_id",
        "version",
        "date",
        "section",
        "text",
        "snippet",
        "score",
        "pages",
        "kind",
    ] {
        assert!(hits[0].get(key).is_some(), "missing {key}: {}", hits[0]);
    }
    assert_eq!(hits[0]["date"], "2023-05-05");
    assert!(r["total"].as_u64().unwrap() >= hits.len() as u64);
    assert_eq!(r["facets"][0]["version"], "heroku-spa@2023-05-05");
}

#[test]
fn a_malformed_query_exits_2_with_code_and_message() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["search", "\"unclosed", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "bad_query");
    assert!(err["message"].as_str().unwrap().contains("unclosed"));
    assert_eq!(err.as_object().unwrap().len(), 2);

    let out = env
        .cmd()
        .args(["search", "nosuchfield:x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("trustlens: invalid query: unknown field \"nosuchfield\""),
        "{stderr}"
    );
}

#[test]
fn show_gives_the_clause_with_its_section() {
    let env = Env::new();
    let v = env.json(&["show", "heroku-spa@2023-05-05/data-encryption/1"]);
    assert_eq!(
        v["clause"]["section"].as_array().unwrap().last().unwrap(),
        "Data Encryption"
    );
    assert!(v["clause"]["text"]
        .as_str()
        .unwrap()
        .contains("encryption at rest"));
    assert_eq!(v["version"]["date"], "2023-05-05");
    assert!(!v["context"].as_array().unwrap().is_empty());

    let out = env
        .cmd()
        .args(["show", "heroku-spa@2023-05-05/nope/9", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn ingest_into_a_corpus_directory_then_search_it() {
    let env = Env::new();
    let src = env.path("acme-2024.txt");
    std::fs::write(&src, "ACME Cloud Security Overview\nEncryption\nAll customer data is encrypted at rest using AES-256 and keys are rotated every\n90 days by the ACME key management service.\n").unwrap();
    let dir = env.path("my-corpus");
    let dir_s = dir.to_str().unwrap();
    let added = env.json(&[
        "--corpus",
        dir_s,
        "ingest",
        src.to_str().unwrap(),
        "--vendor",
        "ACME",
        "--document",
        "Cloud Security",
        "--date",
        "2024-03-01",
    ]);
    assert_eq!(added["added"], true);
    assert_eq!(added["version"]["id"], "acme-cloud-security@2024-03-01");
    assert_eq!(added["version"]["format"], "pdf-text");

    let r = env.json(&["--corpus", dir_s, "search", "rotated"]);
    assert_eq!(r["hits"][0]["version"], "acme-cloud-security@2024-03-01");
    assert!(r["hits"][0]["text"]
        .as_str()
        .unwrap()
        .contains("every 90 days"));
    assert_eq!(
        env.json(&["--corpus", dir_s, "versions"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Again with the same bytes: nothing changes.
    let again = env.json(&[
        "--corpus",
        dir_s,
        "ingest",
        src.to_str().unwrap(),
        "--vendor",
        "ACME",
        "--document",
        "Cloud Security",
        "--date",
        "2024-03-01",
    ]);
    assert_eq!(again["added"], false);
}

#[test]
fn ingest_without_corpus_adds_to_the_users_corpus_beside_the_bundled_one() {
    let env = Env::new();
    let src = env.path("heroku-2025.md");
    std::fs::write(&src, "# Heroku Security\n\n## Data Encryption\n\nAll Heroku Postgres plans include encryption at rest.\n").unwrap();
    let added = env.json(&[
        "ingest",
        src.to_str().unwrap(),
        "--vendor",
        "Heroku (Salesforce)",
        "--document",
        "heroku-spa",
        "--date",
        "2025-01-15",
    ]);
    assert_eq!(added["version"]["id"], "heroku-spa@2025-01-15");
    let versions = env.json(&["versions"]);
    assert_eq!(versions.as_array().unwrap().len(), 3);
    let r = env.json(&["search", "\"all heroku postgres plans\""]);
    assert_eq!(r["hits"][0]["version"], "heroku-spa@2025-01-15");

    // A date the bundled corpus already has is refused, and nothing is written.
    let out = env
        .cmd()
        .args([
            "ingest",
            src.to_str().unwrap(),
            "--vendor",
            "x",
            "--document",
            "heroku-spa",
            "--date",
            "2016-05-06",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(env.json(&["versions"]).as_array().unwrap().len(), 3);
}

#[test]
fn ingest_errors_name_the_file() {
    let env = Env::new();
    let src = env.path("scan.pdf");
    std::fs::write(&src, b"%PDF-1.7\n\x00\x01\x02").unwrap();
    let out = env
        .cmd()
        .args([
            "ingest",
            src.to_str().unwrap(),
            "--vendor",
            "V",
            "--document",
            "D",
            "--date",
            "2024-01-01",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "ingest");
    // A .pdf is read as a PDF now: a truncated one is refused, naming the file.
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("scan.pdf") && message.contains("PDF"),
        "{message}"
    );

    let out = env
        .cmd()
        .args([
            "ingest",
            src.to_str().unwrap(),
            "--vendor",
            "V",
            "--document",
            "D",
            "--date",
            "2024-1-1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn index_files(cache: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for d in std::fs::read_dir(cache.join("index")).unwrap().flatten() {
        for f in std::fs::read_dir(d.path()).unwrap().flatten() {
            out.push(f.path());
        }
    }
    out
}

#[test]
fn the_index_is_cached_and_a_corrupt_one_is_rebuilt() {
    let env = Env::new();
    assert_eq!(env.json(&["status"])["index"], "built");
    assert_eq!(env.json(&["status"])["index"], "reused from cache");

    // Scramble every file of the cached index.
    for f in index_files(&env.path("cache")) {
        let len = std::fs::metadata(&f).unwrap().len() as usize;
        std::fs::write(&f, vec![0xA5; len.min(64)]).unwrap();
    }
    let status = env.json(&["status"]);
    assert!(
        status["index"].as_str().unwrap().starts_with("rebuilt ("),
        "{status}"
    );
    // And search works again.
    assert!(env.json(&["search", "harbor"])["total"].as_u64().unwrap() >= 1);
}

#[test]
fn a_missing_corpus_directory_is_a_clear_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--corpus", "/nonexistent/corpus", "versions", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "corpus");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/corpus"));
}

#[test]
fn diff_prints_changes_and_alignment_as_json_markdown_and_html() {
    let env = Env::new();
    let d = env.json(&["diff", "heroku-spa@2016-05-06", "heroku-spa@2023-05-05"]);
    let changes = d["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["kind"] == "framework_replaced"));
    for key in [
        "kind",
        "summary",
        "severity",
        "direction",
        "before",
        "after",
    ] {
        assert!(changes[0].get(key).is_some(), "card lacks {key}");
    }
    let alignment = d["alignment"].as_array().unwrap();
    assert!(alignment
        .iter()
        .any(|p| p["status"] == "modified" && !p["redline"].as_array().unwrap().is_empty()));

    let md = env
        .cmd()
        .args(["diff", "2016-05-06", "2023-05-05", "--format", "md"])
        .output()
        .unwrap();
    assert!(md.status.success());
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.starts_with("# What changed: Heroku (Salesforce)") && md.contains("## Redline"));
    let html = env
        .cmd()
        .args(["diff", "2016-05-06", "2023-05-05", "--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(
        html.starts_with("<!doctype html>") && html.contains("<del>") && !html.contains("<script")
    );

    let out = env
        .cmd()
        .args(["diff", "2016-05-06", "1999-01-01", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn versions_flag_frameworks_the_timeline_invalidated() {
    let env = Env::new();
    let text = String::from_utf8(env.cmd().arg("versions").output().unwrap().stdout).unwrap();
    assert!(
        text.contains("! relies on EU-US Safe Harbor (1 clause), already invalid on this version's date (2016-05-06)"),
        "{text}"
    );
    let v = env.json(&["versions"]);
    assert_eq!(v[1]["flags"][0]["framework"], "EU-US Privacy Shield");
    assert_eq!(v[1]["flags"][0]["event"]["date"], "2020-07-16");
    assert_eq!(v[1]["flags"][0]["status"], "invalid_at_version_date");
    let md = String::from_utf8(
        env.cmd()
            .args(["diff", "2016-05-06", "2023-05-05", "--format", "md"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(md.contains("## Regulatory flags"), "{md}");
}

/// A corpus directory of one version that names Safe Harbor, dated before
/// the invalidation: flagged "invalid now" with the bundled timeline, and a
/// broken timeline of its own switches flags off with a warning, not an error.
#[test]
fn a_corpus_timeline_is_read_and_a_broken_one_is_a_warning() {
    let env = Env::new();
    let src = env.path("acme.md");
    std::fs::write(
        &src,
        "# Privacy\n\nACME self-certifies to the EU-US Safe Harbor framework.\n",
    )
    .unwrap();
    let dir = env.path("corpus");
    let dir_s = dir.to_str().unwrap();
    env.json(&[
        "--corpus",
        dir_s,
        "ingest",
        src.to_str().unwrap(),
        "--vendor",
        "ACME",
        "--document",
        "Privacy",
        "--date",
        "2014-02-01",
    ]);
    let v = env.json(&["--corpus", dir_s, "versions"]);
    assert_eq!(v[0]["flags"][0]["status"], "invalid_now");

    std::fs::write(
        dir.join("timeline.toml"),
        "[[event]]\ndate = \"2015-10-06\"\nframework = \"Safe Harbour\"\neffect = \"invalidated\"\ntitle = \"x\"\n",
    )
    .unwrap();
    let status = env.json(&["--corpus", dir_s, "status"]);
    let warning = status["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("timeline.toml:3: framework \"Safe Harbour\" is not in the lexicon"),
        "{warning}"
    );
    assert!(warning.contains("regulatory flags are off"), "{warning}");
    let v = env.json(&["--corpus", dir_s, "versions"]);
    assert_eq!(v[0]["flags"], serde_json::json!([]));
}

#[test]
fn html_pages_ingest_main_content_and_bad_pdfs_are_refused_clearly() {
    let env = Env::new();
    let page = env.path("trust.html");
    std::fs::write(
        &page,
        "<html><body><nav>Home | Pricing</nav><main><h1>Security</h1><p>Customer data is encrypted at rest with AES-256.</p><script>alert(1)</script></main><footer>Copyright</footer></body></html>",
    )
    .unwrap();
    let dir = env.path("c");
    let d = dir.to_str().unwrap();
    let added = env.json(&[
        "--corpus",
        d,
        "ingest",
        page.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Trust Center",
        "--date",
        "2025-01-01",
    ]);
    assert_eq!(added["version"]["format"], "html");
    let hits = env.json(&["--corpus", d, "search", "encrypted"]);
    assert_eq!(hits["total"], 1);
    assert!(env.json(&["--corpus", d, "search", "pricing"])["hits"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(env.json(&["--corpus", d, "search", "alert"])["hits"]
        .as_array()
        .unwrap()
        .is_empty());

    let pdf = env.path("broken.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    )
    .unwrap();
    let out = env
        .cmd()
        .args([
            "--corpus",
            d,
            "ingest",
            pdf.to_str().unwrap(),
            "--vendor",
            "Acme",
            "--document",
            "Trust Center",
            "--date",
            "2025-02-01",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(e["message"].as_str().unwrap().contains("broken.pdf"), "{e}");
    // Nothing was added; the corpus still opens.
    assert_eq!(
        env.json(&["--corpus", d, "versions"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
