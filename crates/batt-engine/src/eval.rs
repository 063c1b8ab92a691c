//! Evaluating a battery over the demo pairs of many tasks.
//!
//! The pairs of all tasks are gathered into mega-batches of `batch_size` pairs; a backend
//! evaluates each batch column by column (one node over every pair of the batch, nodes in
//! topological order), and the results are folded into per-task scores in pair order, so any
//! backend, batch size and number of threads gives the same scores. A node whose arguments are
//! dead, or whose primitive fails, is dead for that pair. Only demo pairs are evaluated here:
//! test outputs are never looked at.

use crate::backend::{self, Backend, BackendChoice, BackendError, BatchResult, CpuBackend, Pair, Workers};
use batt_dsl::task::Task;
use batt_dsl::Value;
use batt_prog::battery::{Battery, NodeId, Operand};
use batt_prog::plan::Plan;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// Default work one node may spend on one pair in a battery: generous for real solvers (the
/// shipped ones need at most a few hundred), while the rare quadratic node (`product`,
/// `prapply` over large sets) dies before it dominates a whole battery's time.
pub const DEFAULT_NODE_STEPS: u64 = 4_000;

/// A request to end a long evaluation or search early (Ctrl-C in the Python module), shared
/// by its clones: whoever holds one may [`Stop::stop`], and the work stops at its next check
/// (between mega-batches of a battery, every few primitive applications of an enumeration).
#[derive(Clone, Debug, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    pub fn new() -> Stop {
        Stop::default()
    }

    /// Asks the work to stop.
    pub fn stop(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether stopping was asked.
    pub fn is_stopped(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How to evaluate.
#[derive(Clone, Debug)]
pub struct EvalConfig {
    /// Worker threads (1: sequential).
    pub threads: usize,
    /// Pairs per mega-batch.
    pub batch_size: usize,
    /// Primitive applications one node may spend on one pair.
    pub node_steps: u64,
    /// Near misses kept per task.
    pub near_misses: usize,
    /// What evaluates the battery.
    pub backend: BackendChoice,
    /// Bytes of node values all workers together keep between columns (`--memory-mib`); a
    /// column past it is dropped, and counted in [`Evaluation::dropped_values`].
    pub max_value_bytes: usize,
    /// Ends the evaluation after the mega-batch in progress when asked (the tasks whose pairs
    /// are all done are scored, the others are left out).
    pub stop: Stop,
    /// Ends the evaluation, as [`EvalConfig::stop`] does, at the first mega-batch that starts
    /// after this instant.
    pub deadline: Option<std::time::Instant>,
}

impl Default for EvalConfig {
    fn default() -> EvalConfig {
        EvalConfig {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch_size: 256,
            node_steps: DEFAULT_NODE_STEPS,
            near_misses: 8,
            backend: BackendChoice::Cpu,
            max_value_bytes: usize::MAX,
            stop: Stop::default(),
            deadline: None,
        }
    }
}

/// One node's aggregate over one task's demo pairs.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct NodeScore {
    pub node: NodeId,
    /// Demo pairs whose output the node gives exactly.
    pub matched: u32,
    /// The differ score summed over the demo pairs (each in 0..=1, 1 for an exact match).
    pub differ: f32,
}

/// What the battery achieved on one task.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TaskScores {
    /// Index into the evaluated tasks.
    pub task: usize,
    pub pairs: u32,
    /// Nodes that give every demo output exactly, in node order.
    pub solvers: Vec<NodeId>,
    /// The best other grid-valued nodes, best first: most pairs matched, then highest differ,
    /// then lowest node id.
    pub near: Vec<NodeScore>,
}

/// The scores of a whole evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub tasks: Vec<TaskScores>,
    /// Node evaluations performed (dead nodes are not counted).
    pub node_evals: u64,
    /// How many of them a device's kernels performed (the rest ran on the CPU).
    pub device_evals: u64,
    pub pairs: usize,
    /// The backend that evaluated it.
    pub backend: String,
    /// Node values not kept for later nodes because they went past `max_value_bytes`.
    pub dropped_values: u64,
}

/// Running sums of one task.
struct Acc {
    matched: Vec<u32>,
    differ: Vec<f32>,
    seen: u32,
}

fn finish(task: usize, acc: Acc, near_k: usize) -> TaskScores {
    let pairs = acc.seen;
    let solvers: Vec<NodeId> =
        (0..acc.matched.len()).filter(|&k| acc.matched[k] == pairs).map(|k| k as NodeId).collect();
    let mut near: Vec<NodeScore> = (0..acc.matched.len())
        .filter(|&k| acc.matched[k] < pairs && acc.differ[k] > 0.0)
        .map(|k| NodeScore { node: k as NodeId, matched: acc.matched[k], differ: acc.differ[k] })
        .collect();
    near.sort_by(|a, b| b.matched.cmp(&a.matched).then(b.differ.total_cmp(&a.differ)).then(a.node.cmp(&b.node)));
    near.truncate(near_k);
    TaskScores { task, pairs, solvers, near }
}

