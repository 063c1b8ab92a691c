//! Answers that classify: when the demo outputs are a few grids, each the output of several
//! pairs, an answer may pick one of them by a feature of the input (a count, a colour, a
//! symmetry). A feature fits when the pairs it tells apart are exactly those whose outputs
//! differ, and every test input shows a value some demo input shows; the answer is then
//! `branch(equality(feature, v), grid_v, ...)` with the output grids as literals, the most
//! frequent one last (the answer for any other value). When every demo output is the same
//! grid (two pairs or more), that grid is an answer by itself, `identity(grid)`: in a view
//! that renumbers colours by role, this is a task whose outputs draw one pattern in each
//! input's colours.

use super::store::{vec_fp, Src};
use super::Enum;
use batt_dsl::{Grid, Prim, Value};
use batt_prog::check::kinds::{BOOL, GRID, INT, OBJECT, OBJECTS, PAIR};

/// The features tried per enumeration, and the classifying answers kept.
const MAX_FEATURES: usize = 20_000;
const MAX_ANSWERS: usize = 2;

/// A primitive and its arguments.
type Call = (Prim, Vec<Src>);

/// How the demo pairs fall into classes by their outputs.
pub(super) struct Classes {
    /// The distinct outputs, most frequent first (ties: first seen first).
    grids: Vec<Grid>,
    /// The class of each demo pair.
    of: Vec<usize>,
}

impl Classes {
    /// The classes of these outputs, when there are at least two and some class holds two
    /// pairs or more (one pair per class would let any feature classify).
    pub(super) fn of<'g>(outputs: impl IntoIterator<Item = &'g Grid>) -> Option<Classes> {
        let mut grids: Vec<(Grid, usize)> = Vec::new();
        let mut of = Vec::new();
        for g in outputs {
            match grids.iter().position(|(h, _)| h == g) {
                Some(c) => {
                    grids[c].1 += 1;
                    of.push(c);
                }
                None => {
                    grids.push((g.clone(), 1));
                    of.push(grids.len() - 1);
                }
            }
        }
        if grids.len() < 2 || grids.len() == of.len() {
            return None;
        }
        // most frequent first, stably
        let mut order: Vec<usize> = (0..grids.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(grids[c].1));
        let rank: Vec<usize> = (0..grids.len()).map(|c| order.iter().position(|&o| o == c).unwrap_or(c)).collect();
        Some(Classes {
            grids: order.iter().map(|&c| grids[c].0.clone()).collect(),
            of: of.iter().map(|&c| rank[c]).collect(),
        })
    }

    /// Per class, the feature value its pairs show, when the feature tells apart exactly the
    /// pairs whose outputs differ and every other input (the test inputs) shows one of them.
    pub(super) fn split(&self, vals: &[Value]) -> Option<Vec<Value>> {
        let mut by_class: Vec<Option<&Value>> = vec![None; self.grids.len()];
        for (k, &c) in self.of.iter().enumerate() {
            let v = vals.get(k)?;
            match by_class[c] {
                Some(w) if w != v => return None,
                Some(_) => {}
                None if by_class.iter().flatten().any(|w| *w == v) => return None,
                None => by_class[c] = Some(v),
            }
        }
        let seen: Vec<Value> = by_class.into_iter().map(|v| v.cloned()).collect::<Option<_>>()?;
        vals[self.of.len()..].iter().all(|v| seen.contains(v)).then_some(seen)
    }
}

/// The grid every output is, when there are two outputs or more and they are all one grid.
pub(super) fn one_output<'g>(outputs: impl IntoIterator<Item = &'g Grid>) -> Option<Grid> {
    let mut outputs = outputs.into_iter();
    let first = outputs.next()?;
    let mut n = 1;
    for g in outputs {
        if g != first {
            return None;
        }
        n += 1;
    }
    (n >= 2).then(|| first.clone())
}

