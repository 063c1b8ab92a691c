//! Mutation: variants of a program that stay well typed because each changes one thing for
//! another of the same kind:
//!
//! * a colour or small number (0..=9) for another one, a negative index (-1, -2) for another
//!   small index;
//! * a boolean for its negation;
//! * a unit direction for another unit direction;
//! * a primitive (called, or passed as a function value) for another primitive with exactly the
//!   same signature (`hmirror` for `vmirror`, `uppermost` for `leftmost`, ...).

use batt_dsl::{Prim, PrimInfo, Value};
use batt_prog::{Arg, Callee, Program};
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

/// Every variant of `p` that changes one constant or one primitive, in a fixed order (line by
/// line, then argument by argument).
pub fn variants(p: &Program) -> Vec<Program> {
    let mut out = vec![];
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
                Arg::Ref(_) => vec![],
            };
            for r in replacements {
                let mut v = p.clone();
                v.lines[k].args[a] = r;
                out.push(v);
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
        assert_eq!(
            vs.len(),
            3 + 9
                + 9
                + sibling_prims(Prim::by_name("argmax").unwrap()).len()
                + sibling_prims(Prim::by_name("subgrid").unwrap()).len()
                + sibling_prims(Prim::by_name("replace").unwrap()).len()
                + sibling_prims(Prim::by_name("objects").unwrap()).len()
        );
    }

    #[test]
    fn mirrors_are_siblings() {
        let h = Prim::by_name("hmirror").unwrap();
        let names: Vec<&str> = sibling_prims(h).iter().map(|p| p.name()).collect();
        assert_eq!(names, ["vmirror", "dmirror", "cmirror"]);
    }
}
