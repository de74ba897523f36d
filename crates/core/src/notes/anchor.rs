//! Anchors: where a note sits in a clause, and how it follows the clause
//! into newer versions.
//!
//! A quote is found again by its exact text; when it occurs more than once,
//! the occurrence whose surrounding text best matches the stored prefix and
//! suffix wins (the W3C Web Annotation text-quote approach). Offsets count
//! characters, not bytes, so they mean the same thing in every language.

use std::collections::HashMap;

use super::{Anchored, Note, NoteError, NoteStatus, Quote};
use crate::compare::align::PairStatus;
use crate::corpus::Corpus;
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
    // Newest version of each document.
    let mut latest: HashMap<&str, &crate::corpus::Version> = HashMap::new();
    for v in &corpus.versions {
        let e = latest.entry(v.info.document_id.as_str()).or_insert(v);
        if v.info.date > e.info.date {
            *e = v;
        }
    }
    let mut comparisons: HashMap<(String, String), crate::compare::Comparison> = HashMap::new();
    let mut out = Vec::new();
    for note in notes {
        let Ok((version, i)) = corpus.clause(&note.clause_id) else {
            continue;
        };
        let clause = &version.doc.clauses[i];
        let Some(newest) = latest.get(version.info.document_id.as_str()) else {
            continue;
        };
        if newest.info.id == version.info.id {
            // Same version: only the text under the anchor can have changed
            // (a corpus edited in place); check the quote.
            if clause.sha256() != note.clause_sha256 && note.status != NoteStatus::NeedsReview {
                let quote = note.quote.as_ref().and_then(|q| relocate(q, &clause.text));
                let lost = note.quote.is_some() && quote.is_none();
                let change = format!(
                    "the text of {} changed since the note was written{}",
                    clause.id(),
                    if lost {
                        "; the quoted words are gone"
                    } else {
                        ""
                    }
                );
                let moved = store.move_note(
                    note.id,
                    Anchored {
                        clause_id: clause.id(),
                        clause_sha256: clause.sha256().to_string(),
                        quote: quote.or(note.quote.clone()),
                    },
                    NoteStatus::NeedsReview,
                    Some(change),
                )?;
                out.push(Moved {
                    note: moved,
                    from: note.clause_id.clone(),
                });
            }
            continue;
        }
        let key = (version.info.id.clone(), newest.info.id.clone());
        let comparison = comparisons
            .entry(key)
            .or_insert_with(|| crate::compare::compare(lexicon, version, newest));
        let Some(pv) = comparison
            .alignment
            .iter()
            .find(|p| p.pair.old.contains(&note.clause_id))
        else {
            continue;
        };
        let Some(target_id) = pv.pair.new.first() else {
            if note.status != NoteStatus::NeedsReview {
                let moved = store.move_note(
                    note.id,
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
                )?;
                out.push(Moved {
                    note: moved,
                    from: note.clause_id.clone(),
                });
            }
            continue;
        };
        let Ok((_, j)) = corpus.clause(target_id) else {
            continue;
        };
        let target = &newest.doc.clauses[j];
        let quote = note.quote.as_ref().and_then(|q| relocate(q, &target.text));
        let lost = note.quote.is_some() && quote.is_none();
        let material = !matches!(
            pv.pair.status,
            PairStatus::Unchanged | PairStatus::Editorial
        ) && pv.pair.text_changed;
        let (status, change) = if material || lost {
            let redline = crate::compare::redline::to_plain(&pv.redline);
            (
                NoteStatus::NeedsReview,
                Some(format!(
                    "{} in {} ({}){}: {}",
                    crate::compare::label(pv.pair.status),
                    newest.info.id,
                    newest.info.date,
                    if lost {
                        "; the quoted words are gone"
                    } else {
                        ""
                    },
                    if redline.is_empty() {
                        target.text.to_string()
                    } else {
                        redline
                    }
                )),
            )
        } else {
            (note.status, note.change.clone())
        };
        let moved = store.move_note(
            note.id,
            Anchored {
                clause_id: target.id(),
                clause_sha256: target.sha256().to_string(),
                quote: quote.or(note.quote.clone()),
            },
            status,
            change,
        )?;
        out.push(Moved {
            note: moved,
            from: note.clause_id.clone(),
        });
    }
    Ok(out)
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
