//! The menu: the primitives enumerated, what each parameter accepts (kinds of terms, groups of
//! the task's constants, fits to the outputs) and how the last level prunes each call.

use super::Enum;
use batt_dsl::task::Task;
use batt_dsl::{Prim, Value};
use batt_prog::check::kinds::*;
use std::sync::Arc;

/// A group of constants, fixed per task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum G {
    /// Every colour of the task's train inputs and outputs.
    Colours,
    /// Scale factors.
    Scales,
    /// `o_g` modes 0..7.
    Modes,
    /// Positions 0, 1, -1.
    Idx,
    /// The four unit directions.
    Dirs,
    /// Object sizes 1..4.
    Sizes,
    /// Key functions for `get_arg_rank`.
    Keys,
    /// Patch functions mapped over objects (`mapply(delta, objs)`).
    PatchFns,
    /// Location functions mapped over indices (`mapply(neighbors, locs)`).
    LocFns,
    /// The origin.
    Origin,
    /// The output shape, when every train output has the same one.
    OutShape,
    /// `smear` directions.
    Smears,
    /// `gravity` directions.
    Gravities,
    /// `join_lines` modes.
    Joins,
    /// `mirror_complete` symmetries.
    Symmetries,
    /// `pick` criteria.
    Picks,
    /// `stack` directions.
    Stacks,
    /// `logic` operations.
    Logics,
    /// Codes read off the grid or tuple argument and the outputs at the last level (none
    /// before): colour maps for `map_colours`, size maps for `recolour_by_size` and
    /// `recolour_by_rank`, orders for `layer`.
    ColourMaps,
    /// Factors `(a, b)` with every train output `a` times as high and `b` times as wide as
    /// its input, when the ratios are whole and the same on every pair (`multiply` of a shape).
    Factors,
    /// `recolour_if` criteria, offered only at the last level (each would add a stored term
    /// per colour and criterion to every level).
    Criteria,
}
pub(super) const GROUPS: usize = 21;

/// How an argument of a call at the last level must relate to the expected outputs (checked on
/// every train pair) for the call to have a chance of giving them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) enum Fit {
    /// A grid of the output's shape.
    Same,
    /// A grid of the output's shape transposed.
    Trans,
    /// A grid as high as the output and narrower (a left or right part of an `hconcat`).
    Rows,
    /// A grid as wide as the output and lower (a part of a `vconcat`).
    Cols,
    /// A grid as wide as the output, twice as high (give or take a row).
    HalfH,
    /// A grid as high as the output, twice as wide (give or take a column).
    HalfW,
    /// A patch whose bounding box has the output's shape (narrower than `subgrid`, which
    /// clips a box that leaves the grid: such calls are not tried).
    BBox,
    /// The output's shape as a pair.
    ShapeOf,
    /// A grid two rows and two columns larger than the output.
    Trim,
    /// A grid larger than the output (not of its shape).
    Larger,
}

/// What a parameter accepts.
#[derive(Clone, Copy, Debug)]
pub(super) enum P {
    /// Terms whose kind mask meets this one.
    T(u32),
    /// Terms whose kind mask meets this one, that fit the outputs at the last level.
    TF(u32, Fit),
    /// Constants of a group, then terms of these kinds.
    TC(u32, G),
    /// Constants of a group.
    C(G),
    /// `a_mr(S)`, when the task has it.
    AMr,
}

use P::{AMr, C, T, TC, TF};

