//! Evaluation backends: what evaluates a battery, one column (one node over every pair of a
//! mega-batch) at a time.
//!
//! A backend implements [`Backend`] with public types only: the [`Plan`] (batt-prog's
//! evaluator, re-exported here: each node's [`Operand`]s, [`Plan::eval_node`] for one node on
//! one pair), the [`Pair`]s of its shard, and [`cpu_column`] and [`differ_value`] for the
//! columns it leaves to the CPU. The CPU backend is here; the GPU backend is the crate
//! `batt-gpu`, which [`install_gpu`] plugs in behind [`BackendChoice::Gpu`] and
//! [`BackendChoice::Auto`]. [`crate::testing`] is the test suite every backend passes.
//!
//! The driver ([`crate::eval::evaluate`]) cuts each mega-batch into shards, one worker
//! backend per shard at a time (a CPU thread, or a GPU adapter), and each worker walks the
//! nodes in topological order: it evaluates every column over its shard's pairs, and is told
//! which columns no later node reads. A backend keeps the columns wherever it likes (the GPU
//! backend keeps grids on the device between nodes) and scores every grid-valued result
//! against the pair's expected output. Every backend gives bit-identical scores: the differ is
//! computed from exact integer parts by one formula ([`crate::score::differ_from_parts`]).

pub use crate::eval::run_shard;
pub use crate::score::differ_value;
use batt_dsl::task::Example;
use batt_dsl::{Grid, Value};
use batt_prog::battery::NodeId;
pub use batt_prog::battery::Operand;
pub use batt_prog::plan::Plan;
use rayon::prelude::*;
use std::sync::OnceLock;

/// One demo pair of a mega-batch.
#[derive(Clone, Debug)]
pub struct Pair {
    /// The input grid, as the value `I`.
    pub input: Value,
    /// The task's demo pairs, as the value `S` ([`batt_dsl::task::Task::samples`]).
    pub samples: Value,
    pub expected: Grid,
}

impl Pair {
    /// The demo pair `example` of a task whose demo pairs are `samples`.
    pub fn new(example: &Example, samples: &Value) -> Pair {
        Pair { input: Value::Grid(example.input.clone()), samples: samples.clone(), expected: example.output.clone() }
    }
}

/// What a batch gave.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchResult {
    /// The differ score of every node on every pair, by pair then node (0 for dead nodes and
    /// values that are not grids).
    pub scores: Vec<Vec<f32>>,
    /// Node evaluations performed (a node with a dead input is not evaluated).
    pub node_evals: u64,
    /// How many of them a device's kernels performed.
    pub device_evals: u64,
}

/// A backend's failure. The driver answers it by evaluating the batch again on the CPU.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The device (or its driver) failed.
    #[error("device error: {0}")]
    Device(String),
    /// The batch does not fit in the device's memory: a smaller one might.
    #[error("the batch does not fit in device memory: {0}")]
    TooLarge(String),
    /// No backend of the kind asked for is available.
    #[error("{0}")]
    Unavailable(String),
}

/// What evaluates battery columns over the pairs of a shard.
pub trait Backend: Send {
    /// A short description (kind and device), for reports.
    fn name(&self) -> String;
    /// The largest shard (in pairs) the backend takes at once: small for CPU threads, so that
    /// they balance their load; as much as fits in memory for a device.
    fn max_shard(&self, plan: &Plan) -> usize;
    /// Starts a batch of pairs.
    fn begin(&mut self, plan: &Plan, pairs: &[Pair]) -> Result<(), BackendError>;
    /// Evaluates node `k` over every pair of the batch (its inputs are evaluated and not yet
    /// freed) and scores its grid values against the expected outputs.
    fn column(&mut self, plan: &Plan, k: usize) -> Result<(), BackendError>;
    /// Drops node `k`'s column: no later node reads it.
    fn free(&mut self, k: usize);
    /// Ends the batch.
    fn finish(&mut self) -> Result<BatchResult, BackendError>;
    /// Caps the bytes of values the backend keeps in host memory between columns: a column
    /// that would go past it is not kept (the nodes that read it are dead for those pairs).
    fn set_value_cap(&mut self, bytes: usize);
    /// Values not kept because of the cap, since the backend was opened.
    fn dropped(&self) -> u64;
}

/// Approximate bytes a value holds in memory.
pub fn value_bytes(v: &Value) -> usize {
    match v {
        Value::Grid(g) => g.cells().len() + 48,
        Value::Object(s) => 4 * s.len() + 48,
        Value::Indices(s) => 4 * s.len() + 48,
        Value::IntSet(s) | Value::IntTuple(s) => 4 * s.len() + 48,
        // each item's slot is a whole value
        Value::Tuple(s) | Value::Set(s) => {
            std::mem::size_of::<Value>() * s.len() + 48 + s.iter().map(value_bytes).sum::<usize>()
        }
        _ => 16,
    }
}

