//! What every parser's fuzz target asserts of a document it accepted
//! (shared by the markdown, pdf_text and html targets).

use trustlens::clause::{clause_key, split_id, Document};

/// The version ID the targets parse under.
pub const VERSION: &str = "fuzz@2024-01-01";

/// Parse `data` as `format`: a clear error, or a document whose clauses
/// have stable, well-formed IDs and text — never a panic.
pub fn check(data: &[u8], format: trustlens::ingest::Format) {
    if let Ok(doc) = trustlens::ingest::parse_document("fuzz", data, format, VERSION) {
        check_document(&doc);
    }
}

fn check_document(doc: &Document) {
    for c in &doc.clauses {
        let id = c.id();
        assert!(id.starts_with(&format!("{VERSION}/")), "{id}");
        // The ID reads back as the parts it was built from.
        let parts = (&*c.version, &*c.section_slug, c.ordinal);
        assert_eq!(split_id(&id), Some(parts), "{id}");
        assert!(c.has_id(&id) && c.key() == clause_key(&id));
        assert!(!c.text.trim().is_empty(), "an empty clause: {id}");
    }
}
