//! Passages: each distinct clause of a document family, indexed once.
//!
//! A vendor's new version mostly repeats the one before: in the benchmark
//! corpus, 857 500 clauses hold 138 000 distinct texts. Indexing every
//! clause of every version analysed, hashed and wrote the same words again
//! for each version a clause survived into, and a search then scored the
//! copies one by one. The index therefore holds one document per
//! *passage* — a document family's clause text under one section path, of
//! one kind — keyed by a hash of that content ([`content_key`]), and this
//! table says where each passage occurs: in which versions, as which
//! clauses ("occurrences", numbered in corpus order: version by version,
//! clause by clause).
//!
//! Everything a search says about versions or clause IDs (a version filter,
//! an "as of" date, a matrix entry's clauses, the counts per version) is
//! worked out on occurrences; everything about words (the query, the
//! section, the kind) on passages, which all occurrences of a passage share.
//! All occurrences of a passage score the same, as all copies of a clause
//! did.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use trustlens_core::clause::{clause_key, Clause, ClauseKind};
use trustlens_core::corpus::Corpus;

/// The stable key of a passage's content: the same words under the same
/// headings, of the same kind, in the same document family, have the same
/// key in every build and every process (it is what the index stores).
///
/// Two distinct passages could in principle share a key (64 bits of
/// SHA-256): at a million passages, about one corpus in ten billion. The
/// second would then be found by the first's words.
pub fn content_key(document_id: &str, section: &[String], kind: ClauseKind, text: &str) -> u64 {
    // Each part with its length before it: no text of one part can be
    // read as the start of the next (a heading holding a separator).
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(document_id.as_bytes());
    part(kind.as_str().as_bytes());
    part(&(section.len() as u64).to_le_bytes());
    for heading in section {
        part(heading.as_bytes());
    }
    part(text.as_bytes());
    let digest = h.finalize();
    u64::from_le_bytes(digest[..8].try_into().expect("8 bytes of 32"))
}

/// Each version's clauses as (content key, clause key), the versions
/// shared out among the cores. A document's versions share their texts and
/// heading paths (see `clause::TextPool`): each core hashes each shared pair
/// once, not each clause. The pointers only stand for the content while the
/// corpus holds it, which it does for this whole function; the family is
/// part of what they stand for, should two documents ever share a text.
fn content_keys(corpus: &Corpus) -> Vec<Vec<(u64, u64)>> {
    type Shared = (u64, usize, usize, u8);
    corpus
        .versions
        .par_iter()
        .map_init(FxHashMap::<Shared, u64>::default, |hashed, version| {
            let family = clause_key(&version.info.document_id);
            let clauses = &version.doc.clauses;
            clauses
                .iter()
                .zip(Clause::keys(clauses))
                .map(|(clause, clause_key)| {
                    let shared: Shared = (
                        family,
                        Arc::as_ptr(&clause.text).cast::<u8>() as usize,
                        Arc::as_ptr(&clause.section).cast::<u8>() as usize,
                        clause.kind as u8,
                    );
                    let content = *hashed.entry(shared).or_insert_with(|| {
                        content_key(
                            &version.info.document_id,
                            &clause.section,
                            clause.kind,
                            &clause.text,
                        )
                    });
                    (content, clause_key)
                })
                .collect()
        })
        .collect()
}

/// Where each passage of a corpus occurs (see the module documentation).
#[derive(Debug)]
pub struct Passages {
    /// Unique to this table in this process: names the matrix entry bits
    /// worked out for its occurrences (see [`Passages::run_name`]).
    serial: u64,
    /// Each passage's content key, passages numbered by first occurrence.
    keys: Vec<u64>,
    /// Each content key's passage.
    by_key: FxHashMap<u64, u32>,
    /// The occurrences of passage `p` are `occurrences[starts[p]..starts[p + 1]]`,
    /// in corpus order; `versions` and `keys_by_passage` hold their versions and
    /// clause keys in the same order, so that counting a passage's
    /// occurrences reads three short runs of memory, not scattered entries
    /// of arrays of a million.
    starts: Vec<u32>,
    occurrences: Vec<u32>,
    versions: Vec<u32>,
    keys_by_passage: Vec<u64>,
    /// Each passage's smallest clause key: where its copies rank among
    /// equal scores (see `search::rank`).
    min_key: Vec<u64>,
    /// Each occurrence's passage.
    passage: Vec<u32>,
    /// Each occurrence's clause key ([`Clause::key`]).
    clause_keys: Vec<u64>,
    /// The occurrences of version `v` are `version_starts[v]..version_starts[v + 1]`.
    version_starts: Vec<u32>,
    /// Each version's key ([`clause_key`] of its ID).
    version_keys: Vec<u64>,
}

