//! The hostile-input suite: broken and malicious inputs at every entry point
//! a user or a vendor's document can reach — manifests, documents in each
//! format, matrix and lexicon files, note text, queries, export paths, the
//! user's database. Each one must give a clear error naming the file (or be
//! neutralised), never a panic or a crash, within a bounded time, and leave
//! nothing half-written. Each case runs the real CLI in its own process with
//! a deadline, so a crash or a hang is seen as such.
//!
//! The parsers' own edge cases (10 000 nested lists, 100 000-line paragraphs,
//! BOMs, control characters...) are in `hostile_input.rs`; PDFs that crash or
//! lock the reader are in `import.rs`.

use crate::common::Env;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use trustlens::text::sha256_hex;

/// How a hostile case ended. A signal or the deadline fails the test at once.
pub(crate) struct Outcome {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    /// The `{code, message}` error object, when there was one.
    pub(crate) error: Value,
}

impl Outcome {
    pub(crate) fn message(&self) -> &str {
        self.error["message"].as_str().unwrap_or("")
    }

    /// A clear error: a non-zero exit, an error code and a message holding all of `words`.
    pub(crate) fn is_clear_error(&self, words: &[&str]) -> Result<(), String> {
        if self.code == 0 {
            return Err(format!("succeeded: {}", self.stdout));
        }
        if !self.error["code"].is_string() {
            return Err(format!("no {{code, message}} error (exit {})", self.code));
        }
        for w in words {
            if !self.message().contains(w) {
                return Err(format!("message lacks {w:?}: {}", self.message()));
            }
        }
        Ok(())
    }
}

const DEADLINE: Duration = Duration::from_secs(120);

pub(crate) fn run(env: &Env, args: &[&str]) -> Outcome {
    let out = env
        .cmd()
        .args(args)
        .arg("--json")
        .timeout(DEADLINE)
        .output()
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            out.status.signal().is_none(),
            "{args:?} was killed by signal {:?} (a crash, or the {DEADLINE:?} deadline)\n{}",
            out.status.signal(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        error: serde_json::from_str(stderr.lines().last().unwrap_or("")).unwrap_or(Value::Null),
    }
}

/// One hostile case: its name, and a check that says what went wrong.
pub(crate) type Case<'a> = (&'a str, Box<dyn FnOnce() -> Result<(), String> + 'a>);

