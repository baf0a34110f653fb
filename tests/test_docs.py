"""docs/: the data dictionary is generated from both data packages and kept in step, and
every table and field has a description (a field added without one fails here)."""

from __future__ import annotations

import json
import shutil

import pytest

from analysis import paths
from analysis.report import dictionary

DOCS = paths.ROOT / "docs"


def _packages():
    return {level: json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
            for level, folder in dictionary.PACKAGES.items()}


def test_every_table_and_field_has_a_description():
    assert dictionary.missing_descriptions() == []


def test_data_dictionary_is_in_step_with_the_packages():
    assert dictionary.in_sync(), \
        "docs/data-dictionary.md differs from the datapackage.json files; run 'python -m analysis docs'"


def test_every_table_and_field_has_its_entry_and_anchor():
    text = dictionary.PAGE.read_text(encoding="utf-8")
    for level, package in _packages().items():
        for res in package["resources"]:
            anchor = f'<a id="{level}-{res["name"]}"></a>'
            assert text.count(anchor) == 1, anchor
            entry = text.split(anchor, 1)[1].split("<a id=", 1)[0]
            for field in res["schema"]["fields"]:
                row = f"| `{field['name']}` | {field['type']} |"
                assert row in entry, (level, res["name"], field["name"])
                assert field["description"].replace("|", "\\|") in entry


@pytest.fixture
def packages_copy(tmp_path):
    folders = {}
    for level, folder in dictionary.PACKAGES.items():
        dest = tmp_path / level
        dest.mkdir()
        shutil.copy(folder / "datapackage.json", dest)
        shutil.copy(folder / "attendance.csv", dest)
        folders[level] = dest
    return folders


def test_a_field_added_without_a_description_fails(packages_copy):
    path = packages_copy["processed"] / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"].append({"name": "new_field", "type": "integer"})
    path.write_text(json.dumps(package), encoding="utf-8")
    name = package["resources"][0]["name"]
    assert dictionary.missing_descriptions(packages_copy) == [f"processed/{name}.new_field"]


def test_a_column_the_descriptor_does_not_describe_fails(packages_copy):
    csv = packages_copy["raw"] / "attendance.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    csv.write_text("\n".join([lines[0] + ",extra"] + [line + "," for line in lines[1:]]) + "\n",
                   encoding="utf-8")
    assert dictionary.missing_descriptions(packages_copy) == [
        "raw/attendance.extra (in the CSV, not in the descriptor)"]


def test_a_changed_description_makes_the_page_stale(packages_copy, tmp_path):
    page = tmp_path / "data-dictionary.md"
    dictionary.update(page, packages_copy)
    assert dictionary.in_sync(page, packages_copy)
    path = packages_copy["raw"] / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"][0]["description"] = "A new description."
    path.write_text(json.dumps(package), encoding="utf-8")
    assert not dictionary.in_sync(page, packages_copy)
    assert dictionary.update(page, packages_copy)
    assert "A new description." in page.read_text(encoding="utf-8")


def test_units_are_only_those_a_name_settles():
    shares = {"name": "shares", "schema": {"fields": [{"name": "unit", "type": "string"}]}}
    assert dictionary.field_unit(shares, {"name": "n", "type": "integer"}) == "the row's `unit`"
    assert dictionary.field_unit(shares, {"name": "ci_low", "type": "number"}) == "proportion (0 to 1)"
    assert dictionary.field_unit(shares, {"name": "plan", "type": "integer"}) == ""
    assert dictionary.field_unit(shares, {"name": "x", "type": "number", "unit": "km"}) == "km"


def test_docs_links_point_to_files_and_anchors_that_exist():
    """Every relative link of README.md and docs/*.md names a file that exists, and every
    #anchor into the data dictionary names an entry it has."""
    import re

    dictionary_text = dictionary.PAGE.read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a id="([^"]+)"></a>', dictionary_text))
    pages = [paths.ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            resolved = (page.parent / file).resolve() if file else page
            assert resolved.exists(), f"{page.name}: link to {target} names no file"
            if anchor and resolved == dictionary.PAGE.resolve():
                assert anchor in anchors, f"{page.name}: no entry #{anchor} in the data dictionary"
