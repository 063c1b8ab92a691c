//! Loading ARC tasks from the three layouts, with bad files reported and skipped.

use batt_dsl::task::{load, load_kaggle, Place};
use std::path::{Path, PathBuf};

fn shipped() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1")
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn shipped_training_set_loads_400_tasks() {
    let l = load(&shipped().join("training"));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.tasks.len(), 400);
    assert!(l.tasks.iter().all(|t| t.has_test_outputs()));
    let t = l.tasks.iter().find(|t| t.id == "007bbfb7").unwrap();
    assert_eq!((t.train[0].input.h(), t.train[0].output.h()), (3, 9));
}

#[test]
fn kaggle_layout_loads_with_solutions() {
    let dir = shipped().join("kaggle");
    let l = load(&dir.join("arc-agi_training_challenges.json"));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.tasks.len(), 400);
    assert!(l.tasks.iter().all(|t| t.has_test_outputs()));
    // the same tasks as the per-file layout
    let files = load(&shipped().join("training"));
    assert_eq!(files.tasks, l.tasks);
    // without solutions, test outputs are unknown
    let bare = load_kaggle(&dir.join("arc-agi_training_challenges.json"), None);
    assert_eq!(bare.tasks.len(), 400);
    assert!(bare.tasks.iter().all(|t| t.test.iter().all(|x| x.output.is_none())));
}

#[test]
fn a_malformed_file_is_reported_and_the_rest_load() {
    let d = scratch("malformed");
    let good = r#"{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]], "output": [[4]]}]}"#;
    std::fs::write(d.join("aaa.json"), good).unwrap();
    std::fs::write(d.join("bbb.json"), "{\"train\": [").unwrap();
    std::fs::write(
        d.join("ccc.json"),
        r#"{"train": [{"input": [[1]], "output": [[2]]}, {"input": [[1, 2], [3]], "output": [[2]]}], "test": [{"input": [[3]]}]}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("ddd.json"),
        r#"{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[12]]}]}"#,
    )
    .unwrap();
    std::fs::write(d.join("notes.txt"), "not a task").unwrap();
    let l = load(&d);
    assert_eq!(l.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["aaa"]);
    assert_eq!(l.errors.len(), 3);
    let msgs: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
    assert!(msgs[0].contains("bbb.json") && msgs[0].contains("invalid JSON"), "{}", msgs[0]);
    assert_eq!(l.errors[1].task.as_deref(), Some("ccc"));
    assert_eq!(l.errors[1].pair, Some(Place::Train(1)));
    assert!(msgs[1].contains("train pair 1: input: ragged"), "{}", msgs[1]);
    assert_eq!(l.errors[2].pair, Some(Place::Test(0)));
    assert!(msgs[2].contains("cell (0, 0) is 12"), "{}", msgs[2]);
}

#[test]
fn single_file_and_kaggle_errors() {
    let d = scratch("kaggle-bad");
    let f = d.join("one.json");
    std::fs::write(&f, r#"{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}"#).unwrap();
    let l = load(&f);
    assert_eq!(l.tasks.len(), 1);
    assert_eq!(l.tasks[0].id, "one");

    let ch = d.join("x_challenges.json");
    std::fs::write(
        &ch,
        r#"{"t1": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]},
            "t2": {"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}, {"input": [[4]]}]},
            "t3": {"train": [], "test": [{"input": [[3]]}]}}"#,
    )
    .unwrap();
    std::fs::write(d.join("x_solutions.json"), r#"{"t1": [[[5]]], "t2": [[[5]]]}"#).unwrap();
    let l = load(&ch);
    assert_eq!(l.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
    assert!(l.tasks[0].has_test_outputs());
    assert!(!l.tasks[1].has_test_outputs());
    let msgs: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("task t3") && m.contains("no train pairs")), "{msgs:?}");
    assert!(msgs.iter().any(|m| m.contains("x_solutions.json: task t2: 1 solutions for 2 test inputs")), "{msgs:?}");

    let missing = load(&d.join("nope.json"));
    assert!(missing.tasks.is_empty());
    assert!(missing.errors[0].to_string().contains("nope.json"));
}

#[test]
fn task_ids_that_are_not_names_are_reported_and_the_rest_load() {
    let d = scratch("kaggle-ids");
    let task = r#"{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}"#;
    let ch = d.join("ids_challenges.json");
    let ids = ["../../x", "/abs/x", "", "sub/x", "a.b", "ok-1_A", "0a1b2c3d"];
    let body: Vec<String> = ids.iter().map(|id| format!("{}: {task}", serde_json::json!(id))).collect();
    std::fs::write(&ch, format!("{{{}}}", body.join(", "))).unwrap();
    let l = load(&ch);
    assert_eq!(l.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["0a1b2c3d", "ok-1_A"]);
    assert_eq!(l.errors.len(), 5, "{:?}", l.errors);
    for bad in &ids[..5] {
        let e = l.errors.iter().find(|e| e.task.as_deref() == Some(*bad)).expect("each bad id is named");
        assert!(e.reason.starts_with("invalid task id"), "{e}");
    }
    // a per-task file whose name is not an id
    let d = d.join("files");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("x y.json"), task).unwrap();
    std::fs::write(d.join("good.json"), task).unwrap();
    let l = load(&d);
    assert_eq!(l.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["good"]);
    assert!(l.errors.iter().any(|e| e.task.as_deref() == Some("x y") && e.reason.contains("invalid task id")));
}

