//! Mutation: variants of a program that stay well typed because each changes one thing for
//! another of the same kind:
//!
//! * a colour or small number (0..=9) for another one, a negative index (-1, -2) for another
//!   small index;
//! * a boolean for its negation;
//! * a unit direction for another unit direction;
//! * a primitive (called, or passed as a function value) for another primitive with exactly the
//!   same signature (`hmirror` for `vmirror`, `uppermost` for `leftmost`, ...);
//! * an argument rewired to `I` or another earlier line of the same declared type, whose
//!   kinds (what it can hold, [`batt_prog::check::line_kinds`]) are among the argument's: a
//!   declared type is not always what a line holds (`valmax` returns what its key returns);
//! * a colour constant for a colour derived from the task: `mostcolor(I)`, `leastcolor(I)`, or
//!   the colour the demo pairs add (`first(c_zo(S, palette))`) or remove (`c_iz`).

use batt_dsl::{Prim, PrimInfo, Ty, Value};
use batt_prog::check::{line_kinds, ref_kinds};
use batt_prog::{Arg, Callee, Line, Program, Ref};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The eight unit directions.
const DIRECTIONS: [(i32, i32); 8] = [(1, 0), (0, 1), (-1, 0), (0, -1), (1, 1), (-1, -1), (-1, 1), (1, -1)];

/// Other constants of the same kind as `v`.
pub fn sibling_constants(v: &Value) -> Vec<Value> {
    match *v {
        Value::Int(x) if (0..=9).contains(&x) => (0..=9).filter(|&y| y != x).map(Value::Int).collect(),
        Value::Int(x) if (-2..=-1).contains(&x) => {
            [-2, -1, 0, 1].into_iter().filter(|&y| y != x).map(Value::Int).collect()
        }
        Value::Bool(b) => vec![Value::Bool(!b)],
        Value::Pair(a, b) if DIRECTIONS.contains(&(a, b)) => {
            DIRECTIONS.iter().filter(|&&d| d != (a, b)).map(|&(i, j)| Value::Pair(i, j)).collect()
        }
        _ => vec![],
    }
}

/// Primitives grouped by signature (parameter and result types).
static SAME_SIGNATURE: LazyLock<HashMap<Prim, Vec<Prim>>> = LazyLock::new(|| {
    let key = |i: &PrimInfo| (i.params.to_vec(), i.ret);
    let mut groups: HashMap<_, Vec<Prim>> = HashMap::new();
    for p in Prim::all() {
        groups.entry(key(p.info())).or_default().push(p);
    }
    Prim::all().map(|p| (p, groups[&key(p.info())].iter().copied().filter(|&q| q != p).collect())).collect()
});

/// Other primitives with exactly the signature of `p`.
pub fn sibling_prims(p: Prim) -> &'static [Prim] {
    SAME_SIGNATURE.get(&p).map_or(&[], Vec::as_slice)
}

/// The declared type of what a reference holds.
fn ref_ty(p: &Program, r: Ref) -> Ty {
    match r {
        Ref::I => Ty::Grid,
        Ref::S => Ty::Samples,
        Ref::Line(k) => match p.lines[k].callee {
            Callee::Prim(q) => q.info().ret,
            Callee::Ref(_) => Ty::Any,
        },
    }
}

fn prim(name: &str) -> Prim {
    Prim::by_name(name).expect("a primitive of the table")
}

/// Expressions that compute a colour from the task, as lines to put before a program (the
/// last line holds the colour), and whether they read `S`.
fn derived_colours() -> Vec<(Vec<Line>, bool)> {
    let one = |name: &str| Line { callee: Callee::Prim(prim(name)), args: vec![Arg::Ref(Ref::I)] };
    let from_s = |name: &str| {
        vec![
            Line { callee: Callee::Prim(prim(name)), args: vec![Arg::Ref(Ref::S), Arg::Prim(prim("palette"))] },
            Line { callee: Callee::Prim(prim("first")), args: vec![Arg::Ref(Ref::Line(0))] },
        ]
    };
    vec![
        (vec![one("mostcolor")], false),
        (vec![one("leastcolor")], false),
        (from_s("c_zo"), true),
        (from_s("c_iz"), true),
    ]
}

/// `p` with `prefix` put before its lines (references shifted), and argument `a` of line `k`
/// reading the prefix's last line.
fn with_prefix(p: &Program, prefix: &[Line], uses_s: bool, k: usize, a: usize) -> Program {
    let n = prefix.len();
    let shift = |r: Ref| match r {
        Ref::Line(m) => Ref::Line(m + n),
        r => r,
    };
    let mut lines: Vec<Line> = prefix.to_vec();
    lines.extend(p.lines.iter().map(|l| l.map_refs(shift)));
    lines[k + n].args[a] = Arg::Ref(Ref::Line(n - 1));
    Program { name: p.name.clone(), uses_s: p.uses_s || uses_s, lines, ret: shift(p.ret) }
}

