//! Anchors: where a note sits in a clause, and how it follows the clause
//! into newer versions.
//!
//! A quote is found again by its exact text; when it occurs more than once,
//! the occurrence whose surrounding text best matches the stored prefix and
//! suffix wins (the W3C Web Annotation text-quote approach). Offsets count
//! characters, not bytes, so they mean the same thing in every language.

use std::collections::HashMap;

use super::{Anchored, Note, NoteError, NoteStatus, Quote};
use crate::clause::Clause;
use crate::compare::align::PairStatus;
use crate::compare::{Comparison, PairView};
use crate::corpus::{Corpus, Version};
use crate::lexicon::Lexicon;
use crate::store::Store;

/// Characters of context kept before and after a quote.
pub const CONTEXT: usize = 32;

fn char_offset(text: &str, byte: usize) -> u32 {
    text[..byte].chars().count() as u32
}

/// The quote `exact` of `text`, with its context and offsets; none when the
/// text does not contain it. With several occurrences, `near` (a character
/// offset) picks the closest, else the first.
pub fn quote(text: &str, exact: &str, near: Option<u32>) -> Option<Quote> {
    let exact = exact.trim();
    if exact.is_empty() {
        return None;
    }
    let starts: Vec<usize> = text.match_indices(exact).map(|(i, _)| i).collect();
    let at = match near {
        Some(n) => starts
            .iter()
            .copied()
            .min_by_key(|&s| (char_offset(text, s) as i64 - n as i64).abs())?,
        None => *starts.first()?,
    };
    Some(with_context(text, at, exact))
}

fn with_context(text: &str, at: usize, exact: &str) -> Quote {
    let end = at + exact.len();
    let before: String = {
        let mut cs: Vec<char> = text[..at].chars().rev().take(CONTEXT).collect();
        cs.reverse();
        cs.into_iter().collect()
    };
    let after: String = text[end..].chars().take(CONTEXT).collect();
    Quote {
        exact: exact.to_string(),
        prefix: before,
        suffix: after,
        start: Some(char_offset(text, at)),
        end: Some(char_offset(text, end)),
    }
}

/// Find a stored quote in (possibly changed) text: every occurrence of its
/// exact text, scored by how much of its prefix and suffix still surround
/// it. None when the exact text is gone.
pub fn relocate(q: &Quote, text: &str) -> Option<Quote> {
    let score = |at: usize| {
        let before: Vec<char> = text[..at].chars().rev().collect();
        let after: Vec<char> = text[at + q.exact.len()..].chars().collect();
        let p = q
            .prefix
            .chars()
            .rev()
            .zip(before)
            .take_while(|(a, b)| a == b)
            .count();
        let s = q
            .suffix
            .chars()
            .zip(after)
            .take_while(|(a, b)| a == b)
            .count();
        p + s
    };
    let best = text
        .match_indices(q.exact.as_str())
        .map(|(i, _)| i)
        .max_by_key(|&i| (score(i), std::cmp::Reverse(i)))?;
    Some(with_context(text, best, &q.exact))
}

/// What happened to one note in [`reanchor`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The note after the move.
    pub note: Note,
    /// Where it was.
    pub from: String,
}

/// Bring every note up to date with the corpus: a note on a clause of an
/// older version moves to the aligned clause of the newest version of its
/// document; a note whose clause changed materially (or disappeared, or
/// whose quote is gone) becomes `needs_review` with the change recorded.
/// Notes whose clause is not in this corpus at all are left alone (another
/// corpus may hold it). Returns the notes that moved or changed status.
pub fn reanchor(
    store: &mut Store,
    corpus: &Corpus,
    lexicon: &Lexicon,
) -> Result<Vec<Moved>, NoteError> {
    let notes = store.notes()?;
    let mut run = Reanchor {
        corpus,
        lexicon,
        latest: newest_versions(corpus),
        comparisons: HashMap::new(),
        moves: Moves {
            store,
            moved: Vec::new(),
        },
    };
    for note in &notes {
        run.follow(note)?;
    }
    Ok(run.moves.moved)
}

