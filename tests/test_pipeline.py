"""End to end: the pipeline runs in a scratch copy of the repository, reproduces the
committed outputs byte for byte, and fails cleanly without touching earlier outputs."""

import shutil
import tempfile
from pathlib import Path

import pytest
from pipeline_repo import copy_repo, digests, gone, run, start, wait_for_processes

from analysis import paths
from analysis.run import kernels

pytestmark = pytest.mark.pipeline


@pytest.fixture(scope="module")
def fresh_run(tmp_path_factory):
    """A run killed with SIGKILL mid-way, then a whole run; shared by every test of this file."""
    repo = copy_repo(tmp_path_factory.mktemp("repo") / "main")
    killed = {"before": digests(repo)}
    proc = start(repo)
    # killed as soon as both kernels are up, while they import and the runner validates
    killed["kernels"] = wait_for_processes(repo, 2)
    proc.kill()
    proc.wait(timeout=30)
    killed["left"] = gone(repo)
    killed["after"] = digests(repo)
    killed["stale"] = sorted(p.name for p in (repo / ".staging").glob("run-*"))
    sockets = Path(tempfile.gettempdir()).glob(f"{kernels.sockets_prefix(proc.pid)}*")
    killed["sockets"] = sorted(sockets)
    home = tmp_path_factory.mktemp("home")
    # the copy keeps matplotlib's font cache in its own .cache/ (see analysis/__init__.py):
    # seeded from this checkout's, so that the run does not spend seconds rebuilding it
    fonts = paths.ROOT / ".cache" / "matplotlib"
    if fonts.is_dir():
        shutil.copytree(fonts, repo / ".cache" / "matplotlib", dirs_exist_ok=True)
    result = run(repo, home=home)
    killed["home"] = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    killed["left_after_run"] = gone(repo)
    killed["sockets_after_run"] = [p for p in killed["sockets"] if p.exists()]
    return repo, result, killed


def test_pipeline_runs_from_raw_to_outputs(fresh_run):
    repo, result, _ = fresh_run
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/" in result.stdout and "done" in result.stdout
    assert "outputs in place" in result.stdout
    for table in ["attendance", "attendance_discrepancies", "commitments", "funnel", "plans"]:
        assert (repo / "data" / "processed" / f"{table}.csv").is_file()
    staging = repo / ".staging"
    assert sorted(p.name for p in staging.iterdir()) == ["run.lock"]   # no staging, no journal
    leftovers = [p for p in repo.rglob("*.tmp")]
    assert leftovers == []


def test_sigkill_leaves_no_process_and_the_next_run_succeeds(fresh_run):
    """The run above was preceded by one killed with SIGKILL while its kernels worked."""
    repo, result, killed = fresh_run
    assert killed["kernels"], "the kernels were expected to be running when the runner was killed"
    assert killed["left"] == [], "kernels outlived the runner"
    assert killed["after"] == killed["before"]          # nothing was committed
    assert len(killed["stale"]) == 1                    # its staging folder was left behind...
    assert result.returncode == 0
    assert "removed 1 staging folder(s) of earlier runs" in result.stdout   # ...and removed
    assert killed["left_after_run"] == []
    # its kernels' socket folders (no handler runs on SIGKILL) went with the next run
    assert killed["sockets"], "the killed run's kernels were expected to have socket folders"
    assert killed["sockets_after_run"] == []


def test_the_run_writes_nothing_into_the_users_home(fresh_run):
    """Run with an empty HOME: no IPython folder, no matplotlib font cache, nothing (issue 24)."""
    _, result, killed = fresh_run
    assert result.returncode == 0
    assert killed["home"] == []


def test_processed_package_validates(fresh_run):
    from frictionless import Package, system

    repo, _, _ = fresh_run
    with system.use_context(trusted=True):
        report = Package(str(repo / "data" / "processed" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_committed_outputs_are_reproduced_byte_for_byte(fresh_run):
    """Self-reproduction: rerunning the pipeline would change no committed output.

    The committed outputs are made with one fresh kernel per notebook (``--fresh-kernels``);
    this run reuses warm kernels, so this also checks that reuse changes no byte; and it
    follows a killed run, so it also checks that the kill left nothing behind that matters.
    The notebooks' stored outputs are compared byte for byte here (PNG included), which is
    what ``pytest --nbval notebooks`` checks as text.
    """
    repo, _, _ = fresh_run
    produced, committed = digests(repo), digests(paths.ROOT)
    changed = sorted(k for k in committed.keys() & produced.keys() if committed[k] != produced[k])
    assert changed == [], f"outputs that differ from the committed ones: {changed}"
    assert sorted(produced.keys() - committed.keys()) == []


def _pdf_text(path: Path) -> tuple[str, int]:
    from analysis.report.audit import pdf_pages

    pages = pdf_pages(path)
    return " ".join(pages), len(pages)


@pytest.mark.parametrize("lang,phrases", [
    ("es", ["¿Quién estuvo en la sala?", "Participación", "37 de 113", "145 asistencias",
            "150", "de Wilson al 95%", "Comisión Multisectorial", "Cómo citar", "Referencias"]),
    ("en", ["Who was in the room?", "37 of 113", "145 attendances", "150", "Wilson at 95%", "How to cite",
            "Foro Multiactor"]),
])
def test_brief_pdf_has_the_key_numbers_and_accents(fresh_run, lang, phrases):
    repo, _, _ = fresh_run
    text, pages = _pdf_text(repo / "reports" / "brief" / f"brief_{lang}.pdf")
    assert 2 <= pages <= 6  # issue 21: at most 6 A4 pages per language
    flat = " ".join(text.split())
    for phrase in phrases:
        assert phrase in flat, phrase


@pytest.mark.parametrize("lang", ["es", "en"])
def test_brief_html_is_self_contained(fresh_run, lang):
    repo, _, _ = fresh_run
    page = (repo / "reports" / "brief" / f"brief_{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    from analysis.report.brief import FIGURES

    assert page.count('<img src="data:image/svg+xml;base64,') == len(FIGURES)
    assert page.count('<source media="(max-width: 40rem)" srcset="data:image/svg+xml;base64,') == len(FIGURES)
    flat = " ".join(page.split())  # numbers are tied to their words by no-break spaces
    assert "37 de 113" in flat if lang == "es" else "37 of 113" in flat