/// Runs `pairs` through one backend worker: every column in node order, each node's inputs freed
/// after the last node that reads them. The driver's way of running a shard, and the way to
/// drive a backend by hand.
pub fn run_shard(backend: &mut dyn Backend, plan: &Plan, pairs: &[Pair]) -> Result<BatchResult, BackendError> {
    backend.begin(plan, pairs)?;
    for k in 0..plan.battery().len() {
        backend.column(plan, k)?;
        for &m in plan.frees(k) {
            backend.free(m as usize);
        }
    }
    backend.finish()
}

/// Runs a shard on a worker: in halves when it is too large for the device, and on the CPU
/// when the device fails (said once per evaluation, through `warned`).
fn run_worker(worker: &mut dyn Backend, plan: &Plan, pairs: &[Pair], steps: u64, warned: &AtomicBool) -> BatchResult {
    let mut out = BatchResult { scores: Vec::with_capacity(pairs.len()), node_evals: 0, device_evals: 0 };
    let mut rest = pairs;
    let mut size = pairs.len().max(1);
    while !rest.is_empty() {
        let part = &rest[..size.min(rest.len())];
        let r = match run_shard(worker, plan, part) {
            Ok(r) => r,
            Err(BackendError::TooLarge(_)) if size > 1 => {
                size /= 2;
                continue;
            }
            Err(e) => {
                if !warned.swap(true, Ordering::Relaxed) {
                    eprintln!("batt: the {} backend failed ({e}); such batches run on the CPU", worker.name());
                }
                run_shard(&mut CpuBackend::new(steps), plan, part).expect("the CPU backend does not fail")
            }
        };
        out.scores.extend(r.scores);
        out.node_evals += r.node_evals;
        out.device_evals += r.device_evals;
        rest = &rest[part.len()..];
    }
    out
}

/// Evaluates a batch: cut into shards that the workers take in turn, concurrently.
fn run_batch(workers: &mut Workers, plan: &Plan, pairs: &[Pair], steps: u64, warned: &AtomicBool) -> BatchResult {
    let per_worker = pairs.len().div_ceil(workers.len().max(1)).max(1);
    let shard = workers.iter().map(|w| w.max_shard(plan)).min().unwrap_or(1).clamp(1, per_worker);
    let shards: Vec<&[Pair]> = pairs.chunks(shard).collect();
    let mut results: Vec<Option<BatchResult>> = (0..shards.len()).map(|_| None).collect();
    if workers.len() == 1 || shards.len() == 1 {
        for (r, s) in results.iter_mut().zip(&shards) {
            *r = Some(run_worker(workers[0].as_mut(), plan, s, steps, warned));
        }
    } else {
        let next = AtomicUsize::new(0);
        let done = std::sync::Mutex::new(&mut results);
        std::thread::scope(|scope| {
            for w in workers.iter_mut() {
                let (next, done, shards) = (&next, &done, &shards);
                scope.spawn(move || loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(s) = shards.get(i) else { break };
                    let r = run_worker(w.as_mut(), plan, s, steps, warned);
                    done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
                });
            }
        });
    }
    let mut out = BatchResult { scores: Vec::with_capacity(pairs.len()), node_evals: 0, device_evals: 0 };
    for r in results.into_iter().flatten() {
        out.scores.extend(r.scores);
        out.node_evals += r.node_evals;
        out.device_evals += r.device_evals;
    }
    out
}

/// Evaluates the battery over the demo pairs of `tasks` on the backend `cfg` names. After each
/// mega-batch, `on_batch` is told how many pairs are done and given the tasks that batch
/// completed (so that what they found can be kept at once).
pub fn evaluate(
    battery: &Battery,
    tasks: &[Task],
    cfg: &EvalConfig,
    on_batch: impl FnMut(usize, &[TaskScores]),
) -> Result<Evaluation, BackendError> {
    let workers = backend::open(cfg.backend, cfg.threads, cfg.node_steps)?;
    evaluate_on(workers, battery, tasks, cfg, on_batch)
}

/// [`evaluate`] on workers already opened.
pub fn evaluate_on(
    mut workers: Workers,
    battery: &Battery,
    tasks: &[Task],
    cfg: &EvalConfig,
    mut on_batch: impl FnMut(usize, &[TaskScores]),
) -> Result<Evaluation, BackendError> {
    let plan = Plan::new(battery);
    let n = battery.len();
    let mut open: Vec<Option<Acc>> = tasks.iter().map(|_| None).collect();
    let mut out = Vec::with_capacity(tasks.len());
    let totals = drive(&mut workers, &plan, tasks, cfg, |batch, scores, done| {
        let finished_before = out.len();
        for (&(t, _), scores) in batch.iter().zip(scores) {
            let acc = open[t].get_or_insert_with(|| Acc { matched: vec![0; n], differ: vec![0.0; n], seen: 0 });
            for (k, &d) in scores.iter().enumerate() {
                acc.differ[k] += d;
                acc.matched[k] += (d == 1.0) as u32;
            }
            acc.seen += 1;
            if acc.seen as usize == tasks[t].train.len() {
                if let Some(acc) = open[t].take() {
                    out.push(finish(t, acc, cfg.near_misses));
                }
            }
        }
        on_batch(done, &out[finished_before..]);
        true
    });
    out.sort_by_key(|s| s.task);
    let Totals { node_evals, device_evals, pairs, backend, dropped_values } = totals;
    Ok(Evaluation { tasks: out, node_evals, device_evals, pairs, backend, dropped_values })
}

