"""Printed shares and totals reproduced from the rows (issue 22, item 4).

Every expected value is worked out by hand from the documents: the share from the counts
the same table prints, rounded to the decimals the document prints."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis import paths
from analysis.clean.printed import printed_checks

#: check_id -> (as printed, numerator, denominator, rounded by hand to the printed decimals)
SHARES = {
    # Cuadro 1: 124 + 52 = 176 organisations; 124/176 = 70.45% -> 70.5; 52/176 = 29.55% -> 29.5
    "cuadro1-osc": ("70.5%", 124, 176, 70.5),
    "cuadro1-public": ("29.5%", 52, 176, 29.5),
    # the prose: 'el 70% de la participacion' = 124/176 at no decimals -> 70
    "overall-civil-society-in-words": ("70%", 124, 176, 70),
    # Cuadro 2: 8 + 5 + 9 + 102 = 124; 6.45 -> 6.5, 4.03 -> 4.0, 7.26 -> 7.3, 82.26 -> 82.3
    "cuadro2-academia": ("6.5%", 8, 124, 6.5),
    "cuadro2-coop": ("4.0%", 5, 124, 4.0),
    "cuadro2-empresa": ("7.3%", 9, 124, 7.3),
    "cuadro2-ong": ("82.3%", 102, 124, 82.3),
    # Cuadro 3: state 27 + 14 + 22 = 63, civil society 22 + 29 + 31 = 82, of 145
    # 63/145 = 43.45 -> 43; 82/145 = 56.55 -> 57 (also the prose's '57%')
    "cuadro3-c3-total-public": ("43%", 63, 145, 43),
    "cuadro3-c3-total-osc": ("57%", 82, 145, 57),
    "cuadro3-regional-prose": ("57%", 82, 145, 57),
    # IRM table 1: 16 of 18 relevant = 88.9 -> 89; 1 of 18 transformative = 5.6 -> 6
    "irm-relevant_to_ogp_values-share": ("89%", 16, 18, 89),
    "irm-transformative-share": ("6%", 1, 18, 6),
}

#: check_id -> (printed, computed from the rows); the government's 17 is not the 18 listed
TOTALS = {
    "total-c1-total": (176, 176), "total-c2-total": (124, 124), "total-c3-total-total": (145, 145),
    "total-regional-prose": (145, 145),
    "funnel-thematic_table": (18, 3 + 4 + 5 + 2 + 2 + 2),
    "funnel-regional_workshop": (11, 1 + 1 + 2 + 2 + 1 + 4),
    "final-plan-irm2019-final": (18, 18), "final-plan-pcm2018-final-intro": (18, 18),
    "final-plan-pcm2018-final-b7": (17, 18),
    "irm-relevant_to_ogp_values": (16, 16), "irm-transformative": (1, 1), "irm-commitments": (18, 18),
    "plan4-commitments": (21, 21),
}

#: ratios no document prints: check_id -> (numerator, denominator)
DERIVED = {
    "cuadro2-ong-of-all-organisations": (102, 176),     # 57.95% of all organisations
    "funnel-national-of-pool": (26, 18 + 11),
    "funnel-final-of-national": (18, 26),
    "funnel-final-of-pool": (18, 18 + 11),
    "growth-plan3-to-plan4": (21 - 18, 18),             # 16.7%
}


@pytest.fixture(scope="module")
def table(raw):
    return printed_checks(raw).set_index("check_id")


def test_printed_shares_agree_to_the_printed_precision(table):
    for check_id, (printed, num, den, by_hand) in SHARES.items():
        row = table.loc[check_id]
        assert (row["printed_as"], row["numerator"], row["denominator"]) == (printed, num, den), check_id
        decimals = len(printed.rstrip("%").split(".")[1]) if "." in printed else 0
        assert row["decimals_printed"] == decimals, check_id
        assert row["computed_at_printed_precision"] == by_hand, check_id
        assert abs(row["computed_value"] - 100 * num / den) < 1e-9, check_id
        assert row["agrees"] and not row["derived"], check_id


def test_printed_totals_against_their_rows(table):
    for check_id, (printed, computed) in TOTALS.items():
        row = table.loc[check_id]
        assert (row["printed_value"], row["numerator"]) == (printed, computed), check_id
        assert bool(row["agrees"]) == (printed == computed), check_id


def test_ratios_no_document_prints_are_derived(table):
    for check_id, (num, den) in DERIVED.items():
        row = table.loc[check_id]
        assert (row["numerator"], row["denominator"]) == (num, den), check_id
        assert row["derived"] and row["derivation"].startswith("not printed"), check_id
        assert row["printed_as"] == "" and pd.isna(row["agrees"]), check_id
    assert round(table.loc["growth-plan3-to-plan4", "computed_value"], 1) == 16.7
    assert round(table.loc["cuadro2-ong-of-all-organisations", "computed_value"], 2) == 57.95


def test_every_row_is_checked_here(table):
    assert set(table.index) == set(SHARES) | set(TOTALS) | set(DERIVED)


def test_a_changed_count_no_longer_agrees_with_the_print(raw):
    att = raw["attendance"].copy()
    att.loc[att["id"] == "pcm2018-c2-ong", "count"] = 103      # 103/125 = 82.4% != 82.3%
    row = printed_checks(raw | {"attendance": att}).set_index("check_id").loc["cuadro2-ong"]
    assert row["computed_at_printed_precision"] == 82.4 and not row["agrees"]


def test_the_processed_table_is_the_one_computed(table):
    with open(paths.ROOT / "data" / "processed" / "printed_checks.csv", encoding="utf-8", newline="") as f:
        written = {r["check_id"]: r for r in csv.DictReader(f)}
    assert set(written) == set(table.index)
    assert {k for k, r in written.items() if r["agrees"] == "False"} == {"final-plan-pcm2018-final-b7"}
