//! The signature table: every primitive once, with its arc-dsl parameter and result types and
//! its implementation. The parser, the type checker, the enumerator and the backends all read
//! this one table.

use crate::fail::Res;
use crate::func::{self, Ctx};
use crate::prims::{basic, ext, grid, image, patch};
use crate::value::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The types of arc-dsl's `arc_types.py`, as they annotate `dsl.py`, plus `Samples` for the
/// demo pairs `S` that batt's extensions read.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Ty {
    Any,
    Boolean,
    Integer,
    IntegerTuple,
    Numerical,
    IntegerSet,
    Grid,
    Cell,
    Object,
    Objects,
    Indices,
    IndicesSet,
    Patch,
    Element,
    Piece,
    TupleTuple,
    ContainerContainer,
    Container,
    Callable,
    FrozenSet,
    Tuple,
    /// The demo pairs of a task: a tuple of `(input, output)` grid pairs.
    Samples,
}

/// The implementation of a primitive: its arguments, already counted against its arity.
pub type PrimFn = fn(&mut Ctx, &[Value]) -> Res<Value>;

/// One row of the signature table.
pub struct PrimInfo {
    pub name: &'static str,
    pub params: &'static [Ty],
    pub ret: Ty,
    pub f: PrimFn,
}

/// A primitive: its index in [`PRIMS`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Prim(pub u16);

impl Prim {
    /// The primitive called `name`.
    pub fn by_name(name: &str) -> Option<Prim> {
        static BY_NAME: LazyLock<HashMap<&'static str, Prim>> =
            LazyLock::new(|| PRIMS.iter().enumerate().map(|(k, p)| (p.name, Prim(k as u16))).collect());
        BY_NAME.get(name).copied()
    }
    /// Its row of the table.
    #[inline]
    pub fn info(self) -> &'static PrimInfo {
        &PRIMS[self.0 as usize]
    }
    pub fn name(self) -> &'static str {
        self.info().name
    }
    /// Every primitive, in table order.
    pub fn all() -> impl Iterator<Item = Prim> {
        (0..PRIMS.len() as u16).map(Prim)
    }
}

macro_rules! table {
    ($( $name:ident ( $($p:ident),* ) -> $r:ident = $f:path ; )*) => {
        /// Every primitive: the 160 of arc-dsl, in `dsl.py` order, then batt's extensions.
        pub static PRIMS: &[PrimInfo] = &[
            $( PrimInfo { name: stringify!($name), params: &[$(Ty::$p),*], ret: Ty::$r, f: $f } ),*
        ];
    };
}

