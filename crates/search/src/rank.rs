//! The best hits of a search, found without scoring every match.
//!
//! tantivy's top-k collector skips whole blocks of postings whose best
//! possible score cannot beat the current k-th hit (block-max WAND), but it
//! breaks ties by document address, which depends on how the index's
//! segments happened to be built. trustlens must give the same hits in the
//! same order every time (an export or a list of citations must not change
//! between two runs), so equal scores are ordered by clause key instead.
//! [`Ranked`] keeps both: it asks the query for every match scoring *at
//! least* the current k-th score (a threshold a little below it, where
//! tantivy's is strictly above), so every tie that could enter the top k is
//! seen and decided by key, and blocks that score lower are still skipped.
//!
//! The index's documents are passages (see [`crate::index::passages`]),
//! each standing for all its occurrences, which score alike. A passage
//! ranks among equal scores by the smallest clause key of its occurrences
//! that the search lets through: then the best `limit` passages hold the
//! best `limit` occurrences. (An occurrence among those has at most
//! `limit − 1` before it; every passage ranked before its own holds one of
//! them, its smallest.)

use std::cmp::Ordering;

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Weight;
use tantivy::schema::Field;
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::index::passages::{Allowed, Passages};
use crate::index::ClauseIndex;

/// One ranked passage: its score, its clause key, where it is in the index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedHit {
    /// Relevance score.
    pub score: Score,
    /// The smallest clause key ([`trustlens_core::clause::clause_key`]) of the
    /// passage's occurrences let through.
    pub key: u64,
    /// The document.
    pub address: DocAddress,
    /// The passage (see [`Passages`]).
    pub passage: u32,
}

impl RankedHit {
    /// Better first: higher score, then the smaller key. Scores are
    /// compared totally, so the order is the same however the hits arrive.
    fn rank_cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.key.cmp(&other.key))
            .then_with(|| {
                (self.address.segment_ord, self.address.doc_id)
                    .cmp(&(other.address.segment_ord, other.address.doc_id))
            })
    }
}

/// The best `limit` matches, by score and then clause key (see the module
/// documentation).
pub struct Ranked<'a> {
    index: &'a ClauseIndex,
    /// The occurrences the search lets through (the documents offered are
    /// passages with at least one).
    allowed: Allowed,
    limit: usize,
    /// The best k-th score of the segments ranked so far: a match in a
    /// later segment scoring below it cannot make the cut, so each segment
    /// starts pruning from there instead of from nothing. (A freshly built
    /// index has several segments; the first is the largest.)
    floor: std::sync::Mutex<Score>,
    /// Only these documents may be hits (see [`Ranked::within`]).
    filter: Option<Box<dyn Weight>>,
    /// The field of the term ranked, and its average length over the whole
    /// index (see [`Ranked::for_term`]).
    term_field: Option<(Field, Score)>,
}

impl<'a> Ranked<'a> {
    /// The best `limit` passages (at least one) of `index`, with the
    /// occurrences `allowed`.
    pub fn new(index: &'a ClauseIndex, allowed: Allowed, limit: usize) -> Ranked<'a> {
        Ranked {
            index,
            allowed,
            limit: limit.max(1),
            floor: std::sync::Mutex::new(Score::MIN),
            filter: None,
            term_field: None,
        }
    }

    /// Rank a term of `field`, whose average length over the index's
    /// segments is `average` (as BM25 takes it). tantivy bounds a block's
    /// scores with the one (length, frequency) pair that scored best when
    /// the block was written, against that segment's own average length; a
    /// whole index with another average can make another pair of the block
    /// score higher, so the bound can come out under a real score and a
    /// block holding a top hit be skipped. Knowing the averages, each
    /// segment's cut is lowered by [`bound_slack`], which covers the gap.
    pub fn for_term(mut self, field: Field, average: Score) -> Ranked<'a> {
        self.term_field = Some((field, average));
        self
    }

    /// Rank only the matches that `filter` (a weight made with scoring
    /// disabled) also matches. A term with a filter — a section, a version,
    /// an "as of" date — is then ranked as a term, skipping blocks, instead
    /// of as an intersection that scores every match: the scores are the
    /// same (a filter adds nothing to them), so are the hits. A filter of
    /// few documents is walked instead, each looked up in the term's
    /// postings, which beats decoding them all.
    pub fn within(mut self, filter: Box<dyn Weight>) -> Ranked<'a> {
        self.filter = Some(filter);
        self
    }

    fn floor(&self) -> Score {
        *self.floor.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Raise the floor to a segment's k-th score, given its best hits
    /// (harvested: best first, at most `limit`).
    fn raise_floor(&self, best: &[RankedHit]) {
        if best.len() >= self.limit {
            let kth = best[self.limit - 1].score;
            let mut floor = self.floor.lock().unwrap_or_else(|e| e.into_inner());
            if kth > *floor {
                *floor = kth;
            }
        }
    }
}

