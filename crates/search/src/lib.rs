//! Searching clauses: query language, filters, snippets, facets.
//!
//! The query language is tantivy's (terms, `"phrases"`, `AND`/`OR`/`-term`,
//! `+term`, `field:value`, `(groups)`, `^boost`) with two trustlens choices:
//! words are AND-ed by default (an analyst typing three words wants clauses
//! with all three), and `word~N` means a fuzzy term within N edits (N ≤ 2).
//! tantivy's grammar has `~N` only as phrase slop and leaves it inside a bare
//! word's text, so [`compile`] walks the parsed query itself: `word~N` leaves
//! become [`FuzzyTermQuery`]s and every other leaf is built by tantivy's own
//! parser.
//!
//! Searchable fields: `text` (default), `section` (heading path), `version`
//! (version ID or date), `document`, `kind`. The index's documents are
//! passages (see [`crate::index::passages`]): the words, the section, the
//! document and the kind are theirs, and a search ranks them; the versions
//! and clause IDs are their occurrences', and the version filter, the "as
//! of" date, a matrix entry's clauses and `version:` terms pick among
//! those. Each occurrence of a ranked passage is a hit with its score.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::IndexRecordOption;
use tantivy::Term;
use ts_rs::TS;

pub mod index;

#[cfg(test)]
mod agree;

use crate::index::passages::{Allowed, ClauseSet, Passages};
use crate::index::{analyzer, ClauseIndex, IndexError};
use trustlens_core::clause::{clause_key, ClauseKind};
use trustlens_core::corpus::{Corpus, CorpusError};
use trustlens_core::matrix::links::{EntryCounts, LinkTable};

mod phrase;
mod rank;
mod spellings;
mod union;
pub use rank::{Ranked, RankedHit};
use spellings::{Marked, Spellings};

/// Longest query accepted, in bytes: longer ones are a paste accident.
pub const MAX_QUERY_LEN: usize = 2000;
/// Most hits one search returns.
pub const MAX_LIMIT: u32 = 1000;
/// Hits returned when no limit is given.
pub const DEFAULT_LIMIT: u32 = 20;
/// Most versions listed with their match counts: a corpus of ten thousand
/// versions made the list alone most of a megabyte per keystroke, and a row
/// of ten thousand buttons helps no one.
pub const MAX_FACETS: usize = 100;

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query cannot be parsed or names an unknown field.
    #[error("invalid query: {0}")]
    BadQuery(String),
    /// A filter names an unknown version.
    #[error(transparent)]
    Corpus(#[from] CorpusError),
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Index(IndexError::Tantivy(e))
    }
}

/// A search as the user asked for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchRequest {
    /// The query text.
    pub query: String,
    /// Only this version (ID or unambiguous date).
    pub version: Option<String>,
    /// Only clauses whose section path matches these words.
    pub section: Option<String>,
    /// Most hits to return (default 20, at most 1000).
    pub limit: Option<u32>,
    /// Only clauses linked to this matrix entry (key or bare entry ID).
    #[serde(default)]
    pub entry: Option<String>,
    /// Only the version of each document that was current on this date
    /// (`YYYY-MM-DD`).
    #[serde(default)]
    pub as_of: Option<String>,
    /// Show each clause once across versions (grouped by lineage), listing
    /// the other versions it matched in.
    #[serde(default)]
    pub by_lineage: bool,
}

/// A run of text, highlighted or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextPart {
    /// The text.
    pub text: String,
    /// True when it matched the query.
    pub hit: bool,
}

/// One matching clause.
///
/// What the hits of one version, one section or one shared text have in
/// common is shared (`Arc`), not copied for each: two hundred hits made
/// thousands of string copies, a fifth of showing them. In JSON and
/// TypeScript these are plain strings and lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchHit {
    /// Clause ID.
    pub clause_id: String,
    /// Version ID.
    #[ts(type = "string")]
    pub version: Arc<str>,
    /// Vendor.
    #[ts(type = "string")]
    pub vendor: Arc<str>,
    /// Document title.
    #[ts(type = "string")]
    pub document: Arc<str>,
    /// Version date.
    #[ts(type = "string")]
    pub date: Arc<str>,
    /// Section path.
    #[ts(as = "Vec<String>")]
    pub section: Arc<[String]>,
    /// Pages, when known.
    pub pages: Vec<u32>,
    /// When the clause was read by OCR: Tesseract's mean confidence (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr: Option<u8>,
    /// Clause kind.
    pub kind: ClauseKind,
    /// Full clause text.
    #[ts(type = "string")]
    pub text: Arc<str>,
    /// A short excerpt with the matches highlighted.
    #[ts(as = "Vec<TextPart>")]
    pub snippet: Arc<[TextPart]>,
    /// Relevance score (BM25).
    pub score: f32,
    /// Keys of the matrix entries the clause is linked to.
    #[serde(default)]
    #[ts(as = "Vec<String>")]
    pub entries: Vec<Arc<str>>,
    /// The clause's lineage (see [`trustlens_core::lineage`]), when grouping by lineage.
    #[serde(default)]
    pub lineage: Option<String>,
    /// With grouping: the other versions where the same clause matched.
    #[serde(default)]
    pub also_in: Vec<String>,
}

/// Hits for one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionCount {
    /// Version ID.
    pub version: String,
    /// Version date.
    pub date: String,
    /// Matching clauses in that version (ignoring the version filter).
    pub count: u32,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// All matching clauses (the hits are the best `limit` of them); at
    /// least this many when `total_exact` is false.
    pub total: u32,
    /// False when `total` is only a lower bound: the hits alone
    /// ([`SearchParts::Hits`]) of a phrase of three words or more, matching
    /// as many passages as hits asked for or more (see
    /// [`crate::index::passages`]), whose exact count the counts
    /// ([`SearchParts::Counts`]) give.
    #[serde(default = "exact")]
    pub total_exact: bool,
    /// Best hits first.
    pub hits: Vec<SearchHit>,
    /// Matches per version, by date: every version with at least one, up to
    /// [`MAX_FACETS`] (those with the most matches, and the filtered one).
    pub facets: Vec<VersionCount>,
    /// Versions with matches left out of `facets` (over [`MAX_FACETS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub facets_omitted: Option<u32>,
    /// Matches per matrix entry (ignoring the entry filter), for every entry
    /// with at least one.
    #[serde(default)]
    pub entry_facets: Vec<EntryCount>,
    /// True when `facets` and `entry_facets` were worked out; false for a
    /// search that asked for its hits only (see [`SearchParts`]).
    #[serde(default)]
    pub counted: bool,
}

/// A count given without saying otherwise is exact.
fn exact() -> bool {
    true
}

/// Hits for one matrix entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EntryCount {
    /// Entry key.
    pub entry: String,
    /// Its area, for display.
    pub area: String,
    /// Matching clauses linked to it.
    pub count: u32,
}

/// A compiled query and what is needed to highlight its matches.
pub struct CompiledQuery {
    query: Box<dyn Query>,
    /// Its `version:` terms, which filter occurrences (see [`VersionTerms`]).
    versions: VersionTerms,
    marks: Marks,
    /// The marks as numbers of [`Spellings`], worked out on the first
    /// highlight.
    marked: std::sync::Mutex<Marked>,
}

/// What counts as a match when highlighting: single analysed terms, and
/// phrases whose words count only where they appear together.
#[derive(Debug, Default)]
struct Marks {
    terms: HashSet<String>,
    phrases: Vec<Vec<String>>,
}

