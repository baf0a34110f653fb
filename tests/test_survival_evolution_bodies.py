"""Survival, evolution and bodies against counts read off the documents."""

import pytest

from analysis.clean import commitments as C
from analysis.questions import bodies as B
from analysis.questions import evolution as E
from analysis.questions import survival as V


@pytest.fixture(scope="module")
def surv(raw):
    return V.survival(raw).set_index(["source_id", "theme"])


def test_pool_is_thematic_plus_regional(surv):
    # 18 proposals at the thematic tables + 11 at the regional workshops (pcm2018)
    assert surv.loc[("irm2019", "total"), "n_proposed"] == 18 + 11
    assert surv.loc[("irm2019", "total"), "n_final"] == 18


def test_irm_range(surv):
    row = surv.loc[("irm2019", "total")]
    # documented from the pool: education 1, health 1 (thematic); commitments 3, 17, 18 (regional)
    assert row["n_final_from_pool_known"] == 1 + 1 + 3
    # documented from elsewhere: education 4 - 1, health 3 - 1
    assert row["n_final_outside_pool_known"] == 3 + 2
    assert row["survival_low"] == pytest.approx(5 / 29)
    assert row["survival_high"] == pytest.approx((18 - 5) / 29)


def test_government_range(surv):
    row = surv.loc[("pcm2018", "total")]
    # secondary rural education, trafficking, extortion, environmental commissions; forums outside
    assert (row["n_final_from_pool_known"], row["n_final_outside_pool_known"]) == (4, 1)
    assert row["survival_low"] == pytest.approx(4 / 29)
    assert row["survival_high"] == pytest.approx(17 / 29)


def test_education_by_theme(surv):
    row = surv.loc[("irm2019", "educacion")]
    assert (row["n_proposed"], row["n_final"]) == (4 + 4, 4)
    assert row["survival_low"] == row["survival_high"] == pytest.approx(1 / 8)


def test_cross_cutting_commitment_has_no_pool(surv):
    assert surv.loc[("pcm2018", "transversal"), "n_proposed"] == 0
    assert surv["survival_low"].isna().sum() == 2  # transversal, in each account


def test_origin_shares(raw):
    o = V.origin_shares(raw).set_index(["source_id", "origin"])["n_commitments"]
    assert o[("irm2019", "regional_workshop")] == 3 and o[("pcm2018", "regional_workshop")] == 4
    assert o.groupby(level=0).sum().to_dict() == {"irm2019": 18, "pcm2018": 18}


def test_discarded_named_proposals(raw):
    d = V.discarded(raw)
    assert len(d) == 14 and d["stage_dropped"].value_counts().to_dict() == {
        "national_table": 7, "sector_validation": 7}


@pytest.fixture(scope="module")
def com(raw):
    return C.tidy(raw)


def test_recurring_policy_areas(com):
    rec = E.recurring_policy_areas(com, min_plans=4)
    assert set(rec.index) == {"capacity_building", "e_government", "access_to_information",
                              "anti_corruption"}


def test_policy_area_table_counts_plan_four(com):
    t = E.policy_area_table(com).set_index("policy_area")
    # PE0084-PE0104: e-government 7, anti-corruption 3, access to information 3, access to
    # justice 3, open regulations 3, capacity building 2
    assert t["plan_4"][t["plan_4"] > 0].to_dict() == {
        "capacity_building": 2, "e_government": 7, "access_to_information": 3,
        "anti_corruption": 3, "access_to_justice": 3, "open_regulations": 3}
    assert t.loc["not_published", "plan_1"] == 1


def test_irm_assessment_counts(com):
    a = E.irm_assessments(com)
    assert a["impact"].to_dict() == {"none": 0, "minor": 5, "moderate": 12, "transformative": 1}
    assert a["relevant_any"].to_dict() == {"yes": 16, "no": 2}


def test_values_are_never_pooled(com):
    v = E.values_over_time(com)
    assert v.groupby("plan")["instrument"].nunique().to_dict() == {3: 1, 4: 1}
    assert v.set_index(["plan", "value"]).loc[(4, "transparency"), "n"] == 16


def test_recurring_themes(com):
    th = E.recurring_themes(com)
    assert set(th.index[th["recurs"]]) == {"educacion", "ambiente", "salud", "seguridad_ciudadana",
                                           "infraestructura"}


def test_bodies_against_parity(raw):
    s = B.seats(raw).set_index("year")
    assert (s.loc[2013, "state"], s.loc[2013, "non_state"]) == (5 + 1, 1 + 3)
    assert s.loc[2013, "share_non_state"] == pytest.approx(4 / 10) and not s.loc[2013, "at_parity"]
    assert (s.loc[2020, "state"], s.loc[2020, "non_state"]) == (6, 6) and s.loc[2020, "at_parity"]
