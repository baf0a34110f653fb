"""End to end, failing: a broken notebook, bad raw data, a protected output folder, SIGTERM
and a second run at once each stop with a one-line message and leave the outputs as they
were. (Its own file, so that xdist runs it beside test_pipeline.py; the SIGKILL case shares
the run of test_pipeline.py, and the commit is failed at every step in test_commit.py.)"""

import os
import signal

import pytest
from pipeline_repo import copy_repo, digests, gone, in_process_target, processes_of, run, start, wait_for

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("failures") / "repo")


def test_failing_notebook_is_named_stops_the_others_and_outputs_stay_intact(tmp_path, monkeypatch):
    """Notebook 01 fails while 06 runs beside it on the other kernel; 06 is made to hang, so
    the run ends only if the failure stops it (it commits nothing either way). In this
    process, as the runner's own code: the notebooks are copies with the extra cells."""
    import shutil
    import time

    import nbformat

    from analysis import paths
    from analysis.run import pipeline

    target = in_process_target(tmp_path, monkeypatch)
    notebooks = shutil.copytree(paths.NOTEBOOKS_DIR, tmp_path / "notebooks")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    before = digests(target)
    name, beside = "01_clean_and_reconcile", "06_process_and_standards"
    for notebook, code in ((name, "raise RuntimeError('deliberate failure')"),
                           (beside, "import time\ntime.sleep(600)")):
        nb = nbformat.read(notebooks / f"{notebook}.ipynb", as_version=4)
        nb.cells.insert(3, nbformat.v4.new_code_cell(code))
        nbformat.write(nb, notebooks / f"{notebook}.ipynb")
    messages = []
    start = time.monotonic()
    code = pipeline.run(only=(name, beside), log=messages.append, target=target)
    told = "\n".join(messages)
    assert code == 1, told
    assert time.monotonic() - start < 120, told     # not 600 s: the hanging notebook was stopped
    assert f"notebook {name}.ipynb failed in cell" in told
    assert "RuntimeError: deliberate failure" in told
    assert f"{beside} done" not in told
    assert messages[-1] == "nothing was written to the repository; earlier outputs are intact"
    assert gone(tmp_path) == []                             # no kernel outlived the run
    assert digests(target) == before


def test_a_queued_figure_file_that_cannot_be_written_is_named_and_nothing_is_written(tmp_path,
                                                                                   monkeypatch):
    """Warm kernels write the figure files their notebooks do not show after their last
    notebook (while the runner builds the brief); a failure there ends the run in one line
    naming the file and the notebook, and commits nothing."""
    from analysis.run import pipeline

    target = in_process_target(tmp_path, monkeypatch)
    blocked = target / "reports" / "figures" / "bodies_parity_en.png"   # lang is es: not shown
    blocked.unlink()
    blocked.mkdir()                      # a folder where the file goes: it cannot be replaced
    before = digests(target)
    messages = []
    code = pipeline.run(only=("05_multistakeholder_bodies",), log=messages.append, target=target)
    assert code == 1
    assert "[1/1] 05_multistakeholder_bodies done" in "\n".join(messages)   # the notebook ran
    errors = [m for m in messages if m.startswith("error:")]
    assert len(errors) == 1 and "\n" not in errors[0]
    assert errors[0].startswith("error: figure bodies_parity_en (queued by 05_multistakeholder_bodies) "
                                "could not be written after the notebook: IsADirectoryError")
    assert messages[-1] == "nothing was written to the repository; earlier outputs are intact"
    assert digests(target) == before and blocked.is_dir()
    assert gone(tmp_path) == []                                 # no kernel outlived the run


def test_invalid_raw_data_stops_before_any_notebook(tmp_path):
    repo = copy_repo(tmp_path / "badraw")
    before = digests(repo)
    csv = repo / "data" / "raw" / "attendance.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    result = run(repo)
    assert result.returncode == 1
    assert "data/raw/attendance.csv, line 1: has Windows (CRLF)" in result.stdout
    assert "done" not in result.stdout
    assert digests(repo) == before
    assert list((repo / ".staging").glob("run-*")) == []     # its staging went with it