/// Compile a query string against an index.
pub fn compile(index: &ClauseIndex, query: &str) -> Result<CompiledQuery, SearchError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(SearchError::BadQuery("the query is empty".into()));
    }
    if q.len() > MAX_QUERY_LEN {
        return Err(SearchError::BadQuery(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_LEN}",
            q.len()
        )));
    }
    let ast = tantivy::query_grammar::parse_query(q).map_err(|_| {
        let (_, errors) = tantivy::query_grammar::parse_query_lenient(q);
        let detail = errors
            .first()
            .map(|e| format!(" ({})", e.message))
            .unwrap_or_default();
        SearchError::BadQuery(format!(
            "cannot parse \"{q}\"{detail}: check quotes, parentheses and operators"
        ))
    })?;
    let mut parser = QueryParser::for_index(&index.index, vec![index.fields.text]);
    parser.set_conjunction_by_default();
    let mut marks = Marks::default();
    let mut versions = VersionTerms::default();
    let query = match versions.take(ast)? {
        Some(ast) => Builder {
            index,
            parser: &parser,
        }
        .build(ast, Some(&mut marks))?,
        // Nothing but versions: every clause of those.
        None => Box::new(AllQuery),
    };
    Ok(CompiledQuery {
        query,
        versions,
        marks,
        marked: Default::default(),
    })
}

/// The `version:` terms of a query (`version:2016-05-06`,
/// `-version:acme-dpa@2024-01-31`): a version ID or date, required or
/// excluded.
///
/// The index's documents are passages, which the versions that share a
/// clause share too, so a version is not a word of them: these terms filter
/// the occurrences, like the version filter and the "as of" date. That
/// works for a term the whole query requires or excludes; inside an `OR`
/// or a group, "this clause or that version" has no meaning to filter by,
/// and the query is refused with a message that says so.
#[derive(Debug, Default)]
struct VersionTerms {
    required: Vec<String>,
    excluded: Vec<String>,
}

/// The field of a leaf, if it names one.
fn leaf_field(leaf: &UserInputLeaf) -> Option<&str> {
    match leaf {
        UserInputLeaf::Literal(l) => l.field_name.as_deref(),
        UserInputLeaf::Range { field, .. } | UserInputLeaf::Set { field, .. } => field.as_deref(),
        UserInputLeaf::Exists { field } => Some(field.as_str()),
        _ => None,
    }
}

impl VersionTerms {
    /// Take the `version:` terms out of a parsed query; what is left, if
    /// anything.
    fn take(&mut self, ast: UserInputAst) -> Result<Option<UserInputAst>, SearchError> {
        match ast {
            UserInputAst::Leaf(leaf) if leaf_field(&leaf) == Some("version") => {
                self.add(*leaf, Occur::Must)?;
                Ok(None)
            }
            UserInputAst::Clause(children) => {
                let mut kept = Vec::with_capacity(children.len());
                let alone = children.len() == 1;
                let mut required = false;
                for (occur, child) in children {
                    let (occur, child) = Self::unwrap(occur, child);
                    match child {
                        UserInputAst::Leaf(leaf) if leaf_field(&leaf) == Some("version") => {
                            let occur = match occur {
                                None | Some(Occur::Must) => Occur::Must,
                                Some(Occur::MustNot) => Occur::MustNot,
                                Some(Occur::Should) if alone => Occur::Must,
                                Some(Occur::Should) => return Err(Self::misplaced()),
                            };
                            required |= occur == Occur::Must;
                            self.add(*leaf, occur)?;
                        }
                        other => {
                            if Self::mentions_version(&other) {
                                return Err(Self::misplaced());
                            }
                            kept.push((occur, other));
                        }
                    }
                }
                // `a OR b version:X` required only the version, `a` and `b`
                // adding to the score: with the version taken out, `a OR b`
                // alone would require one of them. Something required that
                // matches everything and scores nothing keeps the meaning.
                let optional = kept.iter().any(|(o, _)| *o == Some(Occur::Should));
                let other_required = kept
                    .iter()
                    .any(|(o, _)| matches!(o, None | Some(Occur::Must)));
                if required && optional && !other_required {
                    let everything = UserInputAst::Leaf(Box::new(UserInputLeaf::All));
                    kept.push((
                        Some(Occur::Must),
                        UserInputAst::Boost(Box::new(everything), 0.0.into()),
                    ));
                }
                Ok((!kept.is_empty()).then_some(UserInputAst::Clause(kept)))
            }
            other if Self::mentions_version(&other) => Err(Self::misplaced()),
            other => Ok(Some(other)),
        }
    }

    /// A required group of one part is that part, required or excluded as
    /// it says: `AND NOT x` parses as `AND (NOT x)`.
    fn unwrap(occur: Option<Occur>, child: UserInputAst) -> (Option<Occur>, UserInputAst) {
        match (occur, child) {
            (None | Some(Occur::Must), UserInputAst::Clause(mut inner)) if inner.len() == 1 => {
                let (inner_occur, inner_child) = inner.pop().expect("one part");
                let occur = match inner_occur {
                    Some(Occur::MustNot) => Some(Occur::MustNot),
                    _ => Some(Occur::Must),
                };
                Self::unwrap(occur, inner_child)
            }
            other => other,
        }
    }

    fn add(&mut self, leaf: UserInputLeaf, occur: Occur) -> Result<(), SearchError> {
        let name = match leaf {
            UserInputLeaf::Literal(l) if !l.prefix && l.slop == 0 => l.phrase,
            // `version:*`: any version, which every clause has.
            UserInputLeaf::Exists { .. } if occur == Occur::Must => return Ok(()),
            _ => {
                return Err(SearchError::BadQuery(
                    "version: takes one version ID or date (version:2016-05-06)".into(),
                ))
            }
        };
        match occur {
            Occur::MustNot => self.excluded.push(name),
            _ => self.required.push(name),
        }
        Ok(())
    }

    fn mentions_version(ast: &UserInputAst) -> bool {
        match ast {
            UserInputAst::Leaf(leaf) => leaf_field(leaf) == Some("version"),
            UserInputAst::Clause(children) => {
                children.iter().any(|(_, c)| Self::mentions_version(c))
            }
            UserInputAst::Boost(inner, _) => Self::mentions_version(inner),
        }
    }

    fn misplaced() -> SearchError {
        SearchError::BadQuery(
            "version: filters the whole query (version:2016-05-06, -version:2016-05-06); \
             it cannot be OR-ed, grouped or boosted"
                .into(),
        )
    }

    /// The versions the terms let through, by position in
    /// `corpus.versions` (`None` when there are no terms). A term names a
    /// version by its ID or its date.
    fn resolve(&self, corpus: &Corpus) -> Option<Vec<bool>> {
        if self.required.is_empty() && self.excluded.is_empty() {
            return None;
        }
        let named = |v: &trustlens_core::corpus::Version, name: &str| {
            v.info.id == name || v.info.date == name
        };
        Some(
            corpus
                .versions
                .iter()
                .map(|v| {
                    self.required.iter().all(|n| named(v, n))
                        && !self.excluded.iter().any(|n| named(v, n))
                })
                .collect(),
        )
    }
}

