# the output is the input mirrored left-right (symmetry learned from the demos)
def solve_67a3c6ac(S, I):
    x1 = a_mr(S)
    O = mir_rot(I, x1)
    return O


# the output is the input mirrored top-bottom
def solve_68b16354(I):
    O = hmirror(I)
    return O


# the output is the input transposed (symmetry learned from the demos)
def solve_74dd1130(S, I):
    x1 = a_mr(S)
    O = mir_rot(I, x1)
    return O


# the output is the input rotated by half a turn
def solve_6150a2bd(I):
    O = rot180(I)
    return O


# the output is the input rotated a quarter turn anticlockwise
def solve_ed36ccf7(I):
    O = rot270(I)
    return O


# the output is the input rotated by half a turn (via mir_rot)
def solve_3c9b0459(I):
    O = mir_rot(I, 5)
    return O


# the output is the input transposed
def solve_9dfd6313(I):
    O = dmirror(I)
    return O


# the input is repeated twice side by side
def solve_a416b8f3(I):
    O = hconcat(I, I)
    return O


# colour 7 becomes 5
def solve_c8f0f002(I):
    O = replace(I, SEVEN, FIVE)
    return O


# colours 5 and 8 are swapped
def solve_d511f180(I):
    O = switch(I, FIVE, EIGHT)
    return O


# the colour that the task removes is replaced by the colour it adds
def solve_b1948b0a(S, I):
    x1 = c_iz(S, palette)
    x2 = c_zo(S, palette)
    x3 = first(x1)
    x4 = first(x2)
    O = replace(I, x3, x4)
    return O


# fixed colour permutation: 1<->5, 2<->6, 3<->4, 8<->9
def solve_0d3d703e(I):
    x1 = switch(I, ONE, FIVE)
    x2 = switch(x1, TWO, SIX)
    x3 = switch(x2, THREE, FOUR)
    O = switch(x3, EIGHT, NINE)
    return O


# every object moves down one row
def solve_25ff71a9(I):
    x1 = objects(I, T, T, T)
    x2 = first(x1)
    O = move(I, x2, DOWN)
    return O


# the input is followed by its mirror image on the right
def solve_c9e6f938(I):
    x1 = vmirror(I)
    O = hconcat(I, x1)
    return O


# the input is followed by its mirror image below
def solve_8be77c9e(I):
    x1 = hmirror(I)
    O = vconcat(I, x1)
    return O


# the mirrored input is stacked on top of the input
def solve_4c4377d9(I):
    x1 = hmirror(I)
    O = vconcat(x1, I)
    return O


# the input is reflected into all four quadrants
def solve_62c24649(I):
    x1 = vmirror(I)
    x2 = hconcat(I, x1)
    x3 = hmirror(x2)
    O = vconcat(x2, x3)
    return O


# four rotations of the input tile the output, turning clockwise
def solve_7fe24cdd(I):
    x1 = rot90(I)
    x2 = rot180(I)
    x3 = rot270(I)
    x4 = hconcat(I, x1)
    x5 = hconcat(x3, x2)
    O = vconcat(x4, x5)
    return O


# a 2 is placed between two 1s that sit one gap apart in a row
def solve_a699fb00(I):
    x1 = ofcolor(I, ONE)
    x2 = shift(x1, RIGHT)
    x3 = shift(x1, LEFT)
    x4 = intersection(x2, x3)
    O = fill(I, TWO, x4)
    return O


# each L-shaped tromino gets its missing corner coloured 1
def solve_3aa6fb7a(I):
    x1 = objects(I, T, F, T)
    x2 = mapply(delta, x1)
    O = fill(I, ONE, x2)
    return O


# the whole grid takes the most common colour
def solve_5582e5ca(I):
    x1 = mostcolor(I)
    x2 = shape(I)
    O = canvas(x1, x2)
    return O


# crop the single object
def solve_1cf80156(I):
    x1 = objects(I, F, T, T)
    x2 = first(x1)
    O = subgrid(x2, I)
    return O


# crop the largest single-coloured object
def solve_be94b721(I):
    x1 = o_g(I, 7)
    x2 = argmax(x1, size)
    O = subgrid(x2, I)
    return O


