//! The shared backend suite: every kernel's primitive, on real and random grids, through every
//! backend, with identical results required to the last bit of every score.
//!
//! The CPU backend is the reference. The GPU backend is tested where a Vulkan adapter exists
//! (lavapipe in CI); with `BATT_REQUIRE_GPU=1` a missing adapter fails the suite instead of
//! skipping it.
#![cfg(feature = "gpu")]

use batt_dsl::task::{self, Example, Task};
use batt_dsl::{Grid, Value};
use batt_engine::backend::{self, Backend, BackendChoice, BackendError, BatchResult, Pair};
use batt_engine::{evaluate, Battery, EvalConfig, Plan};
use batt_prog::{parse_file, parse_str};
use std::path::PathBuf;

mod common;
use common::Rng;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The GPU workers, or None (with a note) when there is no adapter and none is required.
fn gpu() -> Option<backend::Workers> {
    match backend::open(BackendChoice::Gpu, 2, batt_engine::eval::DEFAULT_NODE_STEPS) {
        Ok(w) => Some(w),
        Err(e @ BackendError::Unavailable(_)) => {
            let required = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| !v.is_empty() && v != "0");
            assert!(!required, "BATT_REQUIRE_GPU is set but the GPU backend is unavailable: {e}");
            eprintln!("note: GPU backend tests skipped: {e}");
            None
        }
        Err(e) => panic!("opening the GPU backend: {e}"),
    }
}

/// Random grids: ARC-like ones (few colours, blobs), noisy ones with colours outside 0..=9
/// (-1 and 10..12), and a few of extreme shapes.
fn random_tasks(seed: u64, n: usize) -> Vec<Task> {
    let mut rng = Rng(seed);
    let grid = |rng: &mut Rng, h: usize, w: usize| {
        let palette: Vec<i8> = if rng.below(3) == 0 {
            vec![-1, 0, 3, 10, 12]
        } else {
            (0..1 + rng.below(4)).map(|_| rng.below(10) as i8).collect()
        };
        let mut cells = vec![palette[0]; h * w];
        for c in cells.iter_mut() {
            if rng.below(3) == 0 {
                *c = palette[rng.below(palette.len() as u64) as usize];
            }
        }
        Grid::new(h, w, cells).expect("a valid shape")
    };
    let shapes = [(1, 1), (1, 30), (30, 1), (30, 30), (2, 200), (60, 60), (3, 3)];
    (0..n)
        .map(|t| {
            let train = (0..3)
                .map(|p| {
                    let (h, w) = if (t + p) % 5 == 0 {
                        shapes[(t + p) % shapes.len()]
                    } else {
                        (1 + rng.below(30) as usize, 1 + rng.below(30) as usize)
                    };
                    let input = grid(&mut rng, h, w);
                    // half the outputs are a symmetry of the input, so scores of 1 occur
                    let output = if p % 2 == 0 {
                        batt_dsl::prims::ext::mir_rot_grid(&input, (t % 8) as u8).expect("a symmetry")
                    } else {
                        let (h, w) = (1 + rng.below(12) as usize, 1 + rng.below(12) as usize);
                        grid(&mut rng, h, w)
                    };
                    Example { input, output }
                })
                .collect();
            Task { id: format!("random{t}"), train, test: vec![] }
        })
        .collect()
}

