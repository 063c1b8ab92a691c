//! The implementations of the primitives, grouped by what they work on. Each is a small pure
//! function `fn(&mut Ctx, &[Value]) -> Res<Value>` with a one-line doc comment, registered in
//! [`crate::table::PRIMS`].

pub mod basic;
pub mod ext;
pub mod grid;
pub mod image;
pub mod patch;
