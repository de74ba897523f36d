//! Aligning two versions: which clause became which, and which section.
//!
//! Clauses are compared by content (TF-IDF cosine over stemmed words, with
//! IDF over both versions so boilerplate like the product name weighs
//! little), never by position alone. Pairs are taken greedily, best first,
//! with a small bonus for clauses under similar headings. Sections are then
//! paired by their headings and by how many of their clauses paired, so a
//! renamed heading ("Tracking and Analytics" → "Analytics") still lines up.
//! Leftover clauses that are mostly contained in a paired one are splits or
//! merges; the rest are added or removed.

// Word IDs, clause indexes and short strings: the default SipHash was a
// fifth of a compare (measured by bench/run.sh), and none of these keys
// comes from an adversary who could exploit a weaker hash.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use std::borrow::Cow;

use rayon::prelude::*;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::{Document, Section};

/// What an aligned pair is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PairStatus {
    /// Same text, same place.
    Unchanged,
    /// Only punctuation, casing, whitespace or a spelled-out abbreviation differ.
    Editorial,
    /// The wording changed.
    Modified,
    /// Now under another section (the text may also have changed).
    Moved,
    /// One old clause became several new ones.
    Split,
    /// Several old clauses became one.
    Merged,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

impl PairStatus {
    /// The snake_case name used in JSON (and in a comparison's counts).
    pub fn name(self) -> &'static str {
        match self {
            PairStatus::Unchanged => "unchanged",
            PairStatus::Editorial => "editorial",
            PairStatus::Modified => "modified",
            PairStatus::Moved => "moved",
            PairStatus::Split => "split",
            PairStatus::Merged => "merged",
            PairStatus::Added => "added",
            PairStatus::Removed => "removed",
        }
    }
}

/// One aligned pair (or an added/removed clause).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AlignedPair {
    /// What happened.
    pub status: PairStatus,
    /// Old clause IDs (empty when added).
    pub old: Vec<String>,
    /// New clause IDs (empty when removed).
    pub new: Vec<String>,
    /// Content similarity, 0–1.
    pub similarity: f32,
    /// True when the words changed beyond editorial differences.
    pub text_changed: bool,
}

/// How a section fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SectionStatus {
    /// Same heading.
    Same,
    /// Heading changed, content continues.
    Renamed,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

/// A pair of sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SectionPair {
    /// What happened.
    pub status: SectionStatus,
    /// Old heading (None when added).
    pub old: Option<String>,
    /// New heading (None when removed).
    pub new: Option<String>,
    /// Old section slug.
    pub old_slug: Option<String>,
    /// New section slug.
    pub new_slug: Option<String>,
}

/// The alignment of two versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Alignment {
    /// Section pairs, in new-document order (removed ones where they were).
    pub sections: Vec<SectionPair>,
    /// Clause pairs, in new-document order (removed ones where they were).
    pub pairs: Vec<AlignedPair>,
}

const STOPWORDS: [&str; 24] = [
    "the", "of", "and", "to", "a", "an", "in", "for", "or", "is", "are", "by", "with", "as", "on",
    "be", "that", "this", "it", "its", "at", "from", "into", "such",
];

/// A word, interned: comparing and hashing `u32`s instead of strings is
/// what keeps a 100-page alignment fast.
type Word = u32;
/// A clause's words with their weights, normalised, sorted by word: a
/// sorted list, not a map, because a 100-page pair builds thousands of them
/// and only ever walks them or looks a word up.
type Vector = Vec<(Word, f32)>;

/// Stemmed words of texts, interned into one vocabulary.
///
/// Stemming is the costly step and the same few thousand words recur in
/// every clause of both versions, so each distinct word is analysed once:
/// words are remembered as they are written in the texts (borrowed from
/// them, so a word seen before costs one hash lookup and no allocation).
struct Words<'t> {
    stemmer: crate::words::Stemmer,
    /// Each word as written: its stem's ID, or `None` for a stop word or a
    /// word the index's analyzer drops.
    seen: HashMap<&'t str, Option<Word>>,
    /// Stems and their IDs.
    vocab: HashMap<String, Word>,
}

