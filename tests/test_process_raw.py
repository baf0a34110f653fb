"""The process resources (issue 11): standards, public influence, forum, timeline, register.

Expected values were read off the documents by hand (IRM Annex I, table 3.2, section 3.2;
the government's systematization), not taken from the code.
"""

from __future__ import annotations

from analysis.raw.process_checks import process_problems
from analysis.raw.validation import validate_all

from conftest import edit_csv


def test_annex_i_as_printed(raw):
    s = raw["standards"].set_index("standard_id")
    # Annex I prints 11 forum standards (1a-1d, 2a-2d, 3d-3f: no 3a-3c) and 6 development ones
    assert list(s.index) == ["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "3d", "3e", "3f",
                             "4a", "4b", "4c", "4d", "4e", "5a"]
    # Rojo only beside 4e (Respuesta fundamentada); Verde beside 4b, 4d and 5a
    assert s.index[s["colour"] == "red"].tolist() == ["4e"]
    assert s.index[s["colour"] == "green"].tolist() == ["4b", "4d", "5a"]
    assert (s.loc[["1a", "1b", "1c", "1d", "2a", "2b", "2c", "2d", "3d", "3e", "3f"], "colour"]
            == "amber").all()
    # codes printed beside the colours of 4a-4e, none for 5a
    assert s["code_printed"].fillna("").loc[["4a", "4b", "4c", "4d", "4e", "5a"]].tolist() == \
        ["P", "I", "PM", "M", "PM", ""]


def test_iap2_level_marked_is_consult(raw):
    p = raw["public_influence"]
    levels = p[p["row_type"] == "level"].sort_values("rank", ascending=False)
    assert levels["level"].tolist() == ["empower", "collaborate", "involve", "consult", "inform",
                                        "no_consultation"]
    assert levels.loc[levels["marked"].astype(bool), "level"].tolist() == ["consult"]
    assert p.loc[p["row_type"] == "minimum", "level"].tolist() == ["involve"]


def test_timeline_dates_as_printed(raw):
    t = raw["timeline"].set_index("id")
    assert t.loc["tl-pcm2018-closing", "date_start"] == "2017-11-07"   # 07 de noviembre de 2017
    assert t.loc["tl-irm2019-closing", "date_start"] == "2017-12-07"   # 7 de diciembre de 2017
    assert t.loc["tl-irm2019-thematic-range", "date_end"] == "2017-09-20"
    assert t.loc["tl-irm2019-thematic-days", "date_end"] == "2017-09-19"


def test_register_has_within_document_disagreements(raw):
    d = raw["disagreements"]
    per = d.groupby("disagreement_id").agg(scope=("scope", "first"), n=("claim", "size"),
                                           sources=("source_id", "nunique"))
    assert (per["n"] >= 2).all()
    within = set(per.index[per["scope"] == "within_document"])
    assert {"thematic-table-dates", "anemia-proposal", "third-plan-commitments",
            "virtual-forum-contributions", "plans-implemented"} <= within
    assert "closing-breakfast-date" not in within
    assert (per.loc[list(within), "sources"] == 1).all()


def test_checks_catch_a_wrong_colour_and_a_wrong_scope(raw_copy):
    line = edit_csv(raw_copy / "standards.csv", "irm2019-4e", "colour", "amber")
    from analysis.raw import package

    tables = package.read_raw(raw_copy)
    files = {name: f"data/raw/{name}.csv" for name in tables}
    problems = process_problems(tables, files)
    assert any(p.line == line and p.field == "colour" for p in problems)

    d = tables["disagreements"].copy()
    d.loc[d["disagreement_id"] == "closing-breakfast-date", "scope"] = "within_document"
    problems = process_problems(tables | {"disagreements": d}, files)
    assert any(p.field == "scope" and "closing-breakfast-date" in p.message for p in problems)


def test_checks_catch_an_impossible_date(raw):
    t = raw["timeline"].copy()
    t.loc[t["id"] == "tl-pcm2018-approval", "date_end"] = "2017-02-30"
    files = {name: f"data/raw/{name}.csv" for name in raw}
    problems = process_problems(raw | {"timeline": t}, files)
    assert [p.field for p in problems] == ["date_end"]


def test_whole_validation_passes():
    problems, _ = validate_all()
    assert problems == []


def test_a_date_must_be_read_from_its_printing(raw):
    """Dates are bound to date_as_printed: a shifted day, a swapped month or a month-precision
    date that does not span whole months is refused (dates read by hand from the rows)."""
    files = {name: f"data/raw/{name}.csv" for name in raw}
    cases = [
        ("tl-irm2019-closing", "date_start", "2017-12-08", "day 8 is not the first day"),  # 7 de diciembre
        ("tl-pcm2018-closing", "date_end", "2017-12-07", "month 12 is not the last month"),  # 07 de noviembre
        ("tl-pcm2018-approval", "date_start", "2018-12-27", "year 2018"),                # '... de 2017'
        ("tl-pcm2018-preparatory", "date_end", "2017-08-30", "last day of its month"),   # 'mayo y agosto'
    ]
    for row_id, col, value, expected in cases:
        t = raw["timeline"].copy()
        t.loc[t["id"] == row_id, col] = value
        problems = [p for p in process_problems(raw | {"timeline": t}, files) if p.field == col]
        assert problems and expected in problems[0].message, (row_id, problems)


def test_the_marked_level_must_carry_the_check_mark(raw):
    files = {name: f"data/raw/{name}.csv" for name in raw}
    p = raw["public_influence"].copy()
    # move the mark from 'Consultar ... ✔' to 'Involucrar', keeping exactly one marked level
    p.loc[p["id"] == "irm2019-iap2-consult", "marked"] = False
    p.loc[p["id"] == "irm2019-iap2-involve", "marked"] = True
    problems = process_problems(raw | {"public_influence": p}, files)
    assert {q.field for q in problems} >= {"marked"}
    assert any("check mark" in q.message for q in problems)
    q = raw["public_influence"].copy()
    q.loc[q["id"] == "irm2019-iap2-inform", "level"] = "consult"   # 'Informar' read as consult
    problems = process_problems(raw | {"public_influence": q}, files)
    assert any(x.field == "level" and "'Informar'" in x.message for x in problems)
