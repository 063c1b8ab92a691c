//! The one value type of the DSL.
//!
//! arc-dsl values are Python ints, bools, tuples and frozensets, nested freely, plus
//! functions. batt keeps every such value in exactly one canonical Rust form, so that derived
//! equality and hashing are Python equality:
//!
//! * a tuple of two integers is a [`Value::Pair`]; any other tuple of integers an
//!   [`Value::IntTuple`];
//! * a non-empty tuple of equal-length integer tuples whose entries fit `i8` is a
//!   [`Value::Grid`] (a grid *is* a tuple of rows in arc-dsl);
//! * a tuple `(colour, (i, j))` whose parts fit the packed domain is a [`Value::Cell`];
//! * a set of integers is an [`Value::IntSet`], of pairs an [`Value::Indices`], of cells an
//!   [`Value::Object`]; every other set, and the empty set, is a [`Value::Set`];
//! * booleans inside containers are stored as the integers 0 and 1 (Python's `True == 1`).
//!
//! Every set is stored in the canonical order (see [`crate::pack`]): the order of its
//! elements' compact JSON text. `first`, `get_nth` and friends therefore read positions of
//! one well-defined order.

use crate::fail::{Fail, Res};
use crate::func::Func;
use crate::grid::{mix64, Grid};
use crate::pack::{cmp_int, text_key, Cell, Loc};
use std::cmp::Ordering;
use std::sync::Arc;

/// A DSL value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Int(i32),
    /// An integer pair: a vector, a location, a shape.
    Pair(i32, i32),
    /// `(colour, (i, j))`.
    Cell(Cell),
    Grid(Grid),
    /// A tuple of integers of length other than 2.
    IntTuple(Arc<[i32]>),
    /// A non-empty set of locations.
    Indices(Arc<[Loc]>),
    /// A non-empty set of cells.
    Object(Arc<[Cell]>),
    /// A non-empty set of integers.
    IntSet(Arc<[i32]>),
    /// Any other tuple, including the empty tuple.
    Tuple(Arc<[Value]>),
    /// Any other set, including the empty set.
    Set(Arc<[Value]>),
    Func(Arc<Func>),
}

/// A patch: a set of locations or a set of cells (the empty set reads as empty indices).
#[derive(Clone, Copy, Debug)]
pub enum Patch<'a> {
    Indices(&'a [Loc]),
    Object(&'a [Cell]),
}

impl<'a> Patch<'a> {
    pub fn len(&self) -> usize {
        match self {
            Patch::Indices(s) => s.len(),
            Patch::Object(s) => s.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The locations of the patch, in the patch's own order (may repeat for an object with two
    /// colours at one location).
    pub fn locs(&self) -> impl Iterator<Item = Loc> + 'a {
        let (a, b): (&'a [Loc], &'a [Cell]) = match *self {
            Patch::Indices(s) => (s, &[]),
            Patch::Object(s) => (&[], s),
        };
        a.iter().copied().chain(b.iter().map(|c| c.loc()))
    }
    /// `(i, j)` of every location.
    pub fn ijs(&self) -> impl Iterator<Item = (i32, i32)> + 'a {
        self.locs().map(|l| l.ij())
    }
}

/// A patch read from any value Python iterates as one: a set of locations or cells
/// (borrowed), or a tuple of them (a grid of two columns is a tuple of locations), gathered
/// into canonical set order. Only what a patch primitive computes through `toindices` or
/// iteration reads it; where Python treats a tuple as a grid (`height`, `center`, `shape`),
/// the primitive looks at the tuple itself.
pub enum PatchBuf<'a> {
    Set(Patch<'a>),
    Locs(Vec<Loc>),
    Cells(Vec<Cell>),
}

impl PatchBuf<'_> {
    /// The patch as a set.
    #[inline]
    pub fn get(&self) -> Patch<'_> {
        match self {
            PatchBuf::Set(p) => *p,
            PatchBuf::Locs(v) => Patch::Indices(v),
            PatchBuf::Cells(v) => Patch::Object(v),
        }
    }
}

