//! Views of a task: the same task seen through a reversible change of its grids, searched
//! like any task. A program found for the view becomes a program for the task by computing
//! the view of `I` first and undoing the change at the end, so it stays plain solver syntax
//! that `batt verify` replays.
//!
//! Two views:
//! - the background: batt's whole-image steps take colour 0 as the background, so a task
//!   drawn on another colour is searched with each grid's colours `mostcolor(I)` and 0
//!   swapped (`switch(x, mostcolor(I), ZERO)`, its own inverse);
//! - colour roles: a task whose pairs draw the same roles in different colours is searched
//!   with each pair's colours renumbered by their count in its input (`roles(I, M)`, undone by
//!   `unroles(I, M, x)`), so a program can name a role by a constant colour. The colours of
//!   the mask `M` keep their number: those every output has and no input, those every input
//!   has and no output, and all of the outputs' colours when every output has the same ones.

use batt_dsl::prims::image;
use batt_dsl::task::{Example, Task, Test};
use batt_dsl::{Ctx, Grid, Prim, Value};
use batt_prog::{Arg, Callee, Line, Program, Ref};

/// A reversible change of a task's grids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// Every grid of a pair with its input's most common colour and 0 swapped.
    Background,
    /// Every grid of a pair with its colours renumbered by their role in its input
    /// (`roles(I, mask)`); the colours of the mask keep their number.
    Roles(u16),
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

/// The colours 0–9 of a grid, as a bit mask.
fn colour_mask(g: &Grid) -> u16 {
    g.cells().iter().filter(|&&c| (0..10).contains(&c)).fold(0, |m, &c| m | 1 << c)
}

/// The colours that keep their number in the roles view of a task: those every output has and
/// no input has, those every input has and no output has, and all of the outputs' colours
/// when every output has the same ones.
fn fixed_colours(task: &Task) -> u16 {
    let (mut in_or, mut in_and, mut out_or, mut out_and) = (0u16, 0x3ff, 0u16, 0x3ff);
    for p in &task.train {
        let (i, o) = (colour_mask(&p.input), colour_mask(&p.output));
        (in_or, in_and, out_or, out_and) = (in_or | i, in_and & i, out_or | o, out_and & o);
    }
    let new = if out_or == out_and { out_and } else { out_and & !in_or };
    new | (in_and & !out_or)
}

impl View {
    /// Every view worth searching for `task` (none when it would not change the task).
    pub fn all_for(task: &Task) -> Vec<View> {
        let mut v = vec![];
        let inputs = task.train.iter().map(|p| &p.input).chain(task.test.iter().map(|t| &t.input));
        if inputs.clone().any(|g| mostcolor(g) != 0) {
            v.push(View::Background);
        }
        // Roles only when the pairs give them different colours: otherwise the view is one
        // fixed renumbering of the task, which constants already express.
        let mask = fixed_colours(task);
        let maps: Vec<_> = inputs.filter_map(|g| image::role_map(g, mask as i32).ok()).collect();
        if maps.windows(2).any(|w| w[0] != w[1]) {
            v.push(View::Roles(mask));
        }
        v
    }

    /// The task seen through this view (`None` when a grid cannot be changed).
    pub fn apply(self, task: &Task) -> Option<Task> {
        // grid `x` of the pair whose input is `i`, seen through the view
        let see = |i: &Grid, x: &Grid| match self {
            View::Background => swap_with_zero(x, mostcolor(i)),
            View::Roles(m) => image::renumber(x, &image::role_map(i, m as i32).ok()?).ok(),
        };
        let mut train = Vec::with_capacity(task.train.len());
        for p in &task.train {
            train.push(Example { input: see(&p.input, &p.input)?, output: see(&p.input, &p.output)? });
        }
        let mut test = Vec::with_capacity(task.test.len());
        for t in &task.test {
            let output = match &t.output {
                Some(o) => Some(see(&t.input, o)?),
                None => None,
            };
            test.push(Test { input: see(&t.input, &t.input)?, output });
        }
        Some(Task { id: task.id.clone(), train, test })
    }

    /// The program for the task that runs `p`, a program for the view, between the view's
    /// change and its inverse.
    pub fn wrap(self, p: &Program) -> Program {
        let call = |name: &str, args: Vec<Arg>| Line { callee: Callee::Prim(prim(name)), args };
        // the lines that compute the view of `I` (the last is it), and the undoing of `x`
        let (mut lines, undo): (Vec<Line>, Box<dyn Fn(Arg) -> Line>) = match self {
            View::Background => {
                let zero = || Arg::Const(Value::Int(0));
                let seen = vec![
                    call("mostcolor", vec![Arg::Ref(Ref::I)]),
                    call("switch", vec![Arg::Ref(Ref::I), Arg::Ref(Ref::Line(0)), zero()]),
                ];
                (seen, Box::new(move |x| call("switch", vec![x, Arg::Ref(Ref::Line(0)), zero()])))
            }
            View::Roles(m) => {
                let mask = move || Arg::Const(Value::Int(m as i32));
                let seen = vec![call("roles", vec![Arg::Ref(Ref::I), mask()])];
                (seen, Box::new(move |x| call("unroles", vec![Arg::Ref(Ref::I), mask(), x])))
            }
        };
        let n = lines.len();
        let shift = |r: Ref| match r {
            Ref::I => Ref::Line(n - 1),
            Ref::Line(k) => Ref::Line(k + n),
            Ref::S => Ref::S,
        };
        lines.extend(p.lines.iter().map(|l| l.map_refs(shift)));
        lines.push(undo(Arg::Ref(shift(p.ret))));
        let ret = Ref::Line(lines.len() - 1);
        Program { name: p.name.clone(), uses_s: p.uses_s, lines, ret }
    }
}
