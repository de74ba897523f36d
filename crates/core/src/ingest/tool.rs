//! Running a system tool (pdftoppm, Tesseract) as a child process with a
//! deadline: its input written and its output read on threads of their own,
//! so that neither pipe can fill up and stall both sides.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What a tool printed and how it ended.
#[derive(Debug)]
pub struct Ran {
    /// How it ended.
    pub status: ExitStatus,
    /// Everything it wrote to standard output.
    pub stdout: Vec<u8>,
    /// Everything it wrote to standard error.
    pub stderr: Vec<u8>,
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
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("{program} not found"),
            _ => format!("cannot start {program}: {e}"),
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let stdout = drain(child.stdout.take().expect("piped"));
    let stderr = drain(child.stderr.take().expect("piped"));
    let status = wait(&mut child, deadline, program);
    let _ = writer.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
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

fn wait(child: &mut Child, deadline: Duration, program: &str) -> Result<ExitStatus, String> {
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if started.elapsed() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{program} took longer than {} s and was stopped",
                    deadline.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(format!("lost {program}: {e}")),
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
}
