//! One pass of the battery over tasks, keeping what it finds: the step that `batt run`,
//! `batt evolve` and `batt solve` share.

use crate::{evaluate, Battery, EvalConfig, Evaluation, Library};
use batt_dsl::task::Task;
use std::path::PathBuf;

/// What can stop a pass.
#[derive(Debug, thiserror::Error)]
pub enum PassError {
    #[error("evaluating: {0}")]
    Backend(#[from] crate::BackendError),
    #[error("writing the library in {dir}: {source}")]
    Library { dir: PathBuf, source: std::io::Error },
}

/// What a pass kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Kept {
    /// Tasks with at least one solver among the battery's nodes.
    pub tasks_solved: usize,
    /// Solvers new to the library.
    pub new_solvers: usize,
}

/// Evaluates `battery` over `tasks` and adds every task's shortest solvers (up to the
/// library's keep) to `library` as soon as the task's pairs are done. `progress` is told the
/// pairs done and the tasks solved so far after each mega-batch.
pub fn evaluate_and_keep(
    battery: &Battery,
    tasks: &[Task],
    cfg: &EvalConfig,
    library: &Library,
    keep: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<(Evaluation, Kept), PassError> {
    let mut kept = Kept::default();
    let mut error: Option<std::io::Error> = None;
    let eval = evaluate(battery, tasks, cfg, |done, finished| {
        for ts in finished.iter().filter(|ts| !ts.solvers.is_empty()) {
            kept.tasks_solved += 1;
            let id = &tasks[ts.task].id;
            // the shortest `keep` only: slicing every solver of a long chain is quadratic
            let slices: Vec<batt_prog::Program> =
                battery.shortest_slices(&ts.solvers, keep).into_iter().map(|(n, _)| battery.slice(n, id)).collect();
            match library.add(id, &slices) {
                Ok(n) => kept.new_solvers += n,
                Err(e) => {
                    error.get_or_insert(e);
                }
            }
        }
        progress(done, kept.tasks_solved);
    })?;
    match error {
        Some(source) => Err(PassError::Library { dir: library.dir().to_path_buf(), source }),
        None => Ok((eval, kept)),
    }
}
