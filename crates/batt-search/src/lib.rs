//! batt-search: the search for programs: bottom-up enumeration per task ([`enumerate`]),
//! resumable and scheduled over many tasks at once ([`schedule`]), views of a task
//! ([`views`]), and the card, which proposes variants of solvers already found ([`mutate`]).

pub mod card;
pub mod enumerate;
pub mod mutate;
pub mod schedule;
pub mod views;

pub use mutate::variants;
