"""Rows for notebook 07's tables, ready for its narrative templates (no words here).

Each function turns a processed table into records: missing values become ``None`` (the
templates print a dash or "not found", never ``<NA>``), every row gets the pages it comes
from as (report type, period) pairs, and names are the vocabulary's labels in ``lang``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import labels
from .sentences import render


def _clean(value: Any) -> Any:
    missing = value is pd.NA or value is None or (isinstance(value, float) and pd.isna(value))
    return None if missing else value


def _pages(source_ids: Any, summary: pd.DataFrame) -> list[dict[str, str]]:
    if _clean(source_ids) is None:
        return []
    pages = summary.drop_duplicates("source_id").set_index("source_id")
    return [{"report_type": pages.at[s, "report_type"],
             "period": _clean(pages.at[s, "period_as_printed"]) or ""}
            for s in str(source_ids).split("; ")]


def records(frame: pd.DataFrame, summary: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts, with ``pages`` from its ``source_id``."""
    out = []
    for row in frame.to_dict("records"):
        row = {k: _clean(v) for k, v in row.items()}
        row["pages"] = _pages(row.get("source_id"), summary)
        out.append(row)
    return out


def seat_records(by_sector: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """Seats by sector with the body's name in ``lang`` and its source as the brief labels it."""
    out = []
    for row in by_sector.to_dict("records"):
        out.append({**row, "body": labels.label_of(row["body"], lang),
                    "source": render("source", lang, account=row["source_id"])})
    return out


def body_totals(by_sector: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """State seats and all seats per body (for the sentence after the seats table)."""
    g = by_sector.groupby(["year", "body"], sort=True)
    return [{"body": labels.label_of(body, lang), "state": int(part.loc[part["state"], "seats"].sum()),
             "total": int(part["seats"].sum())} for (_, body), part in g]


def references(source_ids: list[str], sources: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """The documents used, labelled as the brief labels them (web pages by their short name)."""
    s = sources.set_index("source_id")
    out = []
    for sid in dict.fromkeys(source_ids):
        label = render("source", lang, account=sid)
        if label == sid:  # no brief label for it: the page's own short name
            label = s.at[sid, "short_name"]
        out.append({"label": label, "reference": s.at[sid, "reference"], "url": _clean(s.at[sid, "url"])})
    return out
