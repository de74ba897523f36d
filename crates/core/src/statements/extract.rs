//! From a clause's text to its statements: explicit grammar over the
//! lexicon and the statements vocabulary.
//!
//! A clause is cut into units (sentences, and the parts of a list
//! separated by semicolons). In each unit the reader finds the predicates
//! (a modal verb, a commitment or prohibition phrase, a negated or plain
//! practice verb, a passive "is encrypted"), the party that holds each (the
//! last party word that is the subject before it, else the one before,
//! else — in a provider's document — the provider), the action and its
//! object, and the qualifiers anywhere in the unit.

use std::sync::OnceLock;

use regex::Regex;

use super::parties::Parties;
use super::{Force, Party, Qualifier, QualifierKind, Statement};
use crate::lexicon::vocab::{stem, Vocab};
use crate::lexicon::{Bound, Lexicon, ModalKind};

/// What a reader needs for one document.
pub struct Reader<'a> {
    /// Modal verbs, qualifiers, durations, frameworks.
    pub lexicon: &'a Lexicon,
    /// Topics, force phrases, qualifier openers, places.
    pub vocab: &'a Vocab,
    /// The document's parties.
    pub parties: &'a Parties,
}

/// A predicate found in a unit.
#[derive(Debug, Clone)]
struct Predicate {
    /// Where its words start and end in the unit.
    start: usize,
    end: usize,
    force: Force,
    strength: u8,
    /// The modal or phrase as written ("shall", "will not"); empty for a
    /// plain practice.
    modal: String,
    /// A practice verb found as the predicate itself ("encrypts").
    verb_at: Option<(usize, usize)>,
}

/// Inherited from a list's lead-in ("The provider will:") by its items.
#[derive(Debug, Clone)]
pub struct LeadIn {
    party: Party,
    party_words: String,
    force: Force,
    strength: u8,
    modal: String,
    topic: Option<String>,
    /// The lead-in's own verb ("implement and maintain the following:"),
    /// for items that are nouns ("(c) annual penetration testing").
    action: String,
    /// Whether that verb is passive ("may not be uploaded:"): then a noun
    /// item is its subject.
    passive: bool,
}

/// How far after a passive predicate (bytes) its "by …" means may start.
const MEANS_REACH: usize = 24;

/// Words between a verb and its object's end: a preposition or conjunction
/// that opens a qualifier ends the object.
const OBJECT_ENDS: [&str; 34] = [
    "within", "for", "by", "at", "in", "on", "to", "with", "without", "unless", "if", "except",
    "when", "where", "after", "before", "until", "upon", "from", "during", "as", "that", "which",
    "who", "and", "or", "than", "of", "using", "via", "through", "outside", "inside", "across",
];

