//! Kinds of values, read from the signature table.
//!
//! arc-dsl's annotations are loose unions (`Piece` is a grid or a patch, `Any` is anything),
//! so each type is read as the set of concrete kinds of value it admits. The annotations are
//! documentation: Python checks none of them, and arc-dsl programs pass tuples where a patch
//! is annotated, read a pair from `valmax`, and so on. So the loader refuses no argument for
//! its type; [`result_kinds`] says what a call can return for the kinds of its arguments (the
//! annotation where the arguments fit it, what Python builds otherwise), which is sound for
//! the mutator's rewiring and for refusing to call what is never a function.

use crate::ast::{Arg, Callee, Program, Ref};
use batt_dsl::{Prim, Ty, Value};

/// Concrete kinds of values, as bits.
pub mod kinds {
    pub const BOOL: u32 = 1 << 0;
    pub const INT: u32 = 1 << 1;
    pub const PAIR: u32 = 1 << 2;
    pub const GRID: u32 = 1 << 3;
    pub const CELL: u32 = 1 << 4;
    pub const INT_TUPLE: u32 = 1 << 5;
    pub const OBJECT: u32 = 1 << 6;
    pub const INDICES: u32 = 1 << 7;
    pub const INT_SET: u32 = 1 << 8;
    pub const OBJECTS: u32 = 1 << 9;
    pub const INDICES_SET: u32 = 1 << 10;
    pub const OTHER_SET: u32 = 1 << 11;
    pub const OTHER_TUPLE: u32 = 1 << 12;
    pub const SAMPLES: u32 = 1 << 13;
    pub const EMPTY: u32 = 1 << 14;
    pub const FUNC: u32 = 1 << 15;
    pub const ALL: u32 = (1 << 16) - 1;
    pub const SETS: u32 = OBJECT | INDICES | INT_SET | OBJECTS | INDICES_SET | OTHER_SET | EMPTY;
    pub const TUPLES: u32 = PAIR | CELL | GRID | INT_TUPLE | OTHER_TUPLE | SAMPLES | EMPTY;
}

/// The kinds of value a type admits.
pub fn kinds(t: Ty) -> u32 {
    use kinds::*;
    match t {
        Ty::Any => ALL,
        Ty::Boolean | Ty::Integer => BOOL | INT,
        Ty::IntegerTuple => PAIR,
        Ty::Numerical => BOOL | INT | PAIR,
        Ty::IntegerSet => INT_SET | EMPTY,
        Ty::Grid => GRID,
        Ty::Cell => CELL,
        Ty::Object => OBJECT | EMPTY,
        Ty::Objects => OBJECTS | EMPTY,
        Ty::Indices => INDICES | EMPTY,
        Ty::IndicesSet => INDICES_SET | EMPTY,
        Ty::Patch => OBJECT | INDICES | EMPTY,
        Ty::Element => OBJECT | GRID | EMPTY,
        Ty::Piece => GRID | OBJECT | INDICES | EMPTY,
        Ty::TupleTuple => GRID | OTHER_TUPLE | SAMPLES | EMPTY,
        Ty::ContainerContainer => GRID | OBJECTS | INDICES_SET | OTHER_SET | OTHER_TUPLE | SAMPLES | EMPTY | CELL,
        Ty::Container => SETS | TUPLES,
        Ty::Callable => FUNC,
        Ty::FrozenSet => SETS,
        Ty::Tuple => TUPLES,
        Ty::Samples => SAMPLES,
    }
}

/// The kind bit of one value (a set of objects is `OBJECTS`, the empty set or tuple `EMPTY`).
pub fn kind(v: &Value) -> u32 {
    use kinds::*;
    match v {
        Value::Bool(_) => BOOL,
        Value::Int(_) => INT,
        Value::Pair(..) => PAIR,
        Value::Cell(_) => CELL,
        Value::Grid(_) => GRID,
        Value::IntTuple(_) => INT_TUPLE,
        Value::Indices(_) => INDICES,
        Value::Object(_) => OBJECT,
        Value::IntSet(_) => INT_SET,
        Value::Tuple(s) if s.is_empty() => EMPTY,
        Value::Tuple(_) => OTHER_TUPLE,
        Value::Set(s) if s.is_empty() => EMPTY,
        Value::Set(s) if s.iter().all(|e| matches!(e, Value::Object(_))) => OBJECTS,
        Value::Set(s) if s.iter().all(|e| matches!(e, Value::Indices(_))) => INDICES_SET,
        Value::Set(_) => OTHER_SET,
        Value::Func(_) => FUNC,
    }
}

/// Primitives whose every result has the declared type, whatever the arguments (a value that
/// Python or batt builds by a fixed constructor: a frozenset of locations, a grid, a count).
const BUILT: &[&str] = &[
    "equality",
    "contained",
    "combine",
    "intersection",
    "difference",
    "order",
    "repeat",
    "greater",
    "size",
    "initset",
    "positive",
    "sfilter",
    "totuple",
    "insert",
    "remove",
    "interval",
    "product",
    "pair",
    "compose",
    "chain",
    "matcher",
    "rbind",
    "lbind",
    "fork",
    "apply",
    "rapply",
    "papply",
    "prapply",
    "height",
    "width",
    "shape",
    "portrait",
    "colorcount",
    "sizefilter",
    "asindices",
    "ofcolor",
    "ulcorner",
    "urcorner",
    "llcorner",
    "lrcorner",
    "recolor",
    "shift",
    "normalize",
    "dneighbors",
    "ineighbors",
    "neighbors",
    "objects",
    "partition",
    "fgpartition",
    "uppermost",
    "lowermost",
    "leftmost",
    "rightmost",
    "square",
    "vline",
    "hline",
    "hmatching",
    "vmatching",
    "manhattan",
    "adjacent",
    "bordering",
    "centerofmass",
    "numcolors",
    "toobject",
    "asobject",
    "fill",
    "paint",
    "underfill",
    "underpaint",
    "subgrid",
    "center",
    "position",
    "canvas",
    "corners",
    "connect",
    "cover",
    "vfrontier",
    "hfrontier",
    "backdrop",
    "delta",
    "gravitate",
    "inbox",
    "outbox",
    "box",
    "shoot",
    "occurrences",
    "frontiers",
];

