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

    The count, its quote and its value_locator are changed together, as a correct
    transcription of a different printing would be, and the run reads a scratch copy of
    the sources with that printing (or none, where the sources are absent): validation
    passes, and only the outputs can tell.
    """
    repo = copy_repo(tmp_path / "changed")
    csv = repo / "data" / "raw" / "bodies.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",state,5,tenía [cinco]", ",state,6,tenía [seis]")
             .replace("tenía cinco representantes", "tenía seis representantes")
             if line.startswith("c2013-ejecutivo,") else line for line in lines]
    csv.write_text("\n".join(lines), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    subprocess.run([sys.executable, "-c", "from analysis.raw import update_checksums; update_checksums()"],
                   cwd=repo, env=env, check=True)
    printing = tmp_path / "sources"
    printing.mkdir()
    if paths.sources_dir() is not None:
        for doc in paths.sources_dir().glob("*.txt"):
            text = doc.read_text(encoding="utf-8")
            (printing / doc.name).write_text(text.replace("tenía cinco representantes",
                                                          "tenía seis representantes"),
                                             encoding="utf-8")
    absent = tmp_path / "no-sources"  # where the sources are not at hand, quotes go unchecked
    result = run(repo, sources=printing if paths.sources_dir() is not None else absent)
    assert result.returncode == 0, result.stdout + result.stderr
    produced, committed = digests(repo), digests(paths.ROOT)
    for output in ["data/processed/bodies.csv", "reports/brief/brief_en.pdf",
                   "reports/figures/bodies_parity_es.png",
                   "notebooks/05_multistakeholder_bodies.ipynb"]:
        assert produced[output] != committed[output], output