table! {
    identity(Any) -> Any = basic::identity;
    add(Numerical, Numerical) -> Numerical = basic::add;
    subtract(Numerical, Numerical) -> Numerical = basic::subtract;
    multiply(Numerical, Numerical) -> Numerical = basic::multiply;
    divide(Numerical, Numerical) -> Numerical = basic::divide;
    invert(Numerical) -> Numerical = basic::invert;
    even(Integer) -> Boolean = basic::even;
    double(Numerical) -> Numerical = basic::double;
    halve(Numerical) -> Numerical = basic::halve;
    flip(Boolean) -> Boolean = basic::flip;
    equality(Any, Any) -> Boolean = basic::equality;
    contained(Any, Container) -> Boolean = basic::contained;
    combine(Container, Container) -> Container = basic::combine;
    intersection(FrozenSet, FrozenSet) -> FrozenSet = basic::intersection;
    difference(FrozenSet, FrozenSet) -> FrozenSet = basic::difference;
    dedupe(Tuple) -> Tuple = basic::dedupe;
    order(Container, Callable) -> Tuple = basic::order;
    repeat(Any, Integer) -> Tuple = basic::repeat;
    greater(Integer, Integer) -> Boolean = basic::greater;
    size(Container) -> Integer = basic::size;
    merge(ContainerContainer) -> Container = basic::merge;
    maximum(IntegerSet) -> Integer = basic::maximum;
    minimum(IntegerSet) -> Integer = basic::minimum;
    valmax(Container, Callable) -> Integer = basic::valmax;
    valmin(Container, Callable) -> Integer = basic::valmin;
    argmax(Container, Callable) -> Any = basic::argmax;
    argmin(Container, Callable) -> Any = basic::argmin;
    mostcommon(Container) -> Any = basic::mostcommon;
    leastcommon(Container) -> Any = basic::leastcommon;
    initset(Any) -> FrozenSet = basic::initset;
    both(Boolean, Boolean) -> Boolean = basic::both;
    either(Boolean, Boolean) -> Boolean = basic::either;
    increment(Numerical) -> Numerical = basic::increment;
    decrement(Numerical) -> Numerical = basic::decrement;
    crement(Numerical) -> Numerical = basic::crement;
    sign(Numerical) -> Numerical = basic::sign;
    positive(Integer) -> Boolean = basic::positive;
    toivec(Integer) -> IntegerTuple = basic::toivec;
    tojvec(Integer) -> IntegerTuple = basic::tojvec;
    sfilter(Container, Callable) -> Container = basic::sfilter;
    mfilter(Container, Callable) -> FrozenSet = basic::mfilter;
    extract(Container, Callable) -> Any = basic::extract;
    totuple(FrozenSet) -> Tuple = basic::totuple;
    first(Container) -> Any = basic::first;
    last(Container) -> Any = basic::last;
    insert(Any, FrozenSet) -> FrozenSet = basic::insert;
    remove(Any, Container) -> Container = basic::remove;
    other(Container, Any) -> Any = basic::other;
    interval(Integer, Integer, Integer) -> Tuple = basic::interval;
    astuple(Integer, Integer) -> IntegerTuple = basic::astuple;
    product(Container, Container) -> FrozenSet = basic::product;
    pair(Tuple, Tuple) -> TupleTuple = basic::pair;
    branch(Boolean, Any, Any) -> Any = basic::branch;
    compose(Callable, Callable) -> Callable = func::compose;
    chain(Callable, Callable, Callable) -> Callable = func::chain;
    matcher(Callable, Any) -> Callable = func::matcher;
    rbind(Callable, Any) -> Callable = func::rbind;
    lbind(Callable, Any) -> Callable = func::lbind;
    power(Callable, Integer) -> Callable = func::power;
    fork(Callable, Callable, Callable) -> Callable = func::fork;
    apply(Callable, Container) -> Container = basic::apply;
    rapply(Container, Any) -> Container = basic::rapply;
    mapply(Callable, ContainerContainer) -> FrozenSet = basic::mapply;
    papply(Callable, Tuple, Tuple) -> Tuple = basic::papply;
    mpapply(Callable, Tuple, Tuple) -> Tuple = basic::mpapply;
    prapply(Callable, Container, Container) -> FrozenSet = basic::prapply;
    mostcolor(Element) -> Integer = patch::mostcolor;
    leastcolor(Element) -> Integer = patch::leastcolor;
    height(Piece) -> Integer = patch::height;
    width(Piece) -> Integer = patch::width;
    shape(Piece) -> IntegerTuple = patch::shape;
    portrait(Piece) -> Boolean = patch::portrait;
    colorcount(Element, Integer) -> Integer = patch::colorcount;
    colorfilter(Objects, Integer) -> Objects = patch::colorfilter;
    sizefilter(Container, Integer) -> FrozenSet = patch::sizefilter;
    asindices(Grid) -> Indices = grid::asindices;
    ofcolor(Grid, Integer) -> Indices = grid::ofcolor;
    ulcorner(Patch) -> IntegerTuple = patch::ulcorner;
    urcorner(Patch) -> IntegerTuple = patch::urcorner;
    llcorner(Patch) -> IntegerTuple = patch::llcorner;
    lrcorner(Patch) -> IntegerTuple = patch::lrcorner;
    crop(Grid, IntegerTuple, IntegerTuple) -> Grid = grid::crop;
    toindices(Patch) -> Indices = patch::toindices;
    recolor(Integer, Patch) -> Object = patch::recolor;
    shift(Patch, IntegerTuple) -> Patch = patch::shift;
    normalize(Patch) -> Patch = patch::normalize;
    dneighbors(IntegerTuple) -> Indices = patch::dneighbors;
    ineighbors(IntegerTuple) -> Indices = patch::ineighbors;
    neighbors(IntegerTuple) -> Indices = patch::neighbors;
    objects(Grid, Boolean, Boolean, Boolean) -> Objects = grid::objects;
    partition(Grid) -> Objects = grid::partition;
    fgpartition(Grid) -> Objects = grid::fgpartition;
    uppermost(Patch) -> Integer = patch::uppermost;
    lowermost(Patch) -> Integer = patch::lowermost;
    leftmost(Patch) -> Integer = patch::leftmost;
    rightmost(Patch) -> Integer = patch::rightmost;
    square(Piece) -> Boolean = patch::square;
    vline(Patch) -> Boolean = patch::vline;
    hline(Patch) -> Boolean = patch::hline;
    hmatching(Patch, Patch) -> Boolean = patch::hmatching;
    vmatching(Patch, Patch) -> Boolean = patch::vmatching;
    manhattan(Patch, Patch) -> Integer = patch::manhattan;
    adjacent(Patch, Patch) -> Boolean = patch::adjacent;
    bordering(Patch, Grid) -> Boolean = patch::bordering;
    centerofmass(Patch) -> IntegerTuple = patch::centerofmass;
    palette(Element) -> IntegerSet = patch::palette;
    numcolors(Element) -> Integer = patch::numcolors;
    color(Object) -> Integer = patch::color;
    toobject(Patch, Grid) -> Object = grid::toobject;
    asobject(Grid) -> Object = grid::asobject;
    rot90(Grid) -> Grid = grid::rot90;
    rot180(Grid) -> Grid = grid::rot180;
    rot270(Grid) -> Grid = grid::rot270;
    hmirror(Piece) -> Piece = grid::hmirror;
    vmirror(Piece) -> Piece = grid::vmirror;
    dmirror(Piece) -> Piece = grid::dmirror;
    cmirror(Piece) -> Piece = grid::cmirror;
    fill(Grid, Integer, Patch) -> Grid = grid::fill;
    paint(Grid, Object) -> Grid = grid::paint;
    underfill(Grid, Integer, Patch) -> Grid = grid::underfill;
    underpaint(Grid, Object) -> Grid = grid::underpaint;
    hupscale(Grid, Integer) -> Grid = grid::hupscale;
    vupscale(Grid, Integer) -> Grid = grid::vupscale;
    upscale(Element, Integer) -> Element = grid::upscale;
    downscale(Grid, Integer) -> Grid = grid::downscale;
    hconcat(Grid, Grid) -> Grid = grid::hconcat;
    vconcat(Grid, Grid) -> Grid = grid::vconcat;
    subgrid(Patch, Grid) -> Grid = grid::subgrid;
    hsplit(Grid, Integer) -> Tuple = grid::hsplit;
    vsplit(Grid, Integer) -> Tuple = grid::vsplit;
    cellwise(Grid, Grid, Integer) -> Grid = grid::cellwise;
    replace(Grid, Integer, Integer) -> Grid = grid::replace;
    switch(Grid, Integer, Integer) -> Grid = grid::switch;
    center(Patch) -> IntegerTuple = patch::center;
    position(Patch, Patch) -> IntegerTuple = patch::position;
    index(Grid, IntegerTuple) -> Integer = grid::index;
    canvas(Integer, IntegerTuple) -> Grid = grid::canvas;
    corners(Patch) -> Indices = patch::corners;
    connect(IntegerTuple, IntegerTuple) -> Indices = patch::connect;
    cover(Grid, Patch) -> Grid = grid::cover;
    trim(Grid) -> Grid = grid::trim;
    move(Grid, Object, IntegerTuple) -> Grid = grid::move_;
    tophalf(Grid) -> Grid = grid::tophalf;
    bottomhalf(Grid) -> Grid = grid::bottomhalf;
    lefthalf(Grid) -> Grid = grid::lefthalf;
    righthalf(Grid) -> Grid = grid::righthalf;
    vfrontier(IntegerTuple) -> Indices = patch::vfrontier;
    hfrontier(IntegerTuple) -> Indices = patch::hfrontier;
    backdrop(Patch) -> Indices = patch::backdrop;
    delta(Patch) -> Indices = patch::delta;
    gravitate(Patch, Patch) -> IntegerTuple = patch::gravitate;
    inbox(Patch) -> Indices = patch::inbox;
    outbox(Patch) -> Indices = patch::outbox;
    box(Patch) -> Indices = patch::box_;
    shoot(IntegerTuple, IntegerTuple) -> Indices = patch::shoot;
    occurrences(Grid, Object) -> Indices = grid::occurrences;
    frontiers(Grid) -> Objects = grid::frontiers;
    compress(Grid) -> Grid = grid::compress;
    hperiod(Object) -> Integer = patch::hperiod;
    vperiod(Object) -> Integer = patch::vperiod;
    o_g(Grid, Integer) -> Objects = ext::o_g;
    mir_rot(Grid, Integer) -> Grid = ext::mir_rot;
    get_nth(Container, Integer) -> Any = ext::get_nth;
    get_arg_rank(Container, Callable, Integer) -> Any = ext::get_arg_rank;
    c_iz(Samples, Callable) -> FrozenSet = ext::c_iz;
    c_zo(Samples, Callable) -> FrozenSet = ext::c_zo;
    a_mr(Samples) -> Integer = ext::a_mr;
    crop_fg(Grid) -> Grid = image::crop_fg;
    keep_colour(Grid, Integer) -> Grid = image::keep_colour;
    recolour_fg(Grid, Integer) -> Grid = image::recolour_fg;
    dedup(Grid) -> Grid = image::dedup;
    fill_holes(Grid, Integer) -> Grid = image::fill_holes;
    halo(Grid, Integer) -> Grid = image::halo;
    smear(Grid, Integer) -> Grid = image::smear;
    gravity(Grid, Integer) -> Grid = image::gravity;
    join_lines(Grid, Integer) -> Grid = image::join_lines;
    mirror_complete(Grid, Integer) -> Grid = image::mirror_complete;
    self_tile(Grid) -> Grid = image::self_tile;
    tile(Grid, IntegerTuple) -> Grid = image::tile;
    mirror_tile(Grid, IntegerTuple) -> Grid = image::mirror_tile;
    embed(Grid, IntegerTuple) -> Grid = image::embed;
    scale_to(Grid, IntegerTuple) -> Grid = image::scale_to;
    overlay(Grid, Grid) -> Grid = image::overlay;
    split_objs(Grid, Integer) -> Tuple = image::split_objs;
    split_colours(Grid) -> Tuple = image::split_colours;
    split_panels(Grid) -> Tuple = image::split_panels;
    pick(Tuple, Integer) -> Grid = image::pick;
    stack(Tuple, Integer) -> Grid = image::stack;
    overlay_all(Tuple) -> Grid = image::overlay_all;
    majority(Tuple) -> Grid = image::majority;
    layer(Tuple, Integer) -> Grid = image::layer;
    count_row(Grid) -> Grid = image::count_row;
    box_fill(Grid, Integer) -> Grid = image::box_fill;
    logic(Tuple, Integer, Integer) -> Grid = image::logic;
    fill_periodic(Grid) -> Grid = image::fill_periodic;
    map_colours(Grid, Integer) -> Grid = image::map_colours;
    recolour_by_size(Grid, Integer) -> Grid = image::recolour_by_size;
    recolour_major(Grid) -> Grid = image::recolour_major;
    count_colours(Grid) -> Integer = image::count_colours;
    inner(Grid, Integer) -> Grid = image::inner;
    drop_small(Grid, Integer) -> Grid = image::drop_small;
    recolour_nearest(Grid, Integer) -> Grid = image::recolour_nearest;
    inside_box(Grid) -> Grid = image::inside_box;
    recolour_by_rank(Grid, Integer) -> Grid = image::recolour_by_rank;
    recolour_if(Grid, Integer, Integer) -> Grid = image::recolour_if;
    roles(Grid, Integer) -> Grid = image::roles;
    unroles(Grid, Integer, Grid) -> Grid = image::unroles;
    recolour_learned(Grid, Samples, Integer) -> Grid = image::recolour_learned;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_primitive_once() {
        assert_eq!(PRIMS.len(), 208);
        let names: std::collections::HashSet<_> = PRIMS.iter().map(|p| p.name).collect();
        assert_eq!(names.len(), PRIMS.len());
        assert_eq!(Prim::by_name("rot90").map(|p| p.name()), Some("rot90"));
        assert_eq!(Prim::by_name("objects").unwrap().info().params.len(), 4);
        assert!(Prim::by_name("solve").is_none());
    }
}
