"""Every total a document prints equals the sum of its parts, and a broken one is caught."""

import pytest

from analysis.raw import load_raw, update_checksums, validate

from conftest import edit_csv


def test_printed_totals_hold_in_the_package():
    _, problems = validate()
    assert [p for p in problems if "total" in p.message or "percent" in p.message] == []


# Each case: (file, row id, column, new value, expected fragment). Changing one printed
# part must break exactly the totals that the document prints over it.
CASES = [
    ("attendance.csv", "irm2019-tr-arequipa-state", "count", "23", "printed total 54 for 'Arequipa'"),
    ("attendance.csv", "irm2019-mt-salud-other", "count", "3", "printed total 17 for 'Salud'"),
    ("attendance.csv", "irm2019-mn-segunda-cs", "count", "20", "printed total 66"),
    ("attendance.csv", "pcm2018-c3-san-martin-osc", "count", "30", "printed total 43"),
    ("attendance.csv", "pcm2018-c3-total-public", "count", "64", "column 'Sector publico'"),
    ("attendance.csv", "pcm2018-c2-ong", "count", "103", "printed total 124"),
    ("attendance.csv", "pcm2018-c1-osc", "printed_percent", "71.5", "printed percentage 71.5%"),
    ("attendance.csv", "irm2019-tr-prose-arequipa-cs", "count", "28", "restated count 28"),
    ("proposals.csv", "pcm2018-mt-salud", "count", "3", "printed total 18 for thematic_table"),
    ("proposals.csv", "pcm2018-tr-educacion", "count", "5", "printed total 11 for regional_workshop"),
    ("consultation.csv", "pcm2018-c4-ambiente-via1", "count", "2", "printed total"),
    ("assessment_totals.csv", "irm2019-t1-relevant", "value", "17", "relevant_to_ogp_values = 17"),
    ("commitments_irm2017.csv", "8", "potential_impact", "moderate", "transformative = 1"),
    ("attendance.csv", "pcm2018-closing", "count", "56", "value 56 but the quote prints '55'"),
    ("consultation.csv", "pcm2018-visits", "count", "925", "value 925 but the quote prints '952'"),
]


@pytest.mark.parametrize("file,row_id,column,value,expected", CASES)
def test_broken_total_is_reported_with_file_line_and_field(raw_copy, file, row_id, column,
                                                           value, expected):
    edit_csv(raw_copy / file, row_id, column, value)
    update_checksums(raw_copy)  # isolate the arithmetic check from the checksum check
    _, problems = validate(raw_copy)
    messages = [str(p) for p in problems]
    assert any(expected in m for m in messages), messages
    assert all(p.line is not None for p in problems)


def test_changed_count_without_checksum_update_is_reported(raw_copy):
    line = edit_csv(raw_copy / "attendance.csv", "irm2019-mn-primera-cs", "count", "18")
    assert line > 1
    assert validate(raw_copy)[1] == []  # same value written back: nothing changed
    edit_csv(raw_copy / "attendance.csv", "irm2019-mn-primera-cs", "count", "19")
    with pytest.raises(ValueError, match="attendance.csv: content differs from the checksum"):
        load_raw(raw_copy)
