//! The battery: deduplication, slices, the memory cap and predictions. (That evaluation does
//! not depend on threads, batch sizes or the backend is the backend suite, `tests/backends.rs`.)

use batt_dsl::task::{self, Task};
use batt_engine::{evaluate, Battery, EvalConfig};
use batt_prog::{parse_file, parse_str, print};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn shipped() -> (Vec<batt_prog::Parsed>, Vec<Task>) {
    let src = parse_file(&root().join("solvers/training.py"));
    assert!(src.errors.is_empty());
    (src.programs, task::load(&root().join("data/arc-agi-1/training")).tasks)
}

#[test]
fn identical_calls_are_one_node() {
    let src = parse_str(
        "def solve_a(I):\n    x1 = objects(I, T, F, T)\n    x2 = argmax(x1, size)\n    O = subgrid(x2, I)\n    return O\n\
         def solve_b(I):\n    x1 = objects(I, T, F, T)\n    x2 = argmin(x1, size)\n    O = subgrid(x2, I)\n    return O\n\
         def solve_c(I):\n    y = objects(I, T, F, T)\n    z = argmax(y, size)\n    O = subgrid(z, I)\n    return O\n",
        "t.py",
    );
    let mut b = Battery::new();
    for p in &src.programs {
        b.add_program(&p.program);
    }
    // objects is shared by all three, a and c are the same program
    assert_eq!(b.len(), 5);
    assert_eq!(b.candidates().len(), 3);
    let end_a = match b.candidates()[0].end {
        batt_engine::Operand::Node(n) => n,
        _ => unreachable!(),
    };
    assert_eq!(b.ends_at(end_a), &[0, 2]);
    // the slice of a node is the program that computes it
    let slice = b.slice(end_a, "a");
    assert_eq!(print(&slice), print(&src.programs[0].program));
}

#[test]
fn slices_of_merged_solvers_are_their_programs() {
    let (progs, tasks) = shipped();
    let mut b = Battery::new();
    for p in &progs {
        b.add_program(&p.program);
    }
    assert!(b.len() < progs.iter().map(|p| p.program.lines.len()).sum::<usize>(), "some lines are shared");
    for (k, p) in progs.iter().enumerate() {
        if let batt_engine::Operand::Node(n) = b.candidates()[k].end {
            let slice = b.slice(n, &p.program.name);
            // a solver has no dead lines: its slice is the same lines (in battery order)
            assert_eq!(slice.lines.len(), p.program.lines.len(), "{}", print(&slice));
            let t = tasks.iter().find(|t| t.id == p.program.name).unwrap();
            let s = t.samples();
            for ex in &t.train {
                let i = batt_dsl::Value::Grid(ex.input.clone());
                let run = |q| batt_prog::run(q, &i, Some(&s), &mut batt_dsl::Ctx::default());
                assert_eq!(run(&slice), run(&p.program), "{}", print(&slice));
            }
        }
    }
}

#[test]
fn shortest_slices_are_the_shortest_by_length_then_node() {
    let (programs, _) = shipped();
    let mut b = Battery::new();
    for p in &programs {
        b.add_program(&p.program);
    }
    let nodes: Vec<u32> = (0..b.len() as u32).rev().step_by(3).collect();
    let mut all: Vec<(u32, usize)> = nodes.iter().map(|&n| (n, b.slice_nodes(n).len())).collect();
    all.sort_by_key(|&(n, l)| (l, n));
    for k in [0, 1, 8, 32, all.len() + 5] {
        assert_eq!(b.shortest_slices(&nodes, k), all[..k.min(all.len())], "k = {k}");
    }
}

#[test]
fn node_values_past_the_memory_cap_are_dropped_and_counted() {
    let (_, tasks) = shipped();
    let tasks: Vec<Task> = tasks.into_iter().filter(|t| t.id == "3c9b0459").collect();
    let src = parse_str("def solve_3c9b0459(I):\n    x1 = rot90(I)\n    O = rot90(x1)\n    return O\n", "t.py");
    let mut b = Battery::new();
    b.add_program(&src.programs[0].program);
    let free = EvalConfig { threads: 1, ..EvalConfig::default() };
    let e = evaluate(&b, &tasks, &free, |_, _| {}).unwrap();
    assert_eq!((e.tasks[0].solvers.len(), e.dropped_values), (1, 0));
    // a cap of a few bytes keeps no grid: `x1` is dropped on every pair, so `O` is dead
    let capped = EvalConfig { max_value_bytes: 16, ..free };
    let e = evaluate(&b, &tasks, &capped, |_, _| {}).unwrap();
    assert!(e.tasks[0].solvers.is_empty());
    assert_eq!(e.dropped_values, tasks[0].train.len() as u64);
}

