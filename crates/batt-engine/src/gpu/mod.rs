//! The GPU backend: battery columns evaluated with wgpu compute kernels.
//!
//! One worker per adapter; each takes a shard of a mega-batch and walks its columns. A node
//! whose primitive has a kernel (the symmetries, crop/subgrid, up/downscale, fill, paint,
//! underfill, underpaint, cover, the colour statistics, ofcolor, objects) runs on the device
//! for every pair whose grid argument is on the device and whose other arguments are of the
//! plain kinds the kernel takes; every other pair of that node, and every other node, runs on
//! the CPU with the very code the CPU backend runs. Grids made on the device stay there until a
//! CPU node reads them; grid results are scored on the device, and the differ is computed from
//! the exact parts the device counts. So the results are those of the CPU, bit for bit.

pub mod device;

use crate::backend::{cpu_column, cpu_score, value_bytes, Backend, BackendError, BatchResult, Pair, ValueCap, Workers};
use crate::battery::Op;
use crate::eval::{In, Plan};
use crate::score::{differ_from_parts, palette_bits, DiffParts};
use batt_dsl::grid::pick_from_histogram;
use batt_dsl::prims::grid::{crop_window, obj_cells, objects_from_roots};
use batt_dsl::prims::patch::bbox;
use batt_dsl::{Grid, Loc, Prim, Value};
use device::{Col, Device, DeviceError, LabelMode, Remap, Scatter, ScoreTicket, Stats};

impl From<DeviceError> for BackendError {
    fn from(e: DeviceError) -> BackendError {
        match e {
            DeviceError::TooLarge { .. } | DeviceError::OutOfMemory(_) => BackendError::TooLarge(e.to_string()),
            _ => BackendError::Device(e.to_string()),
        }
    }
}

/// The GPU workers: one per adapter (hardware ones only unless `software_too`), sharing
/// `threads` CPU threads for the columns that run on the CPU.
pub fn workers(threads: usize, steps: u64, software_too: bool) -> Result<Workers, BackendError> {
    let devs: Vec<Device> = Device::all()?.into_iter().filter(|d| software_too || !d.is_software()).collect();
    if devs.is_empty() {
        let what = if software_too { "no Vulkan adapter found" } else { "no hardware GPU found" };
        return Err(BackendError::Unavailable(what.into()));
    }
    let per = (threads / devs.len()).max(1);
    devs.into_iter().map(|d| Ok(Box::new(GpuBackend::new(d, per, steps)?) as Box<dyn Backend>)).collect()
}

/// The primitives that have kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kernel {
    /// `mir_rot(grid, k)`.
    MirRot,
    /// A fixed symmetry, by its `mir_rot` index (`hmirror` ... `rot270` of a grid).
    Sym(u8),
    Crop,
    Subgrid,
    Upscale,
    Downscale,
    Fill,
    Underfill,
    Cover,
    Paint,
    Underpaint,
    Palette,
    Numcolors,
    Mostcolor,
    Leastcolor,
    Colorcount,
    Ofcolor,
    Objects,
    OG,
}

impl Kernel {
    fn of(p: Prim) -> Option<Kernel> {
        use Kernel::*;
        Some(match p.name() {
            "mir_rot" => MirRot,
            "hmirror" => Sym(0),
            "dmirror" => Sym(1),
            "vmirror" => Sym(2),
            "cmirror" => Sym(3),
            "rot90" => Sym(4),
            "rot180" => Sym(5),
            "rot270" => Sym(6),
            "crop" => Crop,
            "subgrid" => Subgrid,
            "upscale" => Upscale,
            "downscale" => Downscale,
            "fill" => Fill,
            "underfill" => Underfill,
            "cover" => Cover,
            "paint" => Paint,
            "underpaint" => Underpaint,
            "palette" => Palette,
            "numcolors" => Numcolors,
            "mostcolor" => Mostcolor,
            "leastcolor" => Leastcolor,
            "colorcount" => Colorcount,
            "ofcolor" => Ofcolor,
            "objects" => Objects,
            "o_g" => OG,
            _ => return None,
        })
    }

