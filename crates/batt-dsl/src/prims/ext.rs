//! Primitives: batt's extensions of arc-dsl (defined in `golden/README.md`, section
//! "extensions.jsonl").

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::grid::Grid;
use crate::prims::grid::{
    cmirror_grid, dmirror_grid, hmirror_grid, objects_grid, rot180_grid, rot270_grid, rot90_grid, vmirror_grid,
};
use crate::value::{py_cmp, Value};
use std::cmp::Ordering;

/// `mir_rot(grid, k)`: 0 hmirror, 1 dmirror, 2 vmirror, 3 cmirror, 4 rot90, 5 rot180,
/// 6 rot270, 7 identity; any other `k` fails.
pub fn mir_rot_grid(g: &Grid, k: u8) -> Res<Grid> {
    match k {
        0 => hmirror_grid(g),
        1 => dmirror_grid(g),
        2 => vmirror_grid(g),
        3 => cmirror_grid(g),
        4 => rot90_grid(g),
        5 => rot180_grid(g),
        6 => rot270_grid(g),
        7 => Ok(g.clone()),
        _ => Err(Fail::Domain("mir_rot index outside 0..7")),
    }
}

/// `o_g(grid, k)` = `objects(grid, k & 4 != 0, k & 2 != 0, k & 1 != 0)`; any `k` outside
/// 0..7 fails.
pub fn o_g_grid(g: &Grid, k: u8) -> Res<Value> {
    if k > 7 {
        return Err(Fail::Domain("o_g index outside 0..7"));
    }
    objects_grid(g, k & 4 != 0, k & 2 != 0, k & 1 != 0)
}

/// A selector index `0..=7` from an integer argument.
fn mode(v: &Value) -> Res<u8> {
    u8::try_from(v.as_int()?).ok().filter(|&k| k <= 7).ok_or(Fail::Domain("selector index outside 0..7"))
}

/// Position `k` of a sequence of length `n`, negative `k` counting from the end.
fn position(n: usize, k: i32) -> Res<usize> {
    let at = if k < 0 { n as i64 + k as i64 } else { k as i64 };
    if at < 0 || at >= n as i64 {
        return Err(Fail::Domain("index out of range"));
    }
    Ok(at as usize)
}

/// The `(input, output)` pairs of the demo pairs `S`.
pub(crate) fn samples(s: &Value) -> Res<Vec<(&Value, &Value)>> {
    let pairs = s.as_values().ok_or(Fail::Type("expected the demo pairs"))?;
    pairs
        .iter()
        .map(|p| match p.as_values() {
            Some([i, o]) => Ok((i, o)),
            _ => Err(Fail::Type("expected an (input, output) pair")),
        })
        .collect()
}

/// Stable merge sort of `idx` by `keys[idx]` descending, with Python's `<` (which may fail).
fn sort_desc(idx: &mut Vec<usize>, keys: &[Value]) -> Res<()> {
    if idx.len() < 2 {
        return Ok(());
    }
    let mid = idx.len() / 2;
    let mut right = idx.split_off(mid);
    sort_desc(idx, keys)?;
    sort_desc(&mut right, keys)?;
    let left = std::mem::take(idx);
    idx.reserve(left.len() + right.len());
    let (mut a, mut b) = (0, 0);
    while a < left.len() && b < right.len() {
        // take from the right only when its key is strictly greater (stability)
        if py_cmp(&keys[right[b]], &keys[left[a]])? == Ordering::Greater {
            idx.push(right[b]);
            b += 1;
        } else {
            idx.push(left[a]);
            a += 1;
        }
    }
    idx.extend_from_slice(&left[a..]);
    idx.extend_from_slice(&right[b..]);
    Ok(())
}

/// The union of `f(x)` over the chosen side of every demo pair, as a set.
fn union_of(ctx: &mut Ctx, s: &Value, f: &Value, outputs: bool) -> Res<Value> {
    let mut all = Vec::new();
    for (i, o) in samples(s)? {
        let y = ctx.call(f, &[if outputs { o } else { i }.clone()])?;
        all.extend(y.items()?);
    }
    Value::set(all)
}

