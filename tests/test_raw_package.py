"""The raw data package: it validates, and it says what the documents say.

Expected numbers below were read off the documents by hand, not taken from the code.
"""

import pandas as pd
import pytest

from analysis.raw import load_raw, validate


def test_package_validates():
    tables, problems = validate()
    assert problems == []
    # 13 + irm_assessment_readings (issue 10) + 6 process resources (issue 11) + recommendations (issue 21)
    # + irm_summary (issue 22)
    assert len(tables) == 22


def _frictionless_errors(raw_dir):
    """Frictionless's own validation of the whole package, rows and keys included: the
    second opinion on the checks validation makes with its own readers."""
    import json

    from frictionless import Package, system

    descriptor = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor.pop("pages", None)   # not Data Package metadata: the page files' checksums
    with system.use_context(trusted=True):
        report = Package(descriptor, basepath=str(raw_dir)).validate()
    return sorted((t.name, e.type, getattr(e, "row_number", None)) for t in report.tasks
                  for e in t.errors) + [("package", e.type, None) for e in report.errors]


def test_frictionless_finds_the_committed_package_valid_too():
    from analysis import paths

    assert _frictionless_errors(paths.RAW_DIR) == []


def test_keys_are_checked_as_frictionless_checks_them(tmp_path):
    """A duplicated key and a reference to a missing row: validation's own key checks and
    Frictionless name the same rows."""
    import csv
    import io
    import shutil

    from analysis import paths
    from analysis.raw import update_checksums

    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW_DIR, raw)
    bodies = (raw / "bodies.csv").read_text(encoding="utf-8").split("\n")
    bodies.insert(4, bodies[3])                       # line 5 repeats line 4's id
    (raw / "bodies.csv").write_text("\n".join(bodies), encoding="utf-8")
    path = raw / "commitments_irm2017.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows[2][rows[0].index("ogp_id")] = "PE0999"       # line 3: no such commitment
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    update_checksums(raw)
    _, problems = validate(raw)
    ours = sorted((p.file.rsplit("/", 1)[-1], p.line, p.field) for p in problems)
    assert ours == [("bodies.csv", 5, "id"), ("commitments_irm2017.csv", 3, "ogp_id")], problems
    assert "line 4 has the same id" in str(problems[0]) + str(problems[1])
    theirs = [e for e in _frictionless_errors(raw) if e[1] in ("primary-key", "foreign-key")]
    assert theirs == [("bodies", "primary-key", 5), ("commitments_irm2017", "foreign-key", 3)]


def test_every_row_is_cited(raw):
    for name, frame in raw.items():
        for column in ("source_id", "locator", "quote"):
            assert column in frame, (name, column)
            assert frame[column].notna().all(), (name, column)


def test_104_ogp_commitments_split_by_plan(raw):
    c = raw["commitments"]
    assert len(c) == 104
    assert c["ogp_id"].tolist() == [f"PE{i:04d}" for i in range(1, 105)]
    # OGP list: PE0001-PE0048 (2012), PE0049-PE0065 (2015), PE0066-PE0083 (2017), PE0084-PE0104 (2019)
    assert c.groupby("plan").size().to_dict() == {1: 48, 2: 17, 3: 18, 4: 21}
    assert c.groupby("list_year").size().to_dict() == {2012: 48, 2015: 17, 2017: 18, 2019: 21}


def test_ogp_list_traps_are_kept_raw(raw):
    c = raw["commitments"].set_index("ogp_id")
    assert pd.isna(c.loc["PE0033", "policy_area_as_published"])  # no policy area published
    assert c.loc["PE0086", "title_as_published"] == "Implement Digital Contrator Work Logs"
    assert c.loc["PE0092", "title_as_published"] == "Dislose University Data Online"
    assert c.loc["PE0036", "title_as_published"] == c.loc["PE0045", "title_as_published"]
    assert c.loc["PE0004", "title_as_published"] == c.loc["PE0046", "title_as_published"]
    assert c.loc["PE0054", "title_as_published"].startswith("Starred commitment ")


def test_irm_regional_workshops_as_printed(raw):
    a = raw["attendance"]
    irm = a[(a.source_id == "irm2019") & (a.stage == "regional_workshop") & (a.row_type == "value")]
    got = irm.pivot_table(index="event", columns="actor_printed", values="count", aggfunc="sum")
    assert got.loc["La Libertad"].to_dict() == {"Estado": 25, "Otros": 1, "Sociedad civil": 27}
    assert got.loc["Arequipa"].to_dict() == {"Estado": 22, "Otros": 3, "Sociedad civil": 29}
    assert got.loc["San Martín"].to_dict() == {"Estado": 15, "Otros": 3, "Sociedad civil": 25}


