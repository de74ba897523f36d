//! Any two texts (the input split at its first NUL) as two versions of a
//! document (Markdown or PDF text): alignment, redline and change cards
//! finish — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustlens::compare::compare;
use trustlens::corpus::Version;
use trustlens::ingest::Format;
use trustlens::lexicon::Lexicon;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (old, new) = text.split_once('\0').unwrap_or((text, ""));
    let format = if old.len() % 2 == 0 {
        Format::Markdown
    } else {
        Format::PdfText
    };
    let old = Version::from_text("fuzz", "Fuzz", "Fuzz", "2024-01-01", format, old);
    let new = Version::from_text("fuzz", "Fuzz", "Fuzz", "2024-06-01", format, new);
    let _ = compare(Lexicon::bundled(), &old, &new);
});
