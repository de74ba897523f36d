//! # trustlens-core
//!
//! The versioned corpus of vendors' trust documents and everything that
//! reads it without a search engine: ingest, clauses, compare, the
//! shared-responsibility matrix and notes. The search index lives in
//! `trustlens-search` and the façade both front ends call in `trustlens-api`;
//! this crate names neither, so the compiler keeps the layering.
//!
//! ## A short tour
//!
//! - [`files`], [`text`], [`located`] — leaves: safe reads and atomic
//!   writes, text normalisation and hashing, and the one "file:line:
//!   message" error the data files share.
//! - [`ingest`] — source bytes → text → blocks: [`ingest::markdown`] via
//!   pulldown-cmark, [`ingest::html`] and [`ingest::pdf_text`] for text
//!   extracted from PDFs (in a helper process, [`ingest::pdf`]).
//! - [`clause`] — blocks → sections and clauses with stable IDs
//!   (`DOC@DATE/SECTION/N`) and a SHA-256 of each clause's normalised text.
//! - [`corpus`] — the versioned corpus: a [`corpus::manifest`] lists each
//!   document's versions with format, hash and provenance; the bundled corpus
//!   is compiled in; [`corpus::add`] adds versions atomically under a
//!   cross-process [`corpus::lock`]; [`import`] brings in files, folders of
//!   dated files and a file's git history.
//! - [`compare`] — two versions aligned section by section and clause by
//!   clause, a word redline, and typed change cards whose vocabulary is the
//!   data file [`lexicon`]; [`timeline`] flags versions that rely on a
//!   framework a dated event invalidated; [`lineage`] follows a document
//!   across renames.
//! - [`matrix`] — clauses linked to a shared-responsibility matrix, by rule
//!   and by hand ([`store`]), its coverage grid and shift alerts.
//! - [`notes`] — the analyst's notes anchored to clauses; [`export`] writes
//!   notes, memos and excerpts with exact citations.
//!
//! ## Example
//!
//! ```
//! use trustlens_core::compare::compare;
//! use trustlens_core::corpus::Corpus;
//! use trustlens_core::lexicon::Lexicon;
//!
//! let corpus = Corpus::bundled()?;
//! let (old, new) = (&corpus.versions[0], &corpus.versions[1]);
//! let comparison = compare(Lexicon::bundled(), old, new);
//! assert!(!comparison.changes.is_empty());
//! println!("{}", comparison.changes[0].summary);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

pub mod clause;
pub mod compare;
pub mod corpus;
pub mod export;
pub mod files;
pub mod import;
pub mod ingest;
pub mod lexicon;
pub mod lineage;
pub mod located;
pub mod matrix;
pub mod notes;
pub mod paths;
pub mod statements;
pub mod store;
pub mod terms;
pub mod text;
pub mod timeline;
pub mod words;
