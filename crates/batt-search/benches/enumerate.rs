//! Enumeration speed at fixed work: every 25th training task searched to fixed budgets (terms,
//! depth; no clock), by the image tier and by the full menu, one thread. The same tasks and
//! budgets always do the same applications, so a change in time is a change in speed.

use batt_search::enumerate::{EnumConfig, TaskSearch};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn enumerate(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let tasks: Vec<_> =
        batt_dsl::task::load(&root.join("data/arc-agi-1/training")).tasks.into_iter().step_by(25).collect();
    let base = EnumConfig {
        depth: 4,
        time: Duration::from_secs(3600),
        max_terms: 1500,
        max_bytes: 64 << 20,
        stop_when_solved: false,
        ..EnumConfig::default()
    };
    let cfgs = [("image-tier", EnumConfig { image_only: true, ..base.clone() }), ("full-menu", base)];
    let mut group = c.benchmark_group("enumerate");
    group.sample_size(10);
    for (name, cfg) in &cfgs {
        let run = || {
            let mut apps = 0;
            for t in &tasks {
                let mut s = TaskSearch::new(t, cfg);
                while !s.done() && s.advance(Instant::now() + Duration::from_secs(3600)).is_ok() {}
                apps += s.applications();
            }
            apps
        };
        group.throughput(Throughput::Elements(run()));
        group.bench_function(*name, |b| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, enumerate);
criterion_main!(benches);