impl Passages {
    /// The passages of `corpus` and their occurrences.
    pub fn of(corpus: &Corpus) -> Passages {
        static SERIAL: AtomicU64 = AtomicU64::new(1);
        let occurrences: usize = corpus.versions.iter().map(|v| v.doc.clauses.len()).sum();
        let mut p = Passages {
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
            keys: Vec::new(),
            by_key: FxHashMap::default(),
            starts: Vec::new(),
            occurrences: Vec::new(),
            versions: Vec::new(),
            keys_by_passage: Vec::new(),
            min_key: Vec::new(),
            passage: Vec::with_capacity(occurrences),
            clause_keys: Vec::with_capacity(occurrences),
            version_starts: Vec::with_capacity(corpus.versions.len() + 1),
            version_keys: Vec::with_capacity(corpus.versions.len()),
        };
        let keyed = content_keys(corpus);
        p.by_key.reserve(occurrences / 4);
        p.number_passages(corpus, keyed);
        p.group_by_passage();
        p.min_key = (0..p.keys.len())
            .map(|passage| {
                let (_, _, keys) = p.slots(passage as u32);
                keys.iter().copied().min().unwrap_or(u64::MAX)
            })
            .collect();
        p
    }

    /// Number the passages by first occurrence, in corpus order, from each
    /// version's clauses as (content key, clause key): each occurrence's
    /// passage and clause key, each version's first occurrence and key.
    fn number_passages(&mut self, corpus: &Corpus, keyed: Vec<Vec<(u64, u64)>>) {
        for (version, keys) in corpus.versions.iter().zip(keyed) {
            self.version_starts.push(self.passage.len() as u32);
            self.version_keys.push(clause_key(&version.info.id));
            for (content, clause_key) in keys {
                let next = self.keys.len() as u32;
                let passage = *self.by_key.entry(content).or_insert(next);
                if passage == next {
                    self.keys.push(content);
                }
                self.passage.push(passage);
                self.clause_keys.push(clause_key);
            }
        }
        self.version_starts.push(self.passage.len() as u32);
    }

