//! Clause lineage: across all versions of a document, which clauses are "the
//! same clause" — the chain of aligned clauses from the version where it
//! appeared, through each change, to the version where it disappeared.
//!
//! Lineages are built from the compare engine's alignment of each version
//! with the next (by date). A split continues the lineage in all its pieces;
//! a merge continues the lineage of its first piece and ends the others
//! ("merged"). A lineage is named by its first clause's ID.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::compare::align::{AlignedPair, PairStatus};
use crate::compare::cards::ChangeCard;
use crate::compare::ById;
use crate::corpus::{Corpus, Version};
use crate::lexicon::Lexicon;

/// One version in a clause's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Step {
    /// Version ID.
    pub version: String,
    /// Version date.
    pub date: String,
    /// The clause(s) in this version (empty when it disappeared here).
    pub clause_ids: Vec<String>,
    /// What happened since the previous version (`added` for the first step,
    /// `removed` for the version where it disappeared).
    pub status: PairStatus,
    /// The text in this version (empty when it disappeared).
    pub text: String,
    /// The change cards about it between the previous version and this one.
    pub cards: Vec<ChangeCard>,
}

/// A clause's life across versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Lineage {
    /// Lineage ID: the ID of its first clause.
    pub id: String,
    /// Document ID.
    pub document_id: String,
    /// Versions in date order, from the one where it appeared.
    pub steps: Vec<Step>,
}

/// Every lineage of a corpus.
#[derive(Debug, Clone, Default)]
pub struct Lineages {
    /// All lineages.
    pub lineages: Vec<Lineage>,
    by_clause: HashMap<String, usize>,
}

/// The texts of these clauses, joined (looked up by key: a scan per ID made
/// a lineage of long versions quadratic).
fn text_of(clauses: &ById<'_>, ids: &[String]) -> String {
    clauses
        .get(ids)
        .iter()
        .map(|c| &*c.text)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Lineages {
    /// Build the lineages of every document of `corpus`.
    pub fn build(corpus: &Corpus, lexicon: &Lexicon) -> Lineages {
        let mut out = Lineages::default();
        for doc in document_ids(corpus) {
            let versions = versions_by_date(corpus, doc);
            let Some(first) = versions.first() else {
                continue;
            };
            let mut document = Following::start(&mut out, doc, first);
            for pair in versions.windows(2) {
                document.follow_into(lexicon, pair[0], pair[1]);
            }
        }
        out.index_clauses();
        out
    }

    /// Index every clause of every step by its lineage.
    fn index_clauses(&mut self) {
        for (k, l) in self.lineages.iter().enumerate() {
            for s in &l.steps {
                for id in &s.clause_ids {
                    self.by_clause.insert(id.clone(), k);
                }
            }
        }
    }

    /// Start a lineage at clauses `ids` of `v`, with their text; its number.
    fn start(&mut self, doc: &str, v: &Version, ids: &[String], text: String) -> usize {
        self.lineages.push(Lineage {
            id: ids[0].clone(),
            document_id: doc.to_string(),
            steps: vec![Step {
                version: v.info.id.clone(),
                date: v.info.date.clone(),
                clause_ids: ids.to_vec(),
                status: PairStatus::Added,
                text,
                cards: Vec::new(),
            }],
        });
        self.lineages.len() - 1
    }

    /// End lineage `k` at `v`, with `status`.
    fn end(&mut self, k: usize, v: &Version, status: PairStatus) {
        self.lineages[k].steps.push(Step {
            version: v.info.id.clone(),
            date: v.info.date.clone(),
            clause_ids: Vec::new(),
            status,
            text: String::new(),
            cards: Vec::new(),
        });
    }

    /// The lineage a clause belongs to.
    pub fn of(&self, clause_id: &str) -> Option<&Lineage> {
        self.by_clause.get(clause_id).map(|&k| &self.lineages[k])
    }
}

/// The IDs of the corpus's documents, sorted, each once.
fn document_ids(corpus: &Corpus) -> Vec<&str> {
    let mut docs: Vec<&str> = corpus
        .versions
        .iter()
        .map(|v| v.info.document_id.as_str())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    docs
}

/// A document's versions, oldest first.
fn versions_by_date<'a>(corpus: &'a Corpus, doc: &str) -> Vec<&'a Version> {
    let mut versions: Vec<&Version> = corpus
        .versions
        .iter()
        .filter(|v| v.info.document_id == doc)
        .collect();
    versions.sort_by(|a, b| a.info.date.cmp(&b.info.date));
    versions
}

