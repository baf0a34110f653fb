"""Which parameters and which raw data every output was computed under.

Each step that writes outputs (a notebook, the brief) sets a *stamp*: its name, the
parameters it ran with (output folders left out: they change where, not what) and the
checksum of the raw data (``raw_checksum``). ``analysis.outputs`` records every file
written under a stamp in ``<output root>/.stamps/<step>.json``; at the end of a run
``fold`` moves those records into

- ``reports/manifest.json``: every output file with its SHA-256, the step that wrote it,
  its parameters and raw checksum;
- ``data/processed/datapackage.json``: the same three facts on each table's resource
  (``produced_by``, ``parameters``, ``raw_checksum``).

A record is believed only while the file still has the bytes it was recorded with, so a
file rewritten by anything else loses its label rather than keep a wrong one.

Before a notebook reads tables written by an earlier stage, ``stale_inputs`` compares
their records with its own parameters: the pipeline (``--only``) re-runs the notebooks
that wrote them, and a notebook run by hand (``analysis.run.guard``) stops and says what
to run first.
"""

from __future__ import annotations

import ast
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import outputs, paths
from ..parameters import affects_processed_tables
from ..raw.corrections import CORRECTIONS
from ..raw.package import raw_checksum, sha256
from . import params as params_mod

MANIFEST = Path("reports") / "manifest.json"

#: The corrections tables the raw-data checksum covers, beside data/raw.
CORRECTIONS_DIR = CORRECTIONS.parent


