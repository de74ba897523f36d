//! The tantivy index of clauses, kept on disk in the cache directory.
//!
//! The index directory is named after a key made of the schema version and
//! the corpus's content key, so any change to either simply points at a new
//! directory. An index is built in a temporary directory and renamed into
//! place, so a half-built index is never seen; one that cannot be opened (or
//! does not hold the corpus's clauses) is deleted and rebuilt — a corrupt
//! cache never stops the app.
//!
//! Only clause IDs are stored: texts and metadata come from the in-memory
//! [`Corpus`], which keeps the index small and the two from disagreeing.

use std::path::{Path, PathBuf};

use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use tantivy::{doc, Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::corpus::Corpus;
use crate::text::sha256_hex;

/// Bumped whenever the schema or the analyzer changes.
pub const SCHEMA_VERSION: u32 = 1;

/// Name of the English analyzer (lower-case, ASCII-folded, stemmed).
pub const ANALYZER: &str = "trustlens_en";

/// Problems with the search index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed while building or reading the index.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file-system operation on the index directory failed.
    #[error("search index at {path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

/// How the index in use came to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexState {
    /// Built now because none existed for this corpus.
    Built,
    /// Opened from the cache.
    Reused,
    /// The cached one could not be used (reason given) and was rebuilt.
    Rebuilt(String),
    /// Built in memory because the cache directory is not writable (reason given).
    InMemory(String),
}

impl IndexState {
    /// A short description for status lines.
    pub fn describe(&self) -> String {
        match self {
            IndexState::Built => "built".into(),
            IndexState::Reused => "reused from cache".into(),
            IndexState::Rebuilt(why) => format!("rebuilt ({why})"),
            IndexState::InMemory(why) => format!("in memory ({why})"),
        }
    }
}

/// The fields of the clause schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Clause ID (stored).
    pub id: Field,
    /// Version ID, date and document ID (raw strings): filter with `version:`.
    pub version: Field,
    /// Document family ID.
    pub document: Field,
    /// Section path, analysed: filter with `section:`.
    pub section: Field,
    /// Clause text, analysed with positions: the default search field.
    pub text: Field,
    /// Clause kind (`paragraph`, `list_item`, `footnote`).
    pub kind: Field,
    /// `/version/<id>` facet for counts per version.
    pub facet: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = |positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        version: b.add_text_field("version", STRING),
        document: b.add_text_field("document", STRING),
        section: b.add_text_field("section", analysed(true)),
        text: b.add_text_field("text", analysed(true)),
        kind: b.add_text_field("kind", STRING),
        facet: b.add_facet_field("facet", FacetOptions::default()),
    };
    (b.build(), fields)
}

/// The analyzer used for clause text and section paths.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// An open index over one corpus.
pub struct ClauseIndex {
    /// The tantivy index.
    pub index: Index,
    /// A reader for searching.
    pub reader: IndexReader,
    /// Schema fields.
    pub fields: Fields,
    /// How it came to be.
    pub state: IndexState,
    /// Where it lives (None when in memory).
    pub dir: Option<PathBuf>,
}

