//! The `trustlens` CLI as a test runs it: from an unrelated directory (the
//! bundled corpus is embedded), with its own data and cache directories, a
//! fixed clock (`SOURCE_DATE_EPOCH`) and a fixed OS user.

// Each test binary uses a subset of these helpers.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

pub mod http;

/// A throw-away home for one test's data, cache and files.
pub struct Env {
    /// The temporary directory.
    pub tmp: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    /// `trustlens` with this environment.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("trustlens").unwrap();
        c.current_dir(self.tmp.path())
            .env("TRUSTLENS_DATA_DIR", self.tmp.path().join("data"))
            .env("TRUSTLENS_CACHE_DIR", self.tmp.path().join("cache"))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .env("USER", "ana")
            .env_remove("TRUSTLENS_LOG");
        c
    }

    /// `trustlens` with this environment as a plain `std` command, for tests
    /// that set up its standard streams or signals themselves.
    pub fn std_cmd(&self) -> std::process::Command {
        let cmd = self.cmd();
        let mut c = std::process::Command::new(cmd.get_program());
        c.envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .env_remove("TRUSTLENS_LOG")
            .current_dir(self.tmp.path());
        c
    }

    /// Run with `--json`; the command must succeed.
    pub fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).arg("--json").output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Run with `--json`, expecting failure: the exit code and the error object.
    pub fn fails(&self, args: &[&str]) -> (i32, Value) {
        let out = self.cmd().args(args).arg("--json").output().unwrap();
        let e: Value = serde_json::from_slice(&out.stderr).unwrap_or(Value::Null);
        (out.status.code().unwrap_or(-1), e)
    }

    /// A path inside the temporary directory.
    pub fn path(&self, p: &str) -> std::path::PathBuf {
        self.tmp.path().join(p)
    }
}

/// A generated corpus (`trustlens_synth`, 1 to `max_pages` pages a
/// document) written to a new temporary directory and opened; keep the
/// directory alive as long as the corpus is used.
pub fn generated_corpus(
    seed: u64,
    vendors: usize,
    documents: usize,
    versions: usize,
    max_pages: usize,
) -> (tempfile::TempDir, trustlens::corpus::Corpus) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    trustlens_synth::write_corpus(
        &dir,
        &trustlens_synth::CorpusSpec {
            seed,
            vendors,
            documents,
            versions,
            min_pages: 1,
            max_pages,
        },
    )
    .unwrap();
    let corpus = trustlens::corpus::Corpus::open_dir(&dir).unwrap();
    (tmp, corpus)
}
