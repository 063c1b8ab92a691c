//! `batt._batt`: the compiled half of the `batt` Python package. The public API, with its
//! docstrings and type hints, is `python/batt/__init__.py`, which calls these functions; every
//! piece of work here is batt's own (task loading, parsing, the battery, verify, predictions,
//! the score), reached through the crates' APIs.
//!
//! Long calls run with the GIL released and look for Ctrl-C (`check_signals`) between
//! mega-batches or programs, so a KeyboardInterrupt arrives promptly.

use batt_dsl::task::{parse_grid, parse_outputs, parse_task, task_id_problem, Place, Task};
use batt_dsl::{Ctx, Grid, Value};
use batt_engine::{BackendChoice, Battery, EvalConfig, Library, Stop};
use batt_prog::{parse_str, Parsed};
use batt_search::solve::{Progress, SolveConfig};
use pyo3::exceptions::{PyMemoryError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value as J;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pyo3::create_exception!(batt, BattError, PyValueError, "Bad input to batt (a ValueError).");
pyo3::create_exception!(
    batt,
    TaskError,
    BattError,
    "A task or grid that is not sound: file, task and pair in the message."
);
pyo3::create_exception!(
    batt,
    ProgramError,
    BattError,
    "A program that does not parse: its source and line in the message."
);
pyo3::create_exception!(batt, RunError, BattError, "A program that failed on its input: the line in the message.");

/// Deepest nesting read from Python data (a grid is 2 deep, a Kaggle file 5).
const MAX_DEPTH: usize = 16;

/// Python data (dicts, lists, tuples, ints, numpy arrays and scalars, any iterable) as JSON,
/// so that batt's own readers (`parse_task`, `parse_grid`) validate it with their messages.
fn to_json(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<J> {
    if depth > MAX_DEPTH {
        return Err(TaskError::new_err(format!("data nested deeper than {MAX_DEPTH} levels")));
    }
    if obj.is_none() {
        return Ok(J::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(J::Bool(obj.extract()?));
    }
    if obj.is_instance_of::<PyInt>() {
        // an integer too large for i64 is no colour: its text says what it was
        return Ok(obj.extract::<i64>().map(J::from).unwrap_or_else(|_| J::String(obj.to_string())));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(obj.extract()?).map_or(J::Null, J::Number));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(J::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut m = serde_json::Map::new();
        for (k, v) in d.iter() {
            m.insert(k.str()?.to_cow()?.into_owned(), to_json(&v, depth + 1)?);
        }
        return Ok(J::Object(m));
    }
    // numpy arrays and scalars (and anything else that offers it) as plain Python data
    if let Ok(tolist) = obj.getattr("tolist") {
        return to_json(&tolist.call0()?, depth + 1);
    }
    match obj.try_iter() {
        Ok(items) => items.map(|x| to_json(&x?, depth + 1)).collect::<PyResult<Vec<J>>>().map(J::Array),
        Err(_) => Err(TaskError::new_err(format!("cannot read a {} as a grid or task", type_name(obj)))),
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "value".into())
}

/// A grid from Python rows (validated as an ARC grid); `what` names it in the message.
fn grid_from(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Grid> {
    parse_grid(&to_json(obj, 0)?).map_err(|e| TaskError::new_err(format!("{what}: {e}")))
}

/// A grid as a list of rows of ints.
fn grid_rows<'py>(py: Python<'py>, g: &Grid) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, g.rows().map(|r| r.to_vec()))
}

/// A grid as a list of rows, or as a numpy array when asked.
fn grid_out<'py>(py: Python<'py>, g: &Grid, numpy: bool) -> PyResult<Bound<'py, PyAny>> {
    let rows = grid_rows(py, g)?.into_any();
    if numpy {
        return py.import("numpy")?.call_method1("array", (rows,));
    }
    Ok(rows)
}

/// One ARC task: its id, demo pairs (`train`) and test inputs (`test`, with their outputs
/// when known).
///
/// Build one from data with ``Task(id, train, test)`` (each pair a dict with ``"input"`` and
/// ``"output"`` grids, as in ARC's JSON files: ``batt.Task("x", **json.load(f))``); grids are
/// lists of rows of ints 0..9 (numpy arrays too), 1..30 rows and columns. Bad data raises
/// :class:`TaskError` naming the pair.
#[pyclass(frozen, eq, module = "batt", name = "Task")]
#[derive(Clone, PartialEq)]
struct PyTask {
    task: Task,
}

