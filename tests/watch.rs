//! `trustlens watch` as a user runs it, against a real HTTP server on
//! 127.0.0.1 started by each test: a real change records a new version, a
//! date-only change records nothing, every bad response is an error of its
//! source that records nothing, and every fetch keeps a snapshot.

use serde_json::Value;

use crate::common::http::{Reply, Server};
use crate::common::Env;

fn page(date: &str, retention: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Acme Privacy</title><script>track()</script></head><body>\
         <nav>Home | Pricing</nav><div class=\"cookie-banner\">We use cookies</div>\
         <main><h1>Privacy Policy</h1><p>Effective date: {date}</p>\
         <h2>Retention</h2><p>We keep sign-up IP addresses {retention}.</p>\
         <h2>Security incidents</h2><p>We will notify affected customers of a breach within 72 hours.</p>\
         <p>Rendered at 10:42:07 UTC.</p></main></body></html>"
    )
}

/// A corpus directory watching `url` as Acme's privacy policy; returns the source ID.
fn watch(env: &Env, url: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "--corpus",
        "c",
        "watch",
        "add",
        url,
        "--vendor",
        "Acme",
        "--document",
        "Privacy Policy",
    ];
    args.extend_from_slice(extra);
    env.json(&args)["id"].as_str().unwrap().to_string()
}

