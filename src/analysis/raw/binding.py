"""Quote binding: every printed value sits in its quote at the place the row says.

One rule for the whole package. A resource whose rows carry printed numbers has a
``value_locator`` column: a fragment of the row's quote in which

- ``[text]`` marks where a value is printed. ``text`` is the value as printed: digits
  (``29``, ``70.5``) or a Spanish number word (``uno``, ``seis``, ``catorce``, ``ningún``).
  Brackets bind the resource's declared value fields in order, skipping fields that are
  empty in the row; ``[field:text]`` binds a named field instead.
- ``{field}`` stands for the row's own value of ``field`` (a theme, a region, an actor
  label), so the identifier the row claims must be printed in the same place.

With the brackets replaced by their text and the placeholders by the row's values, the
fragment must occur in the quote (compared as the provenance check compares: case,
accents and runs of spaces folded). So the value must be the number printed *at that
place*, not merely a number somewhere in the quote; the label must be printed next to
it; and in a printed table row (``Arequipa 22 29 3 54``) a value is bound to its column
position, which must be the same for every row of that printed table with the same
column label (swapping cells, or swapping whole locators, breaks one of the two).

What each resource binds is code-held, in the ``binding`` entry of its contract
(``src/analysis/raw/contract.json``):

``values``            numeric fields that must be bound whenever non-empty;
``labels``            at least one of these fields must appear as ``{field}``;
``labels_exempt``     {field: [values]} rows exempt from the label rule (e.g. restated);
``exempt``            {field: [values]} rows exempt from value binding (e.g. cells
                      reconstructed from printed totals, which the arithmetic checks);
``table``             {"group": [...], "column": field}: rows of one printed table and
                      the field naming their column;
``in_quote``          fields whose value must occur in the quote (OGP id, year, area);
``in_locator``        fields whose value must occur in ``locator`` as a whole word;
``unique``            fields whose combination may not repeat (a borrowed quote fails);
``quote_is``          templates (``{field}`` placeholders) one of which, filled with the
                      row's values, must be the whole quote: for quotes that are a
                      printed list entry, so an emptied field cannot pass;
``flags``             {field: [quote column, words]}: a true/false field is true exactly
                      when that quote names the words (a principle ticked in a table);
``occurs_in``         {field: column}: the field's value must occur in that column's text
                      (a source's year in its reference);
``interpretations``   {field: reason}: fields the documents do not print (the project's
                      own classification); declared so that review sees them, not checked;
``totals``            {"field": "row_type", "value": "total", "labels": [...], "word":
                      "Total", "except": {...}, "only": {...}}: a row is a printed total
                      exactly when one of its labels is the printed word "Total";
``id_starts``         {"field": id column, "template": "p{plan}-{source_id}-"}: where a
                      row's id spells out an unprinted key, the two must agree;
``determined_by``     {field: [fields]}: values the documents do not print next to the
                      value (a plan number, a stage) must be the same on every row that
                      shares the given fields (every row of one printed table has one
                      stage; every commitment of one list year one plan), so a single
                      edited cell contradicts its neighbours.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from ..problems import Problem
from .quotes import normalise

LOCATOR = "value_locator"
_TOKEN = re.compile(r"\[([a-z_]+:)?([^\[\]]+)\]|\{([a-z_]+)\}")

_UNITS = {"cero": 0, "ningun": 0, "ninguno": 0, "ninguna": 0, "un": 1, "uno": 1, "una": 1,
          "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
          "nueve": 9, "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14,
          "quince": 15, "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19,
          "veinte": 20, "veintiuno": 21, "veintiun": 21, "veintidos": 22, "veintitres": 23,
          "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
          "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
          "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90, "cien": 100}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).strip().lower()


def printed_number(text: str) -> float | None:
    """A value as printed: digits (``70.5``, ``70,5``) or Spanish words (``treinta y uno``)."""
    word = _fold(text)
    if re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return float(word.replace(",", "."))
    if word in _UNITS:
        return float(_UNITS[word])
    parts = word.split(" y ")
    if len(parts) == 2 and parts[0] in _UNITS and parts[1] in _UNITS \
            and _UNITS[parts[0]] % 10 == 0 and 0 < _UNITS[parts[1]] < 10:
        return float(_UNITS[parts[0]] + _UNITS[parts[1]])
    return None


def _blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _exempt(row, rule: dict | None) -> bool:
    return any(_text(row[f]) in {_text(v) for v in values}
               for f, values in (rule or {}).items() if f in row and not _blank(row[f]))


def _render(locator: str, row, values: list[str], fields: set[str]):
    """(fragment, {field: (printed text, position)}, labels used, error)."""
    bound: dict[str, tuple[str, int]] = {}
    labels: list[str] = []
    pending = [f for f in values if not _blank(row[f])]
    out, last = [], 0
    for m in _TOKEN.finditer(locator):
        out.append(locator[last:m.start()])
        last = m.end()
        if m.group(3):
            field = m.group(3)
            if field not in fields:
                return None, bound, labels, f"placeholder {{{field}}} names no field of this table"
            if _blank(row[field]):
                return None, bound, labels, f"placeholder {{{field}}} but '{field}' is empty"
            labels.append(field)
            out.append(_text(row[field]))
            continue
        field = m.group(1)[:-1] if m.group(1) else None
        if field is None:
            if not pending:
                return None, bound, labels, f"bracket [{m.group(2)}] has no value field left to bind"
            field = pending.pop(0)
        elif field not in fields:
            return None, bound, labels, f"bracket names '{field}', which is no field of this table"
        elif field in pending:
            pending.remove(field)
        # a printed table row's cells are the tokens without letters ("22", "43%", "]")
        position = sum(1 for t in "".join(out).split() if not any(c.isalpha() for c in t))
        bound[field] = (m.group(2), position)
        out.append(m.group(2))
    out.append(locator[last:])
    return "".join(out), bound, labels, None


def binding_problems(frame: pd.DataFrame, file: str, spec: dict) -> list[Problem]:
    """Every value, label and identifier of ``frame`` that its quote does not support."""
    problems: list[Problem] = []
    values = [f for f in spec.get("values", []) if f in frame]
    fields = set(frame.columns)
    positions: dict[tuple, dict[str, set]] = {}
    rendered: dict[int, str] = {}
    exempt_rows: set = set()
    columns = list(frame.columns)
    # Each row as a dict of what DataFrame.iterrows would give (the same object-array rows),
    # without building a Series per row: validation runs often (hundreds of times when fuzzing).
    for idx, cells in zip(frame.index, frame.values):
        row = dict(zip(columns, cells))
        line = int(idx) + 2
        quote = "" if _blank(row.get("quote")) else str(row["quote"])
        nquote = normalise(quote)
        for field in spec.get("in_quote", []):
            if not _blank(row[field]) and normalise(_text(row[field])) not in nquote:
                problems.append(Problem(file, f"{field} {_text(row[field])!r} is not printed in "
                                        f"the row's quote {quote!r}; a row must quote the text "
                                        "that names it", line, field))
        for field, column in spec.get("occurs_in", {}).items():
            if not _blank(row[field]) and normalise(_text(row[field])) not in normalise(
                    "" if _blank(row[column]) else str(row[column])):
                problems.append(Problem(file, f"{field} {_text(row[field])!r} does not occur in "
                                        f"{column} {row[column]!r}", line, field))
        for field in spec.get("in_locator", []):
            if not _blank(row[field]) and not re.search(
                    rf"(?<![\w]){re.escape(normalise(_text(row[field])))}(?![\w])",
                    normalise(str(row.get("locator", "")))):
                problems.append(Problem(file, f"{field} {_text(row[field])!r} does not occur in "
                                        f"the locator {row.get('locator')!r}", line, field))
        for field, (column, words) in spec.get("flags", {}).items():
            named = normalise(words) in normalise("" if _blank(row[column]) else str(row[column]))
            if not _blank(row[field]) and named != bool(row[field]):
                problems.append(Problem(file, f"{field} is {_text(row[field])} but {column} "
                                        f"{'names' if named else 'does not name'} '{words}': "
                                        f"{row[column]!r}", line, field))
        totals = spec.get("totals")
        if totals and not _exempt(row, totals.get("except")) \
                and (not totals.get("only") or _exempt(row, totals["only"])):
            is_total = _text(row[totals["field"]]) == totals["value"]
            labelled = any(_text(row[f]) == totals["word"] for f in totals["labels"])
            if is_total != labelled:
                problems.append(Problem(file, f"{totals['field']} {_text(row[totals['field']])!r} "
                                        f"but {'no' if not labelled else 'a'} label "
                                        f"({', '.join(totals['labels'])}) is {totals['word']!r}: a "
                                        f"row is '{totals['value']}' exactly when it is labelled "
                                        f"{totals['word']!r}", line, totals["field"]))
        id_rule = spec.get("id_starts")
        if id_rule and not _blank(row[id_rule["field"]]):
            names = re.findall(r"\{([a-z_]+)\}", id_rule["template"])
            if all(n in fields and not _blank(row[n]) for n in names):
                prefix = re.sub(r"\{([a-z_]+)\}", lambda m, r=row: _text(r[m.group(1)]),
                                id_rule["template"])
                if not str(row[id_rule["field"]]).startswith(prefix):
                    problems.append(Problem(file, f"{id_rule['field']} {row[id_rule['field']]!r} "
                                            f"does not start with {prefix!r} ({id_rule['template']}): "
                                            f"the row's {', '.join(names)} and its id disagree",
                                            line, names[0]))
        templates = spec.get("quote_is", [])
        if templates:
            filled = []
            for template in templates:
                names = re.findall(r"\{([a-z_]+)\}", template)
                if all(n in fields and not _blank(row[n]) for n in names):
                    filled.append(normalise(re.sub(r"\{([a-z_]+)\}",
                                                   lambda m, r=row: _text(r[m.group(1)]), template)))
            if nquote not in filled:
                problems.append(Problem(file, f"the quote {quote!r} is not the printed entry "
                                        f"{' or '.join(templates)} filled with this row's values "
                                        f"({', '.join(filled) or 'fields empty'})", line, "quote"))
        if not values and LOCATOR not in frame:
            continue
        locator = "" if LOCATOR not in frame or _blank(row[LOCATOR]) else str(row[LOCATOR])
        needs = [f for f in values if not _blank(row[f])]
        if _exempt(row, spec.get("exempt")):
            exempt_rows.add(idx)
            if locator:
                rule = ", ".join(f"{k}={v}" for k, v in spec["exempt"].items())
                problems.append(Problem(file, f"the row is marked as not printed ({rule}) but its "
                                        f"{LOCATOR} {locator!r} says where the value is printed; "
                                        "one of the two is wrong", line, LOCATOR))
            continue
        if not locator:
            if needs:
                problems.append(Problem(file, f"{needs[0]} {_text(row[needs[0]])} is not bound to "
                                        f"its quote {quote!r}: write in {LOCATOR} the fragment of "
                                        "the quote with the value in brackets, e.g. 'AMBIENTE ([3])'",
                                        line, LOCATOR))
            continue
        fragment, bound, labels, error = _render(locator, row, values, fields)
        if error:
            problems.append(Problem(file, f"{error}; {LOCATOR} {locator!r}", line, LOCATOR))
            continue
        rendered[idx] = normalise(re.sub(r"\{([a-z_]+)\}", lambda m, r=row: _text(r[m.group(1)]), locator))
        for field in needs:
            if field not in bound:
                problems.append(Problem(file, f"{field} {_text(row[field])} is not marked in "
                                        f"{LOCATOR} {locator!r}; mark it with [ ]", line, field))
        for field, (printed, _pos) in bound.items():
            number = printed_number(printed)
            if _blank(row[field]):
                problems.append(Problem(file, f"{LOCATOR} binds {printed!r} but {field} is empty",
                                        line, field))
            elif number is None:
                problems.append(Problem(file, f"{LOCATOR} marks {printed!r}, which does not read "
                                        "as a number", line, LOCATOR))
            elif abs(number - float(row[field])) > 1e-9:
                problems.append(Problem(file, f"value {_text(row[field])} but the quote prints "
                                        f"{printed!r} at the place {LOCATOR} marks "
                                        f"({locator!r}); quote {quote!r}", line, field))
        if normalise(fragment) not in nquote:
            problems.append(Problem(file, f"{LOCATOR} {locator!r} reads {fragment!r}, which is "
                                    f"not in the quote {quote!r}: a value, label or placeholder "
                                    "is not where the quote prints it", line, LOCATOR))
        label_fields = spec.get("labels", [])
        if label_fields and not labels and not _exempt(row, spec.get("labels_exempt")):
            problems.append(Problem(file, f"{LOCATOR} {locator!r} names none of {label_fields} as "
                                    "{field}: the row's label must be printed next to its value",
                                    line, LOCATOR))
        table = spec.get("table")
        if table and values and values[0] in bound and table["column"] not in labels:
            key = tuple(_text(row[g]) for g in table["group"])
            col = _text(row[table["column"]])
            positions.setdefault(key, {}).setdefault(col, set()).add((bound[values[0]][1], line))
    for key, columns in positions.items():
        seen: dict[int, str] = {}
        for col, marks in sorted(columns.items()):
            at = sorted({p for p, _ in marks})
            if len(at) > 1:
                lines = sorted(line for _, line in marks)
                problems.append(Problem(file, f"column '{col}' of printed table {list(key)} is bound "
                                        f"at different positions {at} (lines {lines}): a value or "
                                        "locator was swapped", lines[-1], values[0]))
            for p in at:
                if p in seen and seen[p] != col:
                    line = min(line for q, line in marks if q == p)
                    problems.append(Problem(file, f"columns '{seen[p]}' and '{col}' of printed "
                                            f"table {list(key)} are bound to the same position {p}",
                                            line, values[0]))
                seen[p] = col
    for field, keys in spec.get("determined_by", {}).items():
        if field not in frame or any(k not in frame for k in keys):
            continue
        table = frame[keys + [field]].astype("string").fillna("")
        seen: dict[tuple, set] = {}
        for *key, value in zip(*(table[c].tolist() for c in keys + [field])):
            seen.setdefault(tuple(key), set()).add(value)
        if all(len(found) < 2 for found in seen.values()):
            continue  # the usual case, found cheaply; the report below is pandas'
        for _key, group in table.groupby(keys, sort=True):
            counts = group[field].value_counts()
            if len(counts) < 2:
                continue
            usual = counts.index[0]
            for idx in group.index[group[field] != usual]:
                problems.append(Problem(file, f"{field} {group.loc[idx, field]!r} differs from "
                                        f"{usual!r} on the other rows with the same "
                                        f"{', '.join(keys)} ({', '.join(group.loc[idx, keys])}); "
                                        "correct the value, or the grouping fields",
                                        int(idx) + 2, field))
    unique = [f for f in spec.get("unique", ["source_id", "quote", LOCATOR]) if f in frame]
    if unique:
        keys = frame[unique].astype("string").fillna("")
        if LOCATOR in unique:  # the fragment as read, labels filled in
            keys[LOCATOR] = pd.Series(rendered, dtype="string").reindex(keys.index).fillna("")
        keys = keys.drop(index=list(exempt_rows))
        dupes = keys.duplicated(keep="first")
        for idx in keys.index[dupes]:
            first = int(keys.index[(keys == keys.loc[idx]).all(axis=1)][0]) + 2
            problems.append(Problem(file, f"repeats the evidence of line {first} ({', '.join(unique)}): "
                                    "each row needs its own quote (or its own place in it)",
                                    int(idx) + 2, "quote"))
    return problems
