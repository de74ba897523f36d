//! Every integration test, compiled into one test binary.
//!
//! Each module below is what used to be its own file-level test crate. One
//! binary means the library, tantivy, the PDF and HTML stacks and SQLite are
//! linked once instead of once per file: CI builds faster and its target
//! directory stays a fraction of the size (a CI run once died in the linker,
//! `ld terminated with signal 7 [Bus error]`, as the disk filled up with a
//! dozen fully linked test binaries). `Cargo.toml` sets `autotests = false`
//! so a new `tests/*.rs` file must be listed here to run.
//!
//! Run one area with a filter: `cargo test --test all compare::`.

mod common;

mod architecture;
mod bindings;
mod cli;
mod compare;
mod concurrent;
mod corpus_dir;
mod crash;
mod hostile;
mod hostile_cli;
mod hostile_input;
mod import;
mod lineage;
mod matrix;
mod meaning;
mod notes;
mod ocr;
mod search;
mod shipped_corpus;
mod watch;
