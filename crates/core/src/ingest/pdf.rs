//! PDF files → text, page by page, then the same clean-up as PDF-extracted
//! text ([`super::pdf_text`]): pages are joined with form feeds so page
//! numbers are known for every clause.
//!
//! PDF readers are large and see hostile input. A panic is caught
//! (`catch_unwind`), but a reader can also overflow its stack on deeply
//! nested objects, abort, or loop: none of that can be caught inside the
//! process. So the binaries (CLI and app) call [`isolate_in_subprocess`] at
//! start-up, and from then on every extraction runs in a child process — the
//! same executable started with [`HELPER_ARG`], which [`helper_main`]
//! recognises — with a deadline. A crash or a hang there is a clear error
//! naming the file; the app keeps running.
//!
//! The helper also judges each page's text and reads the pages that need it
//! with OCR ([`super::ocr`]), reporting each page it reads on its standard
//! error so that the parent can show progress and knows it is alive: the
//! deadline counts from the last sign of life, so a 300-page scan can take
//! its minutes while a hung reader is still stopped.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::ocr::{self, OcrMode, PageRecord, PageSource, Verdict};
use super::tool::{self, ToolError};
use super::IngestError;

/// The first argument that turns a trustlens binary into the PDF helper.
pub const HELPER_ARG: &str = "__trustlens-extract-pdf";

/// How long the helper may go without finishing or reading another page
/// before it is stopped.
pub const HELPER_DEADLINE: Duration = Duration::from_secs(120);

/// How much memory (MB) the helper may allocate, unless the environment
/// variable `TRUSTLENS_PDF_MEMORY_MB` says otherwise: a PDF whose streams
/// inflate to gigabytes (a "zip bomb") ends the helper, not the machine.
pub const HELPER_MEMORY_MB: u64 = 2048;

static HELPER: OnceLock<PathBuf> = OnceLock::new();

/// From now on, extract PDFs in a child process: this executable, which must
/// call [`helper_main`] first thing in `main`.
pub fn isolate_in_subprocess() {
    if let Ok(exe) = std::env::current_exe() {
        let _ = HELPER.set(exe);
    }
}

/// The pages of a PDF as trustlens records them: each page's text, where it
/// came from and what it was judged to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PdfPages {
    /// Every page, in order.
    pub pages: Vec<PageRecord>,
    /// The OCR engine that read pages ("tesseract 5.3.0"), when one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr_engine: Option<String>,
}

impl PdfPages {
    /// The pages' text joined with form feeds, as [`super::pdf_text`] reads it.
    pub fn text(&self) -> String {
        self.pages
            .iter()
            .map(|p| p.text.replace('\u{c}', "\n"))
            .collect::<Vec<_>>()
            .join("\n\u{c}\n")
    }

    /// How many pages were read by OCR.
    pub fn ocr_count(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.source == PageSource::Ocr)
            .count()
    }

    /// The pages an analyst must hear about: trustlens could not read them.
    pub fn unreadable(&self) -> impl Iterator<Item = &PageRecord> {
        self.pages.iter().filter(|p| p.is_unreadable())
    }

    /// The pages as recorded in a corpus: JSON, the same bytes for the same pages.
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).expect("pages serialise");
        json.push(b'\n');
        json
    }

    /// Pages recorded by [`PdfPages::to_json`]; the error says what is wrong.
    pub fn from_json(bytes: &[u8]) -> Result<PdfPages, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }

    /// What an analyst is told of these pages.
    pub fn summary(&self) -> PdfSummary {
        PdfSummary {
            pages: self.pages.len() as u32,
            ocr_pages: self.ocr_count() as u32,
            ocr_engine: self.ocr_engine.clone(),
            unreadable: self
                .unreadable()
                .map(|p| UnreadablePage {
                    page: p.page,
                    problem: p
                        .problem
                        .clone()
                        .unwrap_or_else(|| "no readable text".into()),
                })
                .collect(),
        }
    }
}

