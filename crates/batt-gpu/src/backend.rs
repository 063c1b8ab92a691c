//! The GPU backend: battery columns evaluated with wgpu compute kernels.
//!
//! One worker per adapter; each takes a shard of a mega-batch and walks its columns. A node
//! whose primitive has a kernel ([`Kernel`]: the symmetries, crop/subgrid, up/downscale, fill,
//! paint, underfill, underpaint, cover, the colour statistics, ofcolor, objects) runs on the
//! device for every pair whose grid argument is on the device and whose other arguments are of
//! the plain kinds the kernel takes; every other pair of that node, and every other node, runs
//! on the CPU with the very code the CPU backend runs ([`cpu_column`], [`Plan::eval_node`]).
//! Grids made on the device stay there until a CPU node reads them; grid results are scored on
//! the device, and the differ is computed from the exact parts the device counts. So the
//! results are those of the CPU, bit for bit.

use crate::device::{Col, Device, LabelMode, ScoreTicket, Stats};
use crate::kernels::{colour, label_mode, ofcolor_value, pick, Kernel};
use batt_dsl::{Grid, Value};
use batt_engine::backend::{
    cpu_column, differ_value, value_bytes, Backend, BackendError, BatchResult, CpuColumn, Operand, Pair, Plan, ValueCap,
};
use batt_engine::score::{differ_from_parts, palette_bits, DiffParts};
use batt_prog::battery::Op;

/// One node's values over a shard: on the CPU (`cpu[j]`), or on the device (`dev`, grids only).
/// When `dev` is set, every grid of the column is on the device, and `cpu` holds the other
/// values (and, once `downloaded`, copies of the grids too).
struct Slot {
    cpu: Vec<Option<Value>>,
    dev: Option<Col>,
    downloaded: bool,
    stats: Option<Vec<Option<Stats>>>,
}

impl Slot {
    fn cpu(cpu: Vec<Option<Value>>) -> Slot {
        Slot { cpu, dev: None, downloaded: true, stats: None }
    }
}

/// What one pair of a kernel node does.
enum Job {
    /// An argument is dead: the node is not evaluated.
    Dead,
    /// The CPU evaluates it.
    Cpu,
    /// The device may: the grid argument's shape and the other arguments' values.
    Gpu { h: usize, w: usize, args: Vec<Value> },
}

/// The state of the shard a worker is evaluating.
struct ShardState {
    pairs: Vec<Pair>,
    input: Slot,
    expected: Col,
    /// Per pair, the expected output's palette bits and cells (for the differ).
    want: Vec<(u16, usize)>,
    cols: Vec<Option<Slot>>,
    scores: Vec<Vec<f32>>,
    tickets: Vec<(usize, ScoreTicket)>,
    evals: u64,
    device_evals: u64,
}

impl ShardState {
    fn slot(&self, src: &Operand) -> Option<&Slot> {
        match src {
            Operand::Input => Some(&self.input),
            Operand::Node(m) => self.cols[*m as usize].as_ref(),
            _ => None,
        }
    }

    fn slot_mut(&mut self, src: &Operand) -> Option<&mut Slot> {
        match src {
            Operand::Input => Some(&mut self.input),
            Operand::Node(m) => self.cols[*m as usize].as_mut(),
            _ => None,
        }
    }

    /// `src`'s value on pair `j`, as the CPU reads it.
    fn value(&self, src: &Operand, j: usize) -> Option<Value> {
        let p = &self.pairs[j];
        src.value(&p.input, &p.samples, |m| self.cols[m as usize].as_ref().and_then(|c| c.cpu[j].clone()))
    }
}

/// The shard being evaluated, or the error of a call outside `begin` .. `finish`.
fn state(shard: &mut Option<ShardState>) -> Result<&mut ShardState, BackendError> {
    shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))
}

