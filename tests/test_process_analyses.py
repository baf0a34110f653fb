"""Issue 11's analyses against numbers worked out by hand from the documents.

Each expected value is computed in the comment beside it from what the documents print
(IRM 2019: Annex I, table 3.2, section 3.2; PCM 2018: Cuadro 4, the proposal boxes,
section VI; SPDA 2022: I.4), not taken from the code's output.
"""

from __future__ import annotations

import pytest

from analysis.clean import process as clean_process
from analysis.clean.attendance import tidy
from analysis.questions import consultation, process, regional, sectors, timeline, volume
from analysis.report import process_findings, register


# ----------------------------------------------------------------------------- standards
def test_scorecard_counts(raw):
    card = process.scorecard(process.standards(raw)).set_index(["section", "colour"])
    # Annex I: forum 1a-1d, 2a-2d, 3d-3f = 4 + 4 + 3 = 11 standards, all 'Amarillo'
    assert card.loc[("Foro Multiactor", "amber"), "n_standards"] == 11
    # development: 4a Amarillo, 4b Verde, 4c Amarillo, 4d Verde, 4e Rojo, 5a Verde -> 3 / 2 / 1
    dev = "Desarrollo del plan de acción"
    assert [card.loc[(dev, c), "n_standards"] for c in ("green", "amber", "red")] == [3, 2, 1]
    # all: 17 standards; green 3, amber 11 + 2 = 13, red 1; red share 1/17
    assert [card.loc[("all", c), "n_standards"] for c in ("green", "amber", "red")] == [3, 13, 1]
    assert card.loc[("all", "red"), "share"] == pytest.approx(1 / 17)


def test_red_standard_is_reasoned_response(raw):
    std = process.standards(raw)
    assert process.standards_with_colour(std, "red") == ["4e"]
    sentence = process_findings.scorecard(std, process.scorecard(std), "en")
    assert '4e "Respuesta fundamentada"' in sentence and "17 OGP" in sentence
    # the brief names the standard without the IRM's bare code
    brief_sentence = process_findings.scorecard(std, process.scorecard(std), "en", codes=False)
    assert '"Respuesta fundamentada"' in brief_sentence and "4e" not in brief_sentence


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_level_or_treatment_without_words_is_an_error_not_a_blank(raw, lang):
    """The words for IAP2 levels and treatments live in the templates; a key they do not
    cover (a new level in the data, a typo) stops the sentence with a message naming it; an
    unknown treatment used to drop out of the counts without a word."""
    inf = process.influence(raw).assign(level_marked="delegate")
    with pytest.raises(ValueError, match="no words for IAP2 level 'delegate'"):
        process_findings.influence(inf, lang)
    reg = raw["disagreements"].assign(treatment="ignored")
    with pytest.raises(ValueError, match="no words for treatment 'ignored'"):
        process_findings.disagreements_box(reg, lang)


def test_iap2_consult_is_one_step_below_involve(raw):
    inf = process.influence(raw).iloc[0]
    # printed spectrum, top to bottom: empower 6, collaborate 5, involve 4, consult 3 (marked)
    assert (inf["level_marked"], inf["rank_marked"]) == ("consult", 3)
    assert not inf["meets_minimum"]
    assert inf["levels_below_minimum"] == 1       # involve 4 - consult 3
    assert inf["levels_below_aspiration"] == 2    # collaborate 5 - consult 3
    assert inf["n_levels"] == 6                   # six levels printed in table 3.2


def test_forum_gap(raw):
    gap = process.forum_gap(process.forum(raw))
    # IRM: civil society left 'desde finales de 2014', no meetings 'desde 2016'; PCM: its object
    # concluded after January 2017; SPDA: Foro Multiactor created January 2020. Three dated
    # statements that differ: 2020 - 2017 = 3 to 2020 - 2014 = 6 years, never one number.
    assert gap["first_year_not_operating"] == 2014 and gap["last_year_stop_stated"] == 2017
    assert gap["year_recreated"] == 2020
    assert (gap["years_without_forum_min"], gap["years_without_forum_max"]) == (3, 6)
    assert {(s["year"], s["source_id"]) for s in gap["stop_statements"]} == {
        (2014, "irm2019"), (2016, "irm2019"), (2017, "pcm2018")}
    assert "years_without_forum" not in gap


