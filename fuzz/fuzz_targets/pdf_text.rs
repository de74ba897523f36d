//! Any bytes, read as pdf text: a clear error or a document whose clauses
//! have stable, well-formed IDs — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustlens::ingest::{parse_document, Format};

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = parse_document("fuzz", data, Format::PdfText, "fuzz@2024-01-01") {
        for c in &doc.clauses {
            assert!(c.id.starts_with("fuzz@2024-01-01/"), "{}", c.id);
            assert!(!c.text.trim().is_empty(), "an empty clause: {}", c.id);
        }
    }
});
