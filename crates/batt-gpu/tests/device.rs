//! The GPU layer (`batt_gpu::device`) against straightforward CPU computations, on every
//! Vulkan adapter found (lavapipe included). Without one the tests print a note and pass, unless
//! `BATT_REQUIRE_GPU` is set (to anything but "" or "0"): then they fail.
#![cfg(feature = "vulkan")]

mod common;

use batt_dsl::grid::fingerprint_cells;
use batt_dsl::Grid;
use batt_gpu::device::{Col, Device, DeviceError, LabelMode, Remap, Scatter, ScoreParts, Stats};
use std::sync::OnceLock;

/// The devices, made once for all tests (they run on several threads at once, which also
/// exercises the per-thread error scopes).
fn devices() -> &'static [Device] {
    static DEVICES: OnceLock<Vec<Device>> = OnceLock::new();
    DEVICES.get_or_init(|| {
        let required = common::required();
        match Device::all() {
            Ok(d) if !d.is_empty() => {
                for x in &d {
                    eprintln!("GPU device: {}", x.name());
                }
                d
            }
            Ok(_) => {
                assert!(!required, "BATT_REQUIRE_GPU is set but no Vulkan device was found");
                eprintln!("note: no Vulkan device; GPU tests skipped");
                Vec::new()
            }
            Err(e) => {
                assert!(!required, "BATT_REQUIRE_GPU is set but the devices failed: {e}");
                eprintln!("note: no usable Vulkan device ({e}); GPU tests skipped");
                Vec::new()
            }
        }
    })
}

/// xorshift64*: seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.next() as usize % xs.len()]
    }
}

/// Colours beyond ARC's, for the cases the kernels must not confuse.
const ODD_COLOURS: [i8; 8] = [-1, 10, 15, 16, 100, 127, -128, -2];

/// A random shape: mostly ARC-sized, sometimes large or a long line.
fn shape(rng: &mut Rng) -> (usize, usize) {
    if rng.chance(12) {
        rng.pick(&[(64, 64), (1, 255), (255, 1), (16, 255), (255, 16), (45, 91), (2, 128)])
    } else {
        (rng.range(1, 30) as usize, rng.range(1, 30) as usize)
    }
}

/// A random grid of `h × w` over a palette of 1 to 4 colours (odd ones included).
fn grid_of(rng: &mut Rng, h: usize, w: usize) -> Grid {
    let k = rng.range(1, 4) as usize;
    let palette: Vec<i8> =
        (0..k).map(|_| if rng.chance(25) { rng.pick(&ODD_COLOURS) } else { rng.range(0, 9) as i8 }).collect();
    let cells = (0..h * w).map(|_| rng.pick(&palette)).collect();
    Grid::new(h, w, cells).expect("valid shape")
}

fn grid(rng: &mut Rng) -> Grid {
    let (h, w) = shape(rng);
    grid_of(rng, h, w)
}

/// `n` slots, about a fifth dead.
fn column(rng: &mut Rng, n: usize) -> Vec<Option<Grid>> {
    (0..n).map(|_| if rng.chance(20) { None } else { Some(grid(rng)) }).collect()
}

fn refs(gs: &[Option<Grid>]) -> Vec<Option<&Grid>> {
    gs.iter().map(|g| g.as_ref()).collect()
}

fn rows(g: &Grid) -> Vec<Vec<i8>> {
    g.rows().map(|r| r.to_vec()).collect()
}

fn from_rows(r: Vec<Vec<i8>>) -> Grid {
    let (h, w) = (r.len(), r[0].len());
    Grid::new(h, w, r.concat()).expect("valid shape")
}

fn seeds() -> impl Iterator<Item = u64> {
    1..=3
}

#[test]
fn devices_describe_themselves() {
    for d in devices() {
        assert!(!d.name().is_empty());
        assert!(d.max_column_bytes() >= 1 << 20, "{}: {}", d.name(), d.max_column_bytes());
        eprintln!("{}: software {}, column limit {} bytes", d.name(), d.is_software(), d.max_column_bytes());
    }
}

