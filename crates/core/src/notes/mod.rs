//! Notes on clauses: a user's annotation of a whole clause or of a quoted
//! span of it, with Markdown text, tags, a review status and its author.
//!
//! Notes live in the user's database ([`crate::store`]): every write is one
//! transaction, and every change (create, edit, re-anchor, delete) appends
//! the note's full state to a journal, so an edit or a delete never loses
//! what was written before.
//!
//! A note is anchored like a W3C Web Annotation text-quote selector
//! ([`anchor`]): the clause ID plus the quote, some text before and after
//! it, and its offsets. When a newer version of the document arrives, notes
//! follow their clause into it ([`anchor::reanchor`]); a note whose clause
//! changed materially is marked `needs_review` and records the change.

pub mod anchor;

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::{now, os_user, Store, StoreError};

/// Where a note stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoteStatus {
    /// Written, not yet reviewed.
    Open,
    /// Reviewed.
    Reviewed,
    /// Needs attention.
    Flagged,
    /// Its clause changed (or vanished) since it was written: read it again.
    NeedsReview,
}

impl NoteStatus {
    /// The name stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteStatus::Open => "open",
            NoteStatus::Reviewed => "reviewed",
            NoteStatus::Flagged => "flagged",
            NoteStatus::NeedsReview => "needs_review",
        }
    }
}

impl std::str::FromStr for NoteStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().replace('-', "_").as_str() {
            "open" => Ok(NoteStatus::Open),
            "reviewed" => Ok(NoteStatus::Reviewed),
            "flagged" => Ok(NoteStatus::Flagged),
            "needs_review" | "needs_re_review" => Ok(NoteStatus::NeedsReview),
            other => Err(format!(
                "unknown status \"{other}\" (open, reviewed, flagged, needs_review)"
            )),
        }
    }
}

/// A quoted span of a clause (text-quote selector, with its position).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Quote {
    /// The exact quoted text.
    pub exact: String,
    /// Up to 32 characters before it.
    pub prefix: String,
    /// Up to 32 characters after it.
    pub suffix: String,
    /// Start offset in the clause text, in characters (none when the quote
    /// could not be found again after a change).
    pub start: Option<u32>,
    /// End offset, in characters.
    pub end: Option<u32>,
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Note {
    /// Note number (never reused). An SQLite row ID, far below 2^53: a
    /// JavaScript number, not the `bigint` ts-rs makes of an `i64`.
    #[ts(type = "number")]
    pub id: i64,
    /// The clause it is anchored to now.
    pub clause_id: String,
    /// The clause it was written on.
    pub origin_clause_id: String,
    /// SHA-256 of the clause text it was anchored to.
    pub clause_sha256: String,
    /// The quoted span, or none for a note on the whole clause.
    pub quote: Option<Quote>,
    /// The note, in Markdown.
    pub text: String,
    /// Tags, sorted.
    pub tags: Vec<String>,
    /// Review status.
    pub status: NoteStatus,
    /// Who wrote it (the OS user).
    pub author: String,
    /// When it was written (RFC 3339, UTC).
    pub created: String,
    /// When it last changed.
    pub updated: String,
    /// What changed in its clause since it was written, when it was re-anchored.
    pub change: Option<String>,
}

/// Longest note text accepted, in bytes.
pub const MAX_NOTE_LEN: usize = 100_000;
/// Most tags on one note.
pub const MAX_TAGS: usize = 50;

/// A note to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NewNote {
    /// The clause.
    pub clause_id: String,
    /// The note, in Markdown.
    pub text: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Quote a span of the clause (must occur in its text).
    #[serde(default)]
    pub quote: Option<String>,
    /// Initial status (open when omitted).
    #[serde(default)]
    pub status: Option<NoteStatus>,
}

/// Changes to a note; what is omitted stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteEdit {
    /// New text.
    #[serde(default)]
    pub text: Option<String>,
    /// New tags (replacing the old ones).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// New status.
    #[serde(default)]
    pub status: Option<NoteStatus>,
}

/// Which notes to list; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NoteFilter {
    /// Only notes with this tag.
    #[serde(default)]
    pub tag: Option<String>,
    /// Only notes with this status.
    #[serde(default)]
    pub status: Option<NoteStatus>,
    /// Only notes on clauses of this version (ID or date).
    #[serde(default)]
    pub version: Option<String>,
    /// Only notes on clauses linked to this matrix entry.
    #[serde(default)]
    pub entry: Option<String>,
    /// Only notes on this clause.
    #[serde(default)]
    pub clause_id: Option<String>,
}

