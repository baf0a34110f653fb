"""The runner owns what it starts (issue 24): no process outlives it, whatever ends it; a
notebook cell has a time limit; a failure says what happened in words, naming the notebook
and the cell; kernels keep no IPython history and find a short socket path; bad run options,
unreadable notebooks and leftovers of an earlier commit are each said, not suffered.

End-to-end runs are in-process where they can be (a copy of the outputs as target, as in
test_pipeline_failures.py); the SIGKILL case needs a runner of its own to kill.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from pipeline_repo import (
    copy_outputs,
    copy_repo,
    digests,
    gone,
    in_process_target,
    isolate_run,
    processes_of,
    start,
    wait_for,
)

from analysis import paths
from analysis.run import commit, kernels, pipeline

pytestmark = pytest.mark.pipeline


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def _with_cell(notebooks: Path, name: str, code: str, index: int = 3) -> None:
    path = notebooks / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(index, nbformat.v4.new_code_cell(code))
    nbformat.write(nb, path)


# ------------------------------------------------------------------ SIGKILL and notebooks' children
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigkill_of_the_runner_leaves_no_process_a_notebook_started(tmp_path):
    """A cell starts two `sleep`s (one in a session of its own, out of the kernel's process
    group) and waits; the runner is killed with SIGKILL; within 10 s nothing is left."""
    repo = copy_repo(tmp_path / "repo")
    _with_cell(repo / "notebooks", "05_multistakeholder_bodies",
               "import subprocess, time\n"
               "_ = subprocess.Popen(['sleep', '987'])\n"
               "_ = subprocess.Popen(['sleep', '986'], start_new_session=True)\n"
               "time.sleep(600)")
    proc = start(repo, "--only", "05_multistakeholder_bodies")
    wait_for(proc, "raw data:")
    deadline = time.monotonic() + 120
    sleeps = []
    while time.monotonic() < deadline and len(sleeps) < 2:
        sleeps = [p for p in processes_of(repo) if _cmdline(p)[:1] == ["sleep"]]
        time.sleep(0.1)
    assert len(sleeps) == 2, "the notebook's children were expected to be running"
    proc.kill()
    proc.wait(timeout=30)
    assert gone(repo, timeout=10) == [], "a process the runner started outlived it by 10 s"


# ------------------------------------------------------------------ in-process runs
def _target(tmp_path, monkeypatch, hanging: str | None = None, index: int = 3):
    """A copy of the outputs to run into, a staging folder and lock of their own, and (with
    ``hanging``) a copy of the notebooks whose notebook 05 runs that cell."""
    import shutil

    target = in_process_target(tmp_path, monkeypatch)
    if hanging is not None:
        notebooks = tmp_path / "notebooks"
        shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
        _with_cell(notebooks, "05_multistakeholder_bodies", hanging, index)
        monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    return target


def test_a_cell_that_never_ends_stops_the_run_at_the_time_limit_naming_notebook_and_cell(
        tmp_path, monkeypatch):
    # the first code cell, before the parameters: no cell before it may itself take 1 s
    target = _target(tmp_path, monkeypatch, hanging="import time\ntime.sleep(600)", index=0)
    before = digests(target)
    messages = []
    code = pipeline.run(only=("05_multistakeholder_bodies",), log=messages.append, target=target,
                        fresh_kernels=True, timeout=1)
    errors = [m for m in messages if m.startswith("error:")]
    assert code == 1 and len(errors) == 1, messages
    assert errors[0].startswith("error: notebook 05_multistakeholder_bodies.ipynb timed out in "
                                "cell index 0 (starting 'import time')"), errors
    assert "cell time limit of 1 s" in errors[0] and "--timeout" in errors[0]
    assert digests(target) == before


def test_running_out_of_memory_is_said_in_words():
    """As under ``ulimit -v``: a MemoryError, whose message is empty ("CellExecutionError: ;"
    before)."""
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(4, 3, "x = [0] * 10**12", "MemoryError", "", ["MemoryError: "])
    told = pipeline._failure("05_multistakeholder_bodies", exc, Path("x.ipynb"))
    assert told.startswith("notebook 05_multistakeholder_bodies.ipynb ran out of memory in cell 3 "
                           "(cell index 4) (MemoryError)"), told
    assert "ulimit -v" in told


def test_a_shared_library_that_cannot_be_mapped_is_out_of_memory_too():
    """What ``ulimit -v`` did to notebook 05: an ImportError whose cause is only in the
    traceback ("failed to map segment from shared object")."""
    from papermill.exceptions import PapermillExecutionError

    exc = PapermillExecutionError(3, 2, "import numpy", "ImportError", "Unable to import numpy",
                                  ["ImportError: libopenblas.so: failed to map segment from "
                                   "shared object"])
    told = pipeline._failure("05_multistakeholder_bodies", exc, Path("x.ipynb"))
    assert told.startswith("notebook 05_multistakeholder_bodies.ipynb ran out of memory in cell 2 "
                           "(cell index 3)"), told


def test_a_truncated_notebook_with_only_is_named(tmp_path, monkeypatch):
    target = _target(tmp_path, monkeypatch)
    notebooks = tmp_path / "notebooks"
    import shutil

    shutil.copytree(paths.NOTEBOOKS_DIR, notebooks)
    path = notebooks / "04_commitment_evolution.ipynb"
    path.write_text(path.read_text(encoding="utf-8")[:20000], encoding="utf-8")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", notebooks)
    before = digests(target)
    messages = []
    code = pipeline.run(only=("04_commitment_evolution",), log=messages.append, target=target)
    assert code == 1
    assert messages[-1].startswith("error: notebook 04_commitment_evolution.ipynb cannot be read "
                                   "as a notebook: line "), messages
    assert "git checkout -- notebooks/04_commitment_evolution.ipynb" in messages[-1]
    assert digests(target) == before


@pytest.fixture(scope="module")
def partial_run(tmp_path_factory):
    """One in-process ``--only 05`` run, shared by the tests below, in which everything goes
    wrong that can without stopping it: the source texts are missing (quotes unchecked);
    every earlier output was computed from other raw data (stale, after a partial run); an
    earlier commit left an old copy (``.brief.run-123.old.tmp``); and this commit cannot
    remove the old manifest (an immutable file, say)."""
    import json

    tmp_path = tmp_path_factory.mktemp("partial")
    target = copy_outputs(tmp_path)
    manifest = target / "reports" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for rec in data["files"].values():          # as if computed from other raw data
        rec["raw_checksum"] = "sha256:" + "0" * 64
    manifest.write_text(json.dumps(data), encoding="utf-8")
    leftover = target / "reports" / ".brief.run-123.old.tmp"
    leftover.mkdir()
    (leftover / "brief_es.pdf").write_bytes(b"old")
    real = commit._remove

    def stuck(path):
        if path.endswith(".old.tmp") and ".manifest.json." in path:
            raise PermissionError(1, "Operation not permitted", path)
        real(path)

    messages: list[str] = []
    with pytest.MonkeyPatch.context() as mp:
        isolate_run(tmp_path, mp)
        mp.delenv("CI", raising=False)
        mp.setattr(paths, "sources_dir", lambda: None)
        mp.setattr(commit, "_remove", stuck)
        code = pipeline.run(only=("05_multistakeholder_bodies",), log=messages.append, target=target)
    return code, messages, target, leftover


def test_old_outputs_a_commit_could_not_remove_are_said(partial_run):
    """The new outputs stay in place; the run says which old copy is left."""
    code, messages, target, _ = partial_run
    assert code == 0, messages
    assert len(list((target / "reports").glob(".manifest.json.run-*.old.tmp"))) == 1
    assert any(m.startswith("warning: the new outputs are in place, but 1 old output(s) could not "
                            "be removed") and "manifest.json" in m for m in messages), messages


def test_the_next_run_reports_and_clears_leftovers(partial_run):
    code, messages, target, leftover = partial_run
    assert not leftover.exists()
    assert any(m.startswith("removed 1 old output(s) an earlier commit could not remove")
               and ".brief.run-123.old.tmp" in m for m in messages), messages
    left = list((target / "reports").glob(".manifest.json.run-*.old.tmp"))   # this run's own
    removed, failed = commit.clear_leftovers([target / "reports" / "manifest.json"])
    assert [Path(p).name for p in removed] == [p.name for p in left] and failed == []


def test_a_partial_run_over_stale_inputs_is_said_and_recorded(partial_run):
    """``--only`` after data/raw changed: the outputs of the other notebooks and the brief
    stay, computed from other raw data; the run says so, manifest and summary record it."""
    import json

    code, messages, target, _ = partial_run
    warning = [m for m in messages if m.startswith("warning: partial run (--only)")]
    assert len(warning) == 1 and "brief" in warning[0] and "01_clean_and_reconcile" in warning[0]
    manifest = target / "reports" / "manifest.json"
    recorded = json.loads(manifest.read_text(encoding="utf-8"))["partial_run"]
    assert recorded["ran"] == ["05_multistakeholder_bodies"]
    assert "reports/brief/brief_es.pdf" in recorded["stale"]
    assert not any(k.startswith("reports/figures/bodies") for k in recorded["stale"])   # rewritten
    summary = (target / "reports" / "validation_summary.md").read_text(encoding="utf-8")
    assert "**Partial run** (`--only`)" in summary and "`reports/brief/brief_es.pdf`" in summary


def test_quotes_left_unchecked_are_recorded_in_every_output(partial_run):
    import json

    code, messages, target, _ = partial_run
    assert any(m.startswith("warning: quotes were not checked") for m in messages)
    files = json.loads((target / "reports" / "manifest.json").read_text(encoding="utf-8"))["files"]
    written = [rec for rel, rec in files.items() if "bodies" in rel]
    assert written and all(rec["quotes_checked"] is False for rec in written)
    summary = (target / "reports" / "validation_summary.md").read_text(encoding="utf-8")
    assert "**Quotes: NOT checked.**" in summary


def test_in_ci_missing_source_texts_fail_validation(monkeypatch):
    from analysis.raw.validation import validate_all

    monkeypatch.setattr(paths, "sources_dir", lambda: None)
    monkeypatch.setenv("CI", "true")
    problems, _ = validate_all()
    assert [p.file for p in problems] == [f"{paths.SOURCES_ENV} / ../shared/sources"]
    assert "in CI (CI is set) the quotes must be checked" in problems[0].message


# ------------------------------------------------------------------ options and commands
@pytest.mark.parametrize("value", ["nan", "inf", "-1", "soon"])
def test_wait_takes_a_finite_number_of_seconds(value, capsys):
    from analysis.__main__ import main

    with pytest.raises(SystemExit) as stop:
        main(["run", "--wait", value])
    assert stop.value.code == 2
    assert "--wait" in capsys.readouterr().err


def test_no_traceback_reaches_the_user_from_a_command(monkeypatch, capsys):
    from analysis import __main__
    from analysis.raw import validation

    def broken(*a, **k):
        raise OverflowError("Python int too large to convert to C long")

    monkeypatch.setattr(validation, "validate_all", broken)
    assert __main__.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: OverflowError: Python int too large") and "Traceback" not in err


# ------------------------------------------------------------------ kernels: history, sockets
LONG_TMP = "t" * 90


@pytest.fixture(scope="module")
def long_tmp_kernel(tmp_path_factory):
    """One runner kernel started with a temporary folder whose path is ~100 characters."""
    base = tmp_path_factory.mktemp("k")
    long = base / LONG_TMP[: max(1, 98 - len(str(base)) - 1)]
    long.mkdir()
    saved = tempfile.tempdir
    tempfile.tempdir = str(long)
    try:
        kernel = kernels.Kernel(paths.NOTEBOOKS_DIR, {**os.environ})
        kernel.ready()
    finally:
        tempfile.tempdir = saved
    yield kernel, long
    kernel.shutdown()


def test_a_long_temporary_folder_gets_short_socket_paths(long_tmp_kernel):
    kernel, long = long_tmp_kernel
    assert len(str(long)) >= 90
    assert kernel.sockets.startswith(kernels.SHORT_FALLBACKS)      # not under the long folder
    kernel.run_silently("1 + 1")                                    # and it talks


def test_runner_kernels_keep_no_history(long_tmp_kernel):
    kernel, _ = long_tmp_kernel
    kernel.run_silently("import os; ip = get_ipython()\n"
                        "assert ip.history_manager.enabled is False, 'history on'\n"
                        f"assert os.environ['IPYTHONDIR'].startswith({kernel.sockets!r}), "
                        "os.environ['IPYTHONDIR']")


def test_kernels_nbval_and_tests_start_keep_no_history():
    """nbval starts kernels with jupyter_client's defaults, from the test process's
    environment, which conftest points at an IPython directory in the temporary folder."""
    from jupyter_client.manager import start_new_kernel

    ipython_dir = os.environ.get("IPYTHONDIR", "")
    assert ipython_dir.startswith(tempfile.gettempdir()), ipython_dir
    km, kc = start_new_kernel(kernel_name="python3")
    seen: list = []
    try:
        kc.execute_interactive("print(get_ipython().history_manager.enabled)", timeout=60,
                               output_hook=seen.append)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    printed = "".join(m["content"].get("text", "") for m in seen if m["msg_type"] == "stream")
    assert printed.strip() == "False"
