//! Laws of batt's whole-image steps (crates/batt-dsl/src/prims/image.rs, definitions in
//! golden/README.md, section "image.jsonl") on random grids, checked against each other and
//! against arc-dsl primitives that do part of the same job.
#![allow(clippy::cloned_ref_to_slice_refs)]

use batt_dsl::{Ctx, Fail, Grid, Prim, Res, Value};
use proptest::prelude::*;

mod common;

fn try_call(name: &str, args: &[Value]) -> Res<Value> {
    let p = Prim::by_name(name).unwrap_or_else(|| panic!("no primitive {name}"));
    Ctx::default().apply(p, args)
}

fn call(name: &str, args: &[Value]) -> Value {
    try_call(name, args).unwrap_or_else(|e| panic!("{name} failed: {e}"))
}

fn int(x: i32) -> Value {
    Value::Int(x)
}

fn pair(h: usize, w: usize) -> Value {
    Value::Pair(h as i32, w as i32)
}

fn tuple(gs: Vec<Value>) -> Value {
    Value::tuple(gs).expect("a tuple of grids")
}

fn gr(v: &Value) -> &Grid {
    v.as_grid().expect("a grid")
}

fn dims(v: &Value) -> (usize, usize) {
    (gr(v).h(), gr(v).w())
}

fn parts(v: &Value) -> Vec<Value> {
    v.items().expect("a tuple").collect()
}

/// How many cells hold each non-zero colour.
fn counts(g: &Grid) -> Vec<(i8, usize)> {
    let mut n = std::collections::BTreeMap::new();
    for &c in g.cells().iter().filter(|&&c| c != 0) {
        *n.entry(c).or_insert(0) += 1;
    }
    n.into_iter().collect()
}

fn grid_up_to(max: usize) -> impl Strategy<Value = Value> {
    common::grids(max, 6)
}

fn grid() -> impl Strategy<Value = Value> {
    grid_up_to(8)
}

/// 1..=4 random grids of one shape.
fn same_shape_grids() -> impl Strategy<Value = Vec<Value>> {
    (1..=6usize, 1..=6usize, 1..=4usize).prop_flat_map(|(h, w, n)| {
        proptest::collection::vec(
            proptest::collection::vec(0..5i8, h * w).prop_map(move |c| Value::Grid(Grid::new(h, w, c).unwrap())),
            n,
        )
    })
}

/// The grid's cell `(i, j)`.
fn at(v: &Value, i: usize, j: usize) -> i8 {
    gr(v).get(i, j)
}

