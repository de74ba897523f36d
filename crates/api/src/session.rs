//! A long-lived hold on a workspace, for a front end that answers many
//! calls (the desktop app): which corpus is open, when to open it again,
//! and what happens when opening fails.
//!
//! The policy, in one place:
//! - the corpus the settings choose is opened, early if asked
//!   ([`Session::open_early`]); a chosen directory that cannot be opened
//!   falls back to the default corpus with a warning, so the app still
//!   starts;
//! - when another process changes the open corpus, the same corpus is
//!   opened again at the next call; if that fails, the open one keeps
//!   serving (never another corpus behind the user's back);
//! - switching corpus keeps the current one when the new one fails;
//! - after an import that added versions, the corpus is opened again.
//!
//! Every method blocks (opening reads the corpus): call them off the UI
//! thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use trustlens_core::import::{Candidate, ImportReport, Progress};
use trustlens_core::paths::Dirs;

use crate::{ApiError, CorpusChoice, CorpusStatus, ErrorCode, ImportInput, Settings, Workspace};
use trustlens_core::ingest::ocr::OcrMode;

/// The open workspace of a front end, and the corpus setting behind it.
pub struct Session {
    dirs: Dirs,
    /// Opened on first use, replaced when the corpus changes.
    workspace: Mutex<Option<Arc<Workspace>>>,
    /// The corpus being opened since [`Session::open_early`], until the
    /// first call takes it.
    opening: Mutex<Option<JoinHandle<Result<Workspace, ApiError>>>>,
    /// Set by [`Session::cancel_import`]; the running import stops before
    /// its next version.
    cancel_import: Arc<AtomicBool>,
}

