"""End to end with other inputs: a changed raw count changes the outputs; the sweep writes
only into its own folder. (Its own file, so that xdist runs it beside test_pipeline.py.)"""

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


def test_sweep_never_touches_committed_outputs(tmp_path):
    repo = copy_repo(tmp_path / "sweep")
    before = digests(repo)
    result = run(repo, "--combo", "pcm2018,civil_society,en", command="sweep")
    assert result.returncode == 0, result.stdout + result.stderr
    assert digests(repo) == before
    folder = repo / "sweeps" / "pcm2018-civil_society-en"
    assert (folder / "reports" / "brief" / "brief_en.pdf").is_file()
    shares = (folder / "data" / "processed" / "shares.csv").read_text(encoding="utf-8")
    assert shares.splitlines()[0].startswith("source_id,stage,unit,other_as")


@pytest.mark.parametrize("out,fragment", [
    ("data/raw", "must not point into data/raw"),
    (".git/sweeps", "must not point into .git"),
    ("data", "must not point into data/raw or contain it"),
    ("data/processed/sweeps", "keep clear of the committed outputs"),
    ("reports", "keep clear of the committed outputs"),
    ("../elsewhere", "must be a subfolder of the repository"),
    ("linked", "must not point into data/raw"),
])
def test_sweep_folder_is_contained(tmp_path, out, fragment):
    repo = copy_repo(tmp_path / "repo")
    (repo / "linked").symlink_to(repo / "data" / "raw")
    before = digests(repo)
    raw_before = sorted(p.read_bytes() for p in (repo / "data" / "raw").iterdir())
    result = run(repo, "--out", out, "--combo", "pcm2018,civil_society,en", command="sweep")
    assert result.returncode == 2
    assert fragment in result.stdout, result.stdout
    assert "== sweep" not in result.stdout
    assert digests(repo) == before
    assert sorted(p.read_bytes() for p in (repo / "data" / "raw").iterdir()) == raw_before
