//! Semantic change cards: what a change means, typed from a documented
//! vocabulary, with the words that triggered it.
//!
//! Every detector is general: it reads the [`Lexicon`] (frameworks, modal
//! verbs, conditions, qualifiers, time expressions, data categories, actors)
//! and never names a vendor or a sentence. The vendor's own name counts as
//! the provider actor.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::align::{AlignedPair, PairStatus};
use super::redline::RedlinePart;
use crate::clause::Clause;
use crate::lexicon::{Bound, Lexicon, ModalKind, Occurring, Phrase, Severity};

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
    /// A prohibition became conditional, or fewer things are forbidden.
    RestrictionRelaxed,
    /// Something newly forbidden, or a condition removed from a permission.
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

/// The clauses of one side of a pair, each with the lexicon's card phrases
/// that occur in it ([`Lexicon::occurring`]): a phrase is searched for its
/// places only in the clauses where it occurs.
struct Side<'a> {
    clauses: Vec<(&'a Clause, Occurring)>,
}

impl<'a> Side<'a> {
    fn new(ctx: &Context<'_>, clauses: &[&'a Clause]) -> Side<'a> {
        Side {
            clauses: clauses
                .iter()
                .map(|&c| (c, ctx.lexicon.occurring(&c.text)))
                .collect(),
        }
    }

    /// [`find`] over this side's clauses.
    fn find(&self, p: &Phrase) -> Vec<Hit<'a>> {
        self.clauses
            .iter()
            .filter(|(_, seen)| seen.may_have(p))
            .flat_map(|(c, _)| find(&[*c], p))
            .collect()
    }

    /// What occurs in `clause`, when it is one of this side's.
    fn occurring(&self, clause: &Clause) -> Option<&Occurring> {
        self.clauses
            .iter()
            .find(|(c, _)| std::ptr::eq(*c, clause))
            .map(|(_, seen)| seen)
    }
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

fn quote(s: &str) -> String {
    format!("\u{201C}{s}\u{201D}")
}

/// Who carries duties in a sentence: the actor mentioned last before the modal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Provider,
    Customer,
    Unknown,
}

/// Lexicon plus the vendor's own name as provider words.
pub struct Context<'a> {
    /// The vocabulary.
    pub lexicon: &'a Lexicon,
    /// Provider words from the vendor name ("Heroku (Salesforce)" → Heroku, Salesforce).
    pub vendor_words: Arc<[Phrase]>,
}

impl<'a> Context<'a> {
    /// A context for comparing versions of `vendor`'s document.
    pub fn new(lexicon: &'a Lexicon, vendor: &str) -> Self {
        Context {
            lexicon,
            vendor_words: vendor_words(vendor),
        }
    }

    /// Who carries the duty whose modal starts at `at`. `seen` (what occurs
    /// in the whole of `text`) rules out actor words that cannot be there.
    fn actor_before(&self, text: &str, at: usize, seen: Option<&Occurring>) -> Actor {
        let sentence_start = text[..at].rfind(['.', ';']).map_or(0, |i| i + 1);
        let window = &text[sentence_start..at];
        // A word found in the window is found in the whole text when the
        // window's ends are word boundaries there too: it starts after `.`
        // or `;` (or at the start), and ends where the modal starts, which
        // is a boundary unless the modal's phrase starts oddly. Otherwise
        // look in the window without ruling anything out.
        let seen = seen.filter(|_| {
            regex_automata::util::look::LookMatcher::new()
                .is_word_unicode(text.as_bytes(), at)
                .unwrap_or(false)
        });
        // The last actor word that is a subject: "Customer Data", "user
        // access logs" name things, not someone who carries the duty.
        let last_subject = |ps: &mut dyn Iterator<Item = &Phrase>| {
            ps.filter(|p| seen.is_none_or(|s| s.may_have(p)))
                .flat_map(|p| {
                    p.regex()
                        .find_iter(window)
                        .filter(|m| self.is_subject(&window[m.end()..]))
                        .map(|m| m.start())
                        .collect::<Vec<_>>()
                })
                .max()
        };
        let provider =
            last_subject(&mut self.lexicon.provider.iter().chain(self.vendor_words.iter()));
        let customer = last_subject(&mut self.lexicon.customer.iter());
        match (provider, customer) {
            (Some(p), Some(c)) if c > p => Actor::Customer,
            (Some(_), _) => Actor::Provider,
            (None, Some(_)) => Actor::Customer,
            (None, None) => Actor::Unknown,
        }
    }

