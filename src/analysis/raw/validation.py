"""Validation as a whole: the raw package plus, where the sources are at hand, the quotes."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .. import paths
from ..outputs import write_text
from ..problems import Problem
from .package import PAGES, _as_list, _rel, read_descriptor, validate
from .quotes import printed_text_problems, quote_problems

#: The note (printed, and recorded in validation_summary.md and the manifest) when the
#: source texts are not at hand.
QUOTES_UNCHECKED = ("quotes NOT checked against the source texts: they were not found "
                    f"({paths.SOURCES_ENV} names no folder, and there is no shared/sources/ "
                    "beside the repository; quotes of web pages were checked against data/raw/pages/)")


def quotes_checked(notes: list[str]) -> bool:
    return QUOTES_UNCHECKED not in notes


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
        # text fields the document contract could not bind to their row's quote: each must
        # be in its document itself (or listed, with its reason, in not_verbatim.yaml)
        from .documents import load as load_documents

        free = {n: sorted(e.get("free_text", {})) for n, e in load_documents()["resources"].items()
                if e.get("free_text")}
        keys = {r["name"]: _as_list(r.get("schema", {}).get("primaryKey")) for r in descriptor["resources"]}
        problems += printed_text_problems(tables, files, keys, free, sources, pages)
        if sources is None and os.environ.get("CI"):
            problems.append(Problem(f"{paths.SOURCES_ENV} / ../shared/sources",
                                    "the source texts are missing, and in CI (CI is set) the "
                                    "quotes must be checked, not skipped: point "
                                    f"{paths.SOURCES_ENV} at the plain-text extractions"))
        elif sources is None:
            notes.append(QUOTES_UNCHECKED)
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


def summary_markdown(tables: dict[str, pd.DataFrame], quotes: bool = True,
                     stale: dict[str, str] | None = None, ran: list[str] | None = None) -> str:
    """A short, deterministic account of what was validated.

    ``quotes``: whether the quotes were found in the source texts; ``stale`` and ``ran``:
    after a partial run (``--only``), the outputs it left although they no longer fit."""
    descriptor, _ = read_descriptor(paths.RAW_DIR)
    lines = ["# Validation summary", "",
             "The raw data package `data/raw` passed every check: file format, checksums, "
             "the code-held contract (schema, constraints and keys the descriptor cannot "
             "weaken), the document contract (what each source prints, which resources have "
             "rows, printed texts in their quotes, dates as printed that are real dates), "
             "types read as the loader reads them, primary and foreign keys, "
             "the documents' own arithmetic (printed totals equal their printed parts), "
             "quote binding (each value printed at its place in its quote) and the IRM's "
             "check-mark table agreeing with its prose.", "",
             ("Quotes: every quote was found in its source text." if quotes else
              "**Quotes: NOT checked.** The source texts were not at hand, so no quote was "
              "looked up in its document: a consistent edit of a value, its quote and its "
              "locator would have passed. Run again with the texts "
              f"(`{paths.SOURCES_ENV}`) before relying on these outputs."), ""]
    if ran is not None:
        lines += [f"**Partial run** (`--only`): this run executed {', '.join(ran)}."]
        if stale:
            lines += [f"{len(stale)} output(s) it left in place no longer fit this run's raw "
                      "data or parameters (run without `--only` to refresh them):", ""]
            lines += [f"- `{rel}`: {why}" for rel, why in sorted(stale.items())]
        else:
            lines += ["Every output it left in place fits this run's raw data and parameters."]
        lines += [""]
    lines += ["| resource | rows | cited sources |", "|---|---:|---|"]
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


def write_summary(tables: dict[str, pd.DataFrame], path: Path, **provenance) -> Path:
    return write_text(path, summary_markdown(tables, **provenance))
