//! The library: every solver found, kept per task as `<task>.py` in solver syntax, so that a
//! person can read them and `batt verify` replays them. Solvers are deduplicated by their
//! canonical text, the best `keep` (fewest lines first, then the earliest found) are kept, and
//! every write is atomic (a temporary file renamed over the old one), so an interrupted run
//! loses nothing that was written before it.

use batt_prog::canon::{canonical, canonical_text};
use batt_prog::{parse_file, print, ProgError, Program};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A library directory.
#[derive(Clone, Debug)]
pub struct Library {
    dir: PathBuf,
    keep: usize,
}

/// What loading the library found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub programs: Vec<batt_prog::Parsed>,
    pub errors: Vec<ProgError>,
}

impl Library {
    /// The library in `dir`, keeping at most `keep` solvers per task.
    pub fn new(dir: impl Into<PathBuf>, keep: usize) -> Library {
        Library { dir: dir.into(), keep: keep.max(1) }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn file(&self, task: &str) -> PathBuf {
        self.dir.join(format!("{task}.py"))
    }

    /// Every solver in the library (a missing directory is an empty library).
    pub fn load(&self) -> Loaded {
        let mut out = Loaded::default();
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return out };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "py"))
            .collect();
        files.sort();
        for f in files {
            let src = parse_file(&f);
            out.programs.extend(src.programs);
            out.errors.extend(src.errors);
        }
        out
    }

    /// The solvers kept for `task`.
    pub fn solvers(&self, task: &str) -> Vec<Program> {
        let f = self.file(task);
        if !f.exists() {
            return vec![];
        }
        parse_file(&f).programs.into_iter().map(|p| p.program).collect()
    }

    /// Adds solvers of `task`; returns how many new ones are kept. The task's file is rewritten
    /// (atomically) only when something changed.
    pub fn add(&self, task: &str, found: &[Program]) -> std::io::Result<usize> {
        let mut kept: Vec<(String, Program)> =
            self.solvers(task).into_iter().map(|p| (canonical_text(&p), canonical(&p))).collect();
        let before: Vec<String> = kept.iter().map(|(t, _)| t.clone()).collect();
        for p in found {
            let t = canonical_text(p);
            if kept.iter().any(|(k, _)| *k == t) {
                continue;
            }
            let mut c = canonical(p);
            c.name = task.to_string();
            kept.push((t, c));
        }
        // fewest lines first; the sort is stable, so earlier finds win ties
        kept.sort_by_key(|(_, p)| p.lines.len());
        kept.truncate(self.keep);
        let after: Vec<String> = kept.iter().map(|(t, _)| t.clone()).collect();
        if after == before {
            return Ok(0);
        }
        let new_kept = after.iter().filter(|t| !before.contains(t)).count();
        let text: String = kept.iter().map(|(_, p)| print(p)).collect::<Vec<_>>().join("\n");
        write_file_atomic(&self.file(task), text.as_bytes())?;
        Ok(new_kept)
    }
}

/// Writes `bytes` to `path` atomically (a temporary file beside it, then a rename).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
