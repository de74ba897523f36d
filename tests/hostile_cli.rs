//! The hostile suite, part two: what a hostile user tries on the command
//! line itself — paths that are pipes and devices, standard output that is
//! full, closed or goes away, terminals fed escape sequences, arguments that
//! are not UTF-8, broken manifests, names that look alike, odd limits and
//! dates, git histories that copy, folders of things that are not files,
//! and the permissions of what is written. Each case runs the real CLI in
//! its own process; `super::hostile` has the first part and the helpers.

use crate::common::Env;
use crate::hostile::{run, suite, Outcome};

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const OLD: &str = "heroku-spa@2016-05-06";
const NEW: &str = "heroku-spa@2023-05-05";
const CLAUSE: &str = "heroku-spa@2023-05-05/data-encryption/1";

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

/// A character device node like /dev/null (1, 3), made in the test's folder.
fn mknod_null(path: &Path) -> bool {
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; makedev has no preconditions.
    unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, libc::makedev(1, 3)) == 0 }
}

/// The CLI as `env.cmd()` runs it, as a std command (for stdio of our own).
fn std_cmd(env: &Env, args: &[&str]) -> Command {
    let mut c = env.std_cmd();
    c.args(args);
    c
}

fn no_panic(stderr: &[u8]) -> Result<(), String> {
    let s = String::from_utf8_lossy(stderr);
    (!s.contains("panicked"))
        .then_some(())
        .ok_or_else(|| format!("panicked: {s}"))
}

/// The exit status with stdout into `/dev/full`, and stderr.
fn into_full(env: &Env, args: &[&str]) -> Result<(), String> {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = std_cmd(env, args)
        .stdout(Stdio::from(full))
        .output()
        .unwrap();
    no_panic(&out.stderr)?;
    let err = String::from_utf8_lossy(&out.stderr);
    (out.status.code() == Some(1) && err.contains("No space left"))
        .then_some(())
        .ok_or_else(|| format!("{:?}: {err}", out.status))
}

/// Run with a reader that has gone away before the first write.
fn into_closed_pipe(env: &Env, args: &[&str]) -> Result<(), String> {
    let mut child = std_cmd(env, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    no_panic(&out.stderr)?;
    (out.status.success() && out.stderr.is_empty())
        .then_some(())
        .ok_or_else(|| format!("{:?}: {}", out.status, String::from_utf8_lossy(&out.stderr)))
}

/// What the CLI prints on a terminal: stdout is a pseudo-terminal.
fn on_terminal(env: &Env, args: &[&str]) -> String {
    let (mut master, mut slave) = (0, 0);
    // SAFETY: out-pointers to two ints; the name, termios and size may be null.
    let ok = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        )
    };
    assert_eq!(ok, 0, "openpty");
    // Children that other tests spawn meanwhile must not inherit either end
    // (reading the master would wait for them too).
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors this function owns.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe {
        use std::os::fd::FromRawFd;
        (
            std::fs::File::from_raw_fd(master),
            std::os::fd::OwnedFd::from_raw_fd(slave),
        )
    };
    let mut child = std_cmd(env, args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(slave))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The slave end is the child's alone now: reading the master ends (EIO)
    // once the child has exited.
    let mut seen = Vec::new();
    let mut reader = std::io::BufReader::new(master);
    let _ = std::io::Read::read_to_end(&mut reader, &mut seen);
    let status = child.wait().unwrap();
    assert!(status.success(), "{args:?}: {status:?}");
    String::from_utf8_lossy(&seen).into_owned()
}

/// A document whose text tries to take over the terminal.
const ESCAPES: &str =
    "# Acme\n\n## Encryption\n\nWe encrypt \u{1b}]0;pwned\u{7} data \u{1b}[2J at rest.\n";

