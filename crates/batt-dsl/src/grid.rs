//! Grids: a rectangle of cells in one allocation, with its fingerprint computed once, when
//! first asked (many grids a search makes are compared once and dropped, never hashed).

use crate::fail::{Fail, Res};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Largest side of a grid. ARC grids are at most 30 × 30, but arc-dsl programs build larger
/// intermediates (the reference solvers make 36 × 36 and 3 × 108 grids), so batt allows more.
pub const MAX_SIDE: usize = 255;
/// Largest number of cells of a grid.
pub const MAX_CELLS: usize = 4096;

/// A rectangular grid of colours. Colours are ARC's 0..=9 in task data; programs may use any
/// value of `i8` (arc-dsl solvers use -1 as a marker).
pub struct Grid {
    h: u8,
    w: u8,
    /// The fingerprint, [`UNKNOWN`] until first asked.
    fp: AtomicU64,
    cells: Arc<[i8]>,
}

/// A fingerprint not computed yet (a grid whose fingerprint is this value computes it again
/// each time it is asked, which changes nothing else).
const UNKNOWN: u64 = 0;

impl Clone for Grid {
    fn clone(&self) -> Grid {
        Grid { h: self.h, w: self.w, fp: AtomicU64::new(self.fp.load(Relaxed)), cells: self.cells.clone() }
    }
}

impl Grid {
    /// A grid of `h` rows and `w` columns from row-major cells.
    pub fn new(h: usize, w: usize, cells: Vec<i8>) -> Res<Grid> {
        if h == 0 || w == 0 {
            return Err(Fail::Domain("grid with no cells"));
        }
        if h > MAX_SIDE || w > MAX_SIDE || h * w > MAX_CELLS {
            return Err(Fail::Limit("grid too large"));
        }
        debug_assert_eq!(cells.len(), h * w);
        Ok(Grid { h: h as u8, w: w as u8, fp: AtomicU64::new(UNKNOWN), cells: cells.into() })
    }

    /// A grid whose fingerprint was computed elsewhere (by a GPU kernel that computes
    /// [`fingerprint_cells`] exactly); checked in debug builds.
    pub fn with_fingerprint(h: usize, w: usize, cells: Vec<i8>, fp: u64) -> Res<Grid> {
        if h == 0 || w == 0 {
            return Err(Fail::Domain("grid with no cells"));
        }
        if h > MAX_SIDE || w > MAX_SIDE || h * w > MAX_CELLS || cells.len() != h * w {
            return Err(Fail::Limit("grid too large"));
        }
        debug_assert_eq!(fp, fingerprint_cells(h, w, &cells), "fingerprint computed elsewhere disagrees");
        Ok(Grid { h: h as u8, w: w as u8, fp: AtomicU64::new(fp), cells: cells.into() })
    }

    /// A grid filled with one colour.
    pub fn filled(h: usize, w: usize, c: i8) -> Res<Grid> {
        if h > MAX_SIDE || w > MAX_SIDE || h * w > MAX_CELLS {
            return Err(Fail::Limit("grid too large"));
        }
        Grid::new(h, w, vec![c; h * w])
    }

