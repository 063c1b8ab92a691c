// Compute kernels of the GPU backend (see device.rs).
//
// Column layout: the grids of a column's live slots lie in one buffer of u32 words, four i8
// cells per word (little-endian, row-major), each grid starting on a word boundary; the bytes
// past a grid's last cell are zero (the fingerprint reads them). Every kernel gets `jobs`, a
// flat u32 array with a fixed number of words per job, built on the CPU for the live slots
// only. Kernels either run one workgroup per job (2-D dispatch: job = x + y * groups.x) or
// one invocation per job (thread = job * 64 + local index, same 2-D trick).

const WG: u32 = 64u;
const NONE: u32 = 0xffffffffu;

// The column read (the source, or the column scored).
@group(0) @binding(0) var<storage, read> cells: array<u32>;
// The second column read (the expected grids of `score`).
@group(0) @binding(1) var<storage, read> cells_b: array<u32>;
// Plain output.
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
// Output written with atomics (scatter's copy, labels' union-find).
@group(0) @binding(3) var<storage, read_write> out_atomic: array<atomic<u32>>;
// The job list.
@group(0) @binding(4) var<storage, read> jobs: array<u32>;

fn group_index(wid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return wid.x + wid.y * nwg.x;
}

// The byte (colour as u8) of cell k of the grid at word offset `off` of `cells`.
fn cell(off: u32, k: u32) -> u32 {
    return (cells[off + (k >> 2u)] >> ((k & 3u) * 8u)) & 0xffu;
}

// ---- remap: 13 words per job [dst, h, w, src, src_h, src_w, div, r0, r1, r2, c0, c1, c2] ----
// out(i, j) = src((r0 + r1 i + r2 j) / div, (c0 + c1 i + c2 j) / div), one workgroup per job.
// The CPU checked that every source coordinate is inside; the clamp only keeps a bad map from
// reading another grid.

@compute @workgroup_size(64)
fn remap(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let id = group_index(wid, nwg);
    if id >= arrayLength(&jobs) / 13u {
        return;
    }
    let p = id * 13u;
    let dst = jobs[p];
    let h = jobs[p + 1u];
    let w = jobs[p + 2u];
    let src = jobs[p + 3u];
    let sh = i32(jobs[p + 4u]);
    let sw = i32(jobs[p + 5u]);
    let div = bitcast<i32>(jobs[p + 6u]);
    let r0 = bitcast<i32>(jobs[p + 7u]);
    let r1 = bitcast<i32>(jobs[p + 8u]);
    let r2 = bitcast<i32>(jobs[p + 9u]);
    let c0 = bitcast<i32>(jobs[p + 10u]);
    let c1 = bitcast<i32>(jobs[p + 11u]);
    let c2 = bitcast<i32>(jobs[p + 12u]);
    let n = h * w;
    let words = (n + 3u) / 4u;
    for (var k = lid; k < words; k += WG) {
        var word = 0u;
        for (var b = 0u; b < 4u; b++) {
            let idx = k * 4u + b;
            if idx < n {
                let i = i32(idx / w);
                let j = i32(idx % w);
                let si = clamp((r0 + r1 * i + r2 * j) / div, 0, sh - 1);
                let sj = clamp((c0 + c1 * i + c2 * j) / div, 0, sw - 1);
                word |= cell(src, u32(si * sw + sj)) << (b * 8u);
            }
        }
        out[dst + k] = word;
    }
}

// ---- scatter: 2 words per job (one per write) [word, byte | colour << 8 | cond << 16 | c << 24] ----
// `out_atomic` already holds a copy of `cells`; the write lands where `cond` (bit 16) is off or
// the source cell equals c. Writes of one grid are to distinct cells, but may share a word.

@compute @workgroup_size(64)
fn scatter(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let t = group_index(wid, nwg) * WG + lid;
    if t >= arrayLength(&jobs) / 2u {
        return;
    }
    let word = jobs[2u * t];
    let p = jobs[2u * t + 1u];
    let shift = (p & 3u) * 8u;
    if (p & 0x10000u) != 0u && ((cells[word] >> shift) & 0xffu) != (p >> 24u) {
        return;
    }
    atomicAnd(&out_atomic[word], ~(0xffu << shift));
    atomicOr(&out_atomic[word], ((p >> 8u) & 0xffu) << shift);
}

// ---- stats: 2 words per job [off, n]; 33 words out per job: counts[16], first[16], other ----

var<workgroup> wg_count: array<atomic<u32>, 16>;
var<workgroup> wg_first: array<atomic<u32>, 16>;
var<workgroup> wg_flag: atomic<u32>;