/// A union of two or more parts (a boolean of `Should` parts only, none of
/// them everything), as the same union cheap to seek ([`union::SeekUnion`]).
fn seekable_union(q: &dyn Query) -> Option<Box<dyn Query>> {
    let parts = q.downcast_ref::<BooleanQuery>()?.clauses();
    let plain = parts.len() > 1
        && parts
            .iter()
            .all(|(o, p)| *o == Occur::Should && p.downcast_ref::<AllQuery>().is_none());
    plain.then(|| {
        Box::new(union::SeekUnion::new(
            parts.iter().map(|(_, p)| p.box_clone()).collect(),
        )) as Box<dyn Query>
    })
}

struct Builder<'a> {
    index: &'a ClauseIndex,
    parser: &'a QueryParser,
}

impl Builder<'_> {
    /// Build a tantivy query from the parsed query. `marks` collects what to
    /// highlight; it is `None` under an exclusion (`-word` is never a match).
    fn build(
        &self,
        ast: UserInputAst,
        mut marks: Option<&mut Marks>,
    ) -> Result<Box<dyn Query>, SearchError> {
        Ok(match ast {
            UserInputAst::Clause(children) => {
                let mut subs = Vec::with_capacity(children.len());
                for (occur, child) in children {
                    let occur = occur.unwrap_or(Occur::Must);
                    let child_marks = if occur == Occur::MustNot {
                        None
                    } else {
                        marks.as_deref_mut()
                    };
                    subs.push((occur, self.build(child, child_marks)?));
                }
                // A union required beside another required part is sought
                // at that part's documents: see union.rs. Only beside one:
                // a conjunction adds up its parts' scores in the order of
                // their costs, and tantivy's union's cost changes once it
                // has buffered its first documents; two scores add up the
                // same either way round, three do not always.
                if subs.iter().filter(|(o, _)| *o == Occur::Must).count() == 2 {
                    for (occur, sub) in &mut subs {
                        if *occur == Occur::Must {
                            if let Some(union) = seekable_union(sub.as_ref()) {
                                *sub = union;
                            }
                        }
                    }
                }
                if !subs.is_empty() && subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                    // "-foo" alone means "everything but foo".
                    subs.push((Occur::Must, Box::new(AllQuery)));
                }
                // One required part is that part (same matches, same
                // score): unwrapped, a lone term can skip blocks while
                // ranking, which a boolean around it cannot.
                if subs.len() == 1 && subs[0].0 != Occur::MustNot {
                    return Ok(subs.pop().map(|(_, q)| q).expect("one part"));
                }
                Box::new(BooleanQuery::new(subs))
            }
            UserInputAst::Boost(inner, boost) => Box::new(BoostQuery::new(
                self.build(*inner, marks)?,
                boost.into_inner() as f32,
            )),
            UserInputAst::Leaf(leaf) => self.leaf(*leaf, marks)?,
        })
    }

    fn leaf(
        &self,
        leaf: UserInputLeaf,
        marks: Option<&mut Marks>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let text = self.index.fields.text;
        // The index has fields of its own (`pairs`, `key`) that are not
        // the user's to search, and a clause's ID is no field of a passage.
        match leaf_field(&leaf) {
            None | Some("text" | "section" | "document" | "kind") => {}
            Some(f @ "id") => {
                return Err(SearchError::BadQuery(format!(
                    "field \"{f}\" cannot be searched ({FIELDS}); search the clause's words"
                )))
            }
            Some(f) => {
                return Err(SearchError::BadQuery(format!(
                    "unknown field \"{f}\" ({FIELDS})"
                )))
            }
        }
        if let UserInputLeaf::Exists { field } = &leaf {
            // `field:*` asks which clauses have the field at all, which every
            // passage's text, document and kind do (and tantivy can answer
            // only for fast fields): say what to search instead.
            return Err(SearchError::BadQuery(format!(
                "{field}:* matches any value, which is not a search: name words in it ({field}:encryption)"
            )));
        }
        if let UserInputLeaf::Literal(lit) = &leaf {
            let on_text = matches!(lit.field_name.as_deref(), None | Some("text"));
            if lit.delimiter == Delimiter::None {
                if let Some((word, distance)) = fuzzy_term(&lit.phrase) {
                    return self.fuzzy(lit.field_name.as_deref(), word, distance, marks);
                }
            } else if on_text {
                // A quoted phrase: its words are matches only together.
                let q = match self.pairs_phrase(lit) {
                    Some(q) => q,
                    None => self.tantivy_leaf(leaf.clone())?,
                };
                if let Some(m) = marks {
                    let words = analysed(&lit.phrase);
                    if words.len() > 1 {
                        m.phrases.push(words);
                    } else {
                        m.terms.extend(words);
                    }
                }
                return Ok(q);
            }
        }
        let q = self.tantivy_leaf(leaf)?;
        if let Some(m) = marks {
            q.query_terms(&mut |term, _| {
                if term.field() == text {
                    if let Some(s) = term.value().as_str() {
                        m.terms.insert(s.to_string());
                    }
                }
            });
        }
        Ok(q)
    }

    /// A phrase of the clause text as a query on its word pairs (see
    /// [`crate::index::pairs`]): one term for two words, a phrase of pairs
    /// for more. `None` where only the word-by-word phrase says the same:
    /// a single word, a slop (`"a b"~2`), a prefix (`"a b"*`), or a word
    /// too long to index inside the phrase.
    fn pairs_phrase(
        &self,
        lit: &tantivy::query_grammar::UserInputLiteral,
    ) -> Option<Box<dyn Query>> {
        if lit.slop != 0 || lit.prefix {
            return None;
        }
        let field = self.index.fields.pairs;
        let mut terms: Vec<Term> = crate::index::pairs::phrase_pairs(&analysed_at(&lit.phrase))?
            .iter()
            .map(|p| Term::from_field_text(field, p))
            .collect();
        Some(if terms.len() == 1 {
            Box::new(TermQuery::new(
                terms.pop().expect("one pair"),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(phrase::PairsPhrase::new(terms))
        })
    }

    fn tantivy_leaf(&self, leaf: UserInputLeaf) -> Result<Box<dyn Query>, SearchError> {
        self.parser
            .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
            .map_err(|e| SearchError::BadQuery(explain(e)))
    }

    fn fuzzy(
        &self,
        field_name: Option<&str>,
        word: &str,
        distance: u8,
        marks: Option<&mut Marks>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let fields = self.index.fields;
        let field = match field_name {
            None | Some("text") => fields.text,
            Some("section") => fields.section,
            Some(other) => {
                return Err(SearchError::BadQuery(format!(
                    "fuzzy terms (~N) work on text and section, not on \"{other}\""
                )))
            }
        };
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut expanded = HashSet::new();
        for token in analysed(word) {
            let q = FuzzyTermQuery::new(Term::from_field_text(field, &token), distance, true);
            // On the text, a fuzzy term is searched as the words the index
            // holds within the distance, ranked by relevance (tantivy's fuzzy
            // query gives every match the same score, so its hits came in
            // clause-key order); they are also what is highlighted.
            let words = if field == fields.text {
                self.expansions(field, &q)?
            } else {
                Default::default()
            };
            if words.is_empty() {
                parts.push((Occur::Must, Box::new(q)));
                continue;
            }
            if words.len() == 1 {
                // One word within the distance (a misspelling of one word,
                // the usual case): searched as that term alone, which scores
                // every match as the union of one would, and which ranking
                // can skip blocks of (see `prunes`).
                let term = Term::from_field_text(field, words.iter().next().expect("one word"));
                parts.push((
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                ));
                expanded.extend(words);
                continue;
            }
            let any: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .map(|w| {
                    let term = TermQuery::new(
                        Term::from_field_text(field, w),
                        IndexRecordOption::WithFreqs,
                    );
                    (Occur::Should, Box::new(term) as Box<dyn Query>)
                })
                .collect();
            expanded.extend(words);
            parts.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        if let Some(m) = marks {
            m.terms.extend(expanded);
        }
        match parts.len() {
            0 => Err(SearchError::BadQuery(format!(
                "\"{word}\" has no searchable word"
            ))),
            1 => Ok(parts.pop().map(|(_, q)| q).expect("one part")),
            _ => Ok(Box::new(BooleanQuery::new(parts))),
        }
    }

    /// The words of `field` in the index (every segment) that fuzzy query
    /// `q` matches.
    fn expansions(
        &self,
        field: tantivy::schema::Field,
        q: &FuzzyTermQuery,
    ) -> Result<std::collections::BTreeSet<String>, SearchError> {
        let mut words = std::collections::BTreeSet::new();
        // Built once for every segment: building the automaton is most of
        // what an expansion costs.
        let automaton = q.automaton()?;
        for segment in self.index.reader.searcher().segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(|e| {
                    SearchError::Index(IndexError::Io {
                        path: "term dictionary".into(),
                        source: e,
                    })
                })?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    words.insert(t.to_string());
                }
            }
        }
        Ok(words)
    }
}

