//! The trustlens desktop app: a thin Tauri v2 shell over the `trustlens`
//! library. Each command is a one-line adapter over [`trustlens_api`]; the
//! work runs on tokio's blocking pool so the window never freezes.

use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::{Builder, Runtime, State};
use trustlens_api::{
    ApiError, CompareRequest, CorpusStatus, ErrorCode, ExportRequest, ImportInput, LinkRequest,
    NoteView, ReadRequest, ReaderView, Session, Settings, VersionView, WatchOutcome,
    WatchRunRequest, Workspace,
};
use trustlens_core::compare::view::CompareView;
use trustlens_core::export::ExportFormat;
use trustlens_core::import::{Candidate, ImportReport, Progress};
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::lineage::Lineage;
use trustlens_core::matrix::links::Link;
use trustlens_core::matrix::report::{Coverage, MatrixDiff, MatrixGrid};
use trustlens_core::notes::{NewNote, Note, NoteEdit, NoteFilter};
use trustlens_core::paths::Dirs;
use trustlens_core::terms::{TermSheet, TermsCompared};
use trustlens_search::{SearchRequest, SearchResults};
use trustlens_watch::{NewSource, Source, SourceView};

/// What the app holds: a [`Session`] (the API's policy for which corpus is
/// open and when to open it again), shared with the blocking pool.
pub struct AppState(Arc<Session>);

impl AppState {
    /// A state that will open its workspace from `dirs` on first use.
    pub fn new(dirs: Dirs) -> Self {
        AppState(Arc::new(Session::new(dirs)))
    }

    /// Start opening the corpus now (see [`Session::open_early`]).
    pub fn open_early(&self) {
        self.0.open_early()
    }

    /// The session behind the commands.
    pub fn session(&self) -> &Session {
        &self.0
    }

    /// Run `f` against the open workspace on the blocking pool.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Workspace) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        self.with(move |s| f(&*s.workspace()?)).await
    }

    /// Run `f` against the session on the blocking pool.
    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Session) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let session = self.0.clone();
        tauri::async_runtime::spawn_blocking(move || f(&session))
            .await
            .map_err(|e| {
                ApiError::new(ErrorCode::Internal, format!("background task failed: {e}"))
            })?
    }
}

#[tauri::command]
async fn versions(state: State<'_, AppState>) -> Result<Vec<VersionView>, ApiError> {
    state.run(|ws| Ok(ws.versions())).await
}