fn coerce(v: Value) -> Value {
    match v {
        Value::Bool(b) => Value::Int(b as i32),
        v => v,
    }
}

const EMPTY: &[Value] = &[];

impl Value {
    // ----- constructors ---------------------------------------------------------------

    pub fn empty_set() -> Value {
        Value::Set(Arc::from(EMPTY))
    }
    pub fn empty_tuple() -> Value {
        Value::Tuple(Arc::from(EMPTY))
    }
    pub fn int(x: i64) -> Res<Value> {
        i32::try_from(x).map(Value::Int).map_err(|_| Fail::Limit("integer overflow"))
    }

    /// A tuple, in canonical form.
    pub fn tuple(items: Vec<Value>) -> Res<Value> {
        let items: Vec<Value> = items.into_iter().map(coerce).collect();
        if items.is_empty() {
            return Ok(Value::empty_tuple());
        }
        if items.iter().all(|v| matches!(v, Value::Int(_))) {
            let xs: Vec<i32> = items.iter().map(|v| if let Value::Int(x) = v { *x } else { 0 }).collect();
            return Ok(Value::int_tuple(xs));
        }
        if let Some(g) = rows_as_grid(&items)? {
            return Ok(Value::Grid(g));
        }
        if let [Value::Int(c), Value::Pair(i, j)] = items[..] {
            if let Some(cell) = Cell::new(c, i, j) {
                return Ok(Value::Cell(cell));
            }
        }
        Ok(Value::Tuple(items.into()))
    }

    /// A tuple of integers.
    pub fn int_tuple(xs: Vec<i32>) -> Value {
        match xs[..] {
            [a, b] => Value::Pair(a, b),
            [] => Value::empty_tuple(),
            _ => Value::IntTuple(xs.into()),
        }
    }

    /// A set, in canonical form (sorted, deduplicated).
    pub fn set(items: Vec<Value>) -> Res<Value> {
        let mut items: Vec<Value> = items.into_iter().map(coerce).collect();
        if items.is_empty() {
            return Ok(Value::empty_set());
        }
        match &items[0] {
            Value::Int(_) if items.iter().all(|v| matches!(v, Value::Int(_))) => {
                let xs = items.iter().map(|v| if let Value::Int(x) = v { *x } else { 0 }).collect();
                return Ok(Value::int_set(xs));
            }
            Value::Pair(..) if items.iter().all(|v| matches!(v, Value::Pair(..))) => {
                let mut locs = Vec::with_capacity(items.len());
                for v in &items {
                    if let Value::Pair(i, j) = v {
                        locs.push(Loc::new(*i, *j).ok_or(Fail::Limit("coordinate outside the packed domain"))?);
                    }
                }
                return Ok(Value::indices(locs));
            }
            Value::Cell(_) if items.iter().all(|v| matches!(v, Value::Cell(_))) => {
                let cells = items.iter().map(|v| if let Value::Cell(c) = v { *c } else { unreachable!() }).collect();
                return Ok(Value::object(cells));
            }
            _ => {}
        }
        sort_canon(&mut items);
        items.dedup();
        Ok(Value::Set(items.into()))
    }

    /// A set of integers.
    pub fn int_set(mut xs: Vec<i32>) -> Value {
        if xs.is_empty() {
            return Value::empty_set();
        }
        xs.sort_unstable_by(|&a, &b| cmp_int(a, b));
        xs.dedup();
        Value::IntSet(xs.into())
    }

    /// A set of locations.
    pub fn indices(mut locs: Vec<Loc>) -> Value {
        if locs.is_empty() {
            return Value::empty_set();
        }
        if !locs.windows(2).all(|w| w[0] < w[1]) {
            locs.sort_unstable();
            locs.dedup();
        }
        Value::Indices(locs.into())
    }

    /// A set of cells.
    pub fn object(mut cells: Vec<Cell>) -> Value {
        if cells.is_empty() {
            return Value::empty_set();
        }
        if !cells.windows(2).all(|w| w[0] < w[1]) {
            cells.sort_unstable();
            cells.dedup();
        }
        Value::Object(cells.into())
    }

