"""Figures are byte-stable and localised; findings read their numbers from the tables."""

import re

import pytest

from analysis import labels
from analysis.clean import attendance as A
from analysis.questions import shares as S
from analysis.report import figures as F
from analysis.report import findings


@pytest.fixture(scope="module")
def stage_shares(raw):
    return S.stage_shares(A.tidy(raw))


def test_rendering_is_byte_stable(stage_shares):
    one = F.render(F.shares_by_stage(stage_shares, "exclude", "es"))
    two = F.render(F.shares_by_stage(stage_shares, "exclude", "es"))
    assert one == two
    svg = one[1].decode("utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in one[0][:200]


def test_render_writes_what_savefig_writes(stage_shares):
    """render lays out and paints the PNG in one Agg draw instead of calling savefig for
    each format: the SVG's bytes must be savefig's, and the PNG's pixels savefig's (every
    one opaque, since the file drops the alpha channel), at the same resolution."""
    import io

    import matplotlib as mpl
    import numpy as np
    from PIL import Image

    png, svg = F.render(F.shares_by_stage(stage_shares, "state", "en"))
    with mpl.rc_context(F.rc()):
        fig = F.shares_by_stage(stage_shares, "state", "en")
        expected_png = io.BytesIO()
        fig.savefig(expected_png, format="png", dpi=F.PNG_DPI)
        fig.set_layout_engine("none")   # the SVG keeps the layout found at the PNG's resolution
        expected_svg = io.BytesIO()
        fig.savefig(expected_svg, format="svg", metadata=F.SVG_META)
    assert svg == expected_svg.getvalue()
    ours, theirs = Image.open(io.BytesIO(png)), Image.open(expected_png)
    assert ours.mode == "RGB" and theirs.mode == "RGBA"
    assert ours.info["dpi"] == theirs.info["dpi"] == pytest.approx((F.PNG_DPI, F.PNG_DPI), abs=0.02)
    assert (np.asarray(theirs)[..., 3] == 255).all()
    assert np.array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])


def test_spanish_follows_peruvian_documents_and_locale_is_a_parameter():
    # The government's systematization (pcm2018, Cuadro 1) prints "124 70.5%": CLDR es_PE agrees.
    assert labels.fmt_percent(124 / 176, "es", 1) == "70.5%"
    assert labels.fmt_number(32.74, "es") == "32.7" and labels.fmt_number(32.74, "en") == "32.7"
    assert labels.fmt_number(1234.5, "es", 1) == "1,234.5"
    # Spain's convention, on request: decimal comma and a no-break space before "%".
    assert labels.fmt_number(32.74, "es", locale="es_ES") == "32,7"
    assert labels.fmt_percent(0.3274, "es", 1, locale="es_ES") == "32,7\u00a0%"
    assert labels.keep_together("37 de 113") == "37\u00a0de 113"


def test_figure_text_follows_lang(stage_shares):
    es = F.shares_by_stage(stage_shares, "exclude", "es")
    en = F.shares_by_stage(stage_shares, "exclude", "en")
    assert es._suptitle.get_text().startswith("La sociedad civil fue")
    assert en._suptitle.get_text().startswith("Civil society made up")
    assert [t.get_text().replace("\n", " ") for t in es.axes[0].get_xticklabels()][0] == "Mesas temáticas"


