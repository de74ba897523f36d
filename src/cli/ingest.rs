//! `trustlens ingest FILE`: add one version of a document.

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;
use trustlens::api;
use trustlens::corpus::add::{AddVersion, Added};
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
}

pub fn run(args: Args, ctx: &Ctx, out: &mut Output) -> Outcome {
    let Args {
        file,
        vendor,
        document,
        date,
        format,
        source,
    } = args;
    let dirs = Dirs::from_env();
    let today = time::OffsetDateTime::now_utc().date();
    let captured = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    let req = AddVersion {
        file,
        vendor,
        document,
        date,
        format,
        source,
        captured,
        document_id: None,
    };
    let added = api::ingest(&dirs, ctx.corpus.as_deref(), &req)?;
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
