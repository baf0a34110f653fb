"""The first code cell of every notebook, however the notebook is run.

``start(name, globals())`` runs right after the ``parameters`` cell (and after any cell
papermill injects). It

1. checks the notebook's parameters against the same specification as the pipeline
   (``analysis.run.params.SPEC``) and stops on a bad value, or on a name passed to
   papermill that the notebook does not declare, before anything is written;
2. outside the pipeline (papermill CLI, JupyterLab, nbconvert, nbval) makes sure nothing
   is written into the committed outputs: outputs go to ``paths.output_root()``, which is
   the git-ignored ``scratch/`` folder unless ``ANALYSIS_OUTPUT_ROOT`` says otherwise;
   processed tables the notebook reads and that are missing there are copied from the
   committed ones;
3. outside the pipeline, stops with a message saying what to run first when the tables
   it reads were computed under other parameters or other raw data (the pipeline does
   this check itself before it starts, and re-runs what is needed);
4. stamps every file the notebook writes with its parameters and the raw-data checksum.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from .. import outputs, paths
from . import params as params_mod
from . import stamps
from .pipeline import NEEDS


class StaleInputs(RuntimeError):
    """The tables a notebook reads were computed under other parameters or raw data."""


def injected_names(namespace: dict[str, Any]) -> set[str]:
    """The names papermill injected (``-p name value``), read from the kernel's input history.

    Papermill only warns about a name the notebook does not declare and runs on, so a
    misspelt ``-p acount pcm2018`` would silently run under the default. Its injected cell
    starts with ``# Parameters``; without one (nbval, JupyterLab) nothing was injected.
    """
    import ast

    history = namespace.get("In")
    if not isinstance(history, list):
        return set()
    for source in reversed(history[:-1]):           # the last entry is the running cell
        if isinstance(source, str) and source.startswith("# Parameters\n"):
            try:
                body = ast.parse(source).body
            except SyntaxError:
                return set()
            return {target.id for node in body if isinstance(node, (ast.Assign, ast.AnnAssign))
                    for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                    if isinstance(target, ast.Name)}
    return set()


def check(name: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """The notebook's parameters, validated. ParameterError names, in one message, the names
    passed to papermill that the notebook does not declare and the first bad value, so that
    one failed run shows both."""
    declared = stamps.declared(name)
    problems = []
    unknown = sorted(injected_names(namespace) - set(declared))
    if unknown:
        problems.append(f"notebook {name} has no parameter {', '.join(repr(u) for u in unknown)}; "
                        f"its parameters are {', '.join(declared)}")
    try:
        checked = params_mod.check_values({key: namespace[key] for key in declared})
    except params_mod.ParameterError as exc:
        problems.append(str(exc))
    if problems:
        raise params_mod.ParameterError("; and ".join(problems))
    return checked


def _seed(root: Path, processed_dir: str) -> list[str]:
    """Copy committed processed tables missing under ``root`` (never overwrite)."""
    source, target = paths.ROOT / processed_dir, root / processed_dir
    if not source.is_dir() or source.resolve() == target.resolve():
        return []
    copied = []
    for path in sorted(source.iterdir()):
        dest = target / path.name
        if path.is_file() and not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, dest)
            copied.append(path.name)
    return copied


def _advice(name: str, parameters: dict[str, Any], earlier: list[str],
            problems: list[tuple[str | None, str]]) -> str:
    writers = sorted({w for w, _ in problems if w}) or earlier
    lines = [f"notebook {name} cannot run here with these parameters: the tables it reads "
             f"were not computed under them."]
    lines += [f"  - {reason}" for _, reason in problems]
    for writer in writers:
        flags = " ".join(f"-p {k} {v}" for k, v in parameters.items()
                         if k in stamps.declared(writer))
        lines.append(f"Run first: papermill notebooks/{writer}.ipynb /tmp/{writer}.ipynb {flags}")
    sets = " ".join(f"--set {k}={v}" for k, v in stamps.recorded_parameters(parameters).items())
    lines.append(f"or run everything: python -m analysis run {sets}")
    return "\n".join(lines)


def start(name: str, namespace: dict[str, Any]) -> dict[str, Any]:
    """Validate, protect the committed outputs, check inputs, start stamping; see the module."""
    parameters = check(name, namespace)
    root = paths.output_root()
    if not paths.run_by_pipeline():
        if "processed_dir" in parameters:
            _seed(root, parameters["processed_dir"])
        earlier = stamps.earlier_notebooks(name, NEEDS)
        problems = stamps.stale_inputs(earlier, parameters, root)
        if problems:
            raise StaleInputs(_advice(name, parameters, earlier, problems))
        if os.environ.get(paths.OUTPUT_ROOT_ENV) is None:
            print(f"Run outside the pipeline: outputs go to {root} (ignored by git), not to the "
                  f"committed outputs; `make all` refreshes those.")
    outputs.set_stamp(stamps.stamp_for(name, parameters))
    return parameters
