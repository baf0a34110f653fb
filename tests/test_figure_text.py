"""Every figure speaks one language, leaks no internal id and lays out cleanly.

Every drawn string is an SVG ``<text>`` element (``svg.fonttype: none``), one per line of
text; the tests read those elements in the committed ``reports/figures/*.svg``, which the
self-reproduction test (test_pipeline.py) holds byte for byte to what the code draws now,
so words are checked once, there. Layout and colours
are checked on freshly drawn figures.
"""

import html
import re

import pytest

from analysis import labels, paths
from analysis.report import figures as F

INTERNAL_ID = re.compile(r"\b(?:irm2019|pcm2018|pcm2017|spda2022|ogp_web|[a-z]+(?:_[a-z0-9]+)+)\b")
WORD = re.compile(r"[^\W\d_]+")
TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
JINJA = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)


def drawn_strings(svg: str) -> list[str]:
    """The words of every ``<text>`` element, one string per drawn line."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in TEXT.findall(svg)]


def template_words(lang: str) -> set[str]:
    """The words the figures' sentence templates write in ``lang`` (outside Jinja tags)."""
    found = set()
    for path in (F.FIGURE_TEMPLATES / lang).glob("*.j2"):
        found.update(w.lower() for w in WORD.findall(JINJA.sub(" ", path.read_text(encoding="utf-8"))))
    return found


def foreign_words(strings: list[str], lang: str) -> set[str]:
    vocabulary = labels.words(lang) | template_words(lang) | _month_words(lang)
    return {w for s in strings for w in WORD.findall(s) if w.lower() not in vocabulary}


def _month_words(lang: str) -> set[str]:
    """Month names as the locale abbreviates them on the timeline's axis ('set.', 'Sep')."""
    from babel.dates import get_month_names

    return {w.lower() for width in ("abbreviated", "wide")
            for m in get_month_names(width, locale=labels.locale_for(lang)).values() for w in WORD.findall(m)}


@pytest.fixture(scope="module")
def committed(catalogue):
    """The drawn strings of every committed SVG, by (figure, language): every figure of the
    catalogue must be there."""
    figures_dir = paths.ROOT / "reports" / "figures"
    out = {}
    for name in catalogue:
        for lang in F.LANGS:
            svg = figures_dir / f"{name}_{lang}.svg"
            assert svg.is_file(), f"{svg.name} is not committed; run make all"
            out[name, lang] = drawn_strings(svg.read_text(encoding="utf-8"))
    return out


def test_the_checks_can_fail():
    assert foreign_words(["Mesas temáticas", "e government"], "es") == {"government"}
    assert foreign_words(["Educacion"], "es") == {"Educacion"}  # accent lost
    assert INTERNAL_ID.search("cifra que da cada fuente: irm2019")
    assert INTERNAL_ID.search("anti_corruption")
    assert not INTERNAL_ID.search("Gobierno (sistematización) 2017-2019")
    assert foreign_words(["Plan 3: IRM relevance (pre-2020)"], "es") >= {"relevance", "pre"}


def test_every_figure_uses_only_its_languages_words(committed):
    problems = {}
    for (name, lang), strings in committed.items():
        assert strings, f"{name}_{lang}: no text found in the SVG"
        bad = foreign_words(strings, lang)
        ids = {m.group(0) for s in strings for m in INTERNAL_ID.finditer(s)}
        if bad or ids:
            problems[f"{name}_{lang}"] = sorted(bad | ids)
    assert not problems, problems


def test_every_committed_svg_is_a_figure_of_the_catalogue(catalogue):
    """No stale figure lies beside the catalogue's (their words would go unchecked)."""
    svgs = {p.name for p in (paths.ROOT / "reports" / "figures").glob("*.svg")}
    assert svgs == {f"{name}_{lang}.svg" for name in catalogue for lang in F.LANGS}


@pytest.mark.parametrize("defect", ["e government", "anti corruption", "not published", "Educacion",
                                    "San Martin", "Ambiente Y Saneamiento", "IRM relevance",
                                    "calidad regulatoria", "justicia", "moderadotransformador"])
def test_listed_defects_are_gone(committed, defect):
    for (name, lang), strings in committed.items():
        for s in strings:
            if lang == "en" and defect in ("calidad regulatoria", "justicia"):
                assert defect not in s.lower(), f"{name}_{lang}: {s!r}"
            elif lang == "es" and defect not in ("calidad regulatoria", "justicia"):
                assert defect not in s, f"{name}_{lang}: {s!r}"


def test_attendance_label_only_on_attendance_charts(committed):
    signed = {labels.label("irm2019", lang) for lang in F.LANGS}
    for name in ("proposal_funnel", "survival_by_theme", "commitments_per_plan"):
        for lang in F.LANGS:
            strings = committed[name, lang]
            assert not signed & set(strings), f"{name}_{lang} says the proposals come from signed sheets"