/// Pruning of calls. At every level: `hconcat` of grids of one height, `vconcat` of one width,
/// `cellwise` of one shape (a narrowing of the search: Python also runs `hconcat` of two
/// heights and `cellwise` with a larger second grid). At the last level, goal-directed: with
/// `d` the first cell where the grid argument differs from the expected output (on each train
/// pair), which arguments can make the call give the outputs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Force {
    None,
    /// `replace(a, x, y)`: `a` is `x` and the output `y` wherever they differ.
    Replace,
    /// `switch(a, x, y)`: `{x, y}` is `{a[d], out[d]}`.
    Switch,
    /// `fill(a, c, p)`, `underfill`: the output is `c` wherever it differs from `a`, `p`
    /// holds `d`.
    Fill,
    /// `cover(a, p)`: the output is one colour wherever it differs from `a`, `p` holds `d`.
    Cover,
    /// `paint(a, obj)` (false), `underpaint` (true): the object holds `d`, and has the
    /// output's colours (where `a` is not already right, for `underpaint`).
    Paint(bool),
    /// `cellwise(a, b, c)`: where `a` and `b` agree the output is theirs, elsewhere `c`.
    Cellwise,
    /// `overlay(a, b)`: every non-zero cell of `b` is the output's, and `b` is non-zero
    /// where `a` is first wrong.
    Overlay,
    /// `recolour_fg(a, c)`, `fill_holes`, `halo`, `inner`, `box_fill`, `recolour_if(a, c, k)`:
    /// every cell they change becomes `c`, so the output is one colour where `a` is wrong, and
    /// `c` is that colour.
    Sets,
    /// `keep_colour(a, c)`: every cell it changes becomes 0, and was not `c`.
    Keeps,
    /// `recolour_nearest(a, c)`: every cell it changes was `c`.
    From,
    /// `pick(t, k)`: `t` holds the output.
    Holds,
    /// `overlay_all(t)`, `majority`, `logic`: `t`'s first grid has the output's shape.
    Parts,
    /// `layer(t, k)`: `k` is an order of `t`'s grids that gives the outputs, found by peeling
    /// them top first (see [`Enum::layer_order`]).
    Layers,
    /// `tile(g, s)`, `mirror_tile`, `embed` (true): the output's top-left corner is `g` (as
    /// much of it as fits); `scale_to` (false): the output's top-left cell is `g`'s.
    Corner(bool),
    /// `hconcat(a, b)` (true) or `vconcat` (false): the parts are the output's.
    Concat(bool),
    /// `subgrid(p, a)`: `a` cropped to the box of `p` is the output.
    Subgrid,
    /// `upscale` (0), `downscale` (1), `hupscale` (2), `vupscale` (3): the output's shape.
    Scale(u8),
    /// `map_colours(a, k)`: `k` is the map from `a`'s colours to the outputs', when one
    /// colour of `a` always becomes one colour of the output on every train pair.
    ColourMap,
    /// `recolour_by_size(a, k)` (false), `recolour_by_rank` (true): `k` is the map from the
    /// sizes (or size ranks) of `a`'s groups of cells to the colours the outputs give them.
    SizeMap(bool),
}

pub(super) const PATCH: u32 = OBJECT | INDICES;

/// One primitive as the enumeration uses it: what each parameter accepts, what it returns
/// given those (used to skip what cannot lead to a grid in the levels left), and its pruning
/// at the last level.
pub(super) struct Entry {
    pub(super) name: &'static str,
    pub(super) params: &'static [P],
    pub(super) ret: u32,
    pub(super) force: Force,
}

const fn e(name: &'static str, params: &'static [P], ret: u32) -> Entry {
    Entry { name, params, ret, force: Force::None }
}

const fn f(name: &'static str, params: &'static [P], ret: u32, force: Force) -> Entry {
    Entry { name, params, ret, force }
}

