//! The low-level GPU layer: columns of grids resident on a wgpu (Vulkan) device, and the compute
//! kernels (`kernels.wgsl`) that the GPU backend maps arc-dsl primitives onto.
//!
//! Layout: a [`Col`] is one storage buffer holding the grids of its live slots, four `i8` cells
//! per `u32` word (little-endian, row-major), each grid starting on a word boundary with its
//! padding bytes zero. Shapes and offsets stay on the CPU, so every call builds a small job list
//! for the live slots only (a dead slot costs nothing) and no call needs to read shapes back.
//!
//! Waiting: calls that make a column ([`Device::upload`], [`Device::remap`],
//! [`Device::scatter`]) and [`Device::score`] only encode and submit; the calls that return data
//! to the CPU submit, map a staging buffer and block until the device is done.
//!
//! Errors: every call runs inside wgpu error scopes (validation, out-of-memory, internal), so a
//! fault is reported by the call that caused it, as a [`DeviceError`]; errors that escape the
//! scopes are recorded by the device's uncaptured-error handler and reported by the next call;
//! a lost device (or a wait that wgpu turns into a panic, which it does for a lost device) makes
//! every later call fail with [`DeviceError::Lost`]. Sizes are checked against the device's
//! limits before buffers are made, giving [`DeviceError::TooLarge`]: the caller halves its batch.

use batt_dsl::Grid;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// What went wrong on the device. No call panics on device trouble; it returns one of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DeviceError {
    /// A buffer or dispatch would pass one of the device's limits: retry with fewer slots.
    #[error("GPU {what} needs {need}, over the device's limit of {limit}: use a smaller batch")]
    TooLarge { what: &'static str, need: u64, limit: u64 },
    /// The device ran out of memory: retry with fewer slots, or fall back to the CPU.
    #[error("GPU out of memory: {0}")]
    OutOfMemory(String),
    /// The device is lost (driver reset, hang, removal); every later call fails too.
    #[error("GPU device lost: {0}")]
    Lost(String),
    /// A validation or internal error reported by wgpu (a bug of this layer, or a driver's).
    #[error("GPU error: {0}")]
    Gpu(String),
    /// The call's arguments are wrong (lengths, a column of another device, a map reading
    /// outside its source grid): a bug of the caller.
    #[error("invalid GPU call: {0}")]
    Invalid(String),
    /// Setting up wgpu failed.
    #[error("GPU setup failed: {0}")]
    Setup(String),
}

type Res<T> = Result<T, DeviceError>;

/// Invocations per workgroup of every kernel (valid on any device: ≤ 256).
const WG: u32 = 64;
/// The longest a read-back waits for the device before it is declared lost.
const WAIT_LIMIT: Duration = Duration::from_secs(300);
/// Polls (10 ms apart) for a map callback that another thread's poll is still running.
const MAP_RETRIES: usize = 500;
/// Bound on the coefficients of a [`Remap`], so the kernel's `i32` arithmetic cannot overflow.
const REMAP_COEF_MAX: i32 = 1 << 20;

/// Words per job of each kernel (see `kernels.wgsl`).
const REMAP_JOB: usize = 13;
const STATS_JOB: usize = 2;
const STATS_OUT: usize = 33;
const LABELS_JOB: usize = 5;
const QUAD_JOB: usize = 4;

static NEXT_DEVICE_ID: AtomicU64 = AtomicU64::new(1);

/// `out[s](i, j) = src[s]((r0 + r1*i + r2*j) / div, (c0 + c1*i + c2*j) / div)` for an output of
/// `h × w`: symmetries, crops, upscales (`div = f`) and downscales (`r1 = c2 = f`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Remap {
    pub h: u32,
    pub w: u32,
    pub r: [i32; 3],
    pub c: [i32; 3],
    pub div: i32,
}

/// Cells `(i, j, colour)` written into a copy of a grid (outside the grid: skipped); with
/// `only_where: Some(c)` only where the source cell is `c`. The locations are distinct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scatter {
    pub cells: Vec<(i32, i32, i8)>,
    pub only_where: Option<i8>,
}

/// Colour statistics of one grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stats {
    /// Cells of each colour 0..=15.
    pub counts: [u32; 16],
    /// Row-major index of each colour's first cell, `u32::MAX` when absent.
    pub first: [u32; 16],
    /// Some cell is outside 0..=15.
    pub other: bool,
}

/// How [`Device::labels`] connects cells (arc-dsl `objects`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LabelMode {
    /// Neighbours join only when of the same colour (else: when both are not excluded).
    pub univalued: bool,
    /// 8-neighbourhood instead of 4.
    pub diagonal: bool,
    /// Cells of this colour are excluded (label `u32::MAX`).
    pub bg: Option<i8>,
}

/// A grid compared with its expected grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScoreParts {
    /// The shapes are equal.
    pub same_shape: bool,
    /// How many cells are equal (0 when the shapes differ).
    pub equal: u32,
    /// Bit `min(c as u8, 15)` is set for every colour `c` of the grid.
    pub palette: u16,
}