/// A GPU worker: one adapter, and a thread pool for the columns the CPU evaluates.
pub struct GpuBackend {
    dev: Device,
    pool: Option<rayon::ThreadPool>,
    steps: u64,
    shard: Option<ShardState>,
    /// The node values kept in host memory between columns, under `--memory-mib`'s share.
    kept: ValueCap,
}

impl GpuBackend {
    pub fn new(dev: Device, threads: usize, steps: u64) -> Result<GpuBackend, BackendError> {
        let pool = if threads > 1 {
            Some(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map_err(|e| BackendError::Unavailable(format!("cannot start {threads} threads: {e}")))?,
            )
        } else {
            None
        };
        Ok(GpuBackend { dev, pool, steps, shard: None, kept: ValueCap::new() })
    }

    /// Makes every value of `src` readable on the CPU (downloads its device grids).
    fn ensure_on_cpu(&mut self, src: &Operand) -> Result<(), BackendError> {
        let Some(slot) = state(&mut self.shard)?.slot_mut(src) else { return Ok(()) };
        if slot.downloaded {
            return Ok(());
        }
        if let Some(col) = &slot.dev {
            let mut bytes = 0;
            for (j, g) in self.dev.download(col)?.into_iter().enumerate() {
                if let Some(g) = g {
                    let v = Value::Grid(g);
                    bytes += value_bytes(&v);
                    slot.cpu[j] = Some(v);
                }
            }
            if let Operand::Node(m) = src {
                self.kept.add(*m as usize, bytes);
            }
        }
        slot.downloaded = true;
        Ok(())
    }

    /// The device column of `src`'s grids (uploading them if they are only on the CPU); None
    /// for an operand that is no column.
    fn ensure_on_device(&mut self, src: &Operand) -> Result<Option<Col>, BackendError> {
        let Some(slot) = state(&mut self.shard)?.slot_mut(src) else { return Ok(None) };
        if slot.dev.is_none() {
            let grids: Vec<Option<&Grid>> = slot
                .cpu
                .iter()
                .map(|v| match v {
                    Some(Value::Grid(g)) => Some(g),
                    _ => None,
                })
                .collect();
            slot.dev = Some(self.dev.upload(&grids)?);
        }
        Ok(slot.dev.clone())
    }

    /// The statistics of `src`'s device grids (computed once per column).
    fn stats(&mut self, src: &Operand) -> Result<Vec<Option<Stats>>, BackendError> {
        let Some(col) = self.ensure_on_device(src)? else { return Ok(vec![]) };
        let Some(slot) = state(&mut self.shard)?.slot_mut(src) else { return Ok(vec![]) };
        if slot.stats.is_none() {
            slot.stats = Some(self.dev.stats(&col)?);
        }
        Ok(slot.stats.clone().unwrap_or_default())
    }

    /// A column evaluated entirely on the CPU.
    fn cpu_node(&mut self, plan: &Plan, k: usize) -> Result<(), BackendError> {
        let node = plan.battery().node(k as batt_prog::NodeId);
        for m in node.inputs() {
            self.ensure_on_cpu(&Operand::Node(m))?;
        }
        if plan.operands(k).contains(&Operand::Input) {
            self.ensure_on_cpu(&Operand::Input)?;
        }
        let (steps, pool) = (self.steps, self.pool.as_ref());
        let sh = state(&mut self.shard)?;
        let cols = &sh.cols;
        let read = |m: u32, j: usize| cols[m as usize].as_ref().and_then(|c| c.cpu[j].clone());
        let CpuColumn { values, scores, evals } = cpu_column(plan, k, &sh.pairs, steps, pool, read);
        for (row, d) in sh.scores.iter_mut().zip(scores) {
            row[k] = d;
        }
        sh.evals += evals;
        if self.kept.admit(k, values.iter().flatten()) {
            sh.cols[k] = Some(Slot::cpu(values));
        }
        Ok(())
    }

