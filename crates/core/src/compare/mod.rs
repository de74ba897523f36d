//! Comparing two versions: what changed, and what it means.
//!
//! [`compare`] aligns the versions ([`align`]), computes a word redline for
//! every changed pair ([`redline`]) and types each change as a card
//! ([`cards`]) with the lexicon's vocabulary. [`report_markdown`] and
//! [`report_html`] turn the result into something a user can send on.

pub mod align;
pub mod cards;
pub mod editorial;
pub mod leftovers;
pub mod meaning;
pub mod redline;
pub mod summary;
pub mod tables;
pub mod view;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use self::align::{AlignedPair, PairStatus, SectionStatus};
use self::cards::{ChangeCard, Context};
use self::redline::RedlinePart;
use crate::clause::Clause;
use crate::corpus::{Version, VersionInfo};
use crate::lexicon::Lexicon;
use crate::statements::Statements;
use crate::text::{html_escape, md_escape};

/// An aligned pair with its redline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PairView {
    /// The pair.
    #[serde(flatten)]
    pub pair: AlignedPair,
    /// Word redline old → new (empty when the text did not change).
    pub redline: Vec<RedlinePart>,
}

/// The result of comparing two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Comparison {
    /// The older version.
    pub old: VersionInfo,
    /// The newer version.
    pub new: VersionInfo,
    /// Things to know about this comparison (same version, other document...).
    pub warnings: Vec<String>,
    /// Each version's regulatory flags (the old one's first; one entry when
    /// a version is compared with itself). Filled in by the caller, which
    /// knows the timeline: [`compare`] leaves it empty.
    #[serde(default)]
    pub flags: Vec<crate::timeline::VersionFlags>,
    /// Typed changes, most important first, then in document order.
    pub changes: Vec<ChangeCard>,
    /// Changes that alter no statement (dates, links, typography,
    /// rewording), collapsed into one group.
    #[serde(default)]
    pub editorial: editorial::EditorialGroup,
    /// The names of the cards' topics, by topic ID ("breach-notification"
    /// → "Breach notification").
    #[serde(default)]
    pub topic_names: BTreeMap<String, String>,
    /// Section pairs.
    pub sections: Vec<align::SectionPair>,
    /// Clause pairs with redlines, in new-document order.
    pub alignment: Vec<PairView>,
    /// How many pairs of each status.
    pub counts: BTreeMap<String, u32>,
}

/// Clauses by the key of their ID, for the pairs' lookups (a linear search
/// per pair would make a long document's compare quadratic; keys, because
/// a clause's ID is built when asked for).
pub(crate) struct ById<'a> {
    version: &'a Version,
    by_key: rustc_hash::FxHashMap<u64, &'a Clause>,
}

impl<'a> ById<'a> {
    pub(crate) fn new(version: &'a Version) -> Self {
        let by_key = version.doc.clauses.iter().map(|c| (c.key(), c)).collect();
        ById { version, by_key }
    }

    /// The clause with this ID (should two IDs of the version share a key,
    /// a scan finds the right one; every clause's key is in the map, so a
    /// key that is not has no clause).
    pub(crate) fn one(&self, id: &str) -> Option<&'a Clause> {
        match self.by_key.get(&crate::clause::clause_key(id)) {
            Some(c) if c.has_id(id) => Some(c),
            Some(_) => self.version.doc.clauses.iter().find(|c| c.has_id(id)),
            None => None,
        }
    }

    pub(crate) fn get(&self, ids: &[String]) -> Vec<&'a Clause> {
        ids.iter().filter_map(|id| self.one(id)).collect()
    }
}

