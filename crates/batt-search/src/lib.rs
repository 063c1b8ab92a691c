//! batt-search: the search for programs: bottom-up enumeration per task ([`enumerate`]),
//! resumable and scheduled over many tasks at once ([`schedule`]), views of a task
//! ([`views`]), and the card, which proposes variants of solvers already found ([`mutate`]);
//! and the three ways of solving tasks into a library that the command and the Python module
//! call ([`solve`]: one battery, generations, the whole search within a time budget).

pub mod card;
pub mod enumerate;
pub mod mutate;
pub mod schedule;
pub mod solve;
pub mod views;

pub use mutate::variants;
