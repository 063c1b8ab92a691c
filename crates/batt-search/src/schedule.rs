//! Enumeration of many tasks at once, with time shared as the run goes: every task (and every
//! view of it) gets a slice, the slices double each round, and only the searches still
//! unsolved and unfinished take part, so cheap tasks finish early and the hard ones get the
//! rest. Searches resume where they stopped ([`TaskSearch`]), also from one call of
//! [`Scheduler::run`] to the next, so a caller can interleave other work (the battery's
//! generations) without losing any depth. One memory pool holds the values of all of them
//! ([`MemoryPool`]), shared out like time: each search may hold the pool divided by the
//! searches still running; one whose next level does not fit (in its share, or in what the
//! pool has left) stops storing, probes its last depth and ends, and starts again from nothing
//! once its share has grown enough.
//!
//! ```no_run
//! # use batt_search::schedule::{ScheduleConfig, Searches, Scheduler};
//! # let tasks: Vec<batt_dsl::task::Task> = vec![];
//! # let cfg: ScheduleConfig = todo!();
//! let searches = Searches::new(&tasks, &cfg);
//! let mut s = Scheduler::new(&searches);
//! let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
//! s.run(deadline, |task, programs| println!("{}: {} solvers", task.id, programs.len()));
//! println!("{} tasks solved", s.report().solved);
//! ```

use crate::enumerate::{EnumConfig, MemoryPool, TaskSearch};
use crate::views::View;
use batt_dsl::task::Task;
use batt_prog::Program;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The longest first slice, whatever the time left: the first round is a short pass over every
/// search. Searches start with a small share of memory, which grows as others end; one cut by
/// time keeps what it stored and goes on with the larger share, while one that fills its share
/// first ends and starts again from nothing only once the share has grown fourfold. Measured on
/// the 400 ARC-AGI-1 training tasks with 60 s (a first slice of 16 ms by the time left): 189-191
/// test outputs right, 200 and 200 with 8 ms, 195 with 4 ms.
const FIRST_SLICE: Duration = Duration::from_millis(8);

/// Limits of an enumeration over many tasks.
#[derive(Clone, Debug)]
pub struct ScheduleConfig {
    /// Each task's enumeration (its `time` is not used: the schedule hands out time).
    pub task: EnumConfig,
    /// Bytes of stored values all searches may hold together.
    pub max_bytes_total: usize,
    /// Time one search may take in all (`None`: as much as the deadlines leave).
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
    /// Searches started again from nothing when their share of memory had grown.
    pub restarts: usize,
    /// Per depth `d` (index `d`), the tasks first solved at that depth.
    pub solved_at_depth: Vec<usize>,
    /// Per task, the seconds its searches took (all views and tiers).
    pub task_seconds: Vec<f64>,
    /// Per depth `d`, the unsolved tasks whose deepest complete depth (over their searches)
    /// is `d`.
    pub unsolved_at_depth: Vec<usize>,
}

/// What the searches of many tasks read: the tasks, their views and the configurations of
/// each tier, owned here so that a [`Scheduler`] can borrow them.
pub struct Searches<'a> {
    tasks: &'a [Task],
    cfg: &'a ScheduleConfig,
    /// The image tier: whole grids only, deep quickly.
    image: EnumConfig,
    /// The full menu, leaving to the image tier what it does.
    full: EnumConfig,
    /// Views: the image tier on a changed task, not reading `S`.
    view: EnumConfig,
    /// The roles view's, its stored levels running the entries with fewest calls first. Its
    /// colours name roles, and the task's own searches try the colours of the first entries;
    /// the background view exists for its colour steps (a background made 0). Measured with a
    /// dry pool: the ARC-AGI-2 tasks at 27 s 6, 6, 6 -> 8, 8, 8, at 270 s 8, 9 -> 10, 11;
    /// the ARC-AGI-1 held-out half at 15 s as it was (100, 98, 99, 100, 99, 99 -> 101, 98,
    /// 99, 97).
    roles_view: EnumConfig,
    viewed: Vec<(usize, View, Task)>,
    pool: MemoryPool,
}

impl<'a> Searches<'a> {
    pub fn new(tasks: &'a [Task], cfg: &'a ScheduleConfig) -> Searches<'a> {
        let viewed = if cfg.views {
            tasks
                .iter()
                .enumerate()
                .flat_map(|(k, t)| View::all_for(t).into_iter().filter_map(move |v| v.apply(t).map(|vt| (k, v, vt))))
                .collect()
        } else {
            vec![]
        };
        let view = EnumConfig { use_s: false, image_only: true, ..cfg.task.clone() };
        Searches {
            tasks,
            cfg,
            image: EnumConfig { image_only: true, ..cfg.task.clone() },
            full: EnumConfig { skip_image_calls: true, ..cfg.task.clone() },
            roles_view: EnumConfig { fewest_calls_first: true, ..view.clone() },
            view,
            viewed,
            pool: MemoryPool::new(cfg.max_bytes_total),
        }
    }
}

