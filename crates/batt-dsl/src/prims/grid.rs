//! Primitives: grid.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::value::Value;

/// TODO
pub fn asindices(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("asindices")
}

/// TODO
pub fn ofcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("ofcolor")
}

/// TODO
pub fn crop(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("crop")
}

/// TODO
pub fn objects(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("objects")
}

/// TODO
pub fn partition(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("partition")
}

/// TODO
pub fn fgpartition(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("fgpartition")
}

/// TODO
pub fn toobject(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("toobject")
}

/// TODO
pub fn asobject(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("asobject")
}

/// TODO
pub fn rot90(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("rot90")
}

/// TODO
pub fn rot180(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("rot180")
}

/// TODO
pub fn rot270(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("rot270")
}

/// TODO
pub fn fill(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("fill")
}

/// TODO
pub fn paint(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("paint")
}

/// TODO
pub fn underfill(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("underfill")
}

/// TODO
pub fn underpaint(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("underpaint")
}

/// TODO
pub fn hupscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hupscale")
}

/// TODO
pub fn vupscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vupscale")
}

/// TODO
pub fn upscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("upscale")
}

/// TODO
pub fn downscale(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("downscale")
}

/// TODO
pub fn hconcat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hconcat")
}

/// TODO
pub fn vconcat(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vconcat")
}

/// TODO
pub fn subgrid(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("subgrid")
}

/// TODO
pub fn hsplit(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hsplit")
}

/// TODO
pub fn vsplit(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vsplit")
}

/// TODO
pub fn cellwise(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("cellwise")
}

/// TODO
pub fn replace(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("replace")
}

/// TODO
pub fn switch(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("switch")
}

/// TODO
pub fn index(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("index")
}

/// TODO
pub fn canvas(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("canvas")
}

/// TODO
pub fn cover(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("cover")
}

/// TODO
pub fn trim(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("trim")
}

/// TODO
pub fn move_(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("move")
}

/// TODO
pub fn tophalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("tophalf")
}

/// TODO
pub fn bottomhalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("bottomhalf")
}

/// TODO
pub fn lefthalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("lefthalf")
}

/// TODO
pub fn righthalf(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("righthalf")
}

/// TODO
pub fn occurrences(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("occurrences")
}

/// TODO
pub fn frontiers(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("frontiers")
}

/// TODO
pub fn compress(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("compress")
}

/// TODO
pub fn hmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hmirror")
}

/// TODO
pub fn vmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vmirror")
}

/// TODO
pub fn dmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("dmirror")
}

/// TODO
pub fn cmirror(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("cmirror")
}

