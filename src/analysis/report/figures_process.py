"""Figures of the process analyses: the standards scorecard and the 2017 timeline.

Built with the helpers of ``report.figures`` (``new_figure``, ``save``, ``show``), so
they are drawn in Spanish and English, as PNG and SVG, byte-stable.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .. import labels
from .figures import COLORS, new_figure

SCORE_COLORS = {"green": "#1a9641", "amber": "#fdae61", "red": "#d7191c"}
T = {
    "score_title": {"es": "Estándares de participación y cocreación de OGP: evaluación del IRM",
                    "en": "OGP participation and co-creation standards: the IRM's assessment"},
    "green": {"es": "Verde: cumple con el estándar", "en": "Green: meets the standard"},
    "amber": {"es": "Ámbar: en proceso", "en": "Amber: in progress"},
    "red": {"es": "Rojo: sin evidencia de acción", "en": "Red: no evidence of action"},
    "Foro Multiactor": {"es": "Foro multiactor", "en": "Multistakeholder forum"},
    "Desarrollo del plan de acción": {"es": "Desarrollo del plan de acción", "en": "Action plan development"},
    "source": {"es": "Fuente: IRM (2019), anexo I. Letras sobre la celda: código impreso junto al color.",
               "en": "Source: IRM (2019), Annex I. Letters above a cell: code printed beside the colour."},
    "timeline_title": {"es": "El proceso de cocreación según cada documento",
                       "en": "The co-creation process according to each document"},
    "timeline_axis": {"es": "Días desde la publicación del cronograma ({date})",
                      "en": "Days since the schedule was published ({date})"},
}
MILESTONE_NAMES = {
    "es": {"invitations_sent": "Oficios de invitación", "schedule_published": "Cronograma publicado",
           "regional_call_posted": "Convocatoria a talleres en la web",
           "thematic_table": "Mesas temáticas", "regional_workshop": "Talleres regionales",
           "self_assessment_consultation": "Consulta de la autoevaluación",
           "virtual_consultation": "Consulta virtual", "national_table": "Mesas nacionales",
           "participation_stage": "Etapa de participación", "closing_event": "Desayuno de cierre",
           "approval": "Aprobación del plan"},
    "en": {"invitations_sent": "Invitation letters", "schedule_published": "Schedule published",
           "regional_call_posted": "Workshop call posted online",
           "thematic_table": "Thematic tables", "regional_workshop": "Regional workshops",
           "self_assessment_consultation": "Self-assessment consultation",
           "virtual_consultation": "Virtual consultation", "national_table": "National tables",
           "participation_stage": "Participation stage", "closing_event": "Closing breakfast",
           "approval": "Plan approved"},
}
MONTHS = {"es": ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"],
          "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]}


def t(key: str, lang: str) -> str:
    return T[key][lang]


def fmt_date(day, lang: str) -> str:
    d = pd.Timestamp(day)
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}" if lang == "es" else \
        f"{MONTHS[lang][d.month - 1]} {d.day}, {d.year}"


def standards_scorecard(std: pd.DataFrame, lang: str) -> Figure:
    """One cell per standard, coloured as the IRM rated it, one row per section of the annex."""
    sections = list(dict.fromkeys(std["section"]))
    width = max(std.groupby("section").size())
    fig = new_figure(7.0, 0.9 * len(sections) + 1.3)
    ax = fig.add_subplot()
    for row, section in enumerate(sections):
        part = std[std["section"] == section].reset_index(drop=True)
        y = len(sections) - 1 - row
        for i, r in part.iterrows():
            ax.add_patch(Rectangle((i, y + 0.1), 0.9, 0.7, color=SCORE_COLORS[r["colour"]]))
            ax.text(i + 0.45, y + 0.45, r["standard_id"], ha="center", va="center", fontsize=8,
                    color="white" if r["colour"] != "amber" else "black")
            if pd.notna(r["code_printed"]):
                ax.text(i + 0.45, y + 0.88, r["code_printed"], ha="center", va="bottom", fontsize=6)
        ax.text(-0.15, y + 0.45, t(section, lang), ha="right", va="center", fontsize=8)
    ax.set_xlim(-0.1, width)
    ax.set_ylim(0, len(sections) + 0.1)
    ax.axis("off")
    handles = [Patch(color=SCORE_COLORS[c], label=t(c, lang)) for c in ["green", "amber", "red"]]
    ax.legend(handles=handles, frameon=False, fontsize=7, loc="upper center",
              bbox_to_anchor=(0.5, 0.02), ncol=3)
    fig.suptitle(t("score_title", lang), x=0.01, ha="left", fontsize=9)
    ax.text(0, -0.32, t("source", lang), fontsize=6, color="#555555", transform=ax.transAxes)
    return fig


def timeline_accounts(rows: pd.DataFrame, lang: str) -> Figure:
    """Every dated row of each document (``clean.process.timeline``), side by side per milestone.

    Separate events of one stage (the IRM's three regional workshops) are drawn one by one;
    two spans a document gives for the same stage overlap.
    """
    days = rows[rows["precision"] == "day"]
    order = [m for m in MILESTONE_NAMES[lang] if m in set(days["milestone"])]
    sched = pd.Timestamp(days.loc[days["milestone"] == "schedule_published", "date_start"].min())
    fig = new_figure(7.0, 0.36 * len(order) + 1.4)
    ax = fig.add_subplot()
    offsets = {"pcm2018": 0.18, "irm2019": -0.18}
    for source, offset in offsets.items():
        mine = days[days["source_id"] == source]
        for r in mine.itertuples():
            if r.milestone not in order:
                continue
            start = (pd.Timestamp(r.date_start) - sched).days
            end = (pd.Timestamp(r.date_end) - sched).days
            y = len(order) - 1 - order.index(r.milestone) + offset
            ax.plot([start, end + 0.8], [y, y], color=COLORS[source], lw=5, solid_capstyle="butt")
            if r.milestone in ("closing_event", "approval"):
                ax.annotate(fmt_date(r.date_start, lang), (end + 1.5, y), va="center",
                            fontsize=6, color=COLORS[source])
    for source in offsets:
        ax.plot([], [], color=COLORS[source], lw=5, label=labels.name(source, lang))
    ax.set_yticks(range(len(order))[::-1], [MILESTONE_NAMES[lang][m] for m in order], fontsize=7)
    ax.set_xlabel(t("timeline_axis", lang).format(date=fmt_date(sched, lang)), fontsize=8)
    first = int((pd.to_datetime(days["date_start"]) - sched).dt.days.min())
    last = int((pd.to_datetime(days["date_end"]) - sched).dt.days.max())
    ax.set_xlim(min(-3, first - 1), last + 16)
    ax.legend(frameon=False, fontsize=7, loc="upper right")
    ax.grid(axis="x", color="#dddddd", lw=0.5)
    ax.set_title(t("timeline_title", lang), loc="left", fontsize=10)
    return fig
