//! batt-search: the search for programs: bottom-up enumeration per task ([`enumerate`]),
//! resumable and scheduled over many tasks at once ([`schedule`]), views of a task
//! ([`views`]), and the card, which proposes variants of solvers already found ([`mutate`]);
//! and the three ways of solving tasks into a library that the command and the Python module
//! call ([`solve`]: one battery, generations, the whole search within a time budget).
//!
//! ```
//! // the card: solvers already found and their well-typed variants, as one battery
//! let src = batt_prog::parse_str("def solve_t(I):\n    x1 = rot90(I)\n    O = vmirror(x1)\n    return O\n", "t.py");
//! let programs: Vec<batt_prog::Program> = src.programs.into_iter().map(|p| p.program).collect();
//! let battery = batt_search::card::build(&programs, 200);
//! assert!(battery.candidates().len() > 1);
//! ```

pub mod card;
pub mod enumerate;
pub mod memory;
pub mod mutate;
pub mod schedule;
pub mod solve;
pub mod views;

pub use mutate::variants;
