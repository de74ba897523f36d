//! A card's summary, written from statements: the topic, the party and the
//! before → after values, in plain English and at most [`MAX_WORDS`]
//! words. A summary never quotes a truncated piece of a clause: the quote
//! belongs in the evidence; the values it names (a deadline, a condition,
//! a place) are whole qualifiers the reader extracted.

use std::sync::OnceLock;

use regex::Regex;

use super::cards::Direction;
use super::meaning::{jaccard, texts, words};
use crate::lexicon::Bound;
use crate::statements::{Force, Party, QualifierKind, Statement, Vocab};

/// The longest summary, in words.
pub const MAX_WORDS: usize = 30;

/// What differs between two matched statements; each pair of lists is
/// (only before, only after).
#[derive(Debug, Default)]
pub struct Diff {
    /// The party changed.
    pub party: bool,
    /// The force or an obligation's strength changed.
    pub force: bool,
    /// Times.
    pub times: (Vec<String>, Vec<String>),
    /// Conditions.
    pub conditions: (Vec<String>, Vec<String>),
    /// Exceptions.
    pub exceptions: (Vec<String>, Vec<String>),
    /// Places.
    pub locations: (Vec<String>, Vec<String>),
    /// Means ("by binding arbitration").
    pub means: (Vec<String>, Vec<String>),
}

/// What differs between `a` and `b`, or `None` when they say the same.
pub fn diff(a: &Statement, b: &Statement) -> Option<Diff> {
    diff_of(a, b, a.action_stem == b.action_stem)
}

/// [`diff`], where `same_action` says whether `b` does what `a` did: two
/// statements matched by their sentence whose verbs differ only because
/// the sentence was rebuilt ("X process data" → "we engage X to process
/// data") may differ in their qualifiers, but a change of party or force
/// is told only for the same action — or when `a`'s verb is gone from
/// `b`'s sentence ("MFA is required" → "MFA can be enforced").
pub fn diff_of(a: &Statement, b: &Statement, same_action: bool) -> Option<Diff> {
    let d = Diff {
        party: same_action
            && a.party != b.party
            && a.party != Party::Unknown
            && b.party != Party::Unknown,
        force: same_action && force_class(a) != force_class(b),
        times: differ(a, b, QualifierKind::Time, time_key),
        conditions: differ(a, b, QualifierKind::Condition, text_key),
        exceptions: differ(a, b, QualifierKind::Exception, text_key),
        locations: differ(a, b, QualifierKind::Location, text_key),
        means: differ(a, b, QualifierKind::Means, text_key),
    };
    let any = d.party
        || d.force
        || [
            &d.times,
            &d.conditions,
            &d.exceptions,
            &d.locations,
            &d.means,
        ]
        .iter()
        .any(|(x, y)| !x.is_empty() || !y.is_empty());
    any.then_some(d)
}

/// Whether two statements have the same force ([`force_class`]).
pub fn same_force(a: &Statement, b: &Statement) -> bool {
    force_class(a) == force_class(b)
}

/// Forces that say the same: "shall", "must" and "will" are one duty, and
/// a stated practice ("we encrypt") promises what "will" does; "should"
/// is weaker.
fn force_class(s: &Statement) -> u8 {
    match s.force {
        Force::Obligation if s.strength <= 1 => 1,
        Force::Obligation | Force::Practice => 2,
        Force::Prohibition => 3,
        Force::Permission => 4,
        Force::Disclaimer => 5,
    }
}

fn time_key(q: &crate::statements::Qualifier) -> String {
    match (q.hours, q.bound) {
        (Some(h), b) => format!("{:?}:{h}", b.map(bound_name)),
        (None, _) => words(&q.text).into_iter().collect::<Vec<_>>().join(" "),
    }
}

fn bound_name(b: Bound) -> &'static str {
    match b {
        Bound::Upper => "upper",
        Bound::Lower => "lower",
        Bound::Period => "period",
    }
}

