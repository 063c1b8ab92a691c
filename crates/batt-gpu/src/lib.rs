//! batt-gpu: the GPU backend of batt's battery. Columns whose primitive has a compute kernel
//! run on every Vulkan adapter through wgpu, the others on the CPU with the engine's own code,
//! and the results are the CPU backend's to the last bit. The backend sees the engine only
//! through the public backend surface ([`batt_engine::backend`]).
//!
//! The backend is built with this crate's feature `vulkan` (batt-cli's feature `gpu` turns it
//! on); without it the crate is empty, so that `cargo test --workspace` does not build wgpu.
//!
//! ```no_run
//! # #[cfg(feature = "vulkan")] {
//! use batt_engine::{evaluate, BackendChoice, Battery, EvalConfig};
//!
//! // `BackendChoice::Gpu` and `Auto` now open this backend
//! batt_gpu::install();
//! let tasks = batt_dsl::task::load("data/arc-agi-1/training".as_ref()).tasks;
//! let mut battery = Battery::new();
//! for p in batt_prog::parse_file("solvers/training.py".as_ref()).programs {
//!     battery.add_program(&p.program);
//! }
//! let cfg = EvalConfig { backend: BackendChoice::Gpu, ..EvalConfig::default() };
//! let eval = evaluate(&battery, &tasks, &cfg, |_, _| {}).unwrap();
//! println!("{}: {} of {} node evaluations on the device", eval.backend, eval.device_evals, eval.node_evals);
//! # }
//! ```

#[cfg(feature = "vulkan")]
mod backend;
#[cfg(feature = "vulkan")]
pub mod device;
#[cfg(feature = "vulkan")]
mod kernels;

#[cfg(feature = "vulkan")]
pub use backend::GpuBackend;

#[cfg(feature = "vulkan")]
use batt_engine::backend::{Backend, BackendError, Workers};

/// Makes the engine's [`batt_engine::BackendChoice::Gpu`] and
/// [`batt_engine::BackendChoice::Auto`] open this backend ([`workers`]).
#[cfg(feature = "vulkan")]
pub fn install() {
    batt_engine::backend::install_gpu(workers);
}

/// The GPU workers: one per adapter (hardware ones only unless `software`), sharing `threads`
/// CPU threads for the columns that run on the CPU, with `steps` of work per node and pair on
/// the CPU.
#[cfg(feature = "vulkan")]
pub fn workers(threads: usize, steps: u64, software: bool) -> Result<Workers, BackendError> {
    let devs: Vec<device::Device> =
        device::Device::all()?.into_iter().filter(|d| software || !d.is_software()).collect();
    if devs.is_empty() {
        let what = if software { "no Vulkan adapter found" } else { "no hardware GPU found" };
        return Err(BackendError::Unavailable(what.into()));
    }
    let per = (threads / devs.len()).max(1);
    devs.into_iter().map(|d| Ok(Box::new(GpuBackend::new(d, per, steps)?) as Box<dyn Backend>)).collect()
}

#[cfg(feature = "vulkan")]
impl From<device::DeviceError> for BackendError {
    fn from(e: device::DeviceError) -> BackendError {
        use device::DeviceError;
        match e {
            DeviceError::TooLarge { .. } | DeviceError::OutOfMemory(_) => BackendError::TooLarge(e.to_string()),
            _ => BackendError::Device(e.to_string()),
        }
    }
}