#[tauri::command]
async fn search(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, ApiError> {
    state.run(move |ws| ws.search(&request)).await
}

#[tauri::command]
async fn search_hits(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, ApiError> {
    state.run(move |ws| ws.search_hits(&request)).await
}

#[tauri::command]
async fn search_counts(
    state: State<'_, AppState>,
    request: SearchRequest,
) -> Result<SearchResults, ApiError> {
    state.run(move |ws| ws.search_counts(&request)).await
}

#[tauri::command]
async fn read(state: State<'_, AppState>, request: ReadRequest) -> Result<ReaderView, ApiError> {
    state.run(move |ws| ws.read(&request)).await
}

#[tauri::command]
async fn compare(
    state: State<'_, AppState>,
    request: CompareRequest,
) -> Result<CompareView, ApiError> {
    state
        .run(move |ws| ws.compare_view(&request.old, &request.new))
        .await
}

#[tauri::command]
async fn matrix_grid(state: State<'_, AppState>) -> Result<MatrixGrid, ApiError> {
    state.run(|ws| ws.matrix_grid()).await
}

#[tauri::command]
async fn matrix_coverage(
    state: State<'_, AppState>,
    version: String,
) -> Result<Coverage, ApiError> {
    state.run(move |ws| ws.matrix_coverage(&version)).await
}

#[tauri::command]
async fn matrix_diff(
    state: State<'_, AppState>,
    request: CompareRequest,
) -> Result<MatrixDiff, ApiError> {
    state
        .run(move |ws| ws.matrix_diff(&request.old, &request.new))
        .await
}

#[tauri::command]
async fn set_link(state: State<'_, AppState>, request: LinkRequest) -> Result<Vec<Link>, ApiError> {
    state.run(move |ws| ws.set_link(&request)).await
}

#[tauri::command]
async fn history(state: State<'_, AppState>, clause_id: String) -> Result<Lineage, ApiError> {
    state.run(move |ws| ws.history(&clause_id)).await
}

#[tauri::command]
async fn add_note(state: State<'_, AppState>, note: NewNote) -> Result<NoteView, ApiError> {
    state.run(move |ws| ws.add_note(&note)).await
}

#[tauri::command]
async fn notes(state: State<'_, AppState>, filter: NoteFilter) -> Result<Vec<NoteView>, ApiError> {
    state.run(move |ws| ws.notes(&filter)).await
}

#[tauri::command]
async fn edit_note(
    state: State<'_, AppState>,
    id: i64,
    edit: NoteEdit,
) -> Result<NoteView, ApiError> {
    state.run(move |ws| ws.edit_note(id, &edit)).await
}

#[tauri::command]
async fn delete_note(state: State<'_, AppState>, id: i64) -> Result<Note, ApiError> {
    state.run(move |ws| ws.delete_note(id)).await
}

/// The export as text (the export dialog's live preview).
#[tauri::command]
async fn export_preview(
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Result<String, ApiError> {
    state.run(move |ws| ws.export(&request)).await
}

/// Write the export to `path`; an existing file is replaced only with
/// `force` (the app asks first). Returns the path written.
#[tauri::command]
async fn export_to_file(
    state: State<'_, AppState>,
    request: ExportRequest,
    path: String,
    force: bool,
) -> Result<String, ApiError> {
    state
        .run(move |ws| {
            let text = ws.export(&request)?;
            trustlens_api::write_file(std::path::Path::new(path.trim()), text.as_bytes(), force)
                .map(|p| p.display().to_string())
        })
        .await
}

/// The change memo for two versions, as Markdown or HTML.
#[tauri::command]
async fn memo(
    state: State<'_, AppState>,
    request: CompareRequest,
    format: ExportFormat,
) -> Result<String, ApiError> {
    state
        .run(move |ws| ws.memo_text(&request.old, &request.new, format))
        .await
}

/// A version's key terms by topic.
#[tauri::command]
async fn terms(state: State<'_, AppState>, version: String) -> Result<TermSheet, ApiError> {
    state.run(move |ws| ws.terms(&version)).await
}

/// Two versions' key terms side by side.
#[tauri::command]
async fn terms_compared(
    state: State<'_, AppState>,
    request: CompareRequest,
) -> Result<TermsCompared, ApiError> {
    state
        .run(move |ws| ws.terms_compared(&request.old, &request.new))
        .await
}

#[tauri::command]
async fn corpus_status(state: State<'_, AppState>) -> Result<CorpusStatus, ApiError> {
    state.run(|ws| Ok(ws.status())).await
}

#[tauri::command]
async fn set_corpus_dir(
    state: State<'_, AppState>,
    dir: Option<String>,
) -> Result<CorpusStatus, ApiError> {
    state.with(move |s| s.set_corpus_dir(dir)).await
}

#[tauri::command]
async fn settings(state: State<'_, AppState>) -> Result<Settings, ApiError> {
    state.with(|s| s.settings()).await
}

#[tauri::command]
async fn set_ocr_mode(state: State<'_, AppState>, ocr: OcrMode) -> Result<Settings, ApiError> {
    state.with(move |s| s.set_ocr_mode(ocr)).await
}

#[tauri::command]
async fn watch_list(state: State<'_, AppState>) -> Result<Vec<SourceView>, ApiError> {
    state.with(|s| s.watch_list()).await
}

#[tauri::command]
async fn watch_add(state: State<'_, AppState>, source: NewSource) -> Result<Source, ApiError> {
    state.with(move |s| s.watch_add(&source)).await
}

#[tauri::command]
async fn watch_remove(state: State<'_, AppState>, id: String) -> Result<Source, ApiError> {
    state.with(move |s| s.watch_remove(&id)).await
}

#[tauri::command]
async fn watch_run(
    state: State<'_, AppState>,
    request: WatchRunRequest,
) -> Result<Vec<WatchOutcome>, ApiError> {
    state.with(move |s| s.watch_run(&request)).await
}

#[tauri::command]
async fn import_plan(
    state: State<'_, AppState>,
    request: ImportInput,
) -> Result<Vec<Candidate>, ApiError> {
    state.with(move |s| s.import_plan(&request)).await
}

#[tauri::command]
async fn import_run(
    state: State<'_, AppState>,
    request: ImportInput,
    on_progress: Channel<Progress>,
) -> Result<ImportReport, ApiError> {
    state
        .with(move |s| s.import(&request, &mut |p| drop(on_progress.send(p.clone()))))
        .await
}

#[tauri::command]
fn import_cancel(state: State<'_, AppState>) {
    state.session().cancel_import();
}

/// Register the app's state and commands on any runtime (the real one, or
/// tauri's mock runtime in tests). The state may be opening its corpus
/// already (see [`AppState::open_early`]).
pub fn register<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            versions,
            search,
            search_hits,
            search_counts,
            read,
            compare,
            matrix_grid,
            matrix_coverage,
            matrix_diff,
            set_link,
            history,
            add_note,
            notes,
            edit_note,
            delete_note,
            export_preview,
            export_to_file,
            memo,
            terms,
            terms_compared,
            corpus_status,
            set_corpus_dir,
            settings,
            set_ocr_mode,
            watch_list,
            watch_add,
            watch_remove,
            watch_run,
            import_plan,
            import_run,
            import_cancel
        ])
}

