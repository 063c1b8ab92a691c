//! ARC tasks: loading and validation.
//!
//! Three layouts are read: a directory of per-task JSON files (ARC-AGI-1/2:
//! `{"train": [{"input", "output"}...], "test": [{"input", "output"?}...]}`, the task id being
//! the file stem), one such file, and Kaggle ARC Prize files (`*_challenges.json` mapping task
//! ids to `{"train", "test"}` with test inputs only, and an optional `*_solutions.json` mapping
//! task ids to the list of test output grids). Every grid is validated (rectangular,
//! 1..=30 × 1..=30, colours 0..=9). A bad file, task or pair is reported as one [`LoadError`]
//! naming where it is, and everything else still loads.

use crate::grid::Grid;
use crate::value::Value;
use serde_json::Value as J;
use std::fmt;
use std::path::{Path, PathBuf};

/// Largest side of an ARC grid.
pub const ARC_MAX_SIDE: usize = 30;

/// A demo pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub input: Grid,
    pub output: Grid,
}

/// A test input, with its output when it is known (training data, or a solutions file).
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub input: Grid,
    pub output: Option<Grid>,
}

/// One ARC task.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub id: String,
    pub train: Vec<Example>,
    pub test: Vec<Test>,
}

/// Where in a task a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Place {
    Train(usize),
    Test(usize),
}

/// A problem found while loading: the file, and where possible the task and the pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub file: PathBuf,
    pub task: Option<String>,
    pub pair: Option<Place>,
    pub reason: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(t) = &self.task {
            write!(f, ": task {t}")?;
        }
        match &self.pair {
            Some(Place::Train(k)) => write!(f, ": train pair {k}")?,
            Some(Place::Test(k)) => write!(f, ": test pair {k}")?,
            None => {}
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for LoadError {}

/// What a load produced: the tasks that are sound, and a report of everything that is not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub tasks: Vec<Task>,
    pub errors: Vec<LoadError>,
}

/// Longest task id accepted.
pub const MAX_TASK_ID: usize = 64;

/// Why `id` cannot be a task id, or `None` when it can. A task id names the library file
/// `<id>.py` and the solver `solve_<id>`, so it must be 1..=64 ASCII letters, digits, `_` or
/// `-` (ARC ids are eight hex digits): never a path, never empty.
pub fn task_id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("invalid task id \"\": it is empty".into());
    }
    if id.len() > MAX_TASK_ID {
        return Some(format!("invalid task id: {} characters (at most {MAX_TASK_ID})", id.len()));
    }
    if let Some(c) = id.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        return Some(format!("invalid task id {id:?}: {c:?} is not allowed (only letters, digits, `_` and `-`)"));
    }
    None
}

impl Task {
    /// Whether every test output is known (so predictions can be scored).
    pub fn has_test_outputs(&self) -> bool {
        !self.test.is_empty() && self.test.iter().all(|t| t.output.is_some())
    }

    /// The demo pairs as the value `S` that `def solve_<task>(S, I)` receives: a tuple of
    /// `(input, output)` grid pairs, in the task's order.
    pub fn samples(&self) -> Value {
        let pairs = self
            .train
            .iter()
            .map(|p| Value::tuple(vec![Value::Grid(p.input.clone()), Value::Grid(p.output.clone())]))
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_default();
        Value::tuple(pairs).unwrap_or_else(|_| Value::empty_tuple())
    }
}

