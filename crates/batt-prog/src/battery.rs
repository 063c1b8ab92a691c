//! The battery: many candidate programs merged into one DAG of lines. An identical call (the
//! same primitive on the same argument nodes and constants) is one node, so a line shared by
//! a thousand candidates is evaluated once per pair. [`crate::plan`] evaluates it.

use crate::ast::{Arg, Callee, Line, Program, Ref};
use crate::slice::slice;
use batt_dsl::{Prim, Ty, Value};
use std::collections::HashMap;

/// A node's index. Nodes are numbered in creation order, and a node's arguments are always
/// older than it, so index order is a topological order.
pub type NodeId = u32;

/// Where a node's argument comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Src {
    /// The task input `I`.
    I,
    /// The demo pairs `S`.
    S,
    Node(NodeId),
    /// A primitive passed as a function value.
    Prim(Prim),
    Const(Value),
}

/// What a node calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Prim(Prim),
    /// The function value a variable holds.
    Call(Var),
}

/// A variable of the battery: what holds a value only known at run time (the task input `I`,
/// the demo pairs `S` or a node's value). The callee of an [`Op::Call`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Var {
    I,
    S,
    Node(NodeId),
}

/// One line of the battery.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node {
    pub op: Op,
    pub args: Box<[Src]>,
}

impl Node {
    /// The declared result type (from the signature table; `Any` for calls of function values).
    pub fn ret(&self) -> Ty {
        match self.op {
            Op::Prim(p) => p.info().ret,
            Op::Call(_) => Ty::Any,
        }
    }

    /// The nodes this node reads.
    pub fn inputs(&self) -> impl Iterator<Item = NodeId> + '_ {
        let callee = match self.op {
            Op::Call(Var::Node(n)) => Some(n),
            _ => None,
        };
        callee.into_iter().chain(self.args.iter().filter_map(|a| match a {
            Src::Node(n) => Some(*n),
            _ => None,
        }))
    }

    /// Whether the node reads `S` (directly).
    pub fn reads_s(&self) -> bool {
        matches!(self.op, Op::Call(Var::S)) || self.args.contains(&Src::S)
    }
}

/// A candidate program merged into the battery.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The name the program came with (its task id, for library solvers).
    pub name: String,
    /// What it returns.
    pub end: Src,
}

/// Many programs as one deduplicated graph.
#[derive(Debug, Default)]
pub struct Battery {
    nodes: Vec<Node>,
    index: HashMap<Node, NodeId>,
    candidates: Vec<Candidate>,
    /// The candidates that end at each node (by candidate index).
    ends: HashMap<NodeId, Vec<u32>>,
}

impl Battery {
    pub fn new() -> Battery {
        Battery::default()
    }

    /// The node for this call, added if it is new.
    pub fn add(&mut self, node: Node) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        debug_assert!(node.inputs().all(|n| n < id), "arguments must be older than the node");
        self.nodes.push(node.clone());
        self.index.insert(node, id);
        id
    }

    /// Merges a program; returns its candidate index.
    pub fn add_program(&mut self, p: &Program) -> u32 {
        let mut ids: Vec<NodeId> = Vec::with_capacity(p.lines.len());
        let src = |r: Ref, ids: &[NodeId]| match r {
            Ref::I => Src::I,
            Ref::S => Src::S,
            Ref::Line(k) => Src::Node(ids[k]),
        };
        for Line { callee, args } in &p.lines {
            let op = match *callee {
                Callee::Prim(q) => Op::Prim(q),
                Callee::Ref(r) => Op::Call(match src(r, &ids) {
                    Src::I => Var::I,
                    Src::S => Var::S,
                    Src::Node(n) => Var::Node(n),
                    _ => unreachable!("a reference is I, S or a line"),
                }),
            };
            let args = args
                .iter()
                .map(|a| match a {
                    Arg::Ref(r) => src(*r, &ids),
                    Arg::Prim(q) => Src::Prim(*q),
                    Arg::Const(v) => Src::Const(v.clone()),
                })
                .collect();
            ids.push(self.add(Node { op, args }));
        }
        let end = src(p.ret, &ids);
        let k = self.candidates.len() as u32;
        if let Src::Node(n) = end {
            self.ends.entry(n).or_default().push(k);
        }
        self.candidates.push(Candidate { name: p.name.clone(), end });
        k
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// The candidates (indices) that end at `node`.
    pub fn ends_at(&self, node: NodeId) -> &[u32] {
        self.ends.get(&node).map_or(&[], Vec::as_slice)
    }

    /// The nodes of the slice of `node` (the node and everything it reads), in node order.
    pub fn slice_nodes(&self, node: NodeId) -> Vec<NodeId> {
        let mut nodes: Vec<NodeId> = slice(node as usize, |n| self.nodes[n].inputs().map(|m| m as usize))
            .into_iter()
            .map(|n| n as NodeId)
            .collect();
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
        let mut seen: Vec<u32> = vec![0; self.nodes.len()];
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
                for i in self.nodes[m as usize].inputs() {
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

    /// The smallest program that computes `node`, named `solve_<name>`.
    pub fn slice(&self, node: NodeId, name: &str) -> Program {
        let order = self.slice_nodes(node);
        let at: HashMap<NodeId, usize> = order.iter().enumerate().map(|(k, &n)| (n, k)).collect();
        let r = |s: &Src| -> Arg {
            match s {
                Src::I => Arg::Ref(Ref::I),
                Src::S => Arg::Ref(Ref::S),
                Src::Node(n) => Arg::Ref(Ref::Line(at[n])),
                Src::Prim(q) => Arg::Prim(*q),
                Src::Const(v) => Arg::Const(v.clone()),
            }
        };
        let mut uses_s = false;
        let lines = order
            .iter()
            .map(|&n| {
                let node = &self.nodes[n as usize];
                uses_s |= node.reads_s();
                let callee = match node.op {
                    Op::Prim(q) => Callee::Prim(q),
                    Op::Call(Var::I) => Callee::Ref(Ref::I),
                    Op::Call(Var::S) => Callee::Ref(Ref::S),
                    Op::Call(Var::Node(m)) => Callee::Ref(Ref::Line(at[&m])),
                };
                Line { callee, args: node.args.iter().map(r).collect() }
            })
            .collect();
        Program { name: name.to_string(), uses_s, lines, ret: Ref::Line(order.len() - 1) }
    }
}
