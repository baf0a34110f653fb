"""Who was in the room: civil-society share of participants, with intervals and tests.

Shares are taken over state and civil society. The IRM's ``other`` participants
(mostly GIZ consultants) are excluded, or added to the state, or to civil society,
according to ``other_as``; ``n`` is the denominator under that treatment. Intervals come
from ``scipy.stats.binomtest`` (Wilson by default). At the thematic tables some people
sat at more than one table, so a stage's total counts attendances, not distinct people.

The counts are complete (everyone who signed), not samples: an interval does not measure
uncertainty about who was there, but the chance variation a process like this one could
produce (who happens to come on a given day). Tests assume independent units, so the
thematic tables (attendances, one person possibly counted several times) never enter a
test; the stage test compares only stages counted in persons, and still assumes that no
one attended both, which the sources do not establish.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..clean.attendance import OTHER_TREATMENTS, by_actor
from ..labels import STAGE_ORDER
from ..parameters import CI_METHODS

#: Stages whose units are distinct persons within the stage (the thematic tables count
#: attendances: some people sat at more than one table), so only these enter a test.
TESTABLE_STAGES = ("regional_workshop", "national_table")
SHARE_COLUMNS = ["source_id", "stage", "unit", "other_as", "n_state", "n_civil_society", "n_other",
                 "n", "share_civil_society", "ci_low", "ci_high", "ci_method", "confidence"]


def interval(k: int, n: int, method: str = "wilson", confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval for a proportion k/n (scipy's tested implementation)."""
    if method not in CI_METHODS:
        raise ValueError(f"ci_method must be one of {CI_METHODS}, got {method!r}")
    from scipy import stats  # here: about 0.5 s to import, and half the notebooks need no interval

    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=confidence, method=method)
    return float(ci.low), float(ci.high)


def _treated(counts: pd.DataFrame, other_as: str) -> pd.DataFrame:
    if other_as not in OTHER_TREATMENTS:
        raise ValueError(f"other_as must be one of {OTHER_TREATMENTS}, got {other_as!r}")
    state = counts["state"] + (counts["other"] if other_as == "state" else 0)
    civil = counts["civil_society"] + (counts["other"] if other_as == "civil_society" else 0)
    return pd.DataFrame({"k": civil, "n": state + civil}, index=counts.index)


def shares(att: pd.DataFrame, index: list[str], method: str = "wilson", confidence: float = 0.95,
           treatments: tuple[str, ...] = tuple(OTHER_TREATMENTS)) -> pd.DataFrame:
    """Civil-society share per group in ``index`` and per treatment of ``other``."""
    counts = by_actor(att[att["actor"] != "unspecified"], index)
    counts = counts[(counts["state"] + counts["civil_society"]) > 0]
    rows = []
    for other_as in treatments:
        treated = _treated(counts, other_as)
        for key, row in counts.iterrows():
            k, n = int(treated.loc[key, "k"]), int(treated.loc[key, "n"])
            low, high = interval(k, n, method, confidence)
            rows.append({**dict(zip(index, key if isinstance(key, tuple) else (key,))),
                         "other_as": other_as, "n_state": int(row["state"]),
                         "n_civil_society": int(row["civil_society"]), "n_other": int(row["other"]),
                         "n": n, "share_civil_society": k / n, "ci_low": low, "ci_high": high,
                         "ci_method": method, "confidence": confidence})
    return pd.DataFrame(rows)


def stage_shares(att: pd.DataFrame, method: str = "wilson", confidence: float = 0.95) -> pd.DataFrame:
    """The table ``shares.csv``: one row per source x stage (x unit) x treatment of other."""
    out = shares(att, ["source_id", "stage", "unit"], method, confidence)
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    out = out.assign(_o=out["stage"].map(order), _t=out["other_as"].map(OTHER_TREATMENTS.index))
    return out.sort_values(["source_id", "_o", "unit", "_t"]).drop(columns=["_o", "_t"]) \
        .reset_index(drop=True)[SHARE_COLUMNS]


def event_shares(att: pd.DataFrame, other_as: str, method: str = "wilson",
                 confidence: float = 0.95) -> pd.DataFrame:
    """Per-event shares (persons) under one treatment of other."""
    persons = att[att["unit"] == "persons"]
    out = shares(persons, ["source_id", "stage", "event"], method, confidence, (other_as,))
    return out.reset_index(drop=True)


