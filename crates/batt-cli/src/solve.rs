//! `batt solve`: the one-command path. Tasks in, `submission.json` out, within a time budget:
//! enumeration per task (in parallel over tasks) puts solvers in the library, then generations
//! of card → battery → library spread them to other tasks, then predictions.

use crate::evolve::{generations, EvolveArgs};
use crate::run::{bar, finish, load_tasks, solved_in_library, Common, Outcome, Phases};
use anyhow::Result;
use batt_dsl::task::Task;
use batt_engine::Library;
use batt_search::enumerate::{enumerate_task, EnumConfig};
use rayon::prelude::*;
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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
    /// Lines of each generation's battery.
    pub lines: usize,
}

/// Enumerates `tasks` in parallel and keeps their solvers; returns the primitive
/// applications, the tasks solved and the solvers new to the library.
fn enumerate_all(
    pool: &rayon::ThreadPool,
    tasks: &[&Task],
    cfg: &EnumConfig,
    library: &Library,
    deadline: Instant,
) -> Result<(u64, usize, usize)> {
    let b = bar(tasks.len(), "tasks enumerated");
    let (applications, found, new) = (AtomicU64::new(0), AtomicUsize::new(0), AtomicUsize::new(0));
    let errors = std::sync::Mutex::new(Vec::new());
    pool.install(|| {
        tasks.par_iter().for_each(|t| {
            if Instant::now() < deadline {
                let f = enumerate_task(t, cfg);
                applications.fetch_add(f.applications, Ordering::Relaxed);
                if !f.solvers.is_empty() {
                    found.fetch_add(1, Ordering::Relaxed);
                    match library.add(&t.id, &f.solvers) {
                        Ok(n) => {
                            new.fetch_add(n, Ordering::Relaxed);
                        }
                        Err(e) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(e),
                    }
                }
            }
            b.inc(1);
            b.set_message(format!("{} solved", found.load(Ordering::Relaxed)));
        })
    });
    b.finish_and_clear();
    if let Some(e) = errors.into_inner().unwrap_or_else(|p| p.into_inner()).pop() {
        anyhow::bail!("writing the library in {}: {e}", library.dir().display());
    }
    Ok((applications.into_inner(), found.into_inner(), new.into_inner()))
}

/// `batt solve`.
pub fn solve(out: &mut impl Write, c: &Common, s: &SolveArgs) -> Result<()> {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(s.time_budget);
    let mut phases = Phases::start();
    let tasks = load_tasks(c)?;
    let library = Library::new(&c.library, c.keep);
    phases.lap("load");

    // rounds until the deadline: enumerate the unsolved tasks (one level deeper each round),
    // then run generations that spread what was found, with a battery that grows each round
    let threads = c.eval.threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let (mut applications, mut enum_secs, mut new_total) = (0u64, 0f64, 0usize);
    let mut log = vec![];
    let mut last = None;
    let mut lines = s.lines;
    for (round, depth) in (1..).zip(s.depth..) {
        let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if left <= 0.0 {
            break;
        }
        let unsolved: Vec<&Task> = tasks.iter().filter(|t| library.solvers(&t.id).is_empty()).collect();
        let share = if round == 1 { s.enumerate_share } else { 0.5 };
        if !unsolved.is_empty() {
            let per_task = s.time_per_task.unwrap_or(left * share * threads as f64 / unsolved.len() as f64);
            let cfg = EnumConfig {
                depth,
                time: Duration::from_secs_f64(per_task.max(0.01)),
                max_bytes: s.max_bytes,
                max_terms: usize::MAX,
            };
            let t = Instant::now();
            let (apps, found, new) = enumerate_all(&pool, &unsolved, &cfg, &library, deadline)?;
            let secs = t.elapsed().as_secs_f64();
            applications += apps;
            enum_secs += secs;
            new_total += new;
            if !c.json {
                writeln!(
                    out,
                    "round {round}, enumeration at depth {depth}: {found} of {} unsolved tasks solved, {apps} primitive applications ({:.0} per CPU-second) in {secs:.1} s",
                    unsolved.len(),
                    apps as f64 / (secs * threads as f64).max(1e-9)
                )?;
            }
            log.push(json!({"round": round, "depth": depth, "unsolved": unsolved.len(), "solved": found,
                "applications": apps, "seconds": secs}));
        }
        // a later round starts its generations only when one still fits before the deadline
        let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        if last.as_ref().is_some_and(|(_, _, secs)| left < *secs) {
            break;
        }
        let e = EvolveArgs { generations: usize::MAX, time_budget: None, lines, seeds: vec![] };
        let (battery, eval, secs, new, glog) = generations(out, c, &tasks, &library, &[], &e, Some(deadline))?;
        new_total += new;
        log.extend(glog);
        last = Some((battery, eval, secs));
        lines = (lines * 2).min(s.lines * 16);
    }
    phases.lap("search");
    let Some((battery, eval, secs)) = last else {
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
    finish(out, c, &tasks, o, phases)
}
