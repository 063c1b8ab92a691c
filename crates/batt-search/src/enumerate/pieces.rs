//! Pieces: answers laid from grid terms that are each right on part of every output, top
//! layer first. A piece is a grid of the outputs' shape on every train pair, laid in one of
//! three modes: its non-zero cells, its zero cells, or all of it. The top layer is chosen
//! first: the piece and mode that settle most cells not yet settled, among those right on
//! every cell they would settle, on every train pair; then the next layer under it, and so on.
//! Cells no layer settles are 0, so an answer is complete once every unsettled cell of every
//! output is 0. Cells are bits, the train pairs' cells one after the other, so a step over
//! thousands of pieces is a few word operations each.

use super::store::{vec_fp, Src};
use super::Enum;
use batt_dsl::{Grid, Prim, Value};
use batt_prog::check::kinds::{GRID, INDICES};
use std::collections::HashSet;

/// How a piece is laid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Mode {
    /// Its non-zero cells (an `overlay` of it).
    NonZero,
    /// Its zero cells (the cells it has 0 set to 0).
    Zero,
    /// All of it (the bottom layer).
    Full,
}

const MODES: [Mode; 3] = [Mode::NonZero, Mode::Zero, Mode::Full];

/// One layer of an answer: a piece (its index, in the order pieces were added) and its mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Layer {
    pub piece: usize,
    pub mode: Mode,
}

/// The pieces, as bits over the train outputs' cells, each pair's from a word of its own.
struct Peeler {
    shapes: Vec<(usize, usize)>,
    /// Where each pair's cells start, in words; then the words in all.
    starts: Vec<usize>,
    words: usize,
    /// The outputs' cells.
    real: Vec<u64>,
    /// The outputs' cells that are not 0.
    lit: Vec<u64>,
    /// Per piece, `2 * words`: its non-zero cells, then the cells where it is wrong.
    bits: Vec<u64>,
}

fn set(v: &mut [u64], i: usize) {
    v[i >> 6] |= 1 << (i & 63);
}

impl Peeler {
    /// For these train outputs.
    fn new<'g>(outputs: impl IntoIterator<Item = &'g Grid>) -> Peeler {
        let (mut shapes, mut starts, mut real_at, mut lit_at) = (vec![], vec![], vec![], vec![]);
        let mut words = 0;
        for o in outputs {
            shapes.push((o.h(), o.w()));
            starts.push(words);
            let base = 64 * words;
            real_at.extend(base..base + o.cells().len());
            lit_at.extend(o.cells().iter().enumerate().filter(|(_, &c)| c != 0).map(|(i, _)| base + i));
            words += o.cells().len().div_ceil(64);
        }
        starts.push(words);
        let (mut real, mut lit) = (vec![0; words], vec![0; words]);
        for i in real_at {
            set(&mut real, i);
        }
        for i in lit_at {
            set(&mut lit, i);
        }
        Peeler { shapes, starts, words, real, lit, bits: vec![] }
    }

    /// How many pieces were added.
    fn len(&self) -> usize {
        self.bits.len() / (2 * self.words).max(1)
    }

    /// Adds a piece: its grid on each train pair (against that pair's output); false, adding
    /// nothing, unless every grid has its output's shape.
    fn push<'g>(&mut self, grids: impl IntoIterator<Item = &'g Grid>, outputs: &[&Grid]) -> bool {
        let mark = self.bits.len();
        self.bits.resize(mark + 2 * self.words, 0);
        let mut k = 0;
        for g in grids {
            if k >= outputs.len() || (g.h(), g.w()) != self.shapes[k] {
                self.bits.truncate(mark);
                return false;
            }
            let base = 64 * self.starts[k];
            let (nz, bad) = self.bits[mark..].split_at_mut(self.words);
            for (i, (&c, &o)) in g.cells().iter().zip(outputs[k].cells()).enumerate() {
                if c != 0 {
                    set(nz, base + i);
                }
                if c != o {
                    set(bad, base + i);
                }
            }
            k += 1;
        }
        if k != self.shapes.len() {
            self.bits.truncate(mark);
            return false;
        }
        true
    }

    /// The layers of an answer, top first, at most `max_layers`; `None` when the greedy choice
    /// ends short of one. With `care` (a train pair), layers are chosen first for the cells
    /// they settle on that pair, which gives answers other than the overall greedy one.
    /// `tick` is called once per layer tried and may stop the peeling with its error.
    fn peel<E>(
        &self,
        care: Option<usize>,
        max_layers: usize,
        mut tick: impl FnMut() -> Result<(), E>,
    ) -> Result<Option<Vec<Layer>>, E> {
        let w = self.words;
        // the words of the cared-for pair
        let cared = care.filter(|&k| k + 1 < self.starts.len()).map_or(0..0, |k| self.starts[k]..self.starts[k + 1]);
        // settled cells, and the cells that a lower layer may still have to settle
        let mut done = vec![0u64; w];
        let mut layers = Vec::new();
        let pop = |x: u64| x.count_ones() as usize;
        while layers.len() < max_layers {
            if (0..w).all(|j| self.lit[j] & !done[j] == 0) {
                return Ok(Some(layers));
            }
            tick()?;
            let mut best: Option<((usize, usize, usize), Layer)> = None;
            for p in 0..self.len() {
                let (nz, bad) = self.bits[2 * w * p..2 * w * (p + 1)].split_at(w);
                for mode in MODES {
                    let active = |j: usize| match mode {
                        Mode::NonZero => nz[j],
                        Mode::Zero => !nz[j] & self.real[j],
                        Mode::Full => self.real[j],
                    };
                    if (0..w).any(|j| active(j) & !done[j] & bad[j] != 0) {
                        continue;
                    }
                    // cells settled: lit ones on the cared-for pair, lit ones, any
                    let mut key = (0, 0, 0);
                    for (j, (&d, &l)) in done.iter().zip(&self.lit).enumerate() {
                        let new = active(j) & !d;
                        let lit = pop(new & l);
                        key.0 += if cared.contains(&j) { lit } else { 0 };
                        key.1 += lit;
                        key.2 += pop(new);
                    }
                    if key.2 > 0 && best.as_ref().is_none_or(|b| key > b.0) {
                        best = Some((key, Layer { piece: p, mode }));
                    }
                }
            }
            let Some((_, layer)) = best else { return Ok(None) };
            let nz = &self.bits[2 * w * layer.piece..2 * w * layer.piece + w];
            for j in 0..w {
                done[j] |= match layer.mode {
                    Mode::NonZero => nz[j],
                    Mode::Zero => !nz[j] & self.real[j],
                    Mode::Full => self.real[j],
                };
            }
            layers.push(layer);
            if layer.mode == Mode::Full {
                return Ok(Some(layers));
            }
        }
        Ok((0..w).all(|j| self.lit[j] & !done[j] == 0).then_some(layers))
    }
}

