//! Primitives: basic.

use crate::fail::{Fail, Res};
use crate::func::{Ctx, Func};
use crate::pack::{cmp_int, Cell, Loc};
use crate::pyset::{self, best_in, distinct_counts, py_most_common_int};
use crate::value::{canon_cmp, py_cmp, py_eq, py_gt, Value};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::slice::from_ref;

/// Largest number of elements a container built by these primitives may hold.
pub const MAX_ITEMS: usize = 1 << 16;
/// Largest length of the tuples `interval` and `repeat` build.
pub const MAX_RANGE: usize = 4096;

// ----- shared helpers ---------------------------------------------------------------------

fn check_len(n: usize) -> Res<()> {
    if n > MAX_ITEMS {
        Err(Fail::Limit("container too large"))
    } else {
        Ok(())
    }
}

/// The integers of an integer container (a pair, a tuple or set of integers, an empty
/// container), in iteration order; `None` for any other value.
fn int_view<'a>(v: &'a Value, buf: &'a mut [i32; 2]) -> Option<&'a [i32]> {
    match v {
        Value::IntTuple(s) | Value::IntSet(s) => Some(s),
        Value::Pair(a, b) => {
            *buf = [*a, *b];
            let r: &'a [i32; 2] = buf;
            Some(r)
        }
        Value::Tuple(s) | Value::Set(s) if s.is_empty() => Some(&[]),
        _ => None,
    }
}

/// The elements of a container as values: borrowed for generic tuples and sets.
fn values(v: &Value) -> Res<Cow<'_, [Value]>> {
    match v.as_values() {
        Some(s) => Ok(Cow::Borrowed(s)),
        None => Ok(Cow::Owned(v.items()?.collect())),
    }
}

fn int_of(v: &Value) -> Option<i32> {
    match v {
        Value::Int(x) => Some(*x),
        Value::Bool(b) => Some(*b as i32),
        _ => None,
    }
}

fn to_i32(x: i64) -> Res<i32> {
    i32::try_from(x).map_err(|_| Fail::Limit("integer overflow"))
}

// ----- numbers ----------------------------------------------------------------------------

/// A `Numerical`: an integer (booleans included) or the first two entries of a tuple.
#[derive(Clone, Copy)]
enum Num {
    I(i64),
    P(i64, i64),
}

fn num(v: &Value) -> Res<Num> {
    match v {
        Value::Int(x) => Ok(Num::I(*x as i64)),
        Value::Bool(b) => Ok(Num::I(*b as i64)),
        Value::Pair(a, b) => Ok(Num::P(*a as i64, *b as i64)),
        Value::IntTuple(s) if s.len() >= 2 => Ok(Num::P(s[0] as i64, s[1] as i64)),
        Value::Tuple(s) if s.len() >= 2 => match (&s[0], &s[1]) {
            (Value::Int(a), Value::Int(b)) => Ok(Num::P(*a as i64, *b as i64)),
            _ => Err(Fail::Type("expected a number")),
        },
        _ => Err(Fail::Type("expected a number")),
    }
}

fn num_value(n: Num) -> Res<Value> {
    match n {
        Num::I(x) => Value::int(x),
        Num::P(a, b) => Ok(Value::Pair(to_i32(a)?, to_i32(b)?)),
    }
}

/// Python's elementwise arithmetic of dsl.py on integers and pairs.
fn binop(a: &Value, b: &Value, f: impl Fn(i64, i64) -> Res<i64>) -> Res<Value> {
    let r = match (num(a)?, num(b)?) {
        (Num::I(x), Num::I(y)) => Num::I(f(x, y)?),
        (Num::P(x0, x1), Num::P(y0, y1)) => Num::P(f(x0, y0)?, f(x1, y1)?),
        (Num::I(x), Num::P(y0, y1)) => Num::P(f(x, y0)?, f(x, y1)?),
        (Num::P(x0, x1), Num::I(y)) => Num::P(f(x0, y)?, f(x1, y)?),
    };
    num_value(r)
}

fn unop(a: &Value, f: impl Fn(i64) -> i64) -> Res<Value> {
    num_value(match num(a)? {
        Num::I(x) => Num::I(f(x)),
        Num::P(x, y) => Num::P(f(x), f(y)),
    })
}

/// Python's `//`.
fn floor_div(a: i64, b: i64) -> Res<i64> {
    if b == 0 {
        return Err(Fail::Domain("division by zero"));
    }
    let q = a / b;
    Ok(if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q })
}

/// identity function
pub fn identity(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(a[0].clone())
}

/// addition
pub fn add(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    binop(&a[0], &a[1], |x, y| Ok(x + y))
}

/// subtraction
pub fn subtract(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    binop(&a[0], &a[1], |x, y| Ok(x - y))
}

/// multiplication
pub fn multiply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    binop(&a[0], &a[1], |x, y| Ok(x * y))
}

/// floor division
pub fn divide(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    binop(&a[0], &a[1], floor_div)
}

/// inversion with respect to addition
pub fn invert(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| -x)
}

/// evenness
pub fn even(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(a[0].as_int()? % 2 == 0))
}

/// scaling by two
pub fn double(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| x * 2)
}

/// scaling by one half (floor)
pub fn halve(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| x.div_euclid(2))
}

/// logical not
pub fn flip(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(!a[0].truthy()))
}

/// equality
pub fn equality(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(py_eq(&a[0], &a[1])))
}

/// element of
pub fn contained(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(a[1].contains(&a[0])?))
}

// ----- set algebra on sorted slices -------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

/// Union, intersection or difference of two sorted, deduplicated slices.
fn sorted_op<T: Copy>(a: &[T], b: &[T], op: SetOp, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    // a small left side against a large right side: binary search instead of a merge
    if op != SetOp::Union && a.len() * 8 < b.len() {
        let keep = |x: &T| b.binary_search_by(|y| cmp(y, x)).is_ok() == (op == SetOp::Inter);
        return a.iter().copied().filter(keep).collect();
    }
    let mut out = Vec::with_capacity(match op {
        SetOp::Union => a.len() + b.len(),
        _ => a.len(),
    });
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match cmp(&a[i], &b[j]) {
            Ordering::Less => {
                if op != SetOp::Inter {
                    out.push(a[i]);
                }
                i += 1;
            }
            Ordering::Greater => {
                if op == SetOp::Union {
                    out.push(b[j]);
                }
                j += 1;
            }
            Ordering::Equal => {
                if op != SetOp::Diff {
                    out.push(a[i]);
                }
                i += 1;
                j += 1;
            }
        }
    }
    if op != SetOp::Inter {
        out.extend_from_slice(&a[i..]);
    }
    if op == SetOp::Union {
        out.extend_from_slice(&b[j..]);
    }
    out
}

/// The result of a set operation whose output has `n` elements: `a` or `b` when it is one of
/// them unchanged, else `build()`.
fn reuse(n: usize, a: &Value, b: &Value, op: SetOp, build: impl FnOnce() -> Value) -> Res<Value> {
    let (la, lb) = (a.len()?, b.len()?);
    if n == la {
        return Ok(a.clone());
    }
    if op == SetOp::Union && n == lb {
        return Ok(b.clone());
    }
    if op == SetOp::Inter && n == lb {
        return Ok(b.clone());
    }
    check_len(n)?;
    Ok(build())
}

