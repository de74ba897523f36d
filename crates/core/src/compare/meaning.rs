//! Cards from statements: a card is a change of statements between two
//! versions. Statements are matched across aligned clauses first and then
//! across the whole document, so a commitment that moved to another
//! section stays the same commitment; what differs between two matched
//! statements (force, party, times, conditions, exceptions, places) is the
//! change, and a statement on one side only is an addition or a removal.
//! The same commitment worded differently makes no card.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};

use super::cards::{ChangeCard, ChangeKind, Direction, Evidence, Span};
use super::summary::{self, Diff};
use crate::clause::Clause;
use crate::lexicon::Severity;
use crate::statements::{Force, Party, QualifierKind, Statement, Statements, Vocab};

/// What [`cards`] needs: both versions' statements and clauses.
pub struct Sides<'a> {
    /// The old version's statements.
    pub old: &'a Statements,
    /// The new version's.
    pub new: &'a Statements,
    /// Clause by ID, old side.
    pub old_clause: &'a (dyn Fn(&str) -> Option<&'a Clause> + Sync),
    /// Clause by ID, new side.
    pub new_clause: &'a (dyn Fn(&str) -> Option<&'a Clause> + Sync),
    /// The vocabulary (topic names and severities).
    pub vocab: &'a Vocab,
    /// The lexicon (the strength of words like "promptly").
    pub lexicon: &'a crate::lexicon::Lexicon,
}

/// One group of clauses the alignment paired (old IDs, new IDs).
pub type Group<'a> = (&'a [String], &'a [String]);

/// The statement cards of a comparison, and the clause IDs whose changes
/// they explain. `groups` are the aligned pairs whose text changed (and
/// the added and removed clauses); `skip` are clauses handled elsewhere
/// (table rows).
pub fn cards(
    sides: &Sides<'_>,
    groups: &[Group<'_>],
    skip: &FxHashSet<String>,
) -> (Vec<ChangeCard>, FxHashSet<String>) {
    let mut group_of: FxHashMap<&str, usize> = FxHashMap::default();
    for (g, (o, n)) in groups.iter().enumerate() {
        for id in o.iter().chain(n.iter()) {
            group_of.insert(id, g);
        }
    }
    let pick = |all: &'_ [Statement]| -> Vec<usize> {
        (0..all.len())
            .filter(|&k| {
                group_of.contains_key(all[k].clause_id.as_str())
                    && !skip.contains(&all[k].clause_id)
            })
            .filter(|&k| !all[k].action.is_empty())
            .collect()
    };
    let (olds, news) = (pick(&sides.old.all), pick(&sides.new.all));
    let mut bags = Bags::default();
    let matched = match_statements(sides, &olds, &news, &group_of, &mut bags);
    let used_old: FxHashSet<usize> = matched.iter().map(|m| m.0).collect();
    let used_new: FxHashSet<usize> = matched.iter().map(|m| m.1).collect();
    // The matched pairs' cards and each side's lone statements' cards are
    // independent: worked out side by side.
    let changed = || -> Vec<ChangeCard> {
        matched
            .iter()
            .filter_map(|&(o, n)| changed_card(sides, &sides.old.all[o], &sides.new.all[n]))
            .collect()
    };
    let lone = |side: &[usize],
                pool: &[Statement],
                other: &[Statement],
                used: &FxHashSet<usize>,
                added: bool| {
        let index = Said::index(other);
        let lone: Vec<&Statement> = side
            .iter()
            .filter(|k| !used.contains(*k))
            .map(|&k| &pool[k])
            .filter(|s| !index.says(s, other))
            .collect();
        (
            lone_cards(sides, &lone, added),
            lone.iter().map(|s| s.clause_id.clone()).collect::<Vec<_>>(),
        )
    };
    let (mut cards, ((removed, gone), (added, new_ids))) = rayon::join(changed, || {
        rayon::join(
            || lone(&olds, &sides.old.all, &sides.new.all, &used_old, false),
            || lone(&news, &sides.new.all, &sides.old.all, &used_new, true),
        )
    });
    let mut explained: FxHashSet<String> = cards
        .iter()
        .flat_map(|c| [&c.before, &c.after])
        .flatten()
        .map(|e| e.clause_id.clone())
        .collect();
    explained.extend(gone);
    explained.extend(new_ids);
    cards.extend(removed);
    cards.extend(added);
    (cards, explained)
}