#[test]
fn a_solutions_file_gives_any_loaded_tasks_their_test_outputs() {
    let d = scratch("add-solutions");
    let bare = load_kaggle(&shipped().join("kaggle/arc-agi_training_challenges.json"), None);
    let mut l = batt_dsl::task::Loaded { tasks: bare.tasks, errors: vec![] };
    batt_dsl::task::add_solutions(&mut l, &shipped().join("kaggle/arc-agi_training_solutions.json"));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.tasks, load(&shipped().join("training")).tasks, "the same tasks as the files with outputs");

    // a task the file lacks, and one whose list does not fit, keep what they had
    let mut files = load(&shipped().join("training"));
    files.tasks.truncate(2);
    let (a, b) = (files.tasks[0].id.clone(), files.tasks[1].id.clone());
    let sol = d.join("s.json");
    std::fs::write(&sol, format!(r#"{{"{a}": [[[1]], [[2]]]}}"#)).unwrap();
    let before = files.tasks.clone();
    batt_dsl::task::add_solutions(&mut files, &sol);
    assert_eq!(files.tasks, before);
    let errors: Vec<String> = files.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains(&format!("s.json: task {a}: 2 solutions for 1 test inputs")), "{errors:?}");
    assert!(errors[1].contains(&format!("s.json: task {b}: no solutions for this task")), "{errors:?}");
}

#[test]
fn any_grid_a_program_gives_parses_and_nothing_larger() {
    use batt_dsl::task::parse_any_grid;
    use serde_json::json;
    let g = parse_any_grid(&json!([vec![-1; 40], vec![127; 40]])).unwrap();
    assert_eq!((g.h(), g.w(), g.get(0, 0), g.get(1, 39)), (2, 40, -1, 127));
    assert!(parse_any_grid(&json!([[1], [1, 2]])).unwrap_err().contains("ragged"));
    assert!(parse_any_grid(&json!([[200]])).unwrap_err().contains("not a colour -128..127"));
    assert!(parse_any_grid(&json!(vec![vec![0; 100]; 100])).unwrap_err().contains("10000 cells (at most 4096)"));
    assert!(parse_any_grid(&json!(vec![vec![0; 1]; 256])).unwrap_err().contains("256 rows (at most 255)"));
    // an ARC grid stays 0..9 and 30 x 30
    assert!(batt_dsl::task::parse_grid(&json!([[-1]])).is_err());
}