/// Run every case; report all failures at once, with the count tried.
pub(crate) fn suite(cases: Vec<Case<'_>>) {
    let total = cases.len();
    let failures: Vec<String> = cases
        .into_iter()
        .filter_map(|(name, case)| case().err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {total} hostile cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

const DOC: &str = "# Acme Security\n\n## Encryption\n\nData is encrypted at rest.\n";

fn version_table(date: &str, file: &str, format: &str, sha: &str) -> String {
    format!(
        "[[document.version]]\ndate = \"{date}\"\nfile = \"{file}\"\nformat = \"{format}\"\nsha256 = \"{sha}\"\nsource = \"test\"\ncaptured = \"2024-01-02\"\n"
    )
}

fn document(id: &str, versions: &str) -> String {
    format!("[[document]]\nid = \"{id}\"\nvendor = \"Acme\"\ntitle = \"Security\"\n\n{versions}\n")
}

/// A corpus directory holding `files` and `manifest`.
fn corpus(env: &Env, name: &str, files: &[(&str, &[u8])], manifest: &[u8]) -> String {
    let dir = env.path(name);
    std::fs::create_dir_all(&dir).unwrap();
    for (f, bytes) in files {
        let p = dir.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    std::fs::write(dir.join("manifest.toml"), manifest).unwrap();
    dir.display().to_string()
}

fn valid_manifest() -> String {
    document(
        "acme",
        &version_table(
            "2024-01-01",
            "a.md",
            "markdown",
            &sha256_hex(DOC.as_bytes()),
        ),
    )
}

#[test]
fn hostile_manifests() {
    let env = Env::new();
    let open = |name: &str, files: &[(&str, &[u8])], manifest: &[u8]| {
        let dir = corpus(&env, name, files, manifest);
        run(&env, &["--corpus", &dir, "versions"])
    };
    let doc = DOC.as_bytes();
    let sha = sha256_hex(doc);
    suite(vec![
        (
            "binary manifest",
            Box::new(|| {
                open("m1", &[], &[0, 1, 2, 0xff, 0xfe, 0, 7]).is_clear_error(&["manifest.toml"])
            }),
        ),
        (
            "invalid UTF-8 manifest",
            Box::new(|| {
                open("m2", &[], b"[[document]]\nid = \"a\xff\xfe\"\n")
                    .is_clear_error(&["manifest.toml"])
            }),
        ),
        (
            "TOML nested 100 000 deep",
            Box::new(|| {
                let deep = format!("a = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
                open("m3", &[], deep.as_bytes()).is_clear_error(&["manifest.toml:1"])
            }),
        ),
        (
            "two versions with one date",
            Box::new(|| {
                let v = version_table("2024-01-01", "a.md", "markdown", &sha);
                open(
                    "m4",
                    &[("a.md", doc)],
                    document("acme", &format!("{v}\n{v}")).as_bytes(),
                )
                .is_clear_error(&["manifest.toml:", "2024-01-01"])
            }),
        ),
        (
            "two documents with one ID",
            Box::new(|| {
                let m = format!("{}\n{}", valid_manifest(), valid_manifest());
                open("m5", &[("a.md", doc)], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "acme"])
            }),
        ),
        (
            "path traversal ../../etc/passwd",
            Box::new(|| {
                let m = document(
                    "acme",
                    &version_table("2024-01-01", "../../etc/passwd", "pdf-text", &sha),
                );
                open("m6", &[], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "../../etc/passwd"])
            }),
        ),
        (
            "absolute path /etc/passwd",
            Box::new(|| {
                let m = document(
                    "acme",
                    &version_table("2024-01-01", "/etc/passwd", "pdf-text", &sha),
                );
                open("m7", &[], m.as_bytes()).is_clear_error(&["manifest.toml:", "/etc/passwd"])
            }),
        ),
        (
            "a symlink out of the corpus",
            Box::new(|| {
                let dir = corpus(&env, "m8", &[], valid_manifest().as_bytes());
                std::os::unix::fs::symlink("/etc/hostname", Path::new(&dir).join("a.md")).unwrap();
                run(&env, &["--corpus", &dir, "versions"]).is_clear_error(&["a.md"])
            }),
        ),
        (
            "a date that is not a day",
            Box::new(|| {
                let m = document(
                    "acme",
                    &version_table("2023-02-29", "a.md", "markdown", &sha),
                );
                open("m9", &[("a.md", doc)], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "2023-02-29"])
            }),
        ),
        (
            "a date far in the future",
            Box::new(|| {
                let m = document(
                    "acme",
                    &version_table("2999-01-01", "a.md", "markdown", &sha),
                );
                open("m10", &[("a.md", doc)], m.as_bytes()).is_clear_error(&[
                    "manifest.toml:",
                    "2999-01-01",
                    "future",
                ])
            }),
        ),
        (
            "an unknown format",
            Box::new(|| {
                let m = document("acme", &version_table("2024-01-01", "a.md", "docx", &sha));
                open("m11", &[("a.md", doc)], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "docx"])
            }),
        ),
        (
            "a wrong hash",
            Box::new(|| {
                let m = document(
                    "acme",
                    &version_table("2024-01-01", "a.md", "markdown", &"0".repeat(64)),
                );
                open("m12", &[("a.md", doc)], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "a.md"])
            }),
        ),
        (
            "a document ID with a path in it",
            Box::new(|| {
                let m = document(
                    "../evil",
                    &version_table("2024-01-01", "a.md", "markdown", &sha),
                );
                open("m13", &[("a.md", doc)], m.as_bytes())
                    .is_clear_error(&["manifest.toml:", "../evil"])
            }),
        ),
        (
            "a manifest with a BOM and CRLF line ends opens",
            Box::new(|| {
                let m = format!("\u{feff}{}", valid_manifest().replace('\n', "\r\n"));
                let o = open("m14", &[("a.md", doc)], m.as_bytes());
                match o.code {
                    0 if o.stdout.contains("acme@2024-01-01") => Ok(()),
                    _ => Err(format!("exit {}: {}", o.code, o.message())),
                }
            }),
        ),
        (
            "a listed file that is a directory",
            Box::new(|| {
                let dir = corpus(&env, "m15", &[], valid_manifest().as_bytes());
                std::fs::create_dir_all(Path::new(&dir).join("a.md")).unwrap();
                run(&env, &["--corpus", &dir, "versions"]).is_clear_error(&["a.md"])
            }),
        ),
    ]);
}

