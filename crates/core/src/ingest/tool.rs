//! Running a system tool (pdftoppm, Tesseract, the PDF helper) as a child
//! process with a deadline: its input written and its output read on
//! threads of their own, so that neither pipe can fill up and stall both
//! sides.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a tool printed and how it ended.
#[derive(Debug)]
pub struct Ran {
    /// How it ended.
    pub status: ExitStatus,
    /// Everything it wrote to standard output.
    pub stdout: Vec<u8>,
    /// Everything it wrote to standard error (nothing when its lines were
    /// passed on: [`run_watched`]).
    pub stderr: Vec<u8>,
}

/// Why a tool did not run to its end.
#[derive(Debug)]
pub enum ToolError {
    /// It could not be started (not installed, not executable...).
    Start(String, std::io::Error),
    /// It ran past its deadline and was stopped.
    TimedOut(String, Duration),
    /// Waiting for it failed.
    Lost(String, std::io::Error),
}

impl std::fmt::Display for ToolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ToolError::Start(p, e) if e.kind() == std::io::ErrorKind::NotFound => {
                write!(f, "{p} not found")
            }
            ToolError::Start(p, e) => write!(f, "cannot start {p}: {e}"),
            ToolError::TimedOut(p, d) => {
                write!(f, "{p} took longer than {} s and was stopped", d.as_secs())
            }
            ToolError::Lost(p, e) => write!(f, "lost {p}: {e}"),
        }
    }
}

/// Run `program` with `args`, `input` on its standard input; stop it after
/// `deadline`. The error says, in words, why it did not run to the end.
pub fn run(
    program: &str,
    args: &[&OsStr],
    input: Vec<u8>,
    deadline: Duration,
) -> Result<Ran, String> {
    run_with(program, args, &[], input, deadline)
}

/// [`run`] with environment variables `env` set for the tool.
pub fn run_with(
    program: &str,
    args: &[&OsStr],
    env: &[(&str, &str)],
    input: Vec<u8>,
    deadline: Duration,
) -> Result<Ran, String> {
    let mut cmd = Command::new(program);
    cmd.args(args).envs(env.iter().copied());
    run_command(cmd, input, deadline, None).map_err(|e| e.to_string())
}

/// Run `program` with `args`, passing each line it writes to standard
/// error to `on_line`; every line is a sign of life, and the tool is
/// stopped only after `idle` without one.
pub fn run_watched(
    program: &OsStr,
    args: &[&OsStr],
    input: Vec<u8>,
    idle: Duration,
    on_line: &mut dyn FnMut(&str),
) -> Result<Ran, ToolError> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    run_command(cmd, input, idle, Some(on_line))
}

fn run_command(
    mut cmd: Command,
    input: Vec<u8>,
    deadline: Duration,
    on_line: Option<&mut dyn FnMut(&str)>,
) -> Result<Ran, ToolError> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ToolError::Start(name.clone(), e))?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = drain(child.stdout.take().expect("piped"));
    let stderr = child.stderr.take().expect("piped");
    let (status, stderr) = match on_line {
        Some(on_line) => {
            let (tx, rx) = mpsc::channel();
            let lines = std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
            let status = wait(&mut child, deadline, &name, Some((&rx, on_line)));
            let _ = lines.join();
            (status, Vec::new())
        }
        None => {
            let stderr = drain(stderr);
            let status = wait(&mut child, deadline, &name, None);
            (status, stderr.join().unwrap_or_default())
        }
    };
    let _ = writer.join();
    let stdout = stdout.join().unwrap_or_default();
    Ok(Ran {
        status: status?,
        stdout,
        stderr,
    })
}

fn drain(mut from: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = from.read_to_end(&mut out);
        out
    })
}

/// A watched tool's standard-error lines as they arrive, and where they go.
type Watched<'a> = (&'a mpsc::Receiver<String>, &'a mut dyn FnMut(&str));

/// Wait for `child`, passing on the lines it writes when asked to; stop it
/// after `deadline` from its start, or from its last line.
fn wait(
    child: &mut Child,
    deadline: Duration,
    name: &str,
    mut lines: Option<Watched<'_>>,
) -> Result<ExitStatus, ToolError> {
    let mut alive = Instant::now();
    loop {
        if let Some((rx, on_line)) = lines.as_mut() {
            while let Ok(line) = rx.try_recv() {
                alive = Instant::now();
                on_line(&line);
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if alive.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ToolError::TimedOut(name.to_string(), deadline));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(ToolError::Lost(name.to_string(), e)),
        }
    }
}

/// A tool's error output in one short line (its last non-empty line), or
/// `otherwise` when it said nothing.
pub fn summary(stderr: &[u8], otherwise: &str) -> String {
    let text = String::from_utf8_lossy(stderr);
    let line = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(otherwise);
    line.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_status_and_deadline() {
        let ran = run("cat", &[], b"hello".to_vec(), Duration::from_secs(10)).unwrap();
        assert!(ran.status.success());
        assert_eq!(ran.stdout, b"hello");
        let e = run(
            "sleep",
            &["5".as_ref()],
            Vec::new(),
            Duration::from_millis(100),
        )
        .unwrap_err();
        assert!(e.contains("sleep took longer than 0 s"), "{e}");
        let e = run("no-such-tool-here", &[], Vec::new(), Duration::from_secs(1)).unwrap_err();
        assert_eq!(e, "no-such-tool-here not found");
        assert_eq!(
            summary(b"warn\nError: bad page\n\n", "x"),
            "Error: bad page"
        );
        assert_eq!(summary(b"", "said nothing"), "said nothing");
    }

    #[test]
    fn a_watched_tool_s_lines_are_passed_on_and_keep_it_alive() {
        let mut lines = Vec::new();
        let script = "for i in 1 2 3 4; do echo line $i >&2; sleep 0.2; done; echo done";
        let ran = run_watched(
            "sh".as_ref(),
            &["-c".as_ref(), script.as_ref()],
            Vec::new(),
            Duration::from_millis(600),
            &mut |l| lines.push(l.to_string()),
        )
        .unwrap();
        assert!(ran.status.success());
        assert_eq!(ran.stdout, b"done\n");
        assert_eq!(lines, ["line 1", "line 2", "line 3", "line 4"]);
        let e = run_watched(
            "sleep".as_ref(),
            &["5".as_ref()],
            Vec::new(),
            Duration::from_millis(100),
            &mut |_| {},
        )
        .unwrap_err();
        assert!(matches!(e, ToolError::TimedOut(..)), "{e}");
    }
}
