//! Primitives: batt's whole-image steps. Each takes a grid (or a tuple of grids) and gives one,
//! as one step of a search gives an image, so a program found reads as a short chain of them.
//! Colour 0 is the background throughout: "content" is every non-zero cell (a task whose
//! background is another colour is searched in a view where it is renumbered to 0). The one
//! exception is `recolour_learned`, which reads the demo pairs as they are (a view cannot
//! renumber them) and so leaves out each grid's most common colour.
//! Definitions: `golden/README.md`, section "image.jsonl".

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::grid::Grid;
use crate::prims::ext::{o_g_grid, samples};
use crate::value::Value;

/// How many values each selector argument takes (`0..N`): the primitives check them and the
/// search offers them.
pub const SMEARS: i32 = 12;
pub const GRAVITIES: i32 = 4;
pub const JOINS: i32 = 5;
pub const SYMMETRIES: i32 = 4;
pub const PICKS: i32 = 15;
pub const STACKS: i32 = 2;
pub const LOGICS: i32 = 6;
pub const CRITERIA: i32 = 8;
pub const LEARNED: i32 = 6;

/// A small non-negative selector argument at most `max`.
fn sel(v: &Value, max: i32) -> Res<usize> {
    let k = v.as_int()?;
    if (0..=max).contains(&k) {
        Ok(k as usize)
    } else {
        Err(Fail::Domain("selector outside its range"))
    }
}

/// A colour argument (any `i8`, as arc-dsl allows markers such as -1).
fn colour(v: &Value) -> Res<i8> {
    i8::try_from(v.as_int()?).map_err(|_| Fail::Domain("colour outside i8"))
}

/// A target shape argument: a pair of positive sides.
fn target(v: &Value) -> Res<(usize, usize)> {
    let (h, w) = v.as_pair()?;
    if h <= 0 || w <= 0 {
        return Err(Fail::Domain("shape with no cells"));
    }
    let (h, w) = (h as usize, w as usize);
    if h > crate::grid::MAX_SIDE || w > crate::grid::MAX_SIDE || h * w > crate::grid::MAX_CELLS {
        return Err(Fail::Limit("grid too large"));
    }
    Ok((h, w))
}

/// The grids of a tuple of grids.
fn grids(v: &Value) -> Res<Vec<&Grid>> {
    let items = v.as_values().ok_or(Fail::Type("expected a tuple of grids"))?;
    if items.is_empty() {
        return Err(Fail::Domain("empty tuple of grids"));
    }
    items.iter().map(Value::as_grid).collect()
}

/// The shape of some grids, which must all have it.
fn one_shape(gs: &[&Grid]) -> Res<(usize, usize)> {
    let (h, w) = (gs[0].h(), gs[0].w());
    if gs.iter().any(|g| (g.h(), g.w()) != (h, w)) {
        return Err(Fail::Domain("grids of different shapes"));
    }
    Ok((h, w))
}

/// The bounding box `(top, left, bottom, right)` of the cells where `keep` holds.
fn content_box(g: &Grid, keep: impl Fn(i8) -> bool) -> Option<(usize, usize, usize, usize)> {
    let mut b: Option<(usize, usize, usize, usize)> = None;
    for (i, row) in g.rows().enumerate() {
        for (j, &c) in row.iter().enumerate() {
            if keep(c) {
                b = Some(match b {
                    None => (i, j, i, j),
                    Some((t, l, bo, r)) => (t.min(i), l.min(j), bo.max(i), r.max(j)),
                });
            }
        }
    }
    b
}

/// The window `(top, left, bottom, right)` of `g`, cells outside `keep` set to 0.
fn window(g: &Grid, (t, l, b, r): (usize, usize, usize, usize), keep: impl Fn(usize, usize) -> bool) -> Res<Grid> {
    let mut cs = Vec::with_capacity((b - t + 1) * (r - l + 1));
    for i in t..=b {
        for j in l..=r {
            cs.push(if keep(i, j) { g.get(i, j) } else { 0 });
        }
    }
    Grid::new(b - t + 1, r - l + 1, cs)
}

/// `g` (the argument `a`) with cells `cs`: the argument itself when they are its own, which
/// spares a copy and a fingerprint.
fn edited(a: &Value, g: &Grid, cs: Vec<i8>) -> Res<Value> {
    if cs[..] == *g.cells() {
        return Ok(a.clone());
    }
    Ok(Value::Grid(Grid::new(g.h(), g.w(), cs)?))
}

/// `crop_fg(g)`: `g` cropped to the bounding box of its non-zero cells.
pub fn crop_fg(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let bx = content_box(g, |c| c != 0).ok_or(Fail::Domain("no non-zero cell"))?;
    Ok(Value::Grid(window(g, bx, |_, _| true)?))
}

/// `keep_colour(g, c)`: every cell that is not `c` set to 0.
pub fn keep_colour(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let cs = g.cells().iter().map(|&x| if x == c { c } else { 0 }).collect();
    edited(&a[0], g, cs)
}

/// `recolour_fg(g, c)`: every non-zero cell set to `c`.
pub fn recolour_fg(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let cs = g.cells().iter().map(|&x| if x != 0 { c } else { 0 }).collect();
    edited(&a[0], g, cs)
}

/// `dedup(g)`: every run of equal adjacent rows, then of equal adjacent columns, kept once.
pub fn dedup(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let rows: Vec<usize> = (0..g.h()).filter(|&i| i == 0 || g.row(i) != g.row(i - 1)).collect();
    let col = |j: usize| rows.iter().map(move |&i| g.get(i, j));
    let cols: Vec<usize> = (0..g.w()).filter(|&j| j == 0 || !col(j).eq(col(j - 1))).collect();
    let cs = rows.iter().flat_map(|&i| cols.iter().map(move |&j| g.get(i, j))).collect();
    Ok(Value::Grid(Grid::new(rows.len(), cols.len(), cs)?))
}

/// Whether cell `p` (row-major) of an `h` by `w` grid is on its border.
fn on_border(p: usize, h: usize, w: usize) -> bool {
    p / w == 0 || p.is_multiple_of(w) || p / w == h - 1 || p % w == w - 1
}

/// The 0 cells of `g` that 4-connect to its border through 0 cells.
fn outside(g: &Grid) -> Vec<bool> {
    let (h, w, cells) = (g.h(), g.w(), g.cells());
    let mut out = vec![false; h * w];
    let border = (0..w).chain((h - 1) * w..h * w).chain((1..h.saturating_sub(1)).flat_map(|i| [i * w, i * w + w - 1]));
    let mut stack: Vec<usize> = border.filter(|&p| cells[p] == 0).collect();
    stack.sort_unstable();
    stack.dedup();
    for &p in &stack {
        out[p] = true;
    }
    while let Some(p) = stack.pop() {
        let (i, j) = (p / w, p % w);
        let next =
            [(i > 0).then(|| p - w), (i + 1 < h).then(|| p + w), (j > 0).then(|| p - 1), (j + 1 < w).then(|| p + 1)];
        for q in next.into_iter().flatten() {
            if !out[q] && cells[q] == 0 {
                out[q] = true;
                stack.push(q);
            }
        }
    }
    out
}

