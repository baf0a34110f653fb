"""Bodies by the sectors the documents name, and civil society's seats against parity.

The documents name the executive, the judiciary, regional and local governments,
civil-society organisations, business and academia. The classification of each printed
seat type is below (keyed by the row id of data/raw/bodies.csv); a row without one stops
the analysis with its id. Civil society alone excludes business and academia.
"""

from __future__ import annotations

import pandas as pd

from ..clean import process as clean_process  # noqa: F401  (declares the processed tables)

SECTOR_OF_SEAT = {
    "c2013-ejecutivo": "executive", "c2013-judicial": "judiciary", "c2013-empresas": "business",
    "c2013-osc": "civil_society", "f2020-sgp": "executive", "f2020-sip": "executive",
    "f2020-sgtd": "executive", "f2020-antaip": "executive", "f2020-gore": "regional_government",
    "f2020-gl": "local_government", "f2020-osc-nacional": "civil_society",
    "f2020-osc-descentralizado": "civil_society", "f2020-empresarial": "business",
    "f2020-academia": "academia"}
STATE_SECTORS = {"executive", "judiciary", "regional_government", "local_government"}
PARITY = 0.5


def by_sector(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    b = raw["bodies"]
    missing = sorted(set(b["id"]) - set(SECTOR_OF_SEAT))
    if missing:
        raise ValueError(f"data/raw/bodies.csv: no sector for row(s) {missing}; add them to "
                         "analysis.questions.sectors.SECTOR_OF_SEAT")
    b = b.assign(sector_detail=b["id"].map(SECTOR_OF_SEAT))
    out = b.groupby(["body", "year", "source_id", "sector_detail"], sort=False)["seats"].sum().reset_index()
    out["state"] = out["sector_detail"].isin(STATE_SECTORS)
    out["seats"] = out["seats"].astype(int)
    out["total"] = out.groupby("body")["seats"].transform("sum").astype(int)
    out["share"] = out["seats"] / out["total"]
    return out.sort_values(["year", "body"], kind="stable").reset_index(drop=True)[
        ["body", "year", "source_id", "sector_detail", "state", "seats", "total", "share"]]


def civil_society(sector_table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (body, year, source), g in sector_table.groupby(["body", "year", "source_id"], sort=False):
        cs = int(g.loc[g["sector_detail"] == "civil_society", "seats"].sum())
        state = int(g.loc[g["state"], "seats"].sum())
        total = int(g["seats"].sum())
        rows.append({"body": body, "year": int(year), "source_id": source, "civil_society": cs,
                     "state": state, "total": total, "share_civil_society": cs / total,
                     "parity_share": PARITY, "share_minus_parity": cs / total - PARITY,
                     "civil_society_per_state_seat": cs / state, "seats_short_of_state": state - cs})
    return pd.DataFrame(rows).sort_values("year").reset_index(drop=True)
