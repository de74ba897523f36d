//! The `trustlens` command line: its options, one module per command, and
//! how it writes to the terminal.
//!
//! Each command module holds the command's arguments (`Args`, parsed by
//! clap) and `run`, which calls the API and formats the result, as text or
//! with `--json` as JSON. What is shared lives here: opening the corpus,
//! printing JSON, writing an export to a file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use serde::Serialize;
use trustlens::api::{self, ApiError, CorpusChoice, ErrorCode, Workspace};
use trustlens::ingest::Format;
use trustlens::paths::Dirs;

use output::Output;

mod diff;
mod export;
mod history;
mod import;
mod ingest;
mod link;
mod matrix;
mod note;
pub mod output;
mod search;
mod show;
mod status;
mod terms;
mod versions;
mod watch;

/// Search and read vendors' trust documentation, version by version.
#[derive(Parser)]
#[command(name = "trustlens", version, about, long_about = None)]
struct Cli {
    /// Use this corpus directory instead of the bundled corpus (+ your own in the data directory).
    #[arg(long, global = true, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Print JSON instead of text (errors too, as {"code", "message"} on stderr).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List every version in the corpus.
    Versions,
    /// Search clauses: words (all must match), "phrases", AND/OR/-word, word~1 (fuzzy), version:/section: filters.
    Search(search::Args),
    /// A clause's history across versions: when it appeared, each change, when it disappeared.
    History(history::Args),
    /// Show a clause with the rest of its section.
    Show(show::Args),
    /// Add a version of a document to a corpus directory (--corpus DIR, or your own corpus in the data directory).
    Ingest(ingest::Args),
    /// Import many versions at once: files, folders of dated files (each date from the file name or
    /// Markdown front matter), or every commit of one file in git. Ctrl-C stops between versions.
    Import(import::Args),
    /// Show which corpus is open and the state of its search index.
    Status,
    /// Compare two versions: change cards, section and clause alignment, redline.
    Diff(diff::Args),
    /// Key terms of a version by topic (who commits to what, when, where), with citations;
    /// with a second version, both side by side with what changed.
    Terms(terms::Args),
    /// The shared-responsibility matrix: entries with the clauses linked to them and why.
    #[command(args_conflicts_with_subcommands = true)]
    Matrix(matrix::Args),
    /// Notes on clauses: add, list, edit, rm.
    Note(note::Args),
    /// Export annotated excerpts with citations (notes by default; --query for a search, --changes for cards).
    #[command(args_conflicts_with_subcommands = true)]
    Export(export::Args),
    /// Link a clause to a matrix entry (or --unlink it, or --reset to let the rules decide).
    Link(link::Args),
    /// Watch vendors' published pages: add, list, rm, and run (check now, recording a new version
    /// when the text changed).
    Watch(watch::Args),
}

/// What every command is given besides its own arguments: the global
/// options.
pub struct Ctx {
    /// `--corpus DIR`.
    pub corpus: Option<PathBuf>,
    /// `--json`.
    pub json: bool,
}

impl Ctx {
    /// Open the corpus the command line chose.
    pub fn open(&self) -> Result<Workspace, ApiError> {
        let choice = self
            .corpus
            .clone()
            .map_or(CorpusChoice::Default, CorpusChoice::Dir);
        Workspace::open(Dirs::from_env(), choice)
    }
}

/// What a command returns: nothing but its output, or the error to report.
pub type Outcome = Result<(), ApiError>;

/// Run the command line; this is the whole of `main` but for the PDF helper.
pub fn main() -> ExitCode {
    init_logging();
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let ctx = Ctx {
        corpus: cli.corpus,
        json: cli.json,
    };
    trustlens::corpus::lock::set_wait_notice(|dir| {
        output::error_line(&format!(
            "trustlens: waiting for another trustlens process that is writing to {}",
            dir.display()
        ))
    });
    let mut out = Output::stdout();
    let result = if output::stdout_was_closed() {
        Err(ApiError::new(
            ErrorCode::Io,
            "standard output is closed: there is nowhere to print the result",
        ))
    } else {
        run(cli.command, &ctx, &mut out).and_then(|()| out.flush().map_err(write_error))
    };
    // The reader went away (`| head`): stop quietly, as other tools do.
    if out.broken_pipe() {
        return ExitCode::SUCCESS;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if ctx.json {
                output::error_line(
                    &serde_json::to_string(&e).unwrap_or_else(|_| e.message.clone()),
                );
            } else {
                output::error_line(&format!("trustlens: {}", e.message));
            }
            ExitCode::from(e.code.exit_status())
        }
    }
}

