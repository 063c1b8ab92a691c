//! The battery: a hash-consed program with many outputs. Programs merged into it share their
//! lines: an identical call (the same primitive on the same argument nodes and constants) is
//! one node, so a line shared by a thousand candidates is evaluated once per input. A single
//! program is a battery with one output; [`crate::plan`] evaluates either.

use crate::ast::{Arg, Callee, Line, Program, Ref};
use crate::slice::slice;
use batt_dsl::{Func, Prim, Ty, Value, PRIMS};
use hashbrown::hash_table::Entry;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// A node's index. Nodes are numbered in creation order, and a node's arguments are always
/// older than it, so index order is a topological order.
pub type NodeId = u32;

/// Where a node's argument comes from (and what a candidate returns).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// The input grid `I`.
    Input,
    /// The task's demo pairs `S`.
    Samples,
    /// A node's value on the same input.
    Node(NodeId),
    /// The same value on every input: a constant, or a primitive passed as a function value
    /// ([`Value::prim`]).
    Value(Value),
}

impl Operand {
    /// Where a program's reference `r` points once its lines are the nodes `lines`.
    pub fn of_ref(r: Ref, lines: &[NodeId]) -> Operand {
        match r {
            Ref::I => Operand::Input,
            Ref::S => Operand::Samples,
            Ref::Line(k) => Operand::Node(lines[k]),
        }
    }

    /// The argument a program line passes for this operand, its nodes being lines `line(n)`.
    pub fn to_arg(&self, line: impl FnOnce(NodeId) -> usize) -> Arg {
        match self {
            Operand::Input => Arg::Ref(Ref::I),
            Operand::Samples => Arg::Ref(Ref::S),
            Operand::Node(n) => Arg::Ref(Ref::Line(line(*n))),
            Operand::Value(v) => match v {
                Value::Func(f) => match &**f {
                    Func::Prim(q) => Arg::Prim(*q),
                    Func::Built(..) => Arg::Const(v.clone()),
                },
                v => Arg::Const(v.clone()),
            },
        }
    }

    /// The operand's value on an input `input` with demo pairs `samples`, reading node `m`'s
    /// value with `node(m)` (None: dead).
    #[inline(always)]
    pub fn value(&self, input: &Value, samples: &Value, node: impl FnOnce(NodeId) -> Option<Value>) -> Option<Value> {
        match self {
            Operand::Input => Some(input.clone()),
            Operand::Samples => Some(samples.clone()),
            Operand::Node(m) => node(*m),
            Operand::Value(v) => Some(v.clone()),
        }
    }
}

impl From<Var> for Operand {
    fn from(v: Var) -> Operand {
        match v {
            Var::I => Operand::Input,
            Var::S => Operand::Samples,
            Var::Node(m) => Operand::Node(m),
        }
    }
}

/// What a node calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// A primitive.
    Prim(Prim),
    /// The function value a variable holds.
    Call(Var),
}

/// A variable of the battery: what holds a value only known at run time (the task input `I`,
/// the demo pairs `S` or a node's value). The callee of an [`Op::Call`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Var {
    /// The input grid `I`.
    I,
    /// The task's demo pairs `S`.
    S,
    /// A node's value.
    Node(NodeId),
}

/// One line of the battery, as the battery holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Node<'b> {
    /// What it calls.
    pub op: Op,
    /// Its arguments, in order.
    pub args: &'b [Operand],
}

impl<'b> Node<'b> {
    /// The declared result type (from the signature table; `Any` for calls of function values).
    pub fn ret(&self) -> Ty {
        match self.op {
            Op::Prim(p) => p.info().ret,
            Op::Call(_) => Ty::Any,
        }
    }

