//! ARC tasks: loading and validation.
//!
//! Four layouts are read: a directory of per-task JSON files (ARC-AGI-1/2:
//! `{"train": [{"input", "output"}...], "test": [{"input", "output"?}...]}`, the task id being
//! the file stem), one such file, Kaggle ARC Prize files (`*_challenges.json` mapping task ids
//! to `{"train", "test"}` with test inputs only, and an optional `*_solutions.json` mapping task
//! ids to the list of test output grids), and a directory holding one such challenges file.
//! Files are read in one pass straight into grids (a file of any size takes about its own size
//! in memory). Every grid is validated (rectangular, 1..=30 × 1..=30, colours 0..=9), every
//! task id checked, a task id given twice is refused. A bad file, task or pair is reported as
//! one [`LoadError`] naming where it is, and everything else still loads.

use crate::grid::Grid;
use crate::value::Value;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
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

impl LoadError {
    /// A problem with a whole file (or directory).
    pub fn in_file(file: &Path, reason: impl Into<String>) -> LoadError {
        LoadError { file: file.into(), task: None, pair: None, reason: reason.into() }
    }
}

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

/// Loads tasks from a path: a directory of task files, a directory in the Kaggle layout (one
/// `*_challenges.json`, with its `*_solutions.json` when present), one task file, or a Kaggle
/// challenges file (its `*_solutions.json` sibling is read too when present). Nothing found is
/// an error too.
pub fn load(path: &Path) -> Loaded {
    if path.is_dir() {
        nothing_is_an_error(path, load_dir(path))
    } else {
        load_file(path)
    }
}

/// A load that found neither a task nor a problem reports that it found nothing.
fn nothing_is_an_error(path: &Path, mut out: Loaded) -> Loaded {
    if out.tasks.is_empty() && out.errors.is_empty() {
        out.errors.push(LoadError::in_file(path, "no tasks found"));
    }
    out
}

/// One file: a task (`{"train": [...], "test": [...]}`, the task id being the file stem), or a
/// Kaggle challenges file (a map of task ids to tasks) with its `*_solutions.json` sibling.
fn load_file(path: &Path) -> Loaded {
    let mut out = Loaded::default();
    if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_solutions.json")) {
        let reason = "a Kaggle solutions file holds no tasks: load its `*_challenges.json`";
        out.errors.push(LoadError::in_file(path, reason));
        return out;
    }
    match std::fs::read(path) {
        Ok(bytes) => from_bytes(path, &bytes, solutions_sibling(path).as_deref()),
        Err(e) => {
            out.errors.push(LoadError::in_file(path, e.to_string()));
            out
        }
    }
}

/// Loads tasks from the bytes of a file named `name` (its stem is a task file's id): a task
/// file, or Kaggle challenges (without solutions). What [`load`] does with a file's contents.
pub fn load_bytes(name: &Path, bytes: &[u8]) -> Loaded {
    from_bytes(name, bytes, None)
}