    /// A set of cells copied from a slice: one allocation when the slice is already in
    /// canonical order (as grid scans produce it), else as [`Value::object`].
    pub fn object_from_slice(cells: &[Cell]) -> Value {
        if cells.is_empty() {
            return Value::empty_set();
        }
        if cells.windows(2).all(|w| w[0] < w[1]) {
            Value::Object(cells.into())
        } else {
            Value::object(cells.to_vec())
        }
    }

    /// A set of locations given as coordinates.
    pub fn indices_ij(ijs: impl IntoIterator<Item = (i32, i32)>) -> Res<Value> {
        let mut locs = Vec::new();
        for (i, j) in ijs {
            locs.push(Loc::new(i, j).ok_or(Fail::Limit("coordinate outside the packed domain"))?);
        }
        Ok(Value::indices(locs))
    }

    /// A set of cells given as `(colour, i, j)`.
    pub fn object_cij(cs: impl IntoIterator<Item = (i32, i32, i32)>) -> Res<Value> {
        let mut cells = Vec::new();
        for (c, i, j) in cs {
            cells.push(Cell::new(c, i, j).ok_or(Fail::Limit("cell outside the packed domain"))?);
        }
        Ok(Value::object(cells))
    }

    /// A container of the same kind (set or tuple) as `like`.
    pub fn collect_like(like: &Value, items: Vec<Value>) -> Res<Value> {
        if like.is_set() {
            Value::set(items)
        } else {
            Value::tuple(items)
        }
    }

    // ----- classification and accessors ----------------------------------------------

    /// Whether this is a frozenset.
    pub fn is_set(&self) -> bool {
        matches!(self, Value::IntSet(_) | Value::Indices(_) | Value::Object(_) | Value::Set(_))
    }

    /// Whether this is a tuple (grids, pairs and cells included).
    pub fn is_tuple(&self) -> bool {
        matches!(self, Value::Tuple(_) | Value::IntTuple(_) | Value::Pair(..) | Value::Cell(_) | Value::Grid(_))
    }