impl<'t> Words<'t> {
    fn new() -> Words<'t> {
        Words {
            stemmer: crate::words::Stemmer::default(),
            seen: HashMap::default(),
            vocab: HashMap::default(),
        }
    }

    fn of(&mut self, text: &'t str) -> Vec<Word> {
        // About one word in six bytes of text: grow the list once or not at all.
        let mut out = Vec::with_capacity(text.len() / 6 + 1);
        for written in crate::text::word_runs(text) {
            let word = match self.seen.get(written) {
                Some(&w) => w,
                None => {
                    let w = self.intern(written);
                    self.seen.insert(written, w);
                    w
                }
            };
            out.extend(word);
        }
        out
    }

    /// The words of each clause, with the vocabulary they were interned
    /// into. A long document is split in two halves, each interned on its
    /// own core, and the second half's vocabulary is then renumbered after
    /// the first's: the IDs are those one pass in order would give (each
    /// stem numbered where it first occurs), so scores add up in the same
    /// order and the alignment does not depend on the split.
    fn of_all(clauses: &'t [crate::clause::Clause]) -> (Words<'t>, Vec<Vec<Word>>) {
        /// Below this many clauses a second thread costs more than it saves.
        const SPLIT_AT: usize = 256;
        let each = |part: &'t [crate::clause::Clause]| {
            let mut words = Words::new();
            let lists: Vec<Vec<Word>> = part.iter().map(|c| words.of(&c.text)).collect();
            (words, lists)
        };
        if clauses.len() < SPLIT_AT {
            return each(clauses);
        }
        let (first, second) = clauses.split_at(clauses.len() / 2);
        let ((mut words, mut lists), (later, later_lists)) =
            rayon::join(|| each(first), || each(second));
        let mut by_id: Vec<&str> = vec![""; later.vocab.len()];
        for (stem, &id) in &later.vocab {
            by_id[id as usize] = stem;
        }
        let renumbered: Vec<Word> = by_id
            .into_iter()
            .map(|stem| match words.vocab.get(stem) {
                Some(&id) => id,
                None => {
                    let id = words.vocab.len() as Word;
                    words.vocab.insert(stem.to_string(), id);
                    id
                }
            })
            .collect();
        lists.extend(
            later_lists
                .into_iter()
                .map(|l| l.into_iter().map(|w| renumbered[w as usize]).collect()),
        );
        // The second half's words stay known as written (a later text
        // would find them by their stems anyway; this spares the stemming).
        for (written, w) in later.seen {
            words
                .seen
                .entry(written)
                .or_insert_with(|| w.map(|w| renumbered[w as usize]));
        }
        (words, lists)
    }

    /// The stem ID of one word as written ([`crate::text::word_runs`] gives
    /// exactly the index tokenizer's words, so analysing one alone gives
    /// what analysing it in its text would).
    fn intern(&mut self, written: &str) -> Option<Word> {
        let plain = crate::words::plain(written)?;
        let stem = self.stemmer.stem(&plain).into_owned();
        (!STOPWORDS.contains(&stem.as_str())).then(|| {
            let next = self.vocab.len() as Word;
            *self.vocab.entry(stem).or_insert(next)
        })
    }
}

/// The normalised TF-IDF vector of each text for which `wanted` holds (an
/// empty one for the others).
fn vectors(texts: &[Vec<Word>], idf: &[f32], wanted: impl Fn(usize) -> bool) -> Vec<Vector> {
    texts
        .iter()
        .enumerate()
        .map(|(i, words)| {
            if !wanted(i) {
                return Vector::new();
            }
            let mut sorted = words.clone();
            sorted.sort_unstable();
            let mut v: Vector = Vec::with_capacity(sorted.len());
            for w in sorted {
                match v.last_mut() {
                    Some((last, x)) if *last == w => *x += idf[w as usize],
                    _ => v.push((w, idf[w as usize])),
                }
            }
            let norm = v.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            v
        })
        .collect()
}

fn containment(part: &[Word], whole: &[Word], idf: &[f32]) -> f32 {
    let whole: HashSet<Word> = whole.iter().copied().collect();
    let weight = |w: &Word| idf[*w as usize];
    let total: f32 = part.iter().map(weight).sum();
    if total == 0.0 {
        return 0.0;
    }
    part.iter()
        .filter(|w| whole.contains(w))
        .map(weight)
        .sum::<f32>()
        / total
}

/// Share of the shorter heading's words found in the other heading.
fn heading_words_similarity(x: &[Word], y: &[Word], a: &str, b: &str) -> f32 {
    if x.is_empty() || y.is_empty() {
        return if a.trim().eq_ignore_ascii_case(b.trim()) {
            1.0
        } else {
            0.0
        };
    }
    let common = x.iter().filter(|w| y.contains(w)).count() as f32;
    common / x.len().min(y.len()) as f32
}

#[cfg(test)]
fn heading_similarity(a: &str, b: &str) -> f32 {
    let mut words = Words::new();
    let (x, y) = (words.of(a), words.of(b));
    heading_words_similarity(&x, &y, a, b)
}

/// Heading similarity of old × new section pairs. Headings are a few words
/// each, so comparing their word lists is cheaper than remembering the
/// answer in a map (which a 100-page pair asked tens of thousands of times).
struct Headings<'a> {
    old: &'a Document,
    new: &'a Document,
    old_words: Vec<Vec<Word>>,
    new_words: Vec<Vec<Word>>,
}