/// `fill_holes(g, c)`: every 0 cell enclosed by content (no 4-connected path of 0 cells to the
/// border) set to `c`.
pub fn fill_holes(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let out = outside(g);
    let cs = g.cells().iter().zip(&out).map(|(&x, &o)| if x == 0 && !o { c } else { x }).collect();
    edited(&a[0], g, cs)
}

/// `halo(g, c)`: every 0 cell with a non-zero cell among its 8 neighbours set to `c`.
pub fn halo(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let (h, w, cells) = (g.h(), g.w(), g.cells());
    // each non-zero cell marks its 3 by 3 block (a 0 cell is marked only by a neighbour)
    let mut near = vec![false; h * w];
    for (p, _) in cells.iter().enumerate().filter(|(_, &x)| x != 0) {
        let (i, j) = (p / w, p % w);
        for y in i.saturating_sub(1)..=(i + 1).min(h - 1) {
            near[y * w + j.saturating_sub(1)..=y * w + (j + 1).min(w - 1)].fill(true);
        }
    }
    let cs = cells.iter().zip(&near).map(|(&x, &n)| if x == 0 && n { c } else { x }).collect();
    edited(&a[0], g, cs)
}

/// The unit steps of the smear and gravity directions: right, left, down, up, then the
/// diagonals down-right, down-left, up-right, up-left.
const DIRS: [(i32, i32); 8] = [(0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (1, -1), (-1, 1), (-1, -1)];

/// `smear(g, k)`: each non-zero cell's colour drawn over the 0 cells beyond it until content or
/// the border, in the directions of `k`: 0 right, 1 left, 2 down, 3 up, 4 left and right,
/// 5 up and down, 6 all four, 7 the four diagonals, 8 down-right, 9 down-left, 10 up-right,
/// 11 up-left; cells are drawn in row-major order and a drawn cell is not drawn again.
pub fn smear(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, k) = (a[0].as_grid()?, sel(&a[1], SMEARS - 1)?);
    let dirs: &[(i32, i32)] = match k {
        0..=3 => &DIRS[k..k + 1],
        4 => &DIRS[0..2],
        5 => &DIRS[2..4],
        6 => &DIRS[0..4],
        7 => &DIRS[4..8],
        _ => &DIRS[k - 4..k - 3],
    };
    let (h, w, cells) = (g.h(), g.w(), g.cells());
    let mut cs = g.to_vec();
    for (p, &c) in cells.iter().enumerate().filter(|(_, &c)| c != 0) {
        let (i, j) = (p / w, p % w);
        for &(di, dj) in dirs {
            // the steps to the border along each axis, then along the direction
            let room = |k: usize, n: usize, d: i32| match d {
                1 => n - 1 - k,
                -1 => k,
                _ => usize::MAX,
            };
            let steps = room(i, h, di).min(room(j, w, dj));
            let step = di as isize * w as isize + dj as isize;
            let mut q = p as isize;
            for _ in 0..steps {
                q += step;
                let q = q as usize;
                if cells[q] != 0 {
                    break;
                }
                if cs[q] == 0 {
                    cs[q] = c;
                }
            }
        }
    }
    edited(&a[0], g, cs)
}

/// `gravity(g, k)`: the non-zero cells of every column (k 0 down, 1 up) or row (2 right,
/// 3 left) moved as far as they go in that direction, keeping their order.
pub fn gravity(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, k) = (a[0].as_grid()?, sel(&a[1], GRAVITIES - 1)?);
    let (h, w) = (g.h(), g.w());
    let mut cs = vec![0i8; h * w];
    let (lines, len) = if k < 2 { (w, h) } else { (h, w) };
    for line in 0..lines {
        let at = |p: usize| if k < 2 { p * w + line } else { line * w + p };
        let content: Vec<i8> = (0..len).map(|p| g.cells()[at(p)]).filter(|&c| c != 0).collect();
        let start = if k == 0 || k == 2 { len - content.len() } else { 0 };
        for (n, c) in content.into_iter().enumerate() {
            cs[at(start + n)] = c;
        }
    }
    edited(&a[0], g, cs)
}

/// `join_lines(g, k)`: the 0 cells between two cells of one colour on a row (k 0), a column
/// (k 1), either (k 2, the column's colour where both join), a diagonal (k 3, down-right then
/// down-left, the latter's colour where both join) or any of these (k 4, in that order, the
/// last to join a cell giving its colour), with only 0 cells between them, set to that colour.
pub fn join_lines(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, k) = (a[0].as_grid()?, sel(&a[1], JOINS - 1)?);
    let (h, w) = (g.h(), g.w());
    let mut cs = g.to_vec();
    let join = |cells: &mut Vec<i8>, at: &dyn Fn(usize) -> usize, len: usize| {
        let mut last: Option<(usize, i8)> = None;
        for p in 0..len {
            let c = g.cells()[at(p)];
            if c == 0 {
                continue;
            }
            if let Some((q, d)) = last {
                if d == c {
                    for r in q + 1..p {
                        cells[at(r)] = c;
                    }
                }
            }
            last = Some((p, c));
        }
    };
    if matches!(k, 0 | 2 | 4) {
        for i in 0..h {
            join(&mut cs, &|p| i * w + p, w);
        }
    }
    if matches!(k, 1 | 2 | 4) {
        for j in 0..w {
            join(&mut cs, &|p| p * w + j, h);
        }
    }
    if k >= 3 {
        // down-right diagonals from their top-left cell, then down-left ones from their top-right
        for start in (1..w).rev().map(|j| (0, j)).chain((0..h).map(|i| (i, 0))) {
            let (i0, j0) = start;
            join(&mut cs, &|p| (i0 + p) * w + j0 + p, (h - i0).min(w - j0));
        }
        for start in (0..w).map(|j| (0, j)).chain((1..h).map(|i| (i, w - 1))) {
            let (i0, j0) = start;
            join(&mut cs, &|p| (i0 + p) * w + j0 - p, (h - i0).min(j0 + 1));
        }
    }
    edited(&a[0], g, cs)
}

/// `mirror_complete(g, k)`: every 0 cell given the colour of its image under a symmetry of
/// `g` where that is non-zero: k 0 left-right, 1 top-bottom, 2 both and the half turn (the
/// first non-zero image in that order), 3 the main diagonal (square grids).
pub fn mirror_complete(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, k) = (a[0].as_grid()?, sel(&a[1], SYMMETRIES - 1)?);
    let (h, w) = (g.h(), g.w());
    if k == 3 && h != w {
        return Err(Fail::Domain("diagonal symmetry of a grid that is not square"));
    }
    let images = |i: usize, j: usize| -> Vec<(usize, usize)> {
        match k {
            0 => vec![(i, w - 1 - j)],
            1 => vec![(h - 1 - i, j)],
            2 => vec![(i, w - 1 - j), (h - 1 - i, j), (h - 1 - i, w - 1 - j)],
            _ => vec![(j, i)],
        }
    };
    let mut cs = g.to_vec();
    for i in 0..h {
        for j in 0..w {
            if g.get(i, j) == 0 {
                if let Some(c) = images(i, j).into_iter().map(|(y, x)| g.get(y, x)).find(|&c| c != 0) {
                    cs[i * w + j] = c;
                }
            }
        }
    }
    edited(&a[0], g, cs)
}

