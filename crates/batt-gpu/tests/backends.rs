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

/// The GPU backend keeps the node values it holds in host memory under the cap, as the CPU
/// backend does: a column computed on the CPU past the cap is dropped, and its readers die.
#[test]
fn the_gpu_backend_keeps_host_values_under_the_cap() {
    use batt_engine::{evaluate, BackendChoice, Battery, EvalConfig};
    if open(1, 1000).is_none() {
        return;
    }
    batt_gpu::install();
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tasks: Vec<batt_dsl::task::Task> = batt_dsl::task::load(&root.join("data/arc-agi-1/training"))
        .tasks
        .into_iter()
        .filter(|t| t.id == "a416b8f3")
        .collect();
    // `hconcat` has no kernel: its column is host memory
    let src = batt_prog::parse_str(
        "def solve_a416b8f3(I):\n    x1 = hconcat(I, I)\n    O = identity(x1)\n    return O\n",
        "t.py",
    );
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