    /// Evaluates the pairs `cpu` lists on the CPU, into `out` (with their scores).
    fn cpu_pairs(
        &mut self,
        plan: &Plan,
        k: usize,
        cpu: &[usize],
        out: &mut [Option<Value>],
    ) -> Result<(), BackendError> {
        if cpu.is_empty() {
            return Ok(());
        }
        for a in plan.operands(k) {
            self.ensure_on_cpu(a)?;
        }
        let steps = self.steps;
        let sh = state(&mut self.shard)?;
        for &j in cpu {
            let (v, evaluated) = plan.eval_node(k, steps, |x| sh.value(x, j));
            sh.evals += evaluated as u64;
            sh.scores[j][k] = v.as_ref().map_or(0.0, |v| differ_value(v, &sh.pairs[j].expected));
            out[j] = v;
        }
        Ok(())
    }

    /// Per pair of node `k`, whether the device may evaluate it (with the other arguments'
    /// values) given the device column `gcol` of its grid argument `gi`.
    fn jobs(&mut self, args: &[Operand], gi: usize, gcol: &Col) -> Result<Vec<Job>, BackendError> {
        let sh = state(&mut self.shard)?;
        let gslot = sh.slot(&args[gi]);
        let jobs = (0..sh.pairs.len())
            .map(|j| {
                let others: Option<Vec<Value>> =
                    args.iter().enumerate().filter(|&(a, _)| a != gi).map(|(_, src)| sh.value(src, j)).collect();
                let on_cpu = gslot.is_some_and(|s| s.cpu[j].is_some());
                match (gcol.dims(j), others) {
                    (_, None) => Job::Dead,
                    (Some((h, w)), Some(args)) => Job::Gpu { h, w, args },
                    (None, Some(_)) if on_cpu => Job::Cpu,
                    (None, Some(_)) => Job::Dead,
                }
            })
            .collect();
        Ok(jobs)
    }

    /// A node whose primitive has a kernel: each family's device call for the pairs it takes,
    /// the CPU for the others.
    fn kernel_node(&mut self, plan: &Plan, k: usize, kern: Kernel) -> Result<(), BackendError> {
        let args = plan.operands(k);
        let gi = kern.grid_arg();
        let Some(gcol) = self.ensure_on_device(&args[gi])? else { return self.cpu_node(plan, k) };
        // the other arguments, read on the CPU
        for (a, src) in args.iter().enumerate() {
            if a != gi {
                self.ensure_on_cpu(src)?;
            }
        }
        let stats = if kern.needs_stats() { self.stats(&args[gi])? } else { vec![] };
        let jobs = self.jobs(args, gi, &gcol)?;
        let mut cpu: Vec<usize> = Vec::new();
        let mut out: Vec<Option<Value>> = vec![None; jobs.len()];
        let made: Option<Col> = match kern {
            Kernel::Remap(r) => Some(self.dev.remap(&gcol, &params(&jobs, &mut cpu, |_, h, w, v| r.map(h, w, v)))?),
            Kernel::Scatter(s) => {
                let bg = |j: usize| stats.get(j).copied().flatten().as_ref().and_then(|s| pick(s, true));
                Some(self.dev.scatter(&gcol, &params(&jobs, &mut cpu, |j, _, _, v| s.writes(v, bg(j))))?)
            }
            Kernel::Stat(s) => {
                for (j, job) in jobs.iter().enumerate() {
                    match job {
                        Job::Gpu { args, .. } => {
                            match stats.get(j).copied().flatten().and_then(|st| s.value(&st, args)) {
                                Some(x) => out[j] = Some(x),
                                None => cpu.push(j),
                            }
                        }
                        Job::Cpu => cpu.push(j),
                        Job::Dead => {}
                    }
                }
                None
            }
            Kernel::Ofcolor => {
                let colours = params(&jobs, &mut cpu, |_, _, _, v| colour(&v[0]));
                for (j, found) in self.dev.cells_eq(&gcol, &colours)?.into_iter().enumerate() {
                    if let (Some(ps), Some((_, w))) = (found, gcol.dims(j)) {
                        match ofcolor_value(&ps, w) {
                            Some(v) => out[j] = Some(v),
                            None => cpu.push(j),
                        }
                    }
                }
                None
            }
            Kernel::Objects { selector } => {
                self.objects(&args[gi], &gcol, selector, &jobs, &mut out, &mut cpu)?;
                None
            }
        };
        cpu.sort_unstable();
        // the pairs the device evaluated (the CPU counts its own)
        let evals = jobs
            .iter()
            .enumerate()
            .filter(|(j, job)| matches!(job, Job::Gpu { .. }) && cpu.binary_search(j).is_err())
            .count() as u64;
        self.cpu_pairs(plan, k, &cpu, &mut out)?;
        self.keep(k, evals, &cpu, out, made)
    }

