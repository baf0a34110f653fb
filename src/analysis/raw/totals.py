"""The documents' own arithmetic: every printed total must equal its printed parts.

Raw rows are grouped by the printed table they come from. Within a table, a row whose
column label is ``Total`` must equal the sum of the parts in its row, a row whose row
label is ``Total`` the sum of the parts in its column, and a printed percentage must
match its count over the row's printed total (to the precision printed). A count
restated in prose must equal the table cell it restates. (That each value is printed at
its place in its quote is ``analysis.raw.binding``.)
"""

from __future__ import annotations

import pandas as pd

from ..problems import Problem

TOTAL = "Total"


def _line(index) -> int:
    return int(index) + 2  # header is line 1


def _eq(label, text: str) -> bool:
    """``label == text``, a missing label being equal to nothing (as a pandas mask reads it)."""
    return not pd.isna(label) and label == text


def _ne(label, text: str) -> bool:
    """``label != text``, a missing label being unequal to nothing (as a pandas mask reads it)."""
    return not pd.isna(label) and label != text


def _sums(cells: list[tuple]) -> dict:
    """Per label: (how many cells, the sum of their values); cells are (label, value).

    Missing labels are left out: a missing label equals no other (as in pandas' ``==``)."""
    out: dict = {}
    for label, number in cells:
        if pd.isna(label):
            continue
        n, total = out.get(label, (0, 0))
        out[label] = (n + 1, total + (0 if pd.isna(number) else int(number)))
    return out


def _grid_problems(frame: pd.DataFrame, file: str, row_key: str, col_key: str,
                   group: list[str], value: str = "count") -> list[Problem]:
    """Check a printed grid: rows labelled by ``row_key``, columns by ``col_key``.

    Plain Python over each printed table's rows (a few dozen): this runs at every
    validation, and the fuzzing of raw data validates hundreds of times."""
    problems = []
    printed = frame[frame["row_type"].isin(["value", "total"])]
    percents = "printed_percent" in frame
    for _keys, table in printed.groupby(group, sort=True, dropna=False):
        pct_column = table["printed_percent"] if percents else [None] * len(table)
        rows = list(zip(table.index, table[row_key], table[col_key], table[value], pct_column))
        parts = [r for r in rows if _ne(r[1], TOTAL) and _ne(r[2], TOTAL)]
        row_totals = [r for r in rows if _eq(r[2], TOTAL) and _ne(r[1], TOTAL)]
        by_row = _sums([(r[1], r[3]) for r in parts])
        by_col = _sums([(r[2], r[3]) for r in parts])
        # row totals: column label 'Total' within a row
        for idx, label, _col, number, _pct in row_totals:
            n, total = by_row.get(label, (0, 0))
            if n and total != int(number):
                problems.append(Problem(file, f"printed total {number} for '{label}' "
                                        f"but its parts sum to {total}", _line(idx), value))
        # column totals: row label 'Total'
        for idx, _label, col, number, _pct in (r for r in rows if _eq(r[1], TOTAL)):
            if _eq(col, TOTAL):
                cells = row_totals if row_totals else parts
                n = len(cells)
                total = sum(0 if pd.isna(c[3]) else int(c[3]) for c in cells)
            else:
                n, total = by_col.get(col, (0, 0)) if not pd.isna(col) else (0, 0)
            if n and total != int(number):
                problems.append(Problem(file, f"printed total {number} for column "
                                        f"'{col}' but its parts sum to {total}", _line(idx), value))
        # printed percentages against the printed total of their row
        if percents:
            denominators: dict = {}
            for _idx, label, col, number, _pct in rows:
                if _eq(col, TOTAL) and not pd.isna(label):
                    denominators.setdefault(label, []).append(number)
            for idx, label, _col, number, pct_printed in rows:
                if pd.isna(pct_printed):
                    continue
                denom = denominators.get(label, []) if not pd.isna(label) else []
                if len(denom) != 1 or int(denom[0]) == 0:
                    continue
                share = 100 * int(number) / int(denom[0])
                pct = float(pct_printed)
                tolerance = 0.5 if pct == round(pct) else 0.05
                if abs(share - pct) > tolerance + 1e-9:
                    problems.append(Problem(file, f"printed percentage {pct:g}% does not match "
                                            f"{number}/{int(denom[0])} = {share:.2f}%",
                                            _line(idx), "printed_percent"))
    return problems


