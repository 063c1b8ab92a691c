"""The batt Python module on the shipped data: tasks, programs, verify, evaluate, score, solve."""

import json
import pathlib
import shutil

import pytest

import batt

ROOT = pathlib.Path(__file__).resolve().parents[3]
TRAINING = ROOT / "data" / "arc-agi-1" / "training"
KAGGLE = ROOT / "data" / "arc-agi-1" / "kaggle"
SOLVERS = ROOT / "solvers" / "training.py"

VMIRROR = "def solve(I):\n    O = vmirror(I)\n    return O\n"


@pytest.fixture(scope="module")
def tasks():
    return batt.load_tasks(TRAINING)


def by_id(tasks, tid):
    return next(t for t in tasks if t.id == tid)


# ---------------------------------------------------------------- tasks


def test_load_a_directory_a_file_and_kaggle_files(tasks):
    assert len(tasks) == 400
    files = sorted(p.stem for p in TRAINING.glob("*.json"))
    assert [t.id for t in tasks] == files
    t = by_id(tasks, "3c9b0459")
    raw = json.loads((TRAINING / "3c9b0459.json").read_text())
    assert t.train == raw["train"]
    assert t.test == raw["test"]
    assert t.to_dict() == raw
    assert t.has_test_outputs
    [one] = batt.load_tasks(TRAINING / "3c9b0459.json")
    assert one == t
    challenges = next(KAGGLE.glob("*_challenges.json"))
    kaggle = batt.load_tasks(challenges)
    assert len(kaggle) == 400
    # the solutions sibling gives the test outputs
    assert all(k.has_test_outputs for k in kaggle)
    assert by_id(kaggle, "3c9b0459") == t


def test_bad_files_name_the_file_task_and_pair(tmp_path):
    good = json.loads((TRAINING / "3c9b0459.json").read_text())
    (tmp_path / "aaaa0001.json").write_text(json.dumps(good))
    bad = json.loads(json.dumps(good))
    bad["train"][1]["output"][2] = [1, 2]
    (tmp_path / "bbbb0002.json").write_text(json.dumps(bad))
    (tmp_path / "cccc0003.json").write_text("{not json")
    with pytest.raises(batt.TaskError) as e:
        batt.load_tasks(tmp_path)
    msg = str(e.value)
    assert "bbbb0002.json: task bbbb0002: train pair 1: output: ragged: row 2" in msg
    assert "cccc0003.json: invalid JSON" in msg
    assert isinstance(e.value, ValueError) and isinstance(e.value, batt.BattError)
    with pytest.warns(UserWarning) as warned:
        loaded = batt.load_tasks(tmp_path, errors="warn")
    assert [str(w.message).split(":")[0] for w in warned] == [str(tmp_path / f) for f in ("bbbb0002.json", "cccc0003.json")]
    assert [t.id for t in loaded] == ["aaaa0001"]
    with pytest.raises(batt.TaskError, match="No such file|not found|cannot"):
        batt.load_tasks(tmp_path / "missing")


def test_tasks_from_data_and_numpy(tasks):
    np = pytest.importorskip("numpy")
    raw = json.loads((TRAINING / "3c9b0459.json").read_text())
    t = batt.Task("3c9b0459", **raw)
    assert t == by_id(tasks, "3c9b0459")
    arrays = t.to_dict(numpy=True)
    assert isinstance(arrays["train"][0]["input"], np.ndarray)
    assert arrays["train"][0]["input"].tolist() == raw["train"][0]["input"]
    # numpy arrays, tuples and generators go in as grids
    train = [{"input": np.array(p["input"]), "output": tuple(map(tuple, p["output"]))} for p in raw["train"]]
    assert batt.Task("3c9b0459", train, raw["test"]) == t
    with pytest.raises(batt.TaskError, match=r"task x: train pair 0: input: cell \(0, 0\) is 12"):
        batt.Task("x", [{"input": [[12]], "output": [[1]]}], raw["test"])
    with pytest.raises(batt.TaskError, match="test pair 0: missing \"input\""):
        batt.Task("x", raw["train"], [{"output": [[1]]}])
    with pytest.raises(batt.TaskError, match="invalid task id"):
        batt.Task("../etc", raw["train"], raw["test"])


# ---------------------------------------------------------------- programs


