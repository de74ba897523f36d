//! Several processes writing to one corpus and one store at once, some of
//! them killed at random moments: whatever a process reported as written is
//! there afterwards, the corpus opens, and nothing is there twice.

use crate::common::Env;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use trustlens::corpus::Corpus;

/// A small pseudo-random generator, seeded from the clock and printed, so a
/// failing run can be told apart from the next.
struct Rng(u64);

impl Rng {
    fn from_clock() -> Rng {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
            | 1;
        eprintln!("kill moments seeded with {seed}");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        // xorshift64
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn spawn(env: &Env, args: &[&str]) -> Child {
    env.std_cmd()
        .args(args)
        .arg("--json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Wait for `child`; its JSON report when it succeeded.
fn report(child: Child) -> Option<Value> {
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    if !out.status.success() {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.signal().is_some(),
            "a writer failed without being killed: {stderr}"
        );
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// A folder of `n` (at most 12) dated policies, the dates of writer `w`
/// its own: one a month of the year 2000 + `w`.
fn folder(env: &Env, w: u64, n: u64) -> PathBuf {
    assert!(n <= 12);
    let dir = env.path(&format!("docs-{w}"));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        let date = format!("{}-{:02}-01", 2000 + w, i + 1);
        std::fs::write(
            dir.join(format!("policy-{date}.md")),
            trustlens_synth::document(w * 100 + i + 1, 2),
        )
        .unwrap();
    }
    dir
}

fn import_args<'a>(corpus: &'a Path, dir: &'a Path) -> Vec<&'a str> {
    vec![
        "--corpus",
        corpus.to_str().unwrap(),
        "import",
        dir.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Policy",
    ]
}

/// Version IDs a finished import reported as added.
fn added(report: &Value) -> Vec<String> {
    report["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["status"] == "added")
        .map(|o| o["version_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn imports_at_once_some_killed_lose_and_repeat_nothing() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let mut rng = Rng::from_clock();
    let dirs: Vec<PathBuf> = (0..6).map(|w| folder(&env, w, 10)).collect();
    // Writers 0–3 run to the end; 4 and 5 are killed at random moments;
    // 6 and 7 import writer 0's folder again at the same time.
    let mut children: Vec<(usize, Child)> = (0..6)
        .map(|w| (w, spawn(&env, &import_args(&corpus, &dirs[w]))))
        .collect();
    children.extend((6..8).map(|w| (w, spawn(&env, &import_args(&corpus, &dirs[0])))));
    let kill_at: HashMap<usize, Duration> = [4, 5]
        .into_iter()
        .map(|w| (w, Duration::from_millis(50 + rng.below(1500))))
        .collect();
    let started = std::time::Instant::now();
    let mut reported: Vec<String> = Vec::new();
    let mut order: Vec<(usize, Child)> = Vec::new();
    for (w, mut child) in children {
        if let Some(at) = kill_at.get(&w) {
            std::thread::sleep(at.saturating_sub(started.elapsed()));
            let _ = child.kill();
        }
        order.push((w, child));
    }
    for (w, child) in order {
        if let Some(r) = report(child) {
            assert_eq!(r["failed"], 0, "writer {w}: {r}");
            reported.extend(added(&r));
        }
    }

    let opened = Corpus::open_dir(&corpus).expect("the corpus opens after concurrent writers");
    let ids: Vec<&str> = opened.versions.iter().map(|v| v.info.id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "a version is listed twice: {ids:?}"
    );
    for id in &reported {
        assert!(
            unique.contains(id.as_str()),
            "{id} was reported added, then lost"
        );
    }
    // Every version of the writers that ran to the end is in, once.
    assert!(opened.versions.len() >= 40, "{}", opened.versions.len());
    // No version was reported added by two writers (6 and 7 found 0's).
    let reported_once: BTreeSet<&String> = reported.iter().collect();
    assert_eq!(reported_once.len(), reported.len(), "{reported:?}");

    // Running the killed imports again completes them.
    for w in [4, 5] {
        let r = env.json(&import_args(&corpus, &dirs[w]));
        assert_eq!(r["failed"], 0, "{r}");
    }
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 60);
}

#[test]
fn ingests_at_once_each_keep_their_version() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let dir = folder(&env, 0, 8);
    let children: Vec<Child> = (0..8)
        .map(|i| {
            let file = dir.join(format!("policy-2000-{:02}-01.md", i + 1));
            spawn(
                &env,
                &[
                    "--corpus",
                    corpus.to_str().unwrap(),
                    "ingest",
                    file.to_str().unwrap(),
                    "--vendor",
                    "Acme",
                    "--document",
                    "Policy",
                    "--date",
                    &format!("2000-{:02}-01", i + 1),
                ],
            )
        })
        .collect();
    for c in children {
        let r = report(c).expect("no ingest was killed");
        assert_eq!(r["added"], true, "{r}");
    }
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 8);
}

const CLAUSES: [&str; 4] = [
    "heroku-spa@2023-05-05/data-encryption/1",
    "heroku-spa@2023-05-05/physical-security/1",
    "heroku-spa@2016-05-06/data-encryption/1",
    "heroku-spa@2016-05-06/physical-security/1",
];

#[test]
fn notes_and_links_at_once_some_killed_lose_nothing() {
    let env = Env::new();
    let mut rng = Rng::from_clock();
    // The store exists before the writers race to it.
    env.json(&["note", "add", CLAUSES[0], "--text", "first"]);
    let mut children: Vec<(String, Child)> = Vec::new();
    for i in 0..12usize {
        let clause = CLAUSES[i % CLAUSES.len()];
        if i % 2 == 0 {
            let text = format!("note {i}");
            let c = spawn(&env, &["note", "add", clause, "--text", &text]);
            children.push((format!("note:{text}"), c));
        } else {
            let c = spawn(&env, &["link", clause, "logging-monitoring"]);
            children.push((format!("link:{clause}"), c));
        }
    }
    let victims: BTreeSet<usize> = (0..3).map(|_| rng.below(12) as usize).collect();
    std::thread::sleep(Duration::from_millis(rng.below(400)));
    for (i, (_, c)) in children.iter_mut().enumerate() {
        if victims.contains(&i) {
            let _ = c.kill();
        }
    }
    let mut notes_reported = Vec::new();
    let mut links_reported = Vec::new();
    for (what, c) in children {
        if report(c).is_some() {
            match what.split_once(':') {
                Some(("note", text)) => notes_reported.push(text.to_string()),
                Some((_, clause)) => links_reported.push(clause.to_string()),
                None => unreachable!(),
            }
        }
    }
    let notes = env.json(&["note", "list"]);
    let texts: Vec<&str> = notes
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    for t in &notes_reported {
        assert_eq!(
            texts.iter().filter(|x| **x == t.as_str()).count(),
            1,
            "{t}: {texts:?}"
        );
    }
    for clause in &links_reported {
        let version = clause.split('/').next().unwrap();
        let m = env.json(&["matrix", "--version", version]);
        let manual = m["entries"].as_array().unwrap().iter().any(|e| {
            e["clauses"].as_array().unwrap().iter().any(|l| {
                l["clause_id"] == clause.as_str()
                    && l["source"] == "manual"
                    && l["entry"].as_str().unwrap().ends_with("logging-monitoring")
            })
        });
        assert!(manual, "the link of {clause} was reported, then lost");
    }
}

#[test]
fn a_writer_that_must_wait_says_so_and_goes_on_when_the_other_is_done() {
    let env = Env::new();
    let corpus = env.path("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let dir = folder(&env, 0, 1);
    let held = trustlens::corpus::lock::WriteLock::acquire(&corpus).unwrap();
    let mut child = spawn(
        &env,
        &[
            "--corpus",
            corpus.to_str().unwrap(),
            "ingest",
            dir.join("policy-2000-01-01.md").to_str().unwrap(),
            "--vendor",
            "Acme",
            "--document",
            "Policy",
            "--date",
            "2000-01-01",
        ],
    );
    // Its first line on stderr says what it waits for.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    std::io::BufRead::read_line(&mut stderr, &mut line).unwrap();
    assert!(
        line.contains("waiting for another trustlens process") && line.contains("corpus"),
        "{line}"
    );
    assert!(child.try_wait().unwrap().is_none(), "it did not wait");
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 1);
}

#[test]
fn a_lock_left_by_a_killed_writer_is_no_obstacle() {
    let env = Env::new();
    let corpus = env.path("corpus");
    let dir = folder(&env, 0, 12);
    // Killed while it holds the lock (or between two versions): the system
    // released the lock with the process, and the next import just runs.
    let mut child = spawn(&env, &import_args(&corpus, &dir));
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let _ = child.wait();
    let r = env.json(&import_args(&corpus, &dir));
    assert_eq!(r["failed"], 0, "{r}");
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 12);
}
