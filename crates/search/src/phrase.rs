//! A phrase of word pairs that ranks without reading the positions of
//! matches that cannot make the cut.
//!
//! A phrase of three or more words is searched as a phrase of its word
//! pairs (see [`crate::index::pairs`]): `"payment card data"` is `payment
//! card` followed by `card data`. tantivy's phrase scorer reads the
//! positions of every document holding all the pairs, to count how often
//! the phrase occurs in it — the largest part of a phrase search on a big
//! corpus, where tens of thousands of clauses hold them. Ranking needs
//! that count only for a document that could enter the best hits: the
//! phrase occurs at most as often as its rarest pair in the document, so
//! BM25 of that frequency bounds the document's score, and a document
//! whose bound cannot beat the current cut is passed over without its
//! positions. Every other use of the query (counting, scoring every match)
//! is tantivy's own phrase query, and a ranked match scores exactly what
//! tantivy's phrase scorer gives it.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, PhraseQuery, Query, Scorer, Weight};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::{DocId, DocSet, Score, SeekDangerResult, SegmentReader, TERMINATED};

/// A phrase of terms at consecutive positions of one field (slop 0),
/// ranked as described in the module documentation.
#[derive(Clone, Debug)]
pub struct PairsPhrase {
    phrase: PhraseQuery,
}

impl PairsPhrase {
    /// The phrase of `terms`, one after the other in one field (at least
    /// two: tantivy's phrase query asserts it).
    pub fn new(terms: Vec<Term>) -> PairsPhrase {
        PairsPhrase {
            phrase: PhraseQuery::new(terms),
        }
    }
}

impl Query for PairsPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let terms = self.phrase.phrase_terms();
        // As tantivy's phrase weight works it out (`PhraseQuery::phrase_weight`).
        let bm25 = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(Bm25Weight::for_terms(statistics_provider, &terms)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(PairsPhraseWeight {
            phrase: self.phrase.weight(scoring)?,
            terms,
            bm25,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.phrase.query_terms(visitor);
    }
}

struct PairsPhraseWeight {
    /// tantivy's own weight, for everything but ranking.
    phrase: Box<dyn Weight>,
    terms: Vec<Term>,
    /// `None` with scoring disabled.
    bm25: Option<Bm25Weight>,
}

impl Weight for PairsPhraseWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.phrase.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.phrase.explain(reader, doc)
    }

    /// tantivy's phrase weight starts its scorer near the candidate when
    /// it joins an intersection (a phrase within a version, say): keep that.
    fn scorer_danger(
        &self,
        reader: &SegmentReader,
        target: DocId,
        boost: Score,
    ) -> tantivy::Result<(SeekDangerResult, Box<dyn Scorer>)> {
        self.phrase.scorer_danger(reader, target, boost)
    }

    /// Offer `callback` every match scoring above `threshold` (as tantivy
    /// does), reading positions only where the bound passes it.
    fn for_each_pruning(
        &self,
        mut threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let Some(bm25) = &self.bm25 else {
            return self.phrase.for_each_pruning(threshold, reader, callback);
        };
        let field = self.terms[0].field();
        let inverted = reader.inverted_index(field)?;
        // Each term's postings with its place in the phrase, the rarest
        // first: it leads, the others are sought.
        let mut postings: Vec<(u32, SegmentPostings)> = Vec::with_capacity(self.terms.len());
        for (offset, term) in (0u32..).zip(&self.terms) {
            match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
                Some(p) => postings.push((offset, p)),
                None => return Ok(()),
            }
        }
        postings.sort_by_key(|(_, p)| p.doc_freq());
        let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
            Some(f) => f,
            None => FieldNormReader::constant(reader.max_doc(), 1),
        };
        let (mut starts, mut next) = (Vec::new(), Vec::new());
        let mut doc = postings[0].1.doc();
        'docs: while doc != TERMINATED {
            // The leading term's frequency bounds the score already: most
            // documents are passed over without seeking the other terms.
            let fieldnorm = fieldnorms.fieldnorm_id(doc);
            if bm25.score(fieldnorm, postings[0].1.term_freq()) <= threshold {
                doc = postings[0].1.advance();
                continue;
            }
            for (_, p) in &mut postings[1..] {
                let at = match p.doc() {
                    at if at < doc => p.seek(doc),
                    at => at,
                };
                if at > doc {
                    doc = postings[0].1.seek(at);
                    continue 'docs;
                }
            }
            // Every term is in `doc`.
            let most = postings.iter().map(|(_, p)| p.term_freq()).min();
            if bm25.score(fieldnorm, most.unwrap_or(0)) > threshold {
                let count = occurrences(&mut postings, &mut starts, &mut next);
                if count > 0 {
                    let score = bm25.score(fieldnorm, count);
                    if score > threshold {
                        threshold = callback(doc, score);
                    }
                }
            }
            doc = postings[0].1.advance();
        }
        Ok(())
    }
}

/// How many times the phrase occurs in the document all `postings` are
/// on: the positions where each term stands at its offset from the start.
fn occurrences(
    postings: &mut [(u32, SegmentPostings)],
    starts: &mut Vec<u32>,
    next: &mut Vec<u32>,
) -> u32 {
    let Some(((first_offset, first), rest)) = postings.split_first_mut() else {
        return 0;
    };
    first.positions(starts);
    starts.retain_mut(|p| match p.checked_sub(*first_offset) {
        Some(start) => {
            *p = start;
            true
        }
        None => false,
    });
    for (offset, p) in rest {
        if starts.is_empty() {
            break;
        }
        p.positions(next);
        // Both lists ascend: keep the starts the term is found after.
        let (mut i, mut kept) = (0, 0);
        for &pos in next.iter() {
            let Some(start) = pos.checked_sub(*offset) else {
                continue;
            };
            while i < starts.len() && starts[i] < start {
                i += 1;
            }
            if i == starts.len() {
                break;
            }
            if starts[i] == start {
                starts[kept] = start;
                kept += 1;
                i += 1;
            }
        }
        starts.truncate(kept);
    }
    starts.len() as u32
}
