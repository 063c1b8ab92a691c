//! batt-engine: the battery (many candidate programs as one deduplicated graph), its
//! evaluation over the demo pairs of many tasks, scores, predictions, the Kaggle submission
//! and the library of solvers found.

pub mod battery;
pub mod eval;
pub mod library;
pub mod pipeline;
pub mod predict;
pub mod score;
pub mod submission;

pub use battery::{Battery, NodeId, Src};
pub use eval::{evaluate, EvalConfig, Evaluation, Plan, TaskScores};
pub use library::Library;
pub use predict::{predict, PredictConfig, TaskPrediction};