/// A topic with this many statements only one side has gets one card for
/// all of them: a restructured document would otherwise give a card per
/// sentence, and a reviewer reads the topic's change as one.
const GROUP_AT: usize = 4;

/// Cards for the statements only one side has: one each, or one per topic
/// when a topic has [`GROUP_AT`] or more.
fn lone_cards(sides: &Sides<'_>, lone: &[&Statement], added: bool) -> Vec<ChangeCard> {
    let mut by_topic: Vec<(Option<&str>, Vec<&Statement>)> = Vec::new();
    let mut cards = Vec::new();
    for s in lone {
        // A deadline, a period or an exception is a term a reviewer acts
        // on: such a statement keeps a card of its own.
        let specific = s
            .qualifiers
            .iter()
            .any(|q| q.hours.is_some() || q.kind == QualifierKind::Exception);
        if specific {
            cards.push(lone_card(sides, s, added));
            continue;
        }
        match by_topic.iter_mut().find(|(t, _)| *t == s.topic.as_deref()) {
            Some((_, v)) => v.push(s),
            None => by_topic.push((s.topic.as_deref(), vec![s])),
        }
    }
    for (topic, all) in by_topic {
        if all.len() < GROUP_AT {
            cards.extend(all.iter().map(|s| lone_card(sides, s, added)));
            continue;
        }
        // The strongest statement's card, widened to the whole group.
        let lead = all
            .iter()
            .max_by_key(|s| (duty_weight(s.force, s.strength) * 10.0) as u32)
            .copied()
            .unwrap_or(all[0]);
        let mut card = lone_card(sides, lead, added);
        card.kind = if added {
            ChangeKind::StatementsAdded
        } else {
            ChangeKind::StatementsRemoved
        };
        card.summary = summary::group(sides.vocab, topic, &all, added);
        card.direction = Direction::Unclear;
        card.statements = all.iter().map(|s| (*s).clone()).collect();
        cards.push(card);
    }
    cards
}

/// The other version's statements by verb and party, to ask whether it
/// says the same thing somewhere ([`Said::says`]).
struct Said<'a> {
    by_verb: FxHashMap<(&'a str, Party), Vec<usize>>,
}

impl<'a> Said<'a> {
    fn index(other: &'a [Statement]) -> Said<'a> {
        let mut by_verb: FxHashMap<(&str, Party), Vec<usize>> = FxHashMap::default();
        for (k, o) in other.iter().enumerate() {
            by_verb
                .entry((o.action_stem.as_str(), o.party))
                .or_default()
                .push(k);
        }
        Said { by_verb }
    }

    /// Whether `other` (the indexed statements) says what `s` says: the
    /// same party, force, action, object and topic, with timing the other's
    /// covers (its conditions may differ: the same duty restated for
    /// another occasion is not a new one). Then a statement that seems added
    /// or removed only moved or was repeated.
    fn says(&self, s: &Statement, other: &[Statement]) -> bool {
        let Some(candidates) = self.by_verb.get(&(s.action_stem.as_str(), s.party)) else {
            return false;
        };
        let times = |x: &Statement| -> Vec<String> {
            x.of_kind(QualifierKind::Time)
                .map(|q| q.text.to_lowercase())
                .collect()
        };
        let (mine, own) = (times(s), object(s));
        candidates.iter().map(|&k| &other[k]).any(|o| {
            let theirs = times(o);
            summary::same_force(o, s)
                && o.topic == s.topic
                && object(o) == own
                // Its timing is all in the other's ("without undue delay"
                // in "promptly and without undue delay").
                && mine.iter().all(|t| theirs.contains(t))
        })
    }
}

/// A statement's object words, stemmed (as read, or worked out now).
fn object(x: &Statement) -> std::borrow::Cow<'_, [String]> {
    match &x.words {
        Some(w) => std::borrow::Cow::Borrowed(&w.0[..]),
        None => std::borrow::Cow::Owned(words(&x.object).into_iter().collect()),
    }
}

