//! Exports (notes, hits or cards as cited excerpts) and the change memo.

use trustlens_core::export::{Citation, Excerpt, ExportDoc, ExportFormat, Memo, MemoChange};

use trustlens_core::notes::NoteFilter;
use trustlens_search::SearchRequest;

use super::*;

/// An export's title, a description of what it selects, and its excerpts.
type Selected = (String, String, Vec<Excerpt>);

impl Workspace {
    pub(super) fn corpus_line(&self) -> String {
        format!(
            "{} (content key {})",
            self.corpus.source.describe(),
            self.corpus.content_key()
        )
    }

    /// Build an export (see [`trustlens_core::export`]).
    pub fn export_doc(&self, selection: &ExportSelection) -> Result<ExportDoc, ApiError> {
        let (title, described, excerpts) = match selection {
            ExportSelection::Notes { filter } => self.note_excerpts(filter)?,
            ExportSelection::Search { request } => self.hit_excerpts(request)?,
            ExportSelection::Changes { old, new } => self.card_excerpts(old, new)?,
        };
        Ok(ExportDoc {
            title,
            generated: trustlens_core::store::now(),
            corpus: self.corpus_line(),
            selection: described,
            excerpts,
        })
    }

    /// The notes `filter` selects, each with its clause.
    fn note_excerpts(&self, filter: &NoteFilter) -> Result<Selected, ApiError> {
        let mut excerpts = Vec::new();
        for n in self.notes(filter)? {
            let Some(citation) = n.citation.clone() else {
                continue;
            };
            excerpts.push(Excerpt {
                citation,
                text: n.clause_text.clone().unwrap_or_default(),
                quote: n.note.quote.as_ref().map(|q| q.exact.clone()),
                note: Some(n.note),
                card: None,
                side: None,
            });
        }
        let mut parts = Vec::new();
        if let Some(t) = filter.tag.as_deref().filter(|t| !t.trim().is_empty()) {
            parts.push(format!("tag {t}"));
        }
        if let Some(s) = filter.status {
            parts.push(format!("status {}", s.as_str()));
        }
        if let Some(v) = filter.version.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("version {v}"));
        }
        if let Some(e) = filter.entry.as_deref().filter(|e| !e.trim().is_empty()) {
            parts.push(format!("matrix entry {e}"));
        }
        Ok((
            "Annotated excerpts".to_string(),
            if parts.is_empty() {
                "all notes".to_string()
            } else {
                format!("notes with {}", parts.join(", "))
            },
            excerpts,
        ))
    }

    /// The best hits of a search, each with its clause.
    fn hit_excerpts(&self, request: &SearchRequest) -> Result<Selected, ApiError> {
        let mut excerpts = Vec::new();
        let results = self.search(request)?;
        for h in &results.hits {
            let Some((citation, text)) = self.citation(&h.clause_id) else {
                continue;
            };
            excerpts.push(clause_excerpt(citation, text, None));
        }
        Ok((
            format!(
                "Search results for \u{201C}{}\u{201D}",
                request.query.trim()
            ),
            format!(
                "the best {} of {} clauses matching \u{201C}{}\u{201D}",
                results.hits.len(),
                results.total,
                request.query.trim()
            ),
            excerpts,
        ))
    }

    /// The change cards between two versions, each with its clause before
    /// and after.
    fn card_excerpts(&self, old: &str, new: &str) -> Result<Selected, ApiError> {
        let mut excerpts = Vec::new();
        let c = self.diff(old, new)?;
        for card in &c.changes {
            for (side, ev) in [("before", &card.before), ("after", &card.after)] {
                let Some(ev) = ev else { continue };
                let Some((citation, text)) = self.citation(&ev.clause_id) else {
                    continue;
                };
                let evidence = Some((card.clone(), side.to_string()));
                excerpts.push(clause_excerpt(citation, text, evidence));
            }
        }
        Ok((
            format!("Changes from {} to {}", c.old.id, c.new.id),
            format!("{} change cards", c.changes.len()),
            excerpts,
        ))
    }

    /// An export, rendered.
    pub fn export(&self, req: &ExportRequest) -> Result<String, ApiError> {
        let doc = self.export_doc(&req.selection)?;
        trustlens_core::export::render(&doc, req.format)
            .map_err(|e| ApiError::new(ErrorCode::Io, e))
    }

    /// The change memo for two versions, rendered as Markdown or HTML.
    pub fn memo_text(
        &self,
        old: &str,
        new: &str,
        format: ExportFormat,
    ) -> Result<String, ApiError> {
        let memo = self.memo(old, new)?;
        trustlens_core::export::render_memo(&memo, format)
            .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, e))
    }

    /// The change memo for two versions: cards with their evidence and
    /// redline, the notes on the clauses they touch, and the matrix entries
    /// they touch with responsibility-shift alerts.
    pub fn memo(&self, old: &str, new: &str) -> Result<Memo, ApiError> {
        let c = self.diff(old, new)?;
        let links = self.links().ok();
        let matrix = match (&self.matrices, &links) {
            (Ok(m), Some(l)) => Some((m, trustlens_core::matrix::report::diff(m, &c, l))),
            _ => None,
        };
        let notes = self.store()?.notes()?;
        let mut changes = Vec::new();
        for (k, card) in c.changes.iter().enumerate() {
            let ids: Vec<&str> = [&card.before, &card.after]
                .into_iter()
                .flatten()
                .map(|e| e.clause_id.as_str())
                .collect();
            let pair = c.alignment.iter().find(|p| {
                ids.iter()
                    .any(|id| p.pair.old.iter().chain(&p.pair.new).any(|x| x == id))
            });
            changes.push(MemoChange {
                card: card.clone(),
                before: card
                    .before
                    .as_ref()
                    .and_then(|e| self.citation(&e.clause_id))
                    .map(|c| c.0),
                after: card
                    .after
                    .as_ref()
                    .and_then(|e| self.citation(&e.clause_id))
                    .map(|c| c.0),
                redline: pair.map(|p| p.redline.clone()).unwrap_or_default(),
                notes: notes
                    .iter()
                    .filter(|n| {
                        ids.contains(&n.clause_id.as_str())
                            || ids.contains(&n.origin_clause_id.as_str())
                    })
                    .cloned()
                    .collect(),
                entries: matrix
                    .as_ref()
                    .map(|(_, d)| {
                        d.entries
                            .iter()
                            .filter(|e| e.cards.contains(&(k as u32)))
                            .map(|e| e.entry.area.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        Ok(Memo {
            title: format!("Change memo: {} — {}", c.new.vendor, c.new.document),
            generated: trustlens_core::store::now(),
            corpus: self.corpus_line(),
            alerts: matrix.map(|(_, d)| d.alerts).unwrap_or_default(),
            warnings: c.warnings.clone(),
            flags: c.flags,
            old: c.old,
            new: c.new,
            changes,
        })
    }
}

/// A whole clause as an excerpt, with the card and side it is evidence of.
fn clause_excerpt(
    citation: Citation,
    text: String,
    evidence: Option<(trustlens_core::compare::cards::ChangeCard, String)>,
) -> Excerpt {
    let (card, side) = evidence.unzip();
    Excerpt {
        citation,
        text,
        quote: None,
        note: None,
        card,
        side,
    }
}