fn place(p: &Option<Place>) -> String {
    match p {
        Some(Place::Train(k)) => format!(": train pair {k}"),
        Some(Place::Test(k)) => format!(": test pair {k}"),
        None => String::new(),
    }
}

#[pymethods]
impl PyTask {
    #[new]
    fn new(id: &str, train: &Bound<'_, PyAny>, test: &Bound<'_, PyAny>) -> PyResult<PyTask> {
        if let Some(why) = task_id_problem(id) {
            return Err(TaskError::new_err(format!("task {id:?}: {why}")));
        }
        let j = serde_json::json!({"train": to_json(train, 1)?, "test": to_json(test, 1)?});
        parse_task(&j, id)
            .map(|task| PyTask { task })
            .map_err(|(pair, reason)| TaskError::new_err(format!("task {id}{}: {reason}", place(&pair))))
    }

    /// The task id.
    #[getter]
    fn id(&self) -> &str {
        &self.task.id
    }

    /// The demo pairs: a list of ``{"input": grid, "output": grid}``.
    #[getter]
    fn train<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.pairs(py, false).map(|(train, _)| train)
    }

    /// The test pairs: a list of ``{"input": grid}``, with ``"output"`` when it is known.
    #[getter]
    fn test<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.pairs(py, false).map(|(_, test)| test)
    }

    /// Whether every test output is known (so that predictions can be scored).
    #[getter]
    fn has_test_outputs(&self) -> bool {
        self.task.has_test_outputs()
    }

    /// The task as ARC's JSON layout: ``{"train": [...], "test": [...]}``; grids as numpy
    /// arrays with ``numpy=True``.
    #[pyo3(signature = (numpy = false))]
    fn to_dict<'py>(&self, py: Python<'py>, numpy: bool) -> PyResult<Bound<'py, PyDict>> {
        let (train, test) = self.pairs(py, numpy)?;
        let d = PyDict::new(py);
        d.set_item("train", train)?;
        d.set_item("test", test)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("Task({:?}, train={} pairs, test={} pairs)", self.task.id, self.task.train.len(), self.task.test.len())
    }
}

impl PyTask {
    fn pairs<'py>(&self, py: Python<'py>, numpy: bool) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyList>)> {
        let pair = |input: &Grid, output: Option<&Grid>| -> PyResult<Bound<'py, PyDict>> {
            let d = PyDict::new(py);
            d.set_item("input", grid_out(py, input, numpy)?)?;
            if let Some(o) = output {
                d.set_item("output", grid_out(py, o, numpy)?)?;
            }
            Ok(d)
        };
        let train = self.task.train.iter().map(|p| pair(&p.input, Some(&p.output))).collect::<PyResult<Vec<_>>>()?;
        let test = self.task.test.iter().map(|p| pair(&p.input, p.output.as_ref())).collect::<PyResult<Vec<_>>>()?;
        Ok((PyList::new(py, train)?, PyList::new(py, test)?))
    }
}

fn tasks_of(tasks: &[PyRef<'_, PyTask>]) -> Vec<Task> {
    tasks.iter().map(|t| t.task.clone()).collect()
}

/// Loads tasks from a directory of task files, one task file, or a Kaggle challenges file
/// (its `_solutions` sibling too): the tasks that are sound, and a message per problem.
#[pyfunction]
fn load_tasks(py: Python<'_>, path: PathBuf) -> (Vec<PyTask>, Vec<String>) {
    let loaded = py.detach(|| batt_dsl::task::load(&path));
    let errors = loaded.errors.iter().map(|e| e.to_string()).collect();
    (loaded.tasks.into_iter().map(|task| PyTask { task }).collect(), errors)
}

/// Task ids mapped to their test output grids (a Kaggle `*_solutions.json`), read from
/// Python data.
fn solutions_from(obj: &Bound<'_, PyAny>) -> PyResult<Vec<(String, Vec<Grid>)>> {
    let J::Object(m) = to_json(obj, 0)? else {
        return Err(TaskError::new_err("solutions: expected a dict of task ids to lists of test output grids"));
    };
    m.iter()
        .map(|(id, sol)| {
            parse_outputs(sol)
                .map(|g| (id.clone(), g))
                .map_err(|(pair, reason)| TaskError::new_err(format!("solutions: task {id}{}: {reason}", place(&pair))))
        })
        .collect()
}

/// Parses one program per text (named `programs[i]` in messages): each text must hold one
/// function. Returns, per text, the program or the message saying why it does not parse.
fn parse_each(texts: &[String]) -> Vec<Result<Parsed, String>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut src = parse_str(text, &format!("programs[{i}]"));
            if !src.errors.is_empty() {
                let msgs: Vec<String> = src.errors.iter().map(|e| e.to_string()).collect();
                return Err(msgs.join("\n"));
            }
            match src.programs.len() {
                1 => Ok(src.programs.remove(0)),
                0 => Err(format!("programs[{i}]: no function (expected `def solve(I):` and its lines)")),
                n => Err(format!(
                    "programs[{i}]: {n} functions (def at lines {}): give one function per program",
                    src.programs.iter().map(|p| p.def_line.to_string()).collect::<Vec<_>>().join(", ")
                )),
            }
        })
        .collect()
}

