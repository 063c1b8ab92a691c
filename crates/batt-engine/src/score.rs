//! The differ: partial credit of a wrong grid against the expected one.

use batt_dsl::{Grid, Value};

/// Colours present, as a bit set (colours outside 0..=15 share bit 15).
pub fn palette_bits(g: &Grid) -> u16 {
    g.cells().iter().fold(0u16, |m, &c| m | 1 << (c as u8).min(15))
}

/// The exact facts the differ is computed from, whoever counts them (the CPU here, a GPU
/// kernel elsewhere).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffParts {
    pub same_shape: bool,
    /// Cells equal to the expected ones (0 when the shapes differ).
    pub equal: u32,
    /// [`palette_bits`] of the grid scored.
    pub palette: u16,
}

/// How close `got` is to `want`, in 0..=1: the mean of palette agreement (Jaccard of the colour
/// sets), shape agreement (1 when the shapes are equal) and cell agreement (the fraction of
/// equal cells, 0 when the shapes differ). Exactly 1 only for equal grids.
pub fn differ(got: &Grid, want: &Grid) -> f32 {
    // equal grids count every cell equal: 1 below
    let same_shape = got.h() == want.h() && got.w() == want.w();
    let equal = if same_shape { got.cells().iter().zip(want.cells()).filter(|(x, y)| x == y).count() } else { 0 };
    let parts = DiffParts { same_shape, equal: equal as u32, palette: palette_bits(got) };
    differ_from_parts(parts, palette_bits(want), want.cells().len())
}

/// The differ of a node's value against a pair's expected output: 0 for a value that is not a
/// grid.
pub fn differ_value(v: &Value, want: &Grid) -> f32 {
    match v {
        Value::Grid(g) => differ(g, want),
        _ => 0.0,
    }
}

/// The differ from its parts, against an expected grid of `want_palette` and `want_cells`.
pub fn differ_from_parts(p: DiffParts, want_palette: u16, want_cells: usize) -> f32 {
    if p.same_shape && p.equal as usize == want_cells {
        return 1.0;
    }
    let (a, b) = (p.palette, want_palette);
    let palette = (a & b).count_ones() as f32 / (a | b).count_ones().max(1) as f32;
    let cells = if p.same_shape { p.equal as f32 / want_cells as f32 } else { 0.0 };
    // never 1 for unequal grids, whatever the rounding
    ((palette + p.same_shape as u8 as f32 + cells) / 3.0).min(0.999_999)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(h: usize, w: usize, c: &[i8]) -> Grid {
        Grid::new(h, w, c.to_vec()).unwrap()
    }

    #[test]
    fn differ_ranks_near_misses() {
        let want = g(2, 2, &[1, 2, 3, 4]);
        assert_eq!(differ(&want, &want), 1.0);
        let one_off = differ(&g(2, 2, &[1, 2, 3, 5]), &want);
        let wrong_shape = differ(&g(1, 4, &[1, 2, 3, 4]), &want);
        let wrong_colours = differ(&g(2, 2, &[7, 7, 7, 7]), &want);
        let nothing_right = differ(&g(1, 1, &[7]), &want);
        assert!(one_off > wrong_shape && wrong_shape > nothing_right, "{one_off} {wrong_shape} {nothing_right}");
        // a right palette and a right shape count the same
        assert_eq!(wrong_shape, wrong_colours);
        assert_eq!(nothing_right, 0.0);
        assert!(one_off < 1.0);
        // 3 of 4 cells, shape right, palette {1,2,3} vs {1,2,3,4} and {5}: 3/5
        assert!((one_off - (0.6 + 1.0 + 0.75) / 3.0).abs() < 1e-6);
    }
}