/// A PDF version's pages in brief: how many, how many were read by OCR, and
/// which could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PdfSummary {
    /// Pages in the file.
    pub pages: u32,
    /// Pages whose text was read by OCR.
    pub ocr_pages: u32,
    /// The OCR engine that read them ("tesseract 5.3.0").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ocr_engine: Option<String>,
    /// Pages with no readable text, and why.
    pub unreadable: Vec<UnreadablePage>,
}

/// A page trustlens could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnreadablePage {
    /// Page number, from 1.
    pub page: u32,
    /// Why, in words.
    pub problem: String,
}

impl PdfSummary {
    /// One warning per unreadable page of `file`.
    pub fn warnings(&self, file: &str) -> Vec<String> {
        self.unreadable
            .iter()
            .map(|p| format!("{file}: page {}: {}", p.page, p.problem))
            .collect()
    }
}

/// OCR has read a page: the `done`-th of `total` to be read (pages are read
/// side by side, so they finish in any order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OcrProgress {
    /// The page just read, from 1.
    pub page: u32,
    /// Pages read so far, this one included.
    pub done: u32,
    /// Pages to read by OCR in all.
    pub total: u32,
}

/// When this process was started as the PDF helper (`HELPER_ARG`), read a
/// PDF on stdin, write its pages as JSON on stdout and return the exit code;
/// otherwise `None`. Call it before anything else in `main`.
pub fn helper_main() -> Option<u8> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(HELPER_ARG.as_ref()) {
        return None;
    }
    let mode = match (args.next(), args.next()) {
        (Some(flag), Some(mode)) if flag == "--ocr" => mode.to_str()?.parse().ok()?,
        _ => OcrMode::Auto,
    };
    limit_memory();
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return Some(2);
    }
    // Panics are reported through the result; keep stderr for progress.
    std::panic::set_hook(Box::new(|_| {}));
    let mut report = |p: OcrProgress| {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "progress {} {} {}", p.page, p.done, p.total);
    };
    let reply = pages_in_process(&bytes, mode, &mut report);
    let json = serde_json::to_vec(&reply).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    if out.write_all(&json).and_then(|_| out.flush()).is_err() {
        return Some(2);
    }
    Some(0)
}

/// The helper's memory limit in MB (see [`HELPER_MEMORY_MB`]).
fn memory_limit_mb() -> u64 {
    std::env::var("TRUSTLENS_PDF_MEMORY_MB")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&mb| mb > 0)
        .unwrap_or(HELPER_MEMORY_MB)
}

/// Cap this (helper) process's data segment: allocations beyond it fail,
/// and the process aborts, which the parent reports. The tools it starts
/// for OCR inherit the limit.
fn limit_memory() {
    #[cfg(unix)]
    {
        let bytes = memory_limit_mb().saturating_mul(1024 * 1024);
        let limit = libc::rlimit {
            rlim_cur: bytes as libc::rlim_t,
            rlim_max: bytes as libc::rlim_t,
        };
        // SAFETY: setrlimit reads the struct passed and changes only this
        // process's own limit.
        unsafe {
            libc::setrlimit(libc::RLIMIT_DATA, &limit);
        }
    }
}

/// Each page's text layer, catching the reader's panics.
fn text_layer(bytes: &[u8]) -> Result<Vec<String>, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pdf_extract::extract_text_from_mem_by_pages(bytes)
    })) {
        Ok(Ok(pages)) => Ok(pages),
        Ok(Err(e)) => {
            let msg = e.to_string();
            Err(if msg.to_lowercase().contains("encrypt") {
                "the PDF is encrypted: save an unprotected copy and import that".to_string()
            } else {
                format!("the PDF cannot be read (corrupt or truncated?): {msg}")
            })
        }
        Err(_) => Err(
            "the PDF reader failed on this file (corrupt, truncated or unusual); nothing was imported"
                .into(),
        ),
    }
}