fn text_key(q: &crate::statements::Qualifier) -> String {
    words(&q.text).into_iter().collect::<Vec<_>>().join(" ")
}

/// The qualifiers of a kind only one side has, compared by `key`; two
/// conditions with mostly the same words are the same condition.
fn differ(
    a: &Statement,
    b: &Statement,
    kind: QualifierKind,
    key: fn(&crate::statements::Qualifier) -> String,
) -> (Vec<String>, Vec<String>) {
    let keyed = |s: &Statement| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> =
            s.of_kind(kind).map(|q| (key(q), q.text.clone())).collect();
        v.dedup_by(|x, y| x.0 == y.0);
        v
    };
    let (ka, kb) = (keyed(a), keyed(b));
    // Durations compare by length and bound; words (conditions, "upon
    // termination of the account") by mostly the same words.
    let numeric = |k: &str| k.starts_with("Some(") || k.starts_with("None:");
    // Keys are stemmed words already: compared as sets of them.
    let set = |k: &str| {
        k.split(' ')
            .map(str::to_string)
            .collect::<std::collections::BTreeSet<String>>()
    };
    let same = |x: &str, y: &str| {
        x == y || (!numeric(x) && !numeric(y) && jaccard(&set(x), &set(y)) >= 0.6)
    };
    let only = |from: &[(String, String)], other: &[(String, String)]| -> Vec<String> {
        from.iter()
            .filter(|(k, _)| !other.iter().any(|(o, _)| same(k, o)))
            .map(|(_, t)| t.clone())
            .collect()
    };
    (only(&ka, &kb), only(&kb, &ka))
}

/// A statement in plain words, for a key-terms sheet: "the provider will
/// notify the customer, ‘without undue delay’".
pub fn describe(s: &Statement) -> String {
    let head = match s.passive {
        true => passive_head(s),
        false => format!("{} {}", subject(s), predicate(s)),
    };
    let mut text = head;
    for p in qualifier_parts(s) {
        if text
            .to_lowercase()
            .contains(p.trim_start_matches([',', ' ']).to_lowercase().as_str())
        {
            continue;
        }
        match p.starts_with(',') {
            true => text.push_str(&p),
            false => {
                text.push(' ');
                text.push_str(&p);
            }
        }
    }
    text
}

/// The summary of a statement one version has and the other does not.
pub fn lone(vocab: &Vocab, topic: Option<&str>, s: &Statement, added: bool) -> String {
    let t = topic_name(vocab, topic);
    let who = s.party.noun();
    let act = action_object(s);
    let base = match (s.force, s.party, added) {
        (Force::Obligation, Party::Provider, true) if s.strength > 1 => {
            format!("new provider commitment to {act}")
        }
        (Force::Obligation, Party::Customer, true) if s.strength > 1 => {
            format!("new customer duty to {act}")
        }
        (Force::Obligation, _, true) if s.strength > 1 => format!("new duty for {who} to {act}"),
        (Force::Obligation, _, true) => format!("new recommendation that {who} should {act}"),
        (Force::Obligation, Party::Provider, false) => {
            format!("the provider no longer commits to {act}")
        }
        (Force::Obligation, _, false) => format!("{who} no longer has to {act}"),
        (Force::Prohibition, _, true) => format!("new prohibition: {who} must not {act}"),
        (Force::Prohibition, _, false) => format!("the rule that {who} must not {act} is gone"),
        (Force::Permission, _, true) => format!("{who} may now {act}"),
        (Force::Permission, _, false) => format!("the statement that {who} may {act} is gone"),
        (Force::Practice, _, true) => format!("{who} now states it {}", practice(s)),
        (Force::Practice, _, false) => format!("the statement that {who} {} is gone", practice(s)),
        (Force::Disclaimer, _, true) => format!("new disclaimer: {who} does not {act}"),
        (Force::Disclaimer, _, false) => {
            format!("the disclaimer that {who} does not {act} is gone")
        }
    };
    let base = if s.passive {
        passive_lone(s, added)
    } else {
        base
    };
    // A practice with a named subject ("all employees now complete …");
    // only the provider "states" its own practices.
    let base = match subject_or(s, "") {
        named if !named.is_empty() => {
            base.replace("the provider now states it", &format!("{named} now"))
        }
        _ if s.party != Party::Provider => base.replace(" now states it ", " now "),
        _ => base,
    };
    fit(&t, &base, &qualifier_parts(s))
}

