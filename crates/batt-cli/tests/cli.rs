//! The `batt` command end to end: exit codes, summaries and error lines.

mod common;

use common::{batt, root, scratch, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[test]
fn tasks_reports_the_shipped_data() {
    let o = batt(&["tasks", "data/arc-agi-1/training"]);
    let (out, _) = text(&o);
    assert!(o.status.success());
    assert!(out.contains("400 tasks loaded"), "{out}");
    // the Kaggle layout, as a file and as its directory
    for path in ["data/arc-agi-1/kaggle/arc-agi_training_challenges.json", "data/arc-agi-1/kaggle"] {
        let o = batt(&["tasks", path]);
        let (out, err) = text(&o);
        assert!(o.status.success(), "{path}: {out}\n{err}");
        assert!(out.contains("400 tasks loaded") && out.contains("400 tasks with test outputs"), "{out}");
    }
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

/// Programs that pass values of other shapes than arc-dsl's annotations name (`astuple` of
/// grids, functions, pairs and sets of objects, `box` of a tuple of locations, `valmax` read as
/// a pair, ...) load without errors and give, on every pair, the outputs derived by hand from
/// arc-dsl's dsl.py.
#[test]
fn verify_runs_programs_on_every_shape_python_accepts() {
    let dir = "crates/batt-cli/tests/shapes";
    let o = batt(&["verify", "--solvers", &format!("{dir}/solvers.py"), "--tasks", &format!("{dir}/tasks")]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(err.trim().is_empty(), "{err}");
    assert!(out.trim_end().ends_with("5 of 5 tasks solved"), "{out}");
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

/// The Kaggle score recomputed from the written files alone: per task the fraction of test
/// outputs that either attempt gets exactly right, averaged over tasks.
fn kaggle_score(submission: &serde_json::Value, solutions: &serde_json::Value) -> (f64, usize) {
    let sub = submission.as_object().expect("submission is a map of task ids");
    let mut points = 0.0;
    for (id, attempts) in sub {
        let want = solutions[id].as_array().expect("solutions for every task");
        let got = attempts.as_array().expect("a list per task");
        assert_eq!(got.len(), want.len(), "one entry per test input of {id}");
        let right = got.iter().zip(want).filter(|(a, w)| a["attempt_1"] == **w || a["attempt_2"] == **w).count();
        points += right as f64 / want.len() as f64;
    }
    (points / sub.len() as f64, sub.len())
}

#[test]
fn run_writes_a_valid_submission_whose_score_is_right() {
    let d = scratch("cli-run");
    let (lib, sub) = (d.join("library"), d.join("submission.json"));
    let args = [
        "run",
        "--tasks",
        "data/arc-agi-1/kaggle/arc-agi_training_challenges.json",
        "--solvers",
        "solvers",
        "-s",
        "10",
        "-c",
        "60",
        "--library",
        lib.to_str().unwrap(),
        "--output",
        sub.to_str().unwrap(),
        "--json",
    ];
    let o = batt(&args);
    assert!(o.status.success(), "{}", text(&o).1);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON summary");
    let submission: serde_json::Value = serde_json::from_slice(&std::fs::read(&sub).unwrap()).unwrap();
    let solutions: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("data/arc-agi-1/kaggle/arc-agi_training_solutions.json")).unwrap(),
    )
    .unwrap();
    // every selected task is present, with grids as attempts
    assert_eq!(submission.as_object().unwrap().len(), 60);
    for attempts in submission.as_object().unwrap().values() {
        for a in attempts.as_array().unwrap() {
            for k in ["attempt_1", "attempt_2"] {
                let g = a[k].as_array().expect("a grid");
                assert!(!g.is_empty() && g.iter().all(|r| r.as_array().is_some_and(|r| !r.is_empty())));
            }
        }
    }
    let (score, n) = kaggle_score(&submission, &solutions);
    assert_eq!(n, 60);
    let printed = report["score"]["score"].as_f64().expect("a score: the test outputs are known");
    assert!((printed - score).abs() < 1e-9, "printed {printed}, recomputed {score}");
    let solved = report["tasks_solved"].as_u64().unwrap();
    assert!(solved > 0 && score > 0.0);

    // the library holds what was found; verify replays it, and a second run adds nothing
    let o = batt(&["verify", "--solvers", lib.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o).0);
    assert!(text(&o).0.trim_end().ends_with(&format!("{solved} of {solved} tasks solved")), "{}", text(&o).0);
    let again = batt(&args);
    let report2: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(report2["new_solvers"], 0);
    assert_eq!(report2["tasks_solved"], solved);
}

#[test]
fn an_interrupted_run_keeps_whole_library_files() {
    let d = scratch("cli-interrupt");
    let lib = d.join("library");
    let mut child = Command::new(env!("CARGO_BIN_EXE_batt"))
        .args(["run", "--solvers", "solvers", "--threads", "1", "--batch-size", "1", "--library"])
        .arg(&lib)
        .arg("--output")
        .arg(d.join("submission.json"))
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // wait for the first solver file, then stop the run
    let start = std::time::Instant::now();
    let written = |lib: &Path| {
        std::fs::read_dir(lib)
            .map(|r| r.filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "py"))).count())
            .unwrap_or(0)
    };
    while written(&lib) == 0 && start.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert!(written(&lib) > 0, "the run wrote nothing before it was stopped");
    // whatever was written is whole: every file parses and its solvers pass
    let o = batt(&["verify", "--solvers", lib.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let leftovers: Vec<_> = std::fs::read_dir(&lib)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().ends_with(".py"))
        .map(|e| e.file_name())
        .collect();
    // a temporary file or a lock may be left by the kill, never a truncated .py
    assert!(
        leftovers.iter().all(|n| n.to_string_lossy().contains(".tmp-") || n.to_string_lossy().ends_with(".lock")),
        "{leftovers:?}"
    );
}

