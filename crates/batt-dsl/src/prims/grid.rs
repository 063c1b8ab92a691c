//! Primitives: grid.
//!
//! Everything here works on the row-major `i8` cells of a [`Grid`] and builds each result in
//! one `Vec` handed to [`Grid::new`] or to a canonical constructor. Sets of locations and
//! cells come out in canonical order without a sort where possible: the canonical order of
//! the positions of an `h` × `w` grid is "rows in the text order of `"i,"`, and within a row
//! columns in the text order of `"j]"`" (see [`crate::pack`]), tabulated once in [`ORDERS`].
//!
//! Results that Python builds as tuples of rows but that are not grids (an empty crop is `()`,
//! a crop of width 0 is `((), (), ...)`) are built as those tuples, exactly as arc-dsl does.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::grid::{Grid, MAX_CELLS, MAX_SIDE};
use crate::pack::{Cell, Loc, I8_CANON};
use crate::prims::patch::bbox;
use crate::value::{canon_cmp, Patch, Value};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

// ----- tables -------------------------------------------------------------------------------

/// For every side length `n` in `0..=256`, the numbers `0..n` in canonical order as row
/// indices (`rows[n]`) and as column indices (`cols[n]`).
struct Orders {
    rows: Vec<Box<[u8]>>,
    cols: Vec<Box<[u8]>>,
}

static ORDERS: LazyLock<Orders> = LazyLock::new(|| {
    let build = |key: &dyn Fn(i32) -> u32| -> Vec<Box<[u8]>> {
        let mut all: Vec<u8> = (0..=255u8).collect();
        all.sort_by_key(|&x| key(x as i32));
        (0..=256usize).map(|n| all.iter().copied().filter(|&x| (x as usize) < n).collect()).collect()
    };
    Orders {
        rows: build(&|x| Loc::new(x, 0).map_or(0, |l| l.key())),
        cols: build(&|x| Loc::new(0, x).map_or(0, |l| l.key())),
    }
});

/// Row indices `0..n` in canonical order.
#[inline]
fn canon_rows(n: usize) -> &'static [u8] {
    ORDERS.rows.get(n).map_or(&[], |b| b)
}

/// Column indices `0..n` in canonical order.
#[inline]
fn canon_cols(n: usize) -> &'static [u8] {
    ORDERS.cols.get(n).map_or(&[], |b| b)
}

/// The packed location `(i, j)` for `i, j < 32`, at index `32 i + j`: ARC grids are at most
/// 30 × 30, and a table load is cheaper than packing.
static LOC32: LazyLock<Vec<Loc>> = LazyLock::new(|| (0..1024).filter_map(|k| Loc::new(k / 32, k % 32)).collect());

/// Packs locations of one grid: from [`LOC32`] when the grid fits it.
struct Locs {
    table: Option<&'static [Loc]>,
}

impl Locs {
    fn for_grid(h: usize, w: usize) -> Locs {
        Locs { table: (h <= 32 && w <= 32).then(|| &LOC32[..]) }
    }
    /// The location `(i, j)` (both below 256).
    #[inline]
    fn at(&self, i: u8, j: u8) -> Res<Loc> {
        match self.table.and_then(|t| t.get(i as usize * 32 + j as usize)) {
            Some(&l) => Ok(l),
            None => Loc::new(i as i32, j as i32).ok_or(Fail::Limit("coordinate outside the packed domain")),
        }
    }
}

// ----- small helpers ------------------------------------------------------------------------

/// A colour as a grid cell, or a size-limit failure when it does not fit.
#[inline]
fn c8(x: i32) -> Res<i8> {
    i8::try_from(x).map_err(|_| Fail::Limit("colour outside the grid range"))
}

/// Whether `(i, j)` lies inside an `h` × `w` grid.
#[inline]
fn inside(i: i32, j: i32, h: usize, w: usize) -> bool {
    i >= 0 && j >= 0 && (i as usize) < h && (j as usize) < w
}

/// Python's `seq[start:stop]` on a sequence of length `n`, as a range of indices.
fn py_slice(n: usize, start: i64, stop: i64) -> Range<usize> {
    let n = n as i64;
    let norm = |x: i64| if x < 0 { (x + n).max(0) } else { x.min(n) };
    let (a, b) = (norm(start), norm(stop));
    a as usize..b.max(a) as usize
}

/// A tuple of `h` rows of width `w`: a grid, or `()` when there are no rows, or `h` empty
/// tuples when the rows are empty (what Python's slicing gives).
fn rows_value(h: usize, w: usize, cells: Vec<i8>) -> Res<Value> {
    if h == 0 {
        return Ok(Value::empty_tuple());
    }
    if w == 0 {
        if h > MAX_SIDE {
            return Err(Fail::Limit("grid too large"));
        }
        return Value::tuple(vec![Value::empty_tuple(); h]);
    }
    Ok(Value::Grid(Grid::new(h, w, cells)?))
}

/// The sub-rectangle `rows` × `cols` of a grid (both ranges inside it), as Python slices it.
fn slice_value(g: &Grid, rows: Range<usize>, cols: Range<usize>) -> Res<Value> {
    let mut cells = Vec::with_capacity(rows.len() * cols.len());
    for i in rows.clone() {
        cells.extend_from_slice(&g.row(i)[cols.clone()]);
    }
    rows_value(rows.len(), cols.len(), cells)
}

/// The four transposing maps: output row `i` is input column `i` (or `w - 1 - i` with
/// `flip_cols`), read top to bottom (or bottom to top with `flip_rows`).
fn transposed(g: &Grid, flip_cols: bool, flip_rows: bool) -> Res<Grid> {
    let (h, w) = (g.h(), g.w());
    let mut out = Vec::with_capacity(h * w);
    for i in 0..w {
        let c = if flip_cols { w - 1 - i } else { i };
        if flip_rows {
            out.extend(g.rows().rev().map(|r| r[c]));
        } else {
            out.extend(g.rows().map(|r| r[c]));
        }
    }
    Grid::new(w, h, out)
}

/// Whether every counted cell has a colour in `0..=9` (the canonical order of those is the
/// numeric order).
#[inline]
fn small_colours(hist: &[u32; 256], total: usize) -> bool {
    hist[..10].iter().sum::<u32>() as usize == total
}

/// The colours present, in canonical order, calling `f` on each with its count.
fn each_colour(hist: &[u32; 256], total: usize, mut f: impl FnMut(i8, u32)) {
    if small_colours(hist, total) {
        for c in 0..10i8 {
            if hist[c as usize] > 0 {
                f(c, hist[c as usize]);
            }
        }
    } else {
        for &c in I8_CANON.iter() {
            let n = hist[c as u8 as usize];
            if n > 0 {
                f(c, n);
            }
        }
    }
}

/// The patch with every location `(i, j)` moved to `f(i, j)`, of the same kind.
fn map_patch(p: Patch, f: impl Fn(i32, i32) -> (i32, i32)) -> Res<Value> {
    const OUT: Fail = Fail::Limit("coordinate outside the packed domain");
    match p {
        Patch::Indices(ls) => {
            let mut out = Vec::with_capacity(ls.len());
            for l in ls {
                let (i, j) = l.ij();
                let (a, b) = f(i, j);
                out.push(Loc::new(a, b).ok_or(OUT)?);
            }
            Ok(Value::indices(out))
        }
        Patch::Object(cs) => {
            let mut out = Vec::with_capacity(cs.len());
            for c in cs {
                let (v, i, j) = c.parts();
                let (a, b) = f(i, j);
                out.push(Cell::new(v, a, b).ok_or(OUT)?);
            }
            Ok(Value::object(out))
        }
    }
}

