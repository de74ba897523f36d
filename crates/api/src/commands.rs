//! The desktop app's commands, as one table: each command's name, its
//! arguments and what it returns.
//!
//! The Tauri shell registers exactly these (its tests compare its command
//! functions with this table), and [`typescript`] writes the table as the
//! `Commands` type the front end's client is checked against, so a renamed
//! command, argument or type fails to compile on one side or a test on the
//! other instead of failing at run time.

use ts_rs::TS;

use trustlens_core::compare::view::CompareView;
use trustlens_core::export::ExportFormat;
use trustlens_core::import::{Candidate, ImportReport};
use trustlens_core::lineage::Lineage;
use trustlens_core::matrix::links::Link;
use trustlens_core::matrix::report::{Coverage, MatrixDiff, MatrixGrid};
use trustlens_core::notes::{NewNote, Note, NoteEdit, NoteFilter};
use trustlens_core::terms::{TermSheet, TermsCompared};
use trustlens_search::{SearchRequest, SearchResults};

use crate::{
    CompareRequest, CorpusStatus, ExportRequest, ImportInput, LinkRequest, NoteView, ReadRequest,
    ReaderView, Settings, VersionView, WatchOutcome, WatchRunRequest,
};
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_watch::{NewSource, Source, SourceView};

/// A type as both sides write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// The Rust type without module paths (`Vec<VersionInfo>`).
    pub rust: String,
    /// The TypeScript type (`Array<VersionInfo>`).
    pub ts: String,
}

impl TypeName {
    fn of<T: TS + ?Sized>() -> TypeName {
        TypeName {
            rust: short_rust_name(std::any::type_name::<T>()),
            ts: T::name(),
        }
    }

    fn raw(rust: &str, ts: &str) -> TypeName {
        TypeName {
            rust: rust.into(),
            ts: ts.into(),
        }
    }
}

/// `alloc::vec::Vec<trustlens_core::corpus::VersionInfo>` →
/// `Vec<VersionInfo>`: how a signature in source names the type.
fn short_rust_name(full: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    for c in full.chars().chain([' ']) {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            out.push_str(word.rsplit("::").next().unwrap_or(""));
            word.clear();
            if c != ' ' {
                out.push(c);
            }
        }
    }
    out
}

/// One command of the app.
#[derive(Debug, Clone)]
pub struct Command {
    /// Its name, as the front end invokes it.
    pub name: &'static str,
    /// Its arguments, in order: the Rust name (snake_case) and type.
    pub args: Vec<(&'static str, TypeName)>,
    /// What it returns on success (`()` for nothing).
    pub result: TypeName,
}

fn command(name: &'static str, args: Vec<(&'static str, TypeName)>, result: TypeName) -> Command {
    Command { name, args, result }
}

fn arg<T: TS>(name: &'static str) -> (&'static str, TypeName) {
    (name, TypeName::of::<T>())
}

/// A note's ID is an SQLite row ID, far below 2^53: a JavaScript number,
/// not the `bigint` ts-rs makes of an `i64`.
fn note_id() -> (&'static str, TypeName) {
    ("id", TypeName::raw("i64", "number"))
}