/// A framework card's evidence is the first clause on each side that names
/// the framework. When the before clause was aligned with a new clause that
/// names the new framework too, that clause is the better "after": the two
/// sides of the card then sit in one row of the side-by-side view.
fn prefer_aligned_evidence(cards: &mut [ChangeCard], pairs: &[AlignedPair], new: &ById<'_>) {
    for card in cards {
        let (Some(before), Some(after)) = (&card.before, &mut card.after) else {
            continue;
        };
        let Some(pair) = pairs.iter().find(|p| p.old.contains(&before.clause_id)) else {
            continue;
        };
        if pair.new.contains(&after.clause_id) {
            continue;
        }
        for clause in new.get(&pair.new) {
            let mut spans = Vec::with_capacity(after.spans.len());
            let mut from = 0;
            for s in &after.spans {
                let found = clause.text[from..]
                    .find(&s.text)
                    .map(|p| p + from)
                    .or_else(|| clause.text.find(&s.text));
                let Some(start) = found else {
                    spans.clear();
                    break;
                };
                from = start + s.text.len();
                spans.push(cards::Span {
                    start: start as u32,
                    end: from as u32,
                    text: s.text.clone(),
                });
            }
            if !spans.is_empty() {
                spans.sort_by_key(|s| s.start);
                spans.dedup();
                *after = cards::Evidence {
                    clause_id: clause.id(),
                    text: clause.text.to_string(),
                    spans,
                };
                break;
            }
        }
    }
}

/// What a reader should know before reading the comparison of `old` with
/// `new`: a version compared with itself, versions of different documents,
/// an empty version, or the two given out of date order.
fn warnings(old: &Version, new: &Version) -> Vec<String> {
    let mut warnings = Vec::new();
    if old.info.id == new.info.id {
        warnings.push(format!(
            "{} is compared with itself: there are no changes",
            old.info.id
        ));
    }
    if old.info.document_id != new.info.document_id {
        warnings.push(format!(
            "these are versions of different documents ({} and {}): the alignment shows what they share, not how one became the other",
            old.info.document_id, new.info.document_id
        ));
    }
    for v in [old, new] {
        if v.doc.clauses.is_empty() {
            warnings.push(format!(
                "{} has no clauses: everything in the other version shows as added or removed",
                v.info.id
            ));
        }
    }
    if old.info.date > new.info.date {
        warnings.push(format!(
            "{} is older than {}: changes are shown from the first to the second as given",
            new.info.id, old.info.id
        ));
    }
    warnings
}

/// Compare two versions with a lexicon.
pub fn compare(lexicon: &Lexicon, old: &Version, new: &Version) -> Comparison {
    let warnings = warnings(old, new);
    let vocab = &*lexicon.statements;
    let (alignment, (st_old, st_new), mut changes, (old_ids, new_ids)) =
        read_both(lexicon, old, new);
    prefer_aligned_evidence(&mut changes, &alignment.pairs, &new_ids);
    let redlines = redlines(&alignment.pairs, &old_ids, &new_ids);
    let tables = tables::compare(lexicon, &old.doc.clauses, &new.doc.clauses);
    // A framework named in a table row is that row's entity: its card.
    changes.retain(|c| {
        ![&c.before, &c.after]
            .into_iter()
            .flatten()
            .all(|e| tables.rows.contains(&e.clause_id))
    });
    let groups: Vec<meaning::Group<'_>> = alignment
        .pairs
        .iter()
        .filter(|p| changed(p))
        .map(|p| (&p.old[..], &p.new[..]))
        .collect();
    let (old_clause, new_clause) = (|id: &str| old_ids.one(id), |id: &str| new_ids.one(id));
    let sides = meaning::Sides {
        old: &st_old,
        new: &st_new,
        old_clause: &old_clause,
        new_clause: &new_clause,
        vocab,
        lexicon,
    };
    let (statement_cards, explained) = meaning::cards(&sides, &groups, &tables.rows);
    changes.extend(tables.cards);
    changes.extend(statement_cards);
    let rest = Rest {
        sides: &sides,
        explained: &explained,
        tables: &tables.rows,
        old_ids: &old_ids,
        new_ids: &new_ids,
    };
    let (views, counts, editorial) = rest.settle(alignment.pairs, redlines, &mut changes);
    finish(&mut changes);
    let topic_names = changes
        .iter()
        .filter_map(|c| c.topic.as_deref())
        .filter_map(|t| vocab.topic(t))
        .map(|t| (t.id.clone(), t.name.clone()))
        .collect();
    Comparison {
        old: old.info.clone(),
        new: new.info.clone(),
        warnings,
        flags: Vec::new(),
        changes,
        editorial,
        topic_names,
        sections: alignment.sections,
        alignment: views,
        counts,
    }
}