impl ClauseIndex {
    /// Open the cached index for `corpus` under `index_root`, building it if
    /// it is missing and rebuilding it if it is unusable.
    pub fn open_or_build(corpus: &Corpus, index_root: &Path) -> Result<ClauseIndex, IndexError> {
        let key =
            &sha256_hex(format!("schema {SCHEMA_VERSION}\n{}", corpus.content_key()).as_bytes())
                [..24];
        let dir = index_root.join(key);
        let expected_docs = corpus.clauses().count() as u64;

        let mut rebuilt_because = None;
        if dir.exists() {
            match open_existing(&dir, expected_docs) {
                Ok((index, reader, fields)) => {
                    return Ok(ClauseIndex {
                        index,
                        reader,
                        fields,
                        state: IndexState::Reused,
                        dir: Some(dir),
                    });
                }
                Err(why) => {
                    tracing::warn!(dir = %dir.display(), %why, "cached index unusable; rebuilding");
                    let _ = std::fs::remove_dir_all(&dir);
                    rebuilt_because = Some(why);
                }
            }
        }
        match build_on_disk(corpus, index_root, &dir) {
            Ok(()) => {
                let (index, reader, fields) =
                    open_existing(&dir, expected_docs).map_err(|why| IndexError::Io {
                        path: dir.display().to_string(),
                        source: std::io::Error::other(why),
                    })?;
                let state = rebuilt_because.map_or(IndexState::Built, IndexState::Rebuilt);
                Ok(ClauseIndex {
                    index,
                    reader,
                    fields,
                    state,
                    dir: Some(dir),
                })
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot write the index cache; indexing in memory");
                let mut idx = ClauseIndex::in_memory(corpus)?;
                idx.state = IndexState::InMemory(e.to_string());
                Ok(idx)
            }
        }
    }

    /// Build an index in memory (tests, read-only environments).
    pub fn in_memory(corpus: &Corpus) -> Result<ClauseIndex, IndexError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(ANALYZER, analyzer());
        fill(&index, fields, corpus)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(ClauseIndex {
            index,
            reader,
            fields,
            state: IndexState::InMemory("requested".into()),
            dir: None,
        })
    }
}

fn open_existing(dir: &Path, expected_docs: u64) -> Result<(Index, IndexReader, Fields), String> {
    let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open: {e}"))?;
    let (schema, fields) = schema();
    if index.schema() != schema {
        return Err("schema differs".into());
    }
    index.tokenizers().register(ANALYZER, analyzer());
    let reader: IndexReader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| format!("cannot read: {e}"))?;
    let searcher = reader.searcher();
    if searcher.num_docs() != expected_docs {
        return Err(format!(
            "holds {} clauses, corpus has {expected_docs}",
            searcher.num_docs()
        ));
    }
    // Touch every segment's stored fields and postings so that truncated or
    // scrambled files are caught now rather than in the middle of a search.
    for segment in searcher.segment_readers() {
        segment
            .get_store_reader(0)
            .map_err(|e| format!("damaged store: {e}"))?;
        segment
            .inverted_index(fields.text)
            .map_err(|e| format!("damaged postings: {e}"))?;
    }
    Ok((index, reader, fields))
}

fn build_on_disk(corpus: &Corpus, index_root: &Path, dir: &Path) -> Result<(), IndexError> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| IndexError::Io { path, source }
    };
    std::fs::create_dir_all(index_root).map_err(io(index_root))?;
    let tmp = tempfile::Builder::new()
        .prefix(".building-")
        .tempdir_in(index_root)
        .map_err(io(index_root))?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(tmp.path(), schema)?;
    index.tokenizers().register(ANALYZER, analyzer());
    fill(&index, fields, corpus)?;
    drop(index);
    let built = tmp.keep();
    if let Err(e) = std::fs::rename(&built, dir) {
        // Another process may have finished the same index first: use theirs.
        let _ = std::fs::remove_dir_all(&built);
        if !dir.exists() {
            return Err(io(dir)(e));
        }
    }
    Ok(())
}

fn fill(index: &Index, f: Fields, corpus: &Corpus) -> Result<(), IndexError> {
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 50_000_000)?;
    for (version, clause) in corpus.clauses() {
        let mut d = doc!(
            f.id => clause.id.as_str(),
            f.version => version.info.id.as_str(),
            f.version => version.info.date.as_str(),
            f.document => version.info.document_id.as_str(),
            f.section => clause.section.join(" / "),
            f.text => clause.text.as_str(),
            f.kind => clause.kind.as_str(),
        );
        d.add_facet(
            f.facet,
            Facet::from_path(["version", version.info.id.as_str()]),
        );
        writer.add_document(d)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}
