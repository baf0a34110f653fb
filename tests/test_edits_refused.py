"""Each edit listed in issue 10, followed by 'checksums --update', is refused clearly.

Every case edits a scratch copy of data/raw the way a person or a spreadsheet would,
records the new checksums (as the README says to after an intended change) and must
then fail validation with a message naming file, line, field and the quote or rule.
"""

import json
import os

import pandas as pd
import pytest

from analysis import paths
from analysis.raw import load_raw, update_checksums, validate
from analysis.raw import types as raw_types
from analysis.raw.binding import printed_number
from analysis.raw.irm_table import decode

from conftest import edit_csv


def _swap(raw, file, id_a, id_b, column):
    import csv
    import io

    rows = list(csv.reader(io.StringIO((raw / file).read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    a = next(r for r in rows if r[0] == id_a)
    b = next(r for r in rows if r[0] == id_b)
    a[col], b[col] = b[col], a[col]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (raw / file).write_text(out.getvalue(), encoding="utf-8")
    return rows.index(a) + 1, rows.index(b) + 1


def _messages(raw):
    update_checksums(raw)
    _, problems = validate(raw)
    return [str(p) for p in problems]


def test_swapped_counts_within_a_row_are_refused(raw_copy):
    line, _ = _swap(raw_copy, "attendance.csv", "irm2019-tr-arequipa-state",
                    "irm2019-tr-arequipa-cs", "count")
    messages = _messages(raw_copy)
    assert any(f"attendance.csv, line {line}, field 'count': value 29 but the quote prints '22'" in m
               and "Arequipa 22 29 3 54" in m for m in messages), messages


def test_swapped_counts_and_locators_within_a_row_are_refused(raw_copy):
    _swap(raw_copy, "attendance.csv", "irm2019-tr-arequipa-state", "irm2019-tr-arequipa-cs", "count")
    _swap(raw_copy, "attendance.csv", "irm2019-tr-arequipa-state", "irm2019-tr-arequipa-cs",
          "value_locator")
    messages = _messages(raw_copy)
    assert any("attendance.csv" in m and "field 'count'" in m and "different positions" in m
               for m in messages), messages


def test_changed_seat_count_written_in_words_is_refused(raw_copy):
    line = edit_csv(raw_copy / "bodies.csv", "c2013-osc", "seats", "4")
    messages = _messages(raw_copy)
    assert any(f"bodies.csv, line {line}, field 'seats': value 4 but the quote prints 'tres'" in m
               for m in messages), messages


def test_swapped_counts_between_themes_are_refused(raw_copy):
    a, b = _swap(raw_copy, "proposals.csv", "pcm2018-mt-ambiente", "pcm2018-mt-educacion", "count")
    messages = _messages(raw_copy)
    for line, value, printed in [(a, 4, "3"), (b, 3, "4")]:
        assert any(f"proposals.csv, line {line}, field 'count': value {value} but the quote prints "
                   f"'{printed}'" in m and "AMBIENTE (3), EDUCACION (4)" in m for m in messages), messages


def test_swapped_themes_between_rows_are_refused(raw_copy):
    a, _ = _swap(raw_copy, "proposals.csv", "pcm2018-mt-ambiente", "pcm2018-mt-educacion",
                 "theme_printed")
    messages = _messages(raw_copy)
    assert any(f"proposals.csv, line {a}, field 'value_locator'" in m and "not in the quote" in m
               for m in messages), messages


def test_borrowed_quote_for_a_new_commitment_is_refused(raw_copy):
    with (raw_copy / "commitments.csv").open("a", encoding="utf-8") as handle:
        handle.write('PE0105,ogp_web,105,2019,4,A Commitment Nobody Printed,Open Regulations,'
                     '"Commitments list, item 105","PE0104, 2019, Open Regulations",\n')
    messages = _messages(raw_copy)
    assert any("commitments.csv, line 106, field 'ogp_id': ogp_id 'PE0105' is not printed in the "
               "row's quote 'PE0104, 2019, Open Regulations'" in m for m in messages), messages
    assert any("commitments.csv, line 106, field 'quote': repeats the evidence of line 105" in m
               for m in messages), messages


def test_borrowed_irm_quote_is_refused(raw_copy):
    import csv
    import io

    rows = list(csv.reader(io.StringIO((raw_copy / "commitments_irm2017.csv").read_text(encoding="utf-8"))))
    q = rows[0].index("quote")
    rows[3][q] = rows[2][q]  # commitment 3 borrows commitment 2's relevance quote
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (raw_copy / "commitments_irm2017.csv").write_text(out.getvalue(), encoding="utf-8")
    messages = _messages(raw_copy)
    assert any("commitments_irm2017.csv, line 4, field 'quote': repeats the evidence of line 3" in m
               for m in messages), messages


def _descriptor(raw):
    return json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))


def _write_descriptor(raw, d):
    (raw / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n",
                                          encoding="utf-8")


def test_deleted_hash_then_edited_data_is_refused(raw_copy):
    d = _descriptor(raw_copy)
    del next(r for r in d["resources"] if r["name"] == "attendance")["hash"]
    _write_descriptor(raw_copy, d)
    edit_csv(raw_copy / "attendance.csv", "irm2019-tr-arequipa-other", "count", "4")
    _, problems = validate(raw_copy)  # before any checksum update
    assert any("resource 'attendance' has no 'hash'" in str(p) for p in problems), problems


def test_removed_minimum_then_negative_count_is_refused(raw_copy):
    d = _descriptor(raw_copy)
    res = next(r for r in d["resources"] if r["name"] == "attendance")
    del next(f for f in res["schema"]["fields"] if f["name"] == "count")["constraints"]["minimum"]
    _write_descriptor(raw_copy, d)
    edit_csv(raw_copy / "attendance.csv", "irm2019-tr-arequipa-other", "count", "-3")
    messages = _messages(raw_copy)
    assert any("resource 'attendance': field 'count': constraint 'minimum' is removed; the contract "
               "says 0" in m for m in messages), messages


def test_removed_resource_is_refused_without_traceback(raw_copy):
    d = _descriptor(raw_copy)
    d["resources"] = [r for r in d["resources"] if r["name"] != "consultation"]
    _write_descriptor(raw_copy, d)
    messages = _messages(raw_copy)
    assert any("resource 'consultation' is missing; the code-held contract requires it" in m
               for m in messages), messages


@pytest.mark.parametrize("spelling", ["TRUE", "True", "1", "VERDADERO", "FALSO", "0"])
def test_spreadsheet_booleans_are_refused_with_the_allowed_spellings(raw_copy, spelling):
    line = edit_csv(raw_copy / "commitments_irm2017.csv", "2", "verifiable", spelling)
    messages = _messages(raw_copy)
    assert any(f"commitments_irm2017.csv, line {line}, field 'verifiable': Type Error: {spelling!r}"
               in m and "write 'true' or 'false'" in m for m in messages), messages


def test_reconstructed_true_in_capitals_is_refused(raw_copy):
    line = edit_csv(raw_copy / "consultation.csv", "pcm2018-c4-salud-via1", "reconstructed", "TRUE")
    messages = _messages(raw_copy)
    assert any(f"consultation.csv, line {line}, field 'reconstructed': Type Error: 'TRUE'" in m
               for m in messages), messages


@pytest.mark.parametrize("value,hint", [
    ("0_3", "contains '_'"), ("５", "full-width digit"), ("1,234", "thousands separators"),
    ("12.0", "write 12"), (" 3", "spaces around"), ("3a", "is not a whole number"),
])
def test_bad_integers_get_a_message_not_a_traceback(raw_copy, value, hint):
    line = edit_csv(raw_copy / "attendance.csv", "irm2019-tr-arequipa-other", "count", value)
    messages = _messages(raw_copy)
    assert any(f"attendance.csv, line {line}, field 'count': Type Error: {value!r}" in m and hint in m
               for m in messages), messages


def test_duplicated_column_name_is_reported_as_such(raw_copy):
    text = (raw_copy / "bodies.csv").read_text(encoding="utf-8")
    (raw_copy / "bodies.csv").write_text(text.replace("id,body,year", "id,body,body", 1), encoding="utf-8")
    messages = _messages(raw_copy)
    assert any("bodies.csv, line 1: column name(s) ['body'] appear more than once" in m
               for m in messages), messages


def test_descriptor_path_outside_data_raw_is_refused_without_echo(raw_copy, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-FIRST-LINE\n", encoding="utf-8")
    d = _descriptor(raw_copy)
    next(r for r in d["resources"] if r["name"] == "bodies")["path"] = "../secret.csv"
    _write_descriptor(raw_copy, d)
    _, problems = validate(raw_copy)
    text = "\n".join(str(p) for p in problems)
    assert "resource 'bodies': path '../secret.csv' leaves data/raw" in text
    assert "TOP-SECRET" not in text


def test_symlinked_resource_is_refused_without_echo(raw_copy, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-FIRST-LINE\n", encoding="utf-8")
    (raw_copy / "bodies.csv").unlink()
    os.symlink(secret, raw_copy / "bodies.csv")
    _, problems = validate(raw_copy)
    text = "\n".join(str(p) for p in problems)
    assert "resource 'bodies': path 'bodies.csv' is a symbolic link" in text
    assert "TOP-SECRET" not in text
    with pytest.raises(ValueError, match="symbolic link"):
        update_checksums(raw_copy)


def test_absolute_descriptor_path_is_refused(raw_copy):
    d = _descriptor(raw_copy)
    next(r for r in d["resources"] if r["name"] == "bodies")["path"] = "/etc/passwd"
    _write_descriptor(raw_copy, d)
    _, problems = validate(raw_copy)
    text = "\n".join(str(p) for p in problems)
    assert "must be relative to data/raw" in text and "root:" not in text


def test_schema_check_and_loader_read_cells_alike():
    assert raw_types.read_boolean("true") is True and raw_types.read_boolean("false") is False
    assert raw_types.read_integer("12") == 12 and raw_types.read_integer("") is None
    for bad in ["TRUE", "1", "VERDADERO"]:
        with pytest.raises(raw_types.CellError):
            raw_types.read_boolean(bad)


@pytest.mark.parametrize("text,value", [("uno", 1), ("Un", 1), ("seis", 6), ("catorce", 14),
                                        ("ningún", 0), ("treinta y uno", 31), ("70.5", 70.5),
                                        ("once", 11), ("nueve", 9)])
def test_spanish_number_words(text, value):
    assert printed_number(text) == value


def test_irm_rows_decode_by_hand():
    # worked out by hand from the report: commitment 2's row and commitment 8's two rows
    assert decode(" ✔ ✔   ✔   ✔  Evaluado al final del") == {
        "verifiable": True, "access_to_information": True, "civic_participation": False,
        "public_accountability": False, "technology_innovation": True, "potential_impact": "moderate"}
    assert decode(" ✔ No es relevante a los", "   ✔ Evaluado al final del")["potential_impact"] \
        == "transformative"
    assert decode(" ✔ ✔", "    ✔  Evaluado al final del")["civic_participation"] is None


def test_irm_table_and_prose_agree_value_by_value(raw):
    table = raw["irm_assessment_readings"].set_index("irm_number")
    prose = raw["commitments_irm2017"].set_index("irm_number")
    fields = ["verifiable", "access_to_information", "civic_participation",
              "public_accountability", "technology_innovation", "potential_impact"]
    compared = 0
    for n, row in table.iterrows():
        for f in fields:
            if not pd.isna(row[f]):
                assert row[f] == prose.loc[n, f], (n, f)
                compared += 1
    assert compared == 16 * 6 + 2  # 16 fully decoded rows, 2 cells of commitment 12
    assert table.loc[18, "reading_status"] == "missing"
    assert table.loc[12, "reading_status"] == "partly_decoded"
    # the corrections made by reading the table: technology for 2, 7, 16; access for 3
    assert prose.loc[[2, 7, 14, 15, 16], "technology_innovation"].all()
    assert prose.loc[3, "access_to_information"]


def test_a_table_reading_that_disagrees_with_the_prose_is_refused(raw_copy):
    line = edit_csv(raw_copy / "commitments_irm2017.csv", "7", "technology_innovation", "false")
    edit_csv(raw_copy / "commitments_irm2017.csv", "7", "quote_technology", "")
    messages = _messages(raw_copy)
    assert any("irm_assessment_readings.csv, line 8, field 'technology_innovation': IRM commitment 7: "
               "the check-mark table says True" in m and f"line {line}) says False" in m
               for m in messages), messages


def test_a_table_value_that_its_row_does_not_mark_is_refused(raw_copy):
    line = edit_csv(raw_copy / "irm_assessment_readings.csv", "5", "potential_impact", "moderate")
    messages = _messages(raw_copy)
    assert any(f"irm_assessment_readings.csv, line {line}, field 'potential_impact': the row's check "
               "marks read 'minor'" in m for m in messages), messages


def test_table_rows_are_lines_of_the_report(raw, sources_dir):
    lines = (sources_dir / "irm-2019-peru-design-report-2017-2019.txt").read_text(
        encoding="utf-8").split("\n")
    stripped = {line.rstrip() for line in lines}
    table = raw["irm_assessment_readings"]
    for row in table[table["reading_status"] != "missing"].itertuples():
        assert row.quote in stripped, row.irm_number
        if isinstance(row.quote_continuation, str):
            assert row.quote_continuation in stripped, row.irm_number


def test_load_raw_still_works_on_the_committed_package():
    tables = load_raw(paths.RAW_DIR)
    assert str(tables["commitments_irm2017"]["verifiable"].dtype) == "boolean"


def test_truncated_notebook_is_named_not_a_traceback(tmp_path):
    from analysis.run import pipeline

    source = paths.NOTEBOOKS_DIR / "05_multistakeholder_bodies.ipynb"
    broken = tmp_path / source.name
    broken.write_bytes(source.read_bytes()[:300])
    with pytest.raises(pipeline.NotebookFailed, match="05_multistakeholder_bodies.ipynb cannot be read"):
        pipeline._declared(broken)


@pytest.mark.parametrize("file,row_id,column,value", [
    ("assessment_totals.csv", "irm2019-accountability", "plan", "4"),
    ("commitments.csv", "PE0050", "plan", "3"),
    ("attendance.csv", "irm2019-mt-salud-cs", "stage", "national_table"),
])
def test_an_unprinted_key_that_contradicts_its_neighbours_is_refused(raw_copy, file, row_id,
                                                                    column, value):
    line = edit_csv(raw_copy / file, row_id, column, value)
    messages = _messages(raw_copy)
    assert any(f"{file}, line {line}, field '{column}': {column} '{value}' differs from" in m
               for m in messages), messages


def test_emptied_policy_area_is_refused(raw_copy):
    line = edit_csv(raw_copy / "commitments.csv", "PE0026", "policy_area_as_published", "")
    messages = _messages(raw_copy)
    assert any(f"commitments.csv, line {line}, field 'quote': the quote 'PE0026, 2012, "
               "Anti-Corruption' is not the printed entry" in m for m in messages), messages


def test_a_printed_cell_marked_reconstructed_is_refused(raw_copy):
    line = edit_csv(raw_copy / "consultation.csv", "pcm2018-c4-ambiente-via1", "reconstructed", "true")
    messages = _messages(raw_copy)
    assert any(f"consultation.csv, line {line}, field 'value_locator': the row is marked as not "
               "printed" in m for m in messages), messages


def test_a_plan_label_moved_to_another_plan_is_refused(raw_copy):
    line = edit_csv(raw_copy / "plans.csv", "p2-irm2019-fn14", "plan", "3")
    messages = _messages(raw_copy)
    assert any(f"plans.csv, line {line}, field 'plan': id 'p2-irm2019-fn14' does not start with "
               "'p3-irm2019-'" in m for m in messages), messages


@pytest.mark.parametrize("column,value,fragment", [
    ("technology_innovation", "true", "technology_innovation is True but the relevance quotes do not name"),
    ("potential_impact", "minor", "potential_impact 'minor' but quote_impact names ['moderate']"),
    ("access_to_information", "false", "access_to_information is False but the relevance quotes name"),
])
def test_commitment_without_a_table_is_bound_to_its_prose(raw_copy, column, value, fragment):
    # commitment 18 has no check-mark table: its prose quotes are the only binding
    line = edit_csv(raw_copy / "commitments_irm2017.csv", "18", column, value)
    messages = _messages(raw_copy)
    assert any(f"commitments_irm2017.csv, line {line}, field '{column}': {fragment}" in m
               for m in messages), messages


def test_a_plan4_principle_not_printed_is_refused(raw_copy):
    line = edit_csv(raw_copy / "commitments_plan4.csv", "2", "integrity", "true")
    messages = _messages(raw_copy)
    assert any(f"commitments_plan4.csv, line {line}, field 'integrity': integrity is true but "
               "quote_principles does not name 'Integridad'" in m for m in messages), messages


def test_contract_add_for_a_new_resource(raw_copy, tmp_path):
    from analysis.raw import contract

    d = json.loads((raw_copy / "datapackage.json").read_text(encoding="utf-8"))
    new = json.loads(json.dumps(next(r for r in d["resources"] if r["name"] == "bodies")))
    new["name"], new["path"] = "bodies_copy", "bodies_copy.csv"
    d["resources"].append(new)
    (raw_copy / "datapackage.json").write_text(json.dumps(d, ensure_ascii=False, indent=2),
                                               encoding="utf-8")
    (raw_copy / "bodies_copy.csv").write_bytes((raw_copy / "bodies.csv").read_bytes())
    update_checksums(raw_copy)
    _, problems = validate(raw_copy)
    assert any("resource 'bodies_copy' has no code-held contract; after review run "
               "'python -m analysis contract --add bodies_copy'" in str(p) for p in problems)
    scratch = tmp_path / "contract.json"
    scratch.write_bytes(contract.CONTRACT_FILE.read_bytes())
    summary = contract.add_resource("bodies_copy", raw_dir=raw_copy, contract_file=scratch)
    assert "bind or explain: year, seats" in summary
    frozen = contract.load_contract(scratch)
    problems = contract.contract_problems(d, "datapackage.json", frozen)
    assert any("resource 'bodies_copy': the contract's quote binding is unfinished" in str(p)
               for p in problems)
    with pytest.raises(ValueError, match="already in the contract"):
        contract.add_resource("bodies_copy", raw_dir=raw_copy, contract_file=scratch)


@pytest.mark.parametrize("file,row_id,value", [
    ("consultation.csv", "pcm2018-c4-salud-total", "value"),
    ("attendance.csv", "irm2019-tr-arequipa-cs", "total"),
    ("proposals.csv", "pcm2018-mt-total", "value"),
])
def test_a_total_relabelled_as_a_part_is_refused(raw_copy, file, row_id, value):
    line = edit_csv(raw_copy / file, row_id, "row_type", value)
    messages = _messages(raw_copy)
    assert any(f"{file}, line {line}, field 'row_type': row_type '{value}'" in m for m in messages), messages
