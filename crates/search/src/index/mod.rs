//! The tantivy index of a corpus's passages, kept on disk in the cache directory.
//!
//! The index's documents are passages, not clauses: a clause that many
//! versions of a document repeat is indexed once, and [`passages`] says
//! where each passage occurs (see there for why).
//!
//! There is one index directory per corpus *location* (the bundled corpus,
//! the bundled corpus with the user's, or a chosen directory) and schema
//! version. The index records, in its commit payload, which versions it
//! holds and each version's content key, so that opening a corpus that
//! gained, lost or changed a version updates only what changed: adding one
//! version to a corpus of thousands indexes the passages that version does
//! not share with the others, and a version taken out takes out the
//! passages no other version has. The record and the passages change in
//! the same tantivy commit, so they never disagree.
//!
//! A first index is built in a temporary directory and renamed into place,
//! so a half-built index is never seen; one that cannot be opened, has no
//! record, or does not hold the corpus's passages is deleted and rebuilt —
//! a corrupt cache never stops the app. When another process is writing
//! the same index, this one indexes in memory rather than wait.
//!
//! Nothing is stored: a match's passage is found by its key (a fast
//! field), and texts and metadata come from the in-memory [`Corpus`], which
//! keeps the index small and the two from disagreeing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TextAnalyzerBuilder,
};
use tantivy::{doc, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use trustlens_core::corpus::{Corpus, CorpusSource};

pub mod pairs;
pub mod passages;
pub mod stem;
use pairs::{PairTokenizer, RecordingAnalyzer, PAIRS_ANALYZER};
use passages::{Allowed, Passages};
use stem::CachedStemmer;
use trustlens_core::text::sha256_hex;

/// Bumped whenever the schema, the analyzer or [`passages::content_key`]
/// changes (a reused index is only checked by its number of passages).
pub const SCHEMA_VERSION: u32 = 7;

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
    /// Opened from the cache and brought up to date: these versions were
    /// indexed (new or changed) and these removed.
    Updated {
        /// Versions indexed now.
        indexed: Vec<String>,
        /// Versions taken out.
        removed: Vec<String>,
    },
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
            IndexState::Updated { indexed, removed } => {
                let mut parts = Vec::new();
                if !indexed.is_empty() {
                    parts.push(format!("indexed {}", indexed.join(", ")));
                }
                if !removed.is_empty() {
                    parts.push(format!("removed {}", removed.join(", ")));
                }
                format!("updated ({})", parts.join("; "))
            }
            IndexState::Rebuilt(why) => format!("rebuilt ({why})"),
            IndexState::InMemory(why) => format!("in memory ({why})"),
        }
    }
}

/// The fields of the passage schema: one document per passage (see
/// [`passages`]), holding what its occurrences share.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document family ID: filter with `document:`.
    pub document: Field,
    /// Section path, analysed: filter with `section:`.
    pub section: Field,
    /// Clause text, analysed with positions: the default search field.
    pub text: Field,
    /// Each pair of adjacent analysed words of the clause text, as one term
    /// with its position: what phrases are searched by (see [`pairs`]).
    pub pairs: Field,
    /// Clause kind (`paragraph`, `list_item`, `footnote`).
    pub kind: Field,
    /// The passage's [`passages::content_key`], indexed (an update deletes
    /// by it) and as a fast field (a match's passage is read from it).
    pub key: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let with = |tokenizer: &str, positions: bool| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(if positions {
                    IndexRecordOption::WithFreqsAndPositions
                } else {
                    IndexRecordOption::WithFreqs
                }),
        )
    };
    let fields = Fields {
        document: b.add_text_field("document", STRING),
        section: b.add_text_field("section", with(ANALYZER, true)),
        text: b.add_text_field("text", with(ANALYZER, true)),
        pairs: b.add_text_field("pairs", with(PAIRS_ANALYZER, true)),
        kind: b.add_text_field("kind", STRING),
        key: b.add_u64_field("key", FAST | INDEXED),
    };
    (b.build(), fields)
}

/// Register the analyzers the schema names on an index.
fn register_analyzers(index: &Index) {
    index.tokenizers().register(
        ANALYZER,
        TextAnalyzer::from(RecordingAnalyzer::new(analyzer())),
    );
    index.tokenizers().register(
        PAIRS_ANALYZER,
        TextAnalyzer::from(PairTokenizer::new(analyzer())),
    );
}