/// Task 3c9b0459 and the predictions of a battery holding its one solver, `rot180`.
fn rot180_predictions() -> (Vec<Task>, Vec<batt_engine::predict::TaskPrediction>) {
    let tasks = task::load(&root().join("data/arc-agi-1/training")).tasks;
    let t = tasks.iter().find(|t| t.id == "3c9b0459").expect("shipped task").clone();
    let src = parse_str("def solve_3c9b0459(I):\n    O = rot180(I)\n    return O\n", "t.py");
    let mut b = Battery::new();
    b.add_program(&src.programs[0].program);
    let tasks = vec![t];
    let cpu = EvalConfig { backend: batt_engine::BackendChoice::Cpu, ..EvalConfig::default() };
    let eval = evaluate(&b, &tasks, &cpu, |_, _| {}).unwrap();
    let plan = batt_engine::Plan::new(&b);
    let preds = batt_engine::predict(&plan, &tasks, &eval, &batt_engine::PredictConfig::default());
    (tasks, preds)
}

/// Attempt 2 is never a copy of attempt 1 while another answer exists: with one solver, whose
/// output differs from the test input, the input itself is the second attempt.
#[test]
fn attempt_2_differs_from_attempt_1() {
    let (tasks, preds) = rot180_predictions();
    let a = &preds[0].tests[0];
    let input = &tasks[0].test[0].input;
    assert_eq!(Some(&a.attempt_1), tasks[0].test[0].output.as_ref());
    assert_ne!(a.attempt_1, a.attempt_2);
    assert_eq!(&a.attempt_2, input);
}

/// An answer no ARC task can have (over 30 rows here) is never an attempt: a solver of the demo
/// pairs whose test output is too tall gives way to the next candidate.
#[test]
fn attempts_are_arc_grids() {
    let tasks = task::load(&root().join("data/arc-agi-1/training")).tasks;
    let mut t = tasks.iter().find(|t| t.id == "3c9b0459").expect("shipped task").clone();
    // the demo pairs as they are; a test input tall enough that `vconcat(I, I)` passes 30 rows
    let tall = batt_dsl::Grid::new(20, 3, vec![1; 60]).unwrap();
    t.test = vec![batt_dsl::task::Test { input: tall.clone(), output: None }];
    for ex in &mut t.train {
        ex.output =
            batt_dsl::Grid::new(2 * ex.input.h(), ex.input.w(), [ex.input.cells(), ex.input.cells()].concat()).unwrap();
    }
    let src = parse_str("def solve_3c9b0459(I):\n    O = vconcat(I, I)\n    return O\n", "t.py");
    let mut b = Battery::new();
    b.add_program(&src.programs[0].program);
    let tasks = vec![t];
    let cpu = EvalConfig { backend: batt_engine::BackendChoice::Cpu, ..EvalConfig::default() };
    let eval = evaluate(&b, &tasks, &cpu, |_, _| {}).unwrap();
    assert_eq!(eval.tasks[0].solvers.len(), 1, "vconcat solves the demo pairs");
    let plan = batt_engine::Plan::new(&b);
    let preds = batt_engine::predict(&plan, &tasks, &eval, &batt_engine::PredictConfig::default());
    let a = &preds[0].tests[0];
    assert_eq!((a.attempt_1.h(), a.attempt_2.h()), (20, 20), "the 40-row answer is skipped");
}