impl<'a> Headings<'a> {
    fn new(old: &'a Document, new: &'a Document, words: &mut Words<'a>) -> Headings<'a> {
        Headings {
            old_words: old.sections.iter().map(|s| words.of(&s.title)).collect(),
            new_words: new.sections.iter().map(|s| words.of(&s.title)).collect(),
            old,
            new,
        }
    }

    fn similarity(&self, a: usize, b: usize) -> f32 {
        heading_words_similarity(
            &self.old_words[a],
            &self.new_words[b],
            &self.old.sections[a].title,
            &self.new.sections[b].title,
        )
    }
}

/// Minimum similarity for two clauses to be the same clause reworded.
pub const PAIR_THRESHOLD: f32 = 0.35;
/// Minimum containment for a leftover clause to be part of a split or merge.
pub const SPLIT_THRESHOLD: f32 = 0.6;
/// How many clauses away a piece of a split or merge may sit from its partner.
pub const SPLIT_DISTANCE: usize = 2;

/// Align two versions' clauses and sections.
///
/// Clauses are paired in rounds, each on what the one before left over:
/// identical texts, then similar ones, then splits and merges; sections are
/// paired by the clauses they share.
pub fn align(old: &Document, new: &Document) -> Alignment {
    let (mut words, old_words) = Words::of_all(&old.clauses);
    let mut by_text = clauses_by_text(old);
    let new_words: Vec<Vec<Word>> = new
        .clauses
        .iter()
        .map(|c| match by_text.get(&*c.text) {
            Some(same) => old_words[same[0]].clone(),
            None => words.of(&c.text),
        })
        .collect();
    let headings = Headings::new(old, new, &mut words);
    let vocab = words.vocab.len();
    let idf = inverse_document_frequencies(vocab, &old_words, &new_words);
    let versions = Versions {
        old,
        new,
        old_section_of: section_index(old),
        new_section_of: section_index(new),
        headings,
    };
    let mut pairing = Pairing {
        old_to_new: vec![None; old.clauses.len()],
        new_to_old: vec![None; new.clauses.len()],
        sim_of: vec![0.0; new.clauses.len()],
    };
    pair_identical(&versions, &mut by_text, &mut pairing);
    pair_similar(&versions, &old_words, &new_words, &idf, vocab, &mut pairing);
    let regrouped = regroup(&versions, &pairing, &old_words, &new_words, &idf);
    let mut ordered = new_order_pairs(&versions, &pairing, &regrouped);
    push_removed_pairs(&versions, &pairing, &regrouped, &mut ordered);
    ordered.sort_by(|a, b| a.0.total_cmp(&b.0));

    Alignment {
        sections: section_pairs(old, new, &regrouped.section_map),
        pairs: ordered.into_iter().map(|(_, p)| p).collect(),
    }
}

/// Old clauses by text: most clauses of a revision are unchanged, and
/// their words are known already.
fn clauses_by_text(old: &Document) -> HashMap<&str, Vec<usize>> {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, c) in old.clauses.iter().enumerate() {
        by_text.entry(&*c.text).or_default().push(i);
    }
    by_text
}

/// Each word's inverse document frequency over the clauses of both
/// versions, for a vocabulary of `vocab` words.
fn inverse_document_frequencies(
    vocab: usize,
    old_words: &[Vec<Word>],
    new_words: &[Vec<Word>],
) -> Vec<f32> {
    // Document frequencies: each clause counts a word once (`last` holds
    // the last clause that counted it).
    let mut df: Vec<f32> = vec![0.0; vocab];
    let mut last: Vec<usize> = vec![usize::MAX; vocab];
    for (c, ws) in old_words.iter().chain(new_words).enumerate() {
        for &w in ws {
            if last[w as usize] != c {
                last[w as usize] = c;
                df[w as usize] += 1.0;
            }
        }
    }
    let n = (old_words.len() + new_words.len()).max(1) as f32;
    df.iter().map(|d| (1.0 + n / d.max(1.0)).ln()).collect()
}

/// The two versions, with each clause's section and the sections'
/// headings' words: what every round of pairing reads.
struct Versions<'a> {
    old: &'a Document,
    new: &'a Document,
    old_section_of: Vec<Option<usize>>,
    new_section_of: Vec<Option<usize>>,
    headings: Headings<'a>,
}

impl Versions<'_> {
    /// How alike the headings of old clause `i` and new clause `j` are.
    fn heading_bonus(&self, i: usize, j: usize) -> f32 {
        match (self.old_section_of[i], self.new_section_of[j]) {
            (Some(a), Some(b)) => self.headings.similarity(a, b),
            _ => 0.0,
        }
    }
}

/// Which clause each clause is paired with so far.
struct Pairing {
    old_to_new: Vec<Option<usize>>,
    new_to_old: Vec<Option<usize>>,
    /// The similarity of each new clause with its old one.
    sim_of: Vec<f32>,
}

impl Pairing {
    fn pair(&mut self, i: usize, j: usize, sim: f32) {
        self.old_to_new[i] = Some(j);
        self.new_to_old[j] = Some(i);
        self.sim_of[j] = sim;
    }
}

/// Identical text is the same clause: pair those first (most clauses of a
/// revision), so that similarity scoring only runs on what changed. A
/// text that occurs more than once pairs under the most similar heading.
fn pair_identical<'d>(
    v: &Versions<'d>,
    by_text: &mut HashMap<&'d str, Vec<usize>>,
    p: &mut Pairing,
) {
    for (j, c) in v.new.clauses.iter().enumerate() {
        let Some(list) = by_text.get_mut(&*c.text) else {
            continue;
        };
        let best = (0..list.len()).max_by(|&x, &y| {
            v.heading_bonus(list[x], j)
                .total_cmp(&v.heading_bonus(list[y], j))
                .then(y.cmp(&x)) // on a tie, the earlier clause
        });
        if let Some(k) = best {
            let i = list.remove(k);
            p.pair(i, j, 1.0);
        }
    }
}

/// Pair what is left by similarity of weighted word vectors, most similar
/// first.
fn pair_similar(
    v: &Versions<'_>,
    old_words: &[Vec<Word>],
    new_words: &[Vec<Word>],
    idf: &[f32],
    vocab: usize,
    p: &mut Pairing,
) {
    // Weighted word vectors, only for what is left to pair.
    let ov = vectors(old_words, idf, |i| p.old_to_new[i].is_none());
    let nv = vectors(new_words, idf, |j| p.new_to_old[j].is_none());
    let mut candidates = similar_candidates(v, p, &ov, &nv, vocab);
    // A total order ((old, new) pairs are unique): an unstable sort gives
    // the same order as a stable one, faster.
    candidates.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    for (_, sim, i, j) in candidates {
        if p.old_to_new[i].is_none() && p.new_to_old[j].is_none() {
            p.pair(i, j, sim);
        }
    }
}