    /// A short name of the value's kind, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Pair(..) => "integer pair",
            Value::Cell(_) => "cell",
            Value::Grid(_) => "grid",
            Value::IntTuple(_) => "tuple of integers",
            Value::Indices(_) => "indices",
            Value::Object(_) => "object",
            Value::IntSet(_) => "set of integers",
            Value::Tuple(_) => "tuple",
            Value::Set(_) => "set",
            Value::Func(_) => "function",
        }
    }

    /// An integer (booleans read as 0 and 1).
    #[inline]
    pub fn as_int(&self) -> Res<i32> {
        match self {
            Value::Int(x) => Ok(*x),
            Value::Bool(b) => Ok(*b as i32),
            _ => Err(Fail::Type("expected an integer")),
        }
    }

    /// A boolean (Python truthiness for anything else).
    #[inline]
    pub fn truthy(&self) -> bool {
        match self {
            Value::Bool(b) => *b,
            Value::Int(x) => *x != 0,
            Value::Func(_) | Value::Pair(..) | Value::Cell(_) | Value::Grid(_) => true,
            Value::IntTuple(s) => !s.is_empty(),
            Value::Indices(_) | Value::Object(_) | Value::IntSet(_) => true,
            Value::Tuple(s) | Value::Set(s) => !s.is_empty(),
        }
    }

    #[inline]
    pub fn as_pair(&self) -> Res<(i32, i32)> {
        match self {
            Value::Pair(a, b) => Ok((*a, *b)),
            _ => Err(Fail::Type("expected an integer pair")),
        }
    }

    #[inline]
    pub fn as_grid(&self) -> Res<&Grid> {
        match self {
            Value::Grid(g) => Ok(g),
            _ => Err(Fail::Type("expected a grid")),
        }
    }

    /// A patch (indices or object; the empty set reads as empty indices).
    #[inline]
    pub fn as_patch(&self) -> Res<Patch<'_>> {
        match self {
            Value::Indices(s) => Ok(Patch::Indices(s)),
            Value::Object(s) => Ok(Patch::Object(s)),
            Value::Set(s) if s.is_empty() => Ok(Patch::Indices(&[])),
            _ => Err(Fail::Type("expected a patch")),
        }
    }

    /// A patch from a set of locations or cells, or from a tuple of them (see [`PatchBuf`]).
    #[inline]
    pub fn to_patch(&self) -> Res<PatchBuf<'_>> {
        const NOT: Fail = Fail::Type("expected a patch");
        const OUT: Fail = Fail::Limit("coordinate outside the packed domain");
        match self {
            Value::Grid(g) if g.w() == 2 => {
                let locs = g.rows().map(|r| Loc::new(r[0] as i32, r[1] as i32).ok_or(OUT)).collect::<Res<_>>()?;
                Ok(PatchBuf::Locs(sorted_set(locs)))
            }
            Value::Tuple(items) => match items.first() {
                None => Ok(PatchBuf::Set(Patch::Indices(&[]))),
                Some(Value::Cell(_)) => {
                    let cells = items.iter().map(|v| if let Value::Cell(c) = v { Ok(*c) } else { Err(NOT) });
                    Ok(PatchBuf::Cells(sorted_set(cells.collect::<Res<_>>()?)))
                }
                Some(Value::Pair(..)) => {
                    let locs = items.iter().map(|v| match v {
                        Value::Pair(i, j) => Loc::new(*i, *j).ok_or(OUT),
                        _ => Err(NOT),
                    });
                    Ok(PatchBuf::Locs(sorted_set(locs.collect::<Res<_>>()?)))
                }
                Some(_) => Err(NOT),
            },
            _ => self.as_patch().map(PatchBuf::Set),
        }
    }

    /// Whether this is a tuple of locations or cells (a grid of two columns included), which
    /// Python reads as a patch through iteration but as a grid through `len`.
    pub fn is_tuple_patch(&self) -> bool {
        match self {
            Value::Grid(g) => g.w() == 2,
            Value::Tuple(items) => matches!(items.first(), Some(Value::Cell(_) | Value::Pair(..))),
            _ => false,
        }
    }

    /// The cells of an object (the empty set is the empty object).
    #[inline]
    pub fn as_object(&self) -> Res<&[Cell]> {
        match self {
            Value::Object(s) => Ok(s),
            Value::Set(s) if s.is_empty() => Ok(&[]),
            _ => Err(Fail::Type("expected an object")),
        }
    }

    /// The elements of a generic set or tuple stored as values.
    #[inline]
    pub fn as_values(&self) -> Option<&[Value]> {
        match self {
            Value::Tuple(s) | Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// Number of elements of a container.
    pub fn len(&self) -> Res<usize> {
        Ok(match self {
            Value::Pair(..) | Value::Cell(_) => 2,
            Value::Grid(g) => g.h(),
            Value::IntTuple(s) | Value::IntSet(s) => s.len(),
            Value::Indices(s) => s.len(),
            Value::Object(s) => s.len(),
            Value::Tuple(s) | Value::Set(s) => s.len(),
            _ => return Err(Fail::Type("expected a container")),
        })
    }

    /// Whether a container is empty (non-containers fail).
    pub fn is_empty(&self) -> Res<bool> {
        self.len().map(|n| n == 0)
    }

    /// The `k`-th element (in storage order, which for sets is the canonical order).
    /// `k` must be below `len()`.
    pub fn item(&self, k: usize) -> Value {
        match self {
            Value::Pair(a, b) => Value::Int(if k == 0 { *a } else { *b }),
            Value::Cell(c) => {
                if k == 0 {
                    Value::Int(c.color())
                } else {
                    Value::Pair(c.i(), c.j())
                }
            }
            Value::Grid(g) => Value::int_tuple(g.row(k).iter().map(|&x| x as i32).collect()),
            Value::IntTuple(s) | Value::IntSet(s) => Value::Int(s[k]),
            Value::Indices(s) => {
                let (i, j) = s[k].ij();
                Value::Pair(i, j)
            }
            Value::Object(s) => Value::Cell(s[k]),
            Value::Tuple(s) | Value::Set(s) => s[k].clone(),
            _ => unreachable!("item of a non-container"),
        }
    }

    /// The elements of a container, in order.
    pub fn items(&self) -> Res<impl ExactSizeIterator<Item = Value> + '_> {
        let n = self.len()?;
        Ok((0..n).map(move |k| self.item(k)))
    }

    /// Python's `x in container`.
    pub fn contains(&self, x: &Value) -> Res<bool> {
        let x = coerce(x.clone());
        Ok(match (self, &x) {
            (Value::IntSet(s), Value::Int(v)) => s.binary_search_by(|&e| cmp_int(e, *v)).is_ok(),
            (Value::Indices(s), Value::Pair(i, j)) => Loc::new(*i, *j).is_some_and(|l| s.binary_search(&l).is_ok()),
            (Value::Object(s), Value::Cell(c)) => s.binary_search(c).is_ok(),
            (Value::Set(s), _) => s.binary_search_by(|e| canon_cmp(e, &x)).is_ok(),
            (Value::IntSet(_) | Value::Indices(_) | Value::Object(_), _) => false,
            _ => self.items()?.any(|e| e == x),
        })
    }

    // ----- fingerprints ---------------------------------------------------------------

    /// A 64-bit fingerprint: equal values have equal fingerprints. A grid's fingerprint is
    /// [`Grid::fp`], so a grid-valued node compares with an expected output in one compare.
    pub fn fp(&self) -> u64 {
        match self {
            Value::Grid(g) => g.fp(),
            Value::Bool(b) => mix64(1, *b as u64),
            Value::Int(x) => mix64(2, *x as u32 as u64),
            Value::Pair(a, b) => mix64(mix64(3, *a as u32 as u64), *b as u32 as u64),
            Value::Cell(c) => mix64(4, c.key() as u64),
            Value::IntTuple(s) => s.iter().fold(5, |h, &x| mix64(h, x as u32 as u64)),
            Value::IntSet(s) => s.iter().fold(6, |h, &x| mix64(h, x as u32 as u64)),
            Value::Indices(s) => fold_u32(7, s.iter().map(|l| l.key())),
            Value::Object(s) => fold_u32(8, s.iter().map(|c| c.key())),
            Value::Tuple(s) => s.iter().fold(9, |h, v| mix64(h, v.fp())),
            Value::Set(s) => s.iter().fold(10, |h, v| mix64(h, v.fp())),
            Value::Func(f) => f.fp(),
        }
    }

    // ----- text -----------------------------------------------------------------------

    /// The compact JSON text of the golden encoding (sets as `{"set":[...]}` in canonical
    /// order, functions as `{"fn":name}` or `{"args":[...],"fn":name}`).
    pub fn canon_text(&self) -> String {
        let mut s = String::new();
        self.write_canon(&mut s);
        s
    }

    pub fn write_canon(&self, out: &mut String) {
        use std::fmt::Write;
        fn list<T>(out: &mut String, xs: &[T], mut f: impl FnMut(&mut String, &T)) {
            out.push('[');
            for (k, x) in xs.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                f(out, x);
            }
            out.push(']');
        }
        match self {
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(x) => {
                let _ = write!(out, "{x}");
            }
            Value::Pair(a, b) => {
                let _ = write!(out, "[{a},{b}]");
            }
            Value::Cell(c) => {
                let (c, i, j) = c.parts();
                let _ = write!(out, "[{c},[{i},{j}]]");
            }
            Value::Grid(g) => {
                let rows: Vec<&[i8]> = g.rows().collect();
                list(out, &rows, |o, r| {
                    list(o, r, |o, x| {
                        let _ = write!(o, "{x}");
                    })
                });
            }
            Value::IntTuple(s) => list(out, s, |o, x| {
                let _ = write!(o, "{x}");
            }),
            Value::Tuple(s) => list(out, s, |o, v| v.write_canon(o)),
            Value::IntSet(s) => {
                out.push_str("{\"set\":");
                list(out, s, |o, x| {
                    let _ = write!(o, "{x}");
                });
                out.push('}');
            }
            Value::Indices(s) => {
                out.push_str("{\"set\":");
                list(out, s, |o, l| {
                    let _ = write!(o, "[{},{}]", l.i(), l.j());
                });
                out.push('}');
            }
            Value::Object(s) => {
                out.push_str("{\"set\":");
                list(out, s, |o, c| {
                    let (c, i, j) = c.parts();
                    let _ = write!(o, "[{c},[{i},{j}]]");
                });
                out.push('}');
            }
            Value::Set(s) => {
                out.push_str("{\"set\":");
                list(out, s, |o, v| v.write_canon(o));
                out.push('}');
            }
            Value::Func(f) => f.write_canon(out),
        }
    }
}

