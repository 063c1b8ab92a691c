//! `batt solve`: the one-command path. Tasks in, `submission.json` out, within a time budget:
//! enumeration per task (in parallel over tasks) puts solvers in the library, then generations
//! of card → battery → library spread them to other tasks, then predictions.

use crate::evolve::{generation, Generation};
use crate::run::{bar, finish, load_tasks, solved_in_library, Common, Outcome, Phases};
use anyhow::Result;
use batt_engine::predict::TaskPrediction;
use batt_engine::Library;
use batt_search::enumerate::EnumConfig;
use batt_search::schedule::{ScheduleConfig, Scheduler, Searches};
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How to solve.
pub struct SolveArgs {
    /// Seconds for the whole run.
    pub time_budget: f64,
    /// Share of the budget spent enumerating (the rest evolves).
    pub enumerate_share: f64,
    /// CPU-seconds of enumeration per task, when set (else the share, divided among tasks).
    pub time_per_task: Option<f64>,
    pub depth: usize,
    /// Bytes of values one task's enumeration may hold.
    pub max_bytes: usize,
    /// Bytes of values all enumerations may hold together.
    pub max_bytes_total: usize,
    /// Lines of each generation's battery.
    pub lines: usize,
}

/// What `batt solve` gives besides its files: the tasks, their predictions, and the
/// enumeration seconds each task took.
pub struct SolveOutcome {
    pub tasks: Vec<batt_dsl::task::Task>,
    pub predictions: Vec<TaskPrediction>,
    pub enumeration_seconds: Vec<f64>,
}

/// Seconds kept at the end of a run for the predictions and the submission file.
const RESERVE_SECS: f64 = 0.3;
/// A generation smaller than this is not worth starting after the first.
const MIN_LINES: usize = 1000;

/// `batt solve`.
pub fn solve(out: &mut impl Write, c: &Common, s: &SolveArgs) -> Result<SolveOutcome> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(s.time_budget);
    let mut phases = Phases::start();
    let tasks = load_tasks(c)?;
    let library = Library::new(&c.library, c.keep);
    phases.lap("load");

    // enumeration: every unsolved task and its views, resumed depth after depth, with time
    // shared among them as they finish; then generations that spread what was found
    let threads = c.eval.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let enum_deadline = start + Duration::from_secs_f64(s.time_budget * s.enumerate_share);
    let reserve = Duration::from_secs_f64(RESERVE_SECS.min(s.time_budget / 2.0));
    let enum_deadline = enum_deadline.min(deadline.checked_sub(reserve).unwrap_or(deadline));
    let cfg = ScheduleConfig {
        task: EnumConfig { depth: s.depth, max_bytes: s.max_bytes, ..EnumConfig::default() },
        max_bytes_total: s.max_bytes_total,
        time_per_task: s.time_per_task.map(Duration::from_secs_f64),
        threads,
        views: true,
    };
    let errors = std::sync::Mutex::new(Vec::new());
    let new_total = AtomicUsize::new(0);
    let searches = Searches::new(&tasks, &cfg);
    let mut sched = Scheduler::new(&searches);
    let mark = |sched: &mut Scheduler| {
        for (k, t) in tasks.iter().enumerate() {
            if !library.solvers(&t.id).is_empty() {
                sched.mark_solved(k);
            }
        }
    };
    mark(&mut sched);
    let b = bar(tasks.len(), "tasks solved");
    let found = |t: &batt_dsl::task::Task, found: &[batt_prog::Program]| {
        b.inc(1);
        match library.add(&t.id, found) {
            Ok(n) => {
                new_total.fetch_add(n, Ordering::Relaxed);
            }
            Err(e) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(e),
        }
    };

    // rounds: enumeration until its deadline, then generations sized to the time left (a
    // battery's cost is about proportional to its lines times the pairs it runs on: measured
    // on each generation, a cautious guess for the first) while they find something; then,
    // while time is left, the searches go on where they stopped, leaving room for a last
    // generation, whose battery gives the predictions
    let pairs: usize = tasks.iter().map(|t| t.train.len() + t.test.len()).sum::<usize>().max(1);
    let mut per_line_pair = 2e-6 / threads as f64;
    let (mut enum_secs, mut log, mut last) = (0.0, vec![], None);
    let mut enum_deadline = enum_deadline;
    loop {
        let t = Instant::now();
        if sched.has_work() && t < enum_deadline {
            pool.install(|| sched.run(enum_deadline, &found));
        }
        enum_secs += t.elapsed().as_secs_f64();
        let mut lines = s.lines;
        loop {
            let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64() - RESERVE_SECS;
            let fits = (left / (per_line_pair * pairs as f64)).max(0.0) as usize;
            if last.is_some() && fits < MIN_LINES {
                break;
            }
            let (gen, entry) = generation(out, c, &tasks, &library, &[], lines.min(fits).max(1), log.len() + 1)?;
            per_line_pair = gen.secs / (gen.battery.len().max(1) * pairs) as f64;
            new_total.fetch_add(gen.new_solvers, Ordering::Relaxed);
            log.push(entry);
            mark(&mut sched);
            let found_nothing = gen.new_solvers == 0;
            last = Some(gen);
            if found_nothing {
                break;
            }
            lines = (lines * 2).min(s.lines * 8);
        }
        // room for a last generation: twice the last one (the library grows), with a margin
        let last_secs = last.as_ref().map_or(1.0, |g: &Generation| g.secs);
        let last_gen = 2.0 * last_secs + 0.5 + RESERVE_SECS;
        let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if !sched.has_work() || left < last_gen + 1.0 {
            break;
        }
        enum_deadline = Instant::now() + Duration::from_secs_f64(left - last_gen);
    }
    b.finish_and_clear();
    if let Some(e) = errors.into_inner().unwrap_or_else(|p| p.into_inner()).pop() {
        anyhow::bail!("writing the library in {}: {e}", library.dir().display());
    }
    let report = sched.report();
    drop(sched);
    drop(searches);
    let new_total = new_total.into_inner();
    if !c.json {
        writeln!(
            out,
            "enumeration: {} tasks solved (by depth {:?}; the unsolved reached depth {:?}), {} primitive applications ({:.0} per CPU-second), {} rounds, {} restarts with more memory, in {enum_secs:.1} s",
            report.solved,
            report.solved_at_depth,
            report.unsolved_at_depth,
            report.applications,
            report.applications as f64 / (enum_secs * threads as f64).max(1e-9),
            report.rounds,
            report.restarts
        )?;
    }
    log.insert(
        0,
        json!({"phase": "enumeration", "solved": report.solved, "solved_at_depth": report.solved_at_depth, "unsolved_at_depth": report.unsolved_at_depth,
        "applications": report.applications, "rounds": report.rounds, "restarts": report.restarts, "seconds": enum_secs}),
    );
    let applications = report.applications;
    phases.lap("search");
    let Some(Generation { battery, eval, secs, .. }) = last else {
        anyhow::bail!("the time budget ended before any search");
    };
    let solved = solved_in_library(&library, &tasks);
    let o = Outcome {
        battery: &battery,
        eval: &eval,
        eval_secs: secs,
        solved,
        new_solvers: new_total,
        extra: json!({
            "enumeration": {
                "applications": applications,
                "applications_per_cpu_second": applications as f64 / (enum_secs * threads as f64).max(1e-9),
                "seconds": enum_secs,
            },
            "rounds": log,
            "seconds": start.elapsed().as_secs_f64(),
        }),
    };
    let predictions = finish(out, c, &tasks, o, phases)?;
    Ok(SolveOutcome { tasks, predictions, enumeration_seconds: report.task_seconds })
}