/// The unpaired (old, new) clauses similar enough to pair, as (score,
/// similarity, old, new), in no particular order.
fn similar_candidates(
    v: &Versions<'_>,
    p: &Pairing,
    ov: &[Vector],
    nv: &[Vector],
    vocab: usize,
) -> Vec<(f32, f32, usize, usize)> {
    // Candidate pairs through an inverted index: only clauses that share a word.
    // Each word's unpaired old clauses, with the word's weight in each.
    let mut postings: Vec<Vec<(usize, f32)>> = vec![Vec::new(); vocab];
    for (i, vector) in ov.iter().enumerate() {
        if p.old_to_new[i].is_none() {
            for &(w, x) in vector {
                postings[w as usize].push((i, x));
            }
        }
    }
    // Each new clause is scored on its own, so on every core; the order in
    // which candidates are found does not matter (they are sorted after).
    let unpaired: Vec<usize> = (0..v.new.clauses.len())
        .filter(|&j| p.new_to_old[j].is_none())
        .collect();
    unpaired
        .par_iter()
        .fold(
            || (vec![0.0f32; v.old.clauses.len()], Vec::new(), Vec::new()),
            |(mut dots, mut touched, mut found), &j| {
                for &(w, x) in &nv[j] {
                    for &(i, y) in &postings[w as usize] {
                        if dots[i] == 0.0 {
                            touched.push(i);
                        }
                        dots[i] += x * y;
                    }
                }
                for i in touched.drain(..) {
                    let sim = std::mem::take(&mut dots[i]);
                    if sim >= PAIR_THRESHOLD {
                        found.push((sim + 0.1 * v.heading_bonus(i, j), sim, i, j));
                    }
                }
                (dots, touched, found)
            },
        )
        .map(|(_, _, found)| found)
        .flatten_iter()
        .collect()
}

/// What the last rounds found on top of the pairs: which section became
/// which, and the extra pieces of splits and merges.
struct Regrouped {
    section_map: HashMap<usize, usize>,
    /// Old clause → the extra new clauses it was split into.
    split_extra: HashMap<usize, Vec<usize>>,
    /// New clause → the extra old clauses merged into it.
    merge_extra: HashMap<usize, Vec<usize>>,
    /// The new clauses that are the extra pieces of a split.
    absorbed_new: HashSet<usize>,
    /// The old clauses that are the extra pieces of a merge.
    absorbed_old: HashSet<usize>,
}

/// Sections are paired by the clauses they share; splits and merges are
/// found among the clauses left over. Neither needs the other.
fn regroup(
    v: &Versions<'_>,
    p: &Pairing,
    old_words: &[Vec<Word>],
    new_words: &[Vec<Word>],
    idf: &[f32],
) -> Regrouped {
    let (section_map, (split_extra, merge_extra)) = rayon::join(
        || {
            pair_sections(
                v.old,
                v.new,
                &p.old_to_new,
                &v.old_section_of,
                &v.new_section_of,
                &v.headings,
            )
        },
        || splits_and_merges(&p.old_to_new, &p.new_to_old, old_words, new_words, idf),
    );
    let absorbed_new: HashSet<usize> = split_extra.values().flatten().copied().collect();
    let absorbed_old: HashSet<usize> = merge_extra.values().flatten().copied().collect();
    Regrouped {
        section_map,
        split_extra,
        merge_extra,
        absorbed_new,
        absorbed_old,
    }
}

/// The pairs of the new clauses, in new-document order, each with its
/// place (its new position).
///
/// Each new clause's pair is worked out on its own (comparing the texts
/// of the changed ones is most of it), so on every core, in order.
fn new_order_pairs(v: &Versions<'_>, p: &Pairing, r: &Regrouped) -> Vec<(f32, AlignedPair)> {
    (0..v.new.clauses.len())
        .into_par_iter()
        .filter_map(|j| {
            if r.absorbed_new.contains(&j) {
                return None;
            }
            let pair = match p.new_to_old[j] {
                None => AlignedPair {
                    status: PairStatus::Added,
                    old: vec![],
                    new: vec![v.new.clauses[j].id()],
                    similarity: 0.0,
                    text_changed: true,
                },
                Some(i) => paired_clause(v, p, r, i, j),
            };
            Some((j as f32, pair))
        })
        .collect()
}

/// The pair of old clause `i` and new clause `j`, with the extra pieces
/// if it was split or merged.
fn paired_clause(v: &Versions<'_>, p: &Pairing, r: &Regrouped, i: usize, j: usize) -> AlignedPair {
    let (oc, nc) = (&v.old.clauses[i], &v.new.clauses[j]);
    let moved = match (v.old_section_of[i], v.new_section_of[j]) {
        (Some(a), Some(b)) => r.section_map.get(&a) != Some(&b),
        (None, None) => false,
        _ => true,
    };
    let mut olds = vec![oc.id()];
    let mut news = vec![nc.id()];
    let status = if let Some(extra) = r.split_extra.get(&i) {
        news.extend(extra.iter().map(|&x| v.new.clauses[x].id()));
        PairStatus::Split
    } else if let Some(extra) = r.merge_extra.get(&j) {
        olds.extend(extra.iter().map(|&x| v.old.clauses[x].id()));
        PairStatus::Merged
    } else if moved {
        PairStatus::Moved
    } else if oc.text == nc.text {
        PairStatus::Unchanged
    } else if editorially_equal(&oc.text, &nc.text) {
        PairStatus::Editorial
    } else {
        PairStatus::Modified
    };
    let text_changed = match status {
        PairStatus::Unchanged | PairStatus::Editorial => false,
        PairStatus::Moved => oc.text != nc.text && !editorially_equal(&oc.text, &nc.text),
        _ => true,
    };
    AlignedPair {
        status,
        old: olds,
        new: news,
        similarity: round(p.sim_of[j]),
        text_changed,
    }
}