/// Runs one program on one grid; see `batt.run_program`.
#[pyfunction]
#[pyo3(signature = (text, grid, task = None, steps = batt_dsl::func::DEFAULT_STEPS, numpy = false))]
fn run_program<'py>(
    py: Python<'py>,
    text: String,
    grid: &Bound<'py, PyAny>,
    task: Option<PyRef<'py, PyTask>>,
    steps: u64,
    numpy: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let p = match parse_each(std::slice::from_ref(&text)).remove(0) {
        Ok(p) => p,
        Err(msg) => return Err(ProgramError::new_err(msg.replace("programs[0]", "program"))),
    };
    let input = Value::Grid(grid_from(grid, "grid")?);
    let s = task.as_ref().map(|t| t.task.samples());
    if p.program.uses_s && s.is_none() {
        return Err(ProgramError::new_err(
            "program: `def solve(S, I)` reads the demo pairs S: pass task= to give them",
        ));
    }
    let out = py.detach(|| batt_prog::run(&p.program, &input, s.as_ref(), &mut Ctx::new(steps)));
    match out {
        Ok(Value::Grid(g)) => grid_out(py, &g, numpy),
        Ok(v) => {
            let article = if v.kind().starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            Err(RunError::new_err(format!("program: returned {article} {}, not a grid", v.kind())))
        }
        Err(e) => {
            let at = e.line.map(|k| format!(":{}", p.line_nos[k])).unwrap_or_default();
            Err(RunError::new_err(format!("program{at}: {e}")))
        }
    }
}

