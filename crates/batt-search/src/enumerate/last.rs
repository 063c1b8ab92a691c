//! The goal-directed last level: nothing is stored, and each argument is chosen for what the
//! call must give (grids that fit the outputs, the colours and patches where a grid argument
//! is first wrong, codes read off the outputs); the pruning of calls by their [`Force`].

use super::menu::{Fit, Force, Item, Mono, Param, Scaling, PATCH};
use super::store::{vec_fp, Src};
use super::{Cands, Enum};
use batt_dsl::{Grid, Patch, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Where a grid term differs from the expected outputs.
pub(super) struct Diff {
    /// Per train pair, the first cell that differs (`NO_DIFF` when none does).
    d: Arc<[u32]>,
    /// On every pair, the output has one colour on all the cells that differ.
    uni_out: bool,
    /// On every pair, the term has one colour on all the cells that differ.
    uni_in: bool,
    /// On every pair, the term's non-zero cells are the output's.
    adds_ok: bool,
    /// On every pair, the output's non-zero cells are the term's.
    drops_ok: bool,
    /// On every pair, the output has as many cells of each non-zero colour as the term.
    moves_ok: bool,
}

const NO_DIFF: u32 = u32::MAX;

/// Whether argument `a` comes strictly before `b` in the order candidates are listed:
/// constants by their index, then terms by theirs (for symmetric primitives).
fn before(a: Src, b: Src) -> bool {
    match (a, b) {
        (Src::Const(x), Src::Const(y)) => x < y,
        (Src::Const(_), Src::Term(_)) => true,
        (Src::Term(x), Src::Term(y)) => x < y,
        _ => false,
    }
}

/// Whether `g` holds `part` with its top-left corner at `(top, left)`.
fn window_eq(g: &Grid, top: usize, left: usize, part: &Grid) -> bool {
    if top + part.h() > g.h() || left + part.w() > g.w() {
        return false;
    }
    part.rows().enumerate().all(|(i, r)| &g.row(top + i)[left..left + part.w()] == r)
}

impl Enum<'_> {
    /// Before the last level: the cell index of patch terms on the first input.
    pub(super) fn prepare_last(&mut self) {
        self.diffs = (0..self.terms.len()).map(|_| None).collect();
        self.paint_fit = vec![None; self.terms.len()];
        self.cw_colour = vec![None; self.n_train];
        self.sub_corner = vec![(0, 0); self.n_train];
        self.tops = None;
        // lists of grids cached at an earlier last level lack the newer terms
        self.sub_cache.clear();
        let (oh, ow) = self.out_shapes[0];
        let mut holders: Vec<Vec<u32>> = vec![Vec::new(); oh * ow];
        for (t, term) in self.terms.iter().enumerate() {
            if term.kind & PATCH == 0 {
                continue;
            }
            let Ok(p) = term.vals[0].as_patch() else { continue };
            for (i, j) in p.ijs() {
                if i >= 0 && j >= 0 && (i as usize) < oh && (j as usize) < ow {
                    let h = &mut holders[i as usize * ow + j as usize];
                    if h.last() != Some(&(t as u32)) {
                        h.push(t as u32);
                    }
                }
            }
        }
        self.holders = holders;
    }

    /// After the last level: what it computed per term goes, so that a search waiting for its
    /// next turn holds little besides its terms.
    pub(super) fn finish_last(&mut self) {
        self.diffs = Vec::new();
        self.paint_fit = Vec::new();
        self.holders = Vec::new();
        self.sub_cache = HashMap::new();
        self.tops = None;
    }

    /// Whether term `t` fits the outputs as `fit` asks, on every train pair.
    pub(super) fn fits(&self, t: usize, fit: Fit) -> bool {
        let vals = &self.terms[t].vals;
        (0..self.n_train).all(|k| {
            let (oh, ow) = self.out_shapes[k];
            match (&vals[k], fit) {
                (Value::Grid(g), _) => grid_fits((g.h(), g.w()), (oh, ow), fit),
                (Value::Pair(h, w), Fit::ShapeOf) => (*h as i64, *w as i64) == (oh as i64, ow as i64),
                (v, Fit::BBox) => match v.as_patch().ok().and_then(batt_dsl::prims::patch::bbox) {
                    Some((t, l, b, r)) => ((b - t + 1) as i64, (r - l + 1) as i64) == (oh as i64, ow as i64),
                    None => false,
                },
                _ => false,
            }
        })
    }

    /// How term `t` differs from the outputs; `None` unless it is a grid of the output's
    /// shape on every train pair.
    fn diff(&mut self, t: u32) -> Option<&Diff> {
        let t = t as usize;
        if matches!(self.diffs.get(t), Some(None)) {
            let df = self.compute_diff(t);
            self.diffs[t] = Some(df);
        }
        self.diffs.get(t).and_then(|d| d.as_ref()).and_then(|d| d.as_ref())
    }

    fn compute_diff(&self, t: usize) -> Option<Diff> {
        let mut d = Vec::with_capacity(self.n_train);
        let (mut uni_out, mut uni_in, mut adds_ok, mut drops_ok, mut moves_ok) = (true, true, true, true, true);
        for (k, ex) in self.task.train.iter().enumerate() {
            let Value::Grid(g) = &self.terms[t].vals[k] else { return None };
            let out = &ex.output;
            if (g.h(), g.w()) != (out.h(), out.w()) {
                return None;
            }
            let mut first = NO_DIFF;
            for (i, (&x, &o)) in g.cells().iter().zip(out.cells()).enumerate() {
                if x != o {
                    adds_ok &= x == 0;
                    drops_ok &= o == 0;
                    if first == NO_DIFF {
                        first = i as u32;
                    } else {
                        uni_out &= o == out.cells()[first as usize];
                        uni_in &= x == g.cells()[first as usize];
                    }
                }
            }
            if first != NO_DIFF && moves_ok {
                let (a, b) = (g.histogram(), out.histogram());
                moves_ok = a[1..] == b[1..];
            }
            d.push(first);
        }
        Some(Diff { d: d.into(), uni_out, uni_in, adds_ok, drops_ok, moves_ok })
    }

    /// At the last level, the candidates for argument `q` when the arguments before it choose
    /// them (see [`Force`]), and where those of the newest level (from `old_end` on) start;
    /// `None` when they are the parameter's own.
    pub(super) fn forced_cands(
        &mut self,
        item: &Item,
        cands: &[Cands],
        old_end: usize,
        q: usize,
        combo: &[Src; 4],
    ) -> Option<(Arc<[Src]>, usize)> {
        let split_of = |list: &[Src]| list.partition_point(|s| matches!(s, Src::Term(t) if (*t as usize) < old_end));
        match (item.force, q) {
            // the patch of fill, cover, paint must hold the first wrong cell
            (Force::Fill, 2) | (Force::Cover | Force::Paint(_), 1) => match combo[0] {
                Src::Term(a) => {
                    let d = self.diff(a).map_or(NO_DIFF, |df| df.d[0]);
                    self.holders.get(d as usize).map(|hs| {
                        let mask = match item.params[q] {
                            Param::Term(m) | Param::TermFit(m, _) | Param::ConstOrTerm(m, _) => m,
                            _ => 0,
                        };
                        let list: Arc<[Src]> = hs
                            .iter()
                            .filter(|&&t| self.terms[t as usize].kind & mask != 0)
                            .map(|&t| Src::Term(t))
                            .collect();
                        let split = split_of(&list);
                        (list, split)
                    })
                }
                _ => None,
            },
            // the colour map from the grid chosen to the outputs, when there is one
            (Force::ColourMap | Force::SizeMap(_) | Force::Layers, 1) => {
                let code = match (combo[0], item.force) {
                    (Src::Term(a), Force::ColourMap) => self.colour_map(a),
                    (Src::Term(a), Force::Layers) => self.layer_order(a),
                    (Src::Term(a), Force::SizeMap(rank)) => self.size_map(a, rank),
                    _ => None,
                };
                let list: Arc<[Src]> = match code {
                    Some(code) => Arc::from([self.konst(Value::Int(code))]),
                    None => Arc::from([]),
                };
                let n = list.len();
                Some((list, n))
            }
            // the tops right wherever they are non-zero, and non-zero where the grid under
            // them is first wrong
            (Force::Overlay, 1) => match combo[0] {
                Src::Term(a) => {
                    let d: Option<Arc<[u32]>> = self.diff(a).map(|df| df.d.clone());
                    let tops = self.tops(&cands[1].0);
                    let list: Arc<[Src]> = match d {
                        Some(d) if d.iter().any(|&x| x != NO_DIFF) => tops
                            .iter()
                            .copied()
                            .filter(|&b| {
                                d.iter().enumerate().all(|(k, &x)| {
                                    x == NO_DIFF || self.grid_of(b, k).is_some_and(|g| g.cells()[x as usize] != 0)
                                })
                            })
                            .collect(),
                        _ => Arc::from([]),
                    };
                    let split = split_of(&list);
                    Some((list, split))
                }
                _ => None,
            },
            // the grids that hold the output where the patch chosen has its box
            (Force::Subgrid, 1) => {
                let list = match self.sub_cache.get(&self.sub_corner) {
                    Some(l) => l.clone(),
                    None => {
                        let task = self.task;
                        let l: Arc<[Src]> = cands[1]
                            .0
                            .iter()
                            .copied()
                            .filter(|&g| {
                                (0..self.n_train).all(|k| match self.grid_of(g, k) {
                                    Some(g) => {
                                        window_eq(g, self.sub_corner[k].0, self.sub_corner[k].1, &task.train[k].output)
                                    }
                                    None => false,
                                })
                            })
                            .collect();
                        self.sub_cache.insert(self.sub_corner.clone(), l.clone());
                        l
                    }
                };
                let split = split_of(&list);
                Some((list, split))
            }
            _ => None,
        }
    }

    /// Of `cands`, the grids whose non-zero cells (at least one) are all the outputs', on
    /// every train pair: what `overlay` may lay on top at the last level.
    fn tops(&mut self, cands: &[Src]) -> Arc<[Src]> {
        if let Some(t) = &self.tops {
            return t.clone();
        }
        let task = self.task;
        let list: Arc<[Src]> = cands
            .iter()
            .copied()
            .filter(|&b| {
                (0..self.n_train).all(|k| match self.grid_of(b, k) {
                    Some(g) if (g.h(), g.w()) == (task.train[k].output.h(), task.train[k].output.w()) => {
                        let out = task.train[k].output.cells();
                        g.cells().iter().zip(out).all(|(&x, &o)| x == 0 || x == o) && g.cells().iter().any(|&x| x != 0)
                    }
                    _ => false,
                })
            })
            .collect();
        self.tops = Some(list.clone());
        list
    }

    /// At the last level, whether grid `a` can become the outputs by a step that changes only
    /// 0 cells (`Mono::Adds`), only non-zero ones (`Mono::Drops`), or moves cells
    /// (`Mono::Moves`).
    pub(super) fn mono_ok(&mut self, mono: Mono, a: Src) -> bool {
        let Src::Term(a) = a else { return true };
        match (mono, self.diff(a)) {
            (Mono::Any, _) => true,
            (_, None) => false,
            (Mono::Adds, Some(df)) => df.adds_ok,
            (Mono::Drops, Some(df)) => df.drops_ok,
            (Mono::Moves, Some(df)) => df.moves_ok,
        }
    }

    /// Whether arguments `..=q` are worth completing (see [`Force`]).
    pub(super) fn prune_ok(&mut self, item: &Item, combo: &[Src; 4], q: usize, last: bool) -> bool {
        if !last {
            // switch is symmetric in its colours, and the identity on one colour twice
            if item.force == Force::Switch && q == 2 && !before(combo[1], combo[2]) {
                return false;
            }
            let same = |a: &Grid, b: &Grid| match item.force {
                Force::Concat(true) => a.h() == b.h(),
                Force::Concat(false) => a.w() == b.w(),
                Force::Cellwise => (a.h(), a.w()) == (b.h(), b.w()),
                _ => true,
            };
            // cellwise is symmetric in its grids, and the identity on one grid
            if item.force == Force::Cellwise && q == 1 && !before(combo[0], combo[1]) {
                return false;
            }
            return q != 1
                || !matches!(item.force, Force::Concat(_) | Force::Cellwise)
                || (0..self.n_in).all(|k| match (self.grid_of(combo[0], k), self.grid_of(combo[1], k)) {
                    (Some(a), Some(b)) => same(a, b),
                    _ => false,
                });
        }
        let task = self.task;
        let out = |k: usize| &task.train[k].output;
        match (item.force, q) {
            (Force::Holds | Force::Parts | Force::Layers, 0) => (0..self.n_train).all(|k| {
                let Some(parts) = self.value_ref(combo[0], k).and_then(Value::as_values) else {
                    return false;
                };
                let o = out(k);
                match item.force {
                    Force::Holds => parts.iter().any(|p| matches!(p, Value::Grid(g) if g == o)),
                    _ => matches!(parts.first(), Some(Value::Grid(g)) if (g.h(), g.w()) == (o.h(), o.w())),
                }
            }),
            (Force::Corner(whole), 0) => (0..self.n_train).all(|k| {
                let (Some(g), o) = (self.grid_of(combo[0], k), out(k)) else { return false };
                let (h, w) = if whole { (g.h().min(o.h()), g.w().min(o.w())) } else { (1, 1) };
                (0..h).all(|i| g.row(i)[..w] == o.row(i)[..w])
            }),
            (
                Force::Replace
                | Force::Switch
                | Force::Fill
                | Force::Cover
                | Force::Cellwise
                | Force::Sets
                | Force::Keeps
                | Force::From,
                _,
            ) => {
                let Src::Term(a) = combo[0] else { return false };
                let Some(df) = self.diff(a) else { return false };
                let (uni_out, uni_in) = (df.uni_out, df.uni_in);
                let ds = df.d.clone();
                match (item.force, q) {
                    (Force::Replace, 0) => uni_out && uni_in,
                    (Force::Fill | Force::Cover | Force::Cellwise | Force::Sets | Force::Keeps, 0) => uni_out,
                    (Force::From, 0) => uni_in,
                    (Force::Replace | Force::Switch, 1 | 2)
                    | (Force::Fill | Force::Sets | Force::Keeps | Force::From, 1)
                    | (Force::Cellwise, 2) => {
                        (0..self.n_train).all(|k| {
                            let d = ds[k];
                            if d == NO_DIFF {
                                return true;
                            }
                            let (Some(g), Some(x)) = (self.grid_of(combo[0], k), self.int_at(combo[q], k)) else {
                                return false;
                            };
                            let (was, want) = (g.cells()[d as usize] as i32, out(k).cells()[d as usize] as i32);
                            match (item.force, q) {
                                (Force::Replace | Force::From, 1) => x == was,
                                (Force::Keeps, 1) => want == 0 && x != was,
                                (Force::Switch, 1) => x == was || x == want,
                                (Force::Switch, 2) => {
                                    let x1 = self.int_at(combo[1], k);
                                    x1 == Some(was) && x == want || x1 == Some(want) && x == was
                                }
                                _ => x == want,
                            }
                        }) && (item.force != Force::Cellwise
                            || (0..self.n_train).all(|k| match self.cw_colour[k] {
                                Some(c) => self.int_at(combo[2], k) == Some(c),
                                None => true,
                            }))
                    }
                    (Force::Fill, 2) | (Force::Cover, 1) => self.holds(combo[q], &ds),
                    (Force::Cellwise, 1) => before(combo[0], combo[1]) && self.cellwise_ok(combo, &ds),
                    _ => true,
                }
            }
            (Force::Paint(under), 1) => {
                let Src::Term(a) = combo[0] else { return false };
                let Some(df) = self.diff(a) else { return false };
                let ds = df.d.clone();
                self.paint_ok(combo, &ds, under)
            }
            (Force::Concat(h), _) => (0..self.n_train).all(|k| {
                let Some(x) = self.grid_of(combo[q], k) else { return false };
                let o = out(k);
                let (top, left) = match (q, self.grid_of(combo[0], k)) {
                    (0, _) => (0, 0),
                    (_, Some(a)) if h => (0, a.w()),
                    (_, Some(a)) => (a.h(), 0),
                    _ => return false,
                };
                let fits = if h {
                    x.h() == o.h() && left + x.w() <= o.w() && (q == 0 || left + x.w() == o.w())
                } else {
                    x.w() == o.w() && top + x.h() <= o.h() && (q == 0 || top + x.h() == o.h())
                };
                fits && window_eq(o, top, left, x)
            }),
            (Force::Subgrid, 0) => (0..self.n_train).all(|k| {
                let corner =
                    self.value_ref(combo[0], k).and_then(|p| p.as_patch().ok()).and_then(batt_dsl::prims::patch::bbox);
                match corner {
                    Some((t, l, _, _)) if t >= 0 && l >= 0 => {
                        self.sub_corner[k] = (t as usize, l as usize);
                        true
                    }
                    _ => false,
                }
            }),
            (Force::Scale(how), 1) => (0..self.n_train).all(|k| {
                let (Some(g), Some(s)) = (self.grid_of(combo[0], k), self.int_at(combo[1], k)) else {
                    return false;
                };
                scaled_shape(how, (g.h(), g.w()), s) == Some(self.out_shapes[k])
            }),
            _ => true,
        }
    }

    /// Per train pair, grid term `t` and the expected output, when they have one shape.
    fn with_outputs(&self, t: u32) -> Option<Vec<(&Grid, &Grid)>> {
        (0..self.n_train)
            .map(|k| {
                let (g, o) = (self.grid_of(Src::Term(t), k)?, &self.task.train[k].output);
                ((g.h(), g.w()) == (o.h(), o.w())).then_some((g, o))
            })
            .collect()
    }

    /// The code of a map of digits as `map_colours` and `recolour_by_size` read it (pairs of
    /// decimal digits, the smallest `from` first so that five pairs may fit), when some pair
    /// is given and it fits in an `i32`.
    fn digit_code(map: &[Option<i8>; 10]) -> Option<i32> {
        let pairs: Vec<(i64, i64)> =
            map.iter().enumerate().filter_map(|(n, c)| c.map(|c| (n as i64, c as i64))).collect();
        if pairs.is_empty() {
            return None;
        }
        i32::try_from(pairs.iter().fold(0i64, |code, &(n, c)| code * 100 + n * 10 + c)).ok()
    }

    /// The `map_colours` code taking grid term `t` to the outputs on every train pair: each
    /// colour of `t` becomes one colour, and some change; `None` otherwise.
    fn colour_map(&self, t: u32) -> Option<i32> {
        let mut map = [None::<i8>; 10];
        for (g, o) in self.with_outputs(t)? {
            for (&x, &y) in g.cells().iter().zip(o.cells()) {
                let slot = map.get_mut(usize::try_from(x).ok()?)?;
                if *slot.get_or_insert(y) != y || !(0..10).contains(&y) {
                    return None;
                }
            }
        }
        // only the colours that change
        for (x, slot) in map.iter_mut().enumerate() {
            if *slot == Some(x as i8) {
                *slot = None;
            }
        }
        Self::digit_code(&map)
    }

    /// The `layer` code laying tuple term `t`'s grids into the outputs on every train pair,
    /// when there is one naming at least two grids. The grids are peeled top first: the next
    /// is the first grid that is right, on every pair, wherever it is non-zero and no grid
    /// above it is, and adds such a cell on some pair; the cells no grid covers must be 0.
    fn layer_order(&self, t: u32) -> Option<i32> {
        let mut pairs = vec![];
        for k in 0..self.n_train {
            let parts = self.value_ref(Src::Term(t), k)?.as_values()?;
            let gs: Vec<&Grid> = parts.iter().map(|v| v.as_grid().ok()).collect::<Option<_>>()?;
            let o = &self.task.train[k].output;
            if gs.iter().any(|g| (g.h(), g.w()) != (o.h(), o.w())) {
                return None;
            }
            pairs.push((gs, o, vec![false; o.cells().len()]));
        }
        let n = pairs.iter().map(|(gs, ..)| gs.len()).min()?.min(9);
        let mut order: Vec<usize> = vec![];
        loop {
            let fits = |i: usize, pairs: &[(Vec<&Grid>, &Grid, Vec<bool>)]| {
                let mut adds = false;
                for (gs, o, covered) in pairs {
                    for ((&c, &y), &done) in gs[i].cells().iter().zip(o.cells()).zip(covered) {
                        if c != 0 && !done {
                            if c != y {
                                return false;
                            }
                            adds = true;
                        }
                    }
                }
                adds
            };
            let Some(i) = (0..n).find(|&i| !order.contains(&i) && fits(i, &pairs)) else { break };
            for (gs, _, covered) in pairs.iter_mut() {
                for (done, &c) in covered.iter_mut().zip(gs[i].cells()) {
                    *done |= c != 0;
                }
            }
            order.push(i);
        }
        let rest_zero =
            pairs.iter().all(|(_, o, covered)| o.cells().iter().zip(covered).all(|(&y, &done)| done || y == 0));
        (order.len() >= 2 && rest_zero).then(|| order.iter().fold(0, |code, &i| code * 10 + i as i32 + 1))
    }

    /// The `recolour_by_size` code (`recolour_by_rank` when `rank`) taking grid term `t` to the
    /// outputs on every train pair: the 0 cells stay, every group of cells becomes one colour,
    /// the same for every group of its size or size rank (up to 9; other groups stay as they
    /// are); `None` otherwise.
    fn size_map(&self, t: u32, rank: bool) -> Option<i32> {
        let mut map = [None::<i8>; 10];
        for (g, o) in self.with_outputs(t)? {
            if g.cells().iter().zip(o.cells()).any(|(&x, &y)| x == 0 && y != 0) {
                return None;
            }
            let groups = batt_dsl::prims::image::groups(g, |c| c != 0, false);
            let keys: Vec<usize> = match rank {
                true => batt_dsl::prims::image::size_ranks(&groups),
                false => groups.iter().map(Vec::len).collect(),
            };
            for (group, key) in groups.iter().zip(keys) {
                let c = o.cells()[group[0]];
                if group.iter().any(|&p| o.cells()[p] != c) {
                    return None;
                }
                match map.get_mut(key) {
                    Some(slot) => {
                        if *slot.get_or_insert(c) != c || !(0..10).contains(&c) {
                            return None;
                        }
                    }
                    None => {
                        if group.iter().any(|&p| o.cells()[p] != g.cells()[p]) {
                            return None;
                        }
                    }
                }
            }
        }
        Self::digit_code(&map)
    }

    /// `paint(a, obj)` at the last level: on every train pair, the object holds the first
    /// cell where `a` is wrong, and each of its cells inside the grid has the output's colour
    /// (for `underpaint`, where `a` does not).
    fn paint_ok(&mut self, combo: &[Src; 4], ds: &[u32], under: bool) -> bool {
        if let (false, Src::Term(t)) = (under, combo[1]) {
            // whether the object's colours are right depends on it alone
            if !self.paints_right(t as usize) {
                return false;
            }
        }
        (0..self.n_train).all(|k| {
            let (Some(g), Some(Value::Object(cells))) = (self.grid_of(combo[0], k), self.value_ref(combo[1], k)) else {
                return false;
            };
            let o = &self.task.train[k].output;
            let (h, w) = (o.h() as i32, o.w() as i32);
            let mut covered = ds[k] == NO_DIFF;
            for c in cells.iter() {
                let (i, j) = (c.i(), c.j());
                if i < 0 || j < 0 || i >= h || j >= w {
                    continue;
                }
                let at = (i * w + j) as usize;
                let want = o.cells()[at] as i32;
                if under && c.color() != want && g.cells()[at] as i32 != want {
                    return false;
                }
                covered |= at as u32 == ds[k];
            }
            covered
        })
    }

    /// Whether every cell of object term `t` inside the output has the output's colour, on
    /// every train pair (computed once per term at the last level).
    fn paints_right(&mut self, t: usize) -> bool {
        if let Some(&Some(ok)) = self.paint_fit.get(t) {
            return ok;
        }
        let ok = (0..self.n_train).all(|k| {
            let Some(Value::Object(cells)) = self.terms[t].vals.get(k) else { return false };
            let o = &self.task.train[k].output;
            let (h, w) = (o.h() as i32, o.w() as i32);
            cells.iter().all(|c| {
                let (i, j) = (c.i(), c.j());
                i < 0 || j < 0 || i >= h || j >= w || c.color() == o.cells()[(i * w + j) as usize] as i32
            })
        });
        if let Some(slot) = self.paint_fit.get_mut(t) {
            *slot = Some(ok);
        }
        ok
    }

    /// Whether patch `p` holds cell `ds[k]` of the output on every train pair where the grid
    /// argument differs.
    fn holds(&self, p: Src, ds: &[u32]) -> bool {
        (0..self.n_train).all(|k| {
            let d = ds[k];
            if d == NO_DIFF {
                return true;
            }
            let ow = self.out_shapes[k].1 as u32;
            let (i, j) = ((d / ow) as i32, (d % ow) as i32);
            match self.value_ref(p, k).map(|v| v.as_patch()) {
                Some(Ok(Patch::Indices(s))) => batt_dsl::Loc::new(i, j).is_some_and(|l| s.binary_search(&l).is_ok()),
                Some(Ok(Patch::Object(s))) => s.iter().any(|c| (c.i(), c.j()) == (i, j)),
                _ => false,
            }
        })
    }

    /// `cellwise(a, b, c)` at the last level, before `c` is chosen: where `a` and `b` agree
    /// they are the output, and elsewhere the output has one colour (noted for `c`).
    fn cellwise_ok(&mut self, combo: &[Src; 4], ds: &[u32]) -> bool {
        for (k, &d) in ds.iter().enumerate().take(self.n_train) {
            let (Some(a), Some(b)) = (self.grid_of(combo[0], k), self.grid_of(combo[1], k)) else { return false };
            let o = &self.task.train[k].output;
            if (a.h(), a.w()) != (b.h(), b.w()) {
                return false;
            }
            let mut c: Option<i8> = (d != NO_DIFF).then(|| o.cells()[d as usize]);
            for ((&x, &y), &z) in a.cells().iter().zip(b.cells()).zip(o.cells()) {
                if x == y {
                    if x != z {
                        return false;
                    }
                } else if *c.get_or_insert(z) != z {
                    return false;
                }
            }
            self.cw_colour[k] = c.map(|c| c as i32);
        }
        true
    }

    /// At the last level: applies `item` to `args` on the train inputs while it gives their
    /// outputs, then on the test inputs; a new solver is reported (nothing is stored).
    pub(super) fn try_last(&mut self, item: &Item, args: &[Src]) -> Result<(), &'static str> {
        // a grid on every input, the output on each train input
        let gives = |en: &Self, k: usize, v: &Value| matches!(v, Value::Grid(g) if k >= en.n_train || *g == en.task.train[k].output);
        let Some(vals) = self.apply_all(item, args, gives)? else { return Ok(()) };
        if self.idle_on_demos(args, &vals) {
            return Ok(());
        }
        let fp = vec_fp(&vals);
        if !self.seen.insert(fp) {
            return self.duplicate(item, args, true, fp);
        }
        self.solver_fps.insert(fp);
        let prog = self.program_of(item.prim, args);
        self.push_solver(prog)
    }
}

