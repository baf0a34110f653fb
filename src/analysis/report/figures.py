"""Figures: built on ``matplotlib.figure.Figure`` (no pyplot state), saved byte-stable.

Each figure is drawn in both languages and saved as PNG (documents) and SVG (print),
``<name>_<lang>.png`` / ``.svg``; the notebook shows the one in its ``lang``. Spanish
labels use a decimal comma. SVG output is made deterministic with a fixed
``svg.hashsalt`` and no date or version metadata.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import labels
from ..outputs import write_bytes

LANGS = ("es", "en")
COLORS = {"irm2019": "#1b7837", "pcm2018": "#762a83", "state": "#4d4d4d",
          "civil_society": "#e08214", "non_state": "#e08214", "other": "#9e9e9e"}
RC = {"svg.hashsalt": "peru-ogp-participation", "svg.fonttype": "path", "font.size": 9,
      "axes.spines.top": False, "axes.spines.right": False, "figure.dpi": 100}
PNG_META = {"Software": None}
SVG_META = {"Date": None, "Creator": None, "Format": None, "Type": None}

T = {
    "share_title": {"es": "Participación de la sociedad civil por etapa",
                    "en": "Civil-society share of participants by stage"},
    "share_axis": {"es": "Sociedad civil / (Estado + sociedad civil)",
                   "en": "Civil society / (state + civil society)"},
    "share_axis_civil_society": {"es": "(Sociedad civil + otros) / (Estado + sociedad civil + otros)",
                                 "en": "(Civil society + other) / (state + civil society + other)"},
    "share_axis_state": {"es": "Sociedad civil / (Estado + otros + sociedad civil)",
                         "en": "Civil society / (state + other + civil society)"},
    "event_title": {"es": "Participación de la sociedad civil por evento",
                    "en": "Civil-society share by event"},
    "sens_title": {"es": "¿Cuánto pesan los «otros» (consultores)? Conteo del IRM",
                   "en": "How much do the 'other' participants (consultants) matter? IRM count"},
    "other_exclude": {"es": "excluidos", "en": "excluded"},
    "other_state": {"es": "como Estado", "en": "as state"},
    "other_civil_society": {"es": "como sociedad civil", "en": "as civil society"},
    "funnel_title": {"es": "Del embudo de propuestas al plan 2017-2019",
                     "en": "From proposals to the 2017-2019 plan"},
    "count": {"es": "Número", "en": "Number"},
    "survival_title": {"es": "Supervivencia de las propuestas por tema",
                       "en": "Proposal survival by theme"},
    "survival_axis": {"es": "Propuestas que llegaron al plan", "en": "Proposals that reached the plan"},
    "low": {"es": "mínimo documentado", "en": "lower bound (documented)"},
    "high": {"es": "máximo posible", "en": "upper bound (possible)"},
    "plans_title": {"es": "Compromisos por plan de acción", "en": "Commitments per action plan"},
    "ogp_list": {"es": "lista de OGP (contados)", "en": "OGP list (counted)"},
    "stated": {"es": "cifra que da cada fuente", "en": "number each source states"},
    "plan": {"es": "Plan", "en": "Plan"},
    "areas_title": {"es": "Áreas de política por plan (lista de OGP)",
                    "en": "Policy areas by plan (OGP list)"},
    "values_title": {"es": "Valores y principios por plan (instrumentos distintos)",
                     "en": "Values and principles by plan (different instruments)"},
    "share_of_plan": {"es": "Proporción de los compromisos del plan", "en": "Share of the plan's commitments"},
    "themes_title": {"es": "Temas de los planes III y IV", "en": "Themes of plans III and IV"},
    "irm_title": {"es": "Evaluación de diseño del IRM, plan 2017-2019",
                  "en": "IRM design assessment, 2017-2019 plan"},
    "impact": {"es": "Impacto potencial", "en": "Potential impact"},
    "relevance": {"es": "Relevancia por valor de OGP", "en": "Relevance by OGP value"},
    "bodies_title": {"es": "Asientos en los espacios multiactor", "en": "Seats in the multistakeholder bodies"},
    "seats": {"es": "Asientos", "en": "Seats"},
    "parity": {"es": "paridad", "en": "parity"},
    "non_state": {"es": "No estatal", "en": "Non-state"},
    "ci_note": {"es": "Barras: intervalo de confianza", "en": "Bars: confidence interval"},
}
TERMS = {
    "es": {"none": "ninguno", "minor": "menor", "moderate": "moderado", "transformative": "transformador",
           "access_to_information": "Acceso a la información", "civic_participation": "Participación cívica",
           "public_accountability": "Rendición de cuentas", "technology_innovation": "Tecnología e innovación",
           "transparency": "Transparencia", "participation": "Participación", "accountability": "Rendición de cuentas",
           "integrity": "Integridad", "thematic_table_pool": "Mesas temáticas + talleres"},
    "en": {"none": "none", "minor": "minor", "moderate": "moderate", "transformative": "transformative",
           "access_to_information": "Access to information", "civic_participation": "Civic participation",
           "public_accountability": "Public accountability", "technology_innovation": "Technology & innovation",
           "transparency": "Transparency", "participation": "Participation", "accountability": "Accountability",
           "integrity": "Integrity", "thematic_table_pool": "Thematic tables + workshops"},
}


def t(key: str, lang: str) -> str:
    return T[key][lang]


def term(key: str, lang: str) -> str:
    return TERMS[lang].get(key) or labels.name(key, lang).replace("_", " ")


def share_axis(other_as: str, lang: str) -> str:
    """The share's definition under the treatment of other (parameter ``other_as``)."""
    return t("share_axis" if other_as == "exclude" else f"share_axis_{other_as}", lang)