/// A set operation on two packed sets of the same kind, if they are.
fn packed_op(a: &Value, b: &Value, op: SetOp) -> Option<Res<Value>> {
    Some(match (a, b) {
        (Value::Indices(p), Value::Indices(q)) => {
            let v = sorted_op(p, q, op, Ord::cmp);
            reuse(v.len(), a, b, op, || Value::indices(v))
        }
        (Value::Object(p), Value::Object(q)) => {
            let v = sorted_op(p, q, op, Ord::cmp);
            reuse(v.len(), a, b, op, || Value::object(v))
        }
        (Value::IntSet(p), Value::IntSet(q)) => {
            let v = sorted_op(p, q, op, |x, y| cmp_int(*x, *y));
            reuse(v.len(), a, b, op, || Value::int_set(v))
        }
        _ => return None,
    })
}

fn is_packed(v: &Value) -> bool {
    matches!(v, Value::Indices(_) | Value::Object(_) | Value::IntSet(_))
}

/// union
pub fn combine(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (&a[0], &a[1]);
    let (lx, ly) = (x.len()?, y.len()?);
    if let Some(r) = packed_op(x, y, SetOp::Union) {
        return r;
    }
    if ly == 0 {
        return Ok(x.clone());
    }
    if x.is_set() {
        if lx == 0 && y.is_set() {
            return Ok(y.clone());
        }
    } else {
        if lx == 0 && y.is_tuple() {
            return Ok(y.clone());
        }
        check_len(lx + ly)?;
        if let (Value::Grid(g), Value::Grid(h)) = (x, y) {
            if g.w() == h.w() {
                let mut cells = Vec::with_capacity(g.cells().len() + h.cells().len());
                cells.extend_from_slice(g.cells());
                cells.extend_from_slice(h.cells());
                return Ok(Value::Grid(crate::grid::Grid::new(g.h() + h.h(), g.w(), cells)?));
            }
        }
        let (mut bx, mut by) = ([0; 2], [0; 2]);
        if let (Some(p), Some(q)) = (int_view(x, &mut bx), int_view(y, &mut by)) {
            return Ok(Value::int_tuple([p, q].concat()));
        }
    }
    check_len(lx + ly)?;
    let mut items = Vec::with_capacity(lx + ly);
    items.extend(x.items()?);
    items.extend(y.items()?);
    Value::collect_like(x, items)
}

fn need_sets(a: &Value, b: &Value) -> Res<()> {
    if a.is_set() && b.is_set() {
        Ok(())
    } else {
        Err(Fail::Type("expected two frozensets"))
    }
}

/// returns the intersection of two containers
pub fn intersection(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (&a[0], &a[1]);
    if let Some(r) = packed_op(x, y, SetOp::Inter) {
        return r;
    }
    need_sets(x, y)?;
    if x.len()? == 0 || y.len()? == 0 || (is_packed(x) && is_packed(y)) {
        return Ok(Value::empty_set());
    }
    let mut kept = Vec::new();
    for e in x.items()? {
        if y.contains(&e)? {
            kept.push(e);
        }
    }
    if kept.len() == x.len()? {
        return Ok(x.clone());
    }
    Value::set(kept)
}

/// set difference
pub fn difference(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (&a[0], &a[1]);
    if let Some(r) = packed_op(x, y, SetOp::Diff) {
        return r;
    }
    need_sets(x, y)?;
    if x.len()? == 0 || y.len()? == 0 || (is_packed(x) && is_packed(y)) {
        return Ok(x.clone());
    }
    let mut kept = Vec::new();
    for e in x.items()? {
        if !y.contains(&e)? {
            kept.push(e);
        }
    }
    if kept.len() == x.len()? {
        return Ok(x.clone());
    }
    Value::set(kept)
}

/// remove duplicates (first occurrences stay)
pub fn dedupe(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let t = &a[0];
    if !t.is_tuple() {
        return Err(Fail::Type("dedupe needs a tuple"));
    }
    let mut buf = [0; 2];
    if let Some(xs) = int_view(t, &mut buf) {
        let mut kept: Vec<i32> = Vec::with_capacity(xs.len());
        if xs.len() <= 32 {
            for &x in xs {
                if !kept.contains(&x) {
                    kept.push(x);
                }
            }
        } else {
            let mut seen = std::collections::HashSet::with_capacity(xs.len());
            kept.extend(xs.iter().copied().filter(|&x| seen.insert(x)));
        }
        if kept.len() == xs.len() {
            return Ok(t.clone());
        }
        return Ok(Value::int_tuple(kept));
    }
    let items = values(t)?;
    let mut kept: Vec<Value> = Vec::with_capacity(items.len());
    if items.len() <= 32 {
        for e in items.iter() {
            if !kept.contains(e) {
                kept.push(e.clone());
            }
        }
    } else {
        let mut seen = std::collections::HashSet::with_capacity(items.len());
        kept.extend(items.iter().filter(|e| seen.insert(*e)).cloned());
    }
    if kept.len() == items.len() {
        return Ok(t.clone());
    }
    Value::tuple(kept)
}

/// order container by custom key (stable)
pub fn order(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (c, f) = (&a[0], &a[1]);
    let items = values(c)?;
    let mut keys = Vec::with_capacity(items.len());
    for e in items.iter() {
        keys.push(ctx.call(f, from_ref(e))?);
    }
    let mut idx: Vec<usize> = (0..items.len()).collect();
    if let Some(ints) = keys.iter().map(int_of).collect::<Option<Vec<i32>>>() {
        idx.sort_by_key(|&k| ints[k]);
    } else {
        let mut err = None;
        idx.sort_by(|&p, &q| {
            py_cmp(&keys[p], &keys[q]).unwrap_or_else(|e| {
                err.get_or_insert(e);
                Ordering::Equal
            })
        });
        if let Some(e) = err {
            return Err(e);
        }
    }
    Value::tuple(idx.into_iter().map(|k| items[k].clone()).collect())
}

/// repetition of item within vector
pub fn repeat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let n = a[1].as_int()?;
    if n <= 0 {
        return Ok(Value::empty_tuple());
    }
    let n = n as usize;
    if n > MAX_RANGE {
        return Err(Fail::Limit("repeat too long"));
    }
    match int_of(&a[0]) {
        Some(x) => Ok(Value::int_tuple(vec![x; n])),
        None => Value::tuple(vec![a[0].clone(); n]),
    }
}

/// greater
pub fn greater(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(py_gt(&a[0], &a[1])?))
}

/// cardinality
pub fn size(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Value::int(a[0].len()? as i64)
}

// ----- merging ----------------------------------------------------------------------------

/// What the parts of a merge are, when they are all of one packed kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Cells,
    Locs,
    Ints,
    Rows(usize),
    Other,
}

fn kind(v: &Value) -> Kind {
    match v {
        Value::Object(_) => Kind::Cells,
        Value::Indices(_) => Kind::Locs,
        Value::IntSet(_) | Value::IntTuple(_) | Value::Pair(..) => Kind::Ints,
        Value::Grid(g) => Kind::Rows(g.w()),
        _ => Kind::Other,
    }
}

