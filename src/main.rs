//! The `trustlens` command-line interface: a thin layer over [`trustlens::api`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod cli;

use clap::{Parser, Subcommand};
use cli::output::{self, Output};
use serde::Serialize;
use trustlens::api::{self, ApiError, CorpusChoice, ErrorCode, Workspace};
use trustlens::compare::label;
use trustlens::corpus::add::{AddVersion, Added};
use trustlens::export::ExportFormat;
use trustlens::import::ImportRequest;
use trustlens::ingest::Format;
use trustlens::notes::{NewNote, NoteEdit, NoteFilter, NoteStatus};
use trustlens::paths::Dirs;
use trustlens::search::SearchRequest;

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
    Search {
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
    },
    /// A clause's history across versions: when it appeared, each change, when it disappeared.
    History {
        /// Clause ID (of any version).
        clause_id: String,
    },
    /// Show a clause with the rest of its section.
    Show {
        /// Clause ID, e.g. heroku-spa@2023-05-05/data-encryption/1.
        clause_id: String,
    },
    /// Add a version of a document to a corpus directory (--corpus DIR, or your own corpus in the data directory).
    Ingest {
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
    },
    /// Import many versions at once: files, folders of dated files (each date from the file name or
    /// Markdown front matter), or every commit of one file in git. Ctrl-C stops between versions.
    Import {
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
    },
    /// Show which corpus is open and the state of its search index.
    Status,
    /// Compare two versions: change cards, section and clause alignment, redline.
    Diff {
        /// The older version (ID or date).
        old: String,
        /// The newer version (ID or date).
        new: String,
        /// Report format (json is the same as --json).
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// The shared-responsibility matrix: entries with the clauses linked to them and why.
    #[command(args_conflicts_with_subcommands = true)]
    Matrix {
        /// Only this version (ID or date); all versions when omitted.
        #[arg(long)]
        version: Option<String>,
        #[command(subcommand)]
        command: Option<MatrixCommand>,
    },
    /// Notes on clauses: add, list, edit, rm.
    Note {
        #[command(subcommand)]
        command: NoteCommand,
    },
    /// Export annotated excerpts with citations (notes by default; --query for a search, --changes for cards).
    #[command(args_conflicts_with_subcommands = true)]
    Export {
        /// md, html, csv or json.
        #[arg(long, default_value = "md")]
        format: ExportFormat,
        #[command(flatten)]
        filter: NoteFilterArgs,
        /// Export the hits of this search instead of notes.
        #[arg(long, conflicts_with = "changes")]
        query: Option<String>,
        /// Export the change cards between two versions instead of notes.
        #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
        changes: Option<Vec<String>>,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
        #[command(subcommand)]
        command: Option<ExportCommand>,
    },
    /// Link a clause to a matrix entry (or --unlink it, or --reset to let the rules decide).
    Link {
        /// Clause ID.
        clause_id: String,
        /// Matrix entry (key or ID, e.g. encryption-at-rest).
        entry: String,
        /// Record that they are NOT linked, whatever the rules say.
        #[arg(long, conflicts_with = "reset")]
        unlink: bool,
        /// Forget your decision about them: the rules decide again.
        #[arg(long)]
        reset: bool,
    },
}

#[derive(Subcommand)]
enum NoteCommand {
    /// Add a note to a clause (on the whole clause, or on a --quote of it).
    Add {
        /// Clause ID.
        clause_id: String,
        /// The note (Markdown).
        #[arg(long)]
        text: String,
        /// A tag (repeat for more, or separate with commas).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Words of the clause the note is about (must occur in it).
        #[arg(long)]
        quote: Option<String>,
        /// open, reviewed, flagged or needs_review.
        #[arg(long)]
        status: Option<NoteStatus>,
    },
    /// List notes.
    List {
        #[command(flatten)]
        filter: NoteFilterArgs,
    },
    /// Change a note's text, tags or status.
    Edit {
        /// Note number.
        id: i64,
        /// New text.
        #[arg(long)]
        text: Option<String>,
        /// New tags (replace the old ones; repeat for more).
        #[arg(long = "tag")]
        tags: Option<Vec<String>>,
        /// New status.
        #[arg(long)]
        status: Option<NoteStatus>,
    },
    /// Delete a note (its history is kept).
    Rm {
        /// Note number.
        id: i64,
    },
}

