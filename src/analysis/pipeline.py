"""The main job: validate parameters and raw data, run the notebooks through Papermill.

A run never half-updates the repository. Everything is written into a staging folder
(``.staging/``, the notebooks see it through ``ANALYSIS_OUTPUT_ROOT``) and moved into
place only when every step has succeeded. On failure the run exits non-zero naming the
notebook and the cell, and the staging folder is kept for inspection.
"""

from __future__ import annotations

import ast
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from . import params as params_mod
from . import paths
from .raw import RawDataError, load_raw

#: Notebooks in run order; the notebooks of one stage are independent and may run in parallel.
STAGES: list[tuple[str, ...]] = [
    ("01_clean_and_reconcile",),
    ("02_participation_shares", "03_proposal_survival", "04_commitment_evolution",
     "05_multistakeholder_bodies"),
]

STAGING = paths.ROOT / ".staging"


class NotebookFailed(RuntimeError):
    pass


def notebook_names() -> list[str]:
    return [name for stage in STAGES for name in stage]


def normalise_notebook(nb) -> None:
    """Drop what changes from run to run (timings, paths, versions) from an executed notebook."""
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

    declared = pm.inspect_notebook(str(notebook))
    return {name: ast.literal_eval(info["default"]) for name, info in declared.items()}


def execute(name: str, parameters: dict[str, Any], staging: Path) -> tuple[str, float]:
    """Execute one notebook into the staging folder; return its name and duration."""
    import nbformat
    import papermill as pm

    start = time.perf_counter()
    source = paths.NOTEBOOKS_DIR / f"{name}.ipynb"
    defaults = _declared(source)
    passed = {k: v for k, v in parameters.items() if k in defaults}
    executed = staging / parameters["executed_dir"] / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = pm.execute_notebook(str(source), str(executed), parameters=passed,
                                 cwd=str(paths.NOTEBOOKS_DIR), kernel_name="python3",
                                 progress_bar=False, log_output=False)
    except pm.PapermillExecutionError as exc:
        raise NotebookFailed(f"notebook {name}.ipynb failed in cell {exc.exec_count} "
                             f"(cell index {exc.cell_index}): {exc.ename}: {exc.evalue}; "
                             f"the executed copy is at {executed}") from None
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


def _output_dirs(parameters: dict[str, Any]) -> list[str]:
    return [parameters[k] for k in ("processed_dir", "figures_dir", "executed_dir", "brief_dir")]


def _prepare_staging(parameters: dict[str, Any]) -> Path:
    STAGING.mkdir(exist_ok=True)
    for old in STAGING.glob("run-*"):
        shutil.rmtree(old, ignore_errors=True)
    staging = STAGING / f"run-{os.getpid()}"
    for rel in _output_dirs(parameters):
        if (paths.ROOT / rel).is_dir():
            shutil.copytree(paths.ROOT / rel, staging / rel, dirs_exist_ok=True)
        else:
            (staging / rel).mkdir(parents=True, exist_ok=True)
    return staging


def _commit_staging(staging: Path) -> int:
    moved = 0
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = paths.ROOT / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved += 1
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def run(param_file: Path | None = None, overrides: tuple[str, ...] = (),
        only: tuple[str, ...] = (), jobs: int | None = None,
        log: Callable[[str], None] = print) -> int:
    """Run the main job; return a process exit code (0 success, 1 failure, 2 bad parameters)."""
    try:
        parameters = params_mod.load(param_file, overrides)
        unknown = [n for n in only if n not in notebook_names()]
        if unknown:
            raise params_mod.ParameterError(f"unknown notebook(s) {unknown}; known: "
                                            f"{', '.join(notebook_names())}")
    except params_mod.ParameterError as exc:
        log(f"error: {exc}")
        return 2
    log("parameters: " + ", ".join(f"{k}={v}" for k, v in parameters.items()))
    try:
        tables = load_raw()
    except RawDataError as exc:
        log(f"error: {exc}")
        return 1
    log(f"raw data: {len(tables)} resources valid")

    from .validation import write_summary

    staging = _prepare_staging(parameters)
    os.environ[paths.OUTPUT_ROOT_ENV] = str(staging)
    try:
        write_summary(tables, staging / "reports" / "validation_summary.md")
        selected = [tuple(n for n in stage if not only or n in only) for stage in STAGES]
        total = sum(len(s) for s in selected)
        done = 0
        workers = max(1, jobs or os.cpu_count() or 1)
        for stage in [s for s in selected if s]:
            if len(stage) == 1 or workers == 1:
                results = [execute(name, parameters, staging) for name in stage]
            else:
                with ProcessPoolExecutor(max_workers=min(workers, len(stage))) as pool:
                    futures = [pool.submit(execute, n, parameters, staging) for n in stage]
                    results = [f.result() for f in futures]
            for name, seconds in results:
                done += 1
                log(f"[{done}/{total}] {name} done ({seconds:.1f} s)")
        from .processed import write_descriptor

        write_descriptor(staging / parameters["processed_dir"])
    except NotebookFailed as exc:
        log(f"error: {exc}")
        log("nothing was written to the repository; earlier outputs are intact")
        return 1
    finally:
        os.environ.pop(paths.OUTPUT_ROOT_ENV, None)
    moved = _commit_staging(staging)
    log(f"wrote {moved} output files")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