/// Relative room left below a score by [`just_below`].
const MARGIN: Score = 1e-5;

/// A pruning threshold a little below `s`, so that matches scoring `s`
/// pass (tantivy passes only scores above the threshold). Not the very next
/// float below: the bounds block-max WAND skips blocks by are sums of
/// per-term maxima added in another order than the score itself, and can
/// come out an ulp or two below a match's real score (for a conjunction of
/// three terms, about one case in eight). A relative margin far above such
/// rounding keeps every tie; the heap still orders the kept hits exactly.
fn just_below(s: Score) -> Score {
    if !s.is_finite() {
        return Score::MIN;
    }
    (s - s.abs().max(Score::MIN_POSITIVE) * MARGIN).max(Score::MIN)
}

/// How far a block's score bound can fall under its best real score when
/// the block was written for a segment whose average field length is
/// `segment` and is scored against an index average of `index`: scores
/// above `bound × slack` cannot be in the block.
///
/// BM25 scores a term `tf / (tf + K)` (times constants), where
/// `K = k1·(1 − b) + k1·b·len / average`. With `r = segment / index`, the
/// index's `K` of any document is between `min(1, r)` and `max(1, r)` times
/// the segment's, so no score moves by more than that factor either way,
/// and the best pair by the segment's measure scores at least
/// `1 / max(r, 1/r)` of the best by the index's. (A little more, for
/// rounding.)
pub fn bound_slack(segment: Score, index: Score) -> Score {
    if !(segment > 0.0 && index > 0.0 && segment.is_finite() && index.is_finite()) {
        return 1.0;
    }
    let r = f64::from(segment) / f64::from(index);
    (r.max(1.0 / r) * (1.0 + 1e-4)) as Score
}

/// The best hits of one segment.
///
/// Kept as a list of up to twice the limit, cut back to the limit whenever
/// it fills (tantivy's top-k does the same): a match enters by a push, not
/// by a walk down a heap. Thousands of matches can tie at the limit's score
/// (BM25 over quantised lengths), and each that enters on its key used to
/// cost a heap's reordering.
pub struct RankedSegment {
    limit: usize,
    segment: SegmentOrdinal,
    /// Each document's passage.
    doc_passages: Arc<[u32]>,
    passages: Arc<Passages>,
    allowed: Allowed,
    /// The candidates: every kept hit, and those offered since the last cut.
    hits: Vec<RankedHit>,
    /// The worst hit kept at the last cut (the limit-th best seen then):
    /// only a match ranking before it can still make the top.
    cut: Option<RankedHit>,
    /// A threshold from the segments before (see [`Ranked`]).
    floor: Score,
    /// [`bound_slack`] for this segment (1 when unknown).
    slack: Score,
}

impl RankedSegment {
    /// Offer a match; returns the score a match must at least have to be
    /// kept from now on, as a pruning threshold.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        // A match scoring below the worst kept hit cannot enter, whatever
        // its key: decide without reading the key (a query that is not
        // pruned offers every match, most of them below the cut).
        if let Some(cut) = &self.cut {
            if score.total_cmp(&cut.score) == Ordering::Less {
                return self.threshold();
            }
        }
        // A document of a passage the corpus no longer has, or none of
        // whose occurrences the search lets through, is no hit.
        let passage = self
            .doc_passages
            .get(doc as usize)
            .copied()
            .unwrap_or(u32::MAX);
        if passage == u32::MAX {
            return self.threshold();
        }
        let Some(key) = self.allowed.min_key(&self.passages, passage) else {
            return self.threshold();
        };
        let hit = RankedHit {
            score,
            key,
            address: DocAddress::new(self.segment, doc),
            passage,
        };
        if self
            .cut
            .is_some_and(|cut| hit.rank_cmp(&cut) != Ordering::Less)
        {
            return self.threshold();
        }
        self.hits.push(hit);
        // The first cut comes as soon as there are `limit` hits, so that
        // pruning starts as early as it would with a heap; later ones when
        // the list is full.
        if self.hits.len() >= 2 * self.limit
            || (self.cut.is_none() && self.hits.len() == self.limit)
        {
            self.cut_back();
        }
        self.threshold()
    }

    /// Keep the best `limit` hits and remember the worst of them.
    fn cut_back(&mut self) {
        let k = self.limit - 1;
        self.hits.select_nth_unstable_by(k, RankedHit::rank_cmp);
        self.hits.truncate(self.limit);
        self.cut = Some(self.hits[k]);
    }

    fn threshold(&self) -> Score {
        let cut = match &self.cut {
            Some(worst) => just_below(worst.score).max(self.floor),
            None => self.floor,
        };
        // Lowered so that a block whose bound falls short of its real best
        // score by up to the slack is still read (see `bound_slack`).
        if cut > 0.0 {
            cut / self.slack
        } else {
            cut
        }
    }
}

