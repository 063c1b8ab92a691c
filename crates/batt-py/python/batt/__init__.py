"""batt: ARC-AGI program search over the arc-dsl primitives, from Python.

Programs are arc-dsl solver functions in text::

    import batt
    tasks = batt.load_tasks("data/arc-agi-1/training")
    batt.run_program("def solve(I):\\n    O = vmirror(I)\\n    return O\\n", [[1, 2]])
    # -> [[2, 1]]
    scores = batt.evaluate(candidate_texts, tasks)   # one battery, every demo pair
    scores.solved()                                  # {program index: [task ids]}
    submission = batt.solve(tasks, time_budget=60)   # the Kaggle submission, as a dict
    batt.score(submission, tasks)                    # when the test outputs are known

Grids go in as lists of rows of ints (anything that iterates as rows of ints, numpy arrays
included) and come out as lists of lists, or numpy arrays with ``numpy=True``. Bad input
raises :class:`BattError` (a ``ValueError``) or one of its subclasses, with the file, task,
pair or program line in the message. Long calls release the GIL and stop on Ctrl-C
(``KeyboardInterrupt``).
"""

from __future__ import annotations

import array
import json
import os
import time
import warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _batt
from ._batt import BattError, ProgramError, RunError, Task, TaskError

__all__ = [
    "BattError",
    "ProgramError",
    "Record",
    "RunError",
    "Scores",
    "Task",
    "TaskError",
    "evaluate",
    "load_programs",
    "load_tasks",
    "run_program",
    "score",
    "solve",
    "verify",
]

#: A grid: rows of ints 0..9 (a list of lists, a tuple of tuples, a 2-D numpy array, ...).
Grid = Sequence[Sequence[int]]
#: A file or directory path.
PathLike = Union[str, "os.PathLike[str]"]
#: Tasks as the functions take them: a :class:`Task`, a sequence of them, a path (directory,
#: task file or Kaggle challenges file), or a dict of task ids to ``{"train", "test"}`` (the
#: layout of a Kaggle challenges file).
Tasks = Union[Task, Sequence[Task], Mapping[str, Mapping[str, Any]], PathLike]

#: Primitive applications one run of a program may spend (``run_program``, ``verify``).
DEFAULT_STEPS: int = _batt.DEFAULT_STEPS
#: Work one battery node may spend on one pair (``evaluate``).
DEFAULT_NODE_STEPS: int = _batt.DEFAULT_NODE_STEPS

try:
    from importlib.metadata import version as _version

    __version__ = _version("batt")
except Exception:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"


def _problems(errors: List[str], how: str, what: str, error: type) -> None:
    """Raises or warns about load problems, as ``how`` ("raise", "warn" or "ignore") says."""
    if how not in ("raise", "warn", "ignore"):
        raise BattError(f"errors={how!r}: expected 'raise', 'warn' or 'ignore'")
    if not errors:
        return
    if how == "raise":
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise error(f"{len(errors)} problems {what}:\n" + "\n".join(errors[:10]) + more)
    if how == "warn":
        for e in errors:
            warnings.warn(e, stacklevel=3)


def load_tasks(path: PathLike, *, errors: str = "raise") -> List[Task]:
    """Loads ARC tasks.

    Args:
        path: a directory of task files (``<id>.json``, as in ARC-AGI-1/2), one task file, or
            a Kaggle ``*_challenges.json`` (its ``*_solutions.json`` sibling is read too when
            present, giving the test outputs).
        errors: what a bad file, task or pair does: ``"raise"`` (the default) raises
            :class:`TaskError` naming every one (file, task, pair, reason); ``"warn"`` warns
            and returns the tasks that are sound; ``"ignore"`` just returns them.

    Returns:
        The tasks, in file order (Kaggle files: by task id).
    """
    tasks, problems = _batt.load_tasks(os.fspath(path))
    _problems(problems, errors, f"loading {os.fspath(path)}", TaskError)
    if not tasks and not problems:
        raise TaskError(f"{os.fspath(path)}: no tasks found")
    return tasks


