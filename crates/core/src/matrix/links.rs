//! Links between clauses and matrix entries.
//!
//! Automatic links come from the matrix's rules: a clause is linked to an
//! entry when one of the entry's rules matches, with the rule's confidence
//! and a reason naming the rule and the words that matched. The user's own
//! decisions ([`crate::store::LinkOverride`]) are kept apart and applied on
//! top: a manual link adds a link, a manual unlink hides an automatic one.
//! Rebuilding the index or the corpus never touches the user's decisions.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{meta, Input, MatchKind, PatternID, PatternSet};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Matrices;
use crate::clause::{clause_key, Clause};
use crate::store::{LinkAction, LinkOverride};

/// Where a link comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkSource {
    /// A rule of the matrix matched.
    Auto,
    /// The user linked them.
    Manual,
}

/// A clause linked to a matrix entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Link {
    /// Clause ID.
    pub clause_id: String,
    /// Entry key (`MATRIX/ENTRY`).
    pub entry: String,
    /// Rule or user.
    pub source: LinkSource,
    /// Why: the rule and the words that matched, or who linked it and when.
    pub reason: String,
    /// How sure (1 for a manual link).
    pub confidence: f32,
}

/// One link a rule made, as stored for every clause of a corpus: the entry
/// and the rule by their positions, no copy of the clause ID and no reason
/// text (a million clauses have millions of links: full [`Link`]s took most
/// of a gigabyte, and finding each reason's words took half of linking).
#[derive(Debug, Clone)]
struct AutoLink {
    /// Position in [`AutoLinks::entries`].
    entry: u32,
    /// Position in [`AutoLinks::rules`].
    rule: u32,
    confidence: f32,
}

/// Every rule phrase of the matrices compiled into one multi-pattern regex, so a
/// clause is scanned once to learn which phrases occur in it, rather than
/// once per phrase: most clauses match no rule at all, and at a million
/// clauses the per-phrase scans were most of the time it took to open a
/// corpus.
struct RuleSet {
    /// Every rule phrase, as one automaton that says which of them occur.
    set: meta::Regex,
    /// Every rule, in [`Matrices::entries_with_rules`] order (what
    /// [`AutoLink::rule`] counts in), with the set indexes of its `any` and
    /// `all` phrases.
    rules: Vec<(crate::matrix::Rule, Vec<usize>, Vec<usize>)>,
    /// Each entry with rules, in that order: its position in
    /// [`Matrices::entries`] and where its rules are in `rules`.
    entries: Vec<(u32, std::ops::Range<usize>)>,
}

impl RuleSet {
    fn new(matrices: &Matrices) -> RuleSet {
        let keys: Vec<&str> = matrices.entries().map(|e| e.key.as_str()).collect();
        let mut patterns: Vec<String> = Vec::new();
        let mut rules = Vec::new();
        let mut entries = Vec::new();
        for (entry, entry_rules) in matrices.entries_with_rules() {
            let start = rules.len();
            for rule in entry_rules {
                let mut index = |phrases: &[crate::lexicon::Phrase]| -> Vec<usize> {
                    phrases
                        .iter()
                        .map(|p| {
                            patterns.push(p.pattern().to_string());
                            patterns.len() - 1
                        })
                        .collect()
                };
                let (any, all) = (index(&rule.any), index(&rule.all));
                rules.push((rule.clone(), any, all));
            }
            let position = keys
                .iter()
                .position(|k| *k == entry.key)
                .unwrap_or_default();
            entries.push((position as u32, start..rules.len()));
        }
        // What regex::RegexSet does, without the literal prefilter: over
        // the bundled matrix's 374 phrases, building it was most of the
        // set's 60 ms build, and matching ran faster without it both on the
        // bundled corpus and on the generated one (bench/). A phrase is at
        // most MAX_PHRASE_CHARS long, so the automaton is bounded by the
        // number of rules; no size limit, which would turn a large matrix
        // into a failure here rather than a slower start.
        let set = meta::Regex::builder()
            .configure(
                meta::Config::new()
                    .match_kind(MatchKind::All)
                    .which_captures(WhichCaptures::None)
                    .auto_prefilter(false)
                    .nfa_size_limit(None),
            )
            .build_many(&patterns)
            .expect("each phrase's syntax was checked when the matrix was read");
        RuleSet {
            set,
            rules,
            entries,
        }
    }

