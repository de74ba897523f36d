//! The change lexicon (`corpus/lexicon.toml`): the vocabulary the compare
//! engine's detectors use — frameworks and their families, modal verbs,
//! conditions, qualifiers, time expressions, data categories and actors.
//!
//! It is data so that an analyst can extend it without touching code; the
//! file documents its own format. Patterns are plain phrases: matched
//! case-insensitively on word boundaries, a space matching any run of
//! spaces, hyphens or slashes and a `.` being optional.

use std::sync::OnceLock;

use regex::Regex;
use serde::Deserialize;

pub mod vocab;

use crate::located::DataFileError;
use crate::text::line_of;

/// File name of a lexicon inside a corpus directory.
pub const LEXICON_FILE: &str = "lexicon.toml";

static BUNDLED: &str = include_str!("../../../../corpus/lexicon.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    framework: Vec<RawFramework>,
    #[serde(default)]
    modal: Vec<RawModal>,
    #[serde(default)]
    condition: Vec<RawPhrase>,
    #[serde(default)]
    qualifier: Vec<RawStrength>,
    #[serde(default)]
    unit: Vec<RawUnit>,
    #[serde(default)]
    relation: Vec<RawRelation>,
    #[serde(default)]
    number_word: Vec<RawNumberWord>,
    #[serde(default)]
    period_word: Vec<RawPeriodWord>,
    #[serde(default)]
    data_category: Vec<RawCategory>,
    #[serde(default)]
    actors: RawActors,
    #[serde(default)]
    commitments: RawCommitments,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    name: String,
    family: String,
    #[serde(default = "medium")]
    severity: Severity,
    patterns: Vec<String>,
}

fn medium() -> Severity {
    Severity::Medium
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModal {
    phrase: String,
    kind: ModalKind,
    #[serde(default)]
    strength: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhrase {
    phrase: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStrength {
    phrase: String,
    strength: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: String,
    hours: f64,
    patterns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    phrase: String,
    bound: Bound,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNumberWord {
    word: String,
    value: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriodWord {
    phrase: String,
    hours: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: String,
    patterns: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawActors {
    #[serde(default)]
    provider: Vec<String>,
    #[serde(default)]
    customer: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawCommitments {
    #[serde(default)]
    verbs: Vec<String>,
}

/// How much a change matters.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    serde::Serialize,
    ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Low,
    /// Worth reviewing.
    Medium,
    /// Needs action or sign-off.
    High,
}

/// What a modal phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModalKind {
    /// Forbids ("may not").
    Prohibition,
    /// Requires ("must", "will").
    Obligation,
    /// Allows ("may").
    Permission,
}

/// What a time relation bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// At most ("within").
    Upper,
    /// At least ("after").
    Lower,
    /// A cycle ("every").
    Period,
}

/// A phrase with its matcher.
#[derive(Debug, Clone)]
pub struct Phrase {
    /// The phrase as written.
    pub text: String,
    /// The matcher's source (see [`phrase`]).
    pattern: String,
    /// The matcher, compiled on first use: a matrix and a lexicon hold
    /// hundreds of phrases, compiling every one of them was most of opening
    /// a small corpus, and most are only ever looked for through a set of
    /// all of them ([`Phrase::pattern`]).
    regex: OnceLock<Regex>,
    /// Its place in its lexicon's set of card phrases (see
    /// [`Lexicon::occurring`]), when it is one of them.
    slot: Option<usize>,
    /// Runs of letters or digits that every match has, each in a row,
    /// lower-cased: the phrase's runs of ASCII letters and digits of three
    /// or more (or its longest, if none is that long). Empty when the
    /// phrase has none. See [`PhraseFilter`].
    needles: Box<[Box<str>]>,
}

impl Phrase {
    /// This phrase numbered `slot` in a filter of its own ([`PhraseSet`]).
    fn with_slot(&self, slot: usize) -> Phrase {
        let mut p = self.clone();
        p.slot = Some(slot);
        p
    }

    /// The case-insensitive, word-bounded matcher.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            Regex::new(&self.pattern)
                .expect("phrase() checked the pattern's syntax and bounded its size")
        })
    }

    /// The matcher's source, for building a set of phrases.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The first word of the phrase, lower-cased.
    pub fn phrase_first_word(&self) -> String {
        self.text
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase()
    }
}

/// A framework entry.
#[derive(Debug, Clone)]
pub struct Framework {
    /// Display name.
    pub name: String,
    /// Family: frameworks of one family replace one another.
    pub family: String,
    /// How much a change to it matters.
    pub severity: Severity,
    /// Matchers.
    pub patterns: Vec<Phrase>,
}

/// A modal entry.
#[derive(Debug, Clone)]
pub struct Modal {
    /// Matcher.
    pub phrase: Phrase,
    /// What it does.
    pub kind: ModalKind,
    /// Strength of an obligation (0 otherwise).
    pub strength: u8,
}

/// A named, weighted phrase (qualifiers, relations, units...).
#[derive(Debug, Clone)]
pub struct Weighted<T> {
    /// Matcher.
    pub phrase: Phrase,
    /// Its value.
    pub value: T,
}

/// A unit of time.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Display name.
    pub name: String,
    /// Length in hours.
    pub hours: f64,
    /// Matchers.
    pub patterns: Vec<Phrase>,
}

