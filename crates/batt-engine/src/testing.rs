//! The backend test suite, written once for every backend: [`backend_suite!`](crate::backend_suite)
//! defines its tests for one backend. batt-engine's own tests run it for the CPU backend (in
//! every `cargo test --workspace`), batt-gpu's for the GPU backend (with `--features
//! batt-cli/gpu`).
//!
//! The reference is independent of every backend and of the battery's sharing, batching and
//! freeing: a node's value on a pair is what the interpreter ([`batt_prog::run`]) gives for
//! the node's slice (the smallest program computing it) run alone, scored with
//! [`differ_value`]. Everything here reads the repository's shipped data (`data/`, `solvers/`).

use crate::backend::{cpu_workers, differ_value, run_shard, BatchResult, Pair, Plan, Workers};
use crate::eval::{evaluate_on, EvalConfig};
use batt_dsl::task::{self, Example, Task};
use batt_dsl::{Ctx, Grid, Value};
use batt_prog::battery::{Battery, Operand};
use batt_prog::{parse_file, parse_str};
use std::path::PathBuf;

/// Opens a backend's workers with `threads` CPU threads and `steps` of work per node and pair;
/// None when the backend is not available here (its tests then pass with a note; a backend that
/// must be tested fails instead).
pub type Opener = fn(threads: usize, steps: u64) -> Option<Workers>;

/// Work per node and pair in the suite: more than any node of it needs, so that budgets (which
/// the interpreter counts per program and a battery per node) never decide a value.
pub const STEPS: u64 = 1 << 24;

/// Defines the backend test suite for one backend, as `#[test]` functions in the module where
/// it is invoked. `$open` is an [`Opener`]; the optional `$columns` is a
/// `fn(&`[`BatchResult`]`)` given each worker's result on the kernel battery, for checks of the
/// backend's own (a device backend: that its kernels did the work).
///
/// ```
/// fn open(threads: usize, steps: u64) -> Option<batt_engine::backend::Workers> {
///     Some(batt_engine::backend::cpu_workers(threads, steps))
/// }
/// batt_engine::backend_suite!(open);
/// ```
#[macro_export]
macro_rules! backend_suite {
    ($open:expr) => {
        $crate::backend_suite!($open, |_: &$crate::backend::BatchResult| {});
    };
    ($open:expr, $columns:expr) => {
        #[test]
        fn every_column_matches_the_interpreter() {
            $crate::testing::every_column_matches_the_interpreter($open, $columns);
        }

        #[test]
        fn whole_evaluations_match_one_cpu_thread() {
            $crate::testing::whole_evaluations_match_one_cpu_thread($open);
        }
    };
}

