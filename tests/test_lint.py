"""The linter is configured (pyproject.toml) and the code is clean."""

import shutil
import subprocess
import sys
from pathlib import Path

from analysis import paths


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "src", "tests", "benchmarks"], cwd=paths.ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
