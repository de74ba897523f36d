//! English stemming with a memory: each distinct word is stemmed once per
//! tokenizer rather than at every occurrence.
//!
//! Stemming was most of the time it takes to index a corpus, and the clause
//! text is analysed twice (its words, and its word pairs); a corpus uses a
//! few thousand distinct words millions of times. The stems are exactly
//! tantivy's English stemmer's: only the repetition is saved.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Most words remembered; past this the memory starts again (a corpus of
/// generated or garbled text must not grow it without bound).
const MAX_WORDS: usize = 100_000;

/// Stems words, remembering each word's stem.
#[derive(Clone)]
pub struct StemCache {
    stems: FxHashMap<String, String>,
    stemmer: TextAnalyzer,
}

impl Default for StemCache {
    fn default() -> Self {
        StemCache {
            stems: FxHashMap::default(),
            stemmer: super::stemmer(),
        }
    }
}

impl StemCache {
    /// The stem of `word` (lower-cased and folded already).
    pub fn stem(&mut self, word: &str) -> &str {
        if !self.stems.contains_key(word) {
            if self.stems.len() >= MAX_WORDS {
                self.stems.clear();
            }
            let stem = self
                .stemmer
                .token_stream(word)
                .next()
                .map_or_else(String::new, |t| t.text.clone());
            self.stems.insert(word.to_string(), stem);
        }
        &self.stems[word]
    }
}

/// The English stemmer as a token filter, with a [`StemCache`].
#[derive(Clone, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: StemCache::default(),
        }
    }
}

/// A tokenizer whose words are stemmed (see [`CachedStemmer`]).
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: StemCache,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
        }
    }
}

/// The stemmed words of one text.
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut StemCache,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stem = self.cache.stem(&token.text);
        if stem != token.text {
            token.text.clear();
            token.text.push_str(stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer};

    fn words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut s = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn remembered_stems_are_the_stemmers_own() {
        let text = "Encrypted keys are rotated; rotating keys daily keeps encrypted data safe. \
                    Generously generalised generalisations";
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(CachedStemmer)
            .build();
        let expected = words(&mut plain, text);
        // Twice: the second time every stem comes from the memory.
        assert_eq!(words(&mut cached, text), expected);
        assert_eq!(words(&mut cached, text), expected);
    }

    #[test]
    fn the_memory_starts_again_when_full() {
        let mut c = StemCache::default();
        for i in 0..MAX_WORDS + 10 {
            c.stem(&format!("word{i}s"));
        }
        assert!(c.stems.len() <= MAX_WORDS);
        assert_eq!(c.stem("rotating"), "rotat");
    }
}
