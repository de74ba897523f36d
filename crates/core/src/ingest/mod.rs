//! Ingest: bytes of a source file → [`Block`]s → a [`Document`] of clauses.
//!
//! [`decode`] guards the door (size, binary content, UTF-8, BOM, line
//! endings); [`markdown`] and [`pdf_text`] each turn text into blocks; and
//! [`parse_document`] ties them together. Every failure is an [`IngestError`]
//! naming the file and the problem — never a panic.

pub mod html;
pub mod markdown;
pub mod ocr;
pub mod pdf;
pub mod pdf_text;
mod tool;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clause::{build_document, Block, Document};

/// Source files larger than this are refused. Trust documents are a few
/// hundred kilobytes; anything this large is a mistake or an attack, and
/// refusing it keeps the app responsive.
pub const MAX_SOURCE_BYTES: usize = 20 * 1024 * 1024;

/// The formats trustlens can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// CommonMark with tables and footnotes.
    Markdown,
    /// Plain text extracted from a PDF (page footers, wrapped lines, hyphenation).
    PdfText,
    /// A PDF file (its text is extracted page by page, then cleaned up like `PdfText`).
    Pdf,
    /// A saved HTML page (main content only).
    Html,
}

impl Format {
    /// Every format with its manifest name.
    pub const ALL: [(Format, &'static str); 4] = [
        (Format::Markdown, "markdown"),
        (Format::PdfText, "pdf-text"),
        (Format::Pdf, "pdf"),
        (Format::Html, "html"),
    ];

    /// The name used in manifests and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::PdfText => "pdf-text",
            Format::Pdf => "pdf",
            Format::Html => "html",
        }
    }

    /// Guess a format from a file name: `.md`/`.markdown` is Markdown,
    /// `.pdf` a PDF, `.html`/`.htm`/`.xhtml` HTML; anything else is treated
    /// as text extracted from a PDF.
    pub fn from_path(path: &std::path::Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown" | "mdown") => Format::Markdown,
            Some("pdf") => Format::Pdf,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::PdfText,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "pdf-text" | "pdftext" | "pdf_text" | "text" | "txt" => Ok(Format::PdfText),
            "pdf" => Ok(Format::Pdf),
            "html" | "htm" => Ok(Format::Html),
            other => Err(format!(
                "unknown format \"{other}\" (known: markdown, pdf-text, pdf, html)"
            )),
        }
    }
}

/// Why a source file could not be read as a document.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    /// The file has no bytes at all.
    #[error("{file}: the file is empty")]
    Empty {
        /// File name as given.
        file: String,
    },
    /// The file is larger than [`MAX_SOURCE_BYTES`].
    #[error("{file}: the file is {size} bytes, more than the {limit}-byte limit for one document")]
    TooLarge {
        /// File name as given.
        file: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The path is a pipe, a device, a socket or a folder: only regular
    /// files are read (a FIFO would block, `/dev/zero` never ends).
    #[error("{file}: {kind}, not a regular file: name a document file")]
    NotRegular {
        /// File name as given.
        file: String,
        /// What it is, in words.
        kind: &'static str,
    },
    /// The file could not be read.
    #[error("{file}: {message}")]
    Unreadable {
        /// File name as given.
        file: String,
        /// The operating system's error, in words.
        message: String,
    },
    /// The file holds NUL bytes: it is binary (perhaps a PDF not yet converted to text).
    #[error("{file}: this is a binary file, not text (NUL byte at offset {offset}){hint}")]
    Binary {
        /// File name as given.
        file: String,
        /// Byte offset of the first NUL.
        offset: usize,
        /// Extra advice, e.g. for a PDF.
        hint: String,
    },
    /// The bytes are not valid UTF-8.
    #[error("{file}: line {line}, column {column}: not valid UTF-8 text (byte offset {offset})")]
    InvalidUtf8 {
        /// File name as given.
        file: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in bytes) of the first bad byte.
        column: usize,
        /// Byte offset of the first bad byte.
        offset: usize,
    },
    /// A UTF-16 file (it starts with a byte-order mark) holds a broken
    /// character.
    #[error("{file}: line {line}, column {column}: not valid UTF-16 text (byte offset {offset})")]
    InvalidUtf16 {
        /// File name as given.
        file: String,
        /// 1-based line of the bad character.
        line: usize,
        /// 1-based column (in UTF-8 bytes of the text before it).
        column: usize,
        /// Byte offset in the file.
        offset: usize,
    },
    /// A PDF could not be read, or holds no text.
    #[error("{file}: {message}")]
    Pdf {
        /// File name as given.
        file: String,
        /// What is wrong, in words.
        message: String,
    },
    /// An HTML page nests elements deeper than any real page does.
    #[error("{file}: elements are nested {depth} deep (more than {limit}): this is not a page trustlens can read safely")]
    TooDeep {
        /// File name as given.
        file: String,
        /// How deep the nesting goes (at least).
        depth: usize,
        /// The most that is read.
        limit: usize,
    },
}