/// Invalid note input.
#[derive(Debug, thiserror::Error)]
pub enum NoteError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The input is not acceptable (empty text, too long, bad tag...).
    #[error("{0}")]
    Invalid(String),
    /// No note with that number.
    #[error("no note {0}")]
    NotFound(i64),
}

/// Clean tags: trimmed, lower-cased, no blanks or commas, sorted, unique.
pub fn clean_tags(tags: &[String]) -> Result<Vec<String>, NoteError> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        for part in t.split(',') {
            let tag = part.trim().to_lowercase();
            if tag.is_empty() {
                continue;
            }
            if tag.chars().count() > 64 || tag.chars().any(char::is_control) {
                return Err(NoteError::Invalid(format!(
                    "tag \"{}\" must be at most 64 printable characters",
                    tag.chars().take(64).collect::<String>()
                )));
            }
            out.push(tag);
        }
    }
    out.sort();
    out.dedup();
    if out.len() > MAX_TAGS {
        return Err(NoteError::Invalid(format!(
            "a note has at most {MAX_TAGS} tags"
        )));
    }
    Ok(out)
}

fn check_text(text: &str) -> Result<String, NoteError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(NoteError::Invalid("the note text is empty".into()));
    }
    if t.len() > MAX_NOTE_LEN {
        return Err(NoteError::Invalid(format!(
            "the note text is {} bytes; at most {MAX_NOTE_LEN}",
            t.len()
        )));
    }
    if t.contains('\0') {
        return Err(NoteError::Invalid(
            "the note text contains a NUL byte".into(),
        ));
    }
    Ok(t.to_string())
}

const COLUMNS: &str = "id, clause_id, origin_clause_id, clause_sha256, quote, prefix, suffix, start, end, body, status, author, created, updated, change";

fn row_to_note(r: &Row<'_>) -> rusqlite::Result<Note> {
    let quote: Option<String> = r.get(4)?;
    let status: String = r.get(10)?;
    Ok(Note {
        id: r.get(0)?,
        clause_id: r.get(1)?,
        origin_clause_id: r.get(2)?,
        clause_sha256: r.get(3)?,
        quote: match quote {
            Some(exact) => Some(Quote {
                exact,
                prefix: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                suffix: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                start: r.get(7)?,
                end: r.get(8)?,
            }),
            None => None,
        },
        text: r.get(9)?,
        tags: Vec::new(),
        status: status.parse().unwrap_or(NoteStatus::NeedsReview),
        author: r.get(11)?,
        created: r.get(12)?,
        updated: r.get(13)?,
        change: r.get(14)?,
    })
}

fn tags_of(tx: &rusqlite::Connection, id: i64) -> rusqlite::Result<Vec<String>> {
    let mut stmt = tx.prepare_cached("SELECT tag FROM note_tag WHERE note_id = ?1 ORDER BY tag")?;
    let tags = stmt
        .query_map([id], |r| r.get(0))?
        .collect::<Result<Vec<String>, _>>()?;
    Ok(tags)
}

fn load(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<Option<Note>> {
    let note = conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM note WHERE id = ?1"),
            [id],
            row_to_note,
        )
        .optional()?;
    match note {
        Some(mut n) => {
            n.tags = tags_of(conn, id)?;
            Ok(Some(n))
        }
        None => Ok(None),
    }
}

fn journal(conn: &rusqlite::Connection, note: &Note, what: &str) -> rusqlite::Result<()> {
    let snapshot = serde_json::to_string(note).unwrap_or_default();
    conn.execute(
        "INSERT INTO note_event (note_id, at, author, what, snapshot) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![note.id, now(), os_user(), what, snapshot],
    )?;
    Ok(())
}

fn write_tags(conn: &rusqlite::Connection, id: i64, tags: &[String]) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM note_tag WHERE note_id = ?1", [id])?;
    for t in tags {
        conn.execute(
            "INSERT INTO note_tag (note_id, tag) VALUES (?1, ?2)",
            params![id, t],
        )?;
    }
    Ok(())
}

/// A note ready to store: the clause it is on, its text and where its quote is.
pub struct Anchored {
    /// Clause ID.
    pub clause_id: String,
    /// SHA-256 of the clause text.
    pub clause_sha256: String,
    /// The quote, if any.
    pub quote: Option<Quote>,
}

