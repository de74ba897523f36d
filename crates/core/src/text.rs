//! Small text helpers shared by ingest, index and citations.
//!
//! They are deliberately plain functions over `&str`: the same normalisation
//! must be applied when a clause is hashed at ingest time and when a reader
//! later verifies a citation, so there is exactly one definition of each.

use sha2::{Digest, Sha256};

/// `s` in Unicode normal form C, trimmed: "Cafe\u{301}" and "Caf\u{e9}" look
/// the same and are the same name.
pub fn name_nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.trim().nfc().collect()
}

/// Two names (of a vendor, a document) are the same when they read the
/// same: equal after NFC normalisation, whatever their case.
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (name_nfc(a), name_nfc(b));
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// Lower-case ASCII slug: letters and digits kept, every other run of
/// characters becomes one `-`. Non-ASCII letters are folded to their closest
/// ASCII form where that is obvious (é → e) and dropped otherwise, so IDs stay
/// typeable on any keyboard and safe in URLs and file names.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars() {
        let folded = fold_char(c);
        match folded {
            Some(c) if c.is_ascii_alphanumeric() => {
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(c.to_ascii_lowercase());
            }
            // Apostrophes join a word rather than split it: "Salesforce's" → "salesforces".
            _ if matches!(c, '\'' | '\u{2019}') => {}
            _ => pending_dash = true,
        }
    }
    // Keep IDs readable: very long headings are cut at a word boundary.
    if out.len() > 60 {
        let cut = out[..60].rfind('-').unwrap_or(60);
        out.truncate(cut);
    }
    out
}

fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c);
    }
    let folded = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ß' => 's',
        _ => return None,
    };
    Some(folded)
}

/// The canonical form of a clause's text used for hashing and comparison:
/// Unicode quotes and dashes mapped to ASCII, whitespace collapsed to single
/// spaces, trimmed. Case and punctuation are kept — they can carry meaning
/// in a contract ("shall" vs "Shall" does not, but "may not" vs "may, not" does).
pub fn normalise(s: &str) -> String {
    if s.is_ascii() {
        normalise_ascii(s)
    } else {
        normalise_chars(s)
    }
}

/// [`normalise`], one character at a time.
fn normalise_chars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
            '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => continue,
            c => c,
        };
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// [`normalise`] of ASCII text: whitespace runs become one space, copied a
/// run of words at a time (every clause of every version is normalised).
fn normalise_ascii(s: &str) -> String {
    // `char::is_whitespace` of ASCII: also the vertical tab, which
    // `u8::is_ascii_whitespace` leaves out.
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r');
    let mut out = String::with_capacity(s.len());
    for run in s.as_bytes().split(space).filter(|r| !r.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(std::str::from_utf8(run).expect("a run of ASCII is UTF-8"));
    }
    out
}

/// Hex-encoded SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256Digest::of(bytes).to_string()
}

/// A SHA-256 digest, shown and serialised as 64 lower-case hex digits.
///
/// A clause's digest is computed when it is cited or checked
/// ([`crate::clause::Clause::sha256`]), not held: 32 bytes each for a
/// million clauses cost more than computing the few that are asked for.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Digest([u8; 32]);

impl Sha256Digest {
    /// The digest of `bytes`.
    pub fn of(bytes: &[u8]) -> Sha256Digest {
        Sha256Digest(Sha256::digest(bytes).into())
    }

    /// Read 64 hex digits (either case).
    pub fn from_hex(hex: &str) -> Option<Sha256Digest> {
        let hex = hex.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let digit = |c: u8| (c as char).to_digit(16);
            *byte = (digit(pair[0])? << 4 | digit(pair[1])?) as u8;
        }
        Some(Sha256Digest(out))
    }
}

impl std::fmt::Display for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(self.0) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 0xf)];
        }
        f.write_str(std::str::from_utf8(&out).expect("hex digits are ASCII"))
    }
}

impl std::fmt::Debug for Sha256Digest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sha256Digest({self})")
    }
}

/// A digest equals its hex form (as stored with a note or in a citation).
impl PartialEq<str> for Sha256Digest {
    fn eq(&self, hex: &str) -> bool {
        Sha256Digest::from_hex(hex).is_some_and(|d| d == *self)
    }
}

impl PartialEq<String> for Sha256Digest {
    fn eq(&self, hex: &String) -> bool {
        *self == *hex.as_str()
    }
}

impl serde::Serialize for Sha256Digest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Sha256Digest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let hex = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Sha256Digest::from_hex(&hex)
            .ok_or_else(|| serde::de::Error::custom("not a SHA-256 digest (64 hex digits)"))
    }
}

