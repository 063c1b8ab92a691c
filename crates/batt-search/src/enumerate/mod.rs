//! Bottom-up enumeration of well-typed programs for one task, with observational equivalence.
//!
//! A *term* is a vector of values, one per input of the task: every train input and every test
//! input (test inputs are known at prediction time; test outputs are never read). Term 0 is
//! `I`. Level `d` applies every primitive of a curated menu (`MENU`) to every choice of
//! arguments of the right kinds where at least one argument is a term of level `d - 1` (so
//! nothing is recomputed), the others being older terms or constants. A result that fails on
//! any input is dropped; a result whose value vector some earlier term already has is dropped
//! (observational equivalence: one representative per vector, the first found); everything
//! else becomes a new term. A term that gives the expected output on every train pair (and a
//! grid on every test input) is a solver, rebuilt as a [`Program`]. One exception to the
//! equivalence: a program reading `S` (`mir_rot(I, a_mr(S))`) that equals a solver is reported
//! too, since it may carry over to other tasks.
//!
//! Terms are typed by a *kind mask*, the union over the inputs of the kinds of their values
//! (the bits of [`batt_prog::check::kinds`]); a menu parameter accepts the terms whose mask
//! meets the kinds it declares, and/or constants drawn from the task (its colours, scale
//! factors, object modes, indices, directions, key and patch functions, its output shape).
//!
//! Only what can still lead to a grid is built: with `r` levels left, an entry runs only when
//! it can give a kind that some entry of the next level reads on its way to a grid, and a term
//! is kept only when it has such a kind (objects are never built at the next-to-last level).
//! The last level stores nothing: a call is tried on the first train input and dropped at the
//! first wrong output, and its arguments are chosen goal-directed: grids of the output's
//! shape (or transposed, halved, ... as the primitive asks), the colours a `replace` or `fill`
//! must use where the grid argument differs from the output, patches that hold the first cell
//! that differs, parts that are windows of the output for `hconcat` and `subgrid` (see
//! `Force`). Calls skipped there could not have given the train outputs.
//!
//! Budgets: the clock is read every 64 applications, stored values are counted in approximate
//! bytes, terms are counted; hitting one stops the enumeration with what was found. The same
//! task and configuration give the same terms in the same order (only the time budget cuts
//! differently from run to run).

use batt_dsl::grid::mix64;
use batt_dsl::task::Task;
use batt_dsl::{Ctx, Func, Grid, Patch, Prim, Value};
use batt_prog::{Arg, Callee, Line, Program, Ref};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub use batt_prog::check::kind;
use batt_prog::check::kinds::*;

use batt_engine::backend::value_bytes as bytes;

/// Approximate bytes a stored term holds: its values, the slots that hold them, the term and
/// its fingerprint in the table of values seen (measured: the process's peak is within a
/// third of the sum over the terms held).
fn term_bytes(vals: &[Value]) -> usize {
    128 + vals.iter().map(|v| bytes(v) + std::mem::size_of::<Value>() + 32).sum::<usize>()
}

/// Bytes that many searches share: each stored term takes its bytes from the pool, no search
/// holds more than its share, and a search that finds the pool empty waits (it goes on with
/// the entry it was in when called again).
#[derive(Debug)]
pub struct MemoryPool {
    left: std::sync::atomic::AtomicIsize,
    /// What one search may hold (its share of the pool), set by whoever shares it out.
    share: std::sync::atomic::AtomicUsize,
}

impl MemoryPool {
    pub fn new(bytes: usize) -> MemoryPool {
        MemoryPool {
            left: std::sync::atomic::AtomicIsize::new(bytes.min(isize::MAX as usize) as isize),
            share: std::sync::atomic::AtomicUsize::new(usize::MAX),
        }
    }

