//! batt-search: the card, which proposes candidate programs: variants of solvers already found
//! ([`mutate`]) and, later, enumerated compositions.

pub mod card;
pub mod enumerate;
pub mod mutate;

pub use mutate::variants;
