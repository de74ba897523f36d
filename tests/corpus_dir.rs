//! Corpus directories: manifest problems name the file and line, and
//! `ingest` adds versions atomically.

use std::fs;
use std::path::Path;

use trustlens::corpus::add::{add_version, AddVersion, Added};
use trustlens::corpus::{Corpus, CorpusError, MANIFEST};
use trustlens::text::sha256_hex;

const DOC: &str = "# ACME Security\n\n## Encryption\n\nData is encrypted at rest.\n";

fn corpus_with(dir: &Path, files: &[(&str, &str)], manifest: &str) {
    for (name, text) in files {
        let p = dir.join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    fs::write(dir.join(MANIFEST), manifest).unwrap();
}

fn manifest_for(file: &str, sha: &str, format: &str) -> String {
    format!("[[document]]\nid = \"acme-sec\"\nvendor = \"ACME\"\ntitle = \"Security\"\n\n[[document.version]]\ndate = \"2024-01-01\"\nfile = \"{file}\"\nformat = \"{format}\"\nsha256 = \"{sha}\"\nsource = \"test\"\ncaptured = \"2024-01-02\"\n")
}

#[test]
fn a_valid_directory_opens() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with(
        tmp.path(),
        &[("a.md", DOC)],
        &manifest_for("a.md", &sha256_hex(DOC.as_bytes()), "markdown"),
    );
    let c = Corpus::open_dir(tmp.path()).unwrap();
    assert_eq!(c.versions.len(), 1);
    assert_eq!(
        c.versions[0].doc.clauses[0].id(),
        "acme-sec@2024-01-01/encryption/1"
    );
}

#[test]
fn a_missing_file_names_the_manifest_line_and_path() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with(
        tmp.path(),
        &[],
        &manifest_for("gone.md", &sha256_hex(b"x"), "markdown"),
    );
    let e = Corpus::open_dir(tmp.path()).unwrap_err();
    assert!(
        matches!(e, CorpusError::MissingFile { line: 8, .. }),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("manifest.toml:8") && msg.contains("gone.md") && msg.contains("missing"),
        "{msg}"
    );
}

#[test]
fn a_wrong_hash_names_the_manifest_line_and_both_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let wrong = sha256_hex(b"something else");
    corpus_with(
        tmp.path(),
        &[("a.md", DOC)],
        &manifest_for("a.md", &wrong, "markdown"),
    );
    let msg = Corpus::open_dir(tmp.path()).unwrap_err().to_string();
    assert!(
        msg.contains("manifest.toml:10")
            && msg.contains(&wrong)
            && msg.contains(&sha256_hex(DOC.as_bytes())),
        "{msg}"
    );
}

#[test]
fn an_unknown_format_names_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    corpus_with(
        tmp.path(),
        &[("a.md", DOC)],
        &manifest_for("a.md", &sha256_hex(DOC.as_bytes()), "docx"),
    );
    let msg = Corpus::open_dir(tmp.path()).unwrap_err().to_string();
    assert!(
        msg.ends_with(
            "manifest.toml:9: unknown format \"docx\" (known: markdown, pdf-text, pdf, html)"
        ),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_corpus_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tempfile::NamedTempFile::new().unwrap();
    fs::write(outside.path(), DOC).unwrap();
    corpus_with(
        tmp.path(),
        &[],
        &manifest_for("link.md", &sha256_hex(DOC.as_bytes()), "markdown"),
    );
    std::os::unix::fs::symlink(outside.path(), tmp.path().join("link.md")).unwrap();
    let msg = Corpus::open_dir(tmp.path()).unwrap_err().to_string();
    assert!(msg.contains("outside the corpus directory"), "{msg}");
}

#[test]
fn a_directory_without_manifest_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let msg = Corpus::open_dir(tmp.path()).unwrap_err().to_string();
    assert!(msg.contains("no manifest.toml"), "{msg}");
}

fn add_request(file: &Path, date: &str) -> AddVersion {
    AddVersion {
        file: file.to_path_buf(),
        vendor: "Example Cloud".into(),
        document: "Trust Overview".into(),
        date: date.into(),
        format: None,
        source: Some("https://example.invalid/trust".into()),
        captured: "2024-05-01".into(),
        note: None,
        document_id: None,
        ocr: Default::default(),
        on_ocr_page: None,
    }
}

