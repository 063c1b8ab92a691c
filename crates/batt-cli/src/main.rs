//! The `batt` command (the README lists every subcommand and option):
//!
//! ```text
//! batt solve --tasks data/arc-agi-1/training --time-budget 60   # search: library/, submission.json
//! batt run --solvers solvers                                     # one battery of given programs
//! batt verify --solvers library                                  # replay solvers on their tasks
//! ```

mod bench;
mod memory;
mod merge;
mod opts;
mod run;
mod view;

use anyhow::Result;
use batt_dsl::task;
use batt_dsl::{Prim, Ty};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Every allocation is counted, so that the process keeps within `--memory-mib`.
#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;

/// batt: program search over the arc-dsl primitives for ARC-AGI tasks.
#[derive(Parser)]
#[command(name = "batt", version, about)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
    /// Memory in MiB the whole process may hold (default: three quarters of the machine's).
    /// Past it, batt stops with a message naming the cap (exit status 3), keeping every solver
    /// already in the library. A quarter of it bounds a battery's node values (values past it
    /// are dropped, with a warning; at most 4096 by default) and half of it what `solve`'s
    /// enumerations hold together (at most 1536 by default, one task 256).
    #[arg(long, global = true, value_parser = opts::mebibytes)]
    memory_mib: Option<usize>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Load and validate tasks: a directory of task files, one task file, or a Kaggle
    /// `*_challenges.json` or its directory (its `*_solutions.json` sibling is read when
    /// present).
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
        /// Candidate programs: solver files or directories (default: the library).
        #[arg(long, num_args = 1..)]
        solvers: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Generations of card -> battery -> library: every solver found, and its variants, is
    /// tried on every task in the next generation.
    Evolve {
        /// Generations at most (stops earlier when a generation finds nothing new).
        #[arg(long, default_value_t = 5)]
        generations: usize,
        /// Seconds at most.
        #[arg(long, value_parser = opts::seconds, allow_negative_numbers = true)]
        time_budget: Option<f64>,
        /// Lines of each generation's battery.
        #[arg(long, default_value_t = 20_000)]
        lines: usize,
        /// Programs to start from besides the library (solver files or directories).
        #[arg(long, num_args = 1..)]
        seeds: Vec<PathBuf>,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// The one-command path: tasks in, submission.json out, within a time budget
    /// (enumeration per task, then generations spreading what was found, then predictions).
    Solve {
        /// Seconds for the whole run.
        #[arg(long, default_value_t = 60.0, value_parser = opts::seconds, allow_negative_numbers = true)]
        time_budget: f64,
        /// Deepest depth of the enumeration (lines along the longest path); each task stops
        /// at the first depth that solves it.
        #[arg(long, default_value_t = 6, value_parser = opts::depth)]
        depth: usize,
        /// Share of the time budget spent enumerating (0 to 1); the rest runs generations.
        #[arg(long, default_value_t = 0.6, value_parser = opts::share, allow_negative_numbers = true)]
        enumerate_share: f64,
        /// CPU-seconds of enumeration one task may take in all (default: what the enumeration
        /// share of the budget leaves; tasks finished or solved give their time to the rest).
        #[arg(long, value_parser = opts::seconds, allow_negative_numbers = true)]
        time_per_task: Option<f64>,
        /// Lines of each generation's battery.
        #[arg(long, default_value_t = 20_000)]
        lines: usize,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Write a generation's battery (library solvers, seeds and their variants) as a file in
    /// solver syntax, to inspect it.
    Card {
        #[arg(long, default_value = "library")]
        library: PathBuf,
        #[arg(long, num_args = 1..)]
        seeds: Vec<PathBuf>,
        #[arg(long, default_value_t = 20_000)]
        lines: usize,
        #[arg(short = 'o', long, default_value = "card.py")]
        output: PathBuf,
    },
    /// List the primitives of the DSL with their signatures.
    Prims,
    /// Measure speed on real data.
    #[command(subcommand)]
    Bench(BenchCmd),
    /// Join what the shards of a run (`--shard I/N`) wrote: their submissions into one file,
    /// their libraries into one library (deduplicated, every solver kept). Everything is read
    /// and checked before anything is written.
    Merge {
        /// The shards' submission files; one task's predictions in two files must agree.
        #[arg(long, num_args = 1..)]
        submissions: Vec<PathBuf>,
        /// The merged submission to write.
        #[arg(short = 'o', long, default_value = "submission.json")]
        output: PathBuf,
        /// The shards' library directories.
        #[arg(long, num_args = 1..)]
        libraries: Vec<PathBuf>,
        /// The library they are merged into (created if missing; what it holds is kept).
        #[arg(long, default_value = "library")]
        library: PathBuf,
        /// Keep only the best K solvers per task (default: all of them).
        #[arg(long, value_parser = opts::positive)]
        keep: Option<usize>,
    },
    /// Write one self-contained HTML page (no network needed) to look at tasks: demo and test
    /// grids in the ARC colours, a submission's attempts beside the expected outputs with wrong
    /// cells marked, each task's solvers from a library, and the run's figures.
    View {
        /// The tasks: a directory of task files, a task file, or a Kaggle challenges file.
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Only these task ids.
        #[arg(short = 'i', long = "id", num_args = 1..)]
        ids: Vec<String>,
        /// A library directory: each task's solvers are shown.
        #[arg(long)]
        library: Option<PathBuf>,
        /// A submission file: its attempts are shown and scored.
        #[arg(long)]
        submission: Option<PathBuf>,
        /// A Kaggle `*_solutions.json` with the test outputs (default: the tasks' own, when
        /// their files have them).
        #[arg(long)]
        solutions: Option<PathBuf>,
        /// The page to write.
        #[arg(short = 'o', long, default_value = "view.html")]
        output: PathBuf,
    },
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

/// Which tasks, where solvers and predictions go, and how to evaluate: shared by the battery
/// commands.
#[derive(clap::Args)]
struct CommonArgs {
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
    /// Only shard I of N (0 <= I < N) of the tasks selected, for runs split over processes or
    /// machines: the tasks sorted by id, those at positions I, I + N, I + 2N, ... (`batt merge`
    /// joins the shards' submissions and libraries).
    #[arg(long, value_name = "I/N")]
    shard: Option<batt_engine::Shard>,
    /// Where solvers are kept, one `<task>.py` per task.
    #[arg(long, default_value = "library")]
    library: PathBuf,
    /// Solvers kept per task in the library.
    #[arg(long, default_value_t = 8, value_parser = opts::positive)]
    keep: usize,
    /// The submission file to write.
    #[arg(short = 'o', long, default_value = "submission.json")]
    output: PathBuf,
    /// Pairs per mega-batch.
    #[arg(long, default_value_t = 256, value_parser = opts::positive)]
    batch_size: usize,
    /// Worker threads (default: all cores; 1 runs sequentially).
    #[arg(long, value_parser = opts::threads)]
    threads: Option<usize>,
    /// Work (primitive applications, elements built) one node may spend on one pair.
    #[arg(long, default_value_t = batt_engine::eval::DEFAULT_NODE_STEPS)]
    node_steps: u64,
    /// What evaluates the battery: `cpu`; `gpu` (wgpu compute kernels on every Vulkan adapter,
    /// software ones included; needs a build with `--features gpu`); `auto` (a hardware GPU
    /// when one is found, the CPU otherwise). Results are identical on every backend.
    #[arg(long, default_value = "auto")]
    backend: batt_engine::BackendChoice,
    /// Print the time of each phase.
    #[arg(long)]
    timing: bool,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

impl CommonArgs {
    /// Checks, before any work, that the submission and the library can be written.
    fn check_paths(&self) -> Result<()> {
        opts::check_paths(&self.output, Some(&self.library))
    }

    fn into_common(self, budget: &memory::Budget) -> run::Common {
        run::Common {
            tasks: self.tasks,
            ids: self.ids,
            start: self.start,
            count: self.count,
            shard: self.shard,
            library: self.library,
            keep: self.keep,
            output: self.output,
            eval: batt_engine::EvalConfig {
                threads: self.threads.unwrap_or_else(all_cores),
                batch_size: self.batch_size,
                node_steps: self.node_steps,
                backend: self.backend,
                max_value_bytes: budget.battery_values,
                ..batt_engine::EvalConfig::default()
            },
            json: self.json,
            timing: self.timing,
        }
    }
}

#[derive(Subcommand)]
enum BenchCmd {
    /// Tasks solved from nothing: `batt solve` from an empty library (a temporary one, removed
    /// afterwards) within a time budget; prints the test outputs right (pass@2), CPU-seconds
    /// and peak memory, writes one row per test output in the columns of the peers' tables,
    /// and compares with a peer's table task by task.
    Solve {
        /// The tasks (with their test outputs, to score).
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Only these task ids.
        #[arg(short = 'i', long = "id", num_args = 1..)]
        ids: Vec<String>,
        /// Take at most this many tasks.
        #[arg(short = 'c', long)]
        count: Option<usize>,
        /// Seconds for the whole run.
        #[arg(long, default_value_t = 30.0, value_parser = opts::seconds, allow_negative_numbers = true)]
        time_budget: f64,
        /// Deepest depth of the enumeration.
        #[arg(long, default_value_t = 6, value_parser = opts::depth)]
        depth: usize,
        /// Worker threads (default: all cores).
        #[arg(long, value_parser = opts::threads)]
        threads: Option<usize>,
        /// The per-task table to write.
        #[arg(long, default_value = "bench-solve.tsv")]
        tsv: PathBuf,
        /// The submission file to write.
        #[arg(short = 'o', long, default_value = "bench-submission.json")]
        output: PathBuf,
        /// A peer's per-task table to compare with (for example ../shared/peers/*.tsv); unless
        /// `-i` names tasks, only the tasks it lists are run.
        #[arg(long)]
        peers: Option<PathBuf>,
    },
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
        #[arg(long, value_parser = opts::threads)]
        threads: Option<usize>,
        #[arg(long, default_value_t = 256, value_parser = opts::positive)]
        batch_size: usize,
        /// Work one node may spend on one pair.
        #[arg(long, default_value_t = batt_engine::eval::DEFAULT_NODE_STEPS)]
        node_steps: u64,
        /// Also measure the GPU backend (needs a build with `--features gpu`).
        #[arg(long)]
        gpu: bool,
    },
    /// Kernel speed: each primitive with a GPU kernel alone in a battery, grids per second on
    /// sequential CPU, parallel CPU and (with `--gpu`) the GPU backend.
    Kernels {
        #[arg(long, default_value = "data/arc-agi-1/training")]
        tasks: PathBuf,
        /// Each demo input this many times.
        #[arg(long, default_value_t = 4)]
        repeat: usize,
        #[arg(long, value_parser = opts::threads)]
        threads: Option<usize>,
        #[arg(long, default_value_t = 1024, value_parser = opts::positive)]
        batch_size: usize,
        /// Also measure the GPU backend (needs a build with `--features gpu`).
        #[arg(long)]
        gpu: bool,
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
        #[arg(long, value_parser = opts::threads)]
        threads: Option<usize>,
        /// Seconds each measurement runs for at least.
        #[arg(long, default_value_t = 2.0, value_parser = opts::seconds, allow_negative_numbers = true)]
        secs: f64,
        #[arg(long, default_value_t = batt_dsl::func::DEFAULT_STEPS)]
        steps: u64,
    },
}

fn main() -> ExitCode {
    // `--backend gpu|auto` open the GPU backend when it is built in
    #[cfg(feature = "gpu")]
    batt_gpu::install();
    let cli = Cli::parse();
    let budget = memory::Budget::new(cli.memory_mib);
    memory::install(&budget);
    match run(cli.cmd, &budget) {
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

fn run(cmd: Cmd, budget: &memory::Budget) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match cmd {
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
        Cmd::Run { solvers, common } => {
            common.check_paths()?;
            run::run(&mut out, &common.into_common(budget), &solvers)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Evolve { generations, time_budget, lines, seeds, common } => {
            common.check_paths()?;
            let c = common.into_common(budget);
            let mut e = batt_search::solve::EvolveConfig { generations, lines, seeds: vec![], eval: c.eval.clone() };
            run::evolve(&mut out, &c, &mut e, &seeds, time_budget.map(Duration::from_secs_f64))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Solve { time_budget, depth, enumerate_share, time_per_task, lines, common } => {
            common.check_paths()?;
            let c = common.into_common(budget);
            let s = batt_search::solve::SolveConfig {
                time_per_task: time_per_task.map(Duration::from_secs_f64),
                enumerate_share,
                depth,
                max_bytes: budget.enumeration_task,
                max_bytes_total: budget.enumeration,
                lines,
                views: true,
                eval: c.eval.clone(),
            };
            run::solve(&mut out, &c, &s, Duration::from_secs_f64(time_budget))?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Card { library, seeds, lines, output } => {
            opts::check_paths(&output, None)?;
            let lib = batt_engine::Library::new(&library, usize::MAX);
            let seeds: Vec<batt_prog::Program> = run::load_programs(&seeds)?.into_iter().map(|p| p.program).collect();
            let b = batt_search::solve::card(&lib, &seeds, lines);
            let text: Vec<String> = b
                .candidates()
                .iter()
                .filter_map(|c| match c.end {
                    batt_engine::Operand::Node(n) => Some(batt_prog::print(&b.slice(n, &c.name))),
                    _ => None,
                })
                .collect();
            batt_engine::library::write_file_atomic(&output, text.join("\n").as_bytes())?;
            writeln!(out, "{} candidates, {} lines written to {}", b.candidates().len(), b.len(), output.display())?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Merge { submissions, output, libraries, library, keep } => {
            merge::merge(&mut out, &merge::MergeArgs { submissions, output, libraries, library, keep })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::View { tasks, ids, library, submission, solutions, output } => {
            view::view(&mut out, &view::ViewArgs { tasks, ids, library, submission, solutions, output })?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Verify { solvers, tasks, json, steps } => verify(&mut out, &solvers, &tasks, json, steps),
        Cmd::Bench(BenchCmd::Kernels { tasks, repeat, threads, batch_size, gpu }) => {
            let loaded = task::load(&tasks);
            let cfg = batt_engine::EvalConfig {
                threads: threads.unwrap_or_else(all_cores),
                batch_size,
                max_value_bytes: budget.battery_values,
                ..batt_engine::EvalConfig::default()
            };
            bench::kernels(&mut out, &loaded.tasks, repeat, &cfg, gpu)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench(BenchCmd::Battery { solvers, tasks, count, lines, threads, batch_size, node_steps, gpu }) => {
            let loaded = task::load(&tasks);
            let tasks = run::select(loaded.tasks, &[], 0, Some(count))?;
            let programs = run::load_programs(&solvers)?;
            let cfg = batt_engine::EvalConfig {
                threads: threads.unwrap_or_else(all_cores),
                batch_size,
                node_steps,
                max_value_bytes: budget.battery_values,
                ..batt_engine::EvalConfig::default()
            };
            bench::battery(&mut out, &programs, &tasks, lines, &cfg, gpu)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench(BenchCmd::Solve { tasks, ids, count, time_budget, depth, threads, tsv, output, peers }) => {
            opts::check_paths(&output, None)?;
            opts::check_paths(&tsv, None)?;
            let peer = peers.as_deref().map(bench::read_peer).transpose()?;
            let ids = match (&peer, ids.is_empty()) {
                (Some(p), true) => {
                    let mut v: Vec<String> = p.keys().map(|(t, _)| t.clone()).collect();
                    v.sort();
                    v.dedup();
                    v
                }
                _ => ids,
            };
            let library = std::env::temp_dir().join(format!("batt-bench-library-{}", std::process::id()));
            memory::writes_in(&library, true);
            let c = run::Common {
                tasks,
                ids,
                start: 0,
                count,
                shard: None,
                library: library.clone(),
                keep: 8,
                output,
                eval: batt_engine::EvalConfig {
                    threads: threads.unwrap_or_else(all_cores),
                    max_value_bytes: budget.battery_values,
                    ..batt_engine::EvalConfig::default()
                },
                json: false,
                timing: false,
            };
            let s = batt_search::solve::SolveConfig {
                depth,
                max_bytes: budget.enumeration_task,
                max_bytes_total: budget.enumeration,
                eval: c.eval.clone(),
                ..batt_search::solve::SolveConfig::default()
            };
            let cpu0 = bench::cpu_seconds();
            let r = run::solve(&mut out, &c, &s, Duration::from_secs_f64(time_budget));
            let _ = std::fs::remove_dir_all(&library);
            let (tasks, outcome) = r?;
            let cpu = bench::cpu_seconds().zip(cpu0).map(|(a, b)| a - b);
            let peak = run::peak_memory_mib().unwrap_or(0.0);
            let rows = bench::rows(&tasks, &outcome, peak);
            bench::write_rows(&tsv, &rows)?;
            let right = rows.iter().filter(|r| r.correct).count();
            writeln!(out, "bench solve: {right} of {} test outputs right (pass@2)", rows.len())?;
            if let Some(cpu) = cpu {
                writeln!(out, "cpu seconds {cpu:.1}")?;
            }
            writeln!(out, "peak memory {peak:.0} MiB; per-task table written to {}", tsv.display())?;
            if let Some(peer) = peer {
                let (mut both, mut ours, mut theirs, mut peer_right) = (0, vec![], vec![], 0);
                for r in &rows {
                    let p = peer.get(&(r.task.clone(), r.test)).copied().unwrap_or(false);
                    peer_right += p as usize;
                    match (r.correct, p) {
                        (true, true) => both += 1,
                        (true, false) => ours.push(r.task.as_str()),
                        (false, true) => theirs.push(r.task.as_str()),
                        _ => {}
                    }
                }
                writeln!(
                    out,
                    "against the peer ({peer_right} right): {both} right by both, {} by batt only, {} by the peer only",
                    ours.len(),
                    theirs.len()
                )?;
                writeln!(out, "  batt only: {}", ours.join(" "))?;
                writeln!(out, "  peer only: {}", theirs.join(" "))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Bench(BenchCmd::Replay { solvers, tasks, threads, secs, steps }) => {
            let loaded = task::load(&tasks);
            let programs = run::load_programs(&solvers)?;
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

fn verify(
    out: &mut impl Write,
    solvers: &[PathBuf],
    tasks: &std::path::Path,
    json: bool,
    steps: u64,
) -> Result<ExitCode> {
    let loaded = task::load(tasks);
    let mut problems: Vec<String> = loaded.errors.iter().map(|e| e.to_string()).collect();
    let src = batt_prog::parse::parse_paths(solvers)?;
    problems.extend(src.errors.iter().map(|e| e.to_string()));
    let programs = src.programs;
    let report = batt_prog::verify::verify(&programs, &loaded.tasks, steps);
    problems.extend(report.errors.iter().cloned());
    if report.solvers.is_empty() {
        let named: Vec<String> = solvers.iter().map(|p| p.display().to_string()).collect();
        problems.push(format!("nothing verified: no solver of a loaded task in {}", named.join(", ")));
    }
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