impl Reader<'_> {
    /// The statements of one clause's text. `lead` carries a list's lead-in
    /// from one item to the next; `heading` is the clause's section, for
    /// its topic when its words name none.
    pub fn read(&self, text: &str, heading: &str, lead: &mut Option<LeadIn>) -> Vec<Statement> {
        // Web addresses hold words ("export.gov") but say nothing: blanked,
        // same length, so offsets still point into the clause.
        let blanked = blank_urls(text);
        let text = blanked.as_str();
        let mut out = Vec::new();
        let mut carried = lead.clone();
        for (k, (u0, u1)) in units(text).into_iter().enumerate() {
            let unit = &text[u0..u1];
            // A sentence of its own holds its own statements; a list's
            // next part ("; (b) log access", "; and review logs") inherits.
            let continues =
                k == 0 || starts_with_marker(unit) || unit.starts_with(|c: char| c.is_lowercase());
            let inherit = if continues { carried.clone() } else { None };
            let mut found = self.read_unit(unit, heading, &inherit);
            for s in &mut found {
                s.start += u0 as u32;
                s.end += u0 as u32;
            }
            if let Some(last) = found.last() {
                carried = Some(LeadIn {
                    party: last.party,
                    party_words: last.party_words.clone(),
                    force: last.force,
                    strength: last.strength,
                    modal: last.modal.clone(),
                    topic: last.topic.clone(),
                    action: last.action.clone(),
                    passive: last.passive,
                });
            }
            out.extend(found);
        }
        // A lead-in ends with a colon: its items inherit its predicate.
        if text.trim_end().ends_with(':') {
            *lead = carried;
        }
        out
    }

    /// The statements of one unit.
    fn read_unit(&self, unit: &str, heading: &str, lead: &Option<LeadIn>) -> Vec<Statement> {
        let quals = self.qualifiers(unit);
        let inside = |at: usize| {
            quals.iter().any(|(q, s, e)| {
                matches!(
                    q.kind,
                    QualifierKind::Condition | QualifierKind::Exception | QualifierKind::Time
                ) && *s < at
                    && at < *e
            })
        };
        let preds: Vec<Predicate> = self
            .predicates(unit)
            .into_iter()
            .filter(|p| !inside(p.start))
            .collect();
        let topic = self.topic(unit, heading, None);
        if preds.is_empty() {
            // A list item under a lead-in: the item is the action.
            return lead
                .iter()
                .filter(|_| word_count(unit) >= 2)
                .map(|l| self.inherited(unit, l, &quals, topic.clone().or_else(|| l.topic.clone())))
                .collect();
        }
        let mut out: Vec<Statement> = Vec::with_capacity(preds.len());
        for (k, p) in preds.iter().enumerate() {
            let from = if k == 0 { 0 } else { preds[k - 1].end };
            let to = preds.get(k + 1).map_or(unit.len(), |n| n.start);
            // A qualifier belongs to the predicate it follows (those before
            // the first predicate, to the first).
            let own: Vec<(Qualifier, usize, usize)> = quals
                .iter()
                .filter(|(_, s, _)| (k == 0 || *s >= p.start) && *s < to)
                .cloned()
                .collect();
            let s = self.statement(unit, heading, p, (from, to), &own, out.last(), &topic);
            out.push(s);
        }
        // A lead-in ("Acme will:") keeps its predicate for its items even
        // though it has no action of its own.
        let lead_in = unit.trim_end().ends_with(':');
        let last = out.len().saturating_sub(1);
        let mut k = 0;
        out.retain(|s| {
            k += 1;
            is_action(&s.action) || (lead_in && k - 1 == last)
        });
        out
    }

    /// The statement of predicate `p`, which holds the words `span` of the
    /// unit; `prev` is the unit's statement before it.
    #[allow(clippy::too_many_arguments)]
    fn statement(
        &self,
        unit: &str,
        heading: &str,
        p: &Predicate,
        (from, to): (usize, usize),
        quals: &[(Qualifier, usize, usize)],
        prev: Option<&Statement>,
        unit_topic: &Option<String>,
    ) -> Statement {
        let (action, mut object, passive) = self.action(unit, p, from, to);
        let segment = unit[from..p.start]
            .replace(" and ", " ")
            .replace(" or ", " ");
        if passive
            && (object.is_empty() || only_adverbs(&segment) || opens_with_preposition(&object))
        {
            // "Logs are collected hourly and kept for a year".
            object = prev.map(|s| s.object.clone()).unwrap_or_default();
        }
        let agent = passive.then(|| self.agent(&unit[p.end..to])).flatten();
        let (party, words, implied) = match (agent, self.subject(&unit[from..p.start])) {
            (Some((party, w)), _) | (None, Some((party, w))) => (party, w, false),
            (None, None) => match prev {
                Some(prev) if !passive => {
                    (prev.party, prev.party_words.clone(), prev.implied_party)
                }
                // No party named: in a provider's document, the provider's.
                _ => {
                    let mut words = self.noun_subject(unit, from, p);
                    let joined = unit[from..p.start].trim_end().ends_with(" and")
                        || unit[from..p.start].trim_end().ends_with(" or");
                    if let (true, true, Some(prev)) = (words.is_empty(), joined, prev) {
                        words = if prev.passive {
                            prev.object.clone()
                        } else {
                            prev.party_words.clone()
                        };
                    }
                    (Party::Provider, words, true)
                }
            },
        };
        let places = quals.iter().any(|(q, s, _)| {
            q.kind == QualifierKind::Location && *s >= from && self.vocab.places.is_match(&q.text)
        });
        let topic = self
            .topic(&unit[from..to.max(p.end)], heading, Some((&action, places)))
            .or_else(|| unit_topic.clone());
        // A means belongs to a passive verb it follows closely ("will be
        // resolved by arbitration"); "abide by", "provided by X" elsewhere
        // in the sentence are not this statement's.
        let own_means = |start: usize| passive && start >= p.end && start - p.end <= MEANS_REACH;
        let qualifiers = quals
            .iter()
            .filter(|(q, s, _)| q.kind != QualifierKind::Means || own_means(*s))
            .map(|(q, _, _)| q.clone())
            .collect();
        let lemma = self.lemma(&action);
        Statement {
            clause_id: String::new(),
            start: from as u32,
            end: to as u32,
            topic,
            party,
            party_words: words,
            implied_party: implied,
            force: p.force,
            strength: p.strength,
            modal: p.modal.clone(),
            action_stem: stem(&lemma),
            lemma,
            action,
            object,
            passive,
            qualifiers,
            words: None,
        }
    }

    /// A verb's lemma when the vocabulary knows it ("notifies" → "notify",
    /// "reviewing" → "review"), else the verb as written; a particle stays.
    fn lemma(&self, action: &str) -> String {
        let mut words = action.split_whitespace();
        let Some(first) = words.next() else {
            return String::new();
        };
        let rest: Vec<&str> = words.collect();
        match self.vocab.verb_forms.get(&first.to_lowercase()) {
            Some(l) if rest.is_empty() || l.contains(' ') => l.clone(),
            Some(l) => format!("{l} {}", rest.join(" ")),
            None => action.to_string(),
        }
    }

    /// A passive's agent: "performed by an independent third party".
    fn agent(&self, after: &str) -> Option<(Party, String)> {
        static BY: OnceLock<Regex> = OnceLock::new();
        let by = BY.get_or_init(|| Regex::new(r"(?i)\sby\s").expect("valid"));
        let rest = &after[by.find(after)?.end()..];
        let end = rest.find([',', ';', '.']).unwrap_or(rest.len()).min(60);
        let phrase = rest.get(..end)?;
        let (party, s, e) = self.parties.party_at(phrase)?;
        word_spans(&phrase[..s])
            .count()
            .le(&3)
            .then(|| (party, phrase[s..e].to_string()))
    }

    /// The words a practice with no party names as its subject ("All
    /// employees"), for its summary.
    fn noun_subject(&self, unit: &str, from: usize, p: &Predicate) -> String {
        let passive = p.verb_at.is_some_and(|(vs, _)| p.start < vs);
        let phrase = subject_phrase(&unit[from..p.start]);
        match passive || opens_with_preposition(&phrase) {
            true => String::new(),
            false => phrase,
        }
    }

    /// A list item's statement under its lead-in.
    fn inherited(
        &self,
        unit: &str,
        l: &LeadIn,
        quals: &[(Qualifier, usize, usize)],
        topic: Option<String>,
    ) -> Statement {
        let words: Vec<(usize, usize)> = word_spans(unit)
            .skip_while(|&(s, e)| {
                is_marker(&unit[s..e].to_lowercase())
                    || ["and", "or"].contains(&unit[s..e].to_lowercase().as_str())
            })
            .collect();
        // "c. within sixty days of the end of the term, erase or return any
        // data": the item's verb may follow its timing.
        let verb = words
            .iter()
            .take(12)
            .find(|&&(s, e)| self.present(&unit[s..e]).is_some())
            .copied();
        let (action, object) = match (verb, words.first()) {
            (Some((s, e)), _) => {
                let end = coordinated_verb(self, unit, e);
                (unit[s..end].to_string(), object_after(unit, end))
            }
            (None, first) => match first {
                // A noun item: the lead-in's verb applies to it (as its
                // subject when the verb is passive).
                Some(&(s, _)) => (l.action.clone(), object_after(unit, s)),
                None => (String::new(), String::new()),
            },
        };
        let lemma = self.lemma(&action);
        Statement {
            clause_id: String::new(),
            start: 0,
            end: unit.len() as u32,
            topic,
            party: l.party,
            party_words: l.party_words.clone(),
            implied_party: true,
            force: l.force,
            strength: l.strength,
            modal: l.modal.clone(),
            action_stem: stem(&lemma),
            lemma,
            action,
            passive: l.passive
                && !self.vocab.verb_forms.contains_key(
                    &object
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_lowercase(),
                ),
            object,
            qualifiers: quals.iter().map(|(q, _, _)| q.clone()).collect(),
            words: None,
        }
    }

    /// The party whose word is the subject of the text before a
    /// predicate: the last party word followed only by adverbs.
    fn subject(&self, before: &str) -> Option<(Party, String)> {
        let mut text = before;
        loop {
            let (party, s, e) = self.parties.party_at(text)?;
            let gap = &text[e..];
            let is_subject = !gap.starts_with(['\'', '\u{2019}'])
                && word_spans(gap).all(|(a, b)| {
                    let w = gap[a..b].to_lowercase();
                    w.ends_with("ly")
                        || [
                            "also",
                            "itself",
                            "themselves",
                            "hereby",
                            "each",
                            "alone",
                            "still",
                            "then",
                            "not",
                        ]
                        .contains(&w.as_str())
                });
            if is_subject {
                // "Acme, or an authorized third party, will monitor": the
                // first of coordinated parties answers for the duty.
                let head = text[..s]
                    .trim_end()
                    .trim_end_matches(|c: char| c.is_alphabetic() || c == ' ');
                let coordinated = text[..s].to_lowercase().contains(", or ")
                    || text[..s].to_lowercase().contains(" and ");
                if party == Party::ThirdParty && coordinated {
                    if let Some((first, fs, fe)) = self
                        .parties
                        .party_at(head)
                        .filter(|(p, _, _)| *p == Party::Provider)
                    {
                        return Some((first, head[fs..fe].to_string()));
                    }
                }
                return Some((party, text[s..e].to_string()));
            }
            text = &text[..s];
        }
    }

    /// The predicates of a unit, in reading order, none inside another.
    fn predicates(&self, unit: &str) -> Vec<Predicate> {
        let (vseen, lseen) = (self.vocab.seen(unit), self.lexicon.occurring(unit));
        let mut found: Vec<Predicate> = Vec::new();
        let add = |p: Predicate, found: &mut Vec<Predicate>| {
            if !found.iter().any(|q| q.start < p.end && p.start < q.end) {
                found.push(p);
            }
        };
        for (phrases, force, strength) in [
            (&self.vocab.prohibit, Force::Prohibition, 3u8),
            (&self.vocab.commit, Force::Obligation, 3),
            (&self.vocab.permit, Force::Permission, 0),
        ] {
            for p in phrases.iter().filter(|p| vseen.may_have(p)) {
                for m in p.regex().find_iter(unit) {
                    add(
                        predicate(m.start(), m.end(), force, strength, m.as_str()),
                        &mut found,
                    );
                }
            }
        }
        for m in self
            .lexicon
            .modals
            .iter()
            .filter(|m| lseen.may_have(&m.phrase))
        {
            let force = match m.kind {
                ModalKind::Prohibition => Force::Prohibition,
                ModalKind::Obligation => Force::Obligation,
                ModalKind::Permission => Force::Permission,
            };
            for hit in m.phrase.regex().find_iter(unit) {
                // "May 2021", "Version 2, May": a month, not a modal.
                let capital_inside =
                    hit.start() > 0 && hit.as_str().starts_with(char::is_uppercase);
                let before_digit = unit[hit.end()..]
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_digit());
                if !capital_inside && !before_digit {
                    add(
                        predicate(hit.start(), hit.end(), force, m.strength, hit.as_str()),
                        &mut found,
                    );
                }
            }
        }
        for p in self.negated(unit).into_iter().chain(self.practices(unit)) {
            add(p, &mut found);
        }
        if found.is_empty() {
            found.extend(self.noun_subject_practice(unit));
        }
        found.sort_by_key(|p| p.start);
        found
    }

    /// A practice whose subject is a thing, not a party ("Transfers rely
    /// on ...", "Each backup uses ..."): a present-tense practice verb
    /// among the first words, after a word that can end a noun phrase.
    fn noun_subject_practice(&self, unit: &str) -> Option<Predicate> {
        const NOT_NOUN: [&str; 18] = [
            "the", "a", "an", "to", "of", "for", "in", "on", "with", "by", "and", "or", "our",
            "your", "their", "its", "we", "you",
        ];
        let words: Vec<(usize, usize)> = word_spans(unit).take(12).collect();
        let rest = unit.trim_start();
        let rest = rest
            .strip_prefix("and ")
            .or_else(|| rest.strip_prefix("or "))
            .unwrap_or(rest);
        if starts_with_marker(rest) {
            return None; // a list item: it inherits its lead-in
        }
        for k in 1..words.len() {
            let (s, e) = words[k];
            let w = unit[s..e].to_lowercase();
            let prev = unit[words[k - 1].0..words[k - 1].1].to_lowercase();
            if NOT_NOUN.contains(&prev.as_str()) || is_marker(&prev) {
                continue;
            }
            // "security audits and certifications", "audits of": a noun.
            let next = words.get(k + 1).map(|&(a, b)| unit[a..b].to_lowercase());
            let noun_like = matches!(next.as_deref(), Some("and" | "or" | "of"))
                || unit[e..].trim_start().starts_with([',', '.', ')', ';']);
            if self.present(&w).is_some()
                && !noun_like
                && !unit[words[k - 1].1..s].contains(',')
                && !subordinate(unit, s)
            {
                let mut p = predicate(s, e, Force::Practice, 0, "");
                p.verb_at = Some((s, e));
                return Some(p);
            }
        }
        None
    }

    /// "do not / does not VERB" and "is / are not PARTICIPLE": a
    /// prohibition the provider sets itself for a restraint verb ("we do
    /// not sell"), else a disclaimer ("we do not scan uploads").
    fn negated(&self, unit: &str) -> Vec<Predicate> {
        static NEG: OnceLock<Regex> = OnceLock::new();
        let re = NEG.get_or_init(|| {
            Regex::new(r"(?i)\b(?:do|does|did)\s+not\b|\b(?:don't|doesn't|don’t|doesn’t)\b|\b(?:is|are)\s+not\b|\b(?:isn't|aren't)\b").expect("valid")
        });
        re.find_iter(unit)
            .filter_map(|m| {
                let (vs, ve) = word_spans(&unit[m.end()..]).next()?;
                let verb = unit[m.end() + vs..m.end() + ve].to_lowercase();
                let lemma = self.vocab.verb_forms.get(&verb)?;
                let force = match self.vocab.restraint_stems.contains(&stem(lemma)) {
                    true => Force::Prohibition,
                    false => Force::Disclaimer,
                };
                let mut p = predicate(m.start(), m.end(), force, 2, m.as_str());
                p.verb_at = Some((m.end() + vs, m.end() + ve));
                Some(p)
            })
            .collect()
    }

    /// The lemma of a present-tense form ("encrypt", "encrypts"), if the
    /// word is one.
    fn present(&self, word: &str) -> Option<&str> {
        let lower = word.to_lowercase();
        let lemma = self.vocab.verb_forms.get(&lower)?;
        let first = lemma.split_whitespace().next().unwrap_or(lemma);
        let present =
            lower == first || crate::lexicon::vocab::inflections(first).get(1) == Some(&lower);
        present.then_some(lemma.as_str())
    }

    /// Whether a word is a past participle of a known verb ("encrypted",
    /// "kept").
    fn participle(&self, word: &str) -> bool {
        let lower = word.to_lowercase();
        self.vocab.verb_forms.get(&lower).is_some_and(|lemma| {
            let first = lemma.split_whitespace().next().unwrap_or(lemma);
            lower != first && !lower.ends_with("ing") && self.present(&lower).is_none()
        })
    }

    /// Plain practices: a practice verb right after a party word ("we
    /// encrypt", "Acme maintains"), or a passive "is / are encrypted" (and
    /// "… and retained" after one), outside subordinate clauses.
    fn practices(&self, unit: &str) -> Vec<Predicate> {
        let words: Vec<(usize, usize)> = word_spans(unit).collect();
        let mut out: Vec<Predicate> = Vec::new();
        for (k, &(s, e)) in words.iter().enumerate().skip(1) {
            let w = &unit[s..e];
            let prev = unit[words[k - 1].0..words[k - 1].1].to_lowercase();
            // "the records Acme keeps": a party after a noun opens a
            // relative clause, not the sentence's statement.
            let opens = |ps: usize| {
                let before = unit[..ps].trim_end();
                before.is_empty()
                    || before.ends_with([',', ';', ':', '(', '.'])
                    || ["and", "or", "but", "then", "also", "so"].iter().any(|c| {
                        before.to_lowercase().ends_with(&format!(" {c}"))
                            || before.eq_ignore_ascii_case(c)
                    })
            };
            let after_subject = self.present(w).is_some()
                && self
                    .parties
                    .party_at(&unit[..s])
                    .is_some_and(|(_, ps, pe)| {
                        only_adverbs(&unit[pe..s]) && (opens(ps) || unit[pe..s].trim() == ",")
                    });
            let aux = matches!(
                prev.as_str(),
                "is" | "are" | "was" | "were" | "been" | "being"
            );
            let coordinated = matches!(prev.as_str(), "and" | "or")
                && out.iter().any(|p| p.start < p.verb_at.map_or(0, |v| v.0));
            let passive = (aux || coordinated) && self.participle(w);
            if (after_subject || passive) && !subordinate(unit, words[k - 1].0) {
                let mut p = predicate(s, e, Force::Practice, 0, "");
                p.verb_at = Some((s, e));
                if passive {
                    p.start = words[k - 1].0;
                }
                out.push(p);
            }
        }
        out
    }

    /// The action and its object for a predicate, and whether it is passive.
    fn action(&self, unit: &str, p: &Predicate, from: usize, to: usize) -> (String, String, bool) {
        let (vs, ve, passive) = match p.verb_at {
            // A practice found at its auxiliary ("are encrypted"), or a
            // negated passive ("are not logged").
            Some((s, e)) => (
                s,
                e,
                (p.force == Force::Practice && p.start < s) || is_negated_passive(&p.modal),
            ),
            None => match verb_after(self, unit, p.end) {
                Some((s, e, passive)) => (s, e, passive),
                None => return (String::new(), String::new(), false),
            },
        };
        let mut end = ve;
        // "back up", "set up": a particle belongs to its verb.
        if let Some((ps, pe)) = word_spans(&unit[ve..]).next() {
            if unit[ve..ve + ps].trim().is_empty()
                && ["up", "out", "down", "off", "over"]
                    .contains(&unit[ve + ps..ve + pe].to_lowercase().as_str())
            {
                end = ve + pe;
            }
        }
        if passive {
            end = complement(unit, end);
        } else {
            end = coordinated_verb(self, unit, end);
        }
        let action = unit[vs..end].to_string();
        let object = if passive {
            subject_phrase(&unit[from..p.start])
        } else {
            object_after(&unit[..to.max(end)], end)
        };
        (action, object, passive)
    }

    /// The topic of a unit: the one whose patterns match the most
    /// characters (frameworks count for their topic), else the heading's.
    /// `action` is the statement's verb and whether it names a place: the
    /// verb's own topic ("retain" → retention) and a named place (data
    /// location) weigh more than a word elsewhere in the sentence.
    fn topic(&self, unit: &str, heading: &str, action: Option<(&str, bool)>) -> Option<String> {
        self.best_topic(unit, true, action)
            .or_else(|| self.best_topic(heading, false, None))
    }

    fn best_topic(
        &self,
        text: &str,
        frameworks: bool,
        action: Option<(&str, bool)>,
    ) -> Option<String> {
        let seen = self.vocab.seen(text);
        let named: Vec<&crate::lexicon::Framework> = match frameworks {
            true => self
                .lexicon
                .frameworks_in(text)
                .into_iter()
                .map(|i| &self.lexicon.frameworks[i])
                .collect(),
            false => Vec::new(),
        };
        let mut best: Option<(usize, &str)> = None;
        for t in &self.vocab.topics {
            let mut score: usize = t
                .patterns
                .iter()
                .filter(|p| seen.may_have(p))
                .flat_map(|p| p.regex().find_iter(text))
                .map(|m| m.len())
                .sum();
            if let Some((verb, places)) = action {
                if !verb.is_empty()
                    && t.patterns
                        .iter()
                        .any(|p| p.regex().find(verb).is_some_and(|m| m.len() == verb.len()))
                {
                    score += 12;
                }
                if places && t.id == "data-location" {
                    score += 20;
                }
            }
            score += named
                .iter()
                .filter(|f| t.families.contains(&f.family))
                .count()
                * 20;
            if score > 0 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, &t.id));
            }
        }
        best.map(|(_, id)| id.to_string())
    }

    /// Every qualifier of a unit with where it sits.
    fn qualifiers(&self, unit: &str) -> Vec<(Qualifier, usize, usize)> {
        let mut found = Found {
            unit,
            out: Vec::new(),
        };
        for (s, e, hours, bound) in self.durations(unit) {
            found.push(QualifierKind::Time, s, e, Some(hours), bound);
        }
        self.time_words(unit, &mut found);
        self.openers(unit, &mut found);
        self.means(unit, &mut found);
        let mut out = found.out;
        self.places_and_scopes(unit, &mut out);
        for f in self
            .lexicon
            .frameworks_in(unit)
            .into_iter()
            .map(|i| &self.lexicon.frameworks[i])
        {
            if let Some(m) = f.patterns.iter().find_map(|p| p.regex().find(unit)) {
                let q = Qualifier {
                    kind: QualifierKind::Framework,
                    text: f.name.clone(),
                    hours: None,
                    bound: None,
                };
                out.push((q, m.start(), m.end()));
            }
        }
        drop_inner_places(&mut out);
        out.sort_by_key(|(_, s, _)| *s);
        out
    }

    /// Times without a number: the lexicon's qualifiers ("promptly") and
    /// period words ("annually"), and the vocabulary's time words.
    fn time_words(&self, unit: &str, found: &mut Found<'_>) {
        let (vseen, lseen) = (self.vocab.seen(unit), self.lexicon.occurring(unit));
        let qualifiers = self
            .lexicon
            .qualifiers
            .iter()
            .filter(|q| lseen.may_have(&q.phrase));
        for q in qualifiers {
            for m in q.phrase.regex().find_iter(unit) {
                found.push(QualifierKind::Time, m.start(), m.end(), None, None);
            }
        }
        let periods = self
            .lexicon
            .period_words
            .iter()
            .filter(|p| lseen.may_have(&p.phrase));
        for p in periods {
            for m in p.phrase.regex().find_iter(unit) {
                found.push(
                    QualifierKind::Time,
                    m.start(),
                    m.end(),
                    Some(p.value),
                    Some(Bound::Period),
                );
            }
        }
        for p in self.vocab.time_words.iter().filter(|p| vseen.may_have(p)) {
            for m in p.regex().find_iter(unit) {
                found.push(QualifierKind::Time, m.start(), m.end(), None, None);
            }
        }
    }

    /// "by an arbitrator": how something is done, when the
    /// words after "by" name no party (a party there is the agent).
    fn means(&self, unit: &str, found: &mut Found<'_>) {
        static BY: OnceLock<Regex> = OnceLock::new();
        let re = BY.get_or_init(|| Regex::new(r"(?i)\bby\s+").expect("valid"));
        for m in re.find_iter(unit) {
            // "…, which is protected by a firewall": another
            // predicate's means.
            let segment =
                &unit[unit[..m.start()].rfind([',', ';']).map_or(0, |i| i + 1)..m.start()];
            if word_spans(segment).any(|(a, b)| {
                matches!(
                    segment[a..b].to_lowercase().as_str(),
                    "which" | "that" | "who"
                )
            }) {
                continue;
            }
            let e = phrase_end(unit, m.end(), 8).min(conjunction(unit, m.end()));
            let words = &unit[m.end()..e];
            let first = words.split_whitespace().next().unwrap_or("").to_lowercase();
            // "by law", "by default", "by the customer": not a means.
            let named_party = self.parties.party_at(words).is_some();
            if word_count(words) >= 2
                && !named_party
                && !["law", "default", "applicable"].contains(&first.as_str())
            {
                found.push(QualifierKind::Means, m.start(), e, None, None);
            }
        }
    }

    /// Qualifiers that open with a word and run on: exceptions ("except
    /// for …"), conditions ("only if …") and end points ("until …").
    fn openers(&self, unit: &str, found: &mut Found<'_>) {
        let vseen = self.vocab.seen(unit);
        for (kind, openers) in [
            (QualifierKind::Exception, &self.vocab.exceptions),
            (QualifierKind::Condition, &self.vocab.conditions),
            (QualifierKind::Time, &self.vocab.until),
        ] {
            for p in openers.iter().filter(|p| vseen.may_have(p)) {
                for m in p.regex().find_iter(unit) {
                    let e = match kind {
                        QualifierKind::Time => {
                            phrase_end(unit, m.end(), 8).min(conjunction(unit, m.end()))
                        }
                        _ => self
                            .list_end(unit, m.end(), 16)
                            .min(Self::relative(unit, m.end())),
                    };
                    if word_count(&unit[m.end()..e]) >= 1 {
                        found.push(kind, m.start(), e, None, None);
                    }
                }
            }
        }
    }

    /// Where a condition that opens at `at` ends: like [`phrase_end`], but a
    /// comma inside a list ("a court order, subpoena or other request") does
    /// not end it; a comma before a new clause ("…, we will") does.
    fn list_end(&self, unit: &str, at: usize, max: usize) -> usize {
        let mut end = at;
        loop {
            let e = phrase_end(unit, end, max);
            let after = unit[e..].trim_start();
            let next = after
                .strip_prefix(',')
                .map(|r| r.split_whitespace().next().unwrap_or("").to_lowercase());
            let continues = next.is_some_and(|w| {
                !w.is_empty()
                    && ![
                        "we", "you", "they", "it", "which", "who", "but", "unless", "except", "if",
                        "where", "when", "the", "this", "such", "our", "your",
                    ]
                    .contains(&w.as_str())
            });
            // "…, Acme will:" — the next part has a predicate of its own.
            let next_part = &after[..after
                .get(1..)
                .and_then(|r| r.find(','))
                .map_or(after.len(), |i| i + 1)];
            let predicate = self
                .lexicon
                .modals
                .iter()
                .any(|m| m.phrase.regex().is_match(next_part))
                || self
                    .vocab
                    .prohibit
                    .iter()
                    .chain(&self.vocab.commit)
                    .any(|p| p.regex().is_match(next_part));
            if !continues || predicate || word_count(&unit[at..e]) >= max || e <= end {
                return e;
            }
            end = unit[e..].find(',').map_or(e, |c| e + c + 1);
        }
    }

    /// Where a relative clause ("… a breach that affects …") starts, after at
    /// least four words from `at`: a condition ends there.
    fn relative(unit: &str, at: usize) -> usize {
        let rest = &unit[at..];
        word_spans(rest)
            .enumerate()
            .find(|&(k, (s, e))| {
                k >= 4 && matches!(rest[s..e].to_lowercase().as_str(), "that" | "which" | "who")
            })
            .map_or(unit.len(), |(_, (s, _))| at + rest[..s].trim_end().len())
    }

    /// Places named, and scopes of place ("within our private networks")
    /// that are not times.
    fn places_and_scopes(&self, unit: &str, out: &mut Vec<(Qualifier, usize, usize)>) {
        for m in self.vocab.places.find_iter(unit) {
            // "EU-U.S. Data Privacy Framework", "U.S.-based": a modifier, not a place.
            if unit[..m.start()].ends_with('-') || unit[m.end()..].starts_with('-') {
                continue;
            }
            out.push((
                Qualifier {
                    kind: QualifierKind::Location,
                    text: m.as_str().to_string(),
                    hours: None,
                    bound: None,
                },
                m.start(),
                m.end(),
            ));
        }
        let vseen = self.vocab.seen(unit);
        for p in self.vocab.scopes.iter().filter(|p| vseen.may_have(p)) {
            for m in p.regex().find_iter(unit) {
                let e = phrase_end(unit, m.end(), 10).min(clause_end(unit, m.end()));
                let words = &unit[m.end()..e];
                let is_time = words.chars().any(|c| c.is_ascii_digit())
                    || self
                        .lexicon
                        .units
                        .iter()
                        .any(|u| u.patterns.iter().any(|p| p.regex().is_match(words)))
                    || self
                        .lexicon
                        .number_words
                        .iter()
                        .any(|n| n.phrase.regex().is_match(words));
                if !is_time && word_count(words) >= 1 {
                    out.push((
                        Qualifier {
                            kind: QualifierKind::Location,
                            text: unit[m.start()..e].trim().to_string(),
                            hours: None,
                            bound: None,
                        },
                        m.start(),
                        e,
                    ));
                }
            }
        }
    }

    /// Numbers with a unit of time, with the relation before them
    /// ("within 72 hours", "thirty (30) days"), in hours.
    fn durations(&self, unit: &str) -> Vec<(usize, usize, f64, Option<Bound>)> {
        let mut out = Vec::new();
        let lseen = self.lexicon.occurring(unit);
        for unit_def in &self.lexicon.units {
            for p in unit_def.patterns.iter().filter(|p| lseen.may_have(p)) {
                for m in p.regex().find_iter(unit) {
                    let before = &unit[..m.start()];
                    let Some((ns, value)) = number_before(self.lexicon, before) else {
                        continue;
                    };
                    if out.iter().any(|&(s, e, _, _)| s <= ns && m.end() <= e) {
                        continue;
                    }
                    let head = unit[..ns].trim_end();
                    let relation = self.lexicon.relations.iter().find_map(|r| {
                        r.phrase
                            .regex()
                            .find_iter(head)
                            .last()
                            .filter(|rm| rm.end() == head.len())
                            .map(|rm| (rm.start(), r.value))
                    });
                    let start = relation.map_or(ns, |(s, _)| s);
                    out.retain(|&(s, e, _, _)| !(start <= s && e <= m.end()));
                    out.push((
                        start,
                        m.end(),
                        value * unit_def.hours,
                        relation.map(|(_, b)| b),
                    ));
                }
            }
        }
        out
    }
}

