//! Runs split over processes: `--shard I/N` and `batt merge`.

mod common;

use common::{batt, root, scratch, text};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

/// The `*.py` files of a library directory, by name.
fn library_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

fn submission(path: &Path) -> serde_json::Map<String, serde_json::Value> {
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v.as_object().expect("a map of task ids").clone()
}

/// Two shards of `batt run --solvers solvers`, run as two processes at once with their own
/// libraries and submissions, then merged: the same submission and library as one run.
#[test]
fn two_shards_merged_equal_one_run() {
    let d = scratch("shard-run");
    let run = ["run", "--solvers", "solvers", "--tasks", "data/arc-agi-1/training", "-c", "80", "--threads", "1"];
    let single = batt(
        &[&run[..], &["--library", d.join("lib").to_str().unwrap(), "-o", d.join("single.json").to_str().unwrap()]]
            .concat(),
    );
    assert!(single.status.success(), "{}", text(&single).1);

    let shards: Vec<_> = (0..2)
        .map(|i| {
            Command::new(env!("CARGO_BIN_EXE_batt"))
                .args(run)
                .args(["--shard", &format!("{i}/2"), "--library"])
                .arg(d.join(format!("lib{i}")))
                .arg("-o")
                .arg(d.join(format!("sub{i}.json")))
                .current_dir(root())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("batt starts")
        })
        .collect();
    for child in shards {
        let o = child.wait_with_output().expect("batt runs");
        assert!(o.status.success(), "{}", text(&o).1);
    }
    let (sub0, sub1, one) =
        (submission(&d.join("sub0.json")), submission(&d.join("sub1.json")), submission(&d.join("single.json")));
    assert_eq!((sub0.len(), sub1.len(), one.len()), (40, 40, 80), "each task in exactly one shard");
    assert!(sub0.keys().all(|k| !sub1.contains_key(k)));

    let o = batt(&[
        "merge",
        "--submissions",
        d.join("sub0.json").to_str().unwrap(),
        d.join("sub1.json").to_str().unwrap(),
        "-o",
        d.join("merged.json").to_str().unwrap(),
        "--libraries",
        d.join("lib0").to_str().unwrap(),
        d.join("lib1").to_str().unwrap(),
        "--library",
        d.join("merged-lib").to_str().unwrap(),
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("80 tasks from 2 submissions"), "{out}");
    assert_eq!(
        std::fs::read(d.join("merged.json")).unwrap(),
        std::fs::read(d.join("single.json")).unwrap(),
        "the merged submission is the single run's, byte for byte"
    );
    let (merged, alone) = (library_files(&d.join("merged-lib")), library_files(&d.join("lib")));
    assert!(alone.len() > 5, "the run found solvers: {}", alone.len());
    assert_eq!(merged, alone, "the merged library is the single run's");
    // merged again: nothing new, nothing lost
    let o = batt(&[
        "merge",
        "--libraries",
        d.join("lib0").to_str().unwrap(),
        d.join("lib1").to_str().unwrap(),
        "--library",
        d.join("merged-lib").to_str().unwrap(),
    ]);
    assert!(text(&o).0.contains(": 0 new in"), "{}", text(&o).0);
    assert_eq!(library_files(&d.join("merged-lib")), alone);
}

#[test]
fn bad_shards_and_conflicting_merges_are_clear_errors() {
    let d = scratch("shard-errors");
    for (shard, want) in
        [("2/2", "the index must be below the count"), ("1/0", "must be from 1"), ("x", "is not a shard")]
    {
        let o = batt(&["run", "--shard", shard, "-c", "2"]);
        assert_eq!(o.status.code(), Some(2), "{shard}");
        assert!(text(&o).1.contains(want), "{shard}: {}", text(&o).1);
    }
    let o = batt(&[
        "run",
        "--solvers",
        "solvers",
        "-c",
        "3",
        "--shard",
        "5/8",
        "--library",
        d.join("lib").to_str().unwrap(),
        "-o",
        d.join("s.json").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("shard 5/8 of the 3 tasks selected"), "{}", text(&o).1);

    let o = batt(&["merge"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("nothing to merge"), "{}", text(&o).1);

    let a = d.join("a.json");
    let b = d.join("b.json");
    std::fs::write(&a, r#"{"t": [{"attempt_1": [[1]], "attempt_2": [[2]]}]}"#).unwrap();
    std::fs::write(&b, r#"{"t": [{"attempt_1": [[1]], "attempt_2": [[3]]}]}"#).unwrap();
    std::fs::create_dir_all(d.join("shard-lib")).unwrap();
    std::fs::write(d.join("shard-lib/t.py"), "def solve_t(I):\n    O = rot90(I)\n    return O\n").unwrap();
    let merged = d.join("merged.json");
    let o = batt(&[
        "merge",
        "--submissions",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "-o",
        merged.to_str().unwrap(),
        "--libraries",
        d.join("shard-lib").to_str().unwrap(),
        "--library",
        d.join("target").to_str().unwrap(),
    ]);
    let err = text(&o).1;
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("b.json: task t: test 0: the attempts differ"), "{err}");
    assert!(err.contains(&a.display().to_string()), "both files are named: {err}");
    assert!(!merged.exists(), "nothing is written");
    assert!(library_files(&d.join("target")).is_empty(), "nothing is written");
}