#[test]
fn hostile_documents() {
    let env = Env::new();
    let ingest = |name: &str, bytes: &[u8], format: &str| {
        let file = env.path(name);
        std::fs::write(&file, bytes).unwrap();
        let corpus = env.path(&format!("c-{name}"));
        let o = run(
            &env,
            &[
                "--corpus",
                corpus.to_str().unwrap(),
                "ingest",
                file.to_str().unwrap(),
                "--vendor",
                "V",
                "--document",
                "D",
                "--date",
                "2024-01-01",
                "--format",
                format,
            ],
        );
        (o, corpus)
    };
    // Nothing half-written: a refused document leaves no corpus behind.
    let refused = |name: &str, bytes: &[u8], format: &str, words: &[&str]| {
        let (o, corpus) = ingest(name, bytes, format);
        o.is_clear_error(&[&[name][..], words].concat())?;
        if corpus.join("manifest.toml").exists() {
            return Err("a manifest was written".into());
        }
        Ok(())
    };
    // Accepted: the clause `clause` (of version v-d@2024-01-01) is shown, and
    // `check` approves what it says.
    let accepted =
        |name: &str, bytes: &[u8], format: &str, clause: &str, check: &dyn Fn(&str) -> bool| {
            let (o, corpus) = ingest(name, bytes, format);
            if o.code != 0 {
                return Err(format!("refused: {}", o.message()));
            }
            let id = format!("v-d@2024-01-01/{clause}");
            let shown = run(&env, &["--corpus", corpus.to_str().unwrap(), "show", &id]);
            if shown.code != 0 {
                return Err(format!("show {id}: {}", shown.message()));
            }
            check(&shown.stdout)
                .then_some(())
                .ok_or_else(|| format!("shown: {}", &shown.stdout[..shown.stdout.len().min(400)]))
        };
    let hundred_mb = vec![b'a'; 100 * 1024 * 1024];
    suite(vec![
        (
            "empty Markdown",
            Box::new(|| refused("empty.md", b"", "markdown", &["empty"])),
        ),
        (
            "binary as Markdown",
            Box::new(|| {
                refused(
                    "bin.md",
                    &[0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2],
                    "markdown",
                    &[],
                )
            }),
        ),
        (
            "invalid UTF-8 as PDF text",
            Box::new(|| {
                refused(
                    "bad.txt",
                    b"Good line\nbad \xc3\x28 byte\n",
                    "pdf-text",
                    &["line 2"],
                )
            }),
        ),
        (
            "100 MB of Markdown",
            Box::new(|| refused("big.md", &hundred_mb, "markdown", &["limit"])),
        ),
        (
            "100 MB of PDF text",
            Box::new(|| refused("big.txt", &hundred_mb, "pdf-text", &["limit"])),
        ),
        (
            "100 MB as a PDF",
            Box::new(|| refused("big.pdf", &hundred_mb, "pdf", &["limit"])),
        ),
        (
            "garbage after %PDF-",
            Box::new(|| {
                refused(
                    "junk.pdf",
                    b"%PDF-1.7\n\x00\xff garbage \x01\x02 trailer <<>>",
                    "pdf",
                    &[],
                )
            }),
        ),
        (
            "a PDF that is only a header",
            Box::new(|| refused("hdr.pdf", b"%PDF-1.4\n%%EOF\n", "pdf", &[])),
        ),
        (
            "a text file named .pdf",
            Box::new(|| {
                refused(
                    "text.pdf",
                    b"# Not a PDF\n\nJust text.\n",
                    "pdf",
                    &["not a PDF"],
                )
            }),
        ),
        (
            "empty HTML",
            Box::new(|| refused("e.html", b"<html><body></body></html>", "html", &[])),
        ),
        (
            "HTML nested 100 000 deep",
            Box::new(|| {
                let deep = format!(
                    "<html><body>{}<p>deep text here.</p>{}</body></html>",
                    "<div>".repeat(100_000),
                    "</div>".repeat(100_000)
                );
                refused(
                    "deep.html",
                    deep.as_bytes(),
                    "html",
                    &["nested 100000 deep"],
                )
            }),
        ),
        (
            "Markdown with script, onerror and javascript: links",
            Box::new(|| {
                accepted(
            "xss.md",
            b"# T\n\n## S\n\nSafe text <script>alert(1)</script> and <img src=x onerror=alert(2)> and [a link](javascript:alert(3)).\n",
            "markdown",
            "s/1",
            &|t| t.contains("Safe text") && t.contains("a link") && !t.contains("alert") && !t.contains("<script"),
        )
            }),
        ),
        (
            "HTML with script, onerror and javascript: links",
            Box::new(|| {
                accepted(
            "xss.html",
            b"<html><head><script>alert(1)</script></head><body><main><h1>T</h1><p>Safe text <img src=x onerror=alert(2)> and <a href=\"javascript:alert(3)\">a link</a>.</p><script>alert(4)</script></main></body></html>",
            "html",
            "t/1",
            &|t| t.contains("Safe text") && t.contains("a link") && !t.contains("alert"),
        )
            }),
        ),
        (
            "a 100 000-line Markdown paragraph",
            Box::new(|| {
                let long = format!(
                    "# T\n\n## S\n\n{}\n",
                    "word and more words\n".repeat(100_000)
                );
                accepted("long.md", long.as_bytes(), "markdown", "s/1", &|t| {
                    t.split_whitespace().count() >= 400_000
                })
            }),
        ),
        (
            "a 5 MB line without spaces",
            Box::new(|| {
                let line = format!("# T\n\n## S\n\n{}\n", "x".repeat(5 * 1024 * 1024));
                accepted("oneline.md", line.as_bytes(), "markdown", "s/1", &|t| {
                    t.len() >= 5 * 1024 * 1024
                })
            }),
        ),
        (
            "a million emphasis markers",
            Box::new(|| {
                let stars = format!("# T\n\n## S\n\nText {}\n", "*a_ ".repeat(250_000));
                accepted("stars.md", stars.as_bytes(), "markdown", "s/1", &|t| {
                    t.contains("Text")
                })
            }),
        ),
        (
            "PDF text of only page numbers and footers",
            Box::new(|| {
                let pages: String = (1..=50)
                    .map(|n| format!("Acme Confidential\n{n}\n\u{c}"))
                    .collect();
                refused("footers.txt", pages.as_bytes(), "pdf-text", &["no clauses"])
            }),
        ),
        (
            "NUL bytes in PDF text",
            Box::new(|| refused("nul.txt", b"Text\0with\0nuls\0\0\0\0\0\0", "pdf-text", &[])),
        ),
    ]);
}

