//! Reading and writing the user's files safely.
//!
//! A path a user names may be anything: a named pipe that blocks the first
//! `open` until a writer comes, `/dev/zero` that never ends, a device node,
//! or a file another program is still appending to. Reading goes through
//! [`read_regular`], which refuses anything but a regular file at once and
//! never reads past a limit. Writing goes through [`write_atomically`] and
//! [`write_new_file`], which give new files the permissions the user's umask
//! allows (a temporary file alone would be 0600) and refuse to rename over
//! anything that is not a regular file (a device replaced by a file is a
//! broken system).

use std::fs::{File, Metadata};
use std::io::{self, Read, Write};
use std::path::Path;

/// What kind of file system object `meta` describes, in words, for messages.
pub fn kind_of(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if t.is_dir() {
        "a directory"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

/// Why [`read_regular`] refused a file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path is a pipe, a device, a socket or a directory.
    #[error("it is {kind}, not a regular file")]
    NotRegular {
        /// What it is, in words (see [`kind_of`]).
        kind: &'static str,
    },
    /// More than the limit was there to read (it may still be growing).
    #[error("the file is more than the {limit}-byte limit for one document")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// The operating system's error.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// Open `path` for reading without blocking on a FIFO, and check that it is a
/// regular file (after following symlinks, as `open` does).
fn open_regular(path: &Path) -> Result<File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer.
        // It has no effect on reading regular files.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            kind: kind_of(&meta),
        });
    }
    Ok(file)
}

/// The bytes of the regular file at `path`, at most `limit` of them: a file
/// that has (or grows to) more is refused once `limit + 1` bytes are read.
pub fn read_regular(path: &Path, limit: usize) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let expected = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    if expected > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(expected.min(limit) + 1);
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Up to the first `n` bytes of the regular file at `path`.
pub fn read_head(path: &Path, n: usize) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(n as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Refuse to write over `path` unless it is missing, a regular file, or a
/// symbolic link (which a rename replaces, never following it).
pub fn check_writable_target(path: &Path) -> io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() || meta.file_type().is_symlink() => Ok(()),
        Ok(meta) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file: trustlens replaces only regular files",
                kind_of(&meta)
            ),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// A new temporary file in `dir`, created with the permissions the umask
/// leaves of 0666 (as `open(2)` would give a new file), so that what is
/// renamed into place has the mode any other new file would have.
fn temp_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    let mut b = tempfile::Builder::new();
    b.prefix(".trustlens-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// The folder a temporary file for `path` goes in: its parent, or "." for a
/// bare file name (whose parent is "").
fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn write_temp(path: &Path, bytes: &[u8]) -> io::Result<tempfile::NamedTempFile> {
    let mut tmp = temp_in(parent_of(path))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// Replace `path` with `bytes` atomically: a temporary file in the same
/// folder, renamed into place. Refuses a target that is not a regular file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    check_writable_target(path)?;
    let tmp = write_temp(path, bytes)?;
    // A file being replaced keeps the permissions it had (a manifest the
    // user made private stays private).
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_file() {
            tmp.as_file().set_permissions(meta.permissions())?;
        }
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Create `path` with `bytes`, failing if it exists; never leaves a partial
/// file. Missing parent folders are created.
pub fn write_new_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    std::fs::create_dir_all(parent_of(path))?;
    let tmp = write_temp(path, bytes)?;
    tmp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_past_the_limit_is_refused_and_one_within_it_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.md");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_regular(&p, 10).unwrap(), b"0123456789");
        assert!(matches!(
            read_regular(&p, 9),
            Err(ReadError::TooLarge { limit: 9 })
        ));
        assert_eq!(read_head(&p, 4).unwrap(), b"0123");
    }

    #[cfg(unix)]
    #[test]
    fn pipes_and_devices_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.md");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let e = read_regular(&fifo, 100).unwrap_err().to_string();
        assert!(e.contains("named pipe"), "{e}");
        let e = read_regular(Path::new("/dev/zero"), 100)
            .unwrap_err()
            .to_string();
        assert!(e.contains("character device"), "{e}");
        let e = write_atomically(&fifo, b"x").unwrap_err().to_string();
        assert!(e.contains("named pipe"), "{e}");
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo(),
            "the pipe is still a pipe"
        );
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_mode_the_umask_allows() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        // The test process's umask, read without changing it for long.
        // SAFETY: umask has no memory-safety preconditions.
        let mask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        } as u32;
        let a = dir.path().join("a.txt");
        write_atomically(&a, b"x").unwrap();
        let b = dir.path().join("sub/b.txt");
        write_new_file(&b, b"y").unwrap();
        for p in [a, b] {
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o666 & !mask, "{}", p.display());
        }
        // A file replaced keeps its own mode.
        let private = dir.path().join("private.toml");
        std::fs::write(&private, b"old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        write_atomically(&private, b"new").unwrap();
        let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