#[test]
fn upload_download_and_fingerprints() {
    for d in devices() {
        for seed in seeds() {
            let mut rng = Rng::new(seed);
            let n = rng.range(0, 40) as usize;
            let gs = column(&mut rng, n);
            let col = d.upload(&refs(&gs)).expect("upload");
            assert_eq!(col.len(), n);
            for (s, g) in gs.iter().enumerate() {
                assert_eq!(col.dims(s), g.as_ref().map(|g| (g.h(), g.w())));
            }
            let back = d.download(&col).expect("download");
            assert_eq!(back, gs, "seed {seed}");
            for (b, g) in back.iter().zip(&gs) {
                // Grid's equality checks the fingerprint too; say it plainly
                assert_eq!(b.as_ref().map(|b| b.fp()), g.as_ref().map(|g| fingerprint_cells(g.h(), g.w(), g.cells())));
            }
            let fps = d.fingerprints(&col).expect("fingerprints");
            let want: Vec<Option<u64>> = gs.iter().map(|g| g.as_ref().map(|g| g.fp())).collect();
            assert_eq!(fps, want, "seed {seed}");
        }
        // every length mod 4, to cover the zero padding of the last word
        let gs: Vec<Option<Grid>> = (1..=9).map(|w| Some(Grid::new(1, w, vec![-1; w]).unwrap())).collect();
        let col = d.upload(&refs(&gs)).expect("upload");
        assert_eq!(d.download(&col).expect("download"), gs);
        // nothing live, nothing at all
        for gs in [vec![None, None], vec![]] {
            let col = d.upload(&refs(&gs)).expect("upload");
            assert_eq!(d.download(&col).expect("download"), gs);
            assert_eq!(d.fingerprints(&col).expect("fingerprints"), vec![None; gs.len()]);
            assert_eq!(d.stats(&col).expect("stats"), vec![None; gs.len()]);
        }
    }
}

// ---- remap: the maps of the symmetries, crops and scalings, against structural CPU versions ----

fn hmirror(r: Vec<Vec<i8>>) -> Vec<Vec<i8>> {
    r.into_iter().rev().collect()
}
fn vmirror(r: Vec<Vec<i8>>) -> Vec<Vec<i8>> {
    r.into_iter().map(|x| x.into_iter().rev().collect()).collect()
}
fn transpose(r: Vec<Vec<i8>>) -> Vec<Vec<i8>> {
    (0..r[0].len()).map(|j| r.iter().map(|row| row[j]).collect()).collect()
}

