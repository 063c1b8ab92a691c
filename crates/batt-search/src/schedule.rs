//! Enumeration of many tasks at once, with time shared as the run goes: every task (and every
//! view of it) gets a slice, the slices double each round, and only the searches still
//! unsolved and unfinished take part, so cheap tasks finish early and the hard ones get the
//! rest. Searches resume where they stopped ([`TaskSearch`]); one memory pool holds the values
//! of all of them ([`MemoryPool`]): a search that finds it empty stops storing, probes its
//! last depth and ends, and what it held goes back to the others.

use crate::enumerate::{EnumConfig, MemoryPool, TaskSearch};
use crate::views::View;
use batt_dsl::task::Task;
use batt_prog::Program;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Limits of an enumeration over many tasks.
#[derive(Clone, Debug)]
pub struct ScheduleConfig {
    /// Each task's enumeration (its `time` is not used: the schedule hands out time).
    pub task: EnumConfig,
    /// Bytes of stored values all searches may hold together.
    pub max_bytes_total: usize,
    /// Time one search may take in all (`None`: as much as the deadline leaves).
    pub time_per_task: Option<Duration>,
    /// Threads the caller's rayon pool runs (to size the first slices).
    pub threads: usize,
    /// Search the views of each task too ([`View::all_for`]).
    pub views: bool,
}

/// What an enumeration over many tasks did.
#[derive(Clone, Debug, Default)]
pub struct ScheduleReport {
    /// Tasks with a solver found.
    pub solved: usize,
    /// Solvers found (views' programs counted once wrapped).
    pub solvers: usize,
    /// Primitive applications.
    pub applications: u64,
    /// Rounds of slices run.
    pub rounds: usize,
    /// Per depth `d` (index `d`), the tasks first solved at that depth.
    pub solved_at_depth: Vec<usize>,
    /// Per task, the seconds its searches took (all views and tiers).
    pub task_seconds: Vec<f64>,
    /// Per depth `d`, the unsolved tasks whose deepest complete depth (over their searches)
    /// is `d`.
    pub unsolved_at_depth: Vec<usize>,
}

/// One search: a task, or a view of it.
struct Job<'a> {
    task: usize,
    view: Option<View>,
    search: Option<TaskSearch<'a>>,
    spent: Duration,
}

