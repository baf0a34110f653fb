import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.raw import load_raw


def pytest_configure(config):
    """Give each xdist worker its own notebook output folder.

    ``make test`` points ANALYSIS_OUTPUT_ROOT at one temporary folder for nbval. Workers run
    different notebooks at the same time, so a shared folder would let notebook 01, re-run
    by one worker, rewrite the tables another worker's notebook 02 is checking. Within one
    worker the notebooks run one after another, as they would by hand.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    root = os.environ.get(paths.OUTPUT_ROOT_ENV)
    if worker and root and Path(root).name != worker:
        os.environ[paths.OUTPUT_ROOT_ENV] = str(Path(root) / worker)


@pytest.fixture(scope="session")
def raw():
    return load_raw()


@pytest.fixture(scope="session")
def sources_dir():
    found = paths.sources_dir()
    if found is None:
        pytest.skip("shared/sources/ (the plain-text documents) is not beside the repository; "
                    "provenance cannot be checked in this checkout")
    return found


@pytest.fixture
def raw_copy(tmp_path) -> Path:
    """A scratch copy of data/raw that a test may corrupt."""
    target = tmp_path / "raw"
    shutil.copytree(paths.RAW_DIR, target)
    return target


def edit_csv(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of the row whose first field is ``row_id``; return its line number."""
    import csv
    import io

    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    col = rows[0].index(column)
    for number, row in enumerate(rows[1:], start=2):
        if row[0] == row_id:
            row[col] = value
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows(rows)
            path.write_text(out.getvalue(), encoding="utf-8")
            return number
    raise KeyError(row_id)
