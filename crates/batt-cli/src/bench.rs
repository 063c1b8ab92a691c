//! `batt bench`: the project's own speed measurements on real data.

use anyhow::{bail, Result};
use batt_dsl::task::Task;
use batt_dsl::{Ctx, Value};
use batt_prog::{Parsed, Program};
use rayon::prelude::*;
use std::io::Write;
use std::time::{Duration, Instant};

/// One replay job: a program on one input, with its task's demo pairs.
struct Job<'a> {
    program: &'a Program,
    input: Value,
    s: &'a Value,
}

/// Runs every job once; returns how many runs returned a value.
fn run_all(jobs: &[Job], steps: u64, parallel: bool) -> usize {
    let one = |j: &Job| batt_prog::run(j.program, &j.input, Some(j.s), &mut Ctx::new(steps)).is_ok() as usize;
    if parallel {
        jobs.par_iter().map(one).sum()
    } else {
        jobs.iter().map(one).sum()
    }
}

/// Repeats the whole job list until at least `min` has passed; returns runs per second.
fn rate(jobs: &[Job], steps: u64, parallel: bool, min: Duration) -> f64 {
    run_all(jobs, steps, parallel); // warm up
    let start = Instant::now();
    let mut rounds = 0usize;
    while start.elapsed() < min {
        run_all(jobs, steps, parallel);
        rounds += 1;
    }
    (rounds * jobs.len()) as f64 / start.elapsed().as_secs_f64()
}