#[test]
fn ingest_creates_a_corpus_then_adds_versions_to_the_same_family() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let src = tmp.path().join("v1.md");
    fs::write(&src, DOC).unwrap();
    let Added::New(v1) = add_version(&dir, &add_request(&src, "2024-01-01")).unwrap() else {
        panic!("new")
    };
    assert_eq!(v1.id, "example-cloud-trust-overview@2024-01-01");
    assert_eq!(v1.format, "markdown");

    let src2 = tmp.path().join("v2.txt");
    fs::write(
        &src2,
        "Encryption\nData is encrypted at rest and in transit.\n",
    )
    .unwrap();
    let Added::New(v2) = add_version(&dir, &add_request(&src2, "2024-06-01")).unwrap() else {
        panic!("new")
    };
    assert_eq!(v2.document_id, v1.document_id);
    assert_eq!(v2.format, "pdf-text");

    let corpus = Corpus::open_dir(&dir).unwrap();
    assert_eq!(corpus.versions.len(), 2);
    assert_eq!(
        corpus.versions[1].info.provenance.source,
        "https://example.invalid/trust"
    );
    // The file is kept exactly as received.
    assert_eq!(fs::read(dir.join(&v1.file)).unwrap(), DOC.as_bytes());

    // The same bytes again: a no-op. Different bytes, same date: refused.
    assert!(matches!(
        add_version(&dir, &add_request(&src, "2024-01-01")).unwrap(),
        Added::AlreadyPresent(_)
    ));
    let e = add_version(&dir, &add_request(&src2, "2024-01-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("already has a version dated 2024-01-01"), "{e}");
}

#[test]
fn a_failed_ingest_leaves_the_corpus_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("corpus");
    let src = tmp.path().join("v1.md");
    fs::write(&src, DOC).unwrap();
    add_version(&dir, &add_request(&src, "2024-01-01")).unwrap();
    let before_manifest = fs::read(dir.join(MANIFEST)).unwrap();
    let before_files: Vec<_> = walk(&dir);

    let bin = tmp.path().join("scan.txt");
    fs::write(&bin, b"%PDF-1.4\0\0binary").unwrap();
    for bad in [
        add_request(&bin, "2024-02-01"),
        add_request(&src, "2024-13-01"),
        add_request(&tmp.path().join("nope.md"), "2024-03-01"),
    ] {
        assert!(add_version(&dir, &bad).is_err());
    }
    let empty = tmp.path().join("footers.txt");
    fs::write(&empty, "1\nCopyright\n2\nCopyright\n3\nCopyright\n").unwrap();
    let e = add_version(&dir, &add_request(&empty, "2024-04-01"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no clauses"), "{e}");

    assert_eq!(fs::read(dir.join(MANIFEST)).unwrap(), before_manifest);
    assert_eq!(walk(&dir), before_files);
}

#[test]
fn ingest_keeps_the_users_comments_in_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    corpus_with(
        dir,
        &[("a.md", DOC)],
        &format!(
            "# my notes about this corpus\n{}",
            manifest_for("a.md", &sha256_hex(DOC.as_bytes()), "markdown")
        ),
    );
    let src = tmp.path().join("new.md");
    fs::write(&src, DOC.replace("rest", "rest and in transit")).unwrap();
    let mut req = add_request(&src, "2024-09-09");
    req.document = "acme-sec".into();
    let Added::New(v) = add_version(dir, &req).unwrap() else {
        panic!()
    };
    assert_eq!(v.document_id, "acme-sec");
    let text = fs::read_to_string(dir.join(MANIFEST)).unwrap();
    assert!(text.starts_with("# my notes about this corpus\n"));
    assert_eq!(Corpus::open_dir(dir).unwrap().versions.len(), 2);
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out.sort();
    out
}

/// The benchmarks' corpus generator (`bench/gen_corpus.rs`): same seed, same
/// bytes; the corpus opens; its PDF-text versions lose their running headers
/// and page numbers like real ones.
#[test]
fn a_generated_corpus_is_the_same_bytes_every_time_and_opens() {
    use trustlens_synth::{write_corpus, CorpusSpec};
    let spec = CorpusSpec {
        seed: 9,
        vendors: 2,
        documents: 2,
        versions: 3,
        min_pages: 3,
        max_pages: 4,
    };
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let summary = write_corpus(&a, &spec).unwrap();
    write_corpus(&b, &spec).unwrap();
    assert_eq!(summary.versions, 12);
    let files = |root: &Path| {
        let mut out = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    out.push((
                        p.strip_prefix(root).unwrap().to_path_buf(),
                        fs::read(&p).unwrap(),
                    ));
                }
            }
        }
        out.sort();
        out
    };
    assert_eq!(files(&a), files(&b), "same seed, same bytes");
    assert!(
        write_corpus(&a, &spec).is_err(),
        "never over an existing corpus"
    );

    let corpus = Corpus::open_dir(&a).unwrap();
    assert_eq!(corpus.versions.len(), 12);
    assert!(corpus.warnings.is_empty(), "{:?}", corpus.warnings);
    let pdf_text: Vec<_> = corpus
        .versions
        .iter()
        .filter(|v| v.info.format == "pdf-text")
        .collect();
    assert_eq!(pdf_text.len(), 6);
    for v in pdf_text {
        assert!(v.doc.clauses.iter().any(|c| c.pages.iter().any(|&p| p > 1)));
        for c in &v.doc.clauses {
            assert!(
                !c.text.contains(" — "),
                "a running header became a clause: {}",
                c.text
            );
            assert!(
                !c.text.starts_with("Page "),
                "a page number became a clause: {}",
                c.text
            );
        }
    }
}