#[test]
fn solve_from_an_empty_library_finds_solvers_that_verify_confirms() {
    let d = scratch("cli-solve");
    let (lib, sub) = (d.join("library"), d.join("submission.json"));
    let o = batt(&[
        "solve",
        "-c",
        "24",
        "--time-budget",
        "6",
        "--library",
        lib.to_str().unwrap(),
        "--output",
        sub.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", text(&o).1);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON summary");
    assert!(report["tasks_solved"].as_u64().unwrap() > 0, "{report}");
    assert!(report["enumeration"]["applications"].as_u64().unwrap() > 0);
    // every solver it kept replays on its task's demo pairs (a test output may differ: a
    // solver is defined by the demo pairs, and some do not generalise)
    let o = batt(&["verify", "--solvers", lib.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(0), "{v}");
    let solvers = v["solvers"].as_array().unwrap();
    assert!(!solvers.is_empty());
    for s in solvers {
        for p in s["pairs"].as_array().unwrap().iter().filter(|p| p["split"] == "train") {
            assert_eq!(p["ok"], true, "{s}");
        }
    }
    // one entry per task with two grids per test input
    let submission: serde_json::Value = serde_json::from_slice(&std::fs::read(&sub).unwrap()).unwrap();
    let m = submission.as_object().unwrap();
    assert_eq!(m.len(), 24);
    assert!(m
        .values()
        .all(|v| v.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(|x| x["attempt_2"].is_array()))));
}

/// `batt run` on a few tasks with `--backend` and extra environment; the summary as JSON.
fn run_backend(name: &str, backend: &str, env: &[(&str, &str)]) -> (Output, serde_json::Value) {
    let d = scratch(name);
    let lib = d.join("lib");
    let sub = d.join("submission.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_batt"));
    cmd.args(["run", "--solvers", "solvers", "-c", "12", "--json", "--backend", backend, "--library"])
        .arg(&lib)
        .arg("-o")
        .arg(&sub)
        .current_dir(root())
        // as on a machine without a desktop session: nothing may probe for a display
        .env_remove("XDG_RUNTIME_DIR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("batt runs");
    let j = serde_json::from_slice(&o.stdout).unwrap_or(serde_json::Value::Null);
    (o, j)
}

/// The Vulkan loader finds no driver with these (as on a machine without any).
const NO_VULKAN: [(&str, &str); 2] =
    [("VK_ICD_FILENAMES", "/nonexistent/icd.json"), ("VK_DRIVER_FILES", "/nonexistent/icd.json")];

#[test]
fn backend_auto_runs_on_the_cpu_without_a_vulkan_driver() {
    let (o, j) = run_backend("cli-auto", "auto", &NO_VULKAN);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(!err.contains("error"), "{err}");
    assert_eq!(j["backend"], format!("cpu{}", cpu_suffix()), "{out}");
    let (o, cpu) = run_backend("cli-cpu", "cpu", &[]);
    assert!(o.status.success());
    assert_eq!(j["tasks_solved"], cpu["tasks_solved"]);
    assert_eq!(j["node_evals"], cpu["node_evals"]);
}

/// How the CPU workers are described (`cpu`, or `cpu × n` with several threads).
fn cpu_suffix() -> String {
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    if n == 1 {
        String::new()
    } else {
        format!(" × {n}")
    }
}

#[test]
fn backend_gpu_without_an_adapter_is_a_clear_error() {
    let (o, _) = run_backend("cli-gpu-none", "gpu", &NO_VULKAN);
    let (_, err) = text(&o);
    assert!(!o.status.success());
    let why = if cfg!(feature = "gpu") { "no Vulkan adapter found" } else { "built without the `gpu` feature" };
    assert!(err.contains(why), "{err}");
}

/// With a Vulkan adapter (lavapipe in CI), `--backend gpu` gives what the CPU gives.
#[cfg(feature = "gpu")]
#[test]
fn backend_gpu_gives_the_cpu_results() {
    let (o, g) = run_backend("cli-gpu", "gpu", &[]);
    let (out, err) = text(&o);
    if !o.status.success() && err.contains("no Vulkan adapter found") {
        let required = std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| !v.is_empty() && v != "0");
        assert!(!required, "BATT_REQUIRE_GPU is set but no adapter was found: {err}");
        eprintln!("note: no Vulkan adapter; GPU run skipped");
        return;
    }
    assert!(o.status.success(), "{out}\n{err}");
    // a successful run prints no error line (Mesa's device-select layer used to print two)
    assert!(!err.contains("error"), "{err}");
    let (_, c) = run_backend("cli-gpu-cpu", "cpu", &[]);
    assert!(g["backend"].as_str().is_some_and(|b| b.starts_with("gpu")), "{out}");
    for k in ["tasks_solved", "node_evals", "score", "per_task"] {
        assert_eq!(g[k], c[k], "{k}");
    }
}