/// The removed clauses' pairs: each goes after the new position of the
/// nearest preceding old clause that was paired.
fn push_removed_pairs(
    v: &Versions<'_>,
    p: &Pairing,
    r: &Regrouped,
    ordered: &mut Vec<(f32, AlignedPair)>,
) {
    for i in 0..v.old.clauses.len() {
        if p.old_to_new[i].is_some() || r.absorbed_old.contains(&i) {
            continue;
        }
        let anchor = (0..i)
            .rev()
            .find_map(|k| p.old_to_new[k])
            .map_or(-0.5, |j| j as f32 + 0.5);
        ordered.push((
            anchor,
            AlignedPair {
                status: PairStatus::Removed,
                old: vec![v.old.clauses[i].id()],
                new: vec![],
                similarity: 0.0,
                text_changed: true,
            },
        ));
    }
}

fn round(x: f32) -> f32 {
    (x.min(1.0) * 1000.0).round() / 1000.0
}

/// Leftovers mostly contained in a paired clause next to them: pieces of a
/// split (old clause → the extra new clauses) and of a merge (new clause →
/// the extra old clauses).
fn splits_and_merges(
    old_to_new: &[Option<usize>],
    new_to_old: &[Option<usize>],
    old_words: &[Vec<Word>],
    new_words: &[Vec<Word>],
    idf: &[f32],
) -> (HashMap<usize, Vec<usize>>, HashMap<usize, Vec<usize>>) {
    // The paired clauses whose partner sits within SPLIT_DISTANCE of `at`
    // on the other side, in ascending order (on a tie of containment, the
    // last of them wins, as it did when every clause was tried in order).
    let near = |partner_of: &[Option<usize>], at: usize| -> Vec<usize> {
        let mut found: Vec<usize> = (at.saturating_sub(SPLIT_DISTANCE)..=at + SPLIT_DISTANCE)
            .filter_map(|m| partner_of.get(m).copied().flatten())
            .collect();
        found.sort_unstable();
        found
    };
    let mut split_extra: HashMap<usize, Vec<usize>> = HashMap::default(); // old i -> extra new j
    for j in 0..new_words.len() {
        if new_to_old[j].is_some() {
            continue;
        }
        // The pieces of a split sit next to the clause they came with.
        let best = near(new_to_old, j)
            .into_iter()
            .map(|i| (containment(&new_words[j], &old_words[i], idf), i))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((c, i)) = best {
            if c >= SPLIT_THRESHOLD && new_words[j].len() >= 3 {
                split_extra.entry(i).or_default().push(j);
            }
        }
    }
    let mut merge_extra: HashMap<usize, Vec<usize>> = HashMap::default(); // new j -> extra old i
    for i in 0..old_words.len() {
        if old_to_new[i].is_some() {
            continue;
        }
        let best = near(old_to_new, i)
            .into_iter()
            .map(|j| (containment(&old_words[i], &new_words[j], idf), j))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((c, j)) = best {
            if c >= SPLIT_THRESHOLD && old_words[i].len() >= 3 {
                merge_extra.entry(j).or_default().push(i);
            }
        }
    }
    (split_extra, merge_extra)
}

/// For each clause index, the index of its section.
fn section_index(doc: &Document) -> Vec<Option<usize>> {
    let mut out = vec![None; doc.clauses.len()];
    for (s, section) in doc.sections.iter().enumerate() {
        for c in section.clauses.clone() {
            out[c] = Some(s);
        }
    }
    out
}

/// Pair sections: by heading similarity and by how many clauses paired across.
fn pair_sections(
    old: &Document,
    new: &Document,
    old_to_new: &[Option<usize>],
    old_section_of: &[Option<usize>],
    new_section_of: &[Option<usize>],
    headings: &Headings<'_>,
) -> HashMap<usize, usize> {
    let shared = shared_clauses(
        old.sections.len(),
        old_to_new,
        old_section_of,
        new_section_of,
    );
    let scored = score_sections(old, new, &shared, headings);
    best_section_pairs(&scored, old.sections.len(), new.sections.len())
}

/// How many clauses each old section shares with each new one: per old
/// section, (new section, clauses).
fn shared_clauses(
    old_sections: usize,
    old_to_new: &[Option<usize>],
    old_section_of: &[Option<usize>],
    new_section_of: &[Option<usize>],
) -> Vec<Vec<(usize, usize)>> {
    let mut shared: Vec<Vec<(usize, usize)>> = vec![Vec::new(); old_sections];
    for (i, j) in old_to_new
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| (i, j)))
    {
        if let (Some(a), Some(b)) = (old_section_of[i], new_section_of[j]) {
            match shared[a].iter_mut().find(|(x, _)| *x == b) {
                Some((_, n)) => *n += 1,
                None => shared[a].push((b, 1)),
            }
        }
    }
    shared
}

/// The new sections by heading word, and those whose heading has no words
/// by their lower-cased heading.
struct NewHeadings {
    by_word: HashMap<Word, Vec<usize>>,
    wordless: HashMap<String, Vec<usize>>,
}

