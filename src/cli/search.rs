//! `trustlens search QUERY`: hits with their version, section, page and a
//! highlighted snippet, and the count per version.

use std::io::Write;

use trustlens::search::{SearchRequest, SearchResults};

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The query.
    query: String,
    /// Only this version (ID such as heroku-spa@2023-05-05, or its date).
    #[arg(long)]
    version: Option<String>,
    /// Only clauses under headings matching these words.
    #[arg(long)]
    section: Option<String>,
    /// Most hits to show.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Only clauses linked to this matrix entry (e.g. encryption-at-rest).
    #[arg(long)]
    entry: Option<String>,
    /// Only the version of each document that was current on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "version")]
    as_of: Option<String>,
    /// Every version, including text that later disappeared, each clause shown once with the versions it is in.
    #[arg(long)]
    all_versions: bool,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let Args {
        query,
        version,
        section,
        limit,
        entry,
        as_of,
        all_versions,
    } = args;
    let ws = ctx.open()?;
    let results = ws.search(&SearchRequest {
        query,
        version,
        section,
        limit: Some(limit),
        entry,
        as_of,
        by_lineage: all_versions,
    })?;
    if ctx.json {
        return print_json(out, &results);
    }
    print_results(&results, out)
}

fn print_results(results: &SearchResults, out: &mut Output) -> Outcome {
    let per_version: Vec<String> = results
        .facets
        .iter()
        .map(|f| format!("{} {}", f.version, f.count))
        .collect();
    w(writeln!(
        out,
        "{} matching clauses ({})\n",
        results.total,
        per_version.join(", ")
    ))?;
    for h in &results.hits {
        let pages = match h.pages.as_slice() {
            [] => String::new(),
            pages => format!(", {}", trustlens::clause::page_label(pages)),
        };
        let pages = match h.ocr {
            Some(confidence) => format!("{pages}, {}", trustlens::clause::ocr_label(confidence)),
            None => pages,
        };
        w(writeln!(
            out,
            "{}  {}{}  [{:.2}]",
            h.date,
            h.section.join(" › "),
            pages,
            h.score
        ))?;
        w(write!(out, "  "))?;
        for part in h.snippet.iter() {
            w(match part.hit {
                true => out.highlighted(&part.text),
                false => write!(out, "{}", part.text),
            })?;
        }
        w(writeln!(out))?;
        w(writeln!(out, "  {}\n", h.clause_id))?;
    }
    Ok(())
}