/// `self_tile(g)`: a grid `h·h` by `w·w` whose block `(i, j)` is `g` where `g[i][j]` is
/// non-zero and 0 elsewhere.
pub fn self_tile(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (h, w) = (g.h(), g.w());
    let (nh, nw) = (h * h, w * w);
    if nh * nw > crate::grid::MAX_CELLS {
        return Err(Fail::Limit("grid too large"));
    }
    // row `by * h + iy` of the result: for each block column `bx`, row `iy` of `g` or zeros
    let mut cs = Vec::with_capacity(nh * nw);
    for by in 0..h {
        for iy in 0..h {
            for bx in 0..w {
                let row = &g.cells()[iy * w..(iy + 1) * w];
                if g.get(by, bx) != 0 {
                    cs.extend_from_slice(row);
                } else {
                    cs.resize(cs.len() + w, 0);
                }
            }
        }
    }
    Ok(Value::Grid(Grid::new(nh, nw, cs)?))
}

/// A grid of shape `(h, w)` (a [`target`], within the grid limits) whose cell `(y, x)` is
/// `g`'s cell `(row(y), col(x))`, or 0 where either is `None` (every step that takes an output
/// shape reads `g` so, row by row and column by column, with no division per cell).
fn resample(
    g: &Grid,
    (h, w): (usize, usize),
    row: impl Fn(usize) -> Option<usize>,
    col: impl Fn(usize) -> Option<usize>,
) -> Res<Value> {
    let cols: Vec<Option<usize>> = (0..w).map(col).collect();
    let mut cs = Vec::with_capacity(h * w);
    for y in 0..h {
        match row(y) {
            Some(y) => cs.extend(cols.iter().map(|&x| x.map_or(0, |x| g.get(y, x)))),
            None => cs.resize(cs.len() + w, 0),
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// `tile(g, s)`: `g` repeated over a grid of shape `s` (cut at its right and bottom edges).
pub fn tile(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, (h, w)) = (a[0].as_grid()?, target(&a[1])?);
    resample(g, (h, w), |y| Some(y % g.h()), |x| Some(x % g.w()))
}

/// `mirror_tile(g, s)`: `g` repeated over a grid of shape `s`, every other copy mirrored so
/// that neighbouring copies are reflections of each other.
pub fn mirror_tile(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, (h, w)) = (a[0].as_grid()?, target(&a[1])?);
    let (gh, gw) = (g.h(), g.w());
    // every other copy reflected: along one axis of `n` cells, index `i` reads `at(i)`
    let at = |i: usize, n: usize| Some(if (i / n).is_multiple_of(2) { i % n } else { n - 1 - i % n });
    resample(g, (h, w), |y| at(y, gh), |x| at(x, gw))
}

/// `embed(g, s)`: `g` at the top left of a 0 grid of shape `s` (cut where it does not fit).
pub fn embed(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, (h, w)) = (a[0].as_grid()?, target(&a[1])?);
    resample(g, (h, w), |y| (y < g.h()).then_some(y), |x| (x < g.w()).then_some(x))
}

/// `scale_to(g, s)`: `g` with every cell made a block, so that it has shape `s`; fails unless
/// `s` is a whole multiple of `g`'s shape.
pub fn scale_to(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, (h, w)) = (a[0].as_grid()?, target(&a[1])?);
    if h % g.h() != 0 || w % g.w() != 0 {
        return Err(Fail::Domain("shape not a multiple of the grid's"));
    }
    let (fy, fx) = (h / g.h(), w / g.w());
    resample(g, (h, w), |y| Some(y / fy), |x| Some(x / fx))
}

/// `overlay(a, b)`: `b` over `a` (grids of one shape): `b`'s non-zero cells, `a` elsewhere.
pub fn overlay(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (a[0].as_grid()?, a[1].as_grid()?);
    one_shape(&[x, y])?;
    let cs = x.cells().iter().zip(y.cells()).map(|(&p, &q)| if q != 0 { q } else { p }).collect();
    Ok(Value::Grid(Grid::new(x.h(), x.w(), cs)?))
}

/// The tuple of some grids.
fn grid_tuple(gs: Vec<Grid>) -> Res<Value> {
    if gs.is_empty() {
        return Err(Fail::Domain("nothing to split"));
    }
    Value::tuple(gs.into_iter().map(Value::Grid).collect())
}

/// `split_objs(g, k)`: the objects `o_g(g, k)` finds, each as the window of its bounding box
/// with the cells not of that object set to 0, ordered by the top, then left, of their boxes
/// (ties: in `o_g`'s order).
pub fn split_objs(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let k = u8::try_from(a[1].as_int()?).map_err(|_| Fail::Domain("o_g index outside 0..7"))?;
    let objs = o_g_grid(g, k)?;
    // per cell, the object holding it (objects are disjoint), numbered from 1
    let mut owner = vec![0u32; g.cells().len()];
    let mut parts: Vec<((usize, usize), Grid)> = Vec::new();
    for (n, o) in objs.as_values().unwrap_or(&[]).iter().enumerate() {
        let p = o.as_patch()?;
        let n = n as u32 + 1;
        let mut bx: Option<(usize, usize, usize, usize)> = None;
        for (i, j) in p.ijs() {
            let (i, j) = (i as usize, j as usize);
            owner[i * g.w() + j] = n;
            bx = Some(match bx {
                None => (i, j, i, j),
                Some((t, l, b, r)) => (t.min(i), l.min(j), b.max(i), r.max(j)),
            });
        }
        let Some(bx) = bx else { continue };
        parts.push(((bx.0, bx.1), window(g, bx, |i, j| owner[i * g.w() + j] == n)?));
    }
    parts.sort_by_key(|(at, _)| *at);
    grid_tuple(parts.into_iter().map(|(_, g)| g).collect())
}

/// `split_colours(g)`: for each non-zero colour, in increasing order, the window of the
/// bounding box of its cells with the other colours set to 0.
pub fn split_colours(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let mut seen: Vec<i8> = g.cells().iter().copied().filter(|&c| c != 0).collect();
    seen.sort_unstable();
    seen.dedup();
    let mut parts = Vec::with_capacity(seen.len());
    for c in seen {
        if let Some(bx) = content_box(g, |x| x == c) {
            parts.push(window(g, bx, |i, j| g.get(i, j) == c)?);
        }
    }
    grid_tuple(parts)
}