    /// Sets what one search may hold from now on.
    pub fn set_share(&self, bytes: usize) {
        self.share.store(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// What one search may hold.
    pub fn share(&self) -> usize {
        self.share.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The pool a search takes from: none, or one shared.
#[derive(Debug, Clone, Copy)]
enum PoolRef<'a> {
    Own,
    Shared(&'a MemoryPool),
}

impl PoolRef<'_> {
    /// What one search may hold.
    fn share(&self) -> usize {
        match self {
            PoolRef::Own => usize::MAX,
            PoolRef::Shared(p) => p.share(),
        }
    }

    /// Takes `n` bytes; false (taking nothing) when the pool has fewer.
    fn take(&self, n: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        match self {
            PoolRef::Own => true,
            PoolRef::Shared(p) => {
                let n = n as isize;
                if p.left.fetch_sub(n, Relaxed) < n {
                    p.left.fetch_add(n, Relaxed);
                    return false;
                }
                true
            }
        }
    }

    fn give(&self, n: usize) {
        if let PoolRef::Shared(p) = self {
            p.left.fetch_add(n as isize, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Drop for Enum<'_> {
    fn drop(&mut self) {
        self.pool.give(self.bytes - self.base_bytes);
    }
}

/// Limits of one enumeration.
#[derive(Clone, Debug)]
pub struct EnumConfig {
    /// Deepest level (1: one primitive applied to `I` and constants).
    pub depth: usize,
    /// Wall-clock budget.
    pub time: Duration,
    /// Budget for the (approximate) bytes of stored values.
    pub max_bytes: usize,
    /// Budget for stored terms (`I` included).
    pub max_terms: usize,
    /// Stop at the first depth that gives a solver (the simplest programs generalise best).
    pub stop_when_solved: bool,
    /// Only the entries of the image tier ([`IMAGE_KINDS`]): whole grids, lists of grids,
    /// shapes and colours, no objects or patches, so each level is small and the search goes
    /// deeper in the same time.
    pub image_only: bool,
    /// Skip the calls the image tier makes too (image-tier entries on terms made only by such
    /// entries), when an image-tier search of the same task runs beside this one.
    pub skip_image_calls: bool,
    /// Offer `a_mr(S)`, which reads the demo pairs (off for a view of a task, whose pairs
    /// are not the program's `S`).
    pub use_s: bool,
    /// Ends the search at its next look at the clock when asked, as if its time were up.
    pub stop: batt_engine::Stop,
}

impl Default for EnumConfig {
    fn default() -> EnumConfig {
        EnumConfig {
            depth: 3,
            time: Duration::from_secs(1),
            max_bytes: 512 << 20,
            max_terms: 1_000_000,
            stop_when_solved: true,
            image_only: false,
            skip_image_calls: false,
            use_s: true,
            stop: batt_engine::Stop::default(),
        }
    }
}

/// What an enumeration found.
#[derive(Clone, Debug)]
pub struct Found {
    /// Programs that give every train output, in the order found (at most [`MAX_SOLVERS`]).
    pub solvers: Vec<Program>,
    /// Terms stored (`I` included; the last level stores none, it only looks for solvers).
    pub terms: usize,
    /// Primitive applications (one per input a candidate was applied to).
    pub applications: u64,
    /// Why it stopped early: `"time"`, `"memory"`, `"terms"` or `"solvers"` (enough solvers
    /// found); `None` when every level up to the depth was enumerated.
    pub stopped: Option<&'static str>,
}

/// Solvers after which the enumeration stops.
pub const MAX_SOLVERS: usize = 16;
/// Work budget of one primitive application on one input.
const STEPS: u64 = 4_000;

// ----- the menu -------------------------------------------------------------------------

/// A group of constants, fixed per task.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum G {
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
const GROUPS: usize = 21;

/// How an argument of a call at the last level must relate to the expected outputs (checked on
/// every train pair) for the call to have a chance of giving them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Fit {
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
enum P {
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
enum Force {
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

const PATCH: u32 = OBJECT | INDICES;

/// One primitive as the enumeration uses it: what each parameter accepts, what it returns
/// given those (used to skip what cannot lead to a grid in the levels left), and its pruning
/// at the last level.
struct Entry {
    name: &'static str,
    params: &'static [P],
    ret: u32,
    force: Force,
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
static MENU: &[Entry] = &[
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
fn useful_kinds(depth: usize) -> Vec<u32> {
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

// ----- terms ----------------------------------------------------------------------------

/// Where an argument comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Src {
    /// A term.
    Term(u32),
    /// A constant of the table (a function value is passed as a primitive).
    Const(u16),
    /// `a_mr(S)`.
    AMr,
}

/// A stored term: its value on every input, its kind mask and how it was computed.
struct Term {
    vals: Box<[Value]>,
    kind: u32,
    /// The primitive and arguments (`None` for `I`).
    op: Option<(Prim, Box<[Src]>)>,
    /// Made by image-tier entries only, from `I` (what the image tier finds too).
    pure: bool,
}

/// A menu entry resolved against the signature table.
struct Item {
    prim: Prim,
    params: &'static [P],
    ret: u32,
    force: Force,
    uses_s: bool,
    /// An entry of the image tier.
    image: bool,
}

/// The candidates of one parameter: constants, then terms in order; those from `split` on
/// are of the newest level.
type Cands = (Vec<Src>, usize);

struct Enum<'a> {
    task: &'a Task,
    cfg: &'a EnumConfig,
    /// When the current [`TaskSearch::advance`] must stop.
    deadline: Instant,
    /// Where the bytes of stored terms are taken from, besides `cfg.max_bytes`.
    pool: PoolRef<'a>,
    /// The bytes of `I` (counted in `bytes`, not taken from the pool).
    base_bytes: usize,
    n_train: usize,
    n_in: usize,
    /// Output shapes of the train pairs.
    out_shapes: Vec<(usize, usize)>,
    consts: Vec<Value>,
    groups: [Vec<u16>; GROUPS],
    /// The value of `a_mr(S)`, when it exists.
    amr: Option<Value>,
    a_mr: Option<Prim>,
    terms: Vec<Term>,
    seen: HashSet<u64>,
    /// The vector fingerprints of solvers (for solvers that read `S` and equal one).
    solver_fps: HashSet<u64>,
    bytes: usize,
    applications: u64,
    next_check: u64,
    solvers: Vec<Program>,
    /// At the last level: per term, how it differs from the outputs (computed when asked).
    diffs: Vec<Option<Option<Diff>>>,
    /// At the last level, for `cellwise`: the colour the pair of grids chosen asks for, per
    /// train pair.
    cw_colour: Vec<Option<i32>>,
    /// At the last level, for `subgrid`: the top-left corner of the patch chosen, per train
    /// pair.
    sub_corner: Vec<(usize, usize)>,
    /// At the last level, for `subgrid`: the grids that fit, per corner vector.
    sub_cache: HashMap<Vec<(usize, usize)>, Arc<[Src]>>,
    /// At the last level, for `overlay`: the grids whose non-zero cells are all the
    /// outputs' (on every train pair), computed when first asked.
    tops: Option<Arc<[Src]>>,
    /// At the last level: per cell of the first output, the patch terms holding it on the
    /// first input, in order.
    holders: Vec<Vec<u32>>,
    /// `level_start[d]`: the first term of level `d` (the last entry: the end of the terms).
    level_start: Vec<usize>,
    /// The deepest depth whose goal-directed level is complete.
    probed: usize,
    /// The entries this search runs, and the kinds worth keeping per levels left.
    menu: Arc<[Item]>,
    useful: Arc<[u32]>,
    /// The menu entry the level in progress goes on with (0: the level starts).
    resume_item: usize,
    /// Why the search is over, when it is.
    done: Option<&'static str>,
    /// The budget (`"memory"` or `"terms"`) hit while storing a level: probe once more, then
    /// stop.
    full: Option<&'static str>,
}

/// Where a grid term differs from the expected outputs.
struct Diff {
    /// Per train pair, the first cell that differs (`NO_DIFF` when none does).
    d: Arc<[u32]>,
    /// On every pair, the output has one colour on all the cells that differ.
    uni_out: bool,
    /// On every pair, the term has one colour on all the cells that differ.
    uni_in: bool,
}

const NO_DIFF: u32 = u32::MAX;

/// Whether two terms are in strictly increasing order (for symmetric primitives).
fn ordered(a: Src, b: Src) -> bool {
    matches!((a, b), (Src::Term(x), Src::Term(y)) if x < y)
}

/// Whether `g` holds `part` with its top-left corner at `(top, left)`.
fn window_eq(g: &Grid, top: usize, left: usize, part: &Grid) -> bool {
    if top + part.h() > g.h() || left + part.w() > g.w() {
        return false;
    }
    part.rows().enumerate().all(|(i, r)| &g.row(top + i)[left..left + part.w()] == r)
}

/// The fingerprint of a value vector.
fn vec_fp(vals: &[Value]) -> u64 {
    vals.iter().fold(0x5eed, |h, v| mix64(h, v.fp()))
}

/// Enumerates programs for `task` up to `cfg.depth` levels within `cfg.time` and returns the
/// solvers found.
pub fn enumerate_task(task: &Task, cfg: &EnumConfig) -> Found {
    let mut s = TaskSearch::new(task, cfg);
    let _ = s.advance(Instant::now() + cfg.time);
    let mut en = s.en;
    let stopped = match en.done {
        None => Some("time"),
        Some("depth" | "solved") => None,
        other => other,
    };
    Found { solvers: std::mem::take(&mut en.solvers), terms: en.terms.len(), applications: en.applications, stopped }
}

/// The enumeration of one task, resumable: each [`advance`](TaskSearch::advance) goes one
/// or more depths deeper from where the last one stopped, keeping every stored level, so
/// a scheduler can share time among many tasks and give more to those still unsolved.
pub struct TaskSearch<'a> {
    en: Enum<'a>,
    /// Solvers already handed out by [`TaskSearch::advance`].
    reported: usize,
}

impl<'a> TaskSearch<'a> {
    pub fn new(task: &'a Task, cfg: &'a EnumConfig) -> TaskSearch<'a> {
        TaskSearch { en: Enum::new(task, cfg, PoolRef::Own), reported: 0 }
    }

    /// A search whose stored values also count against `pool`, shared with other searches.
    pub fn with_pool(task: &'a Task, cfg: &'a EnumConfig, pool: &'a MemoryPool) -> TaskSearch<'a> {
        TaskSearch { en: Enum::new(task, cfg, PoolRef::Shared(pool)), reported: 0 }
    }

    /// Searches until `deadline` or the end of the search; returns the solvers found since
    /// the last call, `Err("time")` when the deadline cut it and `Err("wait")` when its pool
    /// had no memory for the level in progress (it goes on from there when called again).
    pub fn advance(&mut self, deadline: Instant) -> Result<Vec<Program>, &'static str> {
        self.en.deadline = deadline;
        let r = self.en.advance();
        let new = self.en.solvers[self.reported..].to_vec();
        self.reported = self.en.solvers.len();
        match r {
            Err(e) if new.is_empty() => Err(e),
            _ => Ok(new),
        }
    }

    /// Whether the search is over (solved, every depth done, or a budget spent).
    pub fn done(&self) -> bool {
        self.en.done.is_some()
    }

    /// Why the search is over: `"solved"`, `"solvers"`, `"depth"`, `"memory"` or `"terms"`.
    pub fn why_done(&self) -> Option<&'static str> {
        self.en.done
    }

    /// The deepest depth whose goal-directed level is complete.
    pub fn depth(&self) -> usize {
        self.en.probed
    }

    /// Approximate bytes of the stored values.
    pub fn bytes(&self) -> usize {
        self.en.bytes
    }

    /// Primitive applications so far.
    pub fn applications(&self) -> u64 {
        self.en.applications
    }

    /// Every solver found so far.
    pub fn solvers(&self) -> &[Program] {
        &self.en.solvers
    }
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

fn int_of(v: &Value) -> Option<i32> {
    match v {
        Value::Int(x) => Some(*x),
        _ => None,
    }
}

impl<'a> Enum<'a> {
    fn new(task: &'a Task, cfg: &'a EnumConfig, pool: PoolRef<'a>) -> Enum<'a> {
        let inputs: Vec<Value> = task
            .train
            .iter()
            .map(|p| Value::Grid(p.input.clone()))
            .chain(task.test.iter().map(|t| Value::Grid(t.input.clone())))
            .collect();
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
        let a_mr = Prim::by_name("a_mr");
        let samples = task.samples();
        let amr = a_mr.and_then(|p| Ctx::new(1 << 20).apply(p, std::slice::from_ref(&samples)).ok());

        let mut en = Enum {
            task,
            cfg,
            deadline: Instant::now() + cfg.time,
            pool,
            base_bytes: 0,
            level_start: vec![0, 1],
            probed: 0,
            resume_item: 0,
            menu: Arc::from([]),
            useful: useful_kinds(cfg.depth).into(),
            done: None,
            full: None,
            n_train: task.train.len(),
            n_in: inputs.len(),
            out_shapes: task.train.iter().map(|p| (p.output.h(), p.output.w())).collect(),
            consts,
            groups,
            amr,
            a_mr,
            terms: Vec::new(),
            seen: HashSet::new(),
            solver_fps: HashSet::new(),
            bytes: 0,
            applications: 0,
            next_check: 0,
            solvers: Vec::new(),
            diffs: Vec::new(),
            cw_colour: Vec::new(),
            sub_corner: Vec::new(),
            sub_cache: HashMap::new(),
            tops: None,
            holders: Vec::new(),
        };
        // a term constant over the inputs and equal to a colour adds nothing: the colour is
        // offered wherever an integer term is
        for &k in &en.groups[G::Colours as usize] {
            let v = vec![en.consts[k as usize].clone(); inputs.len()];
            en.seen.insert(vec_fp(&v));
        }
        en.seen.insert(vec_fp(&inputs));
        en.bytes = inputs.iter().map(bytes).sum();
        en.base_bytes = en.bytes;
        en.terms.push(Term { vals: inputs.into(), kind: GRID, op: None, pure: true });
        en.menu = en.resolve_menu();
        en
    }

    /// The entries this search runs (resolved once, at its start).
    fn resolve_menu(&self) -> Arc<[Item]> {
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

    /// Goes on from where the last call stopped, until the search is over or the deadline:
    /// at each depth `d`, first the goal-directed level (calls that may give the outputs,
    /// nothing stored), then, unless a solver was found, the stored level `d` that depth
    /// `d + 1` builds on. Levels already stored are never recomputed; a level cut by the
    /// deadline goes on with the menu entry it was in (that entry's terms are redone).
    fn advance(&mut self) -> Result<(), &'static str> {
        if self.task.train.is_empty() || self.n_in == 0 {
            self.done = Some("depth");
        }
        while self.done.is_none() {
            let stored = self.level_start.len() - 2;
            if self.probed == stored {
                let d = stored + 1;
                if d > self.cfg.depth || self.level_start[d] == self.level_start[d - 1] {
                    self.done = Some("depth"); // the last level added nothing new
                    break;
                }
                match self.level(d, true) {
                    Err("solvers") => self.done = Some("solvers"),
                    Err(e) => return Err(e),
                    Ok(()) => {}
                }
                self.probed = d;
                if self.solvers.is_empty() {
                    match self.pieces() {
                        Err("solvers") => self.done = Some("solvers"),
                        Err(e) => return Err(e),
                        Ok(()) => {}
                    }
                }
                if !self.solvers.is_empty() && self.cfg.stop_when_solved {
                    self.done.get_or_insert("solved");
                } else if let Some(why) = self.full {
                    self.done.get_or_insert(why);
                }
            } else {
                let d = self.probed;
                if d >= self.cfg.depth {
                    self.done = Some("depth");
                    break;
                }
                match self.level(d, false) {
                    Ok(()) => {}
                    Err(why @ ("memory" | "terms")) => self.full = Some(why),
                    Err("solvers") => self.done = Some("solvers"),
                    Err(e) => return Err(e),
                }
                self.level_start.push(self.terms.len());
            }
        }
        Ok(())
    }

    /// Drops the terms from `mark` on (an entry cut short).
    fn truncate(&mut self, mark: usize) {
        for t in self.terms.drain(mark..) {
            self.seen.remove(&vec_fp(&t.vals));
            let size = term_bytes(&t.vals);
            self.bytes -= size;
            self.pool.give(size);
        }
    }

    /// Level `d`: every call with an argument of level `d - 1`, goal-directed and stored
    /// nowhere when `last`, else stored as terms of level `d`.
    fn level(&mut self, d: usize, last: bool) -> Result<(), &'static str> {
        let (menu, useful) = (self.menu.clone(), self.useful.clone());
        let (old_end, end) = (self.level_start[d - 1], self.level_start[d]);
        let left = if last { 0 } else { self.cfg.depth.saturating_sub(d).max(1) };
        if last {
            self.prepare_last();
        }
        // the terms each parameter accepts, older ones then those of level d-1
        let mut by_mask: HashMap<(u32, Option<Fit>), (Vec<u32>, usize)> = HashMap::new();
        // the image tier stores only unary steps (one term, constants): binary ones square the
        // terms of a level, and are left to the goal-directed last level
        let unary = |it: &&Item| it.params.iter().filter(|p| matches!(p, T(_) | TF(..))).count() <= 1;
        let todo = menu
            .iter()
            .enumerate()
            .skip(self.resume_item)
            .filter(|(_, it)| it.ret & useful[left] != 0)
            .filter(|(_, it)| last || !self.cfg.image_only || unary(it));
        for (i, item) in todo {
            self.resume_item = i;
            let mark = self.terms.len();
            let mut cands: Vec<Cands> = Vec::with_capacity(item.params.len());
            for p in item.params {
                let (mut list, mut split) = match *p {
                    C(G::Criteria) if !last => (vec![], 0),
                    C(g) | TC(_, g) => {
                        let l: Vec<Src> = self.groups[g as usize].iter().map(|&k| Src::Const(k)).collect();
                        let n = l.len();
                        (l, n)
                    }
                    AMr => (vec![Src::AMr], 1),
                    T(_) | TF(..) => (vec![], 0),
                };
                let key = match *p {
                    T(m) | TC(m, _) => Some((m, None)),
                    TF(m, fit) => Some((m, last.then_some(fit))),
                    _ => None,
                };
                if let Some(key) = key {
                    let (ts, old) = by_mask.entry(key).or_insert_with(|| {
                        let ts: Vec<u32> = (0..end)
                            .filter(|&t| self.terms[t].kind & key.0 != 0)
                            .filter(|&t| match key.1 {
                                Some(fit) => self.fits(t, fit),
                                None => true,
                            })
                            .map(|t| t as u32)
                            .collect();
                        let old = ts.partition_point(|&t| (t as usize) < old_end);
                        (ts, old)
                    });
                    split += *old;
                    list.extend(ts.iter().map(|&t| Src::Term(t)));
                }
                cands.push((list, split));
            }
            if let Err(e) = self.enumerate_item(item, &cands, old_end, useful[left], last) {
                if e == "time" || e == "wait" {
                    // the next call resumes with this entry; what it stored is dropped
                    self.truncate(mark);
                }
                return Err(e);
            }
        }
        self.resume_item = 0;
        Ok(())
    }

    /// Whether term `t` fits the outputs as `fit` asks, on every train pair.
    fn fits(&self, t: usize, fit: Fit) -> bool {
        let vals = &self.terms[t].vals;
        (0..self.n_train).all(|k| {
            let (oh, ow) = self.out_shapes[k];
            match (&vals[k], fit) {
                (Value::Grid(g), _) => grid_fits((g.h(), g.w()), (oh, ow), fit),
                (Value::Pair(h, w), Fit::ShapeOf) => (*h as i64, *w as i64) == (oh as i64, ow as i64),
                (v, Fit::BBox) => match v.as_patch().ok().and_then(batt_dsl::prims::patch::bbox) {
                    Some((t, l, b, r)) => ((b - t + 1) as i64, (r - l + 1) as i64) == (oh as i64, ow as i64),
                    None => false,
                },
                _ => false,
            }
        })
    }

    /// Pieces: answers layered from grids that are each right on part of every output. Each of
    /// the grid terms of the outputs' shape right on most cells is a base; then, greedily, the
    /// term whose non-zero cells laid over the answer (or under it: the answer's non-zero
    /// cells over the term) make most cells right, while that grows, three layers at most.
    /// Each layer is an `overlay` line, so an answer that gives every output is a program.
    fn pieces(&mut self) -> Result<(), &'static str> {
        const MAX_CANDS: usize = 4000;
        const LAYERS: usize = 3;
        const BASES: usize = 6;
        let Some(overlay) = Prim::by_name("overlay") else { return Ok(()) };
        let item = Item { prim: overlay, params: &[], ret: GRID, force: Force::None, uses_s: false, image: true };
        let cands: Vec<u32> = (0..self.terms.len())
            .filter(|&t| self.terms[t].kind == GRID && self.fits(t, Fit::Same))
            .take(MAX_CANDS)
            .map(|t| t as u32)
            .collect();
        if cands.len() < 2 {
            return Ok(());
        }
        let task = self.task;
        let total: usize = task.train.iter().map(|p| p.output.cells().len()).sum();
        // cells right on the train pairs when `top`'s non-zero cells lie over `under`; `None`
        // when a cell that `cur` (one of the two) has right becomes wrong: a layer is a piece,
        // right wherever it shows
        let right = |en: &Enum, under: u32, top: u32, cur: u32| -> Option<usize> {
            let mut n = 0;
            for k in 0..en.n_train {
                let g = |t: u32| en.grid_of(Src::Term(t), k);
                let (Some(a), Some(b), Some(c)) = (g(under), g(top), g(cur)) else { return None };
                let cells = a.cells().iter().zip(b.cells()).zip(c.cells()).zip(task.train[k].output.cells());
                for (((&x, &y), &z), &o) in cells {
                    if (if y != 0 { y } else { x }) == o {
                        n += 1;
                    } else if z == o {
                        return None;
                    }
                }
            }
            Some(n)
        };
        let own = |en: &Enum, t: u32| -> usize {
            (0..en.n_train)
                .map(|k| match en.grid_of(Src::Term(t), k) {
                    Some(g) => g.cells().iter().zip(task.train[k].output.cells()).filter(|(x, o)| x == o).count(),
                    None => 0,
                })
                .sum()
        };
        // the bases: the grids right on most cells (a greedy layering from the best alone
        // often ends in a corner)
        let mut ranked: Vec<(usize, u32)> = cands.iter().map(|&t| (own(self, t), t)).collect();
        ranked.sort_by_key(|&(sc, t)| (std::cmp::Reverse(sc), t));
        let mut buf = Vec::with_capacity(2);
        for &(base_score, base) in ranked.iter().take(BASES) {
            let (mut cur, mut best) = (base, base_score);
            for _ in 0..LAYERS {
                let mut pick: Option<(usize, [Src; 2])> = None;
                for &t in &cands {
                    if t == cur {
                        continue;
                    }
                    for (under, top) in [(cur, t), (t, cur)] {
                        self.tick()?;
                        let Some(sc) = right(self, under, top, cur) else { continue };
                        if sc > pick.as_ref().map_or(best, |p| p.0) {
                            pick = Some((sc, [Src::Term(under), Src::Term(top)]));
                        }
                    }
                }
                let Some((sc, args)) = pick else { break };
                let mut vals = Vec::with_capacity(self.n_in);
                for k in 0..self.n_in {
                    match self.apply_on(&item, &args, k, &mut buf) {
                        Some(v) => vals.push(v),
                        None => break,
                    }
                }
                if vals.len() < self.n_in {
                    break;
                }
                let fp = vec_fp(&vals);
                if sc == total {
                    if self.solves(&vals) && self.seen.insert(fp) {
                        self.solver_fps.insert(fp);
                        let prog = self.program_of(overlay, &args);
                        self.push_solver(prog)?;
                        return Ok(());
                    }
                    break;
                }
                let size = term_bytes(&vals);
                if !self.seen.insert(fp) || !self.pool.take(size) {
                    break;
                }
                self.bytes += size;
                let pure = args.iter().all(|a| self.pure(*a));
                self.terms.push(Term { vals: vals.into(), kind: GRID, op: Some((overlay, args.into())), pure });
                cur = (self.terms.len() - 1) as u32;
                best = sc;
            }
        }
        Ok(())
    }

    /// Before the last level: the cell index of patch terms on the first input.
    fn prepare_last(&mut self) {
        self.diffs = (0..self.terms.len()).map(|_| None).collect();
        self.cw_colour = vec![None; self.n_train];
        self.sub_corner = vec![(0, 0); self.n_train];
        self.tops = None;
        let (oh, ow) = self.out_shapes[0];
        let mut holders: Vec<Vec<u32>> = vec![Vec::new(); oh * ow];
        for (t, term) in self.terms.iter().enumerate() {
            if term.kind & PATCH == 0 {
                continue;
            }
            let Ok(p) = term.vals[0].as_patch() else { continue };
            for (i, j) in p.ijs() {
                if i >= 0 && j >= 0 && (i as usize) < oh && (j as usize) < ow {
                    let h = &mut holders[i as usize * ow + j as usize];
                    if h.last() != Some(&(t as u32)) {
                        h.push(t as u32);
                    }
                }
            }
        }
        self.holders = holders;
    }

    /// How term `t` differs from the outputs; `None` unless it is a grid of the output's
    /// shape on every train pair.
    fn diff(&mut self, t: u32) -> Option<&Diff> {
        let t = t as usize;
        if matches!(self.diffs.get(t), Some(None)) {
            let df = self.compute_diff(t);
            self.diffs[t] = Some(df);
        }
        self.diffs.get(t).and_then(|d| d.as_ref()).and_then(|d| d.as_ref())
    }

    fn compute_diff(&self, t: usize) -> Option<Diff> {
        let mut d = Vec::with_capacity(self.n_train);
        let (mut uni_out, mut uni_in) = (true, true);
        for (k, ex) in self.task.train.iter().enumerate() {
            let Value::Grid(g) = &self.terms[t].vals[k] else { return None };
            let out = &ex.output;
            if (g.h(), g.w()) != (out.h(), out.w()) {
                return None;
            }
            let mut first = NO_DIFF;
            for (i, (&x, &o)) in g.cells().iter().zip(out.cells()).enumerate() {
                if x != o {
                    if first == NO_DIFF {
                        first = i as u32;
                    } else {
                        uni_out &= o == out.cells()[first as usize];
                        uni_in &= x == g.cells()[first as usize];
                    }
                }
            }
            d.push(first);
        }
        Some(Diff { d: d.into(), uni_out, uni_in })
    }

    /// Every call of `item` with at least one argument of the newest level: the first such
    /// argument at position `p`, older candidates before it, any after it.
    fn enumerate_item(
        &mut self,
        item: &Item,
        cands: &[Cands],
        old_end: usize,
        useful: u32,
        last: bool,
    ) -> Result<(), &'static str> {
        let n = cands.len();
        if n == 0 || n > 4 {
            return Ok(());
        }
        let mut combo = [Src::AMr; 4];
        for p in 0..n {
            if cands[p].1 == cands[p].0.len() {
                continue; // no new candidate here
            }
            let lv = Level { p, old_end, useful, last };
            self.descend(item, cands, &lv, 0, &mut combo)?;
        }
        Ok(())
    }

    /// Chooses argument `q` (and on), then calls.
    fn descend(
        &mut self,
        item: &Item,
        cands: &[Cands],
        lv: &Level,
        q: usize,
        combo: &mut [Src; 4],
    ) -> Result<(), &'static str> {
        let n = cands.len();
        if q == n {
            return if lv.last {
                self.try_last(item, &combo[..n])
            } else {
                self.try_call(item, &combo[..n], lv.useful)
            };
        }
        // at the last level the patch of fill, cover, paint must hold the first wrong cell
        let split_of = |list: &[Src]| list.partition_point(|s| matches!(s, Src::Term(t) if (*t as usize) < lv.old_end));
        let dynamic: Option<(Arc<[Src]>, usize)> = match (lv.last, item.force, q) {
            (true, Force::Fill, 2) | (true, Force::Cover | Force::Paint(_), 1) => match combo[0] {
                Src::Term(a) => {
                    let d = self.diff(a).map_or(NO_DIFF, |df| df.d[0]);
                    self.holders.get(d as usize).map(|hs| {
                        let mask = match item.params[q] {
                            T(m) | TF(m, _) | TC(m, _) => m,
                            _ => 0,
                        };
                        let list: Arc<[Src]> = hs
                            .iter()
                            .filter(|&&t| self.terms[t as usize].kind & mask != 0)
                            .map(|&t| Src::Term(t))
                            .collect();
                        let split = split_of(&list);
                        (list, split)
                    })
                }
                _ => None,
            },
            // the colour map from the grid chosen to the outputs, when there is one
            (true, Force::ColourMap | Force::SizeMap(_) | Force::Layers, 1) => {
                let code = match (combo[0], item.force) {
                    (Src::Term(a), Force::ColourMap) => self.colour_map(a),
                    (Src::Term(a), Force::Layers) => self.layer_order(a),
                    (Src::Term(a), Force::SizeMap(rank)) => self.size_map(a, rank),
                    _ => None,
                };
                let list: Arc<[Src]> = match code {
                    Some(code) => {
                        let v = Value::Int(code);
                        let k = match self.consts.iter().position(|c| *c == v) {
                            Some(k) => k,
                            None => {
                                self.consts.push(v);
                                self.consts.len() - 1
                            }
                        };
                        Arc::from([Src::Const(k as u16)])
                    }
                    None => Arc::from([]),
                };
                let n = list.len();
                Some((list, n))
            }
            // the tops right wherever they are non-zero, and non-zero where the grid under
            // them is first wrong
            (true, Force::Overlay, 1) => match combo[0] {
                Src::Term(a) => {
                    let d: Option<Arc<[u32]>> = self.diff(a).map(|df| df.d.clone());
                    let tops = self.tops(&cands[1].0);
                    let list: Arc<[Src]> = match d {
                        Some(d) if d.iter().any(|&x| x != NO_DIFF) => tops
                            .iter()
                            .copied()
                            .filter(|&b| {
                                d.iter().enumerate().all(|(k, &x)| {
                                    x == NO_DIFF || self.grid_of(b, k).is_some_and(|g| g.cells()[x as usize] != 0)
                                })
                            })
                            .collect(),
                        _ => Arc::from([]),
                    };
                    let split = split_of(&list);
                    Some((list, split))
                }
                _ => None,
            },
            // the grids that hold the output where the patch chosen has its box
            (true, Force::Subgrid, 1) => {
                let list = match self.sub_cache.get(&self.sub_corner) {
                    Some(l) => l.clone(),
                    None => {
                        let task = self.task;
                        let l: Arc<[Src]> = cands[1]
                            .0
                            .iter()
                            .copied()
                            .filter(|&g| {
                                (0..self.n_train).all(|k| match self.grid_of(g, k) {
                                    Some(g) => {
                                        window_eq(g, self.sub_corner[k].0, self.sub_corner[k].1, &task.train[k].output)
                                    }
                                    None => false,
                                })
                            })
                            .collect();
                        self.sub_cache.insert(self.sub_corner.clone(), l.clone());
                        l
                    }
                };
                let split = split_of(&list);
                Some((list, split))
            }
            _ => None,
        };
        let (list, split) = match &dynamic {
            Some((l, s)) => (&l[..], *s),
            None => (cands[q].0.as_slice(), cands[q].1),
        };
        let (lo, hi) = match q.cmp(&lv.p) {
            std::cmp::Ordering::Less => (0, split),
            std::cmp::Ordering::Equal => (split, list.len()),
            std::cmp::Ordering::Greater => (0, list.len()),
        };
        for &s in &list[lo..hi] {
            combo[q] = s;
            if item.force != Force::None && !self.prune_ok(item, combo, q, lv.last) {
                continue;
            }
            self.descend(item, cands, lv, q + 1, combo)?;
        }
        Ok(())
    }

    /// Of `cands`, the grids whose non-zero cells (at least one) are all the outputs', on
    /// every train pair: what `overlay` may lay on top at the last level.
    fn tops(&mut self, cands: &[Src]) -> Arc<[Src]> {
        if let Some(t) = &self.tops {
            return t.clone();
        }
        let task = self.task;
        let list: Arc<[Src]> = cands
            .iter()
            .copied()
            .filter(|&b| {
                (0..self.n_train).all(|k| match self.grid_of(b, k) {
                    Some(g) if (g.h(), g.w()) == (task.train[k].output.h(), task.train[k].output.w()) => {
                        let out = task.train[k].output.cells();
                        g.cells().iter().zip(out).all(|(&x, &o)| x == 0 || x == o) && g.cells().iter().any(|&x| x != 0)
                    }
                    _ => false,
                })
            })
            .collect();
        self.tops = Some(list.clone());
        list
    }

    #[inline]
    fn value_ref(&self, s: Src, k: usize) -> Option<&Value> {
        match s {
            Src::Term(t) => self.terms.get(t as usize).and_then(|t| t.vals.get(k)),
            Src::Const(c) => self.consts.get(c as usize),
            Src::AMr => self.amr.as_ref(),
        }
    }

    fn grid_of(&self, s: Src, k: usize) -> Option<&Grid> {
        match self.value_ref(s, k) {
            Some(Value::Grid(g)) => Some(g),
            _ => None,
        }
    }

    fn int_at(&self, s: Src, k: usize) -> Option<i32> {
        self.value_ref(s, k).and_then(int_of)
    }

    /// Whether arguments `..=q` are worth completing (see [`Force`]).
    fn prune_ok(&mut self, item: &Item, combo: &[Src; 4], q: usize, last: bool) -> bool {
        if !last {
            let same = |a: &Grid, b: &Grid| match item.force {
                Force::Concat(true) => a.h() == b.h(),
                Force::Concat(false) => a.w() == b.w(),
                Force::Cellwise => (a.h(), a.w()) == (b.h(), b.w()),
                _ => true,
            };
            // cellwise is symmetric in its grids, and the identity on one grid
            if item.force == Force::Cellwise && q == 1 && !ordered(combo[0], combo[1]) {
                return false;
            }
            return q != 1
                || !matches!(item.force, Force::Concat(_) | Force::Cellwise)
                || (0..self.n_in).all(|k| match (self.grid_of(combo[0], k), self.grid_of(combo[1], k)) {
                    (Some(a), Some(b)) => same(a, b),
                    _ => false,
                });
        }
        let task = self.task;
        let out = |k: usize| &task.train[k].output;
        match (item.force, q) {
            (Force::Holds | Force::Parts | Force::Layers, 0) => (0..self.n_train).all(|k| {
                let Some(parts) = self.value_ref(combo[0], k).and_then(Value::as_values) else {
                    return false;
                };
                let o = out(k);
                match item.force {
                    Force::Holds => parts.iter().any(|p| matches!(p, Value::Grid(g) if g == o)),
                    _ => matches!(parts.first(), Some(Value::Grid(g)) if (g.h(), g.w()) == (o.h(), o.w())),
                }
            }),
            (Force::Corner(whole), 0) => (0..self.n_train).all(|k| {
                let (Some(g), o) = (self.grid_of(combo[0], k), out(k)) else { return false };
                let (h, w) = if whole { (g.h().min(o.h()), g.w().min(o.w())) } else { (1, 1) };
                (0..h).all(|i| g.row(i)[..w] == o.row(i)[..w])
            }),
            (
                Force::Replace
                | Force::Switch
                | Force::Fill
                | Force::Cover
                | Force::Cellwise
                | Force::Sets
                | Force::Keeps
                | Force::From,
                _,
            ) => {
                let Src::Term(a) = combo[0] else { return false };
                let Some(df) = self.diff(a) else { return false };
                let (uni_out, uni_in) = (df.uni_out, df.uni_in);
                let ds = df.d.clone();
                match (item.force, q) {
                    (Force::Replace, 0) => uni_out && uni_in,
                    (Force::Fill | Force::Cover | Force::Cellwise | Force::Sets | Force::Keeps, 0) => uni_out,
                    (Force::From, 0) => uni_in,
                    (Force::Replace | Force::Switch, 1 | 2)
                    | (Force::Fill | Force::Sets | Force::Keeps | Force::From, 1)
                    | (Force::Cellwise, 2) => {
                        (0..self.n_train).all(|k| {
                            let d = ds[k];
                            if d == NO_DIFF {
                                return true;
                            }
                            let (Some(g), Some(x)) = (self.grid_of(combo[0], k), self.int_at(combo[q], k)) else {
                                return false;
                            };
                            let (was, want) = (g.cells()[d as usize] as i32, out(k).cells()[d as usize] as i32);
                            match (item.force, q) {
                                (Force::Replace | Force::From, 1) => x == was,
                                (Force::Keeps, 1) => want == 0 && x != was,
                                (Force::Switch, 1) => x == was || x == want,
                                (Force::Switch, 2) => {
                                    let x1 = self.int_at(combo[1], k);
                                    x1 == Some(was) && x == want || x1 == Some(want) && x == was
                                }
                                _ => x == want,
                            }
                        }) && (item.force != Force::Cellwise
                            || (0..self.n_train).all(|k| match self.cw_colour[k] {
                                Some(c) => self.int_at(combo[2], k) == Some(c),
                                None => true,
                            }))
                    }
                    (Force::Fill, 2) | (Force::Cover, 1) => self.holds(combo[q], &ds),
                    (Force::Cellwise, 1) => ordered(combo[0], combo[1]) && self.cellwise_ok(combo, &ds),
                    _ => true,
                }
            }
            (Force::Paint(under), 1) => {
                let Src::Term(a) = combo[0] else { return false };
                let Some(df) = self.diff(a) else { return false };
                let ds = df.d.clone();
                self.paint_ok(combo, &ds, under)
            }
            (Force::Concat(h), _) => (0..self.n_train).all(|k| {
                let Some(x) = self.grid_of(combo[q], k) else { return false };
                let o = out(k);
                let (top, left) = match (q, self.grid_of(combo[0], k)) {
                    (0, _) => (0, 0),
                    (_, Some(a)) if h => (0, a.w()),
                    (_, Some(a)) => (a.h(), 0),
                    _ => return false,
                };
                let fits = if h {
                    x.h() == o.h() && left + x.w() <= o.w() && (q == 0 || left + x.w() == o.w())
                } else {
                    x.w() == o.w() && top + x.h() <= o.h() && (q == 0 || top + x.h() == o.h())
                };
                fits && window_eq(o, top, left, x)
            }),
            (Force::Subgrid, 0) => (0..self.n_train).all(|k| {
                let corner =
                    self.value_ref(combo[0], k).and_then(|p| p.as_patch().ok()).and_then(batt_dsl::prims::patch::bbox);
                match corner {
                    Some((t, l, _, _)) if t >= 0 && l >= 0 => {
                        self.sub_corner[k] = (t as usize, l as usize);
                        true
                    }
                    _ => false,
                }
            }),
            (Force::Scale(how), 1) => (0..self.n_train).all(|k| {
                let (Some(g), Some(s)) = (self.grid_of(combo[0], k), self.int_at(combo[1], k)) else {
                    return false;
                };
                scaled_shape(how, (g.h(), g.w()), s) == Some(self.out_shapes[k])
            }),
            _ => true,
        }
    }

    /// Per train pair, grid term `t` and the expected output, when they have one shape.
    fn with_outputs(&self, t: u32) -> Option<Vec<(&Grid, &Grid)>> {
        (0..self.n_train)
            .map(|k| {
                let (g, o) = (self.grid_of(Src::Term(t), k)?, &self.task.train[k].output);
                ((g.h(), g.w()) == (o.h(), o.w())).then_some((g, o))
            })
            .collect()
    }

    /// The code of a map of digits as `map_colours` and `recolour_by_size` read it (pairs of
    /// decimal digits, the smallest `from` first so that five pairs may fit), when some pair
    /// is given and it fits in an `i32`.
    fn digit_code(map: &[Option<i8>; 10]) -> Option<i32> {
        let pairs: Vec<(i64, i64)> =
            map.iter().enumerate().filter_map(|(n, c)| c.map(|c| (n as i64, c as i64))).collect();
        if pairs.is_empty() {
            return None;
        }
        i32::try_from(pairs.iter().fold(0i64, |code, &(n, c)| code * 100 + n * 10 + c)).ok()
    }

    /// The `map_colours` code taking grid term `t` to the outputs on every train pair: each
    /// colour of `t` becomes one colour, and some change; `None` otherwise.
    fn colour_map(&self, t: u32) -> Option<i32> {
        let mut map = [None::<i8>; 10];
        for (g, o) in self.with_outputs(t)? {
            for (&x, &y) in g.cells().iter().zip(o.cells()) {
                let slot = map.get_mut(usize::try_from(x).ok()?)?;
                if *slot.get_or_insert(y) != y || !(0..10).contains(&y) {
                    return None;
                }
            }
        }
        // only the colours that change
        for (x, slot) in map.iter_mut().enumerate() {
            if *slot == Some(x as i8) {
                *slot = None;
            }
        }
        Self::digit_code(&map)
    }

    /// The `layer` code laying tuple term `t`'s grids into the outputs on every train pair,
    /// when there is one naming at least two grids. The grids are peeled top first: the next
    /// is the first grid that is right, on every pair, wherever it is non-zero and no grid
    /// above it is, and adds such a cell on some pair; the cells no grid covers must be 0.
    fn layer_order(&self, t: u32) -> Option<i32> {
        let mut pairs = vec![];
        for k in 0..self.n_train {
            let parts = self.value_ref(Src::Term(t), k)?.as_values()?;
            let gs: Vec<&Grid> = parts.iter().map(|v| v.as_grid().ok()).collect::<Option<_>>()?;
            let o = &self.task.train[k].output;
            if gs.iter().any(|g| (g.h(), g.w()) != (o.h(), o.w())) {
                return None;
            }
            pairs.push((gs, o, vec![false; o.cells().len()]));
        }
        let n = pairs.iter().map(|(gs, ..)| gs.len()).min()?.min(9);
        let mut order: Vec<usize> = vec![];
        loop {
            let fits = |i: usize, pairs: &[(Vec<&Grid>, &Grid, Vec<bool>)]| {
                let mut adds = false;
                for (gs, o, covered) in pairs {
                    for ((&c, &y), &done) in gs[i].cells().iter().zip(o.cells()).zip(covered) {
                        if c != 0 && !done {
                            if c != y {
                                return false;
                            }
                            adds = true;
                        }
                    }
                }
                adds
            };
            let Some(i) = (0..n).find(|&i| !order.contains(&i) && fits(i, &pairs)) else { break };
            for (gs, _, covered) in pairs.iter_mut() {
                for (done, &c) in covered.iter_mut().zip(gs[i].cells()) {
                    *done |= c != 0;
                }
            }
            order.push(i);
        }
        let rest_zero =
            pairs.iter().all(|(_, o, covered)| o.cells().iter().zip(covered).all(|(&y, &done)| done || y == 0));
        (order.len() >= 2 && rest_zero).then(|| order.iter().fold(0, |code, &i| code * 10 + i as i32 + 1))
    }

    /// The `recolour_by_size` code (`recolour_by_rank` when `rank`) taking grid term `t` to the
    /// outputs on every train pair: the 0 cells stay, every group of cells becomes one colour,
    /// the same for every group of its size or size rank (up to 9; other groups stay as they
    /// are); `None` otherwise.
    fn size_map(&self, t: u32, rank: bool) -> Option<i32> {
        let mut map = [None::<i8>; 10];
        for (g, o) in self.with_outputs(t)? {
            if g.cells().iter().zip(o.cells()).any(|(&x, &y)| x == 0 && y != 0) {
                return None;
            }
            let groups = batt_dsl::prims::image::groups(g, |c| c != 0, false);
            let keys: Vec<usize> = match rank {
                true => batt_dsl::prims::image::size_ranks(&groups),
                false => groups.iter().map(Vec::len).collect(),
            };
            for (group, key) in groups.iter().zip(keys) {
                let c = o.cells()[group[0]];
                if group.iter().any(|&p| o.cells()[p] != c) {
                    return None;
                }
                match map.get_mut(key) {
                    Some(slot) => {
                        if *slot.get_or_insert(c) != c || !(0..10).contains(&c) {
                            return None;
                        }
                    }
                    None => {
                        if group.iter().any(|&p| o.cells()[p] != g.cells()[p]) {
                            return None;
                        }
                    }
                }
            }
        }
        Self::digit_code(&map)
    }

    /// `paint(a, obj)` at the last level: on every train pair, the object holds the first
    /// cell where `a` is wrong, and each of its cells inside the grid has the output's colour
    /// (for `underpaint`, where `a` does not).
    fn paint_ok(&self, combo: &[Src; 4], ds: &[u32], under: bool) -> bool {
        (0..self.n_train).all(|k| {
            let (Some(g), Some(Value::Object(cells))) = (self.grid_of(combo[0], k), self.value_ref(combo[1], k)) else {
                return false;
            };
            let o = &self.task.train[k].output;
            let (h, w) = (o.h() as i32, o.w() as i32);
            let mut covered = ds[k] == NO_DIFF;
            for c in cells.iter() {
                let (i, j) = (c.i(), c.j());
                if i < 0 || j < 0 || i >= h || j >= w {
                    continue;
                }
                let at = (i * w + j) as usize;
                let want = o.cells()[at] as i32;
                if c.color() != want && (!under || g.cells()[at] as i32 != want) {
                    return false;
                }
                covered |= at as u32 == ds[k];
            }
            covered
        })
    }

    /// Whether patch `p` holds cell `ds[k]` of the output on every train pair where the grid
    /// argument differs.
    fn holds(&self, p: Src, ds: &[u32]) -> bool {
        (0..self.n_train).all(|k| {
            let d = ds[k];
            if d == NO_DIFF {
                return true;
            }
            let ow = self.out_shapes[k].1 as u32;
            let (i, j) = ((d / ow) as i32, (d % ow) as i32);
            match self.value_ref(p, k).map(|v| v.as_patch()) {
                Some(Ok(Patch::Indices(s))) => batt_dsl::Loc::new(i, j).is_some_and(|l| s.binary_search(&l).is_ok()),
                Some(Ok(Patch::Object(s))) => s.iter().any(|c| (c.i(), c.j()) == (i, j)),
                _ => false,
            }
        })
    }

    /// `cellwise(a, b, c)` at the last level, before `c` is chosen: where `a` and `b` agree
    /// they are the output, and elsewhere the output has one colour (noted for `c`).
    fn cellwise_ok(&mut self, combo: &[Src; 4], ds: &[u32]) -> bool {
        for (k, &d) in ds.iter().enumerate().take(self.n_train) {
            let (Some(a), Some(b)) = (self.grid_of(combo[0], k), self.grid_of(combo[1], k)) else { return false };
            let o = &self.task.train[k].output;
            if (a.h(), a.w()) != (b.h(), b.w()) {
                return false;
            }
            let mut c: Option<i8> = (d != NO_DIFF).then(|| o.cells()[d as usize]);
            for ((&x, &y), &z) in a.cells().iter().zip(b.cells()).zip(o.cells()) {
                if x == y {
                    if x != z {
                        return false;
                    }
                } else if *c.get_or_insert(z) != z {
                    return false;
                }
            }
            self.cw_colour[k] = c.map(|c| c as i32);
        }
        true
    }

    /// Counts an application, and checks the clock every 64.
    #[inline]
    fn tick(&mut self) -> Result<(), &'static str> {
        self.applications += 1;
        if self.applications >= self.next_check {
            self.next_check = self.applications + 64;
            if Instant::now() >= self.deadline || self.cfg.stop.is_stopped() {
                return Err("time");
            }
        }
        Ok(())
    }

    /// Applies `item` to `args` on input `k`.
    #[inline]
    fn apply_on(&self, item: &Item, args: &[Src], k: usize, buf: &mut Vec<Value>) -> Option<Value> {
        buf.clear();
        for &s in args {
            buf.push(self.value_ref(s, k)?.clone());
        }
        Ctx::new(STEPS).apply(item.prim, buf).ok()
    }

    /// Applies `item` to `args` on every input; keeps the result when it is new.
    /// Whether an argument is a constant or a pure term (see [`Term::pure`]).
    fn pure(&self, a: Src) -> bool {
        match a {
            Src::Term(t) => self.terms.get(t as usize).is_some_and(|t| t.pure),
            Src::Const(_) | Src::AMr => true,
        }
    }

    /// Whether the full menu leaves this call to the image tier, which makes it too.
    fn left_to_image_tier(&self, item: &Item, args: &[Src]) -> bool {
        self.cfg.skip_image_calls && item.image && args.iter().all(|a| self.pure(*a))
    }

    fn try_call(&mut self, item: &Item, args: &[Src], useful: u32) -> Result<(), &'static str> {
        if self.left_to_image_tier(item, args) {
            return Ok(());
        }
        let mut vals: Vec<Value> = Vec::with_capacity(self.n_in);
        let mut buf: Vec<Value> = Vec::with_capacity(args.len());
        for k in 0..self.n_in {
            self.tick()?;
            match self.apply_on(item, args, k, &mut buf) {
                Some(v) => vals.push(v),
                None => return Ok(()),
            }
        }
        let kind = vals.iter().fold(0, |m, v| m | kind(v));
        // the menu's result kinds (which prune what cannot lead to a grid) are what the
        // primitive gives for these arguments, checked on every call the tests make; a grid
        // primitive may also give `()` or a tuple of empty rows (`trim` of a 3 × 2 grid)
        let degenerate = EMPTY | if item.ret & GRID != 0 { OTHER_TUPLE } else { 0 };
        debug_assert!(
            kind & !(item.ret | degenerate) == 0,
            "{}: kinds {kind:#x}, menu {:#x}",
            item.prim.name(),
            item.ret
        );
        if kind & useful == 0 || self.idle_on_demos(args, &vals) {
            return Ok(());
        }
        let fp = vec_fp(&vals);
        let solves = self.solves(&vals);
        if self.seen.contains(&fp) {
            return self.duplicate(item, args, solves, fp);
        }
        if self.terms.len() >= self.cfg.max_terms {
            return Err("terms");
        }
        let size = term_bytes(&vals);
        if self.bytes + size > self.cfg.max_bytes.min(self.pool.share()) {
            return Err("memory");
        }
        if !self.pool.take(size) {
            return Err("wait");
        }
        self.seen.insert(fp);
        self.bytes += size;
        let pure = item.image && args.iter().all(|a| self.pure(*a));
        self.terms.push(Term { vals: vals.into(), kind, op: Some((item.prim, args.into())), pure });
        if solves {
            self.solver_fps.insert(fp);
            let prog = self.program_of(item.prim, args);
            self.push_solver(prog)?;
        }
        Ok(())
    }

    /// At the last level: applies `item` to `args` on the train inputs while it gives their
    /// outputs, then on the test inputs; a new solver is reported (nothing is stored).
    fn try_last(&mut self, item: &Item, args: &[Src]) -> Result<(), &'static str> {
        if self.left_to_image_tier(item, args) {
            return Ok(());
        }
        let mut vals: Vec<Value> = Vec::with_capacity(self.n_in);
        let mut buf: Vec<Value> = Vec::with_capacity(args.len());
        for k in 0..self.n_in {
            self.tick()?;
            match self.apply_on(item, args, k, &mut buf) {
                Some(Value::Grid(g)) if k >= self.n_train || g == self.task.train[k].output => {
                    vals.push(Value::Grid(g))
                }
                _ => return Ok(()),
            }
        }
        if self.idle_on_demos(args, &vals) {
            return Ok(());
        }
        let fp = vec_fp(&vals);
        if !self.seen.insert(fp) {
            return self.duplicate(item, args, true, fp);
        }
        self.solver_fps.insert(fp);
        let prog = self.program_of(item.prim, args);
        self.push_solver(prog)
    }

    /// Whether a call gives what one of its term arguments is on every train input: a step
    /// the demo pairs cannot justify, whatever it does to a test input (where it could only
    /// make a prediction worse), so it is not kept.
    fn idle_on_demos(&self, args: &[Src], vals: &[Value]) -> bool {
        args.iter().any(|a| match *a {
            Src::Term(t) => self.terms[t as usize].vals[..self.n_train] == vals[..self.n_train],
            _ => false,
        })
    }

    /// Whether a value vector gives every train output, and a grid for every test input.
    fn solves(&self, vals: &[Value]) -> bool {
        (0..self.n_train).all(|k| matches!(&vals[k], Value::Grid(g) if *g == self.task.train[k].output))
            && vals[self.n_train..].iter().all(|v| matches!(v, Value::Grid(_)))
    }

    /// A call whose vector an earlier term has: a program reading `S` that equals a solver is
    /// still reported (it may carry over to other tasks).
    fn duplicate(&mut self, item: &Item, args: &[Src], solves: bool, fp: u64) -> Result<(), &'static str> {
        if solves && item.uses_s && self.solver_fps.contains(&fp) {
            let prog = self.program_of(item.prim, args);
            return self.push_solver(prog);
        }
        Ok(())
    }