def pct_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda x, _: labels.fmt_percent(x, lang, 0))


def new_figure(width: float = 7.0, height: float = 3.6) -> Figure:
    with mpl.rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def render(fig: Figure) -> tuple[bytes, bytes]:
    with mpl.rc_context(RC):
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=150, metadata=PNG_META)
        fig.savefig(svg, format="svg", metadata=SVG_META)
    return png.getvalue(), svg.getvalue()


def save(draw: Callable[[str], Figure], name: str, figures_dir: Path, show_lang: str = "es") -> bytes:
    """Draw in every language, write PNG and SVG for each; return the PNG of ``show_lang``."""
    shown = b""
    for lang in LANGS:
        with mpl.rc_context(RC):
            fig = draw(lang)
        png, svg = render(fig)
        write_bytes(Path(figures_dir) / f"{name}_{lang}.png", png)
        write_bytes(Path(figures_dir) / f"{name}_{lang}.svg", svg)
        if lang == show_lang:
            shown = png
    return shown


def show(png: bytes):
    """Display PNG bytes in a notebook (only an image and a fixed text repr are stored)."""
    from IPython.display import Image, display

    display(Image(data=png, format="png"))


# --------------------------------------------------------------------------- shares
def shares_by_stage(shares: pd.DataFrame, other_as: str, lang: str) -> Figure:
    data = shares[(shares["unit"] == "persons") & (shares["other_as"] == other_as)]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    sources = sorted(data["source_id"].unique())
    fig = new_figure(6.5, 3.4)
    ax = fig.add_subplot()
    width = 0.18
    for i, source in enumerate(sources):
        d = data[data["source_id"] == source].set_index("stage").reindex(stages)
        x = np.arange(len(stages)) + (i - (len(sources) - 1) / 2) * width * 2
        ok = d["n"].notna().to_numpy()
        y = d["share_civil_society"].to_numpy(dtype=float)
        err = np.vstack([y - d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float) - y])
        ax.errorbar(x[ok], y[ok], yerr=err[:, ok], fmt="o", capsize=4, color=COLORS[source],
                    label=labels.name(source, lang))
    ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls="--", zorder=0)
    ax.set_xticks(np.arange(len(stages)), [labels.name(s, lang) for s in stages])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(share_axis(other_as, lang))
    ax.set_title(t("share_title", lang), loc="left", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    ax.annotate(t("ci_note", lang), (1, -0.16), xycoords="axes fraction", ha="right", fontsize=7,
                color="#666666")
    return fig


def shares_by_event(events: pd.DataFrame, lang: str) -> Figure:
    data = events.copy()
    data["stage_rank"] = data["stage"].map(labels.STAGES.index)
    data = data.sort_values(["stage_rank", "event", "source_id"], ascending=[False, False, False])
    fig = new_figure(6.5, 0.32 * len(data) + 1.0)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    for source in sorted(data["source_id"].unique()):
        m = (data["source_id"] == source).to_numpy()
        d = data[m]
        ax.errorbar(d["share_civil_society"], y[m],
                    xerr=[d["share_civil_society"] - d["ci_low"], d["ci_high"] - d["share_civil_society"]],
                    fmt="o", capsize=3, color=COLORS[source], label=labels.name(source, lang))
    ticks = [f"{labels.name(s, lang)}: {e.replace('_', ' ').title()}"
             for s, e in zip(data["stage"], data["event"])]
    ax.set_yticks(y, ticks, fontsize=7)
    ax.axvline(0.5, color="#bbbbbb", lw=0.8, ls="--", zorder=0)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    treatments = set(data["other_as"]) if "other_as" in data else {"exclude"}
    ax.set_xlabel(share_axis(treatments.pop() if len(treatments) == 1 else "exclude", lang))
    ax.set_title(t("event_title", lang), loc="left", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def shares_sensitivity(shares: pd.DataFrame, source_id: str, lang: str) -> Figure:
    data = shares[(shares["source_id"] == source_id) & (shares["unit"] == "persons")]
    stages = [s for s in labels.STAGES if s in set(data["stage"])]
    fig = new_figure(6.5, 3.2)
    ax = fig.add_subplot()
    markers = {"exclude": ("o", "#1b7837"), "state": ("v", COLORS["state"]),
               "civil_society": ("^", COLORS["civil_society"])}
    for i, (other_as, (marker, color)) in enumerate(markers.items()):
        d = data[data["other_as"] == other_as].set_index("stage").reindex(stages)
        x = np.arange(len(stages)) + (i - 1) * 0.2
        y = d["share_civil_society"].to_numpy(dtype=float)
        ax.errorbar(x, y, yerr=[y - d["ci_low"].to_numpy(dtype=float), d["ci_high"].to_numpy(dtype=float) - y],
                    fmt=marker, color=color, capsize=3, label=t(f"other_{other_as}", lang))
    ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls="--", zorder=0)
    ax.set_xticks(np.arange(len(stages)), [labels.name(s, lang) for s in stages])
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(pct_formatter(lang))
    ax.set_ylabel(t("share_axis", lang))
    ax.set_title(t("sens_title", lang), loc="left", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower left", title=labels.name("other", lang),
              title_fontsize=8)
    return fig


# --------------------------------------------------------------------------- survival
def funnel(stage_counts: pd.DataFrame, lang: str) -> Figure:
    order = ["thematic_table", "regional_workshop", "national_table", "final_plan"]
    fig = new_figure(6.5, 3.2)
    ax = fig.add_subplot()
    sources = sorted(stage_counts["source_id"].unique())
    width = 0.36
    labelled = set()
    for i, source in enumerate(sources):
        d = stage_counts[stage_counts["source_id"] == source]
        for j, stage in enumerate(order):
            values = sorted(d.loc[d["stage"] == stage, "count"].astype(int))
            for k, v in enumerate(values):
                x = j + (i - 0.5) * width + (k - (len(values) - 1) / 2) * width / 2
                ax.bar(x, v, width=width / max(len(values), 1) * 0.9, color=COLORS[source],
                       label=None if source in labelled else labels.name(source, lang))
                labelled.add(source)
                ax.annotate(str(v), (x, v), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(order)), [labels.name(s, lang) for s in order])
    ax.set_ylabel(t("count", lang))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(t("funnel_title", lang), loc="left", fontsize=10)
    handles, names = ax.get_legend_handles_labels()
    seen = dict(zip(names, handles))
    ax.legend(seen.values(), seen.keys(), frameon=False, fontsize=8)
    return fig