# ----------------------------------------------------------------------------- timeline
def test_days_from_first_thematic_table_to_approval(raw):
    iv = timeline.intervals(timeline.stages(raw))
    # 11 Sep -> 27 Dec 2017: (30 - 11) + 31 + 30 + 27 = 19 + 31 + 30 + 27 = 107 days, both documents
    assert timeline.days_between(iv, "pcm2018", "thematic_table", "approval") == 107
    assert timeline.days_between(iv, "irm2019", "thematic_table", "approval") == 107
    # schedule 8 Sep -> first thematic table 11 Sep: 3 days (the IRM prints 'tres días después')
    assert timeline.days_between(iv, "irm2019", "schedule_published", "thematic_table") == 3
    # schedule -> closing breakfast: government 7 Nov: 22 + 31 + 7 = 60; IRM 7 Dec: 22 + 31 + 30 + 7 = 90
    assert timeline.days_between(iv, "pcm2018", "schedule_published", "closing_event") == 60
    assert timeline.days_between(iv, "irm2019", "schedule_published", "closing_event") == 90
    # closing -> approval: 7 Nov -> 27 Dec = 23 + 27 = 50; 7 Dec -> 27 Dec = 20
    assert timeline.days_between(iv, "pcm2018", "closing_event", "approval") == 50
    assert timeline.days_between(iv, "irm2019", "closing_event", "approval") == 20
    # schedule -> approval: 22 + 31 + 30 + 27 = 110
    assert timeline.days_between(iv, "pcm2018", "schedule_published", "approval") == 110


def test_thematic_table_end_disagreement_is_flagged_not_averaged(raw):
    st = timeline.stages(raw).set_index(["source_id", "milestone"])
    irm = st.loc[("irm2019", "thematic_table")]
    # IRM: 'Entre el 11 y el 20' and '11, 12, 13 y 19': ends 20 Sep, alternative 19 Sep
    assert (irm["date_end"], irm["date_end_alternative"], bool(irm["end_dates_disagree"])) == \
        ("2017-09-20", "2017-09-19", True)
    assert irm["duration_days"] == 10                 # 11..20 September inclusive
    # three separate regional workshops are not a disagreement
    assert not bool(st.loc[("irm2019", "regional_workshop"), "end_dates_disagree"])
    # 8 Sep -> 12 Oct: 22 + 12 = 34
    assert st.loc[("irm2019", "national_table"), "days_from_schedule_to_start"] == 34


# ----------------------------------------------------------------------------- consultation
def test_contributions_per_100_visits(raw):
    r = consultation.rate(raw).iloc[0]
    # PCM: 952 visitas, 20 aportes -> 100 * 20 / 952 = 2.1008...
    assert (r["visits"], r["contributions"]) == (952, 20)
    assert r["per_100_visits"] == pytest.approx(2000 / 952)
    assert r["ci_low"] < r["per_100_visits"] < r["ci_high"]


def test_consultation_themes_against_proposals_and_final(raw):
    th = consultation.themes(raw).set_index("theme")
    # Cuadro 4 totals: seguridad 6, infraestructura 4, salud 3, ambiente 3, educacion 3, saneamiento 1 = 20
    assert th["contributions"].to_dict() == {"ambiente": 3, "educacion": 3, "infraestructura": 4,
                                             "salud": 3, "saneamiento": 1, "seguridad_ciudadana": 6,
                                             "transversal": 0}
    assert th.loc["seguridad_ciudadana", "share_contributions"] == pytest.approx(6 / 20)
    # thematic-table proposals: seguridad ciudadana 2 of 18; final plan (IRM): 3 of 18
    assert th.loc["seguridad_ciudadana", "share_proposals_thematic"] == pytest.approx(2 / 18)
    assert th.loc["seguridad_ciudadana", "share_final"] == pytest.approx(3 / 18)
    # infraestructura: 4/20 of contributions, 5/18 proposals, 2/18 final
    assert th.loc["infraestructura", "contributions_minus_final_share"] == pytest.approx(4 / 20 - 2 / 18)