impl NewHeadings {
    fn new(new: &Document, headings: &Headings<'_>) -> NewHeadings {
        let mut by_word: HashMap<Word, Vec<usize>> = HashMap::default();
        let mut wordless: HashMap<String, Vec<usize>> = HashMap::default();
        for (b, words) in headings.new_words.iter().enumerate() {
            for &w in words {
                by_word.entry(w).or_default().push(b);
            }
            if words.is_empty() {
                wordless
                    .entry(new.sections[b].title.trim().to_ascii_lowercase())
                    .or_default()
                    .push(b);
            }
        }
        NewHeadings { by_word, wordless }
    }
}

/// The (score, old, new) section pairs that score enough to pair.
///
/// A pair can only score if its sections share a clause or a heading
/// word, or have equal headings of no words: score just those, not every
/// old × new pair (a 100-page pair has a hundred thousand of them).
fn score_sections(
    old: &Document,
    new: &Document,
    shared: &[Vec<(usize, usize)>],
    headings: &Headings<'_>,
) -> Vec<(f32, usize, usize)> {
    let index = NewHeadings::new(new, headings);
    let size = |s: &Section| s.clauses.len();
    let mut scored = Vec::new();
    // Per old section: the clauses it shares with each new section, and
    // which new sections were already scored against it.
    let mut shared_with: Vec<usize> = vec![0; new.sections.len()];
    let mut scored_for: Vec<usize> = vec![usize::MAX; new.sections.len()];
    for (a, words) in headings.old_words.iter().enumerate() {
        for &(b, n) in &shared[a] {
            shared_with[b] = n;
        }
        let title;
        let wordless_matches = if words.is_empty() {
            title = old.sections[a].title.trim().to_ascii_lowercase();
            index.wordless.get(&title)
        } else {
            None
        };
        let candidates = shared[a]
            .iter()
            .map(|&(b, _)| b)
            .chain(
                words
                    .iter()
                    .flat_map(|w| index.by_word.get(w).into_iter().flatten().copied()),
            )
            .chain(wordless_matches.into_iter().flatten().copied());
        for b in candidates {
            if scored_for[b] == a {
                continue;
            }
            scored_for[b] = a;
            let (sa, sb) = (&old.sections[a], &new.sections[b]);
            let h = headings.similarity(a, b);
            let n = shared_with[b];
            let content = if size(sa) + size(sb) == 0 {
                h
            } else {
                2.0 * n as f32 / (size(sa) + size(sb)) as f32
            };
            let score = 0.5 * h + 0.5 * content;
            if score >= 0.3 && (n > 0 || h >= 0.5) {
                scored.push((score, a, b));
            }
        }
        for &(b, _) in &shared[a] {
            shared_with[b] = 0;
        }
    }
    scored
}

/// The scored section pairs taken best first, each section once: old
/// section → new section.
fn best_section_pairs(
    scored: &[(f32, usize, usize)],
    old_sections: usize,
    new_sections: usize,
) -> HashMap<usize, usize> {
    // Best first; ties in heading order on both sides. Each pair is sorted
    // as one number, score descending then the two positions: a 100-page
    // pair scores tens of thousands of section pairs, and comparing them
    // field by field was most of pairing its sections.
    // (Pairs are unique, so the order is total and need not be stable.)
    let mut order: Vec<u128> = scored
        .iter()
        .map(|&(score, a, b)| {
            u128::from(!total_order_bits(score)) << 96 | (a as u128) << 48 | b as u128
        })
        .collect();
    order.sort_unstable();
    let mut map = HashMap::default();
    let mut taken_old = vec![false; old_sections];
    let mut taken_new = vec![false; new_sections];
    for key in order {
        const POSITION: u128 = (1 << 48) - 1;
        let (a, b) = (((key >> 48) & POSITION) as usize, (key & POSITION) as usize);
        if !taken_old[a] && !taken_new[b] {
            taken_old[a] = true;
            taken_new[b] = true;
            map.insert(a, b);
        }
    }
    map
}

/// `x`'s bits, mapped so that comparing them as unsigned numbers orders as
/// [`f32::total_cmp`] does.
fn total_order_bits(x: f32) -> u32 {
    let bits = x.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

fn section_pairs(old: &Document, new: &Document, map: &HashMap<usize, usize>) -> Vec<SectionPair> {
    let reverse: HashMap<usize, usize> = map.iter().map(|(a, b)| (*b, *a)).collect();
    let mut out: Vec<(f32, SectionPair)> = Vec::new();
    for (b, sb) in new.sections.iter().enumerate() {
        let pair = match reverse.get(&b) {
            Some(&a) => {
                let sa = &old.sections[a];
                let status = if editorially_equal(&sa.title, &sb.title) {
                    SectionStatus::Same
                } else {
                    SectionStatus::Renamed
                };
                SectionPair {
                    status,
                    old: Some(sa.title.clone()),
                    new: Some(sb.title.clone()),
                    old_slug: Some(sa.slug.to_string()),
                    new_slug: Some(sb.slug.to_string()),
                }
            }
            None => SectionPair {
                status: SectionStatus::Added,
                old: None,
                new: Some(sb.title.clone()),
                old_slug: None,
                new_slug: Some(sb.slug.to_string()),
            },
        };
        out.push((b as f32, pair));
    }
    for (a, sa) in old.sections.iter().enumerate() {
        if !map.contains_key(&a) {
            let anchor = (0..a)
                .rev()
                .find_map(|k| map.get(&k))
                .map_or(-0.5, |&b| b as f32 + 0.5);
            out.push((
                anchor,
                SectionPair {
                    status: SectionStatus::Removed,
                    old: Some(sa.title.clone()),
                    new: None,
                    old_slug: Some(sa.slug.to_string()),
                    new_slug: None,
                },
            ));
        }
    }
    out.sort_by(|x, y| x.0.total_cmp(&y.0));
    out.into_iter().map(|(_, p)| p).collect()
}

/// Lower-case words, hyphens and punctuation dropped (each word borrowed
/// from `text` where lower-casing and dropping hyphens leave it as it is).
fn plain_words(text: &str) -> Vec<Cow<'_, str>> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.replace('-', "").to_lowercase())
            }
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// [`plain_words`] of two ASCII texts compared without building them: the
/// characters of each word, lower-cased and without hyphens, then a word
/// end. `None` when either text is not ASCII (Unicode lower-casing depends
/// on context, so those take the long way).
fn same_plain_words(a: &str, b: &str) -> Option<bool> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    fn stream(text: &str) -> impl Iterator<Item = u8> + '_ {
        text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|w| w.bytes().any(|c| c != b'-'))
            .flat_map(|w| {
                w.bytes()
                    .filter(|&c| c != b'-')
                    .map(|c| c.to_ascii_lowercase())
                    .chain([0])
            })
    }
    Some(stream(a).eq(stream(b)))
}