/// What a compare reads from both versions, side by side (each part is
/// independent of the others): the alignment, each version's statements,
/// the framework cards and the clause lookups.
#[allow(clippy::type_complexity)]
fn read_both<'v>(
    lexicon: &Lexicon,
    old: &'v Version,
    new: &'v Version,
) -> (
    align::Alignment,
    (std::sync::Arc<Statements>, std::sync::Arc<Statements>),
    Vec<ChangeCard>,
    (ById<'v>, ById<'v>),
) {
    let ctx = Context::new(lexicon);
    let vocab = &*lexicon.statements;
    let old_all: Vec<&Clause> = old.doc.clauses.iter().collect();
    let new_all: Vec<&Clause> = new.doc.clauses.iter().collect();
    let ((alignment, statements), (changes, ids)) = rayon::join(
        || {
            rayon::join(
                || align::align(&old.doc, &new.doc),
                || {
                    rayon::join(
                        || Statements::with(lexicon, vocab, old),
                        || Statements::with(lexicon, vocab, new),
                    )
                },
            )
        },
        || {
            (
                cards::framework_cards(&ctx, &old_all, &new_all),
                (ById::new(old), ById::new(new)),
            )
        },
    );
    (alignment, statements, changes, ids)
}

/// Each pair's word redline (empty when its text did not change), worked
/// out in parallel.
fn redlines(
    pairs: &[AlignedPair],
    old_ids: &ById<'_>,
    new_ids: &ById<'_>,
) -> Vec<Vec<RedlinePart>> {
    pairs
        .par_iter()
        .map(|pair| {
            let (o, n) = (old_ids.get(&pair.old), new_ids.get(&pair.new));
            match pair.text_changed && !o.is_empty() && !n.is_empty() {
                true => redline::redline(&cards::joined_text(&o), &cards::joined_text(&n)),
                false => Vec::new(),
            }
        })
        .collect()
}

/// The cards in their final order: one card per thing said (the same
/// statement in two clauses says it once), most important first, and in
/// document order within a level (the sort is stable).
fn finish(changes: &mut Vec<ChangeCard>) {
    let mut seen = rustc_hash::FxHashSet::default();
    // Two cards are one when they say the same thing of the same text.
    let text = |e: &Option<cards::Evidence>| e.as_ref().map(|e| e.text.clone());
    changes.retain(|c| seen.insert((c.kind, c.summary.clone(), text(&c.before), text(&c.after))));
    changes.sort_by_key(|c| std::cmp::Reverse(c.severity));
}

/// Whether a changed passage is editorial: a list marker or clause number
/// ("1.", "b)"), or an abbreviation spelled out or shortened ("LXC" ↔
/// "Linux Containers (LXC)").
fn editorial_hunk(deleted: &str, inserted: &str) -> bool {
    let marker = |t: &str| {
        let t = t.trim();
        !t.is_empty()
            && t.split_whitespace().count() == 1
            && t.trim_end_matches(['.', ')'])
                .chars()
                .all(|c| c.is_ascii_alphanumeric())
            && t.len() <= 4
            && t.ends_with(['.', ')'])
    };
    let is_marker = |t: &str| t.trim().is_empty() || marker(t);
    if is_marker(deleted) && is_marker(inserted) {
        return true;
    }
    let (a, b) = (
        crate::statements::content_words(deleted),
        crate::statements::content_words(inserted),
    );
    let spelled = |short: &std::collections::BTreeSet<String>,
                   long: &str,
                   longer: &std::collections::BTreeSet<String>| {
        !short.is_empty() && long.contains('(') && short.is_subset(longer)
    };
    spelled(&a, inserted, &b) || spelled(&b, deleted, &a)
}

