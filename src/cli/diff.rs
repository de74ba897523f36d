//! `trustlens diff OLD NEW`: the change cards between two versions, as a
//! terminal summary or a Markdown, HTML or JSON report.

use std::io::Write;

use trustlens::compare::{label, Comparison};

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The older version (ID or date).
    old: String,
    /// The newer version (ID or date).
    new: String,
    /// Report format (json is the same as --json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// Output formats of `diff`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    /// A short summary for the terminal.
    Text,
    /// Markdown report.
    Md,
    /// Self-contained HTML report.
    Html,
    /// JSON: {old, new, warnings, changes, sections, alignment, counts}.
    Json,
}

pub fn run(Args { old, new, format }: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let comparison = ws.diff(&old, &new)?;
    let format = if ctx.json { ReportFormat::Json } else { format };
    match format {
        ReportFormat::Json => print_json(out, &comparison),
        ReportFormat::Md => w(write!(
            out,
            "{}",
            trustlens::compare::report_markdown(&comparison)
        )),
        ReportFormat::Html => w(write!(
            out,
            "{}",
            trustlens::compare::report_html(&comparison)
        )),
        ReportFormat::Text => print_summary(&comparison, out),
    }
}

/// The cards, one line each, under the warnings, flags and clause counts.
fn print_summary(comparison: &Comparison, out: &mut Output) -> Outcome {
    w(writeln!(
        out,
        "{} → {}",
        comparison.old.id, comparison.new.id
    ))?;
    for warning in &comparison.warnings {
        w(writeln!(out, "note: {warning}"))?;
    }
    for v in &comparison.flags {
        for f in &v.flags {
            w(writeln!(out, "flag: {} {}", v.version, f.message))?;
        }
    }
    let counts: Vec<String> = comparison
        .counts
        .iter()
        .map(|(k, v)| format!("{v} {}", k.replace('_', " ")))
        .collect();
    w(writeln!(out, "clauses: {}\n", counts.join(", ")))?;
    for card in &comparison.changes {
        let (severity, kind, direction) = (
            label(card.severity),
            label(card.kind),
            label(card.direction),
        );
        w(writeln!(
            out,
            "[{severity}] {} ({kind}, {direction})",
            card.summary
        ))?;
    }
    if !comparison.editorial.items.is_empty() {
        w(writeln!(
            out,
            "\n{} (--format md lists them)",
            comparison.editorial.summary()
        ))?;
    }
    Ok(())
}