/// The object argument of `paint` and `underpaint`, in the order Python iterates it: a set
/// of cells in canonical order, or a tuple of cells in its own order (solvers paint tuples).
/// A non-empty set of locations cannot be unpacked as cells in Python: a type error.
pub fn obj_cells(v: &Value) -> Res<Cow<'_, [Cell]>> {
    if let Value::Tuple(items) = v {
        let cells = items.iter().map(|x| match x {
            Value::Cell(c) => Ok(*c),
            _ => Err(Fail::Type("expected a tuple of cells")),
        });
        return cells.collect::<Res<Vec<Cell>>>().map(Cow::Owned);
    }
    match v.as_patch()? {
        Patch::Object(cs) => Ok(Cow::Borrowed(cs)),
        Patch::Indices([]) => Ok(Cow::Borrowed(&[])),
        Patch::Indices(_) => Err(Fail::Type("expected an object, not indices")),
    }
}

// ----- typed helpers ------------------------------------------------------------------------

/// Quarter clockwise rotation.
pub fn rot90_grid(g: &Grid) -> Res<Grid> {
    transposed(g, false, true)
}

/// Half rotation.
pub fn rot180_grid(g: &Grid) -> Res<Grid> {
    let mut cs = g.to_vec();
    cs.reverse();
    Grid::new(g.h(), g.w(), cs)
}

/// Quarter anticlockwise rotation.
pub fn rot270_grid(g: &Grid) -> Res<Grid> {
    transposed(g, true, false)
}

/// Mirror along the horizontal axis (rows reversed).
pub fn hmirror_grid(g: &Grid) -> Res<Grid> {
    let mut cs = Vec::with_capacity(g.cells().len());
    for r in g.rows().rev() {
        cs.extend_from_slice(r);
    }
    Grid::new(g.h(), g.w(), cs)
}

/// Mirror along the vertical axis (each row reversed).
pub fn vmirror_grid(g: &Grid) -> Res<Grid> {
    let mut cs = Vec::with_capacity(g.cells().len());
    for r in g.rows() {
        cs.extend(r.iter().rev());
    }
    Grid::new(g.h(), g.w(), cs)
}

/// Mirror along the diagonal (transpose).
pub fn dmirror_grid(g: &Grid) -> Res<Grid> {
    transposed(g, false, false)
}

/// Mirror along the counterdiagonal.
pub fn cmirror_grid(g: &Grid) -> Res<Grid> {
    transposed(g, true, true)
}

/// The window `crop(grid, start, dims)` takes from an `h` × `w` grid, as (top, left, height,
/// width), when it is a grid (Python's slicing can also give `()` or rows of no cells).
pub fn crop_window(h: usize, w: usize, start: (i32, i32), dims: (i32, i32)) -> Option<(usize, usize, usize, usize)> {
    let (si, sj) = (start.0 as i64, start.1 as i64);
    let rows = py_slice(h, si, si + dims.0 as i64);
    let cols = py_slice(w, sj, sj + dims.1 as i64);
    (!rows.is_empty() && !cols.is_empty()).then(|| (rows.start, cols.start, rows.len(), cols.len()))
}

/// `crop(grid, start, dims)` with Python's slicing (negative starts count from the end).
pub fn crop_grid(g: &Grid, start: (i32, i32), dims: (i32, i32)) -> Res<Value> {
    let (si, sj) = (start.0 as i64, start.1 as i64);
    let rows = py_slice(g.h(), si, si + dims.0 as i64);
    if rows.is_empty() {
        return Ok(Value::empty_tuple());
    }
    let cols = py_slice(g.w(), sj, sj + dims.1 as i64);
    slice_value(g, rows, cols)
}

/// `fill(grid, value, patch)`: `value` at every location of the patch inside the grid.
pub fn fill_grid(g: &Grid, value: i32, p: Patch) -> Res<Grid> {
    let (h, w) = (g.h(), g.w());
    let v = c8(value);
    let mut cs = g.to_vec();
    for (i, j) in p.ijs() {
        if inside(i, j, h, w) {
            cs[i as usize * w + j as usize] = v?;
        }
    }
    Grid::new(h, w, cs)
}

/// `paint(grid, obj)`: every cell of the object inside the grid, in canonical order.
pub fn paint_grid(g: &Grid, obj: &[Cell]) -> Res<Grid> {
    let (h, w) = (g.h(), g.w());
    let mut cs = g.to_vec();
    for c in obj {
        let (v, i, j) = c.parts();
        if inside(i, j, h, w) {
            cs[i as usize * w + j as usize] = c8(v)?;
        }
    }
    Grid::new(h, w, cs)
}

/// `replace(grid, a, b)`: colour `a` becomes `b`.
pub fn replace_grid(g: &Grid, a: i32, b: i32) -> Res<Grid> {
    let Ok(a) = i8::try_from(a) else { return Ok(g.clone()) };
    if !g.cells().contains(&a) {
        return Ok(g.clone());
    }
    let b = c8(b)?;
    let cs = g.cells().iter().map(|&v| if v == a { b } else { v }).collect();
    Grid::new(g.h(), g.w(), cs)
}

/// `upscale(grid, factor)`: every cell becomes a `factor` × `factor` block (`()` for a
/// factor below 1).
pub fn upscale_grid(g: &Grid, f: i32) -> Res<Value> {
    if f <= 0 {
        return Ok(Value::empty_tuple());
    }
    let f = f as usize;
    let (h, w) = (g.h(), g.w());
    if h.saturating_mul(f) > MAX_SIDE || w.saturating_mul(f) > MAX_SIDE {
        return Err(Fail::Limit("grid too large"));
    }
    let (nh, nw) = (h * f, w * f);
    if nh * nw > MAX_CELLS {
        return Err(Fail::Limit("grid too large"));
    }
    let mut cs = Vec::with_capacity(nh * nw);
    for r in g.rows() {
        let start = cs.len();
        for &v in r {
            cs.resize(cs.len() + f, v);
        }
        for _ in 1..f {
            cs.extend_from_within(start..start + nw);
        }
    }
    Ok(Value::Grid(Grid::new(nh, nw, cs)?))
}

const CELL_OUT: Fail = Fail::Limit("cell outside the packed domain");

/// Every cell of a grid in canonical order (colours in canonical order, then locations), with
/// the row-major position of each: a counting sort by colour of the canonical location order.
fn canonical_cells(g: &Grid, hist: &[u32; 256]) -> Res<(Vec<Cell>, Vec<u16>)> {
    let (h, w) = (g.h(), g.w());
    let cs = g.cells();
    let n = cs.len();
    // where the next cell of each colour goes
    let mut next = [0u32; 256];
    let mut acc = 0u32;
    each_colour(hist, n, |c, k| {
        next[c as u8 as usize] = acc;
        acc += k;
    });
    let dummy = Cell::new(0, 0, 0).ok_or(CELL_OUT)?;
    let mut cells = vec![dummy; n];
    let mut pos = vec![0u16; n];
    let cols = canon_cols(w);
    let locs = Locs::for_grid(h, w);
    // the colour of the current run and its cursor, kept out of memory while the run lasts
    let (mut run, mut slot) = (cs[0], next[cs[0] as u8 as usize]);
    for &i in canon_rows(h) {
        let row = i as usize * w;
        for &j in cols {
            let p = row + j as usize;
            let c = cs[p];
            if c != run {
                next[run as u8 as usize] = slot;
                run = c;
                slot = next[c as u8 as usize];
            }
            cells[slot as usize] = Cell::at(c as i32, locs.at(i, j)?).ok_or(CELL_OUT)?;
            pos[slot as usize] = p as u16;
            slot += 1;
        }
    }
    Ok((cells, pos))
}

