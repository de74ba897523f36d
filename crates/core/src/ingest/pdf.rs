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

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::IngestError;

/// The first argument that turns a trustlens binary into the PDF helper.
pub const HELPER_ARG: &str = "__trustlens-extract-pdf";

/// How long the helper may take on one file before it is stopped.
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

/// When this process was started as the PDF helper (`HELPER_ARG`), read a
/// PDF on stdin, write its pages as JSON on stdout and return the exit code;
/// otherwise `None`. Call it before anything else in `main`.
pub fn helper_main() -> Option<u8> {
    if std::env::args_os().nth(1).as_deref() != Some(HELPER_ARG.as_ref()) {
        return None;
    }
    limit_memory();
    let mut bytes = Vec::new();
    if std::io::stdin().read_to_end(&mut bytes).is_err() {
        return Some(2);
    }
    // Panics are reported through the result; keep stderr quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let reply: Result<Vec<String>, String> = pages_in_process(&bytes);
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
/// and the process aborts, which the parent reports.
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

/// Extract each page's text here, in this process, catching panics.
fn pages_in_process(bytes: &[u8]) -> Result<Vec<String>, String> {
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

/// Extract in a child process, with a deadline.
fn pages_in_child(exe: &PathBuf, bytes: &[u8]) -> Result<Vec<String>, String> {
    let mut child = Command::new(exe)
        .arg(HELPER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the PDF reader ({}): {e}", exe.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = bytes.to_vec();
    // Write and read on their own threads: a large PDF fills the pipe.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        out
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > HELPER_DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = writer.join();
                let _ = reader.join();
                return Err(format!(
                    "the PDF reader took longer than {} s on this file and was stopped; nothing was imported",
                    HELPER_DEADLINE.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("lost the PDF reader: {e}")),
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    if !status.success() {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            if let Some(signal) = status.signal() {
                return Err(format!(
                    "the PDF reader crashed on this file (signal {signal}: corrupt or hostile, or more than its {} MB of memory — see TRUSTLENS_PDF_MEMORY_MB); nothing was imported",
                    memory_limit_mb()
                ));
            }
        }
        return Err(format!(
            "the PDF reader failed on this file ({status}); nothing was imported"
        ));
    }
    serde_json::from_slice::<Result<Vec<String>, String>>(&out)
        .map_err(|e| format!("the PDF reader gave an unreadable answer: {e}"))?
}

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
    let pages = match HELPER.get() {
        Some(exe) => pages_in_child(exe, bytes),
        None => pages_in_process(bytes),
    }
    .map_err(|message| IngestError::Pdf {
        file: file.into(),
        message,
    })?;
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
