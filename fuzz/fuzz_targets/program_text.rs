//! The bytes of a solver file through the parser and checker (every problem at a line of the
//! file), the printer (what prints parses back to itself), the interpreter (within its step
//! budget) and a battery over a shipped task, with its predictions; no panic.
#![no_main]

#[path = "../../crates/batt-engine/tests/common/cases.rs"]
mod cases;

use batt_dsl::task::Task;
use std::sync::OnceLock;

/// A shipped task (3c9b0459: turn the grid half a turn), the input of every program.
fn task() -> &'static Task {
    static TASK: OnceLock<Task> = OnceLock::new();
    TASK.get_or_init(|| {
        let bytes = include_bytes!("../../data/arc-agi-1/training/3c9b0459.json");
        let (mut tasks, _) = cases::task_file(bytes);
        tasks.pop().expect("the shipped task loads")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let t = task();
    let solvers = cases::solver_file(data, |_| vec![t]);
    if !solvers.programs.is_empty() {
        cases::battery(&solvers.programs, std::slice::from_ref(t), None);
    }
});