/// The analysed terms of `text` with their positions, in order.
fn analysed_at(text: &str) -> Vec<(usize, String)> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// The analysed terms of `text`, in order.
fn analysed(text: &str) -> Vec<String> {
    analysed_at(text).into_iter().map(|(_, w)| w).collect()
}

/// `word~N` (a bare word, N ≤ 2) → the word and its edit distance. The
/// grammar keeps `~N` inside a bare word's text; on quoted phrases it is slop.
fn fuzzy_term(literal: &str) -> Option<(&str, u8)> {
    let (word, n) = literal.rsplit_once('~')?;
    let n: u8 = n.parse().ok()?;
    (!word.is_empty() && !word.contains('~')).then_some((word, n.min(2)))
}

/// The fields a query can name, as error messages list them.
const FIELDS: &str = "fields: text, section, version, document, kind";

fn explain(e: tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::FieldDoesNotExist(f) => format!("unknown field \"{f}\" ({FIELDS})"),
        E::FieldNotIndexed(f) => format!("field \"{f}\" cannot be searched ({FIELDS})"),
        E::AllButQueryForbidden => "a query cannot consist only of excluded terms".into(),
        E::FieldDoesNotHavePositionsIndexed(f) => {
            format!("phrases are not supported on field \"{f}\"")
        }
        other => other.to_string(),
    }
}

/// Characters of context in a snippet.
const SNIPPET_CHARS: usize = 220;

/// The number highlighting gives a word the analyzer drops: no stem has it.
const DROPPED: u32 = u32::MAX;

impl CompiledQuery {
    /// Split `text` into parts, marking the words that match the query: single
    /// terms wherever they occur, phrase words only where the phrase occurs.
    pub fn highlight(&self, text: &str) -> Vec<TextPart> {
        let spans = self.marked_spans(text);
        let mut parts = Vec::with_capacity(2 * spans.len() + 1);
        parts_within(&mut parts, text, &spans, 0, text.len());
        parts
    }

    /// The byte spans of `text` to mark, in order, apart and not touching:
    /// each matching term, and each phrase occurrence as one span (so
    /// "Privacy Shield" reads as one mark).
    fn marked_spans(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        // Words are split as the index's tokenizer splits them and looked up
        // as written in the process's table of spellings, each analysed
        // (lower-cased, folded, stemmed) the first time any search meets
        // it; a word is then a stem's number.
        let mut table = Spellings::lock();
        table.make_room();
        let mut marked = self.marked.lock().unwrap_or_else(|e| e.into_inner());
        marked.refresh(&mut table, &self.marks.terms, &self.marks.phrases);
        let phrases = !marked.phrases.is_empty();
        let mut tokens: Vec<(u32, std::ops::Range<usize>)> = Vec::new();
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        for word in trustlens_core::text::word_runs(text) {
            // `word` is a slice of `text`: its offset is where it starts.
            let from = word.as_ptr() as usize - text.as_ptr() as usize;
            let span = from..from + word.len();
            let Some(id) = table.id_as_written(word) else {
                // A word the analyzer drops still takes a position in the
                // index, so no phrase runs across it.
                if phrases {
                    tokens.push((DROPPED, span));
                }
                continue;
            };
            if marked.is_term(id) {
                ranges.push(span.clone());
            }
            if phrases {
                tokens.push((id, span));
            }
        }
        drop(table);
        for phrase in &marked.phrases {
            for start in 0..tokens.len().saturating_sub(phrase.len() - 1) {
                if phrase
                    .iter()
                    .enumerate()
                    .all(|(k, &w)| tokens[start + k].0 == w)
                {
                    ranges.push(tokens[start].1.start..tokens[start + phrase.len() - 1].1.end);
                }
            }
        }
        drop(marked);
        if !phrases {
            // Words in text order, apart: already what is asked for.
            return ranges;
        }
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut spans: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match spans.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => spans.push(r),
            }
        }
        spans
    }

    /// A short excerpt around the first match (or the opening words when
    /// nothing in the text matched, e.g. a section-only query), cut at word
    /// boundaries and marked with `…` where text was left out.
    pub fn snippet(&self, text: &str) -> Vec<TextPart> {
        let spans = self.marked_spans(text);
        let first_hit = spans.first().map(|r| r.start);
        let char_floor = |i: usize| {
            (0..=i.min(text.len()))
                .rev()
                .find(|&j| text.is_char_boundary(j))
                .unwrap_or(0)
        };
        // Start a little before the first match, at a word boundary.
        let start = match first_hit {
            Some(h) if h > SNIPPET_CHARS / 4 => {
                let from = char_floor(h - SNIPPET_CHARS / 4);
                text[from..h].find(' ').map_or(from, |sp| from + sp + 1)
            }
            _ => 0,
        };
        let mut end = char_floor((start + SNIPPET_CHARS).min(text.len()));
        if end < text.len() {
            end = text[start..end].rfind(' ').map_or(end, |sp| start + sp);
        }
        // Never cut a mark in two ("Privacy" … without its "Shield").
        for r in &spans {
            if r.start < end && end < r.end {
                end = r.end;
            }
        }
        let mut out = Vec::with_capacity(2 * spans.len() + 3);
        if start > 0 {
            push_part(&mut out, "…", false);
        }
        parts_within(&mut out, text, &spans, start, end);
        if end < text.len() {
            push_part(&mut out, "…", false);
        }
        out
    }
}

/// Add `text[start..end]` to `out` as parts, marked where `spans` (in
/// order, apart) say.
fn parts_within(
    out: &mut Vec<TextPart>,
    text: &str,
    spans: &[std::ops::Range<usize>],
    start: usize,
    end: usize,
) {
    let mut pos = start;
    for r in spans {
        let (from, to) = (r.start.max(pos), r.end.min(end));
        if from >= to {
            continue;
        }
        if from > pos {
            push_part(out, &text[pos..from], false);
        }
        push_part(out, &text[from..to], true);
        pos = to;
    }
    if pos < end {
        push_part(out, &text[pos..end], false);
    }
}