/// One transformation: its name, its map for a `h × w` source, and the CPU version.
type Op = (&'static str, Remap, Box<dyn Fn(Vec<Vec<i8>>) -> Vec<Vec<i8>>>);

fn ops(rng: &mut Rng, h: usize, w: usize) -> Vec<Op> {
    let (hi, wi) = (h as i32, w as i32);
    let map =
        |oh: usize, ow: usize, r: [i32; 3], c: [i32; 3], div: i32| Remap { h: oh as u32, w: ow as u32, r, c, div };
    let mut v: Vec<Op> = vec![
        ("identity", map(h, w, [0, 1, 0], [0, 0, 1], 1), Box::new(|r| r)),
        ("hmirror", map(h, w, [hi - 1, -1, 0], [0, 0, 1], 1), Box::new(hmirror)),
        ("vmirror", map(h, w, [0, 1, 0], [wi - 1, 0, -1], 1), Box::new(vmirror)),
        ("dmirror", map(w, h, [0, 0, 1], [0, 1, 0], 1), Box::new(transpose)),
        ("cmirror", map(w, h, [hi - 1, 0, -1], [wi - 1, -1, 0], 1), Box::new(|r| transpose(hmirror(vmirror(r))))),
        ("rot90", map(w, h, [hi - 1, 0, -1], [0, 1, 0], 1), Box::new(|r| transpose(hmirror(r)))),
        ("rot180", map(h, w, [hi - 1, -1, 0], [wi - 1, 0, -1], 1), Box::new(|r| hmirror(vmirror(r)))),
        ("rot270", map(w, h, [0, 0, 1], [wi - 1, -1, 0], 1), Box::new(|r| hmirror(vmirror(transpose(hmirror(r)))))),
    ];
    let (a, b) = (rng.range(0, h as i64 - 1) as usize, rng.range(0, w as i64 - 1) as usize);
    let (ch, cw) = (rng.range(1, (h - a) as i64) as usize, rng.range(1, (w - b) as i64) as usize);
    v.push((
        "crop",
        map(ch, cw, [a as i32, 1, 0], [b as i32, 0, 1], 1),
        Box::new(move |r| r[a..a + ch].iter().map(|x| x[b..b + cw].to_vec()).collect()),
    ));
    let f = rng.range(2, 4) as usize;
    if h * f <= 255 && w * f <= 255 && h * w * f * f <= 4096 {
        v.push((
            "upscale",
            map(h * f, w * f, [0, 1, 0], [0, 0, 1], f as i32),
            Box::new(move |r| {
                r.iter().flat_map(|x| vec![x.iter().flat_map(|&c| vec![c; f]).collect::<Vec<i8>>(); f]).collect()
            }),
        ));
    }
    // arc-dsl downscale keeps the rows and columns whose index is a multiple of f
    v.push((
        "downscale",
        map(h.div_ceil(f), w.div_ceil(f), [0, f as i32, 0], [0, 0, f as i32], 1),
        Box::new(move |r| r.iter().step_by(f).map(|x| x.iter().step_by(f).copied().collect()).collect()),
    ));
    v
}

#[test]
fn remap_matches_symmetries_crops_and_scalings() {
    for d in devices() {
        for seed in seeds() {
            let mut rng = Rng::new(100 + seed);
            let gs = column(&mut rng, 24);
            let col = d.upload(&refs(&gs)).expect("upload");
            // every slot gets each op in turn; one op per slot per call, so slots mix ops
            let per: Vec<Vec<Op>> =
                gs.iter().map(|g| g.as_ref().map_or(Vec::new(), |g| ops(&mut rng, g.h(), g.w()))).collect();
            let rounds = per.iter().map(|o| o.len()).max().unwrap_or(0);
            for round in 0..rounds {
                let pick = |s: usize| per[s].get((round + s) % per[s].len().max(1));
                let maps: Vec<Option<Remap>> =
                    (0..gs.len()).map(|s| if s % 7 == 3 { None } else { pick(s).map(|o| o.1) }).collect();
                let out = d.remap(&col, &maps).expect("remap");
                let got = d.download(&out).expect("download");
                for s in 0..gs.len() {
                    let want = match (&gs[s], maps[s]) {
                        (Some(g), Some(_)) => Some(from_rows((pick(s).expect("an op").2)(rows(g)))),
                        _ => None,
                    };
                    assert_eq!(got[s], want, "seed {seed} slot {s} op {:?}", pick(s).map(|o| o.0));
                }
                // a remap of a remap (a column that was never uploaded): back with the inverse
                // where there is one
                let inverse: Vec<Option<Remap>> = (0..gs.len())
                    .map(|s| {
                        let o = pick(s)?;
                        maps[s]?;
                        let (h, w) = (out.dims(s)?.0 as i32, out.dims(s)?.1 as i32);
                        match o.0 {
                            "rot90" => {
                                Some(Remap { h: w as u32, w: h as u32, r: [0, 0, 1], c: [w - 1, -1, 0], div: 1 })
                            }
                            "dmirror" => Some(Remap { h: w as u32, w: h as u32, r: [0, 0, 1], c: [0, 1, 0], div: 1 }),
                            "hmirror" | "vmirror" | "rot180" | "identity" => Some(o.1),
                            _ => None,
                        }
                    })
                    .collect();
                let again = d.download(&d.remap(&out, &inverse).expect("remap")).expect("download");
                for s in 0..gs.len() {
                    if inverse[s].is_some() {
                        assert_eq!(again[s], gs[s], "seed {seed} slot {s}: inverse of {:?}", pick(s).map(|o| o.0));
                    } else {
                        assert_eq!(again[s], None);
                    }
                }
            }
        }
        // a map reading outside its source is refused, not run
        let g = Grid::new(2, 3, vec![1, 2, 3, 4, 5, 6]).unwrap();
        let col = d.upload(&[Some(&g)]).expect("upload");
        for bad in [
            Remap { h: 3, w: 3, r: [0, 1, 0], c: [0, 0, 1], div: 1 },
            Remap { h: 2, w: 3, r: [-1, 1, 0], c: [0, 0, 1], div: 1 },
            Remap { h: 2, w: 3, r: [0, 1, 0], c: [0, 0, 1], div: 0 },
            Remap { h: 0, w: 3, r: [0, 1, 0], c: [0, 0, 1], div: 1 },
        ] {
            assert!(matches!(d.remap(&col, &[Some(bad)]), Err(DeviceError::Invalid(_))), "{bad:?}");
        }
        // the device is still fine after refusals
        let id = Remap { h: 2, w: 3, r: [0, 1, 0], c: [0, 0, 1], div: 1 };
        assert_eq!(d.download(&d.remap(&col, &[Some(id)]).unwrap()).unwrap(), vec![Some(g)]);
    }
}

// ---- scatter ----

fn cpu_scatter(g: &Grid, w: &Scatter) -> Grid {
    let mut cells = g.to_vec();
    for &(i, j, c) in &w.cells {
        if let Some(old) = g.at(i, j) {
            if w.only_where.is_none_or(|x| x == old) {
                cells[i as usize * g.w() + j as usize] = c;
            }
        }
    }
    Grid::new(g.h(), g.w(), cells).unwrap()
}

fn random_writes(rng: &mut Rng, g: &Grid) -> Scatter {
    let mut locs = std::collections::BTreeSet::new();
    let k = rng.range(0, (g.h() * g.w()).min(200) as i64);
    for _ in 0..k {
        // some locations outside the grid
        locs.insert((rng.range(-2, g.h() as i64 + 1) as i32, rng.range(-2, g.w() as i64 + 1) as i32));
    }
    let colours = [0, 1, 5, 9, -1, 16, 127];
    let cells = locs.into_iter().map(|(i, j)| (i, j, rng.pick(&colours))).collect();
    let only_where = if rng.chance(40) { Some(g.cells()[rng.next() as usize % g.cells().len()]) } else { None };
    Scatter { cells, only_where }
}

#[test]
fn scatter_matches_fill_paint_and_underfill() {
    for d in devices() {
        for seed in seeds() {
            let mut rng = Rng::new(200 + seed);
            let gs = column(&mut rng, 30);
            let col = d.upload(&refs(&gs)).expect("upload");
            let writes: Vec<Option<Scatter>> = gs
                .iter()
                .enumerate()
                .map(|(s, g)| match g {
                    Some(g) if s % 5 != 2 => Some(random_writes(&mut rng, g)),
                    // a list for a dead slot, and a live slot without a list
                    None if s % 2 == 0 => Some(Scatter { cells: vec![(0, 0, 1)], only_where: None }),
                    _ => None,
                })
                .collect();
            let out = d.scatter(&col, &writes).expect("scatter");
            let want: Vec<Option<Grid>> = gs
                .iter()
                .zip(&writes)
                .map(|(g, w)| match (g, w) {
                    (Some(g), Some(w)) => Some(cpu_scatter(g, w)),
                    _ => None,
                })
                .collect();
            assert_eq!(d.download(&out).expect("download"), want, "seed {seed}");
            // the source is untouched, and a scatter of the scatter (holes: dead slots) works
            assert_eq!(d.download(&col).expect("download"), gs);
            let writes2: Vec<Option<Scatter>> =
                want.iter().map(|g| g.as_ref().map(|g| random_writes(&mut rng, g))).collect();
            let out2 = d.scatter(&out, &writes2).expect("scatter");
            let want2: Vec<Option<Grid>> =
                want.iter().zip(&writes2).map(|(g, w)| Some(cpu_scatter(g.as_ref()?, w.as_ref()?))).collect();
            assert_eq!(d.download(&out2).expect("download"), want2, "seed {seed}, second scatter");
        }
        // a whole grid filled, every cell written at once
        let g = Grid::new(3, 5, (0..15).collect()).unwrap();
        let all: Vec<(i32, i32, i8)> = (0..3).flat_map(|i| (0..5).map(move |j| (i, j, 7))).collect();
        let col = d.upload(&[Some(&g)]).unwrap();
        let w = Scatter { cells: all, only_where: None };
        assert_eq!(
            d.download(&d.scatter(&col, &[Some(w)]).unwrap()).unwrap(),
            vec![Some(Grid::filled(3, 5, 7).unwrap())]
        );
    }
}

// ---- stats, cells_eq ----

fn cpu_stats(g: &Grid) -> Stats {
    let mut s = Stats { counts: [0; 16], first: [u32::MAX; 16], other: false };
    for (k, &c) in g.cells().iter().enumerate() {
        if (0..16).contains(&c) {
            s.counts[c as usize] += 1;
            s.first[c as usize] = s.first[c as usize].min(k as u32);
        } else {
            s.other = true;
        }
    }
    s
}

#[test]
fn stats_and_cells_eq_match_cpu() {
    for d in devices() {
        for seed in seeds() {
            let mut rng = Rng::new(300 + seed);
            let gs = column(&mut rng, 40);
            let col = d.upload(&refs(&gs)).expect("upload");
            let want: Vec<Option<Stats>> = gs.iter().map(|g| g.as_ref().map(cpu_stats)).collect();
            assert_eq!(d.stats(&col).expect("stats"), want, "seed {seed}");
            let colours: Vec<Option<i8>> = gs
                .iter()
                .map(|g| match g {
                    Some(g) if rng.chance(70) => Some(g.cells()[rng.next() as usize % g.cells().len()]),
                    _ if rng.chance(50) => Some(rng.pick(&[-1, 3, 16, -128])),
                    _ => None,
                })
                .collect();
            let want: Vec<Option<Vec<u32>>> = gs
                .iter()
                .zip(&colours)
                .map(|(g, c)| {
                    let (g, c) = (g.as_ref()?, (*c)?);
                    Some((0..g.cells().len() as u32).filter(|&k| g.cells()[k as usize] == c).collect())
                })
                .collect();
            assert_eq!(d.cells_eq(&col, &colours).expect("cells_eq"), want, "seed {seed}");
        }
    }
}

// ---- labels ----

/// arc-dsl `objects`, as labels: flood fill from each unlabelled cell in row-major order, so
/// the first cell of a component is its smallest index.
fn cpu_labels(g: &Grid, m: LabelMode) -> Vec<u32> {
    let (h, w) = (g.h() as i32, g.w() as i32);
    let cells = g.cells();
    let excluded = |k: usize| m.bg == Some(cells[k]);
    let mut lab = vec![u32::MAX; cells.len()];
    for start in 0..cells.len() {
        if excluded(start) || lab[start] != u32::MAX {
            continue;
        }
        lab[start] = start as u32;
        let mut stack = vec![start];
        while let Some(k) = stack.pop() {
            let (i, j) = (k as i32 / w, k as i32 % w);
            for (di, dj) in [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)] {
                if !m.diagonal && di != 0 && dj != 0 {
                    continue;
                }
                let (a, b) = (i + di, j + dj);
                if a < 0 || b < 0 || a >= h || b >= w {
                    continue;
                }
                let q = (a * w + b) as usize;
                if excluded(q) || lab[q] != u32::MAX || (m.univalued && cells[q] != cells[k]) {
                    continue;
                }
                lab[q] = start as u32;
                stack.push(q);
            }
        }
    }
    lab
}

