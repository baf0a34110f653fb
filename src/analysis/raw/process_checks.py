"""Checks of the process resources: standards, public influence, timeline, disagreements.

Each rule ties a value to what the document prints, or keeps the register coherent;
every problem names the file, the line and the field.

- ``standards``: the colour slug matches the printed colour (through ``standard_colours``),
  and the printed colour and code appear in the row's own ``quote_rating``.
- ``public_influence``: exactly one level is marked per plan and phase, and every
  restatement names the marked level.
- ``timeline``: dates are real calendar days and no range ends before it starts.
- ``disagreements``: the claims of one disagreement agree on topic, scope, treatment,
  resources and note; there are at least two, numbered 1..n; ``within_document`` holds
  exactly when every claim cites one document; every listed resource exists.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..labels import slug
from ..problems import Problem

PROCESS_RESOURCES = ("standard_colours", "standards", "public_influence", "forum_status",
                     "timeline", "disagreements")
SHARED = ["topic", "scope", "treatment", "resources", "treatment_note"]


def _line(index) -> int:
    return int(index) + 2


def _standards(tables: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    key = tables["standard_colours"].set_index("colour")["colour_printed"]
    problems = []
    for idx, row in tables["standards"].iterrows():
        if key.get(row["colour"]) != row["colour_printed"]:
            problems.append(Problem(file, f"colour {row['colour']!r} does not match the printed "
                                    f"colour {row['colour_printed']!r} (see standard_colours)",
                                    _line(idx), "colour"))
        words = slug(row["quote_rating"]).split("_")
        if not words or words[-1] != slug(row["colour_printed"]):
            problems.append(Problem(file, f"the quote does not end with the printed colour "
                                    f"{row['colour_printed']!r}", _line(idx), "quote_rating"))
        code = row["code_printed"]
        if pd.notna(code) and (len(words) < 2 or words[-2] != slug(code)):
            problems.append(Problem(file, f"the code {code!r} is not printed just before the colour "
                                    "in the quote", _line(idx), "code_printed"))
    return problems


def _public_influence(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for (plan, phase), group in frame.groupby(["plan", "phase"]):
        levels = group[group["row_type"] == "level"]
        marked = levels[levels["marked"].fillna(False)]
        if len(marked) != 1:
            idx = levels.index[0] if len(levels) else group.index[0]
            problems.append(Problem(file, f"plan {plan}, {phase}: {len(marked)} levels marked; "
                                    "exactly one expected", _line(idx), "marked"))
            continue
        level = marked["level"].iloc[0]
        for idx, row in group[group["row_type"] == "restated"].iterrows():
            if row["level"] != level:
                problems.append(Problem(file, f"restates level {row['level']!r} but table 3.2 "
                                        f"marks {level!r}", _line(idx), "level"))
        for idx, row in group[group["row_type"] != "level"].iterrows():
            printed = levels[levels["level"] == row["level"]]
            if len(printed) and int(printed["rank"].iloc[0]) != int(row["rank"]):
                problems.append(Problem(file, f"rank {row['rank']} differs from the printed "
                                        f"level's rank {printed['rank'].iloc[0]}", _line(idx), "rank"))
    return problems


def _timeline(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for idx, row in frame.iterrows():
        days = {}
        for col in ("date_start", "date_end"):
            try:
                days[col] = dt.date.fromisoformat(str(row[col]))
            except ValueError:
                problems.append(Problem(file, f"{row[col]!r} is not a calendar date", _line(idx), col))
        if len(days) == 2 and days["date_end"] < days["date_start"]:
            problems.append(Problem(file, f"ends ({row['date_end']}) before it starts "
                                    f"({row['date_start']})", _line(idx), "date_end"))
    return problems


def _disagreements(frame: pd.DataFrame, file: str, resources: set[str]) -> list[Problem]:
    problems = []
    for did, group in frame.groupby("disagreement_id", sort=False):
        first = group.index[0]
        if len(group) < 2:
            problems.append(Problem(file, f"{did}: a disagreement needs two or more claims",
                                    _line(first), "claim"))
        if sorted(int(c) for c in group["claim"]) != list(range(1, len(group) + 1)):
            problems.append(Problem(file, f"{did}: claims must be numbered 1..{len(group)}",
                                    _line(first), "claim"))
        for col in SHARED:
            values = group[col].fillna("")
            for idx in values.index[values != values.iloc[0]]:
                problems.append(Problem(file, f"{did}: {col} differs from the disagreement's "
                                        f"first claim", _line(idx), col))
        expected = "within_document" if group["source_id"].nunique() == 1 else "between_documents"
        if group["scope"].iloc[0] != expected:
            problems.append(Problem(file, f"{did}: scope is {group['scope'].iloc[0]!r} but the claims "
                                    f"cite {group['source_id'].nunique()} document(s)",
                                    _line(first), "scope"))
        listed = group["resources"].iloc[0]
        for name in ([] if pd.isna(listed) else str(listed).split("; ")):
            if name not in resources:
                problems.append(Problem(file, f"{did}: resource {name!r} is not in data/raw",
                                        _line(first), "resources"))
    return problems


def process_problems(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Every problem in the process resources (none when they are absent)."""
    if any(name not in tables for name in PROCESS_RESOURCES):
        return []
    return (_standards(tables, files["standards"])
            + _public_influence(tables["public_influence"], files["public_influence"])
            + _timeline(tables["timeline"], files["timeline"])
            + _disagreements(tables["disagreements"], files["disagreements"], set(tables)))
