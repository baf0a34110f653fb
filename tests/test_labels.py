"""Labels no stronger than the sources (issue 22, item 5).

The government prints "312 personas", not distinct persons; a total that no document
prints is flagged derived with its reason; an origin the IRM does not state is flagged as
an inference. Expected values are worked out by hand from the documents."""

from __future__ import annotations

import csv
import re

from analysis import paths
from analysis.clean.attendance import tidy
from analysis.questions import survival, volume

PROCESSED = paths.ROOT / "data" / "processed"
STRONGER = re.compile(r"distinct_persons_printed|312 distinct|312 personas distintas|"
                      r"distinct persons for the whole|personas distintas para todo", re.I)


def test_nothing_calls_the_governments_312_distinct():
    files = [*PROCESSED.glob("*.csv"), PROCESSED / "datapackage.json",
             *(paths.ROOT / "notebooks").glob("*.ipynb"),
             *(paths.ROOT / "reports").rglob("*.ipynb"), *(paths.ROOT / "reports").rglob("*.html"),
             *(paths.ROOT / "src" / "analysis" / "report" / "templates").rglob("*.j2")]
    assert len(files) > 20
    offenders = [str(f.relative_to(paths.ROOT)) for f in files
                 if STRONGER.search(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_sums_no_document_prints_are_flagged_derived(raw):
    vol = volume.volume(tidy(raw), raw["attendance"]).set_index(["source_id", "stage"])
    # government: regional workshops 145 (printed in Cuadro 3) + closing breakfast 55 (printed)
    # = 200, which no document prints
    assert vol.loc[("pcm2018", "all"), "attendances"] == 200
    assert vol.loc[("pcm2018", "all"), "derived"]
    assert "prints no total" in vol.loc[("pcm2018", "all"), "derivation"]
    assert not vol.loc[("pcm2018", "regional_workshop"), "derived"]      # Cuadro 3: Total 145
    assert not vol.loc[("pcm2018", "closing_event"), "derived"]          # one event, 55 as printed
    assert not vol.loc[("pcm2018", "overall"), "derived"]                # '312 personas'
    # the IRM prints each event's total, never a stage's: 78, 150, 118 and 346 are sums
    for stage in ("thematic_table", "regional_workshop", "national_table", "all"):
        assert vol.loc[("irm2019", stage), "derived"], stage
    assert ((vol["derivation"] != "") == vol["derived"].astype(bool)).all()


def test_an_origin_the_irm_does_not_state_is_an_inference(raw):
    o = survival.origin_shares(raw).set_index(["source_id", "origin"])
    # IRM: education 4 - 1 and health 3 - 1 'no se habían discutido previamente' = 5, inferred
    assert o.loc[("irm2019", "national_table"), "n_commitments"] == 5
    assert o.loc[("irm2019", "national_table"), "derived"]
    assert "no se habían discutido previamente" in o.loc[("irm2019", "national_table"), "derivation"]
    # the government states that the cross-cutting commitment was presented at the national tables
    assert not o.loc[("pcm2018", "national_table"), "derived"]
    assert o.loc[("irm2019", "thematic_table"), "derived"] == False  # noqa: E712  (stated: 1 + 1)


def test_every_derived_flag_in_processed_data_has_its_reason():
    checked = 0
    for path in sorted(PROCESSED.glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if not rows or "derived" not in rows[0]:
            continue
        assert "derivation" in rows[0], path.name
        for i, r in enumerate(rows, start=2):
            assert (r["derived"] == "True") == (r["derivation"] != ""), f"{path.name}:{i}"
        checked += 1
    assert checked >= 2


def test_stage_sums_in_the_discrepancies_are_derived():
    with open(PROCESSED / "attendance_discrepancies.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    stage = [r for r in rows if r["level"] == "stage"]
    # regional workshops, IRM: 54 + 53 + 43 = 150, which the IRM never prints
    total = next(r for r in stage if r["stage"] == "regional_workshop" and r["actor"] == "total")
    assert total["count_irm2019"] == "150" and total["derived"] == "True"
    assert all(r["derived"] == "False" for r in rows if r["level"] == "event")
