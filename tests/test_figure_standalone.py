"""Every figure stands alone (issue 21): a PNG pasted into a slide, or an SVG opened in an
editor, says what it found, with the numbers, where it comes from, who made it and when.

- every committed SVG keeps its words as ``<text>`` (no glyph outlines), its source line
  naming the project and the release date of CITATION.cff;
- every title holds the figure's own numbers, checked here against ``data/processed``
  worked out independently of the figure code (counts and shares read from the CSVs);
- under every account, treatment of "other" and language, the parameter-dependent figures'
  titles follow the parameters (and survival under account=both shows both accounts);
- no text has less than 4.5:1 contrast against what lies under it.
"""

import html
import re

import pandas as pd
import pytest
import yaml

from analysis import labels, paths
from analysis.report import figures as F

PROCESSED = paths.ROOT / "data" / "processed"
FIGURES = paths.ROOT / "reports" / "figures"
TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)


def svg_words(name: str, lang: str) -> str:
    svg = (FIGURES / f"{name}_{lang}.svg").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)) for m in TEXT.findall(svg))


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(PROCESSED / f"{name}.csv")


def pct(share: float, lang: str) -> str:
    return labels.fmt_percent(share, lang)


def title_of(fig) -> str:
    return fig._suptitle.get_text().replace("\n", " ") if fig._suptitle else ""


@pytest.fixture(scope="module")
def titles(drawn):
    return {key: title_of(fig) for key, fig in drawn.items()}


# ------------------------------------------------------------------ words as text, source line
def test_every_svg_keeps_its_words_as_text_with_source_project_and_date(catalogue):
    release = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))["date-released"]
    for name in catalogue:
        for lang in F.LANGS:
            svg = (FIGURES / f"{name}_{lang}.svg").read_text(encoding="utf-8")
            assert "<text" in svg, f"{name}_{lang}: no <text> element"
            assert 'id="DejaVuSans-' not in svg, f"{name}_{lang}: glyphs drawn as outlines"
            assert "font-family: 'DejaVu Sans'" in svg, f"{name}_{lang}: the font is not named"
            words = " ".join(svg_words(name, lang).split())
            assert labels.label("project_name", lang) in words, (name, lang)
            assert labels.format_date(release, lang) in words, (name, lang)
            assert ("Fuente:" if lang == "es" else "Source:") in words, (name, lang)


def test_the_source_line_names_the_documents_plotted():
    """The shares come from the IRM and the government; the bodies from the IRM and SPDA."""
    for lang in F.LANGS:
        words = " ".join(svg_words("shares_by_stage", lang).split())
        assert labels.label("cite_irm2019", lang) in words and labels.label("cite_pcm2018", lang) in words
        words = " ".join(svg_words("bodies_parity", lang).split())
        assert labels.label("cite_spda2022", lang) in words and labels.label("cite_irm2019", lang) in words