/// A data category.
#[derive(Debug, Clone)]
pub struct Category {
    /// Display name.
    pub name: String,
    /// Matchers.
    pub patterns: Vec<Phrase>,
}

/// The loaded lexicon.
#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Frameworks.
    pub frameworks: Vec<Framework>,
    /// Modal phrases, longest first.
    pub modals: Vec<Modal>,
    /// Condition words.
    pub conditions: Vec<Phrase>,
    /// Qualifiers with their strength.
    pub qualifiers: Vec<Weighted<u8>>,
    /// Units of time.
    pub units: Vec<Unit>,
    /// Time relations with what they bound, longest first.
    pub relations: Vec<Weighted<Bound>>,
    /// Number words with their value.
    pub number_words: Vec<Weighted<f64>>,
    /// Period words with their length in hours.
    pub period_words: Vec<Weighted<f64>>,
    /// Data categories.
    pub categories: Vec<Category>,
    /// Provider actor words.
    pub provider: Vec<Phrase>,
    /// Customer actor words.
    pub customer: Vec<Phrase>,
    /// Commitment verbs.
    pub commitment_verbs: Vec<Phrase>,
    /// The statements vocabulary (topics, parties, forces, qualifiers,
    /// places): the bundled one, or a corpus directory's
    /// `statements.toml` ([`Lexicon::for_dir`]).
    pub statements: std::sync::Arc<self::vocab::Vocab>,
    /// A hash of the lexicon's text: what a cache of statements read with
    /// it is keyed by.
    pub fingerprint: u64,
    /// Every card phrase, by slot (built on first use): see
    /// [`Lexicon::occurring`].
    card_filter: OnceLock<PhraseFilter>,
    /// Every framework pattern, in order (built on first use): see
    /// [`Lexicon::framework_filter`].
    framework_filter: OnceLock<PhraseFilter>,
}

/// Longest phrase accepted, in characters: a phrase names a few words, and
/// the bound keeps every phrase's compiled matcher small.
pub const MAX_PHRASE_CHARS: usize = 200;

