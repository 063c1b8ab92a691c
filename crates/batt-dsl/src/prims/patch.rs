//! Primitives: patch.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::grid::Grid;
use crate::pack::{cmp_int, Cell, Loc, I8_CANON, PACK_MAX, PACK_MIN};
use crate::pyset::{py_most_common_int, py_pick_int};
use crate::value::{py_eq, Patch, PatchBuf, Value};
use std::borrow::Cow;

const EMPTY: Fail = Fail::Domain("empty patch");
pub(crate) const OUTSIDE: Fail = Fail::Limit("coordinate outside the packed domain");

/// The offsets of the locations `dneighbors` gives (directly adjacent), `ineighbors`
/// (diagonally adjacent) and `neighbors` (all eight).
pub(crate) const DIRECT: [(i32, i32); 4] = [(-1, 0), (1, 0), (0, -1), (0, 1)];
pub(crate) const DIAGONAL: [(i32, i32); 4] = [(-1, -1), (-1, 1), (1, -1), (1, 1)];
pub(crate) const ADJACENT: [(i32, i32); 8] = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)];
/// How many locations a frontier has: arc-dsl's rows or columns 0 to 29, whatever the grid.
pub(crate) const FRONTIER: i32 = 30;

// ----- typed helpers (shared with other primitive groups) -----------------------------

/// Bounding box of a patch as `(min i, min j, max i, max j)`; `None` when empty.
#[inline]
pub fn bbox(p: Patch) -> Option<(i32, i32, i32, i32)> {
    match p {
        Patch::Indices(s) => bbox_ijs(s.iter().map(|l| l.ij())),
        Patch::Object(s) => bbox_ijs(s.iter().map(|c| c.loc().ij())),
    }
}

#[inline]
fn bbox_ijs(mut it: impl Iterator<Item = (i32, i32)>) -> Option<(i32, i32, i32, i32)> {
    let (i, j) = it.next()?;
    let (mut t, mut l, mut b, mut r) = (i, j, i, j);
    for (i, j) in it {
        t = t.min(i);
        b = b.max(i);
        l = l.min(j);
        r = r.max(j);
    }
    Some((t, l, b, r))
}

/// `(height, width)` of a patch's bounding box (`(0, 0)` when empty).
#[inline]
pub fn patch_shape(p: Patch) -> (i32, i32) {
    bbox(p).map_or((0, 0), |(t, l, b, r)| (b - t + 1, r - l + 1))
}

/// arc-dsl's `center` of a non-empty patch.
#[inline]
pub fn center_of(p: Patch) -> Option<(i32, i32)> {
    let (t, l, b, r) = bbox(p)?;
    Some((t + (b - t + 1) / 2, l + (r - l + 1) / 2))
}

