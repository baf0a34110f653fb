"""The multiverse: the headline shares under every combination of the analyst's choices.

One row per account x treatment of "other" x interval method x confidence level x stage
(persons only), computed in-process from the event-level attendance in well under a
second. A stage an account does not report keeps its row, with ``reported`` false and
no numbers, so the table itself says where an account is silent.
"""

from __future__ import annotations

import pandas as pd

from ..clean.attendance import by_actor
from ..labels import STAGES
from ..parameters import ACCOUNTS, CI_METHODS, CONFIDENCE_LEVELS, OTHER_TREATMENTS
from .shares import _treated, interval

#: Stages of the headline (attendance in persons), in process order.
HEADLINE_STAGES = [s for s in STAGES if s != "closing_event"]
COLUMNS = ["account", "other_as", "ci_method", "confidence", "stage", "reported", "n_state",
           "n_civil_society", "n_other", "k", "n", "share_civil_society", "ci_low", "ci_high",
           "majority"]


def levels(confidence: float | None = None) -> tuple[float, ...]:
    """The confidence levels covered: the standard ones plus the chosen one."""
    chosen = () if confidence is None else (float(confidence),)
    return tuple(sorted(set(CONFIDENCE_LEVELS) | set(chosen)))


def multiverse(att: pd.DataFrame, confidence: float | None = None) -> pd.DataFrame:
    """Civil-society share per specification and stage (the table ``multiverse.csv``)."""
    persons = att[(att["unit"] == "persons") & (att["actor"] != "unspecified")
                  & att["stage"].isin(HEADLINE_STAGES)]
    counts = by_actor(persons, ["source_id", "stage"])
    rows = []
    for account in ACCOUNTS:
        for other_as in OTHER_TREATMENTS:
            treated = _treated(counts, other_as)
            for method in CI_METHODS:
                for level in levels(confidence):
                    for stage in HEADLINE_STAGES:
                        key = (account, stage)
                        row = {"account": account, "other_as": other_as, "ci_method": method,
                               "confidence": level, "stage": stage}
                        if key not in counts.index or int(treated.loc[key, "n"]) == 0:
                            rows.append({**row, "reported": False})
                            continue
                        k, n = int(treated.loc[key, "k"]), int(treated.loc[key, "n"])
                        low, high = interval(k, n, method, level)
                        rows.append({**row, "reported": True,
                                     "n_state": int(counts.loc[key, "state"]),
                                     "n_civil_society": int(counts.loc[key, "civil_society"]),
                                     "n_other": int(counts.loc[key, "other"]), "k": k, "n": n,
                                     "share_civil_society": k / n, "ci_low": low, "ci_high": high,
                                     "majority": "civil_society" if 2 * k > n else
                                     "state" if 2 * k < n else "tie"})
    out = pd.DataFrame(rows).reindex(columns=COLUMNS)
    for col in ["n_state", "n_civil_society", "n_other", "k", "n"]:
        out[col] = out[col].astype("Int64")
    out["reported"] = out["reported"].astype("boolean")
    return out


def robustness(multi: pd.DataFrame, stage: str) -> dict:
    """How the share at ``stage`` moves across every specification that reports it."""
    at = multi[multi["stage"] == stage]
    known = at[at["reported"].fillna(False).astype(bool)]
    shares = known["share_civil_society"].astype(float)
    return {"stage": stage, "n_specifications": int(len(at)), "n_reported": int(len(known)),
            "accounts_reporting": sorted(set(known["account"])),
            "accounts_silent": sorted(set(at["account"]) - set(known["account"])),
            "share_min": float(shares.min()) if len(known) else None,
            "share_max": float(shares.max()) if len(known) else None,
            "ci_low_min": float(known["ci_low"].astype(float).min()) if len(known) else None,
            "ci_high_max": float(known["ci_high"].astype(float).max()) if len(known) else None,
            "majorities": sorted(set(known["majority"])),
            "n_specs_per_account": int(len(at) // max(at["account"].nunique(), 1))}