/// Sorted and deduplicated.
fn sorted_set<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort_unstable();
    v.dedup();
    v
}

fn fold_u32(seed: u64, xs: impl Iterator<Item = u32>) -> u64 {
    xs.fold(seed, |h, x| mix64(h, x as u64))
}

/// The grid that a tuple of rows forms, if it forms one (rows of integers that fit `i8`, equal
/// lengths, within the grid limits).
fn rows_as_grid(items: &[Value]) -> Res<Option<Grid>> {
    fn row(v: &Value) -> Option<Vec<i32>> {
        match v {
            Value::Pair(a, b) => Some(vec![*a, *b]),
            Value::IntTuple(s) if !s.is_empty() => Some(s.to_vec()),
            _ => None,
        }
    }
    let mut cells = Vec::new();
    let mut w = None;
    for v in items {
        let Some(r) = row(v) else { return Ok(None) };
        if *w.get_or_insert(r.len()) != r.len() {
            return Ok(None);
        }
        for x in r {
            let Ok(c) = i8::try_from(x) else { return Ok(None) };
            cells.push(c);
        }
    }
    let w = w.unwrap_or(0);
    // a tuple of rows too large for a grid is still a valid tuple (of pairs, say): keep it plain
    match Grid::new(items.len(), w, cells) {
        Ok(g) => Ok(Some(g)),
        Err(Fail::Limit(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Sorts values into canonical order.
pub fn sort_canon(items: &mut [Value]) {
    items.sort_by(canon_cmp);
}

/// A borrowed view of a value as JSON structure, for comparing texts without writing them.
#[derive(Clone, Copy)]
enum V<'a> {
    Int(i32),
    Bool(bool),
    List(L<'a>),
    Set(L<'a>),
    Func(&'a Func),
}

/// The elements of a list or set, however they are stored.
#[derive(Clone, Copy)]
enum L<'a> {
    Ints(&'a [i32]),
    Pair(i32, i32),
    Cell(Cell),
    Row(&'a [i8]),
    Grid(&'a Grid),
    Vals(&'a [Value]),
    Locs(&'a [Loc]),
    Cells(&'a [Cell]),
}

impl<'a> L<'a> {
    fn len(&self) -> usize {
        match self {
            L::Ints(s) => s.len(),
            L::Pair(..) | L::Cell(_) => 2,
            L::Row(r) => r.len(),
            L::Grid(g) => g.h(),
            L::Vals(s) => s.len(),
            L::Locs(s) => s.len(),
            L::Cells(s) => s.len(),
        }
    }

    fn get(&self, k: usize) -> V<'a> {
        match *self {
            L::Ints(s) => V::Int(s[k]),
            L::Pair(a, b) => V::Int(if k == 0 { a } else { b }),
            L::Cell(c) => {
                if k == 0 {
                    V::Int(c.color())
                } else {
                    V::List(L::Pair(c.i(), c.j()))
                }
            }
            L::Row(r) => V::Int(r[k] as i32),
            L::Grid(g) => V::List(L::Row(g.row(k))),
            L::Vals(s) => view(&s[k]),
            L::Locs(s) => {
                let (i, j) = s[k].ij();
                V::List(L::Pair(i, j))
            }
            L::Cells(s) => V::List(L::Cell(s[k])),
        }
    }
}

fn view(v: &Value) -> V<'_> {
    match v {
        Value::Bool(b) => V::Bool(*b),
        Value::Int(x) => V::Int(*x),
        Value::Pair(a, b) => V::List(L::Pair(*a, *b)),
        Value::Cell(c) => V::List(L::Cell(*c)),
        Value::Grid(g) => V::List(L::Grid(g)),
        Value::IntTuple(s) => V::List(L::Ints(s)),
        Value::Tuple(s) => V::List(L::Vals(s)),
        Value::Indices(s) => V::Set(L::Locs(s)),
        Value::Object(s) => V::Set(L::Cells(s)),
        Value::IntSet(s) => V::Set(L::Ints(s)),
        Value::Set(s) => V::Set(L::Vals(s)),
        Value::Func(f) => V::Func(f),
    }
}

/// The first byte of a value's text.
fn first_byte(v: V) -> u8 {
    match v {
        V::Int(x) if x < 0 => b'-',
        V::Int(x) => text_key(x as i64, 0).to_be_bytes()[0],
        V::Bool(b) => {
            if b {
                b't'
            } else {
                b'f'
            }
        }
        V::List(_) => b'[',
        V::Set(_) | V::Func(_) => b'{',
    }
}

/// The byte after `{"` in a dictionary's text: `a`rgs, `f`n or `s`et.
fn dict_key(v: V) -> u8 {
    match v {
        V::Set(_) => b's',
        V::Func(Func::Built(..)) => b'a',
        _ => b'f',
    }
}

/// Byte order of the texts of two values, each followed by a terminator byte (`,` or `]`;
/// only integers can be a proper prefix of another text, so only they read it).
fn cmp_v(a: V, ta: u8, b: V, tb: u8) -> Ordering {
    match (a, b) {
        // packed elements compare as their keys; the same slice is equal to itself
        (V::Set(L::Cells(x)), V::Set(L::Cells(y))) if std::ptr::eq(x, y) => Ordering::Equal,
        (V::Set(L::Cells(x)), V::Set(L::Cells(y))) => cmp_seq(x, y),
        (V::Set(L::Locs(x)), V::Set(L::Locs(y))) if std::ptr::eq(x, y) => Ordering::Equal,
        (V::Set(L::Locs(x)), V::Set(L::Locs(y))) => cmp_seq(x, y),
        (V::List(L::Cell(x)), V::List(L::Cell(y))) => x.cmp(&y),
        (V::List(L::Grid(x)), V::List(L::Grid(y))) if x == y => Ordering::Equal,
        (V::Int(x), V::Int(y)) => text_key(x as i64, ta).cmp(&text_key(y as i64, tb)),
        (V::Bool(x), V::Bool(y)) => x.cmp(&y),
        (V::List(x), V::List(y)) | (V::Set(x), V::Set(y)) => cmp_l(x, y),
        (V::Func(f), V::Func(g)) => cmp_func(f, g),
        (V::Set(_) | V::Func(_), V::Set(_) | V::Func(_)) => dict_key(a).cmp(&dict_key(b)),
        _ => first_byte(a).cmp(&first_byte(b)),
    }
}

/// Order of two lists' texts: element by element, each followed by `,` or, when last, `]`.
fn cmp_l(a: L, b: L) -> Ordering {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        // "[]" against "[x...": `]` against the first byte of x
        return match (n, m) {
            (0, 0) => Ordering::Equal,
            (0, _) => b']'.cmp(&first_byte(b.get(0))),
            _ => first_byte(a.get(0)).cmp(&b']'),
        };
    }
    for k in 0..n.min(m) {
        let ta = if k + 1 == n { b']' } else { b',' };
        let tb = if k + 1 == m { b']' } else { b',' };
        match cmp_v(a.get(k), ta, b.get(k), tb) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    // equal up to the shorter one's end: it has `]` where the longer has `,`
    m.cmp(&n)
}

fn cmp_func(f: &Func, g: &Func) -> Ordering {
    match (f, g) {
        (Func::Prim(p), Func::Prim(q)) => p.name().cmp(q.name()),
        (Func::Built(h, x), Func::Built(k, y)) => cmp_l(L::Vals(x), L::Vals(y)).then_with(|| h.name().cmp(k.name())),
        (Func::Built(..), Func::Prim(_)) => Ordering::Less,
        (Func::Prim(_), Func::Built(..)) => Ordering::Greater,
    }
}

/// Lexicographic order of two sequences whose elements are complete JSON values (never a
/// prefix of one another) where a proper prefix sorts *after* the longer sequence: after the
/// shared part, the shorter text has `]` where the longer has `,`.
fn cmp_seq<T: Ord>(a: &[T], b: &[T]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match x.cmp(y) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    b.len().cmp(&a.len())
}

/// The canonical order of two values: the byte order of their compact JSON texts, computed
/// from their structure (no text is written).
pub fn canon_cmp(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => cmp_int(*x, *y),
        (Value::Cell(x), Value::Cell(y)) => x.cmp(y),
        (Value::Object(x), Value::Object(y)) => cmp_seq(x, y),
        (Value::Indices(x), Value::Indices(y)) => cmp_seq(x, y),
        _ => cmp_v(view(a), b',', view(b), b','),
    }
}

/// Python's `<` on values used as sort keys: integers (booleans as integers) numerically,
/// tuples lexicographically. Anything else is not orderable.
pub fn py_cmp(a: &Value, b: &Value) -> Res<Ordering> {
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => Ok(a.as_int()?.cmp(&b.as_int()?)),
        (Value::Pair(a0, a1), Value::Pair(b0, b1)) => Ok((a0, a1).cmp(&(b0, b1))),
        _ if a.is_tuple() && b.is_tuple() => {
            let (n, m) = (a.len()?, b.len()?);
            for k in 0..n.min(m) {
                match py_cmp(&a.item(k), &b.item(k))? {
                    Ordering::Equal => {}
                    o => return Ok(o),
                }
            }
            Ok(n.cmp(&m))
        }
        _ => Err(Fail::Type("values are not orderable")),
    }
}

/// Python's `a > b` (what `max` and `greater` ask; `min` asks `b > a`): integers (booleans as
/// integers) numerically, tuples at their first unequal item (then by length), frozensets as
/// proper supersets (a partial order: two sets may be neither). Anything else is not
/// orderable.
pub fn py_gt(a: &Value, b: &Value) -> Res<bool> {
    match (a, b) {
        (Value::Int(_) | Value::Bool(_), Value::Int(_) | Value::Bool(_)) => Ok(a.as_int()? > b.as_int()?),
        (Value::Pair(a0, a1), Value::Pair(b0, b1)) => Ok((a0, a1) > (b0, b1)),
        _ if a.is_tuple() && b.is_tuple() => {
            let (n, m) = (a.len()?, b.len()?);
            for k in 0..n.min(m) {
                let (x, y) = (a.item(k), b.item(k));
                if !py_eq(&x, &y) {
                    return py_gt(&x, &y);
                }
            }
            Ok(n > m)
        }
        _ if a.is_set() && b.is_set() => {
            if a.len()? <= b.len()? {
                return Ok(false);
            }
            for x in b.items()? {
                if !a.contains(&x)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        _ => Err(Fail::Type("values are not orderable")),
    }
}

/// Python's `==`: as derived equality, except that a boolean equals the integer 0 or 1.
pub fn py_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Bool(x), Value::Int(y)) | (Value::Int(y), Value::Bool(x)) => *x as i32 == *y,
        _ => a == b,
    }
}

impl std::fmt::Debug for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Grid(g) => write!(f, "{g:?}"),
            v => f.write_str(&v.canon_text()),
        }
    }
}

impl From<Grid> for Value {
    fn from(g: Grid) -> Value {
        Value::Grid(g)
    }
}