/// Every variant of `p` that changes one thing, in a fixed order (line by line, then argument
/// by argument).
pub fn variants(p: &Program) -> Vec<Program> {
    let mut out = vec![];
    let ks = line_kinds(p);
    let within = |o: Ref, r: Ref| ref_kinds(o, &ks) & !ref_kinds(r, &ks) == 0;
    for (k, line) in p.lines.iter().enumerate() {
        if let Callee::Prim(q) = line.callee {
            for &r in sibling_prims(q) {
                let mut v = p.clone();
                v.lines[k].callee = Callee::Prim(r);
                out.push(v);
            }
        }
        for (a, arg) in line.args.iter().enumerate() {
            let replacements: Vec<Arg> = match arg {
                Arg::Const(c) => sibling_constants(c).into_iter().map(Arg::Const).collect(),
                Arg::Prim(q) => sibling_prims(*q).iter().map(|&r| Arg::Prim(r)).collect(),
                Arg::Ref(r) if *r != Ref::S => {
                    let ty = ref_ty(p, *r);
                    std::iter::once(Ref::I)
                        .chain((0..k).map(Ref::Line))
                        .filter(|&o| o != *r && ref_ty(p, o) == ty && within(o, *r))
                        .map(Arg::Ref)
                        .collect()
                }
                Arg::Ref(_) => vec![],
            };
            for r in replacements {
                let mut v = p.clone();
                v.lines[k].args[a] = r;
                out.push(v);
            }
            if let Arg::Const(Value::Int(0..=9)) = arg {
                for (prefix, uses_s) in derived_colours() {
                    out.push(with_prefix(p, &prefix, uses_s, k, a));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_prog::{parse_str, print};

    #[test]
    fn variants_change_one_thing_of_the_same_kind() {
        let src = "def solve_x(I):\n    x1 = objects(I, T, F, T)\n    x2 = argmax(x1, size)\n    x3 = subgrid(x2, I)\n    O = replace(x3, FIVE, ZERO)\n    return O\n";
        let p = &parse_str(src, "x.py").programs[0].program;
        let vs = variants(p);
        let texts: Vec<String> = vs.iter().map(print).collect();
        // three booleans flipped, nine colours for each of the two colour constants
        assert!(texts.iter().any(|t| t.contains("objects(I, F, F, T)")));
        assert!(texts.iter().any(|t| t.contains("replace(x3, NINE, ZERO)")));
        assert!(texts.iter().any(|t| t.contains("replace(x3, FIVE, ONE)")));
        // size (Container -> Integer) has no same-signature sibling in arc-dsl, argmax has argmin
        assert!(texts.iter().any(|t| t.contains("argmin(x1, size)")));
        // every variant still type-checks and differs from the original in one place
        for v in &vs {
            let again = parse_str(&print(v), "v.py");
            assert!(again.errors.is_empty(), "{}\n{:?}", print(v), again.errors);
            assert_ne!(v, p);
        }
        // the two colour constants also get the four derived colours, and `replace` may read I
        // instead of x3 (both grids)
        assert!(texts.iter().any(|t| t.contains("x1 = mostcolor(I)") && t.contains("replace(x4, x1, ZERO)")));
        assert!(texts
            .iter()
            .any(|t| t.starts_with("def solve_x(S, I):\n    x1 = c_zo(S, palette)\n    x2 = first(x1)")));
        assert!(texts.iter().any(|t| t.contains("O = replace(I, FIVE, ZERO)")));
        assert_eq!(
            vs.len(),
            3 + 9
                + 9
                + 2 * 4
                + 1
                + sibling_prims(Prim::by_name("argmax").unwrap()).len()
                + sibling_prims(Prim::by_name("subgrid").unwrap()).len()
                + sibling_prims(Prim::by_name("replace").unwrap()).len()
                + sibling_prims(Prim::by_name("objects").unwrap()).len()
        );
    }

    #[test]
    fn arguments_are_rewired_to_earlier_lines_of_the_same_type() {
        let src = "def solve_y(I):\n    x1 = rot90(I)\n    x2 = hmirror(I)\n    O = hconcat(x1, x2)\n    return O\n";
        let p = &parse_str(src, "y.py").programs[0].program;
        let texts: Vec<String> = variants(p).iter().map(print).collect();
        // x1 (a Grid) may read I instead... hmirror returns Piece, rot90 Grid: only same types
        assert!(texts.iter().any(|t| t.contains("hconcat(I, x2)")), "{texts:#?}");
        assert!(!texts.iter().any(|t| t.contains("hconcat(x2, x2)")), "Piece is not Grid");
    }

    #[test]
    fn rewiring_keeps_to_what_a_line_can_hold() {
        // x2 is annotated Integer but holds a pair (`valmax` returns what `shape` returns): an
        // Integer argument is not rewired to it, though x2's argument may read x1
        let src = "def solve_z(I):\n    x1 = size(I)\n    x2 = objects(I, T, F, T)\n    x3 = valmax(x2, shape)\n    x4 = add(x1, x3)\n    x5 = canvas(x1, x4)\n    O = upscale(x5, x1)\n    return O\n";
        let parsed = parse_str(src, "z.py");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let p = &parsed.programs[0].program;
        let texts: Vec<String> = variants(p).iter().map(print).collect();
        assert!(!texts.iter().any(|t| t.contains("upscale(x5, x3)")), "{texts:#?}");
        assert!(texts.iter().any(|t| t.contains("add(x1, x1)")), "{texts:#?}");
    }

    #[test]
    fn mirrors_are_siblings() {
        let h = Prim::by_name("hmirror").unwrap();
        let names: Vec<&str> = sibling_prims(h).iter().map(|p| p.name()).collect();
        assert_eq!(names, ["vmirror", "dmirror", "cmirror"]);
    }
}