/// The groups of cells that `labels` make (one label per cell, `1..=nl`, 0 drops the cell;
/// `size[l]` cells carry label `l`), as a set of objects. Scanning the cells in canonical order
/// lists each group's cells in canonical order, and, groups being disjoint, meets the groups
/// in the canonical order of the set (that of their first cells): no sort is left to do.
fn grouped_objects(g: &Grid, hist: &[u32; 256], labels: &[u16], size: &[u32]) -> Res<Value> {
    let nl = size.len() - 1;
    let (cells, pos) = canonical_cells(g, hist)?;
    let total: u32 = size[1..].iter().sum();
    // write cursor of each group, u32::MAX until the group is met
    let mut at = vec![u32::MAX; nl + 1];
    let mut starts = Vec::with_capacity(nl + 1);
    let mut cursor = 0u32;
    let dummy = Cell::new(0, 0, 0).ok_or(CELL_OUT)?;
    let mut buf = vec![dummy; total as usize];
    // the label of the current run and its cursor (0: none)
    let (mut run, mut slot) = (0usize, 0u32);
    for (&c, &p) in cells.iter().zip(&pos) {
        let l = labels[p as usize] as usize;
        if l != run {
            if run != 0 {
                at[run] = slot;
            }
            run = l;
            if l == 0 {
                continue;
            }
            if at[l] == u32::MAX {
                at[l] = cursor;
                starts.push(cursor);
                cursor += size[l];
            }
            slot = at[l];
        } else if l == 0 {
            continue;
        }
        buf[slot as usize] = c;
        slot += 1;
    }
    starts.push(cursor);
    let objs: Vec<Value> =
        starts.windows(2).map(|s| Value::object_from_slice(&buf[s[0] as usize..s[1] as usize])).collect();
    debug_assert!(objs.windows(2).all(|o| canon_cmp(&o[0], &o[1]) == std::cmp::Ordering::Less));
    Value::set(objs)
}

/// Labels of the colour classes of a grid: colours in canonical order get `1, 2, ...`;
/// `drop` gets 0. Returns the labels and the size of each class (index 0 unused).
fn colour_labels(g: &Grid, hist: &[u32; 256], drop: Option<i8>) -> (Vec<u16>, Vec<u32>) {
    let cs = g.cells();
    let mut rank = [0u16; 256];
    let mut size = vec![0u32];
    each_colour(hist, cs.len(), |c, n| {
        if Some(c) != drop {
            size.push(n);
            rank[c as u8 as usize] = (size.len() - 1) as u16;
        }
    });
    (cs.iter().map(|&c| rank[c as u8 as usize]).collect(), size)
}

/// The whole grid as one object, in canonical order.
fn asobject_cells(g: &Grid) -> Res<Vec<Cell>> {
    Ok(canonical_cells(g, &g.histogram())?.0)
}

/// Connected components: each cell gets the label of its component (0 for background); the
/// size of each component is returned too (index 0 unused). Background cells never join a
/// component (Python's `v != bg`, and `val == v` with `val != bg`), so they are walled off like
/// the border; with `univalued` a neighbour joins when its colour is the seed's, otherwise
/// every other cell joins. The walk runs on a copy of the grid with a one-cell wall around it,
/// so neighbours are fixed offsets with no bounds tests.
fn label_components<const DIAG: bool>(g: &Grid, bg: Option<i8>, univalued: bool) -> (Vec<u16>, Vec<u32>) {
    const WALL: u16 = u16::MAX;
    let (h, w) = (g.h(), g.w());
    let pw = w + 2;
    let mut lab = vec![WALL; (h + 2) * pw];
    let mut col = vec![0i8; (h + 2) * pw];
    for (i, row) in g.rows().enumerate() {
        let base = (i + 1) * pw + 1;
        col[base..base + w].copy_from_slice(row);
        for (l, &c) in lab[base..base + w].iter_mut().zip(row) {
            *l = if Some(c) == bg { WALL } else { 0 };
        }
    }
    let pwi = pw as isize;
    let offsets = [-pwi, pwi, -1, 1, -pwi - 1, -pwi + 1, pwi - 1, pwi + 1];
    let offsets = if DIAG { &offsets[..] } else { &offsets[..4] };
    let mut stack: Vec<u32> = Vec::with_capacity(h * w);
    let mut size = vec![0u32];
    for i in 0..h {
        for p in (i + 1) * pw + 1..(i + 1) * pw + 1 + w {
            if lab[p] != 0 {
                continue;
            }
            let seed = col[p];
            let l = size.len() as u16;
            let mut count = 0u32;
            lab[p] = l;
            stack.push(p as u32);
            while let Some(q) = stack.pop() {
                count += 1;
                for &o in offsets {
                    let r = (q as isize + o) as usize;
                    if lab[r] == 0 && (!univalued || col[r] == seed) {
                        lab[r] = l;
                        stack.push(r as u32);
                    }
                }
            }
            size.push(count);
        }
    }
    let mut labels = Vec::with_capacity(h * w);
    for i in 0..h {
        let base = (i + 1) * pw + 1;
        labels.extend(lab[base..base + w].iter().map(|&l| if l == WALL { 0 } else { l }));
    }
    (labels, size)
}

/// `objects(grid, univalued, diagonal, without_bg)`: the connected components as a set of
/// objects. Without `without_bg` and without `univalued` every cell joins: one object.
pub fn objects_grid(g: &Grid, univalued: bool, diagonal: bool, without_bg: bool) -> Res<Value> {
    let hist = g.histogram();
    let bg = without_bg.then(|| g.pick_color(&hist, true));
    let (labels, size) = match (univalued, bg, diagonal) {
        (false, None, _) => return Value::set(vec![Value::object(canonical_cells(g, &hist)?.0)]),
        (_, _, false) => label_components::<false>(g, bg, univalued),
        (_, _, true) => label_components::<true>(g, bg, univalued),
    };
    grouped_objects(g, &hist, &labels, &size)
}

/// `objects` from connected components computed elsewhere (by a GPU kernel): `roots[p]` is the
/// smallest row-major index of the component of cell `p`, `u32::MAX` for a cell in none.
pub fn objects_from_roots(g: &Grid, roots: &[u32]) -> Res<Value> {
    if roots.len() != g.cells().len() {
        return Err(Fail::Domain("one component root per cell"));
    }
    let mut label = vec![0u16; roots.len()];
    let mut size = vec![0u32];
    for (p, &r) in roots.iter().enumerate() {
        if r == u32::MAX {
            continue;
        }
        let r = r as usize;
        if r > p || (r < p && label[r] == 0) {
            return Err(Fail::Domain("a component root is the first cell of its component"));
        }
        if r == p {
            size.push(0);
            label[p] = (size.len() - 1) as u16;
        } else {
            label[p] = label[r];
        }
        size[label[p] as usize] += 1;
    }
    grouped_objects(g, &g.histogram(), &label, &size)
}

/// `partition` (`fg` false) or `fgpartition` (`fg` true): one object per colour.
pub fn partition_grid(g: &Grid, fg: bool) -> Res<Value> {
    let hist = g.histogram();
    let drop = fg.then(|| g.pick_color(&hist, true));
    let (labels, size) = colour_labels(g, &hist, drop);
    grouped_objects(g, &hist, &labels, &size)
}

/// What a mirror does to any tuple, as Python's slicing and `zip` do it: reverse the items
/// (`rows`), reverse each item (`cols`), then transpose.
#[derive(Clone, Copy)]
struct Mirror {
    rows: bool,
    cols: bool,
    transpose: bool,
}

