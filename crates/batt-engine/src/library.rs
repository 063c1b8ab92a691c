//! The library: every solver found, kept per task as `<task>.py` in solver syntax, so that a
//! person can read them and `batt verify` replays them. Solvers are deduplicated by their
//! canonical text, the best `keep` (fewest lines first, then the earliest found) are kept, and
//! every write is atomic (a temporary file renamed over the old one), so an interrupted run
//! loses nothing that was written before it.
//!
//! A library file is never rewritten from less than all of it: a file that cannot be read is
//! left alone (an error naming it), and every line that is not one of the task's solvers (a
//! comment, a function that does not parse, a line that is not UTF-8) is written back byte for
//! byte, as is the text of every solver kept. Writers take a lock file beside the task's file
//! and re-read it before they write, so two runs adding to one library merge their solvers.
//!
//! The directory is read once, when the library is first asked for its solvers; from then on
//! the library answers from memory (what it read, and what it has written since), and the
//! disk is persistence only.

use batt_prog::canon::{canonical, canonical_text};
use batt_prog::{parse_bytes, parse_file, print, ProgError, Program};
use std::collections::BTreeMap;
use std::io::{Error, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// A library directory, and its solvers in memory. Clones share the memory.
#[derive(Clone, Debug)]
pub struct Library {
    dir: PathBuf,
    keep: usize,
    files: Arc<OnceLock<Mutex<Files>>>,
}

/// What the library's files hold, by their stems (a task's file is named by its id), as last
/// read or written.
#[derive(Debug, Default)]
struct Files {
    by_task: BTreeMap<String, batt_prog::SourceFile>,
}

/// What loading the library found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub programs: Vec<batt_prog::Parsed>,
    pub errors: Vec<ProgError>,
}

/// One piece of a task's library file.
enum Piece {
    /// Text that is not one of the task's solvers: kept byte for byte.
    Raw(Vec<u8>),
    /// A solver of the task: its canonical text, its canonical form and its text in the file.
    Solver(String, Program, Vec<u8>),
}

/// Whether a line (without its end) is blank or only a comment, as the parser reads it.
fn blank_or_comment(line: &[u8]) -> bool {
    let code = line.split(|&b| b == b'#').next().unwrap_or(&[]);
    code.iter().all(u8::is_ascii_whitespace)
}

/// Cuts a library file into the task's solvers and everything else (kept as it is).
fn pieces(bytes: &[u8], task: &str, file: &str) -> Vec<Piece> {
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let mut out: Vec<Piece> = vec![];
    let mut raw: Vec<u8> = vec![];
    let mut k = 0;
    while k < lines.len() {
        if !lines[k].starts_with(b"def ") {
            raw.extend_from_slice(lines[k]);
            k += 1;
            continue;
        }
        // the function: its body runs to its last line of code; trailing comments are raw
        let start = k;
        let mut end = k + 1;
        k += 1;
        while k < lines.len()
            && (lines[k].starts_with(b" ") || lines[k].starts_with(b"\t") || blank_or_comment(lines[k]))
        {
            k += 1;
            if !blank_or_comment(lines[k - 1]) {
                end = k;
            }
        }
        k = end;
        let text: Vec<u8> = lines[start..end].concat();
        let src = parse_bytes(&text, file);
        match (src.errors.is_empty(), src.programs.as_slice()) {
            (true, [p]) if p.program.name == task => {
                if !raw.is_empty() {
                    out.push(Piece::Raw(std::mem::take(&mut raw)));
                }
                out.push(Piece::Solver(canonical_text(&p.program), canonical(&p.program), text));
            }
            _ => raw.extend_from_slice(&text),
        }
    }
    if !raw.is_empty() {
        out.push(Piece::Raw(raw));
    }
    out
}

impl Library {
    /// The library in `dir`, keeping at most `keep` solvers per task.
    pub fn new(dir: impl Into<PathBuf>, keep: usize) -> Library {
        Library { dir: dir.into(), keep: keep.max(1), files: Arc::default() }
    }

    /// The files in memory, read from the directory the first time (a missing directory is an
    /// empty library).
    fn files(&self) -> MutexGuard<'_, Files> {
        let m = self.files.get_or_init(|| Mutex::new(read_dir(&self.dir)));
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Solvers kept per task.
    pub fn keep(&self) -> usize {
        self.keep
    }

