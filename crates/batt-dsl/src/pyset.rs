//! CPython's hashes (64-bit build, Python 3.8 and later) and set table layout.
//!
//! arc-dsl breaks ties in `mostcolor`, `leastcolor`, `mostcommon` and `leastcommon` by the
//! iteration order of a `set(...)` built from a list or tuple in a known order
//! (`max(set(values), key=values.count)`). That order is CPython's hash-table slot order, and
//! it is reproducible exactly: these functions compute it, so the ties break as in the
//! reference. (The iteration order of a frozenset handed to a primitive is not reproducible:
//! it depends on how the set was built. batt's canonical order stands for it.)

use crate::value::Value;

const P1: u64 = 11_400_714_785_074_694_791;
const P2: u64 = 14_029_467_366_897_019_727;
const P5: u64 = 2_870_177_450_012_600_261;

/// `hash(x)` of an integer of 32 bits.
pub fn int(x: i64) -> u64 {
    if x == -1 {
        -2i64 as u64
    } else {
        x as u64
    }
}

/// `hash(t)` of a tuple whose items hash to `lanes`.
pub fn tuple(lanes: impl ExactSizeIterator<Item = u64>) -> u64 {
    let n = lanes.len() as u64;
    let mut acc = P5;
    for lane in lanes {
        acc = acc.wrapping_add(lane.wrapping_mul(P2)).rotate_left(31).wrapping_mul(P1);
    }
    acc = acc.wrapping_add(n ^ (P5 ^ 3_527_539));
    if acc == u64::MAX {
        1_546_275_796
    } else {
        acc
    }
}

/// `hash(frozenset(...))` of a frozenset whose elements hash to `hashes`.
pub fn frozenset(hashes: impl ExactSizeIterator<Item = u64>) -> u64 {
    let shuffle = |h: u64| ((h ^ 89_869_747) ^ (h << 16)).wrapping_mul(3_644_798_167);
    let n = hashes.len() as u64;
    let mut h = hashes.fold(0u64, |acc, e| acc ^ shuffle(e));
    h ^= (n + 1).wrapping_mul(1_927_868_237);
    h ^= (h >> 11) ^ (h >> 25);
    h = h.wrapping_mul(69_069).wrapping_add(907_133_923);
    if h == u64::MAX {
        590_923_713
    } else {
        h
    }
}

fn ints(s: &[i32]) -> u64 {
    tuple(s.iter().map(|&x| int(x as i64)))
}

/// `hash(v)`, or `None` for values whose CPython hash is not reproducible (functions).
pub fn hash(v: &Value) -> Option<u64> {
    Some(match v {
        Value::Bool(b) => *b as u64,
        Value::Int(x) => int(*x as i64),
        Value::Pair(a, b) => ints(&[*a, *b]),
        Value::IntTuple(s) => ints(s),
        Value::Cell(c) => {
            let (c, i, j) = c.parts();
            tuple([int(c as i64), ints(&[i, j])].into_iter())
        }
        Value::Grid(g) => {
            let rows: Vec<u64> = g.rows().map(|r| tuple(r.iter().map(|&x| int(x as i64)))).collect();
            tuple(rows.into_iter())
        }
        Value::IntSet(s) => frozenset(s.iter().map(|&x| int(x as i64))),
        Value::Indices(s) => frozenset(s.iter().map(|l| {
            let (i, j) = l.ij();
            ints(&[i, j])
        })),
        Value::Object(s) => frozenset(s.iter().map(|c| hash(&Value::Cell(*c)).unwrap_or(0))),
        Value::Tuple(s) => tuple(s.iter().map(hash).collect::<Option<Vec<u64>>>()?.into_iter()),
        Value::Set(s) => frozenset(s.iter().map(hash).collect::<Option<Vec<u64>>>()?.into_iter()),
        Value::Func(_) => return None,
    })
}

