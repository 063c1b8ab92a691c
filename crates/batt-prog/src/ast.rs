//! Programs: straight-line calls, each line referring to the inputs and earlier lines.

use batt_dsl::{Prim, Value};

/// A value a line can read: the task input `I`, the demo pairs `S`, or an earlier line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    I,
    S,
    Line(usize),
}

/// An argument of a call.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Arg {
    Ref(Ref),
    /// A primitive passed as a function value.
    Prim(Prim),
    /// A constant (an integer, a boolean or an integer pair).
    Const(Value),
}

/// What a line calls: a primitive, or a function value held by a variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    Prim(Prim),
    Ref(Ref),
}

/// One line: `x_k = callee(args...)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Line {
    pub callee: Callee,
    pub args: Vec<Arg>,
}

/// A program `def solve_<name>(I)` (or `(S, I)` when it reads the demo pairs).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Program {
    /// The task id (the function is `solve_<name>`).
    pub name: String,
    /// Whether the program takes `S`.
    pub uses_s: bool,
    pub lines: Vec<Line>,
    /// What the program returns.
    pub ret: Ref,
}

impl Line {
    /// The same call with every reference (callee included) passed through `f`.
    pub fn map_refs(&self, f: impl Fn(Ref) -> Ref) -> Line {
        let callee = match self.callee {
            Callee::Ref(r) => Callee::Ref(f(r)),
            c => c,
        };
        let args = self
            .args
            .iter()
            .map(|a| match a {
                Arg::Ref(r) => Arg::Ref(f(*r)),
                a => a.clone(),
            })
            .collect();
        Line { callee, args }
    }

    /// The references this line reads (callee included).
    pub fn refs(&self) -> impl Iterator<Item = Ref> + '_ {
        let callee = match self.callee {
            Callee::Ref(r) => Some(r),
            Callee::Prim(_) => None,
        };
        callee.into_iter().chain(self.args.iter().filter_map(|a| match a {
            Arg::Ref(r) => Some(*r),
            _ => None,
        }))
    }

    /// The lines this line reads (callee first, then the arguments in order): what
    /// [`crate::slice::slice`] walks.
    pub fn reads(&self) -> impl Iterator<Item = usize> + '_ {
        self.refs().filter_map(|r| match r {
            Ref::Line(k) => Some(k),
            _ => None,
        })
    }
}

/// The function name of a solver of `task`: `solve_<task>`, or `solve` for no task.
pub fn solver_name(task: &str) -> String {
    if task.is_empty() {
        "solve".to_string()
    } else {
        format!("solve_{task}")
    }
}