/// A solver of `lines` chained `rot90` lines: lines 3, 7, 11, ... solve ed36ccf7.
fn rot90_chain(dir: &Path, lines: usize) -> PathBuf {
    let mut s = String::from("def solve_ed36ccf7(I):\n    x0 = rot90(I)\n");
    for k in 1..lines {
        s.push_str(&format!("    x{k} = rot90(x{})\n", k - 1));
    }
    s.push_str(&format!("    return x{}\n", lines - 1));
    let f = dir.join(format!("chain{lines}.py"));
    std::fs::write(&f, s).unwrap();
    f
}

#[test]
fn run_memory_is_linear_in_a_solvers_length() {
    let d = scratch("cli-chain");
    let f = rot90_chain(&d, 6000);
    let lib = d.join("lib");
    let sub = d.join("submission.json");
    let o = batt(&[
        "run",
        "--solvers",
        f.to_str().unwrap(),
        "-i",
        "ed36ccf7",
        "--library",
        lib.to_str().unwrap(),
        "-o",
        sub.to_str().unwrap(),
        "--threads",
        "1",
        "--backend",
        "cpu",
        "--json",
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["tasks_solved"], 1);
    // 1,500 solver nodes with slices up to 6,000 lines: slicing them all took 386 MiB
    let peak = j["peak_memory_mib"].as_f64().unwrap();
    assert!(peak < 100.0, "peak memory {peak} MiB");
    // the solvers kept are the shortest slices: three rotations, then seven
    let kept = std::fs::read_to_string(lib.join("ed36ccf7.py")).unwrap();
    assert!(
        kept.starts_with("def solve_ed36ccf7(I):\n    x1 = rot90(I)\n    x2 = rot90(x1)\n    O = rot90(x2)\n"),
        "{kept}"
    );
}

#[test]
fn option_values_are_checked_never_a_panic() {
    let bad: &[&[&str]] = &[
        &["solve", "--time-budget", "NaN"],
        &["solve", "--time-budget", "inf"],
        &["solve", "--time-budget", "1e308"],
        &["solve", "--time-budget", "-5"],
        &["solve", "--time-per-task", "1e300"],
        &["solve", "--enumerate-share", "-1"],
        &["solve", "--enumerate-share", "NaN"],
        &["solve", "--depth", "0"],
        &["evolve", "--time-budget", "NaN"],
        &["evolve", "--time-budget", "-5"],
        &["evolve", "--time-budget", "1e308"],
        &["run", "--threads", "0"],
        &["run", "--keep", "0"],
        &["run", "--batch-size", "0"],
        &["run", "--memory-mib", "0"],
        &["bench", "replay", "--secs", "inf"],
    ];
    for args in bad {
        let o = batt(args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("invalid value") && err.contains(args[args.len() - 1]), "{args:?}: {err}");
    }
}

#[test]
fn task_ids_never_become_paths_outside_the_library() {
    let d = scratch("cli-ids");
    let task: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("data/arc-agi-1/training/3c9b0459.json")).unwrap())
            .unwrap();
    let ids = ["../escaped", "", "sub/x", "goodid01"];
    let map: serde_json::Map<String, serde_json::Value> = ids.iter().map(|id| (id.to_string(), task.clone())).collect();
    let work = d.join("work");
    std::fs::create_dir_all(&work).unwrap();
    let ch = work.join("t_challenges.json");
    std::fs::write(&ch, serde_json::Value::Object(map).to_string()).unwrap();
    let solver = d.join("s.py");
    std::fs::write(&solver, "def solve_x(I):\n    O = rot180(I)\n    return O\n").unwrap();
    let lib = work.join("lib");
    let o = batt(&[
        "run",
        "--tasks",
        ch.to_str().unwrap(),
        "--solvers",
        solver.to_str().unwrap(),
        "--library",
        lib.to_str().unwrap(),
        "-o",
        work.join("sub.json").to_str().unwrap(),
        "--backend",
        "cpu",
    ]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    for bad in &ids[..3] {
        assert!(err.contains(&format!("task {bad}: invalid task id")), "{bad:?}: {err}");
    }
    let files: Vec<_> = std::fs::read_dir(&lib).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, ["goodid01.py"]);
    assert!(!d.join("escaped.py").exists() && !work.join("escaped.py").exists());
}