/// Equal but for punctuation, casing, whitespace, hyphenation and
/// abbreviations spelled out ("Transport layer security (TLS)" ↔ "TLS").
pub fn editorially_equal(a: &str, b: &str) -> bool {
    // Most texts asked about are equal, or differ in more than their
    // words' spelling: answer those without building word lists.
    if a == b || same_plain_words(a, b) == Some(true) {
        return true;
    }
    // ASCII texts lower-cased at once: their words are then mostly slices.
    let lowered;
    let (a, b) = if a.is_ascii() && b.is_ascii() {
        lowered = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
        (lowered.0.as_str(), lowered.1.as_str())
    } else {
        (a, b)
    };
    let (x, y) = (plain_words(a), plain_words(b));
    if x == y {
        return true;
    }
    let (x, y) = (collapse_abbreviations(&x), collapse_abbreviations(&y));
    x == y
}

/// Replace a spelled-out phrase (and an abbreviation in parentheses after
/// it) by the abbreviation: ["transport","layer","security","tls"] → ["tls"].
fn collapse_abbreviations<'w>(words: &'w [Cow<'w, str>]) -> Vec<Cow<'w, str>> {
    // Strings of two to six characters as numbers (21 bits a character,
    // after a leading 1): a phrase's initials are compared with the words
    // that could abbreviate it without building a string or hashing one.
    fn key(chars: impl Iterator<Item = char>) -> Option<u128> {
        let mut k: u128 = 1;
        let mut n = 0;
        for c in chars {
            n += 1;
            if n > 6 {
                return None;
            }
            k = k << 21 | u128::from(u32::from(c));
        }
        (n >= 2).then_some(k)
    }
    let keys: Vec<Option<u128>> = words.iter().map(|w| key(w.chars())).collect();
    // Only a word of two to six characters can be an abbreviation.
    let short: HashSet<u128> = keys.iter().flatten().copied().collect();
    if short.is_empty() {
        return words.to_vec();
    }
    // (plain_words gives no empty word.)
    let firsts: Vec<char> = words
        .iter()
        .map(|w| w.chars().next().unwrap_or(' '))
        .collect();
    let mut out: Vec<Cow<'w, str>> = Vec::with_capacity(words.len());
    let mut i = 0;
    'outer: while i < words.len() {
        // The initials of the phrases of one to six words starting here,
        // and their lengths in bytes.
        let longest = (words.len() - i).min(6);
        let (mut initials, mut bytes) = ([0u128; 7], [0usize; 7]);
        let (mut k, mut b) = (1u128, 0);
        for len in 1..=longest {
            let c = firsts[i + len - 1];
            k = k << 21 | u128::from(u32::from(c));
            b += c.len_utf8();
            initials[len] = k;
            bytes[len] = b;
        }
        for len in (2..=longest).rev() {
            let abbreviation = initials[len];
            if (bytes[len] >= 3 && short.contains(&abbreviation))
                || keys.get(i + len).copied().flatten() == Some(abbreviation)
            {
                out.push(Cow::Owned(firsts[i..i + len].iter().collect()));
                i += len;
                if keys.get(i).copied().flatten() == Some(abbreviation) {
                    i += 1; // "(TLS)" after its expansion
                }
                continue 'outer;
            }
        }
        out.push(words[i].clone());
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_bits_order_as_total_cmp() {
        let xs = [
            f32::NEG_INFINITY,
            -1.5,
            -f32::MIN_POSITIVE,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            0.3,
            f32::from_bits(0.3_f32.to_bits() + 1),
            1.0,
            f32::MAX,
            f32::INFINITY,
            f32::NAN,
            -f32::NAN,
        ];
        for x in xs {
            for y in xs {
                assert_eq!(
                    total_order_bits(x).cmp(&total_order_bits(y)),
                    x.total_cmp(&y),
                    "{x} {y}"
                );
            }
        }
    }

    /// `editorially_equal` as it was first written (word lists built for
    /// every pair, abbreviations found by building each phrase's
    /// initials): the fast one must agree with it.
    fn editorially_equal_reference(a: &str, b: &str) -> bool {
        fn words(text: &str) -> Vec<String> {
            text.split(|c: char| !(c.is_alphanumeric() || c == '-'))
                .map(|w| w.replace('-', "").to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        }
        fn collapse(words: &[String]) -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            let mut i = 0;
            'outer: while i < words.len() {
                for len in (2..=6).rev() {
                    if i + len > words.len() {
                        continue;
                    }
                    let initials: String = words[i..i + len]
                        .iter()
                        .filter_map(|w| w.chars().next())
                        .collect();
                    if (initials.len() >= 3 && words.contains(&initials))
                        || (initials.len() >= 2
                            && words.get(i + len).is_some_and(|w| *w == initials))
                    {
                        out.push(initials.clone());
                        i += len;
                        if words.get(i).is_some_and(|w| *w == initials) {
                            i += 1;
                        }
                        continue 'outer;
                    }
                }
                out.push(words[i].clone());
                i += 1;
            }
            out
        }
        let (x, y) = (words(a), words(b));
        x == y || collapse(&x) == collapse(&y)
    }

    #[test]
    fn fast_editorial_equality_agrees_with_the_reference() {
        let mut texts: Vec<String> = [
            "Transport layer security (TLS) is available",
            "TLS is available",
            "transport layer security is available, TLS",
            "The Data Processing Agreement (DPA) applies; see the DPA.",
            "The DPA applies; see the DPA.",
            "Έλεγχος Ασφαλείας (ΕΑ) ισχύει",
            "ΕΑ ισχύει",
            "Kelvin Kontrol Kit (KKK) and kkk",
            "e-mail -- E-Mail; EMAIL",
            "email email email",
            "sub-processors",
            "subprocessors",
            "Straße Weg (SW) and ſ",
            "SW and ſ",
            "a b c d e f g (ABCDEFG) abcdef",
            "",
            "---",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let corpus = crate::corpus::Corpus::bundled().unwrap();
        texts.extend(
            corpus.versions[0]
                .doc
                .clauses
                .iter()
                .take(12)
                .map(|c| c.text.to_string()),
        );
        texts.extend(
            corpus.versions[0]
                .doc
                .sections
                .iter()
                .map(|s| s.title.clone()),
        );
        for a in &texts {
            for b in &texts {
                assert_eq!(
                    editorially_equal(a, b),
                    editorially_equal_reference(a, b),
                    "{a:?} / {b:?}"
                );
            }
        }
    }

    /// A long document's words are interned in two halves side by side; the
    /// IDs must be those of one pass in order, so that scores add up the
    /// same way whatever the split.
    #[test]
    fn words_interned_in_halves_are_numbered_as_in_one_pass() {
        // Many clauses whose words recur across both halves, some new in
        // the second, so the renumbering has something to do.
        let words = [
            "access",
            "encrypted",
            "backups",
            "logging",
            "review",
            "keys",
        ];
        let text: String = (0..400)
            .map(|i| {
                let w = |k: usize| words[(i * k + k) % words.len()];
                format!(
                    "# S{i}\n\nThe {} of {} data{} is {}.\n\n",
                    w(1),
                    w(3),
                    i / 100,
                    w(5)
                )
            })
            .collect();
        let version = crate::corpus::Version::from_text(
            "doc",
            "Vendor",
            "Document",
            "2024-01-01",
            crate::ingest::Format::Markdown,
            &text,
        );
        let clauses = &version.doc.clauses;
        assert!(clauses.len() >= 256, "{} clauses", clauses.len());
        let (halves, lists) = Words::of_all(clauses);
        let mut one = Words::new();
        let expected: Vec<Vec<Word>> = clauses.iter().map(|c| one.of(&c.text)).collect();
        assert_eq!(lists, expected);
        assert_eq!(halves.vocab, one.vocab);
    }

    #[test]
    fn editorial_differences() {
        assert!(editorially_equal(
            "Customer Data is deleted.",
            "customer data is deleted"
        ));
        assert!(editorially_equal("sub-processors", "subprocessors"));
        assert!(editorially_equal(
            "Transport layer security (TLS) is available",
            "TLS is available"
        ));
        assert!(!editorially_equal(
            "data is deleted after 30 days",
            "data is deleted within 30 days"
        ));
        assert!(editorially_equal("E-mail -- us, now", "email us now"));
        assert!(!editorially_equal("email us", "email use"));
        assert!(!editorially_equal("email us", "email"));
        // The short cut for ASCII texts and the long way agree.
        assert!(editorially_equal("Naïve DATA", "naïve data"));
        assert!(!editorially_equal("Naïve data", "naive data"));
    }

    #[test]
    fn pair_status_names_are_their_json_names() {
        for status in [
            PairStatus::Unchanged,
            PairStatus::Editorial,
            PairStatus::Modified,
            PairStatus::Moved,
            PairStatus::Split,
            PairStatus::Merged,
            PairStatus::Added,
            PairStatus::Removed,
        ] {
            assert_eq!(
                serde_json::to_value(status).unwrap(),
                serde_json::json!(status.name())
            );
        }
    }

    #[test]
    fn heading_similarity_uses_the_shorter_heading() {
        assert!(heading_similarity("Sensitive Personal Data", "Sensitive Data") >= 0.99);
        assert!(heading_similarity("Tracking and Analytics", "Analytics") >= 0.99);
        assert!(heading_similarity("Viruses", "Data Encryption") < 0.01);
    }
}
