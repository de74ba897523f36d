//! Searching clauses: query language, filters, snippets, facets.
//!
//! The query language is tantivy's (terms, `"phrases"`, `AND`/`OR`/`-term`,
//! `+term`, `field:value`, `(groups)`, `^boost`) with two trustlens choices:
//! words are AND-ed by default (an analyst typing three words wants clauses
//! with all three), and `word~N` means a fuzzy term within N edits (N ≤ 2) —
//! tantivy's grammar reads `~N` as phrase slop only, so fuzzy leaves are
//! turned into [`FuzzyTermQuery`]s here while every other leaf is built by
//! tantivy's own parser.
//!
//! Searchable fields: `text` (default), `section` (heading path), `version`
//! (version ID, date or document ID), `document`, `kind`.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{TantivyDocument, Term};
use ts_rs::TS;

use crate::clause::ClauseKind;
use crate::corpus::{Corpus, CorpusError};
use crate::index::{analyzer, ClauseIndex, IndexError};

/// Longest query accepted, in bytes: longer ones are a paste accident.
pub const MAX_QUERY_LEN: usize = 2000;
/// Most hits one search returns.
pub const MAX_LIMIT: u32 = 1000;
/// Hits returned when no limit is given.
pub const DEFAULT_LIMIT: u32 = 20;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SearchHit {
    /// Clause ID.
    pub clause_id: String,
    /// Version ID.
    pub version: String,
    /// Vendor.
    pub vendor: String,
    /// Document title.
    pub document: String,
    /// Version date.
    pub date: String,
    /// Section path.
    pub section: Vec<String>,
    /// Pages, when known.
    pub pages: Vec<u32>,
    /// Clause kind.
    pub kind: ClauseKind,
    /// Full clause text.
    pub text: String,
    /// A short excerpt with the matches highlighted.
    pub snippet: Vec<TextPart>,
    /// Relevance score (BM25).
    pub score: f32,
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
    /// All matching clauses (the hits are the best `limit` of them).
    pub total: u32,
    /// Best hits first.
    pub hits: Vec<SearchHit>,
    /// Matches per version, for every version with at least one.
    pub facets: Vec<VersionCount>,
}

/// A compiled query and what is needed to highlight its matches.
pub struct CompiledQuery {
    query: Box<dyn Query>,
    /// Analysed terms that count as matches in clause text.
    terms: HashSet<String>,
}

/// Compile a query string against an index.
pub fn compile(index: &ClauseIndex, query: &str) -> Result<CompiledQuery, SearchError> {
    let q = query.trim();
    if q.is_empty() {
        return Err(SearchError::BadQuery("the query is empty".into()));
    }
    if q.len() > MAX_QUERY_LEN {
        return Err(SearchError::BadQuery(format!("the query is {} bytes long; the limit is {MAX_QUERY_LEN}", q.len())));
    }
    let ast = tantivy::query_grammar::parse_query(q).map_err(|_| {
        let (_, errors) = tantivy::query_grammar::parse_query_lenient(q);
        let detail = errors.first().map(|e| format!(" ({})", e.message)).unwrap_or_default();
        SearchError::BadQuery(format!("cannot parse \"{q}\"{detail}: check quotes, parentheses and operators"))
    })?;
    let mut parser = QueryParser::for_index(&index.index, vec![index.fields.text]);
    parser.set_conjunction_by_default();
    let mut fuzzy = Vec::new();
    let query = build(index, &parser, ast, &mut fuzzy)?;

    let mut terms = HashSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == index.fields.text {
            if let Some(s) = term.value().as_str() {
                terms.insert(s.to_string());
            }
        }
    });
    // Fuzzy terms match whatever the index holds within the distance: expand
    // them against the term dictionary so the matches can be highlighted.
    let searcher = index.reader.searcher();
    for fq in &fuzzy {
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(index.fields.text)?;
            let mut stream = inverted
                .terms()
                .search(fq.automaton()?)
                .into_stream()
                .map_err(|e| SearchError::Index(IndexError::Io { path: "term dictionary".into(), source: e }))?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    terms.insert(t.to_string());
                }
            }
        }
    }
    Ok(CompiledQuery { query, terms })
}

