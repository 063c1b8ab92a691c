//! The backend suite ([`batt_engine::testing`]) for the CPU backend: every default
//! `cargo test --workspace` runs it. batt-gpu runs the same suite for the GPU backend.

fn open(threads: usize, steps: u64) -> Option<batt_engine::backend::Workers> {
    Some(batt_engine::backend::cpu_workers(threads, steps))
}

batt_engine::backend_suite!(open);
