//! Clause lineage across three versions of a fictional document, "as of"
//! search, and search grouped by lineage.

use assert_cmd::Command;
use serde_json::Value;

const V1: &str = "# Retention\n\nBackups are kept for 30 days and then deleted.\n\n# Access\n\nSupport staff never access customer files.\n\n# Legacy\n\nWe rely on the EU-US Safe Harbor framework for transfers.\n";
const V2: &str = "# Retention\n\nBackups are kept for 90 days and then deleted.\n\n# Access\n\nSupport staff never access customer files.\n\n# Legacy\n\nWe rely on the EU-US Safe Harbor framework for transfers.\n";
const V3: &str = "# Retention\n\nBackups are kept for 90 days and then deleted.\n\n# Access\n\nSupport staff never access customer files.\n";

fn corpus(dir: &std::path::Path) {
    std::fs::create_dir_all(dir.join("zephyr")).unwrap();
    let mut manifest = String::from("[[document]]\nid = \"zephyr\"\nvendor = \"Zephyr Mail\"\ntitle = \"Security Overview\"\n\n");
    for (date, text) in [("2019-01-01", V1), ("2020-06-01", V2), ("2022-03-01", V3)] {
        let file = format!("zephyr/{date}.md");
        std::fs::write(dir.join(&file), text).unwrap();
        manifest.push_str(&format!(
            "[[document.version]]\ndate = \"{date}\"\nfile = \"{file}\"\nformat = \"markdown\"\nsha256 = \"{}\"\nsource = \"test\"\ncaptured = \"{date}\"\n\n",
            trustlens::text::sha256_hex(text.as_bytes())
        ));
    }
    std::fs::write(dir.join("manifest.toml"), manifest).unwrap();
}

fn json(tmp: &std::path::Path, args: &[&str]) -> Value {
    let out = Command::cargo_bin("trustlens")
        .unwrap()
        .env("TRUSTLENS_DATA_DIR", tmp.join("data"))
        .env("TRUSTLENS_CACHE_DIR", tmp.join("cache"))
        .arg("--corpus")
        .arg(tmp.join("corpus"))
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_clause_history_shows_when_it_appeared_changed_and_disappeared() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(&tmp.path().join("corpus"));
    let h = json(tmp.path(), &["history", "zephyr@2022-03-01/retention/1"]);
    assert_eq!(h["id"], "zephyr@2019-01-01/retention/1");
    let steps: Vec<(&str, &str)> = h["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["date"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("2019-01-01", "added"),
            ("2020-06-01", "modified"),
            ("2022-03-01", "unchanged")
        ]
    );
    assert!(h["steps"][1]["cards"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["kind"] == "deadline_changed"));

    let gone = json(tmp.path(), &["history", "zephyr@2019-01-01/legacy/1"]);
    let last = gone["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["date"].as_str(), last["status"].as_str()),
        (Some("2022-03-01"), Some("removed"))
    );
    assert_eq!(last["clause_ids"], serde_json::json!([]));
}

#[test]
fn as_of_search_sees_only_the_version_current_then() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(&tmp.path().join("corpus"));
    let hits = |args: &[&str]| {
        json(tmp.path(), args)["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["clause_id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        hits(&["search", "backups", "--as-of", "2020-01-01"]),
        ["zephyr@2019-01-01/retention/1"]
    );
    assert_eq!(
        hits(&["search", "backups", "--as-of", "2021-12-31"]),
        ["zephyr@2020-06-01/retention/1"]
    );
    assert!(hits(&["search", "\"Safe Harbor\"", "--as-of", "2023-01-01"]).is_empty());
    assert!(hits(&["search", "backups", "--as-of", "2018-01-01"]).is_empty());
    // Across all versions, each clause once, with the versions it is in.
    let all = json(tmp.path(), &["search", "support staff", "--all-versions"]);
    let hits = all["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{all}");
    assert_eq!(hits[0]["also_in"].as_array().unwrap().len(), 2);
    assert_eq!(hits[0]["lineage"], "zephyr@2019-01-01/access/1");
    // Text that later disappeared is still found.
    let legacy = json(tmp.path(), &["search", "\"Safe Harbor\"", "--all-versions"]);
    assert_eq!(legacy["hits"].as_array().unwrap().len(), 1);
}

/// What `current_on` must answer, worked out the plain way: per document,
/// the latest version dated on or before the day.
fn current_by_hand(corpus: &trustlens::corpus::Corpus, date: &str) -> Vec<String> {
    let mut best: std::collections::BTreeMap<&str, &trustlens::corpus::Version> =
        Default::default();
    for v in &corpus.versions {
        if v.info.date.as_str() <= date {
            let e = best.entry(v.info.document_id.as_str()).or_insert(v);
            if v.info.date > e.info.date {
                *e = v;
            }
        }
    }
    let mut ids: Vec<String> = best.values().map(|v| v.info.id.clone()).collect();
    ids.sort();
    ids
}

#[test]
fn current_on_finds_each_documents_latest_version_whatever_the_order() {
    let (_tmp, mut c) = crate::common::generated_corpus(7, 3, 3, 4, 1);
    let mut dates: Vec<String> = c.versions.iter().map(|v| v.info.date.clone()).collect();
    dates.extend(["1900-01-01".to_string(), "2999-12-31".to_string()]);
    let ids = |c: &trustlens::corpus::Corpus, d: &str| -> Vec<String> {
        trustlens::lineage::current_on(c, d)
            .iter()
            .map(|v| v.info.id.clone())
            .collect()
    };
    for d in &dates {
        assert_eq!(ids(&c, d), current_by_hand(&c, d), "as of {d}");
    }
    assert!(ids(&c, "1900-01-01").is_empty());
    // The same versions as numbers (what an "as of" search filters by).
    let keys = |c: &trustlens::corpus::Corpus, d: &str| -> Vec<u64> {
        let day = trustlens::corpus::day_number(d).unwrap();
        let mut keys: Vec<u64> = trustlens::corpus::VersionKeys::of(&c.versions)
            .current_on(day)
            .unwrap()
            .into_iter()
            .map(|p| trustlens::clause::clause_key(&c.versions[p].info.id))
            .collect();
        keys.sort_unstable();
        keys
    };
    let by_hand_keys = |c: &trustlens::corpus::Corpus, d: &str| -> Vec<u64> {
        let mut k: Vec<u64> = current_by_hand(c, d)
            .iter()
            .map(|id| trustlens::clause::clause_key(id))
            .collect();
        k.sort_unstable();
        k
    };
    for d in &dates {
        assert_eq!(keys(&c, d), by_hand_keys(&c, d), "keys as of {d}");
    }
    // `versions` is public: a list out of its usual order is answered too.
    c.versions.reverse();
    for d in &dates {
        assert_eq!(ids(&c, d), current_by_hand(&c, d), "reversed, as of {d}");
        assert_eq!(keys(&c, d), by_hand_keys(&c, d), "reversed keys as of {d}");
    }
    // Dates are numbers only when written YYYY-MM-DD.
    assert_eq!(trustlens::corpus::day_number("2024-02-29"), Some(20240229));
    for bad in [
        "2024-2-29",
        "20240229",
        "2024/02/29",
        "yyyy-mm-dd",
        "",
        "2024-02-2x",
    ] {
        assert_eq!(trustlens::corpus::day_number(bad), None, "{bad}");
    }
}
