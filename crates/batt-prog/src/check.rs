//! Type checking against the signature table.
//!
//! arc-dsl's annotations are loose unions (`Piece` is a grid or a patch, `Any` is anything),
//! so each type is read as the set of concrete kinds of value it admits, and an argument is
//! accepted when its type and the parameter's type share a kind. That rejects every clear
//! mismatch (a grid where an integer is wanted, a function where a patch is wanted) and never
//! a program that arc-dsl runs.

use batt_dsl::{Ty, Value};

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