/// A spiral wall of colour 1 on 0 (both the wall and the corridor are single long components).
fn spiral(n: usize) -> Grid {
    let mut c = vec![0i8; n * n];
    let (mut top, mut left, mut bottom, mut right) = (0i64, 0i64, n as i64 - 1, n as i64 - 1);
    let mut set = |i: i64, j: i64| c[i as usize * n + j as usize] = 1;
    while top <= bottom && left <= right {
        for j in left..=right {
            set(top, j);
        }
        for i in top..=bottom {
            set(i, right);
        }
        if top + 2 <= bottom {
            for j in (left..=right).rev() {
                set(bottom, j);
            }
        }
        if left + 2 <= right && top + 2 <= bottom {
            for i in (top + 2..=bottom).rev() {
                set(i, left);
            }
        }
        if left + 2 <= right && top + 2 <= bottom {
            set(top + 2, left + 1);
        }
        top += 2;
        left += 2;
        bottom -= 2;
        right -= 2;
    }
    Grid::new(n, n, c).unwrap()
}

/// A serpentine of colour 3 on -1 (one path through every other row), `h × w`.
fn serpentine(h: usize, w: usize) -> Grid {
    let mut c = vec![-1i8; h * w];
    for i in 0..h {
        for j in 0..w {
            let on = i % 2 == 0 || (i % 4 == 1 && j == w - 1) || (i % 4 == 3 && j == 0);
            if on {
                c[i * w + j] = 3;
            }
        }
    }
    Grid::new(h, w, c).unwrap()
}

