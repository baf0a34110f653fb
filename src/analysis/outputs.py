"""Deterministic, atomic writing of outputs.

Every file is written to a temporary name beside its target and moved into place only
once complete, so a crash never leaves a half-written CSV, figure or report behind.

Every file written while a *stamp* is set (``set_stamp``: which step, under which
parameters and raw-data checksum; ``analysis.run.guard`` sets it at the top of each
notebook) is recorded, with its SHA-256, in ``<output root>/.stamps/<step>.json``. The
pipeline folds these records into ``data/processed/datapackage.json`` and
``reports/manifest.json`` (see ``analysis.run.stamps``), so that every output states the
parameters it was computed under.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from . import paths

#: Folder, under the output root, of the per-step records of written files.
STAMPS_DIR = ".stamps"


class Record:
    """The files written under one stamp, with their SHA-256."""

    def __init__(self, stamp: dict[str, Any]):
        self.stamp = dict(stamp)
        self.files: dict[str, str] = {}


_current: Record | None = None


def set_stamp(stamp: dict[str, Any] | None) -> None:
    """Record every later write as computed under ``stamp`` (None stops recording).

    ``stamp`` holds at least ``produced_by`` (the step's name), ``parameters`` and
    ``raw_checksum``.
    """
    global _current
    _current = Record(stamp) if stamp is not None else None


def current_record() -> Record | None:
    """The record of the step running now, for a write made on its behalf later
    (``write_bytes(..., record=...)``: the figure files a notebook queued)."""
    return _current


def _record(path: Path, data: bytes, record: Record | None) -> None:
    if record is None:
        return
    root = paths.output_root().resolve()
    try:
        rel = path.resolve().relative_to(root)
    except ValueError:
        return  # not an output of this run (a temporary file, for example)
    if rel.parts[0] == STAMPS_DIR:
        return
    record.files[rel.as_posix()] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    content = {**record.stamp, "files": dict(sorted(record.files.items()))}
    _replace(root / STAMPS_DIR / f"{record.stamp['produced_by']}.json",
             (json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())


def write_bytes(path: Path, data: bytes, record: Record | None = None) -> Path:
    """Write atomically; record the file under ``record``, by default the current step's."""
    path = _replace(Path(path), data)
    _record(path, data, record if record is not None else _current)
    return path


def _replace(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def csv_text(frame: pd.DataFrame) -> str:
    """CSV with fixed conventions: UTF-8, '\\n' line ends, no index, 6-digit floats."""
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.6g")


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    return write_text(path, csv_text(frame))