/// Loads tasks from a path: a directory of task files, one task file, or a Kaggle challenges
/// file (its `*_solutions.json` sibling is read too when present).
pub fn load(path: &Path) -> Loaded {
    if path.is_dir() {
        return load_dir(path);
    }
    let mut out = Loaded::default();
    let j = match read_json(path) {
        Ok(j) => j,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    if j.get("train").is_some() {
        let id = stem(path);
        if let Some(reason) = task_id_problem(&id) {
            out.errors.push(LoadError { file: path.into(), task: Some(id), pair: None, reason });
            return out;
        }
        match parse_task(&j, &id) {
            Ok(t) => out.tasks.push(t),
            Err((pair, reason)) => out.errors.push(LoadError { file: path.into(), task: Some(id), pair, reason }),
        }
        return out;
    }
    let solutions = solutions_sibling(path);
    load_kaggle_json(path, &j, solutions.as_deref())
}

/// Loads Kaggle ARC Prize files: challenges, and optionally the solutions.
pub fn load_kaggle(challenges: &Path, solutions: Option<&Path>) -> Loaded {
    match read_json(challenges) {
        Ok(j) => load_kaggle_json(challenges, &j, solutions),
        Err(e) => Loaded { tasks: vec![], errors: vec![e] },
    }
}

/// Loads every `*.json` file of a directory (sorted by name) as one task each.
pub fn load_dir(dir: &Path) -> Loaded {
    let mut out = Loaded::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.errors.push(LoadError { file: dir.into(), task: None, pair: None, reason: e.to_string() });
            return out;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let id = stem(&file);
        if let Some(reason) = task_id_problem(&id) {
            out.errors.push(LoadError { file: file.clone(), task: Some(id), pair: None, reason });
            continue;
        }
        let parsed = read_json(&file).and_then(|j| {
            parse_task(&j, &id).map_err(|(pair, reason)| LoadError {
                file: file.clone(),
                task: Some(id.clone()),
                pair,
                reason,
            })
        });
        match parsed {
            Ok(t) => out.tasks.push(t),
            Err(e) => out.errors.push(e),
        }
    }
    out
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_json(path: &Path) -> Result<J, LoadError> {
    let err = |reason: String| LoadError { file: path.into(), task: None, pair: None, reason };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| err(format!("invalid JSON: {e}")))
}

/// `x_challenges.json` -> `x_solutions.json`, when that file exists.
fn solutions_sibling(challenges: &Path) -> Option<PathBuf> {
    let name = challenges.file_name()?.to_str()?;
    let sol = challenges.with_file_name(name.replace("_challenges", "_solutions"));
    (sol != challenges && sol.is_file()).then_some(sol)
}

fn load_kaggle_json(path: &Path, j: &J, solutions: Option<&Path>) -> Loaded {
    let mut out = Loaded::default();
    let Some(map) = j.as_object() else {
        out.errors.push(LoadError {
            file: path.into(),
            task: None,
            pair: None,
            reason: "expected a task object with \"train\" or a map of task ids (Kaggle challenges)".into(),
        });
        return out;
    };
    for (id, tj) in map {
        if let Some(reason) = task_id_problem(id) {
            out.errors.push(LoadError { file: path.into(), task: Some(id.clone()), pair: None, reason });
            continue;
        }
        match parse_task(tj, id) {
            Ok(t) => out.tasks.push(t),
            Err((pair, reason)) => {
                out.errors.push(LoadError { file: path.into(), task: Some(id.clone()), pair, reason })
            }
        }
    }
    out.tasks.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(s) = solutions {
        add_solutions(&mut out, s);
    }
    out
}

/// Gives the loaded tasks their test outputs from a Kaggle `*_solutions.json` (task ids mapped
/// to lists of test output grids), replacing any they had. A task the file lacks, or whose list
/// does not fit its test inputs, keeps what it had and is reported with the file and task.
pub fn add_solutions(loaded: &mut Loaded, solutions: &Path) {
    let sols = match read_json(solutions) {
        Ok(J::Object(m)) => m,
        Ok(_) => {
            loaded.errors.push(LoadError {
                file: solutions.into(),
                task: None,
                pair: None,
                reason: "expected a map of task ids to lists of test output grids".into(),
            });
            return;
        }
        Err(e) => {
            loaded.errors.push(e);
            return;
        }
    };
    for task in &mut loaded.tasks {
        if let Err((pair, reason)) = attach_solutions(task, sols.get(&task.id)) {
            loaded.errors.push(LoadError { file: solutions.into(), task: Some(task.id.clone()), pair, reason });
        }
    }
}