/// A zigzag of colour 5 on 0 whose cells touch only diagonally, `n × w`.
fn zigzag(n: usize, w: usize) -> Grid {
    let mut c = vec![0i8; n * w];
    for i in 0..n {
        let k = i % (2 * w - 2);
        c[i * w + if k < w { k } else { 2 * w - 2 - k }] = 5;
    }
    Grid::new(n, w, c).unwrap()
}

#[test]
fn labels_match_objects() {
    let modes: Vec<LabelMode> = [false, true]
        .into_iter()
        .flat_map(|u| [false, true].map(move |d| (u, d)))
        .flat_map(|(univalued, diagonal)| {
            [None, Some(0), Some(-1), Some(3)].map(move |bg| LabelMode { univalued, diagonal, bg })
        })
        .collect();
    let shapes = [
        spiral(64),
        spiral(30),
        spiral(7),
        serpentine(64, 64),
        serpentine(16, 255),
        serpentine(255, 16),
        serpentine(255, 1),
        serpentine(1, 255),
        Grid::filled(64, 64, 2).unwrap(),
        Grid::filled(1, 255, 0).unwrap(),
        zigzag(255, 9),
        zigzag(60, 60),
        Grid::new(1, 1, vec![-1]).unwrap(),
    ];
    for d in devices() {
        for seed in seeds() {
            let mut rng = Rng::new(400 + seed);
            let mut gs = column(&mut rng, 30);
            gs.extend(shapes.iter().cloned().map(Some));
            let col = d.upload(&refs(&gs)).expect("upload");
            let ms: Vec<Option<LabelMode>> =
                gs.iter().map(|_| if rng.chance(10) { None } else { Some(rng.pick(&modes)) }).collect();
            let got = d.labels(&col, &ms).expect("labels");
            for (s, g) in gs.iter().enumerate() {
                let want = match (g, ms[s]) {
                    (Some(g), Some(m)) => Some(cpu_labels(g, m)),
                    _ => None,
                };
                assert!(got[s] == want, "seed {seed} slot {s}: {g:?} mode {:?}", ms[s]);
            }
        }
        // the long shapes under every mode
        let col = d.upload(&shapes.iter().map(Some).collect::<Vec<_>>()).expect("upload");
        for &m in &modes {
            let got = d.labels(&col, &vec![Some(m); shapes.len()]).expect("labels");
            for (s, g) in shapes.iter().enumerate() {
                assert!(got[s].as_deref() == Some(&cpu_labels(g, m)[..]), "shape {s} mode {m:?}");
            }
        }
    }
}