    fn push_solver(&mut self, p: Program) -> Result<(), &'static str> {
        self.solvers.push(p);
        if self.solvers.len() >= MAX_SOLVERS {
            return Err("solvers");
        }
        Ok(())
    }

    /// The program computing `prim(args)`: the terms it reads, one line each, in the canonical
    /// order of a backward slice (the call is a virtual line after every term).
    fn program_of(&self, prim: Prim, args: &[Src]) -> Program {
        let root = self.terms.len();
        let args_of = |k: usize| -> &[Src] {
            match self.terms.get(k).and_then(|t| t.op.as_ref()) {
                Some((_, a)) => a,
                None if k == root => args,
                None => &[],
            }
        };
        // `I` (term 0) is no line
        let reads = |k: usize| -> Vec<usize> {
            args_of(k)
                .iter()
                .filter_map(|s| match *s {
                    Src::Term(t) if t > 0 => Some(t as usize),
                    _ => None,
                })
                .collect()
        };
        let order = batt_prog::slice::slice(root, reads);
        let need_amr = order.iter().any(|&k| args_of(k).contains(&Src::AMr));
        let mut lines: Vec<Line> = Vec::with_capacity(order.len() + 1);
        if let (true, Some(a_mr)) = (need_amr, self.a_mr) {
            lines.push(Line { callee: Callee::Prim(a_mr), args: vec![Arg::Ref(Ref::S)] });
        }
        // every term read is in the slice, before its reader, so it has its line
        let mut line_of: Vec<usize> = vec![0; root + 1];
        for &k in &order {
            let callee = if k == root { prim } else { self.terms[k].op.as_ref().map_or(prim, |(p, _)| *p) };
            let args = args_of(k)
                .iter()
                .map(|s| match *s {
                    Src::Term(0) => Arg::Ref(Ref::I),
                    Src::Term(t) => Arg::Ref(Ref::Line(line_of[t as usize])),
                    Src::AMr => Arg::Ref(Ref::Line(0)),
                    Src::Const(c) => match &self.consts[c as usize] {
                        Value::Func(f) => match **f {
                            Func::Prim(p) => Arg::Prim(p),
                            _ => Arg::Const(Value::Func(f.clone())),
                        },
                        v => Arg::Const(v.clone()),
                    },
                })
                .collect();
            lines.push(Line { callee: Callee::Prim(callee), args });
            line_of[k] = lines.len() - 1;
        }
        let ret = Ref::Line(lines.len() - 1);
        Program { name: self.task.id.clone(), uses_s: need_amr, lines, ret }
    }
}