def _tasks(tasks: Tasks) -> List[Task]:
    """Any of the accepted forms of tasks, as a list of :class:`Task`."""
    if isinstance(tasks, Task):
        return [tasks]
    if isinstance(tasks, (str, os.PathLike)):
        return load_tasks(tasks)
    if isinstance(tasks, Mapping):
        if "train" in tasks:
            raise TaskError("a single task's dict has no id: pass batt.Task(id, **task) instead")
        out = []
        for tid, t in tasks.items():
            if not isinstance(t, Mapping) or "train" not in t or "test" not in t:
                raise TaskError(f"task {tid}: expected a dict with \"train\" and \"test\"")
            out.append(Task(str(tid), t["train"], t["test"]))
        return out
    out = list(tasks)
    for k, t in enumerate(out):
        if not isinstance(t, Task):
            raise TaskError(f"tasks[{k}] is a {type(t).__name__}, not a batt.Task")
    return out


def run_program(
    program: str,
    grid: Grid,
    *,
    task: Optional[Task] = None,
    steps: int = DEFAULT_STEPS,
    numpy: bool = False,
) -> Any:
    """Runs one program on one grid and returns its output grid.

    Args:
        program: one function in arc-dsl solver syntax, for example
            ``"def solve(I):\\n    O = vmirror(I)\\n    return O\\n"`` (``def solve_<task>(I):``
            works too; ``def solve(S, I):`` reads the demo pairs of ``task``).
        grid: the input grid.
        task: the task whose demo pairs a ``(S, I)`` program reads.
        steps: primitive applications the run may spend (a runaway program fails).
        numpy: return a numpy array instead of a list of lists.

    Raises:
        ProgramError: the text does not parse (line and reason in the message).
        TaskError: the grid is not an ARC grid.
        RunError: the program failed on this input (its line in the message), or returned
            something that is not a grid.
    """
    return _batt.run_program(program, grid, task, steps, numpy)