// ---- score ----

fn cpu_score(a: &Grid, b: &Grid) -> ScoreParts {
    let same_shape = a.h() == b.h() && a.w() == b.w();
    let equal = if same_shape { a.cells().iter().zip(b.cells()).filter(|(x, y)| x == y).count() as u32 } else { 0 };
    let palette = a.cells().iter().fold(0u16, |p, &c| p | 1 << (c as u8).min(15));
    ScoreParts { same_shape, equal, palette }
}

#[test]
fn score_matches_cpu() {
    for d in devices() {
        let mut tickets = Vec::new();
        let mut wants = Vec::new();
        for seed in seeds() {
            let mut rng = Rng::new(500 + seed);
            let expected = column(&mut rng, 30);
            // candidates: the expected grid, a few cells changed, another shape (maybe of the
            // same size), another random grid, or dead
            let cands: Vec<Option<Grid>> = expected
                .iter()
                .map(|e| match (e, rng.range(0, 4)) {
                    (Some(e), 0) => Some(e.clone()),
                    (Some(e), 1) => {
                        let mut c = e.to_vec();
                        for _ in 0..rng.range(1, 5) {
                            let k = rng.next() as usize % c.len();
                            c[k] = rng.pick(&[0, 1, 2, -1, 16]);
                        }
                        Some(Grid::new(e.h(), e.w(), c).unwrap())
                    }
                    (Some(e), 2) => Some(Grid::new(e.w(), e.h(), e.to_vec()).unwrap()),
                    (_, 3) => None,
                    _ => Some(grid(&mut rng)),
                })
                .collect();
            let (ce, cc) = (d.upload(&refs(&expected)).unwrap(), d.upload(&refs(&cands)).unwrap());
            tickets.push(d.score(&cc, &ce).expect("score"));
            wants.push(
                cands.iter().zip(&expected).map(|(a, b)| Some(cpu_score(a.as_ref()?, b.as_ref()?))).collect::<Vec<_>>(),
            );
            // a column scored against itself
            tickets.push(d.score(&cc, &cc).expect("score"));
            wants.push(cands.iter().map(|a| a.as_ref().map(|a| cpu_score(a, a))).collect());
        }
        // a ticket with nothing to compare
        let empty = d.upload(&[None, None]).unwrap();
        tickets.push(d.score(&empty, &empty).expect("score"));
        wants.push(vec![None, None]);
        assert_eq!(d.resolve(tickets).expect("resolve"), wants);
        assert_eq!(d.resolve(Vec::new()).expect("resolve nothing"), Vec::<Vec<Option<ScoreParts>>>::new());
    }
}

