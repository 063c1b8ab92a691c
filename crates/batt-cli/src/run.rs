//! `batt run`, `batt evolve` and `batt solve`: the library's calls ([`batt_search::solve`])
//! with tasks loaded from the options, progress bars, the submission file and the summary.

use anyhow::{bail, Context, Result};
use batt_dsl::task::{self, Task};
use batt_engine::submission::{score, write_submission, Score};
use batt_engine::{EvalConfig, Library, Shard};
use batt_prog::{Parsed, Program};
use batt_search::solve::{EvolveConfig, Outcome, Progress, SolveConfig};
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
    /// Only this shard of the tasks selected (`--shard I/N`).
    pub shard: Option<Shard>,
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

/// Loads and selects the tasks (then takes the shard, if any); problems with some files are
/// warnings.
pub fn load_tasks(c: &Common) -> Result<Vec<Task>> {
    let loaded = task::load(&c.tasks);
    for e in &loaded.errors {
        eprintln!("warning: {e}");
    }
    let tasks = select(loaded.tasks, &c.ids, c.start, c.count)?;
    if tasks.is_empty() {
        bail!("no tasks selected from {}", c.tasks.display());
    }
    let Some(shard) = c.shard else { return Ok(tasks) };
    let selected = tasks.len();
    let tasks = shard.take(tasks);
    if tasks.is_empty() {
        bail!(
            "shard {shard} of the {selected} tasks selected from {} is empty (use at most {selected} shards)",
            c.tasks.display()
        );
    }
    Ok(tasks)
}

/// The programs of some solver files (problems are warnings).
pub fn load_programs(files: &[PathBuf]) -> Result<Vec<Parsed>> {
    let src = batt_prog::parse::parse_paths(files)?;
    for e in &src.errors {
        eprintln!("warning: {e}");
    }
    Ok(src.programs)
}

/// The library of the options, read once (problems with its files are warnings).
pub fn open_library(c: &Common) -> Library {
    let library = Library::new(&c.library, c.keep);
    for e in &library.load().errors {
        eprintln!("warning: {e}");
    }
    library
}

/// Peak resident memory of this process, in MiB (Linux; `None` elsewhere).
pub fn peak_memory_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A progress bar over `len` units (hidden when stderr is not a terminal).
pub fn bar(len: usize, unit: &str) -> ProgressBar {
    let b = ProgressBar::new(len as u64);
    let template = format!("{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit}  {{msg}}");
    b.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    b
}

/// Times the phases of a command.
pub struct Phases {
    /// When the command started.
    pub started: Instant,
    t: Instant,
    pub list: Vec<(String, Duration)>,
}

impl Phases {
    pub fn start() -> Phases {
        let now = Instant::now();
        Phases { started: now, t: now, list: vec![] }
    }
    pub fn lap(&mut self, name: &str) -> Duration {
        let d = self.t.elapsed();
        self.list.push((name.to_string(), d));
        self.t = Instant::now();
        d
    }
}

/// What a command shows while the library's calls run: a bar of demo pairs during battery
/// passes, of tasks solved during the enumeration, generations as they end, and warnings, all
/// on stderr.
struct Shown {
    pairs: ProgressBar,
    found: ProgressBar,
    json: bool,
}

impl Shown {
    fn new(c: &Common, tasks: usize) -> Shown {
        Shown { pairs: bar(0, "pairs"), found: bar(tasks, "tasks solved"), json: c.json }
    }

    fn show(&self, p: Progress) {
        match p {
            Progress::Pass { done, pairs, tasks_solved } => {
                self.pairs.set_length(pairs as u64);
                self.pairs.set_position(done as u64);
                self.pairs.set_message(format!("{tasks_solved} tasks solved"));
                if done >= pairs {
                    self.pairs.finish_and_clear();
                    self.pairs.reset();
                }
            }
            Progress::Found { .. } => self.found.inc(1),
            Progress::Generation(g) if !self.json => self.found.suspend(|| {
                eprintln!(
                    "generation {}: {} candidates tried ({} lines), {} new solvers, {} tasks solved so far ({:.1} s)",
                    g.generation, g.candidates, g.lines, g.new_solvers, g.tasks_solved, g.seconds
                )
            }),
            Progress::Generation(_) => {}
            Progress::Warning(w) => self.found.suspend(|| eprintln!("warning: {w}")),
        }
    }

    fn done(&self) {
        self.pairs.finish_and_clear();
        self.found.finish_and_clear();
    }
}

