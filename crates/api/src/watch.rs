//! Watching vendors' pages ([`trustlens_watch`]) for the front ends: the
//! watch list of the corpus that ingest and import write to ([`import_target`]), and checks
//! whose new versions come with how much changed.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use trustlens_core::compare::Comparison;
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::lexicon::Severity;
use trustlens_core::paths::Dirs;
use trustlens_watch::check::{self, CheckOutcome, CheckResult, Prepare, RunOptions};
use trustlens_watch::{sources, NewSource, Source, SourceView, WatchError, Watchlist};
use ts_rs::TS;

use crate::{import_target, ApiError, ErrorCode, Workspace};

impl From<WatchError> for ApiError {
    fn from(e: WatchError) -> Self {
        match e {
            WatchError::Corpus(c) => c.into(),
            WatchError::NotFound(_) => ApiError::new(ErrorCode::NotFound, e.to_string()),
            WatchError::InvalidArgument(_) => {
                ApiError::new(ErrorCode::InvalidArgument, e.to_string())
            }
            WatchError::Io { .. } => ApiError::new(ErrorCode::Io, e.to_string()),
            WatchError::BadFile { .. } => ApiError::new(ErrorCode::Watch, e.to_string()),
            WatchError::Internal(_) => ApiError::new(ErrorCode::Internal, e.to_string()),
        }
    }
}

/// Which sources a check takes.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize, TS)]
pub struct WatchRunRequest {
    /// Only this source (by ID); every source when absent.
    #[serde(default)]
    pub source: Option<String>,
    /// Only the sources whose scheduled check is due.
    #[serde(default)]
    pub due_only: bool,
}

/// How much a new version changed, from the compare with the one before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct ChangeCount {
    /// Change cards.
    pub changes: u32,
    /// Of which high severity.
    pub high: u32,
}

impl ChangeCount {
    /// The counts of a comparison.
    pub fn of(c: &Comparison) -> ChangeCount {
        ChangeCount {
            changes: c.changes.len() as u32,
            high: c
                .changes
                .iter()
                .filter(|c| c.severity == Severity::High)
                .count() as u32,
        }
    }
}

/// One source's check, with what its new version changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct WatchOutcome {
    /// The check.
    #[serde(flatten)]
    pub check: CheckOutcome,
    /// For a new version after an earlier one: how much changed.
    pub changes: Option<ChangeCount>,
}

/// The watched sources with what their checks found.
pub fn watch_list(dirs: &Dirs, corpus_dir: Option<&Path>) -> Result<Vec<SourceView>, ApiError> {
    Ok(Watchlist::read(&import_target(dirs, corpus_dir))?.views())
}

/// Start watching a page.
pub fn watch_add(
    dirs: &Dirs,
    corpus_dir: Option<&Path>,
    new: &NewSource,
) -> Result<Source, ApiError> {
    Ok(sources::add(&import_target(dirs, corpus_dir), new)?)
}

/// Stop watching a page (its snapshots and versions stay).
pub fn watch_remove(dirs: &Dirs, corpus_dir: Option<&Path>, id: &str) -> Result<Source, ApiError> {
    Ok(sources::remove(
        &import_target(dirs, corpus_dir),
        id.trim(),
    )?)
}

/// Check sources now, telling `on_outcome` of each as it completes. A
/// source that fails is its own outcome, not an error of the run.
pub fn watch_run(
    dirs: &Dirs,
    corpus_dir: Option<&Path>,
    req: &WatchRunRequest,
    ocr: OcrMode,
    timeout: Duration,
    on_outcome: &mut dyn FnMut(&CheckOutcome),
) -> Result<Vec<CheckOutcome>, ApiError> {
    let prepare: Option<Prepare> = match corpus_dir {
        Some(_) => None,
        None => Some(Arc::new(crate::writes::join_bundled)),
    };
    let opts = RunOptions {
        only: req.source.clone(),
        due_only: req.due_only,
        timeout,
        ocr,
        prepare,
        ..RunOptions::default()
    };
    Ok(check::run(
        &import_target(dirs, corpus_dir),
        &opts,
        on_outcome,
    )?)
}

/// The outcomes with what each new version changed, compared in `ws` (the
/// corpus opened after the run).
pub fn with_changes(ws: Option<&Workspace>, outcomes: Vec<CheckOutcome>) -> Vec<WatchOutcome> {
    outcomes
        .into_iter()
        .map(|check| {
            let changes = match (ws, &check.previous, &check.version) {
                (Some(ws), Some(old), Some(new)) if check.result == CheckResult::NewVersion => {
                    ws.diff(old, new).ok().map(|c| ChangeCount::of(&c))
                }
                _ => None,
            };
            WatchOutcome { check, changes }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scripts match on the codes: each watch error keeps its code.
    #[test]
    fn watch_errors_keep_their_codes() {
        let code = |e: WatchError| ApiError::from(e).code;
        assert_eq!(code(WatchError::NotFound("x".into())), ErrorCode::NotFound);
        assert_eq!(
            code(WatchError::InvalidArgument("x".into())),
            ErrorCode::InvalidArgument
        );
        let bad = WatchError::BadFile {
            path: "watch/state.json".into(),
            message: "x".into(),
        };
        assert_eq!(code(bad), ErrorCode::Watch);
        assert_eq!(code(WatchError::Internal("x".into())), ErrorCode::Internal);
    }
}
