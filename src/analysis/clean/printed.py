"""Printed shares and totals, reproduced from the rows (issue 22, item 4).

Where a document prints a share or a total, ``printed_checks`` holds the printed value
beside the value computed from the rows of ``data/raw`` it summarises, the precision the
document prints (decimals, read from the printing itself) and whether the two agree at
that precision (half away from zero, as a table rounds). Ratios that no document prints
(the funnel's stage-to-stage ratios, the growth from plan III to plan IV, the NGO share of
all organisations) are computed beside them and flagged ``derived``, with the reason.

A printed value that disagrees with its rows is kept, not corrected: the register of
disagreements says why (e.g. the government's 17 commitments against the 18 listed).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from . import processed

COLUMNS = ["check_id", "source_id", "locator", "quantity", "unit", "printed_as", "printed_value",
           "decimals_printed", "numerator", "denominator", "computed_value",
           "computed_at_printed_precision", "agrees", "derived", "derivation", "raw_ids"]

NOT_PRINTED = "not printed: computed from printed counts"


def _printed_text(value_locator: str, percent: bool) -> str:
    """The value as printed, from the row's value_locator: the bracket before '%' for a
    share, else the first bracket."""
    pattern = r"\[([^\]:]+:)?([^\]]+)\]\s*%" if percent else r"\[([^\]:]+:)?([^\]]+)\]"
    found = re.search(pattern, value_locator)
    if found is None:
        raise ValueError(f"no printed value in value_locator {value_locator!r}")
    return found.group(2)


def _decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if re.fullmatch(r"\d+\.\d+", text) else 0


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _share(check_id, row, quantity, num, den, raw_ids) -> dict:
    text = _printed_text(row["value_locator"], percent=True)
    decimals = _decimals(text)
    exact = Decimal(int(num)) * 100 / Decimal(int(den))
    at_precision = _round(exact, decimals)
    return {"check_id": check_id, "source_id": row["source_id"], "locator": row["locator"],
            "quantity": quantity, "unit": "percent", "printed_as": f"{text}%",
            "printed_value": float(text), "decimals_printed": decimals, "numerator": int(num),
            "denominator": int(den), "computed_value": float(exact),
            "computed_at_printed_precision": float(at_precision),
            "agrees": at_precision == Decimal(text), "derived": False, "derivation": "",
            "raw_ids": raw_ids}


def _total(check_id, row, quantity, computed, raw_ids, value_field="count") -> dict:
    text = _printed_text(row["value_locator"], percent=False)
    printed = int(row[value_field])
    return {"check_id": check_id, "source_id": row["source_id"], "locator": row["locator"],
            "quantity": quantity, "unit": "count", "printed_as": text,
            "printed_value": float(printed), "decimals_printed": 0, "numerator": int(computed),
            "denominator": None, "computed_value": float(computed),
            "computed_at_printed_precision": float(computed), "agrees": int(computed) == printed,
            "derived": False, "derivation": "", "raw_ids": raw_ids}


def _derived(check_id, source_id, locator, quantity, unit, num, den, how, raw_ids) -> dict:
    exact = Decimal(int(num)) * (100 if unit == "percent" else 1) / Decimal(int(den))
    return {"check_id": check_id, "source_id": source_id, "locator": locator,
            "quantity": quantity, "unit": unit, "printed_as": "", "printed_value": None,
            "decimals_printed": None, "numerator": int(num), "denominator": int(den),
            "computed_value": float(exact), "computed_at_printed_precision": None,
            "agrees": None, "derived": True, "derivation": f"{NOT_PRINTED} ({how})",
            "raw_ids": raw_ids}


def _ids(frame: pd.DataFrame) -> str:
    return "; ".join(frame["id"])


def printed_checks(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Each printed share or total beside its value computed from the rows (see module)."""
    att = raw["attendance"]
    by_id = att.set_index("id")
    rows = []

    # the government's Cuadros 1-3 and the prose that restates them: shares from the value rows
    def cells(table: str, unit: str = "organisations") -> pd.DataFrame:
        return att[(att["source_id"] == "pcm2018") & (att["table"] == table)
                   & (att["row_type"] == "value") & (att["unit"] == unit)]

    c1, c2 = cells("Cuadro 1"), cells("Cuadro 2")
    c3 = cells("Cuadro 3", "persons")
    c1_cs = c1[c1["actor_printed"] == "Organizaciones de la sociedad civil"]
    for rid, quantity in [("pcm2018-c1-osc", "civil-society organisations, share of all organisations"),
                          ("pcm2018-c1-public", "public entities, share of all organisations")]:
        part = c1[c1["id"] == rid]
        rows.append(_share(f"cuadro1-{rid.rsplit('-', 1)[1]}", by_id.loc[rid],
                           quantity, part["count"].sum(), c1["count"].sum(), _ids(c1)))
    rows.append(_share("overall-civil-society-in-words", by_id.loc["pcm2018-overall-orgs-prose"]
                      ,
                       "civil society's share in words ('70% de la participacion'), reproduced as a "
                       "share of organisations (Cuadro 1); no count of persons by sector is printed",
                       c1_cs["count"].sum(), c1["count"].sum(), _ids(c1)))
    for rid in ["pcm2018-c2-academia", "pcm2018-c2-coop", "pcm2018-c2-empresa", "pcm2018-c2-ong"]:
        part = c2[c2["id"] == rid]
        label = by_id.loc[rid, "actor_printed"]
        rows.append(_share(f"cuadro2-{rid.rsplit('-', 1)[1]}", by_id.loc[rid],
                           f"{label}, share of civil-society organisations", part["count"].sum(),
                           c2["count"].sum(), _ids(c2)))
    ngo = c2[c2["id"] == "pcm2018-c2-ong"]
    rows.append(_derived("cuadro2-ong-of-all-organisations", "pcm2018", "VI.B.2, Cuadros 1 and 2",
                         "ONG, share of all organisations (civil society and public entities)",
                         "percent", ngo["count"].sum(), c1["count"].sum(),
                         "ONG in Cuadro 2 over all organisations in Cuadro 1", _ids(ngo) + "; " + _ids(c1)))
    c3_cs = c3[c3["actor_printed"] == "Organizacion de la Sociedad Civil"]
    c3_state = c3[c3["actor_printed"] == "Sector publico"]
    for rid, part, quantity in [
            ("pcm2018-c3-total-public", c3_state, "public sector, share of regional-workshop participants"),
            ("pcm2018-c3-total-osc", c3_cs, "civil society, share of regional-workshop participants"),
            ("pcm2018-regional-prose", c3_cs,
             "civil society, share of regional-workshop participants, in words ('57%')")]:
        rows.append(_share(f"cuadro3-{rid.split('-', 1)[1]}", by_id.loc[rid],
                           quantity, part["count"].sum(), c3["count"].sum(), _ids(c3)))

    # printed totals of the same tables, against the sum of their value rows
    for rid, part, quantity in [
            ("pcm2018-c1-total", c1, "organisations, total of Cuadro 1"),
            ("pcm2018-c2-total", c2, "civil-society organisations, total of Cuadro 2"),
            ("pcm2018-c3-total-total", c3, "regional-workshop participants, total of Cuadro 3"),
            ("pcm2018-regional-prose", c3, "regional-workshop participants in words ('145 personas')")]:
        rows.append(_total(f"total-{rid.split('-', 1)[1]}", by_id.loc[rid],
                           quantity, part["count"].sum(), _ids(part)))

    # the IRM's at-a-glance table against its commitment-by-commitment assessments
    irm = raw["commitments_irm2017"]
    values = ["access_to_information", "civic_participation", "public_accountability",
              "technology_innovation"]
    counted = {"relevant_to_ogp_values": int(irm[values].any(axis=1).sum()),
               "transformative": int((irm["potential_impact"] == "transformative").sum()),
               "commitments": len(irm)}
    totals = raw["assessment_totals"]
    for r in totals[(totals["source_id"] == "irm2019") & totals["indicator"].isin(counted)].itertuples():
        row = pd.Series(r._asdict())
        what = r.indicator.replace("_", " ")
        rows.append(_total(f"irm-{r.indicator}", row, f"{what}, IRM table 1", counted[r.indicator],
                           "commitments_irm2017", value_field="value"))
        if pd.notna(r.printed_percent):
            rows.append(_share(f"irm-{r.indicator}-share", row, f"{what}, share of the 18 commitments",
                               counted[r.indicator], len(irm), "commitments_irm2017"))

    # the funnel: printed totals against their themes, the final plan against the list
    props = raw["proposals"]
    for rid in ["pcm2018-mt-total", "pcm2018-tr-total"]:
        head = props.set_index("id").loc[rid]
        parts = props[(props["source_id"] == "pcm2018") & (props["stage"] == head["stage"])
                      & (props["row_type"] == "value")]
        rows.append(_total(f"funnel-{head['stage']}", head, f"proposals at the "
                           f"{head['stage'].replace('_', ' ')}s, sum of the themes printed",
                           parts["count"].sum(), _ids(parts)))
    for rid in ["irm2019-final", "pcm2018-final-intro", "pcm2018-final-b7"]:
        head = props.set_index("id").loc[rid]
        rows.append(_total(f"final-plan-{rid}", head, "commitments of the final plan, against the "
                           "commitments the IRM assesses one by one (a mismatch is in the register)",
                           len(irm), "commitments_irm2017"))
    stage_total = {st: int(props[(props["id"] == rid)]["count"].iloc[0]) for st, rid in
                   [("thematic_table", "pcm2018-mt-total"), ("regional_workshop", "pcm2018-tr-total"),
                    ("national_table", "pcm2018-mn-total")]}
    pool = stage_total["thematic_table"] + stage_total["regional_workshop"]
    ids = "pcm2018-mt-total; pcm2018-tr-total; pcm2018-mn-total; commitments_irm2017"
    for check_id, quantity, num, den, how in [
            ("funnel-national-of-pool", "proposals at the national tables per proposal of the thematic "
             "tables and regional workshops", stage_total["national_table"], pool, "26 / (18 + 11)"),
            ("funnel-final-of-national", "final commitments per proposal at the national tables",
             len(irm), stage_total["national_table"], "18 / 26"),
            ("funnel-final-of-pool", "final commitments per proposal of the thematic tables and "
             "regional workshops (not all came from them: see survival)", len(irm), pool, "18 / 29")]:
        rows.append(_derived(check_id, "pcm2018; irm2019", "funnel", quantity, "ratio", num, den, how, ids))

    # plan IV against plan III
    plan4 = raw["commitments_plan4"]
    spda = totals.set_index("id").loc["spda2022-count"]
    rows.append(_total("plan4-commitments", spda,
                       "commitments of plan IV, against the SPDA table's rows", len(plan4),
                       "commitments_plan4", value_field="value"))
    rows.append(_derived("growth-plan3-to-plan4", "irm2019; spda2022", "Tabla 1 (IRM); II.6 (SPDA)",
                         "growth in commitments from plan III to plan IV", "percent",
                         len(plan4) - len(irm), len(irm), "(21 - 18) / 18",
                         "commitments_irm2017; commitments_plan4"))
    out = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("decimals_printed", "numerator", "denominator"):
        out[col] = out[col].astype("Int64")
    for col in ("printed_value", "computed_value", "computed_at_printed_precision"):
        out[col] = out[col].astype("Float64")
    out["agrees"] = out["agrees"].astype("boolean")
    return out


