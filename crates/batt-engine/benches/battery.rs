//! Battery evaluation speed: the shipped solvers and their variants grown to 3,000 lines,
//! over the demo pairs of 20 training tasks, on one thread (node evaluations per second).
//! `batt bench battery` measures the full setting (100 tasks, all threads).

use batt_dsl::task;
use batt_engine::{evaluate, EvalConfig};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn battery(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let progs: Vec<_> =
        batt_prog::parse_file(&root.join("solvers/training.py")).programs.into_iter().map(|p| p.program).collect();
    let tasks: Vec<_> = task::load(&root.join("data/arc-agi-1/training")).tasks.into_iter().take(20).collect();
    let b = batt_search::card::build(&progs, 3000);
    let cfg = EvalConfig { threads: 1, ..EvalConfig::default() };
    let evals = evaluate(&b, &tasks, &cfg, |_, _| {}).expect("thread pool").node_evals;
    let mut group = c.benchmark_group("battery");
    group.throughput(Throughput::Elements(evals));
    group.sample_size(10);
    group.bench_function("3000-lines-20-tasks-1-thread", |bch| {
        bch.iter(|| evaluate(&b, &tasks, &cfg, |_, _| {}).expect("thread pool").node_evals)
    });
    group.finish();
}

criterion_group!(benches, battery);
criterion_main!(benches);