# ----------------------------------------------------------------------------- attendance
def test_attendance_volume_in_attendances(raw):
    vol = volume.volume(tidy(raw)).set_index(["source_id", "stage"])
    # IRM thematic tables: 14 + 17 + 13 + 16 + 18 = 78; workshops 54 + 53 + 43 = 150; national 52 + 66 = 118
    assert vol.loc[("irm2019", "thematic_table"), "attendances"] == 78
    assert vol.loc[("irm2019", "regional_workshop"), "attendances"] == 150
    assert vol.loc[("irm2019", "national_table"), "attendances"] == 118
    assert vol.loc[("irm2019", "all"), "attendances"] == 346          # 78 + 150 + 118
    assert vol.loc[("irm2019", "all"), "n_events"] == 10              # 5 + 3 + 2
    assert vol.loc[("pcm2018", "regional_workshop"), "attendances"] == 145   # 49 + 43 + 53
    assert vol.loc[("pcm2018", "overall"), "persons_printed"] == 312
    assert set(vol["unit"]) == {"attendances"}


def test_thematic_table_shares_under_every_treatment(raw):
    es = volume.event_shares_all(tidy(raw))
    mt = es[(es["source_id"] == "irm2019") & (es["stage"] == "thematic_table")]
    got = mt.set_index(["event", "other_as"])["share_civil_society"]
    # Interior 5 state / 8 civil society / 3 other
    assert got[("interior", "exclude")] == pytest.approx(8 / 13)
    assert got[("interior", "state")] == pytest.approx(8 / 16)            # exactly one half: no majority
    assert got[("interior", "civil_society")] == pytest.approx(11 / 16)
    # Infraestructura 8 / 7 / 3: 7/15, 7/18, 10/18
    assert got[("infraestructura", "exclude")] == pytest.approx(7 / 15)
    assert got[("infraestructura", "civil_society")] == pytest.approx(10 / 18)
    # Ambiente y saneamiento 13 / 1 / 0: 1/14 under every treatment
    assert {round(got[("ambiente_y_saneamiento", o)], 6) for o in ("exclude", "state", "civil_society")} \
        == {round(1 / 14, 6)}
    # La Libertad workshop 25 / 27 / 1: 27/52, 27/53, 28/53, a majority every time
    assert volume.majority_depends_on_other(es) == [("irm2019", "infraestructura"), ("irm2019", "interior")]


# ----------------------------------------------------------------------------- survival, bodies
def test_regional_survival(raw):
    s = regional.regional_survival(raw).set_index("source_id")
    # 11 regional proposals; IRM traces commitments 3, 17, 18 -> 3/11; government 4 themes -> 4/11
    assert s.loc["irm2019", "survival_documented"] == pytest.approx(3 / 11)
    assert s.loc["pcm2018", "survival_documented"] == pytest.approx(4 / 11)
    # IRM traces 7 final commitments elsewhere (education 1 + 3, health 1 + 2): 18 - 7 = 11 -> min(11, 11)
    assert s.loc["irm2019", "n_final_elsewhere_known"] == 7
    assert s.loc["irm2019", "n_possible"] == 11
    # government traces 1 elsewhere (the cross-cutting forums, national tables): min(11, 17) = 11
    assert s.loc["pcm2018", "n_possible"] == 11