/// Add a part, joining it to the last one when both are marked alike.
fn push_part(out: &mut Vec<TextPart>, text: &str, hit: bool) {
    match out.last_mut() {
        Some(last) if last.hit == hit => last.text.push_str(text),
        _ => out.push(TextPart {
            text: text.to_string(),
            hit,
        }),
    }
}

/// Run a search (the entry filter, which needs the matrix, is ignored here:
/// see [`search_within`]).
pub fn search(
    corpus: &Corpus,
    index: &ClauseIndex,
    req: &SearchRequest,
) -> Result<SearchResults, SearchError> {
    search_within(corpus, index, req, None)
}

/// Counts the occurrences of the matching passages that each part of a
/// search lets through (see [`crate::index::passages`]): the matches, the
/// matches per version and per matrix entry. One pass over the passages
/// serves all three, each with its own filters; an occurrence is a version
/// number and a clause key, read from arrays, never a clause looked up.
struct Tally<'a> {
    index: &'a ClauseIndex,
    /// The occurrences that are matches (every filter).
    hits: Allowed,
    /// The occurrences counted per version (every filter but the version).
    versions: Option<Allowed>,
    /// The occurrences counted per matrix entry (every filter but
    /// `within`), and the links they are counted by.
    entries: Option<(Allowed, LinkTable)>,
}

/// What a [`Tally`] found.
#[derive(Default)]
struct Tallied {
    /// Matches.
    total: usize,
    /// Matches per version, by position in `corpus.versions` (empty when
    /// not counted).
    versions: Vec<u32>,
    /// Matches per matrix entry.
    entries: EntryCounts,
    /// The clause key of every match counted per entry, when the entries
    /// have no bits (more than 64 of them): counted through the link table
    /// at the end.
    clauses: Vec<u64>,
}

impl Tallied {
    /// Matches per entry key, for every entry with at least one.
    fn entry_counts(self, links: &LinkTable) -> BTreeMap<String, u32> {
        let mut counts = links.entry_counts();
        counts.merge(self.entries);
        for key in self.clauses {
            links.count_key(&mut counts, key);
        }
        links.finish_counts(counts)
    }
}

impl Collector for Tally<'_> {
    type Fruit = Tallied;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let passages = Arc::clone(&self.index.passages);
        let entries = self.entries.as_ref().map(|(allowed, links)| {
            // The rules read a clause's text, which a passage's occurrences
            // share: the entry bits are a passage's, worked out once for
            // the table (see LinkTable::rule_bits) from its first clause.
            let bits = links.rule_bits(&passages.run_name(), || {
                passages.first_keys().map(Some).collect()
            });
            SegmentEntries {
                allowed: allowed.clone(),
                counts: links.entry_counts(),
                links: links.clone(),
                bits,
            }
        });
        Ok(SegmentTally {
            doc_passages: self.index.doc_passages(reader)?,
            hits: self.hits.clone(),
            versions: self
                .versions
                .clone()
                .map(|allowed| (allowed, vec![0; passages.version_count()])),
            entries,
            passages,
            tallied: Tallied::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallied>) -> tantivy::Result<Tallied> {
        let mut all = Tallied::default();
        for fruit in fruits {
            all.total += fruit.total;
            if all.versions.len() < fruit.versions.len() {
                all.versions.resize(fruit.versions.len(), 0);
            }
            for (sum, n) in all.versions.iter_mut().zip(fruit.versions) {
                *sum += n;
            }
            all.entries.merge(fruit.entries);
            all.clauses.extend(fruit.clauses);
        }
        Ok(all)
    }
}

/// The versions and clause keys of a passage's occurrences that `allowed`
/// lets through.
fn allowed_slots<'a>(
    allowed: &'a Allowed,
    versions: &'a [u32],
    keys: &'a [u64],
) -> impl Iterator<Item = (&'a u32, &'a u64)> + 'a {
    versions
        .iter()
        .zip(keys)
        .filter(move |&(&v, &k)| allowed.allows_at(v, k))
}

struct SegmentTally {
    doc_passages: Arc<[u32]>,
    passages: Arc<Passages>,
    hits: Allowed,
    /// The occurrences counted per version, and the counts.
    versions: Option<(Allowed, Vec<u32>)>,
    entries: Option<SegmentEntries>,
    tallied: Tallied,
}

/// Counting per matrix entry in one segment.
struct SegmentEntries {
    allowed: Allowed,
    links: LinkTable,
    /// The rules' entries of each passage, as bits; `None` when there are
    /// too many entries for bits.
    bits: Option<Arc<[u64]>>,
    counts: EntryCounts,
}

impl SegmentCollector for SegmentTally {
    type Fruit = Tallied;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        let Some(&passage) = self.doc_passages.get(doc as usize) else {
            return;
        };
        if passage == u32::MAX {
            return;
        }
        let (occurrences, versions, keys) = self.passages.slots(passage);
        let allowed = |a| allowed_slots(a, versions, keys);
        self.tallied.total += if self.hits.is_all() {
            occurrences.len()
        } else {
            allowed(&self.hits).count()
        };
        if let Some((a, counts)) = &mut self.versions {
            if a.is_all() {
                for &v in versions {
                    counts[v as usize] += 1;
                }
            } else {
                for (&v, _) in allowed(a) {
                    counts[v as usize] += 1;
                }
            }
        }
        if let Some(e) = &mut self.entries {
            match &e.bits {
                Some(bits) => {
                    let b = bits.get(passage as usize).copied().unwrap_or(0);
                    let n = if e.allowed.is_all() {
                        occurrences.len()
                    } else {
                        allowed(&e.allowed).count()
                    };
                    e.links
                        .count_alike(&mut e.counts, b, n, || allowed(&e.allowed).map(|(_, &k)| k));
                }
                None => self
                    .tallied
                    .clauses
                    .extend(allowed(&e.allowed).map(|(_, &k)| k)),
            }
        }
    }

    fn harvest(mut self) -> Tallied {
        if let Some((_, counts)) = self.versions {
            self.tallied.versions = counts;
        }
        if let Some(e) = self.entries {
            self.tallied.entries = e.counts;
        }
        self.tallied
    }
}

/// Clauses of a boolean query.
type QueryClauses = Vec<(Occur, Box<dyn Query>)>;

/// A filter: it narrows the matches and adds nothing to their scores, so a
/// hit scores the same with or without it (a section filter once ranked
/// clauses by how well their heading matched the filter, and an "as of"
/// date by how many clauses their version had).
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(tantivy::query::ConstScoreQuery::new(q, 0.0))
}

/// True when ranking by this query may skip blocks of matches (block-max
/// WAND): for a single term (a word, or a two-word phrase, which is one
/// pair term). tantivy also skips blocks for unions and intersections of
/// terms, but there it adds up each match's term scores in an order that
/// depends on how the index's segments were built, so two clauses of equal
/// score could come out an ulp apart and swap places between two builds of
/// the same corpus (an export differed from itself: `tests/crash.rs`). For
/// every other query ranking sees every match, with tantivy's usual
/// scorers, and counting in the same pass saves reading them twice.
fn prunes(q: &dyn Query) -> bool {
    q.downcast_ref::<TermQuery>().is_some()
}

/// True for a phrase of three words or more (a phrase of word pairs),
/// which ranking reads the positions of only where a match could make the
/// cut (see phrase.rs), but counting must read for every match. Ranked
/// apart from counting, it pays only when the count is not asked for: the
/// hits alone, whose number of matches is then a lower bound.
fn pairs_phrase(q: &dyn Query) -> bool {
    q.downcast_ref::<phrase::PairsPhrase>().is_some()
}

