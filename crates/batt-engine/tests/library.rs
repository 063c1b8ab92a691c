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

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const FOUR: &str = "def solve_t(I):\n    O = rot90(I)\n    return O\n\n\
    def solve_t(I):\n    O = rot180(I)\n    return O\n\n\
    def solve_t(I):\n    O = rot270(I)\n    return O\n\n\
    def solve_t(I):\n    O = hmirror(I)\n    return O\n";

#[test]
fn a_file_with_a_latin1_byte_keeps_all_its_solvers_and_bytes() {
    let dir = scratch("library-latin1");
    let f = dir.join("t.py");
    let mut bytes = b"# found by hand, caf\xE9\n".to_vec();
    bytes.extend_from_slice(FOUR.as_bytes());
    std::fs::write(&f, &bytes).unwrap();
    let lib = Library::new(&dir, 8);
    assert_eq!(lib.solvers("t").len(), 4);
    assert_eq!(lib.add("t", &progs("def solve_t(I):\n    O = vmirror(I)\n    return O\n")).unwrap(), 1);
    let after = std::fs::read(&f).unwrap();
    assert!(after.starts_with(b"# found by hand, caf\xE9\n"), "{}", String::from_utf8_lossy(&after));
    assert_eq!(lib.solvers("t").len(), 5, "{}", String::from_utf8_lossy(&after));
}

#[test]
fn a_function_that_does_not_parse_is_kept_verbatim_and_named() {
    let dir = scratch("library-syntax");
    let f = dir.join("t.py");
    let bad = "def solve_t(I):\n    x1 = rot90(I\n    O = frobnicate(x1)  # mine\n    return O\n";
    std::fs::write(&f, format!("{FOUR}\n{bad}")).unwrap();
    let lib = Library::new(&dir, 8);
    let errs: Vec<String> = lib.load().errors.iter().map(|e| e.to_string()).collect();
    assert!(errs.iter().any(|e| e.contains("t.py:18: in solve_t")), "{errs:?}");
    assert_eq!(lib.add("t", &progs("def solve_t(I):\n    O = vmirror(I)\n    return O\n")).unwrap(), 1);
    let after = std::fs::read_to_string(&f).unwrap();
    assert!(after.contains(bad), "{after}");
    assert_eq!(lib.solvers("t").len(), 5, "{after}");
    // a file that cannot be read at all is left alone, with an error naming it
    let unreadable = dir.join("u.py");
    std::fs::create_dir_all(&unreadable).unwrap();
    let e = lib.add("u", &progs("def solve_u(I):\n    O = vmirror(I)\n    return O\n")).unwrap_err();
    assert!(e.to_string().contains("u.py"), "{e}");
    assert!(unreadable.is_dir());
    // nor is anything written outside the library for an id that is a path
    for id in ["../x", "/abs/x", "", "sub/x"] {
        assert!(lib.add(id, &progs("def solve_u(I):\n    O = vmirror(I)\n    return O\n")).is_err(), "{id:?}");
    }
    assert!(!dir.join("../x.py").exists() && !dir.join(".py").exists() && !dir.join("sub").exists());
}

#[test]
fn concurrent_writers_lose_none_of_each_others_solvers() {
    let dir = scratch("library-concurrent");
    let prims = ["rot90", "rot180", "rot270", "hmirror", "vmirror", "dmirror", "cmirror", "identity"];
    std::thread::scope(|s| {
        for (w, p) in prims.iter().enumerate() {
            let dir = &dir;
            s.spawn(move || {
                let lib = Library::new(dir, 100);
                // each writer adds its own solvers one by one: 2-line programs `p` then another
                for q in ["rot90", "rot180", "rot270", "hmirror", "vmirror"] {
                    let src = format!("def solve_t(I):\n    x1 = {p}(I)\n    O = {q}(x1)\n    return O\n");
                    lib.add("t", &progs(&src)).unwrap_or_else(|e| panic!("writer {w}: {e}"));
                }
            });
        }
    });
    let lib = Library::new(&dir, 100);
    assert_eq!(lib.solvers("t").len(), prims.len() * 5);
    let left: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["t.py"], "no lock or temporary file is left");
}

#[test]
fn a_lock_left_by_a_dead_process_is_taken_over() {
    let dir = scratch("library-stale-lock");
    // no process has this id (above the kernel's pid_max)
    std::fs::write(dir.join(".t.py.lock"), "4294967295").unwrap();
    let lib = Library::new(&dir, 8);
    let t = std::time::Instant::now();
    assert_eq!(lib.add("t", &progs("def solve_t(I):\n    O = rot90(I)\n    return O\n")).unwrap(), 1);
    assert!(t.elapsed().as_secs() < 5);
    assert!(!dir.join(".t.py.lock").exists());
}

#[test]
fn the_library_answers_from_memory_and_still_merges_what_others_wrote() {
    let dir = scratch("library-memory");
    std::fs::write(dir.join("t.py"), "def solve_t(I):\n    O = rot90(I)\n    return O\n").unwrap();
    let lib = Library::new(&dir, 8);
    assert!(lib.has_solver("t") && !lib.has_solver("u"));
    assert_eq!(lib.load().programs.len(), 1);
    // another process writes after the directory was read: this library answers from what it
    // read, and a write of its own merges the other's solver rather than losing it
    std::fs::write(
        dir.join("t.py"),
        "def solve_t(I):\n    O = rot90(I)\n    return O\n\ndef solve_t(I):\n    O = rot180(I)\n    return O\n",
    )
    .unwrap();
    std::fs::write(dir.join("u.py"), "def solve_u(I):\n    O = vmirror(I)\n    return O\n").unwrap();
    assert_eq!(lib.solvers("t").len(), 1);
    assert!(!lib.has_solver("u"), "read once, not at every question");
    assert_eq!(lib.add("t", &progs("def solve_t(I):\n    O = rot270(I)\n    return O\n")).unwrap(), 1);
    assert_eq!(lib.solvers("t").len(), 3, "memory holds what was written: the file's two and the new one");
    assert_eq!(parse_file(&dir.join("t.py")).programs.len(), 3);
    // a clone shares the memory; a new library reads the directory again
    assert_eq!(lib.clone().solvers("t").len(), 3);
    assert!(Library::new(&dir, 8).has_solver("u"));
}

#[test]
fn a_process_ending_mid_write_removes_its_own_leftovers_only() {
    let dir = scratch("library-leftovers");
    let pid = std::process::id();
    let ours = [format!(".t.py.tmp-{pid}-0"), format!(".submission.json.tmp-{pid}-7"), ".t.py.lock".to_string()];
    std::fs::write(dir.join(&ours[0]), "half a file").unwrap();
    std::fs::write(dir.join(&ours[1]), "{").unwrap();
    std::fs::write(dir.join(&ours[2]), pid.to_string()).unwrap();
    // another process's lock and temporary file, and the library's own files, stay
    let theirs = [".u.py.lock", ".u.py.tmp-4294967295-0", "t.py", "notes.tmp-1-1"];
    std::fs::write(dir.join(theirs[0]), "4294967295").unwrap();
    for f in &theirs[1..] {
        std::fs::write(dir.join(f), "x").unwrap();
    }
    batt_engine::library::remove_leftovers(&dir);
    let mut left: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    let mut want: Vec<String> = theirs.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(left, want);
}
