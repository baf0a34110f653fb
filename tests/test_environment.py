"""Set-up files agree: pyproject.toml is the single source of dependencies, the lock covers
it for every supported Python, and the Makefile finds an interpreter that really runs."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from analysis import paths

LOCK = paths.ROOT / "requirements" / "lock.txt"
FIND_PYTHON = paths.ROOT / "tools" / "find-python"
SUPPORTED = ["3.11", "3.12", "3.13"]


def _pyproject() -> dict:
    return tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _makefile() -> str:
    return (paths.ROOT / "Makefile").read_text(encoding="utf-8")


def _lock_pins() -> dict[str, list[tuple[str, str | None, int]]]:
    """name -> [(version, marker, number of hashes)] as the lock pins them."""
    pins: dict[str, list] = {}
    entries = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8"))
    for entry in entries:
        head = entry.split("\\")[0].strip()
        if not head or head.startswith("#"):
            continue
        requirement, _, marker = head.partition(";")
        name, version = requirement.strip().split("==")
        pins.setdefault(canonicalize_name(name), []).append(
            (version, marker.strip() or None, entry.count("--hash=sha256:")))
    return pins


def _extras_used_by_make() -> set[str]:
    return set(re.findall(r"--extra (\w+)", _makefile()))


def _environment(python: str) -> dict[str, str]:
    return {"python_version": python, "python_full_version": f"{python}.0", "sys_platform": "linux",
            "platform_system": "Linux", "implementation_name": "cpython", "os_name": "posix",
            "platform_machine": "x86_64", "platform_python_implementation": "CPython", "extra": ""}


def test_requires_python_states_the_supported_versions():
    spec = SpecifierSet(_pyproject()["project"]["requires-python"])
    for version in SUPPORTED:
        assert f"{version}.0" in spec, version
    assert "3.10.0" not in spec and "3.14.0" not in spec
    assert f'SUPPORTED="{" ".join(SUPPORTED)}"' in FIND_PYTHON.read_text(encoding="utf-8")
    assert _pyproject()["tool"]["ruff"]["target-version"] == "py311"


@pytest.mark.parametrize("python", SUPPORTED)
def test_lock_covers_pyproject_for_every_supported_python(python):
    """Every dependency (and those of the extras make installs) is pinned, with hashes, to one
    version that satisfies pyproject.toml on this Python."""
    project = _pyproject()["project"]
    extras = _extras_used_by_make()
    assert extras == {"test", "explore"}, extras
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for e in sorted(extras) for r in project["optional-dependencies"][e]]
    pins = _lock_pins()
    env = _environment(python)
    for req in requirements:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is in pyproject.toml but not in {LOCK.name}; run make lock"
        active = [(v, n) for v, m, n in pins[name] if m is None or Marker(m).evaluate(env)]
        assert len(active) == 1, (name, python, pins[name])
        version, hashes = active[0]
        assert version in req.specifier, f"{name}=={version} does not satisfy {req}; run make lock"
        assert hashes >= 1, name


def test_lock_pins_one_version_per_package_for_all_supported_pythons():
    """Same versions on 3.11, 3.12 and 3.13, so that outputs compare byte for byte."""
    for name, entries in _lock_pins().items():
        versions = {v for v, _, _ in entries}
        assert len(versions) == 1, (name, entries)
        assert all(n >= 1 for _, _, n in entries), name


def test_make_installs_from_the_lock():
    make = _makefile()
    assert "--require-hashes -r $(LOCK)" in make
    assert "--no-deps -e ." in make
    assert "LOCK   := requirements/lock.txt" in make
    assert re.search(r"^\$\(STAMP\): pyproject.toml \$\(LOCK\)$", make, re.M)
    assert re.search(r"^lock:$", make, re.M) and "--generate-hashes" in make
    assert "make lock" in LOCK.read_text(encoding="utf-8").splitlines()[1]


def test_environment_yml_installs_the_lock():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections == [["--require-hashes", "-r requirements/lock.txt"]]
    # conda provides only Python and pip; every other dependency comes from the lock
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert {re.split(r"[=<>]", d)[0] for d in conda} == {"python", "pip"}
    assert "python=3.11" in conda
    page = (paths.ROOT / "docs" / "reproducing.md").read_text(encoding="utf-8")
    assert "produced with CPython 3.11" in page and "pip install --no-deps -e ." in page


def test_version_is_in_one_place():
    import analysis

    pyproject = _pyproject()
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "analysis.__version__"}
    citation = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"version: {analysis.__version__}" in citation


def test_ci_runs_the_readme_test_command():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme and "make all" in readme


def _find_python(*args: str, path: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYENV_ROOT": "/nonexistent"}
    if path is not None:
        env["PATH"] = path
    return subprocess.run(["sh", str(FIND_PYTHON), *args], capture_output=True, text=True, env=env)


def test_find_python_accepts_an_interpreter_that_runs():
    result = _find_python(sys.executable)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).exists()


def test_find_python_rejects_a_broken_shim(tmp_path):
    """A shim found on PATH that fails when run (exit 127) is not an interpreter."""
    shim = tmp_path / "python3.12"
    shim.write_text("#!/bin/sh\necho 'pyenv: python3.12: command not found' >&2\nexit 127\n")
    shim.chmod(0o755)
    result = _find_python("python3.12", path=f"{tmp_path}:/usr/bin:/bin")
    assert result.returncode == 1
    assert "python3.12: does not run" in result.stderr
    assert "no working Python of a supported version (3.11 3.12 3.13)" in result.stderr


def test_find_python_rejects_an_unsupported_version(tmp_path):
    fake = tmp_path / "python3.10"
    fake.write_text("#!/bin/sh\necho /opt/python3.10 3.10\n")
    fake.chmod(0o755)
    result = _find_python(str(fake))
    assert result.returncode == 1
    assert "Python 3.10 is not supported" in result.stderr


def test_executed_notebooks_keep_no_interpreter_version():
    import json

    from analysis.run import pipeline

    for folder in ("notebooks", "reports/notebooks"):
        for path in sorted((paths.ROOT / folder).glob("*.ipynb")):
            meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
            assert "version" not in meta.get("language_info", {}), path
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "version": "3.12.1"}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "env": {"X": "1"}}
    pipeline.normalise_notebook(nb)
    assert nb.metadata["language_info"] == {"name": "python"}
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3"}


def test_ci_installs_the_browser_before_testing():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get update" in ci and re.search(r"apt-get install[^\n]*\bchromium\b", ci)
    assert ci.index("apt-get install") < ci.index("make test")
    assert 'export CI="${CI:-1}"' in ci  # the browser test fails, never skips, in CI
