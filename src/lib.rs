//! # trustlens
//!
//! Read, search and compare vendors' trust documentation ("Security, Privacy
//! and Architecture" documents and the like), version by version, with
//! citations a compliance analyst can verify.
//!
//! This package is the `trustlens` command line. Its library re-exports the
//! layers the command line and the desktop app are built from, one crate
//! each, so that the compiler keeps them apart:
//!
//! - `trustlens-core` — the corpus, ingest, clauses, compare, matrix, notes
//!   and exports ([`corpus`], [`ingest`], [`clause`], [`compare`], [`matrix`],
//!   [`notes`], [`export`], …). It has no search engine.
//! - `trustlens-search` — [`index`] and [`search`]: a tantivy index of
//!   passages (each distinct clause of a document indexed once, however
//!   many versions repeat it), the query language, snippets and counts.
//! - `trustlens-api` — [`api::Workspace`], the façade the CLI and the app
//!   both call, its DTOs and [`api::ErrorCode`]s.
//! - `trustlens-watch` — [`watch`]: watched pages, fetched, snapshotted
//!   and recorded as versions when their text changes.
//! - `trustlens-synth` (tests and benchmarks only) — generated corpora.
//!
//! ## Example
//!
//! ```
//! use trustlens::corpus::Corpus;
//! use trustlens::index::ClauseIndex;
//! use trustlens::search::{search, SearchRequest};
//!
//! let corpus = Corpus::bundled()?;
//! let index = ClauseIndex::in_memory(&corpus)?;
//! let results = search(&corpus, &index, &SearchRequest {
//!     query: "\"Privacy Shield\"".into(),
//!     ..Default::default()
//! })?;
//! let first = &results.hits[0];
//! assert_eq!(&*first.date, "2023-05-05");
//! assert!(first.snippet.iter().any(|part| part.hit));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub use trustlens_api as api;
pub use trustlens_api::bindings;
pub use trustlens_core::{
    clause, compare, corpus, export, files, import, ingest, lexicon, lineage, located, matrix,
    notes, paths, statements, store, terms, text, timeline, words,
};
pub use trustlens_search as search;
pub use trustlens_search::index;
pub use trustlens_watch as watch;