def test_government_regional_workshops_as_printed(raw):
    a = raw["attendance"]
    pcm = a[(a.table == "Cuadro 3") & (a.row_type == "value")]
    got = pcm.pivot_table(index="event", columns="actor_printed", values="count", aggfunc="sum")
    assert got.loc["La Libertad"].tolist() == [22, 27]  # OSC, Sector publico (alphabetical)
    assert got.sum().to_dict() == {"Organizacion de la Sociedad Civil": 82, "Sector publico": 63}


def test_national_tables_as_printed(raw):
    a = raw["attendance"]
    nat = a[(a.stage == "national_table") & (a.row_type == "value")]
    assert nat.groupby("actor_printed")["count"].sum().to_dict() == {
        "Estado": 31 + 45, "Otros": 3 + 2, "Sociedad civil": 18 + 19}


def test_organisations_by_type(raw):
    a = raw["attendance"].set_index("id")
    assert a.loc["pcm2018-c1-total", "count"] == 176
    assert a.loc["pcm2018-c2-total", "count"] == a.loc["pcm2018-c1-osc", "count"] == 124


def test_virtual_consultation_cell_recovered_from_totals(raw):
    c = raw["consultation"].set_index("id")
    # Cuadro 4 prints 'Salud : ] 3': column totals 10 and 10 minus the other rows give 2 and 1
    assert c.loc["pcm2018-c4-salud-via1", "count"] == 10 - (1 + 2 + 2 + 3 + 0)
    assert c.loc["pcm2018-c4-salud-via2", "count"] == 10 - (2 + 2 + 1 + 3 + 1)
    assert c.loc["pcm2018-c4-salud-via1", "reconstructed"]
    assert "recovered" in c.loc["pcm2018-c4-salud-via1", "note"]


def test_disagreements_are_both_kept(raw):
    plans = raw["plans"]
    first = plans[(plans.plan == 1)]
    assert set(first["label_as_printed"]) >= {"2012-2013", "2012-2014"}
    assert 47 in set(first["n_commitments"].dropna())
    events = raw["events"].set_index("id")
    assert "noviembre" in events.loc["pcm2018-closing", "date_as_printed"]
    assert "diciembre" in events.loc["irm2019-closing", "date_as_printed"]
    third = plans[(plans.plan == 3) & (plans.source_id == "pcm2018")]
    assert set(third["n_commitments"].dropna()) == {17, 18}


def test_irm_assessments_match_at_a_glance(raw):
    irm = raw["commitments_irm2017"]
    values = ["access_to_information", "civic_participation", "public_accountability",
              "technology_innovation"]
    assert len(irm) == 18
    assert int(irm[values].any(axis=1).sum()) == 16  # 'Compromisos relevantes ...: 16 (89%)'
    assert (irm["potential_impact"] == "transformative").sum() == 1  # '1 (6%)'
    assert not irm["public_accountability"].any()  # 'ningún compromiso apeló ... rendición'
    assert irm["verifiable"].all()  # 'todos los compromisos son ... verificables'
    assert irm.groupby("theme").size().to_dict() == {
        "ambiente": 3, "educacion": 4, "infraestructura": 2, "salud": 3, "saneamiento": 2,
        "seguridad_ciudadana": 3, "transversal": 1}


def test_plan4_has_21_commitments_in_nine_themes(raw):
    p4 = raw["commitments_plan4"]
    assert len(p4) == 21 and p4["theme_printed"].nunique() == 9
    assert p4["ogp_id"].tolist() == [f"PE{i:04d}" for i in range(84, 105)]


def test_bodies(raw):
    b = raw["bodies"].groupby(["year", "sector"])["seats"].sum().to_dict()
    assert b == {(2013, "non_state"): 1 + 3, (2013, "state"): 5 + 1,
                 (2020, "non_state"): 2 + 2 + 1 + 1, (2020, "state"): 6}


def test_load_raw_types(raw):
    a = raw["attendance"]
    assert str(a["count"].dtype) == "Int64"
    assert str(raw["commitments_irm2017"]["verifiable"].dtype) == "boolean"


@pytest.mark.parametrize("resource", ["attendance", "proposals", "commitments"])
def test_load_raw_fails_on_missing_file(raw_copy, resource):
    (raw_copy / f"{resource}.csv").unlink()
    with pytest.raises(ValueError, match=f"{resource}.csv: file is missing"):
        load_raw(raw_copy)
