//! Importing as users do: folders of dated files, one file's git history,
//! real PDF files (made by `tests/fixtures/pdf/make_pdf.py`), hostile PDFs
//! that crash a reader, cancellation part-way, and a corpus of many
//! documents and versions whose index is updated, not rebuilt.

use crate::common::Env;

use std::path::{Path, PathBuf};
use std::process::Command as Std;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use trustlens::api::{self, CorpusChoice, Workspace};
use trustlens::import::{self, ImportRequest};
use trustlens::paths::Dirs;
use trustlens::search::SearchRequest;

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn version_ids(env: &Env, corpus: &Path) -> Vec<String> {
    env.json(&["--corpus", corpus.to_str().unwrap(), "versions"])
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_folder_of_dated_files_becomes_versions_and_reimporting_changes_nothing() {
    let env = Env::new();
    let docs = env.path("downloads");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(
        fixture("compare/nimbus-2021-03-01.md"),
        docs.join("nimbus-2021-03-01.md"),
    )
    .unwrap();
    // A date in the front matter, no date in the name.
    let later = std::fs::read_to_string(fixture("compare/nimbus-2024-09-15.md")).unwrap();
    write(
        &docs.join("sub/nimbus-latest.md"),
        &format!("---\ntitle: Nimbus Security\ndate: 2024-09-15\n---\n{later}"),
    );
    write(&docs.join("notes.md"), "# Our own notes\n\nNot dated.\n");
    write(
        &docs.join(".hidden-2020-01-01.md"),
        "# Hidden\n\nIgnored.\n",
    );
    write(&docs.join("image-2020-01-01.png"), "not a document");
    let corpus = env.path("corpus");
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a = vec![
            "--corpus".to_string(),
            corpus.display().to_string(),
            "import".into(),
            docs.display().to_string(),
            "--vendor".into(),
            "Nimbus".into(),
            "--document".into(),
            "Security Overview".into(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };

    // --dry-run shows what was detected and writes nothing.
    let plan = env.json(
        &args(&["--dry-run"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    let plan = plan.as_array().unwrap();
    assert_eq!(plan.len(), 3, "{plan:?}");
    assert_eq!(plan[0]["date"], "2021-03-01");
    assert_eq!(plan[0]["date_source"], "file_name");
    assert_eq!(plan[1]["date"], "2024-09-15");
    assert_eq!(plan[1]["date_source"], "front_matter");
    assert_eq!(plan[1]["title"], "Nimbus Security");
    assert_eq!(plan[2]["date_source"], "missing");
    assert!(plan[2]["skip"].as_str().unwrap().contains("--date"));
    assert!(!corpus.exists(), "a dry run wrote the corpus");

    let report = env.json(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(report["skipped"], 1);
    assert_eq!(report["failed"], 0);
    assert_eq!(
        version_ids(&env, &corpus),
        [
            "nimbus-security-overview@2021-03-01",
            "nimbus-security-overview@2024-09-15"
        ]
    );

    // The same bytes again: nothing changes, and the manifest is untouched.
    let manifest = std::fs::read(corpus.join("manifest.toml")).unwrap();
    let again = env.json(&args(&[]).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(again["added"], 0);
    assert_eq!(again["unchanged"], 2);
    assert_eq!(
        std::fs::read(corpus.join("manifest.toml")).unwrap(),
        manifest
    );

    // The two versions compare.
    let diff = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "diff",
        "nimbus-security-overview@2021-03-01",
        "nimbus-security-overview@2024-09-15",
    ]);
    assert!(!diff["changes"].as_array().unwrap().is_empty());
}

#[test]
fn import_refuses_what_it_cannot_do_with_clear_errors() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let c = corpus.to_str().unwrap();
    let base = ["--corpus", c, "import", "--vendor", "V", "--document", "D"];
    let run = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        env.fails(&a)
    };
    write(&env.path("a/one-2024-01-01.md"), "# A\n\nText.\n");
    write(&env.path("a/two-2024-02-01.md"), "# A\n\nMore text.\n");
    let a = env.path("a");
    let a = a.to_str().unwrap();

    let (code, e) = run(&[a, "--date", "2024-05-05"]);
    assert_eq!(code, 2, "{e}");
    assert!(e["message"].as_str().unwrap().contains("one file"), "{e}");

    let (code, e) = run(&["/nonexistent/folder"]);
    assert_eq!(code, 1, "{e}");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("/nonexistent/folder"));

    write(&env.path("empty/readme.rst"), "not a document type");
    let (code, e) = run(&[env.path("empty").to_str().unwrap()]);
    assert_eq!(code, 2, "{e}");
    assert!(
        e["message"].as_str().unwrap().contains("no documents"),
        "{e}"
    );

    let (code, e) = run(&[
        "--git-file",
        env.path("a/one-2024-01-01.md").to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("not in a git repository"),
        "{e}"
    );

    // A binary file named .md fails on its own; the good file still goes in.
    std::fs::write(
        env.path("a/three-2024-03-01.md"),
        [0u8, 159, 146, 150, 0, 1],
    )
    .unwrap();
    let out = env.cmd().args(base).arg(a).arg("--json").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(report["failed"], 1);
    let failed = &report["outcomes"][2];
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .contains("three-2024-03-01.md"),
        "{failed}"
    );
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "import");
}

pub(crate) fn git(repo: &Path, args: &[&str], date: &str) {
    let out = Std::new("git")
        .arg("-C")
        .arg(repo)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "Ana")
        .env("GIT_AUTHOR_EMAIL", "ana@example.invalid")
        .env("GIT_COMMITTER_NAME", "Ana")
        .env("GIT_COMMITTER_EMAIL", "ana@example.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", repo)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_commit_of_a_file_in_git_becomes_a_version_dated_by_the_commit() {
    let env = Env::new();
    let repo = env.path("policies");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], "2022-01-01T10:00:00Z");
    let policy = |n: u32| {
        format!(
            "# Data Policy\n\n## Retention\n\nWe delete customer data within {n} days of cancellation.\n\n## Encryption\n\nAll data is encrypted at rest.\n"
        )
    };
    write(&repo.join("data-policy.md"), &policy(90));
    write(&repo.join("other.md"), "# Other\n\nUnrelated.\n");
    git(&repo, &["add", "."], "2022-01-10T09:00:00Z");
    git(
        &repo,
        &["commit", "-q", "-m", "first"],
        "2022-01-10T09:00:00Z",
    );
    // Two commits on one day: the day's last one is that day's version.
    write(&repo.join("data-policy.md"), &policy(60));
    git(
        &repo,
        &["commit", "-qam", "tighten"],
        "2023-03-05T09:00:00Z",
    );
    write(&repo.join("data-policy.md"), &policy(30));
    git(
        &repo,
        &["commit", "-qam", "tighten more"],
        "2023-03-05T17:00:00Z",
    );
    write(&repo.join("other.md"), "# Other\n\nStill unrelated.\n");
    git(
        &repo,
        &["commit", "-qam", "other file only"],
        "2023-06-01T09:00:00Z",
    );
    // Renamed later: the history follows it.
    git(
        &repo,
        &["mv", "data-policy.md", "retention.md"],
        "2024-01-01T09:00:00Z",
    );
    git(&repo, &["commit", "-qm", "rename"], "2024-01-01T09:00:00Z");
    write(&repo.join("retention.md"), &policy(14));
    git(
        &repo,
        &["commit", "-qam", "two weeks"],
        "2024-02-02T09:00:00Z",
    );

    let corpus = env.path("corpus");
    let report = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "import",
        "--git-file",
        repo.join("retention.md").to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Data Policy",
    ]);
    let outcomes = report["outcomes"].as_array().unwrap();
    let summary: Vec<(String, String)> = outcomes
        .iter()
        .map(|o| {
            (
                o["date"].as_str().unwrap().to_string(),
                o["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2022-01-10".into(), "added".into()),
            ("2023-03-05".into(), "skipped".into()),
            ("2023-03-05".into(), "added".into()),
            ("2024-01-01".into(), "unchanged".into()),
            ("2024-02-02".into(), "added".into()),
        ],
        "{report}"
    );
    // The renaming commit did not change the text: it is not a new version.
    assert!(
        outcomes[3]["message"]
            .as_str()
            .unwrap()
            .contains("2023-03-05"),
        "{report}"
    );
    let ids = version_ids(&env, &corpus);
    assert!(
        ids.contains(&"acme-data-policy@2023-03-05".to_string()),
        "{ids:?}"
    );
    let show = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "search",
        "\"within 30 days\"",
    ]);
    assert_eq!(show["hits"][0]["date"], "2023-03-05", "{show}");
    let manifest = std::fs::read_to_string(corpus.join("manifest.toml")).unwrap();
    assert!(manifest.contains("source = \"git:"), "{manifest}");
}