def survival_by_theme(surv: pd.DataFrame, source_id: str, lang: str) -> Figure:
    data = surv[(surv["source_id"] == source_id) & surv["survival_low"].notna()]
    data = data.iloc[::-1]
    fig = new_figure(6.5, 0.38 * len(data) + 1.2)
    ax = fig.add_subplot()
    y = np.arange(len(data))
    lo = data["survival_low"].to_numpy(dtype=float)
    hi = data["survival_high"].to_numpy(dtype=float)
    ax.hlines(y, lo, hi, color="#cccccc", lw=6, zorder=1)
    ax.errorbar(lo, y - 0.12, xerr=[lo - data["survival_low_ci_low"].to_numpy(dtype=float),
                                     data["survival_low_ci_high"].to_numpy(dtype=float) - lo],
                fmt="o", color=COLORS[source_id], capsize=2, label=t("low", lang), zorder=3)
    ax.errorbar(hi, y + 0.12, xerr=[hi - data["survival_high_ci_low"].to_numpy(dtype=float),
                                     data["survival_high_ci_high"].to_numpy(dtype=float) - hi],
                fmt="s", mfc="white", color=COLORS[source_id], capsize=2, label=t("high", lang), zorder=3)
    ax.set_yticks(y, [f"{labels.name(th, lang)} ({n})" for th, n in zip(data["theme"], data["n_proposed"])])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(pct_formatter(lang))
    ax.set_xlabel(t("survival_axis", lang))
    ax.set_title(f"{t('survival_title', lang)}\n{labels.name(source_id, lang)}", loc="left", fontsize=10)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


