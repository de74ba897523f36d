//! A union that is cheap to seek, for a union inside a conjunction:
//! `replicate AND (tickets OR sessions)`.
//!
//! tantivy scores a union through a buffer of the next 4 096 documents:
//! fast to walk, but seeking past the buffer clears it (4 096 scores and
//! their bits) and fills it again from every part. Inside a conjunction
//! whose other part is rarer, the union is sought at each of that part's
//! documents, so that most of a search went to clearing and refilling the
//! buffer (two thirds of the instructions of the benchmark's
//! `replicate AND (tickets OR sessions) -legal`). [`SeekUnion`] keeps each
//! part on its own document instead: seeking seeks each part, which skips
//! whole blocks of postings.
//!
//! It matches what tantivy's union matches, and scores what it scores: the
//! parts that are on the document, added from zero in the parts' order
//! (tantivy's `SumCombiner`). A conjunction adds up its own parts' scores
//! in the order of their costs, and tantivy's union's cost drops once it
//! has buffered its first documents, so the search uses it only in a
//! conjunction of two parts, whose two scores add up the same either way
//! round: there the scores are tantivy's to the bit.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::Term;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// Documents matching any of the parts, scored by the sum of the scores of
/// the parts they match (see the module documentation).
#[derive(Debug)]
pub struct SeekUnion {
    parts: Vec<Box<dyn Query>>,
}

impl SeekUnion {
    /// The union of `parts` (queries of the same index), in this order.
    pub fn new(parts: Vec<Box<dyn Query>>) -> SeekUnion {
        SeekUnion { parts }
    }
}

impl Clone for SeekUnion {
    fn clone(&self) -> Self {
        SeekUnion {
            parts: self.parts.iter().map(|p| p.box_clone()).collect(),
        }
    }
}

impl Query for SeekUnion {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let parts = self
            .parts
            .iter()
            .map(|p| p.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(SeekUnionWeight {
            parts,
            scoring: scoring.is_scoring_enabled(),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for part in &self.parts {
            part.query_terms(visitor);
        }
    }
}

struct SeekUnionWeight {
    parts: Vec<Box<dyn Weight>>,
    /// Without scoring, the parts' scores are not read (as tantivy's
    /// `DoNothingCombiner` does not).
    scoring: bool,
}

impl Weight for SeekUnionWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut parts = Vec::with_capacity(self.parts.len());
        for weight in &self.parts {
            let scorer = weight.scorer(reader, boost)?;
            // tantivy's union drops the parts with nothing in this segment.
            if scorer.doc() != TERMINATED {
                parts.push(scorer);
            }
        }
        Ok(Box::new(SeekUnionScorer::new(parts, self.scoring)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document #({doc}) does not match"
            )));
        }
        let mut explanation = Explanation::new("sum of the parts that match", scorer.score());
        for weight in &self.parts {
            if let Ok(part) = weight.explain(reader, doc) {
                explanation.add_detail(part);
            }
        }
        Ok(explanation)
    }
}

/// The scorer of a [`SeekUnion`] on one segment.
pub struct SeekUnionScorer {
    /// The parts that have documents left, each on its current document.
    parts: Vec<Box<dyn Scorer>>,
    /// The smallest of the parts' documents.
    doc: DocId,
    scoring: bool,
}

impl SeekUnionScorer {
    fn new(parts: Vec<Box<dyn Scorer>>, scoring: bool) -> SeekUnionScorer {
        let mut scorer = SeekUnionScorer {
            parts,
            doc: TERMINATED,
            scoring,
        };
        scorer.doc = scorer.first_doc();
        scorer
    }

    fn first_doc(&self) -> DocId {
        self.parts
            .iter()
            .map(|p| p.doc())
            .min()
            .unwrap_or(TERMINATED)
    }
}

impl DocSet for SeekUnionScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let at = self.doc;
        for part in &mut self.parts {
            if part.doc() == at {
                part.advance();
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for part in &mut self.parts {
            if part.doc() < target {
                part.seek(target);
            }
        }
        self.doc = self.first_doc();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // At least the largest part; at most all of them together.
        let largest = self.parts.iter().map(|p| p.size_hint()).max().unwrap_or(0);
        let sum: u64 = self.parts.iter().map(|p| u64::from(p.size_hint())).sum();
        largest.max(u32::try_from(sum / 2).unwrap_or(u32::MAX))
    }

    /// The parts' costs added up, as tantivy's union's before it buffers
    /// (see the module documentation).
    fn cost(&self) -> u64 {
        self.parts.iter().map(|p| p.cost()).sum()
    }
}

impl Scorer for SeekUnionScorer {
    fn score(&mut self) -> Score {
        if !self.scoring {
            return 1.0;
        }
        let at = self.doc;
        let mut score: Score = 0.0;
        for part in &mut self.parts {
            if part.doc() == at {
                score += part.score();
            }
        }
        score
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur};
    use tantivy::DocAddress;

    use super::*;
    use crate::index::ClauseIndex;
    use trustlens_core::corpus::Corpus;

    /// The same query with tantivy's own union wherever it has a
    /// [`SeekUnion`].
    fn with_tantivys_unions(q: &dyn Query) -> Box<dyn Query> {
        if let Some(u) = q.downcast_ref::<SeekUnion>() {
            return Box::new(BooleanQuery::new(
                u.parts
                    .iter()
                    .map(|p| (Occur::Should, with_tantivys_unions(p.as_ref())))
                    .collect(),
            ));
        }
        if let Some(b) = q.downcast_ref::<BooleanQuery>() {
            return Box::new(BooleanQuery::new(
                b.clauses()
                    .iter()
                    .map(|(o, p)| (*o, with_tantivys_unions(p.as_ref())))
                    .collect(),
            ));
        }
        q.box_clone()
    }