fn build(index: &ClauseIndex, parser: &QueryParser, ast: UserInputAst, fuzzy: &mut Vec<FuzzyTermQuery>) -> Result<Box<dyn Query>, SearchError> {
    Ok(match ast {
        UserInputAst::Clause(children) => {
            let mut subs = Vec::with_capacity(children.len());
            for (occur, child) in children {
                subs.push((occur.unwrap_or(Occur::Must), build(index, parser, child, fuzzy)?));
            }
            if !subs.is_empty() && subs.iter().all(|(o, _)| *o == Occur::MustNot) {
                // "-foo" alone means "everything but foo".
                subs.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(subs))
        }
        UserInputAst::Boost(inner, boost) => Box::new(BoostQuery::new(build(index, parser, *inner, fuzzy)?, boost.into_inner() as f32)),
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(lit) if lit.delimiter == Delimiter::None && fuzzy_term(&lit.phrase).is_some() => {
                let (word, distance) = fuzzy_term(&lit.phrase).expect("checked by the guard");
                let field = match lit.field_name.as_deref() {
                    None | Some("text") => index.fields.text,
                    Some("section") => index.fields.section,
                    Some(other) => return Err(SearchError::BadQuery(format!("fuzzy terms (~N) work on text and section, not on \"{other}\""))),
                };
                let mut analyzer = analyzer();
                let mut stream = analyzer.token_stream(word);
                let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                while let Some(token) = stream.next() {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, &token.text), distance, true);
                    if field == index.fields.text {
                        fuzzy.push(q.clone());
                    }
                    parts.push((Occur::Must, Box::new(q)));
                }
                match parts.len() {
                    0 => return Err(SearchError::BadQuery(format!("\"{}\" has no searchable word", lit.phrase))),
                    1 => parts.pop().map(|(_, q)| q).expect("one part"),
                    _ => Box::new(BooleanQuery::new(parts)),
                }
            }
            leaf => parser
                .build_query_from_user_input_ast(UserInputAst::Leaf(Box::new(leaf)))
                .map_err(|e| SearchError::BadQuery(explain(e)))?,
        },
    })
}

/// `word~N` (a bare word, N ≤ 2) → the word and its edit distance. The
/// grammar keeps `~N` inside a bare word's text; on quoted phrases it is slop.
fn fuzzy_term(literal: &str) -> Option<(&str, u8)> {
    let (word, n) = literal.rsplit_once('~')?;
    let n: u8 = n.parse().ok()?;
    (!word.is_empty() && !word.contains('~')).then_some((word, n.min(2)))
}

fn explain(e: tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match e {
        E::FieldDoesNotExist(f) => format!("unknown field \"{f}\" (fields: text, section, version, document, kind)"),
        E::AllButQueryForbidden => "a query cannot consist only of excluded terms".into(),
        E::FieldDoesNotHavePositionsIndexed(f) => format!("phrases are not supported on field \"{f}\""),
        other => other.to_string(),
    }
}

impl CompiledQuery {
    /// Split `text` into parts, marking the words that match the query.
    pub fn highlight(&self, text: &str) -> Vec<TextPart> {
        let mut parts = Vec::new();
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut pos = 0;
        while let Some(token) = stream.next() {
            if self.terms.contains(&token.text) && token.offset_from >= pos {
                if token.offset_from > pos {
                    parts.push(TextPart { text: text[pos..token.offset_from].to_string(), hit: false });
                }
                parts.push(TextPart { text: text[token.offset_from..token.offset_to].to_string(), hit: true });
                pos = token.offset_to;
            }
        }
        if pos < text.len() {
            parts.push(TextPart { text: text[pos..].to_string(), hit: false });
        }
        merge_adjacent(parts)
    }