    /// Which argument is the grid.
    fn grid_arg(self) -> usize {
        if self == Kernel::Subgrid {
            1
        } else {
            0
        }
    }
}

/// The map of symmetry `k` (`mir_rot`'s numbering) of an `h` × `w` grid.
pub fn symmetry(k: u8, h: usize, w: usize) -> Option<Remap> {
    let (h1, w1) = (h as i32 - 1, w as i32 - 1);
    let (same, turned) = ((h as u32, w as u32), (w as u32, h as u32));
    let ((oh, ow), r, c) = match k {
        0 => (same, [h1, -1, 0], [0, 0, 1]),
        1 => (turned, [0, 0, 1], [0, 1, 0]),
        2 => (same, [0, 1, 0], [w1, 0, -1]),
        3 => (turned, [h1, 0, -1], [w1, -1, 0]),
        4 => (turned, [h1, 0, -1], [0, 1, 0]),
        5 => (same, [h1, -1, 0], [w1, 0, -1]),
        6 => (turned, [0, 0, 1], [w1, -1, 0]),
        7 => (same, [0, 1, 0], [0, 0, 1]),
        _ => return None,
    };
    Some(Remap { h: oh, w: ow, r, c, div: 1 })
}

/// A selector `0..=7` as the CPU reads it (anything else runs on the CPU, which fails it).
fn selector(v: &Value) -> Option<u8> {
    v.as_int().ok().and_then(|k| u8::try_from(k).ok()).filter(|&k| k <= 7)
}

/// The window of `crop` as a map, when it is a grid.
fn crop_map(h: usize, w: usize, start: (i32, i32), dims: (i32, i32)) -> Option<Remap> {
    let (top, left, nh, nw) = crop_window(h, w, start, dims)?;
    Some(Remap { h: nh as u32, w: nw as u32, r: [top as i32, 1, 0], c: [left as i32, 0, 1], div: 1 })
}

/// The distinct locations of a patch argument, each with `colour`.
fn patch_cells(v: &Value, colour: i8) -> Option<Vec<(i32, i32, i8)>> {
    let p = v.as_patch().ok()?;
    let mut ijs: Vec<(i32, i32)> = p.ijs().collect();
    ijs.sort_unstable();
    ijs.dedup();
    Some(ijs.into_iter().map(|(i, j)| (i, j, colour)).collect())
}

/// The cells of an object argument, when their locations are distinct and their colours
/// cells can hold (otherwise the CPU decides what overlapping writes give).
fn object_cells(v: &Value) -> Option<Vec<(i32, i32, i8)>> {
    let cells = obj_cells(v).ok()?;
    let mut out = Vec::with_capacity(cells.len());
    for c in cells.iter() {
        let (v, i, j) = c.parts();
        out.push((i, j, i8::try_from(v).ok()?));
    }
    let mut ijs: Vec<(i32, i32)> = out.iter().map(|&(i, j, _)| (i, j)).collect();
    ijs.sort_unstable();
    ijs.dedup();
    (ijs.len() == out.len()).then_some(out)
}

/// A colour argument as a cell value.
fn colour(v: &Value) -> Option<i8> {
    v.as_int().ok().and_then(|c| i8::try_from(c).ok())
}

/// The histogram and the tie order of a grid from its statistics (None: colours outside
/// 0..=15, which the CPU handles).
fn histogram(st: &Stats) -> Option<[u32; 256]> {
    if st.other {
        return None;
    }
    let mut hist = [0u32; 256];
    hist[..16].copy_from_slice(&st.counts);
    Some(hist)
}

/// `mostcolor` (`most`) or `leastcolor` of a grid from its statistics.
fn pick(st: &Stats, most: bool) -> Option<i8> {
    let hist = histogram(st)?;
    Some(pick_from_histogram(&hist, most, |_| {
        let mut seen: Vec<(u32, i8)> = (0..16).filter(|&c| st.counts[c] > 0).map(|c| (st.first[c], c as i8)).collect();
        seen.sort_unstable();
        seen.into_iter().map(|(_, c)| c).collect()
    }))
}

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
enum Job<P> {
    /// An input is dead: the node is not evaluated.
    Dead,
    /// The CPU evaluates it.
    Cpu,
    Gpu(P),
}

