# arc-dsl programs that pass values of other shapes than the annotations name, as Python
# runs them (annotations are never checked). Expected outputs in tasks/ are derived by hand
# from arc-dsl's dsl.py.

def solve_tuples01(I):
    # box and backdrop of a tuple of two locations
    x1 = ofcolor(I, THREE)
    x2 = ulcorner(x1)
    x3 = lrcorner(x1)
    x4 = astuple(x2, x3)
    x5 = box(x4)
    O = fill(I, TWO, x5)
    return O

def solve_tuples02(I):
    # valmax returns what its key returns (a pair); minimum/maximum of a pair; astuple with
    # ORIGIN is a cell; merge of a pair of sets is a tuple of cells
    x1 = objects(I, T, F, T)
    x2 = valmax(x1, shape)
    x3 = maximum(x2)
    x4 = minimum(x2)
    x5 = canvas(FIVE, x2)
    x6 = astuple(SIX, ORIGIN)
    x7 = initset(x6)
    x8 = astuple(SEVEN, UNITY)
    x9 = initset(x8)
    x10 = astuple(x7, x9)
    x11 = merge(x10)
    x12 = paint(x5, x11)
    x13 = hupscale(x12, x4)
    x14 = astuple(x4, x3)
    O = crop(x13, ORIGIN, x14)
    return O

def solve_tuples03(I):
    # first/last of a grid are rows; hconcat/vconcat of plain tuples; astuple of two grids
    x1 = shape(I)
    x2 = maximum(x1)
    x3 = minimum(x1)
    x4 = first(I)
    x5 = last(I)
    x6 = astuple(x5, x4)
    x7 = astuple(x2, x3)
    x8 = astuple(x7, x7)
    x9 = hconcat(x6, x8)
    x10 = interval(ZERO, ZERO, ONE)
    x11 = repeat(x10, TWO)
    x12 = hconcat(x9, x11)
    x13 = vconcat(x12, x10)
    x14 = rot90(x13)
    x15 = astuple(x14, x13)
    O = last(x15)
    return O

def solve_tuples04(I):
    # a tuple of locations as a patch: shift, recolor, backdrop, corners; fill with a grid of
    # two columns; mapply over a function that returns tuples
    x1 = ofcolor(I, ONE)
    x2 = totuple(x1)
    x3 = shift(x2, DOWN)
    x4 = recolor(TWO, x3)
    x5 = backdrop(x2)
    x6 = underfill(I, EIGHT, x5)
    x7 = paint(x6, x4)
    x8 = rbind(add, RIGHT)
    x9 = fork(astuple, identity, x8)
    x10 = lrcorner(x2)
    x11 = x9(x10)
    x12 = fill(x7, THREE, x11)
    x13 = mapply(x9, x1)
    x14 = shift(x13, (2, 0))
    x15 = fill(x12, FIVE, x14)
    x16 = ulcorner(x2)
    x17 = initset(x16)
    O = fill(x15, NINE, x17)
    return O

def solve_tuples05(I):
    # astuple of two functions, and of two sets of objects
    x1 = astuple(hmirror, vmirror)
    x2 = first(x1)
    x3 = last(x1)
    x4 = x2(I)
    x5 = x3(I)
    x6 = objects(I, T, F, T)
    x7 = partition(I)
    x8 = astuple(x6, x7)
    x9 = last(x8)
    x10 = size(x9)
    x11 = first(x8)
    x12 = size(x11)
    x13 = hconcat(x4, x5)
    x14 = vupscale(x13, x12)
    O = replace(x14, x10, ZERO)
    return O
