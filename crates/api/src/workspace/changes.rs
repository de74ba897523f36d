//! What changed: comparisons of two versions and each clause's lineage.

use trustlens_core::compare::view::CompareView;
use trustlens_core::lineage::{Lineage, Lineages};

use super::*;

impl Workspace {
    /// The key terms of a version: its statements by topic, with citations.
    pub fn terms(&self, version: &str) -> Result<trustlens_core::terms::TermSheet, ApiError> {
        let v = self.corpus.version(version.trim())?;
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        Ok(trustlens_core::terms::sheet(lexicon, v))
    }

    /// Two versions' key terms side by side, each marked same, changed,
    /// added or removed.
    pub fn terms_compared(
        &self,
        old: &str,
        new: &str,
    ) -> Result<trustlens_core::terms::TermsCompared, ApiError> {
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        Ok(trustlens_core::terms::compare(lexicon, old, new))
    }

    /// A version's key terms as Markdown, HTML, CSV or JSON.
    pub fn terms_text(
        &self,
        version: &str,
        format: trustlens_core::export::ExportFormat,
    ) -> Result<String, ApiError> {
        let sheet = self.terms(version)?;
        trustlens_core::terms::render_sheet(&sheet, format)
            .map_err(|e| ApiError::new(ErrorCode::InvalidArgument, e))
    }

    /// Compare two versions (IDs or unambiguous dates): alignment, redlines
    /// and change cards, typed with the corpus's lexicon.
    pub fn diff(
        &self,
        old: &str,
        new: &str,
    ) -> Result<trustlens_core::compare::Comparison, ApiError> {
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        // The app asks for the same pair twice in a row (the compare view,
        // then its matrix alerts); the corpus is immutable, so remember the
        // last answer.
        let key = (old.info.id.clone(), new.info.id.clone());
        let mut last = self
            .last_diff
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((k, c)) = last.as_ref() {
            if *k == key {
                return Ok(c.clone());
            }
        }
        let mut c = trustlens_core::compare::compare(lexicon, old, new);
        c.flags = self.version_flags(&old.info, &new.info);
        *last = Some((key, c.clone()));
        Ok(c)
    }

    /// [`Workspace::diff`] laid out for a side-by-side view (the app's
    /// compare view).
    pub fn compare_view(&self, old: &str, new: &str) -> Result<CompareView, ApiError> {
        let comparison = self.diff(old, new)?;
        let (old, new) = (
            self.corpus.version(old.trim())?,
            self.corpus.version(new.trim())?,
        );
        Ok(trustlens_core::compare::view::view(&comparison, old, new))
    }

    pub(super) fn lineages(&self) -> Result<&Lineages, ApiError> {
        let lexicon = self.lexicon.as_ref().map_err(Clone::clone)?;
        Ok(self
            .lineages
            .get_or_init(|| Lineages::build(&self.corpus, lexicon)))
    }

    /// A clause's history across the versions of its document.
    pub fn history(&self, clause_id: &str) -> Result<Lineage, ApiError> {
        self.corpus.clause(clause_id.trim())?;
        self.lineages()?
            .of(clause_id.trim())
            .cloned()
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NotFound, format!("no history for {clause_id}"))
            })
    }
}
