//! Key terms of a version: its statements by topic, each in plain words
//! with its citation ("Breach notification: the provider will notify the
//! customer, ‘without undue delay’ — § Security Incident Notification,
//! p. 4"), and two versions' key terms side by side with what changed.
//!
//! ```
//! use trustlens_core::corpus::Version;
//! use trustlens_core::ingest::Format;
//! use trustlens_core::lexicon::Lexicon;
//!
//! let v = Version::from_text("acme", "Acme", "DPA", "2024-01-01", Format::Markdown,
//!     "# Security incidents\n\nAcme will notify Customer within 72 hours.\n");
//! let sheet = trustlens_core::terms::sheet(Lexicon::bundled(), &v);
//! assert_eq!(sheet.topics[0].name, "Breach notification");
//! assert!(sheet.topics[0].terms[0].text.contains("within 72 hours"));
//! ```

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::corpus::{Version, VersionInfo};
use crate::export::Citation;
use crate::lexicon::Lexicon;
use crate::statements::{Statement, Statements};
use crate::text::{html_escape, md_escape};

/// One key term: a statement in plain words, with its citation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyTerm {
    /// The statement in plain words ("the provider will notify the
    /// customer, ‘without undue delay’").
    pub text: String,
    /// The statement itself.
    pub statement: Statement,
    /// Where it is.
    pub citation: Citation,
}

/// The key terms of one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TopicTerms {
    /// The topic's ID.
    pub topic: String,
    /// Its name.
    pub name: String,
    /// Its statements, in reading order.
    pub terms: Vec<KeyTerm>,
}

/// A version's key terms, by topic in taxonomy order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TermSheet {
    /// The version.
    pub version: VersionInfo,
    /// Topics with at least one statement.
    pub topics: Vec<TopicTerms>,
}

/// What became of a key term between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TermChange {
    /// The same statement in both.
    Same,
    /// The same commitment, with a different force, party or qualifier.
    Changed,
    /// Only in the newer version.
    Added,
    /// Only in the older version.
    Removed,
}

/// One row of a side-by-side sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TermRow {
    /// The term in the older version.
    pub old: Option<KeyTerm>,
    /// The term in the newer version.
    pub new: Option<KeyTerm>,
    /// What changed.
    pub change: TermChange,
}

/// One topic of a side-by-side sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TopicRows {
    /// The topic's ID.
    pub topic: String,
    /// Its name.
    pub name: String,
    /// Its rows: matched terms first in the newer version's order, then
    /// the removed ones.
    pub rows: Vec<TermRow>,
}

/// Two versions' key terms side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TermsCompared {
    /// The older version.
    pub old: VersionInfo,
    /// The newer version.
    pub new: VersionInfo,
    /// Topics either version has.
    pub topics: Vec<TopicRows>,
}

/// The key term of a statement of `version`.
fn term(version: &Version, s: &Statement) -> Option<KeyTerm> {
    let clause = version
        .doc
        .clauses
        .iter()
        .find(|c| c.has_id(&s.clause_id))?;
    Some(KeyTerm {
        text: crate::compare::summary::describe(s),
        statement: s.clone(),
        citation: Citation::of(&version.info, clause),
    })
}

/// The key terms of a version: every statement that has a topic.
pub fn sheet(lexicon: &Lexicon, version: &Version) -> TermSheet {
    let statements = Statements::with(lexicon, &lexicon.statements, version);
    let mut topics: Vec<TopicTerms> = Vec::new();
    for t in &lexicon.statements.topics {
        let terms: Vec<KeyTerm> = statements
            .all
            .iter()
            .filter(|s| s.topic.as_deref() == Some(t.id.as_str()))
            .filter_map(|s| term(version, s))
            .collect();
        if !terms.is_empty() {
            topics.push(TopicTerms {
                topic: t.id.clone(),
                name: t.name.clone(),
                terms,
            });
        }
    }
    TermSheet {
        version: version.info.clone(),
        topics,
    }
}