/// The repository's root (where `data/` and `solvers/` are).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` tasks of random grids: ARC-like ones (few colours, blobs), noisy ones with colours
/// outside 0..=9 (-1 and 10..12), and some of extreme shapes (up to 60 × 60 and 2 × 200). Half
/// the outputs are a symmetry of the input, so exact matches occur.
pub fn random_tasks(seed: u64, n: usize) -> Vec<Task> {
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

/// Programs that use every primitive a device kernel takes, with arguments the kernels take and
/// arguments they leave to the CPU, on inputs, on kernel results and on CPU results; values
/// that are not grids are made visible in grids (sizes, colours, painted objects) so that the
/// scores compare them.
pub fn kernel_programs() -> String {
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

/// [`kernel_programs`] as one battery.
pub fn kernel_battery() -> Battery {
    let src = parse_str(&kernel_programs(), "kernels.py");
    assert!(src.errors.is_empty(), "{:?}", src.errors);
    let mut b = Battery::new();
    for p in &src.programs {
        b.add_program(&p.program);
    }
    b
}

/// The shipped ARC-AGI-1 training tasks.
pub fn training_tasks() -> Vec<Task> {
    let loaded = task::load(&repo_root().join("data/arc-agi-1/training"));
    assert!(loaded.tasks.len() >= 400, "the shipped training tasks: {:?}", loaded.errors);
    loaded.tasks
}

/// The demo pairs of `tasks`, in order.
pub fn pairs(tasks: &[Task]) -> Vec<Pair> {
    tasks
        .iter()
        .flat_map(|t| {
            let s = t.samples();
            t.train.iter().map(move |e| Pair::new(e, &s))
        })
        .collect()
}

/// What every backend must give for `plan` over `pairs`: each node's score on each pair (the
/// differ of the interpreter's value of the node's slice), and how many node evaluations (a
/// node is evaluated on a pair when none of its arguments is dead).
pub fn reference(plan: &Plan, pairs: &[Pair]) -> BatchResult {
    let b = plan.battery();
    let slices: Vec<batt_prog::Program> = (0..b.len() as u32).map(|n| b.slice(n, "reference")).collect();
    let mut scores = Vec::with_capacity(pairs.len());
    let mut node_evals = 0;
    for p in pairs {
        let live: Vec<Option<Value>> = slices
            .iter()
            .map(|prog| match batt_prog::run(prog, &p.input, Some(&p.samples), &mut Ctx::new(STEPS)) {
                Ok(v) => Some(v),
                Err(e) => {
                    assert!(e.fail != batt_dsl::Fail::Budget, "the reference ran out of steps");
                    None
                }
            })
            .collect();
        for node in b.nodes() {
            let args_live = node.args.iter().all(|a| !matches!(a, Operand::Node(m) if live[*m as usize].is_none()));
            node_evals += args_live as u64;
        }
        scores.push(live.iter().map(|v| v.as_ref().map_or(0.0, |v| differ_value(v, &p.expected))).collect());
    }
    BatchResult { scores, node_evals, device_evals: 0 }
}

/// Panics unless `got` has `want`'s node evaluations and every score to the last bit.
pub fn assert_same_scores(want: &BatchResult, got: &BatchResult, plan: &Plan, backend: &str) {
    assert_eq!(want.scores.len(), got.scores.len(), "{backend}: pairs");
    for (j, (a, b)) in want.scores.iter().zip(&got.scores).enumerate() {
        assert_eq!(a.len(), b.len(), "{backend}: nodes");
        for k in 0..a.len() {
            assert!(
                a[k].to_bits() == b[k].to_bits(),
                "{backend}: pair {j}, node {k} ({:?}): reference {} backend {}",
                plan.battery().node(k as batt_prog::NodeId),
                a[k],
                b[k]
            );
        }
    }
    assert_eq!(want.node_evals, got.node_evals, "{backend}: node evaluations");
}

/// Every column of the kernel battery, on random and real grids, through every worker of the
/// backend: scores identical to the reference's to the last bit, and the same node
/// evaluations. `check` sees each worker's result.
pub fn every_column_matches_the_interpreter(open: Opener, check: impl Fn(&BatchResult)) {
    let Some(mut workers) = open(2, STEPS) else { return };
    let b = kernel_battery();
    let plan = Plan::new(&b);
    let mut tasks = random_tasks(0x5eed, 16);
    tasks.extend(training_tasks().into_iter().step_by(16));
    let pairs = pairs(&tasks);
    let want = reference(&plan, &pairs);
    // the suite means something: many nodes live, some exact matches, many near misses
    assert!(want.node_evals > (b.len() * pairs.len() / 2) as u64, "{} evaluations", want.node_evals);
    let exact = want.scores.iter().flatten().filter(|&&d| d == 1.0).count();
    let near = want.scores.iter().flatten().filter(|&&d| d > 0.0 && d < 1.0).count();
    assert!(exact > 20 && near > 1000, "{exact} exact, {near} near");
    for w in workers.iter_mut() {
        let name = w.name();
        let got = run_shard(w.as_mut(), &plan, &pairs).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_same_scores(&want, &got, &plan, &name);
        check(&got);
    }
}

/// A whole evaluation (the shipped solvers and the kernel programs, over the solvers' tasks and
/// others) on the backend, in batches of 64 over two threads, equals one on one CPU thread in
/// batches of 7, and finds every shipped solver's task solved.
pub fn whole_evaluations_match_one_cpu_thread(open: Opener) {
    let Some(workers) = open(2, crate::eval::DEFAULT_NODE_STEPS) else { return };
    let src = parse_file(&repo_root().join("solvers/training.py"));
    assert!(src.errors.is_empty(), "{:?}", src.errors);
    let wanted: Vec<&str> = src.programs.iter().map(|p| p.program.name.as_str()).collect();
    // the solvers' tasks and as many others, so solvers are also tried on tasks they do not solve
    let tasks: Vec<Task> = training_tasks()
        .into_iter()
        .enumerate()
        .filter(|(k, t)| wanted.contains(&t.id.as_str()) || k % 5 == 0)
        .map(|(_, t)| t)
        .collect();
    let mut b = kernel_battery();
    for p in &src.programs {
        b.add_program(&p.program);
    }
    let one = EvalConfig { threads: 1, batch_size: 7, ..EvalConfig::default() };
    let want = evaluate_on(cpu_workers(1, one.node_steps), &b, &tasks, &one, |_, _| {}).expect("the CPU");
    let cfg = EvalConfig { threads: 2, batch_size: 64, ..EvalConfig::default() };
    let got = evaluate_on(workers, &b, &tasks, &cfg, |_, _| {}).unwrap_or_else(|e| panic!("evaluating: {e}"));
    assert_eq!(got.pairs, tasks.iter().map(|t| t.train.len()).sum::<usize>());
    assert_eq!(want.tasks.len(), got.tasks.len());
    for (x, y) in want.tasks.iter().zip(&got.tasks) {
        assert_eq!(x, y, "{}: task {}", got.backend, tasks[x.task].id);
    }
    assert_eq!(want.node_evals, got.node_evals, "{}", got.backend);
    for p in &src.programs {
        let t = tasks.iter().position(|t| t.id == p.program.name).expect("the solver's task");
        assert!(!got.tasks[t].solvers.is_empty(), "{}: no solver found for {}", got.backend, p.program.name);
    }
}
