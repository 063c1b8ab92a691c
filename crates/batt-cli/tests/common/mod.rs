//! What the `batt` command's tests share: running the built binary from the repository root,
//! and scratch directories.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the shipped data and solvers are named from there).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the built `batt` with `args` in the repository root.
pub fn batt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batt")).args(args).current_dir(root()).output().expect("batt runs")
}

/// Standard output and standard error, as text.
pub fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// An empty directory of this name under the target's scratch directory.
pub fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
