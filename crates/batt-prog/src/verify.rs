//! Replaying solvers on their tasks: pass or fail per demo and test pair.

use crate::interp::run;
use crate::parse::Parsed;
use batt_dsl::task::Task;
use batt_dsl::{Ctx, Value};
use serde::Serialize;
use std::collections::HashMap;

/// The result of one solver on one pair.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct PairResult {
    /// `train` or `test`.
    pub split: &'static str,
    pub index: usize,
    /// `Some(true)` when the output is exactly right, `Some(false)` when it is wrong or the run
    /// failed, `None` when the expected output is not known.
    pub ok: Option<bool>,
    /// Why the run failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One solver on its task.
#[derive(Clone, Debug, Serialize)]
pub struct SolverResult {
    pub task: String,
    /// `file:line` of the solver's `def`.
    pub source: String,
    pub pairs: Vec<PairResult>,
    /// Every pair with a known output is right.
    pub passed: bool,
}

/// The replay of a set of solvers.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub solvers: Vec<SolverResult>,
    /// Problems that are not a pair's result: solvers for tasks that are not loaded.
    pub errors: Vec<String>,
    /// Distinct tasks with a solver that passes.
    pub tasks_solved: usize,
    /// Distinct tasks with a solver.
    pub tasks_with_solver: usize,
}

impl Report {
    /// At least one solver was replayed, every solver passes every pair, and nothing else
    /// went wrong (a replay of nothing has not passed: a mistyped path must not look like
    /// success).
    pub fn all_passed(&self) -> bool {
        !self.solvers.is_empty() && self.errors.is_empty() && self.solvers.iter().all(|s| s.passed)
    }
}

/// Runs one solver on every pair of its task.
pub fn verify_one(p: &Parsed, task: &Task, steps: u64) -> SolverResult {
    let s = task.samples();
    let mut pairs = vec![];
    let mut check = |split: &'static str, index: usize, input: &batt_dsl::Grid, want: Option<&batt_dsl::Grid>| {
        let got = run(&p.program, &Value::Grid(input.clone()), Some(&s), &mut Ctx::new(steps));
        let (ok, error) = match (got, want) {
            (Ok(v), Some(w)) => (Some(matches!(&v, Value::Grid(g) if g == w)), None),
            (Ok(_), None) => (None, None),
            (Err(e), _) => {
                let at = e.line.map(|k| format!("{}:{}: ", p.file, p.line_nos[k])).unwrap_or_default();
                (Some(false), Some(format!("{at}{e}")))
            }
        };
        pairs.push(PairResult { split, index, ok, error });
    };
    for (k, ex) in task.train.iter().enumerate() {
        check("train", k, &ex.input, Some(&ex.output));
    }
    for (k, t) in task.test.iter().enumerate() {
        check("test", k, &t.input, t.output.as_ref());
    }
    let passed = pairs.iter().all(|r| r.ok != Some(false));
    SolverResult { task: task.id.clone(), source: format!("{}:{}", p.file, p.def_line), pairs, passed }
}

/// Runs every solver on its task.
pub fn verify(programs: &[Parsed], tasks: &[Task], steps: u64) -> Report {
    verify_while(programs, tasks, steps, || true)
}

/// [`verify`], asking `go_on` before each solver: when it answers `false`, the report has the
/// solvers run so far.
pub fn verify_while(programs: &[Parsed], tasks: &[Task], steps: u64, mut go_on: impl FnMut() -> bool) -> Report {
    let by_id: HashMap<&str, &Task> = tasks.iter().map(|t| (t.id.as_str(), t)).collect();
    let mut solvers = vec![];
    let mut errors = vec![];
    for p in programs {
        if !go_on() {
            break;
        }
        match by_id.get(p.program.name.as_str()) {
            Some(task) => solvers.push(verify_one(p, task, steps)),
            None if p.program.name.is_empty() => {
                errors.push(format!("{}:{}: `solve` names no task: call it solve_<task id>", p.file, p.def_line))
            }
            None => {
                errors.push(format!("{}:{}: no task `{}` among the loaded tasks", p.file, p.def_line, p.program.name))
            }
        }
    }
    let mut per_task: HashMap<&str, bool> = HashMap::new();
    for s in &solvers {
        *per_task.entry(s.task.as_str()).or_default() |= s.passed;
    }
    let tasks_solved = per_task.values().filter(|&&b| b).count();
    Report { tasks_with_solver: per_task.len(), tasks_solved, solvers, errors }
}
