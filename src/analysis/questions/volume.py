"""Attendance volume per stage, and per-event shares under every treatment of "other".

The IRM counts signatures on each event's attendance sheet, and some people sat at more
than one thematic table: a stage's sum is a number of attendances, not of distinct
persons. The government prints distinct persons only for the process as a whole (312).
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process  # noqa: F401  (declares the processed tables)
from ..clean.attendance import OTHER_TREATMENTS
from ..labels import STAGES
from .shares import shares

UNIT = "attendances"


def volume(att: pd.DataFrame) -> pd.DataFrame:
    """Sum of event counts per account and stage, with the number of events and the unit."""
    persons = att[(att["unit"] == "persons") & (att["stage"].isin(STAGES))]
    rows = []
    for source, mine in persons.groupby("source_id", sort=True):
        for stage in [s for s in STAGES if s in set(mine["stage"])]:
            g = mine[mine["stage"] == stage]
            rows.append({"source_id": source, "stage": stage, "n_events": g["event"].nunique(),
                         "attendances": int(g["count"].sum()), "unit": UNIT,
                         "distinct_persons_printed": None})
        rows.append({"source_id": source, "stage": "all", "n_events": mine["event"].nunique(),
                     "attendances": int(mine["count"].sum()), "unit": UNIT,
                     "distinct_persons_printed": None})
        overall = att[(att["source_id"] == source) & (att["stage"] == "overall")
                      & (att["unit"] == "persons")]
        if len(overall):
            rows.append({"source_id": source, "stage": "overall", "n_events": None,
                         "attendances": None, "unit": UNIT,
                         "distinct_persons_printed": int(overall["count"].sum())})
    out = pd.DataFrame(rows)
    for col in ("n_events", "attendances", "distinct_persons_printed"):
        out[col] = out[col].astype("Int64")
    return out


def event_shares_all(att: pd.DataFrame, method: str = "wilson", confidence: float = 0.95) -> pd.DataFrame:
    """Per-event civil-society shares (persons) under exclude, state and civil_society."""
    persons = att[att["unit"] == "persons"]
    out = shares(persons, ["source_id", "stage", "event"], method, confidence, tuple(OTHER_TREATMENTS))
    out["civil_society_majority"] = out["share_civil_society"] > 0.5
    return out.reset_index(drop=True)


def majority_depends_on_other(table: pd.DataFrame) -> list[tuple[str, str]]:
    """(account, event) pairs whose civil-society majority changes with the treatment of other."""
    flips = table.groupby(["source_id", "event"])["civil_society_majority"].nunique()
    return sorted(flips.index[flips > 1])
