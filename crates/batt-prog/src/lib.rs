//! batt-prog: programs in arc-dsl's solver syntax.
//!
//! ```text
//! def solve_0a1b2c3d(I):
//!     x1 = objects(I, T, F, T)
//!     x2 = argmax(x1, size)
//!     O = subgrid(x2, I)
//!     return O
//! ```
//!
//! [`parse`] reads files of such functions and checks every line against the signature table
//! (names, arity; types are arc-dsl's documentation, as in Python, see [`check`]), [`print`] writes them back with canonical variable names, [`interp`] runs them and
//! [`verify`] replays solvers on their tasks.

pub mod ast;
pub mod canon;
pub mod check;
pub mod consts;
pub mod interp;
pub mod parse;
pub mod print;
pub mod slice;
pub mod verify;

pub use ast::{Arg, Callee, Line, Program, Ref};
pub use interp::{run, RunError};
pub use parse::{parse_bytes, parse_file, parse_str, Parsed, ProgError, SourceFile};
pub use print::print;