    /// Group the occurrences by passage, with their versions and clause keys
    /// (a counting sort keeps each passage's in corpus order).
    fn group_by_passage(&mut self) {
        let mut starts = vec![0u32; self.keys.len() + 1];
        for &passage in &self.passage {
            starts[passage as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut fill = starts.clone();
        self.occurrences = vec![0; self.passage.len()];
        self.versions = vec![0; self.passage.len()];
        self.keys_by_passage = vec![0; self.passage.len()];
        for v in 0..self.version_count() as u32 {
            for o in self.of_version(v) {
                let at = &mut fill[self.passage[o as usize] as usize];
                self.occurrences[*at as usize] = o;
                self.versions[*at as usize] = v;
                self.keys_by_passage[*at as usize] = self.clause_keys[o as usize];
                *at += 1;
            }
        }
        self.starts = starts;
    }

    /// How many passages there are (the index's documents).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the corpus has no clauses.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// How many occurrences there are (the corpus's clauses).
    pub fn occurrence_count(&self) -> usize {
        self.passage.len()
    }

    /// A passage's content key.
    pub fn key(&self, passage: u32) -> u64 {
        self.keys[passage as usize]
    }

    /// The passage with this content key.
    pub fn by_key(&self, key: u64) -> Option<u32> {
        self.by_key.get(&key).copied()
    }

    /// A passage's occurrences, in corpus order.
    pub fn occurrences_of(&self, passage: u32) -> &[u32] {
        let p = passage as usize;
        &self.occurrences[self.starts[p] as usize..self.starts[p + 1] as usize]
    }

    /// A passage's occurrences, their versions and their clause keys.
    pub fn slots(&self, passage: u32) -> (&[u32], &[u32], &[u64]) {
        let p = passage as usize;
        let run = self.starts[p] as usize..self.starts[p + 1] as usize;
        (
            &self.occurrences[run.clone()],
            &self.versions[run.clone()],
            &self.keys_by_passage[run],
        )
    }

    /// The clause key of each passage's first occurrence.
    pub fn first_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.starts[..self.keys.len()]
            .iter()
            .map(|&s| self.keys_by_passage[s as usize])
    }

    /// The smallest clause key among a passage's occurrences.
    pub fn min_key(&self, passage: u32) -> u64 {
        self.min_key[passage as usize]
    }

    /// An occurrence's passage.
    pub fn passage_of(&self, occurrence: u32) -> u32 {
        self.passage[occurrence as usize]
    }

    /// An occurrence's version: its position in `corpus.versions`.
    pub fn version_of(&self, occurrence: u32) -> u32 {
        // The last version starting at or before it (versions without
        // clauses start where the next one does).
        (self.version_starts.partition_point(|&s| s <= occurrence) - 1) as u32
    }

    /// An occurrence's clause key.
    pub fn clause_key(&self, occurrence: u32) -> u64 {
        self.clause_keys[occurrence as usize]
    }

    /// The occurrences of the version at position `version`.
    pub fn of_version(&self, version: u32) -> std::ops::Range<u32> {
        let v = version as usize;
        self.version_starts[v]..self.version_starts[v + 1]
    }

    /// How many versions the table covers.
    pub fn version_count(&self) -> usize {
        self.version_keys.len()
    }

    /// The key of the version at position `version` ([`clause_key`] of its ID).
    pub fn version_key(&self, version: u32) -> u64 {
        self.version_keys[version as usize]
    }

    /// Where an occurrence is: its version's position and its index among
    /// that version's clauses.
    pub fn locate(&self, occurrence: u32) -> (usize, usize) {
        let v = self.version_of(occurrence);
        (
            v as usize,
            (occurrence - self.version_starts[v as usize]) as usize,
        )
    }

    /// The clause at an occurrence.
    pub fn clause<'c>(&self, corpus: &'c Corpus, occurrence: u32) -> Option<&'c Clause> {
        let (v, i) = self.locate(occurrence);
        corpus.versions.get(v)?.doc.clauses.get(i)
    }

    /// A name for this table's occurrences, unique in this process (for
    /// [`trustlens_core::matrix::links::LinkTable::rule_bits`]).
    pub fn run_name(&self) -> String {
        format!("occurrences of passage table {}", self.serial)
    }
}

/// Which occurrences a search lets through: those of some versions, of
/// some clauses, or both; all of them when neither is given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Whether each version (by position in `corpus.versions`) is let
    /// through; `None` for every version.
    pub versions: Option<Arc<[bool]>>,
    /// The clauses let through; `None` for every clause.
    pub clauses: Option<Arc<ClauseSet>>,
}

impl Allowed {
    /// True when every occurrence is let through.
    pub fn is_all(&self) -> bool {
        self.versions.is_none() && self.clauses.is_none()
    }

    /// Whether an occurrence of this version and clause key is let through.
    pub fn allows_at(&self, version: u32, key: u64) -> bool {
        self.versions
            .as_ref()
            .is_none_or(|v| v.get(version as usize) == Some(&true))
            && self.clauses.as_ref().is_none_or(|c| c.contains(key))
    }

    /// How many of a passage's occurrences are let through.
    pub fn count(&self, passages: &Passages, passage: u32) -> usize {
        let (occurrences, versions, keys) = passages.slots(passage);
        if self.is_all() {
            return occurrences.len();
        }
        versions
            .iter()
            .zip(keys)
            .filter(|&(&v, &k)| self.allows_at(v, k))
            .count()
    }

    /// The smallest clause key among a passage's occurrences let through.
    pub fn min_key(&self, passages: &Passages, passage: u32) -> Option<u64> {
        if self.is_all() {
            return Some(passages.min_key(passage));
        }
        let (_, versions, keys) = passages.slots(passage);
        versions
            .iter()
            .zip(keys)
            .filter(|&(&v, &k)| self.allows_at(v, k))
            .map(|(_, &k)| k)
            .min()
    }

    /// Whether each passage has an occurrence let through.
    pub fn passages(&self, passages: &Passages) -> Vec<bool> {
        let mut marked = vec![false; passages.len()];
        for v in 0..passages.version_count() as u32 {
            // Only the versions let through need a look.
            if self
                .versions
                .as_ref()
                .is_some_and(|on| on.get(v as usize) != Some(&true))
            {
                continue;
            }
            for o in passages.of_version(v) {
                if self.allows_at(v, passages.clause_key(o)) {
                    marked[passages.passage_of(o) as usize] = true;
                }
            }
        }
        marked
    }
}

