//! Change cards: the card type and its vocabulary of kinds, the framework
//! cards (a framework named by one version and not the other, found across
//! the whole document), and the card for a passage no statement explains.
//!
//! The cards of statements are written by [`super::meaning`], those of
//! tables by [`super::tables`]. Every card is general: it reads the
//! [`Lexicon`] and never names a vendor or a sentence.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::align::{AlignedPair, PairStatus};
use crate::clause::Clause;
use crate::lexicon::{Lexicon, Phrase, Severity};

/// The kinds of change a card can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A framework (transfer mechanism, certification, standard) gave way to another of its family.
    FrameworkReplaced,
    /// A framework is newly relied on.
    FrameworkAdded,
    /// A framework is no longer relied on.
    FrameworkRemoved,
    /// A prohibition dropped or made conditional, a permission granted, or
    /// a condition added that frees a duty's holder.
    RestrictionRelaxed,
    /// Something newly forbidden, a permission withdrawn, or a condition
    /// that binds a duty's holder.
    RestrictionTightened,
    /// A duty appears (modal verb where there was none).
    ObligationAdded,
    /// A duty disappears.
    ObligationRemoved,
    /// A duty got softer ("must" → "should", "promptly" → "without undue delay").
    ObligationWeakened,
    /// A duty got firmer.
    ObligationStrengthened,
    /// A deadline, duration or period changed ("after 30 days" → "within 30 days").
    DeadlineChanged,
    /// The clause now covers more (data categories, cases).
    ScopeBroadened,
    /// The clause now covers less.
    ScopeNarrowed,
    /// A duty moved between provider and customer.
    ResponsibilityShifted,
    /// A provider commitment appears.
    CommitmentAdded,
    /// A provider commitment disappears.
    CommitmentRemoved,
    /// Several statements on one topic appear (a section added or rewritten).
    StatementsAdded,
    /// Several statements on one topic disappear.
    StatementsRemoved,
    /// A stated practice appears ("we encrypt backups").
    PracticeAdded,
    /// A stated practice disappears.
    PracticeRemoved,
    /// A protection is disclaimed ("we do not scan uploads").
    DisclaimerAdded,
    /// A disclaimer disappears.
    DisclaimerRemoved,
    /// A statement's places changed (processing locations, scopes).
    LocationChanged,
    /// How something is done changed ("in the courts" → "by arbitration").
    MeansChanged,
    /// An entity (a subprocessor, a certification) joins a table.
    EntityAdded,
    /// An entity leaves a table.
    EntityRemoved,
    /// An entity is listed under another name, all else the same.
    EntityRenamed,
    /// An entity's row changed (its purpose, its locations).
    EntityChanged,
    /// Defined terms added, removed or reworded (one card for all).
    DefinitionsChanged,
    /// A clause's statements read the same but words that carry meaning
    /// changed (the card names them: "in transit" → "at rest").
    WordingChanged,
    /// A change no detector could type.
    Other,
}

/// Whom a change favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The provider: fewer duties, more latitude.
    FavoursProvider,
    /// The customer: more protection, fewer duties.
    FavoursCustomer,
    /// Neither clearly.
    Neutral,
    /// Cannot tell from the text alone.
    Unclear,
}

/// Words in a clause that triggered a card (byte offsets into `text`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Span {
    /// Start byte offset.
    pub start: u32,
    /// End byte offset.
    pub end: u32,
    /// The words.
    pub text: String,
}

/// One side of a card: the clause and what in it matters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Evidence {
    /// Clause ID.
    pub clause_id: String,
    /// Clause text.
    pub text: String,
    /// Highlighted spans that triggered the card.
    pub spans: Vec<Span>,
}

/// A typed change with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ChangeCard {
    /// What kind of change.
    pub kind: ChangeKind,
    /// One plain sentence naming the before and after terms.
    pub summary: String,
    /// How much it matters.
    pub severity: Severity,
    /// Whom it favours.
    pub direction: Direction,
    /// The old side (None for an addition).
    pub before: Option<Evidence>,
    /// The new side (None for a removal).
    pub after: Option<Evidence>,
    /// The topic's ID from the taxonomy (`corpus/statements.toml`), when
    /// the change has one.
    #[serde(default)]
    pub topic: Option<String>,
    /// Who holds the changed statement, when the card is about one.
    #[serde(default)]
    pub party: Option<crate::statements::Party>,
    /// The statements the card compares: before and after for a change,
    /// one for an addition or a removal; empty for other cards.
    #[serde(default)]
    pub statements: Vec<crate::statements::Statement>,
}