fn no_raw_escapes(shown: &str) -> Result<(), String> {
    // Our own highlight codes are the only escapes allowed through.
    let rest = shown.replace("\u{1b}[1;33m", "").replace("\u{1b}[0m", "");
    match rest.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        None if shown.contains('\u{241b}') => Ok(()),
        None => Err(format!("the escapes are gone rather than shown: {shown:?}")),
        Some(at) => Err(format!(
            "a raw control character reached the terminal at {at}: {shown:?}"
        )),
    }
}

#[test]
fn output_paths_that_are_not_regular_files_are_refused_and_left_alone() {
    let env = Env::new();
    let fifo = env.path("pipe.md");
    mkfifo(&fifo);
    let node = env.path("null-node");
    let have_node = mknod_null(&node);
    let still = |p: &Path, fifo: bool| -> Result<(), String> {
        let t = std::fs::symlink_metadata(p).unwrap().file_type();
        (if fifo {
            t.is_fifo()
        } else {
            t.is_char_device()
        })
        .then_some(())
        .ok_or_else(|| format!("{} was replaced", p.display()))
    };
    let refused = |o: Outcome| o.is_clear_error(&["not a regular file"]);
    let mut cases: Vec<crate::hostile::Case<'_>> = vec![
        (
            "export --out a FIFO --force",
            Box::new(|| {
                refused(run(
                    &env,
                    &["export", "--out", fifo.to_str().unwrap(), "--force"],
                ))?;
                still(&fifo, true)
            }),
        ),
        (
            "matrix export --out a FIFO --force",
            Box::new(|| {
                let args = ["matrix", "export", "--format", "csv", "--out"];
                refused(run(
                    &env,
                    &[&args[..], &[fifo.to_str().unwrap(), "--force"]].concat(),
                ))?;
                still(&fifo, true)
            }),
        ),
        (
            "export memo --out a FIFO",
            Box::new(|| {
                let args = ["export", "memo", OLD, NEW, "--force", "--out"];
                refused(run(&env, &[&args[..], &[fifo.to_str().unwrap()]].concat()))?;
                still(&fifo, true)
            }),
        ),
    ];
    if have_node {
        cases.push((
            "export --out a device node --force",
            Box::new(|| {
                refused(run(
                    &env,
                    &["export", "--out", node.to_str().unwrap(), "--force"],
                ))?;
                still(&node, false)
            }),
        ));
    }
    suite(cases);
}

#[test]
fn standard_output_that_is_full_closed_or_gone_is_handled() {
    let env = Env::new();
    let commands: Vec<Vec<&str>> = vec![
        vec!["--json", "versions"],
        vec!["--json", "status"],
        vec!["--json", "diff", OLD, NEW],
        vec!["--json", "note", "list"],
        vec!["--json", "matrix"],
        vec!["--json", "show", CLAUSE],
        vec!["--json", "history", CLAUSE],
        vec!["--json", "search", "data"],
        vec!["diff", OLD, NEW, "--format", "md"],
        vec!["versions"],
    ];
    let names: Vec<(String, String)> = commands
        .iter()
        .map(|a| (format!("{a:?} > /dev/full"), format!("{a:?} | head -c 0")))
        .collect();
    let mut cases: Vec<crate::hostile::Case<'_>> = Vec::new();
    let env = &env;
    for (args, (full, pipe)) in commands.iter().zip(&names) {
        cases.push((full, Box::new(move || into_full(env, args))));
        cases.push((pipe, Box::new(move || into_closed_pipe(env, args))));
    }
    cases.push((
        "versions >&- (standard output closed)",
        Box::new(|| {
            let mut c = std_cmd(env, &["versions"]);
            // SAFETY: close(2) is async-signal-safe, as pre_exec requires.
            unsafe {
                c.pre_exec(|| {
                    libc::close(1);
                    Ok(())
                });
            }
            let out = c.stderr(Stdio::piped()).output().unwrap();
            no_panic(&out.stderr)?;
            let err = String::from_utf8_lossy(&out.stderr);
            (out.status.code() == Some(1) && err.contains("standard output is closed"))
                .then_some(())
                .ok_or_else(|| format!("{:?}: {err}", out.status))
        }),
    ));
    suite(cases);
}