/// A column of grids (one slot per pair of a batch, maybe dead) resident on one [`Device`].
/// Columns are immutable: cloning one shares its buffer.
#[derive(Clone)]
pub struct Col {
    device: u64,
    cells: wgpu::Buffer,
    slots: Vec<Option<Slot>>,
}

/// Where a live slot's grid lies in its column's buffer.
#[derive(Clone, Copy, Debug)]
struct Slot {
    h: u8,
    w: u8,
    /// Offset in words.
    off: u32,
}

impl Slot {
    fn n(self) -> u32 {
        self.h as u32 * self.w as u32
    }
    fn words(self) -> u32 {
        self.n().div_ceil(4)
    }
}

impl Col {
    /// Number of slots, live or dead.
    pub fn len(&self) -> usize {
        self.slots.len()
    }
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
    /// The shape `(h, w)` of slot `s`, `None` when dead (or out of range).
    pub fn dims(&self, s: usize) -> Option<(usize, usize)> {
        self.slots.get(s).copied().flatten().map(|x| (x.h as usize, x.w as usize))
    }
    /// Whether slot `s` holds a grid.
    pub fn is_live(&self, s: usize) -> bool {
        self.dims(s).is_some()
    }
}

/// Scores enqueued by [`Device::score`], read by [`Device::resolve`].
pub struct ScoreTicket {
    device: u64,
    /// The results, 2 words per job; `None` when no slot was compared.
    staging: Option<wgpu::Buffer>,
    /// Per slot: `(same_shape, job)` when both grids are live.
    slots: Vec<Option<(bool, usize)>>,
}

/// Faults reported outside the calls that caused them.
#[derive(Default)]
struct Trouble {
    /// The first uncaptured error since the last call that reported one.
    error: Mutex<Option<String>>,
    /// Why the device is lost; sticky.
    lost: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Trouble {
    fn record_error(&self, e: String) {
        lock(&self.error).get_or_insert(e);
    }
    fn record_lost(&self, e: String) {
        lock(&self.lost).get_or_insert(e);
    }
    /// The pending fault, if any (a lost device stays lost).
    fn take(&self) -> Res<()> {
        if let Some(e) = lock(&self.lost).clone() {
            return Err(DeviceError::Lost(e));
        }
        match lock(&self.error).take() {
            Some(e) => Err(DeviceError::Gpu(format!("earlier uncaptured error: {e}"))),
            None => Ok(()),
        }
    }
}

/// The compute pipelines, one per kernel.
struct Kernels {
    remap: wgpu::ComputePipeline,
    scatter: wgpu::ComputePipeline,
    stats: wgpu::ComputePipeline,
    cells_eq: wgpu::ComputePipeline,
    labels: wgpu::ComputePipeline,
    fingerprint: wgpu::ComputePipeline,
    score: wgpu::ComputePipeline,
}

/// One wgpu device (one adapter) with the kernels compiled.
pub struct Device {
    id: u64,
    info: wgpu::AdapterInfo,
    device: wgpu::Device,
    queue: wgpu::Queue,
    limits: wgpu::Limits,
    trouble: Arc<Trouble>,
    kernels: Kernels,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Device({})", self.name())
    }
}

/// The message of a caught panic.
fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic inside wgpu".to_string())
}

fn to_bytes(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A column layout: each live slot's grid after the previous one. Returns the slots and the
/// number of words.
fn layout(dims: impl Iterator<Item = Option<(u8, u8)>>) -> (Vec<Option<Slot>>, u64) {
    let mut words = 0u64;
    let slots = dims
        .map(|d| {
            d.map(|(h, w)| {
                let s = Slot { h, w, off: words as u32 };
                words += s.words() as u64;
                s
            })
        })
        .collect();
    (slots, words)
}

/// Turns off Mesa's device-select layer (an implicit Vulkan layer) unless the user set
/// `NODEVICE_SELECT`: it only orders the adapters, which batt does itself, and to do so it
/// probes for a Wayland display, printing `error: XDG_RUNTIME_DIR is invalid or not set in the
/// environment` on every run without one. Set once, before the first Vulkan instance.
fn quiet_device_select() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("NODEVICE_SELECT").is_none() {
            std::env::set_var("NODEVICE_SELECT", "1");
        }
    });
}

impl Device {
    /// One `Device` for every adapter the Vulkan backend offers (software ones included);
    /// `Ok(vec![])` when there is none (no Vulkan loader or driver). An adapter whose device
    /// cannot be made is skipped; the error is returned only when no device could be made.
    pub fn all() -> Res<Vec<Device>> {
        if !wgpu::Instance::enabled_backend_features().contains(wgpu::Backends::VULKAN) {
            return Ok(Vec::new());
        }
        quiet_device_select();
        let adapters = catch_unwind(|| {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle();
            desc.backends = wgpu::Backends::VULKAN;
            // no validation layers unless asked for (WGPU_VALIDATION=1): they are slow and noisy
            desc.flags = wgpu::InstanceFlags::empty().with_env();
            let instance = wgpu::Instance::new(desc);
            pollster::block_on(instance.enumerate_adapters(wgpu::Backends::VULKAN))
        })
        .map_err(|p| DeviceError::Setup(panic_message(p)))?;
        let mut devices = Vec::new();
        let mut first_error = None;
        for adapter in adapters {
            match Device::new(&adapter) {
                Ok(d) => devices.push(d),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) if devices.is_empty() => Err(e),
            _ => Ok(devices),
        }
    }