# crop the smallest single-coloured rectangle
def solve_23b5c85d(I):
    x1 = objects(I, T, F, T)
    x2 = argmin(x1, size)
    O = subgrid(x2, I)
    return O


# the input is three copies side by side; keep one
def solve_2dee498d(I):
    x1 = hsplit(I, THREE)
    O = first(x1)
    return O


# upscale by two
def solve_c59eb873(I):
    O = upscale(I, TWO)
    return O


# upscale by the number of non-background colours
def solve_b91ae062(I):
    x1 = numcolors(I)
    x2 = decrement(x1)
    O = upscale(I, x2)
    return O


# upscale by three
def solve_9172f3a0(I):
    O = upscale(I, THREE)
    return O


# keep the top-left 2x2 corner
def solve_d10ecb37(I):
    O = crop(I, ORIGIN, TWO_BY_TWO)
    return O


# pairs of equal colours in the same row are joined by a line of that colour
def solve_22eb0ac0(I):
    x1 = fgpartition(I)
    x2 = matcher(height, ONE)
    x3 = sfilter(x1, x2)
    x4 = fork(recolor, color, backdrop)
    x5 = mapply(x4, x3)
    O = paint(I, x5)
    return O


# an 8 frame is drawn around the grid border
def solve_6f8cd79b(I):
    x1 = asindices(I)
    x2 = box(x1)
    O = fill(I, EIGHT, x2)
    return O


# every 5 is surrounded by a ring of 1s
def solve_4258a5f9(I):
    x1 = ofcolor(I, FIVE)
    x2 = mapply(neighbors, x1)
    O = underfill(I, ONE, x2)
    return O


# every 2 is surrounded by a ring of 1s (other colours untouched)
def solve_dc1df850(I):
    x1 = ofcolor(I, TWO)
    x2 = mapply(neighbors, x1)
    O = underfill(I, ONE, x2)
    return O


# background regions enclosed by the 3-coloured walls are filled with 4
def solve_00d62c1b(I):
    x1 = objects(I, T, F, F)
    x2 = colorfilter(x1, ZERO)
    x3 = rbind(bordering, I)
    x4 = compose(flip, x3)
    x5 = mfilter(x2, x4)
    O = fill(I, FOUR, x5)
    return O


# the empty cells inside the bounding box of the 8 shape become 2
def solve_6d75e8bb(I):
    x1 = ofcolor(I, EIGHT)
    x2 = delta(x1)
    O = fill(I, TWO, x2)
    return O


# every shape's bounding box is completed with 7
def solve_60b61512(I):
    x1 = objects(I, T, T, T)
    x2 = mapply(delta, x1)
    O = fill(I, SEVEN, x2)
    return O


# the inside of every solid rectangle (all but its border) becomes 8
def solve_50cb2852(I):
    x1 = objects(I, T, F, T)
    x2 = compose(backdrop, inbox)
    x3 = mapply(x2, x1)
    O = fill(I, EIGHT, x3)
    return O


# the inside of every grey rectangle becomes 2
def solve_bb43febb(I):
    x1 = objects(I, T, F, F)
    x4 = colorfilter(x1, FIVE)
    x2 = fork(difference, backdrop, box)
    x3 = mapply(x2, x4)
    O = fill(I, TWO, x3)
    return O


# 1 when the pattern is left-right symmetric, 7 otherwise
def solve_44f52bb0(I):
    x1 = vmirror(I)
    x2 = equality(x1, I)
    x3 = branch(x2, ONE, SEVEN)
    O = canvas(x3, UNITY)
    return O


# keep the top-right 3x3 corner
def solve_5bd6f4ac(I):
    O = crop(I, (0, 6), THREE_BY_THREE)
    return O


# count the blue 2x2 squares: that many 1s in a row of length 5
def solve_1fad071e(I):
    x1 = objects(I, T, F, T)
    x2 = colorfilter(x1, ONE)
    x3 = sizefilter(x2, FOUR)
    x4 = size(x3)
    x5 = astuple(ONE, x4)
    x6 = canvas(ONE, x5)
    x7 = subtract(FIVE, x4)
    x8 = astuple(ONE, x7)
    x9 = canvas(ZERO, x8)
    O = hconcat(x6, x9)
    return O