/// `c_iz` (`outputs_first` false) and `c_zo` (true): one union minus the other.
fn c_diff(ctx: &mut Ctx, s: &Value, f: &Value, outputs_first: bool) -> Res<Value> {
    let keep = union_of(ctx, s, f, outputs_first)?;
    let drop = union_of(ctx, s, f, !outputs_first)?;
    let mut out = Vec::with_capacity(keep.len()?);
    for x in keep.items()? {
        if !drop.contains(&x)? {
            out.push(x);
        }
    }
    Value::set(out)
}

/// o_g: objects(grid, k & 4, k & 2, k & 1) for a mode k in 0..7
pub fn o_g(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    o_g_grid(a[0].as_grid()?, mode(&a[1])?)
}

/// mir_rot: one of the eight mirrorings and rotations of a grid, k in 0..7
pub fn mir_rot(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    Ok(Value::Grid(mir_rot_grid(a[0].as_grid()?, mode(&a[1])?)?))
}

/// get_nth: the element at index k in canonical order (negative k counts from the end)
pub fn get_nth(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let n = a[0].len()?;
    Ok(a[0].item(position(n, a[1].as_int()?)?))
}

/// get_arg_rank: the element at index k after a stable sort by key, descending
pub fn get_arg_rank(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let n = a[0].len()?;
    let k = a[2].as_int()?;
    let mut keys = Vec::with_capacity(n);
    for x in a[0].items()? {
        keys.push(ctx.call(&a[1], &[x])?);
    }
    let at = position(n, k)?;
    let mut idx: Vec<usize> = (0..n).collect();
    if keys.iter().all(|v| matches!(v, Value::Int(_) | Value::Bool(_))) {
        // integer keys: a plain stable sort (ints and booleans are totally ordered)
        idx.sort_by_key(|&e| std::cmp::Reverse(keys[e].as_int().unwrap_or(0)));
    } else {
        sort_desc(&mut idx, &keys)?;
    }
    Ok(a[0].item(idx[at]))
}

/// c_iz: union of f(input) over the demo pairs minus union of f(output)
pub fn c_iz(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    c_diff(ctx, &a[0], &a[1], false)
}

/// c_zo: union of f(output) over the demo pairs minus union of f(input)
pub fn c_zo(ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    c_diff(ctx, &a[0], &a[1], true)
}

