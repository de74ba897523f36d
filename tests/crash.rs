//! Crash safety of what trustlens writes besides notes (notes.rs kills note
//! writers): the manifest, when an import is killed at any moment, and
//! export files, when an export is killed while replacing one. Every file is
//! either the old one or the complete new one — never half of either.

use crate::common::Env;

use std::process::Stdio;
use std::time::Duration;

use trustlens::corpus::Corpus;

/// Start `trustlens ARGS` in `env` and kill it (SIGKILL) after `after`.
fn kill_after(env: &Env, args: &[&str], after: Duration) {
    let mut child = env
        .std_cmd()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    child.wait().unwrap();
}

#[test]
fn killing_an_import_at_any_moment_leaves_a_valid_corpus() {
    let env = Env::new();
    let docs = env.path("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for i in 0..40u64 {
        let date = format!("{}-{:02}-01", 2000 + i / 12, i % 12 + 1);
        std::fs::write(
            docs.join(format!("policy-{date}.md")),
            trustlens_synth::document(i + 1, 3),
        )
        .unwrap();
    }
    let corpus = env.path("corpus");
    let args = [
        "--corpus",
        corpus.to_str().unwrap(),
        "import",
        docs.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Policy",
    ];
    let mut seen = Vec::new();
    for trial in 0..10u64 {
        kill_after(&env, &args, Duration::from_millis(60 + 45 * trial));
        if !corpus.join("manifest.toml").exists() {
            continue;
        }
        // Whatever the moment, the corpus opens: every version listed has its
        // file, with the hash the manifest records.
        let opened = Corpus::open_dir(&corpus)
            .unwrap_or_else(|e| panic!("trial {trial}: the corpus is broken: {e}"));
        seen.push(opened.versions.len());
    }
    // The imports got somewhere (so kills landed mid-import), and a last,
    // uninterrupted run finishes the job.
    assert!(seen.iter().any(|&n| n > 0), "{seen:?}");
    let report = env.json(&args);
    assert_eq!(report["failed"], 0, "{report}");
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 40);
}

#[test]
fn killing_an_export_that_replaces_a_file_leaves_the_old_file_or_the_new_one() {
    let env = Env::new();
    let out = env.path("results.md");
    let old = "the previous export, which must survive whole\n".repeat(1000);
    std::fs::write(&out, &old).unwrap();
    let args = [
        "export",
        "--query",
        "data OR security OR customer OR heroku",
        "--format",
        "md",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ];
    let complete = {
        let other = Env::new();
        let file = other.path("complete.md");
        let mut a: Vec<&str> = args.to_vec();
        let f = file.to_str().unwrap().to_string();
        a[6] = &f;
        other.cmd().args(&a).assert().success();
        std::fs::read_to_string(&file).unwrap()
    };
    let body = |s: &str| s.lines().skip(3).collect::<Vec<_>>().join("\n");
    for trial in 0..12u64 {
        kill_after(&env, &args, Duration::from_millis(20 + 25 * trial));
        let now = std::fs::read_to_string(&out).unwrap();
        assert!(
            now == old || body(&now) == body(&complete),
            "trial {trial}: {} bytes, neither the old file nor a complete export",
            now.len()
        );
    }
}