#[test]
fn document_text_notes_and_names_cannot_drive_the_terminal() {
    let env = Env::new();
    let corpus = env.path("c");
    let doc = env.path("esc-2024-01-01.md");
    std::fs::write(&doc, ESCAPES).unwrap();
    let c = corpus.to_str().unwrap();
    let vendor = "Acme\u{1b}[2J\u{1b}]0;x\u{7}";
    let added = env.json(&[
        "--corpus",
        c,
        "ingest",
        doc.to_str().unwrap(),
        "--vendor",
        vendor,
        "--document",
        "Sec",
        "--date",
        "2024-01-01",
    ]);
    let id = added["version"]["id"].as_str().unwrap().to_string();
    let clause = format!("{id}/encryption/1");
    env.json(&[
        "--corpus",
        c,
        "note",
        "add",
        &clause,
        "--text",
        "red \u{1b}[31m alert",
    ]);
    suite(vec![
        (
            "search",
            Box::new(|| no_raw_escapes(&on_terminal(&env, &["--corpus", c, "search", "encrypt"]))),
        ),
        (
            "show",
            Box::new(|| no_raw_escapes(&on_terminal(&env, &["--corpus", c, "show", &clause]))),
        ),
        (
            "versions (the vendor's name)",
            Box::new(|| no_raw_escapes(&on_terminal(&env, &["--corpus", c, "versions"]))),
        ),
        (
            "note list",
            Box::new(|| no_raw_escapes(&on_terminal(&env, &["--corpus", c, "note", "list"]))),
        ),
        (
            "JSON stays exact, on a terminal too",
            Box::new(|| {
                let shown = on_terminal(&env, &["--corpus", c, "--json", "show", &clause]);
                shown
                    .contains("\\u001b]0;pwned\\u0007")
                    .then_some(())
                    .ok_or_else(|| format!("JSON changed: {shown}"))
            }),
        ),
        (
            "highlights are still coloured",
            Box::new(|| {
                let shown = on_terminal(&env, &["--corpus", c, "search", "encrypt"]);
                shown
                    .contains("\u{1b}[1;33m")
                    .then_some(())
                    .ok_or_else(|| format!("no highlight: {shown:?}"))
            }),
        ),
    ]);
}

#[test]
fn arguments_that_are_not_utf8_are_a_clear_error_for_every_command() {
    let env = Env::new();
    let bad = OsStr::from_bytes(b"\xff\xfe");
    let commands: Vec<Vec<&OsStr>> = [
        &["search"][..],
        &["show"],
        &["history"],
        &["diff", OLD],
        &[
            "ingest",
            "a.md",
            "--document",
            "D",
            "--date",
            "2024-01-01",
            "--vendor",
        ],
        &["import", "--vendor", "V", "--document"],
        &["note", "add", CLAUSE, "--text"],
        &["note", "list", "--tag"],
        &["link", CLAUSE],
        &["matrix", "--version"],
        &["export", "--query"],
        &[
            "watch",
            "add",
            "http://127.0.0.1:9/",
            "--vendor",
            "V",
            "--document",
        ],
        &["watch", "run"],
        &["versions", "--corpus-nope"],
        &["status", "--json", "--nope"],
    ]
    .iter()
    .map(|a| a.iter().map(OsStr::new).chain([bad]).collect())
    .collect();
    let names: Vec<String> = commands.iter().map(|a| format!("{a:?}")).collect();
    let mut cases: Vec<crate::hostile::Case<'_>> = Vec::new();
    let env = &env;
    for (args, name) in commands.iter().zip(&names) {
        cases.push((
            name,
            Box::new(move || {
                let out = std_cmd(env, &[]).args(args).output().unwrap();
                no_panic(&out.stderr)?;
                let err = String::from_utf8_lossy(&out.stderr);
                (out.status.code() == Some(2) && !err.trim().is_empty())
                    .then_some(())
                    .ok_or_else(|| format!("{:?}: {err}", out.status))
            }),
        ));
    }
    cases.push((
        "with --json, a {code, message} error",
        Box::new(|| {
            let o = run(env, &["search", "x"]);
            (o.code == 0).then_some(()).ok_or("plain search failed")?;
            let out = std_cmd(env, &["--json", "search"])
                .arg(bad)
                .output()
                .unwrap();
            let err: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap_or_default();
            (out.status.code() == Some(2) && err["code"] == "invalid_argument")
                .then_some(())
                .ok_or_else(|| format!("{:?}: {err}", out.status))
        }),
    ));
    suite(cases);
}