/// The analyzer used for clause text and section paths: [`plain_analyzer`]
/// then [`stemmer`].
pub fn analyzer() -> TextAnalyzer {
    plain_steps().filter(CachedStemmer).build()
}

/// [`analyzer`] without its stemmer: words, lower-cased and ASCII-folded.
pub fn plain_analyzer() -> TextAnalyzer {
    plain_steps().build()
}

/// Every step of [`analyzer`] before stemming, in one place so that the
/// two analyzers cannot drift apart.
fn plain_steps() -> TextAnalyzerBuilder<impl tantivy::tokenizer::Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// The last step of [`analyzer`] alone: stems one word of
/// [`plain_analyzer`]'s output (the whole text is one token).
pub fn stemmer() -> TextAnalyzer {
    TextAnalyzer::builder(tantivy::tokenizer::RawTokenizer::default())
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
    /// Where each passage of the corpus occurs.
    pub passages: Arc<Passages>,
    /// [`ClauseIndex::doc_passages`] of each segment asked for.
    doc_passages: std::sync::Mutex<SegmentPassages>,
    /// [`ClauseIndex::section_docs`] of the last section filter asked for.
    section_docs: LastDocs<String>,
    /// [`ClauseIndex::allowed_docs`] of the last occurrences asked for.
    allowed_docs: LastDocs<Allowed>,
}

/// The [`DocsQuery`]s of the last two filters asked for, by what they were
/// asked with, kept for the next search with the same filter on the same
/// segments. (Two: a search with a version filter and an "as of" date asks
/// for one filter for its hits and another for its counts.)
struct LastDocs<K>(std::sync::Mutex<Vec<(K, DocsQuery)>>);

impl<K> Default for LastDocs<K> {
    fn default() -> Self {
        LastDocs(std::sync::Mutex::new(Vec::new()))
    }
}

impl<K> LastDocs<K> {
    /// How many filters are kept.
    const KEPT: usize = 2;

    /// The filter asked for with `key` in the segments of `searcher`: one
    /// kept, if it was asked with the same key and made for these
    /// segments, or else one made now of `bits_of` each segment (and kept,
    /// in place of the one asked for longest ago).
    fn get_or_make<Q>(
        &self,
        key: &Q,
        searcher: &tantivy::Searcher,
        mut bits_of: impl FnMut(&tantivy::SegmentReader) -> tantivy::Result<tantivy::BitSet>,
    ) -> tantivy::Result<DocsQuery>
    where
        K: std::borrow::Borrow<Q>,
        Q: PartialEq + ToOwned<Owned = K> + ?Sized,
    {
        let mut last = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = last
            .iter()
            .position(|(k, query)| k.borrow() == key && query.covers(searcher))
        {
            // The most recently asked for goes last.
            let found = last.remove(i);
            let query = found.1.clone();
            last.push(found);
            return Ok(query);
        }
        let mut docs = HashMap::new();
        for segment in searcher.segment_readers() {
            docs.insert(segment.segment_id(), Arc::new(bits_of(segment)?));
        }
        let query = DocsQuery {
            docs: Arc::new(docs),
        };
        if last.len() >= Self::KEPT {
            last.remove(0);
        }
        last.push((key.to_owned(), query.clone()));
        Ok(query)
    }
}

/// A set of documents, segment by segment, as bits: a filter query that
/// costs nothing to work out again (see [`ClauseIndex::allowed_docs`] and
/// [`ClauseIndex::section_docs`]).
#[derive(Clone)]
pub struct DocsQuery {
    docs: Arc<HashMap<tantivy::index::SegmentId, Arc<tantivy::BitSet>>>,
}

impl std::fmt::Debug for DocsQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DocsQuery({} segments)", self.docs.len())
    }
}

impl DocsQuery {
    /// Whether it was made for every segment of `searcher`.
    fn covers(&self, searcher: &tantivy::Searcher) -> bool {
        searcher
            .segment_readers()
            .iter()
            .all(|s| self.docs.contains_key(&s.segment_id()))
    }
}

impl tantivy::query::Query for DocsQuery {
    fn weight(
        &self,
        _: tantivy::query::EnableScoring<'_>,
    ) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl tantivy::query::Weight for DocsQuery {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        let docs = self.docs.get(&reader.segment_id()).ok_or_else(|| {
            tantivy::TantivyError::InvalidArgument("a filter made for other segments".into())
        })?;
        Ok(Box::new(tantivy::query::ConstScorer::new(
            tantivy::query::BitSetDocSet::from(tantivy::BitSet::clone(docs)),
            boost,
        )))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        let matches = self
            .docs
            .get(&reader.segment_id())
            .is_some_and(|d| doc < d.max_value() && d.contains(doc));
        if !matches {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not one of the filter's"
            )));
        }
        Ok(tantivy::query::Explanation::new("filter", 1.0))
    }
}

