//! Evaluating a battery: the [`Plan`] resolves every node's arguments once and knows after
//! which node each value is read for the last time; [`Plan::eval_node`] evaluates one node on
//! one input, [`Plan::run`] every node on one input.

use crate::battery::{Battery, NodeId, Op, Src, Var};
use batt_dsl::{Ctx, Value};

/// Where a node's argument (or the function it calls) comes from, resolved once for all pairs:
/// what a backend reads to evaluate a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// The pair's input grid `I`.
    Input,
    /// The pair's task's demo pairs `S`.
    Samples,
    /// An earlier node's value on the pair.
    Node(NodeId),
    /// The same value on every pair (a constant, or a primitive as a function value).
    Value(Value),
}

impl Operand {
    /// The operand's value on a pair with input `input` and demo pairs `samples`, reading node
    /// `m`'s value with `node(m)` (None: dead).
    pub fn value(&self, input: &Value, samples: &Value, node: impl FnOnce(NodeId) -> Option<Value>) -> Option<Value> {
        match self {
            Operand::Input => Some(input.clone()),
            Operand::Samples => Some(samples.clone()),
            Operand::Node(m) => node(*m),
            Operand::Value(v) => Some(v.clone()),
        }
    }
}

/// The battery prepared for evaluation: arguments resolved, and for each node the values that
/// are read for the last time by it (freed right after it runs, bounding live memory).
pub struct Plan<'a> {
    battery: &'a Battery,
    args: Vec<Vec<Operand>>,
    callee: Vec<Option<Operand>>,
    frees: Vec<Vec<u32>>,
}

impl<'a> Plan<'a> {
    /// Resolves the operands of every node of `battery` and where each value is last read.
    pub fn new(battery: &'a Battery) -> Plan<'a> {
        let n = battery.len();
        let conv = |s: &Src| match s {
            Src::I => Operand::Input,
            Src::S => Operand::Samples,
            Src::Node(m) => Operand::Node(*m),
            Src::Prim(q) => Operand::Value(Value::prim(*q)),
            Src::Const(v) => Operand::Value(v.clone()),
        };
        let mut last_use: Vec<Option<u32>> = vec![None; n];
        let mut args = Vec::with_capacity(n);
        let mut callee = Vec::with_capacity(n);
        for (k, node) in battery.nodes().iter().enumerate() {
            for m in node.inputs() {
                last_use[m as usize] = Some(k as u32);
            }
            args.push(node.args.iter().map(conv).collect());
            callee.push(match node.op {
                Op::Prim(_) => None,
                Op::Call(Var::I) => Some(Operand::Input),
                Op::Call(Var::S) => Some(Operand::Samples),
                Op::Call(Var::Node(m)) => Some(Operand::Node(m)),
            });
        }
        let mut frees = vec![vec![]; n];
        for (m, l) in last_use.iter().enumerate() {
            // a value nobody reads is freed right after it is scored
            frees[l.map_or(m, |l| l as usize)].push(m as u32);
        }
        Plan { battery, args, callee, frees }
    }

    /// The battery this plan evaluates.
    pub fn battery(&self) -> &Battery {
        self.battery
    }

    /// The nodes whose values are read for the last time by node `k` (or never read).
    pub fn frees(&self, k: usize) -> &[u32] {
        &self.frees[k]
    }

    /// Node `k`'s arguments.
    pub fn operands(&self, k: usize) -> &[Operand] {
        &self.args[k]
    }

    /// Evaluates node `k` on one pair with `steps` of work, reading its operands with `get`.
    /// Returns the value (None: dead) and whether the node was evaluated at all (false when an
    /// argument is dead).
    pub fn eval_node(&self, k: usize, steps: u64, get: impl Fn(&Operand) -> Option<Value>) -> (Option<Value>, bool) {
        let mut buf: Vec<Value> = Vec::with_capacity(self.args[k].len());
        for a in &self.args[k] {
            match get(a) {
                Some(v) => buf.push(v),
                None => return (None, false),
            }
        }
        let mut ctx = Ctx::new(steps);
        let out = match (&self.battery.nodes()[k].op, &self.callee[k]) {
            (Op::Prim(p), _) => ctx.apply(*p, &buf),
            (Op::Call(_), Some(c)) => match get(c) {
                Some(f) => ctx.call(&f, &buf),
                None => Err(batt_dsl::Fail::Domain("dead callee")),
            },
            (Op::Call(_), None) => unreachable!("a call has a callee"),
        };
        (out.ok(), true)
    }

    /// Runs every node (or only those with `wanted[k]`, which must be closed under inputs) on
    /// one input; `visit` sees each live value before it may be freed. Returns how many nodes
    /// were evaluated.
    pub fn run(
        &self,
        input: &Value,
        s: &Value,
        steps: u64,
        wanted: Option<&[bool]>,
        mut visit: impl FnMut(NodeId, &Value),
    ) -> u64 {
        let n = self.battery.len();
        let mut vals: Vec<Option<Value>> = vec![None; n];
        let mut evaluated = 0;
        for k in 0..n {
            if wanted.is_none_or(|w| w[k]) {
                let get = |x: &Operand| x.value(input, s, |m| vals[m as usize].clone());
                let (out, was) = self.eval_node(k, steps, get);
                evaluated += was as u64;
                if let Some(v) = out {
                    visit(k as NodeId, &v);
                    vals[k] = Some(v);
                }
            }
            for &m in &self.frees[k] {
                vals[m as usize] = None;
            }
        }
        evaluated
    }
}