/// The bytes of node values a backend keeps in host memory between columns, under a cap: a
/// column that would go past it is not kept (the nodes that read it are dead for those pairs).
#[derive(Clone, Debug)]
pub struct ValueCap {
    cap: usize,
    live: usize,
    /// Each kept column's bytes.
    col_bytes: Vec<usize>,
    dropped: u64,
}

impl Default for ValueCap {
    fn default() -> Self {
        Self::new()
    }
}

impl ValueCap {
    pub fn new() -> ValueCap {
        ValueCap { cap: usize::MAX, live: 0, col_bytes: vec![], dropped: 0 }
    }

    pub fn set_cap(&mut self, bytes: usize) {
        self.cap = bytes;
    }

    /// A new batch of a battery of `n` nodes: nothing is kept.
    pub fn begin(&mut self, n: usize) {
        self.live = 0;
        self.col_bytes = vec![0; n];
    }

    /// Whether node `k`'s column of `values` may be kept (it is then counted until
    /// [`ValueCap::free`]); when not, its values are counted as dropped.
    pub fn admit<'v>(&mut self, k: usize, values: impl Iterator<Item = &'v Value> + Clone) -> bool {
        let bytes: usize = values.clone().map(value_bytes).sum();
        if self.live.saturating_add(bytes) > self.cap {
            self.dropped += values.count() as u64;
            return false;
        }
        self.live += bytes;
        if let Some(b) = self.col_bytes.get_mut(k) {
            *b += bytes;
        }
        true
    }

    /// Values kept in node `k`'s column after it was admitted (grids copied from a device):
    /// counted, never refused.
    pub fn add(&mut self, k: usize, bytes: usize) {
        self.live += bytes;
        if let Some(b) = self.col_bytes.get_mut(k) {
            *b += bytes;
        }
    }

    /// Node `k`'s column is no longer kept.
    pub fn free(&mut self, k: usize) {
        if let Some(b) = self.col_bytes.get_mut(k) {
            self.live -= std::mem::take(b);
        }
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// Which backend to use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BackendChoice {
    /// rayon over the pairs of each column.
    #[default]
    Cpu,
    /// wgpu compute kernels on every adapter found (software ones included); an error when
    /// there is none.
    Gpu,
    /// A hardware GPU when one is found, the CPU otherwise.
    Auto,
}

impl std::str::FromStr for BackendChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "cpu" => Ok(BackendChoice::Cpu),
            "gpu" => Ok(BackendChoice::Gpu),
            "auto" => Ok(BackendChoice::Auto),
            _ => Err(format!("unknown backend {s:?} (cpu, gpu or auto)")),
        }
    }
}

/// The workers of a backend: they evaluate shards of a batch concurrently.
pub type Workers = Vec<Box<dyn Backend>>;

/// Opens the backend `choice` names, with `threads` CPU threads and `steps` of work per node
/// and pair: one worker per thread for the CPU, one per adapter for the GPU. `Auto` never
/// fails: without a usable GPU it opens the CPU backend.
pub fn open(choice: BackendChoice, threads: usize, steps: u64) -> Result<Workers, BackendError> {
    match choice {
        BackendChoice::Cpu => Ok(cpu_workers(threads, steps)),
        BackendChoice::Gpu => open_gpu(threads, steps, true),
        BackendChoice::Auto => Ok(open_gpu(threads, steps, false).unwrap_or_else(|_| cpu_workers(threads, steps))),
    }
}

/// `threads` CPU workers.
pub fn cpu_workers(threads: usize, steps: u64) -> Workers {
    (0..threads.max(1)).map(|_| Box::new(CpuBackend::new(steps)) as Box<dyn Backend>).collect()
}

/// What opens a GPU backend's workers: one per adapter (software ones too when `software` is
/// set; hardware ones only otherwise), sharing `threads` CPU threads for the columns they leave
/// to the CPU, with `steps` of work per node and pair. [`BackendError::Unavailable`] when there
/// is no adapter of the kind asked for.
pub type GpuOpener = fn(threads: usize, steps: u64, software: bool) -> Result<Workers, BackendError>;

static GPU: OnceLock<GpuOpener> = OnceLock::new();

/// Makes [`BackendChoice::Gpu`] and [`BackendChoice::Auto`] open workers with `open` (what
/// `batt_gpu::install` does). The first opener installed stays.
pub fn install_gpu(open: GpuOpener) {
    let _ = GPU.set(open);
}