impl ClauseIndex {
    /// Open the cached index for `corpus` under `index_root`: reuse it,
    /// update the passages that changed, or build it if it is missing and
    /// rebuild it if it is unusable.
    pub fn open_or_build(corpus: &Corpus, index_root: &Path) -> Result<ClauseIndex, IndexError> {
        remove_outdated(index_root, &corpus.source);
        let dir = index_root.join(slot(&corpus.source));
        let want = corpus.version_keys();
        let passages = Arc::new(Passages::of(corpus));

        let mut rebuilt_because = None;
        if dir.exists() {
            match open_and_update(&dir, corpus, &passages, &want) {
                Ok(Opened::Ready(ready)) => {
                    let (index, reader, fields, state, seen) = *ready;
                    return Ok(ClauseIndex::assemble(
                        index,
                        reader,
                        fields,
                        state,
                        Some(dir),
                        passages,
                        seen,
                    ));
                }
                Ok(Opened::Busy(why)) => {
                    tracing::warn!(dir = %dir.display(), %why, "index busy; indexing in memory");
                    return ClauseIndex::in_memory_with(
                        corpus,
                        passages,
                        IndexState::InMemory(why),
                    );
                }
                Err(why) => {
                    tracing::warn!(dir = %dir.display(), %why, "cached index unusable; rebuilding");
                    let _ = std::fs::remove_dir_all(&dir);
                    rebuilt_because = Some(why);
                }
            }
        }
        match build_on_disk(corpus, &passages, &want, index_root, &dir) {
            Ok(()) => {
                let (index, reader, fields) =
                    open_existing(&dir, passages.len() as u64).map_err(|why| IndexError::Io {
                        path: dir.display().to_string(),
                        source: std::io::Error::other(why),
                    })?;
                let state = rebuilt_because.map_or(IndexState::Built, IndexState::Rebuilt);
                Ok(ClauseIndex::assemble(
                    index,
                    reader,
                    fields,
                    state,
                    Some(dir),
                    passages,
                    SegmentPassages::new(),
                ))
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot write the index cache; indexing in memory");
                ClauseIndex::in_memory_with(corpus, passages, IndexState::InMemory(e.to_string()))
            }
        }
    }

    fn assemble(
        index: Index,
        reader: IndexReader,
        fields: Fields,
        state: IndexState,
        dir: Option<PathBuf>,
        passages: Arc<Passages>,
        doc_passages: SegmentPassages,
    ) -> ClauseIndex {
        ClauseIndex {
            index,
            reader,
            fields,
            state,
            dir,
            passages,
            doc_passages: std::sync::Mutex::new(doc_passages),
            section_docs: Default::default(),
            allowed_docs: Default::default(),
        }
    }

    /// The passage of each document of one of this index's segments
    /// (`u32::MAX` for a document whose passage the corpus no longer has),
    /// worked out on first use and kept: a segment's documents never change
    /// under its ID.
    pub fn doc_passages(&self, segment: &tantivy::SegmentReader) -> tantivy::Result<Arc<[u32]>> {
        let id = segment.segment_id();
        let cache = || self.doc_passages.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache().get(&id) {
            return Ok(Arc::clone(found));
        }
        let found = segment_passages(segment, &self.passages)?;
        cache().insert(id, Arc::clone(&found));
        Ok(found)
    }

    /// A filter to the passages with at least one occurrence `allowed`
    /// lets through, in the segments of `searcher`, kept for the next
    /// search with the same occurrences (an "as of" date holds a thousand
    /// versions of ten thousand; a matrix entry, a tenth of the clauses).
    pub fn allowed_docs(
        &self,
        allowed: &Allowed,
        searcher: &tantivy::Searcher,
    ) -> tantivy::Result<DocsQuery> {
        let mut marked: Option<Vec<bool>> = None;
        self.allowed_docs.get_or_make(allowed, searcher, |segment| {
            let marked = marked.get_or_insert_with(|| allowed.passages(&self.passages));
            let passages = self.doc_passages(segment)?;
            let mut bits = tantivy::BitSet::with_max_value(segment.max_doc());
            for (doc, &p) in passages.iter().enumerate() {
                if marked.get(p as usize).copied().unwrap_or(false) {
                    bits.insert(doc as u32);
                }
            }
            Ok(bits)
        })
    }

