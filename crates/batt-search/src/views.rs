//! Views of a task: the same task seen through a reversible change of its grids, searched
//! like any task. A program found for the view becomes a program for the task by computing
//! the view of `I` first and undoing the change at the end, so it stays plain solver syntax
//! that `batt verify` replays.
//!
//! The one view so far renumbers the background: batt's whole-image steps take colour 0 as
//! the background, so a task drawn on another colour is searched with each grid's colours
//! `mostcolor(I)` and 0 swapped (`switch(x, mostcolor(I), ZERO)`, its own inverse).

use batt_dsl::task::{Example, Task, Test};
use batt_dsl::{Ctx, Grid, Prim, Value};
use batt_prog::{Arg, Callee, Line, Program, Ref};

/// A reversible change of a task's grids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Every grid of a pair with its input's most common colour and 0 swapped.
    Background,
}

fn prim(name: &str) -> Prim {
    Prim::by_name(name).unwrap_or_else(|| panic!("{name} is in the signature table"))
}

/// `switch(g, c, 0)`.
fn swap_with_zero(g: &Grid, c: i32) -> Option<Grid> {
    match Ctx::default().apply(prim("switch"), &[Value::Grid(g.clone()), Value::Int(c), Value::Int(0)]) {
        Ok(Value::Grid(x)) => Some(x),
        _ => None,
    }
}

fn mostcolor(g: &Grid) -> i32 {
    g.mostcolor() as i32
}

impl View {
    /// Every view worth searching for `task` (none when it would not change the task).
    pub fn all_for(task: &Task) -> Vec<View> {
        let mut v = vec![];
        let inputs = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input));
        if inputs.clone().any(|g| mostcolor(g) != 0) {
            v.push(View::Background);
        }
        v
    }

    /// The task seen through this view (`None` when a grid cannot be changed).
    pub fn apply(self, task: &Task) -> Option<Task> {
        match self {
            View::Background => {
                let mut train = Vec::with_capacity(task.train.len());
                for p in &task.train {
                    let c = mostcolor(&p.input);
                    train.push(Example { input: swap_with_zero(&p.input, c)?, output: swap_with_zero(&p.output, c)? });
                }
                let mut test = Vec::with_capacity(task.test.len());
                for t in &task.test {
                    let c = mostcolor(&t.input);
                    let output = match &t.output {
                        Some(o) => Some(swap_with_zero(o, c)?),
                        None => None,
                    };
                    test.push(Test { input: swap_with_zero(&t.input, c)?, output });
                }
                Some(Task { id: task.id.clone(), train, test })
            }
        }
    }

    /// The program for the task that runs `p`, a program for the view, between the view's
    /// change and its inverse.
    pub fn wrap(self, p: &Program) -> Program {
        match self {
            View::Background => {
                let zero = Arg::Const(Value::Int(0));
                let mut lines = vec![
                    Line { callee: Callee::Prim(prim("mostcolor")), args: vec![Arg::Ref(Ref::I)] },
                    Line {
                        callee: Callee::Prim(prim("switch")),
                        args: vec![Arg::Ref(Ref::I), Arg::Ref(Ref::Line(0)), zero.clone()],
                    },
                ];
                let shift = |r: Ref| match r {
                    Ref::I => Ref::Line(1),
                    Ref::Line(k) => Ref::Line(k + 2),
                    Ref::S => Ref::S,
                };
                lines.extend(p.lines.iter().map(|l| l.map_refs(shift)));
                lines.push(Line {
                    callee: Callee::Prim(prim("switch")),
                    args: vec![Arg::Ref(shift(p.ret)), Arg::Ref(Ref::Line(0)), zero],
                });
                let ret = Ref::Line(lines.len() - 1);
                Program { name: p.name.clone(), uses_s: p.uses_s, lines, ret }
            }
        }
    }
}
