"""The main job: validate parameters and raw data, run the notebooks through Papermill.

A run never half-updates the repository:

* parameters, including every output folder (resolved, symlinks followed), are checked
  before anything runs (``params``);
* one run at a time writes the outputs of a repository (``lock``); a second run waits
  (``--wait``) or stops with a message;
* an interrupted commit of an earlier run is finished or undone, and stale staging folders
  are removed, before anything else (``commit.recover``);
* everything is written into a staging folder (``.staging/run-<pid>``, the notebooks see it
  through ``ANALYSIS_OUTPUT_ROOT``) and put in place only when every step has succeeded,
  all or nothing, by whole-folder swaps with a journal (``commit``);
* kernels die with the runner, SIGKILL included (``kernels``).

Speed: ``data/raw`` is validated once per run (the notebooks are told, through a checksum
stamp, that it already was); warm kernels start and import before validation ends and are
reused from notebook to notebook with a reset namespace (``--fresh-kernels`` turns this off),
and write the figure files their notebooks do not show after their last notebook, while the
runner builds the brief (``figures.save``, ``_run_notebooks``).
On failure the run exits non-zero with a one-line message naming the notebook and the cell;
the staging folder is kept for inspection until the next run.
"""

from __future__ import annotations

import ast
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import paths
from ..problems import RawDataError
from . import commit as commit_mod
from . import kernels as kernels_mod
from . import params as params_mod
from .lock import Busy, run_lock

#: Notebooks in run order, each with the notebooks whose processed tables it reads. A
#: notebook starts as soon as those have finished: 05 and 06 read only data/raw, so they run
#: beside 01 instead of waiting for it.
NEEDS: dict[str, tuple[str, ...]] = {
    "01_clean_and_reconcile": (),
    "02_participation_shares": ("01_clean_and_reconcile",),
    "03_proposal_survival": ("01_clean_and_reconcile",),
    "04_commitment_evolution": ("01_clean_and_reconcile",),
    "05_multistakeholder_bodies": (),
    "06_process_and_standards": (),
    "07_participation_across_plans": (),
}
#: Which ready notebook a free kernel takes first: the one that unblocks others, then the
#: slowest first (about 2.2, 2.1, 1.4, 1.0 and 0.5 s), so that the kernels finish together.
PRIORITY = ["01_clean_and_reconcile", "02_participation_shares", "04_commitment_evolution",
            "06_process_and_standards", "03_proposal_survival", "05_multistakeholder_bodies",
            "07_participation_across_plans"]

#: How long one notebook cell may run before the run stops (``--timeout``): the slowest
#: cell takes a few seconds; ten minutes leaves room for a slow machine, not for a hang.
CELL_TIMEOUT = 600.0

STAGING = paths.ROOT / ".staging"
JOURNAL = STAGING / "commit.json"
LOCK = STAGING / "run.lock"
SUMMARY = "reports/validation_summary.md"


class NotebookFailed(RuntimeError):
    pass


class Interrupted(BaseException):
    """SIGINT or SIGTERM reached the runner."""

    def __init__(self, signum: int, *after_commit: bool):
        super().__init__(signal.Signals(signum).name, *after_commit)
        self.signum = signum


def notebook_names() -> list[str]:
    return list(NEEDS)


#: Notebook metadata that depends on the interpreter or the environment rather than on the
#: analysis (``language_info.version`` is the interpreter's patch version).
ENVIRONMENT_METADATA = {"language_info": ("version",), "kernelspec": ("env",)}


def normalise_environment(nb) -> None:
    """Drop interpreter and environment details, so any supported Python writes the same bytes."""
    for section, keys in ENVIRONMENT_METADATA.items():
        for key in keys:
            nb.metadata.get(section, {}).pop(key, None)
    nb.metadata.pop("widgets", None)


