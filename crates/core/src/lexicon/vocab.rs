//! The statements vocabulary (`corpus/statements.toml`): topics, party
//! roles, force phrases, qualifier openers and places. Data, so that an
//! analyst can teach trustlens a topic or a place without touching code.

use std::sync::{Arc, OnceLock};

use regex::Regex;
use serde::Deserialize;

use super::{phrase, Phrase, Severity};
use crate::located::DataFileError;
use crate::text::line_of;

/// File name of the statements vocabulary inside a corpus directory.
pub const STATEMENTS_FILE: &str = "statements.toml";

static BUNDLED: &str = include_str!("../../../../corpus/statements.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    topic: Vec<RawTopic>,
    parties: RawParties,
    forces: RawForces,
    qualifiers: RawQualifiers,
    places: RawPlaces,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: String,
    name: String,
    #[serde(default)]
    matrix: Vec<String>,
    severity: Severity,
    patterns: Vec<String>,
    #[serde(default)]
    families: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawParties {
    provider_roles: Vec<String>,
    customer_roles: Vec<String>,
    third_parties: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawForces {
    commit: Vec<String>,
    prohibit: Vec<String>,
    permit: Vec<String>,
    restraint_verbs: Vec<String>,
    practice_verbs: Vec<String>,
    #[serde(default)]
    irregular: Vec<String>,
    #[serde(default)]
    other_verbs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQualifiers {
    exceptions: Vec<String>,
    conditions: Vec<String>,
    time_words: Vec<String>,
    until: Vec<String>,
    scopes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaces {
    names: Vec<String>,
}

/// One topic of the taxonomy.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Stable ID (`breach-notification`).
    pub id: String,
    /// What a summary calls it ("Breach notification").
    pub name: String,
    /// Matrix entries the topic belongs to.
    pub matrix: Vec<String>,
    /// How much a change to it matters.
    pub severity: Severity,
    /// Words that put a sentence in the topic.
    pub patterns: Vec<Phrase>,
    /// Lexicon framework families of the topic.
    pub families: Vec<String>,
}

/// The compiled vocabulary.
#[derive(Debug, Clone)]
pub struct Vocab {
    /// Topics, in file order (earlier wins a tie).
    pub topics: Vec<Topic>,
    /// Role words that put a defined term on the provider's side.
    pub provider_roles: Vec<Phrase>,
    /// Role words for the customer's side.
    pub customer_roles: Vec<Phrase>,
    /// Words naming third parties.
    pub third_parties: Vec<Phrase>,
    /// Phrases that make an obligation.
    pub commit: Vec<Phrase>,
    /// Phrases that make a prohibition.
    pub prohibit: Vec<Phrase>,
    /// Phrases that make a permission.
    pub permit: Vec<Phrase>,
    /// Verbs whose negated practice is a self-imposed prohibition (stems).
    pub restraint_stems: Vec<String>,
    /// Practice verbs (stems of their lemmas).
    pub practice_stems: Vec<String>,
    /// Every written form of a practice or restraint verb (lower case)
    /// with its lemma: "notifies", "notified", "notifying" → "notify".
    pub verb_forms: rustc_hash::FxHashMap<String, String>,
    /// Other common verbs (lemmas), for agreement in summaries only.
    pub other_verbs: rustc_hash::FxHashSet<String>,
    /// Exception openers.
    pub exceptions: Vec<Phrase>,
    /// Condition openers.
    pub conditions: Vec<Phrase>,
    /// Durations without a number.
    pub time_words: Vec<Phrase>,
    /// End-point openers.
    pub until: Vec<Phrase>,
    /// Place-scope openers.
    pub scopes: Vec<Phrase>,
    /// One matcher for every place name.
    pub places: Arc<Regex>,
    /// Every phrase above, numbered for one filter ([`Vocab::seen`]).
    filter: super::PhraseSet,
    /// A hash of the text it was read from: what a cache of statements
    /// read with it is keyed by.
    pub fingerprint: u64,
}

impl Vocab {
    /// The vocabulary shipped with trustlens.
    pub fn bundled() -> &'static Arc<Vocab> {
        static VOCAB: OnceLock<Arc<Vocab>> = OnceLock::new();
        VOCAB.get_or_init(|| {
            Arc::new(
                Vocab::parse("corpus/statements.toml", BUNDLED)
                    .expect("the bundled statements vocabulary is valid (tested)"),
            )
        })
    }

    /// The vocabulary of a corpus directory if it has one, else the bundled one.
    pub fn for_dir(dir: Option<&std::path::Path>) -> Result<Arc<Vocab>, DataFileError> {
        if let Some(path) = dir.map(|d| d.join(STATEMENTS_FILE)).filter(|p| p.exists()) {
            let text = std::fs::read_to_string(&path).map_err(|e| DataFileError::io(&path, e))?;
            return Vocab::parse(&path.display().to_string(), &text).map(Arc::new);
        }
        Ok(Arc::clone(Vocab::bundled()))
    }

    /// The topic with this ID.
    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Parse vocabulary text; `file` is only used in messages.
    pub fn parse(file: &str, text: &str) -> Result<Vocab, DataFileError> {
        let at = |offset: usize, message: String| DataFileError::At {
            file: file.into(),
            line: line_of(text, offset),
            message,
        };
        let raw: Raw = toml::from_str(text)
            .map_err(|e| at(e.span().map_or(0, |s| s.start), e.message().trim().into()))?;
        let phrases = |what: &str, ps: &[String]| -> Result<Vec<Phrase>, DataFileError> {
            ps.iter()
                .map(|p| {
                    phrase(p).map_err(|e| {
                        at(
                            text.find(p.as_str()).unwrap_or(0),
                            format!("{what} \"{p}\": {e}"),
                        )
                    })
                })
                .collect()
        };
        let mut topics = Vec::with_capacity(raw.topic.len());
        for t in &raw.topic {
            if topics.iter().any(|o: &Topic| o.id == t.id) {
                return Err(at(
                    text.find(&t.id).unwrap_or(0),
                    format!("topic \"{}\" is defined twice", t.id),
                ));
            }
            topics.push(Topic {
                id: t.id.clone(),
                name: t.name.clone(),
                matrix: t.matrix.clone(),
                severity: t.severity,
                patterns: phrases("topic pattern", &t.patterns)?,
                families: t.families.clone(),
            });
        }
        let q = &raw.qualifiers;
        let mut vocab = Vocab {
            topics,
            provider_roles: phrases("provider role", &raw.parties.provider_roles)?,
            customer_roles: phrases("customer role", &raw.parties.customer_roles)?,
            third_parties: phrases("third party", &raw.parties.third_parties)?,
            commit: longest_first(phrases("commit phrase", &raw.forces.commit)?),
            prohibit: longest_first(phrases("prohibit phrase", &raw.forces.prohibit)?),
            permit: longest_first(phrases("permit phrase", &raw.forces.permit)?),
            restraint_stems: raw.forces.restraint_verbs.iter().map(|v| stem(v)).collect(),
            practice_stems: raw.forces.practice_verbs.iter().map(|v| stem(v)).collect(),
            verb_forms: verb_forms(&raw.forces),
            other_verbs: raw
                .forces
                .other_verbs
                .iter()
                .map(|v| v.to_lowercase())
                .collect(),
            exceptions: longest_first(phrases("exception", &q.exceptions)?),
            conditions: longest_first(phrases("condition", &q.conditions)?),
            time_words: longest_first(phrases("time word", &q.time_words)?),
            until: longest_first(phrases("end point", &q.until)?),
            scopes: phrases("scope", &q.scopes)?,
            places: Arc::new(
                places(&raw.places.names).map_err(|e| at(text.find("[places]").unwrap_or(0), e))?,
            ),
            filter: super::PhraseSet::number(&mut []),
            fingerprint: super::fingerprint(text),
        };
        vocab.number();
        Ok(vocab)
    }

    /// Number every phrase for one filter.
    fn number(&mut self) {
        let mut lists: Vec<&mut Vec<Phrase>> =
            self.topics.iter_mut().map(|t| &mut t.patterns).collect();
        lists.extend([
            &mut self.provider_roles,
            &mut self.customer_roles,
            &mut self.third_parties,
            &mut self.commit,
            &mut self.prohibit,
            &mut self.permit,
            &mut self.exceptions,
            &mut self.conditions,
            &mut self.time_words,
            &mut self.until,
            &mut self.scopes,
        ]);
        self.filter = super::PhraseSet::number(&mut lists);
    }

    /// Which of the vocabulary's phrases may occur in `text` (one pass; see
    /// [`super::PhraseFilter`]).
    pub fn seen(&self, text: &str) -> super::Occurring {
        self.filter.seen(text)
    }
}

/// Each verb's forms: the lemma, -s, -ed, -ing (spelling rules for -y,
/// -e and sibilants), and the irregular forms given.
fn verb_forms(f: &RawForces) -> rustc_hash::FxHashMap<String, String> {
    let mut out = rustc_hash::FxHashMap::default();
    for lemma in f.practice_verbs.iter().chain(&f.restraint_verbs) {
        let first = lemma
            .split_whitespace()
            .next()
            .unwrap_or(lemma)
            .to_lowercase();
        for form in inflections(&first) {
            out.entry(form).or_insert_with(|| lemma.to_lowercase());
        }
    }
    for pair in &f.irregular {
        if let Some((lemma, form)) = pair.split_once(' ') {
            out.insert(form.trim().to_lowercase(), lemma.trim().to_lowercase());
        }
    }
    out
}

/// The regular forms of an English verb.
pub fn inflections(v: &str) -> Vec<String> {
    let consonant_y =
        v.ends_with('y') && !v.ends_with("ay") && !v.ends_with("ey") && !v.ends_with("oy");
    // Only a verb ending in "y" (one byte) loses its last letter.
    let stem_y = v.strip_suffix('y').unwrap_or(v);
    let third = if consonant_y {
        format!("{stem_y}ies")
    } else if ["sh", "ch", "x", "z", "ss", "o"]
        .iter()
        .any(|e| v.ends_with(e))
    {
        format!("{v}es")
    } else {
        format!("{v}s")
    };
    let past = if consonant_y {
        format!("{stem_y}ied")
    } else if v.ends_with('e') {
        format!("{v}d")
    } else {
        format!("{v}ed")
    };
    let ing = if let Some(stem) = v.strip_suffix('e').filter(|_| !v.ends_with("ee")) {
        format!("{stem}ing")
    } else {
        format!("{v}ing")
    };
    let mut forms = vec![v.to_string(), third, past, ing];
    // Doubled final consonant: "log" → "logged", "logging"; "transfer" → "transferred".
    let bytes = v.as_bytes();
    if bytes.len() >= 3 {
        let (a, b, c) = (
            bytes[bytes.len() - 3],
            bytes[bytes.len() - 2],
            bytes[bytes.len() - 1],
        );
        let vowel = |x: u8| b"aeiou".contains(&x);
        if !vowel(a) && vowel(b) && !vowel(c) && !b"wxy".contains(&c) {
            let last = c as char;
            forms.push(format!("{v}{last}ed"));
            forms.push(format!("{v}{last}ing"));
        }
    }
    forms
}

fn longest_first(mut ps: Vec<Phrase>) -> Vec<Phrase> {
    ps.sort_by_key(|p| std::cmp::Reverse(p.text.len()));
    ps
}

/// One matcher for the place names: a name written in capitals ("US",
/// "EEA") matches only in capitals, so that the pronoun "us" is no place.
fn places(names: &[String]) -> Result<Regex, String> {
    let mut alternatives: Vec<String> = names
        .iter()
        .map(|n| {
            let escaped = regex::escape(n.trim_end_matches('.')).replace("\\.", "\\.?");
            let dot = if n.ends_with('.') { "\\.?" } else { "" };
            if n.chars().any(char::is_lowercase) {
                format!("(?i:{escaped}){dot}")
            } else {
                format!("{escaped}{dot}")
            }
        })
        .collect();
    // Longer names first, so that "United States" is not read as "United".
    alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
    Regex::new(&format!(r"\b(?:{})(?:\b|$)", alternatives.join("|")))
        .map_err(|e| format!("places: {e}"))
}

/// The English stem of a phrase's words, lower-cased: how verbs are
/// compared ("notifies", "notify" and "notified" share one).
pub fn stem(words: &str) -> String {
    let stemmer = crate::words::Stemmer::default();
    words
        .split_whitespace()
        .filter_map(crate::words::plain)
        .map(|w| stemmer.stem(&w).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_vocabulary_parses_and_topics_name_matrix_entries() {
        let v = Vocab::bundled();
        assert!(v.topic("breach-notification").is_some());
        let matrix = crate::matrix::Matrices::bundled();
        for t in &v.topics {
            for m in &t.matrix {
                assert!(
                    matrix.entries.iter().any(|e| &e.id == m),
                    "topic {} names unknown matrix entry {m}",
                    t.id
                );
            }
        }
    }

    #[test]
    fn capital_place_names_match_only_in_capitals() {
        let v = Vocab::bundled();
        assert!(v.places.is_match("hosted in the US and the EU"));
        assert!(!v.places.is_match("contact us"));
        assert!(v.places.is_match("servers in germany"));
    }

    #[test]
    fn a_duplicate_topic_names_its_line() {
        let text = BUNDLED.replacen("id = \"retention\"", "id = \"deletion\"", 1);
        let e = Vocab::parse("s.toml", &text).unwrap_err().to_string();
        assert!(
            e.starts_with("s.toml:") && e.contains("defined twice"),
            "{e}"
        );
    }
}