# the open box fills with 8, which leaks out of the gap in a straight line
def solve_d4f3cd78(I):
    x1 = ofcolor(I, FIVE)
    x2 = box(x1)
    x3 = difference(x2, x1)
    x4 = first(x3)
    x5 = center(x1)
    x6 = subtract(x4, x5)
    x7 = sign(x6)
    x8 = shoot(x4, x7)
    x9 = delta(x1)
    x10 = combine(x8, x9)
    O = fill(I, EIGHT, x10)
    return O


# the shape takes the colour of the lone corner pixel, which disappears
def solve_aabf363d(I):
    x1 = leastcolor(I)
    x2 = replace(I, x1, ZERO)
    x3 = leastcolor(x2)
    O = replace(x2, x3, x1)
    return O


# the bottom half is reflected into the top half
def solve_f25ffba3(I):
    x1 = bottomhalf(I)
    x2 = hmirror(x1)
    O = vconcat(x2, x1)
    return O


# crop the object and mirror it left-right
def solve_7468f01a(I):
    x1 = objects(I, F, T, T)
    x2 = first(x1)
    x3 = subgrid(x2, I)
    O = vmirror(x3)
    return O


# crop the blue rectangle holding the most red cells
def solve_8efcae92(I):
    x1 = objects(I, T, F, F)
    x2 = colorfilter(x1, ONE)
    x3 = rbind(colorcount, TWO)
    x4 = rbind(toobject, I)
    x5 = chain(x3, x4, backdrop)
    x6 = argmax(x2, x5)
    O = subgrid(x6, I)
    return O