/// Every command of the app, in the order it registers them.
// Longer than a function should be: it is a table, one entry per command.
pub fn commands() -> Vec<Command> {
    vec![
        command("versions", vec![], TypeName::of::<Vec<VersionView>>()),
        command(
            "search",
            vec![arg::<SearchRequest>("request")],
            TypeName::of::<SearchResults>(),
        ),
        command(
            "search_hits",
            vec![arg::<SearchRequest>("request")],
            TypeName::of::<SearchResults>(),
        ),
        command(
            "search_counts",
            vec![arg::<SearchRequest>("request")],
            TypeName::of::<SearchResults>(),
        ),
        command(
            "read",
            vec![arg::<ReadRequest>("request")],
            TypeName::of::<ReaderView>(),
        ),
        command(
            "compare",
            vec![arg::<CompareRequest>("request")],
            TypeName::of::<CompareView>(),
        ),
        command("matrix_grid", vec![], TypeName::of::<MatrixGrid>()),
        command(
            "matrix_coverage",
            vec![arg::<String>("version")],
            TypeName::of::<Coverage>(),
        ),
        command(
            "matrix_diff",
            vec![arg::<CompareRequest>("request")],
            TypeName::of::<MatrixDiff>(),
        ),
        command(
            "set_link",
            vec![arg::<LinkRequest>("request")],
            TypeName::of::<Vec<Link>>(),
        ),
        command(
            "history",
            vec![arg::<String>("clause_id")],
            TypeName::of::<Lineage>(),
        ),
        command(
            "add_note",
            vec![arg::<NewNote>("note")],
            TypeName::of::<NoteView>(),
        ),
        command(
            "notes",
            vec![arg::<NoteFilter>("filter")],
            TypeName::of::<Vec<NoteView>>(),
        ),
        command(
            "edit_note",
            vec![note_id(), arg::<NoteEdit>("edit")],
            TypeName::of::<NoteView>(),
        ),
        command("delete_note", vec![note_id()], TypeName::of::<Note>()),
        command(
            "export_preview",
            vec![arg::<ExportRequest>("request")],
            TypeName::of::<String>(),
        ),
        command(
            "export_to_file",
            vec![
                arg::<ExportRequest>("request"),
                arg::<String>("path"),
                arg::<bool>("force"),
            ],
            TypeName::of::<String>(),
        ),
        command(
            "memo",
            vec![
                arg::<CompareRequest>("request"),
                arg::<ExportFormat>("format"),
            ],
            TypeName::of::<String>(),
        ),
        command(
            "terms",
            vec![arg::<String>("version")],
            TypeName::of::<TermSheet>(),
        ),
        command(
            "terms_compared",
            vec![arg::<CompareRequest>("request")],
            TypeName::of::<TermsCompared>(),
        ),
        command("corpus_status", vec![], TypeName::of::<CorpusStatus>()),
        command(
            "set_corpus_dir",
            vec![arg::<Option<String>>("dir")],
            TypeName::of::<CorpusStatus>(),
        ),
        command("settings", vec![], TypeName::of::<Settings>()),
        command(
            "set_ocr_mode",
            vec![arg::<OcrMode>("ocr")],
            TypeName::of::<Settings>(),
        ),
        command("watch_list", vec![], TypeName::of::<Vec<SourceView>>()),
        command(
            "watch_add",
            vec![arg::<NewSource>("source")],
            TypeName::of::<Source>(),
        ),
        command(
            "watch_remove",
            vec![arg::<String>("id")],
            TypeName::of::<Source>(),
        ),
        command(
            "watch_run",
            vec![arg::<WatchRunRequest>("request")],
            TypeName::of::<Vec<WatchOutcome>>(),
        ),
        command(
            "import_plan",
            vec![arg::<ImportInput>("request")],
            TypeName::of::<Vec<Candidate>>(),
        ),
        command(
            "import_run",
            vec![
                arg::<ImportInput>("request"),
                // Progress messages arrive on a Tauri channel.
                (
                    "on_progress",
                    TypeName::raw("Channel<Progress>", "Channel<Progress>"),
                ),
            ],
            TypeName::of::<ImportReport>(),
        ),
        command("import_cancel", vec![], TypeName::raw("()", "void")),
    ]
}

/// `clause_id` → `clauseId`: Tauri matches arguments in camelCase.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The table as a TypeScript module: a `Commands` type mapping each name to
/// its arguments (camelCase) and result, importing the binding types it
/// names from `known` (the names of the other generated files).
pub fn typescript(known: &[String]) -> String {
    let table = commands();
    let mut used: Vec<&String> = known
        .iter()
        .filter(|k| {
            table.iter().any(|c| {
                std::iter::once(&c.result.ts)
                    .chain(c.args.iter().map(|(_, t)| &t.ts))
                    .any(|ts| names_word(ts, k))
            })
        })
        .collect();
    used.sort();
    let mut out = String::from(
        "// Generated from trustlens_api::commands by the bindings test. Do not edit this file manually.\n",
    );
    out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n");
    for k in used {
        out.push_str(&format!("import type {{ {k} }} from \"./{k}\";\n"));
    }
    out.push_str("\n/** Each command of the app: its arguments (as `invoke` takes them) and its result. */\n");
    out.push_str("export type Commands = {\n");
    for c in &table {
        let args: Vec<String> = c
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), t.ts))
            .collect();
        let args = if args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            format!("{{ {} }}", args.join("; "))
        };
        out.push_str(&format!(
            "  {}: {{ args: {args}; result: {} }};\n",
            c.name, c.result.ts
        ));
    }
    out.push_str("};\n");
    out
}

/// Whether `ty` names `word` as a whole identifier.
fn names_word(ty: &str, word: &str) -> bool {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_names_are_written_as_in_a_signature() {
        assert_eq!(
            short_rust_name(std::any::type_name::<Vec<VersionView>>()),
            "Vec<VersionView>"
        );
        assert_eq!(
            short_rust_name(std::any::type_name::<Option<String>>()),
            "Option<String>"
        );
        assert_eq!(short_rust_name("i64"), "i64");
    }

    #[test]
    fn the_typescript_names_every_command_in_camel_case() {
        let ts = typescript(&["Lineage".into(), "VersionView".into(), "Unused".into()]);
        assert!(
            ts.contains("history: { args: { clauseId: string }; result: Lineage };"),
            "{ts}"
        );
        assert!(
            ts.contains("versions: { args: Record<string, never>; result: Array<VersionView> };")
        );
        assert!(ts.contains("import type { Lineage } from \"./Lineage\";"));
        assert!(!ts.contains("Unused"));
        assert_eq!(ts.matches(": { args:").count(), commands().len());
    }
}
