"""Shares, intervals and the stage test, against values worked out by hand.

IRM national tables (signed sheets): first 31 state, 18 civil society, 3 other; second
45, 19, 2. Together 76 state, 37 civil society, 5 other.
"""

import math

import numpy as np
import pytest

from analysis.clean import attendance as A
from analysis.questions import shares as S

Z95 = 1.959963984540054


def wilson(k, n, z=Z95):
    """Wilson score interval, written out independently of scipy."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


@pytest.fixture(scope="module")
def att(raw):
    return A.tidy(raw)


@pytest.fixture(scope="module")
def table(att):
    return S.stage_shares(att).set_index(["source_id", "stage", "unit", "other_as"]).sort_index()


@pytest.mark.parametrize("other_as,k,n", [
    ("exclude", 37, 76 + 37), ("state", 37, 76 + 37 + 5), ("civil_society", 37 + 5, 76 + 37 + 5)])
def test_national_tables_share_under_irm_counts(table, other_as, k, n):
    row = table.loc[("irm2019", "national_table", "persons", other_as)]
    assert (row["n"], row["n_state"], row["n_civil_society"], row["n_other"]) == (n, 76, 37, 5)
    assert row["share_civil_society"] == pytest.approx(k / n)
    low, high = wilson(k, n)
    assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


def test_hand_values_of_the_headline(table):
    # 37 / 113 = 32.7 %; 42 / 118 = 35.6 %; 37 / 118 = 31.4 %: a state majority in every case
    shares = table.xs(("irm2019", "national_table", "persons"))["share_civil_society"]
    assert shares.round(3).to_dict() == {"exclude": 0.327, "state": 0.314, "civil_society": 0.356}
    assert (shares < 0.5).all()


@pytest.mark.parametrize("source,stage,unit,k,n", [
    ("irm2019", "thematic_table", "persons", 1 + 9 + 9 + 8 + 7, 13 + 6 + 2 + 5 + 8 + 1 + 9 + 9 + 8 + 7),
    ("irm2019", "regional_workshop", "persons", 29 + 27 + 25, 22 + 25 + 15 + 29 + 27 + 25),
    ("pcm2018", "regional_workshop", "persons", 82, 145),
    ("pcm2018", "overall", "organisations", 124, 176),
])
def test_other_stages(table, source, stage, unit, k, n):
    row = table.loc[(source, stage, unit, "exclude")]
    assert (row["n"], row["share_civil_society"]) == (n, pytest.approx(k / n))


def test_one_row_per_source_stage_and_treatment(table):
    assert table.index.is_unique
    assert set(table.index.get_level_values("other_as")) == {"exclude", "state", "civil_society"}


@pytest.mark.parametrize("method", ["wilson", "wilsoncc", "exact"])
def test_interval_methods_bracket_the_estimate(method):
    low, high = S.interval(37, 113, method)
    assert low < 37 / 113 < high


def test_exact_interval_is_clopper_pearson():
    from scipy.stats import beta

    low, high = S.interval(37, 113, "exact")
    assert low == pytest.approx(beta.ppf(0.025, 37, 113 - 37 + 1))
    assert high == pytest.approx(beta.ppf(0.975, 37 + 1, 113 - 37))


def test_unknown_interval_method():
    with pytest.raises(ValueError, match="ci_method must be one of"):
        S.interval(1, 2, "bayes")


def test_stage_test_against_hand_chi_square(att):
    # stage x (state, civil society), IRM, other excluded
    obs = np.array([[34, 34], [62, 81], [76, 37]], dtype=float)
    expected = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    chi2 = ((obs - expected) ** 2 / expected).sum()
    result = S.stage_difference_test(att, "irm2019", "exclude", seed=1, stages=None)
    assert result["statistic"] == pytest.approx(chi2)
    assert result["dof"] == 2 and result["method"].startswith("chi-square")
    assert result["p_value"] < 0.001


def test_default_stage_test_leaves_out_the_thematic_tables(att):
    # thematic tables count attendances (people at several tables), so the default test
    # compares regional workshops (62 state, 81 civil society) with national tables (76, 37)
    obs = np.array([[62, 81], [76, 37]], dtype=float)
    expected = obs.sum(1, keepdims=True) * obs.sum(0, keepdims=True) / obs.sum()
    chi2 = ((obs - expected) ** 2 / expected).sum()
    result = S.stage_difference_test(att, "irm2019", "exclude", seed=1)
    assert result["stages"] == 2 and result["dof"] == 1
    assert result["statistic"] == pytest.approx(chi2)
    assert result["method"] == "chi-square: regional_workshop vs national_table"


def test_stage_test_needs_two_stages(att):
    result = S.stage_difference_test(att, "pcm2018", "exclude", seed=1)
    assert math.isnan(result["p_value"]) and "not applicable" in result["method"]


def test_permutation_fallback_is_seeded():
    import pandas as pd

    small = pd.DataFrame({"source_id": "x", "unit": "persons",
                          "stage": ["a", "a", "b", "b"], "event": ["a", "a", "b", "b"],
                          "actor": ["state", "civil_society"] * 2,
                          "count": pd.array([6, 1, 1, 5], dtype="Int64")})
    a = S.stage_difference_test(small, "x", "exclude", seed=7, resamples=999, stages=None)
    b = S.stage_difference_test(small, "x", "exclude", seed=7, resamples=999, stages=None)
    assert a["min_expected"] < 5 and a["method"].startswith("permutation") and a == b
    assert 0 < a["p_value"] < 0.1


def test_event_shares(att):
    ev = S.event_shares(att, "exclude").set_index(["source_id", "event"])
    assert ev.loc[("irm2019", "la_libertad"), "share_civil_society"] == pytest.approx(27 / 52)
    assert ev.loc[("pcm2018", "la_libertad"), "share_civil_society"] == pytest.approx(22 / 49)


def test_the_difference_between_stages_with_newcombes_interval(att):
    # IRM, other excluded: regional workshops 81 of 143 civil society, national tables 37 of 113.
    # Newcombe's hybrid score interval (his method 10) from the two Wilson intervals
    # (regional 0.484523-0.644869, national 0.247828-0.418386, in shares.csv):
    #   low  = d - sqrt((p_nat - l_nat)^2 + (u_reg - p_reg)^2) = -0.23900 - 0.11175 = -0.35075
    #   high = d + sqrt((u_nat - p_nat)^2 + (p_reg - l_reg)^2) = -0.23900 + 0.12240 = -0.11660
    result = S.stage_difference_test(att, "irm2019", "exclude", seed=1, confidence=0.95)
    assert (result["stage_a"], result["stage_b"]) == ("regional_workshop", "national_table")
    assert result["share_a"] == pytest.approx(81 / 143) and result["share_b"] == pytest.approx(37 / 113)
    assert result["difference"] == pytest.approx(37 / 113 - 81 / 143)
    assert result["difference_ci_low"] == pytest.approx(-0.35075, abs=5e-5)
    assert result["difference_ci_high"] == pytest.approx(-0.11660, abs=5e-5)
    assert result["difference_ci_method"].startswith("newcomb")
    wider = S.stage_difference_test(att, "irm2019", "exclude", seed=1, confidence=0.99)
    assert wider["difference_ci_low"] < result["difference_ci_low"] < result["difference_ci_high"] \
        < wider["difference_ci_high"]


def test_no_difference_without_two_stages(att):
    result = S.stage_difference_test(att, "pcm2018", "exclude", seed=1)
    assert result["stage_a"] is None and math.isnan(result["difference"])
    assert math.isnan(result["difference_ci_low"]) and result["difference_ci_method"] is None
