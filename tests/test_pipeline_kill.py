"""A run killed at any moment leaves no process behind and no half-committed outputs; the
next run cleans up and succeeds. (Its own file, so that xdist runs it beside the others.)

The commit step itself is killed at every one of its steps in test_commit.py; here whole
runs are interrupted from outside, as a user or a scheduler would."""

import signal
import time

import pytest
from pipeline_repo import copy_repo, digests, processes_of, run, start

from analysis import paths

pytestmark = pytest.mark.pipeline


def _wait_for(proc, text: str, timeout: float = 300) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError(f"never saw {text!r}; output: {''.join(seen)}")


def _gone(repo, timeout: float = 15) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = processes_of(repo)
        if not left:
            return []
        time.sleep(0.2)
    return processes_of(repo)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_repo(tmp_path_factory.mktemp("killed") / "repo")


def test_sigterm_stops_the_run_with_one_line_and_leaves_outputs_intact(repo):
    before = digests(repo)
    proc = start(repo)
    _wait_for(proc, "raw data:")                       # kernels are up, notebooks start
    assert processes_of(repo), "the kernels were expected to be running"
    proc.send_signal(signal.SIGTERM)
    rest = proc.communicate(timeout=60)[0]
    assert proc.returncode == 128 + signal.SIGTERM
    errors = [line for line in rest.splitlines() if line.startswith("error:")]
    assert errors == ["error: interrupted by SIGTERM; earlier outputs are intact"], rest
    assert "Traceback" not in rest
    assert _gone(repo) == []
    assert digests(repo) == before


def test_sigkill_leaves_no_process_and_the_next_run_succeeds(repo):
    before = digests(repo)
    proc = start(repo)
    _wait_for(proc, "[1/5]")                           # notebooks of stage 2 are running
    kernels = processes_of(repo)
    assert kernels, "the kernels were expected to be running"
    proc.kill()
    proc.wait(timeout=30)
    assert _gone(repo) == [], "kernels outlived the runner"
    assert digests(repo) == before                     # nothing was committed
    assert any((repo / ".staging").glob("run-*"))      # the stale staging folder is there...

    result = run(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "removed 1 staging folder(s) of earlier runs" in result.stdout
    assert sorted(p.name for p in (repo / ".staging").iterdir()) == ["run.lock"]   # ...and gone
    assert digests(repo) == before == digests(paths.ROOT)   # the rerun reproduces every byte
    assert _gone(repo) == []


def test_a_second_run_waits_or_stops_with_a_message(repo):
    from analysis.run.lock import run_lock

    with run_lock(repo / ".staging" / "run.lock"):     # as if another run held the outputs
        result = run(repo)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith("error: another run (pid ")
    assert "is writing the outputs of this repository" in result.stdout