/// The distinct locations of a patch in canonical order (`toindices`).
pub fn toindices_locs(p: Patch<'_>) -> Cow<'_, [Loc]> {
    match p {
        Patch::Indices(s) => Cow::Borrowed(s),
        Patch::Object(s) => {
            let mut v: Vec<Loc> = s.iter().map(|c| c.loc()).collect();
            if !single_color(s) {
                v.sort_unstable();
                v.dedup();
            }
            Cow::Owned(v)
        }
    }
}

/// Whether all cells share one colour (cells are stored colour-major, so first and last tell).
#[inline]
fn single_color(s: &[Cell]) -> bool {
    match (s.first(), s.last()) {
        (Some(a), Some(b)) => a.color() == b.color(),
        _ => true,
    }
}

/// The distinct colours of a grid, in canonical order.
pub fn grid_palette(g: &Grid) -> Vec<i32> {
    let h = g.histogram();
    I8_CANON.iter().filter(|&&c| h[c as u8 as usize] > 0).map(|&c| c as i32).collect()
}

/// The patch shifted by `(di, dj)`, of the same kind (arc-dsl's `shift`; an empty patch is
/// returned as it is).
pub fn shift_patch(v: &Value, di: i32, dj: i32) -> Res<Value> {
    let pb = v.to_patch()?;
    let p = pb.get();
    if p.is_empty() {
        return Ok(v.clone());
    }
    if di == 0 && dj == 0 && matches!(pb, PatchBuf::Set(_)) {
        return Ok(v.clone());
    }
    // coordinates lie in the packed domain, so a larger offset leaves it for every location
    let span = PACK_MAX - PACK_MIN;
    if !(-span..=span).contains(&di) || !(-span..=span).contains(&dj) {
        return Err(OUTSIDE);
    }
    match p {
        Patch::Indices(s) => {
            let mut out = Vec::with_capacity(s.len());
            for l in s {
                let (i, j) = l.ij();
                out.push(Loc::new(i + di, j + dj).ok_or(OUTSIDE)?);
            }
            Ok(Value::indices(out))
        }
        Patch::Object(s) => {
            let mut out = Vec::with_capacity(s.len());
            for c in s {
                let (c, i, j) = c.parts();
                out.push(Cell::new(c, i + di, j + dj).ok_or(OUTSIDE)?);
            }
            Ok(Value::object(out))
        }
    }
}

/// The patch moved so that its upper left corner is the origin (arc-dsl's `normalize`).
pub fn normalize_patch(v: &Value) -> Res<Value> {
    let (t, l, _, _) = bbox(v.to_patch()?.get()).ok_or(EMPTY)?;
    shift_patch(v, -t, -l)
}

/// The locations of the rectangle `si..=ei` × `sj..=ej`, generated in canonical order.
pub fn rect_locs(si: i32, sj: i32, ei: i32, ej: i32) -> Res<Vec<Loc>> {
    if si > ei || sj > ej {
        return Ok(Vec::new());
    }
    let (Some(_), Some(_)) = (Loc::new(si, sj), Loc::new(ei, ej)) else {
        return Err(OUTSIDE);
    };
    // a location's key orders by the row's rank, then the column's rank
    let mut rows: Vec<i32> = (si..=ei).collect();
    rows.sort_by_key(|&i| Loc::new(i, sj));
    let mut cols: Vec<i32> = (sj..=ej).collect();
    cols.sort_by_key(|&j| Loc::new(si, j));
    let mut out = Vec::with_capacity(rows.len() * cols.len());
    for &i in &rows {
        out.extend(cols.iter().filter_map(|&j| Loc::new(i, j)));
    }
    Ok(out)
}

/// arc-dsl's `connect` on coordinates: the straight or diagonal line between two points.
pub fn connect_ij(ai: i64, aj: i64, bi: i64, bj: i64) -> Res<Value> {
    let (si, ei) = (ai.min(bi), ai.max(bi));
    let (sj, ej) = (aj.min(bj), aj.max(bj));
    if !(ai == bi || aj == bj || bi - ai == bj - aj || bi - ai == aj - bj) {
        return Ok(Value::empty_set());
    }
    // both end points lie on the line, so checking them bounds every point
    loc64(ai, aj)?;
    loc64(bi, bj)?;
    let mut v = Vec::new();
    if ai == bi {
        for j in sj..=ej {
            v.push(loc64(ai, j)?);
        }
    } else if aj == bj {
        for i in si..=ei {
            v.push(loc64(i, aj)?);
        }
    } else if bi - ai == bj - aj {
        for k in 0..=ei - si {
            v.push(loc64(si + k, sj + k)?);
        }
    } else {
        for k in 0..=ei - si {
            v.push(loc64(si + k, ej - k)?);
        }
    }
    Ok(Value::indices(v))
}

// ----- private helpers -------------------------------------------------------------------

#[inline]
fn loc64(i: i64, j: i64) -> Res<Loc> {
    let dom = PACK_MIN as i64..=PACK_MAX as i64;
    if dom.contains(&i) && dom.contains(&j) {
        Loc::new(i as i32, j as i32).ok_or(OUTSIDE)
    } else {
        Err(OUTSIDE)
    }
}

/// Python's `v[k]` for an integer of a tuple.
fn int_at(v: &Value, k: usize) -> Res<i64> {
    const RANGE: Fail = Fail::Domain("tuple index out of range");
    match v {
        Value::Pair(a, b) => match k {
            0 => Ok(*a as i64),
            1 => Ok(*b as i64),
            _ => Err(RANGE),
        },
        Value::IntTuple(s) => s.get(k).map(|&x| x as i64).ok_or(RANGE),
        _ if v.is_tuple() => {
            if k < v.len()? {
                Ok(v.item(k).as_int()? as i64)
            } else {
                Err(RANGE)
            }
        }
        _ => Err(Fail::Type("expected an integer tuple")),
    }
}

/// Python's `next(iter(v))[0]`.
fn first_of_first(v: &Value) -> Res<Value> {
    const NONE: Fail = Fail::Domain("first element of an empty container");
    match v {
        Value::Object(s) => s.first().map(|c| Value::Int(c.color())).ok_or(NONE),
        Value::Indices(s) => s.first().map(|l| Value::Int(l.i())).ok_or(NONE),
        Value::Grid(g) => Ok(Value::Int(g.get(0, 0) as i32)),
        _ => {
            if v.len()? == 0 {
                return Err(NONE);
            }
            let f = v.item(0);
            if f.len()? == 0 {
                return Err(Fail::Domain("tuple index out of range"));
            }
            Ok(f.item(0))
        }
    }
}

/// Feeds the runs of equal values (values arrive grouped, groups in canonical order).
fn for_runs(vals: impl Iterator<Item = i32>, mut f: impl FnMut(i32, u32)) {
    let mut cur: Option<(i32, u32)> = None;
    for v in vals {
        match &mut cur {
            Some((c, n)) if *c == v => *n += 1,
            _ => {
                if let Some((c, n)) = cur {
                    f(c, n);
                }
                cur = Some((v, 1));
            }
        }
    }
    if let Some((c, n)) = cur {
        f(c, n);
    }
}

/// The colour values of an Element: a grid's cells, an object's colours (the row of each
/// location for indices, as Python's `for v, _ in element` reads them), or, for any other
/// tuple of rows, its entries sorted into canonical order.
enum Elem<'a> {
    Grid(&'a Grid),
    Cells(&'a [Cell]),
    Locs(&'a [Loc]),
    Vals(Vec<i32>),
}

fn elem(v: &Value) -> Res<Elem<'_>> {
    Ok(match v {
        Value::Grid(g) => Elem::Grid(g),
        Value::Object(s) => Elem::Cells(s),
        Value::Indices(s) => Elem::Locs(s),
        Value::Set(s) if s.is_empty() => Elem::Cells(&[]),
        _ if v.is_tuple() => {
            let mut xs = Vec::new();
            for r in v.items()? {
                for x in r.items()? {
                    xs.push(x.as_int()?);
                }
            }
            Elem::Vals(xs)
        }
        _ => return Err(Fail::Type("expected a grid or an object")),
    })
}

impl Elem<'_> {
    /// arc-dsl's `max(set(values), key=values.count)` (or `min`): ties break by CPython's
    /// order of `set(values)`, `values` listed in the element's iteration order.
    fn pick(&self, most: bool) -> Option<i32> {
        let mut runs = Vec::new();
        match self {
            Elem::Grid(g) => return Some(g.pick_color(&g.histogram(), most) as i32),
            Elem::Cells(s) => for_runs(s.iter().map(|c| c.color()), |c, n| runs.push((c, n))),
            Elem::Locs(s) => for_runs(s.iter().map(|l| l.i()), |c, n| runs.push((c, n))),
            Elem::Vals(v) => return py_most_common_int(v, most),
        }
        py_pick_int(&runs, most)
    }
    fn palette(&self) -> Vec<i32> {
        let mut out = Vec::new();
        match self {
            Elem::Grid(g) => return grid_palette(g),
            Elem::Cells(s) => for_runs(s.iter().map(|c| c.color()), |c, _| out.push(c)),
            Elem::Locs(s) => for_runs(s.iter().map(|l| l.i()), |c, _| out.push(c)),
            Elem::Vals(v) => {
                let mut v = v.clone();
                v.sort_by(|&a, &b| cmp_int(a, b));
                v.dedup();
                return v;
            }
        }
        out
    }

    fn count(&self, x: i32) -> usize {
        match self {
            Elem::Grid(g) => match i8::try_from(x) {
                Ok(x) => g.cells().iter().filter(|&&c| c == x).count(),
                Err(_) => 0,
            },
            Elem::Cells(s) => s.iter().filter(|c| c.color() == x).count(),
            Elem::Locs(s) => s.iter().filter(|l| l.i() == x).count(),
            Elem::Vals(v) => v.iter().filter(|&&c| c == x).count(),
        }
    }
}

/// Python's `height` of a Piece (a grid, a patch, or any other tuple).
fn piece_height(v: &Value) -> Res<i32> {
    match v {
        Value::Grid(g) => Ok(g.h() as i32),
        _ if v.is_tuple() => Ok(v.len()? as i32),
        _ => Ok(patch_shape(v.as_patch()?).0),
    }
}

/// Python's `width` of a Piece.
fn piece_width(v: &Value) -> Res<i32> {
    match v {
        Value::Grid(g) => Ok(g.w() as i32),
        _ if v.is_tuple() => {
            if v.len()? == 0 {
                Ok(0)
            } else {
                Ok(v.item(0).len()? as i32)
            }
        }
        _ => Ok(patch_shape(v.as_patch()?).1),
    }
}

fn bbox_of(v: &Value) -> Res<(i32, i32, i32, i32)> {
    bbox(v.to_patch()?.get()).ok_or(EMPTY)
}

/// arc-dsl's `center`: the upper left corner plus half of `height` and `width`, which read a
/// tuple as a grid (its length and its first element's length), a set by its bounding box.
fn center_piece(v: &Value) -> Res<(i32, i32)> {
    if v.is_tuple_patch() {
        let (t, l, _, _) = bbox_of(v)?;
        return Ok((t + piece_height(v)?.div_euclid(2), l + piece_width(v)?.div_euclid(2)));
    }
    center_of(v.to_patch()?.get()).ok_or(EMPTY)
}

/// A corner of a patch, or the empty tuple for an empty patch.
fn corner(v: &Value, low_i: bool, low_j: bool) -> Res<Value> {
    Ok(match bbox(v.to_patch()?.get()) {
        None => Value::empty_tuple(),
        Some((t, l, b, r)) => Value::Pair(if low_i { t } else { b }, if low_j { l } else { r }),
    })
}

/// Whether two patches share a row (`rows`) or a column.
fn matching(a: Patch, b: Patch, rows: bool) -> bool {
    let key = |l: Loc| if rows { l.i() } else { l.j() };
    let mut bits = [0u64; 16];
    for l in a.locs() {
        let x = (key(l) - PACK_MIN) as usize & 1023;
        bits[x >> 6] |= 1 << (x & 63);
    }
    b.locs().any(|l| {
        let x = (key(l) - PACK_MIN) as usize & 1023;
        bits[x >> 6] & (1 << (x & 63)) != 0
    })
}

/// Points grouped by row for the minimum Manhattan distance of large patches.
struct Rows {
    pts: Vec<(i32, i32)>,
    /// `(row, start, end)` ranges into `pts`, by row.
    rows: Vec<(i32, usize, usize)>,
}

impl Rows {
    fn new(mut pts: Vec<(i32, i32)>) -> Rows {
        pts.sort_unstable();
        pts.dedup();
        let mut rows = Vec::new();
        let mut s = 0;
        for k in 1..=pts.len() {
            if pts.get(k).map(|p| p.0) != pts.get(s).map(|p| p.0) {
                rows.push((pts.get(s).map_or(0, |p| p.0), s, k));
                s = k;
            }
        }
        Rows { pts, rows }
    }

    fn cols(&self, s: usize, e: usize) -> &[(i32, i32)] {
        self.pts.get(s..e).unwrap_or(&[])
    }
}

/// Smallest `|a.j + dj - b.j|` over two column-sorted runs of points.
fn col_gap(a: &[(i32, i32)], dj: i32, b: &[(i32, i32)]) -> i32 {
    let (mut x, mut y) = (a.iter().peekable(), b.iter().peekable());
    let mut best = i32::MAX;
    while let (Some(&&(_, p)), Some(&&(_, q))) = (x.peek(), y.peek()) {
        let p = p + dj;
        best = best.min((p - q).abs());
        if p < q {
            x.next();
        } else {
            y.next();
        }
    }
    best
}

/// The minimum Manhattan distance between two non-empty patches, with the first one shifted.
enum Dist {
    Small(Vec<(i32, i32)>, Vec<(i32, i32)>),
    Large(Rows, Rows),
}

impl Dist {
    fn new(a: Patch, b: Patch) -> Dist {
        let (pa, pb): (Vec<_>, Vec<_>) = (a.ijs().collect(), b.ijs().collect());
        if pa.len().saturating_mul(pb.len()) <= 1 << 14 {
            Dist::Small(pa, pb)
        } else {
            Dist::Large(Rows::new(pa), Rows::new(pb))
        }
    }

    fn at(&self, (oi, oj): (i32, i32), ctx: &mut Ctx) -> Res<i32> {
        let mut best = i32::MAX;
        match self {
            Dist::Small(a, b) => {
                for &(ai, aj) in a {
                    let (ai, aj) = (ai + oi, aj + oj);
                    let d = b.iter().map(|&(bi, bj)| (ai - bi).abs() + (aj - bj).abs()).min();
                    best = best.min(d.unwrap_or(i32::MAX));
                    if best == 0 {
                        break;
                    }
                }
            }
            Dist::Large(a, b) => {
                for &(ra, s, e) in &a.rows {
                    let ra = ra + oi;
                    let ca = a.cols(s, e);
                    let mid = b.rows.partition_point(|r| r.0 < ra);
                    let (below, above) = b.rows.split_at(mid.min(b.rows.len()));
                    for &(rb, s2, e2) in below.iter().rev() {
                        if ra - rb >= best {
                            break;
                        }
                        ctx.tick()?;
                        best = best.min(ra - rb + col_gap(ca, oj, b.cols(s2, e2)));
                    }
                    for &(rb, s2, e2) in above {
                        if rb - ra >= best {
                            break;
                        }
                        ctx.tick()?;
                        best = best.min(rb - ra + col_gap(ca, oj, b.cols(s2, e2)));
                    }
                    if best == 0 {
                        break;
                    }
                }
            }
        }
        Ok(best)
    }
}

fn manhattan_of(a: &Value, b: &Value, ctx: &mut Ctx) -> Res<i32> {
    let (ba, bb) = (a.to_patch()?, b.to_patch()?);
    let (pa, pb) = (ba.get(), bb.get());
    if pa.is_empty() || pb.is_empty() {
        return Err(Fail::Domain("min of an empty sequence"));
    }
    Dist::new(pa, pb).at((0, 0), ctx)
}

/// arc-dsl's box outline of the rectangle spanned by two corners (any order).
fn frame(ai: i64, aj: i64, bi: i64, bj: i64) -> Res<Value> {
    let (si, ei) = (ai.min(bi), ai.max(bi));
    let (sj, ej) = (aj.min(bj), aj.max(bj));
    loc64(si, sj)?;
    loc64(ei, ej)?;
    let mut v = Vec::with_capacity(2 * ((ei - si) + (ej - sj) + 2) as usize);
    for i in si..=ei {
        v.push(loc64(i, sj)?);
        v.push(loc64(i, ej)?);
    }
    for j in sj..=ej {
        v.push(loc64(si, j)?);
        v.push(loc64(ei, j)?);
    }
    Ok(Value::indices(v))
}

/// arc-dsl's `hperiod` (`vertical` false) or `vperiod` of an object.
fn period(v: &Value, vertical: bool, ctx: &mut Ctx) -> Res<i32> {
    let pb = v.to_patch()?;
    let cells = match pb.get() {
        // Python only fails on indices once it unpacks a shifted element, i.e. for extent > 1
        Patch::Indices(s) if !s.is_empty() => {
            let (h, w) = patch_shape(Patch::Indices(s));
            return if (if vertical { h } else { w }) == 1 { Ok(1) } else { Err(Fail::Type("expected an object")) };
        }
        Patch::Indices(_) => &[][..],
        Patch::Object(s) => s,
    };
    let (t, l, b, r) = bbox(Patch::Object(cells)).ok_or(EMPTY)?;
    let (h, w) = (b - t + 1, r - l + 1);
    let n = if vertical { h } else { w };
    let pts: Vec<(i32, i32, i32)> = cells
        .iter()
        .map(|c| {
            let (c, i, j) = c.parts();
            (c, i - t, j - l)
        })
        .collect();
    // every cell at offset >= p must reappear p earlier (same colour)
    let holds = |p: i32, has: &dyn Fn(i32, i32, i32) -> bool| {
        pts.iter().all(|&(c, i, j)| {
            let (i, j) = if vertical { (i - p, j) } else { (i, j - p) };
            i < 0 || j < 0 || has(c, i, j)
        })
    };
    let area = h as usize * w as usize;
    if area <= 4096 && pts.iter().all(|&(c, _, _)| (0..16).contains(&c)) {
        let mut mask = vec![0u16; area];
        for &(c, i, j) in &pts {
            if let Some(m) = mask.get_mut((i * w + j) as usize) {
                *m |= 1 << c;
            }
        }
        let has = |c: i32, i: i32, j: i32| mask.get((i * w + j) as usize).is_some_and(|m| m & (1 << c) != 0);
        Ok((1..n).find(|&p| holds(p, &has)).unwrap_or(n))
    } else {
        let mut norm = Vec::with_capacity(pts.len());
        for &(c, i, j) in &pts {
            norm.push(Cell::new(c, i, j).ok_or(OUTSIDE)?);
        }
        norm.sort_unstable();
        let has = |c: i32, i: i32, j: i32| Cell::new(c, i, j).is_some_and(|x| norm.binary_search(&x).is_ok());
        for p in 1..n {
            ctx.tick()?;
            if holds(p, &has) {
                return Ok(p);
            }
        }
        Ok(n)
    }
}

fn bool_v(b: bool) -> Res<Value> {
    Ok(Value::Bool(b))
}

fn int_v(x: usize) -> Res<Value> {
    Value::int(x as i64)
}

// ----- primitives ------------------------------------------------------------------------

/// Most common colour of a grid or an object.
pub fn mostcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let c = elem(&a[0])?.pick(true).ok_or(Fail::Domain("most common colour of nothing"))?;
    Ok(Value::Int(c))
}

