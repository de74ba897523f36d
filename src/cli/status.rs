//! `trustlens status`: which corpus is open and the state of its index.

use std::io::Write;

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

pub fn run(ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let status = ws.status();
    if ctx.json {
        return print_json(out, &status);
    }
    w(writeln!(
        out,
        "corpus:   {}\nversions: {}\nclauses:  {}\nindex:    {}",
        status.source, status.versions, status.clauses, status.index
    ))?;
    if status.ocr_pages > 0 || status.unreadable_pages > 0 {
        w(writeln!(
            out,
            "pdf:      {} pages read by OCR, {} unreadable",
            status.ocr_pages, status.unreadable_pages
        ))?;
    }
    for warning in &status.warnings {
        w(writeln!(out, "warning:  {warning}"))?;
    }
    Ok(())
}
