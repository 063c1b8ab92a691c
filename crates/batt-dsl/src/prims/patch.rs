//! Primitives: patch.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::value::Value;

/// TODO
pub fn mostcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mostcolor")
}

/// TODO
pub fn leastcolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("leastcolor")
}

/// TODO
pub fn height(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("height")
}

/// TODO
pub fn width(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("width")
}

/// TODO
pub fn shape(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("shape")
}

/// TODO
pub fn portrait(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("portrait")
}

/// TODO
pub fn colorcount(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("colorcount")
}

/// TODO
pub fn colorfilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("colorfilter")
}

/// TODO
pub fn sizefilter(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("sizefilter")
}

/// TODO
pub fn ulcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("ulcorner")
}

/// TODO
pub fn urcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("urcorner")
}

/// TODO
pub fn llcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("llcorner")
}

/// TODO
pub fn lrcorner(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("lrcorner")
}

/// TODO
pub fn toindices(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("toindices")
}

/// TODO
pub fn recolor(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("recolor")
}

/// TODO
pub fn shift(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("shift")
}

/// TODO
pub fn normalize(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("normalize")
}

/// TODO
pub fn dneighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("dneighbors")
}

/// TODO
pub fn ineighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("ineighbors")
}

/// TODO
pub fn neighbors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("neighbors")
}

/// TODO
pub fn uppermost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("uppermost")
}

/// TODO
pub fn lowermost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("lowermost")
}

/// TODO
pub fn leftmost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("leftmost")
}

/// TODO
pub fn rightmost(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("rightmost")
}

/// TODO
pub fn square(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("square")
}

/// TODO
pub fn vline(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vline")
}

/// TODO
pub fn hline(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hline")
}

/// TODO
pub fn hmatching(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hmatching")
}

/// TODO
pub fn vmatching(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vmatching")
}

/// TODO
pub fn manhattan(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("manhattan")
}

/// TODO
pub fn adjacent(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("adjacent")
}

/// TODO
pub fn bordering(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("bordering")
}

/// TODO
pub fn centerofmass(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("centerofmass")
}

/// TODO
pub fn palette(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("palette")
}

/// TODO
pub fn numcolors(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("numcolors")
}

/// TODO
pub fn color(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("color")
}

/// TODO
pub fn center(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("center")
}

/// TODO
pub fn position(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("position")
}

/// TODO
pub fn corners(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("corners")
}

/// TODO
pub fn connect(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("connect")
}

/// TODO
pub fn vfrontier(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vfrontier")
}

/// TODO
pub fn hfrontier(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hfrontier")
}

/// TODO
pub fn backdrop(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("backdrop")
}

/// TODO
pub fn delta(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("delta")
}

/// TODO
pub fn gravitate(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("gravitate")
}

/// TODO
pub fn inbox(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("inbox")
}

/// TODO
pub fn outbox(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("outbox")
}

/// TODO
pub fn box_(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("box")
}

/// TODO
pub fn shoot(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("shoot")
}

/// TODO
pub fn hperiod(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("hperiod")
}

/// TODO
pub fn vperiod(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("vperiod")
}
