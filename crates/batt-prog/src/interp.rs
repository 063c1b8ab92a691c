//! Running a program on an input grid (and the demo pairs `S`): the interpreter.

use crate::ast::Program;
use crate::battery::{Battery, NodeId, Operand};
use crate::plan::Plan;
use batt_dsl::{Ctx, Fail, Value};
use std::cell::RefCell;
use std::fmt;

/// Why a run failed: the line (0-based index into the program's lines) and the failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunError {
    pub line: Option<usize>,
    pub fail: Fail,
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(k) => write!(f, "line x{}: {}", k + 1, self.fail),
            None => write!(f, "{}", self.fail),
        }
    }
}

impl std::error::Error for RunError {}

/// Runs `p` on input `i`; `s` is the demo pairs for programs that read `S`. Every line is
/// evaluated, as arc-dsl does, so a failing line fails the run even when its value is unused;
/// `ctx`'s budget is spent across the whole run.
///
/// This is the battery's evaluator ([`Plan::run_strict`]) on a battery of one program:
/// identical lines are merged into one node, evaluated (and charged to `ctx`) once, and a
/// failure is reported at the first line of its node.
pub fn run(p: &Program, i: &Value, s: Option<&Value>, ctx: &mut Ctx) -> Result<Value, RunError> {
    if p.uses_s && s.is_none() {
        return Err(RunError { line: None, fail: Fail::Type("the program reads S but no demo pairs were given") });
    }
    let empty;
    let samples = match s {
        Some(s) => s,
        None => {
            empty = Value::empty_tuple();
            &empty
        }
    };
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => run_in(&mut scratch, p, i, samples, ctx),
        // only a run inside a run finds it taken
        Err(_) => run_in(&mut Scratch::default(), p, i, samples, ctx),
    })
}

/// What a thread's runs reuse: a battery, the node of each line, and the buffers of a strict
/// run (a run of a short program would otherwise spend about as long allocating them as
/// evaluating it).
#[derive(Default)]
struct Scratch {
    battery: Battery,
    nodes: Vec<NodeId>,
    vals: Vec<Value>,
    args: Vec<Value>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// [`run`] in a thread's scratch.
fn run_in(scratch: &mut Scratch, p: &Program, i: &Value, s: &Value, ctx: &mut Ctx) -> Result<Value, RunError> {
    let Scratch { battery, nodes, vals, args } = scratch;
    battery.clear();
    nodes.clear();
    battery.add_lines(&p.lines, nodes);
    let end = Operand::of_ref(p.ret, nodes);
    Plan::new(battery).run_strict_in(i, s, ctx, &end, vals, args).map_err(|(n, fail)| {
        // a fresh battery numbers its nodes in the order of their first lines
        RunError { line: nodes.iter().position(|&m| m == n), fail }
    })
}