/// Whether an argument grid of shape `(h, w)` can give an output of shape `(oh, ow)` as `fit`
/// asks (the shape each primitive of `MENU` gives its grid argument, restated; tested against
/// the primitives).
fn grid_fits((h, w): (usize, usize), (oh, ow): (usize, usize), fit: Fit) -> bool {
    match fit {
        Fit::Same => (h, w) == (oh, ow),
        Fit::Trans => (w, h) == (oh, ow),
        Fit::Rows => h == oh && w < ow,
        Fit::Cols => w == ow && h < oh,
        Fit::HalfH => w == ow && h / 2 == oh,
        Fit::HalfW => h == oh && w / 2 == ow,
        Fit::Trim => (h, w) == (oh + 2, ow + 2),
        Fit::Larger => h >= oh && w >= ow && (h, w) != (oh, ow),
        Fit::BBox | Fit::ShapeOf => false,
    }
}

/// The shape `upscale` (`how` 0), `downscale` (1), `hupscale` (2) or `vupscale` (3) gives an
/// `(h, w)` grid with factor `s`; `None` when the result is no grid (tested against the
/// primitives; `downscale`'s is the primitive's own).
fn scaled_shape(how: u8, (h, w): (usize, usize), s: i32) -> Option<(usize, usize)> {
    let f = usize::try_from(s).ok().filter(|&f| f > 0);
    match how {
        0 => f.map(|f| (h * f, w * f)),
        1 => batt_dsl::prims::grid::downscale_step(h, w, s).ok().map(|(_, shape)| shape),
        2 => f.map(|f| (h, w * f)),
        _ => f.map(|f| (h * f, w)),
    }
}