/// One search: a task, or a view of it.
struct Job<'a> {
    task: usize,
    view: Option<View>,
    /// What the search runs on (the task, or its view) and how.
    on: &'a Task,
    cfg: &'a EnumConfig,
    search: Option<TaskSearch<'a>>,
    spent: Duration,
    /// The share of memory its search had when it ended for want of more.
    ended_at_share: Option<usize>,
}

impl<'a> Job<'a> {
    fn new(task: usize, view: Option<View>, on: &'a Task, cfg: &'a EnumConfig, pool: &'a MemoryPool) -> Job<'a> {
        let search = Some(TaskSearch::with_pool(on, cfg, pool));
        Job { task, view, on, cfg, search, spent: Duration::ZERO, ended_at_share: None }
    }
}

/// Adds what search `s` of `task` did to the report.
fn tally(r: &mut ScheduleReport, reached: &mut [usize], task: usize, s: &TaskSearch) {
    r.applications += s.applications();
    r.solvers += s.solvers().len();
    reached[task] = reached[task].max(s.depth());
}

/// The searches of many tasks, run in rounds of doubling slices until a deadline, and resumed
/// by the next [`Scheduler::run`].
pub struct Scheduler<'a> {
    s: &'a Searches<'a>,
    jobs: Vec<Job<'a>>,
    solved: Vec<AtomicBool>,
    depth_of: Vec<AtomicUsize>,
    reached: Vec<usize>,
    /// Tasks marked solved from outside (by [`Scheduler::mark_solved`]), not counted.
    outside: Vec<bool>,
    slice: Option<Duration>,
    report: ScheduleReport,
}

