//! The core crate reads words without tantivy (`trustlens_core::text` and
//! `trustlens_core::words`, for alignment and anchors); these tests pin that
//! it reads them as the index does.

use tantivy::tokenizer::{SimpleTokenizer, TextAnalyzer};
use trustlens_core::text::word_runs;
use trustlens_core::words;

const TEXTS: [&str; 8] = [
    "EU-U.S. Privacy Shield, ISO/IEC 27001:2013 — “naïve” café ½ x²",
    "",
    "  ...  ",
    "über_straße 3rd-party e-mail",
    "ÀÉÎ—ö1२३ x\u{200b}y",
    "trailing word",
    "日本語のテキスト, 123",
    "Encrypted notifications, Résumé Ærø Łódź subprocessors' SOC 2 reporting",
];

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

#[test]
fn word_runs_are_the_index_tokenizer_s_words() {
    let mut simple = TextAnalyzer::from(SimpleTokenizer::default());
    for text in TEXTS {
        assert_eq!(
            word_runs(text).collect::<Vec<_>>(),
            tokens(&mut simple, text),
            "{text}"
        );
    }
}

#[test]
fn core_words_are_the_index_analyzer_s_stems() {
    let mut plain = crate::index::plain_analyzer();
    let mut stemmer = crate::index::stemmer();
    let core = words::Stemmer::default();
    let long = "x".repeat(words::LONGEST_WORD);
    for text in TEXTS.iter().copied().chain([long.as_str()]) {
        let expected: Vec<String> = tokens(&mut plain, text)
            .iter()
            .flat_map(|w| tokens(&mut stemmer, w))
            .collect();
        let ours: Vec<String> = word_runs(text)
            .filter_map(words::plain)
            .map(|w| core.stem(&w).into_owned())
            .collect();
        assert_eq!(ours, expected, "{text}");
    }
}