fn from_bytes(path: &Path, bytes: &[u8], solutions: Option<&Path>) -> Loaded {
    let mut out = Loaded::default();
    let entries = match parse_json(path, bytes, TOP) {
        Ok(Ok(entries)) => entries,
        Ok(Err(found)) => {
            let reason = format!(
                "expected a task object with \"train\" or a map of task ids (Kaggle challenges), found {found}"
            );
            out.errors.push(LoadError::in_file(path, reason));
            return out;
        }
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    // a task file's values include lists ("train", "test"); a challenges file's are all tasks
    if entries.iter().any(|(_, e)| matches!(e, Entry::Pairs(_))) {
        let id = stem(path);
        if let Some(reason) = task_id_problem(&id) {
            out.errors.push(LoadError { file: path.into(), task: Some(id), pair: None, reason });
            return out;
        }
        let mut read = TaskRead::default();
        for (key, e) in entries {
            let list = match e {
                Entry::Pairs(p) => p,
                Entry::Task(_) => Err("an object".into()),
                Entry::Other(what) => Err(what),
            };
            match key.as_str() {
                "train" => read.train = Some(list),
                "test" => read.test = Some(list),
                _ => {}
            }
        }
        match task_from(read, &id) {
            Ok(t) => out.tasks.push(t),
            Err((pair, reason)) => out.errors.push(LoadError { file: path.into(), task: Some(id), pair, reason }),
        }
        return out;
    }
    nothing_is_an_error(path, kaggle_entries(path, entries, solutions))
}

/// Loads Kaggle ARC Prize files: challenges, and optionally the solutions.
pub fn load_kaggle(challenges: &Path, solutions: Option<&Path>) -> Loaded {
    match read_json(challenges, TOP) {
        Ok(Ok(entries)) => kaggle_entries(challenges, entries, solutions),
        Ok(Err(found)) => Loaded {
            tasks: vec![],
            errors: vec![LoadError::in_file(
                challenges,
                format!("expected a map of task ids (Kaggle challenges), found {found}"),
            )],
        },
        Err(e) => Loaded { tasks: vec![], errors: vec![e] },
    }
}

/// Loads a directory: in the Kaggle layout (a `*_challenges.json` file, with its solutions)
/// when it holds one, else every `*.json` file (sorted by name) as one task each.
pub fn load_dir(dir: &Path) -> Loaded {
    let mut out = Loaded::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.errors.push(LoadError::in_file(dir, e.to_string()));
            return out;
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let challenges: Vec<&PathBuf> = files
        .iter()
        .filter(|f| f.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_challenges.json")))
        .collect();
    match challenges.as_slice() {
        [] => {}
        [one] => return load_file(one),
        several => {
            let names: Vec<String> =
                several.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
            let reason = format!(
                "a Kaggle directory with {} challenges files ({}): name the one to load",
                several.len(),
                names.join(", ")
            );
            out.errors.push(LoadError::in_file(dir, reason));
            return out;
        }
    }
    for file in files {
        let id = stem(&file);
        if let Some(reason) = task_id_problem(&id) {
            out.errors.push(LoadError { file: file.clone(), task: Some(id), pair: None, reason });
            continue;
        }
        let loaded = load_file(&file);
        out.tasks.extend(loaded.tasks);
        out.errors.extend(loaded.errors);
    }
    out
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Reads a JSON file with the lenient reader `l`, straight into compact grids (the file's
/// text is never held as a tree of JSON values: memory stays a small multiple of the grids).
/// Only text that is not JSON is an error here.
fn read_json<O, L: for<'de> Lenient<'de, Out = O>>(path: &Path, l: L) -> Result<O, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| LoadError::in_file(path, e.to_string()))?;
    parse_json(path, &bytes, l)
}

/// [`read_json`] of the bytes of the file `path`.
fn parse_json<O, L: for<'de> Lenient<'de, Out = O>>(path: &Path, bytes: &[u8], l: L) -> Result<O, LoadError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let out = Any(l).deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    out.map_err(|e| LoadError::in_file(path, format!("invalid JSON: {e}")))
}

/// `x_challenges.json` -> `x_solutions.json`, when that file exists.
fn solutions_sibling(challenges: &Path) -> Option<PathBuf> {
    let name = challenges.file_name()?.to_str()?;
    let sol = challenges.with_file_name(name.replace("_challenges", "_solutions"));
    (sol != challenges && sol.is_file()).then_some(sol)
}

/// The ids that appear more than once among `keys`, each reported once.
fn repeated<'a>(keys: impl Iterator<Item = &'a str>) -> std::collections::BTreeMap<&'a str, usize> {
    let mut seen = std::collections::BTreeMap::new();
    for k in keys {
        *seen.entry(k).or_insert(0) += 1;
    }
    seen.retain(|_, n| *n > 1);
    seen
}