# cells that are 1 in both halves (left of and right of the divider) become 2
def solve_0520fde7(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = cellwise(x1, x2, ZERO)
    O = replace(x3, ONE, TWO)
    return O


# cells empty in both the top and the bottom half become 2, the rest 0
def solve_fafffa47(I):
    x1 = tophalf(I)
    x2 = bottomhalf(I)
    x3 = cellwise(x1, x2, ONE)
    x4 = replace(x3, ZERO, TWO)
    O = replace(x4, ONE, ZERO)
    return O


# remove the grey noise and shrink each 3x3 block to one cell
def solve_5614dbcf(I):
    x1 = replace(I, FIVE, ZERO)
    O = downscale(x1, THREE)
    return O


# every completely empty row and column is painted 2
def solve_c1d99e64(I):
    x1 = frontiers(I)
    x2 = colorfilter(x1, ZERO)
    x3 = merge(x2)
    O = fill(I, TWO, x3)
    return O


# of the 3x3 tiles, output the one whose shape differs from all the others
def solve_a87f7484(I):
    x1 = height(I)
    x2 = width(I)
    x3 = divide(x1, THREE)
    x4 = divide(x2, THREE)
    x5 = vsplit(I, x3)
    x6 = hsplit(I, x4)
    x7 = portrait(I)
    x8 = branch(x7, x5, x6)
    x9 = rbind(ofcolor, ZERO)
    x10 = apply(x9, x8)
    x11 = leastcommon(x10)
    x12 = matcher(x9, x11)
    O = extract(x8, x12)
    return O


# only the middle column survives
def solve_d23f8c26(I):
    x1 = width(I)
    x2 = halve(x1)
    x3 = tojvec(x2)
    x4 = vfrontier(x3)
    x5 = asindices(I)
    x6 = difference(x5, x4)
    O = fill(I, ZERO, x6)
    return O


# 8s sharing a row or column are joined by 3s
def solve_253bf280(I):
    x1 = ofcolor(I, EIGHT)
    x2 = prapply(connect, x1, x1)
    x3 = fork(either, vline, hline)
    x4 = mfilter(x2, x3)
    O = underfill(I, THREE, x4)
    return O


# 1s sharing a row or column are joined by 8s
def solve_dbc1a6ce(I):
    x1 = ofcolor(I, ONE)
    x2 = product(x1, x1)
    x3 = fork(connect, first, last)
    x4 = apply(x3, x2)
    x5 = fork(either, hline, vline)
    x6 = mfilter(x4, x5)
    O = underfill(I, EIGHT, x6)
    return O


# bars are coloured 1, 2, 3, 4 from tallest to shortest
def solve_08ed6ac7(I):
    x1 = objects(I, T, F, T)
    x2 = get_arg_rank(x1, size, ZERO)
    x3 = get_arg_rank(x1, size, ONE)
    x4 = get_arg_rank(x1, size, TWO)
    x5 = get_arg_rank(x1, size, THREE)
    x6 = fill(I, ONE, x2)
    x7 = fill(x6, TWO, x3)
    x8 = fill(x7, THREE, x4)
    O = fill(x8, FOUR, x5)
    return O


# shapes are recoloured by size: 4 cells -> 1, 3 -> 2, 2 -> 3
def solve_6e82a1ae(I):
    x1 = objects(I, T, F, T)
    x2 = lbind(subtract, FIVE)
    x3 = compose(x2, size)
    x4 = fork(recolor, x3, identity)
    x5 = mapply(x4, x1)
    O = paint(I, x5)
    return O


# a 3 plus sign is drawn midway between the two 1s
def solve_e9614598(I):
    x1 = ofcolor(I, ONE)
    x2 = center(x1)
    x3 = dneighbors(x2)
    x4 = insert(x2, x3)
    O = fill(I, THREE, x4)
    return O


# every domino of 2s gets a frame of 3s around it
def solve_b27ca6d3(I):
    x1 = objects(I, T, F, T)
    x2 = sizefilter(x1, TWO)
    x3 = mapply(outbox, x2)
    O = underfill(I, THREE, x3)
    return O


# lines are coloured by length: longest 1, middle 4, shortest 2
def solve_ea32f347(I):
    x1 = objects(I, T, F, T)
    x2 = order(x1, size)
    x3 = first(x2)
    x4 = get_nth(x2, ONE)
    x5 = last(x2)
    x6 = fill(I, TWO, x3)
    x7 = fill(x6, FOUR, x4)
    O = fill(x7, ONE, x5)
    return O


# the red shape slides towards the 8 square until it touches it
def solve_05f2a901(I):
    x1 = fgpartition(I)
    x2 = colorfilter(x1, TWO)
    x3 = first(x2)
    x4 = colorfilter(x1, EIGHT)
    x5 = first(x4)
    x6 = gravitate(x3, x5)
    O = move(I, x3, x6)
    return O


# shapes of six cells become 2, all other shapes become 1
def solve_d2abd087(I):
    x1 = objects(I, T, F, T)
    x2 = sizefilter(x1, SIX)
    x3 = merge(x2)
    x4 = replace(I, FIVE, ONE)
    O = fill(x4, TWO, x3)
    return O


# crop the coloured cells out of the blue background, which becomes 0
def solve_a740d043(I):
    x1 = fgpartition(I)
    x2 = merge(x1)
    x3 = subgrid(x2, I)
    O = replace(x3, ONE, ZERO)
    return O


# every coloured cell drips straight down to the bottom edge
def solve_d037b0a7(I):
    x1 = objects(I, T, F, T)
    x2 = rbind(shoot, DOWN)
    x3 = compose(x2, ulcorner)
    x4 = fork(recolor, color, x3)
    x5 = mapply(x4, x1)
    O = paint(I, x5)
    return O


# every grey pixel grows into a 3x3 block of 1s
def solve_ce22a75a(I):
    x1 = objects(I, T, F, T)
    x2 = compose(backdrop, outbox)
    x3 = mapply(x2, x1)
    O = fill(I, ONE, x3)
    return O


# everything not of the dominant colour becomes 5
def solve_9565186b(I):
    x1 = mostcolor(I)
    x2 = shape(I)
    x3 = canvas(x1, x2)
    O = cellwise(I, x3, FIVE)
    return O


# the grid is two copies of a tile; keep one half along the long side
def solve_7b7f7511(I):
    x1 = portrait(I)
    x2 = tophalf(I)
    x3 = lefthalf(I)
    O = branch(x1, x2, x3)
    return O


# grey becomes the other colour and the other colour becomes background
def solve_f76d97a5(I):
    x1 = palette(I)
    x2 = other(x1, FIVE)
    x3 = switch(I, FIVE, x2)
    O = replace(x3, FIVE, ZERO)
    return O


# 2s shoot up from the bottom; a grey cell in the way makes the line step right
def solve_d9f24cd1(I):
    x1 = ofcolor(I, TWO)
    x2 = mapply(vfrontier, x1)
    x3 = ofcolor(I, FIVE)
    x4 = intersection(x2, x3)
    x5 = rbind(shoot, UP)
    x6 = mapply(x5, x4)
    x7 = shift(x4, UNITY)
    x8 = mapply(x5, x7)
    x9 = difference(x2, x6)
    x10 = combine(x9, x8)
    O = underfill(I, TWO, x10)
    return O


# the input and its three rotations tile a 2x2 arrangement
def solve_46442a0e(I):
    x1 = rot90(I)
    x2 = power(rot90, TWO)
    x3 = x2(I)
    x4 = power(rot90, THREE)
    x5 = x4(I)
    x6 = hconcat(I, x1)
    x7 = hconcat(x5, x3)
    O = vconcat(x6, x7)
    return O


# hollow red frames disappear and their insides are painted 3
def solve_d5d6de2d(I):
    x1 = objects(I, T, F, T)
    x2 = mapply(delta, x1)
    x3 = merge(x1)
    x4 = cover(I, x3)
    O = fill(x4, THREE, x2)
    return O


# cells empty on both sides of the divider become 8
def solve_1b2d62fb(I):
    x1 = lefthalf(I)
    x2 = righthalf(I)
    x3 = ofcolor(x1, ZERO)
    x4 = ofcolor(x2, ZERO)
    x5 = intersection(x3, x4)
    x6 = shape(x1)
    x7 = canvas(ZERO, x6)
    O = fill(x7, EIGHT, x5)
    return O


# crop the shape marked with an 8 and repair the mark in the shape's colour
def solve_5117e062(I):
    x1 = objects(I, F, T, T)
    x2 = rbind(colorcount, EIGHT)
    x3 = compose(positive, x2)
    x4 = extract(x1, x3)
    x5 = subgrid(x4, I)
    x6 = mostcolor(x4)
    O = replace(x5, EIGHT, x6)
    return O


# each 3 takes the colour of the nearer of the two border lines
def solve_2204b7a8(I):
    x1 = objects(I, T, F, T)
    x2 = colorfilter(x1, THREE)
    x3 = difference(x1, x2)
    x4 = lbind(lbind, manhattan)
    x5 = lbind(argmin, x3)
    x6 = compose(x5, x4)
    x7 = compose(color, x6)
    x8 = fork(recolor, x7, identity)
    x9 = mapply(x8, x2)
    O = paint(I, x9)
    return O


# drop the empty margins, then collapse repeated rows and columns of the blocks
def solve_90c28cc7(I):
    x1 = compress(I)
    x2 = dedupe(x1)
    x3 = dmirror(x2)
    x4 = dedupe(x3)
    O = dmirror(x4)
    return O


# crop inside the four corner markers and paint the shape in the marker colour
def solve_3de23699(I):
    x1 = leastcolor(I)
    x2 = ofcolor(I, x1)
    x3 = subgrid(x2, I)
    x4 = trim(x3)
    x5 = palette(x4)
    x6 = other(x5, ZERO)
    O = replace(x4, x6, x1)
    return O


# a row as long as the number of coloured cells, in their colour
def solve_d631b094(I):
    x1 = palette(I)
    x2 = other(x1, ZERO)
    x3 = colorcount(I, x2)
    x4 = astuple(ONE, x3)
    O = canvas(x2, x4)
    return O


# list the colours by frequency, leaving out the background and the dominant colour
def solve_f8b3ba0a(I):
    x1 = partition(I)
    x2 = get_arg_rank(x1, size, TWO)
    x3 = get_arg_rank(x1, size, THREE)
    x4 = get_arg_rank(x1, size, FOUR)
    x5 = color(x2)
    x6 = color(x3)
    x7 = color(x4)
    x8 = canvas(x5, UNITY)
    x9 = canvas(x6, UNITY)
    x10 = canvas(x7, UNITY)
    x11 = vconcat(x8, x9)
    O = vconcat(x11, x10)
    return O
