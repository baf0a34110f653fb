"""Provenance: every quote in ``data/raw`` must be found in its source document.

The plain-text extractions of the five documents are not part of the repository
(``shared/sources/`` beside it). Web pages are not there either: of each page the project
cites (the IRM's reports on opengovpartnership.org) only the lines of its summary table, as
printed, are committed in ``data/raw/pages/`` (their checksums recorded in
``data/raw/datapackage.json`` under ``pages``), and quotes citing a page are checked against
that file, always, whether or not the source texts are at hand. Matching is tolerant of what
extraction does to text and nothing else: case, accents, runs of whitespace and hyphens at
line breaks.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..problems import Problem


@lru_cache(maxsize=1 << 16)
def normalise(text: str, keep_break_hyphens: bool = False) -> str:
    """Lower case, no accents, single spaces; a hyphen at a line break joins the word.

    Remembered: validation normalises the same quotes and labels many times over."""
    text = re.sub(r"-[ \t]*\n\s*", "-" if keep_break_hyphens else "", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=16)
def _document(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    return normalise(text), normalise(text, keep_break_hyphens=True)


@lru_cache(maxsize=1 << 16)
def quote_found(quote: str, document: Path) -> bool:
    """Remembered, as the documents' texts are (``_document``): the fuzzing and the tests
    validate the same quotes against the same documents hundreds of times."""
    needle = normalise(quote)
    return any(needle in variant for variant in _document(Path(document)))


def document_path(file: str, sources_dir: Path | None, pages_dir: Path | None) -> Path | None:
    """Where a source's text is: its committed page lines if any, else the shared sources
    folder (None when that folder is not at hand)."""
    if pages_dir is not None and (Path(pages_dir) / file).is_file():
        return Path(pages_dir) / file
    return Path(sources_dir) / file if sources_dir is not None else None


def _texts(tables: dict[str, pd.DataFrame], sources_dir: Path | None,
           pages_dir: Path) -> dict[str, tuple[Path | None, bool]]:
    """Per source id: where its text is (None when the shared sources are not at hand) and
    whether that file exists; once per source, not once per quote."""
    out = {}
    for source_id, file in zip(tables["sources"]["source_id"], tables["sources"]["file"]):
        document = document_path(file, sources_dir, pages_dir)
        out[source_id] = (document, document is not None and document.is_file())
    return out


def quote_problems(tables: dict[str, pd.DataFrame], files: dict[str, str],
                   sources_dir: Path | None, pages_dir: Path | None = None) -> list[Problem]:
    """Every quote (any column named ``quote...``) that its source does not contain.

    With ``sources_dir`` None only the quotes of committed pages are checked; ``pages_dir``
    defaults to the repository's ``data/raw/pages``."""
    if pages_dir is None:
        from .. import paths

        pages_dir = paths.RAW_DIR / "pages"
    texts = _texts(tables, sources_dir, pages_dir)
    problems = []
    for name, frame in tables.items():
        for column in [c for c in frame.columns if c.startswith("quote")]:
            for idx, quote, source_id in zip(frame.index, frame[column], frame["source_id"]):
                if pd.isna(quote):
                    continue
                document, present = texts[source_id]
                if document is None:
                    continue
                if not present:
                    problems.append(Problem(files[name], f"source text {document.name} is missing "
                                            f"from {sources_dir}", int(idx) + 2, column))
                elif not quote_found(quote, document):
                    problems.append(Problem(files[name], f"quote not found in {document.name}: "
                                            f"{quote!r}", int(idx) + 2, column))
    return problems


NOT_VERBATIM_FILE = Path(__file__).with_name("not_verbatim.yaml")


def not_verbatim(path: Path | None = None) -> dict:
    """The listed values that are not found verbatim in their document, with their reasons
    (``not_verbatim.yaml``): ``{"fields": {resource.field: reason}, "rows": {resource.field:
    {key: {"value", "reason"}}}}``."""
    import yaml

    data = yaml.safe_load(Path(path or NOT_VERBATIM_FILE).read_text(encoding="utf-8")) or {}
    return {"fields": data.get("fields") or {}, "rows": data.get("rows") or {}}


def printed_text_problems(tables: dict[str, pd.DataFrame], files: dict[str, str], keys: dict[str, list[str]],
                          fields: dict[str, list[str]], sources_dir: Path | None,
                          pages_dir: Path | None = None, listed: dict | None = None) -> list[Problem]:
    """Every printed text (``fields``: resource -> the text fields the document contract does
    not bind to the row's quote) that its document does not contain, unless
    ``not_verbatim.yaml`` lists that very value with its reason; and every listed value that
    no longer needs listing (found verbatim now, changed, or its row gone), so the list stays
    true. Checked only where the document's text is at hand, as quotes are."""
    if pages_dir is None:
        from .. import paths

        pages_dir = paths.RAW_DIR / "pages"
    listed = listed if listed is not None else not_verbatim()
    where = NOT_VERBATIM_FILE.name
    texts = _texts(tables, sources_dir, pages_dir)
    problems = []
    for name, names in fields.items():
        frame = tables.get(name)
        if frame is None or "source_id" not in frame.columns:
            continue
        row_keys = ["/".join(str(v) for v in values)
                    for values in zip(*(frame[k] for k in keys[name]))]
        for field in names:
            if f"{name}.{field}" in listed["fields"]:
                continue
            rows = {str(k): v for k, v in (listed["rows"].get(f"{name}.{field}") or {}).items()}
            seen = set()
            for idx, key, value, source_id in zip(frame.index, row_keys, frame[field], frame["source_id"]):
                if pd.isna(value):
                    continue
                document, present = texts[source_id]
                if not present:
                    continue
                found = quote_found(str(value), document)
                entry = rows.get(key)
                if entry is not None:
                    seen.add(key)
                    if str(entry.get("value")) == str(value) and not found:
                        continue
                    why = ("is now found verbatim in " + document.name if found and
                           str(entry.get("value")) == str(value) else f"now reads {str(value)!r}")
                    problems.append(Problem(files[name], f"{where} lists {key!r} as not verbatim, but "
                                            f"the value {why}: update or remove its entry", int(idx) + 2,
                                            field))
                    continue
                if not found:
                    problems.append(Problem(files[name], f"{str(value)!r} is not printed in "
                                            f"{document.name}; correct it to the printed text, or list "
                                            f"it with its reason in {where}", int(idx) + 2, field))
            for key in sorted(set(rows) - seen):
                if sources_dir is not None:
                    problems.append(Problem(where, f"{name}.{field}: no row {key!r} left to list"))
    return problems
