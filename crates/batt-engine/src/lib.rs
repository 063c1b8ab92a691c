//! batt-engine: the battery (many candidate programs as one deduplicated graph), its
//! evaluation over the demo pairs of many tasks, scores, predictions, the Kaggle submission
//! and the library of solvers found.

pub mod backend;
pub mod battery;
pub mod eval;
#[cfg(feature = "gpu")]
pub mod gpu;
pub mod library;
pub mod pipeline;
pub mod predict;
pub mod score;
pub mod shard;
pub mod submission;

pub use backend::{Backend, BackendChoice, BackendError};
pub use battery::{Battery, NodeId, Src};
pub use eval::{candidate_scores, evaluate, EvalConfig, Evaluation, Plan, Stop, TaskScores, Totals};
pub use library::Library;
pub use predict::{predict, PredictConfig, TaskPrediction};
pub use shard::Shard;

/// Peak resident memory of this process, in MiB (Linux; `None` elsewhere).
pub fn peak_memory_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