/// Word bags of statements, as sorted numbers of interned stems: two
/// thousand statements compared with two thousand others would otherwise
/// compare strings.
#[derive(Default)]
struct Bags {
    ids: FxHashMap<String, u32>,
}

impl Bags {
    /// The sorted, distinct word numbers of stemmed words.
    fn of(&mut self, stems: &[String]) -> Vec<u32> {
        let mut v: Vec<u32> = stems
            .iter()
            .map(|w| match self.ids.get(w.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.ids.len() as u32;
                    self.ids.insert(w.clone(), id);
                    id
                }
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// A statement's object and sentence bags (its words as read, or
    /// worked out now for a statement made elsewhere).
    fn statement<'a>(
        &mut self,
        clause: &dyn Fn(&str) -> Option<&'a Clause>,
        s: &Statement,
    ) -> (Vec<u32>, Vec<u32>) {
        match &s.words {
            Some(w) => (self.of(&w.0), self.of(&w.1)),
            None => {
                let stems = |t: &str| words(t).into_iter().collect::<Vec<_>>();
                (
                    self.of(&stems(&s.object)),
                    self.of(&stems(&sentence(clause, s))),
                )
            }
        }
    }
}

/// |a ∩ b| / |a ∪ b| of two sorted, distinct lists; 0 for two empty ones.
fn overlap(a: &[u32], b: &[u32]) -> f32 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f32 / union as f32
    }
}

/// Pairs of statements (old index, new index) that are the same
/// commitment: greedy by score, best first; a pair must score at least
/// [`MATCH_AT`].
/// Where to look for an old statement's match among the new ones: those
/// in the same aligned pair, and those elsewhere with the same verb (a
/// moved commitment keeps its verb).
#[allow(clippy::type_complexity)]
fn candidate_index<'s>(
    sides: &'s Sides<'_>,
    new_words: &[Candidate],
) -> (FxHashMap<usize, Vec<usize>>, FxHashMap<&'s str, Vec<usize>>) {
    let mut by_group: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    let mut by_verb: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (k, (n, _, _, g)) in new_words.iter().enumerate() {
        if let Some(g) = g {
            by_group.entry(*g).or_default().push(k);
        }
        by_verb
            .entry(sides.new.all[*n].action_stem.as_str())
            .or_default()
            .push(k);
    }
    (by_group, by_verb)
}

/// A new statement as matching sees it: its number, object and sentence
/// bags, and its aligned pair.
type Candidate = (usize, Vec<u32>, Vec<u32>, Option<usize>);

