//! The one evaluator of straight-line code: a [`Battery`] prepared for evaluation.
//!
//! [`Plan::eval`] evaluates one node on one input; the rest is a matter of order and budget.
//! [`Plan::run_strict`] is arc-dsl's semantics (every node in order under one step budget, the
//! first failure ends the run): the interpreter, [`crate::run`], is it on a battery of one
//! program. [`Plan::run`] keeps going past failures with a budget per node (a failed node is
//! *dead* on that input, and so is every node that reads it), freeing each value after the
//! last node that reads it; a backend evaluates one node over many inputs with
//! [`Plan::eval_node`], freeing as [`Plan::frees`] says.

use crate::battery::{Battery, NodeId, Op, Operand, Var};
use batt_dsl::{Ctx, Fail, Res, Value};
use std::sync::OnceLock;

/// Why a node has no value on an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dead {
    /// An argument has no value: the node was not evaluated.
    Operand,
    /// The node was evaluated and failed (a dead callee fails with a domain error).
    Fail(Fail),
}

/// A battery prepared for evaluation: for each node, the values read for the last time by it
/// (freed right after it runs, bounding live memory), worked out on first use.
pub struct Plan<'a> {
    battery: &'a Battery,
    frees: OnceLock<Frees>,
}

/// The nodes read for the last time by node `k` are `list[at[k]..at[k + 1]]`.
struct Frees {
    list: Vec<u32>,
    at: Vec<u32>,
}

impl Frees {
    /// Groups the nodes by their last reader (a value nobody reads is freed right after it is
    /// computed), each group in node order: a counting sort.
    fn new(battery: &Battery) -> Frees {
        let n = battery.len();
        let mut last: Vec<u32> = (0..n as u32).collect();
        for (k, node) in battery.nodes().enumerate() {
            for m in node.inputs() {
                last[m as usize] = k as u32;
            }
        }
        // `at[k]` counts the nodes freed up to node k, then (filled from the back) where node
        // k's group starts
        let mut at = vec![0u32; n + 1];
        for &l in &last {
            at[l as usize] += 1;
        }
        for k in 1..n {
            at[k] += at[k - 1];
        }
        at[n] = n as u32;
        let mut list = vec![0u32; n];
        for (m, &l) in last.iter().enumerate().rev() {
            at[l as usize] -= 1;
            list[at[l as usize] as usize] = m as u32;
        }
        Frees { list, at }
    }
}

impl<'a> Plan<'a> {
    /// The plan of `battery`.
    pub fn new(battery: &'a Battery) -> Plan<'a> {
        Plan { battery, frees: OnceLock::new() }
    }

    /// The battery this plan evaluates.
    pub fn battery(&self) -> &'a Battery {
        self.battery
    }

    /// The nodes whose values are read for the last time by node `k` (or never read), in node
    /// order.
    pub fn frees(&self, k: usize) -> &[u32] {
        let f = self.frees.get_or_init(|| Frees::new(self.battery));
        &f.list[f.at[k] as usize..f.at[k + 1] as usize]
    }