/// `split_panels(g)`: the panels between separator lines, in reading order. Separators are
/// the full rows and full columns of one colour `c`: among the colours whose such lines leave
/// at least two panels, the one with most lines (ties: the smallest).
pub fn split_panels(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (h, w) = (g.h(), g.w());
    let row_c = |i: usize| {
        let r = g.row(i);
        r.iter().all(|&x| x == r[0]).then_some(r[0])
    };
    let col_c = |j: usize| {
        let c = g.get(0, j);
        (0..h).all(|i| g.get(i, j) == c).then_some(c)
    };
    let mut count = std::collections::BTreeMap::<i8, usize>::new();
    for c in (0..h).filter_map(row_c).chain((0..w).filter_map(col_c)) {
        *count.entry(c).or_default() += 1;
    }
    let runs = |n: usize, is_sep: &dyn Fn(usize) -> bool| {
        let mut v = vec![];
        let mut start = None;
        for p in 0..=n {
            match (p < n && !is_sep(p), start) {
                (true, None) => start = Some(p),
                (false, Some(s)) => {
                    v.push((s, p - 1));
                    start = None;
                }
                _ => {}
            }
        }
        v
    };
    // colours by most lines, then the smallest; the first whose lines leave two panels
    let mut order: Vec<(i8, usize)> = count.into_iter().collect();
    order.sort_by_key(|&(c, n)| (std::cmp::Reverse(n), c));
    let (rows, cols) = order
        .iter()
        .map(|&(sep, _)| (runs(h, &|i| row_c(i) == Some(sep)), runs(w, &|j| col_c(j) == Some(sep))))
        .find(|(rows, cols)| rows.len() * cols.len() >= 2)
        .ok_or(Fail::Domain("no separator lines leave two panels"))?;
    let mut parts = Vec::with_capacity(rows.len() * cols.len());
    for &(t, b) in &rows {
        for &(l, r) in &cols {
            parts.push(window(g, (t, l, b, r), |_, _| true)?);
        }
    }
    grid_tuple(parts)
}

/// The number of distinct non-zero colours of a grid.
fn colours(g: &Grid) -> usize {
    let mut seen = [false; 256];
    for &c in g.cells() {
        seen[c as u8 as usize] = true;
    }
    seen[0] = false;
    seen.iter().filter(|&&s| s).count()
}

/// The non-zero cells of a grid not of its most common non-zero colour (ties: the smallest).
fn minor(g: &Grid) -> usize {
    let (_, top, total) = most_common(g.cells().iter().copied().filter(|&c| c != 0));
    total - top
}

/// `pick(t, k)`: one grid of a tuple of grids, by criterion `k`: 0 most non-zero cells,
/// 1 fewest, 2 largest area, 3 smallest, 4 most colours, 5 fewest, 6 the first, 7 the last,
/// 8 the only grid equal to no other, 9 the only one whose pattern of non-zero cells matches
/// no other's, 10 the only one whose colour count matches no other's, 11 most non-zero cells
/// not of its most common non-zero colour (ties: the smallest colour), 12 fewest, 13 the only
/// one whose having a mirror symmetry (left-right, top-bottom, or a diagonal of a square grid)
/// matches no other's, 14 the only one whose shape matches no other's; among ties the first;
/// criteria 8 to 10, 13 and 14 fail unless exactly one grid qualifies.
pub fn pick(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (gs, k) = (grids(&a[0])?, sel(&a[1], PICKS - 1)?);
    let nz = |g: &Grid| g.cells().iter().filter(|&&c| c != 0).count() as i64;
    let area = |g: &Grid| (g.h() * g.w()) as i64;
    let best = |key: &dyn Fn(&Grid) -> i64| {
        let mut at = 0;
        for (n, g) in gs.iter().enumerate() {
            if key(g) > key(gs[at]) {
                at = n;
            }
        }
        at
    };
    let unique = |same: &dyn Fn(&Grid, &Grid) -> bool| -> Res<usize> {
        let lone: Vec<usize> =
            (0..gs.len()).filter(|&n| (0..gs.len()).all(|m| m == n || !same(gs[n], gs[m]))).collect();
        match lone[..] {
            [n] => Ok(n),
            _ => Err(Fail::Domain("no single grid stands out")),
        }
    };
    let mask = |g: &Grid| (g.h(), g.w(), g.cells().iter().map(|&c| c != 0).collect::<Vec<_>>());
    let at = match k {
        0 => best(&|g| nz(g)),
        1 => best(&|g| -nz(g)),
        2 => best(&|g| area(g)),
        3 => best(&|g| -area(g)),
        4 => best(&|g| colours(g) as i64),
        5 => best(&|g| -(colours(g) as i64)),
        6 => 0,
        7 => gs.len() - 1,
        8 => unique(&|x, y| x == y)?,
        9 => unique(&|x, y| mask(x) == mask(y))?,
        10 => unique(&|x, y| colours(x) == colours(y))?,
        11 => best(&|g| minor(g) as i64),
        12 => best(&|g| -(minor(g) as i64)),
        13 => unique(&|x, y| mirrored(x) == mirrored(y))?,
        _ => unique(&|x, y| (x.h(), x.w()) == (y.h(), y.w()))?,
    };
    Ok(Value::Grid(gs[at].clone()))
}

/// Whether a grid equals its left-right or top-bottom mirror, or (square) its transpose about
/// either diagonal.
fn mirrored(g: &Grid) -> bool {
    let (h, w) = (g.h(), g.w());
    let at = |i: usize, j: usize| g.cells()[i * w + j];
    let all = |f: &dyn Fn(usize, usize) -> bool| (0..h).all(|i| (0..w).all(|j| f(i, j)));
    all(&|i, j| at(i, j) == at(i, w - 1 - j))
        || all(&|i, j| at(i, j) == at(h - 1 - i, j))
        || (h == w && (all(&|i, j| at(i, j) == at(j, i)) || all(&|i, j| at(i, j) == at(w - 1 - j, h - 1 - i))))
}

