"""The register of disagreements (issue 22): every kind the issue lists is there, rows that
are not contradictions are kind "noted" and leave the count, and the generated README
section and the brief's box say what the register holds.

The expected counts are worked out by hand from data/raw/disagreements.csv (40
disagreements; 5 noted: the same 26 and the same 11 printed twice, two footnotes listing
the anaemia proposal, six axes explained as five tables, a planned schedule against the
actual dates), and the README and the box are read as text, not through the code that
wrote them.
"""

from __future__ import annotations

import csv
import re

import pytest

from analysis import paths
from analysis.clean import process as clean_process
from analysis.report import process_findings, register

#: Kinds the issue asks for, each with a disagreement that holds it (by hand, from the sources).
ISSUE_KINDS = {
    "percentage_unit": "overall-share-unit",              # 70% in words, 70.5% of organisations in Cuadro 1
    "counts_said_to_differ": "thematic-counts-said-to-differ",  # IRM note 32; no per-table count in pcm2018
    "date": "design-stage-dates",                         # Sept-Oct / May-Dec (pcm2018) vs Sept-Nov (IRM)
    "name": "interviewee-name",                           # Catherine Vega / Catherine Paucar, one report
    "principle_framework": "principle-frameworks",        # four different lists for plans I-IV
    "tag_vs_rating": "pe0078-tag-vs-rating",              # E-Government tag vs 'no es relevante'
    "claim_vs_counts": "national-tables-prioritised",     # 'se priorizaron' (pcm) vs 31/45 officials
}

#: Disagreements per kind, counted by hand from the register.
BY_KIND = {"count": 9, "date": 8, "period_label": 3, "name": 4, "category": 1, "content": 4,
           "assessment": 1, "percentage_unit": 1, "counts_said_to_differ": 1,
           "principle_framework": 1, "tag_vs_rating": 1, "claim_vs_counts": 1, "noted": 5}


def _claims() -> list[dict]:
    with open(paths.RAW_DIR / "disagreements.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _first_per_disagreement() -> dict[str, dict]:
    first: dict[str, dict] = {}
    for row in _claims():
        first.setdefault(row["disagreement_id"], row)
    return first


def test_every_kind_the_issue_lists_is_registered_with_two_quoted_claims():
    claims = _claims()
    for kind, did in ISSUE_KINDS.items():
        mine = [r for r in claims if r["disagreement_id"] == did]
        assert len(mine) >= 2 and {r["kind"] for r in mine} == {kind}, did
        assert all(r["quote"] and r["locator"] and r["claim_as_printed"] for r in mine), did
    design = {r["source_id"] for r in claims if r["disagreement_id"] == "design-stage-dates"}
    assert design == {"pcm2018", "irm2019"}
    name = {r["source_id"] for r in claims if r["disagreement_id"] == "interviewee-name"}
    assert name == {"irm2019"}


def test_counts_by_kind_match_the_hand_count(raw):
    table = clean_process.register_by_kind(clean_process.register(raw)).set_index("kind")
    assert table["n_disagreements"].drop("all_contradictions").to_dict() == BY_KIND
    assert table.loc["all_contradictions", "n_disagreements"] == 40 - 5
    assert not table.loc["noted", "contradiction"]
    processed = paths.ROOT / "data" / "processed" / "register_by_kind.csv"
    with open(processed, encoding="utf-8", newline="") as f:
        written = {r["kind"]: int(r["n_disagreements"]) for r in csv.DictReader(f)}
    assert written == {**BY_KIND, "all_contradictions": 35}


def test_rows_that_are_not_contradictions_are_noted():
    first = _first_per_disagreement()
    for did in ("national-tables-26", "regional-proposals-11", "anemia-proposal"):
        assert first[did]["kind"] == "noted", did


def test_the_commission_title_is_not_a_period_of_plan_one():
    with open(paths.RAW_DIR / "plans.csv", encoding="utf-8", newline="") as f:
        labels = {r["label_as_printed"] for r in csv.DictReader(f) if r["plan"] == "1"}
    assert "2014-2016" not in labels and {"2012-2013", "2012-2014"} <= labels
    quotes = [r["quote"] for r in _claims() if r["disagreement_id"] == "commission-name"]
    assert any("2014-2016" in q for q in quotes)


def _expected_counts() -> tuple[int, int, int, int]:
    first = _first_per_disagreement().values()
    contra = [r for r in first if r["kind"] != "noted"]
    within = sum(r["scope"] == "within_document" for r in contra)
    return len(contra), len(contra) - within, within, len(first) - len(contra)


def test_readme_section_says_what_the_register_holds():
    n, between, within, noted = _expected_counts()
    assert (n, between, within, noted) == (35, 19, 16, 5)
    text = register.PAGE.read_text(encoding="utf-8")
    section = text.split(register.START, 1)[1].split(register.END, 1)[0]
    assert (f"lists {n} contradictions: {between} between documents and {within} within a single "
            f"document; it also lists {noted} noted rows that are not contradictions") in section
    table_rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert len(table_rows) == len(_first_per_disagreement())
    for row in _first_per_disagreement().values():
        assert sum(line.startswith(f"| {row['topic']} |") for line in table_rows) == 1, row["topic"]


@pytest.mark.parametrize("lang, words", [
    ("es", "El registro lista {n} contradicciones: {between} entre documentos y {within} dentro de un "
           "mismo documento, y {noted} filas anotadas que no son contradicciones."),
    ("en", "The register lists {n} contradictions: {between} between documents and {within} within a "
           "single document, and {noted} noted rows that are not contradictions."),
])
def test_brief_box_says_what_the_register_holds(lang, words):
    n, between, within, noted = _expected_counts()
    box = process_findings.for_brief(paths.ROOT / "data" / "processed", lang)["disagreements_box"]
    assert box.startswith(words.format(n=n, between=between, within=within, noted=noted))
    assert not re.search(r"\b(every|all|todas|cada contradicci)", box.split(".")[0], re.I)


def test_box_count_moves_when_a_noted_row_becomes_a_contradiction(raw):
    reg = clean_process.register(raw)
    before = process_findings.disagreements_box(reg, "en")
    reg.loc[reg["disagreement_id"] == "national-tables-26", "kind"] = "count"
    after = process_findings.disagreements_box(reg, "en")
    assert "lists 35 contradictions" in before and "lists 36 contradictions" in after
    assert "and 4 noted rows" in after


def test_a_kind_that_differs_between_claims_or_has_no_words_is_refused(raw):
    from analysis.raw.process_checks import process_problems

    files = {name: f"data/raw/{name}.csv" for name in raw}
    d = raw["disagreements"].copy()
    # claim 2 of the La Libertad counts called a date: the claims of one disagreement disagree
    d.loc[(d["disagreement_id"] == "regional-la-libertad") & (d["claim"] == 2), "kind"] = "date"
    problems = process_problems(raw | {"disagreements": d}, files)
    assert any(p.field == "kind" and "regional-la-libertad" in p.message for p in problems)
    with pytest.raises(ValueError, match="no words for kind 'mystery'"):
        register.markdown(raw["disagreements"].assign(kind="mystery"))
