//! The term store: the terms kept (their values on every input, and how they were made as a
//! node of the search's battery), the bytes they hold and the pool those come from, and the
//! programs sliced from them.

use super::Enum;
use batt_dsl::grid::mix64;
use batt_dsl::{Grid, Prim, Value};
use batt_engine::backend::value_bytes as bytes;
use batt_prog::battery::{NodeId, Op, Operand};
use batt_prog::Program;

/// Approximate bytes a stored term holds: its values, the slots that hold them, the term and
/// its fingerprint in the table of values seen (measured: the process's peak is within a
/// third of the sum over the terms held).
pub(super) fn term_bytes(vals: &[Value]) -> usize {
    128 + vals.iter().map(|v| bytes(v) + std::mem::size_of::<Value>() + 32).sum::<usize>()
}

/// Bytes that many searches share: each stored term takes its bytes from the pool, and a
/// search stops storing at its share or when it finds the pool empty, whichever comes first.
#[derive(Debug)]
pub struct MemoryPool {
    left: std::sync::atomic::AtomicIsize,
    /// What one search may hold (its share of the pool), set by whoever shares it out.
    share: std::sync::atomic::AtomicUsize,
}

impl MemoryPool {
    pub fn new(bytes: usize) -> MemoryPool {
        MemoryPool {
            left: std::sync::atomic::AtomicIsize::new(bytes.min(isize::MAX as usize) as isize),
            share: std::sync::atomic::AtomicUsize::new(usize::MAX),
        }
    }

    /// Sets what one search may hold from now on.
    pub fn set_share(&self, bytes: usize) {
        self.share.store(bytes, std::sync::atomic::Ordering::Relaxed);
    }