/// Whether a pair's words changed (or it is only on one side).
fn changed(p: &AlignedPair) -> bool {
    match p.status {
        PairStatus::Unchanged | PairStatus::Editorial => false,
        PairStatus::Added | PairStatus::Removed => true,
        _ => p.text_changed,
    }
}

/// What a comparison knows when it looks at the pairs no card explained.
struct Rest<'a> {
    sides: &'a meaning::Sides<'a>,
    explained: &'a rustc_hash::FxHashSet<String>,
    tables: &'a rustc_hash::FxHashSet<String>,
    old_ids: &'a ById<'a>,
    new_ids: &'a ById<'a>,
}

impl Rest<'_> {
    /// The pairs as the comparison shows them, with their status counts
    /// and the editorial group; the changes no card explains become
    /// editorial items, or cards added to `changes`.
    fn settle(
        &self,
        pairs: Vec<AlignedPair>,
        redlines: Vec<Vec<RedlinePart>>,
        changes: &mut Vec<ChangeCard>,
    ) -> (
        Vec<PairView>,
        BTreeMap<String, u32>,
        editorial::EditorialGroup,
    ) {
        let mut editorial = editorial::EditorialGroup::default();
        let mut leftovers = leftovers::Leftovers::default();
        let mut views = Vec::with_capacity(pairs.len());
        let mut counts: BTreeMap<String, u32> = BTreeMap::new();
        let carded: rustc_hash::FxHashSet<&str> = changes
            .iter()
            .flat_map(|c| [&c.before, &c.after])
            .flatten()
            .map(|e| e.clause_id.as_str())
            .collect();
        // Each pair's verdict depends on that pair alone: worked out in
        // parallel, then gathered in order.
        let outcomes: Vec<_> = pairs
            .par_iter()
            .zip(&redlines)
            .map(
                |(pair, redline)| match changed(pair) || pair.status == PairStatus::Editorial {
                    true => self.unexplained(pair, &carded, redline),
                    false => None,
                },
            )
            .collect();
        for ((pair, redline), outcome) in pairs.into_iter().zip(redlines).zip(outcomes) {
            {
                match outcome {
                    Some(Ok(reason)) => editorial.items.push(editorial::EditorialItem {
                        old: pair.old.clone(),
                        new: pair.new.clone(),
                        reason,
                    }),
                    Some(Err(card)) => {
                        let (o, n) = (self.old_ids.get(&pair.old), self.new_ids.get(&pair.new));
                        leftovers.take(
                            &pair,
                            &cards::joined_text(&o),
                            &cards::joined_text(&n),
                            card,
                        )
                    }
                    None => {}
                }
            }
            *counts.entry(pair.status.name().to_string()).or_default() += 1;
            views.push(PairView { pair, redline });
        }
        changes.extend(leftovers.cards());
        (views, counts, editorial)
    }

    /// A changed pair no card explains: editorial (with its reason), or,
    /// when it changed words but holds no statement the reader knows, an
    /// `other` card that says so; `None` when a card explains it.
    fn unexplained(
        &self,
        pair: &AlignedPair,
        carded: &rustc_hash::FxHashSet<&str>,
        redline: &[RedlinePart],
    ) -> Option<Result<editorial::EditorialReason, ChangeCard>> {
        let ids = || pair.old.iter().chain(&pair.new);
        if ids().any(|id| self.explained.contains(id) || carded.contains(id.as_str())) {
            return None;
        }
        if ids().all(|id| self.tables.contains(id)) {
            return Some(Ok(editorial::EditorialReason::TableRow));
        }
        let (o, n) = (self.old_ids.get(&pair.old), self.new_ids.get(&pair.new));
        let (ot, nt) = (cards::joined_text(&o), cards::joined_text(&n));
        if let Some(reason) = editorial::reason(&ot, &nt) {
            return Some(Ok(reason));
        }
        let has_statements = pair
            .old
            .iter()
            .any(|id| !self.sides.old.in_clause(id).is_empty())
            || pair
                .new
                .iter()
                .any(|id| !self.sides.new.in_clause(id).is_empty());
        // The same statements in other words: editorial only when no word
        // that carries meaning (a number, a noun, a verb) came or went.
        if has_statements && self.same_meaning_words(&ot, &nt) {
            return Some(Ok(editorial::EditorialReason::Reworded));
        }
        if let Some(card) = has_statements
            .then(|| self.wording_card(pair, redline))
            .flatten()
        {
            return Some(Err(card));
        }
        Some(Err(cards::unread_card(pair, &o, &n, has_statements)))
    }

    /// A card for a clause whose statements read the same but whose words
    /// that carry meaning changed ("in transit" → "at rest", "AES-256" →
    /// "AES-128"): it names the changed words, from the redline, and the
    /// statement's topic and party.
    fn wording_card(&self, pair: &AlignedPair, redline: &[RedlinePart]) -> Option<ChangeCard> {
        let hunks = self.meaningful_hunks(redline);
        if hunks.is_empty() {
            return None;
        }
        let statement = pair
            .new
            .iter()
            .find_map(|id| self.sides.new.in_clause(id).first())
            .or_else(|| {
                pair.old
                    .iter()
                    .find_map(|id| self.sides.old.in_clause(id).first())
            })?;
        let topic = statement.topic.as_deref();
        let name = topic
            .and_then(|t| self.sides.vocab.topic(t))
            .map_or("General", |t| t.name.as_str());
        let changes: Vec<String> = hunks
            .iter()
            .take(2)
            .map(|(d, i)| match (d.is_empty(), i.is_empty()) {
                (true, _) => format!("{} added", summary::quoted(i)),
                (_, true) => format!("{} removed", summary::quoted(d)),
                _ => format!("{} → {}", summary::quoted(d), summary::quoted(i)),
            })
            .collect();
        let more = if hunks.len() > 2 {
            "; and more (see the redline)"
        } else {
            ""
        };
        let text = format!("{name}: wording changed: {}{more}.", changes.join("; "));
        let (o, n) = (self.old_ids.get(&pair.old), self.new_ids.get(&pair.new));
        let mut card = cards::unread_card(pair, &o, &n, true);
        card.kind = cards::ChangeKind::WordingChanged;
        card.summary = text;
        card.topic = topic.map(str::to_string);
        card.party = Some(statement.party);
        Some(card)
    }

    /// The redline's changes whose words carry meaning, each as (deleted,
    /// inserted) text of at most [`summary::MAX_QUOTED_WORDS`] words.
    fn meaningful_hunks(&self, redline: &[RedlinePart]) -> Vec<(String, String)> {
        let mut hunks: Vec<(String, String)> = Vec::new();
        let mut open = false;
        for part in redline {
            match part.edit {
                redline::Edit::Same => open = false,
                edit => {
                    if !open {
                        hunks.push((String::new(), String::new()));
                        open = true;
                    }
                    let h = hunks.last_mut().expect("pushed");
                    let side = if edit == redline::Edit::Deleted {
                        &mut h.0
                    } else {
                        &mut h.1
                    };
                    side.push_str(&part.text);
                }
            }
        }
        hunks
            .into_iter()
            .map(|(d, i)| (d.trim().to_string(), i.trim().to_string()))
            .filter(|(d, i)| !self.same_meaning_words(d, i) && !editorial_hunk(d, i))
            .filter(|(d, i)| {
                let words = |t: &str| t.split_whitespace().count();
                words(d) <= summary::MAX_QUOTED_WORDS && words(i) <= summary::MAX_QUOTED_WORDS
            })
            .collect()
    }

    /// Whether two texts have the same content words once the parties'
    /// names and a few light words ("using", "with", "also") are set
    /// aside: "Data at rest is encrypted using AES-256" and "Acme encrypts
    /// data at rest with AES-256" do; "… in transit" and "… at rest" do
    /// not, nor "AES-256" and "AES-128".
    fn same_meaning_words(&self, old: &str, new: &str) -> bool {
        // Modal verbs are light here too: a change of force is a
        // statement's change, and the statements read the same.
        const LIGHT: [&str; 25] = [
            "use", "with", "via", "by", "also", "each", "everi", "ani", "such", "it", "we", "us",
            "you", "they", "is", "are", "will", "shall", "must", "would", "can", "may", "do",
            "doe", "s",
        ];
        let meaning = |text: &str, parties: &crate::statements::Parties| {
            let names = parties.stems();
            crate::statements::content_words(text)
                .into_iter()
                .filter(|w| !LIGHT.contains(&w.as_str()) && !names.contains(w))
                .collect::<std::collections::BTreeSet<String>>()
        };
        meaning(old, &self.sides.old.parties) == meaning(new, &self.sides.new.parties)
    }
}

