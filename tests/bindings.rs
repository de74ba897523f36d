//! The TypeScript types in `ui/src/bindings/` must be exactly what the Rust
//! types generate. Regenerate with `UPDATE_BINDINGS=1 cargo test --test all bindings`.

use std::collections::BTreeMap;
use std::path::Path;

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let committed_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
    let fresh = tempfile::tempdir().unwrap();
    trustlens::bindings::export_typescript(fresh.path()).unwrap();
    let generated = read_dir(fresh.path());
    assert!(generated.contains_key("SearchResults.ts") && generated.contains_key("ApiError.ts"));

    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(&committed_dir).unwrap();
        for name in read_dir(&committed_dir).keys() {
            std::fs::remove_file(committed_dir.join(name)).unwrap();
        }
        for (name, text) in &generated {
            std::fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = read_dir(&committed_dir);
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        generated.keys().collect::<Vec<_>>(),
        "ui/src/bindings has other files than the Rust types generate; run UPDATE_BINDINGS=1 cargo test --test all bindings"
    );
    for (name, text) in &generated {
        assert_eq!(&committed[name], text, "ui/src/bindings/{name} is out of date; run UPDATE_BINDINGS=1 cargo test --test all bindings");
    }
}
