"""Attendance volume per stage, and per-event shares under every treatment of "other".

The IRM counts signatures on each event's attendance sheet, and some people sat at more
than one thematic table: a stage's sum is a number of attendances, not of distinct
persons. The government prints a number of persons only for the process as a whole
("312 personas"), without saying whether a person at several events counts once.

A sum that no document prints (the IRM's stage totals, the government's 200 over its
regional workshops and closing event) is marked ``derived``, with the ``derivation``.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process  # noqa: F401  (declares the processed tables)
from ..clean.attendance import OTHER_TREATMENTS
from ..labels import STAGES
from .shares import shares

UNIT = "attendances"


def _printed_totals(raw_attendance: pd.DataFrame) -> dict[tuple[str, str], int]:
    """(account, stage) -> the stage total in persons the document prints, where it prints one."""
    r = raw_attendance
    t = r[(r["unit"] == "persons") & (r["actor_printed"] == "Total") & (r["event"] == "Total")
          & r["row_type"].isin(["total", "restated"])]
    return {(s, st): int(c) for s, st, c in zip(t["source_id"], t["stage"], t["count"])}


def _flag(attendances: int, n_events: int, printed: int | None, what: str) -> tuple[bool, str]:
    if printed is not None and printed == attendances:
        return False, ""
    if n_events == 1:
        return False, ""
    reason = f"sum of {what}; the document prints no total for it"
    if printed is not None:
        reason += f" (it prints {printed})"
    return True, reason


def volume(att: pd.DataFrame, raw_attendance: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum of event counts per account and stage, with the number of events and the unit.

    ``raw_attendance`` (data/raw/attendance.csv, read after validation when not given)
    says which stage totals the documents print; every other sum is flagged derived."""
    if raw_attendance is None:
        from ..raw import read_raw

        raw_attendance = read_raw()["attendance"]
    printed = _printed_totals(raw_attendance)
    persons = att[(att["unit"] == "persons") & (att["stage"].isin(STAGES))]
    rows = []
    for source, mine in persons.groupby("source_id", sort=True):
        stages = [s for s in STAGES if s in set(mine["stage"])]
        for stage in stages:
            g = mine[mine["stage"] == stage]
            n, total = g["event"].nunique(), int(g["count"].sum())
            derived, why = _flag(total, n, printed.get((source, stage)), f"the {n} events' counts")
            rows.append({"source_id": source, "stage": stage, "n_events": n,
                         "attendances": total, "unit": UNIT, "persons_printed": None,
                         "derived": derived, "derivation": why})
        total = int(mine["count"].sum())
        derived, why = _flag(total, mine["event"].nunique(), None,
                             "the stages' attendances (" + ", ".join(stages) + ")")
        rows.append({"source_id": source, "stage": "all", "n_events": mine["event"].nunique(),
                     "attendances": total, "unit": UNIT, "persons_printed": None,
                     "derived": derived, "derivation": why})
        overall = att[(att["source_id"] == source) & (att["stage"] == "overall")
                      & (att["unit"] == "persons")]
        if len(overall):
            rows.append({"source_id": source, "stage": "overall", "n_events": None,
                         "attendances": None, "unit": UNIT,
                         "persons_printed": int(overall["count"].sum()),
                         "derived": False, "derivation": ""})
    out = pd.DataFrame(rows)
    for col in ("n_events", "attendances", "persons_printed"):
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