/// The submission file and the summary of a command's outcome.
fn finish(
    out: &mut impl Write,
    c: &Common,
    tasks: &[Task],
    o: &Outcome,
    mut phases: Phases,
    extra: serde_json::Value,
) -> Result<()> {
    let preds = &o.predictions;
    write_submission(&c.output, preds).with_context(|| format!("writing {}", c.output.display()))?;
    phases.lap("write");
    let sc: Option<Score> = score(preds, tasks);
    let (battery, eval) = (&o.battery, &o.eval);
    let rate = eval.node_evals as f64 / o.eval_secs.max(1e-9);
    let peak = peak_memory_mib();
    let solved = o.tasks_solved;
    let new_solvers = o.new_solvers;
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
        return Ok(());
    }
    if let Some(e) = &o.enumeration {
        let r = &e.schedule;
        writeln!(
            out,
            "enumeration: {} tasks solved (by depth {:?}; the unsolved reached depth {:?}), {} primitive applications ({:.0} per CPU-second), {} rounds, {} restarts with more memory, in {:.1} s",
            r.solved,
            r.solved_at_depth,
            r.unsolved_at_depth,
            r.applications,
            r.applications as f64 / (e.seconds * c.eval.threads as f64).max(1e-9),
            r.rounds,
            r.restarts,
            e.seconds
        )?;
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
    Ok(())
}

/// `batt run`: one battery of the given programs (default: the library).
pub fn run(out: &mut impl Write, c: &Common, solvers: &[PathBuf]) -> Result<()> {
    let mut phases = Phases::start();
    let tasks = load_tasks(c)?;
    let library = open_library(c);
    let programs: Vec<Program> = if solvers.is_empty() { library.load().programs } else { load_programs(solvers)? }
        .into_iter()
        .map(|p| p.program)
        .collect();
    phases.lap("load");
    let shown = Shown::new(c, tasks.len());
    let o = batt_search::solve::run(&programs, &tasks, &library, &c.eval, &|p| shown.show(p));
    shown.done();
    let o = o?;
    phases.list.push(("evaluate".into(), Duration::from_secs_f64(o.eval_secs)));
    phases.list.push(("predict".into(), Duration::from_secs_f64(o.predict_secs)));
    finish(out, c, &tasks, &o, phases, json!({}))
}

/// `batt evolve`: generations from the library and `seeds`, within `time_budget` when given.
pub fn evolve(
    out: &mut impl Write,
    c: &Common,
    cfg: &mut EvolveConfig,
    seeds: &[PathBuf],
    time_budget: Option<Duration>,
) -> Result<()> {
    let mut phases = Phases::start();
    let deadline = time_budget.map(|d| phases.started + d);
    let tasks = load_tasks(c)?;
    let library = open_library(c);
    cfg.seeds = load_programs(seeds)?.into_iter().map(|p| p.program).collect();
    phases.lap("load");
    let shown = Shown::new(c, tasks.len());
    let o = batt_search::solve::evolve(&tasks, &library, cfg, deadline, &|p| shown.show(p));
    shown.done();
    let o = o?;
    phases.lap("generations");
    let extra = json!({ "generations": o.generations });
    finish(out, c, &tasks, &o, phases, extra)
}

/// `batt solve`: the whole search within `time_budget`, loading and writing included; returns
/// the tasks and the outcome (for `batt bench solve`).
pub fn solve(
    out: &mut impl Write,
    c: &Common,
    cfg: &SolveConfig,
    time_budget: Duration,
) -> Result<(Vec<Task>, Outcome)> {
    let mut phases = Phases::start();
    let deadline = phases.started + time_budget;
    let tasks = load_tasks(c)?;
    let library = open_library(c);
    phases.lap("load");
    let shown = Shown::new(c, tasks.len());
    let o = batt_search::solve::solve(&tasks, &library, cfg, deadline, &|p| shown.show(p));
    shown.done();
    let o = o?;
    phases.lap("search");
    let e = o.enumeration.as_ref();
    let applications = e.map_or(0, |e| e.schedule.applications);
    let enum_secs = e.map_or(0.0, |e| e.seconds);
    let extra = json!({
        "enumeration": e.map(|e| json!({
            "solved": e.schedule.solved,
            "solved_at_depth": e.schedule.solved_at_depth,
            "unsolved_at_depth": e.schedule.unsolved_at_depth,
            "applications": applications,
            "applications_per_cpu_second": applications as f64 / (enum_secs * c.eval.threads as f64).max(1e-9),
            "rounds": e.schedule.rounds,
            "restarts": e.schedule.restarts,
            "seconds": enum_secs,
        })),
        "generations": o.generations,
        "seconds": phases.started.elapsed().as_secs_f64(),
    });
    finish(out, c, &tasks, &o, phases, extra)?;
    Ok((tasks, o))
}
