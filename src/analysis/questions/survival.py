"""What survived: from proposals at the thematic tables and regional workshops to the plan.

The stages are nested in one direction only: every commitment of the final plan passed
the national tables, but not every one came from the earlier proposal pool. The IRM
says that of the education commitments only one was born at the thematic tables, of the
health ones only one, and the government says the cross-cutting commitment was proposed
by its own secretariat at the national tables. Survival is therefore given as a range:
the lower bound counts the final commitments a document traces to the pool; the upper
bound counts every final commitment not known to come from outside it.
"""

from __future__ import annotations

import pandas as pd

from ..labels import slug
from .shares import interval

POOL_STAGES = ("thematic_table", "regional_workshop")
#: Why an origin "national_table" is derived where the document does not state it.
INFERRED_NATIONAL = ("inferred: the rest of the sector's commitments (of_total minus those born at the "
                     "thematic tables), which the IRM calls 'compromisos que no se habían discutido "
                     "previamente'; it does not say they were proposed at the national tables")
#: Why the not_stated share is derived.
REMAINDER = "remainder: final commitments to which the document assigns no origin"
SURVIVAL_COLUMNS = ["source_id", "theme", "n_proposed", "n_final", "n_final_from_pool_known",
                    "n_final_outside_pool_known", "survival_low", "survival_low_ci_low",
                    "survival_low_ci_high", "survival_high", "survival_high_ci_low",
                    "survival_high_ci_high", "ci_method", "confidence"]


def origins(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Final commitments by theme and origin, as each document states it."""
    irm = raw["commitments_irm2017"].set_index("irm_number")
    rows = []
    for r in raw["proposal_origins"].itertuples():
        if pd.notna(r.irm_number):
            theme = irm.loc[int(r.irm_number), "theme"]
            rows.append((r.source_id, theme, r.origin_stage, int(r.n_commitments), r.id))
        else:
            theme = slug(r.theme_printed)
            rows.append((r.source_id, theme, r.origin_stage, int(r.n_commitments), r.id))
            if pd.notna(r.of_total):
                # the rest of the sector's commitments: the IRM only says they had not been
                # discussed before (replaced at the national tables); reading them as born
                # there is an inference, flagged as derived
                rows.append((r.source_id, theme, "national_table",
                             int(r.of_total) - int(r.n_commitments), r.id, INFERRED_NATIONAL))
    rows = [row if len(row) == 6 else (*row, "") for row in rows]
    out = pd.DataFrame(rows, columns=["source_id", "theme", "origin", "n_commitments", "raw_id",
                                      "derivation"])
    out.insert(5, "derived", out["derivation"] != "")
    out["from_pool"] = out["origin"].isin(POOL_STAGES)
    return out


def origin_shares(raw: dict[str, pd.DataFrame], method: str = "wilson",
                  confidence: float = 0.95) -> pd.DataFrame:
    """Share of the final plan's commitments by stated origin, per document."""
    n_final = len(raw["commitments_irm2017"])
    o = origins(raw)
    rows = []
    for source, group in o.groupby("source_id"):
        stated = group.groupby("origin")["n_commitments"].sum()
        inferred = group[group["derived"]].groupby("origin")["n_commitments"].sum()
        for origin, k in list(stated.items()) + [("not_stated", n_final - int(stated.sum()))]:
            low, high = interval(int(k), n_final, method, confidence)
            if origin == "not_stated":
                why = REMAINDER
            elif int(inferred.get(origin, 0)) > 0:
                why = f"{int(inferred[origin])} of {int(k)} " + INFERRED_NATIONAL
            else:
                why = ""
            rows.append({"source_id": source, "origin": origin, "n_commitments": int(k),
                         "n_final": n_final, "share": int(k) / n_final, "ci_low": low,
                         "ci_high": high, "derived": why != "", "derivation": why})
    return pd.DataFrame(rows)


def survival(raw: dict[str, pd.DataFrame], method: str = "wilson",
             confidence: float = 0.95) -> pd.DataFrame:
    """Survival from the proposal pool to the final plan, overall and by theme, per account."""
    props = raw["proposals"]
    pool = props[(props["stage"].isin(POOL_STAGES)) & (props["row_type"] == "value")
                 & (props["source_id"] == "pcm2018")]
    proposed = pool.assign(theme=pool["theme_printed"].map(slug)).groupby("theme")["count"].sum()
    final = raw["commitments_irm2017"].groupby("theme").size()
    o = origins(raw)
    themes = sorted(set(proposed.index) | set(final.index))
    rows = []
    for source in sorted(o["source_id"].unique()):
        mine = o[o["source_id"] == source]
        inside = mine[mine["from_pool"]].groupby("theme")["n_commitments"].sum()
        outside = mine[~mine["from_pool"]].groupby("theme")["n_commitments"].sum()
        for theme in themes + ["total"]:
            def pick(series: pd.Series, theme: str = theme) -> int:
                return int(series.sum()) if theme == "total" else int(series.get(theme, 0))

            n_prop, n_fin = pick(proposed), pick(final)
            k_in, k_out = pick(inside), pick(outside)
            row = {"source_id": source, "theme": theme, "n_proposed": n_prop, "n_final": n_fin,
                   "n_final_from_pool_known": k_in, "n_final_outside_pool_known": k_out}
            high = min(n_fin - k_out, n_prop)
            for label, k in (("low", k_in), ("high", high)):
                if n_prop > 0:
                    lo, hi = interval(k, n_prop, method, confidence)
                    row.update({f"survival_{label}": k / n_prop, f"survival_{label}_ci_low": lo,
                                f"survival_{label}_ci_high": hi})
                else:
                    row.update({f"survival_{label}": None, f"survival_{label}_ci_low": None,
                                f"survival_{label}_ci_high": None})
            row.update({"ci_method": method, "confidence": confidence})
            rows.append(row)
    out = pd.DataFrame(rows)[SURVIVAL_COLUMNS]
    for col in [c for c in SURVIVAL_COLUMNS if c.startswith("survival")]:
        out[col] = out[col].astype("Float64")
    return out


def stage_counts(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The funnel's printed totals per stage and document (the pool is the first two stages)."""
    props = raw["proposals"]
    totals = props[props["row_type"] == "total"]
    return totals[["source_id", "stage", "count", "id"]].reset_index(drop=True)


def discarded(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    d = raw["discarded_proposals"]
    return d[["stage_dropped", "theme_printed", "proposal_as_printed", "id"]].reset_index(drop=True)
