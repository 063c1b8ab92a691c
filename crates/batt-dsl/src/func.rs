//! Function values and calling them.
//!
//! A function value is either a primitive passed by name (`size`, `rot90`, ...) or the result
//! of one of arc-dsl's higher-order constructors (`compose`, `chain`, `fork`, `lbind`,
//! `rbind`, `matcher`, `power`) together with the arguments it was built from. Two function
//! values are equal when they are built the same way (arc-dsl compares lambdas by identity;
//! structural equality is the deterministic reading of that).

use crate::fail::{Fail, Res};
use crate::grid::mix64;
use crate::table::Prim;
use crate::value::{py_eq, Value};
use std::sync::Arc;

/// arc-dsl's higher-order constructors.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Hof {
    Compose,
    Chain,
    Fork,
    Lbind,
    Rbind,
    Matcher,
    Power,
}

impl Hof {
    /// The constructor's name in arc-dsl.
    pub fn name(self) -> &'static str {
        match self {
            Hof::Compose => "compose",
            Hof::Chain => "chain",
            Hof::Fork => "fork",
            Hof::Lbind => "lbind",
            Hof::Rbind => "rbind",
            Hof::Matcher => "matcher",
            Hof::Power => "power",
        }
    }
}

/// A function value.
#[derive(PartialEq, Eq, Hash)]
pub enum Func {
    /// A primitive passed by name.
    Prim(Prim),
    /// What a higher-order constructor returned for these arguments.
    Built(Hof, Box<[Value]>),
}

impl Func {
    pub fn fp(&self) -> u64 {
        match self {
            Func::Prim(p) => mix64(11, p.0 as u64),
            Func::Built(h, args) => args.iter().fold(mix64(12, *h as u64), |acc, v| mix64(acc, v.fp())),
        }
    }

    pub fn write_canon(&self, out: &mut String) {
        match self {
            Func::Prim(p) => {
                out.push_str("{\"fn\":\"");
                out.push_str(p.name());
                out.push_str("\"}");
            }
            Func::Built(h, args) => {
                out.push_str("{\"args\":[");
                for (k, a) in args.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    a.write_canon(out);
                }
                out.push_str("],\"fn\":\"");
                out.push_str(h.name());
                out.push_str("\"}");
            }
        }
    }
}

impl Value {
    /// The primitive `p` as a function value.
    pub fn prim(p: Prim) -> Value {
        Value::Func(Arc::new(Func::Prim(p)))
    }

    /// The function value a higher-order constructor returns.
    pub fn built(h: Hof, args: &[Value]) -> Value {
        Value::Func(Arc::new(Func::Built(h, args.into())))
    }

    /// How many arguments a function value takes (Python's `co_argcount`).
    pub fn arity(&self) -> Res<usize> {
        match self {
            Value::Func(f) => match &**f {
                Func::Prim(p) => Ok(p.info().params.len()),
                Func::Built(Hof::Lbind | Hof::Rbind, args) => Ok(match args[0].arity()? {
                    2 => 1,
                    3 => 2,
                    _ => 3,
                }),
                Func::Built(..) => Ok(1),
            },
            _ => Err(Fail::Type("expected a function")),
        }
    }
}

/// Default number of primitive applications one evaluation may spend.
pub const DEFAULT_STEPS: u64 = 1 << 22;

/// The state of one evaluation: the step budget that bounds it.
#[derive(Debug, Clone)]
pub struct Ctx {
    steps: u64,
}

impl Default for Ctx {
    fn default() -> Ctx {
        Ctx::new(DEFAULT_STEPS)
    }
}

impl Ctx {
    /// A context that allows `steps` primitive applications.
    pub fn new(steps: u64) -> Ctx {
        Ctx { steps }
    }

    /// Steps left.
    pub fn steps_left(&self) -> u64 {
        self.steps
    }

    /// Spends one step.
    #[inline]
    pub fn tick(&mut self) -> Res<()> {
        if self.steps == 0 {
            return Err(Fail::Budget);
        }
        self.steps -= 1;
        Ok(())
    }

