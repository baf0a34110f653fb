"""Warm Jupyter kernels for the pipeline, tied to the runner's life.

* **Tied to the runner.** Each kernel (and each of its children) is started with the Linux
  parent-death signal set to SIGKILL, so it dies with the runner however the runner dies,
  SIGKILL included. Jupyter starts kernels in sessions of their own, so a signal to the
  runner's process group alone would not reach them; :func:`kill_all` kills each kernel's
  process group on SIGINT/SIGTERM and on exit.
* **Warm.** Kernels start before the raw data is validated and import what the notebooks
  import meanwhile (``preimport``), while the runner validates.
* **Private sockets.** Kernels talk over Unix sockets in a folder of their own (ZeroMQ's
  ``ipc`` transport), not TCP ports on localhost. Jupyter picks a TCP port by binding it,
  closing it and handing the number to the kernel, so two runs starting kernels at once
  (the test suite does, on every core) could race for the same port and one kernel died
  with "Address already in use". Sockets are also closed to other users of the machine.
* **Nothing outlives the runner.** Parent-death signals reach the kernels only, not what a
  notebook cell starts (``subprocess.run(["sleep", "987"])``). Every kernel's environment
  carries a token of the run (``RUN_TOKEN_ENV``), inherited by everything the kernel
  starts, and a watchdog process (:class:`Watchdog`, in a session of its own) holds the
  read end of a pipe from the runner: when the pipe closes, because the runner ended or was
  killed with SIGKILL, it kills the kernels' process groups and every process carrying the
  token, until none is left.
* **Nothing written outside the temporary folder.** Each kernel's IPython directory
  (``IPYTHONDIR``) is inside its socket folder and its history is off
  (``HistoryManager.enabled=False``), so no ``~/.ipython/.../history.sqlite`` grows.
* **Reused only when outputs stay identical.** Between notebooks the kernel's namespace,
  output cache and execution counter are reset (``RESET``); imported modules stay. The
  self-reproduction test compares the outputs of a warm-kernel run with those of fresh
  kernels (``--fresh-kernels``), byte for byte.
"""

from __future__ import annotations

import ctypes
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

#: What every analysis notebook imports; importing it once per kernel, early, is the saving.
#: The last line moves what the imports allocated out of the garbage collector's reach
#: (``gc.freeze``): a full collection no longer walks the modules of pandas, matplotlib and
#: scipy, which made up most of the kernel's collection time while the notebooks drew
#: their figures. Nothing the notebooks compute depends on when the collector runs.
PREIMPORT = """\
import pandas, numpy, {extra}matplotlib, matplotlib.figure
from IPython.display import Markdown, Image, display
import analysis.clean.attendance, analysis.clean.commitments, analysis.clean.processed
import analysis.clean.proposals, analysis.raw, analysis.report.figures, analysis.report.findings
import analysis.questions.shares, analysis.questions.survival, analysis.questions.evolution
import analysis.questions.bodies
import gc; gc.collect(); gc.freeze()
"""
#: The notebooks that compute an interval or a test, and so import scipy.stats (the
#: heaviest import, about half a second of CPU); a run of other notebooks alone
#: (``--only 05_multistakeholder_bodies``) does not pre-import it. statsmodels, used by
#: 02 alone, is left to 02: a pre-import would cost every other kernel a second.
NEED_SCIPY_STATS = frozenset({"02_participation_shares", "03_proposal_survival",
                              "06_process_and_standards"})


def preimport(names) -> str:
    """The code a warm kernel runs first, for a run of the notebooks ``names``."""
    return PREIMPORT.format(extra="scipy.stats, " if NEED_SCIPY_STATS & set(names) else "")


#: Writes the figure files the kernel's notebooks queued (``paths.figures_queued``).
WRITE_QUEUED_FIGURES = "import analysis.report.figures; analysis.report.figures.write_queued()"
#: Fresh namespace, output cache and execution counter, as in a new kernel.
RESET = "get_ipython().reset(new_session=True)"

#: Each kernel's socket folder in the temporary folder: this prefix, the runner's PID
#: namespace and pid, a random suffix (see :func:`sockets_prefix`).
SOCKETS_PREFIX = "analysis-kernel-"
#: A Unix socket's path may hold about 107 bytes; ZeroMQ adds ``/kernel-<n>`` to the folder.
SOCKET_PATH_MAX = 100
#: Short private places for the socket folders when the temporary folder's path is too long.
SHORT_FALLBACKS = ("/tmp", "/dev/shm", "/var/tmp")
#: Every kernel of a run, and everything started from it, inherits this token (the watchdog
#: kills the processes that carry it).
RUN_TOKEN_ENV = "ANALYSIS_RUN_TOKEN"
#: The kernels' command-line options: no IPython history (see IPYTHONDIR below, too).
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
#: Written into each kernel's own IPython directory, for the same reason.
IPYTHON_CONFIG = "c.HistoryManager.enabled = False\n"
_PR_SET_PDEATHSIG = 1
_LIVE: set = set()
_LOCK = threading.Lock()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


