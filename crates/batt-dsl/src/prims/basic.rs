//! Primitives: basic.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::value::Value;

/// TODO
pub fn identity(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("identity")
}

/// TODO
pub fn add(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("add")
}

/// TODO
pub fn subtract(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("subtract")
}

/// TODO
pub fn multiply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("multiply")
}

/// TODO
pub fn divide(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("divide")
}

/// TODO
pub fn invert(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("invert")
}

/// TODO
pub fn even(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("even")
}

/// TODO
pub fn double(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("double")
}

/// TODO
pub fn halve(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("halve")
}

/// TODO
pub fn flip(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("flip")
}

/// TODO
pub fn equality(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("equality")
}

/// TODO
pub fn contained(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("contained")
}

/// TODO
pub fn combine(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("combine")
}

/// TODO
pub fn intersection(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("intersection")
}

/// TODO
pub fn difference(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("difference")
}

/// TODO
pub fn dedupe(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("dedupe")
}

/// TODO
pub fn order(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("order")
}

/// TODO
pub fn repeat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("repeat")
}

/// TODO
pub fn greater(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("greater")
}

/// TODO
pub fn size(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("size")
}

/// TODO
pub fn merge(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("merge")
}

/// TODO
pub fn maximum(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("maximum")
}

/// TODO
pub fn minimum(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("minimum")
}

/// TODO
pub fn valmax(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("valmax")
}

/// TODO
pub fn valmin(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("valmin")
}

/// TODO
pub fn argmax(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("argmax")
}

/// TODO
pub fn argmin(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("argmin")
}

/// TODO
pub fn mostcommon(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mostcommon")
}

/// TODO
pub fn leastcommon(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("leastcommon")
}

/// TODO
pub fn initset(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("initset")
}

/// TODO
pub fn both(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("both")
}

/// TODO
pub fn either(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("either")
}

/// TODO
pub fn increment(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("increment")
}

/// TODO
pub fn decrement(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("decrement")
}

/// TODO
pub fn crement(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("crement")
}

/// TODO
pub fn sign(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("sign")
}

/// TODO
pub fn positive(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("positive")
}

/// TODO
pub fn toivec(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("toivec")
}

/// TODO
pub fn tojvec(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("tojvec")
}

/// TODO
pub fn sfilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("sfilter")
}

/// TODO
pub fn mfilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mfilter")
}

/// TODO
pub fn extract(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("extract")
}

/// TODO
pub fn totuple(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("totuple")
}

/// TODO
pub fn first(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("first")
}

/// TODO
pub fn last(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("last")
}

/// TODO
pub fn insert(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("insert")
}

/// TODO
pub fn remove(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("remove")
}

/// TODO
pub fn other(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("other")
}

/// TODO
pub fn interval(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("interval")
}

/// TODO
pub fn astuple(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("astuple")
}

/// TODO
pub fn product(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("product")
}

/// TODO
pub fn pair(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("pair")
}

/// TODO
pub fn branch(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("branch")
}

/// TODO
pub fn apply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("apply")
}

/// TODO
pub fn rapply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("rapply")
}

/// TODO
pub fn mapply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mapply")
}

/// TODO
pub fn papply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("papply")
}

/// TODO
pub fn mpapply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mpapply")
}

/// TODO
pub fn prapply(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("prapply")
}
