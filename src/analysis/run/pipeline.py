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

from .. import paths
from ..problems import RawDataError
from . import params as params_mod

#: Notebooks in run order; the notebooks of one stage are independent and may run in parallel.
STAGES: list[tuple[str, ...]] = [
    ("01_clean_and_reconcile",),
    ("02_participation_shares", "03_proposal_survival", "04_commitment_evolution",
     "05_multistakeholder_bodies"),
]
#: Within a stage, the slowest notebooks start first so that parallel workers finish together.
LONGEST_FIRST = ["04_commitment_evolution", "03_proposal_survival", "02_participation_shares",
                 "05_multistakeholder_bodies"]

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


def _prepare_staging(parameters: dict[str, Any], target: Path) -> Path:
    STAGING.mkdir(exist_ok=True)
    staging = STAGING / f"run-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for rel in _output_dirs(parameters):
        if (target / rel).is_dir():
            shutil.copytree(target / rel, staging / rel, dirs_exist_ok=True)
        else:
            (staging / rel).mkdir(parents=True, exist_ok=True)
    return staging


def _commit_staging(staging: Path, root: Path) -> int:
    moved = 0
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        target = root / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved += 1
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def run(param_file: Path | None = None, overrides: tuple[str, ...] = (),
        only: tuple[str, ...] = (), jobs: int | None = None,
        log: Callable[[str], None] = print, target: Path | None = None) -> int:
    """Run the main job; return a process exit code (0 success, 1 failure, 2 bad parameters).

    Outputs go to the repository, or under ``target`` (the parameter sweep uses this so that
    it never touches the committed outputs).
    """
    target = Path(target) if target is not None else paths.ROOT
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
    from ..raw.validation import checked_tables

    try:
        tables, notes = checked_tables()
    except RawDataError as exc:
        log(f"error: {exc}")
        return 1
    log(f"raw data: {len(tables)} resources valid; " + "; ".join(notes))

    from ..raw.validation import write_summary

    staging = _prepare_staging(parameters, target)
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
                order = sorted(stage, key=lambda n: LONGEST_FIRST.index(n) if n in LONGEST_FIRST else 0)
                with ProcessPoolExecutor(max_workers=min(workers, len(stage))) as pool:
                    futures = {n: pool.submit(execute, n, parameters, staging) for n in order}
                    results = [futures[n].result() for n in stage]
            for name, seconds in results:
                done += 1
                log(f"[{done}/{total}] {name} done ({seconds:.1f} s)")
        from ..clean.processed import write_descriptor
        from ..report.brief import build as build_brief

        write_descriptor(staging / parameters["processed_dir"])
        if not only:
            briefs = build_brief(parameters, staging, tables["sources"], raw=tables)
            log(f"brief: {len(briefs)} files in {parameters['brief_dir']}")
    except NotebookFailed as exc:
        log(f"error: {exc}")
        log("nothing was written to the repository; earlier outputs are intact")
        return 1
    finally:
        os.environ.pop(paths.OUTPUT_ROOT_ENV, None)
    moved = _commit_staging(staging, target)
    log(f"wrote {moved} output files")
    return 0


SWEEP = {"account": ("irm2019", "pcm2018"), "other_as": ("exclude", "state", "civil_society"),
         "lang": ("es", "en")}


def sweep(out: Path | None = None, combos: list[tuple[str, str, str]] | None = None,
          log: Callable[[str], None] = print) -> int:
    """Run every account x treatment of other x language into ``sweeps/<combination>/``."""
    out = Path(out) if out is not None else paths.ROOT / "sweeps"
    if out.resolve() == paths.ROOT.resolve() or paths.ROOT.resolve() not in out.resolve().parents:
        log(f"error: the sweep folder must be a subfolder of the repository, got {out}")
        return 2
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
