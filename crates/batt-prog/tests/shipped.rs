//! The shipped solvers: they load without a problem, survive print → parse unchanged, and
//! solve every pair of their tasks.

use batt_dsl::task;
use batt_prog::verify::verify;
use batt_prog::{parse_file, parse_str, print};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn shipped_solvers_round_trip_and_pass() {
    let src = parse_file(&root().join("solvers/training.py"));
    assert!(src.errors.is_empty(), "{:#?}", src.errors);
    assert!(src.programs.len() >= 30, "only {} solvers", src.programs.len());

    for p in &src.programs {
        let text = print(&p.program);
        let again = parse_str(&text, "printed.py");
        assert!(again.errors.is_empty(), "{text}\n{:?}", again.errors);
        assert_eq!(again.programs.len(), 1);
        assert_eq!(again.programs[0].program, p.program, "{text}");
    }

    let tasks = task::load(&root().join("data/arc-agi-1/training"));
    let report = verify(&src.programs, &tasks.tasks, batt_dsl::func::DEFAULT_STEPS);
    let failing: Vec<String> = report
        .solvers
        .iter()
        .filter(|s| !s.passed)
        .map(|s| format!("{} {:?}", s.source, s.pairs.iter().filter(|r| r.ok != Some(true)).collect::<Vec<_>>()))
        .collect();
    assert!(failing.is_empty(), "{failing:#?}");
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.tasks_solved, src.programs.len());
    assert!(report.all_passed());
    // replaying nothing is not a pass
    assert!(!verify(&[], &tasks.tasks, batt_dsl::func::DEFAULT_STEPS).all_passed());
}
