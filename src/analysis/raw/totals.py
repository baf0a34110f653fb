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


def _grid_problems(frame: pd.DataFrame, file: str, row_key: str, col_key: str,
                   group: list[str], value: str = "count") -> list[Problem]:
    """Check a printed grid: rows labelled by ``row_key``, columns by ``col_key``."""
    problems = []
    printed = frame[frame["row_type"].isin(["value", "total"])]
    for _keys, table in printed.groupby(group, sort=True, dropna=False):
        parts = table[(table[row_key] != TOTAL) & (table[col_key] != TOTAL)]
        # row totals: column label 'Total' within a row
        for idx, tot in table[(table[col_key] == TOTAL) & (table[row_key] != TOTAL)].iterrows():
            cells = parts[parts[row_key] == tot[row_key]]
            if len(cells) and int(cells[value].sum()) != int(tot[value]):
                problems.append(Problem(file, f"printed total {tot[value]} for '{tot[row_key]}' "
                                        f"but its parts sum to {int(cells[value].sum())}",
                                        _line(idx), value))
        # column totals: row label 'Total'
        row_totals = table[(table[col_key] == TOTAL) & (table[row_key] != TOTAL)]
        for idx, tot in table[table[row_key] == TOTAL].iterrows():
            if tot[col_key] == TOTAL:
                cells = row_totals if len(row_totals) else parts
            else:
                cells = parts[parts[col_key] == tot[col_key]]
            if len(cells) and int(cells[value].sum()) != int(tot[value]):
                problems.append(Problem(file, f"printed total {tot[value]} for column "
                                        f"'{tot[col_key]}' but its parts sum to "
                                        f"{int(cells[value].sum())}", _line(idx), value))
        # printed percentages against the printed total of their row
        if "printed_percent" in table:
            for idx, row in table[table["printed_percent"].notna()].iterrows():
                denom = table[(table[row_key] == row[row_key]) & (table[col_key] == TOTAL)]
                if len(denom) != 1 or int(denom[value].iloc[0]) == 0:
                    continue
                share = 100 * int(row[value]) / int(denom[value].iloc[0])
                pct = float(row["printed_percent"])
                tolerance = 0.5 if pct == round(pct) else 0.05
                if abs(share - pct) > tolerance + 1e-9:
                    problems.append(Problem(file, f"printed percentage {pct:g}% does not match "
                                            f"{row[value]}/{int(denom[value].iloc[0])} = "
                                            f"{share:.2f}%", _line(idx), "printed_percent"))
    return problems


def _restated_problems(frame: pd.DataFrame, file: str, keys: list[str]) -> list[Problem]:
    problems = []
    printed = frame[frame["row_type"] != "restated"]
    for idx, row in frame[frame["row_type"] == "restated"].iterrows():
        match = printed
        for key in keys:
            match = match[match[key] == row[key]]
        values = sorted(set(int(v) for v in match["count"]))
        if not values:
            problems.append(Problem(file, "restates a count that no printed table holds "
                                    f"({', '.join(str(row[k]) for k in keys)})", _line(idx)))
        elif int(row["count"]) not in values:
            problems.append(Problem(file, f"restated count {row['count']} differs from the "
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