    /// The task's file; an id that is not a plain name (a path, empty) is refused, so nothing
    /// is ever written outside the library's directory.
    fn file(&self, task: &str) -> std::io::Result<PathBuf> {
        if let Some(why) = batt_dsl::task::task_id_problem(task) {
            return Err(Error::new(ErrorKind::InvalidInput, format!("no library file for task {task:?}: {why}")));
        }
        Ok(self.dir.join(format!("{task}.py")))
    }

    /// Checks, before any work, that the library can be written: its directory exists (it is
    /// created if missing), is a directory and takes new files.
    pub fn check(&self) -> std::io::Result<()> {
        let what = |e: Error| Error::new(e.kind(), format!("library {}: {e}", self.dir.display()));
        if self.dir.exists() && !self.dir.is_dir() {
            return Err(Error::other(format!("library {}: not a directory", self.dir.display())));
        }
        std::fs::create_dir_all(&self.dir).map_err(what)?;
        probe_dir(&self.dir).map_err(what)
    }

    /// Every solver in the library, and the problems of its files, in the order of their
    /// files' names.
    pub fn load(&self) -> Loaded {
        let files = self.files();
        let mut out = Loaded::default();
        for src in files.by_task.values() {
            out.programs.extend(src.programs.iter().cloned());
            out.errors.extend(src.errors.iter().cloned());
        }
        out
    }

    /// The solvers kept for `task`.
    pub fn solvers(&self, task: &str) -> Vec<Program> {
        let files = self.files();
        files.by_task.get(task).map_or_else(Vec::new, |src| src.programs.iter().map(|p| p.program.clone()).collect())
    }

    /// Whether `task` has a solver in the library.
    pub fn has_solver(&self, task: &str) -> bool {
        self.files().by_task.get(task).is_some_and(|src| !src.programs.is_empty())
    }

    /// Adds solvers of `task`; returns how many new ones are kept. The task's file is rewritten
    /// (atomically, under its lock, from what it holds at that moment) only when something
    /// changed, and never when it cannot be read.
    pub fn add(&self, task: &str, found: &[Program]) -> std::io::Result<usize> {
        let path = self.file(task)?;
        std::fs::create_dir_all(&self.dir)?;
        let _lock = Lock::take(&path)?;
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == ErrorKind::NotFound => vec![],
            Err(e) => {
                return Err(Error::new(
                    e.kind(),
                    format!("cannot read {} ({e}), so it is left as it is", path.display()),
                ))
            }
        };
        let pieces = pieces(&bytes, task, &path.display().to_string());
        // the file's solvers (with their text), then the new ones
        let mut kept: Vec<(String, Program, Option<&[u8]>)> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Solver(t, c, text) => Some((t.clone(), c.clone(), Some(text.as_slice()))),
                Piece::Raw(_) => None,
            })
            .collect();
        let before: Vec<String> = kept.iter().map(|(t, ..)| t.clone()).collect();
        for p in found {
            let t = canonical_text(p);
            if kept.iter().any(|(k, ..)| *k == t) {
                continue;
            }
            let mut c = canonical(p);
            c.name = task.to_string();
            kept.push((t, c, None));
        }
        // fewest lines first; the sort is stable, so earlier finds win ties
        kept.sort_by_key(|(_, p, _)| p.lines.len());
        kept.truncate(self.keep);
        let after: Vec<String> = kept.iter().map(|(t, ..)| t.clone()).collect();
        if after == before {
            return Ok(0);
        }
        let new_kept = after.iter().filter(|t| !before.contains(t)).count();
        // everything that is not a solver, as it was; then the solvers kept
        let mut out: Vec<u8> = vec![];
        for p in &pieces {
            if let Piece::Raw(r) = p {
                if !r.iter().all(u8::is_ascii_whitespace) {
                    out.extend_from_slice(r);
                    if !out.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                }
            }
        }
        for (_, p, text) in &kept {
            if !out.is_empty() {
                out.push(b'\n');
            }
            match text {
                Some(t) => {
                    out.extend_from_slice(t);
                    if !out.ends_with(b"\n") {
                        out.push(b'\n');
                    }
                }
                None => out.extend_from_slice(print(p).as_bytes()),
            }
        }
        write_file_atomic(&path, &out)?;
        let src = parse_bytes(&out, &path.display().to_string());
        self.files().by_task.insert(task.to_string(), src);
        Ok(new_kept)
    }
}

/// Reads every `*.py` file of a library directory.
fn read_dir(dir: &Path) -> Files {
    let mut out = Files::default();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    let mut files: Vec<PathBuf> =
        entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "py")).collect();
    files.sort();
    for f in files {
        let stem = f.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        out.by_task.insert(stem, parse_file(&f));
    }
    out
}