#[test]
fn a_real_pdf_imports_with_pages_and_without_its_running_header_and_footer() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let report = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "import",
        fixture("pdf/northwind-security-2024-03-01.pdf")
            .to_str()
            .unwrap(),
        "--vendor",
        "Northwind Data",
        "--document",
        "Security Overview",
    ]);
    assert_eq!(report["added"], 1, "{report}");
    let id = "northwind-data-security-overview@2024-03-01";
    let hits = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "search",
        "\"72 hours\"",
    ]);
    let hit = &hits["hits"][0];
    assert_eq!(hit["version"], id, "{hits}");
    assert_eq!(hit["pages"], serde_json::json!([2]), "{hit}");
    assert_eq!(hit["section"][0], "4. Incident Response", "{hit}");
    // "encryp-" + "tion" across a line break is one word again.
    assert!(
        env.json(&[
            "--corpus",
            corpus.to_str().unwrap(),
            "search",
            "\"and encryption between\""
        ])["total"]
            == 1
    );
    // The running header and footer are not clauses.
    for noise in ["\"Security Overview\"", "Confidential"] {
        let r = env.json(&["--corpus", corpus.to_str().unwrap(), "search", noise]);
        assert_eq!(r["total"], 0, "{noise}: {r}");
    }
    let bullets = env.json(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "search",
        "least-privilege",
    ]);
    assert_eq!(bullets["hits"][0]["kind"], "list_item", "{bullets}");
}