fn words(s: &str) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default()
}

/// A snake_case enum value as words ("framework_replaced" → "framework replaced").
pub fn label<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(words))
        .unwrap_or_default()
}

/// Both versions' regulatory flags, each with its version ID.
fn flag_lines(c: &Comparison) -> Vec<(&str, &crate::timeline::RegulatoryFlag)> {
    c.flags
        .iter()
        .flat_map(|v| v.flags.iter().map(|f| (v.version.as_str(), f)))
        .collect()
}

/// A Markdown report of a comparison: changes first, then renamed, added and
/// removed sections, then every changed clause's redline.
pub fn report_markdown(c: &Comparison) -> String {
    let mut out = String::new();
    report_heading(&mut out, c);
    report_flags(&mut out, c);
    report_changes(&mut out, c);
    report_editorial(&mut out, c);
    report_sections(&mut out, c);
    report_redline(&mut out, c);
    out
}

/// The report's title, the two versions, the warnings and the counts.
fn report_heading(out: &mut String, c: &Comparison) {
    out.push_str(&format!(
        "# What changed: {} — {}\n\n",
        md_escape(&c.new.vendor),
        md_escape(&c.new.document)
    ));
    out.push_str(&format!(
        "From **{}** ({}) to **{}** ({}).\n\n",
        c.old.date, c.old.id, c.new.date, c.new.id
    ));
    for w in &c.warnings {
        out.push_str(&format!("> **Note:** {}\n\n", md_escape(w)));
    }
    let counts: Vec<String> = c
        .counts
        .iter()
        .map(|(k, v)| format!("{v} {}", words(k)))
        .collect();
    out.push_str(&format!("Clauses: {}.\n\n", counts.join(", ")));
}

