//! The menu: the primitives enumerated, what each parameter accepts (kinds of terms, groups of
//! the task's constants, fits to the outputs) and how the last level prunes each call.

use super::Enum;
use batt_dsl::task::Task;
use batt_dsl::{Prim, Value};
use batt_prog::check::kinds::*;
use std::sync::Arc;

/// A group of constants, fixed per task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Group {
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
    /// `recolour_learned` objects and keys.
    Learned,
}
pub(super) const GROUPS: usize = 22;

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
    /// A grid whose sides squared are the output's (`self_tile`).
    Squared,
    /// Any grid, for an output of one row (`count_row`).
    ToRow,
}

/// What a parameter accepts.
#[derive(Clone, Copy, Debug)]
pub(super) enum Param {
    /// Terms whose kind mask meets this one.
    Term(u32),
    /// Terms whose kind mask meets this one, that fit the outputs at the last level.
    TermFit(u32, Fit),
    /// Constants of a group, then terms of these kinds.
    ConstOrTerm(u32, Group),
    /// Constants of a group.
    Const(Group),
    /// `a_mr(S)`, when the task has it.
    AmrOfS,
    /// `S`, the demo pairs.
    Samples,
}

use Param::{AmrOfS, Const, ConstOrTerm, Samples, Term, TermFit};

/// A colour: the task's colours, then integer terms (the menu's most common parameter).
const COLOUR: Param = ConstOrTerm(INT, Group::Colours);

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
    /// `upscale`, `downscale`, `hupscale`, `vupscale` (which one: the [`Scaling`]): the
    /// output's shape.
    Scale(Scaling),
    /// `map_colours(a, k)`: `k` is the map from `a`'s colours to the outputs', when one
    /// colour of `a` always becomes one colour of the output on every train pair.
    ColourMap,
    /// `recolour_by_size(a, k)` (false), `recolour_by_rank` (true): `k` is the map from the
    /// sizes (or size ranks) of `a`'s groups of cells to the colours the outputs give them.
    SizeMap(bool),
}

/// Which of the scaling primitives a [`Force::Scale`] call is, that is how it shapes its grid
/// by the factor `f`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Scaling {
    /// `upscale`: `f` times as high and as wide.
    Up,
    /// `downscale`: every `f`-th row and column, from the first.
    Down,
    /// `hupscale`: `f` times as wide.
    Wide,
    /// `vupscale`: `f` times as high.
    Tall,
}

pub(super) const PATCH: u32 = OBJECT | INDICES;

/// One primitive as the enumeration uses it: what each parameter accepts, what it returns
/// given those (used to skip what cannot lead to a grid in the levels left), and its pruning
/// at the last level.
pub(super) struct Entry {
    pub(super) name: &'static str,
    pub(super) params: &'static [Param],
    pub(super) ret: u32,
    pub(super) force: Force,
}

const fn e(name: &'static str, params: &'static [Param], ret: u32) -> Entry {
    Entry { name, params, ret, force: Force::None }
}

const fn f(name: &'static str, params: &'static [Param], ret: u32, force: Force) -> Entry {
    Entry { name, params, ret, force }
}