/// A set of clause keys: looked up by hash, compared (as a filter's cache
/// key) as a sorted list.
#[derive(Debug, Clone, Default)]
pub struct ClauseSet {
    sorted: Vec<u64>,
    set: rustc_hash::FxHashSet<u64>,
}

impl ClauseSet {
    /// The set of these keys.
    pub fn new(keys: impl IntoIterator<Item = u64>) -> ClauseSet {
        let mut sorted: Vec<u64> = keys.into_iter().collect();
        sorted.sort_unstable();
        sorted.dedup();
        let set = sorted.iter().copied().collect();
        ClauseSet { sorted, set }
    }

    /// Whether `key` is in the set.
    pub fn contains(&self, key: u64) -> bool {
        self.set.contains(&key)
    }
}

impl PartialEq for ClauseSet {
    fn eq(&self, other: &Self) -> bool {
        self.sorted == other.sorted
    }
}

impl Eq for ClauseSet {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_differ_by_every_part_and_not_otherwise() {
        let s = |v: &[&str]| v.iter().map(|h| h.to_string()).collect::<Vec<_>>();
        let base = content_key("a", &s(&["Data"]), ClauseKind::Paragraph, "We encrypt.");
        assert_eq!(
            base,
            content_key("a", &s(&["Data"]), ClauseKind::Paragraph, "We encrypt.")
        );
        for other in [
            content_key("b", &s(&["Data"]), ClauseKind::Paragraph, "We encrypt."),
            content_key("a", &s(&["Data", ""]), ClauseKind::Paragraph, "We encrypt."),
            content_key("a", &s(&["Dat", "a"]), ClauseKind::Paragraph, "We encrypt."),
            content_key(
                "a",
                &s(&["Data\u{1f}"]),
                ClauseKind::Paragraph,
                "We encrypt.",
            ),
            content_key("a", &s(&["Data", "We encrypt."]), ClauseKind::Paragraph, ""),
            content_key("a", &s(&["Data"]), ClauseKind::ListItem, "We encrypt."),
            content_key("a", &s(&["Data"]), ClauseKind::Paragraph, "We encrypt"),
        ] {
            assert_ne!(base, other);
        }
        // A heading holding the separator a join would use is not two headings.
        assert_ne!(
            content_key("a", &s(&["x\u{1f}y"]), ClauseKind::Paragraph, "t"),
            content_key("a", &s(&["x", "y"]), ClauseKind::Paragraph, "t")
        );
    }

    #[test]
    fn the_bundled_corpus_s_passages_cover_every_clause_once() {
        let corpus = Corpus::bundled().unwrap();
        let p = Passages::of(&corpus);
        let clauses = corpus.clauses().count();
        assert_eq!(p.occurrence_count(), clauses);
        assert!(p.len() <= clauses && !p.is_empty());
        let mut seen = vec![false; clauses];
        for passage in 0..p.len() as u32 {
            let occ = p.occurrences_of(passage);
            assert!(!occ.is_empty());
            assert!(occ.windows(2).all(|w| w[0] < w[1]));
            let first = p.clause(&corpus, occ[0]).unwrap();
            let (_, versions, keys) = p.slots(passage);
            for (n, &o) in occ.iter().enumerate() {
                assert_eq!((versions[n], keys[n]), (p.version_of(o), p.clause_key(o)));
                assert!(!std::mem::replace(&mut seen[o as usize], true));
                assert_eq!(p.passage_of(o), passage);
                let c = p.clause(&corpus, o).unwrap();
                assert_eq!(
                    (&c.text, &c.section, c.kind),
                    (&first.text, &first.section, first.kind)
                );
                assert_eq!(p.clause_key(o), c.key());
                assert_eq!(
                    p.key(passage),
                    content_key(
                        &corpus.versions[p.locate(o).0].info.document_id,
                        &c.section,
                        c.kind,
                        &c.text
                    )
                );
            }
            assert_eq!(p.by_key(p.key(passage)), Some(passage));
        }
        assert!(seen.iter().all(|&s| s));
        for (v, version) in corpus.versions.iter().enumerate() {
            let range = p.of_version(v as u32);
            assert_eq!(range.len(), version.doc.clauses.len());
            for o in range {
                assert_eq!(p.locate(o).0, v);
            }
        }
    }
}