    /// The nodes this node reads.
    pub fn inputs(&self) -> impl Iterator<Item = NodeId> + 'b {
        let callee = match self.op {
            Op::Call(Var::Node(n)) => Some(n),
            _ => None,
        };
        callee.into_iter().chain(self.args.iter().filter_map(|a| match a {
            Operand::Node(n) => Some(*n),
            _ => None,
        }))
    }

    /// Whether the node reads `S` (directly).
    pub fn reads_s(&self) -> bool {
        matches!(self.op, Op::Call(Var::S)) || self.args.contains(&Operand::Samples)
    }
}

/// A candidate program merged into the battery.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The name the program came with (its task id, for library solvers).
    pub name: String,
    /// What it returns.
    pub end: Operand,
}

/// Up to this many nodes, a battery finds a node by comparing it with every node.
const SMALL: usize = 16;

/// Many programs as one deduplicated graph.
#[derive(Debug, Default)]
pub struct Battery {
    /// What each node calls.
    ops: Vec<Op>,
    /// The arguments of every node, node after node: node `k`'s end at `arg_end[k]`.
    args: Vec<Operand>,
    arg_end: Vec<u32>,
    /// Every node's id, found by the node's hash: the hash-consing index (the nodes themselves
    /// are stored once, above). Empty while the battery has fewer than `SMALL` nodes.
    index: HashTable<NodeId>,
    hasher: DefaultHashBuilder,
    candidates: Vec<Candidate>,
    /// The candidates that end at each node (by candidate index).
    ends: HashMap<NodeId, Vec<u32>>,
}

impl Battery {
    /// An empty battery.
    pub fn new() -> Battery {
        Battery::default()
    }