/// Where the enumeration of one entry stands: the position of the first argument of the
/// newest level, the first term of that level, the kinds worth keeping, the last level.
struct Level {
    p: usize,
    old_end: usize,
    useful: u32,
    last: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_dsl::Ty;
    use batt_prog::check;

    #[test]
    fn kind_bits_are_those_of_the_checker() {
        assert_eq!(check::kinds(Ty::Grid), GRID);
        assert_eq!(check::kinds(Ty::Objects), OBJECTS | EMPTY);
        assert_eq!(check::kinds(Ty::Indices), INDICES | EMPTY);
        assert_eq!(check::kinds(Ty::Object), OBJECT | EMPTY);
        assert_eq!(check::kinds(Ty::IntegerSet), INT_SET | EMPTY);
        assert_eq!(check::kinds(Ty::IndicesSet), INDICES_SET | EMPTY);
        assert_eq!(check::kinds(Ty::Cell), CELL);
        assert_eq!(check::kinds(Ty::IntegerTuple), PAIR);
        assert_eq!(check::kinds(Ty::Callable), FUNC);
        assert_eq!(check::kinds(Ty::Samples), SAMPLES);
        assert_eq!(check::kinds(Ty::Boolean), BOOL | INT);
        let objs = Value::set(vec![Value::object_cij([(1, 0, 0)]).unwrap()]).unwrap();
        assert_eq!(kind(&objs), OBJECTS);
        assert_eq!(kind(&Value::empty_set()), EMPTY);
        assert_eq!(kind(&Value::Int(3)), INT);
    }