class CodeFailed(RuntimeError):
    """Code the runner sent to a kernel failed. ``told`` is the shortest whole account for a
    user: the kernel's own error message when the code raised (``figures.write_queued``
    names the file and the notebook there), the full message when the kernel died or did
    not reply."""

    def __init__(self, message: str, told: str | None = None):
        super().__init__(message)
        self.told = told if told is not None else message


class Kernel:
    """One IPython kernel with its client; started from the main thread."""

    def __init__(self, cwd: Path, env: dict[str, str]):
        from jupyter_client.manager import KernelManager

        # A short path of its own: a Unix socket's path must stay under about 100 bytes.
        self.sockets = tempfile.mkdtemp(prefix=sockets_prefix(), dir=socket_parent())
        env = {**env, "IPYTHONDIR": private_ipython_dir(Path(self.sockets) / "ipython")}
        sockets = {"transport": "ipc", "ip": os.path.join(self.sockets, "kernel")} \
            if os.name == "posix" else {}   # ZeroMQ has no ipc transport on Windows
        self.km = KernelManager(kernel_name="python3", **sockets,
                                connection_file=os.path.join(self.sockets, "kernel.json"))
        kw = {"cwd": str(cwd), "env": env, "extra_arguments": list(KERNEL_ARGUMENTS)}
        if sys.platform.startswith("linux"):
            kw["preexec_fn"] = _die_with_parent
        try:
            self.km.start_kernel(**kw)
        except BaseException:
            shutil.rmtree(self.sockets, ignore_errors=True)
            raise
        with _LOCK:
            _LIVE.add(self)
        pgid = getattr(self.km.provisioner, "pgid", None) or getattr(self.km.provisioner, "pid", None)
        if pgid and _WATCHDOG[0] is not None:
            _WATCHDOG[0].watch(pgid)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.thread = threading.current_thread()
        self.used = False

    def ready(self, timeout: float = 60) -> None:
        self.kc.wait_for_ready(timeout=timeout)

    def run_silently(self, code: str, timeout: float = 120, what: str = "kernel set-up") -> None:
        """Run code without touching the execution counter or history; raise ``CodeFailed``
        (its message starting with ``what``) on an error, on no reply within ``timeout``
        seconds, or as soon as the kernel dies (nbclient watches for that during a notebook;
        this watches for it in what the runner sends between notebooks).

        Clients are bound to the thread that made them, so a worker thread uses its own.
        """
        own = threading.current_thread() is not self.thread
        kc = self.km.client() if own else self.kc
        if own:
            kc.start_channels()
        try:
            msg_id = kc.execute(code, silent=True, store_history=False)
            deadline = time.monotonic() + timeout
            while True:
                try:
                    reply = kc.get_shell_msg(timeout=0.5)
                except queue.Empty:
                    if not self.km.is_alive():
                        raise CodeFailed(f"{what} failed: the kernel died") from None
                    if time.monotonic() > deadline:
                        raise CodeFailed(f"{what} failed: no reply in {timeout:g} s") from None
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            if own:
                kc.stop_channels()
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise CodeFailed(f"{what} failed: {content.get('ename')}: {content.get('evalue')}",
                             content.get("evalue", ""))

    def start_preimport(self, names=NEED_SCIPY_STATS) -> None:
        """Queue the imports for a run of the notebooks ``names`` (``preimport``); the
        kernel works on them while the runner validates data/raw."""
        self.kc.execute(preimport(names), silent=True, store_history=False)

    def reset(self) -> None:
        self.run_silently(RESET)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - best effort; kill_all follows
            pass
        shutil.rmtree(self.sockets, ignore_errors=True)
        with _LOCK:
            _LIVE.discard(self)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _pid_namespace() -> str:
    """This process's PID namespace (its inode number on Linux, "0" where there is none)."""
    try:
        return os.readlink("/proc/self/ns/pid").split("[", 1)[1].rstrip("]")
    except (OSError, IndexError):
        return "0"


def sockets_prefix(pid: int | None = None) -> str:
    """The start of the socket folders' names of the runner ``pid`` (this one by default).

    A pid names a process only within its PID namespace: two containers sharing the
    temporary folder can each have a runner with the same pid, so the namespace is part of
    the name, and a folder from another namespace is never judged stale from here.
    """
    return f"{SOCKETS_PREFIX}{_pid_namespace()}-{pid if pid is not None else os.getpid()}-"