impl Enum<'_> {
    /// Pieces: the grid terms of the outputs' shape laid top layer first, each in the mode
    /// (its non-zero cells, its zero cells, all of it) that settles most output cells while
    /// right on all it settles; once with every train pair counted alike, then once favouring
    /// each pair. A layer of non-zero cells is an `overlay` line, one of zero cells a `fill` of
    /// the cells `ofcolor(piece, ZERO)`, so an answer is a program; laid bottom up, it ends at
    /// the first layer that gives every output.
    pub(super) fn pieces(&mut self) -> Result<(), &'static str> {
        const MAX_PIECES: usize = 4000;
        const LAYERS: usize = 6;
        let (Some(overlay), Some(fill), Some(ofcolor)) =
            (Prim::by_name("overlay"), Prim::by_name("fill"), Prim::by_name("ofcolor"))
        else {
            return Ok(());
        };
        let task = self.task;
        let outputs: Vec<&Grid> = task.train.iter().map(|p| &p.output).collect();
        let mut peeler = Peeler::new(outputs.iter().copied());
        let mut pieces: Vec<u32> = Vec::new();
        for t in 0..self.terms.len() as u32 {
            if pieces.len() >= MAX_PIECES {
                break;
            }
            if self.terms[t as usize].kind != GRID {
                continue;
            }
            let grids: Option<Vec<&Grid>> = (0..self.n_train).map(|k| self.grid_of(Src::Term(t), k)).collect();
            if grids.is_some_and(|g| peeler.push(g, &outputs)) {
                pieces.push(t);
            }
        }
        if pieces.len() < 2 {
            return Ok(());
        }
        let mut tried: HashSet<Vec<Layer>> = HashSet::new();
        for care in std::iter::once(None).chain((0..self.n_train).map(Some)) {
            let Some(mut layers) = peeler.peel(care, LAYERS, || self.tick())? else { continue };
            if !tried.insert(layers.clone()) {
                continue;
            }
            // zero cells at the bottom lie over nothing: cells no layer settles are 0 anyway
            while layers.last().is_some_and(|l| l.mode == Mode::Zero) {
                layers.pop();
            }
            let Some(bottom) = layers.pop() else { continue };
            if layers.is_empty() {
                continue; // one piece alone: the levels have it already
            }
            // bottom up; an answer complete before the top layer ends there
            let zero = self.konst(Value::Int(0));
            let mut cur = Src::Term(pieces[bottom.piece]);
            for l in layers.iter().rev() {
                let piece = Src::Term(pieces[l.piece]);
                let (prim, args) = match l.mode {
                    Mode::Zero => {
                        let Some(vals) = self.values(ofcolor, &[piece, zero]) else { break };
                        let Some(cells) = self.store(ofcolor, &[piece, zero], vals, INDICES) else { break };
                        (fill, vec![cur, zero, cells])
                    }
                    _ => (overlay, vec![cur, piece]),
                };
                let Some(vals) = self.values(prim, &args) else { break };
                if self.solves(&vals) {
                    if self.seen.insert(vec_fp(&vals)) {
                        self.solver_fps.insert(vec_fp(&vals));
                        let prog = self.program_of(prim, &args);
                        self.push_solver(prog)?;
                    }
                    break;
                }
                let Some(next) = self.store(prim, &args, vals, GRID) else { break };
                cur = next;
            }
            if !self.solvers.is_empty() {
                break;
            }
        }
        Ok(())
    }

    /// The values of `prim(args)` on every input; `None` when it fails on one.
    pub(super) fn values(&self, prim: Prim, args: &[Src]) -> Option<Vec<Value>> {
        let mut buf = Vec::with_capacity(args.len());
        (0..self.n_in).map(|k| self.apply_on(prim, args, k, &mut buf)).collect()
    }

    /// The term of `prim(args)` with values `vals`, stored as kind `kind` unless a term has
    /// these values already; `None` when the memory is short.
    pub(super) fn store(&mut self, prim: Prim, args: &[Src], vals: Vec<Value>, kind: u32) -> Option<Src> {
        let fp = vec_fp(&vals);
        if self.seen.contains(&fp) {
            return self.terms.iter().position(|t| *t.vals == vals[..]).map(|t| Src::Term(t as u32));
        }
        if !self.take_term_bytes(&vals) {
            return None;
        }
        self.seen.insert(fp);
        let pure = args.iter().all(|a| self.pure(*a));
        Some(self.push_term(prim, args, vals, kind, pure))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer the layers give from these pieces' grids on one input (pieces indexed as added),
    /// laid bottom up: what [`Peeler::peel`] promises on the train pairs.
    fn lay(layers: &[Layer], grid: impl Fn(usize) -> Grid) -> Option<Grid> {
        let mut out: Option<Grid> = None;
        for l in layers.iter().rev() {
            let g = grid(l.piece);
            let cells = match (&out, l.mode) {
                (None, Mode::Zero) => vec![0; g.cells().len()],
                (None, _) | (_, Mode::Full) => g.cells().to_vec(),
                (Some(o), Mode::NonZero) => {
                    o.cells().iter().zip(g.cells()).map(|(&a, &b)| if b != 0 { b } else { a }).collect()
                }
                (Some(o), Mode::Zero) => {
                    o.cells().iter().zip(g.cells()).map(|(&a, &b)| if b == 0 { 0 } else { a }).collect()
                }
            };
            out = Some(Grid::new(g.h(), g.w(), cells).ok()?);
        }
        out
    }
    use batt_dsl::Grid;

    fn g(rows: &[&[i8]]) -> Grid {
        Grid::new(rows.len(), rows[0].len(), rows.iter().flat_map(|r| r.iter().copied()).collect()).unwrap()
    }

    fn answer(outputs: &[Grid], pieces: &[Vec<Grid>], care: Option<usize>) -> Option<Vec<Layer>> {
        let outs: Vec<&Grid> = outputs.iter().collect();
        let mut p = Peeler::new(outs.iter().copied());
        for piece in pieces {
            assert!(p.push(piece.iter(), &outs));
        }
        p.peel::<()>(care, 6, || Ok(())).unwrap()
    }

    #[test]
    fn layers_settle_every_output_cell_and_lay_back_into_the_outputs() {
        // the output: a's colour where b has nothing, b's where it has; a zero row on top
        let outputs = vec![g(&[&[0, 0, 0], &[1, 2, 1], &[1, 1, 2]]), g(&[&[0, 0], &[2, 1]])];
        let a = vec![g(&[&[1, 1, 1], &[1, 1, 1], &[1, 1, 1]]), g(&[&[1, 1], &[1, 1]])];
        let b = vec![g(&[&[0, 0, 0], &[0, 2, 0], &[0, 0, 2]]), g(&[&[0, 0], &[2, 0]])];
        let top = vec![g(&[&[0, 0, 0], &[5, 5, 5], &[5, 5, 5]]), g(&[&[0, 0], &[5, 5]])];
        let pieces = vec![a, b, top];
        let layers = answer(&outputs, &pieces, None).expect("an answer");
        // the zero row needs the third piece's zero cells over a
        assert!(layers.contains(&Layer { piece: 2, mode: Mode::Zero }), "{layers:?}");
        for (k, out) in outputs.iter().enumerate() {
            assert_eq!(lay(&layers, |p| pieces[p][k].clone()).as_ref(), Some(out), "{layers:?}");
        }
    }

    #[test]
    fn no_answer_when_a_cell_is_right_in_no_piece() {
        let outputs = vec![g(&[&[3, 1]])];
        let pieces = vec![vec![g(&[&[0, 1]])], vec![g(&[&[2, 1]])]];
        assert_eq!(answer(&outputs, &pieces, None), None);
        assert_eq!(answer(&outputs, &pieces, Some(0)), None);
    }

    #[test]
    fn a_piece_of_another_shape_is_refused() {
        let out = g(&[&[1, 2]]);
        let mut p = Peeler::new([&out]);
        assert!(!p.push([&g(&[&[1], &[2]])], &[&out]));
        assert!(!p.push(std::iter::empty(), &[&out]));
        assert_eq!(p.len(), 0);
        assert!(p.push([&g(&[&[1, 0]])], &[&out]));
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn an_output_of_zeros_needs_no_layer() {
        let outputs = vec![g(&[&[0, 0]])];
        assert_eq!(answer(&outputs, &[vec![g(&[&[1, 0]])]], None), Some(vec![]));
    }
}
