"""Were the multistakeholder bodies balanced? State against non-state seats.

OGP's co-creation standards ask for parity: a balanced number of government and
non-government representatives (IRM, Annex I, standard 2b). Parity here means equal
shares across the two sectors the data distinguish.
"""

from __future__ import annotations

import pandas as pd


def seats(raw: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Seats per body and sector, the non-state share and the gap to parity."""
    b = raw["bodies"]
    wide = b.pivot_table(index=["body", "year", "source_id"], columns="sector", values="seats",
                         aggfunc="sum").fillna(0).astype(int).reset_index()
    wide.columns.name = None
    sectors = sorted(b["sector"].unique())
    parity = 1 / len(sectors)
    wide["total"] = wide["state"] + wide["non_state"]
    wide["share_non_state"] = wide["non_state"] / wide["total"]
    wide["parity_share"] = parity
    wide["state_minus_non_state"] = wide["state"] - wide["non_state"]
    wide["at_parity"] = wide["state"] == wide["non_state"]
    return wide.sort_values("year").reset_index(drop=True)