    /// The links of a clause with this text: for each entry, its best
    /// matching rule.
    fn links(&self, text: &str) -> Vec<AutoLink> {
        let mut hits = PatternSet::new(self.set.pattern_len());
        self.set
            .which_overlapping_matches(&Input::new(text), &mut hits);
        if hits.is_empty() {
            return Vec::new();
        }
        let matched = |i: &usize| PatternID::new(*i).is_ok_and(|id| hits.contains(id));
        let mut out = Vec::new();
        for (entry, range) in &self.entries {
            let mut best: Option<(f32, usize)> = None;
            for (i, (rule, any, all)) in self.rules[range.clone()].iter().enumerate() {
                if !all.iter().all(matched) || !any.iter().any(matched) {
                    continue;
                }
                if best.is_none_or(|(c, _)| rule.confidence > c) {
                    best = Some((rule.confidence, range.start + i));
                }
            }
            if let Some((confidence, rule)) = best {
                out.push(AutoLink {
                    entry: *entry,
                    rule: rule as u32,
                    confidence,
                });
            }
        }
        out
    }
}

/// Every clause's links, automatic and manual, by clause.
///
/// The rules' links are computed once per corpus and shared; the user's
/// decisions are an overlay of the few clauses they touch, so applying them
/// on every search costs nothing like copying a million clauses' links.
#[derive(Debug, Clone, Default)]
pub struct LinkTable {
    auto: Arc<AutoLinks>,
    /// Clauses the user's decisions changed: the whole link list of every
    /// clause with that key.
    changed: KeyMap<Vec<Link>>,
}

/// The rules' links of every clause, and the same as entry bit sets for
/// counting (a search on a large corpus counts the entries of every match).
#[derive(Debug, Default)]
struct AutoLinks {
    /// The clauses with links, by key (a list, should two share a key).
    by_key: KeyMap<Vec<ClauseLinks>>,
    /// The key of every clause, linked or not: decisions about clauses not
    /// in the corpus are ignored.
    known: KeyMap<()>,
    /// Entry keys in matrix order: [`AutoLink::entry`] and the mask bits
    /// index this. Shared by every search hit that shows them
    /// ([`LinkTable::entries_of`]).
    entries: Vec<std::sync::Arc<str>>,
    /// Each linked clause's entries as bits (when there are at most 64
    /// entries; counting falls back to the links otherwise).
    masks: Option<KeyMap<u64>>,
    /// [`LinkTable::rule_bits`] of each run of keys asked for, by its name.
    runs: Mutex<HashMap<String, Arc<[u64]>>>,
    /// Every rule, in [`Matrices::entries_with_rules`] order: [`AutoLink::rule`]
    /// indexes this.
    rules: Vec<crate::matrix::Rule>,
}

impl AutoLinks {
    /// A rule link as a [`Link`], its reason worked out now: the rule and
    /// the words of the clause that matched it. Reasons are read for a few
    /// clauses at a time, so they are not kept for every clause.
    fn link(&self, clause: &ClauseLinks, l: &AutoLink) -> Link {
        let rule = &self.rules[l.rule as usize];
        let quote = |w: &str| format!("\u{201C}{w}\u{201D}");
        let mut words: Vec<String> = rule
            .any
            .iter()
            .chain(&rule.all)
            .filter_map(|p| p.regex().find(&clause.text).map(|m| quote(m.as_str())))
            .collect();
        words.dedup();
        Link {
            clause_id: clause.id.to_string(),
            entry: self.entries[l.entry as usize].to_string(),
            source: LinkSource::Auto,
            reason: format!("rule {} matched {}", rule.number, words.join(", ")),
            confidence: l.confidence,
        }
    }
}

/// What [`LinkTable::links_of`] found for a clause.
enum Found<C, A> {
    /// The user's decisions changed its links: these.
    Changed(C),
    /// The rules' links, each with the clause it belongs to.
    Auto(A),
}

