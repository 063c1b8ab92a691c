//! The Kaggle ARC Prize `submission.json`, and its score when the test outputs are known.

use crate::library::write_file_atomic;
use crate::predict::TaskPrediction;
use batt_dsl::task::{grid_to_json, Task};
use serde_json::{json, Map, Value as J};
use std::path::Path;

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
