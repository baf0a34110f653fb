"""How long did the 2017 co-creation take, under each document's dates?

Days are counted from the publication of the schedule (both documents: 8 September
2017) to the first and last day of each stage, the closing breakfast (7 November for the
government, 7 December for the IRM) and the approval of the plan (27 December 2017).
Where one document prints two spans for a stage that start on the same day but end on
different days (the IRM's thematic tables: to the 19th and to the 20th of September) the
stage ends on the later day, the other is kept beside it and the disagreement is flagged;
nothing is averaged. Separate events of one stage (the three regional workshops) simply
span the stage.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process

#: Pairs of milestones whose distance answers a reader's question, in this order.
INTERVALS = [("schedule_published", "start", "thematic_table", "start"),
             ("thematic_table", "start", "approval", "start"),
             ("schedule_published", "start", "closing_event", "start"),
             ("closing_event", "start", "approval", "start"),
             ("schedule_published", "start", "approval", "start"),
             ("thematic_table", "start", "national_table", "end"),
             ("national_table", "end", "approval", "start")]


def _iso(day) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def stages(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per document and milestone: first and last day, and days from the schedule."""
    t = clean_process.timeline(raw)
    rows = []
    for source, mine in t.groupby("source_id", sort=True):
        sched = mine.loc[mine["milestone"] == "schedule_published", "date_start"]
        origin = sched.min() if len(sched) else None
        for milestone, g in mine.groupby("milestone", sort=False):
            start, end = g["date_start"].min(), g["date_end"].max()
            # rows that start on the same day are alternative statements of one span
            alternatives = g.loc[g["date_start"] == start, "date_end"]
            disagree = bool(alternatives.nunique() > 1)
            rows.append({
                "source_id": source, "milestone": milestone, "date_start": _iso(start),
                "date_end": _iso(end),
                "date_end_alternative": _iso(alternatives.min()) if disagree else None,
                "n_rows": len(g), "end_dates_disagree": disagree,
                "precision": "month" if (g["precision"] == "month").any() else "day",
                "days_from_schedule_to_start": None if origin is None else int((start - origin).days),
                "days_from_schedule_to_end": None if origin is None else int((end - origin).days),
                "duration_days": int((end - start).days) + 1})
    out = pd.DataFrame(rows)
    for col in ("days_from_schedule_to_start", "days_from_schedule_to_end"):
        out[col] = out[col].astype("Int64")
    return out


def intervals(stage_table: pd.DataFrame) -> pd.DataFrame:
    """Days between the milestones in ``INTERVALS``, per document (where it dates both ends)."""
    rows = []
    for source, mine in stage_table.groupby("source_id", sort=True):
        idx = mine.set_index("milestone")
        for a, a_end, b, b_end in INTERVALS:
            if a not in idx.index or b not in idx.index:
                continue
            da = pd.Timestamp(idx.loc[a, "date_start" if a_end == "start" else "date_end"])
            db = pd.Timestamp(idx.loc[b, "date_start" if b_end == "start" else "date_end"])
            rows.append({"source_id": source,
                         "from_milestone": a if a_end == "start" else f"{a}_end",
                         "from_date": _iso(da),
                         "to_milestone": b if b_end == "start" else f"{b}_end",
                         "to_date": _iso(db), "days": int((db - da).days)})
    return pd.DataFrame(rows)


def days_between(iv: pd.DataFrame, source: str, a: str, b: str) -> int:
    row = iv[(iv["source_id"] == source) & (iv["from_milestone"] == a) & (iv["to_milestone"] == b)]
    return int(row["days"].iloc[0])
