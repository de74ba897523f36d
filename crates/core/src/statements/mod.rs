//! Statements: what each clause commits to, as data.
//!
//! A [`Statement`] is one normative sentence (or list item) of a clause:
//! the [`Party`] that holds it, its [`Force`] (obligation, prohibition,
//! permission, practice, disclaimer), the action and its object, its
//! [`Qualifier`]s (conditions, exceptions, times, places, frameworks) and
//! its topic from the taxonomy in `corpus/statements.toml`. The compare
//! engine's cards are changes of statements between versions, and
//! `trustlens terms` lists a version's statements by topic.
//!
//! ```
//! use trustlens_core::statements::{Force, Party, Statements};
//! use trustlens_core::corpus::Version;
//! use trustlens_core::ingest::Format;
//! use trustlens_core::lexicon::Lexicon;
//!
//! let v = Version::from_text("acme", "Acme", "Security", "2024-01-01", Format::Markdown,
//!     "# Security incidents\n\nAcme will notify affected customers within 72 hours.\n");
//! let s = Statements::of(Lexicon::bundled(), &v);
//! assert_eq!(s.all[0].party, Party::Provider);
//! assert_eq!(s.all[0].force, Force::Obligation);
//! assert_eq!(s.all[0].topic.as_deref(), Some("breach-notification"));
//! ```
//!
//! The reader is explicit grammar over the lexicon and vocabulary, not a
//! statistical parser: README.md, "What a change means", says why.

mod extract;
mod parties;

use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use self::extract::{units, word_count, word_spans};
pub use self::parties::Parties;
use crate::corpus::Version;
pub use crate::lexicon::vocab::{Topic, Vocab};
use crate::lexicon::{Bound, Lexicon};

/// Who holds a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The vendor: its names, entities, defined terms, "we".
    Provider,
    /// The customer: "you", "Customer" and its defined terms.
    Customer,
    /// Subprocessors, authorities, data subjects and other third parties.
    ThirdParty,
    /// The text does not tell.
    Unknown,
}

impl Party {
    /// How a summary names the party.
    pub fn noun(self) -> &'static str {
        match self {
            Party::Provider => "the provider",
            Party::Customer => "the customer",
            Party::ThirdParty => "a third party",
            Party::Unknown => "someone",
        }
    }
}

/// What kind of statement it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Force {
    /// A duty: shall, must, will, commits to.
    Obligation,
    /// A duty not to: must not, may not, will never, "we do not sell".
    Prohibition,
    /// Latitude: may, can, reserves the right to.
    Permission,
    /// A statement of practice: "we encrypt", "backups are encrypted".
    Practice,
    /// A protection disclaimed: "we do not scan uploads".
    Disclaimer,
}

impl Force {
    /// The force's name in a summary.
    pub fn name(self) -> &'static str {
        match self {
            Force::Obligation => "obligation",
            Force::Prohibition => "prohibition",
            Force::Permission => "permission",
            Force::Practice => "stated practice",
            Force::Disclaimer => "disclaimer",
        }
    }
}

/// What a qualifier limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QualifierKind {
    /// "only if", "unless", "provided that", "when".
    Condition,
    /// "except for", "other than".
    Exception,
    /// Deadlines, durations, frequencies, end points.
    Time,
    /// Processing locations and scopes of place.
    Location,
    /// A framework or standard (its lexicon name).
    Framework,
    /// How something is done, by whom not a party: "by binding
    /// arbitrator", "by a firewall".
    Means,
}

/// One qualifier of a statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Qualifier {
    /// What it limits.
    pub kind: QualifierKind,
    /// Its words as written (a framework's lexicon name).
    pub text: String,
    /// A duration's length in hours, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hours: Option<f64>,
    /// What a duration bounds ("within": upper; "after": lower; "every": period).
    #[serde(skip)]
    #[ts(skip)]
    pub bound: Option<Bound>,
}

/// One normative statement of a clause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Statement {
    /// The clause it is in.
    pub clause_id: String,
    /// Where its words start in the clause text (bytes).
    pub start: u32,
    /// Where they end.
    pub end: u32,
    /// Its topic's ID from the taxonomy, when one fits.
    pub topic: Option<String>,
    /// Who holds it.
    pub party: Party,
    /// The words that name the party ("we", "Customer"); empty when implied.
    pub party_words: String,
    /// Whether the party is implied (a passive, a list item) rather than named.
    pub implied_party: bool,
    /// Its force.
    pub force: Force,
    /// An obligation's strength: 3 shall/must, 2 will, 1 should; 0 otherwise.
    pub strength: u8,
    /// The modal or phrase as written ("shall", "will not"); empty for a practice.
    pub modal: String,
    /// The verb (and particle) as written.
    pub action: String,
    /// The verb's lemma ("notifies" → "notify"), when the vocabulary knows it.
    pub lemma: String,
    /// The lemma's stem: how statements are matched.
    pub action_stem: String,
    /// What the action applies to.
    pub object: String,
    /// Whether the verb is passive ("data is encrypted").
    pub passive: bool,
    /// Conditions, exceptions, times, places, frameworks.
    pub qualifiers: Vec<Qualifier>,
    /// The stemmed content words of the object and of the sentence, worked
    /// out with the statement (a compare matches statements by them).
    #[serde(skip)]
    #[ts(skip)]
    pub words: Option<Arc<(Vec<String>, Vec<String>)>>,
}

impl Statement {
    /// The qualifiers of one kind.
    pub fn of_kind(&self, kind: QualifierKind) -> impl Iterator<Item = &Qualifier> {
        self.qualifiers.iter().filter(move |q| q.kind == kind)
    }
}

