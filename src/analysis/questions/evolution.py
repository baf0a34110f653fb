"""How commitments evolved across the four plans.

Counts come from the OGP list (the only source covering all four plans), shown beside
the counts each document states. OGP values are only assessed for the third plan (by
the IRM, pre-2020 regime) and principles only listed for the fourth (by SPDA): they are
different instruments and are shown side by side, never pooled.
"""

from __future__ import annotations

import pandas as pd

from ..labels import slug

#: SPDA's themes of the fourth plan mapped onto the 2017 thematic axes, where one exists.
THEME_FAMILY = {"ambiente_e_industrias_extractivas": "ambiente"}


def per_plan(com: pd.DataFrame, plans: pd.DataFrame) -> pd.DataFrame:
    """Commitments per plan: counted in the OGP list, and as each source states it."""
    counted = com.groupby("plan").size().rename("n_ogp_list")
    out = plans[["plan", "canonical_label", "n_commitments_stated"]].set_index("plan").join(counted)
    return out.reset_index()


def stated_counts(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every count of commitments a source states, one row each (for the figure)."""
    p = raw["plans"].dropna(subset=["n_commitments"])
    return p[["plan", "source_id", "n_commitments", "locator"]].drop_duplicates(
        ["plan", "source_id", "n_commitments"]).reset_index(drop=True)


def policy_areas(com: pd.DataFrame) -> pd.DataFrame:
    """Commitments per policy area (rows) and plan (columns), missing area kept explicit."""
    table = pd.crosstab(com["policy_area"], com["plan"])
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    table.columns.name = "plan"
    return table


def recurring_policy_areas(com: pd.DataFrame, min_plans: int | None = None) -> pd.DataFrame:
    """Policy areas and the plans they appear in, most recurrent first."""
    plans_per_area = com.groupby("policy_area")["plan"].agg(lambda s: sorted(set(s)))
    out = pd.DataFrame({"plans": plans_per_area.map(lambda p: ", ".join(map(str, p))),
                        "n_plans": plans_per_area.map(len),
                        "n_commitments": com.groupby("policy_area").size()})
    out = out.sort_values(["n_plans", "n_commitments"], ascending=False, kind="stable")
    if min_plans is not None:
        out = out[out["n_plans"] >= min_plans]
    return out


def recurring_themes(com: pd.DataFrame) -> pd.DataFrame:
    """Themes of the third and fourth plans (the two with themes) and whether they recur."""
    themed = com.dropna(subset=["theme"]).assign(
        family=lambda d: d["theme"].map(lambda t: THEME_FAMILY.get(slug(t), slug(t))))
    table = pd.crosstab(themed["family"], themed["plan"])
    table["recurs"] = (table > 0).all(axis=1)
    return table.sort_values(["recurs"] + list(table.columns[:-1]), ascending=False, kind="stable")


def values_over_time(com: pd.DataFrame) -> pd.DataFrame:
    """Share of each plan's commitments tied to each value or principle, with its instrument."""
    rows = []
    irm = com[com["plan"] == 3]
    for col in [c for c in com.columns if c.startswith("irm_") and com[c].dtype == "boolean"
                and c != "irm_verifiable"]:
        rows.append({"plan": 3, "instrument": "IRM relevance (pre-2020)", "value": col[4:],
                     "n": int(irm[col].sum()), "of": len(irm)})
    p4 = com[com["plan"] == 4]
    for col in [c for c in com.columns if c.startswith("principle_")]:
        rows.append({"plan": 4, "instrument": "SPDA related principles", "value": col[10:],
                     "n": int(p4[col].sum()), "of": len(p4)})
    out = pd.DataFrame(rows)
    out["share"] = out["n"] / out["of"]
    return out


def irm_assessments(com: pd.DataFrame) -> dict[str, pd.Series]:
    """The IRM's 2017-2019 design assessments, counted."""
    irm = com[com["plan"] == 3]
    from ..clean.commitments import IMPACT_ORDER, IRM_VALUES

    impact = irm["irm_potential_impact"].value_counts().reindex(IMPACT_ORDER, fill_value=0)
    relevance = pd.Series({v: int(irm[f"irm_{v}"].sum()) for v in IRM_VALUES})
    any_value = irm[[f"irm_{v}" for v in IRM_VALUES]].any(axis=1)
    return {"impact": impact, "relevance": relevance,
            "verifiable": pd.Series({"yes": int(irm["irm_verifiable"].sum()),
                                     "no": int((~irm["irm_verifiable"]).sum())}),
            "relevant_any": pd.Series({"yes": int(any_value.sum()), "no": int((~any_value).sum())})}


def policy_area_table(com: pd.DataFrame) -> pd.DataFrame:
    """``policy_areas`` as a flat table (``policy_areas_by_plan.csv``)."""
    table = policy_areas(com)
    out = pd.DataFrame({"policy_area": table.index})
    for plan in sorted(com["plan"].unique()):
        out[f"plan_{plan}"] = table[plan].to_numpy() if plan in table.columns else 0
    out["n_plans"] = (table > 0).sum(axis=1).to_numpy()
    return out
