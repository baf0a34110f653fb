"""The multiverse: every account x treatment of other x interval method x level x stage."""

import json

import pytest

from analysis.clean import attendance as A
from analysis.parameters import CI_METHODS, CONFIDENCE_LEVELS
from analysis.questions import multiverse as M
from analysis.report import figures as F


@pytest.fixture(scope="module")
def multi(raw):
    return M.multiverse(A.tidy(raw))


def test_one_row_per_specification_and_stage(multi):
    # 2 accounts x 3 treatments x 3 methods x 3 levels x 3 stages
    assert len(multi) == 2 * 3 * len(CI_METHODS) * len(CONFIDENCE_LEVELS) * 3
    assert not multi.duplicated(["account", "other_as", "ci_method", "confidence", "stage"]).any()


def test_a_chosen_level_joins_the_standard_ones():
    assert M.levels(0.8) == (0.8, 0.9, 0.95, 0.99) and M.levels(0.95) == (0.9, 0.95, 0.99)


def test_counts_after_the_treatment_by_hand(multi):
    # IRM national tables: 76 state, 37 civil society, 5 other
    nat = multi[(multi.account == "irm2019") & (multi.stage == "national_table")
                & (multi.ci_method == "wilson") & (multi.confidence == 0.95)].set_index("other_as")
    assert (nat.loc["exclude", "k"], nat.loc["exclude", "n"]) == (37, 113)
    assert (nat.loc["state", "k"], nat.loc["state", "n"]) == (37, 118)
    assert (nat.loc["civil_society", "k"], nat.loc["civil_society", "n"]) == (42, 118)
    assert set(nat["majority"]) == {"state"}


def test_a_stage_an_account_does_not_report_keeps_an_empty_row(multi):
    gov = multi[(multi.account == "pcm2018") & (multi.stage == "national_table")]
    assert len(gov) == 3 * len(CI_METHODS) * len(CONFIDENCE_LEVELS)
    assert not gov["reported"].any() and gov["n"].isna().all()
    # the government counts 63 state and 82 civil society at the regional workshops, no "other"
    reg = multi[(multi.account == "pcm2018") & (multi.stage == "regional_workshop")]
    assert set(zip(reg["k"], reg["n"])) == {(82, 145)}


def test_robustness_of_the_national_tables(multi):
    rob = M.robustness(multi, "national_table")
    assert rob["accounts_reporting"] == ["irm2019"] and rob["accounts_silent"] == ["pcm2018"]
    assert rob["share_min"] == pytest.approx(37 / 118) and rob["share_max"] == pytest.approx(42 / 118)
    assert rob["majorities"] == ["state"] and rob["n_reported"] == 27
    json.dumps(rob)


def test_specification_curve_names_the_silent_account(multi):
    fig = F.specification_curve(multi, "en")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("Government" in t and "does not report" in t for t in texts)
    nat = fig.axes[0]
    # one marker per reported specification: the IRM's 3 treatments of other x 3 interval
    # methods x 3 levels (the government reports no national-table persons)
    markers = sum(len(line.get_xdata()) for line in nat.lines if line.get_marker() not in (None, "", "None"))
    assert markers == 27
