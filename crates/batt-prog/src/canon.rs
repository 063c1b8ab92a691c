//! The canonical form of a program: identical lines merged, dead lines dropped and the live
//! lines in one order (a depth-first walk from the returned value, arguments left to right),
//! so two programs that compute the same thing with the same lines print the same text. It is
//! the program merged into a battery and sliced back ([`Battery::slice`]): the battery's
//! hash-consing merges the lines, and its slice is the one backward slicing routine
//! ([`crate::slice::slice`]).

use crate::ast::{Program, Ref};
use crate::battery::Battery;
use crate::print::print;

/// `p` without dead or repeated lines, its lines in canonical order.
pub fn canonical(p: &Program) -> Program {
    let Ref::Line(k) = p.ret else {
        return Program { name: p.name.clone(), uses_s: p.ret == Ref::S, lines: vec![], ret: p.ret };
    };
    let mut battery = Battery::new();
    let mut nodes = Vec::with_capacity(p.lines.len());
    battery.add_lines(&p.lines, &mut nodes);
    battery.slice(nodes[k], &p.name)
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
        // a repeated line is one line
        let e = "def solve_e(I):\n    x1 = rot90(I)\n    x2 = rot180(I)\n    x3 = rot90(I)\n    x4 = hconcat(x3, x2)\n    O = vconcat(x4, x4)\n    return O\n";
        assert_eq!(canonical_text(pa), canonical_text(&parse_str(e, "e").programs[0].program));
        assert!(!c.uses_s, "the line reading S was dead");
        let d = "def solve_d(I):\n    x1 = rot180(I)\n    x2 = rot90(I)\n    x3 = hconcat(x1, x2)\n    O = vconcat(x3, x3)\n    return O\n";
        assert_ne!(canonical_text(pa), canonical_text(&parse_str(d, "d").programs[0].program));
    }
}
