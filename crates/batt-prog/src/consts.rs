//! arc-dsl's named constants.

use batt_dsl::Value;

/// Every constant name with its value, in arc-dsl's `constants.py` order.
pub const CONSTANTS: &[(&str, C)] = &[
    ("F", C::Bool(false)),
    ("T", C::Bool(true)),
    ("ZERO", C::Int(0)),
    ("ONE", C::Int(1)),
    ("TWO", C::Int(2)),
    ("THREE", C::Int(3)),
    ("FOUR", C::Int(4)),
    ("FIVE", C::Int(5)),
    ("SIX", C::Int(6)),
    ("SEVEN", C::Int(7)),
    ("EIGHT", C::Int(8)),
    ("NINE", C::Int(9)),
    ("TEN", C::Int(10)),
    ("NEG_ONE", C::Int(-1)),
    ("NEG_TWO", C::Int(-2)),
    ("DOWN", C::Pair(1, 0)),
    ("RIGHT", C::Pair(0, 1)),
    ("UP", C::Pair(-1, 0)),
    ("LEFT", C::Pair(0, -1)),
    ("ORIGIN", C::Pair(0, 0)),
    ("UNITY", C::Pair(1, 1)),
    ("NEG_UNITY", C::Pair(-1, -1)),
    ("UP_RIGHT", C::Pair(-1, 1)),
    ("DOWN_LEFT", C::Pair(1, -1)),
    ("ZERO_BY_TWO", C::Pair(0, 2)),
    ("TWO_BY_ZERO", C::Pair(2, 0)),
    ("TWO_BY_TWO", C::Pair(2, 2)),
    ("THREE_BY_THREE", C::Pair(3, 3)),
];

/// A constant's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum C {
    Bool(bool),
    Int(i32),
    Pair(i32, i32),
}

impl C {
    pub fn value(self) -> Value {
        match self {
            C::Bool(b) => Value::Bool(b),
            C::Int(x) => Value::Int(x),
            C::Pair(a, b) => Value::Pair(a, b),
        }
    }
}

/// The value of a named constant.
pub fn lookup(name: &str) -> Option<Value> {
    CONSTANTS.iter().find(|(n, _)| *n == name).map(|(_, c)| c.value())
}

/// The name of a constant value, when arc-dsl has one (`True` is `T`, 1 is `ONE`, ...).
pub fn name_of(v: &Value) -> Option<&'static str> {
    let c = match *v {
        Value::Bool(b) => C::Bool(b),
        Value::Int(x) => C::Int(x),
        Value::Pair(a, b) => C::Pair(a, b),
        _ => return None,
    };
    CONSTANTS.iter().find(|(_, k)| *k == c).map(|(n, _)| *n)
}
