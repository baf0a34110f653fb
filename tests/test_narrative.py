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


# ----------------------------------------------------------------- tables as displayed
def test_tables_show_labels_percentages_and_not_reported():
    import pandas as pd

    from analysis.report import tables

    df = pd.DataFrame({"source_id": ["irm2019", "pcm2018"], "stage": ["national_table", "regional_workshop"],
                       "other_as": ["exclude", "state"], "n": pd.array([113, None], dtype="Int64"),
                       "share_civil_society": [37 / 113, None], "p_value": [0.000139, 0.25],
                       "method": ["chi-square: regional_workshop vs national_table", "x"]})
    es, en = tables.labelled(df, "es"), tables.labelled(df, "en")
    assert list(es.columns) == ["Fuente", "Etapa", "Tratamiento de «otros»", "Total (n)",
                                "Proporción de sociedad civil", "Valor p", "Prueba"]
    assert es.iloc[0].tolist() == ["IRM (actas firmadas)", "Mesas nacionales", "excluidos", "113", "32.7%",
                                   "< 0.001", "ji cuadrado: Talleres regionales frente a Mesas nacionales"]
    assert es.iloc[1].tolist()[2:5] == ["como Estado", "no reportado", "no reportado"]
    assert en.iloc[1].tolist()[3:6] == ["not reported", "not reported", "0.250"]
    assert tables.labelled(df[["source_id"]], "en", report=True).iloc[0, 0] == "IRM (design report)"
    assert df["share_civil_society"].iloc[0] == 37 / 113  # the table itself is left unchanged
    with pytest.raises(KeyError, match="no heading for column 'snake_case_column'"):
        tables.labelled(pd.DataFrame({"snake_case_column": [1]}), "es")


