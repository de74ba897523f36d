//! `trustlens export`: notes, a search's hits or the change cards as
//! excerpts with citations (md, html, csv, json), and `export memo`, the
//! change memo for two versions.

use std::path::PathBuf;

use trustlens::api;
use trustlens::export::ExportFormat;
use trustlens::search::SearchRequest;

use super::note::NoteFilterArgs;
use super::output::Output;
use super::{emit, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// md, html, csv or json.
    #[arg(long, default_value = "md")]
    format: ExportFormat,
    #[command(flatten)]
    filter: NoteFilterArgs,
    /// Export the hits of this search instead of notes.
    #[arg(long, conflicts_with = "changes")]
    query: Option<String>,
    /// Export the change cards between two versions instead of notes.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    changes: Option<Vec<String>>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
    #[command(subcommand)]
    command: Option<ExportCommand>,
}

/// Where an export subcommand writes, and in which format.
#[derive(clap::Args)]
struct Written {
    /// md, html, csv or json (a memo: md or html).
    #[arg(long, default_value = "md")]
    format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long)]
    force: bool,
}

#[derive(clap::Subcommand)]
enum ExportCommand {
    /// A version's key terms by topic, with citations.
    Terms {
        /// The version.
        version: String,
        #[command(flatten)]
        written: Written,
    },
    /// The change memo for two versions: cards, redlines, notes, matrix alerts.
    Memo {
        /// The older version.
        old: String,
        /// The newer version.
        new: String,
        #[command(flatten)]
        written: Written,
    },
}

pub fn run(mut args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    match args.command.take() {
        Some(ExportCommand::Terms {
            version,
            written: w,
        }) => {
            let text = ctx.open()?.terms_text(&version, w.format)?;
            return emit(&text, w.out, w.force, ctx, out);
        }
        Some(ExportCommand::Memo {
            old,
            new,
            written: w,
        }) => {
            let text = ctx.open()?.memo_text(&old, &new, w.format)?;
            return emit(&text, w.out, w.force, ctx, out);
        }
        None => {}
    }
    let ws = ctx.open()?;
    let format = args.format;
    let (file, force) = (args.out.clone(), args.force);
    let selection = selection(args);
    let text = ws.export(&api::ExportRequest { selection, format })?;
    emit(&text, file, force, ctx, out)
}

/// What to export: a search's hits, the cards of two versions, or notes.
fn selection(args: Args) -> api::ExportSelection {
    let Args {
        filter,
        query,
        changes,
        ..
    } = args;
    match (query, changes) {
        (Some(q), _) => api::ExportSelection::Search {
            request: SearchRequest {
                query: q,
                version: filter.version,
                entry: filter.entry,
                section: None,
                limit: Some(trustlens::search::MAX_LIMIT),
                as_of: None,
                by_lineage: false,
            },
        },
        (None, Some(pair)) => api::ExportSelection::Changes {
            old: pair[0].clone(),
            new: pair[1].clone(),
        },
        (None, None) => api::ExportSelection::Notes {
            filter: filter.filter(),
        },
    }
}