# --------------------------------------------------------------------------- evolution
def commitments_per_plan(per_plan: pd.DataFrame, stated: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.5, 3.2)
    ax = fig.add_subplot()
    x = np.arange(len(per_plan))
    ax.bar(x, per_plan["n_ogp_list"], color="#9ecae1", label=t("ogp_list", lang))
    for xi, v in zip(x, per_plan["n_ogp_list"]):
        ax.annotate(str(int(v)), (xi, v), ha="center", va="bottom", fontsize=8)
    plan_pos = dict(zip(per_plan["plan"], x))
    for i, source in enumerate(sorted(stated["source_id"].unique())):
        d = stated[stated["source_id"] == source]
        ax.scatter([plan_pos[p] + 0.22 + 0.08 * i for p in d["plan"]], d["n_commitments"],
                   marker="D", s=22, color=COLORS.get(source, "#333333"), zorder=3,
                   label=f"{t('stated', lang)}: {source}")
    ax.set_xticks(x, [f"{t('plan', lang)} {p}\n{lab}" for p, lab in zip(per_plan["plan"], per_plan["canonical_label"])])
    ax.set_ylabel(t("count", lang))
    ax.set_title(t("plans_title", lang), loc="left", fontsize=10)
    ax.legend(frameon=False, fontsize=7)
    return fig


def _heatmap(ax, table: pd.DataFrame, cmap: str, fontsize: float | None = None) -> None:
    """Annotated count heatmap in plain matplotlib (as seaborn.heatmap(annot=True, fmt="d",
    cbar=False, linewidths=0.5) draws it), without importing seaborn and, through it,
    scipy.stats into every kernel that draws a figure."""
    values = table.to_numpy(dtype=float)
    mesh = ax.pcolormesh(values, cmap=cmap, edgecolors="white", linewidth=0.5,
                         vmin=np.nanmin(values), vmax=np.nanmax(values))
    rgb = mesh.cmap(mesh.norm(values))[..., :3]
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminances = linear @ np.array([0.2126, 0.7152, 0.0722])  # relative luminance, as seaborn
    for (i, j), value in np.ndenumerate(values):
        luminance = luminances[i, j]
        ax.text(j + 0.5, i + 0.5, f"{int(value):d}", ha="center", va="center", fontsize=fontsize,
                color="black" if luminance > 0.408 else "white")
    ax.set_xlim(0, values.shape[1])
    ax.set_ylim(values.shape[0], 0)  # first row on top
    ax.set_xticks(np.arange(values.shape[1]) + 0.5, [str(c) for c in table.columns])
    for spine in ax.spines.values():
        spine.set_visible(False)


