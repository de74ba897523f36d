//! The editorial group: changes that alter no statement — dates and "Last
//! updated" lines, link targets, typography, capitalisation, reflowed
//! text, the same commitments reworded, table rows moved or re-padded.
//! One collapsed group instead of a card each.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why a change is editorial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EditorialReason {
    /// Only dates, years, version numbers or a "Last updated" stamp differ.
    Dates,
    /// Only link targets (URLs) differ.
    Links,
    /// Only punctuation, quotes or dashes differ.
    Typography,
    /// Only letter case differs.
    Capitalisation,
    /// Only line breaks and spacing differ.
    Reflow,
    /// Different words, the same statements.
    Reworded,
    /// A table row moved or was re-padded, its entity unchanged.
    TableRow,
    /// A copyright or trademark notice added, removed or changed.
    Boilerplate,
}

/// One editorial change: the clauses on each side and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EditorialItem {
    /// Old clause IDs (empty when the clause is new).
    pub old: Vec<String>,
    /// New clause IDs (empty when the clause is gone).
    pub new: Vec<String>,
    /// Why it is editorial.
    pub reason: EditorialReason,
}

/// The changes that alter no statement, shown collapsed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EditorialGroup {
    /// Each change, in new-document order.
    pub items: Vec<EditorialItem>,
}

impl EditorialGroup {
    /// "12 editorial changes (5 dates, 4 reworded, 3 typography)".
    pub fn summary(&self) -> String {
        let mut counts: std::collections::BTreeMap<EditorialReason, usize> = Default::default();
        for i in &self.items {
            *counts.entry(i.reason).or_default() += 1;
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|(r, n)| format!("{n} {}", super::label(r)))
            .collect();
        let n = self.items.len();
        let s = if n == 1 { "" } else { "s" };
        format!("{n} editorial change{s} ({})", parts.join(", "))
    }
}

/// Why the change from `old` to `new` (clause texts joined) is editorial,
/// if only dates, links, typography, case or spacing differ. A text that
/// is only a date stamp, added or removed, is a date change too.
pub fn reason(old: &str, new: &str) -> Option<EditorialReason> {
    if [old, new]
        .iter()
        .all(|t| t.trim().is_empty() || is_notice(t))
    {
        return Some(EditorialReason::Boilerplate);
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if old != new && squash(old) == squash(new) {
        return Some(EditorialReason::Reflow);
    }
    let letters = |s: &str| -> String { s.chars().filter(|c| c.is_alphanumeric()).collect() };
    if letters(old) == letters(new) && old != new {
        return Some(EditorialReason::Typography);
    }
    if letters(old).to_lowercase() == letters(new).to_lowercase() && old != new {
        return Some(EditorialReason::Capitalisation);
    }
    if letters(&without(urls(), old)) == letters(&without(urls(), new)) {
        return Some(EditorialReason::Links);
    }
    // Dates and version numbers are editorial in a stamp ("Last updated:
    // May 6, 2016", "Version 2.0"), a short line; in a sentence they are
    // terms ("until December 31, 2025").
    let short = |s: &str| s.split_whitespace().count() <= STAMP_WORDS;
    let undated = |s: &str| letters(&without(dates(), &without(urls(), s))).to_lowercase();
    if short(old) && short(new) && undated(old) == undated(new) {
        return Some(EditorialReason::Dates);
    }
    None
}

/// A copyright or trademark notice: "© 2024 Acme, Inc. All rights
/// reserved.", "Various trademarks held by their respective owners."
fn is_notice(text: &str) -> bool {
    static NOTICE: OnceLock<Regex> = OnceLock::new();
    let re = NOTICE.get_or_init(|| {
        Regex::new(r"(?i)^\W*(?:©|\(c\)|copyright\b)|all rights reserved|trademarks? (?:held|of|owned)|registered trademark").expect("valid")
    });
    text.split_whitespace().count() <= 60 && re.is_match(text)
}

/// The longest line read as a date stamp, in words.
const STAMP_WORDS: usize = 12;

fn without(re: &Regex, s: &str) -> String {
    re.replace_all(s, " ").into_owned()
}

fn urls() -> &'static Regex {
    static URLS: OnceLock<Regex> = OnceLock::new();
    URLS.get_or_init(|| Regex::new(r"(?i)\b(?:https?://|www\.)\S+|\]\([^)]*\)").expect("valid"))
}

/// Dates, years and the stamps that carry them ("Last updated: May 6, 2016").
fn dates() -> &'static Regex {
    static DATES: OnceLock<Regex> = OnceLock::new();
    DATES.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(?:last\s+(?:updated|modified|revised)|updated|revised|effective(?:\s+date)?|published|version\s+date|date)\s*(?:on|as of)?\s*:?",
            r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}",
            r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4}",
            r"|\bv(?:ersion)?\s*\d+(?:\.\d+)*\b",
            r"|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:19|20)\d{2}\b",
        ))
        .expect("valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        use EditorialReason::*;
        assert_eq!(
            reason("Last updated: May 6, 2016", "Last updated: March 1, 2024"),
            Some(Dates)
        );
        assert_eq!(reason("Last updated: May 6, 2016", ""), Some(Dates));
        assert_eq!(
            reason(
                "See https://a.example/x for more.",
                "See https://b.example/y for more."
            ),
            Some(Links)
        );
        assert_eq!(
            reason("We don't sell data.", "We don’t sell data."),
            Some(Typography)
        );
        assert_eq!(
            reason("Transactional email", "Transactional Email"),
            Some(Capitalisation)
        );
        assert_eq!(reason("a  b\nc", "a b c"), Some(Reflow));
        assert_eq!(
            reason("We keep logs for 30 days.", "We keep logs for 90 days."),
            None
        );
        assert_eq!(reason("Version 2.0", "Version 3.0"), Some(Dates));
        assert_eq!(
            reason("Copyright 2000-2016 Acme, Inc. All rights reserved.", ""),
            Some(Boilerplate)
        );
        assert_eq!(reason("We keep logs.", ""), None);
        // In a sentence a date is a term, not a stamp.
        assert_eq!(
            reason(
                "We keep the backups of every customer until December 31, 2025 and then delete them.",
                "We keep the backups of every customer until December 31, 2030 and then delete them."
            ),
            None
        );
    }
}