/// The best `limit` passages of a term query with the occurrences
/// `allowed`, with the term's field's average length over the index,
/// which exact block skipping needs (see [`Ranked::for_term`]).
fn term_ranking<'a>(
    index: &'a ClauseIndex,
    allowed: Allowed,
    query: &dyn Query,
    searcher: &tantivy::Searcher,
    limit: usize,
) -> tantivy::Result<Ranked<'a>> {
    let ranked = Ranked::new(index, allowed, limit);
    let Some(term) = query.downcast_ref::<TermQuery>() else {
        return Ok(ranked);
    };
    let field = term.term().field();
    let (mut tokens, mut docs) = (0u64, 0u64);
    for segment in searcher.segment_readers() {
        tokens += segment.inverted_index(field)?.total_num_tokens();
        docs += u64::from(segment.max_doc());
    }
    // As tantivy's BM25 works it out (`Bm25Weight::for_terms`).
    Ok(match docs {
        0 => ranked,
        _ => ranked.for_term(field, tokens as tantivy::Score / docs as tantivy::Score),
    })
}

/// The "as of" filter: the versions current on the date, any of them,
/// as a yes or no per position in `corpus.versions`.
fn as_of_versions(corpus: &Corpus, req: &SearchRequest) -> Result<Option<Vec<bool>>, SearchError> {
    let Some(date) = req
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    else {
        return Ok(None);
    };
    if !trustlens_core::corpus::manifest::valid_date(date) {
        let written_right = date.len() == 10
            && date.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        return Err(SearchError::BadQuery(if written_right {
            format!("as of \"{date}\": there is no such day in the calendar")
        } else {
            format!("as of \"{date}\": write the date as YYYY-MM-DD")
        }));
    }
    let mut current = vec![false; corpus.versions.len()];
    // The versions as numbers when every date is written YYYY-MM-DD (as a
    // manifest's are); otherwise by their IDs.
    let keyed = trustlens_core::corpus::day_number(date)
        .and_then(|day| corpus.keyed_versions().current_on(day));
    match keyed {
        Some(positions) => {
            for p in positions {
                if let Some(c) = current.get_mut(p) {
                    *c = true;
                }
            }
        }
        None => {
            for v in trustlens_core::lineage::current_on(corpus, date) {
                if let Some(p) = corpus.versions.iter().position(|c| std::ptr::eq(c, v)) {
                    current[p] = true;
                }
            }
        }
    }
    Ok(Some(current))
}

/// Both filters on versions (`None`: every version).
fn both(a: Option<Vec<bool>>, b: Option<Vec<bool>>) -> Option<Vec<bool>> {
    match (a, b) {
        (Some(mut a), Some(b)) => {
            for (x, y) in a.iter_mut().zip(b) {
                *x &= y;
            }
            Some(a)
        }
        (a, None) => a,
        (None, b) => b,
    }
}

/// Run a search; with `within`, only among those clause IDs (the clauses
/// linked to a matrix entry, say).
pub fn search_within(
    corpus: &Corpus,
    index: &ClauseIndex,
    req: &SearchRequest,
    within: Option<&HashSet<String>>,
) -> Result<SearchResults, SearchError> {
    search_counted(corpus, index, req, within, None).map(|(results, _)| results)
}

/// [`search_within`], and with `links`, also how many matching clauses
/// (with every filter but `within`) link to each matrix entry.
pub fn search_counted(
    corpus: &Corpus,
    index: &ClauseIndex,
    req: &SearchRequest,
    within: Option<&HashSet<String>>,
    links: Option<&LinkTable>,
) -> Result<(SearchResults, Option<BTreeMap<String, u32>>), SearchError> {
    search_parts(corpus, index, req, within, links, SearchParts::All)
}

/// Which parts of a search to work out.
///
/// The hits and the match count come back fast; the counts per version and
/// per matrix entry need every match read, which on a large corpus costs
/// several times as much. The app asks for the hits first, shows them, and
/// then asks for the counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchParts {
    /// The best hits and the number of matches.
    Hits,
    /// The number of matches and the counts per version and matrix entry.
    Counts,
    /// Both.
    All,
}

/// [`search_counted`], working out only `parts` (the others are left empty,
/// and [`SearchResults::counted`] says whether the counts were worked out).
///
/// Hits, counts per version and counts per entry each have their own
/// filters, but they are filters of occurrences: one pass over the matching
/// passages counts all three. Ranking shares it, or, where it can skip
/// blocks of matches, is a pass of its own before it.
pub fn search_parts(
    corpus: &Corpus,
    index: &ClauseIndex,
    req: &SearchRequest,
    within: Option<&HashSet<String>>,
    links: Option<&LinkTable>,
    parts: SearchParts,
) -> Result<(SearchResults, Option<BTreeMap<String, u32>>), SearchError> {
    let compiled = compile(index, &req.query)?;
    // One view of the index for the whole search: filters made for its
    // segments are applied to the same segments.
    let searcher = index.reader.searcher();
    let section = req.section.as_deref().filter(|s| !s.trim().is_empty());
    let section_q = section_filter(index, section, &searcher)?;
    let (version, allowed) = occurrences(corpus, req, &compiled, within)?;
    let search = Search {
        index,
        searcher,
        query: compiled.query.as_ref(),
        allowed,
        limit: req.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize,
        parts,
    };
    let hit_filters = search.doc_filters(&section_q, &search.allowed.hits, search.want_hits())?;
    let pass_filters = search.doc_filters(&section_q, &search.allowed.pass, true)?;
    let apart = search.ranked_apart(section.is_some(), &hit_filters)?;
    let tally = search.tally(links);
    let passes = search.rank_and_count(apart, tally, hit_filters, pass_filters)?;

    let passages = &*index.passages;
    let counted = search.counted();
    let per_version = per_version(passages, &passes.tallied);
    let total = passes.tallied.total;
    let entry_counts = links
        .filter(|_| counted)
        .map(|links| passes.tallied.entry_counts(links));
    let filtered = version.map(|v| v.info.id.as_str());
    let (facets, facets_omitted) = version_facets(corpus, &per_version, filtered);
    let best = best_occurrences(passages, &passes.top, &search.allowed.hits, search.limit);
    let hits = search_hits(corpus, passages, &compiled, within, best);
    Ok((
        SearchResults {
            query: req.query.clone(),
            total: total as u32,
            total_exact: passes.total_exact,
            hits,
            facets,
            facets_omitted,
            entry_facets: Vec::new(),
            counted,
        },
        entry_counts,
    ))
}

/// The section filter's documents, as a filter (`None`: no section asked
/// for). The section is the passages' (it is part of what makes one).
fn section_filter(
    index: &ClauseIndex,
    section: Option<&str>,
    searcher: &tantivy::Searcher,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    let Some(section) = section else {
        return Ok(None);
    };
    let parser = QueryParser::for_index(&index.index, vec![index.fields.section]);
    let q = parser
        .parse_query(section)
        .map_err(|e| SearchError::BadQuery(format!("section filter: {}", explain(e))))?;
    let docs = index.section_docs(section, q.as_ref(), searcher)?;
    Ok(Some(filter(Box::new(docs))))
}

