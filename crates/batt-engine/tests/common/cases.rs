//! What one fuzzed input must satisfy, shared by the seeded fuzz test (`tests/fuzz.rs`) and the
//! `cargo fuzz` targets (`fuzz/`, which include this file): every assertion here is a defect
//! when it fails, and so is any panic below it.
#![allow(dead_code)]

use batt_dsl::task::{self, Task, ARC_MAX_SIDE};
use batt_dsl::{Ctx, Value};
use batt_engine::{evaluate, predict, BackendChoice, Battery, EvalConfig, Library, Plan, PredictConfig};
use batt_prog::{parse_bytes, parse_str, print, Program};
use std::path::Path;
use std::time::{Duration, Instant};

/// Steps one interpreted run may take, and the longest it may last (a primitive doing work it
/// does not charge for would show here).
pub const RUN_STEPS: u64 = 20_000;
pub const RUN_TIME: Duration = Duration::from_secs(2);

/// The name the bytes of a task file are loaded under.
pub const TASK_FILE: &str = "fuzz/f00d0001.json";

/// Loads the bytes of a task file: every task loaded is sound, every error names the file, and
/// a file gives a task or an error. Returns the tasks and the number of errors.
pub fn task_file(bytes: &[u8]) -> (Vec<Task>, usize) {
    let l = task::load_bytes(Path::new(TASK_FILE), bytes);
    assert!(!l.tasks.is_empty() || !l.errors.is_empty(), "nothing loaded and nothing said");
    for e in &l.errors {
        assert!(e.to_string().starts_with(&format!("{TASK_FILE}: ")), "{e}");
    }
    l.tasks.iter().for_each(assert_sound);
    (l.tasks, l.errors.len())
}

/// A loaded task: an id, demo and test pairs, grids 1..=30 × 1..=30 of colours 0..=9.
pub fn assert_sound(t: &Task) {
    assert!(task::task_id_problem(&t.id).is_none(), "{:?}", t.id);
    assert!(!t.train.is_empty() && !t.test.is_empty(), "{}", t.id);
    let grids = t.train.iter().flat_map(|e| [&e.input, &e.output]).chain(t.test.iter().map(|e| &e.input));
    for g in grids.chain(t.test.iter().filter_map(|e| e.output.as_ref())) {
        assert!((1..=ARC_MAX_SIDE).contains(&g.h()) && (1..=ARC_MAX_SIDE).contains(&g.w()), "{}", t.id);
        assert!(g.cells().iter().all(|c| (0..=9).contains(c)), "{}", t.id);
    }
}

/// What a solver file gave.
#[derive(Default)]
pub struct Solvers {
    pub programs: Vec<Program>,
    pub errors: usize,
    pub runs: usize,
    pub failed_runs: usize,
}

/// Parses the bytes of a solver file: every problem is reported at a line of the file; every
/// program prints and parses back to itself, and runs on the first two demo pairs of each of
/// the tasks `run_on` gives for it within [`RUN_STEPS`] and [`RUN_TIME`].
pub fn solver_file<'t>(bytes: &[u8], run_on: impl Fn(&Program) -> Vec<&'t Task>) -> Solvers {
    let f = parse_bytes(bytes, "case.py");
    let lines = bytes.split(|&b| b == b'\n').count();
    for e in &f.errors {
        assert!((1..=lines).contains(&e.line), "{e} (of {lines} lines)");
        assert!(e.to_string().starts_with(&format!("case.py:{}: ", e.line)), "{e}");
    }
    let mut out = Solvers { errors: f.errors.len(), ..Solvers::default() };
    for p in f.programs {
        let text = print(&p.program);
        let again = parse_str(&text, "printed.py");
        assert!(again.errors.is_empty(), "{text}\n{:?}", again.errors);
        assert_eq!(again.programs.len(), 1, "{text}");
        assert_eq!(again.programs[0].program, p.program, "{text}");
        for t in run_on(&p.program) {
            let s = t.samples();
            for ex in t.train.iter().take(2) {
                let mut ctx = Ctx::new(RUN_STEPS);
                let start = Instant::now();
                let r = batt_prog::run(&p.program, &Value::Grid(ex.input.clone()), Some(&s), &mut ctx);
                assert!(start.elapsed() < RUN_TIME, "{text}: {:?} for {RUN_STEPS} steps", start.elapsed());
                out.runs += 1;
                out.failed_runs += r.is_err() as usize;
            }
        }
        out.programs.push(p.program);
    }
    out
}

/// How a battery of fuzzed programs is evaluated: small budgets of work and of kept values.
pub fn eval_config() -> EvalConfig {
    EvalConfig {
        threads: 2,
        batch_size: 8,
        node_steps: 2000,
        backend: BackendChoice::Cpu,
        max_value_bytes: 8 << 20,
        ..EvalConfig::default()
    }
}

/// One battery of `programs` over `tasks`, its solvers kept in `library` (when given), its
/// predictions made: none of it fails. Returns the tasks solved and the node evaluations.
pub fn battery(programs: &[Program], tasks: &[Task], library: Option<&Library>) -> (usize, u64) {
    let mut b = Battery::new();
    for p in programs {
        b.add_program(p);
    }
    let e = evaluate(&b, tasks, &eval_config(), |_, done| {
        for ts in done.iter().filter(|ts| !ts.solvers.is_empty()) {
            let id = &tasks[ts.task].id;
            let slices: Vec<Program> =
                b.shortest_slices(&ts.solvers, 2).into_iter().map(|(n, _)| b.slice(n, id)).collect();
            if let Some(lib) = library {
                lib.add(id, &slices).expect("the library takes every solver");
            }
        }
    })
    .expect("the CPU backend does not fail");
    let pairs: usize = tasks.iter().map(|t| t.train.len()).sum();
    assert!(e.node_evals <= (b.len() * pairs) as u64);
    let preds = predict(&Plan::new(&b), tasks, &e, &PredictConfig { node_steps: 2000, ..PredictConfig::default() });
    assert_eq!(preds.len(), tasks.len());
    (e.tasks.iter().filter(|t| !t.solvers.is_empty()).count(), e.node_evals)
}