def _restated_problems(frame: pd.DataFrame, file: str, keys: list[str]) -> list[Problem]:
    printed: dict = {}   # key values -> the counts printed under them (a missing key matches none)
    restated = []
    for idx, row_type, count, *key in zip(frame.index, frame["row_type"], frame["count"],
                                          *(frame[k] for k in keys)):
        if _eq(row_type, "restated"):
            restated.append((idx, count, key))
        elif _ne(row_type, "restated") and not any(pd.isna(k) for k in key):
            printed.setdefault(tuple(key), []).append(count)
    problems = []
    for idx, count, key in restated:
        found = [] if any(pd.isna(k) for k in key) else printed.get(tuple(key), [])
        values = sorted(set(int(v) for v in found))
        if not values:
            problems.append(Problem(file, "restates a count that no printed table holds "
                                    f"({', '.join(str(k) for k in key)})", _line(idx)))
        elif int(count) not in values:
            problems.append(Problem(file, f"restated count {count} differs from the "
                                    f"printed table value {values[0]}", _line(idx), "count"))
    return problems


def _irm_assessment_problems(tables: dict[str, pd.DataFrame], file: str) -> list[Problem]:
    irm = tables["commitments_irm2017"]
    values = ["access_to_information", "civic_participation", "public_accountability",
              "technology_innovation"]
    relevant = irm[values].any(axis=1)
    computed = {
        "commitments": len(irm),
        "relevant_to_ogp_values": int(relevant.sum()),
        "transformative": int((irm["potential_impact"] == "transformative").sum()),
        "potentially_starred": int((irm["verifiable"] & relevant
                                    & (irm["potential_impact"] == "transformative")).sum()),
        "relevant_to_public_accountability": int(irm["public_accountability"].sum()),
    }
    plan4 = tables["commitments_plan4"]
    spda = {"commitments": len(plan4), "themes": plan4["theme_printed"].nunique()}
    problems = []
    for idx, row in tables["assessment_totals"].iterrows():
        source = computed if row["source_id"] == "irm2019" else spda
        got = source.get(row["indicator"])
        if got is not None and got != int(row["value"]):
            problems.append(Problem(file, f"printed {row['indicator']} = {row['value']} but the "
                                    f"commitment rows give {got}", _line(idx), "value"))
        if got is not None and pd.notna(row["printed_percent"]):
            share = 100 * got / source["commitments"]
            if abs(share - float(row["printed_percent"])) > 0.5:
                problems.append(Problem(file, f"printed {row['printed_percent']:g}% for "
                                        f"{row['indicator']} but {got}/{source['commitments']} = "
                                        f"{share:.1f}%", _line(idx), "printed_percent"))
    return problems


def printed_total_problems(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Every mismatch between a printed total and its printed parts, across the package."""
    problems = []
    att = tables["attendance"]
    problems += _grid_problems(att, files["attendance"], "event", "actor_printed",
                               ["source_id", "table", "unit"])
    problems += _restated_problems(att, files["attendance"],
                                   ["source_id", "stage", "event", "actor_printed", "unit"])
    con = tables["consultation"]
    problems += _grid_problems(con[con["measure"] == "contributions"], files["consultation"],
                               "theme_printed", "channel", ["source_id", "measure"])
    for (_source, stage), group in tables["proposals"].groupby(["source_id", "stage"]):
        parts = group[group["row_type"] == "value"]
        for idx, tot in group[group["row_type"] == "total"].iterrows():
            if len(parts) and int(parts["count"].sum()) != int(tot["count"]):
                problems.append(Problem(files["proposals"], f"printed total {tot['count']} for "
                                        f"{stage} but the themes sum to {int(parts['count'].sum())}",
                                        _line(idx), "count"))
    problems += _irm_assessment_problems(tables, files["assessment_totals"])
    return problems
