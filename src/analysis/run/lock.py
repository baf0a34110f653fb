"""One run at a time per repository: an advisory lock on ``.staging/run.lock``.

The lock is an ``flock`` on an open file, so the operating system releases it when the
holder exits, however it exits (SIGKILL included): a stale lock cannot block later runs.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


class Busy(RuntimeError):
    """Another run holds the lock."""


@contextmanager
def run_lock(path: Path, wait: float = 0.0, log=print):
    """Hold the lock for the block. Wait up to ``wait`` seconds for another run, then give up."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise Busy(f"another run{holder} is writing the outputs of this repository; "
                               "wait for it to finish (or pass --wait SECONDS)") from None
                if not told:
                    log(f"waiting for another run{holder} to finish")
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
