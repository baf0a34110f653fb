"""Cleaning of the OGP commitment list and the corrections table."""

import pandas as pd
import pytest

from analysis.clean import commitments as C
from analysis.clean import proposals as P
from analysis.raw import corrections

KNOWN_TYPOS = ["Contrator", "Dislose", " Eib ", "Decision Territorial Decisions", "Starred commitment"]


@pytest.fixture(scope="module")
def com(raw):
    return C.tidy(raw)


def test_all_104_kept(com):
    assert len(com) == 104 and com["ogp_id"].is_unique
    assert com.groupby("plan").size().tolist() == [48, 17, 18, 21]


@pytest.mark.parametrize("typo", KNOWN_TYPOS)
def test_no_typo_left_in_title(com, typo):
    assert not com["title"].str.contains(typo, regex=False).any()
    assert com["title_raw"].str.contains(typo, regex=False).any()  # raw keeps it


def test_duplicates_flagged_not_dropped(com):
    d = com.set_index("ogp_id")
    assert d.loc["PE0036", "duplicate_of"] == "PE0045" and d.loc["PE0045", "duplicate_of"] == "PE0036"
    assert d.loc["PE0004", "duplicate_of"] == "PE0046" and d.loc["PE0046", "duplicate_of"] == "PE0004"
    assert com["title_duplicated"].sum() == 4


def test_missing_policy_area_is_explicit(com):
    d = com.set_index("ogp_id")
    assert d.loc["PE0033", "policy_area"] == C.NOT_PUBLISHED and d.loc["PE0033", "policy_area_missing"]
    assert com["policy_area"].notna().all() and com["policy_area_missing"].sum() == 1
    assert d.loc["PE0066", "policy_area"] == "public_participation"


def test_starred_label_moved_out_of_title(com):
    d = com.set_index("ogp_id")
    assert d.loc["PE0062", "title"] == "Reusable Open Data" and d.loc["PE0062", "starred_label"]
    assert com["starred_label"].sum() == 3


def test_assessments_and_regimes(com):
    d = com.set_index("ogp_id")
    assert d.loc["PE0073", "irm_potential_impact"] == "transformative"  # IRM commitment 8
    assert d.loc["PE0066", "irm_civic_participation"] and not d.loc["PE0066", "irm_access_to_information"]
    assert set(com.loc[com.plan == 4, "irm_regime"]) == {"from_2020"}
    assert set(com.loc[com.plan < 4, "irm_regime"]) == {"pre_2020"}
    assert com.loc[com.plan == 4, "irm_potential_impact"].isna().all()  # scales never pooled
    assert d.loc["PE0084", "principle_integrity"] and pd.isna(d.loc["PE0001", "principle_integrity"])


def test_corrections_table_checks_against_raw(raw, tmp_path):
    table = corrections.load_corrections(raw=raw)
    stale = table.copy()
    stale.loc[0, "title_as_published"] = "Something else"
    path = tmp_path / "fix.csv"
    stale.to_csv(path, index=False)
    stale_match = r"line 2, field 'title_as_published': no longer matches"
    with pytest.raises(corrections.CorrectionError, match=stale_match):
        corrections.load_corrections(path, raw)
    unknown = table.copy()
    unknown.loc[1, "ogp_id"] = "PE0999"
    unknown.to_csv(path, index=False)
    with pytest.raises(corrections.CorrectionError, match=r"line 3, field 'ogp_id': PE0999 is not"):
        corrections.load_corrections(path, raw)


def test_every_correction_has_a_reason(raw):
    table = corrections.load_corrections(raw=raw)
    assert (table["reason"].str.len() > 10).all()


def test_plan_table(raw):
    plans = C.plan_table(raw).set_index("plan")
    assert plans["canonical_label"].tolist() == ["2012-2013", "2015-2016", "2017-2019", "2020-2021"]
    assert "2012-2014" in plans.loc[1, "aliases"] and "2019" in plans.loc[4, "aliases"].split(" | ")
    assert plans["n_commitments_ogp_list"].tolist() == [48, 17, 18, 21]
    assert "pcm2018: 47" in plans.loc[1, "n_commitments_stated"]


def test_funnel(raw):
    f = P.funnel(raw)
    totals = f[(f.theme == "total")].groupby(["stage", "source_id"])["count"].apply(sorted).to_dict()
    assert totals[("thematic_table", "pcm2018")] == [18]
    assert totals[("regional_workshop", "pcm2018")] == [11]
    assert totals[("national_table", "irm2019")] == [26]
    assert totals[("final_plan", "pcm2018")] == [17, 18]
    counted = f[(f.basis == "counted_from_commitments")].set_index("theme")["count"]
    assert counted.sum() == 18 and counted["educacion"] == 4 and counted["transversal"] == 1