    fn snippet(&self, index: &ClauseIndex, text: &str) -> Vec<TextPart> {
        let terms: BTreeMap<String, f32> = self.terms.iter().map(|t| (t.clone(), 1.0)).collect();
        let generator = SnippetGenerator::new(terms, analyzer(), index.fields.text, 220);
        let snippet = generator.snippet(text);
        if snippet.is_empty() {
            // No term in this clause matched (e.g. a section-only query):
            // show its opening words instead.
            let cut = text.char_indices().nth(220).map_or(text.len(), |(i, _)| text[..i].rfind(' ').unwrap_or(i));
            let mut s = text[..cut].to_string();
            if cut < text.len() {
                s.push('…');
            }
            return vec![TextPart { text: s, hit: false }];
        }
        let fragment = snippet.fragment();
        let range = snippet.fragment_range();
        let mut parts = Vec::new();
        if range.start > 0 {
            parts.push(TextPart { text: "…".into(), hit: false });
        }
        let mut pos = 0;
        for h in snippet.highlighted() {
            if h.start > pos {
                parts.push(TextPart { text: fragment[pos..h.start].to_string(), hit: false });
            }
            parts.push(TextPart { text: fragment[h.clone()].to_string(), hit: true });
            pos = h.end;
        }
        if pos < fragment.len() {
            parts.push(TextPart { text: fragment[pos..].to_string(), hit: false });
        }
        if range.end < text.len() {
            parts.push(TextPart { text: "…".into(), hit: false });
        }
        merge_adjacent(parts)
    }
}

fn merge_adjacent(parts: Vec<TextPart>) -> Vec<TextPart> {
    let mut out: Vec<TextPart> = Vec::with_capacity(parts.len());
    for p in parts {
        match out.last_mut() {
            Some(last) if last.hit == p.hit => last.text.push_str(&p.text),
            _ => out.push(p),
        }
    }
    out
}

/// Run a search.
pub fn search(corpus: &Corpus, index: &ClauseIndex, req: &SearchRequest) -> Result<SearchResults, SearchError> {
    let compiled = compile(index, &req.query)?;
    let f = index.fields;

    // Filters other than the version apply to the facet counts too, so the
    // counts say "how many matches would this version give me".
    let mut base: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, compiled.query.box_clone())];
    if let Some(section) = req.section.as_deref().filter(|s| !s.trim().is_empty()) {
        let parser = QueryParser::for_index(&index.index, vec![f.section]);
        let q = parser.parse_query(section).map_err(|e| SearchError::BadQuery(format!("section filter: {}", explain(e))))?;
        base.push((Occur::Must, q));
    }
    let unfiltered = BooleanQuery::new(base.iter().map(|(o, q)| (*o, q.box_clone())).collect());
    let mut filtered = base;
    if let Some(name) = req.version.as_deref().filter(|s| !s.trim().is_empty()) {
        let version = corpus.version(name.trim())?;
        filtered.push((Occur::Must, Box::new(TermQuery::new(Term::from_field_text(f.version, &version.info.id), IndexRecordOption::Basic))));
    }
    let filtered = BooleanQuery::new(filtered);

    let limit = req.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
    let searcher = index.reader.searcher();
    let (top, total) = searcher.search(&filtered, &(TopDocs::with_limit(limit).order_by_score(), Count))?;

    let mut facet_collector = FacetCollector::for_field("facet");
    facet_collector.add_facet(Facet::from("/version"));
    let facet_counts = searcher.search(&unfiltered, &facet_collector)?;
    let mut facets: Vec<VersionCount> = facet_counts
        .get("/version")
        .filter_map(|(facet, count)| {
            let id = facet.to_path().last()?.to_string();
            let v = corpus.version(&id).ok()?;
            Some(VersionCount { version: id, date: v.info.date.clone(), count: count as u32 })
        })
        .collect();
    facets.sort_by(|a, b| (&a.date, &a.version).cmp(&(&b.date, &b.version)));

    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let stored: TantivyDocument = searcher.doc(address)?;
        let Some(id) = stored.get_first(f.id).and_then(|v| v.as_str()) else { continue };
        // The index is keyed by the corpus content, so every ID resolves;
        // skip rather than fail if it somehow does not.
        let Ok((version, i)) = corpus.clause(id) else { continue };
        let clause = &version.doc.clauses[i];
        hits.push(SearchHit {
            clause_id: clause.id.clone(),
            version: version.info.id.clone(),
            vendor: version.info.vendor.clone(),
            document: version.info.document.clone(),
            date: version.info.date.clone(),
            section: clause.section.clone(),
            pages: clause.pages.clone(),
            kind: clause.kind,
            text: clause.text.clone(),
            snippet: compiled.snippet(index, &clause.text),
            score,
        });
    }
    Ok(SearchResults { query: req.query.clone(), total: total as u32, hits, facets })
}
