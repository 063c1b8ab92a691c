//! `batt run`: a battery of candidate programs over a set of tasks, solvers into the library,
//! predictions into a Kaggle submission.

use anyhow::{bail, Context, Result};
use batt_dsl::task::{self, Task};
use batt_engine::submission::{score, write_submission, Score};
use batt_engine::{evaluate, predict, Battery, EvalConfig, Library, Plan, PredictConfig};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `batt run` was asked to do.
pub struct RunArgs {
    pub tasks: PathBuf,
    pub ids: Vec<String>,
    pub start: usize,
    pub count: Option<usize>,
    pub solvers: Vec<PathBuf>,
    pub library: PathBuf,
    pub keep: usize,
    pub output: PathBuf,
    pub batch_size: usize,
    pub threads: usize,
    pub node_steps: u64,
    pub timing: bool,
    pub json: bool,
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

/// Peak resident memory of this process, in MiB (Linux; `None` elsewhere).
pub fn peak_memory_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub fn run(out: &mut impl Write, a: &RunArgs) -> Result<bool> {
    let mut phases: Vec<(&str, Duration)> = vec![];
    let mut t = Instant::now();
    let mut lap = |name, phases: &mut Vec<(&str, Duration)>| {
        phases.push((name, t.elapsed()));
        t = Instant::now();
    };

    // load
    let loaded = task::load(&a.tasks);
    for e in &loaded.errors {
        eprintln!("warning: {e}");
    }
    let tasks = select(loaded.tasks, &a.ids, a.start, a.count)?;
    if tasks.is_empty() {
        bail!("no tasks selected from {}", a.tasks.display());
    }
    let library = Library::new(&a.library, a.keep);
    let mut programs = vec![];
    if a.solvers.is_empty() {
        let l = library.load();
        for e in &l.errors {
            eprintln!("warning: {e}");
        }
        programs.extend(l.programs);
    } else {
        for f in crate::solver_files(&a.solvers)? {
            let src = batt_prog::parse_file(&f);
            for e in &src.errors {
                eprintln!("warning: {e}");
            }
            programs.extend(src.programs);
        }
    }
    lap("load", &mut phases);

    // build
    let mut battery = Battery::new();
    for p in &programs {
        battery.add_program(&p.program);
    }
    lap("build battery", &mut phases);

    // evaluate, keeping solvers as tasks complete
    let pairs: usize = tasks.iter().map(|t| t.train.len()).sum();
    let bar = ProgressBar::new(pairs as u64);
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:40}] {pos}/{len} pairs  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let cfg =
        EvalConfig { threads: a.threads, batch_size: a.batch_size, node_steps: a.node_steps, ..EvalConfig::default() };
    let mut new_solvers = 0;
    let mut tasks_solved = 0;
    let mut write_error: Option<std::io::Error> = None;
    let eval_start = Instant::now();
    let eval = evaluate(&battery, &tasks, &cfg, |done, finished| {
        for ts in finished.iter().filter(|ts| !ts.solvers.is_empty()) {
            tasks_solved += 1;
            let id = &tasks[ts.task].id;
            let mut slices: Vec<batt_prog::Program> = ts.solvers.iter().map(|&n| battery.slice(n, id)).collect();
            slices.sort_by_key(|p| p.lines.len());
            slices.truncate(a.keep);
            match library.add(id, &slices) {
                Ok(n) => new_solvers += n,
                Err(e) => {
                    write_error.get_or_insert(e);
                }
            }
        }
        bar.set_position(done as u64);
        bar.set_message(format!("{tasks_solved} tasks solved"));
    })?;
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e).with_context(|| format!("writing the library in {}", a.library.display()));
    }
    let eval_secs = eval_start.elapsed().as_secs_f64();
    lap("evaluate", &mut phases);

    // predict
    let plan = Plan::new(&battery);
    let preds = predict(&plan, &tasks, &eval, &PredictConfig { node_steps: a.node_steps, ..PredictConfig::default() });
    lap("predict", &mut phases);
    write_submission(&a.output, &preds).with_context(|| format!("writing {}", a.output.display()))?;
    lap("write", &mut phases);
    let sc: Option<Score> = score(&preds, &tasks);

    let rate = eval.node_evals as f64 / eval_secs.max(1e-9);
    let peak = peak_memory_mib();
    if a.json {
        let per_task: Vec<_> = preds
            .iter()
            .map(|p| {
                let solver = p.solver.map(|n| batt_prog::print(&battery.slice(n, &p.task)));
                json!({"task": p.task, "solvers": p.solvers, "best_solver": solver})
            })
            .collect();
        let j = json!({
            "tasks": tasks.len(),
            "tasks_solved": tasks_solved,
            "new_solvers": new_solvers,
            "candidates": battery.candidates().len(),
            "nodes": battery.len(),
            "pairs": eval.pairs,
            "node_evals": eval.node_evals,
            "node_evals_per_sec": rate,
            "threads": a.threads,
            "peak_memory_mib": peak,
            "score": sc,
            "submission": a.output,
            "timing": phases.iter().map(|(n, d)| (n.to_string(), json!(d.as_secs_f64()))).collect::<serde_json::Map<_, _>>(),
            "per_task": per_task,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&j)?)?;
    } else {
        writeln!(
            out,
            "{} of {} tasks solved on their demo pairs ({} new solvers kept in {})",
            tasks_solved,
            tasks.len(),
            new_solvers,
            a.library.display()
        )?;
        writeln!(
            out,
            "battery: {} candidates, {} nodes; {} demo pairs, {} node evaluations, {:.0} per second on {} threads",
            battery.candidates().len(),
            battery.len(),
            eval.pairs,
            eval.node_evals,
            rate,
            a.threads
        )?;
        if let Some(s) = &sc {
            writeln!(
                out,
                "score {:.4} ({:.2} of {} tasks; {} of {} test outputs right)",
                s.score, s.points, s.tasks, s.outputs_right, s.outputs
            )?;
        }
        writeln!(out, "submission written to {}", a.output.display())?;
        if let Some(m) = peak {
            writeln!(out, "peak memory {m:.0} MiB")?;
        }
        if a.timing {
            for (n, d) in &phases {
                writeln!(out, "  {n:<14} {:>9.3} s", d.as_secs_f64())?;
            }
        }
    }
    Ok(true)
}
