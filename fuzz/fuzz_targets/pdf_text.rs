//! Any bytes, read as pdf text: a clear error or a document whose clauses
//! have stable, well-formed IDs — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustlens::ingest::{parse_document, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = parse_document("fuzz", data, Format::PdfText, "fuzz@2024-01-01") {
        for c in &doc.clauses {
            let id = c.id();
            assert!(id.starts_with("fuzz@2024-01-01/"), "{id}");
            // The ID reads back as the parts it was built from.
            let parts = (&*c.version, &*c.section_slug, c.ordinal);
            assert_eq!(trustlens::clause::split_id(&id), Some(parts), "{id}");
            assert!(c.has_id(&id) && c.key() == trustlens::clause::clause_key(&id));
            assert!(!c.text.trim().is_empty(), "an empty clause: {id}");
        }
    }
});