/// Turn a lexicon phrase into a word-bounded, case-insensitive matcher
/// (compiled when first used; its syntax is checked here).
pub fn phrase(text: &str) -> Result<Phrase, String> {
    let chars = text.chars().count();
    if chars > MAX_PHRASE_CHARS {
        return Err(format!(
            "a phrase of {chars} characters (at most {MAX_PHRASE_CHARS})"
        ));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return Err("an empty phrase".into());
    };
    // Dots, hyphens and slashes are optional in a match: a phrase of
    // nothing else would match the empty string everywhere.
    if !text.chars().any(char::is_alphanumeric) {
        return Err(format!(
            "the phrase \"{text}\" has no letter or digit to look for"
        ));
    }
    let mut pattern = String::from("(?i)");
    // Word boundaries only where the phrase starts or ends with a word character.
    if first.chars().next().is_some_and(char::is_alphanumeric) {
        pattern.push_str(r"\b");
    }
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            pattern.push_str(r"[\s\-/]+");
        }
        for c in w.chars() {
            match c {
                '.' => pattern.push_str(r"\.?"),
                '-' | '/' => pattern.push_str(r"[\s\-/]*"),
                c => pattern.push_str(&regex::escape(&c.to_string())),
            }
        }
    }
    if last.chars().last().is_some_and(char::is_alphanumeric) {
        pattern.push_str(r"\b");
    }
    regex_syntax::Parser::new()
        .parse(&pattern)
        .map_err(|e| e.to_string())?;
    // Within a word, every character but `.`, `-` and `/` is a literal of
    // the pattern, so a run of ASCII letters and digits is matched as it
    // is (in either case).
    // Short runs ("2" of "soc 2") are in most texts and rule nothing out.
    let runs: Vec<&str> = words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|run| !run.is_empty())
        .collect();
    let mut needles: Vec<Box<str>> = runs
        .iter()
        .filter(|run| run.len() >= 3)
        .map(|run| run.to_ascii_lowercase().into_boxed_str())
        .collect();
    if needles.is_empty() {
        needles.extend(
            runs.iter()
                .max_by_key(|run| run.len())
                .map(|run| run.to_ascii_lowercase().into_boxed_str()),
        );
    }
    needles.sort_unstable();
    needles.dedup();
    Ok(Phrase {
        text: text.to_string(),
        pattern,
        regex: OnceLock::new(),
        slot: None,
        needles: needles.into_boxed_slice(),
    })
}

/// A cheap test of which of many phrases can occur in a text, in one pass:
/// the text is searched for every phrase's needles (its runs of ASCII
/// letters and digits) at once, in any case, and a phrase missing one of
/// them cannot match. Only the phrases left need their regexes run.
///
/// Exact, not a heuristic: a needle's characters are literals of the
/// phrase's case-insensitive pattern, next to each other, and the only
/// characters that match an ASCII letter case-insensitively besides its
/// two ASCII cases are the long s (ſ, for `s`) and the Kelvin sign (K, for
/// `k`). A text holding either of those is let through whole.
#[derive(Debug, Clone)]
pub struct PhraseFilter {
    /// Every distinct needle.
    needles: aho_corasick::AhoCorasick,
    /// Each phrase's number and its needles (by their place in `needles`).
    phrases: Vec<(usize, Vec<usize>)>,
    /// How many phrases (one more than the highest number).
    len: usize,
}

/// The phrases a [`PhraseFilter`] lets through for one text, by index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MayOccur(Vec<u64>);

impl MayOccur {
    /// Whether phrase `i` may occur.
    pub fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    /// Whether no phrase may occur.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
}

