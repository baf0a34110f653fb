"""How did the 2017 process score against OGP's standards?

The IRM rates each participation and co-creation standard green (met), amber (in
progress) or red (no evidence of action) in Annex I, marks the level of public influence
reached on its adaptation of the IAP2 spectrum (table 3.2), and says whether a
multistakeholder forum existed. This module counts the colours, places the marked level
against the minimum OGP requires during development and the level it asks for, and
orders the dated statements on the forum.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process

COLOURS = ["green", "amber", "red"]


def standards(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return clean_process.standards(raw)


def scorecard(std: pd.DataFrame) -> pd.DataFrame:
    """Standards per colour, by section and over all sections (every colour listed, even at 0)."""
    rows = []
    for plan, by_plan in std.groupby("plan"):
        sections = list(dict.fromkeys(by_plan["section"])) + ["all"]
        for section in sections:
            part = by_plan if section == "all" else by_plan[by_plan["section"] == section]
            for colour in COLOURS:
                n = int((part["colour"] == colour).sum())
                rows.append({"plan": int(plan), "section": section, "colour": colour,
                             "n_standards": n, "of": len(part), "share": n / len(part)})
    return pd.DataFrame(rows)


def standards_with_colour(std: pd.DataFrame, colour: str) -> list[str]:
    """Standard ids with a given colour, e.g. the ones rated red."""
    return std.loc[std["colour"] == colour, "standard_id"].tolist()


def influence(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The marked IAP2 level against the minimum and the aspiration, per plan and phase."""
    p = raw["public_influence"]
    rows = []
    for (plan, phase), g in p.groupby(["plan", "phase"]):
        levels = g[g["row_type"] == "level"]
        marked = levels[levels["marked"].fillna(False)].iloc[0]
        minimum = g[g["row_type"] == "minimum"].iloc[0]
        aim = g[g["row_type"] == "aspiration"].iloc[0]
        rows.append({"plan": int(plan), "phase": phase, "level_marked": marked["level"],
                     "rank_marked": int(marked["rank"]), "level_minimum": minimum["level"],
                     "rank_minimum": int(minimum["rank"]),
                     "meets_minimum": int(marked["rank"]) >= int(minimum["rank"]),
                     "levels_below_minimum": max(0, int(minimum["rank"]) - int(marked["rank"])),
                     "level_aspiration": aim["level"], "rank_aspiration": int(aim["rank"]),
                     "n_levels": len(levels),
                     "levels_below_aspiration": max(0, int(aim["rank"]) - int(marked["rank"]))})
    return pd.DataFrame(rows)


def forum(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return clean_process.forum_status(raw)


def forum_gap(forum_status: pd.DataFrame) -> dict[str, int | None]:
    """First year a document says the forum stopped operating, and the year it was re-created."""
    stopped = forum_status[forum_status["operating"].eq(False) & forum_status["year"].notna()]
    created = forum_status[(forum_status["status"] == "created") & forum_status["year"].notna()]
    first_stop = int(stopped["year"].min()) if len(stopped) else None
    later = created[created["year"] > (first_stop or 0)]
    recreated = int(later["year"].min()) if len(later) else None
    return {"first_year_not_operating": first_stop, "year_recreated": recreated,
            "years_without_forum": (recreated - first_stop) if first_stop and recreated else None}