/// The state of one shard.
struct Shard {
    pairs: Vec<Pair>,
    input: Slot,
    expected: Col,
    want: Vec<(u16, usize)>,
    cols: Vec<Option<Slot>>,
    scores: Vec<Vec<f32>>,
    tickets: Vec<(usize, ScoreTicket)>,
    evals: u64,
    device_evals: u64,
}

/// A GPU worker: one adapter, and a thread pool for the columns the CPU evaluates.
pub struct GpuBackend {
    dev: Device,
    pool: Option<rayon::ThreadPool>,
    steps: u64,
    shard: Option<Shard>,
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

    fn shard(&mut self) -> Result<&mut Shard, BackendError> {
        self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))
    }

    fn slot<'s>(sh: &'s Shard, src: &In) -> Option<&'s Slot> {
        match src {
            In::I => Some(&sh.input),
            In::Node(m) => sh.cols[*m as usize].as_ref(),
            _ => None,
        }
    }

    fn slot_mut<'s>(sh: &'s mut Shard, src: &In) -> Option<&'s mut Slot> {
        match src {
            In::I => Some(&mut sh.input),
            In::Node(m) => sh.cols[*m as usize].as_mut(),
            _ => None,
        }
    }

    /// Makes every value of `src` readable on the CPU (downloads its device grids).
    fn to_cpu(&mut self, src: &In) -> Result<(), BackendError> {
        let dev = &self.dev;
        let sh = self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))?;
        let Some(slot) = Self::slot_mut(sh, src) else { return Ok(()) };
        if slot.downloaded {
            return Ok(());
        }
        if let Some(col) = &slot.dev {
            let mut bytes = 0;
            for (j, g) in dev.download(col)?.into_iter().enumerate() {
                if let Some(g) = g {
                    let v = Value::Grid(g);
                    bytes += value_bytes(&v);
                    slot.cpu[j] = Some(v);
                }
            }
            if let In::Node(m) = src {
                self.kept.add(*m as usize, bytes);
            }
        }
        slot.downloaded = true;
        Ok(())
    }

    /// The device column of `src`'s grids (uploading them if they are only on the CPU); None
    /// for a source that is no column.
    fn to_device(&mut self, src: &In) -> Result<Option<Col>, BackendError> {
        let dev = &self.dev;
        let sh = self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))?;
        let Some(slot) = Self::slot_mut(sh, src) else { return Ok(None) };
        if slot.dev.is_none() {
            let grids: Vec<Option<&Grid>> = slot
                .cpu
                .iter()
                .map(|v| match v {
                    Some(Value::Grid(g)) => Some(g),
                    _ => None,
                })
                .collect();
            slot.dev = Some(dev.upload(&grids)?);
        }
        Ok(slot.dev.clone())
    }

    /// The statistics of `src`'s device grids (computed once per column).
    fn stats(&mut self, src: &In) -> Result<Vec<Option<Stats>>, BackendError> {
        let Some(col) = self.to_device(src)? else { return Ok(vec![]) };
        let dev = &self.dev;
        let sh = self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))?;
        let Some(slot) = Self::slot_mut(sh, src) else { return Ok(vec![]) };
        if slot.stats.is_none() {
            slot.stats = Some(dev.stats(&col)?);
        }
        Ok(slot.stats.clone().unwrap_or_default())
    }

    /// A column evaluated entirely on the CPU.
    fn cpu_node(&mut self, plan: &Plan, k: usize) -> Result<(), BackendError> {
        let node = &plan.battery().nodes()[k];
        for m in node.inputs() {
            self.to_cpu(&In::Node(m))?;
        }
        if plan.args(k).iter().any(|a| matches!(a, In::I)) {
            self.to_cpu(&In::I)?;
        }
        let (steps, pool) = (self.steps, self.pool.as_ref());
        let sh = self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))?;
        let cols = &sh.cols;
        let read = |m: u32, j: usize| cols[m as usize].as_ref().and_then(|c| c.cpu[j].clone());
        let (col, scores, evals) = cpu_column(plan, k, &sh.pairs, steps, pool, read);
        for (row, d) in sh.scores.iter_mut().zip(scores) {
            row[k] = d;
        }
        sh.evals += evals;
        if self.kept.admit(k, col.iter().flatten()) {
            sh.cols[k] = Some(Slot::cpu(col));
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
        for a in plan.args(k) {
            self.to_cpu(a)?;
        }
        let steps = self.steps;
        let sh = self.shard()?;
        for &j in cpu {
            let p = &sh.pairs[j];
            let get = |x: &In| x.value(&p.input, &p.s, |m| sh.cols[m as usize].as_ref().and_then(|c| c.cpu[j].clone()));
            let (v, evaluated) = plan.eval_node(k, steps, get);
            sh.evals += evaluated as u64;
            sh.scores[j][k] = v.as_ref().map_or(0.0, |v| cpu_score(v, &p.expected));
            out[j] = v;
        }
        Ok(())
    }

    /// A node whose primitive has a kernel.
    fn kernel_node(&mut self, plan: &Plan, k: usize, kern: Kernel) -> Result<(), BackendError> {
        let args = plan.args(k);
        let gi = kern.grid_arg();
        let Some(gcol) = self.to_device(&args[gi])? else { return self.cpu_node(plan, k) };
        // the other arguments, read on the CPU
        for (a, src) in args.iter().enumerate() {
            if a != gi {
                self.to_cpu(src)?;
            }
        }
        let stats = match kern {
            Kernel::Underfill
            | Kernel::Underpaint
            | Kernel::Cover
            | Kernel::Palette
            | Kernel::Numcolors
            | Kernel::Mostcolor
            | Kernel::Leastcolor
            | Kernel::Colorcount => self.stats(&args[gi])?,
            _ => vec![],
        };
        let sh = self.shard()?;
        let n = sh.pairs.len();
        let gslot = Self::slot(sh, &args[gi]);
        // per pair: the other arguments, or why the device does not take it
        let mut jobs: Vec<Job<(usize, usize, Vec<Value>)>> = Vec::with_capacity(n);
        for j in 0..n {
            let mut vals = Vec::with_capacity(args.len());
            let mut dead = false;
            for (a, src) in args.iter().enumerate() {
                if a == gi {
                    continue;
                }
                let p = &sh.pairs[j];
                let v = src.value(&p.input, &p.s, |m| sh.cols[m as usize].as_ref().and_then(|c| c.cpu[j].clone()));
                match v {
                    Some(v) => vals.push(v),
                    None => dead = true,
                }
            }
            let on_cpu = gslot.is_some_and(|s| s.cpu[j].is_some());
            jobs.push(match (gcol.dims(j), dead) {
                (_, true) => Job::Dead,
                (Some((h, w)), false) => Job::Gpu((h, w, vals)),
                (None, false) if on_cpu => Job::Cpu,
                (None, false) => Job::Dead,
            });
        }
        let mut cpu: Vec<usize> = Vec::new();
        let mut out: Vec<Option<Value>> = vec![None; n];
        let bg = |j: usize| stats.get(j).copied().flatten().as_ref().and_then(|s| pick(s, true));
        let made: Option<Col> = match kern {
            Kernel::MirRot => {
                Some(self.dev.remap(&gcol, &params(&jobs, &mut cpu, |_, h, w, v| symmetry(selector(&v[0])?, h, w)))?)
            }
            Kernel::Sym(s) => Some(self.dev.remap(&gcol, &params(&jobs, &mut cpu, |_, h, w, _| symmetry(s, h, w)))?),
            Kernel::Crop => Some(self.dev.remap(
                &gcol,
                &params(&jobs, &mut cpu, |_, h, w, v| crop_map(h, w, v[0].as_pair().ok()?, v[1].as_pair().ok()?)),
            )?),
            Kernel::Subgrid => Some(self.dev.remap(
                &gcol,
                &params(&jobs, &mut cpu, |_, h, w, v| {
                    let (top, left, bottom, right) = bbox(v[0].as_patch().ok()?)?;
                    crop_map(h, w, (top, left), (bottom - top + 1, right - left + 1))
                }),
            )?),
            Kernel::Upscale => Some(self.dev.remap(
                &gcol,
                &params(&jobs, &mut cpu, |_, h, w, v| {
                    let f = v[0].as_int().ok().filter(|&f| f > 0)? as usize;
                    let (nh, nw) = (h.checked_mul(f)?, w.checked_mul(f)?);
                    if nh > batt_dsl::grid::MAX_SIDE
                        || nw > batt_dsl::grid::MAX_SIDE
                        || nh * nw > batt_dsl::grid::MAX_CELLS
                    {
                        return None;
                    }
                    Some(Remap { h: nh as u32, w: nw as u32, r: [0, 1, 0], c: [0, 0, 1], div: f as i32 })
                }),
            )?),
            Kernel::Downscale => Some(self.dev.remap(
                &gcol,
                &params(&jobs, &mut cpu, |_, h, w, v| {
                    // the primitive's own stride and shape
                    let (step, (nh, nw)) = batt_dsl::prims::grid::downscale_step(h, w, v[0].as_int().ok()?).ok()?;
                    let s = step as i32;
                    Some(Remap { h: nh as u32, w: nw as u32, r: [0, s, 0], c: [0, 0, s], div: 1 })
                }),
            )?),
            Kernel::Fill => Some(self.dev.scatter(
                &gcol,
                &params(&jobs, &mut cpu, |_, _, _, v| {
                    Some(Scatter { cells: patch_cells(&v[1], colour(&v[0])?)?, only_where: None })
                }),
            )?),
            Kernel::Underfill => Some(self.dev.scatter(
                &gcol,
                &params(&jobs, &mut cpu, |j, _, _, v| {
                    Some(Scatter { cells: patch_cells(&v[1], colour(&v[0])?)?, only_where: Some(bg(j)?) })
                }),
            )?),
            Kernel::Cover => Some(self.dev.scatter(
                &gcol,
                &params(&jobs, &mut cpu, |j, _, _, v| {
                    Some(Scatter { cells: patch_cells(&v[0], bg(j)?)?, only_where: None })
                }),
            )?),
            Kernel::Paint => Some(self.dev.scatter(
                &gcol,
                &params(&jobs, &mut cpu, |_, _, _, v| Some(Scatter { cells: object_cells(&v[0])?, only_where: None })),
            )?),
            Kernel::Underpaint => Some(self.dev.scatter(
                &gcol,
                &params(&jobs, &mut cpu, |j, _, _, v| {
                    Some(Scatter { cells: object_cells(&v[0])?, only_where: Some(bg(j)?) })
                }),
            )?),
            _ => None,
        };
        // values for the CPU
        match kern {
            Kernel::Palette | Kernel::Numcolors | Kernel::Mostcolor | Kernel::Leastcolor | Kernel::Colorcount => {
                for (j, job) in jobs.iter().enumerate() {
                    match job {
                        Job::Gpu((_, _, v)) => {
                            let st = stats.get(j).copied().flatten();
                            match st.and_then(|st| stat_value(kern, &st, v)) {
                                Some(x) => out[j] = Some(x),
                                None => cpu.push(j),
                            }
                        }
                        Job::Cpu => cpu.push(j),
                        Job::Dead => {}
                    }
                }
            }
            Kernel::Ofcolor => {
                let colours = params(&jobs, &mut cpu, |_, _, _, v| colour(&v[0]));
                let found = self.dev.cells_eq(&gcol, &colours)?;
                for (j, f) in found.into_iter().enumerate() {
                    if let (Some(ps), Some((_, w))) = (f, gcol.dims(j)) {
                        let locs: Option<Vec<Loc>> =
                            ps.iter().map(|&p| Loc::new((p as usize / w) as i32, (p as usize % w) as i32)).collect();
                        match locs {
                            Some(l) => out[j] = Some(Value::indices(l)),
                            None => cpu.push(j),
                        }
                    }
                }
            }
            Kernel::Objects | Kernel::OG => {
                // the cells of the objects are read on the CPU: the grids come back
                self.to_cpu(&args[gi])?;
                let sh = self.shard()?;
                let gslot = Self::slot(sh, &args[gi]);
                let mut grids: Vec<Option<Grid>> = vec![None; n];
                let modes: Vec<Option<LabelMode>> = jobs
                    .iter()
                    .enumerate()
                    .map(|(j, job)| {
                        let Job::Gpu((_, _, v)) = job else {
                            if matches!(job, Job::Cpu) {
                                cpu.push(j);
                            }
                            return None;
                        };
                        let (univalued, diagonal, without_bg) = if kern == Kernel::OG {
                            let Some(m) = selector(&v[0]) else {
                                cpu.push(j);
                                return None;
                            };
                            (m & 4 != 0, m & 2 != 0, m & 1 != 0)
                        } else {
                            (v[0].truthy(), v[1].truthy(), v[2].truthy())
                        };
                        let Some(Some(Value::Grid(g))) = gslot.map(|s| &s.cpu[j]) else {
                            cpu.push(j);
                            return None;
                        };
                        let bg = without_bg.then(|| g.mostcolor());
                        grids[j] = Some(g.clone());
                        Some(LabelMode { univalued, diagonal, bg })
                    })
                    .collect();
                let roots = self.dev.labels(&gcol, &modes)?;
                for (j, r) in roots.into_iter().enumerate() {
                    if let (Some(r), Some(g)) = (r, &grids[j]) {
                        out[j] = objects_from_roots(g, &r).ok();
                    }
                }
            }
            _ => {}
        }
        cpu.sort_unstable();
        // the pairs the device evaluated (the CPU counts its own)
        let evals = jobs
            .iter()
            .enumerate()
            .filter(|(j, job)| matches!(job, Job::Gpu(_)) && cpu.binary_search(j).is_err())
            .count() as u64;
        self.cpu_pairs(plan, k, &cpu, &mut out)?;
        let dev = &self.dev;
        let sh = self.shard.as_mut().ok_or_else(|| BackendError::Device("column outside a batch".into()))?;
        sh.evals += evals;
        sh.device_evals += evals;
        let slot = match made {
            None => {
                for (j, v) in out.iter().enumerate() {
                    if let (Some(v), false) = (v, cpu.binary_search(&j).is_ok()) {
                        sh.scores[j][k] = cpu_score(v, &sh.pairs[j].expected);
                    }
                }
                Slot::cpu(out)
            }
            Some(col) => {
                sh.tickets.push((k, dev.score(&col, &sh.expected)?));
                if out.iter().any(|v| matches!(v, Some(Value::Grid(_)))) {
                    // grids on both sides: the column lives on the CPU
                    for (j, g) in dev.download(&col)?.into_iter().enumerate() {
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
    jobs: &[Job<(usize, usize, Vec<Value>)>],
    cpu: &mut Vec<usize>,
    f: impl Fn(usize, usize, usize, &[Value]) -> Option<P>,
) -> Vec<Option<P>> {
    let mut out = Vec::with_capacity(jobs.len());
    for (j, job) in jobs.iter().enumerate() {
        out.push(match job {
            Job::Gpu((h, w, vals)) => {
                let p = f(j, *h, *w, vals);
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

/// The value of a colour-statistics primitive from a grid's statistics (None: the CPU decides).
fn stat_value(kern: Kernel, st: &Stats, v: &[Value]) -> Option<Value> {
    let present = || (0..16).filter(|&c| st.counts[c] > 0);
    match kern {
        Kernel::Palette if !st.other => Some(Value::int_set(present().map(|c| c as i32).collect())),
        Kernel::Numcolors if !st.other => Value::int(present().count() as i64).ok(),
        Kernel::Mostcolor => pick(st, true).map(|c| Value::Int(c as i32)),
        Kernel::Leastcolor => pick(st, false).map(|c| Value::Int(c as i32)),
        Kernel::Colorcount => {
            let n = match v[0].as_int() {
                Err(_) => 0,
                Ok(x) if (0..16).contains(&x) => st.counts[x as usize],
                Ok(_) if !st.other => 0,
                Ok(_) => return None,
            };
            Value::int(n as i64).ok()
        }
        _ => None,
    }
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
        self.shard = Some(Shard {
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
        match plan.battery().nodes()[k].op {
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