impl PhraseFilter {
    /// A filter for these phrases, numbered in order.
    pub fn new<'p>(phrases: impl IntoIterator<Item = &'p Phrase>) -> PhraseFilter {
        PhraseFilter::numbered(phrases.into_iter().enumerate())
    }

    /// A filter for phrases with numbers of their own.
    fn numbered<'p>(phrases: impl IntoIterator<Item = (usize, &'p Phrase)>) -> PhraseFilter {
        let mut needles: Vec<&str> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut numbered = Vec::new();
        let mut len = 0;
        for (i, p) in phrases {
            len = len.max(i + 1);
            let own = p
                .needles
                .iter()
                .map(|n| {
                    *index.entry(n).or_insert_with(|| {
                        needles.push(n);
                        needles.len() - 1
                    })
                })
                .collect();
            numbered.push((i, own));
        }
        let needles = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(needles)
            .expect("needles are a few hundred short words");
        PhraseFilter {
            needles,
            phrases: numbered,
            len,
        }
    }

    /// The phrases that may occur in `text`.
    pub fn may_occur(&self, text: &str) -> MayOccur {
        let mut out = MayOccur(vec![0; self.len.div_ceil(64)]);
        if text.contains('\u{17F}') || text.contains('\u{212A}') {
            for &(i, _) in &self.phrases {
                out.set(i);
            }
            return out;
        }
        let mut found = MayOccur(vec![0; self.needles.patterns_len().div_ceil(64)]);
        for m in self.needles.find_overlapping_iter(text) {
            found.set(m.pattern().as_usize());
        }
        for (i, own) in &self.phrases {
            if own.iter().all(|&n| found.get(n)) {
                out.set(*i);
            }
        }
        out
    }
}

/// Lists of phrases numbered together for one [`PhraseFilter`]: a reader
/// that looks for many phrases in many short texts runs one filter pass
/// per text, then only the regexes of the phrases that may occur.
#[derive(Debug, Clone)]
pub struct PhraseSet {
    filter: PhraseFilter,
}

impl PhraseSet {
    /// Number the phrases of `lists` in order (each phrase is replaced by
    /// its numbered copy) and build their filter.
    pub fn number(lists: &mut [&mut Vec<Phrase>]) -> PhraseSet {
        let mut k = 0;
        for list in lists.iter_mut() {
            for p in list.iter_mut() {
                *p = p.with_slot(k);
                k += 1;
            }
        }
        let all = lists
            .iter()
            .flat_map(|l| l.iter())
            .map(|p| (p.slot.unwrap_or(0), p));
        PhraseSet {
            filter: PhraseFilter::numbered(all),
        }
    }

    /// Which of the set's phrases may occur in `text`.
    pub fn seen(&self, text: &str) -> Occurring {
        Occurring(self.filter.may_occur(text))
    }
}

/// Which of a lexicon's card phrases may occur in a text: the answer of
/// [`Lexicon::occurring`].
#[derive(Debug, Clone)]
pub struct Occurring(MayOccur);

impl Occurring {
    /// False when `phrase` certainly does not occur in the text; true when
    /// it may, or when it is not one of the lexicon's card phrases (a
    /// vendor's name, say), which the filter does not know.
    pub fn may_have(&self, phrase: &Phrase) -> bool {
        phrase.slot.is_none_or(|s| self.0.get(s))
    }
}

impl Lexicon {
    /// Indexes into [`Lexicon::frameworks`] of the frameworks `text` names,
    /// in order, each once. Opening a corpus asks this of every clause: one
    /// pass of the [`PhraseFilter`] leaves no pattern for most clauses and a
    /// few for the others, and only those few run their regexes.
    pub fn frameworks_in(&self, text: &str) -> Vec<usize> {
        let may_occur = self.framework_filter().may_occur(text);
        if may_occur.is_empty() {
            return Vec::new();
        }
        let mut k = 0; // each pattern's number in the filter
        let mut out = Vec::new();
        for (i, f) in self.frameworks.iter().enumerate() {
            let first = k;
            k += f.patterns.len();
            if f.patterns
                .iter()
                .enumerate()
                .any(|(j, p)| may_occur.get(first + j) && p.regex().is_match(text))
            {
                out.push(i);
            }
        }
        out
    }

    /// Which card phrases (modals, conditions, qualifiers, units,
    /// relations, number and period words, data categories, actors and
    /// commitment verbs) may occur in `text`, in one pass ([`PhraseFilter`]).
    /// A comparison looks for each of them in every changed clause;
    /// starting a regex search a hundred times per clause cost far more
    /// than this, after which only the phrases that may occur are searched.
    pub fn occurring(&self, text: &str) -> Occurring {
        let filter = self.card_filter.get_or_init(|| {
            PhraseFilter::numbered(self.card_phrases().filter_map(|p| p.slot.map(|s| (s, p))))
        });
        Occurring(filter.may_occur(text))
    }

