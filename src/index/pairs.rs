//! Word pairs: phrases looked up instead of checked word by word.
//!
//! A phrase query over the clause text reads the positions of each of its
//! words in every clause holding all of them, and on a large corpus a
//! common phrase ("payment card data") holds tens of thousands of such
//! clauses. The index therefore also has each pair of adjacent words of a
//! clause as one term (`pairs` field, positions kept): a two-word phrase is
//! then one term, counted without reading a position and ranked skipping
//! whole blocks, and a longer phrase is a phrase of pairs, whose terms are
//! far rarer than its words. The two give the same matches: words at
//! positions p, p+1, …, p+n−1 are exactly pairs at positions p, …, p+n−2.

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name of the pairs analyzer in the index.
pub const PAIRS_ANALYZER: &str = "trustlens_en_pairs";

/// The term of two adjacent analysed words (stems hold no space, so the
/// pair cannot be read two ways).
pub fn pair(first: &str, second: &str) -> String {
    let mut s = String::with_capacity(first.len() + 1 + second.len());
    s.push_str(first);
    s.push(' ');
    s.push_str(second);
    s
}

/// The pair terms of a phrase's analysed words, given with their positions:
/// `None` unless there are at least two words and no gap between them (a
/// word too long to index leaves one), where only the word-by-word phrase
/// says the same.
pub fn phrase_pairs(words: &[(usize, String)]) -> Option<Vec<String>> {
    if words.len() < 2 || words.windows(2).any(|w| w[1].0 != w[0].0 + 1) {
        return None;
    }
    Some(words.windows(2).map(|w| pair(&w[0].1, &w[1].1)).collect())
}

/// Tokenizes text into the pairs of adjacent words of an analyzer.
#[derive(Clone)]
pub struct PairTokenizer {
    words: TextAnalyzer,
    tokens: Vec<Token>,
}

impl PairTokenizer {
    /// Pairs of the words `words` gives.
    pub fn new(words: TextAnalyzer) -> PairTokenizer {
        PairTokenizer {
            words,
            tokens: Vec::new(),
        }
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = PairStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PairStream<'a> {
        self.tokens.clear();
        let mut words = self.words.token_stream(text);
        let mut previous: Option<Token> = None;
        while let Some(t) = words.next() {
            if let Some(p) = &previous {
                if t.position == p.position + 1 {
                    self.tokens.push(Token {
                        offset_from: p.offset_from,
                        offset_to: t.offset_to,
                        position: p.position,
                        text: pair(&p.text, &t.text),
                        position_length: 1,
                    });
                }
            }
            match &mut previous {
                Some(p) => p.clone_from(t),
                None => previous = Some(t.clone()),
            }
        }
        drop(words);
        PairStream {
            tokens: &mut self.tokens,
            next: 0,
            none: Token::default(),
        }
    }
}

/// The pairs of one text.
pub struct PairStream<'a> {
    tokens: &'a mut [Token],
    /// One past the current token (0 before the first).
    next: usize,
    /// What `token` gives before the first `advance` (tantivy never asks,
    /// but a stream must answer rather than panic).
    none: Token,
}

impl TokenStream for PairStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        match self.next.checked_sub(1) {
            Some(i) => &self.tokens[i],
            None => &self.none,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.next.checked_sub(1) {
            Some(i) => &mut self.tokens[i],
            None => &mut self.none,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(usize, String)> {
        let mut t = PairTokenizer::new(super::super::analyzer());
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while let Some(tok) = s.next() {
            out.push((tok.position, tok.text.clone()));
        }
        out
    }

    #[test]
    fn adjacent_analysed_words_pair_up_and_a_dropped_word_breaks_the_chain() {
        assert_eq!(
            pairs("Payment card data, encrypted."),
            [
                (0, "payment card".to_string()),
                (1, "card data".to_string()),
                (2, "data encrypt".to_string())
            ]
        );
        // A word over 40 characters is not indexed: no pair spans it.
        let long = "x".repeat(41);
        assert_eq!(
            pairs(&format!("keys {long} rotate daily")),
            [(2, "rotat daili".to_string())]
        );
        assert!(pairs("one").is_empty());
        assert!(pairs("").is_empty());
        // Asked before it advanced, or with nothing to give, a stream
        // answers an empty token rather than panic.
        let mut t = PairTokenizer::new(super::super::analyzer());
        let mut s = t.token_stream("");
        assert_eq!(s.token().text, "");
        assert!(!s.advance());
        assert_eq!(s.token_mut().text, "");
    }

    #[test]
    fn a_phrase_becomes_pairs_only_without_gaps() {
        let w = |v: &[(usize, &str)]| {
            v.iter()
                .map(|(p, s)| (*p, s.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            phrase_pairs(&w(&[(0, "a"), (1, "b"), (2, "c")])),
            Some(vec!["a b".to_string(), "b c".to_string()])
        );
        assert_eq!(phrase_pairs(&w(&[(0, "a"), (2, "c")])), None);
        assert_eq!(phrase_pairs(&w(&[(0, "a")])), None);
    }
}
