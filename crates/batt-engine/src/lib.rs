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
