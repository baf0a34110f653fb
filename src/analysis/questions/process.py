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


#: Statuses that date when the 2013 commission stopped working as a forum (the register's
#: "commission-end": three dated statements that differ). A later order to dissolve it is
#: a legal act, not the end of its work, and is not among them.
STOP_STATUSES = ("civil_society_left", "no_forum_in_practice", "no_meetings", "object_concluded")


def forum_gap(forum_status: pd.DataFrame) -> dict:
    """Years without a forum, as a range: from each dated statement that the 2013 forum had
    stopped to the year a document says a forum was re-created. The statements (year,
    document, status), earliest first, go with the range: they differ, so no single
    number is given."""
    stopped = forum_status[forum_status["status"].isin(STOP_STATUSES) & forum_status["year"].notna()]
    stopped = stopped.sort_values(["year", "source_id", "status"])
    created = forum_status[(forum_status["status"] == "created") & forum_status["year"].notna()]
    first_stop = int(stopped["year"].min()) if len(stopped) else None
    last_stop = int(stopped["year"].max()) if len(stopped) else None
    later = created[created["year"] > (last_stop or 0)]
    recreated = int(later["year"].min()) if len(later) else None
    statements = [{"year": int(r.year), "source_id": r.source_id, "status": r.status}
                  for r in stopped.drop_duplicates(["year", "source_id", "status"]).itertuples()]
    known = first_stop is not None and recreated is not None
    return {"first_year_not_operating": first_stop, "last_year_stop_stated": last_stop,
            "year_recreated": recreated,
            "years_without_forum_min": (recreated - last_stop) if known else None,
            "years_without_forum_max": (recreated - first_stop) if known else None,
            "stop_statements": statements}
