//! TypeScript types for the front end, generated from the Rust types with
//! ts-rs so the two cannot drift apart. `tests/bindings.rs` fails when the
//! committed files in `ui/src/bindings/` differ from what the Rust types
//! generate; run it with `UPDATE_BINDINGS=1` to rewrite them.

use std::path::Path;

use ts_rs::TS;

/// Write every type the front end uses (and the types they use) into `dir`.
pub fn export_typescript(dir: &Path) -> Result<(), ts_rs::ExportError> {
    crate::corpus::VersionInfo::export_all_to(dir)?;
    crate::search::SearchRequest::export_all_to(dir)?;
    crate::search::SearchResults::export_all_to(dir)?;
    crate::api::ReadRequest::export_all_to(dir)?;
    crate::api::ReaderView::export_all_to(dir)?;
    crate::api::CorpusStatus::export_all_to(dir)?;
    crate::api::ClauseView::export_all_to(dir)?;
    crate::api::Settings::export_all_to(dir)?;
    crate::api::ApiError::export_all_to(dir)?;
    crate::api::CompareRequest::export_all_to(dir)?;
    crate::compare::view::CompareView::export_all_to(dir)?;
    crate::api::LinkRequest::export_all_to(dir)?;
    crate::matrix::links::Link::export_all_to(dir)?;
    crate::matrix::report::MatrixGrid::export_all_to(dir)?;
    crate::matrix::report::Coverage::export_all_to(dir)?;
    crate::matrix::report::MatrixDiff::export_all_to(dir)?;
    crate::api::NoteView::export_all_to(dir)?;
    crate::notes::NewNote::export_all_to(dir)?;
    crate::notes::NoteEdit::export_all_to(dir)?;
    crate::api::ExportRequest::export_all_to(dir)?;
    crate::lineage::Lineage::export_all_to(dir)?;
    crate::api::ImportInput::export_all_to(dir)?;
    crate::import::Candidate::export_all_to(dir)?;
    crate::import::ImportReport::export_all_to(dir)?;
    crate::import::Progress::export_all_to(dir)?;
    Ok(())
}