# ------------------------------------------------------------------ titles state the finding
def expected_in_titles(lang: str) -> dict[str, list[str]]:
    """Numbers each title must hold, worked out from data/processed here, not by the figures."""
    n = lambda v: labels.fmt_int(int(v), lang)  # noqa: E731
    out = {}
    sh = csv("shares")
    irm = sh[(sh["source_id"] == "irm2019") & (sh["unit"] == "persons") & (sh["other_as"] == "exclude")]
    low = irm.sort_values("share_civil_society").iloc[0]
    out["shares_by_stage"] = [pct(low["n_civil_society"] / low["n"], lang),
                              f"{n(low['n_civil_society'])}/{n(low['n'])}"]
    at = sh[(sh["source_id"] == "irm2019") & (sh["unit"] == "persons") & (sh["stage"] == low["stage"])]
    out["shares_sensitivity"] = [pct(at["share_civil_society"].min(), lang),
                                 pct(at["share_civil_society"].max(), lang)]
    ev = csv("shares_by_event")
    ev = ev[(ev["source_id"] == "irm2019") & (ev["other_as"] == "exclude")].sort_values("share_civil_society")
    out["shares_by_event"] = [f"{n(r['n_civil_society'])}/{n(r['n'])}" for r in (ev.iloc[0], ev.iloc[-1])]
    sv = csv("survival")
    tot = sv[(sv["source_id"] == "irm2019") & (sv["theme"] == "total")].iloc[0]
    out["survival_by_theme"] = [n(tot["n_final_from_pool_known"]), n(tot["n_proposed"]),
                                n(round(tot["survival_high"] * tot["n_proposed"]))]
    fu = csv("funnel")
    national = fu[(fu["source_id"] == "irm2019") & (fu["stage"] == "national_table")]
    out["proposal_funnel"] = [n(national["count"].sum())]
    pl = csv("plans")
    out["commitments_per_plan"] = [n(pl["n_commitments_ogp_list"].max()),
                                   n(pl["n_commitments_ogp_list"].min())]
    pa = csv("policy_areas_by_plan").set_index("policy_area")[[f"plan_{i}" for i in range(1, 5)]]
    shares = pa / pa.sum()
    area, plan = shares.stack().idxmax()
    out["policy_areas_heatmap"] = [pct(shares.loc[area, plan], lang),
                                   f"{n(pa.loc[area, plan])}/{n(pa[plan].sum())}"]
    vb = csv("values_by_plan")
    out["values_by_plan"] = [f"{n(r['n'])}/{n(r['of'])}" for _, r in
                             vb.sort_values("share", ascending=False).groupby("plan").head(1).iterrows()]
    com = csv("commitments")
    irm3 = com[com["plan"] == 3]
    out["irm_assessment"] = [n((irm3["irm_potential_impact"] == "moderate").sum()), n(len(irm3))]
    bc = csv("bodies_civil_society").sort_values("year").iloc[-1]
    out["bodies_parity"] = [n(bc["civil_society"]), n(bc["total"])]
    sc = csv("standards_scorecard").query("section == 'all'").set_index("colour")
    out["standards_scorecard"] = [n(sc["of"].iloc[0])] + [n(sc.loc[c, "n_standards"])
                                                          for c in ("red", "amber", "green")]
    mv = csv("multiverse")
    nt = mv[(mv["stage"] == "national_table") & mv["reported"].fillna(False).astype(bool)]
    out["specification_curve"] = [pct(nt["share_civil_society"].min(), lang),
                                  pct(nt["share_civil_society"].max(), lang)]
    themed = sorted(com.dropna(subset=["theme"])["plan"].unique())
    out["recurring_themes"] = [pl.set_index("plan").loc[p, "canonical_label"] for p in themed]
    ts = csv("timeline_stages")
    ts = ts[ts["precision"] == "day"]
    fmt = lambda d: labels.format_date(pd.Timestamp(d).date(), lang)  # noqa: E731
    closing = ts[ts["milestone"] == "closing_event"].set_index("source_id")["date_start"]
    approval = ts.loc[ts["milestone"] == "approval", "date_start"].min()
    out["process_timeline"] = [fmt(ts["date_start"].min()), fmt(approval),
                               fmt(closing["pcm2018"]), fmt(closing["irm2019"])]
    # plans whose IRM tables print a level, of all plans; each development level below OGP's
    # minimum with its distance ("1 nivel" / "1 level") and the minimum's name
    ib = csv("influence_by_plan")
    printed = ib[ib["status"] == "printed"]
    of = "de" if lang == "es" else "of"
    out["influence_by_plan"] = [f"{n(printed['plan'].nunique())} {of} {n(ib['plan'].nunique())}",
                                labels.label(f"iap2_{ib['level_minimum'].iloc[0]}", lang)]
    dev = printed[printed["stage"] == "development"]
    roman = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
    for plan, below in dev.groupby("plan")["levels_below_minimum"].max().items():
        unit = ("nivel" if lang == "es" else "level") + ("" if below == 1 else "s")
        out["influence_by_plan"].append(f"plan {roman[plan]} " + (
            (f"quedó {n(below)} {unit}" if lang == "es" else f"stayed {n(below)} {unit}") if below
            else ("alcanzó" if lang == "es" else "reached")))
    return out


