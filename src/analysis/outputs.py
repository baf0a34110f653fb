"""Deterministic, atomic writing of outputs.

Every file is written to a temporary name beside its target and moved into place only
once complete, so a crash never leaves a half-written CSV, figure or report behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd


def write_bytes(path: Path, data: bytes) -> Path:
    path = Path(path)
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