S, INT, N, B = "string", "integer", "number", "boolean"
TITLE = ("Every printed share and total the project reproduces: the printed value beside the value "
         "computed from the rows of data/raw, at the precision printed; ratios no document prints "
         "are flagged derived.")
processed.register("printed_checks", TITLE, {
    "check_id": (S, "Identifier of the check."),
    "source_id": (S, "Document that prints the value (several for a derived ratio)."),
    "locator": (S, "Where it is printed."),
    "quantity": (S, "What the value is a share or total of."),
    "unit": (S, "percent, count or ratio."),
    "printed_as": (S, "The value as printed (empty where nothing is printed)."),
    "printed_value": (N, "The printed value as a number."),
    "decimals_printed": (INT, "Decimals printed (the precision of the comparison)."),
    "numerator": (INT, "Numerator (or the computed count) from the rows."),
    "denominator": (INT, "Denominator from the rows (empty for a count)."),
    "computed_value": (N, "The value computed from the rows, full precision (percent x 100)."),
    "computed_at_printed_precision": (N, "The computed value rounded half away from zero to the "
                                         "printed decimals."),
    "agrees": (B, "True where the computed value at the printed precision equals the print; empty "
                  "where nothing is printed."),
    "derived": (B, "True where no document prints the value."),
    "derivation": (S, "How a derived value is computed; empty where it is printed."),
    "raw_ids": (S, "Rows (ids) or resources of data/raw it is computed from."),
})