    #[inline]
    pub fn h(&self) -> usize {
        self.h as usize
    }
    #[inline]
    pub fn w(&self) -> usize {
        self.w as usize
    }
    /// Row-major cells.
    #[inline]
    pub fn cells(&self) -> &[i8] {
        &self.cells
    }
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> i8 {
        self.cells[i * self.w as usize + j]
    }
    /// The colour at `(i, j)` if that lies inside the grid.
    #[inline]
    pub fn at(&self, i: i32, j: i32) -> Option<i8> {
        if i >= 0 && j >= 0 && (i as usize) < self.h() && (j as usize) < self.w() {
            Some(self.get(i as usize, j as usize))
        } else {
            None
        }
    }
    #[inline]
    pub fn row(&self, i: usize) -> &[i8] {
        let w = self.w as usize;
        &self.cells[i * w..(i + 1) * w]
    }
    pub fn rows(&self) -> std::slice::ChunksExact<'_, i8> {
        self.cells.chunks_exact(self.w as usize)
    }
    /// The 64-bit fingerprint of shape and cells.
    #[inline]
    pub fn fp(&self) -> u64 {
        match self.fp.load(Relaxed) {
            UNKNOWN => {
                let fp = fingerprint_cells(self.h as usize, self.w as usize, &self.cells);
                self.fp.store(fp, Relaxed);
                fp
            }
            fp => fp,
        }
    }
    /// A copy of the cells, to modify and rebuild with [`Grid::new`].
    pub fn to_vec(&self) -> Vec<i8> {
        self.cells.to_vec()
    }
    /// How many cells hold each colour, indexed by the colour's byte (`c as u8`). ARC colours
    /// take the fast path: four interleaved 16-bin counters, so runs of one colour do not
    /// serialise on one counter.
    pub fn histogram(&self) -> [u32; 256] {
        let cs = &self.cells;
        let mut n4 = [[0u32; 16]; 4];
        let mut high = 0u8;
        let mut chunks = cs.chunks_exact(4);
        for ch in &mut chunks {
            for (k, &c) in ch.iter().enumerate() {
                high |= c as u8;
                n4[k][(c as u8 & 15) as usize] += 1;
            }
        }
        for &c in chunks.remainder() {
            high |= c as u8;
            n4[0][(c as u8 & 15) as usize] += 1;
        }
        let mut n = [0u32; 256];
        if high < 16 {
            for (k, x) in n[..16].iter_mut().enumerate() {
                *x = n4[0][k] + n4[1][k] + n4[2][k] + n4[3][k];
            }
        } else {
            for &c in cs.iter() {
                n[c as u8 as usize] += 1;
            }
        }
        n
    }

    /// The most (`most`) or least common colour, given the grid's histogram, with ties broken
    /// as arc-dsl breaks them in CPython: the first tied colour in the iteration order of
    /// `set(values)`, `values` being the cells in row-major order.
    pub fn pick_color(&self, hist: &[u32; 256], most: bool) -> i8 {
        pick_from_histogram(hist, most, |present| {
            let mut seen = [false; 256];
            let mut distinct = Vec::with_capacity(present);
            for &x in self.cells.iter() {
                if !std::mem::replace(&mut seen[x as u8 as usize], true) {
                    distinct.push(x);
                    if distinct.len() == present {
                        break;
                    }
                }
            }
            distinct
        })
    }

    /// The most common colour (arc-dsl's `mostcolor` of a grid).
    pub fn mostcolor(&self) -> i8 {
        self.pick_color(&self.histogram(), true)
    }

    /// The least common colour (arc-dsl's `leastcolor` of a grid).
    pub fn leastcolor(&self) -> i8 {
        self.pick_color(&self.histogram(), false)
    }
}

/// [`Grid::pick_color`] from a histogram alone: `first_seen(n)` lists the `n` colours present
/// in the order of their first occurrence (asked for only when there is a tie).
pub fn pick_from_histogram(hist: &[u32; 256], most: bool, first_seen: impl FnOnce(usize) -> Vec<i8>) -> i8 {
    let better = |n: u32, b: u32| if most { n > b } else { n < b };
    let mut extreme: Option<(u8, u32)> = None;
    let mut tied = false;
    for (c, &n) in hist.iter().enumerate() {
        if n == 0 {
            continue;
        }
        match extreme {
            Some((_, b)) if n == b => tied = true,
            Some((_, b)) if !better(n, b) => {}
            _ => {
                extreme = Some((c as u8, n));
                tied = false;
            }
        }
    }
    let Some((c, _)) = extreme else { return 0 };
    if !tied {
        return c as i8;
    }
    let present = hist.iter().filter(|&&n| n > 0).count();
    let distinct: Vec<(i32, u32)> =
        first_seen(present).into_iter().map(|x| (x as i32, hist[x as u8 as usize])).collect();
    crate::pyset::py_pick_int(&distinct, most).map_or(c as i8, |x| x as i8)
}

impl PartialEq for Grid {
    fn eq(&self, o: &Grid) -> bool {
        // fingerprints already known tell most unequal grids apart at once
        let (a, b) = (self.fp.load(Relaxed), o.fp.load(Relaxed));
        (a == UNKNOWN || b == UNKNOWN || a == b) && self.h == o.h && self.w == o.w && self.cells == o.cells
    }
}
impl Eq for Grid {}

impl std::hash::Hash for Grid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.fp());
    }
}

