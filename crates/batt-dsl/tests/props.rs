//! Algebraic laws of the primitives on random grids.
#![allow(clippy::cloned_ref_to_slice_refs)]

use batt_dsl::{Ctx, Grid, Prim, Value};
use proptest::prelude::*;

mod common;

fn call(name: &str, args: &[Value]) -> Value {
    let p = Prim::by_name(name).unwrap_or_else(|| panic!("no primitive {name}"));
    Ctx::default().apply(p, args).unwrap_or_else(|e| panic!("{name} failed: {e}"))
}

fn int(x: i32) -> Value {
    Value::Int(x)
}

fn grid_up_to(max: usize) -> impl Strategy<Value = Value> {
    common::grids(max, 10)
}

fn grid() -> impl Strategy<Value = Value> {
    grid_up_to(12)
}

fn dims(g: &Value) -> (usize, usize) {
    let g = g.as_grid().unwrap();
    (g.h(), g.w())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn rotations(g in grid()) {
        let r1 = call("rot90", &[g.clone()]);
        let r2 = call("rot90", &[r1.clone()]);
        let r4 = call("rot90", &[call("rot90", &[r2.clone()])]);
        prop_assert_eq!(&r4, &g);
        prop_assert_eq!(&r2, &call("rot180", &[g.clone()]));
        prop_assert_eq!(&call("rot270", &[r1.clone()]), &g);
        // rot90 is the transpose of the upside-down grid
        prop_assert_eq!(&call("dmirror", &[call("hmirror", &[g.clone()])]), &r1);
    }

    #[test]
    fn mirrors_are_involutions(g in grid()) {
        for m in ["hmirror", "vmirror", "dmirror", "cmirror"] {
            prop_assert_eq!(&call(m, &[call(m, &[g.clone()])]), &g, "{}", m);
        }
        // mir_rot enumerates the same eight symmetries
        let names = ["hmirror", "dmirror", "vmirror", "cmirror", "rot90", "rot180", "rot270"];
        for (k, m) in names.iter().enumerate() {
            prop_assert_eq!(&call("mir_rot", &[g.clone(), int(k as i32)]), &call(m, &[g.clone()]));
        }
        prop_assert_eq!(&call("mir_rot", &[g.clone(), int(7)]), &g);
    }

    #[test]
    fn patch_mirrors_are_involutions(g in grid()) {
        let objs = call("objects", &[g.clone(), Value::Bool(true), Value::Bool(false), Value::Bool(true)]);
        for obj in objs.items().unwrap() {
            for m in ["hmirror", "vmirror", "dmirror", "cmirror"] {
                prop_assert_eq!(&call(m, &[call(m, &[obj.clone()])]), &obj, "{}", m);
                let ix = call("toindices", &[obj.clone()]);
                prop_assert_eq!(&call(m, &[call(m, &[ix.clone()])]), &ix, "{}", m);
            }
        }
    }

    #[test]
    fn objects_partition_the_foreground(g in grid(), k in 0..8i32) {
        let univalued = k & 4 != 0;
        let without_bg = k & 1 != 0;
        let objs = call("o_g", &[g.clone(), int(k)]);
        let bg = call("mostcolor", &[g.clone()]).as_int().unwrap();
        let gr = g.as_grid().unwrap().clone();
        let mut seen = vec![false; gr.h() * gr.w()];
        for obj in objs.items().unwrap() {
            let cells = obj.as_object().unwrap();
            prop_assert!(!cells.is_empty());
            let c0 = cells[0].color();
            for c in cells {
                let (v, i, j) = c.parts();
                prop_assert_eq!(gr.at(i, j), Some(v as i8), "cell colour is the grid's");
                prop_assert!(!seen[i as usize * gr.w() + j as usize], "objects overlap");
                seen[i as usize * gr.w() + j as usize] = true;
                if univalued { prop_assert_eq!(v, c0); }
                if without_bg { prop_assert_ne!(v, bg); }
            }
        }
        for i in 0..gr.h() {
            for j in 0..gr.w() {
                let covered = seen[i * gr.w() + j];
                let bgcell = gr.get(i, j) as i32 == bg;
                prop_assert_eq!(covered, !(without_bg && bgcell), "cell ({}, {})", i, j);
            }
        }
    }

    #[test]
    fn partition_covers_the_grid(g in grid()) {
        let parts = call("partition", &[g.clone()]);
        prop_assert_eq!(parts.len().unwrap(), call("numcolors", &[g.clone()]).as_int().unwrap() as usize);
        prop_assert_eq!(&call("merge", &[parts]), &call("asobject", &[g.clone()]));
        let total: i32 = call("palette", &[g.clone()])
            .items().unwrap()
            .map(|c| call("colorcount", &[g.clone(), c]).as_int().unwrap())
            .sum();
        let (h, w) = dims(&g);
        prop_assert_eq!(total as usize, h * w);
    }

    #[test]
    fn fill_paint_crop(g in grid(), c in 0..10i32) {
        let shape = call("shape", &[g.clone()]);
        prop_assert_eq!(&call("fill", &[g.clone(), int(c), call("asindices", &[g.clone()])]), &call("canvas", &[int(c), shape.clone()]));
        let blank = call("canvas", &[int(c), shape.clone()]);
        prop_assert_eq!(&call("paint", &[blank, call("asobject", &[g.clone()])]), &g);
        prop_assert_eq!(&call("crop", &[g.clone(), Value::Pair(0, 0), shape]), &g);
        prop_assert_eq!(&call("subgrid", &[call("asindices", &[g.clone()]), g.clone()]), &g);
        prop_assert_eq!(&call("switch", &[call("switch", &[g.clone(), int(c), int(0)]), int(c), int(0)]), &g);
    }

    #[test]
    fn scaling_and_halves(g in grid(), f in 1..4i32) {
        let up = call("upscale", &[g.clone(), int(f)]);
        prop_assert_eq!(&call("downscale", &[up.clone(), int(f)]), &g);
        prop_assert_eq!(&call("hupscale", &[call("vupscale", &[g.clone(), int(f)]), int(f)]), &up);
        let (h, w) = dims(&g);
        if w % 2 == 0 {
            prop_assert_eq!(&call("hconcat", &[call("lefthalf", &[g.clone()]), call("righthalf", &[g.clone()])]), &g);
        }
        if h % 2 == 0 {
            prop_assert_eq!(&call("vconcat", &[call("tophalf", &[g.clone()]), call("bottomhalf", &[g.clone()])]), &g);
        }
    }

    #[test]
    fn shifts_and_objects_round_trip(g in grid(), di in -5..5i32, dj in -5..5i32) {
        let objs = call("objects", &[g.clone(), Value::Bool(false), Value::Bool(true), Value::Bool(true)]);
        for obj in objs.items().unwrap() {
            let moved = call("shift", &[obj.clone(), Value::Pair(di, dj)]);
            prop_assert_eq!(&call("shift", &[moved.clone(), Value::Pair(-di, -dj)]), &obj);
            prop_assert_eq!(&call("normalize", &[moved]), &call("normalize", &[obj.clone()]));
            prop_assert_eq!(&call("toobject", &[call("toindices", &[obj.clone()]), g.clone()]), &obj);
            let occ = call("occurrences", &[g.clone(), obj.clone()]);
            prop_assert!(occ.contains(&call("ulcorner", &[obj.clone()])).unwrap());
        }
    }

    #[test]
    fn set_algebra(g in grid(), c1 in 0..10i32, c2 in 0..10i32) {
        let a = call("ofcolor", &[g.clone(), int(c1)]);
        let b = call("difference", &[call("asindices", &[g.clone()]), call("ofcolor", &[g.clone(), int(c2)])]);
        let i = call("intersection", &[a.clone(), b.clone()]);
        let d = call("difference", &[a.clone(), b.clone()]);
        let u = call("combine", &[i.clone(), d.clone()]);
        prop_assert_eq!(&u, &a);
        prop_assert!(call("intersection", &[d, b.clone()]).is_empty().unwrap());
        for x in i.items().unwrap() {
            prop_assert!(a.contains(&x).unwrap() && b.contains(&x).unwrap());
        }
    }

    #[test]
    fn sets_are_canonical_whatever_the_order(mut xs in proptest::collection::vec((-40..40i32, -40..40i32), 0..40), seed in any::<u64>()) {
        let v = Value::set(xs.iter().map(|&(i, j)| Value::Pair(i, j)).collect()).unwrap();
        // a deterministic shuffle
        let mut s = seed | 1;
        for k in (1..xs.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            xs.swap(k, (s % (k as u64 + 1)) as usize);
        }
        let w = Value::set(xs.iter().map(|&(i, j)| Value::Pair(i, j)).collect()).unwrap();
        prop_assert_eq!(&v, &w);
        prop_assert_eq!(v.fp(), w.fp());
        // stored order is the text order of the elements
        let texts: Vec<String> = v.items().unwrap().map(|x| x.canon_text()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        prop_assert_eq!(texts, sorted);
    }
}

#[test]
fn large_grids_objects_partition() {
    // a 30 × 30 grid exercises the full range of packed coordinates used by ARC
    let mut cells = vec![0i8; 900];
    for (k, c) in cells.iter_mut().enumerate() {
        *c = ((k * 7 + k / 30 * 3) % 4) as i8;
    }
    let g = Value::Grid(Grid::new(30, 30, cells).unwrap());
    for k in 0..8 {
        let objs = call("o_g", &[g.clone(), int(k)]);
        let n: usize = objs.items().unwrap().map(|o| o.len().unwrap()).sum();
        let bg = call("colorcount", &[g.clone(), call("mostcolor", &[g.clone()])]).as_int().unwrap() as usize;
        assert_eq!(n, if k & 1 != 0 { 900 - bg } else { 900 }, "mode {k}");
    }
}

/// Random nested DSL values: integers across digit-count boundaries, pairs, cells, grids,
/// tuples and sets of any of these, and function values.
fn value() -> impl Strategy<Value = Value> {
    let int = prop_oneof![-15..15i32, -120..150i32];
    let leaf = prop_oneof![
        int.clone().prop_map(Value::Int),
        (int.clone(), int.clone()).prop_map(|(a, b)| Value::Pair(a, b)),
        (0..10i32, -12..31i32, -12..31i32).prop_map(|(c, i, j)| Value::Cell(batt_dsl::Cell::new(c, i, j).unwrap())),
        grid_up_to(3),
        proptest::collection::vec(int, 0..4).prop_map(Value::int_tuple),
        prop_oneof![Just("rot90"), Just("size"), Just("first"), Just("hmirror")]
            .prop_map(|n| Value::prim(Prim::by_name(n).unwrap())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|v| Value::tuple(v).unwrap()),
            proptest::collection::vec(inner.clone(), 0..4).prop_filter_map("packable", |v| Value::set(v).ok()),
            // a built function value: compose(size, x)
            inner.prop_map(|x| call("compose", &[Value::prim(Prim::by_name("size").unwrap()), x])),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    /// The structural comparator is exactly the byte order of the compact JSON texts.
    #[test]
    fn canonical_order_is_text_order(a in value(), b in value()) {
        let by_text = a.canon_text().cmp(&b.canon_text());
        prop_assert_eq!(batt_dsl::value::canon_cmp(&a, &b), by_text, "{} vs {}", a.canon_text(), b.canon_text());
    }
}

/// `mapply` of a location function over a set of locations, computed the slow way: one call
/// per location (each one step), the results merged into one set; failures and budget as
/// that loop meets them.
fn mapply_by_hand(f: &str, locs: &Value, steps: u64) -> Result<Value, String> {
    let p = Prim::by_name(f).unwrap();
    let mut ctx = Ctx::new(steps);
    let mut all = Vec::new();
    for loc in locs.items().unwrap() {
        match ctx.apply(p, &[loc]) {
            Ok(Value::Indices(s)) => all.extend_from_slice(&s),
            Ok(v) => return Err(format!("{f} gave {v:?}")),
            Err(e) => return Err(format!("{e}")),
        }
    }
    Ok(Value::indices(all))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// `mapply` of a neighbourhood or frontier function over locations (near the grid, far
    /// apart, or at the edge of the packed domain) is the union of the calls, with the same
    /// failures and the same budget.
    #[test]
    fn mapply_of_location_functions_is_the_union_of_the_calls(
        near in proptest::collection::vec((-3..33i32, -3..33i32), 0..60),
        far in proptest::collection::vec((-512..512i32, -512..512i32), 0..3),
        f in 0..5usize,
        steps in 1..80u64,
    ) {
        let name = ["neighbors", "dneighbors", "ineighbors", "hfrontier", "vfrontier"][f];
        let locs = Value::indices(near.iter().chain(&far).filter_map(|&(i, j)| batt_dsl::pack::Loc::new(i, j)).collect());
        let p = Prim::by_name("mapply").unwrap();
        let got = Ctx::new(steps + 1).apply(p, &[Value::prim(Prim::by_name(name).unwrap()), locs.clone()]).map_err(|e| format!("{e}"));
        prop_assert_eq!(got, mapply_by_hand(name, &locs, steps));
    }
}