/// `stack(t, k)`: the grids of a tuple side by side (k 0, equal heights) or one above the
/// other (k 1, equal widths).
pub fn stack(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (gs, k) = (grids(&a[0])?, sel(&a[1], STACKS - 1)?);
    let (h, w) =
        if k == 0 { (gs[0].h(), gs.iter().map(|g| g.w()).sum()) } else { (gs.iter().map(|g| g.h()).sum(), gs[0].w()) };
    if gs.iter().any(|g| if k == 0 { g.h() != h } else { g.w() != w }) {
        return Err(Fail::Domain("grids of different sides"));
    }
    if h > crate::grid::MAX_SIDE || w > crate::grid::MAX_SIDE || h * w > crate::grid::MAX_CELLS {
        return Err(Fail::Limit("grid too large"));
    }
    let mut cs = Vec::with_capacity(h * w);
    if k == 0 {
        for i in 0..h {
            for g in &gs {
                cs.extend_from_slice(g.row(i));
            }
        }
    } else {
        for g in &gs {
            cs.extend_from_slice(g.cells());
        }
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// `g`'s non-zero cells laid over the cells `cs` (of a grid of `g`'s shape).
fn lay_over(cs: &mut [i8], g: &Grid) {
    for (x, &c) in cs.iter_mut().zip(g.cells()) {
        if c != 0 {
            *x = c;
        }
    }
}

/// `overlay_all(t)`: the grids of a tuple (all of one shape) laid over each other in order,
/// each one's non-zero cells over what is below.
pub fn overlay_all(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let gs = grids(&a[0])?;
    let (h, w) = one_shape(&gs)?;
    let mut cs = gs[0].to_vec();
    for g in &gs[1..] {
        lay_over(&mut cs, g);
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// `layer(t, k)`: the grids of a tuple (all of one shape) named by the decimal digits of `k`
/// (1 the first grid; the leftmost digit on top) laid over each other: cell by cell, the
/// colour of the first of them that is non-zero there, else 0; fails for `k` < 1 or a digit
/// naming no grid.
pub fn layer(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (gs, mut k) = (grids(&a[0])?, a[1].as_int()?);
    let (h, w) = one_shape(&gs)?;
    if k < 1 {
        return Err(Fail::Domain("no grid named"));
    }
    let mut cs = vec![0i8; h * w];
    // bottom first: the rightmost digit
    while k > 0 {
        let g = gs.get(((k % 10) as usize).wrapping_sub(1)).ok_or(Fail::Domain("a digit names no grid"))?;
        lay_over(&mut cs, g);
        k /= 10;
    }
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// `majority(t)`: cell by cell, the colour most of the grids of a tuple (all of one shape)
/// have there (ties: the smallest colour).
pub fn majority(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let gs = grids(&a[0])?;
    let (h, w) = one_shape(&gs)?;
    // a few grids: each cell's colours counted among themselves
    let cs = (0..h * w)
        .map(|p| {
            let count = |c: i8| gs.iter().filter(|g| g.cells()[p] == c).count();
            gs.iter().map(|g| g.cells()[p]).max_by_key(|&c| (count(c), std::cmp::Reverse(c))).unwrap_or(0)
        })
        .collect();
    Ok(Value::Grid(Grid::new(h, w, cs)?))
}

/// `count_row(g)`: a one-row grid with one cell per non-zero cell of `g`, in `g`'s most
/// common non-zero colour (ties: the smallest).
pub fn count_row(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (c, total) = major_colour(g)?;
    Ok(Value::Grid(Grid::new(1, total, vec![c; total])?))
}

/// `g`'s most common non-zero colour (ties: the smallest) and its count of non-zero cells.
fn major_colour(g: &Grid) -> Res<(i8, usize)> {
    let (top, _, total) = most_common(g.cells().iter().copied().filter(|&c| c != 0));
    if total == 0 {
        return Err(Fail::Domain("no non-zero cell"));
    }
    Ok((top, total))
}

/// The most common of some colours (ties: the smallest; 0 when there are none), how many times
/// it comes, and how many colours there are.
fn most_common(cs: impl Iterator<Item = i8>) -> (i8, usize, usize) {
    let mut n = [0u16; 256]; // a grid has at most 4096 cells
    let (mut top, mut total) = (None::<i8>, 0);
    for c in cs {
        let k = c as u8 as usize;
        n[k] += 1;
        total += 1;
        // only `c`'s count grew: the most common is still `top`, or now `c`
        top = match top {
            Some(t) if (n[t as u8 as usize], std::cmp::Reverse(t)) >= (n[k], std::cmp::Reverse(c)) => Some(t),
            _ => Some(c),
        };
    }
    (top.unwrap_or(0), top.map_or(0, |t| n[t as u8 as usize] as usize), total)
}

/// `recolour_major(g)`: every non-zero cell set to `g`'s most common non-zero colour (ties:
/// the smallest).
pub fn recolour_major(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (c, _) = major_colour(g)?;
    let cs = g.cells().iter().map(|&x| if x != 0 { c } else { 0 }).collect();
    edited(&a[0], g, cs)
}

/// `count_colours(g)`: how many non-zero colours `g` has.
pub fn count_colours(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let mut seen = [false; 256];
    for &c in g.cells() {
        seen[c as u8 as usize] = true;
    }
    Ok(Value::Int(seen[1..].iter().filter(|&&s| s).count() as i32))
}

/// `inner(g, c)`: every non-zero cell whose 8 neighbours are all in the grid and non-zero set
/// to `c`.
pub fn inner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let (h, w) = (g.h() as i32, g.w() as i32);
    let mut cs = g.to_vec();
    for i in 1..h - 1 {
        for j in 1..w - 1 {
            let all = (-1..=1).all(|di| (-1..=1).all(|dj| g.at(i + di, j + dj).is_some_and(|x| x != 0)));
            if all {
                cs[(i * w + j) as usize] = c;
            }
        }
    }
    edited(&a[0], g, cs)
}

/// `drop_small(g, n)`: every 8-connected group of non-zero cells (of any colours) with fewer
/// than `n` cells set to 0; fails for a negative `n`.
pub fn drop_small(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, n) = (a[0].as_grid()?, a[1].as_int()?);
    let n = usize::try_from(n).map_err(|_| Fail::Domain("negative size"))?;
    if n <= 1 {
        return Ok(a[0].clone()); // no group has fewer than one cell
    }
    let mut cs = g.to_vec();
    for group in groups(g, |c| c != 0, true).into_iter().filter(|gr| gr.len() < n) {
        for p in group {
            cs[p] = 0;
        }
    }
    edited(&a[0], g, cs)
}

/// `recolour_nearest(g, c)`: every cell of colour `c` set to the colour of the nearest cell (in
/// steps up, down, left and right) that is neither 0 nor `c`; left as it is when two colours
/// are nearest or there is none.
pub fn recolour_nearest(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    if !g.cells().contains(&c) {
        return Ok(a[0].clone());
    }
    let (h, w) = (g.h() as i32, g.w() as i32);
    // breadth first from every source at once: per cell its distance and nearest colour
    // (`None` once two colours tie there), until every cell of `c` has its distance
    const TIED: Option<i8> = None;
    let n = g.cells().len();
    let mut dist = vec![u16::MAX; n];
    let mut near: Vec<Option<i8>> = vec![TIED; n];
    let mut frontier: Vec<usize> = Vec::with_capacity(n);
    let mut left = 0;
    for (p, &x) in g.cells().iter().enumerate() {
        if x != 0 && x != c {
            dist[p] = 0;
            near[p] = Some(x);
            frontier.push(p);
        }
        left += usize::from(x == c);
    }
    let mut next: Vec<usize> = Vec::with_capacity(n);
    let mut d = 0;
    while !frontier.is_empty() && left > 0 {
        d += 1;
        for &p in &frontier {
            let (i, j) = ((p as i32) / w, (p as i32) % w);
            for (di, dj) in DIRS.iter().take(4) {
                let (y, x) = (i + di, j + dj);
                if !((0..h).contains(&y) && (0..w).contains(&x)) {
                    continue;
                }
                let q = (y * w + x) as usize;
                if dist[q] == u16::MAX {
                    dist[q] = d;
                    near[q] = near[p];
                    next.push(q);
                    left -= usize::from(g.cells()[q] == c);
                } else if dist[q] == d && near[q] != near[p] {
                    near[q] = TIED;
                }
            }
        }
        std::mem::swap(&mut frontier, &mut next);
        next.clear();
    }
    let cs = g.cells().iter().zip(&near).map(|(&x, &nc)| if x == c { nc.unwrap_or(x) } else { x }).collect();
    edited(&a[0], g, cs)
}

/// `inside_box(g)`: the cells strictly inside the largest rectangle outlined by one non-zero
/// colour (an outline at least 3 by 3; largest by the cells inside, ties: the first top-left
/// corner in row-major order, then the tallest).
pub fn inside_box(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (h, w) = (g.h(), g.w());
    // runs of one colour to the right and downwards from each cell
    let (mut right, mut down) = (vec![0usize; h * w], vec![0usize; h * w]);
    for i in (0..h).rev() {
        for j in (0..w).rev() {
            let c = g.get(i, j);
            right[i * w + j] = if j + 1 < w && g.get(i, j + 1) == c { right[i * w + j + 1] + 1 } else { 1 };
            down[i * w + j] = if i + 1 < h && g.get(i + 1, j) == c { down[(i + 1) * w + j] + 1 } else { 1 };
        }
    }
    let mut best: Option<(usize, (usize, usize, usize, usize))> = None;
    for i in 0..h {
        for j in 0..w {
            if g.get(i, j) == 0 {
                continue;
            }
            let (r, d) = (right[i * w + j], down[i * w + j]);
            for bh in (3..=d).rev() {
                // a shorter box or a narrower one holds no more cells than the best
                if best.is_some_and(|(b, _)| b >= (bh - 2) * (r.max(2) - 2)) {
                    break;
                }
                for bw in (3..=r).rev() {
                    let inside = (bh - 2) * (bw - 2);
                    if best.is_some_and(|(b, _)| b >= inside) {
                        break;
                    }
                    if right[(i + bh - 1) * w + j] >= bw && down[i * w + j + bw - 1] >= bh {
                        best = Some((inside, (i + 1, j + 1, i + bh - 2, j + bw - 2)));
                    }
                }
            }
        }
    }
    let (_, bx) = best.ok_or(Fail::Domain("no rectangle outline"))?;
    Ok(Value::Grid(window(g, bx, |_, _| true)?))
}

/// The bounding box `(top, left, bottom, right)` of a group of cell indices of a grid `w`
/// wide (all zeros for no cells).
fn group_box(group: &[usize], w: usize) -> (usize, usize, usize, usize) {
    let (ys, xs) = (group.iter().map(|&p| p / w), group.iter().map(|&p| p % w));
    let (t, b) = (ys.clone().min().unwrap_or(0), ys.max().unwrap_or(0));
    let (l, r) = (xs.clone().min().unwrap_or(0), xs.max().unwrap_or(0));
    (t, l, b, r)
}

/// `box_fill(g, c)`: the 0 cells inside the bounding box of each 8-connected group of non-zero
/// cells set to `c`.
pub fn box_fill(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c) = (a[0].as_grid()?, colour(&a[1])?);
    let w = g.w();
    let mut cs = g.to_vec();
    for group in groups(g, |x| x != 0, true) {
        let (t, l, b, r) = group_box(&group, w);
        for i in t..=b {
            for j in l..=r {
                if g.get(i, j) == 0 {
                    cs[i * w + j] = c;
                }
            }
        }
    }
    edited(&a[0], g, cs)
}

/// `logic(t, k, c)`: the first two grids `a`, `b` of a tuple (of one shape) combined cell by
/// cell: `c` where `k` holds of their non-zero cells (0 both, 1 either, 2 exactly one,
/// 3 neither, 4 `a` and not `b`, 5 `b` and not `a`), 0 elsewhere.
pub fn logic(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (gs, _, _) = (grids(&a[0])?, a[1].as_int()?, a[2].as_int()?); // kinds before ranges
    let (k, c) = (sel(&a[1], LOGICS - 1)?, colour(&a[2])?);
    let [x, y, ..] = gs[..] else { return Err(Fail::Domain("fewer than two grids")) };
    one_shape(&[x, y])?;
    let cs = x
        .cells()
        .iter()
        .zip(y.cells())
        .map(|(&p, &q)| {
            let (p, q) = (p != 0, q != 0);
            let on = match k {
                0 => p && q,
                1 => p || q,
                2 => p != q,
                3 => !p && !q,
                4 => p && !q,
                _ => q && !p,
            };
            if on {
                c
            } else {
                0
            }
        })
        .collect();
    Ok(Value::Grid(Grid::new(x.h(), x.w(), cs)?))
}

/// The smallest `p` in `1..n` such that cells `p` apart along an axis agree wherever both are
/// non-zero (`n` when none does): `at(a, b)` reads cell `b` of line `a`.
fn period(n: usize, lines: usize, at: impl Fn(usize, usize) -> i8) -> usize {
    (1..n)
        .find(|&p| {
            (0..lines).all(|a| {
                (0..n - p).all(|b| {
                    let (x, y) = (at(a, b), at(a, b + p));
                    x == 0 || y == 0 || x == y
                })
            })
        })
        .unwrap_or(n)
}

/// `fill_periodic(g)`: the 0 cells of a pattern that repeats with the smallest row period and
/// the smallest column period under which its non-zero cells agree, given the colour of the
/// non-zero cells of their class; fails unless a period is smaller than its side and the
/// non-zero cells of every class agree.
pub fn fill_periodic(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    let (h, w) = (g.h(), g.w());
    let py = period(h, w, |j, i| g.get(i, j));
    let px = period(w, h, |i, j| g.get(i, j));
    if py == h && px == w {
        return Err(Fail::Domain("no period"));
    }
    let mut class = vec![0i8; py * px];
    for i in 0..h {
        for j in 0..w {
            let (c, k) = (g.get(i, j), (i % py) * px + j % px);
            if c != 0 {
                if class[k] != 0 && class[k] != c {
                    return Err(Fail::Domain("no period"));
                }
                class[k] = c;
            }
        }
    }
    let cs = (0..h * w)
        .map(|p| if g.cells()[p] != 0 { g.cells()[p] } else { class[(p / w % py) * px + p % w % px] })
        .collect();
    edited(&a[0], g, cs)
}

/// The map that the pairs of decimal digits of `k` make, read from the right, `from` then `to`
/// (a lone leading digit is a pair from 0); fails for a negative `k`.
fn digit_pairs(mut k: i32) -> Res<[Option<i8>; 10]> {
    if k < 0 {
        return Err(Fail::Domain("negative digit map"));
    }
    let mut map = [None; 10];
    while k > 0 {
        map[((k % 100) / 10) as usize] = Some((k % 10) as i8);
        k /= 100;
    }
    Ok(map)
}

/// `map_colours(g, k)`: every colour of `g` mapped at once by the pairs of decimal digits of
/// `k` read from the right, `from` then `to` (`341526`: 3 to 4, 1 to 5, 2 to 6; a lone
/// leading digit is a pair from 0); other colours kept; fails for a negative `k`.
pub fn map_colours(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, map) = (a[0].as_grid()?, digit_pairs(a[1].as_int()?)?);
    let cs = g
        .cells()
        .iter()
        .map(|&c| usize::try_from(c).ok().and_then(|c| map.get(c).copied().flatten()).unwrap_or(c))
        .collect();
    edited(&a[0], g, cs)
}

/// The connected groups of the cells of `g` where `member` holds (8-connected when `diagonal`,
/// else 4-connected), as lists of cell indices, in row-major order of their first cell.
pub fn groups(g: &Grid, member: impl Fn(i8) -> bool, diagonal: bool) -> Vec<Vec<usize>> {
    let (h, w) = (g.h() as i32, g.w() as i32);
    let mut seen = vec![false; g.cells().len()];
    let (mut out, mut stack) = (vec![], vec![]);
    for start in 0..g.cells().len() {
        if seen[start] || !member(g.cells()[start]) {
            continue;
        }
        seen[start] = true;
        let mut group = vec![];
        stack.push(start);
        while let Some(p) = stack.pop() {
            group.push(p);
            let (i, j) = ((p as i32) / w, (p as i32) % w);
            for (di, dj) in DIRS.iter().take(if diagonal { 8 } else { 4 }) {
                let (y, x) = (i + di, j + dj);
                if (0..h).contains(&y) && (0..w).contains(&x) {
                    let q = (y * w + x) as usize;
                    if !seen[q] && member(g.cells()[q]) {
                        seen[q] = true;
                        stack.push(q);
                    }
                }
            }
        }
        out.push(group);
    }
    out
}

/// `recolour_by_size(g, k)`: every 4-connected group of non-zero cells whose size is a `from`
/// digit of `k` (pairs of decimal digits read from the right, as in `map_colours`) set to
/// the paired colour; other groups kept; fails for a negative `k`.
pub fn recolour_by_size(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, map) = (a[0].as_grid()?, digit_pairs(a[1].as_int()?)?);
    let mut cs = g.to_vec();
    for group in groups(g, |c| c != 0, false) {
        if let Some(Some(c)) = map.get(group.len()) {
            for p in group {
                cs[p] = *c;
            }
        }
    }
    edited(&a[0], g, cs)
}

