//! `trustlens history CLAUSE`: a clause's lineage across versions.

use std::io::Write;

use trustlens::compare::label;

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Clause ID (of any version).
    clause_id: String,
}

pub fn run(Args { clause_id }: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let l = ws.history(&clause_id)?;
    if ctx.json {
        return print_json(out, &l);
    }
    w(writeln!(out, "lineage {} ({})", l.id, l.document_id))?;
    for s in &l.steps {
        w(writeln!(
            out,
            "  {}  {:<10} {}",
            s.date,
            label(s.status),
            if s.clause_ids.is_empty() {
                "(gone)".to_string()
            } else {
                s.clause_ids.join(" + ")
            }
        ))?;
        for c in &s.cards {
            w(writeln!(out, "      [{}] {}", label(c.severity), c.summary))?;
        }
    }
    Ok(())
}
