//! `trustlens note`: add, list, edit and delete notes on clauses.

use std::io::Write;

use trustlens::api::Workspace;
use trustlens::notes::{NewNote, NoteEdit, NoteFilter, NoteStatus};

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: NoteCommand,
}

#[derive(clap::Subcommand)]
enum NoteCommand {
    /// Add a note to a clause (on the whole clause, or on a --quote of it).
    Add {
        /// Clause ID.
        clause_id: String,
        /// The note (Markdown).
        #[arg(long)]
        text: String,
        /// A tag (repeat for more, or separate with commas).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Words of the clause the note is about (must occur in it).
        #[arg(long)]
        quote: Option<String>,
        /// open, reviewed, flagged or needs_review.
        #[arg(long)]
        status: Option<NoteStatus>,
    },
    /// List notes.
    List {
        #[command(flatten)]
        filter: NoteFilterArgs,
    },
    /// Change a note's text, tags or status.
    Edit {
        /// Note number.
        id: i64,
        /// New text.
        #[arg(long)]
        text: Option<String>,
        /// New tags (replace the old ones; repeat for more).
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
        /// New status.
        #[arg(long)]
        status: Option<NoteStatus>,
    },
    /// Delete a note (its history is kept).
    Rm {
        /// Note number.
        id: i64,
    },
}

/// Which notes: shared by `note list` and `export`.
#[derive(clap::Args, Default)]
pub struct NoteFilterArgs {
    /// Only notes with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only notes with this status.
    #[arg(long)]
    status: Option<NoteStatus>,
    /// Only notes on clauses of this version.
    #[arg(long)]
    pub version: Option<String>,
    /// Only notes on clauses linked to this matrix entry.
    #[arg(long)]
    pub entry: Option<String>,
}

impl NoteFilterArgs {
    pub fn filter(self) -> NoteFilter {
        NoteFilter {
            tag: self.tag,
            status: self.status,
            version: self.version,
            entry: self.entry,
            clause_id: None,
        }
    }
}

pub fn run(Args { command }: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    match command {
        NoteCommand::Add {
            clause_id,
            text,
            tags,
            quote,
            status,
        } => {
            let n = ws.add_note(&NewNote {
                clause_id,
                text,
                tags,
                quote,
                status,
            })?;
            if ctx.json {
                return print_json(out, &n);
            }
            w(writeln!(out, "note {} on {}", n.note.id, n.note.clause_id))?;
            Ok(())
        }
        NoteCommand::List { filter } => list(&ws, filter.filter(), ctx, out),
        NoteCommand::Edit {
            id,
            text,
            tags,
            status,
        } => {
            let n = ws.edit_note(id, &NoteEdit { text, tags, status })?;
            if ctx.json {
                return print_json(out, &n);
            }
            w(writeln!(out, "note {} updated", n.note.id))?;
            Ok(())
        }
        NoteCommand::Rm { id } => {
            let n = ws.delete_note(id)?;
            if ctx.json {
                return print_json(out, &n);
            }
            w(writeln!(out, "note {} deleted (kept in the history)", n.id))?;
            Ok(())
        }
    }
}

/// Each note with its status, clause, tags, quote and text.
fn list(ws: &Workspace, filter: NoteFilter, ctx: &Ctx, out: &mut Output) -> Outcome {
    let notes = ws.notes(&filter)?;
    if ctx.json {
        return print_json(out, &notes);
    }
    for n in &notes {
        let note = &n.note;
        w(writeln!(
            out,
            "#{} [{}] {}{}  ({}, {})",
            note.id,
            note.status.as_str(),
            note.clause_id,
            if note.tags.is_empty() {
                String::new()
            } else {
                format!("  #{}", note.tags.join(" #"))
            },
            note.author,
            note.updated.get(..10).unwrap_or(&note.updated)
        ))?;
        if let Some(q) = &note.quote {
            w(writeln!(out, "    on \u{201C}{}\u{201D}", q.exact))?;
        }
        for line in note.text.lines() {
            w(writeln!(out, "    {line}"))?;
        }
        if let Some(c) = &note.change {
            w(writeln!(out, "    ! needs re-review: {c}"))?;
        }
    }
    if notes.is_empty() {
        w(writeln!(out, "no notes"))?;
    }
    Ok(())
}