/// Enumerates `tasks` (skipping those `skip` says are solved already) until `deadline`,
/// calling `found(task, programs)` with the solvers of each task as they come (programs for
/// the task itself, views undone), from the worker threads.
pub fn enumerate_tasks(
    tasks: &[Task],
    skip: impl Fn(&Task) -> bool,
    cfg: &ScheduleConfig,
    deadline: Instant,
    found: impl Fn(&Task, &[Program]) + Sync,
) -> ScheduleReport {
    let skipped: Vec<bool> = tasks.iter().map(&skip).collect();
    let solved: Vec<AtomicBool> = skipped.iter().map(|&s| AtomicBool::new(s)).collect();
    let viewed: Vec<(usize, View, Task)> = if cfg.views {
        tasks
            .iter()
            .enumerate()
            .filter(|(k, _)| !solved[*k].load(Ordering::Relaxed))
            .flat_map(|(k, t)| View::all_for(t).into_iter().filter_map(move |v| v.apply(t).map(|vt| (k, v, vt))))
            .collect()
    } else {
        vec![]
    };
    // per task: the image tier, which goes deep quickly, and the full menu
    let image_cfg = EnumConfig { image_only: true, ..cfg.task.clone() };
    let pool = MemoryPool::new(cfg.max_bytes_total);
    let view_cfg = EnumConfig { use_s: false, image_only: true, ..cfg.task.clone() };
    let mut jobs: Vec<Job> = tasks
        .iter()
        .enumerate()
        .filter(|(k, _)| !solved[*k].load(Ordering::Relaxed))
        .flat_map(|(k, t)| {
            [&image_cfg, &cfg.task].map(|c| Job {
                task: k,
                view: None,
                search: Some(TaskSearch::with_pool(t, c, &pool)),
                spent: Duration::ZERO,
            })
        })
        .collect();
    jobs.extend(viewed.iter().map(|(k, v, vt)| Job {
        task: *k,
        view: Some(*v),
        search: Some(TaskSearch::with_pool(vt, &view_cfg, &pool)),
        spent: Duration::ZERO,
    }));
    let mut report = ScheduleReport::default();
    // per task, the deepest depth any of its searches completed
    let mut reached = vec![0usize; tasks.len()];
    let depth_of: Vec<std::sync::atomic::AtomicUsize> =
        tasks.iter().map(|_| std::sync::atomic::AtomicUsize::new(0)).collect();
    let left = deadline.saturating_duration_since(Instant::now());
    let mut slice = (left * cfg.threads.max(1) as u32 / jobs.len().max(1) as u32 / 4).max(Duration::from_millis(5));
    loop {
        if Instant::now() >= deadline {
            break;
        }
        let cap = cfg.time_per_task.unwrap_or(Duration::MAX);
        let mut active: Vec<&mut Job> = jobs
            .iter_mut()
            .filter(|j| {
                j.search.as_ref().is_some_and(|s| !s.done()) && !solved[j.task].load(Ordering::Relaxed) && j.spent < cap
            })
            .collect();
        if active.is_empty() {
            break;
        }
        report.rounds += 1;
        // the last round that fits is shared evenly rather than cut at the deadline
        let left = deadline.saturating_duration_since(Instant::now());
        slice = slice.min(left * cfg.threads.max(1) as u32 / active.len() as u32).max(Duration::from_millis(2));
        active.par_iter_mut().for_each(|j| {
            let task = &tasks[j.task];
            if solved[j.task].load(Ordering::Relaxed) {
                return;
            }
            let Some(s) = j.search.as_mut() else { return };
            let t0 = Instant::now();
            let stop = deadline.min(t0 + slice.min(cap.saturating_sub(j.spent)));
            let new = s.advance(stop).unwrap_or_default();
            j.spent += t0.elapsed();
            if !new.is_empty() {
                let progs: Vec<Program> = match j.view {
                    Some(v) => new.iter().map(|p| v.wrap(p)).collect(),
                    None => new,
                };
                if !solved[j.task].swap(true, Ordering::Relaxed) {
                    depth_of[j.task].store(s.depth(), Ordering::Relaxed);
                }
                found(task, &progs);
            }
        });
        // searches of solved tasks are over; the rest share the memory cap, largest dropped first
        for j in jobs.iter_mut() {
            if solved[j.task].load(Ordering::Relaxed) || j.search.as_ref().is_some_and(|s| s.done()) {
                if let Some(s) = j.search.take() {
                    report.applications += s.applications();
                    report.solvers += s.solvers().len();
                    reached[j.task] = reached[j.task].max(s.depth());
                }
            }
        }
        slice *= 2;
    }
    for j in &jobs {
        if let Some(s) = &j.search {
            reached[j.task] = reached[j.task].max(s.depth());
        }
    }
    for k in (0..tasks.len()).filter(|&k| !solved[k].load(Ordering::Relaxed)) {
        if report.unsolved_at_depth.len() <= reached[k] {
            report.unsolved_at_depth.resize(reached[k] + 1, 0);
        }
        report.unsolved_at_depth[reached[k]] += 1;
    }
    report.task_seconds = vec![0.0; tasks.len()];
    for j in &jobs {
        report.task_seconds[j.task] += j.spent.as_secs_f64();
    }
    for s in jobs.iter().filter_map(|j| j.search.as_ref()) {
        report.applications += s.applications();
        report.solvers += s.solvers().len();
    }
    for k in 0..tasks.len() {
        if solved[k].load(Ordering::Relaxed) && !skipped[k] {
            report.solved += 1;
            let d = depth_of[k].load(Ordering::Relaxed);
            if report.solved_at_depth.len() <= d {
                report.solved_at_depth.resize(d + 1, 0);
            }
            report.solved_at_depth[d] += 1;
        }
    }
    report
}
