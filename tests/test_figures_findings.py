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
    assert es.axes[0].get_title(loc="left").startswith("Participación")
    assert en.axes[0].get_title(loc="left").startswith("Civil-society")
    assert [t.get_text().replace("\n", " ") for t in es.axes[0].get_xticklabels()][0] == "Mesas temáticas"


def test_save_writes_both_languages(tmp_path, stage_shares):
    png = F.save(lambda lang: F.shares_by_stage(stage_shares, "exclude", lang), "x", tmp_path, "en")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x_en.png", "x_en.svg", "x_es.png", "x_es.svg"]
    assert png == (tmp_path / "x_en.png").read_bytes()


def test_national_tables_sentence_numbers_come_from_the_table(stage_shares):
    en = findings.national_tables(stage_shares, "exclude", "en")
    es = findings.national_tables(stage_shares, "exclude", "es")
    assert "37 of 113" in en and "33%" in en and "state was the majority" in en
    assert "37 de 113" in es and "33%" in es
    changed = stage_shares.copy()
    mask = (changed.stage == "national_table") & (changed.other_as == "exclude")
    changed.loc[mask, "n_civil_society"] = 40
    assert "40 of 113" in findings.national_tables(changed, "exclude", "en")


def test_disagreement_sentence(raw):
    att = A.tidy(raw)
    text = findings.accounts_disagree(A.discrepancies(att, raw["events"]), "en")
    assert re.search(r"government reports 145 participants and the IRM.*150", text)
    assert "La Libertad the majority flips" in text
