"""Did participation get better from plan to plan? What the IRM's summary tables say.

Each IRM report on opengovpartnership.org opens with an "At a glance" table: whether a
multistakeholder forum existed, the level of public influence (IAP2: Inform, Consult,
Involve, Collaborate, Empower) during the plan's development and, in implementation
reports, during its implementation, and counts of commitments relevant to OGP values,
transformative, starred, completed and opening government (DIOG). ``data/raw/irm_summary.csv``
holds those lines as printed, and a row wherever no such table was found (plans I and II,
the 2019-2022 results report, the 2023-2025 action plan review).

This module orders the levels on the IAP2 spectrum in the order the IRM's table 3.2 prints
them (``data/raw/public_influence.csv``: the rank is the project's numbering of its rows), places each
printed level against OGP's minimum (the level the same table's note names: below it during
development a government acted contrary to the process) and computes each printed share
from its printed count, beside the printed percent.
"""

from __future__ import annotations

import pandas as pd

from ..clean import processed

#: The plan-cycle stages at which the tables print a level of public influence.
STAGES = ("development", "implementation")
#: Indicators of the tables' design and implementation sections, in the tables' order.
COUNTS = ("commitments", "relevant", "transformative", "potentially_starred", "starred",
          "completed", "major_diog", "outstanding_diog")


def _levels(raw: dict[str, pd.DataFrame]) -> tuple[dict[str, int], str]:
    """IAP2 rank of each level key (the project's numbering of table 3.2's printed rows) and
    the key of OGP's minimum."""
    p = raw["public_influence"]
    levels = p[p["row_type"] == "level"]
    ranks = dict(zip(levels["level"], levels["rank"].astype(int)))
    minimum = p.loc[p["row_type"] == "minimum", "level"]
    if len(set(minimum)) != 1:
        raise ValueError("data/raw/public_influence.csv: expected one minimum level, found "
                         f"{sorted(set(minimum))}")
    return ranks, str(minimum.iloc[0])