/// Where in a task a problem is (if in one pair), and what it is.
pub type PairErr = (Option<Place>, String);

fn attach_solutions(task: &mut Task, sol: Option<&J>) -> Result<(), PairErr> {
    let Some(sol) = sol else { return Err((None, "no solutions for this task".into())) };
    let grids = parse_outputs(sol)?;
    if grids.len() != task.test.len() {
        return Err((None, format!("{} solutions for {} test inputs", grids.len(), task.test.len())));
    }
    for (t, g) in task.test.iter_mut().zip(grids) {
        t.output = Some(g);
    }
    Ok(())
}

/// Parses one task's entry of a Kaggle solutions file: the list of its test output grids.
pub fn parse_outputs(sol: &J) -> Result<Vec<Grid>, PairErr> {
    let outs = sol.as_array().ok_or((None, "expected a list of test output grids".to_string()))?;
    outs.iter()
        .enumerate()
        .map(|(k, g)| parse_grid(g).map_err(|e| (Some(Place::Test(k)), format!("output: {e}"))))
        .collect()
}

/// Parses one task object (`{"train": [...], "test": [...]}`).
pub fn parse_task(j: &J, id: &str) -> Result<Task, PairErr> {
    let list = |key: &str| -> Result<&Vec<J>, PairErr> {
        j.get(key).and_then(J::as_array).ok_or((None, format!("missing \"{key}\" list")))
    };
    let train_j = list("train")?;
    let test_j = list("test")?;
    if train_j.is_empty() {
        return Err((None, "no train pairs".into()));
    }
    if test_j.is_empty() {
        return Err((None, "no test pairs".into()));
    }
    let mut train = Vec::with_capacity(train_j.len());
    for (k, p) in train_j.iter().enumerate() {
        let input = field(p, "input").map_err(|e| (Some(Place::Train(k)), e))?;
        let output = field(p, "output").map_err(|e| (Some(Place::Train(k)), e))?;
        train.push(Example { input, output });
    }
    let mut test = Vec::with_capacity(test_j.len());
    for (k, p) in test_j.iter().enumerate() {
        let input = field(p, "input").map_err(|e| (Some(Place::Test(k)), e))?;
        let output = match p.get("output") {
            None | Some(J::Null) => None,
            Some(g) => Some(parse_grid(g).map_err(|e| (Some(Place::Test(k)), format!("output: {e}")))?),
        };
        test.push(Test { input, output });
    }
    Ok(Task { id: id.to_string(), train, test })
}

fn field(p: &J, key: &str) -> Result<Grid, String> {
    let g = p.get(key).ok_or_else(|| format!("missing \"{key}\""))?;
    parse_grid(g).map_err(|e| format!("{key}: {e}"))
}

/// Parses and validates one ARC grid: a non-empty list of equal-length non-empty lists of
/// colours 0..=9, at most 30 × 30.
pub fn parse_grid(j: &J) -> Result<Grid, String> {
    parse_grid_within(j, ARC_MAX_SIDE, 0..=9)
}

/// Parses any grid a program can give (a prediction): sides up to [`crate::grid::MAX_SIDE`],
/// at most [`crate::grid::MAX_CELLS`] cells, colours any `i8` (arc-dsl uses -1 as a marker).
pub fn parse_any_grid(j: &J) -> Result<Grid, String> {
    parse_grid_within(j, crate::grid::MAX_SIDE, i8::MIN as i64..=i8::MAX as i64)
}