/// Two versions' key terms side by side, each term marked same, changed,
/// added or removed. Terms are matched within a topic, by the same verb
/// and mostly the same words; "changed" is the compare engine's test of
/// two statements ([`crate::compare::summary::diff`]).
pub fn compare(lexicon: &Lexicon, old: &Version, new: &Version) -> TermsCompared {
    let (a, b) = (sheet(lexicon, old), sheet(lexicon, new));
    let mut topics = Vec::new();
    for t in &lexicon.statements.topics {
        let olds: Vec<&KeyTerm> = a
            .topics
            .iter()
            .filter(|x| x.topic == t.id)
            .flat_map(|x| &x.terms)
            .collect();
        let news: Vec<&KeyTerm> = b
            .topics
            .iter()
            .filter(|x| x.topic == t.id)
            .flat_map(|x| &x.terms)
            .collect();
        if olds.is_empty() && news.is_empty() {
            continue;
        }
        topics.push(TopicRows {
            topic: t.id.clone(),
            name: t.name.clone(),
            rows: rows(&olds, &news),
        });
    }
    TermsCompared {
        old: a.version,
        new: b.version,
        topics,
    }
}

/// Rows of one topic: each new term with the old term that is the same
/// commitment (the best match by verb, object and sentence), then the old
/// terms left over.
fn rows(olds: &[&KeyTerm], news: &[&KeyTerm]) -> Vec<TermRow> {
    use crate::compare::meaning::{jaccard, words};
    let mut used = vec![false; olds.len()];
    let old_words: Vec<_> = olds.iter().map(|o| words(&o.text)).collect();
    let mut out = Vec::new();
    for n in news {
        let (ns, nw) = (&n.statement, words(&n.text));
        let best = olds
            .iter()
            .enumerate()
            .filter(|(k, o)| !used[*k] && o.statement.action_stem == ns.action_stem)
            .map(|(k, _)| (k, jaccard(&old_words[k], &nw)))
            .filter(|(_, j)| *j >= 0.3)
            .max_by(|x, y| x.1.total_cmp(&y.1));
        let row = match best {
            Some((k, _)) => {
                used[k] = true;
                let o = olds[k];
                let change = match crate::compare::summary::diff(&o.statement, ns) {
                    None => TermChange::Same,
                    Some(_) => TermChange::Changed,
                };
                TermRow {
                    old: Some(o.clone()),
                    new: Some((*n).clone()),
                    change,
                }
            }
            None => TermRow {
                old: None,
                new: Some((*n).clone()),
                change: TermChange::Added,
            },
        };
        out.push(row);
    }
    for (_, o) in olds.iter().enumerate().filter(|(k, _)| !used[*k]) {
        out.push(TermRow {
            old: Some((*o).clone()),
            new: None,
            change: TermChange::Removed,
        });
    }
    out
}

/// Where a term is: "§ Security Incident Notification, p. 4".
pub fn place(c: &Citation) -> String {
    let mut s = format!("§ {}", c.section.last().map_or("", |x| x.trim()));
    if !c.pages.is_empty() {
        s.push_str(&format!(", {}", crate::clause::page_label(&c.pages)));
    }
    s
}

/// A key-terms sheet as Markdown, HTML, CSV or JSON.
pub fn render_sheet(
    sheet: &TermSheet,
    format: crate::export::ExportFormat,
) -> Result<String, String> {
    use crate::export::ExportFormat;
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(sheet).map_err(|e| e.to_string()),
        ExportFormat::Csv => sheet_csv(sheet).map_err(|e| e.to_string()),
        ExportFormat::Md => Ok(sheet_md(sheet)),
        ExportFormat::Html => Ok(sheet_html(sheet)),
    }
}

