//! Notes on clauses, with their citations and re-anchoring after a new
//! version.

use trustlens_core::export::Citation;
use trustlens_core::matrix::links::LinkTable;
use trustlens_core::notes::{Anchored, NewNote, Note, NoteEdit, NoteFilter};

use super::*;

impl Workspace {
    pub(super) fn citation(&self, clause_id: &str) -> Option<(Citation, String)> {
        let (v, i) = self.corpus.clause(clause_id).ok()?;
        let c = &v.doc.clauses[i];
        Some((Citation::of(&v.info, c), c.text.to_string()))
    }

    pub(super) fn note_view(&self, note: Note, links: Option<&LinkTable>) -> NoteView {
        let cited = self.citation(&note.clause_id);
        NoteView {
            entries: links
                .map(|l| {
                    l.of(&note.clause_id)
                        .iter()
                        .map(|l| l.entry.clone())
                        .collect()
                })
                .unwrap_or_default(),
            citation: cited.as_ref().map(|(c, _)| c.clone()),
            clause_text: cited.map(|(_, t)| t),
            note,
        }
    }

    /// Follow notes into newer versions (see [`trustlens_core::notes::anchor::reanchor`]).
    /// Returns how many notes moved or changed status.
    pub fn reanchor_notes(&self) -> Result<usize, ApiError> {
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        let mut store = self.store()?;
        Ok(trustlens_core::notes::anchor::reanchor(&mut store, &self.corpus, lexicon)?.len())
    }

    /// Add a note to a clause, on the whole clause or on a quoted span.
    pub fn add_note(&self, new: &NewNote) -> Result<NoteView, ApiError> {
        let clause_id = new.clause_id.trim();
        let (v, i) = self.corpus.clause(clause_id)?;
        let clause = &v.doc.clauses[i];
        let quote = match new
            .quote
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            Some(q) => Some(
                trustlens_core::notes::anchor::quote(&clause.text, q, None).ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidArgument,
                        format!("the quote \"{q}\" is not in the text of {clause_id}"),
                    )
                })?,
            ),
            None => None,
        };
        let note = self.store()?.add_note(
            new,
            Anchored {
                clause_id: clause.id(),
                clause_sha256: clause.sha256().to_string(),
                quote,
            },
        )?;
        Ok(self.note_view(note, self.links().ok().as_ref()))
    }

    /// Notes matching a filter, oldest first.
    pub fn notes(&self, filter: &NoteFilter) -> Result<Vec<NoteView>, ApiError> {
        let version = match filter
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => Some(self.corpus.version(v)?.info.id.clone()),
            None => None,
        };
        let links = self.links().ok();
        let entry = match filter
            .entry
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
        {
            Some(e) => Some(
                self.matrices()?
                    .entry(e)
                    .ok_or_else(|| {
                        ApiError::new(ErrorCode::NotFound, format!("no matrix entry \"{e}\""))
                    })?
                    .key
                    .clone(),
            ),
            None => None,
        };
        let tag = filter.tag.as_deref().map(|t| t.trim().to_lowercase());
        let notes = self.store()?.notes()?;
        Ok(notes
            .into_iter()
            .filter(|n| {
                tag.as_ref()
                    .is_none_or(|t| t.is_empty() || n.tags.contains(t))
            })
            .filter(|n| filter.status.is_none_or(|s| n.status == s))
            .filter(|n| {
                version
                    .as_ref()
                    .is_none_or(|v| n.clause_id.starts_with(&format!("{v}/")))
            })
            .filter(|n| {
                filter
                    .clause_id
                    .as_deref()
                    .is_none_or(|c| n.clause_id == c.trim())
            })
            .map(|n| self.note_view(n, links.as_ref()))
            .filter(|n| entry.as_ref().is_none_or(|e| n.entries.contains(e)))
            .collect())
    }

    /// Change a note.
    pub fn edit_note(&self, id: i64, edit: &NoteEdit) -> Result<NoteView, ApiError> {
        let note = self.store()?.edit_note(id, edit)?;
        Ok(self.note_view(note, self.links().ok().as_ref()))
    }

    /// Delete a note (its history stays in the journal).
    pub fn delete_note(&self, id: i64) -> Result<Note, ApiError> {
        Ok(self.store()?.delete_note(id)?)
    }
}