/// The bytes of a source file: a regular file of at most
/// [`MAX_SOURCE_BYTES`], refused at once otherwise (a FIFO, a device, a file
/// still growing past the limit).
pub fn read_source(path: &std::path::Path) -> Result<Vec<u8>, IngestError> {
    use crate::files::ReadError;
    let file = path.display().to_string();
    crate::files::read_regular(path, MAX_SOURCE_BYTES).map_err(|e| match e {
        ReadError::NotRegular { kind } => IngestError::NotRegular { file, kind },
        ReadError::TooLarge { limit } => IngestError::TooLarge {
            file,
            size: limit + 1,
            limit,
        },
        ReadError::Io(e) => IngestError::Unreadable {
            file,
            message: e.to_string(),
        },
    })
}

/// Text in UTF-16 with a byte-order mark (what Windows tools often save as
/// "Unicode"), decoded; `None` for anything else. Malformed surrogates are
/// an error at their offset.
fn decode_utf16(file: &str, bytes: &[u8]) -> Option<Result<String, IngestError>> {
    let big_endian = match bytes {
        [0xFF, 0xFE, ..] => false,
        [0xFE, 0xFF, ..] => true,
        _ => return None,
    };
    let body = &bytes[2..];
    let units = body.chunks_exact(2).map(|c| match big_endian {
        false => u16::from_le_bytes([c[0], c[1]]),
        true => u16::from_be_bytes([c[0], c[1]]),
    });
    let mut text = String::with_capacity(body.len() / 2);
    // The file offset of the next code unit.
    let mut offset = 2;
    let odd_end = (body.len() % 2 == 1).then_some(Err(()));
    for c in char::decode_utf16(units)
        .map(|c| c.map_err(|_| ()))
        .chain(odd_end)
    {
        match c {
            Ok(c) => {
                text.push(c);
                offset += 2 * c.len_utf16();
            }
            Err(()) => {
                let line = text.matches('\n').count() + 1;
                let column = text.len() - text.rfind('\n').map_or(0, |p| p + 1) + 1;
                return Some(Err(IngestError::InvalidUtf16 {
                    file: file.into(),
                    line,
                    column,
                    offset,
                }));
            }
        }
    }
    Some(Ok(text))
}