/// A text with its web addresses and e-mail addresses replaced by spaces
/// of the same byte length.
fn blank_urls(text: &str) -> String {
    static URL: OnceLock<Regex> = OnceLock::new();
    let re = URL.get_or_init(|| {
        Regex::new(r"(?i)\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+\b").expect("valid")
    });
    re.replace_all(text, |c: &regex::Captures<'_>| " ".repeat(c[0].len()))
        .into_owned()
}

/// Qualifiers found in a unit so far, with where they sit.
struct Found<'u> {
    unit: &'u str,
    out: Vec<(Qualifier, usize, usize)>,
}

impl Found<'_> {
    /// Add the words `s..e` as a qualifier of `kind`, unless one of the
    /// same kind already holds them.
    fn push(
        &mut self,
        kind: QualifierKind,
        s: usize,
        e: usize,
        hours: Option<f64>,
        bound: Option<Bound>,
    ) {
        let held = self
            .out
            .iter()
            .any(|(q, a, b)| q.kind == kind && *a <= s && e <= *b);
        if e <= s || held {
            return;
        }
        let text = self.unit[s..e].trim().to_string();
        self.out.push((
            Qualifier {
                kind,
                text,
                hours,
                bound,
            },
            s,
            e,
        ));
    }
}

/// A place inside a condition, an exception, a wider scope or a
/// framework's name belongs to it: it is no qualifier of its own.
fn drop_inner_places(out: &mut Vec<(Qualifier, usize, usize)>) {
    let spans: Vec<(QualifierKind, usize, usize)> =
        out.iter().map(|(q, s, e)| (q.kind, *s, *e)).collect();
    out.retain(|(q, s, e)| {
        let inside = |&(k, a, b): &(QualifierKind, usize, usize)| {
            (a, b) != (*s, *e)
                && a <= *s
                && *e <= b
                && k != QualifierKind::Time
                && k != QualifierKind::Means
                && (k != QualifierKind::Location || b - a > e - s)
        };
        let in_framework = |&(k, a, b): &(QualifierKind, usize, usize)| {
            k == QualifierKind::Framework && a < *e && *s < b
        };
        q.kind != QualifierKind::Location
            || (!spans.iter().any(inside) && !spans.iter().any(in_framework))
    });
}