#[test]
fn sources_that_are_not_regular_files_or_not_utf8_are_handled() {
    let env = Env::new();
    let c = env.path("c");
    let c = c.to_str().unwrap();
    let fifo = env.path("pipe.md");
    mkfifo(&fifo);
    let ingest = |file: &str, date: &str, extra: &[&str]| {
        let args = [
            &[
                "--corpus",
                c,
                "ingest",
                file,
                "--vendor",
                "Acme",
                "--document",
                "Sec",
                "--date",
                date,
            ][..],
            extra,
        ]
        .concat();
        run(&env, &args)
    };
    suite(vec![
        (
            "ingest a named pipe",
            Box::new(|| {
                ingest(fifo.to_str().unwrap(), "2024-01-01", &[])
                    .is_clear_error(&["pipe.md", "named pipe"])
            }),
        ),
        (
            "ingest /dev/zero --format md",
            Box::new(|| {
                ingest("/dev/zero", "2024-01-01", &["--format", "md"])
                    .is_clear_error(&["/dev/zero", "character device"])
            }),
        ),
        (
            "ingest UTF-16 with a BOM, either byte order",
            Box::new(|| {
                let text =
                    "# Acme\r\n\r\n## Keys\r\n\r\nWe rotate keys yearly \u{2014} caf\u{e9}.\r\n";
                for (n, be) in [(1, false), (2, true)] {
                    let mut bytes = if be {
                        vec![0xFE, 0xFF]
                    } else {
                        vec![0xFF, 0xFE]
                    };
                    for u in text.encode_utf16() {
                        bytes.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
                    }
                    let f = env.path(&format!("u{n}.md"));
                    std::fs::write(&f, bytes).unwrap();
                    let o = ingest(f.to_str().unwrap(), &format!("2024-0{n}-01"), &[]);
                    if o.code != 0 {
                        return Err(o.message().to_string());
                    }
                }
                let s = run(&env, &["--corpus", c, "search", "\"rotate keys yearly\""]);
                (s.stdout.contains("caf\u{e9}") && s.stdout.contains("\"total\": 2"))
                    .then_some(())
                    .ok_or_else(|| format!("not found as text: {}", s.stdout))
            }),
        ),
        (
            "a folder holding a FIFO and a link to a device",
            Box::new(|| {
                let dir = env.path("folder");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(
                    dir.join("sec-2024-05-01.md"),
                    "# S\n\n## A\n\nWe log access.\n",
                )
                .unwrap();
                mkfifo(&dir.join("pipe-2024-06-01.md"));
                std::os::unix::fs::symlink("/dev/null", dir.join("null-2024-07-01.md")).unwrap();
                let o = run(
                    &env,
                    &[
                        "--corpus",
                        c,
                        "import",
                        dir.to_str().unwrap(),
                        "--vendor",
                        "Acme",
                        "--document",
                        "Folder",
                    ],
                );
                let report: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
                let skipped: Vec<&str> = report["outcomes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|o| o["status"] == "skipped")
                    .filter_map(|o| o["label"].as_str())
                    .collect();
                (o.code == 0
                    && report["added"] == 1
                    && report["skipped"] == 2
                    && skipped.iter().any(|l| l.ends_with("pipe-2024-06-01.md"))
                    && skipped.iter().any(|l| l.ends_with("null-2024-07-01.md")))
                .then_some(())
                .ok_or_else(|| format!("rc {}: {}", o.code, o.stdout))
            }),
        ),
    ]);
}

/// A corpus directory with one version of a document, for breaking.
fn one_version(env: &Env, name: &str) -> PathBuf {
    let dir = env.path(name);
    let doc = env.path(&format!("{name}.md"));
    std::fs::write(&doc, "# Sec\n\n## Encryption\n\nWe encrypt data at rest.\n").unwrap();
    env.json(&[
        "--corpus",
        dir.to_str().unwrap(),
        "ingest",
        doc.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Sec",
        "--date",
        "2024-01-01",
    ]);
    dir
}

#[test]
fn a_write_to_a_broken_corpus_is_refused_and_names_and_queries_are_read_right() {
    let env = Env::new();
    let other = env.path("other.md");
    std::fs::write(&other, "# Other\n\n## Keys\n\nKeys are rotated.\n").unwrap();
    let ingest_into = |dir: &Path| {
        run(
            &env,
            &[
                "--corpus",
                dir.to_str().unwrap(),
                "ingest",
                other.to_str().unwrap(),
                "--vendor",
                "Acme",
                "--document",
                "Other",
                "--date",
                "2024-02-01",
            ],
        )
    };
    let unchanged = |dir: &Path, before: &str| -> Result<(), String> {
        (std::fs::read_to_string(dir.join("manifest.toml")).unwrap() == before)
            .then_some(())
            .ok_or("the manifest was written".into())
    };
    suite(vec![
        (
            "ingest into a corpus whose manifest lists a missing file",
            Box::new(|| {
                let dir = one_version(&env, "missing");
                std::fs::remove_file(dir.join("acme-sec/2024-01-01.md")).unwrap();
                let before = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
                ingest_into(&dir).is_clear_error(&["manifest.toml:", "is missing"])?;
                unchanged(&dir, &before)
            }),
        ),
        (
            "ingest into a corpus where a recorded file changed",
            Box::new(|| {
                let dir = one_version(&env, "changed");
                std::fs::write(
                    dir.join("acme-sec/2024-01-01.md"),
                    "# Sec\n\nedited by hand\n",
                )
                .unwrap();
                let before = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
                ingest_into(&dir)
                    .is_clear_error(&["manifest.toml:", "changed after it was recorded"])?;
                unchanged(&dir, &before)
            }),
        ),
        (
            "vendors that differ only in Unicode normal form are one vendor",
            Box::new(|| {
                let dir = env.path("nfc");
                let d = dir.to_str().unwrap();
                for (vendor, date) in [("Caf\u{e9}", "2024-01-01"), ("Cafe\u{301}", "2024-02-01")] {
                    let o = run(
                        &env,
                        &[
                            "--corpus",
                            d,
                            "ingest",
                            other.to_str().unwrap(),
                            "--vendor",
                            vendor,
                            "--document",
                            "Doc",
                            "--date",
                            date,
                        ],
                    );
                    if o.code != 0 {
                        return Err(o.message().to_string());
                    }
                }
                let v = env.json(&["--corpus", d, "versions"]);
                let docs: std::collections::BTreeSet<&str> = v
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["document_id"].as_str().unwrap())
                    .collect();
                (docs.len() == 1 && v[0]["vendor"] == "Caf\u{e9}")
                    .then_some(())
                    .ok_or_else(|| format!("{docs:?}: {v}"))
            }),
        ),
        (
            "--limit 0 counts and shows no hit",
            Box::new(|| {
                let o = run(&env, &["search", "data", "--limit", "0"]);
                let r: serde_json::Value = serde_json::from_str(&o.stdout).unwrap_or_default();
                (o.code == 0
                    && r["hits"].as_array().is_some_and(Vec::is_empty)
                    && r["total"].as_u64() > Some(0))
                .then_some(())
                .ok_or_else(|| format!("rc {}: {}", o.code, o.stdout))
            }),
        ),
        (
            "--as-of a day that does not exist",
            Box::new(|| {
                let o = run(&env, &["search", "data", "--as-of", "2024-02-30"]);
                o.is_clear_error(&["2024-02-30", "no such day"])?;
                (o.code == 2)
                    .then_some(())
                    .ok_or(format!("exit {}", o.code))
            }),
        ),
        (
            "--as-of written otherwise",
            Box::new(|| {
                run(&env, &["search", "data", "--as-of", "30/02/2024"])
                    .is_clear_error(&["YYYY-MM-DD"])
            }),
        ),
        (
            "field:* for every field",
            Box::new(|| {
                for f in ["section", "text", "document", "kind"] {
                    let o = run(&env, &["search", &format!("{f}:*")]);
                    o.is_clear_error(&[&format!("{f}:*")])?;
                    if o.code != 2 || o.error["code"] != "bad_query" {
                        return Err(format!("{f}:*: exit {} {}", o.code, o.error));
                    }
                }
                Ok(())
            }),
        ),
    ]);
}

