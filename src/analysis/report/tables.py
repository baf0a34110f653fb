"""Tables as the notebooks display them: the vocabulary's labels, shares as percentages.

``show(df, lang)`` displays a copy of a table in ``lang``; the table itself (and whatever is
written to ``data/processed``) is left unchanged. Each column's heading and kind come from
``templates/notebooks/_columns.yaml`` (an unknown column is an error naming it, so no
snake_case heading reaches a reader): shares (0-1) become percentages with one decimal,
p-values keep three significant digits, counts are integers, and a missing value reads
"no reportado" / "not reported". Text that is a vocabulary key (a stage, an actor, a theme,
an account) is shown with its label from ``analysis.labels``, also inside longer text such as
"chi-square: regional_workshop vs national_table".
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
import yaml

from .. import labels
from . import sentences

COLUMNS_FILE = sentences.TEMPLATES / "notebooks" / "_columns.yaml"
VALUES_FILE = sentences.TEMPLATES / "notebooks" / "_values.yaml"
KINDS = ("text", "share", "number", "integer", "p_value", "bool", "id", "file", "treatment")
_TOKEN = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*(?![\w-])")


@cache
def columns() -> dict[str, dict[str, str]]:
    """Column -> {"es", "en", "kind"}, checked."""
    data = yaml.safe_load(COLUMNS_FILE.read_text(encoding="utf-8"))
    for column, entry in data.items():
        if not isinstance(entry, dict) or not set(labels.LANGS) <= set(entry):
            raise ValueError(f"{COLUMNS_FILE}: column {column!r} needs an es and an en heading")
        if entry.get("kind", "text") not in KINDS:
            raise ValueError(f"{COLUMNS_FILE}: column {column!r} has kind {entry['kind']!r}; "
                             f"allowed: {', '.join(KINDS)}")
    return data


@cache
def values() -> dict[str, dict[str, str]]:
    """Display words for values the vocabulary (analysis.labels) does not hold: units, scopes,
    treatments, colours... (``templates/notebooks/_values.yaml``)."""
    data = yaml.safe_load(VALUES_FILE.read_text(encoding="utf-8"))
    for key, entry in data.items():
        if not isinstance(entry, dict) or set(entry) != set(labels.LANGS):
            raise ValueError(f"{VALUES_FILE}: value {key!r} needs exactly an es and an en word")
    return data


def _word(key: str, lang: str, report: bool = False) -> str | None:
    if report and f"{key}_report" in labels.VOCAB:
        return labels.VOCAB[f"{key}_report"][lang]
    if key in labels.VOCAB:
        return labels.VOCAB[key][lang]
    if key in values():
        return values()[key][lang]
    return None


WORDS = {"es": {"na": "no reportado", True: "sí", False: "no"},
         "en": {"na": "not reported", True: "yes", False: "no"}}


def _heading(column, lang: str) -> str:
    if not isinstance(column, str):
        return str(column)
    entry = columns().get(column)
    if entry is None:
        if column in labels.VOCAB:
            return labels.label(column, lang)
        raise KeyError(f"{COLUMNS_FILE}: no heading for column {column!r}; add its es and en words")
    return entry[lang]


def _text(value, lang: str, report: bool = False) -> str:
    """A text cell: a vocabulary key becomes its label, also inside longer text. With
    ``report`` an account is named as a document (the IRM's design report, the government's
    systematization) rather than as an attendance count (the IRM's signed sheets)."""
    text = str(value)
    whole = _word(text, lang, report)
    if whole is not None:
        return whole

    def token(m: re.Match) -> str:
        key = m.group(0)
        word = values()[key][lang] if key in values() else (
            _word(key, lang, report) if ("_" in key or any(ch.isdigit() for ch in key)) else None)
        return word if word is not None else key
    return _TOKEN.sub(token, text)


def _cell(value, kind: str, lang: str, report: bool = False) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return WORDS[lang]["na"]
    if kind == "share":
        return labels.fmt_percent(float(value), lang, 1)
    if kind == "p_value":
        value = float(value)
        if value < 0.001:
            return "< " + labels.fmt_number(0.001, lang, 3)
        return labels.fmt_number(value, lang, 3)
    if kind == "integer":
        return labels.fmt_int(int(value), lang)
    if kind == "number":
        return labels.fmt_number(float(value), lang, 1)
    if kind == "bool" or isinstance(value, bool):
        return WORDS[lang][bool(value)]
    if kind == "id":
        return str(value)
    if kind == "file":
        return f"{value}.csv"
    if kind == "treatment":
        return labels.label(f"other_{value}", lang)
    if isinstance(value, float):
        return labels.fmt_number(value, lang, 1)
    return _text(value, lang, report)


def _kind(column) -> str:
    entry = columns().get(column) if isinstance(column, str) else None
    return entry.get("kind", "text") if entry else "text"


def labelled(df: pd.DataFrame | pd.Series, lang: str, shares: tuple[str, ...] = (),
             columns_are: str | None = None, report: bool = False,
             kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy of ``df`` in ``lang``: every heading a label, every cell text (see the module).
    ``shares`` names columns that hold shares in this table whatever their usual kind (the
    columns of a pivot of shares by treatment, say); ``columns_are`` names the variable whose
    values a pivot's columns are, so that their headings are those values' display words;
    ``report`` names accounts as documents (for tables not about attendance); ``kinds``
    overrides a column's usual kind in this table (intervals of a rate, say)."""
    kinds = dict(kinds or {})
    kinds.update({col: "share" for col in shares})
    if lang not in labels.LANGS:
        raise ValueError(f"lang must be one of {', '.join(labels.LANGS)}, not {lang!r}")
    frame = df.to_frame() if isinstance(df, pd.Series) else df
    frame = frame.reset_index() if _keep_index(frame) else frame.reset_index(drop=True)
    def heading(col):
        if columns_are is not None and col in df.columns:
            return _cell(col, _kind(columns_are), lang)
        return _heading(col, lang)
    out = pd.DataFrame({heading(col): [_cell(v, kinds.get(col, _kind(col)), lang, report)
                                                   for v in frame[col]]
                        for col in frame.columns})
    out.index = range(1, len(out) + 1)
    return out


def _keep_index(frame: pd.DataFrame) -> bool:
    """An index that says something (named, or labels rather than row numbers) becomes columns."""
    if any(name is not None for name in frame.index.names):
        return True
    return not pd.api.types.is_integer_dtype(frame.index)


def show(df: pd.DataFrame | pd.Series, lang: str, shares: tuple[str, ...] = (),
         columns_are: str | None = None, report: bool = False, kinds: dict[str, str] | None = None) -> None:
    """Display ``df`` in ``lang`` (nothing is returned, so nothing echoes); see ``labelled``."""
    from IPython.display import display

    display(labelled(df, lang, tuple(shares), columns_are, report, kinds))
