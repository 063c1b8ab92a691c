//! Solving tasks into a library, the three ways that the `batt` command and the Python module
//! share: one battery of given programs ([`run`]), generations of card → battery → library
//! ([`evolve`]), and the whole search within a time budget ([`solve`]). Each keeps every
//! solver it finds in the library as soon as it finds it, and ends with predictions for the
//! test inputs from its last battery. The caller loads the tasks, opens the library, hears
//! of the progress through a callback, and writes the submission.
//!
//! ```no_run
//! use batt_search::solve::{solve, SolveConfig};
//! use std::time::{Duration, Instant};
//!
//! let tasks = batt_dsl::task::load("data/arc-agi-1/training".as_ref()).tasks;
//! let library = batt_engine::Library::new("library", 8);
//! let deadline = Instant::now() + Duration::from_secs(60);
//! let out = solve(&tasks, &library, &SolveConfig::default(), deadline, &|_| {}).unwrap();
//! batt_engine::submission::write_submission("submission.json".as_ref(), &out.predictions).unwrap();
//! ```

use crate::enumerate::EnumConfig;
use crate::schedule::{ScheduleConfig, ScheduleReport, Scheduler, Searches};
use batt_dsl::task::Task;
use batt_engine::pipeline::{evaluate_and_keep, Kept, PassError};
use batt_engine::predict::TaskPrediction;
use batt_engine::{predict, Battery, EvalConfig, Evaluation, Library, Plan, PredictConfig};
use batt_prog::Program;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a long call tells its caller as it goes (from any thread).
#[derive(Debug)]
pub enum Progress<'a> {
    /// A battery pass: demo pairs done, of all, and the tasks this pass solved so far.
    Pass { done: usize, pairs: usize, tasks_solved: usize },
    /// The enumeration found solvers for a task.
    Found { task: &'a str },
    /// A generation ended.
    Generation(&'a GenerationReport),
    /// Something the caller should know; the run goes on.
    Warning(String),
}

/// The callback that hears of the progress.
pub type OnProgress<'a> = &'a (dyn Fn(Progress<'_>) + Sync);

/// What one generation did.
#[derive(Clone, Debug, serde::Serialize)]
pub struct GenerationReport {
    /// Its number, from 1.
    pub generation: usize,
    pub candidates: usize,
    /// Lines of its battery.
    pub lines: usize,
    pub new_solvers: usize,
    /// Tasks with a solver in the library after it.
    pub tasks_solved: usize,
    pub seconds: f64,
}

/// What the enumeration of [`solve`] did.
#[derive(Clone, Debug)]
pub struct EnumerationReport {
    pub schedule: ScheduleReport,
    /// Wall seconds it ran.
    pub seconds: f64,
}

/// What a run, an evolution or a search came to.
pub struct Outcome {
    /// The last battery and its evaluation: the predictions come from them.
    pub battery: Battery,
    pub eval: Evaluation,
    /// Seconds the last battery's evaluation took.
    pub eval_secs: f64,
    /// Tasks solved: by the battery in [`run`]; with a solver in the library otherwise.
    pub tasks_solved: usize,
    /// Solvers new to the library.
    pub new_solvers: usize,
    /// One per task, in the tasks' order.
    pub predictions: Vec<TaskPrediction>,
    /// Seconds the predictions took.
    pub predict_secs: f64,
    /// The generations run, in order (none in [`run`]).
    pub generations: Vec<GenerationReport>,
    /// The enumeration ([`solve`] only).
    pub enumeration: Option<EnumerationReport>,
}

/// What can stop a run.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    #[error(transparent)]
    Pass(#[from] PassError),
    #[error("writing the library in {dir}: {source}")]
    Library { dir: std::path::PathBuf, source: std::io::Error },
    #[error("the time budget ended before any search")]
    NoTime,
    /// The config's `eval.stop` was asked (what was found until then is in the library).
    #[error("stopped")]
    Stopped,
    #[error("starting {threads} worker threads: {why}")]
    Threads { threads: usize, why: String },
}

/// One battery pass over `tasks`, keeping what it finds in `library`; [`SolveError::Stopped`]
/// when `eval.stop` was asked.
fn pass(
    battery: &Battery,
    tasks: &[Task],
    eval: &EvalConfig,
    library: &Library,
    progress: OnProgress,
) -> Result<(Evaluation, Kept), SolveError> {
    let pairs: usize = tasks.iter().map(|t| t.train.len()).sum();
    let r = evaluate_and_keep(battery, tasks, eval, library, library.keep(), |done, tasks_solved| {
        progress(Progress::Pass { done, pairs, tasks_solved })
    })?;
    if eval.stop.is_stopped() {
        return Err(SolveError::Stopped);
    }
    if r.0.dropped_values > 0 {
        progress(Progress::Warning(format!(
            "{} node values were dropped (their nodes' readers are dead on those pairs): the battery's values went past the cap of {} MiB",
            r.0.dropped_values,
            eval.max_value_bytes >> 20
        )));
    }
    Ok(r)
}

/// The predictions of `battery`, evaluated as `eval`, for the test inputs of `tasks`.
fn predictions(battery: &Battery, tasks: &[Task], eval: &Evaluation, cfg: &EvalConfig) -> Vec<TaskPrediction> {
    let pcfg = PredictConfig { node_steps: cfg.node_steps, ..PredictConfig::default() };
    predict(&Plan::new(battery), tasks, eval, &pcfg)
}

/// The outcome of a last battery: its predictions for the test inputs.
fn finish(
    battery: Battery,
    (eval, eval_secs): (Evaluation, f64),
    tasks: &[Task],
    cfg: &EvalConfig,
    (tasks_solved, new_solvers): (usize, usize),
    generations: Vec<GenerationReport>,
    enumeration: Option<EnumerationReport>,
) -> Outcome {
    let t = Instant::now();
    let predictions = predictions(&battery, tasks, &eval, cfg);
    let predict_secs = t.elapsed().as_secs_f64();
    Outcome { battery, eval, eval_secs, tasks_solved, new_solvers, predictions, predict_secs, generations, enumeration }
}

/// [`finish`] for a last battery that may not have the last word: the tasks its evaluation
/// did not reach (the deadline cut it) and those it found no solver for that have one in the
/// library now (the searches went on after it) are predicted by a battery of the solvers the
/// library holds for them (no deadline: a few lines per task, on its own pairs), so every task
/// has its predictions and every solver found counts.
#[allow(clippy::too_many_arguments)]
fn finish_unsettled(
    battery: Battery,
    eval: (Evaluation, f64),
    tasks: &[Task],
    library: &Library,
    cfg: &EvalConfig,
    counts: (usize, usize),
    generations: Vec<GenerationReport>,
    enumeration: Option<EnumerationReport>,
) -> Result<Outcome, SolveError> {
    let mut redo = vec![true; tasks.len()];
    for ts in &eval.0.tasks {
        redo[ts.task] = ts.solvers.is_empty() && library.has_solver(&tasks[ts.task].id);
    }
    let mut out = finish(battery, eval, tasks, cfg, counts, generations, enumeration);
    if !redo.contains(&true) {
        return Ok(out);
    }
    let t = Instant::now();
    let left: Vec<Task> = tasks.iter().zip(&redo).filter(|(_, &r)| r).map(|(t, _)| t.clone()).collect();
    let mut own = Battery::new();
    for task in &left {
        for p in library.solvers(&task.id) {
            own.add_program(&p);
        }
    }
    let free = EvalConfig { deadline: None, ..cfg.clone() };
    let ev = batt_engine::evaluate(&own, &left, &free, |_, _| {}).map_err(PassError::from)?;
    let redone: std::collections::HashSet<&str> = left.iter().map(|t| t.id.as_str()).collect();
    out.predictions.retain(|p| !redone.contains(p.task.as_str()));
    out.predictions.extend(predictions(&own, &left, &ev, cfg));
    let order: std::collections::HashMap<&str, usize> =
        tasks.iter().enumerate().map(|(k, t)| (t.id.as_str(), k)).collect();
    out.predictions.sort_by_key(|p| order.get(p.task.as_str()).copied().unwrap_or(usize::MAX));
    out.predict_secs += t.elapsed().as_secs_f64();
    Ok(out)
}

/// Tasks of `tasks` that have a solver in the library.
pub fn solved_in_library(library: &Library, tasks: &[Task]) -> usize {
    tasks.iter().filter(|t| library.has_solver(&t.id)).count()
}

/// One battery of `programs` over `tasks`: every task's solvers go to the library, and the
/// predictions come from the battery.
pub fn run(
    programs: &[Program],
    tasks: &[Task],
    library: &Library,
    eval: &EvalConfig,
    progress: OnProgress,
) -> Result<Outcome, SolveError> {
    let mut battery = Battery::new();
    for p in programs {
        battery.add_program(p);
    }
    let t = Instant::now();
    let (ev, kept) = pass(&battery, tasks, eval, library, progress)?;
    let secs = t.elapsed().as_secs_f64();
    Ok(finish(battery, (ev, secs), tasks, eval, (kept.tasks_solved, kept.new_solvers), vec![], None))
}

/// One generation's battery: the library's solvers, the seeds, and their variants, in about
/// `lines` lines.
pub fn card(library: &Library, seeds: &[Program], lines: usize) -> Battery {
    let mut programs: Vec<Program> = seeds.to_vec();
    programs.extend(library.load().programs.into_iter().map(|p| p.program));
    crate::card::build(&programs, lines)
}

/// Generation number `number`: a battery of `lines` lines from the library and `seeds`, over
/// every task.
fn generation(
    tasks: &[Task],
    library: &Library,
    seeds: &[Program],
    lines: usize,
    number: usize,
    eval: &EvalConfig,
    progress: OnProgress,
) -> Result<(Battery, Evaluation, GenerationReport), SolveError> {
    let t = Instant::now();
    let battery = card(library, seeds, lines);
    let (ev, kept) = pass(&battery, tasks, eval, library, progress)?;
    let report = GenerationReport {
        generation: number,
        candidates: battery.candidates().len(),
        lines: battery.len(),
        new_solvers: kept.new_solvers,
        tasks_solved: solved_in_library(library, tasks),
        seconds: t.elapsed().as_secs_f64(),
    };
    progress(Progress::Generation(&report));
    Ok((battery, ev, report))
}

/// How to evolve.
#[derive(Clone, Debug)]
pub struct EvolveConfig {
    /// Generations at most (fewer when one finds nothing new).
    pub generations: usize,
    /// Lines of each generation's battery.
    pub lines: usize,
    /// Programs to start from besides the library.
    pub seeds: Vec<Program>,
    pub eval: EvalConfig,
}

impl Default for EvolveConfig {
    fn default() -> EvolveConfig {
        EvolveConfig { generations: 5, lines: 20_000, seeds: vec![], eval: EvalConfig::default() }
    }
}

/// Generations until one finds nothing new, the count is reached, or the next would pass the
/// deadline (the first always runs).
pub fn evolve(
    tasks: &[Task],
    library: &Library,
    cfg: &EvolveConfig,
    deadline: Option<Instant>,
    progress: OnProgress,
) -> Result<Outcome, SolveError> {
    let mut log: Vec<GenerationReport> = vec![];
    loop {
        let (battery, ev, report) =
            generation(tasks, library, &cfg.seeds, cfg.lines, log.len() + 1, &cfg.eval, progress)?;
        let secs = report.seconds;
        log.push(report);
        let out_of_time = deadline.is_some_and(|d| Instant::now() + Duration::from_secs_f64(secs) > d);
        if log.last().is_some_and(|g| g.new_solvers == 0) || log.len() >= cfg.generations || out_of_time {
            let new = log.iter().map(|g| g.new_solvers).sum();
            let solved = solved_in_library(library, tasks);
            return Ok(finish(battery, (ev, secs), tasks, &cfg.eval, (solved, new), log, None));
        }
    }
}

/// How to search.
#[derive(Clone, Debug)]
pub struct SolveConfig {
    /// Share of the time spent enumerating before the first generations (0 to 1); later
    /// rounds go on enumerating while time is left.
    pub enumerate_share: f64,
    /// Time one task's enumeration may take in all (default: what the deadlines leave; tasks
    /// finished or solved give their time to the rest).
    pub time_per_task: Option<Duration>,
    /// Deepest depth of the enumeration; each task stops at the first depth that solves it.
    pub depth: usize,
    /// Bytes of values one task's enumeration may hold.
    pub max_bytes: usize,
    /// Bytes of values all enumerations may hold together.
    pub max_bytes_total: usize,
    /// Lines of the first generation's battery (the next ones take up to twice as many: a
    /// larger battery, held beside the searches' memory, took a 300 s run past 2 GB and solved
    /// no more).
    pub lines: usize,
    /// Search the views of each task too (background, colour roles).
    pub views: bool,
    pub eval: EvalConfig,
}

impl Default for SolveConfig {
    fn default() -> SolveConfig {
        SolveConfig {
            enumerate_share: 0.6,
            time_per_task: None,
            depth: 6,
            max_bytes: 256 << 20,
            max_bytes_total: 1536 << 20,
            lines: 20_000,
            views: true,
            eval: EvalConfig::default(),
        }
    }
}

/// Seconds kept at the end of a search for the predictions.
const RESERVE_SECS: f64 = 0.3;
/// Seconds kept at the end of a search for predicting the tasks solved after the last
/// generation from their own solvers.
const OWN_SECS: f64 = 0.5;
/// A generation smaller than this is not worth starting after the first.
const MIN_LINES: usize = 1000;

/// The whole search, ending by `deadline`: enumeration per task (in parallel over tasks and
/// their views, resumed depth after depth, with time shared among them as they finish), then
/// generations sized to the time left that spread what was found to every task, in rounds
/// while time is left; then predictions from the last generation's battery.
pub fn solve(
    tasks: &[Task],
    library: &Library,
    cfg: &SolveConfig,
    deadline: Instant,
    progress: OnProgress,
) -> Result<Outcome, SolveError> {
    let start = Instant::now();
    let budget = deadline.saturating_duration_since(start).as_secs_f64();
    let threads = cfg.eval.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| SolveError::Threads { threads, why: e.to_string() })?;
    let reserve = Duration::from_secs_f64(RESERVE_SECS.min(budget / 2.0));
    let mut enum_deadline = (start + Duration::from_secs_f64(budget * cfg.enumerate_share))
        .min(deadline.checked_sub(reserve).unwrap_or(deadline));
    let scfg = ScheduleConfig {
        task: EnumConfig {
            depth: cfg.depth,
            max_bytes: cfg.max_bytes,
            stop: cfg.eval.stop.clone(),
            ..EnumConfig::default()
        },
        max_bytes_total: cfg.max_bytes_total,
        time_per_task: cfg.time_per_task,
        threads,
        views: cfg.views,
    };
    let errors = Mutex::new(None);
    let new_total = AtomicUsize::new(0);
    let searches = Searches::new(tasks, &scfg);
    let mut sched = Scheduler::new(&searches);
    let mark = |sched: &mut Scheduler| {
        for (k, t) in tasks.iter().enumerate() {
            if library.has_solver(&t.id) {
                sched.mark_solved(k);
            }
        }
    };
    mark(&mut sched);
    let found = |t: &Task, found: &[Program]| {
        progress(Progress::Found { task: &t.id });
        match library.add(&t.id, found) {
            Ok(n) => {
                new_total.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => {
                errors.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
            }
        }
    };

    // rounds: enumeration until its deadline, then generations sized to the time left (a
    // battery's cost is about proportional to its lines times the pairs it runs on: measured
    // on each generation, a cautious guess for the first) while they find something; then,
    // while time is left, the searches go on where they stopped, leaving room for a last
    // generation, whose battery gives the predictions; once no generation fits, they go on to
    // the end, and what they solve is predicted from its own solvers
    let pairs: usize = tasks.iter().map(|t| t.train.len() + t.test.len()).sum::<usize>().max(1);
    let mut per_line_pair = 2e-6 / threads as f64;
    let (mut enum_secs, mut log, mut last, mut cut) = (0.0, vec![], None, false);
    // a generation the deadline cuts leaves its last tasks to the library's own solvers
    let gen_eval = EvalConfig { deadline: Some(deadline.checked_sub(reserve).unwrap_or(deadline)), ..cfg.eval.clone() };
    loop {
        let t = Instant::now();
        if sched.has_work() && t < enum_deadline {
            pool.install(|| sched.run(enum_deadline, found));
        }
        enum_secs += t.elapsed().as_secs_f64();
        if cfg.eval.stop.is_stopped() {
            return Err(SolveError::Stopped);
        }
        let mut lines = cfg.lines;
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64() - RESERVE_SECS;
            let fits = (left / (per_line_pair * pairs as f64)).max(0.0) as usize;
            if last.is_some() && fits < MIN_LINES {
                break;
            }
            // the first always runs, sized to the time left: its battery gives the predictions;
            // the one before is dropped first, so that two are never held at once
            drop(last.take());
            crate::memory::release_free_memory();
            let before = solved_in_library(library, tasks);
            let (battery, ev, report) =
                generation(tasks, library, &[], lines.min(fits).max(1), log.len() + 1, &gen_eval, progress)?;
            per_line_pair = report.seconds / (battery.len().max(1) * pairs) as f64;
            mark(&mut sched);
            // more solvers for tasks already solved are no reason for another generation
            let found_nothing = report.tasks_solved == before;
            cut = ev.tasks.len() < tasks.len();
            last = Some((battery, ev, report.seconds));
            log.push(report);
            if found_nothing || cut {
                break;
            }
            lines = (lines * 2).min(cfg.lines * 2);
        }
        // room for a last generation: twice the last one (the library grows), with a margin
        let last_secs = last.as_ref().map_or(1.0, |l| l.2);
        let last_gen = 2.0 * last_secs + 0.5 + RESERVE_SECS;
        let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if cut || !sched.has_work() {
            break;
        }
        if left < last_gen + 1.0 {
            // no room for another generation: the searches go on to the end, and the tasks
            // they solve are predicted from their own solvers
            let end = deadline.checked_sub(reserve + Duration::from_secs_f64(OWN_SECS)).unwrap_or(deadline);
            let t = Instant::now();
            if t < end {
                pool.install(|| sched.run(end, found));
            }
            enum_secs += t.elapsed().as_secs_f64();
            break;
        }
        enum_deadline = Instant::now() + Duration::from_secs_f64(left - last_gen);
    }
    if let Some(source) = errors.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(SolveError::Library { dir: library.dir().to_path_buf(), source });
    }
    let enumeration = EnumerationReport { schedule: sched.report(), seconds: enum_secs };
    drop(sched);
    drop(searches);
    let Some((battery, ev, secs)) = last else { return Err(SolveError::NoTime) };
    let new = new_total.into_inner() + log.iter().map(|g| g.new_solvers).sum::<usize>();
    let solved = solved_in_library(library, tasks);
    finish_unsettled(battery, (ev, secs), tasks, library, &cfg.eval, (solved, new), log, Some(enumeration))
}
