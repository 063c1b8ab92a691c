//! batt-prog: programs in arc-dsl's solver syntax, and the battery that runs them.
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
//! (names, arity; types are arc-dsl's documentation, as in Python, see [`check`]),
//! [`print`](mod@print) writes them back with canonical variable names, [`canon`] gives the
//! canonical form (the program merged into a battery and sliced back, by the one backward
//! slicing routine, [`slice`](mod@slice)) and [`verify`]
//! replays solvers on their tasks.
//!
//! A [`Battery`] is a hash-consed program with many outputs: programs merged into it share
//! their identical lines. Its evaluator, the [`Plan`], runs it over many inputs (what
//! batt-engine's backends do) or, as arc-dsl runs a program, in order until the first failure;
//! [`run`] (the interpreter) is that on a battery of one program.
//!
//! ```
//! use batt_dsl::{Ctx, Grid, Value};
//!
//! let src = batt_prog::parse_str("def solve_t(I):\n    x1 = rot90(I)\n    O = rot90(x1)\n    return O\n", "t.py");
//! assert!(src.errors.is_empty());
//! let program = &src.programs[0].program;
//! let input = Value::Grid(Grid::new(1, 2, vec![1, 2]).unwrap());
//! let out = batt_prog::run(program, &input, None, &mut Ctx::default()).unwrap();
//! assert_eq!(out, Value::Grid(Grid::new(1, 2, vec![2, 1]).unwrap()));
//! print!("{}", batt_prog::print(program));
//!
//! // every problem is reported with its file and line, and the other functions still load
//! let bad = batt_prog::parse_str("def solve_u(I):\n    O = rot91(I)\n    return O\n", "u.py");
//! assert_eq!(bad.errors[0].to_string(), "u.py:2: in solve_u: unknown primitive `rot91`");
//! ```

pub mod ast;
pub mod battery;
pub mod canon;
pub mod check;
pub mod consts;
pub mod interp;
pub mod parse;
pub mod plan;
pub mod print;
pub mod slice;
pub mod verify;

pub use ast::{Arg, Callee, Line, Program, Ref};
pub use battery::{Battery, NodeId, Operand};
pub use interp::{run, RunError};
pub use parse::{parse_bytes, parse_file, parse_str, Parsed, ProgError, SourceFile};
pub use plan::Plan;
pub use print::print;