/// Per candidate and pair, the scores are the differ of the candidate's output (the value of
/// its last node, `I` itself, or nothing), equal to what `evaluate` folds into solvers; and an
/// evaluation stops when asked.
#[test]
fn candidate_scores_are_each_programs_differ_on_each_pair() {
    let all = task::load(&root().join("data/arc-agi-1/training")).tasks;
    let tasks: Vec<Task> =
        all.into_iter().filter(|t| ["3c9b0459", "6150a2bd", "67a3c6ac"].contains(&t.id.as_str())).collect();
    let src = parse_str(
        "def solve(I):\n    O = rot180(I)\n    return O\n\
         def solve(I):\n    return I\n\
         def solve(I):\n    O = rot90(I)\n    return O\n\
         def solve(I):\n    x1 = objects(I, T, F, T)\n    O = first(x1)\n    return O\n\
         def solve(I):\n    O = vmirror(I)\n    return O\n",
        "t.py",
    );
    assert!(src.errors.is_empty(), "{:?}", src.errors);
    let mut b = Battery::new();
    for p in &src.programs {
        b.add_program(&p.program);
    }
    let cfg = EvalConfig { threads: 2, batch_size: 4, ..EvalConfig::default() };
    let mut rows: Vec<((usize, usize), Vec<f32>)> = vec![];
    let totals = batt_engine::candidate_scores(&b, &tasks, &cfg, |pairs, scores| {
        rows.extend(pairs.iter().copied().zip(scores.iter().cloned()));
        true
    })
    .unwrap();
    let pairs: usize = tasks.iter().map(|t| t.train.len()).sum();
    assert_eq!((totals.pairs, rows.len()), (pairs, pairs));
    let mut exact = 0;
    for ((t, p), row) in &rows {
        let ex = &tasks[*t].train[*p];
        assert_eq!(row.len(), src.programs.len());
        for (k, prog) in src.programs.iter().enumerate() {
            let out =
                batt_prog::run(&prog.program, &batt_dsl::Value::Grid(ex.input.clone()), None, &mut Default::default());
            let want = match out {
                Ok(batt_dsl::Value::Grid(g)) => batt_engine::score::differ(&g, &ex.output),
                _ => 0.0,
            };
            assert_eq!(row[k], want, "program {k} on {} pair {p}", tasks[*t].id);
            exact += (row[k] == 1.0) as usize;
        }
    }
    assert!(exact >= 4, "rot180 and vmirror solve some of these tasks");
    // a candidate right on every pair of a task is exactly a solver `evaluate` reports
    let eval = evaluate(&b, &tasks, &cfg, |_, _| {}).unwrap();
    for (t, ts) in eval.tasks.iter().enumerate() {
        for (k, c) in b.candidates().iter().enumerate() {
            let all_right = rows.iter().filter(|((u, _), _)| *u == t).all(|(_, r)| r[k] == 1.0);
            if let batt_engine::Operand::Node(n) = c.end {
                assert_eq!(all_right, ts.solvers.contains(&n), "task {t} candidate {k}");
            }
        }
    }
    // stopping after the first batch
    let mut batches = 0;
    let totals = batt_engine::candidate_scores(&b, &tasks, &cfg, |_, _| {
        batches += 1;
        false
    })
    .unwrap();
    assert_eq!((batches, totals.pairs), (1, 4));
}

#[test]
fn a_submission_reads_back_and_scores_against_solutions() {
    use batt_engine::submission::{parse_submission, score_outputs, submission_json};
    let (tasks, preds) = rot180_predictions();
    let src = std::path::Path::new("s.json");
    let back = parse_submission(&submission_json(&preds), src).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!((&back[0].task, &back[0].tests), (&preds[0].task, &preds[0].tests));
    let want = tasks[0].test[0].output.clone().unwrap();
    let wrong = tasks[0].test[0].input.clone();
    // a right task and a task the submission does not have: 1 of 2
    let s = score_outputs(&back, [("3c9b0459", vec![&want]), ("00000000", vec![&want])]).unwrap();
    assert_eq!((s.tasks, s.outputs, s.outputs_right, s.score), (2, 2, 1, 0.5));
    let s = score_outputs(&back, [("3c9b0459", vec![&want, &wrong])]).unwrap();
    assert_eq!((s.outputs, s.outputs_right, s.score), (2, 1, 0.5));
    assert!(score_outputs(&back, []).is_none());
    // problems name the task, the test input and the attempt
    let bad = serde_json::json!({"abc": [{"attempt_1": [[1]], "attempt_2": [[1, 2], [3]]}]});
    let e = parse_submission(&bad, src).unwrap_err().to_string();
    assert!(e.starts_with("s.json: task abc: test 0: attempt_2: ragged"), "{e}");
    let e = parse_submission(&serde_json::json!({"abc": [{"attempt_1": [[1]]}]}), src).unwrap_err();
    assert_eq!(e.to_string(), "s.json: task abc: test 0: missing \"attempt_2\"");
    assert!(parse_submission(&serde_json::json!([1]), src).is_err());
    // `score` scores only the tasks the predictions are for
    let s = batt_engine::submission::score(&back, &tasks).unwrap();
    assert_eq!((s.tasks, s.outputs_right), (1, 1));
}
