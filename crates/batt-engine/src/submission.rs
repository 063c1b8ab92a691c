//! The Kaggle ARC Prize `submission.json`, and its score when the test outputs are known.

use crate::library::write_file_atomic;
use crate::predict::{Attempts, TaskPrediction};
use batt_dsl::task::{grid_to_json, parse_any_grid, task_id_problem, Task};
use batt_dsl::Grid;
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
/// test input), sorted by task id; see [`parse_submission`].
pub fn read_submission(path: &Path) -> Result<Vec<TaskPrediction>, SubmissionError> {
    let err = |reason: String| SubmissionError { file: path.to_path_buf(), task: None, test: None, reason };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let j: J = serde_json::from_str(&text).map_err(|e| err(format!("invalid JSON: {e}")))?;
    parse_submission(&j, path)
}

/// A submission already read as JSON, sorted by task id; `source` names it in errors.
/// Predictions read so name no solver (`solver: None, solvers: 0`); an attempt may be any
/// grid a program makes, not only an ARC grid. Anything malformed is an error naming the
/// source, task and test.
pub fn parse_submission(j: &J, source: &Path) -> Result<Vec<TaskPrediction>, SubmissionError> {
    let err = |task: Option<&str>, test: Option<usize>, reason: String| SubmissionError {
        file: source.to_path_buf(),
        task: task.map(str::to_string),
        test,
        reason,
    };
    let map = j.as_object().ok_or_else(|| err(None, None, "expected a map of task ids to lists of attempts".into()))?;
    let mut preds = Vec::with_capacity(map.len());
    for (id, tests) in map {
        if let Some(why) = task_id_problem(id) {
            return Err(err(Some(id), None, why));
        }
        let tests = tests.as_array().ok_or_else(|| err(Some(id), None, "expected a list of attempts".into()))?;
        let mut attempts = Vec::with_capacity(tests.len());
        for (k, a) in tests.iter().enumerate() {
            let grid = |key: &str| -> Result<Grid, SubmissionError> {
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

/// Whether either attempt is exactly the expected output: what makes a test output right.
fn right(a: &Attempts, want: &Grid) -> bool {
    *want == a.attempt_1 || *want == a.attempt_2
}

/// Per test output of task `t` whose answer is known, its index and whether either attempt
/// of prediction `p` is exactly right.
pub fn outputs_right<'a>(p: &'a TaskPrediction, t: &'a Task) -> impl Iterator<Item = (usize, bool)> + 'a {
    p.tests.iter().zip(&t.test).enumerate().filter_map(|(i, (a, x))| x.output.as_ref().map(|o| (i, right(a, o))))
}

/// Each task's known test outputs, by task id: the tasks whose test outputs are all known.
pub fn known_outputs(tasks: &[Task]) -> impl Iterator<Item = (&str, Vec<&Grid>)> {
    tasks
        .iter()
        .filter(|t| t.has_test_outputs())
        .map(|t| (t.id.as_str(), t.test.iter().filter_map(|x| x.output.as_ref()).collect()))
}

/// Scores predictions against the known test outputs of the tasks they predict; `None` when
/// none of them has known outputs.
pub fn score(preds: &[TaskPrediction], tasks: &[Task]) -> Option<Score> {
    score_outputs(preds, known_outputs(tasks).filter(|(id, _)| preds.iter().any(|p| p.task == *id)))
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