/// Puts `k` into the first free slot of the probe sequence of hash `h`.
fn place(table: &mut [Option<usize>], h: u64, k: usize) {
    let mask = table.len() as u64 - 1;
    let mut perturb = h;
    let mut i = h & mask;
    loop {
        let probes = if i + 9 <= mask { 9 } else { 0 };
        for j in i..=i + probes {
            let slot = &mut table[j as usize];
            if slot.is_none() {
                *slot = Some(k);
                return;
            }
        }
        perturb >>= 5;
        i = i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb) & mask;
    }
}

/// The iteration order of a set built by adding distinct keys with these hashes, in this
/// order: indices into `hashes`.
pub fn order(hashes: &[u64]) -> Vec<usize> {
    let mut table: Vec<Option<usize>> = vec![None; 8];
    for (k, &h) in hashes.iter().enumerate() {
        place(&mut table, h, k);
        let (used, mask) = (k + 1, table.len() - 1);
        if used * 5 >= mask * 3 {
            let minused = if used > 50_000 { used * 2 } else { used * 4 };
            let mut size = 8;
            while size <= minused {
                size <<= 1;
            }
            let old = std::mem::replace(&mut table, vec![None; size]);
            for e in old.into_iter().flatten() {
                place(&mut table, hashes[e], e);
            }
        }
    }
    table.into_iter().flatten().collect()
}

/// The most (`most`) or least common of some integers, ties broken as CPython breaks them:
/// the first in the iteration order of `set(xs)` (`max(set(xs), key=xs.count)`). `None` when
/// `xs` is empty. (`mostcolor`/`leastcolor` need exactly this too.)
pub fn py_most_common_int(xs: &[i32], most: bool) -> Option<i32> {
    py_pick_int(&distinct_counts(xs.iter().copied()), most)
}

/// As [`py_most_common_int`], given the distinct integers in first-occurrence order with
/// their counts (for callers that count faster, e.g. with a colour histogram).
pub fn py_pick_int(distinct: &[(i32, u32)], most: bool) -> Option<i32> {
    let better = |n: u32, b: u32| if most { n > b } else { n < b };
    let extreme = distinct.iter().map(|&(_, n)| n).reduce(|b, n| if better(n, b) { n } else { b })?;
    let mut tied = distinct.iter().filter(|&&(_, n)| n == extreme);
    let first = tied.next()?;
    if tied.next().is_none() {
        return Some(first.0); // no tie: no need for the set's order
    }
    let hashes: Vec<u64> = distinct.iter().map(|&(x, _)| int(x as i64)).collect();
    let k = best_in(order(&hashes).into_iter(), |k| distinct[k].1, most)?;
    Some(distinct[k].0)
}

/// The distinct items in first-occurrence order, with how often each occurs.
pub fn distinct_counts<T: Eq + std::hash::Hash + Clone>(xs: impl Iterator<Item = T>) -> Vec<(T, u32)> {
    let mut distinct: Vec<(T, u32)> = Vec::new();
    let mut index: Option<std::collections::HashMap<T, usize>> = None;
    for x in xs {
        let slot = match &index {
            Some(m) => m.get(&x).copied(),
            None => distinct.iter().position(|(y, _)| *y == x),
        };
        match slot {
            Some(k) => distinct[k].1 += 1,
            None => {
                if let Some(m) = &mut index {
                    m.insert(x.clone(), distinct.len());
                }
                distinct.push((x, 1));
                if index.is_none() && distinct.len() > 16 {
                    index = Some(distinct.iter().enumerate().map(|(k, (y, _))| (y.clone(), k)).collect());
                }
            }
        }
    }
    distinct
}

/// The first index (in the given order) whose count is the largest (`most`) or smallest.
pub fn best_in(order: impl Iterator<Item = usize>, count: impl Fn(usize) -> u32, most: bool) -> Option<usize> {
    let mut best: Option<(usize, u32)> = None;
    for k in order {
        let n = count(k);
        let better = match best {
            None => true,
            Some((_, bn)) => (most && n > bn) || (!most && n < bn),
        };
        if better {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k)
}