    /// Is an actor word followed by `rest` the subject of its clause? It is
    /// when punctuation, a modal, a commitment verb or a plain verb follows
    /// ("Customers can", "Salesforce, or ...", "Customer is"); not when
    /// another noun does ("Customer Data", "user access").
    fn is_subject(&self, rest: &str) -> bool {
        const VERBS: [&str; 24] = [
            "is",
            "are",
            "has",
            "have",
            "does",
            "do",
            "also",
            "agrees",
            "acknowledges",
            "retains",
            "remains",
            "uses",
            "use",
            "submits",
            "submit",
            "decides",
            "decide",
            "grants",
            "will",
            "shall",
            "should",
            "needs",
            "need",
            "itself",
        ];
        let rest = rest.trim_start_matches(['\'', '\u{2019}', 's']);
        let Some(next) = rest.split_whitespace().next() else {
            return true;
        };
        if !next.chars().next().is_some_and(char::is_alphabetic) {
            return true;
        }
        let next = next
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        VERBS.contains(&next.as_str())
            || self
                .lexicon
                .modals
                .iter()
                .any(|m| m.phrase.text.split_whitespace().next() == Some(next.as_str()))
            || self
                .lexicon
                .commitment_verbs
                .iter()
                .any(|v| v.phrase_first_word() == next)
            || self
                .lexicon
                .qualifiers
                .iter()
                .any(|q| q.phrase.text == next)
    }
}

/// A vendor name's capitalised words as phrases, each vendor's made once
/// per process: compiling them again for every comparison was a twentieth
/// of comparing two 100-page versions.
fn vendor_words(vendor: &str) -> Arc<[Phrase]> {
    type Cache = Mutex<rustc_hash::FxHashMap<String, Arc<[Phrase]>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(words) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(vendor) {
        return Arc::clone(words);
    }
    let words: Arc<[Phrase]> = vendor
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| crate::lexicon::phrase(w).ok())
        .collect();
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    // A corpus has a few vendors; a bound keeps a long session's cache small.
    if cache.len() >= 256 {
        cache.clear();
    }
    cache.insert(vendor.to_string(), Arc::clone(&words));
    words
}

/// Modal facts about one side.
#[derive(Default)]
struct Modals<'a> {
    prohibitions: Vec<Hit<'a>>,
    /// Obligations with their strength and actor.
    obligations: Vec<(Hit<'a>, u8, Actor)>,
    permissions: Vec<Hit<'a>>,
    conditions: Vec<Hit<'a>>,
}

fn modals<'a>(ctx: &Context<'_>, side: &Side<'a>) -> Modals<'a> {
    let mut out = Modals::default();
    for (c, seen) in &side.clauses {
        let c = *c;
        // Longest phrases first; a shorter one inside a longer one is skipped.
        let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
        for m in ctx
            .lexicon
            .modals
            .iter()
            .filter(|m| seen.may_have(&m.phrase))
        {
            for hit in find(&[c], &m.phrase) {
                let r = hit.span.start as usize..hit.span.end as usize;
                if taken.iter().any(|t| t.start < r.end && r.start < t.end) {
                    continue;
                }
                taken.push(r.clone());
                match m.kind {
                    ModalKind::Prohibition => out.prohibitions.push(hit),
                    ModalKind::Obligation => {
                        let actor = ctx.actor_before(&c.text, r.start, Some(seen));
                        out.obligations.push((hit, m.strength, actor));
                    }
                    ModalKind::Permission => out.permissions.push(hit),
                }
            }
        }
        for p in ctx.lexicon.conditions.iter().filter(|p| seen.may_have(p)) {
            out.conditions.extend(find(&[c], p));
        }
    }
    out
}

/// A duration or period found in text, in hours.
#[derive(Debug, Clone)]
struct Duration<'a> {
    hit: Hit<'a>,
    bound: Option<Bound>,
    hours: f64,
}