/// Which occurrences each part of a search lets through.
struct Occurrences {
    /// The hits': every filter.
    hits: Allowed,
    /// Those counted per version: every filter but the version.
    versions: Allowed,
    /// Those counted per matrix entry: every filter but `within`.
    entries: Allowed,
    /// What all three let through at most: the passages a pass must see.
    pass: Allowed,
}

/// The version the request filters on, if any, and the occurrences each
/// part lets through.
///
/// Versions and clauses are the occurrences'. Filters other than the
/// version apply to the counts per version too, so they say "how many
/// matches would this version give me". The counts per entry take every
/// filter but `within`.
fn occurrences<'c>(
    corpus: &'c Corpus,
    req: &SearchRequest,
    compiled: &CompiledQuery,
    within: Option<&HashSet<String>>,
) -> Result<(Option<&'c trustlens_core::corpus::Version>, Occurrences), SearchError> {
    let base: Option<Arc<[bool]>> = both(
        as_of_versions(corpus, req)?,
        compiled.versions.resolve(corpus),
    )
    .map(Into::into);
    let version = match req.version.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(name) => Some(corpus.version(name.trim())?),
        None => None,
    };
    let with_version: Option<Arc<[bool]>> = match version {
        None => base.clone(),
        Some(v) => {
            let mut only = vec![false; corpus.versions.len()];
            if let Some(p) = corpus.versions.iter().position(|c| std::ptr::eq(c, v)) {
                only[p] = base.as_ref().is_none_or(|b| b[p]);
            }
            Some(only.into())
        }
    };
    let clauses = within.map(|ids| Arc::new(ClauseSet::new(ids.iter().map(|id| clause_key(id)))));
    let allowed = Occurrences {
        hits: Allowed {
            versions: with_version.clone(),
            clauses: clauses.clone(),
        },
        versions: Allowed {
            versions: base.clone(),
            clauses,
        },
        entries: Allowed {
            versions: with_version,
            clauses: None,
        },
        pass: Allowed {
            versions: base,
            clauses: None,
        },
    };
    Ok((version, allowed))
}

/// One search's query, view of the index and filters, as its passes read
/// them.
struct Search<'a> {
    index: &'a ClauseIndex,
    searcher: tantivy::Searcher,
    query: &'a dyn Query,
    allowed: Occurrences,
    /// Most hits returned.
    limit: usize,
    parts: SearchParts,
}

/// What the passes of a search found.
struct Passes {
    /// The best passages.
    top: Vec<RankedHit>,
    tallied: Tallied,
    /// Whether `tallied.total` is the number of matches, not a lower bound.
    total_exact: bool,
}

impl<'a> Search<'a> {
    fn want_hits(&self) -> bool {
        self.parts != SearchParts::Counts
    }

    fn counted(&self) -> bool {
        self.parts != SearchParts::Hits
    }

    /// The query with `extra` filters.
    fn and(&self, extra: Vec<Box<dyn Query>>) -> Box<dyn Query> {
        if extra.is_empty() {
            // The query alone, unwrapped: a term can skip blocks while
            // ranking only when it is the whole query (see `prunes`).
            return self.query.box_clone();
        }
        let mut clauses: QueryClauses = vec![(Occur::Must, self.query.box_clone())];
        clauses.extend(extra.into_iter().map(|q| (Occur::Must, q)));
        Box::new(BooleanQuery::new(clauses))
    }

    /// The section filter, and, when `wanted` and it lets anything out,
    /// the filter of the documents with an occurrence `allowed`.
    fn doc_filters(
        &self,
        section_q: &Option<Box<dyn Query>>,
        allowed: &Allowed,
        wanted: bool,
    ) -> Result<Vec<Box<dyn Query>>, SearchError> {
        let mut filters: Vec<Box<dyn Query>> = section_q.iter().map(|q| q.box_clone()).collect();
        if wanted && !allowed.is_all() {
            filters.push(filter(Box::new(
                self.index.allowed_docs(allowed, &self.searcher)?,
            )));
        }
        Ok(filters)
    }

    /// The ranking, when ranking is a pass of its own.
    ///
    /// A term with no filter is ranked alone, skipping blocks of postings
    /// that cannot make the cut. So is a term in a section, within the
    /// filters (see `Ranked::within`): it pays when many matches pass the
    /// filters, so that the cut rises fast, and a section is about the words
    /// searched in it (a term in a section filter: 5.3 → 3.1 ms to the hits
    /// on the 0.86 M-clause benchmark corpus), while a version or a date
    /// lets matches through regardless of their words (one in ten for an
    /// "as of" date), and there the intersection, which scores only the
    /// matches that pass, was faster (1.4 against 1.7 ms).
    ///
    /// A phrase of three words or more is ranked apart only for the hits
    /// alone (see `pairs_phrase`): its count is left to the second call.
    fn ranked_apart(
        &self,
        in_section: bool,
        hit_filters: &[Box<dyn Query>],
    ) -> Result<Option<Ranked<'a>>, SearchError> {
        let hits_alone = self.parts == SearchParts::Hits;
        let ranks_apart = |q: &dyn Query| prunes(q) || (hits_alone && pairs_phrase(q));
        let query = self.query;
        let ranking = || {
            term_ranking(
                self.index,
                self.allowed.hits.clone(),
                query,
                &self.searcher,
                self.limit,
            )
        };
        Ok(if !self.want_hits() {
            None
        } else if hit_filters.is_empty() && ranks_apart(query) {
            Some(ranking()?)
        } else if in_section && ranks_apart(query) {
            let filters: QueryClauses = hit_filters
                .iter()
                .map(|q| (Occur::Must, q.box_clone()))
                .collect();
            let within = BooleanQuery::new(filters).weight(
                tantivy::query::EnableScoring::disabled_from_searcher(&self.searcher),
            )?;
            Some(ranking()?.within(within))
        } else {
            None
        })
    }

    /// The counting collector for the parts asked for.
    fn tally(&self, links: Option<&LinkTable>) -> Tally<'a> {
        let counted = self.counted();
        Tally {
            index: self.index,
            hits: self.allowed.hits.clone(),
            versions: counted.then(|| self.allowed.versions.clone()),
            entries: links
                .filter(|_| counted)
                .map(|l| (self.allowed.entries.clone(), l.clone())),
        }
    }

    /// Rank and count: with `apart`, ranking is a pass of its own;
    /// otherwise one pass does both, or counts alone.
    ///
    /// Ranked orders equal scores by clause key (see rank.rs): the same
    /// query on the same corpus gives the same hits in the same order however
    /// the index was built.
    fn rank_and_count(
        &self,
        apart: Option<Ranked<'_>>,
        tally: Tally<'_>,
        hit_filters: Vec<Box<dyn Query>>,
        pass_filters: Vec<Box<dyn Query>>,
    ) -> tantivy::Result<Passes> {
        let searcher = &self.searcher;
        let ranked = || Ranked::new(self.index, self.allowed.hits.clone(), self.limit);
        let (top, tallied) = match apart {
            Some(ranked) => return self.count_apart(ranked, tally, hit_filters, pass_filters),
            // The hits alone, nothing to skip: one pass over the hits' passages
            // ranks and counts them.
            None if !self.counted() => {
                searcher.search(&self.and(hit_filters), &(ranked(), tally))?
            }
            // Nothing to skip, or nothing gained by it: counting a phrase reads
            // the positions of every match anyway, so one pass ranks and
            // counts, over the passages any part lets through (the ranking
            // offers itself only those with a hit).
            None if self.want_hits() => {
                searcher.search(&self.and(pass_filters), &(ranked(), tally))?
            }
            None => (
                Vec::new(),
                searcher.search(&self.and(pass_filters), &tally)?,
            ),
        };
        Ok(Passes {
            top,
            tallied,
            total_exact: true,
        })
    }

    /// Ranking is a pass of its own, which skips the blocks that cannot
    /// make the cut (see rank.rs); counting needs every match but no
    /// scores.
    fn count_apart(
        &self,
        ranked: Ranked<'_>,
        tally: Tally<'_>,
        hit_filters: Vec<Box<dyn Query>>,
        pass_filters: Vec<Box<dyn Query>>,
    ) -> tantivy::Result<Passes> {
        let top = self.searcher.search(self.query, &ranked)?;
        let mut total_exact = true;
        let tallied = if self.counted() {
            self.searcher.search(&self.and(pass_filters), &tally)?
        } else if pairs_phrase(self.query) {
            // Not counted (see `pairs_phrase`). Ranking passes matches
            // over only once it holds `limit` passages: with fewer, it
            // has seen every match.
            total_exact = top.len() < self.limit;
            let passages = &*self.index.passages;
            Tallied {
                total: top
                    .iter()
                    .map(|h| self.allowed.hits.count(passages, h.passage))
                    .sum(),
                ..Tallied::default()
            }
        } else {
            self.searcher.search(&self.and(hit_filters), &tally)?
        };
        Ok(Passes {
            top,
            tallied,
            total_exact,
        })
    }
}