/// Whether a negation is "is not" / "are not" (a passive follows).
fn is_negated_passive(modal: &str) -> bool {
    let m = modal.to_lowercase();
    m.starts_with("is") || m.starts_with("are")
}

/// Whether the words before `at` (back to a comma, a semicolon or the
/// start) open a subordinate clause ("how the site is used", "if we
/// learn"): a practice there is not the sentence's statement.
fn subordinate(unit: &str, at: usize) -> bool {
    const OPENERS: [&str; 18] = [
        "how", "that", "which", "who", "whom", "whose", "when", "where", "whether", "because",
        "if", "unless", "until", "once", "while", "whenever", "after", "before",
    ];
    let from = unit[..at].rfind([',', ';', ':']).map_or(0, |i| i + 1);
    let part = &unit[from..at];
    word_spans(part).any(|(s, e)| OPENERS.contains(&part[s..e].to_lowercase().as_str()))
}

/// Whether an action reads as a verb phrase: a modal followed by "the",
/// "in" or a list letter ("will the same meaning", "may in connection")
/// gave no statement.
fn is_action(action: &str) -> bool {
    const NOT_VERBS: [&str; 31] = [
        "the", "a", "an", "any", "all", "to", "in", "on", "with", "that", "upon", "and", "or",
        "this", "such", "as", "be", "not", "its", "their", "our", "your", "his", "her", "each",
        "of", "for", "by", "at", "from", "no",
    ];
    let first = action
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    first.chars().all(char::is_alphabetic)
        && first.len() > 1
        && !NOT_VERBS.contains(&first.as_str())
}

