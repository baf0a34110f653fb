"""The notebooks' narrative: every section a notebook shows exists in both languages, and
every section written is shown (analysis.report.narrative)."""

from __future__ import annotations

import ast
import json

import pytest

from analysis import paths
from analysis.report import narrative

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _shown(notebook_path) -> list[tuple[str, str]]:
    """(notebook, section) of every ``narrative.show(...)`` call in the notebook's code cells."""
    calls = []
    for cell in json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "show" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "narrative"):
                first, second = node.args[:2]
                calls.append((first.value, second.value))
    return calls


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_section_shown_exists_and_every_section_is_shown(notebook_path):
    shown = _shown(notebook_path)
    if not narrative.path(notebook_path.stem).exists():
        assert shown == [], f"{notebook_path.name} shows narrative sections but has no narrative file"
        return
    assert shown, f"{notebook_path.name} has a narrative file but shows none of it"
    assert {nb for nb, _ in shown} == {notebook_path.stem}
    written = set(narrative.sections(notebook_path.stem))
    used = [section for _, section in shown]
    assert sorted(set(used) - written) == [], "sections shown but not written"
    assert sorted(written - set(used)) == [], "sections written but never shown"
    assert len(used) == len(set(used)), "a section shown twice"


def test_a_section_without_both_languages_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative, "FOLDER", tmp_path)
    narrative.sections.cache_clear()
    (tmp_path / "99_x.yaml").write_text("intro:\n  es: '# Hola'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="section 'intro' must have exactly the keys es, en"):
        narrative.sections("99_x")
    (tmp_path / "99_y.yaml").write_text("intro:\n  es: '# Hola'\n  en: '  '\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no words in 'en'"):
        narrative.sections("99_y")
    narrative.sections.cache_clear()


def test_text_follows_lang_and_fills_facts(tmp_path, monkeypatch):
    monkeypatch.setattr(narrative, "FOLDER", tmp_path)
    narrative.sections.cache_clear()
    (tmp_path / "99_z.yaml").write_text(
        "share:\n  es: 'La sociedad civil fue {{ s|pct(1) }}.'\n  en: 'Civil society was {{ s|pct(1) }}.'\n",
        encoding="utf-8")
    assert narrative.text("99_z", "share", "es", s=0.3274) == "La sociedad civil fue 32.7%.\n"
    assert narrative.text("99_z", "share", "en", s=0.3274) == "Civil society was 32.7%.\n"
    with pytest.raises(ValueError, match="lang must be one of es, en"):
        narrative.text("99_z", "share", "fr", s=0.3)
    narrative.sections.cache_clear()