    /// The documents a section filter (`query`, written `section`) matches,
    /// in the segments of `searcher`, kept for the next search with the
    /// same section: a section filter of common heading words matches a
    /// fifth of a large corpus, and the hits and the counts of a search
    /// each went through all of those matches again.
    pub fn section_docs(
        &self,
        section: &str,
        query: &dyn tantivy::query::Query,
        searcher: &tantivy::Searcher,
    ) -> tantivy::Result<DocsQuery> {
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            searcher,
        ))?;
        self.section_docs.get_or_make(section, searcher, |segment| {
            let mut bits = tantivy::BitSet::with_max_value(segment.max_doc());
            weight.for_each_no_score(segment, &mut |found| {
                for &doc in found {
                    bits.insert(doc);
                }
            })?;
            Ok(bits)
        })
    }

    /// Build an index in memory (tests, read-only environments).
    pub fn in_memory(corpus: &Corpus) -> Result<ClauseIndex, IndexError> {
        let passages = Arc::new(Passages::of(corpus));
        ClauseIndex::in_memory_with(corpus, passages, IndexState::InMemory("requested".into()))
    }

    fn in_memory_with(
        corpus: &Corpus,
        passages: Arc<Passages>,
        state: IndexState,
    ) -> Result<ClauseIndex, IndexError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        fill(&index, fields, corpus, &passages, &corpus.version_keys())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(ClauseIndex::assemble(
            index,
            reader,
            fields,
            state,
            None,
            passages,
            SegmentPassages::new(),
        ))
    }
}

/// The index directory's name: the schema version and where the corpus lives.
fn slot(source: &CorpusSource) -> String {
    slot_of(SCHEMA_VERSION, source)
}

/// The index directory's name for a schema version.
fn slot_of(schema: u32, source: &CorpusSource) -> String {
    let place = match source {
        CorpusSource::Bundled => "bundled".to_string(),
        CorpusSource::BundledWithUser(d) => {
            format!("bundled+{}", trustlens_core::paths::absolute(d))
        }
        CorpusSource::Directory(d) => format!("dir {}", trustlens_core::paths::absolute(d)),
    };
    sha256_hex(format!("schema {schema}\n{place}").as_bytes())[..24].to_string()
}

/// Delete the indexes that older schema versions built for this corpus
/// location: each schema change rebuilds the index in a new directory, and
/// the old one (a hundred megabytes for a large corpus) would otherwise stay
/// in the cache for good. Only directories named as this corpus's older
/// indexes are touched; a failure is logged and changes nothing else (the
/// cache is only a cache).
fn remove_outdated(index_root: &Path, source: &CorpusSource) {
    for schema in 1..SCHEMA_VERSION {
        let dir = index_root.join(slot_of(schema, source));
        if dir.is_dir() {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {
                    tracing::debug!(dir = %dir.display(), schema, "removed an outdated index")
                }
                Err(e) => {
                    tracing::warn!(dir = %dir.display(), error = %e, "cannot remove an outdated index")
                }
            }
        }
    }
}

/// The versions an index holds, by ID, with their content keys: the commit payload.
type Record = BTreeMap<String, String>;

enum Opened {
    /// The index, and the passages of the documents of those of its
    /// segments that were read to check it.
    Ready(Box<(Index, IndexReader, Fields, IndexState, SegmentPassages)>),
    /// Another process holds the writer lock.
    Busy(String),
}

