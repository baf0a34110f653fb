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

from functools import cache
from pathlib import Path

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