/// [`subject`], or `default` when the party is named by a pronoun.
fn subject_or(s: &Statement, default: &str) -> String {
    match (s.implied_party, s.party_words.is_empty()) {
        (true, false) => subject(s),
        _ => default.to_string(),
    }
}

/// A passive statement's participle, as the statement writes it.
fn written_participle(s: &Statement) -> String {
    s.action.to_lowercase()
}

/// A passive statement alone ("data may be transferred unencrypted").
fn passive_lone(s: &Statement, added: bool) -> String {
    let thing = lower_first(&plain(&s.object, s.party));
    let thing = if thing.is_empty() {
        "it".to_string()
    } else {
        thing
    };
    let verb = written_participle(s);
    let aux = match s.force {
        Force::Obligation if s.strength <= 1 => "should be",
        Force::Obligation => "will be",
        Force::Prohibition => "must not be",
        Force::Permission => "may be",
        Force::Practice => {
            if thing.ends_with('s') {
                "are"
            } else {
                "is"
            }
        }
        Force::Disclaimer => {
            if thing.ends_with('s') {
                "are not"
            } else {
                "is not"
            }
        }
    };
    match (added, s.force) {
        (true, Force::Permission) => format!("{thing} may now be {verb}"),
        (true, Force::Practice) => format!("now stated: {thing} {aux} {verb}"),
        (true, Force::Obligation) if s.strength > 1 => {
            format!("new provider commitment: {thing} {aux} {verb}")
        }
        (true, Force::Disclaimer) => format!("new disclaimer: {thing} {aux} {verb}"),
        (true, _) => format!("new: {thing} {aux} {verb}"),
        (false, _) => format!("no longer stated: {thing} {aux} {verb}"),
    }
}

/// Who a summary says holds a statement: the party, or the things a
/// practice names as its subject ("all employees").
fn subject(s: &Statement) -> String {
    match (s.implied_party, s.party_words.is_empty()) {
        (true, false) => lower_first(&plain(&s.party_words, s.party)),
        _ => s.party.noun().to_string(),
    }
}

/// A passive's verb with its auxiliary: "may be enforced".
fn passive_verb(s: &Statement) -> String {
    let thing = lower_first(&plain(&s.object, s.party));
    format!("{} {}", passive_aux(s, &thing), written_participle(s))
}

/// "the customer's data is stored": a passive statement's head.
fn passive_head(s: &Statement) -> String {
    let thing = lower_first(&plain(&s.object, s.party));
    format!("{thing} {}", passive_verb(s))
}

/// The auxiliary of a passive statement about `thing`.
fn passive_aux(s: &Statement, thing: &str) -> &'static str {
    match s.force {
        Force::Obligation if s.strength <= 1 => "should be",
        Force::Obligation => "will be",
        Force::Prohibition => "must not be",
        Force::Permission => "may be",
        Force::Practice if thing.ends_with('s') && !thing.ends_with("'s") => "are",
        Force::Practice => "is",
        Force::Disclaimer => "is not",
    }
}

/// A statement without its qualifiers: "the provider encrypts backups",
/// "backups are encrypted".
fn describe_short(s: &Statement) -> String {
    match s.passive {
        true => passive_head(s),
        false => format!("{} {}", subject(s), predicate(s)),
    }
}