/// The regulatory flags, if any.
fn report_flags(out: &mut String, c: &Comparison) {
    let flags = flag_lines(c);
    if flags.is_empty() {
        return;
    }
    out.push_str("## Regulatory flags\n\n");
    for (id, f) in flags {
        out.push_str(&format!("- **{id}** {}", md_escape(&f.message)));
        if let Some(src) = &f.event.source {
            out.push_str(&format!(" <{src}>"));
        }
        out.push('\n');
    }
    out.push('\n');
}

/// Every change card, with its evidence marked.
fn report_changes(out: &mut String, c: &Comparison) {
    out.push_str(&format!("## Changes ({})\n\n", c.changes.len()));
    for (i, card) in c.changes.iter().enumerate() {
        out.push_str(&format!(
            "### {}. {} — {}\n\n",
            i + 1,
            label(card.kind),
            md_escape(&card.summary)
        ));
        out.push_str(&format!(
            "Severity: **{}** · Direction: {}{}\n\n",
            label(card.severity),
            label(card.direction),
            card_facts(card)
        ));
        for (side, ev) in [("Before", &card.before), ("After", &card.after)] {
            if let Some(ev) = ev {
                out.push_str(&format!(
                    "- {side} (`{}`): {}\n",
                    ev.clause_id,
                    marked(&ev.text, &ev.spans, md_escape, "**", "**")
                ));
            }
        }
        out.push('\n');
    }
}

