//! Packed cells and locations whose integer order is the canonical order.
//!
//! The canonical order of a set is the order of its elements' compact JSON text (the order
//! of the golden encoding, see `golden/README.md`). For a location `[i,j]` that order is
//! lexicographic on (`"i,"`, `"j]"`), and for a cell `[c,[i,j]]` on (`"c,"`, `"i,"`, `"j]"`),
//! compared as byte strings. We precompute, for every integer of the packed domain, its rank
//! among those strings, so a location or a cell packs into one `u32` whose numeric order is
//! exactly the canonical order: sorting, merging and searching sets are plain `u32` work.

use std::cmp::Ordering;
use std::sync::LazyLock;

/// Smallest integer a packed coordinate or colour may hold.
pub const PACK_MIN: i32 = -512;
/// Largest integer a packed coordinate or colour may hold.
pub const PACK_MAX: i32 = 511;
const N: usize = (PACK_MAX - PACK_MIN + 1) as usize;
const BITS: u32 = 10;
const MASK: u32 = (1 << BITS) - 1;

/// The compact JSON text of `x` followed by `term`, left-aligned in a big-endian integer, so
/// that integer order equals byte-string order of the texts.
pub fn text_key(x: i64, term: u8) -> u128 {
    let mut buf = [0u8; 16];
    let mut n = 0;
    if x < 0 {
        buf[0] = b'-';
        n = 1;
    }
    let mut digits = [0u8; 20];
    let mut k = 0;
    let mut m = x.unsigned_abs();
    loop {
        digits[k] = b'0' + (m % 10) as u8;
        k += 1;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    while k > 0 {
        k -= 1;
        buf[n] = digits[k];
        n += 1;
    }
    buf[n] = term;
    u128::from_be_bytes(buf)
}

/// Canonical order of two integers that stand as whole elements (a set of integers).
pub fn cmp_int(a: i32, b: i32) -> Ordering {
    if in_domain(a) && in_domain(b) {
        // the ranks of the texts, tabled (the common case: colours, coordinates, sizes)
        let t = &*TABLES;
        return rc(t, a).cmp(&rc(t, b));
    }
    text_key(a as i64, b',').cmp(&text_key(b as i64, b','))
}

/// Every `i8` (every colour a grid cell can hold), in canonical order.
pub static I8_CANON: LazyLock<[i8; 256]> = LazyLock::new(|| {
    let mut all: [i8; 256] = std::array::from_fn(|k| (k as i32 - 128) as i8);
    all.sort_by(|&a, &b| cmp_int(a as i32, b as i32));
    all
});

struct Tables {
    /// rank of `"x,"` among all such strings of the domain, indexed by `x - PACK_MIN`
    rank_c: [u16; N],
    /// rank of `"x]"`
    rank_b: [u16; N],
    /// inverse of `rank_c`
    val_c: [i16; N],
    /// inverse of `rank_b`
    val_b: [i16; N],
}

fn build(term: u8) -> ([u16; N], [i16; N]) {
    let mut vals: Vec<i32> = (PACK_MIN..=PACK_MAX).collect();
    vals.sort_by_key(|&x| text_key(x as i64, term));
    let mut rank = [0u16; N];
    let mut val = [0i16; N];
    for (r, &x) in vals.iter().enumerate() {
        rank[(x - PACK_MIN) as usize] = r as u16;
        val[r] = x as i16;
    }
    (rank, val)
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let (rank_c, val_c) = build(b',');
    let (rank_b, val_b) = build(b']');
    Tables { rank_c, rank_b, val_c, val_b }
});

#[inline]
fn in_domain(x: i32) -> bool {
    (PACK_MIN..=PACK_MAX).contains(&x)
}

#[inline]
fn rc(t: &Tables, x: i32) -> u32 {
    t.rank_c[(x - PACK_MIN) as usize] as u32
}

#[inline]
fn rb(t: &Tables, x: i32) -> u32 {
    t.rank_b[(x - PACK_MIN) as usize] as u32
}

/// A location `(i, j)`, packed; `u32` order is canonical order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc(u32);

/// A cell `(colour, (i, j))`, packed; `u32` order is canonical order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell(u32);

impl Loc {
    /// Packs `(i, j)`, or `None` when a coordinate lies outside the packed domain.
    #[inline]
    pub fn new(i: i32, j: i32) -> Option<Loc> {
        if !(in_domain(i) && in_domain(j)) {
            return None;
        }
        let t = &*TABLES;
        Some(Loc((rc(t, i) << BITS) | rb(t, j)))
    }
    #[inline]
    pub fn i(self) -> i32 {
        TABLES.val_c[(self.0 >> BITS) as usize] as i32
    }
    #[inline]
    pub fn j(self) -> i32 {
        TABLES.val_b[(self.0 & MASK) as usize] as i32
    }
    #[inline]
    pub fn ij(self) -> (i32, i32) {
        let t = &*TABLES;
        (t.val_c[(self.0 >> BITS) as usize] as i32, t.val_b[(self.0 & MASK) as usize] as i32)
    }
    /// The raw packed key (canonical order).
    #[inline]
    pub fn key(self) -> u32 {
        self.0
    }
}