/// Open the index in `dir` and bring it to `want`: the passages of
/// versions added or changed since it was written are indexed, those no
/// version has any more are deleted.
fn open_and_update(
    dir: &Path,
    corpus: &Corpus,
    passages: &Passages,
    want: &Record,
) -> Result<Opened, String> {
    let (index, fields) = open_index(dir)?;
    let changes = Changes::between(&recorded_versions(&index)?, want);
    // The passages the index holds, by key, read whether or not the record
    // says the versions are the same: an index that holds other passages
    // than the corpus's under the same record (or one twice) is not used.
    let reader = open_reader(&index)?;
    let held = held_passages(&reader, passages)?;
    if changes.is_empty() {
        if !held.is_exact() {
            return Err("it does not hold the corpus's passages".into());
        }
        check(&reader, fields, passages.len() as u64)?;
        return Ok(Opened::Ready(Box::new((
            index,
            reader,
            fields,
            IndexState::Reused,
            held.docs,
        ))));
    }
    drop(reader);
    let Some(writer) = writer(&index)? else {
        return Ok(Opened::Busy(
            "another trustlens process is updating the index".into(),
        ));
    };
    // Those the corpus no longer has go, those it lacks come. A passage
    // a new version shares with an old one is already there.
    for &key in &held.stray {
        writer.delete_term(Term::from_field_u64(fields.key, key));
    }
    add_passages(&writer, fields, corpus, passages, held.missing())
        .map_err(|e| format!("cannot update: {e}"))?;
    commit(writer, want).map_err(|e| format!("cannot update: {e}"))?;
    let state = changes.into_state();
    let reader = checked_reader(&index, fields, passages.len() as u64)?;
    let seen = kept_segments(held.docs, &reader);
    Ok(Opened::Ready(Box::new((
        index, reader, fields, state, seen,
    ))))
}

/// The versions the index was last committed with (its payload).
fn recorded_versions(index: &Index) -> Result<Record, String> {
    let metas = index
        .load_metas()
        .map_err(|e| format!("cannot read its metadata: {e}"))?;
    metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .ok_or_else(|| "it has no record of its versions".to_string())
}

/// The versions to take out of an index and to index, from the record it
/// has and the one wanted: a version whose content key changed is both.
struct Changes {
    removed: Vec<String>,
    indexed: Vec<String>,
}

impl Changes {
    /// What differs between the record `have` and the record `want`.
    fn between(have: &Record, want: &Record) -> Changes {
        let differ = |from: &Record, to: &Record| -> Vec<String> {
            from.iter()
                .filter(|(id, key)| to.get(*id) != Some(key))
                .map(|(id, _)| id.clone())
                .collect()
        };
        Changes {
            removed: differ(have, want),
            indexed: differ(want, have),
        }
    }

    /// Whether the index already holds the wanted versions.
    fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.indexed.is_empty()
    }

    /// How the index came to be once updated.
    fn into_state(self) -> IndexState {
        // Versions that changed were both removed and indexed: name them once.
        let removed = self
            .removed
            .into_iter()
            .filter(|id| !self.indexed.contains(id))
            .collect();
        IndexState::Updated {
            indexed: self.indexed,
            removed,
        }
    }
}

/// A writer of the index; `None` when another process holds its lock.
fn writer(index: &Index) -> Result<Option<IndexWriter<TantivyDocument>>, String> {
    match index.writer_with_num_threads(1, 50_000_000) {
        Ok(w) => Ok(Some(w)),
        Err(tantivy::TantivyError::LockFailure(..)) => Ok(None),
        Err(e) => Err(format!("cannot write: {e}")),
    }
}

/// The documents' passages of the segments an update left as they were,
/// which keep their documents.
fn kept_segments(mut seen: SegmentPassages, reader: &IndexReader) -> SegmentPassages {
    let now: std::collections::HashSet<_> = reader
        .searcher()
        .segment_readers()
        .iter()
        .map(|s| s.segment_id())
        .collect();
    seen.retain(|id, _| now.contains(id));
    seen
}

/// Which of a corpus's passages an index holds, and the keys it should
/// not hold.
struct Held {
    /// Whether each passage is held, once.
    held: Vec<bool>,
    /// Keys of passages the corpus does not have, and of passages held
    /// twice or more (which no build makes): every copy of those goes, and
    /// the passage is indexed once again.
    stray: Vec<u64>,
    /// The passage of each document, segment by segment (what searches
    /// ask for next: see [`ClauseIndex::doc_passages`]).
    docs: SegmentPassages,
}

impl Held {
    /// Whether the index holds every passage of the corpus once, and no other.
    fn is_exact(&self) -> bool {
        self.stray.is_empty() && self.held.iter().all(|&h| h)
    }

    /// The passages the index does not hold.
    fn missing(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.held.len() as u32).filter(|&p| !self.held[p as usize])
    }
}

/// The passage of each document of some segments of an index.
type SegmentPassages = HashMap<tantivy::index::SegmentId, Arc<[u32]>>;

/// The passage of each document of `segment` (`u32::MAX` for one whose
/// key the corpus does not have).
fn segment_passages(
    segment: &tantivy::SegmentReader,
    passages: &Passages,
) -> tantivy::Result<Arc<[u32]>> {
    let column = segment.fast_fields().u64("key")?;
    Ok((0..segment.max_doc())
        .map(|doc| {
            column
                .first(doc)
                .and_then(|key| passages.by_key(key))
                .unwrap_or(u32::MAX)
        })
        .collect())
}

