//! Exports a reader can check: annotated excerpts with exact citations, as
//! Markdown, print-ready HTML, CSV and JSON, and the change memo for two
//! versions.
//!
//! Every excerpt carries its citation — vendor, document, version date,
//! section path, pages, clause ID and the SHA-256 of the clause's normalised
//! text — and every export says when and from which corpus it was made. The
//! time comes from `SOURCE_DATE_EPOCH` when it is set, and nothing else
//! varies between runs, so the same input gives byte-identical output.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::Clause;
use crate::compare::cards::ChangeCard;
use crate::compare::redline::RedlinePart;
use crate::corpus::VersionInfo;
use crate::matrix::report::ShiftAlert;
use crate::notes::Note;
use crate::text::{html_escape, md_escape};

/// Where an excerpt comes from, precisely enough to verify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Citation {
    /// Vendor.
    pub vendor: String,
    /// Document title.
    pub document: String,
    /// Version ID.
    pub version: String,
    /// Version date.
    pub date: String,
    /// Section path.
    pub section: Vec<String>,
    /// Pages, when known.
    pub pages: Vec<u32>,
    /// Clause ID.
    pub clause_id: String,
    /// SHA-256 of the clause's normalised text.
    pub sha256: String,
    /// When the clause was read by OCR: Tesseract's mean confidence (0–100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr: Option<u8>,
}

impl Citation {
    /// The citation of `clause` in `version`.
    pub fn of(version: &VersionInfo, clause: &Clause) -> Citation {
        Citation {
            vendor: version.vendor.clone(),
            document: version.document.clone(),
            version: version.id.clone(),
            date: version.date.clone(),
            section: clause.section.to_vec(),
            pages: clause.pages.to_vec(),
            clause_id: clause.id(),
            sha256: clause.sha256().to_string(),
            ocr: clause.ocr,
        }
    }

    /// One line: `Vendor, "Document" (date), Section › Path, p. 3 [clause-id; sha256 …]`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "{}, \u{201C}{}\u{201D} ({})",
            self.vendor, self.document, self.date
        );
        let section: Vec<&str> = self
            .section
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !section.is_empty() {
            s.push_str(&format!(", {}", section.join(" › ")));
        }
        if !self.pages.is_empty() {
            s.push_str(&format!(", {}", crate::clause::page_label(&self.pages)));
        }
        if let Some(confidence) = self.ocr {
            s.push_str(&format!(", {}", crate::clause::ocr_label(confidence)));
        }
        s.push_str(&format!(" [{}; sha256 {}]", self.clause_id, self.sha256));
        s
    }
}

/// One excerpt: a clause (or a quoted span of it) with its citation and,
/// depending on the selection, the note on it or the change card it
/// evidences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Excerpt {
    /// Where it comes from.
    pub citation: Citation,
    /// The clause's text.
    pub text: String,
    /// The quoted span, for a note on a span.
    pub quote: Option<String>,
    /// The note, for an export of notes.
    pub note: Option<Note>,
    /// The change card, for an export of changes.
    pub card: Option<ChangeCard>,
    /// `before` or `after`, for a change card's evidence.
    pub side: Option<String>,
}

/// An export before rendering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportDoc {
    /// Title.
    pub title: String,
    /// When it was made (RFC 3339, UTC; `SOURCE_DATE_EPOCH` when set).
    pub generated: String,
    /// Which corpus, with its content key.
    pub corpus: String,
    /// What was selected, in words.
    pub selection: String,
    /// The excerpts.
    pub excerpts: Vec<Excerpt>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Markdown.
    Md,
    /// Self-contained, print-ready HTML.
    Html,
    /// CSV, one row per excerpt.
    Csv,
    /// JSON (the [`ExportDoc`] itself).
    Json,
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "md" | "markdown" => Ok(ExportFormat::Md),
            "html" => Ok(ExportFormat::Html),
            "csv" => Ok(ExportFormat::Csv),
            "json" => Ok(ExportFormat::Json),
            other => Err(format!(
                "unknown export format \"{other}\" (md, html, csv, json)"
            )),
        }
    }
}

