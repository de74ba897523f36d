//! Links between clauses and matrix entries.
//!
//! Automatic links come from the matrix's rules: a clause is linked to an
//! entry when one of the entry's rules matches, with the rule's confidence
//! and a reason naming the rule and the words that matched. The user's own
//! decisions ([`crate::store::LinkOverride`]) are kept apart and applied on
//! top: a manual link adds a link, a manual unlink hides an automatic one.
//! Rebuilding the index or the corpus never touches the user's decisions.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Matrices;
use crate::clause::Clause;
use crate::store::{LinkAction, LinkOverride};

/// Where a link comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkSource {
    /// A rule of the matrix matched.
    Auto,
    /// The user linked them.
    Manual,
}

/// A clause linked to a matrix entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Link {
    /// Clause ID.
    pub clause_id: String,
    /// Entry key (`MATRIX/ENTRY`).
    pub entry: String,
    /// Rule or user.
    pub source: LinkSource,
    /// Why: the rule and the words that matched, or who linked it and when.
    pub reason: String,
    /// How sure (1 for a manual link).
    pub confidence: f32,
}

/// The automatic links of one clause: for each entry, its best matching rule.
pub fn auto_links(matrices: &Matrices, clause: &Clause) -> Vec<Link> {
    let mut out = Vec::new();
    for (entry, rules) in matrices.entries_with_rules() {
        let mut best: Option<(f32, String)> = None;
        for rule in rules {
            if !rule.all.iter().all(|p| p.regex.is_match(&clause.text)) {
                continue;
            }
            let matched: Vec<&str> = rule
                .any
                .iter()
                .filter_map(|p| p.regex.find(&clause.text).map(|m| m.as_str()))
                .collect();
            if matched.is_empty() {
                continue;
            }
            if best.as_ref().is_none_or(|(c, _)| rule.confidence > *c) {
                let quote = |w: &str| format!("\u{201C}{w}\u{201D}");
                let mut words: Vec<String> = matched.iter().map(|w| quote(w)).collect();
                for p in &rule.all {
                    if let Some(m) = p.regex.find(&clause.text) {
                        words.push(quote(m.as_str()));
                    }
                }
                words.dedup();
                best = Some((
                    rule.confidence,
                    format!("rule {} matched {}", rule.number, words.join(", ")),
                ));
            }
        }
        if let Some((confidence, reason)) = best {
            out.push(Link {
                clause_id: clause.id.clone(),
                entry: entry.key.clone(),
                source: LinkSource::Auto,
                reason,
                confidence,
            });
        }
    }
    out
}

/// Every clause's links, automatic and manual, by clause ID.
#[derive(Debug, Clone, Default)]
pub struct LinkTable {
    by_clause: HashMap<String, Vec<Link>>,
}

impl LinkTable {
    /// Automatic links of `clauses`, with the user's decisions applied.
    /// Decisions about clauses or entries that no longer exist are kept in
    /// the store but have no effect here.
    pub fn build<'a>(
        matrices: &Matrices,
        clauses: impl IntoIterator<Item = &'a Clause>,
        overrides: &[LinkOverride],
    ) -> LinkTable {
        Self::auto(matrices, clauses).with_overrides(matrices, overrides)
    }

    /// The automatic links of `clauses` alone.
    pub fn auto<'a>(
        matrices: &Matrices,
        clauses: impl IntoIterator<Item = &'a Clause>,
    ) -> LinkTable {
        LinkTable {
            by_clause: clauses
                .into_iter()
                .map(|c| (c.id.clone(), auto_links(matrices, c)))
                .collect(),
        }
    }

    /// These links with the user's decisions applied on top.
    pub fn with_overrides(&self, matrices: &Matrices, overrides: &[LinkOverride]) -> LinkTable {
        let mut by_clause = self.by_clause.clone();
        for o in overrides {
            if matrices.entry(&o.entry).is_none_or(|e| e.key != o.entry) {
                continue;
            }
            let Some(links) = by_clause.get_mut(&o.clause_id) else {
                continue;
            };
            links.retain(|l| l.entry != o.entry);
            if o.action == LinkAction::Link {
                links.push(Link {
                    clause_id: o.clause_id.clone(),
                    entry: o.entry.clone(),
                    source: LinkSource::Manual,
                    reason: format!("linked by {} on {}", o.author, day(&o.updated)),
                    confidence: 1.0,
                });
            }
        }
        // Entries in matrix order within each clause.
        let order: HashMap<&str, usize> = matrices
            .entries()
            .enumerate()
            .map(|(i, e)| (e.key.as_str(), i))
            .collect();
        for links in by_clause.values_mut() {
            links.sort_by_key(|l| order.get(l.entry.as_str()).copied().unwrap_or(usize::MAX));
        }
        LinkTable { by_clause }
    }

    /// A clause's links (none for an unknown clause).
    pub fn of(&self, clause_id: &str) -> &[Link] {
        self.by_clause.get(clause_id).map_or(&[], Vec::as_slice)
    }

    /// Clause IDs linked to `entry`, sorted.
    pub fn clauses_of(&self, entry: &str) -> Vec<&str> {
        let mut ids: Vec<&str> = self
            .by_clause
            .iter()
            .filter(|(_, ls)| ls.iter().any(|l| l.entry == entry))
            .map(|(id, _)| id.as_str())
            .collect();
        ids.sort_unstable();
        ids
    }

    /// How many of `clause_ids` link to each entry.
    pub fn counts<'a>(
        &self,
        clause_ids: impl IntoIterator<Item = &'a str>,
    ) -> BTreeMap<String, u32> {
        let mut out = BTreeMap::new();
        for id in clause_ids {
            for l in self.of(id) {
                *out.entry(l.entry.clone()).or_default() += 1;
            }
        }
        out
    }
}

