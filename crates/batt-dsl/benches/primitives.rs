//! Benchmarks of the hot primitives on real ARC-AGI-1 training grids: `objects` / `o_g` in all
//! eight modes, `fill`, `paint`, `mir_rot` in all eight modes, `crop`, `palette` and
//! `colorcount`. Each is measured through `Ctx::apply` (dispatch included) and, where a typed
//! helper exists, directly.
//!
//! `cargo bench -p batt-dsl --bench primitives -- --quick` for a fast run; a name filter
//! (`-- objects/30x30`) narrows it.

use batt_dsl::prims::ext::{mir_rot_grid, o_g_grid};
use batt_dsl::prims::grid::{crop_grid, fill_grid, objects_grid, paint_grid};
use batt_dsl::{Ctx, Grid, Prim, Value};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::PathBuf;
use std::time::Duration;

/// One grid of a training task: `task` file stem, `part` ("train"/"test"), pair index, side.
fn load(task: &str, part: &str, k: usize, side: &str) -> Grid {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1/training").join(format!("{task}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("task JSON");
    let rows = json[part][k][side].as_array().expect("grid rows");
    let h = rows.len();
    let w = rows[0].as_array().expect("row").len();
    let cells: Vec<i8> = rows
        .iter()
        .flat_map(|r| r.as_array().expect("row").iter().map(|v| v.as_i64().expect("colour") as i8))
        .collect();
    Grid::new(h, w, cells).expect("grid")
}

/// The grids measured, with a label: two 30 × 30 grids (sparse and dense) and typical sizes.
fn grids() -> Vec<(&'static str, Grid)> {
    vec![
        ("30x30-sparse", load("1f85a75f", "train", 0, "input")),
        ("30x30-dense", load("3631a71a", "train", 0, "input")),
        ("15x15", load("1190e5a7", "train", 0, "input")),
        ("10x10", load("00d62c1b", "train", 1, "input")),
    ]
}

fn prim(name: &str) -> Prim {
    Prim::by_name(name).unwrap_or_else(|| panic!("no primitive {name}"))
}

fn bench_objects(c: &mut Criterion) {
    let mut ctx = Ctx::new(u64::MAX);
    let o_g = prim("o_g");
    let objects = prim("objects");
    let mut group = c.benchmark_group("objects");
    for (label, g) in grids() {
        let gv = Value::Grid(g.clone());
        for k in 0..8u8 {
            group.bench_with_input(BenchmarkId::new(format!("typed/{label}"), k), &k, |b, &k| {
                b.iter(|| o_g_grid(black_box(&g), k).expect("o_g"))
            });
            group.bench_with_input(BenchmarkId::new(format!("apply-o_g/{label}"), k), &k, |b, &k| {
                let args = [gv.clone(), Value::Int(k as i32)];
                b.iter(|| ctx.apply(o_g, black_box(&args)).expect("o_g"))
            });
        }
        // the arc-dsl spelling, with boolean arguments (mode 5: univalued, without background)
        group.bench_function(BenchmarkId::new(format!("apply-objects/{label}"), "T,F,T"), |b| {
            let args = [gv.clone(), Value::Bool(true), Value::Bool(false), Value::Bool(true)];
            b.iter(|| ctx.apply(objects, black_box(&args)).expect("objects"))
        });
        group.bench_function(BenchmarkId::new(format!("typed-objects/{label}"), "T,F,T"), |b| {
            b.iter(|| objects_grid(black_box(&g), true, false, true).expect("objects"))
        });
    }
    group.finish();
}

fn bench_grid_ops(c: &mut Criterion) {
    let mut ctx = Ctx::new(u64::MAX);
    let (fill, paint, crop, mir_rot) = (prim("fill"), prim("paint"), prim("crop"), prim("mir_rot"));
    let (palette, colorcount) = (prim("palette"), prim("colorcount"));
    let mut group = c.benchmark_group("grid");
    for (label, g) in grids() {
        let gv = Value::Grid(g.clone());
        // the largest object of the grid (univalued, 8-connected, without background): a
        // patch to fill and an object to paint
        let objs = o_g_grid(&g, 7).expect("objects");
        let biggest = objs.items().expect("set").max_by_key(|o| o.len().unwrap_or(0)).expect("an object");
        let patch = biggest.as_patch().expect("patch");
        let cells = biggest.as_object().expect("object").to_vec();
        group.bench_function(BenchmarkId::new("fill/typed", label), |b| {
            b.iter(|| fill_grid(black_box(&g), 3, patch).expect("fill"))
        });
        group.bench_function(BenchmarkId::new("fill/apply", label), |b| {
            let args = [gv.clone(), Value::Int(3), biggest.clone()];
            b.iter(|| ctx.apply(fill, black_box(&args)).expect("fill"))
        });
        group.bench_function(BenchmarkId::new("paint/typed", label), |b| {
            b.iter(|| paint_grid(black_box(&g), &cells).expect("paint"))
        });
        group.bench_function(BenchmarkId::new("paint/apply", label), |b| {
            let args = [gv.clone(), biggest.clone()];
            b.iter(|| ctx.apply(paint, black_box(&args)).expect("paint"))
        });
        // the floor under every grid-building primitive: one allocation, copy and fingerprint
        group.bench_function(BenchmarkId::new("grid-new", label), |b| {
            let cells = g.to_vec();
            b.iter(|| Grid::new(g.h(), g.w(), black_box(cells.clone())).expect("grid"))
        });
        let dims = ((g.h() / 2) as i32, (g.w() / 2) as i32);
        group.bench_function(BenchmarkId::new("crop/typed", label), |b| {
            b.iter(|| crop_grid(black_box(&g), (1, 2), dims).expect("crop"))
        });
        group.bench_function(BenchmarkId::new("crop/apply", label), |b| {
            let args = [gv.clone(), Value::Pair(1, 2), Value::Pair(dims.0, dims.1)];
            b.iter(|| ctx.apply(crop, black_box(&args)).expect("crop"))
        });
        group.bench_function(BenchmarkId::new("palette/apply", label), |b| {
            let args = [gv.clone()];
            b.iter(|| ctx.apply(palette, black_box(&args)).expect("palette"))
        });
        group.bench_function(BenchmarkId::new("colorcount/apply", label), |b| {
            let args = [gv.clone(), Value::Int(0)];
            b.iter(|| ctx.apply(colorcount, black_box(&args)).expect("colorcount"))
        });
    }
    let (label, g) = &grids()[1];
    let gv = Value::Grid(g.clone());
    for k in 0..8u8 {
        group.bench_with_input(BenchmarkId::new(format!("mir_rot/typed/{label}"), k), &k, |b, &k| {
            b.iter(|| mir_rot_grid(black_box(g), k).expect("mir_rot"))
        });
        group.bench_with_input(BenchmarkId::new(format!("mir_rot/apply/{label}"), k), &k, |b, &k| {
            let args = [gv.clone(), Value::Int(k as i32)];
            b.iter(|| ctx.apply(mir_rot, black_box(&args)).expect("mir_rot"))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_objects, bench_grid_ops
}
criterion_main!(benches);