#[test]
fn encrypted_scanned_and_reader_crashing_pdfs_are_clear_errors_and_nothing_is_written() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let good = std::fs::read(fixture("pdf/northwind-security-2024-03-01.pdf")).unwrap();
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2);
    std::fs::write(env.path("truncated-2024-03-01.pdf"), &truncated).unwrap();

    let cases = [
        (fixture("pdf/encrypted-2024-03-01.pdf"), "encrypted"),
        (
            fixture("pdf/scanned-2024-03-01.pdf"),
            "no readable text on pages 1–3",
        ),
        // A form that draws itself: the reader recurses until the stack
        // overflows and its process aborts — the helper process, not this one.
        (
            fixture("pdf/selfdrawing-2024-03-01.pdf"),
            "the PDF reader crashed on this file",
        ),
        (
            env.path("truncated-2024-03-01.pdf"),
            "truncated-2024-03-01.pdf",
        ),
    ];
    for (file, expected) in cases {
        let out = env
            .cmd()
            .args(["--corpus", corpus.to_str().unwrap(), "import"])
            .arg(&file)
            .args(["--vendor", "V", "--document", "D", "--json"])
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", file.display());
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let message = report["outcomes"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains(expected), "{}: {message}", file.display());
        assert!(
            message.contains(file.file_name().unwrap().to_str().unwrap()),
            "{message}"
        );
    }
    assert!(
        !corpus.join("manifest.toml").exists(),
        "nothing may be written for a PDF that cannot be read"
    );
}

#[test]
fn cancelling_an_import_keeps_the_versions_before_it_and_a_valid_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    for (i, date) in ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01"]
        .iter()
        .enumerate()
    {
        write(
            &docs.join(format!("acme-{date}.md")),
            &trustlens_synth::document(i as u64 + 1, 1),
        );
    }
    let corpus = tmp.path().join("corpus");
    let req = ImportRequest {
        paths: vec![docs],
        vendor: "Acme".into(),
        document: "Overview".into(),
        captured: "2026-01-01".into(),
        ..Default::default()
    };
    let candidates = import::plan(&req).unwrap();
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let report = import::run(
        &corpus,
        &req,
        &candidates,
        &|_| Ok(()),
        &mut |p| {
            seen.push((p.done, p.total));
            // The user presses Stop while the second version is being read.
            if p.done == 1 {
                cancel.store(true, Ordering::Relaxed);
            }
        },
        &cancel,
    );
    assert!(report.cancelled);
    assert_eq!(report.added, 2, "{report:?}");
    assert_eq!(seen, [(0, 4), (1, 4)]);
    let opened = trustlens::corpus::Corpus::open_dir(&corpus).unwrap();
    assert_eq!(opened.versions.len(), 2);
}