fn day(rfc3339: &str) -> &str {
    rfc3339.get(..10).unwrap_or(rfc3339)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clause::ClauseKind;
    use crate::matrix::Matrix;

    fn clause(id: &str, text: &str) -> Clause {
        Clause {
            id: id.into(),
            version: "v@1".into(),
            section_slug: "a".into(),
            ordinal: 1,
            section: vec!["A".into()],
            pages: vec![],
            kind: ClauseKind::Paragraph,
            text: text.into(),
            sha256: String::new(),
        }
    }

    fn matrices() -> Matrices {
        let m = Matrix::parse(
            "m.toml",
            r#"
[matrix]
id = "m"
title = "M"

[[entry]]
id = "rest"
area = "Encryption at rest"
owner = "shared"
provider = "p"
customer = "c"

[[entry.rule]]
any = ["encrypted"]
confidence = 0.5

[[entry.rule]]
any = ["encrypted at rest", "at rest encryption"]
all = ["key"]
confidence = 0.9

[[entry]]
id = "mfa"
area = "MFA"
owner = "customer"
provider = "p"
customer = "c"

[[entry.rule]]
any = ["multi-factor authentication"]
confidence = 0.9
"#,
        )
        .unwrap();
        Matrices { matrices: vec![m] }
    }

    #[test]
    fn the_best_rule_wins_and_says_why() {
        let m = matrices();
        let l = auto_links(
            &m,
            &clause("v@1/a/1", "Data is encrypted at rest with a managed key."),
        );
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].entry, "m/rest");
        assert_eq!(l[0].confidence, 0.9);
        assert_eq!(
            l[0].reason,
            "rule 2 matched \u{201C}encrypted at rest\u{201D}, \u{201C}key\u{201D}"
        );
        let l = auto_links(&m, &clause("v@1/a/1", "Data is encrypted at rest."));
        assert_eq!(
            (l[0].confidence, l[0].reason.as_str()),
            (0.5, "rule 1 matched \u{201C}encrypted\u{201D}")
        );
        assert!(auto_links(&m, &clause("v@1/a/1", "Nothing relevant.")).is_empty());
    }

    #[test]
    fn manual_decisions_add_and_hide_links_and_ignore_unknowns() {
        let m = matrices();
        let cs = [
            clause("v@1/a/1", "Data is encrypted at rest."),
            clause("v@1/a/2", "Admins use passwords."),
        ];
        let o = |c: &str, e: &str, action| LinkOverride {
            clause_id: c.into(),
            entry: e.into(),
            action,
            author: "ana".into(),
            updated: "2026-01-02T03:04:05Z".into(),
        };
        let t = LinkTable::build(
            &m,
            &cs,
            &[
                o("v@1/a/1", "m/rest", LinkAction::Unlink),
                o("v@1/a/2", "m/mfa", LinkAction::Link),
                o("v@1/gone/1", "m/mfa", LinkAction::Link),
                o("v@1/a/2", "m/gone", LinkAction::Link),
            ],
        );
        assert!(t.of("v@1/a/1").is_empty());
        let l = t.of("v@1/a/2");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].source, LinkSource::Manual);
        assert_eq!(l[0].reason, "linked by ana on 2026-01-02");
        assert_eq!(t.clauses_of("m/mfa"), ["v@1/a/2"]);
        assert_eq!(t.counts(["v@1/a/1", "v@1/a/2"]).get("m/mfa"), Some(&1));
    }
}
