//! Strategies the property tests share.

use batt_dsl::{Grid, Value};
use proptest::prelude::*;

/// Random grids 1..=max × 1..=max over colours 0..k, with 2 ≤ k ≤ `colours` (few colours, so
/// that 0 cells and objects of several cells are common).
pub fn grids(max: usize, colours: i8) -> impl Strategy<Value = Value> {
    (1..=max, 1..=max, 2..=colours).prop_flat_map(|(h, w, k)| {
        proptest::collection::vec(0..k, h * w)
            .prop_map(move |cells| Value::Grid(Grid::new(h, w, cells).expect("valid grid")))
    })
}