#[test]
fn a_kaggle_directory_loads_its_challenges_with_their_solutions() {
    // the shipped directory holds the challenges, the solutions and a sample submission
    let l = load(&shipped().join("kaggle"));
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.tasks.len(), 400);
    assert_eq!(l.tasks, load(&shipped().join("training")).tasks);
    // two challenges files: which one is meant is not guessed
    let d = scratch("kaggle-two");
    let task = r#"{"train": [{"input": [[1]], "output": [[2]]}], "test": [{"input": [[3]]}]}"#;
    std::fs::write(d.join("a_challenges.json"), format!(r#"{{"t1": {task}}}"#)).unwrap();
    std::fs::write(d.join("b_challenges.json"), format!(r#"{{"t2": {task}}}"#)).unwrap();
    let l = load(&d);
    assert!(l.tasks.is_empty());
    let msgs: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("2 challenges files (a_challenges.json, b_challenges.json)"), "{msgs:?}");
}

#[test]
fn repeated_ids_and_stray_solutions_are_reported() {
    let d = scratch("kaggle-repeats");
    let task = |c: u8| format!(r#"{{"train": [{{"input": [[1]], "output": [[{c}]]}}], "test": [{{"input": [[3]]}}]}}"#);
    let ch = d.join("r_challenges.json");
    std::fs::write(&ch, format!(r#"{{"t1": {}, "t2": {}, "t1": {}, "t3": {}}}"#, task(1), task(2), task(3), task(4)))
        .unwrap();
    std::fs::write(d.join("r_solutions.json"), r#"{"t2": [[[5]]], "t3": [[[6]]], "t3": [[[7]]], "zz": [[[8]]]}"#)
        .unwrap();
    let l = load(&ch);
    // t1 is defined twice: neither copy is chosen silently
    assert_eq!(l.tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), ["t2", "t3"]);
    assert!(l.tasks[0].has_test_outputs());
    // t3's solutions are given twice: none is used
    assert!(!l.tasks[1].has_test_outputs());
    let msgs: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
    let has = |s: &str| msgs.iter().any(|m| m.contains(s));
    assert!(has("r_challenges.json: task t1: appears 2 times in this file"), "{msgs:?}");
    assert!(has("r_solutions.json: task t3: appears 2 times in this file"), "{msgs:?}");
    assert!(has("r_solutions.json: task zz: solutions for a task that is not in"), "{msgs:?}");
    assert!(has("r_solutions.json: task t3: no solutions for this task"), "{msgs:?}");
    assert_eq!(msgs.len(), 4, "{msgs:?}");
    // the solutions file named instead of the challenges
    let l = load(&d.join("r_solutions.json"));
    assert!(l.tasks.is_empty());
    assert!(l.errors[0].to_string().contains("r_solutions.json: a Kaggle solutions file holds no tasks"));
}

#[test]
fn a_task_file_is_named_in_its_errors_whatever_is_missing() {
    let d = scratch("task-kinds");
    let cases = [
        // no "train": the file's own task is blamed, not a task named "test"
        ("notrain", r#"{"test": [{"input": [[1]]}]}"#, "task notrain: missing \"train\" list"),
        ("trainnum", r#"{"train": 5, "test": [{"input": [[1]]}]}"#, "\"train\" must be a list of pairs, found 5"),
        (
            "pairnum",
            r#"{"train": [{"input": [[1]], "output": [[1]]}, 7], "test": [{"input": [[1]]}]}"#,
            "train pair 1: expected a pair object, found 7",
        ),
        (
            "cellstr",
            r#"{"train": [{"input": [[1, "a"]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
            "cell (0, 1) is \"a\"",
        ),
        (
            "cellf",
            r#"{"train": [{"input": [[1], [2.5]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
            "cell (1, 0) is 2.5",
        ),
        (
            "celllist",
            r#"{"train": [{"input": [[[1]]], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
            "cell (0, 0) is a list",
        ),
        (
            "rownum",
            r#"{"train": [{"input": [[1], 2], "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
            "input: row 1 is not a list",
        ),
        (
            "gridnull",
            r#"{"train": [{"input": null, "output": [[1]]}], "test": [{"input": [[1]]}]}"#,
            "input: a grid must be a list of rows",
        ),
        ("empty", "{}", "no tasks found"),
        (
            "list",
            "[1, 2]",
            "expected a task object with \"train\" or a map of task ids (Kaggle challenges), found a list",
        ),
        ("trailing", r#"{"train": []} x"#, "invalid JSON: trailing characters"),
    ];
    for (name, body, want) in cases {
        let f = d.join(format!("{name}.json"));
        std::fs::write(&f, body).unwrap();
        let l = load(&f);
        assert!(l.tasks.is_empty(), "{name}");
        let msgs: Vec<String> = l.errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 1, "{name}: {msgs:?}");
        assert!(msgs[0].starts_with(&f.display().to_string()) && msgs[0].contains(want), "{name}: {msgs:?}");
    }
    // a test output may be null (unknown)
    let f = d.join("nullout.json");
    std::fs::write(&f, r#"{"train": [{"input": [[1]], "output": [[1]]}], "test": [{"input": [[1]], "output": null}]}"#)
        .unwrap();
    let l = load(&f);
    assert!(l.errors.is_empty() && !l.tasks[0].has_test_outputs(), "{:?}", l.errors);
    // in a directory, an empty file is reported and the rest load
    let l = load(&d);
    assert_eq!(l.tasks.len(), 1);
    assert!(l.errors.iter().any(|e| e.to_string().ends_with("empty.json: no tasks found")), "{:?}", l.errors);
    // an empty directory
    let e = d.join("nothing");
    std::fs::create_dir_all(&e).unwrap();
    assert!(load(&e).errors[0].to_string().ends_with("nothing: no tasks found"));
}