def policy_area_heatmap(table: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.5, 0.26 * len(table) + 1.2)
    ax = fig.add_subplot()
    _heatmap(ax, table, "Blues", fontsize=7)
    ax.set_yticks(np.arange(len(table)) + 0.5, [a.replace("_", " ") for a in table.index], fontsize=7,
                  rotation=0)
    ax.set_xlabel(t("plan", lang))
    ax.set_ylabel("")
    ax.set_title(t("areas_title", lang), loc="left", fontsize=10)
    return fig


def values_by_plan(values: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.5, 3.0)
    axes = fig.subplots(1, 2, sharex=True)
    for ax, (plan, d) in zip(axes, values.groupby("plan")):
        ax.barh([term(v, lang) for v in d["value"]][::-1], d["share"].to_numpy()[::-1], color="#74a9cf")
        for yi, (share, n, of) in enumerate(zip(d["share"][::-1], d["n"][::-1], d["of"][::-1])):
            ax.annotate(f"{n}/{of}", (share, yi), va="center", fontsize=7, xytext=(2, 0),
                        textcoords="offset points")
        ax.set_title(f"{t('plan', lang)} {plan}: {d['instrument'].iloc[0]}", fontsize=8, loc="left")
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(pct_formatter(lang))
        ax.tick_params(axis="y", labelsize=7)
    fig.suptitle(t("values_title", lang), x=0.01, ha="left", fontsize=10)
    return fig


def recurring_themes(table: pd.DataFrame, lang: str) -> Figure:
    counts = table.drop(columns=["recurs"])
    fig = new_figure(4.5, 0.3 * len(counts) + 1.2)
    ax = fig.add_subplot()
    _heatmap(ax, counts, "Greens")
    ax.set_yticks(np.arange(len(counts)) + 0.5,
                  [labels.name(th, lang).replace("_", " ") + (" *" if r else "")
                   for th, r in zip(counts.index, table["recurs"])], rotation=0, fontsize=8)
    ax.set_xlabel(t("plan", lang))
    ax.set_ylabel("")
    ax.set_title(t("themes_title", lang), loc="left", fontsize=10)
    return fig


def irm_assessment(assess: dict[str, pd.Series], lang: str) -> Figure:
    fig = new_figure(6.5, 2.8)
    left, right = fig.subplots(1, 2)
    impact = assess["impact"]
    left.bar([term(k, lang) for k in impact.index], impact.to_numpy(dtype=int), color="#fdae6b")
    left.set_title(t("impact", lang), fontsize=9, loc="left")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    rel = assess["relevance"]
    right.barh([term(k, lang) for k in rel.index][::-1], rel.to_numpy(dtype=int)[::-1], color="#74a9cf")
    right.set_title(t("relevance", lang), fontsize=9, loc="left")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    right.tick_params(axis="y", labelsize=7)
    fig.suptitle(t("irm_title", lang), x=0.01, ha="left", fontsize=10)
    return fig


