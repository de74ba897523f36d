//! The app's settings file: which corpus directory to open, and when to
//! read PDF pages with OCR on import.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use trustlens_core::ingest::ocr::OcrMode;
use trustlens_core::paths::Dirs;
use ts_rs::TS;

use crate::*;

/// The app's persisted settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Settings {
    /// A corpus directory to use instead of the default corpus.
    pub corpus_dir: Option<String>,
    /// When an import reads PDF pages with OCR.
    #[serde(default)]
    pub ocr: OcrMode,
}

impl Settings {
    /// Read the settings file; a missing file means defaults. An unreadable
    /// one is reported, never silently replaced.
    pub fn load(dirs: &Dirs) -> Result<Settings, ApiError> {
        let path = dirs.settings_file();
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidArgument,
                    format!("{}: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(ApiError::new(
                ErrorCode::Io,
                format!("{}: {e}", path.display()),
            )),
        }
    }

    /// Write the settings file atomically.
    pub fn save(&self, dirs: &Dirs) -> Result<(), ApiError> {
        std::fs::create_dir_all(&dirs.data)
            .map_err(|e| ApiError::new(ErrorCode::Io, format!("{}: {e}", dirs.data.display())))?;
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
        trustlens_core::corpus::add::write_atomically(&dirs.settings_file(), &json)?;
        Ok(())
    }

    /// The corpus these settings choose.
    pub fn corpus_choice(&self) -> CorpusChoice {
        match self
            .corpus_dir
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            Some(d) => CorpusChoice::Dir(PathBuf::from(d)),
            None => CorpusChoice::Default,
        }
    }
}