/// How the app was asked to start: its command-line options.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Parser, serde::Serialize)]
#[command(
    name = "trustlens-app",
    version,
    about = "The trustlens desktop app: read, search and compare vendors' trust documentation"
)]
pub struct Launch {
    /// Open with this search run (same syntax as the search box), e.g.
    /// --search '"Privacy Shield"'
    #[arg(long, value_name = "QUERY")]
    pub search: Option<String>,
}

impl Launch {
    /// The script that hands the options to the page before any of its own
    /// runs (`window.__TRUSTLENS_LAUNCH__`, read by `ui/src/api.ts`). Handed
    /// over this way rather than by a command, the search can start with the
    /// page's first calls instead of after a round trip.
    pub fn page_script(&self) -> String {
        // JSON is a JavaScript expression; serialising a struct of strings
        // cannot fail.
        let json = serde_json::to_string(self).unwrap_or_else(|_| "{}".into());
        format!("window.__TRUSTLENS_LAUNCH__ = Object.freeze({json});")
    }
}

/// How often the app looks for watched sources that are due.
const WATCH_TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// While the app is open, check each watched source on its schedule and
/// tell the page what came of it (`watch-checked`, a list of
/// [`WatchOutcome`]s): the page shows a notification for each new version.
fn watch_on_schedule<R: Runtime>(app: tauri::AppHandle<R>) {
    use tauri::{Emitter, Manager};
    let due = WatchRunRequest {
        source: None,
        due_only: true,
    };
    loop {
        std::thread::sleep(WATCH_TICK);
        match app.state::<AppState>().session().watch_run(&due) {
            Ok(outcomes) if outcomes.is_empty() => {}
            Ok(outcomes) => {
                if let Err(e) = app.emit("watch-checked", &outcomes) {
                    tracing::warn!(error = %e, "could not tell the page of a watch check");
                }
            }
            Err(e) => tracing::warn!(error = %e.message, "the scheduled watch check failed"),
        }
    }
}