#[derive(clap::Args, Default)]
struct NoteFilterArgs {
    /// Only notes with this tag.
    #[arg(long)]
    tag: Option<String>,
    /// Only notes with this status.
    #[arg(long)]
    status: Option<NoteStatus>,
    /// Only notes on clauses of this version.
    #[arg(long)]
    version: Option<String>,
    /// Only notes on clauses linked to this matrix entry.
    #[arg(long)]
    entry: Option<String>,
}

impl NoteFilterArgs {
    fn filter(self) -> NoteFilter {
        NoteFilter {
            tag: self.tag,
            status: self.status,
            version: self.version,
            entry: self.entry,
            clause_id: None,
        }
    }
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The change memo for two versions: cards, redlines, notes, matrix alerts.
    Memo {
        /// The older version.
        old: String,
        /// The newer version.
        new: String,
        /// md or html.
        #[arg(long, default_value = "md")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
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

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn main() -> ExitCode {
    // This binary doubles as the isolated PDF reader (see ingest::pdf).
    if let Some(code) = trustlens::ingest::pdf::helper_main() {
        return ExitCode::from(code);
    }
    trustlens::ingest::pdf::isolate_in_subprocess();
    // `Targets` rather than `EnvFilter`: the same `target=level,...` syntax
    // without EnvFilter's regex-automata "dfa-build" feature, which made every
    // regex the lexicon and matrix compile build a full DFA (a third of a
    // second at start-up).
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            let usage = !matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion);
            // With --json, a bad command line is an error object like any other.
            // `args_os`: an argument that is not UTF-8 is clap's error to
            // report, and `args` would panic on it.
            if usage && std::env::args_os().any(|a| a == "--json") {
                let text = e.to_string();
                let message = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ")
                    .to_string();
                let err = ApiError::new(ErrorCode::InvalidArgument, message);
                output::error_line(
                    &serde_json::to_string(&err).unwrap_or_else(|_| err.message.clone()),
                );
                return ExitCode::from(2);
            }
            e.exit()
        }
    };
    let json = cli.json;
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
        run(cli, &mut out).and_then(|()| {
            out.flush().map_err(|e| {
                ApiError::new(
                    ErrorCode::Io,
                    format!("cannot write to standard output: {e}"),
                )
            })
        })
    };
    // The reader went away (`| head`): stop quietly, as other tools do.
    if out.broken_pipe() {
        return ExitCode::SUCCESS;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                output::error_line(
                    &serde_json::to_string(&e).unwrap_or_else(|_| e.message.clone()),
                );
            } else {
                output::error_line(&format!("trustlens: {}", e.message));
            }
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Exit codes: see [`api::ErrorCode::exit_status`].
fn exit_code(e: &ApiError) -> u8 {
    e.code.exit_status()
}

fn open(cli_corpus: &Option<PathBuf>) -> Result<Workspace, ApiError> {
    let choice = cli_corpus
        .clone()
        .map_or(CorpusChoice::Default, CorpusChoice::Dir);
    Workspace::open(Dirs::from_env(), choice)
}