    /// What one search may hold.
    pub fn share(&self) -> usize {
        self.share.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The bytes no search holds.
    pub fn left(&self) -> isize {
        self.left.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// The pool a search takes from: none, or one shared.
#[derive(Debug, Clone, Copy)]
pub(super) enum PoolRef<'a> {
    Own,
    Shared(&'a MemoryPool),
}

impl PoolRef<'_> {
    /// What one search may hold.
    pub(super) fn share(&self) -> usize {
        match self {
            PoolRef::Own => usize::MAX,
            PoolRef::Shared(p) => p.share(),
        }
    }

    /// Takes `n` bytes; false (taking nothing) when the pool has fewer.
    pub(super) fn take(&self, n: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        match self {
            PoolRef::Own => true,
            PoolRef::Shared(p) => {
                let n = n as isize;
                if p.left.fetch_sub(n, Relaxed) < n {
                    p.left.fetch_add(n, Relaxed);
                    return false;
                }
                true
            }
        }
    }

    pub(super) fn give(&self, n: usize) {
        if let PoolRef::Shared(p) = self {
            p.left.fetch_add(n as isize, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

impl Drop for Enum<'_> {
    fn drop(&mut self) {
        self.pool.give(self.bytes - self.base_bytes);
    }
}

/// Where an argument comes from: an operand of the search's battery, by index (a constant by
/// its place in the table), so that the argument lists the search tries by the million are
/// small and `Copy`. [`operand`] gives the battery's operand.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Src {
    /// A term (`I` is term 0).
    Term(u32),
    /// A constant of the table (a function value is passed as a primitive).
    Const(u16),
    /// `a_mr(S)`.
    AMr,
    /// `S`, the demo pairs.
    Samples,
}

/// A stored term: its value on every input, its kind mask, the node of the search's battery
/// that computes it and whether it is pure.
pub(super) struct Term {
    pub(super) vals: Box<[Value]>,
    pub(super) kind: u32,
    /// Its call (unused for `I`, which is no node).
    pub(super) node: NodeId,
    /// Made by image-tier entries only, from `I` (what the image tier finds too).
    pub(super) pure: bool,
}

/// The battery's operand for argument `s` of a search with these terms, constants and node of
/// `a_mr(S)`.
fn operand(terms: &[Term], consts: &[Value], amr_node: NodeId, s: Src) -> Operand {
    match s {
        Src::Term(0) => Operand::Input,
        Src::Term(t) => Operand::Node(terms[t as usize].node),
        Src::Const(c) => Operand::Value(consts[c as usize].clone()),
        Src::AMr => Operand::Node(amr_node),
        Src::Samples => Operand::Samples,
    }
}

/// The fingerprint of a value vector.
pub(super) fn vec_fp(vals: &[Value]) -> u64 {
    vals.iter().fold(0x5eed, |h, v| mix64(h, v.fp()))
}

fn int_of(v: &Value) -> Option<i32> {
    match v {
        Value::Int(x) => Some(*x),
        _ => None,
    }
}

impl Enum<'_> {
    /// Takes the bytes of a term with values `vals` for this search; false, taking nothing,
    /// when they do not fit in its share or in what the pool has left. A pool run dry is a
    /// share reached: waiting for memory that searches as idle hold would leave every search
    /// waiting, while ending (after one more probe) frees it.
    pub(super) fn take_term_bytes(&mut self, vals: &[Value]) -> bool {
        let size = term_bytes(vals);
        if self.bytes + size > self.cfg.max_bytes.min(self.pool.share()) || !self.pool.take(size) {
            return false;
        }
        self.bytes += size;
        true
    }

    /// Drops the terms from `mark` on (an entry cut short).
    pub(super) fn truncate(&mut self, mark: usize) {
        if let Some(t) = self.terms.get(mark.max(1)) {
            // the terms' nodes were made in their order, after `I`'s (none) and `a_mr(S)`'s
            self.calls.truncate(t.node as usize);
        }
        for t in self.terms.drain(mark..) {
            self.seen.remove(&vec_fp(&t.vals));
            let size = term_bytes(&t.vals);
            self.bytes -= size;
            self.pool.give(size);
        }
    }

    /// The constant `v`, added to the table unless it is there.
    pub(super) fn konst(&mut self, v: Value) -> Src {
        let k = match self.consts.iter().position(|c| *c == v) {
            Some(k) => k,
            None => {
                self.consts.push(v);
                self.consts.len() - 1
            }
        };
        Src::Const(k as u16)
    }

    /// The value of argument `s` on input `k`.
    #[inline]
    pub(super) fn value_ref(&self, s: Src, k: usize) -> Option<&Value> {
        match s {
            Src::Term(t) => self.terms.get(t as usize).and_then(|t| t.vals.get(k)),
            Src::Const(c) => self.consts.get(c as usize),
            Src::AMr => self.amr.as_ref(),
            Src::Samples => Some(&self.samples),
        }
    }

    /// The value of argument `s` on input `k`, when it is a grid.
    pub(super) fn grid_of(&self, s: Src, k: usize) -> Option<&Grid> {
        match self.value_ref(s, k) {
            Some(Value::Grid(g)) => Some(g),
            _ => None,
        }
    }

    /// The value of argument `s` on input `k`, when it is an integer.
    pub(super) fn int_at(&self, s: Src, k: usize) -> Option<i32> {
        self.value_ref(s, k).and_then(int_of)
    }

    /// Whether an argument is a constant or a pure term (see [`Term::pure`]).
    pub(super) fn pure(&self, a: Src) -> bool {
        match a {
            Src::Term(t) => self.terms.get(t as usize).is_some_and(|t| t.pure),
            Src::Const(_) | Src::AMr | Src::Samples => true,
        }
    }

    /// The node of `prim(args)`.
    fn add_call(&mut self, prim: Prim, args: &[Src]) -> NodeId {
        let (terms, consts, amr) = (&self.terms, &self.consts, self.amr_node);
        self.calls.add(Op::Prim(prim), args.iter().map(|&a| operand(terms, consts, amr, a)))
    }

    /// Stores `prim(args)` with values `vals` as a new term (its bytes already taken).
    pub(super) fn push_term(&mut self, prim: Prim, args: &[Src], vals: Vec<Value>, kind: u32, pure: bool) -> Src {
        let node = self.add_call(prim, args);
        self.terms.push(Term { vals: vals.into(), kind, node, pure });
        Src::Term((self.terms.len() - 1) as u32)
    }

    /// The program computing `prim(args)`: the slice of the call, made a node of the battery
    /// for the time it takes to slice it (the call is not stored).
    pub(super) fn program_of(&mut self, prim: Prim, args: &[Src]) -> Program {
        let len = self.calls.len();
        let node = self.add_call(prim, args);
        let p = self.calls.slice(node, &self.task.id);
        self.calls.truncate(len);
        p
    }
}