/// An advisory lock on a library file: `.<name>.lock` beside it, created exclusively, removed
/// when dropped. A lock older than [`STALE_LOCK`] was left by a process that died, and is taken
/// over.
struct Lock(PathBuf);

/// Writes under a lock take milliseconds: a lock this old is stale.
const STALE_LOCK: Duration = Duration::from_secs(30);

impl Lock {
    fn take(file: &Path) -> std::io::Result<Lock> {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lock = file.with_file_name(format!(".{name}.lock"));
        let start = Instant::now();
        let mut wait = Duration::from_millis(1);
        loop {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(Lock(lock));
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let age = std::fs::metadata(&lock).and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
                    if age.is_some_and(|a| a > STALE_LOCK) || holder_is_gone(&lock) {
                        let _ = std::fs::remove_file(&lock);
                        continue;
                    }
                    if start.elapsed() > STALE_LOCK + Duration::from_secs(5) {
                        return Err(Error::new(
                            ErrorKind::WouldBlock,
                            format!(
                                "{} stays locked by {} (remove it if no batt is running)",
                                file.display(),
                                lock.display()
                            ),
                        ));
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_millis(50));
                }
                Err(e) => return Err(Error::new(e.kind(), format!("cannot lock {}: {e}", lock.display()))),
            }
        }
    }
}

/// Whether the process named in a lock file is known to have ended (Linux: no `/proc/<pid>`).
fn holder_is_gone(lock: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(lock) else { return false };
    let Ok(pid) = text.trim().parse::<u32>() else { return false };
    Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Where an output path leads.
enum Target {
    /// A regular file, or none yet: written to a temporary file beside it, then renamed.
    File(PathBuf),
    /// A device, pipe or socket (`/dev/null`, `/dev/stdout`): written in place.
    Special(PathBuf),
}

/// Resolves an output path: through symbolic links; a directory or a link to nothing is an
/// error.
fn target(path: &Path) -> std::io::Result<Target> {
    let err = |msg: &str| Error::other(format!("{}: {msg}", path.display()));
    let real = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Target::File(path.to_path_buf())),
        Err(e) => return Err(Error::new(e.kind(), format!("{}: {e}", path.display()))),
        Ok(m) if m.file_type().is_symlink() => {
            std::fs::canonicalize(path).map_err(|_| err("a symbolic link to a missing file"))?
        }
        Ok(_) => path.to_path_buf(),
    };
    let m = std::fs::metadata(&real).map_err(|e| Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    if m.is_dir() {
        Err(err("is a directory"))
    } else if m.is_file() {
        Ok(Target::File(real))
    } else {
        Ok(Target::Special(real))
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// A temporary file's name beside `path`, unique to this process and call.
fn temp_beside(path: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    parent(path).join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Removes the temporary files ([`write_file_atomic`]'s) and the locks this process left in
/// `dir`: for a process that must end in the middle of a write.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let pid = std::process::id().to_string();
    let temp = format!(".tmp-{pid}-");
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with('.')
            && (name.contains(&temp)
                || name.ends_with(".lock") && std::fs::read_to_string(e.path()).is_ok_and(|t| t.trim() == pid));
        if ours {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether a directory takes new files (a probe file is created and removed).
fn probe_dir(dir: &Path) -> std::io::Result<()> {
    let probe = temp_beside(&dir.join("probe"));
    std::fs::File::create(&probe)?;
    std::fs::remove_file(&probe)
}

/// Checks, before any work, that `path` can be written by [`write_file_atomic`]: not a
/// directory nor a link to nothing, and its directory (created if missing) takes new files.
pub fn check_output(path: &Path) -> std::io::Result<()> {
    let what = |e: Error| Error::new(e.kind(), format!("output {}: {e}", path.display()));
    match target(path)? {
        // opening a pipe has effects (it waits for, and then ends, a reader): it is written
        // when the output is ready
        Target::Special(_) => Ok(()),
        Target::File(p) => {
            if p.exists() {
                std::fs::OpenOptions::new().append(true).open(&p).map_err(what)?;
            }
            std::fs::create_dir_all(parent(&p)).map_err(what)?;
            probe_dir(parent(&p)).map_err(what)
        }
    }
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename). A symbolic
/// link is written through (its target is replaced), a device or pipe is written in place, a
/// directory is an error; no temporary file is left behind.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let path = match target(path)? {
        Target::Special(p) => return std::fs::OpenOptions::new().write(true).open(p)?.write_all(bytes),
        Target::File(p) => p,
    };
    std::fs::create_dir_all(parent(&path))?;
    let tmp = temp_beside(&path);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, &path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
