//! Any text as a search query over the bundled corpus: a hit list or a
//! `bad_query` error — never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trustlens::corpus::Corpus;
use trustlens::index::ClauseIndex;
use trustlens::search::{search, SearchRequest};

fn corpus_and_index() -> &'static (Corpus, ClauseIndex) {
    static ONCE: OnceLock<(Corpus, ClauseIndex)> = OnceLock::new();
    ONCE.get_or_init(|| {
        let corpus = Corpus::bundled().expect("bundled corpus");
        let index = ClauseIndex::in_memory(&corpus).expect("index");
        (corpus, index)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let (corpus, index) = corpus_and_index();
    let _ = search(
        corpus,
        index,
        &SearchRequest {
            query: query.to_string(),
            limit: Some(5),
            ..Default::default()
        },
    );
});