/// Least common colour of a grid or an object.
pub fn leastcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let c = elem(&a[0])?.pick(false).ok_or(Fail::Domain("least common colour of nothing"))?;
    Ok(Value::Int(c))
}

/// Height of a grid or patch.
pub fn height(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(piece_height(&a[0])?))
}

/// Width of a grid or patch.
pub fn width(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(piece_width(&a[0])?))
}

/// Height and width of a grid or patch.
pub fn shape(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Pair(piece_height(&a[0])?, piece_width(&a[0])?))
}

/// Whether height is greater than width.
pub fn portrait(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    bool_v(piece_height(&a[0])? > piece_width(&a[0])?)
}

/// Number of cells with a colour.
pub fn colorcount(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let e = elem(&a[0])?;
    // a value that is no integer equals no colour
    int_v(a[1].as_int().map_or(0, |x| e.count(x)))
}

/// Objects whose (first cell's) colour is the given one.
pub fn colorfilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let want = &a[1];
    let mut out = Vec::new();
    if let Some(s) = a[0].as_values() {
        for o in s {
            if py_eq(&first_of_first(o)?, want) {
                out.push(o.clone());
            }
        }
    } else {
        for o in a[0].items()? {
            if py_eq(&first_of_first(&o)?, want) {
                out.push(o);
            }
        }
    }
    Value::set(out)
}

