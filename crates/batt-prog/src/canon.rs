//! The canonical form of a program: dead lines dropped and the live lines in one order (a
//! depth-first walk from the returned value, arguments left to right), so two programs that
//! compute the same thing with the same lines print the same text. The walk is
//! [`crate::slice::slice`], the one backward slicing routine.

use crate::ast::{Line, Program, Ref};
use crate::print::print;
use crate::slice::slice;

/// `p` without dead lines, its lines in canonical order.
pub fn canonical(p: &Program) -> Program {
    let order: Vec<usize> = match p.ret {
        Ref::Line(k) => slice(k, |m| p.lines[m].reads()),
        _ => vec![],
    };
    let mut placed: Vec<Option<usize>> = vec![None; p.lines.len()];
    for (at, &k) in order.iter().enumerate() {
        placed[k] = Some(at);
    }
    let map = |r: Ref| match r {
        Ref::Line(m) => Ref::Line(placed[m].expect("a live line's inputs are live")),
        r => r,
    };
    let lines = order.iter().map(|&k| p.lines[k].map_refs(map)).collect::<Vec<_>>();
    let uses_s = lines.iter().any(|l: &Line| l.refs().any(|r| r == Ref::S)) || p.ret == Ref::S;
    Program { name: p.name.clone(), uses_s, ret: map(p.ret), lines }
}

/// The canonical text of a program's body (its name left out): equal for programs that
/// compute the same thing with the same lines.
pub fn canonical_text(p: &Program) -> String {
    let mut c = canonical(p);
    c.name = String::from("_");
    print(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_str;

    #[test]
    fn line_order_and_dead_lines_do_not_matter() {
        let a = "def solve_a(I):\n    x1 = rot90(I)\n    x2 = rot180(I)\n    x3 = hconcat(x1, x2)\n    O = vconcat(x3, x3)\n    return O\n";
        let b = "def solve_b(S, I):\n    x1 = rot180(I)\n    x2 = size(S)\n    x3 = rot90(I)\n    x4 = hconcat(x3, x1)\n    O = vconcat(x4, x4)\n    return O\n";
        let pa = &parse_str(a, "a").programs[0].program;
        let pb = &parse_str(b, "b").programs[0].program;
        assert_eq!(canonical_text(pa), canonical_text(pb));
        let c = canonical(pb);
        assert_eq!(c.lines.len(), 4);
        assert!(!c.uses_s, "the line reading S was dead");
        let d = "def solve_d(I):\n    x1 = rot180(I)\n    x2 = rot90(I)\n    x3 = hconcat(x1, x2)\n    O = vconcat(x3, x3)\n    return O\n";
        assert_ne!(canonical_text(pa), canonical_text(&parse_str(d, "d").programs[0].program));
    }
}
