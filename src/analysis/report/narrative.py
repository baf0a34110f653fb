"""The notebooks' narrative, in Spanish and English, from one file per notebook.

A notebook's words (headings, question, method, interpretation, answer) live in
``templates/notebooks/<notebook>.yaml``: one key per section, each with its Markdown in
``es`` and ``en``. The notebook holds the same code cells in both languages and shows a
section with ``narrative.show("<notebook>", "<section>", lang)``, so the parameter ``lang``
chooses the language of everything a notebook displays. A section may be a Jinja2 template
filled with computed facts (the filters ``pct``, ``num``, ``plural`` and ``name`` of
``analysis.report.sentences``); Markdown line breaks are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .. import labels
from . import sentences

FOLDER = sentences.TEMPLATES / "notebooks"


def path(notebook: str) -> Path:
    return FOLDER / f"{notebook}.yaml"


@cache
def sections(notebook: str) -> dict[str, dict[str, str]]:
    """Every section of a notebook's narrative, checked: both languages, neither empty."""
    file = path(notebook)
    if not file.exists():
        raise FileNotFoundError(f"{file}: no narrative for notebook {notebook!r}")
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{file}: expected a mapping of section ids to their words")
    for section, words in data.items():
        if not isinstance(words, dict) or set(words) != set(labels.LANGS):
            raise ValueError(f"{file}: section {section!r} must have exactly the keys "
                             f"{', '.join(labels.LANGS)}")
        for lang, text in words.items():
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{file}: section {section!r} has no words in {lang!r}")
    return data


def text(notebook: str, section: str, lang: str, **facts) -> str:
    """The section's Markdown in ``lang``, with any computed facts filled in."""
    if lang not in labels.LANGS:
        raise ValueError(f"lang must be one of {', '.join(labels.LANGS)}, not {lang!r}")
    words = sections(notebook)
    if section not in words:
        raise KeyError(f"{path(notebook)}: no section {section!r}")
    template = sentences.environment(lang).from_string(words[section][lang])
    return template.render(**facts).strip() + "\n"


def show(notebook: str, section: str, lang: str, **facts) -> None:
    """Display the section as Markdown in the notebook (nothing is returned, so nothing echoes)."""
    from IPython.display import Markdown, display

    display(Markdown(text(notebook, section, lang, **facts)))


# ------------------------------------------------------------------ the closing section
CLOSING = "_closing"


def short_label(source: pd.Series | dict, lang: str) -> str:
    """A document's label as the brief names it: 'IRM (2019)', 'PCM-GIZ (2018)', 'SPDA (2022)'
    (the short name up to its year); a document without a year is named as the brief's figure
    sources name it (section ``label_<source_id>`` of ``_closing.yaml``)."""
    own = sections(CLOSING).get(f"label_{source['source_id']}")
    if own is not None:
        return own[lang].strip()
    short = str(source["short_name"])
    return short[: short.index(")") + 1] if "(" in short and ")" in short else short


def closing_facts(notebook: str, lang: str, raw: Iterable[str] = (), processed: Iterable[str] = (),
                  tables: dict | None = None) -> dict:
    """References, citation and data-dictionary links of a notebook.

    ``raw`` names the raw tables behind the notebook's numbers and ``processed`` the processed
    tables it reads; the references are every document cited by a row of those raw tables
    (their ``source_id``), in the order of ``data/raw/sources.csv``, labelled as the brief
    labels them. The citation comes from ``CITATION.cff`` (title, version, release date).
    """
    from ..raw import read_raw
    from . import brief

    raw, processed = list(raw), list(processed)
    tables = tables if tables is not None else read_raw()
    unknown = [name for name in raw if name not in tables]
    if unknown:
        raise KeyError(f"{notebook}: no raw table {', '.join(unknown)}")
    used: set[str] = set()
    for name in raw:
        used.update(tables[name]["source_id"].dropna().astype(str))
    links = brief._links()
    refs = []
    for r in tables["sources"].to_dict("records"):
        if r["source_id"] in used:
            link = links.get(r["source_id"])
            # a web page (data/raw/pages/) is cited at the address sources.csv gives for it
            page_url = r.get("url") if isinstance(r.get("url"), str) and r.get("url") else None
            url = link["url"] if link else page_url
            note = link[lang] if link else (sections(CLOSING)["page_note"][lang].strip() if url else None)
            refs.append({"id": r["source_id"], "label": short_label(r, lang),
                         "text": brief.reference_text(r["reference"], lang),
                         "url": url, "link_note": note})
    rel = brief.release()
    return {"name": notebook, "references": refs, "author": brief.AUTHOR, "title": rel["title"],
            "version": rel["version"], "date_iso": rel["date"].isoformat(),
            "date": labels.format_date(rel["date"], lang), "year": rel["date"].year,
            "raw": raw, "processed": processed}


def closing(notebook: str, lang: str, raw: Iterable[str] = (), processed: Iterable[str] = ()) -> None:
    """Display the notebook's references, how to cite it and its data-dictionary links."""
    show(CLOSING, "closing", lang, **closing_facts(notebook, lang, raw, processed))