def test_run_program_on_lists_and_numpy():
    assert batt.run_program(VMIRROR, [[1, 2], [3, 4]]) == [[2, 1], [4, 3]]
    assert batt.run_program(VMIRROR, ((1, 2), (3, 4))) == [[2, 1], [4, 3]]
    assert batt.run_program(VMIRROR, (iter([5, 6]) for _ in range(2))) == [[6, 5], [6, 5]]
    np = pytest.importorskip("numpy")
    out = batt.run_program(VMIRROR, np.array([[1, 2], [3, 4]], dtype=np.uint8), numpy=True)
    assert isinstance(out, np.ndarray) and out.tolist() == [[2, 1], [4, 3]]


def test_programs_with_grid_literals():
    # a classifying answer: a symmetric input gives one constant grid, any other the second
    src = (
        "def solve(I):\n    x1 = vmirror(I)\n    x2 = equality(I, x1)\n"
        "    O = branch(x2, ((1,),), ((7, 0), (0, 7)))\n    return O\n"
    )
    assert batt.run_program(src, [[2, 0, 2]]) == [[1]]
    assert batt.run_program(src, [[2, 0, 0]]) == [[7, 0], [0, 7]]
    with pytest.raises(batt.ProgramError, match="program:2: .*grid row 2 has 1 cells, row 1 has 2"):
        batt.run_program("def solve(I):\n    O = branch(T, I, ((1, 2), (3,)))\n    return O\n", [[1]])


def test_run_program_errors_carry_the_line():
    with pytest.raises(batt.ProgramError, match=r"program:2: in solve: unknown primitive `frobnicate`"):
        batt.run_program("def solve(I):\n    O = frobnicate(I)\n    return O\n", [[1]])
    with pytest.raises(batt.ProgramError, match="2 functions"):
        batt.run_program(VMIRROR + VMIRROR, [[1]])
    failing = "def solve(I):\n    x1 = objects(I, T, F, T)\n    x2 = sizefilter(x1, 100)\n    O = first(x2)\n    return O\n"
    with pytest.raises(batt.RunError, match="program:4: .*empty"):
        batt.run_program(failing, [[1, 0], [0, 1]])
    with pytest.raises(batt.RunError, match="program: returned an integer, not a grid"):
        batt.run_program("def solve(I):\n    O = height(I)\n    return O\n", [[1]])
    with pytest.raises(batt.TaskError, match="grid: ragged"):
        batt.run_program(VMIRROR, [[1, 2], [3]])
    with pytest.raises(batt.TaskError, match=r"grid: cell \(0, 0\) is 1.5"):
        batt.run_program(VMIRROR, [[1.5]])
    # a runaway program is stopped by its step budget
    runaway = "def solve(I):\n    x1 = power(rot90, 1000000000)\n    O = x1(I)\n    return O\n"
    with pytest.raises(batt.RunError, match="program:3: line x2: step budget spent"):
        batt.run_program(runaway, [[1, 2]], steps=10_000)


def test_programs_that_read_the_demo_pairs(tasks):
    reads_s = "def solve(S, I):\n    x1 = first(S)\n    O = last(x1)\n    return O\n"
    t = by_id(tasks, "3c9b0459")
    with pytest.raises(batt.ProgramError, match="pass task="):
        batt.run_program(reads_s, [[1]])
    assert batt.run_program(reads_s, [[1]], task=t) == t.train[0]["output"]


def test_verify_the_shipped_solvers(tasks):
    report = batt.verify(SOLVERS, tasks)
    assert report["errors"] == []
    assert report["tasks_with_solver"] == len(batt.load_programs(SOLVERS)) > 50
    assert report["tasks_solved"] == report["tasks_with_solver"]
    assert all(s["passed"] for s in report["solvers"])
    # a wrong solver fails, one for a task not given is an error, text works like a file
    wrong = "def solve_3c9b0459(I):\n    O = rot90(I)\n    return O\n"
    other = "def solve_ffffffff(I):\n    O = rot90(I)\n    return O\n"
    report = batt.verify([wrong, other], by_id(tasks, "3c9b0459"))
    [s] = report["solvers"]
    assert not s["passed"] and s["source"] == "programs[0]:1"
    assert s["pairs"][0] == {"split": "train", "index": 0, "ok": False}
    assert report["errors"] == ["programs[1]:1: no task `ffffffff` among the loaded tasks"]