/// The primitives enumerated, cheap and likely transforms first: within a level entries run
/// in this order, so when the time budget cuts a level short, the later ones lose. A
/// primitive may appear twice with different parameter kinds (mirrors of grids and of
/// patches), so that each use has its own return kind.
pub(super) static MENU: &[Entry] = &[
    // whole-image steps (batt's image extensions): one step of these is several arc-dsl lines
    e("crop_fg", &[TF(GRID, Fit::Larger)], GRID),
    e("inside_box", &[TF(GRID, Fit::Larger)], GRID),
    f("keep_colour", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Keeps),
    f("recolour_fg", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Sets),
    e("recolour_major", &[TF(GRID, Fit::Same)], GRID),
    f("fill_holes", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Sets),
    f("halo", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Sets),
    f("inner", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Sets),
    f("recolour_nearest", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::From),
    e("drop_small", &[TF(GRID, Fit::Same), C(G::Sizes)], GRID),
    e("smear", &[TF(GRID, Fit::Same), C(G::Smears)], GRID),
    e("gravity", &[TF(GRID, Fit::Same), C(G::Gravities)], GRID),
    e("join_lines", &[TF(GRID, Fit::Same), C(G::Joins)], GRID),
    e("mirror_complete", &[TF(GRID, Fit::Same), C(G::Symmetries)], GRID),
    f("box_fill", &[TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Sets),
    f("recolour_if", &[TF(GRID, Fit::Same), TC(INT, G::Colours), C(G::Criteria)], GRID, Force::Sets),
    e("fill_periodic", &[TF(GRID, Fit::Same)], GRID),
    f("map_colours", &[TF(GRID, Fit::Same), C(G::ColourMaps)], GRID, Force::ColourMap),
    f("recolour_by_size", &[TF(GRID, Fit::Same), C(G::ColourMaps)], GRID, Force::SizeMap(false)),
    f("recolour_by_rank", &[TF(GRID, Fit::Same), C(G::ColourMaps)], GRID, Force::SizeMap(true)),
    e("dedup", &[TF(GRID, Fit::Larger)], GRID),
    e("self_tile", &[T(GRID)], GRID),
    e("count_row", &[T(GRID)], GRID),
    e("split_objs", &[T(GRID), C(G::Modes)], OTHER_TUPLE),
    e("split_colours", &[T(GRID)], OTHER_TUPLE),
    e("split_panels", &[T(GRID)], OTHER_TUPLE),
    f("pick", &[T(OTHER_TUPLE), C(G::Picks)], GRID, Force::Holds),
    e("stack", &[T(OTHER_TUPLE), C(G::Stacks)], GRID),
    f("overlay_all", &[T(OTHER_TUPLE)], GRID, Force::Parts),
    f("majority", &[T(OTHER_TUPLE)], GRID, Force::Parts),
    f("layer", &[T(OTHER_TUPLE), C(G::ColourMaps)], GRID, Force::Layers),
    f("logic", &[T(OTHER_TUPLE), C(G::Logics), TC(INT, G::Colours)], GRID, Force::Parts),
    e("multiply", &[T(PAIR), C(G::Factors)], PAIR),
    f("tile", &[T(GRID), TF(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("mirror_tile", &[T(GRID), TF(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("scale_to", &[T(GRID), TF(PAIR, Fit::ShapeOf)], GRID, Force::Corner(false)),
    f("embed", &[T(GRID), TF(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("tile", &[T(GRID), C(G::OutShape)], GRID, Force::Corner(true)),
    f("mirror_tile", &[T(GRID), C(G::OutShape)], GRID, Force::Corner(true)),
    f("scale_to", &[T(GRID), C(G::OutShape)], GRID, Force::Corner(false)),
    f("embed", &[T(GRID), C(G::OutShape)], GRID, Force::Corner(true)),
    f("overlay", &[TF(GRID, Fit::Same), TF(GRID, Fit::Same)], GRID, Force::Overlay),
    e("rot90", &[TF(GRID, Fit::Trans)], GRID),
    e("rot180", &[TF(GRID, Fit::Same)], GRID),
    e("rot270", &[TF(GRID, Fit::Trans)], GRID),
    e("hmirror", &[TF(GRID, Fit::Same)], GRID),
    e("vmirror", &[TF(GRID, Fit::Same)], GRID),
    e("dmirror", &[TF(GRID, Fit::Trans)], GRID),
    e("cmirror", &[TF(GRID, Fit::Trans)], GRID),
    e("tophalf", &[TF(GRID, Fit::HalfH)], GRID),
    e("bottomhalf", &[TF(GRID, Fit::HalfH)], GRID),
    e("lefthalf", &[TF(GRID, Fit::HalfW)], GRID),
    e("righthalf", &[TF(GRID, Fit::HalfW)], GRID),
    e("trim", &[TF(GRID, Fit::Trim)], GRID),
    e("compress", &[TF(GRID, Fit::Larger)], GRID),
    f("upscale", &[T(GRID), TC(INT, G::Scales)], GRID, Force::Scale(0)),
    f("downscale", &[T(GRID), TC(INT, G::Scales)], GRID, Force::Scale(1)),
    f("hupscale", &[T(GRID), C(G::Scales)], GRID, Force::Scale(2)),
    f("vupscale", &[T(GRID), C(G::Scales)], GRID, Force::Scale(3)),
    e("mir_rot", &[T(GRID), AMr], GRID),
    e("mostcolor", &[T(GRID | OBJECT)], INT),
    e("leastcolor", &[T(GRID | OBJECT)], INT),
    e("count_colours", &[T(GRID)], INT),
    e("shape", &[T(GRID)], PAIR),
    e("canvas", &[TC(INT, G::Colours), TF(PAIR, Fit::ShapeOf)], GRID),
    e("canvas", &[TC(INT, G::Colours), C(G::OutShape)], GRID),
    f("replace", &[TF(GRID, Fit::Same), TC(INT, G::Colours), TC(INT, G::Colours)], GRID, Force::Replace),
    f("switch", &[TF(GRID, Fit::Same), TC(INT, G::Colours), TC(INT, G::Colours)], GRID, Force::Switch),
    e("o_g", &[T(GRID), C(G::Modes)], OBJECTS),
    e("partition", &[T(GRID)], OBJECTS),
    e("fgpartition", &[T(GRID)], OBJECTS),
    e("get_nth", &[T(OBJECTS), C(G::Idx)], OBJECT),
    e("get_arg_rank", &[T(OBJECTS), C(G::Keys), C(G::Idx)], OBJECT),
    e("colorfilter", &[T(OBJECTS), TC(INT, G::Colours)], OBJECTS),
    e("sizefilter", &[T(OBJECTS), C(G::Sizes)], OBJECTS),
    e("merge", &[T(OBJECTS)], PATCH),
    e("mapply", &[C(G::PatchFns), T(OBJECTS)], INDICES),
    e("frontiers", &[T(GRID)], OBJECTS),
    e("ofcolor", &[T(GRID), TC(INT, G::Colours)], INDICES),
    e("mapply", &[C(G::LocFns), T(INDICES)], INDICES),
    e("asindices", &[T(GRID)], INDICES),
    e("asobject", &[T(GRID)], OBJECT),
    e("box", &[T(PATCH)], INDICES),
    e("backdrop", &[T(PATCH)], INDICES),
    e("delta", &[T(PATCH)], INDICES),
    e("inbox", &[T(PATCH)], INDICES),
    e("outbox", &[T(PATCH)], INDICES),
    e("normalize", &[T(PATCH)], PATCH),
    e("shift", &[T(PATCH), C(G::Dirs)], PATCH),
    e("hmirror", &[T(PATCH)], PATCH),
    e("vmirror", &[T(PATCH)], PATCH),
    e("dmirror", &[T(PATCH)], PATCH),
    e("cmirror", &[T(PATCH)], PATCH),
    e("upscale", &[T(OBJECT), C(G::Scales)], OBJECT),
    e("recolor", &[TC(INT, G::Colours), T(PATCH)], OBJECT),
    f("subgrid", &[TF(PATCH, Fit::BBox), T(GRID)], GRID, Force::Subgrid),
    e("crop", &[T(GRID), C(G::Origin), C(G::OutShape)], GRID),
    f("fill", &[TF(GRID, Fit::Same), TC(INT, G::Colours), T(PATCH)], GRID, Force::Fill),
    f("underfill", &[TF(GRID, Fit::Same), TC(INT, G::Colours), T(PATCH)], GRID, Force::Fill),
    f("cover", &[TF(GRID, Fit::Same), T(PATCH)], GRID, Force::Cover),
    f("paint", &[TF(GRID, Fit::Same), T(OBJECT)], GRID, Force::Paint(false)),
    f("underpaint", &[TF(GRID, Fit::Same), T(OBJECT)], GRID, Force::Paint(true)),
    e("hsplit", &[T(GRID), C(G::Scales)], OTHER_TUPLE),
    e("vsplit", &[T(GRID), C(G::Scales)], OTHER_TUPLE),
    // a part of hsplit/vsplit, or a row of a tuple of ragged rows (vconcat of two widths)
    e("get_nth", &[T(OTHER_TUPLE), C(G::Idx)], GRID | TUPLES),
    f("hconcat", &[TF(GRID, Fit::Rows), TF(GRID, Fit::Rows)], GRID, Force::Concat(true)),
    f("vconcat", &[TF(GRID, Fit::Cols), TF(GRID, Fit::Cols)], GRID, Force::Concat(false)),
    f("cellwise", &[TF(GRID, Fit::Same), TF(GRID, Fit::Same), TC(INT, G::Colours)], GRID, Force::Cellwise),
];

/// The kinds of the image tier: an entry belongs to it when it returns one of them and each
/// of its term parameters accepts one of them.
pub const IMAGE_KINDS: u32 = GRID | OTHER_TUPLE | PAIR | INT;

fn in_image_tier(e: &Entry) -> bool {
    e.ret & !IMAGE_KINDS == 0
        && e.params.iter().all(|p| match *p {
            T(m) | TF(m, _) | TC(m, _) => m & IMAGE_KINDS != 0,
            C(_) | AMr => true,
        })
}

const KEYS: [&str; 6] = ["size", "height", "width", "numcolors", "uppermost", "leftmost"];
const PATCH_FNS: [&str; 5] = ["delta", "box", "backdrop", "inbox", "outbox"];
const LOC_FNS: [&str; 5] = ["neighbors", "dneighbors", "ineighbors", "hfrontier", "vfrontier"];

/// `useful[r]`: the kinds of term worth keeping when `r` levels are left after it: grids for
/// the last level, then whatever some entry that gives a useful kind reads.
pub(super) fn useful_kinds(depth: usize) -> Vec<u32> {
    let mut useful = vec![GRID];
    for r in 1..=depth {
        let before = useful[r - 1];
        let mut m = before;
        for e in MENU.iter().filter(|e| e.ret & before != 0) {
            for p in e.params {
                if let T(k) | TF(k, _) | TC(k, _) = *p {
                    m |= k;
                }
            }
        }
        useful.push(m);
    }
    useful
}

/// A menu entry resolved against the signature table.
pub(super) struct Item {
    pub(super) prim: Prim,
    pub(super) params: &'static [P],
    pub(super) ret: u32,
    pub(super) force: Force,
    pub(super) uses_s: bool,
    /// An entry of the image tier.
    pub(super) image: bool,
}

/// The task's constants, each value once in the order first added, and per group the indices
/// of its constants (the last level adds the codes it reads off the outputs later).
pub(super) fn task_constants(task: &Task) -> (Vec<Value>, [Vec<u16>; GROUPS]) {
    let mut consts: Vec<Value> = Vec::new();
    let mut groups: [Vec<u16>; GROUPS] = Default::default();
    let mut add = |g: G, v: Value| {
        let k = match consts.iter().position(|c| *c == v) {
            Some(k) => k,
            None => {
                consts.push(v);
                consts.len() - 1
            }
        };
        groups[g as usize].push(k as u16);
    };
    let mut present = [false; 10];
    for p in &task.train {
        for &c in p.input.cells().iter().chain(p.output.cells()) {
            if (0..10).contains(&c) {
                present[c as usize] = true;
            }
        }
    }
    for c in (0..10).filter(|&c| present[c]) {
        add(G::Colours, Value::Int(c as i32));
    }
    for s in [2, 3, 4] {
        add(G::Scales, Value::Int(s));
    }
    for m in 0..8 {
        add(G::Modes, Value::Int(m));
    }
    for k in [0, 1, -1] {
        add(G::Idx, Value::Int(k));
    }
    for (i, j) in [(1, 0), (0, 1), (-1, 0), (0, -1)] {
        add(G::Dirs, Value::Pair(i, j));
    }
    for s in 1..=4 {
        add(G::Sizes, Value::Int(s));
    }
    for (g, names) in [(G::Keys, &KEYS[..]), (G::PatchFns, &PATCH_FNS[..]), (G::LocFns, &LOC_FNS[..])] {
        for name in names {
            if let Some(p) = Prim::by_name(name) {
                add(g, Value::prim(p));
            }
        }
    }
    add(G::Origin, Value::Pair(0, 0));
    use batt_dsl::prims::image as im;
    for (g, n) in [
        (G::Smears, im::SMEARS),
        (G::Gravities, im::GRAVITIES),
        (G::Joins, im::JOINS),
        (G::Symmetries, im::SYMMETRIES),
        (G::Picks, im::PICKS),
        (G::Stacks, im::STACKS),
        (G::Logics, im::LOGICS),
        (G::Criteria, im::CRITERIA),
    ] {
        for k in 0..n {
            add(g, Value::Int(k));
        }
    }
    if let Some(f) = shape_factors(task) {
        add(G::Factors, Value::Pair(f.0, f.1));
    }
    if let Some(first) = task.train.first() {
        let (oh, ow) = (first.output.h(), first.output.w());
        if task.train.iter().all(|p| (p.output.h(), p.output.w()) == (oh, ow)) {
            add(G::OutShape, Value::Pair(oh as i32, ow as i32));
        }
    }
    (consts, groups)
}

/// `(a, b)` when every train output is `a` times as high and `b` times as wide as its input
/// (whole ratios, the same on every pair, not both 1).
fn shape_factors(task: &Task) -> Option<(i32, i32)> {
    let mut f = None;
    for p in &task.train {
        let (ih, iw, oh, ow) = (p.input.h(), p.input.w(), p.output.h(), p.output.w());
        if oh % ih != 0 || ow % iw != 0 {
            return None;
        }
        let r = ((oh / ih) as i32, (ow / iw) as i32);
        if *f.get_or_insert(r) != r {
            return None;
        }
    }
    f.filter(|&r| r != (1, 1))
}

impl Enum<'_> {
    /// The entries this search runs (resolved once, at its start).
    pub(super) fn resolve_menu(&self) -> Arc<[Item]> {
        MENU.iter()
            .filter_map(|e| {
                let prim = Prim::by_name(e.name)?;
                let uses_s = e.params.iter().any(|p| matches!(p, AMr));
                if uses_s && (self.amr.is_none() || !self.cfg.use_s) {
                    return None;
                }
                let image = in_image_tier(e);
                if self.cfg.image_only && !image {
                    return None;
                }
                Some(Item { prim, params: e.params, ret: e.ret, force: e.force, uses_s, image })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_names_are_primitives() {
        for e in MENU {
            assert!(Prim::by_name(e.name).is_some(), "{}", e.name);
            assert!(e.params.len() <= 4);
        }
        for k in KEYS {
            assert!(Prim::by_name(k).is_some(), "{k}");
        }
    }
}
