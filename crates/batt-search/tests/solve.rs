//! The search as a library call: a stop asked from another thread ends it long before its
//! deadline.

use batt_dsl::task;
use batt_engine::{EvalConfig, Library, Stop};
use batt_search::solve::{solve, SolveConfig, SolveError};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[test]
fn a_stop_ends_a_search_long_before_its_deadline() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1/training");
    let tasks: Vec<task::Task> = task::load(&dir).tasks.into_iter().take(40).collect();
    let lib_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("solve-stop-library");
    let _ = std::fs::remove_dir_all(&lib_dir);
    let library = Library::new(&lib_dir, 4);
    let stop = Stop::new();
    let cfg = SolveConfig {
        eval: EvalConfig { threads: 2, stop: stop.clone(), ..EvalConfig::default() },
        ..SolveConfig::default()
    };
    let start = Instant::now();
    let r = std::thread::scope(|s| {
        s.spawn(|| {
            std::thread::sleep(Duration::from_millis(500));
            stop.stop();
        });
        solve(&tasks, &library, &cfg, start + Duration::from_secs(600), &|_| {})
    });
    let secs = start.elapsed().as_secs_f64();
    assert!(matches!(r, Err(SolveError::Stopped)), "{:?}", r.err());
    assert!(secs < 60.0, "stopped after {secs:.1} s");
    // a stop asked before the call: nothing runs
    let t = Instant::now();
    assert!(matches!(
        solve(&tasks, &library, &cfg, Instant::now() + Duration::from_secs(600), &|_| {}),
        Err(SolveError::Stopped)
    ));
    assert!(t.elapsed() < Duration::from_secs(30));
    let _ = std::fs::remove_dir_all(&lib_dir);
}

/// A deadline that has passed before the first generation ends it at once; every task still
/// gets its predictions, those with solvers in the library from those solvers.
#[test]
fn a_deadline_cut_generation_still_predicts_every_task() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/arc-agi-1/training");
    let tasks: Vec<task::Task> = task::load(&dir).tasks.into_iter().take(60).collect();
    let lib_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("solve-cut-library");
    let _ = std::fs::remove_dir_all(&lib_dir);
    let library = Library::new(&lib_dir, 4);
    // the shipped solvers of these tasks, kept in the library beforehand
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../solvers/training.py");
    let mut kept = 0;
    for p in batt_prog::parse_file(&shipped).programs {
        if tasks.iter().any(|t| t.id == p.program.name) {
            kept += library.add(&p.program.name.clone(), &[p.program]).unwrap();
        }
    }
    assert!(kept >= 5, "{kept} shipped solvers among the first tasks");
    let cfg = SolveConfig { eval: EvalConfig { threads: 2, ..EvalConfig::default() }, ..SolveConfig::default() };
    let start = Instant::now();
    let out = solve(&tasks, &library, &cfg, start, &|_| {}).expect("a search that ran out of time still predicts");
    assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
    assert!(out.eval.tasks.len() < tasks.len(), "the generation was cut");
    let ids: Vec<&str> = out.predictions.iter().map(|p| p.task.as_str()).collect();
    assert_eq!(ids, tasks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), "every task, in order");
    let right = batt_engine::submission::score(&out.predictions, &tasks).expect("known outputs");
    assert!(right.outputs_right >= kept.min(5), "{} right with {kept} solvers kept", right.outputs_right);
    let _ = std::fs::remove_dir_all(&lib_dir);
}