// ---- batches and misuse ----

#[test]
fn many_slots_use_two_dimensional_dispatch() {
    for d in devices() {
        // more slots than one dispatch dimension holds (65535 workgroups)
        let n = 70_000;
        let gs: Vec<Grid> = (0..16).map(|k| Grid::new(1, 2, vec![k as i8 - 1, 9]).unwrap()).collect();
        let slots: Vec<Option<&Grid>> = (0..n).map(|k| if k % 97 == 0 { None } else { Some(&gs[k % 16]) }).collect();
        let col = d.upload(&slots).expect("upload");
        let stats = d.stats(&col).expect("stats");
        for (k, s) in stats.iter().enumerate() {
            assert_eq!(*s, slots[k].map(cpu_stats), "slot {k}");
        }
        let fps = d.fingerprints(&col).expect("fingerprints");
        assert!(fps.iter().zip(&slots).all(|(f, g)| *f == g.map(|g| g.fp())));
        let flip = Remap { h: 1, w: 2, r: [0, 1, 0], c: [1, 0, -1], div: 1 };
        let out = d.remap(&col, &vec![Some(flip); n]).expect("remap");
        let back = d.download(&out).expect("download");
        for (k, g) in back.iter().enumerate() {
            let want = slots[k].map(|g| Grid::new(1, 2, vec![g.cells()[1], g.cells()[0]]).unwrap());
            assert_eq!(*g, want, "slot {k}");
        }
    }
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    let Some(d) = devices().first() else { return };
    let g = Grid::new(1, 1, vec![4]).unwrap();
    let col: Col = d.upload(&[Some(&g), None]).expect("upload");
    let long = [None, None, None];
    assert!(matches!(d.remap(&col, &long), Err(DeviceError::Invalid(_))));
    assert!(matches!(d.scatter(&col, &[None]), Err(DeviceError::Invalid(_))));
    assert!(matches!(d.cells_eq(&col, &[Some(4)]), Err(DeviceError::Invalid(_))));
    assert!(matches!(d.labels(&col, &[]), Err(DeviceError::Invalid(_))));
    let other = d.upload(&[Some(&g)]).unwrap();
    assert!(matches!(d.score(&col, &other), Err(DeviceError::Invalid(_))));
    // a column of another device (a second `Device` on the same adapter is another device)
    let again = Device::all().expect("devices");
    let e = again[0].download(&col);
    assert!(matches!(e, Err(DeviceError::Invalid(_))), "{e:?}");
    let t = again[0].score(&again[0].upload(&[Some(&g)]).unwrap(), &again[0].upload(&[Some(&g)]).unwrap()).unwrap();
    assert!(matches!(d.resolve(vec![t]), Err(DeviceError::Invalid(_))));
    // and the device still works
    assert_eq!(d.download(&col).expect("download"), vec![Some(g), None]);
}

#[test]
fn a_lost_device_fails_every_call() {
    if devices().is_empty() {
        return;
    }
    // a device of its own, since it is destroyed
    let d = Device::all().expect("devices").swap_remove(0);
    let g = Grid::new(2, 2, vec![1, 2, 3, -1]).unwrap();
    let col = d.upload(&[Some(&g)]).expect("upload");
    let ticket = d.score(&col, &col).expect("score");
    d.simulate_loss();
    let id = Remap { h: 2, w: 2, r: [0, 1, 0], c: [0, 0, 1], div: 1 };
    let lost = |r: Result<(), DeviceError>| assert!(matches!(r, Err(DeviceError::Lost(_))), "{r:?}");
    lost(d.resolve(vec![ticket]).map(drop));
    lost(d.upload(&[Some(&g)]).map(drop));
    lost(d.download(&col).map(drop));
    lost(d.remap(&col, &[Some(id)]).map(drop));
    lost(d.scatter(&col, &[None]).map(drop));
    lost(d.stats(&col).map(drop));
    lost(d.cells_eq(&col, &[Some(1)]).map(drop));
    lost(d.labels(&col, &[None]).map(drop));
    lost(d.fingerprints(&col).map(drop));
    lost(d.score(&col, &col).map(drop));
}
