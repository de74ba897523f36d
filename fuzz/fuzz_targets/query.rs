//! Any text as a search query over the bundled corpus: a hit list or a
//! `bad_query` error — never a panic. The hits asked for alone (the app's
//! first call, which ranks some queries differently) are the whole
//! search's hits.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trustlens::corpus::Corpus;
use trustlens::index::ClauseIndex;
use trustlens::search::{search, search_parts, SearchParts, SearchRequest};

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
    let req = SearchRequest {
        query: query.to_string(),
        limit: Some(5),
        ..Default::default()
    };
    let whole = search(corpus, index, &req);
    let alone = search_parts(corpus, index, &req, None, None, SearchParts::Hits).map(|(r, _)| r);
    match (whole, alone) {
        (Ok(whole), Ok(alone)) => {
            assert_eq!(alone.hits, whole.hits, "{query:?}");
            if alone.total_exact {
                assert_eq!(alone.total, whole.total, "{query:?}");
            } else {
                assert!(alone.hits.len() as u32 <= alone.total && alone.total <= whole.total);
            }
        }
        (Err(_), Err(_)) => {}
        (whole, alone) => panic!(
            "{query:?}: the whole search and its hits alone disagree: {:?} / {:?}",
            whole.map(|r| r.total),
            alone.map(|r| r.total)
        ),
    }
});