#[test]
fn hostile_matrix_and_lexicon_files() {
    let env = Env::new();
    let base = || {
        corpus(
            &env,
            "base",
            &[("a.md", DOC.as_bytes())],
            valid_manifest().as_bytes(),
        )
    };
    let dir = base();
    let with = |file: &str, text: &str| {
        let p = Path::new(&dir).join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        let o = run(&env, &["--corpus", &dir, "matrix"]);
        let d = run(
            &env,
            &["--corpus", &dir, "diff", "2024-01-01", "2024-01-01"],
        );
        std::fs::remove_file(&p).unwrap();
        (o, d)
    };
    let good_matrix =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/matrix.toml"))
            .unwrap();
    suite(vec![
        (
            "a matrix file that is not TOML",
            Box::new(|| {
                with("matrix.toml", "[matrix\nid = ")
                    .0
                    .is_clear_error(&["matrix.toml:"])
            }),
        ),
        (
            "a matrix with two entries of one ID",
            Box::new(|| {
                let first = good_matrix.find("[[entry]]").unwrap();
                let second = first + 1 + good_matrix[first + 1..].find("[[entry]]").unwrap();
                let dup = format!("{}\n{}", good_matrix, &good_matrix[first..second]);
                with("matrix.toml", &dup)
                    .0
                    .is_clear_error(&["matrix.toml:"])
            }),
        ),
        (
            "a matrix entry with an unknown owner",
            Box::new(|| {
                let bad = good_matrix.replacen("owner = \"provider\"", "owner = \"nobody\"", 1);
                with("matrix.toml", &bad)
                    .0
                    .is_clear_error(&["matrix.toml:", "nobody"])
            }),
        ),
        (
            "a second matrix file that is binary",
            Box::new(|| {
                with("matrices/extra.toml", "\u{0}\u{1}\u{2}garbage")
                    .0
                    .is_clear_error(&["extra.toml"])
            }),
        ),
        (
            "a matrix nested 50 000 deep",
            Box::new(|| {
                let deep = format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000));
                with("matrix.toml", &deep)
                    .0
                    .is_clear_error(&["matrix.toml:"])
            }),
        ),
        (
            "a lexicon file that is not TOML",
            Box::new(|| {
                with("lexicon.toml", "[[framework]\nname=")
                    .1
                    .is_clear_error(&["lexicon.toml:"])
            }),
        ),
        (
            "a lexicon with a wrong type",
            Box::new(|| {
                with("lexicon.toml", "[[framework]]\nname = 42\n")
                    .1
                    .is_clear_error(&["lexicon.toml:"])
            }),
        ),
        (
            "an empty lexicon file",
            Box::new(|| {
                let (_, d) = with("lexicon.toml", "");
                // Either a clear error or an empty vocabulary: never a crash.
                if d.code != 0 && !d.message().contains("lexicon.toml") {
                    return Err(d.message().to_string());
                }
                Ok(())
            }),
        ),
        (
            "search keeps working with a broken lexicon",
            Box::new(|| {
                let p = Path::new(&dir).join("lexicon.toml");
                std::fs::write(&p, "not = [toml").unwrap();
                let o = run(&env, &["--corpus", &dir, "search", "encrypted"]);
                std::fs::remove_file(&p).unwrap();
                (o.code == 0)
                    .then_some(())
                    .ok_or_else(|| o.message().to_string())
            }),
        ),
    ]);
}

