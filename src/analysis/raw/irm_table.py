"""The IRM's per-commitment check-mark row ("1. General"), decoded.

Each commitment section of the IRM 2017-2019 design report opens with a summary table
whose "1. General" row carries check marks (``✔``) under ten columns, in this order:

    not verifiable, verifiable,
    access to information, civic participation, public accountability,
    technology & innovation,
    none, minor, moderate, transformative (potential impact)

and then the words "Evaluado al final del ciclo" under the compliance columns. The
extraction keeps one space per empty cell: split the row on *single* spaces and the
tokens before the first word are the ten cells, empty or ``✔``.

Two printed variants are decoded by the same rule:

- a row whose relevance cells are replaced by the words "No es relevante a los valores
  de OGP" (two mark cells, then the words): no OGP value applies, and the potential
  impact is read from the row below, whose four cells precede "Evaluado";
- a row broken across lines by the layout: the cells before the break are read; the
  continuation is read only if its cell count fits the columns that are left.

Anything else is left undecoded (``None``), never guessed.
"""

from __future__ import annotations

MARK = "✔"
COLUMNS = ["not_verifiable", "verifiable", "access_to_information", "civic_participation",
           "public_accountability", "technology_innovation",
           "impact_none", "impact_minor", "impact_moderate", "impact_transformative"]
VALUES = ["access_to_information", "civic_participation", "public_accountability",
          "technology_innovation"]
IMPACTS = ["none", "minor", "moderate", "transformative"]
NOT_RELEVANT = "no es relevante"


def _cells(text: str) -> tuple[list[str], str]:
    """Split on single spaces: (leading cells, the words that follow)."""
    tokens = text.split(" ")
    for i, token in enumerate(tokens):
        if token not in ("", MARK):
            return tokens[:i], " ".join(tokens[i:])
    return tokens, ""


def _marked(cells: list[str]) -> list[bool] | None:
    if any(c not in ("", MARK) for c in cells):
        return None
    return [c == MARK for c in cells]


def _one_of(marks: list[bool], names: list[str]) -> str | None:
    chosen = [n for n, m in zip(names, marks) if m]
    return chosen[0] if len(chosen) == 1 else None


def decode(row: str, continuation: str | None = None) -> dict[str, object]:
    """The assessments a printed row states; a key is None where the row does not say."""
    out: dict[str, object] = {"verifiable": None, **{v: None for v in VALUES},
                              "potential_impact": None}
    cells, words = _cells(row or "")
    marks = _marked(cells)
    if marks is None:
        return out
    tail_cells: list[bool] | None = None
    if continuation:
        more, more_words = _cells(continuation)
        if more_words.lower().startswith("evaluado"):
            tail_cells = _marked(more)
    if len(marks) >= 2:
        verif = _one_of(marks[:2], ["no", "yes"])
        out["verifiable"] = None if verif is None else verif == "yes"
    if words.lower().startswith(NOT_RELEVANT) and len(marks) == 2:
        out.update({v: False for v in VALUES})
        if tail_cells is not None and len(tail_cells) == len(IMPACTS):
            out["potential_impact"] = _one_of(tail_cells, IMPACTS)
        return out
    if words and not words.lower().startswith("evaluado"):
        return out
    if len(marks) < len(COLUMNS) and tail_cells is not None \
            and len(marks) + len(tail_cells) == len(COLUMNS):
        marks = marks + tail_cells
    for name, mark in zip(COLUMNS[2:6], marks[2:6]):
        out[name] = mark
    if len(marks) == len(COLUMNS):
        out["potential_impact"] = _one_of(marks[6:], IMPACTS)
    return out


def status(decoded: dict[str, object]) -> str:
    """``decoded`` when every assessment is read, ``partly_decoded`` when some are."""
    known = [v is not None for v in decoded.values()]
    return "decoded" if all(known) else ("partly_decoded" if any(known) else "undecodable")