    /// A filter for every framework pattern, numbered in order (framework
    /// by framework, each one's patterns in order).
    pub fn framework_filter(&self) -> &PhraseFilter {
        self.framework_filter
            .get_or_init(|| PhraseFilter::new(self.frameworks.iter().flat_map(|f| &f.patterns)))
    }

    /// The phrases [`Lexicon::occurring`] looks for, in slot order.
    fn card_phrases(&self) -> impl Iterator<Item = &Phrase> {
        self.modals
            .iter()
            .map(|m| &m.phrase)
            .chain(&self.conditions)
            .chain(self.qualifiers.iter().map(|q| &q.phrase))
            .chain(self.units.iter().flat_map(|u| &u.patterns))
            .chain(self.relations.iter().map(|r| &r.phrase))
            .chain(self.number_words.iter().map(|n| &n.phrase))
            .chain(self.period_words.iter().map(|n| &n.phrase))
            .chain(self.categories.iter().flat_map(|c| &c.patterns))
            .chain(&self.provider)
            .chain(&self.customer)
            .chain(&self.commitment_verbs)
    }

    /// Number the card phrases (see [`Lexicon::occurring`]).
    fn number_card_phrases(&mut self) {
        let phrases = self
            .modals
            .iter_mut()
            .map(|m| &mut m.phrase)
            .chain(&mut self.conditions)
            .chain(self.qualifiers.iter_mut().map(|q| &mut q.phrase))
            .chain(self.units.iter_mut().flat_map(|u| &mut u.patterns))
            .chain(self.relations.iter_mut().map(|r| &mut r.phrase))
            .chain(self.number_words.iter_mut().map(|n| &mut n.phrase))
            .chain(self.period_words.iter_mut().map(|n| &mut n.phrase))
            .chain(self.categories.iter_mut().flat_map(|c| &mut c.patterns))
            .chain(&mut self.provider)
            .chain(&mut self.customer)
            .chain(&mut self.commitment_verbs);
        for (slot, p) in phrases.enumerate() {
            p.slot = Some(slot);
        }
    }

