"""The data dictionary (``docs/data-dictionary.md``), generated from both data packages.

``data/raw/datapackage.json`` and ``data/processed/datapackage.json`` are the one place
where tables and fields are described; this module renders them into a Markdown page
(words in ``templates/data_dictionary.md.j2``), one entry per table with an HTML anchor
(``raw-NAME``, ``processed-NAME``) that notebooks and other pages link to. Rewrite it with
``python -m analysis docs``; ``python -m analysis docs --check`` and the tests fail while
the page differs from the packages, or while a field has no description.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from .. import paths
from ..outputs import write_text

PAGE = paths.ROOT / "docs" / "data-dictionary.md"
TEMPLATE = Path(__file__).parent / "templates" / "data_dictionary.md.j2"
PACKAGES = {"raw": paths.RAW_DIR, "processed": paths.ROOT / "data" / "processed"}

#: Fields that say where a raw value comes from (they are the citation, not the value).
CITATION_FIELDS = {"source_id", "locator", "value_locator"}
#: Fields the project adds to a raw row (identifiers and notes), not taken from a document.
PROJECT_FIELDS = {"id", "note", "raw_id"}

#: Units, by field name (first match wins). Only what a field's name settles; anything
#: else is left blank rather than guessed.
_UNITS = [
    (re.compile(r"^printed_percent$"), "percent, as printed"),
    (re.compile(r"share.*minus|minus.*share"), "difference of proportions"),
    (re.compile(r"(^|_)(share|survival)(_|$)|^ci_(low|high)$|^confidence$|^p_value$"),
     "proportion (0 to 1)"),
    (re.compile(r"(^|_)days(_|$)"), "days"),
    (re.compile(r"^per_100_visits$"), "contributions per 100 visits"),
    (re.compile(r"^attendances$"), "attendances (not persons)"),
]
#: Counts whose unit is given row by row in the table's own ``unit`` column.
_COUNTS = re.compile(r"^(count|n|k|n_state|n_civil_society|n_other)$")
#: Seat counts of the multistakeholder bodies.
_SEATS = re.compile(r"^(seats|state|non_state|total|civil_society|seats_short_of_state"
                    r"|state_minus_non_state)$")


def field_unit(table: dict, field: dict) -> str:
    """The unit of a field: its descriptor's ``unit`` property, else one settled by its name."""
    if field.get("unit"):
        return str(field["unit"])
    name = field["name"]
    if field["type"] not in ("integer", "number"):
        return ""
    if _COUNTS.match(name) and "unit" in {f["name"] for f in table["schema"]["fields"]}:
        return "the row's `unit`"
    if table["name"].startswith("bodies") and _SEATS.match(name):
        return "seats"
    for pattern, unit in _UNITS:
        if pattern.search(name):
            return unit
    return ""


def field_kind(level: str, field: dict) -> str:
    """Where a field's values come from: printed in a document, the citation, the project's
    own identifiers and notes, transcribed or classified from a document, or derived."""
    name = field["name"]
    if level == "processed":
        return "derived"
    if name in CITATION_FIELDS or name.startswith("quote"):
        return "citation"
    if name in PROJECT_FIELDS:
        return "project"
    if re.search(r"_printed$|_as_printed$|_as_published$|^printed_percent$", name):
        return "printed"
    return "transcribed"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(text) -> str:
    return "" if text is None else str(text).replace("|", "\\|").replace("\n", " ")


def tables(level: str, folder: Path | None = None) -> dict:
    """One package as the page shows it: the package's own words and one entry per table."""
    folder = Path(folder) if folder is not None else PACKAGES[level]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    entries = []
    for res in package["resources"]:
        path = folder / res["path"]
        rows = _rows(path) if path.is_file() else []
        sources = sorted({r["source_id"] for r in rows if r.get("source_id")})
        fields = [{"name": f["name"], "type": f["type"], "unit": _cell(field_unit(res, f)),
                   "kind": field_kind(level, f), "description": _cell(f.get("description", "")),
                   "required": bool(f.get("constraints", {}).get("required"))}
                  for f in res["schema"]["fields"]]
        entries.append({"name": res["name"], "path": res["path"], "title": _cell(res.get("title", "")),
                        "description": _cell(res.get("description", "")), "rows": len(rows),
                        "sources": sources, "produced_by": res.get("produced_by"),
                        "parameters": res.get("parameters") or {},
                        "primary_key": res["schema"].get("primaryKey"), "fields": fields})
    licences = [lic.get("title") or lic.get("name") for lic in package.get("licenses", [])]
    return {"level": level, "title": package.get("title", ""), "description": package.get("description", ""),
            "licences": licences, "tables": entries}


def missing_descriptions(folders: dict[str, Path] | None = None) -> list[str]:
    """Every table or field, in either package, without a description, and every column of
    a CSV that its descriptor does not describe: ``level/table.field``."""
    folders = folders or PACKAGES
    missing = []
    for level, folder in folders.items():
        package = json.loads((Path(folder) / "datapackage.json").read_text(encoding="utf-8"))
        for res in package["resources"]:
            if not str(res.get("description", "")).strip():
                missing.append(f"{level}/{res['name']}")
            described = set()
            for f in res["schema"]["fields"]:
                described.add(f["name"])
                if not str(f.get("description", "")).strip():
                    missing.append(f"{level}/{res['name']}.{f['name']}")
            path = Path(folder) / res["path"]
            if path.is_file():
                with path.open(encoding="utf-8", newline="") as handle:
                    header = next(csv.reader(handle), [])
                missing += [f"{level}/{res['name']}.{c} (in the CSV, not in the descriptor)"
                            for c in header if c not in described]
    return missing


def markdown(folders: dict[str, Path] | None = None) -> str:
    import jinja2

    folders = folders or PACKAGES
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(packages=[tables(level, folder) for level, folder in folders.items()])


def in_sync(page: Path | None = None, folders: dict[str, Path] | None = None) -> bool:
    page = Path(page) if page is not None else PAGE
    return page.is_file() and page.read_text(encoding="utf-8") == markdown(folders)


def update(page: Path | None = None, folders: dict[str, Path] | None = None) -> bool:
    """Rewrite the page; return True when it changed."""
    page = Path(page) if page is not None else PAGE
    new = markdown(folders)
    if page.is_file() and page.read_text(encoding="utf-8") == new:
        return False
    page.parent.mkdir(parents=True, exist_ok=True)
    write_text(page, new)
    return True