#[test]
fn output_paths_are_checked_first_and_written_through() {
    let d = scratch("cli-output");
    let lib = d.join("lib");
    let args = |out: &Path| -> Vec<String> {
        ["run", "--solvers", "solvers", "-i", "3c9b0459", "--backend", "cpu", "--library", lib.to_str().unwrap()]
            .iter()
            .map(|s| s.to_string())
            .chain(["-o".to_string(), out.display().to_string()])
            .collect()
    };
    let run = |a: Vec<String>| batt(&a.iter().map(String::as_str).collect::<Vec<_>>());
    // a symbolic link is written through, not replaced
    let real = d.join("real.json");
    std::fs::write(&real, "old").unwrap();
    let link = d.join("link.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let o = run(args(&link));
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("{\"3c9b0459\""));
    // a directory is refused before any work: solve does not spend its budget first
    let dir = d.join("outdir");
    std::fs::create_dir_all(&dir).unwrap();
    let t = std::time::Instant::now();
    let mut a = args(&dir);
    a[0] = "solve".into();
    a.splice(1..3, ["--time-budget".to_string(), "30".to_string()]);
    let o = run(a);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{out}\n{err}");
    assert!(err.contains("outdir: is a directory"), "{err}");
    assert!(t.elapsed().as_secs() < 15, "refused only after {:?}", t.elapsed());
    let left: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    // a pipe is written in place, not replaced by a regular file
    let fifo = d.join("pipe");
    if Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap_or_default())
        };
        let o = run(args(&fifo));
        assert!(o.status.success(), "{:?}", text(&o));
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe was replaced");
        assert!(reader.join().unwrap().starts_with("{\"3c9b0459\""));
    }
}