/// A mirror of a tuple that is not a grid (a tuple of cells, say), as Python computes it.
fn mirror_tuple(v: &Value, m: Mirror) -> Res<Value> {
    let mut items: Vec<Value> = v.items()?.collect();
    if m.rows {
        items.reverse();
    }
    if !m.cols && !m.transpose {
        return Value::tuple(items);
    }
    let mut rows = Vec::with_capacity(items.len());
    for x in &items {
        if !x.is_tuple() {
            return Err(Fail::Type("expected a tuple of tuples"));
        }
        let mut r: Vec<Value> = x.items()?.collect();
        if m.cols {
            r.reverse();
        }
        rows.push(r);
    }
    if !m.transpose {
        return Value::tuple(rows.into_iter().map(Value::tuple).collect::<Res<_>>()?);
    }
    let n = rows.iter().map(Vec::len).min().unwrap_or(0);
    let cols = (0..n).map(|k| Value::tuple(rows.iter().map(|r| r[k].clone()).collect()));
    Value::tuple(cols.collect::<Res<_>>()?)
}

/// Mirrors or rotates a piece: `grid` for a grid, `tuple` for another tuple, `patch` for a
/// patch (failing on the empty patch, whose corner Python cannot index).
fn piece(
    v: &Value,
    grid: fn(&Grid) -> Res<Grid>,
    tuple: Mirror,
    patch: impl Fn(Patch, (i32, i32, i32, i32)) -> Res<Value>,
) -> Res<Value> {
    if let Value::Grid(g) = v {
        return Ok(Value::Grid(grid(g)?));
    }
    if v.is_tuple() {
        return mirror_tuple(v, tuple);
    }
    let p = v.as_patch().map_err(|_| Fail::Type("expected a grid or a patch"))?;
    let b = bbox(p).ok_or(Fail::Domain("corner of an empty patch"))?;
    patch(p, b)
}

// ----- primitives ---------------------------------------------------------------------------

/// asindices: indices of all grid cells
pub fn asindices(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let cols = canon_cols(g.w());
    let locs = Locs::for_grid(g.h(), g.w());
    let mut out = Vec::with_capacity(g.cells().len());
    for &i in canon_rows(g.h()) {
        for &j in cols {
            out.push(locs.at(i, j)?);
        }
    }
    Ok(Value::indices(out))
}

/// ofcolor: indices of all grid cells with value
pub fn ofcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let Ok(v) = i8::try_from(a[1].as_int()?) else { return Ok(Value::empty_set()) };
    let cols = canon_cols(g.w());
    let locs = Locs::for_grid(g.h(), g.w());
    let mut out = Vec::new();
    for &i in canon_rows(g.h()) {
        let row = g.row(i as usize);
        for &j in cols {
            if row[j as usize] == v {
                out.push(locs.at(i, j)?);
            }
        }
    }
    Ok(Value::indices(out))
}

/// crop: subgrid specified by start and dimension
pub fn crop(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    crop_grid(a[0].as_grid()?, a[1].as_pair()?, a[2].as_pair()?)
}

/// objects: objects occurring on the grid
pub fn objects(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    objects_grid(a[0].as_grid()?, a[1].truthy(), a[2].truthy(), a[3].truthy())
}

/// partition: each cell with the same value part of the same object
pub fn partition(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    partition_grid(a[0].as_grid()?, false)
}

/// fgpartition: each cell with the same value part of the same object without background
pub fn fgpartition(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    partition_grid(a[0].as_grid()?, true)
}

/// toobject: object from patch and grid
pub fn toobject(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let pb = a[0].to_patch()?;
    let p = pb.get();
    let g = a[1].as_grid()?;
    let mut out = Vec::with_capacity(p.len());
    for l in p.locs() {
        let (i, j) = l.ij();
        if let Some(v) = g.at(i, j) {
            out.push(Cell::at(v as i32, l).ok_or(Fail::Limit("cell outside the packed domain"))?);
        }
    }
    Ok(Value::object(out))
}

/// asobject: conversion of grid to object
pub fn asobject(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::object(asobject_cells(a[0].as_grid()?)?))
}

/// rot90: quarter clockwise rotation
pub fn rot90(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(rot90_grid(a[0].as_grid()?)?))
}

/// rot180: half rotation
pub fn rot180(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(rot180_grid(a[0].as_grid()?)?))
}

/// rot270: quarter anticlockwise rotation
pub fn rot270(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(rot270_grid(a[0].as_grid()?)?))
}

/// fill: fill value at indices
pub fn fill(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(fill_grid(a[0].as_grid()?, a[1].as_int()?, a[2].to_patch()?.get())?))
}

/// paint: paint object to grid
pub fn paint(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(paint_grid(a[0].as_grid()?, &obj_cells(&a[1])?)?))
}

