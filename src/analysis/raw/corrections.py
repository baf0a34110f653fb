"""The corrections table (``data/corrections/commitment_titles.csv``), read and checked.

Each row corrects one published title and says why. A correction whose published title
no longer matches the raw data is an error: the raw data changed under it. Applying the
corrections is cleaning (``analysis.clean.commitments``); reading and checking them is
validation, so it lives here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths

CORRECTIONS = paths.ROOT / "data" / "corrections" / "commitment_titles.csv"


class CorrectionError(ValueError):
    pass


def load_corrections(path: Path | None = None, raw: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """The title corrections, checked against the raw titles they correct."""
    path = Path(path) if path is not None else CORRECTIONS
    name = str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = ["ogp_id", "title_as_published", "title_corrected", "reason"]
    if list(table.columns) != expected:
        raise CorrectionError(f"{name}, line 1: header must be {','.join(expected)}")
    problems = []
    for i, row in table.iterrows():
        line = int(i) + 2
        for col in expected:
            if not row[col].strip():
                problems.append(f"{name}, line {line}, field '{col}': empty")
        if row["title_corrected"] == row["title_as_published"]:
            problems.append(f"{name}, line {line}, field 'title_corrected': same as published")
    dupes = table["ogp_id"][table["ogp_id"].duplicated()]
    problems += [f"{name}: ogp_id {d} corrected twice" for d in dupes]
    if raw is not None:
        published = raw["commitments"].set_index("ogp_id")["title_as_published"]
        for i, row in table.iterrows():
            line = int(i) + 2
            if row["ogp_id"] not in published.index:
                problems.append(f"{name}, line {line}, field 'ogp_id': {row['ogp_id']} is not "
                                "in data/raw/commitments.csv")
            elif published[row["ogp_id"]] != row["title_as_published"]:
                problems.append(f"{name}, line {line}, field 'title_as_published': no longer "
                                f"matches the raw title of {row['ogp_id']}")
    if problems:
        raise CorrectionError("invalid corrections:\n" + "\n".join(f"  - {p}" for p in problems))
    return table