fn run(env: &Env, id: Option<&str>) -> (i32, Value, String) {
    let mut cmd = env.cmd();
    cmd.args(["--corpus", "c", "watch", "run", "--json", "--timeout", "2"]);
    cmd.args(id);
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn versions(env: &Env) -> Vec<Value> {
    if !env.path("c/manifest.toml").exists() {
        return vec![];
    }
    let v = env.json(&["--corpus", "c", "versions"]);
    v.as_array().cloned().unwrap_or_default()
}

fn snapshots(env: &Env, id: &str) -> usize {
    std::fs::read_dir(env.path(&format!("c/watch/snapshots/{id}")))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn a_real_change_records_a_new_version_and_a_date_only_change_nothing() {
    let server = Server::start();
    server.set("/privacy", Reply::html(&page("March 1, 2026", "forever")));
    let env = Env::new();
    let id = watch(&env, &server.url("/privacy?utm_source=newsletter"), &[]);

    let (code, first, err) = run(&env, None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first[0]["result"], "new_version", "{first}");
    assert_eq!(first[0]["version"], "acme-privacy-policy@2026-03-01");
    let recorded = &versions(&env)[0];
    assert_eq!(
        recorded["provenance"]["source"],
        server.url("/privacy"),
        "tracking parameter dropped"
    );
    let note = recorded["provenance"]["note"].as_str().unwrap();
    assert!(note.contains("snapshot sha256"), "{note}");
    let file = std::fs::read_to_string(env.path("c/acme-privacy-policy/2026-03-01.html")).unwrap();
    assert!(file.contains("sign-up IP addresses forever"));
    for noise in ["cookies", "Pricing", "track()"] {
        assert!(!file.contains(noise), "{noise} recorded: {file}");
    }

    // Only the stamp and the render time move: nothing is recorded.
    server.set(
        "/privacy",
        Reply::html(&page("March 9, 2026", "forever").replace("10:42:07", "11:00:00")),
    );
    let (code, same, err) = run(&env, Some(&id));
    assert_eq!(code, 0, "{err}");
    assert_eq!(same[0]["result"], "unchanged", "{same}");
    assert_eq!(versions(&env).len(), 1);

    // The text changes: a new version, dated as the page says, compared with the last.
    server.set(
        "/privacy",
        Reply::html(&page("April 2, 2026", "until the account is deleted")),
    );
    let (code, changed, err) = run(&env, None);
    assert_eq!(code, 0, "{err}");
    let c = &changed[0];
    assert_eq!(c["result"], "new_version", "{changed}");
    assert_eq!(c["version"], "acme-privacy-policy@2026-04-02");
    assert_eq!(c["previous"], "acme-privacy-policy@2026-03-01");
    assert!(c["changes"]["changes"].as_u64().unwrap() >= 1, "{c}");
    assert_eq!(versions(&env).len(), 2);
    assert_eq!(snapshots(&env, &id), 3, "a snapshot for every fetch");

    let listed = env.json(&["--corpus", "c", "watch", "list"]);
    assert_eq!(listed[0]["version"], "acme-privacy-policy@2026-04-02");
    assert!(listed[0]["last_changed"].is_string() && listed[0]["last_error"].is_null());
}

#[test]
fn a_404_is_an_error_that_records_nothing_and_backs_off() {
    let server = Server::start();
    let env = Env::new();
    let id = watch(&env, &server.url("/gone"), &[]);
    for n in 1..=3 {
        let (code, out, err) = run(&env, None);
        assert_eq!(code, 1, "{out} {err}");
        assert_eq!(out[0]["result"], "error");
        assert_eq!(out[0]["message"], "404 Not Found");
        assert_eq!(out[0]["failing"], n >= 3);
        assert!(err.contains("1 of 1 sources failed"), "{err}");
    }
    assert!(versions(&env).is_empty());
    assert_eq!(snapshots(&env, &id), 3, "failed fetches are kept too");
    let listed = env.json(&["--corpus", "c", "watch", "list"]);
    assert_eq!(listed[0]["failures"], 3);
    assert_eq!(listed[0]["failing"], true);
    // Backed off: the next scheduled check is days away, and a run of due
    // sources leaves it alone.
    let next = listed[0]["next_check"].as_str().unwrap();
    let checked = listed[0]["last_checked"].as_str().unwrap();
    assert!(next[..10] > checked[..10], "{next} vs {checked}");
    let (code, due, _) = {
        let out = env
            .cmd()
            .args(["--corpus", "c", "watch", "run", "--due", "--json"])
            .output()
            .unwrap();
        (
            out.status.code(),
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            (),
        )
    };
    assert_eq!(code, Some(0));
    assert_eq!(due, serde_json::json!([]));
    assert_eq!(server.hits("/gone"), 3);
}

#[test]
fn every_bad_response_is_its_sources_error_and_changes_nothing() {
    let server = Server::start();
    let good = page("March 1, 2026", "forever");
    let mut slow = Reply::html(&good);
    slow.delay = std::time::Duration::from_secs(5);
    let mut cut = Reply::new(200, "text/html", good.clone());
    cut.declared_length = Some(good.len() + 500);
    let cases: Vec<(&str, Reply, &str)> = vec![
        (
            "/500",
            Reply::new(500, "text/html", "oops"),
            "500 Internal Server Error",
        ),
        ("/410", Reply::new(410, "text/html", "gone"), "410 Gone"),
        (
            "/503",
            Reply::new(503, "text/html", "later"),
            "503 Service Unavailable",
        ),
        ("/slow", slow, "timed out"),
        (
            "/loop",
            Reply::new(302, "text/html", "").header("Location", "/loop"),
            "too many redirects",
        ),
        (
            "/png",
            Reply::new(200, "image/png", vec![0x89, b'P', b'N', b'G']),
            "image/png",
        ),
        (
            "/pdf",
            Reply::new(200, "application/pdf", b"%PDF-1.4\n1 0 obj\n<<>>".to_vec()),
            "truncated",
        ),
        ("/cut", cut, "broke off"),
        (
            "/empty",
            Reply::html("<html><body><main><div id=app></div></main></body></html>"),
            "no text",
        ),
    ];
    let env = Env::new();
    for (path, reply, _) in &cases {
        server.set(path, reply.clone());
        let mut args = vec!["--corpus", "c", "watch", "add"];
        let url = server.url(path);
        args.extend([url.as_str(), "--vendor", "Acme", "--document", path]);
        env.json(&args);
    }
    // Served fine, but the selector finds nothing: an error page with status 200.
    server.set("/moved", Reply::html(&good));
    watch(&env, &server.url("/moved"), &["--select", "article.policy"]);
    // TLS to a server that speaks plain HTTP.
    let tls = server.url("/tls").replace("http://", "https://");
    env.json(&[
        "--corpus",
        "c",
        "watch",
        "add",
        &tls,
        "--vendor",
        "Acme",
        "--document",
        "TLS",
    ]);

    let (code, out, _) = run(&env, None);
    assert_eq!(code, 1);
    let outcomes = out.as_array().unwrap();
    assert_eq!(outcomes.len(), cases.len() + 2);
    let message = |url: &str| {
        outcomes
            .iter()
            .find(|o| o["url"] == url)
            .unwrap_or_else(|| panic!("{url} in {out}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for (path, _, want) in &cases {
        let m = message(&server.url(path));
        assert!(m.contains(want), "{path}: {m} lacks {want}");
    }
    assert!(message(&server.url("/moved")).contains("matches nothing"));
    assert!(message(&tls).starts_with("TLS error"), "{}", message(&tls));
    assert!(outcomes.iter().all(|o| o["result"] == "error"), "{out}");
    assert!(versions(&env).is_empty(), "nothing recorded");
}

#[test]
fn a_page_a_hundred_times_its_usual_size_is_refused() {
    let server = Server::start();
    server.set("/p", Reply::html(&page("March 1, 2026", "forever")));
    let env = Env::new();
    let id = watch(&env, &server.url("/p"), &[]);
    assert_eq!(run(&env, None).0, 0);
    let huge = page("March 2, 2026", &"forever and ever ".repeat(10_000));
    server.set("/p", Reply::html(&huge));
    let (code, out, _) = run(&env, Some(&id));
    assert_eq!(code, 1);
    let m = out[0]["message"].as_str().unwrap();
    assert!(m.contains("100 times its usual size"), "{m}");
    assert_eq!(versions(&env).len(), 1);
    // It stays that large: after two refusals it is the page's new size.
    assert_eq!(run(&env, Some(&id)).0, 1);
    let (code, out, err) = run(&env, Some(&id));
    assert_eq!(code, 0, "{err}");
    assert_eq!(out[0]["result"], "new_version", "{out}");
    assert_eq!(versions(&env).len(), 2);
}

/// The page with "Effective date" replaced: no stamp, so versions are dated by the fetch.
fn undated(retention: &str) -> String {
    page("March 1, 2026", retention).replace("<p>Effective date: March 1, 2026</p>", "")
}

fn state_of(env: &Env, id: &str) -> Value {
    let listed = env.json(&["--corpus", "c", "watch", "list"]);
    listed
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn a_second_change_the_same_day_waits_and_keeps_the_last_versions_validators() {
    let server = Server::start();
    server.set(
        "/p",
        Reply::html(&undated("forever")).header("ETag", "\"v1\""),
    );
    let env = Env::new();
    let id = watch(&env, &server.url("/p"), &[]);
    assert_eq!(run(&env, None).0, 0);
    server.set(
        "/p",
        Reply::html(&undated("for a year")).header("ETag", "\"v2\""),
    );
    let (code, out, err) = run(&env, None);
    assert_eq!(code, 0, "a change to record later is not a failure: {err}");
    assert_eq!(out[0]["result"], "deferred", "{out}");
    assert!(
        out[0]["message"].as_str().unwrap().contains("a later day"),
        "{out}"
    );
    let st = state_of(&env, &id);
    assert!(st["pending"].is_string(), "{st}");
    assert!(st["last_error"].is_null(), "{st}");
    assert_eq!(
        st["etag"], "\"v1\"",
        "the recorded version's validators stay: {st}"
    );
    // The next check asks with them, so the server sends the changed page again.
    let (_, again, _) = run(&env, None);
    assert_eq!(again[0]["result"], "deferred", "{again}");
    assert!(server
        .last_request("/p")
        .iter()
        .any(|(k, v)| k == "if-none-match" && v == "\"v1\""));
    assert_eq!(versions(&env).len(), 1);
}

#[test]
fn a_stated_date_another_version_has_gives_way_to_the_fetch_day() {
    let server = Server::start();
    server.set("/p", Reply::html(&page("March 1, 2026", "forever")));
    let env = Env::new();
    let files = env.path("files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(
        files.join("privacy-2026-03-01.md"),
        "# Privacy Policy\n\nWe keep nothing.\n",
    )
    .unwrap();
    env.json(&[
        "--corpus",
        "c",
        "import",
        files.to_str().unwrap(),
        "--vendor",
        "Acme",
        "--document",
        "Privacy Policy",
    ]);
    watch(&env, &server.url("/p"), &[]);
    let (code, out, err) = run(&env, None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out[0]["result"], "new_version", "{out}");
    let version = out[0]["version"].as_str().unwrap();
    assert!(!version.ends_with("2026-03-01"), "{version}");
    assert_eq!(versions(&env).len(), 2);
}

#[test]
fn a_check_killed_after_recording_is_caught_up_by_the_next() {
    let server = Server::start();
    server.set("/p", Reply::html(&page("March 1, 2026", "forever")));
    let env = Env::new();
    let id = watch(&env, &server.url("/p"), &[]);
    assert_eq!(run(&env, None).0, 0);
    let state = env.path("c/watch/state.json");
    let before = std::fs::read(&state).unwrap();
    server.set("/p", Reply::html(&page("April 2, 2026", "for a year")));
    let (_, out, _) = run(&env, None);
    assert_eq!(out[0]["result"], "new_version", "{out}");
    // As if the process died after the version was recorded, before its state was saved.
    std::fs::write(&state, before).unwrap();
    let (code, out, err) = run(&env, None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out[0]["result"], "unchanged", "{out}");
    assert_eq!(versions(&env).len(), 2);
    assert_eq!(
        state_of(&env, &id)["version"],
        "acme-privacy-policy@2026-04-02"
    );
}

#[test]
fn a_hand_edited_source_that_is_wrong_fails_alone() {
    let server = Server::start();
    server.set("/a", Reply::html(&page("March 1, 2026", "forever")));
    server.set("/b", Reply::html(&page("March 1, 2026", "for a day")));
    let env = Env::new();
    let bad = watch(&env, &server.url("/a"), &[]);
    env.json(&[
        "--corpus",
        "c",
        "watch",
        "add",
        &server.url("/b"),
        "--vendor",
        "Acme",
        "--document",
        "Security",
    ]);
    let sources = env.path("c/watch/sources.toml");
    let text = std::fs::read_to_string(&sources).unwrap();
    let text = text.replacen("every = \"1d\"", "every = \"1d\"\nignore = [\"(\"]", 1);
    std::fs::write(&sources, text).unwrap();
    let (code, out, _) = run(&env, None);
    assert_eq!(code, 1);
    let outcomes = out.as_array().unwrap();
    let failed = outcomes
        .iter()
        .find(|o| o["source"] == bad.as_str())
        .unwrap();
    assert_eq!(failed["result"], "error");
    let m = failed["message"].as_str().unwrap();
    assert!(
        m.contains("sources.toml") && m.contains("ignore pattern"),
        "{m}"
    );
    assert!(
        outcomes.iter().any(|o| o["result"] == "new_version"),
        "{out}"
    );
}

#[test]
fn a_proxy_set_for_other_programs_is_not_used() {
    let server = Server::start();
    server.set("/p", Reply::html(&page("March 1, 2026", "forever")));
    let env = Env::new();
    watch(&env, &server.url("/p"), &[]);
    let out = env
        .std_cmd()
        .args(["--corpus", "c", "watch", "run", "--json", "--timeout", "2"])
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.hits("/p"), 1);
}

#[test]
fn conditional_requests_and_a_304_keep_a_snapshot() {
    let server = Server::start();
    server.set(
        "/p",
        Reply::html(&page("March 1, 2026", "forever")).header("ETag", "\"v1\""),
    );
    let env = Env::new();
    let id = watch(&env, &server.url("/p"), &[]);
    run(&env, None);
    let (code, out, _) = run(&env, None);
    assert_eq!(code, 0);
    assert_eq!(out[0]["result"], "unchanged");
    assert_eq!(out[0]["message"], "not modified");
    let asked = server.last_request("/p");
    assert!(
        asked
            .iter()
            .any(|(k, v)| k == "if-none-match" && v == "\"v1\""),
        "{asked:?}"
    );
    assert!(
        asked
            .iter()
            .any(|(k, v)| k == "user-agent" && v.starts_with("trustlens/")),
        "{asked:?}"
    );
    assert_eq!(snapshots(&env, &id), 2);
}

#[test]
fn ignore_patterns_and_pdf_sources() {
    let server = Server::start();
    let with_counter = |n: u32| {
        page("March 1, 2026", "forever")
            .replace("</main>", &format!("<p>{n} people read this</p></main>"))
    };
    server.set("/p", Reply::html(&with_counter(1)));
    let pdf = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pdf/northwind-security-2024-03-01.pdf"),
    )
    .unwrap();
    server.set("/sec.pdf", Reply::new(200, "application/pdf", pdf));
    let env = Env::new();
    let id = watch(
        &env,
        &server.url("/p"),
        &["--ignore", r"\d+ people read this"],
    );
    env.json(&[
        "--corpus",
        "c",
        "watch",
        "add",
        &server.url("/sec.pdf"),
        "--vendor",
        "Northwind",
        "--document",
        "Security",
    ]);
    let (code, out, err) = run(&env, None);
    assert_eq!(code, 0, "{out} {err}");
    assert!(
        out.as_array()
            .unwrap()
            .iter()
            .all(|o| o["result"] == "new_version"),
        "{out}"
    );
    let formats: Vec<_> = versions(&env)
        .iter()
        .map(|v| v["format"].as_str().unwrap().to_string())
        .collect();
    assert!(
        formats.contains(&"pdf".to_string()) && formats.contains(&"html".to_string()),
        "{formats:?}"
    );
    server.set("/p", Reply::html(&with_counter(2)));
    let (_, again, _) = run(&env, Some(&id));
    assert_eq!(again[0]["result"], "unchanged", "{again}");
}

#[test]
fn add_list_and_rm_with_clear_errors() {
    let env = Env::new();
    let (code, e) = env.fails(&[
        "--corpus",
        "c",
        "watch",
        "add",
        "ftp://example.test/x",
        "--vendor",
        "A",
        "--document",
        "D",
    ]);
    assert_eq!((code, e["code"].as_str()), (2, Some("invalid_argument")));
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("only http and https"));
    let (code, e) = env.fails(&[
        "--corpus",
        "c",
        "watch",
        "add",
        "http://127.0.0.1:9/x",
        "--vendor",
        "A",
        "--document",
        "D",
        "--every",
        "1s",
    ]);
    assert_eq!(code, 2, "{e}");
    let id = watch(
        &env,
        "http://127.0.0.1:9/x",
        &["--every", "6h", "--select", "main"],
    );
    let listed = env.json(&["--corpus", "c", "watch", "list"]);
    assert_eq!(listed[0]["every"], "6h");
    assert_eq!(listed[0]["select"], "main");
    let (code, e) = env.fails(&["--corpus", "c", "watch", "rm", "nope"]);
    assert_eq!((code, e["code"].as_str()), (3, Some("not_found")));
    env.json(&["--corpus", "c", "watch", "rm", &id]);
    assert_eq!(
        env.json(&["--corpus", "c", "watch", "list"]),
        serde_json::json!([])
    );
    let text = env
        .cmd()
        .args(["--corpus", "c", "watch", "list"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("no pages are watched"));
}

#[test]
fn two_runs_and_an_import_at_once_lose_nothing() {
    let server = Server::start();
    let env = Env::new();
    for i in 0..6 {
        let path = format!("/p{i}");
        server.set(
            &path,
            Reply::html(&page("March 1, 2026", &format!("for {i} days"))),
        );
        let url = server.url(&path);
        let doc = format!("Policy {i}");
        env.json(&[
            "--corpus",
            "c",
            "watch",
            "add",
            &url,
            "--vendor",
            "Acme",
            "--document",
            &doc,
        ]);
    }
    let files = env.path("files");
    std::fs::create_dir_all(&files).unwrap();
    for d in 1..=5 {
        std::fs::write(
            files.join(format!("terms-2025-01-0{d}.md")),
            format!("# Terms\n\nVersion {d}.\n"),
        )
        .unwrap();
    }
    let spawn = |args: &[&str]| {
        env.std_cmd()
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let mut children = vec![
        spawn(&["--corpus", "c", "watch", "run"]),
        spawn(&["--corpus", "c", "watch", "run"]),
        spawn(&[
            "--corpus",
            "c",
            "import",
            files.to_str().unwrap(),
            "--vendor",
            "Acme",
            "--document",
            "Terms",
        ]),
    ];
    for c in &mut children {
        assert!(c.wait().unwrap().success());
    }
    assert_eq!(versions(&env).len(), 6 + 5);
    let listed = env.json(&["--corpus", "c", "watch", "list"]);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 6);
    assert!(
        listed
            .iter()
            .all(|s| s["version"].is_string() && s["snapshots"] == 2),
        "{listed:?}"
    );
}

#[test]
fn a_damaged_state_file_is_a_clear_error() {
    let env = Env::new();
    watch(&env, "http://127.0.0.1:9/x", &[]);
    std::fs::write(env.path("c/watch/state.json"), "{not json").unwrap();
    let (code, e) = env.fails(&["--corpus", "c", "watch", "list"]);
    assert_eq!((code, e["code"].as_str()), (1, Some("watch")), "{e}");
    assert!(e["message"].as_str().unwrap().contains("state.json"), "{e}");
}