fn match_statements(
    sides: &Sides<'_>,
    olds: &[usize],
    news: &[usize],
    group_of: &FxHashMap<&str, usize>,
    bags: &mut Bags,
) -> Vec<(usize, usize)> {
    let mut scored: Vec<(f32, usize, usize)> = Vec::new();
    let new_words: Vec<Candidate> = news
        .iter()
        .map(|&n| {
            let s = &sides.new.all[n];
            let (o, t) = bags.statement(sides.new_clause, s);
            (n, o, t, group_of.get(s.clause_id.as_str()).copied())
        })
        .collect();
    let (by_group, by_verb) = candidate_index(sides, &new_words);
    for &o in olds {
        let a = &sides.old.all[o];
        let (ao, at) = bags.statement(sides.old_clause, a);
        let ga = group_of.get(a.clause_id.as_str()).copied();
        let mut candidates: Vec<usize> = ga
            .and_then(|g| by_group.get(&g))
            .cloned()
            .unwrap_or_default();
        candidates.extend(by_verb.get(a.action_stem.as_str()).into_iter().flatten());
        candidates.sort_unstable();
        candidates.dedup();
        for k in candidates {
            let (n, bo, bt, gb) = &new_words[k];
            let b = &sides.new.all[*n];
            let same_group = ga.is_some() && ga == *gb;
            let sentence = overlap(&at, bt);
            // Statements in clauses the alignment did not pair are the same
            // commitment only when their sentences are much alike: the
            // same verb and object in another place ("notify the customer")
            // may be another duty on another occasion.
            if !same_group && sentence < CROSS_SENTENCE_AT {
                continue;
            }
            let mut score = 3.0 * sentence + 2.0 * overlap(&ao, bo);
            score += if a.action_stem == b.action_stem {
                2.5
            } else {
                0.0
            };
            score += if a.topic == b.topic && a.topic.is_some() {
                1.0
            } else {
                0.0
            };
            score += if same_group { 1.5 } else { 0.0 };
            if score >= MATCH_AT {
                scored.push((score, o, *n));
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_o, mut used_n) = (FxHashSet::default(), FxHashSet::default());
    let mut out = Vec::new();
    for (_, o, n) in scored {
        if used_o.contains(&o) || used_n.contains(&n) {
            continue;
        }
        used_o.insert(o);
        used_n.insert(n);
        out.push((o, n));
    }
    out
}

/// How alike two sentences in unpaired clauses must be (share of their
/// content words) to hold the same commitment.
const CROSS_SENTENCE_AT: f32 = 0.4;

/// The score at which two statements are one commitment: the same verb in
/// aligned clauses with some words in common, or much the same sentence.
const MATCH_AT: f32 = 4.0;

pub(crate) use crate::statements::content_words as words;

/// A statement's sentence as its clause writes it.
fn sentence<'a>(clause: &dyn Fn(&str) -> Option<&'a Clause>, s: &Statement) -> String {
    clause(&s.clause_id)
        .and_then(|c| {
            c.text
                .get(s.start as usize..s.end as usize)
                .map(str::to_string)
        })
        .unwrap_or_default()
}

fn sentence_words<'a>(
    clause: &dyn Fn(&str) -> Option<&'a Clause>,
    s: &Statement,
) -> BTreeSet<String> {
    clause(&s.clause_id)
        .and_then(|c| c.text.get(s.start as usize..s.end as usize))
        .map(words)
        .unwrap_or_default()
}

/// |a ∩ b| / |a ∪ b|, 0 for two empty sets.
pub(crate) fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f32 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f32 / union as f32
}

/// The card for two matched statements that differ, if they do.
fn changed_card(sides: &Sides<'_>, a: &Statement, b: &Statement) -> Option<ChangeCard> {
    let words_there = sentence_words(sides.new_clause, b);
    let verb_gone = !words(&a.action)
        .iter()
        .chain(words(&a.lemma).iter())
        .any(|w| words_there.contains(w));
    let d = summary::diff_of(a, b, a.action_stem == b.action_stem || verb_gone)?;
    let topic = b.topic.as_deref().or(a.topic.as_deref());
    let (kind, direction) = kind_of_change(sides.lexicon, &d, a, b);
    Some(ChangeCard {
        kind,
        summary: summary::changed(sides.vocab, topic, a, b, &d),
        severity: severity(sides.vocab, topic, kind),
        direction,
        before: evidence(sides.old_clause, a, &changed_words(&d, true)),
        after: evidence(sides.new_clause, b, &changed_words(&d, false)),
        topic: topic.map(str::to_string),
        party: Some(b.party),
        statements: vec![a.clone(), b.clone()],
    })
}