/// Items of a container whose size is the given one.
pub fn sizefilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    // a size that is no integer equals no length (but every length is still taken)
    let n = a[1].as_int().ok().and_then(|n| usize::try_from(n).ok());
    let mut out = Vec::new();
    if let Some(s) = a[0].as_values() {
        for x in s {
            if Some(x.len()?) == n {
                out.push(x.clone());
            }
        }
    } else {
        for x in a[0].items()? {
            if Some(x.len()?) == n {
                out.push(x);
            }
        }
    }
    Value::set(out)
}

/// Index of the upper left corner.
pub fn ulcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    corner(&a[0], true, true)
}

/// Index of the upper right corner.
pub fn urcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    corner(&a[0], true, false)
}

/// Index of the lower left corner.
pub fn llcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    corner(&a[0], false, true)
}

/// Index of the lower right corner.
pub fn lrcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    corner(&a[0], false, false)
}

/// Indices of a patch's cells (a tuple of locations is returned as it is).
pub fn toindices(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let pb = a[0].to_patch()?;
    match pb.get() {
        Patch::Object(s) => Ok(Value::indices(toindices_locs(Patch::Object(s)).into_owned())),
        Patch::Indices([]) => Ok(Value::empty_set()),
        Patch::Indices(_) => Ok(a[0].clone()),
    }
}

/// The patch's locations, all in one colour.
pub fn recolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let c = a[0].as_int()?;
    let pb = a[1].to_patch()?;
    let p = pb.get();
    if let (Patch::Object(s), PatchBuf::Set(_)) = (p, &pb) {
        if single_color(s) && s.first().is_some_and(|x| x.color() == c) {
            return Ok(a[1].clone());
        }
    }
    let locs = toindices_locs(p);
    let mut out = Vec::with_capacity(locs.len());
    for &l in locs.iter() {
        out.push(Cell::at(c, l).ok_or(Fail::Limit("colour outside the packed domain"))?);
    }
    Ok(Value::object(out))
}

/// Shifts a patch by a vector.
pub fn shift(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (di, dj) = a[1].as_pair()?;
    shift_patch(&a[0], di, dj)
}

/// Moves the upper left corner to the origin.
pub fn normalize(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    normalize_patch(&a[0])
}

/// The locations at these offsets from location `a`.
fn around(a: &Value, offsets: &[(i32, i32)]) -> Res<Value> {
    let (i, j) = (int_at(a, 0)?, int_at(a, 1)?);
    Ok(Value::indices(offsets.iter().map(|&(di, dj)| loc64(i + di as i64, j + dj as i64)).collect::<Res<_>>()?))
}

/// Directly adjacent indices.
pub fn dneighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    around(&a[0], &DIRECT)
}

/// Diagonally adjacent indices.
pub fn ineighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    around(&a[0], &DIAGONAL)
}

/// Adjacent indices (direct and diagonal).
pub fn neighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    around(&a[0], &ADJACENT)
}

/// Row index of the uppermost occupied cell.
pub fn uppermost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(bbox_of(&a[0])?.0))
}

/// Row index of the lowermost occupied cell.
pub fn lowermost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(bbox_of(&a[0])?.2))
}

/// Column index of the leftmost occupied cell.
pub fn leftmost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(bbox_of(&a[0])?.1))
}

/// Column index of the rightmost occupied cell.
pub fn rightmost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(bbox_of(&a[0])?.3))
}

/// Whether the piece forms a (filled) square.
pub fn square(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let v = &a[0];
    match v {
        Value::Grid(g) => bool_v(g.h() == g.w()),
        _ if v.is_tuple() => {
            let n = v.len()?;
            if n == 0 {
                return Err(Fail::Domain("tuple index out of range"));
            }
            bool_v(v.item(0).len()? == n)
        }
        _ => {
            let p = v.as_patch()?;
            let (h, w) = patch_shape(p);
            bool_v(h as usize * w as usize == p.len() && h == w)
        }
    }
}

/// Whether the piece forms a vertical line.
pub fn vline(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let v = &a[0];
    bool_v(piece_height(v)? as usize == v.len()? && piece_width(v)? == 1)
}

/// Whether the piece forms a horizontal line.
pub fn hline(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let v = &a[0];
    bool_v(piece_width(v)? as usize == v.len()? && piece_height(v)? == 1)
}

/// Whether there is a row in which both patches have cells.
pub fn hmatching(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    bool_v(matching(a[0].to_patch()?.get(), a[1].to_patch()?.get(), true))
}

/// Whether there is a column in which both patches have cells.
pub fn vmatching(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    bool_v(matching(a[0].to_patch()?.get(), a[1].to_patch()?.get(), false))
}

/// Closest Manhattan distance between two patches.
pub fn manhattan(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(manhattan_of(&a[0], &a[1], ctx)?))
}

/// Whether two patches are adjacent (closest Manhattan distance 1).
pub fn adjacent(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    bool_v(manhattan_of(&a[0], &a[1], ctx)? == 1)
}

/// Whether a patch touches a border of the grid.
pub fn bordering(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (t, l, b, r) = bbox_of(&a[0])?;
    if t == 0 || l == 0 {
        return bool_v(true);
    }
    let g = &a[1];
    if b as i64 == g.len()? as i64 - 1 {
        return bool_v(true);
    }
    let w = match g {
        Value::Grid(g) => g.w(),
        _ if g.len()? == 0 => return Err(Fail::Domain("tuple index out of range")),
        _ => g.item(0).len()?,
    };
    bool_v(r as i64 == w as i64 - 1)
}