fn durations<'a>(ctx: &Context<'_>, side: &Side<'a>) -> Vec<Duration<'a>> {
    let lex = ctx.lexicon;
    let mut out = Vec::new();
    for (c, seen) in &side.clauses {
        let c = *c;
        for unit in &lex.units {
            for p in unit.patterns.iter().filter(|p| seen.may_have(p)) {
                for m in p.regex().find_iter(&c.text) {
                    // The number just before the unit: digits or a number word.
                    let before = c.text[..m.start()].trim_end();
                    let word_start = before
                        .rfind(|ch: char| ch.is_whitespace() || ch == '(')
                        .map_or(0, |i| i + 1);
                    let word = &before[word_start..];
                    let value = word.parse::<f64>().ok().or_else(|| {
                        lex.number_words
                            .iter()
                            .find(|n| {
                                n.phrase.regex().is_match(word) && n.phrase.text.len() == word.len()
                            })
                            .map(|n| n.value)
                    });
                    let Some(value) = value else { continue };
                    if out.iter().any(|d: &Duration<'_>| {
                        d.hit.clause.same_id(c)
                            && (d.hit.span.start as usize) <= m.start()
                            && m.end() <= d.hit.span.end as usize
                    }) {
                        continue; // "business days" already matched; skip "days"
                    }
                    // The relation just before the number ("within", "after", "at least").
                    let head = before[..word_start].trim_end();
                    let relation = lex.relations.iter().find(|r| {
                        r.phrase
                            .regex()
                            .find_iter(head)
                            .last()
                            .is_some_and(|rm| rm.end() == head.len())
                    });
                    let start = relation
                        .and_then(|r| r.phrase.regex().find_iter(head).last())
                        .map_or(word_start, |rm| rm.start());
                    let span = Span {
                        start: start as u32,
                        end: m.end() as u32,
                        text: c.text[start..m.end()].to_string(),
                    };
                    out.push(Duration {
                        hit: Hit { clause: c, span },
                        bound: relation.map(|r| r.value),
                        hours: value * unit.hours,
                    });
                }
            }
        }
        for pw in lex
            .period_words
            .iter()
            .filter(|pw| seen.may_have(&pw.phrase))
        {
            for hit in find(&[c], &pw.phrase) {
                out.push(Duration {
                    hit,
                    bound: Some(Bound::Period),
                    hours: pw.value,
                });
            }
        }
    }
    out
}

fn categories<'a>(ctx: &Context<'_>, side: &Side<'a>) -> Vec<(String, Hit<'a>)> {
    let mut out = Vec::new();
    for cat in &ctx.lexicon.categories {
        for p in &cat.patterns {
            out.extend(side.find(p).into_iter().map(|hit| (cat.name.clone(), hit)));
        }
    }
    out
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

fn distinct_texts(hits: &[&Hit<'_>]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    hits.iter()
        .map(|h| h.span.text.to_lowercase())
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|i| quote(i))
        .collect::<Vec<_>>()
        .join(", ")
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

/// Qualifier mentions with their strength.
fn qualifiers<'a>(ctx: &Context<'_>, side: &Side<'a>) -> Vec<(u8, Hit<'a>)> {
    ctx.lexicon
        .qualifiers
        .iter()
        .flat_map(|q| side.find(&q.phrase).into_iter().map(move |h| (q.value, h)))
        .collect()
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
pub fn unread_card(pair: &AlignedPair, old: &[&Clause], new: &[&Clause]) -> ChangeCard {
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
        format!("{what} under \u{201C}{section}\u{201D}, with no commitment the reader recognises: see the redline."),
        Severity::Low,
        Direction::Unclear,
        evidence(old, &[]),
        evidence(new, &[]),
    )
}

/// Cards for one aligned pair (frameworks excepted: see [`framework_cards`]).
/// `redline` is the pair's word redline, as [`super::redline::redline`]
/// gives it for the joined texts (empty if not worked out): a change no
/// detector can type is named by its first changed words.
///
/// The detectors run in a fixed order, which is the order of the cards.
pub fn pair_cards(
    ctx: &Context<'_>,
    pair: &AlignedPair,
    old: &[&Clause],
    new: &[&Clause],
    redline: &[RedlinePart],
) -> Vec<ChangeCard> {
    match pair.status {
        PairStatus::Unchanged | PairStatus::Editorial => return Vec::new(),
        PairStatus::Moved if !pair.text_changed => return Vec::new(),
        PairStatus::Added => return lone_clause_cards(ctx, new, true),
        PairStatus::Removed => return lone_clause_cards(ctx, old, false),
        _ => {}
    }
    let p = ChangedPair::new(ctx, old, new);
    let duties = Duties::of(&p);
    let mut cards = Vec::new();
    cards.extend(restriction_card(&p));
    cards.extend(responsibility_card(&p, &duties).or_else(|| provider_duty_card(&p, &duties)));
    cards.extend(qualifier_card(ctx, &p));
    cards.extend(deadline_card(ctx, &p));
    scope_cards(ctx, &p, &mut cards);
    if cards.is_empty() {
        cards.push(card(
            ChangeKind::Other,
            other_summary(old, new, redline),
            Severity::Low,
            Direction::Unclear,
            evidence(old, &[]),
            evidence(new, &[]),
        ));
    }
    cards
}

/// The two sides of a pair whose text changed, with the modal facts of
/// each: worked out once, and read by every detector.
struct ChangedPair<'s, 'a> {
    old: &'s [&'a Clause],
    new: &'s [&'a Clause],
    os: Side<'a>,
    ns: Side<'a>,
    om: Modals<'a>,
    nm: Modals<'a>,
}