fn parse_grid_within(j: &J, max_side: usize, colours: std::ops::RangeInclusive<i64>) -> Result<Grid, String> {
    let rows = j.as_array().ok_or("a grid must be a list of rows")?;
    if rows.is_empty() {
        return Err("empty grid".into());
    }
    if rows.len() > max_side {
        return Err(format!("{} rows (at most {max_side})", rows.len()));
    }
    let mut w = None;
    let mut cells = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let r = r.as_array().ok_or_else(|| format!("row {i} is not a list"))?;
        match w {
            None => {
                if r.is_empty() {
                    return Err("row 0 is empty".into());
                }
                if r.len() > max_side {
                    return Err(format!("{} columns (at most {max_side})", r.len()));
                }
                w = Some(r.len());
            }
            Some(w) if w != r.len() => return Err(format!("ragged: row {i} has {} cells, row 0 has {w}", r.len())),
            _ => {}
        }
        for (jx, c) in r.iter().enumerate() {
            match c.as_i64() {
                Some(c) if colours.contains(&c) => cells.push(c as i8),
                _ => {
                    return Err(format!("cell ({i}, {jx}) is {c}, not a colour {}..{}", colours.start(), colours.end()))
                }
            }
        }
    }
    let w = w.unwrap_or(0);
    if rows.len() * w > crate::grid::MAX_CELLS {
        return Err(format!("{} cells (at most {})", rows.len() * w, crate::grid::MAX_CELLS));
    }
    Grid::new(rows.len(), w, cells).map_err(|e| e.to_string())
}

/// A grid as JSON (a list of rows).
pub fn grid_to_json(g: &Grid) -> J {
    J::Array(g.rows().map(|r| J::Array(r.iter().map(|&c| J::from(c)).collect())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn samples_are_the_demo_pairs_in_order() {
        let g = |c: i8, w: usize| Grid::new(1, w, vec![c; w]).unwrap();
        let train = vec![Example { input: g(1, 2), output: g(2, 3) }, Example { input: g(3, 1), output: g(4, 1) }];
        let task = Task { id: "t".into(), train, test: vec![] };
        let pairs: Vec<Value> = task.samples().items().unwrap().collect();
        assert_eq!(pairs.len(), 2);
        for (pair, ex) in pairs.iter().zip(&task.train) {
            let io: Vec<Value> = pair.items().unwrap().collect();
            assert_eq!(io, vec![Value::Grid(ex.input.clone()), Value::Grid(ex.output.clone())]);
        }
        let none = Task { id: "u".into(), train: vec![], test: vec![] };
        assert_eq!(none.samples(), Value::empty_tuple());
    }

    #[test]
    fn grid_validation() {
        assert!(parse_grid(&json!([[1, 2], [3, 4]])).is_ok());
        assert_eq!(parse_grid(&json!([])).unwrap_err(), "empty grid");
        assert!(parse_grid(&json!([[1, 2], [3]])).unwrap_err().contains("ragged: row 1"));
        assert!(parse_grid(&json!([[1, 10]])).unwrap_err().contains("cell (0, 1) is 10"));
        assert!(parse_grid(&json!([[1, -1]])).unwrap_err().contains("not a colour"));
        assert!(parse_grid(&json!([[]])).unwrap_err().contains("empty"));
        assert!(parse_grid(&json!(vec![vec![0; 31]; 2])).unwrap_err().contains("31 columns"));
        assert!(parse_grid(&json!(vec![vec![0; 2]; 31])).unwrap_err().contains("31 rows"));
        assert!(parse_grid(&json!(vec![vec![0; 30]; 30])).is_ok());
    }

    #[test]
    fn task_errors_name_the_pair() {
        let t = json!({"train": [{"input": [[1]], "output": [[2]]}, {"input": [[1]], "output": [[1, 2], [3]]}],
                        "test": [{"input": [[1]]}]});
        let (pair, reason) = parse_task(&t, "x").unwrap_err();
        assert_eq!(pair, Some(Place::Train(1)));
        assert!(reason.starts_with("output: ragged"), "{reason}");
        let t = json!({"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[1]]}]});
        let task = parse_task(&t, "x").unwrap();
        assert!(!task.has_test_outputs());
        assert_eq!(grid_to_json(&task.train[0].output), json!([[2]]));
    }
}