/// `recolour_by_rank(g, k)`: every 4-connected group of non-zero cells whose size rank (1 for
/// the largest size, 2 for the next; equal sizes share a rank) is a `from` digit of `k` (pairs
/// of decimal digits read from the right, as in `map_colours`) set to the paired colour; other
/// groups kept; fails for a negative `k`.
pub fn recolour_by_rank(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, map) = (a[0].as_grid()?, digit_pairs(a[1].as_int()?)?);
    let mut cs = g.to_vec();
    let groups = groups(g, |c| c != 0, false);
    for (group, rank) in groups.iter().zip(size_ranks(&groups)) {
        if let Some(Some(c)) = map.get(rank) {
            for &p in group {
                cs[p] = *c;
            }
        }
    }
    edited(&a[0], g, cs)
}

/// Per group, the rank of its size among the groups' sizes: 1 for the largest, equal sizes
/// sharing a rank.
pub fn size_ranks(groups: &[Vec<usize>]) -> Vec<usize> {
    let mut sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
    sizes.sort_unstable_by(|a, b| b.cmp(a));
    sizes.dedup();
    groups.iter().map(|gr| 1 + sizes.iter().position(|&n| n == gr.len()).unwrap_or(0)).collect()
}

/// `recolour_if(g, c, k)`: every 8-connected group of non-zero cells (of any colours) for
/// which criterion `k` holds set to `c`: 0 a hole (a 0 cell with no 4-connected path of 0
/// cells to the border) is next to it (up, down, left or right), 1 none is, 2 it touches the
/// border, 3 it does not, 4 no group has more cells, 5 none has fewer, 6 it fills its
/// bounding box, 7 it does not.
pub fn recolour_if(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, c, k) = (a[0].as_grid()?, colour(&a[1])?, sel(&a[2], CRITERIA - 1)?);
    let (h, w) = (g.h(), g.w());
    let found = groups(g, |x| x != 0, true);
    let holes: Vec<bool> = g.cells().iter().zip(outside(g)).map(|(&x, o)| x == 0 && !o).collect();
    let near_hole = |p: usize| {
        let (i, j) = (p / w, p % w);
        (i > 0 && holes[p - w]) || (i + 1 < h && holes[p + w]) || (j > 0 && holes[p - 1]) || (j + 1 < w && holes[p + 1])
    };
    let most = found.iter().map(Vec::len).max().unwrap_or(0);
    let fewest = found.iter().map(Vec::len).min().unwrap_or(0);
    let fills_box = |gr: &[usize]| {
        let (t, l, b, r) = group_box(gr, w);
        gr.len() == (b - t + 1) * (r - l + 1)
    };
    let mut cs = g.to_vec();
    for gr in &found {
        let holds = match k {
            0 | 1 => gr.iter().any(|&p| near_hole(p)) == (k == 0),
            2 | 3 => gr.iter().any(|&p| on_border(p, h, w)) == (k == 2),
            4 => gr.len() == most,
            5 => gr.len() == fewest,
            _ => fills_box(gr) == (k == 6),
        };
        if holds {
            for &p in gr {
                cs[p] = c;
            }
        }
    }
    edited(&a[0], g, cs)
}

