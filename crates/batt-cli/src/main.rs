//! The `batt` command.

mod bench;
mod run;

use anyhow::Result;
use batt_dsl::task;
use batt_dsl::{Prim, Ty};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// batt: program search over the arc-dsl primitives for ARC-AGI tasks.
#[derive(Parser)]
#[command(name = "batt", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load and validate tasks: a directory of task files, one task file, or a Kaggle
    /// `*_challenges.json` (its `*_solutions.json` sibling is read when present).
    Tasks {
        /// Where the tasks are.
        #[arg(default_value = "data/arc-agi-1/training")]
        path: PathBuf,
        /// Print one line per task (id, pairs, grid sizes).
        #[arg(long)]
        list: bool,
    },
    /// Evaluate a battery of candidate programs over tasks: solvers found go to the library,
    /// predictions for the test inputs to a Kaggle submission (scored when the test outputs
    /// are known).
    Run {
        /// The tasks: a directory of task files, a task file, or a Kaggle challenges file.
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Only these task ids.
        #[arg(short = 'i', long = "id", num_args = 1..)]
        ids: Vec<String>,
        /// Skip this many tasks (after -i).
        #[arg(short = 's', long, default_value_t = 0)]
        start: usize,
        /// Take at most this many tasks.
        #[arg(short = 'c', long)]
        count: Option<usize>,
        /// Candidate programs: solver files or directories (default: the library).
        #[arg(long, num_args = 1..)]
        solvers: Vec<PathBuf>,
        /// Where solvers are kept, one `<task>.py` per task.
        #[arg(long, default_value = "library")]
        library: PathBuf,
        /// Solvers kept per task in the library.
        #[arg(long, default_value_t = 8)]
        keep: usize,
        /// The submission file to write.
        #[arg(short = 'o', long, default_value = "submission.json")]
        output: PathBuf,
        /// Pairs per mega-batch.
        #[arg(long, default_value_t = 256)]
        batch_size: usize,
        /// Worker threads (default: all cores; 1 runs sequentially).
        #[arg(long)]
        threads: Option<usize>,
        /// Work (primitive applications, elements built) one node may spend on one pair.
        #[arg(long, default_value_t = batt_engine::eval::DEFAULT_NODE_STEPS)]
        node_steps: u64,
        /// Print the time of each phase.
        #[arg(long)]
        timing: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the primitives of the DSL with their signatures.
    Prims,
    /// Measure speed on real data.
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Replay solvers (`def solve_<task>(I):` in arc-dsl syntax) on their tasks' demo and test
    /// pairs. Exits 0 only when every solver passes every pair.
    Verify {
        /// Solver files, or directories of `*.py` solver files.
        #[arg(long, required = true, num_args = 1..)]
        solvers: Vec<PathBuf>,
        /// The tasks: a directory of task files, a task file, or a Kaggle challenges file.
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Primitive applications one run of a solver on one pair may spend.
        #[arg(long, default_value_t = batt_dsl::func::DEFAULT_STEPS)]
        steps: u64,
    },
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Battery speed: solvers and their variants grown to about `--lines` lines, evaluated
    /// over the first `--count` tasks on one thread and on all threads.
    Battery {
        #[arg(long, num_args = 1.., default_value = "solvers")]
        solvers: Vec<PathBuf>,
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        #[arg(short = 'c', long, default_value_t = 100)]
        count: usize,
        #[arg(long, default_value_t = 3000)]
        lines: usize,
        #[arg(long)]
        threads: Option<usize>,
        #[arg(long, default_value_t = 256)]
        batch_size: usize,
        /// Work one node may spend on one pair.
        #[arg(long, default_value_t = batt_engine::eval::DEFAULT_NODE_STEPS)]
        node_steps: u64,
    },
    /// Replay speed: every solver on its own task's pairs, and every solver on every pair
    /// (program-pairs per second, one thread and all threads).
    Replay {
        /// Solver files, or directories of `*.py` solver files.
        #[arg(long, num_args = 1.., default_value = "solvers")]
        solvers: Vec<PathBuf>,
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Threads for the parallel measurement (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Seconds each measurement runs for at least.
        #[arg(long, default_value_t = 2.0)]
        secs: f64,
        #[arg(long, default_value_t = batt_dsl::func::DEFAULT_STEPS)]
        steps: u64,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        // a closed pipe (`batt prims | head`) ends the output, it is not an error
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("batt: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cli.cmd {
        Cmd::Tasks { path, list } => {
            let loaded = task::load(&path);
            for e in &loaded.errors {
                eprintln!("error: {e}");
            }
            if list {
                for t in &loaded.tasks {
                    let dims = |g: &batt_dsl::Grid| format!("{}x{}", g.h(), g.w());
                    let ins: Vec<String> =
                        t.train.iter().map(|p| format!("{}->{}", dims(&p.input), dims(&p.output))).collect();
                    writeln!(out, "{}  train {}  test {}  {}", t.id, t.train.len(), t.test.len(), ins.join(" "))?;
                }
            }
            let pairs: usize = loaded.tasks.iter().map(|t| t.train.len()).sum();
            let tests: usize = loaded.tasks.iter().map(|t| t.test.len()).sum();
            let scored = loaded.tasks.iter().filter(|t| t.has_test_outputs()).count();
            writeln!(
                out,
                "{} tasks loaded from {} ({pairs} demo pairs, {tests} test inputs, {scored} tasks with test outputs), {} errors",
                loaded.tasks.len(),
                path.display(),
                loaded.errors.len()
            )?;
            Ok(if loaded.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Cmd::Run {
            tasks,
            ids,
            start,
            count,
            solvers,
            library,
            keep,
            output,
            batch_size,
            threads,
            node_steps,
            timing,
            json,
        } => {
            let threads = threads.unwrap_or_else(all_cores);
            let args = run::RunArgs {
                tasks,
                ids,
                start,
                count,
                solvers,
                library,
                keep,
                output,
                batch_size,
                threads,
                node_steps,
                timing,
                json,
            };
            run::run(&mut out, &args)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify { solvers, tasks, json, steps } => verify(&mut out, &solvers, &tasks, json, steps),
        Cmd::Bench(BenchCmd::Battery { solvers, tasks, count, lines, threads, batch_size, node_steps }) => {
            let loaded = task::load(&tasks);
            let tasks = run::select(loaded.tasks, &[], 0, Some(count))?;
            let mut programs = vec![];
            for f in solver_files(&solvers)? {
                programs.extend(batt_prog::parse_file(&f).programs);
            }
            let cfg = batt_engine::EvalConfig {
                threads: threads.unwrap_or_else(all_cores),
                batch_size,
                node_steps,
                ..batt_engine::EvalConfig::default()
            };
            bench::battery(&mut out, &programs, &tasks, lines, &cfg)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench(BenchCmd::Replay { solvers, tasks, threads, secs, steps }) => {
            let loaded = task::load(&tasks);
            let mut programs = vec![];
            for f in solver_files(&solvers)? {
                let src = batt_prog::parse_file(&f);
                for e in &src.errors {
                    eprintln!("error: {e}");
                }
                programs.extend(src.programs);
            }
            let threads = threads.unwrap_or_else(all_cores);
            bench::replay(&mut out, &programs, &loaded.tasks, threads, secs, steps)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Prims => {
            let ty = |t: &Ty| format!("{t:?}");
            for p in Prim::all() {
                let i = p.info();
                let params: Vec<String> = i.params.iter().map(ty).collect();
                writeln!(out, "{}({}) -> {}", i.name, params.join(", "), ty(&i.ret))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Every `*.py` file named, or found (sorted) in a directory named.
fn solver_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "py"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

fn verify(
    out: &mut impl Write,
    solvers: &[PathBuf],
    tasks: &std::path::Path,
    json: bool,
    steps: u64,
) -> Result<ExitCode> {
    let loaded = task::load(tasks);
    let mut problems: Vec<String> = loaded.errors.iter().map(|e| e.to_string()).collect();
    let mut programs = vec![];
    for f in solver_files(solvers)? {
        let src = batt_prog::parse_file(&f);
        problems.extend(src.errors.iter().map(|e| e.to_string()));
        programs.extend(src.programs);
    }
    let report = batt_prog::verify::verify(&programs, &loaded.tasks, steps);
    problems.extend(report.errors.iter().cloned());
    if json {
        let j = serde_json::json!({
            "solvers": report.solvers,
            "errors": problems,
            "tasks_solved": report.tasks_solved,
            "tasks_with_solver": report.tasks_with_solver,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&j)?)?;
    } else {
        for p in &problems {
            eprintln!("error: {p}");
        }
        for s in &report.solvers {
            let marks = |split: &str| -> String {
                let m: Vec<&str> = s
                    .pairs
                    .iter()
                    .filter(|r| r.split == split)
                    .map(|r| match r.ok {
                        Some(true) => "ok",
                        Some(false) => "FAIL",
                        None => "?",
                    })
                    .collect();
                m.join(" ")
            };
            let verdict = if s.passed { "pass" } else { "FAIL" };
            writeln!(out, "{}  {verdict}  train [{}]  test [{}]  {}", s.task, marks("train"), marks("test"), s.source)?;
            for r in s.pairs.iter().filter(|r| r.ok == Some(false)) {
                let why = r.error.as_deref().unwrap_or("wrong output");
                writeln!(out, "    {} {}: {why}", r.split, r.index)?;
            }
        }
        writeln!(out, "{} of {} tasks solved", report.tasks_solved, report.tasks_with_solver)?;
    }
    Ok(if report.all_passed() && problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