fn open_gpu(threads: usize, steps: u64, software: bool) -> Result<Workers, BackendError> {
    match GPU.get() {
        Some(open) => open(threads, steps, software),
        None => Err(BackendError::Unavailable(
            "this batt was built without the `gpu` feature (cargo build --features gpu)".into(),
        )),
    }
}

/// One column evaluated on the CPU: each pair's value (None: dead) and score against its
/// expected output, and how many pairs evaluated the node (a pair with a dead argument does
/// not).
#[derive(Clone, Debug, Default)]
pub struct CpuColumn {
    pub values: Vec<Option<Value>>,
    pub scores: Vec<f32>,
    pub evals: u64,
}

/// Evaluates node `k` over `pairs` on the CPU with `steps` of work per pair, reading node `m`'s
/// value on pair `j` with `read(m, j)`. With a pool, pairs run in parallel. What the CPU
/// backend does for every column, and a device backend for the columns it has no kernel for.
pub fn cpu_column(
    plan: &Plan,
    k: usize,
    pairs: &[Pair],
    steps: u64,
    pool: Option<&rayon::ThreadPool>,
    read: impl Fn(NodeId, usize) -> Option<Value> + Sync,
) -> CpuColumn {
    let one = |j: usize| -> (Option<Value>, f32, bool) {
        let p = &pairs[j];
        let get = |x: &Operand| x.value(&p.input, &p.samples, |m| read(m, j));
        let (v, evaluated) = plan.eval_node(k, steps, get);
        let score = v.as_ref().map_or(0.0, |v| differ_value(v, &p.expected));
        (v, score, evaluated)
    };
    let out: Vec<(Option<Value>, f32, bool)> = match pool {
        Some(pool) if pairs.len() > 1 => pool.install(|| (0..pairs.len()).into_par_iter().map(one).collect()),
        _ => (0..pairs.len()).map(one).collect(),
    };
    let evals = out.iter().filter(|(_, _, e)| *e).count() as u64;
    let scores = out.iter().map(|(_, d, _)| *d).collect();
    CpuColumn { values: out.into_iter().map(|(v, _, _)| v).collect(), scores, evals }
}

/// Pairs a CPU worker takes at once: small enough that threads share a batch evenly, large
/// enough that columns amortise their set-up.
const CPU_SHARD: usize = 2;

/// The CPU backend: one thread's worker, evaluating each column over its shard's pairs.
pub struct CpuBackend {
    steps: u64,
    pairs: Vec<Pair>,
    cols: Vec<Option<Vec<Option<Value>>>>,
    scores: Vec<Vec<f32>>,
    evals: u64,
    kept: ValueCap,
}

impl CpuBackend {
    pub fn new(steps: u64) -> CpuBackend {
        CpuBackend { steps, pairs: vec![], cols: vec![], scores: vec![], evals: 0, kept: ValueCap::new() }
    }
}

impl Backend for CpuBackend {
    fn name(&self) -> String {
        "cpu".into()
    }

    fn max_shard(&self, _plan: &Plan) -> usize {
        CPU_SHARD
    }

    fn begin(&mut self, plan: &Plan, pairs: &[Pair]) -> Result<(), BackendError> {
        let n = plan.battery().len();
        self.pairs = pairs.to_vec();
        self.cols = (0..n).map(|_| None).collect();
        self.scores = vec![vec![0.0; n]; pairs.len()];
        self.evals = 0;
        self.kept.begin(n);
        Ok(())
    }

    fn column(&mut self, plan: &Plan, k: usize) -> Result<(), BackendError> {
        let cols = &self.cols;
        let read = |m: u32, j: usize| cols[m as usize].as_ref().and_then(|c| c[j].clone());
        let CpuColumn { values: col, scores, evals } = cpu_column(plan, k, &self.pairs, self.steps, None, read);
        for (row, d) in self.scores.iter_mut().zip(scores) {
            row[k] = d;
        }
        self.evals += evals;
        if self.kept.admit(k, col.iter().flatten()) {
            self.cols[k] = Some(col);
        }
        Ok(())
    }

    fn free(&mut self, k: usize) {
        self.cols[k] = None;
        self.kept.free(k);
    }

    fn set_value_cap(&mut self, bytes: usize) {
        self.kept.set_cap(bytes);
    }

    fn dropped(&self) -> u64 {
        self.kept.dropped()
    }

    fn finish(&mut self) -> Result<BatchResult, BackendError> {
        self.cols.clear();
        self.pairs.clear();
        Ok(BatchResult { scores: std::mem::take(&mut self.scores), node_evals: self.evals, device_evals: 0 })
    }
}
