"""One reading of every cell type, shared by the schema check and the loader.

A spreadsheet saves ``TRUE``, ``VERDADERO`` or ``1`` for a boolean, ``1,234`` or
``12.0`` for a whole number, and an input method may type a full-width digit (``５``).
The schema check and the loader both call the functions below, so a cell either reads
the same way in both or is refused, with a message that says what to write instead.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

TRUE, FALSE = "true", "false"
_SPREADSHEET_BOOLEANS = {"TRUE", "True", "FALSE", "False", "VERDADERO", "Verdadero", "FALSO",
                         "Falso", "1", "0", "yes", "no", "sí", "si", "Sí", "Si", "YES", "NO",
                         "T", "F", "t", "f", "verdadero", "falso"}
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
#: The largest whole number a field may hold: the loader's integer columns are 64-bit.
INT_MAX = 2**63 - 1


class CellError(ValueError):
    """A cell that does not read as its declared type; the message says what to do."""


def _common(text: str) -> None:
    if text != text.strip():
        raise CellError("has spaces around the value; delete them")
    if any(not c.isascii() for c in text):
        folded = unicodedata.normalize("NFKC", text)
        hint = f" (write {folded!r})" if folded.isascii() else ""
        raise CellError("contains a non-ASCII character such as a full-width digit; type the "
                        f"number with ASCII digits 0-9{hint}")


def read_integer(text: str) -> int | None:
    if text == "":
        return None
    _common(text)
    if _INTEGER.fullmatch(text):
        value = int(text)
        if abs(value) > INT_MAX:
            raise CellError(f"is too large for a count ({len(text.lstrip('-'))} digits; at most "
                            f"{INT_MAX}); correct the value")
        return value
    if "_" in text:
        raise CellError("contains '_'; write the number with digits only (no separators)")
    if "," in text:
        raise CellError("contains ','; write whole numbers without thousands separators or "
                        "decimal commas (1234, not 1,234)")
    if _NUMBER.fullmatch(text):
        whole = float(text)
        if whole == int(whole):
            raise CellError(f"has a decimal point but the field holds whole numbers; write {int(whole)}")
        raise CellError("is not a whole number; this field holds counts")
    raise CellError("is not a whole number; write digits 0-9 only (a leading '-' is the only "
                    "sign allowed)")


def read_number(text: str) -> float | None:
    if text == "":
        return None
    _common(text)
    if _NUMBER.fullmatch(text):
        value = float(text)
        if value in (float("inf"), float("-inf")):
            raise CellError("is too large to be a number; correct the value")
        return value
    if "," in text:
        raise CellError("contains ','; write decimals with a point (70.5, not 70,5) and no "
                        "thousands separators")
    raise CellError("is not a number; write digits with an optional decimal point (70.5)")


def read_boolean(text: str) -> bool | None:
    if text == "":
        return None
    if text == TRUE:
        return True
    if text == FALSE:
        return False
    if text.strip() in _SPREADSHEET_BOOLEANS:
        raise CellError("is not an accepted boolean spelling; write 'true' or 'false' in lower "
                        "case (a spreadsheet saves TRUE/FALSE, VERDADERO/FALSO or 1/0: replace them)")
    raise CellError("is not a boolean; write 'true' or 'false' in lower case")


def read_string(text: str) -> str | None:
    return None if text == "" else text


READERS = {"integer": read_integer, "number": read_number, "boolean": read_boolean,
           "string": read_string}
DTYPES = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}


def read_cell(kind: str, text: str):
    """The value of one cell of a field of type ``kind`` (raises ``CellError``)."""
    return READERS.get(kind, read_string)(text)


def typed_column(kind: str, cells: pd.Series) -> pd.Series:
    """A whole column read with ``read_cell``; callers validate first."""
    values = [read_cell(kind, c) for c in cells]
    return pd.Series(pd.array([pd.NA if v is None else v for v in values],
                              dtype=DTYPES.get(kind, "string")), index=cells.index)