/// Read every page here, in this process: the text layer, judged page by
/// page, and OCR where `mode` asks for it.
fn pages_in_process(
    bytes: &[u8],
    mode: OcrMode,
    progress: &mut dyn FnMut(OcrProgress),
) -> Result<PdfPages, String> {
    let mut pages: Vec<PageRecord> = text_layer(bytes)?
        .into_iter()
        .zip(1..)
        .map(|(text, page)| PageRecord {
            page,
            source: PageSource::Text,
            verdict: ocr::judge(&text),
            confidence: None,
            problem: None,
            text,
        })
        .collect();
    let wanted: Vec<usize> = (0..pages.len())
        .filter(|&i| match mode {
            OcrMode::Always => true,
            OcrMode::Auto => pages[i].verdict != Verdict::Readable,
            OcrMode::Never => false,
        })
        .collect();
    let mut ocr_engine = None;
    if !wanted.is_empty() {
        match ocr::engine() {
            Ok(engine) => {
                read_by_ocr(bytes, &mut pages, &wanted, progress)?;
                ocr_engine = Some(engine);
            }
            Err(why) => wanted
                .iter()
                .for_each(|&i| pages[i].problem = Some(why.clone())),
        }
    }
    let off = mode == OcrMode::Never;
    pages.iter_mut().for_each(|p| drop_unreadable_text(p, off));
    Ok(PdfPages { pages, ocr_engine })
}

/// Read the pages at `wanted` by OCR, keeping a reading when it is better
/// than the page's text layer.
fn read_by_ocr(
    bytes: &[u8],
    pages: &mut [PageRecord],
    wanted: &[usize],
    progress: &mut dyn FnMut(OcrProgress),
) -> Result<(), String> {
    // pdftoppm reads a file; the copy goes when `file` is dropped.
    let mut file = tempfile::Builder::new()
        .prefix("trustlens-ocr-")
        .suffix(".pdf")
        .tempfile()
        .map_err(|e| format!("cannot write a temporary copy for OCR: {e}"))?;
    file.write_all(bytes)
        .and_then(|_| file.flush())
        .map_err(|e| format!("cannot write a temporary copy for OCR: {e}"))?;
    let numbers: Vec<u32> = wanted.iter().map(|&i| pages[i].page).collect();
    let total = wanted.len() as u32;
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_OCR_WORKERS)
        .min(wanted.len());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let (tx, next, numbers, path) = (tx.clone(), &next, &numbers, file.path());
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(&number) = numbers.get(k) else { break };
                if tx.send((k, ocr::ocr_page(path, number))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // Pages finish in any order; each is recorded at its own place, so
        // the result is the same whatever the order.
        for (done, (k, read)) in (1..).zip(rx) {
            let page = &mut pages[wanted[k]];
            progress(OcrProgress {
                page: page.page,
                done,
                total,
            });
            match read {
                Ok(read) => take_reading(page, read),
                Err(e) => page.problem = Some(e),
            }
        }
    });
    Ok(())
}

/// At most this many pages are read by OCR at once (one Tesseract each,
/// at most a few hundred MB each).
const MAX_OCR_WORKERS: usize = 4;

/// Record an OCR reading for `page` when it is language and its text layer
/// was not (or, read anyway with `always`, the reading is as good).
fn take_reading(page: &mut PageRecord, read: ocr::OcrText) {
    match ocr::judge(&read.text) {
        Verdict::Readable => {
            page.source = PageSource::Ocr;
            page.verdict = Verdict::Readable;
            page.confidence = Some(read.confidence);
            page.problem = None;
            page.text = read.text;
        }
        _ if page.verdict == Verdict::Readable => {}
        Verdict::Unreadable => {
            page.problem = Some(format!(
                "neither the text layer nor OCR gave readable text (OCR confidence {})",
                read.confidence
            ));
        }
        Verdict::Blank => {}
    }
}

/// A page whose text is not language keeps no text: garbage would be
/// searched, compared and cited as if it were the vendor's words.
fn drop_unreadable_text(page: &mut PageRecord, ocr_off: bool) {
    if page.source == PageSource::Text && page.verdict == Verdict::Unreadable {
        page.source = PageSource::None;
        page.text.clear();
        if page.problem.is_none() {
            page.problem = Some(if ocr_off {
                "the text layer is not language (a font without a Unicode map?) and OCR is off (--ocr never)".into()
            } else {
                "the text layer is not language (a font without a Unicode map?)".into()
            });
        }
    }
    if page.source == PageSource::Text && page.text.trim().is_empty() {
        page.source = PageSource::None;
        if ocr_off && page.problem.is_none() {
            page.problem =
                Some("no text on the page (a scan?) and OCR is off (--ocr never)".into());
        }
    }
}