/// Whether a word belongs to one of the lexicon's timing qualifiers
/// ("without undue delay", "as soon as practicable"), which may stand
/// between a modal and its verb.
fn is_timing_word(lexicon: &Lexicon, w: &str) -> bool {
    lexicon.qualifiers.iter().any(|q| {
        q.phrase
            .text
            .split_whitespace()
            .any(|x| x.eq_ignore_ascii_case(w))
    })
}

/// Whether a word is a list marker ("a", "iv", "2" of "(a)", "(iv)", "2.").
fn is_marker(w: &str) -> bool {
    (w.len() == 1 && w.chars().all(|c| c.is_ascii_alphanumeric()))
        || (w.len() <= 4 && w.chars().all(|c| "ivx".contains(c)))
        || (w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit()))
}

/// Whether a gap holds nothing but adverbs ("we also encrypt").
fn only_adverbs(gap: &str) -> bool {
    // "Acme, or a third party, monitors": a comma that closes an
    // apposition is no break.
    let closes_apposition = gap.trim() == ",";
    word_spans(gap).all(|(a, b)| {
        let w = gap[a..b].to_lowercase();
        (w.ends_with("ly") && w.len() > 3)
            || [
                "also",
                "then",
                "now",
                "still",
                "further",
                "currently",
                "each",
            ]
            .contains(&w.as_str())
    }) && (!gap.contains([',', ';']) || closes_apposition)
}