/// The summary of several statements on one topic that only one version
/// has: "Subprocessors: 9 statements removed — the provider no longer
/// commits to restrict onward access, maintain a list, …".
pub fn group(vocab: &Vocab, topic: Option<&str>, all: &[&Statement], added: bool) -> String {
    let t = topic_name(vocab, topic);
    let n = all.len();
    let verb = if added { "added" } else { "removed" };
    let mut text = format!("{t}: {n} statements {verb}:");
    let mut named = 0;
    for s in all {
        let item = format!(" {};", describe_short(s));
        if (text.clone() + &item).split_whitespace().count() > MAX_WORDS - 3 {
            break;
        }
        text.push_str(&item);
        named += 1;
    }
    let text = text.trim_end_matches(';').to_string();
    match n - named {
        0 => format!("{text}."),
        more => format!("{text}; and {more} more."),
    }
}

/// The summary of a change between matched statements `a` → `b`.
pub fn changed(
    vocab: &Vocab,
    topic: Option<&str>,
    a: &Statement,
    b: &Statement,
    d: &Diff,
) -> String {
    let t = topic_name(vocab, topic);
    let act = action_object(b);
    if d.party {
        let base = format!(
            "now {} {} (before: {} {})",
            subject(b),
            predicate(b),
            subject(a),
            predicate(a)
        );
        return fit(&t, &base, &[]);
    }
    if d.force && b.force == Force::Practice && !b.passive {
        let base = format!(
            "{} now {} (was: {})",
            subject(b),
            predicate(b),
            modal_word(a)
        );
        return fit(&t, &base, &qualifier_parts(b));
    }
    if d.force {
        let base = match b.passive || a.passive {
            true => format!("{} → {}", passive_head(a), passive_verb(b)),
            false => format!("{} {} → {} {act}", subject(b), modal_word(a), modal_word(b)),
        };
        return fit(&t, &base, &qualifier_parts(b));
    }
    let only_conditions = [&d.times, &d.locations, &d.means]
        .iter()
        .all(|(x, y)| x.is_empty() && y.is_empty());
    if only_conditions {
        return fit(&t, &conditions_changed(b, d), &[]);
    }
    let head = match b.passive {
        true => passive_head(b),
        false => format!("{} {}", subject(b), predicate(b)),
    };
    fit(
        &t,
        &format!("{head}: {}", qualifier_changes(b, d).join("; ")),
        &[],
    )
}

/// Each changed qualifier of `b` as a part of a summary: "‘within 72
/// hours’ → ‘without undue delay’", "now ‘except for …’", "now also
/// Belgium".
fn qualifier_changes(b: &Statement, d: &Diff) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    if !d.times.0.is_empty() || !d.times.1.is_empty() {
        parts.push(format!(
            "{} → {}",
            values(&d.times.0, "no stated time", b.party),
            values(&d.times.1, "no fixed time", b.party)
        ));
    }
    for (added, removed, what) in [
        (&d.exceptions.1, &d.exceptions.0, "exception"),
        (&d.conditions.1, &d.conditions.0, "condition"),
    ] {
        if !added.is_empty() {
            parts.push(format!("now {}", values_plain(added, b.party)));
        }
        if !removed.is_empty() {
            parts.push(format!(
                "{what} dropped: {}",
                values_plain(removed, b.party)
            ));
        }
    }
    if !d.locations.0.is_empty() || !d.locations.1.is_empty() {
        parts.push(locations(&d.locations, b.party));
    }
    match (d.means.0.is_empty(), d.means.1.is_empty()) {
        (true, false) => parts.push(format!("now {}", values(&d.means.1, "", b.party))),
        (false, true) => parts.push(format!("no longer {}", values(&d.means.0, "", b.party))),
        (false, false) => parts.push(format!(
            "{} → {}",
            values(&d.means.0, "", b.party),
            values(&d.means.1, "", b.party)
        )),
        (true, true) => {}
    }
    parts
}

