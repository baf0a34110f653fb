"""What the runner does to be fast must not cost correctness: raw data validated once per
run still means validated, and a warm kernel is reset to a fresh namespace."""

import pytest

from analysis import paths
from analysis.problems import RawDataError
from analysis.raw import package


def test_load_raw_trusts_the_pipeline_stamp_only_for_the_files_it_validated(raw_copy, monkeypatch):
    calls = []
    real = package.validate
    monkeypatch.setattr(package, "validate", lambda d=None: (calls.append(d), real(d))[1])
    monkeypatch.setenv(paths.RAW_VALIDATED_ENV, package.fingerprint(raw_copy))
    tables = package.load_raw(raw_copy)
    assert calls == [] and len(tables["attendance"]) == 74          # read, not re-validated
    (raw_copy / "bodies.csv").write_text("broken\n", encoding="utf-8")  # changed after the stamp
    with pytest.raises(RawDataError, match="bodies.csv"):
        package.load_raw(raw_copy)
    assert calls == [raw_copy]


def test_without_the_stamp_load_raw_validates(raw_copy, monkeypatch):
    monkeypatch.delenv(paths.RAW_VALIDATED_ENV, raising=False)
    (raw_copy / "bodies.csv").write_text("broken\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="bodies.csv"):
        package.load_raw(raw_copy)


def test_checked_tables_validates_once(monkeypatch):
    from analysis.raw import validation

    calls = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda d=None: (calls.append(d), real(d))[1])
    monkeypatch.setattr(package, "validate", lambda d=None: pytest.fail("validated twice"))
    tables, _ = validation.checked_tables()
    assert len(calls) == 1 and len(tables["commitments"]) == 104


def test_a_reused_kernel_starts_from_a_fresh_namespace(tmp_path):
    from analysis.run.kernels import CodeFailed, Kernel

    kernel = Kernel(tmp_path, {})
    try:
        kernel.ready()
        kernel.run_silently("x = 1\nimport json")
        kernel.reset()
        kernel.run_silently("import sys\nassert 'x' not in globals() and 'json' not in globals()\n"
                            "assert 'json' in sys.modules\n"          # imports stay warm
                            "assert get_ipython().execution_count == 1")
        with pytest.raises(CodeFailed, match="AssertionError"):
            kernel.run_silently("assert 'x' in globals()")
    finally:
        kernel.shutdown()


def test_a_kernel_that_dies_is_reported_as_dead_not_waited_for(tmp_path):
    """Between notebooks the runner sends kernels code of its own (the reset, the figure
    files their notebooks queued); a kernel dying there is reported as such at once (the
    runner used to wait for its reply until the timeout)."""
    from analysis.run.kernels import CodeFailed, Kernel

    kernel = Kernel(tmp_path, {})
    try:
        kernel.ready()
        with pytest.raises(CodeFailed, match=r"^writing failed: the kernel died$") as died:
            kernel.run_silently("import os; os._exit(3)", timeout=120, what="writing")
        assert died.value.told == "writing failed: the kernel died"
    finally:
        kernel.shutdown()


def test_kernels_listen_on_private_sockets_not_tcp_ports(tmp_path):
    """Two runs starting kernels at once (the test suite does) once raced for a TCP port
    ("Address already in use"): the runner's kernels use Unix sockets in a folder of their
    own, which goes with the kernel."""
    import json
    import socket
    from pathlib import Path

    from analysis.run.kernels import Kernel

    kernel = Kernel(tmp_path, {})
    folder = Path(kernel.sockets)
    try:
        kernel.ready()
        info = json.loads(Path(kernel.km.connection_file).read_text(encoding="utf-8"))
        assert info["transport"] == "ipc"
        assert Path(info["ip"]).parent == folder
        names = [f"{info['ip']}-{info[k]}" for k in
                 ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
        for name in names:
            probe = socket.socket(socket.AF_UNIX)
            probe.connect(name)                   # the kernel listens there
            probe.close()
        assert list(tmp_path.iterdir()) == []     # nothing in the kernel's working folder
    finally:
        kernel.shutdown()
    assert not folder.exists()


def test_stale_socket_folders_are_judged_only_within_this_pid_namespace(tmp_path, monkeypatch):
    """A pid names a runner only within its PID namespace: a folder whose runner is gone is
    removed; one whose runner is alive, or lived in another namespace (another container
    sharing the temporary folder), is left alone."""
    import subprocess
    import sys
    import tempfile

    from analysis.run import kernels

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone_pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True).stdout.strip()
    dead = tmp_path / f"{kernels.sockets_prefix(int(gone_pid))}abc"
    alive = tmp_path / f"{kernels.sockets_prefix()}def"
    elsewhere = tmp_path / f"{kernels.SOCKETS_PREFIX}1-{gone_pid}-ghi"   # namespace 1 is not ours
    for folder in (dead, alive, elsewhere):
        folder.mkdir()
    assert kernels.remove_stale_sockets() == 1
    assert not dead.exists() and alive.exists() and elsewhere.exists()


def test_what_validation_remembers_never_hides_a_change(raw_copy, tmp_path):
    """Validation remembers, within a process, files that passed (by their bytes): a second
    copy with one changed cell is checked afresh and named, and the tables handed out are
    copies that a caller may change."""
    import shutil

    from conftest import edit_csv

    tables, problems = package.validate(raw_copy)
    assert problems == []
    tables["attendance"].loc[0, "count"] = 999                 # a caller edits its tables
    again, _ = package.validate(raw_copy)
    assert again["attendance"].loc[0, "count"] != 999          # the remembered read is intact
    other = tmp_path / "other" / "raw"
    shutil.copytree(raw_copy, other)
    line = edit_csv(other / "bodies.csv", "c2013-ejecutivo", "seats", "cinco")
    package.update_checksums(other)
    _, problems = package.validate(other)
    assert [(p.file, p.line, p.field) for p in problems] == [
        (str(other / "bodies.csv"), line, "seats")], problems
    _, problems = package.validate(raw_copy)                    # the first copy still passes
    assert problems == []