/// The scale the issue names, generated: one document in 50 versions and
/// 100 documents of their own. The corpus opens, searches "as of" a date and
/// across versions, and adding one more version updates the index instead of
/// rebuilding it.
#[test]
fn fifty_versions_and_a_hundred_documents_import_index_and_search() {
    let tmp = tempfile::tempdir().unwrap();
    let many = tmp.path().join("many-versions");
    let mut text = trustlens_synth::document(7, 1);
    for i in 0..50u64 {
        let date = format!("{}-{:02}-01", 2020 + i / 12, i % 12 + 1);
        // Every version differs (a generated revision can leave a short
        // document as it was, and the same text is not a new version).
        write(
            &many.join(format!("policy-{date}.md")),
            &format!("{text}\n\nThis version took effect on {date}.\n"),
        );
        text = trustlens_synth::revise(i + 100, &text, 0.1);
    }
    let dirs = Dirs {
        data: tmp.path().join("data"),
        cache: tmp.path().join("cache"),
    };
    let corpus = tmp.path().join("corpus");
    let import = |path: PathBuf, vendor: &str, document: &str| {
        let req = ImportRequest {
            paths: vec![path],
            vendor: vendor.into(),
            document: document.into(),
            captured: "2026-01-01".into(),
            ..Default::default()
        };
        api::import(
            &dirs,
            Some(&corpus),
            &req,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap()
    };
    let report = import(many, "Acme", "Policy");
    assert_eq!(report.added, 50, "{report:?}");
    for d in 0..100u64 {
        let file = tmp.path().join(format!("vendors/doc-{d}-2024-05-01.md"));
        write(
            &file,
            &format!(
                "# Vendor {d} overview\n\nVendor{d} keeps backups in region {d}.\n\n{}",
                trustlens_synth::document(1000 + d, 1)
            ),
        );
        assert_eq!(import(file, &format!("Vendor {d}"), "Overview").added, 1);
    }

    let ws = Workspace::open(dirs.clone(), CorpusChoice::Dir(corpus.clone())).unwrap();
    assert_eq!(ws.corpus.versions.len(), 150);
    let results = ws
        .search(&SearchRequest {
            query: "vendor42".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(results.total, 1);
    assert_eq!(&*results.hits[0].vendor, "Vendor 42");
    let as_of = ws
        .search(&SearchRequest {
            query: "customer".into(),
            as_of: Some("2021-06-15".into()),
            limit: Some(200),
            ..Default::default()
        })
        .unwrap();
    assert!(as_of.total > 0);
    assert!(
        as_of.hits.iter().all(|h| &*h.date == "2021-06-01"),
        "as of 2021-06-15 only the version of 2021-06-01 counts"
    );
    drop(ws);

    // One more version: the index takes in that version only.
    let file = tmp.path().join("policy-2024-06-01.md");
    write(&file, &trustlens_synth::revise(999, &text, 0.2));
    import(file, "Acme", "Policy");
    let ws = Workspace::open(dirs, CorpusChoice::Dir(corpus)).unwrap();
    assert_eq!(
        ws.status().index,
        "updated (indexed acme-policy@2024-06-01)",
        "adding a version must not rebuild the index"
    );
    assert_eq!(ws.corpus.versions.len(), 151);
}

/// A page that inflates to 64 MB: read under the default memory limit of
/// the PDF helper, stopped with a clear error under a low one — the helper
/// ends, the CLI reports it and writes nothing.
#[test]
fn a_pdf_that_inflates_past_the_helpers_memory_limit_is_stopped() {
    let env = Env::new();
    let pdf = fixture("pdf/inflating-2024-03-01.pdf");
    let import = |corpus: &str, limit: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.args(["--corpus", env.path(corpus).to_str().unwrap(), "import"])
            .arg(&pdf)
            .args(["--vendor", "V", "--document", "D", "--json"])
            .timeout(std::time::Duration::from_secs(300));
        if let Some(mb) = limit {
            cmd.env("TRUSTLENS_PDF_MEMORY_MB", mb);
        }
        let out = cmd.output().unwrap();
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), report)
    };
    let (code, report) = import("roomy", None);
    assert_eq!(code, Some(0), "{report}");
    assert_eq!(report["added"], 1);

    let (code, report) = import("tight", Some("32"));
    assert_eq!(code, Some(1), "{report}");
    let message = report["outcomes"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("inflating-2024-03-01.pdf") && message.contains("32 MB"),
        "{message}"
    );
    assert!(!env.path("tight/manifest.toml").exists());
}