/// `TRUSTLENS_LOG=target=level,...` to stderr; warnings only by default.
fn init_logging() {
    // `Targets` rather than `EnvFilter`: the same syntax without
    // EnvFilter's regex-automata "dfa-build" feature, which made every regex
    // the lexicon and matrix compile build a full DFA (a third of a second
    // at start-up).
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter: tracing_subscriber::filter::Targets = std::env::var("TRUSTLENS_LOG")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| "warn".parse().expect("a valid filter"));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();
}

/// The command line, or the exit status after clap reported a bad one
/// (with `--json`, as an error object like any other).
fn parse() -> Result<Cli, ExitCode> {
    let e = match Cli::try_parse() {
        Ok(cli) => return Ok(cli),
        Err(e) => e,
    };
    use clap::error::ErrorKind;
    let usage = !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
    // `args_os`: an argument that is not UTF-8 is clap's error to report,
    // and `args` would panic on it.
    if usage && std::env::args_os().any(|a| a == "--json") {
        let text = e.to_string();
        let message = text
            .lines()
            .next()
            .unwrap_or("")
            .trim_start_matches("error: ")
            .to_string();
        let err = ApiError::new(ErrorCode::InvalidArgument, message);
        output::error_line(&serde_json::to_string(&err).unwrap_or_else(|_| err.message.clone()));
        return Err(ExitCode::from(2));
    }
    e.exit()
}

fn run(command: Command, ctx: &Ctx, out: &mut Output) -> Outcome {
    match command {
        Command::Versions => versions::run(ctx, out),
        Command::Search(args) => search::run(args, ctx, out),
        Command::History(args) => history::run(args, ctx, out),
        Command::Show(args) => show::run(args, ctx, out),
        Command::Ingest(args) => ingest::run(args, ctx, out),
        Command::Import(args) => import::run(args, ctx, out),
        Command::Status => status::run(ctx, out),
        Command::Diff(args) => diff::run(args, ctx, out),
        Command::Terms(args) => terms::run(args, ctx, out),
        Command::Matrix(args) => matrix::run(args, ctx, out),
        Command::Note(args) => note::run(args, ctx, out),
        Command::Export(args) => export::run(args, ctx, out),
        Command::Link(args) => link::run(args, ctx, out),
        Command::Watch(args) => watch::run(args, ctx, out),
    }
}

/// `--format` of ingest and import.
fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

/// Print `value` as JSON, exactly (control characters are JSON-escaped).
pub fn print_json<T: Serialize>(out: &mut Output, value: &T) -> Outcome {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
    w(writeln!(out, "{s}"))
}

/// A write to standard output, its failure as an error.
pub fn w(r: std::io::Result<()>) -> Outcome {
    r.map_err(write_error)
}

/// A failed write to standard output, as an error.
fn write_error(e: std::io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!("cannot write to standard output: {e}"),
    )
}

/// Write an export to `file` (atomically, refusing to replace a file without
/// `force`) or to standard output.
pub fn emit(
    text: &str,
    file: Option<PathBuf>,
    force: bool,
    ctx: &Ctx,
    out: &mut Output,
) -> Outcome {
    match file {
        Some(path) => {
            let written = api::write_file(&path, text.as_bytes(), force)?;
            if ctx.json {
                return print_json(out, &serde_json::json!({"written": written}));
            }
            output::error_line(&format!("trustlens: wrote {}", written.display()));
            Ok(())
        }
        None => w(write!(out, "{text}")),
    }
}