@pytest.mark.parametrize("link_to,fragment", [
    ("data/raw", "must not point into data/raw"),
    (".git", "must not point into .git"),
    ("data/corrections", "must not point into data/corrections"),
])
def test_an_output_folder_resolving_into_a_protected_place_is_refused_before_anything_runs(
        repo, link_to, fragment):
    """In the file's shared copy, which each case leaves as it found it (but for ``out``,
    removed after it)."""
    (repo / link_to).mkdir(parents=True, exist_ok=True)
    (repo / "out").symlink_to(repo / link_to)
    try:
        _refused_for(repo, link_to, fragment)
    finally:
        (repo / "out").unlink()


def _refused_for(repo, link_to, fragment):
    protected = sorted((p.relative_to(repo), p.read_bytes()) for p in (repo / link_to).rglob("*")
                       if p.is_file())
    before = digests(repo)
    staging = repo / ".staging"          # the copy's other tests' lock may be there already
    staged = sorted(p.name for p in staging.iterdir()) if staging.exists() else None
    result = run(repo, "--set", "processed_dir=out")
    assert result.returncode == 2
    assert fragment in result.stdout and "resolves to" in result.stdout
    assert result.stdout.count("\n") == 1                      # one line
    # nothing ran: no lock taken, no staging folder made
    assert (sorted(p.name for p in staging.iterdir()) if staging.exists() else None) == staged
    assert digests(repo) == before
    assert sorted((p.relative_to(repo), p.read_bytes()) for p in (repo / link_to).rglob("*")
                  if p.is_file()) == protected


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_run_with_one_line_and_leaves_outputs_intact(repo, signum):
    """One notebook, so one kernel (the SIGKILL run of test_pipeline.py has two)."""
    before = digests(repo)
    proc = start(repo, "--only", "05_multistakeholder_bodies")
    wait_for(proc, "raw data:")                        # a kernel is up, notebooks start
    assert processes_of(repo), "the kernels were expected to be running"
    proc.send_signal(signum)
    rest = proc.communicate(timeout=60)[0]
    assert proc.returncode == 128 + signum
    errors = [line for line in rest.splitlines() if line.startswith("error:")]
    name = signal.Signals(signum).name
    assert errors == [f"error: interrupted by {name}; earlier outputs are intact"], rest
    assert "Traceback" not in rest
    assert gone(repo) == []
    assert digests(repo) == before


def test_a_second_run_at_once_stops_with_a_message(repo):
    from analysis.run.lock import run_lock

    with run_lock(repo / ".staging" / "run.lock"):     # as if another run held the outputs
        result = run(repo)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("error: another run (pid ")
    assert "is writing the outputs of this repository" in result.stdout


def test_a_failing_commit_ends_in_one_line_and_leaves_every_output(tmp_path, monkeypatch):
    """A real run (one notebook, to be quick) whose commit fails at a rename while swapping
    the outputs in (the ninth rename): every output stays byte-identical.
    test_commit.py fails, and kills, each step of the commit in turn (12 and 11 steps)."""
    step = 9
    from analysis import paths
    from analysis.run import commit, pipeline

    target = in_process_target(tmp_path, monkeypatch)
    before = digests(target)
    calls = []
    real = commit.rename

    def failing(a, b):
        calls.append(a)
        if len(calls) == step:
            raise OSError(30, "Read-only file system", b)
        real(a, b)

    monkeypatch.setattr(commit, "rename", failing)
    messages = []
    code = pipeline.run(only=("05_multistakeholder_bodies",), log=messages.append, target=target)
    # the caller's environment is as it was (a test worker's nbval notebooks read it next)
    assert os.environ.get(paths.OUTPUT_ROOT_ENV) == str(tmp_path / "callers-scratch")
    assert paths.PIPELINE_ENV not in os.environ
    assert code == 1
    assert len(calls) >= step, messages
    assert messages[-1].startswith("error: could not put the outputs in place (Read-only file system")
    assert messages[-1].endswith("earlier outputs are intact")
    assert digests(target) == before
    assert not list(target.rglob("*.tmp"))
