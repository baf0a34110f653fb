"""End to end: the pipeline runs in a scratch copy of the repository, reproduces the
committed outputs byte for byte, and fails cleanly without touching earlier outputs."""

from pathlib import Path

import pytest
from pipeline_repo import copy_repo, digests, run

from analysis import paths

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    """One warm-kernel run, shared by every test of this file."""
    repo = copy_repo(tmp_path_factory.mktemp("repo") / "main")
    result = run(repo)
    return repo, result


def test_pipeline_runs_from_raw_to_outputs(fresh_run):
    repo, result = fresh_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/" in result.stdout and "done" in result.stdout
    assert "outputs in place" in result.stdout
    for table in ["attendance", "attendance_discrepancies", "commitments", "funnel", "plans"]:
        assert (repo / "data" / "processed" / f"{table}.csv").is_file()
    staging = repo / ".staging"
    assert sorted(p.name for p in staging.iterdir()) == ["run.lock"]   # no staging, no journal
    leftovers = [p for p in repo.rglob("*.tmp")]
    assert leftovers == []


def test_processed_package_validates(fresh_run):
    from frictionless import Package, system

    repo, _ = fresh_run
    with system.use_context(trusted=True):
        report = Package(str(repo / "data" / "processed" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_committed_outputs_are_reproduced_byte_for_byte(fresh_run):
    """Self-reproduction: rerunning the pipeline would change no committed output.

    The committed outputs are made with one fresh kernel per notebook (``--fresh-kernels``);
    this run reuses warm kernels, so this also checks that reuse changes no byte.
    """
    repo, _ = fresh_run
    produced, committed = digests(repo), digests(paths.ROOT)
    changed = sorted(k for k in committed.keys() & produced.keys() if committed[k] != produced[k])
    assert changed == [], f"outputs that differ from the committed ones: {changed}"
    assert sorted(produced.keys() - committed.keys()) == []


def test_failing_notebook_is_named_and_outputs_stay_intact(tmp_path):
    import nbformat

    repo = copy_repo(tmp_path / "broken")
    before = digests(repo)
    name = "01_clean_and_reconcile"
    nb = nbformat.read(repo / "notebooks" / f"{name}.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
    nbformat.write(nb, repo / "notebooks" / f"{name}.ipynb")
    result = run(repo)
    assert result.returncode == 1
    assert f"notebook {name}.ipynb failed in cell" in result.stdout
    assert "RuntimeError: deliberate failure" in result.stdout
    after = digests(repo)
    after.pop(f"notebooks/{name}.ipynb"), before.pop(f"notebooks/{name}.ipynb")
    assert after == before


def test_invalid_raw_data_stops_before_any_notebook(tmp_path):
    repo = copy_repo(tmp_path / "badraw")
    before = digests(repo)
    csv = repo / "data" / "raw" / "attendance.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    result = run(repo)
    assert result.returncode == 1
    assert "data/raw/attendance.csv, line 1: has Windows (CRLF)" in result.stdout
    assert "done" not in result.stdout
    assert digests(repo) == before


@pytest.mark.parametrize("link_to,fragment", [
    ("data/raw", "must not point into data/raw"),
    (".git", "must not point into .git"),
    ("data/corrections", "must not point into data/corrections"),
])
def test_an_output_folder_resolving_into_a_protected_place_is_refused_before_anything_runs(
        tmp_path, link_to, fragment):
    repo = copy_repo(tmp_path / "linked")
    (repo / link_to).mkdir(parents=True, exist_ok=True)
    (repo / "out").symlink_to(repo / link_to)
    protected = sorted((p.relative_to(repo), p.read_bytes()) for p in (repo / link_to).rglob("*")
                       if p.is_file())
    before = digests(repo)
    result = run(repo, "--set", "processed_dir=out")
    assert result.returncode == 2
    assert fragment in result.stdout and "resolves to" in result.stdout
    assert result.stdout.count("\n") == 1                      # one line
    assert not (repo / ".staging").exists()                    # nothing ran: no lock, no staging
    assert digests(repo) == before
    assert sorted((p.relative_to(repo), p.read_bytes()) for p in (repo / link_to).rglob("*")
                  if p.is_file()) == protected


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return " ".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.parametrize("lang,phrases", [
    ("es", ["¿Quién estuvo en la sala?", "Participación", "37 de 113", "145 participantes",
            "150", "IC 95 %", "Comisión Multisectorial"]),
    ("en", ["Who was in the room?", "37 of 113", "145 participants", "150", "95% CI",
            "Foro Multiactor"]),
])
def test_brief_pdf_has_the_key_numbers_and_accents(fresh_run, lang, phrases):
    repo, _ = fresh_run
    text, pages = _pdf_text(repo / "reports" / "brief" / f"brief_{lang}.pdf")
    assert 2 <= pages <= 4
    flat = " ".join(text.split())
    for phrase in phrases:
        assert phrase in flat, phrase


@pytest.mark.parametrize("lang", ["es", "en"])
def test_brief_html_is_self_contained(fresh_run, lang):
    repo, _ = fresh_run
    page = (repo / "reports" / "brief" / f"brief_{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert page.count('src="data:image/png;base64,') == 4
    assert "37 de 113" in page if lang == "es" else "37 of 113" in page
