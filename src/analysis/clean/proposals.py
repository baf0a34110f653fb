"""Proposals of the 2017 co-creation: the funnel from thematic tables to the final plan."""

from __future__ import annotations

import pandas as pd

from ..labels import slug

STAGE_ORDER = ["thematic_table", "regional_workshop", "national_table", "final_plan"]


def funnel(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Proposal counts per stage and theme, as printed, plus the final plan counted by theme.

    ``basis`` says whether a count is printed in a document or counted here from the
    commitment rows (the final plan by theme, from the IRM's 18 commitments).
    """
    p = raw["proposals"]
    printed = pd.DataFrame({
        "source_id": p["source_id"], "stage": p["stage"],
        "theme": p["theme_printed"].map(slug), "count": p["count"].astype(int),
        "basis": "printed", "raw_id": p["id"],
    })
    irm = raw["commitments_irm2017"]
    by_theme = irm.groupby("theme").size()
    counted = pd.DataFrame({
        "source_id": "irm2019", "stage": "final_plan", "theme": by_theme.index,
        "count": by_theme.values.astype(int), "basis": "counted_from_commitments",
        "raw_id": pd.NA,
    })
    out = pd.concat([printed, counted], ignore_index=True)
    out.insert(2, "stage_order", out["stage"].map(STAGE_ORDER.index) + 1)
    out = out.sort_values(["stage_order", "source_id", "basis", "theme", "raw_id"], kind="stable")
    out["raw_id"] = out["raw_id"].astype("string")
    return out.reset_index(drop=True)
