//! Any bytes, read as markdown: a clear error or a document whose clauses
//! have stable, well-formed IDs — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trustlens::ingest::Format;

mod well_formed;

fuzz_target!(|data: &[u8]| well_formed::check(data, Format::Markdown));
