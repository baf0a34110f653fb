"""Property-based fuzzing of raw validation (hypothesis, seeded).

Random edits of a scratch copy of data/raw (single cells, swapped cells within a row,
swapped/dropped/duplicated rows, descriptor edits), each followed by
``update_checksums`` as a contributor would run it. Every case must either

- fail with one-line messages that name a file (and, for a cell, the field), or
- pass, and then only free text changed (notes, titles, descriptions) or a field the
  contract declares an interpretation (not printed in the documents, listed with its
  reason under ``interpretations``): no printed number, flag, category or identifier may
  change without validation noticing. Quotes are checked too when the sources are near.

Never a traceback. ``make test`` runs a short seeded run; ``make fuzz`` a long one
(``FUZZ_EXAMPLES``). Validation only: notebooks are not run.
"""

import csv
import io
import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.problems import RawDataError
from analysis.raw import update_checksums, validate
from analysis.raw.contract import load_contract
from analysis.raw.quotes import quote_problems

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "100"))
CONTRACT = load_contract()
RESOURCES = sorted(CONTRACT["resources"])
#: Columns whose content is words for readers; changing them cannot change a number.
FREE_TEXT = {"note", "description", "title_es", "title_as_published", "proposal_as_printed",
             "reference", "publisher", "short_name", "url", "locator", "lead_institution",
             "quote_lead", "quote_verifiability", "quote_impact", "quote_technology",
             "quote_other_value", "institution_printed", "date_as_printed", "body", "language",
             "file", "title", "event", "seat_type_printed", "quote", "value_locator",
             "quote_continuation", "resolution", "label_as_printed", "theme_printed",
             "id"}  # internal row ids: no output prints them
MUTATIONS = ["", "TRUE", "1", "VERDADERO", "0_3", "５", "1,234", "12.0", "-1", "0", "99999",
             " 3", "x", "true", "false", "none", "Total", "PE0001", "irm2019", "value", "2017"]


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    target = tmp_path_factory.mktemp("pristine") / "raw"
    shutil.copytree(paths.RAW_DIR, target)
    return target


edits = st.one_of(
    st.tuples(st.just("cell"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.integers(0, 10**6), st.one_of(st.sampled_from(MUTATIONS), st.text(max_size=6),
                                               st.just("<other-row>"), st.just("<digit+1>"))),
    st.tuples(st.just("swap_cells"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.integers(0, 10**6), st.integers(0, 10**6)),
    st.tuples(st.just("swap_rows"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.integers(0, 10**6), st.just(None)),
    st.tuples(st.just("drop_row"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.just(0), st.just(None)),
    st.tuples(st.just("dup_row"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.just(0), st.just(None)),
    st.tuples(st.just("descriptor"), st.sampled_from(RESOURCES), st.integers(0, 10**6),
              st.sampled_from(["drop_constraint", "drop_hash", "drop_bytes", "drop_resource",
                               "path_up", "type_string", "drop_field", "rename_field"]),
              st.just(None)),
)


def _apply(raw, edit):
    """Apply one edit; return (kind, resource, column or None, row changed?)."""
    kind, name, a, b, c = edit
    res = CONTRACT["resources"][name]
    path = raw / res["path"]
    rows = _rows(path)
    header, body = rows[0], rows[1:]
    if kind == "descriptor":
        d = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
        r = next(x for x in d["resources"] if x["name"] == name)
        fields = r["schema"]["fields"]
        field = fields[a % len(fields)]
        if b == "drop_constraint" and field.get("constraints"):
            field["constraints"].pop(sorted(field["constraints"])[0])
        elif b == "drop_hash":
            r.pop("hash")
        elif b == "drop_bytes":
            r.pop("bytes")
        elif b == "drop_resource":
            d["resources"].remove(r)
        elif b == "path_up":
            r["path"] = "../" + r["path"]
        elif b == "type_string":
            field["type"] = "string"
        elif b == "drop_field":
            fields.remove(field)
        elif b == "rename_field":
            field["name"] = field["name"] + "_x"
        (raw / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2),
                                              encoding="utf-8")
        return kind, name, None, None
    if not body:
        return kind, name, None, None
    i = a % len(body)
    if kind == "cell":
        col = b % len(header)
        old = body[i][col]
        if c == "<other-row>":
            new = body[(i + 1) % len(body)][col]
        elif c == "<digit+1>":
            new = "".join(str((int(ch) + 1) % 10) if ch.isdigit() else ch for ch in old)
        else:
            new = c
        body[i][col] = new
        _write(path, [header] + body)
        return kind, name, header[col], old != new
    if kind == "swap_cells":
        x, y = b % len(header), c % len(header)
        changed = body[i][x] != body[i][y]
        body[i][x], body[i][y] = body[i][y], body[i][x]
        _write(path, [header] + body)
        return kind, name, (header[x], header[y]), changed
    if kind == "swap_rows":
        j = b % len(body)
        body[i], body[j] = body[j], body[i]
    elif kind == "drop_row":
        body.pop(i)
    elif kind == "dup_row":
        body.insert(i, list(body[i]))
    _write(path, [header] + body)
    return kind, name, None, True


def _check(raw, edit):
    kind, name, column, changed = _apply(raw, edit)
    try:
        update_checksums(raw)
    except RawDataError as exc:
        problems = exc.problems
    else:
        tables, problems = validate(raw)
        if not problems and paths.sources_dir() is not None:
            problems = quote_problems(tables, {n: f"{n}.csv" for n in tables}, paths.sources_dir())
    for p in problems:
        text = str(p)
        assert "\n" not in text, text
        assert ".csv" in p.file or "datapackage.json" in p.file, text
        assert "Traceback" not in text
    if problems or not changed:
        return
    # it passed: only free text may have changed, and row order, or a row removed
    allowed = FREE_TEXT | set(CONTRACT["resources"][name]["binding"].get("interpretations", {}))
    if kind == "cell":
        assert column in allowed, f"silent change of {name}.{column} by {edit}"
    elif kind == "swap_cells":
        assert set(column) <= allowed, f"silent swap of {name}.{column} by {edit}"


@settings(max_examples=EXAMPLES, deadline=None, derandomize=False, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          database=None)
@seed(int(os.environ.get("FUZZ_SEED", "20261127")))
@given(edit=edits)
def test_no_traceback_and_no_silent_change(pristine, tmp_path_factory, edit):
    raw = tmp_path_factory.mktemp("fuzz") / "raw"
    shutil.copytree(pristine, raw)
    try:
        _check(raw, edit)
    finally:
        shutil.rmtree(raw.parent, ignore_errors=True)
