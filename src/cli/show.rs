//! `trustlens show CLAUSE`: a clause with the rest of its section, its
//! pages and the hash of its text.

use std::io::Write;

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Clause ID, e.g. heroku-spa@2023-05-05/data-encryption/1.
    clause_id: String,
}

pub fn run(Args { clause_id }: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let view = ws.show(&clause_id)?;
    if ctx.json {
        return print_json(out, &view);
    }
    let c = &view.clause;
    w(writeln!(
        out,
        "{} — {} ({})",
        view.version.vendor, view.version.document, view.version.date
    ))?;
    w(writeln!(out, "{}", c.section.join(" › ")))?;
    if !c.pages.is_empty() {
        w(writeln!(
            out,
            "page {}",
            c.pages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ))?;
    }
    w(writeln!(out))?;
    for other in &view.context {
        let marker = if other.same_id(c) { "▶" } else { " " };
        w(writeln!(
            out,
            "{marker} {}\n    {}\n",
            other.text,
            other.id()
        ))?;
    }
    w(writeln!(out, "sha256 of clause text: {}", c.sha256()))?;
    Ok(())
}
