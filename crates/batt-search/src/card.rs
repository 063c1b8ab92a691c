//! The card: what goes into a generation's battery, within a line budget.

use crate::mutate::variants;
use batt_engine::Battery;
use batt_prog::Program;

/// A battery holding `programs`, then their variants taken round-robin (the first variant of
/// every program, then the second, ...), grown until it holds `line_budget` lines. Programs
/// that add no new line (duplicates) cost nothing.
pub fn build(programs: &[Program], line_budget: usize) -> Battery {
    let mut b = Battery::new();
    for p in programs {
        b.add_program(p);
    }
    let pools: Vec<Vec<Program>> = programs.iter().map(variants).collect();
    let deepest = pools.iter().map(Vec::len).max().unwrap_or(0);
    'fill: for k in 0..deepest {
        for pool in &pools {
            if b.len() >= line_budget {
                break 'fill;
            }
            if let Some(v) = pool.get(k) {
                b.add_program(v);
            }
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use batt_prog::parse_str;

    #[test]
    fn grows_to_the_budget_and_keeps_the_programs() {
        let src = "def solve_a(I):\n    x1 = replace(I, ONE, TWO)\n    O = rot90(x1)\n    return O\n\
                   def solve_b(I):\n    O = hmirror(I)\n    return O\n";
        let ps: Vec<Program> = parse_str(src, "t.py").programs.into_iter().map(|p| p.program).collect();
        let b = build(&ps, 3);
        assert_eq!(b.candidates().len(), 2, "the programs fit the budget without variants");
        let b = build(&ps, 20);
        assert!(b.len() >= 20);
        assert_eq!(b.candidates()[0].name, "a");
        let all = build(&ps, usize::MAX);
        // every variant of both programs is in: hmirror has 3 siblings, a has many
        assert!(all.candidates().len() > 2 + 3 + 9 + 9);
    }
}
