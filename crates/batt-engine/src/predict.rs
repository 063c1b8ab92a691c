//! Predictions: the two best distinct outputs per test input.
//!
//! A task's solvers (nodes that give every demo output) vote for their outputs on each test
//! input, each with a weight that halves with every two lines of its slice
//! (`rank_outputs`): the shortest solver's output wins unless several solvers a little
//! longer agree on another. Attempts are the first two distinct outputs of that ranking, then
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
            let voters: Vec<(usize, NodeId, &Grid)> =
                solvers.iter().filter_map(|&(n, l)| out[n as usize].as_ref().map(|g| (l, n, g))).collect();
            let mut picks: Vec<Grid> = Vec::with_capacity(2);
            // solvers, then near misses, then the test input itself (an answer that changes
            // nothing is right often enough to beat repeating attempt 1)
            let candidates = rank_outputs(&voters)
                .into_iter()
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

/// A solver's weight in the vote for its output: 1 for an empty slice, halved by every two
/// lines (measured on the training sets' libraries: one bit a line let a lone short solver
/// outvote the agreeing longer ones that were right, and changed nothing else).
fn weight(lines: usize) -> f64 {
    (-(lines as f64) / 2.0).exp2()
}

/// The distinct outputs of solvers `(lines, node, output)`, by the summed [`weight`] of the
/// solvers giving each (most first), then by their shortest solver, then by its node.
fn rank_outputs<'g>(voters: &[(usize, NodeId, &'g Grid)]) -> Vec<&'g Grid> {
    // per distinct output: its weight, its shortest solver's lines and node
    let mut outputs: Vec<(f64, usize, NodeId, &Grid)> = Vec::new();
    for &(lines, node, g) in voters {
        match outputs.iter_mut().find(|o| o.3 == g) {
            Some(o) => {
                o.0 += weight(lines);
                if (lines, node) < (o.1, o.2) {
                    (o.1, o.2) = (lines, node);
                }
            }
            None => outputs.push((weight(lines), lines, node, g)),
        }
    }
    outputs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    outputs.into_iter().map(|o| o.3).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn g(c: i8) -> Grid {
        Grid::new(1, 1, vec![c]).unwrap()
    }

    #[test]
    fn the_shortest_solver_wins_unless_longer_ones_agree() {
        let (a, b, c) = (g(1), g(2), g(3));
        // one line shorter beats one line longer; node order breaks a tie
        assert_eq!(rank_outputs(&[(4, 7, &b), (3, 9, &a)]), vec![&a, &b]);
        assert_eq!(rank_outputs(&[(3, 9, &b), (3, 2, &a)]), vec![&a, &b]);
        // two solvers a line longer agreeing outvote a lone shorter one; three lines longer,
        // they do not
        assert_eq!(rank_outputs(&[(3, 0, &a), (4, 1, &b), (4, 2, &b)]), vec![&b, &a]);
        assert_eq!(rank_outputs(&[(3, 0, &a), (6, 1, &b), (6, 2, &b)]), vec![&a, &b]);
        // four lines longer takes more than four agreeing
        let four_longer = |n: u32| {
            let mut v = vec![(2, 0, &a)];
            v.extend((1..=n).map(|k| (6, k, &c)));
            rank_outputs(&v)
        };
        assert_eq!(four_longer(3), vec![&a, &c]);
        assert_eq!(four_longer(5), vec![&c, &a]);
        assert!(rank_outputs(&[]).is_empty());
    }
}