fn kaggle_entries(path: &Path, entries: Vec<(String, Entry)>, solutions: Option<&Path>) -> Loaded {
    let mut out = Loaded::default();
    let error = |file: &Path, id: &str, reason: String| LoadError {
        file: file.into(),
        task: Some(id.to_string()),
        pair: None,
        reason,
    };
    let twice = repeated(entries.iter().map(|(id, _)| id.as_str()));
    for (id, n) in &twice {
        out.errors.push(error(path, id, format!("appears {n} times in this file (none is loaded)")));
    }
    let mut sols = match solutions.map(|s| (s, read_json(s, SOLUTIONS))) {
        None => None,
        Some((_, Ok(Ok(m)))) => Some(m),
        Some((s, Ok(Err(found)))) => {
            let reason = format!("expected a map of task ids to lists of test output grids, found {found}");
            out.errors.push(LoadError::in_file(s, reason));
            None
        }
        Some((_, Err(e))) => {
            out.errors.push(e);
            None
        }
    };
    if let (Some(sols), Some(sol_path)) = (&mut sols, solutions) {
        let twice_sol = repeated(sols.iter().map(|(id, _)| id.as_str()));
        for (id, n) in &twice_sol {
            out.errors.push(error(sol_path, id, format!("appears {n} times in this file (none is used)")));
        }
        let ids: std::collections::BTreeSet<&str> = entries.iter().map(|(id, _)| id.as_str()).collect();
        for (id, _) in sols.iter().filter(|(id, _)| !ids.contains(id.as_str())) {
            let reason = format!("solutions for a task that is not in {}", path.display());
            out.errors.push(error(sol_path, id, reason));
        }
        let twice_sol: Vec<String> = twice_sol.keys().map(|k| k.to_string()).collect();
        sols.retain(|(id, _)| !twice_sol.contains(id));
    }
    let mut sols: std::collections::HashMap<String, SolRead> = sols.unwrap_or_default().into_iter().collect();
    let twice: Vec<String> = twice.keys().map(|k| k.to_string()).collect();
    for (id, entry) in entries {
        if twice.contains(&id) {
            continue;
        }
        if let Some(reason) = task_id_problem(&id) {
            out.errors.push(error(path, &id, reason));
            continue;
        }
        let read = match entry {
            Entry::Task(t) => t,
            Entry::Pairs(_) => {
                out.errors.push(error(path, &id, "expected a task object, found a list".into()));
                continue;
            }
            Entry::Other(what) => {
                out.errors.push(error(path, &id, format!("expected a task object, found {what}")));
                continue;
            }
        };
        let mut task = match task_from(read, &id) {
            Ok(t) => t,
            Err((pair, reason)) => {
                out.errors.push(LoadError { file: path.into(), task: Some(id), pair, reason });
                continue;
            }
        };
        if let Some(sol_path) = solutions {
            if let Err((pair, reason)) = attach_solutions(&mut task, sols.remove(&id)) {
                out.errors.push(LoadError { file: sol_path.into(), task: Some(id), pair, reason });
            }
        }
        out.tasks.push(task);
    }
    out.tasks.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Gives the loaded tasks their test outputs from a Kaggle `*_solutions.json` (task ids mapped
/// to lists of test output grids), replacing any they had. A task the file lacks, or whose list
/// does not fit its test inputs, keeps what it had and is reported with the file and task.
pub fn add_solutions(loaded: &mut Loaded, solutions: &Path) {
    let mut sols: std::collections::HashMap<String, SolRead> = match read_json(solutions, SOLUTIONS) {
        Ok(Ok(m)) => m.into_iter().collect(),
        Ok(Err(found)) => {
            let reason = format!("expected a map of task ids to lists of test output grids, found {found}");
            loaded.errors.push(LoadError::in_file(solutions, reason));
            return;
        }
        Err(e) => {
            loaded.errors.push(e);
            return;
        }
    };
    for task in &mut loaded.tasks {
        if let Err((pair, reason)) = attach_solutions(task, sols.remove(&task.id)) {
            loaded.errors.push(LoadError { file: solutions.into(), task: Some(task.id.clone()), pair, reason });
        }
    }
}

/// Where in a task a problem is (if in one pair), and what it is.
pub type PairErr = (Option<Place>, String);

fn attach_solutions(task: &mut Task, sol: Option<SolRead>) -> Result<(), PairErr> {
    let Some(sol) = sol else { return Err((None, "no solutions for this task".into())) };
    let outs = sol.map_err(|found| (None, format!("expected a list of test output grids, found {found}")))?;
    if outs.len() != task.test.len() {
        return Err((None, format!("{} solutions for {} test inputs", outs.len(), task.test.len())));
    }
    let grids: Vec<Grid> = outs
        .into_iter()
        .enumerate()
        .map(|(k, g)| field(Some(g), "output").map_err(|e| (Some(Place::Test(k)), e)))
        .collect::<Result<_, _>>()?;
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
    match Any(TaskL).deserialize(j) {
        Ok(Ok(read)) => task_from(read, id),
        Ok(Err(found)) => Err((None, format!("expected a task object, found {found}"))),
        Err(e) => Err((None, e.to_string())),
    }
}

/// A task from what was read, validated: both lists present, at least one pair in each, every
/// demo pair with both grids, every test pair with its input.
fn task_from(read: TaskRead, id: &str) -> Result<Task, PairErr> {
    let list = |key: &str, l: Option<Result<Vec<PairRead>, String>>| -> Result<Vec<PairRead>, PairErr> {
        match l {
            None => Err((None, format!("missing \"{key}\" list"))),
            Some(Err(found)) => Err((None, format!("\"{key}\" must be a list of pairs, found {found}"))),
            Some(Ok(pairs)) => Ok(pairs),
        }
    };
    let train_j = list("train", read.train)?;
    let test_j = list("test", read.test)?;
    if train_j.is_empty() {
        return Err((None, "no train pairs".into()));
    }
    if test_j.is_empty() {
        return Err((None, "no test pairs".into()));
    }
    let mut train = Vec::with_capacity(train_j.len());
    for (k, p) in train_j.into_iter().enumerate() {
        let at = |e| (Some(Place::Train(k)), e);
        let p = p.map_err(|found| at(format!("expected a pair object, found {found}")))?;
        let input = field(p.input, "input").map_err(at)?;
        let output = field(p.output, "output").map_err(at)?;
        train.push(Example { input, output });
    }
    let mut test = Vec::with_capacity(test_j.len());
    for (k, p) in test_j.into_iter().enumerate() {
        let at = |e| (Some(Place::Test(k)), e);
        let p = p.map_err(|found| at(format!("expected a pair object, found {found}")))?;
        let input = field(p.input, "input").map_err(at)?;
        let output = match p.output {
            None | Some(GridRead::Null) => None,
            Some(g) => Some(field(Some(g), "output").map_err(at)?),
        };
        test.push(Test { input, output });
    }
    Ok(Task { id: id.to_string(), train, test })
}

fn field(g: Option<GridRead>, key: &str) -> Result<Grid, String> {
    match g {
        None => Err(format!("missing \"{key}\"")),
        Some(GridRead::Null) => Err(format!("{key}: a grid must be a list of rows")),
        Some(GridRead::Read(g)) => g.map_err(|e| format!("{key}: {e}")),
    }
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

// The lenient reader. Task files are read in one pass straight into grids of cells, and a value
// of the wrong kind somewhere (a number for a grid, a list for a task) is consumed and
// described, so that it costs only its task or pair, never the whole file: only text that is
// not JSON fails a file.

/// Reads a JSON value of the kind it wants; any other kind is consumed, and `other` says what
/// it was (`"a list"`, `"an object"`, `"12"`, `"\"x\""`).
trait Lenient<'de>: Sized {
    type Out;
    /// A value of another kind, described.
    fn other(self, what: String) -> Self::Out;
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(self.other("a list".into()))
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(self.other("an object".into()))
    }
    fn u64(self, v: u64) -> Self::Out {
        self.other(v.to_string())
    }
    fn null(self) -> Self::Out {
        self.other("null".into())
    }
}

/// The serde visitor (and seed) of a [`Lenient`] reader: every kind of JSON value goes to it.
struct Any<L>(L);

impl<'de, L: Lenient<'de>> Visitor<'de> for Any<L> {
    type Value = L::Out;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<L::Out, E> {
        Ok(self.0.other(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<L::Out, E> {
        Ok(self.0.other(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<L::Out, E> {
        Ok(self.0.u64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<L::Out, E> {
        Ok(self.0.other(serde_json::Number::from_f64(v).map_or_else(|| v.to_string(), |n| n.to_string())))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<L::Out, E> {
        Ok(self.0.other(J::from(v).to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<L::Out, E> {
        Ok(self.0.null())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<L::Out, A::Error> {
        self.0.seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<L::Out, A::Error> {
        self.0.map(map)
    }
}

impl<'de, L: Lenient<'de>> DeserializeSeed<'de> for Any<L> {
    type Value = L::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<L::Out, D::Error> {
        d.deserialize_any(self)
    }
}

/// A colour 0..=9, or what the cell is instead.
#[derive(Clone, Copy)]
struct CellL;

impl Lenient<'_> for CellL {
    type Out = Result<i8, String>;
    fn other(self, what: String) -> Self::Out {
        Err(what)
    }
    fn u64(self, v: u64) -> Self::Out {
        if v <= 9 {
            Ok(v as i8)
        } else {
            Err(v.to_string())
        }
    }
}

/// One row of a grid, its cells appended to `cells` (up to [`ARC_MAX_SIDE`] of them): its
/// length and its first bad cell, or `Err` when it is not a list.
struct RowL<'c>(&'c mut Vec<i8>);

struct RowRead {
    len: usize,
    bad: Option<(usize, String)>,
}

impl<'de> Lenient<'de> for RowL<'_> {
    type Out = Result<RowRead, ()>;
    fn other(self, _: String) -> Self::Out {
        Err(())
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        let mut row = RowRead { len: 0, bad: None };
        while let Some(c) = seq.next_element_seed(Any(CellL))? {
            match c {
                Ok(c) if row.len < ARC_MAX_SIDE => self.0.push(c),
                Ok(_) => {}
                Err(what) => {
                    row.bad.get_or_insert((row.len, what));
                }
            }
            row.len += 1;
        }
        Ok(Ok(row))
    }
}

/// A grid as read: validated, or `null` (a test output may be), or not a list.
enum GridRead {
    Read(Result<Grid, String>),
    Null,
}

#[derive(Clone, Copy)]
struct GridL;

impl<'de> Lenient<'de> for GridL {
    type Out = GridRead;
    fn other(self, _: String) -> GridRead {
        GridRead::Read(Err("a grid must be a list of rows".into()))
    }
    fn null(self) -> GridRead {
        GridRead::Null
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<GridRead, A::Error> {
        let mut cells = Vec::new();
        let (mut rows, mut width, mut problem) = (0, 0, None);
        while problem.is_none() && rows < ARC_MAX_SIDE {
            let Some(row) = seq.next_element_seed(Any(RowL(&mut cells)))? else { break };
            let i = rows;
            rows += 1;
            problem = match row {
                Err(()) => Some(format!("row {i} is not a list")),
                Ok(r) if i == 0 && r.len == 0 => Some("row 0 is empty".to_string()),
                Ok(r) if i == 0 && r.len > ARC_MAX_SIDE => Some(format!("{} columns (at most {ARC_MAX_SIDE})", r.len)),
                Ok(r) if i > 0 && r.len != width => {
                    Some(format!("ragged: row {i} has {} cells, row 0 has {width}", r.len))
                }
                Ok(RowRead { bad: Some((j, what)), .. }) => {
                    Some(format!("cell ({i}, {j}) is {what}, not a colour 0..9"))
                }
                Ok(r) => {
                    width = r.len;
                    None
                }
            };
        }
        // past the first problem or the 30th row, the rest is only counted
        while seq.next_element::<IgnoredAny>()?.is_some() {
            rows += 1;
        }
        Ok(GridRead::Read(if rows == 0 {
            Err("empty grid".into())
        } else if rows > ARC_MAX_SIDE {
            Err(format!("{rows} rows (at most {ARC_MAX_SIDE})"))
        } else if let Some(p) = problem {
            Err(p)
        } else {
            Grid::new(rows, width, cells).map_err(|e| e.to_string())
        }))
    }
}

/// A pair object's grids (`None`: the key is absent), or what it is instead.
type PairRead = Result<PairGrids, String>;

struct PairGrids {
    input: Option<GridRead>,
    output: Option<GridRead>,
}

#[derive(Clone, Copy)]
struct PairL;

impl<'de> Lenient<'de> for PairL {
    type Out = PairRead;
    fn other(self, what: String) -> PairRead {
        Err(what)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<PairRead, A::Error> {
        let mut p = PairGrids { input: None, output: None };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "input" => p.input = Some(map.next_value_seed(Any(GridL))?),
                "output" => p.output = Some(map.next_value_seed(Any(GridL))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Ok(p))
    }
}

/// A list, each element read by `V`, or what it is instead.
#[derive(Clone, Copy)]
struct ListL<V>(V);

impl<'de, V: Lenient<'de> + Copy> Lenient<'de> for ListL<V> {
    type Out = Result<Vec<V::Out>, String>;
    fn other(self, what: String) -> Self::Out {
        Err(what)
    }
    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Out, A::Error> {
        let mut items = Vec::new();
        while let Some(x) = seq.next_element_seed(Any(self.0))? {
            items.push(x);
        }
        Ok(Ok(items))
    }
}

/// An object, every key in order (repeated ones too) with its value read by `V`, or what it
/// is instead.
#[derive(Clone, Copy)]
struct MapL<V>(V);

impl<'de, V: Lenient<'de> + Copy> Lenient<'de> for MapL<V> {
    type Out = Result<Vec<(String, V::Out)>, String>;
    fn other(self, what: String) -> Self::Out {
        Err(what)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            entries.push((key, map.next_value_seed(Any(self.0))?));
        }
        Ok(Ok(entries))
    }
}

/// A task object's lists (`None`: the key is absent).
#[derive(Default)]
struct TaskRead {
    train: Option<Result<Vec<PairRead>, String>>,
    test: Option<Result<Vec<PairRead>, String>>,
}

#[derive(Clone, Copy)]
struct TaskL;

impl<'de> Lenient<'de> for TaskL {
    type Out = Result<TaskRead, String>;
    fn other(self, what: String) -> Self::Out {
        Err(what)
    }
    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Out, A::Error> {
        let mut t = TaskRead::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "train" => t.train = Some(map.next_value_seed(Any(ListL(PairL)))?),
                "test" => t.test = Some(map.next_value_seed(Any(ListL(PairL)))?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Ok(t))
    }
}

/// A value at the top of a file: a list of pairs (a task file's `"train"`), a task (a
/// challenges file's), or something else, described.
enum Entry {
    Pairs(Result<Vec<PairRead>, String>),
    Task(TaskRead),
    Other(String),
}

#[derive(Clone, Copy)]
struct EntryL;

impl<'de> Lenient<'de> for EntryL {
    type Out = Entry;
    fn other(self, what: String) -> Entry {
        Entry::Other(what)
    }
    fn seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Entry, A::Error> {
        ListL(PairL).seq(seq).map(Entry::Pairs)
    }
    fn map<A: MapAccess<'de>>(self, map: A) -> Result<Entry, A::Error> {
        Ok(match TaskL.map(map)? {
            Ok(t) => Entry::Task(t),
            Err(what) => Entry::Other(what),
        })
    }
}

/// A file's top-level object: a task file's lists or a challenges file's tasks.
const TOP: MapL<EntryL> = MapL(EntryL);

/// One task's solutions: its test output grids, or what they are instead.
type SolRead = Result<Vec<GridRead>, String>;

/// A solutions file: every task id in order with its solutions, or what it is instead.
const SOLUTIONS: MapL<ListL<GridL>> = MapL(ListL(GridL));

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
