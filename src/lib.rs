//! # trustlens
//!
//! Read, search and compare vendors' trust documentation ("Security, Privacy
//! and Architecture" documents and the like), version by version, with
//! citations a compliance analyst can verify.
//!
//! ## A short tour
//!
//! - [`corpus`] — the versioned corpus: a [`corpus::manifest`] lists each
//!   document's versions with format, hash and provenance; the bundled corpus
//!   is compiled in; [`corpus::add`] adds versions atomically; [`import`]
//!   brings in files, folders of dated files and a file's git history.
//! - [`ingest`] — source bytes → text → blocks: [`ingest::markdown`] via
//!   pulldown-cmark and [`ingest::pdf_text`] for text extracted from PDFs.
//! - [`clause`] — blocks → sections and clauses with stable IDs
//!   (`DOC@DATE/SECTION/N`) and a SHA-256 of each clause's normalised text.
//! - [`index`] and [`search`] — a tantivy index in the cache directory, of
//!   passages: each distinct clause of a document indexed once, however
//!   many versions repeat it ([`index::passages`]); stemming, phrases,
//!   boolean operators, fuzzy terms, filters, snippets, counts per version.
//! - [`compare`] — two versions aligned section by section and clause by
//!   clause, a word redline, and typed change cards whose vocabulary is the
//!   data file [`lexicon`]; [`timeline`] flags versions that rely on a
//!   framework a dated event invalidated.
//! - [`api`] — the [`api::Workspace`] façade that the CLI and the desktop app
//!   both call, with one error type, [`api::ApiError`] (`{code, message}`).
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

pub mod api;
pub mod bindings;
pub mod clause;
pub mod compare;
pub mod corpus;
pub mod export;
pub mod files;
pub mod import;
pub mod index;
pub mod ingest;
pub mod lexicon;
pub mod lineage;
pub mod matrix;
pub mod notes;
pub mod paths;
pub mod search;
pub mod store;
pub mod synth;
pub mod text;
pub mod timeline;