/// A hit of a lexicon phrase in one clause of a side.
#[derive(Debug, Clone)]
struct Hit<'a> {
    clause: &'a Clause,
    span: Span,
}

fn find<'a>(side: &[&'a Clause], p: &Phrase) -> Vec<Hit<'a>> {
    side.iter()
        .flat_map(|c| {
            p.regex().find_iter(&c.text).map(move |m| Hit {
                clause: c,
                span: Span {
                    start: m.start() as u32,
                    end: m.end() as u32,
                    text: m.as_str().to_string(),
                },
            })
        })
        .collect()
}

fn evidence(side: &[&Clause], hits: &[&Hit<'_>]) -> Option<Evidence> {
    let clause = hits
        .first()
        .map(|h| h.clause)
        .or_else(|| side.first().copied())?;
    let mut spans: Vec<Span> = hits
        .iter()
        .filter(|h| h.clause.same_id(clause))
        .map(|h| h.span.clone())
        .collect();
    spans.sort_by_key(|s| s.start);
    spans.dedup();
    Some(Evidence {
        clause_id: clause.id(),
        text: clause.text.to_string(),
        spans,
    })
}

/// What the framework cards read: the lexicon.
pub struct Context<'a> {
    /// The vocabulary.
    pub lexicon: &'a Lexicon,
}

impl<'a> Context<'a> {
    /// A context for comparing versions with `lexicon`.
    pub fn new(lexicon: &'a Lexicon) -> Self {
        Context { lexicon }
    }
}

pub(crate) fn card(
    kind: ChangeKind,
    summary: String,
    severity: Severity,
    direction: Direction,
    before: Option<Evidence>,
    after: Option<Evidence>,
) -> ChangeCard {
    ChangeCard {
        kind,
        summary,
        severity,
        direction,
        before,
        after,
        topic: None,
        party: None,
        statements: Vec::new(),
    }
}

/// A side's clause texts joined by NUL characters, so that a phrase is
/// looked for in a whole version with one scan: a hundred-page pair ran
/// every framework pattern over each of three thousand clauses, and the
/// cost of starting a search on each clause was a quarter of its compare.
struct Joined<'a> {
    text: String,
    /// Where each clause starts in `text`.
    starts: Vec<usize>,
    clauses: &'a [&'a Clause],
}

impl<'a> Joined<'a> {
    fn new(side: &'a [&'a Clause]) -> Joined<'a> {
        let mut text = String::with_capacity(side.iter().map(|c| c.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(side.len());
        for c in side {
            starts.push(text.len());
            text.push_str(&c.text);
            text.push('\0');
        }
        Joined {
            text,
            starts,
            clauses: side,
        }
    }

    /// Whether `p` matches anywhere: [`Joined::find`], stopping at the
    /// first match.
    fn mentions(&self, p: &Phrase) -> bool {
        match p.regex().find(&self.text) {
            None => false,
            Some(m) if m.is_empty() || m.as_str().contains('\0') => {
                !find(self.clauses, p).is_empty()
            }
            Some(_) => true,
        }
    }

    /// Every match of `p`, as [`find`] gives them. A lexicon phrase never
    /// matches a NUL ([`crate::lexicon::phrase`]: words, spaces, hyphens,
    /// slashes and word boundaries), so no match crosses from one clause
    /// into the next and each clause's matches are those a scan of that
    /// clause alone finds; should a pattern ever match one, or match the
    /// empty string (which [`crate::lexicon::phrase`] refuses), the clauses
    /// are searched one by one instead.
    fn find(&self, p: &Phrase) -> Vec<Hit<'a>> {
        let mut hits = Vec::new();
        for m in p.regex().find_iter(&self.text) {
            if m.is_empty() || m.as_str().contains('\0') {
                return find(self.clauses, p);
            }
            let k = self.starts.partition_point(|&s| s <= m.start()) - 1;
            let at = self.starts[k];
            hits.push(Hit {
                clause: self.clauses[k],
                span: Span {
                    start: (m.start() - at) as u32,
                    end: (m.end() - at) as u32,
                    text: m.as_str().to_string(),
                },
            });
        }
        hits
    }
}

