//! Primitives: ext.

use crate::fail::{Fail, Res};
use crate::func::Ctx;
use crate::value::Value;

/// TODO
pub fn o_g(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("o_g")
}

/// TODO
pub fn mir_rot(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("mir_rot")
}

/// TODO
pub fn get_nth(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("get_nth")
}

/// TODO
pub fn get_arg_rank(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("get_arg_rank")
}

/// TODO
pub fn c_iz(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("c_iz")
}

/// TODO
pub fn c_zo(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("c_zo")
}

/// TODO
pub fn a_mr(_ctx: &mut Ctx, a: &[Value]) -> Res<Value> {
    let _ = a;
    todo!("a_mr")
}