/// Center of mass (floored mean location: the sum over `toindices`, divided by `len`).
pub fn centerofmass(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let v = &a[0];
    let pb = v.to_patch()?;
    let p = pb.get();
    if p.is_empty() {
        return Ok(Value::empty_tuple());
    }
    let (mut si, mut sj) = (0i64, 0i64);
    let mut add = |(i, j): (i32, i32)| {
        si += i as i64;
        sj += j as i64;
    };
    match p {
        // a tuple of locations is its own `toindices`, repeats included
        Patch::Indices(_) if v.is_tuple_patch() => v.items()?.try_for_each(|x| x.as_pair().map(&mut add))?,
        _ => toindices_locs(p).iter().for_each(|l| add(l.ij())),
    }
    let n = v.len()? as i64;
    Ok(Value::Pair(si.div_euclid(n) as i32, sj.div_euclid(n) as i32))
}

/// Colours occurring in an object or grid.
pub fn palette(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::int_set(elem(&a[0])?.palette()))
}

/// Number of colours occurring in an object or grid.
pub fn numcolors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    int_v(elem(&a[0])?.palette().len())
}

/// Colour of an object (of its first cell).
pub fn color(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    first_of_first(&a[0])
}

/// Center of the patch's bounding box.
pub fn center(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (i, j) = center_piece(&a[0])?;
    Ok(Value::Pair(i, j))
}

/// Relative position between two patches (the centers of their `toindices`).
pub fn position(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    // a tuple of cells becomes a set of locations; a tuple of locations stays a tuple
    let center_ind = |v: &Value| match v.to_patch()?.get() {
        Patch::Indices(_) => center_piece(v),
        p => center_of(p).ok_or(EMPTY),
    };
    let (ia, ja) = center_ind(&a[0])?;
    let (ib, jb) = center_ind(&a[1])?;
    let s = |x: bool| if x { 1 } else { -1 };
    Ok(if ia == ib {
        Value::Pair(0, s(ja < jb))
    } else if ja == jb {
        Value::Pair(s(ia < ib), 0)
    } else {
        Value::Pair(s(ia < ib), s(ja < jb))
    })
}

/// Indices of the corners.
pub fn corners(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    match bbox(a[0].to_patch()?.get()) {
        // each corner of an empty patch is the empty tuple
        None => Value::set(vec![Value::empty_tuple()]),
        Some((t, l, b, r)) => Value::indices_ij([(t, l), (t, r), (b, l), (b, r)]),
    }
}

/// Line between two points (horizontal, vertical or diagonal; else empty).
pub fn connect(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let ((ai, aj), (bi, bj)) = (a[0].as_pair()?, a[1].as_pair()?);
    connect_ij(ai as i64, aj as i64, bi as i64, bj as i64)
}

/// Vertical frontier: column of the location, rows 0..30.
pub fn vfrontier(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let j = int_at(&a[0], 1)?;
    Ok(Value::indices((0..FRONTIER as i64).map(|i| loc64(i, j)).collect::<Res<_>>()?))
}

/// Horizontal frontier: row of the location, columns 0..30.
pub fn hfrontier(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let i = int_at(&a[0], 0)?;
    Ok(Value::indices((0..FRONTIER as i64).map(|j| loc64(i, j)).collect::<Res<_>>()?))
}

/// Indices in the bounding box of a patch.
pub fn backdrop(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (t, l, b, r) = bbox_of(&a[0])?;
    Ok(Value::indices(rect_locs(t, l, b, r)?))
}

/// Indices in the bounding box but not in the patch.
pub fn delta(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let pb = a[0].to_patch()?;
    let p = pb.get();
    let (t, l, b, r) = bbox(p).ok_or(EMPTY)?;
    let locs = toindices_locs(p);
    let mut k = 0;
    let mut out = rect_locs(t, l, b, r)?;
    out.retain(|x| {
        while locs.get(k).is_some_and(|y| y < x) {
            k += 1;
        }
        locs.get(k) != Some(x)
    });
    Ok(Value::indices(out))
}

/// Direction to move the source until it is adjacent to the destination.
pub fn gravitate(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (bs, bd) = (a[0].to_patch()?, a[1].to_patch()?);
    let (src, dst) = (bs.get(), bd.get());
    let (si, sj) = center_piece(&a[0])?;
    let (di, dj) = center_piece(&a[1])?;
    let (i, j) =
        if matching(src, dst, false) { (if si < di { 1 } else { -1 }, 0) } else { (0, if sj < dj { 1 } else { -1 }) };
    let d = Dist::new(src, dst);
    // a unit step changes the distance by at most one, so from distance `e` > 1 the next
    // `e - 2` positions cannot be adjacent either
    let mut c = 0;
    while c < 42 {
        let e = d.at((c * i, c * j), ctx)?;
        if e == 1 {
            break;
        }
        c = c.saturating_add((e - 1).max(1)).min(42);
    }
    Ok(Value::Pair(c * i, c * j))
}

/// Outline of the box just inside a patch's bounding box.
pub fn inbox(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (t, l, b, r) = bbox_of(&a[0])?;
    frame(t as i64 + 1, l as i64 + 1, b as i64 - 1, r as i64 - 1)
}

/// Outline of the box just outside a patch's bounding box.
pub fn outbox(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (t, l, b, r) = bbox_of(&a[0])?;
    frame(t as i64 - 1, l as i64 - 1, b as i64 + 1, r as i64 + 1)
}

/// Outline of a patch's bounding box.
pub fn box_(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (t, l, b, r) = bbox_of(&a[0])?;
    frame(t as i64, l as i64, b as i64, r as i64)
}

/// Line from a starting point in a direction (42 steps).
pub fn shoot(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (si, sj) = a[0].as_pair()?;
    let (di, dj) = (int_at(&a[1], 0)?, int_at(&a[1], 1)?);
    let (si, sj) = (si as i64, sj as i64);
    connect_ij(si, sj, si + 42 * di, sj + 42 * dj)
}

/// Horizontal periodicity of an object.
pub fn hperiod(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(period(&a[0], false, ctx)?))
}

