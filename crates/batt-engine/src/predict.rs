//! Predictions: the two best distinct outputs per test input.
//!
//! A task's solvers (nodes that give every demo output) are ranked by their slice's length
//! (fewest lines first), then by how many other solvers agree with their output on that test
//! input, then by node order. Attempts are the first two distinct outputs of that ranking, then
//! of the near misses (best differ first); a task with nothing at all predicts its test input.

use crate::eval::Evaluation;
use crate::NodeId;
use batt_dsl::task::Task;
use batt_dsl::{Grid, Value};
use batt_prog::plan::Plan;
use rayon::prelude::*;

/// The two attempts for one test input.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempts {
    pub attempt_1: Grid,
    pub attempt_2: Grid,
}

/// What batt predicts for one task.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskPrediction {
    pub task: String,
    /// One entry per test input, in order.
    pub tests: Vec<Attempts>,
    /// The best solver (fewest lines), when the task has one.
    pub solver: Option<NodeId>,
    /// How many solver nodes the task has.
    pub solvers: usize,
}

/// How many solvers (the shortest) and near misses are run on a task's test inputs.
#[derive(Clone, Copy, Debug)]
pub struct PredictConfig {
    pub max_solvers: usize,
    pub max_near: usize,
    pub node_steps: u64,
}

impl Default for PredictConfig {
    fn default() -> PredictConfig {
        PredictConfig { max_solvers: 32, max_near: 8, node_steps: crate::eval::DEFAULT_NODE_STEPS }
    }
}

fn predict_task(plan: &Plan, task: &Task, scores: &crate::TaskScores, cfg: &PredictConfig) -> TaskPrediction {
    let battery = plan.battery();
    let solvers: Vec<(NodeId, usize)> = battery.shortest_slices(&scores.solvers, cfg.max_solvers);
    let near: Vec<NodeId> = scores.near.iter().take(cfg.max_near).map(|s| s.node).collect();

    // run only the slices of the candidates on the test inputs
    let mut wanted = vec![false; battery.len()];
    let mut is_cand = vec![false; battery.len()];
    for n in solvers.iter().map(|&(n, _)| n).chain(near.iter().copied()) {
        is_cand[n as usize] = true;
        for m in battery.slice_nodes(n) {
            wanted[m as usize] = true;
        }
    }
    let s = task.samples();
    let tests = task
        .test
        .iter()
        .map(|t| {
            let mut out: Vec<Option<Grid>> = vec![None; battery.len()];
            plan.run(&Value::Grid(t.input.clone()), &s, cfg.node_steps, Some(&wanted), |k, v| {
                if let (true, Value::Grid(g)) = (is_cand[k as usize], v) {
                    out[k as usize] = Some(g.clone());
                }
            });
            let agree = |g: &Grid| solvers.iter().filter(|&&(m, _)| out[m as usize].as_ref() == Some(g)).count();
            let mut ranked: Vec<(usize, usize, NodeId, &Grid)> =
                solvers.iter().filter_map(|&(n, l)| out[n as usize].as_ref().map(|g| (l, agree(g), n, g))).collect();
            ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            let mut picks: Vec<Grid> = Vec::with_capacity(2);
            // solvers, then near misses, then the test input itself (an answer that changes
            // nothing is right often enough to beat repeating attempt 1)
            let candidates = ranked
                .iter()
                .map(|r| r.3)
                .chain(near.iter().filter_map(|&n| out[n as usize].as_ref()))
                .chain(std::iter::once(&t.input));
            for g in candidates {
                if picks.len() == 2 {
                    break;
                }
                // an answer no ARC task can have is a wasted attempt
                if !is_arc_grid(g) {
                    continue;
                }
                if !picks.contains(g) {
                    picks.push(g.clone());
                }
            }
            let first = picks.first().cloned().unwrap_or_else(|| t.input.clone());
            let second = picks.get(1).cloned().unwrap_or_else(|| first.clone());
            Attempts { attempt_1: first, attempt_2: second }
        })
        .collect();
    TaskPrediction {
        task: task.id.clone(),
        tests,
        solver: solvers.first().map(|&(n, _)| n),
        solvers: scores.solvers.len(),
    }
}

/// Whether `g` could be an ARC output: 1 to 30 rows and columns, colours 0 to 9.
fn is_arc_grid(g: &Grid) -> bool {
    (1..=30).contains(&g.h()) && (1..=30).contains(&g.w()) && g.cells().iter().all(|c| (0..=9).contains(c))
}

/// Predicts every task of an evaluation (in parallel over tasks; the result does not depend on
/// the number of threads).
pub fn predict(plan: &Plan, tasks: &[Task], eval: &Evaluation, cfg: &PredictConfig) -> Vec<TaskPrediction> {
    eval.tasks.par_iter().map(|sc| predict_task(plan, &tasks[sc.task], sc, cfg)).collect()
}