/// Whether an argument grid of shape `(h, w)` can give an output of shape `(oh, ow)` as `fit`
/// asks (the shape each primitive of `MENU` gives its grid argument, restated; tested against
/// the primitives).
fn grid_fits((h, w): (usize, usize), (oh, ow): (usize, usize), fit: Fit) -> bool {
    match fit {
        Fit::Same => (h, w) == (oh, ow),
        Fit::Trans => (w, h) == (oh, ow),
        Fit::Rows => h == oh && w < ow,
        Fit::Cols => w == ow && h < oh,
        Fit::HalfH => w == ow && h / 2 == oh,
        Fit::HalfW => h == oh && w / 2 == ow,
        Fit::Trim => (h, w) == (oh + 2, ow + 2),
        Fit::Larger => h >= oh && w >= ow && (h, w) != (oh, ow),
        Fit::Squared => (h * h, w * w) == (oh, ow),
        Fit::ToRow => oh == 1,
        Fit::BBox | Fit::ShapeOf => false,
    }
}

/// The shape the scaling primitive `how` (`upscale`, `downscale`, `hupscale` or `vupscale`)
/// gives an `(h, w)` grid with factor `s`; `None` when the result is no grid (tested against
/// the primitives; `downscale`'s is the primitive's own).
fn scaled_shape(how: Scaling, (h, w): (usize, usize), s: i32) -> Option<(usize, usize)> {
    let f = usize::try_from(s).ok().filter(|&f| f > 0);
    match how {
        Scaling::Up => f.map(|f| (h * f, w * f)),
        Scaling::Down => batt_dsl::prims::grid::downscale_step(h, w, s).ok().map(|(_, shape)| shape),
        Scaling::Wide => f.map(|f| (h, w * f)),
        Scaling::Tall => f.map(|f| (h * f, w)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enumerate::menu::{ADDS_ONLY, DROPS_ONLY, MENU, MOVES_ONLY};
    use batt_dsl::{Ctx, Prim};
    use batt_prog::check::kinds::GRID;

    /// The shapes the last level restates agree with what the primitives give: every grid a
    /// primitive makes from an argument of some shape passes the argument's fit (nothing
    /// valid is pruned), and the scale shapes are exactly the primitives'.
    #[test]
    fn restated_shapes_agree_with_the_primitives() {
        let grid = |h: usize, w: usize| {
            let cells = (0..h * w).map(|k| ((k * 7 + k / w) % 3) as i8).collect();
            Value::Grid(Grid::new(h, w, cells).unwrap())
        };
        let shape_of = |v: Result<Value, _>| match v {
            Ok(Value::Grid(g)) => Some((g.h(), g.w())),
            _ => None,
        };
        let mut checked = 0;
        for e in MENU {
            let p = Prim::by_name(e.name).unwrap();
            for h in 1..=9 {
                for w in 1..=9 {
                    let g = grid(h, w);
                    if let [Param::TermFit(GRID, fit)] = e.params {
                        let got = Ctx::default().apply(p, std::slice::from_ref(&g));
                        if *fit == Fit::Larger && got.as_ref() == Ok(&g) {
                            // compress that removes nothing gives its argument, a term already
                            continue;
                        }
                        let Some(out) = shape_of(got) else { continue };
                        assert!(grid_fits((h, w), out, *fit), "{} of {h}x{w} gives {out:?}", e.name);
                        if !matches!(fit, Fit::Larger | Fit::ToRow) {
                            for oh in 1..=11 {
                                for ow in 1..=11 {
                                    let fits = grid_fits((h, w), (oh, ow), *fit);
                                    assert_eq!(fits, (oh, ow) == out, "{} {h}x{w} -> {oh}x{ow}", e.name);
                                }
                            }
                        }
                        checked += 1;
                    }
                    if let Force::Scale(how) = e.force {
                        for s in -3..=5 {
                            let got = shape_of(Ctx::default().apply(p, &[g.clone(), Value::Int(s)]));
                            assert_eq!(scaled_shape(how, (h, w), s), got, "{}({h}x{w}, {s})", e.name);
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 13 * 81, "{checked}");
    }

    /// The steps the last level treats as changing only 0 cells, only setting non-zero cells
    /// to 0, or moving cells do so on every grid and argument tried (so the pruning drops no
    /// answer).
    #[test]
    fn steps_that_only_add_drop_or_move_do() {
        let grid = |seed: usize, h: usize, w: usize| {
            let cells = (0..h * w).map(|k| (((k * 7 + seed) * (k / w + 3) + seed / 3) % 5) as i8).collect();
            Grid::new(h, w, cells).unwrap()
        };
        let mut changed = [0; 3];
        for (sort, names) in [&ADDS_ONLY[..], &DROPS_ONLY[..], &MOVES_ONLY[..]].into_iter().enumerate() {
            for name in names {
                let p = Prim::by_name(name).unwrap();
                for seed in 0..40 {
                    let g = grid(seed, 3 + seed % 5, 2 + seed % 7);
                    for x in -1..14 {
                        let args = match p.info().params.len() {
                            1 => vec![Value::Grid(g.clone())],
                            _ => vec![Value::Grid(g.clone()), Value::Int(x)],
                        };
                        let Ok(Value::Grid(out)) = Ctx::default().apply(p, &args) else { continue };
                        assert_eq!((out.h(), out.w()), (g.h(), g.w()), "{name}");
                        for (&a, &b) in g.cells().iter().zip(out.cells()) {
                            assert!(a == b || [a == 0, b == 0, true][sort], "{name}({x}): {a} -> {b}");
                        }
                        if sort == 2 {
                            assert_eq!(g.histogram()[1..], out.histogram()[1..], "{name}({x})");
                        }
                        changed[sort] += usize::from(out != g);
                    }
                }
            }
        }
        assert!(changed.iter().all(|&n| n > 50), "{changed:?}");
    }
}