/// A card for a statement only one version has.
fn lone_card(sides: &Sides<'_>, s: &Statement, added: bool) -> ChangeCard {
    let kind = match (s.force, s.party, added) {
        (Force::Obligation, Party::Provider, true) => ChangeKind::CommitmentAdded,
        (Force::Obligation, Party::Provider, false) => ChangeKind::CommitmentRemoved,
        (Force::Obligation, _, true) => ChangeKind::ObligationAdded,
        (Force::Obligation, _, false) => ChangeKind::ObligationRemoved,
        (Force::Prohibition, _, true) | (Force::Permission, _, false) => {
            ChangeKind::RestrictionTightened
        }
        (Force::Prohibition, _, false) | (Force::Permission, _, true) => {
            ChangeKind::RestrictionRelaxed
        }
        (Force::Practice, _, true) => ChangeKind::PracticeAdded,
        (Force::Practice, _, false) => ChangeKind::PracticeRemoved,
        (Force::Disclaimer, _, true) => ChangeKind::DisclaimerAdded,
        (Force::Disclaimer, _, false) => ChangeKind::DisclaimerRemoved,
    };
    let duty = duty_weight(s.force, s.strength) > 1.5;
    let direction = match (s.party, duty == added) {
        (Party::Provider, true) => Direction::FavoursCustomer,
        (Party::Provider, false) => Direction::FavoursProvider,
        (Party::Customer, true) => Direction::FavoursProvider,
        (Party::Customer, false) => Direction::FavoursCustomer,
        (Party::ThirdParty, _) => Direction::Neutral,
        (Party::Unknown, _) => Direction::Unclear,
    };
    let topic = s.topic.as_deref();
    let ev = match added {
        true => (None, evidence(sides.new_clause, s, &[])),
        false => (evidence(sides.old_clause, s, &[]), None),
    };
    ChangeCard {
        kind,
        summary: summary::lone(sides.vocab, topic, s, added),
        severity: severity(sides.vocab, topic, kind),
        direction,
        before: ev.0,
        after: ev.1,
        topic: topic.map(str::to_string),
        party: Some(s.party),
        statements: vec![s.clone()],
    }
}

/// The qualifier words that differ, on the old side (`before`) or the new.
fn changed_words(d: &Diff, before: bool) -> Vec<String> {
    let pick = |p: &(Vec<String>, Vec<String>)| if before { p.0.clone() } else { p.1.clone() };
    [
        &d.times,
        &d.conditions,
        &d.exceptions,
        &d.locations,
        &d.means,
    ]
    .into_iter()
    .flat_map(pick)
    .collect()
}

/// How much duty a force carries for its party: a prohibition and a strict
/// obligation most, a disclaimer none.
pub(crate) fn duty_weight(force: Force, strength: u8) -> f32 {
    match force {
        Force::Obligation => 1.0 + f32::from(strength.clamp(1, 3)),
        Force::Prohibition => 4.0,
        Force::Practice => 3.0,
        Force::Permission => 1.0,
        Force::Disclaimer => 0.0,
    }
}

/// The kind and direction of a change between matched statements.
fn kind_of_change(
    lexicon: &crate::lexicon::Lexicon,
    d: &Diff,
    a: &Statement,
    b: &Statement,
) -> (ChangeKind, Direction) {
    let favours = |provider_gains: bool, party: Party| match (party, provider_gains) {
        (Party::Provider, true) | (Party::Customer, false) => Direction::FavoursProvider,
        (Party::Provider, false) | (Party::Customer, true) => Direction::FavoursCustomer,
        _ => Direction::Unclear,
    };
    if d.party {
        let to_customer = b.party == Party::Customer && a.party == Party::Provider;
        let dir = if to_customer {
            Direction::FavoursProvider
        } else {
            Direction::Unclear
        };
        return (ChangeKind::ResponsibilityShifted, dir);
    }
    if d.force {
        let (wa, wb) = (
            duty_weight(a.force, a.strength),
            duty_weight(b.force, b.strength),
        );
        let kind = match (a.force, b.force) {
            (Force::Prohibition, _) => ChangeKind::RestrictionRelaxed,
            (_, Force::Prohibition) => ChangeKind::RestrictionTightened,
            _ if wb < wa => ChangeKind::ObligationWeakened,
            _ => ChangeKind::ObligationStrengthened,
        };
        return (kind, favours(wb < wa, b.party));
    }
    let loosened = !d.exceptions.1.is_empty() || !d.conditions.0.is_empty();
    let tightened = !d.exceptions.0.is_empty() || !d.conditions.1.is_empty();
    if loosened || tightened {
        // A condition on a permission limits it; on a duty it excuses it.
        let duty = duty_weight(b.force, b.strength) > 1.5;
        let provider_gains = if duty {
            !d.conditions.1.is_empty() || !d.exceptions.1.is_empty()
        } else {
            !d.conditions.0.is_empty() || !d.exceptions.0.is_empty()
        };
        let kind = if provider_gains == (b.party == Party::Provider) {
            ChangeKind::RestrictionRelaxed
        } else {
            ChangeKind::RestrictionTightened
        };
        return (kind, favours(provider_gains, b.party));
    }
    if d.times.0.len() + d.times.1.len() > 0 {
        return match urgency(lexicon, a).zip(urgency(lexicon, b)) {
            Some((ua, ub)) if ub < ua => (ChangeKind::ObligationWeakened, favours(true, b.party)),
            Some((ua, ub)) if ub > ua => {
                (ChangeKind::ObligationStrengthened, favours(false, b.party))
            }
            _ => (ChangeKind::DeadlineChanged, summary::time_direction(a, b)),
        };
    }
    if d.locations.0.is_empty() && d.locations.1.is_empty() {
        return (ChangeKind::MeansChanged, Direction::Unclear);
    }
    (ChangeKind::LocationChanged, Direction::Unclear)
}