@compute @workgroup_size(64)
fn stats(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let id = group_index(wid, nwg);
    if id >= arrayLength(&jobs) / 2u {
        return;
    }
    let off = jobs[2u * id];
    let n = jobs[2u * id + 1u];
    if lid < 16u {
        atomicStore(&wg_count[lid], 0u);
        atomicStore(&wg_first[lid], NONE);
    }
    if lid == 0u {
        atomicStore(&wg_flag, 0u);
    }
    workgroupBarrier();
    // this invocation's counts; it visits its cells in increasing order, so the first visit of
    // a colour is its smallest index
    var count: array<u32, 16>;
    var first: array<u32, 16>;
    for (var c = 0u; c < 16u; c++) {
        first[c] = NONE;
    }
    var other = 0u;
    let words = (n + 3u) / 4u;
    for (var k = lid; k < words; k += WG) {
        let word = cells[off + k];
        for (var b = 0u; b < 4u; b++) {
            let idx = k * 4u + b;
            if idx < n {
                let c = (word >> (b * 8u)) & 0xffu;
                if c < 16u {
                    count[c] += 1u;
                    if first[c] == NONE {
                        first[c] = idx;
                    }
                } else {
                    other = 1u;
                }
            }
        }
    }
    for (var c = 0u; c < 16u; c++) {
        if count[c] != 0u {
            atomicAdd(&wg_count[c], count[c]);
            atomicMin(&wg_first[c], first[c]);
        }
    }
    if other != 0u {
        atomicOr(&wg_flag, 1u);
    }
    workgroupBarrier();
    let o = id * 33u;
    if lid < 16u {
        out[o + lid] = atomicLoad(&wg_count[lid]);
        out[o + 16u + lid] = atomicLoad(&wg_first[lid]);
    }
    if lid == 0u {
        out[o + 32u] = atomicLoad(&wg_flag);
    }
}

// ---- cells_eq: 4 words per job [off, n, colour byte, out offset]; out: a bit per cell ----
// Bit (k % 32) of word out[out offset + k / 32] is set when cell k has the colour.

@compute @workgroup_size(64)
fn cells_eq(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let id = group_index(wid, nwg);
    if id >= arrayLength(&jobs) / 4u {
        return;
    }
    let off = jobs[4u * id];
    let n = jobs[4u * id + 1u];
    let colour = jobs[4u * id + 2u];
    let dst = jobs[4u * id + 3u];
    let words = (n + 3u) / 4u;
    let masks = (n + 31u) / 32u;
    for (var m = lid; m < masks; m += WG) {
        var mask = 0u;
        for (var q = 0u; q < 8u; q++) {
            let k = m * 8u + q;
            if k < words {
                let word = cells[off + k];
                for (var b = 0u; b < 4u; b++) {
                    if k * 4u + b < n && ((word >> (b * 8u)) & 0xffu) == colour {
                        mask |= 1u << (q * 4u + b);
                    }
                }
            }
        }
        out[dst + m] = mask;
    }
}

// ---- labels: 5 words per job [off, h, w, flags, out offset]; out: a label per cell ----
// flags: bit 0 univalued, bit 1 diagonal, bit 2 has background, bits 8..16 the background.
// Union-find with atomicMin links (Playne & Hawick 2018): every label points to a smaller or
// equal index of its component, roots to themselves, so after the merge each root is its
// component's smallest index; then every cell takes its root. Excluded cells hold NONE.
// One workgroup per grid; the phases are separated by storage barriers.

fn lab_find(base: u32, x0: u32) -> u32 {
    var x = x0;
    loop {
        let p = atomicLoad(&out_atomic[base + x]);
        if p == x {
            break;
        }
        x = p;
    }
    return x;
}

fn lab_union(base: u32, a0: u32, b0: u32) {
    var a = a0;
    var b = b0;
    loop {
        a = lab_find(base, a);
        b = lab_find(base, b);
        if a == b {
            break;
        }
        if a < b {
            let old = atomicMin(&out_atomic[base + b], a);
            if old == b {
                break;
            }
            b = old;
        } else {
            let old = atomicMin(&out_atomic[base + a], b);
            if old == a {
                break;
            }
            a = old;
        }
    }
}

