//! `batt run`, `batt evolve` and `batt solve`: batteries of candidate programs over a set of
//! tasks, solvers into the library, predictions into a Kaggle submission.

use anyhow::{bail, Context, Result};
use batt_dsl::task::{self, Task};
use batt_engine::pipeline::{evaluate_and_keep, Kept};
use batt_engine::predict::TaskPrediction;
use batt_engine::submission::{score, write_submission, Score};
use batt_engine::{predict, Battery, EvalConfig, Evaluation, Library, Plan, PredictConfig};
use batt_prog::Parsed;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Which tasks, and where things go: what every battery command shares.
pub struct Common {
    pub tasks: PathBuf,
    pub ids: Vec<String>,
    pub start: usize,
    pub count: Option<usize>,
    pub library: PathBuf,
    pub keep: usize,
    pub output: PathBuf,
    pub eval: EvalConfig,
    pub json: bool,
    pub timing: bool,
}

/// Picks tasks by id, then `start` and `count`.
pub fn select(mut tasks: Vec<Task>, ids: &[String], start: usize, count: Option<usize>) -> Result<Vec<Task>> {
    if !ids.is_empty() {
        let missing: Vec<&String> = ids.iter().filter(|id| !tasks.iter().any(|t| &t.id == *id)).collect();
        if !missing.is_empty() {
            bail!(
                "no task {} among the loaded tasks",
                missing.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
            );
        }
        tasks.retain(|t| ids.contains(&t.id));
    }
    Ok(tasks.into_iter().skip(start).take(count.unwrap_or(usize::MAX)).collect())
}

/// Loads and selects the tasks; problems with some files are warnings.
pub fn load_tasks(c: &Common) -> Result<Vec<Task>> {
    let loaded = task::load(&c.tasks);
    for e in &loaded.errors {
        eprintln!("warning: {e}");
    }
    let tasks = select(loaded.tasks, &c.ids, c.start, c.count)?;
    if tasks.is_empty() {
        bail!("no tasks selected from {}", c.tasks.display());
    }
    Ok(tasks)
}

/// The programs of some solver files (problems are warnings).
pub fn load_programs(files: &[PathBuf]) -> Result<Vec<Parsed>> {
    let mut programs = vec![];
    for f in crate::solver_files(files)? {
        let src = batt_prog::parse_file(&f);
        for e in &src.errors {
            eprintln!("warning: {e}");
        }
        programs.extend(src.programs);
    }
    Ok(programs)
}

/// The library's programs (problems are warnings).
pub fn library_programs(lib: &Library) -> Vec<Parsed> {
    let l = lib.load();
    for e in &l.errors {
        eprintln!("warning: {e}");
    }
    l.programs
}

pub use batt_engine::peak_memory_mib;

/// A progress bar over `len` units (hidden when stderr is not a terminal).
pub fn bar(len: usize, unit: &str) -> ProgressBar {
    let b = ProgressBar::new(len as u64);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit}  {{msg}}");
    b.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    b
}

/// Times the phases of a command.
pub struct Phases {
    t: Instant,
    pub list: Vec<(String, Duration)>,
}

impl Phases {
    pub fn start() -> Phases {
        Phases { t: Instant::now(), list: vec![] }
    }
    pub fn lap(&mut self, name: &str) -> Duration {
        let d = self.t.elapsed();
        self.list.push((name.to_string(), d));
        self.t = Instant::now();
        d
    }
}

/// One battery pass with a progress bar.
pub fn pass(battery: &Battery, tasks: &[Task], c: &Common, library: &Library) -> Result<(Evaluation, Kept)> {
    let pairs: usize = tasks.iter().map(|t| t.train.len()).sum();
    let b = bar(pairs, "pairs");
    let r = evaluate_and_keep(battery, tasks, &c.eval, library, c.keep, |done, solved| {
        b.set_position(done as u64);
        b.set_message(format!("{solved} tasks solved"));
    })?;
    b.finish_and_clear();
    if r.0.dropped_values > 0 {
        eprintln!(
            "warning: {} node values were dropped (their nodes' readers are dead on those pairs): the battery's values went past their share of the memory cap, {} MiB (a quarter of --memory-mib)",
            r.0.dropped_values,
            c.eval.max_value_bytes >> 20
        );
    }
    Ok(r)
}

/// What a command's battery passes came to, for the summary.
pub struct Outcome<'a> {
    /// The last battery and its evaluation (predictions come from them).
    pub battery: &'a Battery,
    pub eval: &'a Evaluation,
    pub eval_secs: f64,
    /// Tasks with a solver.
    pub solved: usize,
    pub new_solvers: usize,
    /// More fields for the JSON summary.
    pub extra: serde_json::Value,
}