impl<'s, 'a> ChangedPair<'s, 'a> {
    fn new(ctx: &Context<'_>, old: &'s [&'a Clause], new: &'s [&'a Clause]) -> Self {
        let (os, ns) = (Side::new(ctx, old), Side::new(ctx, new));
        let (om, nm) = (modals(ctx, &os), modals(ctx, &ns));
        ChangedPair {
            old,
            new,
            os,
            ns,
            om,
            nm,
        }
    }
}

/// Restrictions: a flat "may not" that now comes with conditions, or the reverse.
fn restriction_card(p: &ChangedPair<'_, '_>) -> Option<ChangeCard> {
    let (om, nm) = (&p.om, &p.nm);
    let more_conditions = nm.conditions.len() > om.conditions.len();
    let permits_now =
        nm.permissions.len() + nm.obligations.len() > om.permissions.len() + om.obligations.len();
    if !om.prohibitions.is_empty()
        && (nm.prohibitions.len() < om.prohibitions.len() || (more_conditions && permits_now))
    {
        let before: Vec<&Hit<'_>> = om.prohibitions.iter().collect();
        let mut after: Vec<&Hit<'_>> = nm.conditions.iter().collect();
        after.extend(nm.permissions.iter());
        after.extend(nm.obligations.iter().map(|(h, _, _)| h));
        Some(card(
            ChangeKind::RestrictionRelaxed,
            format!(
                "A flat prohibition ({}) now has exceptions or conditions ({})",
                list(&distinct_texts(&before)),
                list(&distinct_texts(&after))
            ),
            Severity::High,
            Direction::FavoursCustomer,
            evidence(p.old, &before),
            evidence(p.new, &after),
        ))
    } else if nm.prohibitions.len() > om.prohibitions.len()
        || (!om.conditions.is_empty()
            && nm.conditions.len() < om.conditions.len()
            && !nm.prohibitions.is_empty())
    {
        let after: Vec<&Hit<'_>> = nm.prohibitions.iter().collect();
        Some(card(
            ChangeKind::RestrictionTightened,
            format!(
                "New or stricter prohibition: {}",
                list(&distinct_texts(&after))
            ),
            Severity::High,
            Direction::FavoursProvider,
            evidence(p.old, &om.prohibitions.iter().collect::<Vec<_>>()),
            evidence(p.new, &after),
        ))
    } else {
        None
    }
}

/// Who carries the duties of each side: each obligation's number in its
/// side's [`Modals::obligations`], with its strength.
struct Duties {
    old_customer: Vec<(usize, u8)>,
    new_customer: Vec<(usize, u8)>,
    old_provider: Vec<(usize, u8)>,
    new_provider: Vec<(usize, u8)>,
}

impl Duties {
    fn of(p: &ChangedPair<'_, '_>) -> Duties {
        Duties {
            old_customer: duties(&p.om, Actor::Customer),
            new_customer: duties(&p.nm, Actor::Customer),
            old_provider: duties(&p.om, Actor::Provider),
            new_provider: duties(&p.nm, Actor::Provider),
        }
    }
}

/// The obligations `who` carries; a duty with no named actor is the
/// provider's.
fn duties(m: &Modals<'_>, who: Actor) -> Vec<(usize, u8)> {
    m.obligations
        .iter()
        .enumerate()
        .filter(|(_, (_, _, a))| (*a == who) || (who == Actor::Provider && *a == Actor::Unknown))
        .map(|(i, (_, s, _))| (i, *s))
        .collect()
}

/// The hits of the obligations `d` numbers.
fn obligation_hits<'m, 'a>(m: &'m Modals<'a>, d: &[(usize, u8)]) -> Vec<&'m Hit<'a>> {
    d.iter().map(|(i, _)| &m.obligations[*i].0).collect()
}

/// Duties moved between the customer and the provider.
fn responsibility_card(p: &ChangedPair<'_, '_>, d: &Duties) -> Option<ChangeCard> {
    if d.new_customer.len() > d.old_customer.len() && d.new_provider.len() <= d.old_provider.len() {
        let after = obligation_hits(&p.nm, &d.new_customer);
        Some(card(
            ChangeKind::ResponsibilityShifted,
            format!(
                "Duties moved to the customer: {}",
                list(&distinct_texts(&after))
            ),
            Severity::High,
            Direction::FavoursProvider,
            evidence(p.old, &[]),
            evidence(p.new, &after),
        ))
    } else if d.new_provider.len() > d.old_provider.len()
        && d.new_customer.len() < d.old_customer.len()
    {
        let after = obligation_hits(&p.nm, &d.new_provider);
        Some(card(
            ChangeKind::ResponsibilityShifted,
            "Duties moved from the customer to the provider".into(),
            Severity::High,
            Direction::FavoursCustomer,
            evidence(p.old, &[]),
            evidence(p.new, &after),
        ))
    } else {
        None
    }
}

/// The provider's duty got firmer or softer, appeared or went (checked
/// only when no duty moved between the parties).
fn provider_duty_card(p: &ChangedPair<'_, '_>, d: &Duties) -> Option<ChangeCard> {
    let strongest = |d: &[(usize, u8)]| d.iter().map(|(_, s)| *s).max().unwrap_or(0);
    let (s0, s1) = (strongest(&d.old_provider), strongest(&d.new_provider));
    let (kind, direction) = duty_change(s0, s1, !p.nm.permissions.is_empty());
    let kind = kind?;
    let before = obligation_hits(&p.om, &d.old_provider);
    let after: Vec<&Hit<'_>> = d
        .new_provider
        .iter()
        .map(|(i, _)| &p.nm.obligations[*i].0)
        .chain(p.nm.permissions.iter())
        .collect();
    let was: Vec<String> = d
        .old_provider
        .iter()
        .map(|(i, _)| p.om.obligations[*i].0.span.text.to_lowercase())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let now: Vec<String> = distinct_texts(&after);
    let firmer = matches!(
        kind,
        ChangeKind::ObligationAdded | ChangeKind::ObligationStrengthened
    );
    Some(card(
        kind,
        format!(
            "Provider duty {}: {} → {}",
            if firmer { "firmer" } else { "softer" },
            list_or_none(&was),
            list_or_none(&now)
        ),
        Severity::Medium,
        direction,
        evidence(p.old, &before),
        evidence(p.new, &after),
    ))
}

/// What became of the provider's strongest duty, from strength `s0` to
/// `s1` (0: none); `permits` is whether the new side grants permissions,
/// which makes a vanished duty a weakened one.
fn duty_change(s0: u8, s1: u8, permits: bool) -> (Option<ChangeKind>, Direction) {
    match (s0, s1) {
        (0, 0) => (None, Direction::Unclear),
        (0, _) => (
            Some(ChangeKind::ObligationAdded),
            Direction::FavoursCustomer,
        ),
        (_, 0) if permits => (
            Some(ChangeKind::ObligationWeakened),
            Direction::FavoursProvider,
        ),
        (_, 0) => (
            Some(ChangeKind::ObligationRemoved),
            Direction::FavoursProvider,
        ),
        (a, b) if b < a => (
            Some(ChangeKind::ObligationWeakened),
            Direction::FavoursProvider,
        ),
        (a, b) if b > a => (
            Some(ChangeKind::ObligationStrengthened),
            Direction::FavoursCustomer,
        ),
        _ => (None, Direction::Unclear),
    }
}

/// [`list`], or "none" for no items.
fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        list(items)
    }
}

