//! Words as the search index sees them, for code that compares texts
//! without the index: lower-cased, folded to ASCII, stemmed (English).
//!
//! The alignment of two versions scores clauses by their shared stems. It
//! must agree with search on what a word is, but it must not need the
//! search engine, so the same steps are done here with the same Snowball
//! stemmer tantivy uses (`frostem`). `trustlens-search` checks that the two
//! agree on a list of words.

use std::borrow::Cow;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words this long or longer (in bytes, as written) are dropped, like the
/// index's `RemoveLongFilter::limit(40)`: they are hashes, URLs and glued
/// text, not words a reader compares.
pub const LONGEST_WORD: usize = 40;

/// An English stemmer over folded, lower-cased words.
#[derive(Clone, Copy)]
pub struct Stemmer(frostem::Stemmer);

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer(frostem::Stemmer::new(frostem::Algorithm::English))
    }
}

impl Stemmer {
    /// The stem of `word` (already [`plain`]).
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        self.0.stem(word)
    }
}

/// One word as written (a run of alphanumeric characters, as
/// [`crate::text::word_runs`] gives) made plain: lower-cased and folded to
/// ASCII. `None` for a word too long to be one.
pub fn plain(written: &str) -> Option<String> {
    if written.is_empty() || written.len() >= LONGEST_WORD {
        return None;
    }
    if written.is_ascii() {
        return Some(written.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(written.len());
    for c in written.to_lowercase().chars() {
        if c.is_ascii() {
            out.push(c);
        } else if let Some(s) = fold(c) {
            out.push_str(s);
        } else {
            // A letter with marks (é), or a compatibility form (², ﬁ):
            // spelled in ASCII when its decomposition is; kept otherwise (½
            // decomposes to a fraction slash, 日 to itself).
            let ascii: String = c.nfkd().filter(|d| !is_combining_mark(*d)).collect();
            if !ascii.is_empty() && ascii.chars().all(|d| d.is_ascii_alphanumeric()) {
                out.push_str(&ascii);
            } else {
                out.push(c);
            }
        }
    }
    Some(out)
}

/// Letters that do not decompose into an ASCII letter and a mark but that
/// ASCII folding still spells in ASCII.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_folded_and_stemmed() {
        let stemmer = Stemmer::default();
        assert_eq!(plain("Encrypted").as_deref(), Some("encrypted"));
        assert_eq!(plain("Résumé").as_deref(), Some("resume"));
        assert_eq!(plain("Straße").as_deref(), Some("strasse"));
        assert_eq!(plain(&"x".repeat(40)), None);
        assert_eq!(plain(&"x".repeat(39)).map(|w| w.len()), Some(39));
        assert_eq!(stemmer.stem("encrypted"), "encrypt");
        assert_eq!(stemmer.stem("notifications"), "notif");
    }
}
