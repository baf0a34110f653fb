import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.raw import load_raw


def _private_ipython_dir() -> None:
    """Kernels started by nbval and the tests (which inherit this process's environment)
    keep no IPython history and write nothing into ~/.ipython: their IPython directory is
    a folder in the temporary folder with history off (the runner's kernels get their own,
    ``analysis.run.kernels``). Removed at the end of the session (``pytest_unconfigure``):
    xdist workers end without running atexit handlers."""
    import tempfile

    from analysis.run.kernels import private_ipython_dir

    folder = tempfile.mkdtemp(prefix="analysis-ipython-")
    os.environ["IPYTHONDIR"] = private_ipython_dir(Path(folder))
    _IPYTHON_FOLDERS.append(folder)


_IPYTHON_FOLDERS: list[str] = []


def pytest_unconfigure(config):
    for folder in _IPYTHON_FOLDERS:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_configure(config):
    """Give each xdist worker its own notebook output folder.

    ``make test`` points ANALYSIS_OUTPUT_ROOT at one temporary folder for nbval. Workers run
    different notebooks at the same time, so a shared folder would let notebook 01, re-run
    by one worker, rewrite the tables another worker's notebook 02 is checking. Within one
    worker the notebooks run one after another, as they would by hand.
    """
    # xdist would otherwise hand out the files with the most tests first, not the longest
    # (LONGEST_FIRST below): the end-to-end files, which have few tests, came last.
    _private_ipython_dir()
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    root = os.environ.get(paths.OUTPUT_ROOT_ENV)
    if worker and root and Path(root).name != worker:
        os.environ[paths.OUTPUT_ROOT_ENV] = str(Path(root) / worker)


#: Test files by how long they take, longest first (``make test`` on 2 cores). xdist
#: (``--dist loadfile``, its reordering by number of tests turned off in pytest_configure)
#: hands out files in collection order, two to a worker at the start and one more whenever
#: a worker is done with one, so the long files go first and the short ones fill the gaps
#: at the end; before, the fuzzing came last and one worker idled for 10 s. Files not
#: listed keep their order, after these; the notebooks (nbval) keep their run order, at
#: the place of "notebooks".
LONGEST_FIRST = [
    "test_pipeline_failures.py", "test_pipeline.py", "test_pipeline_sweep.py", "test_runner_owns.py",
    "test_fuzz_raw.py",
    "test_stamps.py", "test_figure_text.py", "test_edits_refused.py", "notebooks",
    "test_brief_browser.py", "test_explore_browser.py", "test_doc_commands.py", "test_brief_audit.py",
    "test_bad_input.py", "test_totals.py",
]


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}

    def place(item) -> int:
        name = "notebooks" if item.path.suffix == ".ipynb" else item.path.name
        return rank.get(name, len(rank))

    items.sort(key=place)  # stable: tests and notebooks keep their order within a place


@pytest.fixture(scope="session")
def raw():
    return load_raw()


#: The committed processed tables the figures are drawn from (``figures.catalogue``).
FIGURE_TABLES = ["commitments", "plans", "attendance", "shares", "survival", "multiverse"]


@pytest.fixture(scope="session")
def figure_tables():
    from analysis.clean import processed

    return {n: processed.read_table(n, paths.ROOT / "data" / "processed") for n in FIGURE_TABLES}


@pytest.fixture(scope="session")
def catalogue(raw, figure_tables):
    from analysis.report import figures

    return figures.catalogue(raw, figure_tables)


@pytest.fixture(scope="session")
def drawn(catalogue):
    """Every figure of the catalogue, freshly drawn in each language (not rendered); the
    figure tests of every file read them, and only the layout check lays them out."""
    from analysis.report import figures

    out = {}
    for name, draw in catalogue.items():
        for lang in figures.LANGS:
            with figures.style():
                out[name, lang] = draw(lang)
    return out


@pytest.fixture(scope="session")
def sources_dir():
    found = paths.sources_dir()
    if found is None and os.environ.get("CI"):
        pytest.fail("shared/sources/ (the plain-text documents) is missing, and in CI (CI is "
                    f"set) provenance must be checked, not skipped: set {paths.SOURCES_ENV}")
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
