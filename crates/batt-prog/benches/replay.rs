//! Replay speed of the shipped solvers on their own tasks' pairs (one thread).
//! `batt bench replay` measures the same on all threads and over every solver × pair.

use batt_dsl::{task, Ctx, Value};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::PathBuf;

fn replay(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let src = batt_prog::parse_file(&root.join("solvers/training.py"));
    let tasks = task::load(&root.join("data/arc-agi-1/training")).tasks;
    let mut jobs = vec![];
    for t in &tasks {
        let s = t.samples();
        for p in src.programs.iter().filter(|p| p.program.name == t.id) {
            for g in t.train.iter().map(|x| &x.input).chain(t.test.iter().map(|x| &x.input)) {
                jobs.push((&p.program, Value::Grid(g.clone()), s.clone()));
            }
        }
    }
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(jobs.len() as u64));
    group.bench_function("own-task-pairs", |b| {
        b.iter(|| jobs.iter().filter(|(p, i, s)| batt_prog::run(p, i, Some(s), &mut Ctx::default()).is_ok()).count())
    });
    group.finish();
}

criterion_group!(benches, replay);
criterion_main!(benches);