/// "new exception for all data, 'except for …'": a statement whose
/// conditions or exceptions alone changed, named by what they qualify.
fn conditions_changed(b: &Statement, d: &Diff) -> String {
    let thing = match b.passive {
        true => lower_first(&plain(&b.object, b.party)),
        false => format!("{}'s {} to {}", subject(b), force_noun(b), action_object(b)),
    };
    let mut parts = Vec::new();
    for (old, new, what) in [
        (&d.conditions.0, &d.conditions.1, "condition"),
        (&d.exceptions.0, &d.exceptions.1, "exception"),
    ] {
        if old.len() == 1 && new.len() == 1 {
            parts.push(format!(
                "{what} {} → {}",
                values_plain(old, b.party),
                values_plain(new, b.party)
            ));
        }
    }
    let paired = |v: &Vec<String>, other: &Vec<String>| v.len() == 1 && other.len() == 1;
    for (v, what) in [
        (&d.exceptions.1, "now has an exception,"),
        (&d.conditions.1, "now has a condition,"),
        (&d.exceptions.0, "no longer has the exception"),
        (&d.conditions.0, "no longer has the condition"),
    ] {
        let other = match what.contains("exception") {
            true => {
                if std::ptr::eq(v, &d.exceptions.1) {
                    &d.exceptions.0
                } else {
                    &d.exceptions.1
                }
            }
            false => {
                if std::ptr::eq(v, &d.conditions.1) {
                    &d.conditions.0
                } else {
                    &d.conditions.1
                }
            }
        };
        if !v.is_empty() && !paired(v, other) {
            let kind = if what.contains("exception") {
                QualifierKind::Exception
            } else {
                QualifierKind::Condition
            };
            let shown: Vec<String> = v.iter().map(|x| value(x, kind, b.party)).collect();
            match shown.iter().any(|x| x.ends_with("(see the evidence)")) {
                true => parts.push(format!("{} (see the evidence)", what.trim_end_matches(','))),
                false => parts.push(format!("{what} {}", shown.join(", "))),
            }
        }
    }
    format!("{thing} {}", parts.join("; and "))
}

/// What a statement is, as a noun: "duty", "permission".
fn force_noun(s: &Statement) -> &'static str {
    match s.force {
        Force::Obligation => "duty",
        Force::Prohibition => "prohibition",
        Force::Permission => "permission",
        Force::Practice => "practice",
        Force::Disclaimer => "disclaimer",
    }
}

