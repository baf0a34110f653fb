"""Facts for the sentence after each notebook figure: what the figure shows, computed from the
same tables the figure draws (the words are in ``templates/notebooks/<notebook>.yaml``).

Every function returns plain values (keys of the vocabulary, counts, shares) that the
templates format with ``name``, ``num`` and ``pct``; nothing here is language-specific.
"""

from __future__ import annotations

import pandas as pd

from .. import labels


def _rows(df: pd.DataFrame, **columns) -> list[dict]:
    return [{k: getattr(r, v) for k, v in columns.items()} for r in df.itertuples()]


def shares_by_stage(stage_shares: pd.DataFrame, other_as: str) -> dict:
    """Each account's civil-society share at each single-event stage, in process order."""
    s = stage_shares[(stage_shares["other_as"] == other_as) & stage_shares["stage"].isin(labels.STAGES)]
    order = {stage: i for i, stage in enumerate(labels.STAGES)}
    s = s.assign(_o=s["stage"].map(order)).sort_values(["source_id", "_o"])
    # k after the treatment of "other", like n: counted as civil society, they join k
    s = s.assign(k_treated=s["n_civil_society"] + (s["n_other"] if other_as == "civil_society" else 0))
    accounts = [{"source": src, "rows": _rows(g, stage="stage", share="share_civil_society",
                                               k="k_treated", n="n")}
                for src, g in s.groupby("source_id", sort=False)]
    return {"accounts": accounts, "below": int((s["share_civil_society"] < 0.5).sum()), "points": len(s)}


def shares_by_event(by_event: pd.DataFrame) -> dict:
    s = by_event.dropna(subset=["share_civil_society"]).sort_values(["share_civil_society", "event"])
    return {"events": len(s), "below": int((s["share_civil_society"] < 0.5).sum()),
            "lowest": _rows(s.head(1), event="event", source="source_id",
                            share="share_civil_society")[0],
            "highest": _rows(s.tail(1), event="event", source="source_id",
                             share="share_civil_society")[0]}


def shares_sensitivity(stage_shares: pd.DataFrame, source_id: str) -> dict:
    s = stage_shares[(stage_shares["source_id"] == source_id) & stage_shares["stage"].isin(labels.STAGES)]
    order = {stage: i for i, stage in enumerate(labels.STAGES)}
    g = s.groupby("stage")["share_civil_society"].agg(["min", "max"]).reset_index()
    g = g.assign(_o=g["stage"].map(order)).sort_values("_o")
    rows = _rows(g, stage="stage", low="min", high="max")
    return {"source": source_id, "rows": rows,
            "widest": max(rows, key=lambda r: (r["high"] - r["low"], -order[r["stage"]]))}


def funnel(counts: pd.DataFrame) -> dict:
    order = {stage: i for i, stage in enumerate(labels.STAGE_ORDER + ["final_plan"])}
    c = counts.assign(_o=counts["stage"].map(order)).sort_values(["_o", "source_id"])
    return {"rows": _rows(c, stage="stage", source="source_id", count="count")}


def survival_by_theme(surv: pd.DataFrame, source_id: str) -> dict:
    s = surv[(surv["source_id"] == source_id)]
    total = s[s["theme"] == "total"].iloc[0]
    themes = s[(s["theme"] != "total") & s["survival_low"].notna()]
    widest = themes.assign(_w=themes["survival_high"] - themes["survival_low"]).sort_values(
        ["_w", "theme"], ascending=[False, True]).iloc[0]
    return {"source": source_id, "low": float(total["survival_low"]), "high": float(total["survival_high"]),
            "n_proposed": int(total["n_proposed"]), "widest": widest["theme"],
            "widest_low": float(widest["survival_low"]), "widest_high": float(widest["survival_high"])}


def commitments_per_plan(per_plan: pd.DataFrame) -> dict:
    return {"rows": _rows(per_plan, plan="plan", n="n_ogp_list")}


def policy_areas(areas: pd.DataFrame) -> dict:
    every = areas[areas["n_plans"] == areas["n_plans"].max()]
    return {"areas": len(areas), "n_plans": int(areas["n_plans"].max()),
            "every": sorted(every["policy_area"])}


def origins(origin_shares: pd.DataFrame) -> dict:
    """Per account, how many final commitments came from each origin (not stated last)."""
    accounts = []
    for src, g in origin_shares.groupby("source_id", sort=False):
        g = g.assign(_last=g["origin"] == "not_stated").sort_values(["_last"], kind="stable")
        accounts.append({"source": src, "n_final": int(g["n_final"].iloc[0]),
                         "rows": _rows(g, origin="origin", n="n_commitments")})
    return {"accounts": accounts}


