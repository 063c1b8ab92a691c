"""batt in a Kaggle notebook, offline: the ARC Prize test challenges in, submission.json out.

Build the wheel where the Rust toolchain and crates.io are reachable (a Linux x86_64 machine):

    maturin build --release -m crates/batt-py/Cargo.toml     # -> target/wheels/batt-*.whl

Upload the wheel (and this script) as a Kaggle dataset, attach it to a notebook that has no
internet, and run in a cell:

    !pip install --no-index /kaggle/input/batt/batt-*.whl
    !python /kaggle/input/batt/kaggle_notebook.py --time-budget 3600

On this repository's data the same script runs locally, and scores itself when the solutions
file is there:

    python crates/batt-py/examples/kaggle_notebook.py --input data/arc-agi-1/kaggle \\
        --challenges arc-agi_training_challenges.json --output /tmp/submission.json --time-budget 30
"""

import argparse
import glob
import json
import os
import sys
import time

import batt


def fallback(tasks):
    """A submission that is valid whatever happens: each test input as both attempts."""
    return {t.id: [{"attempt_1": x["input"], "attempt_2": x["input"]} for x in t.test] for t in tasks}


def main() -> None:
    ap = argparse.ArgumentParser(description="batt on Kaggle: challenges in, submission.json out")
    ap.add_argument("--input", default="/kaggle/input/arc-prize-2025", help="the competition's data directory")
    ap.add_argument("--challenges", default="*test_challenges.json", help="file name (or pattern) in --input")
    ap.add_argument("--output", default="/kaggle/working/submission.json")
    ap.add_argument("--library", default=None, help="where solvers are kept (default: beside the output)")
    ap.add_argument("--time-budget", type=float, default=3600.0, help="seconds for the search")
    args = ap.parse_args()

    found = sorted(glob.glob(os.path.join(args.input, args.challenges)))
    if not found:
        sys.exit(f"no {args.challenges} in {args.input}")
    path = found[0]
    # a bad task is reported and left out; the fallback below still answers it
    tasks = batt.load_tasks(path, errors="warn")
    print(f"{len(tasks)} tasks from {path}", flush=True)
    library = args.library or os.path.join(os.path.dirname(os.path.abspath(args.output)), "library")

    start = time.monotonic()
    last = [0.0]

    def progress(event):
        # a line now and then, so the notebook shows the search going on
        if event["event"] == "generation" or time.monotonic() - last[0] > 30:
            last[0] = time.monotonic()
            print(f"{time.monotonic() - start:7.1f} s  {event}", flush=True)

    submission = fallback(tasks)
    try:
        submission.update(batt.solve(tasks, time_budget=args.time_budget, library=library, progress=progress))
    except batt.BattError as e:
        print(f"batt could not finish ({e}); the fallback answers are written", file=sys.stderr)
    with open(args.output, "w") as f:
        json.dump(submission, f)
    print(f"{len(submission)} tasks written to {args.output} in {time.monotonic() - start:.0f} s")

    # scored when the test outputs are known (a local run on training data)
    if all(t.has_test_outputs for t in tasks):
        s = batt.score(submission, tasks)
        print(f"score {s['score']:.4f}: {s['outputs_right']} of {s['outputs']} test outputs right")


if __name__ == "__main__":
    main()
