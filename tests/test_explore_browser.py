"""``make explore`` in a real browser: Datasette over both data packages.

The server is started as ``make explore`` starts it (``python -m analysis explore``) on a free
port; Playwright drives Debian's chromium through ``executable_path`` (as in
test_brief_browser.py): without chromium the browser tests skip with the reason, except in
CI (env ``CI`` set), where a missing browser is a failure. The numbers the pages show are
checked against the CSV files of data/processed and data/raw; the repository must be
unchanged afterwards. The refusals (port taken, a table that cannot be loaded) need no
browser.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import launch

from analysis import paths
from analysis.run import explore

PROCESSED = paths.ROOT / "data" / "processed"


def _csv(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


#: Ignored files that other tests running at the same time may write (bytecode, caches).
CONCURRENT = ("__pycache__/", ".hypothesis/", ".pytest_cache/", ".ruff_cache/")


def _git_status() -> list[str]:
    """Changed, untracked and ignored files, but those other test processes may write."""
    out = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
                         cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if not any(c in line for c in CONCURRENT)]


def _env():
    env = {k: v for k, v in os.environ.items() if k != paths.OUTPUT_ROOT_ENV}
    env["PYTHONPATH"] = str(paths.ROOT / "src")
    return env


@pytest.fixture(scope="module")
def browser():
    yield from launch("make explore")


@pytest.fixture(scope="module")
def server(browser):
    before = _git_status()
    port = explore.free_port()
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "explore", "--port", str(port)],
                            cwd=paths.ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if proc.poll() is not None:
            pytest.fail(f"make explore stopped with {proc.returncode}: {proc.stdout.read()}")
        try:
            with urllib.request.urlopen(url + "/-/versions.json", timeout=2):
                break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"make explore did not answer on {url} within 120 s")
            time.sleep(0.25)
    yield url
    proc.terminate()
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert f"serving data/raw and data/processed at {url}/" in output
    assert _git_status() == before, "make explore changed the repository"


def _cells(page, column: str) -> list[str]:
    return [c.strip() for c in page.locator(f"table.rows-and-columns td.col-{column}").all_inner_texts()]


def test_table_page_shows_its_metadata_and_a_facet_filters_it(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/processed/shares")
    body = page.inner_text("body")
    assert "Civil-society share per source, stage, unit and treatment of other." in body
    assert "Derived from data/raw by notebook 02_participation_shares" in body
    assert explore.LICENCE_DERIVED in body
    assert "Denominator under the treatment: state + civil society (+ other unless excluded)." in body
    rows = _csv(PROCESSED / "shares.csv")
    assert len(_cells(page, "n")) == len(rows)
    # apply the facet on the account: the pcm2018 link of the source_id facet
    page.locator(".facet-info[data-column='source_id'] a", has_text="pcm2018").first.click()
    page.wait_for_load_state("load")
    assert "source_id=pcm2018" in page.url
    mine = [r for r in rows if r["source_id"] == "pcm2018"]
    assert mine and len(_cells(page, "n")) == len(mine)
    assert sorted(_cells(page, "n_civil_society")) == sorted(r["n_civil_society"] for r in mine)
    assert sorted(_cells(page, "n")) == sorted(r["n"] for r in mine)
    page.close()


def test_search_finds_a_quote_with_its_counts(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/raw/attendance")
    assert "Transcribed facts from public documents" in page.inner_text("body")
    page.fill("input[name=_search]", "Libertad")
    page.press("input[name=_search]", "Enter")
    page.wait_for_load_state("load")
    assert "_search=Libertad" in page.url
    raw = {r["id"]: r for r in _csv(paths.RAW_DIR / "attendance.csv")}
    ids = _cells(page, "id")
    expected = {i for i, r in raw.items() if "libertad" in (r["quote"] + r["note"]).lower()}
    assert set(ids) == expected and ids
    for i, count, quote in zip(ids, _cells(page, "count"), _cells(page, "quote"), strict=True):
        assert count == raw[i]["count"] and quote == raw[i]["quote"].strip(), i
    page.close()


def test_canned_query_gives_the_processed_shares(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/processed/share_by_stage_and_account")
    shown = list(zip(_cells(page, "account"), _cells(page, "stage"), _cells(page, "other_as"),
                     _cells(page, "civil_society_percent"), strict=True))
    rows = _csv(PROCESSED / "shares.csv")
    assert sorted(shown) == sorted((r["source_id"], r["stage"], r["other_as"],
                                    str(round(100 * float(r["share_civil_society"]), 1))) for r in rows)
    page.goto(f"{server}/raw/event_values_with_quotes?event=San+Mart")
    counts = _cells(page, "count")
    raw = [r for r in _csv(paths.RAW_DIR / "attendance.csv") if "San Mart" in r["event"]]
    assert raw and sorted(counts) == sorted(r["count"] for r in raw)
    page.close()


def test_a_taken_port_is_refused_with_a_message(capsys, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert explore.main(port=port, db=str(tmp_path / "db")) == 1
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is taken" in err and "--port" in err
    assert not (tmp_path / "db").exists()  # refused before anything is built


def test_a_table_that_cannot_be_loaded_names_file_line_and_field(tmp_path, capsys, monkeypatch):
    import shutil

    folder = tmp_path / "processed"
    shutil.copytree(PROCESSED, folder)
    path = folder / "shares.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2].split(",")
    cells[header.index("n")] = "12a"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = r"shares\.csv, line 3, field n: '12a' is not of type integer"
    with pytest.raises(explore.ExploreError, match=message):
        explore.build(tmp_path / "db", {"processed": folder})
    monkeypatch.setattr(explore, "PACKAGES", {"processed": folder})
    assert explore.main(port=0, db=str(tmp_path / "db2")) == 1
    assert "could not build the database" in capsys.readouterr().err


def test_the_database_is_never_built_inside_the_repository(capsys):
    assert explore.main(port=0, db=str(paths.ROOT / "explore-db"), build_only=True) == 1
    assert "inside the repository" in capsys.readouterr().err
    assert not (paths.ROOT / "explore-db").exists()
