#!/usr/bin/env python3
"""An independent reference of batt's whole-image steps (golden/README.md, section
"image.jsonl"), written from their one-line definitions, not from the Rust code.

    python3 golden/image_reference.py > golden/image.jsonl

Every case below also carries the output derived by hand from the definition (or FAIL); the
script checks the reference against it before writing a line, so the two derivations must
agree. A few cases (size limits) are left to the reference (`REF`).

Values: a grid is a tuple of rows, a tuple of grids a tuple of grids, an integer pair a pair.
Colour 0 is the background. Grids have at most 255 rows and columns and 4096 cells.
"""

import json
import sys

MAX_SIDE, MAX_CELLS = 255, 4096


class Fail(Exception):
    pass


FAIL = "FAIL"
REF = "REF"


# ----- values -------------------------------------------------------------------------------


def is_int(x):
    return isinstance(x, int)


def is_grid(x):
    return (
        isinstance(x, tuple)
        and len(x) > 0
        and all(isinstance(r, tuple) and len(r) == len(x[0]) and len(r) > 0 for r in x)
        and all(is_int(c) for r in x for c in r)
    )


def grid(x):
    if not is_grid(x):
        raise Fail("expected a grid")
    return x


def grids(x):
    if not isinstance(x, tuple) or any(not is_grid(g) for g in x):
        raise Fail("expected a tuple of grids")
    if len(x) == 0:
        raise Fail("empty tuple")
    return x


def integer(x):
    if not is_int(x):
        raise Fail("expected an integer")
    return x


def sel(x, top):
    k = integer(x)
    if not 0 <= k <= top:
        raise Fail("selector outside its range")
    return k


def colour(x):
    c = integer(x)
    if not -128 <= c <= 127:
        raise Fail("colour outside i8")
    return c


def shape_arg(x):
    if not (isinstance(x, tuple) and len(x) == 2 and all(is_int(v) for v in x)):
        raise Fail("expected a pair")
    h, w = x
    if h <= 0 or w <= 0:
        raise Fail("no cells")
    return h, w


def make(h, w, f):
    """The grid of shape (h, w) whose cell (i, j) is f(i, j), or Fail past the limits."""
    if h > MAX_SIDE or w > MAX_SIDE or h * w > MAX_CELLS:
        raise Fail("too large")
    return tuple(tuple(f(i, j) for j in range(w)) for i in range(h))


def dims(g):
    return len(g), len(g[0])


def window(g, t, l, b, r, keep=lambda i, j: True):
    return make(b - t + 1, r - l + 1, lambda i, j: g[t + i][l + j] if keep(t + i, l + j) else 0)


def box(cells):
    cells = list(cells)
    if not cells:
        return None
    return (min(i for i, _ in cells), min(j for _, j in cells), max(i for i, _ in cells), max(j for _, j in cells))


def cells_where(g, pred):
    h, w = dims(g)
    return [(i, j) for i in range(h) for j in range(w) if pred(g[i][j])]


def recolour(g, f):
    h, w = dims(g)
    return make(h, w, lambda i, j: f(i, j, g[i][j]))


# ----- the definitions ----------------------------------------------------------------------


def crop_fg(g):
    g = grid(g)
    b = box(cells_where(g, lambda c: c != 0))
    if b is None:
        raise Fail("no content")
    return window(g, *b)


def keep_colour(g, c):
    g, c = grid(g), colour(c)
    return recolour(g, lambda i, j, x: x if x == c else 0)


def recolour_fg(g, c):
    g, c = grid(g), colour(c)
    return recolour(g, lambda i, j, x: c if x != 0 else 0)


def dedup(g):
    g = grid(g)
    rows = [r for n, r in enumerate(g) if n == 0 or r != g[n - 1]]
    cols = list(zip(*rows))
    cols = [c for n, c in enumerate(cols) if n == 0 or c != cols[n - 1]]
    return tuple(zip(*cols))


def outside(g):
    """The 0 cells with a 4-connected path of 0 cells to the border."""
    h, w = dims(g)
    reach = {(i, j) for i, j in cells_where(g, lambda x: x == 0) if i in (0, h - 1) or j in (0, w - 1)}
    todo = list(reach)
    while todo:
        i, j = todo.pop()
        for y, x in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if 0 <= y < h and 0 <= x < w and g[y][x] == 0 and (y, x) not in reach:
                reach.add((y, x))
                todo.append((y, x))
    return reach


def fill_holes(g, c):
    g, c = grid(g), colour(c)
    reach = outside(g)
    return recolour(g, lambda i, j, x: c if x == 0 and (i, j) not in reach else x)


def inside(g, i, j):
    h, w = dims(g)
    return 0 <= i < h and 0 <= j < w


def halo(g, c):
    g, c = grid(g), colour(c)

    def near(i, j):
        return any(
            (di, dj) != (0, 0) and inside(g, i + di, j + dj) and g[i + di][j + dj] != 0
            for di in (-1, 0, 1)
            for dj in (-1, 0, 1)
        )

    return recolour(g, lambda i, j, x: c if x == 0 and near(i, j) else x)


RIGHT, LEFT, DOWN, UP = (0, 1), (0, -1), (1, 0), (-1, 0)
SMEAR_DIRS = [
    [RIGHT],
    [LEFT],
    [DOWN],
    [UP],
    [LEFT, RIGHT],
    [UP, DOWN],
    [RIGHT, LEFT, DOWN, UP],
    [(1, 1), (1, -1), (-1, 1), (-1, -1)],
    [(1, 1)],
    [(1, -1)],
    [(-1, 1)],
    [(-1, -1)],
]


def smear(g, k):
    g, k = grid(g), sel(k, 11)
    h, w = dims(g)
    out = [list(r) for r in g]
    drawn = set()
    for i in range(h):
        for j in range(w):
            c = g[i][j]
            if c == 0:
                continue
            for di, dj in SMEAR_DIRS[k]:
                y, x = i + di, j + dj
                while inside(g, y, x) and g[y][x] == 0:
                    if (y, x) not in drawn:
                        drawn.add((y, x))
                        out[y][x] = c
                    y, x = y + di, x + dj
    return tuple(map(tuple, out))


def gravity(g, k):
    g, k = grid(g), sel(k, 3)

    def fall(line, to_end):
        content = [c for c in line if c != 0]
        pad = [0] * (len(line) - len(content))
        return tuple(pad + content if to_end else content + pad)

    if k < 2:
        cols = [fall(col, k == 0) for col in zip(*g)]
        return tuple(zip(*cols))
    return tuple(fall(row, k == 2) for row in g)


def join_line(line):
    """(position, colour) of the 0 cells of a line between two cells of one colour with only
    0 cells between them."""
    out = []
    nz = [(p, c) for p, c in enumerate(line) if c != 0]
    for (p, c), (q, d) in zip(nz, nz[1:]):
        if c == d:
            out += [(r, c) for r in range(p + 1, q)]
    return out


def join_lines(g, k):
    g, k = grid(g), sel(k, 4)
    h, w = dims(g)
    out = [list(r) for r in g]
    lines = []
    if k in (0, 2, 4):
        lines += [[(i, j) for j in range(w)] for i in range(h)]
    if k in (1, 2, 4):  # the column's colour where both join
        lines += [[(i, j) for i in range(h)] for j in range(w)]
    if k in (3, 4):  # down-right diagonals, then down-left ones (their colour where both join)
        lines += [[(i, i - d) for i in range(h) if 0 <= i - d < w] for d in range(-(w - 1), h)]
        lines += [[(i, s - i) for i in range(h) if 0 <= s - i < w] for s in range(h + w - 1)]
    for line in lines:
        for n, c in join_line([g[i][j] for i, j in line]):
            i, j = line[n]
            out[i][j] = c
    return tuple(map(tuple, out))


def mirror_complete(g, k):
    g, k = grid(g), sel(k, 3)
    h, w = dims(g)
    if k == 3 and h != w:
        raise Fail("not square")
    images = [
        lambda i, j: [(i, w - 1 - j)],
        lambda i, j: [(h - 1 - i, j)],
        lambda i, j: [(i, w - 1 - j), (h - 1 - i, j), (h - 1 - i, w - 1 - j)],
        lambda i, j: [(j, i)],
    ][k]

    def cell(i, j, x):
        if x != 0:
            return x
        for y, z in images(i, j):
            if g[y][z] != 0:
                return g[y][z]
        return 0

    return recolour(g, cell)