def normalise_notebook(nb) -> None:
    """Drop what changes from run to run (timings, paths, versions) from an executed notebook."""
    normalise_environment(nb)
    meta = nb.metadata.get("papermill")
    if meta is not None:
        for key in ("duration", "start_time", "end_time", "input_path", "output_path",
                    "version", "environment_variables", "exception"):
            meta.pop(key, None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"  # papermill draws a random id


def _declared(notebook: Path) -> dict[str, Any]:
    import papermill as pm

    try:
        declared = pm.inspect_notebook(str(notebook))
    except Exception as exc:  # a truncated or hand-broken .ipynb: name it, no traceback
        raise NotebookFailed(f"notebook {Path(notebook).name} cannot be read as a notebook "
                             f"({type(exc).__name__}); restore it with 'git checkout -- "
                             f"notebooks/{Path(notebook).name}'") from None
    return {name: ast.literal_eval(info["default"]) for name, info in declared.items()}


#: What a kernel says when memory ran out (``ulimit -v``, a container's limit).
_OUT_OF_MEMORY = ("MemoryError", "Cannot allocate memory", "std::bad_alloc", "out of memory",
                  "Unable to allocate", "ArrayMemoryError", "failed to map segment")


def _failure(name: str, exc, executed: Path) -> str:
    """One line naming the notebook and the cell, and what went wrong, in words."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    cell = _cell_of(name, exc)
    where = f"notebook {name}.ipynb"
    if isinstance(exc, CellTimeoutError):
        return (f"{where} timed out in {cell}: it ran longer than the cell time limit of "
                f"{_TIMEOUT[0]:g} s (--timeout SECONDS to change it); the executed copy is at {executed}")
    if isinstance(exc, DeadKernelError):
        return (f"{where}: its kernel died while running {cell} (killed from outside, or out of "
                "memory: check 'ulimit -v' and the memory free)")
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    told = " ".join(str(x) for x in (ename, evalue, getattr(exc, "traceback", "")))
    if any(word in told for word in _OUT_OF_MEMORY):
        return (f"{where} ran out of memory in {cell} ({ename}{': ' + evalue if evalue else ''}); "
                "free memory or raise the limit ('ulimit -v') and run again")
    if not str(evalue).strip():
        lines = [ln.strip() for ln in str(getattr(exc, "traceback", "")).splitlines() if ln.strip()]
        evalue = lines[-1] if lines else "(the error gave no message)"
    return f"{where} failed in {cell}: {ename}: {evalue}; the executed copy is at {executed}"


def _cell_of(name: str, exc) -> str:
    """'cell N (cell index I)', from the error or, for a timeout, from the cell's source."""
    if getattr(exc, "cell_index", None) is not None:
        return f"cell {getattr(exc, 'exec_count', None)} (cell index {exc.cell_index})"
    import nbformat

    text = str(exc)
    try:
        nb = nbformat.read(str(paths.NOTEBOOKS_DIR / f"{name}.ipynb"), as_version=4)
    except Exception:  # noqa: BLE001 - the message below still names the notebook
        return "a cell"
    for index, cell in enumerate(nb.cells):
        first = next((ln for ln in cell.source.splitlines() if ln.strip()), None)
        if cell.cell_type == "code" and first and first in text:
            return f"cell index {index} (starting {first.strip()[:60]!r})"
    return "a cell"


_TIMEOUT: list[float] = [CELL_TIMEOUT]


class _CellClock:
    """The cell time limit, kept by the runner: nbclient's own ``timeout`` never fired with a
    kernel manager handed in (a warm kernel). A timer starts when a cell is sent and stops
    when its reply comes; when it expires the kernel is interrupted (the cell then fails
    with KeyboardInterrupt) and, if the cell is deaf to that (C code), killed 5 s later."""

    def __init__(self, km, limit: float):
        self.km, self.limit = km, limit
        self.timer: threading.Timer | None = None
        self.expired: tuple[int, str] | None = None

    def start(self, cell=None, cell_index=None, **_):
        self.stop()
        self.timer = threading.Timer(self.limit, self._expire, args=(cell_index, cell.source))
        self.timer.daemon = True
        self.timer.start()

    def stop(self, **_):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expire(self, index: int, source: str) -> None:
        self.expired = (index, source)
        try:
            self.km.interrupt_kernel()
        except Exception:  # noqa: BLE001 - the kill below follows
            pass
        self.timer = threading.Timer(5, self._kill)
        self.timer.daemon = True
        self.timer.start()

    def _kill(self) -> None:
        pgid = getattr(getattr(self.km, "provisioner", None), "pgid", None)
        try:
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
        except OSError:
            pass

    def told(self, name: str, executed: Path) -> str:
        index, source = self.expired
        first = next((ln.strip() for ln in source.splitlines() if ln.strip()), "")
        return (f"notebook {name}.ipynb timed out in cell index {index} (starting {first[:60]!r}): "
                f"it ran longer than the cell time limit of {self.limit:g} s (--timeout SECONDS "
                f"to change it); the executed copy is at {executed}")


def execute(name: str, parameters: dict[str, Any], staging: Path,
            kernel: kernels_mod.Kernel | None = None) -> tuple[str, float]:
    """Execute one notebook into the staging folder; return its name and duration.

    With ``kernel`` (started in ``notebooks/``), run in that kernel and leave it running;
    without, Papermill starts and stops a kernel of its own.
    """
    import nbformat
    import papermill as pm

    start = time.perf_counter()
    source = paths.NOTEBOOKS_DIR / f"{name}.ipynb"
    defaults = _declared(source)
    passed = {k: v for k, v in parameters.items() if k in defaults}
    executed = staging / parameters["executed_dir"] / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    clock = _CellClock(kernel.km if kernel is not None else None, _TIMEOUT[0])
    try:
        where = ({"km": kernel.km} if kernel is not None else {"cwd": str(paths.NOTEBOOKS_DIR)})
        if kernel is not None:
            where.update(on_cell_execute=clock.start, on_cell_executed=clock.stop)
        else:  # no kernel manager to interrupt: nbclient's own limit
            where.update(execution_timeout=_TIMEOUT[0])
        # Saved once at the end (or on failure), not after every cell as Papermill's default.
        nb = pm.execute_notebook(str(source), str(executed), parameters=passed,
                                 kernel_name="python3", progress_bar=False, log_output=False,
                                 request_save_on_cell_execute=False, **where)
    except Exception as exc:  # noqa: BLE001 - every failure of a notebook names it and its cell
        if clock.expired is not None:
            raise NotebookFailed(clock.told(name, executed)) from None
        raise NotebookFailed(_failure(name, exc, executed)) from None
    finally:
        clock.stop()
    normalise_notebook(nb)
    nbformat.write(nb, str(executed))
    if passed == defaults:
        # Run with the notebook's own defaults: refresh the committed copy (for nbval).
        nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
        nb.metadata.get("papermill", {}).pop("parameters", None)
        target = staging / "notebooks" / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(target))
    return name, time.perf_counter() - start