/// `type(containers)(e for c in containers for e in c)`: a set when `set`, else a tuple.
fn merge_parts(set: bool, parts: &[Value]) -> Res<Value> {
    let mut total = 0usize;
    let mut common: Option<Kind> = None;
    for p in parts {
        let n = p.len()?;
        total += n;
        if n > 0 {
            let k = kind(p);
            common = match common {
                None => Some(k),
                Some(c) if c == k => Some(c),
                Some(_) => Some(Kind::Other),
            };
        }
    }
    check_len(total)?;
    let Some(common) = common else {
        return Ok(if set { Value::empty_set() } else { Value::empty_tuple() });
    };
    match (set, common) {
        (true, Kind::Cells) => {
            let mut cells = Vec::with_capacity(total);
            for p in parts {
                if let Value::Object(s) = p {
                    cells.extend_from_slice(s);
                }
            }
            return Ok(Value::object(cells));
        }
        (true, Kind::Locs) => {
            let mut locs: Vec<Loc> = Vec::with_capacity(total);
            for p in parts {
                if let Value::Indices(s) = p {
                    locs.extend_from_slice(s);
                }
            }
            return Ok(Value::indices(locs));
        }
        (_, Kind::Ints) => {
            let mut xs = Vec::with_capacity(total);
            for p in parts {
                let mut buf = [0; 2];
                if let Some(s) = int_view(p, &mut buf) {
                    xs.extend_from_slice(s);
                }
            }
            return Ok(if set { Value::int_set(xs) } else { Value::int_tuple(xs) });
        }
        (false, Kind::Rows(w)) => {
            let mut cells = Vec::with_capacity(total * w);
            for p in parts {
                if let Value::Grid(g) = p {
                    cells.extend_from_slice(g.cells());
                }
            }
            return Ok(Value::Grid(crate::grid::Grid::new(total, w, cells)?));
        }
        _ => {}
    }
    let mut items = Vec::with_capacity(total);
    for p in parts {
        items.extend(p.items()?);
    }
    if set {
        Value::set(items)
    } else {
        Value::tuple(items)
    }
}

/// merging
pub fn merge(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let c = &a[0];
    let parts = values(c)?;
    merge_parts(c.is_set(), &parts)
}

// ----- extremes ---------------------------------------------------------------------------

/// Whether `max` (`want` Greater) or `min` (Less) takes `x` over the extreme `best` so far:
/// `x > best`, or `best > x`.
fn beats(x: &Value, best: &Value, want: Ordering) -> Res<bool> {
    if want == Ordering::Greater {
        py_gt(x, best)
    } else {
        py_gt(best, x)
    }
}

/// Python's `max`/`min` (`want` = Greater/Less) over the elements, `default=0`.
fn extreme(c: &Value, want: Ordering) -> Res<Value> {
    let mut buf = [0; 2];
    if let Some(xs) = int_view(c, &mut buf) {
        let m = if want == Ordering::Greater { xs.iter().max() } else { xs.iter().min() };
        return Ok(Value::Int(m.copied().unwrap_or(0)));
    }
    let mut best: Option<Value> = None;
    for e in c.items()? {
        let better = match &best {
            None => true,
            Some(b) => beats(&e, b, want)?,
        };
        if better {
            best = Some(e);
        }
    }
    Ok(best.unwrap_or(Value::Int(0)))
}

/// maximum
pub fn maximum(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    extreme(&a[0], Ordering::Greater)
}

/// minimum
pub fn minimum(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    extreme(&a[0], Ordering::Less)
}

/// Python's `max`/`min` with a key: the first extreme element in iteration order and its key.
fn arg_extreme(ctx: &mut Ctx, c: &Value, f: &Value, want: Ordering) -> Res<Option<(Value, Value)>> {
    let mut best: Option<(Value, Value)> = None;
    for e in c.items()? {
        let k = ctx.call(f, from_ref(&e))?;
        let better = match &best {
            None => true,
            Some((_, bk)) => match (int_of(&k), int_of(bk)) {
                (Some(x), Some(y)) => x.cmp(&y) == want,
                _ => beats(&k, bk, want)?,
            },
        };
        if better {
            best = Some((e, k));
        }
    }
    Ok(best)
}

fn val_extreme(ctx: &mut Ctx, a: &[Value], want: Ordering) -> Res<Value> {
    match arg_extreme(ctx, &a[0], &a[1], want)? {
        Some((_, k)) => Ok(k),
        None => ctx.call(&a[1], &[Value::Int(0)]),
    }
}

/// maximum by custom function
pub fn valmax(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    val_extreme(ctx, a, Ordering::Greater)
}

/// minimum by custom function
pub fn valmin(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    val_extreme(ctx, a, Ordering::Less)
}

/// largest item by custom order
pub fn argmax(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    arg_extreme(ctx, &a[0], &a[1], Ordering::Greater)?
        .map(|(e, _)| e)
        .ok_or(Fail::Domain("argmax of an empty container"))
}

/// smallest item by custom order
pub fn argmin(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    arg_extreme(ctx, &a[0], &a[1], Ordering::Less)?.map(|(e, _)| e).ok_or(Fail::Domain("argmin of an empty container"))
}

/// The most or least common element of a tuple, ties broken by CPython's set order (by the
/// canonical order where an element's CPython hash is not reproducible, e.g. functions).
fn most_or_least(c: &Value, most: bool) -> Res<Value> {
    if !c.is_tuple() {
        return Err(Fail::Type("expected a tuple (a frozenset has no count)"));
    }
    let empty = Fail::Domain("most common of an empty tuple");
    let mut buf = [0; 2];
    if let Some(xs) = int_view(c, &mut buf) {
        return py_most_common_int(xs, most).map(Value::Int).ok_or(empty);
    }
    let mut distinct = distinct_counts(c.items()?);
    let hashes: Option<Vec<u64>> = distinct.iter().map(|(d, _)| pyset::hash(d)).collect();
    let order: Vec<usize> = match hashes {
        Some(h) => pyset::order(&h),
        None => {
            let mut idx: Vec<usize> = (0..distinct.len()).collect();
            idx.sort_by(|&p, &q| canon_cmp(&distinct[p].0, &distinct[q].0));
            idx
        }
    };
    let k = best_in(order.into_iter(), |k| distinct[k].1, most).ok_or(empty)?;
    Ok(distinct.swap_remove(k).0)
}

/// most common item
pub fn mostcommon(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    most_or_least(&a[0], true)
}

/// least common item
pub fn leastcommon(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    most_or_least(&a[0], false)
}

/// initialize container
pub fn initset(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Value::set(vec![a[0].clone()])
}

/// logical and (Python's `a and b`)
pub fn both(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(if a[0].truthy() { a[1].clone() } else { a[0].clone() })
}

/// logical or (Python's `a or b`)
pub fn either(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(if a[0].truthy() { a[0].clone() } else { a[1].clone() })
}

/// incrementing
pub fn increment(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| x + 1)
}

/// decrementing
pub fn decrement(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| x - 1)
}

