"""End to end: the pipeline runs in a scratch copy of the repository, reproduces the
committed outputs byte for byte, and fails cleanly without touching earlier outputs."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

pytestmark = pytest.mark.pipeline
OUTPUTS = ["data/processed", "reports", "notebooks"]


def _tracked_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=root, capture_output=True, text=True, check=True).stdout
    return [f for f in out.split("\0") if f and (root / f).is_file()]


def _copy_repo(target: Path) -> Path:
    for rel in _tracked_files(paths.ROOT):
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / rel, dest)
    return target


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != paths.OUTPUT_ROOT_ENV}
    env["PYTHONPATH"] = str(repo / "src")
    if paths.sources_dir() is not None:
        env[paths.SOURCES_ENV] = str(paths.sources_dir())
    return subprocess.run([sys.executable, "-m", "analysis", "run", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900)


def _digests(root: Path) -> dict[str, str]:
    found = {}
    for top in OUTPUTS:
        for path in sorted((root / top).rglob("*")):
            if path.is_file():
                found[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    repo = _copy_repo(tmp_path_factory.mktemp("repo") / "main")
    result = _run(repo)
    return repo, result


def test_pipeline_runs_from_raw_to_outputs(fresh_run):
    repo, result = fresh_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/" in result.stdout and "done" in result.stdout
    for table in ["attendance", "attendance_discrepancies", "commitments", "funnel", "plans"]:
        assert (repo / "data" / "processed" / f"{table}.csv").is_file()
    assert not (repo / ".staging").exists() or not any((repo / ".staging").iterdir())


def test_processed_package_validates(fresh_run):
    from frictionless import Package, system

    repo, _ = fresh_run
    with system.use_context(trusted=True):
        report = Package(str(repo / "data" / "processed" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_committed_outputs_are_reproduced_byte_for_byte(fresh_run):
    """Self-reproduction: rerunning the pipeline would change no committed output."""
    repo, _ = fresh_run
    produced, committed = _digests(repo), _digests(paths.ROOT)
    changed = sorted(k for k in committed.keys() & produced.keys() if committed[k] != produced[k])
    assert changed == [], f"outputs that differ from the committed ones: {changed}"
    assert sorted(produced.keys() - committed.keys()) == []


def test_second_run_is_byte_identical(fresh_run):
    repo, _ = fresh_run
    before = _digests(repo)
    assert _run(repo).returncode == 0
    assert _digests(repo) == before


def test_failing_notebook_is_named_and_outputs_stay_intact(fresh_run, tmp_path):
    import nbformat

    repo = _copy_repo(tmp_path / "broken")
    before = _digests(repo)
    name = "01_clean_and_reconcile"
    nb = nbformat.read(repo / "notebooks" / f"{name}.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
    nbformat.write(nb, repo / "notebooks" / f"{name}.ipynb")
    result = _run(repo)
    assert result.returncode == 1
    assert f"notebook {name}.ipynb failed in cell" in result.stdout
    assert "RuntimeError: deliberate failure" in result.stdout
    after = _digests(repo)
    after.pop(f"notebooks/{name}.ipynb"), before.pop(f"notebooks/{name}.ipynb")
    assert after == before


def test_invalid_raw_data_stops_before_any_notebook(tmp_path):
    repo = _copy_repo(tmp_path / "badraw")
    before = _digests(repo)
    csv = repo / "data" / "raw" / "attendance.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    result = _run(repo)
    assert result.returncode == 1
    assert "data/raw/attendance.csv, line 1: has Windows (CRLF)" in result.stdout
    assert "done" not in result.stdout
    assert _digests(repo) == before


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return " ".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.parametrize("lang,phrases", [
    ("es", ["¿Quién estuvo en la sala?", "Participación", "37 de 113", "145 participantes",
            "150", "de Wilson al 95%", "Comisión Multisectorial", "Cómo citar", "Referencias"]),
    ("en", ["Who was in the room?", "37 of 113", "145 participants", "150", "Wilson at 95%", "How to cite",
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
    from analysis.report.brief import FIGURES

    assert page.count('<img src="data:image/svg+xml;base64,') == len(FIGURES)
    assert page.count('<source media="(max-width: 40rem)" srcset="data:image/svg+xml;base64,') == len(FIGURES)
    flat = " ".join(page.split())  # numbers are tied to their words by no-break spaces
    assert "37 de 113" in flat if lang == "es" else "37 of 113" in flat


def _python(repo: Path, code: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(repo / "src")}
    subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, check=True)


def test_a_changed_count_changes_the_outputs(tmp_path):
    """Changing one count in data/raw changes committed outputs, so make test would fail.

    The seat count is written in words in its quote ('cinco'), so no validation layer can
    tell the change from a correct transcription: only the outputs can.
    """
    repo = _copy_repo(tmp_path / "changed")
    csv = repo / "data" / "raw" / "bodies.csv"
    lines = csv.read_text(encoding="utf-8").split("\n")
    lines = [line.replace(",state,5,", ",state,6,") if line.startswith("c2013-ejecutivo,") else line
             for line in lines]
    csv.write_text("\n".join(lines), encoding="utf-8")
    _python(repo, "from analysis.raw import update_checksums; update_checksums()")
    assert _run(repo).returncode == 0
    produced, committed = _digests(repo), _digests(paths.ROOT)
    for output in ["data/processed/bodies.csv", "reports/brief/brief_en.pdf",
                   "reports/figures/bodies_parity_es.png",
                   "notebooks/05_multistakeholder_bodies.ipynb"]:
        assert produced[output] != committed[output], output


def test_sweep_never_touches_committed_outputs(tmp_path):
    repo = _copy_repo(tmp_path / "sweep")
    before = _digests(repo)
    env = {k: v for k, v in os.environ.items() if k != paths.OUTPUT_ROOT_ENV}
    env["PYTHONPATH"] = str(repo / "src")
    result = subprocess.run([sys.executable, "-m", "analysis", "sweep", "--combo",
                             "pcm2018,civil_society,en"], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _digests(repo) == before
    folder = repo / "sweeps" / "pcm2018-civil_society-en"
    assert (folder / "reports" / "brief" / "brief_en.pdf").is_file()
    shares = (folder / "data" / "processed" / "shares.csv").read_text(encoding="utf-8")
    assert shares.splitlines()[0].startswith("source_id,stage,unit,other_as")
    summary = (repo / "sweeps" / "summary.csv").read_text(encoding="utf-8").splitlines()
    # the government reports persons only at the regional workshops: 82 civil society of 145
    assert "pcm2018,civil_society,en,True,regional_workshop,True,82,145," in "\n".join(summary)
    assert "pcm2018,civil_society,en,True,national_table,False,,," in "\n".join(summary)
