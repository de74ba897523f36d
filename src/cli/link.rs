//! `trustlens link CLAUSE ENTRY`: link a clause to a matrix entry by hand,
//! unlink it, or let the rules decide again.

use std::io::Write;

use trustlens::api;
use trustlens::compare::label;

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Clause ID.
    clause_id: String,
    /// Matrix entry (key or ID, e.g. encryption-at-rest).
    entry: String,
    /// Record that they are NOT linked, whatever the rules say.
    #[arg(long, conflicts_with = "reset")]
    unlink: bool,
    /// Forget your decision about them: the rules decide again.
    #[arg(long)]
    reset: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let Args {
        clause_id,
        entry,
        unlink,
        reset,
    } = args;
    let ws = ctx.open()?;
    let action = match (unlink, reset) {
        (_, true) => None,
        (true, false) => Some(trustlens::store::LinkAction::Unlink),
        (false, false) => Some(trustlens::store::LinkAction::Link),
    };
    let links = ws.set_link(&api::LinkRequest {
        clause_id: clause_id.clone(),
        entry,
        action,
    })?;
    if ctx.json {
        return print_json(out, &links);
    }
    w(writeln!(out, "{clause_id}"))?;
    for l in &links {
        w(writeln!(
            out,
            "    {}  {} {:.2}: {}",
            l.entry,
            label(l.source),
            l.confidence,
            l.reason
        ))?;
    }
    if links.is_empty() {
        w(writeln!(out, "    (linked to no matrix entry)"))?;
    }
    Ok(())
}
