//! `batt evolve`: generations of card → battery → library, so that solvers found for one task
//! are mutated and tried on every other task in the next generation.

use crate::run::{
    finish, library_programs, load_programs, load_tasks, pass, solved_in_library, Common, Outcome, Phases,
};
use anyhow::Result;
use batt_engine::{Battery, Evaluation, Library};
use batt_prog::Program;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How to evolve.
pub struct EvolveArgs {
    pub generations: usize,
    pub time_budget: Option<Duration>,
    /// Lines per generation's battery.
    pub lines: usize,
    /// Programs to start from besides the library.
    pub seeds: Vec<PathBuf>,
}

/// One generation's battery: the library's solvers, the seeds, and their variants.
pub fn card(library: &Library, seeds: &[Program], lines: usize) -> Battery {
    let mut programs: Vec<Program> = seeds.to_vec();
    programs.extend(library_programs(library).into_iter().map(|p| p.program));
    batt_search::card::build(&programs, lines)
}

/// What one generation did: its battery and evaluation, its seconds and new solvers.
pub struct Generation {
    pub battery: Battery,
    pub eval: Evaluation,
    pub secs: f64,
    pub new_solvers: usize,
}

/// Generation number `g`: a battery of `lines` lines from the library and `seeds`, over
/// every task; prints its line and returns it with its log entry.
pub fn generation(
    out: &mut impl Write,
    c: &Common,
    tasks: &[batt_dsl::task::Task],
    library: &Library,
    seeds: &[Program],
    lines: usize,
    g: usize,
) -> Result<(Generation, serde_json::Value)> {
    let t = Instant::now();
    let battery = card(library, seeds, lines);
    let (eval, kept) = pass(&battery, tasks, c, library)?;
    let secs = t.elapsed().as_secs_f64();
    let so_far = solved_in_library(library, tasks);
    if !c.json {
        writeln!(
            out,
            "generation {g}: {} candidates tried ({} lines), {} new solvers, {so_far} tasks solved so far ({secs:.1} s)",
            battery.candidates().len(),
            battery.len(),
            kept.new_solvers
        )?;
    }
    let log = json!({
        "generation": g, "candidates": battery.candidates().len(), "lines": battery.len(),
        "new_solvers": kept.new_solvers, "tasks_solved": so_far, "seconds": secs,
    });
    Ok((Generation { battery, eval, secs, new_solvers: kept.new_solvers }, log))
}

/// Runs generations until one finds nothing new, the count is reached or the time is up;
/// returns the last one, the solvers all of them found, and the per-generation log.
pub fn generations(
    out: &mut impl Write,
    c: &Common,
    tasks: &[batt_dsl::task::Task],
    library: &Library,
    seeds: &[Program],
    e: &EvolveArgs,
    deadline: Option<Instant>,
) -> Result<(Generation, usize, Vec<serde_json::Value>)> {
    let (mut log, mut new_total) = (vec![], 0);
    loop {
        let (gen, entry) = generation(out, c, tasks, library, seeds, e.lines, log.len() + 1)?;
        new_total += gen.new_solvers;
        log.push(entry);
        let out_of_time = deadline.is_some_and(|d| Instant::now() + Duration::from_secs_f64(gen.secs) > d);
        if gen.new_solvers == 0 || log.len() >= e.generations || out_of_time {
            return Ok((gen, new_total, log));
        }
    }
}

/// `batt evolve`.
pub fn evolve(out: &mut impl Write, c: &Common, e: &EvolveArgs) -> Result<()> {
    let mut phases = Phases::start();
    let tasks = load_tasks(c)?;
    let library = Library::new(&c.library, c.keep);
    let seeds: Vec<Program> = load_programs(&e.seeds)?.into_iter().map(|p| p.program).collect();
    phases.lap("load");
    let deadline = e.time_budget.map(|d| Instant::now() + d);
    let (last, new_total, log) = generations(out, c, &tasks, &library, &seeds, e, deadline)?;
    phases.lap("generations");
    let solved = solved_in_library(&library, &tasks);
    let o = Outcome {
        battery: &last.battery,
        eval: &last.eval,
        eval_secs: last.secs,
        solved,
        new_solvers: new_total,
        extra: json!({ "generations": log }),
    };
    finish(out, c, &tasks, o, phases)?;
    Ok(())
}