/// The renumbering of colours 0–9 by their role in `g` that `roles(g, m)` makes: colours in
/// the bit mask `m` kept; the others, those of `g` by decreasing count (ties: the one seen
/// first in reading order first) then the rest in increasing order, given the colours not in
/// `m` in increasing order.
pub fn role_map(g: &Grid, m: i32) -> Res<[i8; 10]> {
    if !(0..1024).contains(&m) {
        return Err(Fail::Domain("colour mask outside 0..1024"));
    }
    let mut n = [0usize; 10];
    let mut first = [usize::MAX; 10];
    for (at, &c) in g.cells().iter().enumerate() {
        if let Some(k) = usize::try_from(c).ok().filter(|&k| k < 10) {
            n[k] += 1;
            first[k] = first[k].min(at);
        }
    }
    let free = |c: &usize| m >> c & 1 == 0;
    let mut from: Vec<usize> = (0..10).filter(free).collect();
    from.sort_by_key(|&c| (std::cmp::Reverse(n[c]), first[c], c));
    let mut map: [i8; 10] = std::array::from_fn(|c| c as i8);
    for (f, to) in from.into_iter().zip((0..10).filter(free)) {
        map[f] = to as i8;
    }
    Ok(map)
}

/// `g`'s cells with colours 0–9 sent through `map`, others kept.
pub fn renumber(g: &Grid, map: &[i8; 10]) -> Res<Grid> {
    let cs =
        g.cells().iter().map(|&c| usize::try_from(c).ok().and_then(|k| map.get(k).copied()).unwrap_or(c)).collect();
    Grid::new(g.h(), g.w(), cs)
}

