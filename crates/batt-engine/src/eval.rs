//! Evaluating a battery over the demo pairs of many tasks.
//!
//! The pairs of all tasks are gathered into mega-batches of `batch_size` pairs; the pairs of a
//! batch are evaluated in parallel (each pair runs every node once, in topological order), and
//! the results are folded into per-task scores in pair order, so any number of threads gives
//! the same scores. A node whose arguments are dead, or whose primitive fails, is dead for that
//! pair. Only demo pairs are evaluated here: test outputs are never looked at.

use crate::battery::{Battery, Callee2, NodeId, Op, Src};
use crate::score::differ;
use batt_dsl::task::Task;
use batt_dsl::{Ctx, Grid, Value};
use rayon::prelude::*;

/// Default work one node may spend on one pair in a battery: generous for real solvers (the
/// shipped ones need at most a few hundred), while the rare quadratic node (`product`,
/// `prapply` over large sets) dies before it dominates a whole battery's time.
pub const DEFAULT_NODE_STEPS: u64 = 4_000;

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
}

impl Default for EvalConfig {
    fn default() -> EvalConfig {
        EvalConfig {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            batch_size: 256,
            node_steps: DEFAULT_NODE_STEPS,
            near_misses: 8,
        }
    }
}

/// An argument, resolved once for all pairs.
enum In {
    I,
    S,
    Node(u32),
    Val(Value),
}

/// The battery prepared for evaluation: arguments resolved, and for each node the values that
/// are read for the last time by it (freed right after it runs, bounding live memory).
pub struct Plan<'a> {
    battery: &'a Battery,
    args: Vec<Vec<In>>,
    callee: Vec<Option<In>>,
    frees: Vec<Vec<u32>>,
}

impl<'a> Plan<'a> {
    pub fn new(battery: &'a Battery) -> Plan<'a> {
        let n = battery.len();
        let conv = |s: &Src| match s {
            Src::I => In::I,
            Src::S => In::S,
            Src::Node(m) => In::Node(*m),
            Src::Prim(q) => In::Val(Value::prim(*q)),
            Src::Const(v) => In::Val(v.clone()),
        };
        let mut last_use: Vec<Option<u32>> = vec![None; n];
        let mut args = Vec::with_capacity(n);
        let mut callee = Vec::with_capacity(n);
        for (k, node) in battery.nodes().iter().enumerate() {
            for m in node.inputs() {
                last_use[m as usize] = Some(k as u32);
            }
            args.push(node.args.iter().map(conv).collect());
            callee.push(match node.op {
                Op::Prim(_) => None,
                Op::Call(Callee2::I) => Some(In::I),
                Op::Call(Callee2::S) => Some(In::S),
                Op::Call(Callee2::Node(m)) => Some(In::Node(m)),
            });
        }
        let mut frees = vec![vec![]; n];
        for (m, l) in last_use.iter().enumerate() {
            // a value nobody reads is freed right after it is scored
            frees[l.map_or(m, |l| l as usize)].push(m as u32);
        }
        Plan { battery, args, callee, frees }
    }

    pub fn battery(&self) -> &Battery {
        self.battery
    }

    /// Runs every node (or only those with `wanted[k]`, which must be closed under inputs) on
    /// one input; `visit` sees each live value before it may be freed. Returns how many nodes
    /// were evaluated.
    pub fn run(
        &self,
        input: &Value,
        s: &Value,
        steps: u64,
        wanted: Option<&[bool]>,
        mut visit: impl FnMut(NodeId, &Value),
    ) -> u64 {
        let nodes = self.battery.nodes();
        let mut vals: Vec<Option<Value>> = vec![None; nodes.len()];
        let mut buf: Vec<Value> = Vec::with_capacity(8);
        let mut evaluated = 0;
        for (k, node) in nodes.iter().enumerate() {
            if wanted.is_some_and(|w| !w[k]) {
                continue;
            }
            let get = |x: &In, vals: &[Option<Value>]| -> Option<Value> {
                match x {
                    In::I => Some(input.clone()),
                    In::S => Some(s.clone()),
                    In::Node(m) => vals[*m as usize].clone(),
                    In::Val(v) => Some(v.clone()),
                }
            };
            buf.clear();
            let mut live = true;
            for a in &self.args[k] {
                match get(a, &vals) {
                    Some(v) => buf.push(v),
                    None => {
                        live = false;
                        break;
                    }
                }
            }
            if live {
                evaluated += 1;
                let mut ctx = Ctx::new(steps);
                let out = match (&node.op, &self.callee[k]) {
                    (Op::Prim(p), _) => ctx.apply(*p, &buf),
                    (Op::Call(_), Some(c)) => match get(c, &vals) {
                        Some(f) => ctx.call(&f, &buf),
                        None => Err(batt_dsl::Fail::Domain("dead callee")),
                    },
                    (Op::Call(_), None) => unreachable!("a call has a callee"),
                };
                if let Ok(v) = out {
                    visit(k as NodeId, &v);
                    vals[k] = Some(v);
                }
            }
            for &m in &self.frees[k] {
                vals[m as usize] = None;
            }
        }
        evaluated
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
    pub pairs: usize,
}

/// Differ scores of every node on one pair (0 for dead and non-grid nodes).
fn eval_pair(plan: &Plan, input: &Grid, s: &Value, expected: &Grid, steps: u64) -> (Vec<f32>, u64) {
    let mut scores = vec![0f32; plan.battery.len()];
    let n = plan.run(&Value::Grid(input.clone()), s, steps, None, |k, v| {
        if let Value::Grid(g) = v {
            scores[k as usize] = differ(g, expected);
        }
    });
    (scores, n)
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

/// Evaluates the battery over the demo pairs of `tasks`. After each mega-batch, `on_batch` is
/// told how many pairs are done and given the tasks that batch completed (so that what they
/// found can be kept at once).
pub fn evaluate(
    battery: &Battery,
    tasks: &[Task],
    cfg: &EvalConfig,
    mut on_batch: impl FnMut(usize, &[TaskScores]),
) -> Result<Evaluation, rayon::ThreadPoolBuildError> {
    let plan = Plan::new(battery);
    let ss: Vec<Value> = tasks.iter().map(batt_prog::verify::samples).collect();
    let jobs: Vec<(usize, usize)> =
        tasks.iter().enumerate().flat_map(|(t, task)| (0..task.train.len()).map(move |p| (t, p))).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(cfg.threads.max(1)).build()?;
    let n = battery.len();
    let mut open: Vec<Option<Acc>> = tasks.iter().map(|_| None).collect();
    let mut out = Vec::with_capacity(tasks.len());
    let mut node_evals = 0;
    let mut done = 0;
    for batch in jobs.chunks(cfg.batch_size.max(1)) {
        let finished_before = out.len();
        let one = |&(t, p): &(usize, usize)| {
            let ex = &tasks[t].train[p];
            eval_pair(&plan, &ex.input, &ss[t], &ex.output, cfg.node_steps)
        };
        let results: Vec<(Vec<f32>, u64)> = if cfg.threads <= 1 {
            batch.iter().map(one).collect()
        } else {
            pool.install(|| batch.par_iter().map(one).collect())
        };
        for (&(t, _), (scores, evals)) in batch.iter().zip(results) {
            node_evals += evals;
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
        done += batch.len();
        on_batch(done, &out[finished_before..]);
    }
    out.sort_by_key(|s| s.task);
    Ok(Evaluation { tasks: out, node_evals, pairs: jobs.len() })
}
