//! `trustlens matrix`: the shared-responsibility matrix per version, its
//! changes between two versions (`matrix diff`), and its export as CSV or
//! OSCAL (`matrix export`).

use std::io::Write;
use std::path::PathBuf;

use trustlens::api;
use trustlens::compare::label;
use trustlens::matrix::report::Coverage;

use super::output::Output;
use super::{emit, print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Only this version (ID or date); all versions when omitted.
    #[arg(long)]
    version: Option<String>,
    #[command(subcommand)]
    command: Option<MatrixCommand>,
}

#[derive(clap::Subcommand)]
enum MatrixCommand {
    /// Per entry, the change cards between two versions that touch it, and responsibility-shift alerts.
    Diff {
        /// The older version (ID or date).
        old: String,
        /// The newer version (ID or date).
        new: String,
    },
    /// Export one version's coverage as CSV or as an OSCAL component definition.
    Export {
        /// csv or oscal.
        #[arg(long, value_enum)]
        format: MatrixFormatArg,
        /// The version (ID or date); the newest one when the corpus holds one document.
        #[arg(long)]
        version: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// Export formats of `matrix export`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MatrixFormatArg {
    /// One row per entry and linked clause.
    Csv,
    /// OSCAL component definition (JSON).
    Oscal,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    match args.command {
        None => coverage(args.version, ctx, out),
        Some(MatrixCommand::Diff { old, new }) => diff(&old, &new, ctx, out),
        Some(MatrixCommand::Export {
            format,
            version,
            out: file,
            force,
        }) => export(format, version, file, force, ctx, out),
    }
}

/// Each entry with the clauses linked to it in each version, and why.
fn coverage(version: Option<String>, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let versions: Vec<String> = match &version {
        Some(v) => vec![v.clone()],
        None => ws.versions().into_iter().map(|v| v.info.id).collect(),
    };
    let coverage = versions
        .iter()
        .map(|v| ws.matrix_coverage(v))
        .collect::<Result<Vec<_>, _>>()?;
    if ctx.json {
        return match version {
            Some(_) => print_json(out, &coverage[0]),
            None => print_json(out, &coverage),
        };
    }
    print_coverage(&coverage, out)
}

fn print_coverage(coverage: &[Coverage], out: &mut Output) -> Outcome {
    let Some(first) = coverage.first() else {
        return Ok(());
    };
    for (k, e) in first.entries.iter().enumerate() {
        let counts: Vec<String> = coverage
            .iter()
            .map(|c| format!("{} {}", c.version.date, c.entries[k].clauses.len()))
            .collect();
        w(writeln!(
            out,
            "{}  {} [{}]  ({})",
            e.entry.key,
            e.entry.area,
            label(e.entry.owner),
            counts.join(", ")
        ))?;
        for c in coverage {
            for l in &c.entries[k].clauses {
                w(writeln!(
                    out,
                    "    {}  {} {:.2}: {}",
                    l.link.clause_id,
                    label(l.link.source),
                    l.link.confidence,
                    l.link.reason
                ))?;
            }
        }
    }
    for c in coverage {
        if !c.uncovered.is_empty() {
            w(writeln!(
                out,
                "\n{}: no clause supports {}",
                c.version.id,
                c.uncovered.join(", ")
            ))?;
        }
    }
    Ok(())
}

/// Per entry, the cards between two versions that touch it, under the alerts.
fn diff(old: &str, new: &str, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    let d = ws.matrix_diff(old, new)?;
    if ctx.json {
        return print_json(out, &d);
    }
    w(writeln!(out, "{} → {}", d.old.id, d.new.id))?;
    for a in &d.alerts {
        w(writeln!(out, "ALERT [{}] {}", label(a.kind), a.message))?;
    }
    for e in d
        .entries
        .iter()
        .filter(|e| !e.cards.is_empty() || e.old_clauses.len() != e.new_clauses.len())
    {
        w(writeln!(
            out,
            "\n{} [{}]: {} → {} clauses, {} change(s)",
            e.entry.area,
            label(e.entry.owner),
            e.old_clauses.len(),
            e.new_clauses.len(),
            e.cards.len()
        ))?;
        for &k in &e.cards {
            let card = &d.changes[k as usize];
            w(writeln!(
                out,
                "    [{}] {} ({})",
                label(card.severity),
                card.summary,
                label(card.kind)
            ))?;
        }
    }
    Ok(())
}

fn export(
    format: MatrixFormatArg,
    version: Option<String>,
    file: Option<PathBuf>,
    force: bool,
    ctx: &Ctx,
    out: &mut Output,
) -> Outcome {
    let ws = ctx.open()?;
    let version = match version {
        Some(v) => v,
        None => ws.default_version()?,
    };
    let format = match format {
        MatrixFormatArg::Csv => api::MatrixFormat::Csv,
        MatrixFormatArg::Oscal => api::MatrixFormat::Oscal,
    };
    let text = ws.matrix_export(format, &version)?;
    emit(&text, file, force, ctx, out)
}