/// Which frameworks each side mentions, with every mention (each side's
/// mentions of a framework pattern by pattern, each pattern's in reading
/// order), for the frameworks that may be mentioned by one side and not
/// the other: those named in a text only one side has. A framework named
/// only in texts both sides have is mentioned by both alike and can make
/// no card; it is left out of both.
///
/// Most clauses of a revision are the old ones unchanged: each distinct
/// text of the two sides is scanned once, and its mentions are given to
/// every clause of either side with that text; and which frameworks to
/// look for at all is found in the texts that changed.
fn frameworks_present<'a>(
    ctx: &Context<'_>,
    old: &'a [&'a Clause],
    new: &'a [&'a Clause],
) -> [Vec<(usize, Vec<Hit<'a>>)>; 2] {
    let mut texts = SideTexts::of(old, new);
    let (changed, shared) = texts.changed_and_shared();
    let changed = Joined::new(&changed);
    let mut shared_text: Option<Joined<'_>> = None;
    // Most frameworks are named nowhere: one pass over the text rules them
    // out, and only the patterns that may occur are searched for.
    let may_occur = ctx.lexicon.framework_filter().may_occur(&changed.text);
    let mut present: [Vec<(usize, Vec<Hit<'a>>)>; 2] = [Vec::new(), Vec::new()];
    let mut k = 0; // the framework's first pattern's number in the filter
    for (i, f) in ctx.lexicon.frameworks.iter().enumerate() {
        let first = k;
        k += f.patterns.len();
        let found: Vec<Vec<Hit<'_>>> = f
            .patterns
            .iter()
            .zip(first..)
            .map(|(p, k)| match may_occur.get(k) {
                true => changed.find(p),
                false => Vec::new(),
            })
            .collect();
        if found.iter().all(Vec::is_empty) {
            continue;
        }
        // Named in a text both sides have: mentioned by both alike.
        let shared_text = shared_text.get_or_insert_with(|| Joined::new(&shared));
        if f.patterns.iter().any(|p| shared_text.mentions(p)) {
            continue;
        }
        for (side, h) in present.iter_mut().zip(texts.mentions(found)) {
            if !h.is_empty() {
                side.push((i, h));
            }
        }
    }
    present
}

/// The distinct clause texts of two sides, for [`frameworks_present`]:
/// each text is scanned once and its mentions given to every clause of
/// either side with that text.
struct SideTexts<'a> {
    /// The old side's clauses and the new side's.
    sides: [&'a [&'a Clause]; 2],
    /// A clause of each distinct text, numbered by first appearance (the
    /// old side first).
    distinct: Vec<&'a Clause>,
    /// Each distinct text's number.
    by_text: rustc_hash::FxHashMap<&'a str, usize>,
    /// The number of each clause's text, side by side.
    numbers: [Vec<usize>; 2],
    /// Each distinct text's spans for the pattern at hand.
    spans: Vec<Vec<Span>>,
}

impl<'a> SideTexts<'a> {
    /// Number the distinct texts of `old` and `new`.
    fn of(old: &'a [&'a Clause], new: &'a [&'a Clause]) -> Self {
        let mut distinct: Vec<&'a Clause> = Vec::new();
        let mut by_text: rustc_hash::FxHashMap<&'a str, usize> = Default::default();
        let mut number = |c: &'a Clause| {
            *by_text.entry(&*c.text).or_insert_with(|| {
                distinct.push(c);
                distinct.len() - 1
            })
        };
        let numbers: [Vec<usize>; 2] = [
            old.iter().map(|&c| number(c)).collect(),
            new.iter().map(|&c| number(c)).collect(),
        ];
        let spans = vec![Vec::new(); distinct.len()];
        SideTexts {
            sides: [old, new],
            distinct,
            by_text,
            numbers,
            spans,
        }
    }

    /// The texts only one side has (changed) and those both sides have
    /// (shared), a clause of each, in order.
    fn changed_and_shared(&self) -> (Vec<&'a Clause>, Vec<&'a Clause>) {
        // Bit 1: the old side has the text; bit 2: the new side has it.
        let mut sides_of = vec![0u8; self.distinct.len()];
        for (bit, texts) in [1u8, 2].into_iter().zip(&self.numbers) {
            for &t in texts {
                sides_of[t] |= bit;
            }
        }
        let (mut changed, mut shared) = (Vec::new(), Vec::new());
        for (&c, &on) in self.distinct.iter().zip(&sides_of) {
            if on == 3 {
                shared.push(c)
            } else {
                changed.push(c)
            }
        }
        (changed, shared)
    }

    /// Each side's mentions of a framework, from its patterns' hits in the
    /// distinct texts (`found`, pattern by pattern): each pattern's hits in
    /// a text go to every clause with that text, in reading order.
    fn mentions(&mut self, found: Vec<Vec<Hit<'_>>>) -> [Vec<Hit<'a>>; 2] {
        let mut hits: [Vec<Hit<'a>>; 2] = [Vec::new(), Vec::new()];
        for found in found {
            if found.is_empty() {
                continue;
            }
            let touched = self.note_spans(found);
            for ((side, texts), out) in self.sides.iter().zip(&self.numbers).zip(&mut hits) {
                for (&c, &t) in side.iter().zip(texts) {
                    out.extend(self.spans[t].iter().map(|span| Hit {
                        clause: c,
                        span: span.clone(),
                    }));
                }
            }
            for t in touched {
                self.spans[t].clear();
            }
        }
        hits
    }

    /// Note one pattern's hits as spans of their texts; the texts noted.
    fn note_spans(&mut self, found: Vec<Hit<'_>>) -> Vec<usize> {
        let mut touched = Vec::new();
        for hit in found {
            let t = self.by_text[&*hit.clause.text];
            if self.spans[t].is_empty() {
                touched.push(t);
            }
            self.spans[t].push(hit.span);
        }
        touched
    }
}