/// Every program of solver files or directories: each as solver-syntax text, and a message
/// per problem found.
#[pyfunction]
fn load_programs(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<(Vec<String>, Vec<String>)> {
    let src = py.detach(|| batt_prog::parse::parse_paths(&paths)).map_err(|e| ProgramError::new_err(e.to_string()))?;
    let texts = src.programs.iter().map(|p| batt_prog::print(&p.program)).collect();
    Ok((texts, src.errors.iter().map(|e| e.to_string()).collect()))
}

/// Calls `check_signals` from a thread that released the GIL: false (and the error kept)
/// when Ctrl-C (or another signal handler's exception) came.
fn still_wanted(stop: &mut Option<PyErr>) -> bool {
    if stop.is_none() {
        if let Err(e) = Python::attach(|py| py.check_signals()) {
            *stop = Some(e);
        }
    }
    stop.is_none()
}

/// Replays solvers on their tasks; see `batt.verify`. Returns the report as JSON text.
#[pyfunction]
fn verify(
    py: Python<'_>,
    texts: Vec<String>,
    paths: Vec<PathBuf>,
    tasks: Vec<PyRef<'_, PyTask>>,
    steps: u64,
) -> PyResult<String> {
    let tasks = tasks_of(&tasks);
    let mut problems = vec![];
    let mut programs = vec![];
    for (i, text) in texts.iter().enumerate() {
        let src = parse_str(text, &format!("programs[{i}]"));
        problems.extend(src.errors.iter().map(|e| e.to_string()));
        programs.extend(src.programs);
    }
    let src = py.detach(|| batt_prog::parse::parse_paths(&paths)).map_err(|e| ProgramError::new_err(e.to_string()))?;
    problems.extend(src.errors.iter().map(|e| e.to_string()));
    programs.extend(src.programs);
    let mut stop = None;
    let report = py.detach(|| batt_prog::verify::verify_while(&programs, &tasks, steps, || still_wanted(&mut stop)));
    if let Some(e) = stop {
        return Err(e);
    }
    problems.extend(report.errors.iter().cloned());
    let j = serde_json::json!({
        "solvers": report.solvers,
        "errors": problems,
        "tasks_solved": report.tasks_solved,
        "tasks_with_solver": report.tasks_with_solver,
    });
    Ok(j.to_string())
}

fn eval_config(
    threads: Option<usize>,
    batch_size: usize,
    node_steps: u64,
    memory_mib: usize,
    backend: &str,
) -> PyResult<EvalConfig> {
    let backend: BackendChoice = backend.parse().map_err(BattError::new_err)?;
    if batch_size == 0 || threads == Some(0) || memory_mib == 0 {
        return Err(BattError::new_err("threads, batch_size and memory_mib must be at least 1"));
    }
    Ok(EvalConfig {
        threads: threads.unwrap_or_else(|| EvalConfig::default().threads),
        batch_size,
        node_steps,
        backend,
        max_value_bytes: memory_mib.saturating_mul(1 << 20),
        ..EvalConfig::default()
    })
}

/// What `evaluate` returns to the Python layer: the differ scores (f32, program-major, one
/// column per demo pair) as bytes, the columns as (task id, pair index), the programs that
/// did not parse (index, message), node evaluations and node values dropped.
type Scores<'py> = (Bound<'py, PyBytes>, Vec<(String, usize)>, Vec<(usize, String)>, u64, u64);

/// Scores programs as one battery over every demo pair of the tasks; see `batt.evaluate`.
#[pyfunction]
#[pyo3(signature = (texts, tasks, skip_errors, threads, batch_size, node_steps, memory_mib, backend))]
#[allow(clippy::too_many_arguments)]
fn evaluate<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    tasks: Vec<PyRef<'py, PyTask>>,
    skip_errors: bool,
    threads: Option<usize>,
    batch_size: usize,
    node_steps: u64,
    memory_mib: usize,
    backend: &str,
) -> PyResult<Scores<'py>> {
    let cfg = eval_config(threads, batch_size, node_steps, memory_mib, backend)?;
    let tasks = tasks_of(&tasks);
    let parsed = py.detach(|| parse_each(&texts));
    let mut battery = Battery::new();
    // each program's candidate in the battery (None: it did not parse)
    let mut cand: Vec<Option<u32>> = Vec::with_capacity(parsed.len());
    let mut errors = vec![];
    for (i, p) in parsed.into_iter().enumerate() {
        match p {
            Ok(p) => cand.push(Some(battery.add_program(&p.program))),
            Err(msg) if skip_errors => {
                errors.push((i, msg));
                cand.push(None);
            }
            Err(msg) => return Err(ProgramError::new_err(msg)),
        }
    }
    let columns: Vec<(String, usize)> =
        tasks.iter().flat_map(|t| (0..t.train.len()).map(|p| (t.id.clone(), p))).collect();
    let first_col: Vec<usize> = tasks
        .iter()
        .scan(0, |at, t| {
            let here = *at;
            *at += t.train.len();
            Some(here)
        })
        .collect();
    let (n, cols) = (texts.len(), columns.len());
    let mut scores: Vec<f32> = vec![];
    scores
        .try_reserve_exact(n.saturating_mul(cols))
        .map_err(|_| PyMemoryError::new_err(format!("{n} programs × {cols} pairs of scores do not fit in memory")))?;
    scores.resize(n * cols, 0.0);
    let mut stop = None;
    let totals = py.detach(|| {
        batt_engine::candidate_scores(&battery, &tasks, &cfg, |pairs, rows| {
            for (&(t, p), row) in pairs.iter().zip(rows) {
                let col = first_col[t] + p;
                for (i, c) in cand.iter().enumerate() {
                    if let Some(c) = c {
                        scores[i * cols + col] = row[*c as usize];
                    }
                }
            }
            still_wanted(&mut stop)
        })
    });
    if let Some(e) = stop {
        return Err(e);
    }
    let totals = totals.map_err(|e| BattError::new_err(e.to_string()))?;
    let bytes = PyBytes::new_with(py, scores.len() * 4, |b| {
        for (to, x) in b.chunks_exact_mut(4).zip(&scores) {
            to.copy_from_slice(&x.to_ne_bytes());
        }
        Ok(())
    })?;
    Ok((bytes, columns, errors, totals.node_evals, totals.dropped_values))
}