    /// `objects`/`o_g` on the device: the components' labels, read into objects on the CPU.
    fn objects(
        &mut self,
        grid: &Operand,
        gcol: &Col,
        selector: bool,
        jobs: &[Job],
        out: &mut [Option<Value>],
        cpu: &mut Vec<usize>,
    ) -> Result<(), BackendError> {
        // the cells of the objects are read on the CPU: the grids come back
        self.ensure_on_cpu(grid)?;
        let sh = state(&mut self.shard)?;
        let gslot = sh.slot(grid);
        let mut grids: Vec<Option<Grid>> = vec![None; jobs.len()];
        let modes: Vec<Option<LabelMode>> = jobs
            .iter()
            .enumerate()
            .map(|(j, job)| {
                let mode = match (job, gslot.map(|s| &s.cpu[j])) {
                    (Job::Gpu { args, .. }, Some(Some(Value::Grid(g)))) => {
                        label_mode(selector, args, g).inspect(|_| grids[j] = Some(g.clone()))
                    }
                    (Job::Dead, _) => return None,
                    _ => None,
                };
                if mode.is_none() {
                    cpu.push(j);
                }
                mode
            })
            .collect();
        for (j, roots) in self.dev.labels(gcol, &modes)?.into_iter().enumerate() {
            if let (Some(r), Some(g)) = (roots, &grids[j]) {
                out[j] = batt_dsl::prims::grid::objects_from_roots(g, &r).ok();
            }
        }
        Ok(())
    }

    /// Keeps node `k`'s column: `out` on the CPU, `made` (its grids) on the device. The scores
    /// of device grids are enqueued on the device, those of the other values computed here (the
    /// pairs in `cpu` were scored when the CPU evaluated them).
    fn keep(
        &mut self,
        k: usize,
        evals: u64,
        cpu: &[usize],
        mut out: Vec<Option<Value>>,
        made: Option<Col>,
    ) -> Result<(), BackendError> {
        let sh = state(&mut self.shard)?;
        sh.evals += evals;
        sh.device_evals += evals;
        let slot = match made {
            None => {
                for (j, v) in out.iter().enumerate() {
                    if let (Some(v), false) = (v, cpu.binary_search(&j).is_ok()) {
                        sh.scores[j][k] = differ_value(v, &sh.pairs[j].expected);
                    }
                }
                Slot::cpu(out)
            }
            Some(col) => {
                sh.tickets.push((k, self.dev.score(&col, &sh.expected)?));
                if out.iter().any(|v| matches!(v, Some(Value::Grid(_)))) {
                    // grids on both sides: the column lives on the CPU
                    for (j, g) in self.dev.download(&col)?.into_iter().enumerate() {
                        if let Some(g) = g {
                            out[j] = Some(Value::Grid(g));
                        }
                    }
                    Slot::cpu(out)
                } else {
                    Slot { cpu: out, dev: Some(col), downloaded: false, stats: None }
                }
            }
        };
        if self.kept.admit(k, slot.cpu.iter().flatten()) {
            sh.cols[k] = Some(slot);
        }
        Ok(())
    }
}

