//! Where trustlens keeps things on disk.
//!
//! - **data** (notes, the user's corpus, settings): never deleted by trustlens.
//! - **cache** (search indexes): derived from the corpus, safe to delete at any time.
//!
//! `TRUSTLENS_DATA_DIR` and `TRUSTLENS_CACHE_DIR` override both, for tests and
//! portable installs; otherwise the platform's conventions apply
//! (`~/.local/share/trustlens`, `~/.cache/trustlens` on Linux).

use std::path::{Path, PathBuf};

/// `p` made absolute (against the current directory), for provenance and
/// cache keys; as given when that fails.
pub fn absolute(p: &Path) -> String {
    std::path::absolute(p)
        .unwrap_or_else(|_| p.to_path_buf())
        .display()
        .to_string()
}

/// Environment variable overriding the data directory.
pub const DATA_DIR_ENV: &str = "TRUSTLENS_DATA_DIR";
/// Environment variable overriding the cache directory.
pub const CACHE_DIR_ENV: &str = "TRUSTLENS_CACHE_DIR";

/// The data and cache directories in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// Durable user data.
    pub data: PathBuf,
    /// Rebuildable caches.
    pub cache: PathBuf,
}

impl Dirs {
    /// Resolve from the environment, falling back to the platform's directories
    /// and, failing that, to `./.trustlens`.
    pub fn from_env() -> Dirs {
        let project = directories::ProjectDirs::from("dev", "trustlens", "trustlens");
        let pick = |var: &str, fallback: Option<PathBuf>, leaf: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or(fallback)
                .unwrap_or_else(|| PathBuf::from(".trustlens").join(leaf))
        };
        Dirs {
            data: pick(
                DATA_DIR_ENV,
                project.as_ref().map(|p| p.data_dir().to_path_buf()),
                "data",
            ),
            cache: pick(
                CACHE_DIR_ENV,
                project.as_ref().map(|p| p.cache_dir().to_path_buf()),
                "cache",
            ),
        }
    }

    /// The user's own corpus, where `ingest` adds versions by default.
    pub fn user_corpus(&self) -> PathBuf {
        self.data.join("corpus")
    }

    /// Where search indexes live.
    pub fn index_root(&self) -> PathBuf {
        self.cache.join("index")
    }

    /// The user's database (notes, manual matrix links).
    pub fn store_file(&self) -> PathBuf {
        self.data.join(crate::store::STORE_FILE)
    }

    /// The app's settings file.
    pub fn settings_file(&self) -> PathBuf {
        self.data.join("settings.json")
    }
}