impl Store {
    /// Add a note (already anchored by the caller, who knows the clause).
    pub fn add_note(&mut self, new: &NewNote, anchored: Anchored) -> Result<Note, NoteError> {
        let text = check_text(&new.text)?;
        let tags = clean_tags(&new.tags)?;
        let status = new.status.unwrap_or(NoteStatus::Open);
        let (author, at) = (os_user(), now());
        let sql = self.sql_error();
        let tx = self.conn.transaction().map_err(&sql)?;
        let q = anchored.quote.as_ref();
        tx.execute(
            "INSERT INTO note (clause_id, origin_clause_id, clause_sha256, quote, prefix, suffix, start, end, body, status, author, created, updated)
             VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
            params![
                anchored.clause_id,
                anchored.clause_sha256,
                q.map(|q| &q.exact),
                q.map(|q| &q.prefix),
                q.map(|q| &q.suffix),
                q.and_then(|q| q.start),
                q.and_then(|q| q.end),
                text,
                status.as_str(),
                author,
                at
            ],
        )
        .map_err(&sql)?;
        let id = tx.last_insert_rowid();
        write_tags(&tx, id, &tags).map_err(&sql)?;
        let note = load(&tx, id)
            .map_err(&sql)?
            .ok_or(NoteError::NotFound(id))?;
        journal(&tx, &note, "created").map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(note)
    }

    fn sql_error(&self) -> impl Fn(rusqlite::Error) -> NoteError {
        let path = self.path.display().to_string();
        move |source| {
            NoteError::Store(StoreError::Sql {
                path: path.clone(),
                source,
            })
        }
    }

    /// One note.
    pub fn note(&self, id: i64) -> Result<Note, NoteError> {
        load(&self.conn, id)
            .map_err(self.sql_error())?
            .ok_or(NoteError::NotFound(id))
    }

    /// Every note, oldest first.
    pub fn notes(&self) -> Result<Vec<Note>, NoteError> {
        let sql = self.sql_error();
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM note ORDER BY id"))
            .map_err(&sql)?;
        let mut notes = stmt
            .query_map([], row_to_note)
            .map_err(&sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&sql)?;
        for n in &mut notes {
            n.tags = tags_of(&self.conn, n.id).map_err(&sql)?;
        }
        Ok(notes)
    }

    /// Change a note's text, tags or status.
    pub fn edit_note(&mut self, id: i64, edit: &NoteEdit) -> Result<Note, NoteError> {
        let text = edit.text.as_deref().map(check_text).transpose()?;
        let tags = edit.tags.as_deref().map(clean_tags).transpose()?;
        let sql = self.sql_error();
        let tx = self.conn.transaction().map_err(&sql)?;
        if load(&tx, id).map_err(&sql)?.is_none() {
            return Err(NoteError::NotFound(id));
        }
        if let Some(t) = &text {
            tx.execute("UPDATE note SET body = ?2 WHERE id = ?1", params![id, t])
                .map_err(&sql)?;
        }
        if let Some(s) = edit.status {
            // A reviewed note no longer carries the change that made it need review.
            tx.execute(
                "UPDATE note SET status = ?2, change = CASE WHEN ?2 = 'needs_review' THEN change ELSE NULL END WHERE id = ?1",
                params![id, s.as_str()],
            )
            .map_err(&sql)?;
        }
        if let Some(t) = &tags {
            write_tags(&tx, id, t).map_err(&sql)?;
        }
        tx.execute(
            "UPDATE note SET updated = ?2 WHERE id = ?1",
            params![id, now()],
        )
        .map_err(&sql)?;
        let note = load(&tx, id)
            .map_err(&sql)?
            .ok_or(NoteError::NotFound(id))?;
        journal(&tx, &note, "edited").map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(note)
    }

    /// Move a note to another clause (re-anchoring), with its new status and
    /// the change that explains it.
    pub fn move_note(
        &mut self,
        id: i64,
        anchored: Anchored,
        status: NoteStatus,
        change: Option<String>,
    ) -> Result<Note, NoteError> {
        let sql = self.sql_error();
        let tx = self.conn.transaction().map_err(&sql)?;
        let q = anchored.quote.as_ref();
        let n = tx
            .execute(
                "UPDATE note SET clause_id = ?2, clause_sha256 = ?3, start = ?4, end = ?5, status = ?6, change = ?7, updated = ?8
                 WHERE id = ?1",
                params![
                    id,
                    anchored.clause_id,
                    anchored.clause_sha256,
                    q.and_then(|q| q.start),
                    q.and_then(|q| q.end),
                    status.as_str(),
                    change,
                    now()
                ],
            )
            .map_err(&sql)?;
        if n == 0 {
            return Err(NoteError::NotFound(id));
        }
        let note = load(&tx, id)
            .map_err(&sql)?
            .ok_or(NoteError::NotFound(id))?;
        journal(&tx, &note, "re-anchored").map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(note)
    }

