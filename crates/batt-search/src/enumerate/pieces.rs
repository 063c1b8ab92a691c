//! Pieces: answers layered, one `overlay` at a time, from grid terms that are each right on
//! part of every output.

use super::menu::{Fit, Force, Item};
use super::store::{term_bytes, vec_fp, Src, Term};
use super::Enum;
use batt_dsl::Prim;
use batt_prog::check::kinds::GRID;

impl Enum<'_> {
    /// Pieces: answers layered from grids that are each right on part of every output. Each of
    /// the grid terms of the outputs' shape right on most cells is a base; then, greedily, the
    /// term whose non-zero cells laid over the answer (or under it: the answer's non-zero
    /// cells over the term) make most cells right, while that grows, three layers at most.
    /// Each layer is an `overlay` line, so an answer that gives every output is a program.
    pub(super) fn pieces(&mut self) -> Result<(), &'static str> {
        const MAX_CANDS: usize = 4000;
        const LAYERS: usize = 3;
        const BASES: usize = 6;
        let Some(overlay) = Prim::by_name("overlay") else { return Ok(()) };
        let item = Item { prim: overlay, params: &[], ret: GRID, force: Force::None, uses_s: false, image: true };
        let cands: Vec<u32> = (0..self.terms.len())
            .filter(|&t| self.terms[t].kind == GRID && self.fits(t, Fit::Same))
            .take(MAX_CANDS)
            .map(|t| t as u32)
            .collect();
        if cands.len() < 2 {
            return Ok(());
        }
        let task = self.task;
        let total: usize = task.train.iter().map(|p| p.output.cells().len()).sum();
        // cells right on the train pairs when `top`'s non-zero cells lie over `under`; `None`
        // when a cell that `cur` (one of the two) has right becomes wrong: a layer is a piece,
        // right wherever it shows
        let right = |en: &Enum, under: u32, top: u32, cur: u32| -> Option<usize> {
            let mut n = 0;
            for k in 0..en.n_train {
                let g = |t: u32| en.grid_of(Src::Term(t), k);
                let (Some(a), Some(b), Some(c)) = (g(under), g(top), g(cur)) else { return None };
                let cells = a.cells().iter().zip(b.cells()).zip(c.cells()).zip(task.train[k].output.cells());
                for (((&x, &y), &z), &o) in cells {
                    if (if y != 0 { y } else { x }) == o {
                        n += 1;
                    } else if z == o {
                        return None;
                    }
                }
            }
            Some(n)
        };
        let own = |en: &Enum, t: u32| -> usize {
            (0..en.n_train)
                .map(|k| match en.grid_of(Src::Term(t), k) {
                    Some(g) => g.cells().iter().zip(task.train[k].output.cells()).filter(|(x, o)| x == o).count(),
                    None => 0,
                })
                .sum()
        };
        // the bases: the grids right on most cells (a greedy layering from the best alone
        // often ends in a corner)
        let mut ranked: Vec<(usize, u32)> = cands.iter().map(|&t| (own(self, t), t)).collect();
        ranked.sort_by_key(|&(sc, t)| (std::cmp::Reverse(sc), t));
        let mut buf = Vec::with_capacity(2);
        for &(base_score, base) in ranked.iter().take(BASES) {
            let (mut cur, mut best) = (base, base_score);
            for _ in 0..LAYERS {
                let mut pick: Option<(usize, [Src; 2])> = None;
                for &t in &cands {
                    if t == cur {
                        continue;
                    }
                    for (under, top) in [(cur, t), (t, cur)] {
                        self.tick()?;
                        let Some(sc) = right(self, under, top, cur) else { continue };
                        if sc > pick.as_ref().map_or(best, |p| p.0) {
                            pick = Some((sc, [Src::Term(under), Src::Term(top)]));
                        }
                    }
                }
                let Some((sc, args)) = pick else { break };
                let mut vals = Vec::with_capacity(self.n_in);
                for k in 0..self.n_in {
                    match self.apply_on(&item, &args, k, &mut buf) {
                        Some(v) => vals.push(v),
                        None => break,
                    }
                }
                if vals.len() < self.n_in {
                    break;
                }
                let fp = vec_fp(&vals);
                if sc == total {
                    if self.solves(&vals) && self.seen.insert(fp) {
                        self.solver_fps.insert(fp);
                        let prog = self.program_of(overlay, &args);
                        self.push_solver(prog)?;
                        return Ok(());
                    }
                    break;
                }
                let size = term_bytes(&vals);
                if !self.seen.insert(fp) || !self.pool.take(size) {
                    break;
                }
                self.bytes += size;
                let pure = args.iter().all(|a| self.pure(*a));
                self.terms.push(Term { vals: vals.into(), kind: GRID, op: Some((overlay, args.into())), pure });
                cur = (self.terms.len() - 1) as u32;
                best = sc;
            }
        }
        Ok(())
    }
}