    /// The lexicon shipped with trustlens.
    pub fn bundled() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(|| {
            Lexicon::parse("corpus/lexicon.toml", BUNDLED)
                .expect("the bundled lexicon is valid (tested)")
        })
    }

    /// The lexicon of a corpus directory if it has one, else the bundled one.
    /// Either file may be there alone: the other is the bundled one.
    pub fn for_dir(dir: Option<&std::path::Path>) -> Result<Lexicon, DataFileError> {
        let mut lexicon = match dir.map(|d| d.join(LEXICON_FILE)).filter(|p| p.exists()) {
            Some(path) => {
                let text =
                    std::fs::read_to_string(&path).map_err(|e| DataFileError::io(&path, e))?;
                Lexicon::parse(&path.display().to_string(), &text)?
            }
            None => Lexicon::bundled().clone(),
        };
        lexicon.statements = self::vocab::Vocab::for_dir(dir)?;
        Ok(lexicon)
    }

    /// Parse lexicon text; `file` is only used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Lexicon, DataFileError> {
        let raw: Raw = toml::from_str(text).map_err(|e| DataFileError::At {
            file: file.into(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        let c = Compiler { file, text };
        let frameworks = c.frameworks(raw.framework)?;
        let modals = c.modals(raw.modal)?;
        let relations = c.relations(raw.relation)?;
        let qualifiers = c.weighted(
            "qualifier",
            raw.qualifier.into_iter().map(|q| (q.phrase, q.strength)),
        )?;
        let units = c.units(raw.unit)?;
        let categories = c.categories(raw.data_category)?;
        let mut lexicon = Lexicon {
            card_filter: OnceLock::new(),
            framework_filter: OnceLock::new(),
            frameworks,
            modals,
            conditions: raw
                .condition
                .iter()
                .map(|p| c.phrase("condition", &p.phrase))
                .collect::<Result<_, _>>()?,
            qualifiers,
            units,
            relations,
            number_words: c.weighted(
                "number word",
                raw.number_word.into_iter().map(|n| (n.word, n.value)),
            )?,
            period_words: c.weighted(
                "period word",
                raw.period_word.into_iter().map(|n| (n.phrase, n.hours)),
            )?,
            categories,
            provider: c.phrases("provider actor", &raw.actors.provider)?,
            customer: c.phrases("customer actor", &raw.actors.customer)?,
            commitment_verbs: c.phrases("commitment verb", &raw.commitments.verbs)?,
            statements: std::sync::Arc::clone(self::vocab::Vocab::bundled()),
            fingerprint: fingerprint(text),
        };
        lexicon.number_card_phrases();
        Ok(lexicon)
    }
}

/// A vendor name's capitalised words as phrases ("Acme (Globex)" → Acme,
/// Globex): the provider's own names in its documents. Each vendor's are
/// made once per process, since every version of a document asks again.
pub fn vendor_words(vendor: &str) -> std::sync::Arc<[Phrase]> {
    use std::sync::{Arc, Mutex};
    type Cache = Mutex<rustc_hash::FxHashMap<String, Arc<[Phrase]>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(words) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(vendor) {
        return Arc::clone(words);
    }
    let words: Arc<[Phrase]> = vendor
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
        .filter_map(|w| phrase(w).ok())
        .collect();
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    // A corpus has a few vendors; a bound keeps a long session's cache small.
    if cache.len() >= 256 {
        cache.clear();
    }
    cache.insert(vendor.to_string(), Arc::clone(&words));
    words
}

/// A stable hash of a data file's text (FNV-1a, 64 bits).
pub(crate) fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Compiles a lexicon's phrases; a phrase that does not compile is an error
/// at its line of the file.
struct Compiler<'a> {
    /// The lexicon's file, for messages.
    file: &'a str,
    /// Its text, to find a phrase's line.
    text: &'a str,
}