/// underfill: fill value at indices that are background
pub fn underfill(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let v = c8(a[1].as_int()?);
    let pb = a[2].to_patch()?;
    let p = pb.get();
    let (h, w) = (g.h(), g.w());
    let bg = g.mostcolor();
    let mut cs = g.to_vec();
    for (i, j) in p.ijs() {
        if inside(i, j, h, w) {
            let k = i as usize * w + j as usize;
            if cs[k] == bg {
                cs[k] = v?;
            }
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// underpaint: paint object to grid where there is background
pub fn underpaint(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let obj = obj_cells(&a[1])?;
    let (h, w) = (g.h(), g.w());
    let bg = g.mostcolor();
    let mut cs = g.to_vec();
    for c in obj.iter() {
        let (v, i, j) = c.parts();
        if inside(i, j, h, w) {
            let k = i as usize * w + j as usize;
            if cs[k] == bg {
                cs[k] = c8(v)?;
            }
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// hupscale: upscale grid horizontally
pub fn hupscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let f = a[1].as_int()?;
    let (h, w) = (g.h(), g.w());
    if f <= 0 {
        return rows_value(h, 0, Vec::new());
    }
    let f = f as usize;
    if w.saturating_mul(f) > MAX_SIDE {
        return Err(Fail::Limit("grid too large"));
    }
    let mut cs = Vec::with_capacity(h * w * f);
    for &v in g.cells() {
        cs.resize(cs.len() + f, v);
    }
    Ok(Value::Grid(Grid::new(h, w * f, cs)?))
}

/// vupscale: upscale grid vertically
pub fn vupscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let f = a[1].as_int()?;
    let (h, w) = (g.h(), g.w());
    if f <= 0 {
        return Ok(Value::empty_tuple());
    }
    let f = f as usize;
    if h.saturating_mul(f) > MAX_SIDE {
        return Err(Fail::Limit("grid too large"));
    }
    let mut cs = Vec::with_capacity(h * w * f);
    for r in g.rows() {
        for _ in 0..f {
            cs.extend_from_slice(r);
        }
    }
    Ok(Value::Grid(Grid::new(h * f, w, cs)?))
}

/// upscale: upscale object or grid
pub fn upscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let f = a[1].as_int()?;
    if let Value::Grid(g) = &a[0] {
        return upscale_grid(g, f);
    }
    let cells = match a[0].as_patch().map_err(|_| Fail::Type("expected a grid or an object"))? {
        Patch::Indices([]) => return Ok(Value::empty_set()),
        Patch::Indices(_) => return Err(Fail::Type("upscale of indices")),
        Patch::Object(cs) => cs,
    };
    if f <= 0 {
        // no cell is made, and `shift` returns an empty patch as it is
        return Ok(Value::empty_set());
    }
    let (top, left, bottom, right) = bbox(Patch::Object(cells)).ok_or(Fail::Domain("empty object"))?;
    let fl = f as i64;
    let far_i = top as i64 + (bottom - top) as i64 * fl + fl - 1;
    let far_j = left as i64 + (right - left) as i64 * fl + fl - 1;
    if far_i > crate::pack::PACK_MAX as i64 || far_j > crate::pack::PACK_MAX as i64 {
        return Err(Fail::Limit("coordinate outside the packed domain"));
    }
    let mut out = Vec::with_capacity(cells.len() * (f * f) as usize);
    for c in cells {
        let (v, i, j) = c.parts();
        let (bi, bj) = ((i - top) * f + top, (j - left) * f + left);
        for io in 0..f {
            for jo in 0..f {
                out.push(Cell::new(v, bi + io, bj + jo).ok_or(Fail::Limit("cell outside the packed domain"))?);
            }
        }
    }
    Ok(Value::object(out))
}

/// downscale: downscale grid
pub fn downscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let f = a[1].as_int()?;
    let (step, (nh, nw)) = downscale_step(g.h(), g.w(), f)?;
    let mut cs = Vec::with_capacity(nh * nw);
    for r in g.rows().step_by(step) {
        cs.extend(r.iter().step_by(step));
    }
    Ok(Value::Grid(Grid::new(nh, nw, cs)?))
}

/// The stride of `downscale(grid, f)` on an `h` × `w` grid, and the shape it gives: every row
/// and column whose index `k` has `k % f == 0`, i.e. every `|f|`-th from the first.
pub fn downscale_step(h: usize, w: usize, f: i32) -> Res<(usize, (usize, usize))> {
    if f == 0 {
        return Err(Fail::Domain("integer division or modulo by zero"));
    }
    // a stride of at least the side keeps one
    let step = (f.unsigned_abs() as usize).min(MAX_SIDE + 1);
    Ok((step, (h.div_ceil(step), w.div_ceil(step))))
}

/// Python's `a + b` on two integers or two tuples.
fn py_plus(a: &Value, b: &Value) -> Res<Value> {
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => {
            Value::int(a.as_int()? as i64 + b.as_int()? as i64)
        }
        _ if a.is_tuple() && b.is_tuple() => Value::tuple(a.items()?.chain(b.items()?).collect()),
        _ => Err(Fail::Type("expected two tuples")),
    }
}

/// hconcat: concatenate two grids horizontally
pub fn hconcat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (Value::Grid(x), Value::Grid(y)) = (&a[0], &a[1]) else {
        // Python's `tuple(i + j for i, j in zip(a, b))` on other tuples
        let sums = a[0].items()?.zip(a[1].items()?).map(|(i, j)| py_plus(&i, &j)).collect::<Res<_>>()?;
        return Value::tuple(sums);
    };
    let h = x.h().min(y.h());
    let w = x.w() + y.w();
    if w > MAX_SIDE {
        return Err(Fail::Limit("grid too large"));
    }
    let mut cs = Vec::with_capacity(h * w);
    for (r, s) in x.rows().zip(y.rows()) {
        cs.extend_from_slice(r);
        cs.extend_from_slice(s);
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// vconcat: concatenate two grids vertically
pub fn vconcat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (Value::Grid(x), Value::Grid(y)) = (&a[0], &a[1]) else { return py_plus(&a[0], &a[1]) };
    let h = x.h() + y.h();
    if h > MAX_SIDE {
        return Err(Fail::Limit("grid too large"));
    }
    if x.w() != y.w() {
        // rows of two widths: a plain tuple of rows, as Python's `a + b`
        return Value::tuple(a[0].items()?.chain(a[1].items()?).collect());
    }
    let mut cs = Vec::with_capacity(h * x.w());
    cs.extend_from_slice(x.cells());
    cs.extend_from_slice(y.cells());
    Ok(Value::Grid(Grid::new(h, x.w(), cs)?))
}

/// subgrid: smallest subgrid containing object
pub fn subgrid(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let v = &a[0];
    let g = a[1].as_grid()?;
    let (top, left, bottom, right) = bbox(v.to_patch()?.get()).ok_or(Fail::Domain("corner of an empty patch"))?;
    if v.is_tuple_patch() {
        // `shape` reads a tuple as a grid: its length and its first element's length
        return crop_grid(g, (top, left), (v.len()? as i32, v.item(0).len()? as i32));
    }
    crop_grid(g, (top, left), (bottom - top + 1, right - left + 1))
}

/// The `n` parts of `hsplit` (`horizontal` true) or `vsplit`.
fn split(g: &Grid, n: i32, horizontal: bool) -> Res<Value> {
    if n == 0 {
        return Err(Fail::Domain("integer division or modulo by zero"));
    }
    if n < 0 {
        return Ok(Value::empty_tuple());
    }
    if n as usize > MAX_SIDE {
        return Err(Fail::Limit("container too large"));
    }
    let side = if horizontal { g.w() } else { g.h() } as i64;
    let n = n as i64;
    let (part, offset) = (side / n, (side % n != 0) as i64);
    let mut parts = Vec::with_capacity(n as usize);
    for k in 0..n {
        let at = part * k + k * offset;
        parts.push(if horizontal {
            crop_grid(g, (0, at as i32), (g.h() as i32, part as i32))?
        } else {
            crop_grid(g, (at as i32, 0), (part as i32, g.w() as i32))?
        });
    }
    Value::tuple(parts)
}

/// hsplit: split grid horizontally
pub fn hsplit(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    split(a[0].as_grid()?, a[1].as_int()?, true)
}

/// vsplit: split grid vertically
pub fn vsplit(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    split(a[0].as_grid()?, a[1].as_int()?, false)
}

/// cellwise: cellwise match of two grids
pub fn cellwise(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (a[0].as_grid()?, a[1].as_grid()?);
    let fallback = c8(a[2].as_int()?);
    let (h, w) = (x.h(), x.w());
    if y.h() < h || y.w() < w {
        return Err(Fail::Domain("tuple index out of range"));
    }
    let mut cs = Vec::with_capacity(h * w);
    for (r, s) in x.rows().zip(y.rows()) {
        for (&u, &v) in r.iter().zip(s) {
            cs.push(if u == v { u } else { fallback? });
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// replace: color substitution
pub fn replace(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(replace_grid(a[0].as_grid()?, a[1].as_int()?, a[2].as_int()?)?))
}

/// switch: color switching
pub fn switch(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (x, y) = (a[1].as_int()?, a[2].as_int()?);
    let (cx, cy) = (c8(x), c8(y));
    let mut cs = Vec::with_capacity(g.cells().len());
    for &v in g.cells() {
        let v32 = v as i32;
        cs.push(if v32 == x {
            cy?
        } else if v32 == y {
            cx?
        } else {
            v
        });
    }
    Ok(Value::Grid(Grid::new(g.h(), g.w(), cs)?))
}

/// index: color at location
pub fn index(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (i, j) = a[1].as_pair()?;
    g.at(i, j).map(|v| Value::Int(v as i32)).ok_or(Fail::Domain("index outside the grid"))
}

/// canvas: grid construction
pub fn canvas(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (h, w) = a[1].as_pair()?;
    if h <= 0 {
        return Ok(Value::empty_tuple());
    }
    if w <= 0 {
        return rows_value(h as usize, 0, Vec::new());
    }
    let v = c8(a[0].as_int()?)?;
    Ok(Value::Grid(Grid::filled(h as usize, w as usize, v)?))
}

/// cover: remove object from grid
pub fn cover(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    Ok(Value::Grid(fill_grid(g, g.mostcolor() as i32, a[1].to_patch()?.get())?))
}

/// trim: trim border of grid
pub fn trim(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let rows = py_slice(g.h(), 1, -1);
    if rows.is_empty() {
        return Ok(Value::empty_tuple());
    }
    slice_value(g, rows, py_slice(g.w(), 1, -1))
}

/// move: move object on grid
pub fn move_(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let mut obj = obj_cells(&a[1])?;
    let (di, dj) = a[2].as_pair()?;
    if obj.is_empty() {
        // covering and painting nothing (`shift` returns an empty patch as it is)
        return Ok(a[0].clone());
    }
    if let Cow::Owned(cells) = &mut obj {
        // a tuple of cells: `shift` makes it a set, painted in canonical order
        cells.sort_unstable();
        cells.dedup();
    }
    let (h, w) = (g.h(), g.w());
    let bg = g.mostcolor();
    let mut cs = g.to_vec();
    for c in obj.iter() {
        let (i, j) = c.loc().ij();
        if inside(i, j, h, w) {
            cs[i as usize * w + j as usize] = bg;
        }
    }
    for c in obj.iter() {
        let (v, i, j) = c.parts();
        let (i, j) = (i as i64 + di as i64, j as i64 + dj as i64);
        if i >= 0 && j >= 0 && (i as usize) < h && (j as usize) < w {
            cs[i as usize * w + j as usize] = c8(v)?;
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// tophalf: upper half of grid
pub fn tophalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    slice_value(g, 0..g.h() / 2, 0..g.w())
}

/// bottomhalf: lower half of grid
pub fn bottomhalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    slice_value(g, g.h() / 2 + g.h() % 2..g.h(), 0..g.w())
}

/// The columns `cols` of a grid, or `()` when there are none (a rotated empty half).
fn columns(g: &Grid, cols: Range<usize>) -> Res<Value> {
    if cols.is_empty() {
        return Ok(Value::empty_tuple());
    }
    slice_value(g, 0..g.h(), cols)
}

/// lefthalf: left half of grid
pub fn lefthalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    columns(g, 0..g.w() / 2)
}

/// righthalf: right half of grid
pub fn righthalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    columns(g, g.w() / 2 + g.w() % 2..g.w())
}

/// occurrences: locations of occurrences of object in grid
pub fn occurrences(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let pb = a[1].to_patch()?;
    let p = pb.get();
    let (top, left, bottom, right) = bbox(p).ok_or(Fail::Domain("min() of an empty sequence"))?;
    let (h, w) = (g.h() as i64, g.w() as i64);
    let (h2, w2) = (h - (bottom - top) as i64, w - (right - left) as i64);
    if h2 <= 0 || w2 <= 0 {
        return Ok(Value::empty_set());
    }
    let Patch::Object(cells) = p else { return Err(Fail::Type("expected an object, not indices")) };
    // the normalised cells as (offset in the grid, colour)
    let wu = g.w();
    let normed: Vec<(usize, i32)> = cells
        .iter()
        .map(|c| {
            let (v, i, j) = c.parts();
            ((i - top) as usize * wu + (j - left) as usize, v)
        })
        .collect();
    let cs = g.cells();
    let cols = canon_cols(w2 as usize);
    let mut out = Vec::new();
    for &i in canon_rows(h2 as usize) {
        for &j in cols {
            let base = i as usize * wu + j as usize;
            if normed.iter().all(|&(k, v)| cs[base + k] as i32 == v) {
                out.push(Loc::new(i as i32, j as i32).ok_or(Fail::Limit("coordinate outside the packed domain"))?);
            }
        }
    }
    Ok(Value::indices(out))
}

/// Indices of the uniform rows and of the uniform columns of a grid.
fn uniform_lines(g: &Grid) -> (Vec<bool>, Vec<bool>) {
    let w = g.w();
    let rows: Vec<bool> = g.rows().map(|r| r.iter().all(|&v| v == r[0])).collect();
    let first = g.row(0);
    let mut cols: Vec<bool> = vec![true; w];
    for r in g.rows().skip(1) {
        for j in 0..w {
            cols[j] &= r[j] == first[j];
        }
    }
    (rows, cols)
}

/// frontiers: set of frontiers
pub fn frontiers(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (rows, cols) = uniform_lines(g);
    let (h, w) = (g.h(), g.w());
    let mut objs = Vec::new();
    for i in (0..h).filter(|&i| rows[i]) {
        objs.push(Value::object_cij((0..w).map(|j| (g.get(i, j) as i32, i as i32, j as i32)))?);
    }
    for j in (0..w).filter(|&j| cols[j]) {
        objs.push(Value::object_cij((0..h).map(|i| (g.get(i, j) as i32, i as i32, j as i32)))?);
    }
    Value::set(objs)
}

/// compress: removes frontiers from grid
pub fn compress(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (rows, cols) = uniform_lines(g);
    let nh = rows.iter().filter(|&&u| !u).count();
    let nw = cols.iter().filter(|&&u| !u).count();
    let mut cs = Vec::with_capacity(nh * nw);
    for (r, _) in g.rows().zip(&rows).filter(|&(_, &u)| !u) {
        cs.extend(r.iter().zip(&cols).filter(|&(_, &u)| !u).map(|(&v, _)| v));
    }
    rows_value(nh, nw, cs)
}

/// hmirror: mirroring along horizontal
pub fn hmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    piece(&a[0], hmirror_grid, Mirror { rows: true, cols: false, transpose: false }, |p, (t, _, b, _)| {
        map_patch(p, |i, j| (t + b - i, j))
    })
}

/// vmirror: mirroring along vertical
pub fn vmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    piece(&a[0], vmirror_grid, Mirror { rows: false, cols: true, transpose: false }, |p, (_, l, _, r)| {
        map_patch(p, |i, j| (i, l + r - j))
    })
}

