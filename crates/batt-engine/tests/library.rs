//! The library keeps each task's solvers deduplicated, the best K, readable and replayable.

use batt_engine::Library;
use batt_prog::{parse_file, parse_str, Program};
use std::path::Path;

fn progs(src: &str) -> Vec<Program> {
    let f = parse_str(src, "t.py");
    assert!(f.errors.is_empty(), "{:?}", f.errors);
    f.programs.into_iter().map(|p| p.program).collect()
}

#[test]
fn deduplicates_and_keeps_the_shortest() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("library-unit");
    let _ = std::fs::remove_dir_all(&dir);
    let lib = Library::new(&dir, 2);
    assert!(lib.load().programs.is_empty(), "a missing directory is an empty library");

    let long = progs("def solve_t(I):\n    x1 = rot90(I)\n    x2 = rot90(x1)\n    O = rot90(x2)\n    return O\n");
    assert_eq!(lib.add("t", &long).unwrap(), 1);
    // the same program again, with other names and a dead line: nothing new
    let same = progs(
        "def solve_other(I):\n    a = rot90(I)\n    dead = size(I)\n    b = rot90(a)\n    O = rot90(b)\n    return O\n",
    );
    assert_eq!(lib.add("t", &same).unwrap(), 0);
    let short = progs("def solve_t(I):\n    O = rot270(I)\n    return O\n");
    let mid = progs("def solve_t(I):\n    x1 = rot180(I)\n    O = rot90(x1)\n    return O\n");
    assert_eq!(lib.add("t", &short).unwrap(), 1);
    // with K = 2 the three-line program makes way for the two-line one
    assert_eq!(lib.add("t", &mid).unwrap(), 1);
    let kept = lib.solvers("t");
    assert_eq!(kept.iter().map(|p| p.lines.len()).collect::<Vec<_>>(), [1, 2]);
    assert!(kept.iter().all(|p| p.name == "t"));
    // the file is plain solver syntax
    let f = parse_file(&dir.join("t.py"));
    assert!(f.errors.is_empty());
    assert_eq!(f.programs.len(), 2);
    assert_eq!(lib.load().programs.len(), 2);
}
