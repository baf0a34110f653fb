"""End to end, the sweep: it writes only into its own folder, which must be contained; and
a changed raw count changes the outputs. (Its own file, so that xdist runs it beside the
other end-to-end files.)

One run serves both: the sweep runs in a copy of the repository whose data/raw has one
count changed, so it also shows that the self-reproduction test has teeth.
"""

import pytest
from pipeline_repo import copy_repo, digests, run
from test_narrative import compare_languages

from analysis import paths
from analysis.raw import update_checksums

pytestmark = pytest.mark.pipeline


def _change_a_count(repo, tmp_path):
    """The executive's seats on the 2013 commission, 5 -> 6, with its quote and value_locator,
    as a correct transcription of a different printing would be; returns a scratch copy of
    the sources with that printing (or a missing folder, where the sources are absent, so
    that quotes go unchecked): validation passes, and only the outputs can tell."""
    csv = repo / "data" / "raw" / "bodies.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",state,5,tenía [cinco]", ",state,6,tenía [seis]")
             .replace("tenía cinco representantes", "tenía seis representantes")
             if line.startswith("c2013-ejecutivo,") else line for line in lines]
    csv.write_text("\n".join(lines), encoding="utf-8")
    update_checksums(repo / "data" / "raw")
    if paths.sources_dir() is None:
        return tmp_path / "no-sources"
    printing = tmp_path / "sources"
    printing.mkdir()
    for doc in paths.sources_dir().glob("*.txt"):
        text = doc.read_text(encoding="utf-8")
        (printing / doc.name).write_text(text.replace("tenía cinco representantes",
                                                      "tenía seis representantes"), encoding="utf-8")
    return printing


def test_sweep_never_touches_committed_outputs_and_a_changed_count_changes_its_outputs(tmp_path):
    repo = copy_repo(tmp_path / "sweep")
    printing = _change_a_count(repo, tmp_path)
    before = digests(repo)
    result = run(repo, "--combo", "pcm2018,civil_society,en", command="sweep", sources=printing)
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
    # The changed count reaches every output that depends on it, so make test would fail.
    # These outputs do not depend on account, other_as or lang, so the committed ones differ
    # only through the change:
    produced, committed = digests(folder), digests(paths.ROOT)
    for output in ["data/processed/bodies.csv", "reports/figures/bodies_parity_es.png",
                   "reports/figures/bodies_parity_en.svg"]:
        assert produced[output] != committed[output], output
    # and the brief counts the commission's state seats, 5 executive + 1 judicial = 6 before
    # the change (as committed), 6 + 1 = 7 after it.
    import json

    def bodies(root):
        doc = json.loads((root / "reports/brief/brief_en.json").read_text(encoding="utf-8"))
        text = next(f["text"] for f in doc["findings"] if f["id"] == "bodies")
        return text.replace("\u00a0", " ")  # numbers are tied to their words by no-break spaces

    assert "Comisión Multisectorial (2013): 6 state seats" in bodies(paths.ROOT)
    assert "Comisión Multisectorial (2013): 7 state seats" in bodies(folder)
    # The same run is the lang=en execution of every notebook: same code cells as the
    # committed (lang=es) ones, every word of the narrative in English.
    assert compare_languages(folder / "reports" / "notebooks", paths.NOTEBOOKS_DIR) \
        == len(list(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")))


@pytest.fixture(scope="module")
def refusing_repo(tmp_path_factory):
    """One copy for every refusal below: each checks that nothing in it changed."""
    repo = copy_repo(tmp_path_factory.mktemp("contained") / "repo")
    (repo / "linked").symlink_to(repo / "data" / "raw")
    return repo


@pytest.mark.parametrize("out,fragment", [
    ("data/raw", "must not point into data/raw"),
    (".git/sweeps", "must not point into .git"),
    ("data", "must not point into data/raw or contain it"),
    ("data/processed/sweeps", "keep clear of the committed outputs"),
    ("reports", "keep clear of the committed outputs"),
    ("../elsewhere", "must be a subfolder of the repository"),
    ("linked", "must not point into data/raw"),
])
def test_sweep_folder_is_contained(refusing_repo, out, fragment):
    repo = refusing_repo
    before = digests(repo)
    raw_before = sorted(p.read_bytes() for p in (repo / "data" / "raw").rglob("*") if p.is_file())
    result = run(repo, "--out", out, "--combo", "pcm2018,civil_society,en", command="sweep")
    assert result.returncode == 2
    assert fragment in result.stdout, result.stdout
    assert "== sweep" not in result.stdout
    assert digests(repo) == before
    assert sorted(p.read_bytes() for p in (repo / "data" / "raw").rglob("*") if p.is_file()) == raw_before
