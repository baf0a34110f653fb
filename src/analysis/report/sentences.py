"""Words live in templates: one Jinja2 template per sentence and language.

``render(sentence_id, lang, **facts)`` fills ``templates/sentences/<lang>/<id>.j2`` with
numbers computed in code. Plain text, so autoescape is off (the HTML writer escapes);
undefined names are errors. Numbers are formatted only through ``analysis.labels.fmt_*``
(filters ``pct`` and ``num``); nouns agree with their counts through ``plural``. Line
breaks and runs of spaces inside a template collapse to one space.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

from .. import labels

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / "sentences" / lang)),
                             autoescape=False, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["pct"] = lambda share, digits=0: labels.fmt_percent(float(share), lang, digits)
    env.filters["num"] = lambda value, digits=0: labels.fmt_number(float(value), lang, digits)
    env.filters["plural"] = plural
    env.filters["name"] = lambda key: labels.name(key, lang)
    env.globals["lang"] = lang
    env.globals["unknown"] = unknown
    return env


def unknown(kind: str, key: str) -> str:
    """For a template's last ``else``: a key the words do not cover is an error, not a blank."""
    raise ValueError(f"no words for {kind} {key!r}")


def plural(count: int, singular: str, many: str) -> str:
    """'1 compromiso', '2 compromisos', '0 compromisos' (both languages use the plural for 0)."""
    return f"{int(count)} {singular if int(count) == 1 else many}"


def render(sentence_id: str, lang: str, **facts) -> str:
    text = environment(lang).get_template(f"{sentence_id}.j2").render(**facts)
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    return re.sub(r" ([.,;:)])", r"\1", text)


def available(lang: str) -> list[str]:
    return sorted(p.stem for p in (TEMPLATES / "sentences" / lang).glob("*.j2")
                  if not p.stem.startswith("_"))