/// One clause's rule links, and its text (what the reasons quote; shared with the corpus).
#[derive(Debug)]
struct ClauseLinks {
    id: Box<str>,
    text: std::sync::Arc<str>,
    links: Box<[AutoLink]>,
}

/// Clause keys are already hashes: use them as they are.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type KeyMap<V> = HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

impl LinkTable {
    /// Automatic links of `clauses`, with the user's decisions applied.
    /// Decisions about clauses or entries that no longer exist are kept in
    /// the store but have no effect here.
    pub fn build<'a>(
        matrices: &Matrices,
        clauses: impl IntoIterator<Item = &'a Clause>,
        overrides: &[LinkOverride],
    ) -> LinkTable {
        Self::auto(matrices, clauses).with_overrides(matrices, overrides)
    }

    /// The automatic links of `clauses` alone.
    pub fn auto<'a>(
        matrices: &Matrices,
        clauses: impl IntoIterator<Item = &'a Clause>,
    ) -> LinkTable {
        let rules = RuleSet::new(matrices);
        let entries: Vec<std::sync::Arc<str>> =
            matrices.entries().map(|e| e.key.as_str().into()).collect();
        let clauses: Vec<&Clause> = clauses.into_iter().collect();
        // Clauses are matched against the rules on every core.
        let found: Vec<Vec<AutoLink>> = clauses.par_iter().map(|c| rules.links(&c.text)).collect();
        let mut auto = AutoLinks {
            masks: (entries.len() <= 64).then(KeyMap::default),
            entries,
            rules: rules.rules.into_iter().map(|(rule, _, _)| rule).collect(),
            ..AutoLinks::default()
        };
        for (c, links) in clauses.into_iter().zip(found) {
            let key = c.key();
            auto.known.insert(key, ());
            if links.is_empty() {
                continue;
            }
            if let Some(masks) = auto.masks.as_mut() {
                let m = links.iter().fold(0u64, |m, l| m | 1 << l.entry);
                *masks.entry(key).or_default() |= m;
            }
            auto.by_key.entry(key).or_default().push(ClauseLinks {
                id: c.id().into(),
                text: std::sync::Arc::clone(&c.text),
                links: links.into_boxed_slice(),
            });
        }
        LinkTable {
            auto: Arc::new(auto),
            changed: KeyMap::default(),
        }
    }

    /// The rule links of every clause with this key, as [`Link`]s.
    fn auto_links_of_key(&self, key: u64) -> Vec<Link> {
        self.auto
            .by_key
            .get(&key)
            .into_iter()
            .flatten()
            .flat_map(|c| c.links.iter().map(|l| self.auto.link(c, l)))
            .collect()
    }

    /// These links with the user's decisions applied on top.
    pub fn with_overrides(&self, matrices: &Matrices, overrides: &[LinkOverride]) -> LinkTable {
        // Entries in matrix order within each clause.
        let order: HashMap<&str, usize> = matrices
            .entries()
            .enumerate()
            .map(|(i, e)| (e.key.as_str(), i))
            .collect();
        let mut changed = self.changed.clone();
        for o in overrides {
            if matrices.entry(&o.entry).is_none_or(|e| e.key != o.entry) {
                continue;
            }
            let key = clause_key(&o.clause_id);
            if !self.auto.known.contains_key(&key) {
                continue;
            }
            let links = changed
                .entry(key)
                .or_insert_with(|| self.auto_links_of_key(key));
            links.retain(|l| l.clause_id != o.clause_id || l.entry != o.entry);
            if o.action == LinkAction::Link {
                links.push(Link {
                    clause_id: o.clause_id.clone(),
                    entry: o.entry.clone(),
                    source: LinkSource::Manual,
                    reason: format!("linked by {} on {}", o.author, day(&o.updated)),
                    confidence: 1.0,
                });
            }
            let at = |l: &Link| order.get(l.entry.as_str()).copied().unwrap_or(usize::MAX);
            links.sort_by(|a, b| (a.clause_id.as_str(), at(a)).cmp(&(b.clause_id.as_str(), at(b))));
        }
        LinkTable {
            auto: Arc::clone(&self.auto),
            changed,
        }
    }

    /// A clause's links, in matrix order (none for an unknown clause).
    pub fn of(&self, clause_id: &str) -> Vec<Link> {
        match self.links_of(clause_id) {
            Found::Changed(links) => links.cloned().collect(),
            Found::Auto(links) => links.map(|(c, l)| self.auto.link(c, l)).collect(),
        }
    }

    /// The keys of the entries `clause_id` is linked to, in the order of
    /// [`LinkTable::of`], without working out the reasons (what a search
    /// hit shows: the reasons quote the clause through each rule's regexes).
    /// The rules' keys are shared, not copied: 200 hits of a term copied
    /// 300 strings.
    pub fn entries_of(&self, clause_id: &str) -> Vec<std::sync::Arc<str>> {
        match self.links_of(clause_id) {
            Found::Changed(links) => links.map(|l| l.entry.as_str().into()).collect(),
            Found::Auto(links) => links
                .map(|(_, l)| std::sync::Arc::clone(&self.auto.entries[l.entry as usize]))
                .collect(),
        }
    }

    /// One clause's links: as the user's decisions left them, or else as
    /// the rules made them.
    fn links_of<'a>(
        &'a self,
        clause_id: &'a str,
    ) -> Found<impl Iterator<Item = &'a Link>, impl Iterator<Item = (&'a ClauseLinks, &'a AutoLink)>>
    {
        let key = clause_key(clause_id);
        match self.changed.get(&key) {
            Some(links) => Found::Changed(links.iter().filter(move |l| l.clause_id == clause_id)),
            None => Found::Auto(
                self.auto
                    .by_key
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .filter(move |c| &*c.id == clause_id)
                    .flat_map(|c| c.links.iter().map(move |l| (c, l))),
            ),
        }
    }

    /// Clause IDs linked to `entry`, sorted.
    pub fn clauses_of(&self, entry: &str) -> Vec<&str> {
        let index = self.auto.entries.iter().position(|e| **e == *entry);
        let auto = self
            .auto
            .by_key
            .iter()
            .filter(|(key, _)| !self.changed.contains_key(key))
            .flat_map(|(_, clauses)| clauses)
            .filter(|c| c.links.iter().any(|l| Some(l.entry as usize) == index))
            .map(|c| &*c.id);
        let manual = self
            .changed
            .values()
            .flatten()
            .filter(|l| l.entry == entry)
            .map(|l| l.clause_id.as_str());
        let mut ids: Vec<&str> = auto.chain(manual).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// The entry keys in bit order: bit `i` of [`LinkTable::rule_bits`]
    /// stands for entry `i`.
    pub fn bit_entries(&self) -> &[std::sync::Arc<str>] {
        &self.auto.entries
    }

    /// The rules' entries of each of a run of clause keys, as bits (see
    /// [`LinkTable::bit_entries`]; 0 for a key without links or no key).
    /// `run` names the run, which must never change under that name (a
    /// passage table's name stands for its passages' first clauses, see
    /// [`crate::index::passages::Passages::run_name`]): the bits are worked
    /// out once per name and kept, so that a search counting the entries of
    /// a hundred thousand matches reads one array instead of looking each
    /// key up in a map of a million. `None` when the
    /// matrices have more than 64 entries.
    pub fn rule_bits(
        &self,
        run: &str,
        keys: impl FnOnce() -> Vec<Option<u64>>,
    ) -> Option<Arc<[u64]>> {
        let masks = self.auto.masks.as_ref()?;
        // A poisoned lock only means another search panicked while filling
        // the cache; the map itself is always whole.
        let mut runs = self.auto.runs.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bits) = runs.get(run) {
            return Some(Arc::clone(bits));
        }
        let bits: Arc<[u64]> = keys()
            .into_iter()
            .map(|k| k.and_then(|k| masks.get(&k).copied()).unwrap_or(0))
            .collect();
        runs.insert(run.to_string(), Arc::clone(&bits));
        Some(bits)
    }

    /// True when the user's decisions changed some clause's links.
    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty()
    }

    /// How many of `clause_ids` link to each entry.
    pub fn counts<'a>(
        &self,
        clause_ids: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, u32> {
        self.counts_by_key(clause_ids.into_iter().map(clause_key))
    }

    /// How many of the clauses with these [`clause_key`]s link to each entry.
    pub fn counts_by_key(&self, keys: impl IntoIterator<Item = u64>) -> BTreeMap<String, u32> {
        let mut counts = self.entry_counts();
        for key in keys {
            self.count_key(&mut counts, key);
        }
        self.finish_counts(counts)
    }

    /// Nothing counted yet, per entry.
    pub fn entry_counts(&self) -> EntryCounts {
        EntryCounts {
            counts: vec![0; self.auto.entries.len()],
            others: BTreeMap::new(),
        }
    }

    /// Count `n` clauses that read alike (one passage's occurrences: the
    /// rules, which read the text, give them all the entries `bits`), with
    /// these `keys`, which are only read when the user's decisions changed
    /// some clause's links.
    pub fn count_alike<I: IntoIterator<Item = u64>>(
        &self,
        counts: &mut EntryCounts,
        bits: u64,
        n: usize,
        keys: impl FnOnce() -> I,
    ) {
        if self.changed.is_empty() {
            return counts.add_bits(bits, n as u32);
        }
        for key in keys() {
            match self.changed.get(&key) {
                Some(links) => counts.add_links(links, &self.auto.entries),
                None => counts.add_bits(bits, 1),
            }
        }
    }

    /// Count a clause by its key alone.
    pub fn count_key(&self, counts: &mut EntryCounts, key: u64) {
        if let Some(links) = self.changed.get(&key) {
            return counts.add_links(links, &self.auto.entries);
        }
        match &self.auto.masks {
            Some(masks) => counts.add_bits(masks.get(&key).copied().unwrap_or(0), 1),
            None => {
                for c in self.auto.by_key.get(&key).into_iter().flatten() {
                    for l in c.links.iter() {
                        counts.counts[l.entry as usize] += 1;
                    }
                }
            }
        }
    }

    /// Counts by entry key, for every entry with at least one.
    pub fn finish_counts(&self, counts: EntryCounts) -> BTreeMap<String, u32> {
        let mut out = counts.others;
        for (e, n) in self.auto.entries.iter().zip(counts.counts) {
            if n > 0 {
                *out.entry(e.to_string()).or_default() += n;
            }
        }
        out
    }
}