/// `roles(g, m)`: `g` with its colours renumbered by role: those in the bit mask `m` kept, the
/// others by decreasing count in `g` (ties: the first seen) given the colours not in `m` in order.
pub fn roles(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let g = a[0].as_grid()?;
    Ok(Value::Grid(renumber(g, &role_map(g, a[1].as_int()?)?)?))
}

/// `unroles(g, m, x)`: `x` with the renumbering that `roles(g, m)` makes undone.
pub fn unroles(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, x) = (a[0].as_grid()?, a[2].as_grid()?);
    let map = role_map(g, a[1].as_int()?)?;
    let mut back = [0i8; 10];
    for (c, &to) in map.iter().enumerate() {
        back[to as usize] = c as i8;
    }
    Ok(Value::Grid(renumber(x, &back)?))
}

/// The colour `recolour_learned` leaves out of a grid's objects: its most common (ties: the
/// smallest).
fn learned_background(g: &Grid) -> i8 {
    most_common(g.cells().iter().copied()).0
}

/// The objects of `g` for `recolour_learned`: the groups of cells of one colour, 8-connected
/// when `diagonal`, its background `bg` left out.
fn learned_objects(g: &Grid, bg: i8, diagonal: bool) -> Vec<Vec<usize>> {
    let mut present = [false; 256];
    for &c in g.cells() {
        present[c as u8 as usize] = true;
    }
    (0..256usize)
        .filter(|&c| present[c] && c as u8 as i8 != bg)
        .flat_map(|c| groups(g, |x| x as u8 as usize == c, diagonal))
        .collect()
}

/// Where a grid's objects are, for `recolour_learned`: its cells not of its background `bg`
/// (grids of different shapes have different masks: the shape is part of it).
fn object_mask(g: &Grid, bg: i8) -> (usize, usize, Vec<bool>) {
    (g.h(), g.w(), g.cells().iter().map(|&c| c != bg).collect())
}

/// An object's key for `recolour_learned`: 0 its shape (its cells from its top-left corner), 1
/// its size, 2 its height and width.
fn learned_key(cells: &[usize], w: usize, key: usize) -> Vec<u32> {
    let (rows, cols) = (cells.iter().map(|p| p / w), cells.iter().map(|p| p % w));
    let (top, left) = (rows.clone().min().unwrap_or(0), cols.clone().min().unwrap_or(0));
    match key {
        0 => {
            let mut at: Vec<u32> = cells.iter().map(|p| ((p / w - top) << 8 | (p % w - left)) as u32).collect();
            at.sort_unstable();
            at
        }
        1 => vec![cells.len() as u32],
        _ => vec![(rows.max().unwrap_or(0) - top + 1) as u32, (cols.max().unwrap_or(0) - left + 1) as u32],
    }
}

/// `recolour_learned(g, S, k)`: each object of `g` (one colour, 4-connected for even `k`, 8
/// for odd, the most common colour left out) set to the one colour that the objects with its
/// key (`k / 2`: 0 shape, 1 size, 2 height and width) take in the outputs of the demo pairs
/// whose input's objects are not on `g`'s cells; fails where they take none or several, or
/// for `k` outside 0..5.
pub fn recolour_learned(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (g, k) = (a[0].as_grid()?, sel(&a[2], LEARNED - 1)?);
    let (diagonal, key) = (k % 2 == 1, k / 2);
    let bg = learned_background(g);
    let mask = object_mask(g, bg);
    let mut lessons = vec![];
    for (i, o) in samples(&a[1])? {
        let (i, o) = (i.as_grid()?, o.as_grid()?);
        if (i.h(), i.w()) != (o.h(), o.w()) {
            continue;
        }
        // a demo input, even recoloured, is told its output by the other pairs only
        let l = lesson(i, o, diagonal, key);
        if l.mask != mask {
            lessons.push(l);
        }
    }
    let mut cs = g.to_vec();
    for obj in learned_objects(g, bg, diagonal) {
        let at = learned_key(&obj, g.w(), key);
        // the colour every pair that knows the key gives it (`Some(None)`: they disagree)
        let mut taught: Option<Option<i8>> = None;
        for c in lessons.iter().filter_map(|l| l.colours.get(&at)) {
            taught = Some(match taught {
                Some(t) if t != *c => None,
                _ => *c,
            });
        }
        let Some(Some(c)) = taught else {
            return Err(Fail::Domain("an object the demo pairs teach no one colour"));
        };
        for &p in &obj {
            cs[p] = c;
        }
    }
    edited(&a[0], g, cs)
}

/// What a demo pair teaches `recolour_learned`: where its input's objects are, and per key the
/// colour its objects take (`None`: several).
struct Lesson {
    mask: (usize, usize, Vec<bool>),
    colours: std::collections::HashMap<Vec<u32>, Option<i8>>,
}

/// What the pair `(i, o)` (of one shape) teaches for objects 8-connected when `diagonal` and
/// key `key`; kept per thread, as a search calls the step on many grids with the same pairs.
fn lesson(i: &Grid, o: &Grid, diagonal: bool, key: usize) -> std::rc::Rc<Lesson> {
    type Kept = std::collections::HashMap<(u64, u64, bool, usize), (Grid, Grid, std::rc::Rc<Lesson>)>;
    thread_local! {
        static KEPT: std::cell::RefCell<Kept> = std::cell::RefCell::new(Kept::new());
    }
    KEPT.with(|kept| {
        let at = (i.fp(), o.fp(), diagonal, key);
        if let Some((a, b, l)) = kept.borrow().get(&at) {
            if a == i && b == o {
                return l.clone();
            }
        }
        let bg = learned_background(i);
        let mut l = Lesson { mask: object_mask(i, bg), colours: Default::default() };
        for obj in learned_objects(i, bg, diagonal) {
            let c = o.cells()[obj[0]];
            if obj.iter().all(|&p| o.cells()[p] == c) {
                let e = l.colours.entry(learned_key(&obj, i.w(), key)).or_insert(Some(c));
                if *e != Some(c) {
                    *e = None;
                }
            }
        }
        let l = std::rc::Rc::new(l);
        let mut kept = kept.borrow_mut();
        if kept.len() >= 1024 {
            kept.clear();
        }
        kept.insert(at, (i.clone(), o.clone(), l.clone()));
        l
    })
}
