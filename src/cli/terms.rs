//! `trustlens terms VERSION [NEW]`: a version's key terms by topic, with
//! citations, or two versions' key terms side by side with what changed.

use std::io::Write;

use trustlens::terms::{place, TermChange, TermSheet, TermsCompared};

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The version (ID or date); with NEW, the older of the two.
    version: String,
    /// A newer version to put side by side with VERSION.
    new: Option<String>,
    /// Only this topic (its ID, e.g. breach-notification).
    #[arg(long)]
    topic: Option<String>,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let ws = ctx.open()?;
    match &args.new {
        None => {
            let mut sheet = ws.terms(&args.version)?;
            if let Some(t) = &args.topic {
                sheet.topics.retain(|x| &x.topic == t);
            }
            match ctx.json {
                true => print_json(out, &sheet),
                false => print_sheet(&sheet, out),
            }
        }
        Some(new) => {
            let mut c = ws.terms_compared(&args.version, new)?;
            if let Some(t) = &args.topic {
                c.topics.retain(|x| &x.topic == t);
            }
            match ctx.json {
                true => print_json(out, &c),
                false => print_compared(&c, out),
            }
        }
    }
}

fn print_sheet(sheet: &TermSheet, out: &mut Output) -> Outcome {
    let v = &sheet.version;
    w(writeln!(out, "{} — {} ({})", v.vendor, v.document, v.id))?;
    for t in &sheet.topics {
        w(writeln!(out, "\n{}", t.name))?;
        for k in &t.terms {
            w(writeln!(
                out,
                "  {} — {}  [{}]",
                k.text,
                place(&k.citation),
                k.citation.clause_id
            ))?;
        }
    }
    Ok(())
}

fn print_compared(c: &TermsCompared, out: &mut Output) -> Outcome {
    w(writeln!(out, "{} → {}", c.old.id, c.new.id))?;
    for t in &c.topics {
        w(writeln!(out, "\n{}", t.name))?;
        for r in &t.rows {
            let mark = match r.change {
                TermChange::Same => "  ",
                TermChange::Changed => "~ ",
                TermChange::Added => "+ ",
                TermChange::Removed => "- ",
            };
            match (&r.old, &r.new, r.change) {
                (Some(o), Some(n), TermChange::Changed) => {
                    w(writeln!(
                        out,
                        "{mark}{}  [{}]",
                        n.text, n.citation.clause_id
                    ))?;
                    w(writeln!(
                        out,
                        "    was: {}  [{}]",
                        o.text, o.citation.clause_id
                    ))?;
                }
                (_, Some(n), _) => w(writeln!(
                    out,
                    "{mark}{}  [{}]",
                    n.text, n.citation.clause_id
                ))?,
                (Some(o), None, _) => w(writeln!(
                    out,
                    "{mark}{}  [{}]",
                    o.text, o.citation.clause_id
                ))?,
                (None, None, _) => {}
            }
        }
    }
    Ok(())
}