    /// Delete a note. Its last state stays in the journal.
    pub fn delete_note(&mut self, id: i64) -> Result<Note, NoteError> {
        let sql = self.sql_error();
        let tx = self.conn.transaction().map_err(&sql)?;
        let note = load(&tx, id)
            .map_err(&sql)?
            .ok_or(NoteError::NotFound(id))?;
        journal(&tx, &note, "deleted").map_err(&sql)?;
        tx.execute("DELETE FROM note WHERE id = ?1", [id])
            .map_err(&sql)?;
        tx.commit().map_err(&sql)?;
        Ok(note)
    }

    /// The journal of one note: (time, author, what, state after), oldest first.
    pub fn note_history(&self, id: i64) -> Result<Vec<(String, String, String, Note)>, NoteError> {
        let sql = self.sql_error();
        let mut stmt = self
            .conn
            .prepare(
                "SELECT at, author, what, snapshot FROM note_event WHERE note_id = ?1 ORDER BY id",
            )
            .map_err(&sql)?;
        let rows = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(&sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&sql)?;
        Ok(rows
            .into_iter()
            .filter_map(|(at, author, what, snap)| {
                serde_json::from_str(&snap)
                    .ok()
                    .map(|n| (at, author, what, n))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchored(id: &str) -> Anchored {
        Anchored {
            clause_id: id.into(),
            clause_sha256: "0".repeat(64),
            quote: None,
        }
    }

    fn new(text: &str, tags: &[&str]) -> NewNote {
        NewNote {
            clause_id: "v@1/a/1".into(),
            text: text.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            quote: None,
            status: None,
        }
    }

    #[test]
    fn add_edit_delete_keep_a_journal() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("t.db")).unwrap();
        let n = s
            .add_note(
                &new("  Check **this**  ", &["GDPR", "gdpr, dpa"]),
                anchored("v@1/a/1"),
            )
            .unwrap();
        assert_eq!(n.text, "Check **this**");
        assert_eq!(n.tags, ["dpa", "gdpr"]);
        assert_eq!(n.status, NoteStatus::Open);
        let e = s
            .edit_note(
                n.id,
                &NoteEdit {
                    text: Some("Checked.".into()),
                    status: Some(NoteStatus::Reviewed),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(
            (e.text.as_str(), e.status, e.tags.len()),
            ("Checked.", NoteStatus::Reviewed, 2)
        );
        s.delete_note(n.id).unwrap();
        assert!(matches!(s.note(n.id), Err(NoteError::NotFound(_))));
        let h = s.note_history(n.id).unwrap();
        let whats: Vec<&str> = h.iter().map(|(_, _, w, _)| w.as_str()).collect();
        assert_eq!(whats, ["created", "edited", "deleted"]);
        assert_eq!(h[0].3.text, "Check **this**", "the first text is kept");
        // Numbers are never reused.
        let m = s.add_note(&new("again", &[]), anchored("v@1/a/1")).unwrap();
        assert!(m.id > n.id);
    }

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("t.db")).unwrap();
        for (text, tags, needle) in [
            ("   ", vec![], "empty"),
            ("a\0b", vec![], "NUL"),
            ("ok", vec!["x".repeat(65)], "at most 64"),
        ] {
            let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
            let e = s
                .add_note(&new(text, &tags), anchored("v@1/a/1"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
        let huge = "x".repeat(MAX_NOTE_LEN + 1);
        assert!(s.add_note(&new(&huge, &[]), anchored("v@1/a/1")).is_err());
        assert!(s.notes().unwrap().is_empty(), "nothing half-written");
        assert!(matches!(
            s.edit_note(99, &NoteEdit::default()),
            Err(NoteError::NotFound(99))
        ));
        assert_eq!(
            "needs-re-review".parse::<NoteStatus>(),
            Ok(NoteStatus::NeedsReview)
        );
        assert!("done".parse::<NoteStatus>().is_err());
    }
}
