//! PDF files → text, page by page, then the same clean-up as PDF-extracted
//! text ([`super::pdf_text`]): pages are joined with form feeds so page
//! numbers are known for every clause.
//!
//! PDF readers are large and see hostile input; the extraction runs under
//! `catch_unwind`, so a reader that panics on a corrupt file gives a clear
//! error instead of taking the app down.

use super::IngestError;

/// Text of each page of a PDF, joined with form feeds.
pub fn extract(file: &str, bytes: &[u8]) -> Result<String, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty { file: file.into() });
    }
    if bytes.len() > super::MAX_SOURCE_BYTES {
        return Err(IngestError::TooLarge {
            file: file.into(),
            size: bytes.len(),
            limit: super::MAX_SOURCE_BYTES,
        });
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(IngestError::Pdf {
            file: file.into(),
            message: "this is not a PDF file (it does not start with %PDF-)".into(),
        });
    }
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem_by_pages(bytes)
    }));
    let pages = match result {
        Ok(Ok(pages)) => pages,
        Ok(Err(e)) => {
            let msg = e.to_string();
            let message = if msg.to_lowercase().contains("encrypt") {
                "the PDF is encrypted: save an unprotected copy and import that".to_string()
            } else {
                format!("the PDF cannot be read (corrupt or truncated?): {msg}")
            };
            return Err(IngestError::Pdf {
                file: file.into(),
                message,
            });
        }
        Err(_) => {
            return Err(IngestError::Pdf {
                file: file.into(),
                message: "the PDF reader failed on this file (corrupt, truncated or unusual); nothing was imported".into(),
            })
        }
    };
    if pages.iter().all(|p| p.trim().is_empty()) {
        let n = pages.len().max(1);
        return Err(IngestError::Pdf {
            file: file.into(),
            message: if n == 1 {
                "no extractable text on page 1 (a scanned image? run OCR first)".into()
            } else {
                format!("no extractable text on pages 1–{n} (scanned images? run OCR first)")
            },
        });
    }
    Ok(pages
        .iter()
        .map(|p| p.replace('\u{c}', "\n"))
        .collect::<Vec<_>>()
        .join("\n\u{c}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_pdf_empty_and_garbage_are_clear_errors() {
        assert!(matches!(
            extract("a.pdf", b""),
            Err(IngestError::Empty { .. })
        ));
        let e = extract("a.pdf", b"hello").unwrap_err().to_string();
        assert!(e.contains("a.pdf") && e.contains("not a PDF"), "{e}");
        for bytes in [&b"%PDF-1.4\n"[..], b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"] {
            let e = extract("bad.pdf", bytes).unwrap_err().to_string();
            assert!(e.starts_with("bad.pdf: "), "{e}");
        }
    }
}