impl SegmentCollector for RankedSegment {
    type Fruit = Vec<RankedHit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(mut self) -> Vec<RankedHit> {
        self.hits.sort_unstable_by(RankedHit::rank_cmp);
        self.hits.truncate(self.limit);
        self.hits
    }
}

impl Collector for Ranked<'_> {
    type Fruit = Vec<RankedHit>;
    type Child = RankedSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankedSegment> {
        Ok(RankedSegment {
            limit: self.limit,
            segment,
            doc_passages: self.index.doc_passages(reader)?,
            passages: Arc::clone(&self.index.passages),
            allowed: self.allowed.clone(),
            hits: Vec::with_capacity(2 * self.limit),
            cut: None,
            floor: Score::MIN,
            slack: match self.term_field {
                Some((field, average)) => {
                    let tokens = reader.inverted_index(field)?.total_num_tokens();
                    let docs = reader.max_doc();
                    match docs {
                        0 => 1.0,
                        _ => bound_slack(tokens as Score / docs as Score, average),
                    }
                }
                None => 1.0,
            },
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<RankedHit>>) -> tantivy::Result<Vec<RankedHit>> {
        let mut all: Vec<RankedHit> = fruits.into_iter().flatten().collect();
        all.sort_by(RankedHit::rank_cmp);
        all.truncate(self.limit);
        Ok(all)
    }

    /// Like tantivy's own top-k: let the query skip what cannot make the
    /// cut (block-max WAND, where the query supports it).
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<RankedHit>> {
        let mut ranked = self.for_segment(segment, reader)?;
        ranked.floor = just_below(self.floor()).max(Score::MIN);
        let start = ranked.threshold();
        if let Some(filter) = &self.filter {
            collect_within(weight, filter.as_ref(), reader, start, &mut ranked)?;
            let best = ranked.harvest();
            self.raise_floor(&best);
            return Ok(best);
        }
        match reader.alive_bitset() {
            None => weight
                .for_each_pruning(start, reader, &mut |doc, score| ranked.offer(doc, score))?,
            Some(alive) => weight.for_each_pruning(start, reader, &mut |doc, score| {
                if alive.is_alive(doc) {
                    ranked.offer(doc, score)
                } else {
                    ranked.threshold()
                }
            })?,
        }
        let best = ranked.harvest();
        self.raise_floor(&best);
        Ok(best)
    }
}

/// Fewer filter documents than this share of the query's matches: walk
/// the filter (see [`Ranked::within`]).
const WALK_FILTER_BELOW: u32 = 8;

/// Move `docs` to its first document at or after `target` (where it stays
/// if it is there already: `DocSet::seek` must not go backwards), and say
/// which that is.
fn reach(docs: &mut (impl DocSet + ?Sized), target: DocId) -> DocId {
    match docs.doc() {
        at if at < target => docs.seek(target),
        at => at,
    }
}

/// Offer `ranked` the matches of `weight` in one segment that `filter` also
/// matches, either skipping blocks or walking the filter's documents.
fn collect_within(
    weight: &dyn Weight,
    filter: &dyn Weight,
    reader: &SegmentReader,
    start: Score,
    ranked: &mut RankedSegment,
) -> tantivy::Result<()> {
    let alive = reader.alive_bitset();
    let is_alive = |doc: DocId| alive.is_none_or(|a| a.is_alive(doc));
    let mut allowed = filter.scorer(reader, 0.0)?;
    let mut scorer = weight.scorer(reader, 1.0)?;
    if u64::from(allowed.size_hint()) * u64::from(WALK_FILTER_BELOW) < u64::from(scorer.size_hint())
    {
        let mut doc = allowed.doc();
        while doc != TERMINATED {
            let at = reach(scorer.as_mut(), doc);
            if at == TERMINATED {
                break;
            }
            if at == doc && is_alive(doc) {
                ranked.offer(doc, scorer.score());
            }
            // On to the filter's next document at or after the term's.
            doc = if at > doc {
                allowed.seek(at)
            } else {
                allowed.advance()
            };
        }
        return Ok(());
    }
    drop(scorer);
    weight.for_each_pruning(start, reader, &mut |doc, score| {
        // Matches come in document order: the filter only moves on.
        let at = reach(allowed.as_mut(), doc);
        // Only a kept hit raises the threshold: a block is skipped only if
        // it cannot beat the k-th hit within the filter.
        if at == doc && is_alive(doc) {
            ranked.offer(doc, score)
        } else if at == TERMINATED {
            // Nothing further can pass the filter: skip the rest.
            Score::INFINITY
        } else {
            ranked.threshold()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn just_below_lets_the_same_score_and_rounding_errors_through() {
        for s in [0.0f32, 1e-30, 0.5, 1.0, 7.25, 1e30, -0.5, -3.0, Score::MIN] {
            let t = just_below(s);
            assert!(t < s || s == Score::MIN, "{t} < {s}");
            // A few ulps below still passes: block bounds round.
            let ulps_below = (0..4).fold(s, |x, _| {
                if x > 0.0 {
                    f32::from_bits(x.to_bits() - 1)
                } else {
                    x
                }
            });
            assert!(ulps_below > t || s <= 0.0, "{ulps_below} > {t}");
            // But the cut stays close: a hundred-thousandth of the score.
            assert!(f64::from(s) - f64::from(t) <= f64::from(s.abs()) * 1.1e-5 + 1e-30);
        }
        assert_eq!(just_below(f32::NAN), Score::MIN);
        assert_eq!(just_below(f32::NEG_INFINITY), Score::MIN);
    }

    /// BM25's term-frequency part, with tantivy's constants.
    fn tf_part(tf: f32, len: f32, average: f32) -> f32 {
        let (k1, b) = (1.2f32, 0.75f32);
        tf * (k1 + 1.0) / (tf + k1 * (1.0 - b + b * len / average))
    }

    /// A block's bound is the score, by the index's average, of the pair
    /// that scored best by the segment's. Scaled by `bound_slack` it is
    /// never under the block's best real score; unscaled it sometimes is
    /// (which is what made skipping inexact on an index of several
    /// segments).
    #[test]
    fn a_block_bound_times_its_slack_covers_the_best_real_score() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as f32
        };
        let mut short_without_slack = 0;
        for _ in 0..20_000 {
            let segment = 2.0 + next(60);
            let index = 2.0 + next(60);
            let block: Vec<(f32, f32)> = (0..1 + next(8) as usize)
                .map(|_| (1.0 + next(6), 1.0 + next(120)))
                .collect();
            let best_by_segment = block
                .iter()
                .copied()
                .max_by(|a, b| tf_part(a.0, a.1, segment).total_cmp(&tf_part(b.0, b.1, segment)))
                .unwrap();
            let bound = tf_part(best_by_segment.0, best_by_segment.1, index);
            let best = block
                .iter()
                .map(|&(tf, len)| tf_part(tf, len, index))
                .fold(0.0f32, f32::max);
            assert!(
                best <= bound * bound_slack(segment, index),
                "{block:?}, averages {segment} / {index}: {best} > {bound} × slack"
            );
            if best > bound {
                short_without_slack += 1;
            }
        }
        assert!(
            short_without_slack > 0,
            "the test needs blocks whose bound falls short"
        );
        assert_eq!(bound_slack(10.0, 10.0), 1.0001);
        assert_eq!(bound_slack(0.0, 10.0), 1.0);
        assert_eq!(bound_slack(f32::NAN, 10.0), 1.0);
    }

    #[test]
    fn equal_scores_rank_by_key_then_address() {
        let hit = |score, key, doc| RankedHit {
            score,
            key,
            address: DocAddress::new(0, doc),
            passage: doc,
        };
        let mut hits = [
            hit(1.0, 9, 0),
            hit(2.0, 5, 1),
            hit(1.0, 3, 2),
            hit(1.0, 3, 3),
        ];
        hits.sort_by(RankedHit::rank_cmp);
        let order: Vec<(u64, DocId)> = hits.iter().map(|h| (h.key, h.address.doc_id)).collect();
        assert_eq!(order, [(5, 1), (3, 2), (3, 3), (9, 0)]);
    }
}
