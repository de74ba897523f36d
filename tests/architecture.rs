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