def self_tile(g):
    g = grid(g)
    h, w = dims(g)
    return make(h * h, w * w, lambda y, x: g[y % h][x % w] if g[y // h][x // w] != 0 else 0)


def tile(g, s):
    g, (h, w) = grid(g), shape_arg(s)
    gh, gw = dims(g)
    return make(h, w, lambda y, x: g[y % gh][x % gw])


def mirror_tile(g, s):
    g, (h, w) = grid(g), shape_arg(s)
    gh, gw = dims(g)

    def cell(y, x):
        i = y % gh if (y // gh) % 2 == 0 else gh - 1 - y % gh
        j = x % gw if (x // gw) % 2 == 0 else gw - 1 - x % gw
        return g[i][j]

    return make(h, w, cell)


def embed(g, s):
    g, (h, w) = grid(g), shape_arg(s)
    gh, gw = dims(g)
    return make(h, w, lambda y, x: g[y][x] if y < gh and x < gw else 0)


def scale_to(g, s):
    g, (h, w) = grid(g), shape_arg(s)
    gh, gw = dims(g)
    if h % gh or w % gw:
        raise Fail("not a multiple")
    fy, fx = h // gh, w // gw
    return make(h, w, lambda y, x: g[y // fy][x // fx])


def overlay(a, b):
    a, b = grid(a), grid(b)
    if dims(a) != dims(b):
        raise Fail("shapes differ")
    return recolour(a, lambda i, j, x: b[i][j] if b[i][j] != 0 else x)


# arc-dsl's objects and mostcolor, as in dsl.py (o_g(g, k) = objects(g, k&4, k&2, k&1))
def mostcolor(g):
    values = [v for r in g for v in r]
    return max(set(values), key=values.count)


def objects(g, univalued, diagonal, without_bg):
    bg = mostcolor(g) if without_bg else None
    h, w = dims(g)
    objs, occupied = set(), set()
    for loc in [(i, j) for i in range(h) for j in range(w)]:
        if loc in occupied:
            continue
        val = g[loc[0]][loc[1]]
        if val == bg:
            continue
        obj, cands = {(val, loc)}, {loc}
        while cands:
            hood = set()
            for ci, cj in cands:
                v = g[ci][cj]
                if (val == v) if univalued else (v != bg):
                    obj.add((v, (ci, cj)))
                    occupied.add((ci, cj))
                    steps = [(1, 0), (-1, 0), (0, 1), (0, -1)]
                    if diagonal:
                        steps += [(1, 1), (1, -1), (-1, 1), (-1, -1)]
                    hood |= {(ci + a, cj + b) for a, b in steps if inside(g, ci + a, cj + b)}
            cands = hood - occupied
        objs.add(frozenset(obj))
    return objs


def canon_text(obj):
    """The canonical JSON text of an object (golden/README.md: a set's elements sorted by
    their compact JSON text); o_g's order is the order of these texts."""
    items = sorted(json.dumps([c, [i, j]], separators=(",", ":")) for c, (i, j) in obj)
    return '{"set":[' + ",".join(items) + "]}"


def tuple_of(gs):
    if not gs:
        raise Fail("nothing to split")
    return tuple(gs)


def split_objs(g, k):
    g, k = grid(g), sel(k, 7)
    objs = sorted(objects(g, k & 4 != 0, k & 2 != 0, k & 1 != 0), key=canon_text)
    parts = []
    for o in objs:
        locs = {loc for _, loc in o}
        t, l, b, r = box(locs)
        parts.append(((t, l), window(g, t, l, b, r, lambda i, j: (i, j) in locs)))
    parts.sort(key=lambda p: p[0])  # stable: ties stay in o_g's order
    return tuple_of([p for _, p in parts])


def split_colours(g):
    g = grid(g)
    parts = []
    for c in sorted({x for r in g for x in r if x != 0}):
        parts.append(window(g, *box(cells_where(g, lambda x: x == c)), lambda i, j: g[i][j] == c))
    return tuple_of(parts)


def split_panels(g):
    g = grid(g)
    h, w = dims(g)
    row_c = {i: g[i][0] for i in range(h) if len(set(g[i])) == 1}
    col_c = {j: g[0][j] for j in range(w) if len({g[i][j] for i in range(h)}) == 1}
    lines = {}
    for c in list(row_c.values()) + list(col_c.values()):
        lines[c] = lines.get(c, 0) + 1

    def runs(n, is_sep):
        out, start = [], None
        for p in range(n + 1):
            if p < n and not is_sep(p):
                if start is None:
                    start = p
            elif start is not None:
                out.append((start, p - 1))
                start = None
        return out

    for c in sorted(lines, key=lambda c: (-lines[c], c)):
        rows = runs(h, lambda i: row_c.get(i) == c)
        cols = runs(w, lambda j: col_c.get(j) == c)
        if len(rows) * len(cols) >= 2:
            return tuple(window(g, t, l, b, r) for t, b in rows for l, r in cols)
    raise Fail("no separators leave two panels")


def ncolours(g):
    return len({x for r in g for x in r if x != 0})


def nonzero(g):
    return sum(1 for r in g for x in r if x != 0)


def pattern(g):
    return tuple(tuple(x != 0 for x in r) for r in g)


def pick(t, k):
    gs, k = grids(t), sel(k, 14)

    def best(key):  # the first grid with the largest key
        top = max(key(g) for g in gs)
        return next(g for g in gs if key(g) == top)

    def lone(same):
        qual = [g for n, g in enumerate(gs) if all(m == n or not same(g, x) for m, x in enumerate(gs))]
        if len(qual) != 1:
            raise Fail("no single grid stands out")
        return qual[0]

    area = lambda g: len(g) * len(g[0])
    return [
        lambda: best(nonzero),
        lambda: best(lambda g: -nonzero(g)),
        lambda: best(area),
        lambda: best(lambda g: -area(g)),
        lambda: best(ncolours),
        lambda: best(lambda g: -ncolours(g)),
        lambda: gs[0],
        lambda: gs[-1],
        lambda: lone(lambda a, b: a == b),
        lambda: lone(lambda a, b: pattern(a) == pattern(b)),
        lambda: lone(lambda a, b: ncolours(a) == ncolours(b)),
        lambda: best(minor),
        lambda: best(lambda g: -minor(g)),
        lambda: lone(lambda a, b: mirrored(a) == mirrored(b)),
        lambda: lone(lambda a, b: dims(a) == dims(b)),
    ][k]()


def mirrored(g):
    h, w = dims(g)
    lr = all(g[i][j] == g[i][w - 1 - j] for i in range(h) for j in range(w))
    tb = all(g[i][j] == g[h - 1 - i][j] for i in range(h) for j in range(w))
    square = h == w
    d1 = square and all(g[i][j] == g[j][i] for i in range(h) for j in range(w))
    d2 = square and all(g[i][j] == g[w - 1 - j][h - 1 - i] for i in range(h) for j in range(w))
    return lr or tb or d1 or d2


def major(g):
    """The non-zero cells' colours and the most common of them (ties: the smallest), or None."""
    cs = [x for r in g for x in r if x != 0]
    return cs, (min(set(cs), key=lambda c: (-cs.count(c), c)) if cs else None)


def minor(g):
    cs, top = major(g)
    return len(cs) - cs.count(top) if cs else 0


def box_fill(g, c):
    g, c = grid(g), colour(c)
    out = [list(r) for r in g]
    for group in groups(g, diagonal=True):
        ys, xs = [p[0] for p in group], [p[1] for p in group]
        for y in range(min(ys), max(ys) + 1):
            for x in range(min(xs), max(xs) + 1):
                if g[y][x] == 0:
                    out[y][x] = c
    return tuple(map(tuple, out))


def axis_period(lines):
    n = len(lines[0])
    for p in range(1, n):
        if all(x == 0 or y == 0 or x == y for line in lines for x, y in zip(line, line[p:])):
            return p
    return n


def fill_periodic(g):
    g = grid(g)
    h, w = dims(g)
    py = axis_period([[g[i][j] for i in range(h)] for j in range(w)])
    px = axis_period([list(r) for r in g])
    if py == h and px == w:
        raise Fail("no period")
    cls = {}
    for i in range(h):
        for j in range(w):
            if g[i][j] != 0:
                k = (i % py, j % px)
                if cls.get(k, g[i][j]) != g[i][j]:
                    raise Fail("no period")
                cls[k] = g[i][j]
    return make(h, w, lambda i, j: g[i][j] or cls.get((i % py, j % px), 0))


def digit_pairs(k):
    k = integer(k)
    if k < 0:
        raise Fail("negative digit map")
    m = {}
    while k > 0:
        m[(k % 100) // 10] = k % 10
        k //= 100
    return m


def map_colours(g, k):
    g, m = grid(g), digit_pairs(k)
    return make(len(g), len(g[0]), lambda i, j: m.get(g[i][j], g[i][j]))


def groups(g, diagonal=False, member=lambda c: c != 0):
    """The groups of the cells whose colour is a `member` (by default the non-zero cells),
    4-connected (8-connected when `diagonal`)."""
    h, w = dims(g)
    seen, out = set(), []
    for i in range(h):
        for j in range(w):
            if (i, j) in seen or not member(g[i][j]):
                continue
            seen.add((i, j))
            group, todo = [], [(i, j)]
            while todo:
                y, x = todo.pop()
                group.append((y, x))
                steps = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a or b) and (diagonal or not (a and b))]
                for q in ((y + a, x + b) for a, b in steps):
                    if inside(g, *q) and member(g[q[0]][q[1]]) and q not in seen:
                        seen.add(q)
                        todo.append(q)
            out.append(group)
    return out


def recolour_by_size(g, k):
    g, m = grid(g), digit_pairs(k)
    out = [list(r) for r in g]
    for group in groups(g):
        if len(group) in m:
            for y, x in group:
                out[y][x] = m[len(group)]
    return tuple(map(tuple, out))


def logic(t, k, c):
    gs, k, c = grids(t), sel(k, 5), colour(c)
    if len(gs) < 2:
        raise Fail("fewer than two grids")
    a, b = gs[0], gs[1]
    if dims(a) != dims(b):
        raise Fail("shapes differ")
    ops = [
        lambda p, q: p and q,
        lambda p, q: p or q,
        lambda p, q: p != q,
        lambda p, q: not p and not q,
        lambda p, q: p and not q,
        lambda p, q: q and not p,
    ]
    return make(len(a), len(a[0]), lambda i, j: c if ops[k](a[i][j] != 0, b[i][j] != 0) else 0)


def stack(t, k):
    gs, k = grids(t), sel(k, 1)
    if k == 0:
        if len({len(g) for g in gs}) != 1:
            raise Fail("heights differ")
        rows = [sum((g[i] for g in gs), ()) for i in range(len(gs[0]))]
    else:
        if len({len(g[0]) for g in gs}) != 1:
            raise Fail("widths differ")
        rows = [r for g in gs for r in g]
    return make(len(rows), len(rows[0]), lambda i, j: rows[i][j])


def same_shape(gs):
    if len({dims(g) for g in gs}) != 1:
        raise Fail("shapes differ")


def overlay_all(t):
    gs = grids(t)
    same_shape(gs)
    out = gs[0]
    for g in gs[1:]:
        out = overlay(out, g)
    return out


def majority(t):
    gs = grids(t)
    same_shape(gs)

    def cell(i, j):
        votes = [g[i][j] for g in gs]
        return min(set(votes), key=lambda c: (-votes.count(c), c))

    return recolour(gs[0], lambda i, j, x: cell(i, j))


def count_row(g):
    cs, c = major(grid(g))
    if not cs:
        raise Fail("no content")
    return make(1, len(cs), lambda i, j: c)


def recolour_major(g):
    g = grid(g)
    cs, c = major(g)
    if not cs:
        raise Fail("no content")
    return recolour(g, lambda i, j, x: c if x != 0 else 0)


def count_colours(g):
    g = grid(g)
    return len({x for r in g for x in r} - {0})


def inner(g, c):
    g, c = grid(g), colour(c)
    h, w = dims(g)

    def all_near(i, j):
        return all(0 <= i + a < h and 0 <= j + b < w and g[i + a][j + b] != 0 for a in (-1, 0, 1) for b in (-1, 0, 1))

    return recolour(g, lambda i, j, x: c if all_near(i, j) else x)


def drop_small(g, n):
    g, n = grid(g), integer(n)
    if n < 0:
        raise Fail("negative size")
    small = {cell for group in groups(g, diagonal=True) if len(group) < n for cell in group}
    return recolour(g, lambda i, j, x: 0 if (i, j) in small else x)


def recolour_nearest(g, c):
    g, c = grid(g), colour(c)
    h, w = dims(g)
    sources = [(i, j, g[i][j]) for i in range(h) for j in range(w) if g[i][j] not in (0, c)]

    def nearest(i, j, x):
        if x != c or not sources:
            return x
        d = min(abs(i - y) + abs(j - z) for y, z, _ in sources)
        colours = {v for y, z, v in sources if abs(i - y) + abs(j - z) == d}
        return colours.pop() if len(colours) == 1 else x

    return recolour(g, nearest)


def inside_box(g):
    g = grid(g)
    h, w = dims(g)
    best = None
    for t in range(h):
        for l in range(w):
            c = g[t][l]
            if c == 0:
                continue
            for b in range(h - 1, t + 1, -1):
                for r in range(w - 1, l + 1, -1):
                    edge = [(t, x) for x in range(l, r + 1)] + [(b, x) for x in range(l, r + 1)]
                    edge += [(y, l) for y in range(t, b + 1)] + [(y, r) for y in range(t, b + 1)]
                    if all(g[y][x] == c for y, x in edge):
                        inside = (b - t - 1) * (r - l - 1)
                        if best is None or inside > best[0]:
                            best = (inside, (t + 1, l + 1, b - 1, r - 1))
    if best is None:
        raise Fail("no outline")
    return window(g, *best[1])


def recolour_by_rank(g, k):
    g, m = grid(g), digit_pairs(k)
    found = groups(g)
    sizes = sorted({len(gr) for gr in found}, reverse=True)
    out = [list(r) for r in g]
    for group in found:
        rank = 1 + sizes.index(len(group))
        if rank in m:
            for y, x in group:
                out[y][x] = m[rank]
    return tuple(map(tuple, out))


def role_map(g, m):
    g, m = grid(g), integer(m)
    if not 0 <= m < 1024:
        raise Fail("colour mask outside 0..1024")
    cells = [x for r in g for x in r]
    free = [c for c in range(10) if not m >> c & 1]
    first = {c: cells.index(c) if c in cells else len(cells) for c in range(10)}
    order = sorted(free, key=lambda c: (-cells.count(c), first[c], c))
    out = {c: c for c in range(10)}
    out.update(zip(order, free))
    return out


def roles(g, m):
    rm = role_map(g, m)
    return recolour(g, lambda i, j, x: rm.get(x, x))


def unroles(g, m, x):
    back = {v: k for k, v in role_map(g, m).items()}
    return recolour(grid(x), lambda i, j, c: back.get(c, c))


def layer(t, k):
    gs, k = grids(t), integer(k)
    same_shape(gs)
    if k < 1:
        raise Fail("no grid named")
    names = [int(d) - 1 for d in str(k)]
    if any(not 0 <= n < len(gs) for n in names):
        raise Fail("a digit names no grid")
    h, w = dims(gs[0])

    def top(i, j):
        return next((gs[n][i][j] for n in names if gs[n][i][j] != 0), 0)

    return make(h, w, lambda i, j: top(i, j))


def recolour_if(g, c, k):
    g, c, k = grid(g), colour(c), integer(k)
    if not 0 <= k <= 7:
        raise Fail("selector outside its range")
    h, w = dims(g)
    found = groups(g, diagonal=True)
    reach = outside(g)
    holes = {(i, j) for i in range(h) for j in range(w) if g[i][j] == 0 and (i, j) not in reach}

    def holds(gr):
        if k in (0, 1):
            near = any((y + a, x + b) in holes for y, x in gr for a, b in ((1, 0), (-1, 0), (0, 1), (0, -1)))
            return near == (k == 0)
        if k in (2, 3):
            return any(y in (0, h - 1) or x in (0, w - 1) for y, x in gr) == (k == 2)
        if k == 4:
            return len(gr) == max(map(len, found))
        if k == 5:
            return len(gr) == min(map(len, found))
        ys, xs = [y for y, _ in gr], [x for _, x in gr]
        return (len(gr) == (max(ys) - min(ys) + 1) * (max(xs) - min(xs) + 1)) == (k == 6)

    chosen = {p for gr in found if holds(gr) for p in gr}
    return recolour(g, lambda i, j, x: c if (i, j) in chosen else x)


# ----- the cases: (fn, args, output derived by hand) -----------------------------------------

Z = lambda h, w: [[0] * w for _ in range(h)]
A = [[1, 0], [0, 2]]  # pick: 2 non-zero, area 4, 2 colours
B = [[3, 3, 3]]  # 3 non-zero, area 3, 1 colour
C = [[0, 4], [4, 0]]  # 2 non-zero, area 4, 1 colour
D = [[6]]  # 1 non-zero, area 1, 1 colour
PICK = [A, B, C, D]


def most_common_colour(g):
    """The most common colour of a grid (ties: the smallest)."""
    counts = {}
    for r in g:
        for c in r:
            counts[c] = counts.get(c, 0) + 1
    return min(counts, key=lambda c: (-counts[c], c))


def learned_objects(g, diagonal):
    """The groups of cells of one colour, 8-connected when `diagonal`, without the most common
    colour (ties: the smallest)."""
    bg = most_common_colour(g)
    colours = sorted({c for r in g for c in r} - {bg})
    return [group for c in colours for group in groups(g, diagonal, lambda x, c=c: x == c)]


def mask(g):
    """Where a grid's objects are (for `recolour_learned`): its shape and cells outside the
    most common colour."""
    bg = most_common_colour(g)
    return tuple(tuple(c != bg for c in r) for r in g)


def learned_key(group, key):
    top, left = min(y for y, _ in group), min(x for _, x in group)
    if key == 0:
        return tuple(sorted((y - top, x - left) for y, x in group))
    if key == 1:
        return len(group)
    return (max(y for y, _ in group) - top + 1, max(x for _, x in group) - left + 1)


def recolour_learned(g, s, k):
    g, k = grid(g), sel(k, 5)
    diagonal, key = k % 2 == 1, k // 2
    if not isinstance(s, tuple) or any(not (isinstance(p, tuple) and len(p) == 2) for p in s):
        raise Fail("expected the demo pairs")
    table = {}
    for i, o in s:
        i, o = grid(i), grid(o)
        if dims(i) != dims(o) or mask(i) == mask(g):
            continue
        for group in learned_objects(i, diagonal):
            colours = {o[y][x] for y, x in group}
            if len(colours) == 1:
                c, at = colours.pop(), learned_key(group, key)
                table[at] = c if table.get(at, c) == c else None
    out = [list(r) for r in g]
    for group in learned_objects(g, diagonal):
        c = table.get(learned_key(group, key))
        if c is None:
            raise Fail("an object the demo pairs teach no one colour")
        for y, x in group:
            out[y][x] = c
    return tuple(map(tuple, out))


CASES = [
    # crop_fg: the bounding box of the non-zero cells
    ("crop_fg", [[[0, 0, 0], [0, 3, 0], [0, 0, 4]]], [[3, 0], [0, 4]]),
    ("crop_fg", [[[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2]]], [[1, 0, 0], [0, 0, 0], [0, 0, 2]]),
    ("crop_fg", [[[5]]], [[5]]),
    ("crop_fg", [[[0, 0], [-1, 0]]], [[-1]]),
    ("crop_fg", [Z(2, 2)], FAIL),
    ("crop_fg", [3], FAIL),
    # keep_colour
    ("keep_colour", [[[1, 2], [2, 0]], 2], [[0, 2], [2, 0]]),
    ("keep_colour", [[[1, 2], [2, 0]], 0], Z(2, 2)),
    ("keep_colour", [[[1, 2], [2, 0]], 7], Z(2, 2)),
    ("keep_colour", [[[1, 2], [2, 0]], 200], FAIL),
    # recolour_fg
    ("recolour_fg", [[[1, 0], [2, 3]], 5], [[5, 0], [5, 5]]),
    ("recolour_fg", [[[1, 0], [2, 3]], 0], Z(2, 2)),
    ("recolour_fg", [[[1, 0], [2, 3]], -1], [[-1, 0], [-1, -1]]),
    ("recolour_fg", [[[1, 0], [2, 3]], 128], FAIL),
    # dedup: rows, then columns
    ("dedup", [[[1, 1, 2], [1, 1, 2], [3, 3, 4]]], [[1, 2], [3, 4]]),
    ("dedup", [[[1], [2], [1]]], [[1], [2], [1]]),
    ("dedup", [[[1, 2, 1, 1]]], [[1, 2, 1]]),
    ("dedup", [[[7, 7], [7, 7]]], [[7]]),
    ("dedup", [[[1, 2, 2], [1, 2, 2], [1, 3, 3]]], [[1, 2], [1, 3]]),
    # fill_holes: 4-connected paths of 0 cells to the border
    ("fill_holes", [[[1, 1, 1], [1, 0, 1], [1, 1, 1]], 4], [[1, 1, 1], [1, 4, 1], [1, 1, 1]]),
    ("fill_holes", [[[1, 1, 1], [1, 0, 0], [1, 1, 1]], 4], [[1, 1, 1], [1, 0, 0], [1, 1, 1]]),
    ("fill_holes", [[[0, 1, 0], [1, 0, 1], [0, 1, 0]], 2], [[0, 1, 0], [1, 2, 1], [0, 1, 0]]),
    (
        "fill_holes",
        [[[0, 0, 0, 0, 0], [0, 3, 3, 3, 3], [0, 3, 0, 0, 3], [0, 3, 3, 3, 3], [0, 0, 0, 0, 0]], 8],
        [[0, 0, 0, 0, 0], [0, 3, 3, 3, 3], [0, 3, 8, 8, 3], [0, 3, 3, 3, 3], [0, 0, 0, 0, 0]],
    ),
    ("fill_holes", [[[1, 1, 1], [1, 0, 1], [1, 1, 1]], 300], FAIL),
    # halo: 8 neighbours
    ("halo", [[[0, 0, 0], [0, 5, 0], [0, 0, 0]], 2], [[2, 2, 2], [2, 5, 2], [2, 2, 2]]),
    ("halo", [[[1, 0, 0, 0]], 3], [[1, 3, 0, 0]]),
    (
        "halo",
        [[[7, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 6]], 1],
        [[7, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 6]],
    ),
    ("halo", [Z(2, 3), 4], Z(2, 3)),
    ("halo", [[[1, 2], [3, 4]], 9], [[1, 2], [3, 4]]),
    # smear: stops at content; first drawer in row-major order keeps a cell
    ("smear", [[[1, 0, 0], [0, 2, 0], [0, 0, 0]], 0], [[1, 1, 1], [0, 2, 2], [0, 0, 0]]),
    ("smear", [[[3, 0, 0, 4, 0]], 0], [[3, 3, 3, 4, 4]]),
    ("smear", [[[0, 0, 3, 0, 4]], 1], [[3, 3, 3, 4, 4]]),
    ("smear", [[[1, 2], [0, 0], [0, 3]], 2], [[1, 2], [1, 2], [1, 3]]),
    ("smear", [[[0, 0], [0, 0], [4, 0]], 3], [[4, 0], [4, 0], [4, 0]]),
    ("smear", [[[0, 1, 0, 0, 2, 0]], 4], [[1, 1, 1, 1, 2, 2]]),
    ("smear", [[[0], [5], [0], [6], [0]], 5], [[5], [5], [5], [6], [6]]),
    ("smear", [[[0, 0, 0], [0, 9, 0], [0, 0, 0]], 6], [[0, 9, 0], [9, 9, 9], [0, 9, 0]]),
    ("smear", [[[0, 0, 0], [0, 9, 0], [0, 0, 0]], 7], [[9, 0, 9], [0, 9, 0], [9, 0, 9]]),
    ("smear", [[[1, 0, 2], [0, 0, 0], [0, 0, 0]], 7], [[1, 0, 2], [0, 1, 0], [2, 0, 1]]),
    ("smear", [[[1, 0]], 8], [[1, 0]]),
    ("smear", [[[1, 0]], -1], FAIL),
    # gravity: 0 down, 1 up, 2 right, 3 left; order kept
    ("gravity", [[[1, 0], [0, 2], [3, 0]], 0], [[0, 0], [1, 0], [3, 2]]),
    ("gravity", [[[1, 0], [0, 2], [3, 0]], 1], [[1, 2], [3, 0], [0, 0]]),
    ("gravity", [[[1, 0, 2, 0], [0, 0, 0, 3]], 2], [[0, 0, 1, 2], [0, 0, 0, 3]]),
    ("gravity", [[[0, 1, 0, 2], [3, 0, 0, 0]], 3], [[1, 2, 0, 0], [3, 0, 0, 0]]),
    ("gravity", [[[1, 0]], 4], FAIL),
    # join_lines: only across 0 cells; k 2 reads the original grid, the column wins
    ("join_lines", [[[1, 0, 0, 1], [2, 0, 0, 3]], 0], [[1, 1, 1, 1], [2, 0, 0, 3]]),
    ("join_lines", [[[1, 0, 2, 0, 1]], 0], [[1, 0, 2, 0, 1]]),
    ("join_lines", [[[1, 0, 1, 0, 1]], 0], [[1, 1, 1, 1, 1]]),
    ("join_lines", [[[4, 0], [0, 0], [4, 0]], 1], [[4, 0], [4, 0], [4, 0]]),
    ("join_lines", [[[1, 0, 1]], 1], [[1, 0, 1]]),
    ("join_lines", [[[0, 2, 0], [1, 0, 1], [0, 2, 0]], 2], [[0, 2, 0], [1, 2, 1], [0, 2, 0]]),
    ("join_lines", [[[3, 0, 3], [0, 0, 0], [3, 0, 3]], 2], [[3, 3, 3], [3, 0, 3], [3, 3, 3]]),
    ("join_lines", [[[1, 0, 1]], 5], FAIL),
    ("join_lines", [[[1, 0, 1]], 3], [[1, 0, 1]]),
    ("join_lines", [[[1, 0, 0], [0, 0, 0], [0, 0, 1]], 3], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    ("join_lines", [[[0, 0, 0, 2], [0, 0, 0, 0], [0, 2, 0, 0]], 3], [[0, 0, 0, 2], [0, 0, 2, 0], [0, 2, 0, 0]]),
    ("join_lines", [[[1, 0, 2], [0, 0, 0], [2, 0, 1]], 3], [[1, 0, 2], [0, 2, 0], [2, 0, 1]]),
    ("join_lines", [[[3, 0, 3], [0, 0, 0], [3, 0, 3]], 4], [[3, 3, 3], [3, 3, 3], [3, 3, 3]]),
    ("join_lines", [[[1, 0, 1], [0, 0, 0], [0, 0, 1]], 4], [[1, 1, 1], [0, 1, 1], [0, 0, 1]]),
    # mirror_complete
    ("mirror_complete", [[[1, 0, 0], [0, 0, 2]], 0], [[1, 0, 1], [2, 0, 2]]),
    ("mirror_complete", [[[0, 5], [0, 0], [3, 0]], 1], [[3, 5], [0, 0], [3, 5]]),
    ("mirror_complete", [[[1, 0], [0, 0]], 2], [[1, 1], [1, 1]]),
    ("mirror_complete", [[[0, 4], [5, 0]], 2], [[4, 4], [5, 5]]),
    ("mirror_complete", [[[1, 0], [2, 3]], 3], [[1, 2], [2, 3]]),
    ("mirror_complete", [[[1, 0, 0], [0, 0, 0]], 3], FAIL),
    ("mirror_complete", [[[1, 0], [0, 0]], 4], FAIL),
    # self_tile
    ("self_tile", [[[1, 0], [0, 1]]], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]),
    ("self_tile", [[[2]]], [[2]]),
    ("self_tile", [[[0]]], [[0]]),
    ("self_tile", [[[3, 0]]], [[3, 0, 0, 0]]),
    (
        "self_tile",
        [[[0, 7], [7, 7]]],
        [[0, 0, 0, 7], [0, 0, 7, 7], [0, 7, 0, 7], [7, 7, 7, 7]],
    ),
    ("self_tile", [[[1]] * 16], FAIL),
    # tile: cut at the right and bottom edges
    ("tile", [[[1, 2], [3, 4]], [3, 3]], [[1, 2, 1], [3, 4, 3], [1, 2, 1]]),
    ("tile", [[[1, 2]], [2, 5]], [[1, 2, 1, 2, 1], [1, 2, 1, 2, 1]]),
    ("tile", [[[1, 2], [3, 4]], [1, 1]], [[1]]),
    ("tile", [[[1, 2], [3, 4]], [0, 2]], FAIL),
    ("tile", [[[1, 2], [3, 4]], [-1, 3]], FAIL),
    ("tile", [[[1]], [300, 1]], FAIL),
    ("tile", [[[1]], [64, 65]], FAIL),
    ("tile", [[[1]], 3], FAIL),
    # mirror_tile: odd block rows mirrored top-bottom, odd block columns left-right
    (
        "mirror_tile",
        [[[1, 2], [3, 4]], [4, 4]],
        [[1, 2, 2, 1], [3, 4, 4, 3], [3, 4, 4, 3], [1, 2, 2, 1]],
    ),
    ("mirror_tile", [[[1, 2, 3]], [1, 7]], [[1, 2, 3, 3, 2, 1, 1]]),
    ("mirror_tile", [[[1], [2]], [5, 1]], [[1], [2], [2], [1], [1]]),
    ("mirror_tile", [[[1, 2], [3, 4]], [3, 3]], [[1, 2, 2], [3, 4, 4], [3, 4, 4]]),
    ("mirror_tile", [[[1]], [0, 0]], FAIL),
    # embed
    ("embed", [[[1, 2], [3, 4]], [3, 3]], [[1, 2, 0], [3, 4, 0], [0, 0, 0]]),
    ("embed", [[[1, 2, 3], [4, 5, 6]], [1, 2]], [[1, 2]]),
    ("embed", [[[1, 2], [3, 4]], [2, 2]], [[1, 2], [3, 4]]),
    ("embed", [[[1, 2, 3], [4, 5, 6]], [3, 1]], [[1], [4], [0]]),
    ("embed", [[[1]], [2, 0]], FAIL),
    # scale_to: whole multiples only
    ("scale_to", [[[1, 2]], [2, 4]], [[1, 1, 2, 2], [1, 1, 2, 2]]),
    ("scale_to", [[[1], [2]], [4, 3]], [[1, 1, 1], [1, 1, 1], [2, 2, 2], [2, 2, 2]]),
    ("scale_to", [[[1, 2], [3, 4]], [2, 2]], [[1, 2], [3, 4]]),
    ("scale_to", [[[1, 2], [3, 4]], [3, 3]], FAIL),
    ("scale_to", [[[1, 2], [3, 4]], [4, 3]], FAIL),
    ("scale_to", [[[1, 2], [3, 4]], [1, 1]], FAIL),
    # overlay: b's non-zero cells over a
    ("overlay", [[[1, 1], [1, 1]], [[0, 2], [3, 0]]], [[1, 2], [3, 1]]),
    ("overlay", [[[0, 0]], [[0, 0]]], [[0, 0]]),
    ("overlay", [[[1, 2]], [[-1, 0]]], [[-1, 2]]),
    ("overlay", [[[1, 2]], [[1], [2]]], FAIL),
    ("overlay", [[[1, 2]], [1, 2]], FAIL),
    # split_objs: o_g(g, k) = objects(g, k&4, k&2, k&1); by box top, then left
    ("split_objs", [[[1, 0, 2], [0, 0, 0], [3, 0, 0]], 5], [[[1]], [[2]], [[3]]]),
    ("split_objs", [[[1, 1, 0], [1, 2, 0], [0, 0, 0]], 5], [[[1, 1], [1, 0]], [[2]]]),
    ("split_objs", [[[1, 1, 0], [1, 2, 0], [0, 0, 0]], 1], [[[1, 1], [1, 2]]]),
    ("split_objs", [[[9, 0, 8], [0, 0, 0], [0, 0, 0]], 5], [[[9]], [[8]]]),
    ("split_objs", [[[0, 0, 4], [0, 0, 0], [5, 0, 0]], 5], [[[4]], [[5]]]),
    ("split_objs", [[[1, 0, 0], [0, 1, 0], [0, 0, 0]], 7], [[[1, 0], [0, 1]]]),
    ("split_objs", [[[1, 0, 0], [0, 1, 0], [0, 0, 0]], 5], [[[1]], [[1]]]),
    ("split_objs", [[[1, 0], [0, 2]], 0], [[[1, 0], [0, 2]]]),
    # tie of box corners: o_g's canonical order puts the 0 object first
    ("split_objs", [[[1, 0], [0, 0]], 4], [[[0, 0], [0, 0]], [[1]]]),
    # the window of the L sets the other object inside its box to 0
    (
        "split_objs",
        [[[0, 0, 3, 0], [2, 0, 3, 0], [3, 3, 3, 0], [0, 0, 0, 0]], 5],
        [[[0, 0, 3], [0, 0, 3], [3, 3, 3]], [[2]]],
    ),
    # both boxes start at (0, 0): o_g's canonical order puts the colour 2 object first
    (
        "split_objs",
        [[[2, 0, 3, 0], [0, 0, 3, 0], [3, 3, 3, 0], [0, 0, 0, 0]], 5],
        [[[2]], [[0, 0, 3], [0, 0, 3], [3, 3, 3]]],
    ),
    ("split_objs", [Z(3, 3), 5], FAIL),
    ("split_objs", [[[1]], 8], FAIL),
    ("split_objs", [[[1]], -1], FAIL),
    # split_colours: increasing colours, other colours set to 0
    ("split_colours", [[[1, 0, 2], [0, 1, 0]]], [[[1, 0], [0, 1]], [[2]]]),
    ("split_colours", [[[3, 0], [0, 1]]], [[[1]], [[3]]]),
    ("split_colours", [[[2, 1, 2]]], [[[1]], [[2, 0, 2]]]),
    ("split_colours", [[[-1, 1]]], [[[-1]], [[1]]]),
    ("split_colours", [Z(2, 2)], FAIL),
    # split_panels
    (
        "split_panels",
        [[[1, 0, 5, 2, 2], [0, 1, 5, 2, 0], [5, 5, 5, 5, 5], [3, 3, 5, 0, 4], [3, 0, 5, 4, 0]]],
        [[[1, 0], [0, 1]], [[2, 2], [2, 0]], [[3, 3], [3, 0]], [[0, 4], [4, 0]]],
    ),
    # every column is a line of its own colour: 1 and 2 leave one panel, 5 two
    ("split_panels", [[[1, 5, 2], [1, 5, 2]]], [[[1], [1]], [[2], [2]]]),
    # ties of line counts: the smallest colour that leaves two panels (1 is at the edge)
    ("split_panels", [[[1, 4, 2, 6, 3], [1, 4, 2, 6, 3]]], [[[1, 4], [1, 4]], [[6, 3], [6, 3]]]),
    # the colour with most lines wins: three 0 columns over two 8 columns
    (
        "split_panels",
        [[[1, 0, 8, 0, 0, 8, 2], [1, 0, 8, 0, 0, 8, 2]]],
        [[[1], [1]], [[8], [8]], [[8, 2], [8, 2]]],
    ),
    # 0 has two lines but at the edges; 8 has one and splits
    (
        "split_panels",
        [[[0, 0, 0], [1, 2, 1], [8, 8, 8], [2, 1, 2], [0, 0, 0]]],
        [[[0, 0, 0], [1, 2, 1]], [[2, 1, 2], [0, 0, 0]]],
    ),
    # adjacent separators leave no empty panel
    ("split_panels", [[[1, 0, 0, 2], [1, 0, 0, 2]]], [[[1], [1]], [[2], [2]]]),
    ("split_panels", [[[1, 2], [3, 4]]], FAIL),
    ("split_panels", [[[5, 5], [5, 5]]], FAIL),
    ("split_panels", [[[5, 5, 5], [1, 2, 3], [5, 5, 5]]], FAIL),
    # pick
    ("pick", [PICK, 0], B),
    ("pick", [PICK, 1], D),
    ("pick", [PICK, 2], A),
    ("pick", [PICK, 3], D),
    ("pick", [PICK, 4], A),
    ("pick", [PICK, 5], B),
    ("pick", [PICK, 6], A),
    ("pick", [PICK, 7], D),
    ("pick", [PICK, 8], FAIL),
    ("pick", [PICK, 9], FAIL),
    ("pick", [PICK, 10], A),
    ("pick", [[C, A], 2], C),
    ("pick", [[[[1, 0]], [[0, 2]], [[3, 3]]], 1], [[1, 0]]),
    ("pick", [[[[1, 0]], [[0, 2]], [[3, 3]]], 0], [[3, 3]]),
    ("pick", [[[[1]], [[2]], [[1]]], 8], [[2]]),
    ("pick", [[[[1, 0]], [[2, 0]], [[0, 3]]], 9], [[0, 3]]),
    ("pick", [[[[1, 0]], [[2, 0]], [[0, 3]]], 8], FAIL),
    ("pick", [[[[1, 2]], [[3, 4]]], 10], FAIL),
    ("pick", [[[[7, 7]]], 8], [[7, 7]]),
    ("pick", [PICK, 11], A),
    ("pick", [PICK, -1], FAIL),
    ("pick", [[], 0], FAIL),
    ("pick", [[[1, 2], [3, 4]], 0], FAIL),
    # stack
    ("stack", [[[[1], [2]], [[3, 4], [5, 6]]], 0], [[1, 3, 4], [2, 5, 6]]),
    ("stack", [[[[1, 2]], [[3, 4], [5, 6]]], 1], [[1, 2], [3, 4], [5, 6]]),
    ("stack", [[[[1]], [[2]], [[3]]], 0], [[1, 2, 3]]),
    ("stack", [[[[1]], [[3, 4], [5, 6]]], 0], FAIL),
    ("stack", [[[[1]], [[3, 4], [5, 6]]], 1], FAIL),
    ("stack", [[[[1]], [[2]]], 2], FAIL),
    ("stack", [[[[1] * 200], [[2] * 200]], 0], REF),
    # overlay_all: in order, non-zero cells over what is below
    ("overlay_all", [[[[1, 0], [0, 0]], [[0, 2], [0, 0]], [[3, 3], [0, 0]]]], [[3, 3], [0, 0]]),
    ("overlay_all", [[[[1, 1]], [[0, 2]]]], [[1, 2]]),
    ("overlay_all", [[[[4, 0], [0, 5]]]], [[4, 0], [0, 5]]),
    ("overlay_all", [[[[1, 1]], [[1], [1]]]], FAIL),
    # majority: ties the smallest colour
    ("majority", [[[[1, 2]], [[1, 3]], [[4, 3]]]], [[1, 3]]),
    ("majority", [[[[5, 0]], [[2, 7]]]], [[2, 0]]),
    ("majority", [[[[-1]], [[3]]]], [[-1]]),
    ("majority", [[[[1, 2], [3, 4]]]], [[1, 2], [3, 4]]),
    ("majority", [[[[1, 1]], [[1], [1]]]], FAIL),
    # count_row: ties the smallest colour
    ("count_row", [[[1, 0, 1], [2, 0, 0]]], [[1, 1, 1]]),
    ("count_row", [[[3, 2], [0, 0]]], [[2, 2]]),
    ("count_row", [[[0, 0, 0], [0, 4, 0]]], [[4]]),
    ("count_row", [Z(2, 2)], FAIL),
    ("count_row", [[[1] * 16] * 16], FAIL),
    # smear along one diagonal
    ("smear", [[[1, 0, 0], [0, 0, 0], [0, 0, 0]], 8], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
    ("smear", [[[0, 0, 2], [0, 0, 0], [0, 0, 0]], 9], [[0, 0, 2], [0, 2, 0], [2, 0, 0]]),
    ("smear", [[[0, 0, 0], [0, 0, 0], [3, 0, 0]], 10], [[0, 0, 3], [0, 3, 0], [3, 0, 0]]),
    ("smear", [[[0, 0, 0], [0, 5, 0], [0, 0, 4]], 11], [[5, 0, 0], [0, 5, 0], [0, 0, 4]]),
    ("smear", [[[0, 0], [0, 4]], 12], FAIL),
    # pick by the cells not of a grid's main colour
    ("pick", [[[[1, 1, 2]], [[3, 4], [4, 5]], [[6]]], 11], [[3, 4], [4, 5]]),
    ("pick", [[[[1, 1, 2]], [[3, 4], [4, 5]], [[6]]], 12], [[6]]),
    ("pick", [[[[1, 2]], [[2, 1]]], 11], [[1, 2]]),
    ("pick", [[[[1]]], 15], FAIL),
    # pick 13: the lone grid with no mirror symmetry (the others: a diagonal, left-right)
    ("pick", [[[[1, 2], [2, 1]], [[1, 2], [3, 4]], [[5, 5], [6, 6]]], 13], [[1, 2], [3, 4]]),
    ("pick", [[[[1, 2], [2, 1]], [[5, 5], [6, 6]]], 13], FAIL),
    # pick 14: the lone shape
    ("pick", [[[[1]], [[2, 2]], [[3]]], 14], [[2, 2]]),
    ("pick", [[[[1]], [[2]]], 14], FAIL),
    # box_fill: each 8-connected group's box
    ("box_fill", [[[1, 1, 0], [1, 0, 0], [0, 0, 0]], 2], [[1, 1, 0], [1, 2, 0], [0, 0, 0]]),
    ("box_fill", [[[1, 0, 0], [0, 1, 0], [0, 0, 0]], 3], [[1, 3, 0], [3, 1, 0], [0, 0, 0]]),
    ("box_fill", [[[1, 0, 1], [0, 0, 0], [0, 0, 0]], 3], [[1, 0, 1], [0, 0, 0], [0, 0, 0]]),
    ("box_fill", [[[0, 0], [0, 0]], 3], [[0, 0], [0, 0]]),
    # logic: and, or, xor, neither, a not b, b not a
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]]], 0, 8], [[8, 0, 0, 0]]),
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]]], 1, 8], [[8, 8, 8, 0]]),
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]]], 2, 8], [[0, 8, 8, 0]]),
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]]], 3, 8], [[0, 0, 0, 8]]),
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]]], 4, 8], [[0, 0, 8, 0]]),
    ("logic", [[[[1, 0, 1, 0]], [[2, 2, 0, 0]], [[7, 7, 7, 7]]], 5, 3], [[0, 3, 0, 0]]),
    ("logic", [[[[1, 0]]], 0, 8], FAIL),
    ("logic", [[[[1, 0]], [[1], [0]]], 0, 8], FAIL),
    ("logic", [[[[1, 0]], [[1, 0]]], 6, 8], FAIL),
    # fill_periodic: the smallest periods of each axis
    ("fill_periodic", [[[1, 2, 1, 0], [3, 4, 0, 4]]], [[1, 2, 1, 2], [3, 4, 3, 4]]),
    ("fill_periodic", [[[1, 2], [0, 0], [1, 2], [0, 2]]], [[1, 2], [1, 2], [1, 2], [1, 2]]),
    ("fill_periodic", [[[5, 0, 5, 0, 5]]], [[5, 5, 5, 5, 5]]),
    ("fill_periodic", [[[1, 2, 3]]], FAIL),
    ("fill_periodic", [[[1, 2], [2, 1]]], FAIL),
    ("fill_periodic", [[[0, 0], [0, 0]]], [[0, 0], [0, 0]]),
    # map_colours: digit pairs from the right, a lone leading digit is a pair from 0
    ("map_colours", [[[3, 1, 2, 7]], 341526], [[4, 5, 6, 7]]),
    ("map_colours", [[[0, 1, 2]], 512], [[5, 2, 2]]),
    ("map_colours", [[[1, 2]], 1221], [[2, 1]]),
    ("map_colours", [[[1, 2]], 0], [[1, 2]]),
    ("map_colours", [[[1, 2]], -12], FAIL),
    # recolour_by_size: 4-connected groups of non-zero cells, any colours
    ("recolour_by_size", [[[5, 5, 0, 5], [0, 0, 0, 0], [5, 0, 5, 5]], 1223], [[3, 3, 0, 2], [0, 0, 0, 0], [2, 0, 3, 3]]),
    ("recolour_by_size", [[[1, 2, 0], [0, 3, 0], [4, 0, 0]], 37], [[7, 7, 0], [0, 7, 0], [4, 0, 0]]),
    ("recolour_by_size", [[[1, 0], [0, 1]], 0], [[1, 0], [0, 1]]),
    ("recolour_by_size", [[[1, 0], [0, 1]], -5], FAIL),
    # recolour_major: the most common non-zero colour, ties the smallest
    ("recolour_major", [[[4, 8, 0], [4, 4, 3]]], [[4, 4, 0], [4, 4, 4]]),
    ("recolour_major", [[[2, 1], [1, 2]]], [[1, 1], [1, 1]]),
    ("recolour_major", [Z(2, 3)], FAIL),
    # count_colours: non-zero colours
    ("count_colours", [[[0, 3, 3], [5, 0, 1]]], 3),
    ("count_colours", [Z(1, 1)], 0),
    ("count_colours", [4], FAIL),
    # inner: all 8 neighbours in the grid and non-zero
    ("inner", [[[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 1, 0]], 8], [[1, 1, 1, 0], [1, 8, 1, 0], [1, 1, 1, 0]]),
    ("inner", [[[2, 2, 2], [2, 3, 2], [2, 2, 2]], 0], [[2, 2, 2], [2, 0, 2], [2, 2, 2]]),
    ("inner", [[[1, 1, 1], [1, 1, 1], [1, 1, 0]], 5], [[1, 1, 1], [1, 1, 1], [1, 1, 0]]),
    ("inner", [[[1, 1], [1, 1]], 5], [[1, 1], [1, 1]]),
    ("inner", [[[1]], 300], FAIL),
    # drop_small: 8-connected groups of any colours
    ("drop_small", [[[1, 0, 0, 2], [0, 3, 0, 0], [0, 0, 0, 4]], 2], [[1, 0, 0, 0], [0, 3, 0, 0], [0, 0, 0, 0]]),
    ("drop_small", [[[1, 0, 0, 2], [0, 3, 0, 0], [0, 0, 0, 4]], 3], Z(3, 4)),
    ("drop_small", [[[1, 0, 0, 2], [0, 3, 0, 0], [0, 0, 0, 4]], 4], Z(3, 4)),
    ("drop_small", [[[1, 0, 5]], 0], [[1, 0, 5]]),
    ("drop_small", [[[1]], -1], FAIL),
    # recolour_nearest: steps up, down, left, right; ties and no source leave the cell
    ("recolour_nearest", [[[2, 5, 5, 0, 5, 3]], 5], [[2, 2, 2, 0, 3, 3]]),
    ("recolour_nearest", [[[4, 5, 6]], 5], [[4, 5, 6]]),
    ("recolour_nearest", [[[1, 0], [0, 5]], 5], [[1, 0], [0, 1]]),
    ("recolour_nearest", [[[1, 0], [0, 5], [0, 2]], 5], [[1, 0], [0, 2], [0, 2]]),
    ("recolour_nearest", [[[1, 0, 0], [0, 5, 0], [0, 0, 2]], 5], [[1, 0, 0], [0, 5, 0], [0, 0, 2]]),
    ("recolour_nearest", [[[1, 0, 0], [0, 0, 5]], 5], [[1, 0, 0], [0, 0, 1]]),
    ("recolour_nearest", [[[5, 5]], 5], [[5, 5]]),
    ("recolour_nearest", [[[5, 0]], 999], FAIL),
    # inside_box: the largest one-colour outline, the cells inside it
    ("inside_box", [[[0, 2, 2, 2, 0], [0, 2, 7, 2, 0], [0, 2, 2, 2, 1]]], [[7]]),
    (
        "inside_box",
        [[[3, 3, 3, 3, 0], [3, 1, 0, 3, 0], [3, 0, 4, 3, 0], [3, 3, 3, 3, 0], [0, 0, 0, 0, 0]]],
        [[1, 0], [0, 4]],
    ),
    ("inside_box", [[[1, 1, 1], [1, 0, 1], [1, 1, 2]]], FAIL),
    ("inside_box", [[[0, 0, 0], [0, 0, 0], [0, 0, 0]]], FAIL),
    (
        "inside_box",
        [[[5, 5, 5, 6, 6, 6, 6], [5, 1, 5, 6, 2, 3, 6], [5, 5, 5, 6, 6, 6, 6]]],
        [[2, 3]],
    ),
    # recolour_by_rank: rank 1 the largest size, equal sizes share a rank
    ("recolour_by_rank", [[[5, 0, 5, 0, 5], [5, 0, 5, 0, 0], [5, 0, 0, 0, 0]], 112233], [[1, 0, 2, 0, 3], [1, 0, 2, 0, 0], [1, 0, 0, 0, 0]]),
    ("recolour_by_rank", [[[5, 0, 5], [5, 0, 5], [0, 0, 0], [7, 0, 0]], 1427], [[4, 0, 4], [4, 0, 4], [0, 0, 0], [7, 0, 0]]),
    ("recolour_by_rank", [[[5, 0, 5], [5, 0, 5], [0, 0, 0], [7, 0, 0]], 27], [[5, 0, 5], [5, 0, 5], [0, 0, 0], [7, 0, 0]]),
    ("recolour_by_rank", [[[1, 2], [0, 3]], 14], [[4, 4], [0, 4]]),
    ("recolour_by_rank", [[[1]], -3], FAIL),
    # roles / unroles: colours renumbered by decreasing count (ties: seen first), mask bits kept
    ("roles", [[[5, 5, 5], [0, 3, 0]], 0], [[0, 0, 0], [1, 2, 1]]),
    ("roles", [[[5, 5, 5], [0, 3, 0]], 1], [[1, 1, 1], [0, 2, 0]]),
    ("roles", [[[2, 4], [4, 2]], 0], [[0, 1], [1, 0]]),
    # ties in count: the colour seen first in reading order first
    ("roles", [[[4, 2], [2, 4]], 0], [[0, 1], [1, 0]]),
    ("roles", [[[9], [0], [1], [6], [8]], 0], [[0], [1], [2], [3], [4]]),
    ("roles", [[[3, 7, 7], [5, 5, 3]], 0], [[0, 1, 1], [2, 2, 0]]),
    ("unroles", [[[9], [0], [1], [6], [8]], 0, [[1], [0], [2], [4], [3]]], [[0], [9], [1], [8], [6]]),
    ("roles", [[[2, 4], [4, 2]], 1024], FAIL),
    ("roles", [[[2, 4], [4, 2]], -1], FAIL),
    ("unroles", [[[5, 5, 5], [0, 3, 0]], 1, [[2, 1], [0, 7]]], [[3, 5], [0, 7]]),
    ("unroles", [[[5, 5, 5], [0, 3, 0]], 0, [[0, 0, 0], [1, 2, 1]]], [[5, 5, 5], [0, 3, 0]]),
    ("unroles", [[[1]], 0, 3], FAIL),
    # layer: the named grids, the leftmost digit on top, others left out
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]], [[0, 3], [3, 0]]], 13], [[1, 3], [3, 0]]),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]], [[0, 3], [3, 0]]], 321], [[2, 3], [3, 0]]),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]], [[0, 3], [3, 0]]], 231], [[2, 2], [3, 0]]),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]]], 2], [[2, 2], [0, 0]]),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]]], 3], FAIL),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]]], 10], FAIL),
    ("layer", [[[[1, 0], [0, 0]], [[2, 2], [0, 0]]], 0], FAIL),
    ("layer", [[[[1, 0], [0, 0]], [[2]]], 1], FAIL),
    # recolour_if: a ring (a hole inside, 8 cells, fills no box), a cell on the border, a
    # corner cell
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 5, 0], [[5, 5, 5, 0, 0], [5, 0, 5, 0, 2], [5, 5, 5, 0, 0], [0, 0, 0, 0, 3]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 5, 1], [[1, 1, 1, 0, 0], [1, 0, 1, 0, 5], [1, 1, 1, 0, 0], [0, 0, 0, 0, 5]]),
    ("recolour_if", [[[0, 0, 0], [0, 4, 0], [0, 0, 7]], 5, 3], [[0, 0, 0], [0, 4, 0], [0, 0, 7]]),
    ("recolour_if", [[[0, 0, 0, 0], [0, 4, 0, 0], [0, 0, 0, 7]], 5, 3], [[0, 0, 0, 0], [0, 5, 0, 0], [0, 0, 0, 7]]),
    ("recolour_if", [[[0, 0, 0, 0], [0, 4, 0, 0], [0, 0, 0, 7]], 5, 2], [[0, 0, 0, 0], [0, 4, 0, 0], [0, 0, 0, 5]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, 4], [[6, 6, 6, 0, 0], [6, 0, 6, 0, 2], [6, 6, 6, 0, 0], [0, 0, 0, 0, 3]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, 5], [[1, 1, 1, 0, 0], [1, 0, 1, 0, 6], [1, 1, 1, 0, 0], [0, 0, 0, 0, 6]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, 6], [[1, 1, 1, 0, 0], [1, 0, 1, 0, 6], [1, 1, 1, 0, 0], [0, 0, 0, 0, 6]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, 7], [[6, 6, 6, 0, 0], [6, 0, 6, 0, 2], [6, 6, 6, 0, 0], [0, 0, 0, 0, 3]]),
    ("recolour_if", [[[2, 2], [2, 2]], 6, 6], [[6, 6], [6, 6]]),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, 8], FAIL),
    ("recolour_if", [[[1, 1, 1, 0, 0], [1, 0, 1, 0, 2], [1, 1, 1, 0, 0], [0, 0, 0, 0, 3]], 6, -1], FAIL),
    # recolour_learned: objects recoloured as the demo pairs recolour objects with their key;
    # an object whose key the pairs map to no colour, or to two, fails
    ("recolour_learned", [[[3, 3, 0], [0, 0, 4], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 0], [[5, 5, 0], [0, 0, 2], [0, 0, 0]]),
    ("recolour_learned", [[[3, 0, 0], [3, 0, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 0], FAIL),
    ("recolour_learned", [[[3, 0, 0], [3, 0, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 2], [[5, 0, 0], [5, 0, 0], [0, 0, 0]]),
    ("recolour_learned", [[[3, 0, 0], [3, 0, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 4], FAIL),
    ("recolour_learned", [[[3, 0, 0], [0, 3, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 3], [[5, 0, 0], [0, 5, 0], [0, 0, 0]]),
    ("recolour_learned", [[[3, 0, 0], [0, 3, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 2], [[2, 0, 0], [0, 2, 0], [0, 0, 0]]),
    ("recolour_learned", [[[3, 0, 0], [0, 3, 0], [0, 0, 0]], [[[[0, 1, 1], [0, 0, 0], [2, 0, 0]], [[0, 5, 5], [0, 0, 0], [2, 0, 0]]]], 5], FAIL),
    ("recolour_learned", [[[0, 7], [0, 0]], [[[[1, 0], [0, 0]], [[4, 0], [0, 0]]], [[[0, 0], [0, 1]], [[0, 0], [0, 6]]]], 2], FAIL),
    ("recolour_learned", [[[7, 0], [0, 0]], [[[[1, 0], [0, 0]], [[4, 0], [0, 0]]], [[[0, 0], [0, 1]], [[0, 0], [0, 6]]]], 2], [[6, 0], [0, 0]]),
    ("recolour_learned", [[[7, 7, 7], [7, 1, 7], [7, 7, 7]], [[[[7, 7], [7, 2]], [[7, 7], [7, 9]]]], 0], [[7, 7, 7], [7, 9, 7], [7, 7, 7]]),
    ("recolour_learned", [[[1, 0, 0]], [[[[1, 0, 0]], [[5, 5]]]], 0], FAIL),
    ("recolour_learned", [[[1, 1, 0]], [[[[1, 1, 0]], [[2, 3, 0]]]], 0], FAIL),
    ("recolour_learned", [[[1, 1, 0]], [], 0], FAIL),
    ("recolour_learned", [[[0, 0], [0, 0]], [], 0], [[0, 0], [0, 0]]),
    # a demo input learns from the other pairs only
    ("recolour_learned", [[[0, 1, 1, 0, 0]], [[[[0, 1, 1, 0, 0]], [[0, 5, 5, 0, 0]]]], 0], FAIL),
    ("recolour_learned", [[[0, 4, 4, 0, 0]], [[[[0, 1, 1, 0, 0]], [[0, 5, 5, 0, 0]]]], 0], FAIL),
    ("recolour_learned", [[[0, 0, 0, 4, 4]], [[[[0, 1, 1, 0, 0]], [[0, 5, 5, 0, 0]]]], 0], [[0, 0, 0, 5, 5]]),
    ("recolour_learned", [[[0, 1, 1, 0, 0]], [[[[0, 1, 1, 0, 0]], [[0, 5, 5, 0, 0]]], [[[0, 0, 0, 3, 3]], [[0, 0, 0, 6, 6]]]], 0], [[0, 6, 6, 0, 0]]),
    ("recolour_learned", [[[1, 1, 0]], [[[[1, 1, 0]], [[2, 2, 0]]]], 6], FAIL),
    ("recolour_learned", [[[1, 1, 0]], [[[[1, 1, 0]], [[2, 2, 0]]]], -1], FAIL),
    ("recolour_learned", [[[1, 1, 0]], 3, 0], FAIL),
    ("recolour_learned", [3, [[[[1, 1, 0]], [[2, 2, 0]]]], 0], FAIL),
]


def freeze(x):
    return tuple(freeze(v) for v in x) if isinstance(x, list) else x


def thaw(x):
    return [thaw(v) for v in x] if isinstance(x, tuple) else x


def main():
    fns = {name: fn for name, fn in globals().items() if callable(fn)}
    bad = 0
    for name, args, want in CASES:
        try:
            got = thaw(fns[name](*map(freeze, args)))
        except Fail:
            got = FAIL
        if want not in (REF, got):
            print(f"hand and reference disagree on {name}{args}: {want} vs {got}", file=sys.stderr)
            bad += 1
        out = {"fail": True} if got == FAIL else got
        print(json.dumps({"fn": name, "args": args, "out": out}, sort_keys=True))
    if bad:
        sys.exit(1)


if __name__ == "__main__":
    main()
