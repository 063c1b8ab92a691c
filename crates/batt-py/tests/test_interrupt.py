"""Ctrl-C stops long calls: a SIGINT sent to a process inside `evaluate` or `solve` ends it
with KeyboardInterrupt within seconds, long before the call would have finished."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from test_api import SOLVERS, TRAINING

LONG_CALLS = {
    # the shipped solvers over every demo pair 40 times: about 4 million program-pairs
    "evaluate": f"""
        programs = batt.load_programs({str(SOLVERS)!r})
        tasks = batt.load_tasks({str(TRAINING)!r}) * 40
        print("started", flush=True)
        batt.evaluate(programs, tasks, threads=2)
    """,
    # a ten-minute search
    "solve": f"""
        tasks = batt.load_tasks({str(TRAINING)!r})
        print("started", flush=True)
        batt.solve(tasks, time_budget=600, threads=2)
    """,
}


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
@pytest.mark.parametrize("call", sorted(LONG_CALLS))
def test_ctrl_c_interrupts_a_long_call(call):
    script = "import batt\n" + textwrap.dedent(LONG_CALLS[call]) + 'print("finished", flush=True)\n'
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "started"
        time.sleep(1.5)
        assert proc.poll() is None, "the call ended before it was interrupted"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "finished" not in out
    assert "KeyboardInterrupt" in err, err
    assert proc.returncode != 0
    assert took < 10, f"{call} took {took:.1f} s to stop"