fn locations(l: &(Vec<String>, Vec<String>), party: Party) -> String {
    let list = |v: &[String]| {
        v.iter()
            .map(|x| value(x, QualifierKind::Location, party))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (l.1.is_empty(), l.0.is_empty()) {
        (false, false) => format!("now {} (was {})", list(&l.1), list(&l.0)),
        (false, true) => format!("now also {}", list(&l.1)),
        _ => format!("no longer {}", list(&l.0)),
    }
}

/// Whom a change of time favours: a sooner deadline or a shorter
/// retention favours the customer; other changes cannot be told.
pub fn time_direction(a: &Statement, b: &Statement) -> Direction {
    let one = |s: &Statement| {
        let v: Vec<_> = s
            .of_kind(QualifierKind::Time)
            .filter_map(|q| q.hours.map(|h| (h, q.bound)))
            .collect();
        (v.len() == 1).then(|| v[0])
    };
    let (Some((ha, ba)), Some((hb, bb))) = (one(a), one(b)) else {
        return Direction::Unclear;
    };
    if ba != bb || ha == hb || b.party != Party::Provider {
        return Direction::Unclear;
    }
    if hb < ha {
        Direction::FavoursCustomer
    } else {
        Direction::FavoursProvider
    }
}

/// "Breach notification" for a topic ID; "General" without one.
fn topic_name(vocab: &Vocab, topic: Option<&str>) -> String {
    topic
        .and_then(|t| vocab.topic(t))
        .map_or_else(|| "General".to_string(), |t| t.name.clone())
}

/// "notify all affected customers": the action (in its base form) and
/// its object, pronouns made third-person.
fn action_object(s: &Statement) -> String {
    // "is responsible for reviewing logs" → "review logs".
    let written = match s.action.ends_with("ing") && !s.lemma.is_empty() {
        true => &s.lemma,
        false => &s.action,
    };
    let verb = lower_first(written);
    let object = plain(&s.object, s.party);
    if s.passive {
        return format!("have {object} {verb}").trim().to_string();
    }
    format!("{verb} {object}").trim().to_string()
}

/// A practice in the third person: "encrypts backups".
fn practice(s: &Statement) -> String {
    if s.passive {
        return action_object(s);
    }
    let plural = s.implied_party && s.party_words.ends_with('s') && !s.party_words.ends_with("'s");
    let lemma = if s.lemma.is_empty() {
        &s.action
    } else {
        &s.lemma
    };
    let verb = match plural {
        true => lower_first(lemma),
        false => third_person(&lower_first(lemma)),
    };
    format!("{verb} {}", plain(&s.object, s.party))
        .trim()
        .to_string()
}

/// The predicate of a statement as a summary says it: "must notify
/// customers", "encrypts backups", "may share usage data".
fn predicate(s: &Statement) -> String {
    match s.force {
        Force::Practice => practice(s),
        _ => format!("{} {}", modal_word(s), action_object(s)),
    }
}

/// The modal a summary uses for a force.
fn modal_word(s: &Statement) -> &'static str {
    match s.force {
        Force::Obligation if s.strength <= 1 => "should",
        Force::Obligation if s.strength == 2 => "will",
        Force::Obligation => "must",
        Force::Prohibition => "must not",
        Force::Permission => "may",
        Force::Practice => "does",
        Force::Disclaimer => "does not",
    }
}

/// Qualifiers worth naming after a statement: times, conditions,
/// exceptions, places, in that order.
fn qualifier_parts(s: &Statement) -> Vec<String> {
    let mut parts = Vec::new();
    for kind in [
        QualifierKind::Time,
        QualifierKind::Condition,
        QualifierKind::Exception,
        QualifierKind::Location,
    ] {
        if kind == QualifierKind::Location {
            // Place names together ("in the United States, Germany"); a
            // scope of place ("within its private networks") as written.
            let (places, scopes): (Vec<String>, Vec<String>) =
                texts(s, kind).into_iter().partition(|t| {
                    t.starts_with(|c: char| c.is_uppercase()) && t.split_whitespace().count() <= 3
                });
            if !places.is_empty() {
                parts.push(format!("in {}", places.join(", ")));
            }
            parts.extend(scopes.iter().map(|t| value(t, kind, s.party)));
            continue;
        }
        for t in texts(s, kind) {
            let t = value(&t, kind, s.party);
            let t = match kind {
                QualifierKind::Condition | QualifierKind::Exception => format!(", {t}"),
                _ => t,
            };
            if !parts.contains(&t) {
                parts.push(t);
            }
        }
    }
    parts
}

/// `values` quoted and joined, or `none` for none.
fn values(v: &[String], none: &str, party: Party) -> String {
    if v.is_empty() {
        return none.to_string();
    }
    v.iter()
        .map(|x| quoted(&lower_first(&plain(x, party))))
        .collect::<Vec<_>>()
        .join(", ")
}