fn predicate(start: usize, end: usize, force: Force, strength: u8, words: &str) -> Predicate {
    Predicate {
        start,
        end,
        force,
        strength,
        modal: words.to_string(),
        verb_at: None,
    }
}

/// The verb after a modal, skipping "not", "be", "also" and adverbs;
/// whether the verb is passive ("will be deleted").
fn verb_after(r: &Reader<'_>, unit: &str, at: usize) -> Option<(usize, usize, bool)> {
    let mut passive = false;
    for (s, e) in word_spans(&unit[at..]).take(10) {
        let w = unit[at + s..at + e].to_lowercase();
        match w.as_str() {
            "be" | "been" | "being" => passive = true,
            // "will promptly and without undue delay (1) notify": timing
            // words, conjunctions and list markers come before the verb.
            "not" | "also" | "then" | "only" | "have" | "has" | "to" | "either" | "both"
            | "further" | "still" | "and" | "or" => {}
            _ if is_timing_word(r.lexicon, &w) => {}
            // A verb the vocabulary knows is one ("comply" is no adverb).
            _ if r.vocab.verb_forms.contains_key(&w) => return Some((at + s, at + e, passive)),
            _ if is_marker(&w) => {}
            _ if w.ends_with("ly") && w.len() > 4 => {}
            // "may be exceptions": after "be", a noun is no action.
            _ if passive && !(w.ends_with("ed") || w.ends_with("en") || w.ends_with("wn")) => {
                return None
            }
            _ => return Some((at + s, at + e, passive)),
        }
    }
    None
}