    /// The shapes the last level restates agree with what the primitives give: every grid a
    /// primitive makes from an argument of some shape passes the argument's fit (nothing
    /// valid is pruned), and the scale shapes are exactly the primitives'.
    #[test]
    fn restated_shapes_agree_with_the_primitives() {
        let grid = |h: usize, w: usize| {
            let cells = (0..h * w).map(|k| ((k * 7 + k / w) % 3) as i8).collect();
            Value::Grid(Grid::new(h, w, cells).unwrap())
        };
        let shape_of = |v: Result<Value, _>| match v {
            Ok(Value::Grid(g)) => Some((g.h(), g.w())),
            _ => None,
        };
        let mut checked = 0;
        for e in MENU {
            let p = Prim::by_name(e.name).unwrap();
            for h in 1..=9 {
                for w in 1..=9 {
                    let g = grid(h, w);
                    if let [TF(GRID, fit)] = e.params {
                        let got = Ctx::default().apply(p, std::slice::from_ref(&g));
                        if *fit == Fit::Larger && got.as_ref() == Ok(&g) {
                            // compress that removes nothing gives its argument, a term already
                            continue;
                        }
                        let Some(out) = shape_of(got) else { continue };
                        assert!(grid_fits((h, w), out, *fit), "{} of {h}x{w} gives {out:?}", e.name);
                        if *fit != Fit::Larger {
                            for oh in 1..=11 {
                                for ow in 1..=11 {
                                    let fits = grid_fits((h, w), (oh, ow), *fit);
                                    assert_eq!(fits, (oh, ow) == out, "{} {h}x{w} -> {oh}x{ow}", e.name);
                                }
                            }
                        }
                        checked += 1;
                    }
                    if let Force::Scale(how) = e.force {
                        for s in -3..=5 {
                            let got = shape_of(Ctx::default().apply(p, &[g.clone(), Value::Int(s)]));
                            assert_eq!(scaled_shape(how, (h, w), s), got, "{}({h}x{w}, {s})", e.name);
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 13 * 81, "{checked}");
    }

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