/// The matches per version, by version key, for the versions with any.
fn per_version(passages: &Passages, tallied: &Tallied) -> Vec<(u64, u32)> {
    tallied
        .versions
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(v, &n)| (passages.version_key(v as u32), n))
        .collect()
}

/// The best passages' occurrences the search lets through, best first
/// (score, clause key, occurrence): equal scores by clause key, as the
/// passages were ranked.
fn best_occurrences(
    passages: &Passages,
    top: &[RankedHit],
    allowed: &Allowed,
    limit: usize,
) -> Vec<(tantivy::Score, u64, u32)> {
    let mut best: Vec<(tantivy::Score, u64, u32)> = Vec::new();
    for hit in top {
        let (occurrences, versions, keys) = passages.slots(hit.passage);
        for ((&o, &v), &k) in occurrences.iter().zip(versions).zip(keys) {
            if allowed.allows_at(v, k) {
                best.push((hit.score, k, o));
            }
        }
    }
    best.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    best.truncate(limit);
    best
}

/// A version's facts as a hit gives them: ID, vendor, document, date.
type Facts = (Arc<str>, Arc<str>, Arc<str>, Arc<str>);

fn facts(info: &trustlens_core::corpus::VersionInfo) -> Facts {
    let shared = |s: &str| Arc::<str>::from(s);
    (
        shared(&info.id),
        shared(&info.vendor),
        shared(&info.document),
        shared(&info.date),
    )
}

/// The hits for the best occurrences, in their order.
fn search_hits(
    corpus: &Corpus,
    passages: &Passages,
    compiled: &CompiledQuery,
    within: Option<&HashSet<String>>,
    best: Vec<(tantivy::Score, u64, u32)>,
) -> Vec<SearchHit> {
    let mut hits = Vec::with_capacity(best.len());
    // A passage is one text, shared (see `clause::TextPool`): its snippet
    // is worked out once per search.
    let mut snippets: FxHashMap<*const u8, Arc<[TextPart]>> = FxHashMap::default();
    // The same for each version's facts.
    let mut versions: FxHashMap<usize, Facts> = FxHashMap::default();
    for (score, _, o) in best {
        let (v, i) = passages.locate(o);
        // The table was made from this corpus; skip rather than fail if it
        // somehow does not fit.
        let Some(version) = corpus.versions.get(v) else {
            continue;
        };
        let Some(clause) = version.doc.clauses.get(i) else {
            continue;
        };
        let clause_id = clause.id();
        // A clause that shares its key with one of `within`'s got through
        // the filter (see `ClauseSet`).
        if within.is_some_and(|ids| !ids.contains(&clause_id)) {
            continue;
        }
        let (id, vendor, document, date) = versions
            .entry(v)
            .or_insert_with(|| facts(&version.info))
            .clone();
        hits.push(SearchHit {
            clause_id,
            version: id,
            vendor,
            document,
            date,
            section: clause.section.clone(),
            pages: clause.pages.to_vec(),
            ocr: clause.ocr,
            kind: clause.kind,
            text: clause.text.clone(),
            snippet: snippets
                .entry(Arc::as_ptr(&clause.text).cast::<u8>())
                .or_insert_with(|| compiled.snippet(&clause.text).into())
                .clone(),
            score,
            entries: Vec::new(),
            lineage: None,
            also_in: Vec::new(),
        });
    }
    hits
}

/// The counts per version to show: every version with a match, or, past
/// [`MAX_FACETS`], the filtered version first, then those with the most
/// matches, then the newest (then the ID, so that the cut is the same every
/// time); listed by date. Also how many were left out.
fn version_facets(
    corpus: &Corpus,
    per_version: &[(u64, u32)],
    filtered: Option<&str>,
) -> (Vec<VersionCount>, Option<u32>) {
    facets_by(corpus, corpus.keyed_versions(), per_version, filtered).unwrap_or_else(|| {
        // `corpus.versions` changed since its keys were worked out.
        let fresh = trustlens_core::corpus::VersionKeys::of(&corpus.versions);
        facets_by(corpus, &fresh, per_version, filtered).unwrap_or_default()
    })
}

/// [`version_facets`] with these keys, or `None` when they no longer
/// describe `corpus.versions` (a kept position holds another version).
///
/// Versions are compared as numbers (count, rank by date) and only the kept
/// ones are looked at and copied into the reply: with ten thousand
/// versions, looking each up and comparing dates and IDs as strings cost
/// more than counting the matches.
fn facets_by(
    corpus: &Corpus,
    keys: &trustlens_core::corpus::VersionKeys,
    per_version: &[(u64, u32)],
    filtered: Option<&str>,
) -> Option<(Vec<VersionCount>, Option<u32>)> {
    let filtered = filtered.map(trustlens_core::clause::clause_key);
    // (key, count, rank by date, position)
    let mut counted: Vec<(u64, u32, u32, usize)> = Vec::with_capacity(per_version.len());
    for &(key, n) in per_version {
        // A key no version has is skipped (every key the index holds comes
        // from the corpus; this is only ever a stale index's).
        if let Some(p) = keys.position(key) {
            counted.push((key, n, keys.rank(p), p));
        }
    }
    let mut omitted = None;
    if counted.len() > MAX_FACETS {
        let first = |k: u64| Some(k) == filtered;
        counted.select_nth_unstable_by(MAX_FACETS - 1, |&(a, an, ar, _), &(b, bn, br, _)| {
            (first(b), bn, br).cmp(&(first(a), an, ar))
        });
        omitted = Some((counted.len() - MAX_FACETS) as u32);
        counted.truncate(MAX_FACETS);
    }
    counted.sort_by_key(|&(_, _, rank, _)| rank);
    let facets = counted
        .into_iter()
        .map(|(key, count, _, p)| {
            let v = corpus
                .versions
                .get(p)
                .filter(|v| trustlens_core::clause::clause_key(&v.info.id) == key)?;
            Some(VersionCount {
                version: v.info.id.clone(),
                date: v.info.date.clone(),
                count,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((facets, omitted))
}