/// The words of `text` as the search index's tokenizer splits them: each
/// maximal run of alphanumeric characters, as written (tantivy's
/// `SimpleTokenizer`, without its per-word allocation).
pub fn word_runs(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// True when `s` ends a sentence (or a list introduction): `.`, `!`, `?`,
/// `:` or `;`, optionally followed by closing quotes or brackets.
pub fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', ')', ']', '\u{201D}', '\u{2019}']);
    matches!(t.chars().last(), Some('.' | '!' | '?' | ':' | ';'))
}

/// Line numbers of byte offsets in one text, each found by binary search:
/// a manifest of ten thousand versions asks for seventy thousand of them,
/// and counting newlines from the start each time made reading it quadratic.
#[derive(Debug, Clone)]
pub struct Lines {
    /// Byte offset of every `\n`.
    newlines: Vec<usize>,
}

impl Lines {
    /// Index the line breaks of `text`.
    pub fn new(text: &str) -> Lines {
        Lines {
            newlines: newline_offsets(text),
        }
    }

    /// 1-based line number of byte offset `offset` (the last line past the end).
    pub fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }
}

fn newline_offsets(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// 1-based line number of byte offset `offset` in `text` (for one lookup;
/// use [`Lines`] for many).
pub fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Escape Markdown's special characters in document text, so that it reads
/// as written (no emphasis, links or HTML made out of it).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape text for HTML element content and attribute values.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_normalisation_is_the_character_by_character_one() {
        // Every ASCII character, whitespace of every kind, runs and ends.
        let all: String = (0u8..128).map(char::from).collect();
        for s in [
            all.as_str(),
            "",
            " ",
            "\x0B\x0C\r\n\t a \x0B b\x1C c  ",
            "already normal",
            "  lead and trail  ",
        ] {
            assert_eq!(normalise_ascii(s), normalise_chars(s), "{s:?}");
        }
    }

    #[test]
    fn sha256_hex_is_lower_case_hex() {
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(b"abc"), abc);
        let d = Sha256Digest::of(b"abc");
        assert_eq!(d.to_string(), abc);
        assert_eq!(Sha256Digest::from_hex(&abc.to_uppercase()), Some(d));
        let stored: String = abc.into();
        assert!(d == *abc && d == stored && d != *"ba78");
        assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{abc}\""));
        assert_eq!(
            serde_json::from_str::<Sha256Digest>(&format!("\"{abc}\"")).unwrap(),
            d
        );
        for bad in ["", "zz", &"g".repeat(64), &"é".repeat(32)] {
            assert_eq!(Sha256Digest::from_hex(bad), None, "{bad}");
            assert!(serde_json::from_str::<Sha256Digest>(&format!("\"{bad}\"")).is_err());
        }
    }

    #[test]
    fn names_that_read_the_same_are_the_same() {
        assert!(same_name("Caf\u{e9}", "Cafe\u{301}"));
        assert!(same_name(" ACME corp", "Acme Corp "));
        assert!(same_name("\u{c9}COLE", "e\u{301}cole"));
        assert!(!same_name("Cafe", "Caf\u{e9}"));
        assert_eq!(name_nfc(" Cafe\u{301} "), "Caf\u{e9}");
    }

    #[test]
    fn slugify_keeps_words_and_folds_accents() {
        assert_eq!(
            slugify("Salesforce’s Corporate Trust Commitment"),
            "salesforces-corporate-trust-commitment"
        );
        assert_eq!(
            slugify("ASIP Santé certification"),
            "asip-sante-certification"
        );
        assert_eq!(slugify("  --  "), "");
        assert_eq!(slugify("EU/US Safe-Harbor"), "eu-us-safe-harbor");
    }

    #[test]
    fn slugify_cuts_long_headings_at_a_word() {
        let s = slugify(&"word ".repeat(40));
        assert!(s.len() <= 60 && !s.ends_with('-'), "{s}");
    }

    #[test]
    fn normalise_maps_typography_and_whitespace() {
        assert_eq!(
            normalise("  “Heroku\u{00A0}Services”  –\n x\u{00AD}y "),
            "\"Heroku Services\" - xy"
        );
    }

    #[test]
    fn sha256_of_empty_is_the_known_constant() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("data centers."));
        assert!(ends_sentence("searching under “Salesforce.”"));
        assert!(ends_sentence("These controls include:"));
        assert!(!ends_sentence("Salesforce may"));
    }

    #[test]
    fn line_numbers_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        let lines = Lines::new("a\nb\nc");
        for offset in [0, 1, 2, 3, 4, 5, 99] {
            assert_eq!(lines.line(offset), line_of("a\nb\nc", offset), "{offset}");
        }
    }
}