/// Where a verb joined to the first ends ("implement and maintain").
fn coordinated_verb(r: &Reader<'_>, unit: &str, at: usize) -> usize {
    let rest = &unit[at..];
    let mut w = word_spans(rest);
    match (w.next(), w.next()) {
        (Some((s1, e1)), Some((s2, e2)))
            if rest[..s1].trim().is_empty()
                && matches!(rest[s1..e1].to_lowercase().as_str(), "and" | "or")
                && r.present(&rest[s2..e2]).is_some() =>
        {
            at + e2
        }
        _ => at,
    }
}

/// Whether a phrase opens with a preposition ("in data centres in the
/// EU"): then it is not a subject.
fn opens_with_preposition(phrase: &str) -> bool {
    let first = phrase
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_lowercase();
    [
        "in", "at", "on", "to", "for", "from", "with", "under", "by", "within", "of", "into",
    ]
    .contains(&first.as_str())
}

/// Whether a clause opens with a list marker: "(c) annual testing", "2. Scope".
pub fn starts_with_marker(text: &str) -> bool {
    static MARKER: OnceLock<Regex> = OnceLock::new();
    MARKER
        .get_or_init(|| {
            Regex::new(r"^\s*(?:\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)|(?:[a-z]|\d{1,2})\.)\s")
                .expect("valid")
        })
        .is_match(text)
}

/// Where a passive verb's complement ends: two words opened by "in" or
/// "at" that the sentence ends or a boundary word follows ("encrypted in
/// transit using TLS", "stored at rest").
fn complement(unit: &str, at: usize) -> usize {
    let rest = &unit[at..];
    let mut w = word_spans(rest);
    let (Some((s1, e1)), Some((s2, e2))) = (w.next(), w.next()) else {
        return at;
    };
    let first = rest[s1..e1].to_lowercase();
    let second = rest[s2..e2].to_lowercase();
    let gap_ok = rest[..s1].trim().is_empty() && rest[e1..s2].trim().is_empty();
    let ends = match w.next() {
        None => true,
        Some((s3, e3)) => {
            rest[e2..s3].contains([',', ';', '.'])
                || OBJECT_ENDS.contains(&rest[s3..e3].to_lowercase().as_str())
        }
    };
    if gap_ok
        && ends
        && ["in", "at"].contains(&first.as_str())
        && !["a", "an", "the", "our", "your"].contains(&second.as_str())
    {
        at + e2
    } else {
        at
    }
}

/// The object after a verb: words up to punctuation or a word that opens a
/// qualifier, at most eight, without a leading "the".
fn object_after(unit: &str, at: usize) -> String {
    let rest = &unit[at..];
    let stop = sentence_stop(rest);
    let rest = &rest[..stop];
    let mut end = 0;
    for (count, (s, e)) in word_spans(rest).enumerate() {
        let w = rest[s..e].to_lowercase();
        // "the right to object to a change": a right's object goes on.
        let after_right = w == "to" && rest[..s].trim_end().to_lowercase().ends_with("right");
        if (count > 0 && OBJECT_ENDS.contains(&w.as_str()) && !after_right) || count >= 8 {
            break;
        }
        end = e;
    }
    strip_article(rest[..end].trim())
}

/// Where punctuation ends a phrase: a comma, a semicolon, a colon, a
/// bracket, or a full stop that is not inside a word ("EU-U.S. Data").
fn sentence_stop(rest: &str) -> usize {
    rest.char_indices()
        .find(|&(i, c)| match c {
            ',' | ';' | ':' | '(' | ')' | '!' | '?' => true,
            '.' => {
                !rest[i + 1..].starts_with(|n: char| n.is_alphanumeric())
                    && !rest[..i].ends_with(|p: char| p.is_uppercase())
            }
            _ => false,
        })
        .map_or(rest.len(), |(i, _)| i)
}

