//! The backend suite ([`batt_engine::testing`], the one the CPU backend passes) for the GPU
//! backend, on every Vulkan adapter found (lavapipe in CI). Without one the tests print a note
//! and pass, unless `BATT_REQUIRE_GPU` is set: then they fail.
#![cfg(feature = "vulkan")]

mod common;

use batt_engine::backend::{BackendError, BatchResult, Workers};

fn open(threads: usize, steps: u64) -> Option<Workers> {
    match batt_gpu::workers(threads, steps, true) {
        Ok(w) => Some(w),
        Err(e @ BackendError::Unavailable(_)) => {
            assert!(!common::required(), "BATT_REQUIRE_GPU is set but the GPU backend is unavailable: {e}");
            eprintln!("note: GPU backend tests skipped: {e}");
            None
        }
        Err(e) => panic!("opening the GPU backend: {e}"),
    }
}

/// The kernels did the work they can do: most of the kernel battery's evaluations.
fn kernels_did_the_work(r: &BatchResult) {
    assert!(r.device_evals * 3 > r.node_evals, "{} of {} on the device", r.device_evals, r.node_evals);
}

batt_engine::backend_suite!(open, kernels_did_the_work);

/// Installed, the backend is what `BackendChoice::Gpu` opens.
#[test]
fn install_makes_it_the_gpu_choice() {
    if open(1, 1000).is_none() {
        return;
    }
    batt_gpu::install();
    let w = batt_engine::backend::open(batt_engine::BackendChoice::Gpu, 2, 1000).expect("the GPU backend");
    assert!(!w.is_empty() && w.iter().all(|w| w.name().starts_with("gpu")));
}