def load_programs(paths: Union[PathLike, Sequence[PathLike]], *, errors: str = "raise") -> List[str]:
    """Reads solver files: every function of the files, and of the ``*.py`` files of the
    directories, as solver-syntax text (variables renamed canonically), in file order.

    ``errors`` is as in :func:`load_tasks`; problems raise :class:`ProgramError` with their
    ``file:line``.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    texts, problems = _batt.load_programs([os.fspath(p) for p in paths])
    _problems(problems, errors, "reading the programs", ProgramError)
    return texts


def _split_sources(programs: Union[str, PathLike, Iterable[Union[str, PathLike]]]) -> Tuple[List[str], List[str]]:
    """Program sources as (texts, paths): a ``str`` is program text, an ``os.PathLike``
    (``pathlib.Path``) a solver file or directory."""
    if isinstance(programs, (str, os.PathLike)):
        programs = [programs]
    texts: List[str] = []
    paths: List[str] = []
    for p in programs:
        if isinstance(p, str):
            texts.append(p)
        elif isinstance(p, os.PathLike):
            paths.append(os.fspath(p))
        else:
            raise ProgramError(f"a program is text or a pathlib.Path, not a {type(p).__name__}")
    return texts, paths


def verify(
    programs: Union[str, PathLike, Iterable[Union[str, PathLike]]],
    tasks: Tasks,
    *,
    steps: int = DEFAULT_STEPS,
) -> Dict[str, Any]:
    """Replays solvers on their tasks: each ``def solve_<task>(I):`` on every demo and test
    pair of the task it names, as ``batt verify`` does.

    Args:
        programs: solver text (any number of functions per string), ``pathlib.Path`` solver
            files or directories, or a list of these.
        tasks: the tasks (see :data:`Tasks`).
        steps: primitive applications one run may spend.

    Returns:
        ``{"solvers": [...], "errors": [...], "tasks_solved": int, "tasks_with_solver": int}``:
        per solver its ``task``, ``source`` (``file:line``; ``programs[i]:line`` for text),
        ``passed`` and ``pairs`` (``split``, ``index``, ``ok`` and any ``error``); ``errors``
        lists functions that do not parse and solvers for tasks not given.
    """
    texts, paths = _split_sources(programs)
    return json.loads(_batt.verify(texts, paths, _tasks(tasks), steps))


class Record(NamedTuple):
    """One program on one demo pair."""

    program: int
    task: str
    pair: int
    matched: bool
    differ: float


class Scores:
    """What :func:`evaluate` found: the differ score of every program on every demo pair.

    Columns are the demo pairs of the tasks, in task order and pair order
    (:attr:`columns` names them as ``(task id, pair index)``). The differ score is in 0..1,
    exactly 1 when the program's output is the pair's output (a match), otherwise the mean of
    palette agreement, shape agreement and the fraction of equal cells, so near misses rank
    above nonsense; 0 when the program fails or returns no grid.

    Attributes:
        programs: how many programs were given.
        columns: ``(task id, pair index)`` of each column.
        differ: the scores, program-major (``differ[p * len(columns) + c]``), float32.
        errors: programs that did not parse (``errors="skip"``): index to message. Their
            scores are 0.
        node_evals: battery node evaluations performed.
        dropped_values: node values dropped by the ``memory_mib`` cap (nodes reading them
            were dead on those pairs).
        seconds: wall time of the evaluation.
    """

    def __init__(
        self,
        programs: int,
        columns: List[Tuple[str, int]],
        differ: "array.array[float]",
        errors: Dict[int, str],
        node_evals: int,
        dropped_values: int,
        seconds: float,
    ) -> None:
        self.programs = programs
        self.columns = columns
        self.differ = differ
        self.errors = errors
        self.node_evals = node_evals
        self.dropped_values = dropped_values
        self.seconds = seconds

    def __repr__(self) -> str:
        return (
            f"<batt.Scores: {self.programs} programs x {len(self.columns)} demo pairs, "
            f"{self.matches()} matches, {self.seconds:.2f} s>"
        )

    @property
    def program_pairs_per_second(self) -> float:
        """Programs times demo pairs, per second of the evaluation."""
        return self.programs * len(self.columns) / max(self.seconds, 1e-9)

    def row(self, program: int) -> List[float]:
        """One program's scores, one per column."""
        n = len(self.columns)
        if not 0 <= program < self.programs:
            raise IndexError(f"program {program} of {self.programs}")
        return self.differ[program * n : (program + 1) * n].tolist()

    def score(self, program: int, column: int) -> float:
        """The differ score of a program on a column."""
        if not (0 <= program < self.programs and 0 <= column < len(self.columns)):
            raise IndexError(f"program {program}, column {column} of {self.programs} x {len(self.columns)}")
        return self.differ[program * len(self.columns) + column]

    def matched(self, program: int, column: int) -> bool:
        """Whether a program gives the output of a column's demo pair exactly."""
        return self.score(program, column) == 1.0

    def matches(self) -> int:
        """How many (program, pair) matches there are."""
        return self.differ.tolist().count(1.0)

    def records(self, min_differ: float = 0.0) -> List[Record]:
        """Every (program, pair) scoring above ``min_differ`` (``min_differ=-1`` for all), as
        :class:`Record` tuples, program-major."""
        n = len(self.columns)
        cols = self.columns
        return [
            Record(k // n, cols[k % n][0], cols[k % n][1], d == 1.0, d)
            for k, d in enumerate(self.differ)
            if d > min_differ
        ]

    def solved(self) -> Dict[int, List[str]]:
        """Per program that matches every demo pair of some task, those task ids."""
        spans: List[Tuple[str, int, int]] = []
        for c, (tid, pair) in enumerate(self.columns):
            if pair == 0 or not spans or spans[-1][0] != tid:
                spans.append((tid, c, c + 1))
            else:
                spans[-1] = (tid, spans[-1][1], c + 1)
        n = len(self.columns)
        out: Dict[int, List[str]] = {}
        for p in range(self.programs):
            row = self.differ[p * n : (p + 1) * n]
            hit = [tid for tid, a, b in spans if all(x == 1.0 for x in row[a:b])]
            if hit:
                out[p] = hit
        return out

    def numpy(self) -> Tuple[Any, Any]:
        """``(matched, differ)`` as numpy arrays of shape (programs, columns): bool and
        float32 (needs numpy)."""
        import numpy as np

        differ = np.frombuffer(self.differ, dtype=np.float32).reshape(self.programs, len(self.columns))
        return differ == 1.0, differ


def evaluate(
    programs: Union[str, Sequence[str]],
    tasks: Tasks,
    *,
    errors: str = "raise",
    threads: Optional[int] = None,
    batch_size: int = 256,
    node_steps: int = DEFAULT_NODE_STEPS,
    memory_mib: int = 4096,
    backend: str = "cpu",
) -> Scores:
    """Scores many candidate programs on every demo pair of many tasks, as one battery.

    All programs are merged into one graph (a line computed by many programs is evaluated once
    per pair) and run over the demo pairs of all the tasks in mega-batches on every core, the
    path ``batt run`` takes. Every program is scored on every pair (not only its own task's),
    so this is the verifier for program sampling: thousands of candidates per call.

    Args:
        programs: program texts, one function each (``def solve(I):`` or
            ``def solve_<task>(I):``; ``(S, I)`` programs read each task's demo pairs).
        tasks: the tasks (see :data:`Tasks`); only their demo pairs are used.
        errors: ``"raise"`` (default): a program that does not parse raises
            :class:`ProgramError` (``programs[i]:line`` in the message); ``"skip"``: it
            scores 0 and its message is in :attr:`Scores.errors`.
        threads: worker threads (default: every core).
        batch_size: demo pairs per mega-batch.
        node_steps: work one node may spend on one pair (a node past it is dead on that pair).
        memory_mib: MiB of node values kept between nodes, all threads together.
        backend: ``"cpu"``; ``"gpu"`` or ``"auto"`` in a build with the ``gpu`` feature.

    Unlike :func:`run_program`, a program is scored on the value of its ``return``: a line
    that fails but that the result does not read does not fail it.
    """
    if errors not in ("raise", "skip"):
        raise BattError(f"errors={errors!r}: expected 'raise' or 'skip'")
    texts = [programs] if isinstance(programs, str) else list(programs)
    for k, t in enumerate(texts):
        if not isinstance(t, str):
            raise ProgramError(f"programs[{k}] is a {type(t).__name__}, not program text")
    start = time.perf_counter()
    raw, columns, errs, node_evals, dropped = _batt.evaluate(
        texts, _tasks(tasks), errors == "skip", threads, batch_size, node_steps, memory_mib, backend
    )
    seconds = time.perf_counter() - start
    differ = array.array("f")
    differ.frombytes(raw)
    return Scores(len(texts), columns, differ, dict(errs), node_evals, dropped, seconds)


def _json_file(path: PathLike) -> Any:
    with open(os.fspath(path), encoding="utf-8") as f:
        return json.load(f)


def score(submission: Union[Mapping[str, Any], PathLike], solutions: Union[Mapping[str, Any], Tasks]) -> Dict[str, Any]:
    """The Kaggle score of a submission.

    Args:
        submission: ``{task id: [{"attempt_1": grid, "attempt_2": grid}, ...]}`` (one entry
            per test input), or the path of a ``submission.json``.
        solutions: the known test outputs: ``{task id: [grid, ...]}`` (a Kaggle
            ``*_solutions.json``, or its path), or tasks whose test outputs are known (see
            :data:`Tasks`).

    Returns:
        ``{"score", "points", "tasks", "outputs", "outputs_right"}``: a test output is right
        when either attempt equals it; each task scores the fraction of its outputs right
        (0 when the submission lacks it); ``score`` is the mean over the tasks with known
        outputs.
    """
    if isinstance(submission, (str, os.PathLike)):
        submission = _json_file(submission)
    if isinstance(solutions, (str, os.PathLike)) and os.path.isfile(os.fspath(solutions)):
        data = _json_file(solutions)
        if isinstance(data, dict) and "train" not in data and all(isinstance(v, list) for v in data.values()):
            solutions = data
    if isinstance(solutions, Mapping) and all(isinstance(v, (list, tuple)) for v in solutions.values()):
        return json.loads(_batt.score(submission, solutions, None))
    return json.loads(_batt.score(submission, None, _tasks(solutions)))


def solve(
    tasks: Tasks,
    *,
    time_budget: float = 60.0,
    library: Optional[PathLike] = None,
    progress: Optional[Callable[[Dict[str, Any]], None]] = None,
    keep: int = 8,
    threads: Optional[int] = None,
    depth: int = 6,
    enumerate_share: float = 0.6,
    memory_mib: Optional[int] = None,
    backend: str = "cpu",
) -> Dict[str, List[Dict[str, Grid]]]:
    """Searches for solvers of the tasks within a time budget and predicts their test outputs:
    ``batt solve`` as a call.

    Each task is searched from its demo pairs (bottom-up enumeration over arc-dsl and batt's
    whole-image steps, deepening task by task under one time budget, on every core), then
    generations of batteries made of the solvers found and their mutations spread them to the
    other tasks; the last battery's two best distinct outputs per test input are the attempts.
    Test outputs are never looked at.

    Args:
        tasks: the tasks (see :data:`Tasks`), for example a Kaggle ``*_challenges.json``.
        time_budget: seconds for the whole call.
        library: the directory where solvers are kept (``<task>.py`` each), and read from at
            the start: a second call goes on from the first. ``None``: a temporary directory,
            removed at the end.
        progress: called with a dict per event, from the search's threads (with the GIL):
            ``{"event": "found", "task"}`` when a task gets its first solvers,
            ``{"event": "pass", "done", "pairs", "tasks_solved"}`` as a battery runs,
            ``{"event": "generation", "generation", "candidates", "lines", "new_solvers",
            "tasks_solved", "seconds"}``, ``{"event": "warning", "message"}``, and at the end
            ``{"event": "done", "tasks", "tasks_solved", "new_solvers", "generations",
            "enumeration_seconds", "library"}``. An exception it raises ends the search and is
            raised here.
        keep: solvers kept per task in the library.
        threads: worker threads (default: every core).
        depth: deepest depth of the enumeration.
        enumerate_share: share of the budget spent enumerating before the first generations.
        memory_mib: MiB the enumerations may hold together (default 1024, one task 256 at
            most) and the battery's values (default 4096).
        backend: ``"cpu"``; ``"gpu"`` or ``"auto"`` in a build with the ``gpu`` feature.

    Returns:
        The Kaggle submission: ``{task id: [{"attempt_1": grid, "attempt_2": grid}, ...]}``,
        one entry per test input, grids as lists of lists (``json.dump`` it to
        ``submission.json``).

    Ctrl-C stops the search within a moment (``KeyboardInterrupt``); the solvers it found are
    in the library.
    """
    task_list = _tasks(tasks)
    if not task_list:
        raise TaskError("no tasks to solve")
    if library is None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="batt-library-") as tmp:
            return solve(
                task_list,
                time_budget=time_budget,
                library=tmp,
                progress=progress,
                keep=keep,
                threads=threads,
                depth=depth,
                enumerate_share=enumerate_share,
                memory_mib=memory_mib,
                backend=backend,
            )
    submission, summary, warns = _batt.solve(
        task_list,
        os.fspath(library),
        keep,
        float(time_budget),
        progress,
        threads,
        depth,
        float(enumerate_share),
        memory_mib,
        backend,
    )
    if progress is None:
        for w in warns:
            warnings.warn(w, stacklevel=2)
    else:
        progress({"event": "done", **json.loads(summary)})
    return json.loads(submission)