/// Matches per matrix entry, counted clause by clause
/// ([`LinkTable::count_alike`], [`LinkTable::count_key`]).
#[derive(Debug, Default)]
pub struct EntryCounts {
    /// Per entry, in [`LinkTable::bit_entries`] order.
    counts: Vec<u32>,
    /// Entries a user's link names that the matrices do not.
    others: BTreeMap<String, u32>,
}

impl EntryCounts {
    /// Add the counts of other clauses.
    pub fn merge(&mut self, other: EntryCounts) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (total, n) in self.counts.iter_mut().zip(other.counts) {
            *total += n;
        }
        for (e, n) in other.others {
            *self.others.entry(e).or_default() += n;
        }
    }

    /// Add `n` to the count of each entry in `bits`.
    fn add_bits(&mut self, mut bits: u64, n: u32) {
        while bits != 0 {
            self.counts[bits.trailing_zeros() as usize] += n;
            bits &= bits - 1;
        }
    }

    fn add_links(&mut self, links: &[Link], entries: &[std::sync::Arc<str>]) {
        for l in links {
            match entries.iter().position(|e| **e == *l.entry) {
                Some(i) => self.counts[i] += 1,
                None => *self.others.entry(l.entry.clone()).or_default() += 1,
            }
        }
    }
}

fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clause::ClauseKind;
    use crate::matrix::Matrix;

    fn clause(id: &str, text: &str) -> Clause {
        let (version, slug, ordinal) = crate::clause::split_id(id).expect("a clause ID");
        Clause {
            version: version.into(),
            section_slug: slug.into(),
            ordinal,
            section: vec!["A".into()].into(),
            pages: Box::default(),
            kind: ClauseKind::Paragraph,
            text: text.into(),
            ocr: None,
        }
    }

    fn matrices() -> Matrices {
        let m = Matrix::parse(
            "m.toml",
            r#"
[matrix]
id = "m"
title = "M"

[[entry]]
id = "rest"
area = "Encryption at rest"
owner = "shared"
provider = "p"
customer = "c"

[[entry.rule]]
any = ["encrypted"]
confidence = 0.5

[[entry.rule]]
any = ["encrypted at rest", "at rest encryption"]
all = ["key"]
confidence = 0.9

[[entry]]
id = "mfa"
area = "MFA"
owner = "customer"
provider = "p"
customer = "c"

[[entry.rule]]
any = ["multi-factor authentication"]
confidence = 0.9
"#,
        )
        .unwrap();
        Matrices { matrices: vec![m] }
    }

    /// Ana's decision to link or unlink a clause and an entry.
    fn o(clause_id: &str, entry: &str, action: LinkAction) -> LinkOverride {
        LinkOverride {
            clause_id: clause_id.into(),
            entry: entry.into(),
            action,
            author: "ana".into(),
            updated: "2026-01-02T03:04:05Z".into(),
        }
    }

    /// The rules' links of one clause.
    fn auto_links(m: &Matrices, c: &Clause) -> Vec<Link> {
        LinkTable::auto(m, [c]).of(&c.id())
    }

    #[test]
    fn the_best_rule_wins_and_says_why() {
        let m = matrices();
        let l = auto_links(
            &m,
            &clause("v@1/a/1", "Data is encrypted at rest with a managed key."),
        );
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].entry, "m/rest");
        assert_eq!(l[0].confidence, 0.9);
        assert_eq!(
            l[0].reason,
            "rule 2 matched \u{201C}encrypted at rest\u{201D}, \u{201C}key\u{201D}"
        );
        let l = auto_links(&m, &clause("v@1/a/1", "Data is encrypted at rest."));
        assert_eq!(
            (l[0].confidence, l[0].reason.as_str()),
            (0.5, "rule 1 matched \u{201C}encrypted\u{201D}")
        );
        assert!(auto_links(&m, &clause("v@1/a/1", "Nothing relevant.")).is_empty());
    }

    #[test]
    fn manual_decisions_add_and_hide_links_and_ignore_unknowns() {
        let m = matrices();
        let cs = [
            clause("v@1/a/1", "Data is encrypted at rest."),
            clause("v@1/a/2", "Admins use passwords."),
        ];
        let t = LinkTable::build(
            &m,
            &cs,
            &[
                o("v@1/a/1", "m/rest", LinkAction::Unlink),
                o("v@1/a/2", "m/mfa", LinkAction::Link),
                o("v@1/gone/1", "m/mfa", LinkAction::Link),
                o("v@1/a/2", "m/gone", LinkAction::Link),
            ],
        );
        assert!(t.of("v@1/a/1").is_empty());
        let l = t.of("v@1/a/2");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].source, LinkSource::Manual);
        assert_eq!(l[0].reason, "linked by ana on 2026-01-02");
        assert_eq!(t.clauses_of("m/mfa"), ["v@1/a/2"]);
        assert_eq!(t.counts(["v@1/a/1", "v@1/a/2"]).get("m/mfa"), Some(&1));
    }

    #[test]
    fn entries_of_a_clause_are_the_entries_of_its_links() {
        let m = matrices();
        let cs = [
            clause(
                "v@1/a/1",
                "Data is encrypted at rest with a key; multi-factor authentication.",
            ),
            clause("v@1/a/2", "Admins use passwords."),
            clause("v@1/a/3", "Backups are encrypted."),
        ];
        let t = LinkTable::build(
            &m,
            &cs,
            &[
                o("v@1/a/1", "m/mfa", LinkAction::Unlink),
                o("v@1/a/2", "m/mfa", LinkAction::Link),
            ],
        );
        let entries = |id: &str| t.of(id).into_iter().map(|l| l.entry).collect::<Vec<_>>();
        let keys = |id: &str| {
            t.entries_of(id)
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(keys("v@1/a/1"), ["m/rest"]);
        for c in &cs {
            let id = c.id();
            assert_eq!(keys(&id), entries(&id), "{id}");
        }
        assert!(t.entries_of("v@1/gone/1").is_empty());
    }
}