/// Start the desktop app with these options.
pub fn run(launch: Launch) {
    // Open the corpus while the window and its page come up, rather than
    // when the page first asks: the two take about as long as each other.
    let state = AppState::new(Dirs::from_env());
    state.open_early();
    register(tauri::Builder::default(), state)
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let handle = app.handle().clone();
            std::thread::Builder::new()
                .name("watch".into())
                .spawn(move || watch_on_schedule(handle))?;
            // The window is made here rather than from the configuration
            // alone (`"create": false`), to hand the page its launch options.
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no window labelled \"main\"")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .initialization_script(launch.page_script())
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("error while running trustlens");
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use serde_json::{json, Value};
    use tauri::ipc::{CallbackFn, InvokeBody};
    use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
    use tauri::webview::InvokeRequest;
    use tauri::Manager;
    use trustlens_api::{CorpusChoice, Settings};

    use super::*;

    fn app(
        dirs: Dirs,
    ) -> (
        tauri::App<tauri::test::MockRuntime>,
        tauri::WebviewWindow<tauri::test::MockRuntime>,
    ) {
        app_with(AppState::new(dirs))
    }

    fn app_with(
        state: AppState,
    ) -> (
        tauri::App<tauri::test::MockRuntime>,
        tauri::WebviewWindow<tauri::test::MockRuntime>,
    ) {
        let app = register(mock_builder(), state)
            .build(mock_context(noop_assets()))
            .expect("mock app builds");
        let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("mock window");
        (app, webview)
    }

    fn invoke(
        webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
        cmd: &str,
        body: Value,
    ) -> Result<Value, Value> {
        get_ipc_response(
            webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn temp_dirs() -> (tempfile::TempDir, Dirs) {
        let tmp = tempfile::tempdir().unwrap();
        let dirs = Dirs {
            data: tmp.path().join("data"),
            cache: tmp.path().join("cache"),
        };
        (tmp, dirs)
    }

    /// One command function of this file: its name, its arguments but the
    /// state (name, type as written) and its success type.
    type Signature = (String, Vec<(String, String)>, String);

    /// `a:X<b,c>,d:Y` → `["a:X<b,c>", "d:Y"]`.
    fn top_level_commas(params: &str) -> Vec<String> {
        let (mut parts, mut depth) = (vec![String::new()], 0);
        for c in params.chars() {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(String::new());
                    continue;
                }
                _ => {}
            }
            parts.last_mut().unwrap().push(c);
        }
        parts
    }

    /// The `#[tauri::command]` functions of this file, read from its source.
    fn command_signatures() -> Vec<Signature> {
        let source = include_str!("lib.rs");
        let mut out = Vec::new();
        for part in source.split("#[tauri::command]\n").skip(1) {
            let sig: String = part.split('{').next().unwrap().split_whitespace().collect();
            let (head, params) = sig.split_once('(').unwrap();
            let name = head
                .trim_start_matches("async")
                .trim_start_matches("fn")
                .to_string();
            let (params, ret) = params.rsplit_once(')').unwrap();
            let args = top_level_commas(params)
                .into_iter()
                .filter(|p| !p.is_empty() && !p.contains("State<"))
                .map(|p| {
                    let (n, t) = p.split_once(':').unwrap();
                    (n.to_string(), t.to_string())
                })
                .collect();
            let ret = ret
                .trim_start_matches("->")
                .trim_start_matches("Result<")
                .trim_end_matches(",ApiError>");
            out.push((
                name,
                args,
                if ret.is_empty() {
                    "()".into()
                } else {
                    ret.into()
                },
            ));
        }
        out
    }

    /// The UI's client is typed from the API's command table
    /// (`ui/src/bindings/Commands.ts`): the commands here must be that table.
    #[test]
    fn the_commands_are_the_api_s_command_table() {
        let ours = command_signatures();
        assert!(ours.len() > 20, "sanity: read {} commands", ours.len());
        let table: Vec<Signature> = trustlens_api::commands::commands()
            .into_iter()
            .map(|c| {
                let args = c
                    .args
                    .into_iter()
                    .map(|(n, t)| (n.to_string(), t.rust))
                    .collect();
                (c.name.to_string(), args, c.result.rust)
            })
            .collect();
        assert_eq!(ours, table);
        let handler = include_str!("lib.rs")
            .split("generate_handler![")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap();
        let registered: Vec<&str> = handler
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        let names: Vec<&str> = table.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(registered, names);
    }

    #[test]
    fn launch_options_reach_the_page_as_a_frozen_json_object() {
        let none = Launch::try_parse_from(["trustlens-app"]).unwrap();
        assert_eq!(none, Launch::default());
        assert_eq!(
            none.page_script(),
            "window.__TRUSTLENS_LAUNCH__ = Object.freeze({\"search\":null});"
        );
        // Quotes, a closing script tag and line separators stay inside the
        // string: the page gets the query exactly as typed.
        let query = "\"Privacy Shield\" </script><script>alert(1)</script>\u{2028}';";
        let launch = Launch::try_parse_from(["trustlens-app", "--search", query]).unwrap();
        assert_eq!(launch.search.as_deref(), Some(query));
        let script = launch.page_script();
        let json = script
            .strip_prefix("window.__TRUSTLENS_LAUNCH__ = Object.freeze(")
            .and_then(|s| s.strip_suffix(");"))
            .unwrap();
        let back: Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, json!({"search": query}));
    }

    #[test]
    fn an_unknown_launch_option_is_refused_with_the_usage() {
        let err = Launch::try_parse_from(["trustlens-app", "--serch", "x"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
        assert!(err.to_string().contains("--search"), "{err}");
        let err = Launch::try_parse_from(["trustlens-app", "--search"]).unwrap_err();
        assert!(err.to_string().contains("QUERY"), "{err}");
    }

    #[test]
    fn a_corpus_opened_early_serves_the_first_calls() {
        let (_tmp, dirs) = temp_dirs();
        let state = AppState::new(dirs.clone());
        state.open_early();
        let (app, w) = app_with(state);
        let status = invoke(&w, "corpus_status", json!({})).unwrap();
        assert_eq!(status["versions"], 2);
        let versions = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        // Taken by the first call, not kept for another.
        let state = app.state::<AppState>();
        assert!(!state.session().is_opening());
    }

    #[test]
    fn commands_answer_like_the_library() {
        let (_tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs.clone());
        let versions = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 2);
        assert_eq!(versions[1]["id"], "heroku-spa@2023-05-05");

        let results = invoke(&w, "search", json!({"request": {"query": "\"Privacy Shield\"", "version": null, "section": null, "limit": 5}})).unwrap();
        let hit = &results["hits"][0];
        assert_eq!(hit["date"], "2023-05-05");
        // The app's two calls: the hits, then the counts; together the whole search.
        let request = json!({"request": {"query": "\"Privacy Shield\"", "version": null, "section": null, "limit": 5}});
        let hits = invoke(&w, "search_hits", request.clone()).unwrap();
        let counts = invoke(&w, "search_counts", request).unwrap();
        assert_eq!(hits["hits"], results["hits"]);
        assert_eq!(
            (hits["counted"].clone(), counts["counted"].clone()),
            (json!(false), json!(true))
        );
        assert_eq!(counts["facets"], results["facets"]);
        assert_eq!(counts["total"], results["total"]);

        let view = invoke(
            &w,
            "read",
            json!({"request": {"clause_id": hit["clause_id"], "query": "\"Privacy Shield\""}}),
        )
        .unwrap();
        assert_eq!(view["focus"], hit["clause_id"]);
        assert!(view["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["focus"] == true));

        let status = invoke(&w, "corpus_status", json!({})).unwrap();
        assert_eq!(status["versions"], 2);

        let view = invoke(
            &w,
            "compare",
            json!({"request": {"old": "2016-05-06", "new": "heroku-spa@2023-05-05"}}),
        )
        .unwrap();
        assert_eq!(view["new"]["id"], "heroku-spa@2023-05-05");
        assert!(!view["changes"].as_array().unwrap().is_empty());
        assert_eq!(
            view["card_rows"].as_array().unwrap().len(),
            view["changes"].as_array().unwrap().len()
        );
        // The timeline flags both versions (Safe Harbor, then Privacy Shield).
        assert_eq!(view["flags"][0]["version"], "heroku-spa@2016-05-06");
        assert_eq!(
            view["flags"][0]["flags"][0]["status"],
            "invalid_at_version_date"
        );
        let err = invoke(
            &w,
            "compare",
            json!({"request": {"old": "2016-05-06", "new": "1999-01-01"}}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "not_found");
    }

    #[test]
    fn notes_survive_a_restart_and_export_to_a_file_without_clobbering() {
        let (tmp, dirs) = temp_dirs();
        let clause = "heroku-spa@2023-05-05/data-encryption/1";
        {
            let (_app, w) = app(dirs.clone());
            let n = invoke(
                &w,
                "add_note",
                json!({"note": {"clause_id": clause, "text": "Check rotation", "tags": ["crypto"], "quote": "encryption at rest", "status": null}}),
            )
            .unwrap();
            assert_eq!(n["quote"]["exact"], "encryption at rest");
            let id = n["id"].as_i64().unwrap();
            let e = invoke(
                &w,
                "edit_note",
                json!({"id": id, "edit": {"text": null, "tags": null, "status": "flagged"}}),
            )
            .unwrap();
            assert_eq!(e["status"], "flagged");
        }
        let (_app, w) = app(dirs);
        let list = invoke(&w, "notes", json!({"filter": {"tag": "crypto"}})).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 1);
        assert_eq!(list[0]["status"], "flagged");
        let request = json!({"selection": {"kind": "notes", "filter": {}}, "format": "md"});
        let preview = invoke(&w, "export_preview", json!({"request": request})).unwrap();
        assert!(preview.as_str().unwrap().contains(clause));
        let path = tmp.path().join("notes.md");
        let args = |force: bool| json!({"request": request, "path": path.display().to_string(), "force": force});
        invoke(&w, "export_to_file", args(false)).unwrap();
        // The same export, but for its time line ("Exported ...").
        let body = |s: &str| s.lines().skip(3).collect::<Vec<_>>().join("\n");
        assert_eq!(
            body(&std::fs::read_to_string(&path).unwrap()),
            body(preview.as_str().unwrap())
        );
        let err = invoke(&w, "export_to_file", args(false)).unwrap_err();
        assert_eq!(err["code"], "exists");
        invoke(&w, "export_to_file", args(true)).unwrap();
        let memo = invoke(
            &w,
            "memo",
            json!({"request": {"old": "2016-05-06", "new": "2023-05-05"}, "format": "html"}),
        )
        .unwrap();
        assert!(memo.as_str().unwrap().starts_with("<!doctype html>"));
        let deleted = invoke(&w, "delete_note", json!({"id": list[0]["id"]})).unwrap();
        assert_eq!(deleted["text"], "Check rotation");
    }

    #[test]
    fn matrix_commands_and_links_survive_a_restart() {
        let (_tmp, dirs) = temp_dirs();
        let clause = "heroku-spa@2023-05-05/data-encryption/1";
        {
            let (_app, w) = app(dirs.clone());
            let grid = invoke(&w, "matrix_grid", json!({})).unwrap();
            assert!(grid["entries"].as_array().unwrap().len() >= 18);
            assert_eq!(grid["versions"].as_array().unwrap().len(), 2);
            let cov = invoke(&w, "matrix_coverage", json!({"version": "2023-05-05"})).unwrap();
            assert_eq!(cov["version"]["id"], "heroku-spa@2023-05-05");
            let diff = invoke(
                &w,
                "matrix_diff",
                json!({"request": {"old": "2016-05-06", "new": "2023-05-05"}}),
            )
            .unwrap();
            assert!(diff["entries"].as_array().unwrap().len() >= 18);
            let links = invoke(
                &w,
                "set_link",
                json!({"request": {"clause_id": clause, "entry": "usage-analytics", "action": "link"}}),
            )
            .unwrap();
            assert!(
                links
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|l| l["source"] == "manual"),
                "{links}"
            );
            let err = invoke(
                &w,
                "set_link",
                json!({"request": {"clause_id": clause, "entry": "no-such-entry", "action": "link"}}),
            )
            .unwrap_err();
            assert_eq!(err["code"], "not_found");
        }
        // A new app (a restart) over the same data directory still has the link.
        let (_app, w) = app(dirs);
        let view = invoke(
            &w,
            "read",
            json!({"request": {"clause_id": clause, "query": null}}),
        )
        .unwrap();
        let block = view["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == clause)
            .unwrap()
            .clone();
        assert!(
            block["links"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["source"] == "manual"
                    && l["entry"].as_str().unwrap().ends_with("/usage-analytics")),
            "{block}"
        );
    }

    #[test]
    fn errors_cross_ipc_as_code_and_message() {
        let (_tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs);
        let err = invoke(&w, "search", json!({"request": {"query": "\"unclosed", "version": null, "section": null, "limit": null}})).unwrap_err();
        assert_eq!(err["code"], "bad_query");
        assert!(
            err["message"].as_str().unwrap().contains("unclosed"),
            "{err}"
        );
        assert_eq!(
            err.as_object().unwrap().len(),
            2,
            "exactly code and message: {err}"
        );

        let err = invoke(
            &w,
            "read",
            json!({"request": {"clause_id": "nope@2020-01-01/x/1", "query": null}}),
        )
        .unwrap_err();
        assert_eq!(
            err,
            json!({"code": "not_found", "message": "no clause \"nope@2020-01-01/x/1\" in this corpus"})
        );
    }

    #[test]
    fn a_bad_corpus_dir_is_refused_and_the_app_keeps_its_corpus() {
        let (tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs.clone());
        let missing = tmp.path().join("no-such-corpus");
        let err = invoke(
            &w,
            "set_corpus_dir",
            json!({"dir": missing.display().to_string()}),
        )
        .unwrap_err();
        assert_eq!(err["code"], "corpus");
        assert!(
            err["message"].as_str().unwrap().contains("no-such-corpus"),
            "{err}"
        );
        // Still serving the default corpus, and the bad choice was not saved.
        assert_eq!(
            invoke(&w, "versions", json!({}))
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(Settings::load(&dirs).unwrap(), Settings::default());
    }

    #[test]
    fn the_ocr_setting_is_saved_and_kept_when_the_corpus_changes() {
        let (_tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs.clone());
        assert_eq!(invoke(&w, "settings", json!({})).unwrap()["ocr"], "auto");
        let saved = invoke(&w, "set_ocr_mode", json!({"ocr": "never"})).unwrap();
        assert_eq!(saved["ocr"], "never");
        invoke(&w, "set_corpus_dir", json!({"dir": null})).unwrap();
        assert_eq!(Settings::load(&dirs).unwrap().ocr, OcrMode::Never);
        let err = invoke(&w, "set_ocr_mode", json!({"ocr": "sometimes"})).unwrap_err();
        assert!(err.to_string().contains("sometimes"), "{err}");
    }

    /// A loopback HTTP server answering every request with the page in `body`.
    fn page_server(body: std::sync::Arc<std::sync::Mutex<String>>) -> String {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/privacy", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for mut conn in listener.incoming().flatten() {
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                let page = body.lock().unwrap().clone();
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
            }
        });
        url
    }

    #[test]
    fn a_watched_page_becomes_versions_and_says_how_much_changed() {
        let (_tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs);
        let page = |date: &str, days: u32| {
            format!("<html><body><main><h1>Privacy</h1><p>Effective date: {date}</p><h2>Logs</h2><p>We keep access logs for {days} days.</p></main></body></html>")
        };
        let body = std::sync::Arc::new(std::sync::Mutex::new(page("2026-01-01", 30)));
        let url = page_server(body.clone());
        let source = json!({"url": url, "vendor": "Acme", "document": "Privacy", "select": null, "remove": [], "ignore": [], "every": "1d"});
        let added = invoke(&w, "watch_add", json!({"source": source})).unwrap();
        let run = json!({"request": {"source": null, "due_only": false}});
        let first = invoke(&w, "watch_run", run.clone()).unwrap();
        assert_eq!(first[0]["result"], "new_version", "{first}");
        assert_eq!(first[0]["changes"], Value::Null);
        *body.lock().unwrap() = page("2026-02-01", 90);
        let second = invoke(&w, "watch_run", run).unwrap();
        assert_eq!(second[0]["previous"], first[0]["version"], "{second}");
        assert!(
            second[0]["changes"]["changes"].as_u64().unwrap() >= 1,
            "{second}"
        );
        // The new versions show without a restart.
        let versions = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 4);
        let listed = invoke(&w, "watch_list", json!({})).unwrap();
        assert_eq!(listed[0]["version"], second[0]["version"]);
        invoke(&w, "watch_remove", json!({"id": added["id"]})).unwrap();
        let err = invoke(&w, "watch_remove", json!({"id": added["id"]})).unwrap_err();
        assert_eq!(err["code"], "not_found", "{err}");
    }

    #[test]
    fn a_saved_corpus_dir_that_vanished_falls_back_with_a_warning() {
        let (tmp, dirs) = temp_dirs();
        Settings {
            corpus_dir: Some(tmp.path().join("gone").display().to_string()),
            ..Default::default()
        }
        .save(&dirs)
        .unwrap();
        let (_app, w) = app(dirs);
        let status = invoke(&w, "corpus_status", json!({})).unwrap();
        assert_eq!(status["versions"], 2);
        assert!(
            status["warnings"][0]
                .as_str()
                .unwrap()
                .contains("could not be opened"),
            "{status}"
        );
    }

    #[test]
    fn versions_and_notes_another_process_adds_show_without_a_restart() {
        let (tmp, dirs) = temp_dirs();
        let (_app, w) = app(dirs.clone());
        let before = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(before.as_array().unwrap().len(), 2);
        // "Another process": the CLI's own calls, beside the app's state.
        let file = tmp.path().join("acme.md");
        std::fs::write(
            &file,
            "# Acme\n\n## Keys\n\nAcme rotates keys every 90 days.\n",
        )
        .unwrap();
        trustlens_api::ingest(
            &dirs,
            None,
            &trustlens_core::corpus::add::AddVersion {
                file,
                vendor: "Acme".into(),
                document: "Keys".into(),
                date: "2024-03-01".into(),
                format: None,
                source: None,
                captured: "2024-03-02".into(),
                note: None,
                document_id: None,
                ocr: Default::default(),
                on_ocr_page: None,
            },
        )
        .unwrap();
        let other = Workspace::open(dirs.clone(), CorpusChoice::Default).unwrap();
        other
            .add_note(&trustlens_core::notes::NewNote {
                clause_id: "acme-keys@2024-03-01/keys/1".into(),
                text: "from the CLI".into(),
                tags: vec![],
                quote: None,
                status: None,
            })
            .unwrap();
        let after = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(after.as_array().unwrap().len(), 3, "{after}");
        let hits = invoke(&w, "search", json!({ "request": { "query": "rotates" } })).unwrap();
        assert_eq!(hits["hits"][0]["version"], "acme-keys@2024-03-01", "{hits}");
        let notes = invoke(&w, "notes", json!({ "filter": {} })).unwrap();
        assert_eq!(notes[0]["text"], "from the CLI", "{notes}");
    }

    #[test]
    fn import_previews_then_imports_into_the_users_corpus_and_the_new_version_shows() {
        let (tmp, dirs) = temp_dirs();
        let docs = tmp.path().join("downloads");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(
            docs.join("acme-security-2024-03-01.md"),
            "# Acme Security\n\n## Encryption\n\nAcme encrypts customer data at rest with AES-256.\n",
        )
        .unwrap();
        let (_app, w) = app(dirs.clone());
        let request = json!({
            "paths": [docs.display().to_string()],
            "vendor": "Acme",
            "document": "Security",
        });
        let plan = invoke(&w, "import_plan", json!({ "request": request })).unwrap();
        assert_eq!(plan[0]["date"], "2024-03-01");
        assert_eq!(plan[0]["date_source"], "file_name");
        assert_eq!(plan[0]["title"], "Acme Security");
        assert!(
            !dirs.user_corpus().join("manifest.toml").exists(),
            "a preview writes nothing"
        );

        let report = invoke(
            &w,
            "import_run",
            json!({ "request": request, "onProgress": "__CHANNEL__:1" }),
        )
        .unwrap();
        assert_eq!(report["added"], 1, "{report}");
        assert_eq!(
            report["outcomes"][0]["version_id"],
            "acme-security@2024-03-01"
        );
        // The workspace was reopened: the new version is listed and searchable.
        let versions = invoke(&w, "versions", json!({})).unwrap();
        assert_eq!(versions.as_array().unwrap().len(), 3);
        let hits = invoke(
            &w,
            "search",
            json!({ "request": { "query": "AES-256 acme" } }),
        )
        .unwrap();
        assert_eq!(
            hits["hits"][0]["version"], "acme-security@2024-03-01",
            "{hits}"
        );

        let err = invoke(
            &w,
            "import_plan",
            json!({ "request": { "paths": [], "vendor": "A", "document": "B" } }),
        )
        .unwrap_err();
        assert_eq!(err["code"], "invalid_argument");
        invoke(&w, "import_cancel", json!({})).unwrap();
    }

    #[test]
    fn a_corrupt_index_is_rebuilt_when_the_app_starts_and_the_status_says_so() {
        let (_tmp, dirs) = temp_dirs();
        {
            let (_app, w) = app(dirs.clone());
            let status = invoke(&w, "corpus_status", json!({})).unwrap();
            assert_eq!(status["index"], "built");
        }
        // Truncate every file of the index on disk, as a crash or a full disk might.
        let mut files = Vec::new();
        let mut stack = vec![dirs.index_root()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        assert!(!files.is_empty());
        for f in &files {
            let len = std::fs::metadata(f).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(f)
                .unwrap()
                .set_len(len / 3)
                .unwrap();
        }
        let (_app, w) = app(dirs);
        let status = invoke(&w, "corpus_status", json!({})).unwrap();
        assert!(
            status["index"].as_str().unwrap().starts_with("rebuilt ("),
            "{status}"
        );
        let hits = invoke(&w, "search", json!({ "request": { "query": "harbor" } })).unwrap();
        assert!(hits["total"].as_u64().unwrap() >= 1);
    }
}
