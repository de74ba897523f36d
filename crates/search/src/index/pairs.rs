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

/// Tokens kept for reuse: each call fills the first `len`, overwriting
/// the texts of earlier calls' tokens in place, so that analysing a
/// million clauses does not allocate a string per word.
#[derive(Clone, Default)]
struct Buffer {
    tokens: Vec<Token>,
    len: usize,
}

impl Buffer {
    fn clear(&mut self) {
        self.len = 0;
    }

    /// Append a token: its fields, and its text from `text`.
    fn push(&mut self, like: &Token, text: impl FnOnce(&mut String)) {
        if self.len == self.tokens.len() {
            self.tokens.push(Token::default());
        }
        let t = &mut self.tokens[self.len];
        t.offset_from = like.offset_from;
        t.offset_to = like.offset_to;
        t.position = like.position;
        t.position_length = like.position_length;
        t.text.clear();
        text(&mut t.text);
        self.len += 1;
    }

    fn copy_from(&mut self, other: &Buffer) {
        self.clear();
        for t in other.tokens() {
            self.push(t, |s| s.push_str(&t.text));
        }
    }

    fn tokens(&self) -> &[Token] {
        &self.tokens[..self.len]
    }

    fn stream(&mut self) -> BufferStream<'_> {
        BufferStream {
            tokens: &mut self.tokens[..self.len],
            next: 0,
            none: Token::default(),
        }
    }
}

/// The words of the text the word analyzer of this thread analysed last
/// (see [`RecordingAnalyzer`]).
#[derive(Default)]
struct Recorded {
    text: String,
    words: Buffer,
}

thread_local! {
    static LAST: std::cell::RefCell<Recorded> = std::cell::RefCell::new(Recorded::default());
}

/// The index's word analyzer, which also remembers, per thread, the words
/// of the last text it analysed: tantivy indexes a clause's fields one after
/// the other on one thread, the text before its pairs, and
/// [`PairTokenizer`] then builds the pairs from those words instead of
/// analysing the same text a second time (a tenth of building an index).
/// Should the last text be another one, the pairs are analysed afresh.
/// It must wrap the analyzer its field's [`PairTokenizer`] wraps (both are
/// registered by one function, `index::register_analyzers`).
#[derive(Clone)]
pub struct RecordingAnalyzer {
    words: TextAnalyzer,
    buffer: Buffer,
}

impl RecordingAnalyzer {
    /// Record what `words` gives.
    pub fn new(words: TextAnalyzer) -> RecordingAnalyzer {
        RecordingAnalyzer {
            words,
            buffer: Buffer::default(),
        }
    }
}

impl Tokenizer for RecordingAnalyzer {
    type TokenStream<'a> = BufferStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferStream<'a> {
        self.buffer.clear();
        let mut words = self.words.token_stream(text);
        while let Some(t) = words.next() {
            self.buffer.push(t, |s| s.push_str(&t.text));
        }
        drop(words);
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            last.text.clear();
            last.text.push_str(text);
            last.words.copy_from(&self.buffer);
        });
        self.buffer.stream()
    }
}

/// Tokenizes text into the pairs of adjacent words of an analyzer.
#[derive(Clone)]
pub struct PairTokenizer {
    words: TextAnalyzer,
    /// The words of a text not just recorded.
    analysed: Buffer,
    pairs: Buffer,
}

impl PairTokenizer {
    /// Pairs of the words `words` gives.
    pub fn new(words: TextAnalyzer) -> PairTokenizer {
        PairTokenizer {
            words,
            analysed: Buffer::default(),
            pairs: Buffer::default(),
        }
    }
}

/// The pairs of adjacent `words` into `pairs`.
fn pair_up(words: &[Token], pairs: &mut Buffer) {
    pairs.clear();
    for w in words.windows(2) {
        let (p, t) = (&w[0], &w[1]);
        if t.position == p.position + 1 {
            let like = Token {
                offset_from: p.offset_from,
                offset_to: t.offset_to,
                position: p.position,
                position_length: 1,
                text: String::new(),
            };
            pairs.push(&like, |s| {
                s.push_str(&p.text);
                s.push(' ');
                s.push_str(&t.text);
            });
        }
    }
}

impl Tokenizer for PairTokenizer {
    type TokenStream<'a> = BufferStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufferStream<'a> {
        let recorded = LAST.with(|last| {
            let last = last.borrow();
            let same = last.text == text;
            if same {
                pair_up(last.words.tokens(), &mut self.pairs);
            }
            same
        });
        if !recorded {
            self.analysed.clear();
            let mut words = self.words.token_stream(text);
            while let Some(t) = words.next() {
                self.analysed.push(t, |s| s.push_str(&t.text));
            }
            drop(words);
            pair_up(self.analysed.tokens(), &mut self.pairs);
        }
        self.pairs.stream()
    }
}

/// The tokens of one text, from a [`Buffer`].
pub struct BufferStream<'a> {
    tokens: &'a mut [Token],
    /// One past the current token (0 before the first).
    next: usize,
    /// What `token` gives before the first `advance` (tantivy never asks,
    /// but a stream must answer rather than panic).
    none: Token,
}

impl TokenStream for BufferStream<'_> {
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

    /// The pairs built from the words the analyzer recorded are the pairs
    /// of analysing the text afresh; another text is analysed afresh.
    #[test]
    fn pairs_from_recorded_words_are_the_pairs_of_the_text() {
        let texts = [
            "Payment card data, encrypted.",
            "keys xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx rotate daily",
            "",
            "one",
            "Kunden-Daten werden verschlüsselt, à la carte",
        ];
        let mut recording = RecordingAnalyzer::new(super::super::analyzer());
        let mut paired = PairTokenizer::new(super::super::analyzer());
        let collect = |s: &mut dyn TokenStream| {
            let mut out = Vec::new();
            while s.advance() {
                let t = s.token();
                out.push((t.position, t.offset_from, t.offset_to, t.text.clone()));
            }
            out
        };
        for text in texts {
            let fresh = collect(&mut paired.token_stream(text));
            // The word analyzer runs first, as it does when indexing.
            let words = collect(&mut recording.token_stream(text));
            let mut plain = super::super::analyzer();
            assert_eq!(words, collect(&mut plain.token_stream(text)), "{text}");
            let from_recorded = collect(&mut paired.token_stream(text));
            assert_eq!(from_recorded, fresh, "{text}");
            // Recorded words of another text are not used.
            let _ = collect(&mut recording.token_stream("something else entirely"));
            assert_eq!(collect(&mut paired.token_stream(text)), fresh, "{text}");
        }
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