/// One row per key term, with its whole citation.
fn sheet_csv(sheet: &TermSheet) -> Result<String, Box<dyn std::error::Error>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "topic",
        "term",
        "party",
        "force",
        "vendor",
        "document",
        "version",
        "section",
        "pages",
        "clause_id",
        "sha256",
    ])?;
    for t in &sheet.topics {
        for k in &t.terms {
            let c = &k.citation;
            let pages = c
                .pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" ");
            w.write_record([
                t.name.as_str(),
                &k.text,
                crate::compare::label(k.statement.party).as_str(),
                crate::compare::label(k.statement.force).as_str(),
                &c.vendor,
                &c.document,
                &c.version,
                &c.section.join(" › "),
                &pages,
                &c.clause_id,
                &c.sha256,
            ])?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

fn sheet_md(sheet: &TermSheet) -> String {
    let v = &sheet.version;
    let mut out = format!(
        "# Key terms: {} — {} ({})\n\n",
        md_escape(&v.vendor),
        md_escape(&v.document),
        v.date
    );
    for t in &sheet.topics {
        out.push_str(&format!("## {}\n\n", md_escape(&t.name)));
        for k in &t.terms {
            out.push_str(&format!(
                "- {} — {} `{}`\n",
                md_escape(&k.text),
                md_escape(&place(&k.citation)),
                k.citation.clause_id
            ));
        }
        out.push('\n');
    }
    out
}

fn sheet_html(sheet: &TermSheet) -> String {
    let v = &sheet.version;
    let mut out = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Key terms</title></head><body>\n<h1>Key terms: {} — {} ({})</h1>\n",
        html_escape(&v.vendor),
        html_escape(&v.document),
        html_escape(&v.date)
    );
    for t in &sheet.topics {
        out.push_str(&format!("<h2>{}</h2>\n<ul>\n", html_escape(&t.name)));
        for k in &t.terms {
            out.push_str(&format!(
                "<li>{} — {} <code>{}</code></li>\n",
                html_escape(&k.text),
                html_escape(&place(&k.citation)),
                html_escape(&k.citation.clause_id)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;

    fn v(date: &str, text: &str) -> Version {
        Version::from_text("acme", "Acme", "DPA", date, Format::Markdown, text)
    }

    #[test]
    fn side_by_side_marks_what_changed() {
        let old = v("2023-01-01", "# Security incidents\n\nAcme will notify Customer within 48 hours.\n\n# Backups\n\nBackups are encrypted at rest.\n\n# Audits\n\nAcme undergoes an annual SOC 2 audit.\n");
        let new = v("2024-01-01", "# Security incidents\n\nAcme will notify Customer within 72 hours.\n\n# Backups\n\nBackups are encrypted at rest.\n\n# Logs\n\nAcme retains logs for 90 days.\n");
        let c = compare(Lexicon::bundled(), &old, &new);
        let change = |topic: &str| -> Vec<TermChange> {
            c.topics
                .iter()
                .filter(|t| t.topic == topic)
                .flat_map(|t| t.rows.iter().map(|r| r.change))
                .collect()
        };
        assert_eq!(change("breach-notification"), [TermChange::Changed]);
        assert_eq!(change("encryption-at-rest"), [TermChange::Same]);
        assert_eq!(change("certifications-audits"), [TermChange::Removed]);
        assert_eq!(change("retention"), [TermChange::Added]);
    }

    #[test]
    fn a_sheet_renders_with_citations() {
        let s = sheet(Lexicon::bundled(), &v("2024-01-01", "# Security Incident Notification\n\nAcme will notify Customer without undue delay.\n"));
        let md = render_sheet(&s, crate::export::ExportFormat::Md).unwrap();
        assert!(md.contains("## Breach notification"), "{md}");
        assert!(md.contains("without undue delay"), "{md}");
        assert!(md.contains("§ Security Incident Notification"), "{md}");
        let csv = render_sheet(&s, crate::export::ExportFormat::Csv).unwrap();
        assert!(
            csv.lines().count() == 2
                && csv.contains("acme@2024-01-01/security-incident-notification/1"),
            "{csv}"
        );
    }
}
