//! The primitives that have kernels, by family, and what each takes from a pair's arguments.
//! Everything here is pure: a pair whose arguments a kernel does not take gives `None`, and
//! the CPU evaluates that pair (so the CPU decides every edge case).

use crate::device::{LabelMode, Remap, Scatter, Stats};
use batt_dsl::grid::{pick_from_histogram, MAX_CELLS, MAX_SIDE};
use batt_dsl::prims::grid::{crop_window, downscale_step, obj_cells};
use batt_dsl::prims::patch::bbox;
use batt_dsl::{Grid, Loc, Prim, Value};

/// A primitive that has a kernel, by the device call that evaluates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// A map of cells to a new grid ([`crate::device::Device::remap`]).
    Remap(RemapKernel),
    /// Cells written into a copy of the grid ([`crate::device::Device::scatter`]).
    Scatter(ScatterKernel),
    /// A value read off the grid's colour statistics ([`crate::device::Device::stats`]).
    Stat(StatKernel),
    /// `ofcolor`: the locations of one colour ([`crate::device::Device::cells_eq`]).
    Ofcolor,
    /// `objects(grid, univalued, diagonal, without_bg)`, or `o_g(grid, selector)` when
    /// `selector`: connected components ([`crate::device::Device::labels`]).
    Objects { selector: bool },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RemapKernel {
    /// `mir_rot(grid, k)`.
    MirRot,
    /// A fixed symmetry, by its `mir_rot` index (`hmirror` ... `rot270` of a grid).
    Symmetry(u8),
    Crop,
    Subgrid,
    Upscale,
    Downscale,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScatterKernel {
    Fill,
    Underfill,
    Cover,
    Paint,
    Underpaint,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StatKernel {
    Palette,
    Numcolors,
    Mostcolor,
    Leastcolor,
    Colorcount,
}

impl Kernel {
    /// The kernel of primitive `p`, if it has one.
    pub(crate) fn of(p: Prim) -> Option<Kernel> {
        use {RemapKernel as R, ScatterKernel as W, StatKernel as S};
        Some(match p.name() {
            "mir_rot" => Kernel::Remap(R::MirRot),
            "hmirror" => Kernel::Remap(R::Symmetry(0)),
            "dmirror" => Kernel::Remap(R::Symmetry(1)),
            "vmirror" => Kernel::Remap(R::Symmetry(2)),
            "cmirror" => Kernel::Remap(R::Symmetry(3)),
            "rot90" => Kernel::Remap(R::Symmetry(4)),
            "rot180" => Kernel::Remap(R::Symmetry(5)),
            "rot270" => Kernel::Remap(R::Symmetry(6)),
            "crop" => Kernel::Remap(R::Crop),
            "subgrid" => Kernel::Remap(R::Subgrid),
            "upscale" => Kernel::Remap(R::Upscale),
            "downscale" => Kernel::Remap(R::Downscale),
            "fill" => Kernel::Scatter(W::Fill),
            "underfill" => Kernel::Scatter(W::Underfill),
            "cover" => Kernel::Scatter(W::Cover),
            "paint" => Kernel::Scatter(W::Paint),
            "underpaint" => Kernel::Scatter(W::Underpaint),
            "palette" => Kernel::Stat(S::Palette),
            "numcolors" => Kernel::Stat(S::Numcolors),
            "mostcolor" => Kernel::Stat(S::Mostcolor),
            "leastcolor" => Kernel::Stat(S::Leastcolor),
            "colorcount" => Kernel::Stat(S::Colorcount),
            "ofcolor" => Kernel::Ofcolor,
            "objects" => Kernel::Objects { selector: false },
            "o_g" => Kernel::Objects { selector: true },
            _ => return None,
        })
    }

    /// Which argument is the grid.
    pub(crate) fn grid_arg(self) -> usize {
        match self {
            Kernel::Remap(RemapKernel::Subgrid) => 1,
            _ => 0,
        }
    }

    /// Whether it reads the grid's colour statistics (the background is its most common colour).
    pub(crate) fn needs_stats(self) -> bool {
        matches!(
            self,
            Kernel::Stat(_)
                | Kernel::Scatter(ScatterKernel::Underfill | ScatterKernel::Underpaint | ScatterKernel::Cover)
        )
    }
}

impl RemapKernel {
    /// The map for an `h` × `w` grid and the other arguments.
    pub(crate) fn map(self, h: usize, w: usize, args: &[Value]) -> Option<Remap> {
        match self {
            RemapKernel::MirRot => symmetry(selector(&args[0])?, h, w),
            RemapKernel::Symmetry(s) => symmetry(s, h, w),
            RemapKernel::Crop => crop_map(h, w, args[0].as_pair().ok()?, args[1].as_pair().ok()?),
            RemapKernel::Subgrid => {
                let (top, left, bottom, right) = bbox(args[0].as_patch().ok()?)?;
                crop_map(h, w, (top, left), (bottom - top + 1, right - left + 1))
            }
            RemapKernel::Upscale => {
                let f = args[0].as_int().ok().filter(|&f| f > 0)? as usize;
                let (nh, nw) = (h.checked_mul(f)?, w.checked_mul(f)?);
                if nh > MAX_SIDE || nw > MAX_SIDE || nh * nw > MAX_CELLS {
                    return None;
                }
                Some(Remap { h: nh as u32, w: nw as u32, r: [0, 1, 0], c: [0, 0, 1], div: f as i32 })
            }
            RemapKernel::Downscale => {
                // the primitive's own stride and shape
                let (step, (nh, nw)) = downscale_step(h, w, args[0].as_int().ok()?).ok()?;
                let s = step as i32;
                Some(Remap { h: nh as u32, w: nw as u32, r: [0, s, 0], c: [0, 0, s], div: 1 })
            }
        }
    }
}

impl ScatterKernel {
    /// The cells to write, given the other arguments and the grid's background (its most
    /// common colour, when known).
    pub(crate) fn writes(self, args: &[Value], bg: Option<i8>) -> Option<Scatter> {
        let (cells, only_where) = match self {
            ScatterKernel::Fill => (patch_cells(&args[1], colour(&args[0])?)?, None),
            ScatterKernel::Underfill => (patch_cells(&args[1], colour(&args[0])?)?, Some(bg?)),
            ScatterKernel::Cover => (patch_cells(&args[0], bg?)?, None),
            ScatterKernel::Paint => (object_cells(&args[0])?, None),
            ScatterKernel::Underpaint => (object_cells(&args[0])?, Some(bg?)),
        };
        Some(Scatter { cells, only_where })
    }
}

impl StatKernel {
    /// The value from a grid's statistics and the other arguments (None: the CPU decides).
    pub(crate) fn value(self, st: &Stats, args: &[Value]) -> Option<Value> {
        let present = || (0..16).filter(|&c| st.counts[c] > 0);
        match self {
            StatKernel::Palette if !st.other => Some(Value::int_set(present().map(|c| c as i32).collect())),
            StatKernel::Numcolors if !st.other => Value::int(present().count() as i64).ok(),
            StatKernel::Mostcolor => pick(st, true).map(|c| Value::Int(c as i32)),
            StatKernel::Leastcolor => pick(st, false).map(|c| Value::Int(c as i32)),
            StatKernel::Colorcount => {
                let n = match args[0].as_int() {
                    Err(_) => 0,
                    Ok(x) if (0..16).contains(&x) => st.counts[x as usize],
                    Ok(_) if !st.other => 0,
                    Ok(_) => return None,
                };
                Value::int(n as i64).ok()
            }
            _ => None,
        }
    }
}

/// How `objects` (or `o_g` when `selector`) connects the cells of `grid`, from the other
/// arguments.
pub(crate) fn label_mode(selector: bool, args: &[Value], grid: &Grid) -> Option<LabelMode> {
    let (univalued, diagonal, without_bg) = if selector {
        let m = self::selector(&args[0])?;
        (m & 4 != 0, m & 2 != 0, m & 1 != 0)
    } else {
        (args[0].truthy(), args[1].truthy(), args[2].truthy())
    };
    Some(LabelMode { univalued, diagonal, bg: without_bg.then(|| grid.mostcolor()) })
}

/// `ofcolor`'s value from the row-major positions found in a grid `w` cells wide.
pub(crate) fn ofcolor_value(positions: &[u32], w: usize) -> Option<Value> {
    let locs: Option<Vec<Loc>> =
        positions.iter().map(|&p| Loc::new((p as usize / w) as i32, (p as usize % w) as i32)).collect();
    locs.map(Value::indices)
}

/// A colour argument as a cell value.
pub(crate) fn colour(v: &Value) -> Option<i8> {
    v.as_int().ok().and_then(|c| i8::try_from(c).ok())
}

/// The map of symmetry `k` (`mir_rot`'s numbering) of an `h` × `w` grid.
pub(crate) fn symmetry(k: u8, h: usize, w: usize) -> Option<Remap> {
    let (h1, w1) = (h as i32 - 1, w as i32 - 1);
    let (same, turned) = ((h as u32, w as u32), (w as u32, h as u32));
    let ((oh, ow), r, c) = match k {
        0 => (same, [h1, -1, 0], [0, 0, 1]),
        1 => (turned, [0, 0, 1], [0, 1, 0]),
        2 => (same, [0, 1, 0], [w1, 0, -1]),
        3 => (turned, [h1, 0, -1], [w1, -1, 0]),
        4 => (turned, [h1, 0, -1], [0, 1, 0]),
        5 => (same, [h1, -1, 0], [w1, 0, -1]),
        6 => (turned, [0, 0, 1], [w1, -1, 0]),
        7 => (same, [0, 1, 0], [0, 0, 1]),
        _ => return None,
    };
    Some(Remap { h: oh, w: ow, r, c, div: 1 })
}

/// A selector `0..=7` as the CPU reads it (anything else runs on the CPU, which fails it).
fn selector(v: &Value) -> Option<u8> {
    v.as_int().ok().and_then(|k| u8::try_from(k).ok()).filter(|&k| k <= 7)
}

/// The window of `crop` as a map, when it is a grid.
fn crop_map(h: usize, w: usize, start: (i32, i32), dims: (i32, i32)) -> Option<Remap> {
    let (top, left, nh, nw) = crop_window(h, w, start, dims)?;
    Some(Remap { h: nh as u32, w: nw as u32, r: [top as i32, 1, 0], c: [left as i32, 0, 1], div: 1 })
}

/// The distinct locations of a patch argument, each with `colour`.
fn patch_cells(v: &Value, colour: i8) -> Option<Vec<(i32, i32, i8)>> {
    let p = v.as_patch().ok()?;
    let mut ijs: Vec<(i32, i32)> = p.ijs().collect();
    ijs.sort_unstable();
    ijs.dedup();
    Some(ijs.into_iter().map(|(i, j)| (i, j, colour)).collect())
}

/// The cells of an object argument, when their locations are distinct and their colours
/// cells can hold (otherwise the CPU decides what overlapping writes give).
fn object_cells(v: &Value) -> Option<Vec<(i32, i32, i8)>> {
    let cells = obj_cells(v).ok()?;
    let mut out = Vec::with_capacity(cells.len());
    for c in cells.iter() {
        let (v, i, j) = c.parts();
        out.push((i, j, i8::try_from(v).ok()?));
    }
    let mut ijs: Vec<(i32, i32)> = out.iter().map(|&(i, j, _)| (i, j)).collect();
    ijs.sort_unstable();
    ijs.dedup();
    (ijs.len() == out.len()).then_some(out)
}

/// The histogram and the tie order of a grid from its statistics (None: colours outside
/// 0..=15, which the CPU handles).
fn histogram(st: &Stats) -> Option<[u32; 256]> {
    if st.other {
        return None;
    }
    let mut hist = [0u32; 256];
    hist[..16].copy_from_slice(&st.counts);
    Some(hist)
}

/// `mostcolor` (`most`) or `leastcolor` of a grid from its statistics.
pub(crate) fn pick(st: &Stats, most: bool) -> Option<i8> {
    let hist = histogram(st)?;
    Some(pick_from_histogram(&hist, most, |_| {
        let mut seen: Vec<(u32, i8)> = (0..16).filter(|&c| st.counts[c] > 0).map(|c| (st.first[c], c as i8)).collect();
        seen.sort_unstable();
        seen.into_iter().map(|(_, c)| c).collect()
    }))
}