/// A poisoned lock only means another call panicked: its data is still a
/// workspace or nothing.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Session {
    /// A session that opens its workspace from `dirs` on first use.
    pub fn new(dirs: Dirs) -> Self {
        Session {
            dirs,
            workspace: Mutex::new(None),
            opening: Mutex::new(None),
            cancel_import: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Where this session's data lives.
    pub fn dirs(&self) -> &Dirs {
        &self.dirs
    }

    /// Start opening the corpus now, on a thread of its own, for the first
    /// call to take. A window takes about as long to come up as a corpus
    /// to open, and on one core, so the two overlap.
    pub fn open_early(&self) {
        let dirs = self.dirs.clone();
        let thread = std::thread::Builder::new()
            .name("open-corpus".into())
            .spawn(move || open_from_settings(dirs));
        // Without a thread, the first call opens the corpus itself.
        if let Ok(handle) = thread {
            *lock(&self.opening) = Some(handle);
        }
    }

    /// Whether a corpus opened early waits for the first call to take it.
    pub fn is_opening(&self) -> bool {
        lock(&self.opening).is_some()
    }

    /// The open workspace: opened now if it is not yet, or again if another
    /// process changed its corpus.
    pub fn workspace(&self) -> Result<Arc<Workspace>, ApiError> {
        let mut slot = lock(&self.workspace);
        if let Some(ws) = slot.as_ref() {
            if !ws.is_stale() {
                return Ok(ws.clone());
            }
            return Ok(
                match Workspace::open(self.dirs.clone(), ws.choice().clone()) {
                    Ok(fresh) => slot.insert(Arc::new(fresh)).clone(),
                    Err(e) => {
                        tracing::warn!(error = %e.message, "the corpus changed on disk and could not be opened again");
                        ws.clone()
                    }
                },
            );
        }
        // Opened early or now: an error is this call's to report, and the
        // next call tries again.
        let early = lock(&self.opening).take();
        let ws = match early {
            Some(thread) => thread.join().unwrap_or_else(|_| {
                Err(ApiError::new(
                    ErrorCode::Internal,
                    "opening the corpus stopped unexpectedly",
                ))
            })?,
            None => open_from_settings(self.dirs.clone())?,
        };
        Ok(slot.insert(Arc::new(ws)).clone())
    }

    /// Switch to the corpus in `dir` (the default corpus for `None` or an
    /// empty name) and remember the choice; on failure keep the current one
    /// and say why.
    pub fn set_corpus_dir(&self, dir: Option<String>) -> Result<CorpusStatus, ApiError> {
        let settings = Settings {
            corpus_dir: dir.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
            ..Settings::load(&self.dirs).unwrap_or_default()
        };
        let opened = Workspace::open(self.dirs.clone(), settings.corpus_choice())?;
        settings.save(&self.dirs)?;
        let status = opened.status();
        *lock(&self.workspace) = Some(Arc::new(opened));
        Ok(status)
    }

    /// The settings as saved (defaults when there are none).
    pub fn settings(&self) -> Result<Settings, ApiError> {
        Settings::load(&self.dirs)
    }

    /// Remember when imports read PDF pages with OCR.
    pub fn set_ocr_mode(&self, ocr: OcrMode) -> Result<Settings, ApiError> {
        let settings = Settings {
            ocr,
            ..Settings::load(&self.dirs)?
        };
        settings.save(&self.dirs)?;
        Ok(settings)
    }

    /// What an import would bring in; writes nothing.
    pub fn import_plan(&self, input: &ImportInput) -> Result<Vec<Candidate>, ApiError> {
        crate::import_plan(&input.to_request(OcrMode::Never))
    }

    /// Import into the corpus that is open (the default one when a chosen
    /// directory could not be opened, whatever the settings say), calling
    /// `progress` before each version; then open it again so the new
    /// versions show.
    pub fn import(
        &self,
        input: &ImportInput,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<ImportReport, ApiError> {
        let corpus_dir = self.corpus_dir()?;
        self.cancel_import.store(false, Ordering::Relaxed);
        let report = crate::import(
            &self.dirs,
            corpus_dir.as_deref(),
            &input.to_request(Settings::load(&self.dirs)?.ocr),
            progress,
            &self.cancel_import,
        )?;
        if report.added > 0 {
            let reopened = open_from_settings(self.dirs.clone())?;
            *lock(&self.workspace) = Some(Arc::new(reopened));
        }
        Ok(report)
    }

    /// The corpus directory the open workspace reads (`None`: the user's
    /// corpus with the bundled one).
    fn corpus_dir(&self) -> Result<Option<std::path::PathBuf>, ApiError> {
        Ok(self.workspace()?.choice().dir().map(|d| d.to_path_buf()))
    }

    /// The watched sources of the open corpus.
    pub fn watch_list(&self) -> Result<Vec<trustlens_watch::SourceView>, ApiError> {
        crate::watch_list(&self.dirs, self.corpus_dir()?.as_deref())
    }

    /// Start watching a page.
    pub fn watch_add(
        &self,
        new: &trustlens_watch::NewSource,
    ) -> Result<trustlens_watch::Source, ApiError> {
        crate::watch_add(&self.dirs, self.corpus_dir()?.as_deref(), new)
    }

    /// Stop watching a page.
    pub fn watch_remove(&self, id: &str) -> Result<trustlens_watch::Source, ApiError> {
        crate::watch_remove(&self.dirs, self.corpus_dir()?.as_deref(), id)
    }

    /// Check sources now; when new versions were recorded, open the corpus
    /// again and say how much each changed.
    pub fn watch_run(
        &self,
        req: &crate::WatchRunRequest,
    ) -> Result<Vec<crate::WatchOutcome>, ApiError> {
        let corpus_dir = self.corpus_dir()?;
        let outcomes = crate::watch_run(
            &self.dirs,
            corpus_dir.as_deref(),
            req,
            Settings::load(&self.dirs)?.ocr,
            std::time::Duration::from_secs(30),
            &mut |_| {},
        )?;
        let recorded = outcomes
            .iter()
            .any(|o| o.result == trustlens_watch::CheckResult::NewVersion);
        if !recorded {
            return Ok(crate::with_changes(None, outcomes));
        }
        let reopened = Arc::new(open_from_settings(self.dirs.clone())?);
        *lock(&self.workspace) = Some(reopened.clone());
        Ok(crate::with_changes(Some(&reopened), outcomes))
    }

    /// Stop the running import before its next version.
    pub fn cancel_import(&self) {
        self.cancel_import.store(true, Ordering::Relaxed);
    }
}

/// Open the corpus the settings choose. A chosen directory that cannot be
/// opened must not keep a front end from starting: fall back to the default
/// corpus and say so in the status warnings.
pub fn open_from_settings(dirs: Dirs) -> Result<Workspace, ApiError> {
    let (choice, settings_problem) = match Settings::load(&dirs) {
        Ok(s) => (s.corpus_choice(), None),
        Err(e) => (
            CorpusChoice::Default,
            Some(format!("settings ignored: {}", e.message)),
        ),
    };
    let mut ws = match Workspace::open(dirs.clone(), choice.clone()) {
        Ok(ws) => ws,
        Err(e) if choice != CorpusChoice::Default => {
            let mut ws = Workspace::open(dirs, CorpusChoice::Default)?;
            ws.corpus.warnings.insert(
                0,
                format!(
                    "the chosen corpus could not be opened, showing the default one instead: {}",
                    e.message
                ),
            );
            ws
        }
        Err(e) => return Err(e),
    };
    if let Some(p) = settings_problem {
        ws.corpus.warnings.insert(0, p);
    }
    Ok(ws)
}