/// " · Topic: breach notification · Party: provider", for what a card has.
fn card_facts(card: &ChangeCard) -> String {
    let mut s = String::new();
    if let Some(t) = &card.topic {
        s.push_str(&format!(" · Topic: {}", t.replace('-', " ")));
    }
    if let Some(p) = card.party {
        s.push_str(&format!(" · Party: {}", label(p)));
    }
    s
}

/// The editorial group, collapsed to one line per reason with the clauses.
fn report_editorial(out: &mut String, c: &Comparison) {
    if c.editorial.items.is_empty() {
        return;
    }
    out.push_str(&format!(
        "## Editorial changes\n\n{}. No statement changed in these:\n\n",
        c.editorial.summary()
    ));
    for i in &c.editorial.items {
        out.push_str(&format!("- {}: `{}`\n", label(i.reason), editorial_ids(i)));
    }
    out.push('\n');
}

/// An editorial item's clause IDs, old → new.
fn editorial_ids(i: &editorial::EditorialItem) -> String {
    match (i.old.is_empty(), i.new.is_empty()) {
        (false, false) => format!("{} → {}", i.old.join(", "), i.new.join(", ")),
        (true, _) => i.new.join(", "),
        (_, true) => i.old.join(", "),
    }
}

/// The editorial group as one collapsed HTML list.
fn html_editorial(body: &mut String, c: &Comparison) {
    if c.editorial.items.is_empty() {
        return;
    }
    body.push_str(&format!(
        "<details class=\"editorial\"><summary>{}</summary><ul>\n",
        html_escape(&c.editorial.summary())
    ));
    for i in &c.editorial.items {
        body.push_str(&format!(
            "<li>{}: <code>{}</code></li>\n",
            html_escape(&label(i.reason)),
            html_escape(&editorial_ids(i))
        ));
    }
    body.push_str("</ul></details>\n");
}

/// The renamed, added and removed sections, if any.
fn report_sections(out: &mut String, c: &Comparison) {
    let moved: Vec<_> = c
        .sections
        .iter()
        .filter(|s| s.status != SectionStatus::Same)
        .collect();
    if moved.is_empty() {
        return;
    }
    out.push_str("## Sections\n\n");
    for s in moved {
        let line = match s.status {
            SectionStatus::Renamed => format!(
                "- Renamed: {} → {}",
                md_escape(s.old.as_deref().unwrap_or("")),
                md_escape(s.new.as_deref().unwrap_or(""))
            ),
            SectionStatus::Added => {
                format!("- Added: {}", md_escape(s.new.as_deref().unwrap_or("")))
            }
            SectionStatus::Removed => {
                format!("- Removed: {}", md_escape(s.old.as_deref().unwrap_or("")))
            }
            SectionStatus::Same => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push('\n');
}

/// A pair's clause IDs as a report names them: `old → new`, `a + b → c`,
/// or one side alone.
fn pair_ids(pair: &AlignedPair) -> String {
    [pair.old.join(" + "), pair.new.join(" + ")]
        .iter()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" → ")
}

/// Every pair that is not unchanged, with its redline.
fn report_redline(out: &mut String, c: &Comparison) {
    out.push_str("## Redline\n\n");
    for v in c
        .alignment
        .iter()
        .filter(|v| v.pair.status != PairStatus::Unchanged)
    {
        let ids = pair_ids(&v.pair);
        out.push_str(&format!("- **{}** `{}`", label(v.pair.status), ids));
        if !v.redline.is_empty() {
            out.push_str(&format!(": {}", redline::to_markdown(&v.redline)));
        }
        out.push('\n');
    }
}

/// `text` with `spans` wrapped in `open`/`close`, every piece escaped with
/// `escape`. Spans that overlap, run past the text or split a character are skipped.
fn marked(
    text: &str,
    spans: &[cards::Span],
    escape: fn(&str) -> String,
    open: &str,
    close: &str,
) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for s in spans {
        let (a, b) = (s.start as usize, s.end as usize);
        if a < pos || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&escape(&text[pos..a]));
        out.push_str(open);
        out.push_str(&escape(&text[a..b]));
        out.push_str(close);
        pos = b;
    }
    out.push_str(&escape(&text[pos..]));
    out
}

