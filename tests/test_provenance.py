"""Every quote in data/raw is found in its source document."""

import pytest

from analysis.raw import load_raw, update_checksums
from analysis.raw.quotes import normalise, quote_found, quote_problems

from conftest import edit_csv


def test_normalise_folds_case_accents_spaces_and_break_hyphens():
    assert normalise("Participación  CIUDADANA\n y trans-\nparencia") == \
        "participacion ciudadana y transparencia"
    assert normalise("378-2017-\nPCM", keep_break_hyphens=True) == "378-2017-pcm"


def test_every_quote_is_in_its_source(raw, sources_dir):
    files = {name: f"data/raw/{name}.csv" for name in raw}
    assert quote_problems(raw, files, sources_dir) == []


def test_quote_checker_can_fail(raw_copy, sources_dir):
    line = edit_csv(raw_copy / "attendance.csv", "irm2019-mn-primera-cs", "quote",
                    "Primera mesa 31 18 3 53")
    edit_csv(raw_copy / "attendance.csv", "irm2019-mn-primera-cs", "value_locator",
             "{event} 31 [18] 3 53")  # consistent with the new quote: only provenance can fail
    update_checksums(raw_copy)
    tables = load_raw(raw_copy)
    problems = quote_problems(tables, {n: f"{n}.csv" for n in tables}, sources_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [("attendance.csv", line, "quote")]


@pytest.mark.parametrize("source_id,quote", [
    ("irm2019", "Arequipa 22 29 3 54"),
    ("pcm2018", "Arequipa 22 31 53"),
    ("ogp_web", "PE0033, 2012,"),
])
def test_key_rows_are_in_the_documents(raw, sources_dir, source_id, quote):
    file = raw["sources"].set_index("source_id").loc[source_id, "file"]
    assert quote_found(quote, sources_dir / file)
