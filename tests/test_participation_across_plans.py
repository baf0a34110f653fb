"""The IRM's "At a glance" tables per plan (issue 22) and notebook 07's analysis.

Expected values were read off the pages' tables by hand (data/raw/pages/, the lines as the
search tool's stored copies print them), not taken from the code:

- Perú Design Report 2017-2019: forum No, influence Consult, 18 commitments, 16 relevant
  (89%), 1 transformative (6%), 0 potentially starred.
- Peru Implementation Report 2017-2019: development Consult, implementation Inform;
  relevant "(89%)" with no count; 3 completed, 3 major DIOG, 0 outstanding, 0 starred.
- Peru Design Report 2019-2021: forum No, influence Involve, 21 commitments, 17 relevant
  (81%), 1 transformative (5%), 1 potentially starred (5%).
- no table found for plans I, II, plan IV's results report, plan V's action plan review.

IAP2 ranks in the order table 3.2 prints its rows (the project's numbering): no consultation 1,
inform 2, consult 3, involve 4, collaborate 5, empower 6; OGP's minimum during development: involve (4).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.questions import participation_across_plans as pap
from analysis.raw import update_checksums
from analysis.raw.validation import validate_all

from conftest import edit_csv


def test_every_plan_has_rows_and_plans_without_a_table_say_so(raw):
    s = raw["irm_summary"]
    assert sorted(set(s["plan"])) == [1, 2, 3, 4, 5]
    not_found = s[s["row_type"] == "not_found"]
    assert sorted(not_found["plan"]) == [1, 2, 4, 5]
    assert set(s.loc[s["plan"].isin([1, 2]), "row_type"]) == {"not_found"}


def test_influence_by_plan_and_stage(raw):
    inf = pap.influence(raw)
    printed = inf[inf["status"] == "printed"]
    got = sorted(zip(printed["plan"], printed["stage"], printed["source_id"], printed["level"],
                     printed["rank"]))
    assert got == [(3, "development", "irm_design_2017_web", "consult", 3),
                   (3, "development", "irm_impl_2017_web", "consult", 3),
                   (3, "implementation", "irm_impl_2017_web", "inform", 2),
                   (4, "development", "irm_design_2019_web", "involve", 4)]
    assert (inf["level_minimum"] == "involve").all() and (inf["rank_minimum"] == 4).all()
    by = printed.set_index(["plan", "stage", "source_id"])
    assert by.loc[(3, "development", "irm_design_2017_web"), "levels_below_minimum"] == 1
    assert by.loc[(3, "implementation", "irm_impl_2017_web"), "levels_below_minimum"] == 2
    assert bool(by.loc[(4, "development", "irm_design_2019_web"), "meets_minimum"]) is True
    # plans 1, 2, 5 at both stages and plan 4 at implementation: a row, not a silence
    missing = inf[inf["status"] == "not_found"]
    assert sorted(zip(missing["plan"], missing["stage"])) == [
        (1, "development"), (1, "implementation"), (2, "development"), (2, "implementation"),
        (4, "implementation"), (5, "development"), (5, "implementation")]
    assert missing["meets_minimum"].isna().all()


def test_changes_at_development(raw):
    assert pap.changes(pap.influence(raw)) == [
        {"from_plan": 3, "to_plan": 4, "from_level": "consult", "to_level": "involve", "step": 1}]


def test_forum_as_printed(raw):
    f = pap.forum(raw)
    printed = f[f["status"] == "printed"]
    assert sorted(zip(printed["plan"], printed["forum_printed"])) == [(3, "No"), (3, "No"), (4, "No")]
    assert not printed["forum"].any()
    assert sorted(f.loc[f["status"] == "not_found", "plan"]) == [1, 2, 5]


def test_assessments_shares_worked_by_hand(raw):
    a = pap.assessments(raw).set_index(["source_id", "indicator"])
    # 16 of 18 = 88.9% (printed 89); 1 of 18 = 5.6% (printed 6); 17 of 21 = 81.0% (81);
    # 1 of 21 = 4.8% (printed 5)
    assert a.loc[("irm_design_2017_web", "relevant"), "share"] == pytest.approx(16 / 18)
    assert a.loc[("irm_design_2019_web", "relevant"), "share"] == pytest.approx(17 / 21)
    assert a.loc[("irm_design_2019_web", "potentially_starred"), "share"] == pytest.approx(1 / 21)
    for key in [("irm_design_2017_web", "relevant"), ("irm_design_2017_web", "transformative"),
                ("irm_design_2019_web", "relevant"), ("irm_design_2019_web", "transformative"),
                ("irm_design_2019_web", "potentially_starred"), ("irm_impl_2017_web", "transformative")]:
        assert bool(a.loc[key, "agrees"]) is True, key
    # the implementation report prints "(89%)" without its count: no share, no agreement
    assert pd.isna(a.loc[("irm_impl_2017_web", "relevant"), "value"])
    assert pd.isna(a.loc[("irm_impl_2017_web", "relevant"), "agrees"])
    assert a.loc[("irm_impl_2017_web", "completed"), "value"] == 3
    assert a.loc[("irm_impl_2017_web", "major_diog"), "value"] == 3


def test_a_value_not_at_its_place_is_refused(raw_copy):
    line = edit_csv(raw_copy / "irm_summary.csv", "irm_design_2019_web-relevant", "value", "18")
    _ = validate_all_with(raw_copy)
    problems = [p for p in _ if p.line == line]
    assert problems, "a count changed from its printed 17 passed validation"


def test_a_quote_not_in_the_page_table_is_refused(raw_copy):
    # prose of the page (not one of its table's lines) is not in data/raw/pages/
    edit_csv(raw_copy / "irm_summary.csv", "irm_design_2019_web-forum", "value_as_printed", "Yes")
    line = edit_csv(raw_copy / "irm_summary.csv", "irm_design_2019_web-forum", "quote",
                    "Is there a multi-stakeholder forum? Yes")
    problems = validate_all_with(raw_copy)
    assert any(p.line == line and "quote not found" in p.message for p in problems)


def test_an_edited_page_file_is_refused(raw_copy):
    page = raw_copy / "pages" / "irm-web-design-report-2019-2021.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("Involve", "Collaborate"), encoding="utf-8")
    problems = validate_all_with(raw_copy, rehash=False)
    assert any("irm-web-design-report-2019-2021.txt" in p.file and "checksum" in p.message
               for p in problems)


def test_a_level_outside_the_scale_stops_the_analysis(raw):
    bad = {**raw, "irm_summary": raw["irm_summary"].copy()}
    s = bad["irm_summary"]
    s.loc[s["id"] == "irm_design_2019_web-influence-development", "value_as_printed"] = "Co-create"
    with pytest.raises(ValueError, match="irm_design_2019_web-influence-development"):
        pap.influence(bad)


def validate_all_with(raw_dir, rehash: bool = True):
    """Problems of a corrupted copy; by default its checksums are re-recorded first, so the
    check under test (not the checksum) must be the one that refuses it."""
    if rehash:
        update_checksums(raw_dir)
    problems, _notes = validate_all(raw_dir)
    return problems


def test_the_answer_says_what_the_tables_print(raw):
    from analysis.report import process_findings as pf

    inf, forum, summary = pap.influence(raw), pap.forum(raw), pap.summary(raw)
    es = pf.plans_participation(inf, forum, summary, "es")
    # consult (3) -> involve (4): one step; plan III at implementation: inform, 2 below involve
    assert "subió de «consultar» en el plan III a «involucrar» en el plan IV (1 escalón" in es
    assert "«informar», 2 escalones por debajo" in es
    assert "Las tablas de los planes III y IV responden «No»" in es
    assert "No se halló esa tabla para los planes I, II y V, ni para la implementación del plan IV" in es
    en = pf.plans_participation(inf, forum, summary, "en", short=True)
    assert en.startswith('Public influence during development rose from "consult" (plan III) to '
                         '"involve" (plan IV), OGP\'s minimum;')
    assert "no table was found for plans I, II and V." in en
    # a level lowered in the table would be said: plan IV at consult, no rise
    low = inf.copy()
    row = (low["plan"] == 4) & (low["stage"] == "development")
    low.loc[row, ["level", "rank", "levels_below_minimum"]] = ["consult", 3, 1]
    same = pf.plans_participation(low, forum, summary, "es")
    assert "se mantuvo en «consultar» del plan III al plan IV." in same and "subió" not in same



# ------------------------------------------------------------- notebook 07 as a reader sees it
def test_displayed_tables_name_pages_not_ids(raw):
    """What notebook 07 displays: pages by report type and period, plans as numerals, no
    source id and no <NA>; plan I's row says no level was found, plan IV's development row
    reaches the minimum (rank 4), the 2017 implementation report prints "(89%)" without a count."""
    from analysis.report import plans_display as pd7
    from analysis.report import tables

    inf, forum, summary, ass = pap.influence(raw), pap.forum(raw), pap.summary(raw), pap.assessments(raw)
    shown = {
        "summary": tables.labelled(pd7.summary_table(summary, "es"), "es"),
        "influence": tables.labelled(pd7.influence_table(inf, summary, "es"), "es"),
        "forum": tables.labelled(pd7.forum_table(forum, summary, "en"), "en"),
        "assessments": tables.labelled(pd7.assessments_table(ass, summary, "es"), "es"),
    }
    for name, df in shown.items():
        text = df.to_string()
        assert "_web" not in text and "<NA>" not in text and "nan" not in text, name
    infl = shown["influence"]
    plan1 = infl[infl["Plan"] == "I"]
    assert set(plan1["Nivel impreso"]) == {"no hallado"} and len(plan1) == 2
    iv = infl[(infl["Plan"] == "IV") & (infl["Etapa del plan"] == "desarrollo")].iloc[0]
    got = (iv["Nivel impreso"], iv["Escalón IAP2 (tabla 3.2)"], iv["¿Cumple el mínimo?"])
    assert got == ("Involve", "4", "sí")
    assert iv["Página del IRM u OGP"] == "informe de diseño 2019-2021"
    f = shown["forum"]
    assert f[f["Plan"] == "II"].iloc[0].tolist() == [
        "II", "no table found", "end-of-term report (for comment) 2015–2017"]
    facts = pd7.assessment_facts(ass, summary, "es")
    assert facts["no_count"] == [
        {"printed": "(89%)", "plan": "III", "page": "informe de implementación 2017-2019"}]
    # 16/18, 1/18, 1/18, 17/21, 1/21, 1/21: six printed percents beside a count, all matching
    assert (facts["n_agree"], facts["n_checked"]) == (6, 6)
    a = shown["assessments"]
    assert a.iloc[1]["Proporción"] == "88.9%"


def test_figure_title_and_source_line_follow_the_tables(raw):
    """2 of 5 plans print a level (III and IV); at development III is 1 below involve, IV meets
    it. Lower plan IV to consult and the title says so."""
    from analysis.report import figures as F
    from analysis.report import plans_display as pd7

    inf, forum = pap.influence(raw), pap.forum(raw)
    title = F.words("influence_by_plan", "es", **F.influence_facts(inf, "es"))
    assert title.startswith("Las tablas del IRM halladas imprimen la influencia del público en 2 de 5 planes")
    assert ("el plan III quedó 1 nivel por debajo del mínimo de OGP y el plan IV alcanzó el mínimo "
            "de OGP («Involucrar»)") in title
    source = F.influence_sources(inf, "en")
    assert "(plan III design report; plan III implementation report; plan IV design report)" in source
    assert pd7.figure_facts(inf, forum) == {"plans_with_level": ["III", "IV"], "n_plans": 5,
                                            "reaching": ["IV"], "forum_yes": False}
    low = inf.copy()
    row = (low["plan"] == 4) & (low["stage"] == "development")
    low.loc[row, ["level", "rank", "levels_below_minimum", "meets_minimum"]] = ["consult", 3, 1, False]
    title = F.words("influence_by_plan", "en", **F.influence_facts(low, "en"))
    assert "plan III stayed 1 level below OGP's minimum and plan IV stayed 1 level below" in title
    assert pd7.figure_facts(low, forum)["reaching"] == []