/// The kinds a call of `p` can return when its arguments have the kinds `args` (one mask each):
/// the declared result's where the arguments fit the declared parameters, or whatever the
/// arguments, for a primitive that builds its result ([`BUILT`]); anything otherwise. Where
/// arc-dsl's annotation understates the result even for fitting arguments, what Python
/// returns: `valmax` returns what its key returns, `mapply` and `mfilter` a container of the
/// kind they are given (`merge` keeps `type(containers)`). The degenerate empty results of a
/// few grid and pair primitives (`crop` outside the grid, `ulcorner` of an empty patch give
/// `()`) are not counted, as the annotations' kinds do not count them.
pub fn result_kinds(p: Prim, args: &[u32]) -> u32 {
    use kinds::*;
    let info = p.info();
    let arg = |k: usize| args.get(k).copied().unwrap_or(ALL);
    // the containers `type(c)(...)` makes from a container of kinds `c`
    let like = |c: u32| (if c & SETS != 0 { SETS } else { 0 }) | (if c & TUPLES != 0 { TUPLES } else { 0 });
    match info.name {
        "identity" => return arg(0),
        "branch" => return arg(1) | arg(2),
        "valmax" | "valmin" => return ALL,
        "mapply" => return like(arg(1)),
        "mfilter" => return like(arg(0)),
        _ => {}
    }
    let fits = info.params.iter().enumerate().all(|(k, &t)| arg(k) & !kinds(t) == 0);
    if fits || BUILT.contains(&info.name) {
        kinds(info.ret)
    } else {
        ALL
    }
}

/// The kinds of what `r` holds, given the kinds of the lines before it.
pub fn ref_kinds(r: Ref, lines: &[u32]) -> u32 {
    match r {
        Ref::I => kinds::GRID,
        Ref::S => kinds::SAMPLES,
        Ref::Line(k) => lines.get(k).copied().unwrap_or(kinds::ALL),
    }
}

/// The kinds of an argument, given the kinds of the lines before it.
pub fn arg_kinds(a: &Arg, lines: &[u32]) -> u32 {
    match a {
        Arg::Ref(r) => ref_kinds(*r, lines),
        Arg::Prim(_) => kinds::FUNC,
        Arg::Const(v) => kind(v),
    }
}

/// The kinds each line of a program can hold (a call of a function value: anything).
pub fn line_kinds(p: &Program) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::with_capacity(p.lines.len());
    for line in &p.lines {
        let k = match line.callee {
            Callee::Prim(q) => {
                let args: Vec<u32> = line.args.iter().map(|a| arg_kinds(a, &out)).collect();
                result_kinds(q, &args)
            }
            Callee::Ref(_) => kinds::ALL,
        };
        out.push(k);
    }
    out
}

/// Whether a value of type `actual` may be passed where `expected` is declared.
pub fn compatible(actual: Ty, expected: Ty) -> bool {
    kinds(actual) & kinds(expected) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_mismatches_are_rejected() {
        assert!(!compatible(Ty::Grid, Ty::Integer));
        assert!(!compatible(Ty::Callable, Ty::Patch));
        assert!(!compatible(Ty::Integer, Ty::Grid));
        assert!(!compatible(Ty::IntegerTuple, Ty::Boolean));
        assert!(!compatible(Ty::Samples, Ty::Grid));
    }

    fn prim(name: &str) -> Prim {
        Prim::by_name(name).unwrap()
    }

    #[test]
    fn results_follow_the_arguments() {
        use kinds::*;
        // fitting arguments: the annotation
        assert_eq!(result_kinds(prim("astuple"), &[INT, INT]), PAIR);
        assert_eq!(result_kinds(prim("rot90"), &[GRID]), GRID);
        // astuple of two grids is a tuple of grids, not an integer pair
        assert_eq!(result_kinds(prim("astuple"), &[GRID, GRID]), ALL);
        // valmax returns what its key returns (a pair for `shape`)
        assert_ne!(result_kinds(prim("valmax"), &[OBJECTS, FUNC]) & PAIR, 0);
        // mapply over a tuple merges into a tuple
        assert_ne!(result_kinds(prim("mapply"), &[FUNC, OTHER_TUPLE]) & OTHER_TUPLE, 0);
        assert_eq!(result_kinds(prim("mapply"), &[FUNC, OBJECTS]), SETS);
        // box of a tuple of locations (a grid of two columns) is still indices
        assert_eq!(result_kinds(prim("box"), &[GRID]), INDICES | EMPTY);
        assert_eq!(result_kinds(prim("identity"), &[CELL]), CELL);
    }

    #[test]
    fn unions_are_accepted() {
        assert!(compatible(Ty::Piece, Ty::Grid));
        assert!(compatible(Ty::Any, Ty::Callable));
        assert!(compatible(Ty::Object, Ty::Patch));
        assert!(compatible(Ty::Objects, Ty::Container));
        assert!(compatible(Ty::Boolean, Ty::Integer));
        assert!(compatible(Ty::Grid, Ty::Tuple));
        assert!(compatible(Ty::Numerical, Ty::IntegerTuple));
        assert!(compatible(Ty::FrozenSet, Ty::Objects));
    }
}