impl Cell {
    /// Packs `(c, (i, j))`, or `None` when a component lies outside the packed domain.
    #[inline]
    pub fn new(c: i32, i: i32, j: i32) -> Option<Cell> {
        if !(in_domain(c) && in_domain(i) && in_domain(j)) {
            return None;
        }
        let t = &*TABLES;
        Some(Cell((rc(t, c) << (2 * BITS)) | (rc(t, i) << BITS) | rb(t, j)))
    }
    /// The cell of colour `c` at an already packed location.
    #[inline]
    pub fn at(c: i32, loc: Loc) -> Option<Cell> {
        if !in_domain(c) {
            return None;
        }
        Some(Cell((rc(&TABLES, c) << (2 * BITS)) | loc.0))
    }
    #[inline]
    pub fn color(self) -> i32 {
        TABLES.val_c[(self.0 >> (2 * BITS)) as usize] as i32
    }
    #[inline]
    pub fn loc(self) -> Loc {
        Loc(self.0 & ((1 << (2 * BITS)) - 1))
    }
    #[inline]
    pub fn i(self) -> i32 {
        self.loc().i()
    }
    #[inline]
    pub fn j(self) -> i32 {
        self.loc().j()
    }
    /// `(colour, i, j)`.
    #[inline]
    pub fn parts(self) -> (i32, i32, i32) {
        let (i, j) = self.loc().ij();
        (self.color(), i, j)
    }
    #[inline]
    pub fn key(self) -> u32 {
        self.0
    }
}

impl std::fmt::Debug for Loc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({}, {})", self.i(), self.j())
    }
}

impl std::fmt::Debug for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (c, i, j) = self.parts();
        write!(f, "({c}, ({i}, {j}))")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_loc(i: i32, j: i32) -> String {
        format!("[{i},{j}]")
    }

    #[test]
    fn integer_order_is_text_order_in_and_out_of_the_table() {
        let xs = [-100_000, -600, -512, -511, -100, -12, -1, 0, 1, 2, 9, 10, 11, 100, 511, 512, 1000, 123_456];
        for &a in &xs {
            for &b in &xs {
                let text = format!("{a},").cmp(&format!("{b},"));
                assert_eq!(cmp_int(a, b), text, "{a} against {b}");
            }
        }
    }

    #[test]
    fn packed_order_is_text_order() {
        let mut locs = vec![];
        for i in [-12, -3, -1, 0, 1, 2, 3, 9, 10, 11, 19, 20, 29, 30, 100, 511] {
            for j in [-30, -2, 0, 1, 2, 10, 12, 21, 33, 300] {
                locs.push((i, j));
            }
        }
        let mut by_text = locs.clone();
        by_text.sort_by_key(|&(i, j)| text_loc(i, j));
        let mut by_key = locs.clone();
        by_key.sort_by_key(|&(i, j)| Loc::new(i, j).unwrap());
        assert_eq!(by_text, by_key);
        for &(i, j) in &locs {
            assert_eq!(Loc::new(i, j).unwrap().ij(), (i, j));
        }
    }

    #[test]
    fn cell_order_is_text_order() {
        let mut cells = vec![];
        for c in [-1, 0, 3, 9, 10] {
            for (i, j) in [(0, 0), (0, 10), (0, 1), (1, 0), (10, 2), (2, 10), (-1, 3)] {
                cells.push((c, i, j));
            }
        }
        let mut by_text = cells.clone();
        by_text.sort_by_key(|&(c, i, j)| format!("[{c},[{i},{j}]]"));
        let mut by_key = cells.clone();
        by_key.sort_by_key(|&(c, i, j)| Cell::new(c, i, j).unwrap());
        assert_eq!(by_text, by_key);
        let c = Cell::new(7, -5, 12).unwrap();
        assert_eq!(c.parts(), (7, -5, 12));
        assert_eq!(c.loc(), Loc::new(-5, 12).unwrap());
    }

    #[test]
    fn out_of_domain_does_not_pack() {
        assert!(Loc::new(512, 0).is_none());
        assert!(Loc::new(0, -513).is_none());
        assert!(Cell::new(600, 0, 0).is_none());
    }

    #[test]
    fn int_order_is_text_order() {
        let mut xs = vec![-20, -3, -1, 0, 1, 2, 9, 10, 11, 20, 100, 147];
        xs.sort_by(|&a, &b| cmp_int(a, b));
        let mut t = xs.clone();
        t.sort_by_key(|x| x.to_string());
        assert_eq!(xs, t);
    }
}
