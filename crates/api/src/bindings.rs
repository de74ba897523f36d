//! TypeScript types for the front end, generated from the Rust types with
//! ts-rs so the two cannot drift apart. `tests/bindings.rs` fails when the
//! committed files in `ui/src/bindings/` differ from what the Rust types
//! generate; run it with `UPDATE_BINDINGS=1` to rewrite them.

use std::path::Path;

use ts_rs::TS;

/// Write every type the front end uses (and the types they use) into `dir`.
pub fn export_typescript(dir: &Path) -> Result<(), ts_rs::ExportError> {
    trustlens_core::corpus::VersionInfo::export_all_to(dir)?;
    trustlens_search::SearchRequest::export_all_to(dir)?;
    trustlens_search::SearchResults::export_all_to(dir)?;
    crate::ReadRequest::export_all_to(dir)?;
    crate::ReaderView::export_all_to(dir)?;
    crate::CorpusStatus::export_all_to(dir)?;
    crate::VersionView::export_all_to(dir)?;
    crate::ClauseView::export_all_to(dir)?;
    crate::Settings::export_all_to(dir)?;
    crate::ApiError::export_all_to(dir)?;
    crate::ErrorCode::export_all_to(dir)?;
    crate::CompareRequest::export_all_to(dir)?;
    trustlens_core::compare::view::CompareView::export_all_to(dir)?;
    crate::LinkRequest::export_all_to(dir)?;
    trustlens_core::matrix::links::Link::export_all_to(dir)?;
    trustlens_core::matrix::report::MatrixGrid::export_all_to(dir)?;
    trustlens_core::matrix::report::Coverage::export_all_to(dir)?;
    trustlens_core::matrix::report::MatrixDiff::export_all_to(dir)?;
    crate::NoteView::export_all_to(dir)?;
    trustlens_core::notes::Note::export_all_to(dir)?;
    trustlens_core::notes::NewNote::export_all_to(dir)?;
    trustlens_core::notes::NoteEdit::export_all_to(dir)?;
    crate::ExportRequest::export_all_to(dir)?;
    trustlens_core::lineage::Lineage::export_all_to(dir)?;
    trustlens_core::terms::TermSheet::export_all_to(dir)?;
    trustlens_core::terms::TermsCompared::export_all_to(dir)?;
    crate::ImportInput::export_all_to(dir)?;
    trustlens_core::import::Candidate::export_all_to(dir)?;
    trustlens_core::import::ImportReport::export_all_to(dir)?;
    trustlens_core::import::Progress::export_all_to(dir)?;
    trustlens_watch::SourceView::export_all_to(dir)?;
    trustlens_watch::NewSource::export_all_to(dir)?;
    trustlens_watch::Source::export_all_to(dir)?;
    crate::WatchRunRequest::export_all_to(dir)?;
    crate::WatchOutcome::export_all_to(dir)?;
    // The command table last: it imports the types written above.
    let known: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".ts")
                .map(str::to_string)
        })
        .collect();
    std::fs::write(dir.join("Commands.ts"), crate::commands::typescript(&known))?;
    std::fs::write(dir.join("Conventions.ts"), crate::conventions::typescript())?;
    Ok(())
}
