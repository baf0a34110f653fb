"""Attendance of the 2017 co-creation: tidy event-level rows, discrepancies, reconciliation.

Printed labels are mapped to four actors. The government's systematization counts
companies and international cooperation as civil society (kept as subtypes); the IRM
keeps an ``other`` column, mostly GIZ facilitating consultants. Printed totals stay in
``data/raw`` for checks and do not enter the event-level table, except a total that has
no printed parts (the 312 persons overall), which enters as ``unspecified``.
"""

from __future__ import annotations

import pandas as pd

from .. import parameters
from ..labels import STAGE_ORDER, slug

ACTORS = ["state", "civil_society", "other", "unspecified"]
OTHER_TREATMENTS = list(parameters.OTHER_TREATMENTS)
ACCOUNTS = list(parameters.ACCOUNTS)

#: printed label -> (actor, civil-society subtype as the document classifies it)
ACTOR_LABELS: dict[str, tuple[str, str | None]] = {
    "Estado": ("state", None),
    "Sector publico": ("state", None),
    "Entidades publicas": ("state", None),
    "Sociedad civil": ("civil_society", None),
    "Organizacion de la Sociedad Civil": ("civil_society", None),
    "Organizaciones de la sociedad civil": ("civil_society", None),
    "Academia": ("civil_society", "academia"),
    "ONG": ("civil_society", "ngo"),
    "Empresa privada": ("civil_society", "private_sector"),
    "Cooperacion internacional": ("civil_society", "international_cooperation"),
    "Otros": ("other", None),
    "representantes de las organizaciones de la sociedad civil y de las entidades publicas":
        ("unspecified", None),
}

#: A printed row replaced by its printed breakdown in another table (no double counting):
#: Cuadro 1's 124 civil-society organisations are Cuadro 2's four subtypes.
BROKEN_DOWN = {"pcm2018-c1-osc": "Cuadro 2"}

COLUMNS = ["source_id", "plan", "stage", "event", "event_label", "actor", "civil_society_subtype",
           "unit", "count", "date_as_printed", "raw_id"]


