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
        batt_engine::Src::Node(n) => n,
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
        if let batt_engine::Src::Node(n) = b.candidates()[k].end {
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

/// Attempt 2 is never a copy of attempt 1 while another answer exists: with one solver, whose
/// output differs from the test input, the input itself is the second attempt.
#[test]
fn attempt_2_differs_from_attempt_1() {
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
    let a = &preds[0].tests[0];
    let input = &tasks[0].test[0].input;
    assert_eq!(Some(&a.attempt_1), tasks[0].test[0].output.as_ref());
    assert_ne!(a.attempt_1, a.attempt_2);
    assert_eq!(&a.attempt_2, input);
}