def socket_parent(base: str | None = None) -> str:
    """Where the socket folders go: the temporary folder, or, when its path is too long for
    a Unix socket (a ``TMPDIR`` of 98 characters), the first short private place that is
    writable (``SHORT_FALLBACKS``; the folders are created mode 700 by ``mkdtemp``)."""
    base = base or tempfile.gettempdir()
    longest = len(sockets_prefix()) + 8 + len("/kernel-00000") + 1
    if len(os.path.abspath(base)) + longest <= SOCKET_PATH_MAX:
        return base
    for short in SHORT_FALLBACKS:
        if os.path.isdir(short) and os.access(short, os.W_OK | os.X_OK) \
                and len(short) + longest <= SOCKET_PATH_MAX:
            return short
    raise OSError(f"the temporary folder {base} has too long a path for the kernels' sockets "
                  f"and none of {', '.join(SHORT_FALLBACKS)} is writable; set TMPDIR to a "
                  "shorter folder")


def private_ipython_dir(folder: Path) -> str:
    """An IPython directory inside the temporary folder, history off (see IPYTHON_CONFIG)."""
    profile = Path(folder) / "profile_default"
    profile.mkdir(parents=True, exist_ok=True)
    for name in ("ipython_config.py", "ipython_kernel_config.py"):
        (profile / name).write_text(IPYTHON_CONFIG, encoding="utf-8")
    return str(folder)


def remove_stale_sockets() -> int:
    """Remove the socket folders of runners that are gone (killed with SIGKILL, which no
    handler sees); return how many. A folder whose runner is alive, or whose runner lived
    in another PID namespace (whose pids cannot be checked from here), is left alone."""
    removed = 0
    ours = _pid_namespace()
    places = dict.fromkeys([tempfile.gettempdir(), socket_parent()])
    for folder in [f for place in places for f in Path(place).glob(f"{SOCKETS_PREFIX}*-*-*")]:
        namespace, pid = (folder.name[len(SOCKETS_PREFIX):].split("-") + ["", ""])[:2]
        if namespace != ours or not pid.isdigit() or _alive(int(pid)) or not folder.is_dir():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def kill_all() -> None:
    """Kill every live kernel's process group at once (signal handlers and exit)."""
    with _LOCK:
        kernels = list(_LIVE)
    for kernel in kernels:
        provisioner = getattr(kernel.km, "provisioner", None)
        pgid = getattr(provisioner, "pgid", None)
        pid = getattr(provisioner, "pid", None)
        try:
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        shutil.rmtree(kernel.sockets, ignore_errors=True)


# ----------------------------------------------------------------------- the watchdog
#: Run by the watchdog process (``python -I -S -c``; nothing imported beyond os and sys).
#: argv: the run's token. Reads process-group ids from stdin, one a line, until the runner's
#: end of the pipe closes; then kills those groups and every process whose environment
#: carries the token, again and again until none is left (a process may be forking).
WATCHDOG_CODE = r"""
import os, signal, sys, time
token = ("%s=%s" % (sys.argv[1], sys.argv[2])).encode()
groups = set()
for line in sys.stdin.buffer:
    if line.strip().isdigit():
        groups.add(int(line))
me = os.getpid()
def marked():
    found = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if not name.isdigit() or int(name) == me:
            continue
        try:
            with open("/proc/%s/environ" % name, "rb") as handle:
                if token in handle.read().split(b"\0"):
                    found.append(int(name))
        except OSError:
            pass
    return found
deadline = time.monotonic() + 8
quiet = 0
while time.monotonic() < deadline and quiet < 3:
    for group in list(groups):
        try:
            os.killpg(group, signal.SIGKILL)
        except OSError:
            groups.discard(group)
    left = marked()
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    # a group whose killed leader is not yet reaped (a zombie) still "exists": only the
    # processes that carry the token decide when the sweep is over
    quiet = 0 if left else quiet + 1
    time.sleep(0.02)
"""
_WATCHDOG: list = [None]


class Watchdog:
    """A process that outlives the runner just long enough to kill what the runner started
    (see the module's docstring). ``env`` gets the run's token; give it to every kernel."""

    def __init__(self):
        import secrets
        import subprocess

        self.token = f"{os.getpid()}-{secrets.token_hex(8)}"
        self.proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", WATCHDOG_CODE,
                                      RUN_TOKEN_ENV, self.token],
                                     stdin=subprocess.PIPE, start_new_session=True,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._lock = threading.Lock()

    def watch(self, pgid: int) -> None:
        with self._lock:
            try:
                self.proc.stdin.write(f"{pgid}\n".encode())
                self.proc.stdin.flush()
            except (OSError, ValueError):
                pass

    def stop(self, timeout: float = 15) -> None:
        """Close the pipe (as the runner's death would) and wait for the sweep to end."""
        with self._lock:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        try:
            self.proc.wait(timeout)
        except Exception:  # noqa: BLE001 - it ends by itself within seconds
            pass


@contextmanager
def watchdog(env: dict[str, str]):
    """Start the watchdog for a run, put its token into ``env``; stop it at the end."""
    dog = Watchdog()
    env[RUN_TOKEN_ENV] = dog.token
    _WATCHDOG[0] = dog
    try:
        yield dog
    finally:
        _WATCHDOG[0] = None
        dog.stop()