/// Extract in a child process, with a deadline counted from its last sign
/// of life.
fn pages_in_child(
    exe: &Path,
    bytes: &[u8],
    mode: OcrMode,
    progress: &mut dyn FnMut(OcrProgress),
) -> Result<PdfPages, String> {
    let args: [&OsStr; 3] = [HELPER_ARG.as_ref(), "--ocr".as_ref(), mode.name().as_ref()];
    let mut on_line = |line: &str| {
        if let Some(p) = parse_progress(line) {
            progress(p);
        }
    };
    let ran = tool::run_watched(exe.as_os_str(), &args, bytes.to_vec(), HELPER_DEADLINE, &mut on_line)
        .map_err(|e| match e {
            ToolError::Start(_, e) => {
                format!("cannot start the PDF reader ({}): {e}", exe.display())
            }
            ToolError::TimedOut(..) => format!(
                "the PDF reader took longer than {} s on this file and was stopped; nothing was imported",
                HELPER_DEADLINE.as_secs()
            ),
            ToolError::Lost(_, e) => format!("lost the PDF reader: {e}"),
        })?;
    if !ran.status.success() {
        return Err(failure(ran.status));
    }
    serde_json::from_slice::<Result<PdfPages, String>>(&ran.stdout)
        .map_err(|e| format!("the PDF reader gave an unreadable answer: {e}"))?
}

/// A progress line of the helper ("progress PAGE DONE TOTAL").
fn parse_progress(line: &str) -> Option<OcrProgress> {
    let mut parts = line.strip_prefix("progress ")?.split(' ');
    let mut next = || parts.next()?.parse().ok();
    Some(OcrProgress {
        page: next()?,
        done: next()?,
        total: next()?,
    })
}

/// Why the helper failed, in words.
fn failure(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!(
                "the PDF reader crashed on this file (signal {signal}: corrupt or hostile, or more than its {} MB of memory — see TRUSTLENS_PDF_MEMORY_MB); nothing was imported",
                memory_limit_mb()
            );
        }
    }
    format!("the PDF reader failed on this file ({status}); nothing was imported")
}

/// The checks before any reading: not empty, not too large, a PDF.
fn check_bytes(file: &str, bytes: &[u8]) -> Result<(), IngestError> {
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
    Ok(())
}

/// Every page of a PDF, judged, and read by OCR as `mode` says; `progress`
/// hears of each page OCR reads. A file with no readable page is an error.
pub fn read_pages(
    file: &str,
    bytes: &[u8],
    mode: OcrMode,
    progress: &mut dyn FnMut(OcrProgress),
) -> Result<PdfPages, IngestError> {
    check_bytes(file, bytes)?;
    let pages = match HELPER.get() {
        Some(exe) => pages_in_child(exe, bytes, mode, progress),
        None => pages_in_process(bytes, mode, progress),
    }
    .map_err(|message| IngestError::Pdf {
        file: file.into(),
        message,
    })?;
    if pages.pages.iter().all(|p| p.text.trim().is_empty()) {
        return Err(IngestError::Pdf {
            file: file.into(),
            message: nothing_readable(&pages),
        });
    }
    Ok(pages)
}

/// Why a PDF gave no text at all, in words.
fn nothing_readable(pages: &PdfPages) -> String {
    let n = pages.pages.len().max(1);
    let which = if n == 1 {
        "page 1".to_string()
    } else {
        format!("pages 1–{n}")
    };
    let problem = pages.pages.iter().find_map(|p| p.problem.as_deref());
    match problem {
        Some(why) => format!("no readable text on {which}: {why}"),
        None if pages.ocr_engine.is_some() => {
            format!("no readable text on {which}, not even by OCR (blank pages?)")
        }
        None => format!("no readable text on {which}"),
    }
}