fn values_plain(v: &[String], party: Party) -> String {
    v.iter()
        .map(|x| value(x, QualifierKind::Condition, party))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A qualifier as a summary names it: third person, an opening word in
/// lower case ("If" → "if"; a place keeps its capitals), and quoted as a
/// value when it is more than a few words.
fn value(text: &str, kind: QualifierKind, party: Party) -> String {
    let t = plain(text, party);
    let t = match kind {
        QualifierKind::Framework => t,
        QualifierKind::Location
            if !t.starts_with(|c: char| c.is_uppercase()) || t.split_whitespace().count() < 3 =>
        {
            t
        }
        _ => lower_first(&t),
    };
    match t.split_whitespace().count() {
        0..=3 => t,
        4..=MAX_QUOTED => quoted(&t),
        // Too long to name whole: say what kind of limit it is; the
        // evidence has its words.
        _ => long_value(&t, kind),
    }
}

/// A value quoted as a value: ‘until the account is deleted’.
pub fn quoted(value: &str) -> String {
    format!("\u{2018}{value}\u{2019}")
}

/// The longest qualifier a summary quotes, in words.
const MAX_QUOTED: usize = 12;

/// The longest changed passage a wording card quotes, in words.
pub const MAX_QUOTED_WORDS: usize = 6;

/// A qualifier too long to quote, by its opening word: "on a condition",
/// "with an exception".
fn long_value(t: &str, kind: QualifierKind) -> String {
    let opener = t
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches('\'')
        .to_lowercase();
    match kind {
        QualifierKind::Exception => "with an exception (see the evidence)".into(),
        QualifierKind::Time => "with a time limit (see the evidence)".into(),
        QualifierKind::Location => "with a scope of place (see the evidence)".into(),
        _ if opener == "unless" => "unless a stated case applies (see the evidence)".into(),
        _ => "on a condition (see the evidence)".into(),
    }
}

/// "Topic: base, qualifier, qualifier." within [`MAX_WORDS`]: qualifiers
/// that do not fit are left to the evidence.
fn fit(topic: &str, base: &str, parts: &[String]) -> String {
    let mut text = format!("{topic}: {}", base.trim());
    let count = |s: &str| s.split_whitespace().count();
    for p in parts {
        let candidate = match p.starts_with(',') {
            true => format!("{text}{p}"),
            false => format!("{text} {p}"),
        };
        if count(&candidate) <= MAX_WORDS && !text.to_lowercase().contains(&p.to_lowercase()) {
            text = candidate;
        }
    }
    if count(&text) > MAX_WORDS {
        text = shorten(&text);
    }
    let text = text.trim_end_matches([',', ';', ':', ' ']).to_string();
    format!("{text}.")
}

/// A summary over the limit: its quoted values, longest first, give way
/// to "(see the evidence)" until it fits; what is left is cut after the
/// last whole part (a ";" or a ",").
fn shorten(text: &str) -> String {
    static QUOTED: OnceLock<Regex> = OnceLock::new();
    let re = QUOTED.get_or_init(|| Regex::new(r"‘[^‘]*?’(?:[\s.,;:)]|$)").expect("valid"));
    let mut t = text.to_string();
    let count = |s: &str| s.split_whitespace().count();
    while count(&t) > MAX_WORDS {
        // A value before "→" (what it was) gives way first, then the longest.
        let arrow = t.find('→').unwrap_or(0);
        let all: Vec<regex::Match<'_>> = re.find_iter(&t).collect();
        let Some(m) = all
            .iter()
            .filter(|m| m.end() <= arrow && !m.as_str().starts_with("(see"))
            .max_by_key(|m| m.len())
            .or_else(|| all.iter().max_by_key(|m| m.len()))
            .copied()
        else {
            break;
        };
        if m.as_str().split_whitespace().count() <= 2 {
            break;
        }
        let tail = &t[m.end()..];
        let keep = m
            .as_str()
            .chars()
            .last()
            .filter(|c| !c.is_alphanumeric() && *c != '\u{2019}');
        t = format!(
            "{}(see the evidence){}{tail}",
            &t[..m.start()],
            keep.map(String::from).unwrap_or_default()
        );
    }
    while count(&t) > MAX_WORDS {
        match t.rfind([';', ',']) {
            Some(i) => t.truncate(i),
            None => {
                t = t
                    .split_whitespace()
                    .take(MAX_WORDS)
                    .collect::<Vec<_>>()
                    .join(" ");
                break;
            }
        }
    }
    t
}

/// Pronouns in the third person ("our networks" → "its networks" for the
/// provider's own statement), so that a summary speaks of the parties; a
/// verb after a subject pronoun agrees ("you delete" → "the customer
/// deletes").
fn plain(text: &str, party: Party) -> String {
    static PRONOUN: OnceLock<Regex> = OnceLock::new();
    let re = PRONOUN.get_or_init(|| {
        Regex::new(
            r"\b(?:[Oo]ur|[Ww]e|[Uu]s|[Yy]our|[Yy]ou|[Oo]urselves)\b(?:\s+([a-z]+(?:n't|n’t)?))?",
        )
        .expect("valid")
    });
    re.replace_all(text.trim(), |c: &regex::Captures<'_>| {
        let pronoun = c[0].split_whitespace().next().unwrap_or("").to_lowercase();
        let next = c.get(1).map(|m| m.as_str());
        let subject = matches!(pronoun.as_str(), "we" | "you");
        let word = match (pronoun.as_str(), party) {
            ("our", Party::Provider) => "its",
            ("our", _) => "the provider's",
            ("we" | "us" | "ourselves", _) => "the provider",
            ("your", Party::Customer) => "its",
            ("your", _) => "the customer's",
            _ => "the customer",
        };
        match next {
            Some(n) if subject => format!("{word} {}", agree(n)),
            Some(n) => format!("{word} {n}"),
            None => word.to_string(),
        }
    })
    .into_owned()
}