/// Programs that use every primitive with a kernel, with arguments the kernels take and
/// arguments they leave to the CPU, on inputs, on device results and on CPU results; values
/// that are not grids are made visible in grids (sizes, colours, painted objects) so that the
/// scores compare them.
fn kernel_programs() -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut prog = |body: &[String]| {
        let n = lines.len();
        let mut text = format!("def solve_k{n}(I):\n");
        for (k, l) in body.iter().enumerate() {
            let name = if k + 1 == body.len() { "O".to_string() } else { format!("x{}", k + 1) };
            text += &format!("    {name} = {l}\n");
        }
        text += "    return O\n";
        lines.push(text);
    };
    let s = |x: &str| x.to_string();
    for k in 0..9 {
        prog(&[format!("mir_rot(I, {k})")]);
        prog(&[format!("o_g(I, {k})"), s("argmax(x1, size)"), s("subgrid(x2, I)")]);
        prog(&[format!("o_g(I, {k})"), s("argmin(x1, size)"), format!("recolor({}, x2)", k % 10), s("paint(I, x3)")]);
        prog(&[format!("o_g(I, {k})"), s("size(x1)"), s("astuple(x2, ONE)"), s("canvas(ZERO, x3)")]);
        prog(&[format!("o_g(I, {k})"), s("first(x1)"), s("hmirror(x2)"), s("cover(I, x3)")]);
        prog(&[format!("mir_rot(I, {k})"), s("o_g(x1, 5)"), s("merge(x2)"), s("paint(x1, x3)")]);
    }
    for m in ["hmirror", "vmirror", "dmirror", "cmirror", "rot90", "rot180", "rot270"] {
        prog(&[format!("{m}(I)")]);
        prog(&[s("rot90(I)"), format!("{m}(x1)")]);
        prog(&[format!("{m}(I)"), s("asobject(x1)"), s("shift(x2, UNITY)"), s("paint(I, x3)")]);
    }
    for (a, b) in ["(0, 0)", "(1, 2)", "(-2, -2)", "(0, 0)", "(5, 5)", "(2, -1)"]
        .iter()
        .zip(["(2, 2)", "(3, 3)", "(5, 5)", "(0, 3)", "(40, 40)", "(1, 9)"])
    {
        prog(&[format!("crop(I, {a}, {b})")]);
        prog(&[s("rot270(I)"), format!("crop(x1, {a}, {b})")]);
    }
    for f in ["1", "2", "3", "0", "-1", "9"] {
        prog(&[format!("upscale(I, {f})")]);
        prog(&[format!("downscale(I, {f})")]);
        prog(&[s("o_g(I, 7)"), s("first(x1)"), format!("upscale(x2, {f})"), s("paint(I, x3)")]);
    }
    for c in 0..4 {
        prog(&[format!("ofcolor(I, {c})"), s("canvas(NINE, (30, 30))"), s("fill(x2, ONE, x1)")]);
        prog(&[format!("ofcolor(I, {c})"), format!("fill(I, {}, x1)", 9 - c)]);
        prog(&[format!("ofcolor(I, {c})"), s("shift(x1, (1, -1))"), format!("underfill(I, {c}, x2)")]);
        prog(&[format!("colorcount(I, {c})"), s("astuple(ONE, x1)"), s("canvas(ZERO, x2)")]);
        prog(&[s("mostcolor(I)"), format!("astuple({c}, ZERO)"), s("initset(x2)"), s("fill(I, x1, x3)")]);
    }
    prog(&[s("ofcolor(I, -1)"), s("fill(I, 300, x1)")]);
    prog(&[s("ofcolor(I, 12)"), s("fill(I, -1, x1)")]);
    prog(&[s("asindices(I)"), s("underfill(I, 5, x1)")]);
    prog(&[s("o_g(I, 1)"), s("argmax(x1, size)"), s("recolor(TWO, x2)"), s("underpaint(I, x3)")]);
    prog(&[s("o_g(I, 3)"), s("mapply(toindices, x1)"), s("cover(I, x2)")]);
    prog(&[s("mostcolor(I)"), s("leastcolor(I)"), s("astuple(x1, x2)"), s("add(x3, TWO)"), s("canvas(x1, x4)")]);
    prog(&[s("palette(I)"), s("size(x1)"), s("numcolors(I)"), s("astuple(x2, x3)"), s("canvas(ONE, x4)")]);
    prog(&[
        s("rot90(I)"),
        s("palette(x1)"),
        s("first(x2)"),
        s("leastcolor(x1)"),
        s("astuple(x3, x4)"),
        s("add(x5, 3)"),
        s("canvas(x4, x6)"),
    ]);
    prog(&[s("upscale(I, TWO)"), s("o_g(x1, 0)"), s("size(x2)"), s("astuple(x3, x3)"), s("canvas(ZERO, x4)")]);
    prog(&[
        s("colorcount(I, -1)"),
        s("colorcount(I, 11)"),
        s("astuple(x1, x2)"),
        s("add(x3, ONE)"),
        s("canvas(ZERO, x4)"),
    ]);
    prog(&[
        s("objects(I, T, F, T)"),
        s("objects(I, F, T, F)"),
        s("size(x1)"),
        s("size(x2)"),
        s("astuple(x3, x4)"),
        s("canvas(ZERO, x5)"),
    ]);
    lines.concat()
}

fn kernel_battery() -> Battery {
    let src = parse_str(&kernel_programs(), "kernels.py");
    assert!(src.errors.is_empty(), "{:?}", src.errors);
    let mut b = Battery::new();
    for p in &src.programs {
        b.add_program(&p.program);
    }
    b
}

fn pairs(tasks: &[Task]) -> Vec<Pair> {
    tasks
        .iter()
        .flat_map(|t| {
            let s = batt_prog::verify::samples(t);
            t.train.iter().map(move |e| Pair {
                input: Value::Grid(e.input.clone()),
                s: s.clone(),
                expected: e.output.clone(),
            })
        })
        .collect()
}

/// Every column of `plan` over `pairs`, freeing as the evaluator frees.
fn run(w: &mut dyn Backend, plan: &Plan, pairs: &[Pair]) -> BatchResult {
    w.begin(plan, pairs).expect("begin");
    let n = plan.battery().len();
    for k in 0..n {
        w.column(plan, k).unwrap_or_else(|e| panic!("node {k}: {e}"));
    }
    w.finish().expect("finish")
}

