//! The term store: the terms kept (their values on every input and how they were made), the
//! bytes they hold and the pool those come from, and the programs rebuilt from them.

use super::Enum;
use batt_dsl::grid::mix64;
use batt_dsl::{Func, Grid, Prim, Value};
use batt_engine::backend::value_bytes as bytes;
use batt_prog::{Arg, Callee, Line, Program, Ref};

/// Approximate bytes a stored term holds: its values, the slots that hold them, the term and
/// its fingerprint in the table of values seen (measured: the process's peak is within a
/// third of the sum over the terms held).
pub(super) fn term_bytes(vals: &[Value]) -> usize {
    128 + vals.iter().map(|v| bytes(v) + std::mem::size_of::<Value>() + 32).sum::<usize>()
}

/// Bytes that many searches share: each stored term takes its bytes from the pool, no search
/// holds more than its share, and a search that finds the pool empty waits (it goes on with
/// the entry it was in when called again).
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

/// Where an argument comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Src {
    /// A term.
    Term(u32),
    /// A constant of the table (a function value is passed as a primitive).
    Const(u16),
    /// `a_mr(S)`.
    AMr,
}

/// A stored term: its value on every input, its kind mask and how it was computed.
pub(super) struct Term {
    pub(super) vals: Box<[Value]>,
    pub(super) kind: u32,
    /// The primitive and arguments (`None` for `I`).
    pub(super) op: Option<(Prim, Box<[Src]>)>,
    /// Made by image-tier entries only, from `I` (what the image tier finds too).
    pub(super) pure: bool,
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
    /// Drops the terms from `mark` on (an entry cut short).
    pub(super) fn truncate(&mut self, mark: usize) {
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
            Src::Const(_) | Src::AMr => true,
        }
    }

    /// The program computing `prim(args)`: the terms it reads, one line each, in the canonical
    /// order of a backward slice (the call is a virtual line after every term).
    pub(super) fn program_of(&self, prim: Prim, args: &[Src]) -> Program {
        let root = self.terms.len();
        let args_of = |k: usize| -> &[Src] {
            match self.terms.get(k).and_then(|t| t.op.as_ref()) {
                Some((_, a)) => a,
                None if k == root => args,
                None => &[],
            }
        };
        // `I` (term 0) is no line
        let reads = |k: usize| -> Vec<usize> {
            args_of(k)
                .iter()
                .filter_map(|s| match *s {
                    Src::Term(t) if t > 0 => Some(t as usize),
                    _ => None,
                })
                .collect()
        };
        let order = batt_prog::slice::slice(root, reads);
        let need_amr = order.iter().any(|&k| args_of(k).contains(&Src::AMr));
        let mut lines: Vec<Line> = Vec::with_capacity(order.len() + 1);
        if let (true, Some(a_mr)) = (need_amr, self.a_mr) {
            lines.push(Line { callee: Callee::Prim(a_mr), args: vec![Arg::Ref(Ref::S)] });
        }
        // every term read is in the slice, before its reader, so it has its line
        let mut line_of: Vec<usize> = vec![0; root + 1];
        for &k in &order {
            let callee = if k == root { prim } else { self.terms[k].op.as_ref().map_or(prim, |(p, _)| *p) };
            let args = args_of(k)
                .iter()
                .map(|s| match *s {
                    Src::Term(0) => Arg::Ref(Ref::I),
                    Src::Term(t) => Arg::Ref(Ref::Line(line_of[t as usize])),
                    Src::AMr => Arg::Ref(Ref::Line(0)),
                    Src::Const(c) => match &self.consts[c as usize] {
                        Value::Func(f) => match **f {
                            Func::Prim(p) => Arg::Prim(p),
                            _ => Arg::Const(Value::Func(f.clone())),
                        },
                        v => Arg::Const(v.clone()),
                    },
                })
                .collect();
            lines.push(Line { callee: Callee::Prim(callee), args });
            line_of[k] = lines.len() - 1;
        }
        let ret = Ref::Line(lines.len() - 1);
        Program { name: self.task.id.clone(), uses_s: need_amr, lines, ret }
    }
}