impl Compiler<'_> {
    /// Compile one phrase, `what` naming it in the error.
    fn phrase(&self, what: &str, p: &str) -> Result<Phrase, DataFileError> {
        phrase(p).map_err(|e| DataFileError::At {
            file: self.file.into(),
            line: self.text.find(p).map_or(1, |o| line_of(self.text, o)),
            message: format!("{what} \"{p}\": {e}"),
        })
    }

    /// Compile phrases in order, stopping at the first error.
    fn phrases(&self, what: &str, ps: &[String]) -> Result<Vec<Phrase>, DataFileError> {
        ps.iter().map(|p| self.phrase(what, p)).collect()
    }

    /// Compile phrases that each carry a value.
    fn weighted<T>(
        &self,
        what: &str,
        items: impl IntoIterator<Item = (String, T)>,
    ) -> Result<Vec<Weighted<T>>, DataFileError> {
        items
            .into_iter()
            .map(|(p, value)| {
                Ok(Weighted {
                    phrase: self.phrase(what, &p)?,
                    value,
                })
            })
            .collect()
    }

    /// The frameworks, each with its patterns.
    fn frameworks(&self, raw: Vec<RawFramework>) -> Result<Vec<Framework>, DataFileError> {
        raw.into_iter()
            .map(|f| {
                Ok(Framework {
                    patterns: self.phrases("framework pattern", &f.patterns)?,
                    name: f.name,
                    family: f.family,
                    severity: f.severity,
                })
            })
            .collect()
    }

    /// The modal verbs, longest phrase first so that it is tried first.
    fn modals(&self, raw: Vec<RawModal>) -> Result<Vec<Modal>, DataFileError> {
        let mut modals = raw
            .into_iter()
            .map(|m| {
                Ok(Modal {
                    phrase: self.phrase("modal", &m.phrase)?,
                    kind: m.kind,
                    strength: m.strength,
                })
            })
            .collect::<Result<Vec<_>, DataFileError>>()?;
        modals.sort_by_key(|m| std::cmp::Reverse(m.phrase.text.len()));
        Ok(modals)
    }

    /// The relations and their bounds, longest phrase first.
    fn relations(&self, raw: Vec<RawRelation>) -> Result<Vec<Weighted<Bound>>, DataFileError> {
        let mut relations =
            self.weighted("relation", raw.into_iter().map(|r| (r.phrase, r.bound)))?;
        relations.sort_by_key(|r| std::cmp::Reverse(r.phrase.text.len()));
        Ok(relations)
    }

    /// The time units, each with its patterns longest first, and the units
    /// in the order of their longest pattern.
    fn units(&self, raw: Vec<RawUnit>) -> Result<Vec<Unit>, DataFileError> {
        let mut units = raw
            .into_iter()
            .map(|u| {
                let mut patterns = self.phrases("unit", &u.patterns)?;
                patterns.sort_by_key(|p| std::cmp::Reverse(p.text.len()));
                Ok(Unit {
                    name: u.name,
                    hours: u.hours,
                    patterns,
                })
            })
            .collect::<Result<Vec<_>, DataFileError>>()?;
        // "business day" must be tried before "day".
        units.sort_by_key(|u| {
            std::cmp::Reverse(u.patterns.iter().map(|p| p.text.len()).max().unwrap_or(0))
        });
        Ok(units)
    }

    /// The data categories, each with its patterns.
    fn categories(&self, raw: Vec<RawCategory>) -> Result<Vec<Category>, DataFileError> {
        raw.into_iter()
            .map(|c| {
                Ok(Category {
                    patterns: self.phrases("data category", &c.patterns)?,
                    name: c.name,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The filter may let a phrase through where it does not occur, never
    /// the other way round: checked for every card phrase and framework
    /// pattern against every clause of the bundled corpus and texts made to
    /// trip it (case, hyphens, dots, the long s and the Kelvin sign, which
    /// match `s` and `k` case-insensitively).
    #[test]
    fn the_phrase_filter_never_rules_out_a_phrase_that_occurs() {
        let lexicon = Lexicon::bundled();
        let corpus = crate::corpus::Corpus::bundled().unwrap();
        let mut texts: Vec<String> = corpus.clauses().map(|(_, c)| c.text.to_string()).collect();
        texts.extend(
            [
                "We MAY NOT share it; customers Must; within thirty (30) Days",
                "EU-U.S. Privacy-Shield and SAFE/HARBOUR, iso/iec 27001",
                "ſafe harbor, ſoc 2, ISO 27001, HIPAA", // long s
                "\u{212A}eys are rotated by the customer", // Kelvin sign
                "no phrase here at all",
                "",
            ]
            .map(String::from),
        );
        let cards: Vec<&Phrase> = lexicon.card_phrases().collect();
        let patterns: Vec<&Phrase> = lexicon
            .frameworks
            .iter()
            .flat_map(|f| &f.patterns)
            .collect();
        let mut ruled_out = 0;
        for text in &texts {
            let seen = lexicon.occurring(text);
            for p in &cards {
                if p.regex().is_match(text) {
                    assert!(seen.may_have(p), "{:?} ruled out of {text:?}", p.text);
                } else if !seen.may_have(p) {
                    ruled_out += 1;
                }
            }
            let may = lexicon.framework_filter().may_occur(text);
            for (i, p) in patterns.iter().enumerate() {
                if p.regex().is_match(text) {
                    assert!(may.get(i), "{:?} ruled out of {text:?}", p.text);
                }
            }
            let named: Vec<usize> = (0..lexicon.frameworks.len())
                .filter(|&i| {
                    lexicon.frameworks[i]
                        .patterns
                        .iter()
                        .any(|p| p.regex().is_match(text))
                })
                .collect();
            assert_eq!(lexicon.frameworks_in(text), named, "{text:?}");
        }
        // And it does rule out most phrases most of the time.
        assert!(ruled_out > texts.len() * cards.len() / 2, "{ruled_out}");
        // The two characters outside ASCII that match ASCII letters.
        let filter = PhraseFilter::new([&phrase("keys").unwrap(), &phrase("safe").unwrap()]);
        for (text, i) in [("\u{212A}EYS", 0), ("\u{17F}afe", 1)] {
            assert!(PhraseFilter::new([&phrase(["keys", "safe"][i]).unwrap()])
                .may_occur(text)
                .get(0));
            assert!(phrase(["keys", "safe"][i]).unwrap().regex().is_match(text));
            assert!(filter.may_occur(text).get(i), "{text}");
        }
        assert!(filter.may_occur("KEYS").get(0) && !filter.may_occur("KEYS").get(1));
        assert!(filter.may_occur("nothing").is_empty());
        // Phrases outside the lexicon are never ruled out.
        let vendor = phrase("Heroku").unwrap();
        assert!(lexicon.occurring("nothing").may_have(&vendor));
    }

    #[test]
    fn the_bundled_lexicon_loads() {
        let l = Lexicon::bundled();
        assert!(l.frameworks.len() >= 15);
        assert_eq!(
            l.modals[0].phrase.text.len(),
            l.modals.iter().map(|m| m.phrase.text.len()).max().unwrap()
        );
    }

    #[test]
    fn phrases_are_flexible_about_spacing_dots_and_case() {
        let p = phrase("eu u.s. dpf").unwrap();
        assert!(p.regex().is_match("the EU-US DPF applies"));
        assert!(p.regex().is_match("the EU-U.S. DPF applies"));
        let p = phrase("safe harbor").unwrap();
        assert!(p.regex().is_match("Swiss/US Safe Harbor frameworks"));
        assert!(!phrase("soc 2").unwrap().regex().is_match("SOC 21"));
        assert!(!phrase("may").unwrap().regex().is_match("mayor"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Lexicon::parse("lex.toml", "[[framework]]\nname = \"x\"\nfamily = \"f\"\npatterns = [\"a\"]\nseverity = \"huge\"\n").unwrap_err().to_string();
        assert!(e.starts_with("lex.toml:5:"), "{e}");
        let e = Lexicon::parse(
            "lex.toml",
            "[[modal]]\nphrase = \"   \"\nkind = \"obligation\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("lex.toml:") && e.contains("empty phrase"), "{e}");
    }

    /// Phrases compile when first used, so a phrase too long to compile
    /// into a small matcher must be refused when the file is read, with the
    /// file named, not fail later in the middle of a comparison.
    #[test]
    fn a_phrase_too_long_is_refused_when_the_file_is_read() {
        let long = "word ".repeat(60);
        let e = Lexicon::parse(
            "lex.toml",
            &format!("[[modal]]\nphrase = \"{long}\"\nkind = \"obligation\"\n"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("lex.toml:") && e.contains("at most 200"), "{e}");
        let p = phrase(&"x".repeat(MAX_PHRASE_CHARS)).unwrap();
        assert!(p.regex().is_match(&"x".repeat(MAX_PHRASE_CHARS)));
        // Phrases of any characters compile: each one is escaped.
        for text in ["(a|b", "[x", "\\p{Foo}", "a{99999}", "c++ / c#", "é É ſ K"] {
            let p = phrase(text).unwrap();
            assert!(!p.regex().is_match("nothing like it"), "{text}");
        }
        // One that could only match the empty string is refused.
        for text in [".", "-", "/ .", "-- //"] {
            let e = phrase(text).unwrap_err();
            assert!(e.contains("no letter or digit"), "{text}: {e}");
        }
    }
}