def stage_difference_test(att: pd.DataFrame, source_id: str, other_as: str,
                          seed: int, resamples: int = 9999,
                          stages: tuple[str, ...] | None = TESTABLE_STAGES,
                          confidence: float = 0.95) -> dict:
    """Does the civil-society share differ between stages (persons, one account)?

    Pearson's chi-square test of independence on the stage x {state, civil society}
    table (``scipy.stats.chi2_contingency``); when an expected count is below 5 the
    p-value comes from a seeded permutation test of the same statistic instead. Only
    ``stages`` enter (default: those counted in distinct persons, see TESTABLE_STAGES);
    ``None`` takes every stage present.

    Beside the test, when exactly two stages are compared: the difference in proportions
    (the later stage's civil-society share minus the earlier's) with Newcombe's hybrid score
    interval at ``confidence``
    (``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``).
    """
    persons = att[(att["source_id"] == source_id) & (att["unit"] == "persons")
                  & (att["actor"] != "unspecified")]
    if stages is not None:
        persons = persons[persons["stage"].isin(stages)]
    counts = by_actor(persons, ["stage"])
    order = {s: i for i, s in enumerate(STAGE_ORDER)}
    counts = counts.iloc[sorted(range(len(counts)), key=lambda i: order.get(counts.index[i], len(order)))]
    treated = _treated(counts, other_as)
    table = np.column_stack([treated["n"] - treated["k"], treated["k"]]).astype(int)
    table = table[table.sum(axis=1) > 0]
    if len(table) < 2:
        return {"source_id": source_id, "other_as": other_as, "stages": int(len(table)),
                "statistic": float("nan"), "dof": 0, "p_value": float("nan"),
                "min_expected": float("nan"), "method": "not applicable (fewer than two stages)",
                **_difference(None, None, confidence)}
    from scipy import stats

    chi2, p, dof, expected = stats.chi2_contingency(table, correction=False)
    result = {"source_id": source_id, "other_as": other_as, "stages": int(len(table)),
              "statistic": float(chi2), "dof": int(dof), "p_value": float(p),
              "min_expected": float(expected.min()),
              "method": "chi-square: " + " vs ".join(counts.index[treated["n"] > 0])}
    if expected.min() < 5:
        rows = np.repeat(np.arange(len(table)), table.sum(axis=1))
        civil = np.concatenate([np.r_[np.zeros(a, int), np.ones(b, int)] for a, b in table])

        def statistic(labels):
            obs = np.zeros_like(table)
            np.add.at(obs, (rows, labels), 1)
            return stats.chi2_contingency(obs, correction=False)[0]

        perm = stats.permutation_test((civil,), statistic, permutation_type="pairings",
                                      n_resamples=resamples, alternative="greater",
                                      random_state=np.random.default_rng(seed))
        compared = " vs ".join(counts.index[treated["n"] > 0])
        result.update(p_value=float(perm.pvalue), method=f"permutation ({resamples} resamples): {compared}")
    present = treated[treated["n"] > 0]
    result.update(_difference(present, list(present.index), confidence) if len(present) == 2
                  else _difference(None, None, confidence))
    return result


DIFFERENCE_METHOD = "newcomb (statsmodels confint_proportions_2indep)"


def _difference(counts: pd.DataFrame | None, stages: list | None, confidence: float) -> dict:
    """The later stage's share minus the earlier's, with Newcombe's interval; empty without two stages."""
    empty = {"stage_a": None, "stage_b": None, "share_a": float("nan"), "share_b": float("nan"),
             "difference": float("nan"), "difference_ci_low": float("nan"),
             "difference_ci_high": float("nan"), "difference_ci_method": None,
             "difference_confidence": float("nan")}
    if counts is None:
        return empty
    from statsmodels.stats.proportion import confint_proportions_2indep

    (ka, na), (kb, nb) = ((int(counts.loc[s, "k"]), int(counts.loc[s, "n"])) for s in stages)
    low, high = confint_proportions_2indep(kb, nb, ka, na, method="newcomb", compare="diff",
                                           alpha=1 - confidence)
    return {"stage_a": stages[0], "stage_b": stages[1], "share_a": ka / na, "share_b": kb / nb,
            "difference": kb / nb - ka / na, "difference_ci_low": float(low),
            "difference_ci_high": float(high), "difference_ci_method": DIFFERENCE_METHOD,
            "difference_confidence": float(confidence)}