/// Replay speed of solvers: program-pairs per second, on one thread and on all threads.
pub fn replay(
    out: &mut impl Write,
    programs: &[Parsed],
    tasks: &[Task],
    threads: usize,
    secs: f64,
    steps: u64,
) -> Result<()> {
    if programs.is_empty() {
        bail!("no solvers to replay");
    }
    let ss: Vec<Value> = tasks.iter().map(Task::samples).collect();
    let inputs = |t: &Task| -> Vec<Value> {
        t.train
            .iter()
            .map(|p| &p.input)
            .chain(t.test.iter().map(|x| &x.input))
            .map(|g| Value::Grid(g.clone()))
            .collect()
    };
    let mut own = vec![];
    let mut cross = vec![];
    for (t, s) in tasks.iter().zip(&ss) {
        for input in inputs(t) {
            for p in programs {
                let job = Job { program: &p.program, input: input.clone(), s };
                if p.program.name == t.id {
                    own.push(Job { program: &p.program, input: input.clone(), s });
                }
                cross.push(job);
            }
        }
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
    let min = Duration::from_secs_f64(secs);
    writeln!(out, "replay: {} solvers, {} tasks, {} threads", programs.len(), tasks.len(), threads)?;
    for (name, jobs) in [("own task pairs", &own), ("every solver x every pair", &cross)] {
        if jobs.is_empty() {
            continue;
        }
        let ok = run_all(jobs, steps, false);
        let one = rate(jobs, steps, false, min);
        let all = pool.install(|| rate(jobs, steps, true, min));
        writeln!(
            out,
            "  {name}: {} program-pairs ({ok} return a value)\n    1 thread:  {one:>12.0} program-pairs/s  ({:.2} us each)\n    {threads} threads: {all:>12.0} program-pairs/s  ({:.2}x)",
            jobs.len(),
            1e6 / one,
            all / one
        )?;
    }
    Ok(())
}

/// Battery speed: `programs` and their variants grown to about `lines` lines, evaluated over
/// the demo pairs of `tasks` on one thread and on `threads` threads, then predictions.
pub fn battery(
    out: &mut impl Write,
    programs: &[Parsed],
    tasks: &[Task],
    lines: usize,
    base: &batt_engine::EvalConfig,
    gpu: bool,
) -> Result<()> {
    use batt_engine::{evaluate, predict, BackendChoice, Plan, PredictConfig};
    let threads = base.threads;
    let start = Instant::now();
    let ps: Vec<Program> = programs.iter().map(|p| p.program.clone()).collect();
    let b = batt_search::card::build(&ps, lines);
    let build = start.elapsed();
    writeln!(
        out,
        "battery: {} lines from {} candidates ({} solvers and their variants), built in {:.3} s; {} tasks, {} demo pairs",
        b.len(),
        b.candidates().len(),
        ps.len(),
        build.as_secs_f64(),
        tasks.len(),
        tasks.iter().map(|t| t.train.len()).sum::<usize>()
    )?;
    let mut first = None;
    for (label, cfg) in settings(base, gpu) {
        let t = Instant::now();
        let eval = evaluate(&b, tasks, &cfg, |_, _| {})?;
        let eval_s = t.elapsed().as_secs_f64();
        let plan = Plan::new(&b);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build()?;
        let pcfg = PredictConfig { node_steps: base.node_steps, ..PredictConfig::default() };
        let preds = pool.install(|| predict(&plan, tasks, &eval, &pcfg));
        let total = t.elapsed().as_secs_f64();
        let solved = eval.tasks.iter().filter(|t| !t.solvers.is_empty()).count();
        let cores = if cfg.backend == BackendChoice::Cpu { cfg.threads } else { threads };
        writeln!(
            out,
            "  {label} [{}] (node budget {}): evaluate {eval_s:.3} s ({:.0} pairs/s; {} node evaluations, {:.0}/s, {:.0}/s per core{}), predict {:.3} s, total {total:.3} s; {solved} tasks solved, {} predictions",
            eval.backend,
            base.node_steps,
            eval.pairs as f64 / eval_s,
            eval.node_evals,
            eval.node_evals as f64 / eval_s,
            eval.node_evals as f64 / eval_s / cores as f64,
            device_share(&eval),
            total - eval_s,
            preds.len()
        )?;
        match &first {
            None => first = Some(eval),
            Some(f) => {
                if (&f.tasks, f.node_evals) != (&eval.tasks, eval.node_evals) {
                    bail!("{label} gave other scores than sequential CPU");
                }
            }
        }
    }
    if let Some(m) = crate::run::peak_memory_mib() {
        writeln!(out, "  peak memory {m:.0} MiB")?;
    }
    Ok(())
}

/// The settings a speed benchmark compares: sequential CPU, parallel CPU (with more than one
/// thread) and, with `gpu`, the GPU backend (software adapters included).
fn settings(base: &batt_engine::EvalConfig, gpu: bool) -> Vec<(String, batt_engine::EvalConfig)> {
    use batt_engine::{BackendChoice, EvalConfig};
    let mut out =
        vec![("sequential CPU".to_string(), EvalConfig { threads: 1, backend: BackendChoice::Cpu, ..base.clone() })];
    if base.threads > 1 {
        out.push((
            format!("parallel CPU, {} threads", base.threads),
            EvalConfig { backend: BackendChoice::Cpu, ..base.clone() },
        ));
    }
    if gpu {
        out.push(("GPU".to_string(), EvalConfig { backend: BackendChoice::Gpu, ..base.clone() }));
    }
    out
}

/// The share of node evaluations a device made, for reports.
fn device_share(eval: &batt_engine::Evaluation) -> String {
    if eval.device_evals == 0 {
        return String::new();
    }
    format!("; {:.0}% on the device", 100.0 * eval.device_evals as f64 / eval.node_evals.max(1) as f64)
}

/// Kernel speed: each primitive that has a GPU kernel, alone in a battery over the demo pairs of
/// `tasks` (each grid `repeat` times), on every setting: grids per second.
pub fn kernels(
    out: &mut impl Write,
    tasks: &[Task],
    repeat: usize,
    base: &batt_engine::EvalConfig,
    gpu: bool,
) -> Result<()> {
    use batt_engine::{evaluate, Battery};
    const KERNELS: &[(&str, &[&str])] = &[
        ("mir_rot (rot90)", &["mir_rot(I, 4)"]),
        ("crop", &["crop(I, (1, 1), (8, 8))"]),
        ("upscale ×2", &["upscale(I, 2)"]),
        ("downscale ×2", &["downscale(I, 2)"]),
        ("ofcolor", &["ofcolor(I, 0)"]),
        ("fill (after ofcolor)", &["ofcolor(I, 0)", "fill(I, 5, x1)"]),
        ("palette", &["palette(I)"]),
        ("mostcolor", &["mostcolor(I)"]),
        ("o_g (objects, mode 5)", &["o_g(I, 5)"]),
        ("o_g (objects, mode 3)", &["o_g(I, 3)"]),
    ];
    let many: Vec<Task> = (0..repeat.max(1))
        .flat_map(|r| tasks.iter().map(move |t| Task { id: format!("{}-{r}", t.id), ..t.clone() }))
        .collect();
    let grids: usize = many.iter().map(|t| t.train.len()).sum();
    writeln!(out, "kernels: {grids} grids ({} tasks' demo inputs × {repeat}), grids per second", tasks.len())?;
    let settings = settings(base, gpu);
    for (name, body) in KERNELS {
        let mut text = String::from("def solve_kernel(I):\n");
        for (k, l) in body.iter().enumerate() {
            let v = if k + 1 == body.len() { "O".to_string() } else { format!("x{}", k + 1) };
            text += &format!("    {v} = {l}\n");
        }
        text += "    return O\n";
        let src = batt_prog::parse_str(&text, "kernels.py");
        let mut b = Battery::new();
        for p in &src.programs {
            b.add_program(&p.program);
        }
        let mut row = format!("  {name:<24}");
        for (label, cfg) in &settings {
            let mut best = f64::INFINITY;
            for _ in 0..3 {
                let t = Instant::now();
                evaluate(&b, &many, cfg, |_, _| {})?;
                best = best.min(t.elapsed().as_secs_f64());
            }
            row += &format!("  {label}: {:>10.0}", grids as f64 / best);
        }
        writeln!(out, "{row}")?;
    }
    Ok(())
}

/// CPU-seconds this process has used (user and system, all threads; Linux).
pub fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // the fields after the command name, which is in parentheses and may hold spaces
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux
}