impl<'a> Scheduler<'a> {
    /// Per task, the image tier and the full menu, and the views.
    pub fn new(s: &'a Searches<'a>) -> Scheduler<'a> {
        let mut jobs: Vec<Job> = s
            .tasks
            .iter()
            .enumerate()
            .flat_map(|(k, t)| [&s.image, &s.full].map(|c| Job::new(k, None, t, c, &s.pool)))
            .collect();
        jobs.extend(s.viewed.iter().map(|(k, v, vt)| {
            let cfg = match v {
                View::Roles(_) => &s.roles_view,
                View::Background => &s.view,
            };
            Job::new(*k, Some(*v), vt, cfg, &s.pool)
        }));
        let n = s.tasks.len();
        Scheduler {
            s,
            jobs,
            solved: (0..n).map(|_| AtomicBool::new(false)).collect(),
            depth_of: (0..n).map(|_| AtomicUsize::new(0)).collect(),
            reached: vec![0; n],
            outside: vec![false; n],
            slice: None,
            report: ScheduleReport { task_seconds: vec![0.0; n], ..ScheduleReport::default() },
        }
    }

    /// Marks task `k` solved (by something else): its searches end.
    pub fn mark_solved(&mut self, k: usize) {
        if !self.solved[k].swap(true, Ordering::Relaxed) {
            self.outside[k] = true;
        }
    }

    /// Whether some search still has work.
    pub fn has_work(&self) -> bool {
        self.jobs
            .iter()
            .any(|j| j.search.as_ref().is_some_and(|s| !s.done()) && !self.solved[j.task].load(Ordering::Relaxed))
    }

    /// Runs rounds until `deadline`, until no search has work or until `cfg.task.stop` is
    /// asked, calling `found(task,
    /// programs)` with each task's solvers as they come (programs for the task itself, views
    /// undone), from the worker threads of the caller's rayon pool.
    pub fn run(&mut self, deadline: Instant, found: impl Fn(&Task, &[Program]) + Sync) {
        let tasks = self.s.tasks;
        let cfg = self.s.cfg;
        let threads = cfg.threads.max(1) as u32;
        let cap = cfg.time_per_task.unwrap_or(Duration::MAX);
        let mut slice = self.slice.unwrap_or_else(|| {
            let left = deadline.saturating_duration_since(Instant::now());
            (left * threads / self.jobs.len().max(1) as u32 / 4).clamp(Duration::from_millis(5), FIRST_SLICE)
        });
        let (solved, depth_of) = (&self.solved, &self.depth_of);
        share_memory(&mut self.jobs, self.s, &solved[..], &mut self.report);
        while Instant::now() < deadline && !cfg.task.stop.is_stopped() {
            let mut active: Vec<&mut Job> = self
                .jobs
                .iter_mut()
                .filter(|j| {
                    j.search.as_ref().is_some_and(|s| !s.done())
                        && !solved[j.task].load(Ordering::Relaxed)
                        && j.spent < cap
                })
                .collect();
            if active.is_empty() {
                break;
            }
            self.report.rounds += 1;
            // the last round that fits is shared evenly rather than cut at the deadline, and no
            // round takes more than a quarter of the time left: a round lasts as long as its
            // longest search, so with few searches left a long one would hold the others' cores
            // idle after they end
            let left = deadline.saturating_duration_since(Instant::now());
            let this = slice.min(left * threads / active.len() as u32).min(left / 4).max(Duration::from_millis(2));
            // a task solved during the round still gives its other searches their slice: a
            // view may find a shorter program at a lower depth than the one that came first
            active.par_iter_mut().for_each(|j| {
                let Some(s) = j.search.as_mut() else { return };
                let t0 = Instant::now();
                let stop = deadline.min(t0 + this.min(cap.saturating_sub(j.spent)));
                // cut by the deadline: it goes on next round
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
                    found(&tasks[j.task], &progs);
                }
            });
            // searches of solved tasks are over, and what they held goes back to the pool
            for j in self.jobs.iter_mut() {
                let over = solved[j.task].load(Ordering::Relaxed) || j.search.as_ref().is_some_and(|s| s.done());
                if over {
                    if let Some(s) = j.search.take() {
                        tally(&mut self.report, &mut self.reached, j.task, &s);
                        if s.why_done() == Some("memory") && !solved[j.task].load(Ordering::Relaxed) {
                            j.ended_at_share = Some(self.s.pool.share());
                        }
                    }
                }
            }
            share_memory(&mut self.jobs, self.s, &solved[..], &mut self.report);
            crate::memory::release_free_memory();
            slice = slice.saturating_mul(2);
        }
        self.slice = Some(slice);
    }

    /// What the searches have done so far.
    pub fn report(&self) -> ScheduleReport {
        let mut r = self.report.clone();
        let mut reached = self.reached.clone();
        for j in &self.jobs {
            r.task_seconds[j.task] += j.spent.as_secs_f64();
            if let Some(s) = &j.search {
                tally(&mut r, &mut reached, j.task, s);
            }
        }
        for (k, &deepest) in reached.iter().enumerate() {
            let (at, hist) = if self.solved[k].load(Ordering::Relaxed) {
                if self.outside[k] {
                    continue;
                }
                r.solved += 1;
                (self.depth_of[k].load(Ordering::Relaxed), &mut r.solved_at_depth)
            } else {
                (deepest, &mut r.unsolved_at_depth)
            };
            if hist.len() <= at {
                hist.resize(at + 1, 0);
            }
            hist[at] += 1;
        }
        r
    }
}

/// Memory is shared out like time: each search may hold the pool divided by the searches
/// still running, so a search whose next level does not fit in its share stops storing,
/// probes once more over what it has and ends, and none starves the others. As tasks are
/// solved or finished the shares grow, and a search that ended for want of memory starts
/// again from nothing once its share is four times what it had, counting the searches that
/// start again with it (the work it redoes is at most a fraction of what it then does, as in
/// iterative deepening; admitted all at once, they would share out the pool anew at once and
/// end again before doing more).
fn share_memory<'a>(jobs: &mut [Job<'a>], s: &'a Searches<'a>, solved: &[AtomicBool], report: &mut ScheduleReport) {
    let total = s.cfg.max_bytes_total;
    let share_of = |live: usize| (total / live.max(1)).min(s.cfg.task.max_bytes);
    let mut live = jobs.iter().filter(|j| j.search.as_ref().is_some_and(|s| !s.done())).count();
    // searches that ended for memory start again, those that ended with the smallest share
    // first, while the share left once they run too is four times what they had
    let mut waiting: Vec<usize> = (0..jobs.len())
        .filter(|&k| {
            let j = &jobs[k];
            j.search.is_none() && j.ended_at_share.is_some() && !solved[j.task].load(Ordering::Relaxed)
        })
        .collect();
    waiting.sort_by_key(|&k| jobs[k].ended_at_share);
    for k in waiting {
        let ended = jobs[k].ended_at_share.unwrap_or(0);
        if share_of(live + 1) < ended.saturating_mul(4) {
            break;
        }
        let j = &mut jobs[k];
        j.search = Some(TaskSearch::with_pool(j.on, j.cfg, &s.pool));
        j.ended_at_share = None;
        report.restarts += 1;
        live += 1;
    }
    s.pool.set_share(share_of(live));
}