#[test]
fn verify_with_nothing_to_verify_fails() {
    let d = scratch("cli-verify-nothing");
    // an empty directory, and a file whose solvers are for tasks that are not loaded
    let other = d.join("other.py");
    std::fs::write(&other, "def solve_nosuchtask(I):\n    O = rot90(I)\n    return O\n").unwrap();
    let empty = d.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for (path, why) in [(&empty, "nothing verified"), (&other, "no task `nosuchtask`")] {
        let o = batt(&["verify", "--solvers", path.to_str().unwrap()]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{path:?}: {out}\n{err}");
        assert!(err.contains("nothing verified: no solver of a loaded task in") && err.contains(why), "{err}");
        let o = batt(&["verify", "--solvers", path.to_str().unwrap(), "--json"]);
        assert_eq!(o.status.code(), Some(1));
        let j: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON report");
        assert!(
            j["errors"].as_array().unwrap().iter().any(|e| e.as_str().unwrap().starts_with("nothing verified")),
            "{j}"
        );
    }
}

/// A task `hog01` in `dir/tasks`, and a solver of it whose lines build `lines` sets of 65,536
/// locations each (256 KiB), all held to the end of the run.
fn memory_hog(dir: &Path, lines: usize) -> PathBuf {
    std::fs::create_dir_all(dir.join("tasks")).unwrap();
    let pair = r#"{"input": [[1, 2]], "output": [[2, 1]]}"#;
    std::fs::write(dir.join("tasks/hog01.json"), format!(r#"{{"train": [{pair}], "test": [{pair}]}}"#)).unwrap();
    let mut s = String::from("def solve_hog01(I):\n    t0 = astuple(I, I)\n");
    for k in 1..=lines {
        // a distinct square of 256 × 256 locations on each line
        let (a, b) = ((k % 25) as i32 * 10 - 250, (k / 25) as i32 * 10 - 250);
        let p = k - 1;
        s.push_str(&format!(
            "    a{k} = interval({a}, {}, 1)\n    b{k} = interval({b}, {}, 1)\n    p{k} = product(a{k}, b{k})\n    t{k} = astuple(t{p}, p{k})\n",
            a + 256,
            b + 256
        ));
    }
    s.push_str("    O = vmirror(I)\n    return O\n");
    let f = dir.join("hog.py");
    std::fs::write(&f, s).unwrap();
    f
}

#[test]
fn past_its_memory_cap_the_process_stops_with_a_clear_message() {
    let d = scratch("cli-memory-cap");
    // 100 MiB of values
    let hog = memory_hog(&d, 400);
    let tasks = d.join("tasks");
    let args = |mib: &'static str| {
        let (hog, tasks) = (hog.to_str().unwrap(), tasks.to_str().unwrap());
        ["verify", "--solvers", hog, "--tasks", tasks, "--steps", "100000000", "--memory-mib", mib]
    };
    let o = batt(&args("64"));
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(err.contains("batt: out of memory: the process went past its cap of --memory-mib 64"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("memory allocation of"), "{err}");
    // the same with room enough
    let o = batt(&args("1024"));
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.trim_end().ends_with("1 of 1 tasks solved"), "{out}");
}

/// A task file of `pairs` demo pairs of 30 × 30 grids (about 3.7 KB of JSON a pair).
fn big_task(path: &Path, pairs: usize) {
    let row: Vec<String> = (0..30).map(|j| (j % 10).to_string()).collect();
    let grid = format!("[{}]", vec![format!("[{}]", row.join(", ")); 30].join(", "));
    let pair = format!(r#"{{"input": {grid}, "output": {grid}}}"#);
    let train = vec![pair.as_str(); pairs].join(", ");
    std::fs::write(path, format!(r#"{{"train": [{train}], "test": [{{"input": {grid}}}]}}"#)).unwrap();
}

#[test]
fn every_command_takes_a_memory_cap_and_a_run_past_it_loses_nothing() {
    for cmd in [
        &["tasks"][..],
        &["run"],
        &["evolve"],
        &["solve"],
        &["card"],
        &["prims"],
        &["verify", "--solvers", "solvers"],
        &["bench", "solve"],
        &["bench", "battery"],
        &["bench", "kernels"],
        &["bench", "replay"],
    ] {
        let mut args = cmd.to_vec();
        args.extend(["--memory-mib", "0"]);
        let o = batt(&args);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("invalid value '0' for '--memory-mib"), "{args:?}: {err}");
    }
    let o = batt(&["prims", "--memory-mib", "64"]);
    assert!(o.status.success(), "{}", text(&o).1);

    let d = scratch("cli-memory-run");
    let tasks = d.join("tasks");
    std::fs::create_dir_all(&tasks).unwrap();
    // 24 MB of JSON: the loader holds it and its grids, well within 64 MiB
    big_task(&tasks.join("big01.json"), 6500);
    let o = batt(&["tasks", tasks.to_str().unwrap(), "--memory-mib", "64"]);
    let (out, err) = text(&o);
    assert!(o.status.success(), "{out}\n{err}");
    assert!(out.contains("1 tasks loaded") && out.contains("6500 demo pairs"), "{out}");
    // a run that cannot hold it: stopped with the message; the library as it was, no
    // temporary or lock file left, no submission written
    let lib = d.join("lib");
    std::fs::create_dir_all(&lib).unwrap();
    let kept = "# mine\ndef solve_big01(I):\n    O = identity(I)\n    return O\n";
    std::fs::write(lib.join("big01.py"), kept).unwrap();
    let sub = d.join("out/submission.json");
    let solver = d.join("s.py");
    std::fs::write(&solver, "def solve_big01(I):\n    O = rot180(I)\n    return O\n").unwrap();
    let (t, l, s, o) =
        (tasks.to_str().unwrap(), lib.to_str().unwrap(), solver.to_str().unwrap(), sub.to_str().unwrap());
    let o = batt(&["run", "--tasks", t, "--solvers", s, "--library", l, "-o", o, "--memory-mib", "16"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(err.contains("out of memory: the process went past its cap of --memory-mib 16"), "{err}");
    assert_eq!(std::fs::read_to_string(lib.join("big01.py")).unwrap(), kept);
    for dir in [&lib, &d.join("out")] {
        let names: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert!(names.iter().all(|n| !n.starts_with('.')), "{dir:?}: {names:?}");
    }
    assert!(!sub.exists());
}
