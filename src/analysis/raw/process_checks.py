"""Checks of the process resources: standards, public influence, timeline, disagreements.

Each rule ties a value to what the document prints, or keeps the register coherent;
every problem names the file, the line and the field.

- ``standards``: the colour slug matches the printed colour (through ``standard_colours``),
  and the printed colour and code appear in the row's own ``quote_rating``.
- ``public_influence``: each level is how its printed name reads, a level is marked exactly
  when its quote carries the check mark, exactly one level is marked per plan and phase,
  and every restatement names the marked level.
- ``timeline``: dates are real calendar days, no range ends before it starts, and each
  date is read from its printing: the month (and, to the day, the day) of ``date_start`` and
  ``date_end`` are printed in ``date_as_printed``, a printed year is theirs, and a date
  known to the month spans whole months.
- ``disagreements``: the claims of one disagreement agree on topic, kind, scope, treatment,
  resources and note; there are at least two, numbered 1..n; ``within_document`` holds
  exactly when every claim cites one document; every listed resource exists.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from ..labels import slug
from ..problems import Problem

PROCESS_RESOURCES = ("standard_colours", "standards", "public_influence", "forum_status",
                     "timeline", "disagreements")
SHARED = ["topic", "kind", "scope", "treatment", "resources", "treatment_note"]


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


#: How the documents print each IAP2 level (Spanish table and summaries, English summary).
LEVEL_PRINTINGS = {
    "empower": {"empoderar"}, "collaborate": {"colaborar"}, "involve": {"involucrar", "involucra"},
    "consult": {"consultar", "consulta", "consult"}, "inform": {"informar"},
    "no_consultation": {"sin_consulta"},
}
CHECK_MARK = "✔"


def _public_influence(frame: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for idx, row in frame.iterrows():
        if slug(row["level_printed"]) not in LEVEL_PRINTINGS.get(row["level"], set()):
            problems.append(Problem(file, f"level {row['level']!r} is not how the document's "
                                    f"{row['level_printed']!r} is read", _line(idx), "level"))
        if row["row_type"] == "level" and bool(row["marked"]) != (CHECK_MARK in str(row["quote"])):
            problems.append(Problem(file, f"marked is {str(bool(row['marked'])).lower()} but the quote "
                                    f"{'lacks' if row['marked'] else 'has'} the check mark "
                                    f"{CHECK_MARK}", _line(idx), "marked"))
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
    source_years = {src: {int(y) for text in group["date_as_printed"]
                          for y in re.findall(r"\b(?:19|20)\d\d\b", str(text))}
                    for src, group in frame.groupby("source_id")}
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
        if len(days) == 2:
            problems += _date_printing(row, days, file, _line(idx), source_years.get(row["source_id"], set()))
    return problems


MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
          "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
          "diciembre": 12}


def _date_printing(row, days: dict, file: str, line: int, source_years: set[int]) -> list[Problem]:
    """A date must be what ``date_as_printed`` prints: a range starts on the first day and
    month printed and ends on the last; a printed year is the date's year, and a date printed
    without one takes a year this source prints for its other dates; a month-precision range
    spans whole months."""
    import calendar

    printed = str(row["date_as_printed"]).lower()
    words = re.findall(r"[a-záéíóúñ]+|\d+", printed)
    months = [MONTHS[w] for w in words if w in MONTHS]
    numbers = [int(w) for w in words if w.isdigit()]
    years = {n for n in numbers if n >= 1900}
    day_numbers = [n for n in numbers if n < 1900]
    problems = []
    for col, day in days.items():
        why = None
        first = col == "date_start"
        month = (months[0] if first else months[-1]) if months else None
        if day.month != month:
            why = (f"month {day.month} is not the {'first' if first else 'last'} month printed in "
                   f"{row['date_as_printed']!r}")
        elif years and day.year not in years:
            why = f"year {day.year} is not the year printed in {row['date_as_printed']!r}"
        elif not years and day.year not in source_years:
            why = (f"year {day.year} is not printed here nor among the years {row['source_id']} "
                   f"prints for its other dates {sorted(source_years)}")
        elif row["precision"] == "day" and (not day_numbers or day.day != (
                day_numbers[0] if first else day_numbers[-1])):
            why = (f"day {day.day} is not the {'first' if first else 'last'} day printed in "
                   f"{row['date_as_printed']!r}")
        elif row["precision"] == "month":
            edge = 1 if col == "date_start" else calendar.monthrange(day.year, day.month)[1]
            if day.day != edge:
                side = "starts on the first" if edge == 1 else "ends on the last"
                why = f"a date known to the month {side} day of its month, got {day.isoformat()}"
        if why:
            problems.append(Problem(file, why, line, col))
    return problems


def _disagreements(frame: pd.DataFrame, file: str, resources: set[str]) -> list[Problem]:
    """Plain Python over the rows grouped by disagreement (validation runs often)."""
    columns = ["claim", "source_id", *SHARED]
    groups: dict = {}
    for idx, did, *values in zip(frame.index, frame["disagreement_id"], *(frame[c] for c in columns)):
        if not pd.isna(did):
            groups.setdefault(did, []).append((idx, dict(zip(columns, values))))
    problems = []
    for did, rows in groups.items():
        first, head = rows[0]
        if len(rows) < 2:
            problems.append(Problem(file, f"{did}: a disagreement needs two or more claims",
                                    _line(first), "claim"))
        if sorted(int(r["claim"]) for _, r in rows) != list(range(1, len(rows) + 1)):
            problems.append(Problem(file, f"{did}: claims must be numbered 1..{len(rows)}",
                                    _line(first), "claim"))
        for col in SHARED:
            expected = "" if pd.isna(head[col]) else head[col]
            for idx, row in rows:
                if ("" if pd.isna(row[col]) else row[col]) != expected:
                    problems.append(Problem(file, f"{did}: {col} differs from the disagreement's "
                                            f"first claim", _line(idx), col))
        documents = len({r["source_id"] for _, r in rows if not pd.isna(r["source_id"])})
        expected = "within_document" if documents == 1 else "between_documents"
        if pd.isna(head["scope"]) or head["scope"] != expected:
            problems.append(Problem(file, f"{did}: scope is {head['scope']!r} but the claims "
                                    f"cite {documents} document(s)", _line(first), "scope"))
        listed = head["resources"]
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