# --------------------------------------------------------------------------- bodies
def bodies_parity(seats: pd.DataFrame, lang: str) -> Figure:
    fig = new_figure(6.5, 2.4)
    ax = fig.add_subplot()
    y = np.arange(len(seats))[::-1]
    ax.barh(y, seats["state"], color=COLORS["state"], label=labels.name("state", lang))
    ax.barh(y, seats["non_state"], left=seats["state"], color=COLORS["non_state"], label=t("non_state", lang))
    for yi, s, n in zip(y, seats["state"], seats["non_state"]):
        ax.annotate(str(s), (s / 2, yi), ha="center", va="center", color="white", fontsize=8)
        ax.annotate(str(n), (s + n / 2, yi), ha="center", va="center", color="white", fontsize=8)
    for yi, total, parity in zip(y, seats["total"], seats["parity_share"]):
        ax.plot([total * parity] * 2, [yi - 0.45, yi + 0.45], color="black", lw=1.2, ls="--")
    ax.plot([], [], color="black", lw=1.2, ls="--", label=t("parity", lang))
    ax.set_yticks(y, seats["body"], fontsize=8)
    ax.set_xlabel(t("seats", lang))
    ax.set_title(t("bodies_title", lang), loc="left", fontsize=10)
    ax.set_xlim(0, int(seats["total"].max()) * 1.4)
    ax.legend(frameon=False, fontsize=8, loc="center right")
    return fig


# --------------------------------------------------------------------------- multiverse
SPEC_T = {
    "title": {"es": "La proporción de sociedad civil en cada especificación",
              "en": "The civil-society share under every specification"},
    "axis": {"es": "Especificaciones, ordenadas por proporción", "en": "Specifications, ordered by share"},
    "silent": {"es": "{account}: no informa esta etapa", "en": "{account}: does not report this stage"},
}
SPEC_MARKERS = {"exclude": "o", "state": "v", "civil_society": "^"}


def specification_curve(multi: pd.DataFrame, lang: str,
                        stages: tuple[str, ...] = ("national_table", "regional_workshop")) -> Figure:
    """Every specification (account x other x interval method x level), ordered by share, per stage.

    Points are the share (colour: account; marker: treatment of other), bars the interval.
    An account that does not report a stage is named in the panel, never drawn as zero.
    """
    fig = new_figure(7.0, 2.4 * len(stages))
    axes = fig.subplots(len(stages), 1, squeeze=False)[:, 0]
    for ax, stage in zip(axes, stages):
        at = multi[multi["stage"] == stage]
        known = at[at["reported"].fillna(False).astype(bool)].copy()
        known["_w"] = known["ci_high"].astype(float) - known["ci_low"].astype(float)
        known = known.sort_values(["share_civil_society", "_w", "account", "other_as", "ci_method",
                                   "confidence"], kind="stable").reset_index(drop=True)
        labelled = set()
        for i, r in known.iterrows():
            y = float(r["share_civil_society"])
            has_other = int(r["n_other"]) > 0  # the government's account has no "other"
            key = (r["account"], r["other_as"] if has_other else None)
            text = labels.name(r["account"], lang) + (
                f", {labels.name('other', lang).lower()} {t('other_' + r['other_as'], lang)}" if has_other else "")
            ax.errorbar([i], [y], yerr=[[y - float(r["ci_low"])], [float(r["ci_high"]) - y]],
                        fmt=SPEC_MARKERS[r["other_as"]] if has_other else "s", color=COLORS[r["account"]],
                        ms=3.5, elinewidth=0.6, capsize=0, label=None if key in labelled else text)
            labelled.add(key)
        ax.axhline(0.5, color="#bbbbbb", lw=0.8, ls="--", zorder=0)
        ax.set_ylim(0, 1)
        ax.set_xlim(-1, max(len(known), 1))
        ax.set_xticks([])
        ax.yaxis.set_major_formatter(pct_formatter(lang))
        ax.set_title(labels.name(stage, lang), loc="left", fontsize=9)
        silent = sorted(set(at["account"]) - set(known["account"]))
        if silent:
            ax.text(0.99, 0.04, "; ".join(SPEC_T["silent"][lang].format(account=labels.name(a, lang))
                                          for a in silent),
                    transform=ax.transAxes, ha="right", va="bottom", fontsize=7, color="#555555")
        if len(labelled) > 1:
            ax.legend(frameon=False, fontsize=6.5, loc="upper left", ncol=2)
    axes[-1].set_xlabel(SPEC_T["axis"][lang])
    fig.supylabel(t("share_axis", lang), fontsize=8)
    fig.suptitle(SPEC_T["title"][lang], x=0.01, ha="left", fontsize=10)
    return fig
