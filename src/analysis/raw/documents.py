"""The contract of the documents: what each source prints, not only how each file is shaped.

``contract.json`` freezes the *files* (fields, types, keys, bindings); a consistent edit
that deletes rows and re-blesses the checksums passes it. ``documents.json`` (beside this
module) freezes facts of the *documents*, derived once from the validated data and
committed, so that losing one is an error:

``reports``       per resource, which (source, plan, stage, event ...) each source prints;
                  a combination that disappears (the IRM's La Libertad rows deleted) or
                  appears unannounced stops validation;
``min_rows``      resources the analyses need rows from (a header-only table is refused);
``printed_text``  text fields the documents print (titles, names, labels, dates as printed)
                  that occur verbatim in the row's quote or locator columns: each must
                  still occur there (compared as quotes are: case, accents, spaces folded);
``free_text``     the other such fields, with how many rows do not print them verbatim in
                  their quote; each of their values must then be in the row's document itself
                  (``analysis.raw.quotes.printed_text_problems``, or listed with its reason in
                  ``not_verbatim.yaml``).

Every field that holds a date as printed (``date_as_printed``) must be a real date wherever
it names a day (``31 de septiembre``, ``31/09/2017`` are refused), and ISO dates
(``date_start``, ``date_end``) must parse.

Re-derive after adding or deliberately changing data (review the diff)::

    python -m analysis contract --documents
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd

from ..problems import Problem
from .quotes import normalise

DOCUMENTS_FILE = Path(__file__).with_name("documents.json")
#: The fields that say what a row reports (in this order, where a resource has them).
REPORT_KEYS = ("source_id", "plan", "stage", "event", "phase", "measure", "body")
#: Fields holding words the source prints: names ending so, or titles and institutions.
_PRINTED = re.compile(r"(_printed$|^title|^name|institution|^event$)")
_DATE_PRINTED = re.compile(r"date_as_printed$")
_DATE_ISO = ("date_start", "date_end")
_FIX = ("if the documents really say so, re-derive the contract with 'python -m analysis "
        "contract --documents' and review its diff")

_MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
           "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
           "diciembre": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
           "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
           "december": 12}
_WORD = re.compile(r"[a-z]+|\d+")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def date_problem(text: str) -> str | None:
    """Why a date as printed names a day that does not exist, or None.

    Reads ``31/09/2017`` and every ``<days> de <month> [de <year>]`` (``11, 12, 13 y 19 de
    septiembre de 2017``, ``entre el 21 de setiembre y el 2 de octubre``); a text that names
    no day (``enero de 2013``, ``Desde 2014``) has nothing to check."""
    folded = normalise(text)
    for day, month, year in _NUMERIC.findall(folded):
        year_n = int(year) + (2000 if len(year) == 2 else 0)
        try:
            dt.date(year_n, int(month), int(day))
        except ValueError:
            return f"{day}/{month}/{year} is not a real date"
    words = _WORD.findall(folded)
    days: list[int] = []
    for i, word in enumerate(words):
        if word.isdigit():
            days.append(int(word)) if len(word) <= 2 else days.clear()
            continue
        month = _MONTHS.get(word)
        if month is None:
            if word not in ("y", "de", "del", "el", "al", "and", "of", "to"):
                days.clear()
            continue
        year = None
        for later in words[i + 1:i + 3]:
            if later.isdigit() and len(later) == 4:
                year = int(later)
                break
            if later not in ("de", "del"):
                break
        limit = calendar.monthrange(year or 2000, month)[1]   # 2000: 29 February allowed
        for day in days:
            if not 1 <= day <= limit:
                return (f"day {day} of {word}{f' {year}' if year else ''} does not exist "
                        f"({word} has {limit} days)")
        days.clear()
    return None


def _printed_fields(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if _PRINTED.search(c) and frame[c].dtype == "string"]


def _evidence_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("quote") or c == "locator"]


def _printed_in(row, field: str, columns: list[str]) -> bool:
    value = _text(row[field])
    return not value or any(normalise(value) in normalise(_text(row[c])) for c in columns)


def _report_fields(frame: pd.DataFrame) -> list[str]:
    keys = [k for k in REPORT_KEYS if k in frame.columns]
    return keys if "source_id" in keys and len(keys) > 1 else []


def _combinations(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[str, ...], int]:
    """Each combination of ``keys`` with the index of its first row."""
    found: dict[tuple[str, ...], int] = {}
    for idx, values in zip(frame.index, zip(*(frame[k] for k in keys))):
        found.setdefault(tuple(_text(v) for v in values), idx)
    return found


def derive(tables: dict[str, pd.DataFrame]) -> dict:
    """The document contract of validated tables (see the module's docstring)."""
    resources = {}
    for name in sorted(tables):
        frame = tables[name]
        entry: dict = {"min_rows": 1 if len(frame) else 0}
        keys = _report_fields(frame)
        if keys:
            entry["reports"] = {"fields": keys,
                                "rows": [list(c) for c in sorted(_combinations(frame, keys))]}
        columns = _evidence_columns(frame)
        bound, free = {}, {}
        for field in _printed_fields(frame) if columns else []:
            misses = sum(not _printed_in(row, field, columns) for _, row in frame.iterrows())
            if misses:
                free[field] = (f"{misses} of {int(frame[field].notna().sum())} rows do not print it "
                               "verbatim in their quote or locator")
            else:
                bound[field] = columns
        if bound:
            entry["printed_text"] = bound
        if free:
            entry["free_text"] = free
        resources[name] = entry
    return {"description": "Facts of the documents, derived from data/raw and committed (see "
                           "analysis.raw.documents); re-derive with 'python -m analysis contract "
                           "--documents' after a deliberate change, and review the diff.",
            "resources": resources}


def load(path: Path | None = None) -> dict:
    return json.loads(Path(path or DOCUMENTS_FILE).read_text(encoding="utf-8"))


def write(tables: dict[str, pd.DataFrame], path: Path | None = None) -> str:
    """Derive and write the document contract; return a one-line summary of the change."""
    from ..outputs import write_text

    path = Path(path or DOCUMENTS_FILE)
    before = load(path) if path.is_file() else {"resources": {}}
    after = derive(tables)
    write_text(path, json.dumps(after, ensure_ascii=False, indent=1) + "\n")
    changed = sorted(n for n in set(before["resources"]) | set(after["resources"])
                     if before["resources"].get(n) != after["resources"].get(n))
    return (f"wrote {path.name}: " + (f"changed {', '.join(changed)}" if changed else "no change")
            + "; review 'git diff' before committing")


def row_problems(tables: dict[str, pd.DataFrame], files: dict[str, str],
                 contract: dict | None = None) -> list[Problem]:
    """Resources that must have rows and have none (checked before anything reads rows)."""
    contract = contract if contract is not None else load()
    problems = []
    for name, frame in tables.items():
        need = contract["resources"].get(name, {}).get("min_rows", 0)
        if len(frame) < need:
            problems.append(Problem(files[name], f"has {len(frame)} data row(s); the analyses "
                                    f"need at least {need} (the document contract, "
                                    "src/analysis/raw/documents.json, says this resource has rows)"))
    return problems


def document_problems(tables: dict[str, pd.DataFrame], files: dict[str, str],
                      contract: dict | None = None, keys: dict[str, str] | None = None,
                      known: set[str] | None = None) -> list[Problem]:
    """Every way the tables depart from what the documents print (see the module's docstring).

    ``keys``: per table, a digest of the bytes it was read from; with ``known`` (digests
    that passed before in this process), a table that passed is not checked again."""
    contract = contract if contract is not None else load()
    frozen = contract["resources"]
    problems = row_problems(tables, files, contract)
    for name, frame in tables.items():
        key = None
        if keys and known is not None and name in keys:
            key = json.dumps([keys[name], frozen.get(name)], sort_keys=True)
            if key in known:
                continue
        found = _resource_problems(name, frame, files[name], frozen.get(name))
        if key is not None and not found:
            known.add(key)
        problems += found
    return problems


def _resource_problems(name: str, frame: pd.DataFrame, file: str, entry: dict | None) -> list[Problem]:
    problems: list[Problem] = []
    for field in [c for c in frame.columns if _DATE_PRINTED.search(c)]:
        for idx, value in zip(frame.index, frame[field]):
            why = date_problem(_text(value)) if _text(value) else None
            if why:
                problems.append(Problem(file, f"{_text(value)!r}: {why}; a date as printed "
                                        "must still be a real date", int(idx) + 2, field))
    for field in [c for c in _DATE_ISO if c in frame.columns]:
        for idx, value in zip(frame.index, frame[field]):
            text = _text(value)
            try:
                if text and (not _ISO.fullmatch(text) or dt.date.fromisoformat(text) is None):
                    raise ValueError
            except ValueError:
                problems.append(Problem(file, f"{text!r} is not a real date (YYYY-MM-DD)",
                                        int(idx) + 2, field))
    if entry is None:
        problems.append(Problem(file, f"resource '{name}' is not in the document contract "
                                f"(src/analysis/raw/documents.json); {_FIX}"))
        return problems
    reports = entry.get("reports")
    if reports:
        keys = reports["fields"]
        have = _combinations(frame, keys) if all(k in frame.columns for k in keys) else {}
        want = {tuple(r) for r in reports["rows"]}
        for combo in sorted(want - set(have)):
            what = ", ".join(f"{k} {v!r}" for k, v in zip(keys[1:], combo[1:]) if v)
            problems.append(Problem(file, f"no row left for {what}, which source "
                                    f"'{combo[0]}' prints (document contract, "
                                    f"src/analysis/raw/documents.json): rows deleted? {_FIX}",
                                    field=keys[-1]))
        for combo in sorted(set(have) - want):
            what = ", ".join(f"{k} {v!r}" for k, v in zip(keys[1:], combo[1:]) if v)
            problems.append(Problem(file, f"{what} of source '{combo[0]}' is not among what "
                                    "the document contract says that source prints; "
                                    f"{_FIX}", int(have[combo]) + 2, keys[-1]))
    for field, columns in entry.get("printed_text", {}).items():
        if field not in frame.columns:
            continue
        present = [c for c in columns if c in frame.columns]
        for idx, value, *evidence in zip(frame.index, frame[field], *(frame[c] for c in present)):
            text = _text(value)
            if text and not any(normalise(text) in normalise(_text(e)) for e in evidence):
                problems.append(Problem(file, f"{text!r} is not printed in the row's "
                                        f"{' or '.join(columns)}; the document contract "
                                        "binds this field to its quote", int(idx) + 2, field))
    return problems