/// The newest version of each document of the corpus, by document ID.
fn newest_versions(corpus: &Corpus) -> HashMap<&str, &Version> {
    let mut latest: HashMap<&str, &Version> = HashMap::new();
    for v in &corpus.versions {
        let e = latest.entry(v.info.document_id.as_str()).or_insert(v);
        if v.info.date > e.info.date {
            *e = v;
        }
    }
    latest
}

/// One [`reanchor`] run: the corpus, the newest version of each document,
/// the comparisons made so far (one per pair of versions, shared by all
/// notes on the older one) and the notes moved.
struct Reanchor<'a, 's> {
    corpus: &'a Corpus,
    lexicon: &'a Lexicon,
    latest: HashMap<&'a str, &'a Version>,
    comparisons: HashMap<(String, String), Comparison>,
    moves: Moves<'s>,
}

impl<'a> Reanchor<'a, '_> {
    /// Bring one note up to date: checked where it is when its clause is in
    /// the newest version of its document, followed into that version when
    /// it is on an older one. A clause not in the corpus is left alone.
    fn follow(&mut self, note: &Note) -> Result<(), NoteError> {
        let Ok((version, i)) = self.corpus.clause(&note.clause_id) else {
            return Ok(());
        };
        let Some(&newest) = self.latest.get(version.info.document_id.as_str()) else {
            return Ok(());
        };
        if newest.info.id == version.info.id {
            // Same version: only the text under the anchor can have changed
            // (a corpus edited in place); check the quote.
            return self.moves.check_in_place(note, &version.doc.clauses[i]);
        }
        self.follow_into(note, version, newest)
    }

    /// Follow a note on `version` to the clause that the comparison with
    /// `newest` aligns with its own; a clause without a new side was removed.
    fn follow_into(
        &mut self,
        note: &Note,
        version: &Version,
        newest: &'a Version,
    ) -> Result<(), NoteError> {
        let lexicon = self.lexicon;
        let comparison = self
            .comparisons
            .entry((version.info.id.clone(), newest.info.id.clone()))
            .or_insert_with(|| crate::compare::compare(lexicon, version, newest));
        let Some(pv) = comparison
            .alignment
            .iter()
            .find(|p| p.pair.old.contains(&note.clause_id))
        else {
            return Ok(());
        };
        let Some(target_id) = pv.pair.new.first() else {
            return self.moves.mark_removed(note, newest);
        };
        let Ok((_, j)) = self.corpus.clause(target_id) else {
            return Ok(());
        };
        self.moves.move_to(note, pv, newest, &newest.doc.clauses[j])
    }
}

/// The store that notes are moved in, and the moves made.
struct Moves<'s> {
    store: &'s mut Store,
    moved: Vec<Moved>,
}

