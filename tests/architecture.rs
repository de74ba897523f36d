//! The library must never depend on tauri: the desktop shell depends on it,
//! not the other way round. Checked on the resolved dependency graph in
//! Cargo.lock (every kind of dependency of the `trustlens` package, transitively).

use std::collections::{BTreeSet, HashMap};

#[test]
fn the_library_does_not_depend_on_tauri() {
    let lock: toml::Value = toml::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap(),
    )
    .unwrap();
    let packages = lock["package"].as_array().unwrap();
    let deps: HashMap<&str, Vec<&str>> = packages
        .iter()
        .map(|p| {
            let name = p["name"].as_str().unwrap();
            let d = p
                .get("dependencies")
                .and_then(|d| d.as_array())
                .map(|a| {
                    a.iter()
                        .map(|d| d.as_str().unwrap().split(' ').next().unwrap())
                        .collect()
                })
                .unwrap_or_default();
            (name, d)
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec!["trustlens"];
    while let Some(name) = stack.pop() {
        if seen.insert(name) {
            stack.extend(deps.get(name).into_iter().flatten().copied());
        }
    }
    assert!(
        seen.contains("tantivy"),
        "sanity: the walk reached the library's dependencies"
    );
    let tauri: Vec<_> = seen
        .iter()
        .filter(|n| n.starts_with("tauri") || n.starts_with("wry") || n.starts_with("webkit2gtk"))
        .collect();
    assert!(
        tauri.is_empty(),
        "trustlens (the library) depends on {tauri:?}"
    );
}

/// The webview may do only what the app needs. Widening this list (a shell,
/// file-system or HTTP permission, a remote origin) must be a deliberate
/// change to this test, reviewed as such.
#[test]
fn the_webview_capabilities_are_the_ones_the_app_uses() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/capabilities");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(
        files
            .iter()
            .map(|f| f.file_name().unwrap().to_str().unwrap())
            .collect::<Vec<_>>(),
        ["default.json"],
        "a new capability file widens what the webview may do"
    );
    let cap: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(cap["windows"], serde_json::json!(["main"]));
    assert_eq!(
        cap["permissions"],
        serde_json::json!(["core:default", "dialog:allow-open"]),
        "permissions changed"
    );
    assert!(
        cap.get("remote").is_none(),
        "no remote origin may call the app"
    );
}

/// The Content Security Policy allows only the app's own scripts and styles:
/// no inline script, no eval, no remote origin.
#[test]
fn the_content_security_policy_is_strict() {
    let conf: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src-tauri/tauri.conf.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let csp = conf["app"]["security"]["csp"].as_str().unwrap();
    let directives: HashMap<&str, Vec<&str>> = csp
        .split(';')
        .filter_map(|d| {
            let mut parts = d.split_whitespace();
            Some((parts.next()?, parts.collect()))
        })
        .collect();
    assert_eq!(directives["default-src"], ["'self'"]);
    assert_eq!(directives["script-src"], ["'self'"]);
    assert_eq!(directives["style-src"], ["'self'"]);
    for (name, sources) in &directives {
        for s in sources {
            assert!(
                !s.contains("unsafe") && *s != "*" && !s.starts_with("https:") && *s != "http:",
                "{name} allows {s}"
            );
            if s.starts_with("http://") {
                assert_eq!(*s, "http://ipc.localhost", "{name} allows {s}");
            }
        }
    }
    assert!(
        conf["app"]["security"]
            .get("dangerousDisableAssetCspModification")
            .is_none()
            && conf["app"].get("withGlobalTauri").is_none(),
        "nothing may loosen the CSP or expose the Tauri API globally"
    );
}