fn assert_same(cpu: &BatchResult, gpu: &BatchResult, plan: &Plan) {
    assert_eq!(cpu.node_evals, gpu.node_evals, "node evaluations");
    for (j, (a, b)) in cpu.scores.iter().zip(&gpu.scores).enumerate() {
        for k in 0..a.len() {
            assert!(
                a[k].to_bits() == b[k].to_bits(),
                "pair {j}, node {k} ({:?}): cpu {} gpu {}",
                plan.battery().nodes()[k],
                a[k],
                b[k]
            );
        }
    }
}

#[test]
fn every_kernel_agrees_with_the_cpu_on_random_and_real_grids() {
    let Some(mut gpus) = gpu() else { return };
    let b = kernel_battery();
    let plan = Plan::new(&b);
    let mut tasks = random_tasks(0x5eed, 24);
    let real = task::load(&root().join("data/arc-agi-1/training")).tasks;
    tasks.extend(real.into_iter().step_by(10));
    let pairs = pairs(&tasks);
    let mut cpu = batt_engine::backend::CpuBackend::new(batt_engine::eval::DEFAULT_NODE_STEPS);
    let want = run(&mut cpu, &plan, &pairs);
    // the suite means something: many nodes live, some exact matches, some near misses
    assert!(want.node_evals > (b.len() * pairs.len() / 2) as u64, "{} evaluations", want.node_evals);
    let exact = want.scores.iter().flatten().filter(|&&d| d == 1.0).count();
    let near = want.scores.iter().flatten().filter(|&&d| d > 0.0 && d < 1.0).count();
    assert!(exact > 20 && near > 1000, "{exact} exact, {near} near");
    for w in gpus.iter_mut() {
        let got = run(w.as_mut(), &plan, &pairs);
        assert_same(&want, &got, &plan);
        // the kernels did the work they can do
        assert!(got.device_evals * 3 > got.node_evals, "{} of {} on the device", got.device_evals, got.node_evals);
    }
}

#[test]
fn whole_evaluations_are_identical_on_every_backend() {
    if gpu().is_none() {
        return;
    }
    let src = parse_file(&root().join("solvers/training.py"));
    let tasks: Vec<Task> = task::load(&root().join("data/arc-agi-1/training")).tasks.into_iter().take(60).collect();
    let b = batt_search::card::build(&src.programs.iter().map(|p| p.program.clone()).collect::<Vec<_>>(), 1500);
    let cpu = EvalConfig { threads: 2, batch_size: 64, backend: BackendChoice::Cpu, ..EvalConfig::default() };
    let gpu = EvalConfig { backend: BackendChoice::Gpu, batch_size: 200, ..cpu.clone() };
    let a = evaluate(&b, &tasks, &cpu, |_, _| {}).expect("cpu");
    let g = evaluate(&b, &tasks, &gpu, |_, _| {}).expect("gpu");
    assert!(g.backend.starts_with("gpu"), "{}", g.backend);
    assert!(g.device_evals > 0 && a.device_evals == 0);
    assert_eq!(a.tasks.len(), g.tasks.len());
    for (x, y) in a.tasks.iter().zip(&g.tasks) {
        assert_eq!(x, y, "task {}", tasks[x.task].id);
    }
    assert_eq!(a.node_evals, g.node_evals);
    assert!(a.tasks.iter().filter(|t| !t.solvers.is_empty()).count() > 10);
}

/// The GPU backend keeps the node values it holds in host memory under the cap, as the CPU
/// backend does: a column computed on the CPU past the cap is dropped, and its readers die.
#[test]
fn the_gpu_backend_keeps_host_values_under_the_cap() {
    if gpu().is_none() {
        return;
    }
    let tasks: Vec<Task> =
        task::load(&root().join("data/arc-agi-1/training")).tasks.into_iter().filter(|t| t.id == "a416b8f3").collect();
    // `hconcat` has no kernel: its column is host memory
    let src = parse_str("def solve_a416b8f3(I):\n    x1 = hconcat(I, I)\n    O = identity(x1)\n    return O\n", "t.py");
    let mut b = Battery::new();
    b.add_program(&src.programs[0].program);
    let pairs = tasks[0].train.len() as u64;
    for backend in [BackendChoice::Cpu, BackendChoice::Gpu] {
        let free = EvalConfig { threads: 1, backend, ..EvalConfig::default() };
        let e = evaluate(&b, &tasks, &free, |_, _| {}).unwrap();
        assert_eq!((e.tasks[0].solvers.len(), e.dropped_values), (2, 0), "{backend:?}");
        let capped = EvalConfig { max_value_bytes: 16, ..free };
        let e = evaluate(&b, &tasks, &capped, |_, _| {}).unwrap();
        // `x1` still solves the task, but it is not kept for `O`
        assert_eq!((e.tasks[0].solvers.len(), e.dropped_values), (1, pairs), "{backend:?}");
    }
}