@pytest.mark.parametrize("lang", F.LANGS)
def test_every_title_states_the_numbers_of_its_data(titles, lang):
    expected = expected_in_titles(lang)
    assert set(expected) == {name for name, _ in titles}, "a figure without a checked title"
    missing = {name: [x for x in want if x not in titles[name, lang]]
               for name, want in expected.items()}
    missing = {k: (v, titles[k, lang]) for k, v in missing.items() if v}
    assert not missing, missing


def test_titles_are_findings_not_topics(titles):
    for (name, lang), text in titles.items():
        assert re.search(r"\d", text), f"{name}_{lang}: the title has no number: {text!r}"
        assert text not in {labels.label(k, lang) for k in labels.VOCAB if k.endswith("_title")}


@pytest.mark.parametrize("account", ["irm2019", "pcm2018", "both"])
@pytest.mark.parametrize("other_as", ["exclude", "state", "civil_society"])
def test_titles_follow_the_parameters(raw, figure_tables, account, other_as):
    catalogue = F.catalogue(raw, figure_tables, other_as, account)
    sh = csv("shares")
    irm = sh[(sh["source_id"] == "irm2019") & (sh["unit"] == "persons") & (sh["other_as"] == other_as)]
    low = irm.sort_values("share_civil_society").iloc[0]
    k = low["n_civil_society"] + (low["n_other"] if other_as == "civil_society" else 0)
    sv = csv("survival")
    for lang in F.LANGS:
        with F.style():
            stage_fig = catalogue["shares_by_stage"](lang)
            surv_fig = catalogue["survival_by_theme"](lang)
        title = title_of(stage_fig)
        assert f"{labels.fmt_int(k, lang)}/{labels.fmt_int(low['n'], lang)}" in title, (title, other_as)
        assert pct(k / low["n"], lang) in title
        panels = [ax.get_title(loc="left") for ax in surv_fig.axes]
        sources = ["irm2019", "pcm2018"] if account == "both" else [account]
        assert panels == [labels.label(f"{s}_report", lang) for s in sources], (account, panels)
        surv_title = title_of(surv_fig)
        for s in sources:
            tot = sv[(sv["source_id"] == s) & (sv["theme"] == "total")].iloc[0]
            bound = f"{labels.fmt_int(tot['n_final_from_pool_known'], lang)} "
            assert bound in surv_title, (s, surv_title)


# ------------------------------------------------------------------ contrast
def test_contrast_check_can_fail():
    assert F.contrast_ratio("#CC79A7", "white") < F.MIN_CONTRAST       # the old pink dates: 3.1:1
    assert abs(F.contrast_ratio("black", "white") - 21) < 1e-9
    fig = F.new_figure(3, 2)
    fig.add_subplot().set_title("rosado", color="#CC79A7")
    assert any("rosado" in p for p in F.contrast_problems(fig))
    fig = F.new_figure(3, 2)
    ax = fig.add_subplot()
    ax.bar([0], [1], color=F.OKABE_ITO["vermillion"], width=1)
    ax.text(0, 0.5, "4e", color="white", ha="center", va="center")   # 3.9:1 on vermillion
    assert any("'4e'" in p for p in F.contrast_problems(fig))


def test_the_layout_check_includes_contrast():
    """layout_problems, which test_figure_text runs on every figure in print and the brief's
    figures on phones, reports low contrast too (so no second render is needed here)."""
    fig = F.new_figure(3, 2)
    fig.add_subplot().set_title("rosado", color="#CC79A7")
    assert any("contrast" in p and "rosado" in p for p in F.layout_problems(fig))


def test_brief_phone_figures_lay_out_under_account_both(raw, figure_tables):
    """Under account=both survival draws two panels; on a phone they stack and stay clean."""
    catalogue = F.catalogue(raw, figure_tables, "exclude", "both")
    for lang in F.LANGS:
        with F.phone(), F.style():
            fig = catalogue["survival_by_theme"](lang)
        assert not F.layout_problems(fig), lang
        assert len(fig.axes) == 2