/// Per pair, the kernel's parameters from `f(pair, h, w, other arguments)`; the pairs `f`
/// refuses and those the CPU must take anyway are added to `cpu`.
fn params<P>(
    jobs: &[Job],
    cpu: &mut Vec<usize>,
    f: impl Fn(usize, usize, usize, &[Value]) -> Option<P>,
) -> Vec<Option<P>> {
    let mut out = Vec::with_capacity(jobs.len());
    for (j, job) in jobs.iter().enumerate() {
        out.push(match job {
            Job::Gpu { h, w, args } => {
                let p = f(j, *h, *w, args);
                if p.is_none() {
                    cpu.push(j);
                }
                p
            }
            Job::Cpu => {
                cpu.push(j);
                None
            }
            Job::Dead => None,
        });
    }
    out
}

impl Backend for GpuBackend {
    fn name(&self) -> String {
        format!("gpu {}", self.dev.name())
    }

    fn max_shard(&self, _plan: &Plan) -> usize {
        // a column of the largest grids fills at most the binding limit
        // (component labels take four bytes a cell, the most of any column)
        let per_pair = 4 * batt_dsl::grid::MAX_CELLS as u64 + 64;
        (self.dev.max_column_bytes() / per_pair).clamp(1, 1 << 16) as usize
    }

    fn begin(&mut self, plan: &Plan, pairs: &[Pair]) -> Result<(), BackendError> {
        let inputs: Vec<Option<&Grid>> = pairs.iter().map(|p| p.input.as_grid().ok()).collect();
        let expected: Vec<Option<&Grid>> = pairs.iter().map(|p| Some(&p.expected)).collect();
        let input = Slot {
            cpu: pairs.iter().map(|p| Some(p.input.clone())).collect(),
            dev: Some(self.dev.upload(&inputs)?),
            downloaded: true,
            stats: None,
        };
        let n = plan.battery().len();
        self.kept.begin(n);
        self.shard = Some(ShardState {
            want: pairs.iter().map(|p| (palette_bits(&p.expected), p.expected.cells().len())).collect(),
            expected: self.dev.upload(&expected)?,
            pairs: pairs.to_vec(),
            input,
            cols: (0..n).map(|_| None).collect(),
            scores: vec![vec![0.0; n]; pairs.len()],
            tickets: Vec::new(),
            evals: 0,
            device_evals: 0,
        });
        Ok(())
    }

    fn column(&mut self, plan: &Plan, k: usize) -> Result<(), BackendError> {
        match plan.battery().node(k as batt_prog::NodeId).op {
            Op::Prim(p) => match Kernel::of(p) {
                Some(kern) => self.kernel_node(plan, k, kern),
                None => self.cpu_node(plan, k),
            },
            Op::Call(_) => self.cpu_node(plan, k),
        }
    }

    fn free(&mut self, k: usize) {
        if let Some(sh) = self.shard.as_mut() {
            sh.cols[k] = None;
        }
        self.kept.free(k);
    }

    fn set_value_cap(&mut self, bytes: usize) {
        self.kept.set_cap(bytes);
    }

    fn dropped(&self) -> u64 {
        self.kept.dropped()
    }

    fn finish(&mut self) -> Result<BatchResult, BackendError> {
        let mut sh = self.shard.take().ok_or_else(|| BackendError::Device("finish outside a batch".into()))?;
        let (nodes, tickets): (Vec<usize>, Vec<ScoreTicket>) = std::mem::take(&mut sh.tickets).into_iter().unzip();
        for (k, parts) in nodes.into_iter().zip(self.dev.resolve(tickets)?) {
            for (j, p) in parts.into_iter().enumerate() {
                if let Some(p) = p {
                    let d = DiffParts { same_shape: p.same_shape, equal: p.equal, palette: p.palette };
                    let (wp, wn) = sh.want[j];
                    sh.scores[j][k] = differ_from_parts(d, wp, wn);
                }
            }
        }
        Ok(BatchResult { scores: sh.scores, node_evals: sh.evals, device_evals: sh.device_evals })
    }
}