/// A Markdown block quote of document text (every line quoted and escaped).
fn md_quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {}", md_escape(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A note's own Markdown, kept as written but fenced off as a quote of the
/// user's words (it is the user's, so it is not escaped).
fn note_md(n: &Note) -> String {
    let mut s = format!(
        "**Note {}** ({}; {}; {}{}):\n\n",
        n.id,
        n.author,
        n.status.as_str().replace('_', " "),
        n.updated.get(..10).unwrap_or(&n.updated),
        if n.tags.is_empty() {
            String::new()
        } else {
            format!("; tags: {}", n.tags.join(", "))
        }
    );
    s.push_str(n.text.trim());
    s.push('\n');
    if let Some(c) = &n.change {
        s.push_str(&format!("\n*Needs re-review:* {}\n", md_escape(c)));
    }
    s
}

/// Render an export.
pub fn render(doc: &ExportDoc, format: ExportFormat) -> Result<String, String> {
    match format {
        ExportFormat::Json => serde_json::to_string_pretty(doc)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        ExportFormat::Csv => to_csv(doc).map_err(|e| e.to_string()),
        ExportFormat::Md => Ok(to_markdown(doc)),
        ExportFormat::Html => Ok(to_html(doc)),
    }
}

fn to_markdown(doc: &ExportDoc) -> String {
    let mut out = format!(
        "# {}\n\nExported {} from {}. Selection: {}. {} excerpt{}.\n\n",
        md_escape(&doc.title),
        doc.generated,
        md_escape(&doc.corpus),
        md_escape(&doc.selection),
        doc.excerpts.len(),
        if doc.excerpts.len() == 1 { "" } else { "s" }
    );
    for (i, e) in doc.excerpts.iter().enumerate() {
        out.push_str(&format!(
            "## {}. {}\n\n",
            i + 1,
            md_escape(&e.citation.line())
        ));
        if let Some(card) = &e.card {
            out.push_str(&format!(
                "**{}** ({}, {}, {}){}\n\n",
                md_escape(&card.summary),
                crate::compare::label(card.kind),
                crate::compare::label(card.severity),
                crate::compare::label(card.direction),
                e.side
                    .as_deref()
                    .map_or(String::new(), |s| format!(" — {s}"))
            ));
        }
        if let Some(q) = &e.quote {
            out.push_str(&format!("Quoted: \u{201C}{}\u{201D}\n\n", md_escape(q)));
        }
        out.push_str(&md_quote(&e.text));
        out.push_str("\n\n");
        if let Some(n) = &e.note {
            out.push_str(&note_md(n));
            out.push('\n');
        }
    }
    out
}

/// The print-ready stylesheet shared by every HTML export.
const HTML_STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}blockquote{margin:.5rem 0;padding:.25rem 1rem;border-left:4px solid #d0d7de;background:#f6f8fa}.cite{color:#57606a;font-size:.85em}.note{border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}.note pre{white-space:pre-wrap;font:inherit;margin:0}.review{background:#fff8c5}.meta{color:#57606a}mark{background:#fff2a8}del{background:#ffebe9;color:#82071e}ins{background:#dafbe1;color:#116329;text-decoration:none}.alert{border-left:6px solid #cf222e;padding-left:.5rem}section{break-inside:avoid}@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit}}";

fn html_page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>{}</title>\n<style>{HTML_STYLE}</style></head><body>\n{body}</body></html>\n",
        html_escape(title)
    )
}

fn note_html(n: &Note) -> String {
    // The note's Markdown is shown as written (escaped, in a <pre>): an
    // export never turns user or document text into markup.
    let mut s = format!(
        "<div class=\"note{}\"><p class=\"meta\">Note {} · {} · {} · {}{}</p><pre>{}</pre>",
        if n.change.is_some() { " review" } else { "" },
        n.id,
        html_escape(&n.author),
        html_escape(&n.status.as_str().replace('_', " ")),
        html_escape(n.updated.get(..10).unwrap_or(&n.updated)),
        if n.tags.is_empty() {
            String::new()
        } else {
            format!(" · tags: {}", html_escape(&n.tags.join(", ")))
        },
        html_escape(n.text.trim())
    );
    if let Some(c) = &n.change {
        s.push_str(&format!(
            "<p><b>Needs re-review:</b> {}</p>",
            html_escape(c)
        ));
    }
    s.push_str("</div>\n");
    s
}

