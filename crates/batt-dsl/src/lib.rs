//! batt-dsl: the values, grids and primitives of arc-dsl in compact Rust form, with one
//! signature table that the rest of batt reads, and ARC task loading.
//!
//! ```
//! use batt_dsl::{Ctx, Grid, Prim, Value};
//!
//! // arc-dsl's `rot90` on a 2 × 2 grid, by name from the signature table
//! let rot90 = Prim::by_name("rot90").unwrap();
//! let grid = Value::Grid(Grid::new(2, 2, vec![1, 2, 3, 4]).unwrap());
//! let turned = Ctx::default().apply(rot90, &[grid]).unwrap();
//! assert_eq!(turned, Value::Grid(Grid::new(2, 2, vec![3, 1, 4, 2]).unwrap()));
//! // a failing call is a value of its own, never a panic
//! assert!(Ctx::default().apply(rot90, &[Value::Int(7)]).is_err());
//! ```
//!
//! Tasks load from a directory of task files, one task file or a Kaggle challenges file; a bad
//! file or pair is reported and the rest loads:
//!
//! ```no_run
//! let loaded = batt_dsl::task::load("data/arc-agi-1/training".as_ref());
//! for e in &loaded.errors {
//!     eprintln!("{e}");
//! }
//! let s = loaded.tasks[0].samples(); // the demo pairs, as the value `S`
//! ```

pub mod fail;
pub mod func;
pub mod grid;
pub mod json;
pub mod pack;
pub mod prims;
pub mod pyset;
pub mod table;
pub mod task;
pub mod value;

pub use fail::{Fail, Res};
pub use func::{Ctx, Func, Hof};
pub use grid::Grid;
pub use pack::{Cell, Loc};
pub use table::{Prim, PrimInfo, Ty, PRIMS};
pub use value::{Patch, PatchBuf, Value};