    /// Spends `n` steps at once: a primitive about to build `n` elements charges them before
    /// doing the work, so the budget bounds time and memory, not only calls.
    #[inline]
    pub fn charge(&mut self, n: u64) -> Res<()> {
        if self.steps < n {
            self.steps = 0;
            return Err(Fail::Budget);
        }
        self.steps -= n;
        Ok(())
    }

    /// Applies primitive `p` to `args`.
    #[inline]
    pub fn apply(&mut self, p: Prim, args: &[Value]) -> Res<Value> {
        self.tick()?;
        let info = p.info();
        if info.params.len() != args.len() {
            return Err(Fail::Type("wrong number of arguments"));
        }
        (info.f)(self, args)
    }

    /// Calls a function value.
    pub fn call(&mut self, f: &Value, args: &[Value]) -> Res<Value> {
        let Value::Func(func) = f else {
            return Err(Fail::Type("called a value that is not a function"));
        };
        match &**func {
            Func::Prim(p) => self.apply(*p, args),
            Func::Built(h, fa) => {
                self.tick()?;
                let one = || -> Res<&Value> {
                    match args {
                        [x] => Ok(x),
                        _ => Err(Fail::Type("wrong number of arguments")),
                    }
                };
                match h {
                    Hof::Compose => {
                        let y = self.call(&fa[1], std::slice::from_ref(one()?))?;
                        self.call(&fa[0], &[y])
                    }
                    Hof::Chain => {
                        let y = self.call(&fa[2], std::slice::from_ref(one()?))?;
                        let y = self.call(&fa[1], &[y])?;
                        self.call(&fa[0], &[y])
                    }
                    Hof::Fork => {
                        let x = one()?;
                        let a = self.call(&fa[1], std::slice::from_ref(x))?;
                        let b = self.call(&fa[2], std::slice::from_ref(x))?;
                        self.call(&fa[0], &[a, b])
                    }
                    Hof::Matcher => {
                        let y = self.call(&fa[0], std::slice::from_ref(one()?))?;
                        Ok(Value::Bool(py_eq(&y, &fa[1])))
                    }
                    Hof::Lbind | Hof::Rbind => {
                        if args.len() != f.arity()? {
                            return Err(Fail::Type("wrong number of arguments"));
                        }
                        let mut all = Vec::with_capacity(args.len() + 1);
                        if *h == Hof::Lbind {
                            all.push(fa[1].clone());
                            all.extend_from_slice(args);
                        } else {
                            all.extend_from_slice(args);
                            all.push(fa[1].clone());
                        }
                        self.call(&fa[0], &all)
                    }
                    Hof::Power => {
                        let n = fa[1].as_int()?;
                        let mut y = one()?.clone();
                        for _ in 0..n {
                            y = self.call(&fa[0], &[y])?;
                        }
                        Ok(y)
                    }
                }
            }
        }
    }
}

/// compose: function composition
pub fn compose(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::built(Hof::Compose, a))
}

/// chain: function composition with three functions
pub fn chain(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::built(Hof::Chain, a))
}

/// matcher: construction of equality function
pub fn matcher(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::built(Hof::Matcher, a))
}

/// rbind: fix the rightmost argument
pub fn rbind(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    a[0].arity()?;
    Ok(Value::built(Hof::Rbind, a))
}

/// lbind: fix the leftmost argument
pub fn lbind(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    a[0].arity()?;
    Ok(Value::built(Hof::Lbind, a))
}

/// power: the function applied n times (n >= 1)
pub fn power(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    match a[1].as_int()? {
        1 => Ok(a[0].clone()),
        n if n > 1 => Ok(Value::built(Hof::Power, &[a[0].clone(), Value::Int(n)])),
        _ => Err(Fail::Domain("power of a function below 1")),
    }
}

/// fork: creates a wrapper function
pub fn fork(_: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::built(Hof::Fork, a))
}
