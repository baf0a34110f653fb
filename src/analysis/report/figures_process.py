"""Figures of the process analyses: the standards scorecard and the 2017 timeline.

Drawn in the project's style (``report.figures``: one vocabulary, the Okabe-Ito palette,
legends below the data), in Spanish and English, as PNG and SVG, byte-stable.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .. import labels
from .figures import OKABE_ITO, PALETTE, legend_below, new_figure, styled, t, wrap  # noqa: F401

#: The IRM's traffic-light colours drawn in colour-blind-safe hues; the letter in every cell
#: (the standard) and the legend carry the meaning too.
SCORE_COLORS = {"green": OKABE_ITO["bluish_green"], "amber": OKABE_ITO["yellow"],
                "red": OKABE_ITO["vermillion"]}
SECTION_KEYS = {"Foro Multiactor": "section_forum", "Desarrollo del plan de acción": "section_development"}
MILESTONES = ["invitations_sent", "schedule_published", "regional_call_posted", "thematic_table",
              "regional_workshop", "self_assessment_consultation", "virtual_consultation",
              "national_table", "participation_stage", "closing_event", "approval"]


@styled
def standards_scorecard(std: pd.DataFrame, lang: str) -> Figure:
    """One cell per standard, coloured as the IRM rated it, one row per section of the annex."""
    sections = list(dict.fromkeys(std["section"]))
    width = max(std.groupby("section").size())
    fig = new_figure(6.5, 0.9 * len(sections) + 1.4)
    ax = fig.add_subplot()
    for row, section in enumerate(sections):
        part = std[std["section"] == section].reset_index(drop=True)
        y = len(sections) - 1 - row
        for i, r in part.iterrows():
            ax.add_patch(Rectangle((i, y + 0.1), 0.9, 0.7, color=SCORE_COLORS[r["colour"]]))
            ax.text(i + 0.45, y + 0.45, r["standard_id"], ha="center", va="center",
                    color="white" if r["colour"] != "amber" else "black")
            if pd.notna(r["code_printed"]):
                ax.text(i + 0.45, y + 0.86, r["code_printed"], ha="center", va="bottom", fontsize="small")
        ax.text(-0.15, y + 0.45, wrap(t(SECTION_KEYS[section], lang), 18), ha="right", va="center")
    ax.set_xlim(-0.1, width)
    ax.set_ylim(0, len(sections) + 0.1)
    ax.axis("off")
    ax.set_title(t("score_title", lang), loc="left")
    handles = [Patch(color=SCORE_COLORS[c], label=t(f"score_{c}", lang)) for c in ["green", "amber", "red"]]
    # the empty end of the development row (6 standards against the forum's 11) holds the key
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 0.0), frameon=False)
    fig.text(0.01, 0.005, t("score_source", lang), fontsize="small", color=PALETTE["note"], va="bottom")
    return fig


@styled
def timeline_accounts(rows: pd.DataFrame, lang: str) -> Figure:
    """Every dated row of each document (``clean.process.timeline``), side by side per milestone.

    Separate events of one stage (the IRM's three regional workshops) are drawn one by one;
    two spans a document gives for the same stage overlap.
    """
    days = rows[rows["precision"] == "day"]
    order = [m for m in MILESTONES if m in set(days["milestone"])]
    sched = pd.Timestamp(days.loc[days["milestone"] == "schedule_published", "date_start"].min())
    fig = new_figure(6.5, 0.36 * len(order) + 1.6)
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
            ax.plot([start, end + 0.8], [y, y], color=PALETTE[source], lw=5, solid_capstyle="butt")
            if r.milestone in ("closing_event", "approval"):
                ax.annotate(labels.format_date(pd.Timestamp(r.date_start).date(), lang), (end + 1.5, y),
                            va="center", fontsize="small", color=PALETTE[source])
    handles = [ax.plot([], [], color=PALETTE[s], lw=5)[0] for s in offsets]
    ax.set_yticks(range(len(order))[::-1], [t(m, lang) for m in order])
    ax.set_xlabel(f"{t('timeline_axis', lang)} ({labels.format_date(sched.date(), lang)})")
    first = int((pd.to_datetime(days["date_start"]) - sched).dt.days.min())
    last = int((pd.to_datetime(days["date_end"]) - sched).dt.days.max())
    ax.set_xlim(min(-3, first - 1), last + 22)
    ax.grid(axis="x", color=PALETTE["band"], lw=0.5)
    ax.set_title(t("timeline_title", lang), loc="left")
    legend_below(ax, handles, [t(f"{s}_report", lang) for s in offsets], ncols=2)
    return fig
