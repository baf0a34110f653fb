"""Survival of the regional workshops' proposals alone.

The government counts 11 proposals from the three regional workshops. Each document
names the final commitments born there: the IRM three (commitments 3, 17 and 18), the
government four themes. The documented survival counts those; the possible survival
counts every final commitment not traced to another stage, capped at the proposals.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process  # noqa: F401  (declares the processed tables)
from .shares import interval
from .survival import origins


def regional_survival(raw: dict[str, pd.DataFrame], method: str = "wilson",
                      confidence: float = 0.95) -> pd.DataFrame:
    props = raw["proposals"]
    n_prop = int(props.loc[(props["source_id"] == "pcm2018") & (props["stage"] == "regional_workshop")
                           & (props["row_type"] == "total"), "count"].iloc[0])
    n_final = len(raw["commitments_irm2017"])
    o = origins(raw)
    rows = []
    for source, mine in o.groupby("source_id", sort=True):
        k = int(mine.loc[mine["origin"] == "regional_workshop", "n_commitments"].sum())
        elsewhere = int(mine.loc[mine["origin"] != "regional_workshop", "n_commitments"].sum())
        low, high = interval(k, n_prop, method, confidence)
        possible = min(n_prop, n_final - elsewhere)
        rows.append({"source_id": source, "n_proposed": n_prop, "n_final": n_final,
                     "n_final_from_regional_known": k, "n_final_elsewhere_known": elsewhere,
                     "survival_documented": k / n_prop, "survival_documented_ci_low": low,
                     "survival_documented_ci_high": high, "n_possible": possible,
                     "survival_possible": possible / n_prop, "ci_method": method,
                     "confidence": confidence})
    return pd.DataFrame(rows)
