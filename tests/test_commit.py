"""The commit of a run's outputs is all or nothing: a failure injected at every step leaves
every output byte-identical to before, and a kill at every step leaves outputs either all
old or all new once the next run has recovered from the journal."""

import hashlib
import os
from pathlib import Path

import pytest

from analysis.run import commit


def _tree(root: Path) -> dict[str, str]:
    """Every file (and empty folder) under root, with its digest; temporary siblings included."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_file():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.is_dir() and not any(path.iterdir()):
            found[rel] = "<empty dir>"
    return found


@pytest.fixture
def setup(tmp_path):
    """A repository with two output folders and one output file, and a staged new version."""
    repo, staging = tmp_path / "repo", tmp_path / "repo" / ".staging" / "run-1"
    for base, tag in ((repo, "old"), (staging, "new")):
        (base / "data" / "processed").mkdir(parents=True)
        (base / "reports" / "figures").mkdir(parents=True)
        (base / "data" / "processed" / "a.csv").write_text(f"a,{tag}\n")
        (base / "data" / "processed" / "b.csv").write_text(f"b,{tag}\n")
        (base / "reports" / "figures" / "f.svg").write_text(f"<svg>{tag}</svg>")
        (base / "reports" / "summary.md").write_text(f"# {tag}\n")
    (staging / "reports" / "figures" / "g.svg").write_text("<svg>only new</svg>")
    (repo / "data" / "processed" / "only_old.csv").write_text("gone after a commit\n")
    (staging / "data" / "brief").mkdir(parents=True)       # a unit with no earlier version
    (staging / "data" / "brief" / "brief.pdf").write_text("pdf")
    rels = ["data/processed", "reports/figures", "reports/summary.md", "data/brief"]
    pairs = [(staging / r, repo / r) for r in rels]
    journal = repo / ".staging" / "commit.json"
    old = {k: v for k, v in _tree(repo).items() if not k.startswith(".staging")}
    return repo, staging, pairs, journal, old, None


def _outputs(repo: Path) -> dict[str, str]:
    return {k: v for k, v in _tree(repo).items() if not k.startswith(".staging")}


def _expected_new(staging: Path) -> dict[str, str]:
    return _tree(staging)


def _count_steps(setup_args, monkeypatch) -> int:
    calls = []
    real = commit.rename
    monkeypatch.setattr(commit, "rename", lambda a, b: (calls.append((a, b)), real(a, b)))
    repo, staging, pairs, journal, old, _ = setup_args
    commit.commit(pairs, journal, "run-1")
    return len(calls)


def test_commit_puts_every_unit_in_place(setup):
    repo, staging, pairs, journal, old, _ = setup
    new = _expected_new(staging)
    assert commit.commit(pairs, journal, "run-1") == 4
    assert _outputs(repo) == new                    # no temporary sibling left, nothing old
    assert not journal.exists()


@pytest.mark.parametrize("step", range(1, 13))
def test_a_failure_at_any_step_leaves_the_outputs_as_before(setup, monkeypatch, step):
    """Fail the n-th rename (there are 4 moves into place and 7 swaps; 12 is past the end)."""
    repo, staging, pairs, journal, old, _ = setup
    calls = []
    real = commit.rename

    def failing(a, b):
        calls.append((a, b))
        if len(calls) == step:
            raise PermissionError(13, "Permission denied", b)
        real(a, b)

    monkeypatch.setattr(commit, "rename", failing)
    if step > 11:   # 4 prepare moves + 3 renames aside (data/brief is new) + 4 renames into place
        commit.commit(pairs, journal, "run-1")
        return
    with pytest.raises(commit.CommitError) as info:
        commit.commit(pairs, journal, "run-1")
    message = str(info.value)
    assert "\n" not in message and "earlier outputs are intact" in message
    assert "Permission denied" in message
    assert _outputs(repo) == old
    assert not journal.exists()


def test_the_step_count_of_the_failure_test_is_right(setup, monkeypatch):
    assert _count_steps(setup, monkeypatch) == 11


def test_a_failure_copying_to_another_filesystem_leaves_the_outputs_as_before(setup, monkeypatch):
    repo, staging, pairs, journal, old, _ = setup
    monkeypatch.setattr(commit, "_same_filesystem", lambda a, b: False)
    copies = []
    real = commit._copy

    def failing(a, b):
        copies.append(a)
        if len(copies) == 3:
            raise OSError(28, "No space left on device", b)
        real(a, b)

    monkeypatch.setattr(commit, "_copy", failing)
    with pytest.raises(commit.CommitError, match="No space left on device"):
        commit.commit(pairs, journal, "run-1")
    assert _outputs(repo) == old


def test_another_filesystem_is_copied_then_swapped(setup, monkeypatch):
    repo, staging, pairs, journal, old, _ = setup
    new = _expected_new(staging)
    monkeypatch.setattr(commit, "_same_filesystem", lambda a, b: False)
    commit.commit(pairs, journal, "run-1")
    assert _outputs(repo) == new


class Killed(BaseException):
    """Stands for SIGKILL: nothing in the process runs after it (no rollback)."""


@pytest.mark.parametrize("step", range(1, 12))
def test_a_kill_at_any_step_is_repaired_by_the_next_run(setup, monkeypatch, step):
    repo, staging, pairs, journal, old, _ = setup
    new = _expected_new(staging)
    calls = []
    real = commit.rename

    def killed(a, b):
        calls.append((a, b))
        if len(calls) == step:
            raise Killed
        real(a, b)

    monkeypatch.setattr(commit, "rename", killed)
    with pytest.raises(Killed):
        commit.commit(pairs, journal, "run-1")
    assert journal.exists()
    monkeypatch.setattr(commit, "rename", real)
    done = commit.recover(journal)
    after = _outputs(repo)
    if step <= 4:        # killed while preparing: rolled back
        assert after == old and "rolled back" in done
    else:                # killed while swapping: rolled forward
        assert after == new and "finished" in done
    assert not journal.exists()
    assert commit.recover(journal) is None


def test_recovery_itself_may_be_killed_and_rerun(setup, monkeypatch):
    repo, staging, pairs, journal, old, _ = setup
    new = _expected_new(staging)
    real = commit.rename
    calls = []

    def killed_at(n):
        def rename(a, b):
            calls.append(1)
            if len(calls) == n:
                raise Killed
            real(a, b)
        return rename

    monkeypatch.setattr(commit, "rename", killed_at(7))     # during the swaps
    with pytest.raises(Killed):
        commit.commit(pairs, journal, "run-1")
    calls.clear()
    monkeypatch.setattr(commit, "rename", killed_at(2))     # and again during the recovery
    with pytest.raises(Killed):
        commit.recover(journal)
    monkeypatch.setattr(commit, "rename", real)
    commit.recover(journal)
    assert _outputs(repo) == new


def test_a_mount_point_is_refused_before_anything_moves(setup, monkeypatch):
    repo, staging, pairs, journal, old, _ = setup
    target = pairs[0][1]
    monkeypatch.setattr(Path, "is_mount", lambda self: self == target)
    with pytest.raises(commit.CommitError, match="mount point"):
        commit.commit(pairs, journal, "run-1")
    assert _outputs(repo) == old and not journal.exists()


def test_an_unwritable_target_leaves_the_outputs_as_before(setup, monkeypatch):
    """A folder the runner may not write into. Root ignores permission bits (CI runs as
    root), so the kernel's refusal is what the test imposes: every rename inside the
    read-only folder fails with EACCES, as it would for any other user."""
    import errno

    repo, staging, pairs, journal, old, _ = setup
    locked = (repo / "reports").resolve()
    real = commit.rename

    def refuse(src, dst):
        if locked in (Path(src).resolve().parent, Path(dst).resolve().parent):
            raise PermissionError(errno.EACCES, "Permission denied", str(dst))
        return real(src, dst)

    (repo / "reports").chmod(0o555)
    monkeypatch.setattr(commit, "rename", refuse)
    try:
        with pytest.raises(commit.CommitError, match="earlier outputs are intact"):
            commit.commit(pairs, journal, "run-1")
    finally:
        (repo / "reports").chmod(0o755)
    assert _outputs(repo) == old


def test_the_lock_makes_a_second_run_wait_or_stop(tmp_path):
    import threading
    import time

    from analysis.run.lock import Busy, run_lock

    path = tmp_path / "run.lock"
    messages = []
    with run_lock(path):
        with pytest.raises(Busy, match=r"another run \(pid \d+\) is writing"):
            with run_lock(path, wait=0.3, log=messages.append):
                pass
    assert messages and messages[0].startswith("waiting for another run (pid ")

    held = threading.Event()

    def hold():
        with run_lock(path):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    with run_lock(path, wait=30, log=messages.append):   # waits for the holder, then runs
        assert not thread.is_alive()
    thread.join()


def test_a_signal_during_the_commit_waits_for_its_end():
    import signal

    from analysis.run import pipeline

    finished = []
    with pytest.raises(pipeline.Interrupted) as info:
        with pipeline._signals_raise():
            with pipeline._signals_deferred():
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):      # give the handler every chance to run in here
                    sum(range(100))
                finished.append(True)
    assert finished == [True]
    assert info.value.signum == signal.SIGTERM and info.value.args == ("SIGTERM", True)