/// Predictions from the last battery, the submission file, and the summary.
/// Returns the predictions.
pub fn finish(
    out: &mut impl Write,
    c: &Common,
    tasks: &[Task],
    o: Outcome,
    mut phases: Phases,
) -> Result<Vec<TaskPrediction>> {
    let Outcome { battery, eval, eval_secs, solved, new_solvers, extra } = o;
    let plan = Plan::new(battery);
    let pcfg = PredictConfig { node_steps: c.eval.node_steps, ..PredictConfig::default() };
    let preds = predict(&plan, tasks, eval, &pcfg);
    phases.lap("predict");
    write_submission(&c.output, &preds).with_context(|| format!("writing {}", c.output.display()))?;
    phases.lap("write");
    let sc: Option<Score> = score(&preds, tasks);
    let rate = eval.node_evals as f64 / eval_secs.max(1e-9);
    let peak = peak_memory_mib();
    if c.json {
        let per_task: Vec<_> = preds
            .iter()
            .map(|p| {
                let solver = p.solver.map(|n| batt_prog::print(&battery.slice(n, &p.task)));
                json!({"task": p.task, "solvers": p.solvers, "best_solver": solver})
            })
            .collect();
        let mut j = json!({
            "tasks": tasks.len(),
            "tasks_solved": solved,
            "new_solvers": new_solvers,
            "candidates": battery.candidates().len(),
            "nodes": battery.len(),
            "pairs": eval.pairs,
            "node_evals": eval.node_evals,
            "node_evals_per_sec": rate,
            "threads": c.eval.threads,
            "backend": eval.backend,
            "peak_memory_mib": peak,
            "score": sc,
            "submission": c.output,
            "timing": phases.list.iter().map(|(n, d)| (n.clone(), json!(d.as_secs_f64()))).collect::<serde_json::Map<_, _>>(),
            "per_task": per_task,
        });
        if let (Some(m), serde_json::Value::Object(e)) = (j.as_object_mut(), extra) {
            m.extend(e);
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&j)?)?;
        return Ok(preds);
    }
    writeln!(
        out,
        "{solved} of {} tasks solved on their demo pairs ({new_solvers} new solvers kept in {})",
        tasks.len(),
        c.library.display()
    )?;
    writeln!(
        out,
        "battery: {} candidates, {} nodes; {} demo pairs, {} node evaluations, {rate:.0} per second on {}",
        battery.candidates().len(),
        battery.len(),
        eval.pairs,
        eval.node_evals,
        eval.backend
    )?;
    if let Some(s) = &sc {
        writeln!(
            out,
            "score {:.4} ({:.2} of {} tasks; {} of {} test outputs right)",
            s.score, s.points, s.tasks, s.outputs_right, s.outputs
        )?;
    }
    writeln!(out, "submission written to {}", c.output.display())?;
    if let Some(m) = peak {
        writeln!(out, "peak memory {m:.0} MiB")?;
    }
    if c.timing {
        for (n, d) in &phases.list {
            writeln!(out, "  {n:<14} {:>9.3} s", d.as_secs_f64())?;
        }
    }
    Ok(preds)
}

/// `batt run`: one battery of the given programs (default: the library).
pub fn run(out: &mut impl Write, c: &Common, solvers: &[PathBuf]) -> Result<()> {
    let mut phases = Phases::start();
    let tasks = load_tasks(c)?;
    let library = Library::new(&c.library, c.keep);
    let programs = if solvers.is_empty() { library_programs(&library) } else { load_programs(solvers)? };
    phases.lap("load");
    let mut battery = Battery::new();
    for p in &programs {
        battery.add_program(&p.program);
    }
    phases.lap("build battery");
    let (eval, kept) = pass(&battery, &tasks, c, &library)?;
    let secs = phases.lap("evaluate").as_secs_f64();
    let o = Outcome {
        battery: &battery,
        eval: &eval,
        eval_secs: secs,
        solved: kept.tasks_solved,
        new_solvers: kept.new_solvers,
        extra: json!({}),
    };
    finish(out, c, &tasks, o, phases)?;
    Ok(())
}

/// Tasks of `tasks` that have a solver in the library.
pub fn solved_in_library(library: &Library, tasks: &[Task]) -> usize {
    tasks.iter().filter(|t| !library.solvers(&t.id).is_empty()).count()
}