/// Framework cards across two whole versions: a mechanism dropped in one
/// section and its successor named in another are still one replacement.
pub fn framework_cards(ctx: &Context<'_>, old: &[&Clause], new: &[&Clause]) -> Vec<ChangeCard> {
    let [before, after] = frameworks_present(ctx, old, new);
    let has = |set: &[(usize, Vec<Hit<'_>>)], i: usize| set.iter().any(|(j, _)| *j == i);
    let removed: Vec<&(usize, Vec<Hit<'_>>)> =
        before.iter().filter(|(i, _)| !has(&after, *i)).collect();
    let mut added: Vec<&(usize, Vec<Hit<'_>>)> =
        after.iter().filter(|(i, _)| !has(&before, *i)).collect();
    let ev = |side: &[&Clause], hits: &[Hit<'_>]| evidence(side, &hits.iter().collect::<Vec<_>>());
    let fw = |i: usize| &ctx.lexicon.frameworks[i];
    let topic = |f: &crate::lexicon::Framework| {
        let t = ctx
            .lexicon
            .statements
            .topics
            .iter()
            .find(|t| t.families.contains(&f.family));
        (
            t.map(|t| t.id.clone()),
            t.map_or_else(|| "Frameworks".to_string(), |t| t.name.clone()),
        )
    };
    let mut cards = Vec::new();
    for (i, old_hits) in removed {
        let f = fw(*i);
        let (id, name) = topic(f);
        let mut c = if let Some(pos) = added.iter().position(|(j, _)| fw(*j).family == f.family) {
            let (j, new_hits) = added.remove(pos);
            let g = fw(*j);
            card(
                ChangeKind::FrameworkReplaced,
                format!(
                    "{name}: {} replaced by {}, as the {}.",
                    f.name, g.name, f.family
                ),
                f.severity.max(g.severity),
                Direction::Neutral,
                ev(old, old_hits),
                ev(new, new_hits),
            )
        } else {
            card(
                ChangeKind::FrameworkRemoved,
                format!("{name}: no longer relies on {} ({}).", f.name, f.family),
                f.severity,
                Direction::FavoursProvider,
                ev(old, old_hits),
                None,
            )
        };
        c.topic = id;
        cards.push(c);
    }
    for (j, new_hits) in added {
        let g = fw(*j);
        let (id, name) = topic(g);
        let mut c = card(
            ChangeKind::FrameworkAdded,
            format!("{name}: now relies on {} ({}).", g.name, g.family),
            g.severity.min(Severity::Medium),
            Direction::FavoursCustomer,
            None,
            ev(new, new_hits),
        );
        c.topic = id;
        cards.push(c);
    }
    cards
}

/// The card for a changed pair that holds no statement the reader knows
/// (a description, a heading-like line): it says where the words changed,
/// and the redline shows how.
/// `statements` says whether the clauses hold statements (which then read
/// the same on both sides, while other words changed).
pub fn unread_card(
    pair: &AlignedPair,
    old: &[&Clause],
    new: &[&Clause],
    statements: bool,
) -> ChangeCard {
    // The outermost heading: the passages no statement explains are told
    // per part of the document, not per paragraph.
    let section = new
        .first()
        .or(old.first())
        .and_then(|c| c.section.first().cloned())
        .unwrap_or_else(|| "the document".into());
    let what = match pair.status {
        PairStatus::Added => "Text added",
        PairStatus::Removed => "Text removed",
        _ => "Wording changed",
    };
    card(
        ChangeKind::Other,
        match (statements, pair.status) {
            (false, _) => format!("{what} under \u{201C}{section}\u{201D}, with no commitment the reader recognises: see the redline."),
            (true, PairStatus::Added | PairStatus::Removed) => format!("{what} under \u{201C}{section}\u{201D}: what it commits to is said in the other version too: see the redline."),
            (true, _) => format!("{what} under \u{201C}{section}\u{201D}: the commitments read the same, other words changed: see the redline."),
        },
        Severity::Low,
        Direction::Unclear,
        evidence(old, &[]),
        evidence(new, &[]),
    )
}

/// The texts of clauses joined by a space: what a pair's redline compares.
pub(crate) fn joined_text(clauses: &[&Clause]) -> String {
    clauses
        .iter()
        .map(|c| &*c.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clause::ClauseKind;
    use crate::lexicon::phrase;

    fn clause(n: usize, text: &str) -> Clause {
        Clause {
            version: "doc@2020-01-01".into(),
            section_slug: "s".into(),
            ordinal: n as u32,
            section: vec!["S".into()].into(),
            pages: Box::default(),
            kind: ClauseKind::Paragraph,
            text: text.into(),
            ocr: None,
        }
    }

    /// What a scan of the joined side finds must be exactly what a scan of
    /// each clause finds: same clauses, spans and order, with phrases at the
    /// very start and end of clauses, split across two clauses, and clauses
    /// that are empty or hold a NUL themselves.
    #[test]
    fn a_scan_of_the_joined_side_finds_what_a_scan_per_clause_finds() {
        let texts = [
            "Safe Harbor applies.",
            "We rely on the EU/US Safe",
            "Harbor framework and safe-harbor; SAFE HARBOR",
            "",
            "no\0match here, safe\0harbor",
            "safe harbor",
            "U.S. and US and u.s",
        ];
        let owned: Vec<Clause> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| clause(i, t))
            .collect();
        let side: Vec<&Clause> = owned.iter().collect();
        let joined = Joined::new(&side);
        for p in ["Safe Harbor", "EU/US", "U.S.", "harbor", "applies."] {
            let p = phrase(p).unwrap();
            let key = |hits: Vec<Hit<'_>>| -> Vec<(String, Span)> {
                hits.into_iter().map(|h| (h.clause.id(), h.span)).collect()
            };
            let (one_scan, per_clause) = (key(joined.find(&p)), key(find(&side, &p)));
            assert_eq!(one_scan, per_clause, "{}", p.text);
        }
        assert_eq!(joined.find(&phrase("Safe Harbor").unwrap()).len(), 4);
        // A version without clauses has nothing to find.
        assert!(Joined::new(&[])
            .find(&phrase("Safe Harbor").unwrap())
            .is_empty());
    }
}
