//! batt-dsl: the values, grids and primitives of arc-dsl in compact Rust form, with one
//! signature table that the rest of batt reads.

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