/// a_mr: the smallest k with mir_rot(input, k) == output on every demo pair
pub fn a_mr(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let pairs: Vec<(&Grid, &Grid)> =
        samples(&a[0])?.into_iter().map(|(i, o)| Ok((i.as_grid()?, o.as_grid()?))).collect::<Res<_>>()?;
    for k in 0..8u8 {
        let mut all = true;
        for &(i, o) in &pairs {
            // a transposing k swaps the sides: skip building a grid that cannot match
            let (h, w) = if matches!(k, 1 | 3 | 4 | 6) { (i.w(), i.h()) } else { (i.h(), i.w()) };
            if (h, w) != (o.h(), o.w()) || mir_rot_grid(i, k)? != *o {
                all = false;
                break;
            }
        }
        if all {
            return Ok(Value::Int(k as i32));
        }
    }
    Err(Fail::Domain("no mirroring or rotation maps every input to its output"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Prim;

    fn call(name: &str, args: &[Value]) -> Res<Value> {
        Ctx::default().apply(Prim::by_name(name).unwrap(), args)
    }

    fn g(h: usize, w: usize, cs: &[i8]) -> Value {
        Value::Grid(Grid::new(h, w, cs.to_vec()).unwrap())
    }

    /// `rbind(get_nth, k)`: the function `x -> get_nth(x, k)`.
    fn nth(k: i32) -> Value {
        Value::built(crate::func::Hof::Rbind, &[Value::prim(Prim::by_name("get_nth").unwrap()), Value::Int(k)])
    }

    #[test]
    fn nth_and_rank() {
        let t = Value::int_tuple(vec![5, 3, 9, 3]);
        assert_eq!(call("get_nth", &[t.clone(), Value::Int(-1)]).unwrap(), Value::Int(3));
        assert_eq!(call("get_nth", &[t.clone(), Value::Int(2)]).unwrap(), Value::Int(9));
        assert!(matches!(call("get_nth", &[t.clone(), Value::Int(4)]), Err(Fail::Domain(_))));
        assert!(matches!(call("get_nth", &[t, Value::Int(-5)]), Err(Fail::Domain(_))));
        // stable: equal keys keep the container's order
        let pairs = Value::tuple(vec![Value::Pair(1, 7), Value::Pair(2, 7), Value::Pair(0, 9)]).unwrap();
        assert_eq!(call("get_arg_rank", &[pairs.clone(), nth(1), Value::Int(0)]).unwrap(), Value::Pair(0, 9));
        assert_eq!(call("get_arg_rank", &[pairs.clone(), nth(1), Value::Int(1)]).unwrap(), Value::Pair(1, 7));
        assert_eq!(call("get_arg_rank", &[pairs.clone(), nth(1), Value::Int(-1)]).unwrap(), Value::Pair(2, 7));
        // tuple keys (the first row of each grid) go through the fallible merge sort
        let grids = Value::tuple(vec![g(1, 2, &[1, 7]), g(1, 2, &[2, 0]), g(1, 2, &[1, 7])]).unwrap();
        let Value::Tuple(gs) = &grids else { panic!() };
        assert_eq!(call("get_arg_rank", &[grids.clone(), nth(0), Value::Int(0)]).unwrap(), gs[1]);
        assert_eq!(call("get_arg_rank", &[grids.clone(), nth(0), Value::Int(2)]).unwrap(), gs[2]);
        assert!(call("get_arg_rank", &[grids, nth(0), Value::Int(3)]).is_err());
    }

    #[test]
    fn merge_sort_is_stable_and_descending() {
        let keys: Vec<Value> = [3, 1, 3, 2, 1, 3].iter().map(|&x| Value::Pair(x, 0)).collect();
        let mut idx: Vec<usize> = (0..keys.len()).collect();
        sort_desc(&mut idx, &keys).unwrap();
        assert_eq!(idx, vec![0, 2, 5, 3, 1, 4]);
        let bad = vec![Value::Pair(1, 0), Value::empty_set()];
        let mut idx = vec![0, 1];
        assert!(sort_desc(&mut idx, &bad).is_err());
    }

    #[test]
    fn samples_selectors() {
        let i1 = g(2, 2, &[1, 2, 3, 4]);
        let o1 = g(2, 2, &[3, 1, 4, 2]); // rot90
        let i2 = g(1, 2, &[5, 6]);
        let o2 = g(2, 1, &[5, 6]); // rot90 of one row
        let s = Value::tuple(vec![
            Value::tuple(vec![i1.clone(), o1.clone()]).unwrap(),
            Value::tuple(vec![i2.clone(), o2.clone()]).unwrap(),
        ])
        .unwrap();
        assert_eq!(call("a_mr", std::slice::from_ref(&s)).unwrap(), Value::Int(4));
        let s2 = Value::tuple(vec![Value::tuple(vec![i1.clone(), i2.clone()]).unwrap()]).unwrap();
        assert!(matches!(call("a_mr", &[s2]), Err(Fail::Domain(_))));
        // c_iz / c_zo with `asobject` (a set of cells)
        let f = Value::prim(Prim::by_name("asobject").unwrap());
        let iz = call("c_iz", &[s.clone(), f.clone()]).unwrap();
        let zo = call("c_zo", &[s.clone(), f]).unwrap();
        // inputs: (1,(0,0)) (2,(0,1)) (3,(1,0)) (4,(1,1)) (5,(0,0)) (6,(0,1));
        // outputs: (3,(0,0)) (1,(0,1)) (4,(1,0)) (2,(1,1)) (5,(0,0)) (6,(1,0))
        assert_eq!(iz.canon_text(), r#"{"set":[[1,[0,0]],[2,[0,1]],[3,[1,0]],[4,[1,1]],[6,[0,1]]]}"#);
        assert_eq!(zo.canon_text(), r#"{"set":[[1,[0,1]],[2,[1,1]],[3,[0,0]],[4,[1,0]],[6,[1,0]]]}"#);
    }

    #[test]
    fn modes_outside_range_fail() {
        let x = g(1, 1, &[0]);
        for k in [-1, 8, 100] {
            assert!(matches!(call("o_g", &[x.clone(), Value::Int(k)]), Err(Fail::Domain(_))));
            assert!(matches!(call("mir_rot", &[x.clone(), Value::Int(k)]), Err(Fail::Domain(_))));
        }
    }
}