/// One document's lineages followed from version to version.
struct Following<'a> {
    out: &'a mut Lineages,
    doc: &'a str,
    /// The lineage each clause of the current version belongs to.
    current: HashMap<String, usize>,
    /// The same for the next version, as the pairs are followed.
    next: HashMap<String, usize>,
}

impl<'a> Following<'a> {
    /// A lineage for each clause of the document's first version.
    fn start(out: &'a mut Lineages, doc: &'a str, first: &Version) -> Self {
        let mut current = HashMap::new();
        for c in &first.doc.clauses {
            let id = c.id();
            let k = out.start(doc, first, std::slice::from_ref(&id), c.text.to_string());
            current.insert(id, k);
        }
        Following {
            out,
            doc,
            current,
            next: HashMap::new(),
        }
    }

    /// Follow the lineages from `old` into `new` along the pairs of the
    /// comparison of the two, which then makes `new` the current version.
    fn follow_into(&mut self, lexicon: &Lexicon, old: &Version, new: &Version) {
        let cmp = crate::compare::compare(lexicon, old, new);
        let new_clauses = ById::new(new);
        for pv in &cmp.alignment {
            let cards = cards_about(&cmp.changes, &pv.pair);
            self.follow(new, &new_clauses, &pv.pair, cards);
        }
        self.current = std::mem::take(&mut self.next);
    }

    /// One pair of the comparison with `new`: a clause's lineage continues
    /// into its new side or ends where it was removed; a new clause starts
    /// a lineage. `cards` are the pair's change cards.
    fn follow(
        &mut self,
        new: &Version,
        new_clauses: &ById<'_>,
        p: &AlignedPair,
        cards: Vec<ChangeCard>,
    ) {
        let lineage = p.old.first().and_then(|id| self.current.get(id)).copied();
        match (lineage, p.new.is_empty()) {
            (Some(k), false) => {
                self.out.lineages[k].steps.push(Step {
                    version: new.info.id.clone(),
                    date: new.info.date.clone(),
                    clause_ids: p.new.clone(),
                    status: p.status,
                    text: text_of(new_clauses, &p.new),
                    cards,
                });
                self.continue_in(&p.new, k);
                // The other pieces of a merge end here.
                for id in p.old.iter().skip(1) {
                    if let Some(&m) = self.current.get(id) {
                        self.out.end(m, new, PairStatus::Merged);
                    }
                }
            }
            (Some(k), true) => {
                self.out.lineages[k].steps.push(Step {
                    version: new.info.id.clone(),
                    date: new.info.date.clone(),
                    clause_ids: Vec::new(),
                    status: PairStatus::Removed,
                    text: String::new(),
                    cards,
                });
            }
            (None, false) => {
                let text = text_of(new_clauses, &p.new);
                let k = self.out.start(self.doc, new, &p.new, text);
                self.out.lineages[k].steps[0].cards = cards;
                self.continue_in(&p.new, k);
            }
            (None, true) => {}
        }
    }

    /// Clauses `ids` of the next version belong to lineage `k`.
    fn continue_in(&mut self, ids: &[String], k: usize) {
        for id in ids {
            self.next.insert(id.clone(), k);
        }
    }
}

/// The change cards about a pair: those citing one of its clauses, on
/// either side.
fn cards_about(changes: &[ChangeCard], p: &AlignedPair) -> Vec<ChangeCard> {
    changes
        .iter()
        .filter(|card| {
            card.before
                .as_ref()
                .is_some_and(|e| p.old.contains(&e.clause_id))
                || card
                    .after
                    .as_ref()
                    .is_some_and(|e| p.new.contains(&e.clause_id))
        })
        .cloned()
        .collect()
}

/// The version of each document that was current on `date` (`YYYY-MM-DD`):
/// the latest one dated on or before it.
pub fn current_on<'a>(corpus: &'a Corpus, date: &str) -> Vec<&'a Version> {
    // FxHash, not SipHash: every "as of" search asks this of every version.
    let mut best: rustc_hash::FxHashMap<&str, &Version> = Default::default();
    for v in &corpus.versions {
        if v.info.date.as_str() > date {
            continue;
        }
        let e = best.entry(v.info.document_id.as_str()).or_insert(v);
        if v.info.date > e.info.date {
            *e = v;
        }
    }
    let mut out: Vec<&Version> = best.into_values().collect();
    out.sort_by(|a, b| a.info.id.cmp(&b.info.id));
    out
}