/// Scores a submission; see `batt.score`. Returns the score as JSON text.
#[pyfunction]
#[pyo3(signature = (submission, solutions = None, tasks = None))]
fn score(
    submission: &Bound<'_, PyAny>,
    solutions: Option<&Bound<'_, PyAny>>,
    tasks: Option<Vec<PyRef<'_, PyTask>>>,
) -> PyResult<String> {
    use batt_engine::submission::{known_outputs, parse_submission, score_outputs};
    let preds = parse_submission(&to_json(submission, 0)?, "submission".as_ref())
        .map_err(|e| BattError::new_err(e.to_string()))?;
    // every task with known outputs counts, the ones the submission lacks with 0
    let s = match (solutions, tasks) {
        (Some(sol), _) => {
            let known = solutions_from(sol)?;
            score_outputs(&preds, known.iter().map(|(id, g)| (id.as_str(), g.iter().collect())))
        }
        (None, Some(tasks)) => score_outputs(&preds, known_outputs(&tasks_of(&tasks))),
        (None, None) => return Err(BattError::new_err("score: give the solutions or tasks with test outputs")),
    };
    let s = s.ok_or_else(|| BattError::new_err("score: no task with known test outputs to score against"))?;
    serde_json::to_string(&s).map_err(|e| BattError::new_err(e.to_string()))
}

/// A progress event as the dict the Python callback gets.
fn progress_dict<'py>(py: Python<'py>, p: &Progress<'_>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    match p {
        Progress::Pass { done, pairs, tasks_solved } => {
            d.set_item("event", "pass")?;
            d.set_item("done", done)?;
            d.set_item("pairs", pairs)?;
            d.set_item("tasks_solved", tasks_solved)?;
        }
        Progress::Found { task } => {
            d.set_item("event", "found")?;
            d.set_item("task", task)?;
        }
        Progress::Generation(g) => {
            d.set_item("event", "generation")?;
            d.set_item("generation", g.generation)?;
            d.set_item("candidates", g.candidates)?;
            d.set_item("lines", g.lines)?;
            d.set_item("new_solvers", g.new_solvers)?;
            d.set_item("tasks_solved", g.tasks_solved)?;
            d.set_item("seconds", g.seconds)?;
        }
        Progress::Warning(message) => {
            d.set_item("event", "warning")?;
            d.set_item("message", message)?;
        }
    }
    Ok(d)
}

/// What `solve` returns to the Python layer: the submission and a summary, as JSON text, and
/// the warnings of the run.
type Solved = (String, String, Vec<String>);

