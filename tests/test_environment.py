"""Set-up files agree: pyproject.toml is the single source of dependencies."""

import re
import tomllib

import yaml

from analysis import paths


def test_environment_yml_installs_the_package_with_its_extras():
    env = yaml.safe_load((paths.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = set(pyproject["project"]["optional-dependencies"])
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1
    editable = [x for x in pip_sections[0] if x.startswith("-e ")]
    assert len(editable) == 1
    match = re.fullmatch(r"-e \.\[([a-z,]+)\]", editable[0])
    assert match, editable[0]
    assert set(match.group(1).split(",")) == extras
    # conda provides only Python and pip; every other dependency comes from pyproject.toml
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert {re.split(r"[=<>]", d)[0] for d in conda} == {"python", "pip"}
    assert "python=3.11" in conda


def test_version_is_in_one_place():
    import analysis

    text = (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = tomllib.loads(text)
    assert "version" not in pyproject["project"]
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "analysis.__version__"}
    citation = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"version: {analysis.__version__}" in citation


def test_ci_runs_the_readme_test_command():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (paths.ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme and "make all" in readme


def test_ci_installs_the_browser_before_testing():
    ci = (paths.ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get update" in ci and re.search(r"apt-get install[^\n]*\bchromium\b", ci)
    assert ci.index("apt-get install") < ci.index("make test")
    assert 'export CI="${CI:-1}"' in ci  # the browser test fails, never skips, in CI
