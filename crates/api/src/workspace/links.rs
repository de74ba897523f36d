//! The matrix and the links between clauses and its entries: the rules'
//! links with the user's decisions applied, cached until the store changes.

use trustlens_core::matrix::links::{Link, LinkTable};
use trustlens_core::matrix::report::{Coverage, MatrixDiff, MatrixGrid};
use trustlens_core::matrix::Matrices;
use trustlens_core::store::Store;

use super::*;

impl Workspace {
    pub(super) fn matrices(&self) -> Result<&Matrices, ApiError> {
        self.matrices.as_ref().map_err(Clone::clone)
    }

    /// Every clause's links: the rules' links with the user's decisions applied.
    pub fn links(&self) -> Result<LinkTable, ApiError> {
        let matrices = self.matrices()?;
        let path = self.dirs.store_file();
        // A poisoned lock only means a panic while reading; the cache is
        // then either whole or empty.
        let mut cache = self.user_links.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.as_ref() {
            if file_identity(&path) == Some(c.file)
                && c.store.data_version().ok() == Some(c.data_version)
            {
                return Ok(c.table.clone());
            }
        }
        // The file is identified before it is opened and again after: a
        // file replaced in between is not cached (the connection would hold
        // the old one under the new one's identity, stale for good).
        let before = file_identity(&path);
        let store = Store::open(&path)?;
        // Read the version before the decisions: a commit in between makes
        // the next call read them again, never keep stale ones.
        let data_version = store.data_version()?;
        let table = self.auto_links.with_overrides(matrices, &store.links()?);
        *cache = before
            .filter(|&file| file_identity(&path) == Some(file))
            .map(|file| UserLinks {
                store,
                file,
                data_version,
                table: table.clone(),
            });
        Ok(table)
    }

    /// The matrix grid: entries × versions with clause counts.
    pub fn matrix_grid(&self) -> Result<MatrixGrid, ApiError> {
        Ok(trustlens_core::matrix::report::grid(
            self.matrices()?,
            &self.corpus.versions,
            &self.links()?,
        ))
    }

    /// Which entries one version supports, with which clauses and why.
    pub fn matrix_coverage(&self, version: &str) -> Result<Coverage, ApiError> {
        let v = self.corpus.version(version.trim())?;
        Ok(trustlens_core::matrix::report::coverage(
            self.matrices()?,
            v,
            &self.links()?,
        ))
    }

    /// The matrix between two versions: cards per entry and shift alerts.
    pub fn matrix_diff(&self, old: &str, new: &str) -> Result<MatrixDiff, ApiError> {
        let comparison = self.diff(old, new)?;
        Ok(trustlens_core::matrix::report::diff(
            self.matrices()?,
            &comparison,
            &self.links()?,
        ))
    }

    /// One version's coverage as CSV or as an OSCAL component definition (JSON).
    pub fn matrix_export(&self, format: MatrixFormat, version: &str) -> Result<String, ApiError> {
        let cov = self.matrix_coverage(version)?;
        match format {
            MatrixFormat::Csv => trustlens_core::matrix::report::to_csv(&cov)
                .map_err(|e| ApiError::new(ErrorCode::Io, format!("writing CSV: {e}"))),
            MatrixFormat::Oscal => {
                let doc =
                    trustlens_core::matrix::report::to_oscal(&cov, &trustlens_core::store::now());
                serde_json::to_string_pretty(&doc)
                    .map(|s| s + "\n")
                    .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))
            }
        }
    }

    /// A clause's links.
    pub fn clause_links(&self, clause_id: &str) -> Result<Vec<Link>, ApiError> {
        self.corpus.clause(clause_id.trim())?;
        Ok(self.links()?.of(clause_id.trim()))
    }

    /// Link or unlink a clause and an entry (the user's decision, stored
    /// durably and kept apart from the rules), or with `None` forget the
    /// decision so the rules decide again. Returns the clause's links.
    pub fn set_link(&self, req: &LinkRequest) -> Result<Vec<Link>, ApiError> {
        let clause_id = req.clause_id.trim();
        self.corpus.clause(clause_id)?;
        let entry = self.matrices()?.entry(&req.entry).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "no matrix entry \"{}\" (see `trustlens matrix`)",
                    req.entry.trim()
                ),
            )
        })?;
        let mut store = Store::open(&self.dirs.store_file())?;
        match req.action {
            Some(action) => {
                store.set_link(clause_id, &entry.key, action)?;
            }
            None => {
                store.clear_link(clause_id, &entry.key)?;
            }
        }
        self.clause_links(clause_id)
    }
}