# ----------------------------------------------------------------------- outputs and staging
def _units(parameters: dict[str, Any], target: Path, staging: Path) -> list[tuple[Path, Path]]:
    """(staged, target) for every output unit: the output folders, then single files."""
    folders = params_mod.check_outputs(parameters, base=target)
    pairs = [(staging / parameters[key], resolved) for key, resolved in folders.items()]
    from . import stamps

    files = [SUMMARY, str(stamps.MANIFEST)] + [f"notebooks/{name}.ipynb" for name in notebook_names()]
    for rel in files:
        resolved = (target / rel).parent.resolve() / Path(rel).name
        if not any(folder in resolved.parents for folder in folders.values()):
            pairs.append((staging / rel, resolved))
    return pairs


def _prepare_staging(parameters: dict[str, Any], target: Path) -> Path:
    """A fresh staging folder holding a copy of each output folder (kept files survive)."""
    STAGING.mkdir(exist_ok=True)
    staging = STAGING / f"run-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for key, resolved in params_mod.check_outputs(parameters, base=target).items():
        if resolved.is_dir():
            shutil.copytree(resolved, staging / parameters[key], symlinks=True)
        else:
            (staging / parameters[key]).mkdir(parents=True, exist_ok=True)
    return staging


def _clean_stale_staging(log: Callable[[str], None]) -> None:
    """Remove staging folders of earlier runs (the lock is held: none of them is running)."""
    if not STAGING.is_dir():
        return
    stale = [p for p in STAGING.iterdir() if p.is_dir() and p.name.startswith("run-")]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    if stale:
        log(f"removed {len(stale)} staging folder(s) of earlier runs")
    kernels_mod.remove_stale_sockets()


