"""CONTRIBUTING's recipe for a fifth plan works, and a deliberately wrong row is caught."""

import json
import shutil

import pytest

from analysis.clean import commitments
from analysis.raw import contract, documents, load_raw, update_checksums, validate

NEW_ROW = ("PE0105,ogp_web,105,2023,5,Hypothetical Fifth-Plan Commitment,Access to Information,"
           '"Commitments list, item 105","PE0105, 2023, Access to Information",'
           "Hypothetical row for a test.\n")


@pytest.fixture(autouse=True)
def scratch_contract(tmp_path, monkeypatch):
    """The code-held contracts, copied so that the recipe's --replace and --documents steps
    can run."""
    copy = tmp_path / "contract.json"
    shutil.copy(contract.CONTRACT_FILE, copy)
    monkeypatch.setattr(contract, "CONTRACT_FILE", copy)
    docs = tmp_path / "documents.json"
    shutil.copy(documents.DOCUMENTS_FILE, docs)
    monkeypatch.setattr(documents, "DOCUMENTS_FILE", docs)
    return copy


def _derive_documents(raw_dir):
    """The last step for new rows: ``python -m analysis contract --documents``."""
    tables, problems = validate(raw_dir, documents=False)
    assert problems == []
    documents.write(tables)


def _allow_fifth_plan(raw_dir):
    """Step 2 of CONTRIBUTING: raise every plan maximum and add the new list year, then
    record the deliberate change in the code-held contract (``contract --add NAME --replace``)."""
    path = raw_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if field["name"] == "plan":
                field["constraints"]["maximum"] = 5
            if res["name"] == "commitments" and field["name"] == "list_year":
                field["constraints"]["enum"].append(2023)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for res in descriptor["resources"]:
        if any(f["name"] == "plan" for f in res["schema"]["fields"]):
            contract.add_resource(res["name"], replace=True, raw_dir=raw_dir)


def _add(raw_dir, row):
    with (raw_dir / "commitments.csv").open("a", encoding="utf-8") as handle:
        handle.write(row)


def test_fifth_plan_following_contributing(raw_copy):
    _add(raw_copy, NEW_ROW)
    update_checksums(raw_copy)
    _, problems = validate(raw_copy)
    assert any("field 'plan'" in str(p) for p in problems)  # refused until the schema allows it
    _allow_fifth_plan(raw_copy)
    update_checksums(raw_copy)
    _, problems = validate(raw_copy)   # a plan the documents did not print before: stated once
    assert [p.field for p in problems] == ["plan"] and "document contract" in str(problems[0])
    _derive_documents(raw_copy)
    tables = load_raw(raw_copy)
    assert tables["commitments"]["plan"].max() == 5
    tidy = commitments.tidy(tables)
    assert tidy.set_index("ogp_id").loc["PE0105", "irm_regime"] == "from_2020"


@pytest.mark.parametrize("wrong,fragment", [
    (NEW_ROW.replace(",2023,5,", ",2023,6,"), "field 'plan'"),
    (NEW_ROW.replace(",2023,5,", ",2024,5,"), "field 'list_year'"),
    (NEW_ROW.replace('"PE0105, 2023, Access to Information"', '""'), "field 'quote'"),
    (NEW_ROW.replace("PE0105,ogp_web", "PE0104,ogp_web"), "field 'ogp_id'"),
])
def test_a_wrong_fifth_plan_row_is_caught(raw_copy, wrong, fragment):
    _allow_fifth_plan(raw_copy)
    _add(raw_copy, wrong)
    update_checksums(raw_copy)
    _, problems = validate(raw_copy)
    messages = [str(p) for p in problems]
    assert any(fragment in m and "commitments.csv, line 106" in m for m in messages), messages


def test_descriptor_edit_without_the_contract_step_is_refused(raw_copy):
    path = raw_copy / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        for field in res["schema"]["fields"]:
            if field["name"] == "plan":
                field["constraints"]["maximum"] = 5
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    update_checksums(raw_copy)
    _, problems = validate(raw_copy)
    assert any("constraint 'maximum' is set to 5; the contract says 4" in str(p) for p in problems)