def test_save_in_the_pipeline_writes_both_languages(tmp_path, stage_shares, monkeypatch):
    from analysis import paths

    monkeypatch.setenv(paths.PIPELINE_ENV, "1")
    monkeypatch.delenv(paths.FIGURES_QUEUED_ENV, raising=False)   # as in a fresh kernel
    png = F.save(lambda lang: F.shares_by_stage(stage_shares, "exclude", lang), "x", tmp_path, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_en.png", "x_en.svg", "x_es.png", "x_es.svg"]
    assert png == (tmp_path / "x_en.png").read_bytes()


def test_save_by_hand_writes_the_notebooks_language_only(tmp_path, stage_shares, monkeypatch):
    """A notebook run by hand (Papermill, nbval, Jupyter) writes the figures it shows."""
    from analysis import paths

    monkeypatch.delenv(paths.PIPELINE_ENV, raising=False)
    png = F.save(lambda lang: F.shares_by_stage(stage_shares, "exclude", lang), "x", tmp_path, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_en.png", "x_en.svg"]
    assert png == (tmp_path / "x_en.png").read_bytes()


@pytest.fixture
def queued(tmp_path, monkeypatch):
    """As in the pipeline's warm kernels: figure files queued, writes recorded under a stamp."""
    from analysis import outputs, paths

    monkeypatch.setenv(paths.FIGURES_QUEUED_ENV, "1")
    monkeypatch.setenv(paths.PIPELINE_ENV, "1")
    monkeypatch.setenv(paths.OUTPUT_ROOT_ENV, str(tmp_path))
    outputs.set_stamp({"produced_by": "02_participation_shares", "parameters": {}, "raw_checksum": "x"})
    yield tmp_path
    outputs.set_stamp(None)
    F._QUEUE.clear()


def test_queued_figure_files_are_the_same_bytes_recorded_under_the_notebook_that_drew_them(
        queued, stage_shares):
    import hashlib
    import json

    from analysis import outputs

    draw = lambda lang: F.shares_by_stage(stage_shares, "exclude", lang)  # noqa: E731
    shown = F.save(draw, "x", queued / "figs", "en")
    assert sorted(p.name for p in (queued / "figs").iterdir()) == ["x_en.png"]   # only the shown one
    outputs.set_stamp({"produced_by": "03_proposal_survival", "parameters": {}, "raw_checksum": "x"})
    assert F.write_queued() == 3            # after the next notebook has started stamping
    expected = {lang: F.render(draw(lang)) for lang in ("es", "en")}
    assert shown == expected["en"][0]
    files = {f"x_{lang}.{ext}": data for lang, (png, svg) in expected.items()
             for ext, data in (("png", png), ("svg", svg))}
    assert {name: (queued / "figs" / name).read_bytes() for name in files} == files
    record = json.loads((queued / outputs.STAMPS_DIR / "02_participation_shares.json").read_text())
    assert record["files"] == {f"figs/{name}": f"sha256:{hashlib.sha256(data).hexdigest()}"
                               for name, data in files.items()}
    assert not (queued / outputs.STAMPS_DIR / "03_proposal_survival.json").exists()
    assert F.write_queued() == 0            # the queue is empty once written


def test_a_queued_figure_that_cannot_be_written_names_the_file_and_its_notebook(
        queued, stage_shares, monkeypatch):
    F.save(lambda lang: F.shares_by_stage(stage_shares, "exclude", lang), "x", queued, "es")

    def full(fig):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(F, "_render_svg_as_laid_out", full)
    with pytest.raises(RuntimeError, match=r"^figure x_es \(queued by 02_participation_shares\) could "
                                           r"not be written after the notebook: OSError: .*No space left"):
        F.write_queued()
    assert F._QUEUE == []


def test_national_tables_sentence_numbers_come_from_the_table(stage_shares):
    # IRM 2019 national tables: 76 state, 37 civil society, 5 other
    en = findings.national_tables(stage_shares, "irm2019", "exclude", "en")
    es = findings.national_tables(stage_shares, "irm2019", "exclude", "es")
    assert "37 of 113" in en and "33%" in en and "state was the majority" in en and "IRM" in en
    assert "37 de 113" in es and "33%" in es and "IRM" in es
    changed = stage_shares.copy()
    mask = (changed.stage == "national_table") & (changed.other_as == "exclude")
    changed.loc[mask, "n_civil_society"] = 40
    assert "40 of 113" in findings.national_tables(changed, "irm2019", "exclude", "en")


@pytest.mark.parametrize("lang,expected", [("en", "42 of 118 signatures (36%)"),
                                           ("es", "42 de 118 firmas (36%)")])
def test_counts_are_taken_after_the_treatment_of_other(stage_shares, lang, expected):
    # 37 civil society + 5 other = 42 of 76 + 37 + 5 = 118; 42/118 = 35.6%
    text = findings.national_tables(stage_shares, "irm2019", "civil_society", lang)
    assert expected in text and "37 " not in text


@pytest.mark.parametrize("lang", ["en", "es"])
def test_government_account_says_it_has_no_national_tables(stage_shares, lang):
    text = findings.national_tables(stage_shares, "pcm2018", "exclude", lang)
    assert not re.search(r"\d", text)  # no number borrowed from the IRM
    assert ("Gobierno" if lang == "es" else "government") in text


def test_disagreement_sentence(raw):
    att = A.tidy(raw)
    text = findings.accounts_disagree(A.discrepancies(att, raw["events"]), "en", att)
    assert re.search(r"government reports 145 attendances and the IRM.*150", text)
    assert "La Libertad the majority flips" in text


@pytest.mark.parametrize("lang,one,many", [("es", "1 compromiso", "2 compromisos"),
                                           ("en", "1 commitment", "2 commitments")])
def test_plurals_agree_with_their_count(lang, one, many):
    from analysis.report.sentences import environment

    env = environment(lang)
    word = env.from_string('{{ n|plural("compromiso", "compromisos") if lang == "es" '
                           'else n|plural("commitment", "commitments") }}')
    assert word.render(n=1) == one and word.render(n=2) == many


def test_share_axis_follows_the_treatment_of_other(stage_shares):
    # labels are wrapped over lines to fit the axis: compare the words
    assert F.shares_by_stage(stage_shares, "exclude", "es").axes[0].get_ylabel().replace("\n", " ") == \
        "Sociedad civil, % de las firmas de Estado y sociedad civil"
    label = F.shares_by_stage(stage_shares, "civil_society", "en").axes[0].get_ylabel().replace("\n", " ")
    assert label == "Civil society and other, % of all signatures"


@pytest.mark.parametrize("lang,fragile", [("en", "The answer hinges on analysis choices"),
                                          ("es", "La respuesta depende de las decisiones de análisis")])
def test_robustness_sentence_says_fragile_when_the_majority_flips(raw, lang, fragile):
    from analysis.questions import multiverse as M

    multi = M.multiverse(A.tidy(raw))
    assert "not hinge" in findings.robustness(multi, "en")
    assert "no depende" in findings.robustness(multi, "es")
    # make one specification of the national tables a civil-society majority
    at = multi.index[(multi.stage == "national_table") & multi.reported.fillna(False).astype(bool)][0]
    multi.loc[at, ["share_civil_society", "majority"]] = [0.6, "civil_society"]
    assert findings.robustness(multi, lang).startswith(fragile)


def test_every_notebook_answers_in_its_lang():
    import json

    from analysis import paths

    for path in sorted(paths.NOTEBOOKS_DIR.glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        params = next(c for c in cells if "parameters" in c["metadata"].get("tags", []))
        assert "lang" in "".join(params["source"]), path.name
        heading = max(i for i, c in enumerate(cells)
                      if "".join(c["source"]) == f'narrative.show("{path.stem}", "answer", lang)')
        answer = "".join(cells[heading + 1]["source"])
        assert "findings.notebook_answer(" in answer and "lang)" in answer, path.name


@pytest.mark.parametrize("notebook", ["01", "02", "03", "04", "05", "07"])
def test_notebook_answers_differ_by_language(raw, notebook):
    from analysis.clean import processed
    from analysis.report import brief

    tables = {n: processed.read_table(n, "data/processed") for n in brief.NEEDED + brief.OPTIONAL}
    es = findings.notebook_answer(notebook, tables, {"account": "irm2019", "other_as": "exclude"}, "es")
    en = findings.notebook_answer(notebook, tables, {"account": "irm2019", "other_as": "exclude"}, "en")
    assert es != en and re.search(r"\b(según|de|y)\b", es) and re.search(r"\b(the|of|and)\b", en)