/// One row of a per-task results table (the columns of `../shared/peers/*.tsv`).
pub struct Row {
    pub task: String,
    pub test: usize,
    pub correct: bool,
    pub cpu_seconds: f64,
    pub peak_mb: f64,
}

/// Per test output of `outcome`, whether either attempt is right (tasks with known outputs).
pub fn rows(tasks: &[batt_dsl::task::Task], outcome: &batt_search::solve::Outcome, peak_mb: f64) -> Vec<Row> {
    let mut rows = vec![];
    let task_seconds = outcome.enumeration.as_ref().map_or(&[][..], |e| &e.schedule.task_seconds[..]);
    for (k, t) in tasks.iter().enumerate() {
        let Some(p) = outcome.predictions.iter().find(|p| p.task == t.id) else { continue };
        for (i, correct) in batt_engine::submission::outputs_right(p, t) {
            rows.push(Row {
                task: t.id.clone(),
                test: i,
                correct,
                cpu_seconds: task_seconds.get(k).copied().unwrap_or(0.0),
                peak_mb,
            });
        }
    }
    rows
}

/// Writes rows as a tab-separated table with the peers' header.
pub fn write_rows(path: &std::path::Path, rows: &[Row]) -> Result<()> {
    let mut text = String::from("task_id\ttest_index\tcorrect\tcpu_seconds\tpeak_rss_mb\n");
    for r in rows {
        text += &format!("{}\t{}\t{}\t{:.3}\t{:.1}\n", r.task, r.test, r.correct as u8, r.cpu_seconds, r.peak_mb);
    }
    batt_engine::library::write_file_atomic(path, text.as_bytes())
        .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))
}

/// Reads a peers table: `(task, test) -> correct`.
pub fn read_peer(path: &std::path::Path) -> Result<std::collections::HashMap<(String, usize), bool>> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
    let mut m = std::collections::HashMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(id), Some(i), Some(c)) = (f.first(), f.get(1).and_then(|x| x.parse().ok()), f.get(2)) else {
            bail!("{}:{}: expected task_id, test_index, correct", path.display(), n + 1);
        };
        m.insert((id.to_string(), i), *c == "1");
    }
    Ok(m)
}
