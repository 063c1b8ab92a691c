//! Writing programs in arc-dsl syntax with canonical variable names: line k is `x{k+1}`,
//! except the returned line, which is `O`.

use crate::ast::{Arg, Callee, Program, Ref};
use crate::consts;
use batt_dsl::Value;
use std::fmt::Write;

fn ref_name(p: &Program, r: Ref) -> String {
    match r {
        Ref::I => "I".into(),
        Ref::S => "S".into(),
        Ref::Line(k) if p.ret == Ref::Line(k) => "O".into(),
        Ref::Line(k) => format!("x{}", k + 1),
    }
}

fn const_text(v: &Value) -> String {
    if let Some(n) = consts::name_of(v) {
        return n.into();
    }
    match v {
        Value::Int(x) => x.to_string(),
        Value::Pair(a, b) => format!("({a}, {b})"),
        Value::Grid(g) => py_tuple(g.rows().map(|r| py_tuple(r.iter().map(|x| x.to_string())))),
        v => v.canon_text(),
    }
}

/// Python's text of a tuple of these items: `(a, b)`, `(a,)` for one.
fn py_tuple(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

/// The text of one argument.
pub fn arg_text(p: &Program, a: &Arg) -> String {
    match a {
        Arg::Ref(r) => ref_name(p, *r),
        Arg::Prim(q) => q.name().into(),
        Arg::Const(v) => const_text(v),
    }
}

/// A program as arc-dsl source.
pub fn print(p: &Program) -> String {
    let mut s = String::new();
    let params = if p.uses_s { "S, I" } else { "I" };
    let _ = writeln!(s, "def {}({params}):", crate::ast::solver_name(&p.name));
    for (k, line) in p.lines.iter().enumerate() {
        let callee = match line.callee {
            Callee::Prim(q) => q.name().to_string(),
            Callee::Ref(r) => ref_name(p, r),
        };
        let args: Vec<String> = line.args.iter().map(|a| arg_text(p, a)).collect();
        let _ = writeln!(s, "    {} = {callee}({})", ref_name(p, Ref::Line(k)), args.join(", "));
    }
    let _ = writeln!(s, "    return {}", ref_name(p, p.ret));
    s
}
