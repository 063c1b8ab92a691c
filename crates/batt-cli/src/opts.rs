//! Checks of option values and paths, before any work: every bad value is a clear message,
//! never a panic or a silent clamp.

use anyhow::{Context, Result};
use std::path::Path;

/// The longest time option accepted, in seconds (about 31 years).
pub const MAX_SECONDS: f64 = 1e9;

/// A number of seconds: finite, 0 ..= [`MAX_SECONDS`].
pub fn seconds(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !x.is_finite() || !(0.0..=MAX_SECONDS).contains(&x) {
        return Err(format!("`{s}` must be a number of seconds from 0 to {MAX_SECONDS:e}"));
    }
    Ok(x)
}

/// A share: finite, 0 ..= 1.
pub fn share(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if !x.is_finite() || !(0.0..=1.0).contains(&x) {
        return Err(format!("`{s}` must be a share from 0 to 1"));
    }
    Ok(x)
}

fn count_in(s: &str, min: usize, max: usize) -> Result<usize, String> {
    let x: usize = s.trim().parse().map_err(|_| format!("`{s}` is not a whole number"))?;
    if !(min..=max).contains(&x) {
        return Err(format!("`{s}` must be from {min} to {max}"));
    }
    Ok(x)
}

/// Worker threads: 1 ..= 1,024.
pub fn threads(s: &str) -> Result<usize, String> {
    count_in(s, 1, 1024)
}

/// A positive count (solvers kept, pairs per batch): 1 ..= 1,000,000.
pub fn positive(s: &str) -> Result<usize, String> {
    count_in(s, 1, 1_000_000)
}

/// Enumeration depth: 1 ..= 32.
pub fn depth(s: &str) -> Result<usize, String> {
    count_in(s, 1, 32)
}

/// Mebibytes: 1 ..= 2^30 (a pebibyte).
pub fn mebibytes(s: &str) -> Result<usize, String> {
    count_in(s, 1, 1 << 30)
}

/// Checks that the output file and the library can be written, before any work; notes where
/// batt will write its temporary and lock files (removed should it go past its memory cap).
pub fn check_paths(output: &Path, library: Option<&Path>) -> Result<()> {
    batt_engine::library::check_output(output).context("cannot write the output")?;
    // the temporary file goes beside the file a symbolic link leads to
    let real = std::fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    crate::memory::writes_in(real.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")), false);
    if let Some(dir) = library {
        batt_engine::Library::new(dir, 1).check().context("cannot write the library")?;
        crate::memory::writes_in(dir, false);
    }
    Ok(())
}
