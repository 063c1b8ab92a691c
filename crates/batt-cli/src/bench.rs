//! `batt bench`: the project's own speed measurements on real data.

use anyhow::{bail, Result};
use batt_dsl::task::Task;
use batt_dsl::{Ctx, Value};
use batt_prog::verify::samples;
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
    let ss: Vec<Value> = tasks.iter().map(samples).collect();
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
) -> Result<()> {
    use batt_engine::{evaluate, predict, EvalConfig, Plan, PredictConfig};
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
    for n in [1, threads] {
        let cfg = EvalConfig { threads: n, ..base.clone() };
        let t = Instant::now();
        let eval = evaluate(&b, tasks, &cfg, |_, _| {})?;
        let eval_s = t.elapsed().as_secs_f64();
        let plan = Plan::new(&b);
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
        let pcfg = PredictConfig { node_steps: base.node_steps, ..PredictConfig::default() };
        let preds = pool.install(|| predict(&plan, tasks, &eval, &pcfg));
        let total = t.elapsed().as_secs_f64();
        let solved = eval.tasks.iter().filter(|t| !t.solvers.is_empty()).count();
        writeln!(
            out,
            "  {n} thread{} (node budget {}): evaluate {eval_s:.3} s ({} node evaluations, {:.0}/s, {:.0}/s per core), predict {:.3} s, total {total:.3} s; {solved} tasks solved, {} predictions",
            if n == 1 { "" } else { "s" },
            base.node_steps,
            eval.node_evals,
            eval.node_evals as f64 / eval_s,
            eval.node_evals as f64 / eval_s / n as f64,
            total - eval_s,
            preds.len()
        )?;
        match &first {
            None => first = Some(eval),
            Some(f) => {
                if (&f.tasks, f.node_evals) != (&eval.tasks, eval.node_evals) {
                    bail!("{n} threads gave other scores than one thread");
                }
            }
        }
        if threads == 1 {
            break;
        }
    }
    if let Some(m) = crate::run::peak_memory_mib() {
        writeln!(out, "  peak memory {m:.0} MiB")?;
    }
    Ok(())
}