fn to_html(doc: &ExportDoc) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">Exported {} from {}. Selection: {}. {} excerpt{}.</p>\n",
        html_escape(&doc.title),
        html_escape(&doc.generated),
        html_escape(&doc.corpus),
        html_escape(&doc.selection),
        doc.excerpts.len(),
        if doc.excerpts.len() == 1 { "" } else { "s" }
    );
    for (i, e) in doc.excerpts.iter().enumerate() {
        body.push_str("<section>\n");
        body.push_str(&format!(
            "<h2>{}. {}</h2>\n",
            i + 1,
            html_escape(&e.citation.line())
        ));
        if let Some(card) = &e.card {
            body.push_str(&format!(
                "<p><b>{}</b> <span class=\"meta\">({}, {}, {}{})</span></p>\n",
                html_escape(&card.summary),
                html_escape(&crate::compare::label(card.kind)),
                html_escape(&crate::compare::label(card.severity)),
                html_escape(&crate::compare::label(card.direction)),
                e.side
                    .as_deref()
                    .map_or(String::new(), |s| format!(" — {}", html_escape(s)))
            ));
        }
        let text = match &e.quote {
            Some(q) => match e.text.find(q.as_str()) {
                Some(at) => format!(
                    "{}<mark>{}</mark>{}",
                    html_escape(&e.text[..at]),
                    html_escape(q),
                    html_escape(&e.text[at + q.len()..])
                ),
                None => html_escape(&e.text),
            },
            None => html_escape(&e.text),
        };
        body.push_str(&format!("<blockquote>{text}</blockquote>\n"));
        if let Some(n) = &e.note {
            body.push_str(&note_html(n));
        }
        body.push_str("</section>\n");
    }
    html_page(&doc.title, &body)
}

