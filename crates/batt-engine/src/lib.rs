//! batt-engine: a battery (many candidate programs as one deduplicated graph, see
//! [`batt_prog::battery`]) evaluated over the demo pairs of many tasks on the CPU or a GPU,
//! scores, predictions, the Kaggle submission and the library of solvers found.
//!
//! ```
//! use batt_dsl::task::{Example, Task};
//! use batt_dsl::Grid;
//! use batt_engine::{evaluate, Battery, EvalConfig, Operand};
//!
//! // a task whose output is its input turned upside down
//! let g = |cells: &[i8]| Grid::new(2, 2, cells.to_vec()).unwrap();
//! let train = vec![Example { input: g(&[1, 2, 3, 4]), output: g(&[3, 4, 1, 2]) }];
//! let tasks = vec![Task { id: "flip".into(), train, test: vec![] }];
//!
//! // two candidates merged into one battery, evaluated over every demo pair
//! let src = batt_prog::parse_str(
//!     "def solve_a(I):\n    O = hmirror(I)\n    return O\n\
//!      def solve_b(I):\n    O = vmirror(I)\n    return O\n",
//!     "candidates.py",
//! );
//! let mut battery = Battery::new();
//! for p in &src.programs {
//!     battery.add_program(&p.program);
//! }
//! let eval = evaluate(&battery, &tasks, &EvalConfig::default(), |_, _| {}).unwrap();
//! let Operand::Node(hmirror) = battery.candidates()[0].end else { unreachable!() };
//! assert_eq!(eval.tasks[0].solvers, vec![hmirror]);
//! // the solver's slice is the program to keep
//! assert_eq!(battery.slice(hmirror, "flip").lines.len(), 1);
//! ```

pub mod backend;
pub mod eval;
pub mod library;
pub mod pipeline;
pub mod predict;
pub mod score;
pub mod shard;
pub mod submission;
pub mod testing;

pub use backend::{Backend, BackendChoice, BackendError};
pub use batt_prog::battery::{Battery, NodeId, Operand};
pub use batt_prog::plan::Plan;
pub use eval::{candidate_scores, evaluate, EvalConfig, Evaluation, Stop, TaskScores, Totals};
pub use library::Library;
pub use predict::{predict, PredictConfig, TaskPrediction};
pub use shard::Shard;

/// Peak resident memory of this process, in MiB (Linux; `None` elsewhere).
pub fn peak_memory_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