impl std::fmt::Debug for Grid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Grid{}x{}[", self.h, self.w)?;
        for (k, r) in self.rows().enumerate() {
            if k > 0 {
                write!(f, " ")?;
            }
            for &c in r {
                if (0..10).contains(&c) {
                    write!(f, "{c}")?;
                } else {
                    write!(f, "({c})")?;
                }
            }
        }
        write!(f, "]")
    }
}

#[inline]
fn fmix32(mut h: u32) -> u32 {
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

#[inline]
fn mix_lane(h: u32, k: u32) -> u32 {
    let k = k.wrapping_mul(0xcc9e_2d51).rotate_left(15).wrapping_mul(0x1b87_3593);
    (h ^ k).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64)
}

/// The fingerprint of a grid: two independent 32-bit murmur3 lanes over the cells taken four
/// at a time (little-endian, zero-padded). It uses only 32-bit arithmetic so that a GPU kernel
/// can compute the very same value.
pub fn fingerprint_cells(h: usize, w: usize, cells: &[i8]) -> u64 {
    let shape = ((h as u32) << 8) | w as u32;
    let mut a = 0x9e37_79b9u32 ^ shape;
    let mut b = 0x7f4a_7c15u32 ^ shape.wrapping_mul(0x2754_1f35);
    let mut chunks = cells.chunks_exact(4);
    for c in &mut chunks {
        let k = u32::from_le_bytes([c[0] as u8, c[1] as u8, c[2] as u8, c[3] as u8]);
        a = mix_lane(a, k);
        b = mix_lane(b, k ^ 0x5bd1_e995);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut bytes = [0u8; 4];
        for (d, &s) in bytes.iter_mut().zip(rest) {
            *d = s as u8;
        }
        let k = u32::from_le_bytes(bytes);
        a = mix_lane(a, k);
        b = mix_lane(b, k ^ 0x5bd1_e995);
    }
    let n = cells.len() as u32;
    ((fmix32(a ^ n) as u64) << 32) | fmix32(b ^ n.rotate_left(16)) as u64
}

/// Mixes a 64-bit word into a running fingerprint (for values other than grids).
#[inline]
pub fn mix64(h: u64, x: u64) -> u64 {
    let mut z = (h ^ x).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_separates_shape_and_content() {
        let a = Grid::new(2, 3, vec![1, 2, 3, 4, 5, 6]).unwrap();
        let b = Grid::new(3, 2, vec![1, 2, 3, 4, 5, 6]).unwrap();
        let c = Grid::new(2, 3, vec![1, 2, 3, 4, 5, 7]).unwrap();
        let d = Grid::new(2, 3, vec![1, 2, 3, 4, 5, 6]).unwrap();
        assert_ne!(a.fp(), b.fp());
        assert_ne!(a.fp(), c.fp());
        assert_eq!(a.fp(), d.fp());
        assert_eq!(a, d);
        assert_ne!(a, b);
    }

    #[test]
    fn colour_ties_break_as_in_cpython() {
        // no tie: the count decides
        assert_eq!(Grid::new(1, 3, vec![5, 5, 2]).unwrap().mostcolor(), 5);
        assert_eq!(Grid::new(1, 3, vec![5, 5, 2]).unwrap().leastcolor(), 2);
        // {1, 8} in a table of 8 slots: 8 sits in slot 0, before 1
        assert_eq!(Grid::new(1, 4, vec![1, 1, 8, 8]).unwrap().mostcolor(), 8);
        assert_eq!(Grid::new(1, 4, vec![8, 1, 1, 8]).unwrap().leastcolor(), 8);
        // five colours grow the table to 32 slots: numeric order
        assert_eq!(Grid::new(1, 10, vec![9, 9, 8, 8, 1, 1, 2, 2, 3, 3]).unwrap().mostcolor(), 1);
        // -1 hashes to -2: the last slot of the table
        assert_eq!(Grid::new(1, 4, vec![-1, -1, 3, 3]).unwrap().mostcolor(), 3);
        assert_eq!(Grid::new(1, 1, vec![7]).unwrap().leastcolor(), 7);
    }

    #[test]
    fn limits() {
        assert!(Grid::new(0, 3, vec![]).is_err());
        assert!(Grid::filled(256, 1, 0).is_err());
        assert!(Grid::filled(65, 64, 0).is_err());
        assert!(Grid::filled(36, 36, 3).is_ok());
    }
}
