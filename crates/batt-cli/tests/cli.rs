//! The `batt` command end to end: exit codes, summaries and error lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn batt(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_batt")).args(args).current_dir(root()).output().expect("batt runs")
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn tasks_reports_the_shipped_data() {
    let o = batt(&["tasks", "data/arc-agi-1/training"]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.contains("400 tasks loaded"), "{out}");
    let o = batt(&["tasks", "data/arc-agi-1/kaggle/arc-agi_training_challenges.json"]);
    assert!(text(&o).0.contains("400 tasks loaded"));
}

#[test]
fn tasks_reports_a_malformed_file_and_loads_the_rest() {
    let d = scratch("cli-tasks");
    std::fs::copy(root().join("data/arc-agi-1/training/007bbfb7.json"), d.join("007bbfb7.json")).unwrap();
    std::fs::write(
        d.join("broken.json"),
        r#"{"train": [{"input": [[1, 2], [3]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
    )
    .unwrap();
    let o = batt(&["tasks", d.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("1 tasks loaded") && out.contains("1 errors"), "{out}");
    assert!(err.contains("broken.json: task broken: train pair 0: input: ragged"), "{err}");
}

#[test]
fn verify_passes_the_shipped_solvers() {
    let o = batt(&["verify", "--solvers", "solvers", "--tasks", "data/arc-agi-1/training"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let last = out.lines().last().unwrap_or_default();
    let (n, m) = last.split_once(" of ").expect("summary line");
    assert_eq!(n, m.trim_end_matches(" tasks solved"), "{last}");
}

#[test]
fn verify_reports_failures_and_bad_lines() {
    let d = scratch("cli-verify");
    let f = d.join("mixed.py");
    std::fs::write(
        &f,
        "def solve_68b16354(I):\n    O = hmirror(I)\n    return O\n\n\
         def solve_6150a2bd(I):\n    O = rot90(I)\n    return O\n\n\
         def solve_a416b8f3(I):\n    O = hconcat(I, I, I)\n    return O\n",
    )
    .unwrap();
    let o = batt(&["verify", "--solvers", f.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.contains("68b16354  pass  train [ok ok ok]  test [ok]"), "{out}");
    assert!(out.contains("6150a2bd  FAIL  train [FAIL FAIL]  test [FAIL]"), "{out}");
    assert!(out.trim_end().ends_with("1 of 2 tasks solved"), "{out}");
    assert!(err.contains("mixed.py:10: in solve_a416b8f3: `hconcat` takes 2 arguments, got 3"), "{err}");

    let o = batt(&["verify", "--solvers", f.to_str().unwrap(), "--json"]);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(j["tasks_solved"], 1);
    assert_eq!(j["tasks_with_solver"], 2);
    assert_eq!(j["solvers"][1]["pairs"][0]["ok"], false);
}