@contextmanager
def _signals_raise():
    """SIGINT and SIGTERM raise ``Interrupted`` in the main thread, so cleanup runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


@contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM back while the commit runs; act on them right after it.

    (A signal mask would not do: Python runs handlers in the main thread whichever thread
    the signal reaches, and the kernel clients leave threads behind.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    previous = {s: signal.signal(s, lambda signum, frame: pending.append(signum))
                for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:  # on failure the commit's own error is what the user needs to read
        for s, h in previous.items():
            signal.signal(s, h)
    if pending:
        raise Interrupted(pending[0], True)   # the commit completed


# ----------------------------------------------------------------------- execution
def parallel_width(names: list[str]) -> int:
    """How many of ``names`` can run at once: the widest level of their ``NEEDS`` graph.

    A notebook's level is one more than the highest level among the notebooks it needs
    (within ``names``). ``--only 02_participation_shares`` selects 01 and 02, a chain: one
    kernel, not two, is started for it.
    """
    level: dict[str, int] = {}

    def of(name: str) -> int:
        if name not in level:
            level[name] = 1 + max((of(d) for d in NEEDS.get(name, ()) if d in names), default=-1)
        return level[name]

    sizes: dict[int, int] = {}
    for name in names:
        sizes[of(name)] = sizes.get(of(name), 0) + 1
    return max(sizes.values(), default=0)


def _run_notebooks(names: list[str], parameters: dict[str, Any], staging: Path,
                   kernels: list[kernels_mod.Kernel] | None, new_kernel: Callable[[], Any],
                   log: Callable[[str], None]) -> Callable[[], None]:
    """Run ``names`` over the kernels (or a fresh kernel each), each notebook as soon as the
    notebooks it reads from (``NEEDS``, among ``names``) have finished; return once all have.

    A warm kernel with no notebook left to take then writes the figure files its notebooks
    queued (``figures.save``), while the other kernel finishes and the runner goes on with
    the brief; the function returned waits for those files (and raises any error).
    """
    board = _Board(names)
    pool = kernels if kernels is not None else [None] * max(1, min(len(names), _workers()))
    threads = [threading.Thread(target=_drain, daemon=True,
                                args=(board, k, parameters, staging, new_kernel))
               for k in pool[:max(1, len(names))]]
    for thread in threads:
        thread.start()
    done = 0
    while not board.errors and done < len(names) and (any(t.is_alive() for t in threads)
                                                      or not board.finished.empty()):
        try:
            name, seconds = board.finished.get(timeout=0.2)  # wake up for signals
        except queue.Empty:
            continue
        done += 1
        log(f"[{done}/{len(names)}] {name} done ({seconds:.1f} s)")
    _stop_on_error(board)

    def figure_files_written() -> None:
        for thread in threads:
            while thread.is_alive():
                thread.join(0.2)  # wake up for signals
        _stop_on_error(board)

    return figure_files_written


def _stop_on_error(board: _Board) -> None:
    if board.errors:
        # One notebook failed, so this run commits nothing: stop the notebooks still running
        # at once (their kernels are killed) rather than wait for them to finish in vain, or
        # forever if one hangs. Their threads are not joined: a thread waiting for a message
        # from a killed kernel waits for good (nbclient does not notice the death while it
        # waits), but it is a daemon thread and can write nothing more.
        kernels_mod.kill_all()
        raise board.errors[0]


class _Board:
    """What is left to run, what is done, and the first error, shared by the worker threads."""

    def __init__(self, names: list[str]):
        self.todo = sorted(names, key=lambda n: PRIORITY.index(n) if n in PRIORITY else len(PRIORITY))
        self.needs = {n: {d for d in NEEDS.get(n, ()) if d in names} for n in names}
        self.done: set[str] = set()
        self.errors: list[BaseException] = []
        self.finished: queue.Queue = queue.Queue()
        self.cond = threading.Condition()

    def take(self) -> str | None:
        """The next notebook whose inputs are ready; wait while only blocked ones are left."""
        with self.cond:
            while not self.errors and self.todo:
                ready = [n for n in self.todo if self.needs[n] <= self.done]
                if ready:
                    self.todo.remove(ready[0])
                    return ready[0]
                self.cond.wait(0.2)
            return None

    def finish(self, name: str, seconds: float) -> None:
        with self.cond:
            self.done.add(name)
            self.cond.notify_all()
        self.finished.put((name, seconds))

    def fail(self, exc: BaseException) -> None:
        with self.cond:
            self.errors.append(exc)
            self.cond.notify_all()


def _drain(board: _Board, kernel, parameters: dict[str, Any], staging: Path,
           new_kernel: Callable[[], Any]) -> None:
    """One worker thread: run notebooks in ``kernel`` (reset in between), then have it write
    the figure files they queued; or run each in a fresh kernel when ``kernel`` is None."""
    while (name := board.take()) is not None:
        try:
            own = kernel or new_kernel()
            if own.used:
                own.reset()
            own.used = True
            result = execute(name, parameters, staging, own)
            if kernel is None:
                own.shutdown()
            board.finish(*result)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            board.fail(exc)
            return
    if kernel is not None and kernel.used and not board.errors:
        try:
            kernel.run_silently(kernels_mod.WRITE_QUEUED_FIGURES, timeout=600,
                                what="writing the figure files the notebooks queued")
        except kernels_mod.CodeFailed as exc:
            board.fail(NotebookFailed(exc.told))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            board.fail(exc)


_JOBS: list[int | None] = [None]


def _workers() -> int:
    return max(1, _JOBS[0] or os.cpu_count() or 1)


def run(param_file: Path | None = None, overrides: tuple[str, ...] = (),
        only: tuple[str, ...] = (), jobs: int | None = None,
        log: Callable[[str], None] = print, target: Path | None = None,
        wait: float = 0.0, fresh_kernels: bool = False,
        timeout: float = CELL_TIMEOUT) -> int:
    """Run the main job; return a process exit code (0 success, 1 failure, 2 bad parameters).

    Outputs go to the repository, or under ``target`` (the parameter sweep uses this so that
    it never touches the committed outputs). ``wait``: seconds to wait for another run;
    ``timeout``: seconds one notebook cell may run.
    """
    target = Path(target) if target is not None else paths.ROOT
    try:
        for label, value in (("--wait", wait), ("--timeout", timeout)):
            if not isinstance(value, (int, float)) or value != value or value in (float("inf"),) \
                    or value < 0 or (label == "--timeout" and value == 0):
                raise params_mod.ParameterError(
                    f"{label} takes a finite number of seconds{' above 0' if label == '--timeout' else ''}, "
                    f"got {value!r}")
        parameters = params_mod.load(param_file, overrides)
        params_mod.check_outputs(parameters, base=target)
        unknown = [n for n in only if n not in notebook_names()]
        if unknown:
            raise params_mod.ParameterError(f"unknown notebook(s) {unknown}; known: "
                                            f"{', '.join(notebook_names())}")
    except params_mod.ParameterError as exc:
        log(f"error: {exc}")
        return 2
    log("parameters: " + ", ".join(f"{k}={v}" for k, v in parameters.items()))
    _JOBS[0] = jobs
    _TIMEOUT[0] = float(timeout)
    try:
        with _signals_raise(), run_lock(LOCK, wait, log):
            return _run_locked(parameters, only, log, target, fresh_kernels)
    except Busy as exc:
        log(f"error: {exc}")
        return 1
    except Exception as exc:  # noqa: BLE001 - anything else still ends in one line, not a traceback
        first = (str(exc).strip().splitlines() or [""])[0]
        log(f"error: {type(exc).__name__}: {first}; earlier outputs are intact (the staging "
            f"folder in {STAGING} is kept for inspection until the next run)")
        return 1
    except Interrupted as exc:
        done = "the outputs of this run are in place" if exc.args[1:] else "earlier outputs are intact"
        log(f"error: interrupted by {exc.args[0]}; {done}")
        return 128 + exc.signum
    finally:
        kernels_mod.kill_all()


def _run_locked(parameters: dict[str, Any], only: tuple[str, ...], log: Callable[[str], None],
                target: Path, fresh_kernels: bool) -> int:
    # imported here, not at the top: refusing bad parameters or a busy lock needs no pandas,
    # and is then about five times quicker
    from . import stamps

    try:
        repaired = commit_mod.recover(JOURNAL)
    except OSError as exc:
        log(f"error: an interrupted commit in {JOURNAL} could not be repaired: {exc}")
        return 1
    if repaired:
        log(repaired)
    _clean_stale_staging(log)
    removed, failed = commit_mod.clear_leftovers(
        [t for _, t in _units(parameters, target, STAGING / "none")])
    if removed:
        log(f"removed {len(removed)} old output(s) an earlier commit could not remove: "
            + ", ".join(removed))
    if failed:
        log(f"warning: {len(failed)} old output(s) of an earlier commit still cannot be removed: "
            + "; ".join(failed) + "; remove them by hand")
    try:
        only = stamps.with_dependencies(only, parameters, target, NEEDS, log)
    except stamps.UnreadableNotebook as exc:
        log(f"error: {exc}")
        return 1
    staging = _prepare_staging(parameters, target)
    # set for this run (the kernels inherit them); restored after it, so that a caller's own
    # value (a test worker's scratch folder, say) survives a run made in its process
    earlier_env = {key: os.environ.get(key) for key in
                   (paths.OUTPUT_ROOT_ENV, paths.PIPELINE_ENV, paths.RAW_VALIDATED_ENV, "IPYTHONDIR")}
    os.environ[paths.OUTPUT_ROOT_ENV] = str(staging)
    os.environ[paths.PIPELINE_ENV] = "1"
    # IPython creates ~/.ipython as soon as the runner asks where it is: the runner's own
    # IPython folder is a temporary one, removed after the run (each kernel gets its own);
    # named like the kernels' socket folders, so that the next run removes it when this one
    # was killed with SIGKILL (kernels.remove_stale_sockets)
    ipython_dir = tempfile.mkdtemp(prefix=kernels_mod.sockets_prefix(), dir=kernels_mod.socket_parent())
    os.environ["IPYTHONDIR"] = kernels_mod.private_ipython_dir(Path(ipython_dir))
    selected = [n for n in NEEDS if not only or n in only]
    kernels: list[kernels_mod.Kernel] | None = None
    kernel_env = {**os.environ}
    dog = None

    def watchdog() -> None:
        """Started before the first kernel, so that whatever the kernels start carries its
        token (see kernels); a run refused before any kernel starts needs none."""
        nonlocal dog
        if dog is None:
            dog = kernels_mod.watchdog(kernel_env)
            dog.__enter__()

    try:
        from ..raw.package import structural_problems

        width = max(1, min(_workers(), parallel_width(selected)))
        if not fresh_kernels and not structural_problems():
            watchdog()
            # The kernels start and import what the notebooks need while the main process
            # validates data/raw in full (a file that fails the quick checks is reported
            # below, without a kernel started for nothing).
            # Warm kernels queue the figure files their notebooks do not show (see
            # _run_notebooks); a fresh kernel, shut down after its notebook, writes them at once.
            warm_env = {**kernel_env, paths.FIGURES_QUEUED_ENV: "1"}
            kernels = [kernels_mod.Kernel(paths.NOTEBOOKS_DIR, warm_env) for _ in range(width)]
            for kernel in kernels:
                kernel.start_preimport(selected)
        from ..raw.validation import checked_tables, write_summary

        try:
            tables, notes = checked_tables()
        except RawDataError as exc:
            log(f"error: {exc}")
            shutil.rmtree(staging, ignore_errors=True)   # nothing ran: nothing to inspect
            return 1
        log(f"raw data: {len(tables)} resources valid; " + "; ".join(notes))
        from ..raw.validation import quotes_checked

        checks: dict[str, Any] = {"quotes_checked": quotes_checked(notes)}
        if not checks["quotes_checked"]:
            log("warning: quotes were not checked against the source texts; every output of "
                "this run records it (reports/manifest.json, reports/validation_summary.md)")
        provenance: dict[str, Any] = {"quotes": checks["quotes_checked"]}
        if only:
            rewritten = set(selected)
            stale = stamps.stale_outputs(target, parameters, rewritten)
            checks["partial_run"] = {"ran": selected, "stale": stale}
            provenance.update(ran=selected, stale=stale)
            if stale:
                writers = sorted({why.split(":", 1)[0] for why in stale.values()})
                log(f"warning: partial run (--only): {len(stale)} output(s) written by "
                    f"{', '.join(writers)} stay in place although they no longer fit this run's "
                    "raw data or parameters (listed in reports/validation_summary.md and "
                    "reports/manifest.json); run without --only to refresh them")
        stamp = _validated_stamp()
        os.environ[paths.RAW_VALIDATED_ENV] = stamp
        kernel_env[paths.RAW_VALIDATED_ENV] = stamp
        for kernel in kernels or []:
            # From the main thread, whose clients made them: a client made in a worker thread
            # sometimes never saw the reply to its readiness check.
            try:
                kernel.ready()
                kernel.run_silently(f"import os; os.environ[{paths.RAW_VALIDATED_ENV!r}] = {stamp!r}")
            except (RuntimeError, kernels_mod.CodeFailed) as exc:
                log(f"error: a kernel did not start: {exc} (is memory short? check 'ulimit -v' "
                    "and the memory free); nothing was written to the repository")
                return 1
        write_summary(tables, staging / SUMMARY, **provenance)
        watchdog()   # before the first fresh kernel (warm kernels have one already)
        figure_files_written = _run_notebooks(selected, parameters, staging, kernels,
                                              lambda: _fresh_kernel(kernel_env), log)
        from ..clean import process as _process_tables  # noqa: F401  (declares issue 11's tables)
        from ..clean.processed import write_descriptor
        from ..questions import participation_across_plans as _plans_tables  # noqa: F401  (notebook 07)

        write_descriptor(staging / parameters["processed_dir"])
        if not only:
            # imported here: the brief pulls in scipy.stats and matplotlib, which --only
            # runs (no brief) need not pay for
            from ..report.brief import build as build_brief

            with stamps.stamping("brief", parameters):
                briefs = build_brief(parameters, staging, tables["sources"], raw=tables,
                                     figure_files_written=figure_files_written)
            log(f"brief: {len(briefs)} files in {parameters['brief_dir']}")
        figure_files_written()
        stamps.fold(staging, target, parameters, selected, checks)
    except NotebookFailed as exc:
        log(f"error: {exc}")
        log("nothing was written to the repository; earlier outputs are intact")
        return 1
    finally:
        for key, value in earlier_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for kernel in kernels or []:
            kernel.shutdown()
        if dog is not None:
            dog.__exit__(None, None, None)
        shutil.rmtree(ipython_dir, ignore_errors=True)
    pairs = [(s, t) for s, t in _units(parameters, target, staging) if os.path.lexists(s)]
    left: list[str] = []
    try:
        with _signals_deferred():
            units = commit_mod.commit(pairs, JOURNAL, f"run-{os.getpid()}", left)
    except commit_mod.CommitError as exc:
        log(f"error: {exc}")
        return 1
    if left:
        log(f"warning: the new outputs are in place, but {len(left)} old output(s) could not be "
            "removed: " + "; ".join(left) + "; the next run removes them")
    shutil.rmtree(staging, ignore_errors=True)
    log(f"outputs in place: {units} folders and files replaced as a whole")
    return 0


def _fresh_kernel(env: dict[str, str]) -> kernels_mod.Kernel:
    kernel = kernels_mod.Kernel(paths.NOTEBOOKS_DIR, env)
    try:
        kernel.ready()
    except RuntimeError as exc:
        kernel.shutdown()
        raise NotebookFailed(f"a kernel did not start: {exc} (is memory short? check "
                             "'ulimit -v' and the memory free)") from None
    return kernel


def _validated_stamp() -> str:
    from ..raw.package import fingerprint

    return fingerprint(paths.RAW_DIR)


# ----------------------------------------------------------------------- sweep
SWEEP = {"account": ("irm2019", "pcm2018"), "other_as": ("exclude", "state", "civil_society"),
         "lang": ("es", "en")}


def sweep(out: Path | None = None, combos: list[tuple[str, str, str]] | None = None,
          log: Callable[[str], None] = print) -> int:
    """Run every account x treatment of other x language into ``sweeps/<combination>/``."""
    out = Path(out) if out is not None else Path("sweeps")
    try:
        _check_sweep_folder(out)
    except params_mod.ParameterError as exc:
        log(f"error: {exc}")
        return 2
    out = paths.ROOT / out if not out.is_absolute() else out
    combos = combos or [(a, o, lang) for a in SWEEP["account"] for o in SWEEP["other_as"]
                        for lang in SWEEP["lang"]]
    failed = 0
    for account, other_as, lang in combos:
        folder = out / f"{account}-{other_as}-{lang}"
        log(f"== sweep: account={account} other_as={other_as} lang={lang} -> {folder}")
        code = run(overrides=(f"account={account}", f"other_as={other_as}", f"lang={lang}"),
                   log=log, target=folder)
        failed += code != 0
    log(f"sweep: {len(combos) - failed} of {len(combos)} combinations ran")
    summary = sweep_summary(out, combos)
    log(f"sweep: summary of the combinations in {summary}")
    return 1 if failed else 0


def sweep_summary(out: Path, combos: list[tuple[str, str, str]]) -> Path:
    """``<out>/summary.csv``: per combination and headline stage, what its own run computed.

    One row per account x other_as x lang x stage (persons), read from that combination's
    ``data/processed/shares.csv``: whether the account reports the stage, the civil-society
    count after the treatment of other, the denominator, the share and the majority, with
    the combination's headline sentence. A combination that failed has ``ran`` false.
    """
    import pandas as pd

    from ..clean import processed
    from ..outputs import write_csv
    from ..questions.multiverse import HEADLINE_STAGES
    from ..report import brief, findings

    rows = []
    for account, other_as, lang in combos:
        folder = out / f"{account}-{other_as}-{lang}"
        data_dir = folder / "data" / "processed"
        ran = (data_dir / "shares.csv").is_file()
        tables = {n: processed.read_table(n, data_dir) for n in brief.NEEDED} if ran else {}
        params = {"account": account, "other_as": other_as, "ci_method": "wilson", "confidence": 0.95}
        headline = findings.headline(tables, account, other_as, lang) if ran else ""
        for stage in HEADLINE_STAGES:
            facts = findings.stage_facts(tables["shares"], account, stage, other_as) if ran else {}
            rows.append({**params, "lang": lang, "ran": ran, "stage": stage,
                         "reported": facts.get("reported", False), "k": facts.get("k"),
                         "n": facts.get("n"), "share_civil_society": facts.get("share"),
                         "majority": facts.get("majority"), "headline": headline})
    frame = pd.DataFrame(rows).drop(columns=["ci_method", "confidence"])
    for col in ("k", "n"):
        frame[col] = frame[col].astype("Int64")
    return write_csv(frame, out / "summary.csv")


def _check_sweep_folder(out: Path) -> Path:
    """The sweep folder: resolved inside the repository, clear of protected and committed outputs."""
    root = paths.ROOT.resolve()
    resolved = (paths.ROOT / out).resolve()
    if resolved == root or root not in resolved.parents:
        raise params_mod.ParameterError(f"the sweep folder must be a subfolder of the repository, "
                                        f"got {str(out)!r}, which resolves to {resolved}")
    params_mod.check_not_protected("the sweep folder", resolved, out)
    committed = params_mod.load()
    for key, folder in params_mod.check_outputs(committed).items():
        summary = (root / SUMMARY).resolve()
        for other in (folder, summary):
            if other == resolved or resolved in other.parents or other in resolved.parents:
                raise params_mod.ParameterError(
                    f"the sweep folder must keep clear of the committed outputs ({key}: "
                    f"{committed[key]}), got {str(out)!r}")
    return resolved


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