/// A version's statements, in reading order, with the document's parties.
#[derive(Debug, Clone)]
pub struct Statements {
    /// Every statement.
    pub all: Vec<Statement>,
    /// Who is who in the document.
    pub parties: Parties,
    /// Where each clause's statements are in `all` (they are contiguous).
    by_clause: rustc_hash::FxHashMap<String, std::ops::Range<usize>>,
}

impl Statements {
    /// The statements of a version, with the bundled vocabulary, worked out
    /// once per version and content (see [`Statements::with`]).
    pub fn of(lexicon: &Lexicon, version: &Version) -> Arc<Statements> {
        Statements::with(lexicon, Vocab::bundled(), version)
    }

    /// The statements of a version. A version's statements are computed
    /// once per process and kept (a bounded cache keyed by the version's
    /// ID and content), since a compare and a terms sheet of the same
    /// version would otherwise read it twice.
    pub fn with(lexicon: &Lexicon, vocab: &Vocab, version: &Version) -> Arc<Statements> {
        type Cache = Mutex<rustc_hash::FxHashMap<String, Arc<Statements>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = format!(
            "{}\0{}\0{:x}\0{:x}",
            version.info.id,
            content_key(version),
            lexicon.fingerprint,
            vocab.fingerprint
        );
        let cache = CACHE.get_or_init(Default::default);
        if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Arc::clone(s);
        }
        let s = Arc::new(read_version(lexicon, vocab, version));
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        // A session compares a few versions at a time: a bound keeps a long
        // session's cache small.
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&s));
        s
    }

    /// The statements of one clause.
    pub fn in_clause(&self, clause_id: &str) -> &[Statement] {
        self.by_clause
            .get(clause_id)
            .map_or(&[], |r| &self.all[r.clone()])
    }
}

/// What a version's statements depend on, cheaply: its file's SHA-256
/// when it has one, else (a version written in code) a hash of its
/// clauses' sections and texts.
fn content_key(version: &Version) -> String {
    if !version.info.sha256.is_empty() {
        return format!("{}:{}", version.info.sha256, version.doc.clauses.len());
    }
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for c in &version.doc.clauses {
        c.section_slug.hash(&mut h);
        c.text.hash(&mut h);
    }
    format!("text:{:x}:{}", h.finish(), version.doc.clauses.len())
}

/// A text's content words, stemmed and without the commonest function
/// words: what statements are matched and compared by.
pub fn content_words(text: &str) -> std::collections::BTreeSet<String> {
    const STOP: [&str; 24] = [
        "the", "a", "an", "of", "to", "and", "or", "in", "on", "for", "with", "by", "any", "all",
        "its", "our", "your", "their", "such", "this", "that", "these", "those", "be",
    ];
    // The same few thousand words come back in every clause of a
    // document: each thread keeps the stems it made.
    thread_local! {
        static STEMS: std::cell::RefCell<rustc_hash::FxHashMap<String, String>> = Default::default();
    }
    let stemmer = crate::words::Stemmer::default();
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > 100_000 {
            cache.clear();
        }
        word_spans(text)
            .filter_map(|(s, e)| crate::words::plain(&text[s..e]))
            .filter(|w| !STOP.contains(&w.as_str()))
            .map(|w| match cache.get(&w) {
                Some(stem) => stem.clone(),
                None => {
                    let stem = stemmer.stem(&w).into_owned();
                    cache.insert(w, stem.clone());
                    stem
                }
            })
            .collect()
    })
}

/// Read every clause of a version in order, carrying list lead-ins.
fn read_version(lexicon: &Lexicon, vocab: &Vocab, version: &Version) -> Statements {
    let parties = Parties::resolve(
        lexicon,
        vocab,
        &version.info.vendor,
        version.doc.clauses.iter().map(|c| &*c.text),
    );
    let reader = extract::Reader {
        lexicon,
        vocab,
        parties: &parties,
    };
    let mut all = Vec::new();
    let mut lead = None;
    let mut section: Option<&str> = None;
    for clause in &version.doc.clauses {
        if section != Some(&*clause.section_slug) {
            lead = None;
            section = Some(&clause.section_slug);
        }
        let item = clause.kind == crate::clause::ClauseKind::ListItem
            || extract::starts_with_marker(&clause.text);
        if !item && !clause.text.trim_end().ends_with(':') {
            lead = None;
        }
        let heading = clause.section.join(" ");
        let id = clause.id();
        for mut s in reader.read(&clause.text, &heading, &mut lead) {
            s.clause_id = id.clone();
            let sentence = clause
                .text
                .get(s.start as usize..s.end as usize)
                .unwrap_or("");
            let stems = |t: &str| content_words(t).into_iter().collect::<Vec<_>>();
            s.words = Some(Arc::new((stems(&s.object), stems(sentence))));
            all.push(s);
        }
    }
    let mut by_clause: rustc_hash::FxHashMap<String, std::ops::Range<usize>> = Default::default();
    for (k, s) in all.iter().enumerate() {
        by_clause
            .entry(s.clause_id.clone())
            .and_modify(|r| r.end = k + 1)
            .or_insert(k..k + 1);
    }
    Statements {
        all,
        parties,
        by_clause,
    }
}

/// The statements of one sentence, for tests and the docs: `vendor` is the
/// document's vendor, `heading` its section.
pub fn read_sentence(lexicon: &Lexicon, vendor: &str, heading: &str, text: &str) -> Vec<Statement> {
    let vocab = Vocab::bundled();
    let parties = Parties::resolve(lexicon, vocab, vendor, std::iter::once(text));
    let reader = extract::Reader {
        lexicon,
        vocab,
        parties: &parties,
    };
    reader.read(text, heading, &mut None)
}

#[cfg(test)]
mod tests;