    /// A device on `adapter`, with the adapter's own limits (not WebGPU's defaults: larger
    /// storage buffers), and its kernels compiled.
    fn new(adapter: &wgpu::Adapter) -> Res<Device> {
        let info = adapter.get_info();
        let desc =
            wgpu::DeviceDescriptor { label: Some("batt"), required_limits: adapter.limits(), ..Default::default() };
        let (device, queue) = catch_unwind(AssertUnwindSafe(|| pollster::block_on(adapter.request_device(&desc))))
            .map_err(|p| DeviceError::Setup(panic_message(p)))?
            .map_err(|e| DeviceError::Setup(format!("{} ({:?}): {e}", info.name, info.device_type)))?;
        let trouble = Arc::new(Trouble::default());
        let t = trouble.clone();
        device.on_uncaptured_error(Arc::new(move |e: wgpu::Error| t.record_error(e.to_string())));
        let t = trouble.clone();
        device.set_device_lost_callback(move |reason, msg| {
            t.record_lost(if msg.is_empty() { format!("{reason:?}") } else { format!("{reason:?}: {msg}") })
        });
        let limits = device.limits();
        let scopes = Scopes::push(&device);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("batt kernels"),
            source: wgpu::ShaderSource::Wgsl(include_str!("kernels.wgsl").into()),
        });
        let pipe = |entry: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry),
                layout: None,
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        };
        let kernels = Kernels {
            remap: pipe("remap"),
            scatter: pipe("scatter"),
            stats: pipe("stats"),
            cells_eq: pipe("cells_eq"),
            labels: pipe("labels"),
            fingerprint: pipe("fingerprint"),
            score: pipe("score"),
        };
        scopes.pop()?;
        trouble.take()?;
        let id = NEXT_DEVICE_ID.fetch_add(1, Ordering::Relaxed);
        Ok(Device { id, info, device, queue, limits, trouble, kernels })
    }

    /// The adapter's name and type, e.g. `llvmpipe (LLVM 15.0.6, 256 bits) (Cpu)`.
    pub fn name(&self) -> String {
        format!("{} ({:?})", self.info.name, self.info.device_type)
    }

    /// Whether the adapter is a CPU implementation (lavapipe, SwiftShader).
    pub fn is_software(&self) -> bool {
        self.info.device_type == wgpu::DeviceType::Cpu
    }

    /// Bytes one buffer bound to a kernel may take: the limit on a column's cell buffer (one
    /// byte per cell, each grid padded to 4), and on `labels`' output (4 bytes per cell).
    pub fn max_column_bytes(&self) -> u64 {
        self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size)
    }

    /// The grids into a new column (dead slots: `None`).
    pub fn upload(&self, grids: &[Option<&Grid>]) -> Res<Col> {
        self.call(|| {
            let (slots, words) = layout(grids.iter().map(|g| g.map(|g| (g.h() as u8, g.w() as u8))));
            let cells = self.buffer("column", words * 4, Usage::Column)?;
            let mut data = vec![0u8; (words * 4) as usize];
            for (g, s) in grids.iter().zip(&slots) {
                if let (Some(g), Some(s)) = (g, s) {
                    let at = s.off as usize * 4;
                    for (d, &c) in data[at..at + g.cells().len()].iter_mut().zip(g.cells()) {
                        *d = c as u8;
                    }
                }
            }
            if !data.is_empty() {
                self.queue.write_buffer(&cells, 0, &data);
            }
            Ok(Col { device: self.id, cells, slots })
        })
    }

    /// The grids back on the CPU, with their fingerprints computed on the device. Waits.
    pub fn download(&self, col: &Col) -> Res<Vec<Option<Grid>>> {
        self.call(|| {
            self.mine(col)?;
            let live: Vec<Slot> = col.slots.iter().flatten().copied().collect();
            if live.is_empty() {
                return Ok(vec![None; col.len()]);
            }
            let mut enc = self.encoder();
            let fps = self.fingerprint_pass(&mut enc, col, &live)?;
            // the cells of runs of consecutive live slots, then the fingerprints
            let mut parts: Vec<(&wgpu::Buffer, u64, u64)> = Vec::new();
            for s in &live {
                let (off, len) = (s.off as u64 * 4, s.words() as u64 * 4);
                match parts.last_mut() {
                    Some(p) if p.1 + p.2 == off => p.2 += len,
                    _ => parts.push((&col.cells, off, len)),
                }
            }
            let cell_bytes: u64 = parts.iter().map(|p| p.2).sum();
            parts.push((&fps, 0, live.len() as u64 * 8));
            let back = self.read_back(enc, &parts)?;
            let (cells, fps) = back.split_at(cell_bytes as usize);
            let mut at = 0usize;
            let mut live_k = 0usize;
            let mut out = Vec::with_capacity(col.len());
            for s in &col.slots {
                let Some(s) = s else {
                    out.push(None);
                    continue;
                };
                let n = s.n() as usize;
                let grid_cells: Vec<i8> = cells[at..at + n].iter().map(|&b| b as i8).collect();
                at += s.words() as usize * 4;
                let f = &fps[live_k * 8..live_k * 8 + 8];
                let hi = u32::from_le_bytes([f[0], f[1], f[2], f[3]]) as u64;
                let lo = u32::from_le_bytes([f[4], f[5], f[6], f[7]]) as u64;
                live_k += 1;
                let g = Grid::with_fingerprint(s.h as usize, s.w as usize, grid_cells, hi << 32 | lo)
                    .map_err(|e| DeviceError::Gpu(format!("downloaded grid: {e}")))?;
                out.push(Some(g));
            }
            Ok(out)
        })
    }

    /// `out[s](i, j) = src[s]((r0 + r1*i + r2*j) / div, (c0 + c1*i + c2*j) / div)` for
    /// `i < h, j < w`; dead where `src[s]` is dead or `maps[s]` is `None`. Every source
    /// coordinate must lie inside the source grid (checked: else [`DeviceError::Invalid`]).
    pub fn remap(&self, src: &Col, maps: &[Option<Remap>]) -> Res<Col> {
        self.call(|| {
            self.mine(src)?;
            self.same_len(src, maps.len())?;
            let mut dims = Vec::with_capacity(maps.len());
            for (s, m) in src.slots.iter().zip(maps) {
                dims.push(match (s, m) {
                    (Some(s), Some(m)) => {
                        check_remap(m, s.h as i64, s.w as i64)?;
                        Some((m.h as u8, m.w as u8))
                    }
                    _ => None,
                });
            }
            let (slots, words) = layout(dims.into_iter());
            let mut jobs = Vec::new();
            for ((o, s), m) in slots.iter().zip(&src.slots).zip(maps) {
                if let (Some(o), Some(s), Some(m)) = (o, s, m) {
                    jobs.extend_from_slice(&[o.off, m.h, m.w, s.off, s.h as u32, s.w as u32, m.div as u32]);
                    jobs.extend(m.r.iter().chain(&m.c).map(|&x| x as u32));
                }
            }
            let cells = self.buffer("column", words * 4, Usage::Column)?;
            let groups = (jobs.len() / REMAP_JOB) as u32;
            if groups > 0 {
                let jobs = self.jobs(&jobs)?;
                let mut enc = self.encoder();
                self.dispatch(&mut enc, &self.kernels.remap, &[(0, &src.cells), (2, &cells), (4, &jobs)], groups)?;
                self.queue.submit([enc.finish()]);
            }
            Ok(Col { device: self.id, cells, slots })
        })
    }

    /// A copy of `src` with the listed cells written (outside the grid: skipped; with
    /// `only_where: Some(c)`: only where the source cell is `c`); dead where `src[s]` is dead
    /// or `writes[s]` is `None`.
    pub fn scatter(&self, src: &Col, writes: &[Option<Scatter>]) -> Res<Col> {
        self.call(|| {
            self.mine(src)?;
            self.same_len(src, writes.len())?;
            let slots: Vec<Option<Slot>> = src.slots.iter().zip(writes).map(|(s, w)| w.as_ref().and(*s)).collect();
            let cells = self.buffer("column", src.cells.size(), Usage::Column)?;
            let mut jobs = Vec::new();
            for (s, wr) in slots.iter().zip(writes) {
                let (Some(s), Some(wr)) = (s, wr) else { continue };
                let cond = wr.only_where.map_or(0, |c| 1 << 16 | (c as u8 as u32) << 24);
                for &(i, j, c) in &wr.cells {
                    if i < 0 || j < 0 || i >= s.h as i32 || j >= s.w as i32 {
                        continue;
                    }
                    let k = i as u32 * s.w as u32 + j as u32;
                    jobs.extend_from_slice(&[s.off + k / 4, (k % 4) | ((c as u8 as u32) << 8) | cond]);
                }
            }
            let mut enc = self.encoder();
            // copy the live grids, in runs of consecutive slots
            let mut runs: Vec<(u64, u64)> = Vec::new();
            for s in slots.iter().flatten() {
                let (off, len) = (s.off as u64 * 4, s.words() as u64 * 4);
                match runs.last_mut() {
                    Some(r) if r.0 + r.1 == off => r.1 += len,
                    _ => runs.push((off, len)),
                }
            }
            for (off, len) in runs {
                enc.copy_buffer_to_buffer(&src.cells, off, &cells, off, len);
            }
            if !jobs.is_empty() {
                let groups = (jobs.len() / 2).div_ceil(WG as usize) as u32;
                let jobs = self.jobs(&jobs)?;
                self.dispatch(&mut enc, &self.kernels.scatter, &[(0, &src.cells), (3, &cells), (4, &jobs)], groups)?;
            }
            self.queue.submit([enc.finish()]);
            Ok(Col { device: self.id, cells, slots })
        })
    }

    /// Per live slot: counts and first occurrences of the colours 0..=15, and whether any cell
    /// is outside 0..=15. Waits.
    pub fn stats(&self, col: &Col) -> Res<Vec<Option<Stats>>> {
        self.call(|| {
            self.mine(col)?;
            let jobs: Vec<u32> = col.slots.iter().flatten().flat_map(|s| [s.off, s.n()]).collect();
            let words = self.run_jobs(&self.kernels.stats, col, &jobs, STATS_JOB, STATS_OUT)?;
            let mut it = words.chunks_exact(STATS_OUT);
            Ok(col
                .slots
                .iter()
                .map(|s| {
                    s.map(|_| {
                        let o = it.next().expect("one result per live slot");
                        Stats {
                            counts: o[..16].try_into().expect("16 counts"),
                            first: o[16..32].try_into().expect("16 firsts"),
                            other: o[32] != 0,
                        }
                    })
                })
                .collect())
        })
    }

    /// Per slot: the row-major indices (ascending) of the cells equal to `colours[s]`; `None`
    /// where the slot is dead or the colour `None`. Waits.
    pub fn cells_eq(&self, col: &Col, colours: &[Option<i8>]) -> Res<Vec<Option<Vec<u32>>>> {
        self.call(|| {
            self.mine(col)?;
            self.same_len(col, colours.len())?;
            let mut jobs = Vec::new();
            let mut at = 0u32;
            let mut live = Vec::with_capacity(col.len());
            for (s, c) in col.slots.iter().zip(colours) {
                match (s, c) {
                    (Some(s), Some(c)) => {
                        jobs.extend_from_slice(&[s.off, s.n(), *c as u8 as u32, at]);
                        live.push(Some((at as usize, s.n())));
                        at += s.n().div_ceil(32);
                    }
                    _ => live.push(None),
                }
            }
            let masks = self.run_jobs_out(&self.kernels.cells_eq, col, &jobs, QUAD_JOB, at as u64)?;
            Ok(live
                .into_iter()
                .map(|l| {
                    l.map(|(at, n)| {
                        let mut idx = Vec::new();
                        for (m, &word) in masks[at..at + n.div_ceil(32) as usize].iter().enumerate() {
                            let mut x = word;
                            while x != 0 {
                                idx.push(m as u32 * 32 + x.trailing_zeros());
                                x &= x - 1;
                            }
                        }
                        idx
                    })
                })
                .collect())
        })
    }

    /// Connected components (arc-dsl `objects`): per cell, the smallest row-major index of a
    /// cell of its component, `u32::MAX` for excluded cells; `None` where the slot is dead or
    /// the mode `None`. Waits.
    pub fn labels(&self, col: &Col, modes: &[Option<LabelMode>]) -> Res<Vec<Option<Vec<u32>>>> {
        self.call(|| {
            self.mine(col)?;
            self.same_len(col, modes.len())?;
            let mut jobs = Vec::new();
            let mut at = 0u64;
            let mut live = Vec::with_capacity(col.len());
            for (s, m) in col.slots.iter().zip(modes) {
                match (s, m) {
                    (Some(s), Some(m)) => {
                        let flags = m.univalued as u32
                            | (m.diagonal as u32) << 1
                            | m.bg.map_or(0, |c| 4 | (c as u8 as u32) << 8);
                        // offsets are u32 in the kernel; the limit on the buffer comes first
                        let base = u32::try_from(at).unwrap_or(u32::MAX);
                        jobs.extend_from_slice(&[s.off, s.h as u32, s.w as u32, flags, base]);
                        live.push(Some((at as usize, s.n() as usize)));
                        at += s.n() as u64;
                    }
                    _ => live.push(None),
                }
            }
            let labels = self.run_jobs_out_atomic(&self.kernels.labels, col, &jobs, LABELS_JOB, at)?;
            Ok(live.into_iter().map(|l| l.map(|(at, n)| labels[at..at + n].to_vec())).collect())
        })
    }

    /// Per live slot, the fingerprint [`batt_dsl::grid::fingerprint_cells`]. Waits.
    pub fn fingerprints(&self, col: &Col) -> Res<Vec<Option<u64>>> {
        self.call(|| {
            self.mine(col)?;
            let live: Vec<Slot> = col.slots.iter().flatten().copied().collect();
            if live.is_empty() {
                return Ok(vec![None; col.len()]);
            }
            let mut enc = self.encoder();
            let fps = self.fingerprint_pass(&mut enc, col, &live)?;
            let back = self.read_back(enc, &[(&fps, 0, live.len() as u64 * 8)])?;
            let mut it = back.chunks_exact(8);
            Ok(col
                .slots
                .iter()
                .map(|s| {
                    s.map(|_| {
                        let f = it.next().expect("one fingerprint per live slot");
                        let hi = u32::from_le_bytes([f[0], f[1], f[2], f[3]]) as u64;
                        let lo = u32::from_le_bytes([f[4], f[5], f[6], f[7]]) as u64;
                        hi << 32 | lo
                    })
                })
                .collect())
        })
    }

    /// Compares `col[s]` with `expected[s]` (both live, else the part is `None`). Enqueues
    /// only; [`Device::resolve`] reads the results.
    pub fn score(&self, col: &Col, expected: &Col) -> Res<ScoreTicket> {
        self.call(|| {
            self.mine(col)?;
            self.mine(expected)?;
            self.same_len(col, expected.len())?;
            let mut jobs = Vec::new();
            let mut slots = Vec::with_capacity(col.len());
            for (a, b) in col.slots.iter().zip(&expected.slots) {
                match (a, b) {
                    (Some(a), Some(b)) => {
                        let same = a.h == b.h && a.w == b.w;
                        slots.push(Some((same, jobs.len() / QUAD_JOB)));
                        jobs.extend_from_slice(&[a.off, b.off, a.n(), same as u32]);
                    }
                    _ => slots.push(None),
                }
            }
            let count = (jobs.len() / QUAD_JOB) as u64;
            if count == 0 {
                return Ok(ScoreTicket { device: self.id, staging: None, slots });
            }
            let out = self.buffer("score results", count * 8, Usage::Output)?;
            let staging = self.buffer("score staging", count * 8, Usage::Staging)?;
            let jobs = self.jobs(&jobs)?;
            let mut enc = self.encoder();
            let bindings = [(0, &col.cells), (1, &expected.cells), (2, &out), (4, &jobs)];
            self.dispatch(&mut enc, &self.kernels.score, &bindings, count as u32)?;
            enc.copy_buffer_to_buffer(&out, 0, &staging, 0, count * 8);
            self.queue.submit([enc.finish()]);
            Ok(ScoreTicket { device: self.id, staging: Some(staging), slots })
        })
    }

    /// Waits once for all `tickets` and returns their parts, in order.
    pub fn resolve(&self, tickets: Vec<ScoreTicket>) -> Res<Vec<Vec<Option<ScoreParts>>>> {
        self.call(|| {
            if tickets.iter().any(|t| t.device != self.id) {
                return Err(DeviceError::Invalid("score ticket of another device".into()));
            }
            let (tx, rx) = mpsc::channel();
            let mut pending = 0usize;
            for (k, t) in tickets.iter().enumerate() {
                if let Some(st) = &t.staging {
                    let tx = tx.clone();
                    st.map_async(wgpu::MapMode::Read, .., move |r| {
                        let _ = tx.send((k, r));
                    });
                    pending += 1;
                }
            }
            if pending > 0 {
                self.wait()?;
            }
            drop(tx);
            for _ in 0..pending {
                if let (k, Err(e)) = self.mapped(&rx)? {
                    return Err(DeviceError::Gpu(format!("mapping score results {k}: {e}")));
                }
            }
            let mut all = Vec::with_capacity(tickets.len());
            for t in &tickets {
                let words = match &t.staging {
                    Some(st) => read_mapped(st)?,
                    None => Vec::new(),
                };
                all.push(
                    t.slots
                        .iter()
                        .map(|s| {
                            s.map(|(same_shape, j)| ScoreParts {
                                same_shape,
                                equal: words[2 * j],
                                palette: words[2 * j + 1] as u16,
                            })
                        })
                        .collect(),
                );
            }
            Ok(all)
        })
    }

    // ---- helpers ----

    /// Runs `f` inside error scopes; device faults take precedence over `f`'s own result.
    fn call<T>(&self, f: impl FnOnce() -> Res<T>) -> Res<T> {
        self.trouble.take()?;
        let scopes = Scopes::push(&self.device);
        let r = f();
        let scoped = scopes.pop();
        // a lost device explains the other errors
        self.trouble.take()?;
        scoped?;
        r
    }

    /// Destroys the wgpu device, as a driver reset would lose it: for tests of loss handling.
    #[doc(hidden)]
    pub fn simulate_loss(&self) {
        self.device.destroy();
    }

    fn mine(&self, col: &Col) -> Res<()> {
        if col.device == self.id {
            Ok(())
        } else {
            Err(DeviceError::Invalid("column of another device".into()))
        }
    }

    fn same_len(&self, col: &Col, n: usize) -> Res<()> {
        if col.len() == n {
            Ok(())
        } else {
            Err(DeviceError::Invalid(format!("{n} arguments for a column of {} slots", col.len())))
        }
    }

    fn encoder(&self) -> wgpu::CommandEncoder {
        self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None })
    }

    /// A buffer of at least `bytes` (rounded up to 4, at least 4), checked against the limits.
    fn buffer(&self, what: &'static str, bytes: u64, usage: Usage) -> Res<wgpu::Buffer> {
        let size = bytes.max(4).next_multiple_of(4);
        let (limit, usage) = match usage {
            Usage::Column => (
                self.max_column_bytes(),
                wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
            ),
            Usage::Output => (self.max_column_bytes(), wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC),
            Usage::Jobs => (self.max_column_bytes(), wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_DST),
            Usage::Staging => {
                (self.limits.max_buffer_size, wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST)
            }
        };
        // kernels index words with u32
        let limit = limit.min(1 << 34);
        if size > limit {
            return Err(DeviceError::TooLarge { what, need: size, limit });
        }
        Ok(self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(what),
            size,
            usage,
            mapped_at_creation: false,
        }))
    }

    /// A job list on the device (written before the next submit).
    fn jobs(&self, jobs: &[u32]) -> Res<wgpu::Buffer> {
        let b = self.buffer("jobs", jobs.len() as u64 * 4, Usage::Jobs)?;
        self.queue.write_buffer(&b, 0, &to_bytes(jobs));
        Ok(b)
    }

    /// Records `groups` workgroups of `pipe` (2-D when over the per-dimension limit).
    fn dispatch(
        &self,
        enc: &mut wgpu::CommandEncoder,
        pipe: &wgpu::ComputePipeline,
        bindings: &[(u32, &wgpu::Buffer)],
        groups: u32,
    ) -> Res<()> {
        if groups == 0 {
            return Ok(());
        }
        let max = self.limits.max_compute_workgroups_per_dimension.max(1);
        let (x, y) = if groups <= max { (groups, 1) } else { (max, groups.div_ceil(max)) };
        if y > max {
            return Err(DeviceError::TooLarge {
                what: "dispatch",
                need: groups as u64,
                limit: max as u64 * max as u64,
            });
        }
        let entries: Vec<wgpu::BindGroupEntry> = bindings
            .iter()
            .map(|&(binding, b)| wgpu::BindGroupEntry { binding, resource: b.as_entire_binding() })
            .collect();
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipe.get_bind_group_layout(0),
            entries: &entries,
        });
        let mut pass = enc.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
        pass.set_pipeline(pipe);
        pass.set_bind_group(0, &bind, &[]);
        pass.dispatch_workgroups(x, y, 1);
        Ok(())
    }

    /// Records the fingerprint kernel over `live` (the live slots of `col`, in order); returns
    /// the buffer of results, 2 words (high, low) per slot.
    fn fingerprint_pass(&self, enc: &mut wgpu::CommandEncoder, col: &Col, live: &[Slot]) -> Res<wgpu::Buffer> {
        let jobs: Vec<u32> = live.iter().flat_map(|s| [s.off, s.h as u32, s.w as u32, 0]).collect();
        let out = self.buffer("fingerprints", live.len() as u64 * 8, Usage::Output)?;
        let jobs = self.jobs(&jobs)?;
        let groups = (live.len() as u32).div_ceil(WG);
        self.dispatch(enc, &self.kernels.fingerprint, &[(0, &col.cells), (4, &jobs), (2, &out)], groups)?;
        Ok(out)
    }

    /// Runs a one-workgroup-per-job kernel with `out_per_job` output words per job; waits and
    /// returns the output.
    fn run_jobs(
        &self,
        pipe: &wgpu::ComputePipeline,
        col: &Col,
        jobs: &[u32],
        per_job: usize,
        out_per_job: usize,
    ) -> Res<Vec<u32>> {
        let count = (jobs.len() / per_job) as u64;
        self.run_jobs_out(pipe, col, jobs, per_job, count * out_per_job as u64)
    }

    /// Runs a one-workgroup-per-job kernel writing `out_words` words to binding 2; waits and
    /// returns them.
    fn run_jobs_out(
        &self,
        pipe: &wgpu::ComputePipeline,
        col: &Col,
        jobs: &[u32],
        per_job: usize,
        out_words: u64,
    ) -> Res<Vec<u32>> {
        self.run_with_out(pipe, col, jobs, per_job, out_words, 2)
    }

    /// As [`Device::run_jobs_out`], the output bound as atomics (binding 3).
    fn run_jobs_out_atomic(
        &self,
        pipe: &wgpu::ComputePipeline,
        col: &Col,
        jobs: &[u32],
        per_job: usize,
        out_words: u64,
    ) -> Res<Vec<u32>> {
        self.run_with_out(pipe, col, jobs, per_job, out_words, 3)
    }

    fn run_with_out(
        &self,
        pipe: &wgpu::ComputePipeline,
        col: &Col,
        jobs: &[u32],
        per_job: usize,
        out_words: u64,
        out_binding: u32,
    ) -> Res<Vec<u32>> {
        let count = (jobs.len() / per_job) as u32;
        if count == 0 {
            return Ok(Vec::new());
        }
        let out = self.buffer("results", out_words * 4, Usage::Output)?;
        let jobs = self.jobs(jobs)?;
        let mut enc = self.encoder();
        self.dispatch(&mut enc, pipe, &[(0, &col.cells), (out_binding, &out), (4, &jobs)], count)?;
        let bytes = self.read_back(enc, &[(&out, 0, out_words * 4)])?;
        Ok(bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// Copies `parts` (buffer, byte offset, bytes) one after the other into a staging buffer,
    /// submits `enc` with the copies, waits and returns the bytes.
    fn read_back(&self, mut enc: wgpu::CommandEncoder, parts: &[(&wgpu::Buffer, u64, u64)]) -> Res<Vec<u8>> {
        let total: u64 = parts.iter().map(|p| p.2).sum();
        let staging = self.buffer("staging", total, Usage::Staging)?;
        let mut at = 0;
        for &(b, off, len) in parts {
            if len > 0 {
                enc.copy_buffer_to_buffer(b, off, &staging, at, len);
            }
            at += len;
        }
        self.queue.submit([enc.finish()]);
        let (tx, rx) = mpsc::channel();
        staging.map_async(wgpu::MapMode::Read, .., move |r| {
            let _ = tx.send(r);
        });
        self.wait()?;
        self.mapped(&rx)?.map_err(|e| DeviceError::Gpu(format!("mapping results: {e}")))?;
        let view = staging.get_mapped_range(..).map_err(|e| DeviceError::Gpu(format!("reading results: {e}")))?;
        let bytes = view[..total as usize].to_vec();
        drop(view);
        staging.unmap();
        Ok(bytes)
    }

    /// The next message of a map callback, after [`Device::wait`]: normally there already, but
    /// another thread's poll may still be running the callback, so this polls a little more.
    fn mapped<T>(&self, rx: &mpsc::Receiver<T>) -> Res<T> {
        for _ in 0..MAP_RETRIES {
            match rx.recv_timeout(Duration::from_millis(10)) {
                Ok(x) => return Ok(x),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.poll_once()?;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        Err(DeviceError::Gpu("a mapping callback did not run after the device was done".into()))
    }

    /// Runs the map callbacks that are due, without blocking.
    fn poll_once(&self) -> Res<()> {
        match catch_unwind(AssertUnwindSafe(|| self.device.poll(wgpu::PollType::Poll))) {
            Ok(_) => Ok(()),
            Err(p) => {
                let e = panic_message(p);
                self.trouble.record_lost(e.clone());
                Err(DeviceError::Lost(e))
            }
        }
    }

    /// Blocks until the device has finished all submitted work. wgpu panics when the device
    /// fails during the wait (lost, out of memory): that is caught, and the device is lost.
    fn wait(&self) -> Res<()> {
        let poll = wgpu::PollType::Wait { submission_index: None, timeout: Some(WAIT_LIMIT) };
        match catch_unwind(AssertUnwindSafe(|| self.device.poll(poll))) {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(wgpu::PollError::Timeout)) => {
                let e = format!("the device did not finish its work within {} s", WAIT_LIMIT.as_secs());
                self.trouble.record_lost(e.clone());
                Err(DeviceError::Lost(e))
            }
            Ok(Err(e)) => Err(DeviceError::Gpu(format!("waiting for the device: {e}"))),
            Err(p) => {
                let e = panic_message(p);
                self.trouble.record_lost(e.clone());
                Err(DeviceError::Lost(e))
            }
        }
    }
}

/// The uses of buffers.
#[derive(Clone, Copy)]
enum Usage {
    /// A column's cells: bound to kernels, copied from and to.
    Column,
    /// A kernel's results: bound, copied to staging.
    Output,
    /// A job list: bound, written by the queue.
    Jobs,
    /// Mapped for reading on the CPU.
    Staging,
}

/// Reads a mapped staging buffer as words and unmaps it.
fn read_mapped(b: &wgpu::Buffer) -> Res<Vec<u32>> {
    let view = b.get_mapped_range(..).map_err(|e| DeviceError::Gpu(format!("reading results: {e}")))?;
    let words = view.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    drop(view);
    b.unmap();
    Ok(words)
}

/// Checks that a remap reads inside an `sh × sw` source grid and makes a valid grid. The
/// numerators are linear in `(i, j)`, so their extremes are at the output's corners.
fn check_remap(m: &Remap, sh: i64, sw: i64) -> Res<()> {
    let bad = |why: &str| Err(DeviceError::Invalid(format!("remap {m:?} of a {sh}×{sw} grid: {why}")));
    let (h, w) = (m.h as usize, m.w as usize);
    if h == 0
        || w == 0
        || h > batt_dsl::grid::MAX_SIDE
        || w > batt_dsl::grid::MAX_SIDE
        || h * w > batt_dsl::grid::MAX_CELLS
    {
        return bad("output shape out of range");
    }
    if m.div < 1 {
        return bad("divisor below 1");
    }
    if m.r.iter().chain(&m.c).any(|x| x.abs() > REMAP_COEF_MAX) {
        return bad("coefficient too large");
    }
    for (i, j) in [(0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)] {
        let (i, j) = (i as i64, j as i64);
        let nr = m.r[0] as i64 + m.r[1] as i64 * i + m.r[2] as i64 * j;
        let nc = m.c[0] as i64 + m.c[1] as i64 * i + m.c[2] as i64 * j;
        let d = m.div as i64;
        if nr < 0 || nc < 0 || nr / d >= sh || nc / d >= sw {
            return bad("reads outside the source");
        }
    }
    Ok(())
}

/// The error scopes of one call (thread-local in wgpu; popped in reverse order).
struct Scopes {
    oom: wgpu::ErrorScopeGuard,
    validation: wgpu::ErrorScopeGuard,
    internal: wgpu::ErrorScopeGuard,
}

impl Scopes {
    fn push(device: &wgpu::Device) -> Scopes {
        let oom = device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let validation = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let internal = device.push_error_scope(wgpu::ErrorFilter::Internal);
        Scopes { oom, validation, internal }
    }

    /// The first fault, out-of-memory first (the caller can retry smaller).
    fn pop(self) -> Res<()> {
        // wgpu-core's scopes resolve at once: errors are found when the call is made
        let internal = pollster::block_on(self.internal.pop());
        let validation = pollster::block_on(self.validation.pop());
        let oom = pollster::block_on(self.oom.pop());
        if let Some(e) = oom {
            return Err(DeviceError::OutOfMemory(e.to_string()));
        }
        if let Some(e) = validation.or(internal) {
            return Err(DeviceError::Gpu(e.to_string()));
        }
        Ok(())
    }
}