/// incrementing positive and decrementing negative
pub fn crement(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], |x| x + x.signum())
}

/// sign
pub fn sign(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    unop(&a[0], i64::signum)
}

/// positive
pub fn positive(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Bool(a[0].as_int()? > 0))
}

fn two(x: &Value, y: &Value) -> Res<Value> {
    match (int_of(x), int_of(y)) {
        (Some(p), Some(q)) => Ok(Value::Pair(p, q)),
        _ => Value::tuple(vec![x.clone(), y.clone()]),
    }
}

/// vector pointing vertically
pub fn toivec(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    two(&a[0], &Value::Int(0))
}

/// vector pointing horizontally
pub fn tojvec(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    two(&Value::Int(0), &a[0])
}

// ----- filtering --------------------------------------------------------------------------

/// keep elements in container that satisfy condition
pub fn sfilter(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (c, f) = (&a[0], &a[1]);
    match c {
        Value::Object(s) => {
            let mut kept = Vec::with_capacity(s.len());
            for &cell in s.iter() {
                if ctx.call(f, &[Value::Cell(cell)])?.truthy() {
                    kept.push(cell);
                }
            }
            Ok(if kept.len() == s.len() { c.clone() } else { Value::object(kept) })
        }
        Value::Indices(s) => {
            let mut kept = Vec::with_capacity(s.len());
            for &loc in s.iter() {
                let (i, j) = loc.ij();
                if ctx.call(f, &[Value::Pair(i, j)])?.truthy() {
                    kept.push(loc);
                }
            }
            Ok(if kept.len() == s.len() { c.clone() } else { Value::indices(kept) })
        }
        Value::IntSet(s) | Value::IntTuple(s) => {
            let mut kept = Vec::with_capacity(s.len());
            for &x in s.iter() {
                if ctx.call(f, &[Value::Int(x)])?.truthy() {
                    kept.push(x);
                }
            }
            Ok(if kept.len() == s.len() {
                c.clone()
            } else if c.is_set() {
                Value::int_set(kept)
            } else {
                Value::int_tuple(kept)
            })
        }
        _ => {
            let kept = filter_items(ctx, c, f)?;
            if kept.len() == c.len()? {
                return Ok(c.clone());
            }
            Value::collect_like(c, kept)
        }
    }
}

fn filter_items(ctx: &mut Ctx, c: &Value, f: &Value) -> Res<Vec<Value>> {
    let mut kept = Vec::new();
    for e in c.items()? {
        if ctx.call(f, from_ref(&e))?.truthy() {
            kept.push(e);
        }
    }
    Ok(kept)
}

/// filter and merge
pub fn mfilter(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (c, f) = (&a[0], &a[1]);
    let kept = filter_items(ctx, c, f)?;
    merge_parts(c.is_set(), &kept)
}

/// first element of container that satisfies condition
pub fn extract(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (c, f) = (&a[0], &a[1]);
    for e in c.items()? {
        if ctx.call(f, from_ref(&e))?.truthy() {
            return Ok(e);
        }
    }
    Err(Fail::Domain("no element satisfies the condition"))
}

/// conversion to tuple
pub fn totuple(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let c = &a[0];
    match c {
        _ if c.is_tuple() => Ok(c.clone()),
        Value::IntSet(s) => Ok(Value::int_tuple(s.to_vec())),
        _ => Value::tuple(c.items()?.collect()),
    }
}

/// first item of container
pub fn first(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    match a[0].len()? {
        0 => Err(Fail::Domain("first of an empty container")),
        _ => Ok(a[0].item(0)),
    }
}

/// last item of container
pub fn last(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    match a[0].len()? {
        0 => Err(Fail::Domain("last of an empty container")),
        n => Ok(a[0].item(n - 1)),
    }
}

fn insert_sorted<T: Copy>(s: &[T], pos: usize, x: T) -> Vec<T> {
    let mut v = Vec::with_capacity(s.len() + 1);
    v.extend_from_slice(&s[..pos]);
    v.push(x);
    v.extend_from_slice(&s[pos..]);
    v
}

fn remove_at<T: Copy>(s: &[T], pos: usize) -> Vec<T> {
    let mut v = Vec::with_capacity(s.len());
    v.extend_from_slice(&s[..pos]);
    v.extend_from_slice(&s[pos + 1..]);
    v
}

/// insert item into container
pub fn insert(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (v, c) = (&a[0], &a[1]);
    match (c, v) {
        (Value::Object(s), Value::Cell(x)) => Ok(match s.binary_search(x) {
            Ok(_) => c.clone(),
            Err(pos) => Value::object(insert_sorted(s, pos, *x)),
        }),
        (Value::Indices(s), Value::Pair(i, j)) => {
            let l = Loc::new(*i, *j).ok_or(Fail::Limit("coordinate outside the packed domain"))?;
            Ok(match s.binary_search(&l) {
                Ok(_) => c.clone(),
                Err(pos) => Value::indices(insert_sorted(s, pos, l)),
            })
        }
        (Value::IntSet(s), Value::Int(_) | Value::Bool(_)) => {
            let x = int_of(v).unwrap_or(0);
            Ok(match s.binary_search_by(|&e| cmp_int(e, x)) {
                Ok(_) => c.clone(),
                Err(pos) => Value::int_set(insert_sorted(s, pos, x)),
            })
        }
        _ if c.is_set() => {
            if c.contains(v)? {
                return Ok(c.clone());
            }
            let n = c.len()?;
            check_len(n + 1)?;
            let mut items = Vec::with_capacity(n + 1);
            items.extend(c.items()?);
            items.push(v.clone());
            Value::set(items)
        }
        _ => Err(Fail::Type("insert needs a frozenset")),
    }
}

/// remove item from container
pub fn remove(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (v, c) = (&a[0], &a[1]);
    match (c, v) {
        (Value::Object(s), Value::Cell(x)) => Ok(match s.binary_search(x) {
            Ok(pos) => Value::object(remove_at(s, pos)),
            Err(_) => c.clone(),
        }),
        (Value::Indices(s), Value::Pair(i, j)) => Ok(match Loc::new(*i, *j).and_then(|l| s.binary_search(&l).ok()) {
            Some(pos) => Value::indices(remove_at(s, pos)),
            None => c.clone(),
        }),
        (Value::IntSet(s), Value::Int(_) | Value::Bool(_)) => {
            let x = int_of(v).unwrap_or(0);
            Ok(match s.binary_search_by(|&e| cmp_int(e, x)) {
                Ok(pos) => Value::int_set(remove_at(s, pos)),
                Err(_) => c.clone(),
            })
        }
        // a packed set holds nothing equal to a value of another kind
        (Value::Object(_) | Value::Indices(_) | Value::IntSet(_), _) => Ok(c.clone()),
        _ => {
            let n = c.len()?;
            let kept: Vec<Value> = c.items()?.filter(|e| !py_eq(e, v)).collect();
            if kept.len() == n {
                return Ok(c.clone());
            }
            Value::collect_like(c, kept)
        }
    }
}