#[test]
fn a_git_history_stops_where_the_file_was_copied_from_another() {
    let env = Env::new();
    let repo = env.path("repo");
    std::fs::create_dir_all(&repo).unwrap();
    let git = |args: &[&str], date: &str| crate::import::git(&repo, args, date);
    let text = |n: u32| {
        format!("# Policy\n\n## Retention\n\nWe keep logs for {n} days.\n\n## Keys\n\nKeys are rotated yearly by the provider.\n")
    };
    git(&["init", "-q", "-b", "main"], "2022-01-01T10:00:00Z");
    std::fs::write(repo.join("old.md"), text(90)).unwrap();
    git(&["add", "."], "2022-01-01T10:00:00Z");
    git(&["commit", "-qm", "old"], "2022-01-01T10:00:00Z");
    std::fs::write(repo.join("old.md"), text(60)).unwrap();
    git(&["commit", "-qam", "old again"], "2022-06-01T10:00:00Z");
    std::fs::copy(repo.join("old.md"), repo.join("new.md")).unwrap();
    git(&["add", "new.md"], "2023-01-01T10:00:00Z");
    git(&["commit", "-qm", "copy"], "2023-01-01T10:00:00Z");
    std::fs::write(repo.join("new.md"), text(30)).unwrap();
    git(&["commit", "-qam", "new"], "2023-06-01T10:00:00Z");
    let plan = env.json(&[
        "import",
        "--dry-run",
        "--git-file",
        repo.join("new.md").to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Policy",
    ]);
    let dates: Vec<&str> = plan
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2023-01-01", "2023-06-01"], "{plan}");
}

#[test]
fn files_trustlens_writes_have_the_mode_the_umask_gives() {
    let env = Env::new();
    let doc = env.path("sec-2024-01-01.md");
    std::fs::write(&doc, "# Sec\n\n## Encryption\n\nWe encrypt data at rest.\n").unwrap();
    let corpus = env.path("c");
    let export = env.path("notes.md");
    let with_umask = |args: &[&str]| {
        let mut c = std_cmd(&env, args);
        // SAFETY: umask(2) is async-signal-safe, as pre_exec requires.
        unsafe {
            c.pre_exec(|| {
                libc::umask(0o027);
                Ok(())
            });
        }
        let out = c.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    with_umask(&[
        "--corpus",
        corpus.to_str().unwrap(),
        "ingest",
        doc.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Sec",
        "--date",
        "2024-01-01",
    ]);
    with_umask(&["export", "--out", export.to_str().unwrap()]);
    for p in [
        corpus.join("manifest.toml"),
        corpus.join("acme-sec/2024-01-01.md"),
        export,
    ] {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640, "{}", p.display());
    }
}