def tidy(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Event-level attendance: one row per source, event, actor (and subtype) and unit."""
    att = raw["attendance"]
    unknown = sorted(set(att.loc[att["actor_printed"] != "Total", "actor_printed"]) - set(ACTOR_LABELS))
    if unknown:
        raise ValueError(f"data/raw/attendance.csv: unknown actor label(s) {unknown}; "
                         "add them to analysis.clean.attendance.ACTOR_LABELS")
    parts = att[(att["row_type"] == "value") & (att["event"] != "Total")
                & (att["actor_printed"] != "Total") & ~att["id"].isin(list(BROKEN_DOWN))]
    tables_with_parts = set(parts["table"])
    lone_totals = att[(att["row_type"] == "total") & ~att["table"].isin(tables_with_parts)]
    rows = pd.concat([parts, lone_totals])
    actor = rows["actor_printed"].map(lambda a: ACTOR_LABELS.get(a, ("unspecified", None))[0])
    subtype = rows["actor_printed"].map(lambda a: ACTOR_LABELS.get(a, (None, None))[1])
    out = pd.DataFrame({
        "source_id": rows["source_id"], "plan": rows["plan"], "stage": rows["stage"],
        "event": rows["event"].map(slug), "event_label": rows["event"], "actor": actor,
        "civil_society_subtype": subtype.astype("string"), "unit": rows["unit"],
        "count": rows["count"].astype("Int64"), "date_as_printed": rows["date_as_printed"],
        "raw_id": rows["id"],
    })
    stage_order = {s: i for i, s in enumerate(STAGE_ORDER)}
    out = out.assign(_s=out["stage"].map(stage_order), _a=out["actor"].map(ACTORS.index))
    out = out.sort_values(["source_id", "_s", "event", "unit", "_a", "raw_id"], kind="stable")
    return out.drop(columns=["_s", "_a"]).reset_index(drop=True)[COLUMNS]


def apply_other(att: pd.DataFrame, other_as: str) -> pd.DataFrame:
    """Re-label the IRM's ``other`` participants: drop them, or count them as state or civil society."""
    if other_as not in OTHER_TREATMENTS:
        raise ValueError(f"other_as must be one of {OTHER_TREATMENTS}, got {other_as!r}")
    if other_as == "exclude":
        return att[att["actor"] != "other"].reset_index(drop=True)
    return att.assign(actor=att["actor"].replace({"other": other_as}))


def by_actor(att: pd.DataFrame, index: list[str]) -> pd.DataFrame:
    """Counts pivoted to one column per actor (missing actors are 0)."""
    wide = att.pivot_table(index=index, columns="actor", values="count", aggfunc="sum",
                           observed=True).reindex(columns=ACTORS).fillna(0).astype(int)
    wide.columns.name = None
    return wide


#: Why a stage row is derived: the IRM prints no stage total (data/processed/printed_checks
#: compares the government's sums with the totals its Cuadro 3 prints).
STAGE_SUM = ("sum of the events both accounts count; the IRM prints no total for the stage, so its "
             "count is derived (the government's equals the total its table prints)")


def discrepancies(att: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Every event both accounts report, side by side per actor, with the difference.

    An event counts as reported by an account when the account counts it or dates it
    (the IRM dates the closing breakfast but gives no count). A category an account does
    not use (the government has no "other") is missing, not zero. Per stage that both
    accounts count event by event, a ``stage`` row sums the shared events. ``majority_*``
    is the larger of state and civil society in that account; ``majority_flips`` says
    whether the two accounts disagree on it.
    """
    persons = att[att["unit"] == "persons"].assign(event=att["event"].map(slug))
    counts = persons.groupby(["stage", "event", "source_id", "actor"])["count"].sum()
    dated = events.assign(event=events["event"].map(slug))
    dates = {**{(r.stage, r.event, r.source_id): r.date_as_printed for r in dated.itertuples()},
             **{(r.stage, r.event, r.source_id): r.date_as_printed
                for r in persons.dropna(subset=["date_as_printed"]).itertuples()}}
    reported = {(s, e, src) for s, e, src, _ in counts.index} | set(dates)
    shared = sorted({(s, e) for s, e, src in reported
                     if (s, e, "pcm2018") in reported and (s, e, "irm2019") in reported})
    rows = []

    def account(stage, events_, source):
        got = {a: sum(int(counts[(stage, e, source, a)]) for e in events_)
               for a in ACTORS if all((stage, e, source, a) in counts.index for e in events_)}
        return got or None

    def emit(stage, event, level, pcm, irm):
        for actor in ACTORS + ["total"]:
            a = _get(pcm, actor)
            b = _get(irm, actor)
            if a is None and b is None:
                continue
            rows.append({"stage": stage, "event": event, "level": level, "actor": actor,
                         "count_pcm2018": a, "count_irm2019": b,
                         "difference_irm_minus_pcm": b - a if a is not None and b is not None else None,
                         "majority_pcm2018": _majority(pcm), "majority_irm2019": _majority(irm),
                         "date_pcm2018": dates.get((stage, event, "pcm2018")),
                         "date_irm2019": dates.get((stage, event, "irm2019"))})

    for stage, event in shared:
        emit(stage, event, "event", account(stage, [event], "pcm2018"),
             account(stage, [event], "irm2019"))
    for stage in dict.fromkeys(s for s, _ in shared):
        counted = [e for s, e in shared if s == stage
                   and account(s, [e], "pcm2018") and account(s, [e], "irm2019")]
        if len(counted) > 1:
            emit(stage, "all_events", "stage", account(stage, counted, "pcm2018"),
                 account(stage, counted, "irm2019"))
    out = pd.DataFrame(rows)
    flips = (out["majority_pcm2018"] != out["majority_irm2019"])
    known = out["majority_pcm2018"].notna() & out["majority_irm2019"].notna()
    out["majority_flips"] = pd.array(flips.where(known, None), dtype="boolean")
    out["derived"] = out["level"] == "stage"
    out["derivation"] = out["derived"].map({True: STAGE_SUM, False: ""})
    for col in ["count_pcm2018", "count_irm2019", "difference_irm_minus_pcm"]:
        out[col] = out[col].astype("Int64")
    return out


def _get(counts: dict | None, actor: str) -> int | None:
    if counts is None:
        return None
    if actor == "total":
        return sum(counts.values())
    return counts.get(actor)


def _majority(counts: dict | None) -> str | None:
    if counts is None or "state" not in counts or "civil_society" not in counts:
        return None
    if counts["state"] == counts["civil_society"]:
        return "tie"
    return "state" if counts["state"] > counts["civil_society"] else "civil_society"


def reconcile(att: pd.DataFrame, account: str, other_as: str) -> pd.DataFrame:
    """The chosen account's attendance, with the treatment of ``other`` applied.

    Only the chosen account's rows are kept: a stage or event it does not report stays
    absent (``coverage`` says which), and the other account is never substituted.
    ``account='both'`` keeps both accounts (a ``source_id`` column tells them apart).
    """
    if account not in ACCOUNTS + ["both"]:
        raise ValueError(f"account must be one of {ACCOUNTS + ['both']}, got {account!r}")
    att = apply_other(att, other_as)
    if account == "both":
        return att.reset_index(drop=True)
    return att[att["source_id"] == account].reset_index(drop=True)


def coverage(att: pd.DataFrame) -> pd.DataFrame:
    """Which account reports which stage, and in which unit (persons or organisations)."""
    known = att[att["actor"] != "unspecified"]
    rows = []
    for account in ACCOUNTS:
        for stage in STAGE_ORDER:
            units = sorted(set(known.loc[(known["source_id"] == account)
                                         & (known["stage"] == stage), "unit"]))
            rows.append({"account": account, "stage": stage, "reported": bool(units),
                         "units": ", ".join(units)})
    return pd.DataFrame(rows)


def label_table() -> pd.DataFrame:
    """The mapping from printed labels to actors, for display."""
    return pd.DataFrame([{"printed label": k, "actor": a, "civil-society subtype": s or ""}
                         for k, (a, s) in ACTOR_LABELS.items()])


def overview(att: pd.DataFrame) -> pd.DataFrame:
    """Counts per account, stage and unit, one column per actor."""
    return by_actor(att, ["source_id", "stage", "unit"])