/// The primitives enumerated, cheap and likely transforms first: within a level entries run
/// in this order, so when the time budget cuts a level short, the later ones lose. A
/// primitive may appear twice with different parameter kinds (mirrors of grids and of
/// patches), so that each use has its own return kind.
pub(super) static MENU: &[Entry] = &[
    // whole-image steps (batt's image extensions): one step of these is several arc-dsl lines
    e("crop_fg", &[TermFit(GRID, Fit::Larger)], GRID),
    e("inside_box", &[TermFit(GRID, Fit::Larger)], GRID),
    f("keep_colour", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Keeps),
    f("recolour_fg", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Sets),
    e("recolour_major", &[TermFit(GRID, Fit::Same)], GRID),
    f("fill_holes", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Sets),
    f("halo", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Sets),
    f("inner", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Sets),
    f("recolour_nearest", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::From),
    e("drop_small", &[TermFit(GRID, Fit::Same), Const(Group::Sizes)], GRID),
    e("smear", &[TermFit(GRID, Fit::Same), Const(Group::Smears)], GRID),
    e("gravity", &[TermFit(GRID, Fit::Same), Const(Group::Gravities)], GRID),
    e("join_lines", &[TermFit(GRID, Fit::Same), Const(Group::Joins)], GRID),
    e("mirror_complete", &[TermFit(GRID, Fit::Same), Const(Group::Symmetries)], GRID),
    f("box_fill", &[TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Sets),
    f("recolour_if", &[TermFit(GRID, Fit::Same), COLOUR, Const(Group::Criteria)], GRID, Force::Sets),
    e("fill_periodic", &[TermFit(GRID, Fit::Same)], GRID),
    f("map_colours", &[TermFit(GRID, Fit::Same), Const(Group::ColourMaps)], GRID, Force::ColourMap),
    f("recolour_by_size", &[TermFit(GRID, Fit::Same), Const(Group::ColourMaps)], GRID, Force::SizeMap(false)),
    f("recolour_by_rank", &[TermFit(GRID, Fit::Same), Const(Group::ColourMaps)], GRID, Force::SizeMap(true)),
    e("recolour_learned", &[TermFit(GRID, Fit::Same), Samples, Const(Group::Learned)], GRID),
    e("dedup", &[TermFit(GRID, Fit::Larger)], GRID),
    e("self_tile", &[TermFit(GRID, Fit::Squared)], GRID),
    e("count_row", &[TermFit(GRID, Fit::ToRow)], GRID),
    e("split_objs", &[Term(GRID), Const(Group::Modes)], OTHER_TUPLE),
    e("split_colours", &[Term(GRID)], OTHER_TUPLE),
    e("split_panels", &[Term(GRID)], OTHER_TUPLE),
    f("pick", &[Term(OTHER_TUPLE), Const(Group::Picks)], GRID, Force::Holds),
    e("stack", &[Term(OTHER_TUPLE), Const(Group::Stacks)], GRID),
    f("overlay_all", &[Term(OTHER_TUPLE)], GRID, Force::Parts),
    f("majority", &[Term(OTHER_TUPLE)], GRID, Force::Parts),
    f("layer", &[Term(OTHER_TUPLE), Const(Group::ColourMaps)], GRID, Force::Layers),
    f("logic", &[Term(OTHER_TUPLE), Const(Group::Logics), COLOUR], GRID, Force::Parts),
    e("multiply", &[Term(PAIR), Const(Group::Factors)], PAIR),
    f("tile", &[Term(GRID), TermFit(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("mirror_tile", &[Term(GRID), TermFit(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("scale_to", &[Term(GRID), TermFit(PAIR, Fit::ShapeOf)], GRID, Force::Corner(false)),
    f("embed", &[Term(GRID), TermFit(PAIR, Fit::ShapeOf)], GRID, Force::Corner(true)),
    f("tile", &[Term(GRID), Const(Group::OutShape)], GRID, Force::Corner(true)),
    f("mirror_tile", &[Term(GRID), Const(Group::OutShape)], GRID, Force::Corner(true)),
    f("scale_to", &[Term(GRID), Const(Group::OutShape)], GRID, Force::Corner(false)),
    f("embed", &[Term(GRID), Const(Group::OutShape)], GRID, Force::Corner(true)),
    f("overlay", &[TermFit(GRID, Fit::Same), TermFit(GRID, Fit::Same)], GRID, Force::Overlay),
    e("rot90", &[TermFit(GRID, Fit::Trans)], GRID),
    e("rot180", &[TermFit(GRID, Fit::Same)], GRID),
    e("rot270", &[TermFit(GRID, Fit::Trans)], GRID),
    e("hmirror", &[TermFit(GRID, Fit::Same)], GRID),
    e("vmirror", &[TermFit(GRID, Fit::Same)], GRID),
    e("dmirror", &[TermFit(GRID, Fit::Trans)], GRID),
    e("cmirror", &[TermFit(GRID, Fit::Trans)], GRID),
    e("tophalf", &[TermFit(GRID, Fit::HalfH)], GRID),
    e("bottomhalf", &[TermFit(GRID, Fit::HalfH)], GRID),
    e("lefthalf", &[TermFit(GRID, Fit::HalfW)], GRID),
    e("righthalf", &[TermFit(GRID, Fit::HalfW)], GRID),
    e("trim", &[TermFit(GRID, Fit::Trim)], GRID),
    e("compress", &[TermFit(GRID, Fit::Larger)], GRID),
    f("upscale", &[Term(GRID), ConstOrTerm(INT, Group::Scales)], GRID, Force::Scale(Scaling::Up)),
    f("downscale", &[Term(GRID), ConstOrTerm(INT, Group::Scales)], GRID, Force::Scale(Scaling::Down)),
    f("hupscale", &[Term(GRID), Const(Group::Scales)], GRID, Force::Scale(Scaling::Wide)),
    f("vupscale", &[Term(GRID), Const(Group::Scales)], GRID, Force::Scale(Scaling::Tall)),
    e("mir_rot", &[Term(GRID), AmrOfS], GRID),
    e("mostcolor", &[Term(GRID | OBJECT)], INT),
    e("leastcolor", &[Term(GRID | OBJECT)], INT),
    e("count_colours", &[Term(GRID)], INT),
    e("shape", &[Term(GRID)], PAIR),
    e("canvas", &[COLOUR, TermFit(PAIR, Fit::ShapeOf)], GRID),
    e("canvas", &[COLOUR, Const(Group::OutShape)], GRID),
    f("replace", &[TermFit(GRID, Fit::Same), COLOUR, COLOUR], GRID, Force::Replace),
    f("switch", &[TermFit(GRID, Fit::Same), COLOUR, COLOUR], GRID, Force::Switch),
    e("o_g", &[Term(GRID), Const(Group::Modes)], OBJECTS),
    e("partition", &[Term(GRID)], OBJECTS),
    e("fgpartition", &[Term(GRID)], OBJECTS),
    e("get_nth", &[Term(OBJECTS), Const(Group::Idx)], OBJECT),
    e("get_arg_rank", &[Term(OBJECTS), Const(Group::Keys), Const(Group::Idx)], OBJECT),
    e("colorfilter", &[Term(OBJECTS), COLOUR], OBJECTS),
    e("sizefilter", &[Term(OBJECTS), Const(Group::Sizes)], OBJECTS),
    e("merge", &[Term(OBJECTS)], PATCH),
    e("mapply", &[Const(Group::PatchFns), Term(OBJECTS)], INDICES),
    e("frontiers", &[Term(GRID)], OBJECTS),
    e("ofcolor", &[Term(GRID), COLOUR], INDICES),
    e("mapply", &[Const(Group::LocFns), Term(INDICES)], INDICES),
    e("asindices", &[Term(GRID)], INDICES),
    e("asobject", &[Term(GRID)], OBJECT),
    e("box", &[Term(PATCH)], INDICES),
    e("backdrop", &[Term(PATCH)], INDICES),
    e("delta", &[Term(PATCH)], INDICES),
    e("inbox", &[Term(PATCH)], INDICES),
    e("outbox", &[Term(PATCH)], INDICES),
    e("normalize", &[Term(PATCH)], PATCH),
    e("shift", &[Term(PATCH), Const(Group::Dirs)], PATCH),
    e("hmirror", &[Term(PATCH)], PATCH),
    e("vmirror", &[Term(PATCH)], PATCH),
    e("dmirror", &[Term(PATCH)], PATCH),
    e("cmirror", &[Term(PATCH)], PATCH),
    e("upscale", &[Term(OBJECT), Const(Group::Scales)], OBJECT),
    e("recolor", &[COLOUR, Term(PATCH)], OBJECT),
    f("subgrid", &[TermFit(PATCH, Fit::BBox), Term(GRID)], GRID, Force::Subgrid),
    e("crop", &[Term(GRID), Const(Group::Origin), Const(Group::OutShape)], GRID),
    f("fill", &[TermFit(GRID, Fit::Same), COLOUR, Term(PATCH)], GRID, Force::Fill),
    f("underfill", &[TermFit(GRID, Fit::Same), COLOUR, Term(PATCH)], GRID, Force::Fill),
    f("cover", &[TermFit(GRID, Fit::Same), Term(PATCH)], GRID, Force::Cover),
    f("paint", &[TermFit(GRID, Fit::Same), Term(OBJECT)], GRID, Force::Paint(false)),
    f("underpaint", &[TermFit(GRID, Fit::Same), Term(OBJECT)], GRID, Force::Paint(true)),
    e("hsplit", &[Term(GRID), Const(Group::Scales)], OTHER_TUPLE),
    e("vsplit", &[Term(GRID), Const(Group::Scales)], OTHER_TUPLE),
    // a part of hsplit/vsplit, or a row of a tuple of ragged rows (vconcat of two widths)
    e("get_nth", &[Term(OTHER_TUPLE), Const(Group::Idx)], GRID | TUPLES),
    f("hconcat", &[TermFit(GRID, Fit::Rows), TermFit(GRID, Fit::Rows)], GRID, Force::Concat(true)),
    f("vconcat", &[TermFit(GRID, Fit::Cols), TermFit(GRID, Fit::Cols)], GRID, Force::Concat(false)),
    f("cellwise", &[TermFit(GRID, Fit::Same), TermFit(GRID, Fit::Same), COLOUR], GRID, Force::Cellwise),
];

/// The kinds of the image tier: an entry belongs to it when it returns one of them and each
/// of its term parameters accepts one of them.
pub const IMAGE_KINDS: u32 = GRID | OTHER_TUPLE | PAIR | INT;

fn in_image_tier(e: &Entry) -> bool {
    e.ret & !IMAGE_KINDS == 0
        && e.params.iter().all(|p| match *p {
            Term(m) | TermFit(m, _) | ConstOrTerm(m, _) => m & IMAGE_KINDS != 0,
            Const(_) | AmrOfS | Samples => true,
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
                if let Term(k) | TermFit(k, _) | ConstOrTerm(k, _) = *p {
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
    pub(super) params: &'static [Param],
    pub(super) ret: u32,
    pub(super) force: Force,
    pub(super) uses_s: bool,
    /// An entry of the image tier.
    pub(super) image: bool,
    /// One of [`COLOUR_BLIND`].
    pub(super) colour_blind: bool,
    /// Which cells the step can change, when that is only 0 cells or only non-zero ones.
    pub(super) mono: Mono,
}

/// Steps that change only cells of one sort: the last level gives them only a grid that is
/// already right on the other sort.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mono {
    Any,
    /// Only 0 cells change (to colours): the grid's non-zero cells are the output's.
    Adds,
    /// Only non-zero cells change (to 0): the output's non-zero cells are the grid's.
    Drops,
    /// Cells move: the output has as many cells of each non-zero colour as the grid.
    Moves,
}

/// The steps `(g, ...)` that change only 0 cells of `g`, and those that only set non-zero
/// cells to 0.
pub(super) const ADDS_ONLY: [&str; 7] =
    ["smear", "join_lines", "mirror_complete", "fill_periodic", "fill_holes", "halo", "box_fill"];
pub(super) const DROPS_ONLY: [&str; 2] = ["drop_small", "keep_colour"];
/// The steps `(g, ...)` that move cells, keeping how many of each colour there are.
pub(super) const MOVES_ONLY: [&str; 1] = ["gravity"];

/// Steps `(g, c)` whose cells to change do not depend on `c` (0 cells they set to `c`): given
/// a colour other than 0, one that changes nothing means that none would.
pub(super) const COLOUR_BLIND: [&str; 3] = ["fill_holes", "halo", "box_fill"];

/// The task's constants, each value once in the order first added, and per group the indices
/// of its constants (the last level adds the codes it reads off the outputs later).
pub(super) fn task_constants(task: &Task) -> (Vec<Value>, [Vec<u16>; GROUPS]) {
    let mut consts: Vec<Value> = Vec::new();
    let mut groups: [Vec<u16>; GROUPS] = Default::default();
    let mut add = |g: Group, v: Value| {
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
        add(Group::Colours, Value::Int(c as i32));
    }
    for s in [2, 3, 4] {
        add(Group::Scales, Value::Int(s));
    }
    for m in 0..8 {
        add(Group::Modes, Value::Int(m));
    }
    for k in [0, 1, -1] {
        add(Group::Idx, Value::Int(k));
    }
    for (i, j) in [(1, 0), (0, 1), (-1, 0), (0, -1)] {
        add(Group::Dirs, Value::Pair(i, j));
    }
    for s in 1..=4 {
        add(Group::Sizes, Value::Int(s));
    }
    for (g, names) in [(Group::Keys, &KEYS[..]), (Group::PatchFns, &PATCH_FNS[..]), (Group::LocFns, &LOC_FNS[..])] {
        for name in names {
            if let Some(p) = Prim::by_name(name) {
                add(g, Value::prim(p));
            }
        }
    }
    add(Group::Origin, Value::Pair(0, 0));
    use batt_dsl::prims::image as im;
    for (g, n) in [
        (Group::Smears, im::SMEARS),
        (Group::Gravities, im::GRAVITIES),
        (Group::Joins, im::JOINS),
        (Group::Symmetries, im::SYMMETRIES),
        (Group::Picks, im::PICKS),
        (Group::Stacks, im::STACKS),
        (Group::Logics, im::LOGICS),
        (Group::Criteria, im::CRITERIA),
        (Group::Learned, im::LEARNED),
    ] {
        for k in 0..n {
            add(g, Value::Int(k));
        }
    }
    if let Some(f) = shape_factors(task) {
        add(Group::Factors, Value::Pair(f.0, f.1));
    }
    if let Some(first) = task.train.first() {
        let (oh, ow) = (first.output.h(), first.output.w());
        if task.train.iter().all(|p| (p.output.h(), p.output.w()) == (oh, ow)) {
            add(Group::OutShape, Value::Pair(oh as i32, ow as i32));
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
    /// Whether `prim`, given each train input for its terms, `S` and one constant of its group
    /// (its parameters hold at most one group), sets some cells of the inputs to their output
    /// colours and no more cells to other colours, over the train pairs.
    fn helps_on_demos(&self, prim: Prim, params: &[Param]) -> bool {
        let group = params.iter().find_map(|p| match p {
            Const(g) => Some(*g),
            _ => None,
        });
        let consts: Vec<Option<&Value>> = match group {
            Some(g) => self.groups[g as usize].iter().map(|&k| self.consts.get(k as usize)).collect(),
            None => vec![None],
        };
        let mut ctx = batt_dsl::Ctx::new(1 << 20);
        consts.iter().any(|c| {
            let (mut right, mut wrong) = (0, 0);
            for (input, pair) in self.terms[0].vals.iter().zip(&self.task.train) {
                let args: Option<Vec<Value>> = params
                    .iter()
                    .map(|p| match p {
                        Term(_) | TermFit(..) | ConstOrTerm(..) => Some(input.clone()),
                        Samples => Some(self.samples.clone()),
                        Const(_) => c.cloned(),
                        AmrOfS => self.amr.clone(),
                    })
                    .collect();
                let Some(Ok(Value::Grid(got))) = args.map(|a| ctx.apply(prim, &a)) else { continue };
                let (Value::Grid(was), out) = (input, &pair.output) else { continue };
                if (got.h(), got.w()) != (out.h(), out.w()) || (was.h(), was.w()) != (out.h(), out.w()) {
                    continue;
                }
                for ((&g, &w), &o) in got.cells().iter().zip(was.cells()).zip(out.cells()) {
                    if g != w {
                        if g == o {
                            right += 1;
                        } else {
                            wrong += 1;
                        }
                    }
                }
            }
            right > 0 && right >= wrong
        })
    }

    /// The entries this search runs (resolved once, at its start).
    pub(super) fn resolve_menu(&self) -> Arc<[Item]> {
        MENU.iter()
            .filter_map(|e| {
                let prim = Prim::by_name(e.name)?;
                let uses_s = e.params.iter().any(|p| matches!(p, AmrOfS | Samples));
                let needs_amr = e.params.iter().any(|p| matches!(p, AmrOfS));
                if uses_s && (!self.cfg.use_s || (needs_amr && self.amr.is_none())) {
                    return None;
                }
                // a step that learns from the demo pairs runs only where what it learns sets
                // more cells of the demo inputs right than wrong (it is costly: it reads them all)
                if e.params.iter().any(|p| matches!(p, Samples)) && !self.helps_on_demos(prim, e.params) {
                    return None;
                }
                let image = in_image_tier(e);
                if self.cfg.image_only && !image {
                    return None;
                }
                let colour_blind = COLOUR_BLIND.contains(&e.name);
                let mono = if ADDS_ONLY.contains(&e.name) {
                    Mono::Adds
                } else if DROPS_ONLY.contains(&e.name) {
                    Mono::Drops
                } else if MOVES_ONLY.contains(&e.name) {
                    Mono::Moves
                } else {
                    Mono::Any
                };
                Some(Item { prim, params: e.params, ret: e.ret, force: e.force, uses_s, image, colour_blind, mono })
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