@compute @workgroup_size(64)
fn labels(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let id = group_index(wid, nwg);
    if id >= arrayLength(&jobs) / 5u {
        return;
    }
    let off = jobs[5u * id];
    let h = jobs[5u * id + 1u];
    let w = jobs[5u * id + 2u];
    let flags = jobs[5u * id + 3u];
    let base = jobs[5u * id + 4u];
    let n = h * w;
    let univalued = (flags & 1u) != 0u;
    let diagonal = (flags & 2u) != 0u;
    let has_bg = (flags & 4u) != 0u;
    let bg = (flags >> 8u) & 0xffu;

    for (var k = lid; k < n; k += WG) {
        let excluded = has_bg && cell(off, k) == bg;
        atomicStore(&out_atomic[base + k], select(k, NONE, excluded));
    }
    storageBarrier();

    for (var k = lid; k < n; k += WG) {
        let c = cell(off, k);
        if has_bg && c == bg {
            continue;
        }
        let i = k / w;
        let j = k % w;
        // the neighbours before k in row-major order: left, up, and with diagonal up-left and
        // up-right; each pair of adjacent cells is seen once
        var nb: array<u32, 4>;
        var count = 0u;
        if j > 0u {
            nb[count] = k - 1u;
            count += 1u;
        }
        if i > 0u {
            nb[count] = k - w;
            count += 1u;
            if diagonal && j > 0u {
                nb[count] = k - w - 1u;
                count += 1u;
            }
            if diagonal && j + 1u < w {
                nb[count] = k - w + 1u;
                count += 1u;
            }
        }
        for (var q = 0u; q < count; q++) {
            let m = nb[q];
            let d = cell(off, m);
            let joined = !(has_bg && d == bg) && (!univalued || d == c);
            if joined {
                lab_union(base, k, m);
            }
        }
    }
    storageBarrier();

    for (var k = lid; k < n; k += WG) {
        if atomicLoad(&out_atomic[base + k]) != NONE {
            atomicStore(&out_atomic[base + k], lab_find(base, k));
        }
    }
}

// ---- fingerprints: 4 words per job [off, h, w, 0], one invocation per job; 2 words out ----
// batt_dsl::grid::fingerprint_cells: two murmur3 lanes over the packed words, then fmix32.

fn rotl(x: u32, r: u32) -> u32 {
    return (x << r) | (x >> (32u - r));
}

fn fmix32(h0: u32) -> u32 {
    var h = h0;
    h ^= h >> 16u;
    h *= 0x85ebca6bu;
    h ^= h >> 13u;
    h *= 0xc2b2ae35u;
    h ^= h >> 16u;
    return h;
}

fn mix_lane(h: u32, k0: u32) -> u32 {
    let k = rotl(k0 * 0xcc9e2d51u, 15u) * 0x1b873593u;
    return rotl(h ^ k, 13u) * 5u + 0xe6546b64u;
}

@compute @workgroup_size(64)
fn fingerprint(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let t = group_index(wid, nwg) * WG + lid;
    if t >= arrayLength(&jobs) / 4u {
        return;
    }
    let off = jobs[4u * t];
    let h = jobs[4u * t + 1u];
    let w = jobs[4u * t + 2u];
    let n = h * w;
    let shape = (h << 8u) | w;
    var a = 0x9e3779b9u ^ shape;
    var b = 0x7f4a7c15u ^ (shape * 0x27541f35u);
    let words = (n + 3u) / 4u;
    for (var k = 0u; k < words; k++) {
        let x = cells[off + k];
        a = mix_lane(a, x);
        b = mix_lane(b, x ^ 0x5bd1e995u);
    }
    out[2u * t] = fmix32(a ^ n);
    out[2u * t + 1u] = fmix32(b ^ rotl(n, 16u));
}

// ---- score: 4 words per job [off, expected off, n, same shape]; 2 words out: equal, palette ----

var<workgroup> wg_equal: atomic<u32>;
var<workgroup> wg_palette: atomic<u32>;

@compute @workgroup_size(64)
fn score(
    @builtin(workgroup_id) wid: vec3<u32>,
    @builtin(num_workgroups) nwg: vec3<u32>,
    @builtin(local_invocation_index) lid: u32,
) {
    let id = group_index(wid, nwg);
    if id >= arrayLength(&jobs) / 4u {
        return;
    }
    let off = jobs[4u * id];
    let off_b = jobs[4u * id + 1u];
    let n = jobs[4u * id + 2u];
    let same = jobs[4u * id + 3u] != 0u;
    if lid == 0u {
        atomicStore(&wg_equal, 0u);
        atomicStore(&wg_palette, 0u);
    }
    workgroupBarrier();
    var equal = 0u;
    var palette = 0u;
    let words = (n + 3u) / 4u;
    for (var k = lid; k < words; k += WG) {
        let x = cells[off + k];
        var y = 0u;
        if same {
            y = cells_b[off_b + k];
        }
        for (var b = 0u; b < 4u; b++) {
            if k * 4u + b < n {
                let c = (x >> (b * 8u)) & 0xffu;
                palette |= 1u << min(c, 15u);
                if same && c == ((y >> (b * 8u)) & 0xffu) {
                    equal += 1u;
                }
            }
        }
    }
    atomicAdd(&wg_equal, equal);
    atomicOr(&wg_palette, palette);
    workgroupBarrier();
    if lid == 0u {
        out[2u * id] = atomicLoad(&wg_equal);
        out[2u * id + 1u] = atomicLoad(&wg_palette);
    }
}