@pytest.mark.parametrize("other_as", ["exclude", "state", "civil_society"])
def test_share_axis_follows_other_as(raw, other_as):
    from analysis.clean import attendance as A
    from analysis.questions import shares as S

    fig = F.shares_by_stage(S.stage_shares(A.tidy(raw)), other_as, "es")
    assert fig.axes[0].get_ylabel().replace("\n", " ") == labels.label(f"share_axis_{other_as}", "es")
    if other_as != "exclude":
        assert "otros" in fig.axes[0].get_ylabel().lower()
    assert not F.layout_problems(fig)
    with F.phone():
        assert not F.layout_problems(F.shares_by_stage(S.stage_shares(A.tidy(raw)), other_as, "es"))


def test_no_overlap_clipping_or_small_text(drawn):
    problems = {f"{name}_{lang}": F.layout_problems(fig) for (name, lang), fig in drawn.items()}
    assert not {k: v for k, v in problems.items() if v}, problems


def test_no_overlap_on_phones(catalogue):
    for name in ("shares_by_stage", "survival_by_theme", "commitments_per_plan", "bodies_parity",
                 "specification_curve"):
        for lang in F.LANGS:
            with F.phone(), F.style():
                fig = catalogue[name](lang)
                assert not F.layout_problems(fig), (name, lang)
                assert fig.get_figwidth() == F.PHONE["width"]


@pytest.mark.parametrize("account,other_as", [("irm2019", "state"), ("irm2019", "civil_society"),
                                              ("pcm2018", "exclude")])
def test_phone_figures_lay_out_under_every_account_and_treatment(raw, figure_tables, account, other_as):
    """The brief's phone figures that depend on the parameters (the shares follow other_as,
    survival follows account), under the combinations test_no_overlap_on_phones does not
    draw; with these, every account and every treatment is drawn on phones."""
    catalogue = F.catalogue(raw, figure_tables, other_as, account)
    for name in ("shares_by_stage", "survival_by_theme"):
        for lang in F.LANGS:
            with F.phone(), F.style():
                fig = catalogue[name](lang)
                assert not F.layout_problems(fig), (name, lang, account, other_as)


def test_layout_check_catches_overlap_and_legend_over_data():
    fig = F.new_figure(2.0, 2.0)
    ax = fig.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_xticks([0, 0.1], ["moderado", "transformador"])
    ax.plot([0.1, 0.5, 0.9], [0.1, 0.5, 0.9], "o")
    ax.legend(["x"], loc="center")
    text = " ".join(F.layout_problems(fig))
    assert "overlap" in text and "legend covers" in text
    small = F.new_figure(3, 2)
    small.add_subplot().set_title("x", fontsize=5)
    assert any("5.0 pt" in p for p in F.layout_problems(small))


def test_layout_check_catches_a_title_over_tick_labels_above_the_axes():
    """Titles keep matplotlib's default place (``axes.titley`` is fixed, which saves a search
    at every draw), so ticks moved above the axes would run into the title: the check says so."""
    def draw(top: bool):
        with F.style():       # as every figure is drawn (the style fixes the title's place)
            fig = F.new_figure(4, 2)
            ax = fig.add_subplot()
            ax.set_xticks([0.2, 0.8], ["arriba", "encima"])
            if top:
                ax.xaxis.tick_top()
            F.title(ax, "Un título que cruza las marcas")
        return fig

    found = F.layout_problems(draw(top=True))
    assert [p for p in found if p.startswith("title 'Un título que cruza las marcas' overlaps 'arriba'")]
    assert F.layout_problems(draw(top=False)) == []


def test_one_palette_for_actors_and_sources(drawn):
    """State, civil society and each source have the same colour wherever they appear."""
    from matplotlib.colors import to_hex

    seen = {}
    for (_name, lang), fig in drawn.items():
        for legend in fig.legends:
            for handle, text in zip(legend.legend_handles, legend.get_texts()):
                try:
                    colour = to_hex(handle.get_facecolor() if hasattr(handle, "get_facecolor")
                                    and not hasattr(handle, "get_markerfacecolor") else handle.get_color())
                except (TypeError, ValueError, AttributeError):
                    continue
                seen.setdefault((lang, text.get_text()), set()).add(colour)
    for key in ("state", "civil_society"):
        for lang in F.LANGS:
            colours = seen.get((lang, labels.label(key, lang)))
            if colours:
                assert colours == {F.PALETTE[key].lower()}, (key, lang, colours)
    inconsistent = {k: v for k, v in seen.items() if len(v) > 1}
    assert not inconsistent, inconsistent


def test_figures_use_one_font(drawn):
    for (name, lang), fig in drawn.items():
        families = {tuple(t.get_fontfamily()) for t in F._texts(fig)}
        fonts = {t.get_fontname() for t in F._texts(fig)}
        assert fonts == {F.FONT}, (name, lang, families, fonts)


def test_brief_figures_are_legible_when_placed():
    """The brief places figures at their natural width, so drawn sizes are printed sizes."""
    from analysis.report import brief

    for spec in brief.FIGURES:
        assert spec["width_in"] <= F.PRINT["width"] + 1e-9
    assert F.PRINT["font"] * 5 / 6 >= F.MIN_FONT_PT