def recorded_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The parameters that can change what an output says (output folders left out)."""
    return {k: v for k, v in sorted(parameters.items())
            if k in params_mod.SPEC and not params_mod.SPEC[k].is_path}


def stamp_for(step: str, parameters: dict[str, Any], checksum: str | None = None) -> dict[str, Any]:
    return {"produced_by": step, "parameters": recorded_parameters(parameters),
            "raw_checksum": checksum or raw_checksum()}


@contextmanager
def stamping(step: str, parameters: dict[str, Any]) -> Iterator[None]:
    """Record the files written inside the block as computed by ``step`` under ``parameters``."""
    outputs.set_stamp(stamp_for(step, parameters))
    try:
        yield
    finally:
        outputs.set_stamp(None)


class UnreadableNotebook(ValueError):
    """A notebook file that cannot be read (truncated, hand-broken); the message names it."""


def declared(name: str, notebooks_dir: Path | None = None) -> dict[str, Any]:
    """A notebook's parameters and their defaults, read from its ``parameters`` cell.

    Raises ``UnreadableNotebook`` naming the notebook (and the line, for broken JSON)."""
    path = (Path(notebooks_dir) if notebooks_dir else paths.NOTEBOOKS_DIR) / f"{name}.ipynb"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
        found = {}
        for node in ast.parse("".join(cell["source"])).body:
            target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
            found[target.id] = ast.literal_eval(node.value)
    except json.JSONDecodeError as exc:
        raise UnreadableNotebook(f"notebook {path.name} cannot be read as a notebook: line "
                                 f"{exc.lineno}, column {exc.colno}: {exc.msg} (truncated?); "
                                 f"restore it with 'git checkout -- notebooks/{path.name}'") from None
    except (OSError, UnicodeDecodeError, StopIteration, KeyError, TypeError, AttributeError,
            SyntaxError, ValueError, IndexError) as exc:
        raise UnreadableNotebook(f"notebook {path.name}: its parameters cell cannot be read "
                                 f"({type(exc).__name__}); restore it with 'git checkout -- "
                                 f"notebooks/{path.name}'") from None
    return found


def _sha256(path: Path) -> str:
    return f"sha256:{sha256(path)}"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def records(root: Path) -> dict[str, dict[str, Any]]:
    """Every output under ``root`` whose current bytes match a record: relative path ->
    {hash, produced_by, parameters, raw_checksum}.

    Records come from the committed manifest, the manifest under ``root`` and the
    per-step records of the current run (latest wins)."""
    root = Path(root)
    candidates: dict[str, list[dict[str, Any]]] = {}
    for manifest in dict.fromkeys([paths.ROOT / MANIFEST, root / MANIFEST]):
        for rel, rec in _read_json(manifest).get("files", {}).items():
            candidates.setdefault(rel, []).append(rec)
    for log in sorted((root / outputs.STAMPS_DIR).glob("*.json")):
        step = _read_json(log)
        for rel, digest in step.get("files", {}).items():
            candidates.setdefault(rel, []).append(
                {"hash": digest, **{k: step[k] for k in ("produced_by", "parameters", "raw_checksum")}})
    found = {}
    for rel, recs in candidates.items():
        path = root / rel
        if not path.is_file():
            continue
        digest = _sha256(path)
        matching = [r for r in recs if r.get("hash") == digest]
        if matching:
            found[rel] = matching[-1]
    return found


def earlier_notebooks(name: str, needs: dict[str, tuple[str, ...]]) -> list[str]:
    """The notebooks whose processed tables ``name`` reads (``pipeline.NEEDS``), and theirs."""
    found: list[str] = []
    for dep in needs[name]:
        for n in earlier_notebooks(dep, needs) + [dep]:
            if n not in found:
                found.append(n)
    return sorted(found, key=list(needs).index)


def stale_inputs(earlier: list[str], parameters: dict[str, Any], root: Path,
                 checksum: str | None = None) -> list[tuple[str | None, str]]:
    """Why the processed tables under ``root`` that the ``earlier`` notebooks wrote cannot
    serve a notebook run under ``parameters``: (notebook that must run again, reason)
    pairs, with None when the writer is unknown. Empty when every input fits."""
    if not earlier:
        return []
    checksum = checksum or raw_checksum()
    processed_dir = parameters.get("processed_dir", "data/processed")
    found = records(root)
    problems: list[tuple[str | None, str]] = []
    grouped: dict[tuple[str, str], list[str]] = {}
    seen = set()
    for path in sorted((Path(root) / processed_dir).glob("*.csv")):
        rel = path.relative_to(root).as_posix()
        rec = found.get(rel)
        if rec is None:
            problems.append((None, f"{rel} has no record of the parameters it was computed under "
                                   f"(written outside a stamped step, or changed since)"))
            continue
        writer = rec["produced_by"]
        if writer not in earlier:
            continue
        seen.add(writer)
        if rec["raw_checksum"] != checksum:
            grouped.setdefault((writer, "computed from other raw data than data/raw holds now"),
                               []).append(path.name)
        differ = {k: v for k, v in rec["parameters"].items()
                  if k in parameters and parameters[k] != v and affects_processed_tables(k)}
        if differ:
            reason = ("computed with " + ", ".join(f"{k}={v!r}" for k, v in differ.items())
                      + "; this run has " + ", ".join(f"{k}={parameters[k]!r}" for k in differ))
            grouped.setdefault((writer, reason), []).append(path.name)
    for (writer, reason), tables in grouped.items():
        problems.append((writer, f"{', '.join(tables)} in {processed_dir} (written by {writer}) "
                                 f"{'were' if len(tables) > 1 else 'was'} {reason}"))
    for writer in earlier:
        if writer not in seen and not any(w == writer for w, _ in problems):
            problems.append((writer, f"no table written by {writer} in {processed_dir}"))
    return problems


def with_dependencies(only: tuple[str, ...], parameters: dict[str, Any], root: Path,
                      needs: dict[str, tuple[str, ...]], log=print) -> tuple[str, ...]:
    """``--only`` plus every notebook it reads from whose tables do not fit ``parameters``."""
    if not only:
        return only
    checksum = raw_checksum()
    order = list(needs)
    selected = set(only)
    changed = True
    while changed:
        changed = False
        for name in sorted(selected, key=order.index, reverse=True):
            passed = {k: v for k, v in parameters.items() if k in declared(name)}
            earlier = earlier_notebooks(name, needs)
            for writer, reason in stale_inputs(earlier, passed, root, checksum):
                need = [writer] if writer else earlier
                for extra in need:
                    if extra not in selected:
                        log(f"{name} needs {extra} again: {reason}")
                        selected.add(extra)
                        changed = True
    return tuple(n for n in order if n in selected)


def stale_outputs(target: Path, parameters: dict[str, Any], rewritten: set[str]) -> dict[str, str]:
    """The recorded outputs under ``target`` that a partial run (``--only``) leaves in place
    although they no longer fit: relative path -> why (computed from other raw data than
    data/raw holds now, or under other parameters). ``rewritten``: the steps this run
    runs (notebooks, and "brief" when it builds the brief); their outputs are replaced."""
    checksum = raw_checksum()
    now = recorded_parameters(parameters)
    found = {}
    for rel, rec in sorted(records(target).items()):
        if rec.get("produced_by") in rewritten:
            continue
        reasons = []
        if rec.get("raw_checksum") != checksum:
            reasons.append("computed from other raw data than data/raw holds now")
        differ = {k: v for k, v in rec.get("parameters", {}).items() if k in now and now[k] != v}
        if differ:
            reasons.append("computed with " + ", ".join(f"{k}={v!r}" for k, v in differ.items()))
        if reasons:
            found[rel] = f"{rec.get('produced_by')}: " + "; ".join(reasons)
    return found


def fold(staging: Path, target: Path, parameters: dict[str, Any], ran: list[str],
         checks: dict[str, Any] | None = None) -> None:
    """Move this run's records into the manifest and the processed datapackage.

    ``staging`` holds this run's files, ``target`` the earlier outputs that stay. Records
    of files that are gone, or whose bytes changed since, are dropped. ``checks``: what
    this run's validation could and could not check (``quotes_checked``), recorded on
    every file it wrote, and, with ``partial_run`` (the outputs a partial run left stale),
    at the top of the manifest."""
    staging, target = Path(staging), Path(target)
    checks = dict(checks or {})
    partial = checks.pop("partial_run", None)
    checksum = raw_checksum()
    entries: dict[str, dict[str, Any]] = dict(_read_json(target / MANIFEST).get("files", {}))
    for log in sorted((staging / outputs.STAMPS_DIR).glob("*.json")):
        step = _read_json(log)
        for rel, digest in step["files"].items():
            entries[rel] = {"hash": digest, "produced_by": step["produced_by"],
                            "parameters": step["parameters"], "raw_checksum": step["raw_checksum"],
                            **checks}
    for name in ran:  # executed copies are written by the runner, not inside the notebook
        passed = {k: v for k, v in parameters.items() if k in declared(name)}
        stamp = stamp_for(name, passed, checksum)
        for rel in (Path(parameters["executed_dir"]) / f"{name}.ipynb", Path("notebooks") / f"{name}.ipynb"):
            if (staging / rel).is_file():
                entries[rel.as_posix()] = {"hash": _sha256(staging / rel), **stamp, **checks}
    kept = {}
    for rel, rec in sorted(entries.items()):
        final = staging / rel if (staging / rel).is_file() else target / rel
        if final.is_file() and _sha256(final) == rec["hash"]:
            kept[rel] = rec
    manifest = {"description": "Every output with the step that wrote it, the parameters it ran "
                               "with, the checksum of data/raw and whether its run checked the "
                               "quotes against the source texts (see analysis.run.stamps).",
                "files": kept}
    if partial is not None:   # absent after a full run: nothing of an earlier run is left
        manifest["partial_run"] = partial
    outputs.write_text(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    processed = Path(parameters["processed_dir"])
    descriptor_path = staging / processed / "datapackage.json"
    if descriptor_path.is_file():
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            rec = kept.get((processed / resource["path"]).as_posix())
            if rec is not None and rec["hash"] == resource.get("hash"):
                resource.update({k: rec[k] for k in ("produced_by", "parameters", "raw_checksum",
                                                     "quotes_checked") if k in rec})
        outputs.write_text(descriptor_path, json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n")
    shutil.rmtree(staging / outputs.STAMPS_DIR, ignore_errors=True)