def test_load_programs_reports_file_and_line(tmp_path):
    texts = batt.load_programs(SOLVERS)
    assert texts[0].startswith("def solve_")
    f = tmp_path / "bad.py"
    f.write_text(VMIRROR.replace("solve", "solve_abc") + "\ndef solve_x(I):\n    O = nope(I)\n    return O\n")
    with pytest.raises(batt.ProgramError, match=r"bad.py:6: in solve_x: unknown primitive `nope`"):
        batt.load_programs(f)
    assert len(batt.load_programs(tmp_path, errors="ignore")) == 1


# ---------------------------------------------------------------- evaluate


def differ(got, want):
    """The differ score as batt defines it: mean of palette Jaccard, shape and cell agreement."""
    if got == want:
        return 1.0
    a = {c for r in got for c in r}
    b = {c for r in want for c in r}
    same = len(got) == len(want) and len(got[0]) == len(want[0])
    cells = sum(x == y for r, s in zip(got, want) for x, y in zip(r, s)) / (len(want) * len(want[0])) if same else 0.0
    return (len(a & b) / len(a | b) + same + cells) / 3


def test_evaluate_scores_every_program_on_every_pair(tasks):
    chosen = [by_id(tasks, i) for i in ("3c9b0459", "6150a2bd", "67a3c6ac", "a416b8f3", "007bbfb7")]
    programs = [
        "def solve(I):\n    O = rot180(I)\n    return O\n",
        VMIRROR,
        "def solve(I):\n    return I\n",
        "def solve(I):\n    O = hconcat(I, I)\n    return O\n",
        "def solve(I):\n    x1 = objects(I, T, F, T)\n    O = first(x1)\n    return O\n",
        "def solve_3c9b0459(I):\n    x1 = rot90(I)\n    O = rot90(x1)\n    return O\n",
    ]
    s = batt.evaluate(programs, chosen, threads=2, batch_size=3)
    assert s.columns == [(t.id, k) for t in chosen for k in range(len(t.train))]
    assert len(s.differ) == len(programs) * len(s.columns)
    for p, text in enumerate(programs):
        for c, (tid, k) in enumerate(s.columns):
            pair = by_id(chosen, tid).train[k]
            try:
                out = batt.run_program(text, pair["input"])
            except batt.RunError:
                out = None
            want = 0.0 if out is None else differ(out, pair["output"])
            assert s.score(p, c) == pytest.approx(want, abs=1e-6), (p, tid, k)
            assert s.matched(p, c) == (out == pair["output"])
    assert s.solved() == {0: ["3c9b0459", "6150a2bd"], 1: ["67a3c6ac"], 3: ["a416b8f3"], 5: ["3c9b0459", "6150a2bd"]}
    recs = s.records(min_differ=0.999)
    assert {(r.program, r.task) for r in recs if r.matched} >= {(0, "3c9b0459"), (1, "67a3c6ac")}
    assert all(r.differ == 1.0 and r.matched for r in recs)
    assert len(s.records(min_differ=-1)) == len(s.differ)
    assert s.matches() == sum(r.matched for r in recs)
    assert s.node_evals > 0 and s.errors == {}


def test_evaluate_numpy_view():
    np = pytest.importorskip("numpy")
    s = batt.evaluate([VMIRROR, "def solve(I):\n    return I\n"], TRAINING / "67a3c6ac.json")
    matched, differ_ = s.numpy()
    assert matched.shape == differ_.shape == (2, len(s.columns))
    assert matched[0].all() and not matched[1].any()
    assert differ_.dtype == np.float32


def test_evaluate_bad_programs_raise_or_are_skipped(tasks):
    t = by_id(tasks, "67a3c6ac")
    bad = "def solve(I):\n    O = vmirror(I, I)\n    return O\n"
    with pytest.raises(batt.ProgramError, match=r"programs\[1\]:2: in solve: `vmirror` takes 1 argument"):
        batt.evaluate([VMIRROR, bad], t)
    s = batt.evaluate([VMIRROR, bad, "nonsense"], t, errors="skip")
    assert sorted(s.errors) == [1, 2]
    assert s.row(1) == [0.0] * len(s.columns) and s.row(0) == [1.0] * len(s.columns)
    with pytest.raises(batt.ProgramError, match=r"programs\[0\] is a int"):
        batt.evaluate([3], t)
    with pytest.raises(batt.BattError, match="unknown backend"):
        batt.evaluate([VMIRROR], t, backend="tpu")


