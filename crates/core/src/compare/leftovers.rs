//! What is left when no statement, framework or table explains a change:
//! definitions ("“Customer Data” means …") added, removed or reworded,
//! told in one card; and passages the reader recognises no commitment in,
//! one card per section and kind of change rather than one per passage.

use std::sync::OnceLock;

use regex::Regex;

use super::align::{AlignedPair, PairStatus};
use super::cards::{ChangeCard, ChangeKind, Direction};
use crate::lexicon::Severity;

/// The term a definition defines: `“Customer Data” means …`, `1.3
/// "Processor" shall mean …`.
pub fn defined_term(text: &str) -> Option<String> {
    static DEF: OnceLock<Regex> = OnceLock::new();
    let re = DEF.get_or_init(|| {
        Regex::new(r#"^\W{0,3}(?:[\d.]+\s*|\(?[a-z]\)\s*)?[*_]*["“]?[*_]*([A-Z][\w’'&/ .-]{1,60}?)[*_]*["”]?[*_]*\s*(?:\([^)]{0,80}\)\s*)?(?:means|shall mean|refers to|has the meaning|is defined as)\b"#)
            .expect("valid")
    });
    re.captures(text).map(|c| c[1].trim().to_string())
}

/// Changes no other card explains, gathered while the pairs are read.
#[derive(Default)]
pub struct Leftovers {
    added: Vec<String>,
    removed: Vec<String>,
    reworded: Vec<String>,
    /// The first definition card's evidence.
    first: Option<ChangeCard>,
    /// Passages with no recognised commitment, grouped by summary.
    unread: Vec<(ChangeCard, usize)>,
}

impl Leftovers {
    /// Take a pair's change: a definition's, or a passage's `card`.
    pub fn take(&mut self, pair: &AlignedPair, old_text: &str, new_text: &str, card: ChangeCard) {
        let (a, b) = (defined_term(old_text), defined_term(new_text));
        let term = match (&a, &b, pair.status) {
            (_, Some(t), PairStatus::Added) => Some((t.clone(), &mut self.added)),
            (Some(t), _, PairStatus::Removed) => Some((t.clone(), &mut self.removed)),
            (Some(x), Some(y), _) if x.eq_ignore_ascii_case(y) => {
                Some((y.clone(), &mut self.reworded))
            }
            _ => None,
        };
        if let Some((t, list)) = term {
            if !list.contains(&t) {
                list.push(t);
            }
            self.first.get_or_insert(card);
            return;
        }
        match self
            .unread
            .iter_mut()
            .find(|(c, _)| c.summary == card.summary)
        {
            Some((_, n)) => *n += 1,
            None => self.unread.push((card, 1)),
        }
    }

    /// The cards: one for all definitions, one per group of passages.
    pub fn cards(self) -> Vec<ChangeCard> {
        let mut out = Vec::new();
        if let Some(mut card) = self.first {
            card.kind = ChangeKind::DefinitionsChanged;
            card.severity = Severity::Low;
            card.direction = Direction::Unclear;
            card.summary = definitions_summary(&self.added, &self.removed, &self.reworded);
            out.push(card);
        }
        for (mut card, n) in self.unread {
            if n > 1 {
                card.summary = card
                    .summary
                    .replacen("”,", &format!("” ({n} passages),"), 1);
            }
            out.push(card);
        }
        out
    }
}

/// "Definitions: 3 added, 1 removed; added: A, B, C; removed: D." — as many
/// terms as the word limit allows.
fn definitions_summary(added: &[String], removed: &[String], reworded: &[String]) -> String {
    let max = super::summary::MAX_WORDS;
    let mut parts: Vec<String> = Vec::new();
    for (v, what) in [
        (added, "added"),
        (removed, "removed"),
        (reworded, "reworded"),
    ] {
        if !v.is_empty() {
            parts.push(format!("{} {what}", v.len()));
        }
    }
    let mut text = format!("Definitions: {}", parts.join(", "));
    for (v, what) in [
        (added, "added"),
        (removed, "removed"),
        (reworded, "reworded"),
    ] {
        let names: Vec<&str> = v.iter().map(String::as_str).collect();
        let mut shown = Vec::new();
        for n in &names {
            let candidate = format!(
                "{text}; {what}: {}",
                [shown.as_slice(), &[*n]].concat().join(", ")
            );
            if candidate.split_whitespace().count() > max - 2 {
                break;
            }
            shown.push(*n);
        }
        if !shown.is_empty() {
            text = format!("{text}; {what}: {}", shown.join(", "));
        }
    }
    format!("{text}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definitions_are_found() {
        assert_eq!(
            defined_term("“Customer Data” means all data.").as_deref(),
            Some("Customer Data")
        );
        assert_eq!(
            defined_term("1.3 \"Processor\" shall mean the entity.").as_deref(),
            Some("Processor")
        );
        assert_eq!(
            defined_term("**\"Subprocessor\"** means any processor.").as_deref(),
            Some("Subprocessor")
        );
        assert_eq!(defined_term("We mean business."), None);
    }

    #[test]
    fn a_definitions_summary_keeps_to_the_limit() {
        let many: Vec<String> = (0..40).map(|k| format!("Term {k}")).collect();
        let s = definitions_summary(&many, &[], &["Customer".into()]);
        assert!(
            s.split_whitespace().count() <= super::super::summary::MAX_WORDS,
            "{s}"
        );
        assert!(
            s.starts_with("Definitions: 40 added, 1 reworded; added: Term 0, Term 1"),
            "{s}"
        );
    }
}