#[test]
fn hostile_queries_notes_exports_and_databases() {
    let env = Env::new();
    let clause = "heroku-spa@2023-05-05/data-encryption/1";
    let search = |q: &str| run(&env, &["search", q]);
    let bad_query = |q: &str| {
        let o = search(q);
        if o.code == 0 {
            return Ok(()); // read leniently, fine too
        }
        (o.error["code"] == "bad_query")
            .then_some(())
            .ok_or_else(|| format!("{}: {}", o.error["code"], o.message()))
    };
    let secret = env.path("secret.txt");
    std::fs::write(&secret, "keep me").unwrap();
    let export = |path: &str, force: bool| {
        let mut args = vec!["export", "--format", "md", "--out", path];
        if force {
            args.push("--force");
        }
        run(&env, &args)
    };
    suite(vec![
        (
            "an unclosed quote",
            Box::new(|| bad_query("\"Privacy Shield")),
        ),
        (
            "unbalanced parentheses",
            Box::new(|| bad_query("((encryption OR rest")),
        ),
        (
            "parentheses 900 deep",
            Box::new(|| bad_query(&format!("{}a{}", "(".repeat(900), ")".repeat(900)))),
        ),
        (
            "a 100 000-byte query",
            Box::new(|| search(&"encryption ".repeat(10_000)).is_clear_error(&["limit"])),
        ),
        ("fuzzy distance 99", Box::new(|| bad_query("harbor~99"))),
        (
            "an unknown field",
            Box::new(|| bad_query("nosuchfield:value")),
        ),
        (
            "a field that is stored but not searchable",
            Box::new(|| search("id:anything").is_clear_error(&["\"id\" cannot be searched"])),
        ),
        (
            "only operators",
            Box::new(|| bad_query("AND OR NOT - + ~ ^")),
        ),
        (
            "control characters and NUL",
            Box::new(|| bad_query("enc\u{1}ryption \u{7f}")),
        ),
        (
            "a note of 10 MB",
            Box::new(|| {
                let big = "x".repeat(10 * 1024 * 1024);
                let o = run(&env, &["note", "add", clause, "--text", &big[..120_000]]);
                o.is_clear_error(&["at most"])
            }),
        ),
        (
            "a note with script and markup is stored and exported as text",
            Box::new(|| {
                let o = run(
                    &env,
                    &[
                        "note",
                        "add",
                        clause,
                        "--text",
                        "<script>alert(1)</script> **bold** <img src=x onerror=alert(2)>",
                    ],
                );
                if o.code != 0 {
                    return Err(o.message().to_string());
                }
                let html = env.path("notes.html");
                let e = run(
                    &env,
                    &[
                        "export",
                        "--format",
                        "html",
                        "--out",
                        html.to_str().unwrap(),
                    ],
                );
                if e.code != 0 {
                    return Err(e.message().to_string());
                }
                let text = std::fs::read_to_string(&html).unwrap();
                (!text.contains("<script>alert") && !text.contains("<img src=x"))
                    .then_some(())
                    .ok_or("the HTML export carries live markup".into())
            }),
        ),
        (
            "a quote that is not in the clause",
            Box::new(|| {
                run(
                    &env,
                    &[
                        "note",
                        "add",
                        clause,
                        "--text",
                        "t",
                        "--quote",
                        "words that are not there",
                    ],
                )
                .is_clear_error(&["quote"])
            }),
        ),
        (
            "a note on a clause that does not exist",
            Box::new(|| {
                run(&env, &["note", "add", "nope@2020-01-01/x/1", "--text", "t"])
                    .is_clear_error(&["nope@2020-01-01"])
            }),
        ),
        (
            "an export over an existing file",
            Box::new(|| {
                export(secret.to_str().unwrap(), false).is_clear_error(&["exists"])?;
                (std::fs::read_to_string(&secret).unwrap() == "keep me")
                    .then_some(())
                    .ok_or("the file was replaced".into())
            }),
        ),
        (
            "an export path with ../../",
            Box::new(|| {
                std::fs::create_dir_all(env.path("a/b")).unwrap();
                let o = export(env.path("a/b/../../secret.txt").to_str().unwrap(), false);
                o.is_clear_error(&["exists"])?;
                (std::fs::read_to_string(&secret).unwrap() == "keep me")
                    .then_some(())
                    .ok_or("the file was replaced".into())
            }),
        ),
        (
            "an export path that is a directory",
            Box::new(|| {
                export(env.path("").to_str().unwrap(), true).is_clear_error(&["directory"])
            }),
        ),
        (
            "an export into a missing folder",
            Box::new(|| {
                export(env.path("no/such/dir/out.md").to_str().unwrap(), false)
                    .is_clear_error(&["no such directory"])
            }),
        ),
        (
            "an empty export path",
            Box::new(|| export("", false).is_clear_error(&["--out"])),
        ),
        (
            "an export over a symlink replaces the link, never its target",
            Box::new(|| {
                let link = env.path("link.md");
                std::os::unix::fs::symlink(&secret, &link).unwrap();
                let o = export(link.to_str().unwrap(), true);
                if o.code != 0 {
                    return Err(o.message().to_string());
                }
                (std::fs::read_to_string(&secret).unwrap() == "keep me"
                    && !std::fs::symlink_metadata(&link)
                        .unwrap()
                        .file_type()
                        .is_symlink())
                .then_some(())
                .ok_or("the symlink's target was written".into())
            }),
        ),
        (
            "a user database that is garbage",
            Box::new(|| {
                let other = Env::new();
                std::fs::create_dir_all(other.path("data")).unwrap();
                std::fs::write(other.path("data/trustlens.db"), vec![0x5a; 8192]).unwrap();
                let o = run(&other, &["note", "list"]);
                o.is_clear_error(&["trustlens.db"])?;
                // Search still works: the corpus does not need the database.
                let s = run(&other, &["search", "encryption"]);
                (s.code == 0).then_some(()).ok_or(s.message().to_string())
            }),
        ),
    ]);
}