impl Moves<'_> {
    /// Anchor `note` at `to` with `status` and `change`, and keep the move.
    fn record(
        &mut self,
        note: &Note,
        to: Anchored,
        status: NoteStatus,
        change: Option<String>,
    ) -> Result<(), NoteError> {
        let moved = self.store.move_note(note.id, to, status, change)?;
        self.moved.push(Moved {
            note: moved,
            from: note.clause_id.clone(),
        });
        Ok(())
    }

    /// A note on a clause of the newest version whose text changed: its
    /// quote is found again in the new text and it needs review (a note
    /// already needing review is left as it is).
    fn check_in_place(&mut self, note: &Note, clause: &Clause) -> Result<(), NoteError> {
        if clause.sha256() == note.clause_sha256 || note.status == NoteStatus::NeedsReview {
            return Ok(());
        }
        let quote = note.quote.as_ref().and_then(|q| relocate(q, &clause.text));
        let lost = note.quote.is_some() && quote.is_none();
        let change = format!(
            "the text of {} changed since the note was written{}",
            clause.id(),
            words_gone(lost)
        );
        self.record(
            note,
            Anchored {
                clause_id: clause.id(),
                clause_sha256: clause.sha256().to_string(),
                quote: quote.or(note.quote.clone()),
            },
            NoteStatus::NeedsReview,
            Some(change),
        )
    }

    /// A note whose clause was removed in `newest` stays where it is and
    /// needs review (a note already needing review is left as it is).
    fn mark_removed(&mut self, note: &Note, newest: &Version) -> Result<(), NoteError> {
        if note.status == NoteStatus::NeedsReview {
            return Ok(());
        }
        self.record(
            note,
            Anchored {
                clause_id: note.clause_id.clone(),
                clause_sha256: note.clause_sha256.clone(),
                quote: note.quote.clone(),
            },
            NoteStatus::NeedsReview,
            Some(format!(
                "the clause was removed in {} ({})",
                newest.info.id, newest.info.date
            )),
        )
    }

    /// Move a note to `target`, the clause of `newest` aligned with its own
    /// by `pv`. A material change of the text, or a quote that is gone, makes
    /// it need review; otherwise it keeps its status and recorded change.
    fn move_to(
        &mut self,
        note: &Note,
        pv: &PairView,
        newest: &Version,
        target: &Clause,
    ) -> Result<(), NoteError> {
        let quote = note.quote.as_ref().and_then(|q| relocate(q, &target.text));
        let lost = note.quote.is_some() && quote.is_none();
        let material = !matches!(
            pv.pair.status,
            PairStatus::Unchanged | PairStatus::Editorial
        ) && pv.pair.text_changed;
        let (status, change) = if material || lost {
            let change = review_change(pv, newest, target, lost);
            (NoteStatus::NeedsReview, Some(change))
        } else {
            (note.status, note.change.clone())
        };
        self.record(
            note,
            Anchored {
                clause_id: target.id(),
                clause_sha256: target.sha256().to_string(),
                quote: quote.or(note.quote.clone()),
            },
            status,
            change,
        )
    }
}

/// The change recorded on a note that follows its clause into `newest` and
/// needs review: what happened to the clause, and its redline (or its new
/// text when the redline is empty).
fn review_change(pv: &PairView, newest: &Version, target: &Clause, lost: bool) -> String {
    let redline = crate::compare::redline::to_plain(&pv.redline);
    format!(
        "{} in {} ({}){}: {}",
        crate::compare::label(pv.pair.status),
        newest.info.id,
        newest.info.date,
        words_gone(lost),
        if redline.is_empty() {
            target.text.to_string()
        } else {
            redline
        }
    )
}

/// What a change says when the note's quoted words are no longer there.
fn words_gone(lost: bool) -> &'static str {
    if lost {
        "; the quoted words are gone"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_carry_context_and_character_offsets() {
        let q = quote(
            "Données chiffrées au repos. Données chiffrées.",
            "chiffrées",
            Some(30),
        )
        .unwrap();
        assert_eq!((q.start, q.end), (Some(36), Some(45)));
        assert_eq!(
            q.prefix,
            "Données chiffrées au repos. Données "
                .chars()
                .rev()
                .take(CONTEXT)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        );
        assert!(quote("abc", "zz", None).is_none());
        assert!(quote("abc", "  ", None).is_none());
    }

    #[test]
    fn relocation_prefers_the_occurrence_with_matching_context() {
        let old = "Backups are kept for 30 days. Logs are kept for 30 days.";
        let q = quote(old, "30 days", Some(48)).unwrap();
        let new = "Audit records: logs are kept for 30 days. Backups are kept for 30 days.";
        let r = relocate(&q, new).unwrap();
        assert!(r.prefix.ends_with("logs are kept for "), "{r:?}");
        assert!(relocate(&q, "Logs are kept for 90 days.").is_none());
    }
}