def _html_tables(notebook_path):
    import re

    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", []))
            if "<table" in html:
                yield (re.findall(r"<th[^>]*>(.*?)</th>", html, re.S),
                       re.findall(r"<td[^>]*>(.*?)</td>", html, re.S))


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_tables_show_no_ids_na_or_long_decimals(notebook_path):
    """What a reader sees in the committed (es) notebooks: no snake_case heading, no <NA> or
    NaN, no percentage with more than one decimal, no share printed as a bare fraction."""
    import re

    seen = 0
    for headings, cells in _html_tables(notebook_path):
        seen += 1
        assert not [h for h in headings if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", h.strip())], headings
        for cell in cells:
            assert cell.strip() not in {"&lt;NA&gt;", "NaN", "None", "nan"}, (notebook_path.name, headings)
            assert not re.search(r"\d\.\d{2,}%", cell), (notebook_path.name, cell)
            assert not re.fullmatch(r"-?0\.\d{4,}", cell.strip()), (notebook_path.name, cell)
    assert seen, f"{notebook_path.name} displays no table"


@pytest.mark.parametrize("notebook_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_hold_no_markdown_and_end_with_references(notebook_path):
    """Every word a notebook displays follows lang: no Markdown cell, and the last cell shows
    the references, the citation and the data-dictionary links."""
    nb = json.loads(notebook_path.read_text(encoding="utf-8"))
    assert [c["cell_type"] for c in nb["cells"]].count("markdown") == 0
    last = nb["cells"][-1]
    assert "".join(last["source"]).startswith(f'narrative.closing("{notebook_path.stem}", lang')
    shown = "".join("".join(o["data"]["text/markdown"]) for o in last["outputs"]
                    if "text/markdown" in o["data"])
    assert "## Referencias" in shown and "## Cómo citar este cuaderno" in shown
    assert "../docs/data-dictionary.md#" in shown


def test_closing_cites_the_documents_of_the_tables_read():
    facts = narrative.closing_facts("05_multistakeholder_bodies", "en", raw=["bodies"])
    # bodies.csv rows cite the IRM (2013 commission) and SPDA (2020 forum), nothing else
    assert [r["label"] for r in facts["references"]] == ["IRM (2019)", "SPDA (2022)"]
    assert facts["version"] and facts["date_iso"]
    text = narrative.text(narrative.CLOSING, "closing", "en", **facts)
    assert "(../docs/data-dictionary.md#raw-bodies)" in text
    assert "notebook `05_multistakeholder_bodies`, version " in text
    with pytest.raises(KeyError, match="no raw table nowhere"):
        narrative.closing_facts("05_multistakeholder_bodies", "en", raw=["nowhere"])


# ------------------------------------------------- an en execution against the committed es one
def compare_languages(executed_dir, committed_dir) -> int:
    """For every notebook executed with lang=en in ``executed_dir``: its code cells are the
    committed (lang=es) notebook's, apart from papermill's injected parameters; every section
    without facts shows exactly narrative.text(..., "en") where the committed one shows
    narrative.text(..., "es"), and the two differ; every other Markdown output differs from
    the committed one's. Returns the number of notebooks compared. (Called by the sweep test,
    which runs lang=en once for every notebook.)"""
    import ast

    compared = 0
    for committed_path in sorted(committed_dir.glob("[0-9][0-9]_*.ipynb")):
        executed = json.loads((executed_dir / committed_path.name).read_text(encoding="utf-8"))
        committed = json.loads(committed_path.read_text(encoding="utf-8"))
        code_en = [c for c in executed["cells"]
                   if "injected-parameters" not in c["metadata"].get("tags", [])]
        same = ["".join(c["source"]) for c in code_en] == ["".join(c["source"]) for c in committed["cells"]]
        assert same, committed_path.name
        for en_cell, es_cell in zip(code_en, committed["cells"]):
            en_md = ["".join(o["data"]["text/markdown"]) for o in en_cell.get("outputs", [])
                     if "text/markdown" in o.get("data", {})]
            es_md = ["".join(o["data"]["text/markdown"]) for o in es_cell.get("outputs", [])
                     if "text/markdown" in o.get("data", {})]
            assert len(en_md) == len(es_md), (committed_path.name, "".join(es_cell["source"])[:80])
            for en_text, es_text in zip(en_md, es_md):
                assert en_text != es_text, (committed_path.name, en_text[:80])
            body = ast.parse("".join(es_cell["source"])).body
            call = getattr(body[-1], "value", None) if body else None
            if (isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "show"
                    and len(call.args) == 3 and not call.keywords):
                nb, section = call.args[0].value, call.args[1].value
                assert en_md == [narrative.text(nb, section, "en")], (nb, section)
                assert es_md == [narrative.text(nb, section, "es")], (nb, section)
        compared += 1
    return compared


def test_figure_sentences_are_computed_from_the_data():
    """Worked by hand from the sources: the IRM's sheets give civil society 37 of 113 at the
    national tables (the only one of four stage points below parity); survival runs from 5 of
    29 (17.2%) to 13 of 29 (44.8%) proposals by the IRM's report."""
    from analysis.clean import processed
    from analysis.report import notebook_facts

    shares = processed.read_table("shares", paths.ROOT / "data" / "processed")
    text = narrative.text("02_participation_shares", "by_stage_figure", "en",
                          **notebook_facts.shares_by_stage(shares, "exclude"))
    assert "32.7% (37 of 113) at the national tables" in text
    assert "1 of 4 points lies below parity" in text
    surv = processed.read_table("survival", paths.ROOT / "data" / "processed")
    text = narrative.text("03_proposal_survival", "by_theme_figure", "es",
                          **notebook_facts.survival_by_theme(surv, "irm2019"))
    assert "entre el 17.2% (mínimo documentado) y el 44.8% (máximo posible)" in text
    assert "suponiendo que una propuesta se convierte a lo sumo en un compromiso" in text


def test_no_section_is_left_untranslated():
    """A notebook converted with the helper script starts with es = 'TRADUCIR: <English>';
    none may be committed that way, and no section may be the same in both languages."""
    for file in sorted(narrative.FOLDER.glob("[0-9][0-9]_*.yaml")):
        for section, words in narrative.sections(file.stem).items():
            assert "TRADUCIR" not in words["es"], (file.name, section)
            assert words["es"].strip() != words["en"].strip(), (file.name, section)


@pytest.mark.parametrize("other_as", ["exclude", "state", "civil_society"])
def test_every_k_of_n_after_a_figure_is_counted_after_the_treatment_of_other(other_as):
    """With other_as=civil_society the IRM's 10 'other' at the thematic tables join civil
    society: 44 of 78 (56.4%), not 34 of 78."""
    from analysis.clean import processed
    from analysis.report import notebook_facts

    shares = processed.read_table("shares", paths.ROOT / "data" / "processed")
    facts = notebook_facts.shares_by_stage(shares, other_as)
    rows = [r for a in facts["accounts"] for r in a["rows"]]
    assert rows and all(abs(r["k"] / r["n"] - r["share"]) < 1e-6 for r in rows), rows
    if other_as == "civil_society":
        assert "56.4% (44 of 78) at the thematic tables" in narrative.text(
            "02_participation_shares", "by_stage_figure", "en", **facts)
