"""Notebook 07's tables as it displays them, and the facts of its sentences (no words here).

Each ``*_table`` function turns a processed table into the frame ``tables.show(df, lang)``
displays: plans as Roman numerals, each row's pages named by report type and period, stages
and "not found" in ``lang``, and no column a reader would see as an id. The words come from
``templates/figures/<lang>/influence_by_plan_words.j2`` (the same words the figure's source
line uses); missing values stay missing, so ``tables.show`` prints "no reportado".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import figures
from .figures import ROMAN


def word(key: str, lang: str) -> str:
    """One of notebook 07's words (``influence_by_plan_words.j2``)."""
    return figures.words("influence_by_plan_words", lang, key=key)


def _clean(value: Any) -> Any:
    missing = value is pd.NA or value is None or (isinstance(value, float) and pd.isna(value))
    return None if missing else value


def pages(source_ids: Any, summary: pd.DataFrame, lang: str) -> str | None:
    """The pages a row comes from (or that were looked at): "informe de diseño 2017-2019; ..."."""
    if _clean(source_ids) is None:
        return None
    known = summary.drop_duplicates("source_id").set_index("source_id")
    out = []
    for s in str(source_ids).split("; "):
        period = _clean(known.at[s, "period_as_printed"])
        out.append(word(f"report_{known.at[s, 'report_type']}", lang) + (f" {period}" if period else ""))
    return "; ".join(out)


def _plan(frame: pd.DataFrame) -> pd.Series:
    return frame["plan"].astype(int).map(ROMAN)


def summary_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The IRM's tables line by line: plan, page, section, line and value as printed."""
    rows = summary.reset_index(drop=True)
    label = [r.label_as_printed if r.row_type == "value" else word(f"row_{r.row_type}", lang)
             for r in rows.itertuples()]
    return pd.DataFrame({
        "plan": _plan(rows),
        "page": [pages(s, summary, lang) for s in rows["source_id"]],
        "table_section": [word(f"stage_{s}", lang) for s in rows["stage"]],
        "label_as_printed": label,
        "value_as_printed": rows["value_as_printed"].astype(object),
    })


def influence_table(influence: pd.DataFrame, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Level of public influence per plan, stage and page, against OGP's minimum."""
    printed = influence["status"] == "printed"
    return pd.DataFrame({
        "plan": _plan(influence),
        "stage_of_plan": [word(f"stage_{s}", lang) for s in influence["stage"]],
        "level_printed": influence["level_printed"].astype(object).where(
            printed, word("level_not_found", lang)),
        "rank": influence["rank"],
        "meets_minimum": influence["meets_minimum"],
        "levels_below_minimum": influence["levels_below_minimum"],
        "page": [pages(s, summary, lang) for s in influence["source_id"]],
    })


def forum_table(forum: pd.DataFrame, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The tables' answer on the multistakeholder forum, per plan and page."""
    printed = forum["status"] == "printed"
    return pd.DataFrame({
        "plan": _plan(forum),
        "forum_printed": forum["forum_printed"].astype(object).where(printed, word("forum_not_found", lang)),
        "page": [pages(s, summary, lang) for s in forum["source_id"]],
    })


def assessments_table(assessments: pd.DataFrame, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each printed count beside the share computed from it and whether it matches the printed %."""
    return pd.DataFrame({
        "plan": _plan(assessments),
        "page": [pages(s, summary, lang) for s in assessments["source_id"]],
        "label_as_printed": assessments["label_as_printed"],
        "value_as_printed": assessments["value_as_printed"],
        "value": assessments["value"],
        "of": assessments["of"],
        "share": assessments["share"],
        "agrees": assessments["agrees"],
    })


def seats_table(by_sector: pd.DataFrame) -> pd.DataFrame:
    """Seats of each body by sector (``tables.show(..., report=True)`` names the body's source
    as a document)."""
    out = by_sector.rename(columns={"state": "is_state"})
    return out[["body", "year", "sector_detail", "is_state", "seats", "total", "share", "source_id"]]


def body_totals(by_sector: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """State seats and all seats per body (for the sentence after the seats table)."""
    from .. import labels

    g = by_sector.groupby(["year", "body"], sort=True)
    return [{"body": labels.label_of(body, lang), "state": int(part.loc[part["state"], "seats"].sum()),
             "total": int(part["seats"].sum())} for (_, body), part in g]


def figure_facts(influence: pd.DataFrame, forum: pd.DataFrame) -> dict[str, Any]:
    """What the sentence after the figure says: the plans with a printed level, those reaching
    OGP's minimum, and whether any table found answers "Yes" on the forum."""
    printed = influence[influence["status"] == "printed"]
    reaching = printed.loc[printed["meets_minimum"].fillna(False).astype(bool), "plan"]
    return {"plans_with_level": [ROMAN[int(p)] for p in sorted(set(printed["plan"]))],
            "n_plans": int(influence["plan"].nunique()),
            "reaching": [ROMAN[int(p)] for p in sorted(set(reaching))],
            "forum_yes": bool(forum["forum"].fillna(False).astype(bool).any())}


def assessment_facts(assessments: pd.DataFrame, summary: pd.DataFrame, lang: str) -> dict[str, Any]:
    """How many printed percents the computed shares match, and the percents printed without
    their count (each with its plan and page)."""
    checked = assessments.dropna(subset=["agrees"])
    no_count = assessments[assessments["value"].isna() & assessments["printed_percent"].notna()]
    return {"n_agree": int(checked["agrees"].astype(bool).sum()), "n_checked": len(checked),
            "no_count": [{"printed": r.value_as_printed, "plan": ROMAN[int(r.plan)],
                          "page": pages(r.source_id, summary, lang)} for r in no_count.itertuples()]}


def minimum_facts(influence: pd.DataFrame, lang: str) -> dict[str, Any]:
    """OGP's minimum level, named in ``lang``, and its rank on table 3.2's order."""
    from .. import labels

    return {"minimum": labels.label(f"iap2_{influence['level_minimum'].iloc[0]}", lang),
            "rank_minimum": int(influence["rank_minimum"].iloc[0])}