/// Text of each page of a PDF, joined with form feeds, without OCR.
pub fn extract(file: &str, bytes: &[u8]) -> Result<String, IngestError> {
    Ok(read_pages(file, bytes, OcrMode::Never, &mut |_| {})?.text())
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

    fn fixture(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/pdf")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn summary(pages: &PdfPages) -> Vec<(u32, PageSource, Verdict)> {
        pages
            .pages
            .iter()
            .map(|p| (p.page, p.source, p.verdict))
            .collect()
    }

    #[test]
    fn without_ocr_a_broken_font_and_a_scan_leave_no_text_and_say_why() {
        let bytes = fixture("mixed-2024-03-01.pdf");
        let pages = read_pages("mixed.pdf", &bytes, OcrMode::Never, &mut |_| {}).unwrap();
        use PageSource as S;
        use Verdict as V;
        assert_eq!(
            summary(&pages),
            [
                (1, S::Text, V::Readable),
                (2, S::None, V::Blank),
                (3, S::None, V::Unreadable),
                (4, S::None, V::Blank),
                (5, S::None, V::Blank),
                (6, S::None, V::Blank),
            ]
        );
        assert!(pages
            .text()
            .contains("Northwind Data runs a managed analytics service"));
        let warnings = pages.summary().warnings("mixed.pdf");
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        assert!(
            warnings[1].starts_with("mixed.pdf: page 3: the text layer is not language"),
            "{warnings:#?}"
        );
        assert!(
            warnings.iter().all(|w| w.contains("--ocr never")),
            "{warnings:#?}"
        );
        assert_eq!(pages.ocr_engine, None);
    }

    #[test]
    fn with_ocr_scans_rotated_scans_and_broken_fonts_are_read() {
        let bytes = fixture("mixed-2024-03-01.pdf");
        let mut seen = Vec::new();
        let pages = read_pages("mixed.pdf", &bytes, OcrMode::Auto, &mut |p| seen.push(p)).unwrap();
        use PageSource as S;
        use Verdict as V;
        assert_eq!(
            summary(&pages),
            [
                (1, S::Text, V::Readable),
                (2, S::Ocr, V::Readable),
                (3, S::Ocr, V::Readable),
                (4, S::None, V::Blank),
                (5, S::Ocr, V::Readable),
                (6, S::None, V::Blank),
            ]
        );
        let mut read: Vec<u32> = seen.iter().map(|p| p.page).collect();
        read.sort_unstable();
        assert_eq!(read, [2, 3, 4, 5, 6]);
        let counted: Vec<(u32, u32)> = seen.iter().map(|p| (p.done, p.total)).collect();
        assert_eq!(counted, [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]);
        let text = |n: usize| {
            pages.pages[n - 1]
                .text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert!(
            text(2).contains("Staff access to production systems requires multi-factor"),
            "{}",
            text(2)
        );
        assert!(
            text(3).contains("customer data is deleted within 30 days"),
            "{}",
            text(3)
        );
        assert!(
            text(5).contains("Northwind Data runs a managed analytics service"),
            "{}",
            text(5)
        );
        assert!(
            pages.pages[1].confidence.unwrap() >= 80,
            "{:?}",
            pages.pages[1]
        );
        assert!(pages
            .ocr_engine
            .as_deref()
            .unwrap()
            .starts_with("tesseract "));
        let warnings = pages.summary().warnings("mixed.pdf");
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0].starts_with("mixed.pdf: page 6: "),
            "{warnings:#?}"
        );
    }

    #[test]
    fn the_helper_s_progress_lines_are_read_and_anything_else_is_only_a_sign_of_life() {
        assert_eq!(
            parse_progress("progress 12 3 40"),
            Some(OcrProgress {
                page: 12,
                done: 3,
                total: 40
            })
        );
        assert_eq!(parse_progress("progress 12 3"), None);
        assert_eq!(parse_progress("Tesseract warning: low resolution"), None);
    }
}