/// Whether the bundled statements vocabulary knows `w` as a verb's lemma.
fn is_verb(w: &str) -> bool {
    let v = crate::lexicon::vocab::Vocab::bundled();
    v.verb_forms.get(w).is_some_and(|lemma| lemma == w) || v.other_verbs.contains(w)
}

/// A verb after a plural subject, made to agree with a singular one
/// (the verbs the statements vocabulary knows).
fn agree(word: &str) -> String {
    match word {
        "are" => "is".into(),
        "have" => "has".into(),
        "were" => "was".into(),
        "do" => "does".into(),
        "don't" | "don’t" => "doesn't".into(),
        w if is_verb(w) => third_person(w),
        w => w.into(),
    }
}

fn lower_first(w: &str) -> String {
    let mut cs = w.chars();
    match cs.next() {
        // Keep acronyms ("SSH") as written.
        Some(c) if !w.chars().skip(1).any(char::is_uppercase) => {
            c.to_lowercase().chain(cs).collect()
        }
        _ => w.to_string(),
    }
}

/// A verb in the third person singular: "encrypt" → "encrypts".
fn third_person(verb: &str) -> String {
    let (first, rest) = verb.split_once(' ').map_or((verb, ""), |(f, r)| (f, r));
    let w = first;
    let inflected = if w.ends_with('s') && !w.ends_with("ss") {
        w.to_string()
    } else if w.ends_with('y') && !w.ends_with("ay") && !w.ends_with("ey") && !w.ends_with("oy") {
        format!("{}ies", &w[..w.len() - 1])
    } else if ["sh", "ch", "x", "z", "ss", "o"]
        .iter()
        .any(|e| w.ends_with(e))
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    };
    if rest.is_empty() {
        inflected
    } else {
        format!("{inflected} {rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_and_pronouns_in_the_third_person() {
        assert_eq!(third_person("notify"), "notifies");
        assert_eq!(third_person("encrypt"), "encrypts");
        assert_eq!(third_person("back up"), "backs up");
        assert_eq!(
            plain("within our private networks", Party::Provider),
            "within its private networks"
        );
        assert_eq!(
            plain("your consent", Party::Provider),
            "the customer's consent"
        );
    }

    #[test]
    fn a_summary_keeps_to_thirty_words() {
        let long: Vec<String> = (0..10).map(|k| format!("qualifier number {k}")).collect();
        let s = fit("Retention", "the provider keeps logs", &long);
        assert!(s.split_whitespace().count() <= MAX_WORDS, "{s}");
        assert!(s.starts_with("Retention: the provider keeps logs"));
    }
}
