//! The Kaggle ARC Prize `submission.json`, and its score when the test outputs are known.

use crate::library::write_file_atomic;
use crate::predict::{Attempts, TaskPrediction};
use batt_dsl::task::{grid_to_json, parse_any_grid, Task};
use batt_dsl::Grid;
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

/// Whether either attempt is exactly the expected output: what makes a test output right.
fn right(a: &Attempts, want: &Grid) -> bool {
    *want == a.attempt_1 || *want == a.attempt_2
}

/// Per test output of task `t` whose answer is known, its index and whether either attempt
/// of prediction `p` is exactly right.
pub fn outputs_right<'a>(p: &'a TaskPrediction, t: &'a Task) -> impl Iterator<Item = (usize, bool)> + 'a {
    p.tests.iter().zip(&t.test).enumerate().filter_map(|(i, (a, x))| x.output.as_ref().map(|o| (i, right(a, o))))
}

/// Scores predictions against the tasks' known test outputs; `None` when no task has them.
pub fn score(preds: &[TaskPrediction], tasks: &[Task]) -> Option<Score> {
    let known = tasks
        .iter()
        .filter(|t| t.has_test_outputs())
        .map(|t| (t.id.as_str(), t.test.iter().filter_map(|x| x.output.as_ref()).collect()));
    score_outputs(preds, known)
}

/// Scores predictions against known test outputs given per task id (as a Kaggle
/// `*_solutions.json` lists them): every task listed scores the fraction of its outputs that
/// either attempt gets exactly right, 0 when it has no prediction; `None` when none is listed.
pub fn score_outputs<'a>(
    preds: &[TaskPrediction],
    known: impl IntoIterator<Item = (&'a str, Vec<&'a Grid>)>,
) -> Option<Score> {
    let mut s = Score { tasks: 0, points: 0.0, score: 0.0, outputs_right: 0, outputs: 0 };
    for (id, outputs) in known {
        if outputs.is_empty() {
            continue;
        }
        let tests = preds.iter().find(|p| p.task == id).map_or(&[][..], |p| &p.tests[..]);
        let right = tests.iter().zip(&outputs).filter(|(a, o)| right(a, o)).count();
        s.tasks += 1;
        s.outputs += outputs.len();
        s.outputs_right += right;
        s.points += right as f64 / outputs.len() as f64;
    }
    if s.tasks == 0 {
        return None;
    }
    s.score = s.points / s.tasks as f64;
    Some(s)
}

/// Reads a submission in the layout [`submission_json`] writes (an attempt may be any grid a
/// program makes, not only an ARC grid); a problem is reported with its task, test input and
/// attempt.
pub fn parse_submission(j: &J) -> Result<Vec<TaskPrediction>, String> {
    let map = j.as_object().ok_or("a submission must map task ids to lists of attempts")?;
    let mut preds = Vec::with_capacity(map.len());
    for (id, tests) in map {
        let tests = tests.as_array().ok_or_else(|| {
            format!("task {id}: expected a list of {{\"attempt_1\", \"attempt_2\"}}, one per test input")
        })?;
        let mut attempts = Vec::with_capacity(tests.len());
        for (k, a) in tests.iter().enumerate() {
            let grid = |key: &str| -> Result<Grid, String> {
                let g = a.get(key).ok_or_else(|| format!("task {id}: test {k}: missing \"{key}\""))?;
                parse_any_grid(g).map_err(|e| format!("task {id}: test {k}: {key}: {e}"))
            };
            attempts.push(Attempts { attempt_1: grid("attempt_1")?, attempt_2: grid("attempt_2")? });
        }
        preds.push(TaskPrediction { task: id.clone(), tests: attempts, solver: None, solvers: 0 });
    }
    Ok(preds)
}
