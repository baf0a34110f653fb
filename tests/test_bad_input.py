"""Bad input gets a clear error naming file, line and field, and leaves outputs untouched.

Each case corrupts a scratch copy of data/raw the way a person or a spreadsheet might,
then runs the main job (``analysis.run.pipeline.run``) against it. The run must stop before
any notebook executes, say where the problem is, and change no output byte.
"""

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.raw import corrections, update_checksums
from analysis.run import pipeline

from conftest import edit_csv


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def drop_column(raw, name="attendance.csv", column="count"):
    rows = _rows(raw / name)
    i = rows[0].index(column)
    _write_rows(raw / name, [r[:i] + r[i + 1:] for r in rows])


def duplicate_row(raw, name="attendance.csv", line=5):
    rows = _rows(raw / name)
    _write_rows(raw / name, rows[:line] + [rows[line - 1]] + rows[line:])


def spreadsheet_semicolons(raw, name="bodies.csv"):
    rows = _rows(raw / name)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(rows)
    (raw / name).write_text(out.getvalue(), encoding="utf-8")


def decimal_comma(raw):
    text = (raw / "attendance.csv").read_text(encoding="utf-8")
    (raw / "attendance.csv").write_text(text.replace(",70.5,value,", ",70,5,value,"), encoding="utf-8")


def bom(raw, name="plans.csv"):
    (raw / name).write_bytes(b"\xef\xbb\xbf" + (raw / name).read_bytes())


def crlf(raw, name="events.csv"):
    (raw / name).write_bytes((raw / name).read_bytes().replace(b"\n", b"\r\n"))


def latin1(raw, name="sources.csv"):
    # characters latin-1 lacks (the en dashes of a page title) become "?": still not UTF-8
    (raw / name).write_bytes((raw / name).read_text(encoding="utf-8").encode("latin-1", "replace"))


def broken_descriptor(raw):
    text = (raw / "datapackage.json").read_text(encoding="utf-8")
    (raw / "datapackage.json").write_text(text.replace('"resources": [', '"resources": [,', 1),
                                          encoding="utf-8")