def test_bodies_by_sector_and_civil_society_alone(raw):
    bs = sectors.by_sector(raw)
    b13 = bs[bs["year"] == 2013].set_index("sector_detail")["seats"].to_dict()
    # IRM: 'cinco representantes del Ejecutivo, uno del Poder Judicial, uno de las organizaciones
    # empresariales y tres de las organizaciones de la sociedad civil'
    assert b13 == {"executive": 5, "judiciary": 1, "business": 1, "civil_society": 3}
    cs = sectors.civil_society(bs).set_index("year")
    # 2013: 3 of 10 = 0.30, state 5 + 1 = 6, 3 seats short; 2020: 2 + 2 = 4 of 12, state 4 + 1 + 1 = 6
    assert cs.loc[2013, "share_civil_society"] == pytest.approx(0.3)
    assert cs.loc[2013, "share_minus_parity"] == pytest.approx(-0.2)
    assert cs.loc[2013, "seats_short_of_state"] == 3
    assert cs.loc[2020, "share_civil_society"] == pytest.approx(4 / 12)
    assert cs.loc[2020, "seats_short_of_state"] == 2


def test_unclassified_seat_stops_with_its_id(raw):
    bodies = raw["bodies"].copy()
    bodies.loc[0, "id"] = "c2013-nuevo"
    with pytest.raises(ValueError, match="c2013-nuevo"):
        sectors.by_sector(raw | {"bodies": bodies})


# ----------------------------------------------------------------------------- register
def test_register_counts_and_register_page_in_sync(raw):
    reg = clean_process.register(raw)
    summary = clean_process.register_summary(reg).set_index(["scope", "treatment"])["n_disagreements"]
    contradictions = reg[reg["kind"] != "noted"]
    assert len(reg) == raw["disagreements"]["disagreement_id"].nunique()
    assert summary[("all", "all")] == len(contradictions) < len(reg)
    assert summary[("within_document", "all")] + summary[("between_documents", "all")] == len(contradictions)
    assert register.in_sync(raw["disagreements"]), \
        "docs/register.md's disagreements section differs from the register; run 'python -m analysis docs'"


def test_register_check_fails_when_the_register_changes(raw, tmp_path):
    page = tmp_path / "register.md"
    page.write_text(register.PAGE.read_text(encoding="utf-8"), encoding="utf-8")
    claims = raw["disagreements"].copy()
    claims.loc[0, "claim_as_printed"] = "8 de noviembre de 2017"
    assert not register.in_sync(claims, page)
    register.update(claims, page)
    assert register.in_sync(claims, page)
    assert "8 de noviembre de 2017" in page.read_text(encoding="utf-8")


def test_register_section_refuses_a_scope_it_has_no_words_for(raw):
    claims = raw["disagreements"].assign(scope="across_plans")
    with pytest.raises(ValueError, match="no words for scope 'across_plans'"):
        register.markdown(claims)


def test_data_dictionary_row_counts_match_the_raw_package(raw):
    import re

    from analysis.report import dictionary

    text = dictionary.PAGE.read_text(encoding="utf-8")
    section = text.split('<a id="raw"></a>', 1)[1].split('<a id="processed"></a>', 1)[0]
    stated = {m.group(1): int(m.group(2)) for m in
              re.finditer(r"^- file: \[`data/raw/(\w+)\.csv`\]\([^)]*\), (\d+) rows$", section, re.M)}
    assert stated == {name: len(frame) for name, frame in raw.items()}


def test_brief_items_read_from_the_processed_package(raw):
    from analysis import paths

    items = process_findings.for_brief(paths.ROOT / "data" / "processed", "es")
    # Annex I: 17 standards, one red (4e); the register's count comes from data/raw
    assert "17 estándares" in items["scorecard"] and "4e «Respuesta fundamentada»" in items["scorecard"]
    claims = raw["disagreements"]
    n = claims.loc[claims["kind"] != "noted", "disagreement_id"].nunique()
    assert items["disagreements_box"].startswith(f"El registro lista {n} contradicciones")
    assert "no es exhaustivo" in items["disagreements_box"]  # no claim of completeness (issue 21)
