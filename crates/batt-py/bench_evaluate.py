"""Speed of batt.evaluate: the shipped solvers (solvers/) scored as one battery over every demo
pair of the shipped tasks (data/arc-agi-1/training), in program-pairs per second.

    python crates/batt-py/bench_evaluate.py [--threads N] [--repeat R]

Each of R runs is timed; the best and the median are printed. Build the module in release
(`pip install ./crates/batt-py`, or `maturin develop --release`) before measuring.
"""

import argparse
import pathlib
import statistics
import time

import batt

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=None, help="worker threads (default: every core)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--solvers", default=str(ROOT / "solvers"))
    ap.add_argument("--tasks", default=str(ROOT / "data" / "arc-agi-1" / "training"))
    args = ap.parse_args()
    programs = batt.load_programs(pathlib.Path(args.solvers))
    tasks = batt.load_tasks(args.tasks)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        s = batt.evaluate(programs, tasks, threads=args.threads)
        times.append(time.perf_counter() - t)
    pairs = s.programs * len(s.columns)
    best, median = min(times), statistics.median(times)
    print(f"{s.programs} programs x {len(s.columns)} demo pairs = {pairs} program-pairs, {len(s.solved())} programs solve a task")
    print(f"best {best:.3f} s: {pairs / best:,.0f} program-pairs per second; median {median:.3f} s: {pairs / median:,.0f}")


if __name__ == "__main__":
    main()
