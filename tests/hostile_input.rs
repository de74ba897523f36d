//! Hostile and broken input to every parser: a clear error or an empty
//! result, never a panic (and never unbounded work).

use trustlens::ingest::{parse_document, Format, IngestError, MAX_SOURCE_BYTES};

const FORMATS: [Format; 2] = [Format::Markdown, Format::PdfText];

fn parse(bytes: &[u8], format: Format) -> Result<trustlens::clause::Document, IngestError> {
    parse_document("hostile.txt", bytes, format, "t@2024-01-01")
}

#[test]
fn empty_file_is_a_clear_error() {
    for f in FORMATS {
        assert_eq!(
            parse(b"", f).unwrap_err().to_string(),
            "hostile.txt: the file is empty"
        );
    }
}

#[test]
fn whitespace_only_file_gives_no_clauses() {
    for f in FORMATS {
        assert!(parse(b" \n\n\t\r\n", f).unwrap().clauses.is_empty());
    }
}

#[test]
fn binary_file_is_a_clear_error() {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    for f in FORMATS {
        let e = parse(&bytes, f).unwrap_err().to_string();
        assert!(e.starts_with("hostile.txt: this is a binary file"), "{e}");
    }
}

#[test]
fn invalid_utf8_names_line_and_column() {
    for f in FORMATS {
        let e = parse(b"# Title\n\nLatin-1 caf\xe9 text\n", f).unwrap_err();
        assert_eq!(
            e,
            IngestError::InvalidUtf8 {
                file: "hostile.txt".into(),
                line: 3,
                column: 12,
                offset: 20
            }
        );
    }
}

#[test]
fn a_50_mb_file_is_refused_with_its_size() {
    let big = "All customer data is encrypted at rest. ".repeat(50 * 1024 * 1024 / 40 + 1);
    assert!(big.len() > 50 * 1024 * 1024);
    for f in FORMATS {
        match parse(big.as_bytes(), f) {
            Err(IngestError::TooLarge { size, limit, .. }) => {
                assert!(size > limit && limit == MAX_SOURCE_BYTES)
            }
            other => panic!(
                "expected TooLarge, got {:?}",
                other.map(|d| d.clauses.len())
            ),
        }
    }
}

#[test]
fn a_file_just_under_the_limit_parses() {
    let para = "All customer data is encrypted at rest with keys rotated yearly.\n\n";
    let text = para.repeat((MAX_SOURCE_BYTES - 1024) / para.len());
    let doc = parse(text.as_bytes(), Format::Markdown).unwrap();
    assert_eq!(doc.clauses.len(), text.len() / para.len());
}

#[test]
fn ten_thousand_nested_list_levels() {
    let nested = format!("{}deep item\n", "- ".repeat(10_000));
    let doc = parse(nested.as_bytes(), Format::Markdown).unwrap();
    assert!(doc.clauses.len() <= 1, "{}", doc.clauses.len());
    let indented: String = (0..10_000)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i % 400)))
        .collect();
    let doc = parse(indented.as_bytes(), Format::Markdown).unwrap();
    assert!(!doc.clauses.is_empty());
    let pdf_bullets: String = (0..10_000)
        .map(|i| format!("{}● level {i}\n", " ".repeat(i % 200)))
        .collect();
    assert_eq!(
        parse(pdf_bullets.as_bytes(), Format::PdfText)
            .unwrap()
            .clauses
            .len(),
        10_000
    );
}

#[test]
fn deep_blockquotes_and_emphasis() {
    let quotes = format!("{}quoted text.\n", "> ".repeat(10_000));
    assert!(parse(quotes.as_bytes(), Format::Markdown).is_ok());
    let stars = format!("{}x{}\n", "*".repeat(50_000), "*".repeat(50_000));
    assert!(parse(stars.as_bytes(), Format::Markdown).is_ok());
}

#[test]
fn a_file_of_only_footers_gives_no_clauses() {
    let page =
        "Copyright 2024 Example Corp. All rights reserved.\nConfidential — do not distribute\n";
    let text: String = (1..=12).map(|n| format!("{n}\n{page}")).collect();
    assert!(parse(text.as_bytes(), Format::PdfText)
        .unwrap()
        .clauses
        .is_empty());
    let with_ff: String = (1..=12)
        .map(|n| format!("{page}Page {n} of 12\n\u{c}"))
        .collect();
    assert!(parse(with_ff.as_bytes(), Format::PdfText)
        .unwrap()
        .clauses
        .is_empty());
}

#[test]
fn a_100_000_line_paragraph_reflows_into_one_clause() {
    let text = "the provider keeps access logs for all production systems and reviews them\n"
        .repeat(100_000);
    let doc = parse(text.as_bytes(), Format::PdfText).unwrap();
    assert_eq!(doc.clauses.len(), 1);
}

#[test]
fn many_footnote_like_lines_and_page_numbers() {
    let text: String = (1..=5000)
        .map(|n| {
            format!(
                "{}\n{} Footnote-like line number {n}.\nBody1 text{n}: word.\n",
                n,
                n % 50
            )
        })
        .collect();
    assert!(parse(text.as_bytes(), Format::PdfText).is_ok());
}

#[test]
fn markup_and_scripts_are_text_or_dropped_never_markup() {
    let md = "# T\n\n<script>alert(1)</script>\n\nClick [here](javascript:alert(1)) <img src=x onerror=alert(1)> now.\n";
    let doc = parse(md.as_bytes(), Format::Markdown).unwrap();
    let all: String = doc.clauses.iter().map(|c| &*c.text).collect();
    assert_eq!(all, "Click here now.");
    let pdf = "Heading\n<script>alert(1)</script> is literal text in a PDF.\n";
    let doc = parse(pdf.as_bytes(), Format::PdfText).unwrap();
    assert!(
        doc.clauses.iter().any(|c| c.text.contains("<script>")),
        "kept as plain text, rendered as text by the UI"
    );
}

#[test]
fn bom_and_mixed_line_endings() {
    let text = "\u{FEFF}# Title\r\n\r\nFirst para.\rSecond line.\n\nThird.\r\n";
    let doc = parse(text.as_bytes(), Format::Markdown).unwrap();
    assert_eq!(doc.sections[0].title, "Title");
    assert_eq!(doc.clauses.len(), 2);
}

#[test]
fn control_characters_and_odd_unicode() {
    let text = "Title\u{1}\u{7}\nBody \u{202E}reversed\u{202C} text with \u{200B}zero width and 🙂 emoji.\n";
    for f in FORMATS {
        assert!(parse(text.as_bytes(), f).is_ok());
    }
}
