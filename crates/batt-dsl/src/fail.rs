//! Why a primitive call fails. A failure kills one node on one pair; it is never an error of
//! a whole run, so it is a small `Copy` value with a static message.

/// A failed primitive call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Fail {
    /// An argument of the wrong kind (the program is ill-typed for this value).
    #[error("type error: {0}")]
    Type(&'static str),
    /// A precondition of the primitive does not hold (empty container, no such element, ...).
    #[error("{0}")]
    Domain(&'static str),
    /// A value would grow past batt's size limits (grid side or cells, packed coordinates,
    /// integer overflow, container size).
    #[error("size limit: {0}")]
    Limit(&'static str),
    /// The evaluation step budget is spent.
    #[error("step budget spent")]
    Budget,
}

/// Shorthand for a fallible result.
pub type Res<T> = Result<T, Fail>;