    /// Node `k`'s arguments.
    pub fn operands(&self, k: usize) -> &'a [Operand] {
        self.battery.node(k as NodeId).args
    }

    /// Evaluates node `k` on one input, spending `ctx`'s steps and reading its operands with
    /// `get` (None: dead).
    #[inline]
    pub fn eval(&self, k: usize, ctx: &mut Ctx, get: impl Fn(&Operand) -> Option<Value>) -> Result<Value, Dead> {
        let node = self.battery.node(k as NodeId);
        let mut args: Vec<Value> = Vec::with_capacity(node.args.len());
        for a in node.args {
            args.push(get(a).ok_or(Dead::Operand)?);
        }
        self.call(k, ctx, &args, |f| get(&Operand::from(f))).map_err(Dead::Fail)
    }

    /// Node `k`'s call on its arguments' values `args`, reading a called function value with
    /// `callee` (None: dead): the one place a node's meaning is written.
    #[inline(always)]
    fn call(&self, k: usize, ctx: &mut Ctx, args: &[Value], callee: impl FnOnce(Var) -> Option<Value>) -> Res<Value> {
        match self.battery.node(k as NodeId).op {
            Op::Prim(p) => ctx.apply(p, args),
            Op::Call(v) => match callee(v) {
                Some(f) => ctx.call(&f, args),
                None => Err(Fail::Domain("dead callee")),
            },
        }
    }

    /// [`Plan::eval`] with `steps` of work: the value (None: dead) and whether the node was
    /// evaluated at all (false when an argument is dead). What a backend calls per pair.
    #[inline]
    pub fn eval_node(&self, k: usize, steps: u64, get: impl Fn(&Operand) -> Option<Value>) -> (Option<Value>, bool) {
        match self.eval(k, &mut Ctx::new(steps), get) {
            Ok(v) => (Some(v), true),
            Err(Dead::Fail(_)) => (None, true),
            Err(Dead::Operand) => (None, false),
        }
    }

    /// Runs every node (or only those with `wanted[k]`, which must be closed under inputs) on
    /// one input, each with `steps` of work; a node that fails is dead, and so are the nodes
    /// that read it. `visit` sees each live value before it may be freed. Returns how many
    /// nodes were evaluated.
    pub fn run(
        &self,
        input: &Value,
        s: &Value,
        steps: u64,
        wanted: Option<&[bool]>,
        mut visit: impl FnMut(NodeId, &Value),
    ) -> u64 {
        let mut vals: Vec<Option<Value>> = vec![None; self.battery.len()];
        let mut evaluated = 0;
        for k in 0..vals.len() {
            if wanted.is_none_or(|w| w[k]) {
                let get = |x: &Operand| x.value(input, s, |m| vals[m as usize].clone());
                let (out, was) = self.eval_node(k, steps, get);
                evaluated += was as u64;
                if let Some(v) = out {
                    visit(k as NodeId, &v);
                    vals[k] = Some(v);
                }
            }
            for &m in self.frees(k) {
                vals[m as usize] = None;
            }
        }
        evaluated
    }

    /// Runs every node in order on one input under the one budget `ctx`, as arc-dsl runs a
    /// program: the first node that fails ends the run (even if nothing reads it). Returns the
    /// value of `end`, or the failing node and why.
    pub fn run_strict(&self, input: &Value, s: &Value, ctx: &mut Ctx, end: &Operand) -> Result<Value, (NodeId, Fail)> {
        self.run_strict_in(input, s, ctx, end, &mut Vec::new(), &mut Vec::new())
    }

    /// [`Plan::run_strict`] keeping the values in `vals` and gathering arguments in `args`
    /// (both left empty), so that runs reuse them.
    pub(crate) fn run_strict_in(
        &self,
        input: &Value,
        s: &Value,
        ctx: &mut Ctx,
        end: &Operand,
        vals: &mut Vec<Value>,
        args: &mut Vec<Value>,
    ) -> Result<Value, (NodeId, Fail)> {
        // every value is kept to the end, as arc-dsl keeps its variables
        let n = self.battery.len();
        vals.clear();
        vals.reserve(n);
        // Operand::value without its Option (every earlier node has a value): wrapping and
        // unwrapping each argument costs a run of a short program a few per cent
        let value = |x: &Operand, vals: &[Value]| match x {
            Operand::Input => input.clone(),
            Operand::Samples => s.clone(),
            Operand::Node(m) => vals[*m as usize].clone(),
            Operand::Value(v) => v.clone(),
        };
        for k in 0..n {
            args.clear();
            for a in self.operands(k) {
                args.push(value(a, vals));
            }
            let out = self.call(k, ctx, args, |f| Some(value(&Operand::from(f), vals)));
            args.clear();
            match out {
                Ok(v) => vals.push(v),
                Err(f) => {
                    vals.clear();
                    return Err((k as NodeId, f));
                }
            }
        }
        let out = match end {
            Operand::Node(m) => vals.swap_remove(*m as usize),
            end => end.value(input, s, |_| None).expect("only a node can be dead"),
        };
        vals.clear();
        Ok(out)
    }
}