    /// Removes every node and candidate, keeping the memory for the next ones.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.args.clear();
        self.arg_end.clear();
        self.index.clear();
        self.candidates.clear();
        self.ends.clear();
    }

    /// The node that calls `op` on `args`, added if it is new.
    pub fn add(&mut self, op: Op, args: impl IntoIterator<Item = Operand>) -> NodeId {
        let start = self.args.len();
        self.args.extend(args);
        self.intern(op, start)
    }

    /// The node that calls `op` on the arguments from `start` on: they were put where a new
    /// node's go, and are taken back if the node exists.
    fn intern(&mut self, op: Op, start: usize) -> NodeId {
        if self.ops.len() < SMALL {
            return self.add_small(op, start);
        }
        let Battery { ops, args, arg_end, index, hasher, .. } = self;
        let view = |m: &NodeId| node_of(ops, args, arg_end, *m);
        let node = Node { op, args: &args[start..] };
        let hash = hasher.hash_one(node);
        match index.entry(hash, |m| view(m) == node, |m| hasher.hash_one(view(m))) {
            Entry::Occupied(e) => {
                let id = *e.get();
                self.args.truncate(start);
                id
            }
            Entry::Vacant(e) => {
                let id = ops.len() as NodeId;
                debug_assert!(node.inputs().all(|n| n < id), "arguments must be older than the node");
                e.insert(id);
                ops.push(op);
                arg_end.push(args.len() as u32);
                id
            }
        }
    }

    /// [`Battery::add`] while the battery is small: the node is looked for among all nodes,
    /// which is quicker than hashing it, and the index is built when the battery stops being
    /// small.
    fn add_small(&mut self, op: Op, start: usize) -> NodeId {
        let node = Node { op, args: &self.args[start..] };
        if let Some(id) = (0..self.ops.len() as NodeId).find(|&m| self.ops[m as usize] == op && self.node(m) == node) {
            self.args.truncate(start);
            return id;
        }
        let id = self.ops.len() as NodeId;
        debug_assert!(node.inputs().all(|n| n < id), "arguments must be older than the node");
        self.ops.push(op);
        self.arg_end.push(self.args.len() as u32);
        if self.ops.len() == SMALL {
            let Battery { ops, args, arg_end, index, hasher, .. } = self;
            for m in 0..SMALL as NodeId {
                let hash = hasher.hash_one(node_of(ops, args, arg_end, m));
                index.insert_unique(hash, m, |&m| hasher.hash_one(node_of(ops, args, arg_end, m)));
            }
        }
        id
    }

    /// Merges the lines of a program, appending the node of each line to `nodes`.
    pub fn add_lines(&mut self, lines: &[Line], nodes: &mut Vec<NodeId>) {
        let at = nodes.len();
        self.ops.reserve(lines.len());
        self.arg_end.reserve(lines.len());
        if self.ops.len() + lines.len() >= SMALL {
            let Battery { ops, args, arg_end, index, hasher, .. } = self;
            index.reserve(lines.len(), |&m| hasher.hash_one(node_of(ops, args, arg_end, m)));
        }
        for Line { callee, args } in lines {
            let lines = &nodes[at..];
            let op = match *callee {
                Callee::Prim(q) => Op::Prim(q),
                Callee::Ref(r) => Op::Call(match r {
                    Ref::I => Var::I,
                    Ref::S => Var::S,
                    Ref::Line(k) => Var::Node(lines[k]),
                }),
            };
            let start = self.args.len();
            self.args.extend(args.iter().map(|a| match a {
                Arg::Ref(r) => Operand::of_ref(*r, lines),
                Arg::Prim(q) => Operand::Value(prim_value(*q)),
                Arg::Const(v) => Operand::Value(v.clone()),
            }));
            let id = self.intern(op, start);
            nodes.push(id);
        }
    }

    /// Merges a program; returns its candidate index.
    pub fn add_program(&mut self, p: &Program) -> u32 {
        let mut ids = Vec::with_capacity(p.lines.len());
        self.add_lines(&p.lines, &mut ids);
        let end = Operand::of_ref(p.ret, &ids);
        let k = self.candidates.len() as u32;
        if let Operand::Node(n) = end {
            self.ends.entry(n).or_default().push(k);
        }
        self.candidates.push(Candidate { name: p.name.clone(), end });
        k
    }

    /// Removes the nodes from `len` on (the newest) and the candidates that end at them: the
    /// battery is as it was when it had `len` nodes, for a caller that adds a few nodes for a
    /// while (a search trying a level, a slice of a node not kept).
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len() {
            return;
        }
        if len < SMALL {
            self.index.clear();
        } else {
            let Battery { ops, args, arg_end, index, hasher, .. } = self;
            for m in len as NodeId..ops.len() as NodeId {
                let hash = hasher.hash_one(node_of(ops, args, arg_end, m));
                if let Ok(e) = index.find_entry(hash, |&x| x == m) {
                    e.remove();
                }
            }
        }
        self.args.truncate(if len == 0 { 0 } else { self.arg_end[len - 1] as usize });
        self.ops.truncate(len);
        self.arg_end.truncate(len);
        let gone = |c: &Candidate| matches!(c.end, Operand::Node(n) if n as usize >= len);
        if self.candidates.iter().any(gone) {
            self.candidates.retain(|c| !gone(c));
            self.ends.clear();
            for (k, c) in self.candidates.iter().enumerate() {
                if let Operand::Node(n) = c.end {
                    self.ends.entry(n).or_default().push(k as u32);
                }
            }
        }
    }

    /// Node `k`.
    #[inline]
    pub fn node(&self, k: NodeId) -> Node<'_> {
        node_of(&self.ops, &self.args, &self.arg_end, k)
    }

    /// The nodes, in creation (and topological) order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = Node<'_>> + '_ {
        (0..self.len() as NodeId).map(|k| self.node(k))
    }

    /// The number of nodes.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether there is no node.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The programs merged, in the order they were added.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The candidates (indices) that end at `node`.
    pub fn ends_at(&self, node: NodeId) -> &[u32] {
        self.ends.get(&node).map_or(&[], Vec::as_slice)
    }

    /// The nodes of the slice of `node` (the node and everything it reads), in the canonical
    /// order of the one backward slicing routine ([`crate::slice::slice`]).
    fn slice_order(&self, node: NodeId) -> Vec<NodeId> {
        slice(node as usize, |n| self.node(n as NodeId).inputs().map(|m| m as usize))
            .into_iter()
            .map(|n| n as NodeId)
            .collect()
    }

    /// The nodes of the slice of `node` (the node and everything it reads), in node order.
    pub fn slice_nodes(&self, node: NodeId) -> Vec<NodeId> {
        let mut nodes = self.slice_order(node);
        nodes.sort_unstable();
        nodes
    }

    /// The `k` nodes of `nodes` with the shortest slices, as (node, slice length), shortest
    /// first, ties by node id: `slice_nodes(n).len()` for each, without walking every slice in
    /// full (a walk stops as soon as it is longer than the `k`-th best so far), so a battery
    /// with many long solvers (a chain of a thousand rotations) costs linear memory.
    pub fn shortest_slices(&self, nodes: &[NodeId], k: usize) -> Vec<(NodeId, usize)> {
        let mut order: Vec<NodeId> = nodes.to_vec();
        order.sort_unstable();
        order.dedup();
        let mut best: Vec<(usize, NodeId)> = Vec::with_capacity(k + 1);
        if k == 0 {
            return vec![];
        }
        // `seen[m] == stamp`: m is in the slice being walked
        let mut seen: Vec<u32> = vec![0; self.len()];
        let mut stack: Vec<NodeId> = vec![];
        for (stamp, &n) in (1u32..).zip(&order) {
            // a slice no shorter than the k-th best cannot enter: nodes come in id order
            let limit = if best.len() == k { best[k - 1].0 } else { usize::MAX };
            let mut len = 0;
            stack.clear();
            stack.push(n);
            seen[n as usize] = stamp;
            while let Some(m) = stack.pop() {
                len += 1;
                if len >= limit {
                    break;
                }
                for i in self.node(m).inputs() {
                    if seen[i as usize] != stamp {
                        seen[i as usize] = stamp;
                        stack.push(i);
                    }
                }
            }
            if len < limit {
                let at = best.partition_point(|&(l, _)| l <= len);
                best.insert(at, (len, n));
                best.truncate(k);
            }
        }
        best.into_iter().map(|(l, n)| (n, l)).collect()
    }

    /// The smallest program that computes `node`, named `name`, its lines in the canonical
    /// order ([`crate::canon`]).
    pub fn slice(&self, node: NodeId, name: &str) -> Program {
        let order = self.slice_order(node);
        let at: HashMap<NodeId, usize> = order.iter().enumerate().map(|(k, &n)| (n, k)).collect();
        let mut uses_s = false;
        let lines = order
            .iter()
            .map(|&n| {
                let node = self.node(n);
                uses_s |= node.reads_s();
                let callee = match node.op {
                    Op::Prim(q) => Callee::Prim(q),
                    Op::Call(Var::I) => Callee::Ref(Ref::I),
                    Op::Call(Var::S) => Callee::Ref(Ref::S),
                    Op::Call(Var::Node(m)) => Callee::Ref(Ref::Line(at[&m])),
                };
                Line { callee, args: node.args.iter().map(|a| a.to_arg(|n| at[&n])).collect() }
            })
            .collect();
        Program { name: name.to_string(), uses_s, lines, ret: Ref::Line(order.len() - 1) }
    }
}