/// What an evaluation did, besides its scores.
#[derive(Clone, Debug, PartialEq)]
pub struct Totals {
    /// Node evaluations performed (dead nodes are not counted).
    pub node_evals: u64,
    /// How many of them a device's kernels performed.
    pub device_evals: u64,
    /// Demo pairs evaluated.
    pub pairs: usize,
    /// The backend that evaluated it.
    pub backend: String,
    /// Node values not kept for later nodes because they went past `max_value_bytes`.
    pub dropped_values: u64,
}

/// Runs the battery over the demo pairs of `tasks`, mega-batch by mega-batch: `on_batch` gets
/// each batch's pairs as (task, pair index), their scores (by pair, then node) and the number
/// of pairs done so far, and says whether to go on.
fn drive(
    workers: &mut Workers,
    plan: &Plan,
    tasks: &[Task],
    cfg: &EvalConfig,
    mut on_batch: impl FnMut(&[(usize, usize)], Vec<Vec<f32>>, usize) -> bool,
) -> Totals {
    let backend = describe(workers);
    let share = cfg.max_value_bytes / workers.len().max(1);
    for w in workers.iter_mut() {
        w.set_value_cap(share);
    }
    let warned = AtomicBool::new(false);
    let ss: Vec<Value> = tasks.iter().map(Task::samples).collect();
    let jobs: Vec<(usize, usize)> =
        tasks.iter().enumerate().flat_map(|(t, task)| (0..task.train.len()).map(move |p| (t, p))).collect();
    let (mut node_evals, mut device_evals, mut done) = (0, 0, 0);
    for batch in jobs.chunks(cfg.batch_size.max(1)) {
        if cfg.stop.is_stopped() || cfg.deadline.is_some_and(|d| std::time::Instant::now() >= d) {
            break;
        }
        let pairs: Vec<Pair> = batch.iter().map(|&(t, p)| Pair::new(&tasks[t].train[p], &ss[t])).collect();
        let result = run_batch(workers, plan, &pairs, cfg.node_steps, &warned);
        node_evals += result.node_evals;
        device_evals += result.device_evals;
        done += batch.len();
        if !on_batch(batch, result.scores, done) {
            break;
        }
    }
    let dropped_values = workers.iter().map(|w| w.dropped()).sum();
    Totals { node_evals, device_evals, pairs: done, backend, dropped_values }
}

/// The differ score of every candidate of `battery` on every demo pair of `tasks` (exactly 1
/// when the candidate gives the pair's output): what [`evaluate`] folds into each task's
/// solvers and near misses, kept per candidate and pair. After each mega-batch, `on_batch` gets
/// its pairs as (task, pair index) and, per pair, one score per candidate in candidate order;
/// it says whether to go on (the evaluation stops after a batch it answers `false`). A
/// candidate that returns `I` or a constant is scored on that value.
pub fn candidate_scores(
    battery: &Battery,
    tasks: &[Task],
    cfg: &EvalConfig,
    mut on_batch: impl FnMut(&[(usize, usize)], &[Vec<f32>]) -> bool,
) -> Result<Totals, BackendError> {
    let mut workers = backend::open(cfg.backend, cfg.threads, cfg.node_steps)?;
    let plan = Plan::new(battery);
    let ends: Vec<&Operand> = battery.candidates().iter().map(|c| &c.end).collect();
    Ok(drive(&mut workers, &plan, tasks, cfg, |batch, scores, _| {
        let rows: Vec<Vec<f32>> = batch
            .iter()
            .zip(&scores)
            .map(|(&(t, p), node)| {
                let ex = &tasks[t].train[p];
                ends.iter()
                    .map(|end| match end {
                        Operand::Node(n) => node[*n as usize],
                        Operand::Input => crate::score::differ(&ex.input, &ex.output),
                        Operand::Value(v) => crate::score::differ_value(v, &ex.output),
                        Operand::Samples => 0.0,
                    })
                    .collect()
            })
            .collect();
        on_batch(batch, &rows)
    }))
}

/// The workers, for reports: `cpu × 2`, or the GPU adapters' names.
fn describe(workers: &Workers) -> String {
    let mut names: Vec<(String, usize)> = Vec::new();
    for w in workers {
        let n = w.name();
        match names.iter_mut().find(|(m, _)| *m == n) {
            Some((_, c)) => *c += 1,
            None => names.push((n, 1)),
        }
    }
    names.iter().map(|(n, c)| if *c == 1 { n.clone() } else { format!("{n} × {c}") }).collect::<Vec<_>>().join(", ")
}
