//! Standard output and standard error as the CLI writes them.
//!
//! - Text that reaches a terminal has its control characters made visible:
//!   a vendor's document (or a note, or a vendor name) holding `ESC ] 0 ;`
//!   or `ESC [ 2 J` must not retitle the window or clear the screen. JSON
//!   and output into files and pipes stay byte for byte what the data is.
//! - A reader that goes away (`| head`) ends the command quietly, as other
//!   command-line tools do; any other write error (a full disk) is an error
//!   that says so, never a panic.
//! - A standard output that was closed when the process started is an
//!   error: the Rust runtime quietly reopens it on `/dev/null`, and the
//!   command would print nothing and succeed.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether file descriptor 1 was closed when the process started.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Runs before `main` and before the Rust runtime puts `/dev/null` on
/// closed standard descriptors (which would hide that it was closed).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static NOTE_CLOSED_STDOUT: extern "C" fn() = {
    extern "C" fn note() {
        // SAFETY: fcntl(F_GETFD) on any descriptor number only reads state.
        if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
        }
    }
    note
};

/// True when standard output was closed (`trustlens versions >&-`).
pub fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// `text` with every control character but newline and tab shown as a
/// visible symbol (U+2400…, ␡, or U+FFFD for C1 controls), for a terminal.
pub fn visible(text: &str) -> Cow<'_, str> {
    let is_bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(is_bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if !is_bad(c) => c,
                '\u{7f}' => '\u{2421}',
                c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

/// Standard output: control characters made visible on a terminal, a
/// broken pipe remembered so that the command can end quietly.
pub struct Output<W: Write = io::StdoutLock<'static>> {
    inner: W,
    terminal: bool,
    broken_pipe: bool,
}

impl Output {
    /// The process's standard output.
    pub fn stdout() -> Output {
        let terminal = io::stdout().is_terminal();
        Output::new(io::stdout().lock(), terminal)
    }
}

impl<W: Write> Output<W> {
    /// Output into `inner`; `terminal` makes control characters visible.
    pub fn new(inner: W, terminal: bool) -> Output<W> {
        Output {
            inner,
            terminal,
            broken_pipe: false,
        }
    }

    /// True once a write failed because the reader went away.
    pub fn broken_pipe(&self) -> bool {
        self.broken_pipe
    }

    /// Write `text` highlighted (bold yellow) on a terminal, plain elsewhere;
    /// the escape codes are ours, the text is made visible as any other.
    pub fn highlighted(&mut self, text: &str) -> io::Result<()> {
        if self.terminal {
            self.raw(b"\x1b[1;33m")?;
            self.write_all(text.as_bytes())?;
            self.raw(b"\x1b[0m")
        } else {
            self.write_all(text.as_bytes())
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        let r = self.inner.write_all(bytes);
        self.note(r)
    }

    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            if e.kind() == io::ErrorKind::BrokenPipe {
                self.broken_pipe = true;
            }
        }
        r
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.terminal {
            let r = self.inner.write(buf);
            return self.note(r);
        }
        // Formatting hands over whole `str` pieces, so `buf` is UTF-8 here.
        let text = String::from_utf8_lossy(buf);
        let shown = visible(&text);
        let r = self.inner.write_all(shown.as_bytes());
        self.note(r).map(|()| buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

/// Write a line to standard error, made visible on a terminal; a failure to
/// write there is ignored (there is nowhere left to report it).
pub fn error_line(line: &str) {
    let mut err = io::stderr().lock();
    let _ = if err.is_terminal() {
        writeln!(err, "{}", visible(line))
    } else {
        writeln!(err, "{line}")
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_and_the_rest_stays() {
        assert_eq!(visible("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            visible("a\u{1b}]0;pwned\u{7}b\u{1b}[2J\u{7f}\u{9b}c"),
            "a\u{241b}]0;pwned\u{2407}b\u{241b}[2J\u{2421}\u{fffd}c"
        );
    }

    #[test]
    fn a_terminal_gets_visible_text_and_a_pipe_the_bytes() {
        let mut t = Output::new(Vec::new(), true);
        write!(t, "x\u{1b}[31my").unwrap();
        t.highlighted("h\u{1b}").unwrap();
        assert_eq!(
            String::from_utf8(t.inner).unwrap(),
            "x\u{241b}[31my\u{1b}[1;33mh\u{241b}\u{1b}[0m"
        );
        let mut p = Output::new(Vec::new(), false);
        write!(p, "x\u{1b}[31my").unwrap();
        p.highlighted("h").unwrap();
        assert_eq!(String::from_utf8(p.inner).unwrap(), "x\u{1b}[31myh");
    }

    struct Gone;
    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_broken_pipe_is_remembered() {
        let mut o = Output::new(Gone, false);
        assert!(writeln!(o, "x").is_err());
        assert!(o.broken_pipe());
    }
}