fn to_csv(doc: &ExportDoc) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "vendor",
        "document",
        "version",
        "date",
        "section",
        "pages",
        "clause_id",
        "sha256",
        "text",
        "quote",
        "note_id",
        "note",
        "tags",
        "status",
        "author",
        "updated",
        "change",
        "card_kind",
        "card_summary",
        "severity",
        "direction",
        "side",
        "exported",
        "corpus",
        "ocr_confidence",
        "card_topic",
        "card_party",
    ])?;
    for e in &doc.excerpts {
        let c = &e.citation;
        let n = e.note.as_ref();
        let k = e.card.as_ref();
        w.write_record([
            c.vendor.as_str(),
            &c.document,
            &c.version,
            &c.date,
            &c.section.join(" > "),
            &c.pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(" "),
            &c.clause_id,
            &c.sha256,
            &e.text,
            e.quote.as_deref().unwrap_or(""),
            &n.map(|n| n.id.to_string()).unwrap_or_default(),
            n.map_or("", |n| n.text.as_str()),
            &n.map(|n| n.tags.join(", ")).unwrap_or_default(),
            n.map_or("", |n| n.status.as_str()),
            n.map_or("", |n| n.author.as_str()),
            n.map_or("", |n| n.updated.as_str()),
            n.and_then(|n| n.change.as_deref()).unwrap_or(""),
            &k.map(|k| crate::compare::label(k.kind)).unwrap_or_default(),
            k.map_or("", |k| k.summary.as_str()),
            &k.map(|k| crate::compare::label(k.severity))
                .unwrap_or_default(),
            &k.map(|k| crate::compare::label(k.direction))
                .unwrap_or_default(),
            e.side.as_deref().unwrap_or(""),
            &doc.generated,
            &doc.corpus,
            &c.ocr.map(|o| o.to_string()).unwrap_or_default(),
            k.and_then(|k| k.topic.as_deref()).unwrap_or(""),
            &k.and_then(|k| k.party)
                .map(crate::compare::label)
                .unwrap_or_default(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One change in a memo: the card, its evidence, the redline of its
/// clauses, the notes on them and the matrix entries it touches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemoChange {
    /// The card.
    pub card: ChangeCard,
    /// Citation of the old clause.
    pub before: Option<Citation>,
    /// Citation of the new clause.
    pub after: Option<Citation>,
    /// The redline of the aligned pair (empty when none).
    pub redline: Vec<RedlinePart>,
    /// Notes on either clause.
    pub notes: Vec<Note>,
    /// Areas of the matrix entries it touches.
    pub entries: Vec<String>,
}

/// A change memo for two versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Memo {
    /// Title.
    pub title: String,
    /// When it was made.
    pub generated: String,
    /// Which corpus.
    pub corpus: String,
    /// The older version.
    pub old: VersionInfo,
    /// The newer version.
    pub new: VersionInfo,
    /// Warnings of the comparison.
    pub warnings: Vec<String>,
    /// Each version's regulatory flags.
    pub flags: Vec<crate::timeline::VersionFlags>,
    /// The changes, most important first.
    pub changes: Vec<MemoChange>,
    /// Responsibility-shift alerts.
    pub alerts: Vec<ShiftAlert>,
}

/// Render a memo as Markdown or HTML (CSV and JSON: use the memo's JSON).
pub fn render_memo(m: &Memo, format: ExportFormat) -> Result<String, String> {
    match format {
        ExportFormat::Md => Ok(memo_markdown(m)),
        ExportFormat::Html => Ok(memo_html(m)),
        ExportFormat::Json => serde_json::to_string_pretty(m)
            .map(|s| s + "\n")
            .map_err(|e| e.to_string()),
        ExportFormat::Csv => Err("a change memo is Markdown, HTML or JSON".into()),
    }
}

fn memo_markdown(m: &Memo) -> String {
    let mut out = format!(
        "# {}\n\nFrom **{}** ({}) to **{}** ({}). Exported {} from {}.\n\n",
        md_escape(&m.title),
        m.old.date,
        m.old.id,
        m.new.date,
        m.new.id,
        m.generated,
        md_escape(&m.corpus)
    );
    for w in &m.warnings {
        out.push_str(&format!("> **Note:** {}\n\n", md_escape(w)));
    }
    let flags: Vec<_> = m
        .flags
        .iter()
        .flat_map(|v| v.flags.iter().map(move |f| (v, f)))
        .collect();
    if !flags.is_empty() {
        out.push_str("## Regulatory flags\n\n");
        for (v, f) in flags {
            out.push_str(&format!("- **{}** {}\n", v.version, md_escape(&f.message)));
        }
        out.push('\n');
    }
    if !m.alerts.is_empty() {
        out.push_str(&format!(
            "## Responsibility-shift alerts ({})\n\n",
            m.alerts.len()
        ));
        for a in &m.alerts {
            out.push_str(&format!(
                "- **{}** {}\n",
                crate::compare::label(a.kind),
                md_escape(&a.message)
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("## Changes ({})\n\n", m.changes.len()));
    for (i, c) in m.changes.iter().enumerate() {
        memo_change_markdown(&mut out, i, c);
    }
    out
}

/// One change of a memo in Markdown: the card, its evidence with
/// citations, the redline and the notes.
fn memo_change_markdown(out: &mut String, i: usize, c: &MemoChange) {
    out.push_str(&format!(
        "### {}. {}\n\n{} · {} · {}{}{}\n\n",
        i + 1,
        md_escape(&c.card.summary),
        crate::compare::label(c.card.kind),
        crate::compare::label(c.card.severity),
        crate::compare::label(c.card.direction),
        c.card.topic.as_ref().map_or(String::new(), |t| format!(
            " · topic: {}",
            t.replace('-', " ")
        )),
        if c.entries.is_empty() {
            String::new()
        } else {
            format!(" · matrix: {}", md_escape(&c.entries.join(", ")))
        }
    ));
    for (side, cite, ev) in [
        ("Before", &c.before, &c.card.before),
        ("After", &c.after, &c.card.after),
    ] {
        if let (Some(cite), Some(ev)) = (cite, ev) {
            out.push_str(&format!(
                "{side}: {}\n\n{}\n\n",
                md_escape(&cite.line()),
                md_quote(&ev.text)
            ));
        }
    }
    if !c.redline.is_empty() {
        out.push_str(&format!(
            "Redline: {}\n\n",
            crate::compare::redline::to_markdown(&c.redline)
        ));
    }
    for n in &c.notes {
        out.push_str(&note_md(n));
        out.push('\n');
    }
}

fn memo_html(m: &Memo) -> String {
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"meta\">From <b>{}</b> ({}) to <b>{}</b> ({}). Exported {} from {}.</p>\n",
        html_escape(&m.title),
        html_escape(&m.old.date),
        html_escape(&m.old.id),
        html_escape(&m.new.date),
        html_escape(&m.new.id),
        html_escape(&m.generated),
        html_escape(&m.corpus)
    );
    for w in &m.warnings {
        body.push_str(&format!("<p class=\"review\">{}</p>\n", html_escape(w)));
    }
    let flags: Vec<_> = m
        .flags
        .iter()
        .flat_map(|v| v.flags.iter().map(move |f| (v, f)))
        .collect();
    if !flags.is_empty() {
        body.push_str("<h2>Regulatory flags</h2>\n<ul>\n");
        for (v, f) in flags {
            body.push_str(&format!(
                "<li><b>{}</b> {}</li>\n",
                html_escape(&v.version),
                html_escape(&f.message)
            ));
        }
        body.push_str("</ul>\n");
    }
    if !m.alerts.is_empty() {
        body.push_str(&format!(
            "<h2>Responsibility-shift alerts ({})</h2>\n<ul>\n",
            m.alerts.len()
        ));
        for a in &m.alerts {
            body.push_str(&format!(
                "<li class=\"alert\"><b>{}</b> {}</li>\n",
                html_escape(&crate::compare::label(a.kind)),
                html_escape(&a.message)
            ));
        }
        body.push_str("</ul>\n");
    }
    body.push_str(&format!("<h2>Changes ({})</h2>\n", m.changes.len()));
    for (i, c) in m.changes.iter().enumerate() {
        memo_change_html(&mut body, i + 1, c);
    }
    html_page(&m.title, &body)
}

/// One change of a memo: its card, the cited clauses before and after,
/// the redline and the notes on them.
fn memo_change_html(body: &mut String, number: usize, c: &MemoChange) {
    body.push_str(&format!(
        "<section><h3>{}. {}</h3>\n<p class=\"meta\">{} · {} · {}{}</p>\n",
        number,
        html_escape(&c.card.summary),
        html_escape(&crate::compare::label(c.card.kind)),
        html_escape(&crate::compare::label(c.card.severity)),
        html_escape(&crate::compare::label(c.card.direction)),
        if c.entries.is_empty() {
            String::new()
        } else {
            format!(" · matrix: {}", html_escape(&c.entries.join(", ")))
        }
    ));
    for (side, cite, ev) in [
        ("Before", &c.before, &c.card.before),
        ("After", &c.after, &c.card.after),
    ] {
        if let (Some(cite), Some(ev)) = (cite, ev) {
            body.push_str(&format!(
                "<p class=\"cite\">{side}: {}</p><blockquote>{}</blockquote>\n",
                html_escape(&cite.line()),
                html_escape(&ev.text)
            ));
        }
    }
    if !c.redline.is_empty() {
        body.push_str(&format!(
            "<p><b>Redline:</b> {}</p>\n",
            crate::compare::redline::to_html(&c.redline)
        ));
    }
    for n in &c.notes {
        body.push_str(&note_html(n));
    }
    body.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cite() -> Citation {
        Citation {
            vendor: "Acme".into(),
            document: "Security".into(),
            version: "acme@2024-01-01".into(),
            date: "2024-01-01".into(),
            section: vec!["Data".into(), "Encryption".into()],
            pages: vec![3, 4],
            clause_id: "acme@2024-01-01/encryption/1".into(),
            sha256: "ab".repeat(32),
            ocr: None,
        }
    }

    #[test]
    fn a_citation_line_names_everything_needed_to_verify_it() {
        assert_eq!(
            cite().line(),
            format!("Acme, \u{201C}Security\u{201D} (2024-01-01), Data › Encryption, pp. 3–4 [acme@2024-01-01/encryption/1; sha256 {}]", "ab".repeat(32))
        );
    }

    #[test]
    fn exports_neutralise_document_text() {
        let doc = ExportDoc {
            title: "T".into(),
            generated: "2024-01-01T00:00:00Z".into(),
            corpus: "c".into(),
            selection: "s".into(),
            excerpts: vec![Excerpt {
                citation: cite(),
                text: "<script>alert(1)</script> and <img src=x onerror=alert(1)> [x](javascript:alert(1))".into(),
                quote: Some("<script>".into()),
                note: None,
                card: None,
                side: None,
            }],
        };
        let html = render(&doc, ExportFormat::Html).unwrap();
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"));
        let md = render(&doc, ExportFormat::Md).unwrap();
        assert!(
            md.contains("\\<script\\>") && md.contains("\\[x\\]"),
            "{md}"
        );
        let csv = render(&doc, ExportFormat::Csv).unwrap();
        assert_eq!(csv.lines().count(), 2);
        assert!("pdf".parse::<ExportFormat>().is_err());
    }
}