/// Print `value` as JSON, exactly (control characters are JSON-escaped).
fn print_json<T: Serialize>(out: &mut Output, value: &T) -> Result<(), ApiError> {
    let s = serde_json::to_string_pretty(value)
        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
    writeln!(out, "{s}").map_err(write_error)
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
fn emit(
    text: &str,
    file: Option<PathBuf>,
    force: bool,
    json: bool,
    out: &mut Output,
) -> Result<(), ApiError> {
    match file {
        Some(path) => {
            let written = api::write_file(&path, text.as_bytes(), force)?;
            if json {
                return print_json(out, &serde_json::json!({"written": written}));
            }
            output::error_line(&format!("trustlens: wrote {}", written.display()));
            Ok(())
        }
        None => write!(out, "{text}").map_err(write_error),
    }
}

fn run(cli: Cli, out: &mut Output) -> Result<(), ApiError> {
    let w = |r: std::io::Result<()>| r.map_err(write_error);
    match cli.command {
        Command::Versions => {
            let ws = open(&cli.corpus)?;
            let versions = ws.versions();
            if cli.json {
                return print_json(out, &versions);
            }
            for v in versions {
                w(writeln!(
                    out,
                    "{:<32} {}  {} — {}  ({}, {} clauses)",
                    v.id, v.date, v.vendor, v.document, v.format, v.clause_count
                ))?;
                for f in &v.flags {
                    w(writeln!(out, "  ! {}", f.message))?;
                }
            }
        }
        Command::Search {
            query,
            version,
            section,
            limit,
            entry,
            as_of,
            all_versions,
        } => {
            let ws = open(&cli.corpus)?;
            let results = ws.search(&SearchRequest {
                query,
                version,
                section,
                limit: Some(limit),
                entry,
                as_of,
                by_lineage: all_versions,
            })?;
            if cli.json {
                return print_json(out, &results);
            }
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
                    [p] => format!(", p. {p}"),
                    [first, .., last] => format!(", pp. {first}–{last}"),
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
        }
        Command::Show { clause_id } => {
            let ws = open(&cli.corpus)?;
            let view = ws.show(&clause_id)?;
            if cli.json {
                return print_json(out, &view);
            }
            let c = &view.clause;
            w(writeln!(
                out,
                "{} — {} ({})",
                view.version.vendor, view.version.document, view.version.date
            ))?;
            w(writeln!(out, "{}", c.section.join(" › ")))?;
            if !c.pages.is_empty() {
                w(writeln!(
                    out,
                    "page {}",
                    c.pages
                        .iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))?;
            }
            w(writeln!(out))?;
            for other in &view.context {
                let marker = if other.same_id(c) { "▶" } else { " " };
                w(writeln!(
                    out,
                    "{marker} {}\n    {}\n",
                    other.text,
                    other.id()
                ))?;
            }
            w(writeln!(out, "sha256 of clause text: {}", c.sha256()))?;
        }
        Command::Ingest {
            file,
            vendor,
            document,
            date,
            format,
            source,
        } => {
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
            let added = api::ingest(&dirs, cli.corpus.as_deref(), &req)?;
            let (info, new) = match &added {
                Added::New(i) => (i, true),
                Added::AlreadyPresent(i) => (i, false),
            };
            if cli.json {
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
            let where_to = cli.corpus.clone().unwrap_or_else(|| dirs.user_corpus());
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
        }
        Command::Diff { old, new, format } => {
            let ws = open(&cli.corpus)?;
            let comparison = ws.diff(&old, &new)?;
            let format = if cli.json { ReportFormat::Json } else { format };
            match format {
                ReportFormat::Json => return print_json(out, &comparison),
                ReportFormat::Md => w(write!(
                    out,
                    "{}",
                    trustlens::compare::report_markdown(&comparison)
                ))?,
                ReportFormat::Html => w(write!(
                    out,
                    "{}",
                    trustlens::compare::report_html(&comparison)
                ))?,
                ReportFormat::Text => {
                    w(writeln!(
                        out,
                        "{} → {}",
                        comparison.old.id, comparison.new.id
                    ))?;
                    for warning in &comparison.warnings {
                        w(writeln!(out, "note: {warning}"))?;
                    }
                    for v in [&comparison.old, &comparison.new] {
                        for f in &v.flags {
                            w(writeln!(out, "flag: {} {}", v.id, f.message))?;
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
                }
            }
        }
        Command::Matrix {
            version,
            command: None,
        } => {
            let ws = open(&cli.corpus)?;
            let versions: Vec<String> = match &version {
                Some(v) => vec![v.clone()],
                None => ws.versions().into_iter().map(|v| v.id).collect(),
            };
            let coverage = versions
                .iter()
                .map(|v| ws.matrix_coverage(v))
                .collect::<Result<Vec<_>, _>>()?;
            if cli.json {
                return match version {
                    Some(_) => print_json(out, &coverage[0]),
                    None => print_json(out, &coverage),
                };
            }
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
                for c in &coverage {
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
            for c in &coverage {
                if !c.uncovered.is_empty() {
                    w(writeln!(
                        out,
                        "\n{}: no clause supports {}",
                        c.version.id,
                        c.uncovered.join(", ")
                    ))?;
                }
            }
        }
        Command::Matrix {
            command: Some(MatrixCommand::Diff { old, new }),
            ..
        } => {
            let ws = open(&cli.corpus)?;
            let d = ws.matrix_diff(&old, &new)?;
            if cli.json {
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
        }
        Command::Matrix {
            command:
                Some(MatrixCommand::Export {
                    format,
                    version,
                    out: file,
                    force,
                }),
            ..
        } => {
            let ws = open(&cli.corpus)?;
            let version = match version {
                Some(v) => v,
                None => ws.default_version()?,
            };
            let format = match format {
                MatrixFormatArg::Csv => api::MatrixFormat::Csv,
                MatrixFormatArg::Oscal => api::MatrixFormat::Oscal,
            };
            let text = ws.matrix_export(format, &version)?;
            emit(&text, file, force, cli.json, out)?;
        }
        Command::History { clause_id } => {
            let ws = open(&cli.corpus)?;
            let l = ws.history(&clause_id)?;
            if cli.json {
                return print_json(out, &l);
            }
            w(writeln!(out, "lineage {} ({})", l.id, l.document_id))?;
            for s in &l.steps {
                w(writeln!(
                    out,
                    "  {}  {:<10} {}",
                    s.date,
                    label(s.status),
                    if s.clause_ids.is_empty() {
                        "(gone)".to_string()
                    } else {
                        s.clause_ids.join(" + ")
                    }
                ))?;
                for c in &s.cards {
                    w(writeln!(out, "      [{}] {}", label(c.severity), c.summary))?;
                }
            }
        }
        Command::Note { command } => {
            let ws = open(&cli.corpus)?;
            match command {
                NoteCommand::Add {
                    clause_id,
                    text,
                    tags,
                    quote,
                    status,
                } => {
                    let n = ws.add_note(&NewNote {
                        clause_id,
                        text,
                        tags,
                        quote,
                        status,
                    })?;
                    if cli.json {
                        return print_json(out, &n);
                    }
                    w(writeln!(out, "note {} on {}", n.note.id, n.note.clause_id))?;
                }
                NoteCommand::List { filter } => {
                    let notes = ws.notes(&filter.filter())?;
                    if cli.json {
                        return print_json(out, &notes);
                    }
                    for n in &notes {
                        let note = &n.note;
                        w(writeln!(
                            out,
                            "#{} [{}] {}{}  ({}, {})",
                            note.id,
                            note.status.as_str(),
                            note.clause_id,
                            if note.tags.is_empty() {
                                String::new()
                            } else {
                                format!("  #{}", note.tags.join(" #"))
                            },
                            note.author,
                            note.updated.get(..10).unwrap_or(&note.updated)
                        ))?;
                        if let Some(q) = &note.quote {
                            w(writeln!(out, "    on \u{201C}{}\u{201D}", q.exact))?;
                        }
                        for line in note.text.lines() {
                            w(writeln!(out, "    {line}"))?;
                        }
                        if let Some(c) = &note.change {
                            w(writeln!(out, "    ! needs re-review: {c}"))?;
                        }
                    }
                    if notes.is_empty() {
                        w(writeln!(out, "no notes"))?;
                    }
                }
                NoteCommand::Edit {
                    id,
                    text,
                    tags,
                    status,
                } => {
                    let n = ws.edit_note(id, &NoteEdit { text, tags, status })?;
                    if cli.json {
                        return print_json(out, &n);
                    }
                    w(writeln!(out, "note {} updated", n.note.id))?;
                }
                NoteCommand::Rm { id } => {
                    let n = ws.delete_note(id)?;
                    if cli.json {
                        return print_json(out, &n);
                    }
                    w(writeln!(out, "note {} deleted (kept in the history)", n.id))?;
                }
            }
        }
        Command::Export {
            command:
                Some(ExportCommand::Memo {
                    old,
                    new,
                    format,
                    out: file,
                    force,
                }),
            ..
        } => {
            let ws = open(&cli.corpus)?;
            let memo = ws.memo(&old, &new)?;
            let text = trustlens::export::render_memo(&memo, format)
                .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, e))?;
            emit(&text, file, force, cli.json, out)?;
        }
        Command::Export {
            format,
            filter,
            query,
            changes,
            out: file,
            force,
            command: None,
        } => {
            let ws = open(&cli.corpus)?;
            let selection = match (query, changes) {
                (Some(q), _) => api::ExportSelection::Search {
                    request: SearchRequest {
                        query: q,
                        version: filter.version,
                        entry: filter.entry,
                        section: None,
                        limit: Some(trustlens::search::MAX_LIMIT),
                        as_of: None,
                        by_lineage: false,
                    },
                },
                (None, Some(pair)) => api::ExportSelection::Changes {
                    old: pair[0].clone(),
                    new: pair[1].clone(),
                },
                (None, None) => api::ExportSelection::Notes {
                    filter: filter.filter(),
                },
            };
            let text = ws.export(&api::ExportRequest { selection, format })?;
            emit(&text, file, force, cli.json, out)?;
        }
        Command::Link {
            clause_id,
            entry,
            unlink,
            reset,
        } => {
            let ws = open(&cli.corpus)?;
            let action = match (unlink, reset) {
                (_, true) => None,
                (true, false) => Some(trustlens::store::LinkAction::Unlink),
                (false, false) => Some(trustlens::store::LinkAction::Link),
            };
            let links = ws.set_link(&api::LinkRequest {
                clause_id: clause_id.clone(),
                entry,
                action,
            })?;
            if cli.json {
                return print_json(out, &links);
            }
            w(writeln!(out, "{clause_id}"))?;
            for l in &links {
                w(writeln!(
                    out,
                    "    {}  {} {:.2}: {}",
                    l.entry,
                    label(l.source),
                    l.confidence,
                    l.reason
                ))?;
            }
            if links.is_empty() {
                w(writeln!(out, "    (linked to no matrix entry)"))?;
            }
        }
        Command::Import {
            paths,
            vendor,
            document,
            date,
            format,
            git_file,
            dry_run,
        } => {
            let dirs = Dirs::from_env();
            let req = ImportRequest {
                paths,
                git_file,
                vendor,
                document,
                date,
                format,
                captured: trustlens::timeline::today(),
            };
            if dry_run {
                let plan = api::import_plan(&req)?;
                if cli.json {
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
                return Ok(());
            }
            let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            {
                // Ctrl-C stops between versions: each one is added atomically,
                // so what was imported stays and nothing is half-written.
                let cancel = cancel.clone();
                let _ = ctrlc::set_handler(move || {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed)
                });
            }
            let bar = if cli.json || !std::io::stderr().is_terminal() {
                indicatif::ProgressBar::hidden()
            } else {
                indicatif::ProgressBar::new(0).with_style(
                    indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                )
            };
            let report = api::import(
                &dirs,
                cli.corpus.as_deref(),
                &req,
                &mut |p| {
                    bar.set_length(u64::from(p.total));
                    bar.set_position(u64::from(p.done));
                    bar.set_message(output::visible(&p.current).into_owned());
                },
                &cancel,
            )?;
            bar.finish_and_clear();
            if cli.json {
                print_json(out, &report)?;
            } else {
                for o in &report.outcomes {
                    let what = match (&o.version_id, &o.message) {
                        (Some(id), _) => format!("{id} ({} clauses)", o.clauses.unwrap_or(0)),
                        (None, Some(m)) => m.clone(),
                        (None, None) => String::new(),
                    };
                    w(writeln!(out, "{:<9}  {}  {what}", o.status, o.label))?;
                }
                let where_to = api::import_target(&dirs, cli.corpus.as_deref());
                w(writeln!(
                    out,
                    "{} added, {} unchanged, {} skipped, {} failed — into {}",
                    report.added,
                    report.unchanged,
                    report.skipped,
                    report.failed,
                    where_to.display()
                ))?;
            }
            if report.cancelled {
                return Err(ApiError::new(ErrorCode::Cancelled,
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
        }
        Command::Status => {
            let ws = open(&cli.corpus)?;
            let status = ws.status();
            if cli.json {
                return print_json(out, &status);
            }
            w(writeln!(
                out,
                "corpus:   {}\nversions: {}\nclauses:  {}\nindex:    {}",
                status.source, status.versions, status.clauses, status.index
            ))?;
            for warning in &status.warnings {
                w(writeln!(out, "warning:  {warning}"))?;
            }
        }
    }
    Ok(())
}