/// The subject noun phrase before a passive predicate: its last words up
/// to punctuation, at most eight.
fn subject_phrase(before: &str) -> String {
    let start = before.rfind([',', ';', ':', '(', ')']).map_or(0, |i| i + 1);
    let part = before[start..].trim();
    // "Single sign-on is offered to all plans and": the subject
    // ends where its verb starts.
    let verb_at = word_spans(part)
        .find(|&(s, e)| {
            matches!(
                part[s..e].to_lowercase().as_str(),
                "is" | "are" | "was" | "were" | "has" | "have"
            )
        })
        .map_or(part.len(), |(s, _)| s);
    let part = part[..verb_at].trim();
    // "7.3 Vendor's total liability under this Schedule": no
    // numbering, and the head noun phrase only.
    let part = part.trim_start_matches(|c: char| {
        c.is_ascii_digit() || c == '.' || c == ' ' || c == '(' || c == ')'
    });
    let part = part
        .strip_prefix("and ")
        .or_else(|| part.strip_prefix("or "))
        .unwrap_or(part);
    // "Customer Data submitted to the Services": the head noun phrase ends
    // at a preposition, a relative pronoun or a participle.
    let cut = word_spans(part)
        .skip(1)
        .find(|&(s, e)| {
            let w = part[s..e].to_lowercase();
            [
                "under", "in", "for", "with", "from", "on", "at", "by", "about", "who", "which",
                "that",
            ]
            .contains(&w.as_str())
                || (w.ends_with("ed") && w.len() > 4 && part[s..e].starts_with(char::is_lowercase))
        })
        .map_or(part.len(), |(s, _)| s);
    let part = part[..cut].trim();
    let words: Vec<(usize, usize)> = word_spans(part).collect();
    let from = words.len().saturating_sub(8);
    match words.get(from) {
        Some(&(s, _)) => strip_article(part[s..].trim()),
        None => String::new(),
    }
}

fn strip_article(s: &str) -> String {
    for a in ["the ", "The ", "a ", "A ", "an ", "An ", "any ", "Any "] {
        if let Some(rest) = s.strip_prefix(a) {
            return rest.to_string();
        }
    }
    s.to_string()
}

/// Where a scope of place ends: at a comma or the next clause's verb.
fn clause_end(unit: &str, at: usize) -> usize {
    unit[at..].find([',', ';']).map_or(unit.len(), |i| at + i)
}

/// Where the next "and", "or", "which", "where" or "who" after `at` starts.
fn conjunction(unit: &str, at: usize) -> usize {
    let rest = &unit[at..];
    word_spans(rest)
        .find(|&(s, e)| {
            matches!(
                rest[s..e].to_lowercase().as_str(),
                "and" | "or" | "which" | "where" | "who"
            )
        })
        .map_or(unit.len(), |(s, _)| at + rest[..s].trim_end().len())
}

/// Where a qualifier that opens at `at` ends: punctuation, or `max` words.
fn phrase_end(unit: &str, at: usize, max: usize) -> usize {
    let rest = &unit[at..];
    let stop = rest
        .find([',', ';', ':', '.', '(', ')', '!', '?'])
        .unwrap_or(rest.len());
    match word_spans(&rest[..stop]).nth(max.saturating_sub(1)) {
        Some((_, e)) if word_count(&rest[..stop]) > max => at + e,
        _ => at + rest[..stop].trim_end().len(),
    }
}

/// The number just before a unit of time: digits, a number word, or both
/// ("thirty (30)"); where it starts and its value.
fn number_before(lexicon: &Lexicon, before: &str) -> Option<(usize, f64)> {
    let trimmed = before.trim_end();
    let words: Vec<(usize, usize)> = word_spans(trimmed).collect();
    let &(s, e) = words.last()?;
    if !trimmed[e..].trim_matches([')', ' ']).is_empty() {
        return None;
    }
    let last = &trimmed[s..e];
    let word_value = |w: &str| {
        lexicon
            .number_words
            .iter()
            .find(|n| n.phrase.text.eq_ignore_ascii_case(w))
            .map(|n| n.value)
    };
    // "one hundred eighty": the longest run of the last words that is a
    // number word.
    for n in [3usize, 2] {
        if let Some(&(ws, _)) = words.len().checked_sub(n).map(|k| &words[k]) {
            let phrase = trimmed[ws..e]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if let Some(v) = word_value(&phrase) {
                return Some((ws, v));
            }
        }
    }
    let value = last.parse::<f64>().ok().or_else(|| word_value(last))?;
    // "thirty (30)": the word before the digits is the same number.
    let start = match words.len().checked_sub(2).map(|k| words[k]) {
        Some((ws, we))
            if last.parse::<f64>().is_ok() && word_value(&trimmed[ws..we]) == Some(value) =>
        {
            ws
        }
        _ => s.saturating_sub(usize::from(trimmed[..s].ends_with('('))),
    };
    Some((start, value))
}

/// Units of a clause text: sentences, and the parts of a list that
/// semicolons separate; byte ranges, trimmed.
pub fn units(text: &str) -> Vec<(usize, usize)> {
    static CUT: OnceLock<Regex> = OnceLock::new();
    let cut = CUT.get_or_init(|| {
        Regex::new(r#"[.!?]["”’)]?\s+(?:[A-Z(\d"“])|;\s+|:\s+\(?[a-z0-9ivx]{1,3}\)\s"#)
            .expect("valid")
    });
    let mut out = Vec::new();
    let mut from = 0;
    for m in cut.find_iter(text) {
        // Cut after the punctuation, keeping what opens the next unit.
        let at = m.start()
            + text[m.start()..m.end()]
                .find(char::is_whitespace)
                .unwrap_or(1);
        if !is_abbreviation(&text[..m.start() + 1]) {
            push_unit(text, from, at, &mut out);
            from = at;
        }
    }
    push_unit(text, from, text.len(), &mut out);
    out
}

fn push_unit(text: &str, from: usize, to: usize, out: &mut Vec<(usize, usize)>) {
    let part = &text[from..to];
    let lead = part.len() - part.trim_start().len();
    let s = from + lead;
    let e = from + part.trim_end().len();
    if e > s {
        out.push((s, e));
    }
}

/// Whether a full stop ends an abbreviation ("e.g.", "Inc.", "U.S.").
fn is_abbreviation(upto: &str) -> bool {
    let word = upto.rsplit(char::is_whitespace).next().unwrap_or("");
    let w = word.trim_start_matches(['(', '"', '“']).to_lowercase();
    let last = w.rsplit(['-', '/']).next().unwrap_or(&w);
    ["e.g.", "i.e.", "inc.", "ltd.", "co.", "corp.", "u.s.", "no.", "vs.", "etc.", "s.a.", "n.v.", "b.v.", "llc.", "plc."].contains(&last)
        || (last.len() == 2 && last.ends_with('.'))
        // "U.S.", "e.g.": letters each with a full stop.
        || (last.len() >= 4 && last.split_terminator('.').all(|p| p.chars().count() == 1))
}

/// Byte ranges of the words of a text.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let re = WORD.get_or_init(|| Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}'’\-]*").expect("valid"));
    re.find_iter(text).map(|m| {
        let w = m.as_str();
        let trimmed = w.trim_end_matches(['\'', '’', '-']);
        (m.start(), m.start() + trimmed.len())
    })
}

/// How many words a text has.
pub fn word_count(text: &str) -> usize {
    word_spans(text).count()
}