/// Check and decode a source file's bytes into text: refuses empty, huge,
/// binary and non-UTF-8 input; strips a BOM; turns CRLF/CR into LF.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(IngestError::TooLarge {
            file: file.into(),
            size: bytes.len(),
            limit: MAX_SOURCE_BYTES,
        });
    }
    if let Some(text) = decode_utf16(file, bytes) {
        let text = text?;
        if let Some(offset) = text.find('\0') {
            return Err(IngestError::Binary {
                file: file.into(),
                offset,
                hint: String::new(),
            });
        }
        return Ok(normalise_line_ends(&text));
    }
    if let Some(offset) = memchr::memchr(0, bytes) {
        let hint = if bytes.starts_with(b"%PDF") {
            "; it looks like a PDF: extract its text first (e.g. `pdftotext -layout`)".to_string()
        } else {
            String::new()
        };
        return Err(IngestError::Binary {
            file: file.into(),
            offset,
            hint,
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.valid_up_to();
            let before = &bytes[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = offset
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            return Err(IngestError::InvalidUtf8 {
                file: file.into(),
                line,
                column,
                offset,
            });
        }
    };
    Ok(normalise_line_ends(text))
}

/// Without a leading BOM, and with CRLF and CR turned into LF.
fn normalise_line_ends(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Parse decoded text into blocks with the parser for `format`.
pub fn parse_blocks(format: Format, text: &str) -> Vec<Block> {
    match format {
        Format::Markdown => markdown::parse(text),
        Format::PdfText | Format::Pdf => pdf_text::parse(text),
        Format::Html => html::parse(text),
    }
}

/// A PDF's clauses from its recorded pages: clauses on pages read by OCR
/// carry that page's confidence (the lowest, when they span several).
pub fn document_from_pages(version_id: &str, pages: &pdf::PdfPages) -> Document {
    let mut doc = build_document(version_id, &pdf_text::parse(&pages.text()));
    let confidence = |page: u32| {
        let p = pages.pages.get((page as usize).checked_sub(1)?)?;
        (p.source == ocr::PageSource::Ocr).then(|| p.confidence.unwrap_or(0))
    };
    for clause in &mut doc.clauses {
        clause.ocr = clause.pages.iter().filter_map(|&p| confidence(p)).min();
    }
    doc
}

/// Read a PDF's pages (with OCR as `mode` says) and split them into clauses.
pub fn parse_pdf(
    file: &str,
    bytes: &[u8],
    version_id: &str,
    mode: ocr::OcrMode,
    progress: &mut dyn FnMut(pdf::OcrProgress),
) -> Result<(Document, pdf::PdfPages), IngestError> {
    let pages = pdf::read_pages(file, bytes, mode, progress)?;
    Ok((document_from_pages(version_id, &pages), pages))
}

/// Decode, parse and split a source file into a [`Document`] of clauses
/// (a PDF without OCR: see [`parse_pdf`]).
pub fn parse_document(
    file: &str,
    bytes: &[u8],
    format: Format,
    version_id: &str,
) -> Result<Document, IngestError> {
    let text = match format {
        Format::Pdf => pdf::extract(file, bytes)?,
        _ => decode(file, bytes)?,
    };
    if format == Format::Html {
        // HTML parsers slow down sharply on pathological nesting (a tree
        // builder rescans its stack of open elements): refuse it up front.
        let depth = html::nesting_depth(&text);
        if depth > html::MAX_NESTING {
            return Err(IngestError::TooDeep {
                file: file.into(),
                depth,
                limit: html::MAX_NESTING,
            });
        }
    }
    Ok(build_document(version_id, &parse_blocks(format, &text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_empty_binary_and_bad_utf8_with_file_and_place() {
        assert_eq!(
            decode("a.md", b"").unwrap_err().to_string(),
            "a.md: the file is empty"
        );
        let e = decode("x.txt", b"%PDF-1.7\n\0\x01")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("x.txt") && e.contains("binary") && e.contains("PDF"),
            "{e}"
        );
        let e = decode("u.txt", b"line one\nli\xffne").unwrap_err();
        assert_eq!(
            e,
            IngestError::InvalidUtf8 {
                file: "u.txt".into(),
                line: 2,
                column: 3,
                offset: 11
            }
        );
    }

    #[test]
    fn utf16_with_a_bom_is_decoded_either_way_round() {
        let text = "# Acme\r\n\r\nWe encrypt data \u{2014} caf\u{e9}.\r\n";
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let want = "# Acme\n\nWe encrypt data \u{2014} caf\u{e9}.\n";
        assert_eq!(decode("le.md", &le).unwrap(), want);
        assert_eq!(decode("be.md", &be).unwrap(), want);
        // A lone surrogate is an error that says where.
        let mut bad = le.clone();
        bad.extend_from_slice(&[0x00, 0xD8, 0x41, 0x00]);
        let e = decode("bad.md", &bad).unwrap_err().to_string();
        assert!(
            e.contains("bad.md") && e.contains("UTF-16") && e.contains("line 4"),
            "{e}"
        );
        // A character outside the BMP (a surrogate pair) counts two units.
        let emoji: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("\u{1F510}x".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode("e.md", &emoji).unwrap(), "\u{1F510}x");
        let mut lone = emoji[..4].to_vec(); // the high half alone
        lone.extend_from_slice(&[0x41, 0x00]);
        let e = decode("l.md", &lone).unwrap_err().to_string();
        assert!(e.contains("byte offset 2"), "{e}");
        // An odd last byte is a truncated file, not a character.
        let mut odd = emoji.clone();
        odd.push(0x3D);
        let e = decode("o.md", &odd).unwrap_err().to_string();
        assert!(e.contains("byte offset 8"), "{e}");
    }

    #[test]
    fn decode_strips_bom_and_normalises_line_endings() {
        assert_eq!(
            decode("a", "\u{FEFF}a\r\nb\rc".as_bytes()).unwrap(),
            "a\nb\nc"
        );
    }

    #[test]
    fn decode_refuses_oversized_files() {
        let big = vec![b'a'; MAX_SOURCE_BYTES + 1];
        assert!(matches!(
            decode("big.md", &big),
            Err(IngestError::TooLarge { .. })
        ));
    }

    #[test]
    fn formats_parse_from_names_and_paths() {
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("pdf-text".parse::<Format>(), Ok(Format::PdfText));
        assert!("docx"
            .parse::<Format>()
            .unwrap_err()
            .contains("unknown format \"docx\""));
        assert_eq!(
            Format::from_path(std::path::Path::new("a/b.MD")),
            Format::Markdown
        );
        assert_eq!(
            Format::from_path(std::path::Path::new("a/b.txt")),
            Format::PdfText
        );
    }
}
