//! The shape of the code, checked: which crate may depend on which (the
//! libraries never on tauri, the core never on the search engine), no
//! cycles between the core's modules, and what the webview may do.

use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Every package the lock file says `root` depends on, transitively
/// (every kind of dependency), `root` included.
fn reachable(root: &str) -> BTreeSet<String> {
    let lock: toml::Value = toml::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap(),
    )
    .unwrap();
    let deps: HashMap<String, Vec<String>> = lock["package"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let names = p
                .get("dependencies")
                .and_then(|d| d.as_array())
                .into_iter()
                .flatten()
                .map(|d| d.as_str().unwrap().split(' ').next().unwrap().to_string())
                .collect();
            (p["name"].as_str().unwrap().to_string(), names)
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![root.to_string()];
    while let Some(name) = stack.pop() {
        if seen.insert(name.clone()) {
            stack.extend(deps.get(&name).into_iter().flatten().cloned());
        }
    }
    seen
}

fn ui_stack(names: &BTreeSet<String>) -> Vec<&String> {
    names
        .iter()
        .filter(|n| n.starts_with("tauri") || n.starts_with("wry") || n.starts_with("webkit2gtk"))
        .collect()
}

#[test]
fn the_libraries_do_not_depend_on_tauri() {
    for lib in [
        "trustlens-core",
        "trustlens-search",
        "trustlens-api",
        "trustlens",
    ] {
        let seen = reachable(lib);
        assert!(
            seen.contains("serde"),
            "sanity: the walk from {lib} reached serde"
        );
        assert!(
            ui_stack(&seen).is_empty(),
            "{lib} depends on {:?}",
            ui_stack(&seen)
        );
    }
}

/// The layers: core < search < api < (CLI, app). A lower crate naming a
/// higher one would not compile; these pin the dependencies that would.
#[test]
fn each_layer_depends_only_on_the_layers_below() {
    let core = reachable("trustlens-core");
    assert!(
        !core.contains("tantivy"),
        "the core must not need the search engine"
    );
    for higher in [
        "trustlens-search",
        "trustlens-api",
        "trustlens",
        "trustlens-synth",
    ] {
        assert!(!core.contains(higher), "trustlens-core depends on {higher}");
    }
    let search = reachable("trustlens-search");
    assert!(search.contains("tantivy") && search.contains("trustlens-core"));
    assert!(!search.contains("trustlens-api"));
    // The lock file does not tell dev-dependencies apart: read the manifests.
    for manifest in [
        "crates/core",
        "crates/search",
        "crates/api",
        ".",
        "src-tauri",
    ] {
        let path = format!("{}/{manifest}/Cargo.toml", env!("CARGO_MANIFEST_DIR"));
        let toml: toml::Value = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let shipped = toml.get("dependencies").and_then(|d| d.as_table());
        assert!(
            !shipped.is_some_and(|d| d.contains_key("trustlens-synth")),
            "{path}: generated test data (trustlens-synth) must be a dev-dependency"
        );
    }
    let app = reachable("trustlens-app");
    assert!(
        !app.contains("trustlens"),
        "the app is built on the API, not on the CLI"
    );
}

/// The top-level modules each `.rs` file of `dir` names with `crate::`.
fn module_uses(dir: &std::path::Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap();
        let module = rel
            .iter()
            .next()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests may reach anywhere; product code may not.
        let product = text.split("#[cfg(test)]").next().unwrap();
        let named = uses.entry(module.clone()).or_default();
        for line in product
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
        {
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    named.insert(name);
                }
            }
            if let Some(group) = line.trim_start().strip_prefix("use crate::{") {
                for part in group.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() && name != module {
                        named.insert(name);
                    }
                }
            }
        }
    }
    uses
}

/// A cycle in `uses` (module → the modules it names), as the path that
/// closes it, or `None`.
fn find_cycle(uses: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        m: &str,
        uses: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if done.contains(m) {
            return None;
        }
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        path.push(m.to_string());
        for next in uses.get(m).into_iter().flatten() {
            if uses.contains_key(next) {
                if let Some(cycle) = visit(next, uses, path, done) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = BTreeSet::new();
    uses.keys()
        .find_map(|m| visit(m, uses, &mut Vec::new(), &mut done))
}

/// A cycle between modules makes each unreadable without the other; the
/// core's modules form layers too (e.g. the data files' error is a leaf,
/// `located`, not the corpus's, and a version's regulatory flags are the
/// API's to assemble: the corpus does not know the timeline).
#[test]
fn the_core_s_modules_have_no_cycle() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/core/src");
    let uses = module_uses(&dir);
    assert!(
        uses.len() > 10
            && uses["compare"].contains("clause")
            && uses["compare"].contains("timeline")
            && !uses["corpus"].contains("timeline"),
        "sanity: {uses:?}"
    );
    assert_eq!(find_cycle(&uses), None);
    // The check can fail: the lexicon naming the comparison would close
    // compare → timeline → lexicon → compare.
    let mut with_cycle = uses.clone();
    with_cycle
        .get_mut("lexicon")
        .unwrap()
        .insert("compare".into());
    let cycle = find_cycle(&with_cycle).expect("a cycle through compare and lexicon");
    assert!(cycle.contains(&"compare".to_string()) && cycle.contains(&"lexicon".to_string()));
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