/// A self-contained HTML report (no scripts, no external resources).
pub fn report_html(c: &Comparison) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<h1>What changed: {} — {}</h1>\n",
        html_escape(&c.new.vendor),
        html_escape(&c.new.document)
    ));
    body.push_str(&format!(
        "<p>From <b>{}</b> ({}) to <b>{}</b> ({}).</p>\n",
        c.old.date,
        html_escape(&c.old.id),
        c.new.date,
        html_escape(&c.new.id)
    ));
    for w in &c.warnings {
        body.push_str(&format!("<p class=\"note\">{}</p>\n", html_escape(w)));
    }
    let flags = flag_lines(c);
    if !flags.is_empty() {
        body.push_str("<h2>Regulatory flags</h2>\n<ul>\n");
        for (id, f) in flags {
            let source = f.event.source.as_deref().map_or(String::new(), |s| {
                format!(" <span class=\"source\">{}</span>", html_escape(s))
            });
            body.push_str(&format!(
                "<li class=\"flag\"><b>{}</b> {}{source}</li>\n",
                html_escape(id),
                html_escape(&f.message)
            ));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&format!("<h2>Changes ({})</h2>\n", c.changes.len()));
    for card in &c.changes {
        body.push_str(&format!(
            "<section class=\"card {}\"><h3>{} — {}</h3><p class=\"meta\">Severity: {} · Direction: {}{}</p>\n",
            html_escape(&label(card.severity)),
            html_escape(&label(card.kind)),
            html_escape(&card.summary),
            html_escape(&label(card.severity)),
            html_escape(&label(card.direction)),
            html_escape(&card_facts(card))
        ));
        for (side, ev) in [("Before", &card.before), ("After", &card.after)] {
            if let Some(ev) = ev {
                let marked = marked(&ev.text, &ev.spans, html_escape, "<mark>", "</mark>");
                body.push_str(&format!(
                    "<p><b>{side}</b> <code>{}</code><br>{marked}</p>\n",
                    html_escape(&ev.clause_id)
                ));
            }
        }
        body.push_str("</section>\n");
    }
    html_editorial(&mut body, c);
    body.push_str("<h2>Redline</h2>\n<ul>\n");
    for v in c
        .alignment
        .iter()
        .filter(|v| v.pair.status != PairStatus::Unchanged)
    {
        let ids = pair_ids(&v.pair);
        let line = redline::to_html(&v.redline);
        body.push_str(&format!(
            "<li><b>{}</b> <code>{}</code> {line}</li>\n",
            html_escape(&label(v.pair.status)),
            html_escape(&ids)
        ));
    }
    body.push_str("</ul>\n");
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{} — changes</title>\n<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}}.card{{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}}.card.high{{border-left:6px solid #cf222e}}.card.medium{{border-left:6px solid #bf8700}}.meta{{color:#57606a}}mark{{background:#fff2a8}}del{{background:#ffebe9;color:#82071e}}ins{{background:#dafbe1;color:#116329;text-decoration:none}}.note{{background:#fff8c5;padding:.5rem}}code{{font-size:.85em}}</style></head><body>\n{body}</body></html>\n",
        html_escape(&c.new.document)
    )
}