/// How urgent a statement's timing is: a fixed upper deadline most (5),
/// then the lexicon's qualifiers ("immediately" 4, "promptly" 3, "without
/// undue delay" 2); `None` when it names no timing of that kind.
fn urgency(lexicon: &crate::lexicon::Lexicon, s: &Statement) -> Option<u8> {
    s.of_kind(QualifierKind::Time)
        .filter_map(|q| match (q.hours, q.bound) {
            (Some(_), Some(crate::lexicon::Bound::Upper)) => Some(5),
            (Some(_), _) => None,
            (None, _) => lexicon
                .qualifiers
                .iter()
                .find(|w| w.phrase.text.eq_ignore_ascii_case(q.text.trim()))
                .map(|w| w.value),
        })
        .max()
}

/// A card's severity: its topic's, a notch lower for a stated practice
/// that appears (a new protection described, not promised).
fn severity(vocab: &Vocab, topic: Option<&str>, kind: ChangeKind) -> Severity {
    let base = topic
        .and_then(|t| vocab.topic(t))
        .map_or(Severity::Medium, |t| t.severity);
    match (kind, base) {
        (ChangeKind::PracticeAdded, Severity::High) => Severity::Medium,
        (ChangeKind::PracticeAdded, _) => Severity::Low,
        _ => base,
    }
}

/// A statement's evidence: its clause, with `marks` (the words that
/// changed: a deadline, a condition) highlighted where the statement has
/// them, else the statement's own words.
fn evidence<'a>(
    clause: &dyn Fn(&str) -> Option<&'a Clause>,
    s: &Statement,
    marks: &[String],
) -> Option<Evidence> {
    let c = clause(&s.clause_id)?;
    let (start, end) = (s.start as usize, (s.end as usize).min(c.text.len()));
    let own = c.text.get(start..end)?;
    let mut spans: Vec<Span> = marks
        .iter()
        .filter_map(|m| own.find(m.as_str()).map(|at| (start + at, m)))
        .map(|(at, m)| Span {
            start: at as u32,
            end: (at + m.len()) as u32,
            text: m.clone(),
        })
        .collect();
    if spans.is_empty() {
        spans.push(Span {
            start: start as u32,
            end: end as u32,
            text: own.to_string(),
        });
    }
    spans.sort_by_key(|x| x.start);
    spans.dedup();
    Some(Evidence {
        clause_id: s.clause_id.clone(),
        text: c.text.to_string(),
        spans,
    })
}

/// Qualifier texts of a kind, as a summary shows them.
pub(crate) fn texts(s: &Statement, kind: QualifierKind) -> Vec<String> {
    s.of_kind(kind).map(|q| q.text.clone()).collect()
}
