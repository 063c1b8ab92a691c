"""The Kaggle example script runs end to end on the shipped Kaggle-layout files."""

import json
import pathlib
import subprocess
import sys

from test_api import KAGGLE

SCRIPT = pathlib.Path(__file__).resolve().parents[1] / "examples" / "kaggle_notebook.py"


def test_the_kaggle_script_writes_a_full_submission(tmp_path):
    out = tmp_path / "working" / "submission.json"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--input", str(KAGGLE), "--challenges", "arc-agi_training_challenges.json",
         "--output", str(out), "--time-budget", "4"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr
    challenges = json.loads((KAGGLE / "arc-agi_training_challenges.json").read_text())
    sub = json.loads(out.read_text())
    assert sorted(sub) == sorted(challenges)
    assert all(len(sub[t]) == len(challenges[t]["test"]) for t in sub)
    # the library went beside the output, and the score was printed (solutions are shipped)
    assert any((tmp_path / "working" / "library").glob("*.py"))
    assert "score " in run.stdout, run.stdout