impl Enum<'_> {
    /// The answer `identity(grid)` when every demo output is that grid (once per search).
    pub(super) fn constant_answer(&mut self) -> Result<(), &'static str> {
        let (Some(grid), Some(identity)) = (self.constant.take(), Prim::by_name("identity")) else { return Ok(()) };
        let c = self.konst(Value::Grid(grid));
        self.finish(identity, vec![c])
    }

    /// Classifying answers from the features of the terms stored since the last call: the
    /// integer, pair and boolean terms themselves, and, derived from them, the colour counts
    /// and colours of `I`, the number of objects of object terms, the main colour of an
    /// object, and whether `I` equals a grid term of the first level (a symmetry).
    pub(super) fn classify(&mut self) -> Result<(), &'static str> {
        let Some(classes) = self.classes.take() else { return Ok(()) };
        let result = self.classify_with(&classes);
        self.classes = Some(classes);
        result
    }

    fn classify_with(&mut self, classes: &Classes) -> Result<(), &'static str> {
        let (Some(equality), Some(branch), Some(colorcount), Some(numcolors), Some(size), Some(mostcolor)) = (
            Prim::by_name("equality"),
            Prim::by_name("branch"),
            Prim::by_name("colorcount"),
            Prim::by_name("numcolors"),
            Prim::by_name("size"),
            Prim::by_name("mostcolor"),
        ) else {
            return Ok(());
        };
        let level1_end = self.level_start.get(2).copied().unwrap_or(self.terms.len());
        let (from, to) = (self.class_scan, self.terms.len());
        self.class_scan = to;
        let i = Src::Term(0);
        for t in from..to {
            if self.class_tried >= MAX_FEATURES || self.class_answers >= MAX_ANSWERS {
                break;
            }
            let src = Src::Term(t as u32);
            let kind = self.terms[t].kind;
            let mut feats: Vec<(Option<Call>, u32)> = Vec::new();
            if kind & !(INT | PAIR | BOOL) == 0 {
                feats.push((None, kind));
            }
            if t == 0 {
                feats.push((Some((numcolors, vec![i])), INT));
                for c in 0..10 {
                    let c = self.konst(Value::Int(c));
                    feats.push((Some((colorcount, vec![i, c])), INT));
                }
            }
            if kind & !OBJECTS == 0 {
                feats.push((Some((size, vec![src])), INT));
            }
            if kind & !OBJECT == 0 {
                feats.push((Some((mostcolor, vec![src])), INT));
            }
            if t > 0 && t < level1_end && kind == GRID {
                feats.push((Some((equality, vec![i, src])), BOOL));
            }
            for (call, kind) in feats {
                self.class_tried += 1;
                let feat = match call {
                    None => match classes.split(&self.terms[t].vals) {
                        Some(seen) => (src, seen),
                        None => continue,
                    },
                    Some((p, args)) => {
                        let Some(vals) = self.values(p, &args) else { continue };
                        let Some(seen) = classes.split(&vals) else { continue };
                        match self.store(p, &args, vals, kind) {
                            Some(s) => (s, seen),
                            None => continue,
                        }
                    }
                };
                let (feat, seen) = feat;
                self.answer(classes, feat, &seen, equality, branch)?;
            }
        }
        Ok(())
    }

    /// The answer choosing class `c`'s grid where `feat` shows `seen[c]`: a chain of
    /// `branch`es, the first class (the most frequent) last.
    fn answer(
        &mut self,
        classes: &Classes,
        feat: Src,
        seen: &[Value],
        equality: Prim,
        branch: Prim,
    ) -> Result<(), &'static str> {
        let n = classes.grids.len();
        let grid = |en: &mut Self, c: usize| en.konst(Value::Grid(classes.grids[c].clone()));
        if let (2, Value::Bool(b)) = (n, &seen[1]) {
            // two classes told apart by a boolean: the boolean itself chooses
            let (yes, no) = if *b { (grid(self, 1), grid(self, 0)) } else { (grid(self, 0), grid(self, 1)) };
            return self.finish(branch, vec![feat, yes, no]);
        }
        let mut cur = grid(self, 0);
        for c in (1..n).rev() {
            let args = vec![feat, self.konst(seen[c].clone())];
            let Some(vals) = self.values(equality, &args) else { return Ok(()) };
            let Some(cond) = self.store(equality, &args, vals, BOOL) else { return Ok(()) };
            let args = vec![cond, grid(self, c), cur];
            if c == 1 {
                return self.finish(branch, args);
            }
            let Some(vals) = self.values(branch, &args) else { return Ok(()) };
            let Some(s) = self.store(branch, &args, vals, GRID) else { return Ok(()) };
            cur = s;
        }
        Ok(())
    }

    /// Keeps `prim(args)` as a solver when it gives every demo output (and it is new).
    fn finish(&mut self, prim: Prim, args: Vec<Src>) -> Result<(), &'static str> {
        let Some(vals) = self.values(prim, &args) else { return Ok(()) };
        if !self.solves(&vals) || !self.seen.insert(vec_fp(&vals)) {
            return Ok(());
        }
        self.class_answers += 1;
        let prog = self.program_of(prim, &args);
        self.push_solver(prog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(c: i8) -> Grid {
        Grid::new(1, 1, vec![c]).unwrap()
    }

    #[test]
    fn classes_need_a_class_of_two_pairs_and_two_classes() {
        assert!(Classes::of(&[g(1), g(2), g(3)]).is_none());
        assert!(Classes::of(&[g(1), g(1), g(1)]).is_none());
        let c = Classes::of(&[g(7), g(1), g(1)]).unwrap();
        // the most frequent output first
        assert_eq!(c.grids, vec![g(1), g(7)]);
        assert_eq!(c.of, vec![1, 0, 0]);
    }

    #[test]
    fn one_output_needs_two_pairs_all_with_it() {
        assert_eq!(one_output(&[g(3), g(3), g(3)]), Some(g(3)));
        assert_eq!(one_output(&[g(3), g(3), g(4)]), None);
        assert_eq!(one_output(&[g(3)]), None);
        assert_eq!(one_output(&[]), None);
    }

    #[test]
    fn a_feature_splits_only_as_the_outputs_do_and_covers_the_test_inputs() {
        let c = Classes::of(&[g(7), g(1), g(1), g(7), g(1)]).unwrap();
        let ints = |xs: &[i32]| xs.iter().map(|&x| Value::Int(x)).collect::<Vec<_>>();
        // train values 3 5 5 3 5, test 5: class 0 (output 1) shows 5, class 1 (output 7) 3
        assert_eq!(c.split(&ints(&[3, 5, 5, 3, 5, 5])), Some(ints(&[5, 3])));
        // a value the demos never show on a test input
        assert_eq!(c.split(&ints(&[3, 5, 5, 3, 5, 4])), None);
        // one class with two values, or two classes with one
        assert_eq!(c.split(&ints(&[3, 5, 6, 3, 5, 5])), None);
        assert_eq!(c.split(&ints(&[3, 3, 3, 3, 3, 3])), None);
    }
}
