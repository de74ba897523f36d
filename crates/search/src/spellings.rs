//! Words as written in clause texts, each with the number of its stem:
//! what highlighting looks a hit's words up in.
//!
//! Which stem a spelling has depends on the index's analyzer alone (split,
//! lower-case, fold, stem), which is fixed in code, so one table serves
//! every query and every index of the process. It was once kept per query:
//! each search then analysed the same few thousand spellings again, and
//! that was most of the time spent showing two hundred hits. A query only
//! says which stems it marks ([`Marked`]), by number.

use std::sync::{Mutex, MutexGuard, OnceLock};

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use crate::index::{plain_analyzer, stemmer};

/// Most spellings remembered. Past this the table starts again before the
/// next text (never in the middle of one, whose words hold numbers), so
/// that texts of garbled or generated words cannot grow it without bound.
const MAX_SPELLINGS: usize = 200_000;

/// Spellings longer than this are analysed each time rather than
/// remembered: the analyzer drops words of 40 bytes or more anyway, and a
/// hostile text's one-megabyte "word" must not be kept as a key.
const MAX_REMEMBERED_LEN: usize = 64;

/// The table. Lock it with [`Spellings::lock`].
pub(crate) struct Spellings {
    /// Bumped each time the table starts again: numbers handed out before
    /// then mean nothing now.
    generation: u64,
    /// Each spelling: its stem's number, or `None` when the analyzer drops
    /// the word.
    written: FxHashMap<Box<str>, Option<u32>>,
    /// Each analysed but unstemmed word ("Data" and "data" are one): its
    /// stem's number, so that each is stemmed once.
    plain: FxHashMap<Box<str>, u32>,
    /// Each stem's number.
    stems: FxHashMap<Box<str>, u32>,
    /// The index's analyzer before stemming.
    plain_analyzer: TextAnalyzer,
    /// The index's stemmer.
    stemmer: TextAnalyzer,
}

impl Spellings {
    /// The process's table, locked. Poisoning is ignored: the table is
    /// only ever extended or cleared, and either leaves it consistent.
    pub(crate) fn lock() -> MutexGuard<'static, Spellings> {
        static TABLE: OnceLock<Mutex<Spellings>> = OnceLock::new();
        TABLE
            .get_or_init(|| Mutex::new(Spellings::new()))
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn new() -> Spellings {
        Spellings {
            generation: 0,
            written: FxHashMap::default(),
            plain: FxHashMap::default(),
            stems: FxHashMap::default(),
            plain_analyzer: plain_analyzer(),
            stemmer: stemmer(),
        }
    }

    /// Start again if the table is full. Call before reading a text, never
    /// while numbers from it are held.
    pub(crate) fn make_room(&mut self) {
        if self.written.len() >= MAX_SPELLINGS {
            self.written.clear();
            self.plain.clear();
            self.stems.clear();
            self.generation += 1;
        }
    }

    /// The number of a stem, given it one if it has none yet.
    pub(crate) fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.get(stem) {
            return id;
        }
        let id = self.stems.len() as u32;
        self.stems.insert(stem.into(), id);
        id
    }

    /// The stem number of one word as [`trustlens_core::text::word_runs`] gives it
    /// (exactly the index tokenizer's words, so analysing it alone gives
    /// what analysing it in its text would), or `None` when the analyzer
    /// drops it.
    pub(crate) fn id_as_written(&mut self, written: &str) -> Option<u32> {
        if let Some(&id) = self.written.get(written) {
            return id;
        }
        let plain = self
            .plain_analyzer
            .token_stream(written)
            .next()
            .map(|t| t.text.clone());
        let id = plain.map(|p| self.plain_id(&p));
        if written.len() <= MAX_REMEMBERED_LEN {
            self.written.insert(written.into(), id);
        }
        id
    }

    /// The stem number of an analysed, unstemmed word.
    fn plain_id(&mut self, plain: &str) -> u32 {
        if let Some(&id) = self.plain.get(plain) {
            return id;
        }
        let stem = self
            .stemmer
            .token_stream(plain)
            .next()
            .map_or_else(String::new, |t| t.text.clone());
        let id = self.stem_id(&stem);
        self.plain.insert(plain.into(), id);
        id
    }
}

/// A query's marks as stem numbers of one generation of the table.
#[derive(Default)]
pub(crate) struct Marked {
    /// The generation the numbers belong to (`None`: not worked out yet).
    generation: Option<u64>,
    /// One bit per stem number: whether the query marks that stem alone.
    /// Stems numbered after this was worked out are none of the query's,
    /// whose stems all had numbers by then.
    terms: Vec<u64>,
    /// Each phrase's stems, by number.
    pub(crate) phrases: Vec<Vec<u32>>,
}

impl Marked {
    /// Make these the numbers of `terms` and `phrases` (stems) in the
    /// table's current generation, unless they already are.
    pub(crate) fn refresh<'a>(
        &mut self,
        table: &mut Spellings,
        terms: impl IntoIterator<Item = &'a String>,
        phrases: &[Vec<String>],
    ) {
        if self.generation == Some(table.generation) {
            return;
        }
        self.terms.clear();
        for term in terms {
            let id = table.stem_id(term) as usize;
            if self.terms.len() <= id / 64 {
                self.terms.resize(id / 64 + 1, 0);
            }
            self.terms[id / 64] |= 1 << (id % 64);
        }
        self.phrases = phrases
            .iter()
            .map(|p| p.iter().map(|w| table.stem_id(w)).collect())
            .collect();
        self.generation = Some(table.generation);
    }

    /// Whether the stem numbered `id` is one of the query's terms.
    pub(crate) fn is_term(&self, id: u32) -> bool {
        let id = id as usize;
        self.terms
            .get(id / 64)
            .is_some_and(|bits| bits & (1 << (id % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_stem_share_its_number() {
        let mut t = Spellings::new();
        let a = t.id_as_written("Encryption").unwrap();
        assert_eq!(t.id_as_written("encryption"), Some(a));
        assert_eq!(t.id_as_written("ENCRYPTIONS"), Some(a));
        assert_eq!(t.id_as_written("Éncryption"), Some(a));
        assert_ne!(t.id_as_written("data"), Some(a));
        assert_eq!(t.id_as_written(&"x".repeat(40)), None);
        assert_eq!(t.stem_id("encrypt"), a);
    }

    #[test]
    fn long_spellings_are_analysed_but_not_remembered() {
        let mut t = Spellings::new();
        let long = "y".repeat(1 << 20);
        assert_eq!(t.id_as_written(&long), None);
        assert!(t.written.is_empty());
    }

    #[test]
    fn a_full_table_starts_again_and_marks_follow_the_new_numbers() {
        let mut t = Spellings::new();
        let terms = vec!["secur".to_string()];
        let mut marked = Marked::default();
        marked.refresh(&mut t, &terms, &[]);
        let before = t.id_as_written("security").unwrap();
        assert!(marked.is_term(before));
        for i in 0..MAX_SPELLINGS {
            t.id_as_written(&format!("w{i}"));
        }
        t.make_room();
        assert!(t.written.is_empty(), "the full table started again");
        // "security" now gets another number; the marks must follow it.
        t.id_as_written("zebra");
        let after = t.id_as_written("security").unwrap();
        assert_ne!(after, before);
        marked.refresh(&mut t, &terms, &[]);
        assert!(marked.is_term(after));
        assert!(!marked.is_term(t.id_as_written("zebra").unwrap()));
    }
}
