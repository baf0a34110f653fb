"""The virtual consultation: how much it yielded, and on which themes.

The government counts 952 visits to the virtual forum and 20 contributions (Cuadro 4,
over two channels). Visits are not visitors: the rate is contributions per 100 visits.
Contributions by theme are set against the themes of the thematic tables' proposals
(the drafts under consultation) and of the final plan's 18 commitments.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process  # noqa: F401  (declares the processed tables)
from ..labels import slug
from .shares import interval


def rate(raw: dict[str, pd.DataFrame], method: str = "wilson", confidence: float = 0.95) -> pd.DataFrame:
    c = raw["consultation"]
    rows = []
    for source, g in c.groupby("source_id"):
        visits = int(g.loc[g["measure"] == "visits", "count"].sum())
        grand = g[(g["measure"] == "contributions") & (g["theme_printed"] == "Total")
                  & (g["channel"] == "Total")]
        k = int(grand["count"].iloc[0])
        low, high = interval(k, visits, method, confidence)
        rows.append({"source_id": source, "visits": visits, "contributions": k,
                     "per_100_visits": 100 * k / visits, "ci_low": 100 * low, "ci_high": 100 * high,
                     "ci_method": method, "confidence": confidence})
    return pd.DataFrame(rows)


def themes(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    c = raw["consultation"]
    per = c[(c["measure"] == "contributions") & (c["channel"] == "Total")
            & (c["theme_printed"] != "Total")]
    contrib = per.assign(theme=per["theme_printed"].map(slug)).groupby("theme")["count"].sum()
    p = raw["proposals"]
    mt = p[(p["source_id"] == "pcm2018") & (p["stage"] == "thematic_table") & (p["row_type"] == "value")]
    props = mt.assign(theme=mt["theme_printed"].map(slug)).groupby("theme")["count"].sum()
    final = raw["commitments_irm2017"].groupby("theme").size()
    all_themes = sorted(set(contrib.index) | set(props.index) | set(final.index))
    out = pd.DataFrame({"theme": all_themes})
    out["contributions"] = [int(contrib.get(t, 0)) for t in all_themes]
    out["share_contributions"] = out["contributions"] / out["contributions"].sum()
    out["proposals_thematic"] = [int(props.get(t, 0)) for t in all_themes]
    out["share_proposals_thematic"] = out["proposals_thematic"] / out["proposals_thematic"].sum()
    out["final_commitments"] = [int(final.get(t, 0)) for t in all_themes]
    out["share_final"] = out["final_commitments"] / out["final_commitments"].sum()
    out["contributions_minus_final_share"] = out["share_contributions"] - out["share_final"]
    return out
