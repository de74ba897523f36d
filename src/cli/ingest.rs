//! `trustlens ingest FILE`: add one version of a document.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use trustlens::api;
use trustlens::corpus::add::{AddVersion, Added, OnOcrPage};
use trustlens::corpus::VersionInfo;
use trustlens::ingest::ocr::OcrMode;
use trustlens::ingest::Format;
use trustlens::paths::Dirs;

use super::output::Output;
use super::{parse_format, print_json, w, Ctx, Outcome};

#[derive(clap::Args)]
pub struct Args {
    /// The source file: Markdown, PDF, HTML, or text extracted from a PDF.
    file: PathBuf,
    /// Vendor name.
    #[arg(long)]
    vendor: String,
    /// Document title (or the ID of an existing document).
    #[arg(long)]
    document: String,
    /// Version date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// Source format; guessed from the file name when omitted (.md → md, .pdf → pdf, .html/.htm → html, otherwise pdf-text).
    #[arg(long, value_parser = parse_format)]
    format: Option<Format>,
    /// Where the file came from (recorded as provenance; defaults to its path).
    #[arg(long)]
    source: Option<String>,
    /// When to read a PDF's pages with OCR: auto (pages whose text is missing or unreadable), always, never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    ocr: OcrMode,
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let Args {
        file,
        vendor,
        document,
        date,
        format,
        source,
        ocr,
    } = args;
    let dirs = Dirs::from_env();
    let today = time::OffsetDateTime::now_utc().date();
    let captured = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let label = file.display().to_string();
    let bar = ocr_bar(ctx.json);
    let req = AddVersion {
        file,
        vendor,
        document,
        date,
        format,
        source,
        captured,
        note: None,
        document_id: None,
        ocr,
        on_ocr_page: Some(shown_on(&bar)),
    };
    let added = api::ingest(&dirs, ctx.corpus.as_deref(), &req);
    bar.finish_and_clear();
    let added = added?;
    let (info, new) = match &added {
        Added::New(i) => (i, true),
        Added::AlreadyPresent(i) => (i, false),
    };
    if ctx.json {
        #[derive(Serialize)]
        struct Out<'a> {
            added: bool,
            version: &'a trustlens::corpus::VersionInfo,
        }
        return print_json(
            out,
            &Out {
                added: new,
                version: info,
            },
        );
    }
    let where_to = ctx.corpus.clone().unwrap_or_else(|| dirs.user_corpus());
    if new {
        w(writeln!(
            out,
            "added {} ({} clauses) to {}",
            info.id,
            info.clause_count,
            where_to.display()
        ))?;
        print_pages(info, &label, out)?;
    } else {
        w(writeln!(
            out,
            "{} is already in {} with the same content; nothing changed",
            info.id,
            where_to.display()
        ))?;
    }
    Ok(())
}

/// Each page OCR reads, shown on `bar`.
fn shown_on(bar: &indicatif::ProgressBar) -> OnOcrPage {
    let bar = bar.clone();
    OnOcrPage(Arc::new(move |p| {
        bar.set_length(u64::from(p.total));
        bar.set_position(u64::from(p.done));
        bar.set_message(format!("OCR: page {}", p.page));
    }))
}

/// A progress bar for OCR on a terminal (hidden otherwise, and for JSON).
fn ocr_bar(json: bool) -> indicatif::ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    )
}

/// For a PDF: how many pages OCR read, and a warning per unreadable page.
fn print_pages(info: &VersionInfo, file: &str, out: &mut Output) -> Outcome {
    let Some(pdf) = &info.pdf else { return Ok(()) };
    if pdf.ocr_pages > 0 {
        w(writeln!(
            out,
            "  {} of {} pages read by OCR ({})",
            pdf.ocr_pages,
            pdf.pages,
            pdf.ocr_engine.as_deref().unwrap_or("OCR")
        ))?;
    }
    for warning in pdf.warnings(file) {
        w(writeln!(out, "warning: {warning}"))?;
    }
    Ok(())
}
