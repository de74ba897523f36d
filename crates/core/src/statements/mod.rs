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
pub use crate::lexicon::vocab::{Topic, Vocab};
use crate::corpus::Version;
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
}

impl Statements {
    /// The statements of a version, with the bundled vocabulary, worked out
    /// once per version and content (see [`Statements::with`]).
    pub fn of(lexicon: &Lexicon, version: &Version) -> Arc<Statements> {
        Statements::with(lexicon, Vocab::bundled(), version)
    }

    /// The statements of a version. A version's statements are computed
    /// once per process and kept (a bounded cache keyed by the version's
    /// ID, file hash and clause count), since a compare and a terms sheet
    /// of the same version would otherwise read it twice.
    pub fn with(lexicon: &Lexicon, vocab: &Vocab, version: &Version) -> Arc<Statements> {
        type Cache = Mutex<rustc_hash::FxHashMap<String, Arc<Statements>>>;
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let key = format!(
            "{}\0{}\0{}\0{:p}\0{:p}",
            version.info.id,
            version.info.sha256,
            version.doc.clauses.len(),
            lexicon as *const Lexicon,
            vocab as *const Vocab
        );
        let cache = CACHE.get_or_init(Default::default);
        if version.info.sha256.is_empty() {
            // Written in code (tests): no content key to trust.
            return Arc::new(read_version(lexicon, vocab, version));
        }
        if let Some(s) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Arc::clone(s);
        }
        let s = Arc::new(read_version(lexicon, vocab, version));
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= 64 {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&s));
        s
    }

    /// The statements of one clause.
    pub fn in_clause<'s>(&'s self, clause_id: &'s str) -> impl Iterator<Item = &'s Statement> + 's {
        self.all.iter().filter(move |s| s.clause_id == clause_id)
    }
}

/// Read every clause of a version in order, carrying list lead-ins.
fn read_version(lexicon: &Lexicon, vocab: &Vocab, version: &Version) -> Statements {
    let parties = Parties::resolve(
        lexicon,
        vocab,
        &version.info.vendor,
        version.doc.clauses.iter().map(|c| &*c.text),
    );
    let reader = extract::Reader { lexicon, vocab, parties: &parties };
    let mut all = Vec::new();
    let mut lead = None;
    let mut section: Option<&str> = None;
    for clause in &version.doc.clauses {
        if section != Some(&*clause.section_slug) {
            lead = None;
            section = Some(&clause.section_slug);
        }
        let item = clause.kind == crate::clause::ClauseKind::ListItem || extract::starts_with_marker(&clause.text);
        if !item && !clause.text.trim_end().ends_with(':') {
            lead = None;
        }
        let heading = clause.section.join(" ");
        let id = clause.id();
        for mut s in reader.read(&clause.text, &heading, &mut lead) {
            s.clause_id = id.clone();
            all.push(s);
        }
    }
    Statements { all, parties }
}

/// The statements of one sentence, for tests and the docs: `vendor` is the
/// document's vendor, `heading` its section.
pub fn read_sentence(lexicon: &Lexicon, vendor: &str, heading: &str, text: &str) -> Vec<Statement> {
    let vocab = Vocab::bundled();
    let parties = Parties::resolve(lexicon, vocab, vendor, std::iter::once(text));
    let reader = extract::Reader { lexicon, vocab, parties: &parties };
    reader.read(text, heading, &mut None)
}

#[cfg(test)]
mod tests;