def summary(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every row of the summary tables with its page's address, title and listed year."""
    s = raw["irm_summary"]
    src = raw["sources"][["source_id", "url", "reference", "year"]].rename(
        columns={"year": "source_year"})
    out = s.merge(src, on="source_id", how="left", validate="many_to_one")
    out = out.rename(columns={"id": "raw_id"})
    out["value"] = out["value"].astype("Int64")
    out["source_year"] = out["source_year"].astype("Int64")
    cols = ["plan", "report_type", "period_as_printed", "source_id", "row_type", "stage", "indicator",
            "label_as_printed", "value_as_printed", "value", "printed_percent", "url",
            "source_year", "raw_id"]
    # per plan, the pages' lines in the order the tables print them (the raw file's order)
    return out.sort_values("plan", kind="stable")[cols].reset_index(drop=True)


def influence(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per plan, stage and page: the printed level, its IAP2 rank and the minimum.

    Plans and stages with no printed level get a row with ``status`` ``not_found`` (the
    page that was looked at, or none), never silence: plans 1-5 by both stages."""
    ranks, minimum = _levels(raw)
    s = raw["irm_summary"]
    printed = s[(s["indicator"] == "public_influence") & (s["row_type"] == "value")]
    rows = []
    for _, r in printed.iterrows():
        key = str(r["value_as_printed"]).strip().lower()
        if key not in ranks:
            raise ValueError(f"data/raw/irm_summary.csv, row {r['id']}: level "
                             f"{r['value_as_printed']!r} is not one of table 3.2's levels {sorted(ranks)}")
        rows.append({"plan": int(r["plan"]), "stage": r["stage"], "status": "printed",
                     "level": key, "level_printed": r["value_as_printed"], "rank": ranks[key],
                     "source_id": r["source_id"], "report_type": r["report_type"]})
    plans = sorted(set(raw["irm_summary"]["plan"].astype(int)))
    missing = s[s["row_type"].isin(["not_found", "not_printed"])]
    for plan in plans:
        for stage in STAGES:
            if any(x["plan"] == plan and x["stage"] == stage for x in rows):
                continue
            why = missing[missing["plan"] == plan]
            rows.append({"plan": plan, "stage": stage, "status": "not_found", "level": pd.NA,
                         "level_printed": pd.NA, "rank": pd.NA,
                         "source_id": "; ".join(why["source_id"]) or pd.NA,
                         "report_type": "; ".join(why["report_type"]) or pd.NA})
    out = pd.DataFrame(rows)
    out["rank"] = out["rank"].astype("Int64")
    out["level_minimum"] = minimum
    out["rank_minimum"] = ranks[minimum]
    out["meets_minimum"] = (out["rank"] >= ranks[minimum]).astype("boolean")
    out["levels_below_minimum"] = (ranks[minimum] - out["rank"]).clip(lower=0).astype("Int64")
    order = {s: i for i, s in enumerate(STAGES)}
    out = out.sort_values(["plan", "stage", "source_id"], kind="stable",
                          key=lambda c: c.map(order) if c.name == "stage" else c).reset_index(drop=True)
    return out[["plan", "stage", "status", "level", "level_printed", "rank", "level_minimum",
                "rank_minimum", "meets_minimum", "levels_below_minimum", "source_id", "report_type"]]


def forum(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The tables' answer to "Is there a multi-stakeholder forum?", per plan (as printed),
    and a row for each plan whose table was not found."""
    s = raw["irm_summary"]
    printed = s[(s["indicator"] == "forum") & (s["row_type"] == "value")]
    rows = [{"plan": int(r["plan"]), "status": "printed", "forum_printed": r["value_as_printed"],
             "forum": str(r["value_as_printed"]).strip().lower() == "yes",
             "source_id": r["source_id"], "report_type": r["report_type"]}
            for _, r in printed.iterrows()]
    for plan in sorted(set(s["plan"].astype(int)) - {x["plan"] for x in rows}):
        why = s[(s["plan"] == plan) & s["row_type"].isin(["not_found", "not_printed"])]
        rows.append({"plan": plan, "status": "not_found", "forum_printed": pd.NA, "forum": pd.NA,
                     "source_id": "; ".join(why["source_id"]) or pd.NA,
                     "report_type": "; ".join(why["report_type"]) or pd.NA})
    out = pd.DataFrame(rows)
    out["forum"] = out["forum"].astype("boolean")
    return out.sort_values(["plan", "source_id"], kind="stable").reset_index(drop=True)


def assessments(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Relevance, ambition and results per plan and report: each printed count, the share
    of the plan's printed number of commitments it is (computed), and the printed percent.

    ``agrees`` says whether the computed share, rounded to the printed precision (whole
    percent), equals the printed percent (empty where either is not printed)."""
    s = raw["irm_summary"]
    rows = s[(s["row_type"] == "value") & s["indicator"].isin(COUNTS)
             & s["source_id"].str.startswith("irm_")]
    totals = rows[rows["indicator"] == "commitments"].set_index("source_id")["value"]
    out = rows[["plan", "source_id", "report_type", "stage", "indicator", "label_as_printed",
                "value_as_printed", "value", "printed_percent"]].copy()
    out["of"] = out["source_id"].map(totals).astype("Int64")
    out["value"] = out["value"].astype("Int64")
    out.loc[out["indicator"] == "commitments", "of"] = pd.NA
    out["share"] = (out["value"].astype("Float64") / out["of"].astype("Float64"))
    # whole percent, half to even as the printed tables' arithmetic is checked elsewhere
    computed_pct = (out["share"] * 100).round(0)
    out["agrees"] = (computed_pct == out["printed_percent"].astype("Float64")).astype("boolean")
    order = {k: i for i, k in enumerate(COUNTS)}
    out = out.sort_values(["plan", "source_id", "indicator"],
                          key=lambda c: c.map(order) if c.name == "indicator" else c, kind="stable")
    return out.reset_index(drop=True)


def changes(inf: pd.DataFrame) -> list[dict]:
    """Consecutive printed levels at development, plan after plan: from, to and the step
    on the IAP2 ranks (positive: more public influence). Plans without a printed level are
    skipped and named in ``skipped``."""
    dev = inf[(inf["stage"] == "development") & (inf["status"] == "printed")]
    per_plan = dev.drop_duplicates("plan").set_index("plan")
    plans = list(per_plan.index)
    out = []
    for a, b in zip(plans, plans[1:]):
        out.append({"from_plan": int(a), "to_plan": int(b), "from_level": per_plan.at[a, "level"],
                    "to_level": per_plan.at[b, "level"],
                    "step": int(per_plan.at[b, "rank"]) - int(per_plan.at[a, "rank"])})
    return out


def _declare() -> None:
    """The processed tables notebook 07 writes (columns, types, descriptions)."""
    S, INT, N, B = "string", "integer", "number", "boolean"
    processed.register("irm_summary", (
        "The IRM's 'At a glance' tables per plan, line by line as printed, with each "
        "page's address and the year the member page lists it under; rows say where no "
        "table was found."), {
        "plan": (INT, "Action plan 1-5."),
        "report_type": (S, "design, implementation, results, action_plan_review, end_of_term or "
                            "member_page."),
        "period_as_printed": (S, "The plan's period as the page's title prints it."),
        "source_id": (S, "The web page (data/raw/sources.csv)."),
        "row_type": (S, "value (a printed line), not_found (no 'At a glance' table on the page found) "
                         "or not_printed (no such section in the table)."),
        "stage": (S, "development, design, implementation or none."),
        "indicator": (S, "What the line records."),
        "label_as_printed": (S, "The table's label as printed."),
        "value_as_printed": (S, "The value as printed."),
        "value": (INT, "The printed count, where one is printed."),
        "printed_percent": (N, "The printed percent, where one is printed."),
        "url": (S, "The page's address."),
        "source_year": (INT, "The year the member page lists the report under (empty where not listed)."),
        "raw_id": (S, "Row id in data/raw/irm_summary.csv."),
    })
    processed.register("influence_by_plan", (
        "Level of public influence per plan and stage as the IRM's tables print it, on "
        "the IAP2 ranks of table 3.2, against OGP's minimum; a row where no level was "
        "found."), {
        "plan": (INT, "Action plan 1-5."), "stage": (S, "development or implementation."),
        "status": (S, "printed, or not_found (no table with this stage was found)."),
        "level": (S, "IAP2 level key (inform, consult, involve, collaborate, empower)."),
        "level_printed": (S, "The level as printed."),
        "rank": (INT, "Its rank in the order table 3.2 prints the levels (the project's numbering: "
                         "1 no consultation ... 6 empower)."),
        "level_minimum": (S, "OGP's minimum during development (data/raw/public_influence.csv)."),
        "rank_minimum": (INT, "Its rank."),
        "meets_minimum": (B, "rank >= rank_minimum (empty where no level was found)."),
        "levels_below_minimum": (INT, "Ranks between the level and the minimum (0 when it meets it)."),
        "source_id": (S, "The page(s) the row comes from, or that were looked at."),
        "report_type": (S, "Their report type(s)."),
    })
    processed.register("forum_by_plan", (
        "The IRM tables' answer to 'Is there a multi-stakeholder forum?' (development of "
        "the plan), per plan and page; a row where no table was found."), {
        "plan": (INT, "Action plan 1-5."), "status": (S, "printed or not_found."),
        "forum_printed": (S, "The answer as printed."),
        "forum": (B, "True where the answer is Yes (empty where not found)."),
        "source_id": (S, "The page(s)."), "report_type": (S, "Their report type(s)."),
    })
    processed.register("assessments_by_plan", (
        "Relevance, ambition and results per plan and report, as the IRM's tables print "
        "them, each count as a share of the plan's printed number of commitments beside "
        "the printed percent."), {
        "plan": (INT, "Action plan."),
        "source_id": (S, "The page."),
        "report_type": (S, "design or implementation."),
        "stage": (S, "The table's section: none, design or implementation."),
        "indicator": (S, "What is counted."),
        "label_as_printed": (S, "The label as printed."), "value_as_printed": (S, "The value as printed."),
        "value": (INT, "The printed count (empty where only a percent or N/A is printed)."),
        "printed_percent": (N, "The printed percent."),
        "of": (INT, "The number of commitments the same table prints (empty on the count itself)."),
        "share": (N, "value / of, computed."),
        "agrees": (B, "True where the computed share, to a whole percent, equals the printed percent "
                      "(empty where either is missing)."),
    })


_declare()
