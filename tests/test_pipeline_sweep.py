"""End to end, the sweep: it writes only into its own folder, which must be contained.
(Its own file, so that xdist runs it beside the other end-to-end files.)"""

import pytest
from pipeline_repo import copy_repo, digests, run

pytestmark = pytest.mark.pipeline


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
    summary = (repo / "sweeps" / "summary.csv").read_text(encoding="utf-8").splitlines()
    # the government reports persons only at the regional workshops: 82 civil society of 145
    assert "pcm2018,civil_society,en,True,regional_workshop,True,82,145," in "\n".join(summary)
    assert "pcm2018,civil_society,en,True,national_table,False,,," in "\n".join(summary)


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
