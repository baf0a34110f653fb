"""End to end with a changed raw count: the outputs change. (Its own file, so that xdist
runs it beside the other end-to-end files.)"""

import os
import subprocess
import sys

import pytest
from pipeline_repo import copy_repo, digests, run

from analysis import paths

pytestmark = pytest.mark.pipeline


def test_a_changed_count_changes_the_outputs(tmp_path):
    """Changing one count in data/raw changes committed outputs, so make test would fail.

    The seat count is written in words in its quote ('cinco'), so no validation layer can
    tell the change from a correct transcription: only the outputs can.
    """
    repo = copy_repo(tmp_path / "changed")
    csv = repo / "data" / "raw" / "bodies.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",state,5,", ",state,6,") if line.startswith("c2013-ejecutivo,") else line
             for line in lines]
    csv.write_text("\n".join(lines), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    subprocess.run([sys.executable, "-c", "from analysis.raw import update_checksums; update_checksums()"],
                   cwd=repo, env=env, check=True)
    result = run(repo)
    assert result.returncode == 0, result.stdout + result.stderr
    produced, committed = digests(repo), digests(paths.ROOT)
    for output in ["data/processed/bodies.csv", "reports/brief/brief_en.pdf",
                   "reports/figures/bodies_parity_es.png",
                   "notebooks/05_multistakeholder_bodies.ipynb"]:
        assert produced[output] != committed[output], output
