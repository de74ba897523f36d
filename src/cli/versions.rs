//! `trustlens versions`: every version in the corpus, with its regulatory flags.

use std::io::Write;

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

pub fn run(ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let versions = ws.versions();
    if ctx.json {
        return print_json(out, &versions);
    }
    for view in versions {
        let v = &view.info;
        w(writeln!(
            out,
            "{:<32} {}  {} — {}  ({}, {} clauses)",
            v.id, v.date, v.vendor, v.document, v.format, v.clause_count
        ))?;
        for f in &view.flags {
            w(writeln!(out, "  ! {}", f.message))?;
        }
    }
    Ok(())
}