def test_evaluate_the_shipped_solvers_over_every_task(tasks):
    programs = batt.load_programs(SOLVERS)
    s = batt.evaluate(programs, tasks)
    solved = s.solved()
    ids = [p.split("(")[0][len("def solve_"):] for p in programs]
    # every solver matches every demo pair of its own task
    for p, tid in enumerate(ids):
        assert tid in solved.get(p, []), tid
    assert s.programs * len(s.columns) == len(programs) * sum(len(t.train) for t in tasks)


# ---------------------------------------------------------------- score and solve


def test_score_against_tasks_and_kaggle_solutions(tasks, tmp_path):
    chosen = [by_id(tasks, i) for i in ("3c9b0459", "6150a2bd")]
    right = {t.id: [{"attempt_1": x["input"], "attempt_2": x["output"]} for x in t.test] for t in chosen}
    wrong = {t.id: [{"attempt_1": x["input"], "attempt_2": x["input"]} for x in t.test] for t in chosen}
    assert batt.score(right, chosen)["score"] == 1.0
    assert batt.score(wrong, chosen)["score"] == 0.0
    half = {"3c9b0459": right["3c9b0459"]}
    s = batt.score(half, chosen)
    assert (s["score"], s["tasks"], s["outputs_right"]) == (0.5, 2, 1)
    solutions = {t.id: [x["output"] for x in t.test] for t in chosen}
    assert batt.score(half, solutions) == s
    (tmp_path / "sub.json").write_text(json.dumps(half))
    (tmp_path / "sol.json").write_text(json.dumps(solutions))
    assert batt.score(tmp_path / "sub.json", tmp_path / "sol.json") == s
    with pytest.raises(batt.BattError, match=r"submission: task 3c9b0459: test 0: missing \"attempt_2\""):
        batt.score({"3c9b0459": [{"attempt_1": [[1]]}]}, solutions)
    with pytest.raises(batt.BattError, match="no task with known test outputs"):
        batt.score(half, {})


def test_solve_returns_a_submission_and_keeps_solvers(tasks, tmp_path):
    chosen = [by_id(tasks, i) for i in ("3c9b0459", "6150a2bd", "67a3c6ac", "a416b8f3", "d631b094", "007bbfb7")]
    events = []
    library = tmp_path / "library"
    sub = batt.solve(chosen, time_budget=4, library=library, progress=events.append, threads=2)
    assert sorted(sub) == sorted(t.id for t in chosen)
    for t in chosen:
        assert len(sub[t.id]) == len(t.test)
        for a in sub[t.id]:
            assert set(a) == {"attempt_1", "attempt_2"}
            assert all(isinstance(r, list) for r in a["attempt_1"])
    kinds = {e["event"] for e in events}
    assert {"found", "generation", "done"} <= kinds, kinds
    done = events[-1]
    assert done["event"] == "done" and done["tasks"] == len(chosen) and done["tasks_solved"] >= 4
    # the easy ones are right, and their solvers are in the library
    s = batt.score(sub, chosen)
    assert s["outputs_right"] >= 4
    kept = {p.stem for p in library.glob("*.py")}
    assert {"3c9b0459", "6150a2bd", "67a3c6ac"} <= kept
    report = batt.verify(pathlib.Path(library), chosen)
    assert report["errors"] == [] and report["tasks_with_solver"] == len(kept)


def test_an_exception_in_the_progress_callback_ends_solve(tasks):
    class Enough(Exception):
        pass

    def progress(event):
        raise Enough(event["event"])

    with pytest.raises(Enough):
        batt.solve(tasks[:30], time_budget=120, progress=progress, threads=2)


def test_solve_checks_its_arguments(tasks, tmp_path):
    with pytest.raises(batt.BattError, match="time_budget"):
        batt.solve(tasks[:1], time_budget=-1)
    with pytest.raises(batt.BattError, match="enumerate_share"):
        batt.solve(tasks[:1], enumerate_share=2.0)
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(batt.BattError, match="not a directory"):
        batt.solve(tasks[:1], library=f)
    assert f.read_text() == "x"
    shutil.rmtree(tmp_path)