def descriptor_without_path(raw):
    d = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
    del d["resources"][2]["path"]
    (raw / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")


def set_cell(name, row_id, column, value):
    return lambda raw: edit_csv(raw / name, row_id, column, value)


def empty(name):
    return lambda raw: (raw / name).write_text("", encoding="utf-8")


def missing(name):
    return lambda raw: (raw / name).unlink()


def drop_event(raw, source="irm2019", event="La Libertad"):
    """Every row of one event of one account deleted (the checksums re-blessed after)."""
    rows = _rows(raw / "attendance.csv")
    i, j = rows[0].index("source_id"), rows[0].index("event")
    _write_rows(raw / "attendance.csv", [r for r in rows if not (r[i] == source and r[j] == event)])


def header_only(name):
    def corrupt(raw):
        rows = _rows(raw / name)
        _write_rows(raw / name, rows[:1])
    return corrupt


def huge_file(raw, name="attendance.csv"):
    """300 MB (sparse: no disk and no time spent writing it), refused from its size."""
    import os

    os.truncate(raw / name, 300 * 2**20)


# (id, corruption, update checksums first?, fragments the message must contain)
CASES = [
    ("missing column", drop_column, True,
     ["attendance.csv, line 1", "missing column(s) ['count']"]),
    ("unknown stage", set_cell("attendance.csv", "irm2019-mn-primera-cs", "stage", "plenary"), True,
     ["attendance.csv, line {line}, field 'stage'", "'plenary'"]),
    ("unknown actor label", set_cell("attendance.csv", "irm2019-mn-primera-cs", "actor_printed", "Ciudadanos"),
     True, ["attendance.csv, line {line}, field 'actor_printed'", "'Ciudadanos'"]),
    ("negative count", set_cell("attendance.csv", "irm2019-tr-arequipa-other", "count", "-3"), True,
     ["attendance.csv, line {line}, field 'count'", "minimum", "'-3'"]),
    ("non-integer count", set_cell("attendance.csv", "irm2019-tr-arequipa-other", "count", "3.5"), True,
     ["attendance.csv, line {line}, field 'count'", "Type Error", "'3.5'"]),
    ("total no longer equals parts", set_cell("attendance.csv", "irm2019-tr-arequipa-cs", "count", "30"), True,
     ["attendance.csv, line", "field 'count'", "printed total 54 for 'Arequipa'"]),
    ("duplicate key", duplicate_row, True, ["attendance.csv, line 6, field 'id'", "duplicates the key"]),
    ("unknown source_id", set_cell("bodies.csv", "c2013-judicial", "source_id", "inei2020"), True,
     ["bodies.csv, line {line}, field 'source_id'", "'inei2020'"]),
    ("spreadsheet export with ';'", spreadsheet_semicolons, True,
     ["bodies.csv, line 1", "uses ';' as delimiter"]),
    ("decimal comma", decimal_comma, True, ["attendance.csv, line 4", "decimal comma"]),
    ("UTF-8 byte-order mark", bom, True, ["plans.csv, line 1", "byte-order mark"]),
    ("Windows line endings", crlf, True, ["events.csv, line 1", "CRLF"]),
    ("not UTF-8", latin1, False, ["sources.csv, line 2", "not UTF-8"]),
    ("empty file", empty("proposals.csv"), False, ["proposals.csv", "file is empty"]),
    ("missing file", missing("consultation.csv"), False, ["consultation.csv", "file is missing"]),
    ("plan out of range", set_cell("commitments.csv", "PE0050", "plan", "5"), True,
     ["commitments.csv, line {line}, field 'plan'", "maximum", "'5'"]),
    ("quote not in its source", lambda raw: (
        set_cell("attendance.csv", "irm2019-mn-primera-cs", "value_locator", "{event} 31 [18] 3 53")(raw),
        set_cell("attendance.csv", "irm2019-mn-primera-cs", "quote", "Primera mesa 31 18 3 53")(raw))[1],
     True,
     ["attendance.csv, line {line}, field 'quote'", "quote not found"]),
    ("broken datapackage.json", broken_descriptor, False, ["datapackage.json, line", "not valid JSON"]),
    ("descriptor resource without path", descriptor_without_path, False,
     ["datapackage.json", "resource #3 needs 'name', 'path'"]),
    ("changed without checksum", set_cell("attendance.csv", "irm2019-tr-arequipa-other", "count", "4"), False,
     ["attendance.csv", "differs from the checksum"]),
    ("empty required quote", set_cell("bodies.csv", "c2013-osc", "quote", ""), True,
     ["bodies.csv, line {line}, field 'quote'", "required"]),
    ("foreign key to an unknown commitment", set_cell("commitments_irm2017.csv", "5", "ogp_id", "PE0999"), True,
     ["commitments_irm2017.csv, line {line}, field 'ogp_id'", "does not exist", "PE0999"]),
    ("boolean as 'yes'", set_cell("commitments_irm2017.csv", "2", "verifiable", "yes"), True,
     ["commitments_irm2017.csv, line {line}, field 'verifiable'", "Type Error", "'yes'"]),
    ("malformed OGP id", set_cell("commitments.csv", "PE0010", "ogp_id", "PE10"), True,
     ["commitments.csv, line {line}, field 'ogp_id'", "pattern", "'PE10'"]),
    ("restated count differs", set_cell("attendance.csv", "irm2019-tr-prose-arequipa-total", "count", "55"), True,
     ["attendance.csv", "field 'count'", "restated count 55"]),
    # issue 24: accepted silently before, or refused with a traceback and no location
    ("an event one account printed deleted", drop_event, True,
     ["attendance.csv, field 'event'", "no row left for", "'La Libertad'", "source 'irm2019' prints"]),
    ("impossible date as printed", set_cell("attendance.csv", "irm2019-tr-arequipa-cs", "date_as_printed",
                                            "31/09/2017"), True,
     ["attendance.csv, line {line}, field 'date_as_printed'", "31/09/2017 is not a real date"]),
    ("impossible date in words", set_cell("events.csv", "pcm2018-thematic", "date_as_printed",
                                          "entre el 11 y 31 de setiembre"), True,
     ["events.csv, line {line}, field 'date_as_printed'", "day 31 of setiembre does not exist"]),
    ("count of 10^20", set_cell("attendance.csv", "irm2019-tr-arequipa-other", "count", str(10**20)), True,
     ["attendance.csv, line {line}, field 'count'", "too large for a count"]),
    ("1 MB cell", set_cell("bodies.csv", "c2013-osc", "note", "x" * 1_000_000), True,
     ["bodies.csv, line {line}, field 'note'", "a cell of 1000000 characters"]),
    ("printed name no longer in its quote", set_cell("commitments_plan4.csv", "10", "institution_printed",
                                                     "Ministerio de Cultura"), True,
     ["commitments_plan4.csv, line {line}, field 'institution_printed'",
      "'Ministerio de Cultura' is not printed in the row's"]),
    ("printed title not in its document", set_cell("commitments.csv", "PE0010", "title_as_published",
                                                    "Un título que ningún documento imprime"), True,
     ["commitments.csv, line {line}, field 'title_as_published'",
      "'Un título que ningún documento imprime' is not printed in", "not_verbatim.yaml"]),
    ("a value listed as not verbatim changed", set_cell("events.csv", "pcm2018-thematic", "date_as_printed",
                                                        "entre el 11 y 18 de setiembre"), True,
     ["events.csv, line {line}, field 'date_as_printed'", "not_verbatim.yaml lists 'pcm2018-thematic'",
      "now reads 'entre el 11 y 18 de setiembre'"]),
    ("header-only table", header_only("bodies.csv"), True,
     ["bodies.csv", "has 0 data row(s); the analyses need at least 1"]),
    ("300 MB raw file", huge_file, False,
     ["attendance.csv", "is 300.0 MB; raw files are limited to 4 MB", "was not read"]),
]


def _digests(*roots: Path) -> dict[str, str]:
    found = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """A scratch copy of the committed outputs for the runs to (not) write into: one for
    every refusal (8 MB each were half of what the test suite wrote); each test compares
    its digests before and after its own run."""
    target = tmp_path_factory.mktemp("outputs") / "target"
    for rel in ["data/processed", "reports", "notebooks"]:
        shutil.copytree(paths.ROOT / rel, target / rel)
    return target


#: The one case run as ``make all`` runs, with warm kernels started while validation runs;
#: the others pass ``fresh_kernels``, which starts no kernel before the data is valid, so
#: that fifty refusals do not each start and kill two kernels. The checks are the same.
WARM_CASE = "total no longer equals parts"


def _run_against(raw_copy: Path, outputs: Path, monkeypatch,
                 warm: bool = False) -> tuple[int, str, dict, dict]:
    from analysis.run import kernels

    monkeypatch.setattr(paths, "RAW_DIR", raw_copy)
    staging = outputs.parent / ".staging"    # not the repository's: its lock is not shared
    monkeypatch.setattr(pipeline, "STAGING", staging)
    monkeypatch.setattr(pipeline, "JOURNAL", staging / "commit.json")
    monkeypatch.setattr(pipeline, "LOCK", staging / "run.lock")
    executed, started = [], []
    monkeypatch.setattr(pipeline, "execute", lambda *a, **k: executed.append(a))
    real_start = kernels.Kernel.start_preimport

    def start_preimport(self, names):
        started.append(self.km.provisioner.pid)
        real_start(self, names)

    monkeypatch.setattr(kernels.Kernel, "start_preimport", start_preimport)
    committed = [paths.ROOT / "data" / "processed", paths.ROOT / "reports"]
    before = _digests(outputs), _digests(*committed)
    messages: list[str] = []
    code = pipeline.run(log=messages.append, target=outputs, fresh_kernels=not warm)
    assert executed == [], "a notebook ran despite bad input"
    if warm:
        assert started, "warm kernels were expected to start while the data was validated"
    assert not [pid for pid in started if _alive(pid)], "a kernel outlived the refused run"
    assert not list(staging.glob("run-*")), "the refused run left its staging folder"
    return code, "\n".join(messages), before, (_digests(outputs), _digests(*committed))


def _alive(pid: int) -> bool:
    """A live (not zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("label,corrupt,rehash,fragments", CASES, ids=[c[0] for c in CASES])
def test_corrupted_raw_data_is_refused_clearly(raw_copy, outputs, monkeypatch, label, corrupt,
                                                rehash, fragments, request):
    if label == "quote not in its source" and paths.sources_dir() is None and os.environ.get("CI"):
        pytest.fail("shared/sources/ is missing; in CI the quotes must be checked, not skipped")
    if label == "quote not in its source" and paths.sources_dir() is None:
        pytest.skip("shared/sources/ is not beside the repository; quotes cannot be checked here")
    line = corrupt(raw_copy)
    fragments = [f.format(line=line) for f in fragments]
    if rehash:
        update_checksums(raw_copy)
    code, message, before, after = _run_against(raw_copy, outputs, monkeypatch, warm=label == WARM_CASE)
    assert code == 1, message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert before == after


def test_at_least_twenty_distinct_corruptions():
    assert len({c[0] for c in CASES}) >= 20
    assert WARM_CASE in {c[0] for c in CASES}


def test_stale_correction_is_refused(raw_copy, outputs, monkeypatch, tmp_path):
    table = (paths.ROOT / "data" / "corrections" / "commitment_titles.csv").read_text(encoding="utf-8")
    stale = tmp_path / "commitment_titles.csv"
    stale.write_text(table.replace("Dislose University Data Online,Disclose",
                                   "Dislose Univ Data Online,Disclose"), encoding="utf-8")
    monkeypatch.setattr(corrections, "CORRECTIONS", stale)
    code, message, before, after = _run_against(raw_copy, outputs, monkeypatch)
    assert code == 1 and "line 3, field 'title_as_published': no longer matches" in message
    assert before == after