/// Qualifiers ("promptly" → "without undue delay").
fn qualifier_card(ctx: &Context<'_>, p: &ChangedPair<'_, '_>) -> Option<ChangeCard> {
    let (oq, nq) = (qualifiers(ctx, &p.os), qualifiers(ctx, &p.ns));
    let max = |q: &[(u8, Hit<'_>)]| q.iter().map(|(s, _)| *s).max();
    let Some(a) = max(&oq) else {
        max(&nq)?;
        let after: Vec<&Hit<'_>> = nq.iter().map(|(_, h)| h).collect();
        return Some(card(
            ChangeKind::ObligationStrengthened,
            format!("Now qualified: {}", list(&distinct_texts(&after))),
            Severity::Low,
            Direction::Unclear,
            evidence(p.old, &[]),
            evidence(p.new, &after),
        ));
    };
    let b = max(&nq).unwrap_or(0);
    if a == b {
        return None;
    }
    let before: Vec<&Hit<'_>> = oq.iter().map(|(_, h)| h).collect();
    let after: Vec<&Hit<'_>> = nq.iter().map(|(_, h)| h).collect();
    let weaker = b < a;
    let now = if after.is_empty() {
        "no such qualifier".to_string()
    } else {
        list(&distinct_texts(&after))
    };
    let (kind, direction) = if weaker {
        (ChangeKind::ObligationWeakened, Direction::FavoursProvider)
    } else {
        (
            ChangeKind::ObligationStrengthened,
            Direction::FavoursCustomer,
        )
    };
    Some(card(
        kind,
        format!("{} became {}", list(&distinct_texts(&before)), now),
        Severity::Medium,
        direction,
        evidence(p.old, &before),
        evidence(p.new, &after),
    ))
}

/// Deadlines, durations and periods.
fn deadline_card(ctx: &Context<'_>, p: &ChangedPair<'_, '_>) -> Option<ChangeCard> {
    let (od, nd) = (durations(ctx, &p.os), durations(ctx, &p.ns));
    let old_keys: BTreeSet<_> = od.iter().map(duration_key).collect();
    let new_keys: BTreeSet<_> = nd.iter().map(duration_key).collect();
    if old_keys == new_keys {
        return None;
    }
    let gone: Vec<&Duration<'_>> = od
        .iter()
        .filter(|d| !new_keys.contains(&duration_key(d)))
        .collect();
    let came: Vec<&Duration<'_>> = nd
        .iter()
        .filter(|d| !old_keys.contains(&duration_key(d)))
        .collect();
    let direction = match (gone.first(), came.first()) {
        (Some(a), Some(b)) => deadline_direction(a, b),
        _ => Direction::Unclear,
    };
    let texts = |ds: &[&Duration<'_>]| {
        ds.iter()
            .map(|d| d.hit.span.text.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    };
    let summary = match (gone.is_empty(), came.is_empty()) {
        (false, false) => format!("{} became {}", list(&texts(&gone)), list(&texts(&came))),
        (false, true) => format!("{} no longer stated", list(&texts(&gone))),
        _ => format!("Now states {}", list(&texts(&came))),
    };
    let before: Vec<&Hit<'_>> = gone.iter().map(|d| &d.hit).collect();
    let after: Vec<&Hit<'_>> = came.iter().map(|d| &d.hit).collect();
    Some(card(
        ChangeKind::DeadlineChanged,
        summary,
        Severity::Medium,
        direction,
        evidence(p.old, &before),
        evidence(p.new, &after),
    ))
}

/// What tells two durations apart: their bound and their length to a
/// hundredth of an hour.
fn duration_key(d: &Duration<'_>) -> (String, i64) {
    (format!("{:?}", d.bound), (d.hours * 100.0).round() as i64)
}

/// Whom the change from duration `a` to `b` favours: a sooner deadline or
/// a shorter period favours the customer.
fn deadline_direction(a: &Duration<'_>, b: &Duration<'_>) -> Direction {
    match (a.bound, b.bound) {
        (Some(Bound::Lower), Some(Bound::Upper)) => Direction::FavoursCustomer,
        (Some(Bound::Upper), Some(Bound::Lower)) => Direction::FavoursProvider,
        (Some(Bound::Upper), Some(Bound::Upper)) | (Some(Bound::Period), Some(Bound::Period))
            if b.hours < a.hours =>
        {
            Direction::FavoursCustomer
        }
        (Some(Bound::Upper), Some(Bound::Upper)) | (Some(Bound::Period), Some(Bound::Period))
            if b.hours > a.hours =>
        {
            Direction::FavoursProvider
        }
        _ => Direction::Unclear,
    }
}

/// Scope: data categories named by one side and not the other.
fn scope_cards(ctx: &Context<'_>, p: &ChangedPair<'_, '_>, cards: &mut Vec<ChangeCard>) {
    let (oc, nc) = (categories(ctx, &p.os), categories(ctx, &p.ns));
    let names = |c: &[(String, Hit<'_>)]| c.iter().map(|(n, _)| n.clone()).collect::<BTreeSet<_>>();
    let (on, nn) = (names(&oc), names(&nc));
    let added: Vec<String> = nn.difference(&on).cloned().collect();
    let removed: Vec<String> = on.difference(&nn).cloned().collect();
    if !added.is_empty() {
        let after = category_hits(&nc, &added);
        cards.push(card(
            ChangeKind::ScopeBroadened,
            format!("Now also covers {}", added.join(", ")),
            Severity::Medium,
            Direction::Unclear,
            evidence(p.old, &[]),
            evidence(p.new, &after),
        ));
    }
    if !removed.is_empty() {
        let before = category_hits(&oc, &removed);
        cards.push(card(
            ChangeKind::ScopeNarrowed,
            format!("No longer covers {}", removed.join(", ")),
            Severity::Medium,
            Direction::Unclear,
            evidence(p.old, &before),
            evidence(p.new, &[]),
        ));
    }
}

/// The hits of the categories named in `names`.
fn category_hits<'c, 'a>(found: &'c [(String, Hit<'a>)], names: &[String]) -> Vec<&'c Hit<'a>> {
    found
        .iter()
        .filter(|(n, _)| names.contains(n))
        .map(|(_, h)| h)
        .collect()
}

/// The first words that changed, for changes no detector could type.
fn other_summary(old: &[&Clause], new: &[&Clause], redline: &[RedlinePart]) -> String {
    let worked_out;
    let parts = if redline.is_empty() {
        worked_out = super::redline::redline(&joined_text(old), &joined_text(new));
        &worked_out[..]
    } else {
        redline
    };
    let cut = |s: &str| {
        let s = s.trim();
        match s.char_indices().nth(60) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s.to_string(),
        }
    };
    // The changes in order, each a deletion and/or an insertion; the first
    // one that is more than editorial names the change ("memory" → "memory,"
    // or "Transport layer security (TLS)" → "TLS" would say nothing).
    use super::redline::Edit;
    let mut changes: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        match parts[i].edit {
            Edit::Same => i += 1,
            Edit::Deleted => {
                let ins = parts
                    .get(i + 1)
                    .filter(|p| p.edit == Edit::Inserted)
                    .map(|p| p.text.as_str());
                changes.push((Some(parts[i].text.as_str()), ins));
                i += if ins.is_some() { 2 } else { 1 };
            }
            Edit::Inserted => {
                changes.push((None, Some(parts[i].text.as_str())));
                i += 1;
            }
        }
    }
    let substantive = changes.iter().find(|(d, n)| {
        !super::align::editorially_equal(d.unwrap_or_default(), n.unwrap_or_default())
    });
    let (deleted, inserted) = match substantive.or(changes.first()) {
        Some((d, n)) => (d.map(cut), n.map(cut)),
        None => (None, None),
    };
    match (deleted, inserted) {
        (Some(d), Some(i)) => format!("Wording changed: {} → {}", quote(&d), quote(&i)),
        (Some(d), None) => format!("Wording removed: {}", quote(&d)),
        (None, Some(i)) => format!("Wording added: {}", quote(&i)),
        (None, None) => "Wording changed".into(),
    }
}

/// The texts of clauses joined by a space: what a pair's redline compares.
pub(crate) fn joined_text(clauses: &[&Clause]) -> String {
    clauses
        .iter()
        .map(|c| &*c.text)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cards for a clause that only one version has.
fn lone_clause_cards(ctx: &Context<'_>, side: &[&Clause], added: bool) -> Vec<ChangeCard> {
    let scanned = Side::new(ctx, side);
    let m = modals(ctx, &scanned);
    let lone = LoneClause {
        side,
        added,
        opening: opening_words(side),
    };
    let customer: Vec<&Hit<'_>> = m
        .obligations
        .iter()
        .filter(|(_, _, a)| *a == Actor::Customer)
        .map(|(h, _, _)| h)
        .chain(m.prohibitions.iter())
        .collect();
    if !customer.is_empty() {
        return vec![lone.card(
            (ChangeKind::ObligationAdded, ChangeKind::ObligationRemoved),
            "Customer duty",
            (Severity::Medium, Severity::Medium),
            (Direction::FavoursProvider, Direction::FavoursCustomer),
            &customer,
        )];
    }
    let mut provider: Vec<&Hit<'_>> = m
        .obligations
        .iter()
        .filter(|(_, _, a)| *a != Actor::Customer)
        .map(|(h, _, _)| h)
        .collect();
    let commitments = provider_commitments(ctx, &scanned);
    if !provider.is_empty() || !commitments.is_empty() {
        provider.extend(commitments.iter());
        return vec![lone.card(
            (ChangeKind::CommitmentAdded, ChangeKind::CommitmentRemoved),
            "Provider commitment",
            (Severity::Medium, Severity::High),
            (Direction::FavoursCustomer, Direction::FavoursProvider),
            &provider,
        )];
    }
    vec![lone.card(
        (ChangeKind::Other, ChangeKind::Other),
        "Clause",
        (Severity::Low, Severity::Low),
        (Direction::Unclear, Direction::Unclear),
        &[],
    )]
}

/// The commitment verbs in a side whose actor is the provider.
fn provider_commitments<'a>(ctx: &Context<'_>, scanned: &Side<'a>) -> Vec<Hit<'a>> {
    ctx.lexicon
        .commitment_verbs
        .iter()
        .flat_map(|v| scanned.find(v))
        .filter(|h| {
            let seen = scanned.occurring(h.clause);
            ctx.actor_before(&h.clause.text, h.span.start as usize, seen) == Actor::Provider
        })
        .collect()
}

/// The first twelve words of a side's first clause, which name it in a summary.
fn opening_words(side: &[&Clause]) -> String {
    let first = side.first().map(|c| &*c.text).unwrap_or_default();
    first
        .split_whitespace()
        .take(12)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A clause only one version has: which side it is on, and its opening words.
struct LoneClause<'s, 'a> {
    side: &'s [&'a Clause],
    added: bool,
    opening: String,
}

impl LoneClause<'_, '_> {
    /// The first of a pair when the clause was added, the second when removed.
    fn pick<T>(&self, (when_added, when_removed): (T, T)) -> T {
        if self.added {
            when_added
        } else {
            when_removed
        }
    }

    /// The card for this clause, with what it is (`what`) in its summary;
    /// each pair is (when added, when removed).
    fn card(
        &self,
        kind: (ChangeKind, ChangeKind),
        what: &str,
        severity: (Severity, Severity),
        direction: (Direction, Direction),
        hits: &[&Hit<'_>],
    ) -> ChangeCard {
        let e = evidence(self.side, hits);
        let (before, after) = if self.added { (None, e) } else { (e, None) };
        card(
            self.pick(kind),
            format!(
                "{what} {}: {}",
                if self.added { "added" } else { "removed" },
                quote(&self.opening)
            ),
            self.pick(severity),
            self.pick(direction),
            before,
            after,
        )
    }
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
