//! Merging what the shards of a run wrote: submissions (conflicts are errors naming both
//! files) and libraries (deduplicated, nothing the target holds is lost).

use batt_engine::shard::{merge_libraries, merge_submissions};
use batt_engine::submission::{read_submission, write_submission};
use batt_engine::Library;
use std::path::{Path, PathBuf};

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let f = dir.join(name);
    std::fs::write(&f, text).unwrap();
    f
}

const T2: &str = r#"[{"attempt_1": [[1, 2]], "attempt_2": [[3]]}]"#;

#[test]
fn submissions_join_and_conflicts_name_both_files() {
    let d = scratch("merge-submissions");
    let a = write(&d, "a.json", &format!(r#"{{"t1": [{{"attempt_1": [[0]], "attempt_2": [[0]]}}], "t2": {T2}}}"#));
    // t2 again with the same predictions is no conflict; a prediction may hold any grid a
    // program gives (colour -1, more than 30 columns)
    let wide = format!("[[{}]]", vec!["-1"; 40].join(","));
    let b = write(
        &d,
        "b.json",
        &format!(
            r#"{{"t3": [{{"attempt_1": {wide}, "attempt_2": [[5]]}}, {{"attempt_1": [[6]], "attempt_2": [[7]]}}], "t2": {T2}}}"#
        ),
    );
    let merged = merge_submissions(&[a.clone(), b.clone()]).unwrap();
    assert_eq!(merged.iter().map(|p| p.task.as_str()).collect::<Vec<_>>(), ["t1", "t2", "t3"]);
    assert_eq!(merged[2].tests.len(), 2);
    assert_eq!(merged[2].tests[0].attempt_1.w(), 40);
    assert_eq!(merged[2].tests[0].attempt_1.get(0, 0), -1);
    // written and read back: the same predictions
    let out = d.join("merged.json");
    write_submission(&out, &merged).unwrap();
    assert_eq!(read_submission(&out).unwrap(), merged);

    let c = write(&d, "c.json", r#"{"t2": [{"attempt_1": [[1, 2]], "attempt_2": [[4]]}]}"#);
    let e = merge_submissions(&[a.clone(), b.clone(), c.clone()]).unwrap_err().to_string();
    assert!(e.contains("c.json: task t2: test 0: the attempts differ"), "{e}");
    assert!(e.contains(&a.display().to_string()), "the first file is named: {e}");
    let two = write(
        &d,
        "two.json",
        r#"{"t2": [{"attempt_1": [[1, 2]], "attempt_2": [[3]]}, {"attempt_1": [[1]], "attempt_2": [[3]]}]}"#,
    );
    let e = merge_submissions(&[a.clone(), two]).unwrap_err().to_string();
    assert!(e.contains("two.json: task t2: 2 test inputs here, 1 in"), "{e}");

    for (text, want) in [
        (r#"{"t1": [{"attempt_1": [[1]]}]}"#, "bad.json: task t1: test 0: missing \"attempt_2\""),
        (r#"{"t1": [{"attempt_1": [[1], [2, 3]], "attempt_2": [[1]]}]}"#, "task t1: test 0: attempt_1: ragged"),
        (r#"{"../x": []}"#, "task ../x: invalid task id"),
        (r#"[1, 2]"#, "bad.json: expected a map of task ids"),
        ("{", "bad.json: invalid JSON"),
    ] {
        let bad = write(&d, "bad.json", text);
        let e = merge_submissions(&[a.clone(), bad]).unwrap_err().to_string();
        assert!(e.contains(want), "{text}: {e}");
    }
    let e = merge_submissions(&[d.join("missing.json")]).unwrap_err().to_string();
    assert!(e.contains("missing.json"), "{e}");
}

const ROT90: &str = "def solve_t(I):\n    O = rot90(I)\n    return O\n";
const ROT180: &str = "def solve_t(I):\n    O = rot180(I)\n    return O\n";
const ROT270: &str = "def solve_t(I):\n    O = rot270(I)\n    return O\n";

#[test]
fn libraries_merge_deduplicated_and_keep_the_targets_text() {
    let d = scratch("merge-libraries");
    let (s1, s2, target) = (d.join("s1"), d.join("s2"), d.join("target"));
    for dir in [&s1, &s2, &target] {
        std::fs::create_dir_all(dir).unwrap();
    }
    write(&s1, "t.py", &format!("{ROT90}\n{ROT180}"));
    // the same rot90 with other names, and a new one
    write(&s2, "t.py", &format!("def solve_t(I):\n    x = rot90(I)\n    return x\n\n{ROT270}"));
    write(
        &s2,
        "u.py",
        "def solve_u(I):\n    O = hmirror(I)\n    return O\n\ndef solve_u(I):\n    O = nosuch(I)\n    return O\n",
    );
    write(&target, "t.py", &format!("# found by hand\n{ROT180}"));

    let lib = Library::new(&target, usize::MAX);
    let m = merge_libraries(&[s1.clone(), s2.clone()], &lib).unwrap();
    assert_eq!((m.tasks, m.solvers, m.new_solvers), (2, 5, 3));
    assert_eq!(m.skipped.len(), 1, "{:?}", m.skipped);
    assert!(m.skipped[0].to_string().contains("u.py:6"), "{}", m.skipped[0]);
    let t = std::fs::read_to_string(target.join("t.py")).unwrap();
    assert!(t.starts_with("# found by hand\n"), "the target's comment is kept:\n{t}");
    assert_eq!(lib.solvers("t").len(), 3);
    assert_eq!(lib.solvers("u").len(), 1);
    // merging again changes nothing
    let again = merge_libraries(&[s1.clone(), s2.clone()], &lib).unwrap();
    assert_eq!(again.new_solvers, 0);
    assert_eq!(std::fs::read_to_string(target.join("t.py")).unwrap(), t);

    // a source that is not there: an error, and nothing written
    let e = merge_libraries(&[s1, d.join("nope")], &Library::new(d.join("fresh"), 8)).unwrap_err();
    assert!(e.to_string().contains("nope: not a directory"), "{e}");
    assert!(!d.join("fresh").exists());
}
