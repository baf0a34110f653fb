"""Validation as a whole: the raw package plus, where the sources are at hand, the quotes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import paths
from ..outputs import write_text
from ..problems import Problem
from .package import PAGES, _rel, read_descriptor, validate
from .quotes import quote_problems


def validate_all(raw_dir: Path | None = None) -> tuple[list[Problem], list[str]]:
    """Raw package, corrections table and (when the source texts are at hand) quotes."""
    _, problems, notes = _validate_all(raw_dir)
    return problems, notes


def _validate_all(raw_dir: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[Problem], list[str]]:
    from .corrections import CorrectionError, load_corrections

    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    tables, problems = validate(raw_dir)
    notes = []
    if not problems:
        try:
            load_corrections(raw=tables)
        except CorrectionError as exc:
            problems.append(Problem("data/corrections/commitment_titles.csv", str(exc)))
        descriptor, _ = read_descriptor(raw_dir)
        files = {r["name"]: _rel(raw_dir / r["path"]) for r in descriptor["resources"]}
        sources = paths.sources_dir()
        pages = raw_dir / PAGES
        problems += quote_problems(tables, files, sources, pages)
        if sources is None:
            notes.append("quotes not checked: shared/sources/ is not beside the repository "
                         f"(quotes of web pages checked against data/raw/{PAGES}/)")
        else:
            notes.append(f"quotes checked against {sources} and data/raw/{PAGES}/")
    return tables, problems, notes


def checked_tables(raw_dir: Path | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Validated raw tables and notes; raises RawDataError listing every problem."""
    from ..problems import RawDataError

    tables, problems, notes = _validate_all(raw_dir)  # validated once: its tables are the result
    if problems:
        raise RawDataError(problems)
    return tables, notes


def summary_markdown(tables: dict[str, pd.DataFrame]) -> str:
    """A short, deterministic account of what was validated."""
    descriptor, _ = read_descriptor(paths.RAW_DIR)
    lines = ["# Validation summary", "",
             "The raw data package `data/raw` passed every check: file format, checksums, "
             "the code-held contract (schema, constraints and keys the descriptor cannot "
             "weaken), types read as the loader reads them, primary and foreign keys, "
             "the documents' own arithmetic (printed totals equal their printed parts), "
             "quote binding (each value printed at its place in its quote) and the IRM's "
             "check-mark table agreeing with its prose.", "",
             "| resource | rows | cited sources |", "|---|---:|---|"]
    for res in descriptor["resources"]:
        frame = tables[res["name"]]
        cited = ", ".join(sorted(frame["source_id"].dropna().unique()))
        lines.append(f"| {res['name']} | {len(frame)} | {cited} |")
    att = tables["attendance"]
    n_totals = int((att["row_type"] == "total").sum())
    n_totals += int((tables["consultation"]["row_type"] == "total").sum())
    n_totals += int((tables["proposals"]["row_type"] == "total").sum())
    n_totals += len(tables["assessment_totals"])
    lines += ["", f"Printed totals and restatements checked: {n_totals} totals, "
              f"{int((att['row_type'] == 'restated').sum())} restated attendance counts.", ""]
    if "irm_assessment_readings" in tables:
        readings = tables["irm_assessment_readings"]["reading_status"].value_counts()
        lines += [f"IRM check-mark rows: {int(readings.get('decoded', 0))} decoded, "
                  f"{int(readings.get('partly_decoded', 0))} partly decoded, "
                  f"{int(readings.get('missing', 0))} not printed; every decoded value agrees "
                  "with the prose reading.", ""]
    return "\n".join(lines)


def write_summary(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    return write_text(path, summary_markdown(tables))
