//! Running a program on an input grid (and the demo pairs `S`).

use crate::ast::{Arg, Callee, Program, Ref};
use batt_dsl::{Ctx, Fail, Value};
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
/// evaluated, as arc-dsl does, so a failing line fails the run even when its value is unused.
pub fn run(p: &Program, i: &Value, s: Option<&Value>, ctx: &mut Ctx) -> Result<Value, RunError> {
    let mut vals: Vec<Value> = Vec::with_capacity(p.lines.len());
    let missing_s = RunError { line: None, fail: Fail::Type("the program reads S but no demo pairs were given") };
    if p.uses_s && s.is_none() {
        return Err(missing_s);
    }
    let get = |vals: &[Value], r: Ref| -> Value {
        match r {
            Ref::I => i.clone(),
            Ref::S => s.cloned().unwrap_or_else(Value::empty_tuple),
            Ref::Line(k) => vals[k].clone(),
        }
    };
    let mut args: Vec<Value> = Vec::with_capacity(4);
    for (k, line) in p.lines.iter().enumerate() {
        args.clear();
        for a in &line.args {
            args.push(match a {
                Arg::Ref(r) => get(&vals, *r),
                Arg::Prim(q) => Value::prim(*q),
                Arg::Const(v) => v.clone(),
            });
        }
        let v = match line.callee {
            Callee::Prim(q) => ctx.apply(q, &args),
            Callee::Ref(r) => {
                let f = get(&vals, r);
                ctx.call(&f, &args)
            }
        }
        .map_err(|fail| RunError { line: Some(k), fail })?;
        vals.push(v);
    }
    Ok(get(&vals, p.ret))
}