    fn has_seek_union(q: &dyn Query) -> bool {
        q.downcast_ref::<SeekUnion>().is_some()
            || q.downcast_ref::<BooleanQuery>()
                .is_some_and(|b| b.clauses().iter().any(|(_, p)| has_seek_union(p.as_ref())))
    }

    /// Every match with its score's bits, by address.
    fn scored(index: &ClauseIndex, q: &dyn Query) -> Vec<(DocAddress, u32)> {
        let searcher = index.reader.searcher();
        let all = searcher.num_docs().max(1) as usize;
        let mut hits: Vec<(DocAddress, u32)> = searcher
            .search(q, &TopDocs::with_limit(all).order_by_score())
            .unwrap()
            .into_iter()
            .map(|(score, address)| (address, score.to_bits()))
            .collect();
        hits.sort();
        hits
    }

    /// A union inside a conjunction of two, sought at the other part's
    /// documents, matches what tantivy's union matches and scores each
    /// match to the bit as it does, on a corpus of many versions and on the
    /// bundled one, in a segment and across several. A conjunction of three
    /// keeps tantivy's union (regression: scores an ulp apart, as the
    /// conjunction added the parts up in another order).
    #[test]
    fn a_union_in_a_conjunction_matches_and_scores_as_tantivys() {
        let dir = tempfile::tempdir().unwrap();
        trustlens_synth::write_corpus(
            dir.path(),
            &trustlens_synth::CorpusSpec {
                seed: 41,
                vendors: 2,
                documents: 2,
                versions: 4,
                min_pages: 1,
                max_pages: 2,
            },
        )
        .unwrap();
        let generated = Corpus::open_dir(dir.path()).unwrap();
        let bundled = Corpus::bundled().unwrap();
        // With whether the query's conjunction is of two parts.
        let queries = [
            ("data AND (encryption OR access)", true),
            ("customer (audit OR logs OR security) -salesforce", true),
            ("(customer OR heroku) AND (data OR security) -network", true),
            ("security AND (\"customer data\" OR encryption)", true),
            ("data AND (access OR (network AND security))", true),
            ("(encrypt OR key) (rotate OR access) data", false),
            ("data (encryption OR access) customer", false),
            ("(security OR data) customer heroku", false),
        ];
        let mut compared = 0;
        for corpus in [&generated, &bundled] {
            let index = ClauseIndex::in_memory(corpus).unwrap();
            for (query, of_two) in queries {
                let compiled = crate::compile(&index, query).unwrap();
                assert_eq!(has_seek_union(compiled.query.as_ref()), of_two, "{query}");
                let plain = with_tantivys_unions(compiled.query.as_ref());
                assert!(!has_seek_union(plain.as_ref()));
                let ours = scored(&index, compiled.query.as_ref());
                assert_eq!(ours, scored(&index, plain.as_ref()), "{query}");
                let searcher = index.reader.searcher();
                assert_eq!(
                    searcher.search(compiled.query.as_ref(), &Count).unwrap(),
                    ours.len(),
                    "{query}: counted without scores"
                );
                compared += usize::from(!ours.is_empty());
            }
        }
        assert!(compared >= 8, "the test needs matches ({compared})");
    }

    /// A scorer of listed documents, each scoring `score`.
    struct Listed {
        docs: Vec<DocId>,
        at: usize,
        score: Score,
    }

    impl Listed {
        fn new(docs: &[DocId], score: Score) -> Listed {
            Listed {
                docs: docs.to_vec(),
                at: 0,
                score,
            }
        }
    }

    impl DocSet for Listed {
        fn advance(&mut self) -> DocId {
            self.at += 1;
            self.doc()
        }
        fn doc(&self) -> DocId {
            self.docs.get(self.at).copied().unwrap_or(TERMINATED)
        }
        fn size_hint(&self) -> u32 {
            self.docs.len() as u32
        }
    }

    impl Scorer for Listed {
        fn score(&mut self) -> Score {
            self.score
        }
    }

    /// Walked, sought past, and sought within: a union's documents in
    /// order, each once, exactly the parts' documents together.
    #[test]
    fn a_union_walks_and_seeks_through_its_parts_documents() {
        let parts = || -> Vec<Box<dyn Scorer>> {
            vec![
                Box::new(Listed::new(&[1, 4, 9, 30], 1.0)),
                Box::new(Listed::new(&[4, 5, 31], 2.0)),
                Box::new(Listed::new(&[], 4.0)),
            ]
        };
        let mut all = SeekUnionScorer::new(parts(), true);
        // tantivy's union's cost, by which a conjunction orders its parts.
        assert_eq!(all.cost(), 4 + 3);
        let mut walked = Vec::new();
        while all.doc() != TERMINATED {
            walked.push((all.doc(), all.score()));
            all.advance();
        }
        assert_eq!(
            walked,
            [(1, 1.0), (4, 3.0), (5, 2.0), (9, 1.0), (30, 1.0), (31, 2.0)]
        );
        let mut sought = SeekUnionScorer::new(parts(), true);
        assert_eq!(sought.seek(4), 4);
        assert_eq!(sought.score(), 3.0);
        assert_eq!(sought.seek(4), 4, "seeking where it is stays");
        assert_eq!(sought.seek(6), 9);
        assert_eq!(sought.seek(31), 31);
        assert_eq!(sought.advance(), TERMINATED);
        assert_eq!(sought.seek(40), TERMINATED);
        assert_eq!(SeekUnionScorer::new(Vec::new(), true).doc(), TERMINATED);
        let mut unscored = SeekUnionScorer::new(parts(), false);
        assert_eq!(unscored.seek(4), 4);
        assert_eq!(unscored.score(), 1.0);
    }
}