/// other value in the container
pub fn other(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (c, v) = (&a[0], &a[1]);
    if let Value::Object(s) = c {
        let skip = if let Value::Cell(x) = v { Some(*x) } else { None };
        return s.iter().find(|&&x| Some(x) != skip).map(|&x| Value::Cell(x)).ok_or(Fail::Domain("no other element"));
    }
    c.items()?.find(|e| !py_eq(e, v)).ok_or(Fail::Domain("no other element"))
}

/// range
pub fn interval(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (start, stop, step) = (a[0].as_int()? as i64, a[1].as_int()? as i64, a[2].as_int()? as i64);
    if step == 0 {
        return Err(Fail::Domain("interval step is zero"));
    }
    let n = if step > 0 {
        if stop > start {
            (stop - start + step - 1) / step
        } else {
            0
        }
    } else if start > stop {
        (start - stop - step - 1) / -step
    } else {
        0
    };
    if n as u64 > MAX_RANGE as u64 {
        return Err(Fail::Limit("interval too long"));
    }
    // every element lies between start and stop, so it fits i32
    Ok(Value::int_tuple((0..n).map(|k| (start + k * step) as i32).collect()))
}

/// constructs a tuple
pub fn astuple(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    two(&a[0], &a[1])
}

/// cartesian product
pub fn product(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (&a[0], &a[1]);
    let (lx, ly) = (x.len()?, y.len()?);
    if lx == 0 || ly == 0 {
        return Ok(Value::empty_set());
    }
    check_len(lx.saturating_mul(ly))?;
    ctx.charge((lx * ly) as u64)?;
    let (mut bx, mut by) = ([0; 2], [0; 2]);
    if let Some(is) = int_view(x, &mut bx) {
        if let Some(js) = int_view(y, &mut by) {
            let mut locs = Vec::with_capacity(lx * ly);
            for &j in js {
                for &i in is {
                    locs.push(Loc::new(i, j).ok_or(Fail::Limit("coordinate outside the packed domain"))?);
                }
            }
            return Ok(Value::indices(locs));
        }
        if let Value::Indices(ls) = y {
            let mut cells = Vec::with_capacity(lx * ly);
            for &l in ls.iter() {
                for &c in is {
                    cells.push(Cell::at(c, l).ok_or(Fail::Limit("cell outside the packed domain"))?);
                }
            }
            return Ok(Value::object(cells));
        }
    }
    // `x` outer and `y` inner: for sorted sets that is nearly always the canonical order of
    // the pairs already, so the sort below only confirms it
    let ys = values(y)?;
    let mut out = Vec::with_capacity(lx * ly);
    for i in x.items()? {
        for j in ys.iter() {
            out.push(two(&i, j)?);
        }
    }
    Value::set(out)
}

/// zipping of two tuples
pub fn pair(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (x, y) = (&a[0], &a[1]);
    let n = x.len()?.min(y.len()?);
    let (mut bx, mut by) = ([0; 2], [0; 2]);
    let mut out = Vec::with_capacity(n);
    if let (Some(p), Some(q)) = (int_view(x, &mut bx), int_view(y, &mut by)) {
        out.extend(p.iter().zip(q).map(|(&i, &j)| Value::Pair(i, j)));
    } else {
        for (i, j) in x.items()?.zip(y.items()?) {
            out.push(two(&i, &j)?);
        }
    }
    Value::tuple(out)
}

/// if else branching
pub fn branch(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(if a[0].truthy() { a[1].clone() } else { a[2].clone() })
}

// ----- application ------------------------------------------------------------------------

fn map_items(ctx: &mut Ctx, f: &Value, c: &Value) -> Res<Vec<Value>> {
    let mut out = Vec::with_capacity(c.len()?);
    for e in c.items()? {
        out.push(ctx.call(f, from_ref(&e))?);
    }
    Ok(out)
}

/// apply function to each item in container
pub fn apply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (f, c) = (&a[0], &a[1]);
    let out = map_items(ctx, f, c)?;
    Value::collect_like(c, out)
}

/// apply each function in container to value
pub fn rapply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (fs, x) = (&a[0], &a[1]);
    let mut out = Vec::with_capacity(fs.len()?);
    for f in fs.items()? {
        out.push(ctx.call(&f, from_ref(x))?);
    }
    Value::collect_like(fs, out)
}

/// apply and merge
pub fn mapply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (f, c) = (&a[0], &a[1]);
    if let (Value::Func(func), Value::Indices(locs)) = (f, c) {
        if let Func::Prim(p) = **func {
            if let Some(r) = mapply_locs(ctx, p.name(), locs) {
                return r;
            }
        }
    }
    let out = map_items(ctx, f, c)?;
    merge_parts(c.is_set(), &out)
}

/// What a location function of the neighbourhood family gives for each location: the
/// locations at these offsets, or its whole row or column (a frontier).
enum Around {
    Offsets(&'static [(i32, i32)]),
    Row,
    Col,
}

/// `mapply(f, locs)` for `f` among `neighbors`, `dneighbors`, `ineighbors`, `hfrontier` and
/// `vfrontier` (the common case in searches), with no value built per location: the
/// locations given are marked on a map of their box, then packed and sorted once. It charges
/// and fails exactly as the call per location does. `None` for any other function.
fn mapply_locs(ctx: &mut Ctx, f: &str, locs: &[Loc]) -> Option<Res<Value>> {
    use crate::prims::patch::{ADJACENT, DIAGONAL, DIRECT};
    let around = match f {
        "neighbors" => Around::Offsets(&ADJACENT),
        "dneighbors" => Around::Offsets(&DIRECT),
        "ineighbors" => Around::Offsets(&DIAGONAL),
        "hfrontier" => Around::Row,
        "vfrontier" => Around::Col,
        _ => return None,
    };
    Some(mapply_around(ctx, &around, locs))
}

fn mapply_around(ctx: &mut Ctx, around: &Around, locs: &[Loc]) -> Res<Value> {
    use crate::pack::{PACK_MAX, PACK_MIN};
    use crate::prims::patch::{FRONTIER, OUTSIDE};
    let ijs: Vec<(i32, i32)> = locs.iter().map(|l| l.ij()).collect();
    let dom = PACK_MIN..=PACK_MAX;
    // the call per location fails at the first one with a neighbour outside the domain,
    // after one step per location so far
    let per = match around {
        Around::Offsets(offs) => {
            let bad = ijs
                .iter()
                .position(|&(i, j)| offs.iter().any(|&(di, dj)| !dom.contains(&(i + di)) || !dom.contains(&(j + dj))));
            let k = bad.unwrap_or(ijs.len());
            ctx.charge((k + 1).min(ijs.len()) as u64)?;
            if bad.is_some() {
                return Err(OUTSIDE);
            }
            offs.len()
        }
        Around::Row | Around::Col => {
            ctx.charge(ijs.len() as u64)?;
            FRONTIER as usize
        }
    };
    check_len(ijs.len() * per)?;
    let Some(&(i0, j0)) = ijs.first() else { return Ok(Value::empty_set()) };
    // the box of what is given
    let (mut t, mut l, mut b, mut r) = (i0, j0, i0, j0);
    for &(i, j) in &ijs {
        (t, l, b, r) = (t.min(i), l.min(j), b.max(i), r.max(j));
    }
    let (t, l, b, r) = match around {
        Around::Offsets(_) => (t - 1, l - 1, b + 1, r + 1),
        Around::Row => (t, l.min(0), b, r.max(FRONTIER - 1)),
        Around::Col => (t.min(0), l, b.max(FRONTIER - 1), r),
    };
    let (h, w) = ((b - t + 1) as usize, (r - l + 1) as usize);
    if h * w > 1 << 16 {
        // locations far apart: a map of their box would be mostly empty
        let mut out = Vec::with_capacity(ijs.len() * per);
        for &(i, j) in &ijs {
            match around {
                Around::Offsets(offs) => out.extend(offs.iter().filter_map(|&(di, dj)| Loc::new(i + di, j + dj))),
                Around::Row => out.extend((0..FRONTIER).filter_map(|y| Loc::new(i, y))),
                Around::Col => out.extend((0..FRONTIER).filter_map(|x| Loc::new(x, j))),
            }
        }
        return Ok(Value::indices(out));
    }
    let mut marked = vec![false; h * w];
    let mut mark = |i: i32, j: i32| marked[(i - t) as usize * w + (j - l) as usize] = true;
    for &(i, j) in &ijs {
        match around {
            Around::Offsets(offs) => offs.iter().for_each(|&(di, dj)| mark(i + di, j + dj)),
            Around::Row => (0..FRONTIER).for_each(|y| mark(i, y)),
            Around::Col => (0..FRONTIER).for_each(|x| mark(x, j)),
        }
    }
    let out: Vec<Loc> = marked
        .iter()
        .enumerate()
        .filter(|&(_, &m)| m)
        .filter_map(|(k, _)| Loc::new(t + (k / w) as i32, l + (k % w) as i32))
        .collect();
    Ok(Value::indices(out))
}

fn zip_apply(ctx: &mut Ctx, a: &[Value]) -> Res<Vec<Value>> {
    let (f, x, y) = (&a[0], &a[1], &a[2]);
    let n = x.len()?.min(y.len()?);
    let mut out = Vec::with_capacity(n);
    for (i, j) in x.items()?.zip(y.items()?) {
        out.push(ctx.call(f, &[i, j])?);
    }
    Ok(out)
}

/// apply function on two vectors
pub fn papply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Value::tuple(zip_apply(ctx, a)?)
}

