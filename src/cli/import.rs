//! `trustlens import PATHS…`: many versions at once, from files, folders of
//! dated files or a file's git history, with a progress bar; `--dry-run`
//! shows what would be imported and what was detected.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use trustlens::api::{self, ApiError, ErrorCode};
use trustlens::import::{ImportReport, ImportRequest};
use trustlens::ingest::ocr::OcrMode;
use trustlens::ingest::Format;
use trustlens::paths::Dirs;

use super::output::{self, Output};
use super::{parse_format, print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// Files and folders (folders are searched for .md, .txt, .pdf and .html files).
    #[arg(required_unless_present = "git_file")]
    paths: Vec<PathBuf>,
    /// Vendor name.
    #[arg(long)]
    vendor: String,
    /// Document title (or the ID of an existing document).
    #[arg(long)]
    document: String,
    /// The date (YYYY-MM-DD) of a single file whose name carries none.
    #[arg(long)]
    date: Option<String>,
    /// Read every file in this format instead of guessing from its name.
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// A file in a git repository: each commit that changed it becomes a version dated by the commit.
    #[arg(long, value_name = "PATH", conflicts_with = "paths")]
    git_file: Option<PathBuf>,
    /// Only show what would be imported and what was detected.
    #[arg(long)]
    dry_run: bool,
    /// When to read PDF pages with OCR: auto (pages whose text is missing or unreadable), always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    ocr: OcrMode,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let dry_run = args.dry_run;
    let req = ImportRequest {
        paths: args.paths,
        git_file: args.git_file,
        vendor: args.vendor,
        document: args.document,
        date: args.date,
        format: args.format,
        captured: trustlens::timeline::today(),
        ocr: args.ocr,
    };
    if dry_run {
        return plan(&req, ctx, out);
    }
    let dirs = Dirs::from_env();
    let report = import_with_progress(&dirs, &req, ctx)?;
    if ctx.json {
        print_json(out, &report)?;
    } else {
        print_report(
            &report,
            &api::import_target(&dirs, ctx.corpus.as_deref()),
            out,
        )?;
    }
    outcome(&report)
}

/// `--dry-run`: each candidate with its date, where the date came from,
/// its title and why it would be skipped.
fn plan(req: &ImportRequest, ctx: &Ctx, out: &mut Output) -> Outcome {
    let plan = api::import_plan(req)?;
    if ctx.json {
        return print_json(out, &plan);
    }
    for c in &plan {
        let date = c.date.as_deref().unwrap_or("no date   ");
        let from = c.date_source.describe();
        w(writeln!(
            out,
            "{date}  {:<8}  {}  (date: {from})",
            c.format, c.label
        ))?;
        if let Some(t) = &c.title {
            w(writeln!(out, "            title: {t}"))?;
        }
        if let Some(why) = &c.skip {
            w(writeln!(out, "            will be skipped: {why}"))?;
        }
    }
    w(writeln!(
        out,
        "{} to import; nothing written (--dry-run)",
        plan.iter().filter(|c| c.skip.is_none()).count()
    ))?;
    Ok(())
}

/// Import, with a progress bar on a terminal; Ctrl-C stops between
/// versions.
fn import_with_progress(
    dirs: &Dirs,
    req: &ImportRequest,
    ctx: &Ctx,
) -> Result<ImportReport, ApiError> {
    let cancel = Arc::new(AtomicBool::new(false));
    {
        // Each version is added atomically, so what was imported stays and
        // nothing is half-written.
        let cancel = cancel.clone();
        let _ = ctrlc::set_handler(move || cancel.store(true, Ordering::Relaxed));
    }
    let bar = if ctx.json || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    };
    let report = api::import(
        dirs,
        ctx.corpus.as_deref(),
        req,
        &mut |p| {
            bar.set_length(u64::from(p.total));
            bar.set_position(u64::from(p.done));
            bar.set_message(output::visible(&p.current).into_owned());
        },
        &cancel,
    )?;
    bar.finish_and_clear();
    Ok(report)
}

/// One line per version and a total.
fn print_report(report: &ImportReport, into: &std::path::Path, out: &mut Output) -> Outcome {
    for o in &report.outcomes {
        let what = match (&o.version_id, &o.message) {
            (Some(id), _) => format!("{id} ({} clauses)", o.clauses.unwrap_or(0)),
            (None, Some(m)) => m.clone(),
            (None, None) => String::new(),
        };
        w(writeln!(out, "{:<9}  {}  {what}", o.status, o.label))?;
        if let Some(n) = o.ocr_pages.filter(|&n| n > 0) {
            w(writeln!(out, "           {n} pages read by OCR"))?;
        }
        for warning in &o.warnings {
            w(writeln!(out, "           warning: {warning}"))?;
        }
    }
    w(writeln!(
        out,
        "{} added, {} unchanged, {} skipped, {} failed — into {}",
        report.added,
        report.unchanged,
        report.skipped,
        report.failed,
        into.display()
    ))
}

/// A cancelled or partly failed import is an error, after its report.
fn outcome(report: &ImportReport) -> Outcome {
    if report.cancelled {
        return Err(ApiError::new(
            ErrorCode::Cancelled,
            format!(
                "import cancelled: the {} versions listed as added are in the corpus, the rest were not started",
                report.added
            ),
        ));
    }
    if report.failed > 0 {
        return Err(ApiError::new(
            ErrorCode::Import,
            format!(
                "{} of {} versions could not be imported (see above)",
                report.failed,
                report.outcomes.len()
            ),
        ));
    }
    Ok(())
}