/// dmirror: mirroring along diagonal
pub fn dmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    piece(&a[0], dmirror_grid, Mirror { rows: false, cols: false, transpose: true }, |p, (t, l, _, _)| {
        map_patch(p, |i, j| (j - l + t, i - t + l))
    })
}

/// cmirror: mirroring along counterdiagonal
pub fn cmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    // vmirror(dmirror(vmirror(p))) maps (i, j) to (top + right - j, left + bottom - i)
    piece(&a[0], cmirror_grid, Mirror { rows: true, cols: true, transpose: true }, |p, (t, l, b, r)| {
        map_patch(p, |i, j| (t + r - j, l + b - i))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Prim;

    fn grid(rows: &[&[i8]]) -> Value {
        let w = rows[0].len();
        Value::Grid(Grid::new(rows.len(), w, rows.concat()).unwrap())
    }

    fn call(name: &str, args: &[Value]) -> Res<Value> {
        Ctx::default().apply(Prim::by_name(name).unwrap(), args)
    }

    fn text(v: Res<Value>) -> String {
        match v {
            Ok(v) => v.canon_text(),
            Err(e) => format!("ERR {e:?}"),
        }
    }

    #[test]
    fn canonical_position_order() {
        // rows: "1," < "10," ; columns: "10]" < "1]"
        let r: Vec<u8> = canon_rows(12).to_vec();
        assert_eq!(r, vec![0, 1, 10, 11, 2, 3, 4, 5, 6, 7, 8, 9]);
        let c: Vec<u8> = canon_cols(12).to_vec();
        assert_eq!(c, vec![0, 10, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let g = Value::Grid(Grid::filled(12, 12, 0).unwrap());
        let Value::Indices(ls) = call("asindices", &[g]).unwrap() else { panic!() };
        assert!(ls.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ls.len(), 144);
    }

    #[test]
    fn objects_every_mode_by_hand() {
        let g = grid(&[&[0, 1, 0], &[1, 1, 2], &[0, 0, 2]]);
        let t = |u, d, b| text(call("objects", &[g.clone(), Value::Bool(u), Value::Bool(d), Value::Bool(b)]));
        // univalued, 4-connected, without background: {1s}, {2s}
        assert_eq!(
            t(true, false, true),
            r#"{"set":[{"set":[[1,[0,1]],[1,[1,0]],[1,[1,1]]]},{"set":[[2,[1,2]],[2,[2,2]]]}]}"#
        );
        // not univalued, without bg: 1s and 2s touch, one object
        assert_eq!(t(false, false, true), r#"{"set":[{"set":[[1,[0,1]],[1,[1,0]],[1,[1,1]],[2,[1,2]],[2,[2,2]]]}]}"#);
        // not univalued, with bg: the whole grid is one object
        assert_eq!(
            text(call("objects", &[g.clone(), Value::Bool(false), Value::Bool(false), Value::Bool(false)])),
            text(call("asobject", std::slice::from_ref(&g)).and_then(|o| Value::set(vec![o])))
        );
        // univalued with bg, 4-connected: the zeros split into (0,0), (0,2) and {(2,0),(2,1)}
        let Value::Set(s) =
            call("objects", &[g.clone(), Value::Bool(true), Value::Bool(false), Value::Bool(false)]).unwrap()
        else {
            panic!()
        };
        assert_eq!(s.len(), 5);
        // 8-connected: the zero at (0,0) touches (1,1)? no, (1,1) is 1; (0,2) touches nothing else of 0
        let Value::Set(s) =
            call("objects", &[g.clone(), Value::Bool(true), Value::Bool(true), Value::Bool(false)]).unwrap()
        else {
            panic!()
        };
        assert_eq!(s.len(), 5);
        // o_g is objects by bits
        for k in 0..8 {
            let (u, d, b) = (k & 4 != 0, k & 2 != 0, k & 1 != 0);
            assert_eq!(text(call("o_g", &[g.clone(), Value::Int(k)])), t(u, d, b));
        }
    }

    #[test]
    fn mostcolor_ties_and_odd_colours() {
        // ties break by CPython's iteration order of set(values) (values checked in Python)
        let g = Grid::new(1, 4, vec![3, 1, 3, 1]).unwrap();
        assert_eq!(g.mostcolor(), 1);
        let g = Grid::new(1, 4, vec![2, -1, 2, -1]).unwrap();
        assert_eq!(g.mostcolor(), 2);
        let g = Grid::new(1, 4, vec![2, 12, 2, 12]).unwrap();
        assert_eq!(g.mostcolor(), 2);
    }

    #[test]
    fn python_slices() {
        let g = grid(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]]);
        let p = |a, b| Value::Pair(a, b);
        assert_eq!(text(call("crop", &[g.clone(), p(1, 1), p(5, 5)])), "[[5,6],[8,9]]");
        assert_eq!(text(call("crop", &[g.clone(), p(-1, 0), p(2, 1)])), "[]");
        assert_eq!(text(call("crop", &[g.clone(), p(-2, 0), p(1, 1)])), "[[4]]");
        assert_eq!(text(call("crop", &[g.clone(), p(3, 0), p(2, 2)])), "[]");
        assert_eq!(text(call("crop", &[g.clone(), p(0, 3), p(2, 2)])), "[[],[]]");
        assert_eq!(text(call("trim", std::slice::from_ref(&g))), "[[5]]");
        assert_eq!(text(call("trim", &[grid(&[&[1, 2]])])), "[]");
        assert_eq!(text(call("trim", &[grid(&[&[1, 2], &[3, 4], &[5, 6]])])), "[[]]");
        assert_eq!(text(call("tophalf", &[grid(&[&[1, 2]])])), "[]");
        assert_eq!(text(call("lefthalf", &[grid(&[&[1], &[2]])])), "[]");
        assert_eq!(text(call("righthalf", std::slice::from_ref(&g))), "[[3],[6],[9]]");
        assert_eq!(text(call("bottomhalf", std::slice::from_ref(&g))), "[[7,8,9]]");
        assert_eq!(
            text(call("hsplit", &[g.clone(), Value::Int(0)])),
            "ERR Domain(\"integer division or modulo by zero\")"
        );
        assert_eq!(text(call("hsplit", &[grid(&[&[1, 2, 3, 4, 5]]), Value::Int(2)])), "[[[1,2]],[[4,5]]]");
        assert_eq!(text(call("vsplit", &[grid(&[&[1], &[2], &[3]]), Value::Int(4)])), "[[],[],[],[]]");
        assert_eq!(text(call("hsplit", &[grid(&[&[1], &[2]]), Value::Int(2)])), "[[[],[]],[[],[]]]");
        assert_eq!(text(call("hsplit", &[g.clone(), Value::Int(-1)])), "[]");
        assert_eq!(text(call("canvas", &[Value::Int(3), p(0, 4)])), "[]");
        assert_eq!(text(call("canvas", &[Value::Int(3), p(2, 0)])), "[[],[]]");
        assert_eq!(text(call("canvas", &[Value::Int(3), p(1, 2)])), "[[3,3]]");
        assert_eq!(text(call("compress", &[grid(&[&[1, 2], &[1, 2]])])), "[[],[]]");
        assert_eq!(text(call("compress", &[grid(&[&[1, 1], &[2, 2]])])), "[]");
    }

    #[test]
    fn upscales_and_downscale() {
        let g = grid(&[&[1, 2], &[3, 4]]);
        assert_eq!(text(call("upscale", &[g.clone(), Value::Int(2)])), "[[1,1,2,2],[1,1,2,2],[3,3,4,4],[3,3,4,4]]");
        assert_eq!(text(call("upscale", &[g.clone(), Value::Int(0)])), "[]");
        assert_eq!(text(call("hupscale", &[g.clone(), Value::Int(0)])), "[[],[]]");
        assert_eq!(text(call("vupscale", &[g.clone(), Value::Int(-3)])), "[]");
        assert_eq!(text(call("hupscale", &[g.clone(), Value::Int(3)])), "[[1,1,1,2,2,2],[3,3,3,4,4,4]]");
        assert_eq!(text(call("vupscale", &[g.clone(), Value::Int(2)])), "[[1,2],[1,2],[3,4],[3,4]]");
        assert_eq!(text(call("downscale", &[g.clone(), Value::Int(-2)])), "[[1]]");
        assert_eq!(text(call("downscale", &[g.clone(), Value::Int(i32::MIN)])), "[[1]]");
        assert!(call("upscale", &[g.clone(), Value::Int(1000)]).is_err());
        let obj = Value::object_cij([(5, 2, 3), (6, 2, 4)]).unwrap();
        assert_eq!(
            text(call("upscale", &[obj.clone(), Value::Int(2)])),
            r#"{"set":[[5,[2,3]],[5,[2,4]],[5,[3,3]],[5,[3,4]],[6,[2,5]],[6,[2,6]],[6,[3,5]],[6,[3,6]]]}"#
        );
        // no cell is made, and `shift` returns an empty patch as it is (arc-dsl-shapes.jsonl)
        assert_eq!(text(call("upscale", &[obj, Value::Int(0)])), r#"{"set":[]}"#);
        let ind = Value::indices_ij([(0, 0)]).unwrap();
        assert!(matches!(call("upscale", &[ind, Value::Int(2)]), Err(Fail::Type(_))));
        assert_eq!(text(call("upscale", &[Value::empty_set(), Value::Int(2)])), r#"{"set":[]}"#);
    }

    #[test]
    fn mirrors_of_patches() {
        let ind = Value::indices_ij([(1, 2), (1, 3), (3, 2)]).unwrap();
        assert_eq!(text(call("hmirror", std::slice::from_ref(&ind))), r#"{"set":[[1,2],[3,2],[3,3]]}"#);
        assert_eq!(text(call("vmirror", std::slice::from_ref(&ind))), r#"{"set":[[1,2],[1,3],[3,3]]}"#);
        // dmirror: ulcorner (1, 2): (i, j) -> (j - 2 + 1, i - 1 + 2)
        assert_eq!(text(call("dmirror", std::slice::from_ref(&ind))), r#"{"set":[[1,2],[1,4],[2,2]]}"#);
        // cmirror = vmirror(dmirror(vmirror(p)))
        let v = call("vmirror", std::slice::from_ref(&ind)).unwrap();
        let d = call("dmirror", &[v]).unwrap();
        let c = call("vmirror", &[d]).unwrap();
        assert_eq!(call("cmirror", std::slice::from_ref(&ind)).unwrap(), c);
        let obj = Value::object_cij([(7, 1, 2), (8, 3, 5), (9, 2, 2)]).unwrap();
        let v = call("vmirror", std::slice::from_ref(&obj)).unwrap();
        let d = call("dmirror", &[v]).unwrap();
        let c = call("vmirror", &[d]).unwrap();
        assert_eq!(call("cmirror", &[obj]).unwrap(), c);
        assert!(matches!(call("hmirror", &[Value::empty_set()]), Err(Fail::Domain(_))));
    }

    /// Tuples that are not grids (of cells, of rows of two lengths) mirror and concatenate as
    /// Python's slicing, `zip` and `+` do; a tuple patch is cropped to `shape`, read as a grid.
    #[test]
    fn tuples_as_pieces() {
        let cell = |c, i, j| Value::Cell(Cell::new(c, i, j).unwrap());
        let cells = Value::tuple(vec![cell(1, 0, 0), cell(2, 3, 4)]).unwrap();
        assert_eq!(text(call("hmirror", std::slice::from_ref(&cells))), "[[2,[3,4]],[1,[0,0]]]");
        assert_eq!(text(call("vmirror", std::slice::from_ref(&cells))), "[[[0,0],1],[[3,4],2]]");
        assert_eq!(text(call("dmirror", std::slice::from_ref(&cells))), "[[1,2],[[0,0],[3,4]]]");
        let g = grid(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]]);
        let t = Value::tuple(vec![Value::Pair(0, 0), Value::Pair(0, 2), Value::Pair(0, 1)]).unwrap();
        assert_eq!(text(call("subgrid", &[t, g.clone()])), "[[1,2],[4,5],[7,8]]");
        let row = grid(&[&[5, 2]]);
        let empty_row = Value::tuple(vec![Value::empty_tuple()]).unwrap();
        assert_eq!(call("hconcat", &[row.clone(), empty_row]), Ok(row.clone()));
        assert_eq!(call("vconcat", &[row.clone(), Value::empty_tuple()]), Ok(row.clone()));
        assert_eq!(text(call("vconcat", &[row, Value::tuple(vec![Value::Int(7)]).unwrap()])), "[[5,2],7]");
        assert_eq!(text(call("fill", &[g, Value::Int(0), grid(&[&[0, 0], &[2, 2]])])), "[[0,2,3],[4,5,6],[7,8,0]]");
    }

    #[test]
    fn grid_transforms_agree() {
        let g = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        assert_eq!(text(call("rot90", std::slice::from_ref(&g))), "[[4,1],[5,2],[6,3]]");
        assert_eq!(text(call("rot180", std::slice::from_ref(&g))), "[[6,5,4],[3,2,1]]");
        assert_eq!(text(call("rot270", std::slice::from_ref(&g))), "[[3,6],[2,5],[1,4]]");
        assert_eq!(text(call("hmirror", std::slice::from_ref(&g))), "[[4,5,6],[1,2,3]]");
        assert_eq!(text(call("vmirror", std::slice::from_ref(&g))), "[[3,2,1],[6,5,4]]");
        assert_eq!(text(call("dmirror", std::slice::from_ref(&g))), "[[1,4],[2,5],[3,6]]");
        assert_eq!(text(call("cmirror", std::slice::from_ref(&g))), "[[6,3],[5,2],[4,1]]");
        for k in 0..8 {
            assert!(call("mir_rot", &[g.clone(), Value::Int(k)]).is_ok());
        }
        assert!(call("mir_rot", &[g.clone(), Value::Int(8)]).is_err());
        assert_eq!(text(call("mir_rot", &[g.clone(), Value::Int(7)])), text(Ok(g)));
    }

    #[test]
    fn painting_corners() {
        let g = grid(&[&[0, 0], &[0, 1]]);
        let ind = Value::indices_ij([(0, 0), (5, 5), (-1, 0)]).unwrap();
        assert_eq!(text(call("fill", &[g.clone(), Value::Int(3), ind.clone()])), "[[3,0],[0,1]]");
        // a colour that does not fit a grid cell fails only when it is written
        assert!(matches!(call("fill", &[g.clone(), Value::Int(300), ind.clone()]), Err(Fail::Limit(_))));
        let far = Value::indices_ij([(9, 9)]).unwrap();
        assert_eq!(text(call("fill", &[g.clone(), Value::Int(300), far])), "[[0,0],[0,1]]");
        assert!(matches!(call("paint", &[g.clone(), ind.clone()]), Err(Fail::Type(_))));
        assert_eq!(text(call("paint", &[g.clone(), Value::empty_set()])), "[[0,0],[0,1]]");
        // underpaint: the first cell at a location wins when it leaves the background
        let obj = Value::object_cij([(2, 0, 0), (3, 0, 0), (4, 1, 1)]).unwrap();
        assert_eq!(text(call("underpaint", &[g.clone(), obj.clone()])), "[[2,0],[0,1]]");
        assert_eq!(text(call("paint", &[g.clone(), obj.clone()])), "[[3,0],[0,4]]");
        // move: cover with the background, then paint shifted
        let one = Value::object_cij([(1, 1, 1)]).unwrap();
        assert_eq!(text(call("move", &[g.clone(), one, Value::Pair(-1, -1)])), "[[1,0],[0,0]]");
        assert_eq!(call("move", &[g.clone(), Value::empty_set(), Value::Pair(0, 0)]), Ok(g.clone()));
        assert_eq!(text(call("switch", &[g.clone(), Value::Int(0), Value::Int(1)])), "[[1,1],[1,0]]");
        assert_eq!(text(call("replace", &[g.clone(), Value::Int(7), Value::Int(900)])), "[[0,0],[0,1]]");
        assert_eq!(text(call("cellwise", &[g.clone(), grid(&[&[0, 1], &[0, 1]]), Value::Int(5)])), "[[0,5],[0,1]]");
        assert!(call("cellwise", &[g.clone(), grid(&[&[0, 1]]), Value::Int(5)]).is_err());
        assert!(matches!(call("index", &[g.clone(), Value::Pair(2, 0)]), Err(Fail::Domain(_))));
        assert_eq!(text(call("index", &[g, Value::Pair(1, 1)])), "1");
    }

    #[test]
    fn occurrences_and_frontiers() {
        let g = grid(&[&[1, 2, 1], &[0, 0, 0], &[1, 2, 1]]);
        let obj = Value::object_cij([(1, 5, 5), (2, 5, 6)]).unwrap();
        assert_eq!(text(call("occurrences", &[g.clone(), obj])), r#"{"set":[[0,0],[2,0]]}"#);
        let ind = Value::indices_ij([(0, 0)]).unwrap();
        assert!(matches!(call("occurrences", &[g.clone(), ind]), Err(Fail::Type(_))));
        let big = Value::indices_ij([(0, 0), (9, 0)]).unwrap();
        assert_eq!(text(call("occurrences", &[g.clone(), big])), r#"{"set":[]}"#);
        assert_eq!(
            text(call("frontiers", std::slice::from_ref(&g))),
            r#"{"set":[{"set":[[0,[1,0]],[0,[1,1]],[0,[1,2]]]}]}"#
        );
        assert_eq!(text(call("compress", &[g])), "[[1,2,1],[1,2,1]]");
        let one = grid(&[&[4]]);
        assert_eq!(text(call("frontiers", &[one])), r#"{"set":[{"set":[[4,[0,0]]]}]}"#);
    }

    #[test]
    fn vconcat_of_two_widths_is_a_tuple() {
        let v = call("vconcat", &[grid(&[&[1, 2]]), grid(&[&[3]])]).unwrap();
        assert_eq!(v.canon_text(), "[[1,2],[3]]");
        assert!(!matches!(v, Value::Grid(_)));
    }
}