/// apply function on two vectors and merge
pub fn mpapply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    merge_parts(false, &zip_apply(ctx, a)?)
}

/// apply function on cartesian product
pub fn prapply(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let (f, x, y) = (&a[0], &a[1], &a[2]);
    let (lx, ly) = (x.len()?, y.len()?);
    check_len(lx.saturating_mul(ly))?;
    ctx.charge((lx * ly) as u64)?;
    let xs = values(x)?;
    let mut out = Vec::with_capacity(lx * ly);
    for j in y.items()? {
        for i in xs.iter() {
            out.push(ctx.call(f, &[i.clone(), j.clone()])?);
        }
    }
    Value::set(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::from_json;
    use crate::table::Prim;

    fn v(s: &str) -> Value {
        from_json(&serde_json::from_str(s).unwrap()).unwrap()
    }
    fn f(name: &str) -> Value {
        Value::prim(Prim::by_name(name).unwrap())
    }
    fn call(p: fn(&mut Ctx, &[Value]) -> Res<Value>, args: &[Value]) -> Res<Value> {
        p(&mut Ctx::default(), args)
    }

    /// `max`, `min` and `>` as Python has them on tuples (first unequal item) and frozensets
    /// (proper superset: two sets may be neither, and `max` keeps the first).
    #[test]
    fn extremes_of_tuples_and_sets() {
        assert_eq!(call(maximum, &[v("[3, 7]")]), Ok(Value::Int(7)));
        assert_eq!(call(minimum, &[v("[[1, 2], [1, 0]]")]), Ok(v("[1, 0]")));
        assert_eq!(call(maximum, &[v(r#"[{"set": [1]}, {"set": [1, 2]}]"#)]), Ok(v(r#"{"set": [1, 2]}"#)));
        assert_eq!(call(maximum, &[v(r#"[{"set": [1]}, {"set": [2]}]"#)]), Ok(v(r#"{"set": [1]}"#)));
        assert_eq!(call(minimum, &[v(r#"[{"set": [1, 2]}, {"set": [2]}]"#)]), Ok(v(r#"{"set": [2]}"#)));
        assert_eq!(call(greater, &[v(r#"{"set": [1, 2]}"#), v(r#"{"set": [2]}"#)]), Ok(Value::Bool(true)));
        assert_eq!(call(greater, &[v(r#"{"set": [1]}"#), v(r#"{"set": [2]}"#)]), Ok(Value::Bool(false)));
        assert!(call(greater, &[v("[1, 2]"), Value::Int(3)]).is_err());
        assert_eq!(
            call(valmax, &[v(r#"{"set": [{"set": [[0, 0]]}, {"set": [[0, 1], [2, 5]]}]}"#), f("shape")]),
            Ok(v("[3, 5]"))
        );
    }
    fn ok(p: fn(&mut Ctx, &[Value]) -> Res<Value>, args: &[Value]) -> String {
        call(p, args).unwrap().canon_text()
    }

    #[test]
    fn arithmetic_with_booleans_pairs_and_floors() {
        assert_eq!(ok(add, &[v("[1,1]"), v("[false,true]")]), "[1,2]");
        assert_eq!(call(add, &[v("true"), v("true")]).unwrap(), Value::Int(2));
        assert_eq!(ok(subtract, &[v("3"), v("[1,5]")]), "[2,-2]");
        assert_eq!(ok(multiply, &[v("[2,3]"), v("-2")]), "[-4,-6]");
        assert_eq!(ok(divide, &[v("-7"), v("2")]), "-4");
        assert_eq!(ok(divide, &[v("7"), v("-2")]), "-4");
        assert_eq!(ok(divide, &[v("[-7,7]"), v("[2,2]")]), "[-4,3]");
        assert_eq!(call(divide, &[v("1"), v("0")]), Err(Fail::Domain("division by zero")));
        assert!(matches!(call(divide, &[Value::Int(i32::MIN), v("-1")]), Err(Fail::Limit(_))));
        assert!(matches!(call(invert, &[Value::Int(i32::MIN)]), Err(Fail::Limit(_))));
        assert!(matches!(call(add, &[Value::Int(i32::MAX), v("[1,0]")]), Err(Fail::Limit(_))));
        assert_eq!(ok(halve, &[v("-3")]), "-2");
        assert_eq!(ok(halve, &[v("[5,-5]")]), "[2,-3]");
        assert_eq!(ok(double, &[v("true")]), "2");
        assert_eq!(ok(crement, &[v("[-2,0]")]), "[-3,0]");
        assert_eq!(ok(crement, &[v("4")]), "5");
        assert_eq!(ok(sign, &[v("[-9,7]")]), "[-1,1]");
        assert_eq!(ok(even, &[v("-3")]), "false");
        assert!(matches!(call(even, &[v("[2,2]")]), Err(Fail::Type(_))));
        assert!(matches!(call(add, &[v("{\"set\":[1]}"), v("1")]), Err(Fail::Type(_))));
        assert_eq!(ok(greater, &[v("[1,3]"), v("[1,2]")]), "true");
        assert_eq!(ok(toivec, &[v("true")]), "[1,0]");
        assert_eq!(ok(astuple, &[v("3"), v("[1,2]")]), "[3,[1,2]]");
        assert!(matches!(call(astuple, &[v("3"), v("[1,2]")]).unwrap(), Value::Cell(_)));
    }

    #[test]
    fn logic_is_pythons_and_or() {
        assert_eq!(ok(both, &[v("1"), v("2")]), "2");
        assert_eq!(ok(both, &[v("0"), v("2")]), "0");
        assert_eq!(ok(either, &[v("false"), v("[]")]), "[]");
        assert_eq!(ok(flip, &[v("{\"set\":[]}")]), "true");
        assert_eq!(ok(branch, &[v("[]"), v("1"), v("2")]), "2");
        assert_eq!(ok(equality, &[v("true"), v("1")]), "true");
    }

    #[test]
    fn ranges_and_repeats_are_bounded() {
        assert_eq!(ok(interval, &[v("0"), v("10"), v("3")]), "[0,3,6,9]");
        assert_eq!(ok(interval, &[v("5"), v("0"), v("-2")]), "[5,3,1]");
        assert_eq!(ok(interval, &[v("3"), v("3"), v("1")]), "[]");
        assert!(matches!(call(interval, &[v("0"), v("5"), v("0")]), Err(Fail::Domain(_))));
        assert!(matches!(call(interval, &[v("0"), v("5000"), v("1")]), Err(Fail::Limit(_))));
        assert!(call(interval, &[Value::Int(i32::MIN), Value::Int(i32::MAX), Value::Int(i32::MAX)]).is_ok());
        assert!(matches!(call(repeat, &[v("1"), v("5000")]), Err(Fail::Limit(_))));
        assert_eq!(ok(repeat, &[v("[1,2]"), v("-1")]), "[]");
        assert_eq!(ok(repeat, &[v("[1,2]"), v("2")]), "[[1,2],[1,2]]");
        assert!(matches!(call(repeat, &[v("[1,2]"), v("2")]).unwrap(), Value::Grid(_)));
    }

    #[test]
    fn containers() {
        // combining grids stacks them; tuples keep the first argument's type
        let g = call(combine, &[v("[[1,2],[3,4]]"), v("[[5,6]]")]).unwrap();
        assert!(matches!(g, Value::Grid(_)));
        assert_eq!(g.canon_text(), "[[1,2],[3,4],[5,6]]");
        assert_eq!(ok(combine, &[v("[1,2]"), v("{\"set\":[3]}")]), "[1,2,3]");
        assert_eq!(ok(combine, &[v("{\"set\":[[0,[0,0]]]}"), v("{\"set\":[[0,0]]}")]), "{\"set\":[[0,0],[0,[0,0]]]}");
        assert_eq!(ok(combine, &[v("{\"set\":[1,10]}"), v("{\"set\":[2,1]}")]), "{\"set\":[1,10,2]}");
        assert_eq!(
            ok(intersection, &[v("{\"set\":[[1,1],[2,2]]}"), v("{\"set\":[[2,2],[3,3]]}")]),
            "{\"set\":[[2,2]]}"
        );
        assert_eq!(ok(intersection, &[v("{\"set\":[[1,1]]}"), v("{\"set\":[[1,[1,1]]]}")]), "{\"set\":[]}");
        assert_eq!(ok(difference, &[v("{\"set\":[1,2,3]}"), v("{\"set\":[2]}")]), "{\"set\":[1,3]}");
        assert!(matches!(call(intersection, &[v("[1]"), v("{\"set\":[1]}")]), Err(Fail::Type(_))));
        assert_eq!(ok(dedupe, &[v("[[1,2],[1,2],[3,4]]")]), "[[1,2],[3,4]]");
        assert!(matches!(call(dedupe, &[v("{\"set\":[1]}")]), Err(Fail::Type(_))));
        assert_eq!(ok(size, &[v("[[1,2,3],[4,5,6]]")]), "2");
        assert_eq!(ok(first, &[v("[[1,2,3],[4,5,6]]")]), "[1,2,3]");
        assert_eq!(ok(last, &[v("{\"set\":[1,10,2]}")]), "2");
        assert!(matches!(call(first, &[v("[]")]), Err(Fail::Domain(_))));
        assert!(matches!(call(last, &[v("3")]), Err(Fail::Type(_))));
        assert_eq!(ok(insert, &[v("[5,[1,1]]"), v("{\"set\":[[5,[0,0]]]}")]), "{\"set\":[[5,[0,0]],[5,[1,1]]]}");
        assert!(matches!(call(insert, &[v("[600,0]"), v("{\"set\":[[0,0]]}")]), Err(Fail::Limit(_))));
        assert!(matches!(call(insert, &[v("1"), v("[1]")]), Err(Fail::Type(_))));
        assert_eq!(ok(remove, &[v("true"), v("[1,0,1,2]")]), "[0,2]");
        assert_eq!(ok(remove, &[v("[0,0]"), v("{\"set\":[[0,0],[0,1]]}")]), "{\"set\":[[0,1]]}");
        assert_eq!(ok(other, &[v("{\"set\":[1,2]}"), v("1")]), "2");
        assert!(matches!(call(other, &[v("{\"set\":[1]}"), v("1")]), Err(Fail::Domain(_))));
        assert_eq!(ok(contained, &[v("[1,2]"), v("{\"set\":[[1,2]]}")]), "true");
        assert_eq!(ok(contained, &[v("[1,2]"), v("[[1,2],[3,4]]")]), "true");
        assert_eq!(ok(initset, &[v("[1,2]")]), "{\"set\":[[1,2]]}");
        assert_eq!(ok(totuple, &[v("{\"set\":[1,10,2]}")]), "[1,10,2]");
        assert_eq!(ok(maximum, &[v("{\"set\":[]}")]), "0");
        assert_eq!(ok(maximum, &[v("{\"set\":[2,10]}")]), "10");
        assert_eq!(ok(minimum, &[v("{\"set\":[[1,5],[0,9]]}")]), "[0,9]");
    }

    #[test]
    fn merging() {
        let g = call(merge, &[v("[[[1,2]],[[3,4],[5,6]]]")]).unwrap();
        assert!(matches!(g, Value::Grid(_)));
        assert_eq!(g.canon_text(), "[[1,2],[3,4],[5,6]]");
        assert_eq!(
            ok(merge, &[v("{\"set\":[{\"set\":[[1,[0,0]]]},{\"set\":[[2,[0,1]]]}]}")]),
            "{\"set\":[[1,[0,0]],[2,[0,1]]]}"
        );
        assert_eq!(ok(merge, &[v("{\"set\":[[0,1],[2,3]]}")]), "{\"set\":[0,1,2,3]}");
        assert_eq!(ok(merge, &[v("[[1,2,3],[4,5,6]]")]), "[1,2,3,4,5,6]");
        assert_eq!(ok(merge, &[v("[]")]), "[]");
        assert_eq!(ok(merge, &[v("{\"set\":[[1,[0,0]]]}")]), "{\"set\":[1,[0,0]]}");
        assert!(matches!(call(merge, &[v("[1,2,3]")]), Err(Fail::Type(_))));
    }

    #[test]
    fn applying() {
        let ctx = &mut Ctx::default();
        // mpapply = merge(papply(...)): always a tuple
        assert_eq!(mpapply(ctx, &[f("astuple"), v("[1,2]"), v("[3,4]")]).unwrap().canon_text(), "[1,3,2,4]");
        assert_eq!(
            mpapply(ctx, &[f("combine"), v("[[1,2],[3]]"), v("[[5],[6,7]]")]).unwrap().canon_text(),
            "[1,2,5,3,6,7]"
        );
        assert_eq!(
            mpapply(ctx, &[f("combine"), v("[{\"set\":[1]},{\"set\":[2]}]"), v("[{\"set\":[1]}]")])
                .unwrap()
                .canon_text(),
            "[1]"
        );
        assert_eq!(mpapply(ctx, &[f("astuple"), v("[]"), v("[3,4]")]).unwrap().canon_text(), "[]");
        assert!(matches!(mpapply(ctx, &[f("add"), v("[1]"), v("[2]")]), Err(Fail::Type(_))));
        assert_eq!(papply(ctx, &[f("add"), v("[1,2,3]"), v("[10,20]")]).unwrap().canon_text(), "[11,22]");
        assert_eq!(
            prapply(ctx, &[f("add"), v("{\"set\":[1,2]}"), v("[10,10]")]).unwrap().canon_text(),
            "{\"set\":[11,12]}"
        );
        assert_eq!(apply(ctx, &[f("invert"), v("{\"set\":[1,-1]}")]).unwrap().canon_text(), "{\"set\":[-1,1]}");
        assert_eq!(
            rapply(ctx, &[v("[{\"fn\":\"first\"},{\"fn\":\"last\"}]"), v("[4,5,6]")]).unwrap().canon_text(),
            "[4,6]"
        );
        assert_eq!(mapply(ctx, &[f("identity"), v("[[1,2],[3,4,5]]")]).unwrap().canon_text(), "[1,2,3,4,5]");
        assert_eq!(sfilter(ctx, &[v("[3,-1,2]"), f("positive")]).unwrap().canon_text(), "[3,2]");
        assert_eq!(
            mfilter(ctx, &[v("{\"set\":[{\"set\":[[1,[0,0]]]},{\"set\":[[2,[0,1]],[2,[0,2]]]}]}"), f("size")])
                .unwrap()
                .canon_text(),
            "{\"set\":[[1,[0,0]],[2,[0,1]],[2,[0,2]]]}"
        );
        assert_eq!(extract(ctx, &[v("[0,0,5,6]"), f("positive")]).unwrap().canon_text(), "5");
        assert!(matches!(extract(ctx, &[v("[0]"), f("positive")]), Err(Fail::Domain(_))));
        assert_eq!(product(ctx, &[v("{\"set\":[1,2]}"), v("[3]")]).unwrap().canon_text(), "{\"set\":[[1,3],[2,3]]}");
        assert_eq!(product(ctx, &[v("[4]"), v("{\"set\":[[2,3]]}")]).unwrap().canon_text(), "{\"set\":[[4,[2,3]]]}");
        assert_eq!(pair(ctx, &[v("[1,2,3]"), v("[4,5]")]).unwrap().canon_text(), "[[1,4],[2,5]]");
    }

    #[test]
    fn extremes_and_order() {
        let ctx = &mut Ctx::default();
        // valmax applies the key to the default 0 when the container is empty
        assert_eq!(valmax(ctx, &[v("[]"), f("identity")]).unwrap(), Value::Int(0));
        assert!(matches!(valmax(ctx, &[v("{\"set\":[]}"), f("size")]), Err(Fail::Type(_))));
        assert_eq!(valmin(ctx, &[v("[[3,1],[1,9]]"), f("first")]).unwrap(), Value::Int(1));
        // the first maximal element wins
        assert_eq!(argmax(ctx, &[v("[[1,2],[1,3],[0,1]]"), f("first")]).unwrap().canon_text(), "[1,2]");
        assert_eq!(argmin(ctx, &[v("[[1,2],[0,3],[0,1]]"), f("first")]).unwrap().canon_text(), "[0,3]");
        assert!(matches!(argmax(ctx, &[v("[]"), f("first")]), Err(Fail::Domain(_))));
        // order is stable
        assert_eq!(order(ctx, &[v("[[1,2],[0,5],[1,0]]"), f("first")]).unwrap().canon_text(), "[[0,5],[1,2],[1,0]]");
        assert_eq!(order(ctx, &[v("[[1,2],[0,5],[1,0]]"), f("identity")]).unwrap().canon_text(), "[[0,5],[1,0],[1,2]]");
        assert!(matches!(order(ctx, &[v("[[1,2],[0,5]]"), f("initset")]), Err(Fail::Type(_))));
    }

    #[test]
    fn most_common_breaks_ties_like_cpython() {
        // CPython iterates set((2, 8, 5, 1)) as 8, 1, 2, 5
        assert_eq!(ok(mostcommon, &[v("[2,2,2,2,2,8,8,8,8,8,5,1,1,1]")]), "8");
        assert_eq!(ok(leastcommon, &[v("[2,2,8,5,1]")]), "8");
        assert_eq!(ok(mostcommon, &[v("[[1,2],[1,2],[3,4]]")]), "[1,2]");
        assert!(matches!(call(mostcommon, &[v("{\"set\":[1]}")]), Err(Fail::Type(_))));
        assert!(matches!(call(mostcommon, &[v("[]")]), Err(Fail::Domain(_))));
        assert_eq!(py_most_common_int(&[3, 1, 3, 1], true), Some(1));
    }

    #[test]
    fn cpython_hashes_and_set_order() {
        // values printed by CPython 3.11
        assert_eq!(pyset::hash(&v("[1,2]")), Some(-3550055125485641917i64 as u64));
        assert_eq!(pyset::hash(&v("[[1,2],[3,4]]")), Some(-1467267874458550984i64 as u64));
        assert_eq!(pyset::hash(&v("{\"set\":[1,2]}")), Some(-1826646154956904602i64 as u64));
        assert_eq!(pyset::hash(&v("{\"set\":[[1,[2,3]]]}")), Some(-4069781824127057112i64 as u64));
        assert_eq!(pyset::hash(&v("-1")), Some(-2i64 as u64));
        assert_eq!(pyset::hash(&v("[]")), Some(5740354900026072187));
        let order = |xs: &[i64]| -> Vec<i64> {
            let h: Vec<u64> = xs.iter().map(|&x| pyset::int(x)).collect();
            pyset::order(&h).into_iter().map(|k| xs[k]).collect()
        };
        assert_eq!(order(&[2, 8, 5, 1]), vec![8, 1, 2, 5]);
        assert_eq!(order(&[9, 17, 1, 25, 33, 3, 4]), vec![33, 1, 3, 4, 9, 17, 25]);
    }
}
