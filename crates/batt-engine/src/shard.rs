//! Runs beyond one machine: a task list split into shards that separate processes run
//! (`--shard I/N`), and the merge of what the shards wrote: their submissions and their
//! libraries.
//!
//! A shard is defined by the task ids alone: the tasks sorted by id, shard `I` of `N` takes
//! those at positions `I, I + N, I + 2N, ...`. So it does not depend on the order the tasks
//! were loaded in nor on anything the other shards do, every task is in exactly one shard, and
//! the shards' sizes differ by at most one.

use crate::predict::TaskPrediction;
use crate::submission::{read_submission, SubmissionError};
use crate::Library;
use batt_dsl::task::{task_id_problem, Task};
use batt_prog::{ProgError, Program};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Shard `index` of `count` (`0 <= index < count`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: usize,
    count: usize,
}

/// The most shards a task list is split into.
pub const MAX_SHARDS: usize = 1_000_000;

impl Shard {
    /// Shard `index` of `count`; an index outside `0..count` or a count of 0 is an error.
    pub fn new(index: usize, count: usize) -> Result<Shard, String> {
        if count == 0 || count > MAX_SHARDS {
            return Err(format!("the shard count {count} must be from 1 to {MAX_SHARDS}"));
        }
        if index >= count {
            return Err(format!(
                "shard {index}/{count}: the index must be below the count (the shards of {count} are 0/{count} to {}/{count})",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    pub fn index(&self) -> usize {
        self.index
    }

    pub fn count(&self) -> usize {
        self.count
    }

    /// The tasks of this shard, sorted by id: of all `tasks` sorted by id, those at positions
    /// `index, index + count, ...`.
    pub fn take(&self, mut tasks: Vec<Task>) -> Vec<Task> {
        tasks.sort_by(|a, b| a.id.cmp(&b.id));
        tasks.into_iter().skip(self.index).step_by(self.count).collect()
    }
}

impl FromStr for Shard {
    type Err = String;

    /// `I/N`, for example `0/8`.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}` is not a shard: expected I/N with 0 <= I < N, for example 0/8");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let i: usize = i.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        Shard::new(i, n)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Joins submission files into one, sorted by task id. A task may be in several files only
/// with the same predictions; predictions that differ for one task and test input are an error
/// naming both files.
pub fn merge_submissions(files: &[PathBuf]) -> Result<Vec<TaskPrediction>, SubmissionError> {
    let mut merged: BTreeMap<String, (TaskPrediction, &Path)> = BTreeMap::new();
    for file in files {
        for p in read_submission(file)? {
            let Some((q, first)) = merged.get(&p.task) else {
                merged.insert(p.task.clone(), (p, file));
                continue;
            };
            let conflict = |test: Option<usize>, what: String| SubmissionError {
                file: file.clone(),
                task: Some(p.task.clone()),
                test,
                reason: format!("{what} (conflicting predictions in {} and {})", first.display(), file.display()),
            };
            if q.tests.len() != p.tests.len() {
                return Err(conflict(
                    None,
                    format!("{} test inputs here, {} in {}", p.tests.len(), q.tests.len(), first.display()),
                ));
            }
            if let Some(k) = (0..p.tests.len()).find(|&k| p.tests[k] != q.tests[k]) {
                return Err(conflict(Some(k), "the attempts differ".into()));
            }
        }
    }
    Ok(merged.into_values().map(|(p, _)| p).collect())
}

/// What merging libraries did.
#[derive(Debug, Default)]
pub struct LibraryMerge {
    /// Tasks with solvers in the libraries merged.
    pub tasks: usize,
    /// Solvers read from them.
    pub solvers: usize,
    /// Solvers the target did not have and now keeps.
    pub new_solvers: usize,
    /// Text in the libraries merged that is not a solver (a function that does not parse):
    /// left where it is, not merged.
    pub skipped: Vec<ProgError>,
}

/// Adds every solver of the `sources` library directories to `target`, task by task, through
/// [`Library::add`] (deduplicated by canonical form, each file written atomically under its
/// lock, the target's own text kept). Every source is read and every task id checked before
/// anything is written; a source that is not a directory is an error.
pub fn merge_libraries(sources: &[PathBuf], target: &Library) -> std::io::Result<LibraryMerge> {
    let mut out = LibraryMerge::default();
    let mut by_task: BTreeMap<String, Vec<Program>> = BTreeMap::new();
    for src in sources {
        if !src.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("library {}: not a directory", src.display()),
            ));
        }
        let loaded = Library::new(src, 1).load();
        out.skipped.extend(loaded.errors);
        for p in loaded.programs {
            if let Some(why) = task_id_problem(&p.program.name) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}:{}: {why}", p.file, p.def_line),
                ));
            }
            out.solvers += 1;
            by_task.entry(p.program.name.clone()).or_default().push(p.program);
        }
    }
    out.tasks = by_task.len();
    for (task, programs) in &by_task {
        out.new_solvers += target.add(task, programs)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_dsl::task::{Example, Test};
    use batt_dsl::Grid;

    fn task(id: &str) -> Task {
        let g = Grid::new(1, 1, vec![1]).unwrap();
        Task {
            id: id.into(),
            train: vec![Example { input: g.clone(), output: g.clone() }],
            test: vec![Test { input: g, output: None }],
        }
    }

    fn ids(tasks: &[Task]) -> Vec<&str> {
        tasks.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn shards_partition_the_tasks_whatever_their_order() {
        let names = ["e", "a", "d", "g", "b", "f", "c"];
        let tasks: Vec<Task> = names.iter().map(|n| task(n)).collect();
        let mut reversed = tasks.clone();
        reversed.reverse();
        let shards: Vec<Vec<Task>> = (0..3).map(|i| Shard::new(i, 3).unwrap().take(tasks.clone())).collect();
        assert_eq!(ids(&shards[0]), ["a", "d", "g"]);
        assert_eq!(ids(&shards[1]), ["b", "e"]);
        assert_eq!(ids(&shards[2]), ["c", "f"]);
        for (i, s) in shards.iter().enumerate() {
            assert_eq!(&Shard::new(i, 3).unwrap().take(reversed.clone()), s, "load order does not matter");
        }
        assert_eq!(Shard::new(0, 1).unwrap().take(tasks.clone()).len(), 7);
        assert!(Shard::new(7, 8).unwrap().take(tasks).is_empty());
    }

    #[test]
    fn shard_syntax_and_range_are_checked() {
        assert_eq!("3/8".parse::<Shard>(), Ok(Shard { index: 3, count: 8 }));
        assert_eq!(" 0 / 1 ".parse::<Shard>().map(|s| s.to_string()), Ok("0/1".to_string()));
        let e = "8/8".parse::<Shard>().unwrap_err();
        assert!(e.contains("below the count") && e.contains("7/8"), "{e}");
        assert!("0/0".parse::<Shard>().unwrap_err().contains("from 1"));
        for bad in ["3", "-1/4", "a/b", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().unwrap_err().contains("is not a shard"), "{bad}");
        }
    }
}