const SAME_SHAPE: &[(&str, &[i32])] = &[
    ("keep_colour", &[0, 1, 2, 9]),
    ("recolour_fg", &[0, 1, 7]),
    ("fill_holes", &[0, 3, 8]),
    ("halo", &[0, 3, 8]),
    ("smear", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    ("gravity", &[0, 1, 2, 3]),
    ("join_lines", &[0, 1, 2, 3, 4]),
    ("mirror_complete", &[0, 1, 2]),
];

/// The steps that only ever write into 0 cells.
const ONLY_ZEROS: &[(&str, &[i32])] = &[
    ("fill_holes", &[3, 8]),
    ("halo", &[3, 8]),
    ("smear", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
    ("join_lines", &[0, 1, 2, 3, 4]),
    ("mirror_complete", &[0, 1, 2]),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn crop_fg_is_tight_and_keeps_every_colour(g in grid()) {
        let gg = gr(&g);
        match try_call("crop_fg", &[g.clone()]) {
            Err(e) => {
                prop_assert!(gg.cells().iter().all(|&c| c == 0), "failed on a grid with content: {}", e);
            }
            Ok(c) => {
                let cg = gr(&c);
                let (h, w) = (cg.h(), cg.w());
                prop_assert!(h <= gg.h() && w <= gg.w());
                prop_assert!(cg.row(0).iter().any(|&x| x != 0), "top row all 0");
                prop_assert!(cg.row(h - 1).iter().any(|&x| x != 0), "bottom row all 0");
                prop_assert!((0..h).any(|i| cg.get(i, 0) != 0), "left column all 0");
                prop_assert!((0..h).any(|i| cg.get(i, w - 1) != 0), "right column all 0");
                prop_assert_eq!(counts(cg), counts(gg));
                prop_assert_eq!(&call("crop_fg", &[c.clone()]), &c, "idempotent");
            }
        }
    }

    /// `halo` is its definition: each 0 cell with a non-zero cell among its 8 neighbours set
    /// to the colour, every other cell kept.
    #[test]
    fn halo_is_its_definition(g in grid(), c in 1..10i32) {
        let (h, w) = dims(&g);
        let out = call("halo", &[g.clone(), int(c)]);
        for i in 0..h {
            for j in 0..w {
                let near = (i.saturating_sub(1)..(i + 2).min(h))
                    .any(|y| (j.saturating_sub(1)..(j + 2).min(w)).any(|x| at(&g, y, x) != 0));
                let want = if at(&g, i, j) == 0 && near { c as i8 } else { at(&g, i, j) };
                prop_assert_eq!(at(&out, i, j), want, "({}, {})", i, j);
            }
        }
    }

    /// The search skips the other colours of these steps once one (not 0) changes nothing.
    #[test]
    fn steps_that_set_zero_cells_change_the_same_cells_whatever_the_colour(g in grid()) {
        for name in ["fill_holes", "halo", "box_fill"] {
            let changed = |c: i32| {
                let out = call(name, &[g.clone(), int(c)]);
                gr(&out).cells().iter().zip(gr(&g).cells()).map(|(a, b)| a != b).collect::<Vec<_>>()
            };
            let first = changed(1);
            for c in 2..10 {
                prop_assert_eq!(&changed(c), &first, "{}({})", name, c);
            }
        }
    }

    #[test]
    fn colour_steps_keep_the_shape(g in grid()) {
        for &(name, ks) in SAME_SHAPE {
            for &k in ks {
                let out = call(name, &[g.clone(), int(k)]);
                prop_assert_eq!(dims(&out), dims(&g), "{}({})", name, k);
            }
        }
        let (h, w) = dims(&g);
        let diag = try_call("mirror_complete", &[g.clone(), int(3)]);
        if h == w {
            prop_assert_eq!(dims(&diag.unwrap()), (h, w));
        } else {
            prop_assert_eq!(diag, Err(Fail::Domain("diagonal symmetry of a grid that is not square")));
        }
    }

    #[test]
    fn completions_never_change_a_non_zero_cell(g in grid()) {
        let (h, w) = dims(&g);
        for &(name, ks) in ONLY_ZEROS {
            for &k in ks {
                let out = call(name, &[g.clone(), int(k)]);
                for i in 0..h {
                    for j in 0..w {
                        if at(&g, i, j) != 0 {
                            prop_assert_eq!(at(&out, i, j), at(&g, i, j), "{}({}) at ({}, {})", name, k, i, j);
                        }
                    }
                }
            }
        }
        // and with colour 0 the fills change nothing at all
        for name in ["fill_holes", "halo"] {
            prop_assert_eq!(&call(name, &[g.clone(), int(0)]), &g, "{}(g, 0)", name);
        }
    }

    #[test]
    fn colour_filters_partition_the_content(g in grid(), c in 1..6i32) {
        // keep_colour over every colour, overlaid, is the grid
        let colours: Vec<i8> = counts(gr(&g)).into_iter().map(|(c, _)| c).collect();
        if !colours.is_empty() {
            let layers = colours.iter().map(|&c| call("keep_colour", &[g.clone(), int(c as i32)])).collect();
            prop_assert_eq!(&call("overlay_all", &[tuple(layers)]), &g);
        }
        // recolour_fg then keep_colour of that colour is recolour_fg
        let r = call("recolour_fg", &[g.clone(), int(c)]);
        prop_assert_eq!(&call("keep_colour", &[r.clone(), int(c)]), &r);
        prop_assert_eq!(gr(&r).cells().iter().filter(|&&x| x != 0).count(),
            gr(&g).cells().iter().filter(|&&x| x != 0).count());
    }

    #[test]
    fn fill_holes_leaves_no_hole(g in grid(), c in 1..9i32, d in 1..9i32) {
        let once = call("fill_holes", &[g.clone(), int(c)]);
        prop_assert_eq!(&call("fill_holes", &[once.clone(), int(d)]), &once);
        // a grid of one row or column has no hole
        let (h, w) = dims(&g);
        if h <= 2 || w <= 2 {
            prop_assert_eq!(&once, &g);
        }
    }

    #[test]
    fn gravity_moves_cells_along_their_lines(g in grid(), k in 0..4i32) {
        let out = call("gravity", &[g.clone(), int(k)]);
        let (h, w) = dims(&g);
        let line = |v: &Value, n: usize| -> Vec<i8> {
            if k < 2 { (0..h).map(|i| at(v, i, n)).collect() } else { (0..w).map(|j| at(v, n, j)).collect() }
        };
        for n in 0..(if k < 2 { w } else { h }) {
            let (before, after) = (line(&g, n), line(&out, n));
            let content = |l: &[i8]| l.iter().copied().filter(|&c| c != 0).collect::<Vec<_>>();
            prop_assert_eq!(content(&after), content(&before), "content and its order kept");
            // the content is packed at the far end
            let m = content(&before).len();
            let len = after.len();
            let packed = if k == 0 || k == 2 { &after[len - m..] } else { &after[..m] };
            prop_assert!(packed.iter().all(|&c| c != 0), "line {} not packed: {:?}", n, after);
        }
        prop_assert_eq!(&call("gravity", &[out.clone(), int(k)]), &out, "idempotent");
    }

    #[test]
    fn joins_and_completions_are_idempotent(g in grid(), k in 0..2i32, s in 0..4i32) {
        let j = call("join_lines", &[g.clone(), int(k)]);
        prop_assert_eq!(&call("join_lines", &[j.clone(), int(k)]), &j);
        if let Ok(m) = try_call("mirror_complete", &[g.clone(), int(s)]) {
            prop_assert_eq!(&call("mirror_complete", &[m.clone(), int(s)]), &m);
        }
        // a left-right completion is symmetric wherever a cell or its mirror was non-zero
        let m = call("mirror_complete", &[g.clone(), int(0)]);
        let (h, w) = dims(&g);
        for i in 0..h {
            for jj in 0..w {
                let (a, b) = (at(&g, i, jj), at(&g, i, w - 1 - jj));
                if a == 0 || b == 0 {
                    prop_assert_eq!(at(&m, i, jj), at(&m, i, w - 1 - jj));
                }
            }
        }
    }

    #[test]
    fn tilings_of_the_grid_s_own_shape(g in grid()) {
        let (h, w) = dims(&g);
        for name in ["tile", "mirror_tile", "embed", "scale_to"] {
            prop_assert_eq!(&call(name, &[g.clone(), pair(h, w)]), &g, "{}", name);
        }
        // two copies: concatenations, plain or mirrored
        prop_assert_eq!(&call("tile", &[g.clone(), pair(h, 2 * w)]), &call("hconcat", &[g.clone(), g.clone()]));
        prop_assert_eq!(&call("tile", &[g.clone(), pair(2 * h, w)]), &call("vconcat", &[g.clone(), g.clone()]));
        prop_assert_eq!(&call("mirror_tile", &[g.clone(), pair(h, 2 * w)]),
            &call("hconcat", &[g.clone(), call("vmirror", &[g.clone()])]));
        prop_assert_eq!(&call("mirror_tile", &[g.clone(), pair(2 * h, w)]),
            &call("vconcat", &[g.clone(), call("hmirror", &[g.clone()])]));
    }

    #[test]
    fn tile_and_embed_cut_back_to_the_grid(g in grid(), a in 0..5usize, b in 0..5usize) {
        let (h, w) = dims(&g);
        let back = |big: Value| call("crop", &[big, Value::Pair(0, 0), pair(h, w)]);
        for name in ["tile", "mirror_tile", "embed"] {
            prop_assert_eq!(&back(call(name, &[g.clone(), pair(h + a, w + b)])), &g, "{}", name);
        }
        // embed fills the rest with 0
        let e = call("embed", &[g.clone(), pair(h + a, w + b)]);
        prop_assert_eq!(counts(gr(&e)), counts(gr(&g)));
    }

    #[test]
    fn scale_to_is_upscale(g in grid(), f in 1..4usize) {
        let (h, w) = dims(&g);
        prop_assert_eq!(&call("scale_to", &[g.clone(), pair(2 * h, 2 * w)]), &call("upscale", &[g.clone(), int(2)]));
        prop_assert_eq!(&call("scale_to", &[g.clone(), pair(h, f * w)]), &call("hupscale", &[g.clone(), int(f as i32)]));
        prop_assert_eq!(&call("scale_to", &[g.clone(), pair(f * h, w)]), &call("vupscale", &[g.clone(), int(f as i32)]));
        // and dedup undoes it wherever g had no repeated neighbours to begin with
        let up = call("upscale", &[g.clone(), int(f as i32)]);
        prop_assert_eq!(&call("dedup", &[up]), &call("dedup", &[g.clone()]));
        if h > 1 {
            prop_assert!(try_call("scale_to", &[g.clone(), pair(h + 1, w)]).is_err(), "not a multiple");
        }
    }

    #[test]
    fn dedup_leaves_no_equal_neighbours(g in grid()) {
        let d = call("dedup", &[g.clone()]);
        let dg = gr(&d);
        for i in 1..dg.h() {
            prop_assert_ne!(dg.row(i), dg.row(i - 1));
        }
        let col = |j: usize| (0..dg.h()).map(|i| dg.get(i, j)).collect::<Vec<_>>();
        for j in 1..dg.w() {
            prop_assert_ne!(col(j), col(j - 1));
        }
        prop_assert_eq!(&call("dedup", &[d.clone()]), &d, "idempotent");
    }

    #[test]
    fn self_tile_blocks(g in grid_up_to(5)) {
        let (h, w) = dims(&g);
        let t = call("self_tile", &[g.clone()]);
        prop_assert_eq!(dims(&t), (h * h, w * w));
        for bi in 0..h {
            for bj in 0..w {
                let block = call("crop", &[t.clone(), pair(bi * h, bj * w), pair(h, w)]);
                if at(&g, bi, bj) != 0 {
                    prop_assert_eq!(&block, &g);
                } else {
                    prop_assert!(gr(&block).cells().iter().all(|&c| c == 0));
                }
            }
        }
    }

    #[test]
    fn overlays_and_votes(gs in same_shape_grids()) {
        let t = tuple(gs.clone());
        let first = &gs[0];
        prop_assert_eq!(&call("overlay_all", &[tuple(vec![first.clone()])]), first);
        prop_assert_eq!(&call("majority", &[tuple(vec![first.clone()])]), first);
        // overlay_all is overlay folded left
        let mut acc = first.clone();
        for g in &gs[1..] {
            acc = call("overlay", &[acc, g.clone()]);
        }
        prop_assert_eq!(&call("overlay_all", &[t.clone()]), &acc);
        // a grid given twice out of three wins every vote
        let other = gs.last().unwrap().clone();
        prop_assert_eq!(&call("majority", &[tuple(vec![other, first.clone(), first.clone()])]), first);
        // pick 6 and 7 are the first and the last; the others pick one of the grids
        prop_assert_eq!(&call("pick", &[t.clone(), int(6)]), first);
        prop_assert_eq!(&call("pick", &[t.clone(), int(7)]), gs.last().unwrap());
        for k in 0..=10 {
            if let Ok(p) = try_call("pick", &[t.clone(), int(k)]) {
                prop_assert!(gs.contains(&p), "pick {} gave a grid not in the tuple", k);
            } else {
                prop_assert!(k >= 8, "pick {} failed on a non-empty tuple", k);
            }
        }
        // stacking: sides add up, and the parts are where they were put
        let (h, w) = dims(first);
        let n = gs.len();
        let side = call("stack", &[t.clone(), int(0)]);
        let tall = call("stack", &[t.clone(), int(1)]);
        prop_assert_eq!(dims(&side), (h, n * w));
        prop_assert_eq!(dims(&tall), (n * h, w));
        for (m, g) in gs.iter().enumerate() {
            prop_assert_eq!(&call("crop", &[side.clone(), pair(0, m * w), pair(h, w)]), g);
            prop_assert_eq!(&call("crop", &[tall.clone(), pair(m * h, 0), pair(h, w)]), g);
        }
    }

    #[test]
    fn pick_criteria_choose_the_extreme(gs in proptest::collection::vec(grid_up_to(5), 1..5)) {
        let t = tuple(gs.clone());
        let nz = |g: &Value| gr(g).cells().iter().filter(|&&c| c != 0).count();
        let area = |g: &Value| gr(g).h() * gr(g).w();
        let first_max = |key: &dyn Fn(&Value) -> i64| {
            let top = gs.iter().map(key).max().unwrap();
            gs.iter().find(|g| key(g) == top).unwrap().clone()
        };
        prop_assert_eq!(call("pick", &[t.clone(), int(0)]), first_max(&|g| nz(g) as i64));
        prop_assert_eq!(call("pick", &[t.clone(), int(1)]), first_max(&|g| -(nz(g) as i64)));
        prop_assert_eq!(call("pick", &[t.clone(), int(2)]), first_max(&|g| area(g) as i64));
        prop_assert_eq!(call("pick", &[t.clone(), int(3)]), first_max(&|g| -(area(g) as i64)));
        prop_assert_eq!(call("pick", &[t.clone(), int(4)]), first_max(&|g| counts(gr(g)).len() as i64));
        prop_assert_eq!(call("pick", &[t.clone(), int(5)]), first_max(&|g| -(counts(gr(g)).len() as i64)));
        // the only grid equal to no other: whenever one grid differs and the rest agree
        if gs.len() >= 3 {
            let odd = gs[0].clone();
            let same = gs[1].clone();
            if odd != same {
                let t = tuple(vec![same.clone(), odd.clone(), same.clone()]);
                prop_assert_eq!(call("pick", &[t, int(8)]), odd);
            }
        }
    }

    #[test]
    fn splits_cover_the_content(g in grid(), k in 0..8i32) {
        // split_colours: one part per colour, each of one colour, with every cell of it
        match try_call("split_colours", &[g.clone()]) {
            Err(_) => prop_assert!(counts(gr(&g)).is_empty()),
            Ok(t) => {
                let ps = parts(&t);
                let cs = counts(gr(&g));
                prop_assert_eq!(ps.len(), cs.len());
                for (p, want) in ps.iter().zip(&cs) {
                    prop_assert_eq!(counts(gr(p)), vec![*want]);
                    prop_assert_eq!(&call("crop_fg", &[p.clone()]), p, "a part is its colour's box");
                }
            }
        }
        // split_objs: one part per object of o_g, each of its object's box
        let objs = call("o_g", &[g.clone(), int(k)]);
        match try_call("split_objs", &[g.clone(), int(k)]) {
            Err(_) => prop_assert_eq!(objs.len().unwrap(), 0),
            Ok(t) => {
                let ps = parts(&t);
                prop_assert_eq!(ps.len(), objs.len().unwrap());
                let mut boxes: Vec<(i32, i32, i32, i32)> = objs.items().unwrap().map(|o| {
                    let (i, j) = call("ulcorner", &[o.clone()]).as_pair().unwrap();
                    let (h, w) = call("shape", &[o]).as_pair().unwrap();
                    (i, j, h, w)
                }).collect();
                boxes.sort_by_key(|&(i, j, _, _)| (i, j));
                let mut got: Vec<(usize, usize)> = ps.iter().map(dims).collect();
                let mut want: Vec<(usize, usize)> = boxes.iter().map(|&(_, _, h, w)| (h as usize, w as usize)).collect();
                got.sort();
                want.sort();
                prop_assert_eq!(got, want, "part shapes are the objects' boxes");
                // when 0 is the background, the parts hold the content exactly once
                if k & 1 == 1 && call("mostcolor", &[g.clone()]) == int(0) {
                    let total: usize = ps.iter().map(|p| gr(p).cells().iter().filter(|&&c| c != 0).count()).sum();
                    prop_assert_eq!(total, gr(&g).cells().iter().filter(|&&c| c != 0).count());
                }
            }
        }
    }

    /// `split_objs` is, exactly, each object of `o_g` painted alone on a 0 grid of its box,
    /// ordered by the top-left corner of the box (ties in `o_g`'s order).
    #[test]
    fn split_objs_is_each_object_of_o_g_on_its_box(g in grid_up_to(9), k in 0..8i32) {
        let objs = call("o_g", &[g.clone(), int(k)]);
        let mut want: Vec<((i32, i32), Value)> = objs.items().unwrap().map(|o| {
            let at = call("ulcorner", &[o.clone()]).as_pair().unwrap();
            let blank = call("canvas", &[int(0), call("shape", &[o.clone()])]);
            (at, call("paint", &[blank, call("normalize", &[o])]))
        }).collect();
        want.sort_by_key(|(at, _)| *at);
        let want: Vec<Value> = want.into_iter().map(|(_, p)| p).collect();
        match try_call("split_objs", &[g.clone(), int(k)]) {
            Err(_) => prop_assert!(want.is_empty()),
            Ok(t) => prop_assert_eq!(parts(&t), want),
        }
    }

    #[test]
    fn panels_split_where_they_were_stacked(
        a in proptest::collection::vec(0..5i8, 9), b in proptest::collection::vec(0..5i8, 9), across in any::<bool>()
    ) {
        // two 3 × 3 panels with a line of 9 between them, side by side or one above the other;
        // panels with a uniform line of their own are left out (they could outnumber the 9s)
        let pa = Value::Grid(Grid::new(3, 3, a).unwrap());
        let pb = Value::Grid(Grid::new(3, 3, b).unwrap());
        let uniform_line = |p: &Value| {
            let g = gr(p);
            (0..3).any(|i| g.row(i).iter().all(|&c| c == g.get(i, 0)))
                || (0..3).any(|j| (0..3).all(|i| g.get(i, j) == g.get(0, j)))
        };
        prop_assume!(!uniform_line(&pa) && !uniform_line(&pb));
        let (k, sep) = if across { (0, pair(3, 1)) } else { (1, pair(1, 3)) };
        let line = call("canvas", &[int(9), sep]);
        let whole = call("stack", &[tuple(vec![pa.clone(), line, pb.clone()]), int(k)]);
        let split = call("split_panels", &[whole]);
        prop_assert_eq!(parts(&split), vec![pa.clone(), pb.clone()]);
        prop_assert_eq!(call("stack", &[split, int(k)]), call("stack", &[tuple(vec![pa, pb]), int(k)]));
    }

    #[test]
    fn count_row_counts_the_content(g in grid()) {
        let n = gr(&g).cells().iter().filter(|&&c| c != 0).count();
        match try_call("count_row", &[g.clone()]) {
            Err(_) => prop_assert_eq!(n, 0),
            Ok(r) => {
                prop_assert_eq!(dims(&r), (1, n));
                let top = counts(gr(&g)).into_iter().map(|(_, m)| m).max().unwrap();
                let c = at(&r, 0, 0);
                prop_assert_eq!(counts(gr(&r)), vec![(c, n)]);
                prop_assert_eq!(counts(gr(&g)).into_iter().find(|&(x, _)| x == c).map(|(_, m)| m), Some(top));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// `inner` recolours only non-zero cells away from the border, to `c`, and a second
    /// `inner` changes nothing more.
    #[test]
    fn inner_changes_only_cells_inside_content(g in grid(), c in 1..9i32) {
        let r = call("inner", &[g.clone(), int(c)]);
        let (h, w) = dims(&g);
        for i in 0..h {
            for j in 0..w {
                let (x, y) = (at(&g, i, j), at(&r, i, j));
                if x != y {
                    prop_assert!(x != 0 && i > 0 && j > 0 && i + 1 < h && j + 1 < w);
                    prop_assert_eq!(y, c as i8);
                }
            }
        }
        prop_assert_eq!(call("inner", &[r.clone(), int(c)]), r);
    }

    /// `drop_small` only clears cells, never what it keeps, and keeps nothing smaller than `n`.
    #[test]
    fn drop_small_clears_whole_small_groups(g in grid(), n in 0..5i32) {
        let r = call("drop_small", &[g.clone(), int(n)]);
        let (h, w) = dims(&g);
        for i in 0..h {
            for j in 0..w {
                prop_assert!(at(&r, i, j) == at(&g, i, j) || at(&r, i, j) == 0);
            }
        }
        prop_assert_eq!(call("drop_small", &[r.clone(), int(n)]), r.clone());
        prop_assert_eq!(call("drop_small", &[g.clone(), int(0)]), g);
    }

    /// `recolour_nearest` changes only cells of `c`, to colours the grid has elsewhere, and a
    /// grid with one other colour is recoloured wholly into it.
    #[test]
    fn recolour_nearest_takes_colours_from_the_grid(g in grid(), c in 1..6i32) {
        let r = call("recolour_nearest", &[g.clone(), int(c)]);
        let others: Vec<i8> = counts(gr(&g)).into_iter().map(|(x, _)| x).filter(|&x| x != c as i8).collect();
        let (h, w) = dims(&g);
        for i in 0..h {
            for j in 0..w {
                let (x, y) = (at(&g, i, j), at(&r, i, j));
                if x != y {
                    prop_assert!(x == c as i8 && others.contains(&y));
                }
                if x == c as i8 && others.len() == 1 {
                    prop_assert_eq!(y, others[0]);
                }
            }
        }
    }

    /// `inside_box` of a grid drawn as an outline around a picture gives the picture back.
    #[test]
    fn inside_box_finds_a_drawn_outline(p in grid_up_to(5), c in 1..9i32) {
        let (h, w) = dims(&p);
        let framed = Grid::new(h + 2, w + 2, (0..(h + 2) * (w + 2)).map(|k| {
            let (i, j) = (k / (w + 2), k % (w + 2));
            if i == 0 || j == 0 || i == h + 1 || j == w + 1 { c as i8 } else { at(&p, i - 1, j - 1) }
        }).collect()).unwrap();
        prop_assert_eq!(call("inside_box", &[Value::Grid(framed)]), p);
    }

    /// Rank 1 is the largest size: `recolour_by_rank` of it is `recolour_by_size` of that size.
    #[test]
    fn the_first_rank_is_the_largest_size(g in grid(), c in 1..9i32) {
        let gs = batt_dsl::prims::image::groups(gr(&g), |x| x != 0, false);
        let Some(top) = gs.iter().map(Vec::len).max() else { return Ok(()) };
        prop_assume!(top <= 9);
        let by_rank = call("recolour_by_rank", &[g.clone(), int(10 + c)]);
        prop_assert_eq!(by_rank, call("recolour_by_size", &[g.clone(), int(top as i32 * 10 + c)]));
    }

    /// `recolour_learned` recolours whole objects and never the background: a grid learns
    /// nothing from its own pair (it fails, unless it has no object), and whatever it learns,
    /// two neighbours of one colour (in its connectivity) stay of one colour, and cells of the
    /// most common colour stay.
    #[test]
    fn recolour_learned_recolours_whole_objects(g in grid(), i in grid(), o in grid(), k in 0..6i32) {
        let pairs = |ps: Vec<(Value, Value)>| {
            Value::tuple(ps.into_iter().map(|(a, b)| Value::tuple(vec![a, b]).unwrap()).collect()).unwrap()
        };
        let own = call("recolour_fg", &[g.clone(), int(9)]);
        let own = pairs(vec![(g.clone(), own)]);
        let one_colour = gr(&g).cells().iter().all(|&c| c == gr(&g).cells()[0]);
        match try_call("recolour_learned", &[g.clone(), own, int(k)]) {
            Ok(v) => prop_assert!(one_colour && v == g),
            Err(_) => prop_assert!(!one_colour),
        }
        // learned from a pair of i recoloured as a whole: o where it has i's shape, else i
        let o = if dims(&o) == dims(&i) { o } else { i.clone() };
        let Ok(out) = try_call("recolour_learned", &[g.clone(), pairs(vec![(i, o)]), int(k)]) else { return Ok(()) };
        let (a, b) = (gr(&g), gr(&out));
        let mut n = [0usize; 256];
        for &c in a.cells() {
            n[c as u8 as usize] += 1;
        }
        let bg = (0..256usize).max_by_key(|&c| (n[c], std::cmp::Reverse(c))).unwrap() as u8 as i8;
        let steps: &[(usize, usize)] = if k % 2 == 1 { &[(0, 1), (1, 0), (1, 1), (1, usize::MAX)] } else { &[(0, 1), (1, 0)] };
        for y in 0..a.h() {
            for x in 0..a.w() {
                if a.get(y, x) == bg {
                    prop_assert_eq!(b.get(y, x), bg);
                }
                for &(dy, dx) in steps {
                    let (v, u) = (y + dy, x.wrapping_add(dx));
                    if v < a.h() && u < a.w() && a.get(v, u) == a.get(y, x) {
                        prop_assert_eq!(b.get(v, u), b.get(y, x));
                    }
                }
            }
        }
    }

    /// `layer` of every grid in reverse order is `overlay_all` (which lays the last on top).
    #[test]
    fn layer_in_reverse_is_overlay_all(ts in same_shape_grids()) {
        let k = (1..=ts.len()).rev().fold(0, |k, d| k * 10 + d as i32);
        let t = tuple(ts);
        prop_assert_eq!(call("layer", &[t.clone(), int(k)]), call("overlay_all", &[t]));
    }

    /// `recolour_if`'s criteria come in opposite pairs: a criterion and its opposite together
    /// recolour every group, as `recolour_fg` does.
    #[test]
    fn opposite_criteria_recolour_everything(g in grid(), c in 1..9i32, pair in 0..3i32) {
        let k = [0, 2, 6][pair as usize];
        let one = call("recolour_if", &[g.clone(), int(c), int(k)]);
        let both = call("recolour_if", &[one, int(c), int(k + 1)]);
        prop_assert_eq!(both, call("recolour_fg", &[g.clone(), int(c)]));
    }

    /// `unroles` undoes `roles`, which keeps the colours of the mask, renumbers the others
    /// one to one, and gives the most common colour outside the mask (of those as common, the
    /// first seen) the smallest free colour.
    #[test]
    fn roles_are_undone(g in grid(), m in 0..1024i32) {
        let r = call("roles", &[g.clone(), int(m)]);
        prop_assert_eq!(call("unroles", &[g.clone(), int(m), r.clone()]), g.clone());
        let (src, dst) = (gr(&g).cells(), gr(&r).cells());
        for (a, b) in src.iter().zip(dst) {
            if m >> *a & 1 == 1 {
                prop_assert_eq!(a, b);
            }
            // one to one: cells of one colour stay of one colour and no two colours merge
            for (c, d) in src.iter().zip(dst) {
                prop_assert_eq!(a == c, b == d);
            }
        }
        if let Some(first) = (0..10).find(|c| m >> c & 1 == 0) {
            let n = |c: i8| src.iter().filter(|&&x| x == c).count();
            // ties in count: the colour seen first in reading order
            let seen = |c: i8| src.iter().position(|&x| x == c).unwrap_or(usize::MAX);
            let top = (0..10i8).filter(|&c| m >> c & 1 == 0).max_by_key(|&c| (n(c), std::cmp::Reverse(seen(c)))).unwrap();
            if n(top) > 0 {
                prop_assert!(dst.iter().zip(src).any(|(&d, &s)| s == top && d == first as i8));
            }
        }
    }

    /// `recolour_major` and `count_colours` agree with the colour counts.
    #[test]
    fn majors_and_counts(g in grid()) {
        let n = counts(gr(&g));
        prop_assert_eq!(call("count_colours", &[g.clone()]), int(n.len() as i32));
        match try_call("recolour_major", &[g.clone()]) {
            Err(_) => prop_assert!(n.is_empty()),
            Ok(r) => {
                let top = n.iter().map(|&(_, m)| m).max().unwrap();
                let c = n.iter().find(|&&(_, m)| m == top).unwrap().0;
                prop_assert_eq!(r, call("recolour_fg", &[g.clone(), int(c as i32)]));
            }
        }
    }
}

/// Every whole-image step, with the kinds of its arguments.
const STEPS: &[(&str, &[&str])] = &[
    ("crop_fg", &["g"]),
    ("keep_colour", &["g", "i"]),
    ("recolour_fg", &["g", "i"]),
    ("dedup", &["g"]),
    ("fill_holes", &["g", "i"]),
    ("halo", &["g", "i"]),
    ("smear", &["g", "i"]),
    ("gravity", &["g", "i"]),
    ("join_lines", &["g", "i"]),
    ("mirror_complete", &["g", "i"]),
    ("self_tile", &["g"]),
    ("tile", &["g", "s"]),
    ("mirror_tile", &["g", "s"]),
    ("embed", &["g", "s"]),
    ("scale_to", &["g", "s"]),
    ("overlay", &["g", "g"]),
    ("split_objs", &["g", "i"]),
    ("split_colours", &["g"]),
    ("split_panels", &["g"]),
    ("pick", &["t", "i"]),
    ("stack", &["t", "i"]),
    ("overlay_all", &["t"]),
    ("majority", &["t"]),
    ("count_row", &["g"]),
    ("box_fill", &["g", "i"]),
    ("logic", &["t", "i", "i"]),
    ("fill_periodic", &["g"]),
    ("map_colours", &["g", "i"]),
    ("recolour_by_size", &["g", "i"]),
    ("recolour_major", &["g"]),
    ("count_colours", &["g"]),
    ("inner", &["g", "i"]),
    ("drop_small", &["g", "i"]),
    ("recolour_nearest", &["g", "i"]),
    ("inside_box", &["g"]),
    ("recolour_by_rank", &["g", "i"]),
    ("layer", &["t", "i"]),
    ("recolour_if", &["g", "i", "i"]),
    ("roles", &["g", "i"]),
    ("unroles", &["g", "i", "g"]),
];

#[test]
fn every_step_is_in_the_table_with_its_arity() {
    for &(name, kinds) in STEPS {
        let p = Prim::by_name(name).unwrap_or_else(|| panic!("{name} is not in the table"));
        assert_eq!(p.info().params.len(), kinds.len(), "{name}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// No argument values make a step panic: random grids (up to 20 × 20, so self_tile and
    /// tilings pass the size limits), tuples of grids of mixed shapes, selectors -3..15 and
    /// shapes -3..300; arguments of the wrong kind fail with `Fail::Type`.
    #[test]
    fn no_step_panics(
        g in grid_up_to(20), g2 in grid_up_to(4), more in proptest::collection::vec(grid_up_to(4), 0..4),
        k in -3..15i32, sh in -3..300i32, sw in -3..300i32,
    ) {
        let mut ts = vec![g2.clone()];
        ts.extend(more);
        let t = tuple(ts);
        for &(name, kinds) in STEPS {
            let args: Vec<Value> = kinds.iter().enumerate().map(|(n, &kind)| match kind {
                "g" if n == 0 => g.clone(),
                "g" => g2.clone(),
                "i" => int(k),
                "s" => Value::Pair(sh, sw),
                _ => t.clone(),
            }).collect();
            let out = try_call(name, &args);
            if let Ok(v) = &out {
                // results are grids, tuples of grids for the splits, a count for count_colours
                let ok = v.as_grid().is_ok()
                    || v.items().is_ok_and(|mut it| it.all(|x| x.as_grid().is_ok()))
                    || (name == "count_colours" && matches!(v, Value::Int(0..=255)));
                prop_assert!(ok, "{} gave {:?}", name, v.canon_text());
            }
            // selectors out of range are a Domain failure, not some other kind
            let range = match name {
                "smear" => Some(11), "gravity" | "mirror_complete" => Some(3), "join_lines" => Some(4),
                "split_objs" | "recolour_if" => Some(7), "pick" => Some(14), "stack" => Some(1), "logic" => Some(5), _ => None,
            };
            if let Some(top) = range {
                if !(0..=top).contains(&k) {
                    prop_assert!(matches!(out, Err(Fail::Domain(_))), "{}({}) gave {:?}", name, k, out);
                }
            }
            // a wrong kind for any argument is a type failure
            for n in 0..args.len() {
                let mut bad = args.clone();
                bad[n] = match kinds[n] { "i" => Value::Pair(1, 1), "t" => int(k), _ => int(k) };
                let got = try_call(name, &bad);
                prop_assert!(matches!(got, Err(Fail::Type(_))), "{} with a wrong argument {} gave {:?}", name, n, got);
            }
        }
    }
}

#[test]
fn results_past_the_size_limits_fail_with_limit() {
    let one = Value::Grid(Grid::new(1, 1, vec![1]).unwrap());
    let tall = Value::Grid(Grid::new(16, 1, vec![1; 16]).unwrap());
    let wide = Value::Grid(Grid::new(1, 200, vec![1; 200]).unwrap());
    let block = Value::Grid(Grid::new(16, 16, vec![1; 256]).unwrap());
    let limit = |r: Res<Value>| matches!(r, Err(Fail::Limit(_)));
    for name in ["tile", "mirror_tile", "embed", "scale_to"] {
        assert!(limit(try_call(name, &[one.clone(), Value::Pair(256, 1)])), "{name} side");
        assert!(limit(try_call(name, &[one.clone(), Value::Pair(65, 65)])), "{name} cells");
        assert!(limit(try_call(name, &[one.clone(), Value::Pair(i32::MAX, i32::MAX)])), "{name} huge");
    }
    assert!(limit(try_call("self_tile", &[tall])));
    assert!(limit(try_call("stack", &[tuple(vec![wide.clone(), wide]), int(0)])));
    assert!(limit(try_call("count_row", &[block])));
}