def commitments_stated(per_plan: pd.DataFrame, stated: pd.DataFrame) -> dict:
    listed = dict(zip(per_plan["plan"], per_plan["n_ogp_list"]))
    differ = int(sum(int(r.n_commitments) != int(listed.get(r.plan, -1)) for r in stated.itertuples()))
    return {"rows": _rows(per_plan, plan="plan", n="n_ogp_list"), "differ": differ}


def values(values_by_plan: pd.DataFrame) -> dict:
    top = (values_by_plan.sort_values(["plan", "n", "value"], ascending=[True, False, True])
           .groupby("plan").head(1))
    return {"rows": [{**r, "instrument": labels.slug(r["instrument"])}
                     for r in _rows(top, plan="plan", instrument="instrument", value="value", share="share",
                                    n="n", of="of")]}


def themes(recurring: pd.DataFrame) -> dict:
    return {"themes": len(recurring), "both": [str(t) for t in recurring.index[recurring["recurs"]]]}


def irm_assessment(assess: dict) -> dict:
    impact = assess["impact"]
    return {"total": int(impact.sum()),
            "impact": [{"level": str(level), "n": int(n)} for level, n in impact.items()]}


def bodies_parity(seats: pd.DataFrame) -> dict:
    rows = [{**r, "body": labels.slug(r["body"])} for r in
            _rows(seats, body="body", source="source_id", state="state", non_state="non_state")]
    return {"rows": rows, "at_parity": int(seats["at_parity"].astype(bool).sum())}


def scorecard(card: pd.DataFrame) -> dict:
    by_colour = card[card["section"] == "all"].set_index("colour")["n_standards"]
    return {"total": int(by_colour.sum()),
            "colours": [{"colour": c, "n": int(by_colour.get(c, 0))} for c in ("green", "amber", "red")]}


def timeline(stages: pd.DataFrame) -> dict:
    """Per account, the days from the schedule's publication to the closing event and to the
    plan's approval."""
    rows = []
    for src, g in stages.groupby("source_id", sort=False):
        days = dict(zip(g["milestone"], g["days_from_schedule_to_end"]))
        if "approval" in days and "closing_event" in days:
            rows.append({"source": src, "closing": int(days["closing_event"]),
                         "approval": int(days["approval"])})
    return {"rows": rows}


def discrepancies(disc: pd.DataFrame) -> dict:
    """Per event both accounts' counts (by actor), and the stage totals, from the table of
    discrepancies (notebook 01)."""
    def count(value):
        return None if pd.isna(value) else int(value)

    def at(get: pd.DataFrame, actor: str, column: str):
        return count(get.loc[actor, column]) if actor in get.index else None

    events = []
    for row in disc[(disc["level"] == "event") & (disc["actor"] == "total")].itertuples():
        get = disc[(disc["event"] == row.event) & (disc["stage"] == row.stage)].set_index("actor")
        events.append({
            "event": row.event, "stage": row.stage, "pcm": count(row.count_pcm2018),
            "irm": count(row.count_irm2019), "date_pcm": row.date_pcm2018, "date_irm": row.date_irm2019,
            "pcm_state": at(get, "state", "count_pcm2018"),
            "pcm_civil": at(get, "civil_society", "count_pcm2018"),
            "irm_state": at(get, "state", "count_irm2019"),
            "irm_civil": at(get, "civil_society", "count_irm2019"),
            "irm_other": at(get, "other", "count_irm2019"),
            "flips": bool(row.majority_flips) if pd.notna(row.majority_flips) else False,
            "majority_pcm": row.majority_pcm2018, "majority_irm": row.majority_irm2019})
    stages = [{"stage": r.stage, "pcm": count(r.count_pcm2018), "irm": count(r.count_irm2019)}
              for r in disc[(disc["level"] == "stage") & (disc["actor"] == "total")].itertuples()]
    return {"events": events, "stages": stages}


def dropped(discarded: pd.DataFrame) -> dict:
    """How many proposals the IRM names as dropped, and how many appear in both of its lists."""
    named = len(discarded)
    distinct = int(discarded["proposal_as_printed"].nunique())
    return {"named": named, "distinct": distinct, "in_both": named - distinct}