fn held_passages(reader: &IndexReader, passages: &Passages) -> Result<Held, String> {
    let mut held = vec![false; passages.len()];
    let mut doubled = vec![false; passages.len()];
    let mut stray = Vec::new();
    let mut docs = SegmentPassages::new();
    for segment in reader.searcher().segment_readers() {
        let damaged = |e: tantivy::TantivyError| format!("cannot read its keys: {e}");
        let found = segment_passages(segment, passages).map_err(damaged)?;
        let keys = segment.fast_fields().u64("key").map_err(damaged)?;
        let alive = segment.alive_bitset();
        for (doc, &p) in found.iter().enumerate() {
            let doc = doc as u32;
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            match p as usize {
                // No key, or one the corpus does not have.
                _ if p == u32::MAX => stray.extend(keys.first(doc)),
                p if doubled[p] => {}
                p if !held[p] => held[p] = true,
                p => {
                    stray.push(passages.key(p as u32));
                    doubled[p] = true;
                    held[p] = false;
                }
            }
        }
        docs.insert(segment.segment_id(), found);
    }
    Ok(Held { held, stray, docs })
}

/// Open the index in `dir` and check it (see [`checked_reader`]).
fn open_existing(dir: &Path, expected_docs: u64) -> Result<(Index, IndexReader, Fields), String> {
    let (index, fields) = open_index(dir)?;
    let reader = checked_reader(&index, fields, expected_docs)?;
    Ok((index, reader, fields))
}

/// Open the index in `dir` if it has this version's schema.
fn open_index(dir: &Path) -> Result<(Index, Fields), String> {
    let index = Index::open_in_dir(dir).map_err(|e| format!("cannot open: {e}"))?;
    let (schema, fields) = schema();
    if index.schema() != schema {
        return Err("schema differs".into());
    }
    register_analyzers(&index);
    Ok((index, fields))
}

/// A reader over `index`, once it is known to hold `expected_docs` passages
/// in segments that can be read.
fn checked_reader(
    index: &Index,
    fields: Fields,
    expected_docs: u64,
) -> Result<IndexReader, String> {
    let reader = open_reader(index)?;
    check(&reader, fields, expected_docs)?;
    Ok(reader)
}

fn open_reader(index: &Index) -> Result<IndexReader, String> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| format!("cannot read: {e}"))
}

/// Whether `reader` sees `expected_docs` passages in segments that can be read.
fn check(reader: &IndexReader, fields: Fields, expected_docs: u64) -> Result<(), String> {
    let searcher = reader.searcher();
    if searcher.num_docs() != expected_docs {
        return Err(format!(
            "holds {} passages, corpus has {expected_docs}",
            searcher.num_docs()
        ));
    }
    // Touch every segment's passage keys and postings so that truncated or
    // scrambled files are caught now rather than in the middle of a search.
    for segment in searcher.segment_readers() {
        segment
            .fast_fields()
            .u64("key")
            .map_err(|e| format!("damaged keys: {e}"))?;
        segment
            .inverted_index(fields.text)
            .map_err(|e| format!("damaged postings: {e}"))?;
    }
    Ok(())
}

