"""The IRM's assessments from two readings, which must agree value by value.

``irm_assessment_readings`` transcribes each commitment's check-mark row; its values
must be what ``analysis.raw.irm_table.decode`` reads from the quoted row itself, and
its ``reading_status`` must say how much of the row could be read (``missing`` where
no table is printed). ``commitments_irm2017`` is the prose reading. Wherever the table
states a value, the prose reading must state the same.
"""

from __future__ import annotations

import pandas as pd

from ..problems import Problem
from .irm_table import decode, status

FIELDS = ["verifiable", "access_to_information", "civic_participation", "public_accountability",
          "technology_innovation", "potential_impact"]
TABLE, PROSE = "irm_assessment_readings", "commitments_irm2017"

#: How the prose names each assessment (compared after case and accent folding). A value
#: is true in the prose reading exactly when its quotes name it.
VALUE_WORDS = {"access_to_information": "acceso a la informacion",
               "civic_participation": "participacion",
               "public_accountability": "rendicion de cuentas",
               "technology_innovation": "tecnologia"}
VALUE_QUOTES = ["quote", "quote_other_value", "quote_technology"]
IMPACT_WORDS = {"none": "ningun", "minor": "menor", "moderate": "moderado",
                "transformative": "transformador"}


def prose_reading_problems(prose: pd.DataFrame, file: str) -> list[Problem]:
    """The prose reading's values must be what its own quotes say."""
    from .quotes import normalise

    problems = []
    for idx, row in prose.iterrows():
        line = int(idx) + 2
        said = normalise(" ".join(str(row[c]) for c in VALUE_QUOTES
                                  if c in prose and _value(row[c]) is not None))
        for field, word in VALUE_WORDS.items():
            if (word in said) != bool(row[field]):
                problems.append(Problem(file, f"{field} is {bool(row[field])} but the relevance "
                                        f"quotes {'do not name' if row[field] else 'name'} "
                                        f"'{word}'; quote {row['quote']!r}", line, field))
        impact = normalise(str(row["quote_impact"]))
        named = [k for k, w in IMPACT_WORDS.items() if w in impact]
        if named != [row["potential_impact"]]:
            problems.append(Problem(file, f"potential_impact {row['potential_impact']!r} but "
                                    f"quote_impact names {named or 'no impact level'}: "
                                    f"{row['quote_impact']!r}", line, "potential_impact"))
        verif = normalise(str(row["quote_verifiability"]))
        verifiable = "suficientemente especifico" in verif and "no es lo suficientemente" not in verif
        if verifiable != bool(row["verifiable"]):
            problems.append(Problem(file, f"verifiable is {bool(row['verifiable'])} but "
                                    f"quote_verifiability says otherwise: "
                                    f"{row['quote_verifiability']!r}", line, "verifiable"))
    return problems


def _value(v):
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    return bool(v) if hasattr(v, "dtype") and v.dtype.kind == "b" else v


def irm_reading_problems(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    if TABLE not in tables or PROSE not in tables:
        return []
    table, prose = tables[TABLE], tables[PROSE]
    file = files[TABLE]
    prose_at = {int(n): i for i, n in prose["irm_number"].items()}
    problems = prose_reading_problems(prose, files[PROSE])
    for idx, row in table.iterrows():
        line = int(idx) + 2
        stated = {f: _value(row[f]) for f in FIELDS}
        if row["reading_status"] == "missing":
            for f in FIELDS:
                if stated[f] is not None:
                    problems.append(Problem(file, f"reading_status is 'missing' but {f} is filled "
                                            f"({stated[f]}); a missing table states nothing",
                                            line, f))
            continue
        read = decode(str(row["quote"]), None if _value(row["quote_continuation"]) is None
                      else str(row["quote_continuation"]))
        for f in FIELDS:
            if read[f] != stated[f]:
                problems.append(Problem(file, f"the row's check marks read {read[f]!r} for {f} "
                                        f"but the row says {stated[f]!r}; quote {row['quote']!r}",
                                        line, f))
        if status(read) != row["reading_status"]:
            problems.append(Problem(file, f"reading_status {row['reading_status']!r} but the "
                                    f"quoted row decodes as {status(read)!r}", line,
                                    "reading_status"))
        at = prose_at.get(int(row["irm_number"]))
        if at is None:
            continue
        if prose.loc[at, "ogp_id"] != row["ogp_id"]:
            problems.append(Problem(file, f"ogp_id {row['ogp_id']} but the prose reading has "
                                    f"{prose.loc[at, 'ogp_id']} for IRM commitment "
                                    f"{row['irm_number']}", line, "ogp_id"))
        for f in FIELDS:
            said = _value(prose.loc[at, f])
            if stated[f] is not None and said != stated[f]:
                problems.append(Problem(file, f"IRM commitment {row['irm_number']}: the check-mark "
                                        f"table says {stated[f]!r} for {f}, the prose reading "
                                        f"({files[PROSE]}, line {at + 2}) says {said!r}; quote "
                                        f"{row['quote']!r}", line, f))
    missing = sorted(set(prose_at) - {int(n) for n in table["irm_number"]})
    for n in missing:
        problems.append(Problem(file, f"IRM commitment {n} has no table reading; add a row (with "
                                "reading_status 'missing' if the report prints no table)"))
    return problems