/// The function value of primitive `q` ([`Value::prim`]), made once per thread: a program
/// passes primitives by name often, and a run of a short one would spend much of its time
/// allocating them.
fn prim_value(q: Prim) -> Value {
    thread_local! {
        static VALUES: Box<[Value]> = (0..PRIMS.len()).map(|k| Value::prim(Prim(k as u16))).collect();
    }
    VALUES.with(|v| v[q.0 as usize].clone())
}

/// Node `k` of a battery's storage.
#[inline]
fn node_of<'b>(ops: &[Op], args: &'b [Operand], arg_end: &[u32], k: NodeId) -> Node<'b> {
    let k = k as usize;
    let start = if k == 0 { 0 } else { arg_end[k - 1] as usize };
    Node { op: ops[k], args: &args[start..arg_end[k] as usize] }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    #[test]
    fn identical_lines_are_one_node_below_and_above_the_small_size() {
        // a chain of 40 rotations, then the same chain again from the top: each line is found,
        // whether the battery was still small when it was added or not
        let body: String = (1..=40)
            .map(|k| format!("    x{k} = rot90({})\n", if k == 1 { "I".into() } else { format!("x{}", k - 1) }))
            .collect();
        let src = format!("def solve_a(I):\n{body}    O = rot90(x40)\n    return O\n");
        let p = &parse_str(&src, "a.py").programs[0].program;
        let mut b = Battery::new();
        let mut first = vec![];
        b.add_lines(&p.lines, &mut first);
        assert_eq!(b.len(), 41);
        assert_eq!(first, (0..41).collect::<Vec<NodeId>>());
        let mut again = vec![];
        b.add_lines(&p.lines, &mut again);
        assert_eq!((b.len(), &again), (41, &first));
        // a line that differs only in its constant is another node
        let q = &parse_str("def solve_b(I):\n    O = upscale(I, 2)\n    return O\n", "b.py").programs[0].program;
        let r = &parse_str("def solve_c(I):\n    O = upscale(I, 3)\n    return O\n", "c.py").programs[0].program;
        let (kq, kr) = (b.add_program(q), b.add_program(r));
        assert_ne!(b.candidates()[kq as usize].end, b.candidates()[kr as usize].end);
        assert_eq!(b.len(), 43);
        // slicing gives the program back, primitives passed by name included
        let f = &parse_str(
            "def solve_d(I):\n    x1 = objects(I, T, F, T)\n    O = apply(size, x1)\n    return O\n",
            "d.py",
        )
        .programs[0]
            .program;
        let k = b.add_program(f);
        let Operand::Node(n) = b.candidates()[k as usize].end else { panic!("a node") };
        assert_eq!(crate::print(&b.slice(n, "d")), crate::print(f));
    }

    #[test]
    fn a_truncated_battery_is_the_battery_it_was() {
        let rot = |b: &mut Battery, from: Operand| b.add(Op::Prim(Prim::by_name("rot90").unwrap()), [from]);
        for keep in [0, 5, SMALL - 1, SMALL, SMALL + 7, 30] {
            let mut b = Battery::new();
            let mut chain = vec![rot(&mut b, Operand::Input)];
            for _ in 1..40 {
                let n = rot(&mut b, Operand::Node(*chain.last().unwrap()));
                chain.push(n);
            }
            let p = parse_str("def solve_a(I):\n    O = rot90(I)\n    return O\n", "a.py").programs.remove(0).program;
            let first = b.add_program(&p);
            let q = parse_str("def solve_b(I):\n    x1 = hmirror(I)\n    O = vmirror(x1)\n    return O\n", "b.py")
                .programs
                .remove(0)
                .program;
            b.add_program(&q);
            b.truncate(keep);
            assert_eq!(b.len(), keep);
            // the candidate ending at node 0 stays while node 0 does, the one past the chain goes
            assert_eq!(b.candidates().len(), usize::from(keep > 0));
            let ends: &[u32] = if keep > 0 { &[first] } else { &[] };
            assert_eq!(b.ends_at(0), ends);
            // the nodes kept are found again, the ones removed are made anew with the same ids
            let mut again = vec![rot(&mut b, Operand::Input)];
            for _ in 1..40 {
                let n = rot(&mut b, Operand::Node(*again.last().unwrap()));
                again.push(n);
            }
            assert_eq!((again, b.len()), (chain.clone(), 40));
        }
    }
}
