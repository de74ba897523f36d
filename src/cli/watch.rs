//! `trustlens watch`: the pages a corpus watches, and checking them.
//!
//! `watch add URL --vendor V --document D` adds a source, `watch list`
//! shows each with its last check, `watch rm ID` stops watching it, and
//! `watch run [ID]` fetches now: a source whose text really changed gets a
//! new version, through the same safe path as import.

use std::io::Write;
use std::time::Duration;

use trustlens::api::{self, ApiError, ErrorCode, WatchOutcome, WatchRunRequest};
use trustlens::ingest::ocr::OcrMode;
use trustlens::paths::Dirs;
use trustlens::watch::{CheckResult, NewSource, SourceView};

use super::output::Output;
use super::{print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Watch a page (HTML or PDF); its versions are recorded under --vendor and --document.
    Add(AddArgs),
    /// The watched pages, with when each was last checked and changed, and its last error.
    List,
    /// Stop watching a page (its snapshots and the versions it recorded stay).
    Rm {
        /// The source's ID (see `watch list`).
        id: String,
    },
    /// Check now: every source, or the one named; a changed page becomes a new version.
    Run(RunArgs),
}

#[derive(clap::Args)]
struct AddArgs {
    /// The page's address (http or https).
    url: String,
    /// Vendor name.
    #[arg(long)]
    vendor: String,
    /// Document title (or the ID of a document already in the corpus).
    #[arg(long)]
    document: String,
    /// CSS selector of the part of the page that is the document (default: its main content).
    #[arg(long, value_name = "CSS")]
    select: Option<String>,
    /// CSS selector of a part to drop (a banner, a "related articles" box); repeatable.
    #[arg(long, value_name = "CSS")]
    remove: Vec<String>,
    /// A regular expression for text that changes without the document changing; repeatable.
    #[arg(long, value_name = "REGEX")]
    ignore: Vec<String>,
    /// How often the app checks it: 30m, 6h, 1d (the default), 1w.
    #[arg(long, value_name = "INTERVAL")]
    every: Option<String>,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Only this source.
    id: Option<String>,
    /// Only the sources whose scheduled check is due (for cron or a systemd timer).
    #[arg(long, conflicts_with = "id")]
    due: bool,
    /// Each fetch's deadline, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    timeout: u64,
    /// When recorded PDFs are read with OCR: auto, always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    ocr: OcrMode,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let dirs = Dirs::from_env();
    let corpus = ctx.corpus.as_deref();
    match args.command {
        Sub::Add(a) => {
            let source = api::watch_add(
                &dirs,
                corpus,
                &NewSource {
                    url: a.url,
                    vendor: a.vendor,
                    document: a.document,
                    select: a.select,
                    remove: a.remove,
                    ignore: a.ignore,
                    every: a.every,
                },
            )?;
            if ctx.json {
                return print_json(out, &source);
            }
            w(writeln!(
                out,
                "watching {} as {} (every {}): `trustlens watch run {}` checks it now",
                source.url, source.id, source.every, source.id
            ))
        }
        Sub::List => {
            let list = api::watch_list(&dirs, corpus)?;
            if ctx.json {
                return print_json(out, &list);
            }
            print_list(out, &list)
        }
        Sub::Rm { id } => {
            let gone = api::watch_remove(&dirs, corpus, &id)?;
            if ctx.json {
                return print_json(out, &gone);
            }
            w(writeln!(
                out,
                "stopped watching {} ({}); its snapshots and versions stay",
                gone.id, gone.url
            ))
        }
        Sub::Run(r) => check(&dirs, r, ctx, out),
    }
}

fn print_list(out: &mut Output, list: &[SourceView]) -> Outcome {
    if list.is_empty() {
        return w(writeln!(
            out,
            "no pages are watched: add one with `trustlens watch add URL --vendor V --document D`"
        ));
    }
    for s in list {
        let never = || "never".to_string();
        w(writeln!(out, "{}  {}", s.source.id, s.source.url))?;
        w(writeln!(
            out,
            "    {} — {}, every {}; checked {}, changed {}{}",
            s.source.vendor,
            s.source.document,
            s.source.every,
            s.state.last_checked.clone().unwrap_or_else(never),
            s.state.last_changed.clone().unwrap_or_else(never),
            s.state
                .version
                .as_ref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default()
        ))?;
        if let Some(e) = &s.state.last_error {
            let failing = if s.failing {
                format!(", failing: {} checks in a row", s.state.failures)
            } else {
                String::new()
            };
            w(writeln!(out, "    error: {e}{failing}"))?;
        }
    }
    Ok(())
}

fn check(dirs: &Dirs, r: RunArgs, ctx: &Ctx, out: &mut Output) -> Outcome {
    let corpus = ctx.corpus.as_deref();
    let req = WatchRunRequest {
        source: r.id,
        due_only: r.due,
    };
    let outcomes = api::watch_run(
        dirs,
        corpus,
        &req,
        r.ocr,
        Duration::from_secs(r.timeout.max(1)),
        &mut |_| {},
    )?;
    let compared = outcomes
        .iter()
        .any(|o| o.result == CheckResult::NewVersion && o.previous.is_some());
    let ws = if compared { ctx.open().ok() } else { None };
    let outcomes = api::with_changes(ws.as_ref(), outcomes);
    if ctx.json {
        print_json(out, &outcomes)?;
    } else {
        print_outcomes(out, &outcomes)?;
    }
    let failed = outcomes
        .iter()
        .filter(|o| o.check.result == CheckResult::Error)
        .count();
    if failed > 0 {
        return Err(ApiError::new(
            ErrorCode::Watch,
            format!("{failed} of {} sources failed their check", outcomes.len()),
        ));
    }
    Ok(())
}

fn print_outcomes(out: &mut Output, outcomes: &[WatchOutcome]) -> Outcome {
    if outcomes.is_empty() {
        return w(writeln!(out, "no source to check"));
    }
    for o in outcomes {
        let c = &o.check;
        let line = match c.result {
            CheckResult::Unchanged => format!(
                "unchanged    {}  ({})",
                c.source,
                c.message.as_deref().unwrap_or("unchanged")
            ),
            CheckResult::NewVersion => {
                let version = c.version.as_deref().unwrap_or("?");
                match (&c.previous, o.changes) {
                    (Some(prev), Some(n)) => format!(
                        "new version  {}  {version}: {} changes, {} high (trustlens diff {prev} {version})",
                        c.source, n.changes, n.high
                    ),
                    (Some(prev), None) => format!(
                        "new version  {}  {version} (trustlens diff {prev} {version})",
                        c.source
                    ),
                    (None, _) => format!("new version  {}  {version} (the first)", c.source),
                }
            }
            CheckResult::Deferred => format!(
                "changed      {}  (not recorded yet: {})",
                c.source,
                c.message.as_deref().unwrap_or("deferred")
            ),
            CheckResult::Error => format!(
                "error        {} ({}): {}{}",
                c.source,
                c.url,
                c.message.as_deref().unwrap_or("failed"),
                if c.failing {
                    " — failing, checked less often"
                } else {
                    ""
                }
            ),
        };
        w(writeln!(out, "{line}"))?;
    }
    Ok(())
}
