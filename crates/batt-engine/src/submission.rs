//! The Kaggle ARC Prize `submission.json`, and its score when the test outputs are known.

use crate::library::write_file_atomic;
use crate::predict::{Attempts, TaskPrediction};
use batt_dsl::task::{grid_to_json, parse_any_grid, task_id_problem, Task};
use serde_json::{json, Map, Value as J};
use std::path::{Path, PathBuf};

/// The submission: every task id mapped to one `{"attempt_1", "attempt_2"}` per test input.
pub fn submission_json(preds: &[TaskPrediction]) -> J {
    let mut m = Map::new();
    let mut sorted: Vec<&TaskPrediction> = preds.iter().collect();
    sorted.sort_by(|a, b| a.task.cmp(&b.task));
    for p in sorted {
        let tests: Vec<J> = p
            .tests
            .iter()
            .map(|a| json!({"attempt_1": grid_to_json(&a.attempt_1), "attempt_2": grid_to_json(&a.attempt_2)}))
            .collect();
        m.insert(p.task.clone(), J::Array(tests));
    }
    J::Object(m)
}

/// Writes the submission file atomically.
pub fn write_submission(path: &Path, preds: &[TaskPrediction]) -> std::io::Result<()> {
    let text = serde_json::to_string(&submission_json(preds)).map_err(std::io::Error::other)?;
    write_file_atomic(path, text.as_bytes())
}

/// A problem with a submission file: the file, and where possible the task and test index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmissionError {
    pub file: PathBuf,
    pub task: Option<String>,
    pub test: Option<usize>,
    pub reason: String,
}

impl std::fmt::Display for SubmissionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(t) = &self.task {
            write!(f, ": task {t}")?;
        }
        if let Some(k) = self.test {
            write!(f, ": test {k}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for SubmissionError {}

/// Reads a `submission.json` (every task id mapped to one `{"attempt_1", "attempt_2"}` per
/// test input), sorted by task id. Predictions read from a file name no solver
/// (`solver: None, solvers: 0`). Anything malformed is an error naming the file, task and test.
pub fn read_submission(path: &Path) -> Result<Vec<TaskPrediction>, SubmissionError> {
    let err = |task: Option<&str>, test: Option<usize>, reason: String| SubmissionError {
        file: path.to_path_buf(),
        task: task.map(str::to_string),
        test,
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(None, None, e.to_string()))?;
    let j: J = serde_json::from_str(&text).map_err(|e| err(None, None, format!("invalid JSON: {e}")))?;
    let map = j.as_object().ok_or_else(|| err(None, None, "expected a map of task ids to lists of attempts".into()))?;
    let mut preds = Vec::with_capacity(map.len());
    for (id, tests) in map {
        if let Some(why) = task_id_problem(id) {
            return Err(err(Some(id), None, why));
        }
        let tests = tests.as_array().ok_or_else(|| err(Some(id), None, "expected a list of attempts".into()))?;
        let mut attempts = Vec::with_capacity(tests.len());
        for (k, a) in tests.iter().enumerate() {
            let grid = |key: &str| -> Result<batt_dsl::Grid, SubmissionError> {
                let g = a.get(key).ok_or_else(|| err(Some(id), Some(k), format!("missing \"{key}\"")))?;
                parse_any_grid(g).map_err(|e| err(Some(id), Some(k), format!("{key}: {e}")))
            };
            attempts.push(Attempts { attempt_1: grid("attempt_1")?, attempt_2: grid("attempt_2")? });
        }
        preds.push(TaskPrediction { task: id.clone(), tests: attempts, solver: None, solvers: 0 });
    }
    preds.sort_by(|a, b| a.task.cmp(&b.task));
    Ok(preds)
}

/// The Kaggle score of a submission: a test output counts when either attempt is exactly
/// right; each task scores the fraction of its test outputs that count, and the score is the
/// mean over tasks.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Score {
    /// Tasks whose test outputs are all known (the ones scored).
    pub tasks: usize,
    /// Sum over those tasks of the fraction of their test outputs right.
    pub points: f64,
    /// `points / tasks`.
    pub score: f64,
    pub outputs_right: usize,
    pub outputs: usize,
}

/// Per test output of task `t` whose answer is known, its index and whether either attempt
/// of prediction `p` is exactly right.
pub fn outputs_right<'a>(p: &'a TaskPrediction, t: &'a Task) -> impl Iterator<Item = (usize, bool)> + 'a {
    p.tests
        .iter()
        .zip(&t.test)
        .enumerate()
        .filter_map(|(i, (a, x))| x.output.as_ref().map(|o| (i, *o == a.attempt_1 || *o == a.attempt_2)))
}

/// Scores predictions against the tasks' known test outputs; `None` when no task has them.
pub fn score(preds: &[TaskPrediction], tasks: &[Task]) -> Option<Score> {
    let mut s = Score { tasks: 0, points: 0.0, score: 0.0, outputs_right: 0, outputs: 0 };
    for p in preds {
        let Some(t) = tasks.iter().find(|t| t.id == p.task) else { continue };
        if !t.has_test_outputs() {
            continue;
        }
        let right = outputs_right(p, t).filter(|&(_, ok)| ok).count();
        s.tasks += 1;
        s.outputs += t.test.len();
        s.outputs_right += right;
        s.points += right as f64 / t.test.len() as f64;
    }
    if s.tasks == 0 {
        return None;
    }
    s.score = s.points / s.tasks as f64;
    Some(s)
}