/// The whole search within a time budget; see `batt.solve`.
#[pyfunction]
#[pyo3(signature = (tasks, library, keep, time_budget, progress, threads, depth, enumerate_share, memory_mib, backend))]
#[allow(clippy::too_many_arguments)]
fn solve(
    py: Python<'_>,
    tasks: Vec<PyRef<'_, PyTask>>,
    library: PathBuf,
    keep: usize,
    time_budget: f64,
    progress: Option<Py<PyAny>>,
    threads: Option<usize>,
    depth: usize,
    enumerate_share: f64,
    memory_mib: Option<usize>,
    backend: &str,
) -> PyResult<Solved> {
    if !(time_budget.is_finite() && (0.0..=1e9).contains(&time_budget)) {
        return Err(BattError::new_err(format!("time_budget={time_budget}: expected seconds from 0 to 1e9")));
    }
    if !(enumerate_share.is_finite() && (0.0..=1.0).contains(&enumerate_share)) {
        return Err(BattError::new_err(format!("enumerate_share={enumerate_share}: expected a share from 0 to 1")));
    }
    if !(1..=32).contains(&depth) || keep == 0 {
        return Err(BattError::new_err("depth must be from 1 to 32 and keep at least 1"));
    }
    let deadline = Instant::now() + Duration::from_secs_f64(time_budget);
    let tasks = tasks_of(&tasks);
    let library = Library::new(library, keep);
    library.check().map_err(|e| BattError::new_err(e.to_string()))?;
    let defaults = SolveConfig::default();
    let mib = |m: usize| m.saturating_mul(1 << 20);
    let mut eval = eval_config(
        threads,
        EvalConfig::default().batch_size,
        batt_engine::eval::DEFAULT_NODE_STEPS,
        memory_mib.unwrap_or(4096),
        backend,
    )?;
    let stop = Stop::new();
    eval.stop = stop.clone();
    let cfg = SolveConfig {
        enumerate_share,
        depth,
        max_bytes: memory_mib.map_or(defaults.max_bytes, |m| mib(m.min(256))),
        max_bytes_total: memory_mib.map_or(defaults.max_bytes_total, mib),
        eval,
        ..defaults
    };
    // the callback's first exception ends the run, and is raised
    let failed: Mutex<Option<PyErr>> = Mutex::new(None);
    let warnings: Mutex<Vec<String>> = Mutex::new(vec![]);
    let on_progress = |p: Progress<'_>| {
        if let Progress::Warning(w) = &p {
            warnings.lock().unwrap_or_else(|e| e.into_inner()).push(w.clone());
        }
        let Some(f) = &progress else { return };
        if stop.is_stopped() {
            return;
        }
        let r = Python::attach(|py| progress_dict(py, &p).and_then(|d| f.call1(py, (d,))).map(drop));
        if let Err(e) = r {
            failed.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(e);
            stop.stop();
        }
    };
    // the search runs on a thread of its own while this one, without the GIL, looks for
    // Ctrl-C every 50 ms and turns it into a stop
    let mut interrupted = None;
    let outcome = std::thread::scope(|s| {
        let run = s.spawn(|| batt_search::solve::solve(&tasks, &library, &cfg, deadline, &on_progress));
        while !run.is_finished() {
            py.detach(|| std::thread::sleep(Duration::from_millis(50)));
            if interrupted.is_none() {
                if let Err(e) = py.check_signals() {
                    interrupted = Some(e);
                    stop.stop();
                }
            }
        }
        run.join()
    });
    if let Some(e) = interrupted.or_else(|| failed.into_inner().unwrap_or_else(|e| e.into_inner())) {
        return Err(e);
    }
    let outcome = match outcome {
        Ok(Ok(o)) => o,
        Ok(Err(e)) => return Err(BattError::new_err(e.to_string())),
        Err(_) => return Err(BattError::new_err("the search failed (a panic in batt: please report it)")),
    };
    let submission = batt_engine::submission::submission_json(&outcome.predictions).to_string();
    let summary = serde_json::json!({
        "tasks": tasks.len(),
        "tasks_solved": outcome.tasks_solved,
        "new_solvers": outcome.new_solvers,
        "generations": outcome.generations,
        "enumeration_seconds": outcome.enumeration.as_ref().map(|e| e.seconds),
        "library": library.dir(),
    });
    Ok((submission, summary.to_string(), warnings.into_inner().unwrap_or_else(|e| e.into_inner())))
}

/// batt's engine: tasks, solver-syntax programs, batteries, verify, score and solve.
#[pymodule]
fn _batt(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // `backend="gpu"|"auto"` open the GPU backend when it is built in
    #[cfg(feature = "gpu")]
    batt_gpu::install();
    let py = m.py();
    m.add("BattError", py.get_type::<BattError>())?;
    m.add("TaskError", py.get_type::<TaskError>())?;
    m.add("ProgramError", py.get_type::<ProgramError>())?;
    m.add("RunError", py.get_type::<RunError>())?;
    m.add_class::<PyTask>()?;
    m.add_function(wrap_pyfunction!(load_tasks, m)?)?;
    m.add_function(wrap_pyfunction!(run_program, m)?)?;
    m.add_function(wrap_pyfunction!(load_programs, m)?)?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(score, m)?)?;
    m.add_function(wrap_pyfunction!(solve, m)?)?;
    m.add("DEFAULT_STEPS", batt_dsl::func::DEFAULT_STEPS)?;
    m.add("DEFAULT_NODE_STEPS", batt_engine::eval::DEFAULT_NODE_STEPS)?;
    Ok(())
}
