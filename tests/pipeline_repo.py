"""Helpers for the end-to-end tests: scratch copies of the repository and runs in them.

The end-to-end tests are spread over several files (test_pipeline*.py) so that pytest-xdist
(``--dist loadfile``) runs them on different workers; each file shares its runs between
its tests through module-scoped fixtures.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from analysis import paths

OUTPUTS = ["data/processed", "reports", "notebooks"]


def tracked_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f and (root / f).is_file()]


def copy_repo(target: Path) -> Path:
    for rel in tracked_files(paths.ROOT):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / rel, dest)
    return target


def env_for(repo: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in (paths.OUTPUT_ROOT_ENV, paths.RAW_VALIDATED_ENV)}
    env["PYTHONPATH"] = str(repo / "src")
    env["PYTHONUNBUFFERED"] = "1"
    if paths.sources_dir() is not None:
        env[paths.SOURCES_ENV] = str(paths.sources_dir())
    return env


def run(repo: Path, *args: str, command: str = "run", sources: Path | None = None,
        timeout: float = 900, home: Path | None = None) -> subprocess.CompletedProcess:
    """``home``: run with HOME there and none of the variables that move caches away from it
    (what this test process set: MPLCONFIGDIR, IPYTHONDIR; XDG_*), so that a test can see
    whether the run writes into the user's home."""
    env = env_for(repo)
    if sources is not None:
        env[paths.SOURCES_ENV] = str(sources)
    if home is not None:
        env = {k: v for k, v in env.items()
               if k not in ("MPLCONFIGDIR", "IPYTHONDIR") and not k.startswith("XDG_")}
        env["HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "analysis", command, *args], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=timeout)


def start(repo: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "analysis", "run", *args], cwd=repo,
                            env=env_for(repo), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def digests(root: Path) -> dict[str, str]:
    found = {}
    for top in OUTPUTS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def processes_of(repo: Path) -> list[int]:
    """Live processes (kernels included) whose environment points into ``repo``."""
    marker = f"{paths.OUTPUT_ROOT_ENV}={repo}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = [line for line in (entry / "status").read_text().splitlines()
                     if line.startswith("State:")]
        except OSError:
            continue
        if marker in environ and not (state and "Z" in state[0].split()[1]):
            found.append(int(entry.name))
    return found


def wait_for(proc: subprocess.Popen, text: str, timeout: float = 300) -> str:
    """Read the run's output until a line contains ``text``; return what was read."""
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


def _poll(repo: Path, done, timeout: float) -> tuple[bool, list[int]]:
    """Poll the processes of ``repo`` until ``done(found)``; (whether it was, what was found)."""
    deadline = time.monotonic() + timeout
    while True:
        found = processes_of(repo)
        if done(found) or time.monotonic() >= deadline:
            return done(found), found
        time.sleep(0.05)


def wait_for_processes(repo: Path, count: int, timeout: float = 120) -> list[int]:
    """Wait until at least ``count`` processes of ``repo`` (kernels) run; return them."""
    ok, found = _poll(repo, lambda found: len(found) >= count, timeout)
    if not ok:
        raise AssertionError(f"fewer than {count} processes of {repo} after {timeout} s")
    return found


def gone(repo: Path, timeout: float = 15) -> list[int]:
    """Wait for every process of ``repo`` to end; return those still alive after ``timeout``."""
    return _poll(repo, lambda found: not found, timeout)[1]


# ------------------------------------------------------------------ runs made in this process
def copy_outputs(tmp_path: Path) -> Path:
    """A copy of the committed outputs (processed tables, reports, notebooks) to run into."""
    target = tmp_path / "target"
    for rel in ["data/processed", "reports", "notebooks"]:
        shutil.copytree(paths.ROOT / rel, target / rel)
    return target


def isolate_run(tmp_path: Path, monkeypatch) -> None:
    """For a run made in this process: a staging folder and lock of its own (no lock shared
    with other tests) and a caller's own output root, outside the pipeline's environment."""
    from analysis.run import pipeline

    staging = tmp_path / ".staging"
    monkeypatch.setattr(pipeline, "STAGING", staging)
    monkeypatch.setattr(pipeline, "JOURNAL", staging / "commit.json")
    monkeypatch.setattr(pipeline, "LOCK", staging / "run.lock")
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path / "callers-scratch"))
    monkeypatch.delenv(paths.PIPELINE_ENV, raising=False)


def in_process_target(tmp_path: Path, monkeypatch) -> Path:
    """``copy_outputs`` and ``isolate_run`` together: where an in-process run writes."""
    target = copy_outputs(tmp_path)
    isolate_run(tmp_path, monkeypatch)
    return target