/// A new version mostly repeats the one before: the texts a document's
/// versions have in common are held once, and only within the document.
#[test]
fn the_versions_of_a_document_share_the_texts_they_have_in_common() {
    use std::collections::HashMap;
    use std::sync::Arc;
    use trustlens_synth::{write_corpus, CorpusSpec};
    let spec = CorpusSpec {
        seed: 3,
        vendors: 2,
        documents: 2,
        versions: 4,
        min_pages: 2,
        max_pages: 3,
    };
    let tmp = tempfile::tempdir().unwrap();
    write_corpus(tmp.path(), &spec).unwrap();
    let corpus = Corpus::open_dir(tmp.path()).unwrap();
    // Per document, the first copy of each text seen.
    let mut first: HashMap<(&str, &str), &Arc<str>> = HashMap::new();
    let (mut repeats, mut owners) = (0, HashMap::<*const u8, &str>::new());
    for v in &corpus.versions {
        for c in &v.doc.clauses {
            let doc = v.info.document_id.as_str();
            match first.get(&(doc, &*c.text)) {
                Some(t) => {
                    assert!(Arc::ptr_eq(t, &c.text), "{} holds a copy", c.id());
                    repeats += 1;
                }
                None => {
                    first.insert((doc, &*c.text), &c.text);
                }
            }
            let owner = *owners.entry(c.text.as_ptr()).or_insert(doc);
            assert_eq!(owner, doc, "{} shares a text with another document", c.id());
        }
    }
    assert!(repeats > 100, "only {repeats} texts repeat across versions");
}

/// Found by `crash::killing_an_import_at_any_moment_leaves_a_valid_corpus`:
/// an add killed after copying the file but before the manifest was
/// replaced left a file that every later attempt refused ("already exists
/// and is not in the manifest"), so a killed import could not be finished.
#[test]
fn regression_an_add_killed_between_its_two_steps_can_be_finished() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src.md");
    fs::write(&src, DOC).unwrap();
    let corpus = tmp.path().join("corpus");
    // What the killed add left: the copy, and no manifest entry.
    let leftover = corpus.join("example-cloud-trust-overview/2024-01-01.md");
    fs::create_dir_all(leftover.parent().unwrap()).unwrap();
    fs::write(&leftover, DOC).unwrap();
    let added = add_version(&corpus, &add_request(&src, "2024-01-01")).unwrap();
    assert!(matches!(added, Added::New(_)), "{added:?}");
    assert_eq!(Corpus::open_dir(&corpus).unwrap().versions.len(), 1);

    // A different file in the way is someone's: refused, and left alone.
    let other = corpus.join("example-cloud-trust-overview/2024-02-01.md");
    fs::write(&other, "# Not this\n\nSomething else.\n").unwrap();
    let e = add_version(&corpus, &add_request(&src, "2024-02-01")).unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    assert_eq!(
        fs::read_to_string(&other).unwrap(),
        "# Not this\n\nSomething else.\n"
    );
}

/// Versions load on several threads; the error reported must still be the
/// first problem in manifest order, whichever thread met it first.
#[test]
fn of_several_broken_versions_the_first_in_the_manifest_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    let mut manifest =
        String::from("[[document]]\nid = \"acme-sec\"\nvendor = \"ACME\"\ntitle = \"Security\"\n");
    let texts: Vec<String> = (0..40).map(|i| format!("{DOC}\nClause {i}.\n")).collect();
    for (i, text) in texts.iter().enumerate() {
        let file = format!("v{i:02}.md");
        // Versions 17 and 31 have wrong hashes; everything else is fine.
        let sha = if i == 17 || i == 31 {
            sha256_hex(b"not these bytes")
        } else {
            sha256_hex(text.as_bytes())
        };
        manifest.push_str(&format!(
            "\n[[document.version]]\ndate = \"2020-{:02}-{:02}\"\nfile = \"{file}\"\nformat = \"markdown\"\nsha256 = \"{sha}\"\nsource = \"test\"\ncaptured = \"2024-01-02\"\n",
            i / 28 + 1,
            i % 28 + 1
        ));
        files.push((file, text.as_str()));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (f.as_str(), *t)).collect();
    corpus_with(tmp.path(), &files, &manifest);
    for _ in 0..5 {
        match Corpus::open_dir(tmp.path()).unwrap_err() {
            CorpusError::HashMismatch { path, .. } => assert_eq!(path, "v17.md"),
            e => panic!("{e:?}"),
        }
    }
}

/// `Corpus::version` answers from a map built on first use; `versions` is
/// public, so a changed list must not make it answer wrongly.
#[test]
fn versions_are_found_by_id_even_after_the_list_changes() {
    let (_tmp, mut c) = crate::common::generated_corpus(3, 2, 2, 3, 1);
    let ids: Vec<String> = c.versions.iter().map(|v| v.info.id.clone()).collect();
    for id in &ids {
        assert_eq!(&c.version(id).unwrap().info.id, id);
    }
    let first = c.clauses().next().unwrap().1.id();
    assert!(c.clause(&first).is_ok());
    let removed = c.versions.remove(0);
    assert!(c.version(&removed.info.id).is_err());
    assert!(c.clause(&first).is_err());
    for id in &ids[1..] {
        assert_eq!(&c.version(id).unwrap().info.id, id);
    }
}