fn build_on_disk(
    corpus: &Corpus,
    passages: &Passages,
    want: &Record,
    index_root: &Path,
    dir: &Path,
) -> Result<(), IndexError> {
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
    register_analyzers(&index);
    fill(&index, fields, corpus, passages, want)?;
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

/// Index every passage of the corpus, with the record of its versions.
fn fill(
    index: &Index,
    f: Fields,
    corpus: &Corpus,
    passages: &Passages,
    record: &Record,
) -> Result<(), IndexError> {
    // One indexing thread per core (at most four), sharing 160 MB of
    // arenas: a first build of a large corpus is CPU-bound, and the arenas
    // are what bounds the writer's memory. Larger arenas than the 40 MB a
    // thread had make fewer segments to merge: 10 000 versions index 15 %
    // faster with two threads at 80 MB, and the peak stays where it was
    // (it is the corpus's, not the writer's).
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let writer = index.writer_with_num_threads::<TantivyDocument>(threads, 160_000_000)?;
    add_passages(&writer, f, corpus, passages, 0..passages.len() as u32)?;
    commit(writer, record)
}

/// Index these passages, each as its first occurrence reads.
fn add_passages(
    writer: &IndexWriter<TantivyDocument>,
    f: Fields,
    corpus: &Corpus,
    passages: &Passages,
    which: impl Iterator<Item = u32>,
) -> Result<(), IndexError> {
    for p in which {
        let Some(&first) = passages.occurrences_of(p).first() else {
            continue;
        };
        let (v, i) = passages.locate(first);
        let version = &corpus.versions[v];
        let clause = &version.doc.clauses[i];
        let d = doc!(
            f.key => passages.key(p),
            f.document => version.info.document_id.as_str(),
            f.section => clause.section.join(" / "),
            f.text => &*clause.text,
            f.pairs => &*clause.text,
            f.kind => clause.kind.as_str(),
        );
        writer.add_document(d)?;
    }
    Ok(())
}

/// Commit the passages and the record of versions together, then let
/// segment merges finish (an index updated version by version would
/// otherwise pile up small segments).
fn commit(mut writer: IndexWriter<TantivyDocument>, record: &Record) -> Result<(), IndexError> {
    let payload = serde_json::to_string(record).expect("a map of strings serialises");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(dir: &Path) -> Corpus {
        trustlens_synth::write_corpus(
            dir,
            &trustlens_synth::CorpusSpec {
                seed: 5,
                vendors: 1,
                documents: 2,
                versions: 3,
                min_pages: 1,
                max_pages: 2,
            },
        )
        .unwrap();
        Corpus::open_dir(dir).unwrap()
    }

    /// A generated corpus, the same without its last version, and a cache
    /// directory, all under `dir`.
    fn with_one_version_fewer(dir: &Path) -> (Corpus, Corpus, PathBuf) {
        let corpus = generated(&dir.join("c"));
        let mut fewer = corpus.clone();
        fewer.versions.pop();
        (corpus, fewer, dir.join("cache"))
    }

    fn docs(index: &ClauseIndex) -> u64 {
        index.reader.searcher().num_docs()
    }

    /// Under the same record of versions, an index that holds a passage
    /// twice, or one the corpus does not have (a `content_key` changed
    /// without a new schema version), is rebuilt rather than used.
    #[test]
    fn an_index_whose_passages_differ_from_the_corpus_s_is_rebuilt() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = generated(&tmp.path().join("c"));
        let root = tmp.path().join("cache");
        let passages = Passages::of(&corpus);
        for stray in [Some(0u32), None] {
            let dir = ClauseIndex::open_or_build(&corpus, &root)
                .unwrap()
                .dir
                .unwrap();
            let (index, fields) = open_index(&dir).unwrap();
            let writer: IndexWriter<TantivyDocument> =
                index.writer_with_num_threads(1, 15_000_000).unwrap();
            match stray {
                Some(p) => {
                    add_passages(&writer, fields, &corpus, &passages, [p].into_iter()).unwrap()
                }
                None => {
                    // One passage under another key, the count unchanged.
                    writer.delete_term(Term::from_field_u64(fields.key, passages.key(0)));
                    writer
                        .add_document(doc!(fields.key => passages.key(0) ^ 1))
                        .unwrap();
                }
            }
            commit(writer, &corpus.version_keys()).unwrap();
            drop(index);
            let reopened = ClauseIndex::open_or_build(&corpus, &root).unwrap();
            assert!(
                matches!(&reopened.state, IndexState::Rebuilt(why) if why.contains("passages")),
                "{:?}",
                reopened.state
            );
            assert_eq!(docs(&reopened), passages.len() as u64);
        }
    }

    /// Opening reads every document's passage to check the index; those
    /// arrays are kept for the searches, for the segments still there, and
    /// must be what a search would work out itself.
    #[test]
    fn the_passages_read_at_opening_are_those_of_each_segment() {
        let tmp = tempfile::tempdir().unwrap();
        let (corpus, fewer, root) = with_one_version_fewer(tmp.path());
        drop(ClauseIndex::open_or_build(&fewer, &root).unwrap());
        for (c, state) in [(&corpus, "updated"), (&corpus, "reused")] {
            let index = ClauseIndex::open_or_build(c, &root).unwrap();
            assert!(
                index.state.describe().starts_with(state),
                "{:?}",
                index.state
            );
            let kept = index
                .doc_passages
                .lock()
                .unwrap()
                .keys()
                .copied()
                .collect::<std::collections::HashSet<_>>();
            let searcher = index.reader.searcher();
            assert!(kept.iter().all(|id| searcher
                .segment_readers()
                .iter()
                .any(|s| s.segment_id() == *id)));
            if state == "reused" {
                assert_eq!(kept.len(), searcher.segment_readers().len());
            }
            for segment in searcher.segment_readers() {
                assert_eq!(
                    index.doc_passages(segment).unwrap(),
                    segment_passages(segment, &index.passages).unwrap()
                );
            }
        }
    }

    /// A version whose content changed under the same ID: its passages
    /// no other version has go, its new ones come, once each.
    #[test]
    fn a_changed_version_s_passages_are_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let corpus = generated(&tmp.path().join("c"));
        let root = tmp.path().join("cache");
        let built = ClauseIndex::open_or_build(&corpus, &root).unwrap();
        assert_eq!(docs(&built), Passages::of(&corpus).len() as u64);
        drop(built);

        let mut changed = corpus.clone();
        let v = &mut changed.versions[1];
        v.info.sha256 = "0".repeat(64);
        v.doc.clauses[0].text = Arc::from("Zebras guard the quokka vault.");
        let id = v.info.id.clone();
        let index = ClauseIndex::open_or_build(&changed, &root).unwrap();
        assert_eq!(
            index.state,
            IndexState::Updated {
                indexed: vec![id],
                removed: vec![]
            }
        );
        assert_eq!(docs(&index), Passages::of(&changed).len() as u64);
        let found = crate::search(
            &changed,
            &index,
            &crate::SearchRequest {
                query: "quokka".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(found.total, 1);
    }

    /// No build writes a passage twice, but an index that somehow holds
    /// one two or three times is mended when it is next updated: every
    /// copy deleted, the passage indexed once again.
    #[test]
    fn an_index_holding_a_passage_several_times_is_mended_by_an_update() {
        let tmp = tempfile::tempdir().unwrap();
        let (corpus, fewer, root) = with_one_version_fewer(tmp.path());
        let built = ClauseIndex::open_or_build(&fewer, &root).unwrap();
        let dir = built.dir.clone().unwrap();
        drop(built);
        let passages = Passages::of(&fewer);
        {
            let (index, fields) = open_index(&dir).unwrap();
            let writer: IndexWriter<TantivyDocument> =
                index.writer_with_num_threads(1, 15_000_000).unwrap();
            // Passage 0 twice more, passage 1 once more.
            add_passages(&writer, fields, &fewer, &passages, [0, 0, 1].into_iter()).unwrap();
            commit(writer, &fewer.version_keys()).unwrap();
        }
        let index = ClauseIndex::open_or_build(&corpus, &root).unwrap();
        assert!(
            matches!(index.state, IndexState::Updated { .. }),
            "{:?}",
            index.state
        );
        assert_eq!(docs(&index), Passages::of(&corpus).len() as u64);
        let keys: Vec<u64> = index
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .flat_map(|s| {
                let column = s.fast_fields().u64("key").unwrap();
                let alive = s.alive_bitset().cloned();
                (0..s.max_doc())
                    .filter(move |&d| alive.as_ref().is_none_or(|a| a.is_alive(d)))
                    .filter_map(move |d| column.first(d))
            })
            .collect();
        let distinct: std::collections::HashSet<u64> = keys.iter().copied().collect();
        assert_eq!(distinct.len(), keys.len(), "each passage once");
    }

    #[test]
    fn opening_removes_this_corpus_s_indexes_of_older_schemas_and_nothing_else() {
        let root = tempfile::tempdir().unwrap();
        let corpus = Corpus::bundled().unwrap();
        let old: Vec<PathBuf> = (1..SCHEMA_VERSION)
            .map(|v| root.path().join(slot_of(v, &corpus.source)))
            .collect();
        let other_place = root
            .path()
            .join(slot_of(1, &CorpusSource::Directory("/elsewhere".into())));
        let unrelated = root.path().join("notes-i-keep-here");
        for d in old.iter().chain([&other_place, &unrelated]) {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("meta.json"), "{}").unwrap();
        }
        let index = ClauseIndex::open_or_build(&corpus, root.path()).unwrap();
        assert_eq!(index.state, IndexState::Built);
        for d in &old {
            assert!(!d.exists(), "{} is still there", d.display());
        }
        assert!(other_place.exists() && unrelated.exists());
        assert!(root.path().join(slot(&corpus.source)).is_dir());
    }
}