/// Vertical periodicity of an object.
pub fn vperiod(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Int(period(&a[0], true, ctx)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> Ctx {
        Ctx::default()
    }
    fn ind(v: &[(i32, i32)]) -> Value {
        Value::indices_ij(v.iter().copied()).unwrap()
    }
    fn obj(v: &[(i32, i32, i32)]) -> Value {
        Value::object_cij(v.iter().copied()).unwrap()
    }
    fn grid(rows: &[&[i8]]) -> Value {
        let cells = rows.iter().flat_map(|r| r.iter().copied()).collect();
        Value::Grid(Grid::new(rows.len(), rows[0].len(), cells).unwrap())
    }
    fn locs_tuple(v: &[(i32, i32)]) -> Value {
        Value::tuple(v.iter().map(|&(i, j)| Value::Pair(i, j)).collect()).unwrap()
    }
    fn cells_tuple(v: &[(i32, i32, i32)]) -> Value {
        Value::tuple(v.iter().map(|&(c, i, j)| Value::Cell(Cell::new(c, i, j).unwrap())).collect()).unwrap()
    }

    /// Python iterates a tuple of locations or cells as a patch, but `height`, `width` (so
    /// `center`) and `len` read the tuple itself, repeats included.
    #[test]
    fn tuples_as_patches() {
        let t = locs_tuple(&[(0, 0), (0, 4), (0, 2)]);
        assert!(matches!(t, Value::Grid(_)), "a tuple of small pairs is a grid of two columns");
        assert_eq!(call1(toindices, &t), Ok(t.clone()));
        assert_eq!(call1(ulcorner, &t), Ok(Value::Pair(0, 0)));
        assert_eq!(call1(lrcorner, &t), Ok(Value::Pair(0, 4)));
        assert_eq!(call1(backdrop, &t), Ok(ind(&[(0, 0), (0, 1), (0, 2), (0, 3), (0, 4)])));
        assert_eq!(call(shift, &[t.clone(), Value::Pair(1, 1)]), Ok(ind(&[(1, 1), (1, 5), (1, 3)])));
        assert_eq!(call(recolor, &[Value::Int(3), t.clone()]), Ok(obj(&[(3, 0, 0), (3, 0, 4), (3, 0, 2)])));
        // height is len(t) = 3 and width len(t[0]) = 2, not the bounding box's 1 × 5
        assert_eq!(call1(center, &t), Ok(Value::Pair(1, 1)));
        assert_eq!(call1(center, &ind(&[(0, 0), (0, 4), (0, 2)])), Ok(Value::Pair(0, 2)));
        // sum over the tuple's own items, divided by its length
        let rep = locs_tuple(&[(0, 0), (0, 0), (0, 0), (4, 4)]);
        assert_eq!(call1(centerofmass, &rep), Ok(Value::Pair(1, 1)));
        assert_eq!(call1(centerofmass, &ind(&[(0, 0), (4, 4)])), Ok(Value::Pair(2, 2)));
        // a tuple of cells: toindices is a set (two locations), len is three
        let cells = cells_tuple(&[(1, 0, 0), (2, 0, 0), (1, 4, 4)]);
        assert_eq!(call1(toindices, &cells), Ok(ind(&[(0, 0), (4, 4)])));
        assert_eq!(call1(centerofmass, &cells), Ok(Value::Pair(1, 1)));
        assert_eq!(call1(box_, &cells), call1(box_, &ind(&[(0, 0), (4, 4)])));
        // large coordinates make a tuple of pairs, not a grid: the same patch
        let far = locs_tuple(&[(200, 1), (-200, 3)]);
        assert!(matches!(far, Value::Tuple(_)));
        assert_eq!(call1(ulcorner, &far), Ok(Value::Pair(-200, 1)));
        assert_eq!(call(manhattan, &[far.clone(), ind(&[(200, 0)])]), Ok(Value::Int(1)));
        // a grid of another width is no patch
        let g3 = grid(&[&[1, 2, 3]]);
        assert!(call1(box_, &g3).is_err());
    }

    type F = fn(&mut Ctx, &[Value]) -> Res<Value>;
    fn call(f: F, a: &[Value]) -> Res<Value> {
        f(&mut ctx(), a)
    }
    fn call1(f: F, v: &Value) -> Res<Value> {
        f(&mut ctx(), std::slice::from_ref(v))
    }

    /// A small deterministic generator for randomised comparisons.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u32) -> i32 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) % n as u64) as i32
        }
    }

    #[test]
    fn bordering_by_hand() {
        let g = grid(&[&[0, 0, 0, 0], &[0, 0, 0, 0], &[0, 0, 0, 0]]);
        let t = |p: Value| call(bordering, &[p, g.clone()]);
        assert_eq!(t(ind(&[(0, 2)])), Ok(Value::Bool(true)));
        assert_eq!(t(ind(&[(1, 0)])), Ok(Value::Bool(true)));
        assert_eq!(t(ind(&[(2, 1)])), Ok(Value::Bool(true)));
        assert_eq!(t(ind(&[(1, 3)])), Ok(Value::Bool(true)));
        assert_eq!(t(ind(&[(1, 1), (1, 2)])), Ok(Value::Bool(false)));
        assert_eq!(t(obj(&[(5, 1, 2)])), Ok(Value::Bool(false)));
        // outside the grid does not count as touching
        assert_eq!(t(ind(&[(5, 5)])), Ok(Value::Bool(false)));
        assert_eq!(t(Value::empty_set()), Err(EMPTY));
    }

    #[test]
    fn empty_patch_corners_and_extents() {
        let e = Value::empty_set();
        assert_eq!(call1(ulcorner, &e), Ok(Value::empty_tuple()));
        assert_eq!(call1(lrcorner, &e), Ok(Value::empty_tuple()));
        assert_eq!(call1(corners, &e), Value::set(vec![Value::empty_tuple()]));
        assert_eq!(call1(height, &e), Ok(Value::Int(0)));
        assert_eq!(call1(shape, &e), Ok(Value::Pair(0, 0)));
        assert_eq!(call1(square, &e), Ok(Value::Bool(true)));
        assert_eq!(call1(vline, &e), Ok(Value::Bool(false)));
        assert_eq!(call1(centerofmass, &e), Ok(Value::empty_tuple()));
        assert!(matches!(call1(uppermost, &e), Err(Fail::Domain(_))));
        // the recorded `shift` returns an empty patch as it is (arc-dsl-shapes.jsonl:1583)
        assert_eq!(call(shift, &[e.clone(), Value::Pair(1, 1)]), Ok(e.clone()));
        assert!(matches!(call1(backdrop, &e), Err(Fail::Domain(_))));
        assert!(matches!(call(manhattan, &[e.clone(), ind(&[(0, 0)])]), Err(Fail::Domain(_))));
        assert!(matches!(call1(mostcolor, &e), Err(Fail::Domain(_))));
        assert!(matches!(call1(color, &e), Err(Fail::Domain(_))));
        assert!(matches!(call1(hperiod, &e), Err(Fail::Domain(_))));
        assert_eq!(call1(palette, &e), Ok(Value::empty_set()));
        assert_eq!(call1(toindices, &e), Ok(e.clone()));
        assert_eq!(call(recolor, &[Value::Int(3), e.clone()]), Ok(e));
    }

    #[test]
    fn colour_ties_break_as_in_cpython() {
        // expected values are CPython's `max(set(v), key=v.count)` / `min(...)`
        let g = grid(&[&[2, 1], &[1, 2]]);
        assert_eq!(call1(mostcolor, &g), Ok(Value::Int(1)));
        assert_eq!(call1(leastcolor, &g), Ok(Value::Int(1)));
        let g = grid(&[&[3, 3, 5], &[5, 7, 7]]);
        assert_eq!(call1(mostcolor, &g), Ok(Value::Int(3)));
        let g = grid(&[&[0, 0, -1], &[-1, 12, 12]]);
        assert_eq!(call1(mostcolor, &g), Ok(Value::Int(0)));
        assert_eq!(call1(palette, &g), Ok(Value::int_set(vec![-1, 0, 12])));
        assert_eq!(call(numcolors, &[g]), Ok(Value::Int(3)));
        let o = obj(&[(4, 0, 0), (4, 0, 1), (2, 1, 1), (9, 3, 3), (9, 3, 4)]);
        // {2, 4, 9} iterates 9, 2, 4 in CPython whatever the insertion order
        assert_eq!(call1(mostcolor, &o), Ok(Value::Int(9)));
        assert_eq!(call1(leastcolor, &o), Ok(Value::Int(2)));
        assert_eq!(call(colorcount, &[o.clone(), Value::Int(9)]), Ok(Value::Int(2)));
        assert_eq!(call(colorcount, &[o.clone(), Value::Pair(9, 9)]), Ok(Value::Int(0)));
        assert_eq!(call(color, &[o]), Ok(Value::Int(2)));
    }

    #[test]
    fn indices_read_rows_as_colours() {
        // Python's `for v, _ in element` takes the row of each location
        let p = ind(&[(1, 0), (1, 1), (2, 5)]);
        assert_eq!(call1(mostcolor, &p), Ok(Value::Int(1)));
        assert_eq!(call1(palette, &p), Ok(Value::int_set(vec![1, 2])));
        assert_eq!(call(color, &[p]), Ok(Value::Int(1)));
    }

    #[test]
    fn toindices_and_recolor_of_a_multicolour_object() {
        let o = obj(&[(1, 0, 0), (2, 0, 0), (2, 10, 3), (1, 2, 3)]);
        let want = ind(&[(0, 0), (2, 3), (10, 3)]);
        assert_eq!(call1(toindices, &o), Ok(want));
        assert_eq!(call(recolor, &[Value::Int(7), o.clone()]), Ok(obj(&[(7, 0, 0), (7, 2, 3), (7, 10, 3)])));
        // centerofmass divides the distinct locations' sums by the number of cells
        assert_eq!(call(centerofmass, &[o]), Ok(Value::Pair(3, 1)));
        assert_eq!(call(centerofmass, &[ind(&[(-1, 0), (0, 3)])]), Ok(Value::Pair(-1, 1)));
    }

    #[test]
    fn shift_and_normalize_keep_the_kind() {
        let p = ind(&[(3, 4), (5, 9)]);
        assert_eq!(call(shift, &[p.clone(), Value::Pair(-4, 1)]), Ok(ind(&[(-1, 5), (1, 10)])));
        assert_eq!(call(normalize, &[p]), Ok(ind(&[(0, 0), (2, 5)])));
        let o = obj(&[(1, 3, 4), (2, 5, 9)]);
        assert_eq!(call(normalize, &[o]), Ok(obj(&[(1, 0, 0), (2, 2, 5)])));
        let far = call(shift, &[ind(&[(0, 0)]), Value::Pair(i32::MAX, 0)]);
        assert!(matches!(far, Err(Fail::Limit(_))));
        let edge = call(shift, &[ind(&[(511, 0)]), Value::Pair(1, 0)]);
        assert!(matches!(edge, Err(Fail::Limit(_))));
    }

    #[test]
    fn lines_and_boxes() {
        let c = |a: (i32, i32), b: (i32, i32)| call(connect, &[Value::Pair(a.0, a.1), Value::Pair(b.0, b.1)]);
        assert_eq!(c((2, 5), (0, 3)), Ok(ind(&[(0, 3), (1, 4), (2, 5)])));
        assert_eq!(c((0, 5), (2, 3)), Ok(ind(&[(0, 5), (1, 4), (2, 3)])));
        assert_eq!(c((1, 1), (1, 1)), Ok(ind(&[(1, 1)])));
        assert_eq!(c((0, 0), (1, 2)), Ok(Value::empty_set()));
        assert!(matches!(c((0, 0), (0, 600)), Err(Fail::Limit(_))));
        let s = call(shoot, &[Value::Pair(0, 0), Value::Pair(1, 2)]);
        assert_eq!(s, Ok(Value::empty_set()));
        let s = call(shoot, &[Value::Pair(2, 2), Value::Pair(-1, 0)]).unwrap();
        assert_eq!(s.len(), Ok(43));
        let p = ind(&[(1, 1), (3, 4)]);
        assert_eq!(call1(box_, &p).unwrap().len(), Ok(10));
        assert_eq!(call1(outbox, &p).unwrap().len(), Ok(18));
        assert_eq!(call1(inbox, &p), Ok(ind(&[(2, 2), (2, 3)])));
        let d = call1(delta, &p).unwrap();
        assert_eq!(d.len(), Ok(10));
        assert!(!d.contains(&Value::Pair(1, 1)).unwrap() && d.contains(&Value::Pair(1, 4)).unwrap());
        let bd = call(backdrop, &[ind(&[(-2, 9), (11, 10)])]).unwrap();
        let mut want = vec![];
        for i in -2..=11 {
            for j in 9..=10 {
                want.push((i, j));
            }
        }
        assert_eq!(bd, ind(&want));
        assert!(matches!(call(outbox, &[ind(&[(-512, 0)])]), Err(Fail::Limit(_))));
    }

    #[test]
    fn neighbours_and_frontiers() {
        assert_eq!(call(dneighbors, &[Value::Pair(0, 0)]), Ok(ind(&[(-1, 0), (1, 0), (0, -1), (0, 1)])));
        assert_eq!(call(neighbors, &[Value::Pair(5, 5)]).unwrap().len(), Ok(8));
        assert_eq!(call(vfrontier, &[Value::Pair(3, 7)]).unwrap().len(), Ok(30));
        assert!(call(hfrontier, &[Value::Pair(3, 7)]).unwrap().contains(&Value::Pair(3, 29)).unwrap());
        assert!(matches!(call(dneighbors, &[Value::Pair(i32::MAX, 0)]), Err(Fail::Limit(_))));
    }

    #[test]
    fn shapes_of_pieces() {
        let g = grid(&[&[1, 2, 3], &[4, 5, 6]]);
        assert_eq!(call1(shape, &g), Ok(Value::Pair(2, 3)));
        assert_eq!(call1(portrait, &g), Ok(Value::Bool(false)));
        assert_eq!(call(square, &[g]), Ok(Value::Bool(false)));
        let p = ind(&[(0, 0), (0, 1), (1, 0), (1, 1)]);
        assert_eq!(call(square, &[p]), Ok(Value::Bool(true)));
        assert_eq!(call(square, &[ind(&[(0, 0), (1, 1)])]), Ok(Value::Bool(false)));
        assert_eq!(call(vline, &[ind(&[(0, 4), (1, 4), (2, 4)])]), Ok(Value::Bool(true)));
        assert_eq!(call(hline, &[ind(&[(0, 4), (1, 4), (2, 4)])]), Ok(Value::Bool(false)));
        assert_eq!(call(height, &[Value::empty_tuple()]), Ok(Value::Int(0)));
        assert!(matches!(call(width, &[Value::Pair(1, 2)]), Err(Fail::Type(_))));
        assert!(matches!(call(height, &[Value::int_set(vec![1])]), Err(Fail::Type(_))));
    }

    #[test]
    fn filters() {
        let a = obj(&[(1, 0, 0)]);
        let b = obj(&[(2, 0, 0), (2, 0, 1)]);
        let c = obj(&[(1, 5, 5), (1, 5, 6)]);
        let objs = Value::set(vec![a.clone(), b.clone(), c.clone()]).unwrap();
        assert_eq!(call(colorfilter, &[objs.clone(), Value::Int(1)]), Value::set(vec![a.clone(), c.clone()]));
        assert_eq!(call(sizefilter, &[objs.clone(), Value::Int(2)]), Value::set(vec![b, c]));
        assert_eq!(call(sizefilter, &[objs.clone(), Value::Int(-1)]), Ok(Value::empty_set()));
        let with_empty = Value::set(vec![a, Value::empty_set()]).unwrap();
        assert!(matches!(call(colorfilter, &[with_empty, Value::Int(1)]), Err(Fail::Domain(_))));
        assert!(matches!(call(sizefilter, &[Value::int_set(vec![1, 2]), Value::Int(1)]), Err(Fail::Type(_))));
    }

    #[test]
    fn positions_and_gravity() {
        let a = ind(&[(0, 0)]);
        let b = ind(&[(0, 5)]);
        assert_eq!(call(position, &[a.clone(), b.clone()]), Ok(Value::Pair(0, 1)));
        assert_eq!(call(position, &[b.clone(), ind(&[(3, 1)])]), Ok(Value::Pair(1, -1)));
        assert_eq!(call(gravitate, &[a.clone(), b.clone()]), Ok(Value::Pair(0, 4)));
        assert_eq!(call(gravitate, &[ind(&[(9, 2)]), ind(&[(1, 2), (1, 3)])]), Ok(Value::Pair(-7, 0)));
        // never adjacent: stops after 42 steps
        assert_eq!(call(gravitate, &[a.clone(), ind(&[(3, 3)])]), Ok(Value::Pair(0, 42)));
        assert_eq!(call(manhattan, &[a.clone(), b.clone()]), Ok(Value::Int(5)));
        assert_eq!(call(adjacent, &[a.clone(), ind(&[(1, 0)])]), Ok(Value::Bool(true)));
        assert_eq!(call(adjacent, &[a, ind(&[(1, 1)])]), Ok(Value::Bool(false)));
        assert_eq!(call(hmatching, &[ind(&[(-512, 3)]), ind(&[(-512, 9)])]), Ok(Value::Bool(true)));
        assert_eq!(call(vmatching, &[ind(&[(0, 511)]), ind(&[(1, 510)])]), Ok(Value::Bool(false)));
    }

    fn naive_manhattan(a: &[(i32, i32)], b: &[(i32, i32)], off: (i32, i32)) -> i32 {
        let mut m = i32::MAX;
        for &(ai, aj) in a {
            for &(bi, bj) in b {
                m = m.min((ai + off.0 - bi).abs() + (aj + off.1 - bj).abs());
            }
        }
        m
    }

    #[test]
    fn large_manhattan_agrees_with_the_pairwise_minimum() {
        let mut r = Lcg(7);
        for round in 0..200 {
            let n = 1 + r.next(300) as usize;
            let m = 1 + r.next(300) as usize;
            let spread = 10 + r.next(60) as u32;
            let mut pa = vec![];
            let mut pb = vec![];
            for _ in 0..n {
                pa.push((r.next(spread) - 20, r.next(spread)));
            }
            for _ in 0..m {
                pb.push((r.next(spread) + round, r.next(spread) - 30));
            }
            let large = Dist::Large(Rows::new(pa.clone()), Rows::new(pb.clone()));
            let small = Dist::Small(pa.clone(), pb.clone());
            for off in [(0, 0), (3, -2), (-7, 11)] {
                let want = naive_manhattan(&pa, &pb, off);
                assert_eq!(large.at(off, &mut ctx()), Ok(want), "round {round}");
                assert_eq!(small.at(off, &mut ctx()), Ok(want), "round {round}");
            }
        }
    }

    #[test]
    fn gravitate_agrees_with_stepping_one_at_a_time() {
        let mut r = Lcg(5);
        for round in 0..400 {
            let pts = |n: usize, r: &mut Lcg| -> Vec<(i32, i32)> {
                let (oi, oj) = (r.next(40) - 20, r.next(40) - 20);
                (0..n).map(|_| (oi + r.next(6), oj + r.next(6))).collect()
            };
            let (na, nb) = (1 + r.next(8) as usize, 1 + r.next(8) as usize);
            let (pa, pb) = (pts(na, &mut r), pts(nb, &mut r));
            let (va, vb) = (ind(&pa), ind(&pb));
            let (qa, qb) = (va.as_patch().unwrap(), vb.as_patch().unwrap());
            let (si, sj) = center_of(qa).unwrap();
            let (di, dj) = center_of(qb).unwrap();
            let cols = |p: &[(i32, i32)]| p.iter().map(|x| x.1).collect::<std::collections::BTreeSet<_>>();
            let (i, j) = if !cols(&pa).is_disjoint(&cols(&pb)) {
                (if si < di { 1 } else { -1 }, 0)
            } else {
                (0, if sj < dj { 1 } else { -1 })
            };
            let mut c = 0;
            while naive_manhattan(&pa, &pb, (c * i, c * j)) != 1 && c < 42 {
                c += 1;
            }
            assert_eq!(call(gravitate, &[va, vb]), Ok(Value::Pair(c * i, c * j)), "round {round}");
        }
    }

    fn naive_period(cells: &[(i32, i32, i32)], vertical: bool) -> i32 {
        let t = cells.iter().map(|c| c.1).min().unwrap();
        let l = cells.iter().map(|c| c.2).min().unwrap();
        let norm: Vec<_> = cells.iter().map(|&(c, i, j)| (c, i - t, j - l)).collect();
        let n = 1 + norm.iter().map(|c| if vertical { c.1 } else { c.2 }).max().unwrap();
        for p in 1..n {
            let ok = norm.iter().all(|&(c, i, j)| {
                let (i, j) = if vertical { (i - p, j) } else { (i, j - p) };
                i < 0 || j < 0 || norm.contains(&(c, i, j))
            });
            if ok {
                return p;
            }
        }
        n
    }

    #[test]
    fn periods_agree_with_the_definition_on_both_paths() {
        let mut r = Lcg(11);
        for round in 0..300 {
            let (h, w) = (1 + r.next(6), 1 + r.next(9));
            let (ph, pw) = (1 + r.next(h as u32), 1 + r.next(w as u32));
            let mut cells = vec![];
            for i in 0..h {
                for j in 0..w {
                    // periodic pattern with an occasional defect
                    let mut c = ((i % ph) * 3 + (j % pw)) % 4;
                    if r.next(20) == 0 {
                        c = 4;
                    }
                    if c != 0 {
                        cells.push((c, i + 2, j - 3));
                    }
                }
            }
            if cells.is_empty() {
                continue;
            }
            // colours >= 16 take the sorted-slice path
            let big: Vec<_> = cells.iter().map(|&(c, i, j)| (c + 100, i, j)).collect();
            for vertical in [false, true] {
                let want = naive_period(&cells, vertical);
                assert_eq!(period(&obj(&cells), vertical, &mut ctx()), Ok(want), "round {round}");
                assert_eq!(period(&obj(&big), vertical, &mut ctx()), Ok(want), "round {round}");
            }
        }
        assert_eq!(call(hperiod, &[ind(&[(0, 3), (5, 3)])]), Ok(Value::Int(1)));
        assert!(matches!(call(vperiod, &[ind(&[(0, 3), (5, 3)])]), Err(Fail::Type(_))));
        let o = obj(&[(1, 0, 0), (2, 0, 1), (1, 0, 2), (2, 0, 3), (1, 0, 4)]);
        assert_eq!(call1(hperiod, &o), Ok(Value::Int(2)));
        assert_eq!(call(vperiod, &[o]), Ok(Value::Int(1)));
    }

    #[test]
    fn grid_helpers() {
        let g = Grid::new(2, 3, vec![5, 5, 0, 0, 3, 3]).unwrap();
        assert_eq!(g.mostcolor(), 0);
        assert_eq!(g.leastcolor(), 0);
        assert_eq!(grid_palette(&g), vec![0, 3, 5]);
        let g = Grid::new(1, 4, vec![-1, 10, 10, 2]).unwrap();
        assert_eq!(g.mostcolor(), 10);
        // CPython: set([-1, 10, 10, 2]) iterates 10, 2, -1 (2 probes past 10's slot)
        assert_eq!(g.leastcolor(), 2);
        assert_eq!(grid_palette(&g), vec![-1, 10, 2]);
        assert_eq!(rect_locs(0, 0, -1, 3), Ok(vec![]));
    }
}
